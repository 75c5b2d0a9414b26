// stat(): the values NNG 2.0 gets wrong and the shim answers itself.
//
// Traffic: a socket's tx_msgs / tx_bytes / rx_msgs / rx_bytes count real traffic where NNG counts
// it (pair1 both ways, cooked "poly" and raw; pub for sends), and are undefined everywhere else
// (NNG lists them but never bumps them) instead of a 0 that is not true.
//
// Pipes: "pipes" of a socket, dialer and listener is the number of connections that completed the
// transport handshake and have not gone. NNG's own counter wraps to 2^64-1 after a failed handshake
// (a TLS client with the wrong CA, a tcp peer sending garbage); the shim counts from pipe events.
//
// Every wait is bounded (waitFor, timeouts); every socket, listener and raw tcp connection is closed.
import { beforeAll, describe, expect, test } from "bun:test";
import { connect, type Socket as NetSocket } from "node:net";
import {
  cv,
  cvValue,
  dial,
  listen,
  pipeNotify,
  recvAio,
  send,
  sendAio,
  socket,
  stat,
  subscribe,
  tlsConfig,
  writeCert,
  type Cert,
  type Protocol,
  type Socket,
} from "../src/index";
import { closeAfterEach, uniqueAddress, waitFor } from "./helpers";

const track = closeAfterEach();

const ARRIVE_MS = 3000;
const TEST_MS = 10000;
const TRAFFIC = ["tx_msgs", "tx_bytes", "rx_msgs", "rx_bytes"] as const;

/** Messages of known lengths (ASCII: one byte per character). */
const MESSAGES = ["a", "bb", "hello", "0123456789", "x".repeat(300)];
const MESSAGE_BYTES = MESSAGES.reduce((n, m) => n + m.length, 0);

/** Sends every message of MESSAGES from `from`, receiving each on `to` (so each has arrived). */
async function exchange(from: Socket, to: Socket): Promise<void> {
  for (const m of MESSAGES) {
    const got = recvAio(to, { mode: "string", timeout: ARRIVE_MS });
    expect(await sendAio(from, m, { mode: "raw", timeout: ARRIVE_MS })).toBe(0);
    expect(await got).toBe(m);
  }
}

/** For req/rep and surveyor/respondent: each message of MESSAGES asked by `q`, echoed by `r`. */
async function roundTrips(q: Socket, r: Socket): Promise<void> {
  for (const m of MESSAGES) {
    const asked = recvAio(r, { mode: "string", timeout: ARRIVE_MS });
    expect(await sendAio(q, m, { mode: "raw", timeout: ARRIVE_MS })).toBe(0);
    expect(await asked).toBe(m);
    const answered = recvAio(q, { mode: "string", timeout: ARRIVE_MS });
    expect(await sendAio(r, m, { mode: "raw", timeout: ARRIVE_MS })).toBe(0);
    expect(await answered).toBe(m);
  }
}

/** The four traffic statistics of `s`, by name. */
function traffic(s: Socket): Record<string, number | undefined> {
  return Object.fromEntries(TRAFFIC.map((name) => [name, stat(s, name)]));
}

