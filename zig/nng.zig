//! The NNG 2.0 C API the shim uses (include/nng/nng.h), declared by hand (no @cImport): only what we
//! call, with the exact C types. NNG's handle types are structs of one u32, passed by value. NNG 2.0
//! returns `nng_err`, a C enum, where 1.x returned int: the same ABI, so both are c_int here.
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
pub const EBUSY: c_int = 4;
pub const ENOMEM: c_int = 2;
pub const EINVAL: c_int = 3;
pub const ETIMEDOUT: c_int = 5;
pub const EAGAIN: c_int = 8;
pub const ENOTSUP: c_int = 9;
pub const ECANCELED: c_int = 20;
pub const ENOENT: c_int = 12;
pub const ECONNSHUT: c_int = 31;
/// NNG 2.0: the aio was stopped for good (nng_aio_stop, or its object is being torn down); an
/// operation that fails with it must not be resubmitted.
pub const ESTOPPED: c_int = 999;

// Library initialisation (NNG 2.0: required before anything else; nng_fini undoes it).
pub const InitParams = extern struct {
    num_task_threads: i16 = 0,
    max_task_threads: i16 = 0,
    num_expire_threads: i16 = 0,
    max_expire_threads: i16 = 0,
    num_poller_threads: i16 = 0,
    max_poller_threads: i16 = 0,
    num_resolver_threads: i16 = 0,
    malloc_fn: ?*const fn (usize) callconv(.c) ?*anyopaque = null,
    calloc_fn: ?*const fn (usize, usize) callconv(.c) ?*anyopaque = null,
    free_fn: ?*const fn (?*anyopaque, usize) callconv(.c) void = null,
};
pub extern fn nng_init(?*const InitParams) c_int;
pub extern fn nng_fini() void;

/// NNG 2.0 numbers the events from 1 (NNG_PIPE_EV_NONE is 0; NNG 1.x started ADD_PRE at 0).
/// Non-exhaustive: a value that comes from C is not trusted to be one of ours.
pub const PipeEvent = enum(c_int) { none = 0, add_pre = 1, add_post = 2, rem_post = 3, _ };
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
pub extern fn nng_socket_close(Socket) c_int;
/// A descriptor that polls readable while the socket has a message to receive (NNG 2.0).
pub extern fn nng_socket_get_recv_poll_fd(Socket, *c_int) c_int;
pub extern fn nng_socket_raw(Socket, *bool) c_int;
pub extern fn nng_socket_proto_id(Socket, *u16) c_int;
pub extern fn nng_socket_peer_id(Socket, *u16) c_int;
pub extern fn nng_socket_proto_name(Socket, *?[*:0]const u8) c_int;
pub extern fn nng_socket_peer_name(Socket, *?[*:0]const u8) c_int;
pub extern fn nng_sub0_socket_subscribe(Socket, ?*const anyopaque, usize) c_int;
pub extern fn nng_sub0_socket_unsubscribe(Socket, ?*const anyopaque, usize) c_int;
pub extern fn nng_sub0_ctx_subscribe(Ctx, ?*const anyopaque, usize) c_int;
pub extern fn nng_sub0_ctx_unsubscribe(Ctx, ?*const anyopaque, usize) c_int;

// Endpoints
pub extern fn nng_dial(Socket, [*:0]const u8, ?*Dialer, c_int) c_int;
pub extern fn nng_dialer_create(*Dialer, Socket, [*:0]const u8) c_int;
pub extern fn nng_dialer_start(Dialer, c_int) c_int;
pub extern fn nng_dialer_close(Dialer) c_int;
pub extern fn nng_listener_create(*Listener, Socket, [*:0]const u8) c_int;
pub extern fn nng_listener_start(Listener, c_int) c_int;
pub extern fn nng_listener_close(Listener) c_int;
pub extern fn nng_dialer_get_url(Dialer, *?*const Url) c_int;
pub extern fn nng_listener_get_url(Listener, *?*const Url) c_int;

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
pub extern fn nng_aio_busy(*Aio) bool;
pub extern fn nng_aio_result(*Aio) c_int;
pub extern fn nng_aio_set_msg(*Aio, ?*Msg) void;
pub extern fn nng_aio_get_msg(*Aio) ?*Msg;
pub extern fn nng_aio_set_timeout(*Aio, Duration) void;
pub extern fn nng_socket_send(Socket, *Aio) void;
pub extern fn nng_socket_recv(Socket, *Aio) void;

// Options, typed (NNG 2.0 has no untyped getters or setters but nng_ctx_set). What each object
// kind has differs: sockets and contexts have no string options left, and nothing has uint64 ones
// (nng.h still declares them for endpoints, but NNG 2.0 defines none).
pub extern fn nng_socket_set_bool(Socket, [*:0]const u8, bool) c_int;
pub extern fn nng_socket_set_int(Socket, [*:0]const u8, c_int) c_int;
pub extern fn nng_socket_set_size(Socket, [*:0]const u8, usize) c_int;
pub extern fn nng_socket_set_ms(Socket, [*:0]const u8, Duration) c_int;
pub extern fn nng_socket_get_bool(Socket, [*:0]const u8, *bool) c_int;
pub extern fn nng_socket_get_int(Socket, [*:0]const u8, *c_int) c_int;
pub extern fn nng_socket_get_size(Socket, [*:0]const u8, *usize) c_int;
pub extern fn nng_socket_get_ms(Socket, [*:0]const u8, *Duration) c_int;

