/*
 * nng-bench: the native C side of the comparison harness (bench/compare). It runs the same scenarios
 * as the bindings, on the same NNG build as the shim (build.zig compiles this file together with
 * NNG's C sources, `zig build bench-native` -> zig-out/bin/nng-bench), written as a C program would
 * be for speed: asynchronous aio state machines, one per outstanding operation, their callbacks
 * running on NNG's own threads. It is the physical limit a binding can approach.
 *
 *   nng-bench role=server|client|probe pattern=reqrep|pubsub|pipeline url=URL size=BYTES conc=N
 *             [subs=N] [warmup=MS] [duration=MS] [lifetime=MS]
 *
 * reqrep   server: rep socket, `conc` contexts, each echoing (recv -> send the same message back).
 *          client: req socket, `conc` contexts, each sending a fresh `size`-byte request and
 *                  receiving its reply, again and again. Measures round trips per second.
 * pubsub   server: pub socket publishing `size`-byte messages as fast as it can (pub never blocks;
 *                  a subscriber whose queue is full misses the message).
 *          client: `subs` sub sockets, `conc` receives posted on each. Measures deliveries per
 *                  second, all subscribers together.
 * pipeline server: push socket, `conc` sends in flight. client: pull socket, `conc` receives posted.
 *                  Measures messages received per second.
 *
 * The server prints READY once listening and runs until killed (or `lifetime` ms). The client waits
 * until traffic flows, lets it run `warmup` ms, counts completions for `duration` ms and prints one
 * JSON line: {"ok":true,"count":N,"seconds":S,"rate":R}.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <nng/nng.h> /* NNG 2.0: the protocols' declarations are in it too */

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

/* ---- arguments ------------------------------------------------------------------------------- */

static const char *role = "", *pattern = "", *url = "";
static size_t size = 64;
static int conc = 1, subs = 8;
static long warmup_ms = 250, duration_ms = 1000, lifetime_ms = 120000;

static void fail(const char *what, int rv) {
	printf("{\"ok\":false,\"error\":\"%s: %s\"}\n", what, rv ? nng_strerror(rv) : "failed");
	fflush(stdout);
	_exit(1);
}

static void parse_args(int argc, char **argv) {
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL) fail("arguments are key=value", 0);
		*eq = '\0';
		const char *k = argv[i], *v = eq + 1;
		if (!strcmp(k, "role")) role = v;
		else if (!strcmp(k, "pattern")) pattern = v;
		else if (!strcmp(k, "url")) url = v;
		else if (!strcmp(k, "size")) size = strtoull(v, NULL, 10);
		else if (!strcmp(k, "conc")) conc = atoi(v);
		else if (!strcmp(k, "subs")) subs = atoi(v);
		else if (!strcmp(k, "warmup")) warmup_ms = atol(v);
		else if (!strcmp(k, "duration")) duration_ms = atol(v);
		else if (!strcmp(k, "lifetime")) lifetime_ms = atol(v);
		/* other keys (parent=...) are for the other implementations */
	}
	if (conc < 1) conc = 1;
	if (subs < 1) subs = 1;
}

/* ---- shared state ------------------------------------------------------------------------------ */

static atomic_uint_fast64_t completed;
static atomic_int stopping;
static unsigned char *payload;

static double now_s(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static nng_msg *new_message(void) {
	nng_msg *m;
	int rv = nng_msg_alloc(&m, size);
	if (rv != 0) fail("nng_msg_alloc", rv);
	memcpy(nng_msg_body(m), payload, size);
	return m;
}

/* Sockets get unlimited message sizes (NNG 2.0's default limit is 1 GiB, NNG_RECVMAXSZ_DEFAULT; the
 * bindings' sockets are unlimited too) and deep queues for the fan-out. */
static void tune(nng_socket s) {
	nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 0);
}

static void listen_on(nng_socket s) {
	int rv = nng_listen(s, url, NULL, 0);
	if (rv != 0) fail("nng_listen", rv);
}

static void dial_to(nng_socket s) {
	int rv = nng_dial(s, url, NULL, NNG_FLAG_NONBLOCK);
	if (rv != 0) fail("nng_dial", rv);
}

/* ---- req/rep ------------------------------------------------------------------------------------ */

enum { ST_SEND, ST_RECV };

typedef struct {
	nng_aio *aio;
	nng_ctx  ctx;
	int      state;
} worker;

static void rep_cb(void *arg) {
	worker *w = arg;
	int     rv = nng_aio_result(w->aio);
	if (w->state == ST_RECV) {
		if (rv != 0) return; /* closed */
		nng_msg *m = nng_aio_get_msg(w->aio);
		nng_aio_set_msg(w->aio, m); /* echo: the request goes back as the reply */
		w->state = ST_SEND;
		nng_ctx_send(w->ctx, w->aio);
	} else {
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(w->aio));
			if (rv == NNG_ECLOSED) return;
		}
		w->state = ST_RECV;
		nng_ctx_recv(w->ctx, w->aio);
	}
}

