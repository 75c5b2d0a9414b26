//! Builds libbunnng: NNG and Mbed TLS compiled from source (every protocol; inproc, ipc, tcp, tls, ws/wss
//! transports; TLS through Mbed TLS) together with the Zig shim in zig/, as one shared library that
//! bun:ffi loads. Written for Zig 0.15.2 (the pinned `ziglang` from PyPI).
//!
//!   zig build                      -> zig-out/lib/libbunnng.so (ReleaseFast by default)
//!   zig build test                 -> Zig unit tests of the completion ring and op pool
//!   zig build -Dnng-src=/path      -> another NNG 2.x source tree (the Makefile passes NNG_SRC)
//!   zig build -Dmbedtls-src=/path  -> another Mbed TLS 3.6.x source tree (the Makefile passes MBEDTLS_SRC)
//!   zig build dist --prefix dist   -> ReleaseFast libraries for every platform of `dist_platforms`,
//!                                     cross-compiled, in dist/<platform>/ (what `make dist` runs)
//!
//! NNG's C is configured per target OS the way its CMake configures it (Linux, macOS, Windows; see
//! addNng), and Mbed TLS likewise compiles for each, so one host cross-compiles every platform.
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimization mode (default ReleaseFast)") orelse
        .ReleaseFast;
    const nng_src = b.option([]const u8, "nng-src", "NNG source tree (default vendor/nng/src)") orelse
        "vendor/nng/src";
    const mbedtls_src = b.option([]const u8, "mbedtls-src", "Mbed TLS 3.6 source tree (default vendor/mbedtls/src)") orelse
        "vendor/mbedtls/src";
    const sanitize = b.option(bool, "sanitize", "Build NNG's C with UBSan traps (debugging)") orelse false;

    const c_sources = CSources{
        .nng_root = sourceRoot(b, nng_src),
        .nng_files = collectNngSources(b, nng_src) catch |err| {
            std.debug.panic("cannot list NNG sources under '{s}' ({s}); run `make setup` first", .{ nng_src, @errorName(err) });
        },
        .mbedtls_root = sourceRoot(b, mbedtls_src),
        .mbedtls_files = collectMbedtlsSources(b, mbedtls_src) catch |err| {
            std.debug.panic("cannot list Mbed TLS sources under '{s}' ({s}); run `make setup` first", .{ mbedtls_src, @errorName(err) });
        },
    };

    const lib = addShim(b, c_sources, target, optimize, sanitize, false);
    b.installArtifact(lib);

    // Zig unit tests: the ring and pool are plain Zig and need no NNG.
    const test_mod = b.createModule(.{
        .root_source_file = b.path("zig/tests.zig"),
        .target = target,
        .optimize = .Debug,
        .link_libc = true,
    });
    const tests = b.addTest(.{ .root_module = test_mod });
    const run_tests = b.addRunArtifact(tests);
    b.step("test", "Run the shim's Zig unit tests").dependOn(&run_tests.step);

    // The native side of the comparison benchmark (bench/compare): a C program on the same NNG build
    // as the shim (the same sources, defines and flags, through addNng), without the shim.
    //   zig build bench-native -> zig-out/bin/nng-bench
    const bench_mod = b.createModule(.{ .target = target, .optimize = optimize, .link_libc = true });
    addNng(b, bench_mod, c_sources, target, sanitize);
    bench_mod.addCSourceFile(.{
        .file = b.path("bench/native/nng_bench.c"),
        .flags = &.{ "-std=gnu99", "-Wall", "-Wextra", "-Werror", "-fno-sanitize=undefined" },
    });
    const bench_exe = b.addExecutable(.{ .name = "nng-bench", .root_module = bench_mod });

    // A C driver of the shim's C ABI without JavaScript, for valgrind (make test-valgrind). It loads
    // the library with dlopen, as Bun does, so it is built apart from it.
    //   zig build harness -> zig-out/bin/bnng-harness
    const harness_mod = b.createModule(.{ .target = target, .optimize = .Debug, .link_libc = true });
    harness_mod.addCSourceFile(.{
        .file = b.path("test/native/harness.c"),
        .flags = &.{ "-std=gnu99", "-Wall", "-Wextra", "-Werror", "-fno-sanitize=undefined" },
    });
    const harness_exe = b.addExecutable(.{ .name = "bnng-harness", .root_module = harness_mod });
    b.step("harness", "Build zig-out/bin/bnng-harness, the valgrind driver of the shim's C ABI")
        .dependOn(&b.addInstallArtifact(harness_exe, .{}).step);
    b.step("bench-native", "Build zig-out/bin/nng-bench, the native C side of bench/compare")
        .dependOn(&b.addInstallArtifact(bench_exe, .{}).step);

    // Every prebuilt platform, cross-compiled in one build graph, each into <prefix>/<platform>/
    // under the library name bun:ffi loads there. Always ReleaseFast and stripped (debug info is
    // not shipped); -Doptimize and -Dtarget do not apply.
    const dist = b.step("dist", "Build the library for every platform into <prefix>/<platform>/ (make dist: dist/)");
    for (dist_platforms) |platform| {
        const query = std.Target.Query.parse(.{ .arch_os_abi = platform.triple }) catch |err| {
            std.debug.panic("bad target triple '{s}': {s}", .{ platform.triple, @errorName(err) });
        };
        const dist_lib = addShim(b, c_sources, b.resolveTargetQuery(query), .ReleaseFast, false, true);
        const install = b.addInstallArtifact(dist_lib, .{
            .dest_dir = .{ .override = .{ .custom = platform.name } },
            .implib_dir = .disabled, // Windows: bun:ffi loads the DLL itself, no import library
            .pdb_dir = .disabled,
            .h_dir = .disabled,
        });
        dist.dependOn(&install.step);
    }
}

