// The public API under hostile arguments: every function exported by src/index.ts is called with
// wrong types, out-of-range numbers, huge and lying lengths, invalid names, closed objects and
// objects of the wrong class, from explicit tables and from a seeded generator (deterministic: a
// failure names its seed and call). Each call must return (a value or an NngError value) or throw a
// TypeError, RangeError or NngError with a message of our own, never one of the engine's ("undefined
// is not an object", "Cannot read private member"), never crash or hang the process, and leave no
// operation in flight or native op leaked (closeAfterEach checks after every test).
import { describe, expect, test } from "bun:test";
import * as api from "../src/index";
import {
  close,
  context,
  cv,
  cvSignal,
  dial,
  listen,
  NngError,
  OPTIONS,
  sendAio,
  serialConfig,
  setOpt,
  socket,
  stream,
  tlsConfig,
  writeCert,
  type Socket,
  type Stream,
} from "../src/index";
import { writeSync } from "node:fs";
import { native } from "../src/ffi";
import { rt, runtimeStats } from "../src/runtime";
import { closeAfterEach, sleep, uniqueAddress } from "./helpers";

/** FUZZ_TRACE=1 prints each call before it is made (to find the one that crashed). */
const TRACE = process.env.FUZZ_TRACE === "1";

const own = closeAfterEach();

/** A small deterministic generator (LCG), so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let s = seed;
  // Math.imul: a plain product exceeds 2^53, loses its low bits, and the sequence collapses.
  return () => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** Engine messages: a TypeError the library did not mean to throw (it did not check the argument). */
const ENGINE =
  /is not an object|is not a function|Cannot read private|Cannot write private|evaluating '|Cannot convert a Symbol|Cannot convert .* to a BigInt|Maximum call stack|Cannot read propert|Cannot destructure|is not iterable|undefined is not|null is not|Out of memory|Invalid array length|Argument \d|Expected .* to be/;

type Labeled = { label: string; value: unknown };

/** A Uint8Array whose length lies: 3 GiB claimed over 16 real bytes (the FFI would read past it). */
class LyingBytes extends Uint8Array {
  override get length(): number {
    return 3 * 2 ** 30;
  }
  override get byteLength(): number {
    return 3 * 2 ** 30;
  }
}

async function makeFixtures() {
  const rep = own(socket("rep"));
  const req = own(socket("req"));
  const pair = own(socket("pair"));
  const sub = own(socket("sub"));
  const surveyor = own(socket("surveyor"));
  const rawA = own(socket("pair", { raw: true }));
  const rawB = own(socket("pair", { raw: true }));
  // Short time limits everywhere, so that a blocking call the fuzzer makes valid ends quickly.
  for (const s of [rep, req, pair, sub, surveyor]) {
    setOpt(s, "recv-timeout", 20);
    setOpt(s, "send-timeout", 20);
  }
  const url = uniqueAddress("inproc");
  const listener = listen(rep, url);
  const dialer = dial(req, url);
  const ctx = own(context(req));
  const closedSock = socket("pair");
  const closedCtx = context(rep);
  const closedDialer = dial(pair, uniqueAddress("inproc"));
  const closedListener = listen(pair, uniqueAddress("inproc"));
  closedCtx.close();
  closedDialer.close();
  closedListener.close();
  closedSock.close();
  const c = own(cv());
  // Signalled far more often than the fuzz consumes: wait()/until() with any time return at once.
  for (let i = 0; i < 20_000; i++) cvSignal(c);
  const closedCv = cv();
  closedCv.close();
  const cert = writeCert({ cn: "127.0.0.1" });
  const tlsServer = own(tlsConfig({ server: cert.server }));
  const tlsClient = own(tlsConfig({ client: cert.client }));
  const closedTls = tlsConfig({ client: cert.client });
  closedTls.close();
  // A real stream pair, then closed (open streams are fuzzed through their Aios only: a
  // synchronous stream receive waits for data by design).
  const sl = stream({ listen: "tcp://127.0.0.1:0" });
  const sd = await stream({ dial: sl.url });
  const closedStream = await sl;
  closedStream.close();
  const openStream = own(sd);
  const doneAio = sendAio(pair, "x", { timeout: 0 });
  await doneAio.then(
    () => 0,
    () => 0,
  );
  const serial = serialConfig(class Point {}, (x) => x, (x) => x);
  return {
    rep, req, pair, sub, surveyor, rawA, rawB, listener, dialer, ctx, closedSock, closedCtx, closedDialer,
    closedListener, c, closedCv, tlsServer, tlsClient, closedTls, closedStream, openStream, doneAio, serial, cert,
  };
}
type Fixtures = Awaited<ReturnType<typeof makeFixtures>>;

