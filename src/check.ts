// Argument checks shared by the public functions: option objects, AbortSignals, and bytes whose
// length the FFI can trust. They run once per call, before anything reaches the shim, so that bad
// input is a TypeError or RangeError naming the argument instead of an engine error or a crash.

/** A short, safe description of a value for an error message (symbols, bigints, proxies, huge strings). */
export function typeName(x: unknown): string {
  if (x === null) return "null";
  switch (typeof x) {
    case "undefined":
      return "undefined";
    case "string":
      return x.length > 40 ? `a ${x.length}-character string` : JSON.stringify(x);
    case "number":
    case "boolean":
      return String(x);
    case "bigint":
      return `${x}n (a bigint)`;
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
  }
  try {
    const proto = Object.getPrototypeOf(x) as { constructor?: { name?: unknown } } | null;
    if (proto === Object.prototype || Array.isArray(x)) {
      // Plain data: shown as JSON when short ({} or [1, "a"]).
      const json = JSON.stringify(x);
      if (typeof json === "string" && json.length <= 40) return json;
      return Array.isArray(x) ? "an array" : "an object";
    }
    const name = proto?.constructor?.name;
    return typeof name === "string" && name !== "" ? `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}` : "an object";
  } catch {
    return "an object";
  }
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** The options argument of `what`: undefined gives {}, a non-object a TypeError. */
export function optionsOf<T extends object>(opts: T | undefined, what: string): T {
  if (opts === undefined) return EMPTY as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${what}: the options argument must be an object, got ${typeName(opts)}`);
  }
  return opts;
}

/** `signal` if it is undefined or a real AbortSignal; else a TypeError. */
export function signalOf(signal: unknown, what: string): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new TypeError(`${what}: 'signal' takes an AbortSignal, got ${typeName(signal)}`);
}

/**
 * The largest message this library sends or receives: lengths cross the FFI as 32-bit integers and
 * a synchronous receive returns its length as a signed one.
 */
export const MAX_MESSAGE_BYTES = 0x7fffffff;

// The engine's own getters, which a subclass or an own property cannot override: the FFI passes the
// view's real memory, so the length given with it must be the real one too.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)!.get! as (this: unknown) => unknown;
const taBuffer = getter(typedArrayProto, "buffer");
const taOffset = getter(typedArrayProto, "byteOffset");
const taLength = getter(typedArrayProto, "byteLength");
const dvBuffer = getter(DataView.prototype, "buffer");
const dvOffset = getter(DataView.prototype, "byteOffset");
const dvLength = getter(DataView.prototype, "byteLength");

const BUFFER_PROTO = Buffer.prototype as object;

/**
 * `v` itself when it is an ordinary Uint8Array or Buffer (the built-in prototype, no own `length`:
 * its length is the engine's), else viewBytes(v). The send path's fast case: no allocation.
 */
export function trustedBytes(v: ArrayBufferView, what: string): Uint8Array {
  if (v instanceof Uint8Array) {
    const proto = Object.getPrototypeOf(v);
    if ((proto === Uint8Array.prototype || proto === BUFFER_PROTO) && !Object.hasOwn(v, "length")) {
      checkLength(v.length, what);
      return v;
    }
  }
  return viewBytes(v, what);
}

/**
 * A plain Uint8Array over exactly the bytes of the view `v` (TypedArray or DataView), read through
 * the engine's getters: a subclass claiming a larger `length` cannot make the shim read past the
 * memory. Throws TypeError for something that only looks like a view (a Proxy) and RangeError
 * past MAX_MESSAGE_BYTES.
 */
export function viewBytes(v: ArrayBufferView, what: string): Uint8Array {
  let buffer: ArrayBufferLike;
  let offset: number;
  let length: number;
  try {
    const dv = v instanceof DataView;
    buffer = Reflect.apply(dv ? dvBuffer : taBuffer, v, []) as ArrayBufferLike;
    offset = Reflect.apply(dv ? dvOffset : taOffset, v, []) as number;
    length = Reflect.apply(dv ? dvLength : taLength, v, []) as number;
  } catch {
    throw new TypeError(`${what}: ${typeName(v)} is not a real TypedArray or DataView (a Proxy or an imitation)`);
  }
  checkLength(length, what);
  return new Uint8Array(buffer, offset, length);
}

/** A RangeError for a message longer than MAX_MESSAGE_BYTES. */
export function checkLength(length: number, what: string): void {
  if (length > MAX_MESSAGE_BYTES) {
    throw new RangeError(`${what}: a ${length}-byte message is longer than the largest supported (${MAX_MESSAGE_BYTES} bytes)`);
  }
}
