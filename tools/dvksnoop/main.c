// SPDX-License-Identifier: GPL-2.0
/*
 * dvksnoop - print DVK calls as they happen, one line each, in the style
 * of bcc's libbpf-tools (execsnoop, opensnoop).
 *
 * One skeleton lifecycle (bpf/dvksnoop.bpf.c): open, set the filters
 * (rodata) and the ring size, load, attach (dvk_call_exit first, so that a
 * call seen entering is always seen returning), poll the ring buffer, destroy.
 * Records the ring had no room for are counted by the BPF programs and
 * reported, in the output as they happen and on stderr at the end.
 *
 * Exit status: 0 (also after SIGINT/SIGTERM, -t or -c), 1 when it cannot
 * run (not root, dvk.ko not loaded, BPF load/attach failed), 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "dvksnoop.skel.h"
#include "dvksnoop_tool.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

#define BADOPT "dvksnoop: %s wants an integer in %ld..%ld, got '%s'\n"

static volatile sig_atomic_t stop;
static int verbose;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvksnoop [OPTION]...\n"
		"Print DVK calls as they return, one line each: time, node, process, DC,\n"
		"source -> destination endpoint, call, message id, latency and result.\n"
		"Needs root and dvk.ko loaded.  Ctrl-C ends it.\n"
		"\n"
		"  -d, --dc DC          only calls in DC (known from their messages)\n"
		"  -e, --endpoint EP    only calls whose source or destination is EP\n"
		"  -p, --pid PID        only the calls of process PID\n"
		"  -x, --errors         only failed calls\n"
		"      --min-ms MS      only calls that took at least MS milliseconds\n"
		"  -j, --json           one JSON object per line\n"
		"  -t, --duration SECS  end after SECS seconds\n"
		"  -c, --count N        end after N calls printed\n"
		"  -v, --verbose        show libbpf's messages\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Test options: --ring-size BYTES (a power of 2, >= 4096; default 1 MiB),\n"
		"--stall-ms MS (wait MS before reading the ring, to force losses).\n"
		"Lines, fields and what a lost record means: docs/probes.md.\n");
}

enum { OPT_MIN_MS = 256, OPT_RING, OPT_STALL };

static const struct option long_opts[] = {
	{ "dc", required_argument, NULL, 'd' },
	{ "endpoint", required_argument, NULL, 'e' },
	{ "pid", required_argument, NULL, 'p' },
	{ "errors", no_argument, NULL, 'x' },
	{ "min-ms", required_argument, NULL, OPT_MIN_MS },
	{ "json", no_argument, NULL, 'j' },
	{ "duration", required_argument, NULL, 't' },
	{ "count", required_argument, NULL, 'c' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "ring-size", required_argument, NULL, OPT_RING },
	{ "stall-ms", required_argument, NULL, OPT_STALL },
	{ 0 }
};

static void parse_args(int argc, char **argv, struct snoop_opts *o)
{
	int c;

	*o = (struct snoop_opts){ .dcid = DVKSNOOP_NONE, .ep = DVKSNOOP_NONE,
				  .ring_size = DVKSNOOP_RING_SIZE };
	while ((c = getopt_long(argc, argv, "d:e:p:xjt:c:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dcid = (int32_t)cli_long(BADOPT, "-d", optarg, 10, 0, NR_DCS - 1); break;
		case 'e': o->ep = (int32_t)cli_long(BADOPT, "-e", optarg, 10, -NR_TASKS, 1 << 20); break;
		case 'p': o->pid = (int32_t)cli_long(BADOPT, "-p", optarg, 10, 1, 1 << 30); break;
		case 'x': o->errors_only = 1; break;
		case OPT_MIN_MS:
			o->min_ns = (uint64_t)cli_long(BADOPT, "--min-ms", optarg, 10, 0, 86400000) *
				    1000000;
			break;
		case 'j': o->json = 1; break;
		case 't': o->duration_s = cli_long(BADOPT, "-t", optarg, 10, 1, 86400 * 365); break;
		case 'c': o->count = cli_long(BADOPT, "-c", optarg, 10, 1, 1L << 40); break;
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("dvksnoop %s\n", DVK_PACKAGE_VERSION); exit(0);
		case OPT_RING: o->ring_size = cli_long(BADOPT, "--ring-size", optarg, 0, 4096, 1L << 30); break;
		case OPT_STALL: o->stall_ms = cli_long(BADOPT, "--stall-ms", optarg, 10, 0, 3600000); break;
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "dvksnoop: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
	if (o->ring_size & (o->ring_size - 1)) {
		fprintf(stderr, "dvksnoop: --ring-size must be a power of 2, got %ld\n", o->ring_size);
		exit(2);
	}
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!verbose && level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* The errors a user can fix, said before libbpf's. */
static int preflight(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "dvksnoop: needs root (it loads BPF programs)\n");
		return -1;
	}
	if (access("/sys/kernel/tracing/events/dvk", F_OK) &&
	    access("/sys/module/dvk", F_OK)) {
		fprintf(stderr, "dvksnoop: dvk.ko is not loaded (insmod kernel/dvk.ko)\n");
		return -1;
	}
	return 0;
}

