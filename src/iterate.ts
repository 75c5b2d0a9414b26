// Async iteration over received messages: `for await (const msg of sub)` on sockets and contexts,
// or `messages(con, { mode })` for another receive mode. The loop ends cleanly when the socket or
// context closes (or the signal aborts); any other error is thrown.
import { ErrorCode, isErrorValue } from "./errors";
import { checkCon, recvAio } from "./io";
import type { RecvAio } from "./aio";
import type { FromMode, Received, RecvModeArg } from "./modes";
import { Context, Socket, type Protocol, type Receiver, type RecvProtocol } from "./socket";
import { Stream } from "./stream";
import { optionsOf, signalOf } from "./check";

/** Options of `messages()`. */
export interface MessagesOptions {
  /** Receive mode (default serial; on a stream, serial reads strings). */
  mode?: RecvModeArg;
  /** Streams: the most bytes one iteration reads (default 65536). */
  n?: number;
  /** Aborting ends the iteration. */
  signal?: AbortSignal;
}

/** Errors that end an iteration quietly: closed, stopped, or (streams) the peer hung up. */
const ENDINGS: ReadonlySet<number> = new Set([
  ErrorCode.ECLOSED,
  ErrorCode.ECANCELED,
  ErrorCode.ECONNSHUT,
  ErrorCode.ECONNRESET,
]);

/**
 * Received messages (on a stream: chunks of bytes as they arrive), one per iteration, until the
 * connection closes (or `signal` aborts); other errors are thrown. Typed by `mode` as for `recv`.
 * `messages()` of a push or pub socket, like `for await` over one, is a type error (NngError 9 at
 * run time). `for await (const m of con)` is `messages(con)`. Not in nanonext.
 */
export function messages<T = FromMode, M extends RecvModeArg = RecvModeArg>(
  con: Receiver,
  opts?: MessagesOptions & { mode?: M },
): AsyncGenerator<Received<NoInfer<T>, M>, void, undefined>;
export async function* messages<T = unknown>(
  con: Receiver,
  opts: MessagesOptions = {},
): AsyncGenerator<T, void, undefined> {
  if (!Stream.is(con)) checkCon(con, "messages", true);
  opts = optionsOf(opts, "messages");
  signalOf(opts.signal, "messages");
  const recvOpts = { mode: opts.mode, signal: opts.signal, n: opts.n };
  for (;;) {
    if (con.closed || opts.signal?.aborted) return;
    try {
      yield await (recvAio<T>(con, recvOpts) as RecvAio<T>);
    } catch (err) {
      if (isErrorValue(err) && ENDINGS.has(err.code)) return;
      throw err;
    }
  }
}

/**
 * What `for await` over a Socket<P> or Context<P> yields from: messages for a protocol that receives
 * (and for a plain Socket, P = any); for push and pub a type without `next()`, so iterating one is a
 * type error.
 */
export type MessageIterator<P> = 0 extends 1 & P
  ? AsyncGenerator<unknown, void, undefined>
  : [P] extends [RecvProtocol]
    ? AsyncGenerator<unknown, void, undefined>
    : { readonly "push and pub sockets do not receive": never };

declare module "./socket" {
  interface Socket<P extends Protocol = any> {
    /** `for await (const msg of socket)`: serial-mode messages until closed (not on push or pub). */
    [Symbol.asyncIterator](): MessageIterator<P>;
  }
  interface Context<P extends Protocol = any> {
    /** `for await (const msg of ctx)`: serial-mode messages until closed. */
    [Symbol.asyncIterator](): MessageIterator<P>;
  }
}

declare module "./stream" {
  interface Stream {
    /** `for await (const chunk of stream)`: received chunks (Uint8Array) until closed. */
    [Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined>;
  }
}

Socket.prototype[Symbol.asyncIterator] = function (this: Socket) {
  return messages(this);
};
Context.prototype[Symbol.asyncIterator] = function (this: Context) {
  return messages(this);
};
Stream.prototype[Symbol.asyncIterator] = function (this: Stream) {
  return messages(this, { mode: "raw" });
};
