// A fix for NNG 2.0.0's TLS connections (src/supplemental/tls/tls_common.c), which every tls+tcp
// and wss stream and pipe runs on. When the transport under a TLS connection fails (the peer went,
// or reset the connection), tls_bio_error marks it (bio_closed, bio_err) and tls_conn_err ends the
// receives and sends queued at that moment. A receive or send queued after that is never ended:
// nni_tls_recv / nni_tls_send do not look at bio_closed, reads of the dead transport are never
// started again (tls_bio_recv_start), and cancelling only aborts the idle transport aio
// (tls_cancel). NNG itself reads ahead on the transport, so the failure is often met while nothing
// is queued: a receive after the peer went then waited forever, a limited one was never ended by
// its limit, and stopping it froze the caller. Sends were taken into the TLS buffer and reported
// done until it filled, then waited forever too.
//
// build.zig compiles tls_common.c with its nni_tls_recv / nni_tls_send renamed to the _nng names
// below, so that the callers (tls_stream.c, and through it ws and the tls transport) reach these
// wrappers: each queues the operation as NNG does, then, under the connection's lock, ends it with
// the transport's error if the transport has failed and the operation is still queued (whether it
// failed before the queueing or after it, nothing is left behind: tls_conn_err drains the queue
// only after bio_closed is set). Built against the same NNG tree, so the layout is NNG's own.
#include "core/nng_impl.h"
#include "supplemental/tls/tls_common.h"

void nni_tls_recv_nng(nni_tls_conn *conn, nni_aio *aio);
void nni_tls_send_nng(nni_tls_conn *conn, nni_aio *aio);

/// Ends `aio` with the transport's error if the transport has failed and `aio` is still in `queue`.
static void end_if_transport_failed(nni_tls_conn *conn, nni_list *queue, nni_aio *aio)
{
	nng_err err = NNG_OK;

	// NNG's own order: the connection's lock, then the transport's (tls_do_recv, tls_do_send).
	nni_mtx_lock(&conn->lock);
	nni_mtx_lock(&conn->bio_lock);
	if (conn->bio_closed) {
		err = conn->bio_err != NNG_OK ? conn->bio_err : NNG_ECLOSED;
	}
	nni_mtx_unlock(&conn->bio_lock);
	if (err != NNG_OK) {
		// Found by address, never dereferenced before: an aio no longer queued may be gone.
		nni_aio *cur;
		NNI_LIST_FOREACH (queue, cur) {
			if (cur == aio) {
				nni_aio_list_remove(aio);
				nni_mtx_unlock(&conn->lock);
				nni_aio_finish_error(aio, err);
				return;
			}
		}
	}
	nni_mtx_unlock(&conn->lock);
}

void nni_tls_recv(nni_tls_conn *conn, nni_aio *aio)
{
	nni_tls_recv_nng(conn, aio);
	end_if_transport_failed(conn, &conn->recv_queue, aio);
}

void nni_tls_send(nni_tls_conn *conn, nni_aio *aio)
{
	nni_tls_send_nng(conn, aio);
	end_if_transport_failed(conn, &conn->send_queue, aio);
}
