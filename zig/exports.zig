//! The C ABI that src/ffi.ts loads: thin `export fn`s that check their arguments and call the domain
//! files. Every symbol here has one line in src/ffi.ts (test/ffi.test.ts checks the two match).
//! Ids, lengths and codes are u32/i32; pointers only where memory is shared.
const std = @import("std");
const builtin = @import("builtin");
const nng = @import("nng.zig");
const ring = @import("ring.zig");
const runtime = @import("runtime.zig");
const ops = @import("ops.zig");
const sockets = @import("sockets.zig");
const options = @import("options.zig");
const flood = @import("flood.zig");
const device = @import("device.zig");
const notify = @import("notify.zig");
const stats = @import("stats.zig");
const cvwait = @import("cvwait.zig");
const tls = @import("tls.zig");
const util = @import("util.zig");
const Cv = @import("cv.zig").Cv;
const Runtime = runtime.Runtime;

/// Windows: called by Zig's DLL entry point when the DLL loads (zig/windows.zig). Not an export.
pub const DllMain = if (builtin.os.tag == .windows) @import("windows.zig").DllMain else {};

/// Bumped whenever a signature or the ring entry layout changes; src/ffi.ts refuses a mismatch.
const abi_version: u32 = 6;

// --- ABI ------------------------------------------------------------------------------------------
export fn bnng_abi_version() u32 {
    return abi_version;
}
export fn bnng_abi_entry_size() u32 {
    return @sizeOf(ring.Entry);
}
export fn bnng_abi_entry_data_offset() u32 {
    return @offsetOf(ring.Entry, "data");
}
export fn bnng_abi_inline_max() u32 {
    return ring.inline_max;
}
export fn bnng_abi_batch_max() u32 {
    return runtime.batch_max;
}

// --- Library --------------------------------------------------------------------------------------
/// Initialises NNG (nng_init, required by NNG 2.0 before any other call) once per process, whatever
/// the number of threads and Workers that load the library; later calls return the first result.
/// NNG is never finalised: its threads live as long as the process.
export fn bnng_init() i32 {
    return util.initNng();
}
export fn bnng_nng_version() [*:0]const u8 {
    return nng.nng_version();
}
export fn bnng_strerror(code: i32) [*:0]const u8 {
    return nng.nng_strerror(code);
}
export fn bnng_mbedtls_version(out: [*]u8) void {
    util.mbedtlsVersion(out);
}
export fn bnng_url_parse(url: [*:0]const u8, out: [*]u8, cap: u32) i32 {
    return util.parseUrl(url, out, cap);
}
/// Milliseconds of NNG's monotonic clock, as an f64 (exact below 2^53).
export fn bnng_clock() f64 {
    return @floatFromInt(nng.nng_clock());
}
export fn bnng_msleep(ms: i32) void {
    nng.nng_msleep(ms);
}
export fn bnng_random(out: [*]u8, len: u32) void {
    util.random(out, len);
}

// --- Runtime and ring -----------------------------------------------------------------------------
export fn bnng_rt_new(wake: ?runtime.WakeFn) ?*Runtime {
    return Runtime.create(wake);
}
export fn bnng_rt_set_wake(rt: *Runtime, wake: ?runtime.WakeFn) void {
    rt.setWake(wake);
}
export fn bnng_rt_batch(rt: *Runtime) [*]ring.Entry {
    return &rt.batch;
}
/// Drains up to `max` completions into the batch buffer; returns how many.
export fn bnng_drain(rt: *Runtime, max: u32) u32 {
    return rt.drain(max);
}
/// Counters for tests and benchmarks: [ops in use, ops allocated, entries spilled, wake-ups].
export fn bnng_rt_stats(rt: *Runtime, out: [*]f64) void {
    out[0] = @floatFromInt(rt.pool.in_use);
    out[1] = @floatFromInt(rt.pool.chunk_count * runtime.chunk_ops);
    out[2] = @floatFromInt(rt.ring.spilled.load(.monotonic));
    out[3] = @floatFromInt(rt.ring.wakeups.load(.monotonic));
}

