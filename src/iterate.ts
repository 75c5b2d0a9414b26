// Async iteration over received messages: `for await (const msg of sub)` on sockets and contexts,
// or `messages(con, { mode })` for another receive mode. The loop ends cleanly when the socket or
// context closes (or the signal aborts); any other error is thrown.
import { ErrorCode, isErrorValue } from "./errors";
import { recvAio } from "./io";
import type { RecvModeArg } from "./modes";
import { Context, Socket } from "./socket";

export interface MessagesOptions {
  /** Receive mode (default serial). */
  mode?: RecvModeArg;
  /** Aborting ends the iteration. */
  signal?: AbortSignal;
}

/** Received messages, one per iteration, until the connection closes. */
export async function* messages<T = unknown>(con: Socket | Context, opts: MessagesOptions = {}): AsyncGenerator<T, void, undefined> {
  for (;;) {
    if (con.closed || opts.signal?.aborted) return;
    try {
      yield await recvAio<T>(con, { mode: opts.mode, signal: opts.signal });
    } catch (err) {
      if (isErrorValue(err) && (err.code === ErrorCode.ECLOSED || err.code === ErrorCode.ECANCELED)) return;
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

Socket.prototype[Symbol.asyncIterator] = function (this: Socket) {
  return messages(this);
};
Context.prototype[Symbol.asyncIterator] = function (this: Context) {
  return messages(this);
};
