// Request/reply round trips over inproc: request() on req contexts against rep contexts answering in
// reply() loops, with 1 and with 64 requests outstanding. See bench/README.md.
import { bench, group, run } from "mitata";
import { context, ErrorCode, isErrorValue, reply, request, socket, type Context, type Socket } from "../src/index";
import { fmtMeanMedian, inproc, summary } from "./util";

const payload = new Uint8Array(64).fill(7);
const REQ = { sendMode: "raw", recvMode: "raw" } as const;
const REP = { recvMode: "raw", sendMode: "raw" } as const;
const echo = (x: unknown) => x;

interface Pair {
  rep: Socket;
  req: Socket;
  clients: Context[];
  servers: Context[];
  loops: Promise<void>[];
}

/** A rep socket with `n` contexts each answering in a reply() loop, and a req socket with `n` contexts. */
async function pair(n: number): Promise<Pair> {
  const url = inproc(`reqrep-${n}`);
  const rep = socket("rep", { listen: url });
  const req = socket("req", { dial: url });
  const servers = Array.from({ length: n }, () => context(rep));
  const loops = servers.map(async (ctx) => {
    for (;;) {
      const r = await reply(ctx, echo, REP);
      if (isErrorValue(r) && r.code === ErrorCode.ECLOSED) return; // closed at the end
    }
  });
  const clients = Array.from({ length: n }, () => context(req));
  await Promise.all(clients.map((c) => request(c, payload, REQ))); // connected, and warm
  return { rep, req, clients, servers, loops };
}

/** One wave: a request on every client context at once, all awaited. */
function wave(p: Pair): Promise<unknown[]> {
  return Promise.all(p.clients.map((c) => request(c, payload, REQ)));
}

const one = await pair(1);
const many = await pair(64);
for (let i = 0; i < 500; i++) await Promise.all([wave(one), wave(many)]); // warm up (JIT, op pool)

group("req/rep inproc, 64 B raw: request() against reply() loops", () => {
  // One request at a time: latency. Per round trip: the encode and the FFI call of request() (send
  // and receive as one native op), NNG's req/rep over inproc, on the server side a reply() loop
  // (recvAio completion -> drain -> promise -> handler -> sendAio, and that send's completion), the
  // reply's completion in the ring, the wake-up, the drain and the promise.
  bench("1 outstanding: request round trip", async () => {
    await request(one.clients[0]!, payload, REQ);
  });

  // 64 at a time, in waves: 64 request() calls, then await all 64. Per-request time (the wave's
  // time / 64): one wake-up now resolves many completions, so this is the throughput side.
  bench("64 outstanding: per request", function* () {
    yield {
      async manual() {
        const t0 = Bun.nanoseconds();
        await wave(many);
        return (Bun.nanoseconds() - t0) / 64;
      },
    };
  });
});

const results = await run();

for (const p of [one, many]) {
  for (const c of [...p.clients, ...p.servers]) c.close();
  p.req.close();
  p.rep.close();
  await Promise.all(p.loops);
}

summary("reqrep.bench.ts", [
  ["request round trip, 1 outstanding", fmtMeanMedian(results, "1 outstanding: request round trip")],
  ["per request, 64 outstanding", fmtMeanMedian(results, "64 outstanding: per request")],
]);
