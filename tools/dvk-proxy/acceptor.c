// SPDX-License-Identifier: GPL-2.0
/*
 * acceptor.c - the acceptor thread: listen on port_base + remote node and
 * run the server side of every handshake (handshake.h), off the receiver's
 * data path.  All connections are non-blocking and served by one poll loop,
 * each with a deadline for the whole handshake (not per read), so slow or
 * silent connections cost the live link nothing: they wait here, then are
 * closed.  At most MAX_PENDING handshakes run at once; a new connection
 * beyond that evicts the oldest one (as a SYN cache does), so a flood must
 * outpace MAX_PENDING connections per deadline to keep a real peer, whose
 * handshake takes one round trip, from finishing.  No cap per address: an
 * attacker on the peer's own host would use it to lock the peer out.
 * A connection that finishes its
 * handshake is handed to the receiver thread (acceptor_take), which alone
 * decides what becomes of the live link.
 *
 * In LINK_PLAIN mode there is no handshake: a connection is handed over once
 * a valid frame header is waiting on it (peeked, not read), within the same
 * deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "handshake.h"
#include "proxy.h"

#define HANDSHAKE_MS	2000	/* a new connection must finish its handshake this fast */
#define MAX_PENDING	256	/* handshakes at once (each an fd: well under RLIMIT_NOFILE) */

enum hs_state { HS_HELLO, HS_REPLY, HS_FINISH };

struct pending {
	int fd;
	long long deadline;		/* ms, CLOCK_MONOTONIC */
	enum hs_state state;
	size_t done;			/* bytes read or written in this state */
	uint8_t in[DVKP_CHELLO_BYTES];	/* the message being read */
	struct dvkp_hs hs;
};

static struct pending *pend[MAX_PENDING];
static int npend;
static int lfd = -1, wake[2] = { -1, -1 }, ready[2] = { -1, -1 };
static pthread_t thread;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void drop(int i, int err)
{
	struct pending *p = pend[i];

	if (err)
		frame_error(err, "handshake");
	close(p->fd);
	dvkp_hs_wipe(&p->hs);
	free(p);
	pend[i] = pend[--npend];
}

/* A finished handshake (or a plain connection) goes to the receiver. */
static void hand_over(int i, struct link *l)
{
	struct pending *p = pend[i];
	int one = 1;

	l->fd = p->fd;
	fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (write(ready[1], &l, sizeof(l)) != sizeof(l)) {	/* cannot happen: a pipe of pointers */
		plog(0, "acceptor: hand-over failed: %s", strerror(errno));
		link_close(l);
	}
	dvkp_hs_wipe(&p->hs);
	free(p);
	pend[i] = pend[--npend];
}

static void accept_one(void)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct pending *p;
	int oldest = 0;

	if (fd < 0)
		return;
	if (npend == MAX_PENDING) {
		for (int i = 1; i < npend; i++)
			if (pend[i]->deadline < pend[oldest]->deadline)
				oldest = i;
		drop(oldest, -DVKP_EBUSY);
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return;
	}
	p->fd = fd;
	p->deadline = now_ms() + HANDSHAKE_MS;
	p->state = opts.mode == LINK_PLAIN ? HS_FINISH : HS_HELLO;
	pend[npend++] = p;
	atomic_fetch_add(&stats.accepts, 1);
}

