// SPDX-License-Identifier: GPL-2.0
/*
 * proxy_attack.c - attack a dvk-proxy receiver port as a host on the
 * cluster network would (docs/security.md).  Every case must end with the
 * proxy closing the connection, without anything reaching the kernel.
 *
 *   proxy_attack nokey HOST PORT FROM TO
 *       without the key, claiming to be node FROM talking to node TO:
 *       garbage, forged SEND_MSG and COPYIN_DATA frames of the plain wire,
 *       a truncated hello, a silent and a slow connection, a hello from a
 *       node the port does not serve, a stolen node id (a well-formed hello
 *       for FROM, a made-up FINISH), the same as a hijack (HANDOVER flag).
 *   proxy_attack keyed KEYFILE HOST PORT FROM TO DCID SRC DST FAKEPORT
 *       with the key, as node FROM (listening on FAKEPORT as FROM's
 *       receiver, so the proxy's sender links up too): one valid SEND_MSG
 *       from SRC to DST (delivered), then its record replayed, the whole
 *       captured connection replayed on a new one, a record with a bad MAC,
 *       a record out of order.
 *   proxy_attack fuzz KEYFILE HOST PORT FROM TO DCID SRC DST FAKEPORT FRAMES SECONDS [SEED]
 *       with the key, as node FROM (FAKEPORT 0: no fake receiver): records
 *       with valid MACs around random frames (tests/kernel/fuzz/frames.c:
 *       random commands, endpoints, DC ids, payloads and copy headers
 *       around DCID/SRC/DST, and broken lengths, headers and bodies), a new
 *       link whenever the proxy closes one, for FRAMES frames or SECONDS; every
 *       broken frame must close the link, and a handshake must work after.
 *   proxy_attack count DCID EP SECONDS
 *       bind as EP of DCID, count the messages received for SECONDS, print
 *       "received N" (the target: it must get the valid message only).
 *   proxy_attack slow HOST PORT N SECONDS
 *       N connections that send a hello one byte every 1.5 s (spread over
 *       that time, not in bursts), reconnecting when closed, for SECONDS;
 *       prints how often the proxy closed them.
 *   proxy_attack flood HOST PORT N SECONDS
 *       silent connections opened as fast as the connects complete, N
 *       open at a time (the oldest closed for a new one), for SECONDS: more
 *       than the proxy's 256 handshakes at once, so it has to evict.
 *
 * Check lines (tests/check.h) for nokey and keyed; exit 1 on a failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include "libdvk.h"
#include "check.h"
#include "fuzz/frames.h"
#include "fuzz/fuzz.h"
#include "handshake.h"
#include "keyfile.h"
#include "record.h"
#include "wire.h"

static const char *host;
static int port, from, to;

/* A TCP connection to @h:@p, or -1. */
static int conn_try(const char *h, int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && (inet_pton(AF_INET, h, &a.sin_addr) != 1 ||
			connect(fd, (struct sockaddr *)&a, sizeof(a)))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int conn_to(const char *h, int p)
{
	int fd = conn_try(h, p);

	if (fd < 0) {
		perror("proxy_attack: connect");
		exit(100);
	}
	return fd;
}

static int conn(void)
{
	return conn_to(host, port);
}

/* Did the peer close @fd within @ms (whatever it sent before)? */
static int closed_within(int fd, int ms)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	char buf[512];

	for (;;) {
		if (poll(&pf, 1, ms) != 1)
			return 0;
		if (read(fd, buf, sizeof(buf)) <= 0)
			return 1;
	}
}

/* Send @n bytes on a new connection (and end our side if @eof): closed within 5 s? */
static int refused(const void *buf, size_t n, int eof)
{
	int fd = conn(), r;

	if (n && dvkp_write_all(fd, buf, n)) {
		close(fd);
		return 1;	/* already gone */
	}
	if (eof)
		shutdown(fd, SHUT_WR);
	r = closed_within(fd, 5000);
	close(fd);
	return r;
}

static cmd_t forged(int cmd, int len)
{
	cmd_t c = { .c_cmd = cmd, .c_snode = from, .c_dnode = to, .c_len = len,
		    .c_msg.m_type = 0x0bad };

	return c;
}

/* A hello for (@me -> @peer) offering key ids 1..4 (an outsider's guess). */
static void guess_hello(struct dvkp_hs *hs, uint32_t flags, int me, int peer)
{
	struct dvkp_keys k = { .n = 4, .id = { 4, 3, 2, 1 } };

	dvkp_hs_client_hello(hs, &k, flags | DVKP_HS_ENCRYPT, me, peer);
}