static void req_cb(void *arg) {
	worker *w = arg;
	int     rv = nng_aio_result(w->aio);
	if (w->state == ST_SEND) {
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(w->aio));
			if (rv == NNG_ECLOSED) return;
			goto send; /* try again */
		}
		w->state = ST_RECV;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	if (rv == NNG_ECLOSED) return;
	if (rv == 0) {
		nng_msg_free(nng_aio_get_msg(w->aio));
		atomic_fetch_add_explicit(&completed, 1, memory_order_relaxed);
	}
send:
	if (atomic_load_explicit(&stopping, memory_order_relaxed)) return;
	w->state = ST_SEND;
	nng_aio_set_msg(w->aio, new_message());
	nng_ctx_send(w->ctx, w->aio);
}

static worker *start_workers(nng_socket s, void (*cb)(void *), int n) {
	worker *ws = calloc((size_t)n, sizeof(worker));
	for (int i = 0; i < n; i++) {
		int rv;
		if ((rv = nng_ctx_open(&ws[i].ctx, s)) != 0) fail("nng_ctx_open", rv);
		if ((rv = nng_aio_alloc(&ws[i].aio, cb, &ws[i])) != 0) fail("nng_aio_alloc", rv);
	}
	return ws;
}

static void reqrep_server(void) {
	nng_socket s;
	int        rv;
	if ((rv = nng_rep0_open(&s)) != 0) fail("nng_rep0_open", rv);
	tune(s);
	worker *ws = start_workers(s, rep_cb, conc);
	for (int i = 0; i < conc; i++) {
		ws[i].state = ST_RECV;
		nng_ctx_recv(ws[i].ctx, ws[i].aio);
	}
	listen_on(s);
}

/* One synchronous round trip on a context: returns once the server answers (dialing is in the
 * background, so this also waits for the connection). */
static void first_round_trip(nng_socket s) {
	nng_ctx  ctx;
	nng_aio *aio;
	int      rv;
	if ((rv = nng_ctx_open(&ctx, s)) != 0) fail("nng_ctx_open", rv);
	if ((rv = nng_aio_alloc(&aio, NULL, NULL)) != 0) fail("nng_aio_alloc", rv);
	nng_aio_set_timeout(aio, 20000);
	nng_aio_set_msg(aio, new_message());
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	if ((rv = nng_aio_result(aio)) != 0) fail("first request", rv);
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	if ((rv = nng_aio_result(aio)) != 0) fail("first reply", rv);
	nng_msg_free(nng_aio_get_msg(aio));
	nng_aio_free(aio);
	nng_ctx_close(ctx);
}

static void reqrep_client(void) {
	nng_socket s;
	int        rv;
	if ((rv = nng_req0_open(&s)) != 0) fail("nng_req0_open", rv);
	tune(s);
	dial_to(s);
	first_round_trip(s);
	worker *ws = start_workers(s, req_cb, conc);
	for (int i = 0; i < conc; i++) {
		ws[i].state = ST_SEND;
		nng_aio_set_msg(ws[i].aio, new_message());
		nng_ctx_send(ws[i].ctx, ws[i].aio);
	}
}

/* ---- pub/sub ----------------------------------------------------------------------------------- */

typedef struct {
	nng_aio             *aio;
	nng_socket           sock;
	atomic_uint_fast64_t *seen;
} receiver;

static atomic_uint_fast64_t *per_sub;

static void recv_cb(void *arg) {
	receiver *r  = arg;
	int       rv = nng_aio_result(r->aio);
	if (rv == NNG_ECLOSED) return;
	if (rv == 0) {
		nng_msg_free(nng_aio_get_msg(r->aio));
		atomic_fetch_add_explicit(&completed, 1, memory_order_relaxed);
		if (r->seen) atomic_fetch_add_explicit(r->seen, 1, memory_order_relaxed);
	}
	nng_socket_recv(r->sock, r->aio);
}

static void post_receivers(nng_socket s, int n, atomic_uint_fast64_t *seen) {
	for (int i = 0; i < n; i++) {
		receiver *r = calloc(1, sizeof(receiver));
		int       rv;
		r->sock = s;
		r->seen = seen;
		if ((rv = nng_aio_alloc(&r->aio, recv_cb, r)) != 0) fail("nng_aio_alloc", rv);
		nng_socket_recv(s, r->aio);
	}
}

