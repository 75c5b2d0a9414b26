// opt / setOpt / stat, and the option shortcuts subscribe, unsubscribe and surveyTime. Values are
// checked against the option table (src/options.ts) before they reach NNG.
import { native } from "./ffi";
import { ErrorCode, NngError } from "./errors";
import {
  ObjectKind,
  OPTIONS,
  OptType,
  type ObjectKindName,
  type OptionName,
  type OptionSpec,
  type ReadableOption,
  type WritableOption,
} from "./options";
import { cname, cstr } from "./strings";
import { Context, Dialer, Listener, Socket, type Protocol } from "./socket";
import { SerialConfig } from "./serial";
import { typeName, viewBytes } from "./check";

/** What has options: a socket, context, dialer or listener. */
export type OptTarget = Socket | Context | Dialer | Listener;

/** Protocol options by name prefix: `sub:subscribe` applies to sub sockets and contexts only. */
type PrefixProtocol = { req: "req"; sub: "sub"; surveyor: "surveyor"; pair1: "poly" };
type ProtocolOfOption<N> = N extends `${infer Pre}:${string}`
  ? Pre extends keyof PrefixProtocol
    ? PrefixProtocol[Pre]
    : Protocol
  : Protocol;
type TargetOfKind<K, P extends Protocol> = K extends "socket"
  ? Socket<P>
  : K extends "ctx"
    ? Context<P>
    : K extends "dialer"
      ? Dialer
      : K extends "listener"
        ? Listener
        : never;

/**
 * The objects option `N` applies to, from its row in OPTIONS (`on`) and, for a protocol option, its
 * protocol: `OptTargetFor<"bound-port">` is `Listener`, `OptTargetFor<"sub:prefnew">` is
 * `Socket<"sub"> | Context<"sub">`.
 */
export type OptTargetFor<N extends OptionName> = N extends OptionName
  ? TargetOfKind<(typeof OPTIONS)[N]["on"][number], ProtocolOfOption<N>>
  : never;

/** A WebSocket header option of a dialer or listener, e.g. `ws:request-header:Authorization`. */
export type WsHeaderOption = `ws:request-header:${string}` | `ws:response-header:${string}`;

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/**
 * A name known only at run time (`string`, or a union of names): accepted, and checked at run time
 * (`unknown` value). A literal name goes through the typed signatures instead.
 */
type DynamicName<S extends string> = string extends S ? S : true extends IsUnion<S> ? S : never;

/** The JavaScript type of each option's value. */
type ValueOfType = {
  bool: boolean;
  int: number;
  ms: number;
  size: number;
  uint64: number;
  string: string;
  bytes: string | Uint8Array | ArrayBuffer;
};
/** The value type of option `N` (`OptionValue<"recv-timeout">` is number, ms). */
export type OptionValue<N extends OptionName> = ValueOfType[(typeof OPTIONS)[N]["type"]];

function kindOf(obj: unknown, what: string): ObjectKindName {
  if (Socket.is(obj)) return "socket";
  if (Context.is(obj)) return "ctx";
  if (Dialer.is(obj)) return "dialer";
  if (Listener.is(obj)) return "listener";
  throw new TypeError(`${what} expects a Socket, Context, Dialer or Listener, got ${typeName(obj)}`);
}

const WS_HEADER = /^ws:(request|response)-header:(.+)/;

/** Names kept from NNG 1.x that NNG 2.0 spells differently. */
const RENAMED: Record<string, string> = { "tcp-bound-port": "bound-port" };

/**
 * The name NNG 2.0 knows an option by. A WebSocket header is "ws:header:<name>" there: a request
 * header on a dialer, a response header on a listener; the other pairing does not exist.
 */
function nativeName(name: string, kind: ObjectKindName): string {
  const header = WS_HEADER.exec(name);
  if (header !== null) {
    const [, which, field] = header;
    const endpoint = which === "request" ? "dialer" : "listener";
    if (kind !== endpoint) {
      throw new NngError(ErrorCode.ENOTSUP, `option '${name}': ${which} headers are set on a ${endpoint}, not a ${kind}`);
    }
    return `ws:header:${field}`;
  }
  return RENAMED[name] ?? name;
}

