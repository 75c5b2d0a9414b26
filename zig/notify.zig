//! Pipe events of every socket, through one callback: exact pipe counts per socket, dialer and
//! listener (the "pipes" statistic, zig/stats.zig), and pipe notifications (nanonext's
//! pipe_notify): a pipe added to or removed from a socket signals a cv, optionally setting its flag
//! (so the next wait returns false) or raising a signal in the process.
//!
//! Why we count: NNG 2.0 increments its "pipes" statistics when a pipe starts (after the transport
//! handshake, src/core/socket.c dialer_start_pipe / listener_start_pipe) but decrements them in
//! nni_pipe_remove for every pipe, started or not, so a failed handshake leaves them at 2^64-1.
//! NNG runs NNG_PIPE_EV_ADD_PRE for every started pipe, and NNG_PIPE_EV_REM_POST only for a pipe
//! that had an event before (nni_pipe_run_cb), so ADD_PRE minus REM_POST is the number of started
//! pipes not yet removed. NNG has one callback slot per event per socket, so this file owns them
//! all: `register` (at socket open) installs `onPipe` for the three events, and `set` only changes
//! what `onPipe` does for the user.
//!
//! Everything lives in two tables under one lock; `onPipe` reads them under it, so a notification
//! configuration (and its cv reference) cannot go away mid-signal.
const std = @import("std");
const nng = @import("nng.zig");
const Cv = @import("cv.zig").Cv;

const Event = nng.PipeEvent;

/// Object kinds, numbered as in options.zig and stats.zig.
pub const kind_socket: u32 = 1;
pub const kind_dialer: u32 = 3;
pub const kind_listener: u32 = 4;

const Notification = struct {
    cv: ?*Cv,
    add: bool,
    remove: bool,
    flag: bool,
    signo: i32,
};

const SocketState = struct {
    /// Pipes NNG announced (ADD_PRE) and has not removed yet (REM_POST).
    pipes: u32 = 0,
    /// The user's pipeNotify setting; null: off.
    notification: ?Notification = null,
};

/// A dialer or a listener: their ids come from separate NNG id maps, so the kind is in the key.
const Endpoint = struct { kind: u32, id: u32 };
const EndpointState = struct {
    /// The socket the endpoint belongs to, so that closing the socket drops the entry.
    sock: u32,
    /// As SocketState.pipes; never 0 in the table (an entry goes when its last pipe does).
    pipes: u32,
};

var mutex: std.Thread.Mutex = .{};
/// Every socket opened through `register` and not yet forgotten.
var sockets: std.AutoHashMapUnmanaged(u32, SocketState) = .empty;
/// Endpoints with at least one counted pipe. An endpoint's pipes are all closed (and get REM_POST)
/// when it closes, so its entry goes by itself; one of a closed socket goes in `forget`.
var endpoints: std.AutoHashMapUnmanaged(Endpoint, EndpointState) = .empty;

fn endpointOf(pipe: nng.Pipe) ?Endpoint {
    const dialer = nng.nng_pipe_dialer(pipe).id;
    if (dialer != 0) return .{ .kind = kind_dialer, .id = dialer };
    const listener = nng.nng_pipe_listener(pipe).id;
    if (listener != 0) return .{ .kind = kind_listener, .id = listener };
    return null;
}

/// NNG 2.0's pub and bus size a pipe's send queue from the socket's send-buffer when the pipe is
/// made (pub0_pipe_init, bus0_pipe_init), but a send-buffer set later resizes only the pipes that
/// have started: one made before the change and started after it keeps the old size for good, and
/// drops what does not fit (seen: a pub whose send-buffer was raised just after it listened lost
/// most of a 200-message burst in one run in three). Once a pipe has started (ADD_POST) the
/// socket's value is set again, which resizes every started pipe, this one included.
fn resizeNewPipeQueue(sock: u32) void {
    const pub_self: u16 = 0x20; // NNG_PUB0_SELF
    const bus_self: u16 = 0x70; // NNG_BUS0_SELF
    var proto: u16 = 0;
    if (nng.nng_socket_proto_id(.{ .id = sock }, &proto) != 0) return;
    if (proto != pub_self and proto != bus_self) return;
    var len: c_int = 0;
    if (nng.nng_socket_get_int(.{ .id = sock }, "send-buffer", &len) != 0) return;
    _ = nng.nng_socket_set_int(.{ .id = sock }, "send-buffer", len);
}

