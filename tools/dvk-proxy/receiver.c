// SPDX-License-Identifier: GPL-2.0
/*
 * receiver.c - the receiver thread (the kernel's rproxy): take the
 * connections the acceptor authenticated, read records (or plain frames)
 * from the live one, check them and hand the commands to the kernel
 * (put2lcl).  Nothing unauthenticated or unchecked reaches the kernel.
 *
 * The live link changes only for an authenticated peer of the right node:
 * - a connection whose hello says HANDOVER is the sender re-keying: the
 *   live link is read up to its HANDOVER record naming that connection,
 *   then the new one carries on, with no disconnect (nothing is lost);
 * - any other new connection is a restarted peer: the old link is dead,
 *   the kernel hears DISCONNECT_RPROXY then CONNECT_RPROXY.
 * A record or frame that fails a check closes its connection (counted by
 * reason, logged); the link, when it was the link, is reported down.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "handshake.h"
#include "libdvk.h"
#include "proxy.h"

#define ENQUEUED_TRIES	200	/* put2lcl retries while the stand-in is busy, 1 ms apart */
#define HANDOVER_MS	5000	/* a re-keyed connection waits this long for the old one's end */

static int wake_pipe[2] = { -1, -1 };

struct rx {
	struct link *live;		/* the link, or NULL */
	struct link *next;		/* a HANDOVER connection waiting for the live one's end */
	int awaiting;			/* the live one ended with a HANDOVER naming... */
	uint8_t await_nonce[32];	/* ...this connection, not here yet */
	long long deadline;		/* ms: until then for either */
	uint8_t *buf;			/* record body (+ tag) or frame payload */
};

void receiver_wake(void)
{
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0)
		plog(PL_DEBUG, "receiver: wake: %s", strerror(errno));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Count a refusal (here and in debugfs dvk/proxies) and log the first of
 * each kind; the rest only with -v, and then at most one line a second, so
 * a flood cannot flood the log too.  Called by the acceptor and receiver.
 */
void frame_error(int err, const char *what)
{
	static atomic_llong last_log_ms;
	unsigned long n;
	long long t;

	if (err < 0)
		err = -err;
	if (err <= 0 || err >= DVKP_NERR)
		err = DVKP_EIO;
	n = atomic_fetch_add(&stats.frame_errors[err], 1);
	dvk_proxy_conn(opts.pair, REFUSED_RPROXY);
	if (n == 0) {
		plog(PL_WARNING, "%s: %s: connection closed (further ones are only counted)", what,
		     dvkp_strerr(err));
		return;
	}
	t = now_ms();
	if (opts.log_level >= PL_DEBUG && t - atomic_load(&last_log_ms) >= 1000) {
		atomic_store(&last_log_ms, t);
		plog(PL_DEBUG, "%s: %s: connection closed (%lu of this kind so far)", what,
		     dvkp_strerr(err), n + 1);
	}
}

/* One checked command to the kernel. */
static void handle_frame(cmd_t *c, void *payload, uint32_t len)
{
	unsigned long n;
	long r;

	if (c->c_cmd == CMD_NONE) {
		atomic_fetch_add(&stats.heartbeats_in, 1);
		return;
	}
	for (int i = 0;; i++) {
		r = dvk_put2lcl(c, payload);
		if (r != EDVSENQUEUED || i == ENQUEUED_TRIES)
			break;
		atomic_fetch_add(&stats.put2lcl_retries, 1);
		usleep(1000);
	}
	if (r == OK) {
		atomic_fetch_add(&stats.msgs_in, 1);
		atomic_fetch_add(&stats.bytes_in, DVKP_HDR_BYTES + len);
		return;
	}
	n = atomic_fetch_add(&stats.put2lcl_errors, 1);
	atomic_store(&stats.last_error, r);
	if (n < 10 || n % 1000 == 0)	/* rate-limited */
		plog(PL_WARNING, "receiver: put2lcl cmd=0x%x %d->%d id=%llu: %s (%lu so far)", c->c_cmd,
		     c->c_src, c->c_dst, (unsigned long long)c->c_snd_seq, dvk_strerror((int)r),
		     n + 1);
}

/* The kernel hears the link go down: it fails whatever waits on the node. */
static void kernel_down(void)
{
	dvk_proxy_conn(opts.pair, DISCONNECT_RPROXY);
	atomic_fetch_add(&stats.disconnects_in, 1);
}

/* @l becomes the link; @fresh: the kernel hears the connection come up. */
static void set_live(struct rx *rx, struct link *l, int fresh)
{
	long r;

	if (rx->live) {
		link_close(rx->live);
		if (fresh) {	/* the peer restarted: its old link is dead */
			kernel_down();
			atomic_fetch_add(&stats.replaced_in, 1);
		}
	} else if (rx->awaiting && fresh) {	/* the awaited connection never came */
		kernel_down();
	}
	rx->awaiting = 0;
	rx->live = l;
	atomic_store(&stats.key_in, l->secured ? (long)l->s.key_id : -1);
	if (fresh) {
		r = dvk_proxy_conn(opts.pair, CONNECT_RPROXY);
		if (r)
			plog(PL_ERR, "receiver: proxy_conn: %s", dvk_strerror(r));
	} else {
		atomic_fetch_add(&stats.handovers_in, 1);
	}
	plog(PL_DEBUG, "receiver: link from node %d up (%s)", opts.node, fresh ? "new" : "re-keyed");
}

