//! Options of sockets, contexts, dialers and listeners, by NNG option name and value type. The
//! TypeScript option table (src/options.ts) decides the type; this file only dispatches.
const std = @import("std");
const nng = @import("nng.zig");

pub const ObjectKind = enum(u32) { socket = 1, ctx = 2, dialer = 3, listener = 4 };
pub const ValueType = enum(u32) { bool = 1, int = 2, ms = 3, size = 4, uint64 = 5, string = 6, bytes = 7 };

fn prefixOf(comptime kind: ObjectKind) []const u8 {
    return switch (kind) {
        .socket => "nng_socket",
        .ctx => "nng_ctx",
        .dialer => "nng_dialer",
        .listener => "nng_listener",
    };
}

fn HandleOf(comptime kind: ObjectKind) type {
    return switch (kind) {
        .socket => nng.Socket,
        .ctx => nng.Ctx,
        .dialer => nng.Dialer,
        .listener => nng.Listener,
    };
}

/// Sets an option. Numbers arrive as f64 (already range-checked by TS); strings are nul-terminated
/// at `data`; bytes are `len` bytes at `data`. Returns 0 or an NNG error code.
pub fn set(kind_raw: u32, id: u32, name: [*:0]const u8, type_raw: u32, num: f64, data: ?[*]const u8, len: u32) i32 {
    const kind = std.meta.intToEnum(ObjectKind, kind_raw) catch return nng.EINVAL;
    const ty = std.meta.intToEnum(ValueType, type_raw) catch return nng.EINVAL;
    return switch (kind) {
        inline else => |k| setTyped(k, .{ .id = id }, name, ty, num, data, len),
    };
}

fn setTyped(comptime kind: ObjectKind, h: HandleOf(kind), name: [*:0]const u8, ty: ValueType, num: f64, data: ?[*]const u8, len: u32) i32 {
    const p = comptime prefixOf(kind);
    return switch (ty) {
        .bool => @field(nng, p ++ "_set_bool")(h, name, num != 0),
        .int => @field(nng, p ++ "_set_int")(h, name, @intFromFloat(num)),
        .ms => @field(nng, p ++ "_set_ms")(h, name, @intFromFloat(num)),
        .size => @field(nng, p ++ "_set_size")(h, name, @intFromFloat(num)),
        .uint64 => @field(nng, p ++ "_set_uint64")(h, name, @intFromFloat(num)),
        .string => @field(nng, p ++ "_set_string")(h, name, @ptrCast(data orelse return nng.EINVAL)),
        .bytes => @field(nng, p ++ "_set")(h, name, data, len),
    };
}

/// Reads an option. Numbers and booleans are written as one f64 at `out`; a string is copied to
/// `out` (at most `cap` bytes) and its full length returned, so the caller can retry with a larger
/// buffer. Returns the length (strings), 0 (numbers), or -(NNG error code).
pub fn get(kind_raw: u32, id: u32, name: [*:0]const u8, type_raw: u32, out: [*]u8, cap: u32) i32 {
    const kind = std.meta.intToEnum(ObjectKind, kind_raw) catch return -nng.EINVAL;
    const ty = std.meta.intToEnum(ValueType, type_raw) catch return -nng.EINVAL;
    return switch (kind) {
        inline else => |k| getTyped(k, .{ .id = id }, name, ty, out, cap),
    };
}

fn getTyped(comptime kind: ObjectKind, h: HandleOf(kind), name: [*:0]const u8, ty: ValueType, out: [*]u8, cap: u32) i32 {
    const p = comptime prefixOf(kind);
    var num: f64 = 0;
    var rv: c_int = 0;
    switch (ty) {
        .bool => {
            var v: bool = false;
            rv = @field(nng, p ++ "_get_bool")(h, name, &v);
            num = if (v) 1 else 0;
        },
        .int => {
            var v: c_int = 0;
            rv = @field(nng, p ++ "_get_int")(h, name, &v);
            num = @floatFromInt(v);
        },
        .ms => {
            var v: nng.Duration = 0;
            rv = @field(nng, p ++ "_get_ms")(h, name, &v);
            num = @floatFromInt(v);
        },
        .size => {
            var v: usize = 0;
            rv = @field(nng, p ++ "_get_size")(h, name, &v);
            num = @floatFromInt(v);
        },
        .uint64 => {
            var v: u64 = 0;
            rv = @field(nng, p ++ "_get_uint64")(h, name, &v);
            num = @floatFromInt(v);
        },
        .string => {
            var s: ?[*:0]u8 = null;
            rv = @field(nng, p ++ "_get_string")(h, name, &s);
            if (rv != 0) return -rv;
            defer nng.nng_strfree(s);
            const str = std.mem.span(s.?);
            const n = @min(str.len, cap);
            @memcpy(out[0..n], str[0..n]);
            return @intCast(str.len);
        },
        .bytes => return -nng.ENOTSUP,
    }
    if (rv != 0) return -rv;
    if (cap < 8) return -nng.EINVAL;
    @memcpy(out[0..8], std.mem.asBytes(&num));
    return 0;
}
