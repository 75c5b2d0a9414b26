//! The NNG 1.x C API the shim uses, declared by hand (no @cImport): only what we call, with the
//! exact C types. NNG's handle types are structs of one u32, passed by value.
pub const Socket = extern struct { id: u32 };
pub const Ctx = extern struct { id: u32 };
pub const Dialer = extern struct { id: u32 };
pub const Listener = extern struct { id: u32 };
pub const Pipe = extern struct { id: u32 };
pub const Aio = opaque {};
pub const Msg = opaque {};
pub const Duration = i32;
pub const Callback = *const fn (?*anyopaque) callconv(.c) void;

pub const flag_nonblock: c_int = 2;
pub const duration_infinite: Duration = -1;
pub const duration_default: Duration = -2;

pub const ECLOSED: c_int = 7;
pub const ENOMEM: c_int = 2;
pub const EINVAL: c_int = 3;
pub const ETIMEDOUT: c_int = 5;
pub const EAGAIN: c_int = 8;
pub const ENOTSUP: c_int = 9;
pub const ECANCELED: c_int = 20;
pub const ENOENT: c_int = 12;
pub const ECONNSHUT: c_int = 31;

pub const PipeEvent = enum(c_int) { add_pre = 0, add_post = 1, rem_post = 2 };
/// C's `void (*)(nng_pipe, nng_pipe_ev, void *)`, with the pipe taken as its u32 id: every C ABI we
/// target passes a one-u32 struct exactly like a u32. Declared with the struct, the ReleaseFast and
/// ReleaseSafe aarch64 builds of Zig 0.15.2 received a garbage pipe id (Debug did not), so pipe
/// notifications never fired on linux-arm64 (found by make test-arm64, under qemu).
pub const PipeCallback = *const fn (u32, PipeEvent, ?*anyopaque) callconv(.c) void;

// Library
pub extern fn nng_version() [*:0]const u8;
pub extern fn nng_strerror(c_int) [*:0]const u8;
pub extern fn nng_free(?*anyopaque, usize) void;

// Sockets, one opener per protocol (and its raw form)
pub extern fn nng_bus0_open(*Socket) c_int;
pub extern fn nng_bus0_open_raw(*Socket) c_int;
pub extern fn nng_pair0_open(*Socket) c_int;
pub extern fn nng_pair0_open_raw(*Socket) c_int;
pub extern fn nng_pair1_open_poly(*Socket) c_int;
pub extern fn nng_pair1_open_raw(*Socket) c_int;
pub extern fn nng_push0_open(*Socket) c_int;
pub extern fn nng_push0_open_raw(*Socket) c_int;
pub extern fn nng_pull0_open(*Socket) c_int;
pub extern fn nng_pull0_open_raw(*Socket) c_int;
pub extern fn nng_pub0_open(*Socket) c_int;
pub extern fn nng_pub0_open_raw(*Socket) c_int;
pub extern fn nng_sub0_open(*Socket) c_int;
pub extern fn nng_sub0_open_raw(*Socket) c_int;
pub extern fn nng_req0_open(*Socket) c_int;
pub extern fn nng_req0_open_raw(*Socket) c_int;
pub extern fn nng_rep0_open(*Socket) c_int;
pub extern fn nng_rep0_open_raw(*Socket) c_int;
pub extern fn nng_surveyor0_open(*Socket) c_int;
pub extern fn nng_surveyor0_open_raw(*Socket) c_int;
pub extern fn nng_respondent0_open(*Socket) c_int;
pub extern fn nng_respondent0_open_raw(*Socket) c_int;
pub extern fn nng_close(Socket) c_int;

// Endpoints
pub extern fn nng_dial(Socket, [*:0]const u8, ?*Dialer, c_int) c_int;
pub extern fn nng_dialer_create(*Dialer, Socket, [*:0]const u8) c_int;
pub extern fn nng_dialer_start(Dialer, c_int) c_int;
pub extern fn nng_dialer_close(Dialer) c_int;
pub extern fn nng_listener_create(*Listener, Socket, [*:0]const u8) c_int;
pub extern fn nng_listener_start(Listener, c_int) c_int;
pub extern fn nng_listener_close(Listener) c_int;

