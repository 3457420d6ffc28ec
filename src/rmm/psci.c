/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI for realms, the realm side (rmm-v1.0.md s7.1-s7.3, s7.5;
 * failure-conditions s4). The host side, RMI_PSCI_COMPLETE, is in
 * rmi_psci_complete.c.
 *
 * Register results (rmm-v1.0.md s7.1, failure-conditions s5.4 step 6): a
 * call answered by the RMM, and CPU_SUSPEND / CPU_OFF (whose exit is only a
 * notification), write X0 = the PSCI result and X1..X3 = 0; X4..X30 are
 * never touched. CPU_ON and AFFINITY_INFO that need the host leave every
 * register unchanged (PSCI_COMPLETE writes the result), and so do
 * SYSTEM_OFF and SYSTEM_RESET.
 *
 * PSCI exits (s7.1): exit_reason PSCI, exit.gprs[0..n-1] = X0..X(n-1) of
 * the realm (n = 1, or 2 for CPU_ON and AFFINITY_INFO), every other
 * exit.gprs zero.
 */
#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/abi/smccc.h>

#include "granule.h"
#include "realm.h"
#include "rec.h"
#include "rec_run.h"

/* X0..X3: the registers a PSCI result occupies (SMCCC). */
#define PSCI_RESULT_REGS 4u

/*
 * SMCCC: the function ID is W0 (X0[63:32] is ignored). The SVE hint
 * (bit 16) is cleared as for RSI (rmm-v1.0.md s1).
 */
static uint32_t psci_fid_of(uint64_t x0)
{
	return smccc_clear_sve_hint((uint32_t)x0);
}

bool psci_is_psci_call(uint64_t fid)
{
	/* rmm-v1.0.md s1: 0x84000000 + n or 0xC4000000 + n, n = 0x00..0x14. */
	return psci_is_psci_fid(psci_fid_of(fid));
}

/* The realm continues after the SMC with X0 = result, X1..X3 = 0 (s7.1). */
static void psci_set_result(struct rec_ctx *ctx, uint64_t result)
{
	rec_set_x(ctx, 0, result);
	for (unsigned int i = 1; i < PSCI_RESULT_REGS; i++)
		rec_set_x(ctx, i, 0);
}

static enum rec_smc_outcome psci_return(struct rec_ctx *ctx, uint64_t result)
{
	psci_set_result(ctx, result);
	return REC_SMC_RETURN;
}

/*
 * s7.1: a PSCI exit; exit.gprs[0..n-1] = X0..X(n-1), all other exit.gprs
 * zero. Reads the registers, so call it before writing a result.
 */
static void psci_fill_exit(struct rec_ctx *ctx, unsigned int n)
{
	struct rmi_rec_exit *exit = ctx->exit;

	exit->exit_reason = RMI_EXIT_PSCI;
	for (unsigned int i = 0; i < RMI_REC_EXIT_NR_GPRS; i++)
		exit->gprs[i] = i < n ? rec_x(ctx, i) : 0;
}

/* s7.5: REC index of a PSCI target given in MPIDR_EL1 layout. */
static uint64_t psci_target_index(const struct rec_ctx *ctx)
{
	return rmi_mpidr_el1_to_rec_index(rec_x(ctx, 1));
}

/*
 * The realm's REC count. REC_CREATE needs a NEW realm and a REC runs only
 * in an ACTIVE one, so the count cannot change while a REC runs.
 */
static uint64_t psci_rec_count(const struct rec_ctx *ctx)
{
	return ctx->rd->rec_count;
}

/* s7.2 step 4 / s7.3 step 4: the request waits for RMI_PSCI_COMPLETE. */
static enum rec_smc_outcome psci_exit_pending(struct rec_ctx *ctx, uint32_t fid)
{
	struct rec_psci_pending *p = &ctx->rec->psci;

	p->pending = true;
	p->fid = fid;
	p->target_mpidr = rec_x(ctx, 1);
	/* s7.1: gprs[0] = FID, gprs[1] = target MPIDR; registers unchanged. */
	psci_fill_exit(ctx, 2);
	return REC_SMC_EXIT;
}

/*
 * s7.1 CPU_SUSPEND: every power state is a suspend request; the exit only
 * notifies the host and the realm's result is SUCCESS at once.
 */
static enum rec_smc_outcome psci_cpu_suspend(struct rec_ctx *ctx)
{
	psci_fill_exit(ctx, 1);
	psci_set_result(ctx, (uint64_t)PSCI_RET_SUCCESS);
	return REC_SMC_EXIT;
}

