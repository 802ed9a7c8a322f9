// SPDX-License-Identifier: GPL-2.0
/*
 * dvkload - a steady load of DVK calls and messages for the demo and
 * benchmarks.
 *
 *   dvkload [--mode calls|ipc|mixed] [-r RATE] [-t SECONDS] [options]
 *
 * calls (the default): worker threads making RATE non-message calls per
 * second each (calls.c).  ipc: server and client processes bound to
 * endpoints of a DC exchanging messages (ipc.c, ipc_roles.c).  mixed: both.
 * Runs until -t expires or SIGINT/SIGTERM, then prints a one-line summary
 * per workload.  Needs CAP_SYS_ADMIN.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "libdvk.h"
#include "../common/cli.h"
#include "dvkload.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

volatile sig_atomic_t dvkload_stop;

enum {
	OPT_SLOW = 256, OPT_SLOW_MS, OPT_COPY, OPT_LIFETIME, OPT_DC, OPT_EP_BASE, OPT_USER_BASE, OPT_REMOTE,
};

static void on_signal(int sig)
{
	(void)sig;
	dvkload_stop = 1;
}

double dvkload_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void dvkload_pace(struct timespec *next, long rate)
{
	struct timespec now;

	if (rate <= 0)
		return;
	/* more than a second behind (a long wait in a queue): no burst to catch up */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - next->tv_sec > 1)
		*next = now;
	next->tv_nsec += 1000000000L / rate;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
}

static long parse_long(const char *opt, const char *s, long min, long max)
{
	return cli_long("dvkload: %s: expected an integer from %ld to %ld, got '%s'\n", opt, s, 10,
			min, max);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: dvkload [--mode calls|ipc|mixed] [--ipc] [-r RATE] [-t SECONDS] [options]\n"
"\n"
"  -m, --mode MODE     calls (default): non-message calls from threads;\n"
"                      ipc: servers and clients exchanging messages; mixed: both\n"
"  -I, --ipc           the same as --mode ipc\n"
"  -r, --rate N        calls (calls mode) or round trips (ipc clients) per second\n"
"                      per worker or client, 0 = as fast as possible (default 200)\n"
"  -t, --time S        stop after S seconds, 0 = at SIGINT/SIGTERM (default 0)\n"
"calls mode:\n"
"  -w, --workers N     worker threads (default 2)\n"
"  -e, --errors PCT    percent of calls that fail on purpose (default 5)\n"
"ipc mode (creates the DVS and the DC if they are not initialised, and ends\n"
"only what it created):\n"
"  -s, --servers N     server processes, system slots, rcvrqst + reply (default 4)\n"
"  -c, --clients N     client processes doing sendrec, half of them (rounded\n"
"                      down) in user slots (default 6)\n"
"      --slow N        servers that sleep before each reply (default 2, < servers)\n"
"      --slow-ms MS    how long a slow server sleeps per request (default 20)\n"
"      --copy BYTES    server 0 vcopies BYTES into every 8th client it serves,\n"
"                      0 = never (default 4096, at most 65536)\n"
"      --lifetime MS   one client exits after about MS ms and is replaced by a\n"
"                      new process that binds the same endpoint, 0 = never\n"
"                      (default 3000)\n"
"      --dc ID         the DC to use (default 0)\n"
"      --ep-base EP    first server endpoint; system clients follow the servers,\n"
"                      user clients start at the first user slot (default 1)\n"
"      --user-base EP  first user-slot client (default: the DC's first user slot)\n"
"      --remote-servers EP[,EP...]\n"
"                      servers of other nodes (bound there, rmtbound here) that\n"
"                      the clients call too, chosen like the local ones\n"
"  -h, --help, -V, --version\n"
"\n"
"Summary lines: \"dvkload: N calls, N failed on purpose\" (calls) and\n"
"\"dvkload: ipc: N round trips, N errors, ...\" (ipc).  Exit status 0, 1 if\n"
"setup failed or any ipc message went wrong, 2 on bad usage.\n");
}

/* --mode MODE; 0 or -1 (printed). */
static int parse_mode(const char *arg, struct dvkload_opts *o)
{
	if (!strcmp(arg, "calls"))
		o->mode = MODE_CALLS;
	else if (!strcmp(arg, "ipc"))
		o->mode = MODE_IPC;
	else if (!strcmp(arg, "mixed"))
		o->mode = MODE_CALLS | MODE_IPC;
	else {
		fprintf(stderr, "dvkload: --mode: expected calls, ipc or mixed, got '%s'\n", arg);
		return -1;
	}
	return 0;
}

/* --remote-servers EP[,EP...]; 0 or -1 (printed). */
static int parse_remote(char *arg, struct dvkload_opts *o)
{
	for (char *t = strtok(arg, ","); t; t = strtok(NULL, ",")) {
		if (o->nremote == 8) {
			fprintf(stderr, "dvkload: --remote-servers: at most 8\n");
			return -1;
		}
		o->remote_ep[o->nremote++] = (int)parse_long("--remote-servers", t, 0, NR_PROCS - 1);
	}
	return 0;
}

