/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REALM_CREATE, RMI_REALM_ACTIVATE, RMI_REALM_DESTROY and
 * RMI_REC_AUX_COUNT through the conduit: every row of
 * failure-conditions-v1.0.md s2.5-s2.8 (each test names its rows), the
 * additional TF-RMM rules, the s10 geometry table, the ACS realms of
 * mm_rtt_level_start, destroy-then-recreate with the same granules and
 * VMID, and negative observability.
 */
#include <stdatomic.h>

#include "measurement.h"
#include "rtt_fixture.h"
#include "vmid.h"

/* REALM_CREATE(rd, params) for a default realm whose params p a test edits. */
struct create_case {
	pa_t rd, root;
	struct rmi_realm_params p;
};

static void case_init(struct create_case *c, unsigned int roots, uint16_t vmid)
{
	c->rd = fx_delegated();
	c->root = rt_delegated_contig(roots, GRANULE_SIZE);
	rt_params(&c->p, FX_S2SZ, 0, 1, vmid, c->root);
	if (roots == 2) {
		c->p.rtt_level_start = 1;
		c->p.rtt_num_start = 2;
	}
}

static bool registry_has(pa_t rd)
{
	pa_t live[8];
	size_t n = realm_registry_snapshot(live, ARRAY_SIZE(live));

	assert_true(n <= ARRAY_SIZE(live));
	for (size_t i = 0; i < n; i++) {
		if (live[i].v == rd.v)
			return true;
	}
	return false;
}

/* After a failed create: nothing changed (rd and roots DELEGATED and zero, VMID free). */
static void assert_untouched(const struct create_case *c, unsigned int roots)
{
	assert_int_equal(fx_state(c->rd), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(c->rd));
	for (unsigned int i = 0; i < roots; i++) {
		assert_int_equal(fx_state(pa_add(c->root, i * GRANULE_SIZE)),
				 GRANULE_STATE_DELEGATED);
		assert_true(fx_is_zero(pa_add(c->root, i * GRANULE_SIZE)));
	}
	assert_false(vmid_is_reserved(c->p.vmid));
	assert_false(registry_has(c->rd));
}

static void destroy_case(const struct create_case *c, unsigned int roots)
{
	struct rt_realm r = { .rd = c->rd,
			      .root = c->root,
			      .s2sz = c->p.s2sz,
			      .roots = roots,
			      .sl = (int)c->p.rtt_level_start };

	rt_realm_teardown(&r);
}

/* s2.5 params_align, params_bound (MMIO, outside PA range), params_pas (Realm, Secure). */
static void test_create_params_granule(void **state)
{
	struct create_case c;
	pa_t params = fx_ns(), realm_pas = fx_delegated();
	const struct {
		const char *label;
		uint64_t pa;
	} rows[] = {
		{ "params_align", params.v + 1 },
		{ "params_bound: MMIO", FX_PA_MMIO },
		{ "params_bound: outside the PA range", FX_PA_OOR },
		{ "params_pas: Realm", realm_pas.v },
		{ "params_pas: Secure", fx_pa_secure().v },
	};

	(void)state;
	case_init(&c, 1, 1);
	memcpy(platform_ns_ptr(params), &c.p, sizeof(c.p));
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		rt_expect(rt_x0(RMI_REALM_CREATE, c.rd.v, rows[i].pa, 0, 0), RMI_ERROR_INPUT, 0,
			  rows[i].label);
		assert_untouched(&c, 1);
	}
	/* Positive observability: the valid call succeeds. */
	assert_rmi(rt_x0(RMI_REALM_CREATE, c.rd.v, params.v, 0, 0), RMI_SUCCESS, 0);
	destroy_case(&c, 1);
}

typedef void (*edit_fn)(struct rmi_realm_params *p);