/** The hostile values every argument position is tried with. */
function badValues(f: Fixtures): Labeled[] {
  const proxy = new Proxy(new Uint8Array(8), {});
  const list: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["0", 0],
    ["-1", -1],
    ["1.5", 1.5],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ["2^31", 2 ** 31],
    ["2^32+1", 2 ** 32 + 1],
    ["2^53", 2 ** 53],
    ["-2^53", -(2 ** 53)],
    ["''", ""],
    ["'bogus'", "bogus"],
    ["'tcp://'", "tcp://"],
    ["'inproc://'", "inproc://"],
    ["'a\\0b'", "a\0b"],
    ["long string", "x".repeat(100_000)],
    ["Symbol", Symbol("s")],
    ["10n", 10n],
    ["-1n", -1n],
    ["true", true],
    ["false", false],
    ["{}", {}],
    ["[]", []],
    ["[1,'a']", [1, "a"]],
    ["function", () => 1],
    ["Date", new Date(0)],
    ["Map", new Map()],
    ["Object.create(null)", Object.create(null)],
    ["fake Socket", Object.create(api.Socket.prototype)],
    ["fake Context", Object.create(api.Context.prototype)],
    ["fake Cv", Object.create(api.Cv.prototype)],
    ["fake Stream", Object.create(api.Stream.prototype)],
    ["fake SendAio", Object.create(api.SendAio.prototype)],
    ["unstarted SendAio", new api.SendAio()],
    ["unstarted RecvAio", new api.RecvAio(1)],
    ["{ handle: 1234 }", { handle: 1234, id: 1, closed: false }],
    ["Proxy(Uint8Array)", proxy],
    ["lying Uint8Array (3 GiB claimed)", new LyingBytes(16)],
    ["{ length: 3e9 }", { length: 3e9, byteLength: 3e9 }],
    ["empty ArrayBuffer", new ArrayBuffer(0)],
    ["Uint8Array(0)", new Uint8Array(0)],
    ["closed socket", f.closedSock],
    ["closed context", f.closedCtx],
    ["closed dialer", f.closedDialer],
    ["closed listener", f.closedListener],
    ["closed cv", f.closedCv],
    ["closed tls config", f.closedTls],
    ["closed stream", f.closedStream],
    ["dialer (wrong class)", f.dialer],
    ["listener (wrong class)", f.listener],
    ["tls config (wrong class)", f.tlsClient],
    ["cv (wrong class)", f.c],
    ["completed aio (wrong class)", f.doneAio],
    ["serialConfig (wrong class)", f.serial],
    ["AbortSignal", AbortSignal.abort()],
  ];
  return list.map(([label, value]) => ({ label, value }));
}

/** What a call does with one argument vector. `args` are good values to start from. */
interface Case {
  name: keyof typeof api;
  args: (f: Fixtures) => unknown[];
  /** Values never to put at position i (calls that would, by design, block or allocate for long). */
  avoid?: (i: number, v: unknown) => boolean;
  /** Option objects: also fuzz each key of the object at this position. */
  optsAt?: number;
  keys?: string[];
}

const isHugeNumber = (v: unknown) => (typeof v === "number" && v > 1000) || typeof v === "string";

