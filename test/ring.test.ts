// Stress of the completion ring from JavaScript: completions pushed from many native threads are all
// delivered, in per-producer order, through the threadsafe wake-up, with none lost.
import { describe, expect, test } from "bun:test";
import { native } from "../src/ffi";
import { drainNow, rt, runtimeStats, setStressHooks, startSleeps } from "../src/runtime";
import { waitFor } from "./helpers";

/**
 * NNG sleeps completed by the ring test (BUN_NNG_SLEEPS; default 1,000,000). `make test-sanitize`
 * runs fewer, with fewer wake-ups: its Debug shim with UBSan starts a sleep in ~35 µs, and the test's
 * time limits are for the release build.
 */
const SLEEPS = Number(process.env.BUN_NNG_SLEEPS ?? 1_000_000);

describe("completion ring", () => {
  test("1,000,000 completions from 4 native threads: none lost, per-thread order kept", async () => {
    const threads = 4;
    const perThread = 250_000;
    const next = new Array<number>(threads).fill(0);
    let total = 0;
    let outOfOrder = 0;
    setStressHooks((t, seq) => {
      if (seq !== next[t]) outOfOrder++;
      next[t] = seq + 1;
      total++;
    }, null);
    const wakeupsBefore = runtimeStats().wakeups;
    const flood = native.bnng_test_flood_start(rt, threads, perThread);
    expect(flood).toBeTruthy();
    try {
      // Only the threadsafe wake-up drains here: nothing polls.
      await waitFor(() => total >= threads * perThread, 30_000, "1M flood completions");
    } finally {
      expect(native.bnng_test_flood_join(flood!)).toBe(threads);
      setStressHooks(null, null);
    }
    drainNow();
    expect(total).toBe(threads * perThread);
    expect(outOfOrder).toBe(0);
    expect(next).toEqual([perThread, perThread, perThread, perThread]);
    expect(runtimeStats().wakeups).toBeGreaterThan(wakeupsBefore);
  });

  test(`${SLEEPS.toLocaleString("en")} completions from NNG's own task threads (nng_sleep_aio), in waves of 20,000`, async () => {
    const total = SLEEPS;
    const wave = 20_000;
    let done = 0;
    let failed = 0;
    setStressHooks(null, (result) => {
      done++;
      if (result !== 0) failed++;
    });
    try {
      for (let started = 0; started < total; started += wave) {
        expect(startSleeps(0, wave)).toBe(wave);
        await waitFor(() => done >= started + wave, 10_000, `sleep wave ending at ${started + wave}`);
      }
    } finally {
      setStressHooks(null, null);
    }
    expect(done).toBe(total);
    expect(failed).toBe(0);
    // Every op went back to the pool, which stayed bounded by one wave.
    const stats = runtimeStats();
    expect(stats.opsInUse).toBe(0);
    expect(stats.opsAllocated).toBeLessThanOrEqual(wave + 256 * 8);
  }, 30_000); // ~4 s alone on 2 shared cores: bun's default 5 s limit failed it under load
});

/**
 * One native producer, one completion at a time, each pushed once the drain has re-armed the ring:
 * every completion takes the threadsafe JSCallback wake-up path (Bun's has open crash reports, hence
 * design.md's "millions of wake-ups"). BUN_NNG_WAKEUPS sets the count (default 1,000,000, ~4 s).
 */
const WAKEUPS = Number(process.env.BUN_NNG_WAKEUPS ?? 1_000_000);

describe("the wake-up path", () => {
  test(
    `${WAKEUPS.toLocaleString("en")} wake-ups, one completion each: all delivered, in order`,
    async () => {
      let received = 0;
      let outOfOrder = 0;
      setStressHooks((_t, seq) => {
        if (seq !== received) outOfOrder++;
        received++;
      }, null);
      const before = runtimeStats().wakeups;
      const t0 = performance.now();
      const producer = native.bnng_test_wake_start(rt, WAKEUPS);
      expect(producer).toBeTruthy();
      try {
        await waitFor(() => runtimeStats().wakeups - before >= WAKEUPS, 120_000, `${WAKEUPS} wake-ups`);
        // The producer pushes nothing after the completion that reached the count: drain that one
        // (its node belongs to the producer), then join, which frees the node. (On a time-out the
        // producer is still running: it is left alone rather than joined under the ring.)
        drainNow();
        expect(native.bnng_test_flood_join(producer!)).toBe(1);
      } finally {
        setStressHooks(null, null);
      }
      const seconds = (performance.now() - t0) / 1000;
      const wakeups = runtimeStats().wakeups - before;
      console.log(
        `wake-up path: ${wakeups} wake-ups, ${received} completions in ${seconds.toFixed(1)} s (${((seconds * 1e6) / wakeups).toFixed(1)} us per wake-up)`,
      );
      expect(wakeups).toBeGreaterThanOrEqual(WAKEUPS);
      expect(received).toBeGreaterThanOrEqual(wakeups); // one completion per wake-up at least, none lost
      expect(outOfOrder).toBe(0);
    },
    180_000,
  );
});
