// Shared by the bench/*.bench.ts files: unique addresses, and the one-line summaries each file
// prints after mitata's table (in the unit that file is about, with its target where there is one).
import type { run } from "mitata";

type Results = Awaited<ReturnType<typeof run>>;

let counter = 0;

/** A fresh inproc address, unique to this process. */
export function inproc(tag: string): string {
  return `inproc://bench-${tag}-${process.pid}-${++counter}`;
}

/** The mean of the benchmark named `name` (after argument substitution), in ns per sample. */
export function avgOf(results: Results, name: string): number {
  for (const b of results.benchmarks) {
    for (const r of b.runs) if (r.name === name && r.stats) return r.stats.avg;
  }
  throw new Error(`no result for benchmark "${name}"`);
}

/** The median of the benchmark named `name`, in ns per sample. */
export function medianOf(results: Results, name: string): number {
  for (const b of results.benchmarks) {
    for (const r of b.runs) if (r.name === name && r.stats) return r.stats.p50;
  }
  throw new Error(`no result for benchmark "${name}"`);
}

/** "mean (median m)": for anything that crosses threads, where a few slow samples move the mean. */
export function fmtMeanMedian(results: Results, name: string): string {
  return `${fmtNs(avgOf(results, name))}  (median ${fmtNs(medianOf(results, name))})`;
}

/** Formats nanoseconds as ns or µs. */
export function fmtNs(ns: number): string {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

/** Prints the summary block: one `label: value` line each. */
export function summary(title: string, lines: [label: string, value: string][]): void {
  const width = Math.max(...lines.map(([l]) => l.length));
  console.log(`\n${title}`);
  for (const [label, value] of lines) console.log(`  ${label.padEnd(width)}  ${value}`);
}

/** mitata's benchmark state (the argument of a generator benchmark), for `.args(...)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as mitata types it
export type BenchState = { get(name: string): any };
