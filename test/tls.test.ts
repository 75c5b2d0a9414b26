// TLS: writeCert's certificates, tlsConfig's client/server/auth semantics, req/rep over tls+tcp://
// and wss:// on loopback, refusal of untrusted peers, configs from PEM files, bad input, and the
// ownership of TlsConfig (idempotent close; NNG keeps its own reference for the endpoints).
//
// Refusals are asserted with bounded timeouts: a blocking dial throws at once, or a request times out
// while the endpoints' "auth" statistic (NNG counts handshake failures there) goes up. Every Aio is
// awaited before its socket closes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import tls from "node:tls";
import { join } from "node:path";
import {
  dial,
  ErrorCode,
  listen,
  NngError,
  recvAio,
  sendAio,
  socket,
  stat,
  TlsConfig,
  tlsConfig,
  writeCert,
  type Cert,
  type Dialer,
  type Listener,
  type Socket,
} from "../src/index";
import { waitFor } from "./helpers";

const TEST_MS = 5000;
const ARRIVE_MS = 2000;
/** How long a request waits before we conclude that no connection came up. */
const REFUSED_MS = 300;

const TCP = "tls+tcp://127.0.0.1:0";
const WSS = "wss://127.0.0.1:0/tls-test";

// An EC P-256 certificate for CN=127.0.0.1 valid 2000-9999 and its key encrypted with the password
// "s3cret" (AES-256-CBC, OpenSSL's traditional PEM encryption), made once with openssl: writeCert
// writes unencrypted keys only, and `pass` needs an encrypted one. A test key, used nowhere else.
const ENCRYPTED_CERT = `-----BEGIN CERTIFICATE-----
MIIBSjCB8aADAgECAgEBMAoGCCqGSM49BAMCMBQxEjAQBgNVBAMMCTEyNy4wLjAu
MTAgFw0wMDAxMDEwMDAwMDBaGA85OTk5MTIzMTIzNTk1OVowFDESMBAGA1UEAwwJ
MTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAcZQI9qw923snUyD
OsRnwpK7HL+/HG5eMs0ZrFHk4C0DVJsc1P+pPNaV+zUKgrGieOeiyiMeJvXjVjrC
6sPGVKMyMDAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUtHWdnSf6PEaIa3TD
F5gmtwL+cicwCgYIKoZIzj0EAwIDSAAwRQIhALBlceW/HIa78E6eS+wnzQNJ43l3
MoYWFPYgMCno/zmBAiBq3mgWU5xxLJczCVM95gb5ko4aDFBb2hdn6CyBUwFcqQ==
-----END CERTIFICATE-----
`;
const ENCRYPTED_KEY = `-----BEGIN EC PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-256-CBC,BE57B4D9540D1A260FAB05391BA3BAA6

drqm61Af413ZP569v6MnGtXmVGqyxSjAZ1mvfFFmkVLBTyHpq7D2e/QIoRDm/v+K
EWTTaneqD5nq/Bn9UIgZLyStCqTUI7ddPx/lxNxsSfl5N+FlGtMYlup/3DRCDtEk
gt5cZlOEDKSnhpSnkzmI6ByeQndDjMlTvS8CHhMXe7s=
-----END EC PRIVATE KEY-----
`;

// Certificates are made once: the server's (CN=127.0.0.1, the host dialed), a second unrelated one
// (the wrong CA), and a client's own (for mutual TLS).
let server: Cert;
let other: Cert;
let clientCert: Cert;
let dir: string;

