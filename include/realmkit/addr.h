/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address kinds as distinct types, so that a physical address cannot be
 * passed where an intermediate physical address is expected (and the other
 * way round) without an explicit conversion.
 */
#ifndef REALMKIT_ADDR_H
#define REALMKIT_ADDR_H

#include <stdbool.h>
#include <stdint.h>

/* A physical address (the platform's PA space, shared by all actors). */
typedef struct {
	uint64_t v;
} pa_t;

/* An intermediate physical address (a realm's guest-physical address). */
typedef struct {
	uint64_t v;
} ipa_t;

#define GRANULE_SHIFT 12
#define GRANULE_SIZE  (1ULL << GRANULE_SHIFT)
#define GRANULE_MASK  (GRANULE_SIZE - 1)

static inline pa_t pa_of(uint64_t v)
{
	return (pa_t){ v };
}

static inline ipa_t ipa_of(uint64_t v)
{
	return (ipa_t){ v };
}

static inline bool pa_granule_aligned(pa_t pa)
{
	return (pa.v & GRANULE_MASK) == 0;
}

static inline pa_t pa_add(pa_t pa, uint64_t off)
{
	return (pa_t){ pa.v + off };
}

#endif /* REALMKIT_ADDR_H */
