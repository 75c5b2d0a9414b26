// Interoperability with independent NNG implementations, with raw (byte-exact) payloads:
//   - pynng (PyPI, pinned; a wheel with its own NNG build, 1.11) driven by test/fixtures/interop/peer.py
//     through a line protocol on its stdin / stdout;
//   - nngcat (Debian's nng-utils: the NNG 1.5.2 command-line tool, built by Debian);
//   - nanocat (Debian's nanomsg-utils: the command-line tool of nanomsg 1.1.5, the C library NNG
//     succeeds; an independent implementation of the same wire protocols).
// Every protocol pair (req/rep both ways, pub/sub, push/pull, surveyor/respondent, pair0, pair1 with
// poly; bus with nanocat) over ipc, tcp (127.0.0.1) and ws, once with bun-nng listening and once
// with the peer listening; then raw sockets on either side: pynng raw rep / raw req against cooked
// bun-nng sockets, and a bun-nng raw rep / raw req broker (device) between two peers.
//
// scripts/setup-interop.sh installs all three (make test runs it). If one is missing, every test
// that needs it fails and says what to install: nothing is skipped.
//
// Connection set-up is asynchronous: nothing sleeps and hopes. Protocols whose send waits for a peer
// (req, push, pair) send with a time limit; protocols that drop messages while nobody is connected
// (pub, surveyor, bus) send probes in a bounded loop until one arrives, or (nngcat, nanocat, which
// cannot be driven) repeat with --interval. Every peer process is killed after its test.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  device,
  isErrorValue,
  listen,
  NngError,
  recvAio,
  send,
  sendAio,
  socket,
  subscribe,
  surveyTime,
  type Protocol,
  type RecvAio,
  type SendAio,
  type Socket,
} from "../src/index";
import { closeAfterEach, uniqueAddress } from "./helpers";

const ROOT = join(import.meta.dir, "..");
const PY_DIR = join(ROOT, ".tools", "py");
const PEER_PY = join(import.meta.dir, "fixtures", "interop", "peer.py");
/** Keep in step with PYNNG_VERSION in scripts/setup-interop.sh. */
const PYNNG_VERSION = "0.9.0";
const SETUP_HINT = "run `bash scripts/setup-interop.sh` (`make test` does)";

const TEST_MS = 5000;
/** Upper bound for one step (a message to arrive, a peer to start) once things are under way. */
const STEP_MS = 3000;
/** Peers are started under `timeout`: even if this process dies abruptly, none outlives it by long. */
const PEER_LIFETIME_S = 15;

const PY_ENV = { ...process.env, PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };

// --- what is installed ---------------------------------------------------------------------------

function probePynng(): { version?: string; missing?: string } {
  const python = Bun.which("python3");
  if (!python) return { missing: "python3 (needed to run the pynng peer)" };
  const r = Bun.spawnSync(
    [python, "-c", "import pynng; print(pynng.__version__, pynng.ffi.string(pynng.lib.nng_version()).decode())"],
    { env: PY_ENV, stdout: "pipe", stderr: "pipe" },
  );
  const out = r.stdout.toString().trim();
  if (r.exitCode !== 0) {
    const why = r.stderr.toString().trim().split("\n").at(-1);
    return { missing: `pynng ${PYNNG_VERSION} in ${PY_DIR} (python3 cannot import it: ${why})` };
  }
  if (!out.startsWith(`${PYNNG_VERSION} `)) return { missing: `pynng ${PYNNG_VERSION} in ${PY_DIR} (found ${out})` };
  return { version: out };
}

function probeNngcat(): { version?: string; missing?: string } {
  const nngcat = Bun.which("nngcat");
  if (!nngcat) return { missing: "nngcat (Debian package nng-utils) on PATH" };
  const r = Bun.spawnSync([nngcat, "--version"], { stdout: "pipe", stderr: "pipe" });
  return { version: r.stdout.toString().trim() };
}

/** nanocat has no --version (nor does libnanomsg say its own): the Debian package's version. */
function probeNanocat(): { version?: string; missing?: string } {
  if (!Bun.which("nanocat")) return { missing: "nanocat (Debian package nanomsg-utils) on PATH" };
  const r = Bun.spawnSync(["dpkg-query", "-W", "-f", "${Version}", "nanomsg-utils"], { stdout: "pipe", stderr: "pipe" });
  return { version: r.exitCode === 0 ? r.stdout.toString().trim() : "unknown (not from Debian's nanomsg-utils)" };
}

const PEERS = { pynng: probePynng(), nngcat: probeNngcat(), nanocat: probeNanocat() };
type Peer = keyof typeof PEERS;

/** Fails the calling test, clearly, when a peer is not installed. */
function need(peer: Peer): void {
  const missing = PEERS[peer].missing;
  if (missing) throw new Error(`interop peer missing: ${missing}; ${SETUP_HINT}`);
}

// --- payloads and addresses ----------------------------------------------------------------------

const enc = new TextEncoder();
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s === "-" ? "" : s, "hex"));
const hexArg = (b: Uint8Array): string => (b.length === 0 ? "-" : hex(b));
const cat = (...parts: (string | Uint8Array)[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? enc.encode(p) : p))));