const CASES: Case[] = [
  { name: "socket", args: () => ["pair", {}], optsAt: 1, keys: ["dial", "listen", "autostart", "raw", "tls"] },
  { name: "dial", args: (f) => [f.pair, uniqueAddress("inproc"), {}], optsAt: 2, keys: ["block", "autostart", "tls"] },
  { name: "listen", args: (f) => [f.pair, uniqueAddress("inproc"), {}], optsAt: 2, keys: ["autostart", "tls"] },
  { name: "context", args: (f) => [f.req] },
  { name: "close", args: (f) => [f.closedSock] },
  { name: "send", args: (f) => [f.pair, "x", {}], optsAt: 2, keys: ["mode", "block"] },
  { name: "recv", args: (f) => [f.pair, {}], optsAt: 1, keys: ["mode", "block", "n"] },
  { name: "sendAio", args: (f) => [f.pair, "x", { timeout: 10 }], optsAt: 2, keys: ["mode", "timeout", "pipe", "signal"] },
  { name: "recvAio", args: (f) => [f.pair, { timeout: 10 }], optsAt: 1, keys: ["mode", "timeout", "cv", "signal", "n"] },
  { name: "unresolved", args: (f) => [f.doneAio] },
  { name: "callAio", args: (f) => [f.doneAio] },
  { name: "collectAio", args: (f) => [f.doneAio] },
  { name: "stopAio", args: (f) => [f.doneAio] },
  { name: "raceAio", args: (f) => [[f.doneAio]] },
  { name: "isErrorValue", args: () => [new NngError(5)] },
  { name: "nngError", args: () => [5] },
  { name: "errorText", args: () => [5] },
  { name: "isNulByte", args: () => [new Uint8Array(1)] },
  { name: "cv", args: () => [] },
  // wait and until consume a signal of the (much signalled) cv; msleep sleeps for real: no huge values.
  { name: "wait", args: (f) => [f.c] },
  { name: "until", args: (f) => [f.c, 10] },
  { name: "waitAsync", args: (f) => [f.c, 10, {}], optsAt: 2, keys: ["signal"] },
  { name: "cvValue", args: (f) => [f.c] },
  { name: "cvReset", args: (f) => [f.closedCv] },
  { name: "cvSignal", args: (f) => [f.c] },
  { name: "pipeNotify", args: (f) => [f.pair, f.c, { add: true }], optsAt: 2, keys: ["add", "remove", "flag"] },
  { name: "request", args: (f) => [f.ctx, "x", { timeout: 10 }], optsAt: 2, keys: ["sendMode", "recvMode", "timeout", "cv", "signal"] },
  { name: "reply", args: (f) => [f.rep, (x: unknown) => x, { timeout: 10 }], optsAt: 2, keys: ["recvMode", "sendMode", "timeout", "signal"] },
  { name: "device", args: (f) => [f.closedSock, f.rawB] },
  { name: "opt", args: (f) => [f.pair, "recv-timeout"] },
  { name: "setOpt", args: (f) => [f.pair, "recv-timeout", 20], avoid: (i, v) => i === 2 && (v === -1 || isHugeNumber(v)) },
  { name: "stat", args: (f) => [f.pair, "pipes"] },
  { name: "subscribe", args: (f) => [f.sub, "t"] },
  { name: "unsubscribe", args: (f) => [f.sub, "t"] },
  { name: "surveyTime", args: (f) => [f.surveyor, 10] },
  { name: "serialConfig", args: () => [class A {}, (x: unknown) => x, (x: unknown) => x] },
  { name: "nngVersion", args: () => [] },
  { name: "parseUrl", args: () => ["tcp://127.0.0.1:5555/p?q#f"] },
  { name: "mclock", args: () => [] },
  { name: "msleep", args: () => [1], avoid: (_i, v) => isHugeNumber(v) },
  // random(2^30) would make 3 GiB of hex: the valid-but-huge end is tested apart.
  { name: "random", args: () => [4, {}], avoid: (i, v) => i === 0 && typeof v === "number" && v > 1e6 && v <= 2 ** 30, optsAt: 1, keys: ["hex"] },
  { name: "messages", args: (f) => [f.closedSock, {}], optsAt: 1, keys: ["mode", "signal", "n"] },
  { name: "tlsConfig", args: (f) => [{ client: f.cert.client }], optsAt: 0, keys: ["client", "server", "pass", "auth", "serverName", "cert"] },
  { name: "writeCert", args: () => [{ cn: "x" }], optsAt: 0, keys: ["cn", "valid"] },
  // stream() gets hostile options only: a valid listen would wait for a connection.
  { name: "stream", args: () => [{ dial: "tcp://127.0.0.1:1", signal: AbortSignal.abort() }], optsAt: 0, keys: ["dial", "listen", "textframes", "headers", "tls", "signal"] },
];