/* The live link ended (@err < 0: refused, 0: closed by the peer). */
static void live_down(struct rx *rx, int err)
{
	if (err < 0)
		frame_error(err, "link");
	else
		plog(PL_DEBUG, "receiver: link from node %d closed", opts.node);
	link_close(rx->live);
	rx->live = NULL;
	atomic_store(&stats.key_in, -1);
	kernel_down();
	if (rx->next) {		/* the re-keyed connection carries on, after a disconnect */
		set_live(rx, rx->next, 1);
		rx->next = NULL;
	}
}

/* A connection the acceptor authenticated. */
static void take_new(struct rx *rx, struct link *l)
{
	int handover = l->secured && (l->flags & DVKP_HS_HANDOVER);

	if (rx->awaiting && handover && !memcmp(l->nonce, rx->await_nonce, sizeof(l->nonce))) {
		set_live(rx, l, 0);
	} else if (rx->live && handover) {
		link_close(rx->next);	/* an older re-key that never completed */
		rx->next = l;
		rx->deadline = now_ms() + HANDOVER_MS;
	} else {
		set_live(rx, l, 1);
	}
}

/* Read one record or frame from the live link and act on it. */
static void read_live(struct rx *rx)
{
	struct link *l = rx->live;
	uint32_t len, plen;
	int r, type;
	cmd_t c;

	if (!l->secured) {
		r = dvkp_read_frame(l->fd, opts.maxbytes, &c, rx->buf, &len);
		if (r == 1)
			handle_frame(&c, rx->buf, len);
		else
			live_down(rx, r);
		return;
	}
	r = dvkp_read_record(l->fd, &l->s, DVKP_HDR_BYTES + opts.maxbytes, rx->buf, &type, &len);
	if (r != 1) {
		live_down(rx, r);
		return;
	}
	if (type == DVKP_REC_HANDOVER) {
		if (rx->next && len == sizeof(rx->next->nonce) &&
		    !memcmp(rx->buf, rx->next->nonce, len)) {
			set_live(rx, rx->next, 0);
			rx->next = NULL;
		} else if (len == sizeof(rx->await_nonce)) {	/* not here yet: wait for it */
			link_close(rx->next);	/* a stale re-key the sender gave up */
			rx->next = NULL;
			memcpy(rx->await_nonce, rx->buf, len);
			rx->awaiting = 1;
			rx->deadline = now_ms() + HANDOVER_MS;
			link_close(rx->live);
			rx->live = NULL;
		} else {
			live_down(rx, -DVKP_ERECORD);
		}
		return;
	}
	r = len < DVKP_HDR_BYTES ? -DVKP_ERECORD : dvkp_decode(rx->buf, opts.maxbytes, &c, &plen);
	if (r == 0 && plen != len - DVKP_HDR_BYTES)
		r = -DVKP_ELEN;
	if (r < 0) {
		live_down(rx, r);
		return;
	}
	handle_frame(&c, rx->buf + DVKP_HDR_BYTES, plen);
	if (rx->next)	/* the old link still delivers: its end is coming */
		rx->deadline = now_ms() + HANDOVER_MS;
}

static void receive_loop(struct rx *rx)
{
	while (!atomic_load(&stopping)) {
		struct pollfd pf[3] = { { wake_pipe[0], POLLIN, 0 }, { acceptor_fd(), POLLIN, 0 },
					{ rx->live ? rx->live->fd : -1, POLLIN, 0 } };
		int tmo = -1;
		struct link *l;

		if (rx->next || rx->awaiting) {
			long long left = rx->deadline - now_ms();

			if (left > 0) {
				tmo = (int)left;
			} else if (rx->next) {	/* the old link never ended: it is dead */
				set_live(rx, rx->next, 1);
				rx->next = NULL;
				continue;
			} else {		/* the re-keyed connection never came */
				rx->awaiting = 0;
				kernel_down();
			}
		}
		if (poll(pf, 3, tmo) < 0)
			continue;	/* EINTR */
		if (pf[0].revents)
			break;
		if (pf[2].revents) {
			read_live(rx);
			continue;	/* the live link first: its frames come before a newcomer's */
		}
		if (pf[1].revents && (l = acceptor_take()))
			take_new(rx, l);
	}
}

void *receiver_main(void *arg)
{
	struct rx rx = { 0 };

	(void)arg;
	rx.buf = malloc(DVKP_HDR_BYTES + opts.maxbytes + DVKP_TAG_BYTES);
	if (pipe2(wake_pipe, O_CLOEXEC) || !rx.buf || acceptor_start()) {
		plog(PL_ERR, "receiver: cannot start: %s", strerror(errno));
		atomic_store(&failed, 1);
		atomic_store(&stopping, 1);
		free(rx.buf);
		return NULL;
	}
	receive_loop(&rx);
	acceptor_stop();
	link_close(rx.next);
	if (rx.live || rx.awaiting) {
		link_close(rx.live);
		dvk_proxy_conn(opts.pair, DISCONNECT_RPROXY);
	}
	free(rx.buf);
	return NULL;
}