/** A payload that a text-minded implementation would mangle: nul, high bytes, CR/LF, UTF-8. */
function payload(tag: string): Uint8Array {
  return cat(tag, Uint8Array.of(0, 1, 0x7f, 0x80, 0xfe, 0xff, 10, 13, 0), " \u2713 ", tag);
}

/** A large random payload (several TCP segments and, over ws, several frames). */
function bigPayload(n = 128 * 1024): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536))); // 64 KiB at most per call
  return b;
}

const WORK = mkdtempSync(join(tmpdir(), "bun-nng-interop-"));
let fileCounter = 0;
const ipcPaths: string[] = [];

/** A file holding `data` (nngcat and nanocat send --file contents byte for byte; --data cannot hold a nul). */
function dataFile(data: Uint8Array): string {
  const path = join(WORK, `data-${++fileCounter}`);
  writeFileSync(path, data);
  return path;
}

type Transport = "ipc" | "tcp" | "ws";
const TRANSPORTS: Transport[] = ["ipc", "tcp", "ws"];
let wsCounter = 0;

/**
 * A free TCP port on 127.0.0.1, for listeners that cannot report the port they bound: nngcat over
 * ws, and nanocat (whose tcp transport refuses port 0: "Can't bind: Invalid argument").
 */
function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/**
 * An address to listen at: port 0 where the listener reports the port it bound (bun-nng, pynng, and
 * nngcat over tcp), otherwise a port found free.
 */
function listenAddress(t: Transport, who: "bun" | Peer): string {
  const port = (who === "nngcat" && t === "ws") || who === "nanocat" ? freePort() : 0;
  switch (t) {
    case "ipc": {
      const url = uniqueAddress("ipc");
      ipcPaths.push(url.slice("ipc://".length));
      return url;
    }
    case "tcp":
      return `tcp://127.0.0.1:${port}`;
    case "ws": // nanocat binds ws only without a path ("Can't bind: Invalid argument")
      return `ws://127.0.0.1:${port}${who === "nanocat" ? "" : `/interop/${process.pid}-${++wsCounter}`}`;
  }
}

// --- peer processes ------------------------------------------------------------------------------

const live = new Set<Proc>();

/** A child process with its stdout split into lines as they come. */
class Proc {
  readonly proc: Subprocess<"pipe", "pipe", "pipe">;
  readonly lines: string[] = [];
  stderr = "";
  ended = false;
  #wake = new Set<() => void>();
  #stopping: Promise<void> | null = null;

  constructor(
    readonly name: string,
    cmd: string[],
    env?: Record<string, string | undefined>,
  ) {
    const proc = Bun.spawn(["timeout", "-k", "2", String(PEER_LIFETIME_S), ...cmd], {
      cwd: ROOT,
      env,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.proc = proc;
    live.add(this);
    void this.#read();
    void (async () => {
      const dec = new TextDecoder();
      for await (const chunk of proc.stderr) this.stderr += dec.decode(chunk, { stream: true });
    })();
  }

  async #read(): Promise<void> {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of this.proc.stdout) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        this.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      this.#notify();
    }
    if (buf) this.lines.push(buf);
    this.ended = true;
    this.#notify();
  }

