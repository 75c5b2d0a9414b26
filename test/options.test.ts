// opt / setOpt on sockets, contexts, dialers and listeners, typed from the option table
// (src/options.ts): every readable and writable socket option round-trips; context options are the
// context's own; endpoint options (url, bound-port, reconnect times, ipc:permissions with the
// socket file's mode); the error cases (TypeError for a wrong type or an unknown name, NngError 24
// read-only, 25 write-only, 9 not applicable); and stat().
import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import {
  context,
  cv,
  cvValue,
  dial,
  listen,
  NngError,
  opt,
  OPTIONS,
  pipeNotify,
  recvAio,
  request,
  sendAio,
  setOpt,
  socket,
  stat,
  UNRESOLVED,
  type OptionName,
  type Protocol,
  type Socket,
} from "../src/index";
import { inFlightCount } from "../src/runtime";
import { uniqueAddress, waitFor, closeAfterEach } from "./helpers";

const track = closeAfterEach();

/** The NngError `f` throws (fails if it throws something else, or nothing). */
function nngErrorOf(f: () => unknown): NngError {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NngError);
  return caught as NngError;
}

/** For each readable and writable socket option: a protocol it applies to and a non-default value. */
const SOCKET_VALUES: Record<string, { protocol: Protocol; value: boolean | number | string }> = {
  "recv-buffer": { protocol: "pull", value: 77 },
  "send-buffer": { protocol: "push", value: 55 },
  "recv-timeout": { protocol: "req", value: 1234 },
  "send-timeout": { protocol: "req", value: 4321 },
  "recv-size-max": { protocol: "pair", value: 65536 },
  "reconnect-time-min": { protocol: "req", value: 250 },
  "reconnect-time-max": { protocol: "req", value: 5000 },
  "ttl-max": { protocol: "req", value: 3 },
  "req:resend-time": { protocol: "req", value: 2500 },
  "sub:prefnew": { protocol: "sub", value: false },
  "surveyor:survey-time": { protocol: "surveyor", value: 321 },
};

/** Readable and writable socket options not round-tripped here, and why (none at present). */
const NOT_HERE: Record<string, string> = {};