static void e_alg2(struct rmi_realm_params *p)
{
	p->algorithm = 2; /* reserved encoding */
}
static void e_alg_ff(struct rmi_realm_params *p)
{
	p->algorithm = 0xFF;
}
static void e_s2sz38_sl1_n0(struct rmi_realm_params *p)
{
	p->s2sz = 38;
	p->rtt_level_start = 1;
	p->rtt_num_start = 0;
}
static void e_pmu(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_PMU;
	p->pmu_num_ctrs = 1;
}
static void e_pmu_ctrs(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_PMU;
	p->pmu_num_ctrs = 31;
}
static void e_pmu_zero(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_PMU;
	p->pmu_num_ctrs = 0;
}
static void e_sve(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_SVE;
}
static void e_sve_vl(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_SVE;
	p->sve_vl = 15;
}
static void e_lpa2_52(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_LPA2;
	p->s2sz = 52;
	p->rtt_level_start = 0;
	p->rtt_num_start = 16;
}
static void e_lpa2_40(struct rmi_realm_params *p)
{
	p->flags = RMI_REALM_FLAGS_LPA2;
}
static void e_bps_over(struct rmi_realm_params *p)
{
	p->num_bps = 6; /* feature NUM_BPS field = 5 (6 breakpoints, number - 1) */
}
static void e_wps_over(struct rmi_realm_params *p)
{
	p->num_wps = 4; /* feature NUM_WPS field = 3 */
}
static void e_bps_zero(struct rmi_realm_params *p)
{
	p->num_bps = 0;
}
static void e_wps_zero(struct rmi_realm_params *p)
{
	p->num_wps = 0;
}
static void e_s2sz31(struct rmi_realm_params *p)
{
	p->s2sz = 31;
	p->rtt_level_start = 1;
	p->rtt_num_start = 1;
}
static void e_s2sz49(struct rmi_realm_params *p)
{
	p->s2sz = 49;
	p->rtt_num_start = 2;
}
static void e_sl_inconsistent(struct rmi_realm_params *p)
{
	p->rtt_level_start = 2; /* s2sz 40 needs start level 0 or 1 */
	p->rtt_num_start = 1024;
}
static void e_roots_mismatch(struct rmi_realm_params *p)
{
	p->rtt_num_start = 2; /* [40, 0] needs 1 */
}
static void e_sl_minus1(struct rmi_realm_params *p)
{
	p->rtt_level_start = -1;
}
static void e_sl_3(struct rmi_realm_params *p)
{
	p->rtt_level_start = 3;
}
static void e_sl_huge(struct rmi_realm_params *p)
{
	p->rtt_level_start = INT64_MIN;
}

/*
 * s2.5 params_valid, params_supp (all platform-supported variants), and the
 * additional TF-RMM rules (s2sz range, zero bps/wps, PMU without HPMN0,
 * rtt_num_start, start level). Each leaves nothing changed.
 */
static void test_create_params_invalid(void **state)
{
	const struct {
		const char *label;
		edit_fn edit;
	} rows[] = {
		{ "params_valid: hash algorithm 2 (reserved)", e_alg2 },
		{ "params_valid: hash algorithm 0xFF", e_alg_ff },
		{ "params_valid: s2sz 38, level 1, rtt_num_start 0", e_s2sz38_sl1_n0 },
		{ "params_supp: PMU flag, PMU unsupported", e_pmu },
		{ "params_supp: pmu_num_ctrs > supported", e_pmu_ctrs },
		{ "TF-RMM: PMU flag with pmu_num_ctrs 0 and no FEAT_HPMN0", e_pmu_zero },
		{ "params_supp: SVE flag, SVE unsupported", e_sve },
		{ "params_supp: sve_vl > maximum", e_sve_vl },
		{ "params_supp: LPA2 flag with s2sz 52, LPA2 unsupported", e_lpa2_52 },
		{ "params_supp: LPA2 flag with s2sz 40, LPA2 unsupported", e_lpa2_40 },
		{ "params_supp: num_bps > supported", e_bps_over },
		{ "params_supp: num_wps > supported", e_wps_over },
		{ "TF-RMM: num_bps == 0", e_bps_zero },
		{ "TF-RMM: num_wps == 0", e_wps_zero },
		{ "TF-RMM: s2sz < 32", e_s2sz31 },
		{ "TF-RMM: s2sz > feature S2SZ (48)", e_s2sz49 },
		{ "rtt_num_level: start level inconsistent with s2sz", e_sl_inconsistent },
		{ "TF-RMM: rtt_num_start != computed root count", e_roots_mismatch },
		{ "s10: start level -1 without LPA2", e_sl_minus1 },
		{ "s10: start level 3", e_sl_3 },
		{ "s10: start level INT64_MIN", e_sl_huge },
	};
	struct create_case c;

	(void)state;
	case_init(&c, 1, 5);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct rmi_realm_params p = c.p;

		rows[i].edit(&p);
		rt_expect(rt_realm_create_p(c.rd, &p), RMI_ERROR_INPUT, 0, rows[i].label);
		assert_untouched(&c, 1);
	}
	assert_rmi(rt_realm_create_p(c.rd, &c.p), RMI_SUCCESS, 0);
	destroy_case(&c, 1);
}

