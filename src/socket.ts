// Sockets, dialers, listeners and contexts: thin owners of NNG ids. Each native handle has exactly one
// owner object, an idempotent close(), [Symbol.dispose], and a FinalizationRegistry backstop that is
// unregistered on close.
import type { Pointer } from "bun:ffi";
import { native } from "./ffi";
import { rt } from "./runtime";
import { ErrorCode, NngError } from "./errors";
import { cname, cstr } from "./strings";
import type { SerialConfig } from "./serial";
import type { SendAio } from "./aio";
import { TlsConfig, isTlsUrl } from "./tls";
import type { Stream } from "./stream";
import { optionsOf, typeName } from "./check";

/**
 * The protocols by name, with the shim's numbers for them: `bus pair poly push pull pub sub req rep
 * surveyor respondent` (`poly` is pair1 in polyamorous mode). nanonext: the `protocol` argument of
 * `socket()`.
 */
export const PROTOCOLS = {
  bus: 0,
  pair: 1,
  poly: 2,
  push: 3,
  pull: 4,
  pub: 5,
  sub: 6,
  req: 7,
  rep: 8,
  surveyor: 9,
  respondent: 10,
} as const;
/** A scalability protocol's name: `bus pair poly push pull pub sub req rep surveyor respondent`. */
export type Protocol = keyof typeof PROTOCOLS;

/**
 * `P` itself when it names one protocol, `any` when it is a union (a protocol known only at run time):
 * such a socket is a plain `Socket`, whose uses are checked at run time only.
 */
export type OneProtocol<P extends Protocol> = IsUnion<P> extends true ? any : P;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** Protocols whose sockets send (all but pull and sub). */
export type SendProtocol = Exclude<Protocol, "pull" | "sub">;
/** Protocols whose sockets receive (all but push and pub). */
export type RecvProtocol = Exclude<Protocol, "push" | "pub">;
/** Protocols with contexts (`context(socket)`). */
export type ContextProtocol = "req" | "rep" | "sub" | "surveyor" | "respondent";
/** Protocols that make requests (`request()`): req, and surveyor (whose request gets the first response). */
export type RequestProtocol = "req" | "surveyor";
/** Protocols that answer requests (`reply()`). */
export type ReplyProtocol = "rep" | "respondent";

/** What `send` and `sendAio` take: a socket or context whose protocol sends, or a Stream. */
export type Sender = Socket<SendProtocol> | Context<SendProtocol> | Stream;
/** What `recv`, `recvAio` and `messages` take: a socket or context whose protocol receives, or a Stream. */
export type Receiver = Socket<RecvProtocol> | Context<RecvProtocol> | Stream;

/** What send/recv address in the shim: a socket or a context. */
export const TARGET_SOCKET = 0;
export const TARGET_CTX = 1;

/**
 * What Socket and Context have in common for the I/O functions (anything messages can be sent on and
 * received from). Mostly the library's own bookkeeping; use the classes.
 */
export interface Connection {
  /** The NNG id of the socket or context. */
  readonly id: number;
  /** True once closed. */
  readonly closed: boolean;
  /** TARGET_SOCKET or TARGET_CTX. */
  readonly target: number;
  /** The socket's id (for a context, its socket's): ops are tracked per socket for close. */
  readonly socketId: number;
  /** Whether synchronous send/recv block by default (nanonext: sockets no, contexts yes). */
  readonly blockByDefault: boolean;
  /** The protocol (a context's is its socket's). */
  readonly protocol: Protocol;
  /** The serialConfig used by the `next` send mode and serial receives (setOpt(x, "serial", cfg)). */
  readonly serial: SerialConfig | null;
}

const socketBackstop = new FinalizationRegistry<number>((id) => native.bnng_socket_close(rt, id));
const ctxBackstop = new FinalizationRegistry<[number, number]>(([sock, id]) => native.bnng_ctx_close(rt, sock, id));

function fail(rv: number, detail: string): never {
  throw new NngError(-rv, detail);
}

