// push/pull (pipeline): a producer pushes work items; pull workers share them out, each item going
// to exactly one worker (push spreads messages over the connected workers that are ready).
// Run: node_modules/.bin/bun examples/pipeline.ts
import { cv, messages, pipeNotify, sendAio, socket, until, type Socket } from "../src/index";

const ARRIVE_MS = 2000;
const ITEMS = 12;
const url = "inproc://pipeline-example";

using producer = socket("push", { listen: url });
using connected = cv();
pipeNotify(producer, connected, { add: true });
using worker1 = socket("pull", { dial: url });
using worker2 = socket("pull", { dial: url });
for (let i = 0; i < 2; i++) if (!until(connected, ARRIVE_MS)) throw new Error("the workers did not connect");

// Each worker takes items until the work is done; closing it ends its loop.
const received: number[] = [];
const done = Promise.withResolvers<void>();
async function work(worker: Socket<"pull">): Promise<number> {
  let mine = 0;
  for await (const item of messages<number>(worker)) {
    received.push(item);
    mine++;
    if (received.length === ITEMS) done.resolve();
  }
  return mine;
}
const workers = [work(worker1), work(worker2)];

// Items are numbers (serial mode keeps the type).
const sent = Array.from({ length: ITEMS }, (_, i) => sendAio(producer, i + 1, { timeout: ARRIVE_MS }));
const timer = setTimeout(() => done.reject(new Error(`only ${received.length} of ${ITEMS} items arrived`)), ARRIVE_MS);
await done.promise;
clearTimeout(timer);
await Promise.all(sent);
worker1.close();
worker2.close();
const perWorker = await Promise.all(workers);

received.sort((x, y) => x - y);
const each = received.every((x, i) => x === i + 1);
console.log(`pipeline: ${received.length} items, each received once: ${each}; sum ${received.reduce((s, x) => s + x, 0)}`);
console.log(`pipeline: workers took ${perWorker.reduce((s, n) => s + n, 0)} items between them`);