/* LINK_PLAIN: hand the connection over once a valid frame header waits on it. */
static int step_plain(int i)
{
	uint8_t hdr[DVKP_HDR_BYTES];
	ssize_t n = recv(pend[i]->fd, hdr, sizeof(hdr), MSG_PEEK);
	struct link *l;
	uint32_t len;
	cmd_t c;
	int r;

	if (n == 0 || (n < 0 && errno != EAGAIN))
		return -DVKP_ETRUNC;
	if (n < (ssize_t)sizeof(hdr))
		return 0;
	r = dvkp_decode(hdr, opts.maxbytes, &c, &len);
	if (r < 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -DVKP_EIO;
	hand_over(i, l);
	return 1;
}

/* Read into p->in until @want bytes: 1 when complete, 0 for more, -err. */
static int fill(struct pending *p, size_t want)
{
	ssize_t n = read(p->fd, p->in + p->done, want - p->done);

	if (n == 0)
		return -DVKP_ETRUNC;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -DVKP_EIO;
	p->done += n;
	return p->done == want;
}

/* Advance handshake @i as far as its socket allows: 1 handed over, 0 waiting, -err. */
static int step(int i)
{
	struct pending *p = pend[i];
	struct dvkp_keys k;
	struct link *l;
	ssize_t n;
	int r;

	if (opts.mode == LINK_PLAIN)
		return step_plain(i);
	switch (p->state) {
	case HS_HELLO:
		r = fill(p, DVKP_CHELLO_BYTES);
		if (r <= 0)
			return r;
		keys_get(&k);
		r = dvkp_hs_server_hello(&p->hs, &k, opts.mode == LINK_ENCRYPT, opts.local_node,
					 opts.node, p->in);
		dvkp_keys_wipe(&k);
		if (r)
			return r;
		p->state = HS_REPLY;
		p->done = 0;
		/* the reply is small: it normally leaves at once */
		__attribute__((fallthrough));
	case HS_REPLY:
		n = write(p->fd, p->hs.shello + p->done, DVKP_SHELLO_BYTES - p->done);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -DVKP_EIO;
		p->done += n;
		if (p->done < DVKP_SHELLO_BYTES)
			return 0;
		p->state = HS_FINISH;
		p->done = 0;
		return 0;
	case HS_FINISH:
		r = fill(p, DVKP_FINISH_BYTES);
		if (r <= 0)
			return r;
		l = calloc(1, sizeof(*l));
		if (!l)
			return -DVKP_EIO;
		r = dvkp_hs_server_finish(&p->hs, p->in, &l->s);
		if (r) {
			free(l);
			return r;
		}
		l->secured = 1;
		l->flags = p->hs.flags;
		memcpy(l->nonce, dvkp_hs_client_nonce(&p->hs), sizeof(l->nonce));
		atomic_fetch_add(&stats.handshakes_in, 1);
		hand_over(i, l);
		return 1;
	}
	return -DVKP_EHELLO;
}

static short want_events(const struct pending *p)
{
	return p->state == HS_REPLY ? POLLOUT : POLLIN;
}

static void *acceptor_main(void *arg)
{
	struct pollfd pf[MAX_PENDING + 2];

	(void)arg;
	while (!atomic_load(&stopping)) {
		long long t = now_ms(), next = t + 60000;
		int n = 0, npolled;

		for (int i = npend - 1; i >= 0; i--)	/* deadlines first */
			if (pend[i]->deadline <= t)
				drop(i, -DVKP_EHSTIME);
		pf[n++] = (struct pollfd){ wake[0], POLLIN, 0 };
		pf[n++] = (struct pollfd){ lfd, POLLIN, 0 };
		for (int i = 0; i < npend; i++) {
			pf[n++] = (struct pollfd){ pend[i]->fd, want_events(pend[i]), 0 };
			if (pend[i]->deadline < next)
				next = pend[i]->deadline;
		}
		npolled = npend;
		if (poll(pf, n, (int)(next - t)) < 0)
			continue;	/* EINTR */
		if (pf[0].revents)
			break;
		for (int i = npolled - 1; i >= 0; i--) {	/* from the end: drop() moves the last */
			int r;

			if (!pf[2 + i].revents)
				continue;
			r = step(i);
			if (r < 0)
				drop(i, r);
		}
		if (pf[1].revents & POLLIN)
			accept_one();
	}
	while (npend)
		drop(npend - 1, 0);
	return NULL;
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, MAX_PENDING)) {
		close(fd);
		return -1;
	}
	return fd;
}

int acceptor_start(void)
{
	if (pipe2(wake, O_CLOEXEC) || pipe2(ready, O_CLOEXEC | O_NONBLOCK)) {
		plog(0, "acceptor: pipe: %s", strerror(errno));
		return -1;
	}
	lfd = listen_on(opts.port_base + opts.node);
	if (lfd < 0) {
		plog(0, "acceptor: cannot listen on port %d: %s", opts.port_base + opts.node,
		     strerror(errno));
		return -1;
	}
	if (pthread_create(&thread, NULL, acceptor_main, NULL)) {
		close(lfd);
		lfd = -1;
		return -1;
	}
	return 0;
}

void acceptor_stop(void)
{
	struct link *l;

	if (lfd < 0)
		return;
	if (write(wake[1], "x", 1) < 0)
		plog(2, "acceptor: wake: %s", strerror(errno));
	pthread_join(thread, NULL);
	while ((l = acceptor_take()))
		link_close(l);
	close(lfd);
	lfd = -1;
}

int acceptor_fd(void)
{
	return ready[0];
}

struct link *acceptor_take(void)
{
	struct link *l;

	return read(ready[0], &l, sizeof(l)) == sizeof(l) ? l : NULL;
}

void link_close(struct link *l)
{
	if (!l)
		return;
	close(l->fd);
	if (l->secured)
		dvkp_session_free(&l->s);
	free(l);
}