fn onPipe(pipe_id: u32, ev: Event, _: ?*anyopaque) callconv(.c) void {
    const pipe: nng.Pipe = .{ .id = pipe_id };
    // NNG keeps the pipe findable until after REM_POST (src/core/pipe.c pipe_reap), so these
    // lookups answer for every event.
    const sock = nng.nng_pipe_socket(pipe).id;
    const endpoint = endpointOf(pipe);
    // Outside the table's lock: it takes the protocol's own lock.
    if (ev == .add_post) resizeNewPipeQueue(sock);
    mutex.lock();
    defer mutex.unlock();
    // A socket already forgotten (closed): its pipes' last events change nothing.
    const state = sockets.getPtr(sock) orelse return;
    switch (ev) {
        .add_pre => {
            state.pipes += 1;
            if (endpoint) |key| {
                // Out of memory: the endpoint's count misses this pipe (its REM_POST may then take
                // another pipe's place): it can read short, never wrap.
                const slot = endpoints.getOrPut(std.heap.c_allocator, key) catch null;
                if (slot) |s| {
                    if (s.found_existing) {
                        std.debug.assert(s.value_ptr.sock == sock);
                        s.value_ptr.pipes += 1;
                    } else s.value_ptr.* = .{ .sock = sock, .pipes = 1 };
                }
            }
        },
        .rem_post => {
            // NNG posts REM_POST only to a pipe that had ADD_PRE, which was counted: the socket's
            // entry exists from before its first pipe until `forget`.
            std.debug.assert(state.pipes > 0);
            state.pipes -= 1;
            if (endpoint) |key| {
                if (endpoints.getPtr(key)) |e| {
                    if (e.pipes > 1) e.pipes -= 1 else _ = endpoints.remove(key);
                }
            }
        },
        .add_post => {},
        else => return,
    }
    const n = state.notification orelse return;
    const wanted = switch (ev) {
        .add_post => n.add,
        .rem_post => n.remove,
        else => false,
    };
    if (!wanted) return;
    if (n.cv) |cv| {
        if (n.flag) cv.signalFlag() else cv.signal();
    }
    if (n.signo > 0) _ = std.c.raise(n.signo);
}

/// Starts following the pipes of socket `sock`, just opened (before any dialer or listener, so
/// before any pipe). Returns 0 or an NNG error code.
pub fn register(sock: u32) i32 {
    {
        mutex.lock();
        defer mutex.unlock();
        const slot = sockets.getOrPut(std.heap.c_allocator, sock) catch return nng.ENOMEM;
        std.debug.assert(!slot.found_existing);
        slot.value_ptr.* = .{};
    }
    // Not under our lock: NNG calls onPipe under its own locks, which must come first.
    for ([_]Event{ .add_pre, .add_post, .rem_post }) |ev| {
        const rv = nng.nng_pipe_notify(.{ .id = sock }, ev, onPipe, null);
        if (rv != 0) {
            forget(sock);
            return rv;
        }
    }
    return 0;
}

/// Sets (or, with neither add nor remove, clears) the notification of socket `sock`. ECLOSED for a
/// socket that is closed (forgotten).
pub fn set(sock: u32, cv: ?*Cv, add: bool, remove: bool, flag: bool, signo: i32) i32 {
    mutex.lock();
    defer mutex.unlock();
    const state = sockets.getPtr(sock) orelse return nng.ECLOSED;
    if (state.notification) |old| {
        if (old.cv) |c| c.release();
    }
    state.notification = null;
    if (!add and !remove) return 0;
    if (cv) |c| c.retain();
    state.notification = .{ .cv = cv, .add = add, .remove = remove, .flag = flag, .signo = signo };
    return 0;
}

/// The number of started pipes of a socket, dialer or listener (`kind` as in stats.zig); null for a
/// socket this file does not follow.
pub fn pipeCount(kind: u32, id: u32) ?u32 {
    mutex.lock();
    defer mutex.unlock();
    if (kind == kind_socket) {
        const state = sockets.get(id) orelse return null;
        return state.pipes;
    }
    std.debug.assert(kind == kind_dialer or kind == kind_listener);
    const e = endpoints.get(.{ .kind = kind, .id = id }) orelse return 0;
    std.debug.assert(e.pipes > 0);
    return e.pipes;
}

/// Forgets a closed socket: its notification (releasing its cv reference), its pipe count and those
/// of its endpoints.
pub fn forget(sock: u32) void {
    mutex.lock();
    defer mutex.unlock();
    if (sockets.fetchRemove(sock)) |old| {
        if (old.value.notification) |n| {
            if (n.cv) |c| c.release();
        }
    }
    // Pipes of the socket's endpoints that NNG had not removed yet when the socket went.
    var stale: [16]Endpoint = undefined;
    while (true) {
        var found: usize = 0;
        var it = endpoints.iterator();
        while (it.next()) |entry| {
            if (entry.value_ptr.sock != sock) continue;
            stale[found] = entry.key_ptr.*;
            found += 1;
            if (found == stale.len) break;
        }
        for (stale[0..found]) |key| _ = endpoints.remove(key);
        if (found < stale.len) break;
    }
    releaseIfEmpty();
}

/// Frees the tables' memory once they are empty (no socket open), so that none is held at exit.
fn releaseIfEmpty() void {
    if (sockets.count() == 0) {
        sockets.deinit(std.heap.c_allocator);
        sockets = .empty;
    }
    if (endpoints.count() == 0) {
        endpoints.deinit(std.heap.c_allocator);
        endpoints = .empty;
    }
}
