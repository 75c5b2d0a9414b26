//! Raw byte streams (NNG's nng_stream API): tcp, ipc, ws, wss and tls+tcp connections to peers
//! that do not speak the SP protocols. nanonext's stream().
//!
//! A `Stream` is one heap object per connection, owned by one TypeScript Stream. It holds the
//! nng_stream once the dial or accept has completed, and the dialer or listener that made it.
//!
//! Lifetime. JavaScript holds one reference; every send or receive in flight holds another. close()
//! (JS thread) closes the connection, which completes the operations in flight with NNG_ECLOSED,
//! frees the endpoint, and drops the JS reference. The last release frees the nng_stream: possibly
//! on an NNG thread, inside an op's completion, which is safe because every stream transport only
//! queues its connection to NNG's reaper there.
//!
//! Sends. nng_stream_send may write fewer bytes than asked (a non-blocking socket takes what fits),
//! and a second send started meanwhile would then interleave its bytes with the first one's rest.
//! So each stream has a writer: one aio of its own that writes the queued sends one after another,
//! re-issuing each remainder from its completion callback (no JavaScript hop). A send's own aio
//! (its op's, or the runtime's sync aio) is driven through NNG's provider API: begun and deferred
//! while queued, so that its time limit (counted from submission) and stopAio still apply, and
//! finished once all its bytes are written.
//!
//! Receives. Each stream also has a reader: two reads of its own (each an aio and a 64 KiB
//! buffer) kept posted on the connection while their buffers are free, whose bytes go to the
//! receives queued on the stream, in the order the reads were posted (each receive gets what one
//! read brought, up to its size). A receive's own aio is driven through the provider API as a
//! send's is, so its time limit and stopAio are the shim's own cancel routine, which always
//! completes it. Why not NNG's receive directly: NNG 2.0's ws and tls+tcp streams do not complete a
//! receive (nor a send) started after their connection failed (ws_str_recv queues it; tls_cancel
//! aborts an idle transport aio), so a limited receive never ended and stopAio waited forever; and
//! a time-out of a tls+tcp receive ends the whole connection (tls_bio_recv_cb). With a read always
//! posted, the shim learns that the peer has gone when it happens, even while nobody receives: two
//! reads, because the connection may fail just after one read completes and before it is posted
//! again, and a failure with no read posted is lost (ws is also asked whether it closed, which it
//! answers; tls+tcp has no such question). Once a read has failed, the stream is failed: its
//! connection is closed (which ends a send NNG still holds), receives take what was read before
//! the failure and then end with its error (31, the peer closed; 7, closed), and sends end with it.
//!
//! Buffers are nng_msgs used as plain bytes (the iov points into the body). A receive's buffer is
//! chopped to the count received and then reaches JS exactly as a received message does: inline
//! in the ring entry when small (freed here), else by pointer, copied and freed by bnng_msg_take;
//! synchronous receives leave it in the runtime for bnng_sync_take.
const std = @import("std");
const Atomic = std.atomic.Value;
const nng = @import("nng.zig");
const ring = @import("ring.zig");
const runtime = @import("runtime.zig");
const Cv = @import("cv.zig").Cv;
const Runtime = runtime.Runtime;
const Op = runtime.Op;

const ESTATE: c_int = 11;
const ECONNSHUT: c_int = 31;

/// A read's buffer: the most one read takes from the connection.
pub const read_ahead = 64 * 1024;

/// One of a stream's two reads. Its state is guarded by the stream's `mutex`.
const Read = struct {
    stream: *Stream,
    aio: *nng.Aio,
    buf: *[read_ahead]u8,
    /// Order of posting: bytes reach receives in this order, whatever order the callbacks run in.
    seq: u64 = 0,
    state: enum { idle, posted, completed, full } = .idle,
    /// completed: NNG's result and count. full: buf[start..len] is not taken yet.
    rv: c_int = 0,
    len: usize = 0,
    start: usize = 0,
};

/// A receive in a stream's queue: an asynchronous op's (inside its Op) or a synchronous receive's
/// (on the JS thread's stack, which waits for it).
pub const RecvNode = struct {
    /// Finished (nng_aio_finish) when bytes arrived (`got` of them), or with the error that ended it.
    aio: ?*nng.Aio = null,
    base: [*]u8 = undefined,
    cap: usize = 0,
    got: usize = 0,
    next: ?*RecvNode = null,
};

