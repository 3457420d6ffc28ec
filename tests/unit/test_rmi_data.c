/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY through the
 * conduit: every row of failure-conditions-v1.0.md s2.18-s2.20 with the
 * priority rows and reference-order pairs, the state after failures, the
 * success post-conditions (rmm-v1.0.md s11.1, s11.7, s14.4, s16.3), the
 * NEW-realm HIPAS/RIPAS flow of failure-conditions s5.2 and the scrub check
 * of s2.4.
 *
 * Layout (s1.3 default realm): RTTs at levels 1, 2 and 3 over IPA 0, so the
 * level-3 RTT covers [0, 2 MB); nothing else exists unless a test adds it.
 */
#include <pthread.h>

#include "rec_data_fixture.h"
#include "measurement.h"

#define PAGE(n) ((uint64_t)(n)*GRANULE_SIZE)

struct objs {
	struct fx_realm r;
	pa_t data; /* DELEGATED */
	pa_t src;  /* NS, non-zero content */
	pa_t ns, rec, rec_data;
};

/* A NEW realm, RTTs over [0, 2 MB), page 0 UNASSIGNED/RAM, a REC and a DATA granule at 1 MB. */
static void objs_make(struct objs *o, unsigned int alg)
{
	uint64_t top;

	fx_realm_create(&o->r, alg);
	fx_rtts(&o->r, 0, 3);
	assert_rmi(fx_init_ripas(&o->r, 0, PAGE(1), &top), RMI_SUCCESS, 0);
	assert_int_equal(top, PAGE(1));
	o->data = fx_delegated();
	o->src = fx_src_page(1);
	o->ns = fx_ns();
	o->rec = fx_new_rec(&o->r, RMI_RUNNABLE);
	o->rec_data = fx_delegated();
	assert_rmi(fx_data_create_unknown(&o->r, o->rec_data, 1ULL << 20), RMI_SUCCESS, 0);
}

/* Nothing happened: entry still UNASSIGNED/ripas, data DELEGATED and zero, RIM as before. */
static void assert_untouched(const struct objs *o, uint64_t ipa, unsigned int ripas,
			     const uint8_t rim[64])
{
	fx_assert_entry(&o->r, ipa, RMI_UNASSIGNED, 0, ripas);
	assert_int_equal(fx_state(o->data), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(o->data));
	assert_memory_equal(fx_rd(&o->r)->measurement[0], rim, 64);
}

static void rim_save(const struct objs *o, uint8_t rim[64])
{
	memcpy(rim, fx_rd(&o->r)->measurement[0], 64);
}

/* s2.18 src_align, src_bound (MMIO, outside the PA range), src_pas (Realm, Secure). */
static void test_create_src(void **state)
{
	struct objs o;
	uint8_t rim[64];
	uint64_t bad[5];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	rim_save(&o, rim);
	bad[0] = o.src.v + 1;
	bad[1] = FX_PA_MMIO;
	bad[2] = FX_PA_OOR;
	bad[3] = fx_delegated().v;
	bad[4] = fx_pa_secure().v;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_rmi(fx_data_create(&o.r, o.data, 0, pa_of(bad[i]), 1), RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
	}
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_SUCCESS, 0);
}

/*
 * s2.18 / s2.19 data_align, data_bound, data_state (UNDELEGATED, RD, REC,
 * RTT, DATA). data_bound2 (a data PA >= 2^48 without LPA2) cannot be
 * produced here: realmkit's DRAM ends far below 2^48 and every PA >= 2^48
 * is outside the permitted PA range, i.e. data_bound (tested).
 */
