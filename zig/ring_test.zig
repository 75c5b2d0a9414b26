//! Unit tests of the completion ring: ordering, overflow, and the wake-up (re-arm) protocol under
//! many concurrent producers. Run by `zig build test` (and so by `make test`).
const std = @import("std");
const ring_mod = @import("ring.zig");
const Ring = ring_mod.Ring;
const Node = ring_mod.Node;
const Entry = ring_mod.Entry;
const testing = std.testing;

fn noop(_: void, _: *const Entry) void {}

fn makeNodes(allocator: std.mem.Allocator, n: usize) ![]Node {
    const nodes = try allocator.alloc(Node, n);
    for (nodes, 0..) |*node, i| node.* = .{ .entry = .{ .op_id = @intCast(i), .len = @intCast(i * 3) } };
    return nodes;
}

test "entries come out in the order one producer pushed them" {
    const allocator = testing.allocator;
    var ring = try Ring.init(allocator, 64);
    defer ring.deinit(allocator);
    const nodes = try makeNodes(allocator, 50);
    defer allocator.free(nodes);

    for (nodes) |*node| _ = ring.push(node);
    var out: [64]Entry = undefined;
    const n = ring.drain(&out, {}, noop);
    try testing.expectEqual(@as(u32, 50), n);
    for (out[0..n], 0..) |e, i| {
        try testing.expectEqual(@as(u32, @intCast(i)), e.op_id);
        try testing.expectEqual(@as(u32, @intCast(i * 3)), e.len);
    }
    try testing.expectEqual(@as(u32, 0), ring.drain(&out, {}, noop));
}

test "a full ring spills to the overflow list, in order, and drops nothing" {
    const allocator = testing.allocator;
    var ring = try Ring.init(allocator, 4);
    defer ring.deinit(allocator);
    const nodes = try makeNodes(allocator, 1000);
    defer allocator.free(nodes);

    for (nodes) |*node| _ = ring.push(node);
    try testing.expectEqual(@as(u64, 996), ring.spilled.load(.monotonic));

    var out: [7]Entry = undefined; // an odd batch size exercises partial batches
    var next: u32 = 0;
    while (true) {
        const n = ring.drain(&out, {}, noop);
        for (out[0..n]) |e| {
            try testing.expectEqual(next, e.op_id);
            next += 1;
        }
        if (n < out.len) break;
    }
    try testing.expectEqual(@as(u32, 1000), next);
    try testing.expect(!ring.spilling.load(.monotonic));

    // After spilling ends the ring is used again.
    _ = ring.push(&nodes[0]);
    try testing.expectEqual(@as(u32, 1), ring.drain(&out, {}, noop));
    try testing.expectEqual(@as(u64, 996), ring.spilled.load(.monotonic));
}

test "one wake-up per empty-to-non-empty transition" {
    const allocator = testing.allocator;
    var ring = try Ring.init(allocator, 8);
    defer ring.deinit(allocator);
    const nodes = try makeNodes(allocator, 20);
    defer allocator.free(nodes);
    var out: [32]Entry = undefined;

    try testing.expect(ring.push(&nodes[0])); // idle consumer: wake it
    try testing.expect(!ring.push(&nodes[1])); // already woken
    try testing.expect(!ring.push(&nodes[2]));
    try testing.expectEqual(@as(u32, 3), ring.drain(&out, {}, noop)); // empties and re-arms
    try testing.expect(ring.push(&nodes[3]));
    // A full batch leaves the ring disarmed: the consumer is still draining.
    for (nodes[4..12]) |*node| try testing.expect(!ring.push(node));
    try testing.expectEqual(@as(u32, 4), ring.drain(out[0..4], {}, noop));
    try testing.expect(!ring.push(&nodes[12]));
    try testing.expectEqual(@as(u32, 6), ring.drain(&out, {}, noop));
    try testing.expect(ring.push(&nodes[13]));
    try testing.expectEqual(@as(u64, 3), ring.wakeups.load(.monotonic));
}

// Many producers and one consumer that sleeps until woken, as the JavaScript thread does. A lost
// wake-up shows as the consumer sleeping forever (caught by the timed wait), a lost or duplicated
// entry by the per-producer sequence check.
test "concurrent producers: nothing lost, per-producer order kept, no lost wake-up" {
    const allocator = std.heap.page_allocator;
    const producers = 4;
    const per_producer = 100_000;
    var ring = try Ring.init(allocator, 64); // small, so spilling happens often
    defer ring.deinit(allocator);

    const Shared = struct {
        ring: *Ring,
        wake: std.Thread.ResetEvent = .{},
        nodes: []Node,
    };
    const nodes = try allocator.alloc(Node, producers * per_producer);
    defer allocator.free(nodes);
    var shared = Shared{ .ring = &ring, .nodes = nodes };

    const Producer = struct {
        fn run(s: *Shared, p: u32) void {
            for (0..per_producer) |i| {
                const node = &s.nodes[p * per_producer + i];
                node.* = .{ .entry = .{ .op_id = p, .len = @intCast(i) } };
                if (s.ring.push(node)) s.wake.set();
                if (i % 1024 == 0) std.Thread.yield() catch {};
            }
        }
    };

    var threads: [producers]std.Thread = undefined;
    for (&threads, 0..) |*t, p| t.* = try std.Thread.spawn(.{}, Producer.run, .{ &shared, @as(u32, @intCast(p)) });

    var next = [_]u32{0} ** producers;
    var total: usize = 0;
    var out: [100]Entry = undefined;
    while (total < producers * per_producer) {
        const n = ring.drain(&out, {}, noop);
        for (out[0..n]) |e| {
            try testing.expectEqual(next[e.op_id], e.len);
            next[e.op_id] += 1;
        }
        total += n;
        if (n < out.len and total < producers * per_producer) {
            // Idle: sleep until a producer wakes us. 5 s without a wake-up means one was lost.
            try shared.wake.timedWait(5 * std.time.ns_per_s);
            shared.wake.reset();
        }
    }
    for (threads) |t| t.join();
    try testing.expectEqual(@as(u32, 0), ring.drain(&out, {}, noop));
    for (next) |count| try testing.expectEqual(@as(u32, per_producer), count);
    try testing.expect(ring.wakeups.load(.monotonic) > 0);
}
