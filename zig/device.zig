//! Devices (NNG's forwarder between two raw sockets). nng_device blocks until one of the sockets
//! closes, so it runs on a thread of its own; its end completes an op through the ring like any
//! other operation.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");

fn run(op: *runtime.Op, s1: u32, s2: u32) void {
    const rv = nng.nng_device(.{ .id = s1 }, .{ .id = s2 });
    runtime.finishWithoutAio(op, rv);
}

/// Starts a device between two sockets. Returns the op index, or -(code).
pub fn start(rt: *runtime.Runtime, s1: u32, s2: u32) i32 {
    const op = rt.pool.acquire(rt, .device) orelse return -nng.ENOMEM;
    const index: i32 = @intCast(op.index);
    const thread = std.Thread.spawn(.{}, run, .{ op, s1, s2 }) catch {
        runtime.finishWithoutAio(op, nng.ENOMEM);
        return index;
    };
    thread.detach();
    return index;
}
