// The FFI symbol table (src/ffi.ts) must match the shim's exports exactly, and the built library
// must carry NNG and Mbed TLS inside it (no system libnng or libmbed* at run time).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ABI_VERSION, libraryPath, native, symbolTable } from "../src/ffi";

const root = join(import.meta.dir, "..");

function zigExports(): string[] {
  const src = readFileSync(join(root, "zig", "exports.zig"), "utf8");
  return [...src.matchAll(/^export fn (\w+)\(/gm)].map((m) => m[1]!).sort();
}

function libraryExports(): string[] {
  const out = Bun.spawnSync(["nm", "-D", "--defined-only", libraryPath()]);
  expect(out.exitCode).toBe(0);
  return out.stdout
    .toString()
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[2])
    .filter((name): name is string => !!name && name.startsWith("bnng_"))
    .sort();
}

describe("ffi symbol table", () => {
  test("declares exactly the export fns of zig/exports.zig", () => {
    expect(Object.keys(symbolTable).sort()).toEqual(zigExports());
  });

  test("matches the symbols the built library exports", () => {
    expect(libraryExports()).toEqual(Object.keys(symbolTable).sort());
  });

  test("the library exports nothing but the shim's bnng_ symbols (NNG stays internal)", () => {
    const out = Bun.spawnSync(["nm", "-D", "--defined-only", libraryPath()]).stdout.toString();
    const others = out
      .split("\n")
      .map((line) => line.trim().split(/\s+/)[2])
      .filter((name) => name && !name.startsWith("bnng_") && !name.startsWith("_"));
    expect(others).toEqual([]);
  });

  test("ABI version and ring entry layout agree", () => {
    expect(native.bnng_abi_version()).toBe(ABI_VERSION);
    expect(native.bnng_abi_entry_size()).toBe(128);
    expect(native.bnng_abi_entry_data_offset()).toBe(32);
    expect(native.bnng_abi_inline_max()).toBe(96);
  });
});

describe("native library", () => {
  test("NNG and Mbed TLS are compiled in: no libnng or libmbed* among its dynamic dependencies", () => {
    const out = Bun.spawnSync(["readelf", "-d", libraryPath()]);
    expect(out.exitCode).toBe(0);
    const needed = [...out.stdout.toString().matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((n) => /nng|mbed/i.test(n))).toEqual([]);
    // What it does need: the C library, nothing else.
    for (const n of needed) expect(n).toMatch(/^(libc|libm|libpthread|ld-linux)[.-]/);
  });

  test("reports the pinned NNG version", () => {
    const pin = readFileSync(join(root, "vendor", "nng", "PIN"), "utf8").match(/^version=(.+)$/m)![1];
    expect(String(native.bnng_nng_version())).toBe(pin!);
  });
});
