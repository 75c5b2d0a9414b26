// Aio objects: the handles of asynchronous operations, nanonext style.
//
// `SendAio.result` and `RecvAio.data` (alias `.value`) are UNRESOLVED until the operation completes,
// then the value or an NngError (returned, not thrown). Both are thenables: `await aio` gives the
// value or rejects with the NngError. A promise is made only if someone awaits, so a pending Aio is a
// small object. Dropping an Aio never cancels its operation: the ring still completes it and the
// shim frees whatever it carried.
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { native } from "./ffi";
import { errorValue, isErrorValue, NngError } from "./errors";
import { decode } from "./modes";
import type { SerialConfig } from "./serial";
import {
  batch,
  cancelOp,
  DATA_OFFSET,
  drainNow,
  ENTRY_WORDS,
  F_FLAGS,
  F_LEN,
  F_MSG_HI,
  F_MSG_LO,
  F_PIPE,
  FLAG_INLINE,
  rt,
  waitOp,
  type Completer,
} from "./runtime";

/**
 * The value of `.result` / `.data` while an operation is still in flight (a symbol; test with
 * `unresolved(x)`). nanonext: the `unresolved` logical NA.
 */
export const UNRESOLVED: unique symbol = Symbol.for("bun-nng.unresolved");
/** The type of UNRESOLVED. */
export type Unresolved = typeof UNRESOLVED;

const NO_OP = -1;

/**
 * What every Aio has (SendAio, RecvAio): an operation in flight, then its value. A thenable: `await
 * aio` gives the value or rejects with the NngError. Dropping an Aio does not cancel its operation.
 * nanonext: the recvAio / sendAio objects.
 */
export abstract class Aio<T> implements PromiseLike<T>, Completer {
  /** Index of the op in the shim's pool while in flight, else -1. */
  protected op: number = NO_OP;
  protected settled: T | NngError | Unresolved = UNRESOLVED;
  // Method syntax (bivariant), so that a SendAio or RecvAio<X> is an Aio<unknown>.
  private waiters: { resolve(v: T): void; reject(e: NngError): void } | null = null;
  private abort: { signal: AbortSignal; listener: () => void } | null = null;
  /**
   * What the op runs on (socket, context, or a device's sockets), held while in flight: the op
   * table holds this Aio, so an unreferenced context or socket (`request(context(s), x)`) is not
   * garbage-collected, and closed by its FinalizationRegistry backstop, under its own operation.
   */
  private owner: unknown = null;

  /** @internal starts tracking op `op` (called by the I/O functions right after the FFI call). */
  begin(op: number, signal: AbortSignal | undefined, owner?: unknown): this {
    this.op = op;
    if (owner !== undefined) this.owner = owner;
    if (signal) {
      const listener = () => stopAio(this);
      signal.addEventListener("abort", listener, { once: true });
      this.abort = { signal, listener };
    }
    return this;
  }

  /** @internal settles at once, without an op (a synchronous failure such as a closed socket). */
  fail(error: NngError): this {
    this.settle(error);
    return this;
  }

  /** @internal settles at once with a value, without an op (an operation that completed inline). */
  succeed(value: T): this {
    this.settle(value);
    return this;
  }

  /** @internal true until settled (does not drain: for internal bookkeeping). */
  get pending(): boolean {
    return this.settled === UNRESOLVED;
  }



  /** @internal called by the ring drain with the op's result code and ring entry. */
  abstract complete(result: number, entry: number): void;

  protected settle(value: T | NngError): void {
    this.op = NO_OP;
    this.owner = null;
    this.settled = value;
    const abort = this.abort;
    this.abort = null;
    const w = this.waiters;
    if (w) {
      this.waiters = null;
      if (isErrorValue(value)) w.reject(value);
      else w.resolve(value as T);
    }
    // Last: it runs user code (a signal's removeEventListener), which may throw.
    if (abort) abort.signal.removeEventListener("abort", abort.listener);
  }

  /** The settled value, draining completions first; UNRESOLVED while in flight. */
  protected current(): T | NngError | Unresolved {
    if (this.settled === UNRESOLVED) drainNow();
    return this.settled;
  }

  /** True while the operation is in flight (drains first). */
  get unresolved(): boolean {
    return this.current() === UNRESOLVED;
  }

  /** @internal op index in flight, or -1 (for callAio / stopAio). */
  get opIndex(): number {
    return this.op;
  }

