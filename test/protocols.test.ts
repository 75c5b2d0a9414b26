// Every protocol pair exchanges messages over every transport (inproc, ipc, tcp); raw sockets open
// for every protocol; dialing before the listener exists works.
//
// Connection set-up is asynchronous (dials are non-blocking), so nothing here assumes a peer is
// connected at once: protocols whose send waits for a peer (req, push, pair, poly) use sendAio with
// a bounded timeout; protocols that drop messages without a peer (pub, surveyor, bus) send probes
// in a bounded loop until one arrives, and the receivers then skip any late probes.
import { describe, expect, test } from "bun:test";
import {
  isErrorValue,
  NngError,
  PROTOCOLS,
  recvAio,
  send,
  sendAio,
  socket,
  type Protocol,
  type RecvAio,
  type SendAio,
  type Socket,
} from "../src/index";
import { native } from "../src/ffi";
import { cname } from "../src/strings";
import { sleep, TRANSPORTS, uniqueAddress } from "./helpers";

const TEST_MS = 5000;
/** Upper bound for one message to arrive once the peers are (or are about to be) connected. */
const ARRIVE_MS = 2000;
const PROBE = "probe";

/** sub:subscribe through the native layer (kind 1 = socket, type 7 = bytes). Empty topic: everything. */
function subscribe(sub: Socket, topic = ""): void {
  const bytes = new TextEncoder().encode(topic);
  expect(native.bnng_opt_set(1, sub.id, cname("sub:subscribe"), 7, 0, bytes, bytes.length)).toBe(0);
}

/** The settled value of an Aio: the data / result, or the NngError (never rejects). */
async function settled<T>(aio: RecvAio<T> | SendAio): Promise<T | 0 | NngError> {
  try {
    return (await aio) as T | 0;
  } catch (err) {
    if (err instanceof NngError) return err;
    throw err;
  }
}

/** Receives one string message within `ms`; fails the test on any error. */
async function recvString(s: Socket, ms = ARRIVE_MS): Promise<string> {
  const v = await settled(recvAio<string>(s, { mode: "string", timeout: ms }));
  if (isErrorValue(v)) throw new Error(`expected a message on ${s.protocol} socket, got ${v.message}`);
  return v as string;
}

/** Receives string messages until one is not a probe; returns it. */
async function recvSkippingProbes(s: Socket, ms = ARRIVE_MS): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = Math.max(1, deadline - Date.now());
    const v = await recvString(s, left);
    if (v !== PROBE) return v;
  }
}

/**
 * For protocols that drop messages while nobody is connected: sends probes from `from` until `to`
 * receives one (bounded). Afterwards the connection from -> to is known to be up.
 */
async function probeUntilConnected(from: Socket, to: Socket, ms = ARRIVE_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const rv = send(from, PROBE, { mode: "raw" });
    // A non-blocking send on pub / surveyor / bus is sent or dropped; bus may also report error 8
    // (its send queue is momentarily full, e.g. on a loaded machine): then simply try again.
    if (rv !== 0) expect(rv.code).toBe(8);
    const got = await settled(recvAio<string>(to, { mode: "string", timeout: 50 }));
    if (!isErrorValue(got)) {
      expect(got).toBe(PROBE);
      return;
    }
    expect(got.code).toBe(5); // timed out: not connected yet, try again
  }
  throw new Error(`${from.protocol} -> ${to.protocol}: no probe arrived within ${ms} ms`);
}

/** Asserts that no non-probe message arrives on `s` within `ms`. */
async function expectNothingBut(s: Socket, ms = 100): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await settled(recvAio<string>(s, { mode: "string", timeout: Math.max(1, deadline - Date.now()) }));
    if (isErrorValue(v)) {
      expect(v.code).toBe(5);
      return;
    }
    expect(v).toBe(PROBE);
  }
}

/** The URL a peer should dial to reach `s`'s first listener (the bound port for tcp). */
function urlOf(s: Socket): string {
  const url = s.listeners[0]!.url;
  expect(url).not.toMatch(/:0$/);
  return url;
}

