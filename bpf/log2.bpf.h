/* SPDX-License-Identifier: GPL-2.0 */
/* log2.bpf.h - the histogram slot of a value, shared by the BPF programs. */
#ifndef DVK_LOG2_BPF_H
#define DVK_LOG2_BPF_H

#include <linux/types.h>

/* floor(log2(v)), 0 for v <= 1; a branch-light binary search (no loops). */
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

#endif /* DVK_LOG2_BPF_H */
