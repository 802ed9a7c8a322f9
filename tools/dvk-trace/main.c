// SPDX-License-Identifier: GPL-2.0
/*
 * dvk-trace - DVK support captures (dvk-capture archives) of one or more
 * nodes -> one timeline: a Chrome/Perfetto trace-event JSON, a text summary,
 * the nodes' clock offsets.  docs/support.md, "Timelines in Perfetto".
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <trace-cmd.h>

#include "dvk-trace.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */


static const char usage_text[] =
"usage: dvk-trace perfetto [-o OUT.json] [--edge-ms MS] [--ref NODE] ARCHIVE...\n"
"       dvk-trace summary [-n TOP] [--edge-ms MS] [--ref NODE] ARCHIVE...\n"
"       dvk-trace offsets [--ref NODE] ARCHIVE...\n"
"\n"
"ARCHIVE: a dvk-capture archive (.tar.gz, .tar.zst), the directory it unpacks\n"
"to, or a directory holding one; one per node (their manifests' node.id differ).\n"
"\n"
"perfetto  write a Chrome/Perfetto trace-event JSON (ui.perfetto.dev,\n"
"          chrome://tracing) to OUT (default: stdout): a process per node and\n"
"          DC, a track per endpoint (other threads, e.g. the proxies, one each),\n"
"          slices for calls and blocked time, an arrow for every step of every\n"
"          message: send > receive on one node; send > enqueue > get > put >\n"
"          receive and the ACK's enqueue > get > ack across nodes, joined by id\n"
"summary   the slowest messages with their path, errors by call and endpoint,\n"
"          the deepest queues\n"
"offsets   only the clock offsets\n"
"\n"
"Time: each node's trace (CLOCK_MONOTONIC) goes to its CLOCK_REALTIME through\n"
"its manifest's clock pairs; then each node's offset against the reference\n"
"node (--ref, default the lowest node id) is estimated from the commands that\n"
"crossed the link between them (NTP's minimum-delay method: every crossing\n"
"bounds the offset; the middle of the bounds is applied, half their width is\n"
"the uncertainty) and printed on stderr and in the JSON's otherData.\n"
"\n"
"  -o, --output FILE   perfetto: where to write (default -)\n"
"  -n, --top N         summary: rows per table (default 10)\n"
"      --edge-ms MS    a cross-node message seen on one node only counts as cut\n"
"                      by a window's edge when it is within MS of the other\n"
"                      node's window start or end (default 1000)\n"
"      --ref NODE      the reference clock's node id\n"
"  -q, --quiet         perfetto: no offsets on stderr\n"
"  -h, --help, -V, --version\n"
"Exit status: 0, 1 when an archive cannot be read, 2 on bad usage.\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
}

struct opts {
	const char *out;
	int top, ref, quiet;
	int64_t edge_ns;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' }, { "top", required_argument, NULL, 'n' },
		{ "edge-ms", required_argument, NULL, 'e' }, { "ref", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 } };
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "o:n:qhV", lo, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("dvk-trace %s\n", DVK_PACKAGE_VERSION); exit(0);
		case 'n': case 'e': case 'r':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > INT_MAX / 2) {
				fprintf(stderr, "dvk-trace: bad number '%s'\n", optarg);
				return -1;
			}
			if (c == 'n')
				o->top = (int)v;
			else if (c == 'e')
				o->edge_ns = v * 1000000LL;
			else
				o->ref = (int)v;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int load_all(struct dt_timeline *tl, char **paths, int n, int ref)
{
	char err[512];
	int k, i;

	for (k = 0; k < n; k++) {
		if (k == DT_MAX_NODES) {
			fprintf(stderr, "dvk-trace: at most %d archives\n", DT_MAX_NODES);
			return -1;
		}
		if (dt_load(paths[k], &tl->nodes[k], err, sizeof(err))) {
			fprintf(stderr, "dvk-trace: %s\n", err);
			return -1;
		}
		tl->nnodes = k + 1;
		for (i = 0; i < k; i++)
			if (tl->nodes[i].node == tl->nodes[k].node) {
				fprintf(stderr, "dvk-trace: %s and %s are both node %d\n",
					tl->nodes[i].path, paths[k], tl->nodes[k].node);
				return -1;
			}
	}
	tl->ref = 0;
	for (k = 0; k < tl->nnodes; k++)
		if (ref >= 0 ? tl->nodes[k].node == ref : tl->nodes[k].node < tl->nodes[tl->ref].node)
			tl->ref = k;
	if (ref >= 0 && tl->nodes[tl->ref].node != ref) {
		fprintf(stderr, "dvk-trace: --ref %d: no archive of that node\n", ref);
		return -1;
	}
	return 0;
}

