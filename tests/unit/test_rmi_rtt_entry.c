/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_RTT_READ_ENTRY, RMI_RTT_MAP_UNPROTECTED, RMI_RTT_UNMAP_UNPROTECTED
 * and RMI_RTT_INIT_RIPAS through the conduit: every row and priority row of
 * failure-conditions-v1.0.md s2.15, s2.16, s2.21 and s2.22 (each test names
 * its rows), the s11.4 read-out of every entry state, the `top` outputs
 * (s11.7, ACS examples), the RIM extension per processed entry (s11.3,
 * s14.4), and the NEW-realm HIPAS/RIPAS flow of failure-conditions s5.2.
 */
#include <stdatomic.h>

#include "measurement.h"
#include "rtt_fixture.h"

#define NS_IPA (FX_IPA_UNPROT + 4096) /* s2.21 valid set: 2^39 + 4 KB, level 3 */

static void set_realm_state(const struct rt_realm *r, uint64_t s)
{
	struct granule *g = find_granule(r->rd);

	granule_lock(g);
	realm_set_state(rd_of(g), s);
	granule_unlock(g);
}

/* s2.15 rd_*, level_bound, ipa_align, ipa_bound: E_INPUT with X1..X4 zero. */
static void test_read_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r, c;
	struct smc_result e;
	static const struct {
		const char *label;
		uint64_t ipa, level;
	} rows[] = {
		{ "level_bound: 4", 0, 4 },
		{ "level_bound: below the start level", 0, (uint64_t)-1 },
		{ "ipa_align: not aligned to the level", 2 * RT_MB + 4096, 2 },
		{ "ipa_align: level 0", RT_GB, 0 },
		{ "ipa_bound: ipa >= 2^S2SZ", FX_IPA_OOR, 3 },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 300);
	rt_rtts(&r, 0, 3);
	e = smc_call(RMI_RTT_READ_ENTRY, r.rd.v + 1, 0, 3, 0, 0, 0);
	rt_expect(e.x[0], RMI_ERROR_INPUT, 0, "rd_align");
	assert_int_equal(e.x[1] | e.x[2] | e.x[3] | e.x[4], 0);
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		e = smc_call(RMI_RTT_READ_ENTRY, b.row[i].pa, 0, 3, 0, 0, 0);
		rt_expect(e.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(e.x[1] | e.x[2] | e.x[3] | e.x[4], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		e = rt_read(&r, rows[i].ipa, (int)rows[i].level);
		rt_expect(e.x[0], RMI_ERROR_INPUT, 0, rows[i].label);
		assert_int_equal(e.x[1] | e.x[2] | e.x[3] | e.x[4], 0);
	}
	/* Below the start level of a level-1 realm. */
	assert_rmi(rt_realm_create_geo(&c, 40, 1, 2, 301), RMI_SUCCESS, 0);
	e = rt_read(&c, 0, 0);
	rt_expect(e.x[0], RMI_ERROR_INPUT, 0, "level_bound: level 0 < start level 1");
	assert_int_equal(e.x[1] | e.x[2] | e.x[3] | e.x[4], 0);
	rt_realm_teardown(&c);
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/*
 * s11.4 for every entry state, incl. ASSIGNED/DESTROYED -> PA (post-tag fix
 * f5257c6e); walk levels (ACS mm_rtt_translation_table); bits [63:8] of
 * state and ripas zero (s2.15).
 */
static void test_read_states(void **state)
{
	struct rt_realm r;
	pa_t l3, d_ram, d_empty, d_destroyed, src = fx_ns(), ns = fx_ns();
	uint64_t host = ns.v | (0x5ULL << 2) | (0x2ULL << 6);
	struct smc_result e;

	(void)state;
	rt_realm_create(&r, 302);
	rt_rtts(&r, 0, 2);
	l3 = rt_rtt(&r, 0, 3);
	/* ACS: IPA1 + 2 MB -> walk level 2, IPA1 + 4 KB -> walk level 3, both UNASSIGNED. */
	rt_assert_entry(&r, 2 * RT_MB, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_assert_entry(&r, 4096, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* TABLE at levels 0-2. */
	rt_assert_entry(&r, 0, 2, 2, RMI_TABLE, l3.v, RMI_EMPTY);
	/* UNASSIGNED/RAM. */
	assert_rmi(rt_init_ripas(&r, 8192, 12288).x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, 8192, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	/* ASSIGNED/RAM (DATA_CREATE), ASSIGNED/EMPTY (DATA_CREATE_UNKNOWN on EMPTY). */
	d_ram = fx_delegated();
	assert_rmi(smc_call(RMI_DATA_CREATE, r.rd.v, d_ram.v, 12288, src.v, 0, 0).x[0], RMI_SUCCESS,
		   0);
	rt_assert_entry(&r, 12288, 3, 3, RMI_ASSIGNED, d_ram.v, RMI_RAM);
	d_empty = fx_delegated();
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r.rd.v, d_empty.v, 16384, 0), RMI_SUCCESS, 0);
	rt_assert_entry(&r, 16384, 3, 3, RMI_ASSIGNED, d_empty.v, RMI_EMPTY);
	/* UNASSIGNED/DESTROYED (DATA_DESTROY of RAM), ASSIGNED/DESTROYED on top of it. */
	e = smc_call(RMI_DATA_DESTROY, r.rd.v, 12288, 0, 0, 0, 0);
	assert_rmi(e.x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, 12288, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	d_destroyed = pa_of(e.x[1]);
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r.rd.v, d_destroyed.v, 12288, 0), RMI_SUCCESS, 0);
	rt_assert_entry(&r, 12288, 3, 3, RMI_ASSIGNED, d_destroyed.v, RMI_DESTROYED);
	/* UNASSIGNED_NS at the root and in a level-3 RTT; ASSIGNED_NS with the host's desc. */
	rt_assert_entry(&r, FX_IPA_UNPROT, 0, 0, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_rtts(&r, NS_IPA, 3);
	rt_assert_entry(&r, NS_IPA, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_map(&r, NS_IPA, 3, host), RMI_SUCCESS, 0);
	rt_assert_entry(&r, NS_IPA, 3, 3, RMI_ASSIGNED, host, RMI_EMPTY);
	/* Bits [63:8] of X2 and X4 are zero for every state read above. */
	for (uint64_t ipa = 0; ipa < 5 * 4096; ipa += 4096) {
		e = rt_read(&r, ipa, 3);
		assert_int_equal(e.x[2] >> 8, 0);
		assert_int_equal(e.x[4] >> 8, 0);
		/* A protected ASSIGNED desc exposes only the PA (bits [9:2] zero). */
		assert_int_equal(e.x[3] & 0x3FC, 0);
	}
	rt_realm_teardown(&r);
}

/* s2.21 attr_valid, addr_align, addr_bound, DBM, rd_*, level_bound, ipa_align, ipa_bound. */
static void test_map_input_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	uint64_t pa = fx_ns().v, ok = pa | RT_NS_ATTRS;
	const struct {
		const char *label;
		uint64_t ipa, level, desc;
	} rows[] = {
		{ "attr_valid: MemAttr 0b100", NS_IPA, 3, pa | (0x4ULL << 2) },
		{ "attr_valid: MemAttr[3] (bit 5)", NS_IPA, 3, ok | (1ULL << 5) },
		{ "attr_valid: descriptor type bits", NS_IPA, 3, ok | 3 },
		{ "attr_valid: AF set by the host", NS_IPA, 3, ok | (1ULL << 10) },
		{ "attr_valid: SH set by the host", NS_IPA, 3, ok | (3ULL << 8) },
		{ "attr_valid: XN set by the host", NS_IPA, 3, ok | (1ULL << 54) },
		{ "mm_ha_hd_access: DBM set", NS_IPA, 3, ok | (1ULL << 51) },
		{ "level_bound: the start level (0)", FX_IPA_UNPROT, 0, ok },
		{ "level_bound: 4", NS_IPA, 4, ok },
		{ "addr_align: OA not 2 MB aligned at level 2", FX_IPA_UNPROT, 2,
		  (0x40000000ULL + 4096) | RT_NS_ATTRS },
		{ "addr_align: OA not 1 GB aligned at level 1", FX_IPA_UNPROT, 1,
		  (0x40000000ULL + 2 * RT_MB) | RT_NS_ATTRS },
		{ "addr_bound: OA >= 2^48 without LPA2", NS_IPA, 3, (1ULL << 48) | RT_NS_ATTRS },
		{ "ipa_align: ipa not aligned to level 2", NS_IPA, 2, 0x40000000 | RT_NS_ATTRS },
		{ "ipa_bound: protected ipa", 4096, 3, ok },
		{ "ipa_bound: ipa >= 2^S2SZ", FX_IPA_OOR, 3, ok },
		/* Priority: E_INPUT before the walk (no level-3 table at 2^39 + 2 MB). */
		{ "attr_valid beats rtt_walk", FX_IPA_UNPROT + 2 * RT_MB, 3, pa | (0x4ULL << 2) },
		{ "protected ipa beats rtt_walk", 2 * RT_MB, 3, ok },
		{ "level_bound beats rtte_state", NS_IPA, 5, ok },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 303);
	rt_rtts(&r, NS_IPA, 3);
	rt_rtts(&r, 0, 3);
	rt_expect(rt_x0(RMI_RTT_MAP_UNPROTECTED, r.rd.v + 1, NS_IPA, 3, ok), RMI_ERROR_INPUT, 0,
		  "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		rt_expect(rt_x0(RMI_RTT_MAP_UNPROTECTED, b.row[i].pa, NS_IPA, 3, ok),
			  RMI_ERROR_INPUT, 0, b.row[i].label);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		rt_expect(rt_map(&r, rows[i].ipa, (int)rows[i].level, rows[i].desc),
			  RMI_ERROR_INPUT, 0, rows[i].label);
	rt_assert_entry(&r, NS_IPA, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_map(&r, NS_IPA, 3, ok), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/*
 * s2.21 rtt_walk, rtte_state, success (the architectural descriptor, no
 * TLBI for invalid -> valid), repeat -> (E_RTT, 3); blocks at levels 2, 1.
 */
static void test_map_rtt_rows(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	pa_t l3;
	uint64_t desc = fx_ns().v | RT_NS_ATTRS;

	(void)state;
	rt_realm_create(&r, 304);
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	rt_expect(rt_map(&r, NS_IPA, 3, desc), RMI_ERROR_RTT, 2, "rtt_walk: no level-3 table");
	rt_expect(rt_map(&r, FX_IPA_UNPROT + RT_GB, 3, desc), RMI_ERROR_RTT, 1,
		  "rtt_walk: no level-2 table");
	l3 = rt_rtt(&r, NS_IPA, 3);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	assert_rmi(rt_map(&r, NS_IPA, 3, desc), RMI_SUCCESS, 0);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_int_equal(atomic_load(&log.count), 0);
	rt_assert_entry(&r, NS_IPA, 3, 3, RMI_ASSIGNED, desc, RMI_EMPTY);
	/* White box: OA | MemAttr | S2AP | AF | SH = IS | XN | NS | page. */
	assert_int_equal(rt_table(l3)[1],
			 desc | (1ULL << 10) | (3ULL << 8) | (1ULL << 54) | (1ULL << 55) | 3);
	assert_int_equal(fx_refcount(l3), 0); /* s11.8: NS mappings hold no reference */
	rt_expect(rt_map(&r, NS_IPA, 3, desc), RMI_ERROR_RTT, 3, "rtte_state: already ASSIGNED_NS");
	rt_assert_entry(&r, NS_IPA, 3, 3, RMI_ASSIGNED, desc, RMI_EMPTY);
	/* Blocks: a 2 MB one at level 2 and a 1 GB one at level 1. */
	assert_rmi(rt_map(&r, FX_IPA_UNPROT + 4 * RT_MB, 2, 0x40000000ULL | RT_NS_ATTRS),
		   RMI_SUCCESS, 0);
	rt_assert_entry(&r, FX_IPA_UNPROT + 4 * RT_MB, 3, 2, RMI_ASSIGNED,
			0x40000000ULL | RT_NS_ATTRS, RMI_EMPTY);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT + 3 * RT_GB, 1, (3 * RT_GB) | RT_NS_ATTRS), RMI_SUCCESS,
		   0);
	rt_assert_entry(&r, FX_IPA_UNPROT + 3 * RT_GB, 1, 1, RMI_ASSIGNED,
			(3 * RT_GB) | RT_NS_ATTRS, RMI_EMPTY);
	rt_expect(rt_map(&r, FX_IPA_UNPROT + 3 * RT_GB, 1, (3 * RT_GB) | RT_NS_ATTRS),
		  RMI_ERROR_RTT, 1, "rtte_state at level 1");
	rt_realm_teardown(&r);
}

/* s2.22 rd_*, level_bound, ipa_align, ipa_bound and the priority rows: X1 = 0. */
static void test_unmap_input_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	struct smc_result u;
	const struct {
		const char *label;
		uint64_t ipa, level;
	} rows[] = {
		{ "level_bound: the start level", FX_IPA_UNPROT, 0 },
		{ "level_bound: 4", NS_IPA, 4 },
		{ "ipa_align: not aligned to level 2", NS_IPA, 2 },
		{ "ipa_bound: protected ipa", 4096, 3 },
		{ "ipa_bound: ipa >= 2^S2SZ", FX_IPA_OOR, 3 },
		/* Priority rows. */
		{ "level_bound beats rtt_walk", FX_IPA_UNPROT + 2 * RT_MB, 4 },
		{ "level_bound beats rtte_state", NS_IPA + 4096, 4 },
		{ "protected ipa beats rtt_walk", 2 * RT_MB, 3 },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 305);
	rt_rtts(&r, NS_IPA, 3);
	assert_rmi(rt_map(&r, NS_IPA, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	u = smc_call(RMI_RTT_UNMAP_UNPROTECTED, r.rd.v + 1, NS_IPA, 3, 0, 0, 0);
	rt_expect(u.x[0], RMI_ERROR_INPUT, 0, "rd_align");
	assert_int_equal(u.x[1], 0);
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		u = smc_call(RMI_RTT_UNMAP_UNPROTECTED, b.row[i].pa, NS_IPA, 3, 0, 0, 0);
		rt_expect(u.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(u.x[1], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		u = rt_unmap(&r, rows[i].ipa, (int)rows[i].level);
		rt_expect(u.x[0], RMI_ERROR_INPUT, 0, rows[i].label);
		assert_int_equal(u.x[1], 0);
	}
	assert_int_equal(rt_read(&r, NS_IPA, 3).x[2], RMI_ASSIGNED);
	rt_realm_teardown(&r);
}

/*
 * s2.22 rtt_walk and rtte_state with `top`; success: the ACS example (the
 * only NS page at 2^39 -> top = 2^39 + 2 MB), UNASSIGNED_NS afterwards, the
 * VMID invalidated, repeat -> (E_RTT, 3); top at the next live entry.
 */
static void test_unmap_rtt_rows(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	struct smc_result u;

	(void)state;
	rt_realm_create(&r, 306);
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	u = rt_unmap(&r, FX_IPA_UNPROT, 3);
	rt_expect(u.x[0], RMI_ERROR_RTT, 2, "rtt_walk: no level-3 table");
	assert_int_equal(u.x[1], FX_IPA_UNPROT + RT_GB);
	rt_rtts(&r, FX_IPA_UNPROT, 3);
	u = rt_unmap(&r, FX_IPA_UNPROT, 3);
	rt_expect(u.x[0], RMI_ERROR_RTT, 3, "rtte_state: UNASSIGNED_NS");
	assert_int_equal(u.x[1], FX_IPA_UNPROT + 2 * RT_MB);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	u = rt_unmap(&r, FX_IPA_UNPROT, 3);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_rmi(u.x[0], RMI_SUCCESS, 0);
	assert_int_equal(u.x[1], FX_IPA_UNPROT + 2 * RT_MB);
	assert_int_equal(atomic_load(&log.count), 1);
	assert_int_equal(atomic_load(&log.last_vmid), 306);
	rt_assert_entry(&r, FX_IPA_UNPROT, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT + 12288, 3, fx_ns().v | RT_NS_ATTRS), RMI_SUCCESS, 0);
	u = rt_unmap(&r, FX_IPA_UNPROT, 3);
	assert_rmi(u.x[0], RMI_SUCCESS, 0);
	assert_int_equal(u.x[1], FX_IPA_UNPROT + 12288);
	u = rt_unmap(&r, FX_IPA_UNPROT, 3);
	rt_expect(u.x[0], RMI_ERROR_RTT, 3, "repeat of a successful unmap");
	assert_int_equal(u.x[1], FX_IPA_UNPROT + 12288);
	/* A block at level 2, and rtt_walk reported at the walk level for a level-3 unmap. */
	assert_rmi(rt_map(&r, FX_IPA_UNPROT + 4 * RT_MB, 2, 0x40000000ULL | RT_NS_ATTRS),
		   RMI_SUCCESS, 0);
	u = rt_unmap(&r, FX_IPA_UNPROT + 4 * RT_MB, 3);
	rt_expect(u.x[0], RMI_ERROR_RTT, 2, "walk stops at the level-2 block");
	assert_int_equal(u.x[1], FX_IPA_UNPROT + 4 * RT_MB);
	u = rt_unmap(&r, FX_IPA_UNPROT + 4 * RT_MB, 2);
	assert_rmi(u.x[0], RMI_SUCCESS, 0);
	assert_int_equal(u.x[1], FX_IPA_UNPROT + RT_GB);
	rt_realm_teardown(&r);
}

/* The RIM after extending a copy of the RD with RIPAS descriptors for [b, b + n * size). */
static void expect_rim(const struct rt_realm *r, struct rd *copy, uint64_t b, unsigned int n,
		       uint64_t size)
{
	for (unsigned int i = 0; i < n; i++)
		measurement_extend_ripas(copy, b + i * size, b + (i + 1) * size);
	assert_memory_equal(rd_of(find_granule(r->rd))->measurement, copy->measurement,
			    sizeof(copy->measurement));
}

/* s2.16 rd_*, size_valid, top_bound, top_gran_align, alignment, and priorities. */
static void test_init_ripas_input_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	struct rd before;
	struct smc_result res;
	const struct {
		const char *label;
		uint64_t base, top;
	} rows[] = {
		{ "size_valid: top < base (swapped)", 8192, 4096 },
		{ "size_valid: top == base", 4096, 4096 },
		{ "top_bound: top in the unprotected half", 0, FX_IPA_UNPROT + 4096 },
		{ "base in the unprotected half", FX_IPA_UNPROT, FX_IPA_UNPROT + 4096 },
		{ "base not 4 KB aligned", 1, 4096 },
		{ "top_gran_align: top = 2 KB", 0, 2048 },
		{ "top >= 2^S2SZ", 0, FX_IPA_OOR },
		/* Priority: top_gran_align beats no_progress (walk stops at level 2). */
		{ "top_gran_align beats no_progress", 2 * RT_MB, 2 * RT_MB + 2048 },
	};

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 307);
	rt_rtts(&r, 0, 3);
	before = *rd_of(find_granule(r.rd));
	rt_expect(rt_init_ripas(&(struct rt_realm){ .rd = pa_of(r.rd.v + 1) }, 0, 4096).x[0],
		  RMI_ERROR_INPUT, 0, "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		res = smc_call(RMI_RTT_INIT_RIPAS, b.row[i].pa, 0, 4096, 0, 0, 0);
		rt_expect(res.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(res.x[1], 0);
	}
	/* Reference order: top <= base is checked before the RD. */
	rt_expect(smc_call(RMI_RTT_INIT_RIPAS, FX_PA_MMIO, 4096, 0, 0, 0, 0).x[0], RMI_ERROR_INPUT,
		  0, "size_valid with an invalid rd");
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		res = rt_init_ripas(&r, rows[i].base, rows[i].top);
		rt_expect(res.x[0], RMI_ERROR_INPUT, 0, rows[i].label);
		assert_int_equal(res.x[1], 0);
	}
	/* Nothing changed, nothing measured. */
	rt_assert_entry(&r, 0, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_memory_equal(rd_of(find_granule(r.rd))->measurement, before.measurement,
			    sizeof(before.measurement));
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/* s2.16 realm_state (ACTIVE, SYSTEM_OFF), realm_state_null, and their priorities. */
static void test_init_ripas_realm_rows(void **state)
{
	struct rt_realm r, dead;

	(void)state;
	rt_realm_create(&r, 312);
	rt_rtts(&r, 0, 3);
	/* realm_state: ACTIVE; E_INPUT (top_bound) beats E_REALM; E_REALM beats base_align. */
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	rt_expect(rt_init_ripas(&r, 0, 4096).x[0], RMI_ERROR_REALM, 0, "realm_state: ACTIVE");
	rt_expect(rt_init_ripas(&r, 0, FX_IPA_UNPROT + 4096).x[0], RMI_ERROR_INPUT, 0,
		  "top_bound beats realm_state");
	rt_expect(rt_init_ripas(&r, 2 * RT_MB + 4096, 2 * RT_MB + 8192).x[0], RMI_ERROR_REALM, 0,
		  "realm_state beats base_align");
	/* SYSTEM_OFF needs a running REC (REC_ENTER is not in this tree): white box. */
	set_realm_state(&r, RMI_REALM_STATE_SYSTEM_OFF);
	rt_expect(rt_init_ripas(&r, 0, 4096).x[0], RMI_ERROR_REALM, 0, "realm_state: SYSTEM_OFF");
	rt_realm_create(&dead, 308);
	rt_realm_teardown(&dead);
	rt_expect(rt_init_ripas(&dead, 0, 4096).x[0], RMI_ERROR_INPUT, 0, "realm_state_null");
	rt_realm_teardown(&r);
}

/* s2.16 base_align, rtte_state, no_progress: (E_RTT, walk level), nothing measured. */
static void test_init_ripas_rtt_rows(void **state)
{
	struct rt_realm r;
	struct rd before;
	struct smc_result res;

	(void)state;
	rt_realm_create(&r, 309);
	rt_rtts(&r, 0, 3);
	rt_data(&r, 8192);
	before = *rd_of(find_granule(r.rd));
	res = rt_init_ripas(&r, 2 * RT_MB + 4096, 2 * RT_MB + 8192);
	rt_expect(res.x[0], RMI_ERROR_RTT, 2, "base_align: walk stops at level 2");
	assert_int_equal(res.x[1], 0);
	res = rt_init_ripas(&r, 8192, 12288);
	rt_expect(res.x[0], RMI_ERROR_RTT, 3, "rtte_state: the entry at base is ASSIGNED");
	res = rt_init_ripas(&r, 2 * RT_MB, 2 * RT_MB + 4096);
	rt_expect(res.x[0], RMI_ERROR_RTT, 2, "no_progress: level-2 entry ends beyond top");
	/* An UNASSIGNED/DESTROYED entry stops the loop too: no progress. */
	rt_rtts(&r, 4 * RT_MB, 3);
	res = rt_destroy(&r, 4 * RT_MB, 3);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	rt_reclaim(pa_of(res.x[1]));
	res = rt_init_ripas(&r, 4 * RT_MB, 6 * RT_MB);
	rt_expect(res.x[0], RMI_ERROR_RTT, 2, "no_progress: a DESTROYED block");
	rt_assert_entry(&r, 4 * RT_MB, 2, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	assert_memory_equal(rd_of(find_granule(r.rd))->measurement, before.measurement,
			    sizeof(before.measurement));
	rt_realm_teardown(&r);
}

/*
 * s11.3 success: EMPTY -> RAM; one RIPAS descriptor per processed entry,
 * already-RAM entries included; a level-2 block measured once; the loop
 * stops at an ASSIGNED entry and never crosses into the next RTT; the
 * host's loop (advance base to X1) completes the range.
 */
static void test_init_ripas_success(void **state)
{
	struct rt_realm r;
	struct rd copy;
	struct smc_result res;
	uint64_t base;

	(void)state;
	rt_realm_create(&r, 310);
	rt_rtts(&r, 0, 3);
	copy = *rd_of(find_granule(r.rd));
	res = rt_init_ripas(&r, 0, 3 * 4096);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 3 * 4096);
	expect_rim(&r, &copy, 0, 3, 4096);
	for (uint64_t a = 0; a < 4 * 4096; a += 4096)
		rt_assert_entry(&r, a, 3, 3, RMI_UNASSIGNED, 0, a < 3 * 4096 ? RMI_RAM : RMI_EMPTY);
	/* Already RAM: processed and measured again. */
	res = rt_init_ripas(&r, 4096, 3 * 4096);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 3 * 4096);
	expect_rim(&r, &copy, 4096, 2, 4096);
	/* Stops at an ASSIGNED entry (DATA at 20 KB). */
	rt_data(&r, 5 * 4096);
	res = rt_init_ripas(&r, 3 * 4096, 8 * 4096);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 5 * 4096);
	copy = *rd_of(find_granule(r.rd));
	/* One RTT only: [2 MB - 8 KB, 4 MB) stops at the end of the level-3 RTT. */
	res = rt_init_ripas(&r, 2 * RT_MB - 8192, 4 * RT_MB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 2 * RT_MB);
	expect_rim(&r, &copy, 2 * RT_MB - 8192, 2, 4096);
	/* Level-2 blocks: each is one unit, measured once; the host loops to top. */
	base = 2 * RT_MB;
	res = rt_init_ripas(&r, base, 8 * RT_MB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 8 * RT_MB);
	expect_rim(&r, &copy, 2 * RT_MB, 3, 2 * RT_MB);
	rt_assert_entry(&r, 6 * RT_MB, 3, 2, RMI_UNASSIGNED, 0, RMI_RAM);
	/* Level-1 blocks: [1 GB, 3 GB), two entries. */
	res = rt_init_ripas(&r, RT_GB, 3 * RT_GB);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 3 * RT_GB);
	expect_rim(&r, &copy, RT_GB, 2, RT_GB);
	/* The top of the PAR is a valid top. */
	res = rt_init_ripas(&r, FX_IPA_UNPROT - RT_GB, FX_IPA_UNPROT);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], FX_IPA_UNPROT);
	rt_realm_teardown(&r);
}

