// Security properties, as RELIABILITY.md ("Security") states them: TLS clients verify servers by
// default; a server signed by another CA, or whose certificate names another host, is refused over
// both tls+tcp:// and wss://, and nothing gets through; ipc socket files take the permissions set
// with ipc:permissions, and a bad value is a clear error. (Loopback only; the refusals are seen as a
// blocking dial's error, and as requests that never arrive.)
import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import {
  dial,
  ErrorCode,
  listen,
  NngError,
  recvAio,
  request,
  sendAio,
  setOpt,
  socket,
  stat,
  tlsConfig,
  writeCert,
  type Socket,
} from "../src/index";
import { closeAfterEach, codeOf, uniqueAddress } from "./helpers";

const own = closeAfterEach();

const URLS = { "tls+tcp": "tls+tcp://127.0.0.1:0", wss: "wss://127.0.0.1:0/security" } as const;
const ip = writeCert({ cn: "127.0.0.1" }); // the host the clients dial
const otherCa = writeCert({ cn: "127.0.0.1" }); // same name, another (self-signed) authority
const localhostOnly = writeCert({ cn: "localhost" }); // trusted, but for another name

/** What a throwing call throws (its NngError code), or 0. */
function thrownCode(f: () => unknown): number {
  try {
    f();
    return 0;
  } catch (e) {
    expect(e).toBeInstanceOf(NngError);
    return (e as NngError).code;
  }
}

/** A request that must not reach `rep`: it times out on the client, and rep receives nothing. */
async function nothingGetsThrough(req: Socket, rep: Socket): Promise<void> {
  const got = recvAio(rep, { timeout: 300 });
  expect(await codeOf(request(req, "secret", { timeout: 300 }))).toBe(ErrorCode.ETIMEDOUT);
  expect(await codeOf(got)).toBe(ErrorCode.ETIMEDOUT);
}

for (const [scheme, url] of Object.entries(URLS)) {
  describe(`${scheme}: clients verify the server`, () => {
    function server(cert: { server: [string, string] }): Socket {
      return own(socket("rep", { listen: url, tls: own(tlsConfig({ server: cert.server })) }));
    }

    test("a client config verifies by default: with the right CA it connects, with no CA it is refused", async () => {
      const rep = server(ip);
      const trusting = own(tlsConfig({ client: ip.client }));
      expect(trusting.auth).toBe("required");
      const noCa = own(tlsConfig());
      expect(noCa.auth).toBe("required");
      const refused = own(socket("req"));
      expect(thrownCode(() => dial(refused, rep.listeners[0]!.url, { tls: noCa, block: true }))).toBe(ErrorCode.EPEERAUTH);
      const req = own(socket("req"));
      dial(req, rep.listeners[0]!.url, { tls: trusting, block: true });
      const answer = request(req, "hello", { timeout: 2000 });
      expect(await recvAio(rep, { timeout: 2000 })).toBe("hello");
      expect(await codeOf(sendAio(rep, "world", { timeout: 2000 }))).toBe(0);
      expect(await answer).toBe("world");
    });

    test("a server certificate from another CA is refused, blocking or in the background", async () => {
      const rep = server(otherCa);
      const wrongCa = own(tlsConfig({ client: ip.client }));
      const req = own(socket("req"));
      expect(thrownCode(() => dial(req, rep.listeners[0]!.url, { tls: wrongCa, block: true }))).toBe(ErrorCode.ECRYPTO);
      dial(req, rep.listeners[0]!.url, { tls: wrongCa }); // retries in the background, never connects
      await nothingGetsThrough(req, rep);
      expect(stat(req, "pipes")).toBe(0);
    });

    test("a certificate for another host name is refused; naming that host (serverName) is accepted", async () => {
      const rep = server(localhostOnly);
      const byHost = own(tlsConfig({ client: localhostOnly.client })); // dials 127.0.0.1: mismatch
      const req = own(socket("req"));
      expect(thrownCode(() => dial(req, rep.listeners[0]!.url, { tls: byHost, block: true }))).toBe(ErrorCode.ECRYPTO);
      dial(req, rep.listeners[0]!.url, { tls: byHost });
      await nothingGetsThrough(req, rep);
      const named = own(tlsConfig({ client: localhostOnly.client, serverName: "localhost" }));
      const ok = own(socket("req"));
      dial(ok, rep.listeners[0]!.url, { tls: named, block: true });
      expect(stat(ok, "pipes")).toBe(1);
    });

    test("opting out (auth 'none') is explicit, and visible on the config", () => {
      const anyServer = own(tlsConfig({ auth: "none" }));
      expect(anyServer.auth).toBe("none");
      const rep = server(otherCa);
      const req = own(socket("req"));
      dial(req, rep.listeners[0]!.url, { tls: anyServer, block: true });
      expect(stat(req, "pipes")).toBe(1);
    });
  });
}

describe("ipc: access control through the socket file's permissions", () => {
  for (const mode of [0o600, 0o660, 0o700] as const) {
    test(`ipc:permissions ${mode.toString(8)}: the socket file has exactly that mode`, () => {
      const url = uniqueAddress("ipc");
      const l = listen(own(socket("rep")), url, { autostart: false });
      setOpt(l, "ipc:permissions", mode);
      l.start();
      const st = statSync(url.slice("ipc://".length));
      expect(st.isSocket()).toBe(true);
      expect(st.mode & 0o7777).toBe(mode);
    });
  }

  test("without the option the file follows the process umask (no write for others by default)", () => {
    const url = uniqueAddress("ipc");
    listen(own(socket("rep")), url);
    const mode = statSync(url.slice("ipc://".length)).mode & 0o777;
    expect(mode & ~(0o777 & ~process.umask())).toBe(0);
  });

  test("bad values are clear errors, and the listener is still usable", () => {
    const url = uniqueAddress("ipc");
    const l = listen(own(socket("rep")), url, { autostart: false });
    for (const bad of ["0600", 1.5, true, null, 2 ** 31]) {
      expect(() => setOpt(l, "ipc:permissions", bad as never)).toThrow(/option 'ipc:permissions' takes an integer/);
    }
    for (const bad of [-1, 0o170000, 0o200000]) {
      const code = thrownCode(() => setOpt(l, "ipc:permissions", bad));
      expect(code).toBe(ErrorCode.EINVAL);
    }
    setOpt(l, "ipc:permissions", 0o600);
    l.start();
    expect(thrownCode(() => setOpt(l, "ipc:permissions", 0o666))).toBe(ErrorCode.EBUSY); // not after start
    expect(statSync(url.slice("ipc://".length)).mode & 0o777).toBe(0o600);
  });

  test("abstract sockets have no file: NNG accepts ipc:permissions there and ignores it", () => {
    const l = listen(own(socket("rep")), `abstract://bun-nng-security-${process.pid}`, { autostart: false });
    setOpt(l, "ipc:permissions", 0o600); // no error, no effect (posix_ipclisten.c)
    l.start();
    expect(l.started).toBe(true);
  });
});
