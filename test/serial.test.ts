// serialConfig and the `next` send mode: registered class instances round-trip with their class
// intact, inside nested values; unregistered instances keep structured clone's plain-object shape.
import { afterEach, describe, expect, test } from "bun:test";
import { opt, recv, recvAio, send, sendAio, serialConfig, SerialConfig, setOpt, socket, type Socket } from "../src/index";
import { TRANSPORTS, uniqueAddress } from "./helpers";

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

class Money {
  constructor(
    public cents: bigint,
    public currency: string,
  ) {}
  toString(): string {
    return `${this.cents} ${this.currency}`;
  }
}

class Unregistered {
  z = 1;
  hello(): string {
    return "hi";
  }
}

const cfg = serialConfig(
  [Point, Money],
  [(p: Point) => [p.x, p.y], (m: Money) => `${m.cents}:${m.currency}`],
  [
    (a: [number, number]) => new Point(a[0], a[1]),
    (s: string) => {
      const [c, cur] = s.split(":");
      return new Money(BigInt(c!), cur!);
    },
  ],
);

const opened: Socket[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

function pairOver(t: (typeof TRANSPORTS)[number]): [Socket, Socket] {
  const a = socket("pair", { listen: uniqueAddress(t) });
  const b = socket("pair", { dial: a.listeners[0]!.url });
  opened.push(a, b);
  return [a, b];
}

describe("serialConfig", () => {
  for (const t of TRANSPORTS) {
    test(`registered instances keep their class inside nested values (${t})`, async () => {
      const [a, b] = pairOver(t);
      setOpt(a, "serial", cfg);
      setOpt(b, "serial", cfg);
      const shared = new Point(1, 1);
      const value = {
        list: [new Point(3, 4), shared, shared],
        map: new Map<string, unknown>([["price", new Money(1999n, "EUR")]]),
        set: new Set([new Point(0, 2)]),
        deep: { deeper: { p: new Point(6, 8) } },
        other: new Unregistered(),
        plain: { n: 1, s: "x", d: new Date(0) },
      };
      expect(await sendAio(a, value, { mode: "next", timeout: 2000 })).toBe(0);
      const got = (await recvAio(b, { timeout: 2000 })) as typeof value;
      expect(got.list[0]).toBeInstanceOf(Point);
      expect((got.list[0] as Point).norm()).toBe(5);
      expect(got.list[1]).toBe(got.list[2]); // a shared reference stays shared
      const price = got.map.get("price") as Money;
      expect(price).toBeInstanceOf(Money);
      expect(price.toString()).toBe("1999 EUR");
      expect([...got.set][0]).toBeInstanceOf(Point);
      expect(got.deep.deeper.p.norm()).toBe(10);
      // Not registered: a plain object with the own data, as structured clone makes it.
      expect(got.other).not.toBeInstanceOf(Unregistered);
      expect(got.other).toEqual({ z: 1 } as unknown as Unregistered);
      expect(got.plain).toEqual({ n: 1, s: "x", d: new Date(0) });
      // The value sent was not modified.
      expect(value.list[0]).toBeInstanceOf(Point);
    });
  }

  test("the serial mode ignores the hooks; next without a config is serial", async () => {
    const [a, b] = pairOver("inproc");
    setOpt(b, "serial", cfg);
    expect(send(a, { p: new Point(3, 4) }, { mode: "serial", block: 1000 })).toBe(0);
    const plain = recv(b, { block: 1000 }) as { p: unknown };
    expect(plain.p).not.toBeInstanceOf(Point);
    expect(plain.p).toEqual({ x: 3, y: 4 });
    expect(send(a, { p: new Point(3, 4) }, { mode: "next", block: 1000 })).toBe(0); // a has no config
    expect(recv(b, { block: 1000 })).toEqual({ p: { x: 3, y: 4 } });
  });

  test("a receiver without the config sees the markers as plain data, not instances", async () => {
    const [a, b] = pairOver("inproc");
    setOpt(a, "serial", cfg);
    expect(send(a, new Point(1, 2), { mode: "next", block: 1000 })).toBe(0);
    const got = recv(b, { block: 1000 }) as Record<string, unknown>;
    expect(got).not.toBeInstanceOf(Point);
    expect(got.data).toEqual([1, 2]);
  });

  test("contexts use their socket's config; opt reads it back; null removes it", () => {
    const s = socket("req");
    opened.push(s);
    expect(opt(s, "serial")).toBeNull();
    setOpt(s, "serial", cfg);
    expect(opt(s, "serial")).toBe(cfg);
    setOpt(s, "serial", null);
    expect(opt(s, "serial")).toBeNull();
  });

  test("bad configurations give clear errors", () => {
    expect(() => serialConfig([Point], [], [])).toThrow(TypeError);
    expect(() => serialConfig(Point, "x" as never, (d: unknown) => d)).toThrow("must be functions");
    expect(() => serialConfig((() => {}) as never, (x: unknown) => x, (x: unknown) => x)).toThrow(TypeError);
    class Point2 {}
    Object.defineProperty(Point2, "name", { value: "Point" });
    expect(() => serialConfig([Point, Point2], [(x: unknown) => x, (x: unknown) => x], [(x: unknown) => x, (x: unknown) => x])).toThrow(
      "two classes are named 'Point'",
    );
    const s = socket("pair");
    opened.push(s);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(() => setOpt(s, "serial", { not: "a config" })).toThrow(TypeError);
    expect(cfg).toBeInstanceOf(SerialConfig);
  });
});
