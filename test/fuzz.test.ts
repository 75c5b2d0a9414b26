// Hostile payloads: random, truncated and corrupted bytes decoded in every receive mode (directly
// and through a real socket) give a value or an NngError value, never a throw or a crash; the
// deserializers (serial, and next with serialConfig hooks) get mutations of real serialized values.
import { describe, expect, test } from "bun:test";
import { serialize } from "bun:jsc";
import { decode, encode } from "../src/modes";
import { isErrorValue, NngError, recv, recvAio, send, serialConfig, setOpt, socket } from "../src/index";
import { uniqueAddress } from "./helpers";

/** A small deterministic generator (LCG), so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let s = seed;
  // Math.imul: a plain product exceeds 2^53, loses its low bits, and the sequence collapses.
  return () => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
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

// --- The deserializers: serial and next (serialConfig hooks) -------------------------------------

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

class Money {
  constructor(
    public cents: bigint,
    public currency: string,
  ) {}
}

/** Hooks that check what they rebuild from, as a careful application's would: they throw on bad data. */
const hooks = serialConfig(
  [Point, Money],
  [(p: Point) => [p.x, p.y], (m: Money) => `${m.cents}:${m.currency}`],
  [
    (a: unknown) => {
      if (!Array.isArray(a) || a.length !== 2 || !a.every((n) => typeof n === "number")) throw new Error("not a point");
      return new Point(a[0] as number, a[1] as number);
    },
    (s: unknown) => {
      if (typeof s !== "string" || !/^-?\d+:[A-Z]{3}$/.test(s)) throw new Error("not money");
      const [c, cur] = s.split(":");
      return new Money(BigInt(c!), cur!);
    },
  ],
);

/** Real serialized values (serial and next mode), the seeds of the mutations. */
const realValues: unknown[] = [
  { a: [1, 2, 3], s: "é".repeat(20), d: new Date(0), r: /x+/g, n: null, u: undefined, big: 2n ** 70n },
  [new Point(1, 2), { m: new Money(1234n, "EUR") }, new Map<unknown, unknown>([[new Point(3, 4), new Set([1])]])],
  new Float64Array([1.5, -2, NaN]),
  { nested: { deeper: { deepest: [new Point(0, 0), "x".repeat(200)] } } },
  "a plain string",
  42,
];
// Plain Uint8Array copies: encode gives Buffers, whose slice() is a view the bit flips would write through.
const realPayloads = realValues.map((v) => Uint8Array.from(encode(v, 3, hooks)));

function mutations(rnd: () => number, base: Uint8Array, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    const r = rnd();
    if (r < 0.35) out.push(base.slice(0, Math.floor(rnd() * base.length))); // truncated
    else if (r < 0.75) {
      const b = base.slice(); // bit flips
      const flips = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(rnd() * b.length);
        b[at] = b[at]! ^ (1 << Math.floor(rnd() * 8));
      }
      out.push(b);
    } else if (r < 0.9) {
      const b = new Uint8Array(base.length + 1 + Math.floor(rnd() * 16)); // extended with garbage
      b.set(base);
      for (let i = base.length; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
      out.push(b);
    } else {
      // The header of a real payload followed by random bytes.
      const b = Uint8Array.from({ length: 8 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256));
      b.set(base.subarray(0, Math.min(8, base.length)));
      out.push(b);
    }
  }
  return out;
}