  #notify(): void {
    for (const w of [...this.#wake]) w();
  }

  describe(): string {
    const code = this.ended ? ` (exited: ${this.proc.exitCode ?? this.proc.signalCode})` : "";
    const err = this.stderr.trim() ? `; stderr: ${this.stderr.trim().slice(-600)}` : "";
    return `${this.name}${code}${err}`;
  }

  /** Waits until `check()` gives a value (re-checked on every new line); fails after `ms`. */
  until<T>(check: () => T | undefined, ms: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (): boolean => {
        let v: T | undefined;
        try {
          v = check();
        } catch (err) {
          finish();
          reject(err);
          return true;
        }
        if (v !== undefined) {
          finish();
          resolve(v);
          return true;
        }
        if (this.ended) {
          finish();
          reject(new Error(`${this.describe()} ended before ${what}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${ms} ms waiting for ${what} from ${this.describe()}`));
      }, ms);
      const wake = (): void => void done();
      const finish = (): void => {
        clearTimeout(timer);
        this.#wake.delete(wake);
      };
      this.#wake.add(wake);
      done();
    });
  }

  /** Resolves with the exit code once the process has ended (fails after `ms`). */
  async exitCode(ms = STEP_MS): Promise<number | null> {
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.describe()} did not exit within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([this.proc.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.proc.exitCode;
  }

  /** Ends the process: SIGTERM (which `timeout` passes on), SIGKILL if it lingers. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      try {
        this.proc.stdin.end();
      } catch {}
      if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill("SIGTERM");
      const timer = setTimeout(() => this.proc.kill("SIGKILL"), 2000);
      try {
        await this.proc.exited;
      } finally {
        clearTimeout(timer);
        live.delete(this);
      }
    })();
    return this.#stopping;
  }
}

interface PyMsg {
  body: Uint8Array;
  header: Uint8Array;
}

/** A pynng socket in test/fixtures/interop/peer.py, driven one command at a time. */
class PyPeer extends Proc {
  url = "";
  #answered = 0;
  #queue: Promise<unknown> = Promise.resolve();

  static async start(protocol: string, role: "listen" | "dial", url: string, raw = false): Promise<PyPeer> {
    need("pynng");
    const args = [Bun.which("python3")!, PEER_PY, protocol, role, url, ...(raw ? ["raw"] : [])];
    const p = new PyPeer(`pynng ${raw ? "raw " : ""}${protocol} (${role} ${url})`, args, PY_ENV);
    const ready = await p.#next(STEP_MS, "READY");
    expect(ready).toStartWith("READY ");
    p.url = ready.slice("READY ".length);
    return p;
  }

  #next(ms: number, what: string): Promise<string> {
    const i = this.#answered++;
    return this.until(() => this.lines[i], ms, what);
  }

  /** Sends one command; resolves with its one-line answer (commands run one after the other). */
  cmd(line: string, ms: number): Promise<string> {
    const run = this.#queue.then(() => {
      this.proc.stdin.write(line + "\n");
      this.proc.stdin.flush();
      return this.#next(ms + STEP_MS, `the answer to '${line.slice(0, 40)}'`);
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Sends `body` (with a raw `header`); fails the test unless it was sent. */
  async send(body: Uint8Array, ms = STEP_MS, header?: Uint8Array): Promise<void> {
    const answer = await this.cmd(`send ${ms} ${hexArg(body)}${header ? ` ${hexArg(header)}` : ""}`, ms);
    expect(answer).toBe("OK");
  }

  /** A command answered by MSG (the message), or its error line (e.g. "ERR Timeout ..."). */
  async #msg(line: string, ms: number): Promise<PyMsg | string> {
    const answer = await this.cmd(line, ms);
    const m = /^MSG (\S+) (\S+)$/.exec(answer);
    return m ? { body: unhex(m[1]!), header: unhex(m[2]!) } : answer;
  }

  /** One message, or the error line if none arrived within `ms`. */
  tryRecv(ms: number): Promise<PyMsg | string> {
    return this.#msg(`recv ${ms}`, ms);
  }

  async recv(ms = STEP_MS): Promise<PyMsg> {
    const got = await this.tryRecv(ms);
    if (typeof got === "string") throw new Error(`${this.name}: expected a message, got ${got}`);
    return got;
  }

  /** Receives one message and sends back `prefix` + its body with its header (rep, respondent). */
  async echo(prefix: Uint8Array, ms = STEP_MS): Promise<PyMsg> {
    const got = await this.#msg(`echo ${ms} ${hexArg(prefix)}`, ms);
    if (typeof got === "string") throw new Error(`${this.name}: expected a message to echo, got ${got}`);
    return got;
  }

  async subscribe(topic: Uint8Array): Promise<void> {
    expect(await this.cmd(`subscribe ${hexArg(topic)}`, 100)).toBe("OK");
  }
}

const LISTENING = "Listening at: ";

type CatTool = "nngcat" | "nanocat";

/**
 * nngcat or nanocat, which print the messages they receive one a line with nngcat's --format hex or
 * nanocat's --hex (the same format: "\x61\x62"), flushing after each; nngcat with --verbose also
 * prints the URL it listens at (the bound port for tcp port 0), but does not flush after that line:
 * run under `stdbuf -oL` (nanocat prints nothing else).
 */
class Cat extends Proc {
  url = "";

  constructor(tool: CatTool, args: string[]) {
    need(tool);
    super(`${tool} ${args.join(" ")}`, ["stdbuf", "-oL", Bun.which(tool)!, ...args]);
  }

  /** Every message printed so far. */
  messages(): Uint8Array[] {
    return this.lines.filter((line) => !line.startsWith(LISTENING)).map((line) => {
      const m = /^"((?:\\x[0-9a-f]{2})*)"$/.exec(line);
      if (!m) throw new Error(`${this.name}: unexpected output line ${JSON.stringify(line.slice(0, 80))}`);
      return unhex(m[1]!.replaceAll("\\x", ""));
    });
  }

  /** Waits until it has printed `n` messages; returns them. */
  waitMessages(n: number, ms = STEP_MS): Promise<Uint8Array[]> {
    return this.until(() => (this.messages().length >= n ? this.messages() : undefined), ms, `${n} message(s)`);
  }

  /** Waits until it printed `want` (other messages may come before it). */
  waitMessage(want: Uint8Array, ms = STEP_MS): Promise<Uint8Array[]> {
    const w = hex(want);
    return this.until(() => (this.messages().some((m) => hex(m) === w) ? this.messages() : undefined), ms, `the message ${w.slice(0, 40)}`);
  }
}

/**
 * `nngcat --<proto> --listen|--dial <url> ...`. A listening nngcat is waited for until it listens;
 * `.url` is then the URL to dial. (nngcat's blocking dial needs our listener to be up already.)
 */
async function nngcat(proto: string, [how, url]: ["--listen" | "--dial", string], ...rest: string[]): Promise<Cat> {
  if (how === "--dial") {
    const c = new Cat("nngcat", [`--${proto}`, how, url, ...rest]);
    c.url = url;
    return c;
  }
  const c = new Cat("nngcat", [`--${proto}`, how, url, "--verbose", ...rest]);
  const line = await c.until(() => c.lines.find((l) => l.startsWith(LISTENING)), STEP_MS, "it to listen");
  // tcp shows the bound port; ws (in NNG 1.5.2) keeps the URL as given (a port found free).
  c.url = line.slice(LISTENING.length);
  expect(c.url).not.toMatch(/:0(\/|$)/);
  return c;
}

