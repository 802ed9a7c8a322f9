// SPDX-License-Identifier: GPL-2.0
/*
 * dvkbench - round-trip time of a two-process ping-pong over DVK, a SysV
 * message queue or a pair of pipes.
 *
 *   dvkbench [options] MODE      MODE: dvk, dvk-sr, msgq, pipe
 *
 * The parent is the client and measures; a forked child is the server and
 * echoes every 48-byte message (sizeof(message)) back.  One round trip is
 * one request and one reply:
 *
 *   dvk     client dvk_sendrec(server); server dvk_receive(ANY) then
 *           dvk_send (or, with --reply, dvk_reply) back to m_source
 *   dvk-sr  client dvk_send(server) + dvk_receive(server);
 *           server dvk_receive(ANY) + dvk_send(m_source)
 *   msgq    one SysV queue, mtype 1 to the server and 2 to the client
 *   pipe    two pipes, one per direction
 *
 * The DVK modes initialise the DVS and the DC if they are not (and end
 * them again at exit), and bind client and server to system slots.
 * Prints ns per round trip for each run (--repeat) and their median;
 * -q prints only the per-run numbers, one per line, for scripts.
 *
 * Exit status: 0 done, 1 failure, 2 usage error, 3 the mode is not
 * available (dvk: the module has no sendrec yet).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "libdvk.h"

#define VERSION		"0.1.0"
#define EXIT_UNAVAILABLE 3

enum mode { M_DVK, M_DVK_SR, M_MSGQ, M_PIPE };

static const char *const mode_names[] = {
	[M_DVK] = "dvk", [M_DVK_SR] = "dvk-sr", [M_MSGQ] = "msgq", [M_PIPE] = "pipe",
};
static const char *const mode_desc[] = {
	[M_DVK] = "client sendrec, server receive(ANY) + send",
	[M_DVK_SR] = "client send + receive, server receive(ANY) + send",
	[M_MSGQ] = "SysV msgsnd/msgrcv, one queue, two mtypes",
	[M_PIPE] = "two pipes, write/read",
};

/* the message types of the ping-pong */
#define PING	1
#define STOP	2

static struct {
	enum mode mode;
	long iterations, repeat, warmup;
	int quiet, verbose, use_reply, no_init, timeout;
	int cpu_client, cpu_server;	/* -1: not pinned */
	int dcid, nodeid, client_ep, server_ep;
} opt = {
	.iterations = 10000, .repeat = 1, .warmup = -1,
	.cpu_client = -1, .cpu_server = -1,
	.dcid = 0, .nodeid = 0, .client_ep = 1, .server_ep = 2,
};

static volatile sig_atomic_t got_signal;

/* the transport state shared by client and server */
static int msqid = -1;
static int to_server[2] = { -1, -1 }, to_client[2] = { -1, -1 };
static pid_t server_pid = -1;
static int made_dvs, made_dc, client_bound;

struct msgq_buf {
	long mtype;
	message m;
};