// Contexts
pub extern fn nng_ctx_open(*Ctx, Socket) c_int;
pub extern fn nng_ctx_close(Ctx) c_int;
pub extern fn nng_ctx_send(Ctx, *Aio) void;
pub extern fn nng_ctx_recv(Ctx, *Aio) void;

// Messages
pub extern fn nng_msg_alloc(*?*Msg, usize) c_int;
pub extern fn nng_msg_free(*Msg) void;
pub extern fn nng_msg_body(*Msg) [*]u8;
pub extern fn nng_msg_len(*const Msg) usize;
pub extern fn nng_msg_get_pipe(*const Msg) Pipe;
pub extern fn nng_msg_set_pipe(*Msg, Pipe) void;

// Asynchronous I/O
pub extern fn nng_aio_alloc(*?*Aio, ?Callback, ?*anyopaque) c_int;
pub extern fn nng_aio_free(*Aio) void;
pub extern fn nng_aio_stop(*Aio) void;
pub extern fn nng_aio_cancel(*Aio) void;
pub extern fn nng_aio_abort(*Aio, c_int) void;
pub extern fn nng_aio_wait(*Aio) void;
pub extern fn nng_aio_result(*Aio) c_int;
pub extern fn nng_aio_set_msg(*Aio, ?*Msg) void;
pub extern fn nng_aio_get_msg(*Aio) ?*Msg;
pub extern fn nng_aio_set_timeout(*Aio, Duration) void;
pub extern fn nng_send_aio(Socket, *Aio) void;
pub extern fn nng_recv_aio(Socket, *Aio) void;

