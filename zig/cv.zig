//! Condition variables, nanonext style: a counter bumped by `signal` (and by completions of ops that
//! carry the cv), which `wait`/`until` consume. Blocking waits happen on the JavaScript thread and
//! wake while its event loop is not running, because the completion itself signals.
//!
//! Lifetime: reference counted. The owning TS object holds one reference; every in-flight op that
//! will signal the cv holds another, so closing the cv while an op is in flight cannot free it
//! under the completion callback.
const std = @import("std");
const builtin = @import("builtin");
const Atomic = std.atomic.Value;

pub const Cv = struct {
    mutex: std.Thread.Mutex = .{},
    /// Bumped (under the mutex) by every signal and wake; waiters sleep on it with a futex.
    /// (Not std.Thread.Condition: its timed wait reads the clock through Zig's start-up state,
    /// which a library loaded with dlopen does not have.)
    seq: Atomic(u32) = Atomic(u32).init(0),
    value: u32 = 0,
    /// Set by pipe notifications with `flag`: the next wait returns false.
    flag: bool = false,
    refs: Atomic(u32) = Atomic(u32).init(1),

    pub fn create() ?*Cv {
        const cv = std.heap.c_allocator.create(Cv) catch return null;
        cv.* = .{};
        return cv;
    }

    pub fn retain(cv: *Cv) void {
        _ = cv.refs.fetchAdd(1, .monotonic);
    }

    pub fn release(cv: *Cv) void {
        if (cv.refs.fetchSub(1, .acq_rel) == 1) std.heap.c_allocator.destroy(cv);
    }

    pub fn signal(cv: *Cv) void {
        cv.mutex.lock();
        cv.value +%= 1;
        _ = cv.seq.fetchAdd(1, .release);
        cv.mutex.unlock();
        std.Thread.Futex.wake(&cv.seq, std.math.maxInt(u32));
    }

    pub fn signalFlag(cv: *Cv) void {
        cv.mutex.lock();
        cv.value +%= 1;
        cv.flag = true;
        _ = cv.seq.fetchAdd(1, .release);
        cv.mutex.unlock();
        std.Thread.Futex.wake(&cv.seq, std.math.maxInt(u32));
    }

    /// With the mutex held: sleeps until the next signal or wake (or `timeout_ns`, if not null),
    /// releasing the mutex meanwhile.
    fn sleep(cv: *Cv, timeout_ns: ?u64) void {
        const seen = cv.seq.load(.acquire);
        cv.mutex.unlock();
        defer cv.mutex.lock();
        if (timeout_ns) |ns| {
            std.Thread.Futex.timedWait(&cv.seq, seen, ns) catch {};
        } else {
            std.Thread.Futex.wait(&cv.seq, seen);
        }
    }

    /// Waits for the counter to be positive and decrements it. With `timeout_ms` < 0 waits forever.
    /// Returns false on time-out, or when a flagged signal arrived (the flag is cleared).
    pub fn wait(cv: *Cv, timeout_ms: i32) bool {
        const never = false;
        return cv.waitStoppable(timeout_ms, &never) == .signalled;
    }

    pub const WaitResult = enum { signalled, timed_out, flagged, stopped };

    /// As `wait`, but also returns once `stop.*` is true (set it, then call `wake`).
    pub fn waitStoppable(cv: *Cv, timeout_ms: i32, stop: *const bool) WaitResult {
        cv.mutex.lock();
        defer cv.mutex.unlock();
        const deadline = monotonicNs() + @as(i128, @max(timeout_ms, 0)) * std.time.ns_per_ms;
        while (cv.value == 0) {
            if (@atomicLoad(bool, stop, .seq_cst)) return .stopped;
            if (timeout_ms < 0) {
                cv.sleep(null);
            } else {
                const now = monotonicNs();
                if (now >= deadline) return .timed_out;
                cv.sleep(@intCast(deadline - now));
            }
        }
        cv.value -= 1;
        if (cv.flag) {
            cv.flag = false;
            return .flagged;
        }
        return .signalled;
    }

    /// Wakes every waiter without signalling (they re-check their stop flag).
    pub fn wake(cv: *Cv) void {
        cv.mutex.lock();
        _ = cv.seq.fetchAdd(1, .release);
        cv.mutex.unlock();
        std.Thread.Futex.wake(&cv.seq, std.math.maxInt(u32));
    }

    pub fn getValue(cv: *Cv) u32 {
        cv.mutex.lock();
        defer cv.mutex.unlock();
        return cv.value;
    }

    pub fn reset(cv: *Cv) void {
        cv.mutex.lock();
        defer cv.mutex.unlock();
        cv.value = 0;
        cv.flag = false;
    }
};

/// Nanoseconds of the OS's monotonic clock: libc's clock_gettime on Linux and macOS, the
/// performance counter on Windows (which has no clock_gettime). Not std.time: in a library loaded
/// with dlopen, Zig's start-up code that finds the vDSO never ran.
fn monotonicNs() i128 {
    if (builtin.os.tag == .windows) {
        const windows = std.os.windows;
        const ticks: i128 = windows.QueryPerformanceCounter();
        return @divTrunc(ticks * std.time.ns_per_s, windows.QueryPerformanceFrequency());
    }
    var ts: std.c.timespec = undefined;
    _ = std.c.clock_gettime(.MONOTONIC, &ts);
    return @as(i128, ts.sec) * std.time.ns_per_s + ts.nsec;
}
