//! One Runtime per JavaScript thread that loads the library (the main thread, or a Bun Worker): its
//! completion ring, its op pool, the batch buffer its drain fills, and the wake-up callback into JS.
//!
//! The op pool is touched only by the owning JavaScript thread (ops are acquired when JS submits and
//! released when JS drains their completion), so it needs no lock. Ops are allocated in chunks, each
//! with its `nng_aio`: once warm, submitting allocates nothing but NNG's message. Ops are taken from
//! the lowest chunk that has one free, so after a burst the highest chunks empty out and are given
//! back (down to `keep_chunks`) once they have stayed empty for a second. The ops in use are also
//! listed densely (`busy`), so that closing a socket looks at what is in flight, not at every op a
//! burst once needed.
const std = @import("std");
const assert = std.debug.assert;
const Atomic = std.atomic.Value;
const nng = @import("nng.zig");
const ring_mod = @import("ring.zig");
const Cv = @import("cv.zig").Cv;
const chain = @import("chain.zig");
const streams = @import("streams.zig");

pub const Ring = ring_mod.Ring;
pub const Entry = ring_mod.Entry;
pub const Kind = ring_mod.Kind;

pub const ring_capacity: u32 = 8192;
pub const batch_max: u32 = 512;
pub const chunk_ops: u32 = 256;
pub const max_chunks: u32 = 4096; // 1,048,576 ops in flight at most
/// Chunks never given back (1,024 ops), so that ordinary traffic never frees and reallocates.
pub const keep_chunks: u32 = 4;
/// How long a chunk above `keep_chunks` stays empty before it is given back: bursts that come back
/// within this reuse it instead of freeing and reallocating its ops each time.
pub const shrink_after_ms: u64 = 1000;
pub const no_op: u32 = std.math.maxInt(u32);

pub const WakeFn = *const fn () callconv(.c) void;

pub const Op = struct {
    /// Completion entry and overflow link; filled by the callback, then pushed.
    node: ring_mod.Node = .{},
    aio: *nng.Aio,
    rt: *Runtime,
    index: u32,
    kind: Kind = .none,
    busy: bool = false,
    next_free: u32 = no_op,
    /// Signalled by the completion (holds a reference while the op is in flight).
    cv: ?*Cv = null,
    /// Requests (send, then receive, as one native operation): the phase, where to receive, and
    /// the stop flag. `lock` orders the phase change against stop() and against the final push,
    /// so the op cannot be drained and reused while the send callback still holds it.
    phase: u8 = 0,
    stopped: bool = false,
    /// The error a stopped request finishes with between its phases (ECANCELED, or ECLOSED when
    /// its socket or context is being closed).
    stop_rv: c_int = nng.ECANCELED,
    /// The socket the op runs on (for a context, the context's socket): closing it first stops
    /// and waits for the socket's ops (see abortFor).
    sock_id: u32 = 0,
    lock: std.Thread.Mutex = .{},
    target: u32 = 0,
    target_id: u32 = 0,
    recv_timeout: nng.Duration = nng.duration_default,
    /// waitAsync: the cv its thread waits on (a reference held by that thread).
    wait_cv: ?*Cv = null,
    /// A req receive queued behind its request's pending send (chain.zig), and that send: links
    /// and state guarded by the runtime's chain_mutex.
    leader: ?*Op = null,
    follower: ?*Op = null,
    chained: bool = false,
    /// A send on a req target: a receive may queue behind it.
    leadable: bool = false,
    queued: bool = false,
    go: bool = false,
    go_rv: c_int = 0,
    sleeping: bool = false,
    send_done: bool = false,
    /// Set (atomically) just before the completion is published.
    finished: bool = false,
    /// Stream dials, accepts, sends and receives: their stream and buffer (zig/streams.zig).
    io: streams.OpState = .{},
    /// Its place in Pool.busy while in use.
    busy_pos: u32 = 0,
};

