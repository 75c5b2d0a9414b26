// The completion ring's drain, per batch size: ns per completion for N = 1, 16, 256, 4096 completions
// waiting in the ring. See bench/README.md.
//
// The completions come from the shim's flood test hook (zig/flood.zig): a native thread pushes N
// entries that carry no op, as NNG's threads would, and the drain hands each to the flood hook
// (setStressHooks in src/runtime.ts) instead of an Aio. So this is the ring and the drain loop alone:
// the bnng_drain FFI calls (one per 512 entries, plus the one that finds the ring empty), the copy of
// each 128-byte entry into the batch buffer, reading its kind, and one JavaScript call per entry. The
// per-Aio work on top of that (settling, decoding, promises) is in aio.bench.ts.
import { bench, group, run } from "mitata";
import type { Pointer } from "bun:ffi";
import { native } from "../src/ffi";
import { drainNow, rt, runtimeStats, setStressHooks } from "../src/runtime";
import { avgOf, fmtNs, summary, type BenchState } from "./util";

const SIZES = [1, 16, 256, 4096];

let received = 0;
let target = 0;
let done: (() => void) | null = null;
setStressHooks(() => {
  if (++received === target && done) {
    done();
    done = null;
  }
}, null);

function floodStart(n: number): Pointer {
  const f = native.bnng_test_flood_start(rt, 1, n) as Pointer | null;
  if (!f) throw new Error("bnng_test_flood_start failed");
  return f;
}

const spilledBefore = runtimeStats().spilled;

// Flood entries are not Aios, so nothing refs the event loop while they are in flight (the runtime
// refs it only for tracked ops). Without a ref'd handle Bun's loop does not sleep in epoll and a
// threadsafe wake-up is noticed milliseconds late; with one (as whenever an Aio is in flight) it
// takes microseconds. Keep one ref'd for the run, to measure the path Aios take.
const keepAlive = setInterval(() => {}, 1 << 30);

group("ring drain, N completions already in the ring (time per completion)", () => {
  // Not timed: starting the flood thread and joining it, so that all N entries are in the ring when
  // the clock starts. (Joining frees the thread's nodes; that is safe here because the ring copies
  // entries and holds 8192, so N <= 4096 never spills into the node-linked overflow list; checked
  // at the end.) Timed: drainNow(), exactly what the wake-up callback runs. The wake-up itself is not
  // timed; its callbacks run later and find the ring empty.
  bench("drain $n", function* (state: BenchState) {
    const n: number = state.get("n");
    yield {
      manual() {
        received = 0;
        native.bnng_test_flood_join(floodStart(n));
        const t0 = Bun.nanoseconds();
        drainNow();
        const t1 = Bun.nanoseconds();
        if (received !== n) throw new Error(`drained ${received} of ${n}`);
        return (t1 - t0) / n;
      },
    };
  }).args("n", SIZES);
});

group("ring end to end: flood thread start -> wake-up -> drain -> last hook (time per completion)", () => {
  // Timed: spawning the native thread, its N pushes, the threadsafe wake-up of the JS thread, the
  // drains it triggers (the thread may still be pushing, so several), and the promise that the last
  // hook resolves. Thread creation is tens of µs: the baseline below (start + join of a thread that
  // pushes nothing) is an upper bound for it, since it also waits for the thread to exit.
  bench("end to end $n", function* (state: BenchState) {
    const n: number = state.get("n");
    yield {
      async manual() {
        received = 0;
        target = n;
        const t0 = Bun.nanoseconds();
        const all = new Promise<void>((resolve) => (done = resolve));
        const f = floodStart(n);
        await all;
        const t1 = Bun.nanoseconds();
        native.bnng_test_flood_join(f);
        return (t1 - t0) / n;
      },
    };
  }).args("n", SIZES);

  bench("baseline: flood thread start + join, 0 completions", () => {
    native.bnng_test_flood_join(floodStart(0));
  });
});

group("timer", () => {
  // What two Bun.nanoseconds() calls add to every manual sample above (divided by N there).
  bench("empty sample (timer overhead)", function* () {
    yield {
      manual() {
        const t0 = Bun.nanoseconds();
        return Bun.nanoseconds() - t0;
      },
    };
  });
});

const results = await run();
setStressHooks(null, null);
clearInterval(keepAlive);

const spilled = runtimeStats().spilled - spilledBefore;
if (spilled !== 0) throw new Error(`${spilled} entries spilled past the ring: the drain numbers are invalid`);

summary("ring.bench.ts (ns per completion)", [
  ...SIZES.map((n): [string, string] => [
    `N = ${n}`,
    `drain ${fmtNs(avgOf(results, `drain ${n}`))}   end to end ${fmtNs(avgOf(results, `end to end ${n}`))}`,
  ]),
  ["thread start + join (end-to-end baseline)", fmtNs(avgOf(results, "baseline: flood thread start + join, 0 completions"))],
  ["timer overhead per sample (in each figure / N)", fmtNs(avgOf(results, "empty sample (timer overhead)"))],
]);
