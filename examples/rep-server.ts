// The server half of examples/demo.ts: a rep socket serving requests over ipc with many contexts.
//
//   bun examples/rep-server.ts <url> [parent-pid]
//
// Each of CONTEXTS contexts loops recvAio -> sendAio on its own, so up to CONTEXTS requests are
// worked on at once. A request { id, n } is answered with { id, n: n * 2 }; the request { stop: true }
// is answered with { stopped: true, served } and then the server closes and exits.
import { context, isErrorValue, NngError, recvAio, sendAio, socket, type Context } from "../src/index";

const CONTEXTS = 64;
const ECLOSED = 7;

const url = process.argv[2];
if (!url) {
  console.error("usage: bun examples/rep-server.ts <url> [parent-pid]");
  process.exit(2);
}

// If the process that started us goes away without telling us to stop, do not linger.
const parent = Number(process.argv[3] ?? 0);
if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      console.error("[server] parent process is gone: exiting");
      process.exit(1);
    }
  }, 500).unref();
}

const rep = socket("rep", { listen: url });
let served = 0;
let stopping = false;
let stopped!: () => void;
const stopRequested = new Promise<void>((resolve) => (stopped = resolve));

async function serve(ctx: Context): Promise<void> {
  while (!stopping) {
    let req: unknown;
    try {
      req = await recvAio(ctx);
    } catch (err) {
      if (err instanceof NngError && err.code === ECLOSED) return; // closed while waiting: done
      throw err;
    }
    if (req !== null && typeof req === "object" && (req as { stop?: unknown }).stop === true) {
      stopping = true;
      await sendAio(ctx, { stopped: true, served });
      stopped();
      return;
    }
    const { id, n } = req as { id: number; n: number };
    const rv = await sendAio(ctx, { id, n: n * 2 }).then(
      (v) => v,
      (e: NngError) => e,
    );
    if (isErrorValue(rv)) {
      if (rv.code === ECLOSED) return;
      throw rv;
    }
    served++;
  }
}

const contexts = Array.from({ length: CONTEXTS }, () => context(rep));
const loops = contexts.map(serve);
console.log(`[server] pid ${process.pid}: rep socket listening at ${url} with ${CONTEXTS} contexts`);

await stopRequested;
// Give the stop acknowledgement a moment to leave before the socket (and its pipe) go away.
await Bun.sleep(50);
rep.close(); // the other contexts' receives complete with error 7 (closed) and their loops end
await Promise.all(loops);
console.log(`[server] served ${served} requests; closed, exiting`);