describe("socket options", () => {
  test("the round-trip table covers every readable and writable socket option in OPTIONS", () => {
    const rw = Object.entries(OPTIONS)
      .filter(([, spec]) => spec.read && spec.write && (spec.on as readonly string[]).includes("socket"))
      .map(([name]) => name)
      .sort();
    expect(rw).toEqual([...Object.keys(SOCKET_VALUES), ...Object.keys(NOT_HERE)].sort());
  });

  for (const [name, { protocol, value }] of Object.entries(SOCKET_VALUES)) {
    test(`${name} round-trips on a ${protocol} socket`, () => {
      const s = track(socket(protocol));
      const spec = OPTIONS[name as OptionName];
      const before = opt(s, name);
      // Typed as the table says.
      const js = spec.type === "bool" ? "boolean" : spec.type === "string" ? "string" : "number";
      expect(typeof before).toBe(js);
      // A value other than the default, so that the round trip shows something.
      expect(before).not.toEqual(value);
      setOpt(s, name, value);
      expect(opt(s, name)).toEqual(value);
      // Other sockets keep their own value.
      expect(opt(track(socket(protocol)), name)).toEqual(before);
    });
  }

  test("a number or boolean option set back to its default reads the default", () => {
    const req = track(socket("req"));
    setOpt(req, "recv-timeout", 250);
    setOpt(req, "recv-timeout", -1);
    expect(opt(req, "recv-timeout")).toBe(-1);
    const sub = track(socket("sub"));
    setOpt(sub, "sub:prefnew", false);
    setOpt(sub, "sub:prefnew", true);
    expect(opt(sub, "sub:prefnew")).toBe(true);
  });

  test("options NNG 2.0 removed are unknown names (socket-name, tls-*, local-address) or endpoint-only (tcp-*)", () => {
    const s = track(socket("req"));
    for (const name of ["socket-name", "tls-ca-file", "tls-server-name", "tls-authmode", "local-address", "ws:request-headers"]) {
      expect(() => opt(s, name)).toThrow(TypeError);
      expect(() => setOpt(s, name, "x")).toThrow(TypeError);
    }
    // Transport options are set on a dialer or listener now, no longer on the socket.
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(s, "tcp-nodelay", true)).code).toBe(9);
  });

  test("NNG's defaults read through opt", () => {
    const req = track(socket("req"));
    expect(opt(req, "recv-timeout")).toBe(-1);
    expect(opt(req, "send-timeout")).toBe(-1);
    expect(opt(req, "reconnect-time-min")).toBe(1000);
    expect(opt(req, "req:resend-time")).toBe(60000);
    expect(opt(req, "ttl-max")).toBe(8);
    // NNG 2.0's default limit (NNG 1.x had none): 1 GiB.
    expect(opt(req, "recv-size-max")).toBe(1024 * 1024 * 1024);
    expect(opt(track(socket("sub")), "sub:prefnew")).toBe(true);
    expect(opt(track(socket("surveyor")), "surveyor:survey-time")).toBe(1000);
  });

  test("read-only socket options: raw, protocol, peer, and their names", () => {
    const req = track(socket("req"));
    expect(opt(req, "raw")).toBe(false);
    expect(opt(req, "protocol")).toBe(0x30);
    expect(opt(req, "protocol-name")).toBe("req");
    expect(opt(req, "peer")).toBe(0x31);
    expect(opt(req, "peer-name")).toBe("rep");
    const raw = track(socket("rep", { raw: true }));
    expect(opt(raw, "raw")).toBe(true);
    expect(opt(raw, "protocol-name")).toBe("rep");
    expect(opt(track(socket("sub")), "peer-name")).toBe("pub");
    expect(opt(track(socket("poly")), "pair1:polyamorous")).toBe(true);
    const readOnly: [string, unknown][] = [
      ["raw", true],
      ["protocol", 1],
      ["protocol-name", "x"],
      ["peer", 1],
      ["peer-name", "x"],
      ["pair1:polyamorous", true],
    ];
    for (const [name, value] of readOnly) expect(nngErrorOf(() => setOpt(req, name, value)).code).toBe(24);
    // Unchanged.
    expect(opt(req, "protocol-name")).toBe("req");
  });

  test("NNG's own refusals come back as NngError: a value out of range (3), an option of another protocol (9)", () => {
    const req = track(socket("req"));
    expect(nngErrorOf(() => setOpt(req, "recv-buffer", 8193)).code).toBe(3);
    expect(nngErrorOf(() => setOpt(req, "ttl-max", 16)).code).toBe(3);
    expect(nngErrorOf(() => setOpt(req, "ttl-max", 0)).code).toBe(3);
    expect(opt(req, "ttl-max")).toBe(8);
    // Listed for sockets, but not for this protocol.
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(req, "sub:prefnew")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(req, "surveyor:survey-time", 100)).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(track(socket("rep")), "req:resend-time")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(track(socket("pair")), "pair1:polyamorous")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(track(socket("pub")), "sub:subscribe", "x")).code).toBe(9);
  });

  test("recv-timeout takes effect: a blocking context receive gives up with 5", async () => {
    const rep = track(socket("rep"));
    setOpt(rep, "recv-timeout", 40);
    const t0 = performance.now();
    // No time limit of its own: the socket's recv-timeout (inherited by the context) applies.
    const e = await recvAio(context(rep)).then(
      () => null,
      (err: NngError) => err,
    );
    expect(e?.code).toBe(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(30);
  });

  test("recv-size-max takes effect: a message within it arrives; a larger one does not (tcp drops the connection)", async () => {
    const pull = track(socket("pull"));
    setOpt(pull, "recv-size-max", 100);
    const l = listen(pull, uniqueAddress("tcp"));
    const push = track(socket("push"));
    const dropped = track(cv());
    pipeNotify(push, dropped, { remove: true });
    dial(push, l.url);
    const small = new Uint8Array(100).fill(1);
    expect(await sendAio(push, small, { mode: "raw", timeout: 3000 })).toBe(0);
    expect(await recvAio(pull, { mode: "raw", timeout: 3000 })).toEqual(small);
    const r = recvAio<Uint8Array>(pull, { mode: "raw", timeout: 3000 });
    expect(await sendAio(push, new Uint8Array(101), { mode: "raw", timeout: 3000 })).toBe(0);
    await waitFor(() => cvValue(dropped) >= 1, 3000, "the connection to be dropped");
    expect(r.data).toBe(UNRESOLVED);
  });
});

