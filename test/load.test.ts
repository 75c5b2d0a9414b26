// Load: many operations in flight at once, closing under load, socket churn, and a million requests.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { context, isErrorValue, listen, recvAio, reply, request, socket, stat, type Context } from "../src/index";
import { runtimeStats } from "../src/runtime";
import { closeAfterEach, TRANSPORTS, uniqueAddress, waitFor, codeOf } from "./helpers";

const own = closeAfterEach();
const openFds = () => readdirSync("/proc/self/fd").length;

describe("load", () => {
  test("closing sockets with 10,000 operations in flight settles every one, promptly, without a crash", async () => {
    const rep = own(socket("rep", { listen: uniqueAddress("ipc") }));
    const req = socket("req", { dial: rep.listeners[0]!.url });
    const aios = [
      ...Array.from({ length: 5000 }, () => request(context(req), "never answered")),
      ...Array.from({ length: 5000 }, () => recvAio(context(rep))),
    ];
    const t0 = performance.now();
    req.close();
    rep.close();
    const codes = await Promise.all(aios.map(codeOf));
    const settleMs = performance.now() - t0;
    console.log(`close with 10k in flight: all settled in ${settleMs.toFixed(0)} ms`);
    expect(settleMs).toBeLessThan(3000);
    // The requests were never answered: closed (7). The receives either got one of those requests
    // before the close (0) or were closed (7).
    expect(new Set(codes.slice(0, 5000))).toEqual(new Set([7]));
    for (const c of codes.slice(5000)) expect([0, 7]).toContain(c);
  });

  // Pairs are closed once connected: closing a dialer while its ipc/tcp connection is still being
  // set up leaks a file descriptor inside NNG 1.5.2 (see README, known defects).
  test("1,500 socket pairs opened, connected and closed: no file descriptor or op left behind", () => {
    const fdsBefore = openFds();
    for (let i = 0; i < 1500; i++) {
      const t = TRANSPORTS[i % TRANSPORTS.length]!;
      const a = socket("pair", { listen: uniqueAddress(t) });
      const b = socket("pair", { dial: a.listeners[0]!.url });
      const deadline = Date.now() + 2000;
      while ((stat(a, "pipes") !== 1 || stat(b, "pipes") !== 1) && Date.now() < deadline) Bun.sleepSync(0.2);
      expect(stat(b, "pipes")).toBe(1);
      b.close();
      a.close();
    }
    Bun.gc(true);
    const t = Date.now();
    while (openFds() - fdsBefore >= 10 && Date.now() - t < 3000) Bun.sleepSync(20);
    console.log(`socket churn: 1,500 pairs, fd delta ${openFds() - fdsBefore}, ops in use ${runtimeStats().opsInUse}`);
    expect(openFds() - fdsBefore).toBeLessThan(10);
    expect(runtimeStats().opsInUse).toBe(0);
  }, 30_000); // ~1 s alone; over 5 s (bun's default limit) when the 2 cores are shared with other work

  test("1,000,000 requests at 10,000 in flight over ipc: none lost or mismatched, memory bounded", async () => {
    const rep = own(socket("rep"));
    const url = listen(rep, uniqueAddress("ipc")).url;
    const req = own(socket("req", { dial: url }));
    let served = 0;
    const serve = async (ctx: Context) => {
      // An echo: raw bytes in, the same bytes out.
      while (!isErrorValue(await reply(ctx, (x: Uint8Array) => x, { recvMode: "raw", sendMode: "raw" }))) served++;
    };
    for (let i = 0; i < 64; i++) void serve(own(context(rep)));

    const total = 1_000_000;
    const concurrency = 10_000;
    let next = 0;
    let ok = 0;
    let wrong = 0;
    const rss0 = process.memoryUsage().rss;
    let rssPeak = rss0;
    const t0 = performance.now();
    const worker = async () => {
      const ctx = context(req);
      const buf = new Uint8Array(4);
      const view = new DataView(buf.buffer);
      while (next < total) {
        const n = next++;
        view.setUint32(0, n, true);
        const out = await request<Uint8Array>(ctx, buf, { sendMode: "raw", recvMode: "raw", timeout: 20_000 });
        // Each answer must be this request's own 4 bytes.
        if (out.length === 4 && new DataView(out.buffer, out.byteOffset).getUint32(0, true) === n) ok++;
        else wrong++;
        if ((n & 0xffff) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
      ctx.close();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const growthMB = (rssPeak - rss0) / 2 ** 20;
    console.log(
      `1M requests at 10k in flight: ${seconds.toFixed(1)} s, ${Math.round(total / seconds).toLocaleString("en-US")} req/s, ok ${ok}, wrong ${wrong}, RSS growth ${growthMB.toFixed(0)} MiB`,
    );
    expect(ok).toBe(total);
    expect(wrong).toBe(0);
    await waitFor(() => served >= total, 5000, "the server's count");
    expect(growthMB).toBeLessThan(512);
  }, 120_000);
});
