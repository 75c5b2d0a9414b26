// Runs a scenario in a process of its own, for tests where a failure is typically a freeze (which
// must not take the test runner with it): killed after `limitMs`, its last JSON line parsed.
import { BUN_COMMAND } from "./bun-command";

export interface ChildResult {
  /** The exit code (null when killed). */
  code: number | null;
  /** The first line of its standard output that is a JSON object, parsed; null if none. */
  json: any;
  /** The end of what it printed, for a failure's message. */
  output: string;
}

/** Runs `bun <script> ...args` (through BUN_COMMAND, as every child of the tests). */
export async function runBunChild(script: string, args: string[], limitMs: number): Promise<ChildResult> {
  const child = Bun.spawn([...BUN_COMMAND, script, ...args], { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const code = await child.exited;
  clearTimeout(timer);
  const line = out.split("\n").find((l) => l.startsWith("{"));
  return { code, json: line ? JSON.parse(line) : null, output: `${out}${err}`.slice(-2000) };
}