pub const Pool = struct {
    chunks: [max_chunks]?[*]Op = [_]?[*]Op{null} ** max_chunks,
    /// Per chunk: its free ops (a list through next_free) and how many are in use.
    free_heads: [max_chunks]u32 = [_]u32{no_op} ** max_chunks,
    used: [max_chunks]u16 = [_]u16{0} ** max_chunks,
    /// When each chunk last became empty (NNG's clock, ms).
    empty_since_ms: [max_chunks]u64 = [_]u64{0} ** max_chunks,
    chunk_count: u32 = 0,
    /// No chunk below this one has a free op.
    low: u32 = 0,
    in_use: u32 = 0,
    /// The indexes of the ops in use, in no order (`in_use` of them). Its capacity follows the
    /// pool's, so taking and returning an op never allocates.
    busy: std.ArrayListUnmanaged(u32) = .empty,

    pub fn get(pool: *Pool, index: u32) *Op {
        assert(index / chunk_ops < pool.chunk_count);
        return &pool.chunks[index / chunk_ops].?[index % chunk_ops];
    }

    pub fn acquire(pool: *Pool, rt: *Runtime, kind: Kind) ?*Op {
        var c = pool.low;
        while (c < pool.chunk_count and pool.free_heads[c] == no_op) c += 1;
        if (c == pool.chunk_count) pool.grow(rt) catch return null;
        pool.low = c;
        const op = pool.get(pool.free_heads[c]);
        assert(!op.busy);
        pool.free_heads[c] = op.next_free;
        pool.used[c] += 1;
        op.busy = true;
        op.kind = kind;
        op.next_free = no_op;
        op.phase = 0;
        op.stopped = false;
        op.stop_rv = nng.ECANCELED;
        op.sock_id = 0;
        op.leader = null;
        op.follower = null;
        op.chained = false;
        op.leadable = false;
        op.queued = false;
        op.go = false;
        op.go_rv = 0;
        op.sleeping = false;
        op.send_done = false;
        op.finished = false;
        assert(op.cv == null);
        op.busy_pos = @intCast(pool.busy.items.len);
        pool.busy.appendAssumeCapacity(op.index);
        pool.in_use += 1;
        assert(pool.busy.items.len == pool.in_use);
        return op;
    }

    /// The ops in use (JS thread; stable while JavaScript does not drain).
    pub fn busyOps(pool: *Pool) []const u32 {
        return pool.busy.items;
    }

    pub fn release(pool: *Pool, op: *Op) void {
        assert(op.busy);
        op.busy = false;
        op.kind = .none;
        // Out of the dense list: the last entry takes its place.
        const last = pool.busy.pop().?;
        if (last != op.index) {
            pool.busy.items[op.busy_pos] = last;
            pool.get(last).busy_pos = op.busy_pos;
        }
        const c = op.index / chunk_ops;
        op.next_free = pool.free_heads[c];
        pool.free_heads[c] = op.index;
        assert(pool.used[c] > 0);
        pool.used[c] -= 1;
        if (c < pool.low) pool.low = c;
        pool.in_use -= 1;
        // Above the floor only (the clock is read only then).
        if (pool.chunk_count > keep_chunks) {
            const now = nng.nng_clock();
            if (pool.used[c] == 0) pool.empty_since_ms[c] = now;
            pool.shrink(now);
        }
    }

    /// Gives back the highest chunks once they have been empty for `shrink_after_ms` and the rest
    /// would be at most half used (so that traffic around a chunk's edge, or bursts that come back,
    /// do not free and allocate its ops again and again).
    fn shrink(pool: *Pool, now_ms: u64) void {
        while (pool.chunk_count > keep_chunks) {
            const top = pool.chunk_count - 1;
            if (pool.used[top] != 0 or pool.in_use > top * chunk_ops / 2) return;
            if (now_ms -| pool.empty_since_ms[top] < shrink_after_ms) return;
            const ops = pool.chunks[top].?[0..chunk_ops];
            // Idle aios: nng_aio_free only waits for a callback that is still returning.
            for (ops) |*op| {
                assert(!op.busy);
                nng.nng_aio_free(op.aio);
            }
            std.heap.c_allocator.free(ops);
            pool.chunks[top] = null;
            pool.free_heads[top] = no_op;
            pool.chunk_count = top;
            if (pool.low > top) pool.low = top;
        }
    }

    fn grow(pool: *Pool, rt: *Runtime) !void {
        if (pool.chunk_count == max_chunks) return error.PoolExhausted;
        try pool.busy.ensureTotalCapacity(std.heap.c_allocator, (pool.chunk_count + 1) * chunk_ops);
        const ops = try std.heap.c_allocator.alloc(Op, chunk_ops);
        const c = pool.chunk_count;
        const base = c * chunk_ops;
        var made: u32 = 0;
        errdefer {
            for (ops[0..made]) |*op| nng.nng_aio_free(op.aio);
            std.heap.c_allocator.free(ops);
        }
        for (ops, 0..) |*op, i| {
            var aio: ?*nng.Aio = null;
            if (nng.nng_aio_alloc(&aio, opComplete, op) != 0) return error.OutOfMemory;
            op.* = .{ .aio = aio.?, .rt = rt, .index = base + @as(u32, @intCast(i)) };
            made += 1;
        }
        // Thread the new ops onto the chunk's free list in index order.
        var i: u32 = chunk_ops;
        while (i > 0) {
            i -= 1;
            ops[i].next_free = pool.free_heads[c];
            pool.free_heads[c] = base + i;
        }
        pool.used[c] = 0;
        pool.chunks[c] = ops.ptr;
        pool.chunk_count += 1;
    }
};

