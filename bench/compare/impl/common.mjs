// What every JavaScript side of the comparison shares (Bun and Node alike): the key=value arguments,
// the payload, the READY line, the measurement window and its JSON line, and the guards that keep a
// server from outliving the harness. The native and Python sides do the same in their own languages.
//
// Protocol with bench/compare/run.ts: the server prints READY once it listens and runs until killed;
// the client waits until traffic flows, runs `warmup` ms, counts completions for `duration` ms and
// prints {"ok":true,"count":N,"seconds":S,"rate":R} (or {"ok":false,"error":...} or
// {"ok":false,"unsupported":...}) as its last line.

/** Parses key=value arguments; numeric values become numbers. */
export function parseArgs(argv = process.argv.slice(2)) {
  const a = { role: "", pattern: "", url: "", size: 64, conc: 1, subs: 8, warmup: 250, duration: 1000, lifetime: 120000, parent: 0 };
  for (const arg of argv) {
    const i = arg.indexOf("=");
    if (i < 0) fail(`argument ${arg}: expected key=value`);
    const k = arg.slice(0, i);
    const v = arg.slice(i + 1);
    a[k] = /^-?\d+$/.test(v) ? Number(v) : v;
  }
  if (a.role !== "server" && a.role !== "client" && a.role !== "probe") fail(`role must be server, client or probe`);
  return a;
}

/** A payload of `size` bytes (not all zero, so nothing can compress or special-case it). */
export function makePayload(size) {
  const p = new Uint8Array(size);
  for (let i = 0; i < size; i++) p[i] = (i * 7 + 1) & 0xff;
  return p;
}

export function print(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

export function fail(error) {
  print({ ok: false, error: String(error) });
  process.exit(1);
}

export function unsupported(reason) {
  print({ ok: false, unsupported: reason });
  process.exit(3);
}

export function ready() {
  process.stdout.write("READY\n");
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Exits when the harness (parent pid) is gone, or after `lifetime` ms, whichever comes first. */
export function guard(args) {
  const end = Date.now() + args.lifetime;
  const t = setInterval(() => {
    if (Date.now() > end) process.exit(0);
    if (args.parent > 0) {
      try {
        process.kill(args.parent, 0);
      } catch {
        process.exit(0);
      }
    }
  }, 250);
  t.unref?.();
}

/** Resolves once `cond()` holds (polled every 2 ms); fails the run after `ms`. */
export async function waitUntil(cond, ms, what) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) fail(`${what} after ${ms / 1000} s`);
    await sleep(2);
  }
}

/**
 * Warm-up, then the measurement window over `count()`; prints the result and exits. `note` says how
 * the implementation had to depart from the scenario (shown under the results table).
 */
export async function measure(args, count, note) {
  await sleep(args.warmup);
  const c0 = count();
  const t0 = performance.now();
  await sleep(args.duration);
  const c1 = count();
  const t1 = performance.now();
  const seconds = (t1 - t0) / 1000;
  print({ ok: true, count: c1 - c0, seconds, rate: (c1 - c0) / seconds, ...(note ? { note } : {}) });
  process.exit(0);
}
