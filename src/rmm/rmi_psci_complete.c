/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_PSCI_COMPLETE(calling_rec, target_rec, status): the host completes a
 * CPU_ON or AFFINITY_INFO a REC left pending (rmm-v1.0.md s7.4;
 * failure-conditions s2.23, s5.4). The realm side is psci.c.
 *
 * Both RECs are external granules, locked in ascending PA order (s16.2).
 * Neither REC may be touched while it runs: the calling REC is refused if
 * running (step 3); the target is only read as "running" (its reference
 * count, with acquire semantics, pairing with REC_ENTER's store-release,
 * s16.3) and written only when it is neither running nor runnable, i.e.
 * when no REC_ENTER can be using it (REC_ENTER refuses a REC that is not
 * runnable, under the REC lock we hold).
 */
#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "rec.h"
#include "rmm_priv.h"

/* SCTLR_EL1.EE (bit 25): endianness of EL1 data accesses. */
#define SCTLR_EL1_EE (1ULL << 25)

/* X0..X3 of the calling REC carry the PSCI result (s7.4 step 9). */
#define PSCI_RESULT_REGS 4u

static bool psci_fid_is_cpu_on(uint64_t fid)
{
	return fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64;
}

/* s7.4 step 8 / s16.3: running (reference count, acquire) or runnable. */
static bool rec_is_on(struct granule *g_rec, const struct rec *rec)
{
	return granule_refcount_read_acquire(g_rec) != 0 || rec->runnable;
}

/*
 * s7.4 step 8, CPU_ON with status SUCCESS on a target that is off: the
 * target starts at the entry point with X0 = context ID (other GPRs keep
 * their values), PSTATE = EL1h with D, A, I, F masked, SCTLR_EL1 at its
 * reset value (MMU and caches off) with EE copied from the caller, and
 * becomes runnable.
 */
static void psci_reset_target(struct rec *target, const struct rec *caller)
{
	target->pc = caller->gprs[2];
	target->gprs[0] = caller->gprs[3];
	target->pstate = REC_PSTATE_INIT;
	target->el1.sctlr_el1 = REC_SCTLR_EL1_INIT | (caller->el1.sctlr_el1 & SCTLR_EL1_EE);
	target->runnable = true;
}

/*
 * s7.4 step 7 / 7': CPU_ON may be answered with SUCCESS or DENIED,
 * AFFINITY_INFO only with SUCCESS.
 */
static bool psci_status_allowed(uint64_t fid, uint64_t status)
{
	if (psci_fid_is_cpu_on(fid))
		return status == (uint64_t)PSCI_RET_SUCCESS || status == (uint64_t)PSCI_RET_DENIED;
	return status == (uint64_t)PSCI_RET_SUCCESS;
}

/*
 * s7.4 step 8 for CPU_ON (status SUCCESS or DENIED): the realm's result in
 * *result. Returns E_INPUT for DENIED on a target that is on, where the
 * request is nevertheless completed with ALREADY_ON (failure-conditions
 * s2.23), else SUCCESS.
 */
static enum rmi_status complete_cpu_on(const struct rec *caller, struct granule *g_target,
				       struct rec *target, uint64_t status, uint64_t *result)
{
	bool denied = status == (uint64_t)PSCI_RET_DENIED;

	if (rec_is_on(g_target, target)) {
		*result = (uint64_t)PSCI_RET_ALREADY_ON;
		return denied ? RMI_ERROR_INPUT : RMI_SUCCESS;
	}
	if (denied) {
		*result = (uint64_t)PSCI_RET_DENIED;
		return RMI_SUCCESS;
	}
	psci_reset_target(target, caller);
	*result = (uint64_t)PSCI_RET_SUCCESS;
	return RMI_SUCCESS;
}

/*
 * s7.4 steps 4-9 with both RECs locked and the caller not running.
 * Returns the command's status; once step 7 has passed the request is
 * always completed (step 9), even in the step-8 DENIED case.
 */
static enum rmi_status psci_complete_request(struct rec *caller, struct granule *g_target,
					     struct rec *target, uint64_t status)
{
	enum rmi_status st = RMI_SUCCESS;
	uint64_t result;

	/* Step 4 (failure-conditions s2.23 "pending"). */
	if (!caller->psci.pending)
		return RMI_ERROR_INPUT;
	/* Step 5 ("owner"). */
	if (caller->rd_pa != target->rd_pa)
		return RMI_ERROR_INPUT;
	/* Step 6 ("target"): s7.5 index of the MPIDR the realm passed in X1. */
	if (rmi_mpidr_el1_to_rec_index(caller->psci.target_mpidr) != target->rec_idx)
		return RMI_ERROR_INPUT;
	/* Step 7 / 7' ("status"). */
	if (!psci_status_allowed(caller->psci.fid, status))
		return RMI_ERROR_INPUT;
	/* Step 8. */
	if (psci_fid_is_cpu_on(caller->psci.fid))
		st = complete_cpu_on(caller, g_target, target, status, &result);
	else
		result = rec_is_on(g_target, target) ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
	/* Step 9: X0 = realm result, X1..X3 = 0, request cleared. */
	caller->gprs[0] = result;
	for (unsigned int i = 1; i < PSCI_RESULT_REGS; i++)
		caller->gprs[i] = 0;
	caller->psci.pending = false;
	return st;
}

/*
 * failure-conditions s2.23 reference order: calling_rec aligned ->
 * target_rec aligned -> both locked in address order as REC (bound, state,
 * alias) -> calling REC running -> no pending request -> different realms
 * -> MPIDR mismatch -> status not allowed for the function. Every failure
 * is E_INPUT.
 */
void smc_psci_complete(const uint64_t args[6], struct smc_result *res)
{
	pa_t calling_pa = pa_of(args[0]), target_pa = pa_of(args[1]);
	struct granule *g_calling, *g_target;
	enum rmi_status st;

	/* s7.4 step 1. */
	if (!pa_granule_aligned(calling_pa) || !pa_granule_aligned(target_pa)) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* Step 2 (s16.2: ascending PA order; the same address fails). */
	if (!find_lock_two_granules(calling_pa, GRANULE_STATE_REC, &g_calling, target_pa,
				    GRANULE_STATE_REC, &g_target)) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* Step 3 (s16.3: a running REC holds a reference, read with acquire). */
	if (granule_refcount_read_acquire(g_calling) != 0)
		st = RMI_ERROR_INPUT;
	else
		st = psci_complete_request(rec_of(g_calling), g_target, rec_of(g_target), args[2]);
	granule_unlock(g_target);
	granule_unlock(g_calling);
	res->x[0] = rmi_ret(st, 0);
}
