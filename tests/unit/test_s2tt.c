/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * s2tt: entry encodings (rmm-v1.0.md s9.4, bit-compatible with TF-RMM for
 * invalid entries; valid descriptors as measured on the engine,
 * unicorn-2.0.1.md), the s11.4 read-out mapping, the s8.6 host descriptor
 * rule, the s10 geometry table, the locked walk on a real realm, the s11.5
 * unfold/fold helpers, the s11.7 scan, and the platform TLBI registry.
 */
#include <errno.h>
#include <stdatomic.h>

#include "rtt_fixture.h"

#define PA_2M (RK_DRAM_BASE + 4 * RT_MB) /* a 2 MB-aligned PA */

/* s10: entry sizes 2^48, 2^39, 2^30, 2^21, 2^12. */
static void test_entry_size(void **state)
{
	(void)state;
	assert_int_equal(s2tt_entry_size(-1), 1ULL << 48);
	assert_int_equal(s2tt_entry_size(0), 1ULL << 39);
	assert_int_equal(s2tt_entry_size(1), 1ULL << 30);
	assert_int_equal(s2tt_entry_size(2), 1ULL << 21);
	assert_int_equal(s2tt_entry_size(3), 1ULL << 12);
	assert_true(s2tt_addr_level_aligned(RT_GB, 1));
	assert_false(s2tt_addr_level_aligned(RT_GB + 2 * RT_MB, 1));
	assert_true(s2tt_addr_level_aligned(RT_GB + 2 * RT_MB, 2));
}

/* The s10 table, written out row by row (not derived from the formula). */
static unsigned int geometry_expected(unsigned int s2sz, int sl, bool lpa2)
{
	if (s2sz < 32 || s2sz > (lpa2 ? 52u : 48u))
		return 0;
	switch (sl) {
	case -1:
		return lpa2 && s2sz >= 49 ? 1 : 0;
	case 0:
		if (s2sz < 40)
			return 0;
		return s2sz <= 48 ? 1 : 1u << (s2sz - 48); /* 49..52 only with LPA2 */
	case 1:
		if (s2sz > 43)
			return 0;
		return s2sz <= 39 ? 1 : 1u << (s2sz - 39);
	case 2:
		return s2sz <= 34 ? 1u << (s2sz - 30) : 0;
	default:
		return 0;
	}
}

/* rmm-v1.0.md s10: valid (s2sz, start level) pairs and their root counts. */
static void test_geometry_table(void **state)
{
	(void)state;
	for (int lpa2 = 0; lpa2 <= 1; lpa2++) {
		for (unsigned int s2sz = 0; s2sz <= 64; s2sz++) {
			for (int sl = -3; sl <= 4; sl++) {
				unsigned int exp = geometry_expected(s2sz, sl, lpa2);

				assert_int_equal(s2tt_num_root_rtts(s2sz, sl, lpa2), exp);
				assert_true(exp <= S2TT_MAX_ROOTS);
			}
		}
	}
	/* The ACS mm_rtt_level_start realms. */
	assert_int_equal(s2tt_num_root_rtts(32, 2, false), 4);
	assert_int_equal(s2tt_num_root_rtts(34, 2, false), 16);
	assert_int_equal(s2tt_num_root_rtts(40, 1, false), 2);
	assert_int_equal(s2tt_num_root_rtts(42, 1, false), 8);
	assert_int_equal(s2tt_num_root_rtts(52, 0, true), 16);
	assert_int_equal(s2tt_num_root_rtts(40, 0, false), 1);
}