/* A well-formed hello for FROM, then a FINISH with a made-up MAC. */
static int stolen_id(uint32_t flags)
{
	uint8_t shello[DVKP_SHELLO_BYTES], fin[DVKP_FINISH_BYTES] = "DVKF\x02\x00\x28\x00";
	struct dvkp_hs hs;
	int fd = conn(), r;

	guess_hello(&hs, flags, from, to);
	/* the hello is well formed and its key ids guessed right: the server must answer */
	if (dvkp_write_all(fd, hs.chello, DVKP_CHELLO_BYTES) ||
	    dvkp_read_full(fd, shello, sizeof(shello)) != 1) {
		close(fd);
		fprintf(stderr, "proxy_attack: no SERVER_HELLO to a well-formed hello\n");
		return 0;
	}
	for (int i = 8; i < DVKP_FINISH_BYTES; i++)
		fin[i] = (uint8_t)rand();
	r = !dvkp_write_all(fd, fin, sizeof(fin)) && closed_within(fd, 5000);
	close(fd);
	return r;
}

/* One byte every 500 ms: closed by the 2 s deadline, not per read? */
static int slow_hello(void)
{
	struct dvkp_hs hs;
	int fd = conn(), r = 0;

	guess_hello(&hs, 0, from, to);
	for (int i = 0; i < 12 && !r; i++) {
		if (write(fd, hs.chello + i, 1) != 1)
			r = 1;
		else
			r = closed_within(fd, 500);
	}
	close(fd);
	return r;
}

static int attack_nokey(void)
{
	uint8_t f[DVKP_HDR_BYTES + 4096], g[300];
	struct dvkp_hs hs;
	cmd_t c;

	memset(g, 'A', sizeof(g));
	CHECK("attack: garbage is refused", refused(g, sizeof(g), 0), "not closed");
	c = forged(CMD_SEND_MSG, 0);
	dvkp_encode(&c, 0, f);
	CHECK("attack: a forged SEND_MSG frame (no handshake) is refused",
	      refused(f, DVKP_HDR_BYTES, 0), "not closed");
	c = forged(CMD_COPYIN_DATA, 4096);
	dvkp_encode(&c, 4096, f);
	memset(f + DVKP_HDR_BYTES, 'X', 4096);
	CHECK("attack: a forged COPYIN_DATA frame with 4 KiB is refused", refused(f, sizeof(f), 0),
	      "not closed");
	guess_hello(&hs, 0, from, to);
	CHECK("attack: a truncated hello is refused", refused(hs.chello, 40, 1), "not closed");
	CHECK("attack: a silent connection is closed by the handshake deadline",
	      refused(NULL, 0, 0), "not closed");
	CHECK("attack: a hello trickled byte by byte is closed by the deadline", slow_hello(),
	      "not closed");
	guess_hello(&hs, 0, from + 7, to);
	CHECK("attack: a hello from a node this port does not serve is refused",
	      refused(hs.chello, DVKP_CHELLO_BYTES, 0), "not closed");
	CHECK("attack: a stolen node id (hello for the peer, made-up FINISH) is refused",
	      stolen_id(0), "not closed");
	CHECK("attack: a hijack (stolen node id with HANDOVER) is refused",
	      stolen_id(DVKP_HS_HANDOVER), "not closed");
	return CHECK_EXIT();
}

/* ---- keyed: a fake node FROM that holds the key ---------------------------- */

static struct dvkp_keys keys;

/* The fake peer's receiver: accept the proxy's sender, finish its handshakes, drain. */
static void *fake_receiver(void *arg)
{
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(*(int *)arg) };

	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 4))
		return NULL;
	for (;;) {
		uint8_t ch[DVKP_CHELLO_BYTES], fin[DVKP_FINISH_BYTES], acc[DVKP_ACCEPT_BYTES];
		uint8_t sink[4096];
		struct dvkp_session s;
		struct dvkp_hs hs;
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			continue;
		if (dvkp_read_full(fd, ch, sizeof(ch)) == 1 &&
		    !dvkp_hs_server_hello(&hs, &keys, 1, from, to, ch) &&
		    !dvkp_write_all(fd, hs.shello, DVKP_SHELLO_BYTES) &&
		    dvkp_read_full(fd, fin, sizeof(fin)) == 1 &&
		    !dvkp_hs_server_finish(&hs, fin, &s, acc) && !dvkp_write_all(fd, acc, sizeof(acc))) {
			while (read(fd, sink, sizeof(sink)) > 0)
				;	/* ACKs and heartbeats: not checked here */
			dvkp_session_free(&s);
		}
		close(fd);
	}
	return NULL;
}

