/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers for the CPU engine tests: a platform, a bump allocator of DRAM
 * granules, a small stage-2 table builder (the tests' own, not the RMM's),
 * guest loading and a REC state template.
 */
#ifndef REALMKIT_ENGINE_TEST_UTIL_H
#define REALMKIT_ENGINE_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

/* Stage-2 page descriptor: valid page, MemAttr 0b1111, S2AP RW, SH Inner, AF. */
#define S2_PAGE_RW 0x7ffULL
#define S2_PAGE_RO 0x77fULL /* S2AP = 0b01: read-only */

/* Case offsets in guests/basic.S. */
#define CASE(n) ((uint64_t)(n)*0x100)

struct s2b {
	unsigned int s2sz;
	int sl;
	uint16_t vmid;
	pa_t root;
};

/* platform_init() with `mib` MiB of DRAM and a fresh granule allocator. */
int tu_platform_up(unsigned int mib);
void tu_platform_down(void);

/* A zeroed DRAM granule (n contiguous, aligned to n granules). */
pa_t tu_alloc(unsigned int n);
/* Root-view pointer of a PA. */
void *tu_ptr(pa_t pa);

/* Stage-2 tables: root (concatenated as needed) allocated at init. */
void s2b_init(struct s2b *b, unsigned int s2sz, int sl, uint16_t vmid);
/* The level-3 descriptor slot of ipa (creating tables as needed). */
uint64_t *s2b_slot(struct s2b *b, uint64_t ipa);
void s2b_map(struct s2b *b, uint64_t ipa, pa_t pa, uint64_t attrs);
void s2b_unmap(struct s2b *b, uint64_t ipa);
struct engine_stage2 s2b_stage2(const struct s2b *b);

/* Loads guests/<name>.bin into fresh granules and maps them at ipa. Returns its size. */
uint64_t tu_load_guest(struct s2b *b, const char *name, uint64_t ipa, pa_t *pa_out);
/* Reads guests/<name>.bin into buf (at most max bytes). Returns the size or 0. */
uint64_t tu_read_guest(const char *name, void *buf, uint64_t max);

/* A REC state at pc: EL1h, DAIF masked, FP enabled, SCTLR RES1 bits, MMU off. */
void tu_state_init(struct engine_cpu_state *s, uint64_t pc);

#endif
