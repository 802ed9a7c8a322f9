// SPDX-License-Identifier: GPL-2.0
/*
 * sender.c - the sender thread (the kernel's sproxy): connect to the peer's
 * receiver (with exponential backoff), prove the key (handshake.h), then
 * get2rmt -> record -> TCP; a heartbeat frame (CMD_NONE) whenever get2rmt
 * timed out.  A write error closes the link: proxy_conn(DISCONNECT_SPROXY)
 * makes the kernel fail everything waiting on the node with EDVSNOTCONN;
 * the command being written is lost (counted).
 *
 * SIGHUP (main.c reloads the keys and interrupts get2rmt with SIGUSR2)
 * re-keys the live link make-before-break: a second connection does the
 * handshake with the HANDOVER flag, the old one ends with a HANDOVER record
 * naming it, and commands go on over the new one; the receiver reads the
 * old link to its end first, so nothing is lost or reordered.  If the new
 * handshake fails, the old link simply stays.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "handshake.h"
#include "libdvk.h"
#include "proxy.h"

#define HANDSHAKE_MS	5000	/* per read or write of our handshake */

/* One live link of the sender. */
struct tx {
	int fd;
	struct dvkp_session s;	/* unused on a plain link */
	uint8_t *buf;		/* record header | frame header | payload | tag */
};

#define FRAME_AT	DVKP_REC_BYTES			/* where the frame starts in tx.buf */
#define PAYLOAD_AT	(FRAME_AT + DVKP_HDR_BYTES)	/* where get2rmt puts the payload */

static void timeouts(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* One attempt at a TCP connection to the peer; the fd or -1. */
static int connect_once(const char *port)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	int one = 1, tmo = 10000, fd = -1;
	int r = getaddrinfo(opts.peer, port, &hints, &ai);

	if (r) {
		plog(1, "sender: cannot resolve %s: %s", opts.peer, gai_strerror(r));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* a dead peer fails our writes within 10 s */
		setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &tmo, sizeof(tmo));
	}
	return fd;
}

/*
 * The client side of the handshake on @fd; @flags adds DVKP_HS_HANDOVER.
 * Return 0 with @s set up and the client nonce in @nonce, or -enum dvkp_err.
 */
static int client_handshake(int fd, uint32_t flags, struct dvkp_session *s, uint8_t nonce[32])
{
	uint8_t shello[DVKP_SHELLO_BYTES], finish[DVKP_FINISH_BYTES];
	struct dvkp_keys k;
	struct dvkp_hs hs;
	int r;

	if (opts.mode == LINK_ENCRYPT)
		flags |= DVKP_HS_ENCRYPT;
	keys_get(&k);
	timeouts(fd, HANDSHAKE_MS);
	r = dvkp_hs_client_hello(&hs, &k, flags, opts.local_node, opts.node) ? -DVKP_EIO : 0;
	if (!r && dvkp_write_all(fd, hs.chello, DVKP_CHELLO_BYTES))
		r = -DVKP_EIO;
	if (!r) {
		r = dvkp_read_full(fd, shello, sizeof(shello));
		if (r == 1)
			r = 0;
		else if (r == 0)
			r = -DVKP_ETRUNC;	/* the peer refused us */
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			r = -DVKP_EHSTIME;
	}
	if (!r)
		r = dvkp_hs_client_finish(&hs, &k, shello, finish, s);
	if (!r && dvkp_write_all(fd, finish, sizeof(finish))) {
		dvkp_session_free(s);
		r = -DVKP_EIO;
	}
	if (!r)
		memcpy(nonce, dvkp_hs_client_nonce(&hs), 32);
	dvkp_hs_wipe(&hs);
	dvkp_keys_wipe(&k);
	timeouts(fd, 0);
	if (r) {
		unsigned long n = atomic_fetch_add(&stats.handshake_fails_out, 1);

		plog(n == 0 ? 0 : 2, "sender: handshake with %s: %s", opts.peer, dvkp_strerr(r));
	} else {
		atomic_fetch_add(&stats.handshakes_out, 1);
		atomic_store(&stats.key_out, (long)s->key_id);
	}
	return r;
}

/* A connected and (unless plain) authenticated link, or -1 once stopping. */
static int open_link(struct tx *tx)
{
	int backoff = 100;
	uint8_t nonce[32];
	char port[16];

	snprintf(port, sizeof(port), "%d", opts.port_base + opts.local_node);
	while (!atomic_load(&stopping)) {
		int fd = connect_once(port);

		if (fd >= 0 && (opts.mode == LINK_PLAIN || !client_handshake(fd, 0, &tx->s, nonce))) {
			tx->fd = fd;
			return 0;
		}
		if (fd >= 0)
			close(fd);
		plog(2, "sender: no link to %s:%s, retrying in %d ms", opts.peer, port, backoff);
		sleep_ms(backoff);
		backoff = backoff * 2 > opts.backoff_max_ms ? opts.backoff_max_ms : backoff * 2;
	}
	return -1;
}

