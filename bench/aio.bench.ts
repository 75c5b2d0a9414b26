// Asynchronous I/O: one sendAio to its resolution, and the JavaScript cost per completed Aio with 1000
// in flight. See bench/README.md for the targets.
import { bench, group, run } from "mitata";
import { cv, cvReset, recv, recvAio, send, sendAio, setOpt, socket, subscribe, until, type RecvAio } from "../src/index";
import { drainNow } from "../src/runtime";
import { setFastIo } from "../src/io";
import { avgOf, fmtMeanMedian, fmtNs, inproc, summary } from "./util";

const payload = new Uint8Array(64).fill(7);
const RAW = { mode: "raw" } as const;
const IN_FLIGHT = 1000;

const pipeline = inproc("aio");
const pull = socket("pull", { listen: pipeline });
const push = socket("push", { dial: pipeline });
await Promise.all([recvAio(pull, RAW), sendAio(push, payload, RAW)]); // connected (inproc dials in the background)
// Warm up the path (JIT, op pool, NNG's threads) before mitata's own short warm-up.
for (let i = 0; i < 2000; i++) await Promise.all([recvAio(pull, RAW), sendAio(push, payload, RAW)]);

const signalled = cv();

/** Waits (blocking, off the event loop) until `n` receives given `signalled` have completed. */
function awaitSignals(n: number): void {
  for (let got = 0; got < n; got++) {
    if (!until(signalled, 5000)) throw new Error(`only ${got} of ${n} receives completed within 5 s`);
  }
}

group("sendAio, inproc push/pull, 64 B raw", () => {
  // Timed: `await sendAio(...)` alone: the encode (raw bytes pass through) and the FFI call that
  // offers the message to push at once (the fast path: push takes it inline when its pipe is ready,
  // so no ring entry and no wake-up; else NNG hands it over on its threads, and the completion comes
  // through the ring, a wake-up, the drain), and the promise. Not timed: the synchronous recv() on the pull side that takes the message
  // afterwards, so that nothing queues up.
  bench("await sendAio(push, 64 B)", function* () {
    yield {
      async manual() {
        const t0 = Bun.nanoseconds();
        await sendAio(push, payload, RAW);
        const t1 = Bun.nanoseconds();
        recv(pull, { mode: "raw", block: true });
        return t1 - t0;
      },
    };
  });

  // The submission alone: the synchronous sendAio() call on the JS thread (the rest of the above
  // happens after it returns). Same set-up; the await and the recv() are not timed.
  bench("sendAio(push, 64 B) call alone (submission)", function* () {
    yield {
      async manual() {
        const t0 = Bun.nanoseconds();
        const sent = sendAio(push, payload, RAW);
        const t1 = Bun.nanoseconds();
        await sent;
        recv(pull, { mode: "raw", block: true });
        return t1 - t0;
      },
    };
  });

  // The whole asynchronous message, for comparison: both operations and their completions.
  bench("sendAio -> recvAio round trip", async () => {
    const r = recvAio(pull, RAW);
    sendAio(push, payload, RAW);
    await r;
  });

  // The same with the fast paths off (BUN_NNG_FAST_IO=0): the send completes through the ring too.
  bench("sendAio -> recvAio round trip, fast paths off", async () => {
    const was = setFastIo(false);
    const r = recvAio(pull, RAW);
    sendAio(push, payload, RAW);
    await r;
    setFastIo(was);
  });
});

