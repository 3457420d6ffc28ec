/* SPDX-License-Identifier: BSD-3-Clause */
/* Granule descriptors, locks and reference counts (see granule.h). */
#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/platform.h>

#include "granule.h"
#include "platform_root.h"

static struct granule *granules;
static uint64_t n_granules;

int granules_init(void)
{
	n_granules = platform_dram_size() >> GRANULE_SHIFT;
	granules = calloc(n_granules, sizeof(*granules));
	return granules ? 0 : -ENOMEM;
}

void granules_fini(void)
{
	free(granules);
	granules = NULL;
	n_granules = 0;
}

const char *granule_state_name(enum granule_state s)
{
	static const char *const names[GRANULE_STATE_COUNT] = {
		"NS", "DELEGATED", "RD", "REC", "REC_AUX", "DATA", "RTT",
	};

	return (unsigned int)s < GRANULE_STATE_COUNT ? names[s] : "?";
}

struct granule *find_granule(pa_t pa)
{
	uint64_t idx;

	if (!pa_granule_aligned(pa) || pa.v < RK_DRAM_BASE)
		return NULL;
	idx = (pa.v - RK_DRAM_BASE) >> GRANULE_SHIFT;
	return idx < n_granules ? &granules[idx] : NULL;
}

pa_t granule_addr(const struct granule *g)
{
	return pa_of(RK_DRAM_BASE + ((uint64_t)(g - granules) << GRANULE_SHIFT));
}

void *granule_map(const struct granule *g)
{
	return platform_root_ptr(granule_addr(g));
}

void granule_memzero(struct granule *g)
{
	memset(granule_map(g), 0, GRANULE_SIZE);
}

void granule_lock(struct granule *g)
{
	unsigned int spins = 0;

	for (;;) {
		uint16_t old =
			atomic_fetch_or_explicit(&g->desc, GRANULE_LOCK_BIT, memory_order_acquire);
		if (!(old & GRANULE_LOCK_BIT))
			return;
		while (atomic_load_explicit(&g->desc, memory_order_relaxed) & GRANULE_LOCK_BIT) {
			if (++spins > 64)
				sched_yield();
		}
	}
}

void granule_unlock(struct granule *g)
{
	assert(atomic_load_explicit(&g->desc, memory_order_relaxed) & GRANULE_LOCK_BIT);
	atomic_fetch_and_explicit(&g->desc, (uint16_t)~GRANULE_LOCK_BIT, memory_order_release);
}

enum granule_state granule_get_state(const struct granule *g)
{
	uint16_t d = atomic_load_explicit(&g->desc, memory_order_acquire);

	return (enum granule_state)((d & GRANULE_STATE_MASK) >> GRANULE_STATE_SHIFT);
}

void granule_set_state(struct granule *g, enum granule_state s)
{
	uint16_t d = atomic_load_explicit(&g->desc, memory_order_relaxed);

	assert(d & GRANULE_LOCK_BIT);
	/* DEN0137: a granule's state cannot change while it is referenced. */
	assert((d & GRANULE_REFCOUNT_MAX) == 0);
	for (;;) {
		uint16_t n = (uint16_t)((d & ~GRANULE_STATE_MASK) |
					((unsigned int)s << GRANULE_STATE_SHIFT));

		if (atomic_compare_exchange_weak_explicit(&g->desc, &d, n, memory_order_relaxed,
							  memory_order_relaxed))
			return;
	}
}

bool granule_lock_on_state_match(struct granule *g, enum granule_state expected)
{
	granule_lock(g);
	if (granule_get_state(g) != expected) {
		granule_unlock(g);
		return false;
	}
	return true;
}

struct granule *find_lock_granule(pa_t pa, enum granule_state expected)
{
	struct granule *g = find_granule(pa);

	if (!g || !granule_lock_on_state_match(g, expected))
		return NULL;
	return g;
}

void granule_unlock_transition(struct granule *g, enum granule_state new_state)
{
	granule_set_state(g, new_state);
	granule_unlock(g);
}

bool find_lock_two_granules(pa_t pa1, enum granule_state s1, struct granule **g1, pa_t pa2,
			    enum granule_state s2, struct granule **g2)
{
	struct granule *a = find_granule(pa1), *b = find_granule(pa2);
	struct granule *lo, *hi;
	enum granule_state slo, shi;

	if (!a || !b || a == b)
		return false;
	lo = a < b ? a : b;
	hi = a < b ? b : a;
	slo = a < b ? s1 : s2;
	shi = a < b ? s2 : s1;
	if (!granule_lock_on_state_match(lo, slo))
		return false;
	if (!granule_lock_on_state_match(hi, shi)) {
		granule_unlock(lo);
		return false;
	}
	*g1 = a;
	*g2 = b;
	return true;
}

unsigned int granule_refcount_read(const struct granule *g)
{
	return atomic_load_explicit(&g->desc, memory_order_relaxed) & GRANULE_REFCOUNT_MAX;
}

unsigned int granule_refcount_read_acquire(const struct granule *g)
{
	return atomic_load_explicit(&g->desc, memory_order_acquire) & GRANULE_REFCOUNT_MAX;
}

void granule_refcount_add(struct granule *g, unsigned int n)
{
	uint16_t old = atomic_fetch_add_explicit(&g->desc, (uint16_t)n, memory_order_relaxed);

	assert((old & GRANULE_REFCOUNT_MAX) + n <= GRANULE_REFCOUNT_MAX);
	(void)old;
}

void granule_refcount_sub(struct granule *g, unsigned int n)
{
	uint16_t old = atomic_fetch_sub_explicit(&g->desc, (uint16_t)n, memory_order_relaxed);

	assert((old & GRANULE_REFCOUNT_MAX) >= n);
	(void)old;
}

void granule_refcount_inc(struct granule *g)
{
	granule_refcount_add(g, 1);
}

void granule_refcount_dec(struct granule *g)
{
	granule_refcount_sub(g, 1);
}

void granule_refcount_dec_release(struct granule *g)
{
	uint16_t old = atomic_fetch_sub_explicit(&g->desc, 1, memory_order_release);

	assert((old & GRANULE_REFCOUNT_MAX) >= 1);
	(void)old;
}

uint64_t granules_count(void)
{
	return n_granules;
}

struct granule *granule_at(uint64_t index)
{
	return index < n_granules ? &granules[index] : NULL;
}
