// make pack: the npm tarballs of bun-nng and of its platform packages, into .pack/.
//
//   1. Each packages/<platform>/ gets its library: dist/<platform>/<file> (make dist, all platforms)
//      when present, else for the host's platform only the host build: BUN_NNG_LIB when set (make
//      test-arm64 packs its cross-built library this way), else the checkout's zig-out/. Platforms
//      without a library are not packed (and a stale copy is removed so it cannot be packed). A
//      library built for another CPU than its package's is refused (binaryCpu).
//   2. The main package is staged in .pack/stage/bun-nng: src/, README.md, LICENSE and a manifest
//      made from package.json with optionalDependencies on every platform package at the same
//      version (and without devDependencies and scripts). The checkout's package.json cannot list
//      them itself: until they are published, `npm ci` (scripts/setup.sh) refuses a manifest whose
//      optional dependencies are missing from the lock file.
//   3. `npm pack` for the main package and each platform package that has its library.
//
// Usage: bun scripts/pack.ts [--host-only] [--host-lib FILE] [--out DIR]
//   --host-only      pack only the host's platform package (what test/package.test.ts needs)
//   --host-lib FILE  the library for the host's platform package, before dist/ (the test packs the
//                    very library the suite runs on, never a stale dist/)
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { binaryCpu } from "./binary-cpu";
import { detectLibc, PACKAGE_SCOPE, PLATFORMS, platformTarget, type PlatformTarget } from "../src/native-lib";

const ROOT = resolve(import.meta.dir, "..");
const args = process.argv.slice(2);
const hostOnly = args.includes("--host-only");
const outArg = args.indexOf("--out");
const OUT = outArg >= 0 && args[outArg + 1] ? resolve(args[outArg + 1]!) : join(ROOT, ".pack");
const hostLibArg = args.indexOf("--host-lib");
const hostLib = hostLibArg >= 0 && args[hostLibArg + 1] ? resolve(args[hostLibArg + 1]!) : null;

type Manifest = Record<string, unknown> & { name: string; version: string; files?: string[] };

function readJson(path: string): Manifest {
  return JSON.parse(readFileSync(path, "utf8")) as Manifest;
}

function fail(message: string): never {
  console.error(`pack: ${message}`);
  process.exit(1);
}

const main = readJson(join(ROOT, "package.json"));
const version = main.version;

// The platform manifests must agree with the resolver's table and be in lock-step with bun-nng.
const dirs = readdirSync(join(ROOT, "packages")).sort();
const keys = PLATFORMS.map((p) => p.key).sort();
if (dirs.join() !== keys.join()) fail(`packages/ holds ${dirs.join(", ")}; src/native-lib.ts lists ${keys.join(", ")}`);
for (const p of PLATFORMS) {
  const m = readJson(join(ROOT, "packages", p.key, "package.json"));
  if (m.name !== `${PACKAGE_SCOPE}/${p.key}`) fail(`packages/${p.key}/package.json is named ${m.name}`);
  if (m.version !== version) fail(`${m.name} is at ${m.version}, bun-nng at ${version}: versions move in lock-step`);
  if (m.files?.join() !== p.file) fail(`${m.name} must ship exactly ${p.file} (files: ${m.files?.join(", ")})`);
}

const host = platformTarget(process.platform, process.arch, process.platform === "linux" ? detectLibc() : undefined);

/** Where the library for `p` comes from, or null when there is none to pack. */
function librarySource(p: PlatformTarget): string | null {
  if (hostLib && p.key === host?.key) {
    if (!existsSync(hostLib)) fail(`--host-lib ${hostLib} does not exist`);
    return hostLib;
  }
  const dist = join(ROOT, "dist", p.key, p.file);
  if (existsSync(dist)) return dist;
  if (p.key !== host?.key) return null;
  if (process.env.BUN_NNG_LIB) return process.env.BUN_NNG_LIB;
  const built = p.os === "win32" ? join(ROOT, "zig-out", "bin", p.file) : join(ROOT, "zig-out", "lib", p.file);
  return existsSync(built) ? built : null;
}

function npmPack(dir: string): string {
  const run = Bun.spawnSync(["npm", "pack", "--silent", "--pack-destination", OUT], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (run.exitCode !== 0) fail(`npm pack in ${dir} failed:\n${run.stderr.toString()}`);
  const lines = run.stdout.toString().trim().split("\n");
  return lines[lines.length - 1]!.trim();
}

// Every library is chosen and checked before anything is written: a refusal changes nothing.
const chosen: { p: PlatformTarget; src: string }[] = [];
for (const p of PLATFORMS) {
  if (hostOnly && p.key !== host?.key) continue;
  const src = librarySource(p);
  if (!src) {
    console.log(`pack: ${PACKAGE_SCOPE}/${p.key}: no library (neither dist/${p.key}/${p.file} nor a host build), skipped`);
    continue;
  }
  const cpu = binaryCpu(new Uint8Array(readFileSync(src).buffer.slice(0, 4096)));
  if (cpu !== p.cpu) fail(`${src} is built for ${cpu ?? "an unknown format"}, not ${p.cpu}: not packing it as ${PACKAGE_SCOPE}/${p.key}`);
  chosen.push({ p, src });
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const packed: string[] = [];
for (const p of PLATFORMS) {
  // A full run removes every stale copy; --host-only touches the host's package alone.
  if (!hostOnly || p.key === host?.key) rmSync(join(ROOT, "packages", p.key, p.file), { force: true });
}
for (const { p, src } of chosen) {
  cpSync(src, join(ROOT, "packages", p.key, p.file));
  const tgz = npmPack(join(ROOT, "packages", p.key));
  const shown = src.startsWith(`${ROOT}/`) ? src.slice(ROOT.length + 1) : src;
  console.log(`pack: ${PACKAGE_SCOPE}/${p.key} <- ${shown}: ${tgz}`);
  packed.push(tgz);
}
if (packed.length === 0) fail("no platform library to pack: run `make build` (host) or `make dist`");

// The main package, staged so its manifest can carry the optionalDependencies.
const stage = join(OUT, "stage", "bun-nng");
mkdirSync(stage, { recursive: true });
for (const f of ["src", "README.md", "LICENSE"]) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
const { devDependencies: _dev, scripts: _scripts, ...published } = main;
published.optionalDependencies = Object.fromEntries(PLATFORMS.map((p) => [`${PACKAGE_SCOPE}/${p.key}`, version]));
writeFileSync(join(stage, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
const mainTgz = npmPack(stage);
rmSync(join(OUT, "stage"), { recursive: true, force: true });
console.log(`pack: bun-nng: ${mainTgz}`);
console.log(`pack: ${packed.length + 1} tarballs in ${OUT}`);
