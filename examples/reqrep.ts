// req/rep: requests and their replies, many at once through contexts. The server answers on 4 rep
// contexts (each a loop of reply()); the client sends 8 requests at once, each on its own req
// context, and every reply comes back to the request that asked.
// Run: node_modules/.bin/bun examples/reqrep.ts
import { context, isErrorValue, reply, request, socket } from "../src/index";

const url = "inproc://reqrep-example";
const TIMEOUT_MS = 2000;

using server = socket("rep", { listen: url });
// Each context serves one request at a time; four of them serve four at once. reply() resolves with
// 0, or an error value (7) once the socket closes: the loop ends then.
const servers = Array.from({ length: 4 }, async () => {
  using ctx = context(server);
  for (;;) {
    const done = await reply(ctx, (n: number) => n * n);
    if (isErrorValue(done)) return done.code;
  }
});

using client = socket("req", { dial: url });
const questions = [1, 2, 3, 4, 5, 6, 7, 8];
// request() sends and receives as one operation; a context per request lets them overlap. (`return
// await`: the context must stay open until the reply is in; `using` closes it after.)
const answers = await Promise.all(
  questions.map(async (n) => {
    using ctx = context(client);
    return await request<number>(ctx, n, { timeout: TIMEOUT_MS });
  }),
);
console.log(`reqrep: ${answers.length} requests answered: ${answers.join(", ")}`);

server.close();
const ends = await Promise.all(servers);
console.log(`reqrep: closing the server ended its ${ends.length} reply loops (error ${ends[0]})`);
