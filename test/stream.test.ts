// Raw byte streams (stream()) against real peers written with Bun's own APIs: a Bun.listen TCP echo
// server, a Bun.serve WebSocket server (binary and text frames, the upgrade request's headers), a
// Bun WebSocket client reaching a listening stream, and stream to stream over ipc and wss. Streams
// have no message boundaries, so whoever checks a payload reads until it has all of its bytes.
import { describe, expect, test } from "bun:test";
import type { Socket as BunSocket, TCPSocketListener } from "bun";
import {
  cv,
  isErrorValue,
  NngError,
  recv,
  recvAio,
  send,
  sendAio,
  socket,
  stopAio,
  stream,
  Stream,
  tlsConfig,
  until,
  UNRESOLVED,
  writeCert,
} from "../src/index";
import { inFlightCount, runtimeStats } from "../src/runtime";
import { sleep, uniqueAddress, waitFor, closeAfterEach, rejection } from "./helpers";

const track = closeAfterEach();

/** Reads raw chunks from `s` until exactly `total` bytes have arrived. */
async function readExactly(s: Stream, total: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < total) {
    const chunk = await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 });
    parts.push(chunk);
    got += chunk.length;
  }
  expect(got).toBe(total);
  return Buffer.concat(parts);
}

/** Bytes with a position-dependent pattern (a misplaced or repeated chunk shows). */
function pattern(len: number, seed = 0): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 31 + (i >>> 8) + seed) & 0xff;
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** A Bun.listen TCP server on loopback that echoes everything, honouring back-pressure. */
function echoServer(): TCPSocketListener<{ queue: Uint8Array[] }> {
  const flush = (sock: BunSocket<{ queue: Uint8Array[] }>) => {
    const q = sock.data.queue;
    while (q.length > 0) {
      const head = q[0]!;
      const n = sock.write(head);
      if (n < head.length) {
        q[0] = head.subarray(Math.max(n, 0));
        return; // the rest goes in drain()
      }
      q.shift();
    }
  };
  return Bun.listen<{ queue: Uint8Array[] }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(sock) {
        sock.data = { queue: [] };
      },
      data(sock, chunk) {
        sock.data.queue.push(new Uint8Array(chunk)); // a copy: the chunk's memory is Bun's
        flush(sock);
      },
      drain(sock) {
        flush(sock);
      },
    },
  });
}

/** A Bun.listen TCP server on loopback that only collects what it receives. */
function collectServer(): { server: TCPSocketListener<undefined>; received: () => Uint8Array; size: () => number } {
  const parts: Uint8Array[] = [];
  let size = 0;
  const server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(_sock, chunk) {
        parts.push(new Uint8Array(chunk));
        size += chunk.length;
      },
    },
  });
  return { server, received: () => Buffer.concat(parts), size: () => size };
}

function tcpUrl(server: { port: number }): string {
  return `tcp://127.0.0.1:${server.port}`;
}

/** A stream pair over ipc: [the listening side, the dialing side]. */
async function ipcPair(): Promise<[Stream, Stream]> {
  const accepting = stream({ listen: uniqueAddress("ipc") });
  const dialer = track(await stream({ dial: accepting.url }));
  const listener = track(await accepting);
  return [listener, dialer];
}