describe("traffic counters", () => {
  test("poly: exact message and byte counts both ways", async () => {
    const a = track(socket("poly"));
    const l = listen(a, uniqueAddress("ipc"));
    const b = track(socket("poly", { dial: l.url }));
    expect(traffic(a)).toEqual({ tx_msgs: 0, tx_bytes: 0, rx_msgs: 0, rx_bytes: 0 });
    await exchange(a, b);
    await exchange(a, b);
    await exchange(b, a);
    const n = MESSAGES.length;
    expect(traffic(a)).toEqual({ tx_msgs: 2 * n, tx_bytes: 2 * MESSAGE_BYTES, rx_msgs: n, rx_bytes: MESSAGE_BYTES });
    expect(traffic(b)).toEqual({ tx_msgs: n, tx_bytes: MESSAGE_BYTES, rx_msgs: 2 * n, rx_bytes: 2 * MESSAGE_BYTES });
  });

  test("raw poly (pair1): counts what it receives, with NNG's 4-byte hop-count header in rx_bytes", async () => {
    // NNG's pair1 (src/sp/protocol/pair1/pair.c) measures a received message before taking its
    // header off; poly (pair1_poly.c) after. Raw poly is pair1.
    const raw = track(socket("poly", { raw: true }));
    const l = listen(raw, uniqueAddress("ipc"));
    const cooked = track(socket("poly", { dial: l.url }));
    await exchange(cooked, raw);
    const n = MESSAGES.length;
    expect(stat(raw, "rx_msgs")).toBe(n);
    expect(stat(raw, "rx_bytes")).toBe(MESSAGE_BYTES + 4 * n);
    expect(stat(raw, "tx_msgs")).toBe(0);
    expect(stat(cooked, "tx_msgs")).toBe(n);
    expect(stat(cooked, "tx_bytes")).toBe(MESSAGE_BYTES);
  });

  test("pub: each message counted once whatever the number of subscribers; no rx counters", async () => {
    const pub = track(socket("pub"));
    const l = listen(pub, uniqueAddress("ipc"));
    const subs = [0, 1].map(() => track(socket("sub", { dial: l.url })) as Socket<"sub">);
    for (const s of subs) subscribe(s);
    await waitFor(() => stat(pub, "pipes") === 2, ARRIVE_MS, "both subscribers to connect");
    // Both pipes are up (and sub filters locally), so every message reaches both subscribers.
    for (const m of MESSAGES) {
      const got = subs.map((s) => recvAio(s, { mode: "string", timeout: ARRIVE_MS }));
      expect(send(pub, m, { mode: "raw" })).toBe(0);
      expect(await Promise.all(got)).toEqual([m, m]);
    }
    expect(traffic(pub)).toEqual({ tx_msgs: MESSAGES.length, tx_bytes: MESSAGE_BYTES, rx_msgs: undefined, rx_bytes: undefined });
    for (const s of subs) expect(traffic(s)).toEqual({ tx_msgs: undefined, tx_bytes: undefined, rx_msgs: undefined, rx_bytes: undefined });
  });

  test("raw pub counts sends too", async () => {
    const pub = track(socket("pub", { raw: true }));
    const l = listen(pub, uniqueAddress("inproc"));
    const sub = track(socket("sub", { dial: l.url })) as Socket<"sub">;
    subscribe(sub);
    await waitFor(() => stat(pub, "pipes") === 1, ARRIVE_MS, "the subscriber to connect");
    const got = recvAio(sub, { mode: "string", timeout: ARRIVE_MS });
    expect(send(pub, "hello", { mode: "raw" })).toBe(0);
    expect(await got).toBe("hello");
    expect(stat(pub, "tx_msgs")).toBe(1);
    expect(stat(pub, "tx_bytes")).toBe(5);
    expect(stat(pub, "rx_msgs")).toBeUndefined();
  });

  test("tx counts what is handed to send: a pub message with no subscriber, a poly send that times out", async () => {
    // NNG bumps the counters when the protocol takes the message (pub.c pub0_sock_send,
    // pair1_poly.c pair1poly_sock_send), not when a peer gets it.
    const pub = track(socket("pub"));
    expect(send(pub, "nobody", { mode: "raw" })).toBe(0);
    expect(stat(pub, "tx_msgs")).toBe(1);
    expect(stat(pub, "tx_bytes")).toBe(6);
    const poly = track(socket("poly"));
    const sent = await sendAio(poly, "lost", { mode: "raw", timeout: 20 }).then(
      (v) => v,
      (e: { code: number }) => e.code,
    );
    expect(sent).toBe(5); // timed out: no peer
    expect(stat(poly, "tx_msgs")).toBe(1);
    expect(stat(poly, "tx_bytes")).toBe(4);
  });

  // Protocols NNG 2.0 does not count for (no nni_sock_bump_tx / nni_sock_bump_rx): after real
  // traffic both ways (where the protocol allows), all four statistics are undefined.
  const UNCOUNTED: [Protocol, Protocol, "both ways" | "one way" | "round trips"][] = [
    ["pair", "pair", "both ways"],
    ["bus", "bus", "both ways"],
    ["push", "pull", "one way"],
    ["req", "rep", "round trips"],
    ["surveyor", "respondent", "round trips"],
  ];
  for (const [from, to, ways] of UNCOUNTED) {
    test(`${from}/${to}: traffic counters are undefined after real traffic`, async () => {
      const a = track(socket(from));
      const l = listen(a, uniqueAddress("ipc"));
      const b = track(socket(to, { dial: l.url }));
      await waitFor(() => stat(a, "pipes") === 1, ARRIVE_MS, "the connection");
      if (ways === "round trips") await roundTrips(a, b);
      else await exchange(a, b);
      if (ways === "both ways") await exchange(b, a);
      for (const s of [a, b]) {
        for (const name of TRAFFIC) expect(stat(s, name)).toBeUndefined();
        // The rest of the socket's statistics are still there.
        expect(stat(s, "pipes")).toBe(1);
      }
    });
  }

  test("raw sockets of uncounted protocols: undefined too", () => {
    for (const p of ["pair", "bus", "push", "pull", "req", "rep", "surveyor", "respondent"] as const) {
      const s = track(socket(p, { raw: true }));
      for (const name of TRAFFIC) expect(stat(s, name)).toBeUndefined();
      s.close();
    }
  });

  test("dialers and listeners have no traffic counters", () => {
    const s = track(socket("poly"));
    const l = listen(s, uniqueAddress("inproc"));
    const d = dial(track(socket("poly")), l.url);
    for (const name of TRAFFIC) {
      expect(stat(l, name)).toBeUndefined();
      expect(stat(d, name)).toBeUndefined();
    }
  });
});

