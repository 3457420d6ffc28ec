/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fixture of the realm and RTT command tests (test_rmi_realm.c,
 * test_rmi_rtt*.c, test_s2tt.c, test_rmi_stress.c): a fresh 64 MiB machine
 * per test, realms and RTTs built through the RMI exactly as a host does
 * (smc_call, structures in NS granules), and white-box views of granule
 * states and RTT entries for the post-conditions.
 *
 * Default realm (failure-conditions s1.3): IPA width 40, start level 0, one
 * root RTT, SHA-256.
 */
#ifndef REALMKIT_TEST_RTT_FIXTURE_H
#define REALMKIT_TEST_RTT_FIXTURE_H

#include "fixture_common.h"
#include "s2tt.h"

#define RT_GB (1ULL << 30)
#define RT_MB (1ULL << 20)
#define RT_KB (1ULL << 10)
/* A host descriptor (s8.6): Normal write-back (FWB MemAttr 0b110), S2AP RW. */
#define RT_NS_ATTRS ((0x6ULL << 2) | (0x3ULL << 6))

struct rt_realm {
	pa_t rd, root;
	unsigned int s2sz, roots;
	int sl;
	uint16_t vmid;
};

static inline int rt_setup(void **state)
{
	(void)state;
	/* A new machine: no realm survives (see realm_registry_reset). */
	realm_registry_reset();
	return fx_machine_up();
}

static inline uint64_t rt_x0(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	return smc_call(fid, a1, a2, a3, a4, 0, 0).x[0];
}

/* n consecutive delegated granules, the first aligned to `align`. */
static inline pa_t rt_delegated_contig(uint64_t n, uint64_t align)
{
	pa_t pa = host_pages_alloc_contig(n, align);

	assert_true(pa.v != 0);
	for (uint64_t i = 0; i < n; i++)
		assert_rmi(rmi_granule_delegate(pa_add(pa, i * GRANULE_SIZE)), RMI_SUCCESS, 0);
	return pa;
}

/* White box: the raw entries of an RTT granule (read while no command runs). */
static inline uint64_t *rt_table(pa_t rtt)
{
	return (uint64_t *)platform_root_ptr(rtt);
}

/* Default RmiRealmParams (failure-conditions s1.3) for the given geometry. */
static inline void rt_params(struct rmi_realm_params *p, unsigned int s2sz, int sl,
			     unsigned int roots, uint16_t vmid, pa_t rtt_base)
{
	memset(p, 0, sizeof(*p));
	p->s2sz = s2sz;
	p->num_bps = 1;
	p->num_wps = 1;
	p->algorithm = RMI_HASH_SHA_256;
	p->vmid = vmid;
	p->rtt_base = rtt_base.v;
	p->rtt_level_start = sl;
	p->rtt_num_start = roots;
}

/* REALM_CREATE(rd, params) with params copied to a fresh NS granule; returns X0. */
static inline uint64_t rt_realm_create_p(pa_t rd, const struct rmi_realm_params *p)
{
	pa_t params = fx_ns();
	uint64_t x0;

	memcpy(platform_ns_ptr(params), p, sizeof(*p));
	x0 = rt_x0(RMI_REALM_CREATE, rd.v, params.v, 0, 0);
	host_page_free(params);
	return x0;
}

/* Fills r (fresh delegated RD and roots) and creates the realm; returns X0. */
static inline uint64_t rt_realm_create_geo(struct rt_realm *r, unsigned int s2sz, int sl,
					   unsigned int roots, uint16_t vmid)
{
	struct rmi_realm_params p;

	r->rd = fx_delegated();
	r->root = rt_delegated_contig(roots, GRANULE_SIZE);
	r->s2sz = s2sz;
	r->sl = sl;
	r->roots = roots;
	r->vmid = vmid;
	rt_params(&p, s2sz, sl, roots, vmid, r->root);
	return rt_realm_create_p(r->rd, &p);
}

