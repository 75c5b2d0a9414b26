// bun-nng micro-benchmarks (`make bench` runs this, then the side-by-side comparison): runs every
// bench/*.bench.ts in its own process, one after the other, then repeats each file's summary lines
// together at the end. See bench/README.md.
//
//   bun bench/run.ts              all of them
//   bun bench/run.ts aio ring     only the files whose names contain one of these words
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dir;
/** Cheapest floors first; any file not listed here runs after these, alphabetically. */
const ORDER = ["ffi", "ring", "aio", "reqrep", "modes", "heap"];

const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  .filter((name) => filters.length === 0 || filters.some((w) => name.includes(w)));

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

if (files.length === 0) {
  console.error(`no bench/*.bench.ts matches ${filters.join(" ")}`);
  process.exit(2);
}

// mitata colours its output unless NO_COLOR is set: keep a redirected log readable.
const env = process.stdout.isTTY ? process.env : { ...process.env, NO_COLOR: "1" };
const summaries: string[] = [];
const failed: string[] = [];
const started = performance.now();

for (const name of files) {
  console.log(`\n=== bench/${name}.bench.ts ${"=".repeat(Math.max(0, 60 - name.length))}\n`);
  const child = Bun.spawn([process.execPath, join(dir, `${name}.bench.ts`)], { stdout: "pipe", stderr: "inherit", env });
  let out = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    process.stdout.write(chunk);
    out += decoder.decode(chunk, { stream: true });
  }
  const code = await child.exited;
  if (code !== 0) {
    failed.push(`${name} (exit ${code})`);
    continue;
  }
  // Each file ends with its summary: a line starting with "<name>.bench.ts", then indented lines.
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  const at = plain.lastIndexOf(`\n${name}.bench.ts`);
  if (at >= 0) summaries.push(plain.slice(at + 1).trimEnd());
}

console.log(`\n=== summary (${((performance.now() - started) / 1000).toFixed(0)} s) ${"=".repeat(48)}\n`);
console.log(summaries.join("\n\n"));
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
