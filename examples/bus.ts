// bus: every node hears what each of its directly connected peers sends (a mesh, no broker).
//
// Three bus sockets in one process over inproc, fully connected: a listens, b listens and dials a,
// c dials a and b. Once each node has its two connections, every node says hello; each hears the
// other two. Run: node_modules/.bin/bun examples/bus.ts
import { cv, dial, listen, pipeNotify, recvAio, sendAio, socket, until, type Cv, type Socket } from "../src/index";

const ARRIVE_MS = 2000;

/** Blocks until `n` connections have been added (counted by the cv given to pipeNotify). */
function awaitPipes(c: Cv, n: number, who: string): void {
  for (let i = 0; i < n; i++) if (!until(c, ARRIVE_MS)) throw new Error(`${who}: only ${i} of ${n} connections`);
}

using a = socket("bus");
using b = socket("bus");
using c = socket("bus");
const nodes: [string, Socket<"bus">][] = [["a", a], ["b", b], ["c", c]];
// Count connections from before anything connects.
const cvs = nodes.map(([, s]) => {
  const counter = cv();
  pipeNotify(s, counter, { add: true });
  return counter;
});

listen(a, "inproc://bus-example-a");
listen(b, "inproc://bus-example-b");
dial(b, "inproc://bus-example-a");
dial(c, "inproc://bus-example-a");
dial(c, "inproc://bus-example-b");
nodes.forEach(([name], i) => awaitPipes(cvs[i]!, 2, name));

// bus does not queue for peers that are not connected: everyone is connected now.
for (const [name, s] of nodes) await sendAio(s, `hello from ${name}`, { mode: "raw", timeout: ARRIVE_MS });
for (const [name, s] of nodes) {
  const heard: string[] = [];
  for (let i = 0; i < 2; i++) heard.push(await recvAio(s, { mode: "string", timeout: ARRIVE_MS }));
  console.log(`${name} heard: ${heard.sort().join(", ")}`);
}
for (const counter of cvs) counter.close();
