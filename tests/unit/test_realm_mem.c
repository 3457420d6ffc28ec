/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * realm_mem_copy(): the RMM's access to RSI buffers through the realm's
 * RTTs (rmm-v1.0.md s6 "RSI buffer", s12.6, s13), against RTT states built
 * with the RMI exactly as a host builds them:
 *   ASSIGNED/RAM (page and level-2 block)      -> copied, both directions;
 *   UNASSIGNED/EMPTY, ASSIGNED/EMPTY           -> REALM_MEM_EMPTY (RSI_ERROR_INPUT);
 *   UNASSIGNED/RAM (page and level-2 block)    -> REALM_MEM_UNMAPPED at the walk level;
 *   UNASSIGNED/DESTROYED, ASSIGNED/DESTROYED,
 *   DESTROYED left by RTT_DESTROY at level 2   -> REALM_MEM_UNMAPPED at the walk level;
 * a failed access touches nothing, no RTT lock is left held, and a copy
 * racing with DATA_DESTROY never writes into a granule after its scrub.
 *
 * Layout of the NEW realm (s1.3 defaults: IPA width 40, SHA-256):
 *   [0, 2 MB)    level-3 RTT: page 0 ASSIGNED/RAM (DATA_CREATE of a pattern),
 *                1 UNASSIGNED/EMPTY, 2 UNASSIGNED/RAM, 3 ASSIGNED/EMPTY,
 *                4 UNASSIGNED/DESTROYED, 5 ASSIGNED/DESTROYED
 *   [2, 4 MB)    level-2 block ASSIGNED/RAM (512 DATA granules folded)
 *   [4, 6 MB)    level-2 entry UNASSIGNED/RAM
 *   [6, 8 MB)    level-2 entry UNASSIGNED/DESTROYED (RTT_DESTROY of its RTT)
 *   [1 GB, ...)  level-1 entry UNASSIGNED/EMPTY
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "rec_data_fixture.h"
#include "realm_mem.h"
#include "s2tt.h"

#define PAGE(n)	       ((uint64_t)(n)*GRANULE_SIZE)
#define MB(n)	       ((uint64_t)(n) << 20)
#define BLOCK_PA_ALIGN MB(2)

struct layout {
	struct fx_realm r;
	struct s2tt_ctx s2;
	pa_t page0, block; /* DATA of page 0; first DATA granule of the block */
	pa_t page3, page5;
};

static void make_page0(struct layout *l, uint64_t ipa, pa_t *data)
{
	pa_t src = fx_src_page(7);

	*data = fx_delegated();
	assert_rmi(fx_data_create(&l->r, *data, ipa, src, RMI_MEASURE_CONTENT), RMI_SUCCESS, 0);
	host_page_free(src);
}

/* [2 MB, 4 MB): 512 contiguous DATA granules at a 2 MB-aligned PA, folded into a block. */
static void make_block(struct layout *l)
{
	uint64_t top;
	struct smc_result f;

	fx_rtts(&l->r, MB(2), 3);
	assert_rmi(fx_init_ripas(&l->r, MB(2), MB(4), &top), RMI_SUCCESS, 0);
	assert_int_equal(top, MB(4));
	l->block = host_pages_alloc_contig(512, BLOCK_PA_ALIGN);
	assert_true(l->block.v != 0);
	for (unsigned int i = 0; i < 512; i++) {
		pa_t pa = pa_add(l->block, PAGE(i));

		assert_rmi(rmi_granule_delegate(pa), RMI_SUCCESS, 0);
		assert_rmi(fx_data_create_unknown(&l->r, pa, MB(2) + PAGE(i)), RMI_SUCCESS, 0);
	}
	/* rmm-v1.0.md s11.5: a contiguous ASSIGNED/RAM RTT folds into a block. */
	f = smc_call(RMI_RTT_FOLD, l->r.rd.v, MB(2), 3, 0, 0, 0);
	assert_rmi(f.x[0], RMI_SUCCESS, 0);
	f = fx_read_entry(&l->r, MB(2), 3);
	assert_rmi(f.x[0], RMI_SUCCESS, 0);
	assert_int_equal(f.x[1], 2); /* walk level: the block */
	assert_int_equal(f.x[2], RMI_ASSIGNED);
	assert_int_equal(f.x[3], l->block.v);
	assert_int_equal(f.x[4], RMI_RAM);
}