describe("fuzzing the deserializers (serial and next mode)", () => {
  test("the real payloads round-trip (the seeds are valid)", () => {
    const back = decode(realPayloads[1]!, 1, hooks) as unknown[];
    expect(back[0]).toBeInstanceOf(Point);
    expect((back[1] as { m: Money }).m).toEqual(new Money(1234n, "EUR"));
  });

  test("every truncation of every real payload: a value or NngError 30, never a throw", () => {
    let errors = 0;
    for (const p of realPayloads) {
      for (let n = 0; n < p.length; n++) {
        for (const cfg of [null, hooks]) {
          const v = decode(p.subarray(0, n), 1, cfg);
          if (isErrorValue(v)) {
            expect(v.code).toBe(30);
            expect(v.raw!.length).toBe(n);
            errors++;
          }
        }
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  for (const seed of [11, 12, 13]) {
    // A corrupted length can make bun:jsc's deserialize allocate for a few hundred ms: 1,500 each.
    test(`1,500 bit-flipped, truncated and extended payloads (seed ${seed}), with and without hooks`, () => {
      const rnd = generator(seed);
      const outcomes = { values: 0, errors: 0, hookErrors: 0 };
      for (let i = 0; i < 1500; i++) {
        const base = realPayloads[i % realPayloads.length]!;
        for (const bytes of mutations(rnd, base, 1)) {
          for (const cfg of [null, hooks]) {
            const v = decode(bytes, 1, cfg); // must not throw
            if (!isErrorValue(v)) outcomes.values++;
            else {
              expect(v.code).toBe(30);
              expect(v.message).toMatch(/serialized data|unserialize hook threw/);
              if (/unserialize hook/.test(v.message)) outcomes.hookErrors++;
              else outcomes.errors++;
            }
          }
        }
      }
      // Both outcomes occur (a flipped bit inside a string still decodes), and the hooks refuse some.
      expect(Math.min(outcomes.values, outcomes.errors, outcomes.hookErrors)).toBeGreaterThan(0);
    }, 30_000);
  }

  test("a flipped bit that claims a 268,435,459-element sparse array: the hooks walk its keys, at once", () => {
    // Found by the seed 11 run: the receiver spent minutes (and gigabytes) walking the holes.
    const bytes = Buffer.from(
      "0e00000002010000806101030000100000000007010000000502000000020000000503000000ffffffff010000807310" +
      "14000080e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e901000080640b000000000000000001000080721202000080" +
      "782b0100008067010000806e04010000807503030000806269672f000200000000000000000000004000000000000000" +
      "ffffffff",
      "hex",
    );
    const t0 = performance.now();
    const v = decode(bytes, 1, hooks) as { a: unknown[] };
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(v.a.length).toBe(268_435_459);
    expect(Object.keys(v.a)).toEqual(["0", "1", "2"]);
  });

  test("SerialConfig.decode keeps a sparse array sparse (length 2^32 - 1, one element)", () => {
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    sparse[5] = { "\u0000bun-nng:class": "Point", data: [1, 2] };
    const back = hooks.decode({ sparse }) as { sparse: unknown[] };
    expect(back.sparse.length).toBe(2 ** 32 - 1);
    expect(back.sparse[5]).toEqual(new Point(1, 2));
    expect(Object.keys(back.sparse)).toEqual(["5"]);
  });

  test("an unserialize hook that throws gives NngError 30 naming the hook, with the bytes", () => {
    const bad = encode({ p: new Point(1, 2) }, 3, hooks);
    const strict = serialConfig(Point, (p: Point) => [p.x, p.y], () => {
      throw new Error("refused by the hook");
    });
    const v = decode(bad, 1, strict);
    expect(isErrorValue(v)).toBe(true);
    expect((v as NngError).code).toBe(30);
    expect((v as NngError).message).toContain("refused by the hook");
    expect((v as NngError).raw).toEqual(bad);
  });

  test("a serialize hook that throws is a TypeError at send, nothing sent", () => {
    const failing = serialConfig(Point, () => {
      throw new Error("cannot serialize");
    }, (x: unknown) => x);
    expect(() => encode(new Point(1, 2), 3, failing)).toThrow(/serialize hook threw: cannot serialize/);
  });

  test("through sockets with serialConfig: mutated next-mode payloads, received by serial recv and recvAio", async () => {
    using pull = socket("pull", { listen: uniqueAddress("ipc") });
    using push = socket("push", { dial: pull.listeners[0]!.url });
    setOpt(pull, "serial", hooks);
    const rnd = generator(99);
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const [bytes] = mutations(rnd, realPayloads[i % realPayloads.length]!, 1);
      expect(send(push, bytes!, { mode: "raw", block: 1000 })).toBe(0);
      const v = i % 2 === 0 ? recv(pull, { block: 1000 }) : await recvAio(pull, { timeout: 1000 }).then((x) => x, (e) => e);
      if (isErrorValue(v)) {
        expect(v.code).toBe(30);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(0);
    // Still working afterwards: a real value arrives intact.
    expect(send(push, new Point(5, 6), { mode: "next", block: 1000 })).toBe(0);
    setOpt(push, "serial", hooks);
    expect(send(push, new Point(7, 8), { mode: "next", block: 1000 })).toBe(0);
    recv(pull, { block: 1000 });
    expect(recv(pull, { block: 1000 })).toEqual(new Point(7, 8));
  });
});
