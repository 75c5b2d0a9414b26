// Type rules of the public API, checked by `make typecheck` (tsc) and never run: each forbidden use
// carries `// @ts-expect-error`, so if a rule is lost (the use compiles), tsc fails on the unused
// directive; each allowed use is a plain line, so if a rule gets too strict, tsc fails too.
import {
  context,
  cv,
  device,
  dial,
  listen,
  pipeNotify,
  stat,
  messages,
  recv,
  recvAio,
  reply,
  request,
  send,
  sendAio,
  socket,
  subscribe,
  surveyTime,
  unsubscribe,
  type Context,
  type Protocol,
  type Socket,
  type Stream,
} from "../../src/index";

export function protocolRules(stream: Stream, anyProtocol: Protocol): void {
  const req = socket("req");
  const rep = socket("rep");
  const pub = socket("pub");
  const sub = socket("sub");
  const push = socket("push");
  const pull = socket("pull");
  const surveyor = socket("surveyor");
  const respondent = socket("respondent");
  const bus = socket("bus");
  const pair = socket("pair");
  const poly = socket("poly");

  // socket() keeps the protocol.
  const isSub: Socket<"sub"> = sub;
  // @ts-expect-error -- a sub socket is not a pub socket
  const notPub: Socket<"pub"> = sub;
  const p: "req" = req.protocol;

  // Any socket goes where a plain Socket is expected, and a plain Socket anywhere (checked at run time).
  const plain: Socket = push;
  send(plain, 1);
  recv(plain);
  subscribe(plain, "t");
  const dynamic = socket(anyProtocol); // a protocol known only at run time: a plain Socket
  send(dynamic, 1);
  recv(dynamic);

  // send / sendAio: not on pull or sub.
  for (const s of [req, rep, pub, push, surveyor, respondent, bus, pair, poly]) {
    send(s, 1);
    sendAio(s, 1);
  }
  send(stream, "bytes");
  // @ts-expect-error -- pull does not send
  send(pull, 1);
  // @ts-expect-error -- sub does not send
  sendAio(sub, 1);

  // recv / recvAio / messages: not on push or pub.
  for (const s of [req, rep, sub, pull, surveyor, respondent, bus, pair, poly]) {
    recv(s);
    recvAio<string>(s, { mode: "string" });
    messages(s);
  }
  recvAio(stream);
  // @ts-expect-error -- push does not receive
  recv(push);
  // @ts-expect-error -- pub does not receive, even with an explicit value type
  recvAio<string>(pub);
  // @ts-expect-error -- pub does not receive
  messages(pub);

  // Contexts: only req, rep, sub, surveyor, respondent; they carry the protocol.
  const reqCtx: Context<"req"> = context(req);
  const subCtx = context(sub);
  context(rep);
  context(surveyor);
  context(respondent);
  // @ts-expect-error -- push has no contexts
  context(push);
  // @ts-expect-error -- pair has no contexts
  context(pair);

  // subscribe / unsubscribe: sub sockets and contexts only.
  subscribe(sub, "topic");
  unsubscribe(subCtx, null);
  // @ts-expect-error -- a pub socket does not subscribe
  subscribe(pub, "topic");
  // @ts-expect-error -- a req context does not subscribe
  unsubscribe(reqCtx, "topic");

  // request: req (and surveyor: the first response); reply: rep and respondent.
  request<number>(reqCtx, 1);
  request(req, 1);
  request(context(surveyor), 1);
  reply(context(rep), (x: number) => x + 1);
  reply(respondent, () => 0);
  // @ts-expect-error -- rep does not make requests, even with an explicit value type
  request<number>(rep, 1);
  // @ts-expect-error -- a sub context does not make requests
  request(subCtx, 1);
  // @ts-expect-error -- req does not reply
  reply(req, () => 0);
  // @ts-expect-error -- pull does not reply
  reply(pull, () => 0);

  // surveyTime: surveyor only.
  surveyTime(surveyor, 100);
  surveyTime(context(surveyor), 100);
  // @ts-expect-error -- a respondent has no survey time
  surveyTime(respondent, 100);
  // @ts-expect-error -- a surveyor context from req is not possible
  surveyTime(reqCtx, 100);

  // Functions for any socket take every protocol; a plain Socket's context is a plain Context.
  dial(sub, "inproc://x");
  listen(pub, "inproc://x");
  pipeNotify(push, cv(), { add: true });
  stat(pull, "pipes");
  device(socket("req", { raw: true }), socket("rep", { raw: true }));
  const plainCtx: Context = context(plain);
  request(plainCtx, 1);
  reply(context(dynamic), () => 0);
  // for await: over receiving protocols (and plain sockets) only.
  const iterate = async () => {
    for await (const m of sub) void m;
    for await (const m of context(rep)) void m;
    for await (const m of plain) void m;
    for await (const m of dynamic) void m;
    // @ts-expect-error -- a push socket does not receive
    for await (const m of push) void m;
    // @ts-expect-error -- a pub socket does not receive
    for await (const m of pub) void m;
  };

  void [isSub, notPub, p, iterate];
}
