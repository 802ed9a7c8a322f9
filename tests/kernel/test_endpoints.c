// SPDX-License-Identifier: GPL-2.0
/*
 * test_endpoints.c - in-guest tests of /sys/kernel/debug/dvk/endpoints:
 * exact rows for a receiver with 3 queued senders (queue depth, age of the
 * oldest sender, state letters), a blocked receiver, counters after the
 * messages are taken and after a ping-pong, rows of a second DC, rows gone
 * after unbind, and that the view answers while senders are blocked.
 *
 *   test_endpoints              the checks (check.h protocol)
 *   test_endpoints load SECS    traffic for dvktop: 3 senders queued on
 *                               endpoint 1 and a ping-pong between 14 and 15
 *                               for SECS seconds or until SIGTERM; prints
 *                               "READY" once it runs, "DONE" at a clean end.
 *   test_endpoints fanin ROUNDS exact counts for dvktop's epstats: in DC 0,
 *                               FAN_CLIENTS clients make ROUNDS sendrec each
 *                               to one server (on both CPUs at once); in DC 1
 *                               one client does the same, its first requests
 *                               queued ~20 ms.  Prints "DONE" when
 *                               every call is answered, keeps the endpoints
 *                               bound until SIGTERM, then "ENDED".
 *                               Both used by guest-suite.sh.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "dvkview/dvkview.h"
#include "check.h"
#include "proc.h"
#include "dvk_params.h"

#define DCID		0
#define ME		1	/* the parent's endpoint (a system slot) */
#define WAIT_MS		5000
#define PP_A		14	/* ping-pong pair */
#define PP_B		15
#define PP_ROUNDS	100
#define DC1_EP		5	/* a receiver in DC 1 */
#define FAN_SRV		20	/* fanin: the server, in DC 0 and in DC 1 */
#define FAN_CLI		21	/* fanin: the first client */
#define FAN_CLIENTS	4	/* fanin: clients in DC 0 (DC 1 has one) */
#define FAN_SLOW	10	/* fanin: DC 1's server naps 20 ms before its first 10 receives */
#define EPFILE		"/sys/kernel/debug/dvk/endpoints"
#define HEADER		"DC    EP     PID FLAGS STATE QUEUE NTFY OLDEST_MS    MSGS_IN   MSGS_OUT " \
			"BYTES_COPIED NAME"

static volatile int *stop_flag;	/* shared with the children of load mode */
static volatile int *fan_done;	/* fanin: children that made all their calls */
static int fan_rounds;
static volatile sig_atomic_t load_stop;	/* SIGTERM to the load parent */
static long send_timeout_ms = 20000;	/* of sender(); load mode: forever */

static void on_term(int sig)
{
	(void)sig;
	load_stop = 1;
}

/* One parsed line of the endpoints view. */
struct ep_row {
	int dcid, ep, pid, queue, ntfy;
	unsigned int flags;
	char state[24];
	long long oldest_ms;	/* -1 for "-" */
	unsigned long long in, out, copied;
	char name[32];
};

/* The whole view in a malloc'ed string, or NULL; *ms = time the read took. */
static char *read_view(long *ms)
{
	struct timespec t0;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	FILE *f;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	f = fopen(EPFILE, "r");
	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
	}
	fclose(f);
	buf[len] = '\0';
	if (ms)
		*ms = ms_since(&t0);
	return buf;
}

/* The line at line (up to its newline), with dvktop's parser (lib/dvkview). */
static int parse_line(const char *line, struct ep_row *r)
{
	struct dvk_endpoint e;
	char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(line, "\n"), line);
	if (dvk_endpoint_line(buf, &e))
		return -1;
	*r = (struct ep_row){ .dcid = e.dcid, .ep = e.ep, .pid = e.pid, .queue = e.queue,
			      .ntfy = e.ntfy, .flags = e.flags, .oldest_ms = e.oldest_ms,
			      .in = e.msgs_in, .out = e.msgs_out, .copied = e.bytes_copied };
	snprintf(r->state, sizeof(r->state), "%s", e.state);
	snprintf(r->name, sizeof(r->name), "%s", e.name);
	return 0;
}