/*
 * rmm-v1.0.md s5/s8.1 and TF-RMM validate_realm_params: the boundary
 * values that are accepted (num_bps/num_wps up to the feature fields,
 * unchecked flag bits, both hash algorithms); "hash algorithm valid but
 * unsupported" cannot be produced: this platform supports both.
 */
static void test_create_params_accepted(void **state)
{
	uint64_t f0 = smc_call(RMI_FEATURES, 0, 0, 0, 0, 0, 0).x[1];
	struct create_case c;

	(void)state;
	assert_int_equal(rmi_field_get(f0, RMI_FEATURE_REGISTER_0_NUM_BPS_SHIFT, 6), 5);
	assert_int_equal(rmi_field_get(f0, RMI_FEATURE_REGISTER_0_NUM_WPS_SHIFT, 6), 3);
	assert_int_equal(rmi_field_get(f0, RMI_FEATURE_REGISTER_0_HASH_SHA_256_SHIFT, 2), 3);
	case_init(&c, 1, 6);
	c.p.num_bps = 5;
	c.p.num_wps = 3;
	c.p.algorithm = RMI_HASH_SHA_512;
	c.p.flags = 1ULL << 40; /* s8.1: not checked, but measured */
	c.p.sve_vl = 7;		/* checked only with the SVE flag */
	c.p.pmu_num_ctrs = 31;	/* checked only with the PMU flag */
	assert_rmi(rt_realm_create_p(c.rd, &c.p), RMI_SUCCESS, 0);
	assert_int_equal(rd_of(find_granule(c.rd))->algorithm, RMI_HASH_SHA_512);
	assert_int_equal(rd_of(find_granule(c.rd))->flags, 1ULL << 40);
	destroy_case(&c, 1);
}

/* s2.5 alias (rd == rtt_base) and the TF-RMM rule rd in [rtt_base, rtt_base + n * 4 KB). */
static void test_create_alias(void **state)
{
	struct create_case c;
	struct rmi_realm_params p;

	(void)state;
	case_init(&c, 2, 8);
	rt_expect(rt_realm_create_p(c.root, &c.p), RMI_ERROR_INPUT, 0, "alias: rd == rtt_base");
	rt_expect(rt_realm_create_p(pa_add(c.root, GRANULE_SIZE), &c.p), RMI_ERROR_INPUT, 0,
		  "alias: rd == the second root");
	/* The VMID was reserved by then and must have been released. */
	assert_untouched(&c, 2);
	/* rtt_base just above rd is fine. */
	p = c.p;
	assert_rmi(rt_realm_create_p(c.rd, &p), RMI_SUCCESS, 0);
	destroy_case(&c, 2);
}

/* s2.5 rd_align, rd_bound, rd_state (UNDELEGATED, RD, REC, REC_AUX, RTT, DATA). */
static void test_create_rd_rows(void **state)
{
	struct rt_bad_set b;
	struct create_case c;

	(void)state;
	rt_bad_init(&b);
	case_init(&c, 1, 9);
	rt_expect(rt_realm_create_p(pa_of(c.rd.v + 1), &c.p), RMI_ERROR_INPUT, 0, "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_DELEGATED)
			continue; /* the valid state */
		rt_expect(rt_realm_create_p(pa_of(b.row[i].pa), &c.p), RMI_ERROR_INPUT, 0,
			  b.row[i].label);
		assert_false(vmid_is_reserved(9));
	}
	assert_untouched(&c, 1);
	assert_rmi(rt_realm_create_p(c.rd, &c.p), RMI_SUCCESS, 0);
	destroy_case(&c, 1);
	rt_bad_fini(&b);
}

