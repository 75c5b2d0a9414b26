//! Statistics: one named statistic of a socket, dialer or listener, from an NNG snapshot, except two
//! kinds of value NNG 2.0 gets wrong, which are answered here instead:
//!
//! - "pipes": from the shim's own counts (notify.zig), because NNG's underflow to 2^64-1 after a
//!   failed transport handshake (it decrements for pipes it never incremented for).
//! - a socket's "tx_msgs", "tx_bytes", "rx_msgs", "rx_bytes": NNG lists them for every socket but
//!   only some protocols bump them (nni_sock_bump_tx / nni_sock_bump_rx); elsewhere they read 0
//!   whatever the traffic, so they are reported as absent (ENOENT).
const std = @import("std");
const nng = @import("nng.zig");
const notify = @import("notify.zig");

/// The socket traffic counters NNG 2.0 keeps, by protocol name (the socket's "protocol"
/// statistic). Raw and cooked sockets share the counting code of their protocol.
/// - "pair1" (poly, cooked: src/sp/protocol/pair1/pair1_poly.c; raw: pair1/pair.c): both ways.
/// - "pub" (src/sp/protocol/pubsub0/pub.c pub0_sock_send): sends only.
/// Every other protocol (pair0 included) counts neither way.
const Direction = enum { tx, rx };
const Counted = struct { protocol: []const u8, tx: bool, rx: bool };
const counted_protocols = [_]Counted{
    .{ .protocol = "pair1", .tx = true, .rx = true },
    .{ .protocol = "pub", .tx = true, .rx = false },
};

fn trafficDirection(name: []const u8) ?Direction {
    if (std.mem.eql(u8, name, "tx_msgs") or std.mem.eql(u8, name, "tx_bytes")) return .tx;
    if (std.mem.eql(u8, name, "rx_msgs") or std.mem.eql(u8, name, "rx_bytes")) return .rx;
    return null;
}

fn protocolCounts(protocol: []const u8, direction: Direction) bool {
    for (counted_protocols) |c| {
        if (std.mem.eql(u8, c.protocol, protocol)) return switch (direction) {
            .tx => c.tx,
            .rx => c.rx,
        };
    }
    return false;
}

/// Writes the value of statistic `name` of object (`kind` 1 socket, 3 dialer, 4 listener; as in
/// options.zig) to `out` as an f64. Returns 0, or -(code): ENOENT when there is no such statistic,
/// ENOTSUP for a string statistic.
pub fn get(kind: u32, id: u32, name: [*:0]const u8, out: *f64) i32 {
    if (kind != notify.kind_socket and kind != notify.kind_dialer and kind != notify.kind_listener) return -nng.EINVAL;
    var root: ?*nng.Stat = null;
    const rv = nng.nng_stats_get(&root);
    if (rv != 0) return -rv;
    defer nng.nng_stats_free(root.?);
    // The object must be in NNG's snapshot (open) whatever the statistic, ours included. (NNG 1.5.2's
    // finders ignored the id below the top level; NNG 2.0's compare it at every level.)
    const scope = switch (kind) {
        notify.kind_socket => nng.nng_stat_find_socket(root.?, .{ .id = id }),
        notify.kind_dialer => nng.nng_stat_find_dialer(root.?, .{ .id = id }),
        else => nng.nng_stat_find_listener(root.?, .{ .id = id }),
    } orelse return -nng.ENOENT;
    const name_slice = std.mem.span(name);
    if (std.mem.eql(u8, name_slice, "pipes")) {
        const pipes = notify.pipeCount(kind, id) orelse return -nng.ENOENT;
        out.* = @floatFromInt(pipes);
        return 0;
    }
    if (kind == notify.kind_socket) {
        if (trafficDirection(name_slice)) |direction| {
            const protocol = findChild(scope, "protocol") orelse return -nng.ENOENT;
            std.debug.assert(nng.nng_stat_type(protocol) == nng.stat_type_string);
            const protocol_name = std.mem.span(nng.nng_stat_string(protocol) orelse return -nng.ENOENT);
            if (!protocolCounts(protocol_name, direction)) return -nng.ENOENT;
        }
    }
    const stat = nng.nng_stat_find(scope, name) orelse return -nng.ENOENT;
    switch (nng.nng_stat_type(stat)) {
        nng.stat_type_string, nng.stat_type_scope => return -nng.ENOTSUP,
        else => out.* = @floatFromInt(nng.nng_stat_value(stat)),
    }
    return 0;
}

/// The direct child of `scope` named `name` (nng_stat_find searches the whole subtree).
fn findChild(scope: *const nng.Stat, name: []const u8) ?*const nng.Stat {
    var child = nng.nng_stat_child(scope);
    while (child) |c| : (child = nng.nng_stat_next(c)) {
        if (std.mem.eql(u8, std.mem.span(nng.nng_stat_name(c)), name)) return c;
    }
    return null;
}
