/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkview.h - parsers of the text views of dvk.ko: /proc/dvs/info and the
 * debugfs files dvk/bindwaits, dvk/endpoints and dvk/proxies
 * (docs/proc-debugfs.md gives the formats).  One parser per format, shared
 * by dvktop and the tests that read the same files, so that a change of a
 * format is made in one place.
 *
 * Pure C, no libdvk: parsing a file makes no DVK call.
 */
#ifndef DVKVIEW_H
#define DVKVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <dvk.h>

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

/*
 * /proc/dvs/info: fields found are set, others left unchanged (state
 * too); returns the number of known keys found.
 */
int dvk_dvs_parse(const char *text, struct dvk_dvs_info *out);

/*
 * The whole text of a view into at most max rows; returns the number of
 * rows in the text (may exceed max), *kept (if not NULL) the rows stored.
 * The header and malformed lines are skipped.  Endpoints and proxies keep
 * the file order; bind waits keep the longest waits, longest first.
 */
int dvk_bindwaits_parse(const char *text, struct dvk_bindwait_row *rows, int max, int *kept);
int dvk_endpoints_parse(const char *text, struct dvk_endpoint *rows, int max, int *kept);
int dvk_proxies_parse(const char *text, struct dvk_pair *rows, int max, int *kept);

/* One line (NUL-terminated, no newline): 0 and *out set, or -1 if it is
 * the header or malformed. */
int dvk_bindwait_line(const char *line, struct dvk_bindwait_row *out);
int dvk_endpoint_line(const char *line, struct dvk_endpoint *out);
int dvk_pair_line(const char *line, struct dvk_pair *out);

/*
 * Internal to the parsers: the next line of *pos into buf (truncated to
 * size - 1, NUL-terminated), *pos moved past it; returns the line's full
 * length, or -1 at the end of the text.
 */
long dvkview_line(const char **pos, char *buf, size_t size);
/* Collect the rows of the lines parse() accepts (lines of size bytes or
 * more are skipped); the return value and *kept as dvk_*_parse(). */
int dvkview_collect(const char *text, size_t size, int (*parse)(const char *line, void *row),
		    void *rows, size_t row_size, int max, int *kept);

#endif /* DVKVIEW_H */
