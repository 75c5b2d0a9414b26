//! A native stress source for the completion ring: threads that push completions as fast as they
//! can, as NNG's task threads would, to check from JavaScript that none is lost and that the wake-up
//! path survives millions of transitions. Test-only; carries no ops.
const std = @import("std");
const runtime = @import("runtime.zig");
const ring_mod = @import("ring.zig");

pub const max_threads = 16;

pub const Flood = struct {
    rt: *runtime.Runtime,
    per_thread: u32,
    threads: [max_threads]std.Thread = undefined,
    thread_count: u32 = 0,
    nodes: []ring_mod.Node,
    /// Ping-pong mode (startWakes): stop once the ring has counted this many more wake-ups.
    wake_target: u64 = 0,

    /// One completion at a time, each pushed only once JavaScript has drained the previous one and
    /// re-armed the ring: every push is an empty-to-non-empty transition, so every push (but those
    /// racing the consumer's re-check) calls the threadsafe JSCallback. Sequence numbers in `len`.
    fn runWakes(f: *Flood) void {
        const ring = &f.rt.ring;
        const first = ring.wakeups.load(.monotonic);
        const node = &f.nodes[0];
        var seq: u32 = 0;
        while (ring.wakeups.load(.monotonic) - first < f.wake_target) : (seq += 1) {
            // Armed again means the consumer found the ring empty: the node was popped, reusable.
            var spins: u32 = 0;
            while (!ring.armed.load(.acquire)) {
                spins += 1;
                if (spins > 64) std.Thread.yield() catch {};
            }
            node.* = .{ .entry = .{ .op_id = 0, .len = seq, .kind = .flood } };
            f.rt.complete(node);
        }
        // The push that reached the target was the last: once JavaScript has seen the count, one
        // drain takes its node, and then join may free it.
    }

    fn run(f: *Flood, t: u32) void {
        for (0..f.per_thread) |i| {
            const node = &f.nodes[t * f.per_thread + i];
            node.* = .{ .entry = .{ .op_id = t, .len = @intCast(i), .kind = .flood } };
            f.rt.complete(node);
            if (i % 4096 == 0) std.Thread.yield() catch {};
        }
    }
};

pub fn start(rt: *runtime.Runtime, threads: u32, per_thread: u32) ?*Flood {
    if (threads == 0 or threads > max_threads) return null;
    const a = std.heap.c_allocator;
    const f = a.create(Flood) catch return null;
    const nodes = a.alloc(ring_mod.Node, @as(usize, threads) * per_thread) catch {
        a.destroy(f);
        return null;
    };
    f.* = .{ .rt = rt, .per_thread = per_thread, .nodes = nodes };
    for (0..threads) |t| {
        f.threads[t] = std.Thread.spawn(.{}, Flood.run, .{ f, @as(u32, @intCast(t)) }) catch break;
        f.thread_count += 1;
    }
    return f;
}

/// One producer thread pushing completions one at a time until the ring has counted `wakeups` more
/// wake-ups (see Flood.runWakes). Join with `join` once JavaScript has seen them.
pub fn startWakes(rt: *runtime.Runtime, wakeups: u32) ?*Flood {
    const a = std.heap.c_allocator;
    const f = a.create(Flood) catch return null;
    const nodes = a.alloc(ring_mod.Node, 1) catch {
        a.destroy(f);
        return null;
    };
    f.* = .{ .rt = rt, .per_thread = 0, .nodes = nodes, .wake_target = wakeups };
    f.threads[0] = std.Thread.spawn(.{}, Flood.runWakes, .{f}) catch {
        a.free(nodes);
        a.destroy(f);
        return null;
    };
    f.thread_count = 1;
    return f;
}

/// Joins the threads and frees the nodes. Call only after JS has drained every flood completion.
pub fn join(f: *Flood) u32 {
    for (f.threads[0..f.thread_count]) |t| t.join();
    const started = f.thread_count;
    std.heap.c_allocator.free(f.nodes);
    std.heap.c_allocator.destroy(f);
    return started;
}