static void make_layout(struct layout *l)
{
	uint64_t top;
	pa_t d4, d5;
	struct smc_result d;

	fx_realm_create(&l->r, RMI_HASH_SHA_256);
	fx_rtts(&l->r, 0, 3);
	make_page0(l, PAGE(0), &l->page0);
	assert_rmi(fx_init_ripas(&l->r, PAGE(2), PAGE(3), &top), RMI_SUCCESS, 0);
	l->page3 = fx_delegated();
	assert_rmi(fx_data_create_unknown(&l->r, l->page3, PAGE(3)), RMI_SUCCESS, 0);
	/* s11.1: DATA_DESTROY of ASSIGNED/RAM leaves UNASSIGNED/DESTROYED. */
	make_page0(l, PAGE(4), &d4);
	assert_rmi(fx_data_destroy(&l->r, PAGE(4)).x[0], RMI_SUCCESS, 0);
	make_page0(l, PAGE(5), &d5);
	assert_rmi(fx_data_destroy(&l->r, PAGE(5)).x[0], RMI_SUCCESS, 0);
	l->page5 = fx_delegated();
	assert_rmi(fx_data_create_unknown(&l->r, l->page5, PAGE(5)), RMI_SUCCESS, 0);
	make_block(l);
	/* [4 MB, 6 MB): a level-2 entry with RIPAS RAM and no RTT below it. */
	assert_rmi(fx_init_ripas(&l->r, MB(4), MB(6), &top), RMI_SUCCESS, 0);
	/* [6 MB, 8 MB): s11.1 RTT_DESTROY leaves the parent UNASSIGNED/DESTROYED. */
	fx_rtts(&l->r, MB(6), 3);
	d = smc_call(RMI_RTT_DESTROY, l->r.rd.v, MB(6), 3, 0, 0, 0);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	fx_assert_entry(&l->r, PAGE(0), RMI_ASSIGNED, l->page0.v, RMI_RAM);
	fx_assert_entry(&l->r, PAGE(1), RMI_UNASSIGNED, 0, RMI_EMPTY);
	fx_assert_entry(&l->r, PAGE(2), RMI_UNASSIGNED, 0, RMI_RAM);
	fx_assert_entry(&l->r, PAGE(3), RMI_ASSIGNED, l->page3.v, RMI_EMPTY);
	fx_assert_entry(&l->r, PAGE(4), RMI_UNASSIGNED, 0, RMI_DESTROYED);
	fx_assert_entry(&l->r, PAGE(5), RMI_ASSIGNED, l->page5.v, RMI_DESTROYED);
	s2tt_ctx_init(&l->s2, fx_rd(&l->r));
}

/* No granule lock is held (a leaked RTT lock would show here). */
static void assert_no_locks(void)
{
	for (uint64_t i = 0; i < granules_count(); i++)
		assert_int_equal(atomic_load(&granule_at(i)->desc) & GRANULE_LOCK_BIT, 0);
}

/* s13: ASSIGNED/RAM page: read the DATA granule's bytes, write them back changed. */
static void test_assigned_ram_page(void **state)
{
	struct layout l;
	uint8_t buf[300], want[300];
	const uint8_t *data;
	int level = -7;

	(void)state;
	make_layout(&l);
	data = platform_root_ptr(l.page0);
	assert_int_equal(realm_mem_copy(&l.s2, PAGE(0) + 100, buf, sizeof(buf), false, &level),
			 REALM_MEM_OK);
	assert_memory_equal(buf, data + 100, sizeof(buf));
	assert_int_equal(level, -7); /* *level only on UNMAPPED */
	memset(want, 0xc3, sizeof(want));
	assert_int_equal(realm_mem_copy(&l.s2, PAGE(0) + 4096 - sizeof(want), want, sizeof(want),
					true, &level),
			 REALM_MEM_OK);
	assert_memory_equal(data + 4096 - sizeof(want), want, sizeof(want));
	/* Bytes before the range are the pattern of fx_src_page(7) still. */
	assert_int_equal(data[4096 - sizeof(want) - 1],
			 (uint8_t)((4096 - sizeof(want) - 1) * 13 + 7 * 101 + 1));
	assert_no_locks();
}

