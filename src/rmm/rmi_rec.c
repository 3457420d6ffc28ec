/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REC_CREATE and RMI_REC_DESTROY (rmm-v1.0.md s4, s7.5, s8.2, s9.3,
 * s16; failure-conditions-v1.0.md s2.9, s2.10). See rec.h for the REC's
 * states, fields and locking.
 */
#include <string.h>

#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "measurement.h"
#include "realm.h"
#include "rec.h"
#include "rmm_priv.h"

/* Returns the first n claimed aux granules (REC_AUX) to DELEGATED, scrubbing if asked. */
static void aux_release(struct granule *const aux[], unsigned int n, bool scrub)
{
	/* s16.2: aux granules are locked in the order aux[0] .. aux[n-1]. */
	for (unsigned int i = 0; i < n; i++) {
		granule_lock(aux[i]);
		assert(granule_get_state(aux[i]) == GRANULE_STATE_REC_AUX);
		/* s9.1: every path back to DELEGATED leaves the granule zero. */
		if (scrub)
			granule_memzero(aux[i]);
		granule_unlock_transition(aux[i], GRANULE_STATE_DELEGATED);
	}
}

/*
 * failure-conditions s2.9 reference order: each aux[i] in turn must be
 * aligned, tracked and DELEGATED (aux_align, aux_state); it is claimed at
 * once (DELEGATED -> REC_AUX, unlocked again), so a repeated address finds
 * the granule already claimed (aux_alias). On failure the granules claimed
 * so far return to DELEGATED (they were never written: still zero).
 */
static bool aux_claim(const struct rmi_rec_params *p, unsigned int n, struct granule *aux[])
{
	for (unsigned int i = 0; i < n; i++) {
		struct granule *g = find_lock_granule(pa_of(p->aux[i]), GRANULE_STATE_DELEGATED);

		if (!g) {
			aux_release(aux, i, false);
			return false;
		}
		granule_unlock_transition(g, GRANULE_STATE_REC_AUX);
		aux[i] = g;
	}
	return true;
}

/*
 * failure-conditions s2.9, after rec and rd are locked: RD reference count
 * saturated -> E_REALM; realm not NEW -> E_REALM; mpidr invalid or its
 * index not the next REC index -> E_INPUT; num_aux != the aux count ->
 * E_INPUT.
 */
static enum rmi_status rec_create_check(struct granule *g_rd, const struct rd *rd,
					const struct rmi_rec_params *p)
{
	/* s16.3 / s5 MAX_RECS_ORDER: at most 2^10 - 1 RECs per realm. */
	if (granule_refcount_read(g_rd) == GRANULE_REFCOUNT_MAX)
		return RMI_ERROR_REALM;
	/* s9.2: REC_CREATE only while the realm is NEW. */
	if (realm_state(rd) != RMI_REALM_STATE_NEW)
		return RMI_ERROR_REALM;
	/* s7.5: RECs are created in index order 0, 1, 2, ... */
	if (!rmi_mpidr_is_valid(p->mpidr) || rmi_mpidr_to_rec_index(p->mpidr) != rd->rec_count)
		return RMI_ERROR_INPUT;
	/* s8.2: num_aux must equal RMI_REC_AUX_COUNT (fewer as well as more). */
	if (p->num_aux != REC_NUM_AUX)
		return RMI_ERROR_INPUT;
	return RMI_SUCCESS;
}

/*
 * Fills the new REC. Its granule and the aux granules are DELEGATED, hence
 * zero (s9.1), so only non-zero fields are written.
 */
static void rec_init(struct rec *rec, struct granule *g_rd, const struct rd *rd,
		     const struct rmi_rec_params *p, struct granule *const aux[])
{
	rec->rd_pa = granule_addr(g_rd).v;
	rec->rec_idx = rd->rec_count;
	rec->mpidr = p->mpidr;
	rec->num_aux = p->num_aux;
	for (unsigned int i = 0; i < REC_NUM_AUX; i++)
		rec->aux_pa[i] = granule_addr(aux[i]).v;
	s2tt_ctx_init(&rec->s2_ctx, rd);
	rec->algorithm = rd->algorithm;
	/* s8.2: flags bit 0 RUNNABLE. */
	rec->runnable = (p->flags & RMI_REC_PARAMS_FLAG_RUNNABLE) != 0;
	/* s4 REC_CREATE: X0..X7 and PC from params, X8..X30 zero. */
	memcpy(rec->gprs, p->gprs, sizeof(p->gprs));
	rec->pc = p->pc;
	/* s4: PSTATE EL1h, DAIF masked; SCTLR_EL1 at its MMU-off reset value. */
	rec->pstate = REC_PSTATE_INIT;
	rec->el1.sctlr_el1 = REC_SCTLR_EL1_INIT;
	/* s7.5: the realm's MPIDR_EL1. */
	rec->el1.vmpidr_el2 = rmi_mpidr_to_vmpidr(p->mpidr);
}

