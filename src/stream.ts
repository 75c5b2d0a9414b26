// Raw byte streams (nanonext's stream()): tcp, ipc, ws, wss and tls+tcp connections to peers that do
// not speak the SP protocols (a plain TCP service, a WebSocket server or client).
//
// stream({ dial | listen }) returns a Promise of the connected Stream, because a dial (and the
// WebSocket handshake) or an accept may need this thread's event loop: the peer can live in the same
// process (a Bun.serve server, a Bun WebSocket client). Bad input and URLs NNG refuses throw at once,
// and the promise carries `.url` (with the bound port when listening on port 0), so a peer can be
// pointed at a listening stream before it connects.
//
// send/recv/sendAio/recvAio (src/io.ts) dispatch here for a Stream. Streams have no message
// boundaries: a send writes all of its bytes, in the order the sends were made (the shim queues them
// per stream and re-issues what NNG did not take, from the completion callback), a receive completes
// with whatever has arrived, up to `n` bytes (65536). Sends are always raw (a string as UTF-8, bytes
// as they are, whatever the mode); a receive in the serial mode is read as a string (nanonext's rule).
// A stopped or timed-out send may have written part of its bytes.
//
// Every connected stream keeps reads of its own posted (zig/streams.zig), so a stream learns that
// its peer has gone at once, and NNG's TLS handshake (driven by I/O) goes ahead on a listening side
// that neither sends nor receives yet.
import type { Pointer } from "bun:ffi";
import { native } from "./ffi";
import { ErrorCode, errorValue, NngError } from "./errors";
import { RecvAio, SendAio } from "./aio";
import { decode, encode, recvModeOf, sendModeOf, type RecvModeArg, type SendModeArg } from "./modes";
import { cancelOp, drainNow, rt, track, type Completer } from "./runtime";
import { cstr } from "./strings";
import { isTlsUrl, TlsConfig } from "./tls";
import { cvHandle, type Cv } from "./cv";
import { signalOf, typeName } from "./check";

/** Set only while Opening makes a Stream: the constructor refuses anyone else (a handle is a pointer). */
let constructing = false;

const DEFAULT_BYTES = 65536;
const MAX_MS = 0x7fffffff;
const DURATION_DEFAULT = -2;

/**
 * What the streams of NNG 2.0 run over (core/stream.c), for the error of any other scheme. winpipe
 * (Windows named pipes; ipc is AF_UNIX there too since NNG 2.0) exists on Windows only; "socket"
 * (an inherited file descriptor) is not offered.
 */
const SCHEMES = ["tcp", "tcp4", "tcp6", "ipc", "unix", "abstract", "winpipe", "ws", "ws4", "ws6", "wss", "tls+tcp", "tls+tcp4", "tls+tcp6"];
const WS_URL = /^wss?[46]?:\/\//i;
// A tcp-based URL whose port is 0 or missing (NNG binds an ephemeral port for both); as socket.ts.
const PORT_ZERO = /^((?:tcp[46]?|tls\+tcp[46]?|wss?[46]?):\/\/(?:\[[^\]]*\]|[^:/]*))(?::0)?(?=\/|$)/i;
// An HTTP header name (RFC 9110 token).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Options of `stream()`: exactly one of `dial` and `listen`. */
export interface StreamOptions {
  /** URL to connect to: tcp://, ipc://, ws://, wss://, tls+tcp://. */
  dial?: string;
  /** URL to listen at; the stream is the first connection accepted there. */
  listen?: string;
  /** ws/wss: send text frames instead of binary ones, and accept text frames. */
  textframes?: boolean;
  /** ws/wss dials: extra headers of the upgrade request, e.g. { Authorization: "Bearer ..." }. */
  headers?: Record<string, string>;
  /** wss and tls+tcp (required for them): a client tlsConfig to dial, a server one to listen. */
  tls?: TlsConfig;
  /**
   * Aborting stops a dial or accept still in progress (the promise rejects with error 20). Until it
   * connects, a pending stream() keeps the process alive, as an Aio in flight does.
   */
  signal?: AbortSignal;
}

/** The promise stream() returns: the Stream once connected, and the URL at once. */
export interface StreamPromise extends Promise<Stream> {
  /** The URL dialed, or listened at (with the bound port after listening on port 0). */
  readonly url: string;
}

const backstop = new FinalizationRegistry<Pointer>((h) => native.bnng_stream_close(h));

