// Sending and receiving: synchronous send/recv and asynchronous sendAio/recvAio on a socket or a
// context, in any send/receive mode; on a Stream they go to src/stream.ts (raw bytes).
import { native } from "./ffi";
import { ErrorCode, errorValue, NngError } from "./errors";
import { ownedPayload, RecvAio, SendAio } from "./aio";
import { decode, encode, recvModeOf, sendModeOf, type FromMode, type Received, type RecvModeArg, type SendModeArg } from "./modes";
import { rt, track } from "./runtime";
import { Context, Socket, type Connection, type Receiver, type Sender } from "./socket";
import { cvHandle, type Cv } from "./cv";
import { Stream, streamRecv, streamRecvAio, streamSend, streamSendAio } from "./stream";
import { optionsOf, signalOf, typeName } from "./check";

const DURATION_DEFAULT = -2;
const MAX_MS = 0x7fffffff;

/** Options of `send()`. */
export interface SendOptions {
  /** "serial" (default), "raw" or "next"; or 1, 2, 3. */
  mode?: SendModeArg;
  /**
   * false: return error 8 at once if the message cannot be queued; true: wait (the socket's
   * send-timeout applies); a number: wait at most that many ms. Default: false for sockets, true for
   * contexts (as nanonext).
   */
  block?: boolean | number;
}

/** Options of `recv()`. */
export interface RecvOptions {
  /** One of the nine receive modes (default "serial"), by name or integer. */
  mode?: RecvModeArg;
  /** As for send (streams block by default). */
  block?: boolean | number;
  /** Streams only: receive at most this many bytes (default 65536). */
  n?: number;
}

/** Options of `sendAio()`. */
export interface SendAioOptions {
  /** "serial" (default), "raw" or "next"; or 1, 2, 3. */
  mode?: SendModeArg;
  /** ms; undefined: no limit of its own. The Aio then completes with error 5 (timed out). */
  timeout?: number;
  /** Id of the pipe to send on (protocols that address pipes: pair, poly, bus, raw). */
  pipe?: number;
  /** Aborting stops the operation (error 20). */
  signal?: AbortSignal;
}

/** Options of `recvAio()`. */
export interface RecvAioOptions {
  /** One of the nine receive modes (default "serial"), by name or integer. */
  mode?: RecvModeArg;
  /** ms; undefined: no limit of its own. The Aio then completes with error 5 (timed out). */
  timeout?: number;
  /** Signalled by the completion itself (see cv()). */
  cv?: Cv;
  /** Aborting stops the operation (error 20). */
  signal?: AbortSignal;
  /** Streams only: receive at most this many bytes (default 65536). */
  n?: number;
}

/** `streams`: the caller also takes a Stream (dispatched before this check), for the message. */
export function checkCon(con: unknown, what: string, streams = false): asserts con is Connection {
  if (!Socket.is(con) && !Context.is(con)) {
    throw new TypeError(`${what} expects a Socket or a Context${streams ? " (or a Stream)" : ""} as its first argument, got ${typeName(con)}`);
  }
}

/** A value as an error message shows it: strings quoted, so "1" and 1 differ. */
function describe(x: unknown): string {
  return typeName(x);
}

function blockMs(block: boolean | number | undefined, con: Connection): number {
  if (block === undefined) return con.blockByDefault ? -1 : 0;
  if (block === true) return -1;
  if (block === false) return 0;
  if (typeof block === "number" && Number.isInteger(block) && block >= 0 && block <= MAX_MS) return block;
  throw new TypeError(`block must be true, false or a whole number of milliseconds >= 0, got ${describe(block)}`);
}

export function timeoutMs(timeout: number | undefined): number {
  if (timeout === undefined) return DURATION_DEFAULT;
  if (typeof timeout === "number" && Number.isInteger(timeout) && timeout >= 0 && timeout <= MAX_MS) return timeout;
  throw new TypeError(`timeout must be a whole number of milliseconds >= 0, got ${describe(timeout)}`);
}

function pipeId(pipe: number | undefined): number {
  if (pipe === undefined) return 0;
  if (typeof pipe === "number" && Number.isInteger(pipe) && pipe > 0 && pipe <= 0xffffffff) return pipe;
  throw new TypeError(`pipe must be a pipe id (a positive integer), got ${describe(pipe)}`);
}

/** Protocols that never send (pull, sub) or never receive (push, pub), raw or not. */
const CANNOT_SEND: ReadonlySet<string> = new Set(["pull", "sub"]);
const CANNOT_RECV: ReadonlySet<string> = new Set(["push", "pub"]);

/** NNG's error 9 for an operation the protocol does not have, saying which (else undefined). */
function unsupported(con: Connection, sending: boolean): NngError | undefined {
  const p = con.protocol;
  if (!(sending ? CANNOT_SEND : CANNOT_RECV).has(p)) return undefined;
  return new NngError(ErrorCode.ENOTSUP, `a ${p} ${con instanceof Context ? "context" : "socket"} cannot ${sending ? "send" : "receive"} (the ${p} protocol only ${sending ? "receives" : "sends"})`);
}

