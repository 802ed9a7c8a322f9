/* SPDX-License-Identifier: GPL-2.0 */
/*
 * source.h - where dvktop's numbers come from.
 *
 * A data source fills a struct dvk_sample: a CLOCK_MONOTONIC timestamp, the
 * DVS header (as /proc/dvs/info shows it) and the per-call statistics of the
 * dvkcalls BPF program (and the views' data below).  The counters in a sample
 * are cumulative since the source was opened; the model turns two
 * consecutive samples into rates.
 *
 * Sources implement struct dvk_source_ops:
 *   - the live source (source_live.c): BPF skeleton + /proc/dvs/info;
 *   - later a recorded-file source replays samples with the same interface.
 *
 * This header is pure C (no libbpf, no ncurses): the model and its unit
 * tests include it for struct dvk_sample.
 */
#ifndef DVKTOP_SOURCE_H
#define DVKTOP_SOURCE_H

#include <stdint.h>
#include <dvk.h>
#include "dvkcalls.h"
#include "epstats.h"
#include "pxstats.h"

/* What can be said about the DVS of this host. */
enum dvk_dvs_state {
	DVK_DVS_NOT_LOADED = 0,		/* no /dev/dvk: dvk.ko is not loaded */
	DVK_DVS_NOT_INITIALIZED,	/* /dev/dvk but no /proc/dvs/info */
	DVK_DVS_INITIALIZED,		/* /proc/dvs/info read and parsed */
};

#define DVK_DVS_NAME_LEN	64

/* The DVS header: the key=value lines of /proc/dvs/info. */
struct dvk_dvs_info {
	enum dvk_dvs_state state;
	char name[DVK_DVS_NAME_LEN];
	int32_t nodeid;
	int32_t nr_dcs;
	int32_t nr_nodes;
	int32_t max_nr_procs;
	int32_t max_nr_tasks;
	int32_t max_sys_procs;
	int32_t max_copy_buf;
	int32_t max_copy_len;
	int32_t version;
	uint64_t flags;
};

/* One process sleeping in wait4bind (a line of debugfs dvk/bindwaits). */
#define DVK_MAX_BINDWAITS	64
struct dvk_bindwait_row {
	int32_t pid;
	char comm[17];
	int32_t dcid;		/* -1: waiting to be bound itself */
	int32_t oper;		/* WAIT_BIND or WAIT_UNBIND */
	int32_t target;		/* endpoint, or SELF */
	uint64_t waited_ms;
	int64_t timeout_ms;	/* -1 = forever */
};

/* One bound endpoint (a line of debugfs dvk/endpoints). */
#define DVK_MAX_ENDPOINTS	1024
struct dvk_endpoint {
	int32_t dcid;
	int32_t ep;
	int32_t pid;		/* global pid of the bound task */
	uint32_t flags;		/* p_rts_flags */
	char state[17];		/* the same as letters, "-" when 0 */
	int32_t queue;		/* queued senders */
	int32_t ntfy;		/* pending notifies */
	int64_t oldest_ms;	/* wait of the oldest queued sender; -1: queue empty */
	uint64_t msgs_in;	/* counters since the bind */
	uint64_t msgs_out;
	uint64_t bytes_copied;
	char name[17];
};

/* The epstats BPF map entry of one endpoint (an entry in use). */
#define DVK_MAX_EPSTATS		2048
struct dvk_epstat {
	int32_t dcid;
	int32_t ep;
	uint64_t sent;		/* cumulative since the source was opened */
	uint64_t received;
	uint64_t wait_total_ns;	/* queue wait of the received messages */
	uint64_t wait_max_ns;
};

/* One proxy pair in use (a line of debugfs dvk/proxies). */
#define DVK_MAX_PAIRS		NR_NODES
#define DVK_PAIR_NAME_LEN	33
struct dvk_pair {
	int32_t px;
	char name[DVK_PAIR_NAME_LEN];
	char state[4];		/* "ISR": in use, sender / receiver connected ('-' if not) */
	uint64_t nodemap;	/* the nodes it serves (bit n = node n) */
	int32_t queue;		/* commands waiting for get2rmt */
	int64_t oldest_ms;	/* age of the oldest; -1: none */
	uint64_t msgs_out, bytes_out;	/* since the pair was bound */
	uint64_t msgs_in, bytes_in;
	uint64_t err_out, err_in;
	uint64_t refused;	/* connections and frames its receiver proxy refused */
	int64_t last_error;	/* 0: none */
	int64_t last_out_ms;	/* ms since traffic each way; -1: never */
	int64_t last_in_ms;
};

/* One reading of a source. */
struct dvk_sample {
	uint64_t time_ns;		/* CLOCK_MONOTONIC */
	struct dvk_dvs_info dvs;
	struct dvk_call_stat calls[DVK_STAT_SLOTS];	/* the call_stats map */
	int bindwaits_total;		/* waiters listed; -1 if the view is unreadable */
	int nbindwaits;			/* rows kept, <= DVK_MAX_BINDWAITS, longest first */
	struct dvk_bindwait_row bindwaits[DVK_MAX_BINDWAITS];
	int endpoints_total;		/* bound endpoints listed; -1 if the view is unreadable */
	int nendpoints;			/* rows kept, <= DVK_MAX_ENDPOINTS, in file order */
	struct dvk_endpoint endpoints[DVK_MAX_ENDPOINTS];
	int nepstats;			/* entries of the epstats map read (any order) */
	struct dvk_epstat epstats[DVK_MAX_EPSTATS];
	int pairs_total;		/* pairs listed; -1 if the view is unreadable */
	int npairs;			/* rows kept, <= DVK_MAX_PAIRS, in file order */
	struct dvk_pair pairs[DVK_MAX_PAIRS];
	/* the pxstats BPF map, cumulative since the source was opened; slot = node id */
	struct dvk_px_stat pxstats[DVK_PX_SLOTS];
};

/* Options common to all sources (a source ignores what it cannot honour). */
struct dvk_source_opts {
	int filter_pid;		/* count only this process (tgid); 0 = all */
	int verbose;		/* let the source's libraries print debug output */
};

struct dvk_source;

struct dvk_source_ops {
	const char *name;
	/*
	 * open - prepare the source; on failure print a clear message on
	 * stderr and return a negative errno.  After a successful open the
	 * source counts events (the live source is attached).
	 */
	int (*open)(struct dvk_source *src, const struct dvk_source_opts *opts);
	/* sample - fill *out; 0 or a negative errno (message in src->err). */
	int (*sample)(struct dvk_source *src, struct dvk_sample *out);
	/* close - release everything; safe after a failed open. */
	void (*close)(struct dvk_source *src);
};

struct dvk_source {
	const struct dvk_source_ops *ops;
	void *priv;		/* the source's own state */
	char err[256];		/* last error of sample(), for the views */
};

/* The live source: BPF programs on dvk:dvk_call_exit, dvk:dvk_msg_receive
 * and dvk:dvk_rmt_*, /proc/dvs/info and
 * /sys/kernel/debug/dvk/{bindwaits,endpoints,proxies}. */
extern const struct dvk_source_ops dvk_source_live_ops;

#endif /* DVKTOP_SOURCE_H */