static void on_signal(int sig)
{
	got_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dvkbench [options] MODE\n"
		"Round-trip time of a two-process ping-pong with 48-byte messages.\n"
		"\n"
		"MODE:\n"
		"  dvk      client dvk_sendrec(); server dvk_receive(ANY) + dvk_send() (or --reply)\n"
		"  dvk-sr   client dvk_send() + dvk_receive(); server dvk_receive(ANY) + dvk_send()\n"
		"  msgq     SysV message queue (msgsnd/msgrcv)\n"
		"  pipe     two pipes\n"
		"\n"
		"Options:\n"
		"  -n, --iterations N   round trips per run (default 10000)\n"
		"  -r, --repeat R       runs; each prints its ns per round trip (default 1)\n"
		"  -w, --warmup N       untimed round trips before the first run\n"
		"                       (default: iterations/10, at most 1000)\n"
		"  -p, --pin WHERE      'same': both processes on CPU 0; 'split': client on\n"
		"                       CPU 0, server on CPU 1; 'C,S': client on C, server on S\n"
		"                       (default: not pinned)\n"
		"      --reply          dvk mode: the server answers with dvk_reply()\n"
		"  -q, --quiet          print only ns per round trip, one line per run\n"
		"  -v, --verbose        also print context switches per round trip (from\n"
		"                       /proc/PID/status) of client and server\n"
		"  -t, --timeout SECS   give up after SECS seconds (default: never)\n"
		"DVK modes:\n"
		"  -d, --dcid N         DC to use (default 0)\n"
		"      --node N         node id if the DVS must be initialised (default 0)\n"
		"  -c, --client-ep EP   client endpoint (default 1)\n"
		"  -s, --server-ep EP   server endpoint (default 2); both must be system\n"
		"                       slots (p_nr < nr_sysprocs - nr_tasks, 29 by default)\n"
		"      --no-init        fail instead of initialising the DVS or the DC\n"
		"  -h, --help           this text\n"
		"  -V, --version        print the version\n"
		"\n"
		"The DVK modes need root and dvk.ko; a DVS or DC initialised by dvkbench\n"
		"is ended again at exit.  Exit status: 0 ok, 1 failure, 2 usage,\n"
		"3 mode not available (sendrec not implemented by this dvk.ko).\n");
}

static long parse_long(const char *name, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "dvkbench: %s: expected an integer in %ld..%ld, got '%s'\n",
			name, min, max, s);
		exit(2);
	}
	return v;
}

static void parse_pin(const char *s)
{
	char *comma;

	if (!strcmp(s, "same")) {
		opt.cpu_client = opt.cpu_server = 0;
	} else if (!strcmp(s, "split")) {
		opt.cpu_client = 0;
		opt.cpu_server = 1;
	} else if ((comma = strchr(s, ',')) != NULL) {
		char buf[64];

		if ((size_t)(comma - s) >= sizeof(buf)) {
			fprintf(stderr, "dvkbench: --pin: bad value '%s'\n", s);
			exit(2);
		}
		memcpy(buf, s, (size_t)(comma - s));
		buf[comma - s] = '\0';
		opt.cpu_client = (int)parse_long("--pin (client CPU)", buf, 0, CPU_SETSIZE - 1);
		opt.cpu_server = (int)parse_long("--pin (server CPU)", comma + 1, 0,
						 CPU_SETSIZE - 1);
	} else {
		fprintf(stderr, "dvkbench: --pin: expected 'same', 'split' or 'C,S', got '%s'\n", s);
		exit(2);
	}
}

static int pin_to(int cpu, const char *who)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "dvkbench: cannot pin the %s to CPU %d: %s\n", who, cpu,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int is_dvk(void)
{
	return opt.mode == M_DVK || opt.mode == M_DVK_SR;
}

/* ---- DVS and DC set-up ---------------------------------------------------- */

static int dvk_fail(const char *what, long rc)
{
	fprintf(stderr, "dvkbench: %s: %s\n", what, dvk_strerror((int)rc));
	return -1;
}