/// A send in a stream's queue: an asynchronous op's (inside its Op) or a synchronous send's (on the
/// JS thread's stack, which waits for it).
pub const SendNode = struct {
    /// Finished (nng_aio_finish) when all bytes are written, or with the error that ended it.
    aio: ?*nng.Aio = null,
    base: [*]const u8 = undefined,
    len: usize = 0,
    sent: usize = 0,
    /// Set when a stop or time-out hits the send while it is being written: what it ends with.
    cancel_rv: c_int = 0,
    next: ?*SendNode = null,
};

pub const Stream = struct {
    /// null until the dial or accept has completed.
    conn: ?*nng.Stream = null,
    dialer: ?*nng.StreamDialer = null,
    listener: ?*nng.StreamListener = null,
    refs: Atomic(u32) = Atomic(u32).init(1),
    /// The writer and its queue (the head is the send being written); `mutex` guards the queue
    /// and `closed`. Once closed nothing new is written: NNG's ipc and tcp connections never
    /// complete a send started after their close.
    writer: *nng.Aio,
    mutex: std.Thread.Mutex = .{},
    head: ?*SendNode = null,
    tail: ?*SendNode = null,
    closed: bool = false,
    /// The reader (see the file's header); its state is guarded by `mutex` too.
    reads: [2]Read,
    /// The seq the next posted read gets, and the seq of the next completion to take in order.
    post_seq: u64 = 0,
    take_seq: u64 = 0,
    /// A ws connection: asked whether it closed each time a read is posted.
    ws: bool = false,
    /// Receives waiting for bytes, oldest first.
    rhead: ?*RecvNode = null,
    rtail: ?*RecvNode = null,
    /// The reader's error once the connection failed or the peer ended it (0 while it is alive):
    /// every receive and send after that ends with it.
    failed: c_int = 0,
    /// nng_stream_close was called (by close(), or by the reader when the connection failed).
    conn_closed: bool = false,

    fn retain(s: *Stream) void {
        _ = s.refs.fetchAdd(1, .monotonic);
    }

    fn release(s: *Stream) void {
        if (s.refs.fetchSub(1, .acq_rel) != 1) return;
        // The queue is empty (every queued send holds a reference); this waits for a writer
        // callback that may still be returning on another thread.
        nng.nng_aio_free(s.writer);
        // After the connection's close: no read is left to wait for.
        for (s.reads) |r| nng.nng_aio_free(r.aio);
        if (s.conn) |c| nng.nng_stream_free(c);
        for (s.reads) |r| std.heap.c_allocator.destroy(r.buf);
        std.heap.c_allocator.destroy(s);
    }

    /// Posts every idle read while the connection is alive. Under `mutex`. Returns whether a ws
    /// connection said it has closed (then the caller closes it, outside `mutex`, which ends the
    /// posted reads). Stream transports finish aios through NNG's task queue, never inline on this
    /// thread, so holding `mutex` cannot deadlock against readDone.
    fn armReads(s: *Stream) bool {
        if (s.failed != 0 or s.conn_closed) return false;
        const conn = s.conn orelse return false;
        var posted = false;
        // Oldest buffer first (a lower seq was freed first), so the two keep taking turns.
        const order: [2]usize = if (s.reads[0].seq <= s.reads[1].seq) .{ 0, 1 } else .{ 1, 0 };
        for (order) |i| {
            const r = &s.reads[i];
            if (r.state != .idle) continue;
            r.* = .{ .stream = s, .aio = r.aio, .buf = r.buf, .seq = s.post_seq, .state = .posted };
            s.post_seq += 1;
            setIov(r.aio, r.buf, read_ahead);
            nng.nng_aio_set_timeout(r.aio, nng.duration_infinite);
            nng.nng_stream_recv(conn, r.aio);
            posted = true;
        }
        if (!posted or !s.ws) return false;
        // A ws connection that closed while no read was posted keeps the new ones for good
        // (ws_str_recv); it does say it is closed to any option read (ws_str_get).
        var text = false;
        return nng.nng_stream_get_bool(conn, "ws:send-text", &text) == nng.ECLOSED;
    }

    /// The read whose bytes come next: the full one posted first. Under `mutex`.
    fn oldestFull(s: *Stream) ?*Read {
        var best: ?*Read = null;
        for (&s.reads) |*r| {
            if (r.state == .full and (best == null or r.seq < best.?.seq)) best = r;
        }
        return best;
    }

    /// Takes completed reads in posting order: their bytes become available, or the first error
    /// fails the stream. Under `mutex`. Returns whether the stream failed just now.
    fn takeCompletions(s: *Stream) bool {
        while (true) {
            const r = for (&s.reads) |*r| {
                if (r.state == .completed and r.seq == s.take_seq) break r;
            } else return false;
            s.take_seq += 1;
            if (s.failed != 0) {
                r.state = .idle; // after the failure: nothing to keep
                continue;
            }
            if (r.rv == 0 and r.len > 0) {
                std.debug.assert(r.len <= read_ahead);
                r.state = .full;
                r.start = 0;
                continue;
            }
            // Nothing read without an error would be an end of stream: never spin on it.
            s.failed = if (s.closed) nng.ECLOSED else if (r.rv == 0) ECONNSHUT else r.rv;
            r.state = .idle;
            return true;
        }
    }

    /// Gives read bytes to queued receives, oldest first, and returns those it filled as a
    /// detached list for the caller to finish (after unlocking). A read emptied is idle again.
    /// Under `mutex`.
    fn deliver(s: *Stream) ?*RecvNode {
        var done: ?*RecvNode = null;
        var done_tail: ?*RecvNode = null;
        while (s.rhead) |n| {
            const r = s.oldestFull() orelse break;
            n.got = @min(n.cap, r.len - r.start);
            @memcpy(n.base[0..n.got], r.buf[r.start..][0..n.got]);
            r.start += n.got;
            if (r.start == r.len) r.state = .idle;
            s.rhead = n.next;
            if (s.rhead == null) s.rtail = null;
            n.next = null;
            if (done_tail) |t| t.next = n else done = n;
            done_tail = n;
        }
        return done;
    }

    /// Takes every queued receive out, as a detached list. Under `mutex`.
    fn takeReceives(s: *Stream) ?*RecvNode {
        const list = s.rhead;
        s.rhead = null;
        s.rtail = null;
        return list;
    }

    /// Starts writing the rest of the head send. Under `mutex`, with a head.
    fn writeHead(s: *Stream) void {
        const n = s.head.?;
        setIov(s.writer, @constCast(n.base) + n.sent, n.len - n.sent);
        // No limit of its own: the send's aio carries it (a time-out cancels this write).
        nng.nng_aio_set_timeout(s.writer, nng.duration_infinite);
        // Stream transports finish aios through NNG's task queue, never inline on this thread, so
        // holding `mutex` here cannot deadlock against writerDone.
        nng.nng_stream_send(s.conn.?, s.writer);
    }
};

