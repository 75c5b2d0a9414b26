//! TLS configurations (NNG's nng_tls_config, Mbed TLS engine) and self-signed certificates. A
//! config pointer is owned by one TypeScript TlsConfig, which holds the reference nng_tls_config_alloc
//! gave it; dialers and listeners that are given the config take references of their own, so the
//! TypeScript side may drop its reference while they still use it. Functions return 0 or an NNG
//! error code (positive), as NNG's own do.
const std = @import("std");
const nng = @import("nng.zig");
const options = @import("options.zig");

/// Allocates a config in client (0) or server (1) mode. null on failure, with the code in `err`.
pub fn configNew(mode_raw: u32, err: *i32) ?*nng.TlsConfig {
    const mode = std.meta.intToEnum(nng.TlsMode, mode_raw) catch {
        err.* = nng.EINVAL;
        return null;
    };
    var cfg: ?*nng.TlsConfig = null;
    const rv = nng.nng_tls_config_alloc(&cfg, mode);
    err.* = rv;
    return if (rv == 0) cfg else null;
}

/// Drops one reference (the TypeScript owner's).
pub fn configFree(cfg: *nng.TlsConfig) void {
    nng.nng_tls_config_free(cfg);
}

/// 0 none, 1 optional, 2 required.
pub fn authMode(cfg: *nng.TlsConfig, mode_raw: u32) i32 {
    const mode = std.meta.intToEnum(nng.TlsAuthMode, mode_raw) catch return nng.EINVAL;
    return nng.nng_tls_config_auth_mode(cfg, mode);
}

pub fn serverName(cfg: *nng.TlsConfig, name: [*:0]const u8) i32 {
    return nng.nng_tls_config_server_name(cfg, name);
}

/// CA chain (and optional revocation list) as PEM text.
pub fn caChain(cfg: *nng.TlsConfig, certs: [*:0]const u8, crl: ?[*:0]const u8) i32 {
    return nng.nng_tls_config_ca_chain(cfg, certs, crl);
}

pub fn caFile(cfg: *nng.TlsConfig, path: [*:0]const u8) i32 {
    return nng.nng_tls_config_ca_file(cfg, path);
}

/// Own certificate (chain) and private key as PEM text; `pass` decrypts an encrypted key.
pub fn ownCert(cfg: *nng.TlsConfig, cert: [*:0]const u8, key: [*:0]const u8, pass: ?[*:0]const u8) i32 {
    return nng.nng_tls_config_own_cert(cfg, cert, key, pass);
}

/// Own certificate and key from one PEM file.
pub fn certKeyFile(cfg: *nng.TlsConfig, path: [*:0]const u8, pass: ?[*:0]const u8) i32 {
    return nng.nng_tls_config_cert_key_file(cfg, path, pass);
}

/// Gives a dialer or listener (options.ObjectKind numbering) the config; NNG holds a reference of
/// its own until the endpoint closes. Must happen before the endpoint starts. ENOTSUP for an
/// endpoint whose transport is not TLS.
pub fn setOnEndpoint(kind_raw: u32, id: u32, cfg: *nng.TlsConfig) i32 {
    const kind = std.meta.intToEnum(options.ObjectKind, kind_raw) catch return nng.EINVAL;
    return switch (kind) {
        .dialer => nng.nng_dialer_set_tls(.{ .id = id }, cfg),
        .listener => nng.nng_listener_set_tls(.{ .id = id }, cfg),
        .socket, .ctx => nng.EINVAL,
    };
}

/// zig/tls_cert.c: key and self-signed certificate through Mbed TLS.
extern fn bnng_tlscert_write(
    cn: [*:0]const u8,
    not_before: [*:0]const u8,
    not_after: [*:0]const u8,
    cert_out: [*]u8,
    cert_cap: usize,
    key_out: [*]u8,
    key_cap: usize,
    err: [*]u8,
    err_cap: usize,
) c_int;

/// Writes a self-signed certificate and its key as nul-terminated PEM text. Returns 0, or
/// -(NNG error code) with a nul-terminated message in `err`: ECRYPTO for an Mbed TLS failure, EINVAL
/// for a common name or validity it cannot encode.
pub fn writeCert(
    cn: [*:0]const u8,
    not_before: [*:0]const u8,
    not_after: [*:0]const u8,
    cert_out: [*]u8,
    cert_cap: u32,
    key_out: [*]u8,
    key_cap: u32,
    err: [*]u8,
    err_cap: u32,
) i32 {
    if (err_cap > 0) err[0] = 0;
    const rv = bnng_tlscert_write(cn, not_before, not_after, cert_out, cert_cap, key_out, key_cap, err, err_cap);
    if (rv == 0) return 0;
    // -1: the CN cannot be encoded; Mbed TLS's bad-input codes: a name or validity it refuses.
    const bad_input = rv == -1 or rv == mbedtls_err_x509_bad_input_data or rv == mbedtls_err_x509_invalid_name or
        rv == mbedtls_err_x509_invalid_date;
    return if (bad_input) -nng.EINVAL else -nng.ECRYPTO;
}

// Mbed TLS's x509.h codes (the same in 2.28 and 3.6) that the input checks above distinguish.
const mbedtls_err_x509_bad_input_data: c_int = -0x2800;
const mbedtls_err_x509_invalid_name: c_int = -0x2380;
const mbedtls_err_x509_invalid_date: c_int = -0x2400;
