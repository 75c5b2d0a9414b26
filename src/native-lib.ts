// Finds the native library (libbunnng) for this process. Looked for in this order:
//   1. BUN_NNG_LIB: a path to a custom build; used as given, and an error if it does not exist (an
//      explicit override never silently falls back to another build);
//   2. the checkout's own `zig build` output (zig-out/), when running from a clone of the repository
//      (recognised by its build.zig next to src/; the published package ships neither);
//   3. the prebuilt library of the platform package `@bun-nng/<platform>` that the package manager
//      installed from bun-nng's optionalDependencies (only the one matching os, cpu and libc).
// Otherwise: an error naming the platform and what to do. Every input of the decision (platform,
// arch, libc, environment, file existence, package resolution) can be injected, so the unit tests
// cover every branch without the platforms at hand.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type Libc = "glibc" | "musl";

/** A platform with a prebuilt library: its package `@bun-nng/<key>` holds `file`. */
export interface PlatformTarget {
  key: string;
  os: NodeJS.Platform;
  cpu: string;
  libc?: Libc;
  file: string;
}

/** Every platform a package is published for (packages/<key>/package.json; a test keeps them equal). */
export const PLATFORMS: readonly PlatformTarget[] = [
  { key: "linux-x64-gnu", os: "linux", cpu: "x64", libc: "glibc", file: "libbunnng.so" },
  { key: "linux-x64-musl", os: "linux", cpu: "x64", libc: "musl", file: "libbunnng.so" },
  { key: "linux-arm64-gnu", os: "linux", cpu: "arm64", libc: "glibc", file: "libbunnng.so" },
  { key: "linux-arm64-musl", os: "linux", cpu: "arm64", libc: "musl", file: "libbunnng.so" },
  { key: "darwin-x64", os: "darwin", cpu: "x64", file: "libbunnng.dylib" },
  { key: "darwin-arm64", os: "darwin", cpu: "arm64", file: "libbunnng.dylib" },
  { key: "win32-x64", os: "win32", cpu: "x64", file: "bunnng.dll" },
];

export const PACKAGE_SCOPE = "@bun-nng";

/** The checkout: the directory above src/. */
const CHECKOUT_ROOT = join(import.meta.dir, "..");

export interface ResolveInputs {
  platform: string;
  arch: string;
  /** Called only on Linux. */
  libc: () => Libc;
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  /** The directory of an installed package, or null when it cannot be resolved. */
  packageDir: (name: string) => string | null;
  /** Where the checkout would be (the directory holding build.zig and zig-out/). */
  checkoutRoot: string;
}

export type LibrarySource = "env" | "checkout" | "package";

export interface ResolvedLibrary {
  path: string;
  source: LibrarySource;
  /** The platform key, e.g. "linux-x64-gnu", or "<platform>-<arch>" when there is no package for it. */
  platform: string;
}

export class NativeLibraryError extends Error {
  override name = "NativeLibraryError";
}

/** The platform entry for `platform`/`arch`/`libc`, or undefined when none is published. */
export function platformTarget(platform: string, arch: string, libc?: Libc): PlatformTarget | undefined {
  return PLATFORMS.find((p) => p.os === platform && p.cpu === arch && (p.libc === undefined || p.libc === libc));
}

/** A readable name of the host: "linux-arm64 (musl)", "darwin-arm64". */
function describeHost(platform: string, arch: string, libc?: Libc): string {
  return libc ? `${platform}-${arch} (${libc})` : `${platform}-${arch}`;
}

/** The file name `zig build` gives the library on `platform` and where it installs it. */
function checkoutLibrary(root: string, platform: string): string {
  // zig installs a Windows DLL into bin/ (next to executables), shared objects elsewhere into lib/.
  if (platform === "win32") return join(root, "zig-out", "bin", "bunnng.dll");
  const ext = platform === "darwin" ? "dylib" : "so";
  return join(root, "zig-out", "lib", `libbunnng.${ext}`);
}

