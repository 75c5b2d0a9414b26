// Utilities: versions, URL parsing, clock, sleep, random bytes.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mclock, msleep, NngError, nngVersion, parseUrl, random } from "../src/index";

describe("nngVersion", () => {
  test("reports the NNG and Mbed TLS versions compiled in", () => {
    const v = nngVersion();
    expect(v).toEqual({ nng: "2.0.0", mbedtls: "3.6.3" });
    // The pinned Mbed TLS source compiled into the shim (vendor/mbedtls/PIN), not a system one.
    const pin = readFileSync(join(import.meta.dir, "..", "vendor", "mbedtls", "PIN"), "utf8").match(/^version=(.+)$/m)![1];
    expect(v.mbedtls).toBe(pin!);
  });
});

describe("parseUrl", () => {
  test("splits every part of a URL as NNG sees it", () => {
    expect(parseUrl("wss://user:pw@example.org:8443/a/b?x=1&y=2#frag")).toEqual({
      url: "wss://user:pw@example.org:8443/a/b?x=1&y=2#frag",
      scheme: "wss",
      userinfo: "user:pw",
      host: "example.org:8443",
      hostname: "example.org",
      port: "8443",
      path: "/a/b",
      query: "x=1&y=2",
      fragment: "frag",
      requri: "/a/b?x=1&y=2#frag",
    });
  });

  test("fills in default ports and handles IPv6 and ipc", () => {
    expect(parseUrl("ws://localhost/x").port).toBe("80");
    const v6 = parseUrl("tcp://[::1]:5555");
    expect(v6.hostname).toBe("::1");
    expect(v6.port).toBe("5555");
    const ipc = parseUrl("ipc:///tmp/some.ipc");
    expect(ipc.scheme).toBe("ipc");
    expect(ipc.path).toBe("/tmp/some.ipc");
    expect(ipc.query).toBe("");
  });

  test("a malformed URL throws NngError naming it; a non-string throws TypeError", () => {
    expect(() => parseUrl("no scheme here")).toThrow(NngError);
    expect(() => parseUrl("no scheme here")).toThrow("no scheme here");
    expect(() => parseUrl(42 as unknown as string)).toThrow(TypeError);
    expect(() => parseUrl("tcp://a\0b")).toThrow(TypeError);
  });
});

describe("mclock and msleep", () => {
  test("msleep blocks for about the time asked, measured by mclock", () => {
    const t0 = mclock();
    msleep(30);
    const dt = mclock() - t0;
    expect(dt).toBeGreaterThanOrEqual(29);
    expect(dt).toBeLessThan(2000);
  });

  test("mclock is monotonic and msleep rejects bad input", () => {
    const a = mclock();
    const b = mclock();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(() => msleep(-1)).toThrow(TypeError);
    expect(() => msleep(1.5)).toThrow(TypeError);
  });
});

describe("random", () => {
  test("returns n bytes as hex by default, or as bytes", () => {
    const hex = random(16) as string;
    expect(hex).toMatch(/^[0-9a-f]{32}$/);
    const bytes = random(1000, { hex: false }) as Uint8Array;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(1000);
    // 1000 random bytes are not all the same value, and two draws differ.
    expect(new Set(bytes).size).toBeGreaterThan(100);
    expect(random(16)).not.toBe(hex);
    expect(random(0)).toBe("");
  });

  test("rejects bad sizes", () => {
    expect(() => random(-1)).toThrow(TypeError);
    expect(() => random(2.5)).toThrow(TypeError);
  });
});
