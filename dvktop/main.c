// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dvktop's command line: parse the options, open the data source,
 * run the view (ncurses, or batch text/JSON), clean up.
 *
 * Exit status: 0 on success (also after SIGINT/SIGTERM, which end the view
 * cleanly), 1 if the source cannot be opened or read, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dvktop.h"

volatile sig_atomic_t dvktop_stop;

uint64_t dvktop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void on_signal(int sig)
{
	(void)sig;
	dvktop_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvktop [OPTION]...\n"
		"Live view of DVK calls: counts, rates, errors and latencies per call,\n"
		"from the dvk:dvk_call_exit trace event (BPF), with the DVS header of\n"
		"/proc/dvs/info; the endpoints and their queues; the proxies' traffic per\n"
		"peer node.  Needs dvk.ko loaded and root (BPF, debugfs).\n"
		"\n"
		"  -d, --delay SECS      refresh every SECS seconds (default 1.0; > 0)\n"
		"  -n, --iterations N    stop after N refreshes (default 0 = forever)\n"
		"  -b, --batch           plain text on stdout, one block per refresh\n"
		"  -j, --json            batch mode, one JSON object per line\n"
		"  -p, --pid PID         count only the DVK calls of process PID\n"
		"  -s, --sort KEY        sort by KEY: count (default), rate, errors,\n"
		"                        p50, p99, avg, name, nr\n"
		"  -r, --reverse         reverse the sort order\n"
		"  -e, --endpoints       start in the Endpoints view\n"
		"  -E, --ep-sort KEY     sort endpoints by KEY: queue (default), oldest,\n"
		"                        rate, in, out, wait, copied, ep, name\n"
		"  -P, --proxies         start in the Proxies view (traffic per peer node)\n"
		"  -X, --px-sort KEY     sort proxies by KEY: node (default), bytes, msgs,\n"
		"                        queue, errors\n"
		"  -v, --verbose         show libbpf's messages\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Keys: q quit, h/? help, c calls view, e endpoints view, P/x proxies view,\n"
		"Tab next view, s sort column, r reverse, / filter, space/p pause,\n"
		"+/- refresh delay, arrows/PgUp/PgDn scroll; in the endpoints view\n"
		"1 queue, 2 oldest, 3 rate; in the proxies view 1 node, 2 bytes, 3 queue.\n"
		"COUNT and ERRORS are since dvktop started, RATE/s over the last interval,\n"
		"P50/P99 are estimated from log2 latency histograms, AVG is the mean.\n");
}

static void bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "dvktop: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dvktop --help' for more information.\n");
	exit(2);
}

static double parse_delay(const char *s)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(d) || d <= 0 || d > 86400)
		bad_usage("invalid delay '%s': expected seconds > 0 (e.g. 1 or 0.5)", s);
	return d;
}

static long parse_long(const char *s, long min, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > INT_MAX) {
		fprintf(stderr, "dvktop: invalid %s '%s': expected an integer >= %ld\n", what, s,
			min);
		fprintf(stderr, "Try 'dvktop --help' for more information.\n");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "endpoints", no_argument, NULL, 'e' },
		{ "ep-sort", required_argument, NULL, 'E' },
		{ "proxies", no_argument, NULL, 'P' },
		{ "px-sort", required_argument, NULL, 'X' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct dvktop_config cfg = { .delay_s = 1.0, .sort = DVK_SORT_COUNT,
				     .ep_sort = DVK_EP_SORT_QUEUE };
	struct dvk_source src = { .ops = &dvk_source_live_ops };
	struct dvk_source_opts sopts;
	struct sigaction sa;
	int opt, key, status;

	while ((opt = getopt_long(argc, argv, "d:n:bjp:s:reE:PX:vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			cfg.delay_s = parse_delay(optarg);
			break;
		case 'n':
			cfg.iterations = parse_long(optarg, 0, "iteration count");
			break;
		case 'b':
			cfg.batch = 1;
			break;
		case 'j':
			cfg.json = 1;
			cfg.batch = 1;
			break;
		case 'p':
			cfg.pid = (int)parse_long(optarg, 1, "pid");
			break;
		case 's':
			key = dvk_table_key_parse(&dvk_calls_class, optarg);
			if (key < 0)
				bad_usage("unknown sort key '%s' (count, rate, errors, p50, p99, "
					  "avg, name, nr)", optarg);
			cfg.sort = (enum dvk_sort_key)key;
			break;
		case 'r':
			cfg.reverse = 1;
			break;
		case 'e':
			cfg.endpoints = 1;
			cfg.proxies = 0;	/* the last of -e and -P wins */
			break;
		case 'E':
			key = dvk_table_key_parse(&dvk_ep_class, optarg);
			if (key < 0)
				bad_usage("unknown endpoint sort key '%s' (queue, oldest, rate, in, "
					  "out, wait, copied, ep, name)", optarg);
			cfg.ep_sort = (enum dvk_ep_sort_key)key;
			break;
		case 'P':
			cfg.proxies = 1;
			cfg.endpoints = 0;
			break;
		case 'X':
			key = dvk_table_key_parse(&dvk_px_class, optarg);
			if (key < 0)
				bad_usage("unknown proxies sort key '%s' (node, bytes, msgs, queue, "
					  "errors)", optarg);
			cfg.px_sort = (enum dvk_px_sort_key)key;
			break;
		case 'v':
			cfg.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("dvktop %s\n", DVKTOP_VERSION);
			return 0;
		default:	/* getopt_long has said what was wrong */
			fprintf(stderr, "Try 'dvktop --help' for more information.\n");
			return 2;
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (!cfg.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "dvktop: not a terminal (use -b or --json for batch mode)\n");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: sleeps wake up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	sopts.filter_pid = cfg.pid;
	sopts.verbose = cfg.verbose;
	if (src.ops->open(&src, &sopts))
		return 1;

	if (cfg.batch) {
		status = dvktop_view_batch(&src, &cfg);
	} else {
		setlocale(LC_CTYPE, "");	/* ncursesw; numbers stay in the C locale */
		status = dvktop_view_tui(&src, &cfg);
	}
	src.ops->close(&src);
	return status;
}