/*
 * s7.1 CPU_OFF: the REC becomes not runnable (only a CPU_ON completion makes
 * it runnable again, at a new entry point). The running thread owns the
 * REC (rec.h), so the field is written without the lock; REC_ENTER's
 * store-release of the reference count publishes it.
 */
static enum rec_smc_outcome psci_cpu_off(struct rec_ctx *ctx)
{
	ctx->rec->runnable = false;
	psci_fill_exit(ctx, 1);
	psci_set_result(ctx, (uint64_t)PSCI_RET_SUCCESS);
	return REC_SMC_EXIT;
}

/* s7.2: CPU_ON(X1 target MPIDR, X2 entry point, X3 context ID), in this order. */
static enum rec_smc_outcome psci_cpu_on(struct rec_ctx *ctx, uint32_t fid)
{
	uint64_t target = psci_target_index(ctx);

	/* s7.2 step 1: the entry point must be a protected IPA. */
	if (!realm_ipa_in_par(ctx->rd, rec_x(ctx, 2)))
		return psci_return(ctx, (uint64_t)PSCI_RET_INVALID_ADDRESS);
	/* Step 2: RECs are created in index order, so index < count exists. */
	if (target >= psci_rec_count(ctx))
		return psci_return(ctx, (uint64_t)PSCI_RET_INVALID_PARAMS);
	/* Step 3: the caller is on. */
	if (target == ctx->rec->rec_idx)
		return psci_return(ctx, (uint64_t)PSCI_RET_ALREADY_ON);
	/* Step 4: even a running or runnable target goes to the host. */
	return psci_exit_pending(ctx, fid);
}

/* s7.3: AFFINITY_INFO(X1 target affinity, X2 lowest affinity level). */
static enum rec_smc_outcome psci_affinity_info(struct rec_ctx *ctx, uint32_t fid)
{
	uint64_t target = psci_target_index(ctx);

	/* s7.3 step 1. */
	if (rec_x(ctx, 2) != 0)
		return psci_return(ctx, (uint64_t)PSCI_RET_INVALID_PARAMS);
	/* Step 2. */
	if (target >= psci_rec_count(ctx))
		return psci_return(ctx, (uint64_t)PSCI_RET_INVALID_PARAMS);
	/* Step 3: the caller is running. */
	if (target == ctx->rec->rec_idx)
		return psci_return(ctx, (uint64_t)PSCI_AFFINITY_ON);
	/* Step 4. */
	return psci_exit_pending(ctx, fid);
}

/*
 * s7.1 SYSTEM_OFF / SYSTEM_RESET: the realm becomes SYSTEM_OFF, taken under
 * the RD lock (s16.4: RECs run with no RMM lock held, so this cannot
 * deadlock); every later REC_ENTER fails with (E_REALM, 1). Registers are
 * unchanged; a reset is the host's business (a new realm).
 */
static enum rec_smc_outcome psci_system_off(struct rec_ctx *ctx)
{
	granule_lock(ctx->g_rd);
	realm_set_state(rd_of(ctx->g_rd), RMI_REALM_STATE_SYSTEM_OFF);
	granule_unlock(ctx->g_rd);
	psci_fill_exit(ctx, 1);
	return REC_SMC_EXIT;
}

/*
 * s7.1 PSCI_FEATURES(X1 = queried FID): SUCCESS for the functions this RMM
 * implements plus SMCCC_VERSION, NOT_SUPPORTED for anything else (PSCI_VERSION
 * included, as the table lists it). The FID argument is a uint32 (Arm DEN0022
 * PSCI_FEATURES), so X1[63:32] is ignored.
 */
static enum rec_smc_outcome psci_features(struct rec_ctx *ctx)
{
	switch ((uint32_t)rec_x(ctx, 1)) {
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION_FID:
		return psci_return(ctx, (uint64_t)PSCI_RET_SUCCESS);
	default:
		return psci_return(ctx, (uint64_t)PSCI_RET_NOT_SUPPORTED);
	}
}

enum rec_smc_outcome psci_handle(struct rec_ctx *ctx, uint64_t fid)
{
	uint32_t f = psci_fid_of(fid);

	switch (f) {
	case PSCI_VERSION:
		return psci_return(ctx, PSCI_VERSION_1_1);
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		return psci_cpu_suspend(ctx);
	case PSCI_CPU_OFF:
		return psci_cpu_off(ctx);
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(ctx, f);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(ctx, f);
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return psci_system_off(ctx);
	case PSCI_FEATURES:
		return psci_features(ctx);
	default:
		/* s7.1 last row: MIGRATE, SYSTEM_SUSPEND, SMC64 CPU_OFF, ... */
		return psci_return(ctx, (uint64_t)PSCI_RET_NOT_SUPPORTED);
	}
}
