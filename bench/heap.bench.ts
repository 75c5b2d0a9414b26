// Memory per pending Aio: 100,000 recvAio pending on a pull socket with no sender. See bench/README.md.
//
// A plain script, not mitata: the quantity is a heap difference over many live objects, not a time
// per iteration. Each round: full GC, read the heap, start 100,000 receives (kept in a preallocated
// array, so the array's own growth is not counted), full GC, read again; then attach a handler to
// each (what `await aio` does: the Aio makes its promise) and read again; then close the socket,
// which completes all of them with error 7, and await them. Round 1 also pays for the growth of the
// runtime's op table (`pending` in src/runtime.ts, one slot per op index) and of the shim's op pool;
// round 2 reuses both, so it is the steady state.
import { fullGC, heapSize } from "bun:jsc";
import { recvAio, socket, type RecvAio } from "../src/index";
import { runtimeStats } from "../src/runtime";
import { inproc, summary } from "./util";

const COUNT = 100_000;
const TARGET = 200; // bytes per pending Aio

function gc(): void {
  Bun.gc(true);
  fullGC();
}

interface Round {
  jsc: number; // bun:jsc heapSize() growth per Aio
  heapUsed: number; // process.memoryUsage().heapUsed growth per Aio
  rss: number; // resident set growth per Aio (JS heap + the shim's ops and NNG's aios; noisy)
  awaited: number; // heapSize() growth per Aio once each is awaited
}

async function round(): Promise<Round> {
  const url = inproc("heap");
  const pull = socket("pull", { listen: url });
  const aios: (RecvAio | null)[] = new Array(COUNT).fill(null);

  gc();
  const h0 = heapSize();
  const u0 = process.memoryUsage().heapUsed;
  const r0 = process.memoryUsage.rss();
  for (let i = 0; i < COUNT; i++) aios[i] = recvAio(pull, { mode: "raw" });
  gc();
  const h1 = heapSize();
  const u1 = process.memoryUsage().heapUsed;
  const r1 = process.memoryUsage.rss();
  if (runtimeStats().opsInUse < COUNT) throw new Error("the receives are not all in flight");

  let closed = 0;
  const settled = aios.map((a) =>
    a!.then(
      () => {
        throw new Error("a receive completed with no sender");
      },
      (e) => {
        if (e.code === 7) closed++;
      },
    ),
  );
  gc();
  const h2 = heapSize();

  pull.close();
  await Promise.all(settled);
  if (closed !== COUNT) throw new Error(`${closed} of ${COUNT} receives completed with error 7`);

  return { jsc: (h1 - h0) / COUNT, heapUsed: (u1 - u0) / COUNT, rss: (r1 - r0) / COUNT, awaited: (h2 - h1) / COUNT };
}

const rounds: Round[] = [];
for (let i = 0; i < 2; i++) rounds.push(await round());

const b = (x: number) => `${x.toFixed(0)} B`;
const steady = rounds[1]!;
summary(`heap.bench.ts (${COUNT.toLocaleString("en")} pending recvAio, bytes per Aio: round 1 / round 2)`, [
  ["JS heap per pending Aio (bun:jsc heapSize)", `${b(rounds[0]!.jsc)} / ${b(steady.jsc)}  (target <= ${TARGET} B: ${steady.jsc <= TARGET ? "met" : "NOT met"})`],
  ["JS heap per pending Aio (memoryUsage().heapUsed)", `${b(rounds[0]!.heapUsed)} / ${b(steady.heapUsed)}`],
  ["+ aio.then(f, g) on each (about what await adds)", `${b(rounds[0]!.awaited)} / ${b(steady.awaited)}`],
  ["resident memory per pending Aio (JS + native)", `${b(rounds[0]!.rss)} / ${b(steady.rss)}`],
]);
