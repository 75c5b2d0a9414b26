//! Asynchronous and synchronous message I/O on sockets and contexts. Asynchronous operations take
//! an op from the runtime's pool; their completions come back through the ring.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");
const Cv = @import("cv.zig").Cv;
const chain = @import("chain.zig");
const Runtime = runtime.Runtime;
const Op = runtime.Op;

/// What an I/O call addresses: a socket or a context (both are u32 ids).
pub const Target = enum(u32) { socket = 0, ctx = 1 };

/// Makes an NNG message holding a copy of `len` bytes at `data`.
fn makeMsg(data: ?[*]const u8, len: u32) !*nng.Msg {
    var msg: ?*nng.Msg = null;
    if (nng.nng_msg_alloc(&msg, len) != 0) return error.OutOfMemory;
    if (len > 0) @memcpy(nng.nng_msg_body(msg.?)[0..len], data.?[0..len]);
    return msg.?;
}

/// Sets a send's time limit and starts it.
///
/// NNG 2.0's bus (bus0_sock_send) takes the message out of the aio before it checks a zero time-out,
/// then fails with ETIMEDOUT without freeing or returning it: the message is lost and leaked, and a
/// non-blocking bus send never goes out. A bus send never waits anyway (each pipe queues the message
/// or drops it), so a zero time-out on a bus socket is given as "no limit", which does exactly what
/// zero means there.
fn startSend(target: Target, id: u32, aio: *nng.Aio, timeout_ms: i32) void {
    const bus_self: u16 = 0x70; // NNG_BUS0_SELF
    var timeout = timeout_ms;
    if (timeout == 0 and target == .socket) {
        var proto: u16 = 0;
        if (nng.nng_socket_proto_id(.{ .id = id }, &proto) == 0 and proto == bus_self) timeout = nng.duration_infinite;
    }
    nng.nng_aio_set_timeout(aio, timeout);
    switch (target) {
        .socket => nng.nng_socket_send(.{ .id = id }, aio),
        .ctx => nng.nng_ctx_send(.{ .id = id }, aio),
    }
}

fn startRecv(target: Target, id: u32, aio: *nng.Aio) void {
    switch (target) {
        .socket => nng.nng_socket_recv(.{ .id = id }, aio),
        .ctx => nng.nng_ctx_recv(.{ .id = id }, aio),
    }
}

fn setTarget(op: *Op, target: Target, id: u32, sock_id: u32) void {
    op.target = @intFromEnum(target);
    op.target_id = id;
    op.sock_id = sock_id;
}

fn attachCv(op: *Op, cv: ?*Cv) void {
    if (cv) |c| {
        c.retain();
        op.cv = c;
    }
}

/// Starts an asynchronous send. Returns the op index, or -(NNG error code).
pub fn sendAio(rt: *Runtime, target: Target, id: u32, sock_id: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, pipe: u32, cv: ?*Cv, req: bool) i32 {
    const msg = makeMsg(data, len) catch return -nng.ENOMEM;
    const op = rt.pool.acquire(rt, .send) orelse {
        nng.nng_msg_free(msg);
        return -nng.ENOMEM;
    };
    if (pipe != 0) nng.nng_msg_set_pipe(msg, .{ .id = pipe });
    attachCv(op, cv);
    setTarget(op, target, id, sock_id);
    op.leadable = req;
    nng.nng_aio_set_msg(op.aio, msg);
    const index: i32 = @intCast(op.index);
    startSend(target, id, op.aio, timeout_ms); // may complete inline; `op` is then no longer ours to touch
    return index;
}

/// Starts an asynchronous receive. Returns the op index, or -(NNG error code).
pub fn recvAio(rt: *Runtime, target: Target, id: u32, sock_id: u32, timeout_ms: i32, cv: ?*Cv, after_send: u32) i32 {
    const op = rt.pool.acquire(rt, .recv) orelse return -nng.ENOMEM;
    attachCv(op, cv);
    setTarget(op, target, id, sock_id);
    // On a req target whose request is still being sent, queue behind that send (chain.zig).
    if (after_send != runtime.no_op and chain.attach(rt, op, after_send, timeout_ms)) return @intCast(op.index);
    nng.nng_aio_set_timeout(op.aio, timeout_ms);
    const index: i32 = @intCast(op.index);
    startRecv(target, id, op.aio);
    return index;
}

