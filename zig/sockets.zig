//! Sockets, dialers, listeners and contexts. All are NNG ids (u32); functions return the id, or
//! -(NNG error code).
const nng = @import("nng.zig");
const notify = @import("notify.zig");

/// Protocol numbers shared with src/protocols.ts.
pub const Protocol = enum(u32) {
    bus = 0,
    pair = 1,
    poly = 2,
    push = 3,
    pull = 4,
    @"pub" = 5,
    sub = 6,
    req = 7,
    rep = 8,
    surveyor = 9,
    respondent = 10,
};

pub fn open(protocol: u32, raw: bool) i32 {
    var s: nng.Socket = .{ .id = 0 };
    const p = std.meta.intToEnum(Protocol, protocol) catch return -nng.EINVAL;
    const rv = switch (p) {
        .bus => if (raw) nng.nng_bus0_open_raw(&s) else nng.nng_bus0_open(&s),
        .pair => if (raw) nng.nng_pair0_open_raw(&s) else nng.nng_pair0_open(&s),
        .poly => if (raw) nng.nng_pair1_open_raw(&s) else nng.nng_pair1_open_poly(&s),
        .push => if (raw) nng.nng_push0_open_raw(&s) else nng.nng_push0_open(&s),
        .pull => if (raw) nng.nng_pull0_open_raw(&s) else nng.nng_pull0_open(&s),
        .@"pub" => if (raw) nng.nng_pub0_open_raw(&s) else nng.nng_pub0_open(&s),
        .sub => if (raw) nng.nng_sub0_open_raw(&s) else nng.nng_sub0_open(&s),
        .req => if (raw) nng.nng_req0_open_raw(&s) else nng.nng_req0_open(&s),
        .rep => if (raw) nng.nng_rep0_open_raw(&s) else nng.nng_rep0_open(&s),
        .surveyor => if (raw) nng.nng_surveyor0_open_raw(&s) else nng.nng_surveyor0_open(&s),
        .respondent => if (raw) nng.nng_respondent0_open_raw(&s) else nng.nng_respondent0_open(&s),
    };
    if (rv != 0) return -rv;
    // Before any dialer or listener exists, so that every pipe of the socket is counted.
    const notify_rv = notify.register(s.id);
    if (notify_rv != 0) {
        _ = nng.nng_socket_close(s);
        return -notify_rv;
    }
    return @intCast(s.id);
}

pub fn close(id: u32) i32 {
    return nng.nng_socket_close(.{ .id = id });
}

/// Dials `url`. With `start` false the dialer is only created (options can be set, then started).
/// `nonblock`: the first attempt happens in the background and failures are retried.
pub fn dial(sock: u32, url: [*:0]const u8, start: bool, nonblock: bool) i32 {
    var d: nng.Dialer = .{ .id = 0 };
    var rv = nng.nng_dialer_create(&d, .{ .id = sock }, url);
    if (rv != 0) return -rv;
    if (start) {
        rv = nng.nng_dialer_start(d, if (nonblock) nng.flag_nonblock else 0);
        if (rv != 0) {
            _ = nng.nng_dialer_close(d);
            return -rv;
        }
    }
    return @intCast(d.id);
}

pub fn listen(sock: u32, url: [*:0]const u8, start: bool) i32 {
    var l: nng.Listener = .{ .id = 0 };
    var rv = nng.nng_listener_create(&l, .{ .id = sock }, url);
    if (rv != 0) return -rv;
    if (start) {
        rv = nng.nng_listener_start(l, 0);
        if (rv != 0) {
            _ = nng.nng_listener_close(l);
            return -rv;
        }
    }
    return @intCast(l.id);
}

pub fn dialerStart(id: u32, nonblock: bool) i32 {
    return nng.nng_dialer_start(.{ .id = id }, if (nonblock) nng.flag_nonblock else 0);
}

pub fn listenerStart(id: u32) i32 {
    return nng.nng_listener_start(.{ .id = id }, 0);
}

pub fn dialerClose(id: u32) i32 {
    return nng.nng_dialer_close(.{ .id = id });
}

pub fn listenerClose(id: u32) i32 {
    return nng.nng_listener_close(.{ .id = id });
}

pub fn ctxOpen(sock: u32) i32 {
    var c: nng.Ctx = .{ .id = 0 };
    const rv = nng.nng_ctx_open(&c, .{ .id = sock });
    if (rv != 0) return -rv;
    return @intCast(c.id);
}

pub fn ctxClose(id: u32) i32 {
    return nng.nng_ctx_close(.{ .id = id });
}

const std = @import("std");
