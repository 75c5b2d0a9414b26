// Faults: the peer dies, the network misbehaves, and every request still gets its own answer.
//
// 1. kill -9: a rep server in another process (test/fixtures/rep-server.ts) is killed with SIGKILL
//    while hundreds of requests from this process's req contexts are in flight, then restarted at the
//    same address (ipc: the same path; tcp: the same port). With `req:resend-time` set, NNG's req
//    protocol sends every unanswered request again, so each one must complete with its own reply.
//    With resends off, the requests in flight must fail at once (connection reset), not hang.
// 2. The network (test/fixtures/netns.ts): two network namespaces joined by a veth pair, loss, delay
//    and a timed partition; see the second describe block.
//
// Figures are printed on one line per run (console.log) and quoted in RELIABILITY.md.
import { BUN_COMMAND } from "./bun-command";
import { afterAll, describe, expect, test } from "bun:test";
import { context, cv, cvValue, dial, pipeNotify, request, setOpt, socket, stat, type Context } from "../src/index";
import { closeAfterEach, uniqueAddress, waitFor } from "./helpers";
import { startRepServer, type RepServer } from "./fixtures/server";
import { NetPair, probe, removeStale, type Impairment } from "./fixtures/netns";
import { join } from "node:path";

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
      // Per kill: when, how many requests were in flight, when the restarted server was listening, and
      // the times from the kill and from its start to its first reply.
      const kills: { at: number; inFlight: number; readyAt: number; recoveredMs: number; fromReadyMs: number }[] = [];
      let killing: Promise<void> = Promise.resolve();

      const killAndRestart = async () => {
        const victim = gens[gens.length - 1]!;
        const kill = { at: performance.now(), inFlight: next - ok - wrong.length, readyAt: 0, recoveredMs: 0, fromReadyMs: 0 };
        kills.push(kill);
        victim.proc.kill("SIGKILL");
        await victim.proc.exited;
        await Bun.sleep(DOWN_MS);
        const restarted = await startRepServer(url, 16);
        kill.readyAt = performance.now();
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
            if (kill && kill.recoveredMs === 0) {
              kill.recoveredMs = performance.now() - kill.at;
              kill.fromReadyMs = performance.now() - kill.readyAt;
            }
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
          kills
            .map(
              (k) =>
                `kill with ${k.inFlight} in flight: first reply from the restarted server ${k.recoveredMs.toFixed(0)} ms ` +
                `after the kill, ${k.fromReadyMs.toFixed(0)} ms after it listened`,
            )
            .join("; ") +
          ` (server down ${DOWN_MS} ms, then a process start); run ${(totalMs / 1000).toFixed(1)} s; ` +
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

describe("faults: a killed reply process without resends", () => {
  test("req:resend-time -1 (resend off): requests in flight at a SIGKILL fail promptly with error 19, none hangs", async () => {
    const server = await startRepServer(uniqueAddress("ipc"), 16);
    try {
      const req = own(socket("req"));
      setOpt(req, "req:resend-time", -1);
      dial(req, server.url);
      // Connected and answering.
      expect(await request(own(context(req)), 21, { timeout: 5000 })).toBe(42);
      // 200 requests the server holds for 5 s (16 in its handlers, the rest queued), then the kill.
      const aios = Array.from({ length: 200 }, (_, i) =>
        request(own(context(req)), { delay: 5000, value: i }, { timeout: 10_000 }),
      );
      await Bun.sleep(200);
      const t0 = performance.now();
      server.proc.kill("SIGKILL");
      const codes = await Promise.all(aios.map((a) => Promise.resolve(a).then(() => 0, (e: { code: number }) => e.code)));
      const settledMs = performance.now() - t0;
      console.log(
        `kill -9 without resends: 200 requests in flight settled with codes ${[...new Set(codes)].join(", ")} ` +
          `(19: connection reset) within ${settledMs.toFixed(0)} ms of the kill`,
      );
      // NNG's req fails a request whose connection is gone when it may not resend it (ECONNRESET).
      expect(new Set(codes)).toEqual(new Set([19]));
      expect(settledMs).toBeLessThan(3000);
    } finally {
      await server.stop(500);
    }
  }, 20_000);
});

// Two hosts on one machine: namespaces a (rep server) and b (req client), joined by a veth pair.
// Needs root; probed once. Where namespaces cannot be made, the block skips and its name says why.
removeStale();
const NET = probe();
const REQ_SCRIPT = join(import.meta.dir, "fixtures", "netns-req.ts");

describe.skipIf(!NET.netns)(
  `faults: two hosts in network namespaces, loss, delay and a partition${NET.netns ? "" : ` - SKIPPED: ${NET.why}`}`,
  () => {
    let pair: NetPair | undefined;
    let server: RepServer | undefined;
    let client: ReturnType<typeof spawnClient> | undefined;
    afterAll(async () => {
      client?.kill("SIGKILL");
      await server?.stop(500);
      pair?.destroy();
    });

    function spawnClient(ns: string, url: string, inFlight: number, resendMs: number) {
      return Bun.spawn([...pair!.exec(ns), ...BUN_COMMAND, REQ_SCRIPT, url, String(inFlight), String(resendMs)], {
        cwd: join(import.meta.dir, ".."),
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      });
    }

    test(`req/rep across a veth pair (${NET.backend ?? "no impairment tool"}): every request answered through loss, delay and a 2.5 s partition, the dialer reconnects`, async () => {
      // Namespaces work but nothing can impair the link: a set-up fault, not a reason to skip.
      if (NET.backend === null) throw new Error(NET.why);
      const backend = NET.backend;
      pair = new NetPair(backend, "rr");
      server = await startRepServer(`tcp://${pair.addrA}:0`, 16, 10_000, pair.exec(pair.a));
      client = spawnClient(pair.b, server.url, 200, 200);
      const lines = client.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let pending = "";
      const nextJson = async (timeoutMs: number): Promise<any> => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const nl = pending.indexOf("\n");
          if (nl >= 0) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            return JSON.parse(line);
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          const r = await Promise.race([
            lines.read(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no output from the req client within ${timeoutMs} ms`)), Math.max(1, deadline - Date.now()));
            }),
          ]).finally(() => clearTimeout(timer));
          if (r.done) throw new Error(`the req client exited: ${await new Response(client!.stderr).text()}`);
          pending += r.value;
        }
      };
      const mark = (name: string) => client!.stdin.write(`mark ${name}\n`);

      expect(await nextJson(10_000)).toEqual({ ready: true });
      const loss: Impairment =
        backend === "netem" ? { lossPct: 10, delayMs: 30 } : { lossPct: 10, rateKbit: 2000 };
      const schedule: [string, Impairment, number][] = [
        ["clean", {}, 1000],
        ["loss", loss, 4000],
        ["partition", { partition: true }, 2500],
        ["healed", {}, 4000],
      ];
      for (const [name, imp, ms] of schedule) {
        // Each namespace has its own TCP settings. During the partition TCP gives up on a stalled
        // connection at the first retransmission timeout past ~0.6 s (tcp_retries2 = 1; 15, the
        // default, means ~15 min), so a 2.5 s partition breaks the connections, as a long outage
        // would, and the dialer must reconnect.
        pair.sysctl("net.ipv4.tcp_retries2", name === "partition" ? 1 : 15);
        pair.impair(imp);
        mark(name);
        await Bun.sleep(ms);
      }
      client.stdin.write("stop\n");
      const done = await nextJson(20_000);
      const per = Object.fromEntries(done.phases.map((p: any) => [p.name, p]));
      console.log(
        `network faults (${backend}${backend === "nft" ? ": nft 10% loss each way + tbf 2 Mbit/s" : ": netem 10% loss + 30 ms each way"}, ` +
          `200 in flight, resend-time 200 ms): ${done.issued} requests, ok ${done.ok}, wrong or lost ${done.wrongCount}; ` +
          `per phase: completed (latency p50/p99 ms) ${done.phases.map((p: any) => `${p.name} ${p.completed} (${p.p50Ms}/${p.p99Ms})`).join(", ")}; ` +
          `first answer after the partition healed ${per.healed?.firstMs} ms; slowest request ${done.maxLatencyMs} ms; ` +
          `dialer connects ${done.connects}, pipe events ${done.pipeEvents}; connection count over time ` +
          `${done.events.map((e: any) => `${e.pipes}@${e.t}`).join(" ")} ms; partition ${per.partition.start}-${per.healed.start} ms`,
      );
      expect(done.wrong).toEqual([]);
      expect(done.ok).toBe(done.issued);
      for (const name of ["clean", "loss", "healed"]) expect(per[name].completed).toBeGreaterThan(0);
      // Reconnected: the connection broke during the partition and a new one was made after it.
      expect(done.connects).toBeGreaterThanOrEqual(2);
      expect(done.pipeEvents).toBeGreaterThanOrEqual(3); // connected, lost, connected again
      // The connection was lost during the partition, and was back once it healed.
      const lostAt = done.events.find((e: any) => e.pipes === 0 && e.t > per.partition.start)?.t;
      expect(lostAt).toBeDefined();
      expect(lostAt).toBeLessThan(per.healed.start + 500);
      expect(done.events.at(-1).pipes).toBe(1);
      // A connect attempt made during the partition is retried by the kernel after 1 s and 3 s.
      expect(per.healed.firstMs).toBeLessThan(3500);
      expect(await client.exited).toBe(0);
    }, 45_000);
  },
);
