// The completion drain against the user code it runs. A batch of completions is delivered in one
// go, and user code runs in the middle of it (a serialConfig hook while a value is decoded, an
// AbortSignal's listener bookkeeping when an Aio settles): that code may act on the batch's other
// Aios, whose native ops are already back in the shim's pool, or it may throw.
import { describe, expect, test } from "bun:test";
import {
  callAio,
  msleep,
  recvAio,
  send,
  serialConfig,
  setOpt,
  socket,
  stopAio,
  unresolved,
  type RecvAio,
} from "../src/index";
import { closeAfterEach, sleep, uniqueAddress } from "./helpers";

const own = closeAfterEach();

/** A push -> pull pair over inproc, connected. */
async function pipeline(): Promise<{ push: ReturnType<typeof socket<"push">>; pull: ReturnType<typeof socket<"pull">> }> {
  const url = uniqueAddress("inproc");
  const pull = own(socket("pull", { listen: url }));
  const push = own(socket("push", { dial: url }));
  await sleep(10);
  return { push, pull };
}

class Trigger {
  constructor(readonly n: number) {}
}

describe("code running inside the drain", () => {
  for (const action of ["stopAio", "callAio", "an abort"] as const) {
    test(`${action} on an Aio of the same batch does not reach the operation that reused its op`, async () => {
      const a = await pipeline();
      const v = await pipeline();
      const b = await pipeline();
      let victim: RecvAio<Uint8Array> | null = null;
      const victimAbort = new AbortController();
      let fresh: RecvAio<Uint8Array> | null = null;
      const cfg = serialConfig(
        Trigger,
        (t: Trigger) => t.n,
        (n: number) => {
          if (victim !== null && fresh === null) {
            // A new receive first: it may be given the op the victim's completion just freed.
            fresh = recvAio(b.pull, { mode: "raw", timeout: 3000 });
            if (action === "stopAio") stopAio(victim);
            else if (action === "callAio") callAio(victim);
            else victimAbort.abort();
          }
          return new Trigger(n);
        },
      );
      setOpt(a.pull, "serial", cfg);
      setOpt(a.push, "serial", cfg);
      const trigger = recvAio<Trigger>(a.pull, { timeout: 3000 });
      victim = recvAio(v.pull, { mode: "raw", timeout: 3000, signal: victimAbort.signal });
      expect(send(a.push, new Trigger(1), { mode: "next", block: true })).toBe(0);
      expect(send(v.push, "victim-data", { mode: "raw", block: true })).toBe(0);
      msleep(50); // both completions wait in the ring: one batch, the trigger's first
      expect(unresolved(trigger.data)).toBe(false);
      expect(fresh).not.toBeNull();
      // The victim had completed natively: it keeps its message.
      expect(new TextDecoder().decode(await victim!)).toBe("victim-data");
      // The unrelated receive was not touched: it gets its own message.
      expect(send(b.push, "fresh-data", { mode: "raw", block: true })).toBe(0);
      expect(new TextDecoder().decode(await fresh!)).toBe("fresh-data");
    });
  }

  test("an exception thrown in the drain does not lose the rest of the batch; it is thrown afterwards", async () => {
    const { push, pull } = await pipeline();
    const ac = new AbortController();
    // User code reached when the first Aio settles throws.
    Object.defineProperty(ac.signal, "removeEventListener", {
      value: () => {
        throw new Error("user listener bookkeeping threw");
      },
    });
    const first = recvAio<string>(pull, { mode: "string", timeout: 2000, signal: ac.signal });
    const others = Array.from({ length: 20 }, () => recvAio<string>(pull, { mode: "string", timeout: 2000 }));
    for (let i = 0; i < 21; i++) expect(send(push, `msg${i}`, { mode: "raw", block: true })).toBe(0);
    msleep(30); // all 21 completions wait in the ring: one batch
    let thrown: unknown = null;
    try {
      void first.data; // drains: the first completion's settle throws
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).toContain("user listener bookkeeping threw");
    // The first Aio settled with its message anyway, and so did every other one, at once.
    expect(first.data).toBe("msg0");
    expect(others.map((o) => o.data)).toEqual(Array.from({ length: 20 }, (_, i) => `msg${i + 1}`));
  });
});
