/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include <realmkit/platform.h>

#include "engine_test_util.h"
#include "platform_root.h"

static pa_t next_free, limit;

int tu_platform_up(unsigned int mib)
{
	struct rk_platform_config cfg = { .dram_size = (uint64_t)mib << 20 };
	uint64_t size;
	int err = platform_init(&cfg);

	if (err)
		return err;
	platform_ns_dram_range(&next_free, &size);
	limit = pa_add(next_free, size);
	return 0;
}

void tu_platform_down(void)
{
	platform_fini();
}

pa_t tu_alloc(unsigned int n)
{
	uint64_t align = (uint64_t)n * GRANULE_SIZE;
	pa_t pa = pa_of((next_free.v + align - 1) & ~(align - 1));

	if (pa.v + align > limit.v) {
		fprintf(stderr, "tu_alloc: out of DRAM\n");
		return pa_of(0);
	}
	next_free = pa_add(pa, align);
	memset(tu_ptr(pa), 0, align);
	return pa;
}

void *tu_ptr(pa_t pa)
{
	return platform_root_ptr(pa);
}

void s2b_init(struct s2b *b, unsigned int s2sz, int sl, uint16_t vmid)
{
	b->s2sz = s2sz;
	b->sl = sl;
	b->vmid = vmid;
	b->root = tu_alloc(engine_s2_root_tables(s2sz, sl));
}

uint64_t *s2b_slot(struct s2b *b, uint64_t ipa)
{
	pa_t table = b->root;

	for (int level = b->sl; level <= 3; level++) {
		unsigned int shift = 12 + 9 * (3 - level);
		uint64_t idx = ipa >> shift, *slot;

		/* The start level indexes all concatenated tables. */
		idx &= level == b->sl ? (512ULL * engine_s2_root_tables(b->s2sz, b->sl) - 1) : 511;
		slot = (uint64_t *)tu_ptr(table) + idx;
		if (level == 3)
			return slot;
		if (!(*slot & 1)) {
			pa_t next = tu_alloc(1);

			*slot = next.v | 3; /* table descriptor */
		}
		table = pa_of(*slot & 0x0000fffffffff000ULL);
	}
	return NULL;
}

void s2b_map(struct s2b *b, uint64_t ipa, pa_t pa, uint64_t attrs)
{
	*s2b_slot(b, ipa) = pa.v | attrs;
}

void s2b_unmap(struct s2b *b, uint64_t ipa)
{
	*s2b_slot(b, ipa) = 0;
}

struct engine_stage2 s2b_stage2(const struct s2b *b)
{
	struct engine_stage2 s2 = {
		.vttbr = engine_vttbr(b->root, b->vmid),
		.vtcr = engine_vtcr(b->s2sz, b->sl),
	};

	return s2;
}

uint64_t tu_read_guest(const char *name, void *buf, uint64_t max)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.bin", RK_GUEST_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

uint64_t tu_load_guest(struct s2b *b, const char *name, uint64_t ipa, pa_t *pa_out)
{
	static unsigned char buf[64 << 10];
	uint64_t n = tu_read_guest(name, buf, sizeof(buf));
	unsigned int pages = (unsigned int)((n + GRANULE_SIZE - 1) / GRANULE_SIZE);
	pa_t pa = tu_alloc(pages);

	memcpy(tu_ptr(pa), buf, n);
	for (unsigned int i = 0; i < pages; i++)
		s2b_map(b, ipa + i * GRANULE_SIZE, pa_add(pa, i * GRANULE_SIZE), S2_PAGE_RW);
	if (pa_out)
		*pa_out = pa;
	return n;
}

void tu_state_init(struct engine_cpu_state *s, uint64_t pc)
{
	memset(s, 0, sizeof(*s));
	s->pc = pc;
	s->pstate = ENGINE_PSTATE_RESET;
	s->el1.sctlr = 0x30d00800; /* SCTLR_EL1 RES1 bits, MMU and caches off */
	s->el1.cpacr = 3ULL << 20; /* FPEN: no SIMD/FP traps */
	s->vmpidr = 0x80000000;
}