// Options. One generic setter/getter per object kind (bytes), plus the typed forms.
pub extern fn nng_socket_set(Socket, [*:0]const u8, ?*const anyopaque, usize) c_int;
pub extern fn nng_socket_set_bool(Socket, [*:0]const u8, bool) c_int;
pub extern fn nng_socket_set_int(Socket, [*:0]const u8, c_int) c_int;
pub extern fn nng_socket_set_size(Socket, [*:0]const u8, usize) c_int;
pub extern fn nng_socket_set_uint64(Socket, [*:0]const u8, u64) c_int;
pub extern fn nng_socket_set_string(Socket, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_socket_set_ms(Socket, [*:0]const u8, Duration) c_int;
pub extern fn nng_socket_get_bool(Socket, [*:0]const u8, *bool) c_int;
pub extern fn nng_socket_get_int(Socket, [*:0]const u8, *c_int) c_int;
pub extern fn nng_socket_get_size(Socket, [*:0]const u8, *usize) c_int;
pub extern fn nng_socket_get_uint64(Socket, [*:0]const u8, *u64) c_int;
pub extern fn nng_socket_get_string(Socket, [*:0]const u8, *?[*:0]u8) c_int;
pub extern fn nng_socket_get_ms(Socket, [*:0]const u8, *Duration) c_int;

pub extern fn nng_ctx_set(Ctx, [*:0]const u8, ?*const anyopaque, usize) c_int;
pub extern fn nng_ctx_set_bool(Ctx, [*:0]const u8, bool) c_int;
pub extern fn nng_ctx_set_int(Ctx, [*:0]const u8, c_int) c_int;
pub extern fn nng_ctx_set_size(Ctx, [*:0]const u8, usize) c_int;
pub extern fn nng_ctx_set_uint64(Ctx, [*:0]const u8, u64) c_int;
pub extern fn nng_ctx_set_string(Ctx, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_ctx_set_ms(Ctx, [*:0]const u8, Duration) c_int;
pub extern fn nng_ctx_get_bool(Ctx, [*:0]const u8, *bool) c_int;
pub extern fn nng_ctx_get_int(Ctx, [*:0]const u8, *c_int) c_int;
pub extern fn nng_ctx_get_size(Ctx, [*:0]const u8, *usize) c_int;
pub extern fn nng_ctx_get_uint64(Ctx, [*:0]const u8, *u64) c_int;
pub extern fn nng_ctx_get_string(Ctx, [*:0]const u8, *?[*:0]u8) c_int;
pub extern fn nng_ctx_get_ms(Ctx, [*:0]const u8, *Duration) c_int;

pub extern fn nng_dialer_set(Dialer, [*:0]const u8, ?*const anyopaque, usize) c_int;
pub extern fn nng_dialer_set_bool(Dialer, [*:0]const u8, bool) c_int;
pub extern fn nng_dialer_set_int(Dialer, [*:0]const u8, c_int) c_int;
pub extern fn nng_dialer_set_size(Dialer, [*:0]const u8, usize) c_int;
pub extern fn nng_dialer_set_uint64(Dialer, [*:0]const u8, u64) c_int;
pub extern fn nng_dialer_set_string(Dialer, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_dialer_set_ms(Dialer, [*:0]const u8, Duration) c_int;
pub extern fn nng_dialer_get_bool(Dialer, [*:0]const u8, *bool) c_int;
pub extern fn nng_dialer_get_int(Dialer, [*:0]const u8, *c_int) c_int;
pub extern fn nng_dialer_get_size(Dialer, [*:0]const u8, *usize) c_int;
pub extern fn nng_dialer_get_uint64(Dialer, [*:0]const u8, *u64) c_int;
pub extern fn nng_dialer_get_string(Dialer, [*:0]const u8, *?[*:0]u8) c_int;
pub extern fn nng_dialer_get_ms(Dialer, [*:0]const u8, *Duration) c_int;

pub extern fn nng_listener_set(Listener, [*:0]const u8, ?*const anyopaque, usize) c_int;
pub extern fn nng_listener_set_bool(Listener, [*:0]const u8, bool) c_int;
pub extern fn nng_listener_set_int(Listener, [*:0]const u8, c_int) c_int;
pub extern fn nng_listener_set_size(Listener, [*:0]const u8, usize) c_int;
pub extern fn nng_listener_set_uint64(Listener, [*:0]const u8, u64) c_int;
pub extern fn nng_listener_set_string(Listener, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_listener_set_ms(Listener, [*:0]const u8, Duration) c_int;
pub extern fn nng_listener_get_bool(Listener, [*:0]const u8, *bool) c_int;
pub extern fn nng_listener_get_int(Listener, [*:0]const u8, *c_int) c_int;
pub extern fn nng_listener_get_size(Listener, [*:0]const u8, *usize) c_int;
pub extern fn nng_listener_get_uint64(Listener, [*:0]const u8, *u64) c_int;
pub extern fn nng_listener_get_string(Listener, [*:0]const u8, *?[*:0]u8) c_int;
pub extern fn nng_listener_get_ms(Listener, [*:0]const u8, *Duration) c_int;

pub extern fn nng_strfree(?[*:0]u8) void;
pub extern fn nng_sleep_aio(Duration, *Aio) void;

// Pipes and notifications
pub extern fn nng_pipe_notify(Socket, PipeEvent, ?PipeCallback, ?*anyopaque) c_int;
pub extern fn nng_pipe_socket(Pipe) Socket;
pub extern fn nng_pipe_id(Pipe) c_int;

// Devices
pub extern fn nng_device(Socket, Socket) c_int;

// Statistics
pub const Stat = opaque {};
pub const stat_type_scope: c_int = 0;
pub const stat_type_level: c_int = 1;
pub const stat_type_counter: c_int = 2;
pub const stat_type_string: c_int = 3;
pub const stat_type_boolean: c_int = 4;
pub const stat_type_id: c_int = 5;
pub extern fn nng_stats_get(*?*Stat) c_int;
pub extern fn nng_stats_free(*Stat) void;
pub extern fn nng_stat_find(*Stat, [*:0]const u8) ?*Stat;
pub extern fn nng_stat_find_socket(*Stat, Socket) ?*Stat;
pub extern fn nng_stat_find_dialer(*Stat, Dialer) ?*Stat;
pub extern fn nng_stat_find_listener(*Stat, Listener) ?*Stat;
pub extern fn nng_stat_type(*Stat) c_int;
pub extern fn nng_stat_value(*Stat) u64;
pub extern fn nng_stat_string(*Stat) ?[*:0]const u8;

// URLs and platform utilities
pub const Url = extern struct {
    rawurl: ?[*:0]const u8,
    scheme: ?[*:0]const u8,
    userinfo: ?[*:0]const u8,
    host: ?[*:0]const u8,
    hostname: ?[*:0]const u8,
    port: ?[*:0]const u8,
    path: ?[*:0]const u8,
    query: ?[*:0]const u8,
    fragment: ?[*:0]const u8,
    requri: ?[*:0]const u8,
};
pub extern fn nng_url_parse(*?*Url, [*:0]const u8) c_int;
pub extern fn nng_url_free(*Url) void;
pub extern fn nng_clock() u64;
pub extern fn nng_msleep(Duration) void;

// TLS configuration (supplemental/tls/tls.h). A config is reference-counted: alloc gives one
// reference, hold adds one, free drops one; endpoints that use a config hold their own.
pub const TlsConfig = opaque {};
pub const TlsMode = enum(c_int) { client = 0, server = 1 };
pub const TlsAuthMode = enum(c_int) { none = 0, optional = 1, required = 2 };
pub const opt_tls_config: [*:0]const u8 = "tls-config";
pub const ECRYPTO: c_int = 26;
pub extern fn nng_tls_config_alloc(*?*TlsConfig, TlsMode) c_int;
pub extern fn nng_tls_config_hold(*TlsConfig) void;
pub extern fn nng_tls_config_free(*TlsConfig) void;
pub extern fn nng_tls_config_server_name(*TlsConfig, [*:0]const u8) c_int;
pub extern fn nng_tls_config_ca_chain(*TlsConfig, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_tls_config_own_cert(*TlsConfig, [*:0]const u8, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_tls_config_auth_mode(*TlsConfig, TlsAuthMode) c_int;
pub extern fn nng_tls_config_ca_file(*TlsConfig, [*:0]const u8) c_int;
pub extern fn nng_tls_config_cert_key_file(*TlsConfig, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_dialer_set_ptr(Dialer, [*:0]const u8, ?*anyopaque) c_int;
pub extern fn nng_listener_set_ptr(Listener, [*:0]const u8, ?*anyopaque) c_int;

// Byte streams (nng_stream*): raw connections without the SP protocols.
pub const Stream = opaque {};
pub const StreamDialer = opaque {};
pub const StreamListener = opaque {};
pub const Iov = extern struct { buf: ?*anyopaque, len: usize };
pub extern fn nng_stream_dialer_alloc(*?*StreamDialer, [*:0]const u8) c_int;
pub extern fn nng_stream_dialer_free(*StreamDialer) void;
pub extern fn nng_stream_dialer_dial(*StreamDialer, *Aio) void;
pub extern fn nng_stream_dialer_set_bool(*StreamDialer, [*:0]const u8, bool) c_int;
pub extern fn nng_stream_dialer_set_string(*StreamDialer, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_stream_dialer_set_ptr(*StreamDialer, [*:0]const u8, ?*anyopaque) c_int;
pub extern fn nng_stream_listener_alloc(*?*StreamListener, [*:0]const u8) c_int;
pub extern fn nng_stream_listener_free(*StreamListener) void;
pub extern fn nng_stream_listener_listen(*StreamListener) c_int;
pub extern fn nng_stream_listener_accept(*StreamListener, *Aio) void;
pub extern fn nng_stream_listener_set_bool(*StreamListener, [*:0]const u8, bool) c_int;
pub extern fn nng_stream_listener_set_ptr(*StreamListener, [*:0]const u8, ?*anyopaque) c_int;
pub extern fn nng_stream_listener_get_int(*StreamListener, [*:0]const u8, *c_int) c_int;
pub extern fn nng_stream_free(*Stream) void;
pub extern fn nng_stream_close(*Stream) void;
pub extern fn nng_stream_send(*Stream, *Aio) void;
pub extern fn nng_stream_recv(*Stream, *Aio) void;
pub extern fn nng_aio_set_iov(*Aio, c_uint, [*]const Iov) c_int;
pub extern fn nng_aio_count(*Aio) usize;
pub extern fn nng_aio_get_output(*Aio, c_uint) ?*anyopaque;
pub extern fn nng_msg_chop(*Msg, usize) c_int;
// The aio provider API: a stream's writer completes queued sends on their own aios.
pub const AioCancelFn = *const fn (?*Aio, ?*anyopaque, c_int) callconv(.c) void;
pub extern fn nng_aio_begin(*Aio) bool;
pub extern fn nng_aio_finish(*Aio, c_int) void;
pub extern fn nng_aio_defer(*Aio, AioCancelFn, ?*anyopaque) void;
pub extern fn nng_stat_child(*Stat) ?*Stat;
pub extern fn nng_stat_next(*Stat) ?*Stat;
pub extern fn nng_stat_name(*Stat) [*:0]const u8;
pub extern fn nng_random() u32;
