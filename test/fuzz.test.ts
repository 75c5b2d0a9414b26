// Hostile payloads: random, truncated and corrupted bytes decoded in every receive mode (directly
// and through a real socket) give a value or an NngError value, never a throw or a crash.
import { describe, expect, test } from "bun:test";
import { serialize } from "bun:jsc";
import { decode } from "../src/modes";
import { isErrorValue, recv, send, socket } from "../src/index";
import { uniqueAddress } from "./helpers";

/** A small deterministic generator (LCG), so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const samples = [
  serialize({ a: [1, 2, 3], b: "x".repeat(50), m: new Map([[1, { d: new Date(0) }]]) }, { binaryType: "nodebuffer" }),
  serialize([1n, new Uint8Array(10), new Set([1]), "é"], { binaryType: "nodebuffer" }),
  new TextEncoder().encode("plain\0text\0"),
];

function hostile(rnd: () => number, i: number): Uint8Array {
  const base = samples[i % samples.length]!;
  const r = rnd();
  if (r < 0.3) return base.subarray(0, Math.floor(rnd() * base.length)); // truncated (and a view)
  if (r < 0.7) {
    const b = Uint8Array.from(base); // corrupted
    for (let k = 0; k < 3; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    return b;
  }
  return Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)); // random
}

describe("fuzzing the receive modes", () => {
  for (const seed of [1, 2, 3]) {
    test(`decode: 1,500 hostile payloads x 9 modes (seed ${seed})`, () => {
      const rnd = generator(seed);
      let values = 0;
      let errors = 0;
      for (let i = 0; i < 1500; i++) {
        const bytes = hostile(rnd, i);
        for (let mode = 1; mode <= 9; mode++) {
          const v = decode(bytes, mode); // must not throw
          if (isErrorValue(v)) {
            expect(v.code).toBe(30);
            errors++;
          } else values++;
        }
      }
      expect(values).toBeGreaterThan(0);
      expect(errors).toBeGreaterThan(0);
    });
  }

  test("through a socket: hostile payloads received in every mode", () => {
    using pull = socket("pull", { listen: uniqueAddress("inproc") });
    using push = socket("push", { dial: pull.listeners[0]!.url });
    const rnd = generator(42);
    for (let i = 0; i < 300; i++) {
      const bytes = hostile(rnd, i);
      const mode = (i % 9) + 1;
      expect(send(push, bytes, { mode: "raw", block: 1000 })).toBe(0);
      const v = recv(pull, { mode: mode as 1, block: 1000 });
      if (isErrorValue(v)) expect([30]).toContain(v.code);
    }
  });
});
