// A C driver for the shim without JavaScript, so that valgrind can watch it (make test-valgrind):
// it dlopens libbunnng.so, initialises NNG (bnng_init, as src/ffi.ts does first) and drives the
// exported C ABI as src/*.ts does -- sockets over inproc and ipc, thousands of asynchronous sends,
// receives and requests drained from the completion ring, contexts, closing with operations in
// flight, stops, condition variables (waits on the JS thread and on their own threads), byte
// streams over ipc and tcp, options, statistics and a certificate.
// Every check failing prints what and exits 2; success prints a summary and exits 0.
//
//   harness /path/to/libbunnng.so [rounds]
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// The ring entry (zig/ring.zig Entry): 128 bytes.
typedef struct {
	uint32_t op_id;
	int32_t  result;
	uint32_t len;
	uint32_t pipe;
	uint32_t msg_lo, msg_hi;
	uint32_t kind;
	uint32_t flags;
	uint8_t  data[96];
} entry;

enum { KIND_SEND = 1, KIND_RECV = 2, KIND_REQUEST = 3, KIND_CVWAIT = 7, KIND_STREAM_OPEN = 8, KIND_STREAM_SEND = 9, KIND_STREAM_RECV = 10 };
enum { FLAG_INLINE = 1 };
enum { P_PAIR = 1, P_PUSH = 3, P_PULL = 4, P_REQ = 7, P_REP = 8 };
enum { T_SOCKET = 0, T_CTX = 1 };
#define NO_OP 0xffffffffu

// The exported functions used here (zig/exports.zig), resolved with dlsym.
#define ABI_VERSION 6 /* zig/exports.zig abi_version */
static uint32_t (*abi_version)(void);
static int32_t (*init)(void);
static uint32_t (*abi_entry_size)(void);
static void *(*rt_new)(void *);
static entry *(*rt_batch)(void *);
static uint32_t (*drain)(void *, uint32_t);
static void (*rt_stats)(void *, double *);
static int32_t (*socket_open)(uint32_t, uint32_t);
static int32_t (*socket_close)(void *, uint32_t);
static int32_t (*dial)(uint32_t, const char *, uint32_t, uint32_t);
static int32_t (*listen_)(uint32_t, const char *, uint32_t);
static int32_t (*ctx_open)(uint32_t);
static int32_t (*ctx_close)(void *, uint32_t, uint32_t);
static int32_t (*opt_set)(uint32_t, uint32_t, const char *, uint32_t, double, const uint8_t *, uint32_t);
static int32_t (*opt_get)(uint32_t, uint32_t, const char *, uint32_t, uint8_t *, uint32_t);
static int32_t (*send_aio)(void *, uint32_t, uint32_t, uint32_t, const uint8_t *, uint32_t, int32_t, uint32_t, void *, uint32_t);
static int32_t (*recv_aio)(void *, uint32_t, uint32_t, uint32_t, int32_t, void *, uint32_t);
static int32_t (*request)(void *, uint32_t, uint32_t, uint32_t, const uint8_t *, uint32_t, int32_t, void *);
static void (*aio_cancel)(void *, uint32_t);
static void (*msg_take)(void *, uint8_t *, uint32_t);
static int32_t (*send_sync)(void *, uint32_t, uint32_t, const uint8_t *, uint32_t, int32_t);
static int32_t (*recv_sync)(void *, uint32_t, uint32_t, int32_t);
static void (*sync_take)(void *, uint8_t *);
static int32_t (*stat_)(uint32_t, uint32_t, const char *, double *);
static void *(*cv_new)(void);
static void (*cv_release)(void *);
static uint32_t (*cv_wait)(void *, int32_t);
static uint32_t (*cv_value)(void *);
static void (*cv_signal)(void *);
static int32_t (*cv_wait_aio)(void *, void *, int32_t);
static void *(*stream_new)(const char *, uint32_t, uint32_t, const char *, void *, int32_t *);
static int32_t (*stream_port)(void *);
static int32_t (*stream_start)(void *, void *);
static void (*stream_close)(void *);
static int32_t (*stream_send_aio)(void *, void *, const uint8_t *, uint32_t, int32_t, void *);
static int32_t (*stream_recv_aio)(void *, void *, uint32_t, int32_t, void *);
static int32_t (*tls_write_cert)(const char *, const char *, const char *, uint8_t *, uint32_t, uint8_t *, uint32_t, uint8_t *, uint32_t);