describe("context options", () => {
  test("recv-timeout on a req context is the context's own, and takes effect", async () => {
    const rep = track(socket("rep"));
    const l = listen(rep, uniqueAddress("inproc"));
    const req = track(socket("req", { dial: l.url }));
    setOpt(req, "recv-timeout", 5000);
    const ctx = context(req);
    // A new context starts from the socket's value.
    expect(opt(ctx, "recv-timeout")).toBe(5000);
    setOpt(ctx, "recv-timeout", 60);
    expect(opt(ctx, "recv-timeout")).toBe(60);
    expect(opt(req, "recv-timeout")).toBe(5000);
    expect(opt(context(req), "recv-timeout")).toBe(5000);
    // The request's receive uses it: the server takes the request but never answers.
    const taken = recvAio(context(rep), { timeout: 3000 });
    const t0 = performance.now();
    const e = await request(ctx, "no answer").then(
      () => null,
      (err: NngError) => err,
    );
    expect(await taken).toBe("no answer");
    expect(e?.code).toBe(5);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(2500);
  });

  test("send-timeout, req:resend-time, sub:prefnew and surveyor:survey-time on contexts", () => {
    const req = track(socket("req"));
    const rctx = context(req);
    setOpt(rctx, "send-timeout", 333);
    expect(opt(rctx, "send-timeout")).toBe(333);
    setOpt(rctx, "req:resend-time", 999);
    expect(opt(rctx, "req:resend-time")).toBe(999);
    expect(opt(req, "req:resend-time")).toBe(60000);

    const sub = track(socket("sub"));
    const sctx = context(sub);
    setOpt(sctx, "sub:prefnew", false);
    expect(opt(sctx, "sub:prefnew")).toBe(false);
    expect(opt(sub, "sub:prefnew")).toBe(true);

    const surveyor = track(socket("surveyor"));
    setOpt(surveyor, "surveyor:survey-time", 321);
    const vctx = context(surveyor);
    setOpt(vctx, "surveyor:survey-time", 123);
    expect(opt(vctx, "surveyor:survey-time")).toBe(123);
    expect(opt(surveyor, "surveyor:survey-time")).toBe(321);
  });

  test("socket-only options on a context give NngError 9", () => {
    const ctx = context(track(socket("req")));
    for (const name of ["recv-buffer", "raw", "protocol-name", "ttl-max", "reconnect-time-min", "url"] as const) {
      expect(nngErrorOf(() => opt(ctx, name)).code).toBe(9);
    }
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(ctx, "ttl-max", 3)).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(ctx, "tcp-nodelay", true)).code).toBe(9);
  });
});

