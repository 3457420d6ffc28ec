/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared fixture of the REC, DATA and RIM cross-check tests: a fresh
 * platform per test, realms built through the RMI exactly as a host does
 * (smc_call with structures in NS granules), and white-box views of the RD,
 * the REC and granule states for the post-conditions.
 *
 * Default realm (failure-conditions s1.3): IPA width 40, start level 0, one
 * root RTT, SHA-256, NEW. fx_rtts() builds the level-1, -2 and -3 RTTs over
 * an IPA.
 */
#ifndef REALMKIT_TEST_REC_DATA_FIXTURE_H
#define REALMKIT_TEST_REC_DATA_FIXTURE_H

#include "fixture_common.h"

struct fx_realm {
	pa_t rd, root;
	unsigned int alg;
};

static inline int fx_setup(void **state)
{
	(void)state;
	return fx_machine_up();
}

static inline uint64_t fx_rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5)
{
	return smc_call(fid, a1, a2, a3, a4, a5, 0).x[0];
}

/* White box: the RD of a realm (read while no command runs). */
static inline struct rd *fx_rd(const struct fx_realm *r)
{
	return rd_of(find_granule(r->rd));
}

/* REALM_CREATE with the default parameters and the given hash; returns X0. */
static inline uint64_t fx_realm_create_x0(struct fx_realm *r, unsigned int alg)
{
	static uint16_t next_vmid = 1;
	pa_t params = fx_ns();
	struct rmi_realm_params *p = platform_ns_ptr(params);
	uint64_t x0;

	r->rd = fx_delegated();
	r->root = fx_delegated();
	r->alg = alg;
	memset(p, 0, sizeof(*p));
	p->s2sz = FX_S2SZ;
	p->num_bps = 2;
	p->num_wps = 2;
	p->algorithm = (uint8_t)alg;
	p->vmid = next_vmid;
	next_vmid = (uint16_t)(next_vmid % 250 + 1);
	p->rtt_base = r->root.v;
	p->rtt_level_start = 0;
	p->rtt_num_start = 1;
	x0 = fx_rmi(RMI_REALM_CREATE, r->rd.v, params.v, 0, 0, 0);
	host_page_free(params);
	return x0;
}

static inline void fx_realm_create(struct fx_realm *r, unsigned int alg)
{
	assert_rmi(fx_realm_create_x0(r, alg), RMI_SUCCESS, 0);
}

/* RTT_CREATE of a new RTT at `level` covering ipa; returns X0. */
static inline uint64_t fx_rtt_create(const struct fx_realm *r, uint64_t ipa, int level)
{
	uint64_t mask = (1ULL << (12 + 9 * (4 - level))) - 1; /* level - 1 entry size */
	pa_t rtt = fx_delegated();
	uint64_t x0 = fx_rmi(RMI_RTT_CREATE, r->rd.v, rtt.v, ipa & ~mask, (uint64_t)level, 0);

	if (x0 != rmi_pack(RMI_SUCCESS, 0)) {
		assert_rmi(rmi_granule_undelegate(rtt), RMI_SUCCESS, 0);
		host_page_free(rtt);
	}
	return x0;
}

/* RTTs down to `level` over ipa (existing ones are kept). */
static inline void fx_rtts(const struct fx_realm *r, uint64_t ipa, int level)
{
	for (int l = 1; l <= level; l++) {
		uint64_t x0 = fx_rtt_create(r, ipa, l);

		/* (E_RTT, l - 1): the parent entry is already TABLE (s2.12 rtte_state). */
		if (x0 != rmi_pack(RMI_SUCCESS, 0))
			assert_rmi(x0, RMI_ERROR_RTT, (unsigned int)(l - 1));
	}
}

static inline struct smc_result fx_read_entry(const struct fx_realm *r, uint64_t ipa, int level)
{
	return smc_call(RMI_RTT_READ_ENTRY, r->rd.v, ipa, (uint64_t)level, 0, 0, 0);
}

