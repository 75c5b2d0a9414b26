//! The completion ring: many producers (NNG's task threads, inside aio callbacks), one consumer (the
//! JavaScript thread, draining in batches).
//!
//! - The fast path is a bounded lock-free queue of fixed 128-byte entries (Vyukov's sequence-numbered
//!   slots), allocated once.
//! - It never drops and never blocks a producer on the consumer: when the ring is full the entry is
//!   linked into an intrusive overflow list (the `Node` lives inside the op, so spilling allocates
//!   nothing). While the list is non-empty producers keep spilling, so one producer's entries stay
//!   in order.
//! - Wake-ups: `armed` is true while the consumer is idle and wants to be told. A producer that
//!   publishes an entry swaps it to false and, if it was true, wakes the consumer: one wake-up per
//!   empty-to-non-empty transition. The consumer re-arms when it finds the ring empty and re-checks,
//!   which closes the race with a producer publishing in between.
const std = @import("std");
const assert = std.debug.assert;
const Atomic = std.atomic.Value;

/// Payloads up to this many bytes travel inside the ring entry; larger ones by message pointer.
pub const inline_max: u32 = 96;

/// What a completion was.
pub const Kind = enum(u32) {
    none = 0,
    send = 1,
    recv = 2,
    request = 3,
    /// nng_sleep_aio: completes on an NNG task thread with no I/O (stress tests).
    sleep = 4,
    /// Pushed by the native flood test's own threads; carries no op.
    flood = 5,
    /// A device (forwarder) thread ended.
    device = 6,
    /// A waitAsync thread's cv wait ended.
    cvwait = 7,
    /// Byte streams (zig/streams.zig): a dial or accept, a send of all its bytes, a receive.
    stream_open = 8,
    stream_send = 9,
    stream_recv = 10,
    _,
};

/// `Entry.flags` bits.
pub const flag_inline: u32 = 1;

/// One completion, as the JavaScript side reads it (src/ring.ts mirrors these offsets; both sides
/// check them against `bnng_abi_entry_size` and the offsets exported beside it).
pub const Entry = extern struct {
    /// Index of the op in the op pool.
    op_id: u32 = 0,
    /// 0, or NNG's error code.
    result: i32 = 0,
    /// Payload length in bytes (receives).
    len: u32 = 0,
    /// Id of the pipe the message came from (receives), 0 otherwise.
    pipe: u32 = 0,
    /// The nng_msg* when the payload is not inline, 0 otherwise. Ownership passes to the consumer.
    msg_lo: u32 = 0,
    msg_hi: u32 = 0,
    kind: Kind = .none,
    flags: u32 = 0,
    data: [inline_max]u8 = undefined,

    pub fn setMsg(e: *Entry, msg: usize) void {
        const wide: u64 = msg;
        e.msg_lo = @truncate(wide);
        e.msg_hi = @truncate(wide >> 32);
    }

    pub fn getMsg(e: *const Entry) usize {
        return @intCast((@as(u64, e.msg_hi) << 32) | e.msg_lo);
    }
};

comptime {
    assert(@sizeOf(Entry) == 128);
    assert(@offsetOf(Entry, "data") == 32);
}

/// The overflow link. Producers own a Node (inside their op) and hand it to `push`; the node must
/// stay untouched until the consumer has popped its entry.
pub const Node = struct {
    entry: Entry = .{},
    next: ?*Node = null,
};

const Slot = struct {
    seq: Atomic(u32),
    entry: Entry,
};