static void test_create_data_arg(void **state)
{
	struct objs o;
	uint8_t rim[64];
	uint64_t bad[8];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	rim_save(&o, rim);
	bad[0] = o.data.v + 1;
	bad[1] = FX_PA_MMIO;
	bad[2] = FX_PA_OOR;
	bad[3] = o.ns.v;
	bad[4] = o.r.rd.v;
	bad[5] = o.rec.v;
	bad[6] = o.r.root.v;
	bad[7] = o.rec_data.v;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_rmi(fx_data_create(&o.r, pa_of(bad[i]), 0, o.src, 1), RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
		assert_rmi(fx_data_create_unknown(&o.r, pa_of(bad[i]), 0), RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
	}
	assert_int_equal(fx_state(o.rec), GRANULE_STATE_REC);
	assert_int_equal(fx_state(o.rec_data), GRANULE_STATE_DATA);
}

/* s2.18 / s2.19 / s2.20 rd_* (DELEGATED included) and realm_state_null. */
static void test_rd_arg(void **state)
{
	struct objs o;
	struct fx_realm dead;
	uint8_t rim[64];
	uint64_t bad[9];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	fx_realm_create(&dead, RMI_HASH_SHA_256);
	assert_rmi(fx_rmi(RMI_REALM_DESTROY, dead.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	rim_save(&o, rim);
	bad[0] = o.r.rd.v + 1;
	bad[1] = FX_PA_MMIO;
	bad[2] = FX_PA_OOR;
	bad[3] = o.ns.v;
	bad[4] = fx_delegated().v;
	bad[5] = o.rec.v;
	bad[6] = o.r.root.v;
	bad[7] = o.rec_data.v;
	bad[8] = dead.rd.v;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct smc_result d;

		assert_rmi(fx_rmi(RMI_DATA_CREATE, bad[i], o.data.v, 0, o.src.v, 1),
			   RMI_ERROR_INPUT, 0);
		assert_rmi(fx_rmi(RMI_DATA_CREATE_UNKNOWN, bad[i], o.data.v, 0, 0, 0),
			   RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
		d = smc_call(RMI_DATA_DESTROY, bad[i], 1ULL << 20, 0, 0, 0, 0);
		assert_rmi(d.x[0], RMI_ERROR_INPUT, 0);
		assert_int_equal(d.x[1], 0);
		assert_int_equal(d.x[2], 0); /* s2.20: X2 = 0 on E_INPUT */
		assert_int_equal(fx_state(o.rec_data), GRANULE_STATE_DATA);
	}
}

/* s2.18 / s2.19 / s2.20 ipa_align (ipa + 1), ipa_bound (unprotected; >= 2^S2SZ). */
static void test_ipa(void **state)
{
	static const uint64_t bad[] = { 1, PAGE(1) + 1, FX_IPA_UNPROT, FX_IPA_OOR, ~GRANULE_MASK };
	struct objs o;
	uint8_t rim[64];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_512);
	rim_save(&o, rim);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct smc_result d;

		assert_rmi(fx_data_create(&o.r, o.data, bad[i], o.src, 1), RMI_ERROR_INPUT, 0);
		assert_rmi(fx_data_create_unknown(&o.r, o.data, bad[i]), RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
		d = fx_data_destroy(&o.r, bad[i] == 1 ? (1ULL << 20) + 1 : bad[i]);
		assert_rmi(d.x[0], RMI_ERROR_INPUT, 0);
		assert_int_equal(d.x[1], 0);
		assert_int_equal(d.x[2], 0);
		assert_int_equal(fx_state(o.rec_data), GRANULE_STATE_DATA);
	}
}

/* s2.18 realm_state: ACTIVE, SYSTEM_OFF -> E_REALM; s2.19: DATA_CREATE_UNKNOWN is fine when ACTIVE. */
static void test_create_realm_state(void **state)
{
	struct objs o;
	uint8_t rim[64];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, o.r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	rim_save(&o, rim);
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_ERROR_REALM, 0);
	assert_untouched(&o, 0, RMI_RAM, rim);
	fx_force_realm_state(&o.r, RMI_REALM_STATE_SYSTEM_OFF); /* see the fixture */
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_ERROR_REALM, 0);
	assert_untouched(&o, 0, RMI_RAM, rim);
	fx_force_realm_state(&o.r, RMI_REALM_STATE_ACTIVE);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, 0), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, 0, RMI_ASSIGNED, o.data.v, RMI_RAM);
	/* s14.4: never measured, and the RIM is frozen after activation (s6.1). */
	assert_memory_equal(fx_rd(&o.r)->measurement[0], rim, 64);
}