/// The stream part of a pooled op (`Op.io`); reset when the op finishes.
pub const OpState = struct {
    /// The stream of a send or receive (a reference), or the one a dial or accept completes.
    stream: ?*Stream = null,
    /// A send's copy of its bytes, or a receive's buffer.
    buf: ?*nng.Msg = null,
    /// A send's place in its stream's queue.
    node: SendNode = .{},
    /// A receive's place in its stream's queue.
    recv: RecvNode = .{},
};

fn setIov(aio: *nng.Aio, base: [*]u8, len: usize) void {
    const iov = [1]nng.Iov{.{ .buf = base, .len = len }};
    // NNG copies the vector into the aio; one entry never exceeds its capacity.
    _ = nng.nng_aio_set_iov(aio, 1, &iov);
}

fn attachCv(op: *Op, cv: ?*Cv) void {
    if (cv) |c| {
        c.retain();
        op.cv = c;
    }
}

/// Creates the stream object and its endpoint: a dialer (not yet dialing), or a listener already
/// bound (so a port-0 listener has its port). Options: text frames (ws), extra request headers
/// as "Name: value\r\n" lines (ws dialers), a TLS config (wss, tls+tcp). null on failure, with the
/// NNG error code in `err`.
pub fn new(url: [*:0]const u8, listen: bool, textframes: bool, headers: ?[*:0]const u8, tls: ?*anyopaque, err: *i32) ?*Stream {
    const s = std.heap.c_allocator.create(Stream) catch {
        err.* = nng.ENOMEM;
        return null;
    };
    var writer: ?*nng.Aio = null;
    var aios: [2]?*nng.Aio = .{ null, null };
    var bufs: [2]?*[read_ahead]u8 = .{ null, null };
    var ok = nng.nng_aio_alloc(&writer, writerDone, s) == 0;
    for (0..2) |i| {
        if (!ok) break;
        bufs[i] = std.heap.c_allocator.create([read_ahead]u8) catch null;
        // The callback's argument is the read itself (its place in `s`, filled in below).
        ok = bufs[i] != null and nng.nng_aio_alloc(&aios[i], readDone, &s.reads[i]) == 0;
    }
    if (!ok) {
        if (writer) |w| nng.nng_aio_free(w);
        for (aios) |a| if (a) |x| nng.nng_aio_free(x);
        for (bufs) |b| if (b) |x| std.heap.c_allocator.destroy(x);
        std.heap.c_allocator.destroy(s);
        err.* = nng.ENOMEM;
        return null;
    }
    s.* = .{
        .writer = writer.?,
        .reads = .{
            .{ .stream = s, .aio = aios[0].?, .buf = bufs[0].? },
            .{ .stream = s, .aio = aios[1].?, .buf = bufs[1].? },
        },
        // ws:// and wss:// (and ws4, ws6). Two bytes, not a span of the URL: a vectorised scan
        // for its nul reads past it, which memcheck reports when the caller's buffer has
        // uninitialised bytes there.
        .ws = url[0] == 'w' and url[1] == 's',
    };
    const rv = if (listen) setUpListener(s, url, textframes, tls) else setUpDialer(s, url, textframes, headers, tls);
    err.* = rv;
    if (rv != 0) {
        close(s);
        return null;
    }
    return s;
}

