// The whole native symbol table: every `export fn` of zig/exports.zig, one line each.
// test/ffi.test.ts checks this table against the library's exported symbols, and load() checks
// the ABI version, so the two sides cannot drift.
//
// Which library is loaded (BUN_NNG_LIB, a checkout's build, or the platform package) is decided by
// src/native-lib.ts. BUN_NNG_TRACE_FFI=1 wraps every symbol to count calls and time them; the totals
// print at exit (see traceReport()).
import { dlopen, FFIType } from "bun:ffi";
import { nativeLibrary } from "./native-lib";

const { u32, i32, f64, ptr, cstring, void: none } = FFIType;

/** Must equal `abi_version` in zig/exports.zig. */
export const ABI_VERSION = 6;

export const symbolTable = {
  // ABI
  bnng_abi_version: { args: [], returns: u32 },
  bnng_abi_entry_size: { args: [], returns: u32 },
  bnng_abi_entry_data_offset: { args: [], returns: u32 },
  bnng_abi_inline_max: { args: [], returns: u32 },
  bnng_abi_batch_max: { args: [], returns: u32 },
  // Library
  bnng_init: { args: [], returns: i32 },
  bnng_nng_version: { args: [], returns: cstring },
  bnng_strerror: { args: [i32], returns: cstring },
  bnng_mbedtls_version: { args: [ptr], returns: none },
  bnng_url_parse: { args: [ptr, ptr, u32], returns: i32 },
  bnng_clock: { args: [], returns: f64 },
  bnng_msleep: { args: [i32], returns: none },
  bnng_random: { args: [ptr, u32], returns: none },
  // Runtime and ring
  bnng_rt_new: { args: [ptr], returns: ptr },
  bnng_rt_set_wake: { args: [ptr, ptr], returns: none },
  bnng_rt_batch: { args: [ptr], returns: ptr },
  bnng_drain: { args: [ptr, u32], returns: u32 },
  bnng_rt_stats: { args: [ptr, ptr], returns: none },
  // Sockets, endpoints, contexts
  bnng_socket_open: { args: [u32, u32], returns: i32 },
  bnng_socket_close: { args: [ptr, u32], returns: i32 },
  bnng_dial: { args: [u32, ptr, u32, u32], returns: i32 },
  bnng_listen: { args: [u32, ptr, u32], returns: i32 },
  bnng_dialer_start: { args: [u32, u32], returns: i32 },
  bnng_listener_start: { args: [u32], returns: i32 },
  bnng_dialer_close: { args: [u32], returns: i32 },
  bnng_listener_close: { args: [u32], returns: i32 },
  bnng_ctx_open: { args: [u32], returns: i32 },
  bnng_ctx_close: { args: [ptr, u32, u32], returns: i32 },
  // Options
  bnng_opt_set: { args: [u32, u32, ptr, u32, f64, ptr, u32], returns: i32 },
  bnng_opt_get: { args: [u32, u32, ptr, u32, ptr, u32], returns: i32 },
  // Asynchronous I/O
  bnng_send_aio: { args: [ptr, u32, u32, u32, ptr, u32, i32, u32, ptr, u32], returns: i32 },
  bnng_recv_aio: { args: [ptr, u32, u32, u32, i32, ptr, u32], returns: i32 },
  bnng_request: { args: [ptr, u32, u32, u32, ptr, u32, i32, ptr], returns: i32 },
  bnng_sleep_aio: { args: [ptr, i32, u32], returns: u32 },
  bnng_aio_cancel: { args: [ptr, u32], returns: none },
  bnng_aio_wait: { args: [ptr, u32], returns: none },
  bnng_msg_take: { args: [ptr, ptr, u32], returns: none },
  bnng_msg_deallocator: { args: [], returns: ptr },
  bnng_live_kib_ptr: { args: [], returns: ptr },
  // Synchronous I/O
  bnng_send: { args: [ptr, u32, u32, ptr, u32, i32], returns: i32 },
  bnng_recv: { args: [ptr, u32, u32, i32], returns: i32 },
  bnng_sync_take: { args: [ptr, ptr], returns: none },
  bnng_recv_now: { args: [ptr, u32, u32, ptr, u32, ptr], returns: i32 },
  bnng_send_aio_now: { args: [ptr, u32, u32, u32, ptr, u32, i32, u32], returns: i32 },
  // Devices, pipe notifications, statistics
  bnng_device_start: { args: [ptr, u32, u32], returns: i32 },
  bnng_pipe_notify: { args: [u32, ptr, u32, u32, u32, i32], returns: i32 },
  bnng_stat: { args: [u32, u32, ptr, ptr], returns: i32 },
  // Condition variables
  bnng_cv_new: { args: [], returns: ptr },
  bnng_cv_release: { args: [ptr], returns: none },
  bnng_cv_wait: { args: [ptr, i32], returns: u32 },
  bnng_cv_value: { args: [ptr], returns: u32 },
  bnng_cv_reset: { args: [ptr], returns: none },
  bnng_cv_signal: { args: [ptr], returns: none },
  bnng_cv_wait_aio: { args: [ptr, ptr, i32], returns: i32 },
  // Test support
  bnng_test_flood_start: { args: [ptr, u32, u32], returns: ptr },
  bnng_test_wake_start: { args: [ptr, u32], returns: ptr },
  bnng_test_flood_join: { args: [ptr], returns: u32 },
  // TLS
  bnng_tls_config_new: { args: [u32, ptr], returns: ptr },
  bnng_tls_config_free: { args: [ptr], returns: none },
  bnng_tls_config_auth: { args: [ptr, u32], returns: i32 },
  bnng_tls_config_server_name: { args: [ptr, ptr], returns: i32 },
  bnng_tls_config_ca_chain: { args: [ptr, ptr, ptr], returns: i32 },
  bnng_tls_config_ca_file: { args: [ptr, ptr], returns: i32 },
  bnng_tls_config_own_cert: { args: [ptr, ptr, ptr, ptr], returns: i32 },
  bnng_tls_config_cert_key_file: { args: [ptr, ptr, ptr], returns: i32 },
  bnng_tls_set: { args: [u32, u32, ptr], returns: i32 },
  bnng_tls_write_cert: { args: [ptr, ptr, ptr, ptr, u32, ptr, u32, ptr, u32], returns: i32 },
  // Streams
  bnng_stream_new: { args: [ptr, u32, u32, ptr, ptr, ptr], returns: ptr },
  bnng_stream_port: { args: [ptr], returns: i32 },
  bnng_stream_start: { args: [ptr, ptr], returns: i32 },
  bnng_stream_close: { args: [ptr], returns: none },
  bnng_stream_send_aio: { args: [ptr, ptr, ptr, u32, i32, ptr], returns: i32 },
  bnng_stream_recv_aio: { args: [ptr, ptr, u32, i32, ptr], returns: i32 },
  bnng_stream_send: { args: [ptr, ptr, ptr, u32, i32], returns: i32 },
  bnng_stream_recv: { args: [ptr, ptr, u32, i32], returns: i32 },
} as const;

