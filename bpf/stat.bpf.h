/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stat.bpf.h - helpers shared by dvktop's BPF programs: the histogram slot
 * of a value, and counter updates on shared (not per-CPU) map values.
 *
 * Why shared values with atomic adds, not per-CPU maps: on the IPC path
 * every map access that is not inlined costs a helper call, and under TCG
 * each costs about a microsecond (docs/performance.md).  A plain array's
 * bpf_map_lookup_elem() is inlined by the verifier to an address
 * computation; a per-CPU array's or a hash's is not.  The price, atomic
 * adds on one cache line per counter set, is small next to the DC lock
 * every DVK call already takes.
 */
#ifndef DVK_STAT_BPF_H
#define DVK_STAT_BPF_H

#include <linux/types.h>

/* floor(log2(v)), 0 for v <= 1: the histogram slot of v. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8)  { v >>= 8;  r += 8; }
	if (v >> 4)  { v >>= 4;  r += 4; }
	if (v >> 2)  { v >>= 2;  r += 2; }
	if (v >> 1)  { r += 1; }
	return r;
}

/* The histogram slot of v, clamped to the last of @slots. */
static __always_inline __u32 hist_slot(__u64 v, __u32 slots)
{
	__u32 b = log2_u64(v);

	return b < slots ? b : slots - 1;
}

/* *p += v, atomically (a lock-prefixed add once JITed). */
#define stat_add(p, v)	__sync_fetch_and_add((p), (v))

/*
 * *max = v if v is larger, atomically: a compare-and-swap that retries
 * while other CPUs raise *max.  Bounded, for the verifier: after 8 lost
 * races some other CPU has just stored a value close to v.
 */
static __always_inline void stat_max(__u64 *max, __u64 v)
{
	for (int i = 0; i < 8; i++) {
		__u64 old = *(volatile __u64 *)max;

		if (v <= old || __sync_val_compare_and_swap(max, old, v) == old)
			return;
	}
}

#endif /* DVK_STAT_BPF_H */