/* Connect as FROM and finish a handshake (the bytes sent in @cap); -1 if it failed. */
static int keyed_link_try(struct dvkp_session *s, uint8_t *cap, size_t *caplen)
{
	uint8_t shello[DVKP_SHELLO_BYTES], fin[DVKP_FINISH_BYTES], acc[DVKP_ACCEPT_BYTES];
	struct dvkp_hs hs;
	int fd = conn_try(host, port);

	if (fd < 0)
		return -1;
	if (dvkp_hs_client_hello(&hs, &keys, DVKP_HS_ENCRYPT, from, to) ||
	    dvkp_write_all(fd, hs.chello, DVKP_CHELLO_BYTES) ||
	    dvkp_read_full(fd, shello, sizeof(shello)) != 1 ||
	    dvkp_hs_client_finish(&hs, &keys, shello, fin, s)) {
		close(fd);
		return -1;
	}
	if (dvkp_write_all(fd, fin, sizeof(fin)) || dvkp_read_full(fd, acc, sizeof(acc)) != 1 ||
	    dvkp_hs_client_accepted(&hs, acc)) {
		dvkp_session_free(s);
		close(fd);
		return -1;
	}
	if (cap) {
		memcpy(cap, hs.chello, DVKP_CHELLO_BYTES);
		memcpy(cap + DVKP_CHELLO_BYTES, fin, DVKP_FINISH_BYTES);
		*caplen = DVKP_CHELLO_BYTES + DVKP_FINISH_BYTES;
	}
	return fd;
}

static int keyed_link(struct dvkp_session *s, uint8_t *cap, size_t *caplen)
{
	int fd = keyed_link_try(s, cap, caplen);

	if (fd < 0) {
		fprintf(stderr, "proxy_attack: the handshake with the key failed\n");
		exit(100);
	}
	return fd;
}

/* A sealed record carrying @c (no payload) into @rec; its length. */
static size_t seal_cmd(struct dvkp_session *s, const cmd_t *c, uint8_t *rec)
{
	dvkp_encode(c, 0, rec + DVKP_REC_BYTES);
	return dvkp_seal(s, DVKP_REC_FRAME, rec, DVKP_HDR_BYTES);
}

static int attack_keyed(int dcid, int src, int dst)
{
	uint8_t rec[DVKP_REC_BYTES + DVKP_HDR_BYTES + DVKP_TAG_BYTES], rec2[sizeof(rec)];
	uint8_t cap[DVKP_CHELLO_BYTES + DVKP_FINISH_BYTES + sizeof(rec)];
	struct dvkp_session s;
	size_t caplen, n;
	cmd_t c = forged(CMD_SEND_MSG, 0);
	int fd;

	c.c_dcid = dcid;
	c.c_src = src;
	c.c_dst = dst;
	c.c_snd_seq = ((uint64_t)from << 56) | 77;
	c.c_msg.m_source = src;
	c.c_msg.m_type = 0x600d;
	fd = keyed_link(&s, cap, &caplen);
	n = seal_cmd(&s, &c, rec);
	memcpy(cap + caplen, rec, n);
	caplen += n;
	CHECK("attack (keyed): a valid SEND_MSG record is taken (the link stays open)",
	      !dvkp_write_all(fd, rec, n) && !closed_within(fd, 1500), "closed");
	CHECK("attack (keyed): the same record replayed is refused",
	      !dvkp_write_all(fd, rec, n) && closed_within(fd, 5000), "not closed");
	close(fd);
	dvkp_session_free(&s);
	CHECK("attack: a captured connection (handshake + record) replayed is refused",
	      refused(cap, caplen, 0), "not closed");

	fd = keyed_link(&s, NULL, NULL);
	n = seal_cmd(&s, &c, rec);
	rec[n - 1] ^= 0x20;	/* the tag */
	CHECK("attack (keyed): a record with a wrong MAC is refused",
	      !dvkp_write_all(fd, rec, n) && closed_within(fd, 5000), "not closed");
	close(fd);
	dvkp_session_free(&s);

	fd = keyed_link(&s, NULL, NULL);
	seal_cmd(&s, &c, rec2);		/* sequence 0, never sent */
	n = seal_cmd(&s, &c, rec);	/* sequence 1 */
	CHECK("attack (keyed): a record out of order is refused",
	      !dvkp_write_all(fd, rec, n) && closed_within(fd, 5000), "not closed");
	close(fd);
	dvkp_session_free(&s);
	return CHECK_EXIT();
}

/* ---- fuzz: records with valid MACs around random frames -------------------- */