/* s11.5 block: the copy reaches the granule at the IPA's offset inside the block. */
static void test_assigned_ram_block(void **state)
{
	const uint64_t off = PAGE(37) + 0x123;
	struct layout l;
	uint8_t buf[64], back[64];
	const uint8_t *data;

	(void)state;
	make_layout(&l);
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ 0x5a);
	assert_int_equal(realm_mem_copy(&l.s2, MB(2) + off, buf, sizeof(buf), true, NULL),
			 REALM_MEM_OK);
	data = platform_root_ptr(pa_add(l.block, PAGE(37)));
	assert_memory_equal(data + 0x123, buf, sizeof(buf));
	assert_int_equal(realm_mem_copy(&l.s2, MB(2) + off, back, sizeof(back), false, NULL),
			 REALM_MEM_OK);
	assert_memory_equal(back, buf, sizeof(buf));
	/* The last granule of the block. */
	assert_int_equal(realm_mem_copy(&l.s2, MB(4) - 8, buf, 8, true, NULL), REALM_MEM_OK);
	data = platform_root_ptr(pa_add(l.block, PAGE(511)));
	assert_memory_equal(data + 4088, buf, 8);
	assert_no_locks();
}

struct bad_case {
	uint64_t ipa;
	enum realm_mem_status st;
	int level; /* UNMAPPED only */
	const char *what;
};

/*
 * rmm-v1.0.md s6 / s12.6: RIPAS EMPTY (any HIPAS) -> EMPTY; RIPAS RAM
 * without a granule, or DESTROYED (any HIPAS) -> UNMAPPED with the level
 * of the entry the walk stopped at. Nothing is copied either way.
 */
static void test_not_accessible(void **state)
{
	const struct bad_case cases[] = {
		{ PAGE(1), REALM_MEM_EMPTY, 0, "UNASSIGNED/EMPTY" },
		{ PAGE(3) + 8, REALM_MEM_EMPTY, 0, "ASSIGNED/EMPTY" },
		{ MB(1024) + PAGE(3), REALM_MEM_EMPTY, 0, "UNASSIGNED/EMPTY at level 1" },
		{ PAGE(2), REALM_MEM_UNMAPPED, 3, "UNASSIGNED/RAM" },
		{ PAGE(4) + 0xff0, REALM_MEM_UNMAPPED, 3, "UNASSIGNED/DESTROYED" },
		{ PAGE(5), REALM_MEM_UNMAPPED, 3, "ASSIGNED/DESTROYED" },
		{ MB(4) + PAGE(9), REALM_MEM_UNMAPPED, 2, "UNASSIGNED/RAM at level 2" },
		{ MB(6) + PAGE(1), REALM_MEM_UNMAPPED, 2, "UNASSIGNED/DESTROYED at level 2" },
	};
	struct layout l;
	uint8_t buf[16], ref[16];

	(void)state;
	make_layout(&l);
	memset(ref, 0xee, sizeof(ref));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int level = -1;

		print_message("  %s\n", cases[i].what);
		memcpy(buf, ref, sizeof(buf));
		assert_int_equal(realm_mem_copy(&l.s2, cases[i].ipa, buf, 8, false, &level),
				 cases[i].st);
		assert_memory_equal(buf, ref, sizeof(buf));
		if (cases[i].st == REALM_MEM_UNMAPPED)
			assert_int_equal(level, cases[i].level);
		assert_int_equal(realm_mem_copy(&l.s2, cases[i].ipa, buf, 8, true, &level),
				 cases[i].st);
		/* len 0 checks the granule all the same (TOKEN_CONTINUE size 0, s15.4). */
		assert_int_equal(realm_mem_copy(&l.s2, cases[i].ipa, buf, 0, true, &level),
				 cases[i].st);
	}
	/* The granules behind the EMPTY and DESTROYED entries were not written. */
	assert_true(fx_is_zero(l.page3));
	assert_true(fx_is_zero(l.page5));
	assert_no_locks();
}