// --- Sockets, endpoints, contexts -----------------------------------------------------------------
export fn bnng_socket_open(protocol: u32, raw: u32) i32 {
    return sockets.open(protocol, raw != 0);
}
/// Closes a socket: first stops (error 7) and waits for this runtime's ops on it, then closes.
export fn bnng_socket_close(rt: *Runtime, id: u32) i32 {
    runtime.abortFor(rt, id, 0);
    var rv = sockets.close(id);
    // A running device owns the socket (NNG 2.0): stopping the device closes it, and its peer.
    if (rv == nng.EBUSY and device.stopFor(rt, id)) rv = 0;
    notify.forget(id);
    return rv;
}
export fn bnng_dial(sock: u32, url: [*:0]const u8, start: u32, nonblock: u32) i32 {
    return sockets.dial(sock, url, start != 0, nonblock != 0);
}
export fn bnng_listen(sock: u32, url: [*:0]const u8, start: u32) i32 {
    return sockets.listen(sock, url, start != 0);
}
export fn bnng_dialer_start(id: u32, nonblock: u32) i32 {
    return sockets.dialerStart(id, nonblock != 0);
}
export fn bnng_listener_start(id: u32) i32 {
    return sockets.listenerStart(id);
}
export fn bnng_dialer_close(id: u32) i32 {
    return sockets.dialerClose(id);
}
export fn bnng_listener_close(id: u32) i32 {
    return sockets.listenerClose(id);
}
export fn bnng_ctx_open(sock: u32) i32 {
    return sockets.ctxOpen(sock);
}
/// Closes a context of socket `sock`, stopping and waiting for its ops first (as socket close).
export fn bnng_ctx_close(rt: *Runtime, sock: u32, id: u32) i32 {
    runtime.abortFor(rt, sock, id);
    return sockets.ctxClose(id);
}

// --- Options --------------------------------------------------------------------------------------
export fn bnng_opt_set(kind: u32, id: u32, name: [*:0]const u8, ty: u32, num: f64, data: ?[*]const u8, len: u32) i32 {
    return options.set(kind, id, name, ty, num, data, len);
}
export fn bnng_opt_get(kind: u32, id: u32, name: [*:0]const u8, ty: u32, out: [*]u8, cap: u32) i32 {
    return options.get(kind, id, name, ty, out, cap);
}

// --- Asynchronous I/O -----------------------------------------------------------------------------
fn target(t: u32) ?ops.Target {
    return std.meta.intToEnum(ops.Target, t) catch null;
}
/// `req`: 1 for a send on a (cooked) req target, whose receive may queue behind it.
export fn bnng_send_aio(rt: *Runtime, t: u32, id: u32, sock: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, pipe: u32, cv: ?*Cv, req: u32) i32 {
    return ops.sendAio(rt, target(t) orelse return -nng.EINVAL, id, sock, data, len, timeout_ms, pipe, cv, req != 0);
}
/// `after_send`: the op index of the req target's pending send (0xFFFFFFFF: none).
export fn bnng_recv_aio(rt: *Runtime, t: u32, id: u32, sock: u32, timeout_ms: i32, cv: ?*Cv, after_send: u32) i32 {
    if (after_send != runtime.no_op and after_send / runtime.chunk_ops >= rt.pool.chunk_count) return -nng.EINVAL;
    return ops.recvAio(rt, target(t) orelse return -nng.EINVAL, id, sock, timeout_ms, cv, after_send);
}
/// A request: send, then receive the reply, as one native operation (one completion).
export fn bnng_request(rt: *Runtime, t: u32, id: u32, sock: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    return ops.request(rt, target(t) orelse return -nng.EINVAL, id, sock, data, len, timeout_ms, cv);
}
export fn bnng_sleep_aio(rt: *Runtime, ms: i32, count: u32) u32 {
    return ops.sleepAio(rt, ms, count);
}
/// An op index JavaScript may name here: allocated and in flight. A stale or made-up index (an Aio
/// never started, an op already drained) is ignored rather than followed out of the pool.
fn opInFlight(rt: *Runtime, op: u32) bool {
    if (op / runtime.chunk_ops >= rt.pool.chunk_count) return false;
    return rt.pool.get(op).busy;
}
export fn bnng_aio_cancel(rt: *Runtime, op: u32) void {
    if (opInFlight(rt, op)) ops.cancel(rt, op);
}
export fn bnng_aio_wait(rt: *Runtime, op: u32) void {
    if (opInFlight(rt, op)) ops.wait(rt, op);
}
/// Copies a by-pointer completion payload into `dst` and frees the message.
export fn bnng_msg_take(msg: *nng.Msg, dst: ?[*]u8, len: u32) void {
    ops.msgTake(msg, dst, len);
}
/// The deallocator JS gives toArrayBuffer() for a zero-copy receive (frees the message on GC).
export fn bnng_msg_deallocator() usize {
    return @intFromPtr(&runtime.msgDeallocate);
}
/// Address of the u32 count of KiB held by zero-copy buffers not yet collected (JS adds to it).
export fn bnng_live_kib_ptr() *u32 {
    return &runtime.live_kib.raw;
}

