"""pynng (PyPI) with asyncio: the comparison's scenarios (bench/compare) in Python.

pynng wraps its own NNG build (statically, inside the wheel) with cffi; its awaitables complete on
NNG's threads and hop onto the asyncio loop with call_soon_threadsafe. Written as a user would write
it for speed: contexts (one task each) for many outstanding requests, `conc` tasks awaiting asend or
arecv everywhere else.

    python bench/compare/impl/pynng_bench.py role=server|client|probe pattern=... url=... size=...

See common.mjs for the protocol with the harness (READY; one JSON line from the client).
"""

import asyncio
import ctypes
import json
import os
import sys
import time

import pynng


def parse_args(argv):
    a = {"role": "", "pattern": "", "url": "", "size": 64, "conc": 1, "subs": 8, "warmup": 250,
         "duration": 1000, "lifetime": 120000, "parent": 0}
    for arg in argv:
        k, sep, v = arg.partition("=")
        if not sep:
            fail(f"argument {arg}: expected key=value")
        a[k] = int(v) if v.lstrip("-").isdigit() else v
    return a


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fail(error):
    out({"ok": False, "error": str(error)})
    os._exit(1)


def ready():
    sys.stdout.write("READY\n")
    sys.stdout.flush()


def payload_of(size):
    return bytes((i * 7 + 1) & 0xFF for i in range(size))


args = parse_args(sys.argv[1:])
payload = payload_of(args["size"])
count = 0


def guard():
    """Never outlive the harness: die with the parent (Linux), and after `lifetime` ms in any case."""
    try:
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except Exception:
        pass

    async def watchdog():
        end = time.monotonic() + args["lifetime"] / 1000
        while True:
            await asyncio.sleep(0.25)
            if time.monotonic() > end or (args["parent"] and os.getppid() != args["parent"]):
                os._exit(0)

    return asyncio.ensure_future(watchdog())


async def wait_until(cond, ms, what):
    end = time.monotonic() + ms / 1000
    while not cond():
        if time.monotonic() > end:
            fail(f"{what} after {ms / 1000} s")
        await asyncio.sleep(0.002)


async def measure(note=None):
    await asyncio.sleep(args["warmup"] / 1000)
    c0, t0 = count, time.perf_counter()
    await asyncio.sleep(args["duration"] / 1000)
    c1, t1 = count, time.perf_counter()
    seconds = t1 - t0
    result = {"ok": True, "count": c1 - c0, "seconds": seconds, "rate": (c1 - c0) / seconds}
    if note:
        result["note"] = note
    out(result)
    os._exit(0)  # no teardown


def spawn(coro):
    """Runs a loop as a task; one that fails (other than by closing) fails the run."""
    task = asyncio.ensure_future(coro)

    def done(t):
        if not t.cancelled() and t.exception() is not None and not isinstance(t.exception(), pynng.Closed):
            fail(repr(t.exception()))

    task.add_done_callback(done)
    return task


# --- req/rep -------------------------------------------------------------------------------------

async def reqrep_server():
    rep = pynng.Rep0(recv_max_size=0)
    rep.listen(args["url"])

    async def echo(ctx):
        while True:
            m = await ctx.arecv()
            await ctx.asend(m)

    for _ in range(args["conc"]):
        spawn(echo(rep.new_context()))
    ready()
    await asyncio.Event().wait()


async def reqrep_client():
    global count
    req = pynng.Req0(recv_max_size=0)
    req.dial(args["url"], block=False)
    pool = [req.new_context() for _ in range(args["conc"])]
    first = pool[0]
    await asyncio.wait_for(first.asend(payload), 20)  # the first round trip waits for the connection
    await asyncio.wait_for(first.arecv(), 20)

    async def worker(ctx):
        global count
        while True:
            await ctx.asend(payload)
            await ctx.arecv()
            count += 1

    for ctx in pool:
        spawn(worker(ctx))
    await measure()


# --- pub/sub -------------------------------------------------------------------------------------

async def pubsub_server():
    pub = pynng.Pub0(send_buffer_size=1024)
    pub.listen(args["url"])
    ready()
    # pub never blocks: a subscriber whose queue is full misses the message.
    while True:
        await pub.asend(payload)


async def pubsub_client():
    per_sub = [0] * args["subs"]

    async def receiver(sub, i):
        global count
        while True:
            await sub.arecv()
            count += 1
            per_sub[i] += 1

    for i in range(args["subs"]):
        sub = pynng.Sub0(recv_max_size=0, recv_buffer_size=1024, topics=b"")
        sub.dial(args["url"], block=False)
        for _ in range(args["conc"]):
            spawn(receiver(sub, i))
    await wait_until(lambda: all(n > 0 for n in per_sub), 20000, "subscribers not all receiving")
    await measure()


# --- push/pull -----------------------------------------------------------------------------------

async def pipeline_server():
    push = pynng.Push0()
    push.listen(args["url"])

    async def sender():
        while True:
            await push.asend(payload)

    for _ in range(args["conc"]):
        spawn(sender())
    ready()
    await asyncio.Event().wait()


async def pipeline_client():
    pull = pynng.Pull0(recv_max_size=0)
    pull.dial(args["url"], block=False)

    async def receiver():
        global count
        while True:
            await pull.arecv()
            count += 1

    for _ in range(args["conc"]):
        spawn(receiver())
    await wait_until(lambda: count > 0, 20000, "nothing received")
    await measure()


# -------------------------------------------------------------------------------------------------

async def main():
    if args["role"] == "probe":
        from pynng import _nng
        nng = _nng.ffi.string(_nng.lib.nng_version()).decode()
        py = ".".join(map(str, sys.version_info[:3]))
        out({"ok": True, "version": f"pynng {pynng.__version__} (its own NNG {nng}) on Python {py}, asyncio"})
        os._exit(0)
    guard()
    table = {
        "reqrep": (reqrep_server, reqrep_client),
        "pubsub": (pubsub_server, pubsub_client),
        "pipeline": (pipeline_server, pipeline_client),
    }
    roles = table.get(args["pattern"])
    if roles is None:
        fail(f"unknown pattern {args['pattern']}")
    try:
        await roles[0 if args["role"] == "server" else 1]()
    except Exception as e:  # noqa: BLE001 - reported to the harness
        fail(repr(e))


asyncio.run(main())
