// Idiomatic async: async iteration over sockets and contexts, and an AbortSignal on every async call.
import { describe, expect, test } from "bun:test";
import {
  context,
  cv,
  cvSignal,
  messages,
  NngError,
  recvAio,
  reply,
  request,
  send,
  sendAio,
  socket,
  subscribe,
  waitAsync,
  type Socket,
} from "../src/index";
import { TRANSPORTS, uniqueAddress, waitFor, closeAfterEach } from "./helpers";

const own = closeAfterEach();

function pushPull(t: (typeof TRANSPORTS)[number]): [Socket, Socket] {
  const pull = own(socket("pull", { listen: uniqueAddress(t) }));
  const push = own(socket("push", { dial: pull.listeners[0]!.url }));
  return [push, pull];
}

describe("async iteration", () => {
  for (const t of TRANSPORTS) {
    test(`for await over a socket yields every message and ends when it closes (${t})`, async () => {
      const [push, pull] = pushPull(t);
      const got: unknown[] = [];
      const loop = (async () => {
        for await (const msg of pull) got.push(msg);
      })();
      for (let i = 0; i < 20; i++) expect(await sendAio(push, { i }, { timeout: 2000 })).toBe(0);
      await waitFor(() => got.length === 20, 3000, "20 messages");
      pull.close();
      await loop; // ends cleanly, no throw
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })));
    });
  }

  test("messages() takes a receive mode; break stops without losing the next message", async () => {
    const [push, pull] = pushPull("inproc");
    // Not awaited: push/pull hold only a message or two in flight until someone receives.
    const sends = ["a", "b", "c"].map((s) => sendAio(push, s, { mode: "raw", timeout: 2000 }));
    const got: string[] = [];
    for await (const m of messages<string>(pull, { mode: "string" })) {
      got.push(m);
      if (got.length === 2) break;
    }
    expect(got).toEqual(["a", "b"]);
    for await (const m of messages<string>(pull, { mode: "string" })) {
      expect(m).toBe("c");
      break;
    }
    expect(await Promise.all(sends)).toEqual([0, 0, 0]);
  });

  test("a sub socket iterates its subscribed topics; a context iterates too", async () => {
    const pub = own(socket("pub", { listen: uniqueAddress("inproc") }));
    const sub = own(socket("sub", { dial: pub.listeners[0]!.url }));
    subscribe(sub, "keep");
    const got: string[] = [];
    const loop = (async () => {
      for await (const m of messages<string>(sub, { mode: "string" })) got.push(m);
    })();
    await waitFor(
      () => {
        send(pub, "keep:probe", { mode: "raw" });
        return got.length > 0;
      },
      3000,
      "the sub to connect",
    );
    send(pub, "drop:x", { mode: "raw" });
    send(pub, "keep:last", { mode: "raw" });
    await waitFor(() => got.includes("keep:last"), 3000, "keep:last");
    sub.close();
    await loop;
    expect(got.every((m) => m.startsWith("keep:"))).toBe(true);

    const rep = own(socket("rep", { listen: uniqueAddress("inproc") }));
    const req = own(socket("req", { dial: rep.listeners[0]!.url }));
    const ctx = own(context(rep));
    const answers = (async () => {
      for await (const q of ctx) await sendAio(ctx, (q as number) + 1);
    })();
    expect(await request(context(req), 41, { timeout: 2000 })).toBe(42);
    expect(await request(context(req), 1, { timeout: 2000 })).toBe(2);
    ctx.close();
    await answers;
  });

  test("an AbortSignal ends the iteration", async () => {
    const [, pull] = pushPull("inproc");
    const ac = new AbortController();
    const loop = (async () => {
      let n = 0;
      for await (const _ of messages(pull, { signal: ac.signal })) n++;
      return n;
    })();
    setTimeout(() => ac.abort(), 20);
    expect(await loop).toBe(0);
  });
});

describe("AbortSignal on every async call", () => {
  const aborted = async (p: PromiseLike<unknown>) =>
    p.then(
      () => "resolved",
      (e: NngError) => e.code,
    );

  test("recvAio, sendAio and request: abort stops them with error 20", async () => {
    const [push, pull] = pushPull("inproc");
    const ac1 = new AbortController();
    const r = recvAio(pull, { signal: ac1.signal });
    ac1.abort();
    expect(await aborted(r)).toBe(20);

    const lonely = own(socket("push")); // no peer: a send waits
    const ac2 = new AbortController();
    const s = sendAio(lonely, "x", { signal: ac2.signal });
    ac2.abort();
    expect(await aborted(s)).toBe(20);

    const req = own(socket("req", { listen: uniqueAddress("inproc") })); // nobody answers
    const ac3 = new AbortController();
    const q = request(context(req), "?", { signal: ac3.signal });
    setTimeout(() => ac3.abort(), 10);
    expect(await aborted(q)).toBe(20);

    // Already aborted: resolved at once with 20, nothing started.
    expect(await aborted(recvAio(pull, { signal: AbortSignal.abort() }))).toBe(20);
    expect(await aborted(sendAio(push, 1, { signal: AbortSignal.abort() }))).toBe(20);
  });

  test("reply: abort while waiting for a request resolves it with error 20 (never rejects)", async () => {
    const rep = own(socket("rep", { listen: uniqueAddress("inproc") }));
    const ac = new AbortController();
    const pending = reply(context(rep), (x) => x, { signal: ac.signal });
    ac.abort();
    const rv = await pending;
    expect(rv).toBeInstanceOf(NngError);
    expect((rv as NngError).code).toBe(20);
  });

  test("waitAsync: resolves true when signalled, false on time-out, rejects with 20 on abort", async () => {
    const c = own(cv());
    setTimeout(() => cvSignal(c), 10);
    expect(await waitAsync(c, 2000)).toBe(true);
    expect(await waitAsync(c, 20)).toBe(false);
    const ac = new AbortController();
    const w = waitAsync(c, undefined, { signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    expect(await aborted(w)).toBe(20);
    expect(await aborted(waitAsync(c, 100, { signal: AbortSignal.abort() }))).toBe(20);
    // The aborted wait did not consume a later signal.
    cvSignal(c);
    expect(await waitAsync(c, 2000)).toBe(true);
  });
});

describe("async iteration over a stream", () => {
  test("for await yields the bytes as they arrive and ends when the peer closes", async () => {
    const { stream } = await import("../src/index");
    const got: number[] = [];
    let peerClosed = false;
    const server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open(sock) {
          sock.write(new Uint8Array([1, 2, 3]));
          setTimeout(() => {
            sock.write(new Uint8Array([4, 5]));
            setTimeout(() => {
              peerClosed = true;
              sock.end();
            }, 20);
          }, 20);
        },
        data() {},
      },
    });
    try {
      const s = own(await stream({ dial: `tcp://127.0.0.1:${server.port}` }));
      for await (const chunk of s) got.push(...(chunk as Uint8Array));
      expect(peerClosed).toBe(true);
      expect(got).toEqual([1, 2, 3, 4, 5]);
    } finally {
      server.stop(true);
    }
  });

  test("messages() over a stream takes a mode and ends when the stream is closed locally", async () => {
    const { stream } = await import("../src/index");
    const server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: { open: (sock) => void sock.write("hello"), data() {} },
    });
    try {
      const s = await stream({ dial: `tcp://127.0.0.1:${server.port}` });
      const seen: string[] = [];
      for await (const text of messages<string>(s, { mode: "string" })) {
        seen.push(text);
        s.close();
      }
      expect(seen.join("")).toBe("hello");
    } finally {
      server.stop(true);
    }
  });
});