static int32_t (*recv_now)(void *, uint32_t, uint32_t, uint8_t *, uint32_t, uint32_t *);
static int32_t (*send_aio_now)(void *, uint32_t, uint32_t, uint32_t, const uint8_t *, uint32_t, int32_t, uint32_t);
#define SENT_NOW 0x7fffffff /* ops.sent_now */
#define NOW_EMPTY (-0x10000) /* ops.now_empty */
static void *lib;

static void *sym(const char *name) {
	void *p = dlsym(lib, name);
	if (p == NULL) {
		fprintf(stderr, "harness: missing symbol %s\n", name);
		exit(2);
	}
	return p;
}

#define CHECK(cond, ...)                                                   \
	do {                                                                   \
		if (!(cond)) {                                                     \
			fprintf(stderr, "harness: %s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                  \
			fprintf(stderr, "\n");                                         \
			exit(2);                                                       \
		}                                                                  \
	} while (0)

static void *rt;
static entry *batch;

// Completions seen, by result, and bytes received.
static long done_ok, done_closed, done_other, received_bytes, stream_sends, stream_recvs;

// Takes one drained entry: frees (through msg_take) a by-pointer payload, as the JS side does.
static void take(const entry *e) {
	if (e->result == 0) {
		done_ok++;
	} else if (e->result == 7 || e->result == 20 || e->result == 5 || e->result == 31 || e->result == 19) {
		// closed, stopped, timed out; a stream whose peer closed (shut down, reset)
		done_closed++;
	} else {
		done_other++;
	}
	if (e->kind == KIND_STREAM_SEND) stream_sends++;
	if (e->kind == KIND_STREAM_RECV) stream_recvs++;
	if (e->result == 0 && (e->kind == KIND_RECV || e->kind == KIND_REQUEST || e->kind == KIND_STREAM_RECV)) {
		received_bytes += e->len;
		if (!(e->flags & FLAG_INLINE)) {
			uint64_t msg = ((uint64_t) e->msg_hi << 32) | e->msg_lo;
			CHECK(msg != 0, "a by-pointer payload without a message");
			uint8_t *copy = malloc(e->len);
			msg_take((void *) (uintptr_t) msg, copy, e->len);
			free(copy);
		}
	}
}

// Drains until `want` completions have been taken (polling: the harness has no wake-up callback).
static double now_s(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static int verbose;

static void drain_n(long want, const char *what) {
	long got = 0;
	double deadline = now_s() + 30;
	while (got < want) {
		uint32_t n = drain(rt, 512);
		for (uint32_t i = 0; i < n; i++) {
			if (verbose) fprintf(stderr, "  %s: op %u kind %u result %d len %u\n", what, batch[i].op_id, batch[i].kind, batch[i].result, batch[i].len);
			take(&batch[i]);
		}
		got += n;
		if (n == 0) {
			CHECK(now_s() < deadline, "%s: %ld of %ld completions after 30 s", what, got, want);
			usleep(100);
		}
	}
}

static double ops_in_use(void) {
	double s[4];
	rt_stats(rt, s);
	return s[0];
}

static void pair_exchange(const char *url, int count) {
	int32_t a = socket_open(P_PAIR, 0), b = socket_open(P_PAIR, 0);
	CHECK(a > 0 && b > 0, "open pair");
	CHECK(listen_(a, url, 1) > 0, "listen %s", url);
	CHECK(dial(b, url, 1, 0) > 0, "dial %s", url);
	uint8_t small[64], big[4096];
	memset(small, 1, sizeof small);
	memset(big, 2, sizeof big);
	for (int i = 0; i < count; i++) {
		CHECK(recv_aio(rt, T_SOCKET, a, a, 5000, NULL, NO_OP) >= 0, "recv_aio");
		const uint8_t *d = (i % 2) ? big : small;
		uint32_t len = (i % 2) ? sizeof big : sizeof small;
		CHECK(send_aio(rt, T_SOCKET, b, b, d, len, 5000, 0, NULL, 0) >= 0, "send_aio");
	}
	drain_n(2L * count, "pair exchange");
	// Synchronous send and receive.
	CHECK(send_sync(rt, T_SOCKET, b, big, sizeof big, 1000) == 0, "send");
	int32_t n = recv_sync(rt, T_SOCKET, a, 1000);
	CHECK(n == (int32_t) sizeof big, "recv gave %d", n);
	uint8_t *got = malloc((size_t) n);
	sync_take(rt, got);
	CHECK(memcmp(got, big, sizeof big) == 0, "recv bytes");
	free(got);
	double v;
	CHECK(stat_(1, (uint32_t) a, "pipes", &v) == 0 && v == 1, "stat pipes");
	// Close with receives in flight: they complete with 7 (closed).
	for (int i = 0; i < 100; i++) CHECK(recv_aio(rt, T_SOCKET, a, a, -2, NULL, NO_OP) >= 0, "recv_aio");
	socket_close(rt, (uint32_t) a);
	drain_n(100, "close with receives in flight");
	socket_close(rt, (uint32_t) b);
}

static void reqrep(const char *url, int count) {
	int32_t rep = socket_open(P_REP, 0), req = socket_open(P_REQ, 0);
	// A request that goes out on a connection as it is being set up can be lost; req then sends it
	// again after its resend time (default 60 s: a run under valgrind once waited 55 s for it).
	CHECK(opt_set(1, (uint32_t) req, "req:resend-time", 3, 200, NULL, 0) == 0, "set req:resend-time");
	CHECK(listen_(rep, url, 1) > 0, "listen");
	CHECK(dial(req, url, 1, 0) > 0, "dial");
	int32_t rctx[16], qctx[16];
	for (int i = 0; i < 16; i++) {
		rctx[i] = ctx_open((uint32_t) rep);
		qctx[i] = ctx_open((uint32_t) req);
		CHECK(rctx[i] > 0 && qctx[i] > 0, "ctx_open");
	}
	uint8_t q[200];
	memset(q, 3, sizeof q);
	long done_before = done_ok;
	for (int round = 0; round < count / 16; round++) {
		for (int i = 0; i < 16; i++) {
			CHECK(recv_aio(rt, T_CTX, rctx[i], rep, 5000, NULL, NO_OP) >= 0, "rep recv");
			CHECK(request(rt, T_CTX, qctx[i], req, q, sizeof q, 5000, NULL) >= 0, "request");
		}
		drain_n(16, "rep receives"); // the requests arrived (some replies may already be ordered)
		for (int i = 0; i < 16; i++) {
			CHECK(send_aio(rt, T_CTX, rctx[i], rep, q, 50, 5000, 0, NULL, 0) >= 0, "rep send");
		}
		drain_n(32, "replies");
	}
	CHECK(done_ok - done_before >= (count / 16) * 48 - 16, "request/reply completions");
	// Requests in flight with nobody answering, then closing the contexts and the sockets.
	for (int i = 0; i < 16; i++) CHECK(request(rt, T_CTX, qctx[i], req, q, sizeof q, -2, NULL) >= 0, "request");
	for (int i = 0; i < 8; i++) ctx_close(rt, (uint32_t) req, (uint32_t) qctx[i]);
	drain_n(8, "closed contexts");
	socket_close(rt, (uint32_t) req);
	drain_n(8, "closed socket");
	// Stopped receives (error 20).
	int32_t ops[8];
	for (int i = 0; i < 8; i++) ops[i] = recv_aio(rt, T_CTX, rctx[i], rep, -2, NULL, NO_OP);
	for (int i = 0; i < 8; i++) aio_cancel(rt, (uint32_t) ops[i]);
	drain_n(8, "stopped receives");
	socket_close(rt, (uint32_t) rep);
}

static void push_pull_timeouts(const char *url) {
	int32_t pull = socket_open(P_PULL, 0), push = socket_open(P_PUSH, 0);
	CHECK(listen_(pull, url, 1) > 0, "listen");
	CHECK(opt_set(1, (uint32_t) pull, "recv-size-max", 4, 1000, NULL, 0) == 0, "set recv-size-max");
	double v = 0;
	CHECK(opt_get(1, (uint32_t) pull, "recv-size-max", 4, (uint8_t *) &v, 8) == 0 && v == 1000, "get recv-size-max");
	// Receives that time out, and sends that time out with no peer.
	for (int i = 0; i < 200; i++) CHECK(recv_aio(rt, T_SOCKET, pull, pull, 1, NULL, NO_OP) >= 0, "recv");
	uint8_t d[10] = {0};
	for (int i = 0; i < 200; i++) CHECK(send_aio(rt, T_SOCKET, push, push, d, sizeof d, 1, 0, NULL, 0) >= 0, "send");
	drain_n(400, "time-outs");
	socket_close(rt, (uint32_t) push);
	socket_close(rt, (uint32_t) pull);
}

// The fast paths (ops.recvNow / ops.sendAioNow): sends offered at once (inline, or continuing as
// ordinary asynchronous ops), receives of queued messages taken at once, small ones copied out and
// large ones handed over (freed through msg_take, as the JS side does), in order.
static void fast_paths(const char *url) {
	int32_t pull = socket_open(P_PULL, 0), push = socket_open(P_PUSH, 0);
	CHECK(listen_(pull, url, 1) > 0, "listen %s", url);
	CHECK(dial(push, url, 1, 0) > 0, "dial %s", url);
	CHECK(opt_set(1, (uint32_t) pull, "recv-size-max", 4, 0, NULL, 0) == 0, "set recv-size-max");
	static uint8_t msg[65536], dst[4096], copy[65536];
	uint32_t info[5];
	long sent_inline = 0, sent_async = 0;
	for (int i = 0; i < 80; i++) {
		uint32_t len = (i % 8 == 7) ? sizeof msg : 64;
		memset(msg, i & 0xff, len);
		int32_t r = send_aio_now(rt, T_SOCKET, (uint32_t) push, (uint32_t) push, msg, len, 5000, 0);
		CHECK(r == SENT_NOW || r >= 0, "send_aio_now gave %d", r);
		if (r == SENT_NOW) sent_inline++;
		else sent_async++;
		double deadline = now_s() + 10;
		int32_t n;
		while ((n = recv_now(rt, T_SOCKET, (uint32_t) pull, dst, sizeof dst, info)) == NOW_EMPTY) {
			CHECK(now_s() < deadline, "message %d not queued after 10 s", i);
			usleep(100);
		}
		CHECK(n == (int32_t) len, "message %d: recv_now gave %d, want %u", i, n, len);
		CHECK(info[0] != 0, "message %d: no pipe id", i);
		const uint8_t *got = dst;
		if (len > sizeof dst) {
			uint64_t m = ((uint64_t) info[2] << 32) | info[1];
			CHECK(m != 0, "message %d: a large message not handed over", i);
			msg_take((void *) (uintptr_t) m, copy, len);
			got = copy;
		}
		for (uint32_t k = 0; k < len; k += 997) CHECK(got[k] == (uint8_t) (i & 0xff), "message %d byte %u", i, k);
		received_bytes += len;
	}
	drain_n(sent_async, "fast-path sends that went on asynchronously");
	CHECK(sent_inline > 0, "no send went out inline");
	CHECK(recv_now(rt, T_SOCKET, (uint32_t) pull, dst, sizeof dst, info) == NOW_EMPTY, "recv_now with nothing queued");
	CHECK(recv_now(rt, T_SOCKET, (uint32_t) push, dst, sizeof dst, info) == -9, "recv_now on push: not supported");
	socket_close(rt, (uint32_t) push);
	socket_close(rt, (uint32_t) pull);
	int32_t r = recv_now(rt, T_SOCKET, (uint32_t) pull, dst, sizeof dst, info);
	CHECK(r < 0 && r != NOW_EMPTY, "recv_now on a closed socket gave %d", r);
	r = send_aio_now(rt, T_SOCKET, (uint32_t) push, (uint32_t) push, msg, 64, 10, 0);
	CHECK(r < 0, "send_aio_now on a closed socket gave %d", r);
	// A lone push (no peer): with a zero time-out the attempt's own 5; with one, it goes on and times out.
	push = socket_open(P_PUSH, 0);
	CHECK(send_aio_now(rt, T_SOCKET, (uint32_t) push, (uint32_t) push, msg, 64, 0, 0) == -5, "zero time-out");
	CHECK(send_aio_now(rt, T_SOCKET, (uint32_t) push, (uint32_t) push, msg, 64, 5, 0) >= 0, "goes on");
	drain_n(1, "a fast-path send timing out");
	socket_close(rt, (uint32_t) push);
}

static void cvs(void) {
	void *cv = cv_new();
	CHECK(cv != NULL, "cv_new");
	for (int i = 0; i < 1000; i++) cv_signal(cv);
	CHECK(cv_value(cv) == 1000, "cv value");
	for (int i = 0; i < 1000; i++) CHECK(cv_wait(cv, 0) == 1, "cv wait");
	CHECK(cv_wait(cv, 5) == 0, "cv until times out");
	// Waits on their own threads: half signalled, half timing out.
	for (int i = 0; i < 20; i++) CHECK(cv_wait_aio(rt, cv, 50) >= 0, "cv_wait_aio");
	for (int i = 0; i < 10; i++) cv_signal(cv);
	drain_n(20, "cv waits");
	// A cv carried by receives, released while they are in flight.
	int32_t a = socket_open(P_PAIR, 0);
	for (int i = 0; i < 10; i++) CHECK(recv_aio(rt, T_SOCKET, a, a, 1, cv, NO_OP) >= 0, "recv with cv");
	cv_release(cv);
	drain_n(10, "receives with a cv");
	socket_close(rt, (uint32_t) a);
}

static void streams(const char *url_listen, int tcp) {
	int32_t err = 0;
	void *l = stream_new(url_listen, 1, 0, NULL, NULL, &err);
	CHECK(l != NULL, "stream listen %s: %d", url_listen, err);
	char url[256];
	if (tcp) {
		int32_t port = stream_port(l);
		CHECK(port > 0, "stream port");
		snprintf(url, sizeof url, "tcp://127.0.0.1:%d", port);
	} else {
		snprintf(url, sizeof url, "%s", url_listen);
	}
	CHECK(stream_start(rt, l) >= 0, "accept");
	void *d = stream_new(url, 0, 0, NULL, NULL, &err);
	CHECK(d != NULL, "stream dial: %d", err);
	CHECK(stream_start(rt, d) >= 0, "dial");
	drain_n(2, "stream connect");
	uint8_t buf[3000];
	memset(buf, 5, sizeof buf);
	// More than the socket buffers hold: the sends complete as the receives make room.
	long sends_before = stream_sends, want = 50L * sizeof buf, before = received_bytes;
	for (int i = 0; i < 50; i++) CHECK(stream_send_aio(rt, d, buf, sizeof buf, 20000, NULL) >= 0, "stream send");
	while (received_bytes - before < want) {
		long recvs = stream_recvs;
		CHECK(stream_recv_aio(rt, l, 65536, 20000, NULL) >= 0, "stream recv");
		while (stream_recvs == recvs) drain_n(1, "stream recv");
	}
	while (stream_sends - sends_before < 50) drain_n(1, "stream sends");
	// Close with a receive in flight on each side.
	CHECK(stream_recv_aio(rt, l, 100, -2, NULL) >= 0, "stream recv");
	CHECK(stream_recv_aio(rt, d, 100, -2, NULL) >= 0, "stream recv");
	stream_close(d);
	stream_close(l);
	drain_n(2, "stream close");
}

// An asynchronous call on something that does not exist: refused at once (< 0), or started and
// then completed with an error (NNG finishes some aios with the error rather than returning it).
static void fails(int32_t op, const char *what, uint32_t id) {
	if (op < 0) return;
	double deadline = now_s() + 10;
	for (;;) {
		uint32_t n = drain(rt, 512);
		CHECK(n <= 1, "%s on id %u: %u completions", what, id, n);
		if (n == 1) {
			CHECK(batch[0].op_id == (uint32_t) op && batch[0].result != 0, "%s on id %u completed with %d", what, id, batch[0].result);
			return;
		}
		CHECK(now_s() < deadline, "%s on id %u: no completion", what, id);
		usleep(100);
	}
}

// Ids that name nothing (never opened, or closed): every call refuses them with an NNG error.
static void invalid_ids(void) {
	int32_t closed = socket_open(P_PAIR, 0);
	socket_close(rt, (uint32_t) closed);
	const uint32_t ids[] = {0, 999999, 0x7fffffff, 0xffffffffu, (uint32_t) closed};
	uint8_t d[8] = {0};
	double v;
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		uint32_t id = ids[i];
		fails(send_aio(rt, T_SOCKET, id, id, d, sizeof d, 10, 0, NULL, 0), "send_aio", id);
		fails(recv_aio(rt, T_SOCKET, id, id, 10, NULL, NO_OP), "recv_aio", id);
		fails(send_aio(rt, T_CTX, id, id, d, sizeof d, 10, 0, NULL, 0), "ctx send_aio", id);
		fails(recv_aio(rt, T_CTX, id, id, 10, NULL, NO_OP), "ctx recv_aio", id);
		fails(request(rt, T_CTX, id, id, d, sizeof d, 10, NULL), "request", id);
		CHECK(send_sync(rt, T_SOCKET, id, d, sizeof d, 0) != 0, "send on id %u", id);
		CHECK(recv_sync(rt, T_SOCKET, id, 0) < 0, "recv on id %u", id);
		CHECK(ctx_open(id) < 0, "ctx_open on id %u", id);
		CHECK(dial(id, "inproc://x", 1, 1) < 0, "dial on id %u", id);
		CHECK(listen_(id, "inproc://x", 1) < 0, "listen on id %u", id);
		CHECK(opt_set(1, id, "recv-timeout", 3, 10, NULL, 0) != 0, "opt_set on id %u", id);
		CHECK(opt_get(1, id, "recv-timeout", 3, (uint8_t *) &v, 8) < 0, "opt_get on id %u", id);
		CHECK(stat_(1, id, "pipes", &v) < 0, "stat on id %u", id);
		CHECK(socket_close(rt, id) != 0, "close of id %u", id);
		CHECK(ctx_close(rt, id, id) != 0, "ctx close of id %u", id);
		// Op indexes that are not in flight are ignored.
		aio_cancel(rt, id);
	}
	// Bad target kinds, and a receive chained behind an op index outside the pool.
	int32_t s = socket_open(P_REQ, 0);
	CHECK(send_aio(rt, 7, (uint32_t) s, (uint32_t) s, d, sizeof d, 10, 0, NULL, 1) < 0, "bad target");
	CHECK(recv_aio(rt, 2, (uint32_t) s, (uint32_t) s, 10, NULL, NO_OP) < 0, "bad target");
	CHECK(recv_aio(rt, T_SOCKET, (uint32_t) s, (uint32_t) s, 10, NULL, 0x7ffffff0u) < 0, "bad chain op");
	socket_close(rt, (uint32_t) s);
}

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: harness /path/to/libbunnng.so [rounds]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 2;
	verbose = getenv("HARNESS_VERBOSE") != NULL;
	lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		fprintf(stderr, "harness: %s\n", dlerror());
		return 2;
	}
	// NNG 2.0 must be initialised before anything else: bnng_init (nng_init, once per process).
	abi_version = sym("bnng_abi_version");
	init = sym("bnng_init");
	CHECK(abi_version() == ABI_VERSION, "ABI version %u, expected %d", abi_version(), ABI_VERSION);
	int32_t rv = init();
	CHECK(rv == 0, "bnng_init gave %d", rv);
	CHECK(init() == 0, "a second bnng_init gave another result");
	abi_entry_size = sym("bnng_abi_entry_size");
	rt_new = sym("bnng_rt_new");
	rt_batch = sym("bnng_rt_batch");
	drain = sym("bnng_drain");
	rt_stats = sym("bnng_rt_stats");
	socket_open = sym("bnng_socket_open");
	socket_close = sym("bnng_socket_close");
	dial = sym("bnng_dial");
	listen_ = sym("bnng_listen");
	ctx_open = sym("bnng_ctx_open");
	ctx_close = sym("bnng_ctx_close");
	opt_set = sym("bnng_opt_set");
	opt_get = sym("bnng_opt_get");
	send_aio = sym("bnng_send_aio");
	recv_aio = sym("bnng_recv_aio");
	request = sym("bnng_request");
	aio_cancel = sym("bnng_aio_cancel");
	msg_take = sym("bnng_msg_take");
	send_sync = sym("bnng_send");
	recv_sync = sym("bnng_recv");
	sync_take = sym("bnng_sync_take");
	stat_ = sym("bnng_stat");
	cv_new = sym("bnng_cv_new");
	cv_release = sym("bnng_cv_release");
	cv_wait = sym("bnng_cv_wait");
	cv_value = sym("bnng_cv_value");
	cv_signal = sym("bnng_cv_signal");
	cv_wait_aio = sym("bnng_cv_wait_aio");
	stream_new = sym("bnng_stream_new");
	stream_port = sym("bnng_stream_port");
	stream_start = sym("bnng_stream_start");
	stream_close = sym("bnng_stream_close");
	stream_send_aio = sym("bnng_stream_send_aio");
	stream_recv_aio = sym("bnng_stream_recv_aio");
	tls_write_cert = sym("bnng_tls_write_cert");
	recv_now = sym("bnng_recv_now");
	send_aio_now = sym("bnng_send_aio_now");

	CHECK(abi_entry_size() == sizeof(entry), "entry size %u", abi_entry_size());
	rt = rt_new(NULL);
	CHECK(rt != NULL, "rt_new");
	batch = rt_batch(rt);

	char url[256];
	int times = getenv("HARNESS_TIMES") != NULL;
	double t = now_s();
#define PHASE(name) do { if (times) { fprintf(stderr, "  %-12s %.2f s\n", name, now_s() - t); } t = now_s(); } while (0)
	for (int r = 0; r < rounds; r++) {
		snprintf(url, sizeof url, "inproc://harness-%d-%d", getpid(), r);
		pair_exchange(url, 500);
		PHASE("pair inproc");
		snprintf(url, sizeof url, "ipc:///tmp/bnng-harness-%d-%d.ipc", getpid(), r);
		pair_exchange(url, 500);
		PHASE("pair ipc");
		snprintf(url, sizeof url, "inproc://harness-rr-%d-%d", getpid(), r);
		reqrep(url, 320);
		PHASE("reqrep inproc");
		snprintf(url, sizeof url, "ipc:///tmp/bnng-harness-rr-%d-%d.ipc", getpid(), r);
		reqrep(url, 320);
		PHASE("reqrep ipc");
		snprintf(url, sizeof url, "inproc://harness-pp-%d-%d", getpid(), r);
		push_pull_timeouts(url);
		PHASE("timeouts");
		snprintf(url, sizeof url, "ipc:///tmp/bnng-harness-fp-%d-%d.ipc", getpid(), r);
		fast_paths(url);
		PHASE("fast paths");
		cvs();
		PHASE("cvs");
		snprintf(url, sizeof url, "ipc:///tmp/bnng-harness-st-%d-%d.ipc", getpid(), r);
		streams(url, 0);
		streams("tcp://127.0.0.1:0", 1);
		PHASE("streams");
	}
	invalid_ids();
	uint8_t cert[8192], key[8192], err[256];
	CHECK(tls_write_cert("localhost", "20250101000000", "20350101000000", cert, sizeof cert, key, sizeof key, err, sizeof err) == 0,
	    "write cert: %s", err);
	CHECK(ops_in_use() == 0, "%.0f ops still in use", ops_in_use());
	CHECK(done_other == 0, "%ld completions with unexpected errors", done_other);
	printf("harness: %d rounds, %ld completions ok, %ld closed/stopped/timed out, %ld bytes received, 0 ops in use\n",
	    rounds, done_ok, done_closed, received_bytes);
	return 0;
}
