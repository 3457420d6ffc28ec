/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REALM_CREATE, RMI_REALM_ACTIVATE, RMI_REALM_DESTROY and
 * RMI_REC_AUX_COUNT (rmm-v1.0.md s4, s8.1, s9.2, s10;
 * failure-conditions-v1.0.md s2.5-s2.8), and the registry of live realms.
 */
#include <pthread.h>
#include <string.h>

#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "measurement.h"
#include "platform_root.h"
#include "realm.h"
#include "rmm_priv.h"
#include "s2tt.h"
#include "vmid.h"

/* ---- Registry of live realms ---- */

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t registry[RMM_VMID_COUNT]; /* RD PA per VMID, 0 = none */

void realm_registry_add(uint16_t vmid, pa_t rd)
{
	pthread_mutex_lock(&registry_lock);
	assert(registry[vmid] == 0);
	registry[vmid] = rd.v;
	pthread_mutex_unlock(&registry_lock);
}

void realm_registry_remove(uint16_t vmid)
{
	pthread_mutex_lock(&registry_lock);
	assert(registry[vmid] != 0);
	registry[vmid] = 0;
	pthread_mutex_unlock(&registry_lock);
}

size_t realm_registry_snapshot(pa_t *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&registry_lock);
	for (size_t v = 0; v < RMM_VMID_COUNT; v++) {
		if (!registry[v])
			continue;
		if (n < max)
			out[n] = pa_of(registry[v]);
		n++;
	}
	pthread_mutex_unlock(&registry_lock);
	return n;
}

/* realm.h: changes at every RMM boot (for the REC run loop's CPU engines). */
static _Atomic uint64_t boot_epoch;

uint64_t rmm_boot_epoch(void)
{
	return atomic_load(&boot_epoch);
}

void realm_registry_reset(void)
{
	pthread_mutex_lock(&registry_lock);
	memset(registry, 0, sizeof(registry));
	pthread_mutex_unlock(&registry_lock);
	vmid_reset();
	atomic_fetch_add(&boot_epoch, 1);
}

/* ---- RMI_REALM_CREATE ---- */

static uint64_t feat0(unsigned int shift, unsigned int width)
{
	return rmi_field_get(rmm_feature_register0(), shift, width);
}