/*
 * failure-conditions s5.2 NEW realm (TFTF host_realm_pas_validation_new):
 * the nine steps from UNASSIGNED/EMPTY, each checked with RTT_READ_ENTRY.
 */
static void test_hipas_ripas_flow(void **state)
{
	struct rt_realm r;
	struct smc_result d;
	pa_t data = fx_delegated(), src = fx_ns();
	const uint64_t a = 4096, b = 8192;

	(void)state;
	rt_realm_create(&r, 311);
	rt_rtts(&r, 0, 3);
	rt_assert_entry(&r, a, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(smc_call(RMI_DATA_CREATE, r.rd.v, data.v, a, src.v, 1, 0).x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, a, 3, 3, RMI_ASSIGNED, data.v, RMI_RAM); /* step 1 */
	d = smc_call(RMI_DATA_DESTROY, r.rd.v, a, 0, 0, 0, 0);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, a, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED); /* step 2 */
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r.rd.v, data.v, a, 0), RMI_SUCCESS, 0);
	rt_assert_entry(&r, a, 3, 3, RMI_ASSIGNED, data.v, RMI_DESTROYED); /* step 3 */
	assert_rmi(smc_call(RMI_DATA_DESTROY, r.rd.v, a, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, a, 3, 3, RMI_UNASSIGNED, 0, RMI_DESTROYED); /* step 4 */
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r.rd.v, data.v, b, 0), RMI_SUCCESS, 0);
	rt_assert_entry(&r, b, 3, 3, RMI_ASSIGNED, data.v, RMI_EMPTY); /* step 5 */
	assert_rmi(smc_call(RMI_DATA_DESTROY, r.rd.v, b, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, b, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY); /* step 6 */
	assert_rmi(rt_init_ripas(&r, b, b + 4096).x[0], RMI_SUCCESS, 0);
	rt_assert_entry(&r, b, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM); /* step 7 */
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r.rd.v, data.v, b, 0), RMI_SUCCESS, 0);
	rt_assert_entry(&r, b, 3, 3, RMI_ASSIGNED, data.v, RMI_RAM); /* step 8 */
	/* Step 9: an RTT holding UNASSIGNED/EMPTY and UNASSIGNED/RAM pages. */
	assert_rmi(smc_call(RMI_DATA_DESTROY, r.rd.v, b, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0);
	rt_rtts(&r, 2 * RT_MB, 3);
	assert_rmi(rt_init_ripas(&r, 2 * RT_MB, 2 * RT_MB + 4096).x[0], RMI_SUCCESS, 0);
	d = rt_destroy(&r, 2 * RT_MB, 3);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	rt_reclaim(pa_of(d.x[1]));
	rt_assert_entry(&r, 2 * RT_MB, 3, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	rt_assert_entry(&r, 2 * RT_MB + 4096, 3, 2, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	rt_realm_teardown(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_read_rows),
		T(test_read_states),
		T(test_map_input_rows),
		T(test_map_rtt_rows),
		T(test_unmap_input_rows),
		T(test_unmap_rtt_rows),
		T(test_init_ripas_input_rows),
		T(test_init_ripas_realm_rows),
		T(test_init_ripas_rtt_rows),
		T(test_init_ripas_success),
		T(test_hipas_ripas_flow),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
