/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvksnoop_tool.h - what the parts of dvksnoop share: its options, and the
 * printer of the records of bpf/dvksnoop.bpf.c (text lines or JSON).
 */
#ifndef DVKSNOOP_TOOL_H
#define DVKSNOOP_TOOL_H

#include <stdint.h>
#include <stdio.h>
#include "dvksnoop.h"	/* bpf/: the record */

struct snoop_opts {
	int32_t pid;		/* 0 = every process */
	int32_t dcid;		/* DVKSNOOP_NONE = every DC */
	int32_t ep;		/* DVKSNOOP_NONE = any endpoint */
	int errors_only;
	uint64_t min_ns;	/* --min-ms, in ns */
	int json;
	long duration_s;	/* -t: 0 = until a signal */
	long count;		/* -c: 0 = no limit */
	long ring_size;		/* --ring-size (tests): bytes, power of 2 */
	long stall_ms;		/* --stall-ms (tests): wait before reading the ring */
	int verbose;
};

/* The printer's state: the node, the clock offset, what it printed. */
struct snoop_out {
	FILE *f;
	int json;
	int32_t node;		/* this node's id, -1 when the DVS is not initialised */
	int64_t real_off_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC at start */
	uint64_t lines;		/* call records printed */
	uint64_t lost_shown;	/* of the BPF "lost" counter, reported so far */
};

void snoop_out_init(struct snoop_out *o, FILE *f, int json);
/* Re-read this node's id from /proc/dvs/info (-1 when absent). */
void snoop_out_node(struct snoop_out *o);
void snoop_print_header(struct snoop_out *o);
void snoop_print_event(struct snoop_out *o, const struct dvksnoop_event *e);
/* A line for records lost since the last one (total now @lost); nothing if none. */
void snoop_print_lost(struct snoop_out *o, uint64_t lost);

#endif /* DVKSNOOP_TOOL_H */
