/* SPDX-License-Identifier: BSD-3-Clause */
/* Timing helpers for the benchmarks (they print ratios, never pass/fail). */
#ifndef REALMKIT_BENCH_UTIL_H
#define REALMKIT_BENCH_UTIL_H

#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best of `reps` runs of fn(arg, n), in seconds per operation. */
static inline double bench_best(void (*fn)(void *, unsigned long), void *arg, unsigned long n,
				int reps)
{
	double best = 1e30;

	for (int i = 0; i < reps; i++) {
		double t0 = bench_now(), dt;

		fn(arg, n);
		dt = (bench_now() - t0) / (double)n;
		if (dt < best)
			best = dt;
	}
	return best;
}

#endif /* REALMKIT_BENCH_UTIL_H */