/// Starts a request: sends, and when the send has gone out the completion callback itself starts
/// the receive on the same aio (no JavaScript hop in between). One completion, with the reply.
/// `timeout_ms` applies to the send and to the receive. Returns the op index, or -(code).
pub fn request(rt: *Runtime, target: Target, id: u32, sock_id: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    const msg = makeMsg(data, len) catch return -nng.ENOMEM;
    const op = rt.pool.acquire(rt, .request) orelse {
        nng.nng_msg_free(msg);
        return -nng.ENOMEM;
    };
    attachCv(op, cv);
    setTarget(op, target, id, sock_id);
    op.recv_timeout = timeout_ms;
    nng.nng_aio_set_msg(op.aio, msg);
    const index: i32 = @intCast(op.index);
    startSend(target, id, op.aio, timeout_ms);
    return index;
}

/// Starts `count` NNG sleeps of `ms` (completions from NNG's task threads without I/O; used by the
/// ring stress test). Returns how many were started.
pub fn sleepAio(rt: *Runtime, ms: i32, count: u32) u32 {
    var started: u32 = 0;
    while (started < count) : (started += 1) {
        const op = rt.pool.acquire(rt, .sleep) orelse break;
        nng.nng_sleep_aio(ms, op.aio);
    }
    return started;
}

/// Runs one send or receive on the runtime's callback-less aio (JS thread only): NNG completes it
/// inline, or this thread waits. `timeout_ms` is NNG's: 0 does only what can be done at once,
/// `nng.duration_default` applies the socket's own time-out. Returns NNG's result.
fn syncRun(rt: *Runtime, target: Target, id: u32, comptime sending: bool, timeout_ms: i32) c_int {
    const aio = rt.sync_aio;
    if (sending) {
        startSend(target, id, aio, timeout_ms);
    } else {
        nng.nng_aio_set_timeout(aio, timeout_ms);
        startRecv(target, id, aio);
    }
    // A zero time-out must never wait: a protocol may replace it with a deadline of its own (NNG
    // 2.0's surveyor gives a receive the survey's end), so what did not complete at once is stopped.
    if (timeout_ms == 0 and nng.nng_aio_busy(aio)) nng.nng_aio_abort(aio, nng.ETIMEDOUT);
    nng.nng_aio_wait(aio);
    return nng.nng_aio_result(aio);
}

/// NNG's time-out for a synchronous call's `block_ms` (< 0: the socket's own).
fn blockTimeout(block_ms: i32) i32 {
    return if (block_ms < 0) nng.duration_default else block_ms;
}

/// A synchronous call that was not to block reports "would block" (8), as nng_sendmsg and
/// nng_recvmsg do, for sockets and contexts alike.
fn syncResult(rv: c_int, block_ms: i32) c_int {
    return if (block_ms == 0 and rv == nng.ETIMEDOUT) nng.EAGAIN else rv;
}

/// Takes back the message a send left in the runtime's aio: null after a successful send (the
/// message is NNG's then, even where NNG 1.5.2's pub leaves a freed pointer behind).
fn takeUnsent(rt: *Runtime, rv: c_int) ?*nng.Msg {
    const aio = rt.sync_aio;
    const msg = if (rv == 0) null else nng.nng_aio_get_msg(aio);
    nng.nng_aio_set_msg(aio, null);
    return msg;
}

/// Synchronous send. `block_ms`: < 0 blocks (the socket's send-timeout applies), 0 does not block,
/// > 0 waits at most that long. Returns 0 or an NNG error code.
pub fn send(rt: *Runtime, target: Target, id: u32, data: ?[*]const u8, len: u32, block_ms: i32) i32 {
    const msg = makeMsg(data, len) catch return nng.ENOMEM;
    nng.nng_aio_set_msg(rt.sync_aio, msg);
    const rv = syncRun(rt, target, id, true, blockTimeout(block_ms));
    if (takeUnsent(rt, rv)) |m| nng.nng_msg_free(m);
    return syncResult(rv, block_ms);
}

