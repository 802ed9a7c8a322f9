// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dvktop's command line: parse the options, open the data source
 * (live, live and recorded with --record, or a replay with -r), run the
 * view (ncurses, or batch text/JSON), clean up.
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dvktop.h"
#include "record.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

volatile sig_atomic_t dvktop_stop;

static void on_signal(int sig)
{
	(void)sig;
	dvktop_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvktop [OPTION]...\n"
		"       dvktop -r RECORDING [OPTION]...\n"
		"Live view of DVK calls: counts, rates, errors and latencies per call,\n"
		"from the dvk:dvk_call_exit trace event (BPF), with the DVS header of\n"
		"/proc/dvs/info; the endpoints and their queues; the proxies' traffic per\n"
		"peer node; who waits on whom (and the deadlocks).  Needs dvk.ko loaded\n"
		"and root (BPF, debugfs); a replay (-r) needs neither.\n"
		"\n"
		"  -d, --delay SECS      refresh every SECS seconds (default 1.0; > 0)\n"
		"  -n, --iterations N    stop after N refreshes (default 0 = forever)\n"
		"  -b, --batch           plain text on stdout, one block per refresh\n"
		"  -j, --json            batch mode, one JSON object per line\n"
		"  -p, --pid PID         count only the DVK calls of process PID\n"
		"  -s, --sort KEY        sort by KEY: count (default), rate, errors,\n"
		"                        p50, p99, avg, name, nr\n"
		"  -R, --reverse         reverse the sort order\n"
		"  -e, --endpoints       start in the Endpoints view\n"
		"  -E, --ep-sort KEY     sort endpoints by KEY: queue (default), oldest,\n"
		"                        rate, in, out, wait, copied, ep, name\n"
		"  -P, --proxies         start in the Proxies view (traffic per peer node)\n"
		"  -X, --px-sort KEY     sort proxies by KEY: node (default), bytes, msgs,\n"
		"                        queue, errors\n"
		"  -w, --waits           start in the Waits view (who waits on whom)\n"
		"  -r, --replay PATH     replay a recording: a dvk-capture archive or\n"
		"                        directory, or a samples file of --record\n"
		"      --record FILE     also write every sample to FILE (JSON lines)\n"
		"      --record-rotate N after N samples in FILE, move it to FILE.1\n"
		"  -v, --verbose         show libbpf's messages (and the recording's cost)\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Keys: q quit, h/? help, c calls view, e endpoints view, P/x proxies view,\n"
		"w waits view, Tab next view, s sort column, r reverse, / filter, space/p pause,\n"
		"+/- refresh delay, arrows/PgUp/PgDn scroll; in the endpoints view\n"
		"1 queue, 2 oldest, 3 rate; in the proxies view 1 node, 2 bytes, 3 queue.\n"
		"Replay keys: space/p pause, . or Right next sample, , or Left previous,\n"
		"g go to a time (HH:MM:SS or +SECONDS), < slower, > faster.\n"
		"COUNT and ERRORS are since dvktop started, RATE/s over the last interval,\n"
		"P50/P99 are estimated from log2 latency histograms, AVG is the mean.\n");
}

/* the long options without a short one */
enum { OPT_RECORD = 256, OPT_RECORD_ROTATE };

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

/* The sort-key options: the key names come from the view's table class. */
static const struct {
	int opt;
	const struct dvk_table_class *cls;
	const char *what;	/* for the error message */
	size_t field;		/* the int it sets in struct dvktop_config */
} sort_opts[] = {
	{ 's', &dvk_calls_class, "sort key", offsetof(struct dvktop_config, sort) },
	{ 'E', &dvk_ep_class, "endpoint sort key", offsetof(struct dvktop_config, ep_sort) },
	{ 'X', &dvk_px_class, "proxies sort key", offsetof(struct dvktop_config, px_sort) },
};

/* 1 if opt is a sort-key option (then arg is set in cfg, or dvktop exits 2) */
static int parse_sort_opt(int opt, const char *arg, struct dvktop_config *cfg)
{
	for (size_t i = 0; i < sizeof(sort_opts) / sizeof(sort_opts[0]); i++) {
		const struct dvk_table_class *cls = sort_opts[i].cls;
		char fmt[256];
		int key;

		if (sort_opts[i].opt != opt)
			continue;
		key = dvk_table_key_parse(cls, arg);
		if (key >= 0) {
			*(int *)((char *)cfg + sort_opts[i].field) = key;
			return 1;
		}
		snprintf(fmt, sizeof(fmt), "unknown %s '%%s' (", sort_opts[i].what);
		for (int k = 0; k < cls->ncolumns; k++)
			snprintf(fmt + strlen(fmt), sizeof(fmt) - strlen(fmt), "%s%s", k ? ", " : "",
				 dvk_table_key_name(cls, k));
		snprintf(fmt + strlen(fmt), sizeof(fmt) - strlen(fmt), ")");
		bad_usage(fmt, arg);
	}
	return 0;
}

