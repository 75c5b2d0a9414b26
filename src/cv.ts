// Condition variables (nanonext's cv): a counter in the shim, bumped by cvSignal() and by the
// completion of any recvAio given the cv, so a thread blocked in wait()/until() wakes even while the
// event loop is not running.
import type { Pointer } from "bun:ffi";
import { native } from "./ffi";
import { NngError, ErrorCode } from "./errors";

const backstop = new FinalizationRegistry<Pointer>((h) => native.bnng_cv_release(h));

export class Cv {
  #handle: Pointer | null;

  constructor() {
    const h = native.bnng_cv_new();
    if (!h) throw new NngError(ErrorCode.ENOMEM, "cannot create a condition variable");
    this.#handle = h;
    backstop.register(this, h, this);
  }

  /** @internal the native cv (throws once closed). */
  get handle(): Pointer {
    if (this.#handle === null) throw new NngError(ErrorCode.ECLOSED, "the condition variable is closed");
    return this.#handle;
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  /** Releases the cv (operations still holding it keep it alive until they complete). Idempotent. */
  close(): void {
    if (this.#handle === null) return;
    backstop.unregister(this);
    native.bnng_cv_release(this.#handle);
    this.#handle = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** A new condition variable. */
export function cv(): Cv {
  return new Cv();
}

/** Blocks until the cv is signalled (consumes one signal). Returns false if a flagged pipe event woke it. */
export function wait(c: Cv): boolean {
  return native.bnng_cv_wait(c.handle, -1) === 1;
}

/** As wait, for at most `ms` milliseconds; false on time-out. */
export function until(c: Cv, ms: number): boolean {
  if (!Number.isInteger(ms) || ms < 0) throw new TypeError(`until expects a whole number of ms >= 0, got ${ms}`);
  return native.bnng_cv_wait(c.handle, Math.min(ms, 0x7fffffff)) === 1;
}

/** The cv's counter: signals not yet consumed by a wait. */
export function cvValue(c: Cv): number {
  return native.bnng_cv_value(c.handle);
}

/** Sets the counter (and the flag) back to zero. */
export function cvReset(c: Cv): void {
  native.bnng_cv_reset(c.handle);
}

/** Signals the cv once. */
export function cvSignal(c: Cv): void {
  native.bnng_cv_signal(c.handle);
}
