// Zero-copy receive: a message too large to travel inside the ring entry is handed to JavaScript as
// a view of the NNG message itself, freed by the shim when the buffer is garbage-collected.
import { expect, test } from "bun:test";
import { toArrayBuffer } from "bun:ffi";
import { native } from "../src/ffi";
import { recvAio, sendAio, socket } from "../src/index";
import { uniqueAddress, waitFor } from "./helpers";

const liveKiB = new Uint32Array(toArrayBuffer(native.bnng_live_kib_ptr()!, 0, 4));

test("large received messages are views of NNG's message, freed when collected", async () => {
  using pull = socket("pull", { listen: uniqueAddress("inproc") });
  using push = socket("push", { dial: pull.listeners[0]!.url });
  Bun.gc(true);
  const before = liveKiB[0]!;
  const big = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 255);
  await (async () => {
    for (let i = 0; i < 40; i++) {
      const r = recvAio<Uint8Array>(pull, { mode: "raw" });
      expect(await sendAio(push, big, { mode: "raw", timeout: 2000 })).toBe(0);
      const got = await r;
      expect(got.length).toBe(big.length);
      expect(got[0]).toBe(0);
      expect(got[1000]).toBe((1000 * 7) & 255);
      expect(got[big.length - 1]).toBe(((big.length - 1) * 7) & 255);
    }
    // While the last one is referenced, its KiB are counted.
    expect(liveKiB[0]!).toBeGreaterThan(before);
  })();
  // Nothing references them now: collection frees the messages and the count comes back down.
  await waitFor(
    () => {
      Bun.gc(true);
      return liveKiB[0]! <= before + 1024;
    },
    5000,
    "zero-copy buffers to be collected",
  );
});

test("decoded typed arrays over a zero-copy message read the right values", async () => {
  using pull = socket("pull", { listen: uniqueAddress("inproc") });
  using push = socket("push", { dial: pull.listeners[0]!.url });
  const values = Float64Array.from({ length: 10_000 }, (_, i) => i / 3);
  const r = recvAio<Float64Array>(pull, { mode: "double" });
  expect(await sendAio(push, values, { mode: "raw", timeout: 2000 })).toBe(0);
  const got = await r;
  expect(got).toBeInstanceOf(Float64Array);
  expect(got.length).toBe(values.length);
  expect(got[9999]).toBe(9999 / 3);
});