/** Whether something listens at `url` (ipc: the socket file exists; tcp, ws on 127.0.0.1: /proc/net/tcp). */
function isListening(url: string): boolean {
  if (url.startsWith("ipc://")) return existsSync(url.slice("ipc://".length));
  const port = Number(/^(?:tcp|ws):\/\/127\.0\.0\.1:(\d+)$/.exec(url)?.[1]);
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const LISTEN = "0A"; // columns: sl local_address rem_address st ...
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .some((cols) => cols[1] === local && cols[3] === LISTEN);
}

/**
 * `nanocat --<proto> --bind|--connect <url> ...`. nanocat says nothing when it has bound (and cannot
 * bind tcp port 0): a binding nanocat is polled for (a bounded wait) until its address listens.
 * A connecting nanocat connects in the background and retries, like our dialers.
 */
async function nanocat(proto: string, [how, url]: ["--bind" | "--connect", string], ...rest: string[]): Promise<Cat> {
  const c = new Cat("nanocat", [`--${proto}`, how, url, ...rest]);
  c.url = url;
  if (how === "--bind") {
    const deadline = Date.now() + STEP_MS;
    while (!isListening(url)) {
      if (c.ended || Date.now() > deadline) throw new Error(`${c.describe()} is not listening at ${url}`);
      await Bun.sleep(10);
    }
  }
  return c;
}

// --- bun-nng side helpers ------------------------------------------------------------------------

const own = closeAfterEach();

afterEach(async () => {
  await Promise.all([...live].map((p) => p.stop()));
});

afterAll(async () => {
  await Promise.all([...live].map((p) => p.stop()));
  rmSync(WORK, { recursive: true, force: true });
  for (const p of ipcPaths) rmSync(p, { force: true });
});

/** The settled value of an Aio: the data / result, or the NngError (never rejects). */
async function settled<T>(aio: RecvAio<T> | SendAio): Promise<T | 0 | NngError> {
  try {
    return (await aio) as T | 0;
  } catch (err) {
    if (err instanceof NngError) return err;
    throw err;
  }
}

async function sendBytes(s: Socket, data: Uint8Array, ms = STEP_MS): Promise<void> {
  const rv = await settled(sendAio(s, data, { mode: "raw", timeout: ms }));
  if (rv !== 0) throw new Error(`${s.protocol} send failed: ${(rv as NngError).message}`);
}

async function tryRecvBytes(s: Socket, ms: number): Promise<Uint8Array | NngError> {
  return (await settled(recvAio<Uint8Array>(s, { mode: "raw", timeout: ms }))) as Uint8Array | NngError;
}

async function recvBytes(s: Socket, ms = STEP_MS): Promise<Uint8Array> {
  const v = await tryRecvBytes(s, ms);
  if (isErrorValue(v)) throw new Error(`expected a message on the ${s.protocol} socket, got ${v.message}`);
  return v;
}

/** Receives until a message other than `skip` arrives (late probes); returns it. */
async function recvSkipping(s: Socket, skip: Uint8Array, ms = STEP_MS): Promise<Uint8Array> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await recvBytes(s, Math.max(1, deadline - Date.now()));
    if (hex(v) !== hex(skip)) return v;
  }
}

/** Retries `attempt` (which should take ~50 ms when it fails) until it returns true; bounded. */
async function retryUntil(attempt: () => Promise<boolean>, what: string, ms = STEP_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) if (await attempt()) return;
  throw new Error(`timed out after ${ms} ms: ${what}`);
}

const PROBE_WAIT_MS = 50;
const PROBE = enc.encode("probe");

type Side = "bun" | "peer";
const SIDES: Side[] = ["bun", "peer"];

type Role = "listen" | "dial";

/** A bun-nng socket and a peer, started by `start`, connected over `t`, `listener` listening. */
async function connected<P extends { url: string }>(
  t: Transport,
  listener: Side,
  ours: Protocol,
  peer: Peer,
  start: (role: Role, url: string) => Promise<P>,
): Promise<[Socket, P]> {
  need(peer);
  if (listener === "bun") {
    const s = own(socket(ours));
    const l = listen(s, listenAddress(t, "bun"));
    return [s, await start("dial", l.url)];
  }
  const p = await start("listen", listenAddress(t, peer));
  return [own(socket(ours, { dial: p.url })), p];
}

/** A bun-nng socket and a pynng peer connected over `t`, `listener` listening. */
function withPynng(t: Transport, listener: Side, ours: Protocol, theirs: string, peerRaw = false): Promise<[Socket, PyPeer]> {
  return connected(t, listener, ours, "pynng", (role, url) => PyPeer.start(theirs, role, url, peerRaw));
}

/** A bun-nng socket and nngcat or nanocat (`proto` plus `args`) connected over `t`, `listener` listening. */
function withCat(
  tool: CatTool,
  t: Transport,
  listener: Side,
  ours: Protocol,
  proto: string,
  ...args: string[]
): Promise<[Socket, Cat]> {
  return connected(t, listener, ours, tool, (role, url) =>
    tool === "nngcat"
      ? nngcat(proto, [role === "listen" ? "--listen" : "--dial", url], ...args)
      : nanocat(proto, [role === "listen" ? "--bind" : "--connect", url], ...args),
  );
}