/**
 * A connected byte stream: `send`, `recv`, `sendAio`, `recvAio` and `for await` work on it (raw bytes,
 * no message boundaries). Use `stream(options)`. nanonext: the nanoStream object.
 */
export class Stream {
  /** The URL dialed or listened at (with the bound port). */
  readonly url: string;
  /** "dialer" or "listener": how the connection was made (as nanonext shows it). */
  readonly mode: "dialer" | "listener";
  /** ws/wss: whether text frames are sent (and accepted). */
  readonly textframes: boolean;
  #handle: Pointer;
  #closed = false;

  /** @internal made by stream() once the connection exists; owns `handle`. */
  constructor(handle: Pointer, url: string, mode: "dialer" | "listener", textframes: boolean) {
    if (!constructing) throw new TypeError("Stream objects are made by stream({ dial | listen }), not by new Stream()");
    this.#handle = handle;
    this.url = url;
    this.mode = mode;
    this.textframes = textframes;
    backstop.register(this, handle, this);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True for a real Stream (not an object that merely inherits from Stream.prototype). */
  static is(x: unknown): x is Stream {
    return typeof x === "object" && x !== null && #closed in x;
  }

  /** @internal the native stream; callers check `closed` first. */
  get handle(): Pointer {
    return this.#handle;
  }

  /**
   * Closes the connection (and its dialer or listener). Operations in flight complete with error 7;
   * the native memory goes when the last of them has. Idempotent.
   */
  close(): void {
    if (!Stream.is(this)) throw new TypeError("close: this is not a real Stream (an object inheriting from Stream.prototype)");
    if (this.#closed) return;
    this.#closed = true;
    backstop.unregister(this);
    native.bnng_stream_close(this.#handle);
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  get [Symbol.toStringTag]() {
    if (!Stream.is(this)) return "Stream (imitation)";
    return `Stream ${this.url}${this.#closed ? " closed" : ""}`;
  }
}

/** Waits for the dial or accept op; then owns the native stream until it becomes a Stream. */
class Opening implements Completer {
  pending = true;
  resolve!: (s: Stream) => void;
  reject!: (e: unknown) => void;

  constructor(
    readonly handle: Pointer,
    readonly url: string,
    readonly mode: "dial" | "listen",
    readonly textframes: boolean,
    readonly signal: AbortSignal | undefined,
    readonly onAbort: () => void,
  ) {}

  complete(result: number): void {
    this.pending = false;
    this.signal?.removeEventListener("abort", this.onAbort);
    if (result === 0) {
      constructing = true;
      let s: Stream;
      try {
        s = new Stream(this.handle, this.url, this.mode === "dial" ? "dialer" : "listener", this.textframes);
      } finally {
        constructing = false;
      }
      this.resolve(s);
      return;
    }
    native.bnng_stream_close(this.handle);
    const what = this.mode === "dial" ? `cannot connect to '${this.url}'` : `no connection accepted at '${this.url}'`;
    this.reject(new NngError(result, result === ErrorCode.ECANCELED ? `${what}: aborted` : what));
  }
}

function describe(x: unknown): string {
  return typeName(x);
}

function schemeOf(url: string): string {
  const i = url.indexOf("://");
  return i < 0 ? "" : url.slice(0, i).toLowerCase();
}

function headerLines(headers: unknown): string {
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) {
    throw new TypeError("stream: 'headers' takes a record of header names to string values");
  }
  let lines = "";
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`stream: ${JSON.stringify(name)} is not a valid HTTP header name`);
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) {
      throw new TypeError(`stream: header '${name}' must be a string without CR, LF or nul, got ${describe(value)}`);
    }
    lines += `${name}: ${value}\r\n`;
  }
  return lines;
}

/**
 * Connects a byte stream: `dial` a URL, or `listen` at one and take the first connection. Returns a
 * promise of the Stream, with `.url` available at once (the bound port when listening on port 0).
 * Throws TypeError on misuse and NngError when NNG refuses the URL (9 for a scheme that is not a
 * stream transport, such as inproc) or cannot listen; the promise rejects with NngError if the
 * connection fails (6 refused, ...) or `signal` aborts it (20). nanonext: `stream()`.
 */