/* Find the row of (dcid, ep) in the view's text; 0 if found. */
static int find_row(const char *text, int dcid, int ep, struct ep_row *out)
{
	const char *line = text;

	while (line && *line) {
		struct ep_row r;

		if (!parse_line(line, &r) && r.dcid == dcid && r.ep == ep) {
			*out = r;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

static int count_rows(const char *text, int dcid)
{
	const char *line = text;
	int n = 0;

	while (line && *line) {
		struct ep_row r;

		if (!parse_line(line, &r) && r.dcid == dcid)
			n++;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

/* child: bind to ep in dcid, send one message tagged ep to ME, then wait
 * for ME's answer (so that its row stays while the parent looks) */
static void sender(int dcid, int ep)
{
	message m;

	if (dvk_bind(dcid, ep) != ep)
		_exit(90);
	memset(&m, 0, sizeof(m));
	m.m_type = ep;
	if (dvk_send_T(ME, &m, send_timeout_ms))
		_exit(1);
	_exit(dvk_receive_T(ME, &m, 20000) ? 2 : 0);
}

/* child: PP_A or PP_B; rounds exchanges, then waits for ME's go to exit.
 * With rounds < 0, A runs until *stop_flag and B until it is killed (if B
 * stopped on the flag, A could be left receiving from a dead peer). */
static void pingpong(int ep, int rounds)
{
	int peer = ep == PP_A ? PP_B : PP_A;
	message m;

	if (dvk_bind(DCID, ep) != ep)
		_exit(90);
	/* a receive from a slot not bound yet fails at once (EDVSSRCDIED) */
	if (dvk_wait4bindep_T(peer, 30000) != peer)	/* forks are slow on a loaded host */
		_exit(3);
	for (int i = 0; rounds < 0 ? ep == PP_B || !*stop_flag : i < rounds; i++) {
		memset(&m, 0, sizeof(m));
		m.m1_i1 = i;
		if (ep == PP_A) {
			if (dvk_send_T(peer, &m, WAIT_MS) || dvk_receive_T(peer, &m, WAIT_MS))
				_exit(1);
		} else {
			if (dvk_receive_T(peer, &m, WAIT_MS) || dvk_send_T(peer, &m, WAIT_MS))
				_exit(1);
		}
	}
	if (rounds < 0)
		_exit(0);	/* load mode: only A gets here */
	_exit(dvk_receive_T(ME, &m, 20000) ? 2 : 0);
}

static pid_t spawn(void (*fn)(int, int), int a, int b)
{
	pid_t pid = fork();

	if (pid == 0)
		fn(a, b);
	return pid;
}

static int exited_ok(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void release(int dcid, int ep)
{
	message m;

	memset(&m, 0, sizeof(m));
	(void)dcid;
	dvk_send_T(ep, &m, WAIT_MS);
}

static void test_queue(void)
{
	pid_t snd[3], rcv1;
	struct ep_row r;
	char *text;
	long ms = 0;
	message m;
	int order_ok = 1;

	text = read_view(&ms);
	CHECK("debugfs endpoints exists and starts with its header",
	      text && !strncmp(text, HEADER "\n", strlen(HEADER) + 1), "got '%.120s'",
	      text ? text : "(unreadable)");
	CHECK("the parent's row: DC 0, ep 1, its pid, runnable, empty queue, no counts",
	      text && !find_row(text, DCID, ME, &r) && r.pid == getpid() && r.flags == 0 &&
	      !strcmp(r.state, "-") && r.queue == 0 && r.ntfy == 0 && r.oldest_ms == -1 &&
	      r.in == 0 && r.out == 0 && r.copied == 0 && !strcmp(r.name, "test_endpoints"),
	      "row '%s' pid %d flags %x state %s queue %d oldest %lld", text ? "" : "none",
	      r.pid, r.flags, r.state, r.queue, r.oldest_ms);
	free(text);

	/* three senders queue on ME in order 10, 11, 12 */
	for (int i = 0; i < 3; i++) {
		snd[i] = spawn(sender, DCID, 10 + i);
		wait_flags_in(DCID, 10 + i, SENDING, 3000);
	}
	/* a receiver in DC 1 blocked for ever (until released) */
	rcv1 = fork();
	if (rcv1 == 0) {
		if (dvk_bind(1, DC1_EP) != DC1_EP)
			_exit(90);
		_exit(dvk_receive_T(ANY, &m, 20000) == EDVSTIMEDOUT ? 0 : 1);
	}
	wait_flags_in(1, DC1_EP, RECEIVING, 3000);
	usleep(300 * 1000);

	text = read_view(&ms);
	CHECK("the view answers while 3 senders and a receiver are blocked (< 1 s)",
	      text && ms < 1000, "%ld ms", ms);
	CHECK("receiver with 3 queued senders: QUEUE 3, oldest sender waiting >= 250 ms",
	      text && !find_row(text, DCID, ME, &r) && r.queue == 3 && r.oldest_ms >= 250 &&
	      r.oldest_ms < 20000 && r.flags == 0 && r.in == 0,
	      "queue %d oldest %lld flags %x in %llu", r.queue, r.oldest_ms, r.flags, r.in);
	for (int i = 0; i < 3; i++) {
		char name[96];
		int ok = text && !find_row(text, DCID, 10 + i, &r);

		snprintf(name, sizeof(name), "sender %d: pid, flags 4, state S, nothing sent yet",
			 10 + i);
		CHECK(name, ok && r.pid == snd[i] && r.flags == SENDING && !strcmp(r.state, "S") &&
		      r.queue == 0 && r.out == 0 && r.oldest_ms == -1,
		      "found %d pid %d/%d flags %x state %s out %llu", ok, r.pid, snd[i], r.flags,
		      r.state, r.out);
	}
	CHECK("a receiver of DC 1 is listed with flags 8, state R",
	      text && !find_row(text, 1, DC1_EP, &r) && r.pid == rcv1 && r.flags == RECEIVING &&
	      !strcmp(r.state, "R"), "pid %d/%d flags %x state %s", r.pid, rcv1, r.flags, r.state);
	free(text);

	/* take the three messages, FIFO */
	for (int i = 0; i < 3; i++) {
		long rc = dvk_receive_T(ANY, &m, WAIT_MS);

		if (rc || m.m_source != 10 + i)
			order_ok = 0;
	}
	CHECK("the three messages arrive in queue order", order_ok, "out of order");
	for (int i = 0; i < 3; i++)
		wait_flags_in(DCID, 10 + i, RECEIVING, 3000);
	text = read_view(NULL);
	CHECK("after receiving: QUEUE 0, OLDEST -, MSGS_IN 3",
	      text && !find_row(text, DCID, ME, &r) && r.queue == 0 && r.oldest_ms == -1 &&
	      r.in == 3 && r.out == 0, "queue %d oldest %lld in %llu out %llu", r.queue,
	      r.oldest_ms, r.in, r.out);
	{
		int ok = 1;

		for (int i = 0; i < 3; i++)
			if (!text || find_row(text, DCID, 10 + i, &r) || r.out != 1 ||
			    r.flags != RECEIVING || strcmp(r.state, "R"))
				ok = 0;
		CHECK("each sender: MSGS_OUT 1, now receiving (state R)", ok, "not so");
	}
	free(text);
	for (int i = 0; i < 3; i++)
		release(DCID, 10 + i);
	{
		int ok = 1;

		for (int i = 0; i < 3; i++)
			ok &= exited_ok(snd[i]);
		CHECK("the senders ended cleanly", ok, "a sender failed");
	}
	text = read_view(NULL);
	CHECK("the parent's MSGS_OUT counts its 3 answers",
	      text && !find_row(text, DCID, ME, &r) && r.out == 3, "out %llu", r.out);
	CHECK("rows of unbound senders are gone",
	      text && find_row(text, DCID, 10, &r) && find_row(text, DCID, 11, &r) &&
	      find_row(text, DCID, 12, &r), "a row is still there");
	free(text);
	kill_reap(rcv1);
}

static void test_pingpong(void)
{
	pid_t a, b;
	struct ep_row ra, rb;
	char *text;
	int ok;

	b = spawn(pingpong, PP_B, PP_ROUNDS);
	wait_flags_in(DCID, PP_B, RECEIVING, 3000);
	a = spawn(pingpong, PP_A, PP_ROUNDS);
	/* both end up waiting for ME */
	for (int i = 0; i < 2000; i++) {
		text = read_view(NULL);
		ok = text && !find_row(text, DCID, PP_A, &ra) && !find_row(text, DCID, PP_B, &rb) &&
		     ra.in + rb.in == 2 * PP_ROUNDS && ra.flags == RECEIVING &&
		     rb.flags == RECEIVING;
		free(text);
		if (ok)
			break;
		usleep(10000);
	}
	text = read_view(NULL);
	ok = text && !find_row(text, DCID, PP_A, &ra) && !find_row(text, DCID, PP_B, &rb);
	CHECK("ping-pong of 100 rounds: each side MSGS_IN 100 and MSGS_OUT 100",
	      ok && ra.in == PP_ROUNDS && ra.out == PP_ROUNDS && rb.in == PP_ROUNDS &&
	      rb.out == PP_ROUNDS, "A in/out %llu/%llu, B in/out %llu/%llu", ra.in, ra.out,
	      rb.in, rb.out);
	CHECK("ping-pong rows: bytes copied 0 (no vcopy yet), no notifies",
	      ok && ra.copied == 0 && rb.copied == 0 && ra.ntfy == 0 && rb.ntfy == 0, "not so");
	free(text);
	release(DCID, PP_A);
	release(DCID, PP_B);
	CHECK("the ping-pong processes ended cleanly", exited_ok(a) & exited_ok(b), "failed");
}

static int setup(void)
{
	dvs_usr_t d = dvk_dvs_params("EPS");
	dc_usr_t dc = dvk_dc_params(DCID, "DC0");
	long rc;

	if ((rc = dvk_dvs_init(0, &d)) != 0 || (rc = dvk_dc_init(&dc)) != 0)
		return (int)rc;
	dc.dc_dcid = 1;
	snprintf(dc.dc_name, sizeof(dc.dc_name), "DC1");
	if ((rc = dvk_dc_init(&dc)) != 0)
		return (int)rc;
	return dvk_bind(DCID, ME) == ME ? 0 : -1;
}

/*
 * fanin: the server of DC @dcid answers @calls requests (sendrec from any
 * client; the reply is the request's m1_i1 + 1), the clients make
 * fan_rounds each.  Then each waits, still bound, for stop_flag.  DC 1's
 * server naps before its first FAN_SLOW receives, so that those requests
 * wait about 20 ms in its queue: a known queue wait for the epstats check.
 */
static void fan_wait_stop(void)
{
	__sync_fetch_and_add(fan_done, 1);
	while (!*stop_flag)
		usleep(20000);
	_exit(0);
}

static void fan_server(int dcid, int calls)
{
	message m;

	if (dvk_bind(dcid, FAN_SRV) != FAN_SRV)
		_exit(90);
	for (int i = 0; i < calls; i++) {
		if (dcid == 1 && i < FAN_SLOW)
			usleep(20000);
		if (dvk_receive_T(ANY, &m, 60000))
			_exit(1);
		m.m1_i1++;
		if (dvk_send_T(m.m_source, &m, 60000))
			_exit(2);
	}
	fan_wait_stop();
}

static void fan_client(int dcid, int ep)
{
	message m;

	if (dvk_bind(dcid, ep) != ep)
		_exit(90);
	for (int i = 0; i < fan_rounds; i++) {
		memset(&m, 0, sizeof(m));
		m.m1_i1 = i;
		if (dvk_sendrec_T(FAN_SRV, &m, 60000) || m.m1_i1 != i + 1)
			_exit(1);
	}
	fan_wait_stop();
}

/* fanin mode (see the top of the file). */
static int fanin(int rounds)
{
	struct sigaction sa = { .sa_handler = on_term };
	pid_t pids[FAN_CLIENTS + 3];
	int n = 0, ok = 1;

	stop_flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop_flag == MAP_FAILED || rounds <= 0 || setup()) {
		fprintf(stderr, "test_endpoints fanin: setup failed\n");
		return 1;
	}
	fan_done = stop_flag + 1;
	fan_rounds = rounds;
	sigaction(SIGTERM, &sa, NULL);	/* before the forks: the children inherit it */
	pids[n++] = spawn(fan_server, DCID, FAN_CLIENTS * rounds);
	pids[n++] = spawn(fan_server, 1, rounds);
	wait_flags_in(DCID, FAN_SRV, RECEIVING, 3000);
	wait_flags_in(1, FAN_SRV, RECEIVING, 3000);
	for (int i = 0; i < FAN_CLIENTS; i++)
		pids[n++] = spawn(fan_client, DCID, FAN_CLI + i);
	pids[n++] = spawn(fan_client, 1, FAN_CLI);
	for (int i = 0; i < 3000 && *fan_done < n && !load_stop; i++)
		usleep(100000);
	printf("%s %d of %d\n", *fan_done == n ? "DONE" : "INCOMPLETE", *fan_done, n);
	fflush(stdout);
	for (int i = 0; i < 3000 && !load_stop; i++)	/* bound until SIGTERM, 300 s at most */
		usleep(100000);
	*stop_flag = 1;
	for (int i = 0; i < n; i++)
		ok &= exited_ok(pids[i]);
	dvk_dvs_end();
	printf("%s\n", ok ? "ENDED" : "FAILED");
	return ok ? 0 : 1;
}

/* Traffic for dvktop (see the top of the file). */
static int load(int secs)
{
	pid_t snd[3], a, b;
	message m;
	int ok = 1;

	stop_flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	send_timeout_ms = TIMEOUT_FOREVER;
	if (stop_flag == MAP_FAILED || setup()) {
		fprintf(stderr, "test_endpoints load: setup failed\n");
		return 1;
	}
	for (int i = 0; i < 3; i++) {
		snd[i] = spawn(sender, DCID, 10 + i);
		wait_flags_in(DCID, 10 + i, SENDING, 3000);
	}
	b = spawn(pingpong, PP_B, -1);
	wait_flags_in(DCID, PP_B, RECEIVING, 3000);
	a = spawn(pingpong, PP_A, -1);
	{
		struct sigaction sa = { .sa_handler = on_term };

		sigaction(SIGTERM, &sa, NULL);	/* only this process gets it */
	}
	printf("READY\n");
	fflush(stdout);
	for (int i = 0; i < secs * 10 && !load_stop; i++)
		usleep(100000);
	*stop_flag = 1;
	ok &= exited_ok(a);
	kill(b, SIGKILL);	/* may wait for A's next message */
	waitpid(b, NULL, 0);
	for (int i = 0; i < 3; i++) {
		if (dvk_receive_T(ANY, &m, WAIT_MS))
			ok = 0;
		release(DCID, 10 + i);
		ok &= exited_ok(snd[i]);
	}
	dvk_dvs_end();
	printf("%s\n", ok ? "DONE" : "FAILED");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	char *text;

	if (argc == 3 && !strcmp(argv[1], "load"))
		return load(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "fanin"))
		return fanin(atoi(argv[2]));
	if (argc != 1) {
		fprintf(stderr, "usage: test_endpoints [load SECONDS | fanin ROUNDS]\n");
		return 2;
	}
	text = read_view(NULL);
	CHECK("endpoints view lists nothing before dvs_init",
	      text && count_rows(text, DCID) == 0 && count_rows(text, 1) == 0, "'%.200s'",
	      text ? text : "(unreadable)");
	free(text);
	CHECK_RC("dvs_init, dc_init DC0 and DC1, bind the parent", setup(), 0);
	test_queue();
	test_pingpong();
	text = read_view(NULL);
	CHECK("at the end only the parent's row remains",
	      text && count_rows(text, DCID) == 1 && count_rows(text, 1) == 0, "'%.300s'",
	      text ? text : "(unreadable)");
	free(text);
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	text = read_view(NULL);
	CHECK("no rows after dvs_end", text && count_rows(text, DCID) == 0, "'%.200s'",
	      text ? text : "(unreadable)");
	free(text);
	return CHECK_EXIT();
}