/** Options of `listen()` (and the base of `dial()`'s). */
export interface EndpointOptions {
  /** Start at once (default true). With false, set options first, then call start(). */
  autostart?: boolean;
  /**
   * For tls+tcp:// and wss:// URLs (required for them unless autostart is false): a client
   * tlsConfig for dialers, a server one for listeners. NNG keeps its own reference to it.
   */
  tls?: TlsConfig;
}

/** Options of `dial()`. */
export interface DialOptions extends EndpointOptions {
  /**
   * false (default): the first connection attempt runs in the background and failures are retried,
   * so dialing before the listener exists works. true: throw at once if the connection fails.
   */
  block?: boolean;
}

/** Options of `socket()`. */
export interface SocketOptions {
  /** URL(s) to dial (non-blocking, retried in the background). */
  dial?: string | string[];
  /** URL(s) to listen at. */
  listen?: string | string[];
  /** Start the dialers and listeners at once (default true). */
  autostart?: boolean;
  /** Open the protocol's raw form (no protocol state; for devices and brokers). */
  raw?: boolean;
  /** TLS config for the tls+tcp:// and wss:// URLs among `dial` / `listen` (ignored for others). */
  tls?: TlsConfig;
}

/**
 * A socket of one of the scalability protocols. `P` is its protocol when known statically
 * (`socket("sub")` is a `Socket<"sub">`), so that a use the protocol forbids (subscribing a req
 * socket, sending on a pull socket) is a type error; a plain `Socket` (`P` = any) is checked at run
 * time only. nanonext: the nanoSocket object.
 */
export class Socket<P extends Protocol = any> implements Connection {
  /** The socket's NNG id (also what `opt(s, "socket-name")` shows by default). */
  readonly id: number;
  /** The protocol's name. */
  readonly protocol: P;
  /** True for a raw socket (`socket(p, { raw: true })`: no protocol state, for devices). */
  readonly raw: boolean;
  /** @internal what the shim addresses: TARGET_SOCKET. */
  readonly target = TARGET_SOCKET;
  /** @internal the id ops are tracked under for close (the socket's own). */
  get socketId(): number {
    return this.id;
  }
  /** @internal synchronous send/recv on a socket do not block by default (as nanonext). */
  readonly blockByDefault = false;
  /** The dialers made by `socket(p, { dial })` and `dial(socket, url)`, in order. */
  readonly dialers: Dialer[] = [];
  /** The listeners made by `socket(p, { listen })` and `listen(socket, url)`, in order. */
  readonly listeners: Listener[] = [];
  /** Set with setOpt(socket, "serial", serialConfig(...)); contexts use their socket's. */
  serial: SerialConfig | null = null;
  /** @internal req: the latest request's sendAio; a receive made while it is pending is queued behind it natively (zig/chain.zig). */
  pendingRequest: SendAio | null = null;
  /**
   * @internal recvAios on this socket or context not yet completed through the ring. While there are
   * any, NNG hands arriving messages to them and nothing waits in the queue, so recvAio's fast path
   * would find nothing: it is skipped.
   */
  asyncRecvs = 0;
  #closed = false;

