//! Builds libbunnng: NNG compiled from source (every protocol; inproc, ipc, tcp, tls, ws/wss
//! transports; TLS through Mbed TLS) together with the Zig shim in zig/, as one shared library that
//! bun:ffi loads. Written for Zig 0.15.2 (the pinned `ziglang` from PyPI).
//!
//!   zig build                      -> zig-out/lib/libbunnng.so (ReleaseFast by default)
//!   zig build test                 -> Zig unit tests of the completion ring and op pool
//!   zig build -Dnng-src=/path      -> any NNG 1.x source tree (the Makefile passes NNG_SRC)
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.option(std.builtin.OptimizeMode, "optimize", "Optimization mode (default ReleaseFast)") orelse
        .ReleaseFast;
    const nng_src = b.option([]const u8, "nng-src", "NNG source tree (default vendor/nng/src)") orelse
        "vendor/nng/src";
    const sanitize = b.option(bool, "sanitize", "Build NNG's C with UBSan traps (debugging)") orelse false;

    const nng_root: std.Build.LazyPath = if (std.fs.path.isAbsolute(nng_src))
        .{ .cwd_relative = nng_src }
    else
        b.path(nng_src);

    const nng_files = collectNngSources(b, nng_src) catch |err| {
        std.debug.panic("cannot list NNG sources under '{s}' ({s}); run `make setup` first", .{ nng_src, @errorName(err) });
    };

    const lib_mod = b.createModule(.{
        .root_source_file = b.path("zig/exports.zig"),
        .target = target,
        .optimize = optimize,
        .link_libc = true,
        .pic = true,
        // Debug builds: threads the shim spawns (device, waitAsync) crashed on a null error-return
        // trace when they caught an error; the library has no use for the traces.
        .error_tracing = false,
    });
    addNng(b, lib_mod, nng_root, nng_files, target, sanitize);
    // writeCert's certificate generation: the shim's one C file, against Mbed TLS's own headers
    // (the system include path NNG's Mbed TLS engine is compiled with). Hidden visibility keeps its
    // symbol out of the library's exports (only bnng_* from zig/exports.zig are exported).
    lib_mod.addCSourceFile(.{
        .file = b.path("zig/tls_cert.c"),
        .flags = &.{ "-std=c99", "-Wall", "-Wextra", "-Werror", "-fvisibility=hidden", "-fno-sanitize=undefined" },
    });

    const lib = b.addLibrary(.{ .name = "bunnng", .linkage = .dynamic, .root_module = lib_mod });
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
    addNng(b, bench_mod, nng_root, nng_files, target, sanitize);
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
}

/// Every C file NNG's CMake would build for a Linux/POSIX target with all protocols, the inproc,
/// ipc, tcp, tls and websocket transports, HTTP, and Mbed TLS. Listed by walking the tree so that
/// another NNG 1.x release builds without editing this file.
fn collectNngSources(b: *std.Build, nng_src: []const u8) ![]const []const u8 {
    var files: std.ArrayList([]const u8) = .empty;
    const src_dir_path = b.pathJoin(&.{ nng_src, "src" });
    var dir = if (std.fs.path.isAbsolute(src_dir_path))
        try std.fs.openDirAbsolute(src_dir_path, .{ .iterate = true })
    else
        try b.build_root.handle.openDir(src_dir_path, .{ .iterate = true });
    defer dir.close();

    var walker = try dir.walk(b.allocator);
    defer walker.deinit();
    while (try walker.next()) |entry| {
        if (entry.kind != .file) continue;
        const path = entry.path;
        if (!std.mem.endsWith(u8, path, ".c")) continue;
        if (!nngSourceWanted(path)) continue;
        try files.append(b.allocator, b.pathJoin(&.{ "src", path }));
    }
    std.mem.sort([]const u8, files.items, {}, struct {
        fn lessThan(_: void, a: []const u8, c: []const u8) bool {
            return std.mem.lessThan(u8, a, c);
        }
    }.lessThan);
    std.debug.assert(files.items.len > 50);
    return files.items;
}

fn nngSourceWanted(path: []const u8) bool {
    const excluded_parts = [_][]const u8{
        "_test.c",      "compat/",       "testing/",       "tools/",     "windows/",
        "zerotier/",    "wolfssl/",      "websocket/stub.c",
        // Poller and random-source variants for other platforms; Linux uses epoll and getrandom.
        "posix_pollq_poll.c", "posix_pollq_kqueue.c", "posix_pollq_port.c",
        "posix_rand_arc4random.c", "posix_rand_urandom.c",
    };
    for (excluded_parts) |part| {
        if (std.mem.indexOf(u8, path, part) != null) return false;
    }
    return true;
}