// --- Synchronous I/O ------------------------------------------------------------------------------
export fn bnng_send(rt: *Runtime, t: u32, id: u32, data: ?[*]const u8, len: u32, block_ms: i32) i32 {
    return ops.send(rt, target(t) orelse return nng.EINVAL, id, data, len, block_ms);
}
export fn bnng_recv(rt: *Runtime, t: u32, id: u32, block_ms: i32) i32 {
    return ops.recv(rt, target(t) orelse return -nng.EINVAL, id, block_ms);
}
/// recvAio's fast path (ops.recvNow): a queued message at once. `info`: 5 u32 (pipe, msg, body).
export fn bnng_recv_now(rt: *Runtime, t: u32, id: u32, dst: [*]u8, cap: u32, info: *[5]u32) i32 {
    return ops.recvNow(rt, target(t) orelse return -nng.EINVAL, id, dst, cap, info);
}
/// sendAio with a fast path (ops.sendAioNow): ops.sent_now, an op index, or -(code).
export fn bnng_send_aio_now(rt: *Runtime, t: u32, id: u32, sock: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, pipe: u32) i32 {
    return ops.sendAioNow(rt, target(t) orelse return -nng.EINVAL, id, sock, data, len, timeout_ms, pipe);
}
export fn bnng_sync_take(rt: *Runtime, dst: ?[*]u8) void {
    ops.syncTake(rt, dst);
}

// --- Devices, pipe notifications, statistics -------------------------------------------------------
export fn bnng_device_start(rt: *Runtime, s1: u32, s2: u32) i32 {
    return device.start(rt, s1, s2);
}
export fn bnng_pipe_notify(sock: u32, cv: ?*Cv, add: u32, remove: u32, flag: u32, signo: i32) i32 {
    return notify.set(sock, cv, add != 0, remove != 0, flag != 0, signo);
}
export fn bnng_stat(kind: u32, id: u32, name: [*:0]const u8, out: *f64) i32 {
    return stats.get(kind, id, name, out);
}

// --- Condition variables --------------------------------------------------------------------------
export fn bnng_cv_new() ?*Cv {
    return Cv.create();
}
export fn bnng_cv_release(cv: *Cv) void {
    cv.release();
}
export fn bnng_cv_wait(cv: *Cv, timeout_ms: i32) u32 {
    return @intFromBool(cv.wait(timeout_ms));
}
export fn bnng_cv_value(cv: *Cv) u32 {
    return cv.getValue();
}
export fn bnng_cv_reset(cv: *Cv) void {
    cv.reset();
}
export fn bnng_cv_signal(cv: *Cv) void {
    cv.signal();
}
/// Waits for the cv on a thread of its own; completes op (returned) through the ring.
export fn bnng_cv_wait_aio(rt: *Runtime, cv: *Cv, timeout_ms: i32) i32 {
    return cvwait.start(rt, cv, timeout_ms);
}

// --- Test support ---------------------------------------------------------------------------------
export fn bnng_test_flood_start(rt: *Runtime, threads: u32, per_thread: u32) ?*flood.Flood {
    return flood.start(rt, threads, per_thread);
}
/// One thread, one completion at a time, until the ring has counted `wakeups` more wake-ups.
export fn bnng_test_wake_start(rt: *Runtime, wakeups: u32) ?*flood.Flood {
    return flood.startWakes(rt, wakeups);
}
export fn bnng_test_flood_join(f: *flood.Flood) u32 {
    return flood.join(f);
}