/* RTT_READ_ENTRY at level 3 is SUCCESS and gives (state, desc, ripas). */
static inline void fx_assert_entry(const struct fx_realm *r, uint64_t ipa, unsigned int state,
				   uint64_t desc, unsigned int ripas)
{
	struct smc_result e = fx_read_entry(r, ipa, 3);

	assert_rmi(e.x[0], RMI_SUCCESS, 0);
	assert_int_equal(e.x[1], 3);
	assert_int_equal(e.x[2], state);
	assert_int_equal(e.x[3], desc);
	assert_int_equal(e.x[4], ripas);
}

/* RTT_INIT_RIPAS over [base, top) inside one level-3 RTT; returns X0, *top_out = X1. */
static inline uint64_t fx_init_ripas(const struct fx_realm *r, uint64_t base, uint64_t top,
				     uint64_t *top_out)
{
	struct smc_result res = smc_call(RMI_RTT_INIT_RIPAS, r->rd.v, base, top, 0, 0, 0);

	if (top_out)
		*top_out = res.x[1];
	return res.x[0];
}

/* An NS page filled with a pattern derived from seed. */
static inline pa_t fx_src_page(unsigned int seed)
{
	pa_t pa = fx_ns();
	uint8_t *p = platform_ns_ptr(pa);

	for (size_t i = 0; i < GRANULE_SIZE; i++)
		p[i] = (uint8_t)(i * 13 + seed * 101 + 1);
	return pa;
}

static inline uint64_t fx_data_create(const struct fx_realm *r, pa_t data, uint64_t ipa, pa_t src,
				      uint64_t flags)
{
	return fx_rmi(RMI_DATA_CREATE, r->rd.v, data.v, ipa, src.v, flags);
}

static inline uint64_t fx_data_create_unknown(const struct fx_realm *r, pa_t data, uint64_t ipa)
{
	return fx_rmi(RMI_DATA_CREATE_UNKNOWN, r->rd.v, data.v, ipa, 0, 0);
}

static inline struct smc_result fx_data_destroy(const struct fx_realm *r, uint64_t ipa)
{
	return smc_call(RMI_DATA_DESTROY, r->rd.v, ipa, 0, 0, 0, 0);
}

/* RmiRecParams in a new NS granule with num_aux fresh DELEGATED aux granules. */
static inline pa_t fx_rec_params(uint64_t flags, uint64_t mpidr, uint64_t num_aux)
{
	pa_t pa = fx_ns();
	struct rmi_rec_params *p = platform_ns_ptr(pa);

	p->flags = flags;
	p->mpidr = mpidr;
	p->pc = 0x80000000ULL + mpidr * 0x100;
	for (unsigned int i = 0; i < RMI_REC_CREATE_NR_GPRS; i++)
		p->gprs[i] = 0x0101010101010101ULL * (i + 1) + mpidr;
	p->num_aux = num_aux;
	for (unsigned int i = 0; i < num_aux && i < RMI_MAX_REC_AUX_GRANULES; i++)
		p->aux[i] = fx_delegated().v;
	return pa;
}

static inline struct rmi_rec_params *fx_params_of(pa_t params)
{
	return platform_ns_ptr(params);
}

static inline uint64_t fx_rec_create(const struct fx_realm *r, pa_t rec, pa_t params)
{
	return fx_rmi(RMI_REC_CREATE, r->rd.v, rec.v, params.v, 0, 0);
}

/* A REC with index = the realm's REC count; returns its PA. */
static inline pa_t fx_new_rec(const struct fx_realm *r, uint64_t flags)
{
	pa_t rec = fx_delegated();
	pa_t params = fx_rec_params(flags, rmi_rec_index_to_mpidr(fx_rd(r)->rec_count), 16);

	assert_rmi(fx_rec_create(r, rec, params), RMI_SUCCESS, 0);
	return rec;
}

/*
 * White box, for states no RMI sequence of this issue can reach: the realm
 * state SYSTEM_OFF needs PSCI SYSTEM_OFF from a running REC (REC_ENTER is a
 * later issue). Set under the RD lock, through realm.h's one write helper.
 */
static inline void fx_force_realm_state(const struct fx_realm *r, uint64_t s)
{
	struct granule *g = find_granule(r->rd);

	granule_lock(g);
	realm_set_state(rd_of(g), s);
	granule_unlock(g);
}

#endif /* REALMKIT_TEST_REC_DATA_FIXTURE_H */
