/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expo.h - dvk-exporter's exposition writer: a dvktop model (model.h) as
 * Prometheus text format 0.0.4 or OpenMetrics text 1.0.0.  Pure C (no
 * HTTP, no libbpf): the host unit test feeds it fixture models.  Every
 * metric is documented in docs/metrics.md; change both together.
 */
#ifndef DVK_EXPORTER_EXPO_H
#define DVK_EXPORTER_EXPO_H

#include <stdint.h>
#include <stdio.h>
#include "model.h"

/* docs/metrics.md: raised when a metric is renamed, removed or changes meaning */
#define DVK_EXPO_SCHEMA		"1"

enum dvk_expo_format {
	DVK_EXPO_PROMETHEUS = 0,	/* text/plain; version=0.0.4 */
	DVK_EXPO_OPENMETRICS,		/* application/openmetrics-text; version=1.0.0 */
};

/* What the writer says about the exporter itself. */
struct dvk_expo_meta {
	uint64_t scrapes;		/* scrapes served, this one included */
	uint64_t sample_ns;		/* time this scrape's sample and model update took */
	uint64_t cpu_ns;		/* the exporter's CPU time (user + system) so far */
	int max_endpoints;		/* endpoint rows written at most (>= 0) */
};

/* The format a scraper's Accept header asks for (NULL: Prometheus text). */
enum dvk_expo_format dvk_expo_negotiate(const char *accept);
/* The Content-Type of a format. */
const char *dvk_expo_content_type(enum dvk_expo_format fmt);
/* Write m (its cur sample) to f in fmt; 0, or -1 if f reported an error. */
int dvk_expo_write(FILE *f, const struct dvk_model *m, enum dvk_expo_format fmt,
		   const struct dvk_expo_meta *meta);

#endif /* DVK_EXPORTER_EXPO_H */
