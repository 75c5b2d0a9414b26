//! Utilities: versions, URL parsing, the clock, sleeping, random bytes.
const std = @import("std");
const nng = @import("nng.zig");

var init_once = std.once(initOnce);
var init_result: c_int = 0;

fn initOnce() void {
    init_result = nng.nng_init(null);
}

/// nng_init, once per process (std.once: the first caller runs it, the others wait for it).
pub fn initNng() i32 {
    init_once.call();
    return init_result;
}

/// Mbed TLS's version string ("3.6.3"); its buffer must hold at least 9 bytes.
extern fn mbedtls_version_get_string(out: [*]u8) void;

pub fn mbedtlsVersion(out: [*]u8) void {
    mbedtls_version_get_string(out);
}

/// Parses `url` with NNG's parser and writes its fields to `out` as nul-terminated strings, in the
/// order scheme, userinfo, host, hostname, port, path, query, fragment, requri (absent fields are
/// empty). NNG 2.0 keeps only the parsed parts, so host ("hostname:port", an IPv6 address in
/// brackets) and requri (path?query#fragment) are put together here, as NNG 1.x gave them; a port
/// of 0 (none given, and no default for the scheme) is "". Returns the bytes written, -(code) if
/// NNG rejects the URL, or -EINVAL if `cap` is too small.
pub fn parseUrl(url: [*:0]const u8, out: [*]u8, cap: u32) i32 {
    var parsed: ?*nng.Url = null;
    const rv = nng.nng_url_parse(&parsed, url);
    if (rv != 0) return -rv;
    defer nng.nng_url_free(parsed.?);
    const u = parsed.?;
    const span = struct {
        fn of(field: ?[*:0]const u8) []const u8 {
            return if (field) |f| std.mem.span(f) else "";
        }
    }.of;
    const hostname = span(nng.nng_url_hostname(u));
    const path = span(nng.nng_url_path(u));
    const query = span(nng.nng_url_query(u));
    const fragment = span(nng.nng_url_fragment(u));
    var port_buf: [10]u8 = undefined;
    const port_num = nng.nng_url_port(u);
    const port = if (port_num == 0) "" else std.fmt.bufPrint(&port_buf, "{d}", .{port_num}) catch unreachable;

    var w = Writer{ .out = out, .cap = cap };
    w.field(&.{span(nng.nng_url_scheme(u))});
    w.field(&.{span(nng.nng_url_userinfo(u))});
    const v6 = std.mem.indexOfScalar(u8, hostname, ':') != null;
    w.field(&.{ if (v6) "[" else "", hostname, if (v6) "]" else "", if (port.len > 0) ":" else "", port });
    w.field(&.{hostname});
    w.field(&.{port});
    w.field(&.{path});
    w.field(&.{query});
    w.field(&.{fragment});
    w.field(&.{ path, if (query.len > 0) "?" else "", query, if (fragment.len > 0) "#" else "", fragment });
    if (w.overflow) return -nng.EINVAL;
    return @intCast(w.n);
}

/// Writes nul-terminated fields, each made of pieces, into a fixed buffer; remembers an overflow.
const Writer = struct {
    out: [*]u8,
    cap: u32,
    n: usize = 0,
    overflow: bool = false,

    fn field(w: *Writer, pieces: []const []const u8) void {
        var len: usize = 1;
        for (pieces) |piece| len += piece.len;
        if (w.overflow or w.n + len > w.cap) {
            w.overflow = true;
            return;
        }
        for (pieces) |piece| {
            @memcpy(w.out[w.n..][0..piece.len], piece);
            w.n += piece.len;
        }
        w.out[w.n] = 0;
        w.n += 1;
    }
};

/// Fills `out` with `len` cryptographically strong random bytes straight from the OS:
/// std.posix.getrandom is getrandom(2) on Linux, arc4random_buf on macOS, RtlGenRandom on Windows.
/// Not std.crypto.random: its thread-local state does not work in a library loaded with dlopen.
pub fn random(out: [*]u8, len: u32) void {
    std.posix.getrandom(out[0..len]) catch {
        // Cannot fail on Linux >= 3.17 (nor elsewhere) for these sizes; fall back to NNG's source.
        var i: u32 = 0;
        while (i < len) : (i += 1) out[i] = @truncate(nng.nng_random());
    };
}