fn setUpDialer(s: *Stream, url: [*:0]const u8, textframes: bool, headers: ?[*:0]const u8, tls: ?*anyopaque) c_int {
    var d: ?*nng.StreamDialer = null;
    var rv = nng.nng_stream_dialer_alloc(&d, url);
    if (rv != 0) return rv;
    s.dialer = d;
    if (textframes) {
        rv = nng.nng_stream_dialer_set_bool(d.?, "ws:send-text", true);
        if (rv == 0) rv = nng.nng_stream_dialer_set_bool(d.?, "ws:recv-text", true);
        if (rv != 0) return rv;
    }
    if (headers) |h| {
        rv = setRequestHeaders(d.?, std.mem.span(h));
        if (rv != 0) return rv;
    }
    if (tls) |cfg| {
        rv = nng.nng_stream_dialer_set_tls(d.?, @ptrCast(cfg)); // NNG holds its own reference
        if (rv != 0) return rv;
    }
    return 0;
}

/// The longest header name the shim sets ("ws:header:" and the name, with the nul, on the stack).
const header_name_max = 256;

/// Sets each "Name: value" line of `headers` (CRLF- or LF-separated) as a request header, through
/// NNG 2.0's per-header option "ws:header:<Name>". EINVAL for a line without a colon or a name
/// longer than header_name_max.
fn setRequestHeaders(d: *nng.StreamDialer, headers: []const u8) c_int {
    const prefix = "ws:header:";
    var lines = std.mem.tokenizeAny(u8, headers, "\r\n");
    while (lines.next()) |line| {
        const colon = std.mem.indexOfScalar(u8, line, ':') orelse return nng.EINVAL;
        const key = std.mem.trim(u8, line[0..colon], " \t");
        const value = std.mem.trim(u8, line[colon + 1 ..], " \t");
        if (key.len == 0 or prefix.len + key.len + 1 > header_name_max) return nng.EINVAL;
        var name: [header_name_max]u8 = undefined;
        @memcpy(name[0..prefix.len], prefix);
        @memcpy(name[prefix.len..][0..key.len], key);
        name[prefix.len + key.len] = 0;
        // The value needs a nul too: copied into an NNG message-free buffer of its own.
        const copy = std.heap.c_allocator.allocSentinel(u8, value.len, 0) catch return nng.ENOMEM;
        defer std.heap.c_allocator.free(copy);
        @memcpy(copy[0..value.len], value);
        const rv = nng.nng_stream_dialer_set_string(d, @ptrCast(&name), copy.ptr);
        if (rv != 0) return rv;
    }
    return 0;
}

