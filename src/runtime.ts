// The JavaScript end of the completion ring (design.md section 4).
//
// NNG completes operations on its own threads; the shim's callbacks put them in the ring and, when
// the ring goes from empty to non-empty, call `wake` (a threadsafe JSCallback) once. `drain` then
// takes the completions in batches from a buffer shared with the shim and hands each to the
// in-flight op that owns it. Synchronous accessors call `drainNow()` first, so a completion that
// happened while JavaScript was busy or blocked is visible at once.
//
// BUN_NNG_WAKE=poll replaces the JSCallback by a 1 ms poll while operations are in flight: a
// fallback should Bun's threadsafe callbacks misbehave.
import { JSCallback, toArrayBuffer, type Pointer } from "bun:ffi";
import { native } from "./ffi";

/** Ring entry layout (zig/ring.zig `Entry`), in u32 words. */
export const ENTRY_BYTES = 128;
export const ENTRY_WORDS = ENTRY_BYTES / 4;
export const F_OP = 0;
export const F_RESULT = 1;
export const F_LEN = 2;
export const F_PIPE = 3;
export const F_MSG_LO = 4;
export const F_MSG_HI = 5;
export const F_KIND = 6;
export const F_FLAGS = 7;
export const DATA_OFFSET = 32;
export const FLAG_INLINE = 1;
export const KIND_SLEEP = 4;
export const KIND_FLOOD = 5;

if (native.bnng_abi_entry_size() !== ENTRY_BYTES || native.bnng_abi_entry_data_offset() !== DATA_OFFSET) {
  throw new Error("bun-nng: ring entry layout of the native library does not match src/runtime.ts");
}

/** Something waiting for an op's completion: the Aio objects. */
export interface Completer {
  /** Called once, from the drain, with the entry still readable at `entry` in `batch`. */
  complete(result: number, entry: number): void;
}

const BATCH_MAX = native.bnng_abi_batch_max();
/** Batches per drain before yielding to the event loop (zeromq.js' max_sync_operations idea). */
const MAX_BATCHES_PER_TURN = 64;

const usePoll = process.env.BUN_NNG_WAKE === "poll";
const wakeCallback = usePoll ? null : new JSCallback(() => drain(), { args: [], returns: "void", threadsafe: true });

/** This thread's runtime in the shim: ring, op pool, batch buffer. */
export const rt: Pointer = (() => {
  const p = native.bnng_rt_new(wakeCallback ? wakeCallback.ptr : null) as Pointer | null;
  if (!p) throw new Error("bun-nng: cannot create the native runtime (out of memory)");
  return p;
})();

const batchBuffer = toArrayBuffer(native.bnng_rt_batch(rt)!, 0, BATCH_MAX * ENTRY_BYTES);
/** The drained batch, as the Aio completions read it. */
export const batch = {
  u32: new Uint32Array(batchBuffer),
  i32: new Int32Array(batchBuffer),
  u8: new Uint8Array(batchBuffer),
};

// When the process exits, NNG threads may still complete operations: make sure they no longer call
// into a JavaScript VM that is going away.
process.on("exit", () => native.bnng_rt_set_wake(rt, null));

const pending: (Completer | undefined)[] = [];
const batchCompleters: (Completer | undefined)[] = new Array(BATCH_MAX).fill(undefined);
let inFlight = 0;

// Keeps the event loop alive while operations are in flight (an awaited Aio must not let the process
// exit), and nothing else: ref'd on 0 -> 1, unref'd on 1 -> 0.
const keepAlive = setInterval(usePoll ? () => drain() : () => {}, usePoll ? 1 : 1 << 30);
keepAlive.unref();

/** Registers the op an FFI call just started; `op` is its index in the shim's pool. */
export function track(op: number, completer: Completer): void {
  pending[op] = completer;
  if (inFlight++ === 0) keepAlive.ref();
}

/**
 * Stops op `op` (it completes with error 20) if it still runs `owner`'s operation. While a batch is
 * drained its ops are already back in the shim's pool, and code that runs in the drain (a settle
 * callback, a serialConfig hook, an abort listener) may start new operations that reuse them: an
 * op index alone may name someone else's operation by then. The batch's completers are taken out
 * of `pending` before any of them runs, so they no longer own an op here.
 */
