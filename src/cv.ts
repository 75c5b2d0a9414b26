// Condition variables (nanonext's cv): a counter in the shim, bumped by cvSignal() and by the
// completion of any recvAio given the cv, so a thread blocked in wait()/until() wakes even while the
// event loop is not running.
import type { Pointer } from "bun:ffi";
import { native } from "./ffi";
import { NngError, ErrorCode } from "./errors";
import { cancelOp, rt, track, type Completer } from "./runtime";
import { Socket } from "./socket";
import { constants } from "node:os";
import { optionsOf, signalOf, typeName } from "./check";

const backstop = new FinalizationRegistry<Pointer>((h) => native.bnng_cv_release(h));

/**
 * A condition variable in the shim: a counter bumped by `cvSignal()`, by the completion of any Aio
 * given it (`cv` option) and by pipe events (`pipeNotify`), so that a thread blocked in `wait()` /
 * `until()` wakes even while the event loop is not running. Use `cv()`. nanonext: conditionVariable.
 */
export class Cv {
  #handle: Pointer | null;

  constructor() {
    const h = native.bnng_cv_new() as Pointer | null;
    if (!h) throw new NngError(ErrorCode.ENOMEM, "cannot create a condition variable");
    this.#handle = h;
    backstop.register(this, h, this);
  }