/* The options into cfg; exits after --help and --version, or on bad usage. */
/* Options that make no sense together (status 2). */
static void check_combinations(const struct dvktop_config *cfg)
{
	if (cfg->replay && cfg->record)
		bad_usage("%s", "--record records the live source, not a replay (-r)");
	if (cfg->replay && cfg->pid)
		bad_usage("%s", "-p filters the live source: a replay shows what was recorded");
	if (cfg->record_rotate && !cfg->record)
		bad_usage("%s", "--record-rotate needs --record FILE");
}

static void parse_args(int argc, char **argv, struct dvktop_config *cfg)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "pid", required_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'R' },
		{ "replay", required_argument, NULL, 'r' },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ "record-rotate", required_argument, NULL, OPT_RECORD_ROTATE },
		{ "endpoints", no_argument, NULL, 'e' },
		{ "ep-sort", required_argument, NULL, 'E' },
		{ "proxies", no_argument, NULL, 'P' },
		{ "px-sort", required_argument, NULL, 'X' },
		{ "waits", no_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "d:n:bjp:s:r:ReE:PX:wvhV", longopts, NULL)) != -1) {
		if (parse_sort_opt(opt, optarg, cfg))
			continue;
		switch (opt) {
		case 'd':
			cfg->delay_s = parse_delay(optarg);
			break;
		case 'n':
			cfg->iterations = parse_long(optarg, 0, "iteration count");
			break;
		case 'b':
		case 'j':	/* JSON is a batch mode */
			cfg->batch = 1;
			cfg->json |= opt == 'j';
			break;
		case 'p':
			cfg->pid = (int)parse_long(optarg, 1, "pid");
			break;
		case 'R':
			cfg->reverse = 1;
			break;
		case 'r':
			cfg->replay = optarg;
			break;
		case OPT_RECORD:
			cfg->record = optarg;
			break;
		case OPT_RECORD_ROTATE:
			cfg->record_rotate = parse_long(optarg, 1, "record rotation count");
			break;
		case 'e':
		case 'P':
		case 'w':	/* the last of -e, -P and -w wins */
			cfg->endpoints = opt == 'e';
			cfg->proxies = opt == 'P';
			cfg->waits = opt == 'w';
			break;
		case 'v':
			cfg->verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("dvktop %s\n", DVK_PACKAGE_VERSION);
			exit(0);
		default:	/* getopt_long has said what was wrong */
			fprintf(stderr, "Try 'dvktop --help' for more information.\n");
			exit(2);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	check_combinations(cfg);
}

/* The source of cfg into src: live, live recorded, or a replay. */
static int setup_source(struct dvk_source *src, const struct dvktop_config *cfg)
{
	src->ops = cfg->replay ? &dvk_source_replay_ops : &dvk_source_live_ops;
	if (cfg->record && dvk_record_setup(src, &dvk_source_live_ops, cfg->record,
					    cfg->record_rotate)) {
		fprintf(stderr, "dvktop: out of memory\n");
		return -1;
	}
	return 0;
}

struct dvk_model *dvktop_model_new(const struct dvktop_config *cfg)
{
	struct dvk_model *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	dvk_model_init(m);
	m->calls.sort = cfg->sort;
	m->calls.reverse = cfg->reverse;
	m->eps.sort = cfg->ep_sort;
	m->pxs.sort = cfg->px_sort;
	return m;
}

/* SIGINT and SIGTERM end the view cleanly (no SA_RESTART: sleeps wake up). */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int main(int argc, char **argv)
{
	struct dvktop_config cfg = { .delay_s = 1.0, .sort = DVK_SORT_COUNT,
				     .ep_sort = DVK_EP_SORT_QUEUE };
	struct dvk_source src = { 0 };
	struct dvk_source_opts sopts;
	int status;

	parse_args(argc, argv, &cfg);
	if (!cfg.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "dvktop: not a terminal (use -b or --json for batch mode)\n");
		return 1;
	}
	catch_signals();
	sopts.filter_pid = cfg.pid;
	sopts.verbose = cfg.verbose;
	sopts.path = cfg.replay;
	if (setup_source(&src, &cfg))
		return 1;
	if (src.ops->open(&src, &sopts)) {
		src.ops->close(&src);
		return 1;
	}
	if (cfg.batch) {
		status = dvktop_view_batch(&src, &cfg);
	} else {
		setlocale(LC_CTYPE, "");	/* ncursesw; numbers stay in the C locale */
		status = dvktop_view_tui(&src, &cfg);
	}
	src.ops->close(&src);
	return status;
}