/* A keyed link, retried while the proxy is busy (handshakes at nice 10); -1 after ~10 s. */
static int fuzz_link(struct dvkp_session *s)
{
	for (int i = 0; i < 50; i++) {
		int fd = keyed_link_try(s, NULL, NULL);

		if (fd >= 0)
			return fd;
		usleep(200000);
	}
	return -1;
}

struct fuzz_count {
	long frames, links, refused, missed, kind[FR_NKINDS];
};

/*
 * Seal and send one random frame on @fd: 1 if the link is still up, 0 if
 * the proxy closed it (which it must, within 10 s, for a broken frame).
 */
static int fuzz_one(int fd, struct dvkp_session *s, const struct fz_frame_ctx *x, uint64_t *r,
		    uint8_t *rec, struct fuzz_count *n)
{
	int kind;
	size_t len = fz_frame(r, x, rec + DVKP_REC_BYTES, &kind);
	size_t rl = dvkp_seal(s, kind == FR_HANDOVER ? DVKP_REC_HANDOVER : DVKP_REC_FRAME, rec,
			      (uint32_t)len);

	n->frames++;
	n->kind[kind]++;
	if (!rl || dvkp_write_all(fd, rec, rl))
		return 0;	/* closed before (the real peer took the link back) */
	if (kind <= FR_HEARTBEAT)
		return !closed_within(fd, 0);
	if (closed_within(fd, 10000)) {
		n->refused++;
		return 0;
	}
	if (!n->missed++)
		fprintf(stderr, "proxy_attack: a %s frame of %zu bytes did not close the link\n",
			fz_frame_kinds[kind], len);
	return 1;
}

static int attack_fuzz(const struct fz_frame_ctx *x, long frames, int secs, uint64_t seed)
{
	uint8_t *rec = malloc(DVKP_REC_BYTES + FZ_FRAME_ROOM + DVKP_TAG_BYTES);
	struct fuzz_count n = { 0 };
	struct dvkp_session s;
	time_t t0 = time(NULL);
	uint64_t r = seed;
	int fd = -1, up = 1;

	signal(SIGPIPE, SIG_IGN);
	while (rec && n.frames < frames && time(NULL) - t0 < secs) {
		if (fd < 0) {
			fd = fuzz_link(&s);
			if (fd < 0) {
				up = 0;
				break;
			}
			n.links++;
		}
		if (!fuzz_one(fd, &s, x, &r, rec, &n)) {
			close(fd);
			dvkp_session_free(&s);
			fd = -1;
		}
	}
	if (fd >= 0) {
		close(fd);
		dvkp_session_free(&s);
	}
	printf("# fuzz: %ld frames in %ld s (seed 0x%llx) over %ld links:", n.frames,
	       (long)(time(NULL) - t0), (unsigned long long)seed, n.links);
	for (int k = 0; k < FR_NKINDS; k++)
		printf(" %s %ld", fz_frame_kinds[k], n.kind[k]);
	printf("\n");
	CHECK("fuzz (keyed): the proxy took keyed links until the end", up && rec, "no handshake "
	      "for 10 s after %ld frames", n.frames);
	CHECK("fuzz (keyed): every broken frame closed its link", !n.missed,
	      "%ld of %ld did not", n.missed, n.missed + n.refused);
	fd = fuzz_link(&s);
	CHECK("fuzz (keyed): a keyed handshake still works afterwards", fd >= 0, "none in 10 s");
	if (fd >= 0) {
		close(fd);
		dvkp_session_free(&s);
	}
	printf("proxy_attack: fuzz: %ld frames\n", n.frames);
	free(rec);
	return CHECK_EXIT();
}

