/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_RTT_FOLD and the unfold of RMI_RTT_CREATE (rmm-v1.0.md s11.5,
 * s16.3; failure-conditions-v1.0.md s2.14 and the fold/unfold flows of
 * s5.2, ACS mm_rtt_fold_*, TFTF host_test_rtt_fold_unfold_*): every failure
 * row, both priority rows, every homogeneous kind folded and unfolded
 * again (UNASSIGNED EMPTY/RAM/DESTROYED, UNASSIGNED_NS, ASSIGNED_NS,
 * ASSIGNED EMPTY/RAM/DESTROYED built with DATA_CREATE[_UNKNOWN]), folds up
 * to levels 1 and 0, and the no-level-0-block rule.
 */
#include <stdatomic.h>

#include "rtt_fixture.h"

#define L3_IPA (2 * RT_MB) /* the level-3 RTT under test covers [2 MB, 4 MB) */

/* Fold of the level-3 RTT at ipa: SUCCESS, X1 = rtt, rtt back to DELEGATED and zero. */
static void fold_ok(const struct rt_realm *r, uint64_t ipa, int level, pa_t rtt)
{
	struct smc_result f = rt_fold(r, ipa, level);

	assert_rmi(f.x[0], RMI_SUCCESS, 0);
	assert_int_equal(f.x[1], rtt.v);
	assert_int_equal(fx_state(rtt), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(rtt));
}