describe("tcp: a Bun.listen peer", () => {
  test("dial, then text and bytes round trip through an echo server", async () => {
    const server = echoServer();
    track({ close: () => server.stop(true) });
    const s = track(await stream({ dial: tcpUrl(server) }));
    expect(s).toBeInstanceOf(Stream);
    expect(s.url).toBe(tcpUrl(server));
    expect(s.mode).toBe("dialer");
    expect(s.closed).toBe(false);

    expect(await sendAio(s, "hello, stream")).toBe(0);
    // The default receive mode is serial, which a stream reads as a string.
    expect(await recvAio(s, { timeout: 3000 })).toBe("hello, stream");

    expect(await sendAio(s, new Uint8Array([0, 1, 2, 253, 254, 255]), { mode: "raw" })).toBe(0);
    const back = await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 });
    expect([...back]).toEqual([0, 1, 2, 253, 254, 255]);
  }, 5000);

  test("a 1 MiB payload arrives whole and in order", async () => {
    const server = echoServer();
    track({ close: () => server.stop(true) });
    const s = track(await stream({ dial: tcpUrl(server) }));
    const payload = pattern(1 << 20);
    const sent = sendAio(s, payload);
    const echoed = await readExactly(s, payload.length);
    expect(await sent).toBe(0);
    expect(sameBytes(echoed, payload)).toBe(true);
  }, 5000);

  test("concurrent sends keep their order, each written whole (64 x 128 KiB, more than the socket takes at once)", async () => {
    const { server, received, size } = collectServer();
    track({ close: () => server.stop(true) });
    const s = track(await stream({ dial: tcpUrl(server) }));
    const chunks = Array.from({ length: 64 }, (_, i) => pattern(128 << 10, i));
    const aios = chunks.map((c) => sendAio(s, c));
    for (const a of aios) expect(await a).toBe(0);
    const total = chunks.length * (128 << 10);
    await waitFor(() => size() >= total, 4000, "every byte at the server");
    expect(sameBytes(received(), Buffer.concat(chunks))).toBe(true);
  }, 5000);

  test("recv takes at most n bytes (default 65536); the rest stays for the next one", async () => {
    const server = echoServer();
    track({ close: () => server.stop(true) });
    const s = track(await stream({ dial: tcpUrl(server) }));
    expect(await sendAio(s, "0123456789")).toBe(0);
    const first = await recvAio<Uint8Array>(s, { mode: "raw", n: 4, timeout: 3000 });
    expect(new TextDecoder().decode(first)).toBe("0123");
    const rest = await readExactly(s, 6);
    expect(new TextDecoder().decode(rest)).toBe("456789");
    // Larger than the inline payload of a ring entry: by pointer, copied and freed.
    const big = pattern(70_000);
    expect(await sendAio(s, big)).toBe(0);
    const head = await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 });
    expect(head.length).toBeLessThanOrEqual(65536);
    const tail = await readExactly(s, big.length - head.length);
    expect(sameBytes(Buffer.concat([head, tail]), big)).toBe(true);
  }, 5000);

  test("a synchronous send writes everything without the event loop", async () => {
    const { server, received, size } = collectServer();
    track({ close: () => server.stop(true) });
    const s = track(await stream({ dial: tcpUrl(server) }));
    const payload = pattern(256 << 10, 7);
    expect(send(s, payload)).toBe(0);
    expect(send(s, "tail")).toBe(0);
    await waitFor(() => size() >= payload.length + 4, 4000, "every byte at the server");
    expect(sameBytes(received(), Buffer.concat([payload, Buffer.from("tail")]))).toBe(true);
  }, 5000);

  test("a refused connection rejects with 6; the promise carries the URL at once", async () => {
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const url = tcpUrl(probe);
    probe.stop(true); // nothing listens there now
    const pending = stream({ dial: url });
    expect(pending.url).toBe(url);
    const err = await rejection(pending);
    expect(err.code).toBe(6);
    expect(err.message).toContain(url);
  }, 5000);
});