/* Send the frame of @c whose payload get2rmt left at PAYLOAD_AT; 0 or -1. */
static int send_frame(struct tx *tx, const cmd_t *c, uint32_t len)
{
	size_t n;

	dvkp_encode(c, len, tx->buf + FRAME_AT);
	if (opts.mode == LINK_PLAIN)
		return dvkp_write_all(tx->fd, tx->buf + FRAME_AT, DVKP_HDR_BYTES + (size_t)len);
	n = dvkp_seal(&tx->s, DVKP_REC_FRAME, tx->buf, DVKP_HDR_BYTES + len);
	return n ? dvkp_write_all(tx->fd, tx->buf, n) : -1;
}

/* A heartbeat: CMD_NONE, no payload. */
static int send_heartbeat(struct tx *tx)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_NONE;
	c.c_snode = opts.local_node;
	c.c_dnode = opts.node;
	if (send_frame(tx, &c, 0))
		return -1;
	atomic_fetch_add(&stats.heartbeats_out, 1);
	return 0;
}

/* Make-before-break re-key (SIGHUP): see the top of this file. */
static void rekey_link(struct tx *tx)
{
	struct dvkp_session ns;
	uint8_t nonce[32];
	char port[16];
	size_t n;
	int fd;

	if (opts.mode == LINK_PLAIN)
		return;
	snprintf(port, sizeof(port), "%d", opts.port_base + opts.local_node);
	fd = connect_once(port);
	if (fd < 0 || client_handshake(fd, DVKP_HS_HANDOVER, &ns, nonce)) {
		plog(1, "sender: re-key failed; the link stays on key %u", tx->s.key_id);
		if (fd >= 0)
			close(fd);
		return;
	}
	memcpy(tx->buf + DVKP_REC_BYTES, nonce, sizeof(nonce));
	n = dvkp_seal(&tx->s, DVKP_REC_HANDOVER, tx->buf, sizeof(nonce));
	if (!n || dvkp_write_all(tx->fd, tx->buf, n))	/* the old link broke: the new one goes on */
		plog(1, "sender: the old link broke during the re-key");
	close(tx->fd);
	dvkp_session_free(&tx->s);
	tx->fd = fd;
	tx->s = ns;
	atomic_fetch_add(&stats.rekeys_out, 1);
	plog(1, "sender: link re-keyed, key %u", ns.key_id);
}

/* get2rmt -> peer until the link or the pair fails. */
static void serve(struct tx *tx)
{
	void *payload = tx->buf + PAYLOAD_AT;
	cmd_t c;

	/* the first frame at once: the peer's receiver marks the link up on it */
	if (send_heartbeat(tx))
		return;
	while (!atomic_load(&stopping)) {
		long r = dvk_get2rmt_T(&c, payload, opts.heartbeat_ms);
		uint32_t len = c.c_len > 0 ? (uint32_t)c.c_len : 0;

		if (atomic_exchange(&rekey, 0))
			rekey_link(tx);		/* before the command: it goes on the new link */
		if (r == EDVSINTR)
			continue;
		if (r == EDVSTIMEDOUT) {
			if (send_heartbeat(tx))
				return;
			continue;
		}
		if (r != OK) {
			atomic_fetch_add(&stats.get2rmt_errors, 1);
			atomic_store(&stats.last_error, r);
			if (r == EDVSNOPROXY) {		/* the pair was freed: we are done */
				atomic_store(&stopping, 1);
				receiver_wake();
				return;
			}
			plog(1, "sender: get2rmt: %s", dvk_strerror((int)r));
			return;
		}
		if (send_frame(tx, &c, len)) {
			atomic_fetch_add(&stats.lost_out, 1);
			plog(1, "sender: link to %s lost (a command of id %llu lost)", opts.peer,
			     (unsigned long long)c.c_snd_seq);
			return;
		}
		atomic_fetch_add(&stats.msgs_out, 1);
		atomic_fetch_add(&stats.bytes_out, DVKP_HDR_BYTES + len);
	}
}

void *sender_main(void *arg)
{
	struct tx tx = { .fd = -1 };

	(void)arg;
	tx.buf = malloc(PAYLOAD_AT + opts.maxbytes + DVKP_TAG_BYTES);
	if (!tx.buf) {
		plog(0, "sender: out of memory");
		atomic_store(&stopping, 1);
		return NULL;
	}
	while (!atomic_load(&stopping) && open_link(&tx) == 0) {
		long r = dvk_proxy_conn(opts.pair, CONNECT_SPROXY);

		if (r) {
			plog(0, "sender: proxy_conn: %s", dvk_strerror((int)r));
			atomic_store(&stopping, 1);
			receiver_wake();
		} else {
			atomic_fetch_add(&stats.connects_out, 1);
			plog(2, "sender: connected to %s", opts.peer);
			atomic_store(&rekey, 0);	/* a fresh link has the newest keys */
			serve(&tx);
			dvk_proxy_conn(opts.pair, DISCONNECT_SPROXY);
			atomic_fetch_add(&stats.disconnects_out, 1);
		}
		close(tx.fd);
		if (opts.mode != LINK_PLAIN)
			dvkp_session_free(&tx.s);
		atomic_store(&stats.key_out, -1);
		if (!atomic_load(&stopping))
			sleep_ms(100);
	}
	free(tx.buf);
	return NULL;
}
