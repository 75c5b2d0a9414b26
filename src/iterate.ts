// Async iteration over received messages: `for await (const msg of sub)` on sockets and contexts,
// or `messages(con, { mode })` for another receive mode. The loop ends cleanly when the socket or
// context closes (or the signal aborts); any other error is thrown.
import { ErrorCode, isErrorValue } from "./errors";
import { checkCon, recvAio } from "./io";
import type { RecvModeArg } from "./modes";
import { Context, Socket } from "./socket";
import { Stream } from "./stream";
import { optionsOf, signalOf } from "./check";

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
 * connection closes.
 */
export async function* messages<T = unknown>(
  con: Socket | Context | Stream,
  opts: MessagesOptions = {},
): AsyncGenerator<T, void, undefined> {
  if (!Stream.is(con)) checkCon(con, "messages", true);
  opts = optionsOf(opts, "messages");
  signalOf(opts.signal, "messages");
  const recvOpts = { mode: opts.mode, signal: opts.signal, n: opts.n };
  for (;;) {
    if (con.closed || opts.signal?.aborted) return;
    try {
      yield await recvAio<T>(con, recvOpts);
    } catch (err) {
      if (isErrorValue(err) && ENDINGS.has(err.code)) return;
      throw err;
    }
  }
}

declare module "./socket" {
  interface Socket {
    /** `for await (const msg of socket)`: serial-mode messages until closed. */
    [Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined>;
  }
  interface Context {
    [Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined>;
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