/* realm_mem_copy_segs writes exactly its segments (REALM_CONFIG, s8.4) and len 0 nothing. */
static void test_segments(void **state)
{
	uint64_t a = 0x1122334455667788ULL;
	uint8_t b = 0x99, c[64], before[4096];
	struct realm_mem_seg segs[] = { { 0, &a, 8 }, { 8, &b, 1 }, { 0x200, c, 64 } };
	struct layout l;
	uint8_t *data;

	(void)state;
	make_layout(&l);
	memset(c, 0x42, sizeof(c));
	data = platform_root_ptr(l.page0);
	memcpy(before, data, sizeof(before));
	assert_int_equal(realm_mem_copy(&l.s2, PAGE(0), before, 0, true, NULL), REALM_MEM_OK);
	assert_memory_equal(data, before, sizeof(before));
	assert_int_equal(realm_mem_copy_segs(&l.s2, PAGE(0), segs, 3, true, NULL), REALM_MEM_OK);
	assert_memory_equal(data, &a, 8);
	assert_int_equal(data[8], 0x99);
	assert_memory_equal(data + 9, before + 9, 0x200 - 9);
	assert_memory_equal(data + 0x200, c, 64);
	assert_memory_equal(data + 0x240, before + 0x240, 4096 - 0x240);
	/* Nothing of a failing multi-segment access is written. */
	assert_int_equal(realm_mem_copy_segs(&l.s2, PAGE(4), segs, 3, true, NULL),
			 REALM_MEM_UNMAPPED);
	assert_no_locks();
}

struct race {
	struct layout *l;
	atomic_bool stop;
	atomic_uint ok, unmapped;
};

static void *copier(void *arg)
{
	struct race *r = arg;
	uint8_t ones[4096];

	memset(ones, 0xff, sizeof(ones));
	while (!atomic_load(&r->stop)) {
		enum realm_mem_status st =
			realm_mem_copy(&r->l->s2, PAGE(0), ones, sizeof(ones), true, NULL);

		assert_true(st == REALM_MEM_OK || st == REALM_MEM_UNMAPPED);
		atomic_fetch_add(st == REALM_MEM_OK ? &r->ok : &r->unmapped, 1);
	}
	return NULL;
}

/*
 * s13 / s16.2: the walk holds the leaf RTT while copying, so DATA_DESTROY
 * (which needs that RTT) cannot scrub the granule under a copy: right after
 * DATA_DESTROY returns the granule is zero and stays zero.
 */
static void test_race_with_data_destroy(void **state)
{
	struct layout l;
	struct race r = { .l = &l };
	pthread_t t;

	(void)state;
	make_layout(&l);
	assert_int_equal(pthread_create(&t, NULL, copier, &r), 0);
	for (int i = 0; i < 200; i++) {
		unsigned int ok = atomic_load(&r.ok);
		struct smc_result d;
		pa_t src;

		/* Let the copier write the mapped page at least once (the race is real). */
		while (atomic_load(&r.ok) == ok)
			sched_yield();
		d = fx_data_destroy(&l.r, PAGE(0));
		src = fx_src_page(3);

		assert_rmi(d.x[0], RMI_SUCCESS, 0);
		assert_int_equal(d.x[1], l.page0.v);
		assert_true(fx_is_zero(l.page0));
		/* UNASSIGNED/DESTROYED now: DATA_CREATE (NEW realm) makes it ASSIGNED/RAM again. */
		assert_rmi(fx_data_create(&l.r, l.page0, PAGE(0), src, RMI_NO_MEASURE_CONTENT),
			   RMI_SUCCESS, 0);
		host_page_free(src);
	}
	atomic_store(&r.stop, true);
	assert_int_equal(pthread_join(t, NULL), 0);
	print_message("  copies: %u ok, %u unmapped\n", atomic_load(&r.ok),
		      atomic_load(&r.unmapped));
	assert_true(atomic_load(&r.ok) >= 200);
	assert_no_locks();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assigned_ram_page, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_assigned_ram_block, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_accessible, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_segments, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_race_with_data_destroy, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
