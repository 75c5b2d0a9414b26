// request / reply (nanonext semantics) with contexts: across two processes over ipc and tcp, 10,000
// concurrent requests against 64 reply contexts, a failing handler answered by a nul byte, closing a
// context under an in-flight request; surveys with a surveyor context and three respondents; topic
// filtering with subscribe / unsubscribe (sockets and contexts); a raw req/rep broker via device().
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  context,
  cv,
  cvValue,
  device,
  dial,
  isErrorValue,
  isNulByte,
  listen,
  NngError,
  pipeNotify,
  recv,
  RecvAio,
  recvAio,
  reply,
  request,
  send,
  sendAio,
  socket,
  subscribe,
  surveyTime,
  unresolved,
  unsubscribe,
  UNRESOLVED,
  type Context,
  type Cv,
  type Protocol,
  type Socket,
} from "../src/index";
import { inFlightCount } from "../src/runtime";
import { TRANSPORTS, uniqueAddress, waitFor, type Transport, closeAfterEach, connectedPair, rejection, sleep } from "./helpers";
import { startRepServer, type RepServer } from "./fixtures/server";

const track = closeAfterEach();

/** A listening socket of `a` and a dialing socket of `b`, closed after the test. */
const connected = (transport: Transport, a: Protocol, b: Protocol) => connectedPair(track, transport, a, b);

/**
 * A cv counting the connections (pipes) added to `sock` from now on: set it up before anything
 * connects, then `waitFor(() => cvValue(c) >= n)`. (Not stat(sock, "pipes"): see options.test.ts.)
 */
function pipeCounter(sock: Socket): Cv {
  const c = track(cv());
  pipeNotify(sock, c, { add: true });
  return c;
}

/** Serves `execute` with reply() on `n` contexts of `rep` until the socket closes; counts per context. */
function serveContexts(
  rep: Socket,
  n: number,
  execute: (x: any) => unknown,
): { served: number[]; total: () => number; done: Promise<number[]> } {
  const served = new Array<number>(n).fill(0);
  const done = Promise.all(
    served.map(async (_, i) => {
      const ctx = context(rep);
      for (;;) {
        const rv = await reply(ctx, execute);
        if (isErrorValue(rv)) return rv.code; // closed
        served[i]!++;
      }
    }),
  );
  return { served, total: () => served.reduce((a, b) => a + b, 0), done };
}

