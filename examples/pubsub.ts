// pub/sub: a publisher broadcasts; each subscriber receives only the topics it subscribed to (a
// topic is a prefix of the message). Contexts of a sub socket have subscriptions of their own.
// Run: node_modules/.bin/bun examples/pubsub.ts
import { context, cv, pipeNotify, recvAio, send, socket, subscribe, until } from "../src/index";

const ARRIVE_MS = 2000;
const url = "inproc://pubsub-example";

using pub = socket("pub", { listen: url });
using connected = cv();
pipeNotify(pub, connected, { add: true });
using weather = socket("sub", { dial: url });
using news = socket("sub", { dial: url });
subscribe(weather, "weather");
subscribe(news, "news");
// A context on the news socket with a subscription of its own.
using sports = context(news);
subscribe(sports, "sports");
// pub sends only to subscribers connected when it sends (no queueing for late joiners).
for (let i = 0; i < 2; i++) if (!until(connected, ARRIVE_MS)) throw new Error("the subscribers did not connect");

for (const msg of ["weather sunny", "news election", "sports goal", "weather rain", "news end", "sports end", "weather end"]) {
  send(pub, msg, { mode: "raw" });
}

for (const [name, con] of [["weather", weather], ["news", news], ["sports (context)", sports]] as const) {
  const got: string[] = [];
  for (;;) {
    const msg = await recvAio(con, { mode: "string", timeout: ARRIVE_MS });
    got.push(msg);
    if (msg.endsWith(" end")) break;
  }
  console.log(`${name}: ${got.join(", ")}`);
}
