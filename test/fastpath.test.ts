// The fast paths of recvAio and sendAio (zig/ops.zig recvNow / sendAioNow): an operation the protocol
// can complete at once completes inline on the JS thread, without an op, a ring entry or a wake-up.
// What must hold: the same values as the asynchronous path, posting order kept, nothing lost, and a
// loop of awaited fast operations still lets the event loop turn.
import { describe, expect, test } from "bun:test";
import { recvAio, RecvAio, send, sendAio, setOpt, socket, subscribe, type Socket } from "../src/index";
import { runtimeStats } from "../src/runtime";
import { closeAfterEach, connectedPair, sleep, waitFor, type Transport } from "./helpers";

const own = closeAfterEach();

/**
 * Posts receives on `rx` until one completes inline (a message was already queued). Returns every
 * Aio posted, in posting order: the pending ones get the earlier messages as they arrive.
 */
async function receiveUntilInline<T>(rx: Socket, mode: "raw" | "serial" | "string"): Promise<RecvAio<T>[]> {
  const posted: RecvAio<T>[] = [];
  await waitFor(
    () => {
      // The caller states what its mode gives (T); the mode is only known here at run time.
      const a = recvAio(rx, { mode, timeout: 5000 }) as unknown as RecvAio<T>;
      posted.push(a);
      return !a.pending;
    },
    5000,
    "a receive to find its message already queued",
  );
  return posted;
}

describe("recvAio fast path", () => {
  for (const [transport, tx, rxp] of [
    ["inproc", "pub", "sub"],
    ["ipc", "push", "pull"],
    ["tcp", "pair", "pair"],
  ] as const) {
    test(`a queued message is taken inline, in posting order with pending receives (${tx}/${rxp} over ${transport})`, async () => {
      const [a, b] = connectedPair(own, transport as Transport, tx, rxp);
      if (rxp === "sub") {
        setOpt(a, "send-buffer", 512); // pub drops a pipe's oldest message when its queue is full
        setOpt(b, "recv-buffer", 512);
        subscribe(b, "");
      }
      // The first message tells us the connection is up (pub drops messages sent before it).
      const first = recvAio<number>(b, { timeout: 5000 });
      await waitFor(() => send(a, -1) === 0 && !first.unresolved, 5000, "the connection");
      expect(await first).toBe(-1);
      const count = 200;
      for (let i = 0; i < count; i++) expect(send(a, i, { block: 1000 })).toBe(0);
      const posted = await receiveUntilInline<number>(b, "serial");
      const opsBefore = runtimeStats().opsInUse;
      // Everything else: receive in posting order.
      const values: number[] = [];
      for (const r of posted) values.push(await r);
      while (values.filter((v) => v >= 0).length < count) values.push(await recvAio<number>(b, { timeout: 5000 }));
      const data = values.filter((v) => v >= 0);
      expect(data).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(runtimeStats().opsInUse).toBeLessThanOrEqual(opsBefore);
    });
  }

  test("an inline receive gives the pipe id, and decodes like the asynchronous path in every mode", async () => {
    const values: [unknown, "serial" | "string" | "raw"][] = [
      [{ a: [1, 2, 3], b: "x" }, "serial"],
      ["hello", "string"],
      [new Uint8Array([1, 2, 3, 250]), "raw"],
    ];
    for (const [value, mode] of values) {
      const [pull, push] = connectedPair(own, "inproc", "pull", "push");
      setOpt(push, "send-buffer", 64);
      const copies = 32;
      for (let i = 0; i < copies; i++) {
        await sendAio(push, value, { mode: mode === "serial" ? "serial" : "raw", timeout: 5000 });
      }
      // When one completes inline, every receive posted before it has had its message.
      const posted = await receiveUntilInline(pull, mode);
      expect(posted.length).toBeLessThanOrEqual(copies);
      expect(posted.at(-1)!.pipe).toBeGreaterThan(0);
      for (const r of posted) expect(await r).toEqual(value);
    }
  });

  test("large messages (4 KiB + 1, 64 KiB, 1 MiB) taken inline arrive whole (zero-copy or copied)", async () => {
    for (const size of [4097, 64 << 10, 1 << 20]) {
      const [pull, push] = connectedPair(own, "ipc", "pull", "push");
      setOpt(pull, "recv-size-max", 0);
      const big = new Uint8Array(size).map((_, i) => (i * 13 + size) & 255);
      const copies = 4;
      const sent = Array.from({ length: copies }, () => sendAio(push, big, { mode: "raw", timeout: 5000 }));
      const posted = await receiveUntilInline<Uint8Array>(pull, "raw");
      while (posted.length < copies) posted.push(recvAio<Uint8Array>(pull, { mode: "raw", timeout: 5000 }));
      for (const s of sent) expect(await s).toBe(0);
      for (const r of posted) {
        const got = await r;
        expect(got.length).toBe(size);
        expect(Buffer.compare(Buffer.from(got), Buffer.from(big))).toBe(0);
      }
    }
  });
});

