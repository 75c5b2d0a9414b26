// Runs every example in examples/ as a user would (`bun examples/x.ts`, a separate process with a
// time limit) and checks its exit code and its output, which is deterministic for the per-protocol
// examples; demo.ts prints rates, so only its verdict is checked.
import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { BUN_COMMAND } from "./bun-command";

const ROOT = join(import.meta.dir, "..");
const RUN_MS = 20_000;

/** What each per-protocol example prints, line by line. */
const EXPECTED: Record<string, string[]> = {
  "bus.ts": [
    "a heard: hello from b, hello from c",
    "b heard: hello from a, hello from c",
    "c heard: hello from a, hello from b",
  ],
  "pair.ts": [
    'pair: a got "ping", b got "pong"',
    'poly: hub heard left and right; left got "echo left", right got "echo right"',
  ],
  "pipeline.ts": ["pipeline: 12 items, each received once: true; sum 78", "pipeline: workers took 12 items between them"],
  "pubsub.ts": [
    "weather: weather sunny, weather rain, weather end",
    "news: news election, news end",
    "sports (context): sports goal, sports end",
  ],
  "reqrep.ts": [
    "reqrep: 8 requests answered: 1, 4, 9, 16, 25, 36, 49, 64",
    "reqrep: closing the server ended its 4 reply loops (error 7)",
  ],
  "survey.ts": ["survey: 3 answers: east says yes; north says yes; south says yes", "survey: every reply sent: true"],
};

/** Runs `bun examples/<file>` with the time limit; its exit code (null if killed) and output. */
async function run(file: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = Bun.spawn([...BUN_COMMAND, join("examples", file), ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill(), RUN_MS);
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  clearTimeout(timer);
  return { code: proc.signalCode ? null : proc.exitCode, stdout, stderr };
}

test("every example in examples/ is run by this file", () => {
  const files = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".ts"));
  // rep-server.ts is the server demo.ts starts.
  expect(files.sort()).toEqual([...Object.keys(EXPECTED), "demo.ts", "rep-server.ts"].sort());
});

for (const [file, lines] of Object.entries(EXPECTED)) {
  test(
    `examples/${file} prints its result and exits 0`,
    async () => {
      const { code, stdout, stderr } = await run(file);
      expect(stderr).toBe("");
      expect(stdout.trimEnd().split("\n")).toEqual(lines);
      expect(code).toBe(0);
    },
    RUN_MS + 5000,
  );
}

test(
  "examples/demo.ts (with rep-server.ts in a second process) succeeds",
  async () => {
    const { code, stdout, stderr } = await run("demo.ts");
    expect(stderr).toBe("");
    expect(stdout).toContain("every answer correct");
    expect(stdout).toContain("server stopped (exit code 0)");
    expect(stdout).toMatch(/^demo: OK/m);
    expect(code).toBe(0);
  },
  RUN_MS + 5000,
);