describe("dialer and listener options", () => {
  test("url is readable and read-only on a dialer and a listener", () => {
    const s = track(socket("rep"));
    const url = uniqueAddress("ipc");
    const l = listen(s, url);
    const d = dial(track(socket("req")), url);
    expect(opt(l, "url")).toBe(url);
    expect(opt(d, "url")).toBe(url);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "url", "ipc:///elsewhere")).code).toBe(24);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(d, "url", "ipc:///elsewhere")).code).toBe(24);
    expect(opt(l, "url")).toBe(url);
  });

  test("tcp-bound-port on a tcp listener equals the port in listener.url; unavailable before start", () => {
    const s = track(socket("rep"));
    const l = listen(s, "tcp://127.0.0.1:0", { autostart: false });
    expect(l.url).toBe("tcp://127.0.0.1:0");
    expect(nngErrorOf(() => opt(l, "tcp-bound-port")).code).toBe(11);
    l.start();
    const port = opt(l, "tcp-bound-port");
    // NNG 2.0 calls it bound-port; the old name stays an alias.
    expect(opt(l, "bound-port")).toBe(port);
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    expect(l.url).toBe(`tcp://127.0.0.1:${port}`);
    expect(new URL(l.url).port).toBe(String(port));
    expect(opt(l, "url")).toBe(l.url);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "tcp-bound-port", 1234)).code).toBe(24);
    // Only listeners have it.
    const d = dial(track(socket("req")), l.url);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(d, "tcp-bound-port")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(s, "tcp-bound-port")).code).toBe(9);
  });

  test("reconnect-time-min/max on a dialer (a dialer inherits the socket's), not on a listener", () => {
    const s = track(socket("req"));
    setOpt(s, "reconnect-time-min", 321);
    const d = dial(s, uniqueAddress("tcp").replace(":0", ":1"), { autostart: false });
    expect(opt(d, "reconnect-time-min")).toBe(321);
    setOpt(d, "reconnect-time-min", 123);
    expect(opt(d, "reconnect-time-min")).toBe(123);
    expect(opt(s, "reconnect-time-min")).toBe(321);
    setOpt(d, "reconnect-time-max", 4567);
    expect(opt(d, "reconnect-time-max")).toBe(4567);
    const l = listen(track(socket("rep")), uniqueAddress("tcp"));
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "reconnect-time-min", 5)).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(l, "reconnect-time-max")).code).toBe(9);
  });

  test("recv-size-max, tcp-nodelay and tcp-keepalive round-trip on tcp dialers and listeners", () => {
    const l = listen(track(socket("rep")), uniqueAddress("tcp"));
    const d = dial(track(socket("req")), l.url);
    for (const ep of [l, d]) {
      setOpt(ep, "recv-size-max", 4096);
      expect(opt(ep, "recv-size-max")).toBe(4096);
      setOpt(ep, "tcp-nodelay", false);
      expect(opt(ep, "tcp-nodelay")).toBe(false);
      setOpt(ep, "tcp-keepalive", true);
      expect(opt(ep, "tcp-keepalive")).toBe(true);
    }
  });

  for (const mode of [0o600, 0o640] as const) {
    test(`ipc:permissions ${mode.toString(8)} on an ipc listener made with autostart false, then started`, () => {
      const s = track(socket("rep"));
      const url = uniqueAddress("ipc");
      const path = url.slice("ipc://".length);
      const l = listen(s, url, { autostart: false });
      expect(l.started).toBe(false);
      setOpt(l, "ipc:permissions", mode);
      l.start();
      expect(l.started).toBe(true);
      const st = statSync(path);
      expect(st.isSocket()).toBe(true);
      expect(st.mode & 0o777).toBe(mode);
      // Write-only; and no longer settable once listening.
      // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
      expect(nngErrorOf(() => opt(l, "ipc:permissions")).code).toBe(25);
      expect(nngErrorOf(() => setOpt(l, "ipc:permissions", 0o666)).code).toBe(4);
      expect(statSync(path).mode & 0o777).toBe(mode);
    });
  }

  test("ipc:permissions applies to listeners only", () => {
    const d = dial(track(socket("req")), uniqueAddress("ipc"), { autostart: false });
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(d, "ipc:permissions", 0o600)).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(track(socket("rep")), "ipc:permissions", 0o600)).code).toBe(9);
    // On a tcp listener NNG has no such option.
    const l = listen(track(socket("rep")), uniqueAddress("tcp"), { autostart: false });
    expect(nngErrorOf(() => setOpt(l, "ipc:permissions", 0o600)).code).toBe(9);
  });
});