/* s2.18 / s2.19 rtt_walk -> (E_RTT, walk level); rtte_state -> (E_RTT, 3). */
static void test_create_rtt(void **state)
{
	struct objs o;
	uint8_t rim[64];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	rim_save(&o, rim);
	/* No level-3 RTT at 2 MB: the walk stops at level 2. */
	assert_rmi(fx_data_create(&o.r, o.data, 2ULL << 20, o.src, 1), RMI_ERROR_RTT, 2);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, 2ULL << 20), RMI_ERROR_RTT, 2);
	/* No level-2 RTT at 1 GB: the walk stops at level 1. */
	assert_rmi(fx_data_create(&o.r, o.data, 1ULL << 30, o.src, 1), RMI_ERROR_RTT, 1);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, 1ULL << 30), RMI_ERROR_RTT, 1);
	assert_untouched(&o, 0, RMI_RAM, rim);
	/* The entry at 1 MB is ASSIGNED (EMPTY), at 0 ASSIGNED (RAM) after a create. */
	assert_rmi(fx_data_create(&o.r, o.data, 1ULL << 20, o.src, 1), RMI_ERROR_RTT, 3);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, 1ULL << 20), RMI_ERROR_RTT, 3);
	assert_untouched(&o, 0, RMI_RAM, rim);
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_SUCCESS, 0);
	o.data = fx_delegated();
	rim_save(&o, rim);
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_ERROR_RTT, 3);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, 0), RMI_ERROR_RTT, 3);
	assert_int_equal(fx_state(o.data), GRANULE_STATE_DELEGATED);
	assert_memory_equal(fx_rd(&o.r)->measurement[0], rim, 64);
}

/* TF-RMM additional rule (s2.18): flags other than 0 and 1 -> E_INPUT, checked first. */
static void test_create_flags(void **state)
{
	static const uint64_t bad[] = { 2, 3, 1ULL << 63, ~0ULL };
	struct objs o;
	uint8_t rim[64];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	rim_save(&o, rim);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, bad[i]), RMI_ERROR_INPUT, 0);
		assert_untouched(&o, 0, RMI_RAM, rim);
	}
	/* flags beat rtt_walk, rtte_state and (below) realm_state. */
	assert_rmi(fx_data_create(&o.r, o.data, 2ULL << 20, o.src, 2), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_data_create(&o.r, o.data, 1ULL << 20, o.src, 2), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, o.r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 2), RMI_ERROR_INPUT, 0);
}

/*
 * s2.18 / s2.19 priority rows: an unprotected ipa beats rtt_walk (no RTT
 * below the root there) and rtte_state (a level-3 RTT there whose entry is
 * ASSIGNED_NS, i.e. not UNASSIGNED) -> E_INPUT. s2.20: the same for
 * DATA_DESTROY, with X2 = 0.
 */
static void test_priority_unprotected(void **state)
{
	struct objs o;
	pa_t ns_page;
	struct smc_result d;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	/* Breaks ipa_bound and rtt_walk. */
	assert_rmi(fx_data_create(&o.r, o.data, FX_IPA_UNPROT, o.src, 1), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, FX_IPA_UNPROT), RMI_ERROR_INPUT, 0);
	d = fx_data_destroy(&o.r, FX_IPA_UNPROT);
	assert_rmi(d.x[0], RMI_ERROR_INPUT, 0);
	assert_int_equal(d.x[2], 0);
	/* Breaks ipa_bound and rtte_state. */
	fx_rtts(&o.r, FX_IPA_UNPROT, 3);
	ns_page = fx_ns();
	assert_rmi(fx_rmi(RMI_RTT_MAP_UNPROTECTED, o.r.rd.v, FX_IPA_UNPROT, 3, ns_page.v, 0),
		   RMI_SUCCESS, 0);
	assert_rmi(fx_data_create(&o.r, o.data, FX_IPA_UNPROT, o.src, 1), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, FX_IPA_UNPROT), RMI_ERROR_INPUT, 0);
	d = fx_data_destroy(&o.r, FX_IPA_UNPROT);
	assert_rmi(d.x[0], RMI_ERROR_INPUT, 0);
	assert_int_equal(d.x[2], 0);
	assert_int_equal(fx_state(o.data), GRANULE_STATE_DELEGATED);
}

/*
 * s2.18 reference order, pairs with different codes: src and data checks
 * (E_INPUT) beat realm_state (E_REALM); realm_state beats ipa_align,
 * ipa_bound (E_INPUT) and rtt_walk (E_RTT); ipa_align beats rtt_walk.
 */