beforeAll(() => {
  server = writeCert({ cn: "127.0.0.1" });
  other = writeCert({ cn: "127.0.0.1" });
  clientCert = writeCert({ cn: "bun-nng test client" });
  dir = mkdtempSync(join(tmpdir(), "bun-nng-tls-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function settled(aio: PromiseLike<unknown>): Promise<unknown> {
  try {
    return await aio;
  } catch (err) {
    if (err instanceof NngError) return err;
    throw err;
  }
}

/** One request and its reply between a connected (or connecting) req and rep. */
async function roundTrip(req: Socket, rep: Socket, text = "ping"): Promise<void> {
  const got = recvAio(rep, { mode: "string", timeout: ARRIVE_MS });
  const sent = sendAio(req, text, { mode: "raw", timeout: ARRIVE_MS });
  expect(await settled(sent)).toBe(0);
  expect(await settled(got)).toBe(text);
  const answer = recvAio(req, { mode: "string", timeout: ARRIVE_MS });
  expect(await settled(sendAio(rep, `${text}-reply`, { mode: "raw", timeout: ARRIVE_MS }))).toBe(0);
  expect(await settled(answer)).toBe(`${text}-reply`);
}

/** No request gets through within REFUSED_MS: both sides time out (error 5). */
async function expectNoConnection(req: Socket, rep: Socket): Promise<void> {
  const got = recvAio(rep, { timeout: REFUSED_MS });
  const sent = sendAio(req, "nope", { mode: "raw", timeout: REFUSED_MS });
  const [s, g] = await Promise.all([settled(sent), settled(got)]);
  expect((s as NngError).code).toBe(ErrorCode.ETIMEDOUT);
  expect((g as NngError).code).toBe(ErrorCode.ETIMEDOUT);
  expect(stat(req, "pipes")).toBe(0);
}

/** Handshake failures NNG counted on an endpoint ("auth": ECRYPTO and EPEERAUTH). */
async function waitForAuthFailure(ep: Dialer | Listener): Promise<void> {
  await waitFor(() => (stat(ep, "auth") ?? 0) >= 1, ARRIVE_MS, "a TLS handshake failure");
}

function codeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof NngError) return err.code;
    throw err;
  }
  throw new Error("expected an NngError");
}

describe("writeCert", () => {
  test("returns a PEM certificate and EC private key in nanonext's shape", () => {
    const c = writeCert();
    expect(Object.keys(c).sort()).toEqual(["client", "server"]);
    const [cert, key] = c.server;
    expect(cert).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END EC PRIVATE KEY-----\n$/);
    expect(c.client).toEqual([cert, ""]);
    // Every call makes a new key and certificate.
    const d = writeCert();
    expect(d.server[0]).not.toBe(cert);
    expect(d.server[1]).not.toBe(key);
  });

  test("the certificate serves as a server's own and as the CA its clients trust", () => {
    using s = tlsConfig({ server: server.server });
    using c = tlsConfig({ client: server.client });
    expect(s.mode).toBe("server");
    expect(c.mode).toBe("client");
  });

  test("cn and valid are checked", () => {
    expect(() => writeCert({ cn: "" })).toThrow(TypeError);
    expect(() => writeCert({ cn: "x".repeat(65) })).toThrow(TypeError);
    expect(() => writeCert({ cn: "a\\b" })).toThrow(TypeError);
    expect(() => writeCert({ cn: 42 as unknown as string })).toThrow(TypeError);
    expect(() => writeCert({ valid: "2030" })).toThrow(TypeError);
    expect(() => writeCert({ valid: "20301340000000" })).toThrow(/not a real date/);
    expect(() => writeCert({ valid: "20000101000000" })).toThrow(/not in the future/);
    expect(() => writeCert({ valid: new Date(Number.NaN) })).toThrow(TypeError);
    expect(() => writeCert({ bogus: 1 } as never)).toThrow(/unknown option 'bogus'/);
    // A comma in the common name is escaped, not a second name attribute; a Date works as expiry.
    const c = writeCert({ cn: "a,b", valid: new Date(Date.now() + 86_400_000) });
    expect(c.server[0]).toContain("-----BEGIN CERTIFICATE-----");
  });
});