/* s2.14 rd_*, level_bound, ipa_align, ipa_bound, and both priority rows. */
static void test_fold_input_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	struct smc_result f;
	static const struct {
		const char *label;
		uint64_t ipa, level;
	} rows[] = {
		{ "level_bound: the start level (0)", 0, 0 },
		{ "level_bound: 4", 0, 4 },
		{ "ipa_align: 4 KB at level 3", 4096, 3 },
		{ "ipa_bound: ipa >= 2^S2SZ", FX_IPA_OOR, 3 },
		/* Priority rows: the walk to 1 at 512 GB would stop at 0. */
		{ "level_bound beats rtt_walk", FX_IPA_UNPROT, 4 },
		/* The parent entry at 4 MB is UNASSIGNED. */
		{ "level_bound beats rtte_state", 4 * RT_MB, 4 },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 200);
	rt_rtts(&r, 0, 3);
	f = smc_call(RMI_RTT_FOLD, r.rd.v + 1, 0, 3, 0, 0, 0);
	rt_expect(f.x[0], RMI_ERROR_INPUT, 0, "rd_align");
	assert_int_equal(f.x[1], 0);
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		f = smc_call(RMI_RTT_FOLD, b.row[i].pa, 0, 3, 0, 0, 0);
		rt_expect(f.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(f.x[1], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		f = rt_fold(&r, rows[i].ipa, (int)rows[i].level);
		rt_expect(f.x[0], RMI_ERROR_INPUT, 0, rows[i].label);
		assert_int_equal(f.x[1], 0);
	}
	/* Positive observability: the valid set (level 3 at IPA 0, homogeneous). */
	fold_ok(&r, 0, 3, pa_of(rt_read(&r, 0, 2).x[3]));
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/* s2.14 rtt_walk, rtte_state (UNASSIGNED, already folded), rtte_homo. */
static void test_fold_rtt_rows(void **state)
{
	struct rt_realm r;
	struct smc_result f;
	pa_t l3, src = fx_ns();
	uint64_t before[512];

	(void)state;
	rt_realm_create(&r, 201);
	rt_rtts(&r, 0, 3);
	f = rt_fold(&r, FX_IPA_UNPROT, 3);
	rt_expect(f.x[0], RMI_ERROR_RTT, 0, "rtt_walk: 512 GB, no level-1 table");
	assert_int_equal(f.x[1], 0);
	f = rt_fold(&r, L3_IPA, 3);
	rt_expect(f.x[0], RMI_ERROR_RTT, 2, "rtte_state: parent UNASSIGNED");
	l3 = rt_rtt(&r, L3_IPA, 3);
	fold_ok(&r, L3_IPA, 3, l3);
	f = rt_fold(&r, L3_IPA, 3);
	rt_expect(f.x[0], RMI_ERROR_RTT, 2, "rtte_state: parent already folded");
	/* rtte_homo: one DATA page among UNASSIGNED ones. */
	assert_rmi(rt_rtt_create_at(&r, l3, L3_IPA, 3), RMI_SUCCESS, 0);
	assert_rmi(smc_call(RMI_DATA_CREATE, r.rd.v, fx_delegated().v, L3_IPA + 8192, src.v, 0, 0)
			   .x[0],
		   RMI_SUCCESS, 0);
	memcpy(before, rt_table(l3), sizeof(before));
	f = rt_fold(&r, L3_IPA, 3);
	rt_expect(f.x[0], RMI_ERROR_RTT, 3, "rtte_homo: one DATA page");
	assert_int_equal(f.x[1], 0);
	assert_memory_equal(before, rt_table(l3), sizeof(before));
	assert_int_equal(fx_refcount(l3), 1);
	/* rtte_homo: unassigned entries of different RIPAS. */
	assert_rmi(rt_init_ripas(&r, 0, 4096).x[0], RMI_SUCCESS, 0);
	f = rt_fold(&r, 0, 3);
	rt_expect(f.x[0], RMI_ERROR_RTT, 3, "rtte_homo: EMPTY and RAM");
	rt_assert_entry(&r, 0, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&r, 4096, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_realm_teardown(&r);
}

/*
 * One unassigned kind: fold the level-3 RTT at ipa (the parent takes the
 * common state and loses the TABLE reference), then RTT_CREATE unfolds it
 * back into 512 copies (the parent regains the reference).
 */
static void unassigned_round(const struct rt_realm *r, uint64_t ipa, pa_t l2, pa_t l3,
			     unsigned int ripas, uint64_t entry)
{
	unsigned int refs = fx_refcount(l2);

	fold_ok(r, ipa, 3, l3);
	rt_assert_entry(r, ipa, 2, 2, RMI_UNASSIGNED, 0, ripas);
	assert_int_equal(fx_refcount(l2), refs - 1);
	assert_rmi(rt_rtt_create_at(r, l3, ipa, 3), RMI_SUCCESS, 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i], entry);
	assert_int_equal(fx_refcount(l2), refs);
}

/* Fold and unfold of UNASSIGNED EMPTY, RAM, DESTROYED and UNASSIGNED_NS RTTs. */
static void test_fold_unassigned(void **state)
{
	struct rt_realm r;
	pa_t l2, l3, ns2;
	struct smc_result d;

	(void)state;
	rt_realm_create(&r, 202);
	rt_rtts(&r, 0, 2);
	l2 = pa_of(rt_read(&r, 0, 1).x[3]);
	/* EMPTY. */
	l3 = rt_rtt(&r, L3_IPA, 3);
	unassigned_round(&r, L3_IPA, l2, l3, RMI_EMPTY, s2tte_create_unassigned_empty());
	/* DESTROYED: RTT_DESTROY left the parent UNASSIGNED/DESTROYED; unfold, fold. */
	d = rt_destroy(&r, L3_IPA, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_rtt_create_at(&r, l3, L3_IPA, 3), RMI_SUCCESS, 0);
	unassigned_round(&r, L3_IPA, l2, l3, RMI_DESTROYED, s2tte_create_unassigned_destroyed());
	/* RAM: INIT_RIPAS of a whole level-3 RTT. */
	l3 = rt_rtt(&r, 3 * L3_IPA, 3);
	assert_rmi(rt_init_ripas(&r, 3 * L3_IPA, 4 * L3_IPA).x[0], RMI_SUCCESS, 0);
	unassigned_round(&r, 3 * L3_IPA, l2, l3, RMI_RAM, s2tte_create_unassigned_ram());
	/* UNASSIGNED_NS. */
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	ns2 = pa_of(rt_read(&r, FX_IPA_UNPROT, 1).x[3]);
	l3 = rt_rtt(&r, FX_IPA_UNPROT, 3);
	unassigned_round(&r, FX_IPA_UNPROT, ns2, l3, RMI_EMPTY, s2tte_create_unassigned_ns());
	fold_ok(&r, FX_IPA_UNPROT, 3, l3);
	/* It really is UNASSIGNED_NS: a block can be mapped there. */
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 2, 0x40000000ULL | RT_NS_ATTRS), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
}

/*
 * Folds up to levels 1 and 0 (TFTF: "up to level 1 or level 0"), allowed
 * for unassigned kinds, and unfolds from the root down again.
 */
