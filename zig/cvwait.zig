//! waitAsync: a cv wait that does not block JavaScript. A short-lived thread does the blocking wait
//! and completes an op through the ring (result 0 when signalled, NNG_ETIMEDOUT on time-out, and
//! NNG_ECANCELED when a flagged pipe event woke it). The thread holds a cv reference throughout.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");
const Cv = @import("cv.zig").Cv;

fn run(op: *runtime.Op, cv: *Cv, timeout_ms: i32) void {
    const signalled = cv.wait(timeout_ms);
    // cv.wait returns false on time-out, or when a flagged signal arrived; tell the two apart.
    const result: c_int = if (signalled) 0 else if (timeout_ms >= 0) nng.ETIMEDOUT else nng.ECANCELED;
    cv.release();
    runtime.finishWithoutAio(op, result);
}

pub fn start(rt: *runtime.Runtime, cv: *Cv, timeout_ms: i32) i32 {
    const op = rt.pool.acquire(rt, .cvwait) orelse return -nng.ENOMEM;
    const index: i32 = @intCast(op.index);
    cv.retain();
    const thread = std.Thread.spawn(.{ .stack_size = 64 * 1024 }, run, .{ op, cv, timeout_ms }) catch {
        cv.release();
        runtime.finishWithoutAio(op, nng.ENOMEM);
        return index;
    };
    thread.detach();
    return index;
}