const resolved = nativeLibrary();

/** The path of the loaded native library (see src/native-lib.ts for how it is chosen). */
export function libraryPath(): string {
  return resolved.path;
}

function load() {
  const path = resolved.path;
  let lib;
  try {
    lib = dlopen(path, symbolTable);
  } catch (err) {
    // e.g. a library of another architecture, or one whose own dependencies are missing
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`bun-nng: cannot load the native library ${path} (found through ${SOURCE_NAMES[resolved.source]}): ${why}`);
  }
  const abi = lib.symbols.bnng_abi_version();
  if (abi !== ABI_VERSION) {
    throw new Error(`bun-nng: ${path} has ABI version ${abi}, this code expects ${ABI_VERSION}; ${rebuildHint()}`);
  }
  // NNG 2.0 must be initialised before any other call (once per process; Workers share it).
  const rv = lib.symbols.bnng_init();
  if (rv !== 0) throw new Error(`bun-nng: NNG failed to initialise (error ${rv}: ${lib.symbols.bnng_strerror(rv)})`);
  return lib;
}

const SOURCE_NAMES = { env: "BUN_NNG_LIB", checkout: "this checkout's zig-out/", package: "the platform package" } as const;

/** What to do about a library of another ABI version, by where it came from. */
function rebuildHint(): string {
  switch (resolved.source) {
    case "env":
      return "rebuild it, or unset BUN_NNG_LIB.";
    case "checkout":
      return "rebuild it (`make build`).";
    case "package":
      return `reinstall so that @bun-nng/${resolved.platform} has bun-nng's version.`;
  }
}

export const lib = load();

type Symbols = typeof lib.symbols;

const traceTotals = new Map<string, { calls: number; ns: number }>();

function traced(symbols: Symbols): Symbols {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(symbols) as [string, (...a: unknown[]) => unknown][]) {
    const totals = { calls: 0, ns: 0 };
    traceTotals.set(name, totals);
    wrapped[name] = (...args: unknown[]) => {
      const t0 = Bun.nanoseconds();
      const out = fn(...args);
      totals.ns += Bun.nanoseconds() - t0;
      totals.calls++;
      return out;
    };
  }
  process.on("exit", () => process.stderr.write(traceReport()));
  return wrapped as Symbols;
}

/** Per-symbol call counts and time, when BUN_NNG_TRACE_FFI is set. */
export function traceReport(): string {
  const rows = [...traceTotals].filter(([, t]) => t.calls > 0).sort((a, b) => b[1].ns - a[1].ns);
  const lines = rows.map(
    ([name, t]) => `${name.padEnd(28)} ${String(t.calls).padStart(10)} calls ${(t.ns / t.calls).toFixed(0).padStart(8)} ns/call`,
  );
  return `bun-nng FFI trace\n${lines.join("\n")}\n`;
}

/** The native functions (traced when BUN_NNG_TRACE_FFI is set). */
export const native: Symbols = process.env.BUN_NNG_TRACE_FFI ? traced(lib.symbols) : lib.symbols;