/* ---- the target and the slow clients -------------------------------------- */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* SIGTERM ends the count early (it still prints its result). */
static int count(int dcid, int ep, int secs)
{
	struct sigaction sa = { .sa_handler = on_term };
	time_t end = time(NULL) + secs;
	long r = dvk_bind(dcid, ep), n = 0;
	message m;

	if (r != ep) {
		fprintf(stderr, "proxy_attack: bind %d/%d: %s\n", dcid, ep, dvk_strerror((int)r));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	printf("bound\n");
	fflush(stdout);
	while (!stop && time(NULL) < end) {
		r = dvk_receive_T(ANY, &m, 500);
		if (r == OK) {
			n++;
			printf("message from %d type 0x%x\n", m.m_source, m.m_type);
		}
	}
	printf("received %ld\n", n);
	dvk_unbind(dcid, ep);
	return 0;
}

/* N connections, each sent one more byte every 1.5 s, spread evenly over that time. */
static int slow(int n, int secs)
{
	struct dvkp_hs hs;
	int fd[256], at[256], closes = 0;
	time_t end = time(NULL) + secs;

	if (n > 256)
		n = 256;
	guess_hello(&hs, 0, from, to);
	for (int i = 0; i < n; i++) {
		fd[i] = conn();
		at[i] = 0;
	}
	for (int i = 0; time(NULL) < end; i = (i + 1) % n) {
		if (at[i] == DVKP_CHELLO_BYTES - 1 || write(fd[i], hs.chello + at[i], 1) != 1) {
			close(fd[i]);	/* closed by the proxy's deadline: come back */
			fd[i] = conn();
			at[i] = 0;
			closes++;
		} else {
			at[i]++;
		}
		usleep(1500000 / n);
	}
	printf("slow: %d connections, closed or ended %d times in %d s\n", n, closes, secs);
	return 0;
}

static int flood(int n, int secs)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	time_t end = time(NULL) + secs;
	int *fd = calloc(n, sizeof(int)), at = 0;
	long opened = 0;

	if (!fd || inet_pton(AF_INET, host, &a.sin_addr) != 1)
		return 100;
	for (int i = 0; i < n; i++)
		fd[i] = -1;
	while (!stop && time(NULL) < end) {
		if (fd[at] >= 0)
			close(fd[at]);
		fd[at] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd[at] >= 0 && connect(fd[at], (struct sockaddr *)&a, sizeof(a)) &&
		    errno != EINPROGRESS) {
			close(fd[at]);
			fd[at] = -1;
			usleep(1000);	/* the backlog is full: let it drain */
			continue;
		}
		opened++;
		at = (at + 1) % n;
		if (opened % 32 == 0)
			usleep(1000);	/* leave the CPU some air: this is a flood, not a fork bomb */
	}
	printf("flood: %ld connections in %d s, %d open at a time\n", opened, secs, n);
	return 0;
}

/* keyed and fuzz: KEYFILE HOST PORT FROM TO ... FAKEPORT (argv[10]; 0: no fake receiver) */
static int keyed_setup(char **argv)
{
	static int fake;
	char err[256];
	pthread_t t;

	if (dvkp_keys_load(argv[2], &keys, err, sizeof(err))) {
		fprintf(stderr, "proxy_attack: %s\n", err);
		return -1;
	}
	host = argv[3], port = atoi(argv[4]), from = atoi(argv[5]), to = atoi(argv[6]);
	fake = atoi(argv[10]);
	if (fake > 0)
		pthread_create(&t, NULL, fake_receiver, &fake);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (!strcmp(mode, "count") && argc == 5)
		return count(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(mode, "nokey") && argc == 6) {
		host = argv[2], port = atoi(argv[3]), from = atoi(argv[4]), to = atoi(argv[5]);
		return attack_nokey();
	}
	if (!strcmp(mode, "flood") && argc == 6) {
		struct sigaction sa = { .sa_handler = on_term };

		sigaction(SIGTERM, &sa, NULL);
		host = argv[2], port = atoi(argv[3]);
		return flood(atoi(argv[4]), atoi(argv[5]));
	}
	if (!strcmp(mode, "slow") && argc == 6) {
		host = argv[2], port = atoi(argv[3]), from = 1, to = 0;
		return slow(atoi(argv[4]), atoi(argv[5]));
	}
	if (!strcmp(mode, "keyed") && argc == 11)
		return keyed_setup(argv) ? 100 : attack_keyed(atoi(argv[7]), atoi(argv[8]),
							     atoi(argv[9]));
	if (!strcmp(mode, "fuzz") && (argc == 13 || argc == 14)) {
		struct fz_frame_ctx x = { .dcid = atoi(argv[7]), .src = atoi(argv[8]),
					  .dst = atoi(argv[9]), .maxbytes = MAXCOPYBUF };

		if (keyed_setup(argv))
			return 100;
		x.from = from, x.to = to;
		return attack_fuzz(&x, atol(argv[11]), atoi(argv[12]), argc == 14 ?
				   strtoull(argv[13], NULL, 0) : (uint64_t)time(NULL) ^ getpid());
	}
	fprintf(stderr, "usage: proxy_attack nokey HOST PORT FROM TO\n"
		"       proxy_attack keyed KEYFILE HOST PORT FROM TO DCID SRC DST FAKEPORT\n"
		"       proxy_attack fuzz KEYFILE HOST PORT FROM TO DCID SRC DST FAKEPORT FRAMES "
		"SECONDS [SEED]\n"
		"       proxy_attack count DCID EP SECONDS\n"
		"       proxy_attack slow HOST PORT N SECONDS\n"
		"       proxy_attack flood HOST PORT N SECONDS\n");
	return 100;
}
