// Send and receive modes: how a JavaScript value becomes message bytes and back (nanonext's modes).
//
// Send:    serial (1) any structured-clonable value via bun:jsc; raw (2) bytes; next (3) serial
//          with the class hooks registered by serialConfig.
// Receive: serial (1), character (2) string[] split on nul, complex (3) Float64Array of re/im pairs,
//          double (4) Float64Array, integer (5) Int32Array, logical (6) boolean[], numeric (7)
//          Float64Array, raw (8) Uint8Array, string (9) one string up to the first nul.
import { deserialize, serialize } from "bun:jsc";
import { ErrorCode, NngError } from "./errors";
import type { SerialConfig } from "./serial";
import { checkLength, trustedBytes, typeName } from "./check";

/**
 * Send modes by name: `serial` (1, any structured-clonable value, through bun:jsc), `raw` (2, bytes of
 * a TypedArray / ArrayBuffer / DataView, UTF-8 of a string, float64 of numbers), `next` (3, serial with
 * the socket's serialConfig hooks). nanonext: the `mode` argument of send functions.
 */
export const SendMode = { serial: 1, raw: 2, next: 3 } as const;
/**
 * Receive modes by name: `serial` (1), `character` (2, string[] split on nul), `complex` (3,
 * Float64Array of re/im pairs), `double` (4, Float64Array), `integer` (5, Int32Array), `logical` (6,
 * boolean[]), `numeric` (7, Float64Array), `raw` (8, Uint8Array), `string` (9, one string up to the
 * first nul). A message that does not fit gives NngError 30 with the bytes in `.raw`. nanonext: the
 * `mode` argument of receive functions.
 */
export const RecvMode = {
  serial: 1,
  character: 2,
  complex: 3,
  double: 4,
  integer: 5,
  logical: 6,
  numeric: 7,
  raw: 8,
  string: 9,
} as const;

/** A send mode's name. */
export type SendModeName = keyof typeof SendMode;
/** A receive mode's name. */
export type RecvModeName = keyof typeof RecvMode;
/** A send mode by name or integer. */
export type SendModeArg = SendModeName | 1 | 2 | 3;
/** A receive mode by name or integer. */
export type RecvModeArg = RecvModeName | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * The value receive mode `M` decodes a message to: `string` for "string" (9), `Uint8Array` for "raw"
 * (8), `string[]` for "character" (2), `Float64Array` for "double", "numeric" and "complex" (4, 7,
 * 3), `Int32Array` for "integer" (5), `boolean[]` for "logical" (6), and `unknown` for "serial" (1,
 * any value) or a mode known only at run time.
 */
export type RecvValue<M> = [M] extends ["string" | 9]
  ? string
  : [M] extends ["raw" | 8]
    ? Uint8Array
    : [M] extends ["character" | 2]
      ? string[]
      : [M] extends ["double" | "numeric" | "complex" | 4 | 7 | 3]
        ? Float64Array
        : [M] extends ["integer" | 5]
          ? Int32Array
          : [M] extends ["logical" | 6]
            ? boolean[]
            : unknown;

declare const fromMode: unique symbol;
/**
 * The default of the value type parameter `T` of the receive functions: the value type then follows
 * the receive mode (`recvAio(s, { mode: "string" })` is a `RecvAio<string>`). Give `T` to state
 * the type of a serial message (`recvAio<{ id: number }>(s)`): it is not checked.
 */
export type FromMode = typeof fromMode;
/** `T` if given, else what receive mode `M` decodes to. */
export type Received<T, M> = [T] extends [FromMode] ? RecvValue<M> : T;

const sendNames = Object.keys(SendMode) as SendModeName[];
const recvNames = Object.keys(RecvMode) as RecvModeName[];

/** Mode name or integer -> integer; a clear TypeError for anything else. */
export function sendModeOf(mode: SendModeArg | undefined, fallback = 1): number {
  if (mode === undefined) return fallback;
  if (typeof mode === "number" && Number.isInteger(mode) && mode >= 1 && mode <= 3) return mode;
  if (typeof mode === "string" && Object.hasOwn(SendMode, mode)) return SendMode[mode];
  throw new TypeError(`unknown send mode ${typeName(mode)}: expected one of ${sendNames.join(", ")} (or 1-3)`);
}

