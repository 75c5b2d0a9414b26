// The resolver's decisions (src/native-lib.ts), with platform, arch, libc, environment, files and
// installed packages injected; and the platform packages' manifests against its table.
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  detectLibc,
  NativeLibraryError,
  nativeLibrary,
  PLATFORMS,
  platformTarget,
  resolveNativeLibrary,
  type Libc,
  type ResolveInputs,
} from "../src/native-lib";

const ROOT = join(import.meta.dir, "..");

/** A world with the given files and installed packages (name -> directory). */
function world(over: Partial<ResolveInputs> & { files?: string[]; packages?: Record<string, string>; libcIs?: Libc }) {
  const files = new Set(over.files ?? []);
  const packages = over.packages ?? {};
  let libcAsked = 0;
  const inputs: ResolveInputs = {
    platform: over.platform ?? "linux",
    arch: over.arch ?? "x64",
    libc: () => {
      libcAsked++;
      return over.libcIs ?? "glibc";
    },
    env: over.env ?? {},
    exists: (p) => files.has(p),
    packageDir: (name) => packages[name] ?? null,
    checkoutRoot: over.checkoutRoot ?? "/repo",
  };
  return { inputs, libcAsked: () => libcAsked };
}

function errorOf(inputs: ResolveInputs): string {
  try {
    resolveNativeLibrary(inputs);
  } catch (err) {
    expect(err).toBeInstanceOf(NativeLibraryError);
    return (err as Error).message;
  }
  throw new Error("expected resolveNativeLibrary to throw");
}

describe("platform table", () => {
  const cases: [string, string, Libc | undefined, string | undefined][] = [
    ["linux", "x64", "glibc", "linux-x64-gnu"],
    ["linux", "x64", "musl", "linux-x64-musl"],
    ["linux", "arm64", "glibc", "linux-arm64-gnu"],
    ["linux", "arm64", "musl", "linux-arm64-musl"],
    ["darwin", "x64", undefined, "darwin-x64"],
    ["darwin", "arm64", undefined, "darwin-arm64"],
    ["win32", "x64", undefined, "win32-x64"],
    ["win32", "arm64", undefined, undefined],
    ["linux", "ia32", "glibc", undefined],
    ["freebsd", "x64", undefined, undefined],
  ];
  for (const [platform, arch, libc, key] of cases) {
    test(`${platform}-${arch}${libc ? ` ${libc}` : ""} -> ${key ?? "none"}`, () => {
      expect(platformTarget(platform, arch, libc)?.key).toBe(key);
    });
  }

  test("packages/ holds one package per platform, in lock-step with bun-nng, shipping only its library", () => {
    const main = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(readdirSync(join(ROOT, "packages")).sort()).toEqual(PLATFORMS.map((p) => p.key).sort());
    for (const p of PLATFORMS) {
      const m = JSON.parse(readFileSync(join(ROOT, "packages", p.key, "package.json"), "utf8"));
      expect(m.name).toBe(`@bun-nng/${p.key}`);
      expect(m.version).toBe(main.version);
      expect(m.license).toBe("MIT");
      expect(m.os).toEqual([p.os]);
      expect(m.cpu).toEqual([p.cpu]);
      expect(m.libc).toEqual(p.libc ? [p.libc] : undefined);
      expect(m.files).toEqual([p.file]);
    }
  });

  test("the main package ships src, README and LICENSE only (no shim sources, build files or tests)", () => {
    const main = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(main.files).toEqual(["src", "README.md", "LICENSE"]);
    expect(main.license).toBe("MIT");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toStartWith("MIT License");
  });
});

