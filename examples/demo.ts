// bun-nng quick-start demo (`make demo`):
//
//   1. req/rep across processes: starts examples/rep-server.ts in a second Bun process (64 rep
//      contexts over ipc) and sends it REQUESTS requests, at most OUTSTANDING at once, each through
//      its own req context; every answer is checked against its request.
//   2. pub/sub fan-out in one process: one pub socket, SUBS sub sockets over inproc; MESSAGES raw
//      64-byte messages, every sub must receive every one exactly once.
//
// Exits 0 on success, 1 with a message on any mismatch, error or time-out.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { context, dial, NngError, recvAio, request, send, sendAio, setOpt, socket, subscribe, type Context, type Socket } from "../src/index";

const REQUESTS = 10_000;
const OUTSTANDING = 1_000;
const SUBS = 4;
const MESSAGES = 20_000;
const MSG_BYTES = 64;
const TIME_LIMIT_MS = 25_000;

const t0 = performance.now();
let server: ReturnType<typeof Bun.spawn> | null = null;
const ipcPath = join(tmpdir(), `bun-nng-demo-${process.pid}-${Date.now().toString(36)}.ipc`);

function fail(message: string): never {
  console.error(`demo: FAILED: ${message}`);
  server?.kill();
  rmSync(ipcPath, { force: true });
  process.exit(1);
}

const watchdog = setTimeout(() => fail(`not done after ${TIME_LIMIT_MS / 1000} s`), TIME_LIMIT_MS);

/** Resolves after `ms` without keeping the process alive (unlike Bun.sleep). */
const after = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms).unref());

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

// --- 1. req/rep across processes ---------------------------------------------------------------

async function reqRep(): Promise<void> {
  const url = `ipc://${ipcPath}`;
  console.log(`1. req/rep over ${url}`);
  server = Bun.spawn([process.execPath, join(import.meta.dir, "rep-server.ts"), url, String(process.pid)], {
    stdout: "inherit",
    stderr: "inherit",
  });
  const serverExit = server.exited;
  let serverDone = false;
  serverExit.then(() => (serverDone = true));

  // Dialing does not wait for the server: the dialer connects (and reconnects) in the background.
  const req = socket("req", { dial: url });
  const pool: Context[] = Array.from({ length: OUTSTANDING }, () => context(req));

  // request(): the send and the receive of the reply run as one native operation.
  const ask = async (ctx: Context, question: unknown, timeout = 10_000): Promise<unknown> => {
    return await request(ctx, question, { timeout });
  };

  // One request first: it waits for the server to be up, so the timing below is of requests only.
  const first = (await ask(pool[0]!, { id: -1, n: 21 }, 15_000).catch((e: NngError) =>
    fail(`first request: ${e.message}${serverDone ? " (the server exited)" : ""}`),
  )) as { id: number; n: number };
  if (first.id !== -1 || first.n !== 42) fail(`first answer was ${JSON.stringify(first)}`);

  let next = 0;
  let ok = 0;
  const start = performance.now();
  // OUTSTANDING workers, one req context each, take request numbers until all are sent.
  const worker = async (ctx: Context) => {
    while (next < REQUESTS) {
      const id = next++;
      const n = (id * 7919) % 100_003;
      let answer: { id: number; n: number };
      try {
        answer = (await ask(ctx, { id, n })) as typeof answer;
      } catch (e) {
        fail(`request ${id}: ${(e as Error).message}${serverDone ? " (the server exited)" : ""}`);
      }
      if (answer?.id !== id || answer.n !== n * 2) {
        fail(`request ${id} { n: ${n} } got ${JSON.stringify(answer)}, expected { id: ${id}, n: ${n * 2} }`);
      }
      ok++;
    }
  };
  await Promise.all(pool.map(worker));
  const ms = performance.now() - start;
  if (ok !== REQUESTS) fail(`${ok} of ${REQUESTS} requests answered`);
  console.log(
    `   ${fmt(ok)} requests (${fmt(OUTSTANDING)} outstanding, one req context each), every answer correct: ` +
      `${fmt(ms)} ms, ${fmt((ok / ms) * 1000)} requests/s`,
  );

  // Tell the server to stop, then wait for it to exit.
  const bye = (await ask(pool[0]!, { stop: true }, 5_000).catch((e: NngError) =>
    fail(`stop request: ${e.message}`),
  )) as { stopped: boolean; served: number };
  if (bye?.stopped !== true || bye.served !== REQUESTS + 1) {
    fail(`stop answer was ${JSON.stringify(bye)}, expected { stopped: true, served: ${REQUESTS + 1} }`);
  }
  for (const ctx of pool) ctx.close();
  req.close();
  const code = await Promise.race([serverExit, after(5_000, "timeout" as const)]);
  if (code === "timeout") fail("the server did not exit within 5 s after the stop request");
  if (code !== 0) fail(`the server exited with code ${code}`);
  server = null;
  console.log(`   server stopped (exit code 0)`);
}

// --- 2. pub/sub fan-out ------------------------------------------------------------------------

const PROBE = 0;
const DATA = 1;