group(`${IN_FLIGHT} recvAio in flight, 64 B raw (time per completed Aio)`, () => {
  // The JavaScript cost per completed Aio. Not timed: starting the 1000 receives (one FFI call
  // each), awaiting them (Promise.all calls each Aio's then(), which makes its promise), sending 1000
  // messages synchronously from the push socket, and waiting (on a cv the completions signal
  // natively) until all 1000 completions are in the ring. Timed: drainNow() (two bnng_drain FFI
  // calls of up to 512 entries, looking up each entry's Aio, copying its inline 64-byte payload out
  // of the ring, decoding it (raw: as is), settling the Aio and resolving its promise) and the
  // `await` of Promise.all (the 1000 promise reactions and Promise.all's own bookkeeping). No wake-up
  // is timed: the drain is called directly, as a synchronous accessor would.
  bench("drain + promise resolution, per Aio", function* () {
    yield {
      async manual() {
        cvReset(signalled);
        const aios: RecvAio<Uint8Array>[] = new Array(IN_FLIGHT);
        for (let i = 0; i < IN_FLIGHT; i++) aios[i] = recvAio<Uint8Array>(pull, { mode: "raw", cv: signalled });
        const all = Promise.all(aios);
        for (let i = 0; i < IN_FLIGHT; i++) send(push, payload, { mode: "raw", block: true });
        awaitSignals(IN_FLIGHT);
        const t0 = Bun.nanoseconds();
        drainNow();
        const got = await all;
        const t1 = Bun.nanoseconds();
        if (got.length !== IN_FLIGHT || got[IN_FLIGHT - 1]!.length !== 64) throw new Error("short receive");
        return (t1 - t0) / IN_FLIGHT;
      },
    };
  });

  // The whole cycle as a program would write it, for context: 1000 recvAio and 1000 sendAio in
  // flight at once, all awaited (the event loop's wake-ups drive the drains). Per message, so two
  // Aios each; includes the submission FFI calls and NNG's work for both sides. (Synchronous
  // sends, as in the set-up above, would cost a thread round trip each: several µs.)
  bench("recvAio x1000 + sendAio x1000, await all, per message", function* () {
    yield {
      async manual() {
        const t0 = Bun.nanoseconds();
        const aios: PromiseLike<unknown>[] = new Array(2 * IN_FLIGHT);
        for (let i = 0; i < IN_FLIGHT; i++) aios[i] = recvAio<Uint8Array>(pull, RAW);
        for (let i = 0; i < IN_FLIGHT; i++) aios[IN_FLIGHT + i] = sendAio(push, payload, RAW);
        await Promise.all(aios);
        return (Bun.nanoseconds() - t0) / IN_FLIGHT;
      },
    };
  });
});

// Its own pair, pub to sub: a sub queues what arrives (recv-buffer), so the messages really wait
// at the receiver (pull takes one at a time from its pipe, the rest wait at the sender).
const queued = inproc("aio-queued");
const qpub = socket("pub", { listen: queued });
const qsub = socket("sub", { dial: queued });
setOpt(qpub, "send-buffer", 1024);
setOpt(qsub, "recv-buffer", 1024);
subscribe(qsub, "");
{
  const probe = recvAio(qsub, RAW);
  while (probe.unresolved) {
    send(qpub, payload, RAW);
    await Bun.sleep(1);
  }
  await Bun.sleep(20);
  while (!(recv(qsub, { mode: "raw", block: false }) instanceof Error)); // empty the queue
}

group("1000 messages queued at a sub, recvAio each (time per message)", () => {
  // Not timed: 1000 synchronous pub sends and a wait until the sub's queue has them. Timed: receiving
  // them one awaited recvAio at a time, with the fast path (a queued message is taken inline, at
  // most 256 per event-loop turn) and without (each receive completes through the ring).
  for (const fast of [true, false]) {
    bench(`await recvAio x1000, fast paths ${fast ? "on" : "off"}`, function* () {
      yield {
        async manual() {
          for (let i = 0; i < IN_FLIGHT; i++) send(qpub, payload, RAW);
          await Bun.sleep(5); // until they are in the sub's queue
          const was = setFastIo(fast);
          const t0 = Bun.nanoseconds();
          for (let i = 0; i < IN_FLIGHT; i++) await recvAio(qsub, RAW);
          const t1 = Bun.nanoseconds();
          setFastIo(was);
          return (t1 - t0) / IN_FLIGHT;
        },
      };
    });
  }
});

const results = await run();

push.close();
pull.close();
qpub.close();
qsub.close();
signalled.close();

const perAio = avgOf(results, "drain + promise resolution, per Aio");
summary("aio.bench.ts", [
  ["await sendAio (inproc push/pull, 64 B raw)", fmtMeanMedian(results, "await sendAio(push, 64 B)")],
  ["  of which the sendAio() call (submission)", fmtMeanMedian(results, "sendAio(push, 64 B) call alone (submission)")],
  ["sendAio -> recvAio round trip", fmtMeanMedian(results, "sendAio -> recvAio round trip")],
  ["  the same, fast paths off", fmtMeanMedian(results, "sendAio -> recvAio round trip, fast paths off")],
  ["recvAio of a queued message, fast paths on", fmtMeanMedian(results, "await recvAio x1000, fast paths on")],
  ["  the same, fast paths off", fmtMeanMedian(results, "await recvAio x1000, fast paths off")],
  [`JS cost per completed Aio, ${IN_FLIGHT} in flight`, `${fmtNs(perAio)}  (target <= 1 µs: ${perAio <= 1000 ? "met" : "NOT met"})`],
  [`whole cycle, ${IN_FLIGHT} recvAio + ${IN_FLIGHT} sendAio, per message`, fmtMeanMedian(results, "recvAio x1000 + sendAio x1000, await all, per message")],
]);