describe("req/rep over TLS", () => {
  for (const [name, url] of [
    ["tls+tcp", TCP],
    ["wss", WSS],
  ] as const) {
    test(
      `${name}: a client trusting the server's certificate exchanges requests`,
      async () => {
        using st = tlsConfig({ server: server.server });
        using ct = tlsConfig({ client: server.client });
        using rep = socket("rep", { listen: url, tls: st });
        const bound = rep.listeners[0]!.url;
        expect(bound).not.toContain(":0/");
        expect(bound).not.toMatch(/:0$/);
        using req = socket("req", { dial: bound, tls: ct });
        await roundTrip(req, rep);
        await roundTrip(req, rep, "again");
        expect(stat(rep.listeners[0]!, "auth")).toBe(0);
      },
      TEST_MS,
    );

    test(
      `${name}: a client with the wrong CA is refused`,
      async () => {
        using st = tlsConfig({ server: server.server });
        using wrong = tlsConfig({ client: other.client });
        using rep = socket("rep", { listen: url, tls: st });
        using req = socket("req");
        const bound = rep.listeners[0]!.url;
        // Blocking: the first attempt's verification failure is thrown.
        expect(codeOf(() => dial(req, bound, { tls: wrong, block: true }))).toBe(ErrorCode.ECRYPTO);
        expect(req.dialers).toHaveLength(0);
        // Non-blocking: the dialer keeps failing in the background; nothing gets through.
        const d = dial(req, bound, { tls: wrong });
        await waitForAuthFailure(d);
        await expectNoConnection(req, rep);
      },
      TEST_MS,
    );
  }

  test(
    "dial with block: true connects at once when the server is trusted",
    async () => {
      using st = tlsConfig({ server: server.server });
      using ct = tlsConfig({ client: server.client });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req");
      const d = dial(req, rep.listeners[0]!.url, { tls: ct, block: true });
      expect(d.started).toBe(true);
      expect(stat(d, "auth")).toBe(0);
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test(
    "dial and listen with autostart: false take the config now and use it on start()",
    async () => {
      using st = tlsConfig({ server: server.server });
      using ct = tlsConfig({ client: server.client });
      using rep = socket("rep");
      using req = socket("req");
      const l = listen(rep, TCP, { tls: st, autostart: false });
      l.start();
      const d = dial(req, l.url, { tls: ct, autostart: false });
      d.start({ block: true });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );
});

describe("server names", () => {
  test(
    "by default the client verifies the certificate against the host it dials",
    async () => {
      const localhost = writeCert({ cn: "localhost" });
      using st = tlsConfig({ server: localhost.server });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req");
      const bound = rep.listeners[0]!.url;
      // Trusted CA, but CN=localhost does not match 127.0.0.1.
      using byHost = tlsConfig({ client: localhost.client });
      expect(codeOf(() => dial(req, bound, { tls: byHost, block: true }))).toBe(ErrorCode.ECRYPTO);
      // serverName overrides the host.
      using named = tlsConfig({ client: localhost.client, serverName: "localhost" });
      expect(named.serverName).toBe("localhost");
      dial(req, bound, { tls: named, block: true });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test(
    "one client config dials servers at different hosts, each verified against its own name",
    async () => {
      // Linux routes all of 127.0.0.0/8 to loopback.
      const second = writeCert({ cn: "127.0.0.2" });
      using ct = tlsConfig({ client: [server.server[0] + second.server[0], ""] });
      using st1 = tlsConfig({ server: server.server });
      using st2 = tlsConfig({ server: second.server });
      using rep1 = socket("rep", { listen: TCP, tls: st1 });
      using rep2 = socket("rep", { listen: "tls+tcp://127.0.0.2:0", tls: st2 });
      using req1 = socket("req");
      using req2 = socket("req");
      dial(req1, rep1.listeners[0]!.url, { tls: ct, block: true });
      dial(req2, rep2.listeners[0]!.url, { tls: ct, block: true });
      await roundTrip(req1, rep1);
      await roundTrip(req2, rep2);
    },
    TEST_MS,
  );

  test(
    "tlsConfig() verifies by default (and so trusts no server); { auth: 'none' } encrypts without verifying",
    async () => {
      using noCa = tlsConfig();
      expect(noCa.mode).toBe("client");
      expect(noCa.auth).toBe("required");
      using anyServer = tlsConfig({ auth: "none" });
      expect(anyServer.mode).toBe("client");
      expect(anyServer.auth).toBe("none");
      using st = tlsConfig({ server: other.server });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req");
      expect(codeOf(() => dial(req, rep.listeners[0]!.url, { tls: noCa, block: true }))).toBe(ErrorCode.EPEERAUTH);
      dial(req, rep.listeners[0]!.url, { tls: anyServer, block: true });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );
});

describe("client authentication (auth on the server)", () => {
  async function serve(serverOpts: Parameters<typeof tlsConfig>[0], clientOpts: Parameters<typeof tlsConfig>[0]) {
    const st = tlsConfig(serverOpts);
    const ct = tlsConfig(clientOpts);
    const rep = socket("rep", { listen: TCP, tls: st });
    const req = socket("req");
    const url = rep.listeners[0]!.url;
    return {
      st,
      ct,
      rep,
      req,
      url,
      [Symbol.dispose]() {
        req.close();
        rep.close();
        ct.close();
        st.close();
      },
    };
  }

  test("defaults: required for clients, none for servers", () => {
    using c = tlsConfig({ client: server.client });
    using s = tlsConfig({ server: server.server });
    using m = tlsConfig({ server: server.server, client: clientCert.client });
    expect(c.auth).toBe("required");
    expect(s.auth).toBe("none");
    // A server given a CA for client certificates verifies them unless told otherwise.
    expect(m.auth).toBe("required");
  });

  test(
    "required: a client without a certificate is refused",
    async () => {
      using x = await serve({ server: server.server, auth: "required" }, { client: server.client });
      const code = codeOf(() => dial(x.req, x.url, { tls: x.ct, block: true }));
      // The client sees the server end the handshake: closed, or the alert as a crypto error.
      const ended: number[] = [ErrorCode.ECONNSHUT, ErrorCode.ECRYPTO, ErrorCode.EPEERAUTH, ErrorCode.ECONNRESET, ErrorCode.ECLOSED];
      expect(ended).toContain(code);
      await waitForAuthFailure(x.rep.listeners[0]!);
      dial(x.req, x.url, { tls: x.ct });
      await expectNoConnection(x.req, x.rep);
    },
    TEST_MS,
  );

  test(
    "optional: a client without a certificate is accepted",
    async () => {
      using x = await serve({ server: server.server, auth: "optional" }, { client: server.client });
      dial(x.req, x.url, { tls: x.ct, block: true });
      await roundTrip(x.req, x.rep);
      expect(stat(x.rep.listeners[0]!, "auth")).toBe(0);
    },
    TEST_MS,
  );

  test(
    "required with a client CA: a client presenting a trusted certificate is accepted (mutual TLS)",
    async () => {
      using x = await serve(
        { server: server.server, client: clientCert.client, auth: "required" },
        { client: server.client, cert: clientCert.server },
      );
      dial(x.req, x.url, { tls: x.ct, block: true });
      await roundTrip(x.req, x.rep);
    },
    TEST_MS,
  );

  test(
    "required with a client CA: a client presenting an untrusted certificate is refused; optional lets it in",
    async () => {
      {
        using x = await serve(
          { server: server.server, client: clientCert.client, auth: "required" },
          { client: server.client, cert: other.server },
        );
        expect(() => dial(x.req, x.url, { tls: x.ct, block: true })).toThrow(NngError);
        await waitForAuthFailure(x.rep.listeners[0]!);
      }
      {
        using x = await serve(
          { server: server.server, client: clientCert.client, auth: "optional" },
          { client: server.client, cert: other.server },
        );
        dial(x.req, x.url, { tls: x.ct, block: true });
        await roundTrip(x.req, x.rep);
      }
    },
    TEST_MS,
  );

  test(
    "auth none on the client: any server certificate is accepted",
    async () => {
      using x = await serve({ server: other.server }, { client: server.client, auth: "none" });
      dial(x.req, x.url, { tls: x.ct, block: true });
      await roundTrip(x.req, x.rep);
    },
    TEST_MS,
  );
});

describe("PEM files and passwords", () => {
  test(
    "configs from PEM files: the server's certificate and key in one file, the CA in another",
    async () => {
      const serverFile = join(dir, "server.pem");
      const caFile = join(dir, "ca.pem");
      writeFileSync(serverFile, server.server[0] + server.server[1]);
      writeFileSync(caFile, server.client[0]);
      using st = tlsConfig({ server: serverFile });
      using ct = tlsConfig({ client: caFile });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req", { dial: rep.listeners[0]!.url, tls: ct });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test(
    "one PEM text holding both certificate and key works as server",
    async () => {
      using st = tlsConfig({ server: server.server[0] + server.server[1] });
      using ct = tlsConfig({ client: server.client[0] });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req", { dial: rep.listeners[0]!.url, tls: ct });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test(
    "an encrypted key loads with the right password only",
    async () => {
      expect(codeOf(() => tlsConfig({ server: [ENCRYPTED_CERT, ENCRYPTED_KEY], pass: "wrong" }))).toBe(ErrorCode.ECRYPTO);
      expect(() => tlsConfig({ server: [ENCRYPTED_CERT, ENCRYPTED_KEY] })).toThrow(/'pass' is missing or wrong/);
      const file = join(dir, "encrypted.pem");
      writeFileSync(file, ENCRYPTED_CERT + ENCRYPTED_KEY);
      expect(() => tlsConfig({ server: file, pass: "wrong" })).toThrow(NngError);
      using fromFile = tlsConfig({ server: file, pass: "s3cret" });
      using st = tlsConfig({ server: [ENCRYPTED_CERT, ENCRYPTED_KEY], pass: "s3cret" });
      using ct = tlsConfig({ client: [ENCRYPTED_CERT, ""] });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req");
      dial(req, rep.listeners[0]!.url, { tls: ct, block: true });
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test("a missing file is an NngError naming it", () => {
    const missing = join(dir, "missing.pem");
    let err: unknown;
    try {
      tlsConfig({ client: missing });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NngError);
    expect((err as NngError).code).toBe(ErrorCode.ENOENT);
    expect((err as NngError).message).toContain(missing);
    expect(() => tlsConfig({ server: missing })).toThrow(NngError);
  });
});

describe("bad input", () => {
  const garbageCert = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
  const garbageKey = "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n";

  test("garbage PEM is an NngError", () => {
    expect(codeOf(() => tlsConfig({ client: garbageCert }))).toBe(ErrorCode.ECRYPTO);
    expect(codeOf(() => tlsConfig({ server: [garbageCert, server.server[1]] }))).toBe(ErrorCode.ECRYPTO);
    expect(codeOf(() => tlsConfig({ server: [server.server[0], garbageKey] }))).toBe(ErrorCode.ECRYPTO);
    expect(codeOf(() => tlsConfig({ client: [server.client[0], garbageCert] }))).toBe(ErrorCode.ECRYPTO);
    // A file that exists but holds no certificate.
    const file = join(dir, "garbage.pem");
    writeFileSync(file, "hello\n");
    expect(codeOf(() => tlsConfig({ client: file }))).toBe(ErrorCode.ECRYPTO);
  });

  test("wrong types and unknown modes are TypeErrors", () => {
    const bad: unknown[] = [
      null,
      "client",
      { client: 42 },
      { client: "" },
      { client: ["not pem", ""] },
      { client: [server.client[0], 7] },
      { server: ["only one"] },
      { server: ["not pem", "not pem"] },
      { server: [1, 2] },
      { server: server.server, cert: clientCert.server },
      { client: server.client, pass: "x" },
      { server: server.server, pass: 1 },
      { client: server.client, auth: "maybe" },
      { client: server.client, auth: true },
      { server: server.server, serverName: "x" },
      { client: server.client, serverName: "" },
      { clients: server.client },
      { client: `${server.client[0]}\0` },
    ];
    for (const opts of bad) expect(() => tlsConfig(opts as never)).toThrow(TypeError);
  });

  test("endpoints check the URL, the config and its mode", () => {
    using st = tlsConfig({ server: server.server });
    using ct = tlsConfig({ client: server.client });
    using rep = socket("rep");
    using req = socket("req");
    // A TLS URL needs a config...
    expect(() => listen(rep, TCP)).toThrow(/needs a TLS configuration/);
    expect(() => dial(req, "tls+tcp://127.0.0.1:9")).toThrow(TypeError);
    expect(() => socket("rep", { listen: WSS })).toThrow(TypeError);
    // ...a config needs a TLS URL, and must be a TlsConfig of the right mode.
    expect(() => listen(rep, "tcp://127.0.0.1:0", { tls: st })).toThrow(/applies to tls\+tcp/);
    expect(() => listen(rep, TCP, { tls: {} as TlsConfig })).toThrow(TypeError);
    expect(() => listen(rep, TCP, { tls: ct })).toThrow(/client TLS config/);
    expect(() => dial(req, "tls+tcp://127.0.0.1:9", { tls: st })).toThrow(/server TLS config/);
    expect(() => socket("req", { dial: "tcp://127.0.0.1:9", tls: "x" as never })).toThrow(TypeError);
    // Nothing was left behind by the refusals.
    expect(rep.listeners).toHaveLength(0);
    expect(req.dialers).toHaveLength(0);
    // With autostart false a TLS endpoint may be made without a config (tls-* options, then start()).
    const l = listen(rep, TCP, { autostart: false });
    expect(l.started).toBe(false);
  });
});

describe("ownership", () => {
  test("close() and using are idempotent; a closed config cannot be used", () => {
    const c = tlsConfig({ client: server.client });
    expect(c.closed).toBe(false);
    c.close();
    c.close();
    c[Symbol.dispose]();
    expect(c.closed).toBe(true);
    expect(String(c)).toContain("closed");
    using req = socket("req");
    expect(codeOf(() => dial(req, "tls+tcp://127.0.0.1:9", { tls: c }))).toBe(ErrorCode.ECLOSED);
    expect(codeOf(() => c.handle)).toBe(ErrorCode.ECLOSED);
    {
      using d = tlsConfig();
      expect(d.closed).toBe(false);
    }
  });

  test(
    "configs closed once the endpoints hold them still serve new connections",
    async () => {
      const st = tlsConfig({ server: server.server });
      const ct = tlsConfig({ client: server.client });
      using rep = socket("rep", { listen: TCP, tls: st });
      using req = socket("req");
      const url = rep.listeners[0]!.url;
      st.close();
      // The dial's connection (and so its handshake) happens after the config is closed.
      const d = dial(req, url, { tls: ct, autostart: false });
      ct.close();
      d.start({ block: true });
      await roundTrip(req, rep);
      // A second dialer on another socket: the listener accepts with NNG's reference alone.
      using req2 = socket("req");
      using ct2 = tlsConfig({ client: server.client });
      const d2 = dial(req2, url, { tls: ct2, block: true });
      expect(d2.started).toBe(true);
      await roundTrip(req2, rep, "second");
    },
    TEST_MS,
  );

  test(
    "a dropped config is freed by its finalizer while the endpoint keeps NNG's reference",
    async () => {
      using rep = socket("rep");
      using req = socket("req");
      (() => {
        listen(rep, TCP, { tls: tlsConfig({ server: server.server }) });
      })();
      Bun.gc(true);
      await Bun.sleep(0);
      Bun.gc(true);
      (() => {
        dial(req, rep.listeners[0]!.url, { tls: tlsConfig({ client: server.client }), block: true });
      })();
      Bun.gc(true);
      await roundTrip(req, rep);
    },
    TEST_MS,
  );

  test("handle, forDial and forListen give native configs for the stream transports", () => {
    using ct = tlsConfig({ client: server.client });
    using st = tlsConfig({ server: server.server });
    expect(typeof ct.handle).toBe("number");
    expect(ct.forDial("wss://127.0.0.1:1/x")).toBe(ct.forDial("tls+tcp://127.0.0.1:2"));
    expect(ct.forDial("tls+tcp://127.0.0.2:2")).not.toBe(ct.forDial("tls+tcp://127.0.0.1:2"));
    expect(st.forListen("wss://127.0.0.1:0/x")).toBe(st.handle);
    expect(() => ct.forListen("tls+tcp://127.0.0.1:0")).toThrow(TypeError);
    expect(() => st.forDial("tls+tcp://127.0.0.1:0")).toThrow(TypeError);
  });
});

describe("protocol versions (NNG 2.0 with Mbed TLS 3.6)", () => {
  // An independent client (the TLS of Bun's node:tls) reports what was negotiated.
  async function negotiated(port: number, minVersion: tls.SecureVersion, maxVersion: tls.SecureVersion): Promise<string> {
    return await new Promise<string>((resolve, reject) => {
      const c = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, minVersion, maxVersion }, () => {
        resolve(String(c.getProtocol()));
        c.destroy();
      });
      c.on("error", reject);
    });
  }

  test("a tls+tcp listener negotiates TLS 1.3 when the client has it, TLS 1.2 with a client that has only 1.2", async () => {
    const cert = writeCert({ cn: "127.0.0.1" });
    using server = tlsConfig({ server: cert.server });
    using rep = socket("rep", { listen: "tls+tcp://127.0.0.1:0", tls: server });
    const port = Number(rep.listeners[0]!.url.split(":").at(-1));
    expect(await negotiated(port, "TLSv1.2", "TLSv1.3")).toBe("TLSv1.3");
    expect(await negotiated(port, "TLSv1.2", "TLSv1.2")).toBe("TLSv1.2");
    // TLS 1.1 and older are gone from NNG 2.0.
    await expect(negotiated(port, "TLSv1", "TLSv1.1")).rejects.toThrow();
  });
});
