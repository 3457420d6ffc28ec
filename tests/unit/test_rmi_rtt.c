/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_RTT_CREATE and RMI_RTT_DESTROY through the conduit: every row of
 * failure-conditions-v1.0.md s2.12 and s2.13 (each test names its rows),
 * E_INPUT-before-E_RTT priority pairs of the reference order, the `top`
 * outputs (rmm-v1.0.md s11.7, ACS examples), the unfold of every unassigned
 * kind and of an ASSIGNED_NS block (s11.5), reference counts (s16.3), and
 * RTT_DESTROY of an unprotected RTT holding NS mappings (s11.8).
 */
#include <stdatomic.h>

#include "rtt_fixture.h"

/* s2.12 rd_*: every invalid rd, with an otherwise valid call (ipa 1 GB, level 2). */
static void test_create_rd_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	pa_t rtt;

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 100);
	rt_rtt(&r, 0, 1);
	rtt = fx_delegated();
	rt_expect(rt_x0(RMI_RTT_CREATE, r.rd.v + 1, rtt.v, RT_GB, 2), RMI_ERROR_INPUT, 0,
		  "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue; /* another realm's RD is a valid rd */
		rt_expect(rt_x0(RMI_RTT_CREATE, b.row[i].pa, rtt.v, RT_GB, 2), RMI_ERROR_INPUT, 0,
			  b.row[i].label);
	}
	assert_int_equal(fx_state(rtt), GRANULE_STATE_DELEGATED);
	rt_assert_entry(&r, RT_GB, 1, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_rtt_create_at(&r, rtt, RT_GB, 2), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/* s2.12 rtt_align, rtt_bound, rtt_state, rtt_bound2, and rtt == rd. */
static void test_create_rtt_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	pa_t rtt;

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 101);
	rt_rtt(&r, 0, 1);
	rtt = fx_delegated();
	rt_expect(rt_rtt_create_at(&r, pa_of(rtt.v + 1), RT_GB, 2), RMI_ERROR_INPUT, 0,
		  "rtt_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_DELEGATED)
			continue; /* the valid state */
		rt_expect(rt_rtt_create_at(&r, pa_of(b.row[i].pa), RT_GB, 2), RMI_ERROR_INPUT, 0,
			  b.row[i].label);
	}
	/*
	 * rtt_bound2 (PA >= 2^48 without LPA2): on this platform every such PA
	 * is also outside tracked DRAM, so the row is the rtt_bound one above.
	 */
	rt_expect(rt_rtt_create_at(&r, pa_of(1ULL << 48), RT_GB, 2), RMI_ERROR_INPUT, 0,
		  "rtt_bound2");
	/* s16.2: two arguments naming the same granule fail to lock. */
	rt_expect(rt_rtt_create_at(&r, r.rd, RT_GB, 2), RMI_ERROR_INPUT, 0, "rtt == rd");
	/* Observability (s2.12): the parent entry is still UNASSIGNED, its desc != rtt. */
	rt_assert_entry(&r, RT_GB, 1, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_rtt_create_at(&r, rtt, RT_GB, 2), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/*
 * s2.12 level_bound, ipa_align, ipa_bound, rtt_walk, rtte_state, the
 * E_INPUT-beats-E_RTT pairs of the reference order, and the success
 * footprint (READ_ENTRY, states, reference counts, the new RTT's entries).
 */
static void test_create_args(void **state)
{
	struct rt_realm r;
	pa_t l1, rtt = pa_of(0), ns = fx_ns();
	static const struct {
		const char *label;
		uint64_t ipa, level;
	} rows[] = {
		{ "level_bound: the start level (0)", RT_GB, 0 },
		{ "level_bound: 4", RT_GB, 4 },
		{ "level_bound: -1", RT_GB, (uint64_t)-1 },
		{ "level_bound: 2^63", RT_GB, 1ULL << 63 },
		{ "ipa_align: not aligned to a level-1 entry", RT_GB + 2 * RT_MB, 2 },
		{ "ipa_align: level 3, not 2 MB aligned", RT_GB + 4 * RT_KB, 3 },
		{ "ipa_bound: ipa == 2^S2SZ", FX_IPA_OOR, 2 },
		{ "ipa_bound: ipa far above 2^S2SZ", 1ULL << 62, 2 },
		/* Priority: E_INPUT before the walk (it would stop at level 1: E_RTT). */
		{ "ipa_bound beats rtt_walk", FX_IPA_OOR + 2 * RT_MB, 3 },
	};

	(void)state;
	rt_realm_create(&r, 102);
	l1 = rt_rtt(&r, 0, 1);
	assert_int_equal(fx_refcount(r.root), 1);
	rtt = fx_delegated();
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		rt_expect(rt_rtt_create_at(&r, rtt, rows[i].ipa, (int)rows[i].level),
			  RMI_ERROR_INPUT, 0, rows[i].label);
	/* Priority: rtt_state beats rtte_state. */
	rt_expect(rt_rtt_create_at(&r, ns, 0, 1), RMI_ERROR_INPUT, 0, "rtt_state beats rtte_state");
	/* rtt_walk: level 3 where no level-2 table exists: the walk stops at 1. */
	rt_expect(rt_rtt_create_at(&r, rtt, RT_GB, 3), RMI_ERROR_RTT, 1, "rtt_walk");
	/* rtt_walk at the root: level 2 at 512 GB (no level-1 table): the walk stops at 0. */
	rt_expect(rt_rtt_create_at(&r, rtt, FX_IPA_UNPROT, 2), RMI_ERROR_RTT, 0,
		  "rtt_walk at the root");
	rt_assert_entry(&r, RT_GB, 1, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_int_equal(fx_state(rtt), GRANULE_STATE_DELEGATED);
	/* Positive observability. */
	assert_rmi(rt_rtt_create_at(&r, rtt, RT_GB, 2), RMI_SUCCESS, 0);
	rt_assert_entry(&r, RT_GB, 1, 1, RMI_TABLE, rtt.v, RMI_EMPTY);
	rt_assert_entry(&r, RT_GB, 2, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_int_equal(fx_state(rtt), GRANULE_STATE_RTT);
	assert_int_equal(fx_refcount(rtt), 0);
	assert_int_equal(fx_refcount(l1), 1);
	assert_int_equal(fx_refcount(r.root), 1);
	/* White box: a real table descriptor, and 512 UNASSIGNED/EMPTY children. */
	assert_int_equal(rt_table(l1)[1], rtt.v | 3);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(rtt)[i], s2tte_create_unassigned_empty());
	/* rtte_state: the parent is now TABLE -> (E_RTT, level - 1); negative observability. */
	rt_expect(rt_rtt_create_at(&r, fx_delegated(), RT_GB, 2), RMI_ERROR_RTT, 1, "rtte_state");
	assert_int_equal(fx_refcount(l1), 1);
	rt_realm_teardown(&r);
}

/*
 * s11.5 unfold of each unassigned kind (EMPTY, RAM, DESTROYED,
 * UNASSIGNED_NS): 512 copies; the parent gains one reference (s16.3).
 */
static void test_create_unfold_unassigned(void **state)
{
	struct rt_realm r;
	pa_t l2, l3, ns2;
	struct smc_result d;

	(void)state;
	rt_realm_create(&r, 103);
	rt_rtts(&r, 0, 2);
	l2 = pa_of(rt_read(&r, 0, 1).x[3]);
	/* RAM: INIT_RIPAS of the level-2 entry at 2 MB (one block), then unfold. */
	assert_rmi(rt_init_ripas(&r, 2 * RT_MB, 4 * RT_MB).x[0], RMI_SUCCESS, 0);
	l3 = rt_rtt(&r, 2 * RT_MB, 3);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i], s2tte_create_unassigned_ram());
	rt_assert_entry(&r, 2 * RT_MB + 511 * 4096, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	/* DESTROYED: RTT_DESTROY makes the parent UNASSIGNED/DESTROYED; unfold it. */
	d = rt_destroy(&r, 2 * RT_MB, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], l3.v);
	assert_rmi(rt_rtt_create_at(&r, l3, 2 * RT_MB, 3), RMI_SUCCESS, 0);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i], s2tte_create_unassigned_destroyed());
	rt_assert_entry(&r, 2 * RT_MB + 4096, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	/* EMPTY. */
	l3 = rt_rtt(&r, 0, 3);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i], s2tte_create_unassigned_empty());
	assert_int_equal(fx_refcount(l2), 2);
	/* UNASSIGNED_NS. */
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	ns2 = pa_of(rt_read(&r, FX_IPA_UNPROT, 1).x[3]);
	l3 = rt_rtt(&r, FX_IPA_UNPROT, 3);
	for (int i = 0; i < 512; i++)
		assert_int_equal(rt_table(l3)[i], s2tte_create_unassigned_ns());
	assert_int_equal(fx_refcount(ns2), 1);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT + 4096, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
}

