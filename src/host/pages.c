/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's allocator of Non-secure granules: a bitmap over the NS DRAM
 * range with a rotating search hint. Freed pages are zeroed by the caller's
 * next allocation, as a kernel hands out zeroed pages.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_rmi.h"

static struct {
	pthread_mutex_t lock;
	uint64_t *bitmap;
	uint64_t n, in_use, hint, allocs;
	pa_t base;
	/* Test hook (host_pages_inject_failures): successes left, then failures. */
	unsigned int inj_skip, inj_fail;
} hp = { .lock = PTHREAD_MUTEX_INITIALIZER };

void host_pages_inject_failures(unsigned int skip, unsigned int count)
{
	pthread_mutex_lock(&hp.lock);
	hp.inj_skip = skip;
	hp.inj_fail = count;
	pthread_mutex_unlock(&hp.lock);
}

/* Under hp.lock: true if the injector makes this allocation fail. */
static bool inject_fail_locked(void)
{
	if (!hp.inj_fail)
		return false;
	if (hp.inj_skip) {
		hp.inj_skip--;
		return false;
	}
	hp.inj_fail--;
	return true;
}

static bool bit_get(uint64_t i)
{
	return hp.bitmap[i / 64] >> (i % 64) & 1;
}

static void bit_set(uint64_t i, bool v)
{
	if (v)
		hp.bitmap[i / 64] |= 1ULL << (i % 64);
	else
		hp.bitmap[i / 64] &= ~(1ULL << (i % 64));
}

int host_pages_init(void)
{
	uint64_t size;

	platform_ns_dram_range(&hp.base, &size);
	hp.n = size >> GRANULE_SHIFT;
	hp.bitmap = calloc((hp.n + 63) / 64, sizeof(uint64_t));
	hp.in_use = 0;
	hp.hint = 0;
	return hp.bitmap ? 0 : -ENOMEM;
}

void host_pages_fini(void)
{
	free(hp.bitmap);
	hp.bitmap = NULL;
	hp.n = 0;
	hp.inj_skip = 0;
	hp.inj_fail = 0;
}

static bool run_free(uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n; i++) {
		if (bit_get(i))
			return false;
	}
	return true;
}

pa_t host_pages_alloc_contig(uint64_t n, uint64_t align)
{
	uint64_t step = align > GRANULE_SIZE ? align >> GRANULE_SHIFT : 1;
	uint64_t base_idx = hp.base.v >> GRANULE_SHIFT;
	pa_t pa = pa_of(0);

	if (n == 0)
		return pa;
	pthread_mutex_lock(&hp.lock);
	hp.allocs++;
	if (inject_fail_locked()) {
		pthread_mutex_unlock(&hp.lock);
		return pa;
	}
	for (uint64_t tries = 0; tries < 2 && !pa.v; tries++) {
		uint64_t start = tries == 0 ? hp.hint : 0;
		/* First index at or after start whose PA is aligned. */
		uint64_t i = ((base_idx + start + step - 1) / step) * step - base_idx;

		for (; i + n <= hp.n; i += step) {
			if (!run_free(i, n))
				continue;
			for (uint64_t j = i; j < i + n; j++)
				bit_set(j, true);
			hp.in_use += n;
			hp.hint = i + n < hp.n ? i + n : 0;
			pa = pa_of(hp.base.v + (i << GRANULE_SHIFT));
			break;
		}
	}
	pthread_mutex_unlock(&hp.lock);
	if (pa.v)
		memset(platform_ns_ptr(pa), 0, n << GRANULE_SHIFT);
	return pa;
}

pa_t host_page_alloc(void)
{
	return host_pages_alloc_contig(1, GRANULE_SIZE);
}

void host_pages_free(pa_t pa, uint64_t n)
{
	uint64_t first = (pa.v - hp.base.v) >> GRANULE_SHIFT;

	pthread_mutex_lock(&hp.lock);
	for (uint64_t i = first; i < first + n && i < hp.n; i++) {
		if (bit_get(i)) {
			bit_set(i, false);
			hp.in_use--;
		}
	}
	pthread_mutex_unlock(&hp.lock);
}

void host_page_free(pa_t pa)
{
	host_pages_free(pa, 1);
}

uint64_t host_pages_alloc_count(void)
{
	uint64_t n;

	pthread_mutex_lock(&hp.lock);
	n = hp.allocs;
	pthread_mutex_unlock(&hp.lock);
	return n;
}

uint64_t host_pages_in_use(void)
{
	uint64_t n;

	pthread_mutex_lock(&hp.lock);
	n = hp.in_use;
	pthread_mutex_unlock(&hp.lock);
	return n;
}