describe("errors", () => {
  test("a value of the wrong type is a TypeError, and nothing is set", () => {
    const s = track(socket("req"));
    const sub = track(socket("sub"));
    const cases: [Socket, string, unknown][] = [
      [s, "recv-timeout", "100"],
      [s, "recv-timeout", 1.5],
      [s, "recv-timeout", -2],
      [s, "recv-timeout", 2 ** 31],
      [s, "recv-buffer", null],
      [s, "recv-size-max", -1],
      [s, "ttl-max", "3"],
      [s, "ttl-max", true],
      [sub, "sub:subscribe", 5],
      [sub, "sub:prefnew", undefined],
    ];
    for (const [sock, name, value] of cases) {
      expect(() => setOpt(sock, name, value)).toThrow(TypeError);
    }
    expect(opt(s, "recv-timeout")).toBe(-1);
    expect(opt(s, "ttl-max")).toBe(8);
  });

  test("read-only options give NngError 24", () => {
    const s = track(socket("req"));
    const l = listen(s, uniqueAddress("tcp"));
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(s, "raw", true)).code).toBe(24);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(s, "protocol", 1)).code).toBe(24);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "url", "tcp://127.0.0.1:1")).code).toBe(24);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "tcp-bound-port", 1)).code).toBe(24);
  });

  test("reading write-only options gives NngError 25", () => {
    const sub = track(socket("sub"));
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(sub, "sub:subscribe")).code).toBe(25);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(context(sub), "sub:unsubscribe")).code).toBe(25);
    const l = listen(track(socket("rep")), uniqueAddress("ipc"), { autostart: false });
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(l, "ipc:permissions")).code).toBe(25);
  });

  test("an option that does not apply to that kind of object gives NngError 9", () => {
    const s = track(socket("req"));
    const l = listen(s, uniqueAddress("tcp"));
    const d = dial(track(socket("rep")), l.url);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(context(s), "recv-buffer")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(s, "url")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(s, "tcp-bound-port")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(d, "tcp-bound-port")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => opt(l, "recv-timeout")).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(d, "ttl-max", 3)).code).toBe(9);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(nngErrorOf(() => setOpt(l, "req:resend-time", 10)).code).toBe(9);
  });

  test("an unknown option name is a TypeError listing the known ones", () => {
    const s = track(socket("req"));
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(() => opt(s, "no-such-option")).toThrow(TypeError);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(() => opt(s, "no-such-option")).toThrow(/recv-timeout/);
    // @ts-expect-error -- a use the types forbid; a JavaScript caller gets the error checked here
    expect(() => setOpt(s, "recvtimeout", 5)).toThrow(TypeError);
    expect(() => opt(s, 5 as never)).toThrow(TypeError);
    expect(() => opt({} as never, "recv-timeout")).toThrow(TypeError);
    expect(() => setOpt(null as never, "recv-timeout", 5)).toThrow(TypeError);
  });

  test("a closed socket, context, dialer or listener gives NngError 7", () => {
    const s = socket("req");
    const ctx = context(s);
    const l = listen(s, uniqueAddress("inproc"));
    const d = dial(s, uniqueAddress("inproc"));
    s.close();
    expect(nngErrorOf(() => opt(s, "recv-timeout")).code).toBe(7);
    expect(nngErrorOf(() => setOpt(s, "recv-timeout", 5)).code).toBe(7);
    expect(nngErrorOf(() => opt(ctx, "recv-timeout")).code).toBe(7);
    expect(nngErrorOf(() => opt(l, "url")).code).toBe(7);
    expect(nngErrorOf(() => opt(d, "url")).code).toBe(7);
  });
});

describe("stat", () => {
  test('stat(socket, "pipes") counts the connections of that socket', async () => {
    // Another socket opened first: the statistics asked for must be those of the object given.
    const other = track(socket("pair"));
    const server = track(socket("rep"));
    const l = listen(server, uniqueAddress("ipc"));
    expect(stat(other, "pipes")).toBe(0);
    expect(stat(server, "pipes")).toBe(0);
    const clients = [0, 1, 2].map(() => track(socket("req", { dial: l.url })));
    // Connected: each client got an answer.
    for (const c of clients) {
      const q = recvAio(context(server), { timeout: 3000 });
      const a = request(context(c), "hi", { timeout: 3000 });
      expect(await q).toBe("hi");
      a.then(() => {}, () => {});
    }
    expect(stat(server, "pipes")).toBe(3);
    for (const c of clients) expect(stat(c, "pipes")).toBe(1);
    expect(stat(other, "pipes")).toBe(0);
    clients[0]!.close();
    await waitFor(() => stat(server, "pipes") === 2, 3000, "the server to see a client go");
    expect(stat(server, "pipes")).toBe(2);
  });

  test("stat: undefined for an unknown name; a listener's and a dialer's statistics", () => {
    const s = track(socket("rep"));
    const l = listen(s, uniqueAddress("inproc"));
    expect(stat(s, "no-such-statistic")).toBeUndefined();
    expect(typeof stat(l, "accept")).toBe("number");
    const d = dial(track(socket("req")), l.url);
    expect(typeof stat(d, "connect")).toBe("number");
    expect(() => stat(context(s) as never, "pipes")).toThrow(TypeError);
    expect(() => stat(s, 5 as never)).toThrow(TypeError);
  });
});