static void test_create_priority(void **state)
{
	struct objs o;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	/* ipa_align + rtt_walk -> E_INPUT (NEW realm) */
	assert_rmi(fx_data_create(&o.r, o.data, (2ULL << 20) + 1, o.src, 1), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_data_create_unknown(&o.r, o.data, (2ULL << 20) + 1), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, o.r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	/* src_bound + realm_state -> E_INPUT */
	assert_rmi(fx_data_create(&o.r, o.data, 0, pa_of(FX_PA_MMIO), 1), RMI_ERROR_INPUT, 0);
	/* data_state + realm_state -> E_INPUT */
	assert_rmi(fx_data_create(&o.r, o.ns, 0, o.src, 1), RMI_ERROR_INPUT, 0);
	/* rd_state + realm_state -> E_INPUT */
	assert_rmi(fx_rmi(RMI_DATA_CREATE, o.rec.v, o.data.v, 0, o.src.v, 1), RMI_ERROR_INPUT, 0);
	/* realm_state + ipa_align / ipa_bound / rtt_walk / rtte_state -> E_REALM */
	assert_rmi(fx_data_create(&o.r, o.data, 1, o.src, 1), RMI_ERROR_REALM, 0);
	assert_rmi(fx_data_create(&o.r, o.data, FX_IPA_UNPROT, o.src, 1), RMI_ERROR_REALM, 0);
	assert_rmi(fx_data_create(&o.r, o.data, 2ULL << 20, o.src, 1), RMI_ERROR_REALM, 0);
	assert_rmi(fx_data_create(&o.r, o.data, 1ULL << 20, o.src, 1), RMI_ERROR_REALM, 0);
	assert_int_equal(fx_state(o.data), GRANULE_STATE_DELEGATED);
}

/*
 * s2.18 success: ASSIGNED, RAM, address == data (RTT_READ_ENTRY); contents
 * copied; RIM extended with the DATA descriptor (s14.4: with flags 0 the
 * IPA and flags are still measured); RTT refcount +1 (s16.3). TFTF: also
 * from UNASSIGNED/EMPTY and UNASSIGNED/DESTROYED. Negative observability.
 */
static void test_create_success(void **state)
{
	struct objs o;
	struct granule *g_l3;
	struct rd copy;
	unsigned int refs;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_512);
	g_l3 = find_granule(pa_of(fx_read_entry(&o.r, 0, 2).x[3]));
	for (unsigned int i = 0; i < 4; i++) {
		uint64_t ipa = PAGE(i), flags = i & 1;
		pa_t data = i ? fx_delegated() : o.data, src = fx_src_page(i + 7);

		/* Page 2 is made DESTROYED first: create_unknown + destroy of a RAM page. */
		if (i == 2) {
			pa_t tmp = fx_delegated();

			assert_rmi(fx_init_ripas(&o.r, ipa, ipa + PAGE(1), NULL), RMI_SUCCESS, 0);
			assert_rmi(fx_data_create_unknown(&o.r, tmp, ipa), RMI_SUCCESS, 0);
			assert_rmi(fx_data_destroy(&o.r, ipa).x[0], RMI_SUCCESS, 0);
			fx_assert_entry(&o.r, ipa, RMI_UNASSIGNED, 0, RMI_DESTROYED);
		}
		memcpy(&copy, fx_rd(&o.r), sizeof(copy));
		measurement_extend_data(&copy, ipa, flags, platform_ns_ptr(src));
		refs = granule_refcount_read(g_l3);
		assert_rmi(fx_data_create(&o.r, data, ipa, src, flags), RMI_SUCCESS, 0);
		fx_assert_entry(&o.r, ipa, RMI_ASSIGNED, data.v, RMI_RAM);
		assert_int_equal(fx_state(data), GRANULE_STATE_DATA);
		assert_memory_equal(platform_root_ptr(data), platform_ns_ptr(src), GRANULE_SIZE);
		assert_memory_equal(fx_rd(&o.r)->measurement[0], copy.measurement[0], 64);
		assert_int_equal(granule_refcount_read(g_l3), refs + 1);
		/* Negative observability: the same data again, and a new one. */
		assert_rmi(fx_data_create(&o.r, data, ipa, src, flags), RMI_ERROR_INPUT, 0);
		assert_rmi(fx_data_create(&o.r, fx_delegated(), ipa, src, flags), RMI_ERROR_RTT, 3);
	}
}

/*
 * s2.19 success: ASSIGNED with RIPAS unchanged (EMPTY, RAM, DESTROYED),
 * contents zero, never measured (s14.4), RTT refcount +1.
 */