// Constructors exported as classes: called with `new`.
const CLASSES: Case[] = [
  { name: "Socket", args: () => ["pair", false] },
  { name: "Dialer", args: (f) => [f.pair, uniqueAddress("inproc"), {}] },
  { name: "Listener", args: (f) => [f.pair, uniqueAddress("inproc"), {}] },
  { name: "Context", args: (f) => [f.req] },
  { name: "Cv", args: () => [] },
  { name: "NngError", args: () => [5, "detail"] },
  { name: "SendAio", args: () => [] },
  { name: "RecvAio", args: () => [1] },
  { name: "SerialConfig", args: () => [[]] },
  { name: "TlsConfig", args: () => [{}] },
  { name: "Stream", args: () => [0, "tcp://x", "dialer", false] },
];

// Exports that are not functions, or functions covered elsewhere here.
const NOT_CALLED = new Set(["PROTOCOLS", "UNRESOLVED", "ErrorCode", "SendMode", "RecvMode", "OPTIONS", "Aio"]);

interface Problem {
  call: string;
  outcome: string;
}

function describeArgs(labels: string[]): string {
  return `(${labels.join(", ")})`;
}

/** Runs one call; returns a problem, or null if it succeeded or failed clearly. */
async function attempt(name: string, construct: boolean, args: unknown[], labels: string[]): Promise<Problem | null> {
  const call = `${construct ? "new " : ""}${name}${describeArgs(labels)}`;
  const fn = (api as Record<string, unknown>)[name] as (...a: unknown[]) => unknown;
  if (TRACE) writeSync(2, `${call}\n`);
  let out: unknown;
  try {
    // biome-ignore lint: constructor call
    out = construct ? new (fn as unknown as new (...a: unknown[]) => unknown)(...args) : fn(...args);
  } catch (e) {
    return judge(call, e);
  }
  // Async results: the promise (or async generator's first step) must settle with a value or a
  // clear error; pending work on I/O is ended by closing the fixtures (checked by closeAfterEach).
  let settling: Promise<unknown> | null = null;
  if (out instanceof Promise) settling = out;
  else if (out !== null && typeof out === "object" && Symbol.asyncIterator in out && typeof (out as AsyncGenerator).next === "function" && !(out instanceof api.Socket)) {
    settling = (out as AsyncGenerator).next();
  }
  if (settling) {
    const r = await Promise.race([
      settling.then(
        () => null,
        (e: unknown) => judge(call, e),
      ),
      sleep(500).then(() => null),
    ]);
    if (r) return r;
  }
  if (construct && out !== null && typeof out === "object" && "close" in out) (out as { close(): void }).close();
  else if (out instanceof api.Socket || out instanceof api.Dialer || out instanceof api.Listener || out instanceof api.Context || out instanceof api.Cv || out instanceof api.TlsConfig) out.close();
  return null;
}

function judge(call: string, e: unknown): Problem | null {
  if (!(e instanceof TypeError || e instanceof RangeError || e instanceof NngError)) {
    return { call, outcome: `threw ${(e as Error)?.constructor?.name ?? typeof e}: ${String((e as Error)?.message ?? e)}` };
  }
  if (typeof e.message !== "string" || e.message.length < 8 || ENGINE.test(e.message)) {
    return { call, outcome: `unclear ${e.constructor.name}: ${e.message}` };
  }
  return null;
}

/** Every argument vector the table makes for `c`: each position (and each option key) x each bad value. */
function* vectors(c: Case, f: Fixtures, bad: Labeled[]): Generator<{ args: unknown[]; labels: string[] }> {
  const good = c.args(f);
  const labels = good.map(() => "ok");
  const n = Math.max(good.length, 1);
  for (let i = 0; i < n + 1; i++) {
    for (const b of bad) {
      if (c.avoid?.(i, b.value)) continue;
      const args = c.args(f);
      const ls = [...labels];
      args[i] = b.value;
      ls[i] = b.label;
      yield { args, labels: ls };
    }
  }
  if (c.optsAt !== undefined) {
    for (const key of c.keys ?? []) {
      for (const b of bad) {
        if (c.avoid?.(c.optsAt, b.value)) continue;
        const args = c.args(f);
        const base = args[c.optsAt];
        args[c.optsAt] = { ...(base && typeof base === "object" ? base : {}), [key]: b.value };
        const ls = [...labels];
        ls[c.optsAt] = `{ ${key}: ${b.label} }`;
        yield { args, labels: ls };
      }
    }
  }
}

