// Stress of the completion ring from JavaScript: completions pushed from many native threads are all
// delivered, in per-producer order, through the threadsafe wake-up, with none lost.
import { describe, expect, test } from "bun:test";
import { native } from "../src/ffi";
import { drainNow, rt, runtimeStats, setStressHooks, startSleeps } from "../src/runtime";
import { waitFor } from "./helpers";

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

  test("1,000,000 completions from NNG's own task threads (nng_sleep_aio), in waves of 20,000", async () => {
    const total = 1_000_000;
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
