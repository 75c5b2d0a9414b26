// zeromq.js (npm zeromq v6, libzmq 4.3) on Node: the comparison's scenarios in ZeroMQ's own terms.
// ZeroMQ is not NNG: there are no contexts, so many outstanding requests go through Dealer/Router
// (the client keeps `conc` requests in flight on one Dealer; a Router echoes each back to its
// sender), while one outstanding request uses Request/Reply. zeromq.js allows one pending send and
// one pending receive per socket, so a Push or Publisher sends one message at a time (`await send`),
// as its documentation shows.
//
//   node bench/compare/impl/zeromq.mjs role=server|client|probe pattern=... url=... size=... conc=...
import { createRequire } from "node:module";
import { fail, guard, makePayload, measure, parseArgs, print, ready, waitUntil } from "./common.mjs";

const require = createRequire(new URL("../../.deps/zeromq/package.json", import.meta.url));
const zmq = require("zeromq");

const args = parseArgs();
const payload = makePayload(args.size);
let count = 0;

/** Ends a loop quietly when the process winds down; anything else fails the run. */
function closedOrFail(e) {
  if (e && (e.code === "EAGAIN" || e.code === "ETERM")) return;
  fail(e?.message ?? e);
}

// --- req/rep (Request/Reply with one outstanding, Dealer/Router with more) ----------------------

async function reqrepServer(a) {
  if (a.conc <= 1) {
    const rep = new zmq.Reply();
    await rep.bind(a.url);
    ready();
    for await (const [m] of rep) await rep.send(m);
  } else {
    const router = new zmq.Router({ sendHighWaterMark: 0, receiveHighWaterMark: 0 });
    await router.bind(a.url);
    ready();
    // [identity, body] from a Dealer: echo it back to the same peer.
    for await (const frames of router) await router.send(frames);
  }
}

async function reqrepClient(a) {
  if (a.conc <= 1) {
    const req = new zmq.Request();
    req.connect(a.url);
    await req.send(payload);
    await req.receive(); // the first round trip waits for the connection
    (async () => {
      for (;;) {
        await req.send(payload);
        await req.receive();
        count++;
      }
    })().catch(closedOrFail);
  } else {
    const dealer = new zmq.Dealer({ sendHighWaterMark: 0, receiveHighWaterMark: 0 });
    dealer.connect(a.url);
    await dealer.send(payload);
    await dealer.receive();
    let outstanding = 0;
    let wake = null;
    (async () => {
      for await (const _ of dealer) {
        count++;
        outstanding--;
        if (wake) {
          const w = wake;
          wake = null;
          w();
        }
      }
    })().catch(closedOrFail);
    (async () => {
      for (;;) {
        while (outstanding < a.conc) {
          outstanding++;
          await dealer.send(payload);
        }
        await new Promise((r) => (wake = r));
      }
    })().catch(closedOrFail);
  }
  await measure(a, () => count);
}

// --- pub/sub -------------------------------------------------------------------------------------

async function pubsubServer(a) {
  const pub = new zmq.Publisher({ sendHighWaterMark: 1024 });
  await pub.bind(a.url);
  ready();
  // A Publisher never blocks: at the high-water mark a subscriber misses the message.
  for (;;) {
    for (let i = 0; i < 1024; i++) await pub.send(payload);
    await new Promise((r) => setImmediate(r));
  }
}

async function pubsubClient(a) {
  const perSub = new Array(a.subs).fill(0);
  for (let i = 0; i < a.subs; i++) {
    const sub = new zmq.Subscriber({ receiveHighWaterMark: 1024 });
    sub.subscribe();
    sub.connect(a.url);
    (async () => {
      for await (const _ of sub) {
        count++;
        perSub[i]++;
      }
    })().catch(closedOrFail);
  }
  await waitUntil(() => perSub.every((n) => n > 0), 20_000, "subscribers not all receiving");
  await measure(a, () => count);
}

// --- push/pull -----------------------------------------------------------------------------------

async function pipelineServer(a) {
  const push = new zmq.Push();
  await push.bind(a.url);
  ready();
  for (;;) await push.send(payload);
}

async function pipelineClient(a) {
  const pull = new zmq.Pull();
  pull.connect(a.url);
  (async () => {
    for await (const _ of pull) count++;
  })().catch(closedOrFail);
  await waitUntil(() => count > 0, 20_000, "nothing received");
  await measure(a, () => count);
}

// -------------------------------------------------------------------------------------------------

if (args.role === "probe") {
  print({ ok: true, version: `zeromq.js ${require("zeromq/package.json").version} (libzmq ${zmq.version}) on Node ${process.versions.node}` });
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