export function closedError(con: Connection): NngError {
  return new NngError(ErrorCode.ECLOSED, `the ${Context.is(con) ? "context" : "socket"} is closed`);
}

/**
 * Sends `data` synchronously on a socket, context or stream, encoded in `mode`. Returns 0, or an
 * NngError value (8: could not send without blocking, 5: timed out, 7: closed, 9: the protocol does
 * not send). Throws TypeError for a value the mode cannot send or bad options. Sending on a pull or
 * sub socket is a type error. nanonext: `send()`.
 */
export function send(con: Sender, data: unknown, opts: SendOptions = {}): 0 | NngError {
  opts = optionsOf(opts, "send");
  if (Stream.is(con)) return streamSend(con, data, opts);
  checkCon(con, "send", true);
  const bytes = encode(data, sendModeOf(opts.mode), con.serial);
  const block = blockMs(opts.block, con);
  if (con.closed) return closedError(con);
  const notSupported = unsupported(con, true);
  if (notSupported) return notSupported;
  const rv = native.bnng_send(rt, con.target, con.id, bytes, bytes.length, block);
  return rv === 0 ? 0 : errorValue(rv);
}

/**
 * Receives one message synchronously and decodes it in `mode`; the value type follows the mode
 * (`recv(s, { mode: "string" })` is a string), or is stated as `recv<T>(s)` for a serial message
 * (not checked). Returns the value, or an NngError value (8: nothing to receive without blocking, 5:
 * timed out, 7: closed, 30 with `.raw`: the message does not fit the mode). Receiving on a push or
 * pub socket is a type error. nanonext: `recv()`.
 */
export function recv<T = FromMode, M extends RecvModeArg = RecvModeArg>(con: Receiver, opts?: RecvOptions & { mode?: M }): Received<NoInfer<T>, M> | NngError;
export function recv<T = unknown>(con: Receiver, opts: RecvOptions = {}): T | NngError {
  opts = optionsOf(opts, "recv");
  if (Stream.is(con)) return streamRecv<T>(con, opts);
  checkCon(con, "recv", true);
  const mode = recvModeOf(opts.mode);
  const block = blockMs(opts.block, con);
  if (con.closed) return closedError(con);
  const notSupported = unsupported(con, false);
  if (notSupported) return notSupported;
  if (con.pendingRequest?.pending) {
    // A synchronous receive must not race the request's pending send (see zig/chain.zig).
    return new NngError(ErrorCode.ESTATE, "the request is still being sent: await its sendAio (or use recvAio) first");
  }
  if (block === 0 && con.protocol === "surveyor" && Context.is(con)) {
    // NNG 2.0 gives such a receive the survey's deadline instead, and cancelling it ends the survey.
    return new NngError(
      ErrorCode.ENOTSUP,
      "a non-blocking receive on a surveyor context is not possible with NNG 2.0 (it would end the survey): use recvAio, or recv with a time limit",
    );
  }
  const len = native.bnng_recv(rt, con.target, con.id, block);
  if (len < 0) return errorValue(-len);
  const bytes = new Uint8Array(len);
  native.bnng_sync_take(rt, bytes);
  return decode(bytes, mode, con.serial) as T | NngError;
}

/**
 * Sends `data` asynchronously. The SendAio's `.result` is UNRESOLVED, then 0 or an NngError value
 * (5 timed out, 7 closed, 20 stopped); awaiting it gives 0 or rejects with the NngError. Throws
 * TypeError for a value the mode cannot send. nanonext: `send_aio()`.
 */
export function sendAio(con: Sender, data: unknown, opts: SendAioOptions = {}): SendAio {
  opts = optionsOf(opts, "sendAio");
  if (Stream.is(con)) return streamSendAio(con, data, opts);
  checkCon(con, "sendAio", true);
  const bytes = encode(data, sendModeOf(opts.mode), con.serial);
  const timeout = timeoutMs(opts.timeout);
  const pipe = pipeId(opts.pipe);
  signalOf(opts.signal, "sendAio");
  const aio = new SendAio();
  if (con.closed) return aio.fail(closedError(con));
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  const notSupported = unsupported(con, true);
  if (notSupported) return aio.fail(notSupported);
  const raw = isRaw(con);
  const req = con.protocol === "req" && !raw;
  let op: number;
  if (fastIo && fastLeft > 0 && !raw && SEND_NOW_PROTOCOLS.has(con.protocol)) {
    // Goes out at once when the protocol can take it, else continues as an asynchronous send.
    op = native.bnng_send_aio_now(rt, con.target, con.id, con.socketId, bytes, bytes.length, timeout, pipe);
    if (op === SENT_NOW) {
      spendFast();
      return aio.succeed(0);
    }
  } else {
    op = native.bnng_send_aio(rt, con.target, con.id, con.socketId, bytes, bytes.length, timeout, pipe, null, req ? 1 : 0);
  }
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  if (req) con.pendingRequest = aio;
  return aio.begin(op, opts.signal, con);
}