/// Synchronous receive; `block_ms` as for `send`. Returns the message length (the message waits in
/// the runtime for `syncTake`), or -(NNG error code).
pub fn recv(rt: *Runtime, target: Target, id: u32, block_ms: i32) i32 {
    syncDrop(rt);
    if (block_ms == 0 and target == .socket and surveyorHasNothing(id)) return -nng.EAGAIN;
    const rv = syncRun(rt, target, id, false, blockTimeout(block_ms));
    if (rv != 0) return -syncResult(rv, block_ms);
    const msg = nng.nng_aio_get_msg(rt.sync_aio).?;
    nng.nng_aio_set_msg(rt.sync_aio, null);
    rt.sync_msg = msg;
    return @intCast(nng.nng_msg_len(msg));
}

/// NNG 2.0's surveyor gives a receive with a zero time-out the survey's deadline instead, and a
/// receive cancelled before that ends the survey (surv0_ctx_recv, surv0_ctx_cancel): so a
/// non-blocking receive may not even be tried on an empty surveyor. For a surveyor socket, its
/// receive poll descriptor tells whether a response is queued; true when it is one and has none.
fn surveyorHasNothing(id: u32) bool {
    const surveyor_self: u16 = 0x62; // NNG_SURVEYOR0_SELF
    var proto: u16 = 0;
    if (nng.nng_socket_proto_id(.{ .id = id }, &proto) != 0 or proto != surveyor_self) return false;
    var fd: c_int = -1;
    if (nng.nng_socket_get_recv_poll_fd(.{ .id = id }, &fd) != 0) return false; // let the receive report it
    // Windows: NNG's poll descriptor is a SOCKET (of a socket pair) given as an int.
    const pfd: @FieldType(std.posix.pollfd, "fd") = if (@import("builtin").os.tag == .windows) @ptrFromInt(@as(usize, @intCast(fd))) else fd;
    var fds = [1]std.posix.pollfd{.{ .fd = pfd, .events = std.posix.POLL.IN, .revents = 0 }};
    const ready = std.posix.poll(&fds, 0) catch return false;
    return ready == 0;
}

/// recvNow's result when nothing is queued: the caller starts an asynchronous receive instead.
pub const now_empty: i32 = -0x10000;

/// recvAio's fast path: takes a message that is already queued, at once, on the calling (JS) thread,
/// through the runtime's callback-less aio with a zero timeout. A callback-less aio completes inline,
/// so a queued message costs no task-thread hop, no ring entry and no JS wake-up. The protocols
/// refuse a zero-timeout receive before touching their state, so an empty queue changes nothing.
/// Returns the length: up to `cap` bytes are copied into `dst` and the message freed; a longer one is
/// handed over (`info[1..3]`: the message, `info[3..5]`: its body, for a zero-copy view or msgTake).
/// `info[0]`: the pipe id. Returns `now_empty` when nothing is queued, or -(code) for another result
/// (closed socket, no survey, ...), which is that of the receive itself.
pub fn recvNow(rt: *Runtime, target: Target, id: u32, dst: [*]u8, cap: u32, info: *[5]u32) i32 {
    syncDrop(rt);
    const rv = syncRun(rt, target, id, false, 0);
    if (rv == nng.ETIMEDOUT) return now_empty;
    if (rv != 0) return -rv;
    const msg = nng.nng_aio_get_msg(rt.sync_aio).?;
    nng.nng_aio_set_msg(rt.sync_aio, null);
    const len = nng.nng_msg_len(msg);
    std.debug.assert(len <= std.math.maxInt(i32));
    info[0] = nng.nng_msg_get_pipe(msg).id;
    if (len <= cap) {
        if (len > 0) @memcpy(dst[0..len], nng.nng_msg_body(msg)[0..len]);
        nng.nng_msg_free(msg);
    } else {
        const m = @intFromPtr(msg);
        const body = @intFromPtr(nng.nng_msg_body(msg));
        info[1] = @truncate(m);
        info[2] = @truncate(m >> 32);
        info[3] = @truncate(body);
        info[4] = @truncate(body >> 32);
    }
    return @intCast(len);
}