/* s2.5 rtt_align, rtt_state (UNDELEGATED ...), bound, and a non-DELEGATED second root. */
static void test_create_rtt_rows(void **state)
{
	struct rt_bad_set b;
	struct create_case c;
	struct rmi_realm_params p;
	pa_t ns;

	(void)state;
	rt_bad_init(&b);
	case_init(&c, 2, 10);
	p = c.p;
	p.rtt_base = c.root.v + 1;
	rt_expect(rt_realm_create_p(c.rd, &p), RMI_ERROR_INPUT, 0, "rtt_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_DELEGATED)
			continue;
		p = c.p;
		p.rtt_base = b.row[i].pa;
		rt_expect(rt_realm_create_p(c.rd, &p), RMI_ERROR_INPUT, 0, b.row[i].label);
	}
	assert_untouched(&c, 2);
	/* The second of two roots UNDELEGATED: everything locked so far is released. */
	assert_rmi(rmi_granule_undelegate(pa_add(c.root, GRANULE_SIZE)), RMI_SUCCESS, 0);
	rt_expect(rt_realm_create_p(c.rd, &c.p), RMI_ERROR_INPUT, 0,
		  "rtt_state: second root UNDELEGATED");
	assert_int_equal(fx_state(c.root), GRANULE_STATE_DELEGATED);
	assert_false(atomic_load(&find_granule(c.root)->desc) & GRANULE_LOCK_BIT);
	assert_false(atomic_load(&find_granule(c.rd)->desc) & GRANULE_LOCK_BIT);
	assert_false(vmid_is_reserved(10));
	ns = pa_add(c.root, GRANULE_SIZE);
	assert_rmi(rmi_granule_delegate(ns), RMI_SUCCESS, 0);
	assert_rmi(rt_realm_create_p(c.rd, &c.p), RMI_SUCCESS, 0);
	destroy_case(&c, 2);
	rt_bad_fini(&b);
}

/*
 * s2.5 vmid_valid: a VMID used by another realm; the 8-bit row (vmid 0xFF00)
 * is skipped: realmkit uses 16-bit VMIDs, so 0xFF00 is valid (checked).
 * Reference order: the VMID is released when a later step fails.
 */
static void test_create_vmid(void **state)
{
	struct rt_realm a;
	struct create_case c;
	struct rmi_realm_params p;

	(void)state;
	rt_realm_create(&a, 0xFF00);
	assert_true(vmid_is_reserved(0xFF00));
	case_init(&c, 1, 0xFF00);
	rt_expect(rt_realm_create_p(c.rd, &c.p), RMI_ERROR_INPUT, 0, "vmid_valid: VMID in use");
	/* Failures after the reservation (alias, rd_state, rtt_state) release it. */
	p = c.p;
	p.vmid = 0xFFFF;
	rt_expect(rt_realm_create_p(c.root, &p), RMI_ERROR_INPUT, 0, "alias");
	assert_false(vmid_is_reserved(0xFFFF));
	rt_expect(rt_realm_create_p(a.rd, &p), RMI_ERROR_INPUT, 0, "rd_state: RD");
	assert_false(vmid_is_reserved(0xFFFF));
	p.rtt_base = a.root.v;
	rt_expect(rt_realm_create_p(c.rd, &p), RMI_ERROR_INPUT, 0, "rtt_state: RTT");
	assert_false(vmid_is_reserved(0xFFFF));
	/* VMID 0 and 0xFFFF are valid. */
	p = c.p;
	p.vmid = 0xFFFF;
	assert_rmi(rt_realm_create_p(c.rd, &p), RMI_SUCCESS, 0);
	assert_true(vmid_is_reserved(0xFFFF));
	destroy_case(&c, 1);
	assert_false(vmid_is_reserved(0xFFFF));
	/* Once a is destroyed its VMID is free again. */
	rt_realm_teardown(&a);
	assert_false(vmid_is_reserved(0xFF00));
	case_init(&c, 1, 0xFF00);
	assert_rmi(rt_realm_create_p(c.rd, &c.p), RMI_SUCCESS, 0);
	destroy_case(&c, 1);
}

