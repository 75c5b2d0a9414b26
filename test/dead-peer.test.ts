// When the peer goes: for streams and for (pair) sockets over tcp, ipc, ws, wss and tls+tcp, and
// for a peer that is killed, exits, or resets the connection, every call given a limit returns
// within that limit (plus a little slack), every stream receive ends once the peer is gone, a
// stream's iteration ends, and no stopAio or close blocks the JavaScript thread.
//
// Each case runs in a process of its own (test/fixtures/dead-peer/side.ts), killed if it takes too
// long, because a failure here is typically a freeze. The peer is Python's standard library
// (test/fixtures/dead-peer/peer.py): nothing of ours on the far end.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runBunChild } from "./child-process";
import type { Check } from "./fixtures/dead-peer/check";

const SIDE = join(import.meta.dir, "fixtures", "dead-peer", "side.ts");
/** Far more than a case needs (about 2 s); reaching it means something froze. */
const CASE_LIMIT_MS = 20_000;


async function runCase(kind: string, transport: string, death: string): Promise<{ code: number | null; checks: Check[]; output: string }> {
  const { code, json, output } = await runBunChild(SIDE, [kind, transport, death], CASE_LIMIT_MS);
  return { code, checks: json?.checks ?? [], output };
}

const TRANSPORTS = ["tcp", "ipc", "ws", "wss", "tls+tcp"] as const;
const DEATHS = ["kill", "exit", "reset"] as const;

for (const kind of ["stream", "pair"] as const) {
  describe(`${kind === "stream" ? "a stream" : "a pair socket"} whose peer goes`, () => {
    for (const transport of TRANSPORTS) {
      test(`${transport}: killed, exits, resets`, async () => {
        // The three deaths of a transport side by side (2 cores: not all fifteen at once).
        const results = await Promise.all(DEATHS.map((death) => runCase(kind, transport, death)));
        for (const [i, r] of results.entries()) {
          const failed = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.why} (${c.outcome})`);
          expect({ death: DEATHS[i], failed, exit: r.code, ...(r.code === 0 ? {} : { output: r.output }) }).toEqual({
            death: DEATHS[i],
            failed: [],
            exit: 0,
          });
          expect(r.checks.length).toBeGreaterThan(6);
        }
      }, 3 * CASE_LIMIT_MS);
    }
  });
}