/// The platforms of `make dist`: directory names (Node's `${process.platform}-${process.arch}`, with
/// the C library for Linux) and Zig target triples. The npm packages are built on these names.
/// Linux glibc targets link against glibc 2.28 symbol versions (Debian 10, Ubuntu 18.10, RHEL 8
/// and later load them); macOS ones need macOS 11 or later; Windows 10 or later (Zig's mingw-w64 and
/// its UCRT; NNG itself asks for Vista).
pub const dist_platforms = [_]struct { name: []const u8, triple: []const u8 }{
    .{ .name = "linux-x64-gnu", .triple = "x86_64-linux-gnu.2.28" },
    .{ .name = "linux-x64-musl", .triple = "x86_64-linux-musl" },
    .{ .name = "linux-arm64-gnu", .triple = "aarch64-linux-gnu.2.28" },
    .{ .name = "linux-arm64-musl", .triple = "aarch64-linux-musl" },
    .{ .name = "darwin-x64", .triple = "x86_64-macos.11.0" },
    .{ .name = "darwin-arm64", .triple = "aarch64-macos.11.0" },
    .{ .name = "win32-x64", .triple = "x86_64-windows-gnu" },
};

/// The shim as one shared library for `target`: the Zig code of zig/, NNG, Mbed TLS, zig/tls_cert.c.
fn addShim(
    b: *std.Build,
    c_sources: CSources,
    target: std.Build.ResolvedTarget,
    optimize: std.builtin.OptimizeMode,
    sanitize: bool,
    strip: bool,
) *std.Build.Step.Compile {
    const lib_mod = b.createModule(.{
        .root_source_file = b.path("zig/exports.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
        .pic = true,
        .strip = if (strip) true else null,
        // Debug builds: threads the shim spawns (device, waitAsync) crashed on a null error-return
        // trace when they caught an error; the library has no use for the traces.
        .error_tracing = false,
    });
    addNng(b, lib_mod, c_sources, target, sanitize);
    // writeCert's certificate generation: the shim's one C file, against the headers and the
    // configuration Mbed TLS and NNG's Mbed TLS engine are compiled with (addNng). Hidden visibility
    // keeps its symbol out of the library's exports (only bnng_* from zig/exports.zig are exported).
    lib_mod.addCSourceFile(.{
        .file = b.path("zig/tls_cert.c"),
        .flags = &.{ "-std=c99", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden", "-fno-sanitize=undefined" },
    });
    return b.addLibrary(.{ .name = "bunnng", .linkage = .dynamic, .root_module = lib_mod });
}

/// The C sources compiled into the shim: NNG and Mbed TLS, each a tree and its files relative to it.
const CSources = struct {
    nng_root: std.Build.LazyPath,
    nng_files: []const []const u8,
    mbedtls_root: std.Build.LazyPath,
    mbedtls_files: []const []const u8,
};

fn sourceRoot(b: *std.Build, path: []const u8) std.Build.LazyPath {
    return if (std.fs.path.isAbsolute(path)) .{ .cwd_relative = path } else b.path(path);
}

fn openSourceDir(b: *std.Build, path: []const u8) !std.fs.Dir {
    return if (std.fs.path.isAbsolute(path))
        std.fs.openDirAbsolute(path, .{ .iterate = true })
    else
        b.build_root.handle.openDir(path, .{ .iterate = true });
}

fn sortPaths(paths: [][]const u8) void {
    std.mem.sort([]const u8, paths, {}, struct {
        fn lessThan(_: void, a: []const u8, c: []const u8) bool {
            return std.mem.lessThan(u8, a, c);
        }
    }.lessThan);
}

/// Every library/*.c of Mbed TLS 3.6 (what its CMake builds into libmbedcrypto, libmbedx509 and
/// libmbedtls; modules the configuration leaves out compile to nothing). 3rdparty/ (Everest, p256-m)
/// is only used by configurations that turn it on, and ours does not.
fn collectMbedtlsSources(b: *std.Build, mbedtls_src: []const u8) ![]const []const u8 {
    var files: std.ArrayList([]const u8) = .empty;
    var dir = try openSourceDir(b, b.pathJoin(&.{ mbedtls_src, "library" }));
    defer dir.close();
    var it = dir.iterate();
    while (try it.next()) |entry| {
        if (entry.kind != .file or !std.mem.endsWith(u8, entry.name, ".c")) continue;
        try files.append(b.allocator, b.pathJoin(&.{ "library", entry.name }));
    }
    sortPaths(files.items);
    std.debug.assert(files.items.len > 50);
    return files.items;
}

/// Every C file NNG 2.0's CMake would build with all protocols, the inproc, ipc, tcp, tls and
/// websocket transports, HTTP, and the Mbed TLS engine, for any of the supported platforms (addNng
/// picks the platform's own files out of it). Left out: the udp, dtls and socket (file descriptor)
/// transports, which the library does not offer, the other TLS engines and the stubs that stand in
/// when TLS or websocket support is off. Listed by walking the tree so that another NNG 2.x release
/// builds without editing this file.
fn collectNngSources(b: *std.Build, nng_src: []const u8) ![]const []const u8 {
    var files: std.ArrayList([]const u8) = .empty;
    const src_dir_path = b.pathJoin(&.{ nng_src, "src" });
    var dir = try openSourceDir(b, src_dir_path);
    defer dir.close();

    var walker = try dir.walk(b.allocator);
    defer walker.deinit();
    while (try walker.next()) |entry| {
        if (entry.kind != .file) continue;
        const path = entry.path;
        if (!std.mem.endsWith(u8, path, ".c")) continue;
        if (containsAny(path, &.{
            "_test.c",          "testing/",         "tools/",               "wolfssl/",
            "openssl/",         "tls_stubs.c",      "websocket/stub.c",     "transport/udp/",
            "transport/dtls/",  "transport/socket/",
        })) continue;
        try files.append(b.allocator, b.pathJoin(&.{ "src", path }));
    }
    sortPaths(files.items);
    std.debug.assert(files.items.len > 50);
    return files.items;
}

/// NNG's TLS connection layer, compiled apart (see addNng).
const tls_common_c = "src/supplemental/tls/tls_common.c";

fn containsAny(path: []const u8, parts: []const []const u8) bool {
    for (parts) |part| {
        if (std.mem.indexOf(u8, path, part) != null) return true;
    }
    return false;
}

/// The platform layer NNG's CMake selects (src/platform/{posix,windows}/CMakeLists.txt): Windows
/// gets platform/windows; Linux and macOS get platform/posix with one poller and one random source
/// each (Linux: epoll and getrandom, which glibc 2.28 and musl both have, unlike arc4random; macOS:
/// kqueue and arc4random).
fn nngSourceForOs(path: []const u8, os: std.Target.Os.Tag) bool {
    const other_platform_files: []const []const u8 = switch (os) {
        .linux => &.{
            "windows/",                "posix_pollq_poll.c",       "posix_pollq_kqueue.c",
            "posix_pollq_port.c",      "posix_pollq_select.c",     "posix_rand_arc4random.c",
            "posix_rand_getentropy.c", "posix_rand_urandom.c",
        },
        .macos => &.{
            "windows/",                "posix_pollq_poll.c",       "posix_pollq_epoll.c",
            "posix_pollq_port.c",      "posix_pollq_select.c",     "posix_rand_getrandom.c",
            "posix_rand_getentropy.c", "posix_rand_urandom.c",
        },
        .windows => &.{"posix/"},
        else => unreachable, // addNng refused the OS already
    };
    return !containsAny(path, other_platform_files);
}

fn addNng(
    b: *std.Build,
    mod: *std.Build.Module,
    src: CSources,
    target: std.Build.ResolvedTarget,
    sanitize: bool,
) void {
    mod.addIncludePath(src.nng_root.path(b, "include"));
    mod.addIncludePath(src.nng_root.path(b, "src"));
    // Mbed TLS's headers with the shim's configuration, for NNG's engine, zig/tls_cert.c and Mbed TLS.
    mod.addIncludePath(src.mbedtls_root.path(b, "include"));
    mod.addIncludePath(b.path("zig/mbedtls_config"));
    mod.addCMacro("MBEDTLS_USER_CONFIG_FILE", "\"bunnng_mbedtls_config.h\"");

    const os = target.result.os.tag;
    if (os != .linux and os != .macos and os != .windows) {
        std.debug.panic("unsupported target OS '{s}': the shim builds for linux, macos and windows", .{@tagName(os)});
    }

    const defines = [_][2][]const u8{
        .{ "NNG_PRIVATE", "1" },
        .{ "NNG_STATIC_LIB", "1" },
        .{ "NNG_ENABLE_STATS", "1" },
        .{ "NNG_ENABLE_IPV6", "1" },
        .{ "NNG_RESOLV_CONCURRENCY", "4" },
        .{ "NNG_MAX_TASKQ_THREADS", "16" },
        .{ "NNG_MAX_EXPIRE_THREADS", "8" },
        .{ "NNG_MAX_POLLER_THREADS", "8" },
        // NNG 2.0's default (1 GiB), written down so that the build does not depend on CMake's cache.
        .{ "NNG_RECVMAXSZ_DEFAULT", "1073741824" },
        // Every target of the library is little-endian (x86_64, aarch64).
        .{ "NNG_LITTLE_ENDIAN", "1" },
        // Protocols: all of them.
        .{ "NNG_HAVE_BUS0", "1" },
        .{ "NNG_HAVE_PAIR0", "1" },
        .{ "NNG_HAVE_PAIR1", "1" },
        .{ "NNG_HAVE_PUB0", "1" },
        .{ "NNG_HAVE_SUB0", "1" },
        .{ "NNG_HAVE_PUSH0", "1" },
        .{ "NNG_HAVE_PULL0", "1" },
        .{ "NNG_HAVE_REQ0", "1" },
        .{ "NNG_HAVE_REP0", "1" },
        .{ "NNG_HAVE_SURVEYOR0", "1" },
        .{ "NNG_HAVE_RESPONDENT0", "1" },
        // Transports and the supplemental pieces they need.
        .{ "NNG_TRANSPORT_INPROC", "1" },
        .{ "NNG_TRANSPORT_IPC", "1" },
        .{ "NNG_TRANSPORT_TCP", "1" },
        .{ "NNG_TRANSPORT_TLS", "1" },
        .{ "NNG_TRANSPORT_WS", "1" },
        .{ "NNG_TRANSPORT_WSS", "1" },
        .{ "NNG_SUPP_HTTP", "1" },
        .{ "NNG_SUPP_TLS", "1" },
        .{ "NNG_SUPP_TLS_PSK", "1" },
        .{ "NNG_TLS_ENGINE_MBEDTLS", "1" },
        .{ "NNG_SUPP_WEBSOCKET", "1" },
    };
    for (defines) |d| mod.addCMacro(d[0], d[1]);

    // Per platform, what NNG's CMake defines (CMakeLists.txt) and what its feature checks
    // (src/platform/*/CMakeLists.txt) find there. Cross-compiling runs no checks, so the results are
    // written down: for Linux, glibc 2.28 and musl both have every function named; for macOS 11.
    const posix_defines = [_][2][]const u8{
        .{ "NNG_PLATFORM_POSIX", "1" },
        .{ "NNG_HIDDEN_VISIBILITY", "1" },
        .{ "_GNU_SOURCE", "1" },
        .{ "_REENTRANT", "1" },
        .{ "_THREAD_SAFE", "1" },
        .{ "_POSIX_PTHREAD_SEMANTICS", "1" },
        .{ "NNG_HAVE_LOCKF", "1" },
        .{ "NNG_HAVE_FLOCK", "1" },
        .{ "NNG_HAVE_CLOCK_GETTIME", "1" },
        .{ "NNG_HAVE_SEMAPHORE_PTHREAD", "1" },
        .{ "NNG_HAVE_PTHREAD_ATFORK_PTHREAD", "1" },
        .{ "NNG_HAVE_PTHREAD_SETNAME_NP", "1" },
        .{ "NNG_HAVE_UNIX_SOCKETS", "1" },
        .{ "NNG_HAVE_MSG_CONTROL", "1" },
        .{ "NNG_HAVE_STDATOMIC", "1" },
        .{ "NNG_HAVE_INET6", "1" },
        .{ "NNG_HAVE_RECVMSG", "1" },
        .{ "NNG_HAVE_SENDMSG", "1" },
        .{ "NNG_HAVE_SOCKETPAIR", "1" },
        .{ "NNG_HAVE_STRCASECMP", "1" },
        .{ "NNG_HAVE_STRNCASECMP", "1" },
        .{ "NNG_HAVE_STRNLEN", "1" },
        .{ "NNG_HAVE_LOCALTIME_R", "1" },
    };
    const linux_defines = [_][2][]const u8{
        .{ "NNG_PLATFORM_LINUX", "1" },
        .{ "NNG_USE_EVENTFD", "1" },
        .{ "NNG_HAVE_ABSTRACT_SOCKETS", "1" },
        .{ "NNG_HAVE_GETRANDOM", "1" },
        .{ "NNG_HAVE_EVENTFD", "1" },
        .{ "NNG_HAVE_EPOLL", "1" },
        .{ "NNG_HAVE_EPOLL_CREATE1", "1" },
        .{ "NNG_HAVE_SOPEERCRED", "1" },
        .{ "NNG_POLLQ_EPOLL", "1" },
    };
    // macOS 11: what src/platform/posix/CMakeLists.txt and src/core/CMakeLists.txt find there beyond
    // posix_defines. Not found there: getrandom, eventfd, epoll, SO_PEERCRED, the GNU strerror_r, and
    // NNG_HAVE_INET6_BSD (macOS's netinet6/in6.h refuses to be included on its own). The random
    // source is arc4random (CMake's first choice, posix_rand_arc4random.c), the poller kqueue.
    const macos_defines = [_][2][]const u8{
        .{ "NNG_PLATFORM_DARWIN", "1" },
        .{ "NNG_HAVE_ARC4RANDOM", "1" },
        .{ "NNG_HAVE_GETENTROPY", "1" },
        .{ "NNG_HAVE_SYS_RANDOM", "1" },
        .{ "NNG_HAVE_KQUEUE", "1" },
        .{ "NNG_HAVE_POLL", "1" },
        .{ "NNG_HAVE_SELECT", "1" },
        .{ "NNG_HAVE_GETPEEREID", "1" },
        .{ "NNG_HAVE_LOCALPEERCRED", "1" },
        .{ "NNG_HAVE_LOCALPEERPID", "1" },
        .{ "NNG_HAVE_BACKTRACE", "1" },
        .{ "NNG_HAVE_TIMESPEC_GET", "1" },
        .{ "NNG_HAVE_STRLCPY", "1" },
        .{ "NNG_HAVE_SYSLOG", "1" },
        .{ "NNG_POLLQ_KQUEUE", "1" },
    };
    // Windows: what NNG's CMake defines there and what its checks (src/platform/windows/ and
    // src/core/CMakeLists.txt) find in Zig's mingw-w64 headers. afunix.h is there, hence
    // NNG_HAVE_UNIX_SOCKETS: as in NNG 2.0's own Windows builds, ipc:// (and unix://) are AF_UNIX
    // sockets (Windows 10 1803 and later), and Windows named pipes are the winpipe:// scheme.
    // strcasecmp and strncasecmp are found too, but NNG uses _stricmp/_strnicmp on Windows anyway;
    // localtime_r is not (mingw-w64 declares it only with _POSIX_C_SOURCE), nor strlcpy or syslog.
    const windows_defines = [_][2][]const u8{
        .{ "NNG_PLATFORM_WINDOWS", "1" },
        .{ "_CRT_SECURE_NO_WARNINGS", "1" },
        .{ "_CRT_RAND_S", "1" },
        .{ "NNG_HAVE_CONDVAR", "1" },
        .{ "NNG_HAVE_SNPRINTF", "1" },
        .{ "NNG_HAVE_TIMESPEC_GET", "1" },
        .{ "NNG_HAVE_UNIX_SOCKETS", "1" },
        .{ "NNG_HAVE_STRNLEN", "1" },
        .{ "NNG_HAVE_STRCASECMP", "1" },
        .{ "NNG_HAVE_STRNCASECMP", "1" },
        // (NNG's CMake also sets _WIN32_WINNT=0x0600, Vista; Zig already defines it for the
        // target's minimum Windows version, 10, which has every API NNG asks for.)
    };
    const platform_defines: []const [2][]const u8 = switch (os) {
        .linux => &(posix_defines ++ linux_defines),
        .macos => &(posix_defines ++ macos_defines),
        .windows => &windows_defines,
        else => unreachable,
    };
    for (platform_defines) |d| mod.addCMacro(d[0], d[1]);
    // backtrace() and the GNU strerror_r (returning char *) are glibc's; musl has neither.
    if (os == .linux and target.result.abi.isGnu()) {
        mod.addCMacro("NNG_HAVE_BACKTRACE", "1");
        mod.addCMacro("NNG_HAVE_GNU_STRERROR_R", "1");
    }

    var nng_files: std.ArrayList([]const u8) = .empty;
    for (src.nng_files) |path| {
        if (std.mem.eql(u8, path, tls_common_c)) continue; // below, with its two renamed functions
        if (nngSourceForOs(path, os)) nng_files.append(b.allocator, path) catch @panic("OOM");
    }

    var flags: std.ArrayList([]const u8) = .empty;
    flags.appendSlice(b.allocator, if (sanitize)
        &.{ "-std=gnu99", "-fno-strict-aliasing", "-fvisibility=hidden", "-fsanitize=undefined", "-fsanitize-trap=undefined", "-fno-sanitize=function", "-fno-sanitize=nonnull-attribute" }
    else
        &.{ "-std=gnu99", "-fno-strict-aliasing", "-fvisibility=hidden", "-fno-sanitize=undefined" }) catch @panic("OOM");
    mod.addCSourceFiles(.{ .root = src.nng_root, .files = nng_files.items, .flags = flags.items });
    // NNG 2.0's TLS connections never end a receive or send queued after their transport failed:
    // zig/nng_tls_fix.c wraps nni_tls_recv / nni_tls_send (see there), so tls_common.c is compiled
    // with its own two renamed.
    var tls_flags: std.ArrayList([]const u8) = .empty;
    tls_flags.appendSlice(b.allocator, flags.items) catch @panic("OOM");
    tls_flags.appendSlice(b.allocator, &.{ "-Dnni_tls_recv=nni_tls_recv_nng", "-Dnni_tls_send=nni_tls_send_nng" }) catch @panic("OOM");
    mod.addCSourceFile(.{ .file = src.nng_root.path(b, tls_common_c), .flags = tls_flags.items });
    mod.addCSourceFile(.{ .file = b.path("zig/nng_tls_fix.c"), .flags = flags.items });

    // Mbed TLS, compiled in (no libmbed* at run time), its symbols hidden like NNG's. Never with
    // UBSan: the sanitizer build is for NNG and the shim.
    mod.addCSourceFiles(.{
        .root = src.mbedtls_root,
        .files = src.mbedtls_files,
        .flags = &.{ "-std=c99", "-fvisibility=hidden", "-fno-sanitize=undefined" },
    });

    const system = std.Build.Module.LinkSystemLibraryOptions{ .use_pkg_config = .no };
    switch (os) {
        .linux => mod.linkSystemLibrary("pthread", system),
        .macos => {}, // libSystem has it all
        .windows => {
            // NNG's Windows libraries (src/platform/windows/CMakeLists.txt; advapi32 also gives the
            // shim's random bytes, RtlGenRandom), and bcrypt for Mbed TLS 3.6's entropy source
            // (BCryptGenRandom; its own CMake links ws2_32 and bcrypt).
            for ([_][]const u8{ "ws2_32", "mswsock", "advapi32", "bcrypt" }) |name| mod.linkSystemLibrary(name, system);
            // Mbed TLS's mutexes (MBEDTLS_THREADING_ALT, see zig/mbedtls_config/).
            mod.addCSourceFile(.{
                .file = b.path("zig/mbedtls_threading_win.c"),
                .flags = &.{ "-std=c99", "-Wall", "-Wextra", "-Werror", "-fno-sanitize=undefined" },
            });
        },
        else => unreachable,
    }
}