describe.each(TRANSPORTS)("over %s", (t) => {
  test(
    "req/rep: request, then reply",
    async () => {
      using rep = socket("rep", { listen: uniqueAddress(t) });
      using req = socket("req", { dial: urlOf(rep) });
      // req queues the request until a rep is connected.
      const sent = sendAio(req, "what is 6 x 7?", { mode: "raw", timeout: ARRIVE_MS });
      expect(await recvString(rep)).toBe("what is 6 x 7?");
      expect(await settled(sent)).toBe(0);
      expect(await settled(sendAio(rep, { answer: 42 }, { timeout: ARRIVE_MS }))).toBe(0);
      expect(await settled(recvAio(req, { timeout: ARRIVE_MS }))).toEqual({ answer: 42 });
      // A second round on the same pair.
      expect(await settled(sendAio(req, [1, 2, 3], { timeout: ARRIVE_MS }))).toBe(0);
      expect(await settled(recvAio(rep, { timeout: ARRIVE_MS }))).toEqual([1, 2, 3]);
      expect(await settled(sendAio(rep, "done", { timeout: ARRIVE_MS }))).toBe(0);
      expect(await settled(recvAio(req, { timeout: ARRIVE_MS }))).toBe("done");
    },
    TEST_MS,
  );

  test(
    "push/pull: messages arrive in order",
    async () => {
      using pull = socket("pull", { listen: uniqueAddress(t) });
      using push = socket("push", { dial: urlOf(pull) });
      // push waits for a pull peer; the messages travel on one pipe, so in order.
      const sends = [0, 1, 2, 3, 4].map((i) => sendAio(push, `message ${i}`, { mode: "raw", timeout: ARRIVE_MS }));
      for (let i = 0; i < 5; i++) expect(await recvString(pull)).toBe(`message ${i}`);
      for (const s of sends) expect(await settled(s)).toBe(0);
      // pull cannot send (a type error; a JavaScript caller gets error 9).
      // @ts-expect-error -- a pull socket does not send
      const back = send(pull, "nope", { mode: "raw" });
      expect(isErrorValue(back)).toBe(true);
      expect((back as NngError).code).toBe(9); // not supported
    },
    TEST_MS,
  );

  test(
    "pub/sub: a subscribed sub receives what is published after it connected",
    async () => {
      using pub = socket("pub", { listen: uniqueAddress(t) });
      using sub = socket("sub", { dial: urlOf(pub) });
      subscribe(sub);
      // Published before the sub is connected: dropped. Publish until one arrives.
      await probeUntilConnected(pub, sub);
      expect(send(pub, "news 1", { mode: "raw", block: ARRIVE_MS })).toBe(0);
      expect(send(pub, "news 2", { mode: "raw", block: ARRIVE_MS })).toBe(0);
      expect(await recvSkippingProbes(sub)).toBe("news 1");
      expect(await recvSkippingProbes(sub)).toBe("news 2");
      // sub cannot send (a type error; a JavaScript caller gets error 9).
      // @ts-expect-error -- a sub socket does not send
      const back = send(sub, "nope", { mode: "raw" });
      expect(isErrorValue(back)).toBe(true);
      expect((back as NngError).code).toBe(9);
    },
    TEST_MS,
  );

  test(
    "surveyor/respondent: survey out, response back",
    async () => {
      using surveyor = socket("surveyor", { listen: uniqueAddress(t) });
      using respondent = socket("respondent", { dial: urlOf(surveyor) });
      // Surveys go only to respondents connected at the time: probe until one arrives.
      await probeUntilConnected(surveyor, respondent);
      expect(send(surveyor, "how are you?", { mode: "raw", block: ARRIVE_MS })).toBe(0);
      // Late probes (older surveys) may come first; the respondent answers the last one received.
      expect(await recvSkippingProbes(respondent)).toBe("how are you?");
      expect(await settled(sendAio(respondent, "fine", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(surveyor)).toBe("fine");
    },
    TEST_MS,
  );

  test(
    "bus/bus/bus: a message from any one reaches the two others",
    async () => {
      // A full mesh: bus does not forward, so each socket needs a direct pipe to each other one.
      using a = socket("bus", { listen: uniqueAddress(t) });
      using b = socket("bus", { listen: uniqueAddress(t), dial: urlOf(a) });
      using c = socket("bus", { dial: [urlOf(a), urlOf(b)] });
      await probeUntilConnected(a, b);
      await probeUntilConnected(a, c);
      await probeUntilConnected(b, c);
      const all = { a, b, c };
      for (const [name, from] of Object.entries(all)) {
        expect(send(from, `from ${name}`, { mode: "raw", block: ARRIVE_MS })).toBe(0);
        for (const to of Object.values(all)) {
          if (to !== from) expect(await recvSkippingProbes(to)).toBe(`from ${name}`);
        }
      }
      // Nobody received its own message, or anything twice.
      await Promise.all([expectNothingBut(a), expectNothingBut(b), expectNothingBut(c)]);
    },
    TEST_MS,
  );

  test(
    "pair/pair: both directions",
    async () => {
      using x = socket("pair", { listen: uniqueAddress(t) });
      using y = socket("pair", { dial: urlOf(x) });
      // pair waits for its peer.
      expect(await settled(sendAio(y, "ping", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(x)).toBe("ping");
      expect(await settled(sendAio(x, "pong", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(y)).toBe("pong");
      // And again with the receive posted first.
      const r = recvAio<Map<string, number>>(y, { timeout: ARRIVE_MS });
      expect(await settled(sendAio(x, new Map([["k", 1]]), { timeout: ARRIVE_MS }))).toBe(0);
      expect(await settled(r)).toEqual(new Map([["k", 1]]));
    },
    TEST_MS,
  );

  test(
    "poly/poly: one listener, two dialers; the listener answers a chosen peer by pipe",
    async () => {
      using hub = socket("poly", { listen: uniqueAddress(t) });
      using one = socket("poly", { dial: urlOf(hub) });
      using two = socket("poly", { dial: urlOf(hub) });
      // A dialer's send waits until its one peer is connected.
      const s1 = sendAio(one, "from one", { mode: "raw", timeout: ARRIVE_MS });
      const s2 = sendAio(two, "from two", { mode: "raw", timeout: ARRIVE_MS });
      const pipes = new Map<string, number>();
      for (let i = 0; i < 2; i++) {
        const r = recvAio<string>(hub, { mode: "string", timeout: ARRIVE_MS });
        const v = await settled(r);
        expect(isErrorValue(v)).toBe(false);
        expect(r.pipe).toBeGreaterThan(0);
        pipes.set(v as string, r.pipe);
      }
      expect([...pipes.keys()].sort()).toEqual(["from one", "from two"]);
      expect(pipes.get("from one")).not.toBe(pipes.get("from two"));
      expect(await settled(s1)).toBe(0);
      expect(await settled(s2)).toBe(0);
      // Answer each dialer on its own pipe.
      expect(await settled(sendAio(hub, "to two", { mode: "raw", pipe: pipes.get("from two"), timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(two)).toBe("to two");
      expect(await settled(sendAio(hub, "to one", { mode: "raw", pipe: pipes.get("from one"), timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(one)).toBe("to one");
      // Neither dialer got the other's message.
      for (const s of [one, two]) {
        const extra = await settled(recvAio(s, { timeout: 50 }));
        expect(isErrorValue(extra) && extra.code).toBe(5);
      }
    },
    TEST_MS,
  );

  test(
    "raw push/pull and raw pair exchange messages",
    async () => {
      using pull = socket("pull", { raw: true, listen: uniqueAddress(t) });
      using push = socket("push", { raw: true, dial: urlOf(pull) });
      expect(await settled(sendAio(push, "raw hello", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(pull)).toBe("raw hello");

      using x = socket("pair", { raw: true, listen: uniqueAddress(t) });
      using y = socket("pair", { raw: true, dial: urlOf(x) });
      expect(await settled(sendAio(y, "raw ping", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(x)).toBe("raw ping");
      expect(await settled(sendAio(x, "raw pong", { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
      expect(await recvString(y)).toBe("raw pong");
    },
    TEST_MS,
  );

  test(
    "a raw rep receives a cooked req's request body (the header stays out of the body)",
    async () => {
      using rep = socket("rep", { raw: true, listen: uniqueAddress(t) });
      using req = socket("req", { dial: urlOf(rep) });
      const sent = sendAio(req, "request body", { mode: "raw", timeout: ARRIVE_MS });
      const r = recvAio<Uint8Array>(rep, { mode: "raw", timeout: ARRIVE_MS });
      const body = await settled(r);
      expect(body).toEqual(new TextEncoder().encode("request body"));
      expect(r.pipe).toBeGreaterThan(0);
      expect(await settled(sent)).toBe(0);
    },
    TEST_MS,
  );
});

describe("raw sockets", () => {
  test("open for every protocol", () => {
    for (const p of Object.keys(PROTOCOLS) as Protocol[]) {
      using s = socket(p, { raw: true });
      expect(s.raw).toBe(true);
      expect(s.protocol).toBe(p);
      expect(s.id).toBeGreaterThan(0);
      using cooked = socket(p);
      expect(cooked.raw).toBe(false);
    }
  });
});

describe("sub topics", () => {
  test(
    "a sub receives only the topics it subscribed to",
    async () => {
      using pub = socket("pub", { listen: uniqueAddress("inproc") });
      using sub = socket("sub", { dial: urlOf(pub) });
      subscribe(sub, "weather/");
      // Probes must match the subscription to arrive.
      const deadline = Date.now() + ARRIVE_MS;
      for (;;) {
        expect(send(pub, "weather/probe", { mode: "raw", block: ARRIVE_MS })).toBe(0);
        const v = await settled(recvAio(sub, { mode: "string", timeout: 50 }));
        if (!isErrorValue(v)) break;
        if (Date.now() > deadline) throw new Error("sub never connected");
      }
      expect(send(pub, "sport/football", { mode: "raw", block: ARRIVE_MS })).toBe(0);
      expect(send(pub, "weather/rain", { mode: "raw", block: ARRIVE_MS })).toBe(0);
      let got: string;
      do got = await recvString(sub);
      while (got === "weather/probe");
      expect(got).toBe("weather/rain");
      // Not subscribed: nothing.
      const none = await settled(recvAio(sub, { timeout: 50 }));
      expect(isErrorValue(none) && none.code).toBe(5);
    },
    TEST_MS,
  );
});

describe("dial before listen", () => {
  for (const t of ["ipc", "inproc"] as const) {
    test(
      `over ${t}: the dialer connects once the listener appears, and the message arrives`,
      async () => {
        const url = uniqueAddress(t);
        using push = socket("push", { dial: url });
        expect(push.dialers.length).toBe(1);
        await sleep(50);
        using pull = socket("pull", { listen: url });
        // push waits for the background dialer's retry to connect.
        const sent = sendAio(push, "early bird", { mode: "raw", timeout: 3000 });
        expect(await recvString(pull, 3000)).toBe("early bird");
        expect(await settled(sent)).toBe(0);
      },
      TEST_MS,
    );
  }
});

