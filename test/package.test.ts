// The npm artefacts work on their own: `make pack`'s tarballs for the host platform (its package
// holding the library this suite runs on: the checkout's build, or BUN_NNG_LIB's), installed with
// `bun add` into a fresh directory outside the checkout (no zig on PATH, no zig-out reachable, no
// registry reachable), load the platform package's prebuilt library and do real messaging.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binaryCpu } from "../scripts/binary-cpu";
import { libraryPath } from "../src/ffi";
import { nngVersion } from "../src/index";
import { detectLibc, PLATFORMS, platformTarget } from "../src/native-lib";
import { BUN_COMMAND } from "./bun-command";

const ROOT = join(import.meta.dir, "..");
const host = platformTarget(process.platform, process.arch, process.platform === "linux" ? detectLibc() : undefined);
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let dir = "";
/** The environment of the fresh directory: a PATH without zig, a registry nothing listens on. */
let env: Record<string, string> = {};

function run(cmd: string[], extraEnv: Record<string, string> = {}) {
  const out = Bun.spawnSync(cmd, { cwd: dir, env: { ...env, ...extraEnv }, stdout: "pipe", stderr: "pipe" });
  return { code: out.exitCode, stdout: out.stdout.toString(), stderr: out.stderr.toString() };
}

beforeAll(() => {
  if (!host) throw new Error(`no platform package for ${process.platform}-${process.arch}`);
  dir = mkdtempSync(join(tmpdir(), "bun-nng-pkg-"));
  const pack = Bun.spawnSync([...BUN_COMMAND, join(ROOT, "scripts", "pack.ts"), "--host-only", "--host-lib", libraryPath(), "--out", join(dir, "pack")], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (pack.exitCode !== 0) throw new Error(`scripts/pack.ts failed:\n${pack.stdout}${pack.stderr}`);
  env = {
    PATH: "/usr/bin:/bin",
    HOME: dir,
    TMPDIR: tmpdir(),
    // Offline: the other platforms' optional packages are not published; nothing may be fetched.
    BUN_CONFIG_REGISTRY: "http://127.0.0.1:9/",
    BUN_INSTALL_CACHE_DIR: join(dir, "cache"),
    // make test-arm64: the emulator's arm64 C library, for child Bun processes
    ...(process.env.QEMU_LD_PREFIX ? { QEMU_LD_PREFIX: process.env.QEMU_LD_PREFIX } : {}),
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fresh-app", private: true, type: "module" }));
}, 30_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm package", () => {
  test("make pack writes the main tarball and the host platform's, with only what they should ship", () => {
    const tarballs = readdirSync(join(dir, "pack")).sort();
    expect(tarballs).toEqual([`bun-nng-${host!.key}-${version}.tgz`, `bun-nng-${version}.tgz`].sort());

    const list = (tgz: string) =>
      Bun.spawnSync(["tar", "-tzf", join(dir, "pack", tgz)]).stdout.toString().trim().split("\n").sort();
    const main = list(`bun-nng-${version}.tgz`);
    expect(main).toContain("package/src/index.ts");
    expect(main).toContain("package/src/native-lib.ts");
    expect(main).toContain("package/README.md");
    expect(main).toContain("package/LICENSE");
    // TypeScript sources only (Bun runs them): no shim sources, build files, tests or binaries.
    expect(main.filter((f) => !/^package\/(src\/[\w-]+\.ts|README\.md|LICENSE|package\.json)$/.test(f))).toEqual([]);
    expect(list(`bun-nng-${host!.key}-${version}.tgz`)).toEqual(["package/package.json", `package/${host!.file}`].sort());

    const manifest = JSON.parse(
      Bun.spawnSync(["tar", "-xzOf", join(dir, "pack", `bun-nng-${version}.tgz`), "package/package.json"]).stdout.toString(),
    ) as { optionalDependencies: Record<string, string>; devDependencies?: unknown };
    expect(manifest.optionalDependencies).toEqual(
      Object.fromEntries(PLATFORMS.map((p) => [`@bun-nng/${p.key}`, version])),
    );
    expect(manifest.devDependencies).toBeUndefined();
  });

  test("installs with bun add from the tarballs, without zig or a registry", () => {
    expect(Bun.which("zig", { PATH: env.PATH })).toBeNull();
    const add = run([
      ...BUN_COMMAND,
      "add",
      `./pack/bun-nng-${version}.tgz`,
      `./pack/bun-nng-${host!.key}-${version}.tgz`,
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(existsSync(join(dir, "node_modules", "bun-nng", "src", "index.ts"))).toBe(true);
    expect(existsSync(join(dir, "node_modules", "@bun-nng", host!.key, host!.file))).toBe(true);
    // Nothing of a checkout came along for the resolver to find.
    expect(existsSync(join(dir, "node_modules", "bun-nng", "build.zig"))).toBe(false);
    expect(existsSync(join(dir, "node_modules", "bun-nng", "zig-out"))).toBe(false);
  }, 20_000);

  test("an app importing bun-nng does req/rep over ipc and pub/sub over inproc", () => {
    cpSync(join(ROOT, "test", "fixtures", "package", "smoke.ts"), join(dir, "smoke.ts"));
    const smoke = run([...BUN_COMMAND, "smoke.ts"]);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(JSON.parse(smoke.stdout)).toEqual({
      library: join(dir, "node_modules", "@bun-nng", host!.key, host!.file),
      nng: nngVersion().nng,
      answer: { answer: 42 },
      replied: 0,
      first: "news: hello",
      second: "news: second",
    });
  }, 20_000);

  test("BUN_NNG_LIB overrides the platform package; a missing one is a clear error", () => {
    const custom = join(dir, "custom-libbunnng.so");
    cpSync(join(dir, "node_modules", "@bun-nng", host!.key, host!.file), custom);
    const ok = run([...BUN_COMMAND, "smoke.ts"], { BUN_NNG_LIB: custom });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).library).toBe(custom);

    const missing = run([...BUN_COMMAND, "smoke.ts"], { BUN_NNG_LIB: join(dir, "nowhere.so") });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`BUN_NNG_LIB points at ${join(dir, "nowhere.so")}, which does not exist`);
  }, 20_000);

  test("without the platform package the error names the platform and the package to install", () => {
    const pkgDir = join(dir, "node_modules", "@bun-nng", host!.key);
    const aside = join(dir, "platform-package-aside");
    renameSync(pkgDir, aside);
    try {
      const out = run([...BUN_COMMAND, "smoke.ts"]);
      expect(out.code).not.toBe(0);
      const libc = process.platform === "linux" ? ` (${detectLibc()})` : "";
      expect(out.stderr).toContain(`no native library for ${process.platform}-${process.arch}${libc}`);
      expect(out.stderr).toContain(`@bun-nng/${host!.key}`);
    } finally {
      renameSync(aside, pkgDir);
    }
  }, 20_000);
});