/*
 * s11.5 unfold of an ASSIGNED_NS block: 512 ASSIGNED_NS pages with
 * consecutive OAs and the block's attributes; the break-before-make
 * invalidates the VMID (s9.4); the new RTT holds no reference (s11.8).
 */
static void test_create_unfold_assigned_ns(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	uint64_t ipa = FX_IPA_UNPROT + 2 * RT_MB, oa = 0x80000000ULL + 2 * RT_MB;
	uint64_t attrs = (0x5ULL << 2) | (0x1ULL << 6);
	pa_t l2, l3;

	(void)state;
	rt_realm_create(&r, 104);
	rt_rtts(&r, ipa, 2);
	l2 = pa_of(rt_read(&r, FX_IPA_UNPROT, 1).x[3]);
	assert_rmi(rt_map(&r, ipa, 2, oa | attrs), RMI_SUCCESS, 0);
	rt_assert_entry(&r, ipa, 2, 2, RMI_ASSIGNED, oa | attrs, RMI_EMPTY);
	assert_int_equal(fx_refcount(l2), 0);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	l3 = rt_rtt(&r, ipa, 3);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_int_equal(atomic_load(&log.count), 1);
	assert_int_equal(atomic_load(&log.last_vmid), 104);
	for (unsigned int i = 0; i < 512; i += 73)
		rt_assert_entry(&r, ipa + i * 4096ULL, 3, 3, RMI_ASSIGNED,
				(oa + i * 4096ULL) | attrs, RMI_EMPTY);
	rt_assert_entry(&r, ipa + 511 * 4096ULL, 3, 3, RMI_ASSIGNED, (oa + 511 * 4096ULL) | attrs,
			RMI_EMPTY);
	assert_int_equal(fx_refcount(l3), 0);
	assert_int_equal(fx_refcount(l2), 1);
	rt_realm_teardown(&r);
}