static void test_fold_up_to_level0(void **state)
{
	struct rt_realm r;
	struct smc_result res;
	pa_t l1, l2, l3;

	(void)state;
	rt_realm_create(&r, 203);
	rt_rtts(&r, 0, 3);
	l1 = pa_of(rt_read(&r, 0, 0).x[3]);
	l2 = pa_of(rt_read(&r, 0, 1).x[3]);
	l3 = pa_of(rt_read(&r, 0, 2).x[3]);
	res = rt_init_ripas(&r, 0, 2 * RT_MB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 2 * RT_MB);
	fold_ok(&r, 0, 3, l3);
	rt_assert_entry(&r, 0, 3, 2, RMI_UNASSIGNED, 0, RMI_RAM);
	/* The level-2 RTT holds RAM at 0 and EMPTY elsewhere: not homogeneous. */
	rt_expect(rt_fold(&r, 0, 2).x[0], RMI_ERROR_RTT, 2, "rtte_homo: RAM and EMPTY blocks");
	res = rt_init_ripas(&r, 2 * RT_MB, RT_GB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], RT_GB);
	fold_ok(&r, 0, 2, l2);
	rt_assert_entry(&r, 0, 1, 1, RMI_UNASSIGNED, 0, RMI_RAM);
	res = rt_init_ripas(&r, RT_GB, 512 * RT_GB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 512 * RT_GB);
	fold_ok(&r, 0, 1, l1);
	rt_assert_entry(&r, 0, 0, 0, RMI_UNASSIGNED, 0, RMI_RAM);
	assert_int_equal(fx_refcount(r.root), 0);
	/* Unfold from the root down again: 512 RAM entries. */
	rt_rtt(&r, 0, 1);
	rt_assert_entry(&r, 511 * RT_GB, 1, 1, RMI_UNASSIGNED, 0, RMI_RAM);
	assert_int_equal(fx_refcount(r.root), 1);
	rt_realm_teardown(&r);
}

/*
 * ASSIGNED_NS: 512 NS pages with consecutive OAs from a 2 MB-aligned base
 * and identical attributes fold into an NS block (the TLB is invalidated);
 * misaligned, non-consecutive or differently attributed pages do not.
 */
static void test_fold_assigned_ns(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	uint64_t ipa = FX_IPA_UNPROT + L3_IPA, oa = 0x40000000ULL;
	pa_t l2, l3;

	(void)state;
	rt_realm_create(&r, 204);
	rt_rtts(&r, ipa, 2);
	l2 = pa_of(rt_read(&r, FX_IPA_UNPROT, 1).x[3]);
	l3 = rt_rtt(&r, ipa, 3);
	/* Misaligned base: OA starts 4 KB into a 2 MB block. */
	for (int i = 0; i < 512; i++)
		assert_rmi(
			rt_map(&r, ipa + i * 4096ULL, 3, (oa + 4096 + i * 4096ULL) | RT_NS_ATTRS),
			RMI_SUCCESS, 0);
	rt_expect(rt_fold(&r, ipa, 3).x[0], RMI_ERROR_RTT, 3, "rtte_homo: NS OA not aligned");
	for (int i = 0; i < 512; i++) {
		assert_rmi(rt_unmap(&r, ipa + i * 4096ULL, 3).x[0], RMI_SUCCESS, 0);
		assert_rmi(rt_map(&r, ipa + i * 4096ULL, 3, (oa + i * 4096ULL) | RT_NS_ATTRS),
			   RMI_SUCCESS, 0);
	}
	/* One page with another S2AP. */
	assert_rmi(rt_unmap(&r, ipa + 4096, 3).x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_map(&r, ipa + 4096, 3, (oa + 4096) | (0x6ULL << 2) | (0x1ULL << 6)),
		   RMI_SUCCESS, 0);
	rt_expect(rt_fold(&r, ipa, 3).x[0], RMI_ERROR_RTT, 3, "rtte_homo: NS attributes differ");
	/* One page out of sequence. */
	assert_rmi(rt_unmap(&r, ipa + 4096, 3).x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_map(&r, ipa + 4096, 3, (oa + 8192) | RT_NS_ATTRS), RMI_SUCCESS, 0);
	rt_expect(rt_fold(&r, ipa, 3).x[0], RMI_ERROR_RTT, 3, "rtte_homo: NS OA not consecutive");
	assert_rmi(rt_unmap(&r, ipa + 4096, 3).x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_map(&r, ipa + 4096, 3, (oa + 4096) | RT_NS_ATTRS), RMI_SUCCESS, 0);
	assert_int_equal(fx_refcount(l2), 1);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	fold_ok(&r, ipa, 3, l3);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_true(atomic_load(&log.count) >= 1);
	assert_int_equal(atomic_load(&log.last_vmid), 204);
	rt_assert_entry(&r, ipa, 2, 2, RMI_ASSIGNED, oa | RT_NS_ATTRS, RMI_EMPTY);
	assert_int_equal(fx_refcount(l2), 0);
	/* White box: a valid NS block descriptor. */
	assert_int_equal(rt_table(l2)[1], s2tte_create_assigned_ns(oa | RT_NS_ATTRS, 2));
	assert_int_equal(rt_table(l2)[1] & 3, 1);
	/* Unfold. */
	assert_rmi(rt_rtt_create_at(&r, l3, ipa, 3), RMI_SUCCESS, 0);
	rt_assert_entry(&r, ipa + 300 * 4096ULL, 3, 3, RMI_ASSIGNED,
			(oa + 300 * 4096ULL) | RT_NS_ATTRS, RMI_EMPTY);
	assert_int_equal(fx_refcount(l3), 0);
	rt_realm_teardown(&r);
}