/*
 * Success post-conditions (rmm-v1.0.md s4 REALM_CREATE, s9.2, s10, s14.2)
 * and negative observability: the same call again fails.
 */
static void test_create_success(void **state)
{
	struct create_case c;
	struct rd *rd, expect;
	pa_t listed[4];
	pa_t params = fx_ns();

	(void)state;
	case_init(&c, 1, 11);
	memset(c.p.rpv, 0x5A, sizeof(c.p.rpv));
	c.p.num_bps = 3;
	memcpy(platform_ns_ptr(params), &c.p, sizeof(c.p));
	assert_rmi(rt_x0(RMI_REALM_CREATE, c.rd.v, params.v, 0, 0), RMI_SUCCESS, 0);
	assert_int_equal(fx_state(c.rd), GRANULE_STATE_RD);
	assert_int_equal(fx_state(c.root), GRANULE_STATE_RTT);
	assert_int_equal(fx_refcount(c.rd), 0);
	assert_int_equal(fx_refcount(c.root), 0);
	rd = rd_of(find_granule(c.rd));
	assert_int_equal(realm_state(rd), RMI_REALM_STATE_NEW);
	assert_int_equal(rd->rec_count, 0);
	assert_int_equal(rd->s2sz, 40);
	assert_int_equal(rd->start_level, 0);
	assert_int_equal(rd->num_root_rtts, 1);
	assert_int_equal(rd->vmid, 11);
	assert_int_equal(rd->rtt_base, c.root.v);
	assert_int_equal(rd->num_bps, 3);
	assert_false(rd->lpa2);
	assert_memory_equal(rd->rpv, c.p.rpv, sizeof(rd->rpv));
	/* s14.2: the RIM is the hash of the measured params image. */
	memset(&expect, 0, sizeof(expect));
	expect.algorithm = RMI_HASH_SHA_256;
	measurement_rim_init(&expect, &c.p);
	assert_memory_equal(rd->measurement, expect.measurement, sizeof(expect.measurement));
	/* The registry of live realms lists it. */
	assert_int_equal(realm_registry_snapshot(listed, 4), 1);
	assert_int_equal(listed[0].v, c.rd.v);
	/* s10 root initialisation, seen through RTT_READ_ENTRY at the start level. */
	{
		struct rt_realm r = { .rd = c.rd, .root = c.root, .s2sz = 40, .sl = 0, .roots = 1 };

		rt_assert_entry(&r, 0, 0, 0, RMI_UNASSIGNED, 0, RMI_EMPTY);
		rt_assert_entry(&r, FX_IPA_UNPROT, 0, 0, RMI_UNASSIGNED, 0, RMI_EMPTY);
	}
	/* Negative observability: the same call fails (rd is no longer DELEGATED). */
	rt_expect(rt_x0(RMI_REALM_CREATE, c.rd.v, params.v, 0, 0), RMI_ERROR_INPUT, 0,
		  "repeat of a successful REALM_CREATE");
	assert_int_equal(fx_state(c.rd), GRANULE_STATE_RD);
	destroy_case(&c, 1);
}

/* The s10 table, written out row by row. */
static unsigned int roots_expected(unsigned int s2sz, int sl)
{
	if (sl == 0)
		return s2sz >= 40 && s2sz <= 48 ? 1 : 0;
	if (sl == 1)
		return s2sz <= 39 ? 1 : s2sz <= 43 ? 1u << (s2sz - 39) : 0;
	if (sl == 2)
		return s2sz <= 34 ? 1u << (s2sz - 30) : 0;
	return 0;
}