/* s2.13 rd_*, level_bound, ipa_align, ipa_bound: E_INPUT with X1 = X2 = 0. */
static void test_destroy_input_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	struct smc_result d;
	static const struct {
		const char *label;
		uint64_t ipa, level;
	} rows[] = {
		{ "level_bound: 4", 2 * RT_MB, 4 },
		{ "level_bound: the start level", 0, 0 },
		{ "ipa_align: not aligned to a level-2 entry", 2 * RT_MB + 4096, 3 },
		{ "ipa_bound: ipa >= 2^S2SZ", FX_IPA_OOR, 3 },
		/* Priority: level_bound beats rtt_live (the level-3 RTT at 2 MB is live). */
		{ "level_bound beats rtt_live", 2 * RT_MB, 5 },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 105);
	rt_rtts(&r, 2 * RT_MB, 3);
	d = smc_call(RMI_RTT_DESTROY, r.rd.v + 1, 2 * RT_MB, 3, 0, 0, 0);
	rt_expect(d.x[0], RMI_ERROR_INPUT, 0, "rd_align");
	assert_int_equal(d.x[1] | d.x[2], 0);
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		d = smc_call(RMI_RTT_DESTROY, b.row[i].pa, 2 * RT_MB, 3, 0, 0, 0);
		rt_expect(d.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(d.x[1] | d.x[2], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		d = rt_destroy(&r, rows[i].ipa, (int)rows[i].level);
		rt_expect(d.x[0], RMI_ERROR_INPUT, 0, rows[i].label);
		assert_int_equal(d.x[1] | d.x[2], 0);
	}
	rt_assert_entry(&r, 2 * RT_MB, 2, 2, RMI_TABLE, rt_read(&r, 2 * RT_MB, 2).x[3], RMI_EMPTY);
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/*
 * s2.13 rtt_walk, rtte_state (UNASSIGNED, ASSIGNED), rtt_live with the
 * `top` of each (s11.7), and the ACS example "no level-2 table under a
 * level-1 RTT covering 0-512 GB gives top = 512 GB".
 */
static void test_destroy_rtt_rows(void **state)
{
	struct rt_realm r;
	struct smc_result d;
	uint64_t ns_blk = FX_IPA_UNPROT + 2 * RT_MB;

	(void)state;
	rt_realm_create(&r, 106);
	rt_rtt(&r, 0, 1);
	d = rt_destroy(&r, 0, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 1, "rtt_walk (no level-2 table)");
	assert_int_equal(d.x[1], 0);
	assert_int_equal(d.x[2], 512 * RT_GB);
	/* A live level-1 entry (a table at 5 GB) after ipa: top stops there. */
	rt_rtt(&r, 5 * RT_GB, 2);
	d = rt_destroy(&r, 2 * RT_GB, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 1, "rtt_walk, live entry later in the RTT");
	assert_int_equal(d.x[2], 5 * RT_GB);
	/* rtte_state: parent UNASSIGNED -> (E_RTT, 2), top = end of the level-2 RTT. */
	d = rt_destroy(&r, 5 * RT_GB + 4 * RT_MB, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 2, "rtte_state: parent UNASSIGNED");
	assert_int_equal(d.x[2], 6 * RT_GB);
	/* rtte_state: parent ASSIGNED (an NS block) -> (E_RTT, 2); it is live: top = ipa. */
	rt_rtts(&r, ns_blk, 2);
	assert_rmi(rt_map(&r, ns_blk, 2, 0x40000000ULL | RT_NS_ATTRS), RMI_SUCCESS, 0);
	d = rt_destroy(&r, ns_blk, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 2, "rtte_state: parent ASSIGNED");
	assert_int_equal(d.x[2], ns_blk);
	/* rtt_live: a level-3 RTT holding a DATA page -> (E_RTT, 3), top = ipa. */
	rt_data(&r, 5 * RT_GB + 2 * RT_MB + 8192);
	d = rt_destroy(&r, 5 * RT_GB + 2 * RT_MB, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 3, "rtt_live: a DATA page");
	assert_int_equal(d.x[1], 0);
	assert_int_equal(d.x[2], 5 * RT_GB + 2 * RT_MB);
	/* rtt_live: a level-2 RTT holding a table -> (E_RTT, 2). */
	d = rt_destroy(&r, 5 * RT_GB, 2);
	rt_expect(d.x[0], RMI_ERROR_RTT, 2, "rtt_live: a table");
	assert_int_equal(d.x[2], 5 * RT_GB);
	rt_assert_entry(&r, 5 * RT_GB + 2 * RT_MB, 2, 2, RMI_TABLE,
			rt_read(&r, 5 * RT_GB + 2 * RT_MB, 2).x[3], RMI_EMPTY);
	rt_realm_teardown(&r);
}

/*
 * s2.13 success in PAR: X1 = the RTT, X2 = top; the parent becomes
 * UNASSIGNED/DESTROYED (also for EMPTY and RAM children, s5.2 step 9); the
 * RTT is DELEGATED and zero and is reused by RTT_CREATE; the parent loses
 * its reference. Negative observability: the same destroy fails.
 */
static void test_destroy_success_par(void **state)
{
	struct rt_realm r;
	struct smc_result d;
	pa_t l2, a, b;

	(void)state;
	rt_realm_create(&r, 107);
	rt_rtts(&r, 0, 2);
	l2 = pa_of(rt_read(&r, 0, 1).x[3]);
	a = rt_rtt(&r, 2 * RT_MB, 3);
	b = rt_rtt(&r, 10 * RT_MB, 3);
	/* Half RAM, half EMPTY. */
	assert_rmi(rt_init_ripas(&r, 2 * RT_MB, 3 * RT_MB).x[0], RMI_SUCCESS, 0);
	assert_int_equal(fx_refcount(l2), 2);
	d = rt_destroy(&r, 2 * RT_MB, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], a.v);
	assert_int_equal(d.x[2], 10 * RT_MB); /* the next live entry (s11.7) */
	rt_assert_entry(&r, 2 * RT_MB, 3, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	assert_int_equal(fx_refcount(l2), 1);
	assert_int_equal(fx_state(a), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(a));
	d = rt_destroy(&r, 2 * RT_MB, 3);
	rt_expect(d.x[0], RMI_ERROR_RTT, 2, "repeat: parent no longer TABLE");
	assert_int_equal(d.x[2], 10 * RT_MB);
	/* ACS: the destroyed RTT is reused by RTT_CREATE. */
	assert_rmi(rt_rtt_create_at(&r, a, 2 * RT_MB, 3), RMI_SUCCESS, 0);
	d = rt_destroy(&r, 10 * RT_MB, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], b.v);
	assert_int_equal(d.x[2], RT_GB); /* no live entry after it */
	rt_reclaim(b);
	/* TFTF host_realm_pas_validation_active: EMPTY -> DESTROYED in an ACTIVE realm too. */
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	b = rt_rtt(&r, 20 * RT_MB, 3);
	d = rt_destroy(&r, 20 * RT_MB, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	rt_reclaim(b);
	rt_assert_entry(&r, 20 * RT_MB, 3, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	rt_realm_teardown(&r);
}

/*
 * s11.8: an unprotected RTT that holds only NS mappings has no references
 * and can be destroyed; the parent becomes UNASSIGNED_NS (a later map at
 * that level works) and the VMID's translations are invalidated.
 */
static void test_destroy_unprotected(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	struct smc_result d;
	pa_t l3;

	(void)state;
	rt_realm_create(&r, 108);
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	l3 = rt_rtt(&r, FX_IPA_UNPROT, 3);
	for (int i = 0; i < 4; i++)
		assert_rmi(rt_map(&r, FX_IPA_UNPROT + i * 4096ULL, 3, fx_ns().v | RT_NS_ATTRS),
			   RMI_SUCCESS, 0);
	assert_int_equal(fx_refcount(l3), 0);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	d = rt_destroy(&r, FX_IPA_UNPROT, 3);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], l3.v);
	assert_int_equal(d.x[2], FX_IPA_UNPROT + RT_GB);
	assert_true(atomic_load(&log.count) >= 1);
	assert_int_equal(atomic_load(&log.last_vmid), 108);
	rt_reclaim(l3);
	rt_assert_entry(&r, FX_IPA_UNPROT, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 2, 0x40000000ULL | RT_NS_ATTRS), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
}

