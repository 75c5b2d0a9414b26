// Type rules of receive modes, checked by `make typecheck` and never run (see protocols.ts): the value
// type of recv / recvAio / request / messages follows the receive mode, unless given explicitly.
import { context, messages, recv, recvAio, request, socket, type NngError, type RecvAio, type RecvModeArg } from "../../src/index";

export async function modeRules(someMode: RecvModeArg): Promise<void> {
  const sub = socket("sub");
  const req = socket("req");

  // By mode name or integer.
  const text: RecvAio<string> = recvAio(sub, { mode: "string" });
  const nine: RecvAio<string> = recvAio(sub, { mode: 9 });
  const bytes: Uint8Array | NngError = recv(sub, { mode: "raw" });
  const parts: RecvAio<string[]> = recvAio(sub, { mode: "character" });
  const doubles: RecvAio<Float64Array> = recvAio(sub, { mode: "double" });
  const numeric: RecvAio<Float64Array> = recvAio(sub, { mode: 7 });
  const complex: RecvAio<Float64Array> = recvAio(sub, { mode: "complex" });
  const ints: RecvAio<Int32Array> = recvAio(sub, { mode: "integer" });
  const logical: RecvAio<boolean[]> = recvAio(sub, { mode: "logical" });
  const answer: RecvAio<Float64Array> = request(context(req), 1, { recvMode: "double" });
  // @ts-expect-error -- a raw receive is bytes, not a string
  const notText: string = await recvAio(sub, { mode: "raw" });
  // @ts-expect-error -- a string receive is not bytes
  const notBytes: RecvAio<Uint8Array> = request(req, 1, { recvMode: "string" });
  // @ts-expect-error -- no such mode
  recvAio(sub, { mode: "text" });
  for await (const m of messages(sub, { mode: "string" })) {
    const s: string = m;
    void s;
  }

  // Serial (the default) and modes known only at run time: unknown, or the type the caller states.
  const anything: unknown = await recvAio(sub);
  // @ts-expect-error -- a serial message is unknown until the caller says what it is
  const notKnown: string = await recvAio(sub);
  const stated: { id: number } = await recvAio<{ id: number }>(sub);
  const statedWithMode: RecvAio<string> = recvAio<string>(sub, { mode: someMode });
  const dynamic: unknown = await recvAio(sub, { mode: someMode });
  const statedReply: number = await request<number>(req, 1);

  void [text, nine, bytes, parts, doubles, numeric, complex, ints, logical, answer, notText, notBytes];
  void [anything, notKnown, stated, statedWithMode, dynamic, statedReply];
}