// --- TLS ------------------------------------------------------------------------------------------
/// mode 0 client, 1 server. null on failure, with the NNG error code in `err`.
export fn bnng_tls_config_new(mode: u32, err: *i32) ?*nng.TlsConfig {
    return tls.configNew(mode, err);
}
export fn bnng_tls_config_free(cfg: *nng.TlsConfig) void {
    tls.configFree(cfg);
}
export fn bnng_tls_config_auth(cfg: *nng.TlsConfig, mode: u32) i32 {
    return tls.authMode(cfg, mode);
}
export fn bnng_tls_config_server_name(cfg: *nng.TlsConfig, name: [*:0]const u8) i32 {
    return tls.serverName(cfg, name);
}
export fn bnng_tls_config_ca_chain(cfg: *nng.TlsConfig, certs: [*:0]const u8, crl: ?[*:0]const u8) i32 {
    return tls.caChain(cfg, certs, crl);
}
export fn bnng_tls_config_ca_file(cfg: *nng.TlsConfig, path: [*:0]const u8) i32 {
    return tls.caFile(cfg, path);
}
export fn bnng_tls_config_own_cert(cfg: *nng.TlsConfig, cert: [*:0]const u8, key: [*:0]const u8, pass: ?[*:0]const u8) i32 {
    return tls.ownCert(cfg, cert, key, pass);
}
export fn bnng_tls_config_cert_key_file(cfg: *nng.TlsConfig, path: [*:0]const u8, pass: ?[*:0]const u8) i32 {
    return tls.certKeyFile(cfg, path, pass);
}
/// Sets NNG's "tls-config" pointer option of a dialer (kind 3) or listener (kind 4), before start.
export fn bnng_tls_set(kind: u32, id: u32, cfg: *nng.TlsConfig) i32 {
    return tls.setOnEndpoint(kind, id, cfg);
}
/// A self-signed certificate and key as PEM text; 0 or -(NNG error code) with a message in `err`.
export fn bnng_tls_write_cert(
    cn: [*:0]const u8,
    not_before: [*:0]const u8,
    not_after: [*:0]const u8,
    cert_out: [*]u8,
    cert_cap: u32,
    key_out: [*]u8,
    key_cap: u32,
    err: [*]u8,
    err_cap: u32,
) i32 {
    return tls.writeCert(cn, not_before, not_after, cert_out, cert_cap, key_out, key_cap, err, err_cap);
}

// --- Streams --------------------------------------------------------------------------------------
const streams = @import("streams.zig");
const Stream = streams.Stream;
/// A stream object with its dialer, or its listener already bound; null with the code in `err`.
/// `headers`: extra ws request headers as "Name: value\r\n" lines. `tls`: an nng_tls_config.
export fn bnng_stream_new(url: [*:0]const u8, listen: u32, textframes: u32, headers: ?[*:0]const u8, tls_config: ?*anyopaque, err: *i32) ?*Stream {
    return streams.new(url, listen != 0, textframes != 0, headers, tls_config, err);
}
/// The port a tcp or ws stream listener is bound to, or -(code).
export fn bnng_stream_port(s: *Stream) i32 {
    return streams.port(s);
}
/// Starts the dial or the accept of one connection; completes op (returned) through the ring.
export fn bnng_stream_start(rt: *Runtime, s: *Stream) i32 {
    return streams.start(rt, s);
}
/// Closes (once): ops in flight complete with 7; the memory goes when the last of them has.
export fn bnng_stream_close(s: *Stream) void {
    streams.close(s);
}
export fn bnng_stream_send_aio(rt: *Runtime, s: *Stream, data: ?[*]const u8, len: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    return streams.sendAio(rt, s, data, len, timeout_ms, cv);
}
export fn bnng_stream_recv_aio(rt: *Runtime, s: *Stream, n: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    return streams.recvAio(rt, s, n, timeout_ms, cv);
}
export fn bnng_stream_send(rt: *Runtime, s: *Stream, data: ?[*]const u8, len: u32, block_ms: i32) i32 {
    return streams.send(rt, s, data, len, block_ms);
}
/// Returns the count received (taken with bnng_sync_take), or -(code).
export fn bnng_stream_recv(rt: *Runtime, s: *Stream, n: u32, block_ms: i32) i32 {
    return streams.recv(rt, s, n, block_ms);
}