#define FEAT0(name) \
	feat0(RMI_FEATURE_REGISTER_0_##name##_SHIFT, RMI_FEATURE_REGISTER_0_##name##_WIDTH)

/*
 * rmm-v1.0.md s8.1 / failure-conditions s2.5 params_supp, in TF-RMM's order
 * (runtime/rmi/realm.c validate_realm_params): LPA2, s2sz, bps, wps, SVE,
 * PMU.
 *
 * num_bps/num_wps: TF-RMM compares the raw parameter with the raw feature
 * field, `num_bps == 0 || num_bps > FEAT.NUM_BPS` ("The values 0 are
 * reserved"), where the feature field holds number - 1 (the
 * ID_AA64DFR0_EL1.BRPs encoding, rmm-v1.0.md s5). So the accepted range is
 * 1 .. field, which reads as "the parameter uses the same number - 1
 * encoding, and 0 (one breakpoint) is reserved". realmkit reports 6
 * breakpoints (field 5) and 4 watchpoints (field 3): num_bps 1..5 and
 * num_wps 1..3 are accepted.
 */
static bool params_supported(const struct rmi_realm_params *p)
{
	if ((p->flags & RMI_REALM_FLAGS_LPA2) && !FEAT0(LPA2))
		return false;
	if (p->s2sz < 32 || p->s2sz > FEAT0(S2SZ))
		return false;
	if (p->num_bps == 0 || p->num_bps > FEAT0(NUM_BPS))
		return false;
	if (p->num_wps == 0 || p->num_wps > FEAT0(NUM_WPS))
		return false;
	if (p->flags & RMI_REALM_FLAGS_SVE) {
		if (!FEAT0(SVE_EN) || p->sve_vl > FEAT0(SVE_VL))
			return false;
	}
	/*
	 * TF-RMM skips the PMU_EN check because its platforms always have
	 * PMUv3; realmkit reports PMU_EN = 0, so the flag is unsupported
	 * (failure-conditions s2.5: "PMU flag set when PMU unsupported").
	 * Without FEAT_HPMN0, pmu_num_ctrs == 0 is invalid with the flag.
	 */
	if (p->flags & RMI_REALM_FLAGS_PMU) {
		if (!FEAT0(PMU_EN) || p->pmu_num_ctrs > FEAT0(PMU_NUM_CTRS) || p->pmu_num_ctrs == 0)
			return false;
	}
	return true;
}

/* s10: start level and root count consistent with s2sz; then the algorithm. */
static bool params_geometry_valid(const struct rmi_realm_params *p)
{
	bool lpa2 = (p->flags & RMI_REALM_FLAGS_LPA2) != 0;
	unsigned int roots;

	if (p->rtt_level_start < -1 || p->rtt_level_start > S2TT_PAGE_LEVEL)
		return false;
	roots = s2tt_num_root_rtts(p->s2sz, (int)p->rtt_level_start, lpa2);
	if (roots == 0 || roots != p->rtt_num_start)
		return false;
	if (p->algorithm == RMI_HASH_SHA_256)
		return FEAT0(HASH_SHA_256) != 0;
	if (p->algorithm == RMI_HASH_SHA_512)
		return FEAT0(HASH_SHA_512) != 0;
	return false;
}

/* failure-conditions s2.5 "alias": rd inside [rtt_base, rtt_base + n * 4 KB). */
static bool rd_aliases_roots(uint64_t rd, const struct rmi_realm_params *p)
{
	return rd >= p->rtt_base && rd - p->rtt_base < (uint64_t)p->rtt_num_start * GRANULE_SIZE;
}

static void unlock_roots(struct granule *g_root, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		granule_unlock(g_root + i);
}

/*
 * rmm-v1.0.md s16.2: the RD and the root RTTs are external granules,
 * locked in ascending address order, each DELEGATED. The roots are
 * consecutive granules, so their descriptors are consecutive too.
 */
static bool lock_rd_and_roots(uint64_t rd, const struct rmi_realm_params *p, struct granule **g_rd,
			      struct granule **g_root)
{
	unsigned int n = p->rtt_num_start, i;
	struct granule *rdg = NULL, *first = NULL;

	if (rd < p->rtt_base) {
		rdg = find_lock_granule(pa_of(rd), GRANULE_STATE_DELEGATED);
		if (!rdg)
			return false;
	}
	for (i = 0; i < n; i++) {
		struct granule *g = find_lock_granule(pa_of(p->rtt_base + i * GRANULE_SIZE),
						      GRANULE_STATE_DELEGATED);

		if (!g)
			goto out_unlock;
		if (i == 0)
			first = g;
		assert(g == first + i);
	}
	if (!rdg) {
		rdg = find_lock_granule(pa_of(rd), GRANULE_STATE_DELEGATED);
		if (!rdg)
			goto out_unlock;
	}
	*g_rd = rdg;
	*g_root = first;
	return true;

out_unlock:
	unlock_roots(first, i);
	if (rdg)
		granule_unlock(rdg);
	return false;
}

static void rd_init(struct rd *rd, const struct rmi_realm_params *p)
{
	realm_set_state(rd, RMI_REALM_STATE_NEW);
	rd->rec_count = 0;
	rd->flags = p->flags;
	rd->s2sz = p->s2sz;
	rd->start_level = (int32_t)p->rtt_level_start;
	rd->num_root_rtts = p->rtt_num_start;
	rd->vmid = p->vmid;
	rd->algorithm = p->algorithm;
	rd->lpa2 = (p->flags & RMI_REALM_FLAGS_LPA2) != 0;
	rd->rtt_base = p->rtt_base;
	rd->sve_vl = (p->flags & RMI_REALM_FLAGS_SVE) ? p->sve_vl : 0;
	rd->num_bps = p->num_bps;
	rd->num_wps = p->num_wps;
	rd->pmu_num_ctrs = (p->flags & RMI_REALM_FLAGS_PMU) ? p->pmu_num_ctrs : 0;
	memcpy(rd->rpv, p->rpv, sizeof(rd->rpv));
	realm_exec_lock_init(&rd->exec_lock);
	/* s14.2: RIM from the measured params fields; REMs zero. */
	measurement_rim_init(rd, p);
}

/*
 * Reference order (failure-conditions s2.5): params granule -> params
 * validity (ending with the VMID reservation) -> alias of rd with the roots
 * -> lock RD and roots, each DELEGATED. Failures after the reservation
 * release the VMID.
 */
void smc_realm_create(const uint64_t args[6], struct smc_result *res)
{
	struct rmi_realm_params p;
	struct granule *g_rd, *g_root;
	struct s2tt_ctx ctx;
	struct rd *rd;

	/* params_align / params_bound / params_pas: the read faults. */
	if (rmm_ns_read(pa_of(args[1]), &p, sizeof(p)) != 0)
		goto err_input;
	if (!params_supported(&p) || !params_geometry_valid(&p))
		goto err_input;
	/* vmid_valid: every 16-bit VMID is valid; it must not be in use. */
	if (!vmid_reserve(p.vmid))
		goto err_input;
	if (rd_aliases_roots(args[0], &p) || !lock_rd_and_roots(args[0], &p, &g_rd, &g_root))
		goto err_free_vmid;

	rd = rd_of(g_rd);
	rd_init(rd, &p);
	s2tt_ctx_init(&ctx, rd);
	s2tt_init_root_tables(&ctx);
	realm_registry_add(p.vmid, granule_addr(g_rd));
	for (unsigned int i = 0; i < p.rtt_num_start; i++)
		granule_unlock_transition(g_root + i, GRANULE_STATE_RTT);
	granule_unlock_transition(g_rd, GRANULE_STATE_RD);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	return;

err_free_vmid:
	vmid_free(p.vmid);
err_input:
	res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
}

/* ---- RMI_REALM_ACTIVATE, RMI_REC_AUX_COUNT ---- */

/* failure-conditions s2.6 (CBMC order): rd_align < rd_bound < rd_state < realm_state. */
void smc_realm_activate(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);
	struct rd *rd;

	if (!g_rd) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	rd = rd_of(g_rd);
	if (realm_state(rd) == RMI_REALM_STATE_NEW) {
		realm_set_state(rd, RMI_REALM_STATE_ACTIVE);
		res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	} else {
		res->x[0] = rmi_ret(RMI_ERROR_REALM, 0);
	}
	granule_unlock(g_rd);
}

