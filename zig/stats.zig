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
    const scope_name: []const u8 = switch (kind) {
        1 => "socket",
        3 => "dialer",
        4 => "listener",
        else => return -nng.EINVAL,
    };
    const scope = findScope(root.?, scope_name, id) orelse return -nng.ENOENT;
    const stat = nng.nng_stat_find(scope, name) orelse return -nng.ENOENT;
    switch (nng.nng_stat_type(stat)) {
        nng.stat_type_string, nng.stat_type_scope => return -nng.ENOTSUP,
        else => out.* = @floatFromInt(nng.nng_stat_value(stat)),
    }
    return 0;
}

/// The scope named `name` whose "id" statistic is `id`. (NNG 1.5.2's nng_stat_find_socket and
/// friends ignore the id below the top level and return the first scope of that name.)
fn findScope(stat: *nng.Stat, name: []const u8, id: u32) ?*nng.Stat {
    if (nng.nng_stat_type(stat) == nng.stat_type_scope and
        std.mem.eql(u8, std.mem.span(nng.nng_stat_name(stat)), name) and scopeId(stat) == id) return stat;
    var child = nng.nng_stat_child(stat);
    while (child) |c| : (child = nng.nng_stat_next(c)) {
        if (findScope(c, name, id)) |found| return found;
    }
    return null;
}

fn scopeId(scope: *nng.Stat) ?u64 {
    var child = nng.nng_stat_child(scope);
    while (child) |c| : (child = nng.nng_stat_next(c)) {
        if (std.mem.eql(u8, std.mem.span(nng.nng_stat_name(c)), "id")) return nng.nng_stat_value(c);
    }
    return null;
}
