/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Running a REC (RMI_REC_ENTER) and the handlers of the calls a realm
 * makes while it runs: the interface between the run loop (rec_run.c) and
 * the RSI (rsi*.c) and PSCI (psci.c) handlers.
 *
 * While a REC runs, the thread inside REC_ENTER owns it (its granule's
 * reference count is 1, rec.h) and its architectural state is loaded on
 * this thread's CPU engine: registers are read and written through the
 * engine (rec_x()/rec_set_x()), not through struct rec, until the run loop
 * saves the state back at the exit. The RD is referenced by the REC (its
 * refcount counts RECs), never locked by the run loop; handlers lock it
 * (granule_lock(ctx->g_rd)) for measurements and SYSTEM_OFF.
 *
 * When a handler returns, the engine's PC is already past the SMC
 * (engine_run() reports SMC exits that way) unless the outcome says
 * otherwise.
 */
#ifndef REALMKIT_RMM_REC_RUN_H
#define REALMKIT_RMM_REC_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>

#include "engine.h"
#include "granule.h"
#include "realm.h"
#include "rec.h"

struct rec_ctx {
	struct rec *rec;	   /* the running REC */
	struct granule *g_rec;	   /* its granule (refcount 1, unlocked) */
	struct granule *g_rd;	   /* the owning RD (referenced, unlocked) */
	struct rd *rd;		   /* rd_of(g_rd): read-only fields without the lock */
	struct engine *engine;	   /* the CPU engine the REC is loaded on */
	struct rmi_rec_exit *exit; /* the exit being built; zeroed at entry */
};

/* What a realm-call handler decided. */
enum rec_smc_outcome {
	/* Results are in the registers; the realm continues after the SMC. */
	REC_SMC_RETURN,
	/* ctx->exit is filled in; the REC exits to the host after the SMC. */
	REC_SMC_EXIT,
	/*
	 * ctx->exit is filled in (an emulated stage-2 abort for an RSI buffer,
	 * rmm-v1.0.md s12.6); the REC exits with its PC at the SMC, which the
	 * realm executes again when the host re-enters it.
	 */
	REC_SMC_EXIT_REPEAT,
};

static inline uint64_t rec_x(const struct rec_ctx *ctx, unsigned int n)
{
	return engine_get_x(ctx->engine, n);
}

static inline void rec_set_x(struct rec_ctx *ctx, unsigned int n, uint64_t v)
{
	engine_set_x(ctx->engine, n, v);
}

/*
 * RSI (rmm-v1.0.md s6): handles the SMC whose X0 is an RSI function ID,
 * sets X0..X3 per s1 (undefined outputs of X1..X3 zero, X4 preserved except
 * for MEASUREMENT_READ) or builds an exit. Implemented in rsi.c.
 */
enum rec_smc_outcome rsi_handle(struct rec_ctx *ctx, uint64_t fid);

/* True if fid (SVE hint cleared) is an RSI function ID this RMM dispatches. */
bool rsi_is_rsi_call(uint64_t fid);

/* PSCI for realms (rmm-v1.0.md s7). Implemented in psci.c. */
enum rec_smc_outcome psci_handle(struct rec_ctx *ctx, uint64_t fid);

/* True if fid is a PSCI function ID (SMC32 or SMC64, FNUM 0x00..0x14). */
bool psci_is_psci_call(uint64_t fid);

/*
 * True when a physical interrupt is pending for the CPU this REC runs on
 * (a host kick), so that long operations (token signing) can stop and exit
 * with IRQ (rmm-v1.0.md s15.4). Implemented by the run loop (rec_loop.c):
 * a kick (platform_cpu_kick) of the calling thread's physical CPU is
 * pending; the IRQ exit that follows takes it.
 */
bool rec_irq_pending(const struct rec_ctx *ctx);

/*
 * Fills ctx->exit for an emulated stage-2 data abort on an RSI buffer at
 * `ipa`, found unmapped at RTT walk level `level` (rmm-v1.0.md s12.6):
 * SYNC, ESR = EC 0x24 | DFSC 0x04 + level (no IL, no ISV: s12.2 and TF-RMM
 * emulate_stage2_data_abort), FAR 0, HPFAR = ipa >> 8. Also records it as
 * the last exit, so that neither EMUL_MMIO nor INJECT_SEA applies to it.
 * Implemented in rec_abort.c.
 */
void rec_exit_emulated_s2_abort(struct rec_ctx *ctx, uint64_t ipa, int level);

#endif /* REALMKIT_RMM_REC_RUN_H */
