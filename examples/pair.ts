// pair: one-to-one, both ways (pair1); poly: pair1 in polyamorous mode, one socket talking to many
// peers, addressing each by the pipe its message came on.
// Run: node_modules/.bin/bun examples/pair.ts
import { recvAio, sendAio, socket } from "../src/index";

const ARRIVE_MS = 2000;

// pair1: a listens, b dials; either side sends first. A pair send waits for the peer to connect.
{
  using a = socket("pair", { listen: "inproc://pair-example" });
  using b = socket("pair", { dial: "inproc://pair-example" });
  await sendAio(b, "ping", { mode: "raw", timeout: ARRIVE_MS });
  const atA = await recvAio(a, { mode: "string", timeout: ARRIVE_MS });
  await sendAio(a, "pong", { mode: "raw", timeout: ARRIVE_MS });
  const atB = await recvAio(b, { mode: "string", timeout: ARRIVE_MS });
  console.log(`pair: a got "${atA}", b got "${atB}"`);
}

// poly: a hub with two peers; it answers each on the pipe its message arrived on.
{
  using hub = socket("poly", { listen: "inproc://poly-example" });
  using left = socket("poly", { dial: "inproc://poly-example" });
  using right = socket("poly", { dial: "inproc://poly-example" });
  await Promise.all([
    sendAio(left, "left", { mode: "raw", timeout: ARRIVE_MS }),
    sendAio(right, "right", { mode: "raw", timeout: ARRIVE_MS }),
  ]);
  const heard: string[] = [];
  for (let i = 0; i < 2; i++) {
    const msg = recvAio(hub, { mode: "string", timeout: ARRIVE_MS });
    const text = await msg;
    heard.push(text);
    await sendAio(hub, `echo ${text}`, { mode: "raw", pipe: msg.pipe, timeout: ARRIVE_MS });
  }
  const atLeft = await recvAio(left, { mode: "string", timeout: ARRIVE_MS });
  const atRight = await recvAio(right, { mode: "string", timeout: ARRIVE_MS });
  console.log(`poly: hub heard ${heard.sort().join(" and ")}; left got "${atLeft}", right got "${atRight}"`);
}