fn setUpListener(s: *Stream, url: [*:0]const u8, textframes: bool, tls: ?*anyopaque) c_int {
    var l: ?*nng.StreamListener = null;
    var rv = nng.nng_stream_listener_alloc(&l, url);
    if (rv != 0) return rv;
    s.listener = l;
    if (textframes) {
        rv = nng.nng_stream_listener_set_bool(l.?, "ws:send-text", true);
        if (rv == 0) rv = nng.nng_stream_listener_set_bool(l.?, "ws:recv-text", true);
        if (rv != 0) return rv;
    }
    if (tls) |cfg| {
        rv = nng.nng_stream_listener_set_tls(l.?, @ptrCast(cfg));
        if (rv != 0) return rv;
    }
    return nng.nng_stream_listener_listen(l.?);
}

/// The port a tcp or ws listener is bound to (after listening on port 0), or -(code).
pub fn port(s: *Stream) i32 {
    const l = s.listener orelse return -nng.EINVAL;
    var p: c_int = 0;
    const rv = nng.nng_stream_listener_get_int(l, "bound-port", &p);
    return if (rv != 0) -rv else p;
}

/// Starts the dial, or the accept of one connection. Completes op (returned) through the ring;
/// the stream has its connection when the result is 0. Returns -(code) when it cannot start.
pub fn start(rt: *Runtime, s: *Stream) i32 {
    if (s.conn != null) return -ESTATE;
    const op = rt.pool.acquire(rt, .stream_open) orelse return -nng.ENOMEM;
    // No reference: JavaScript keeps the stream until this completion is drained.
    op.io.stream = s;
    nng.nng_aio_set_timeout(op.aio, nng.duration_default);
    const index: i32 = @intCast(op.index);
    if (s.dialer) |d| nng.nng_stream_dialer_dial(d, op.aio) else nng.nng_stream_listener_accept(s.listener.?, op.aio);
    return index;
}

/// JavaScript's close (once): completes the operations in flight with NNG_ECLOSED, frees the
/// endpoint, and drops JavaScript's reference. Also how a stream whose dial or accept failed goes.
pub fn close(s: *Stream) void {
    s.mutex.lock();
    s.closed = true;
    // The sends waiting behind the one being written end here; that one ends in writerDone when
    // nng_stream_close aborts its write.
    var waiting: ?*SendNode = null;
    if (s.head) |h| {
        waiting = h.next;
        h.next = null;
        s.tail = h;
    }
    const close_conn = !s.conn_closed;
    s.conn_closed = true;
    // A receive can only be queued while a read is posted, and closing the connection ends that
    // read, which ends them (readDone); none is left behind here.
    s.mutex.unlock();
    if (s.conn) |c| {
        if (close_conn) nng.nng_stream_close(c);
    }
    finishAll(waiting, nng.ECLOSED);
    if (s.dialer) |d| nng.nng_stream_dialer_free(d);
    if (s.listener) |l| nng.nng_stream_listener_free(l);
    s.dialer = null;
    s.listener = null;
    s.release();
}

/// Queues a send whose aio has its time limit set; the writer finishes the aio when done.
fn enqueueSend(s: *Stream, node: *SendNode, timeout_ms: i32) void {
    _ = timeout_ms; // already on the aio: nng_aio_start fails a zero time-out at once
    const aio = node.aio.?;
    s.mutex.lock();
    defer s.mutex.unlock();
    // false: NNG has completed the aio already (stopped, aborted, or a zero time-out, which fails
    // at once as for NNG's own stream sends). The callbacks run on NNG's task threads, never
    // inline, so holding the stream's lock here is safe.
    if (!nng.nng_aio_start(aio, cancelSend, s)) return;
    // An empty send is done; a closed or failed stream takes none.
    if (s.closed or s.failed != 0 or node.len == 0) {
        nng.nng_aio_finish(aio, if (s.closed) nng.ECLOSED else if (s.failed != 0) s.failed else 0);
        return;
    }
    const idle = s.head == null;
    if (s.tail) |t| t.next = node else s.head = node;
    s.tail = node;
    if (idle) s.writeHead();
}