/*
 * s11.5/s9.4 "no level-0 blocks": a level-1 RTT of 512 ASSIGNED_NS 1 GB
 * blocks (consecutive, 512 GB-aligned OAs) is homogeneous but folds into
 * level 0: (E_RTT, level - 1) = (E_RTT, 0), entries unchanged. A level-1
 * RTT of 512 TABLE entries (count 512, not homogeneous) is "anything else":
 * (E_RTT, 1).
 */
static void test_fold_level0_block(void **state)
{
	struct rt_realm r;
	pa_t l1;

	(void)state;
	rt_realm_create(&r, 205);
	l1 = rt_rtt(&r, FX_IPA_UNPROT, 1);
	for (uint64_t i = 0; i < 512; i++)
		assert_rmi(rt_map(&r, FX_IPA_UNPROT + i * RT_GB, 1, (i * RT_GB) | RT_NS_ATTRS),
			   RMI_SUCCESS, 0);
	rt_expect(rt_fold(&r, FX_IPA_UNPROT, 1).x[0], RMI_ERROR_RTT, 0,
		  "homogeneous ASSIGNED_NS at level 1 (level-0 block)");
	rt_assert_entry(&r, FX_IPA_UNPROT, 0, 0, RMI_TABLE, l1.v, RMI_EMPTY);
	rt_assert_entry(&r, FX_IPA_UNPROT + 7 * RT_GB, 1, 1, RMI_ASSIGNED,
			(7 * RT_GB) | RT_NS_ATTRS, RMI_EMPTY);
	/* 512 level-2 tables below the protected level-1 RTT. */
	l1 = rt_rtt(&r, 0, 1);
	for (uint64_t i = 0; i < 512; i++)
		rt_rtt(&r, i * RT_GB, 2);
	assert_int_equal(fx_refcount(l1), 512);
	rt_expect(rt_fold(&r, 0, 1).x[0], RMI_ERROR_RTT, 1, "512 TABLE entries at level 1");
	rt_realm_teardown(&r);
}

/* DATA commands (rec's) on the 512 pages of the level-3 RTT at L3_IPA. */
static void data_fill(const struct rt_realm *r, pa_t data, pa_t src, bool unknown)
{
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t ipa = L3_IPA + i * 4096, d = data.v + i * 4096;
		uint64_t x0 =
			unknown ? rt_x0(RMI_DATA_CREATE_UNKNOWN, r->rd.v, d, ipa, 0)
				: smc_call(RMI_DATA_CREATE, r->rd.v, d, ipa, src.v, 0, 0).x[0];

		assert_rmi(x0, RMI_SUCCESS, 0);
	}
}

static void data_drain(const struct rt_realm *r, pa_t data)
{
	for (uint64_t i = 0; i < 512; i++) {
		struct smc_result d =
			smc_call(RMI_DATA_DESTROY, r->rd.v, L3_IPA + i * 4096, 0, 0, 0, 0);

		assert_rmi(d.x[0], RMI_SUCCESS, 0);
		assert_int_equal(d.x[1], data.v + i * 4096);
	}
}

/*
 * One ASSIGNED kind: fold (the block keeps the parent's single reference,
 * the child's 512 go away), checks with READ_ENTRY, RTT_DESTROY and FOLD on
 * the folded block (s2.13/s2.14 rtte_state "parent ASSIGNED"), unfold (512
 * contiguous children, count 512), then the pages are destroyed.
 */
