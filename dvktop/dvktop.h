/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvktop.h - what main.c hands to the views.
 *
 * The split follows htop: sources (source.h) produce samples, the model
 * (model.h) turns them into rows, views draw the model.  Each view owns its
 * refresh loop (the TUI waits on keys, batch mode sleeps), so a view gets
 * an opened source and the command-line settings.
 */
#ifndef DVKTOP_DVKTOP_H
#define DVKTOP_DVKTOP_H

#include <signal.h>
#include "model.h"
#include "source.h"

struct dvktop_config {
	double delay_s;		/* -d: seconds between refreshes (> 0) */
	long iterations;	/* -n: refreshes before exiting; 0 = forever */
	int batch;		/* -b */
	int json;		/* -j (implies batch) */
	int pid;		/* -p: count only this process; 0 = all */
	int verbose;		/* -v */
	int sort;		/* -s: an enum dvk_sort_key */
	int reverse;
	int ep_sort;		/* -E: sort of the Endpoints view, enum dvk_ep_sort_key */
	int endpoints;		/* -e: the TUI starts in the Endpoints view */
	int proxies;		/* -P: the TUI starts in the Proxies view */
	int px_sort;		/* -X: sort of the Proxies view, enum dvk_px_sort_key */
	int waits;		/* -w: the TUI starts in the Waits view */
	const char *replay;	/* -r: the recording to replay; NULL: live */
	const char *record;	/* --record FILE */
	long record_rotate;	/* --record-rotate N; 0: never */
};

/* Set by the SIGINT/SIGTERM handler: views leave their loop cleanly. */
extern volatile sig_atomic_t dvktop_stop;

/* Views: run until done; return the process exit status. */
int dvktop_view_batch(struct dvk_source *src, const struct dvktop_config *cfg);
int dvktop_view_tui(struct dvk_source *src, const struct dvktop_config *cfg);

/* A model with the sorts of cfg (malloc'ed), or NULL. */
struct dvk_model *dvktop_model_new(const struct dvktop_config *cfg);

/* CLOCK_MONOTONIC and CLOCK_REALTIME in ns. */
uint64_t dvktop_now_ns(void);
uint64_t dvktop_real_ns(void);

#endif /* DVKTOP_DVKTOP_H */
