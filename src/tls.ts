// TLS for the tls+tcp:// and wss:// transports: tlsConfig() (nanonext's tls_config) and writeCert()
// (nanonext's write_cert). A TlsConfig owns native nng_tls_config objects (NNG's, Mbed TLS engine):
// one owner, an idempotent close(), [Symbol.dispose] and a FinalizationRegistry backstop. NNG's
// configs are reference-counted and every dialer or listener given one holds its own reference, so
// a TlsConfig may be closed while endpoints still use it.
import type { Pointer } from "bun:ffi";
import { native } from "./ffi";
import { ErrorCode, NngError } from "./errors";
import { cstr } from "./strings";

/** Peer verification of a TLS config: NNG's auth modes 0, 1, 2. */
export type TlsAuth = "none" | "optional" | "required";

const AUTH: Record<TlsAuth, number> = { none: 0, optional: 1, required: 2 };
const MODE_CLIENT = 0;
const MODE_SERVER = 1;

/** A PEM text, or a path to a PEM file. */
export type PemOrPath = string;

/** Options of `tlsConfig()`. */
export interface TlsConfigOptions {
  /**
   * Without `server`: makes a client config, and this is the certificate authority chain the server's
   * certificate is verified against: PEM text, a path to a PEM file (which may also hold a revocation
   * list), or [PEM chain, PEM revocation list or ""] (writeCert().client). With `server`: the chain
   * that client certificates are verified against (mutual TLS).
   */
  client?: PemOrPath | readonly [string, string?];
  /**
   * Makes a server config with this certificate (chain, leaf first) and private key: [certificate PEM,
   * key PEM] (writeCert().server), one PEM text holding both, or a path to a PEM file holding both.
   */
  server?: PemOrPath | readonly [string, string];
  /** A client config's own certificate and key, for servers that ask for one (same forms as `server`). */
  cert?: PemOrPath | readonly [string, string];
  /** Password of an encrypted private key (of `server` or `cert`). */
  pass?: string;
  /**
   * Peer verification. Default: "required" for every client config (clients verify servers by
   * default: one made without `client` trusts no server until given a CA, or `auth: "none"` to
   * encrypt without verifying); for a server, "required" when it has a chain to verify client
   * certificates against (`client`), otherwise "none".
   */
  auth?: TlsAuth;
  /**
   * Client configs: the name the server's certificate must match (and the SNI sent). Default: the
   * host of the URL dialed, as NNG does for its own default configs.
   */
  serverName?: string;
}

type CaSource = { pem: string; crl: string | null } | { file: string };
type OwnSource = { cert: string; key: string } | { file: string };

/** The validated inputs a native config is built from (again for each host dialed). */
interface Plan {
  readonly mode: number;
  readonly auth: TlsAuth;
  readonly ca: CaSource | null;
  readonly own: OwnSource | null;
  readonly pass: string | null;
}

const KNOWN = ["client", "server", "cert", "pass", "auth", "serverName"];

// NNG takes PEM text or a file path in separate calls; text is told apart by its armour line.
function isPem(s: string): boolean {
  return s.includes("-----BEGIN ");
}

function caSource(x: unknown): CaSource {
  if (typeof x === "string") {
    if (x.length === 0) throw new TypeError("tlsConfig: 'client' is empty (expected PEM text or a file path)");
    return isPem(x) ? { pem: x, crl: null } : { file: x };
  }
  if (Array.isArray(x) && (x.length === 1 || x.length === 2)) {
    const [pem, crl] = x as unknown[];
    if (typeof pem !== "string" || !isPem(pem)) {
      throw new TypeError("tlsConfig: 'client' as an array is [CA certificate chain PEM, revocation list PEM or '']");
    }
    if (crl !== undefined && typeof crl !== "string") {
      throw new TypeError("tlsConfig: the revocation list (client[1]) must be PEM text or ''");
    }
    return { pem, crl: crl ? crl : null };
  }
  throw new TypeError("tlsConfig: 'client' takes PEM text, a file path, or [CA chain PEM, revocation list PEM or '']");
}

