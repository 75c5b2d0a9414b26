// node-nanomsg (npm nanomsg 4.2, bundling libnanomsg 1.1) on Node: the comparison's scenarios with
// its stream/event API (`socket.send(buf)`, `socket.on("data", ...)`). nanomsg has no contexts and
// its (non-raw) sockets carry one request at a time, and node-nanomsg's raw sockets do not deliver
// messages as events: so `conc` outstanding requests are `conc` req sockets (at most 256: libnanomsg
// allows 512 sockets per process), each with one request in flight, all dialed to the one rep socket
// of the server (which, being a rep socket, answers one request at a time: nanomsg's model).
// node-nanomsg's send() only queues: the queue is flushed when the socket is writable. A sender that
// outruns the flush grows the queue without bound (and stalls), so senders refill it only when it
// is nearly empty.
//
//   node bench/compare/impl/nanomsg.mjs role=server|client|probe pattern=... url=... size=... conc=...
import { createRequire } from "node:module";
import { fail, guard, makePayload, measure, parseArgs, print, ready, waitUntil } from "./common.mjs";

const require = createRequire(new URL("../../.deps/nanomsg/package.json", import.meta.url));
const nano = require("nanomsg");

const args = parseArgs();
const payload = Buffer.from(makePayload(args.size));
let count = 0;

/** Sockets with no message-size limit (nanomsg's default is 1 MiB) and deep buffers. */
function open(type) {
  const s = nano.socket(type, { rcvmaxsize: -1 });
  s.on("error", (e) => fail(`${type}: ${e.message}`));
  return s;
}

const turn = () => new Promise((r) => setImmediate(r));
const MAX_SOCKETS = 256;
const BATCH = 256;

/** Sends as fast as the socket takes them: a batch whenever the queue has (nearly) drained. */
async function flood(sock) {
  for (;;) {
    if (sock.queue.length < BATCH) for (let i = 0; i < BATCH; i++) sock.send(payload);
    await turn();
  }
}

// --- req/rep -----------------------------------------------------------------------------------

async function reqrepServer(a) {
  const rep = open("rep");
  rep.bind(a.url);
  rep.on("data", (m) => rep.send(m));
  ready();
}

async function reqrepClient(a) {
  const socks = [];
  const n = Math.min(a.conc, MAX_SOCKETS);
  for (let i = 0; i < n; i++) {
    const req = open("req");
    req.connect(a.url);
    socks.push(req);
  }
  // The first round trip on each socket waits for its connection.
  let connected = 0;
  for (const req of socks) {
    req.once("data", () => {
      connected++;
      req.on("data", () => {
        count++;
        req.send(payload);
      });
      req.send(payload);
    });
    req.send(payload);
  }
  await waitUntil(() => connected === socks.length, 20_000, "req sockets not all answered");
  const note = n < a.conc ? `${n} req sockets, one request each (nanomsg: no contexts, 512 sockets at most)` : undefined;
  await measure(a, () => count, note);
}

// --- pub/sub -------------------------------------------------------------------------------------

async function pubsubServer(a) {
  const pub = open("pub");
  pub.bind(a.url);
  ready();
  // pub never blocks: a subscriber that cannot keep up misses messages.
  await flood(pub);
}

async function pubsubClient(a) {
  const perSub = new Array(a.subs).fill(0);
  for (let i = 0; i < a.subs; i++) {
    const sub = open("sub"); // subscribed to everything by default
    sub.connect(a.url);
    sub.on("data", () => {
      count++;
      perSub[i]++;
    });
  }
  await waitUntil(() => perSub.every((n) => n > 0), 20_000, "subscribers not all receiving");
  await measure(a, () => count);
}

// --- push/pull -----------------------------------------------------------------------------------

async function pipelineServer(a) {
  const push = open("push");
  push.bind(a.url);
  ready();
  await flood(push);
}

async function pipelineClient(a) {
  const pull = open("pull");
  pull.connect(a.url);
  pull.on("data", () => count++);
  await waitUntil(() => count > 0, 20_000, "nothing received");
  await measure(a, () => count);
}

// -------------------------------------------------------------------------------------------------

if (args.role === "probe") {
  print({ ok: true, version: `node-nanomsg ${require("nanomsg/package.json").version} on Node ${process.versions.node}` });
  process.exit(0);
}
guard(args);
const table = {
  reqrep: [reqrepServer, reqrepClient],
  pubsub: [pubsubServer, pubsubClient],
  pipeline: [pipelineServer, pipelineClient],
};
const roles = table[args.pattern];
if (!roles) fail(`unknown pattern ${args.pattern}`);
await roles[args.role === "server" ? 0 : 1](args).catch((e) => fail(e?.message ?? e));