static inline void rt_realm_create(struct rt_realm *r, uint16_t vmid)
{
	assert_rmi(rt_realm_create_geo(r, FX_S2SZ, 0, 1, vmid), RMI_SUCCESS, 0);
}

/* Size of one entry at level. */
static inline uint64_t rt_size(int level)
{
	return 1ULL << (12 + 9 * (3 - level));
}

static inline uint64_t rt_rtt_create_at(const struct rt_realm *r, pa_t rtt, uint64_t ipa, int level)
{
	return rt_x0(RMI_RTT_CREATE, r->rd.v, rtt.v, ipa, (uint64_t)(int64_t)level);
}

/* RTT_CREATE with a fresh delegated granule at ipa aligned down for level; SUCCESS asserted. */
static inline pa_t rt_rtt(const struct rt_realm *r, uint64_t ipa, int level)
{
	pa_t rtt = fx_delegated();

	assert_rmi(rt_rtt_create_at(r, rtt, ipa & ~(rt_size(level - 1) - 1), level), RMI_SUCCESS,
		   0);
	return rtt;
}

/* RTTs from start level + 1 down to level over ipa; existing ones are kept. */
static inline void rt_rtts(const struct rt_realm *r, uint64_t ipa, int level)
{
	for (int l = r->sl + 1; l <= level; l++) {
		pa_t rtt = fx_delegated();
		uint64_t x0 = rt_rtt_create_at(r, rtt, ipa & ~(rt_size(l - 1) - 1), l);

		if (x0 != rmi_pack(RMI_SUCCESS, 0)) {
			/* s2.12 rtte_state: the parent entry is already TABLE. */
			assert_rmi(x0, RMI_ERROR_RTT, (unsigned int)(l - 1));
			assert_rmi(rmi_granule_undelegate(rtt), RMI_SUCCESS, 0);
			host_page_free(rtt);
		}
	}
}

static inline struct smc_result rt_read(const struct rt_realm *r, uint64_t ipa, int level)
{
	return smc_call(RMI_RTT_READ_ENTRY, r->rd.v, ipa, (uint64_t)(int64_t)level, 0, 0, 0);
}

/* RTT_READ_ENTRY succeeds with (walk level, state, desc, ripas). */
static inline void rt_assert_entry(const struct rt_realm *r, uint64_t ipa, int level,
				   int walk_level, unsigned int state, uint64_t desc,
				   unsigned int ripas)
{
	struct smc_result e = rt_read(r, ipa, level);

	assert_rmi(e.x[0], RMI_SUCCESS, 0);
	assert_int_equal(e.x[1], (uint64_t)(int64_t)walk_level);
	assert_int_equal(e.x[2], state);
	assert_int_equal(e.x[3], desc);
	assert_int_equal(e.x[4], ripas);
}

static inline struct smc_result rt_destroy(const struct rt_realm *r, uint64_t ipa, int level)
{
	return smc_call(RMI_RTT_DESTROY, r->rd.v, ipa, (uint64_t)(int64_t)level, 0, 0, 0);
}

static inline struct smc_result rt_fold(const struct rt_realm *r, uint64_t ipa, int level)
{
	return smc_call(RMI_RTT_FOLD, r->rd.v, ipa, (uint64_t)(int64_t)level, 0, 0, 0);
}

static inline uint64_t rt_map(const struct rt_realm *r, uint64_t ipa, int level, uint64_t desc)
{
	return rt_x0(RMI_RTT_MAP_UNPROTECTED, r->rd.v, ipa, (uint64_t)(int64_t)level, desc);
}

static inline struct smc_result rt_unmap(const struct rt_realm *r, uint64_t ipa, int level)
{
	return smc_call(RMI_RTT_UNMAP_UNPROTECTED, r->rd.v, ipa, (uint64_t)(int64_t)level, 0, 0, 0);
}