const label = (peer: string, listener: Side): string => `(${listener === "bun" ? "bun-nng" : peer} listens)`;

/** How nngcat and nanocat are asked for the same things (their options differ). */
interface CatKind {
  tool: CatTool;
  /** Print each message received on a line, in hex. */
  hex: string[];
  /** The pair (v0) protocol: nngcat --pair0, nanocat --pair. */
  pair: string;
  /** Whether it can stop by itself after `n` messages (nngcat --count). */
  counts: boolean;
  /**
   * Stop after `n` messages (nngcat --count; a sender sends them back to back). nanocat has no such
   * option: a receiver runs until it is stopped after the test, and a sender that is given no
   * --interval sends once and exits, so for n > 1 it sends every 50 ms until stopped.
   */
  count(n: number, sender?: boolean): string[];
  /** For a sender whose first message may go out before anyone is connected (pub, surveyor): repeat. */
  repeat: string[];
}

const CATS: CatKind[] = [
  {
    tool: "nngcat",
    hex: ["--format", "hex"],
    pair: "pair0",
    counts: true,
    count: (n) => ["--count", String(n)],
    repeat: ["--interval", "1", "--count", "4"], // whole seconds, at most 4 times
  },
  {
    tool: "nanocat",
    hex: ["--hex"],
    pair: "pair",
    counts: false,
    count: (n, sender) => (sender && n > 1 ? ["--interval", "0.05"] : []),
    repeat: ["--interval", "0.25"], // until stopped
  },
];

// --- the tests -----------------------------------------------------------------------------------

test("the interop peers are installed", () => {
  const missing = Object.values(PEERS).map((p) => p.missing).filter(Boolean);
  if (missing.length) throw new Error(`interop peers missing: ${missing.join("; ")}; ${SETUP_HINT}`);
  expect(PEERS.pynng.version).toMatch(/^0\.9\.0 1\.\d+\.\d+$/); // pynng version, its NNG version
  expect(PEERS.nngcat.version).toMatch(/^1\.\d+\.\d+$/);
  expect(PEERS.nanocat.version).toMatch(/^1\.\d+\.\d+\b/); // Debian's version of nanomsg-utils, e.g. 1.1.5+dfsg-1.1+b1
});