  /** Promise-style: fulfils with the value, rejects with the NngError (so `await aio` works). */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: NngError) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise().then(onfulfilled, onrejected);
  }

  /** Promise-style: handles the NngError of a failed operation. */
  catch<R = never>(onrejected?: ((reason: NngError) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.promise().catch(onrejected);
  }

  private promise(): Promise<T> {
    const v = this.current();
    if (v !== UNRESOLVED) return isErrorValue(v) ? Promise.reject(v) : Promise.resolve(v as T);
    return new Promise<T>((resolve, reject) => {
      const prev = this.waiters;
      this.waiters = prev
        ? {
            resolve: (x) => (prev.resolve(x), resolve(x)),
            reject: (e) => (prev.reject(e), reject(e)),
          }
        : { resolve, reject };
    });
  }
}

/**
 * The handle of an asynchronous send (`sendAio()`; also `device()`): `.result` is 0 once sent, or an
 * NngError. nanonext: sendAio.
 */
export class SendAio extends Aio<0> {
  /** UNRESOLVED while in flight, then 0 (sent) or an NngError value (drains completions first). */
  get result(): 0 | NngError | Unresolved {
    return this.current();
  }

  /** @internal called by the ring drain. */
  complete(result: number): void {
    this.settle(result === 0 ? 0 : errorValue(result));
  }

  get [Symbol.toStringTag]() {
    return "SendAio";
  }
}

/**
 * The handle of an asynchronous receive (`recvAio()`, `request()`): `.data` (or `.value`) is the
 * decoded message. `T` is the value type the caller expects (not checked). nanonext: recvAio.
 */
export class RecvAio<T = unknown> extends Aio<T> {
  /** Id of the pipe the message arrived on (0 until then). */
  pipe = 0;

  constructor(
    private readonly mode: number,
    private readonly serial: SerialConfig | null = null,
  ) {
    super();
  }

  /** UNRESOLVED while in flight, then the decoded message or an NngError value (drains completions first). */
  get data(): T | NngError | Unresolved {
    return this.current();
  }

  /** The same as `.data` (nanonext's `$value`). */
  get value(): T | NngError | Unresolved {
    return this.current();
  }

  /** The socket or context whose `asyncRecvs` counts this receive while it is in flight. */
  private counted: { asyncRecvs: number } | null = null;

  /** @internal counts this asynchronous receive on `con` until it completes (see recvAio). */
  countOn(con: { asyncRecvs: number }): void {
    con.asyncRecvs++;
    this.counted = con;
  }

  /** @internal settles with a message that was taken inline (recvAio's fast path). */
  received(bytes: Uint8Array, pipe: number): this {
    this.pipe = pipe;
    this.settle(decode(bytes, this.mode, this.serial) as T | NngError);
    return this;
  }

  /** @internal called by the ring drain. */
  complete(result: number, entry: number): void {
    const counted = this.counted;
    if (counted !== null) {
      counted.asyncRecvs--;
      this.counted = null;
    }
    if (result !== 0) {
      this.settle(errorValue(result));
      return;
    }
    const base = entry * ENTRY_WORDS;
    const u32 = batch.u32;
    this.pipe = u32[base + F_PIPE]!;
    this.settle(decode(takePayload(entry), this.mode, this.serial) as T | NngError);
  }

  get [Symbol.toStringTag]() {
    return "RecvAio";
  }
}

/** Copies a received payload out of a drained ring entry (inline) or its NNG message (freed). */
export function takePayload(entry: number): Uint8Array {
  const base = entry * ENTRY_WORDS;
  const u32 = batch.u32;
  const len = u32[base + F_LEN]!;
  if (u32[base + F_FLAGS]! & FLAG_INLINE) {
    const start = base * 4 + DATA_OFFSET;
    return batch.u8.slice(start, start + len);
  }
  const msg = u32[base + F_MSG_HI]! * 0x1_0000_0000 + u32[base + F_MSG_LO]!;
  if (msg === 0) {
    throw new Error(`bun-nng internal error: completion of op ${u32[base]} (kind ${u32[base + 6]}, result ${u32[base + 1]}) has no payload`);
  }
  const w = base + DATA_OFFSET / 4;
  return ownedPayload(msg, u32[w + 1]! * 0x1_0000_0000 + u32[w]!, len);
}

/**
 * The payload of an NNG message handed over to JS (`msg`, its `body`, `len` bytes): a zero-copy view
 * while the native memory such views hold is within bounds, else a copy (the message freed now).
 */
export function ownedPayload(msg: number, body: number, len: number): Uint8Array {
  const kib = (len + 1023) >>> 10;
  if (liveKiB[0]! + kib <= ZERO_COPY_LIMIT_KIB) {
    // Zero copy: a view of the NNG message's body, freed by the shim when the buffer is collected.
    Atomics.add(liveKiB, 0, kib);
    return new Uint8Array(toArrayBufferOwned(body as Pointer, 0, len, msg as Pointer, MSG_DEALLOCATOR));
  }
  // Too much already waits for the garbage collector: copy, and free the message now.
  const out = new Uint8Array(len);
  native.bnng_msg_take(msg as never, out, len);
  return out;
}

