// One error type for the library: NngError with NNG's integer code. NNG errors from operations are
// returned as values (nanonext style: `isErrorValue(x)`), and reject when an Aio is awaited.
import { native } from "./ffi";
import { typeName } from "./check";

/** NNG's error codes (nng.h), by name: `ErrorCode.ETIMEDOUT` is 5. The integers are what `NngError.code` holds. */
export const ErrorCode = {
  EINTR: 1,
  ENOMEM: 2,
  EINVAL: 3,
  EBUSY: 4,
  ETIMEDOUT: 5,
  ECONNREFUSED: 6,
  ECLOSED: 7,
  EAGAIN: 8,
  ENOTSUP: 9,
  EADDRINUSE: 10,
  ESTATE: 11,
  ENOENT: 12,
  EPROTO: 13,
  EUNREACHABLE: 14,
  EADDRINVAL: 15,
  EPERM: 16,
  EMSGSIZE: 17,
  ECONNABORTED: 18,
  ECONNRESET: 19,
  ECANCELED: 20,
  ENOFILES: 21,
  ENOSPC: 22,
  EEXIST: 23,
  EREADONLY: 24,
  EWRITEONLY: 25,
  ECRYPTO: 26,
  EPEERAUTH: 27,
  ENOARG: 28,
  EAMBIGUOUS: 29,
  EBADTYPE: 30,
  ECONNSHUT: 31,
  EINTERNAL: 1000,
} as const;

const messages = new Map<number, string>();

/** NNG's text for an error code, e.g. 5 -> "Timed out" (NNG's nng_strerror). */
export function errorText(code: number): string {
  let text = messages.get(code);
  if (text === undefined && !(Number.isInteger(code) && code >= -0x80000000 && code <= 0x7fffffff)) {
    throw new TypeError(`an NNG error code is a 32-bit integer, got ${typeName(code)}`);
  }
  if (text === undefined) {
    text = String(native.bnng_strerror(code));
    messages.set(code, text);
  }
  return text;
}

/**
 * An NNG error. `code` is NNG's integer (5 timed out, 7 closed, 20 canceled, ...; see ErrorCode); the
 * message starts with `nngError(code)`. Returned as a value by operations (`isErrorValue`), the
 * rejection of an awaited Aio, and thrown where NNG refuses to set something up. nanonext: the
 * errorValue class.
 */
export class NngError extends Error {
  /** NNG's error code (see ErrorCode). */
  readonly code: number;
  /** The undecodable payload, when a received message did not fit its receive mode. */
  declare readonly raw?: Uint8Array;

  /** An error with NNG's `code` and, optionally, what was being done and the undecodable bytes. */
  constructor(code: number, detail?: string, raw?: Uint8Array) {
    super(detail ? `${nngError(code)}: ${String(detail)}` : nngError(code));
    this.name = "NngError";
    this.code = code;
    if (raw !== undefined) this.raw = raw;
  }
}

const cached = new Map<number, NngError>();

/**
 * The shared error value for a bare code (no detail). Completions reuse one instance per code so
 * that failing thousands of Aios (say, on close) allocates nothing per Aio.
 */
export function errorValue(code: number): NngError {
  let e = cached.get(code);
  if (e === undefined) {
    e = new NngError(code);
    cached.set(code, e);
  }
  return e;
}

/** `"5 | Timed out"`: the code and NNG's text. nanonext: `nng_error()`. */
export function nngError(code: number): string {
  const text = errorText(code); // checks the code first
  return `${code} | ${text}`;
}

/** True for an error value returned by an operation (an NngError); a type guard. nanonext: `is_error_value()`. */
export function isErrorValue(x: unknown): x is NngError {
  return x instanceof NngError;
}

/** True for a single nul byte (a Uint8Array of one 0): what `reply` sends when its handler throws. nanonext: `is_nul_byte()`. */
export function isNulByte(x: unknown): boolean {
  return x instanceof Uint8Array && x.length === 1 && x[0] === 0;
}