describe("ws: a Bun.serve WebSocket server", () => {
  type Seen = { header: string | null; path: string; frames: (string | Uint8Array)[] };

  /** Echoes each frame back with its kind: text frames as "text:<msg>", binary ones with a 0xff appended. */
  function wsServer(seen: Seen) {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req, srv) {
        seen.header = req.headers.get("x-bun-nng-test");
        seen.path = new URL(req.url).pathname;
        return srv.upgrade(req) ? undefined : new Response("websocket only", { status: 400 });
      },
      websocket: {
        message(ws, msg) {
          if (typeof msg === "string") {
            seen.frames.push(msg);
            ws.send(`text:${msg}`);
          } else {
            seen.frames.push(new Uint8Array(msg));
            ws.send(Buffer.concat([msg, Buffer.from([0xff])]));
          }
        },
      },
    });
    track({ close: () => server.stop(true) });
    return server;
  }

  test("binary frames both ways; the custom request header reaches the server's upgrade request", async () => {
    const seen: Seen = { header: null, path: "", frames: [] };
    const server = wsServer(seen);
    const s = track(await stream({ dial: `ws://127.0.0.1:${server.port}/chat`, headers: { "X-Bun-Nng-Test": "hello header" } }));
    expect(seen.header).toBe("hello header");
    expect(seen.path).toBe("/chat");

    expect(await sendAio(s, new Uint8Array([1, 2, 3]))).toBe(0);
    const reply = await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 });
    expect([...reply]).toEqual([1, 2, 3, 0xff]);
    // Without textframes even a string goes out as a binary frame.
    expect(await sendAio(s, "as bytes")).toBe(0);
    const reply2 = await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 });
    expect(new TextDecoder().decode(reply2.subarray(0, -1))).toBe("as bytes");
    expect(seen.frames[0]).toBeInstanceOf(Uint8Array);
    expect(seen.frames[1]).toBeInstanceOf(Uint8Array);
  }, 5000);

  test("textframes: text frames both ways", async () => {
    const seen: Seen = { header: null, path: "", frames: [] };
    const server = wsServer(seen);
    const s = track(await stream({ dial: `ws://127.0.0.1:${server.port}/`, textframes: true }));
    expect(s.textframes).toBe(true);
    expect(await sendAio(s, "héllo wörld")).toBe(0);
    expect(await recvAio(s, { timeout: 3000 })).toBe("text:héllo wörld");
    expect(seen.frames).toEqual(["héllo wörld"]);
  }, 5000);

  test("a dial to a path the server refuses to upgrade rejects", async () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("no", { status: 404 }) });
    track({ close: () => server.stop(true) });
    const err = await rejection(stream({ dial: `ws://127.0.0.1:${server.port}/nothing` }));
    expect(isErrorValue(err)).toBe(true);
    expect(err.code).toBeGreaterThan(0);
  }, 5000);
});

describe("ws: a listening stream reached by a Bun WebSocket client", () => {
  async function connectClient(url: string, messages: unknown[]): Promise<WebSocket> {
    const client = new WebSocket(url);
    client.binaryType = "arraybuffer";
    client.onmessage = (e) => messages.push(e.data);
    track({ close: () => client.close() });
    await new Promise<void>((resolve, reject) => {
      client.onopen = () => resolve();
      client.onerror = () => reject(new Error(`WebSocket could not connect to ${url}`));
    });
    return client;
  }

  test("binary frames both ways; the url shows the bound port", async () => {
    const accepting = stream({ listen: "ws://127.0.0.1:0/echo" });
    expect(accepting.url).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*\/echo$/);
    const messages: unknown[] = [];
    const client = await connectClient(accepting.url, messages);
    const s = track(await accepting);
    expect(s.mode).toBe("listener");
    expect(s.url).toBe(accepting.url);

    client.send(new Uint8Array([9, 8, 7]));
    expect([...(await recvAio<Uint8Array>(s, { mode: "raw", timeout: 3000 }))]).toEqual([9, 8, 7]);
    expect(await sendAio(s, "from nng")).toBe(0);
    await waitFor(() => messages.length === 1, 3000, "the client to receive");
    expect(messages[0]).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(messages[0] as ArrayBuffer)).toBe("from nng");
  }, 5000);

  test("textframes: the client sends and receives text", async () => {
    const accepting = stream({ listen: "ws://127.0.0.1:0/text", textframes: true });
    const messages: unknown[] = [];
    const client = await connectClient(accepting.url, messages);
    const s = track(await accepting);
    client.send("ping ✓");
    expect(await recvAio(s, { timeout: 3000 })).toBe("ping ✓");
    expect(await sendAio(s, "pong ✓")).toBe(0);
    await waitFor(() => messages.length === 1, 3000, "the client to receive");
    expect(messages[0]).toBe("pong ✓");
  }, 5000);

  test("a 1 MiB client message is read whole, in chunks of at most n", async () => {
    const accepting = stream({ listen: "ws://127.0.0.1:0/big" });
    const client = await connectClient(accepting.url, []);
    const s = track(await accepting);
    const payload = pattern(1 << 20, 3);
    client.send(payload);
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < payload.length) {
      const chunk = await recvAio<Uint8Array>(s, { mode: "raw", n: 100_000, timeout: 3000 });
      expect(chunk.length).toBeLessThanOrEqual(100_000);
      parts.push(chunk);
      got += chunk.length;
    }
    expect(sameBytes(Buffer.concat(parts), payload)).toBe(true);
  }, 5000);

  test("when the client goes away, a pending receive completes with an error", async () => {
    const accepting = stream({ listen: "ws://127.0.0.1:0/bye" });
    const client = await connectClient(accepting.url, []);
    const s = track(await accepting);
    const pending = recvAio(s);
    client.close();
    const err = await rejection(pending);
    expect([7, 19, 31]).toContain(err.code);
  }, 5000);
});

