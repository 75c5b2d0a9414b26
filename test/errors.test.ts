// Bad input gets a clear error and never a crash: misuse throws TypeError, NNG refusals throw (or
// return) NngError with NNG's code and a message naming what was refused.
import { describe, expect, test } from "bun:test";
import {
  context,
  cv,
  dial,
  ErrorCode,
  errorText,
  isErrorValue,
  isNulByte,
  listen,
  NngError,
  nngError,
  PROTOCOLS,
  recv,
  recvAio,
  send,
  sendAio,
  socket,
  until,
  type Socket,
} from "../src/index";
import { inFlightCount } from "../src/runtime";
import { TRANSPORTS, uniqueAddress, waitFor, closeAfterEach } from "./helpers";

const track = closeAfterEach();

/** What `f` throws (fails the test if it returns). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an exception, none was thrown");
}

function nngThrown(f: () => unknown, code: number): NngError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(NngError);
  expect((e as NngError).code).toBe(code);
  expect((e as NngError).message).toContain(nngError(code));
  return e as NngError;
}

function typeThrown(f: () => unknown, text?: string | RegExp): TypeError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(TypeError);
  if (text !== undefined) expect((e as TypeError).message).toMatch(text);
  return e as TypeError;
}

describe("unknown protocol", () => {
  test("socket('nope') throws a TypeError naming the valid protocols", () => {
    const e = typeThrown(() => socket("nope" as never), /nope/);
    for (const name of Object.keys(PROTOCOLS)) expect(e.message).toContain(name);
  });

  test("non-string and inherited names are refused too", () => {
    for (const bad of [undefined, null, 3, {}, "", "PUSH", "toString", "__proto__", "constructor"]) {
      typeThrown(() => socket(bad as never), /unknown protocol/);
    }
  });

  test("every valid protocol opens", () => {
    for (const name of Object.keys(PROTOCOLS) as (keyof typeof PROTOCOLS)[]) {
      const s = track(socket(name));
      expect(s.protocol).toBe(name);
      expect(s.closed).toBe(false);
      const r = track(socket(name, { raw: true }));
      expect(r.raw).toBe(true);
    }
  });
});

describe("bad URLs", () => {
  test("dial 'not a url' throws NngError with a code and the URL", () => {
    const s = track(socket("pair"));
    // NNG 2.0 reads a URL without "://" as an unknown scheme (9); NNG 1.x said invalid (3).
    const e = nngThrown(() => dial(s, "not a url"), ErrorCode.ENOTSUP);
    expect(e.message).toContain("'not a url'");
    expect(s.dialers.length).toBe(0);
  });

  test("listen 'tcp://999.1.1.1:x' throws NngError (invalid argument) naming the URL", () => {
    const s = track(socket("pair"));
    // NNG 2.0's URL parser refuses a port that is not a number (3); NNG 1.x said address invalid (15).
    const e = nngThrown(() => listen(s, "tcp://999.1.1.1:x"), ErrorCode.EINVAL);
    expect(e.message).toContain("tcp://999.1.1.1:x");
    expect(s.listeners.length).toBe(0);
  });

  test("an unknown scheme 'foo://x' throws NngError (not supported) for dial and listen", () => {
    const s = track(socket("pair"));
    expect(nngThrown(() => dial(s, "foo://x"), ErrorCode.ENOTSUP).message).toContain("foo://x");
    expect(nngThrown(() => listen(s, "foo://x"), ErrorCode.ENOTSUP).message).toContain("foo://x");
  });

  test("other malformed addresses: a clear NngError each, and the socket stays usable", () => {
    const s = track(socket("pair"));
    const cases: [typeof dial | typeof listen, string, number][] = [
      [dial, "tcp://127.0.0.1", ErrorCode.EADDRINVAL], // no port to dial
      [dial, "tcp://", ErrorCode.EADDRINVAL],
      [dial, "tcp://:5", ErrorCode.EADDRINVAL], // no host to dial
      [dial, "ipc://", ErrorCode.EADDRINVAL],
      [dial, "://x", ErrorCode.ENOTSUP],
      [listen, "tcp://127.0.0.1:99999", ErrorCode.EINVAL], // ports NNG 2.0's parser refuses
      [listen, "tcp://127.0.0.1:-1", ErrorCode.EINVAL],
      [listen, "ipc://", ErrorCode.EADDRINVAL],
      [listen, "://x", ErrorCode.ENOTSUP],
    ];
    for (const [f, url, code] of cases) {
      expect(nngThrown(() => f(s, url), code).message).toContain(`'${url}'`);
    }
    expect(s.dialers.length).toBe(0);
    expect(s.listeners.length).toBe(0);
    // Still works afterwards.
    const l = listen(s, uniqueAddress("inproc"));
    expect(l.closed).toBe(false);
  });

  test("socket(..., { dial: bad }) throws and closes the socket it opened", () => {
    nngThrown(() => socket("pair", { dial: "not a url" }), ErrorCode.ENOTSUP);
    nngThrown(() => socket("pair", { listen: ["inproc://ok-" + Math.random(), "foo://x"] }), ErrorCode.ENOTSUP);
  });

  test("a non-string URL is a TypeError", () => {
    const s = track(socket("pair"));
    for (const bad of [5, undefined, null, {}, ["inproc://x"], ""]) {
      typeThrown(() => dial(s, bad as never), /URL string/);
      typeThrown(() => listen(s, bad as never), /URL string/);
    }
    typeThrown(() => dial(s, "inproc://a\0b"), /nul/);
    typeThrown(() => socket("pair", { listen: 5 as never }), /URL string/);
    typeThrown(() => socket("pair", { dial: {} as never }), /URL string/);
  });

  test("dial/listen/context on something that is not a socket is a TypeError", () => {
    typeThrown(() => dial({} as never, "inproc://x"), /Socket/);
    typeThrown(() => listen(null as never, "inproc://x"), /Socket/);
    typeThrown(() => context("rep" as never), /Socket/);
  });
});

describe("address in use", () => {
  for (const transport of TRANSPORTS) {
    test(`listening twice on the same address throws NngError 10 (${transport})`, () => {
      const a = track(socket("pair"));
      const first = listen(a, uniqueAddress(transport));
      const b = track(socket("pair"));
      const e = nngThrown(() => listen(b, first.url), ErrorCode.EADDRINUSE);
      expect(e.message).toContain(first.url);
      expect(b.listeners.length).toBe(0);
      // The same socket cannot listen twice at one address either.
      nngThrown(() => listen(a, first.url), ErrorCode.EADDRINUSE);
      // The first listener is unharmed: a peer connects through it.
      const peer = track(socket("pair"));
      dial(peer, first.url);
    });
  }
});

describe("bad option values", () => {
  test("bad block values are TypeErrors", () => {
    const s = track(socket("pair"));
    for (const bad of [-1, 1.5, NaN, Infinity, "yes", null, {}, 2 ** 31]) {
      typeThrown(() => send(s, "x", { block: bad as never }), /block/);
      typeThrown(() => recv(s, { block: bad as never }), /block/);
    }
  });

  test("bad timeout values are TypeErrors", () => {
    const s = track(socket("pair"));
    for (const bad of [-1, 0.5, NaN, Infinity, "100", null, 2 ** 31]) {
      typeThrown(() => sendAio(s, "x", { timeout: bad as never }), /timeout/);
      typeThrown(() => recvAio(s, { timeout: bad as never }), /timeout/);
    }
    expect(inFlightCount()).toBe(0); // nothing was started
  });

  test("bad pipe values are TypeErrors", () => {
    const s = track(socket("pair"));
    for (const bad of [0, -3, 1.5, NaN, "1", null, 2 ** 32]) {
      typeThrown(() => sendAio(s, "x", { pipe: bad as never }), /pipe/);
    }
    expect(inFlightCount()).toBe(0);
  });

  test("bad modes and unsendable values are TypeErrors", () => {
    const s = track(socket("pair"));
    typeThrown(() => send(s, "x", { mode: "nope" as never }), /send mode/);
    typeThrown(() => recv(s, { mode: 12 as never }), /receive mode/);
    typeThrown(() => recvAio(s, { mode: "bytes" as never }), /receive mode/);
    typeThrown(() => send(s, () => 1), /serial/);
    typeThrown(() => sendAio(s, { a: 1 }, { mode: "raw" }), /raw mode/);
    const c = track(cv());
    typeThrown(() => until(c, -5), /until/);
    expect(inFlightCount()).toBe(0);
  });

  test("send/recv/sendAio/recvAio on a non-socket are TypeErrors", () => {
    for (const bad of [undefined, null, 5, "pair", {}, { id: 1, target: 0 }]) {
      typeThrown(() => send(bad as never, "x"), /Socket or a Context/);
      typeThrown(() => recv(bad as never), /Socket or a Context/);
      typeThrown(() => sendAio(bad as never, "x"), /Socket or a Context/);
      typeThrown(() => recvAio(bad as never), /Socket or a Context/);
    }
    // A dialer or a listener is not a Connection either.
    const s = track(socket("pair"));
    const l = listen(s, uniqueAddress("inproc"));
    typeThrown(() => send(l as never, "x"), /Socket or a Context/);
  });
});

describe("error values and helpers", () => {
  test("nngError and errorText", () => {
    expect(nngError(5)).toBe("5 | Timed out");
    expect(nngError(7)).toBe("7 | Object closed");
    expect(nngError(20)).toBe("20 | Operation canceled");
    expect(errorText(6)).toBe("Connection refused");
    // Unknown codes still give text, never a crash.
    expect(nngError(9999)).toStartWith("9999 | ");
  });

  test("NngError: an Error with NNG's code, and the code's text in its message", () => {
    const e = new NngError(10, "cannot listen at 'inproc://x'");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("NngError");
    expect(e.code).toBe(10);
    expect(e.message).toBe("10 | Address in use: cannot listen at 'inproc://x'");
    expect(new NngError(5).message).toBe("5 | Timed out");
  });

  test("isErrorValue", () => {
    expect(isErrorValue(new NngError(5))).toBe(true);
    const s = track(socket("pull"));
    const got = recv(s);
    expect(isErrorValue(got)).toBe(true);
    expect((got as NngError).code).toBe(ErrorCode.EAGAIN);
    for (const x of [0, 5, null, undefined, "5 | Timed out", new Error("x"), { code: 5 }, new Uint8Array([0])]) {
      expect(isErrorValue(x)).toBe(false);
    }
  });

  test("isNulByte", () => {
    expect(isNulByte(new Uint8Array([0]))).toBe(true);
    expect(isNulByte(Buffer.from([0]))).toBe(true);
    for (const x of [
      new Uint8Array([]),
      new Uint8Array([1]),
      new Uint8Array([0, 0]),
      new Int8Array([0]),
      [0],
      0,
      "\0",
      null,
      undefined,
    ]) {
      expect(isNulByte(x)).toBe(false);
    }
  });

  test("a received single nul byte is kept as the byte in serial mode", async () => {
    const a = track(socket("pair"));
    const l = listen(a, uniqueAddress("inproc"));
    const b = track(socket("pair"));
    dial(b, l.url);
    const r = recvAio(b);
    expect(await sendAio(a, new Uint8Array([0]), { mode: "raw" })).toBe(0);
    const v = await r;
    expect(isNulByte(v)).toBe(true);
    expect(isErrorValue(v)).toBe(false);
  });
});

describe("blocking dial", () => {
  test("dial { block: true } to tcp where nobody listens throws NngError 6; the default dial succeeds", () => {
    // A port that was just bound and released: nothing listens there.
    const probe = socket("pair");
    const url = listen(probe, "tcp://127.0.0.1:0").url;
    probe.close();
    expect(url).not.toEndWith(":0");

    const s = track(socket("pair"));
    const e = nngThrown(() => dial(s, url, { block: true }), ErrorCode.ECONNREFUSED);
    expect(e.message).toContain(url);
    expect(s.dialers.length).toBe(0);

    const d = dial(s, url);
    expect(d.started).toBe(true);
    expect(d.closed).toBe(false);
    expect(d.url).toBe(url);
    expect(s.dialers).toContain(d);
  });

  for (const transport of ["inproc", "ipc"] as const) {
    test(`dial { block: true } with no listener throws 6; a non-blocking dial connects once one appears (${transport})`, async () => {
      const url = uniqueAddress(transport);
      const s = track(socket("pair"));
      nngThrown(() => dial(s, url, { block: true }), ErrorCode.ECONNREFUSED);

      dial(s, url); // nobody there yet: retried in the background
      const server: Socket = track(socket("pair"));
      listen(server, url);
      const r = recvAio<string>(server, { timeout: 4000 });
      const sent = sendAio(s, "late listener", { timeout: 4000 });
      expect(await r).toBe("late listener");
      expect(await sent).toBe(0);
    });
  }

  test("a blocking dial to a listener that is there succeeds", async () => {
    const server = track(socket("pair"));
    const l = listen(server, "tcp://127.0.0.1:0");
    const client = track(socket("pair"));
    const d = dial(client, l.url, { block: true });
    expect(d.started).toBe(true);
    // Connected already: a non-blocking send goes through at once.
    expect(send(client, "now")).toBe(0);
    expect(await recvAio(server, { timeout: 2000 })).toBe("now");
  });
});

describe("operations a protocol does not have", () => {
  test("send on pull or sub, receive on push or pub: error 9 naming the protocol, sync and async, sockets and contexts", async () => {
    for (const p of ["pull", "sub"] as const) {
      const s = track(socket(p)) as Socket;
      const e = send(s as never, "x") as NngError;
      expect(e).toBeInstanceOf(NngError);
      expect(e.code).toBe(ErrorCode.ENOTSUP);
      expect(e.message).toContain(`a ${p} socket cannot send`);
      const aio = sendAio(s as never, "x");
      expect(aio.result).toMatchObject({ code: ErrorCode.ENOTSUP });
      expect(await aio.then(() => 0, (err: NngError) => err.message)).toContain("cannot send");
    }
    const subCtx = track(context(track(socket("sub"))));
    expect((send(subCtx as never, "x") as NngError).message).toContain("a sub context cannot send");
    for (const p of ["push", "pub"] as const) {
      const s = track(socket(p)) as Socket;
      const e = recv(s as never) as NngError;
      expect(e.code).toBe(ErrorCode.ENOTSUP);
      expect(e.message).toContain(`a ${p} socket cannot receive`);
      expect(recvAio(s as never).data).toMatchObject({ code: ErrorCode.ENOTSUP });
    }
  });
});

describe("synchronous calls that may not block", () => {
  test("nothing to receive, no room to send: error 8 on sockets and contexts alike", () => {
    const rep = track(socket("rep"));
    const ctx = track(context(rep));
    expect(recv(rep, { block: false })).toMatchObject({ code: ErrorCode.EAGAIN });
    expect(recv(ctx, { block: false })).toMatchObject({ code: ErrorCode.EAGAIN });
    const push = track(socket("push")) as Socket;
    expect(send(push as never, "x", { block: false })).toMatchObject({ code: ErrorCode.EAGAIN });
    // With a time of its own, the wait ends with 5 (timed out).
    expect(recv(ctx, { block: 20 })).toMatchObject({ code: ErrorCode.ETIMEDOUT });
  });
});
