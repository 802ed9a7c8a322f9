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
 * available (dvk mode against a dvk.ko that answers sendrec with EDVSNOSYS).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../common/cli.h"
#include "dvkbench.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */


const char *const mode_names[] = {
	[M_DVK] = "dvk", [M_DVK_SR] = "dvk-sr", [M_MSGQ] = "msgq", [M_PIPE] = "pipe",
};
const char *const mode_desc[] = {
	[M_DVK] = "client sendrec, server receive(ANY) + send",
	[M_DVK_SR] = "client send + receive, server receive(ANY) + send",
	[M_MSGQ] = "SysV msgsnd/msgrcv, one queue, two mtypes",
	[M_PIPE] = "two pipes, write/read",
};

struct bench_opts opt = {
	.iterations = 10000, .repeat = 1, .warmup = -1,
	.cpu_client = -1, .cpu_server = -1,
	.dcid = 0, .nodeid = 0, .client_ep = 1, .server_ep = 2,
};

volatile sig_atomic_t got_signal;

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
	return cli_long("dvkbench: %s: expected an integer in %ld..%ld, got '%s'\n", name, s, 10,
			min, max);
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

/* The options into opt; returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv)
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
	int c;

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
		case 'V': printf("dvkbench %s\n", DVK_PACKAGE_VERSION); return 0;
		default:
			fprintf(stderr, "Try 'dvkbench --help'.\n");
			return 2;
		}
	}
	return -1;
}

/* The MODE operand and the options that depend on it; 0 or 2 (usage). */
static int parse_mode(int argc, char **argv)
{
	int i;

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
	return 0;
}

/* No SA_RESTART: a signal ends the blocking call and the run, cleanly. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	int status = parse_options(argc, argv);

	if (status >= 0)
		return status;
	status = parse_mode(argc, argv);
	if (status)
		return status;
	catch_signals();
	if (opt.timeout)
		alarm((unsigned int)opt.timeout);
	return bench();
}