export function stream(opts: StreamOptions): StreamPromise {
  if (opts === null || typeof opts !== "object") throw new TypeError("stream expects an options object { dial | listen, ... }");
  const { dial, listen, textframes = false, headers, tls, signal } = opts;
  if ((dial === undefined) === (listen === undefined)) {
    throw new TypeError("stream needs exactly one of 'dial' or 'listen' (a URL)");
  }
  const mode = dial !== undefined ? "dial" : "listen";
  const url = dial ?? listen;
  if (typeof url !== "string" || url.length === 0) {
    throw new TypeError(`stream: '${mode}' takes a URL string such as 'tcp://127.0.0.1:5555', got ${describe(url)}`);
  }
  if (typeof textframes !== "boolean") throw new TypeError(`stream: 'textframes' must be a boolean, got ${describe(textframes)}`);
  const ws = WS_URL.test(url);
  if (textframes && !ws) throw new TypeError(`stream: 'textframes' applies to ws:// and wss:// URLs only, not '${url}'`);
  let lines: string | null = null;
  if (headers !== undefined) {
    if (!ws) throw new TypeError(`stream: 'headers' applies to ws:// and wss:// URLs only, not '${url}'`);
    if (mode === "listen") throw new TypeError("stream: 'headers' are request headers, sent when dialing; not for 'listen'");
    lines = headerLines(headers) || null;
  }
  if (tls !== undefined && !TlsConfig.is(tls)) throw new TypeError(`stream: 'tls' takes a tlsConfig(...), got ${typeName(tls)}`);
  const secure = isTlsUrl(url);
  if (tls !== undefined && !secure) throw new TypeError(`stream: 'tls' applies to wss:// and tls+tcp:// URLs only, not '${url}'`);
  if (secure && tls === undefined) {
    throw new TypeError(`stream: '${url}' needs a TLS configuration: pass { tls: tlsConfig(...) }`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("stream: 'signal' takes an AbortSignal");
  const cfg = tls === undefined ? null : mode === "dial" ? tls.forDial(url) : tls.forListen(url);

  const err = new Int32Array(1);
  const handle = native.bnng_stream_new(
    cstr(url),
    mode === "listen" ? 1 : 0,
    textframes ? 1 : 0,
    lines === null ? null : cstr(lines),
    cfg,
    err,
  ) as Pointer | null;
  if (!handle) {
    const code = err[0] || ErrorCode.ENOMEM;
    const scheme = schemeOf(url);
    const hint =
      scheme === ""
        ? ": not a URL (expected scheme://address, such as 'tcp://127.0.0.1:5555')"
        : code === ErrorCode.ENOTSUP && !SCHEMES.includes(scheme)
          ? `: '${scheme}' is not a stream transport (streams run over ${SCHEMES.join(", ")})`
          : "";
    throw new NngError(code, `stream: cannot ${mode === "dial" ? "dial" : "listen at"} '${url}'${hint}`);
  }

  let shown = url;
  if (mode === "listen" && PORT_ZERO.test(url)) {
    const port = native.bnng_stream_port(handle);
    if (port > 0) shown = url.replace(PORT_ZERO, `$1:${port}`);
  }

  if (signal?.aborted) {
    native.bnng_stream_close(handle);
    return withUrl(Promise.reject(new NngError(ErrorCode.ECANCELED, `stream '${shown}': aborted`)), shown);
  }
  const op = native.bnng_stream_start(rt, handle);
  if (op < 0) {
    native.bnng_stream_close(handle);
    throw new NngError(-op, `stream: cannot ${mode} '${shown}'`);
  }
  const onAbort = () => {
    drainNow(); // a completion already in the ring wins
    if (opening.pending) cancelOp(op, opening);
  };
  const opening = new Opening(handle, shown, mode, textframes, signal, onAbort);
  const promise = new Promise<Stream>((resolve, reject) => {
    opening.resolve = resolve;
    opening.reject = reject;
  });
  track(op, opening);
  signal?.addEventListener("abort", onAbort, { once: true });
  return withUrl(promise, shown);
}

function withUrl(p: Promise<Stream>, url: string): StreamPromise {
  return Object.defineProperty(p, "url", { value: url, enumerable: true }) as StreamPromise;
}

// --- I/O (src/io.ts dispatches here) ---------------------------------------------------------------

function closedError(): NngError {
  return new NngError(ErrorCode.ECLOSED, "the stream is closed");
}

/** Bytes for a stream: always raw. The mode is still checked, so a typo is not silently ignored. */
function streamBytes(data: unknown, mode: SendModeArg | undefined): Uint8Array {
  sendModeOf(mode);
  return encode(data, 2);
}

/** Receive modes on a stream: serial (the default) reads a string. */
function streamRecvMode(mode: RecvModeArg | undefined): number {
  const m = recvModeOf(mode);
  return m === 1 ? 9 : m;
}

function bytesWanted(n: number | undefined): number {
  if (n === undefined) return DEFAULT_BYTES;
  if (typeof n === "number" && Number.isInteger(n) && n > 0 && n <= MAX_MS) return n;
  throw new TypeError(`n (bytes to receive at most) must be a whole number > 0, got ${describe(n)}`);
}

/**
 * Streams block by default (NNG cannot poll a stream: with block false, i.e. a zero time-out, it
 * reports 5 at once unless the operation completes immediately).
 */
function streamBlockMs(block: boolean | number | undefined): number {
  if (block === undefined || block === true) return -1;
  if (block === false) return 0;
  if (typeof block === "number" && Number.isInteger(block) && block >= 0 && block <= MAX_MS) return block;
  throw new TypeError(`block must be true, false or a whole number of milliseconds >= 0, got ${describe(block)}`);
}

function streamTimeoutMs(timeout: number | undefined): number {
  if (timeout === undefined) return DURATION_DEFAULT;
  if (typeof timeout === "number" && Number.isInteger(timeout) && timeout >= 0 && timeout <= MAX_MS) return timeout;
  throw new TypeError(`timeout must be a whole number of milliseconds >= 0, got ${describe(timeout)}`);
}

export interface StreamSendOptions {
  mode?: SendModeArg;
  block?: boolean | number;
}
export interface StreamRecvOptions {
  mode?: RecvModeArg;
  block?: boolean | number;
  n?: number;
}
export interface StreamSendAioOptions {
  mode?: SendModeArg;
  timeout?: number;
  pipe?: number;
  signal?: AbortSignal;
}
export interface StreamRecvAioOptions {
  mode?: RecvModeArg;
  timeout?: number;
  cv?: Cv;
  signal?: AbortSignal;
  n?: number;
}

/** Writes all of `data` synchronously. 0, or an NngError value. */
export function streamSend(s: Stream, data: unknown, opts: StreamSendOptions): 0 | NngError {
  const bytes = streamBytes(data, opts.mode);
  const block = streamBlockMs(opts.block);
  if (s.closed) return closedError();
  const rv = native.bnng_stream_send(rt, s.handle, bytes, bytes.length, block);
  return rv === 0 ? 0 : errorValue(rv);
}

/** Receives what has arrived (at most `n` bytes) synchronously, decoded in `mode`. */
export function streamRecv<T>(s: Stream, opts: StreamRecvOptions): T | NngError {
  const mode = streamRecvMode(opts.mode);
  const n = bytesWanted(opts.n);
  const block = streamBlockMs(opts.block);
  if (s.closed) return closedError();
  const len = native.bnng_stream_recv(rt, s.handle, n, block);
  if (len < 0) return errorValue(-len);
  const bytes = new Uint8Array(len);
  native.bnng_sync_take(rt, bytes);
  return decode(bytes, mode) as T | NngError;
}

export function streamSendAio(s: Stream, data: unknown, opts: StreamSendAioOptions): SendAio {
  const bytes = streamBytes(data, opts.mode);
  const timeout = streamTimeoutMs(opts.timeout);
  if (opts.pipe !== undefined) throw new TypeError("sendAio: 'pipe' does not apply to streams");
  signalOf(opts.signal, "sendAio");
  const aio = new SendAio();
  if (s.closed) return aio.fail(closedError());
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  const op = native.bnng_stream_send_aio(rt, s.handle, bytes, bytes.length, timeout, null);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  return aio.begin(op, opts.signal, s); // holds the Stream (not collected, so not closed) while in flight
}

export function streamRecvAio<T>(s: Stream, opts: StreamRecvAioOptions): RecvAio<T> {
  const aio = new RecvAio<T>(streamRecvMode(opts.mode));
  const n = bytesWanted(opts.n);
  const timeout = streamTimeoutMs(opts.timeout);
  const cv = opts.cv === undefined ? null : cvHandle(opts.cv, "recvAio: 'cv'");
  signalOf(opts.signal, "recvAio");
  if (s.closed) return aio.fail(closedError());
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  const op = native.bnng_stream_recv_aio(rt, s.handle, n, timeout, cv);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  return aio.begin(op, opts.signal, s); // holds the Stream (not collected, so not closed) while in flight
}
