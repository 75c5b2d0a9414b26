// request / reply (nanonext semantics) and device.
//
// request() sends and receives as one native operation: the shim's completion callback starts the
// receive on the same aio as soon as the send has gone out, so there is no JavaScript hop between
// the two and a single completion carries the reply. reply() receives one request, runs the handler,
// and sends its result; a handler that throws makes it send a single nul byte, which the requester
// sees as isNulByte(data). reply() never rejects, so it is safe in a loop.
import { native } from "./ffi";
import { ErrorCode, errorValue, isErrorValue, NngError } from "./errors";
import { RecvAio, SendAio } from "./aio";
import { encode, recvModeOf, sendModeOf, type FromMode, type Received, type RecvModeArg, type SendModeArg } from "./modes";
import { rt, track } from "./runtime";
import { Context, Socket, type ReplyProtocol, type RequestProtocol } from "./socket";
import { checkCon, closedError, recvAio, sendAio, timeoutMs } from "./io";
import { cvHandle, type Cv } from "./cv";
import { optionsOf, signalOf, typeName } from "./check";

/** Options of `request()`. */
export interface RequestOptions {
  /** Send mode of the request (default "serial"). */
  sendMode?: SendModeArg;
  /** Receive mode of the reply (default "serial"). */
  recvMode?: RecvModeArg;
  /** ms, for the send and for the receive; undefined: no limit of its own. */
  timeout?: number;
  /** Signalled by the completion itself, so a thread blocked in until() wakes with .data ready. */
  cv?: Cv;
  /** Aborting stops the request (error 20). */
  signal?: AbortSignal;
}

/**
 * Sends a request on a req (or surveyor: the first response) socket or context and receives its reply,
 * as one native operation: one RecvAio whose `.data` is the reply or an NngError value (5 timed out,
 * 7 closed, 20 stopped), typed by `recvMode` as for `recv`. Use a context per concurrent request.
 * Other protocols are a type error (TypeError at run time). nanonext: `request()`.
 */
export function request<T = FromMode, M extends RecvModeArg = RecvModeArg>(
  con: Socket<RequestProtocol> | Context<RequestProtocol>,
  data: unknown,
  opts?: RequestOptions & { recvMode?: M },
): RecvAio<Received<NoInfer<T>, M>>;
export function request<T = unknown>(con: Socket<RequestProtocol> | Context<RequestProtocol>, data: unknown, opts: RequestOptions = {}): RecvAio<T> {
  opts = optionsOf(opts, "request");
  checkCon(con, "request");
  if (con.protocol !== "req" && con.protocol !== "surveyor") {
    throw new TypeError(`request needs a req or surveyor socket or context, got ${con.protocol}`);
  }
  const bytes = encode(data, sendModeOf(opts.sendMode), con.serial);
  const aio = new RecvAio<T>(recvModeOf(opts.recvMode), con.serial);
  const timeout = timeoutMs(opts.timeout);
  const cv = opts.cv === undefined ? null : cvHandle(opts.cv, "request: 'cv'");
  signalOf(opts.signal, "request");
  if (con.closed) return aio.fail(closedError(con));
  if (opts.signal?.aborted) return aio.fail(errorValue(ErrorCode.ECANCELED));
  const op = native.bnng_request(rt, con.target, con.id, con.socketId, bytes, bytes.length, timeout, cv);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  return aio.begin(op, opts.signal, con);
}

/** Options of `reply()`. */
export interface ReplyOptions {
  /** Receive mode of the request (default "serial"). */
  recvMode?: RecvModeArg;
  /** Send mode of the reply (default "serial"). */
  sendMode?: SendModeArg;
  /** ms, for the receive and for the send. */
  timeout?: number;
  /** Aborting stops the receive (or the send): reply then resolves with error 20. */
  signal?: AbortSignal;
}

const NUL_BYTE = new Uint8Array([0]);

/**
 * Receives one request on a rep (or respondent) socket or context, runs `execute(value)` (sync or
 * async), and sends its result. If `execute` throws (or its result cannot be sent in `sendMode`), a
 * single nul byte is sent instead. Resolves with 0, or the NngError of the receive or send; never
 * rejects. Other protocols than rep and respondent are a type error (TypeError at run time).
 * nanonext: `reply()`.
 */
export async function reply(
  con: Socket<ReplyProtocol> | Context<ReplyProtocol>,
  execute: (value: any) => unknown,
  opts: ReplyOptions = {},
): Promise<0 | NngError> {
  opts = optionsOf(opts, "reply");
  checkCon(con, "reply");
  if (con.protocol !== "rep" && con.protocol !== "respondent") {
    throw new TypeError(`reply needs a rep or respondent socket or context, got ${con.protocol}`);
  }
  if (typeof execute !== "function") throw new TypeError("reply expects a function to compute the reply");
  const sendMode = sendModeOf(opts.sendMode);
  signalOf(opts.signal, "reply");
  const received = recvAio(con, { mode: opts.recvMode, timeout: opts.timeout, signal: opts.signal });
  const value = await received.then(
    (v) => v,
    (e: NngError) => e,
  );
  if (isErrorValue(value) && value.code !== ErrorCode.EBADTYPE) return value; // nothing to answer
  let payload: Uint8Array = NUL_BYTE;
  let failure: NngError | null = isErrorValue(value) ? value : null;
  if (failure === null) {
    try {
      payload = encode(await execute(value), sendMode, con.serial);
    } catch {
      payload = NUL_BYTE;
    }
  }
  const sent = await sendAio(con, payload, { mode: "raw", timeout: opts.timeout, signal: opts.signal }).then(
    () => 0 as const,
    (e: NngError) => e,
  );
  return failure ?? sent;
}

/**
 * Starts NNG's device (forwarder) between two raw sockets (or one, as a reflector), for brokers and
 * proxies. NNG runs it, and it owns both sockets while it runs: sending or receiving on them gives
 * error 4 (busy). Closing either socket stops it and closes both; the returned Aio then resolves with
 * error 7 (closed). Throws TypeError unless both are raw sockets. nanonext: `device()` (which blocks;
 * this one does not).
 */
export function device(s1: Socket, s2: Socket): SendAio {
  if (!Socket.is(s1) || !Socket.is(s2)) throw new TypeError(`device expects two Sockets, got ${typeName(s1)} and ${typeName(s2)}`);
  if (!s1.raw || !s2.raw) throw new TypeError("device needs raw sockets: open them with socket(protocol, { raw: true })");
  const aio = new SendAio();
  if (s1.closed || s2.closed) return aio.fail(new NngError(ErrorCode.ECLOSED, "device: a socket is closed"));
  const op = native.bnng_device_start(rt, s1.id, s2.id);
  if (op < 0) return aio.fail(errorValue(-op));
  track(op, aio);
  return aio.begin(op, undefined, [s1, s2]);
}