pub extern fn nng_ctx_set_bool(Ctx, [*:0]const u8, bool) c_int;
pub extern fn nng_ctx_set_int(Ctx, [*:0]const u8, c_int) c_int;
pub extern fn nng_ctx_set_size(Ctx, [*:0]const u8, usize) c_int;
pub extern fn nng_ctx_set_ms(Ctx, [*:0]const u8, Duration) c_int;
pub extern fn nng_ctx_get_bool(Ctx, [*:0]const u8, *bool) c_int;
pub extern fn nng_ctx_get_int(Ctx, [*:0]const u8, *c_int) c_int;
pub extern fn nng_ctx_get_size(Ctx, [*:0]const u8, *usize) c_int;
pub extern fn nng_ctx_get_ms(Ctx, [*:0]const u8, *Duration) c_int;

/// The strings the endpoint getters give belong to the endpoint: copied, never freed.
pub extern fn nng_dialer_set_bool(Dialer, [*:0]const u8, bool) c_int;
pub extern fn nng_dialer_set_int(Dialer, [*:0]const u8, c_int) c_int;
pub extern fn nng_dialer_set_size(Dialer, [*:0]const u8, usize) c_int;
pub extern fn nng_dialer_set_string(Dialer, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_dialer_set_ms(Dialer, [*:0]const u8, Duration) c_int;
pub extern fn nng_dialer_get_bool(Dialer, [*:0]const u8, *bool) c_int;
pub extern fn nng_dialer_get_int(Dialer, [*:0]const u8, *c_int) c_int;
pub extern fn nng_dialer_get_size(Dialer, [*:0]const u8, *usize) c_int;
pub extern fn nng_dialer_get_string(Dialer, [*:0]const u8, *?[*:0]const u8) c_int;
pub extern fn nng_dialer_get_ms(Dialer, [*:0]const u8, *Duration) c_int;

pub extern fn nng_listener_set_bool(Listener, [*:0]const u8, bool) c_int;
pub extern fn nng_listener_set_int(Listener, [*:0]const u8, c_int) c_int;
pub extern fn nng_listener_set_size(Listener, [*:0]const u8, usize) c_int;
pub extern fn nng_listener_set_string(Listener, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_listener_set_ms(Listener, [*:0]const u8, Duration) c_int;
pub extern fn nng_listener_get_bool(Listener, [*:0]const u8, *bool) c_int;
pub extern fn nng_listener_get_int(Listener, [*:0]const u8, *c_int) c_int;
pub extern fn nng_listener_get_size(Listener, [*:0]const u8, *usize) c_int;
pub extern fn nng_listener_get_string(Listener, [*:0]const u8, *?[*:0]const u8) c_int;
pub extern fn nng_listener_get_ms(Listener, [*:0]const u8, *Duration) c_int;

pub extern fn nng_strfree(?[*:0]u8) void;
pub extern fn nng_sleep_aio(Duration, *Aio) void;

// Pipes and notifications
pub extern fn nng_pipe_notify(Socket, PipeEvent, ?PipeCallback, ?*anyopaque) c_int;
pub extern fn nng_pipe_socket(Pipe) Socket;
pub extern fn nng_pipe_id(Pipe) c_int;
pub extern fn nng_pipe_close(Pipe) c_int;
pub extern fn nng_pipe_dialer(Pipe) Dialer;
pub extern fn nng_pipe_listener(Pipe) Listener;

// Devices. NNG 2.0: a started device owns both sockets (using or closing them fails with EBUSY)
// and closes them when it stops; nng_device_aio runs one until its aio is cancelled.
pub extern fn nng_device(Socket, Socket) c_int;
pub extern fn nng_device_aio(*Aio, Socket, Socket) void;

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
pub extern fn nng_stat_find(*const Stat, [*:0]const u8) ?*const Stat;
pub extern fn nng_stat_find_socket(*const Stat, Socket) ?*const Stat;
pub extern fn nng_stat_find_dialer(*const Stat, Dialer) ?*const Stat;
pub extern fn nng_stat_find_listener(*const Stat, Listener) ?*const Stat;
pub extern fn nng_stat_type(*const Stat) c_int;
pub extern fn nng_stat_value(*const Stat) u64;
pub extern fn nng_stat_bool(*const Stat) bool;
pub extern fn nng_stat_string(*const Stat) ?[*:0]const u8;

// URLs and platform utilities
/// NNG 2.0's URL is opaque, read through accessors.
pub const Url = opaque {};
pub extern fn nng_url_parse(*?*Url, [*:0]const u8) c_int;
pub extern fn nng_url_free(*Url) void;
/// Writes the URL as text (snprintf's contract: the full length is returned).
pub extern fn nng_url_sprintf(?[*]u8, usize, *const Url) c_int;
pub extern fn nng_url_scheme(*const Url) ?[*:0]const u8;
pub extern fn nng_url_port(*const Url) u32;
pub extern fn nng_url_hostname(*const Url) ?[*:0]const u8;
pub extern fn nng_url_userinfo(*const Url) ?[*:0]const u8;
pub extern fn nng_url_path(*const Url) ?[*:0]const u8;
pub extern fn nng_url_query(*const Url) ?[*:0]const u8;
pub extern fn nng_url_fragment(*const Url) ?[*:0]const u8;
pub extern fn nng_clock() u64;
pub extern fn nng_msleep(Duration) void;

// TLS configuration (in nng.h since 2.0). A config is reference-counted: alloc gives one
// reference, hold adds one, free drops one; endpoints that use a config hold their own.
pub const TlsConfig = opaque {};
pub const TlsMode = enum(c_int) { client = 0, server = 1 };
pub const TlsAuthMode = enum(c_int) { none = 0, optional = 1, required = 2 };
pub const TlsVersion = enum(c_int) { tls_1_2 = 0x303, tls_1_3 = 0x304 };
pub const ECRYPTO: c_int = 26;
pub const EPEERAUTH: c_int = 27;
pub extern fn nng_tls_config_alloc(*?*TlsConfig, TlsMode) c_int;
pub extern fn nng_tls_config_hold(*TlsConfig) void;
pub extern fn nng_tls_config_free(*TlsConfig) void;
pub extern fn nng_tls_config_server_name(*TlsConfig, [*:0]const u8) c_int;
pub extern fn nng_tls_config_ca_chain(*TlsConfig, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_tls_config_own_cert(*TlsConfig, [*:0]const u8, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_tls_config_auth_mode(*TlsConfig, TlsAuthMode) c_int;
pub extern fn nng_tls_config_ca_file(*TlsConfig, [*:0]const u8) c_int;
pub extern fn nng_tls_config_cert_key_file(*TlsConfig, [*:0]const u8, ?[*:0]const u8) c_int;
pub extern fn nng_tls_config_version(*TlsConfig, TlsVersion, TlsVersion) c_int;
pub extern fn nng_tls_engine_name() [*:0]const u8;
pub extern fn nng_tls_engine_description() [*:0]const u8;
pub extern fn nng_dialer_set_tls(Dialer, *TlsConfig) c_int;
pub extern fn nng_listener_set_tls(Listener, *TlsConfig) c_int;

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
pub extern fn nng_stream_dialer_set_tls(*StreamDialer, *TlsConfig) c_int;
pub extern fn nng_stream_listener_alloc(*?*StreamListener, [*:0]const u8) c_int;
pub extern fn nng_stream_listener_free(*StreamListener) void;
pub extern fn nng_stream_listener_listen(*StreamListener) c_int;
pub extern fn nng_stream_listener_accept(*StreamListener, *Aio) void;
pub extern fn nng_stream_listener_set_bool(*StreamListener, [*:0]const u8, bool) c_int;
pub extern fn nng_stream_listener_set_string(*StreamListener, [*:0]const u8, [*:0]const u8) c_int;
pub extern fn nng_stream_listener_set_tls(*StreamListener, *TlsConfig) c_int;
pub extern fn nng_stream_listener_get_int(*StreamListener, [*:0]const u8, *c_int) c_int;
pub extern fn nng_stream_free(*Stream) void;
pub extern fn nng_stream_close(*Stream) void;
pub extern fn nng_stream_stop(*Stream) void;
pub extern fn nng_stream_get_bool(*Stream, [*:0]const u8, *bool) c_int;
pub extern fn nng_stream_dialer_close(*StreamDialer) void;
pub extern fn nng_stream_dialer_stop(*StreamDialer) void;
pub extern fn nng_stream_listener_close(*StreamListener) void;
pub extern fn nng_stream_listener_stop(*StreamListener) void;
pub extern fn nng_stream_send(*Stream, *Aio) void;
pub extern fn nng_stream_recv(*Stream, *Aio) void;
pub extern fn nng_aio_set_iov(*Aio, c_uint, [*]const Iov) c_int;
pub extern fn nng_aio_count(*Aio) usize;
pub extern fn nng_aio_get_output(*Aio, c_uint) ?*anyopaque;
pub extern fn nng_msg_chop(*Msg, usize) c_int;
// The aio provider API: a stream's writer completes queued sends on their own aios. NNG 2.0:
// nng_aio_reset before anything else; nng_aio_start schedules the aio with its cancel function, or
// returns false having completed it already (stopped, aborted, or a zero timeout).
pub const AioCancelFn = *const fn (?*Aio, ?*anyopaque, c_int) callconv(.c) void;
pub extern fn nng_aio_reset(*Aio) void;
pub extern fn nng_aio_start(*Aio, ?AioCancelFn, ?*anyopaque) bool;
pub extern fn nng_aio_finish(*Aio, c_int) void;
pub extern fn nng_stat_child(*const Stat) ?*const Stat;
pub extern fn nng_stat_next(*const Stat) ?*const Stat;
pub extern fn nng_stat_name(*const Stat) [*:0]const u8;
pub extern fn nng_random() u32;