/*
 * rmm-v1.0.md s10 through the RMI: every (s2sz 32..48, start level -1..3,
 * rtt_num_start 0..17) combination; exactly the table's pairs are accepted
 * (and then destroyed), every mismatch is E_INPUT and changes nothing.
 * s2sz above the feature register's S2SZ (44 here: the CPU engine walks no
 * wider IPA space) is E_INPUT whatever the geometry.
 */
static void test_create_geometry_all(void **state)
{
	pa_t rd = fx_delegated(), roots = rt_delegated_contig(17, GRANULE_SIZE);
	unsigned int accepted = 0;

	(void)state;
	for (unsigned int s2sz = 32; s2sz <= 48; s2sz++) {
		for (int sl = -1; sl <= 3; sl++) {
			for (unsigned int n = 0; n <= 17; n++) {
				struct rmi_realm_params p;
				uint64_t x0;
				bool ok = n != 0 && roots_expected(s2sz, sl) == n && s2sz <= 44;

				rt_params(&p, s2sz, sl, n, 12, roots);
				x0 = rt_realm_create_p(rd, &p);
				if (x0 != rmi_pack(ok ? RMI_SUCCESS : RMI_ERROR_INPUT, 0))
					fail_msg("s10 [%u, %d, %u]: X0 %#llx", s2sz, sl, n,
						 (unsigned long long)x0);
				if (!ok) {
					assert_int_equal(fx_state(rd), GRANULE_STATE_DELEGATED);
					continue;
				}
				accepted++;
				assert_int_equal(fx_state(pa_add(roots, (n - 1) * GRANULE_SIZE)),
						 GRANULE_STATE_RTT);
				assert_rmi(rt_x0(RMI_REALM_DESTROY, rd.v, 0, 0, 0), RMI_SUCCESS, 0);
				for (unsigned int i = 0; i < 17; i++)
					assert_int_equal(fx_state(pa_add(roots, i * GRANULE_SIZE)),
							 GRANULE_STATE_DELEGATED);
			}
		}
	}
	/* s10: 5 (level 0, s2sz 40..44) + 12 (level 1) + 3 (level 2) valid pairs. */
	assert_int_equal(accepted, 20);
}

/*
 * ACS mm_rtt_level_start: [32, 2, 4], [34, 2, 16], [40, 1, 2], [42, 1, 8]
 * are creatable and usable in every root (RTT below the last root, NS map
 * in the unprotected half, INIT_RIPAS of a root block); [52, 0, 16] needs
 * LPA2, which this platform does not offer: E_INPUT.
 */
static void test_create_acs_geometries(void **state)
{
	static const unsigned int geo[][3] = {
		{ 32, 2, 4 }, { 34, 2, 16 }, { 40, 1, 2 }, { 42, 1, 8 }
	};
	struct rmi_realm_params p;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(geo); i++) {
		struct rt_realm r;
		uint64_t par_end = 1ULL << (geo[i][0] - 1), sl_size = rt_size((int)geo[i][1]);
		uint64_t last = par_end - sl_size; /* last root entry of the PAR */
		struct smc_result res;

		assert_rmi(rt_realm_create_geo(&r, geo[i][0], (int)geo[i][1], geo[i][2],
					       (uint16_t)(20 + i)),
			   RMI_SUCCESS, 0);
		rt_rtts(&r, last, 3);
		rt_assert_entry(&r, last, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
		/* The last root entry of the whole IPA space (unprotected). */
		rt_rtts(&r, (1ULL << geo[i][0]) - GRANULE_SIZE, 3);
		assert_rmi(
			rt_map(&r, (1ULL << geo[i][0]) - GRANULE_SIZE, 3, fx_ns().v | RT_NS_ATTRS),
			RMI_SUCCESS, 0);
		/* A root-level block entry, measured as one (s11.3). */
		res = rt_init_ripas(&r, 0, sl_size);
		assert_rmi(res.x[0], RMI_SUCCESS, 0);
		assert_int_equal(res.x[1], sl_size);
		rt_assert_entry(&r, 0, (int)geo[i][1], (int)geo[i][1], RMI_UNASSIGNED, 0, RMI_RAM);
		rt_realm_teardown(&r);
	}
	rt_params(&p, 52, 0, 16, 30, rt_delegated_contig(16, GRANULE_SIZE));
	p.flags = RMI_REALM_FLAGS_LPA2;
	rt_expect(rt_realm_create_p(fx_delegated(), &p), RMI_ERROR_INPUT, 0,
		  "[52, 0, 16] needs LPA2 (unsupported)");
}