describe("ipc: stream to stream", () => {
  test("both directions, asynchronous and synchronous", async () => {
    const [a, b] = await ipcPair();
    expect(await sendAio(b, "to a")).toBe(0);
    expect(await recvAio(a, { timeout: 3000 })).toBe("to a");
    expect(await sendAio(a, new Float64Array([1.5, -2]), { mode: "raw" })).toBe(0);
    const doubles = await recvAio<Float64Array>(b, { mode: "double", timeout: 3000 });
    expect([...doubles]).toEqual([1.5, -2]);

    // Both ends are native, so blocking calls need no event loop.
    expect(send(a, "sync hello")).toBe(0);
    expect(recv(b, { block: 3000 })).toBe("sync hello");
    // The serial send mode sends the value raw on a stream: bytes as they are.
    expect(send(b, new Uint8Array([104, 105]), { mode: "serial" })).toBe(0);
    expect(recv(a, { mode: "raw", block: 3000 })).toEqual(new Uint8Array([104, 105]));
  }, 5000);

  test("concurrent sends of 2 MiB in total arrive in order on the other stream", async () => {
    const [a, b] = await ipcPair();
    const chunks = Array.from({ length: 32 }, (_, i) => pattern(64 << 10, i * 3));
    const reading = readExactly(a, 32 * (64 << 10));
    const aios = chunks.map((c) => sendAio(b, c));
    expect(sameBytes(await reading, Buffer.concat(chunks))).toBe(true);
    for (const s of aios) expect(await s).toBe(0);
  }, 5000);

  test("receive time-outs give 5 (recvAio timeout, recv block)", async () => {
    const [a] = await ipcPair();
    const t0 = performance.now();
    expect((await rejection(recvAio(a, { timeout: 50 }))).code).toBe(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    const r = recv(a, { block: 50 });
    expect(isErrorValue(r) && r.code).toBe(5);
  }, 5000);

  test("closing a stream completes its pending recvAio and sendAio with 7; its peer sees the end", async () => {
    const [a, b] = await ipcPair();
    const pending = recvAio(a);
    const peerPending = recvAio(b);
    expect(pending.data).toBe(UNRESOLVED);
    a.close();
    expect(a.closed).toBe(true);
    expect((await rejection(pending)).code).toBe(7);
    expect([7, 19, 31]).toContain((await rejection(peerPending)).code);
    // Operations on the closed stream are error values; close stays idempotent.
    const r = recv(a);
    expect(isErrorValue(r) && r.code).toBe(7);
    expect((await rejection(sendAio(a, "x"))).code).toBe(7);
    expect((await rejection(recvAio(a))).code).toBe(7);
    const sent = send(a, "x");
    expect(isErrorValue(sent) && sent.code).toBe(7);
    a.close();
    a[Symbol.dispose]();
  }, 5000);

  test("stopAio and AbortSignal stop stream receives with 20; the stream works on", async () => {
    const [a, b] = await ipcPair();
    const r = recvAio(a);
    stopAio(r);
    expect((await rejection(r)).code).toBe(20);

    const ac = new AbortController();
    const r2 = recvAio(a, { signal: ac.signal });
    ac.abort();
    expect((await rejection(r2)).code).toBe(20);

    // The stream still works afterwards.
    expect(await sendAio(b, "after")).toBe(0);
    expect(await recvAio(a, { timeout: 3000 })).toBe("after");
  }, 5000);

  test("a time-out on a send waiting behind a stalled one: it leaves the queue with 5", async () => {
    const [a, b] = await ipcPair();
    void a;
    // Nobody reads `a`: a large send fills the connection and stalls; the next one waits behind it.
    const big = sendAio(b, pattern(16 << 20), { timeout: 300 });
    const queued = sendAio(b, "behind", { timeout: 50 });
    expect((await rejection(queued)).code).toBe(5);
    expect((await rejection(big)).code).toBe(5);
  }, 5000);

  test("stopping sends: a queued one leaves at once (20); after the stalled head is stopped, the next goes out", async () => {
    const [a, b] = await ipcPair();
    // Nobody reads `a` yet: the head send stalls once the connection is full.
    const head = sendAio(b, new Uint8Array(16 << 20));
    const dropped = sendAio(b, "never sent");
    const tail = sendAio(b, "TAIL");
    expect(dropped.result).toBe(UNRESOLVED);
    stopAio(dropped);
    expect(isErrorValue(dropped.result) && dropped.result.code).toBe(20); // settled by stopAio itself
    await sleep(20);
    expect(head.result).toBe(UNRESOLVED);
    stopAio(head);
    expect(isErrorValue(head.result) && head.result.code).toBe(20);
    // A stopped stream send leaves what it had written: zeros, then the next send's bytes.
    const parts: Uint8Array[] = [];
    let last: Uint8Array = new Uint8Array(0);
    while (last.length === 0 || last[last.length - 1] === 0) {
      last = await recvAio<Uint8Array>(a, { mode: "raw", timeout: 3000 });
      parts.push(last);
    }
    const seen = Buffer.concat(parts);
    const firstNonZero = seen.findIndex((x) => x !== 0);
    expect(seen.subarray(firstNonZero).toString()).toBe("TAIL");
    expect(await tail).toBe(0);
  }, 5000);

  test("closing while sends are queued behind a stalled one completes every one of them (0 or 7)", async () => {
    const [, b] = await ipcPair();
    // Nobody reads: 10 MB cannot all be in flight, so the last ones are still queued at close.
    const aios = Array.from({ length: 50 }, (_, i) => sendAio(b, pattern(200_000, i)));
    await sleep(10);
    b.close();
    const results = await Promise.all(aios.map((a) => a.then((v) => v, (e: NngError) => e.code)));
    for (const r of results) expect([0, 7]).toContain(r);
    expect(results[results.length - 1]).toBe(7);
  }, 5000);

  test("Aios in flight keep their otherwise unreferenced Streams open through garbage collection", async () => {
    const N = 50;
    // Each listening Stream is referenced by nothing but its Aio (boxed: an Aio is a thenable). The
    // async function binds the listener before its first await, so the dial reaches it.
    const pairs = await Promise.all(
      Array.from({ length: N }, async () => {
        const url = uniqueAddress("ipc");
        const holder = (async () => {
          const l = await stream({ listen: url });
          return { aio: recvAio(l, { timeout: 4000 }) };
        })();
        const d = track(await stream({ dial: url }));
        return { d, aio: (await holder).aio };
      }),
    );
    for (let i = 0; i < 3; i++) {
      Bun.gc(true);
      await sleep(5); // lets FinalizationRegistry callbacks run
    }
    for (const [i, p] of pairs.entries()) expect(await sendAio(p.d, `still open ${i}`)).toBe(0);
    // Not 7: no Stream was closed under its own operation.
    const got = await Promise.all(pairs.map((p) => p.aio));
    expect(got).toEqual(pairs.map((_, i) => `still open ${i}`));
  }, 5000);

  test("a cv given to recvAio is signalled by the completion itself", async () => {
    const [a, b] = await ipcPair();
    const c = track(cv());
    const r = recvAio(a, { cv: c });
    send(b, "wake");
    expect(until(c, 3000)).toBe(true); // blocks this thread; the completion signals
    expect(await r).toBe("wake");
  }, 5000);

  test("a listen that nobody reaches can be aborted (20)", async () => {
    const ac = new AbortController();
    const accepting = stream({ listen: uniqueAddress("ipc"), signal: ac.signal });
    await sleep(20);
    ac.abort();
    expect((await rejection(accepting)).code).toBe(20);
    const already = stream({ listen: uniqueAddress("ipc"), signal: ac.signal });
    expect((await rejection(already)).code).toBe(20);
  }, 5000);
});

describe("wss: TLS", () => {
  const cert = writeCert({ cn: "127.0.0.1" });

  test("dial a Bun.serve wss server with a client tlsConfig", async () => {
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: cert.server[0], key: cert.server[1] },
      fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("no", { status: 400 })),
      websocket: { message: (ws, msg) => void ws.send(msg) },
    });
    track({ close: () => server.stop(true) });
    const client = track(tlsConfig({ client: cert.client }));
    const s = track(await stream({ dial: `wss://127.0.0.1:${server.port}/secure`, tls: client }));
    expect(await sendAio(s, "secret")).toBe(0);
    expect(await recvAio(s, { timeout: 3000 })).toBe("secret");
  }, 5000);

  test("wss stream to stream; a client that does not trust the certificate is refused", async () => {
    const serverCfg = track(tlsConfig({ server: cert.server }));
    const accepting = stream({ listen: "wss://127.0.0.1:0/tls", tls: serverCfg });
    const client = track(tlsConfig({ client: cert.client }));
    const d = track(await stream({ dial: accepting.url, tls: client }));
    const l = track(await accepting);
    expect(await sendAio(d, "ping")).toBe(0);
    expect(await recvAio(l, { timeout: 3000 })).toBe("ping");
    expect(await sendAio(l, "pong")).toBe(0);
    expect(await recvAio(d, { timeout: 3000 })).toBe("pong");

    const stranger = track(tlsConfig({ client: writeCert({ cn: "127.0.0.1" }).client }));
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: cert.server[0], key: cert.server[1] },
      fetch: (req, srv) => (srv.upgrade(req) ? undefined : new Response("no", { status: 400 })),
      websocket: { message: () => {} },
    });
    track({ close: () => server.stop(true) });
    expect((await rejection(stream({ dial: `wss://127.0.0.1:${server.port}/`, tls: stranger }))).code).toBe(26);
  }, 5000);
});