/*
 * rmm-v1.0.md s11.7, the three ACS examples of `top`: destroying the page
 * at 4 KB with the next ASSIGNED page at 12 KB gives 12 KB (DATA_DESTROY);
 * unmapping the only NS page at 2^39 gives 2^39 + 2 MB; RTT_DESTROY with no
 * level-2 table under a level-1 RTT covering 0-512 GB gives 512 GB.
 */
static void test_top_acs_examples(void **state)
{
	struct rt_realm r;
	struct smc_result res;

	(void)state;
	rt_realm_create(&r, 109);
	rt_data(&r, 4096);
	rt_data(&r, 12288);
	res = smc_call(RMI_DATA_DESTROY, r.rd.v, 4096, 0, 0, 0, 0);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[2], 12288);
	rt_reclaim(pa_of(res.x[1]));
	rt_rtts(&r, FX_IPA_UNPROT, 3);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	res = rt_unmap(&r, FX_IPA_UNPROT, 3);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], FX_IPA_UNPROT + 2 * RT_MB);
	rt_realm_teardown(&r);
	rt_realm_create(&r, 110);
	rt_rtt(&r, 0, 1);
	res = rt_destroy(&r, 0, 3);
	rt_expect(res.x[0], RMI_ERROR_RTT, 1, "rtt_walk");
	assert_int_equal(res.x[2], 512 * RT_GB);
	rt_realm_teardown(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_rd_rows),
		T(test_create_rtt_rows),
		T(test_create_args),
		T(test_create_unfold_unassigned),
		T(test_create_unfold_assigned_ns),
		T(test_destroy_input_rows),
		T(test_destroy_rtt_rows),
		T(test_destroy_success_par),
		T(test_destroy_unprotected),
		T(test_top_acs_examples),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