pub const Runtime = struct {
    ring: Ring,
    pool: Pool = .{},
    batch: [batch_max]Entry align(64) = undefined,
    /// The JS wake-up (a threadsafe JSCallback), as an address; 0 when shut down.
    wake_fn: Atomic(usize) = Atomic(usize).init(0),
    /// Guards the links between req receives and their requests' sends (chain.zig).
    chain_mutex: std.Thread.Mutex = .{},
    /// For synchronous operations with a time limit, and their received message.
    sync_aio: *nng.Aio,
    sync_msg: ?*nng.Msg = null,

    pub fn create(wake_fn: ?WakeFn) ?*Runtime {
        const rt = std.heap.c_allocator.create(Runtime) catch return null;
        const ring = Ring.init(std.heap.c_allocator, ring_capacity) catch {
            std.heap.c_allocator.destroy(rt);
            return null;
        };
        var aio: ?*nng.Aio = null;
        if (nng.nng_aio_alloc(&aio, null, null) != 0) {
            var r = ring;
            r.deinit(std.heap.c_allocator);
            std.heap.c_allocator.destroy(rt);
            return null;
        }
        rt.* = .{ .ring = ring, .sync_aio = aio.? };
        rt.setWake(wake_fn);
        return rt;
    }

    pub fn setWake(rt: *Runtime, wake_fn: ?WakeFn) void {
        rt.wake_fn.store(if (wake_fn) |f| @intFromPtr(f) else 0, .release);
    }

    /// Called by a producer that took the wake-up token.
    pub fn wake(rt: *Runtime) void {
        const addr = rt.wake_fn.load(.acquire);
        if (addr != 0) {
            const f: WakeFn = @ptrFromInt(addr);
            f();
        }
    }

    /// Publishes a filled completion entry. The caller must not touch `node` afterwards.
    pub fn complete(rt: *Runtime, node: *ring_mod.Node) void {
        if (rt.ring.push(node)) rt.wake();
    }

    /// Copies up to `max` completions into `batch` and releases their ops.
    pub fn drain(rt: *Runtime, max: u32) u32 {
        const n = @min(max, batch_max);
        return rt.ring.drain(rt.batch[0..n], rt, releaseOnPop);
    }

    fn releaseOnPop(rt: *Runtime, entry: *const Entry) void {
        if (entry.kind == .flood) return; // test completions carry no op
        const op = rt.pool.get(entry.op_id);
        if (op.wait_cv) |cv| {
            op.wait_cv = null;
            cv.release();
        }
        rt.pool.release(op);
    }
};

/// The aio callback of every pooled op. Runs on an NNG task thread (or inline on one, when NNG
/// finishes an aio synchronously). It only fills the op's entry, frees what JS will not need,
/// publishes the entry, signals the cv, and wakes JS if the ring was idle. After the push it must
/// not touch the op: the JS thread may already have drained and reused it.
fn opComplete(arg: ?*anyopaque) callconv(.c) void {
    const op: *Op = @ptrCast(@alignCast(arg.?));
    var result = nng.nng_aio_result(op.aio);
    if (op.chained and op.phase == 0) {
        result = chain.followerWoke(op) orelse return;
    }
    if (op.kind == .request and op.phase == 0 and result == 0) {
        result = continueRequest(op) orelse return;
    }
    finish(op, result);
}

/// The send of a request went out: start its receive on the same aio, unless the op was stopped.
/// Returns null when the receive started, else the result to finish with.
fn continueRequest(op: *Op) ?c_int {
    op.lock.lock();
    defer op.lock.unlock();
    if (op.stopped) return op.stop_rv;
    op.phase = 1;
    nng.nng_aio_set_timeout(op.aio, op.recv_timeout);
    // NNG finishes a context receive asynchronously (never inline on this thread), so holding the
    // lock here cannot deadlock against our own completion, which takes it below.
    switch (op.target) {
        0 => nng.nng_socket_recv(.{ .id = op.target_id }, op.aio),
        else => nng.nng_ctx_recv(.{ .id = op.target_id }, op.aio),
    }
    return null;
}

/// Stops an op in flight: it completes with `rv` (NNG_ECANCELED for stopAio, NNG_ECLOSED when
/// its socket closes) unless it completes first.
pub fn stop(op: *Op, rv: c_int) void {
    if (op.chained and chain.stopQueued(op, rv)) return;
    op.lock.lock();
    defer op.lock.unlock();
    op.stopped = true;
    op.stop_rv = rv;
    nng.nng_aio_abort(op.aio, rv);
}