describe("resolveNativeLibrary", () => {
  test("BUN_NNG_LIB comes first, even over a checkout build and an installed package", () => {
    const { inputs } = world({
      env: { BUN_NNG_LIB: "/custom/libbunnng.so" },
      files: ["/custom/libbunnng.so", "/repo/build.zig", "/repo/zig-out/lib/libbunnng.so", "/nm/pkg/libbunnng.so"],
      packages: { "@bun-nng/linux-x64-gnu": "/nm/pkg" },
    });
    expect(resolveNativeLibrary(inputs)).toEqual({ path: "/custom/libbunnng.so", source: "env", platform: "linux-x64-gnu" });
  });

  test("a BUN_NNG_LIB that does not exist is an error, not a silent fallback", () => {
    const { inputs } = world({
      env: { BUN_NNG_LIB: "/custom/missing.so" },
      files: ["/repo/build.zig", "/repo/zig-out/lib/libbunnng.so"],
    });
    expect(errorOf(inputs)).toContain("BUN_NNG_LIB points at /custom/missing.so, which does not exist");
  });

  test("BUN_NNG_LIB works on a platform without a package", () => {
    const { inputs } = world({ platform: "freebsd", env: { BUN_NNG_LIB: "/x/libbunnng.so" }, files: ["/x/libbunnng.so"] });
    expect(resolveNativeLibrary(inputs)).toEqual({ path: "/x/libbunnng.so", source: "env", platform: "freebsd-x64" });
  });

  test("an empty BUN_NNG_LIB counts as unset", () => {
    const { inputs } = world({ env: { BUN_NNG_LIB: "" }, files: ["/repo/build.zig", "/repo/zig-out/lib/libbunnng.so"] });
    expect(resolveNativeLibrary(inputs).source).toBe("checkout");
  });

  test("in a checkout, its zig-out build wins over an installed platform package", () => {
    const { inputs } = world({
      files: ["/repo/build.zig", "/repo/zig-out/lib/libbunnng.so", "/nm/pkg/libbunnng.so"],
      packages: { "@bun-nng/linux-x64-gnu": "/nm/pkg" },
    });
    expect(resolveNativeLibrary(inputs)).toEqual({
      path: "/repo/zig-out/lib/libbunnng.so",
      source: "checkout",
      platform: "linux-x64-gnu",
    });
  });

  test("zig-out without build.zig beside it (not a checkout) is ignored", () => {
    const { inputs } = world({
      files: ["/repo/zig-out/lib/libbunnng.so", "/nm/pkg/libbunnng.so"],
      packages: { "@bun-nng/linux-x64-gnu": "/nm/pkg" },
    });
    expect(resolveNativeLibrary(inputs).source).toBe("package");
  });

  test("checkout build names per OS: .dylib on macOS, bin/bunnng.dll on Windows", () => {
    const mac = world({ platform: "darwin", arch: "arm64", files: ["/repo/build.zig", "/repo/zig-out/lib/libbunnng.dylib"] });
    expect(resolveNativeLibrary(mac.inputs).path).toBe("/repo/zig-out/lib/libbunnng.dylib");
    const win = world({ platform: "win32", files: ["/repo/build.zig", join("/repo", "zig-out", "bin", "bunnng.dll")] });
    expect(resolveNativeLibrary(win.inputs).path).toBe(join("/repo", "zig-out", "bin", "bunnng.dll"));
  });

  test("an installed package: the one matching os, cpu and libc", () => {
    const packages = {
      "@bun-nng/linux-arm64-gnu": "/nm/arm64-gnu",
      "@bun-nng/linux-arm64-musl": "/nm/arm64-musl",
    };
    const files = ["/nm/arm64-gnu/libbunnng.so", "/nm/arm64-musl/libbunnng.so"];
    const musl = world({ arch: "arm64", libcIs: "musl", packages, files });
    expect(resolveNativeLibrary(musl.inputs)).toEqual({
      path: "/nm/arm64-musl/libbunnng.so",
      source: "package",
      platform: "linux-arm64-musl",
    });
    const gnu = world({ arch: "arm64", libcIs: "glibc", packages, files });
    expect(resolveNativeLibrary(gnu.inputs).path).toBe("/nm/arm64-gnu/libbunnng.so");
  });

  test("macOS and Windows never ask for the libc; their packages hold a .dylib / .dll", () => {
    const mac = world({
      platform: "darwin",
      arch: "x64",
      packages: { "@bun-nng/darwin-x64": "/nm/d" },
      files: ["/nm/d/libbunnng.dylib"],
    });
    expect(resolveNativeLibrary(mac.inputs).path).toBe("/nm/d/libbunnng.dylib");
    expect(mac.libcAsked()).toBe(0);
    const win = world({ platform: "win32", packages: { "@bun-nng/win32-x64": "/nm/w" }, files: [join("/nm/w", "bunnng.dll")] });
    expect(resolveNativeLibrary(win.inputs).path).toBe(join("/nm/w", "bunnng.dll"));
    expect(win.libcAsked()).toBe(0);
  });

  test("nothing found: the error names the platform, its libc and the package to install", () => {
    const { inputs } = world({ arch: "arm64", libcIs: "musl" });
    const msg = errorOf(inputs);
    expect(msg).toContain("no native library for linux-arm64 (musl)");
    expect(msg).toContain("@bun-nng/linux-arm64-musl");
    expect(msg).toContain("bun add @bun-nng/linux-arm64-musl");
    expect(msg).toContain("BUN_NNG_LIB");
    expect(msg).toContain("package @bun-nng/linux-arm64-musl (not installed)");
  });

  test("in a checkout that is not built, the error says to run make build", () => {
    const { inputs } = world({ files: ["/repo/build.zig"] });
    const msg = errorOf(inputs);
    expect(msg).toContain("/repo/zig-out/lib/libbunnng.so (this checkout's build output: not built)");
    expect(msg).toContain("run `make build` in this checkout");
  });

  test("a platform package without its library is reported as such", () => {
    const { inputs } = world({ packages: { "@bun-nng/linux-x64-gnu": "/nm/empty" } });
    expect(errorOf(inputs)).toContain("/nm/empty/libbunnng.so (package @bun-nng/linux-x64-gnu is installed but holds no libbunnng.so)");
  });

  test("an unsupported platform: the error names it and lists the supported ones", () => {
    for (const [platform, arch] of [
      ["freebsd", "x64"],
      ["win32", "arm64"],
      ["linux", "riscv64"],
    ] as const) {
      const msg = errorOf(world({ platform, arch }).inputs);
      expect(msg).toContain(`no prebuilt native library for ${platform}-${arch}`);
      expect(msg).toContain(PLATFORMS.map((p) => p.key).join(", "));
      expect(msg).toContain("set BUN_NNG_LIB");
    }
  });
});

describe("this process", () => {
  test("detectLibc agrees with the C library Bun is linked against", () => {
    if (process.platform !== "linux") return;
    const glibc = (process.report?.getReport?.() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
      ?.glibcVersionRuntime;
    expect(detectLibc()).toBe(glibc ? "glibc" : "musl");
  });

  test("in this checkout the library comes from zig-out (or BUN_NNG_LIB when set)", () => {
    const lib = nativeLibrary();
    if (process.env.BUN_NNG_LIB) {
      expect(lib).toMatchObject({ source: "env", path: process.env.BUN_NNG_LIB });
    } else {
      expect(lib).toMatchObject({ source: "checkout", path: join(ROOT, "zig-out", "lib", "libbunnng.so") });
    }
  });
});