/** `count` random vectors: each position (and option key) hostile with probability 0.4. */
function* randomVectors(c: Case, f: Fixtures, bad: Labeled[], rnd: () => number, count: number) {
  for (let k = 0; k < count; k++) {
    const args = c.args(f);
    const labels = args.map(() => "ok");
    for (let i = 0; i < args.length; i++) {
      if (rnd() < 0.4) {
        const b = bad[Math.floor(rnd() * bad.length)]!;
        if (c.avoid?.(i, b.value)) continue;
        args[i] = b.value;
        labels[i] = b.label;
      }
    }
    if (c.optsAt !== undefined && args[c.optsAt] !== null && typeof args[c.optsAt] === "object" && labels[c.optsAt] === "ok") {
      const o: Record<string, unknown> = { ...(args[c.optsAt] as object) };
      const parts: string[] = [];
      for (const key of c.keys ?? []) {
        if (rnd() < 0.4) {
          const b = bad[Math.floor(rnd() * bad.length)]!;
          if (c.avoid?.(c.optsAt, b.value)) continue;
          o[key] = b.value;
          parts.push(`${key}: ${b.label}`);
        }
      }
      args[c.optsAt] = o;
      labels[c.optsAt] = `{ ${parts.join(", ")} }`;
    }
    yield { args, labels };
  }
}

async function run(cases: Case[], construct: boolean, gen: (c: Case, f: Fixtures, bad: Labeled[]) => Iterable<{ args: unknown[]; labels: string[] }>) {
  const f = await makeFixtures();
  const bad = badValues(f);
  const problems: Problem[] = [];
  let calls = 0;
  for (const c of cases) {
    for (const { args, labels } of gen(c, f, bad)) {
      calls++;
      const p = await attempt(c.name, construct, args, labels);
      if (p) problems.push(p);
    }
  }
  return { problems, calls };
}

