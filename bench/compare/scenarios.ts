// The comparison's scenarios and implementations (bench/compare/run.ts runs them).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const DEPS = join(ROOT, "bench/.deps");
const IMPL = join(ROOT, "bench/compare/impl");

export type Pattern = "reqrep" | "pubsub" | "pipeline";

export interface Scenario {
  /** Stable name, used by --only. */
  id: string;
  /** What the results table shows. */
  title: string;
  pattern: Pattern;
  transport: "ipc" | "tcp";
  /** Payload bytes. */
  size: number;
  /** reqrep: outstanding requests; pubsub: receives posted per subscriber; pipeline: sends and receives in flight. */
  conc: number;
  /** pubsub: subscribers. */
  subs?: number;
  /** What one counted completion is. */
  unit: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export function sizeLabel(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= KiB && n % KiB === 0) return `${n / KiB} KiB`;
  return `${n} B`;
}

function reqrep(transport: "ipc" | "tcp", size: number, conc: number): Scenario {
  const s = sizeLabel(size).replace(" ", "");
  return {
    id: `reqrep-${transport}-${s}-c${conc}`,
    title: `req/rep ${transport}, ${sizeLabel(size)}, ${conc} outstanding`,
    pattern: "reqrep",
    transport,
    size,
    conc,
    unit: "req/s",
  };
}

export const SCENARIOS: Scenario[] = [
  ...(["ipc", "tcp"] as const).flatMap((t) => [64, 64 * KiB].flatMap((size) => [1, 1024].map((c) => reqrep(t, size, c)))),
  {
    id: "pubsub-ipc-64B-8subs",
    title: "pub fan-out ipc, 64 B, 1 pub to 8 subs",
    pattern: "pubsub",
    transport: "ipc",
    size: 64,
    conc: 64,
    subs: 8,
    unit: "deliveries/s",
  },
  {
    id: "pushpull-ipc-64B",
    title: "push/pull ipc, 64 B",
    pattern: "pipeline",
    transport: "ipc",
    size: 64,
    conc: 256,
    unit: "msg/s",
  },
  { ...reqrep("ipc", MiB, 8), id: "reqrep-ipc-1MiB-c8" },
];

export interface Impl {
  id: string;
  label: string;
  /** The command, to which role=... and the scenario's key=value arguments are appended. */
  cmd: string[];
  /** A reason it cannot run (from the set-up), checked before probing. */
  setupProblem(): string | null;
}

function setupProblem(name: string): string | null {
  const f = join(DEPS, `${name}.unavailable`);
  if (!existsSync(f)) return null;
  const lines = readFileSync(f, "utf8").split("\n");
  return `${lines[0]} (see bench/.deps/${name}.unavailable)`;
}

export const NATIVE = "native";

export const IMPLS: Impl[] = [
  {
    id: NATIVE,
    label: "native C",
    cmd: [join(ROOT, "zig-out/bin/nng-bench")],
    setupProblem: () =>
      existsSync(join(ROOT, "zig-out/bin/nng-bench")) ? null : "zig-out/bin/nng-bench missing (`scripts/zig build bench-native` failed)",
  },
  {
    id: "bun-nng",
    label: "bun-nng",
    cmd: [process.execPath, join(IMPL, "bun-nng.ts")],
    setupProblem: () => null,
  },
  {
    id: "zeromq",
    label: "zeromq.js",
    cmd: ["node", join(IMPL, "zeromq.mjs")],
    setupProblem: () => setupProblem("zeromq"),
  },
  {
    id: "nanomsg",
    label: "node-nanomsg",
    cmd: ["node", join(IMPL, "nanomsg.mjs")],
    setupProblem: () => setupProblem("nanomsg"),
  },
  {
    id: "pynng",
    label: "pynng",
    cmd: [join(DEPS, "pynng/venv/bin/python"), join(IMPL, "pynng_bench.py")],
    setupProblem: () => setupProblem("pynng"),
  },
];