static int dvk_setup(void)
{
	dvs_usr_t d;
	dc_usr_t dc;
	long rc;

	rc = dvk_open();
	if (rc < 0) {
		fprintf(stderr, "dvkbench: cannot open %s: %s (is dvk.ko loaded?)\n", DVK_DEVICE,
			strerror((int)-rc));
		return -1;
	}
	rc = dvk_getdvsinfo(&d);
	if (rc == EDVSDVSINIT) {
		if (opt.no_init)
			return dvk_fail("the DVS is not initialised (--no-init)", rc);
		memset(&d, 0, sizeof(d));
		snprintf(d.d_name, sizeof(d.d_name), "BENCH");
		d.d_nr_dcs = NR_DCS;
		d.d_nr_nodes = NR_NODES;
		d.d_nr_procs = NR_PROCS;
		d.d_nr_tasks = NR_TASKS;
		d.d_nr_sysprocs = NR_SYS_PROCS;
		d.d_max_copybuf = MAXCOPYBUF;
		d.d_max_copylen = MAXCOPYLEN;
		rc = dvk_dvs_init(opt.nodeid, &d);
		if (rc < 0)
			return dvk_fail("dvs_init", rc);
		made_dvs = 1;
	} else if (rc < 0) {
		return dvk_fail("getdvsinfo", rc);
	}

	rc = dvk_getdcinfo(opt.dcid, &dc);
	if (rc < 0)
		return dvk_fail("getdcinfo", rc);
	if (dc.dc_flags == DC_FREE) {
		if (opt.no_init) {
			fprintf(stderr, "dvkbench: DC %d is not running (--no-init)\n", opt.dcid);
			return -1;
		}
		memset(&dc, 0, sizeof(dc));
		dc.dc_dcid = opt.dcid;
		dc.dc_nr_procs = NR_PROCS;
		dc.dc_nr_tasks = NR_TASKS;
		dc.dc_nr_sysprocs = NR_SYS_PROCS;
		dc.dc_nr_nodes = NR_NODES;
		dc.dc_warn2proc = NONE;
		snprintf(dc.dc_name, sizeof(dc.dc_name), "BENCH%d", opt.dcid);
		rc = dvk_dc_init(&dc);
		if (rc < 0)
			return dvk_fail("dc_init", rc);
		made_dc = 1;
	}

	rc = dvk_bind(opt.dcid, opt.client_ep);
	if (rc != opt.client_ep) {
		char what[64];

		snprintf(what, sizeof(what), "bind the client to endpoint %d", opt.client_ep);
		return dvk_fail(what, rc);
	}
	client_bound = 1;
	return 0;
}

static void dvk_teardown(void)
{
	long rc;

	if (client_bound) {
		rc = dvk_unbind_T(opt.dcid, opt.client_ep, 5000);
		if (rc < 0)
			dvk_fail("unbind the client", rc);
		client_bound = 0;
	}
	if (made_dc && !made_dvs) {
		rc = dvk_dc_end(opt.dcid);
		if (rc < 0)
			dvk_fail("dc_end", rc);
	}
	if (made_dvs) {
		rc = dvk_dvs_end();
		if (rc < 0)
			dvk_fail("dvs_end", rc);
	}
	made_dc = made_dvs = 0;
}

/* ---- I/O helpers of the byte and queue transports ------------------------- */

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int msgq_send(long mtype, const message *m)
{
	struct msgq_buf b;

	b.mtype = mtype;
	b.m = *m;
	return msgsnd(msqid, &b, sizeof(b.m), 0) ? -errno : 0;
}

static int msgq_recv(long mtype, message *m)
{
	struct msgq_buf b;
	ssize_t n = msgrcv(msqid, &b, sizeof(b.m), mtype, 0);

	if (n < 0)
		return -errno;
	if ((size_t)n != sizeof(b.m))
		return -EPROTO;
	*m = b.m;
	return 0;
}

/* ---- server ---------------------------------------------------------------- */

/* one request in, one reply out; returns 1 after STOP, 0 to go on, <0 error */
static long serve_one(void)
{
	message m;
	long rc;

	switch (opt.mode) {
	case M_DVK:
	case M_DVK_SR:
		rc = dvk_receive(ANY, &m);
		if (rc)
			return rc;
		if (opt.mode == M_DVK && opt.use_reply)
			rc = dvk_reply(m.m_source, &m);
		else
			rc = dvk_send(m.m_source, &m);
		break;
	case M_MSGQ:
		rc = msgq_recv(1, &m);
		if (rc)
			return rc;
		rc = msgq_send(2, &m);
		break;
	case M_PIPE:
	default:
		rc = read_full(to_server[0], &m, sizeof(m));
		if (rc)
			return rc;
		rc = write_full(to_client[1], &m, sizeof(m));
		break;
	}
	if (rc)
		return rc;
	return m.m_type == STOP;
}

static void server_error(long rc)
{
	if (is_dvk())
		fprintf(stderr, "dvkbench: server: %s\n", dvk_strerror((int)rc));
	else
		fprintf(stderr, "dvkbench: server: %s\n", strerror((int)-rc));
}

