// Every send mode and every receive mode round-trips, by name and by integer, through synchronous
// send/recv and asynchronous sendAio/recvAio; payloads that do not fit a receive mode come back as
// NngError values (code 30, the bytes in .raw); bad modes and unsendable values throw TypeError.
import { describe, expect, test } from "bun:test";
import {
  isErrorValue,
  NngError,
  recv,
  recvAio,
  RecvMode,
  send,
  sendAio,
  SendMode,
  socket,
  type RecvModeArg,
  type SendModeArg,
  type Socket,
} from "../src/index";
import { native } from "../src/ffi";
import { uniqueAddress } from "./helpers";

const TEST_MS = 5000;
const WAIT_MS = 2000;
const INLINE_MAX = native.bnng_abi_inline_max();

/** Two connected pair sockets over inproc; disposing closes both. */
class Link {
  readonly a: Socket;
  readonly b: Socket;
  constructor() {
    const url = uniqueAddress("inproc");
    this.a = socket("pair", { listen: url });
    try {
      this.b = socket("pair", { dial: url });
    } catch (err) {
      this.a.close();
      throw err;
    }
  }
  [Symbol.dispose](): void {
    this.b.close();
    this.a.close();
  }
}

type Way = "sync" | "async";
const WAYS: Way[] = ["sync", "async"];

/** Sends `data` from a to b in `sendMode` and receives it in `recvMode`, synchronously or not. */
async function roundTrip(link: Link, way: Way, data: unknown, sendMode: SendModeArg, recvMode: RecvModeArg): Promise<unknown> {
  if (way === "sync") {
    expect(send(link.a, data, { mode: sendMode, block: WAIT_MS })).toBe(0);
    return recv(link.b, { mode: recvMode, block: WAIT_MS });
  }
  const r = recvAio(link.b, { mode: recvMode, timeout: WAIT_MS });
  const s = sendAio(link.a, data, { mode: sendMode, timeout: WAIT_MS });
  // Wait for both without letting a rejection (an NngError value) escape.
  await Promise.allSettled([s, r]);
  expect(s.result).toBe(0);
  return r.data;
}

/** The bytes a raw send of `bytes` produces, received in `mode`. */
function rawIn(link: Link, way: Way, bytes: Uint8Array, mode: RecvModeArg): Promise<unknown> {
  return roundTrip(link, way, bytes, "raw", mode);
}

function expectMisfit(v: unknown, modeName: string, bytes: Uint8Array): void {
  expect(isErrorValue(v)).toBe(true);
  const e = v as NngError;
  expect(e).toBeInstanceOf(NngError);
  expect(e.code).toBe(30);
  expect(e.message).toContain(`'${modeName}'`);
  expect(e.raw).toBeInstanceOf(Uint8Array);
  expect(e.raw!.length).toBe(bytes.length);
  expect(Buffer.from(e.raw!).equals(Buffer.from(bytes))).toBe(true);
}

/** Deterministic pseudo-random bytes (xorshift32). */
function pseudoRandom(n: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Same typed-array class and the same bytes (toEqual treats NaN elements as unequal). */
function expectSameTyped(got: unknown, expected: ArrayBufferView): void {
  expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(expected));
  expect(Buffer.from(bytesOf(got as ArrayBufferView)).equals(Buffer.from(bytesOf(expected)))).toBe(true);
}

const utf8 = new TextEncoder();

const SERIAL_VALUES: [string, unknown][] = [
  ["a nested object", { a: 1, b: { c: [1, "two", { d: null, e: true }], f: -0.5 }, g: "" }],
  ["a Map", new Map<unknown, unknown>([["k", 1], [2, { v: [3] }]])],
  ["a Set", new Set([1, "a", 2.5])],
  ["a Date", new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789))],
  ["a Uint8Array", new Uint8Array([0, 1, 254, 255])],
  ["a Float64Array", new Float64Array([1.5, -2.25, Number.MAX_VALUE, -0])],
  ["an Int32Array", new Int32Array([-1, 0, 2 ** 31 - 1])],
  ["a BigInt64Array", new BigInt64Array([-(2n ** 63n), 42n])],
  ["a bigint", 2n ** 100n + 7n],
  ["a negative bigint", -12345678901234567890n],
  ["a string", "hello, world"],
  ["a unicode string with a nul", "ḧéllo \u0000 wörld 🎉"],
  ["an empty string", ""],
  ["a number", 3.141592653589793],
  ["special numbers", [NaN, Infinity, -Infinity, -0]],
  ["null", null],
  ["booleans", [true, false]],
  ["an array of mixed things", [1, "x", null, [2, [3]], { y: new Date(0) }]],
  ["a RegExp", /ab+c/gi],
];