static void test_unknown_success(void **state)
{
	static const unsigned int ripas[] = { RMI_EMPTY, RMI_RAM, RMI_DESTROYED };
	struct objs o;
	struct granule *g_l3;
	uint8_t rim[64];

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	g_l3 = find_granule(pa_of(fx_read_entry(&o.r, 0, 2).x[3]));
	/* page 8: EMPTY; page 0: RAM; page 9: DESTROYED (RAM, assigned, destroyed). */
	assert_rmi(fx_init_ripas(&o.r, PAGE(9), PAGE(10), NULL), RMI_SUCCESS, 0);
	assert_rmi(fx_data_create(&o.r, fx_delegated(), PAGE(9), o.src, 0), RMI_SUCCESS, 0);
	assert_rmi(fx_data_destroy(&o.r, PAGE(9)).x[0], RMI_SUCCESS, 0);
	rim_save(&o, rim);
	for (size_t i = 0; i < ARRAY_SIZE(ripas); i++) {
		uint64_t ipa = ripas[i] == RMI_EMPTY ? PAGE(8) : ripas[i] == RMI_RAM ? 0 : PAGE(9);
		pa_t data = fx_delegated();
		unsigned int refs = granule_refcount_read(g_l3);

		fx_assert_entry(&o.r, ipa, RMI_UNASSIGNED, 0, ripas[i]);
		assert_rmi(fx_data_create_unknown(&o.r, data, ipa), RMI_SUCCESS, 0);
		fx_assert_entry(&o.r, ipa, RMI_ASSIGNED, data.v, ripas[i]);
		assert_int_equal(fx_state(data), GRANULE_STATE_DATA);
		assert_true(fx_is_zero(data));
		assert_int_equal(granule_refcount_read(g_l3), refs + 1);
		assert_memory_equal(fx_rd(&o.r)->measurement[0], rim, 64);
		assert_rmi(fx_data_create_unknown(&o.r, fx_delegated(), ipa), RMI_ERROR_RTT, 3);
	}
}

/*
 * s2.20 rtt_walk: (E_RTT, walk level), X2 = top at the walk level (s11.7):
 * 1 GB for 2 MB (end of the level-2 RTT, no live entry after index 1),
 * 512 GB for 1 GB (end of the level-1 RTT). rtte_state: UNASSIGNED/RAM page
 * at IPA 0 and an ASSIGNED page at 4 KB; destroying IPA 0 -> (E_RTT, 3),
 * top = 4 KB. X1 = 0 on failure.
 */
static void test_destroy_rtt(void **state)
{
	struct objs o;
	struct smc_result d;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	d = fx_data_destroy(&o.r, 2ULL << 20);
	assert_rmi(d.x[0], RMI_ERROR_RTT, 2);
	assert_int_equal(d.x[1], 0);
	assert_int_equal(d.x[2], 1ULL << 30);
	d = fx_data_destroy(&o.r, 1ULL << 30);
	assert_rmi(d.x[0], RMI_ERROR_RTT, 1);
	assert_int_equal(d.x[2], 512ULL << 30);

	assert_rmi(fx_data_create(&o.r, o.data, PAGE(1), o.src, 1), RMI_SUCCESS, 0);
	d = fx_data_destroy(&o.r, 0);
	assert_rmi(d.x[0], RMI_ERROR_RTT, 3);
	assert_int_equal(d.x[1], 0);
	assert_int_equal(d.x[2], PAGE(1));
	fx_assert_entry(&o.r, 0, RMI_UNASSIGNED, 0, RMI_RAM);
	/* From page 2 the next live entry is the REC's DATA_CREATE_UNKNOWN page at 1 MB. */
	d = fx_data_destroy(&o.r, PAGE(2));
	assert_rmi(d.x[0], RMI_ERROR_RTT, 3);
	assert_int_equal(d.x[2], 1ULL << 20);
	/* After the last live entry: the end of the level-3 RTT. */
	d = fx_data_destroy(&o.r, (1ULL << 20) + PAGE(1));
	assert_rmi(d.x[0], RMI_ERROR_RTT, 3);
	assert_int_equal(d.x[2], 2ULL << 20);
}

static unsigned int tlbi_count;
static uint16_t tlbi_vmid;

static void count_tlbi(void *ctx, uint16_t vmid)
{
	(void)ctx;
	if (vmid == tlbi_vmid)
		tlbi_count++;
}