  /** @internal the native cv (throws once closed). */
  get handle(): Pointer {
    if (this.#handle === null) throw new NngError(ErrorCode.ECLOSED, "the condition variable is closed");
    return this.#handle;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#handle === null;
  }

  /** True for a real Cv (not an object that merely inherits from Cv.prototype). */
  static is(x: unknown): x is Cv {
    return typeof x === "object" && x !== null && #handle in x;
  }

  /** Releases the cv (operations still holding it keep it alive until they complete). Idempotent. */
  close(): void {
    if (!Cv.is(this)) throw new TypeError("close: this is not a real Cv (an object inheriting from Cv.prototype)");
    if (this.#handle === null) return;
    backstop.unregister(this);
    native.bnng_cv_release(this.#handle);
    this.#handle = null;
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * The native cv of `c`, for `what`: a TypeError if `c` is not a cv() (a pointer from anything else
 * would be dereferenced by the shim), NngError 7 if it is closed.
 */
export function cvHandle(c: unknown, what: string): Pointer {
  if (!Cv.is(c)) throw new TypeError(`${what} expects a cv(), got ${typeName(c)}`);
  return c.handle;
}

/** A new condition variable. Throws NngError 2 if out of memory. nanonext: `cv()`. */
export function cv(): Cv {
  return new Cv();
}

/**
 * Blocks the thread until the cv is signalled (consumes one signal). Returns false if a flagged pipe
 * event woke it. Throws NngError 7 for a closed cv. nanonext: `wait()`.
 */
export function wait(c: Cv): boolean {
  return native.bnng_cv_wait(cvHandle(c, "wait"), -1) === 1;
}

/**
 * As wait, for at most `ms` milliseconds; false on time-out (or a flagged pipe event). Throws
 * TypeError for a bad `ms`. nanonext: `until()`.
 */
export function until(c: Cv, ms: number): boolean {
  const h = cvHandle(c, "until");
  if (!Number.isInteger(ms) || ms < 0) throw new TypeError(`until expects a whole number of ms >= 0, got ${typeName(ms)}`);
  return native.bnng_cv_wait(h, Math.min(ms, 0x7fffffff)) === 1;
}

/** The cv's counter: signals not yet consumed by a wait. nanonext: `cv_value()`. */
export function cvValue(c: Cv): number {
  return native.bnng_cv_value(cvHandle(c, "cvValue"));
}

/** Sets the counter (and the flag) back to zero. nanonext: `cv_reset()`. */
export function cvReset(c: Cv): void {
  native.bnng_cv_reset(cvHandle(c, "cvReset"));
}

/** Signals the cv once. nanonext: `cv_signal()`. */
export function cvSignal(c: Cv): void {
  native.bnng_cv_signal(cvHandle(c, "cvSignal"));
}

/**
 * Waits for the cv without blocking the event loop (a native thread does the blocking wait).
 * Resolves true when signalled, false on time-out (after `ms`, if given) or a flagged pipe event;
 * rejects with NngError 20 if `signal` aborts. Not in nanonext (which has only the blocking forms).
 */
export function waitAsync(c: Cv, ms?: number, opts: { signal?: AbortSignal } = {}): Promise<boolean> {
  const h = cvHandle(c, "waitAsync");
  if (ms !== undefined && (!Number.isInteger(ms) || ms < 0)) {
    throw new TypeError(`waitAsync expects a whole number of ms >= 0 (or nothing), got ${typeName(ms)}`);
  }
  const signal = signalOf(optionsOf(opts, "waitAsync").signal, "waitAsync");
  if (signal?.aborted) return Promise.reject(new NngError(ErrorCode.ECANCELED, "waitAsync: aborted"));
  return new Promise<boolean>((resolve, reject) => {
    const op = native.bnng_cv_wait_aio(rt, h, ms === undefined ? -1 : Math.min(ms, 0x7fffffff));
    if (op < 0) {
      reject(new NngError(-op, "waitAsync"));
      return;
    }
    // Abort stops the native wait (its thread wakes and completes with 20, canceled).
    const waiter: Completer = {
      complete: (result: number) => {
        signal?.removeEventListener("abort", onAbort);
        if (result === ErrorCode.ECANCELED) reject(new NngError(result, "waitAsync: aborted"));
        else resolve(result === 0);
      },
    };
    const onAbort = () => cancelOp(op, waiter);
    signal?.addEventListener("abort", onAbort, { once: true });
    track(op, waiter);
  });
}

/** Options of `pipeNotify()`. */
export interface PipeNotifyOptions {
  /** Signal when a pipe (connection) is added. */
  add?: boolean;
  /** Signal when a pipe is removed. */
  remove?: boolean;
  /**
   * true: also set the cv's flag, so the wait()/until() it wakes returns false. A signal name
   * ("SIGINT") or number: raise that signal in this process as well.
   */
  flag?: boolean | string | number;
}

/**
 * Signals `c` whenever a pipe is added to and/or removed from `sock` (nanonext's pipe_notify).
 * Calling it again replaces the previous setting; with neither add nor remove it is turned off.
 * Throws NngError 7 for a closed socket, TypeError for a bad `flag`.
 */
export function pipeNotify(sock: Socket, c: Cv | null, opts: PipeNotifyOptions = {}): void {
  if (!Socket.is(sock)) throw new TypeError(`pipeNotify expects a Socket, got ${typeName(sock)}`);
  if (sock.closed) throw new NngError(ErrorCode.ECLOSED, "pipeNotify: the socket is closed");
  const handle = c === null ? null : cvHandle(c, "pipeNotify");
  opts = optionsOf(opts, "pipeNotify");
  let flag = false;
  let signo = 0;
  const f = opts.flag;
  if (typeof f === "boolean" || f === undefined) flag = f === true;
  else if (typeof f === "string") {
    const n = (constants.signals as Record<string, number>)[f];
    if (n === undefined || !Object.hasOwn(constants.signals, f)) {
      throw new TypeError(`pipeNotify: unknown signal name ${typeName(f)} (e.g. "SIGINT", "SIGUSR1")`);
    }
    signo = n;
  } else if (typeof f === "number" && Number.isInteger(f) && f > 0 && f < 65) signo = f;
  else throw new TypeError(`pipeNotify: 'flag' must be a boolean, a signal name or a signal number, got ${typeName(f)}`);
  const rv = native.bnng_pipe_notify(sock.id, handle, opts.add ? 1 : 0, opts.remove ? 1 : 0, flag ? 1 : 0, signo);
  if (rv !== 0) throw new NngError(rv, "pipeNotify");
}