/* the child: bind, say so on the ready pipe, echo until STOP */
static void server_main(int ready_fd)
{
	long rc = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	if (pin_to(opt.cpu_server, "server"))
		rc = -EINVAL;
	if (!rc && is_dvk()) {
		rc = dvk_bind(opt.dcid, opt.server_ep);
		rc = rc == opt.server_ep ? 0 : (rc < 0 ? rc : EDVSENDPOINT);
	}
	if (write_full(ready_fd, &rc, sizeof(rc)))
		_exit(1);
	close(ready_fd);
	if (rc)
		_exit(1);
	for (;;) {
		rc = serve_one();
		if (rc == 1)
			break;
		if (rc < 0) {
			server_error(rc);
			_exit(1);
		}
	}
	if (is_dvk())
		dvk_unbind_T(opt.dcid, opt.server_ep, 5000);
	_exit(0);
}

static int start_server(void)
{
	int ready[2];
	long rc;

	if (pipe(ready)) {
		perror("dvkbench: pipe");
		return -1;
	}
	server_pid = fork();
	if (server_pid < 0) {
		perror("dvkbench: fork");
		return -1;
	}
	if (server_pid == 0) {
		close(ready[0]);
		server_main(ready[1]);
	}
	close(ready[1]);
	if (read_full(ready[0], &rc, sizeof(rc))) {
		close(ready[0]);
		fprintf(stderr, "dvkbench: the server died while starting\n");
		return -1;
	}
	close(ready[0]);
	if (rc) {
		if (is_dvk()) {
			char what[64];

			snprintf(what, sizeof(what), "bind the server to endpoint %d",
				 opt.server_ep);
			dvk_fail(what, rc);
		} else {
			fprintf(stderr, "dvkbench: the server could not start\n");
		}
		return -1;
	}
	return 0;
}

/* ---- client ---------------------------------------------------------------- */

/* one round trip carrying type and seq; checks that the echo is intact */
static long round_trip(int type, int seq)
{
	message m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m1_i1 = seq;
	switch (opt.mode) {
	case M_DVK:
		rc = dvk_sendrec(opt.server_ep, &m);
		break;
	case M_DVK_SR:
		rc = dvk_send(opt.server_ep, &m);
		if (!rc)
			rc = dvk_receive(opt.server_ep, &m);
		break;
	case M_MSGQ:
		rc = msgq_send(1, &m);
		if (!rc)
			rc = msgq_recv(2, &m);
		break;
	case M_PIPE:
	default:
		rc = write_full(to_server[1], &m, sizeof(m));
		if (!rc)
			rc = read_full(to_client[0], &m, sizeof(m));
		break;
	}
	if (rc)
		return rc;
	if (m.m_type != type || m.m1_i1 != seq)
		return 1;	/* a wrong echo */
	return 0;
}

static void client_error(long rc, long i)
{
	if (rc == 1)
		fprintf(stderr, "dvkbench: round trip %ld: the reply is not the echo of the "
			"request\n", i);
	else if (got_signal)
		fprintf(stderr, "dvkbench: interrupted by signal %d (%s)\n", (int)got_signal,
			got_signal == SIGALRM ? "--timeout expired" : strsignal(got_signal));
	else if (is_dvk())
		fprintf(stderr, "dvkbench: round trip %ld: %s\n", i, dvk_strerror((int)rc));
	else
		fprintf(stderr, "dvkbench: round trip %ld: %s\n", i, strerror((int)-rc));
}

/* voluntary and involuntary context switches of pid so far; 0 if unknown */
static int ctxsw(pid_t pid, long long *vol, long long *invol)
{
	char path[64], line[128];
	FILE *f;
	int got = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %lld", vol) == 1)
			got |= 1;
		else if (sscanf(line, "nonvoluntary_ctxt_switches: %lld", invol) == 1)
			got |= 2;
	}
	fclose(f);
	return got == 3;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void stop_server(int clean)
{
	int st;

	if (server_pid <= 0)
		return;
	if (clean) {
		long rc = round_trip(STOP, 0);

		if (rc)
			clean = 0;
	}
	if (!clean)
		kill(server_pid, SIGKILL);
	while (waitpid(server_pid, &st, 0) < 0 && errno == EINTR)
		;
	server_pid = -1;
}

