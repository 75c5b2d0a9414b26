//! Statistics: one named statistic of a socket, dialer or listener, from an NNG snapshot.
const std = @import("std");
const nng = @import("nng.zig");

/// Writes the value of statistic `name` of object (`kind` 1 socket, 3 dialer, 4 listener; as in
/// options.zig) to `out` as an f64. Returns 0, or -(code): ENOENT when there is no such statistic,
/// ENOTSUP for a string statistic.
pub fn get(kind: u32, id: u32, name: [*:0]const u8, out: *f64) i32 {
    var root: ?*nng.Stat = null;
    const rv = nng.nng_stats_get(&root);
    if (rv != 0) return -rv;
    defer nng.nng_stats_free(root.?);
    const scope = switch (kind) {
        1 => nng.nng_stat_find_socket(root.?, .{ .id = id }),
        3 => nng.nng_stat_find_dialer(root.?, .{ .id = id }),
        4 => nng.nng_stat_find_listener(root.?, .{ .id = id }),
        else => return -nng.EINVAL,
    } orelse return -nng.ENOENT;
    const stat = nng.nng_stat_find(scope, name) orelse return -nng.ENOENT;
    switch (nng.nng_stat_type(stat)) {
        nng.stat_type_string, nng.stat_type_scope => return -nng.ENOTSUP,
        else => out.* = @floatFromInt(nng.nng_stat_value(stat)),
    }
    return 0;
}
