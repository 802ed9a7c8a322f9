// SPDX-License-Identifier: GPL-2.0
/*
 * client.c - the sender's side of a new connection: connect to the peer's
 * acceptor within a deadline, then (unless LINK_PLAIN) the client side of
 * the handshake (handshake.h).  Used for the link and for a re-key's
 * second connection (sender.c), so neither can hang on a dead or flooded
 * peer: the connect and each handshake step have their own deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "handshake.h"
#include "proxy.h"

#define CONNECT_MS	5000	/* a TCP connect to the peer */
#define HANDSHAKE_MS	5000	/* each read or write of the handshake */

static void timeouts(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* connect() within CONNECT_MS (sooner once stopping); 0 or -1. */
static int connect_within(int fd, const struct sockaddr *a, socklen_t alen)
{
	int err = 0, left = CONNECT_MS;
	socklen_t elen = sizeof(err);

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, a, alen) && errno != EINPROGRESS)
		return -1;
	for (; left > 0 && !atomic_load(&stopping); left -= 100) {
		struct pollfd pf = { fd, POLLOUT, 0 };
		int r = poll(&pf, 1, 100);

		if (r < 0 && errno != EINTR)
			return -1;
		if (r == 1)
			break;
	}
	if (left <= 0 || atomic_load(&stopping) ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err)
		return -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return 0;
}

/* One attempt at a TCP connection to the peer; the fd or -1. */
static int connect_once(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	int one = 1, tmo = 10000, fd;
	char port[16];
	int r;

	snprintf(port, sizeof(port), "%d", opts.port_base + opts.local_node);
	r = getaddrinfo(opts.peer, port, &hints, &ai);
	if (r) {
		plog(PL_WARNING, "sender: cannot resolve %s: %s", opts.peer, gai_strerror(r));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect_within(fd, ai->ai_addr, ai->ai_addrlen)) {
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

/* Read a whole handshake message: 0, or -DVKP_ETRUNC (refused), -DVKP_EHSTIME, -DVKP_EIO. */
static int read_msg(int fd, uint8_t *buf, size_t len)
{
	int r = dvkp_read_full(fd, buf, len);

	if (r == 1)
		return 0;
	if (r == 0)
		return -DVKP_ETRUNC;	/* the peer closed: it refused us */
	return errno == EAGAIN || errno == EWOULDBLOCK ? -DVKP_EHSTIME : r;
}

/* The client side of the handshake on @fd; 0 or -enum dvkp_err. */
static int handshake(int fd, uint32_t flags, struct dvkp_session *s, uint8_t nonce[32])
{
	uint8_t shello[DVKP_SHELLO_BYTES], finish[DVKP_FINISH_BYTES], accept[DVKP_ACCEPT_BYTES];
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
	if (!r)
		r = read_msg(fd, shello, sizeof(shello));
	if (!r)
		r = dvkp_hs_client_finish(&hs, &k, shello, finish, s);
	if (!r) {	/* from here on, @s is set up */
		if (dvkp_write_all(fd, finish, sizeof(finish)))
			r = -DVKP_EIO;
		if (!r)
			r = read_msg(fd, accept, sizeof(accept));
		if (!r)
			r = dvkp_hs_client_accepted(&hs, accept);
		if (r)
			dvkp_session_free(s);
	}
	if (!r)
		memcpy(nonce, dvkp_hs_client_nonce(&hs), 32);
	dvkp_hs_wipe(&hs);
	dvkp_keys_wipe(&k);
	timeouts(fd, 0);
	return r;
}

int client_connect(uint32_t flags, struct dvkp_session *s, uint8_t nonce[32])
{
	int fd = connect_once(), r;
	unsigned long n;

	if (fd < 0 || opts.mode == LINK_PLAIN)
		return fd;
	r = handshake(fd, flags, s, nonce);
	if (!r) {
		atomic_fetch_add(&stats.handshakes_out, 1);
		return fd;
	}
	close(fd);
	n = atomic_fetch_add(&stats.handshake_fails_out, 1);
	plog(n == 0 ? PL_WARNING : PL_DEBUG, "sender: handshake with %s: %s", opts.peer,
	     dvkp_strerr(r));
	return -1;
}
