//! A receive on a req socket or context queued behind its request's pending send.
//!
//! NNG 1.5.2's req protocol mishandled a receive that is cancelled (stopped, timed out) while the
//! request's send is still pending: it freed the request under the pending send, which then crashed
//! the process when that send was cancelled, timed out, or was followed by another send. NNG 2.0
//! does not crash, but cancels the send along with the receive (req0_ctx_cancel_recv), where this
//! library lets the request go out and be answered (docs/nng-defects.md). So when JS
//! starts a receive while the same req target's sendAio is pending, the receive (the follower) is
//! not started in NNG at once: it is linked to the send (its leader) and started by the send's
//! completion, natively (no JavaScript hop: a thread blocked in until() still sees it complete).
//! While queued, the follower's time limit runs as an nng_sleep_aio on its own aio, and stopping it
//! completes it at once. All links are guarded by the runtime's chain_mutex.
const std = @import("std");
const nng = @import("nng.zig");
const runtime = @import("runtime.zig");
const Op = runtime.Op;
const Runtime = runtime.Runtime;

/// JS thread: queues `f` (a receive op, target already set) behind the pending send op
/// `leader_index`. Returns false when that send has already completed (start `f` normally).
pub fn attach(rt: *Runtime, f: *Op, leader_index: u32, timeout_ms: i32) bool {
    const l = rt.pool.get(leader_index);
    rt.chain_mutex.lock();
    defer rt.chain_mutex.unlock();
    if (!l.busy or !l.leadable or l.send_done or l.follower != null) return false;
    l.follower = f;
    f.leader = l;
    f.queued = true;
    f.chained = true;
    f.recv_timeout = timeout_ms;
    if (timeout_ms >= 0) {
        // NNG completes a sleep asynchronously (never inline), so this cannot re-enter the mutex.
        f.sleeping = true;
        nng.nng_sleep_aio(timeout_ms, f.aio);
    }
    return true;
}

/// From the leader's completion (an NNG thread), before it is published: releases its follower.
pub fn leaderDone(l: *Op, result: c_int) void {
    const rt = l.rt;
    rt.chain_mutex.lock();
    l.send_done = true;
    const f = l.follower orelse {
        rt.chain_mutex.unlock();
        return;
    };
    l.follower = null;
    f.leader = null;
    f.go = true;
    f.go_rv = result;
    if (f.sleeping) {
        // Cut the sleep short; its callback (followerWoke) starts the receive. Under the mutex:
        // while `sleeping` is true the sleep's callback has not run followerWoke, so this cannot
        // hit a receive it already started. (NNG completes a cancel asynchronously: no re-entry.)
        nng.nng_aio_cancel(f.aio);
        rt.chain_mutex.unlock();
        return;
    }
    rt.chain_mutex.unlock();
    if (start(f)) |rv| runtime.finishOp(f, rv);
}

/// From the follower's own aio callback while queued (its sleep ended: time-out, stop, or the
/// leader cancelling it to release it). Returns null when the receive has started, else the
/// result to finish with.
pub fn followerWoke(f: *Op) ?c_int {
    const rt = f.rt;
    rt.chain_mutex.lock();
    f.sleeping = false;
    const go = f.go;
    if (!go) {
        if (f.leader) |l| l.follower = null;
        f.leader = null;
        f.queued = false;
    }
    rt.chain_mutex.unlock();
    if (go) return start(f);
    return if (@atomicLoad(bool, &f.stopped, .acquire)) f.stop_rv else nng.ETIMEDOUT;
}

/// Starts a released follower's receive, or returns the result to finish it with: the send's error
/// (no request went out), or the stop it got meanwhile.
fn start(f: *Op) ?c_int {
    if (f.go_rv != 0) return f.go_rv;
    f.lock.lock();
    defer f.lock.unlock();
    if (f.stopped) return f.stop_rv;
    f.phase = 1; // its next callback is the receive's own completion
    nng.nng_aio_set_timeout(f.aio, f.recv_timeout);
    switch (f.target) {
        0 => nng.nng_socket_recv(.{ .id = f.target_id }, f.aio),
        else => nng.nng_ctx_recv(.{ .id = f.target_id }, f.aio),
    }
    return null;
}

/// JS thread: stops a follower still queued. Returns false if it is not queued (stop it normally).
pub fn stopQueued(f: *Op, rv: c_int) bool {
    const rt = f.rt;
    rt.chain_mutex.lock();
    if (!f.queued or f.go) {
        rt.chain_mutex.unlock();
        return false;
    }
    f.stop_rv = rv;
    @atomicStore(bool, &f.stopped, true, .release);
    if (f.sleeping) {
        nng.nng_aio_cancel(f.aio); // followerWoke finishes it with stop_rv
        rt.chain_mutex.unlock();
        return true;
    }
    if (f.leader) |l| l.follower = null;
    f.leader = null;
    f.queued = false;
    rt.chain_mutex.unlock();
    runtime.finishOp(f, rv);
    return true;
}

/// JS thread (callAio): blocks until a follower has completed, whatever phase it is in.
pub fn wait(f: *Op) void {
    const rt = f.rt;
    while (!@atomicLoad(bool, &f.finished, .acquire)) {
        nng.nng_aio_wait(f.aio);
        if (@atomicLoad(bool, &f.finished, .acquire)) return;
        rt.chain_mutex.lock();
        const leader = f.leader;
        rt.chain_mutex.unlock();
        // The leader cannot be reused meanwhile: it is released only when JS drains it.
        if (leader) |l| nng.nng_aio_wait(l.aio) else std.Thread.sleep(50 * std.time.ns_per_us);
    }
}