describe("make pack's guard against a library of the wrong CPU", () => {
  /** A header-only image: `bytes` written at their offsets into `size` zero bytes. */
  function header(size: number, fields: [number, number[]][]): Uint8Array {
    const b = new Uint8Array(size);
    for (const [at, bytes] of fields) b.set(bytes, at);
    return b;
  }
  const elf = (machine: number) => header(64, [[0, [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]], [18, [machine & 0xff, machine >> 8]]]);

  test("binaryCpu reads ELF, Mach-O and PE headers", () => {
    expect(binaryCpu(elf(0x3e))).toBe("x64");
    expect(binaryCpu(elf(0xb7))).toBe("arm64");
    expect(binaryCpu(elf(0x28))).toBe("elf-machine-40"); // 32-bit ARM
    expect(binaryCpu(header(32, [[0, [0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0, 0, 0x01]]]))).toBe("arm64");
    expect(binaryCpu(header(32, [[0, [0xcf, 0xfa, 0xed, 0xfe, 0x07, 0, 0, 0x01]]]))).toBe("x64");
    const pe = (machine: number) =>
      header(256, [[0, [0x4d, 0x5a]], [0x3c, [0x80, 0, 0, 0]], [0x80, [0x50, 0x45, 0, 0, machine & 0xff, machine >> 8]]]);
    expect(binaryCpu(pe(0x8664))).toBe("x64");
    expect(binaryCpu(pe(0xaa64))).toBe("arm64");
    expect(binaryCpu(new TextEncoder().encode("#!/bin/sh\necho not a library\n"))).toBeNull();
    expect(binaryCpu(new Uint8Array(0))).toBeNull();
  });

  test("binaryCpu agrees with the library this process loaded", () => {
    expect(binaryCpu(new Uint8Array(readFileSync(libraryPath()).subarray(0, 4096)))).toBe(process.arch);
  });

  test("scripts/pack.ts refuses to pack a library built for another CPU into the host's package", () => {
    const other = process.arch === "arm64" ? 0x3e : 0xb7;
    const wrong = join(dir, "wrong-cpu.so");
    const packaged = join(ROOT, "packages", host!.key, host!.file);
    const before = existsSync(packaged) ? readFileSync(packaged) : null;
    writeFileSync(wrong, elf(other));
    const out = Bun.spawnSync([...BUN_COMMAND, join(ROOT, "scripts", "pack.ts"), "--host-only", "--host-lib", wrong, "--out", join(dir, "pack-wrong")], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr.toString()).toContain(`${wrong} is built for ${other === 0xb7 ? "arm64" : "x64"}, not ${process.arch}`);
    // Refused before anything was written: the package's library is what it was.
    expect(existsSync(packaged) ? readFileSync(packaged) : null).toEqual(before);
    expect(existsSync(join(dir, "pack-wrong"))).toBe(false);
  });
});