static void assigned_round(const struct rt_realm *r, pa_t l2, pa_t l3, pa_t data,
			   unsigned int ripas)
{
	struct smc_result d;

	assert_int_equal(fx_refcount(l3), 512);
	assert_int_equal(fx_refcount(l2), 1);
	fold_ok(r, L3_IPA, 3, l3);
	rt_assert_entry(r, L3_IPA, 2, 2, RMI_ASSIGNED, data.v, ripas);
	assert_int_equal(rt_table(l2)[1], s2tte_create_assigned(data.v, 2, ripas));
	if (ripas == RMI_RAM)
		assert_int_equal(rt_table(l2)[1], data.v | 0x7FD); /* a valid block */
	assert_int_equal(fx_refcount(l2), 1);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(fx_state(pa_add(data, i * 4096)), GRANULE_STATE_DATA);
	d = rt_destroy(r, L3_IPA, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 2, "RTT_DESTROY rtte_state: parent ASSIGNED");
	assert_int_equal(d.x[2], L3_IPA);
	rt_expect(rt_fold(r, L3_IPA, 3).x[0], RMI_ERROR_RTT, 2, "FOLD rtte_state: already folded");
	assert_rmi(rt_rtt_create_at(r, l3, L3_IPA, 3), RMI_SUCCESS, 0);
	assert_int_equal(fx_refcount(l3), 512);
	assert_int_equal(fx_refcount(l2), 1);
	for (uint64_t i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i],
				 s2tte_create_assigned(data.v + i * 4096, 3, ripas));
	rt_assert_entry(r, L3_IPA + 4096 * 77, 3, 3, RMI_ASSIGNED, data.v + 4096 * 77, ripas);
	data_drain(r, data);
	assert_int_equal(fx_refcount(l3), 0);
}

/*
 * ASSIGNED EMPTY (DATA_CREATE_UNKNOWN on EMPTY), RAM (DATA_CREATE) and
 * DESTROYED (DATA_CREATE_UNKNOWN on DESTROYED, which DATA_DESTROY of RAM
 * leaves behind): each folds into a level-2 block and unfolds again.
 */
static void test_fold_assigned(void **state)
{
	struct rt_realm r;
	pa_t l2, l3, src = fx_ns();
	pa_t data = rt_delegated_contig(512, 2 * RT_MB);

	(void)state;
	rt_realm_create(&r, 206);
	rt_rtts(&r, L3_IPA, 2);
	l2 = pa_of(rt_read(&r, 0, 1).x[3]);
	l3 = rt_rtt(&r, L3_IPA, 3);
	data_fill(&r, data, src, true);
	assigned_round(&r, l2, l3, data, RMI_EMPTY);
	data_fill(&r, data, src, false);
	assigned_round(&r, l2, l3, data, RMI_RAM);
	/* DATA_DESTROY of RAM pages left them UNASSIGNED/DESTROYED. */
	rt_assert_entry(&r, L3_IPA, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	data_fill(&r, data, src, true);
	assigned_round(&r, l2, l3, data, RMI_DESTROYED);
	rt_realm_teardown(&r);
}

/* rtte_homo: 512 consecutive ASSIGNED pages whose first PA is not 2 MB aligned. */
static void test_fold_assigned_misaligned(void **state)
{
	struct rt_realm r;
	pa_t l3, src = fx_ns();
	pa_t data = pa_add(rt_delegated_contig(513, 2 * RT_MB), GRANULE_SIZE);
	uint64_t before[512];

	(void)state;
	rt_realm_create(&r, 207);
	rt_rtts(&r, L3_IPA, 2);
	l3 = rt_rtt(&r, L3_IPA, 3);
	data_fill(&r, data, src, false);
	memcpy(before, rt_table(l3), sizeof(before));
	rt_expect(rt_fold(&r, L3_IPA, 3).x[0], RMI_ERROR_RTT, 3, "rtte_homo: block PA misaligned");
	assert_memory_equal(before, rt_table(l3), sizeof(before));
	assert_int_equal(fx_refcount(l3), 512);
	rt_realm_teardown(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_fold_input_rows),  T(test_fold_rtt_rows),
		T(test_fold_unassigned),  T(test_fold_up_to_level0),
		T(test_fold_assigned_ns), T(test_fold_level0_block),
		T(test_fold_assigned),	  T(test_fold_assigned_misaligned),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
