// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - latency percentiles from the log2 histograms the dvkcalls BPF
 * program keeps per call (bpf/stat.bpf.h).
 */
#include <math.h>
#include "model.h"

/**
 * dvk_hist_percentile - estimate a latency percentile from a log2 histogram.
 * @hist:   slot i counts durations in [2^i, 2^(i+1)) ns; slot 0 is [0, 2)
 * @nslots: number of slots (the last one is taken as [2^n-1, 2^n))
 * @p:      the percentile as a fraction, 0 <= p <= 1 (0.5, 0.99)
 *
 * Method: nearest rank, then linear interpolation inside the bucket.
 * With N samples the wanted sample is the k-th smallest, k = ceil(p * N)
 * (at least 1).  The bucket holding it is found by summing the slots.  The
 * h samples of a bucket [lo, hi) are assumed spread evenly across it, the
 * j-th (1 <= j <= h) at the centre of its share:
 *     value = lo + (j - 0.5) / h * (hi - lo)
 * so the estimate always lies strictly inside the bucket (all samples in
 * [1024, 2048) give a p50 of 1536).  The error is at most half a bucket,
 * i.e. within a factor of 2 of the truth, as for any log2 histogram.
 *
 * Return: the estimate in ns (truncated); 0 when the histogram is empty.
 */
uint64_t dvk_hist_percentile(const __u64 *hist, int nslots, double p)
{
	uint64_t n = 0, k, before = 0;
	int i;

	if (!hist || nslots <= 0)
		return 0;
	for (i = 0; i < nslots; i++)
		n += hist[i];
	if (n == 0)
		return 0;
	if (!(p > 0))		/* also catches NaN */
		p = 0;
	if (p > 1)
		p = 1;
	/* ceil(p * n), tolerant of 0.99 * 100 = 99.000000000000014 */
	k = (uint64_t)ceil(p * (double)n - 1e-9 * (double)n);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	for (i = 0; i < nslots; i++) {
		if (hist[i] && before + hist[i] >= k) {
			double lo = i == 0 ? 0.0 : ldexp(1.0, i);
			double hi = ldexp(1.0, i + 1);
			double j = (double)(k - before);

			/* truncated, so that the estimate stays below hi */
			return (uint64_t)floor(lo + (j - 0.5) / (double)hist[i] * (hi - lo));
		}
		before += hist[i];
	}
	return 0;	/* not reached */
}