/// Before a socket or context is closed: stops every message op on it with NNG_ECLOSED and waits
/// until each has completed, so that every operation of a closed socket ends with 7, whatever its
/// protocol would say. (It began as a guard against NNG 1.5.2's close, which did not wait for its
/// aio expiry thread: a timed-out op's cancel routine could run on freed protocol state.)
/// `ctx_id` 0 means every op of socket `sock_id`.
pub fn abortFor(rt: *Runtime, sock_id: u32, ctx_id: u32) void {
    // Receives first, then sends, then wait: a req context asserts that no receive is pending when
    // its send is cancelled. Only the ops in use are looked at: this costs what is in flight,
    // whatever happened before. (The list does not change meanwhile: ops leave it when JavaScript
    // drains their completions, which cannot happen during this call.)
    const passes = [_]Kind{ .recv, .send, .none };
    var found: u32 = 0;
    for (passes) |pass| {
        for (rt.pool.busyOps()) |index| {
            const op = rt.pool.get(index);
            assert(op.busy);
            if (op.sock_id != sock_id) continue;
            const kind: Kind = switch (op.kind) {
                .recv, .request => .recv,
                .send => .send,
                else => continue,
            };
            if (ctx_id != 0 and (op.target != 1 or op.target_id != ctx_id)) continue;
            if (pass == .none) {
                nng.nng_aio_wait(op.aio);
            } else if (kind == pass) {
                stop(op, nng.ECLOSED);
                found += 1;
            }
        }
        if (pass == .send and found == 0) return;
    }
}

/// Completes an op from outside its aio callback (a device or waitAsync thread, a chained receive).
pub fn finishOp(op: *Op, result: c_int) void {
    finish(op, result);
}

fn finish(op: *Op, result: c_int) void {
    if (op.leadable) chain.leaderDone(op, result);
    const rt = op.rt;
    const cv = op.cv;
    op.cv = null;
    const e = &op.node.entry;
    e.* = .{ .op_id = op.index, .kind = op.kind, .result = result };

    switch (op.kind) {
        .send, .recv, .request => {
            const msg = nng.nng_aio_get_msg(op.aio);
            nng.nng_aio_set_msg(op.aio, null);
            if (msg) |m| {
                // A failed send leaves its message with the aio; a receive hands one over. A
                // successful send's message belongs to NNG even when the aio still points at it:
                // NNG 1.5.2's pub frees it and leaves the pointer (freeing it here was a double free).
                if (op.kind == .send) {
                    if (result != 0) nng.nng_msg_free(m);
                } else if (result == 0) fillFromMsg(e, m) else nng.nng_msg_free(m);
            }
        },
        .sleep, .device, .cvwait => {},
        .stream_open, .stream_send, .stream_recv => streams.finishOp(op, e, result),
        else => unreachable,
    }
    if (op.kind == .request or op.chained) {
        // Wait for a thread still inside continueRequest() / chain.start() for this op.
        op.lock.lock();
        op.lock.unlock();
    }
    @atomicStore(bool, &op.finished, true, .release);
    rt.complete(&op.node);
    if (cv) |c| {
        c.signal();
        c.release();
    }
}

/// Completes an op that has no aio callback (a device thread ending).
pub fn finishWithoutAio(op: *Op, result: c_int) void {
    finish(op, result);
}

/// Puts a received message into an entry: inline (and freed here, off the JS thread) when small,
/// else by pointer, handing ownership to JS.
pub fn fillFromMsg(e: *Entry, msg: *nng.Msg) void {
    const len = nng.nng_msg_len(msg);
    e.len = @intCast(len);
    e.pipe = nng.nng_msg_get_pipe(msg).id;
    if (len <= ring_mod.inline_max) {
        if (len > 0) @memcpy(e.data[0..len], nng.nng_msg_body(msg)[0..len]);
        e.flags |= ring_mod.flag_inline;
        nng.nng_msg_free(msg);
    } else {
        e.setMsg(@intFromPtr(msg));
        // The body's address rides in the (unused) inline area, so JS can wrap it without a copy.
        const body: u64 = @intFromPtr(nng.nng_msg_body(msg));
        @memcpy(e.data[0..8], std.mem.asBytes(&body));
    }
}

/// Zero-copy receives: JS wraps a message body in an ArrayBuffer whose deallocator (this, called
/// when the buffer is garbage-collected) frees the message. `live_kib` counts what such buffers
/// hold, so JS can fall back to copying once too much waits for the garbage collector.
pub var live_kib: std.atomic.Value(u32) = .init(0);

pub fn kibOf(len: usize) u32 {
    return @intCast((len + 1023) / 1024);
}

pub fn msgDeallocate(bytes: ?*anyopaque, ctx: ?*anyopaque) callconv(.c) void {
    _ = bytes;
    const msg: *nng.Msg = @ptrCast(ctx.?);
    _ = live_kib.fetchSub(kibOf(nng.nng_msg_len(msg)), .monotonic);
    nng.nng_msg_free(msg);
}