describe("sendAio fast path", () => {
  test("push: a send that can go at once resolves inline; one that cannot waits and times out", async () => {
    const lone = own(socket("push"));
    // No peer: nothing can take it; the send goes on asynchronously with its own time-out.
    const t0 = performance.now();
    const waiting = sendAio(lone, "x", { timeout: 60 });
    expect(waiting.pending).toBe(true);
    expect((await waiting.then(() => 0, (e) => e.code))).toBe(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
    // timeout 0: fails at once with 5, as the asynchronous path would.
    const now = sendAio(lone, "x", { timeout: 0 });
    expect(now.pending).toBe(false);
    expect(now.result).toMatchObject({ code: 5 });

    const [pull, push] = connectedPair(own, "inproc", "pull", "push");
    // Room in push's own queue: a send goes at once even while the pipe is still busy with the
    // previous message (without it, whether the pipe is back on push's ready list is a race).
    setOpt(push, "send-buffer", 8);
    const first = recvAio(pull, { timeout: 5000 });
    await waitFor(() => send(push, "hi") === 0, 5000, "the connection");
    expect(await first).toBe("hi");
    const inline = sendAio(push, "fast");
    expect(inline.pending).toBe(false);
    expect(inline.result).toBe(0);
    expect(await recvAio(pull, { timeout: 5000 })).toBe("fast");
  });

  test("pub: thousands of awaited sends to a receiving sub lose nothing the sub keeps up with, and the event loop still turns", async () => {
    const [pub, sub] = connectedPair(own, "ipc", "pub", "sub");
    setOpt(pub, "send-buffer", 4096); // pub drops a pipe's oldest message when its queue is full
    setOpt(sub, "recv-buffer", 4096);
    subscribe(sub, "");
    const probe = recvAio(sub, { timeout: 5000 });
    await waitFor(() => send(pub, -1) === 0 && !probe.unresolved, 5000, "the subscription");
    let turned = false;
    setImmediate(() => (turned = true)); // runs when the event loop turns (a timeout might not be due yet)
    const count = 3000;
    for (let i = 0; i < count; i++) expect(await sendAio(pub, i, { timeout: 1000 })).toBe(0);
    // The budget of inline completions made the loop yield: the immediate ran meanwhile.
    expect(turned).toBe(true);
    const got: number[] = [];
    while (got.length < count) {
      const v = await recvAio<number>(sub, { timeout: 5000 });
      if (v >= 0) got.push(v);
    }
    expect(got).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  test("a receiving loop over a queue of 1,000 waiting messages still lets the event loop turn", async () => {
    const [pub, sub] = connectedPair(own, "inproc", "pub", "sub");
    setOpt(pub, "send-buffer", 2048);
    setOpt(sub, "recv-buffer", 2048);
    subscribe(sub, "");
    const probe = recvAio(sub, { timeout: 5000 });
    await waitFor(() => send(pub, -1) === 0 && !probe.unresolved, 5000, "the subscription");
    for (let i = 0; i < 1000; i++) expect(send(pub, i)).toBe(0);
    await sleep(100); // lets them reach the sub's queue (if some have not, the loop yields anyway)
    let turned = false;
    setImmediate(() => (turned = true)); // runs when the event loop turns (a timeout might not be due yet)
    const got: number[] = [];
    while (got.length < 1000) {
      const v = await recvAio<number>(sub, { timeout: 5000 });
      if (v >= 0) got.push(v);
    }
    expect(turned).toBe(true);
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