/*
 * s2.20 success: X1 = data PA; X2 = top (s11.7 example: destroying the page
 * at 4 KB with the next ASSIGNED page at 12 KB gives 12 KB); transitions
 * RAM -> DESTROYED, EMPTY -> EMPTY, DESTROYED -> DESTROYED (s11.1); the
 * data granule zeroed and DELEGATED; RTT refcount -1; a valid mapping
 * (RAM) is invalidated before the command returns (s9.4). Negative
 * observability: again -> (E_RTT, 3) with X2 = top.
 */
static void test_destroy_success(void **state)
{
	struct objs o;
	struct granule *g_l3;
	pa_t d1 = fx_delegated(), d3 = fx_delegated(), d4 = fx_delegated();
	struct smc_result d;
	unsigned int refs;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	g_l3 = find_granule(pa_of(fx_read_entry(&o.r, 0, 2).x[3]));
	tlbi_vmid = fx_rd(&o.r)->vmid;
	assert_int_equal(platform_register_tlbi(count_tlbi, NULL), 0);
	assert_rmi(fx_data_create(&o.r, d1, PAGE(1), o.src, 1), RMI_SUCCESS, 0); /* RAM */
	assert_rmi(fx_data_create_unknown(&o.r, d3, PAGE(3)), RMI_SUCCESS, 0);	 /* EMPTY */
	assert_rmi(fx_init_ripas(&o.r, PAGE(4), PAGE(5), NULL), RMI_SUCCESS, 0);
	assert_rmi(fx_data_create_unknown(&o.r, d4, PAGE(4)), RMI_SUCCESS, 0); /* RAM */
	refs = granule_refcount_read(g_l3);

	tlbi_count = 0;
	d = fx_data_destroy(&o.r, PAGE(1));
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], d1.v);
	assert_int_equal(d.x[2], PAGE(3));
	assert_true(tlbi_count >= 1);
	fx_assert_entry(&o.r, PAGE(1), RMI_UNASSIGNED, 0, RMI_DESTROYED);
	assert_int_equal(fx_state(d1), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(d1));
	assert_int_equal(granule_refcount_read(g_l3), refs - 1);
	d = fx_data_destroy(&o.r, PAGE(1));
	assert_rmi(d.x[0], RMI_ERROR_RTT, 3);
	assert_int_equal(d.x[1], 0);
	assert_int_equal(d.x[2], PAGE(3));

	d = fx_data_destroy(&o.r, PAGE(3));
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[1], d3.v);
	assert_int_equal(d.x[2], PAGE(4));
	fx_assert_entry(&o.r, PAGE(3), RMI_UNASSIGNED, 0, RMI_EMPTY);

	/* DESTROYED -> DESTROYED: re-assign the destroyed page 1, destroy again. */
	assert_rmi(fx_data_create_unknown(&o.r, d1, PAGE(1)), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, PAGE(1), RMI_ASSIGNED, d1.v, RMI_DESTROYED);
	d = fx_data_destroy(&o.r, PAGE(1));
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[2], PAGE(4));
	fx_assert_entry(&o.r, PAGE(1), RMI_UNASSIGNED, 0, RMI_DESTROYED);

	tlbi_count = 0;
	d = fx_data_destroy(&o.r, PAGE(4));
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	assert_int_equal(d.x[2], 1ULL << 20); /* next live: the page at 1 MB */
	assert_true(tlbi_count >= 1);
	assert_int_equal(granule_refcount_read(g_l3), refs - 3);
	assert_int_equal(platform_unregister_tlbi(count_tlbi, NULL), 0);
}