/** Decides which library to load; pure apart from the injected inputs. Throws NativeLibraryError. */
export function resolveNativeLibrary(inputs: ResolveInputs): ResolvedLibrary {
  const { platform, arch, env, exists } = inputs;
  const libc = platform === "linux" ? inputs.libc() : undefined;
  const target = platformTarget(platform, arch, libc);
  const key = target?.key ?? `${platform}-${arch}`;
  const host = describeHost(platform, arch, libc);

  const override = env.BUN_NNG_LIB;
  if (override) {
    if (!exists(override)) {
      throw new NativeLibraryError(
        `bun-nng: BUN_NNG_LIB points at ${override}, which does not exist. Point it at a built libbunnng ` +
          `(a checkout's \`make build\` writes zig-out/lib/libbunnng.so), or unset it to use the prebuilt library.`,
      );
    }
    return { path: override, source: "env", platform: key };
  }

  const tried: string[] = ["BUN_NNG_LIB (not set)"];
  const inCheckout = exists(join(inputs.checkoutRoot, "build.zig"));
  if (inCheckout) {
    const built = checkoutLibrary(inputs.checkoutRoot, platform);
    if (exists(built)) return { path: built, source: "checkout", platform: key };
    tried.push(`${built} (this checkout's build output: not built)`);
  }

  if (!target) {
    const supported = PLATFORMS.map((p) => p.key).join(", ");
    throw new NativeLibraryError(
      `bun-nng: no prebuilt native library for ${host}; prebuilt libraries exist for ${supported}. ` +
        `Build libbunnng from a checkout of bun-nng (\`make build\` needs only the project's own set-up) ` +
        `and set BUN_NNG_LIB to the built file. Looked at: ${tried.join("; ")}.`,
    );
  }

  const name = `${PACKAGE_SCOPE}/${target.key}`;
  const dir = inputs.packageDir(name);
  if (dir) {
    const file = join(dir, target.file);
    if (exists(file)) return { path: file, source: "package", platform: key };
    tried.push(`${file} (package ${name} is installed but holds no ${target.file})`);
  } else {
    tried.push(`package ${name} (not installed)`);
  }
  const build = inCheckout
    ? "run `make build` in this checkout"
    : "or build libbunnng from a checkout of bun-nng (`make build`) and set BUN_NNG_LIB to it";
  throw new NativeLibraryError(
    `bun-nng: no native library for ${host}. The prebuilt one comes in the package ${name}, an ` +
      `optionalDependency of bun-nng that the package manager installs only on a matching platform: ` +
      `reinstall without skipping optional dependencies (or \`bun add ${name}\`), ${build}. ` +
      `Looked at: ${tried.join("; ")}.`,
  );
}

/**
 * The C library this process runs on (Linux): what the loader mapped into it, which is what a
 * dlopen'd library must match; failing that, whether the system has musl's loader.
 */
export function detectLibc(): Libc {
  try {
    const maps = readFileSync("/proc/self/maps", "utf8");
    if (/\/ld-musl-[^/\s]*\.so/.test(maps) || /\/libc\.musl-[^/\s]*\.so/.test(maps)) return "musl";
    if (/\/(libc\.so\.6|ld-linux[^/\s]*\.so)/.test(maps)) return "glibc";
  } catch {
    // no /proc (a sandbox): fall through to the report and the file system
  }
  const report = (process as { report?: { getReport?: () => unknown } }).report?.getReport?.() as
    | { header?: { glibcVersionRuntime?: string } }
    | undefined;
  if (report?.header?.glibcVersionRuntime) return "glibc";
  try {
    if (readdirSync("/lib").some((f) => f.startsWith("ld-musl-"))) return "musl";
  } catch {
    // no /lib: assume glibc, the common case
  }
  return "glibc";
}

/** The installed directory of `name`, resolved from this file as `import "<name>"` would be. */
function installedPackageDir(name: string): string | null {
  try {
    return dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
  } catch {
    return null;
  }
}

/** The library this process should load. */
export function nativeLibrary(): ResolvedLibrary {
  return resolveNativeLibrary({
    platform: process.platform,
    arch: process.arch,
    libc: detectLibc,
    env: process.env,
    exists: existsSync,
    packageDir: installedPackageDir,
    checkoutRoot: CHECKOUT_ROOT,
  });
}
