/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/* pctl.h - percentiles of a sample of nanosecond values, for the C test tools. */
#ifndef MORPHEUS_PCTL_H
#define MORPHEUS_PCTL_H
#include <stdint.h>
#include <stdlib.h>

static int pctl_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v in place; returns the p-th percentile (0..100), 0 for an empty sample. */
static inline uint64_t pctl(uint64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), pctl_cmp);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}
#endif