  /** Use `socket(protocol, options)`. Throws TypeError for an unknown protocol, NngError if NNG refuses. */
  constructor(protocol: P, raw = false) {
    if (typeof protocol !== "string" || !Object.hasOwn(PROTOCOLS, protocol)) {
      throw new TypeError(
        `unknown protocol ${typeName(protocol)}: expected one of ${Object.keys(PROTOCOLS).join(", ")}`,
      );
    }
    const id = native.bnng_socket_open(PROTOCOLS[protocol], raw ? 1 : 0);
    if (id < 0) fail(id, `cannot open a ${protocol} socket`);
    this.id = id;
    this.protocol = protocol;
    this.raw = raw;
    socketBackstop.register(this, id, this);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True for a real Socket (not an object that merely inherits from Socket.prototype). */
  static is(x: unknown): x is Socket {
    return typeof x === "object" && x !== null && #closed in x;
  }

  /**
   * Closes the socket, its dialers, listeners and contexts. Operations in flight complete with error
   * 7 (closed). Idempotent.
   */
  close(): void {
    if (!Socket.is(this)) throw new TypeError("close: this is not a real Socket (an object inheriting from Socket.prototype)");
    if (this.#closed) return;
    this.#closed = true;
    socketBackstop.unregister(this);
    for (const d of this.dialers) d.markClosed();
    for (const l of this.listeners) l.markClosed();
    native.bnng_socket_close(rt, this.id);
  }

  /** `using s = socket(...)` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  get [Symbol.toStringTag]() {
    if (!Socket.is(this)) return "Socket (imitation)";
    return `Socket ${this.protocol}${this.raw ? " raw" : ""} #${this.id}${this.#closed ? " closed" : ""}`;
  }
}

function checkUrl(url: unknown, what: string): asserts url is string {
  if (typeof url !== "string" || url.length === 0) {
    throw new TypeError(`${what} expects a URL string such as 'tcp://127.0.0.1:5555', got ${typeName(url)}`);
  }
}

function checkOpen(sock: Socket, what: string): void {
  if (!Socket.is(sock)) throw new TypeError(`${what} expects a Socket as its first argument, got ${typeName(sock)}`);
  if (sock.closed) throw new NngError(ErrorCode.ECLOSED, `${what}: the socket is closed`);
}

function checkTlsOption(tls: unknown, what: string): asserts tls is TlsConfig | undefined {
  if (tls !== undefined && !TlsConfig.is(tls)) throw new TypeError(`${what}: 'tls' takes a tlsConfig(...), got ${typeName(tls)}`);
}

/**
 * Whether an endpoint for `url` is configured with a TLS config. NNG would start a TLS endpoint
 * without one on its own defaults, which cannot work (a listener has no certificate; a dialer no CA
 * to verify with), so that is refused unless autostart is false (the tls-* options set before start()).
 */
function wantsTls(url: string, tls: TlsConfig | undefined, start: boolean, what: string): boolean {
  const secure = isTlsUrl(url);
  if (tls !== undefined && !secure) {
    throw new TypeError(`${what} '${url}': 'tls' applies to tls+tcp:// and wss:// URLs only`);
  }
  if (secure && tls === undefined && start) {
    throw new TypeError(
      `${what} '${url}' needs a TLS configuration: pass { tls: tlsConfig(...) } (or autostart: false, then set the tls-* options before start())`,
    );
  }
  return tls !== undefined;
}

/** Gives a created, not yet started endpoint its TLS config; closes the endpoint if NNG refuses. */
function applyTls(kind: 3 | 4, id: number, cfg: Pointer, url: string): void {
  const rv = native.bnng_tls_set(kind, id, cfg);
  if (rv !== 0) {
    if (kind === 3) native.bnng_dialer_close(id);
    else native.bnng_listener_close(id);
    throw new NngError(rv, `cannot use the TLS config for '${url}'`);
  }
}

/**
 * An outgoing connection of a socket, made by `dial()` or `socket(p, { dial })`; it reconnects when
 * the connection drops. Closed with its socket. nanonext: the nanoDialer object.
 */
export class Dialer {
  /** The dialer's NNG id. */
  readonly id: number;
  /** The URL dialed. */
  readonly url: string;
  /** The socket it belongs to. */
  readonly socket: Socket;
  #started: boolean;
  #closed = false;

  /** Use `dial(socket, url, options)`. */
  constructor(sock: Socket, url: string, opts: DialOptions = {}) {
    opts = optionsOf(opts, "dial");
    checkOpen(sock, "dial");
    checkUrl(url, "dial");
    checkTlsOption(opts.tls, "dial");
    const start = opts.autostart !== false;
    // With TLS: create, set the config, then start (NNG reads it when connecting).
    const secure = wantsTls(url, opts.tls, start, "dial");
    const id = native.bnng_dial(sock.id, cstr(url), start && !secure ? 1 : 0, opts.block ? 0 : 1);
    if (id < 0) fail(id, `cannot dial '${url}'`);
    if (secure) {
      let cfg: Pointer;
      try {
        cfg = opts.tls!.forDial(url);
      } catch (err) {
        native.bnng_dialer_close(id);
        throw err;
      }
      applyTls(3, id, cfg, url);
      if (start) {
        const rv = native.bnng_dialer_start(id, opts.block ? 0 : 1);
        if (rv !== 0) {
          native.bnng_dialer_close(id);
          throw new NngError(rv, `cannot dial '${url}'`);
        }
      }
    }
    this.id = id;
    this.url = url;
    this.socket = sock;
    this.#started = start;
    sock.dialers.push(this);
  }

  /** False until started (made with `autostart: false` and not yet `start()`ed). */
  get started(): boolean {
    return this.#started;
  }

  /** True once the dialer or its socket is closed. */
  get closed(): boolean {
    return this.#closed || this.socket.closed;
  }

  /** True for a real Dialer. */
  static is(x: unknown): x is Dialer {
    return typeof x === "object" && x !== null && #closed in x;
  }

  /**
   * Starts a dialer made with autostart false. `block` as for dial(). Throws NngError 7 if closed,
   * 11 if already started, or NNG's error for a failed blocking connection.
   */
  start(opts: { block?: boolean } = {}): void {
    opts = optionsOf(opts, "Dialer.start");
    if (this.closed) throw new NngError(ErrorCode.ECLOSED, `dialer for '${this.url}' is closed`);
    if (this.#started) throw new NngError(ErrorCode.ESTATE, `dialer for '${this.url}' is already started`);
    const rv = native.bnng_dialer_start(this.id, opts.block ? 0 : 1);
    if (rv !== 0) throw new NngError(rv, `cannot dial '${this.url}'`);
    this.#started = true;
  }

  /** Closes this dialer (its connection goes away; the socket stays). Idempotent. */
  close(): void {
    if (!Dialer.is(this)) throw new TypeError("close: this is not a real Dialer (an object inheriting from Dialer.prototype)");
    if (this.closed) return;
    this.#closed = true;
    native.bnng_dialer_close(this.id);
  }

  /** @internal the socket closed it. */
  markClosed(): void {
    this.#closed = true;
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }
}

// A tcp-based URL whose port is 0 or missing (NNG binds an ephemeral port for both).
const PORT_ZERO = /^((?:tcp[46]?|tls\+tcp[46]?|wss?[46]?):\/\/(?:\[[^\]]*\]|[^:/]*))(?::0)?(?=\/|$)/i;

/**
 * An incoming endpoint of a socket, made by `listen()` or `socket(p, { listen })`. Closed with its
 * socket. nanonext: the nanoListener object.
 */
export class Listener {
  /** The listener's NNG id. */
  readonly id: number;
  /** The socket it belongs to. */
  readonly socket: Socket;
  #url: string;
  #started: boolean;
  #closed = false;

  /** Use `listen(socket, url, options)`. */
  constructor(sock: Socket, url: string, opts: EndpointOptions = {}) {
    opts = optionsOf(opts, "listen");
    checkOpen(sock, "listen");
    checkUrl(url, "listen");
    checkTlsOption(opts.tls, "listen");
    const start = opts.autostart !== false;
    const secure = wantsTls(url, opts.tls, start, "listen");
    const id = native.bnng_listen(sock.id, cstr(url), start && !secure ? 1 : 0);
    if (id < 0) fail(id, `cannot listen at '${url}'`);
    if (secure) {
      let cfg: Pointer;
      try {
        cfg = opts.tls!.forListen(url);
      } catch (err) {
        native.bnng_listener_close(id);
        throw err;
      }
      applyTls(4, id, cfg, url);
      if (start) {
        const rv = native.bnng_listener_start(id);
        if (rv !== 0) {
          native.bnng_listener_close(id);
          throw new NngError(rv, `cannot listen at '${url}'`);
        }
      }
    }
    this.id = id;
    this.socket = sock;
    this.#url = url;
    this.#started = start;
    sock.listeners.push(this);
    if (start) this.#resolvePort();
  }

  /** The URL listened at; after listening on port 0 (tcp, ws, tls+tcp), with the port actually bound. */
  get url(): string {
    return this.#url;
  }

  /** False until started (made with `autostart: false` and not yet `start()`ed). */
  get started(): boolean {
    return this.#started;
  }

  /** True once the listener or its socket is closed. */
  get closed(): boolean {
    return this.#closed || this.socket.closed;
  }

  /** True for a real Listener. */
  static is(x: unknown): x is Listener {
    return typeof x === "object" && x !== null && #closed in x;
  }

  #resolvePort(): void {
    if (!PORT_ZERO.test(this.#url)) return;
    const out = new Float64Array(1);
    if (native.bnng_opt_get(4, this.id, cname("bound-port"), 2, out, 8) === 0 && out[0]! > 0) {
      this.#url = this.#url.replace(PORT_ZERO, `$1:${out[0]}`);
    }
  }

  /** Starts a listener made with autostart false. Throws NngError 7 if closed, 11 if already started, 10 if the address is in use. */
  start(): void {
    if (this.closed) throw new NngError(ErrorCode.ECLOSED, `listener for '${this.#url}' is closed`);
    if (this.#started) throw new NngError(ErrorCode.ESTATE, `listener for '${this.#url}' is already started`);
    const rv = native.bnng_listener_start(this.id);
    if (rv !== 0) throw new NngError(rv, `cannot listen at '${this.#url}'`);
    this.#started = true;
    this.#resolvePort();
  }

  /** Closes this listener. Idempotent. */
  close(): void {
    if (!Listener.is(this)) throw new TypeError("close: this is not a real Listener (an object inheriting from Listener.prototype)");
    if (this.closed) return;
    this.#closed = true;
    native.bnng_listener_close(this.id);
  }

  /** @internal the socket closed it. */
  markClosed(): void {
    this.#closed = true;
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * A context: independent protocol state on one socket (req, rep, sub, surveyor, respondent), so that
 * one socket can run many requests, replies, subscriptions or surveys at once. `P` is its socket's
 * protocol. Use `context(socket)`. nanonext: the nanoContext object.
 */
export class Context<P extends Protocol = any> implements Connection {
  /** The context's NNG id. */
  readonly id: number;
  /** The socket it was opened on. */
  readonly socket: Socket<P>;
  /** @internal what the shim addresses: TARGET_CTX. */
  readonly target = TARGET_CTX;
  /** @internal the socket's id: ops are tracked per socket for close. */
  get socketId(): number {
    return this.socket.id;
  }
  /** @internal synchronous send/recv on a context block by default (as nanonext). */
  readonly blockByDefault = true;
  /** @internal req: the latest request's sendAio; a receive made while it is pending is queued behind it natively (zig/chain.zig). */
  pendingRequest: SendAio | null = null;
  /**
   * @internal recvAios on this socket or context not yet completed through the ring. While there are
   * any, NNG hands arriving messages to them and nothing waits in the queue, so recvAio's fast path
   * would find nothing: it is skipped.
   */
  asyncRecvs = 0;
  #closed = false;

  /** Use `context(socket)`. Throws NngError 9 for a protocol without contexts, 7 for a closed socket. */
  constructor(sock: Socket<P>) {
    checkOpen(sock, "context");
    const id = native.bnng_ctx_open(sock.id);
    if (id < 0) fail(id, `cannot open a context on a ${sock.protocol} socket`);
    this.id = id;
    this.socket = sock;
    ctxBackstop.register(this, [sock.id, id], this);
  }

  /** Its socket's protocol. */
  get protocol(): P {
    return this.socket.protocol;
  }

  /** Its socket's serialConfig (contexts share it). */
  get serial(): SerialConfig | null {
    return this.socket.serial;
  }

  /** True once the context or its socket is closed. */
  get closed(): boolean {
    return this.#closed || this.socket.closed;
  }

  /** True for a real Context. */
  static is(x: unknown): x is Context {
    return typeof x === "object" && x !== null && #closed in x;
  }

  /** Closes the context; its operations in flight complete with error 7. Idempotent. */
  close(): void {
    if (!Context.is(this)) throw new TypeError("close: this is not a real Context (an object inheriting from Context.prototype)");
    if (this.#closed) return;
    this.#closed = true;
    ctxBackstop.unregister(this);
    native.bnng_ctx_close(rt, this.socket.id, this.id);
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function asList(x: string | string[] | undefined, what: string): string[] {
  if (x === undefined) return [];
  if (typeof x === "string") return [x];
  if (Array.isArray(x)) return x;
  throw new TypeError(`${what} expects a URL string or an array of URL strings, got ${typeName(x)}`);
}

/**
 * Opens a socket of `protocol` (bus, pair, poly, push, pull, pub, sub, req, rep, surveyor,
 * respondent), optionally dialing and listening at once. Dials are non-blocking: a dial before the
 * peer listens succeeds and connects when it can. The result is typed by protocol
 * (`socket("sub")` is a `Socket<"sub">`).
 *
 * Throws TypeError for an unknown protocol or bad options, NngError when NNG refuses a URL (3
 * invalid, 15 bad address, 9 unknown transport, 10 address in use); the socket is then closed.
 * nanonext: `socket()`.
 */
export function socket<P extends Protocol>(protocol: P, opts: SocketOptions = {}): Socket<OneProtocol<P>> {
  opts = optionsOf(opts, "socket");
  checkTlsOption(opts.tls, "socket");
  const sock = new Socket<OneProtocol<P>>(protocol, opts.raw === true);
  const tlsFor = (url: string) => (typeof url === "string" && isTlsUrl(url) ? opts.tls : undefined);
  try {
    for (const url of asList(opts.listen, "listen")) new Listener(sock, url, { autostart: opts.autostart, tls: tlsFor(url) });
    for (const url of asList(opts.dial, "dial")) new Dialer(sock, url, { autostart: opts.autostart, tls: tlsFor(url) });
  } catch (err) {
    sock.close();
    throw err;
  }
  return sock;
}

/**
 * Dials `url` from `sock` and returns the Dialer (also in `sock.dialers`). Non-blocking by default:
 * the dialer retries in the background. Throws NngError on a bad URL (3 invalid, 15 bad address, 9
 * unknown transport), a closed socket (7), or, with `block: true`, a failed connection (6 refused,
 * ...). nanonext: `dial()`.
 */
export function dial(sock: Socket, url: string, opts: DialOptions = {}): Dialer {
  return new Dialer(sock, url, opts);
}

/**
 * Listens at `url` on `sock` and returns the Listener (also in `sock.listeners`); its `url` shows the
 * bound port after listening on port 0. Throws NngError if it cannot (10 address in use; 3, 15 or 9
 * for a bad URL as for dial; 7 closed socket). nanonext: `listen()`.
 */
export function listen(sock: Socket, url: string, opts: EndpointOptions = {}): Listener {
  return new Listener(sock, url, opts);
}

/**
 * Opens a context on `sock`: only req, rep, sub, surveyor and respondent sockets have them (a type
 * error for the others; NngError 9 at run time). nanonext: `context()`.
 */
export function context<P extends ContextProtocol>(sock: Socket<P>): Context<P> {
  return new Context(sock);
}

/** Closes any closeable object of this library (same as `x.close()`; idempotent). nanonext: `close()`. */
export function close(x: { close(): void }): void {
  if (x === null || typeof x !== "object" || typeof x.close !== "function") {
    throw new TypeError(`close expects a closeable object of this library (socket, context, dialer, ...), got ${typeName(x)}`);
  }
  x.close();
}
