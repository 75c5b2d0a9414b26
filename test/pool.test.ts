// The shim's op pool after a burst: it grew to hold every operation in flight, and afterwards it
// gives that memory back, and closing a socket costs what is in flight on it, not what the pool
// once held (closing used to scan the whole pool: ~500x slower for good after 200,000 pending
// receives, with ~180 MB kept).
import { describe, expect, test } from "bun:test";
import { context, recvAio, socket } from "../src/index";
import { runtimeStats } from "../src/runtime";
import { sleep, uniqueAddress, waitFor } from "./helpers";

/**
 * The pool gives back a chunk that has stayed empty for a second (zig/runtime.zig shrink_after_ms),
 * checking when an op is released: waits that long, then makes a few operations.
 */
async function afterQuietSecond(): Promise<void> {
  await sleep(1100);
  const s = socket("pull", { listen: uniqueAddress("inproc") });
  const receives = Array.from({ length: 4 }, () => recvAio(s, { timeout: 60_000 }));
  s.close();
  for (const a of receives) await a.then(() => 0, () => 0);
  await waitFor(() => runtimeStats().opsInUse === 0, 5000, "every op to be drained");
}

/** Microseconds per socket + context open and close, over `rounds` rounds. */
function openCloseMicros(rounds: number): number {
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    const s = socket("rep");
    const c = context(s);
    c.close();
    s.close();
  }
  return ((performance.now() - t0) * 1000) / rounds;
}

describe("op pool after a burst", () => {
  test("50,000 pending receives: the pool grows for them, gives its memory back a second later, and close costs what it did", async () => {
    const keep = runtimeStats().opsAllocated;
    openCloseMicros(200); // warm
    const before = openCloseMicros(500);

    const s = socket("pull", { listen: uniqueAddress("inproc") });
    const pending = Array.from({ length: 50_000 }, () => recvAio(s, { timeout: 60_000 }));
    expect(runtimeStats().opsAllocated).toBeGreaterThanOrEqual(50_000);
    s.close(); // every receive ends with 7
    for (const a of pending) expect((await a.then(() => 0, (e) => e.code)) as number).toBe(7);
    await waitFor(() => runtimeStats().opsInUse === 0, 5000, "every op to be drained");
    // Kept while a burst might come back: the next one reuses it.
    expect(runtimeStats().opsAllocated).toBeGreaterThanOrEqual(50_000);
    await afterQuietSecond();

    // Given back down to what ordinary traffic uses (never below the pool's floor of 1,024 ops).
    const after = runtimeStats();
    expect(after.opsAllocated).toBeLessThanOrEqual(Math.max(keep, 1024));

    // The same cost as before (the old scan made it ~500x): a loose bound, noise is not the point.
    openCloseMicros(200);
    const later = openCloseMicros(500);
    expect(later).toBeLessThan(before * 20 + 50);
  });

  test("ops in flight on other sockets are untouched by a close, and the pool shrinks only once they are done", async () => {
    const busy = socket("pull", { listen: uniqueAddress("inproc") });
    const others = Array.from({ length: 3_000 }, () => recvAio(busy, { timeout: 60_000 }));
    const burst = socket("pull", { listen: uniqueAddress("inproc") });
    const mine = Array.from({ length: 3_000 }, () => recvAio(burst, { timeout: 60_000 }));
    burst.close();
    for (const a of mine) expect((await a.then(() => 0, (e) => e.code)) as number).toBe(7);
    expect(others.every((a) => a.unresolved)).toBe(true);
    // 3,000 still in flight: the chunks that hold them stay.
    expect(runtimeStats().opsAllocated).toBeGreaterThanOrEqual(3_000);
    busy.close();
    for (const a of others) expect((await a.then(() => 0, (e) => e.code)) as number).toBe(7);
    await waitFor(() => runtimeStats().opsInUse === 0, 5000, "every op to be drained");
    await afterQuietSecond();
    expect(runtimeStats().opsAllocated).toBeLessThanOrEqual(1024);
  });
});