fn addNng(
    b: *std.Build,
    mod: *std.Build.Module,
    nng_root: std.Build.LazyPath,
    files: []const []const u8,
    target: std.Build.ResolvedTarget,
    sanitize: bool,
) void {
    _ = b;
    mod.addIncludePath(nng_root.path(mod.owner, "include"));
    mod.addIncludePath(nng_root.path(mod.owner, "src"));

    const defines = [_][2][]const u8{
        .{ "NNG_PRIVATE", "1" },          .{ "NNG_STATIC_LIB", "1" },
        .{ "NNG_HIDDEN_VISIBILITY", "1" }, .{ "NNG_ENABLE_STATS", "1" },
        .{ "NNG_PLATFORM_POSIX", "1" },   .{ "NNG_PLATFORM_LINUX", "1" },
        .{ "NNG_USE_EVENTFD", "1" },      .{ "NNG_HAVE_ABSTRACT_SOCKETS", "1" },
        .{ "_GNU_SOURCE", "1" },          .{ "_REENTRANT", "1" },
        .{ "_THREAD_SAFE", "1" },         .{ "_POSIX_PTHREAD_SEMANTICS", "1" },
        .{ "NNG_HAVE_LOCKF", "1" },       .{ "NNG_HAVE_FLOCK", "1" },
        .{ "NNG_HAVE_GETRANDOM", "1" },   .{ "NNG_HAVE_CLOCK_GETTIME", "1" },
        .{ "NNG_HAVE_SEMAPHORE_PTHREAD", "1" }, .{ "NNG_HAVE_PTHREAD_ATFORK_PTHREAD", "1" },
        .{ "NNG_HAVE_PTHREAD_SETNAME_NP", "1" }, .{ "NNG_HAVE_UNIX_SOCKETS", "1" },
        .{ "NNG_HAVE_MSG_CONTROL", "1" }, .{ "NNG_HAVE_EVENTFD", "1" },
        .{ "NNG_HAVE_EPOLL", "1" },       .{ "NNG_HAVE_EPOLL_CREATE1", "1" },
        .{ "NNG_HAVE_SOPEERCRED", "1" },  .{ "NNG_HAVE_STDATOMIC", "1" },
        .{ "NNG_RESOLV_CONCURRENCY", "4" },
        .{ "NNG_MAX_TASKQ_THREADS", "16" },
        // Protocols: all of them.
        .{ "NNG_HAVE_BUS0", "1" },        .{ "NNG_HAVE_PAIR0", "1" },
        .{ "NNG_HAVE_PAIR1", "1" },       .{ "NNG_HAVE_PUB0", "1" },
        .{ "NNG_HAVE_SUB0", "1" },        .{ "NNG_HAVE_PUSH0", "1" },
        .{ "NNG_HAVE_PULL0", "1" },       .{ "NNG_HAVE_REQ0", "1" },
        .{ "NNG_HAVE_REP0", "1" },        .{ "NNG_HAVE_SURVEYOR0", "1" },
        .{ "NNG_HAVE_RESPONDENT0", "1" },
        // Transports and the supplemental pieces they need.
        .{ "NNG_TRANSPORT_INPROC", "1" }, .{ "NNG_TRANSPORT_IPC", "1" },
        .{ "NNG_TRANSPORT_TCP", "1" },    .{ "NNG_TRANSPORT_TLS", "1" },
        .{ "NNG_TRANSPORT_WS", "1" },     .{ "NNG_TRANSPORT_WSS", "1" },
        .{ "NNG_SUPP_HTTP", "1" },        .{ "NNG_SUPP_TLS", "1" },
        .{ "NNG_SUPP_WEBSOCKET", "1" },
        .{ "NNG_TLS_ENGINE_INIT", "nng_tls_engine_init_mbed" },
        .{ "NNG_TLS_ENGINE_FINI", "nng_tls_engine_fini_mbed" },
    };
    for (defines) |d| mod.addCMacro(d[0], d[1]);
    if (target.result.abi.isGnu()) mod.addCMacro("NNG_HAVE_BACKTRACE", "1");

    const flags: []const []const u8 = if (sanitize)
        &.{ "-std=gnu99", "-fno-strict-aliasing", "-fvisibility=hidden", "-fsanitize=undefined", "-fsanitize-trap=undefined", "-fno-sanitize=function", "-fno-sanitize=nonnull-attribute" }
    else
        &.{ "-std=gnu99", "-fno-strict-aliasing", "-fvisibility=hidden", "-fno-sanitize=undefined" };
    mod.addCSourceFiles(.{ .root = nng_root, .files = files, .flags = flags });

    // Mbed TLS 2.28 from Debian's libmbedtls-dev. Its static archives are not built with -fPIC, so
    // they cannot go into a shared library: the shim links the shared ones (libmbedtls.so.14 and
    // friends, installed with the -dev package).
    const system = std.Build.Module.LinkSystemLibraryOptions{ .use_pkg_config = .no };
    mod.linkSystemLibrary("mbedtls", system);
    mod.linkSystemLibrary("mbedx509", system);
    mod.linkSystemLibrary("mbedcrypto", system);
    mod.linkSystemLibrary("pthread", system);
}