void smc_rec_create(const uint64_t args[6], struct smc_result *res)
{
	pa_t rd_pa = pa_of(args[0]), rec_pa = pa_of(args[1]);
	struct granule *aux[REC_NUM_AUX], *g_rec, *g_rd;
	struct rmi_rec_params params;
	enum rmi_status st;
	unsigned int num_aux;
	struct rd *rd;

	/*
	 * failure-conditions s2.9 reference order, and the NS lock is taken
	 * alone (rmm_priv.h): params (params_align, params_bound, params_pas).
	 */
	if (rmm_ns_read(pa_of(args[2]), &params, sizeof(params)) != 0) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* s8.2: more than 16 is rejected before anything else is looked at. */
	if (params.num_aux > REC_NUM_AUX) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	num_aux = (unsigned int)params.num_aux;
	if (!aux_claim(&params, num_aux, aux)) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* s16.2: rec and rd locked in ascending PA order (rec_*, rd_*). */
	if (!find_lock_two_granules(rec_pa, GRANULE_STATE_DELEGATED, &g_rec, rd_pa,
				    GRANULE_STATE_RD, &g_rd)) {
		st = RMI_ERROR_INPUT;
		goto out_release_aux;
	}
	rd = rd_of(g_rd);
	st = rec_create_check(g_rd, rd, &params);
	if (st != RMI_SUCCESS) {
		granule_unlock(g_rd);
		granule_unlock(g_rec);
		goto out_release_aux;
	}
	rec_init(rec_of(g_rec), g_rd, rd, &params, aux);
	/* s14.4: a REC descriptor only for a RUNNABLE REC. */
	if (rec_of(g_rec)->runnable)
		measurement_extend_rec(rd, &params);
	/* s16.3: the RD counts its RECs; atomic because REC_DESTROY does not lock the RD. */
	granule_refcount_inc(g_rd);
	rd->rec_count++;
	granule_unlock(g_rd);
	granule_unlock_transition(g_rec, GRANULE_STATE_REC);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	return;

out_release_aux:
	aux_release(aux, num_aux, false);
	res->x[0] = rmi_ret(st, 0);
}

/*
 * Priority (CBMC tb_rmi_rec_destroy): rec_align < rec_bound < rec_gran_state
 * (find_lock_granule, E_INPUT) < rec_state (running, E_REC).
 */
void smc_rec_destroy(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g_rec = find_lock_granule(pa_of(args[0]), GRANULE_STATE_REC);
	struct granule *aux[REC_NUM_AUX], *g_rd;
	unsigned int num_aux;
	struct rec *rec;

	if (!g_rec) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* s16.3: a running REC holds a reference; read with acquire semantics. */
	if (granule_refcount_read_acquire(g_rec) != 0) {
		granule_unlock(g_rec);
		res->x[0] = rmi_ret(RMI_ERROR_REC, 0);
		return;
	}
	rec = rec_of(g_rec);
	g_rd = find_granule(pa_of(rec->rd_pa));
	assert(g_rd != NULL);
	num_aux = (unsigned int)rec->num_aux;
	for (unsigned int i = 0; i < num_aux; i++)
		aux[i] = rec_aux_granule(rec, i);
	/* s4 REC_DESTROY: aux granules scrubbed and DELEGATED, then the REC itself. */
	aux_release(aux, num_aux, true);
	granule_memzero(g_rec);
	granule_unlock_transition(g_rec, GRANULE_STATE_DELEGATED);
	/*
	 * s16.3: drop the RD's reference atomically without its lock, with
	 * release semantics to pair with REALM_DESTROY's acquire. The REC count
	 * is not decremented: REC indices are never reused (s2.10).
	 */
	granule_refcount_dec_release(g_rd);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
}