/// The writer's aio callback: counts what was written, re-issues the rest, or finishes the head
/// send and starts the next one.
fn writerDone(arg: ?*anyopaque) callconv(.c) void {
    const s: *Stream = @ptrCast(@alignCast(arg.?));
    const rv = nng.nng_aio_result(s.writer);
    const count = nng.nng_aio_count(s.writer);
    s.mutex.lock();
    const n = s.head.?; // a send leaves the queue only here, or in cancelSend when not at the head
    if (rv == 0) n.sent += count;
    var result: c_int = n.cancel_rv;
    if (result == 0 and rv != 0) result = rv;
    if (result == 0 and n.sent < n.len) {
        if (count > 0 and !s.closed) {
            s.writeHead();
            s.mutex.unlock();
            return;
        }
        // Closed while this write was completing (nothing left for the close to abort), or no
        // progress without an error (which does not happen; never spin on it).
        result = if (s.closed) nng.ECLOSED else ECONNSHUT;
    }
    // The reader found the connection failed and closed it, which ended this write: say why.
    if (result == nng.ECLOSED and !s.closed and s.failed != 0) result = s.failed;
    s.head = n.next;
    var dropped: ?*SendNode = null;
    if (s.head == null) {
        s.tail = null;
    } else if (s.closed) {
        dropped = s.head;
        s.head = null;
        s.tail = null;
    } else s.writeHead();
    const aio = n.aio.?;
    s.mutex.unlock();
    // Not before: a synchronous send's node lives on a stack that this releases.
    nng.nng_aio_finish(aio, result);
    finishAll(dropped, nng.ECLOSED);
}

/// Ends a detached list of sends (no longer in any queue, so cancelSend cannot reach them).
fn finishAll(list: ?*SendNode, rv: c_int) void {
    var cur = list;
    while (cur) |n| {
        cur = n.next; // first: finishing lets the node's op be reused
        nng.nng_aio_finish(n.aio.?, rv);
    }
}

/// NNG's cancel routine for a queued send (a stop, or its time limit): a send still waiting leaves
/// the queue at once; the one being written has its write aborted, and writerDone finishes it.
/// The stream is alive: the send holds a reference until it finishes, and a stop from JavaScript
/// holds the op's lock, which finishOp waits for. (A time-out fired by NNG's expire thread just as
/// the send finishes has the same narrow window as NNG's own providers' cancel routines.)
fn cancelSend(aio: ?*nng.Aio, arg: ?*anyopaque, rv: c_int) callconv(.c) void {
    const s: *Stream = @ptrCast(@alignCast(arg.?));
    s.mutex.lock();
    var prev: ?*SendNode = null;
    var cur = s.head;
    while (cur) |n| : (cur = n.next) {
        if (n.aio == aio) break;
        prev = n;
    }
    const n = cur orelse {
        s.mutex.unlock(); // already finished
        return;
    };
    if (prev) |p| {
        p.next = n.next;
        if (s.tail == n) s.tail = p;
        s.mutex.unlock();
        nng.nng_aio_finish(aio.?, rv);
        return;
    }
    if (n.cancel_rv == 0) n.cancel_rv = rv;
    nng.nng_aio_cancel(s.writer); // finishes through writerDone (never inline)
    s.mutex.unlock();
}

/// Queues a receive whose aio has its time limit set, or completes it at once with bytes already
/// read (even with a zero time-out), or with the stream's error.
fn enqueueRecv(s: *Stream, node: *RecvNode) void {
    const aio = node.aio.?;
    nng.nng_aio_reset(aio);
    s.mutex.lock();
    if (s.oldestFull() != null or s.closed or s.failed != 0) {
        // Completes without being started: nothing can cancel it meanwhile.
        var rv: c_int = if (s.closed) nng.ECLOSED else s.failed;
        var ws_closed = false;
        if (!s.closed and s.oldestFull() != null) {
            rv = 0;
            std.debug.assert(s.rhead == null); // queued receives take bytes as soon as they come
            s.rhead = node;
            s.rtail = node;
            const filled = s.deliver();
            std.debug.assert(filled == node and node.next == null);
            ws_closed = s.armReads();
        }
        const conn = s.conn;
        s.mutex.unlock();
        nng.nng_aio_finish(aio, rv);
        if (ws_closed) nng.nng_stream_close(conn.?);
        return;
    }
    // false: NNG has completed the aio already (stopped, aborted, or a zero time-out).
    if (!nng.nng_aio_start(aio, cancelRecv, s)) {
        s.mutex.unlock();
        return;
    }
    if (s.rtail) |t| t.next = node else s.rhead = node;
    s.rtail = node;
    const ws_closed = s.armReads();
    const conn = s.conn;
    s.mutex.unlock();
    if (ws_closed) nng.nng_stream_close(conn.?);
}