function isRaw(con: Socket | Context): boolean {
  return Socket.is(con) ? con.raw : con.socket.raw;
}

const NO_OP = 0xffffffff;

/**
 * The fast paths of sendAio and recvAio: an operation the protocol can complete at once (a message
 * already queued; room to send) completes inline on the JS thread, skipping the task-thread hop, the
 * ring and the wake-up. BUN_NNG_FAST_IO=0 turns them off (for comparison).
 */
let fastIo = process.env.BUN_NNG_FAST_IO !== "0";
/**
 * Turns the fast paths on or off at run time and returns the previous setting (tests and
 * benchmarks; not exported by the package).
 */
export function setFastIo(on: boolean): boolean {
  const was = fastIo;
  fastIo = on;
  return was;
}
/** Protocols whose refused zero-timeout send leaves no trace (rep, respondent, req and pair do). */
const SEND_NOW_PROTOCOLS: ReadonlySet<string> = new Set(["push", "pub", "bus"]);
const SENT_NOW = 0x7fffffff; // ops.sent_now
const NOW_EMPTY = -0x10000; // ops.now_empty
/** Received messages up to this size are copied into nowBytes; longer ones are handed over. */
const NOW_INLINE_MAX = 4096;
/**
 * Inline completions allowed before the event loop must turn: a loop awaiting fast operations runs
 * on microtasks only, so without a budget a publisher (pub always takes a message) or a receiver
 * that never finds its queue empty would starve timers and I/O. Past the budget, operations take
 * the asynchronous path (completed through the ring, a macrotask) until setImmediate refills it.
 */
const FAST_BUDGET = 256;
let fastLeft = FAST_BUDGET;
let refillPending = false;
function refillFast(): void {
  fastLeft = FAST_BUDGET;
  refillPending = false;
}
/** Counts one inline completion; schedules the refill when the budget runs out. */
function spendFast(): void {
  if (--fastLeft === 0 && !refillPending) {
    refillPending = true;
    setImmediate(refillFast);
  }
}
const nowBytes = new Uint8Array(NOW_INLINE_MAX);
const nowInfo = new Uint32Array(5);

function nowPayload(len: number): Uint8Array {
  if (len <= NOW_INLINE_MAX) return nowBytes.slice(0, len);
  const msg = nowInfo[2]! * 0x1_0000_0000 + nowInfo[1]!;
  const body = nowInfo[4]! * 0x1_0000_0000 + nowInfo[3]!;
  return ownedPayload(msg, body, len);
}

/**
 * Receives one message asynchronously, decoded in `mode` (the value type as for `recv`). The
 * RecvAio's `.data` is UNRESOLVED, then the decoded value or an NngError value (5 timed out, 7
 * closed, 20 stopped, 30 does not fit the mode); awaiting it gives the value or rejects with the
 * NngError. nanonext: `recv_aio()`.
 */
export function recvAio<T = FromMode, M extends RecvModeArg = RecvModeArg>(con: Receiver, opts?: RecvAioOptions & { mode?: M }): RecvAio<Received<NoInfer<T>, M>>;
export function recvAio<T = unknown>(con: Receiver, opts: RecvAioOptions = {}): RecvAio<T> {
  opts = optionsOf(opts, "recvAio");
  if (Stream.is(con)) return streamRecvAio<T>(con, opts);
  checkCon(con, "recvAio", true);
  const aio = new RecvAio<T>(recvModeOf(opts.mode), con.serial);
  const timeout = timeoutMs(opts.timeout);
  const cv = opts.cv === undefined ? null : cvHandle(opts.cv, "recvAio: 'cv'");
  signalOf(opts.signal, "recvAio");
  if (con.closed) return aio.fail(closedError(con));
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  const notSupported = unsupported(con, false);
  if (notSupported) return aio.fail(notSupported);
  // On req, a receive started while the request is still being sent is queued natively behind
  // that send (zig/chain.zig: NNG would cancel the send, and 1.5.2 crashed).
  const leader = con.pendingRequest;
  const afterSend = leader?.pending && leader.opIndex >= 0 ? leader.opIndex : NO_OP;
  // Not on a surveyor: NNG 2.0 turns a zero time-out there into the survey's deadline, and the
  // cancelled attempt would end the survey.
  if (fastIo && fastLeft > 0 && cv === null && afterSend === NO_OP && con.asyncRecvs === 0 && con.protocol !== "surveyor") {
    // A message already queued is taken at once (see ops.recvNow in zig/ops.zig).
    const n = native.bnng_recv_now(rt, con.target, con.id, nowBytes, NOW_INLINE_MAX, nowInfo);
    if (n !== NOW_EMPTY) {
      spendFast();
      if (n < 0) return aio.fail(errorValue(-n));
      return aio.received(nowPayload(n), nowInfo[0]!);
    }
  }
  const op = native.bnng_recv_aio(rt, con.target, con.id, con.socketId, timeout, cv, afterSend);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  aio.countOn(con);
  return aio.begin(op, opts.signal, con);
}
