//! Pipe notifications (nanonext's pipe_notify): a pipe added to or removed from a socket signals a
//! cv, optionally setting its flag (so the next wait returns false) or raising a signal in the
//! process. One configuration per socket, in a table keyed by socket id, read by a single callback
//! under the table's lock so a configuration (and its cv reference) cannot go away mid-signal.
const std = @import("std");
const nng = @import("nng.zig");
const Cv = @import("cv.zig").Cv;

const Config = struct {
    cv: ?*Cv,
    add: bool,
    remove: bool,
    flag: bool,
    signo: i32,
};

var mutex: std.Thread.Mutex = .{};
var table: std.AutoHashMapUnmanaged(u32, Config) = .empty;

fn onPipe(pipe_id: u32, ev: nng.PipeEvent, _: ?*anyopaque) callconv(.c) void {
    const sock = nng.nng_pipe_socket(.{ .id = pipe_id }).id;
    mutex.lock();
    defer mutex.unlock();
    const cfg = table.get(sock) orelse return;
    const wanted = switch (ev) {
        .add_post => cfg.add,
        .rem_post => cfg.remove,
        .add_pre => false,
    };
    if (!wanted) return;
    if (cfg.cv) |cv| {
        if (cfg.flag) cv.signalFlag() else cv.signal();
    }
    if (cfg.signo > 0) _ = std.c.raise(cfg.signo);
}

/// Sets (or, with neither add nor remove, clears) the notification of socket `sock`.
pub fn set(sock: u32, cv: ?*Cv, add: bool, remove: bool, flag: bool, signo: i32) i32 {
    mutex.lock();
    defer mutex.unlock();
    if (table.fetchRemove(sock)) |old| {
        if (old.value.cv) |c| c.release();
    }
    if (!add and !remove) return 0;
    table.put(std.heap.c_allocator, sock, .{ .cv = cv, .add = add, .remove = remove, .flag = flag, .signo = signo }) catch
        return nng.ENOMEM;
    if (cv) |c| c.retain();
    var rv = nng.nng_pipe_notify(.{ .id = sock }, .add_post, onPipe, null);
    if (rv == 0) rv = nng.nng_pipe_notify(.{ .id = sock }, .rem_post, onPipe, null);
    return rv;
}

/// Forgets the configuration of a closed socket (releases its cv reference).
pub fn forget(sock: u32) void {
    mutex.lock();
    defer mutex.unlock();
    if (table.fetchRemove(sock)) |old| {
        if (old.value.cv) |c| c.release();
    }
}
