// SPDX-License-Identifier: GPL-2.0
/*
 * sender.c - the sender thread: connect to the peer's receiver (with
 * exponential backoff), then get2rmt -> frame -> TCP; a heartbeat frame
 * (CMD_NONE) whenever get2rmt timed out.  A write error closes the link:
 * proxy_conn(DISCONNECT_SPROXY) makes the kernel fail everything waiting
 * on the node with EDVSNOTCONN; the command being written is lost (counted).
 */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "libdvk.h"
#include "proxy.h"

/* One TCP connection to the peer, or -1 once stopping. */
static int connect_peer(void)
{
	int backoff = 100, fd = -1;
	char port[16];

	snprintf(port, sizeof(port), "%d", opts.port_base + opts.local_node);
	while (!atomic_load(&stopping)) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
		int one = 1, tmo = 10000;
		int r = getaddrinfo(opts.peer, port, &hints, &ai);

		if (r == 0) {
			fd = socket(ai->ai_family, ai->ai_socktype, 0);
			if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
				freeaddrinfo(ai);
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				/* a dead peer fails our writes within 10 s */
				setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &tmo, sizeof(tmo));
				return fd;
			}
			if (fd >= 0)
				close(fd);
			freeaddrinfo(ai);
		} else {
			plog(1, "sender: cannot resolve %s: %s", opts.peer, gai_strerror(r));
		}
		plog(2, "sender: %s:%s not reachable, retrying in %d ms", opts.peer, port, backoff);
		sleep_ms(backoff);
		backoff = backoff * 2 > opts.backoff_max_ms ? opts.backoff_max_ms : backoff * 2;
	}
	return -1;
}

/* Write one frame; 0 or -1. */
static int send_frame(int fd, const cmd_t *c, const void *payload, uint32_t len)
{
	uint8_t hdr[DVKP_HDR_BYTES];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)payload, len } };
	size_t total = sizeof(hdr) + len, done = 0;

	dvkp_encode(c, len, hdr);
	while (done < total) {
		ssize_t n = writev(fd, iov, len ? 2 : 1);

		if (n < 0)
			return -1;
		done += n;
		for (int i = 0; i < 2 && n > 0; i++) {	/* skip what was written */
			size_t k = (size_t)n < iov[i].iov_len ? (size_t)n : iov[i].iov_len;

			iov[i].iov_base = (char *)iov[i].iov_base + k;
			iov[i].iov_len -= k;
			n -= k;
		}
	}
	return 0;
}

/* A heartbeat: CMD_NONE, no payload. */
static int send_heartbeat(int fd)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_NONE;
	c.c_snode = opts.local_node;
	c.c_dnode = opts.node;
	if (send_frame(fd, &c, NULL, 0))
		return -1;
	atomic_fetch_add(&stats.heartbeats_out, 1);
	return 0;
}

/* get2rmt -> peer until the link or the pair fails. */
static void serve(int fd, void *payload)
{
	cmd_t c;

	/* the first frame at once: the peer's receiver marks the link up on it */
	if (send_heartbeat(fd))
		return;
	while (!atomic_load(&stopping)) {
		long r = dvk_get2rmt_T(&c, payload, opts.heartbeat_ms);

		if (r == EDVSTIMEDOUT) {
			if (send_heartbeat(fd))
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
		if (send_frame(fd, &c, payload, c.c_len > 0 ? c.c_len : 0)) {
			atomic_fetch_add(&stats.lost_out, 1);
			plog(1, "sender: link to %s lost (a command of id %llu lost)", opts.peer,
			     (unsigned long long)c.c_snd_seq);
			return;
		}
		atomic_fetch_add(&stats.msgs_out, 1);
		atomic_fetch_add(&stats.bytes_out, DVKP_HDR_BYTES + (c.c_len > 0 ? c.c_len : 0));
	}
}

void *sender_main(void *arg)
{
	void *payload = malloc(opts.maxbytes);

	(void)arg;
	if (!payload) {
		plog(0, "sender: out of memory");
		atomic_store(&stopping, 1);
		return NULL;
	}
	while (!atomic_load(&stopping)) {
		int fd = connect_peer();
		long r;

		if (fd < 0)
			break;
		r = dvk_proxy_conn(opts.pair, CONNECT_SPROXY);
		if (r) {
			plog(0, "sender: proxy_conn: %s", dvk_strerror((int)r));
			close(fd);
			atomic_store(&stopping, 1);
			receiver_wake();
			break;
		}
		atomic_fetch_add(&stats.connects_out, 1);
		plog(2, "sender: connected to %s", opts.peer);
		serve(fd, payload);
		close(fd);
		dvk_proxy_conn(opts.pair, DISCONNECT_SPROXY);
		atomic_fetch_add(&stats.disconnects_out, 1);
		if (!atomic_load(&stopping))
			sleep_ms(100);
	}
	free(payload);
	return NULL;
}