/* s9.4 encodings: TF-RMM's invalid-entry bits, the engine's valid descriptors. */
static void test_encodings(void **state)
{
	uint64_t pa = PA_2M, host = PA_2M | RT_NS_ATTRS;

	(void)state;
	assert_int_equal(s2tte_create_unassigned_empty(), 0);
	assert_int_equal(s2tte_create_unassigned_ram(), 1ULL << 5);
	assert_int_equal(s2tte_create_unassigned_destroyed(), 2ULL << 5);
	assert_int_equal(s2tte_create_unassigned_ns(), 1ULL << 55);
	assert_int_equal(s2tte_create_assigned_empty(pa, 3), pa | (1ULL << 2));
	assert_int_equal(s2tte_create_assigned_destroyed(pa, 3), pa | (1ULL << 2) | (2ULL << 5));
	/* unicorn-2.0.1.md: page = PA | 0x7FF, 2 MB block = PA | 0x7FD. */
	assert_int_equal(s2tte_create_assigned_ram(pa, 3), pa | 0x7FF);
	assert_int_equal(s2tte_create_assigned_ram(pa, 2), pa | 0x7FD);
	assert_int_equal(s2tte_create_assigned_ram(RT_GB, 1), RT_GB | 0x7FD);
	assert_int_equal(s2tte_create_table(pa), pa | 3);
	/* s8.6: host OA + MemAttr + S2AP, plus AF, SH = IS, XN, NS and the type. */
	assert_int_equal(s2tte_create_assigned_ns(host, 3),
			 host | S2TTE_AF | (3ULL << 8) | S2TTE_XN | S2TTE_NS | 3);
	assert_int_equal(s2tte_create_assigned_ns(host, 2),
			 host | S2TTE_AF | (3ULL << 8) | S2TTE_XN | S2TTE_NS | 1);
	assert_int_equal(s2tte_create_unassigned(RMI_RAM), s2tte_create_unassigned_ram());
	assert_int_equal(s2tte_create_assigned(pa, 3, RMI_RAM), pa | 0x7FF);
	assert_int_equal(s2tte_create_assigned(pa, 3, RMI_DESTROYED),
			 s2tte_create_assigned_destroyed(pa, 3));
}

enum kind {
	K_U_EMPTY,
	K_U_RAM,
	K_U_DESTROYED,
	K_U_NS,
	K_A_EMPTY,
	K_A_RAM,
	K_A_DESTROYED,
	K_A_NS,
	K_TABLE,
	K_COUNT
};

static uint64_t make(enum kind k, int level)
{
	uint64_t pa = PA_2M & ~(rt_size(level) - 1);

	switch (k) {
	case K_U_EMPTY:
		return s2tte_create_unassigned_empty();
	case K_U_RAM:
		return s2tte_create_unassigned_ram();
	case K_U_DESTROYED:
		return s2tte_create_unassigned_destroyed();
	case K_U_NS:
		return s2tte_create_unassigned_ns();
	case K_A_EMPTY:
		return s2tte_create_assigned_empty(pa, level);
	case K_A_RAM:
		return s2tte_create_assigned_ram(pa, level);
	case K_A_DESTROYED:
		return s2tte_create_assigned_destroyed(pa, level);
	case K_A_NS:
		return s2tte_create_assigned_ns(pa | RT_NS_ATTRS, level);
	default:
		return s2tte_create_table(PA_2M);
	}
}

/* Each predicate holds for exactly its own kind, at every level it exists. */
static void test_predicates(void **state)
{
	(void)state;
	for (int level = 1; level <= 3; level++) {
		for (int k = 0; k < K_COUNT; k++) {
			uint64_t e;

			if (k == K_TABLE && level == 3)
				continue;
			e = make((enum kind)k, level);
			assert_int_equal(s2tte_is_unassigned_empty(e), k == K_U_EMPTY);
			assert_int_equal(s2tte_is_unassigned_ram(e), k == K_U_RAM);
			assert_int_equal(s2tte_is_unassigned_destroyed(e), k == K_U_DESTROYED);
			assert_int_equal(s2tte_is_unassigned_ns(e), k == K_U_NS);
			assert_int_equal(s2tte_is_unassigned(e), k <= K_U_DESTROYED);
			assert_int_equal(s2tte_is_assigned_empty(e, level), k == K_A_EMPTY);
			assert_int_equal(s2tte_is_assigned_ram(e, level), k == K_A_RAM);
			assert_int_equal(s2tte_is_assigned_destroyed(e, level), k == K_A_DESTROYED);
			assert_int_equal(s2tte_is_assigned(e, level),
					 k >= K_A_EMPTY && k <= K_A_DESTROYED);
			assert_int_equal(s2tte_is_assigned_ns(e, level), k == K_A_NS);
			assert_int_equal(s2tte_is_table(e, level), k == K_TABLE);
			/* s11.7: live = TABLE, ASSIGNED (any RIPAS), ASSIGNED_NS. */
			assert_int_equal(s2tte_is_live(e, level), k >= K_A_EMPTY);
		}
	}
	/* A level-3 descriptor with type 0b11 is a page, never a table. */
	assert_false(s2tte_is_table(s2tte_create_assigned_ram(PA_2M, 3), 3));
	/* No level-0 blocks (s9.4). */
	assert_false(s2tte_is_assigned_ram((PA_2M & ~((1ULL << 39) - 1)) | 0x7FD, 0));
}