describe.each(WAYS)("%s send/recv", (way) => {
  describe("serial", () => {
    for (const [name, value] of SERIAL_VALUES) {
      test(`${name} round-trips`, async () => {
        using link = new Link();
        const got = await roundTrip(link, way, value, "serial", "serial");
        expect(got).toEqual(value);
        if (ArrayBuffer.isView(value)) expectSameTyped(got, value);
        if (value instanceof Date) expect((got as Date).getTime()).toBe(value.getTime());
      }, TEST_MS);
    }

    test("is the default of both sides, and works by integer and as 'next' without hooks", async () => {
      using link = new Link();
      const value = { m: new Map([[1, 2n]]), d: new Date(1000) };
      for (const [sm, rm] of [
        [undefined, undefined],
        ["serial", 1],
        [1, "serial"],
        [SendMode.serial, RecvMode.serial],
        ["next", "serial"],
        [3, 1],
      ] as [SendModeArg | undefined, RecvModeArg | undefined][]) {
        let got: unknown;
        if (way === "sync") {
          expect(send(link.a, value, { mode: sm, block: WAIT_MS })).toBe(0);
          got = recv(link.b, { mode: rm, block: WAIT_MS });
        } else {
          const r = recvAio(link.b, { mode: rm, timeout: WAIT_MS });
          expect(await sendAio(link.a, value, { mode: sm, timeout: WAIT_MS })).toBe(0);
          got = await r;
        }
        expect(got).toEqual(value);
      }
    }, TEST_MS);

    test("random bytes received as serial give an NngError value, not a throw", async () => {
      using link = new Link();
      for (const bytes of [pseudoRandom(64), pseudoRandom(200, 7), Uint8Array.of(0xde, 0xad, 0xbe, 0xef), Uint8Array.of(1, 2, 3)]) {
        expectMisfit(await rawIn(link, way, bytes, "serial"), "serial", bytes);
      }
    }, TEST_MS);
  });

  describe("raw send", () => {
    test("Uint8Array, ArrayBuffer, SharedArrayBuffer, DataView and other TypedArrays send their bytes", async () => {
      using link = new Link();
      const backing = new ArrayBuffer(40);
      new Uint8Array(backing).forEach((_, i, a) => (a[i] = i * 3));
      const sab = new SharedArrayBuffer(5);
      new Uint8Array(sab).set([9, 8, 7, 6, 5]);
      const cases: [string, unknown, Uint8Array][] = [
        ["Uint8Array", Uint8Array.of(1, 2, 3, 0, 255), Uint8Array.of(1, 2, 3, 0, 255)],
        ["Uint8Array subarray", new Uint8Array(backing).subarray(3, 11), new Uint8Array(backing).slice(3, 11)],
        ["ArrayBuffer", backing, new Uint8Array(backing).slice()],
        ["SharedArrayBuffer", sab, Uint8Array.of(9, 8, 7, 6, 5)],
        ["DataView window", new DataView(backing, 8, 16), new Uint8Array(backing).slice(8, 24)],
        ["Float64Array", Float64Array.of(1.5, -2), bytesOf(Float64Array.of(1.5, -2))],
        ["Float64Array window", new Float64Array(backing, 8, 3), new Uint8Array(backing).slice(8, 32)],
        ["Float32Array", Float32Array.of(0.25, 8), bytesOf(Float32Array.of(0.25, 8))],
        ["Int16Array", Int16Array.of(-1, 300), bytesOf(Int16Array.of(-1, 300))],
        ["Int32Array", Int32Array.of(-7, 1 << 30), bytesOf(Int32Array.of(-7, 1 << 30))],
        ["Uint32Array", Uint32Array.of(0xffffffff), Uint8Array.of(255, 255, 255, 255)],
        ["BigInt64Array", BigInt64Array.of(-2n), bytesOf(BigInt64Array.of(-2n))],
        ["Uint8ClampedArray", Uint8ClampedArray.of(0, 128, 255), Uint8Array.of(0, 128, 255)],
        ["Buffer", Buffer.from("buf"), utf8.encode("buf")],
      ];
      for (const [name, data, expected] of cases) {
        const got = await roundTrip(link, way, data, "raw", "raw");
        expect(got, name).toBeInstanceOf(Uint8Array);
        expect(Array.from(got as Uint8Array), name).toEqual(Array.from(expected));
      }
    }, TEST_MS);

    test("typed arrays come back in their matching receive modes", async () => {
      using link = new Link();
      const f64 = Float64Array.of(1.25, -3e300, 0, Infinity);
      expect(await roundTrip(link, way, f64, "raw", "double")).toEqual(f64);
      expect(await roundTrip(link, way, f64, 2, RecvMode.numeric)).toEqual(f64);
      expect(await roundTrip(link, way, f64, "raw", "complex")).toEqual(f64); // 32 bytes: two re/im pairs
      const i32 = Int32Array.of(-(2 ** 31), -1, 0, 1, 2 ** 31 - 1);
      expect(await roundTrip(link, way, i32, "raw", "integer")).toEqual(i32);
      expect(await roundTrip(link, way, Int32Array.of(0, 1, -5, 0, 2), "raw", "logical")).toEqual([false, true, true, false, true]);
    }, TEST_MS);

    test("a string sends its UTF-8 bytes", async () => {
      using link = new Link();
      const s = "héllo wörld 🎉";
      expect(await roundTrip(link, way, s, "raw", "string")).toBe(s);
      expect(await roundTrip(link, way, s, "raw", "character")).toEqual([s]);
      const got = await roundTrip(link, way, s, "raw", "raw");
      expect(Array.from(got as Uint8Array)).toEqual(Array.from(utf8.encode(s)));
    }, TEST_MS);

    test("a number sends one double; number[] doubles", async () => {
      using link = new Link();
      expect(await roundTrip(link, way, 2.5, "raw", "double")).toEqual(Float64Array.of(2.5));
      expect(await roundTrip(link, way, -7, "raw", "numeric")).toEqual(Float64Array.of(-7));
      expectSameTyped(await roundTrip(link, way, [1, 2.5, -3, NaN], "raw", "double"), Float64Array.of(1, 2.5, -3, NaN));
      expect(await roundTrip(link, way, [1, 2, 3, 4], "raw", "complex")).toEqual(Float64Array.of(1, 2, 3, 4));
      const bytes = await roundTrip(link, way, 1, "raw", "raw");
      expect((bytes as Uint8Array).length).toBe(8);
    }, TEST_MS);

    test("a boolean sends one int32; boolean[] int32s", async () => {
      using link = new Link();
      expect(await roundTrip(link, way, true, "raw", "logical")).toEqual([true]);
      expect(await roundTrip(link, way, false, "raw", "logical")).toEqual([false]);
      expect(await roundTrip(link, way, true, "raw", "integer")).toEqual(Int32Array.of(1));
      expect(await roundTrip(link, way, [true, false, false, true], "raw", "logical")).toEqual([true, false, false, true]);
      expect(await roundTrip(link, way, [true, false], "raw", "integer")).toEqual(Int32Array.of(1, 0));
    }, TEST_MS);

    test("string[] sends nul-terminated strings that 'character' splits back", async () => {
      using link = new Link();
      const words = ["alpha", "", "gämma", "🎉"];
      expect(await roundTrip(link, way, words, "raw", "character")).toEqual(words);
      // 'string' stops at the first nul.
      expect(await roundTrip(link, way, words, "raw", "string")).toBe("alpha");
      const got = await roundTrip(link, way, ["a", "b"], "raw", "raw");
      expect(Array.from(got as Uint8Array)).toEqual([97, 0, 98, 0]);
    }, TEST_MS);

    test("an empty payload is an empty message in every mode that accepts it", async () => {
      using link = new Link();
      for (const data of [new Uint8Array(0), [], "", new ArrayBuffer(0)]) {
        expect(await roundTrip(link, way, data, "raw", "raw")).toEqual(new Uint8Array(0));
      }
      expect(await roundTrip(link, way, "", "raw", "string")).toBe("");
      expect(await roundTrip(link, way, [], "raw", "character")).toEqual([]);
      expect(await roundTrip(link, way, [], "raw", "double")).toEqual(new Float64Array(0));
      expect(await roundTrip(link, way, [], "raw", "complex")).toEqual(new Float64Array(0));
      expect(await roundTrip(link, way, [], "raw", "integer")).toEqual(new Int32Array(0));
      expect(await roundTrip(link, way, [], "raw", "logical")).toEqual([]);
    }, TEST_MS);
  });

  describe("receive modes", () => {
    test("character splits on nul (a trailing nul ends the last string)", async () => {
      using link = new Link();
      expect(await rawIn(link, way, utf8.encode("a\0bc\0d"), "character")).toEqual(["a", "bc", "d"]);
      expect(await rawIn(link, way, utf8.encode("a\0bc\0d\0"), "character")).toEqual(["a", "bc", "d"]);
      expect(await rawIn(link, way, utf8.encode("a\0\0b"), "character")).toEqual(["a", "", "b"]);
      expect(await rawIn(link, way, utf8.encode("no nul"), 2)).toEqual(["no nul"]);
    }, TEST_MS);

    test("string is the text up to the first nul", async () => {
      using link = new Link();
      expect(await rawIn(link, way, utf8.encode("hello\0world"), "string")).toBe("hello");
      expect(await rawIn(link, way, utf8.encode("whole"), 9)).toBe("whole");
      expect(await rawIn(link, way, utf8.encode("\0after"), "string")).toBe("");
    }, TEST_MS);

    test("raw gives the exact bytes as a Uint8Array", async () => {
      using link = new Link();
      const bytes = pseudoRandom(50);
      const got = await rawIn(link, way, bytes, 8);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Array.from(got as Uint8Array)).toEqual(Array.from(bytes));
    }, TEST_MS);

    test("every receive mode works by name and by integer", async () => {
      using link = new Link();
      const payload = bytesOf(Float64Array.of(1, 2)); // 16 bytes: fits every fixed-width mode
      for (const [name, n] of Object.entries(RecvMode)) {
        if (name === "serial") continue;
        const byName = await rawIn(link, way, payload, name as RecvModeArg);
        const byNumber = await rawIn(link, way, payload, n);
        expect(isErrorValue(byName), name).toBe(false);
        expect(byNumber, name).toEqual(byName);
      }
      expect(await rawIn(link, way, payload, "double")).toEqual(Float64Array.of(1, 2));
      expect(await rawIn(link, way, payload, 4)).toEqual(Float64Array.of(1, 2));
      expect(await rawIn(link, way, payload, "integer")).toEqual(new Int32Array(Float64Array.of(1, 2).buffer));
    }, TEST_MS);

    test("a payload that does not fit the mode gives an NngError value (code 30, bytes in .raw)", async () => {
      using link = new Link();
      const seven = pseudoRandom(7);
      expectMisfit(await rawIn(link, way, seven, "double"), "double", seven);
      expectMisfit(await rawIn(link, way, seven, "numeric"), "numeric", seven);
      expectMisfit(await rawIn(link, way, seven, "integer"), "integer", seven);
      expectMisfit(await rawIn(link, way, seven, "logical"), "logical", seven);
      expectMisfit(await rawIn(link, way, seven, "complex"), "complex", seven);
      const eight = bytesOf(Float64Array.of(1));
      expectMisfit(await rawIn(link, way, eight, "complex"), "complex", eight);
      expectMisfit(await rawIn(link, way, eight, 3), "complex", eight);
      const six = pseudoRandom(6);
      expectMisfit(await rawIn(link, way, six, 5), "integer", six);
      // The link still works afterwards.
      expect(await roundTrip(link, way, "still fine", "serial", "serial")).toBe("still fine");
    }, TEST_MS);
  });

  describe("sizes around the inline threshold and large messages", () => {
    test(`raw and double at ${INLINE_MAX - 8}, ${INLINE_MAX - 1}, ${INLINE_MAX}, ${INLINE_MAX + 1}, ${INLINE_MAX + 8} bytes`, async () => {
      expect(INLINE_MAX).toBe(96);
      using link = new Link();
      for (const n of [1, INLINE_MAX - 8, INLINE_MAX - 1, INLINE_MAX, INLINE_MAX + 1, INLINE_MAX + 8]) {
        const bytes = pseudoRandom(n, n + 1);
        const got = await rawIn(link, way, bytes, "raw");
        expect((got as Uint8Array).length, `${n} bytes`).toBe(n);
        expect(Buffer.from(got as Uint8Array).equals(Buffer.from(bytes)), `${n} bytes`).toBe(true);
        const asDouble = await rawIn(link, way, bytes, "double");
        if (n % 8 === 0) {
          expectSameTyped(asDouble, new Float64Array(bytes.slice().buffer));
        } else {
          expectMisfit(asDouble, "double", bytes);
        }
      }
    }, TEST_MS);

    test("serial values just under and just over the threshold", async () => {
      using link = new Link();
      for (let len = 60; len <= 130; len += 5) {
        const value = { s: "x".repeat(len) };
        expect(await roundTrip(link, way, value, "serial", "serial")).toEqual(value);
      }
    }, TEST_MS);

    test("1 MiB messages in raw, double, integer, string and serial", async () => {
      using link = new Link();
      const MiB = 1 << 20;
      const bytes = pseudoRandom(MiB, 12345);
      const got = await rawIn(link, way, bytes, "raw");
      expect(Buffer.from(got as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
      expectSameTyped(await rawIn(link, way, bytes, "double"), new Float64Array(bytes.slice().buffer));
      expectSameTyped(await rawIn(link, way, bytes, "numeric"), new Float64Array(bytes.slice().buffer));
      expectSameTyped(await rawIn(link, way, bytes, "integer"), new Int32Array(bytes.slice().buffer));
      expectSameTyped(await rawIn(link, way, bytes, "complex"), new Float64Array(bytes.slice().buffer));
      const text = "abcdefgh".repeat(MiB / 8);
      expect(await roundTrip(link, way, text, "raw", "string")).toBe(text);
      const value = { big: new Float64Array(MiB / 8).map((_, i) => i), label: "large" };
      expect(await roundTrip(link, way, value, "serial", "serial")).toEqual(value);
      // One byte over a multiple of 8: a misfit, with all the bytes kept.
      const odd = pseudoRandom(MiB + 1, 99);
      expectMisfit(await rawIn(link, way, odd, "double"), "double", odd);
      expectMisfit(await rawIn(link, way, odd, "serial"), "serial", odd);
    }, TEST_MS);
  });
});

describe("async misfits", () => {
  test("a misfit RecvAio has the NngError as .data and rejects when awaited", async () => {
    using link = new Link();
    const r = recvAio(link.b, { mode: "double", timeout: WAIT_MS });
    expect(await sendAio(link.a, pseudoRandom(7), { mode: "raw", timeout: WAIT_MS })).toBe(0);
    let caught: unknown;
    try {
      await r;
    } catch (err) {
      caught = err;
    }
    expectMisfit(caught, "double", pseudoRandom(7));
    expect(r.data).toBe(caught as NngError);
  }, TEST_MS);
});

describe("invalid modes and values", () => {
  const badSendModes: unknown[] = ["bogus", "Serial", "string", "toString", "__proto__", "", 0, 4, 1.5, -1, null, true, {}];
  const badRecvModes: unknown[] = ["bogus", "Raw", "next", "toString", "hasOwnProperty", "", 0, 10, 2.5, -1, null, false, []];

  test("unknown send modes throw TypeError naming the mode, synchronously and before sending", async () => {
    using link = new Link();
    for (const mode of badSendModes) {
      for (const fn of [
        () => send(link.a, "x", { mode: mode as SendModeArg, block: WAIT_MS }),
        () => sendAio(link.a, "x", { mode: mode as SendModeArg, timeout: WAIT_MS }),
      ]) {
        let caught: unknown;
        try {
          fn();
        } catch (err) {
          caught = err;
        }
        expect(caught, String(mode)).toBeInstanceOf(TypeError);
        const msg = (caught as TypeError).message;
        expect(msg).toContain("unknown send mode");
        expect(msg).toContain(JSON.stringify(mode) ?? String(mode));
        expect(msg).toContain("serial, raw, next");
      }
    }
    // Nothing was sent.
    const nothing = recv(link.b, { block: 50 });
    expect(isErrorValue(nothing) && nothing.code).toBe(5);
  }, TEST_MS);

  test("unknown receive modes throw TypeError naming the mode, and leave the message queued", async () => {
    using link = new Link();
    expect(send(link.a, "kept", { mode: "raw", block: WAIT_MS })).toBe(0);
    for (const mode of badRecvModes) {
      for (const fn of [
        () => recv(link.b, { mode: mode as RecvModeArg, block: WAIT_MS }),
        () => recvAio(link.b, { mode: mode as RecvModeArg, timeout: WAIT_MS }),
      ]) {
        let caught: unknown;
        try {
          fn();
        } catch (err) {
          caught = err;
        }
        expect(caught, String(mode)).toBeInstanceOf(TypeError);
        const msg = (caught as TypeError).message;
        expect(msg).toContain("unknown receive mode");
        expect(msg).toContain(JSON.stringify(mode) ?? String(mode));
        expect(msg).toContain("serial, character, complex, double, integer, logical, numeric, raw, string");
      }
    }
    expect(recv(link.b, { mode: "string", block: WAIT_MS })).toBe("kept");
  }, TEST_MS);

  test("raw mode throws TypeError for values it cannot send", async () => {
    using link = new Link();
    const cases: [unknown, string][] = [
      [{ a: 1 }, "Object"],
      [new Map(), "Map"],
      [Symbol("s"), "symbol"],
      [null, "null"],
      [undefined, "undefined"],
      [10n, "bigint"],
      [() => 1, "function"],
      [[1, "a"], "a mixed array"],
      [[{}], "a mixed array"],
      [[1n], "a mixed array"],
    ];
    for (const [value, what] of cases) {
      for (const fn of [
        () => send(link.a, value, { mode: "raw", block: WAIT_MS }),
        () => sendAio(link.a, value, { mode: 2, timeout: WAIT_MS }),
      ]) {
        let caught: unknown;
        try {
          fn();
        } catch (err) {
          caught = err;
        }
        expect(caught, what).toBeInstanceOf(TypeError);
        expect((caught as TypeError).message).toContain("raw mode sends bytes");
        expect((caught as TypeError).message).toContain(`got ${what}`);
      }
    }
    const nothing = recv(link.b, { block: 50 });
    expect(isErrorValue(nothing) && nothing.code).toBe(5);
  }, TEST_MS);

  test("serial mode throws TypeError for values it cannot serialize", async () => {
    using link = new Link();
    for (const value of [() => 1, function named() {}, Symbol("s"), { nested: { f() {} } }, [1, () => 2], new WeakMap()]) {
      for (const fn of [
        () => send(link.a, value, { mode: "serial", block: WAIT_MS }),
        () => sendAio(link.a, value, { timeout: WAIT_MS }),
        () => send(link.a, value, { mode: 3, block: WAIT_MS }),
      ]) {
        let caught: unknown;
        try {
          fn();
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(TypeError);
        expect((caught as TypeError).message).toContain("cannot send this value in serial mode");
      }
    }
    const nothing = recv(link.b, { block: 50 });
    expect(isErrorValue(nothing) && nothing.code).toBe(5);
  }, TEST_MS);
});

describe("blocking of synchronous send/recv", () => {
  test("sockets do not block by default: recv with nothing queued gives error 8 at once", () => {
    using link = new Link();
    const t0 = performance.now();
    const v = recv(link.b);
    expect(isErrorValue(v)).toBe(true);
    expect((v as NngError).code).toBe(8);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  test("block: a number waits at most that long (error 5), block: true waits for the message", async () => {
    using link = new Link();
    const t0 = performance.now();
    const v = recv(link.b, { block: 60 });
    const took = performance.now() - t0;
    expect(isErrorValue(v) && v.code).toBe(5);
    expect(took).toBeGreaterThanOrEqual(50);
    expect(took).toBeLessThan(1500);
    // A message already queued: block: true returns it.
    expect(send(link.a, [1, 2], { mode: "raw", block: true })).toBe(0);
    expect(recv(link.b, { mode: "double", block: true })).toEqual(Float64Array.of(1, 2));
  }, TEST_MS);
});