describe("tls+tcp", () => {
  test("the dialer's first send completes while the listening side neither sends nor receives (the shim's reads drive the handshake)", async () => {
    const cert = writeCert({ cn: "127.0.0.1" });
    const accepting = stream({ listen: "tls+tcp://127.0.0.1:0", tls: track(tlsConfig({ server: cert.server })) });
    const d = track(await stream({ dial: accepting.url, tls: track(tlsConfig({ client: cert.client })) }));
    const l = track(await accepting);
    expect(await sendAio(d, "before anyone reads", { timeout: 2000 })).toBe(0);
    expect(await recvAio(l, { timeout: 3000 })).toBe("before anyone reads");
  }, 5000);

  test("stream to stream", async () => {
    const cert = writeCert({ cn: "127.0.0.1" });
    const accepting = stream({ listen: "tls+tcp://127.0.0.1:0", tls: track(tlsConfig({ server: cert.server })) });
    expect(accepting.url).toMatch(/^tls\+tcp:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const d = track(await stream({ dial: accepting.url, tls: track(tlsConfig({ client: cert.client })) }));
    const l = track(await accepting);
    const got = recvAio(l, { timeout: 3000 });
    expect(await sendAio(d, "over tls")).toBe(0);
    expect(await got).toBe("over tls");
    const payload = pattern(300_000, 5);
    const reading = readExactly(d, payload.length);
    expect(await sendAio(l, payload)).toBe(0);
    expect(sameBytes(await reading, payload)).toBe(true);
  }, 5000);
});

describe("bad input", () => {
  test("schemes that are not stream transports and malformed URLs throw NngError at once", () => {
    const cases: [string, number, RegExp][] = [
      ["inproc://bun-nng-stream", 9, /'inproc' is not a stream transport/],
      ["foo://bar", 9, /'foo' is not a stream transport/],
      ["tcp://", 15, /cannot dial 'tcp:\/\/'/],
      ["no scheme here", 3, /not a URL/],
    ];
    for (const [url, code, message] of cases) {
      let thrown: unknown;
      try {
        stream({ dial: url });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(NngError);
      expect((thrown as NngError).code).toBe(code);
      expect((thrown as NngError).message).toMatch(message);
    }
    expect(() => stream({ listen: "ipc:///nonexistent-dir-bun-nng/x.ipc" })).toThrow(NngError);
    expect(() => stream({ listen: "tcp://127.0.0.1:99999" })).toThrow(NngError);
  });

  test("misuse throws TypeError with what is wrong", () => {
    const t = (f: () => unknown, m: RegExp) => expect(f).toThrow(m);
    t(() => stream(undefined as never), /options object/);
    t(() => stream({}), /exactly one of 'dial' or 'listen'/);
    t(() => stream({ dial: "tcp://127.0.0.1:1", listen: "tcp://127.0.0.1:1" }), /exactly one/);
    t(() => stream({ dial: 42 as never }), /URL string/);
    t(() => stream({ dial: "tcp://127.0.0.1:1", textframes: true }), /'textframes' applies to ws/);
    t(() => stream({ dial: "ws://127.0.0.1:1/", textframes: "yes" as never }), /must be a boolean/);
    t(() => stream({ dial: "tcp://127.0.0.1:1", headers: { A: "b" } }), /'headers' applies to ws/);
    t(() => stream({ listen: "ws://127.0.0.1:0/", headers: { A: "b" } }), /not for 'listen'/);
    t(() => stream({ dial: "ws://127.0.0.1:1/", headers: { "Bad Name": "x" } }), /not a valid HTTP header name/);
    t(() => stream({ dial: "ws://127.0.0.1:1/", headers: { X: "a\r\nInjected: 1" } }), /without CR, LF or nul/);
    t(() => stream({ dial: "ws://127.0.0.1:1/", headers: ["x"] as never }), /record of header names/);
    t(() => stream({ dial: "wss://127.0.0.1:1/" }), /needs a TLS configuration/);
    t(() => stream({ dial: "tcp://127.0.0.1:1", tls: {} as never }), /tlsConfig/);
    const client = track(tlsConfig());
    t(() => stream({ dial: "tcp://127.0.0.1:1", tls: client }), /'tls' applies to wss/);
    t(() => stream({ listen: "wss://127.0.0.1:0/", tls: client }), /client TLS config/);
  });

  test("bad I/O options on a stream throw TypeError; sockets still ask for a Socket, Context or Stream", async () => {
    const [a] = await ipcPair();
    expect(() => recvAio(a, { n: 0 })).toThrow(/n \(bytes to receive at most\)/);
    expect(() => recv(a, { n: 1.5 })).toThrow(/n \(bytes/);
    expect(() => sendAio(a, "x", { pipe: 1 })).toThrow(/'pipe' does not apply to streams/);
    expect(() => sendAio(a, "x", { mode: "bogus" as never })).toThrow(/unknown send mode/);
    expect(() => sendAio(a, { an: "object" })).toThrow(/raw mode sends bytes/);
    expect(() => recvAio(a, { timeout: -1 })).toThrow(/timeout/);
    expect(() => send(a, "x", { block: "no" as never })).toThrow(/block/);
    expect(() => send({} as never, "x")).toThrow(/Socket or a Context \(or a Stream\)/);
    // A socket is unaffected by stream support.
    const s = track(socket("pair"));
    expect(isErrorValue(send(s, "x"))).toBe(true); // not connected: 8, without blocking
  }, 5000);
});