describe.each(TRANSPORTS)("pynng over %s", (t) => {
  for (const side of SIDES) {
    const tag = label("pynng", side);

    test(
      `bun-nng req -> pynng rep ${tag}`,
      async () => {
        const [req, p] = await withPynng(t, side, "req", "rep");
        const prefix = enc.encode("re: ");
        for (const body of [payload("question"), bigPayload()]) {
          const echoed = p.echo(prefix);
          await sendBytes(req, body);
          expect(hex(await recvBytes(req))).toBe(hex(cat(prefix, body)));
          const got = await echoed;
          expect(hex(got.body)).toBe(hex(body));
          expect(got.header.length).toBe(0); // a cooked rep keeps the request id to itself
        }
      },
      TEST_MS,
    );

    test(
      `pynng req -> bun-nng rep ${tag}`,
      async () => {
        const [rep, p] = await withPynng(t, side, "rep", "req");
        for (const [q, a] of [
          [payload("question"), payload("answer")],
          [bigPayload(), bigPayload(100_000)],
        ] as const) {
          await p.send(q);
          expect(hex(await recvBytes(rep))).toBe(hex(q));
          await sendBytes(rep, a);
          expect(hex((await p.recv()).body)).toBe(hex(a));
        }
      },
      TEST_MS,
    );

    test(
      `bun-nng pub -> pynng sub, with a topic ${tag}`,
      async () => {
        const [pub, p] = await withPynng(t, side, "pub", "sub");
        const topic = enc.encode("news/");
        await p.subscribe(topic);
        const probe = cat(topic, "probe");
        // Published before the sub is connected: dropped. Publish probes until one arrives.
        await retryUntil(async () => {
          expect(send(pub, probe, { mode: "raw" })).toBe(0);
          return typeof (await p.tryRecv(PROBE_WAIT_MS)) !== "string";
        }, "a probe to reach pynng sub");
        const news = cat(topic, payload("item"));
        expect(send(pub, cat("sport/", payload("not subscribed")), { mode: "raw" })).toBe(0);
        expect(send(pub, news, { mode: "raw" })).toBe(0);
        let got: PyMsg;
        do got = await p.recv();
        while (hex(got.body) === hex(probe));
        expect(hex(got.body)).toBe(hex(news));
      },
      TEST_MS,
    );

    test(
      `pynng pub -> bun-nng sub ${tag}`,
      async () => {
        const [sub, p] = await withPynng(t, side, "sub", "pub");
        subscribe(sub, "");
        await retryUntil(async () => {
          await p.send(PROBE);
          return !isErrorValue(await tryRecvBytes(sub, PROBE_WAIT_MS));
        }, "a probe from pynng pub");
        const news = payload("news");
        await p.send(news);
        expect(hex(await recvSkipping(sub, PROBE))).toBe(hex(news));
      },
      TEST_MS,
    );

    test(
      `bun-nng push -> pynng pull, in order ${tag}`,
      async () => {
        const [push, p] = await withPynng(t, side, "push", "pull");
        const items = [payload("job 0"), new Uint8Array(0), payload("job 2")]; // an empty message too
        const sends = items.map((b) => sendAio(push, b, { mode: "raw", timeout: STEP_MS }));
        for (const b of items) expect(hex((await p.recv()).body)).toBe(hex(b));
        for (const s of sends) expect(await settled(s)).toBe(0);
      },
      TEST_MS,
    );

    test(
      `pynng push -> bun-nng pull, in order ${tag}`,
      async () => {
        const [pull, p] = await withPynng(t, side, "pull", "push");
        const items = [payload("job 0"), new Uint8Array(0), payload("job 2")]; // an empty message too
        for (const b of items) await p.send(b);
        for (const b of items) expect(hex(await recvBytes(pull))).toBe(hex(b));
      },
      TEST_MS,
    );

    test(
      `bun-nng surveyor -> pynng respondent ${tag}`,
      async () => {
        const [surveyor, p] = await withPynng(t, side, "surveyor", "respondent");
        surveyTime(surveyor, 5000);
        await retryUntil(async () => {
          expect(send(surveyor, PROBE, { mode: "raw" })).toBe(0);
          return typeof (await p.tryRecv(PROBE_WAIT_MS)) !== "string";
        }, "a survey to reach pynng respondent");
        const survey = payload("how are you?");
        expect(send(surveyor, survey, { mode: "raw" })).toBe(0);
        // Late probes may come first: the respondent answers each (our surveyor drops those
        // answers: they belong to older surveys) until it has answered this one.
        const prefix = enc.encode("fine, thanks: ");
        let got: PyMsg;
        do got = await p.echo(prefix);
        while (hex(got.body) === hex(PROBE));
        expect(hex(got.body)).toBe(hex(survey));
        expect(hex(await recvBytes(surveyor))).toBe(hex(cat(prefix, survey)));
      },
      TEST_MS,
    );

    test(
      `pynng surveyor -> bun-nng respondent ${tag}`,
      async () => {
        const [respondent, p] = await withPynng(t, side, "respondent", "surveyor");
        await retryUntil(async () => {
          await p.send(PROBE);
          return !isErrorValue(await tryRecvBytes(respondent, PROBE_WAIT_MS));
        }, "a survey from pynng surveyor");
        const survey = payload("how are you?");
        await p.send(survey);
        expect(hex(await recvSkipping(respondent, PROBE))).toBe(hex(survey));
        const answer = payload("fine");
        await sendBytes(respondent, answer);
        expect(hex((await p.recv()).body)).toBe(hex(answer));
      },
      TEST_MS,
    );

    test(
      `bun-nng pair <-> pynng pair0 ${tag}`,
      async () => {
        const [pair, p] = await withPynng(t, side, "pair", "pair");
        const ping = payload("ping");
        await sendBytes(pair, ping);
        expect(hex((await p.recv()).body)).toBe(hex(ping));
        const pong = bigPayload();
        await p.send(pong);
        expect(hex(await recvBytes(pair))).toBe(hex(pong));
      },
      TEST_MS,
    );

    test(
      `bun-nng poly <-> pynng pair1 ${tag}`,
      async () => {
        const [poly, p] = await withPynng(t, side, "poly", "pair1");
        const ping = payload("ping");
        await p.send(ping);
        const r = recvAio<Uint8Array>(poly, { mode: "raw", timeout: STEP_MS });
        expect(hex((await settled(r)) as Uint8Array)).toBe(hex(ping));
        // Answer on the pipe it came from, as a poly socket does.
        const pong = payload("pong");
        expect(await settled(sendAio(poly, pong, { mode: "raw", pipe: r.pipe, timeout: STEP_MS }))).toBe(0);
        expect(hex((await p.recv()).body)).toBe(hex(pong));
      },
      TEST_MS,
    );
  }
});