/* rmm-v1.0.md s11.4, incl. the post-tag fix f5257c6e (ASSIGNED/DESTROYED -> PA). */
static void test_read_mapping(void **state)
{
	static const struct {
		enum kind k;
		unsigned int st, ripas;
		bool has_desc;
	} rows[] = {
		{ K_U_EMPTY, RMI_UNASSIGNED, RMI_EMPTY, false },
		{ K_U_RAM, RMI_UNASSIGNED, RMI_RAM, false },
		{ K_U_DESTROYED, RMI_UNASSIGNED, RMI_DESTROYED, false },
		{ K_A_EMPTY, RMI_ASSIGNED, RMI_EMPTY, true },
		{ K_A_RAM, RMI_ASSIGNED, RMI_RAM, true },
		{ K_A_DESTROYED, RMI_ASSIGNED, RMI_DESTROYED, true },
		{ K_U_NS, RMI_UNASSIGNED, RMI_EMPTY, false },
		{ K_A_NS, RMI_ASSIGNED, RMI_EMPTY, true },
		{ K_TABLE, RMI_TABLE, RMI_EMPTY, true },
	};

	(void)state;
	for (int level = 2; level <= 3; level++) {
		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			uint64_t e, pa = PA_2M, want;

			if (rows[i].k == K_TABLE && level == 3)
				continue;
			e = make(rows[i].k, level);
			want = !rows[i].has_desc     ? 0
			       : rows[i].k == K_A_NS ? (pa | RT_NS_ATTRS)
						     : pa;
			assert_int_equal(s2tte_rtt_state(e, level), rows[i].st);
			assert_int_equal(s2tte_read_desc(e, level), want);
			assert_int_equal(s2tte_read_ripas(e, level), rows[i].ripas);
			/* s11.4: a protected ASSIGNED desc has bits [9:2] zero. */
			if (rows[i].k >= K_A_EMPTY && rows[i].k <= K_A_DESTROYED)
				assert_int_equal(s2tte_read_desc(e, level) & 0x3FC, 0);
		}
	}
}

/* rmm-v1.0.md s8.6 / failure-conditions s2.21 attr_valid, addr_align, addr_bound, DBM. */
static void test_host_desc(void **state)
{
	uint64_t ok = PA_2M | RT_NS_ATTRS;

	(void)state;
	assert_true(s2tte_host_ns_desc_valid(ok, 3, false));
	assert_true(s2tte_host_ns_desc_valid(ok, 2, false));
	assert_true(s2tte_host_ns_desc_valid(RT_GB | RT_NS_ATTRS, 1, false));
	/* Every MemAttr [4:2] except 0b100, every S2AP. */
	for (uint64_t m = 0; m < 8; m++) {
		for (uint64_t ap = 0; ap < 4; ap++)
			assert_int_equal(
				s2tte_host_ns_desc_valid(PA_2M | m << 2 | ap << 6, 3, false),
				m != 4);
	}
	/* Descriptor type, MemAttr[3] (bit 5), SH, AF, DBM (51), Contiguous (52), XN, NS. */
	static const uint64_t bad_bits[] = { 1ULL << 0,	 1ULL << 1,  1ULL << 5,	 1ULL << 8,
					     1ULL << 9,	 1ULL << 10, 1ULL << 51, 1ULL << 52,
					     1ULL << 54, 1ULL << 55, 1ULL << 63, 1ULL << 11 };
	for (size_t i = 0; i < ARRAY_SIZE(bad_bits); i++)
		assert_false(s2tte_host_ns_desc_valid(ok | bad_bits[i], 3, false));
	/* OA not aligned to the level's block size. */
	assert_false(s2tte_host_ns_desc_valid((PA_2M + GRANULE_SIZE) | RT_NS_ATTRS, 2, false));
	assert_false(s2tte_host_ns_desc_valid(PA_2M | RT_NS_ATTRS, 1, false));
	/* OA beyond 48 bits without LPA2. */
	assert_false(s2tte_host_ns_desc_valid((1ULL << 48) | RT_NS_ATTRS, 3, false));
	assert_true(s2tte_host_ns_desc_valid((1ULL << 48) | RT_NS_ATTRS, 3, true));
}

