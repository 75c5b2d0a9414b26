// bun-nng micro-benchmarks (`make bench`): a quick look at the costs that matter most. See README.md.
import { bench, do_not_optimize, group, run } from "mitata";
import { NngError, recvAio, sendAio, socket } from "../src/index";
import { decode, encode } from "../src/modes";
import { native } from "../src/ffi";

const id = `${process.pid}-${Date.now().toString(36)}`;
const payload = new Uint8Array(64).fill(7);

// (a) push/pull over inproc.
const pull = socket("pull", { listen: `inproc://bench-pipeline-${id}` });
const push = socket("push", { dial: `inproc://bench-pipeline-${id}` });

// (b) req/rep over inproc, answered by an echo loop on the rep socket.
const rep = socket("rep", { listen: `inproc://bench-reqrep-${id}` });
const req = socket("req", { dial: `inproc://bench-reqrep-${id}` });
const echo = (async () => {
  for (;;) {
    try {
      const m = await recvAio(rep, { mode: "raw" });
      await sendAio(rep, m, { mode: "raw" });
    } catch (e) {
      if (e instanceof NngError && e.code === 7) return; // closed at the end
      throw e;
    }
  }
})();

// Both pairs connect in the background: one round trip each before measuring.
await Promise.all([recvAio(pull, { mode: "raw" }), sendAio(push, payload, { mode: "raw" })]);
await sendAio(req, payload, { mode: "raw" });
await recvAio(req, { mode: "raw" });

const small = { id: 42, name: "sensor-7", ok: true, values: [1.5, 2.5, 3.5] };
const smallBytes = encode(small, 1);

group("(a) push/pull inproc, 64 B raw", () => {
  bench("sendAio -> recvAio round trip", async () => {
    const r = recvAio(pull, { mode: "raw" });
    sendAio(push, payload, { mode: "raw" });
    await r;
  });
});

group("(b) req/rep inproc, 64 B raw, 1 outstanding", () => {
  bench("request -> reply round trip", async () => {
    sendAio(req, payload, { mode: "raw" });
    await recvAio(req, { mode: "raw" });
  });
});

group(`(c) serial mode, a small object (${smallBytes.length} B serialized)`, () => {
  bench("encode", () => encode(small, 1));
  bench("decode", () => decode(smallBytes, 1));
  bench("encode + decode", () => decode(encode(small, 1), 1));
});

group("(d) FFI", () => {
  bench("one call: bnng_abi_version()", () => do_not_optimize(native.bnng_abi_version()));
});

await run();

push.close();
pull.close();
req.close();
rep.close();
await echo;