describe("the public API under hostile arguments", () => {
  test("every function export is in the fuzz table", () => {
    const covered = new Set([...CASES, ...CLASSES].map((c) => c.name));
    const missing = Object.entries(api)
      .filter(([k, v]) => typeof v === "function" && !covered.has(k as keyof typeof api) && !NOT_CALLED.has(k))
      .map(([k]) => k);
    expect(missing).toEqual([]);
  });

  test("functions: each argument and option x 57 hostile values", async () => {
    const { problems, calls } = await run(CASES, false, vectors);
    console.log(`api-fuzz: ${calls} calls of ${CASES.length} functions`);
    expect(calls).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  }, 60_000);

  test("constructors: each argument x 57 hostile values", async () => {
    const { problems, calls } = await run(CLASSES, true, vectors);
    console.log(`api-fuzz: ${calls} constructor calls of ${CLASSES.length} classes`);
    expect(calls).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  }, 30_000);

  for (const seed of [7, 8, 9]) {
    test(`random combinations (seed ${seed}): 40 per function`, async () => {
      const rnd = generator(seed);
      const { problems } = await run([...CASES], false, (c, f, bad) => randomVectors(c, f, bad, rnd, 40));
      expect(problems).toEqual([]);
    }, 60_000);
  }

  test("setOpt and opt: every option x every object kind x hostile values", async () => {
    const f = await makeFixtures();
    const bad = badValues(f);
    // Objects of their own, so that options set here do not change the other fixtures.
    const s = own(socket("req"));
    const targets = [s, own(context(s)), dial(s, uniqueAddress("ipc"), { autostart: false }), listen(s, uniqueAddress("ipc"), { autostart: false })];
    const problems: Problem[] = [];
    let calls = 0;
    for (const name of Object.keys(OPTIONS)) {
      for (const t of targets) {
        const kind = t.constructor.name;
        const p = await attempt("opt", false, [t, name], [kind, name]);
        if (p) problems.push(p);
        calls += 1 + bad.length;
        for (const b of bad) {
          const q = await attempt("setOpt", false, [t, name, b.value], [kind, name, b.label]);
          if (q) problems.push(q);
        }
      }
    }
    console.log(`api-fuzz: ${calls} opt/setOpt calls`);
    expect(problems).toEqual([]);
  }, 60_000);

  test("a huge but real buffer (2 GiB + 1) is refused by length before it reaches the shim", () => {
    const pair = own(socket("pair"));
    let big: Uint8Array;
    try {
      big = new Uint8Array(2 ** 31 + 1); // virtual memory only: never written
    } catch {
      console.log("skipped: cannot allocate a 2 GiB ArrayBuffer here");
      return;
    }
    for (const f of [() => api.send(pair, big, { mode: "raw" }), () => sendAio(pair, big, { mode: "raw" })]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toContain("2147483649");
    }
  });

  test("the shim ignores a stale or made-up op index (cancel and wait)", () => {
    const before = runtimeStats();
    for (const op of [0xffffffff, 0x7fffffff, before.opsAllocated, before.opsAllocated + 1, 0, 1, 5]) {
      native.bnng_aio_cancel(rt, op); // op 0, 1, 5: allocated but idle
      native.bnng_aio_wait(rt, op);
    }
    expect(runtimeStats().opsInUse).toBe(before.opsInUse);
  });

  test("a lying length never reaches the shim: only the real bytes are sent", () => {
    const url = uniqueAddress("inproc");
    const pull = own(socket("pull", { listen: url }));
    const push = own(socket("push", { dial: url }));
    const lying = new LyingBytes(16).fill(7);
    expect(api.send(push, lying, { mode: "raw", block: 1000 })).toBe(0);
    const got = api.recv(pull, { mode: "raw", block: 1000 }) as Uint8Array;
    expect(got).toEqual(new Uint8Array(16).fill(7));
  });

  test("closed objects: every operation is a clear NngError 7 (thrown or returned), never a crash", async () => {
    const f = await makeFixtures();
    const closedReqCtx = context(f.req);
    closedReqCtx.close();
    const results = [
      api.send(f.closedSock, "x"),
      api.recv(f.closedSock),
      api.send(f.closedCtx, "x"),
      api.recv(f.closedCtx),
      api.sendAio(f.closedSock, "x").result,
      api.recvAio(f.closedCtx).data,
      api.request(closedReqCtx, "x").data,
      api.send(f.closedStream, "x"),
      api.recvAio(f.closedStream).data,
    ];
    for (const r of results) {
      expect(r).toBeInstanceOf(NngError);
      expect((r as NngError).code).toBe(7);
    }
    const throwing: (() => unknown)[] = [
      () => api.dial(f.closedSock, "inproc://x"),
      () => api.listen(f.closedSock, "inproc://x"),
      () => api.context(f.closedSock as never), // a pair socket: context() is a type error too
      () => f.closedDialer.start(),
      () => f.closedListener.start(),
      () => api.opt(f.closedSock, "recv-timeout"),
      () => api.setOpt(f.closedCtx, "recv-timeout", 1),
      () => api.wait(f.closedCv),
      () => api.cvValue(f.closedCv),
      () => api.pipeNotify(f.closedSock, f.c),
      () => api.recvAio(f.pair, { cv: f.closedCv }),
      () => api.socket("pair", { dial: "tls+tcp://127.0.0.1:1", tls: f.closedTls }),
    ];
    for (const t of throwing) {
      let err: unknown;
      try {
        t();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NngError);
      expect((err as NngError).code).toBe(7);
    }
    // Closing twice, and closing through close(), stays quiet.
    for (const x of [f.closedSock, f.closedCtx, f.closedDialer, f.closedListener, f.closedCv, f.closedTls, f.closedStream]) {
      close(x);
      x.close();
    }
  });
});

test("random(): hex output past what a string can hold is a RangeError, before allocating", () => {
  expect(() => api.random(2 ** 30)).toThrow(RangeError);
  expect(() => api.random(2 ** 29 + 1)).toThrow(/at most 536870912 bytes as hex/);
  expect((api.random(16, { hex: false }) as Uint8Array).length).toBe(16);
});

test("an own 'length' on an ordinary Uint8Array is not trusted either", () => {
  const url = uniqueAddress("inproc");
  const pull = own(socket("pull", { listen: url }));
  const push = own(socket("push", { dial: url }));
  const liar = new Uint8Array(8).fill(9);
  Object.defineProperty(liar, "length", { value: 3 * 2 ** 30 });
  expect(api.send(push, liar, { mode: "raw", block: 1000 })).toBe(0);
  expect(api.recv(pull, { mode: "raw", block: 1000 })).toEqual(new Uint8Array(8).fill(9));
});
