//! waitAsync: a cv wait that does not block JavaScript. A short-lived thread does the blocking wait
//! and completes an op through the ring (result 0 when signalled, NNG_ETIMEDOUT on time-out,
//! NNG_ECONNSHUT when a flagged pipe event woke it, NNG_ECANCELED when stopped). The op holds a cv
//! reference from start until its completion is drained.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");
const Cv = @import("cv.zig").Cv;

fn run(op: *runtime.Op, cv: *Cv, timeout_ms: i32) void {
    const result: c_int = switch (cv.waitStoppable(timeout_ms, &op.stopped)) {
        .signalled => 0,
        .timed_out => nng.ETIMEDOUT,
        .flagged => nng.ECONNSHUT,
        .stopped => nng.ECANCELED,
    };
    // The cv reference is released by the drain (JS thread), not here: stop() may still use it.
    runtime.finishWithoutAio(op, result);
}

/// Stops a waitAsync in flight (AbortSignal): its thread wakes and completes with ECANCELED.
pub fn stop(op: *runtime.Op) void {
    @atomicStore(bool, &op.stopped, true, .seq_cst);
    if (op.wait_cv) |cv| cv.wake();
}

pub fn start(rt: *runtime.Runtime, cv: *Cv, timeout_ms: i32) i32 {
    const op = rt.pool.acquire(rt, .cvwait) orelse return -nng.ENOMEM;
    const index: i32 = @intCast(op.index);
    cv.retain();
    op.wait_cv = cv;
    const thread = std.Thread.spawn(.{}, run, .{ op, cv, timeout_ms }) catch {
        op.wait_cv = null;
        cv.release();
        runtime.finishWithoutAio(op, nng.ENOMEM);
        return index;
    };
    thread.detach();
    return index;
}