function ownSource(x: unknown, what: string): OwnSource {
  if (typeof x === "string") {
    if (x.length === 0) throw new TypeError(`tlsConfig: '${what}' is empty (expected PEM text or a file path)`);
    // One PEM text holding both: Mbed TLS picks the certificate(s) and the key out of it.
    return isPem(x) ? { cert: x, key: x } : { file: x };
  }
  if (Array.isArray(x) && x.length === 2 && typeof x[0] === "string" && typeof x[1] === "string") {
    if (!isPem(x[0]) || !isPem(x[1])) {
      throw new TypeError(`tlsConfig: '${what}' as an array is [certificate PEM, private key PEM]; these are not PEM text`);
    }
    return { cert: x[0], key: x[1] };
  }
  throw new TypeError(`tlsConfig: '${what}' takes [certificate PEM, private key PEM], PEM text, or a file path`);
}

function planOf(opts: TlsConfigOptions): { plan: Plan; serverName: string | null } {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError("tlsConfig expects an options object { client?, server?, cert?, pass?, auth?, serverName? }");
  }
  for (const k of Object.keys(opts)) {
    if (!KNOWN.includes(k)) throw new TypeError(`tlsConfig: unknown option '${k}' (known: ${KNOWN.join(", ")})`);
  }
  const isServer = opts.server !== undefined && opts.server !== null;
  const ca = opts.client === undefined || opts.client === null ? null : caSource(opts.client);
  let own: OwnSource | null = null;
  if (isServer) {
    if (opts.cert !== undefined && opts.cert !== null) {
      throw new TypeError("tlsConfig: 'cert' is a client's own certificate; a server's is 'server'");
    }
    own = ownSource(opts.server, "server");
  } else if (opts.cert !== undefined && opts.cert !== null) {
    own = ownSource(opts.cert, "cert");
  }
  let pass: string | null = null;
  if (opts.pass !== undefined && opts.pass !== null) {
    if (typeof opts.pass !== "string") throw new TypeError(`tlsConfig: 'pass' must be a string, got ${typeof opts.pass}`);
    if (own === null) throw new TypeError("tlsConfig: 'pass' decrypts a private key, given with 'server' or 'cert'");
    pass = opts.pass;
  }
  // Clients verify by default, with or without a CA (without one, nothing verifies: an explicit
  // auth "none" is the only way to skip verification). Servers ask for client certificates only
  // when given a chain to check them against.
  let auth: TlsAuth = !isServer || ca !== null ? "required" : "none";
  if (opts.auth !== undefined) {
    if (typeof opts.auth !== "string" || !Object.hasOwn(AUTH, opts.auth)) {
      throw new TypeError(`tlsConfig: 'auth' is "none", "optional" or "required", got ${JSON.stringify(opts.auth)}`);
    }
    auth = opts.auth;
  }
  let serverName: string | null = null;
  if (opts.serverName !== undefined && opts.serverName !== null) {
    if (typeof opts.serverName !== "string" || opts.serverName.length === 0) {
      throw new TypeError("tlsConfig: 'serverName' must be a non-empty string");
    }
    if (isServer) throw new TypeError("tlsConfig: 'serverName' is what a client verifies; it does not apply to a server config");
    serverName = opts.serverName;
  }
  return { plan: { mode: isServer ? MODE_SERVER : MODE_CLIENT, auth, ca, own, pass }, serverName };
}

function check(rv: number, detail: string): void {
  if (rv !== 0) throw new NngError(rv, detail);
}

function fileDetail(rv: number, what: string, path: string): string {
  return rv === ErrorCode.ENOENT ? `${what}: no such file '${path}'` : `${what}: cannot use the file '${path}'`;
}

