// The side-by-side benchmark (issue 5): the same scenarios, run in one invocation, alternating between
// implementations run by run: bun-nng on Bun, a native C program on the same NNG build (the limit
// for a binding), zeromq.js and node-nanomsg on Node, pynng with asyncio.
//
//   bun bench/compare/run.ts [--quick] [--only=ID,...] [--impl=ID,...] [--reps=N] [--duration=MS]
//                            [--warmup=MS] [--server=ID] [--out=NAME] [--no-setup]
//
// --only takes scenario ids or parts of them (`--only=tcp`, `--only=reqrep-ipc-64B-c1024`); --impl
// takes implementation ids (native, bun-nng, zeromq, nanomsg, pynng). Each run starts a server
// process and a client process of one implementation (see impl/common.mjs for their protocol); the
// client's rate over the measured window is the run's result. Writes bench/results.md and
// bench/results.svg (--out=NAME: bench/NAME.md and .svg). --server=ID runs every client that speaks
// the SP protocols against that implementation's server (zeromq.js keeps its own), to tell a
// client's costs from a server's; it writes bench/results-server-ID.* unless --out says otherwise.
// --no-setup skips bench/compare/setup.sh and `zig build bench-native` (make bench runs them
// itself). See bench/README.md.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMPLS, NATIVE, ROOT, SCENARIOS, type Impl, type Scenario } from "./scenarios";
import { machineInfo, writeReport, type Cell, type Report } from "./report";

// --- options -----------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const list = (name: string) => value(name)?.split(",").filter(Boolean);
const num = (name: string, dflt: number) => {
  const v = value(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) usage(`--${name} takes a whole number`);
  return n;
};

function usage(problem: string): never {
  console.error(`compare: ${problem}`);
  console.error(
    "usage: bun bench/compare/run.ts [--quick] [--only=ID,...] [--impl=ID,...] [--reps=N] [--duration=MS] [--warmup=MS] [--server=ID] [--out=NAME] [--no-setup]",
  );
  console.error(`scenarios: ${SCENARIOS.map((s) => s.id).join(" ")}`);
  console.error(`implementations: ${IMPLS.map((i) => i.id).join(" ")}`);
  process.exit(2);
}

for (const a of argv) {
  if (!/^--(quick|no-setup|only=.+|impl=.+|reps=\d+|duration=\d+|warmup=\d+|server=.+|out=[\w.-]+)$/.test(a)) {
    usage(`unknown argument ${a}`);
  }
}

const quick = flag("quick");
const reps = num("reps", quick ? 2 : 5);
const durationMs = num("duration", quick ? 300 : 1000);
const warmupMs = num("warmup", quick ? 150 : 300);

const only = list("only");
// An exact id selects that scenario; anything else selects every scenario whose id contains it.
const selects = (o: string, id: string) => (SCENARIOS.some((s) => s.id === o) ? id === o : id.includes(o));
const scenarios = only ? SCENARIOS.filter((s) => only.some((o) => selects(o, s.id))) : SCENARIOS;
if (scenarios.length === 0) usage(`--only=${value("only")} matches no scenario`);
const implIds = list("impl");
for (const id of implIds ?? []) if (!IMPLS.some((i) => i.id === id)) usage(`unknown implementation ${id}`);
const wanted = IMPLS.filter((i) => !implIds || implIds.includes(i.id));
const serverId = value("server");
const serverImpl = serverId === undefined ? undefined : IMPLS.find((i) => i.id === serverId);
if (serverId !== undefined && (!serverImpl || serverImpl.id === "zeromq")) usage(`--server takes one of native, bun-nng, nanomsg, pynng`);
const outName = value("out") ?? (serverImpl ? `results-server-${serverImpl.id}` : "results");
/** The implementation whose server a client of `impl` talks to. */
const serverFor = (impl: Impl) => (serverImpl && impl.id !== "zeromq" ? serverImpl : impl);

// --- processes ---------------------------------------------------------------------------------

type Proc = ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;
const live = new Set<Proc>();

