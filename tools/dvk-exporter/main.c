// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dvk-exporter: DVK's statistics for Prometheus.  Parses the
 * options, binds the listening socket (so that a bad address or a port in
 * use is said plainly, before the slow BPF set-up), opens dvktop's live
 * source, serves until SIGINT/SIGTERM (server.c).
 *
 * Exit status: 0 after SIGINT/SIGTERM, 1 if the socket or the source
 * cannot be set up, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "exporter.h"
#include "cli.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

struct options {
	char host[256];		/* "" = every address */
	char port[8];
	int max_endpoints;
	int verbose;
	const char *replay;	/* --replay: a recording instead of the live source */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvk-exporter [OPTION]...\n"
		"Serve DVK's statistics (calls, errors, latency histograms, endpoint queues,\n"
		"proxy links, bind waiters) for Prometheus at http://ADDR:PORT/metrics, in the\n"
		"OpenMetrics text format when the scraper asks for it, else Prometheus' text\n"
		"format 0.0.4.  Reads the same BPF maps and debugfs views as dvktop: needs\n"
		"dvk.ko loaded and root (BPF, debugfs).  Metrics: docs/metrics.md.\n"
		"\n"
		"  -l, --listen ADDR:PORT  listen there (default :%d, every address;\n"
		"                          IPv6 as [ADDR]:PORT; ADDR is numeric)\n"
		"  -m, --max-endpoints N   write at most N endpoints' series (default %d,\n"
		"                          at most %d); the rest are counted in\n"
		"                          dvk_exporter_endpoints_omitted\n"
		"  -r, --replay PATH       serve a recording instead of this node: the samples\n"
		"                          file dvktop records, or a dvk-capture archive,\n"
		"                          one sample a scrape, then the last one again\n"
		"                          (no dvk.ko or root needed: dashboards, tests)\n"
		"  -v, --verbose           show libbpf's messages\n"
		"  -h, --help              show this help and exit\n"
		"  -V, --version           show the version and exit\n",
		DVK_EXPORTER_PORT, DVK_MAX_ENDPOINTS, DVK_MAX_ENDPOINTS);
}

static void bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "dvk-exporter: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dvk-exporter --help' for more information.\n");
	exit(2);
}

/* "ADDR:PORT", ":PORT" or "[V6]:PORT" into o->host, o->port (or exit 2). */
static void parse_listen(const char *s, struct options *o)
{
	const char *colon = strrchr(s, ':');
	const char *h = s, *he;
	char *end;
	long port;

	if (!colon)
		bad_usage("invalid --listen '%s': expected ADDR:PORT, :PORT or [ADDR]:PORT", s);
	he = colon;
	if (*s == '[') {
		if (colon == s || colon[-1] != ']')
			bad_usage("invalid --listen '%s': an IPv6 address is written [ADDR]:PORT", s);
		h = s + 1;
		he = colon - 1;
	}
	if ((size_t)(he - h) >= sizeof(o->host))
		bad_usage("invalid --listen '%s': address too long", s);
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || errno || port < 1 || port > 65535)
		bad_usage("invalid --listen '%s': the port must be a number from 1 to 65535", s);
	memcpy(o->host, h, (size_t)(he - h));
	o->host[he - h] = '\0';
	snprintf(o->port, sizeof(o->port), "%ld", port);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "max-endpoints", required_argument, NULL, 'm' },
		{ "replay", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "l:m:r:vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			parse_listen(optarg, o);
			break;
		case 'm':
			o->max_endpoints = (int)cli_long("dvk-exporter: invalid %1$s '%4$s': expected "
							 "%2$ld to %3$ld\nTry 'dvk-exporter "
							 "--help' for more information.\n",
							 "--max-endpoints", optarg, 10, 0,
							 DVK_MAX_ENDPOINTS);
			break;
		case 'r':
			o->replay = optarg;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("dvk-exporter %s (metrics schema %s)\n", DVK_PACKAGE_VERSION,
			       DVK_EXPO_SCHEMA);
			exit(0);
		default:	/* getopt_long has said what was wrong */
			fprintf(stderr, "Try 'dvk-exporter --help' for more information.\n");
			exit(2);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
}

/* A listening TCP socket on o's address; -2: not an address (exit status
 * 2), -1: cannot listen there (status 1); both said on stderr. */
static int listen_socket(const struct options *o)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	int fd, one = 1, err;

	/* ":PORT": every address, IPv4 (Prometheus' usual "host:port" targets) */
	hints.ai_family = o->host[0] ? AF_UNSPEC : AF_INET;
	err = getaddrinfo(o->host[0] ? o->host : NULL, o->port, &hints, &ai);
	if (err) {
		fprintf(stderr, "dvk-exporter: invalid --listen address '%s': %s (a numeric "
			"IPv4 or IPv6 address is expected)\n", o->host, gai_strerror(err));
		return -2;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		fprintf(stderr, "dvk-exporter: cannot listen on %s%s%s:%s: %s\n",
			strchr(o->host, ':') ? "[" : "", o->host, strchr(o->host, ':') ? "]" : "",
			o->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* Block SIGINT/SIGTERM in every thread (the server's inherits it): main sigwaits. */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
	struct options o = { .max_endpoints = DVK_MAX_ENDPOINTS };
	struct exporter e = { 0 };
	struct dvk_source_opts sopts = { 0 };
	sigset_t set;
	int fd, sig, status = 1;

	snprintf(o.port, sizeof(o.port), "%d", DVK_EXPORTER_PORT);
	parse_args(argc, argv, &o);
	fd = listen_socket(&o);
	if (fd < 0)
		return -fd;
	block_signals(&set);
	e.max_endpoints = o.max_endpoints;
	e.sample = malloc(sizeof(*e.sample));
	e.model = malloc(sizeof(*e.model));
	if (!e.sample || !e.model) {
		fprintf(stderr, "dvk-exporter: out of memory\n");
		goto out;
	}
	dvk_model_init(e.model);
	sopts.verbose = o.verbose;
	sopts.path = o.replay;
	e.src.ops = o.replay ? &dvk_source_replay_ops : &dvk_source_live_ops;
	if (e.src.ops->open(&e.src, &sopts))	/* it said why */
		goto out;
	if (server_start(&e, fd))
		goto out;
	fd = -1;	/* the daemon's now: MHD_stop_daemon closes it */
	fprintf(stderr, "dvk-exporter %s: serving http://%s%s%s:%s/metrics\n", DVK_PACKAGE_VERSION,
		strchr(o.host, ':') ? "[" : "", o.host[0] ? o.host : "0.0.0.0",
		strchr(o.host, ':') ? "]" : "", o.port);
	if (sigwait(&set, &sig) == 0)
		fprintf(stderr, "dvk-exporter: %s, stopping after %llu scrapes\n", strsignal(sig),
			(unsigned long long)e.scrapes);
	status = 0;
out:
	server_stop(&e);
	e.src.ops->close(&e.src);
	if (fd >= 0)
		close(fd);
	free(e.sample);
	free(e.model);
	return status;
}