static inline struct smc_result rt_init_ripas(const struct rt_realm *r, uint64_t base, uint64_t top)
{
	return smc_call(RMI_RTT_INIT_RIPAS, r->rd.v, base, top, 0, 0, 0);
}

/* Returns an RTT granule given back by RTT_DESTROY/RTT_FOLD to the host. */
static inline void rt_reclaim(pa_t pa)
{
	assert_int_equal(fx_state(pa), GRANULE_STATE_DELEGATED);
	assert_true(fx_is_zero(pa));
	assert_rmi(rmi_granule_undelegate(pa), RMI_SUCCESS, 0);
	host_page_free(pa);
}

/*
 * Tears down the RTT at `level` covering ipa and everything below it through
 * the RMI (a host's teardown): unmaps NS mappings, destroys DATA pages,
 * destroys child RTTs, then the RTT itself.
 */
static inline void rt_destroy_subtree(const struct rt_realm *r, uint64_t ipa, int level)
{
	uint64_t size = rt_size(level);
	struct smc_result d;

	for (unsigned int i = 0; i < 512; i++) {
		uint64_t a = ipa + i * size;
		struct smc_result e = rt_read(r, a, level);

		assert_rmi(e.x[0], RMI_SUCCESS, 0);
		if (e.x[2] == RMI_TABLE) {
			rt_destroy_subtree(r, a, level + 1);
		} else if (e.x[2] == RMI_ASSIGNED && a >= (1ULL << (r->s2sz - 1))) {
			assert_rmi(rt_unmap(r, a, level).x[0], RMI_SUCCESS, 0);
		} else if (e.x[2] == RMI_ASSIGNED) {
			/* Only level-3 DATA here: tests unfold their blocks first. */
			assert_int_equal(level, 3);
			d = smc_call(RMI_DATA_DESTROY, r->rd.v, a, 0, 0, 0, 0);
			assert_rmi(d.x[0], RMI_SUCCESS, 0);
			rt_reclaim(pa_of(d.x[1]));
		}
	}
	d = rt_destroy(r, ipa, level);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	rt_reclaim(pa_of(d.x[1]));
}

/* Destroys every RTT of the realm, then the realm; reclaims RD and roots. */
static inline void rt_realm_teardown(const struct rt_realm *r)
{
	uint64_t size = rt_size(r->sl), ipa_end = 1ULL << r->s2sz;

	for (uint64_t a = 0; a < ipa_end; a += size) {
		struct smc_result e = rt_read(r, a, r->sl);

		assert_rmi(e.x[0], RMI_SUCCESS, 0);
		if (e.x[2] == RMI_TABLE)
			rt_destroy_subtree(r, a, r->sl + 1);
		else if (e.x[2] == RMI_ASSIGNED && a >= ipa_end / 2)
			assert_rmi(rt_unmap(r, a, r->sl).x[0], RMI_SUCCESS, 0);
	}
	assert_rmi(rt_x0(RMI_REALM_DESTROY, r->rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	rt_reclaim(r->rd);
	for (unsigned int i = 0; i < r->roots; i++)
		rt_reclaim(pa_add(r->root, i * GRANULE_SIZE));
}

/* Fails the test with the row label when X0 is not (status, index). */
#define rt_expect(x0, status, index, label)                                        \
	do {                                                                       \
		uint64_t rt_x0_ = (x0);                                            \
		if (rt_x0_ != rmi_pack((status), (index)))                         \
			fail_msg("%s: X0 = %#llx, expected %#llx", (label),        \
				 (unsigned long long)rt_x0_,                       \
				 (unsigned long long)rmi_pack((status), (index))); \
	} while (0)

/* A REC of realm r (index = its REC count, 16 fresh aux granules); returns its PA. */
static inline pa_t rt_rec(const struct rt_realm *r, pa_t *aux0)
{
	pa_t rec = fx_delegated(), params = fx_ns();
	struct rmi_rec_params *p = platform_ns_ptr(params);

	memset(p, 0, sizeof(*p));
	p->flags = RMI_REC_PARAMS_FLAG_RUNNABLE;
	p->mpidr = rmi_rec_index_to_mpidr(rd_of(find_granule(r->rd))->rec_count);
	p->num_aux = RMI_MAX_REC_AUX_GRANULES;
	for (unsigned int i = 0; i < RMI_MAX_REC_AUX_GRANULES; i++)
		p->aux[i] = fx_delegated().v;
	if (aux0)
		*aux0 = pa_of(p->aux[0]);
	assert_rmi(rt_x0(RMI_REC_CREATE, r->rd.v, rec.v, params.v, 0), RMI_SUCCESS, 0);
	host_page_free(params);
	return rec;
}

/* A DATA granule of realm r at ipa (RTTs created as needed), via DATA_CREATE_UNKNOWN. */
static inline pa_t rt_data(const struct rt_realm *r, uint64_t ipa)
{
	pa_t data = fx_delegated();

	rt_rtts(r, ipa, 3);
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, r->rd.v, data.v, ipa, 0), RMI_SUCCESS, 0);
	return data;
}

