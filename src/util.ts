// Utilities (nanonext names): versions, URL parsing, a monotonic clock, sleeping, random bytes.
import { native } from "./ffi";
import { NngError } from "./errors";
import { cstr } from "./strings";
import { optionsOf, typeName } from "./check";

/** The versions of NNG and Mbed TLS compiled into the library, e.g. `{ nng: "2.0.0", mbedtls: "3.6.3" }`. nanonext: `nng_version()`. */
export function nngVersion(): { nng: string; mbedtls: string } {
  const buf = new Uint8Array(32);
  native.bnng_mbedtls_version(buf);
  const end = buf.indexOf(0);
  return {
    nng: String(native.bnng_nng_version()),
    mbedtls: new TextDecoder().decode(buf.subarray(0, end < 0 ? buf.length : end)),
  };
}

/** What `parseUrl()` returns: the parts of a URL as NNG parses it. */
export interface ParsedUrl {
  /** The URL as given. */
  url: string;
  /** e.g. "tcp", "ws", "ipc". */
  scheme: string;
  /** "user:password" before the host, or "". */
  userinfo: string;
  /** hostname:port */
  host: string;
  /** The host name or address, without brackets for IPv6. */
  hostname: string;
  /** The port ("" if none; NNG fills in the scheme's default for ws and wss). */
  port: string;
  /** The path (for ipc, the socket file). */
  path: string;
  /** After "?", or "". */
  query: string;
  /** After "#", or "". */
  fragment: string;
  /** path, query and fragment: what an HTTP request line carries. */
  requri: string;
}

const FIELDS = ["scheme", "userinfo", "host", "hostname", "port", "path", "query", "fragment", "requri"] as const;

/** Parses a URL with NNG's own parser (what dial and listen see). Throws NngError 3 if it is invalid. nanonext: `parse_url()`. */
export function parseUrl(url: string): ParsedUrl {
  if (typeof url !== "string") throw new TypeError(`parseUrl expects a URL string, got ${typeName(url)}`);
  const c = cstr(url);
  const cap = c.length * 2 + 64; // every field is a piece of the URL (ports and schemes are normalised)
  const out = new Uint8Array(cap);
  const n = native.bnng_url_parse(c, out, cap);
  if (n < 0) throw new NngError(-n, `cannot parse URL '${url}'`);
  const parts = new TextDecoder().decode(out.subarray(0, n)).split("\0");
  const result = { url } as ParsedUrl;
  FIELDS.forEach((f, i) => (result[f] = parts[i] ?? ""));
  return result;
}

/** Milliseconds of a monotonic clock (NNG's), for timing. nanonext: `mclock()`. */
export function mclock(): number {
  return native.bnng_clock();
}

/**
 * Sleeps `ms` milliseconds, blocking the thread (use Bun.sleep to yield instead). Throws TypeError for
 * a bad `ms`. nanonext: `msleep()`.
 */
export function msleep(ms: number): void {
  if (!Number.isInteger(ms) || ms < 0) throw new TypeError(`msleep expects a whole number of ms >= 0, got ${typeName(ms)}`);
  native.bnng_msleep(Math.min(ms, 0x7fffffff));
}

/** The most bytes `random` returns as hex (a string of twice as many characters). */
const HEX_MAX = 2 ** 29;

/**
 * `n` cryptographically strong random bytes: as a hex string (default, as nanonext), or as a
 * Uint8Array with `{ hex: false }`. Throws TypeError for a bad `n`, RangeError for more than 2^29
 * bytes as hex. nanonext: `random()`.
 */
export function random(n = 1, opts: { hex?: boolean } = {}): string | Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 1 << 30) throw new TypeError(`random expects a byte count from 0 to 2^30, got ${typeName(n)}`);
  opts = optionsOf(opts, "random");
  // Hex doubles the length, and JavaScript strings end at 2^31 - 1 characters.
  if (opts.hex !== false && n > HEX_MAX) {
    throw new RangeError(`random(${n}) as hex would be a ${2 * n}-character string; at most ${HEX_MAX} bytes as hex (use { hex: false } for more)`);
  }
  const bytes = new Uint8Array(n);
  if (n > 0) native.bnng_random(bytes, n);
  return opts.hex === false ? bytes : Buffer.from(bytes).toString("hex");
}