static void pubsub_server(void) {
	nng_socket s;
	int        rv;
	if ((rv = nng_pub0_open(&s)) != 0) fail("nng_pub0_open", rv);
	tune(s);
	nng_socket_set_int(s, NNG_OPT_SENDBUF, 1024);
	listen_on(s);
	printf("READY\n");
	fflush(stdout);
	double end = now_s() + (double)lifetime_ms / 1000.0;
	for (unsigned long n = 0;; n++) {
		if ((rv = nng_sendmsg(s, new_message(), 0)) != 0) fail("nng_sendmsg", rv);
		if ((n & 1023) == 0 && now_s() > end) _exit(0);
	}
}

static void pubsub_client(void) {
	per_sub = calloc((size_t)subs, sizeof(*per_sub));
	for (int i = 0; i < subs; i++) {
		nng_socket s;
		int        rv;
		if ((rv = nng_sub0_open(&s)) != 0) fail("nng_sub0_open", rv);
		tune(s);
		nng_socket_set_int(s, NNG_OPT_RECVBUF, 1024);
		if ((rv = nng_sub0_socket_subscribe(s, "", 0)) != 0) fail("subscribe", rv);
		post_receivers(s, conc, &per_sub[i]);
		dial_to(s);
	}
	/* every subscriber connected and receiving */
	double give_up = now_s() + 20.0;
	for (int i = 0; i < subs; i++) {
		while (atomic_load(&per_sub[i]) == 0) {
			if (now_s() > give_up) fail("subscribers not all receiving after 20 s", 0);
			usleep(1000);
		}
	}
}

/* ---- push/pull --------------------------------------------------------------------------------- */

typedef struct {
	nng_aio   *aio;
	nng_socket sock;
} sender;

static void send_cb(void *arg) {
	sender *p  = arg;
	int     rv = nng_aio_result(p->aio);
	if (rv != 0) {
		nng_msg_free(nng_aio_get_msg(p->aio));
		if (rv == NNG_ECLOSED) return;
	}
	nng_aio_set_msg(p->aio, new_message());
	nng_socket_send(p->sock, p->aio);
}

static void pipeline_server(void) {
	nng_socket s;
	int        rv;
	if ((rv = nng_push0_open(&s)) != 0) fail("nng_push0_open", rv);
	tune(s);
	for (int i = 0; i < conc; i++) {
		sender *p = calloc(1, sizeof(sender));
		p->sock   = s;
		if ((rv = nng_aio_alloc(&p->aio, send_cb, p)) != 0) fail("nng_aio_alloc", rv);
		nng_aio_set_msg(p->aio, new_message());
		nng_socket_send(s, p->aio);
	}
	listen_on(s);
}

static void pipeline_client(void) {
	nng_socket s;
	int        rv;
	if ((rv = nng_pull0_open(&s)) != 0) fail("nng_pull0_open", rv);
	tune(s);
	post_receivers(s, conc, NULL);
	dial_to(s);
	double give_up = now_s() + 20.0;
	while (atomic_load(&completed) == 0) {
		if (now_s() > give_up) fail("nothing received after 20 s", 0);
		usleep(1000);
	}
}

/* ---- main ---------------------------------------------------------------------------------------- */

static void sleep_ms(long ms) {
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0) {}
}

int main(int argc, char **argv) {
	parse_args(argc, argv);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the harness */
	int rv = nng_init(NULL); /* NNG 2.0: before any other call; never finalised (no teardown) */
	if (rv != 0) fail("nng_init", rv);
	payload = malloc(size ? size : 1);
	for (size_t i = 0; i < size; i++) payload[i] = (unsigned char)(i * 7 + 1);

	if (!strcmp(role, "probe")) {
		printf("{\"ok\":true,\"version\":\"native C (NNG %s, aio callbacks)\"}\n", nng_version());
		return 0;
	}
	int server = !strcmp(role, "server");
	if (!server && strcmp(role, "client")) fail("role must be server or client", 0);

	if (!strcmp(pattern, "reqrep")) server ? reqrep_server() : reqrep_client();
	else if (!strcmp(pattern, "pubsub")) server ? pubsub_server() : pubsub_client();
	else if (!strcmp(pattern, "pipeline")) server ? pipeline_server() : pipeline_client();
	else fail("pattern must be reqrep, pubsub or pipeline", 0);

	if (server) {
		printf("READY\n");
		fflush(stdout);
		sleep_ms(lifetime_ms);
		_exit(0);
	}

	sleep_ms(warmup_ms);
	uint_fast64_t c0 = atomic_load(&completed);
	double        t0 = now_s();
	sleep_ms(duration_ms);
	uint_fast64_t c1 = atomic_load(&completed);
	double        t1 = now_s();
	atomic_store(&stopping, 1);
	double secs = t1 - t0;
	printf("{\"ok\":true,\"count\":%llu,\"seconds\":%.6f,\"rate\":%.1f}\n", (unsigned long long)(c1 - c0), secs,
	    (double)(c1 - c0) / secs);
	fflush(stdout);
	_exit(0); /* no teardown: the sockets die with the process */
}
