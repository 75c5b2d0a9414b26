// Sending and receiving: synchronous send/recv and asynchronous sendAio/recvAio on a socket or a
// context, in any send/receive mode; on a Stream they go to src/stream.ts (raw bytes).
import { native } from "./ffi";
import { ErrorCode, errorValue, NngError } from "./errors";
import { RecvAio, SendAio } from "./aio";
import { decode, encode, recvModeOf, sendModeOf, type RecvModeArg, type SendModeArg } from "./modes";
import { rt, track } from "./runtime";
import { Context, Socket, type Connection } from "./socket";
import { cvHandle, type Cv } from "./cv";
import { Stream, streamRecv, streamRecvAio, streamSend, streamSendAio } from "./stream";
import { optionsOf, signalOf, typeName } from "./check";

const DURATION_DEFAULT = -2;
const MAX_MS = 0x7fffffff;

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

export interface RecvOptions {
  /** One of the nine receive modes (default "serial"), by name or integer. */
  mode?: RecvModeArg;
  /** As for send (streams block by default). */
  block?: boolean | number;
  /** Streams only: receive at most this many bytes (default 65536). */
  n?: number;
}

export interface SendAioOptions {
  mode?: SendModeArg;
  /** ms; undefined: no limit of its own. The Aio then completes with error 5 (timed out). */
  timeout?: number;
  /** Id of the pipe to send on (protocols that address pipes: pair, poly, bus, raw). */
  pipe?: number;
  /** Aborting stops the operation (error 20). */
  signal?: AbortSignal;
}

export interface RecvAioOptions {
  mode?: RecvModeArg;
  timeout?: number;
  /** Signalled by the completion itself (see cv()). */
  cv?: Cv;
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

export function closedError(con: Connection): NngError {
  return new NngError(ErrorCode.ECLOSED, `the ${Context.is(con) ? "context" : "socket"} is closed`);
}

/** Sends `data` synchronously. Returns 0, or an NngError value (8: could not send without blocking). */
export function send(con: Socket | Context | Stream, data: unknown, opts: SendOptions = {}): 0 | NngError {
  opts = optionsOf(opts, "send");
  if (Stream.is(con)) return streamSend(con, data, opts);
  checkCon(con, "send", true);
  const bytes = encode(data, sendModeOf(opts.mode), con.serial);
  const block = blockMs(opts.block, con);
  if (con.closed) return closedError(con);
  const rv = native.bnng_send(rt, con.target, con.id, bytes, bytes.length, block);
  return rv === 0 ? 0 : errorValue(rv);
}

/** Receives one message synchronously and decodes it in `mode`. Returns the value or an NngError. */
export function recv<T = unknown>(con: Socket | Context | Stream, opts: RecvOptions = {}): T | NngError {
  opts = optionsOf(opts, "recv");
  if (Stream.is(con)) return streamRecv<T>(con, opts);
  checkCon(con, "recv", true);
  const mode = recvModeOf(opts.mode);
  const block = blockMs(opts.block, con);
  if (con.closed) return closedError(con);
  if (con.pendingRequest?.pending) {
    // A synchronous receive must not race the request's pending send (see zig/chain.zig).
    return new NngError(ErrorCode.ESTATE, "the request is still being sent: await its sendAio (or use recvAio) first");
  }
  const len = native.bnng_recv(rt, con.target, con.id, block);
  if (len < 0) return errorValue(-len);
  const bytes = new Uint8Array(len);
  native.bnng_sync_take(rt, bytes);
  return decode(bytes, mode, con.serial) as T | NngError;
}

/** Sends `data` asynchronously. The SendAio's `.result` becomes 0 or an NngError. */
export function sendAio(con: Socket | Context | Stream, data: unknown, opts: SendAioOptions = {}): SendAio {
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
  const req = con.protocol === "req" && !isRaw(con);
  const op = native.bnng_send_aio(rt, con.target, con.id, con.socketId, bytes, bytes.length, timeout, pipe, null, req ? 1 : 0);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  if (req) con.pendingRequest = aio;
  return aio.begin(op, opts.signal, con);
}

function isRaw(con: Socket | Context): boolean {
  return Socket.is(con) ? con.raw : con.socket.raw;
}

const NO_OP = 0xffffffff;

/** Receives one message asynchronously. The RecvAio's `.data` becomes the decoded value or an NngError. */
export function recvAio<T = unknown>(con: Socket | Context | Stream, opts: RecvAioOptions = {}): RecvAio<T> {
  opts = optionsOf(opts, "recvAio");
  if (Stream.is(con)) return streamRecvAio<T>(con, opts);
  checkCon(con, "recvAio", true);
  const aio = new RecvAio<T>(recvModeOf(opts.mode), con.serial);
  const timeout = timeoutMs(opts.timeout);
  const cv = opts.cv === undefined ? null : cvHandle(opts.cv, "recvAio: 'cv'");
  signalOf(opts.signal, "recvAio");
  if (con.closed) return aio.fail(closedError(con));
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  // On req, a receive started while the request is still being sent is queued natively behind
  // that send (zig/chain.zig works around an NNG 1.5.2 crash).
  const leader = con.pendingRequest;
  const afterSend = leader?.pending && leader.opIndex >= 0 ? leader.opIndex : NO_OP;
  const op = native.bnng_recv_aio(rt, con.target, con.id, con.socketId, timeout, cv, afterSend);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  return aio.begin(op, opts.signal, con);
}