/** Builds one native config from `plan`; frees it again if any step fails. */
function build(plan: Plan, serverName: string | null): Pointer {
  const err = new Int32Array(1);
  const cfg = native.bnng_tls_config_new(plan.mode, err) as Pointer | null;
  if (!cfg) throw new NngError(err[0] || ErrorCode.ENOMEM, "cannot allocate a TLS configuration");
  try {
    check(native.bnng_tls_config_auth(cfg, AUTH[plan.auth]), `cannot set TLS auth mode '${plan.auth}'`);
    if (serverName !== null) {
      check(native.bnng_tls_config_server_name(cfg, cstr(serverName)), `cannot set TLS server name '${serverName}'`);
    }
    const ca = plan.ca;
    if (ca !== null) {
      if ("file" in ca) {
        const rv = native.bnng_tls_config_ca_file(cfg, cstr(ca.file));
        check(rv, fileDetail(rv, "cannot load the CA certificate chain ('client')", ca.file));
      } else {
        check(
          native.bnng_tls_config_ca_chain(cfg, cstr(ca.pem), ca.crl === null ? null : cstr(ca.crl)),
          "cannot load the CA certificate chain ('client'): not valid PEM certificates (or revocation list)",
        );
      }
    }
    const own = plan.own;
    if (own !== null) {
      const what = plan.mode === MODE_SERVER ? "'server'" : "'cert'";
      const pass = plan.pass === null ? null : cstr(plan.pass);
      if ("file" in own) {
        const rv = native.bnng_tls_config_cert_key_file(cfg, cstr(own.file), pass);
        check(
          rv,
          rv === ErrorCode.ENOENT
            ? fileDetail(rv, `cannot load the certificate and key (${what})`, own.file)
            : `cannot load the certificate and key (${what}) from '${own.file}': not valid PEM, or the key is encrypted and 'pass' is missing or wrong`,
        );
      } else {
        check(
          native.bnng_tls_config_own_cert(cfg, cstr(own.cert), cstr(own.key), pass),
          `cannot load the certificate and key (${what}): not valid PEM, or the key is encrypted and 'pass' is missing or wrong`,
        );
      }
    }
  } catch (e) {
    native.bnng_tls_config_free(cfg);
    throw e;
  }
  return cfg;
}

/** tls+tcp, tls+tcp4, tls+tcp6, wss, wss4, wss6: the URLs that need a TLS config. */
const TLS_URL = /^(?:tls\+tcp[46]?|wss[46]?):\/\//i;

/** @internal whether `url` is of a TLS transport. */
export function isTlsUrl(url: string): boolean {
  return TLS_URL.test(url);
}