/*
 * The options into *o; -1 to go on, else the exit status.  *slow_set:
 * --slow was given (its default adapts to --servers, a given one does not).
 */
static int parse_options(int argc, char **argv, struct dvkload_opts *o, int *slow_set)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "ipc", no_argument, NULL, 'I' },
		{ "rate", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "workers", required_argument, NULL, 'w' },
		{ "errors", required_argument, NULL, 'e' },
		{ "servers", required_argument, NULL, 's' },
		{ "clients", required_argument, NULL, 'c' },
		{ "slow", required_argument, NULL, OPT_SLOW },
		{ "slow-ms", required_argument, NULL, OPT_SLOW_MS },
		{ "copy", required_argument, NULL, OPT_COPY },
		{ "lifetime", required_argument, NULL, OPT_LIFETIME },
		{ "dc", required_argument, NULL, OPT_DC },
		{ "ep-base", required_argument, NULL, OPT_EP_BASE },
		{ "user-base", required_argument, NULL, OPT_USER_BASE },
		{ "remote-servers", required_argument, NULL, OPT_REMOTE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "m:Ir:t:w:e:s:c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_mode(optarg, o))
				return 2;
			break;
		case 'I': o->mode = MODE_IPC; break;
		case 'r': o->rate = parse_long("--rate", optarg, 0, 1000000000L); break;
		case 't': o->seconds = parse_long("--time", optarg, 0, 100000000L); break;
		case 'w': o->workers = parse_long("--workers", optarg, 1, 1024); break;
		case 'e': o->error_pct = parse_long("--errors", optarg, 0, 100); break;
		case 's': o->servers = parse_long("--servers", optarg, 1, 16); break;
		case 'c': o->clients = parse_long("--clients", optarg, 1, 128); break;
		case OPT_SLOW: o->slow = parse_long("--slow", optarg, 0, 15); *slow_set = 1; break;
		case OPT_SLOW_MS: o->slow_ms = parse_long("--slow-ms", optarg, 0, 10000); break;
		case OPT_COPY: o->copy_bytes = parse_long("--copy", optarg, 0, MAXCOPYBUF); break;
		case OPT_LIFETIME: o->lifetime_ms = parse_long("--lifetime", optarg, 0, 100000000L); break;
		case OPT_DC: o->dcid = parse_long("--dc", optarg, 0, NR_DCS - 1); break;
		case OPT_EP_BASE: o->ep_base = parse_long("--ep-base", optarg, 0, NR_PROCS - 1); break;
		case OPT_USER_BASE:
			o->user_base = parse_long("--user-base", optarg, 0, NR_PROCS - 1);
			break;
		case OPT_REMOTE:
			if (parse_remote(optarg, o))
				return 2;
			break;
		case 'V': printf("dvkload %s\n", DVK_PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	return -1;
}

/* What the options leave to check together; 0 or 2 (usage, printed). */
static int check_options(int argc, char **argv, struct dvkload_opts *o, int slow_set)
{
	if (optind < argc) {
		fprintf(stderr, "dvkload: unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	if (o->slow >= o->servers) {
		if (slow_set) {
			fprintf(stderr, "dvkload: --slow: must be less than --servers (%ld): "
				"server 0 is never slow\n", o->servers);
			return 2;
		}
		o->slow = o->servers - 1;	/* the default adapts to few servers */
	}
	return 0;
}

/* Run the workloads of o->mode until the stop flag; the exit status. */
static int run(const struct dvkload_opts *o)
{
	int status = 0;

	if (o->mode & MODE_IPC) {
		status = ipc_start(o);
		if (status)
			return status;
	}
	if (o->seconds)
		alarm((unsigned int)o->seconds);
	if ((o->mode & MODE_CALLS) && calls_start(o)) {
		dvkload_stop = 1;
		status = 1;
	}
	if (o->mode & MODE_IPC)
		ipc_supervise();
	if (o->mode & MODE_CALLS) {
		long calls, errors;

		calls_finish(&calls, &errors);
		if (!status)
			printf("dvkload: %ld calls, %ld failed on purpose\n", calls, errors);
	}
	if (o->mode & MODE_IPC) {
		int st = ipc_finish();

		if (!status)
			status = st;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct dvkload_opts o = {
		.mode = MODE_CALLS, .rate = 200, .workers = 2, .error_pct = 5,
		.servers = 4, .clients = 6, .slow = 2, .slow_ms = 20, .copy_bytes = 4096,
		.lifetime_ms = 3000, .dcid = 0, .ep_base = 1, .user_base = -1,
	};
	struct sigaction sa;
	int status, slow_set = 0;

	status = parse_options(argc, argv, &o, &slow_set);
	if (status >= 0)
		return status;
	status = check_options(argc, argv, &o, slow_set);
	if (status)
		return status;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits end with EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	return run(&o);
}