/* s2.6: rd_* (DELEGATED included), realm_state, realm_state_null; second ACTIVATE. */
static void test_activate(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r, dead;

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 40);
	rt_expect(rt_x0(RMI_REALM_ACTIVATE, r.rd.v + 1, 0, 0, 0), RMI_ERROR_INPUT, 0, "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue; /* another realm's RD is a valid rd */
		rt_expect(rt_x0(RMI_REALM_ACTIVATE, b.row[i].pa, 0, 0, 0), RMI_ERROR_INPUT, 0,
			  b.row[i].label);
	}
	assert_int_equal(realm_state(rd_of(find_granule(r.rd))), RMI_REALM_STATE_NEW);
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	assert_int_equal(realm_state(rd_of(find_granule(r.rd))), RMI_REALM_STATE_ACTIVE);
	rt_expect(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_ERROR_REALM, 0,
		  "realm_state: ACTIVE (second ACTIVATE)");
	/*
	 * realm_state SYSTEM_OFF needs PSCI SYSTEM_OFF from a running REC
	 * (REC_ENTER is not in this tree): set white box through realm.h's
	 * write helper, under the RD lock.
	 */
	granule_lock(find_granule(r.rd));
	realm_set_state(rd_of(find_granule(r.rd)), RMI_REALM_STATE_SYSTEM_OFF);
	granule_unlock(find_granule(r.rd));
	rt_expect(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_ERROR_REALM, 0,
		  "realm_state: SYSTEM_OFF");
	rt_realm_create(&dead, 41);
	rt_realm_teardown(&dead);
	rt_expect(rt_x0(RMI_REALM_ACTIVATE, dead.rd.v, 0, 0, 0), RMI_ERROR_INPUT, 0,
		  "realm_state_null");
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/* s2.8: rd_* rows (X1 = 0 on failure); SUCCESS with X1 = 16 in every realm state. */
static void test_rec_aux_count(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r;
	struct smc_result res;

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 42);
	res = smc_call(RMI_REC_AUX_COUNT, r.rd.v + 1, 0, 0, 0, 0, 0);
	rt_expect(res.x[0], RMI_ERROR_INPUT, 0, "rd_align");
	assert_int_equal(res.x[1], 0);
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		res = smc_call(RMI_REC_AUX_COUNT, b.row[i].pa, 0, 0, 0, 0, 0);
		rt_expect(res.x[0], RMI_ERROR_INPUT, 0, b.row[i].label);
		assert_int_equal(res.x[1], 0);
	}
	for (int activated = 0; activated <= 1; activated++) {
		res = smc_call(RMI_REC_AUX_COUNT, r.rd.v, 0, 0, 0, 0, 0);
		assert_rmi(res.x[0], RMI_SUCCESS, 0);
		assert_int_equal(res.x[1], RMI_MAX_REC_AUX_GRANULES);
		if (!activated)
			assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	}
	rt_realm_teardown(&r);
	rt_bad_fini(&b);
}