/* open, filters, load, attach: 0 or -1 (said why) */
static int snoop_start(struct dvksnoop_bpf **skelp, const struct snoop_opts *o)
{
	struct dvksnoop_bpf *skel = dvksnoop_bpf__open();
	int err;

	*skelp = skel;
	if (!skel) {
		fprintf(stderr, "dvksnoop: cannot open the BPF program: %s\n", strerror(errno));
		return -1;
	}
	skel->rodata->filter_tgid = o->pid;
	skel->rodata->filter_dcid = o->dcid;
	skel->rodata->filter_ep = o->ep;
	skel->rodata->errors_only = (uint8_t)o->errors_only;
	skel->rodata->min_ns = o->min_ns;
	bpf_map__set_max_entries(skel->maps.events, (uint32_t)o->ring_size);
	/* attached by hand, first: then every call seen entering is seen returning */
	bpf_program__set_autoattach(skel->progs.dvk_call_exit, false);
	err = dvksnoop_bpf__load(skel);
	if (err) {
		fprintf(stderr, "dvksnoop: cannot load the BPF program: %s\n", strerror(-err));
		return -1;
	}
	skel->links.dvk_call_exit = bpf_program__attach(skel->progs.dvk_call_exit);
	err = skel->links.dvk_call_exit ? dvksnoop_bpf__attach(skel) : -errno;
	if (err) {
		fprintf(stderr, "dvksnoop: cannot attach to the dvk:* events: %s "
			"(is dvk.ko loaded?)\n", strerror(-err));
		return -1;
	}
	return 0;
}

struct ctx {
	struct snoop_out out;
	long count;
};

#define COUNT_REACHED	(-ECANCELED)

static int on_event(void *data, void *rec, size_t len)
{
	struct ctx *c = data;

	if (len < sizeof(struct dvksnoop_event))
		return 0;
	snoop_print_event(&c->out, rec);
	if (c->count && c->out.lines >= (uint64_t)c->count)
		return COUNT_REACHED;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Poll until a signal, -t or -c; then drain the ring. 0 or -1. */
static int snoop_loop(struct dvksnoop_bpf *skel, struct ring_buffer *rb, struct ctx *c,
		      const struct snoop_opts *o)
{
	double end = o->duration_s ? now_s() + (double)o->duration_s : 0, node_at = now_s();
	int err = 0;

	while (!stop && (!end || now_s() < end)) {
		/*
		 * The programs wake us once every DVKSNOOP_WAKE_EVERY records, and
		 * poll() consumes only a ring that woke it: read the rest at least
		 * every 0.1 s.
		 */
		err = ring_buffer__poll(rb, 100);
		if (err >= 0)
			err = ring_buffer__consume(rb);
		if (err == COUNT_REACHED)
			return 0;
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "dvksnoop: reading the ring buffer: %s\n", strerror(-err));
			return -1;
		}
		snoop_print_lost(&c->out, __atomic_load_n(&skel->bss->lost, __ATOMIC_RELAXED));
		fflush(c->out.f);
		if (c->out.node < 0 && now_s() - node_at >= 1) {
			snoop_out_node(&c->out);	/* the DVS may have started since */
			node_at = now_s();
		}
	}
	err = ring_buffer__consume(rb);	/* what was made before the end */
	if (err < 0 && err != COUNT_REACHED)
		return -1;
	snoop_print_lost(&c->out, __atomic_load_n(&skel->bss->lost, __ATOMIC_RELAXED));
	return 0;
}

int main(int argc, char **argv)
{
	struct dvksnoop_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct snoop_opts o;
	struct ctx c = { 0 };
	int rc = 1;

	parse_args(argc, argv, &o);
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	if (preflight() || snoop_start(&skel, &o))
		goto out;
	c.count = o.count;
	snoop_out_init(&c.out, stdout, o.json);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &c, NULL);
	if (!rb) {
		fprintf(stderr, "dvksnoop: cannot read the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	snoop_print_header(&c.out);
	fprintf(stderr, "dvksnoop: tracing DVK calls (Ctrl-C to end)\n");
	if (o.stall_ms)
		usleep((useconds_t)o.stall_ms * 1000);
	rc = snoop_loop(skel, rb, &c, &o) ? 1 : 0;
	fflush(stdout);
	fprintf(stderr, "dvksnoop: %" PRIu64 " calls printed, %" PRIu64 " lost",
		c.out.lines, (uint64_t)__atomic_load_n(&skel->bss->lost, __ATOMIC_RELAXED));
	if (skel->bss->collisions)
		fprintf(stderr, ", %" PRIu64 " untimed by tid collisions",
			(uint64_t)skel->bss->collisions);
	fprintf(stderr, "\n");
out:
	ring_buffer__free(rb);
	dvksnoop_bpf__destroy(skel);
	return rc;
}