export function cancelOp(op: number, owner: Completer): void {
  if (op >= 0 && pending[op] === owner) native.bnng_aio_cancel(rt, op);
}

/** Blocks until op `op` has completed, if it still runs `owner`'s operation (see cancelOp). */
export function waitOp(op: number, owner: Completer): void {
  if (op >= 0 && pending[op] === owner) native.bnng_aio_wait(rt, op);
}

/** Number of operations in flight. */
export function inFlightCount(): number {
  return inFlight;
}

let floodHook: ((thread: number, seq: number) => void) | null = null;
let sleepHook: ((result: number) => void) | null = null;
/**
 * Test support: receive the completions of the ring stress sources, which have no Aio: the native
 * flood threads' entries (no op) and the untracked NNG sleeps started by startSleeps().
 */
export function setStressHooks(
  flood: ((thread: number, seq: number) => void) | null,
  sleep: ((result: number) => void) | null,
): void {
  floodHook = flood;
  sleepHook = sleep;
}

/** Test support: starts `count` NNG sleeps of `ms` that complete on NNG's task threads. */
export function startSleeps(ms: number, count: number): number {
  return native.bnng_sleep_aio(rt, ms, count);
}

let scheduled = false;
let draining = false;

/** Drains completions now (synchronous accessors call this before looking). */
export function drainNow(): void {
  drain();
}

/**
 * Delivers the ring's completions to their completers. Completers run user code (settle callbacks,
 * serialConfig hooks, abort listeners), which may throw: every completion of the batch is still
 * delivered, and the first exception is thrown once the drain is done (later ones are reported as
 * uncaught exceptions), so that nothing taken from NNG is lost and no Aio is left in flight.
 */
function drain(): void {
  if (draining) return; // a completion handler that reads a result synchronously: already draining
  draining = true;
  let failure: { error: unknown } | null = null;
  const u32 = batch.u32;
  const i32 = batch.i32;
  try {
    for (let round = 0; ; round++) {
      const n = native.bnng_drain(rt, BATCH_MAX);
      // The shim has already returned these ops to its pool, so a completion that starts a new
      // operation may be handed one of this batch's op indexes: take every completer of the batch
      // out of `pending` before running any of them.
      for (let i = 0; i < n; i++) {
        const base = i * ENTRY_WORDS;
        const kind = u32[base + F_KIND]!;
        if (kind === KIND_FLOOD || kind === KIND_SLEEP) {
          batchCompleters[i] = undefined;
          continue;
        }
        const op = u32[base + F_OP]!;
        batchCompleters[i] = pending[op];
        pending[op] = undefined;
      }
      for (let i = 0; i < n; i++) {
        const base = i * ENTRY_WORDS;
        const completer = batchCompleters[i];
        if (completer === undefined) {
          const kind = u32[base + F_KIND]!;
          if (kind === KIND_FLOOD) floodHook?.(u32[base + F_OP]!, u32[base + F_LEN]!);
          else if (kind === KIND_SLEEP) sleepHook?.(i32[base + F_RESULT]!);
          continue;
        }
        batchCompleters[i] = undefined;
        if (--inFlight === 0) keepAlive.unref();
        try {
          completer.complete(i32[base + F_RESULT]!, i);
        } catch (error) {
          if (failure === null) failure = { error };
          else queueMicrotask(() => {
            throw error;
          });
        }
      }
      if (n < BATCH_MAX) break;
      if (round + 1 >= MAX_BATCHES_PER_TURN) {
        // Still more: let the event loop breathe, then continue (the ring stays disarmed).
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            drain();
          });
        }
        break;
      }
    }
  } finally {
    draining = false;
  }
  if (failure !== null) throw failure.error;
}

/** Shim counters: ops in use, ops allocated, entries spilled past the ring, wake-ups. */
export function runtimeStats(): { opsInUse: number; opsAllocated: number; spilled: number; wakeups: number } {
  const out = new Float64Array(4);
  native.bnng_rt_stats(rt, out);
  return { opsInUse: out[0]!, opsAllocated: out[1]!, spilled: out[2]!, wakeups: out[3]! };
}
