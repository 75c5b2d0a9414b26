//! Options of sockets, contexts, dialers and listeners, by NNG option name and value type. The
//! TypeScript option table (src/options.ts) decides the type; this file dispatches, and answers the
//! names NNG 2.0 turned into functions (subscriptions; a socket's protocol, peer and rawness; an
//! endpoint's URL) so that they stay options for the user.
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
        .uint64 => if (comptime @hasDecl(nng, p ++ "_set_uint64"))
            @field(nng, p ++ "_set_uint64")(h, name, @intFromFloat(num))
        else
            nng.ENOTSUP,
        .string => if (comptime @hasDecl(nng, p ++ "_set_string"))
            @field(nng, p ++ "_set_string")(h, name, @ptrCast(data orelse return nng.EINVAL))
        else
            nng.ENOTSUP,
        .bytes => setBytes(kind, h, std.mem.span(name), data, len),
    };
}

/// The one kind of byte-valued option left: a sub socket's or context's topics (NNG 2.0 made them
/// functions; NNG answers ENOTSUP on other protocols).
fn setBytes(comptime kind: ObjectKind, h: HandleOf(kind), name: []const u8, data: ?[*]const u8, len: u32) i32 {
    const subscribe = std.mem.eql(u8, name, "sub:subscribe");
    if (!subscribe and !std.mem.eql(u8, name, "sub:unsubscribe")) return nng.ENOTSUP;
    return switch (kind) {
        .socket => if (subscribe) nng.nng_sub0_socket_subscribe(h, data, len) else nng.nng_sub0_socket_unsubscribe(h, data, len),
        .ctx => if (subscribe) nng.nng_sub0_ctx_subscribe(h, data, len) else nng.nng_sub0_ctx_unsubscribe(h, data, len),
        .dialer, .listener => nng.ENOTSUP,
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
    const name_s = std.mem.span(name);
    var num: f64 = 0;
    var rv: c_int = 0;
    switch (ty) {
        .bool => {
            var v: bool = false;
            rv = if (kind == .socket and std.mem.eql(u8, name_s, "raw"))
                nng.nng_socket_raw(h, &v)
            else
                @field(nng, p ++ "_get_bool")(h, name, &v);
            num = if (v) 1 else 0;
        },
        .int => {
            if (kind == .socket and (std.mem.eql(u8, name_s, "protocol") or std.mem.eql(u8, name_s, "peer"))) {
                var v: u16 = 0;
                rv = if (name_s[0] == 'p' and name_s[1] == 'r') nng.nng_socket_proto_id(h, &v) else nng.nng_socket_peer_id(h, &v);
                num = @floatFromInt(v);
            } else {
                var v: c_int = 0;
                rv = @field(nng, p ++ "_get_int")(h, name, &v);
                num = @floatFromInt(v);
            }
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
            if (comptime !@hasDecl(nng, p ++ "_get_uint64")) return -nng.ENOTSUP;
            var v: u64 = 0;
            rv = @field(nng, p ++ "_get_uint64")(h, name, &v);
            num = @floatFromInt(v);
        },
        .string => return getString(kind, h, name, out, cap),
        .bytes => return -nng.ENOTSUP,
    }
    if (rv != 0) return -rv;
    if (cap < 8) return -nng.EINVAL;
    @memcpy(out[0..8], std.mem.asBytes(&num));
    return 0;
}

/// A string option, copied to `out` (at most `cap` bytes); returns its full length or -(code). The
/// strings NNG gives belong to the object and are not freed. Sockets have two, answered by
/// functions in NNG 2.0 ("protocol-name", "peer-name"); endpoints have "url", formatted from the
/// endpoint's parsed URL, and their transports' own string options.
fn getString(comptime kind: ObjectKind, h: HandleOf(kind), name: [*:0]const u8, out: [*]u8, cap: u32) i32 {
    const p = comptime prefixOf(kind);
    const name_s = std.mem.span(name);
    var s: ?[*:0]const u8 = null;
    const rv: c_int = switch (kind) {
        .socket => if (std.mem.eql(u8, name_s, "protocol-name"))
            nng.nng_socket_proto_name(h, &s)
        else if (std.mem.eql(u8, name_s, "peer-name"))
            nng.nng_socket_peer_name(h, &s)
        else
            nng.ENOTSUP,
        .ctx => nng.ENOTSUP,
        .dialer, .listener => if (std.mem.eql(u8, name_s, "url"))
            return getUrl(kind, h, out, cap)
        else
            @field(nng, p ++ "_get_string")(h, name, &s),
    };
    if (rv != 0) return -rv;
    const str = std.mem.span(s orelse return -nng.ENOENT);
    const n = @min(str.len, cap);
    @memcpy(out[0..n], str[0..n]);
    return @intCast(str.len);
}

fn getUrl(comptime kind: ObjectKind, h: HandleOf(kind), out: [*]u8, cap: u32) i32 {
    var url: ?*const nng.Url = null;
    const rv = if (kind == .dialer) nng.nng_dialer_get_url(h, &url) else nng.nng_listener_get_url(h, &url);
    if (rv != 0) return -rv;
    // snprintf's contract: writes at most cap bytes with the nul, returns the full length.
    var scratch: [1]u8 = undefined;
    const n = nng.nng_url_sprintf(if (cap > 0) out else &scratch, if (cap > 0) cap else 1, url.?);
    if (n < 0) return -nng.EINVAL;
    // At n == cap the nul took the last byte: ask for one more, so the caller retries larger.
    return if (n >= cap) n + 1 else n;
}
