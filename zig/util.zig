//! Utilities: versions, URL parsing, the clock, sleeping, random bytes.
const std = @import("std");
const nng = @import("nng.zig");

/// Mbed TLS's version string ("2.28.3"); its buffer must hold at least 9 bytes.
extern fn mbedtls_version_get_string(out: [*]u8) void;

pub fn mbedtlsVersion(out: [*]u8) void {
    mbedtls_version_get_string(out);
}

/// Parses `url` with NNG's parser and writes its fields to `out` as nul-terminated strings, in the
/// order scheme, userinfo, host, hostname, port, path, query, fragment, requri (absent fields are
/// empty). Returns the bytes written, -(code) if NNG rejects the URL, or -ENOSPC... as -EINVAL if
/// `cap` is too small.
pub fn parseUrl(url: [*:0]const u8, out: [*]u8, cap: u32) i32 {
    var parsed: ?*nng.Url = null;
    const rv = nng.nng_url_parse(&parsed, url);
    if (rv != 0) return -rv;
    defer nng.nng_url_free(parsed.?);
    const u = parsed.?;
    const fields = [_]?[*:0]const u8{ u.scheme, u.userinfo, u.host, u.hostname, u.port, u.path, u.query, u.fragment, u.requri };
    var n: usize = 0;
    for (fields) |field| {
        const s = if (field) |f| std.mem.span(f) else "";
        if (n + s.len + 1 > cap) return -nng.EINVAL;
        @memcpy(out[n..][0..s.len], s);
        out[n + s.len] = 0;
        n += s.len + 1;
    }
    return @intCast(n);
}

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