async function pubSub(): Promise<void> {
  const url = `inproc://bun-nng-demo-pubsub-${process.pid}`;
  console.log(`2. pub/sub: 1 pub -> ${SUBS} subs over ${url}`);
  const pub = socket("pub", { listen: url });
  // pub never blocks: a message that finds a subscriber's queue full is dropped. So queues are made
  // deep and the publisher keeps at most WINDOW messages ahead of the slowest subscriber.
  setOpt(pub, "send-buffer", 1024);
  const WINDOW = 512;
  const RECEIVERS = 64; // recvAios kept posted per sub

  const subs = Array.from({ length: SUBS }, () => {
    const s = socket("sub");
    setOpt(s, "recv-buffer", 1024);
    subscribe(s, ""); // before dialing, so nothing is filtered out once connected
    dial(s, url);
    return s;
  });

  const probes = new Array<number>(SUBS).fill(0);
  const counts = new Array<number>(SUBS).fill(0);
  const seen = subs.map(() => new Uint8Array(MESSAGES));
  const problems: string[] = [];
  let progress: (() => void) | null = null;
  const onProgress = () => {
    const p = progress;
    progress = null;
    p?.();
  };

  const receiver = async (i: number) => {
    for (;;) {
      let m: Uint8Array;
      try {
        m = (await recvAio(subs[i]!, { mode: "raw" })) as Uint8Array;
      } catch (e) {
        if (e instanceof NngError && e.code === 7) return; // closed: done
        problems.push(`sub ${i}: ${(e as Error).message}`);
        return;
      }
      if (m.length !== MSG_BYTES) {
        problems.push(`sub ${i}: got a ${m.length}-byte message`);
      } else if (m[0] === PROBE) {
        probes[i]!++;
      } else {
        const seq = new DataView(m.buffer, m.byteOffset).getUint32(4, true);
        if (seq >= MESSAGES || m[63] !== (seq & 0xff)) problems.push(`sub ${i}: corrupt message ${seq}`);
        else if (seen[i]![seq]!++) problems.push(`sub ${i}: message ${seq} twice`);
        else counts[i]!++;
      }
      onProgress();
    }
  };
  const loops = subs.flatMap((_, i) => Array.from({ length: RECEIVERS }, () => receiver(i)));

  const message = (kind: number, seq: number) => {
    const m = new Uint8Array(MSG_BYTES).fill(0x2a);
    m[0] = kind;
    new DataView(m.buffer).setUint32(4, seq, true);
    m[63] = seq & 0xff;
    return m;
  };

  // Subscribers connect in the background and pub drops what it cannot deliver: publish a probe
  // until every sub has one.
  const probeStart = performance.now();
  for (let attempt = 0; probes.some((p) => p === 0); attempt++) {
    if (attempt >= 500) fail(`subs still without the probe after ${attempt} tries: ${probes.join(", ")}`);
    const r = send(pub, message(PROBE, attempt), { mode: "raw" });
    if (r !== 0) fail(`publishing a probe: ${r.message}`);
    await Bun.sleep(5);
  }
  console.log(`   all ${SUBS} subs connected (probe received after ${fmt(performance.now() - probeStart)} ms)`);

  const minCount = () => Math.min(...counts);
  const waitFor = async (cond: () => boolean, what: string, stallMs = 3_000) => {
    while (!cond()) {
      if (problems.length) fail(problems.slice(0, 5).join("; "));
      const before = counts.reduce((a, b) => a + b, 0);
      const moved = await Promise.race([
        new Promise<boolean>((resolve) => (progress = () => resolve(true))),
        after(stallMs, false),
      ]);
      if (!moved && counts.reduce((a, b) => a + b, 0) === before) {
        fail(`${what}: no progress for ${stallMs} ms; received per sub: ${counts.join(", ")} of ${MESSAGES}`);
      }
    }
  };

  const start = performance.now();
  for (let seq = 0; seq < MESSAGES; seq++) {
    if (seq - minCount() >= WINDOW) await waitFor(() => seq - minCount() < WINDOW / 2, "publishing");
    const r = send(pub, message(DATA, seq), { mode: "raw" });
    if (r !== 0) fail(`publishing message ${seq}: ${r.message}`);
  }
  await waitFor(() => minCount() === MESSAGES, "receiving");
  const ms = performance.now() - start;
  if (problems.length) fail(problems.slice(0, 5).join("; "));
  for (let i = 0; i < SUBS; i++) {
    if (counts[i] !== MESSAGES) fail(`sub ${i} received ${counts[i]} of ${MESSAGES}`);
  }
  console.log(
    `   ${fmt(MESSAGES)} messages of ${MSG_BYTES} B published, each received by all ${SUBS} subs ` +
      `(${fmt(MESSAGES * SUBS)} deliveries, none lost or repeated): ${fmt(ms)} ms, ` +
      `${fmt((MESSAGES / ms) * 1000)} messages/s, ${fmt(((MESSAGES * SUBS) / ms) * 1000)} deliveries/s`,
  );

  for (const s of subs) s.close(); // the posted recvAios complete with error 7 and the loops end
  pub.close();
  await Promise.all(loops);
  if (problems.length) fail(problems.slice(0, 5).join("; "));
}

await reqRep();
await pubSub();
clearTimeout(watchdog);
rmSync(ipcPath, { force: true });
console.log(`demo: OK (${fmt(performance.now() - t0)} ms in all)`);
