// SPDX-License-Identifier: GPL-2.0
/*
 * acceptor.c - the acceptor thread: listen on port_base + remote node and
 * run the server side of every handshake (handshake.h), off the receiver's
 * data path.  All connections are non-blocking and served by one poll loop,
 * each with a deadline for the whole handshake (not per read), so slow or
 * silent connections cost the live link nothing: they wait here, then are
 * closed.  At most MAX_PENDING handshakes run at once; a new connection
 * beyond that evicts the oldest one still at its hello (as a SYN cache
 * does), so a peer's handshake, past its hello after one round trip, is
 * never the one evicted.  No cap per address: an attacker on the peer's own
 * host would use it to lock the peer out.  The thread runs at nice NICE:
 * under load its work waits, the link's does not.
 *
 * A secured connection is handed to the receiver thread (acceptor_take),
 * which alone decides what becomes of the live link, once ACCEPT is out:
 * the client uses a connection only after reading it.  In LINK_PLAIN mode
 * there is no handshake: a connection is handed over after its first
 * frame, which must be the sender's first heartbeat, within the deadline.
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
#include <sys/resource.h>
#include <sys/socket.h>
#include "handshake.h"
#include "proxy.h"

#define HANDSHAKE_MS	2000	/* a new connection must finish its handshake this fast */
#define MAX_PENDING	256	/* handshakes at once (each an fd: well under RLIMIT_NOFILE) */
#define LIVE_STALL_S	10	/* the live link may stall this long inside a record */
#define NICE		10	/* the acceptor yields the CPU to the threads that carry the link */

enum hs_state {
	HS_HELLO,	/* reading CLIENT_HELLO */
	HS_REPLY,	/* writing SERVER_HELLO */
	HS_FINISH,	/* reading FINISH */
	HS_ACCEPT,	/* writing ACCEPT: then the link is handed over */
	HS_PLAIN,	/* LINK_PLAIN: reading the sender's first frame, a heartbeat */
};

struct pending {
	int fd;
	long long deadline;		/* ms, CLOCK_MONOTONIC */
	enum hs_state state;
	size_t done;			/* bytes read or written in this state */
	uint8_t in[DVKP_HDR_BYTES];	/* the message being read (a plain frame at most) */
	uint8_t accept[DVKP_ACCEPT_BYTES];
	struct link *l;			/* HS_ACCEPT: the link, once ACCEPT is out */
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
	if (p->l) {
		dvkp_session_free(&p->l->s);
		free(p->l);
	}
	dvkp_hs_wipe(&p->hs);
	free(p);
	pend[i] = pend[--npend];
}

/*
 * The live link's socket: blocking, a read that stalls inside a record
 * for LIVE_STALL_S ends the link (a peer gone mid-record), and keepalive
 * finds a peer gone while the link is idle (the receiver never writes).
 */