for (const k of CATS) {
  describe.each(TRANSPORTS)(`${k.tool} over %s`, (t) => {
    for (const side of SIDES) {
      const tag = label(k.tool, side);
      const withPeer = (ours: Protocol, proto: string, ...args: string[]): Promise<[Socket, Cat]> =>
        withCat(k.tool, t, side, ours, proto, ...args);
      /** Where it counts (nngcat --count), it exits by itself once done. */
      const exitsWhenDone = async (c: Cat): Promise<void> => {
        if (k.counts) expect(await c.exitCode()).toBe(0);
      };
      /** It sends "hello" (pair, bus); we answer with a big message, which it prints. */
      const helloAndBack = async (ours: Protocol, proto: string, ...args: string[]): Promise<void> => {
        const hello = payload("hello");
        const [s, c] = await withPeer(ours, proto, "--file", dataFile(hello), ...args, ...k.hex);
        expect(hex(await recvBytes(s))).toBe(hex(hello));
        const back = bigPayload(); // connected now (its message came in): a bus does not drop it
        await sendBytes(s, back);
        expect((await c.waitMessages(1)).map(hex)).toEqual([hex(back)]);
      };

      test(
        `bun-nng req -> ${k.tool} rep ${tag}`,
        async () => {
          const reply = payload("reply");
          const [req, c] = await withPeer("req", "rep", "--file", dataFile(reply), ...k.count(2), ...k.hex);
          const questions = [payload("question"), bigPayload()];
          for (const q of questions) {
            await sendBytes(req, q);
            expect(hex(await recvBytes(req))).toBe(hex(reply));
          }
          expect((await c.waitMessages(2)).map(hex)).toEqual(questions.map(hex));
          await exitsWhenDone(c);
        },
        TEST_MS,
      );

      test(
        `${k.tool} req -> bun-nng rep ${tag}`,
        async () => {
          const question = payload("question");
          const [rep, c] = await withPeer("rep", "req", "--file", dataFile(question), ...k.hex);
          expect(hex(await recvBytes(rep))).toBe(hex(question));
          const answer = bigPayload();
          await sendBytes(rep, answer);
          expect((await c.waitMessages(1)).map(hex)).toEqual([hex(answer)]);
          expect(await c.exitCode()).toBe(0); // one request, one reply: done (both tools)
        },
        TEST_MS,
      );

      test(
        `bun-nng pub -> ${k.tool} sub, with a topic ${tag}`,
        async () => {
          const [pub, c] = await withPeer("pub", "sub", "--subscribe", "news/", ...k.hex);
          const probe = cat("news/", "probe");
          await retryUntil(async () => {
            expect(send(pub, probe, { mode: "raw" })).toBe(0);
            return await c.waitMessages(1, PROBE_WAIT_MS).then(
              () => true,
              () => false,
            );
          }, `a probe to reach ${k.tool} sub`);
          const news = cat("news/", payload("item"));
          expect(send(pub, cat("sport/", payload("not subscribed")), { mode: "raw" })).toBe(0);
          expect(send(pub, news, { mode: "raw" })).toBe(0);
          const got = (await c.waitMessage(news)).map(hex);
          expect(got.filter((m) => m !== hex(probe))).toEqual([hex(news)]);
        },
        TEST_MS,
      );

      test(
        `${k.tool} pub -> bun-nng sub ${tag}`,
        async () => {
          const news = payload("news");
          // It cannot be told when to publish (the first may go out before we connect): it repeats.
          const [sub] = await withPeer("sub", "pub", "--file", dataFile(news), ...k.repeat);
          subscribe(sub, "");
          expect(hex(await recvBytes(sub, 4000))).toBe(hex(news));
        },
        TEST_MS,
      );

      test(
        `bun-nng push -> ${k.tool} pull, in order ${tag}`,
        async () => {
          const [push, c] = await withPeer("push", "pull", ...k.count(3), ...k.hex);
          const items = [payload("job 0"), bigPayload(), new Uint8Array(0)];
          for (const b of items) await sendBytes(push, b);
          expect((await c.waitMessages(3)).map(hex)).toEqual(items.map(hex));
          await exitsWhenDone(c);
        },
        TEST_MS,
      );

      test(
        `${k.tool} push -> bun-nng pull ${tag}`,
        async () => {
          const job = payload("job");
          const [pull, c] = await withPeer("pull", "push", "--file", dataFile(job), ...k.count(3, true));
          for (let i = 0; i < 3; i++) expect(hex(await recvBytes(pull))).toBe(hex(job));
          await exitsWhenDone(c);
        },
        TEST_MS,
      );

      test(
        `bun-nng surveyor -> ${k.tool} respondent ${tag}`,
        async () => {
          const answer = payload("fine");
          const [surveyor, c] = await withPeer("surveyor", "respondent", "--file", dataFile(answer), ...k.hex);
          const survey = payload("how are you?");
          // Each send starts a new survey (answers to older ones are dropped); retry until answered.
          let got: Uint8Array | undefined;
          await retryUntil(async () => {
            expect(send(surveyor, survey, { mode: "raw" })).toBe(0);
            const v = await tryRecvBytes(surveyor, 100);
            if (!isErrorValue(v)) got = v;
            return got !== undefined;
          }, `an answer from ${k.tool} respondent`);
          expect(hex(got!)).toBe(hex(answer));
          expect((await c.waitMessages(1))[0]).toEqual(survey);
        },
        TEST_MS,
      );

      test(
        `${k.tool} surveyor -> bun-nng respondent ${tag}`,
        async () => {
          const survey = payload("how are you?");
          // It surveys again and again; the first survey may go out before we connect.
          const [respondent, c] = await withPeer("respondent", "surveyor", "--file", dataFile(survey), ...k.repeat, ...k.hex);
          expect(hex(await recvBytes(respondent, 4000))).toBe(hex(survey));
          const answer = payload("fine");
          await sendBytes(respondent, answer);
          expect((await c.waitMessages(1)).map(hex)).toEqual([hex(answer)]);
        },
        TEST_MS,
      );

      test(`bun-nng pair <-> ${k.tool} ${k.pair} ${tag}`, () => helloAndBack("pair", k.pair), TEST_MS);

      if (k.tool === "nngcat")
        test(
          `bun-nng poly <-> nngcat pair1 ${tag}`,
          async () => {
            const hello = payload("hello");
            const [poly, c] = await withPeer("poly", "pair1", "--file", dataFile(hello), ...k.hex);
            const r = recvAio<Uint8Array>(poly, { mode: "raw", timeout: STEP_MS });
            expect(hex((await settled(r)) as Uint8Array)).toBe(hex(hello));
            const back = payload("back");
            expect(await settled(sendAio(poly, back, { mode: "raw", pipe: r.pipe, timeout: STEP_MS }))).toBe(0);
            expect((await c.waitMessages(1)).map(hex)).toEqual([hex(back)]);
          },
          TEST_MS,
        );

      // A bus drops what it sends while nobody is connected: nanocat repeats (and prints what it
      // receives in between).
      if (k.tool === "nanocat") test(`bun-nng bus <-> nanocat bus ${tag}`, () => helloAndBack("bus", "bus", ...k.repeat), TEST_MS);
    }
  });
}

