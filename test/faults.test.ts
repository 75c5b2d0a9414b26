// Faults: the peer dies, the network misbehaves, and every request still gets its own answer.
//
// 1. kill -9: a rep server in another process (test/fixtures/rep-server.ts) is killed with SIGKILL
//    while hundreds of requests from this process's req contexts are in flight, then restarted at the
//    same address (ipc: the same path; tcp: the same port). With `req:resend-time` set, NNG's req
//    protocol sends every unanswered request again, so each one must complete with its own reply.
// 2. The network (test/fixtures/netns.ts): two network namespaces joined by a veth pair, loss, delay
//    and a timed partition; see the second describe block.
//
// Figures are printed on one line per run (console.log) and quoted in RELIABILITY.md.
import { afterAll, describe, expect, test } from "bun:test";
import { context, cv, cvValue, dial, pipeNotify, request, setOpt, socket, stat, type Context } from "../src/index";
import { closeAfterEach, uniqueAddress, waitFor } from "./helpers";
import { startRepServer, type RepServer } from "./fixtures/server";

const own = closeAfterEach();

describe("faults: the reply process is killed with SIGKILL mid-load and restarted", () => {
  const servers: RepServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop(500)));
  });

  for (const transport of ["ipc", "tcp"] as const) {
    test(`${transport}: 20,000 requests, 1,000 in flight, resend-time 250 ms, killed twice: every one answered correctly`, async () => {
      const TOTAL = 20_000;
      const IN_FLIGHT = 1_000;
      const KILL_AFTER = [5_000, 12_000]; // replies received before each kill
      const DOWN_MS = 300; // how long no server listens after a kill

      const first = await startRepServer(uniqueAddress(transport), 16);
      servers.push(first);
      // tcp: the restarted servers must take the same port, so they listen at the bound URL.
      const url = first.url;
      const gens: RepServer[] = [first]; // every server process, in order

      const req = own(socket("req"));
      setOpt(req, "req:resend-time", 250);
      setOpt(req, "reconnect-time-min", 20);
      setOpt(req, "reconnect-time-max", 200);
      const added = own(cv());
      pipeNotify(req, added, { add: true });
      const dialer = dial(req, url);

      let next = 0;
      let ok = 0;
      const wrong: string[] = [];
      const byPid = new Map<number, number>();
      const kills: { at: number; inFlight: number; recoveredMs: number }[] = [];
      let killing: Promise<void> = Promise.resolve();

      const killAndRestart = async () => {
        const victim = gens[gens.length - 1]!;
        kills.push({ at: performance.now(), inFlight: next - ok - wrong.length, recoveredMs: 0 });
        victim.proc.kill("SIGKILL");
        await victim.proc.exited;
        await Bun.sleep(DOWN_MS);
        const restarted = await startRepServer(url, 16);
        servers.push(restarted);
        gens.push(restarted);
      };

      const worker = async (ctx: Context) => {
        while (next < TOTAL) {
          const id = next++;
          const n = id * 3 + 1;
          const out = await request<{ id: number; n: number; pid: number }>(ctx, { id, n }, { timeout: 20_000 }).catch(
            (e: Error) => ({ error: e.message }) as never,
          );
          if (out && out.id === id && out.n === n * 2 && typeof out.pid === "number") {
            ok++;
            byPid.set(out.pid, (byPid.get(out.pid) ?? 0) + 1);
            // Recovery: from a kill to the first reply of the server started after it.
            const gen = gens.findIndex((g) => g.pid === out.pid);
            const kill = kills[gen - 1];
            if (kill && kill.recoveredMs === 0) kill.recoveredMs = performance.now() - kill.at;
          } else {
            wrong.push(`${id}: ${JSON.stringify(out)}`);
          }
          if (ok === KILL_AFTER[kills.length]) killing = killAndRestart();
        }
        ctx.close();
      };

      const t0 = performance.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, () => worker(context(req))));
      await killing;
      const totalMs = performance.now() - t0;

      console.log(
        `kill -9 (${transport}): ${TOTAL} requests, ${IN_FLIGHT} in flight, ok ${ok}, wrong or lost ${wrong.length}; ` +
          `answered per server process ${gens.map((g) => byPid.get(g.pid) ?? 0).join(" / ")}; ` +
          kills.map((k) => `kill with ${k.inFlight} in flight, first reply from the restarted server after ${k.recoveredMs.toFixed(0)} ms`).join("; ") +
          ` (server down ${DOWN_MS} ms + restart); run ${(totalMs / 1000).toFixed(1)} s; ` +
          `connections ${cvValue(added)}, dialer connects ${stat(dialer, "connect")}`,
      );
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(ok).toBe(TOTAL);
      expect(kills.length).toBe(KILL_AFTER.length);
      expect(gens.length).toBe(KILL_AFTER.length + 1);
      // Every server process answered (the killed ones at least until their kill), and nobody else did.
      expect(byPid.get(first.pid)! >= KILL_AFTER[0]!).toBe(true);
      for (const g of gens) expect(byPid.get(g.pid)! > 0).toBe(true);
      expect([...byPid.keys()].sort()).toEqual(gens.map((g) => g.pid).sort());
      // The dialer connected once to each server process.
      await waitFor(() => cvValue(added) >= gens.length, 1000, "a connection to each server");
      expect(stat(dialer, "connect")! >= gens.length).toBe(true);
      for (const k of kills) {
        expect(k.recoveredMs).toBeGreaterThan(DOWN_MS);
        expect(k.recoveredMs).toBeLessThan(DOWN_MS + 5000);
      }
      await gens[gens.length - 1]!.stop(2000);
    }, 40_000);
  }
});
