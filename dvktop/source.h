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
 *   - the replay source (source_replay.c): the samples a recording holds
 *     (dvktop --record, sample_json.c), one after the other;
 *   - the recording source (source_record.c): wraps another source and
 *     appends each of its samples to a file.
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
/* the rows of /proc/dvs/info and debugfs dvk/{bindwaits,endpoints,proxies,waits} */
#include <dvkview/dvkview.h>
#include <dvkview/waits.h>

/* The rows a sample keeps of the debugfs views bindwaits and endpoints. */
#define DVK_MAX_BINDWAITS	64
#define DVK_MAX_ENDPOINTS	1024
/* The rows a sample keeps of debugfs dvk/waits (the waiting slots). */
#define DVK_MAX_WAITS		1024

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

/* Failed calls of one call slot with one error code (the call_errors BPF
 * map; the live source only, a replay has none). */
#define DVK_MAX_ERRSTATS	512
struct dvk_errstat {
	int16_t slot;		/* the call_stats slot (call number, or DVK_STAT_INVALID) */
	int16_t code;		/* the error code (negative), 0: a value outside the EDVS range */
	uint64_t count;		/* cumulative since the source was opened */
};

/* One reading of a source. */
struct dvk_sample {
	uint64_t time_ns;		/* CLOCK_MONOTONIC: every rate is over these */
	uint64_t real_ns;		/* CLOCK_REALTIME at the same moment (0: unknown) */
	struct dvk_dvs_info dvs;
	struct dvk_call_stat calls[DVK_STAT_SLOTS];	/* the call_stats map */
	int nerrstats;			/* non-zero entries of call_errors, in slot and code order */
	struct dvk_errstat errstats[DVK_MAX_ERRSTATS];
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
	int waits_total;		/* waiting slots listed; -1 if the view is unreadable
					 * (or, in a replay, was not recorded) */
	int nwaits;			/* rows kept, <= DVK_MAX_WAITS, in file order */
	struct dvk_wait waits[DVK_MAX_WAITS];
};

/* Options common to all sources (a source ignores what it cannot honour). */
struct dvk_source_opts {
	int filter_pid;		/* count only this process (tgid); 0 = all */
	int verbose;		/* let the source's libraries print debug output */
	const char *path;	/* replay: the recording (archive, directory, .jsonl) */
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
	/* sample - fill *out; 0 or a negative errno (message in src->err);
	 * -ENODATA: no more samples (the end of a recording), not an error. */
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
 * /sys/kernel/debug/dvk/{bindwaits,endpoints,proxies,waits}. */
extern const struct dvk_source_ops dvk_source_live_ops;
/* The replay source (source_replay.c, replay.h): opts->path. */
extern const struct dvk_source_ops dvk_source_replay_ops;

#endif /* DVKTOP_SOURCE_H */