function spawn(cmd: string[]): Proc {
  const p = Bun.spawn(cmd, { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  live.add(p);
  void p.exited.then(() => live.delete(p));
  return p;
}

function killAll(): void {
  for (const p of live) p.kill("SIGKILL");
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Accumulates a stream's text (bounded) while the process runs; `text()` reads it so far. */
function collect(stream: ReadableStream<Uint8Array>, onText?: (all: string) => void) {
  let all = "";
  const done = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      all += decoder.decode(chunk, { stream: true });
      if (all.length > 64_000) all = all.slice(-32_000);
      onText?.(all);
    }
  })().catch(() => {});
  return { text: () => all, done };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tail = (s: string, n = 400) => s.trim().split("\n").slice(-4).join(" | ").slice(-n);

/** The last JSON line a program printed. */
function lastJson(out: string): Record<string, unknown> | null {
  const lines = out.trim().split("\n").reverse();
  for (const l of lines) {
    if (!l.startsWith("{")) continue;
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      /* not JSON after all */
    }
  }
  return null;
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

interface RunResult {
  rate?: number;
  error?: string;
  unsupported?: string;
  note?: string;
}

let runCounter = 0;

/** One run: a fresh server and client of `impl`, the client's measured rate. */
async function runOnce(impl: Impl, sc: Scenario): Promise<RunResult> {
  const n = runCounter++;
  const ipcPath = join(tmpdir(), `bun-nng-compare-${process.pid}-${n}.ipc`);
  const url = sc.transport === "ipc" ? `ipc://${ipcPath}` : `tcp://127.0.0.1:${freePort()}`;
  const common = [
    `pattern=${sc.pattern}`,
    `url=${url}`,
    `size=${sc.size}`,
    `conc=${sc.conc}`,
    `subs=${sc.subs ?? 1}`,
    `parent=${process.pid}`,
  ];
  const limitMs = warmupMs + durationMs + 40_000;
  const server = spawn([...serverFor(impl).cmd, "role=server", ...common, `lifetime=${limitMs + 10_000}`]);
  let client: Proc | null = null;
  try {
    let isReady = false;
    const serverOut = collect(server.stdout, (all) => (isReady ||= all.includes("READY")));
    const serverErr = collect(server.stderr);
    const readyBy = Date.now() + 20_000;
    let serverExit: number | null = null;
    void server.exited.then((c) => (serverExit = c));
    while (!isReady) {
      if (serverExit !== null) {
        await serverOut.done;
        const j = lastJson(serverOut.text());
        if (j?.unsupported) return { unsupported: String(j.unsupported) };
        return { error: `server exited (${serverExit}) before READY: ${tail(String(j?.error ?? "") || serverErr.text())}` };
      }
      if (Date.now() > readyBy) return { error: "server not READY after 20 s" };
      await sleep(5);
    }

    client = spawn([...impl.cmd, "role=client", ...common, `warmup=${warmupMs}`, `duration=${durationMs}`]);
    const clientOut = collect(client.stdout);
    const clientErr = collect(client.stderr);
    const timer = setTimeout(() => client?.kill("SIGKILL"), limitMs);
    const code = await client.exited;
    clearTimeout(timer);
    await Promise.all([clientOut.done, clientErr.done]);
    const j = lastJson(clientOut.text());
    if (j?.unsupported) return { unsupported: String(j.unsupported) };
    if (j?.ok === true && typeof j.rate === "number" && j.rate > 0) {
      if (serverExit !== null) return { error: `server exited (${serverExit}) during the run: ${tail(serverErr.text())}` };
      return { rate: j.rate, note: typeof j.note === "string" ? j.note : undefined };
    }
    if (j?.ok === true) return { error: "no messages in the measured window" };
    const why = j?.error ? String(j.error) : tail(clientErr.text()) || `exit code ${code}`;
    return { error: `client: ${why}${serverExit !== null ? ` (server exited ${serverExit}: ${tail(serverErr.text(), 200)})` : ""}` };
  } finally {
    client?.kill("SIGKILL");
    server.kill("SIGKILL");
    await server.exited;
    if (client) await client.exited;
    rmSync(ipcPath, { force: true });
  }
}

/** Asks each implementation for its version; one that cannot answer is unavailable. */
async function probe(impl: Impl): Promise<{ version?: string; unavailable?: string }> {
  const problem = impl.setupProblem();
  if (problem) return { unavailable: problem };
  let p: Proc;
  try {
    p = spawn([...impl.cmd, "role=probe"]);
  } catch (e) {
    return { unavailable: `cannot start ${impl.cmd[0]}: ${(e as Error).message}` };
  }
  const out = collect(p.stdout);
  const err = collect(p.stderr);
  const timer = setTimeout(() => p.kill("SIGKILL"), 30_000);
  const code = await p.exited;
  clearTimeout(timer);
  await Promise.all([out.done, err.done]);
  const j = lastJson(out.text());
  if (code === 0 && j?.ok === true && typeof j.version === "string") return { version: j.version };
  return { unavailable: `does not start (exit ${code}): ${tail(String(j?.error ?? "") || err.text())}` };
}

// --- main --------------------------------------------------------------------------------------

function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toFixed(1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function runStep(what: string, cmd: string[]): Promise<boolean> {
  const p = Bun.spawn(cmd, { cwd: ROOT, stdin: "ignore", stdout: "inherit", stderr: "inherit" });
  const code = await p.exited;
  if (code !== 0) console.error(`compare: ${what} failed (exit ${code}); carrying on without what it provides`);
  return code === 0;
}

const t0 = performance.now();
if (!flag("no-setup")) {
  await runStep("bench/compare/setup.sh", ["bash", "bench/compare/setup.sh"]);
  if (wanted.some((i) => i.id === NATIVE)) await runStep("zig build bench-native", ["scripts/zig", "build", "bench-native"]);
}

const machine = await machineInfo();
console.log(`compare: ${machine.cpu}, ${machine.cores} cores; ${reps} run(s) per implementation per scenario, ${warmupMs} ms warm-up + ${durationMs} ms measured`);

const versions = new Map<string, string>();
const unavailable = new Map<string, string>();
if (serverImpl && !wanted.includes(serverImpl)) {
  const r = await probe(serverImpl);
  if (!r.version) usage(`--server=${serverImpl.id}: ${r.unavailable}`);
}
for (const impl of wanted) {
  const r = await probe(impl);
  if (r.version) versions.set(impl.id, r.version);
  else unavailable.set(impl.id, r.unavailable!);
  console.log(`  ${impl.label.padEnd(13)} ${r.version ?? `UNAVAILABLE: ${r.unavailable}`}`);
}
const runnable = wanted.filter((i) => versions.has(i.id));

const cells = new Map<string, Cell>(); // `${scenario}/${impl}`
const key = (s: Scenario, i: Impl) => `${s.id}/${i.id}`;
const total = scenarios.length * runnable.length * reps;
let done = 0;

for (const sc of scenarios) {
  for (let r = 0; r < reps; r++) {
    // Alternate: each repetition starts with the next implementation.
    const order = runnable.map((_, k) => runnable[(k + r) % runnable.length]!);
    for (const impl of order) {
      const cell = cells.get(key(sc, impl)) ?? { rates: [], errors: [], notes: [] };
      cells.set(key(sc, impl), cell);
      done++;
      if (cell.unsupported) continue; // said so once: no need to ask again
      const res = await runOnce(impl, sc);
      if (res.rate !== undefined) cell.rates.push(res.rate);
      if (res.error) cell.errors.push(res.error);
      if (res.unsupported) cell.unsupported = res.unsupported;
      if (res.note && !cell.notes.includes(res.note)) cell.notes.push(res.note);
      const shown = res.rate !== undefined ? `${fmtRate(res.rate)} ${sc.unit}` : res.unsupported ? `n/a: ${res.unsupported}` : `FAILED: ${res.error}`;
      console.log(`[${String(done).padStart(String(total).length)}/${total}] ${sc.id.padEnd(24)} ${impl.label.padEnd(13)} ${shown}`);
    }
  }
}

const report: Report = {
  command: `bun bench/compare/run.ts${argv.length ? " " + argv.join(" ") : ""}`,
  server: serverImpl?.label,
  date: new Date(),
  elapsedS: (performance.now() - t0) / 1000,
  reps,
  warmupMs,
  durationMs,
  machine,
  impls: wanted.map((i) => ({ id: i.id, label: i.label, version: versions.get(i.id), unavailable: unavailable.get(i.id) })),
  scenarios,
  cell: (s, i) => cells.get(`${s.id}/${i}`),
  median,
};
const files = await writeReport(report, join(ROOT, "bench"), outName);
console.log(`compare: wrote ${files.join(", ")} in ${report.elapsedS.toFixed(0)} s`);
process.exit(0);
