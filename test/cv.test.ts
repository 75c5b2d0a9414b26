// Condition variables with request/reply and pipe events: a JavaScript thread blocked in until() or
// wait() woken by a reply from ANOTHER process (the completion itself signals the cv, so the value
// is readable synchronously afterwards), waitAsync, and pipeNotify (add / remove counts, flag true
// making the wait return false, a signal name raising that signal in this process).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  context,
  cv,
  cvReset,
  cvSignal,
  cvValue,
  dial,
  isNulByte,
  listen,
  NngError,
  pipeNotify,
  recvAio,
  request,
  sendAio,
  socket,
  unresolved,
  UNRESOLVED,
  until,
  wait,
  waitAsync,
  type Cv,
  type Socket,
} from "../src/index";
import { inFlightCount } from "../src/runtime";
import { uniqueAddress, waitFor, closeAfterEach } from "./helpers";
import { startRepServer, type RepServer } from "./fixtures/server";

const track = closeAfterEach();

describe("until() and wait() woken by a reply from another process", () => {
  for (const transport of ["ipc", "tcp"] as const) {
    describe(transport, () => {
      let server: RepServer;
      let req: Socket;

      beforeAll(async () => {
        server = await startRepServer(uniqueAddress(transport), 8);
      });

      afterAll(async () => {
        await server?.stop();
      });

      /** A req socket connected to the server (one request answered already). */
      async function connectedReq(): Promise<Socket> {
        req = track(socket("req", { dial: server.url }));
        expect(await request(req, 1, { timeout: 4000 })).toBe(2);
        return req;
      }

      test(`request with a cv: until() blocks the JS thread, wakes on the reply, .data is there at once (${transport})`, async () => {
        const s = await connectedReq();
        const c = track(cv());
        const ctx = context(s);
        const r = request<string>(ctx, { delay: 100, value: `from ${transport}` }, { cv: c, timeout: 4000 });
        expect(r.data).toBe(UNRESOLVED);
        const t0 = performance.now();
        const woke = until(c, 3000);
        const elapsed = performance.now() - t0;
        // No await from here on: the completion is readable synchronously.
        expect(woke).toBe(true);
        expect(unresolved(r)).toBe(false);
        expect(r.data).toBe(`from ${transport}`);
        expect(cvValue(c)).toBe(0);
        // It really blocked until the other process answered (the server waits 100 ms).
        expect(elapsed).toBeGreaterThanOrEqual(90);
        expect(elapsed).toBeLessThan(2500);
      });

      test(`wait() (no time limit) woken by the server's answer; a nul byte arrives the same way (${transport})`, async () => {
        const s = await connectedReq();
        const c = track(cv());
        const r = request(context(s), 20, { cv: c, timeout: 3000 });
        expect(wait(c)).toBe(true);
        expect(r.data).toBe(40);
        const boom = request(context(s), "boom", { cv: c, timeout: 3000 });
        expect(until(c, 3000)).toBe(true);
        expect(isNulByte(boom.data)).toBe(true);
      });

      test(`sendAio then recvAio with a cv on a req context: until() wakes with the reply (${transport})`, async () => {
        const s = await connectedReq();
        const c = track(cv());
        const ctx = context(s);
        const sent = sendAio(ctx, { delay: 50, value: [1, 2, 3] }, { timeout: 3000 });
        const r = recvAio<number[]>(ctx, { cv: c, timeout: 3000 });
        expect(until(c, 3000)).toBe(true);
        expect(r.data).toEqual([1, 2, 3]);
        expect(sent.result).toBe(0);
      });

      test(`one cv counts several requests on several contexts; until() false while an answer is late (${transport})`, async () => {
        const s = await connectedReq();
        const c = track(cv());
        const rs = [0, 1, 2, 3, 4].map((i) => request<number>(context(s), { delay: 20 * i, value: i * 11 }, { cv: c, timeout: 3000 }));
        let signals = 0;
        while (signals < 5 && until(c, 3000)) signals++;
        expect(signals).toBe(5);
        expect(rs.map((r) => r.data)).toEqual([0, 11, 22, 33, 44]);

        // A slow answer: until() gives up first (false), then gets it.
        const slow = request(context(s), { delay: 300, value: "slow" }, { cv: c, timeout: 3000 });
        const t0 = performance.now();
        expect(until(c, 50)).toBe(false);
        const waited = performance.now() - t0;
        expect(waited).toBeGreaterThanOrEqual(45);
        expect(waited).toBeLessThan(280);
        expect(unresolved(slow)).toBe(true);
        expect(until(c, 3000)).toBe(true);
        expect(slow.data).toBe("slow");
      });

      test(`waitAsync resolves true when the server's answer signals the cv (${transport})`, async () => {
        const s = await connectedReq();
        const c = track(cv());
        const r = request(context(s), { delay: 30, value: { ok: true } }, { cv: c, timeout: 3000 });
        expect(await waitAsync(c, 3000)).toBe(true);
        expect(r.data).toEqual({ ok: true });
      });
    });
  }
});

