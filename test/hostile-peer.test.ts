// Hostile peers against SP listeners over tcp, ws and tls+tcp: garbage instead of the protocol,
// bogus SP headers, messages and frames claiming 2^62 bytes, handshakes cut short by an RST. The
// peer is Python's standard library (test/fixtures/hostile/probe.py). Afterwards the listener still
// serves a real peer, holds no pipe for a probe, and this process has not grown by gigabytes.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { listen, recvAio, sendAio, setOpt, socket, stat, tlsConfig, writeCert } from "../src/index";
import { closeAfterEach, waitFor } from "./helpers";

const own = closeAfterEach();
const PROBE = join(import.meta.dir, "fixtures", "hostile", "probe.py");

async function runProbes(transport: string, address: string): Promise<string> {
  const child = Bun.spawn(["python3", PROBE, transport, address], { stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  const code = await child.exited;
  clearTimeout(timer);
  expect({ code, err }).toEqual({ code: 0, err: "" });
  return out;
}

describe("hostile peers against a listener", () => {
  for (const transport of ["tcp", "ws", "tls+tcp"] as const) {
    test(`${transport}: every probe is refused, then a real peer is served`, async () => {
      const cert = transport === "tls+tcp" ? writeCert({ cn: "127.0.0.1" }) : null;
      const server = own(socket("pair"));
      // A message limit well under the claims, as a server facing strangers should set.
      setOpt(server, "recv-size-max", 1024 * 1024);
      const url = transport === "ws" ? "ws://127.0.0.1:0/hostile" : `${transport}://127.0.0.1:0`;
      const l = listen(server, url, cert ? { tls: own(tlsConfig({ server: cert.server })) } : {});
      const rssBefore = process.memoryUsage().rss;

      const out = await runProbes(transport, l.url.replace(/^[a-z+]+:\/\//, ""));
      expect(out.trim().split("\n").at(-1)).toBe("done");
      // No probe got to be a pipe that stays.
      await waitFor(() => stat(server, "pipes") === 0, 3000, "the probes' connections to be gone");
      // Nothing was allocated for the huge claims (a generous bound: the runtime itself moves).
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);

      // A real peer is served as if nothing had happened.
      const client = own(socket("pair", { dial: l.url, ...(cert ? { tls: own(tlsConfig({ client: cert.client })) } : {}) }));
      await waitFor(() => stat(client, "pipes") === 1, 3000, "the real peer to connect");
      expect(await sendAio(client, "after the probes", { timeout: 2000 })).toBe(0);
      expect(await recvAio(server, { timeout: 2000 })).toBe("after the probes");
      expect(await sendAio(server, "and back", { timeout: 2000 })).toBe(0);
      expect(await recvAio(client, { timeout: 2000 })).toBe("and back");
    }, 40_000);
  }
});
