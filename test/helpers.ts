// Shared test helpers: unique addresses per transport, bounded waits.
import { afterEach, expect } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inFlightCount, runtimeStats } from "../src/runtime";
import { dial, listen, NngError, socket, type Protocol, type Socket } from "../src/index";

export type Transport = "inproc" | "ipc" | "tcp";
export const TRANSPORTS: Transport[] = ["inproc", "ipc", "tcp"];

let counter = 0;

/**
 * A fresh address for `transport`. tcp uses port 0 (listen first, then dial `listener.url`, which
 * shows the bound port); ipc a unique path in the temp dir; inproc a unique name.
 */
export function uniqueAddress(transport: Transport): string {
  counter++;
  const tag = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  switch (transport) {
    case "inproc":
      return `inproc://bun-nng-test-${tag}`;
    case "ipc":
      return `ipc://${join(tmpdir(), `bun-nng-${tag}.ipc`)}`;
    case "tcp":
      return "tcp://127.0.0.1:0";
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `check()` is true, polling every 5 ms; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

type Closeable = { close(): void };

/**
 * For a test file, at its top level: returns `own(x)`, which registers `x` to be closed after the
 * current test whatever happens (newest first) and returns it. After closing, the hook waits until
 * no operation is in flight and checks that every native op went back to the pool, so an
 * operation a test leaks fails it.
 */
export function closeAfterEach(): <T extends Closeable>(x: T) => T {
  const owned: Closeable[] = [];
  afterEach(async () => {
    for (const c of owned.splice(0).reverse()) c.close();
    await waitFor(() => inFlightCount() === 0, 3000, "all operations to complete");
    const inUse = runtimeStats().opsInUse;
    if (inUse !== 0) throw new Error(`${inUse} native ops still in use after the test`);
  });
  return (x) => {
    owned.push(x);
    return x;
  };
}

/**
 * A listening socket of protocol `a` and a dialing socket of `b`, connected (eventually) over
 * `transport`; both registered with `own` (from closeAfterEach) to be closed after the test.
 */
export function connectedPair(
  own: <T extends Closeable>(x: T) => T,
  transport: Transport,
  a: Protocol,
  b: Protocol,
): [Socket, Socket] {
  const listener = own(socket(a));
  const l = listen(listener, uniqueAddress(transport));
  const dialer = own(socket(b));
  dial(dialer, l.url);
  return [listener, dialer];
}

/** The NngError a promise (or Aio) rejects with; fails the test if it fulfils. */
export async function rejection(p: PromiseLike<unknown>): Promise<NngError> {
  const outcome = await Promise.resolve(p).then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (outcome.ok) throw new Error(`expected a rejection, got ${String(outcome.v)}`);
  expect(outcome.e).toBeInstanceOf(NngError);
  return outcome.e as NngError;
}

/** How a promise (or Aio) settles: 0 if it fulfils, else the code of the error it rejects with. */
export function codeOf(p: PromiseLike<unknown>): Promise<number> {
  return Promise.resolve(p).then(
    () => 0,
    (e: { code: number }) => e.code,
  );
}