describe("waitAsync", () => {
  test("true on cvSignal, false after the time limit, and the event loop keeps running meanwhile", async () => {
    const c = track(cv());
    const p = waitAsync(c, 3000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Bun.sleep(20);
    cvSignal(c);
    expect(await p).toBe(true);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(cvValue(c)).toBe(0);

    const t0 = performance.now();
    expect(await waitAsync(c, 30)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(() => waitAsync(c, -1)).toThrow(TypeError);
  });

  test("an AbortSignal stops a waitAsync with 20", async () => {
    const c = track(cv());
    const ac = new AbortController();
    const p = waitAsync(c, 3000, { signal: ac.signal });
    ac.abort();
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(NngError);
    expect((e as NngError).code).toBe(20);
  });
});

describe("pipeNotify", () => {
  /** A listening socket with pipeNotify set before anything connects. */
  function listening(c: Cv, opts: Parameters<typeof pipeNotify>[2]): { sock: Socket; url: string } {
    const sock = track(socket("rep"));
    pipeNotify(sock, c, opts);
    const url = listen(sock, uniqueAddress("ipc")).url;
    return { sock, url };
  }

  test("add and remove: 3 connections bring the cv to 3, closing them to 6", async () => {
    const c = track(cv());
    const { url } = listening(c, { add: true, remove: true });
    expect(cvValue(c)).toBe(0);
    const dialers = [0, 1, 2].map(() => track(socket("req", { dial: url })));
    await waitFor(() => cvValue(c) >= 3, 3000, "3 pipe additions");
    expect(cvValue(c)).toBe(3);
    for (const d of dialers) d.close();
    await waitFor(() => cvValue(c) >= 6, 3000, "3 pipe removals");
    expect(cvValue(c)).toBe(6);
    // Each event is a signal a wait consumes.
    for (let i = 0; i < 6; i++) expect(until(c, 0)).toBe(true);
    expect(until(c, 0)).toBe(false);
  });

  test("add only: removals do not signal; remove only: additions do not", async () => {
    const adds = track(cv());
    const a = listening(adds, { add: true });
    const d1 = track(socket("req", { dial: a.url }));
    const d2 = track(socket("req", { dial: a.url }));
    await waitFor(() => cvValue(adds) >= 2, 3000, "2 pipe additions");
    d1.close();
    d2.close();
    await Bun.sleep(150);
    expect(cvValue(adds)).toBe(2);

    const removes = track(cv());
    const r = listening(removes, { remove: true });
    const d3 = track(socket("req", { dial: r.url }));
    // Connected (proved by an answer), yet no signal.
    const served = recvAio(context(r.sock), { timeout: 3000 });
    const asked = request(context(d3), "hello", { timeout: 3000 });
    expect(await served).toBe("hello");
    expect(cvValue(removes)).toBe(0);
    d3.close();
    await waitFor(() => cvValue(removes) >= 1, 3000, "the pipe removal");
    expect(cvValue(removes)).toBe(1);
    expect(((await asked.then(() => null, (e: NngError) => e)) as NngError).code).toBe(7);
  });

  test("flag: true makes the until() it wakes return false (early), and is cleared by that", async () => {
    const c = track(cv());
    const { url } = listening(c, { add: true, flag: true });
    track(socket("req", { dial: url }));
    const t0 = performance.now();
    const woke = until(c, 3000);
    const elapsed = performance.now() - t0;
    expect(woke).toBe(false); // woken by the flagged event, not a time-out:
    expect(elapsed).toBeLessThan(2500);
    expect(cvValue(c)).toBe(0); // the event's signal was consumed
    // The flag is cleared: an ordinary signal makes until() true again.
    cvSignal(c);
    expect(until(c, 1000)).toBe(true);
  });

  test("flag: true with wait(), and cvReset clears a pending flag", async () => {
    const c = track(cv());
    const { url } = listening(c, { add: true, flag: true });
    track(socket("req", { dial: url }));
    await waitFor(() => cvValue(c) >= 1, 3000, "the flagged pipe addition");
    expect(wait(c)).toBe(false);

    const d = track(socket("req", { dial: url }));
    await waitFor(() => cvValue(c) >= 1, 3000, "a second flagged pipe addition");
    cvReset(c);
    expect(cvValue(c)).toBe(0);
    cvSignal(c);
    expect(until(c, 1000)).toBe(true); // the flag went with the reset
    d.close();
  });

  test('flag: "SIGUSR2" raises that signal in this process: the handler runs', async () => {
    let received = 0;
    const handler = () => {
      received++;
    };
    process.on("SIGUSR2", handler);
    const c = track(cv());
    let sock: Socket | null = null;
    try {
      const l = listening(c, { add: true, flag: "SIGUSR2" });
      sock = l.sock;
      const d = track(socket("req", { dial: l.url }));
      await waitFor(() => received >= 1, 3000, "the SIGUSR2 handler to run");
      expect(received).toBe(1);
      // The cv is signalled too (without the flag: until() is true).
      expect(until(c, 1000)).toBe(true);
      d.close();
    } finally {
      // No more signals from this socket before the handler goes away.
      if (sock) pipeNotify(sock, null, {});
      await Bun.sleep(20);
      process.off("SIGUSR2", handler);
    }
  });

  test("a later call replaces the setting; with neither add nor remove it is off", async () => {
    const first = track(cv());
    const second = track(cv());
    const { sock, url } = listening(first, { add: true });
    pipeNotify(sock, second, { add: true });
    track(socket("req", { dial: url }));
    await waitFor(() => cvValue(second) >= 1, 3000, "the pipe addition");
    expect(cvValue(first)).toBe(0);

    pipeNotify(sock, second, {});
    const probe = track(socket("req", { dial: url }));
    const served = recvAio(context(sock), { timeout: 3000 });
    request(context(probe), "connected?", { timeout: 3000 });
    expect(await served).toBe("connected?");
    expect(cvValue(second)).toBe(1);
  });

  test("bad arguments", () => {
    const c = track(cv());
    const s = track(socket("rep"));
    expect(() => pipeNotify(s, c, { add: true, flag: "SIGNOPE" })).toThrow(TypeError);
    expect(() => pipeNotify(s, c, { add: true, flag: 1.5 as never })).toThrow(TypeError);
    expect(() => pipeNotify({} as never, c, { add: true })).toThrow(TypeError);
    const ctx = context(s);
    expect(() => pipeNotify(ctx as never, c, { add: true })).toThrow(TypeError);
    s.close();
    let caught: unknown;
    try {
      pipeNotify(s, c, { add: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NngError);
    expect((caught as NngError).code).toBe(7);
  });
});

describe("cv lifetime", () => {
  test("a cv closed while a request holds it is still signalled safely; a closed cv is refused", async () => {
    const rep = track(socket("rep"));
    const l = listen(rep, uniqueAddress("inproc"));
    const req = track(socket("req"));
    dial(req, l.url);
    const c = cv();
    const r = request<string>(context(req), "q", { cv: c, timeout: 3000 });
    c.close();
    expect(c.closed).toBe(true);
    Bun.gc(true);
    let caught: unknown;
    try {
      request(context(req), "x", { cv: c });
    } catch (e) {
      caught = e;
    }
    expect((caught as NngError).code).toBe(7);
    const ctx = context(rep);
    expect(await recvAio(ctx, { timeout: 3000 })).toBe("q");
    expect(await sendAio(ctx, "a")).toBe(0);
    expect(await r).toBe("a");
  });
});