static void cleanup(void)
{
	if (msqid >= 0)
		msgctl(msqid, IPC_RMID, NULL);
	msqid = -1;
	for (int i = 0; i < 2; i++) {
		if (to_server[i] >= 0)
			close(to_server[i]);
		if (to_client[i] >= 0)
			close(to_client[i]);
		to_server[i] = to_client[i] = -1;
	}
	if (is_dvk())
		dvk_teardown();
}

/* runs the benchmark; returns the exit status */
static int bench(void)
{
	double *ns = calloc((size_t)opt.repeat, sizeof(double));
	long rc;
	int status = 1;

	if (!ns) {
		fprintf(stderr, "dvkbench: out of memory\n");
		return 1;
	}
	if (pin_to(opt.cpu_client, "client"))
		goto out;
	switch (opt.mode) {
	case M_DVK:
	case M_DVK_SR:
		if (dvk_setup())
			goto out;
		break;
	case M_MSGQ:
		msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (msqid < 0) {
			perror("dvkbench: msgget");
			goto out;
		}
		break;
	case M_PIPE:
		if (pipe(to_server) || pipe(to_client)) {
			perror("dvkbench: pipe");
			goto out;
		}
		break;
	}
	if (start_server())
		goto out;

	/* the first round trip also tells whether the mode works at all */
	rc = round_trip(PING, -1);
	if (opt.mode == M_DVK && rc == EDVSNOSYS) {
		fprintf(stderr, "dvkbench: dvk mode unavailable: this dvk.ko does not implement "
			"sendrec (%s); dvk-sr measures send + receive\n", dvk_strerror((int)rc));
		stop_server(0);
		status = EXIT_UNAVAILABLE;
		goto out;
	}
	if (rc) {
		client_error(rc, 0);
		stop_server(0);
		goto out;
	}
	for (long i = 0; i < opt.warmup; i++) {
		rc = round_trip(PING, (int)i);
		if (rc) {
			client_error(rc, i);
			stop_server(0);
			goto out;
		}
	}

	if (!opt.quiet)
		printf("dvkbench: %s (%s), %ld round trips x %ld run%s, 48-byte messages, %s\n",
		       mode_names[opt.mode],
		       opt.mode == M_DVK && opt.use_reply ?
				"client sendrec, server receive(ANY) + reply" : mode_desc[opt.mode],
		       opt.iterations, opt.repeat, opt.repeat == 1 ? "" : "s",
		       opt.cpu_client < 0 ? "not pinned" :
		       opt.cpu_client == opt.cpu_server ? "both on one CPU" : "pinned apart");
	fflush(stdout);
	for (long r = 0; r < opt.repeat; r++) {
		long long cv0 = 0, ci0 = 0, sv0 = 0, si0 = 0, cv1 = 0, ci1 = 0, sv1 = 0, si1 = 0;
		int sw = opt.verbose && ctxsw(getpid(), &cv0, &ci0) && ctxsw(server_pid, &sv0, &si0);
		double t0 = now_ns(), t1;

		for (long i = 0; i < opt.iterations; i++) {
			rc = round_trip(PING, (int)i);
			if (rc) {
				client_error(rc, i);
				stop_server(0);
				goto out;
			}
		}
		t1 = now_ns();
		ns[r] = (t1 - t0) / (double)opt.iterations;
		if (opt.quiet)
			printf("%.1f\n", ns[r]);
		else
			printf("run %ld: %ld round trips in %.3f s: %.1f ns/round trip\n", r + 1,
			       opt.iterations, (t1 - t0) / 1e9, ns[r]);
		if (sw && ctxsw(getpid(), &cv1, &ci1) && ctxsw(server_pid, &sv1, &si1)) {
			double n = (double)opt.iterations;

			printf("%scontext switches per round trip: client %.2f voluntary + %.2f "
			       "involuntary, server %.2f + %.2f\n", opt.quiet ? "# " : "  ",
			       (double)(cv1 - cv0) / n, (double)(ci1 - ci0) / n,
			       (double)(sv1 - sv0) / n, (double)(si1 - si0) / n);
		}
		fflush(stdout);
	}
	stop_server(1);
	if (!opt.quiet && opt.repeat > 1) {
		double med;

		qsort(ns, (size_t)opt.repeat, sizeof(double), cmp_double);
		med = opt.repeat % 2 ? ns[opt.repeat / 2] :
		      (ns[opt.repeat / 2 - 1] + ns[opt.repeat / 2]) / 2;
		printf("median: %.1f ns/round trip over %ld runs (min %.1f, max %.1f)\n", med,
		       opt.repeat, ns[0], ns[opt.repeat - 1]);
	}
	status = 0;
out:
	if (server_pid > 0)
		stop_server(0);
	cleanup();
	free(ns);
	return status;
}