// --- Pipes ----------------------------------------------------------------------------------------

/** How long the counters are watched after a failed handshake: NNG's reaper removes the pipe (and
 * used to wrap the count) shortly after the failure is counted. */
const WATCH_MS = 150;

/** Checks `read()` stays `value` for WATCH_MS. */
async function stays(read: () => number | undefined, value: number, what: string): Promise<void> {
  const deadline = Date.now() + WATCH_MS;
  while (Date.now() < deadline) {
    expect({ what, value: read() }).toEqual({ what, value });
    await Bun.sleep(10);
  }
}

let server: Cert;
let other: Cert;

beforeAll(() => {
  server = writeCert({ cn: "127.0.0.1" });
  other = writeCert({ cn: "127.0.0.1" });
});

/** Opens a raw tcp connection to `url` (tcp://host:port), writes `bytes`, and resolves once the
 * server has closed it. */
function garbagePeer(url: string, bytes: Uint8Array): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const conn: NetSocket = connect({ host: hostname, port: Number(port) }, () => conn.write(bytes));
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error("the server did not drop a peer that sent garbage"));
    }, ARRIVE_MS);
    conn.on("data", () => {});
    conn.on("error", () => {}); // a reset is a close too
    conn.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('"pipes"', () => {
  test(
    "a TLS client with the wrong CA: 0 on both sides, then a trusted client makes it 1",
    async () => {
      using st = tlsConfig({ server: server.server });
      using wrong = tlsConfig({ client: other.client });
      using good = tlsConfig({ client: server.client });
      const rep = track(socket("rep", { listen: "tls+tcp://127.0.0.1:0", tls: st }));
      const l = rep.listeners[0]!;
      const bad = track(socket("req"));
      const d = dial(bad, l.url, { tls: wrong });
      await waitFor(() => (stat(d, "auth") ?? 0) >= 1, ARRIVE_MS, "the client's TLS handshake failure");
      await waitFor(() => (stat(l, "auth") ?? 0) >= 1, ARRIVE_MS, "the server's TLS handshake failure");
      await stays(() => stat(l, "pipes"), 0, "listener pipes");
      expect(stat(rep, "pipes")).toBe(0);
      expect(stat(d, "pipes")).toBe(0);
      expect(stat(bad, "pipes")).toBe(0);

      const req = track(socket("req"));
      const gd = dial(req, l.url, { tls: good });
      await waitFor(() => stat(l, "pipes") === 1, ARRIVE_MS, "the trusted client to connect");
      expect(stat(rep, "pipes")).toBe(1);
      await waitFor(() => stat(gd, "pipes") === 1, ARRIVE_MS, "the trusted client's pipe");
      expect(stat(req, "pipes")).toBe(1);
      // The failing client keeps retrying meanwhile; it never counts.
      expect(stat(d, "pipes")).toBe(0);
      expect(stat(bad, "pipes")).toBe(0);

      req.close();
      await waitFor(() => stat(l, "pipes") === 0, ARRIVE_MS, "the trusted client to go");
      expect(stat(rep, "pipes")).toBe(0);
    },
    TEST_MS,
  );

  test(
    "a tcp peer that sends garbage instead of the SP header: 0, then a good peer makes it 1",
    async () => {
      const pull = track(socket("pull"));
      const l = listen(pull, "tcp://127.0.0.1:0");
      const garbage = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      await garbagePeer(l.url, garbage);
      await garbagePeer(l.url, garbage);
      await stays(() => stat(l, "pipes"), 0, "listener pipes");
      expect(stat(pull, "pipes")).toBe(0);

      const push = track(socket("push", { dial: l.url }));
      await waitFor(() => stat(l, "pipes") === 1, ARRIVE_MS, "the good peer to connect");
      expect(stat(pull, "pipes")).toBe(1);
      expect(stat(push.dialers[0]!, "pipes")).toBe(1);
      expect(stat(push, "pipes")).toBe(1);
      const got = recvAio(pull, { mode: "string", timeout: ARRIVE_MS });
      expect(send(push, "real", { mode: "raw" })).toBe(0);
      expect(await got).toBe("real");
    },
    TEST_MS,
  );

  test("counted per socket, dialer and listener; a closed listener's pipes leave its socket", async () => {
    const hub = track(socket("bus"));
    const l1 = listen(hub, uniqueAddress("ipc"));
    const l2 = listen(hub, uniqueAddress("tcp"));
    const peer = track(socket("bus"));
    const d1 = dial(peer, l1.url);
    const d2 = dial(peer, l2.url);
    const more = track(socket("bus", { dial: l2.url }));
    await waitFor(() => stat(hub, "pipes") === 3, ARRIVE_MS, "3 connections");
    expect(stat(l1, "pipes")).toBe(1);
    expect(stat(l2, "pipes")).toBe(2);
    await waitFor(() => stat(d1, "pipes") === 1 && stat(d2, "pipes") === 1, ARRIVE_MS, "the dialers' pipes");
    expect(stat(peer, "pipes")).toBe(2);
    expect(stat(more, "pipes")).toBe(1);

    l2.close();
    await waitFor(() => stat(hub, "pipes") === 1, ARRIVE_MS, "the second listener's pipes to go");
    expect(stat(l1, "pipes")).toBe(1);
    await waitFor(() => stat(peer, "pipes") === 1, ARRIVE_MS, "the peer to see its second pipe go");
    expect(stat(d1, "pipes")).toBe(1);
    d1.close();
    await waitFor(() => stat(hub, "pipes") === 0, ARRIVE_MS, "the first dialer's pipe to go");
    expect(stat(l1, "pipes")).toBe(0);
    expect(stat(peer, "pipes")).toBe(0);
  });

  test("pipeNotify still signals additions and removals, in step with the counts", async () => {
    const c = track(cv());
    const rep = track(socket("rep"));
    pipeNotify(rep, c, { add: true, remove: true });
    const l = listen(rep, uniqueAddress("ipc"));
    const clients = [0, 1].map(() => track(socket("req", { dial: l.url })));
    await waitFor(() => cvValue(c) >= 2, ARRIVE_MS, "2 pipe additions");
    expect(cvValue(c)).toBe(2);
    expect(stat(rep, "pipes")).toBe(2);
    expect(stat(l, "pipes")).toBe(2);
    clients[0]!.close();
    await waitFor(() => cvValue(c) >= 3, ARRIVE_MS, "1 pipe removal");
    expect(cvValue(c)).toBe(3);
    // The count is updated before the user's notification is signalled.
    expect(stat(rep, "pipes")).toBe(1);
    // Turned off: the counts go on.
    pipeNotify(rep, null, {});
    clients[1]!.close();
    await waitFor(() => stat(rep, "pipes") === 0, ARRIVE_MS, "the second client to go");
    expect(cvValue(c)).toBe(3);
  });
});