/**
 * Zero-copy receives keep NNG messages alive until their buffers are garbage-collected, which the
 * collector does not know to hurry: past this much native memory held, receives copy instead.
 * BUN_NNG_ZERO_COPY_KIB sets it (0 turns zero-copy off).
 */
const ZERO_COPY_LIMIT_KIB = Number(process.env.BUN_NNG_ZERO_COPY_KIB ?? 256 * 1024);
/** bun:ffi's toArrayBuffer with its (untyped in bun-types) user-data and deallocator arguments. */
const toArrayBufferOwned = toArrayBuffer as unknown as (
  ptr: Pointer,
  byteOffset: number,
  byteLength: number,
  deallocatorContext: Pointer,
  deallocator: Pointer,
) => ArrayBuffer;
const MSG_DEALLOCATOR = native.bnng_msg_deallocator() as Pointer;
const liveKiB = new Uint32Array(toArrayBuffer(native.bnng_live_kib_ptr()!, 0, 4));

// --- Helpers (nanonext names) ---------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Aio, whatever its value type
type AnyAio = Aio<any>;

function isAio(x: unknown): x is AnyAio {
  return x instanceof Aio;
}

/** True if `x` is an Aio still in flight, or the UNRESOLVED value itself (drains first). nanonext: `unresolved()`. */
export function unresolved(x: unknown): boolean {
  if (isAio(x)) return x.unresolved;
  return x === UNRESOLVED;
}

/**
 * Blocks the thread until the Aio (or each Aio of an array) has completed; returns its argument, whose
 * `.data` / `.result` is then settled. Throws TypeError for what is not an Aio. nanonext: `call_aio()`.
 */
export function callAio<A extends AnyAio | AnyAio[]>(aio: A): A {
  const list: AnyAio[] = Array.isArray(aio) ? aio : [aio];
  for (const a of list) {
    if (!isAio(a)) throw new TypeError("callAio expects an Aio or an array of Aios");
    // An Aio never started (new SendAio()) has no op: nothing to wait for in the shim.
    if (a.unresolved && a.opIndex >= 0) {
      waitOp(a.opIndex, a);
      drainNow();
    }
  }
  return aio;
}

type ValueOf<A> = A extends SendAio ? 0 | NngError : A extends RecvAio<infer T> ? T | NngError : unknown;

function valueOf(a: AnyAio): unknown {
  return a instanceof SendAio ? a.result : (a as RecvAio).data;
}

/**
 * Blocks until every Aio has completed and returns their values: one value for an Aio, an array for
 * an array, a record for a record. NngErrors are returned as values. nanonext: `collect_aio()`.
 */
export function collectAio<A extends AnyAio>(aio: A): ValueOf<A>;
export function collectAio<A extends AnyAio[]>(aios: A): { [K in keyof A]: ValueOf<A[K]> };
export function collectAio<A extends Record<string, AnyAio>>(aios: A): { [K in keyof A]: ValueOf<A[K]> };
export function collectAio(x: AnyAio | AnyAio[] | Record<string, AnyAio>): unknown {
  if (isAio(x)) return valueOf(callAio(x));
  if (Array.isArray(x)) return callAio(x).map(valueOf);
  if (x && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(x)) out[k] = valueOf(callAio(a));
    return out;
  }
  throw new TypeError("collectAio expects an Aio, an array of Aios or a record of Aios");
}

/**
 * Stops an Aio in flight: it resolves at once with error 20 (canceled), unless it had already
 * completed. Accepts an array too. Returns nothing. nanonext: `stop_aio()`.
 */
export function stopAio(aio: AnyAio | AnyAio[]): void {
  const list: AnyAio[] = Array.isArray(aio) ? aio : [aio];
  for (const a of list) {
    if (!isAio(a)) throw new TypeError("stopAio expects an Aio or an array of Aios");
    if (a.unresolved) cancelOp(a.opIndex, a);
  }
  for (const a of list) waitOp(a.opIndex, a);
  drainNow();
}

/**
 * Resolves with the index in `aios` of the first to complete (successfully or not), as nanonext's
 * race_aio (0-based). Not the Aio itself: an Aio is a thenable, so a promise resolved with it would
 * adopt its value (and reject on its error). Rejects with TypeError unless given a non-empty array
 * of Aios.
 */
export function raceAio(aios: AnyAio[]): Promise<number> {
  if (!Array.isArray(aios) || aios.length === 0 || !aios.every(isAio)) {
    return Promise.reject(new TypeError("raceAio expects a non-empty array of Aios"));
  }
  const done = aios.findIndex((a) => !a.unresolved);
  if (done >= 0) return Promise.resolve(done);
  return Promise.race(aios.map((a, i) => a.then(() => i, () => i)));
}

export { NngError };