int main(int argc, char **argv)
{
	enum { OPT_REPLY = 256, OPT_NODE, OPT_NO_INIT };
	static const struct option longopts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "pin", required_argument, NULL, 'p' },
		{ "reply", no_argument, NULL, OPT_REPLY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, 't' },
		{ "dcid", required_argument, NULL, 'd' },
		{ "node", required_argument, NULL, OPT_NODE },
		{ "client-ep", required_argument, NULL, 'c' },
		{ "server-ep", required_argument, NULL, 's' },
		{ "no-init", no_argument, NULL, OPT_NO_INIT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa;
	int c, i;

	while ((c = getopt_long(argc, argv, "n:r:w:p:qvt:d:c:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': opt.iterations = parse_long("--iterations", optarg, 1, 1000000000L); break;
		case 'r': opt.repeat = parse_long("--repeat", optarg, 1, 100000); break;
		case 'w': opt.warmup = parse_long("--warmup", optarg, 0, 1000000000L); break;
		case 'p': parse_pin(optarg); break;
		case OPT_REPLY: opt.use_reply = 1; break;
		case 'q': opt.quiet = 1; break;
		case 'v': opt.verbose = 1; break;
		case 't': opt.timeout = (int)parse_long("--timeout", optarg, 0, 86400); break;
		case 'd': opt.dcid = (int)parse_long("--dcid", optarg, 0, NR_DCS - 1); break;
		case OPT_NODE: opt.nodeid = (int)parse_long("--node", optarg, 0, NR_NODES - 1); break;
		case 'c': opt.client_ep = (int)parse_long("--client-ep", optarg, 0, NR_PROCS - 1); break;
		case 's': opt.server_ep = (int)parse_long("--server-ep", optarg, 0, NR_PROCS - 1); break;
		case OPT_NO_INIT: opt.no_init = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("dvkbench " VERSION "\n"); return 0;
		default:
			fprintf(stderr, "Try 'dvkbench --help'.\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "dvkbench: %s\nTry 'dvkbench --help'.\n",
			optind == argc ? "no MODE given" : "one MODE only");
		return 2;
	}
	for (i = 0; i <= M_PIPE; i++)
		if (!strcmp(argv[optind], mode_names[i]))
			break;
	if (i > M_PIPE) {
		fprintf(stderr, "dvkbench: unknown mode '%s' (dvk, dvk-sr, msgq, pipe)\n",
			argv[optind]);
		return 2;
	}
	opt.mode = (enum mode)i;
	if (opt.use_reply && opt.mode != M_DVK) {
		fprintf(stderr, "dvkbench: --reply applies to the dvk mode only\n");
		return 2;
	}
	if (is_dvk() && opt.client_ep == opt.server_ep) {
		fprintf(stderr, "dvkbench: client and server need different endpoints\n");
		return 2;
	}
	if (opt.warmup < 0)
		opt.warmup = opt.iterations / 10 < 1000 ? opt.iterations / 10 : 1000;

	/* no SA_RESTART: a signal ends the blocking call and the run, cleanly */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (opt.timeout)
		alarm((unsigned int)opt.timeout);
	return bench();
}