/* s11.5 unfold: copies of an unassigned parent; contiguous children of a block. */
static void test_unfold(void **state)
{
	static uint64_t t[512];

	(void)state;
	for (int k = K_U_EMPTY; k <= K_U_NS; k++) {
		uint64_t pe = make((enum kind)k, 2);

		assert_int_equal(s2tt_init_unfolded(t, pe, 3), 0);
		for (int i = 0; i < 512; i++)
			assert_int_equal(t[i], pe);
	}
	for (int k = K_A_EMPTY; k <= K_A_NS; k++) {
		uint64_t pe = make((enum kind)k, 2);
		unsigned int refs = s2tt_init_unfolded(t, pe, 3);

		/* s16.3: 512 references for a protected ASSIGNED block, none for NS. */
		assert_int_equal(refs, k == K_A_NS ? 0 : 512);
		for (int i = 0; i < 512; i++) {
			uint64_t want = k == K_A_NS
						? s2tte_create_assigned_ns(
							  (PA_2M + i * 4096ULL) | RT_NS_ATTRS, 3)
						: s2tte_create_assigned(PA_2M + i * 4096ULL, 3,
									s2tte_get_ripas(pe));

			assert_int_equal(t[i], want);
		}
		/* The fold of the unfolded table gives the block back. */
		uint64_t back = 0;

		assert_int_equal(s2tt_fold_kind(t, 3, &back),
				 k == K_A_NS ? S2TT_FOLD_ASSIGNED_NS : S2TT_FOLD_ASSIGNED);
		assert_int_equal(back, pe);
	}
}

/* s11.5 fold: homogeneity, contiguity, alignment, identical NS attributes. */
static void test_fold_kind(void **state)
{
	static uint64_t t[512];
	uint64_t pe = 0;

	(void)state;
	for (int k = K_U_EMPTY; k <= K_U_NS; k++) {
		for (int i = 0; i < 512; i++)
			t[i] = make((enum kind)k, 3);
		assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_UNASSIGNED);
		assert_int_equal(pe, make((enum kind)k, 3));
		/* One different entry: not homogeneous. */
		t[300] = make(k == K_U_EMPTY ? K_U_RAM : K_U_EMPTY, 3);
		assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_NONE);
	}
	/* Contiguous ASSIGNED/RAM pages, but starting at a non-2 MB-aligned PA. */
	for (int i = 0; i < 512; i++)
		t[i] = s2tte_create_assigned_ram(PA_2M + GRANULE_SIZE + i * 4096ULL, 3);
	assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_NONE);
	/* Aligned but one page out of sequence. */
	for (int i = 0; i < 512; i++)
		t[i] = s2tte_create_assigned_ram(PA_2M + i * 4096ULL, 3);
	t[7] = s2tte_create_assigned_ram(PA_2M + 8 * 4096ULL, 3);
	assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_NONE);
	/* Mixed RIPAS among assigned pages. */
	t[7] = s2tte_create_assigned_empty(PA_2M + 7 * 4096ULL, 3);
	assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_NONE);
	/* NS pages with one different S2AP. */
	for (int i = 0; i < 512; i++)
		t[i] = s2tte_create_assigned_ns((PA_2M + i * 4096ULL) | RT_NS_ATTRS, 3);
	assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_ASSIGNED_NS);
	t[511] = s2tte_create_assigned_ns((PA_2M + 511 * 4096ULL) | (0x6ULL << 2) | (1ULL << 6), 3);
	assert_int_equal(s2tt_fold_kind(t, 3, &pe), S2TT_FOLD_NONE);
}

/* s11.7 on a synthetic level-3 RTT and a level-0 root (capped at 2^s2sz). */
static void test_skip_non_live(void **state)
{
	static uint64_t t[512];
	struct s2tt_ctx ctx = { .start_level = 0, .num_root_rtts = 1, .s2sz = 40 };
	struct s2tt_walk wi = { .level = 3, .index = 1 };
	uint64_t base = 2 * RT_MB;

	(void)state;
	memset(t, 0, sizeof(t));
	t[3] = s2tte_create_assigned_ram(PA_2M, 3);
	/* ACS: destroying the page at 4 KB with the next live page at 12 KB -> 12 KB. */
	assert_int_equal(s2tt_skip_non_live_entries(&ctx, base + 4096, t, &wi), base + 12288);
	wi.index = 3;
	assert_int_equal(s2tt_skip_non_live_entries(&ctx, base + 12288, t, &wi), base + 12288);
	wi.index = 4;
	assert_int_equal(s2tt_skip_non_live_entries(&ctx, base + 16384, t, &wi), base + 2 * RT_MB);
	/* Root of a 40-bit level-0 realm: 2 entries map the IPA space. */
	t[1] = s2tte_create_unassigned_ns();
	wi.level = 0;
	wi.index = 0;
	assert_int_equal(s2tt_rtt_end_index(&ctx, &wi), 2);
	assert_int_equal(s2tt_skip_non_live_entries(&ctx, 0, t, &wi), 1ULL << 40);
	/* Concatenated roots [40, 1, 2]: each 4 KB root table is one RTT. */
	ctx.start_level = 1;
	ctx.num_root_rtts = 2;
	wi.level = 1;
	wi.index = 5;
	assert_int_equal(s2tt_rtt_end_index(&ctx, &wi), 512);
	wi.index = 600;
	assert_int_equal(s2tt_rtt_end_index(&ctx, &wi), 1024);
}