// The host of a URL as NNG's parser gives it (u_hostname): after any userinfo, IPv6 without brackets.
const URL_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[([^\]]*)\]|([^:/?#]*))/i;

function hostOf(url: string): string {
  const m = URL_HOST.exec(url);
  return m ? (m[1] ?? m[2] ?? "") : "";
}

/** The native configs a TlsConfig owns, shared with its finalizer (which must not hold the TlsConfig). */
interface Owned {
  ptrs: Pointer[];
}

const backstop = new FinalizationRegistry<Owned>((owned) => {
  for (const p of owned.ptrs) native.bnng_tls_config_free(p);
});

/**
 * A TLS configuration for dialers (client) or listeners (server) of tls+tcp:// and wss:// URLs, and
 * for TLS streams. Use `tlsConfig(options)`. nanonext: the tlsConfig object.
 */
export class TlsConfig {
  /** "client" (for dialers) or "server" (for listeners). */
  readonly mode: "client" | "server";
  /** How the peer is verified. */
  readonly auth: TlsAuth;
  /** The server name a client config verifies; null: the host of each URL dialed. */
  readonly serverName: string | null;
  readonly #plan: Plan;
  readonly #base: Pointer;
  // Per-host configs of a client config without serverName. NNG sets the server name only on the
  // default config it makes itself, and a config's server name cannot safely change while
  // connections may be forming with it (Mbed TLS reads it unlocked), so each host gets its own.
  readonly #byHost = new Map<string, Pointer>();
  readonly #owned: Owned = { ptrs: [] };
  #closed = false;

  /** Use `tlsConfig(options)`. */
  constructor(opts: TlsConfigOptions = {}) {
    const { plan, serverName } = planOf(opts);
    this.#plan = plan;
    this.mode = plan.mode === MODE_SERVER ? "server" : "client";
    this.auth = plan.auth;
    this.serverName = serverName;
    // Built at once, so that bad input fails here rather than at the first dial.
    this.#base = build(plan, serverName);
    this.#owned.ptrs.push(this.#base);
    backstop.register(this, this.#owned, this);
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  #checkOpen(what: string): void {
    if (this.#closed) throw new NngError(ErrorCode.ECLOSED, `${what}: the TLS config is closed`);
  }

  /**
   * @internal the native nng_tls_config (without a per-host server name, see forDial). Valid while
   * the TlsConfig is open; an NNG object given it takes its own reference.
   */
  get handle(): Pointer {
    this.#checkOpen("tls");
    return this.#base;
  }

  /**
   * @internal the native config for dialing `url`: a client config whose server name is `serverName`
   * or else the URL's host. Throws TypeError for a server config, NngError 7 once closed.
   */
  forDial(url: string): Pointer {
    this.#checkOpen(`dial '${url}'`);
    if (this.mode !== "client") {
      throw new TypeError(`dial '${url}': this is a server TLS config; dialers need a client one (tlsConfig({ client: caCert }))`);
    }
    if (this.serverName !== null) return this.#base;
    const host = hostOf(url);
    if (host === "") return this.#base;
    let cfg = this.#byHost.get(host);
    if (cfg === undefined) {
      cfg = build(this.#plan, host);
      this.#byHost.set(host, cfg);
      this.#owned.ptrs.push(cfg);
    }
    return cfg;
  }

  /** @internal the native config for listening at `url`; throws TypeError for a client config. */
  forListen(url: string): Pointer {
    this.#checkOpen(`listen at '${url}'`);
    if (this.mode !== "server") {
      throw new TypeError(`listen at '${url}': this is a client TLS config; listeners need a server one (tlsConfig({ server: [cert, key] }))`);
    }
    return this.#base;
  }

  /** Drops this object's references; endpoints already using the config keep theirs. Idempotent. */
  close(): void {
    if (!TlsConfig.is(this)) throw new TypeError("close: this is not a real TlsConfig (an object inheriting from TlsConfig.prototype)");
    if (this.#closed) return;
    this.#closed = true;
    backstop.unregister(this);
    for (const p of this.#owned.ptrs) native.bnng_tls_config_free(p);
    this.#owned.ptrs = [];
    this.#byHost.clear();
  }

  /** True for a real TlsConfig (not an object that merely inherits from TlsConfig.prototype). */
  static is(x: unknown): x is TlsConfig {
    return typeof x === "object" && x !== null && #closed in x;
  }

  /** `using` closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  get [Symbol.toStringTag]() {
    if (!TlsConfig.is(this)) return "TlsConfig (imitation)";
    return `TlsConfig ${this.mode} auth=${this.auth}${this.#closed ? " closed" : ""}`;
  }
}

/**
 * A TLS configuration (nanonext's tls_config). `client`: the CA chain to verify servers with (a
 * client config); `server`: [certificate, key] (a server config); `pass`: the key's password;
 * `auth`: "none" | "optional" | "required". Clients verify servers by default: with no options, a
 * client config that trusts no server; `{ auth: "none" }` encrypts without verifying. Throws
 * NngError on PEM or files NNG cannot use, TypeError on misuse.
 * nanonext: `tls_config()`.
 */
export function tlsConfig(opts: TlsConfigOptions = {}): TlsConfig {
  return new TlsConfig(opts);
}

/** Options of `writeCert()`. */
export interface WriteCertOptions {
  /** Common name: the host name (or IP address) clients dial; default "localhost". */
  cn?: string;
  /** Expiry: "YYYYMMDDHHMMSS" (UTC) or a Date; default 10 years from now. */
  valid?: string | Date;
}

/** What `writeCert()` returns: PEM texts for a server config and for the clients that trust it. */
export interface Cert {
  /** [certificate PEM, private key PEM], for tlsConfig({ server }). */
  server: [string, string];
  /** [certificate PEM, ""], for tlsConfig({ client }): the certificate is its own CA. */
  client: [string, string];
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function validUntil(valid: unknown, now: Date): string {
  let until: Date;
  if (valid === undefined) {
    until = new Date(now);
    until.setUTCFullYear(until.getUTCFullYear() + 10);
  } else if (valid instanceof Date) {
    until = valid;
  } else if (typeof valid === "string" && /^\d{14}$/.test(valid)) {
    const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(valid.slice(i, i + (k === 0 ? 4 : 2))));
    until = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
    // Date.UTC rolls 20301332 over into 2031; a round trip that changes the text means a bad field.
    if (y! < 1000 || stamp(until) !== valid) throw new TypeError(`writeCert: 'valid' ${valid} is not a real date and time`);
  } else {
    throw new TypeError(`writeCert: 'valid' takes "YYYYMMDDHHMMSS" (UTC) or a Date, got ${JSON.stringify(valid)}`);
  }
  if (Number.isNaN(until.getTime())) throw new TypeError("writeCert: 'valid' is an invalid Date");
  if (until.getTime() <= now.getTime()) throw new TypeError(`writeCert: 'valid' ${stamp(until)} is not in the future`);
  if (until.getUTCFullYear() > 9999) throw new TypeError("writeCert: 'valid' is after the year 9999");
  return stamp(until);
}

const PEM_MAX = 8192;

function cText(buf: Uint8Array): string {
  const end = buf.indexOf(0);
  return new TextDecoder().decode(end < 0 ? buf : buf.subarray(0, end));
}

/**
 * Generates a private key (EC P-256) and a self-signed certificate for it through Mbed TLS (nanonext's
 * write_cert): subject = issuer = CN=`cn`, a CA certificate, so that clients can trust it directly.
 * `cn` must match the host name or IP address clients dial. Returns `{ server: [cert, key], client:
 * [cert, ""] }` for tlsConfig({ server }) and tlsConfig({ client }). Throws TypeError for a bad `cn`
 * or `valid`. nanonext: `write_cert()`.
 */
export function writeCert(opts: WriteCertOptions = {}): Cert {
  if (opts === null || typeof opts !== "object") throw new TypeError("writeCert expects an options object { cn?, valid? }");
  for (const k of Object.keys(opts)) {
    if (k !== "cn" && k !== "valid") throw new TypeError(`writeCert: unknown option '${k}' (known: cn, valid)`);
  }
  const cn = opts.cn ?? "localhost";
  // X.520 bounds a common name at 64 characters; Mbed TLS 2.28's name parser cannot escape '\'.
  if (typeof cn !== "string" || cn.length === 0 || cn.length > 64 || /[\\\0]/.test(cn)) {
    throw new TypeError(`writeCert: 'cn' must be a string of 1 to 64 characters without '\\' or nul, got ${JSON.stringify(cn)}`);
  }
  const now = new Date();
  const notAfter = validUntil(opts.valid, now);
  // Valid from an hour ago: a certificate made here and used on a machine whose clock is a little
  // behind is not refused as not yet valid.
  const notBefore = stamp(new Date(now.getTime() - 3600_000));
  const cert = new Uint8Array(PEM_MAX);
  const key = new Uint8Array(PEM_MAX);
  const err = new Uint8Array(256);
  const rv = native.bnng_tls_write_cert(cstr(cn), cstr(notBefore), cstr(notAfter), cert, PEM_MAX, key, PEM_MAX, err, err.length);
  if (rv !== 0) throw new NngError(-rv, `writeCert: ${cText(err) || "Mbed TLS failed"}`);
  const certPem = cText(cert);
  return { server: [certPem, cText(key)], client: [certPem, ""] };
}