static void live_socket(int fd)
{
	struct timeval tv = { LIVE_STALL_S, 0 };
	int one = 1, idle = 15, intvl = 5, cnt = 3;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

/* A finished handshake (or a plain connection) goes to the receiver. */
static void hand_over(int i, struct link *l)
{
	struct pending *p = pend[i];

	l->fd = p->fd;
	live_socket(l->fd);
	if (write(ready[1], &l, sizeof(l)) != sizeof(l)) {	/* cannot happen: a pipe of pointers */
		plog(PL_WARNING, "acceptor: hand-over failed: %s", strerror(errno));
		link_close(l);
	}
	p->l = NULL;
	dvkp_hs_wipe(&p->hs);
	free(p);
	pend[i] = pend[--npend];
}

/*
 * Full: drop the oldest connection still at its hello (a flood's), so a
 * peer's handshake that got past its hello is never the one evicted.
 */
static void evict(void)
{
	int victim = -1;

	for (int i = 0; i < npend; i++)
		if (pend[i]->state == HS_HELLO &&
		    (victim < 0 || pend[i]->deadline < pend[victim]->deadline))
			victim = i;
	if (victim < 0)		/* every one is past its hello: the oldest */
		for (int i = 0; i < npend; i++)
			if (victim < 0 || pend[i]->deadline < pend[victim]->deadline)
				victim = i;
	drop(victim, -DVKP_EBUSY);
}

static void accept_one(void)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct pending *p;

	if (fd < 0)
		return;
	if (npend == MAX_PENDING)
		evict();
	p = calloc(1, sizeof(*p));
	if (!p) {
		close(fd);
		return;
	}
	p->fd = fd;
	p->deadline = now_ms() + HANDSHAKE_MS;
	p->state = opts.mode == LINK_PLAIN ? HS_PLAIN : HS_HELLO;
	pend[npend++] = p;
	atomic_fetch_add(&stats.accepts, 1);
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

/* Write @buf until @len bytes are out: 1 when done, 0 for more, -err. */
static int drain(struct pending *p, const uint8_t *buf, size_t len)
{
	ssize_t n = write(p->fd, buf + p->done, len - p->done);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -DVKP_EIO;
	p->done += n;
	return p->done == len;
}

static void next_state(struct pending *p, enum hs_state s)
{
	p->state = s;
	p->done = 0;
}

/*
 * LINK_PLAIN: the first frame must be the sender's first heartbeat (no
 * payload); the connection is handed over after it.
 */
static int step_plain(int i)
{
	struct pending *p = pend[i];
	int r = fill(p, DVKP_HDR_BYTES);
	struct link *l;
	uint32_t len;
	cmd_t c;

	if (r <= 0)
		return r;
	r = dvkp_decode(p->in, opts.maxbytes, &c, &len);
	if (r < 0)
		return r;
	if (c.c_cmd != CMD_NONE || len)
		return -DVKP_EHELLO;
	atomic_fetch_add(&stats.heartbeats_in, 1);
	l = calloc(1, sizeof(*l));
	if (!l)
		return -DVKP_EIO;
	hand_over(i, l);
	return 1;
}

/* HS_HELLO: a hello in full gets its SERVER_HELLO. */
static int on_hello(struct pending *p)
{
	struct dvkp_keys k;
	int r = fill(p, DVKP_CHELLO_BYTES);

	if (r <= 0)
		return r;
	keys_get(&k);
	r = dvkp_hs_server_hello(&p->hs, &k, opts.mode == LINK_ENCRYPT, opts.local_node,
				 opts.node, p->in);
	dvkp_keys_wipe(&k);
	if (r)
		return r;
	next_state(p, HS_REPLY);
	return 0;
}

/* HS_FINISH: a FINISH in full, checked, sets up the link and its ACCEPT. */
static int on_finish(struct pending *p)
{
	int r = fill(p, DVKP_FINISH_BYTES);
	struct link *l;

	if (r <= 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -DVKP_EIO;
	r = dvkp_hs_server_finish(&p->hs, p->in, &l->s, p->accept);
	if (r) {
		free(l);
		return r;
	}
	l->secured = 1;
	l->flags = p->hs.flags;
	memcpy(l->nonce, dvkp_hs_client_nonce(&p->hs), sizeof(l->nonce));
	p->l = l;
	next_state(p, HS_ACCEPT);
	return 0;
}

/* Advance handshake @i as far as its socket allows: 1 handed over, 0 waiting, -err. */
static int step(int i)
{
	struct pending *p = pend[i];
	int r;

	switch (p->state) {
	case HS_PLAIN:
		return step_plain(i);
	case HS_HELLO:
		r = on_hello(p);
		if (r || p->state != HS_REPLY)
			return r;
		/* the reply is small: it normally leaves at once */
		__attribute__((fallthrough));
	case HS_REPLY:
		r = drain(p, p->hs.shello, DVKP_SHELLO_BYTES);
		if (r == 1)
			next_state(p, HS_FINISH);
		return r < 0 ? r : 0;
	case HS_FINISH:
		r = on_finish(p);
		if (r || p->state != HS_ACCEPT)
			return r;
		__attribute__((fallthrough));
	case HS_ACCEPT:
		r = drain(p, p->accept, DVKP_ACCEPT_BYTES);
		if (r <= 0)
			return r;
		atomic_fetch_add(&stats.handshakes_in, 1);
		hand_over(i, p->l);
		return 1;
	}
	return -DVKP_EHELLO;
}

static short want_events(const struct pending *p)
{
	return p->state == HS_REPLY || p->state == HS_ACCEPT ? POLLOUT : POLLIN;
}

static void *acceptor_main(void *arg)
{
	struct pollfd pf[MAX_PENDING + 2];

	(void)arg;
	/* a nice value is per thread on Linux: handshakes wait, the link does not */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), NICE))
		plog(PL_DEBUG, "acceptor: setpriority: %s", strerror(errno));
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
		plog(PL_ERR, "acceptor: pipe: %s", strerror(errno));
		return -1;
	}
	lfd = listen_on(opts.port_base + opts.node);
	if (lfd < 0) {
		plog(PL_ERR, "acceptor: cannot listen on port %d: %s", opts.port_base + opts.node,
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
		plog(PL_DEBUG, "acceptor: wake: %s", strerror(errno));
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