/*
 * failure-conditions s1.2/s1.3: the canonical invalid granule addresses
 * (*_bound: MMIO and outside the PA range) and one granule really created
 * in each state (*_state), owned by a separate realm so the realm under
 * test is not disturbed. *_align is valid + 1 and is built by each test.
 */
#define RT_BAD_MAX 9
struct rt_bad_set {
	struct rt_realm other;
	pa_t rec;
	size_t n;
	struct {
		const char *label;
		uint64_t pa;
		int state; /* enum granule_state, or -1 for the *_bound rows */
	} row[RT_BAD_MAX];
};

static inline void rt_bad_add(struct rt_bad_set *b, const char *label, uint64_t pa, int st)
{
	assert_true(b->n < RT_BAD_MAX);
	b->row[b->n].label = label;
	b->row[b->n].pa = pa;
	b->row[b->n].state = st;
	b->n++;
}

static inline void rt_bad_init(struct rt_bad_set *b)
{
	pa_t aux0;

	b->n = 0;
	rt_realm_create(&b->other, 0xBAD);
	b->rec = rt_rec(&b->other, &aux0);
	rt_bad_add(b, "bound: MMIO", FX_PA_MMIO, -1);
	rt_bad_add(b, "bound: outside the PA range", FX_PA_OOR, -1);
	rt_bad_add(b, "state: UNDELEGATED", fx_ns().v, GRANULE_STATE_NS);
	rt_bad_add(b, "state: DELEGATED", fx_delegated().v, GRANULE_STATE_DELEGATED);
	rt_bad_add(b, "state: RD", b->other.rd.v, GRANULE_STATE_RD);
	rt_bad_add(b, "state: REC", b->rec.v, GRANULE_STATE_REC);
	rt_bad_add(b, "state: REC_AUX", aux0.v, GRANULE_STATE_REC_AUX);
	rt_bad_add(b, "state: RTT", b->other.root.v, GRANULE_STATE_RTT);
	rt_bad_add(b, "state: DATA", rt_data(&b->other, 0).v, GRANULE_STATE_DATA);
}

static inline void rt_bad_fini(struct rt_bad_set *b)
{
	assert_rmi(rt_x0(RMI_REC_DESTROY, b->rec.v, 0, 0, 0), RMI_SUCCESS, 0);
	rt_realm_teardown(&b->other);
}

/* TLB maintenance observed through the platform's callback registry. */
struct rt_tlbi_log {
	_Atomic unsigned int count;
	_Atomic unsigned int last_vmid;
};

static inline void rt_tlbi_cb(void *ctx, uint16_t vmid)
{
	struct rt_tlbi_log *log = ctx;

	atomic_fetch_add(&log->count, 1);
	atomic_store(&log->last_vmid, vmid);
}

#endif /* REALMKIT_TEST_RTT_FIXTURE_H */