function specOf(name: unknown, what: string): OptionSpec {
  if (typeof name !== "string") throw new TypeError(`${what}: the option name must be a string, got ${typeName(name)}`);
  if (Object.hasOwn(OPTIONS, name)) return OPTIONS[name as OptionName];
  if (WS_HEADER.test(name)) return { type: "string", read: true, write: true, on: ["dialer", "listener"], doc: "" };
  throw new TypeError(`${what}: unknown option ${typeName(name)}; known options: ${Object.keys(OPTIONS).join(", ")}`);
}

/** Protocol options (prefix before the colon) and the protocols that have them. */
const PROTOCOL_OPTION: Record<string, readonly string[]> = {
  sub: ["sub"],
  req: ["req"],
  surveyor: ["surveyor"],
  pair1: ["pair", "poly"],
};

function checkTarget(obj: OptTarget, kind: ObjectKindName, name: string, spec: OptionSpec): void {
  if (obj.closed) throw new NngError(ErrorCode.ECLOSED, `option '${name}': the ${kind === "ctx" ? "context" : kind} is closed`);
  if (!spec.on.includes(kind)) {
    throw new NngError(
      ErrorCode.ENOTSUP,
      `option '${name}' does not apply to a ${kind === "ctx" ? "context" : kind} (it applies to: ${spec.on.join(", ")})`,
    );
  }
}

/**
 * A protocol's option on another protocol's socket: refused here because NNG, not knowing the
 * option, keeps it for endpoints and answers an empty value with error 2 (out of memory).
 */
function checkProtocol(obj: OptTarget, kind: ObjectKindName, name: string): void {
  const protocols = PROTOCOL_OPTION[name.slice(0, name.indexOf(":"))];
  if (protocols !== undefined && (kind === "socket" || kind === "ctx")) {
    const protocol = (obj as Socket | Context).protocol;
    if (!protocols.includes(protocol)) {
      throw new NngError(ErrorCode.ENOTSUP, `option '${name}' is for ${protocols.join(" and ")} sockets, not ${protocol}`);
    }
  }
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function checkNumber(name: string, type: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`option '${name}' takes ${type} (a whole number from ${min} to ${max}), got ${typeName(value)}`);
  }
  return value;
}

/**
 * Reads option `name` (NNG's name, see OPTIONS) of a socket, context, dialer or listener. Typed by
 * name: only readable options, only on the objects (and protocols) they apply to, with the value's
 * type (ms for times, bytes for sizes). `"serial"` reads a socket's serialConfig. A name known only
 * at run time (a `string` variable) is accepted and gives an `unknown` value.
 *
 * Throws TypeError for an unknown name; NngError 9 if the option does not apply to the object, 25 if
 * it is write-only, 7 if the object is closed. nanonext: `opt(obj, name)`.
 */
export function opt<N extends ReadableOption>(obj: OptTargetFor<N>, name: N): OptionValue<N>;
export function opt(obj: Socket | Context, name: "serial"): SerialConfig | null;
export function opt(obj: Dialer | Listener, name: WsHeaderOption): string;
export function opt<S extends string>(obj: OptTarget, name: DynamicName<S>): unknown;
export function opt(obj: OptTarget, name: string): unknown {
  const kind = kindOf(obj, "opt");
  if (name === "serial" && (kind === "socket" || kind === "ctx")) return (obj as Socket | Context).serial;
  const spec = specOf(name, "opt");
  checkTarget(obj, kind, name, spec);
  if (!spec.read) throw new NngError(ErrorCode.EWRITEONLY, `option '${name}' is write-only`);
  checkProtocol(obj, kind, name);
  if (spec.type === "string") {
    let cap = 256;
    for (;;) {
      const buf = new Uint8Array(cap);
      const n = native.bnng_opt_get(ObjectKind[kind], obj.id, cname(nativeName(name, kind)), OptType.string, buf, cap);
      if (n < 0) throw new NngError(-n, `cannot read option '${name}'`);
      if (n <= cap) return new TextDecoder().decode(buf.subarray(0, n));
      cap = n;
    }
  }
  const out = new Float64Array(1);
  const rv = native.bnng_opt_get(ObjectKind[kind], obj.id, cname(nativeName(name, kind)), OptType[spec.type], out, 8);
  if (rv < 0) throw new NngError(-rv, `cannot read option '${name}'`);
  return spec.type === "bool" ? out[0] !== 0 : out[0];
}