/* s10 root initialisation, checked in the root granules of real realms. */
static void test_root_init(void **state)
{
	struct rt_realm a, b;
	uint64_t *t;

	(void)state;
	rt_realm_create(&a, 1);
	t = rt_table(a.root);
	assert_int_equal(t[0], s2tte_create_unassigned_empty());
	assert_int_equal(t[1], s2tte_create_unassigned_ns());
	for (int i = 2; i < 512; i++)
		assert_int_equal(t[i], 0);
	assert_rmi(rt_realm_create_geo(&b, 40, 1, 2, 2), RMI_SUCCESS, 0);
	t = rt_table(b.root);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(t[i], i < 512 ? s2tte_create_unassigned_empty()
					       : s2tte_create_unassigned_ns());
	rt_realm_teardown(&a);
	rt_realm_teardown(&b);
}

/* The locked walk: stops at the first non-TABLE entry, leaves one RTT locked. */
static void test_walk(void **state)
{
	struct rt_realm r;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;
	pa_t l1, l2;

	(void)state;
	rt_realm_create(&r, 3);
	l1 = rt_rtt(&r, 0, 1);
	l2 = rt_rtt(&r, 0, 2);
	s2tt_ctx_init(&ctx, rd_of(find_granule(r.rd)));
	assert_int_equal(ctx.rtt_base, r.root.v);
	assert_int_equal(ctx.vmid, 3);
	s2tt_walk_lock_unlock(&ctx, s2tt_lock_root(&ctx), 2 * RT_MB + 4096, 3, &wi);
	assert_ptr_equal(wi.g_llt, find_granule(l2));
	assert_int_equal(wi.level, 2);
	assert_int_equal(wi.index, 1);
	assert_true(atomic_load(&find_granule(l2)->desc) & GRANULE_LOCK_BIT);
	assert_false(atomic_load(&find_granule(l1)->desc) & GRANULE_LOCK_BIT);
	assert_false(atomic_load(&find_granule(r.root)->desc) & GRANULE_LOCK_BIT);
	granule_unlock(wi.g_llt);
	/* Walk towards level 1 stops at level 1 even though deeper tables exist. */
	s2tt_walk_lock_unlock(&ctx, s2tt_lock_root(&ctx), RT_GB, 1, &wi);
	assert_ptr_equal(wi.g_llt, find_granule(l1));
	assert_int_equal(wi.index, 1);
	granule_unlock(wi.g_llt);
	/* An unprotected IPA stops at the root (UNASSIGNED_NS), index 1. */
	s2tt_walk_lock_unlock(&ctx, s2tt_lock_root(&ctx), FX_IPA_UNPROT, 3, &wi);
	assert_ptr_equal(wi.g_llt, find_granule(r.root));
	assert_int_equal(wi.level, 0);
	assert_int_equal(wi.index, 1);
	granule_unlock(wi.g_llt);
	rt_realm_teardown(&r);
}

/* The platform's TLBI registry (platform_root.h) and s2tt_invalidate. */
static void test_tlbi_registry(void **state)
{
	struct rt_tlbi_log a = { 0 }, b = { 0 };
	struct s2tt_ctx ctx = { .vmid = 0x1234 };

	(void)state;
	assert_int_equal(platform_register_tlbi(NULL, &a), -EINVAL);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &a), 0);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &a), -EEXIST);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &b), 0);
	s2tt_invalidate(&ctx, 0, 4096);
	assert_int_equal(atomic_load(&a.count), 1);
	assert_int_equal(atomic_load(&b.count), 1);
	assert_int_equal(atomic_load(&a.last_vmid), 0x1234);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &a), 0);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &a), -ENOENT);
	platform_tlbi_vmid(7);
	assert_int_equal(atomic_load(&a.count), 1);
	assert_int_equal(atomic_load(&b.count), 2);
	assert_int_equal(atomic_load(&b.last_vmid), 7);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &b), 0);
	platform_tlbi_vmid(7);
	assert_int_equal(atomic_load(&b.count), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_size),
		cmocka_unit_test(test_geometry_table),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_read_mapping),
		cmocka_unit_test(test_host_desc),
		cmocka_unit_test(test_unfold),
		cmocka_unit_test(test_fold_kind),
		cmocka_unit_test(test_skip_non_live),
		cmocka_unit_test_setup_teardown(test_root_init, rt_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_walk, rt_setup, fx_teardown),
		cmocka_unit_test(test_tlbi_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