/* failure-conditions s2.8: rd_* only; X1 = 16 (MAX_REC_AUX_GRANULES) for every realm. */
void smc_rec_aux_count(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);

	if (!g_rd) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	granule_unlock(g_rd);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	res->x[1] = RMI_MAX_REC_AUX_GRANULES;
}

/* ---- RMI_REALM_DESTROY ---- */

/*
 * Reference order (failure-conditions s2.7): RD check -> RD reference count
 * (RECs) -> total reference count of the roots -> E_REALM. The roots stay
 * locked (RD -> RTT order, ascending) from the check to their release, so
 * no table can appear in between.
 */
void smc_realm_destroy(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);
	struct granule *g_root;
	unsigned int n, refs = 0;
	struct rd *rd;
	uint16_t vmid;

	if (!g_rd) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* realm_live: the RD's reference count is the number of RECs (s16.3). */
	if (granule_refcount_read_acquire(g_rd) != 0) {
		granule_unlock(g_rd);
		res->x[0] = rmi_ret(RMI_ERROR_REALM, 0);
		return;
	}
	rd = rd_of(g_rd);
	n = rd->num_root_rtts;
	vmid = rd->vmid;
	g_root = find_granule(pa_of(rd->rtt_base));
	assert(g_root);
	for (unsigned int i = 0; i < n; i++) {
		granule_lock(g_root + i);
		assert(granule_get_state(g_root + i) == GRANULE_STATE_RTT);
		refs += granule_refcount_read(g_root + i);
	}
	if (refs != 0) {
		unlock_roots(g_root, n);
		granule_unlock(g_rd);
		res->x[0] = rmi_ret(RMI_ERROR_REALM, 0);
		return;
	}
	/*
	 * ASSIGNED_NS entries hold no reference (s11.8), so root-level NS
	 * blocks may still be mapped: drop every cached translation of the
	 * VMID before another realm can reuse it.
	 */
	platform_tlbi_vmid(vmid);
	realm_registry_remove(vmid);
	vmid_free(vmid);
	for (unsigned int i = 0; i < n; i++) {
		granule_memzero(g_root + i);
		granule_unlock_transition(g_root + i, GRANULE_STATE_DELEGATED);
	}
	realm_exec_lock_fini(&rd->exec_lock);
	/* Zeroing the RD also destroys the measurements. */
	granule_memzero(g_rd);
	granule_unlock_transition(g_rd, GRANULE_STATE_DELEGATED);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
}