/**
 * Sets option `name` (NNG's name, see OPTIONS) of a socket, context, dialer or listener. Typed by name
 * as for `opt`, only writable options. `setOpt(socket, "serial", serialConfig(...) | null)` sets the
 * socket's serialConfig for the `next` mode.
 *
 * Throws TypeError for an unknown name or a value of the wrong type; NngError 24 for a read-only
 * option, 9 if it does not apply, 3 for a value NNG refuses, 7 if closed. nanonext: `opt(obj, name) <- value`.
 */
export function setOpt<N extends WritableOption>(obj: OptTargetFor<N>, name: N, value: OptionValue<N>): void;
export function setOpt(obj: Socket, name: "serial", value: SerialConfig | null): void;
export function setOpt(obj: Dialer | Listener, name: WsHeaderOption, value: string): void;
export function setOpt<S extends string>(obj: OptTarget, name: DynamicName<S>, value: unknown): void;
export function setOpt(obj: OptTarget, name: string, value: unknown): void {
  const kind = kindOf(obj, "setOpt");
  if (name === "serial") {
    // Not an NNG option: the socket's serialConfig for the `next` mode (null removes it).
    if (!Socket.is(obj)) throw new TypeError("option 'serial' is set on a Socket (its contexts share it)");
    if (value !== null && !(value instanceof SerialConfig)) {
      throw new TypeError("option 'serial' takes a serialConfig(...) or null");
    }
    obj.serial = value;
    return;
  }
  const spec = specOf(name, "setOpt");
  checkTarget(obj, kind, name, spec);
  if (!spec.write) throw new NngError(ErrorCode.EREADONLY, `option '${name}' is read-only`);
  checkProtocol(obj, kind, name);
  let num = 0;
  let data: Uint8Array | null = null;
  switch (spec.type) {
    case "bool":
      if (typeof value !== "boolean") throw new TypeError(`option '${name}' takes a boolean, got ${typeName(value)}`);
      num = value ? 1 : 0;
      break;
    case "int":
      num = checkNumber(name, "an integer", value, INT32_MIN, INT32_MAX);
      break;
    case "ms":
      num = checkNumber(name, "milliseconds", value, -1, INT32_MAX);
      break;
    case "size":
    case "uint64":
      num = checkNumber(name, "a size", value, 0, Number.MAX_SAFE_INTEGER);
      break;
    case "string":
      if (typeof value !== "string") throw new TypeError(`option '${name}' takes a string, got ${typeName(value)}`);
      data = cstr(value);
      break;
    case "bytes":
      if (typeof value === "string") data = new TextEncoder().encode(value);
      else if (value instanceof Uint8Array) data = viewBytes(value, `option '${name}'`);
      else if (value instanceof ArrayBuffer) data = new Uint8Array(value);
      else throw new TypeError(`option '${name}' takes a string or bytes (Uint8Array, ArrayBuffer), got ${typeName(value)}`);
      break;
  }
  const rv = native.bnng_opt_set(ObjectKind[kind], obj.id, cname(nativeName(name, kind)), OptType[spec.type], num, data, data ? data.length : 0);
  if (rv !== 0) throw new NngError(rv, `cannot set option '${name}' to ${typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? typeName(value) : `${data?.length ?? 0} bytes`}`);
}