/*
 * Each node's window: the part of its manifest's window that its trace
 * covers (the tool takes the clock pairs before the recorder starts and
 * after it stops; a busy node's trace-cmd may take seconds to start), i.e.
 * from its first to its last event.  Also the JSON's time 0.
 */
static void finish_times(struct dt_timeline *tl)
{
	int64_t lo = INT64_MAX;
	int k;

	for (k = 0; k < tl->nnodes; k++) {
		struct dt_node *n = &tl->nodes[k];

		/* a flight archive has no window start: its ring's first event is */
		int64_t span = n->win_start ? n->win_end - n->win_start : 0;

		if (n->n && (!n->win_start || n->win_start < n->ev[0].mono))
			n->win_start = n->ev[0].mono;
		if (n->n && (!n->win_end || n->win_end > n->ev[n->n - 1].mono))
			n->win_end = n->ev[n->n - 1].mono;
		if (span > 0 && (n->win_end - n->win_start) * 2 < span)
			fprintf(stderr, "dvk-trace: warning: %s: the trace covers %.3f s of the %.3f s window (a quiet node, or the recorder lost events)\n",
				n->path, (double)(n->win_end - n->win_start) / 1e9, (double)span / 1e9);
		if (n->n && n->ev[0].t < lo)
			lo = n->ev[0].t;
		if (dt_node_time(n, n->win_start) < lo)
			lo = dt_node_time(n, n->win_start);
	}
	tl->base = lo == INT64_MAX ? 0 : lo - lo % 1000000000;
}

static int run(const char *cmd, struct opts *o, char **paths, int n)
{
	static struct dt_timeline tl;
	struct dt_join j;
	FILE *out = stdout;
	int rc = 0, k;

	if (load_all(&tl, paths, n, o->ref)) {
		rc = 1;
		goto done;
	}
	dt_clock_apply(&tl, strcmp(cmd, "perfetto") || o->quiet ? NULL : stderr);
	finish_times(&tl);
	if (!strcmp(cmd, "offsets")) {
		dt_print_offsets(&tl, stdout);
		goto done;
	}
	if (dt_join_build(&tl, &j, o->edge_ns)) {
		fprintf(stderr, "dvk-trace: out of memory\n");
		rc = 1;
		goto done;
	}
	if (!strcmp(cmd, "summary")) {
		dt_summary(&tl, &j, o->top, stdout);
	} else {
		if (o->out && strcmp(o->out, "-") && !(out = fopen(o->out, "w"))) {
			perror(o->out);
			rc = 1;
		} else if (dt_write_perfetto(&tl, &j, out) || (out != stdout && fclose(out))) {
			fprintf(stderr, "dvk-trace: cannot write %s\n", o->out ? o->out : "-");
			rc = 1;
		}
		if (!rc && !o->quiet)
			fprintf(stderr, "dvk-trace: %zu tracks, %zu slices, %zu arrows; %ld cross-node messages, %ld joined, %ld cut at a window edge, %ld cut inside\n",
				j.ntracks, j.nslices, j.nhops, j.cross, j.joined, j.half_edge, j.half_inside);
	}
	dt_join_free(&j);
done:
	for (k = 0; k < tl.nnodes; k++)
		dt_node_free(&tl.nodes[k]);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { .top = 10, .ref = -1, .edge_ns = 1000000000LL };
	const char *cmd;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		printf("dvk-trace %s\n", DVK_PACKAGE_VERSION);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "perfetto") && strcmp(argv[1], "summary") &&
			 strcmp(argv[1], "offsets"))) {
		fprintf(stderr, "dvk-trace: %s\n", argc < 2 ? "no subcommand" : "unknown subcommand");
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (parse(argc - 1, argv + 1, &o))
		return 2;
	if (optind + 1 > argc - 1) {
		fprintf(stderr, "dvk-trace %s: no archive\n", cmd);
		return 2;
	}
	tracecmd_set_loglevel(TEP_LOG_CRITICAL);
	return run(cmd, &o, argv + 1 + optind, argc - 1 - optind);
}