/// sendAioNow's result when the message went out at once (else an op index, or -(code)).
pub const sent_now: i32 = std.math.maxInt(i32);

/// sendAio's fast path, for protocols whose zero-timeout send leaves their state untouched when it
/// cannot go at once (push, pub, bus: the JS side decides). The message is offered through the
/// runtime's callback-less aio with a zero timeout: if the protocol takes it without waiting, the send
/// is done inline (returns `sent_now`: no op, no task-thread hop, no ring entry). If it would wait,
/// the same message goes on as an ordinary asynchronous send (returns its op index), so nothing is
/// copied twice. Another result of the attempt (closed socket, ...) returns -(code).
pub fn sendAioNow(rt: *Runtime, target: Target, id: u32, sock_id: u32, data: ?[*]const u8, len: u32, timeout_ms: i32, pipe: u32) i32 {
    const msg = makeMsg(data, len) catch return -nng.ENOMEM;
    if (pipe != 0) nng.nng_msg_set_pipe(msg, .{ .id = pipe });
    nng.nng_aio_set_msg(rt.sync_aio, msg);
    const rv = syncRun(rt, target, id, true, 0);
    // On failure the message is still ours.
    const kept = takeUnsent(rt, rv) orelse {
        std.debug.assert(rv == 0);
        return sent_now;
    };
    if (rv != nng.ETIMEDOUT or timeout_ms == 0) {
        nng.nng_msg_free(kept);
        return -rv;
    }
    const op = rt.pool.acquire(rt, .send) orelse {
        nng.nng_msg_free(kept);
        return -nng.ENOMEM;
    };
    setTarget(op, target, id, sock_id);
    nng.nng_aio_set_msg(op.aio, kept);
    const index: i32 = @intCast(op.index);
    startSend(target, id, op.aio, timeout_ms); // may complete inline; `op` is then no longer ours to touch
    return index;
}

/// Copies the synchronously received message into `dst` (its length was returned by `recv`) and
/// frees it.
pub fn syncTake(rt: *Runtime, dst: ?[*]u8) void {
    const msg = rt.sync_msg orelse return;
    const len = nng.nng_msg_len(msg);
    if (len > 0) @memcpy(dst.?[0..len], nng.nng_msg_body(msg)[0..len]);
    syncDrop(rt);
}

fn syncDrop(rt: *Runtime) void {
    if (rt.sync_msg) |m| nng.nng_msg_free(m);
    rt.sync_msg = null;
}

/// Copies a message that completed by pointer (too large to inline) into `dst`, and frees it.
pub fn msgTake(msg: *nng.Msg, dst: ?[*]u8, len: u32) void {
    std.debug.assert(nng.nng_msg_len(msg) == len);
    if (len > 0) @memcpy(dst.?[0..len], nng.nng_msg_body(msg)[0..len]);
    nng.nng_msg_free(msg);
}

/// Cancels an op still in flight (it completes with NNG_ECANCELED, 20). The caller (JS) knows the
/// op has not been drained, so its slot cannot have been reused.
pub fn cancel(rt: *Runtime, index: u32) void {
    const op = rt.pool.get(index);
    std.debug.assert(op.busy);
    switch (op.kind) {
        .device => {}, // ends when one of its sockets closes
        .cvwait => @import("cvwait.zig").stop(op),
        else => runtime.stop(op, nng.ECANCELED),
    }
}

/// Blocks until an op in flight has completed (its entry is then in the ring).
pub fn wait(rt: *Runtime, index: u32) void {
    const op = rt.pool.get(index);
    std.debug.assert(op.busy);
    if (op.chained) return chain.wait(op);
    if (op.kind == .device or op.kind == .cvwait) return; // not waitable through an aio
    nng.nng_aio_wait(op.aio);
}