/**
 * Reads statistic `name` of a socket, dialer or listener (NNG's names: "pipes", "reject",
 * "tx_msgs", "rx_msgs", "tx_bytes", "rx_bytes", "connect", "accept", "auth", ...). undefined if it has
 * none such. Throws TypeError for a context. nanonext: `stat()`.
 *
 * "pipes" (socket, dialer, listener): the connections that completed the transport handshake (TLS,
 * SP header) and have not gone yet. The library counts them from NNG's pipe events: NNG 2.0's own
 * count goes below zero (reads 2^64-1) after a failed handshake.
 *
 * "tx_msgs", "tx_bytes", "rx_msgs", "rx_bytes" (sockets only) are NNG's counts, given only where NNG
 * keeps them, and undefined everywhere else rather than a 0 that is not true:
 * - `poly` (pair1, cooked or raw): both ways;
 * - `pub` (cooked or raw): tx only;
 * - every other protocol, `pair` (pair0) included: none (NNG counts traffic per connection only,
 *   and those counts go with the connection).
 *
 * tx counts what is handed to send, once per message: a `pub` message with no subscriber, a `poly`
 * send that then times out, and a raw `poly` send refused with error 13 (no hop-count header) all
 * count. rx counts messages received from peers. Bytes are body bytes, except that a raw `poly`
 * socket's rx_bytes also counts the 4-byte hop-count header of each message.
 */
export function stat(obj: Socket | Dialer | Listener, name: string): number | undefined {
  const kind = kindOf(obj, "stat");
  if (kind === "ctx") throw new TypeError("stat expects a Socket, Dialer or Listener (contexts have no statistics)");
  if (typeof name !== "string") throw new TypeError(`stat: the statistic name must be a string, got ${typeName(name)}`);
  const out = new Float64Array(1);
  const rv = native.bnng_stat(ObjectKind[kind], obj.id, cstr(name), out);
  if (rv === -ErrorCode.ENOENT) return undefined;
  if (rv < 0) throw new NngError(-rv, `cannot read statistic '${name}'`);
  return out[0];
}

function topicBytes(topic: unknown): Uint8Array {
  if (topic === undefined || topic === null) return new Uint8Array(0);
  if (typeof topic === "string") return new TextEncoder().encode(topic);
  if (topic instanceof Uint8Array) return viewBytes(topic, "topic");
  if (topic instanceof ArrayBuffer) return new Uint8Array(topic);
  throw new TypeError(`a topic is a string or bytes (Uint8Array, ArrayBuffer), got ${typeName(topic)}; null or '' means everything`);
}

function checkSub(con: unknown, what: string): asserts con is Socket | Context {
  if (!(Socket.is(con) || Context.is(con)) || con.protocol !== "sub") {
    throw new TypeError(`${what} needs a sub socket or a context of one`);
  }
}

/**
 * Subscribes a sub socket or context to messages starting with `topic` (a string as UTF-8, or bytes;
 * '' or null: all). Other protocols are a type error (TypeError at run time). nanonext: `subscribe()`.
 */
export function subscribe(con: Socket<"sub"> | Context<"sub">, topic: string | Uint8Array | ArrayBuffer | null = null): void {
  checkSub(con, "subscribe");
  setOpt(con, "sub:subscribe", topicBytes(topic));
}

/** Removes a subscription made with subscribe (same topic forms). nanonext: `unsubscribe()`. */
export function unsubscribe(con: Socket<"sub"> | Context<"sub">, topic: string | Uint8Array | ArrayBuffer | null = null): void {
  checkSub(con, "unsubscribe");
  setOpt(con, "sub:unsubscribe", topicBytes(topic));
}

/**
 * Sets how long a surveyor socket or context collects responses, in ms; later responses are dropped
 * and the pending receive completes with 5 (timed out). nanonext: `survey_time()`.
 */
export function surveyTime(con: Socket<"surveyor"> | Context<"surveyor">, ms: number): void {
  if (!(Socket.is(con) || Context.is(con)) || con.protocol !== "surveyor") {
    throw new TypeError("surveyTime needs a surveyor socket or a context of one");
  }
  setOpt(con, "surveyor:survey-time", ms);
}