/// The aio callback of a stream's reads: takes the completions in posting order, hands their
/// bytes to the queued receives and posts the emptied reads again; or, on an error, fails the
/// stream: its receives (once the bytes read before are taken) end with the error and its
/// connection is closed, so that a send the transport still holds ends too.
fn readDone(arg: ?*anyopaque) callconv(.c) void {
    const r: *Read = @ptrCast(@alignCast(arg.?));
    const s = r.stream;
    const rv = nng.nng_aio_result(r.aio);
    const count = nng.nng_aio_count(r.aio);
    s.mutex.lock();
    std.debug.assert(r.state == .posted);
    r.state = .completed;
    r.rv = rv;
    r.len = count;
    const failed_now = s.takeCompletions();
    const filled = s.deliver();
    var failed: ?*RecvNode = null;
    var close_conn = false;
    if (s.failed != 0) {
        // Bytes read before the failure went to the receives above; the rest end with it.
        if (s.oldestFull() == null) failed = s.takeReceives();
        close_conn = failed_now and !s.conn_closed;
        if (close_conn) s.conn_closed = true;
    } else {
        close_conn = s.armReads();
    }
    const conn = s.conn.?;
    const result = s.failed;
    s.mutex.unlock();
    finishReceives(filled, 0);
    finishReceives(failed, result);
    // Outside `mutex`: closing finishes the transport's aios, the writer's and a read's among them.
    if (close_conn) nng.nng_stream_close(conn);
}

/// Ends a detached list of receives (no longer queued, so cancelRecv cannot reach them).
fn finishReceives(list: ?*RecvNode, rv: c_int) void {
    var cur = list;
    while (cur) |n| {
        cur = n.next; // first: finishing lets the node's op be reused
        nng.nng_aio_finish(n.aio.?, rv);
    }
}

/// NNG's cancel routine for a queued receive (a stop, or its time limit): it leaves the queue and
/// ends at once. (The reader reads on, for the next receive.)
fn cancelRecv(aio: ?*nng.Aio, arg: ?*anyopaque, rv: c_int) callconv(.c) void {
    const s: *Stream = @ptrCast(@alignCast(arg.?));
    s.mutex.lock();
    var prev: ?*RecvNode = null;
    var cur = s.rhead;
    while (cur) |n| : (cur = n.next) {
        if (n.aio == aio) break;
        prev = n;
    }
    const n = cur orelse {
        s.mutex.unlock(); // already given its bytes, or failed
        return;
    };
    if (prev) |p| p.next = n.next else s.rhead = n.next;
    if (s.rtail == n) s.rtail = prev;
    n.next = null;
    s.mutex.unlock();
    nng.nng_aio_finish(aio.?, rv);
}

/// Starts an asynchronous send of all `len` bytes (copied). Returns the op index, or -(code).
pub fn sendAio(rt: *Runtime, s: *Stream, data: ?[*]const u8, len: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    if (s.conn == null) return -ESTATE;
    var msg: ?*nng.Msg = null;
    if (nng.nng_msg_alloc(&msg, len) != 0) return -nng.ENOMEM;
    const body = nng.nng_msg_body(msg.?);
    if (len > 0) @memcpy(body[0..len], data.?[0..len]);
    const op = rt.pool.acquire(rt, .stream_send) orelse {
        nng.nng_msg_free(msg.?);
        return -nng.ENOMEM;
    };
    attachCv(op, cv);
    s.retain();
    op.io = .{ .stream = s, .buf = msg, .node = .{ .aio = op.aio, .base = body, .len = len } };
    nng.nng_aio_set_timeout(op.aio, timeout_ms);
    const index: i32 = @intCast(op.index);
    enqueueSend(s, &op.io.node, timeout_ms); // may complete at once; `op` is then no longer ours
    return index;
}