pub const Ring = struct {
    slots: []Slot,
    mask: u32,
    enqueue_pos: Atomic(u32) align(64) = Atomic(u32).init(0),
    dequeue_pos: u32 align(64) = 0,
    armed: Atomic(bool) align(64) = Atomic(bool).init(true),
    spilling: Atomic(bool) = Atomic(bool).init(false),
    overflow_mutex: std.Thread.Mutex = .{},
    overflow_head: ?*Node = null,
    overflow_tail: ?*Node = null,
    /// Statistics, for tests and benchmarks (monotonic; read racily).
    spilled: Atomic(u64) = Atomic(u64).init(0),
    wakeups: Atomic(u64) = Atomic(u64).init(0),

    pub fn init(allocator: std.mem.Allocator, capacity: u32) !Ring {
        assert(capacity >= 2 and std.math.isPowerOfTwo(capacity));
        const slots = try allocator.alloc(Slot, capacity);
        for (slots, 0..) |*slot, i| slot.seq = Atomic(u32).init(@intCast(i));
        return .{ .slots = slots, .mask = capacity - 1 };
    }

    pub fn deinit(ring: *Ring, allocator: std.mem.Allocator) void {
        allocator.free(ring.slots);
        ring.* = undefined;
    }

    /// Producer side (any thread). Publishes `node.entry`, copying it into the ring, or links the
    /// node into the overflow list when the ring is full. Returns true when the caller must wake the
    /// consumer. After it returns the caller must not touch `node` again.
    pub fn push(ring: *Ring, node: *Node) bool {
        if (ring.spilling.load(.acquire) or !ring.tryPush(&node.entry)) {
            ring.pushOverflow(node);
        }
        const wake = ring.armed.swap(false, .seq_cst);
        if (wake) _ = ring.wakeups.fetchAdd(1, .monotonic);
        return wake;
    }

    fn tryPush(ring: *Ring, entry: *const Entry) bool {
        var pos = ring.enqueue_pos.load(.monotonic);
        while (true) {
            const slot = &ring.slots[pos & ring.mask];
            const seq = slot.seq.load(.acquire);
            const diff: i32 = @bitCast(seq -% pos);
            if (diff == 0) {
                if (ring.enqueue_pos.cmpxchgWeak(pos, pos +% 1, .monotonic, .monotonic)) |actual| {
                    pos = actual;
                    continue;
                }
                slot.entry = entry.*;
                slot.seq.store(pos +% 1, .release);
                return true;
            } else if (diff < 0) {
                return false; // full
            } else {
                pos = ring.enqueue_pos.load(.monotonic);
            }
        }
    }

    fn pushOverflow(ring: *Ring, node: *Node) void {
        node.next = null;
        ring.overflow_mutex.lock();
        defer ring.overflow_mutex.unlock();
        if (ring.overflow_tail) |tail| {
            tail.next = node;
        } else {
            ring.overflow_head = node;
        }
        ring.overflow_tail = node;
        ring.spilling.store(true, .release);
        _ = ring.spilled.fetchAdd(1, .monotonic);
    }

    /// Consumer side (one thread only). Copies the oldest ready entry into `out`.
    pub fn pop(ring: *Ring, out: *Entry) bool {
        const pos = ring.dequeue_pos;
        const slot = &ring.slots[pos & ring.mask];
        const seq = slot.seq.load(.acquire);
        if (seq == pos +% 1) {
            out.* = slot.entry;
            slot.seq.store(pos +% ring.mask +% 1, .release);
            ring.dequeue_pos = pos +% 1;
            return true;
        }
        // The overflow list only fills while the ring is full, so its entries are newer than
        // everything in the ring: take from it only once the ring is truly empty. A slot that is
        // claimed but not yet published (its producer is mid-write) must come out first, or a
        // producer with entries both behind that slot and in the overflow would see them reordered.
        // That producer wakes us when it publishes.
        if (ring.enqueue_pos.load(.acquire) != pos) return false;
        if (!ring.spilling.load(.acquire)) return false;
        ring.overflow_mutex.lock();
        defer ring.overflow_mutex.unlock();
        const node = ring.overflow_head orelse return false;
        ring.overflow_head = node.next;
        if (ring.overflow_head == null) {
            ring.overflow_tail = null;
            ring.spilling.store(false, .release);
        }
        out.* = node.entry;
        return true;
    }

    /// Consumer side: is an entry ready to pop? (A slot still being written does not count: its
    /// producer will see `armed` and wake the consumer.)
    pub fn ready(ring: *Ring) bool {
        const pos = ring.dequeue_pos;
        if (ring.slots[pos & ring.mask].seq.load(.seq_cst) == pos +% 1) return true;
        return ring.enqueue_pos.load(.seq_cst) == pos and ring.spilling.load(.seq_cst);
    }

    /// Consumer side: pops up to `out.len` entries. When it finds the ring empty it re-arms the
    /// wake-up and re-checks, so an entry published concurrently is either popped here or announced
    /// by a wake-up; never lost. `on_pop` runs for every popped entry (the runtime frees its op).
    pub fn drain(ring: *Ring, out: []Entry, ctx: anytype, comptime on_pop: fn (@TypeOf(ctx), *const Entry) void) u32 {
        var n: u32 = 0;
        while (true) {
            while (n < out.len and ring.pop(&out[n])) : (n += 1) on_pop(ctx, &out[n]);
            if (n == out.len) return n; // batch full; the caller drains again, still disarmed
            ring.armed.store(true, .seq_cst);
            if (!ring.ready()) return n;
            // Something arrived between the last pop and arming: take it now. If a producer already
            // took the wake-up, it will be a spurious one that finds the ring empty and re-arms.
            _ = ring.armed.swap(false, .seq_cst);
        }
    }
};