describe("request/reply with a server in another process", () => {
  for (const transport of ["ipc", "tcp"] as const) {
    describe(transport, () => {
      let server: RepServer;

      beforeAll(async () => {
        server = await startRepServer(uniqueAddress(transport), 8);
      });

      afterAll(async () => {
        await server?.stop();
      });

      test(`the server listens in another process (${transport})`, () => {
        expect(server.pid).toBeGreaterThan(0);
        expect(server.pid).not.toBe(process.pid);
        expect(server.url.startsWith(`${transport}://`)).toBe(true);
        if (transport === "tcp") expect(server.url).toMatch(/^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
      });

      test(`16 req contexts x 12 concurrent requests, each answered by the server process (${transport})`, async () => {
        const req = track(socket("req", { dial: server.url }));
        const ctxs = Array.from({ length: 16 }, () => context(req));
        const answers: { id: number; n: number; pid: number }[] = [];
        await Promise.all(
          ctxs.map(async (ctx, c) => {
            for (let k = 0; k < 12; k++) {
              const id = c * 1000 + k;
              const r = request<{ id: number; n: number; pid: number }>(ctx, { id, n: id + 0.5 }, { timeout: 4000 });
              expect(r).toBeInstanceOf(RecvAio);
              const a = await r;
              expect(a).toEqual({ id, n: (id + 0.5) * 2, pid: server.pid });
              answers.push(a);
            }
          }),
        );
        expect(answers.length).toBe(16 * 12);
        expect(new Set(answers.map((a) => a.id)).size).toBe(answers.length);

        // A plain number, on the socket itself (no context).
        expect(await request<number>(req, 21, { timeout: 4000 })).toBe(42);
        expect(await request<number>(req, "pid", { timeout: 4000, recvMode: "serial" })).toBe(server.pid);
      });

      test(`a handler that throws in the server gives the requester a nul byte (${transport})`, async () => {
        const req = track(socket("req", { dial: server.url }));
        const ctx = context(req);
        const boom = await request(ctx, "boom", { timeout: 4000 });
        expect(boom).toBeInstanceOf(Uint8Array);
        expect(isNulByte(boom)).toBe(true);
        const rejected = await request(ctx, "reject", { timeout: 4000 });
        expect(isNulByte(rejected)).toBe(true);
        // In raw mode too: exactly one byte, 0.
        expect(await request(ctx, "boom", { timeout: 4000, recvMode: "raw" })).toEqual(new Uint8Array([0]));
        // The server's reply loops go on.
        expect(await request(ctx, 50, { timeout: 4000 })).toBe(100);
        expect(isNulByte(100)).toBe(false);
      });

      test(`the server's contexts work concurrently: 8 slow (150 ms) requests take far less than 8 x 150 ms (${transport})`, async () => {
        const req = track(socket("req", { dial: server.url }));
        // Connected first, so the timing below measures the server only.
        expect(await request(req, 1, { timeout: 4000 })).toBe(2);
        const t0 = performance.now();
        const got = await Promise.all(
          Array.from({ length: 8 }, (_, i) => request(context(req), { delay: 150, value: `slow ${i}` }, { timeout: 4000 })),
        );
        const elapsed = performance.now() - t0;
        expect(got).toEqual(Array.from({ length: 8 }, (_, i) => `slow ${i}`));
        expect(elapsed).toBeGreaterThanOrEqual(140);
        expect(elapsed).toBeLessThan(900);
      });
    });
  }

  for (const transport of ["ipc", "tcp"] as const) {
    test(`the server closes its socket on request and exits 0; a later request times out (${transport})`, async () => {
      const server = await startRepServer(uniqueAddress(transport), 2);
      try {
        const req = track(socket("req", { dial: server.url }));
        expect(await request(req, "close", { timeout: 4000 })).toBe("closing");
        const code = await Promise.race([server.proc.exited, Bun.sleep(3000).then(() => "still running")]);
        expect(code).toBe(0);
        const e = await rejection(request(context(req), 1, { timeout: 100 }));
        expect(e.code).toBe(5);
      } finally {
        await server.stop();
      }
    });
  }

  test("the server exits on its own when its stdin ends", async () => {
    const server = await startRepServer(uniqueAddress("ipc"), 1);
    try {
      server.proc.stdin.end();
      const code = await Promise.race([server.proc.exited, Bun.sleep(3000).then(() => "still running")]);
      expect(code).toBe(0);
    } finally {
      await server.stop();
    }
  });
});

describe("10,000 concurrent requests over 64 reply contexts", () => {
  for (const transport of TRANSPORTS) {
    test(`10,000 req contexts, each request matched to its own answer (${transport})`, async () => {
      const N = 10_000;
      const [rep, req] = connected(transport, "rep", "req");
      const server = serveContexts(rep, 64, (q: { id: number; v: number }) => ({ id: q.id, v: q.v * 3, tag: `#${q.id}` }));
      const ctxs = Array.from({ length: N }, () => context(req));
      const aios = ctxs.map((c, i) => request<{ id: number; v: number; tag: string }>(c, { id: i, v: i + 1 }, { timeout: 8000 }));
      const answers = await Promise.all(aios);

      let bad = 0;
      for (let i = 0; i < N; i++) {
        const a = answers[i]!;
        if (a.id !== i || a.v !== (i + 1) * 3 || a.tag !== `#${i}`) bad++;
      }
      expect(bad).toBe(0);
      // Every answer went through one of the 64 reply contexts, and all of them took part.
      // (reply() resolves just after its answer went out: the count may trail the last answer.)
      await waitFor(() => server.total() === N, 3000, "every reply to be counted");
      expect(server.served.every((n) => n > 0)).toBe(true);

      rep.close();
      // Each reply loop ends with 7 (closed), resolved rather than rejected.
      expect(await server.done).toEqual(new Array(64).fill(7));
    }, 10_000);
  }

  test("a pool of 64 req contexts each looping request() 160 times against 64 reply contexts with async handlers", async () => {
    const [rep, req] = connected("inproc", "rep", "req");
    const server = serveContexts(rep, 64, async (q: number) => {
      await Promise.resolve();
      return -q;
    });
    const seen = new Uint8Array(64 * 160);
    await Promise.all(
      Array.from({ length: 64 }, async (_, c) => {
        const ctx = context(req);
        for (let k = 0; k < 160; k++) {
          const q = c * 160 + k;
          const a = await request<number>(ctx, q, { timeout: 4000 });
          if (a === -q) seen[q]!++;
        }
      }),
    );
    expect(seen.every((x) => x === 1)).toBe(true);
    await waitFor(() => server.total() === 64 * 160, 3000, "every reply to be counted");
  });
});

describe("reply", () => {
  for (const transport of TRANSPORTS) {
    test(`a throwing handler sends a nul byte and reply resolves 0 (${transport})`, async () => {
      const [rep, req] = connected(transport, "rep", "req");
      const repCtx = context(rep);
      const reqCtx = context(req);

      let received: unknown;
      const served = reply(repCtx, (x) => {
        received = x;
        throw new Error("handler failed");
      });
      const answer = await request(reqCtx, { ask: "something" }, { timeout: 3000 });
      expect(received).toEqual({ ask: "something" });
      expect(isNulByte(answer)).toBe(true);
      expect(answer).toEqual(new Uint8Array([0]));
      expect(await served).toBe(0);

      // An async handler that rejects: the same.
      const served2 = reply(repCtx, async () => {
        await Promise.resolve();
        throw new TypeError("async failure");
      });
      expect(isNulByte(await request(reqCtx, 1, { timeout: 3000 }))).toBe(true);
      expect(await served2).toBe(0);

      // A result that cannot be sent (a function is not serializable): a nul byte too.
      const served3 = reply(repCtx, () => () => 1);
      expect(isNulByte(await request(reqCtx, 2, { timeout: 3000 }))).toBe(true);
      expect(await served3).toBe(0);

      // A working handler afterwards, with a raw send mode.
      const served4 = reply(repCtx, (x: number) => `got ${x}`, { sendMode: "raw" });
      expect(await request(reqCtx, 3, { timeout: 3000, recvMode: "string" })).toBe("got 3");
      expect(await served4).toBe(0);
    });
  }

  test("reply with recvMode: the handler sees the decoded value", async () => {
    const [rep, req] = connected("inproc", "rep", "req");
    const served = reply(rep, (x: Float64Array) => Array.from(x, (v) => v + 1), { recvMode: "double" });
    const answer = await request(req, [1.5, 2.5], { sendMode: "raw", timeout: 3000 });
    expect(answer).toEqual([2.5, 3.5]);
    expect(await served).toBe(0);
  });

  test("reply never rejects: a receive time-out resolves with NngError 5, a closed context with 7", async () => {
    const rep = track(socket("rep"));
    const ctx = context(rep);
    let called = false;
    const timedOut = await reply(ctx, () => (called = true), { timeout: 30 });
    expect(timedOut).toBeInstanceOf(NngError);
    expect((timedOut as NngError).code).toBe(5);

    const pending = reply(ctx, () => (called = true));
    ctx.close();
    const closed = await pending;
    expect((closed as NngError).code).toBe(7);
    // Already closed: resolves 7 at once, no throw.
    expect(((await reply(ctx, () => (called = true))) as NngError).code).toBe(7);
    expect(called).toBe(false);
  });

  test("request and reply reject the wrong protocols with TypeError", () => {
    const rep = track(socket("rep"));
    const req = track(socket("req"));
    const pub = track(socket("pub"));
    // Type errors too; a JavaScript caller gets the TypeError.
    // @ts-expect-error -- rep does not make requests
    expect(() => request(rep, 1)).toThrow(TypeError);
    // @ts-expect-error -- pub does not make requests
    expect(() => request(pub, 1)).toThrow(TypeError);
    // @ts-expect-error -- req does not reply
    expect(() => reply(req, () => 1)).toThrow(TypeError);
    expect(() => reply(rep, 5 as never)).toThrow(TypeError);
    expect(() => request({} as never, 1)).toThrow(TypeError);
  });
});

describe("contexts", () => {
  for (const transport of TRANSPORTS) {
    test(`closing a req context completes its in-flight request with 7; the socket lives on (${transport})`, async () => {
      const [rep, req] = connected(transport, "rep", "req");
      const ctx = context(req);
      // The server receives the request but never answers it.
      const question = recvAio(context(rep), { timeout: 3000 });
      const r = request(ctx, "unanswered");
      expect(await question).toBe("unanswered");
      expect(r.data).toBe(UNRESOLVED);
      ctx.close();
      expect(ctx.closed).toBe(true);
      expect(req.closed).toBe(false);
      expect((await rejection(r)).code).toBe(7);
      expect((r.data as NngError).code).toBe(7);
      // Requests on the closed context fail at once with 7.
      const late = request(ctx, "late");
      expect(unresolved(late)).toBe(false);
      expect((late.data as NngError).code).toBe(7);

      // Another context of the same socket still gets answers.
      const served = reply(context(rep), (x: string) => x.toUpperCase());
      expect(await request(context(req), "still here", { timeout: 3000 })).toBe("STILL HERE");
      expect(await served).toBe(0);
    });
  }

  test("an in-flight request keeps its otherwise unreferenced context (and socket) alive through garbage collection", async () => {
    const [rep, req] = connected("inproc", "rep", "req");
    const N = 2000;
    // `request(context(req), x)`: nothing but the pending request refers to each context.
    const aios = Array.from({ length: N }, (_, i) => request<number>(context(req), i, { timeout: 5000 }));
    // A receive on a socket nothing else refers to.
    const lonely = recvAio<string>(socket("pull", { listen: uniqueAddress("inproc") }), { timeout: 50 });
    for (let i = 0; i < 3; i++) {
      Bun.gc(true);
      await Bun.sleep(5); // lets FinalizationRegistry callbacks run
    }
    expect(aios.every((a) => a.data === UNRESOLVED)).toBe(true);
    const server = serveContexts(rep, 16, (x: number) => x + 1);
    const answers = await Promise.all(aios);
    expect(answers.every((a, i) => a === i + 1)).toBe(true);
    await waitFor(() => server.total() === N, 3000, "every reply to be counted");
    // It timed out (5), it was not closed under its own operation (7).
    expect((await rejection(lonely)).code).toBe(5);
  });

  test("a request waiting to be sent (no server at all) completes with 7 when its context closes", async () => {
    const req = track(socket("req"));
    const ctx = context(req);
    const r = request(ctx, 1);
    expect(unresolved(r)).toBe(true);
    ctx.close();
    expect((await rejection(r)).code).toBe(7);
  });

  test("closing a rep context completes its pending reply() with 7 and other contexts are untouched", async () => {
    const [rep, req] = connected("inproc", "rep", "req");
    const a = context(rep);
    const b = context(rep);
    const pa = reply(a, () => "from a");
    const pb = reply(b, () => "from b");
    a.close();
    expect(((await pa) as NngError).code).toBe(7);
    expect(await request(req, "x", { timeout: 3000 })).toBe("from b");
    expect(await pb).toBe(0);
  });

  test("each req context keeps its own request: answers in reverse order reach the right context", async () => {
    const [rep, req] = connected("ipc", "rep", "req");
    const repCtxs = [context(rep), context(rep), context(rep)];
    const reqCtxs = [context(req), context(req), context(req)];
    const qs = repCtxs.map((c) => recvAio<string>(c, { timeout: 3000 }));
    const rs = reqCtxs.map((c, i) => request<string>(c, `q${i}`, { timeout: 3000 }));
    const questions = await Promise.all(qs);
    expect([...questions].sort()).toEqual(["q0", "q1", "q2"]);
    // Answer the last received first.
    for (let i = 2; i >= 0; i--) expect(await sendAio(repCtxs[i]!, `a:${questions[i]}`)).toBe(0);
    expect(await Promise.all(rs)).toEqual(["a:q0", "a:q1", "a:q2"]);
  });

  test("a request times out with 5 when no reply comes, and an AbortSignal cancels one with 20", async () => {
    const [, req] = connected("inproc", "rep", "req");
    const t0 = performance.now();
    expect((await rejection(request(context(req), 1, { timeout: 50 }))).code).toBe(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    const ac = new AbortController();
    const r = request(context(req), 2, { signal: ac.signal });
    ac.abort();
    expect((r.data as NngError).code).toBe(20);
    expect((request(context(req), 3, { signal: AbortSignal.abort() }).data as NngError).code).toBe(20);
  });
});

describe("surveys", () => {
  for (const transport of TRANSPORTS) {
    test(`a surveyor context collects exactly 3 responses, then 5 when the survey ends (${transport})`, async () => {
      const surveyor = track(socket("surveyor"));
      const l = listen(surveyor, uniqueAddress(transport));
      const pipes = pipeCounter(surveyor);
      const respondents = [0, 1, 2].map(() => track(socket("respondent", { dial: l.url })));
      await waitFor(() => cvValue(pipes) >= 3, 3000, "3 respondents to connect");
      const answering = respondents.map((r, i) => reply(r, (q: string) => ({ q, from: i })));

      const ctx = context(surveyor);
      surveyTime(ctx, 300);
      expect(await sendAio(ctx, "who is there?")).toBe(0);
      const t0 = performance.now();
      const responses: { q: string; from: number }[] = [];
      for (let i = 0; i < 3; i++) responses.push(await recvAio<{ q: string; from: number }>(ctx));
      expect(responses.map((r) => r.q)).toEqual(["who is there?", "who is there?", "who is there?"]);
      expect(responses.map((r) => r.from).sort()).toEqual([0, 1, 2]);
      // The fourth receive waits for the end of the survey.
      const end = await rejection(recvAio(ctx));
      expect(end.code).toBe(5);
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(200);
      expect(elapsed).toBeLessThan(2000);
      expect(await Promise.all(answering)).toEqual([0, 0, 0]);
    });
  }

  test("two surveyor contexts run independent surveys; respondent contexts answer each", async () => {
    const surveyor = track(socket("surveyor"));
    const l = listen(surveyor, uniqueAddress("inproc"));
    const pipes = pipeCounter(surveyor);
    const respondent = track(socket("respondent", { dial: l.url }));
    await waitFor(() => cvValue(pipes) >= 1, 3000, "respondent to connect");
    const a = context(surveyor);
    const b = context(surveyor);
    surveyTime(a, 300);
    surveyTime(b, 300);
    const server = serveContexts(respondent, 2, (q: string) => `re:${q}`);
    expect(await sendAio(a, "A")).toBe(0);
    expect(await sendAio(b, "B")).toBe(0);
    expect(await recvAio(b)).toBe("re:B");
    expect(await recvAio(a)).toBe("re:A");
    expect((await rejection(recvAio(a))).code).toBe(5);
    // request() on a surveyor context: the first response.
    expect(await request(b, "C", { timeout: 2000 })).toBe("re:C");
    respondent.close();
    expect(await server.done).toEqual([7, 7]);
  });

  test("surveyTime rejects what is not a surveyor", () => {
    const req = track(socket("req"));
    // @ts-expect-error -- only a surveyor has a survey time
    expect(() => surveyTime(req, 100)).toThrow(TypeError);
    expect(() => surveyTime(track(socket("surveyor")), 1.5)).toThrow(TypeError);
  });
});

describe("subscriptions", () => {
  const text = new TextDecoder();
  const show = (x: unknown) => (x instanceof Uint8Array ? (x.every((b) => b >= 32) ? text.decode(x) : `[${[...x]}]`) : String(x));

  /** Receives until `sentinel` (raw), returning what came before it; fails on a time-out. */
  async function upTo(con: Socket | Context, sentinel: string): Promise<string[]> {
    const got: string[] = [];
    for (;;) {
      const m = show(await recvAio<Uint8Array>(con, { mode: "raw", timeout: 3000 }));
      if (m === sentinel) return got;
      got.push(m);
    }
  }

  for (const transport of TRANSPORTS) {
    test(`subscribe / unsubscribe with string and byte topics (${transport})`, async () => {
      const pub = track(socket("pub"));
      const l = listen(pub, uniqueAddress(transport));
      const pipes = pipeCounter(pub);
      const sub = track(socket("sub", { dial: l.url }));
      await waitFor(() => cvValue(pipes) >= 1, 3000, "sub to connect");
      const put = (x: string | number[]) => send(pub, typeof x === "string" ? x : new Uint8Array(x), { mode: "raw" });

      subscribe(sub, "news.");
      subscribe(sub, new Uint8Array([1, 2]));
      subscribe(sub, new Uint8Array([0x7a]).buffer); // "z" as an ArrayBuffer
      for (const m of ["sports.1", "news.1", [1, 2, 3], [1, 3], "weather", "zoo", "new", [1, 2]]) put(m);
      put("news.end");
      expect(await upTo(sub, "news.end")).toEqual(["news.1", "[1,2,3]", "zoo", "[1,2]"]);

      // unsubscribe stops delivery of that topic only.
      unsubscribe(sub, "news.");
      put("news.2");
      put([1, 2, 7]);
      put("zz-end");
      expect(await upTo(sub, "zz-end")).toEqual(["[1,2,7]"]);
      unsubscribe(sub, new Uint8Array([1, 2]));
      put([1, 2, 8]);
      put("zz-end");
      expect(await upTo(sub, "zz-end")).toEqual([]);

      // '' subscribes to everything; so does null.
      subscribe(sub, "");
      for (const m of ["news.3", "anything", [9]]) put(m);
      put("zz-end");
      expect(await upTo(sub, "zz-end")).toEqual(["news.3", "anything", "[9]"]);
      unsubscribe(sub, ""); // "z" remains
      put("anything");
      put("zz-end");
      expect(await upTo(sub, "zz-end")).toEqual([]);
      unsubscribe(sub, "z");
      subscribe(sub, null);
      put("after null");
      expect(show(await recvAio(sub, { mode: "raw", timeout: 3000 }))).toBe("after null");
      // Nothing subscribed any more: nothing arrives.
      unsubscribe(sub);
      put("gone");
      expect((await rejection(recvAio(sub, { timeout: 100 }))).code).toBe(5);
    });
  }

  test("sub contexts have subscriptions of their own", async () => {
    const pub = track(socket("pub"));
    const l = listen(pub, uniqueAddress("inproc"));
    const pipes = pipeCounter(pub);
    const sub = track(socket("sub", { dial: l.url }));
    await waitFor(() => cvValue(pipes) >= 1, 3000, "sub to connect");
    const a = context(sub);
    const b = context(sub);
    subscribe(a, "a");
    subscribe(a, "end");
    subscribe(b, "b");
    subscribe(b, "end");
    const ra = upTo(a, "end");
    const rb = upTo(b, "end");
    for (const m of ["a1", "b1", "c1", "a2", "b2", "end"]) send(pub, m, { mode: "raw" });
    expect(await ra).toEqual(["a1", "a2"]);
    expect(await rb).toEqual(["b1", "b2"]);
    // The socket itself subscribed to nothing.
    expect((recv(sub) as NngError).code).toBe(8);
    unsubscribe(a, "a");
    const ra2 = upTo(a, "end");
    for (const m of ["a3", "end"]) send(pub, m, { mode: "raw" });
    expect(await ra2).toEqual([]);
  });

  test("subscribe rejects what is not a sub socket or a topic", () => {
    const pub = track(socket("pub"));
    const sub = track(socket("sub"));
    // @ts-expect-error -- only sub subscribes
    expect(() => subscribe(pub, "x")).toThrow(TypeError);
    // @ts-expect-error -- only sub unsubscribes
    expect(() => unsubscribe(pub, "x")).toThrow(TypeError);
    expect(() => subscribe(sub, 5 as never)).toThrow(TypeError);
    expect(() => subscribe(sub, { topic: "x" } as never)).toThrow(TypeError);
  });
});

describe("device", () => {
  for (const transport of ["inproc", "ipc", "tcp"] as const) {
    test(`a raw req/rep broker: 2 clients, 2 workers, 40 concurrent requests (${transport})`, async () => {
      const front = track(socket("rep", { raw: true }));
      const back = track(socket("req", { raw: true }));
      const fl = listen(front, uniqueAddress(transport));
      const bl = listen(back, uniqueAddress(transport));
      const frontPipes = pipeCounter(front);
      const backPipes = pipeCounter(back);
      const dev = device(front, back);
      expect(unresolved(dev)).toBe(true);

      const workers = [0, 1].map(() => track(socket("rep", { dial: bl.url })));
      const served = workers.map((w, i) => serveContexts(w, 4, (q: { client: number; k: number }) => ({ ...q, answer: q.k * q.k, worker: i })));
      const clients = [0, 1].map(() => track(socket("req", { dial: fl.url })));
      await waitFor(() => cvValue(backPipes) >= 2 && cvValue(frontPipes) >= 2, 3000, "workers and clients to connect");

      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, k) => {
          const client = k % 2;
          return request<{ client: number; k: number; answer: number; worker: number }>(context(clients[client]!), { client, k }, { timeout: 4000 });
        }),
      );
      for (let k = 0; k < 40; k++) {
        expect(answers[k]).toMatchObject({ client: k % 2, k, answer: k * k });
      }
      // Both workers took part.
      await waitFor(() => served[0]!.total() + served[1]!.total() === 40, 3000, "every reply to be counted");
      expect(served[0]!.total()).toBeGreaterThan(0);
      expect(served[1]!.total()).toBeGreaterThan(0);

      // Closing the front ends the device with 7.
      expect(unresolved(dev)).toBe(true);
      front.close();
      expect((await rejection(dev)).code).toBe(7);
      for (const w of workers) w.close();
      for (const s of served) expect(await s.done).toEqual([7, 7, 7, 7]);
    });
  }

  test("a running device owns its sockets (NNG 2.0): I/O on them gives 4; closing one stops it and closes both", async () => {
    const input = track(socket("pull", { raw: true, listen: uniqueAddress("inproc") }));
    const output = track(socket("push", { raw: true, listen: uniqueAddress("inproc") }));
    const dev = device(input, output);
    await sleep(20);
    const codeOf = (v: unknown) => (v instanceof NngError ? v.code : v);
    expect(codeOf(send(output, "x", { mode: "raw" }))).toBe(4);
    expect(codeOf(recv(input, { mode: "raw" }))).toBe(4);
    output.close();
    expect((await rejection(dev)).code).toBe(7);
    // The device closed the other socket too: NNG no longer knows it.
    expect(codeOf(recv(input, { mode: "raw" }))).toBe(7);
  });

  test("device needs raw sockets; a closed socket gives 7 at once", async () => {
    const cooked = track(socket("rep"));
    const raw1 = track(socket("rep", { raw: true }));
    const raw2 = track(socket("req", { raw: true }));
    expect(() => device(cooked, raw2)).toThrow(TypeError);
    expect(() => device(raw1, {} as never)).toThrow(TypeError);
    raw2.close();
    const d = device(raw1, raw2);
    expect(unresolved(d)).toBe(false);
    expect((await rejection(d)).code).toBe(7);
  });
});