/* s2.7: rd_* (DELEGATED = destroyed included) and realm_live (a REC; a table). */
static void test_destroy_rows(void **state)
{
	struct rt_bad_set b;
	struct rt_realm r, c;
	pa_t rec, rtt;

	(void)state;
	rt_bad_init(&b);
	rt_realm_create(&r, 50);
	rt_expect(rt_x0(RMI_REALM_DESTROY, r.rd.v + 1, 0, 0, 0), RMI_ERROR_INPUT, 0, "rd_align");
	for (size_t i = 0; i < b.n; i++) {
		if (b.row[i].state == GRANULE_STATE_RD)
			continue;
		rt_expect(rt_x0(RMI_REALM_DESTROY, b.row[i].pa, 0, 0, 0), RMI_ERROR_INPUT, 0,
			  b.row[i].label);
	}
	/* realm_live: the realm owns a REC (RD reference count 1). */
	rec = rt_rec(&r, NULL);
	assert_int_equal(fx_refcount(r.rd), 1);
	rt_expect(rt_x0(RMI_REALM_DESTROY, r.rd.v, 0, 0, 0), RMI_ERROR_REALM, 0,
		  "realm_live: a REC");
	assert_rmi(rt_x0(RMI_REC_DESTROY, rec.v, 0, 0, 0), RMI_SUCCESS, 0);
	/* Reference order: root references -> E_REALM (a level-1 RTT). */
	rtt = rt_rtt(&r, 0, 1);
	rt_expect(rt_x0(RMI_REALM_DESTROY, r.rd.v, 0, 0, 0), RMI_ERROR_REALM, 0,
		  "realm_live: a table below the root");
	assert_int_equal(fx_state(r.rd), GRANULE_STATE_RD);
	assert_int_equal(fx_state(rtt), GRANULE_STATE_RTT);
	assert_true(vmid_is_reserved(50));
	rt_realm_teardown(&r);
	/* Concatenated roots: a table in the second root also counts. */
	assert_rmi(rt_realm_create_geo(&c, 40, 1, 2, 51), RMI_SUCCESS, 0);
	rtt = rt_rtt(&c, FX_IPA_UNPROT + RT_GB, 2);
	assert_int_equal(fx_refcount(c.root), 1); /* counted on the first root (s2tt.h) */
	rt_expect(rt_x0(RMI_REALM_DESTROY, c.rd.v, 0, 0, 0), RMI_ERROR_REALM, 0,
		  "realm_live: a table below the second root");
	rt_realm_teardown(&c);
	rt_bad_fini(&b);
}

/*
 * s2.7 success: roots and RD DELEGATED and zero, VMID free, registry empty;
 * ACS cmd_realm_destroy re-creates with the same rd, rtt_base and vmid; a
 * second DESTROY -> E_INPUT. A root-level NS block (no reference, s11.8)
 * does not prevent the destroy, and the VMID's translations are invalidated.
 */
static void test_destroy_recreate(void **state)
{
	struct rt_tlbi_log log = { 0 };
	struct rt_realm r;
	struct rmi_realm_params p;

	(void)state;
	assert_rmi(rt_realm_create_geo(&r, 40, 1, 2, 60), RMI_SUCCESS, 0);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 1, RT_GB | RT_NS_ATTRS), RMI_SUCCESS, 0);
	assert_int_equal(fx_refcount(r.root), 0);
	assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
	assert_rmi(rt_x0(RMI_REALM_DESTROY, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
	assert_true(atomic_load(&log.count) >= 1);
	assert_int_equal(atomic_load(&log.last_vmid), 60);
	assert_int_equal(fx_state(r.rd), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(r.rd));
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(fx_state(pa_add(r.root, i * GRANULE_SIZE)),
				 GRANULE_STATE_DELEGATED);
		assert_true(fx_is_zero(pa_add(r.root, i * GRANULE_SIZE)));
	}
	assert_false(vmid_is_reserved(60));
	assert_false(registry_has(r.rd));
	rt_expect(rt_x0(RMI_REALM_DESTROY, r.rd.v, 0, 0, 0), RMI_ERROR_INPUT, 0,
		  "rd_state: DELEGATED (already destroyed)");
	/* ACS cmd_realm_destroy: same rd, rtt_base and vmid. */
	rt_params(&p, 40, 1, 2, 60, r.root);
	assert_rmi(rt_realm_create_p(r.rd, &p), RMI_SUCCESS, 0);
	rt_assert_entry(&r, FX_IPA_UNPROT, 1, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_realm_teardown(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rt_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_params_granule),
		T(test_create_params_invalid),
		T(test_create_params_accepted),
		T(test_create_alias),
		T(test_create_rd_rows),
		T(test_create_rtt_rows),
		T(test_create_vmid),
		T(test_create_success),
		T(test_create_geometry_all),
		T(test_create_acs_geometries),
		T(test_activate),
		T(test_rec_aux_count),
		T(test_destroy_rows),
		T(test_destroy_recreate),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
