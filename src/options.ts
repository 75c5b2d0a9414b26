// NNG options as one table (zeromq.js' defineOpt idea): each option is one line with its NNG name,
// value type, whether it can be read and written, and which objects accept it. opt()/setOpt() check
// a value against this table before it reaches NNG, so a wrong type or a read-only option gives a
// clear error. Names are NNG 2.0's (nng.h), plus the few that NNG 2.0 turned into functions, which the
// shim still answers as options (zig/options.zig).

/** Value types, as numbered in zig/options.zig. */
export const OptType = { bool: 1, int: 2, ms: 3, size: 4, uint64: 5, string: 6, bytes: 7 } as const;
export type OptTypeName = keyof typeof OptType;

/** Object kinds, as numbered in zig/options.zig. */
export const ObjectKind = { socket: 1, ctx: 2, dialer: 3, listener: 4 } as const;
export type ObjectKindName = keyof typeof ObjectKind;

/** One row of OPTIONS: an option's value type, access, the objects it applies to, and what it does. */
export interface OptionSpec {
  /** Value type: bool, int, ms (milliseconds), size (bytes), uint64, string, bytes (string or bytes). */
  readonly type: OptTypeName;
  /** Whether opt() can read it. */
  readonly read: boolean;
  /** Whether setOpt() can set it. */
  readonly write: boolean;
  /** Objects the option is set on / read from (NNG passes socket options on to endpoints too). */
  readonly on: readonly ObjectKindName[];
  /** What it does. */
  readonly doc: string;
}

const S = ["socket"] as const;
const SC = ["socket", "ctx"] as const;
const SDL = ["socket", "dialer", "listener"] as const;
const DL = ["dialer", "listener"] as const;
const D = ["dialer"] as const;
const L = ["listener"] as const;

/** An option's spec with its literal types kept, so that opt()/setOpt() are typed by option name. */
interface Spec<T extends OptTypeName, R extends boolean, W extends boolean, K extends readonly ObjectKindName[]> extends OptionSpec {
  readonly type: T;
  readonly read: R;
  readonly write: W;
  readonly on: K;
}

function o<T extends OptTypeName, RW extends "r" | "w" | "rw", const K extends readonly ObjectKindName[]>(
  type: T,
  rw: RW,
  on: K,
  doc: string,
): Spec<T, RW extends "w" ? false : true, RW extends "r" ? false : true, K> {
  return { type, read: rw.includes("r"), write: rw.includes("w"), on, doc } as Spec<
    T,
    RW extends "w" ? false : true,
    RW extends "r" ? false : true,
    K
  >;
}

/**
 * The NNG options `opt()` and `setOpt()` know, by NNG's name (NNG 2.0), each with its value type
 * (`ms`: milliseconds, `size`: bytes, `bytes`: string or bytes), whether it can be read and written,
 * and the objects it applies to; options named `req:`, `sub:`, `surveyor:` and `pair1:` apply to that
 * protocol only. nanonext: the option names of `opt()`.
 */
export const OPTIONS = {
  // Socket (and context) options
  raw: o("bool", "r", S, "whether the socket is raw"),
  protocol: o("int", "r", S, "the protocol's 16-bit number"),
  "protocol-name": o("string", "r", S, "the protocol's name"),
  peer: o("int", "r", S, "the peer protocol's number"),
  "peer-name": o("string", "r", S, "the peer protocol's name"),
  "recv-buffer": o("int", "rw", S, "receive queue depth, in messages (0-8192)"),
  "send-buffer": o("int", "rw", S, "send queue depth, in messages (0-8192)"),
  "recv-timeout": o("ms", "rw", SC, "time limit of a blocking receive, ms (-1: none)"),
  "send-timeout": o("ms", "rw", SC, "time limit of a blocking send, ms (-1: none)"),
  "recv-size-max": o("size", "rw", SDL, "largest message accepted, bytes (0: no limit); larger ones are dropped"),
  "reconnect-time-min": o("ms", "rw", ["socket", "dialer"], "first reconnect interval, ms"),
  "reconnect-time-max": o("ms", "rw", ["socket", "dialer"], "largest reconnect interval (exponential back-off), ms"),
  "ttl-max": o("int", "rw", S, "hops a message may take through devices (1-15)"),
  // Protocol options
  "req:resend-time": o("ms", "rw", SC, "req: resend a request not answered within this time, ms"),
  "sub:subscribe": o("bytes", "w", SC, "sub: add a topic prefix"),
  "sub:unsubscribe": o("bytes", "w", SC, "sub: remove a topic prefix"),
  "sub:prefnew": o("bool", "rw", SC, "sub: when the queue is full, drop the oldest message (true) or the newest"),
  "surveyor:survey-time": o("ms", "rw", SC, "surveyor: how long a survey collects responses, ms"),
  "pair1:polyamorous": o("bool", "r", S, "pair1: whether the socket is polyamorous (read-only: open a 'poly' socket instead)"),
  // Endpoint options
  url: o("string", "r", DL, "the endpoint's URL"),
  "tcp-nodelay": o("bool", "rw", DL, "tcp: disable Nagle's algorithm"),
  "tcp-keepalive": o("bool", "rw", DL, "tcp: enable keep-alive probes"),
  "bound-port": o("int", "r", L, "tcp, tls+tcp, ws, wss: the port actually bound (after listening on port 0)"),
  "tcp-bound-port": o("int", "r", L, "the name of 'bound-port' before NNG 2.0 (still accepted)"),
  "ipc:permissions": o("int", "w", L, "ipc: file mode bits of the socket path (e.g. 0o600), set before start"),
  "ipc:peer-uid": o("int", "r", DL, "ipc: the peer's user id"),
  "ipc:peer-gid": o("int", "r", DL, "ipc: the peer's group id"),
  "ipc:peer-pid": o("int", "r", DL, "ipc: the peer's process id"),
  "ws:recv-text": o("bool", "rw", DL, "ws: accept text frames"),
  "ws:send-text": o("bool", "rw", DL, "ws: send text frames"),
  "ws:protocol": o("string", "rw", DL, "ws: the WebSocket sub-protocol"),
  "ws:rxframe-max": o("size", "rw", DL, "ws: largest frame received"),
  "ws:txframe-max": o("size", "rw", DL, "ws: largest frame sent"),
  "ws:request-uri": o("string", "r", L, "ws: the request URI"),
  "tls-verified": o("bool", "r", DL, "tls: whether the peer was verified"),
} as const satisfies Record<string, OptionSpec>;

/** The name of an NNG option in the table. */
export type OptionName = keyof typeof OPTIONS;
/** Options opt() can read. */
export type ReadableOption = { [N in OptionName]: (typeof OPTIONS)[N]["read"] extends true ? N : never }[OptionName];
/** Options setOpt() can set. */
export type WritableOption = { [N in OptionName]: (typeof OPTIONS)[N]["write"] extends true ? N : never }[OptionName];