describe("raw sockets", () => {
  /** A request id as NNG puts it in a req message header: 32 bits, high bit set. */
  const isRequestId = (h: Uint8Array): boolean => h.length === 4 && (h[0]! & 0x80) !== 0;
  /** A hop in the backtrace: a pipe id, 32 bits, high bit clear. */
  const isPipeId = (h: Uint8Array): boolean => h.length === 4 && (h[0]! & 0x80) === 0;

  describe.each(TRANSPORTS)("over %s", (t) => {
    test(
      "bun-nng req -> pynng raw rep, which echoes the request's header (its id) back",
      async () => {
        const [req, p] = await withPynng(t, "bun", "req", "rep", true);
        const prefix = enc.encode("raw: ");
        for (const body of [payload("one"), payload("two")]) {
          const echoed = p.echo(prefix);
          await sendBytes(req, body);
          expect(hex(await recvBytes(req))).toBe(hex(cat(prefix, body)));
          const got = await echoed;
          expect(hex(got.body)).toBe(hex(body));
          // A raw rep receives the backtrace: the id of the pipe it came in on, then the request id.
          expect(got.header.length).toBe(8);
          expect(isPipeId(got.header.subarray(0, 4))).toBe(true);
          expect(isRequestId(got.header.subarray(4))).toBe(true);
        }
      },
      TEST_MS,
    );

    test(
      "pynng raw req (its own request id) -> bun-nng rep, whose reply carries that id back",
      async () => {
        const [rep, p] = await withPynng(t, "peer", "rep", "req", true);
        const id = Uint8Array.of(0x80, 0x00, 0x12, 0x34);
        const q = payload("raw question");
        await p.send(q, STEP_MS, id);
        expect(hex(await recvBytes(rep))).toBe(hex(q)); // the header stays out of the body
        const a = payload("answer");
        await sendBytes(rep, a);
        const got = await p.recv();
        expect(hex(got.body)).toBe(hex(a));
        expect(hex(got.header)).toBe(hex(id));
      },
      TEST_MS,
    );
  });

  test(
    "a bun-nng raw rep / raw req broker (device): nngcat req -> [ipc] -> broker -> [ws] -> pynng raw rep",
    async () => {
      need("pynng");
      need("nngcat");
      const front = own(socket("rep", { raw: true }));
      const back = own(socket("req", { raw: true }));
      const fl = listen(front, listenAddress("ipc", "bun"));
      const bl = listen(back, listenAddress("ws", "bun"));
      const dev = device(front, back);
      const worker = await PyPeer.start("rep", "dial", bl.url, true);
      const question = payload("through the broker");
      const client = await nngcat("req", ["--dial", fl.url], "--file", dataFile(question), "--format", "hex");
      const prefix = enc.encode("worker: ");
      const got = await worker.echo(prefix);
      expect(hex(got.body)).toBe(hex(question));
      // The backtrace has two hops: the worker's own pipe, the broker's front pipe (added by the
      // broker's raw rep), then the request id.
      expect(got.header.length).toBe(12);
      expect(isPipeId(got.header.subarray(0, 4))).toBe(true);
      expect(isPipeId(got.header.subarray(4, 8))).toBe(true);
      expect(isRequestId(got.header.subarray(8))).toBe(true);
      expect((await client.waitMessages(1)).map(hex)).toEqual([hex(cat(prefix, question))]);
      expect(await client.exitCode()).toBe(0);
      front.close();
      expect(((await settled(dev)) as NngError).code).toBe(7);
    },
    TEST_MS,
  );

  test(
    "a bun-nng raw rep / raw req broker (device): pynng req -> [tcp] -> broker -> [tcp] -> nngcat rep",
    async () => {
      need("pynng");
      need("nngcat");
      const front = own(socket("rep", { raw: true }));
      const back = own(socket("req", { raw: true }));
      const fl = listen(front, listenAddress("tcp", "bun"));
      const bl = listen(back, listenAddress("tcp", "bun"));
      const dev = device(front, back);
      const answer = payload("from nngcat");
      const worker = await nngcat("rep", ["--dial", bl.url], "--file", dataFile(answer), "--count", "1", "--format", "hex");
      const client = await PyPeer.start("req", "dial", fl.url);
      const question = payload("through the broker");
      await client.send(question);
      const got = await client.recv();
      expect(hex(got.body)).toBe(hex(answer));
      expect((await worker.waitMessages(1)).map(hex)).toEqual([hex(question)]);
      expect(await worker.exitCode()).toBe(0);
      back.close();
      expect(((await settled(dev)) as NngError).code).toBe(7);
    },
    TEST_MS,
  );
});
