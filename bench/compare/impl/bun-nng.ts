// bun-nng's side of the comparison (bench/compare): the scenarios written with the public API the way
// a user would write them for speed: raw send/receive modes (bytes in, Uint8Array out), a pool of
// contexts with request() for many outstanding requests, recvAio/sendAio loops everywhere else.
//
//   bun bench/compare/impl/bun-nng.ts role=server|client|probe pattern=... url=... size=... conc=...
//
// See common.mjs for the protocol with the harness.
import {
  context,
  dial,
  listen,
  NngError,
  nngVersion,
  recvAio,
  request,
  send,
  sendAio,
  setOpt,
  socket,
  subscribe,
  type Context,
  type Socket,
} from "../../../src/index";
import { fail, guard, makePayload, measure, parseArgs, print, ready, waitUntil, type Args } from "./common.mjs";

const ECLOSED = 7;
const RAW = { mode: "raw" } as const;

const args = parseArgs();
const payload = makePayload(args.size);
let count = 0;

/** Ends a loop quietly when its socket is closed; anything else fails the run. */
function closedOrFail(e: unknown): void {
  if (e instanceof NngError && e.code === ECLOSED) return;
  fail(e instanceof Error ? e.message : e);
}

/** A socket with no message-size limit (NNG's default is 1 MiB, header included). */
function open(protocol: Parameters<typeof socket>[0]): Socket {
  const s = socket(protocol);
  setOpt(s, "recv-size-max", 0);
  return s;
}

// --- req/rep -----------------------------------------------------------------------------------

async function reqrepServer(a: Args): Promise<void> {
  const rep = open("rep");
  listen(rep, a.url);
  const echo = async (ctx: Context) => {
    try {
      for (;;) {
        const m = await recvAio(ctx, RAW);
        await sendAio(ctx, m, RAW);
      }
    } catch (e) {
      closedOrFail(e);
    }
  };
  for (let i = 0; i < a.conc; i++) void echo(context(rep));
  ready();
}

async function reqrepClient(a: Args): Promise<void> {
  const req = open("req");
  dial(req, a.url);
  const pool = Array.from({ length: a.conc }, () => context(req));
  // One round trip first: it waits for the connection.
  await request(pool[0]!, payload, { sendMode: "raw", recvMode: "raw", timeout: 20_000 }).catch((e: NngError) =>
    fail(`first request: ${e.message}`),
  );
  const opts = { sendMode: "raw", recvMode: "raw" } as const;
  const worker =
    a.style === "aio"
      ? async (ctx: Context) => {
          // The same with the two halves as separate Aios (for comparison with request()).
          for (;;) {
            await sendAio(ctx, payload, RAW);
            await recvAio(ctx, RAW);
            count++;
          }
        }
      : async (ctx: Context) => {
          for (;;) {
            await request(ctx, payload, opts);
            count++;
          }
        };
  for (const ctx of pool) worker(ctx).catch(closedOrFail);
  await measure(a, () => count);
}

// --- pub/sub -------------------------------------------------------------------------------------

async function pubsubServer(a: Args): Promise<void> {
  const pub = open("pub");
  setOpt(pub, "send-buffer", 1024);
  listen(pub, a.url);
  ready();
  // pub never blocks (a subscriber whose queue is full misses the message): synchronous sends,
  // with a turn of the event loop now and then.
  for (;;) {
    for (let i = 0; i < 1024; i++) {
      const r = send(pub, payload, RAW);
      if (r !== 0) fail(`publishing: ${r.message}`);
    }
    await new Promise((r) => setImmediate(r));
  }
}

async function pubsubClient(a: Args): Promise<void> {
  const perSub = new Array<number>(a.subs).fill(0);
  for (let i = 0; i < a.subs; i++) {
    const sub = open("sub");
    setOpt(sub, "recv-buffer", 1024);
    subscribe(sub, "");
    dial(sub, a.url);
    const receiver = async () => {
      try {
        for (;;) {
          await recvAio(sub, RAW);
          count++;
          perSub[i]!++;
        }
      } catch (e) {
        closedOrFail(e);
      }
    };
    for (let j = 0; j < a.conc; j++) void receiver();
  }
  await waitUntil(() => perSub.every((n) => n > 0), 20_000, "subscribers not all receiving");
  await measure(a, () => count);
}

// --- push/pull -----------------------------------------------------------------------------------

async function pipelineServer(a: Args): Promise<void> {
  const push = open("push");
  listen(push, a.url);
  const sender = async () => {
    try {
      for (;;) await sendAio(push, payload, RAW);
    } catch (e) {
      closedOrFail(e);
    }
  };
  for (let i = 0; i < a.conc; i++) void sender();
  ready();
}

async function pipelineClient(a: Args): Promise<void> {
  const pull = open("pull");
  dial(pull, a.url);
  const receiver = async () => {
    try {
      for (;;) {
        await recvAio(pull, RAW);
        count++;
      }
    } catch (e) {
      closedOrFail(e);
    }
  };
  for (let i = 0; i < a.conc; i++) void receiver();
  await waitUntil(() => count > 0, 20_000, "nothing received");
  await measure(a, () => count);
}

// -------------------------------------------------------------------------------------------------

if (args.role === "probe") {
  print({ ok: true, version: `bun-nng (NNG ${nngVersion().nng}) on Bun ${Bun.version}` });
  process.exit(0);
}
guard(args);
const table = {
  reqrep: [reqrepServer, reqrepClient],
  pubsub: [pubsubServer, pubsubClient],
  pipeline: [pipelineServer, pipelineClient],
} as const;
const roles = table[args.pattern];
if (!roles) fail(`unknown pattern ${args.pattern}`);
await roles[args.role === "server" ? 0 : 1](args).catch((e: unknown) => fail(e instanceof Error ? e.message : e));
