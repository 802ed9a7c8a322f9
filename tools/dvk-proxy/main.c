// SPDX-License-Identifier: GPL-2.0
/*
 * dvk-proxy - link this DVK node to one remote node over TCP, as the
 * original's proxies did (docs/original-dvk.md#the-original-proxies); frame
 * format and behaviour in docs/proxy-wire.md.
 *
 * The main thread parses the options, starts the sender and receiver
 * threads, binds them as the proxy pair (proxies_bind with their thread
 * ids) and attaches the node (node_up), then waits for signals: SIGUSR1
 * prints the counters, SIGTERM/SIGINT end the proxy cleanly
 * (proxies_unbind, which fails what waits on the node with EDVSNOTCONN).
 * SIGHUP has the sender re-key its link (with the key file as it is now).
 * Signals are blocked in every thread and taken with sigwait here, but for
 * SIGUSR2, which only interrupts the sender's get2rmt for a re-key.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "libdvk.h"
#include "../common/cli.h"
#include "handshake.h"
#include "proxy.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */


/* -1: unset, taken from the configuration file or its defaults (config.c) */
struct proxy_opts opts = {
	.local_node = -1, .node = -1, .pair = -1, .port_base = -1, .maxbytes = MAXCOPYBUF,
	.heartbeat_ms = -1, .backoff_max_ms = -1, .log_level = -1, .mode = LINK_ENCRYPT,
};
atomic_int stopping, rekey, failed;

static atomic_int tids[2];	/* sender, receiver */
static pthread_t th[2];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dvk-proxy --node ID [--peer HOST] [options]\n"
		"       dvk-proxy [--config FILE] --print-config\n"
		"Link this DVK node to remote node ID over TCP: a sender thread (get2rmt ->\n"
		"TCP to HOST:PORT_BASE+local node) and a receiver thread (TCP on\n"
		"PORT_BASE+ID -> put2lcl), bound as proxy pair PAIR for node ID.\n"
		"Settings not given here come from the node configuration file (dvk.conf(5)).\n"
		"  -n, --node ID          the remote node (required)\n"
		"  -p, --peer HOST        its address (default: the file's 'peer ID = HOST')\n"
		"  -l, --local-node N     this node (default: the file's node, else the DVS's)\n"
		"  -N, --name NAME        node name for node_up (default node<ID>)\n"
		"  -P, --pair PX          proxy pair id (default: ID)\n"
		"  -b, --port-base PORT   (default 3000)\n"
		"  -m, --maxbytes B       largest payload, 1..65536 (default 65536)\n"
		"  -H, --heartbeat MS     get2rmt timeout = heartbeat period (default 30000)\n"
		"  -B, --backoff-max MS   reconnect backoff cap (default 4000; from 100 ms)\n"
		"  -s, --stats-file FILE  write the counters there every second and at exit\n"
		"  -k, --key-file FILE    the cluster key (default " DVKCONF_KEY_FILE "; made by\n"
		"                         `dvkctl keygen FILE`, mode 600)\n"
		"  -c, --config FILE      the node configuration file (default\n"
		"                         " DVKCONF_FILE ", if it exists)\n"
		"      --print-config     print the file's settings (defaults included), exit\n"
		"  -E, --no-encrypt       authenticate the link but send it in plain text\n"
		"      --insecure-plain   no key, no authentication: anyone who reaches the\n"
		"                         port can inject commands (benchmarks only)\n"
		"  -L, --log-level LEVEL  error, warning, notice, info (default) or debug\n"
		"      --log-format FMT   auto (default: journal if stderr is the journal's\n"
		"                         stream), journal (<N> prefixes, no time) or text\n"
		"  -v, --verbose          --log-level debug: also connections and retries\n"
		"  -q, --quiet            --log-level error: only errors\n"
		"  -h, --help, -V, --version\n"
		"The key file is read again whenever it changes.  Signals: SIGUSR1 prints the\n"
		"counters, SIGHUP re-keys the link now, SIGTERM/SIGINT stop (proxies_unbind).\n");
}

static int num(const char *opt, const char *s, long lo, long hi)
{
	return (int)cli_long("dvk-proxy: %1$s: '%4$s' is not a number in %2$ld..%3$ld\n", opt, s, 0,
			     lo, hi);
}

static int log_level(const char *s)
{
	int l = dvkconf_level(s);

	if (l < 0) {
		fprintf(stderr, "dvk-proxy: --log-level: '%s' is not error, warning, notice, info "
			"or debug\n", s);
		exit(2);
	}
	return l;
}

