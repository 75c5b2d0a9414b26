// Send and receive modes: encode/decode (src/modes.ts) of small and 64 KiB payloads, serial and raw,
// with no I/O. See bench/README.md.
import { bench, do_not_optimize, group, run } from "mitata";
import { decode, encode, RecvMode, SendMode } from "../src/modes";
import { avgOf, fmtNs, summary, type BenchState } from "./util";

const KIB64 = 64 * 1024;

// serial (bun:jsc structured clone): a small record, 64 KiB of bytes, and ~64 KiB of small records
// (where the per-object cost shows).
const serialValues: Record<string, unknown> = {
  "small object": { id: 42, name: "sensor-7", ok: true, values: [1.5, 2.5, 3.5] },
  "64 KiB Uint8Array": new Uint8Array(KIB64).fill(7),
  "64 KiB of records": Array.from({ length: 1330 }, (_, i) => ({ id: i, name: `s${i}`, v: i * 0.5 })),
};
const serialBytes = Object.fromEntries(Object.entries(serialValues).map(([k, v]) => [k, encode(v, SendMode.serial)]));
const sizes = Object.entries(serialBytes).map(([k, b]) => `${k} ${b.length} B`).join(", ");

// raw: bytes go out as they are (a view, no copy) and come back as they are (mode raw), so the
// interesting raw costs are strings (UTF-8) and typed views (mode double: an aligned Float64Array).
// A string built by concatenation or .repeat() is a rope in JSC, and Bun's TextEncoder.encode
// walks a rope without flattening it, every time: much slower than a flat string, so both appear.
const text64 = Buffer.alloc(KIB64, "abcdefgh").toString("latin1"); // flat
const rawValues: Record<string, unknown> = {
  "64 B Uint8Array (as is)": new Uint8Array(64).fill(7),
  "64 KiB Uint8Array (as is)": new Uint8Array(KIB64).fill(7),
  "64 B string": Buffer.alloc(64, "abcdefgh").toString("latin1"),
  "64 KiB string": text64,
  "64 KiB string, a rope": "abcdefgh".repeat(KIB64 / 8),
};
const raw64 = new Uint8Array(64).fill(7);
const rawKiB = new Uint8Array(KIB64).fill(7);
const text64Bytes = encode(text64, SendMode.raw);

group("serial mode (structured clone through bun:jsc)", () => {
  bench("serial encode: $what", function* (state: BenchState) {
    const v = serialValues[state.get("what")];
    yield () => encode(v, SendMode.serial);
  }).args("what", Object.keys(serialValues));
  bench("serial decode: $what", function* (state: BenchState) {
    const b = serialBytes[state.get("what")]!;
    yield () => decode(b, RecvMode.serial);
  }).args("what", Object.keys(serialValues));
});

group("raw mode", () => {
  bench("raw encode: $what", function* (state: BenchState) {
    const v = rawValues[state.get("what")];
    yield () => do_not_optimize(encode(v, SendMode.raw));
  }).args("what", Object.keys(rawValues));
  bench("raw decode (mode raw, as is): 64 B", () => do_not_optimize(decode(raw64, RecvMode.raw)));
  bench("raw decode (mode raw, as is): 64 KiB", () => do_not_optimize(decode(rawKiB, RecvMode.raw)));
  bench("raw decode (mode string): 64 KiB", () => decode(text64Bytes, RecvMode.string));
  bench("raw decode (mode double): 64 KiB", () => decode(rawKiB, RecvMode.double));
});

const results = await run();

const row = (name: string): [string, string] => [name, fmtNs(avgOf(results, name))];
summary(`modes.bench.ts (serialized: ${sizes})`, [
  ...Object.keys(serialValues).flatMap((k) => [row(`serial encode: ${k}`), row(`serial decode: ${k}`)]),
  ...Object.keys(rawValues).map((k) => row(`raw encode: ${k}`)),
  row("raw decode (mode raw, as is): 64 KiB"),
  row("raw decode (mode string): 64 KiB"),
  row("raw decode (mode double): 64 KiB"),
]);
