/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exporter.h - dvk-exporter's state, shared by main.c (options, set-up)
 * and server.c (the HTTP side).
 */
#ifndef DVK_EXPORTER_H
#define DVK_EXPORTER_H

#include <stdint.h>
#include "expo.h"
#include "model.h"
#include "source.h"

#define DVK_EXPORTER_PORT	7462	/* docs/metrics.md says why this one */

struct MHD_Daemon;

struct exporter {
	struct dvk_source src;		/* dvktop's live source */
	struct dvk_sample *sample;	/* the sample being read (large: on the heap) */
	struct dvk_model *model;
	int max_endpoints;
	uint64_t scrapes;
	struct MHD_Daemon *daemon;
};

/* Serve on listen_fd (bound, listening); 0 or -1 (said on stderr). */
int server_start(struct exporter *e, int listen_fd);
void server_stop(struct exporter *e);

#endif /* DVK_EXPORTER_H */