static int log_format(const char *s)
{
	static const char *const names[] = { [LOG_FMT_AUTO] = "auto",
		[LOG_FMT_JOURNAL] = "journal", [LOG_FMT_TEXT] = "text" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i]))
			return i;
	fprintf(stderr, "dvk-proxy: --log-format: '%s' is not auto, journal or text\n", s);
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "node", required_argument, NULL, 'n' }, { "peer", required_argument, NULL, 'p' },
		{ "local-node", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'N' }, { "pair", required_argument, NULL, 'P' },
		{ "port-base", required_argument, NULL, 'b' },
		{ "maxbytes", required_argument, NULL, 'm' },
		{ "heartbeat", required_argument, NULL, 'H' },
		{ "backoff-max", required_argument, NULL, 'B' },
		{ "stats-file", required_argument, NULL, 's' },
		{ "key-file", required_argument, NULL, 'k' }, { "config", required_argument, NULL, 'c' },
		{ "no-encrypt", no_argument, NULL, 'E' },
		{ "insecure-plain", no_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' }, { "quiet", no_argument, NULL, 'q' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "log-format", required_argument, NULL, 'F' },
		{ "print-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, print = 0;

	while ((c = getopt_long(argc, argv, "n:p:l:N:P:b:m:H:B:s:k:c:EvqL:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'n': opts.node = num("--node", optarg, 0, NR_NODES - 1); break;
		case 'p': opts.peer = optarg; break;
		case 'l': opts.local_node = num("--local-node", optarg, 0, NR_NODES - 1); break;
		case 'N': opts.name = optarg; break;
		case 'P': opts.pair = num("--pair", optarg, 0, NR_NODES - 1); break;
		case 'b': opts.port_base = num("--port-base", optarg, 1, 65535 - NR_NODES); break;
		case 'm': opts.maxbytes = num("--maxbytes", optarg, 1, MAXCOPYBUF); break;
		case 'H': opts.heartbeat_ms = num("--heartbeat", optarg, 1, 3600000); break;
		case 'B': opts.backoff_max_ms = num("--backoff-max", optarg, 100, 600000); break;
		case 's': opts.stats_file = optarg; break;
		case 'k': opts.key_file = optarg; break;
		case 'c': opts.config = optarg; break;
		case 'E': opts.mode = LINK_AUTH; opts.mode_set = 1; break;
		case 'I': opts.mode = LINK_PLAIN; opts.mode_set = 1; break;
		case 'v': opts.log_level = PL_DEBUG; break;
		case 'q': opts.log_level = PL_ERR; break;
		case 'L': opts.log_level = log_level(optarg); break;
		case 'F': opts.log_format = log_format(optarg); break;
		case 'C': print = 1; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("dvk-proxy %s (handshake version %d, frame version %d, DVK ABI %d)\n",
				 DVK_PACKAGE_VERSION, DVKP_HS_VERSION, DVKP_VERSION, DVS_VERSION);
			exit(0);
		default: usage(stderr); exit(2);
		}
	}
	log_setup();
	if (print && optind == argc)
		config_print();
	if (optind < argc || opts.node < 0) {
		pfatal("%s", optind < argc ? "unexpected arguments" : "--node is required");
		usage(stderr);
		exit(2);
	}
	if (opts.pair < 0)
		opts.pair = opts.node;
	config_apply();
}

/* Each worker records its thread id, then waits for the pair to be bound. */
static pthread_mutex_t start_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cv = PTHREAD_COND_INITIALIZER;
static int started;	/* 1 bound: go, -1 give up */

static void on_usr2(int sig)
{
	(void)sig;	/* only interrupts the sender's get2rmt (a re-key is due) */
}

static void *worker(void *arg)
{
	int which = (int)(long)arg;

	if (which == 0) {	/* the sender alone takes SIGUSR2 */
		sigset_t usr2;

		sigemptyset(&usr2);
		sigaddset(&usr2, SIGUSR2);
		pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
	}
	atomic_store(&tids[which], gettid());
	pthread_mutex_lock(&start_mu);
	while (!started)
		pthread_cond_wait(&start_cv, &start_mu);
	pthread_mutex_unlock(&start_mu);
	if (started < 0)
		return NULL;
	return which ? receiver_main(NULL) : sender_main(NULL);
}

static void start(int how)
{
	pthread_mutex_lock(&start_mu);
	started = how;
	pthread_cond_broadcast(&start_cv);
	pthread_mutex_unlock(&start_mu);
}

static int fatal(const char *what, long r)
{
	pfatal("%s: %s", what, dvk_strerror((int)r));
	start(-1);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	return 1;
}

/* This node's id, from the DVS unless --local-node; 0 or the exit status. */
static int find_local_node(void)
{
	dvs_usr_t d;
	long r = dvk_open();

	if (r < 0) {
		pfatal("cannot open %s: %s (is dvk.ko loaded?)", DVK_DEVICE, strerror((int)-r));
		return 1;
	}
	if (opts.local_node < 0 || opts.local_from_config) {
		r = dvk_getdvsinfo(&d);
		if (r < 0) {
			pfatal("getdvsinfo: %s", dvk_strerror((int)r));
			return 1;
		}
		/* a file naming another node than the DVS's would link the wrong ports */
		if (opts.local_from_config && r != opts.local_node) {
			pfatal("%s says node = %d, but the DVS is node %ld", opts.config ?
			       opts.config : DVKCONF_FILE, opts.local_node, r);
			return 2;
		}
		opts.local_node = (int)r;
	}
	if (opts.node == opts.local_node) {
		pfatal("--node %d is this node", opts.node);
		return 2;
	}
	return 0;
}

/*
 * Block the signals main takes with sigwait (the workers inherit the mask)
 * and SIGUSR2, which worker() unblocks in the sender alone; *set: those
 * main waits for.  SIGUSR2's handler has no SA_RESTART, so that get2rmt
 * returns EDVSINTR.
 */
static void block_signals(sigset_t *set)
{
	struct sigaction sa = { .sa_handler = on_usr2 };

	sigaction(SIGUSR2, &sa, NULL);
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGPIPE);
	sigaddset(set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	sigdelset(set, SIGUSR2);
}

/*
 * Start the sender and receiver, bind them as the pair once both have
 * their thread ids, attach the node, and let them go; 0 or the exit status.
 */
static int start_pair(void)
{
	long r;

	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	while (!atomic_load(&tids[0]) || !atomic_load(&tids[1]))
		usleep(1000);
	r = dvk_proxies_bind((char *)opts.name, opts.pair, tids[0], tids[1], opts.maxbytes);
	if (r)
		return fatal("proxies_bind", r);
	r = dvk_node_up((char *)opts.name, opts.node, opts.pair);
	if (r) {
		dvk_proxies_unbind(opts.pair);
		return fatal("node_up", r);
	}
	plog(PL_NOTICE, "pair %d up for node %d (%s), peer %s, listening on %d", opts.pair, opts.node,
	     opts.name, opts.peer, opts.port_base + opts.node);
	start(1);
	return 0;
}

/* Take the signals of @set until SIGTERM/SIGINT or a fatal error of a worker. */
static void serve_signals(const sigset_t *set)
{
	struct timespec tick = { 1, 0 };

	while (!atomic_load(&stopping)) {
		int sig = sigtimedwait(set, NULL, &tick);

		if (sig == SIGUSR1)
			stats_print(stderr);
		else if (sig == SIGHUP) {
			atomic_store(&rekey, 1);
			pthread_kill(th[0], SIGUSR2);
		} else if (sig == SIGTERM || sig == SIGINT)
			break;
		stats_file();
	}
}

/* Unbind the pair (which ends the node), join the workers, final counters. */
static int stop_pair(void)
{
	long r;

	atomic_store(&stopping, 1);
	r = dvk_proxies_unbind(opts.pair);
	if (r && r != EDVSPROXYFREE)
		plog(PL_ERR, "proxies_unbind: %s", dvk_strerror((int)r));
	receiver_wake();
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	stats_file();
	if (opts.log_level > PL_ERR)
		stats_print(stderr);
	keys_wipe();
	return atomic_load(&failed) ? 1 : 0;
}

int main(int argc, char **argv)
{
	char defname[MAXPROXYNAME];
	sigset_t set;
	int status;

	parse(argc, argv);
	status = find_local_node();
	if (status)
		return status;
	if (!opts.name) {
		snprintf(defname, sizeof(defname), "node%d", opts.node);
		opts.name = defname;
	}
	if (opts.mode == LINK_PLAIN)
		plog(PL_WARNING, "--insecure-plain: the link is neither authenticated nor encrypted: "
		     "anyone who reaches port %d can inject commands", opts.port_base + opts.node);
	else if (keys_load())
		return 1;
	block_signals(&set);
	status = start_pair();
	if (status)
		return status;
	serve_signals(&set);
	return stop_pair();
}