/* failure-conditions s5.2, NEW realm (TFTF host_realm_pas_validation_new), steps 1-8. */
static void test_flow_new_realm(void **state)
{
	struct objs o;
	pa_t d = fx_delegated();
	uint64_t a = PAGE(16), b = PAGE(17);

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	fx_assert_entry(&o.r, a, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* 1 */ assert_rmi(fx_data_create(&o.r, d, a, o.src, 1), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, a, RMI_ASSIGNED, d.v, RMI_RAM);
	/* 2 */ assert_rmi(fx_data_destroy(&o.r, a).x[0], RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, a, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	/* 3 */ assert_rmi(fx_data_create_unknown(&o.r, d, a), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, a, RMI_ASSIGNED, d.v, RMI_DESTROYED);
	/* 4 */ assert_rmi(fx_data_destroy(&o.r, a).x[0], RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, a, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	/* 5 */ fx_assert_entry(&o.r, b, RMI_UNASSIGNED, 0, RMI_EMPTY);
	assert_rmi(fx_data_create_unknown(&o.r, d, b), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, b, RMI_ASSIGNED, d.v, RMI_EMPTY);
	/* 6 */ assert_rmi(fx_data_destroy(&o.r, b).x[0], RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, b, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* 7 */ assert_rmi(fx_init_ripas(&o.r, b, b + PAGE(1), NULL), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, b, RMI_UNASSIGNED, 0, RMI_RAM);
	/* 8 */ assert_rmi(fx_data_create_unknown(&o.r, d, b), RMI_SUCCESS, 0);
	fx_assert_entry(&o.r, b, RMI_ASSIGNED, d.v, RMI_RAM);
}

/*
 * failure-conditions s2.4 observability (scrub check): DATA_CREATE from a
 * non-zero src, DATA_DESTROY, UNDELEGATE: the host's read of data differs
 * from src (realmkit: it reads zero).
 */
static void test_undelegate_scrub(void **state)
{
	struct objs o;
	const uint8_t *ns;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	assert_rmi(fx_data_create(&o.r, o.data, 0, o.src, 1), RMI_SUCCESS, 0);
	assert_memory_equal(platform_root_ptr(o.data), platform_ns_ptr(o.src), GRANULE_SIZE);
	assert_rmi(fx_data_destroy(&o.r, 0).x[0], RMI_SUCCESS, 0);
	assert_rmi(rmi_granule_undelegate(o.data), RMI_SUCCESS, 0);
	ns = platform_ns_ptr(o.data);
	assert_memory_not_equal(ns, platform_ns_ptr(o.src), GRANULE_SIZE);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		assert_int_equal(ns[i], 0);
}

struct churn {
	const struct fx_realm *r;
	pa_t data, src;
	uint64_t ipa;
	unsigned int iters, bad;
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;

	for (unsigned int i = 0; i < c->iters; i++) {
		struct smc_result d;
		uint64_t x0 = i & 1 ? fx_data_create_unknown(c->r, c->data, c->ipa)
				    : fx_data_create(c->r, c->data, c->ipa, c->src, i & 2 ? 1 : 0);

		d = fx_data_destroy(c->r, c->ipa);
		if (x0 || d.x[0] || d.x[1] != c->data.v)
			c->bad++;
	}
	return NULL;
}

/*
 * s16.2 locking: two hosts create and destroy DATA in the same level-3 RTT
 * concurrently (RD, root and leaf locked hand over hand; the RIM extended
 * under the RD lock); every call succeeds and the RTT's reference count
 * balances (s16.3).
 */
static void test_concurrent_churn(void **state)
{
	struct objs o;
	struct churn c[2];
	pthread_t th[2];
	struct granule *g_l3;
	unsigned int refs;

	(void)state;
	objs_make(&o, RMI_HASH_SHA_256);
	g_l3 = find_granule(pa_of(fx_read_entry(&o.r, 0, 2).x[3]));
	refs = granule_refcount_read(g_l3);
	for (int i = 0; i < 2; i++) {
		c[i] = (struct churn){ .r = &o.r,
				       .data = fx_delegated(),
				       .src = o.src,
				       .ipa = PAGE(100 + i),
				       .iters = 2000 };
		assert_int_equal(pthread_create(&th[i], NULL, churn_thread, &c[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(c[i].bad, 0);
		assert_int_equal(fx_state(c[i].data), GRANULE_STATE_DELEGATED);
		assert_true(fx_is_zero(c[i].data));
		fx_assert_entry(&o.r, c[i].ipa, RMI_UNASSIGNED, 0, RMI_DESTROYED);
	}
	assert_int_equal(granule_refcount_read(g_l3), refs);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_src),
		T(test_create_data_arg),
		T(test_rd_arg),
		T(test_ipa),
		T(test_create_realm_state),
		T(test_create_rtt),
		T(test_create_flags),
		T(test_priority_unprotected),
		T(test_create_priority),
		T(test_create_success),
		T(test_unknown_success),
		T(test_destroy_rtt),
		T(test_destroy_success),
		T(test_flow_new_realm),
		T(test_undelegate_scrub),
		T(test_concurrent_churn),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