/// Starts an asynchronous receive of at most `n` bytes (whatever arrives first). Returns the op
/// index, or -(code).
pub fn recvAio(rt: *Runtime, s: *Stream, n: u32, timeout_ms: i32, cv: ?*Cv) i32 {
    if (s.conn == null) return -ESTATE;
    if (n == 0) return -nng.EINVAL;
    var msg: ?*nng.Msg = null;
    if (nng.nng_msg_alloc(&msg, n) != 0) return -nng.ENOMEM;
    const op = rt.pool.acquire(rt, .stream_recv) orelse {
        nng.nng_msg_free(msg.?);
        return -nng.ENOMEM;
    };
    attachCv(op, cv);
    s.retain();
    op.io = .{ .stream = s, .buf = msg, .recv = .{ .aio = op.aio, .base = nng.nng_msg_body(msg.?), .cap = n } };
    nng.nng_aio_set_timeout(op.aio, timeout_ms);
    const index: i32 = @intCast(op.index);
    enqueueRecv(s, &op.io.recv); // may complete at once; `op` is then no longer ours
    return index;
}

/// From runtime.finish: fills the entry of a stream op, frees or hands over its buffer, and drops
/// the op's stream reference. Leaves `op.io` reset for the op's next use.
pub fn finishOp(op: *Op, e: *ring.Entry, result: c_int) void {
    // runtime.stop() holds op.lock while NNG runs the op's cancel routine (cancelSend, or the
    // transport's), which uses the stream: wait for it before the stream can be freed below.
    op.lock.lock();
    op.lock.unlock();
    const io = op.io;
    op.io = .{};
    switch (op.kind) {
        .stream_open => {
            if (result == 0) {
                const s = io.stream.?;
                s.conn = @ptrCast(nng.nng_aio_get_output(op.aio, 0));
                s.mutex.lock();
                const ws_closed = s.armReads(); // from now on the shim notices when the peer goes
                s.mutex.unlock();
                if (ws_closed) nng.nng_stream_close(s.conn.?);
            }
            return; // JavaScript owns the stream; no reference to drop
        },
        .stream_send => {
            e.len = @intCast(@min(io.node.sent, std.math.maxInt(u32)));
            nng.nng_msg_free(io.buf.?);
        },
        .stream_recv => {
            const msg = io.buf.?;
            if (result == 0) {
                const cap = nng.nng_msg_len(msg);
                std.debug.assert(io.recv.got > 0 and io.recv.got <= cap);
                _ = nng.nng_msg_chop(msg, cap - io.recv.got);
                runtime.fillFromMsg(e, msg);
            } else nng.nng_msg_free(msg);
        },
        else => unreachable,
    }
    io.stream.?.release();
}

/// Synchronous send of all `len` bytes through the stream's queue, on the runtime's sync aio (the
/// JS thread waits; the bytes are not copied). `block_ms`: < 0 no limit, 0 NNG's immediate
/// time-out, > 0 at most that long. Returns 0 or an NNG error code.
pub fn send(rt: *Runtime, s: *Stream, data: ?[*]const u8, len: u32, block_ms: i32) i32 {
    if (s.conn == null) return ESTATE;
    const aio = rt.sync_aio;
    var node = SendNode{ .aio = aio, .base = if (len > 0) data.? else undefined, .len = len };
    const timeout: nng.Duration = if (block_ms < 0) nng.duration_default else block_ms;
    nng.nng_aio_set_timeout(aio, timeout);
    enqueueSend(s, &node, timeout);
    nng.nng_aio_wait(aio);
    return nng.nng_aio_result(aio);
}

/// Synchronous receive of at most `n` bytes; `block_ms` as for send. Returns the count (the bytes
/// wait in the runtime for bnng_sync_take), or -(code).
pub fn recv(rt: *Runtime, s: *Stream, n: u32, block_ms: i32) i32 {
    if (rt.sync_msg) |m| nng.nng_msg_free(m);
    rt.sync_msg = null;
    if (s.conn == null) return -ESTATE;
    if (n == 0) return -nng.EINVAL;
    var msg: ?*nng.Msg = null;
    if (nng.nng_msg_alloc(&msg, n) != 0) return -nng.ENOMEM;
    const aio = rt.sync_aio;
    var node = RecvNode{ .aio = aio, .base = nng.nng_msg_body(msg.?), .cap = n };
    nng.nng_aio_set_timeout(aio, if (block_ms < 0) nng.duration_default else block_ms);
    enqueueRecv(s, &node);
    nng.nng_aio_wait(aio);
    const rv = nng.nng_aio_result(aio);
    if (rv != 0) {
        nng.nng_msg_free(msg.?);
        return -rv;
    }
    std.debug.assert(node.got > 0 and node.got <= n);
    _ = nng.nng_msg_chop(msg.?, n - node.got);
    rt.sync_msg = msg;
    return @intCast(node.got);
}
