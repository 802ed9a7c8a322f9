// SPDX-License-Identifier: GPL-2.0
/*
 * receiver.c - the receiver thread: listen on port_base + remote node,
 * read frames, check them (wire.c) and hand the commands to the kernel
 * (put2lcl).  Heartbeats only prove the link is alive.  A frame that fails
 * a check closes its connection (counted by reason, logged); nothing
 * unchecked reaches the kernel.  A new connection replaces the current one
 * only once its first frame is valid (a restarted peer), so garbage on the
 * port never disturbs the working link.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "libdvk.h"
#include "proxy.h"

#define FIRST_FRAME_MS	2000	/* a new connection must prove itself this fast */
#define ENQUEUED_TRIES	200	/* put2lcl retries while the stand-in is busy, 1 ms apart */

static int wake_pipe[2] = { -1, -1 };

void receiver_wake(void)
{
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0)
		plog(2, "receiver: wake: %s", strerror(errno));
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void frame_error(int err, const char *what)
{
	if (err < 0)
		err = -err;
	if (err <= 0 || err >= DVKP_NERR)
		err = DVKP_EIO;
	atomic_fetch_add(&stats.frame_errors[err], 1);
	plog(1, "receiver: %s: %s: connection closed", what, dvkp_strerr(err));
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
		plog(1, "receiver: put2lcl cmd=0x%x %d->%d id=%llu: %s (%lu so far)", c->c_cmd,
		     c->c_src, c->c_dst, (unsigned long long)c->c_snd_seq, dvk_strerror((int)r),
		     n + 1);
}

/* Accept a connection; it becomes the link if its first frame is valid. */
static void accept_link(int lfd, int *cfd, void *payload)
{
	struct timeval tv = { FIRST_FRAME_MS / 1000, (FIRST_FRAME_MS % 1000) * 1000 }, none = { 0 };
	int nfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), r;
	uint32_t len;
	cmd_t c;

	if (nfd < 0)
		return;
	setsockopt(nfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r = dvkp_read_frame(nfd, opts.maxbytes, &c, payload, &len);
	if (r != 1) {
		frame_error(r == 0 ? -DVKP_ETRUNC : r, "new connection");
		close(nfd);
		return;
	}
	setsockopt(nfd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	if (*cfd >= 0) {	/* the peer reconnected: the old link is dead */
		close(*cfd);
		dvk_proxy_conn(opts.pair, DISCONNECT_RPROXY);
		atomic_fetch_add(&stats.replaced_in, 1);
	}
	*cfd = nfd;
	r = dvk_proxy_conn(opts.pair, CONNECT_RPROXY);
	if (r)
		plog(0, "receiver: proxy_conn: %s", dvk_strerror(r));
	atomic_fetch_add(&stats.accepts, 1);
	plog(2, "receiver: link from node %d up", opts.node);
	handle_frame(&c, payload, len);
}

void *receiver_main(void *arg)
{
	void *payload = malloc(opts.maxbytes);
	int lfd, cfd = -1;

	(void)arg;
	if (pipe2(wake_pipe, O_CLOEXEC) || !payload) {
		plog(0, "receiver: cannot start: %s", strerror(errno));
		atomic_store(&stopping, 1);
		free(payload);
		return NULL;
	}
	lfd = listen_on(opts.port_base + opts.node);
	if (lfd < 0) {
		plog(0, "receiver: cannot listen on port %d: %s", opts.port_base + opts.node,
		     strerror(errno));
		atomic_store(&stopping, 1);
		free(payload);
		return NULL;
	}
	while (!atomic_load(&stopping)) {
		struct pollfd pf[3] = { { lfd, POLLIN, 0 }, { wake_pipe[0], POLLIN, 0 },
					{ cfd, POLLIN, 0 } };
		uint32_t len;
		cmd_t c;
		int r;

		if (poll(pf, cfd >= 0 ? 3 : 2, -1) < 0)
			continue;	/* EINTR */
		if (pf[1].revents)
			break;
		if (pf[0].revents & POLLIN) {
			accept_link(lfd, &cfd, payload);
			continue;
		}
		if (cfd < 0 || !pf[2].revents)
			continue;
		r = dvkp_read_frame(cfd, opts.maxbytes, &c, payload, &len);
		if (r == 1) {
			handle_frame(&c, payload, len);
			continue;
		}
		if (r < 0)
			frame_error(r, "link");
		else
			plog(2, "receiver: link from node %d closed", opts.node);
		close(cfd);
		cfd = -1;
		dvk_proxy_conn(opts.pair, DISCONNECT_RPROXY);
		atomic_fetch_add(&stats.disconnects_in, 1);
	}
	if (cfd >= 0) {
		close(cfd);
		dvk_proxy_conn(opts.pair, DISCONNECT_RPROXY);
	}
	close(lfd);
	free(payload);
	return NULL;
}
