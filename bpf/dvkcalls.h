/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkcalls.h - shared by dvkcalls.bpf.c and its user-space readers (dvktop).
 *
 * The BPF program keeps, per DVK call number, a count, an error count, the
 * total time and a log2 histogram of call durations (slot i counts calls
 * that took [2^i, 2^(i+1)) ns; slot 0 also counts 0-1 ns).  Slot
 * DVK_STAT_INVALID aggregates malformed call words and numbers >= 35.
 * The map is a plain array of DVK_STAT_SLOTS entries, updated with atomic
 * adds and BPF_F_MMAPABLE: readers map it (bpf/stat.bpf.h says why).
 */
#ifndef DVK_BPF_DVKCALLS_H
#define DVK_BPF_DVKCALLS_H

#include <dvk.h>

#define DVK_STAT_INVALID	DVK_NR_CALLS		/* 35 */
#define DVK_STAT_SLOTS		(DVK_NR_CALLS + 1)	/* 36 */
#define DVK_HIST_SLOTS		40			/* up to ~18 min */

struct dvk_call_stat {
	__u64 count;		/* calls that returned */
	__u64 errors;		/* of which failed (dvk_call_failed) */
	__u64 total_ns;		/* sum of durations */
	__u64 hist[DVK_HIST_SLOTS];	/* log2(ns) histogram */
};

/*
 * call_errors: failed calls by call and error code, for dvk-exporter's
 * error counters by name (docs/metrics.md).  Entry
 * slot * DVK_ERR_CODES + code_index, where slot is the call_stats slot and
 * code_index = -ret for -DVK_ERR_CODES < ret < 0 (the EDVS codes run from
 * -1 to -512), else 0 ("unknown": a failure value outside that range).
 * One u64 per entry, atomic adds, BPF_F_MMAPABLE like call_stats.
 */
#define DVK_ERR_CODES		513
#define DVK_ERR_ENTRIES		(DVK_STAT_SLOTS * DVK_ERR_CODES)

static inline int dvk_err_index(long ret)
{
	return ret < 0 && ret > -DVK_ERR_CODES ? (int)-ret : 0;
}

#endif /* DVK_BPF_DVKCALLS_H */