export function recvModeOf(mode: RecvModeArg | undefined, fallback = 1): number {
  if (mode === undefined) return fallback;
  if (typeof mode === "number" && Number.isInteger(mode) && mode >= 1 && mode <= 9) return mode;
  if (typeof mode === "string" && Object.hasOwn(RecvMode, mode)) return RecvMode[mode];
  throw new TypeError(`unknown receive mode ${typeName(mode)}: expected one of ${recvNames.join(", ")} (or 1-9)`);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * Encodes `data` for sending in `mode` (an integer from sendModeOf); `serial` is the connection's
 * serialConfig, applied in the `next` mode. Throws TypeError if the value cannot be sent.
 */
export function encode(data: unknown, mode: number, serial: SerialConfig | null = null): Uint8Array {
  if (mode === 2) return encodeRaw(data);
  let value = data;
  if (mode === 3 && serial) {
    try {
      value = serial.encode(data);
    } catch (err) {
      throw new TypeError(`send (next mode): a serialConfig serialize hook threw: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = serialize(value, { binaryType: "nodebuffer" });
  } catch (err) {
    throw new TypeError(`cannot send this value in serial mode: ${(err as Error)?.message ?? String(err)}`);
  }
  checkLength(bytes.length, "send (serial mode)");
  return bytes;
}

function encodeRaw(data: unknown): Uint8Array {
  // A real view over the real bytes (viewBytes): the length handed to the shim with the pointer
  // cannot be one a subclass or an own property made up.
  if (ArrayBuffer.isView(data)) return trustedBytes(data, "send (raw mode)");
  if (typeof data === "string") {
    // Buffer.from rather than TextEncoder: Bun's encoder re-walks a string built by concatenation
    // (a rope) on every call, ~15x slower at 64 KiB.
    const bytes = Buffer.from(data, "utf8");
    checkLength(bytes.length, "send (raw mode)");
    return bytes;
  }
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) {
    const bytes = new Uint8Array(data);
    checkLength(bytes.length, "send (raw mode)");
    return bytes;
  }
  if (typeof data === "number") return new Uint8Array(Float64Array.of(data).buffer);
  if (typeof data === "boolean") return new Uint8Array(Int32Array.of(data ? 1 : 0).buffer);
  if (Array.isArray(data)) {
    if (data.length === 0) return EMPTY;
    if (data.every((x) => typeof x === "number")) return new Uint8Array(Float64Array.from(data).buffer);
    if (data.every((x) => typeof x === "boolean")) return new Uint8Array(Int32Array.from(data, Number).buffer);
    // string[]: each string followed by a nul, as the `character` receive mode expects.
    if (data.every((x) => typeof x === "string")) return utf8.encode(data.map((s) => `${s}\0`).join(""));
  }
  const what = data === null ? "null" : Array.isArray(data) ? "a mixed array" : typeof data === "object" ? (data.constructor?.name ?? "object") : typeof data;
  throw new TypeError(
    `raw mode sends bytes (TypedArray, ArrayBuffer, DataView), a string, a number, a boolean, or an array of numbers, booleans or strings; got ${what}`,
  );
}

const modeNames = ["", ...recvNames];

function misfit(bytes: Uint8Array, mode: number, unit: number): NngError {
  return new NngError(
    ErrorCode.EBADTYPE,
    `a ${bytes.length}-byte message does not fit receive mode '${modeNames[mode]}' (needs a multiple of ${unit} bytes); the bytes are in .raw`,
    bytes,
  );
}

/** A copy aligned for a typed-array view (received bytes always own their buffer at offset 0). */
function aligned(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes.buffer
    : new Uint8Array(bytes).buffer; // a copy (Buffer#slice would be a view)
}

/**
 * Decodes received bytes in `mode` (an integer from recvModeOf): the value, or an NngError value.
 * `serial`, the connection's serialConfig, revives registered class instances.
 */
export function decode(bytes: Uint8Array, mode: number, serial: SerialConfig | null = null): unknown {
  switch (mode) {
    case 8:
      return bytes;
    case 9: {
      const nul = bytes.indexOf(0);
      return utf8Decoder.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
    }
    case 1:
      return decodeSerial(bytes, serial);
    case 2: {
      if (bytes.length === 0) return [];
      const text = utf8Decoder.decode(bytes);
      const parts = text.split("\0");
      if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
      return parts;
    }
    case 3:
      return bytes.length % 16 === 0 ? new Float64Array(aligned(bytes)) : misfit(bytes, mode, 16);
    case 4:
    case 7:
      return bytes.length % 8 === 0 ? new Float64Array(aligned(bytes)) : misfit(bytes, mode, 8);
    case 5:
      return bytes.length % 4 === 0 ? new Int32Array(aligned(bytes)) : misfit(bytes, mode, 4);
    case 6: {
      if (bytes.length % 4 !== 0) return misfit(bytes, mode, 4);
      return Array.from(new Int32Array(aligned(bytes)), (v) => v !== 0);
    }
    default:
      throw new TypeError(`unknown receive mode ${mode}`);
  }
}

function decodeSerial(bytes: Uint8Array, serial: SerialConfig | null): unknown {
  // A single nul byte is what `reply` sends when its handler fails: keep it visible as such.
  if (bytes.length === 1 && bytes[0] === 0) return bytes;
  if (bytes.length === 0) {
    return new NngError(ErrorCode.EBADTYPE, "an empty message is not serialized data (receive mode 'serial'); use 'raw'", bytes);
  }
  let value: unknown;
  try {
    value = deserialize(bytes);
  } catch {
    return new NngError(
      ErrorCode.EBADTYPE,
      `a ${bytes.length}-byte message is not serialized data (receive mode 'serial'); the bytes are in .raw`,
      bytes,
    );
  }
  if (serial === null) return value;
  try {
    return serial.decode(value);
  } catch (err) {
    // The hook met data it cannot rebuild (a corrupted or foreign message): an error value, as for
    // any message that does not fit its mode.
    return new NngError(
      ErrorCode.EBADTYPE,
      `a serialConfig unserialize hook threw (${(err as Error)?.message ?? String(err)}); the bytes are in .raw`,
      bytes,
    );
  }
}
