/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage-2 aborts of a running REC (rmm-v1.0.md s12.2, s12.3;
 * failure-conditions s5.3, s5.7): SEA injected into the realm, stage-2
 * fault exit to the host, or emulatable MMIO exit; the completions that
 * depend on the last exit's syndrome (INJECT_SEA, EMUL_MMIO: s12.1 steps
 * 9-10) and the emulated stage-2 abort of an RSI buffer (s12.6).
 *
 * The engine reports the syndrome hardware would have written to ESR_EL2
 * (EC 0x24/0x20 with the ISS decoded from the instruction), the faulting
 * VA and the IPA from HPFAR_EL2 (engine.h); the kind of fault comes from
 * the RMM's own walk of the realm's RTTs, as TF-RMM does (runtime/core/
 * exit.c handle_data_abort / handle_instruction_abort).
 */
#include <realmkit/abi/rsi.h>

#include "rec_run_priv.h"
#include "s2tt.h"

/* ESR_ELx fields (rmm-v1.0.md s12.2 "ESR fields used above"). */
#define ESR_EC_MASK   (0x3fULL << ENGINE_ESR_EC_SHIFT)
#define ESR_SET_MASK  (0x3ULL << 11)
#define ESR_FNV	      (1ULL << 10)
#define ESR_EA	      (1ULL << 9)
#define ESR_SAS_MASK  (0x3ULL << ENGINE_ISS_SAS_SHIFT)
#define ESR_SRT_SHIFT ENGINE_ISS_SRT_SHIFT
#define FSC_SEA	      0x10ULL
#define FSC_TRANS_L0  0x04ULL

/* s12.2: what a stage-2 fault exit reports (TF-RMM ESR_NONEMULATED_ABORT_MASK). */
#define ESR_NONEMULATED_MASK (ESR_EC_MASK | ESR_SET_MASK | ESR_FNV | ESR_EA | ENGINE_FSC_MASK)
/* s12.2: what an emulatable data abort reports (no SRT, no SSE, no IL). */
#define ESR_EMULATED_MASK \
	(ESR_NONEMULATED_MASK | ENGINE_ISS_ISV | ESR_SAS_MASK | ENGINE_ISS_SF | ENGINE_ISS_WNR)

static unsigned int esr_ec(uint64_t esr)
{
	return (unsigned int)((esr & ESR_EC_MASK) >> ENGINE_ESR_EC_SHIFT);
}

/* HPFAR_EL2 of an IPA: FIPA [43:4] = IPA[47:12]. */
static uint64_t hpfar_of(uint64_t ipa)
{
	return (ipa >> 12) << 4;
}

static uint64_t ipa_of_hpfar(uint64_t hpfar)
{
	return (hpfar >> 4) << 12;
}

static bool ipa_in_par(const struct rec *rec, uint64_t ipa)
{
	return ipa < (1ULL << (rec->s2_ctx.s2sz - 1));
}

/* ---- SEA injection (TF-RMM runtime/core/inject_exp.c calc_esr_idabort) ---- */

uint64_t rec_sea_esr(uint64_t esr_el2, uint64_t pstate)
{
	unsigned int ec = esr_ec(esr_el2);
	uint64_t esr;

	/*
	 * ESR_EL2 copied apart from EC (0x24/0x20 from EL0, +1 for the same
	 * EL), the FSC (SEA), FnV and S1PTW; EA set.
	 */
	esr = esr_el2 & ~(ESR_EC_MASK | ENGINE_FSC_MASK | ESR_FNV | ENGINE_ISS_S1PTW);
	if ((pstate & ENGINE_PSTATE_M_MASK) != ENGINE_PSTATE_EL0t)
		ec += 1;
	return esr | ((uint64_t)ec << ENGINE_ESR_EC_SHIFT) | ESR_EA | FSC_SEA;
}

static enum rec_abort_action inject_sea(struct rec_run *run, const struct engine_exit *x)
{
	uint64_t esr = rec_sea_esr(x->esr, engine_get_pstate(run->ctx.engine));

	/* ELR = the faulting instruction (the engine's PC for an abort). */
	if (engine_inject_sync(run->ctx.engine, esr, x->far, x->far_valid))
		return REC_ABORT_FAILED;
	return REC_ABORT_SEA;
}

/* ---- The RMM's walk (s12.3 needs HIPAS and RIPAS of the faulting IPA) ---- */

enum ipa_kind {
	IPA_EMPTY,    /* RIPAS EMPTY, any HIPAS */
	IPA_UNMAPPED, /* RIPAS RAM and UNASSIGNED, or RIPAS DESTROYED */
	IPA_MAPPED,   /* ASSIGNED/RAM: valid now (mapped since the fault) */
};

static enum ipa_kind protected_ipa_kind(const struct rec *rec, uint64_t ipa)
{
	const struct s2tt_ctx *s2 = &rec->s2_ctx;
	struct s2tt_walk wi;
	uint64_t entry;
	enum ipa_kind kind;

	/* s16.2: RTTs root to leaf, the run loop holds no other granule lock. */
	s2tt_walk_lock_unlock(s2, s2tt_lock_root(s2), ipa, S2TT_PAGE_LEVEL, &wi);
	entry = s2tte_read(&s2tt_table(wi.g_llt)[wi.index]);
	if (s2tte_is_assigned_ram(entry, wi.level))
		kind = IPA_MAPPED;
	else if (s2tte_get_ripas(entry) == RMI_EMPTY)
		kind = IPA_EMPTY;
	else
		kind = IPA_UNMAPPED;
	granule_unlock(wi.g_llt);
	return kind;
}

/* ---- Exits ---- */

static void record_last_exit(struct rec *rec, uint64_t esr, uint64_t far, uint64_t hpfar)
{
	rec->last_exit.esr = esr;
	rec->last_exit.far = far;
	rec->last_exit.hpfar = hpfar;
}

/* s12.2 "non-emulatable data abort" and "instruction abort": EC/SET/FnV/EA/FSC, HPFAR. */
static void exit_stage2_fault(struct rec_run *run, const struct engine_exit *x)
{
	struct rmi_rec_exit *exit = run->ctx.exit;
	uint64_t hpfar = hpfar_of(x->ipa);

	exit->exit_reason = RMI_EXIT_SYNC;
	exit->esr = x->esr & ESR_NONEMULATED_MASK;
	exit->far = 0;
	exit->hpfar = hpfar;
	/* Post-tag fix 303ee028: a protected-IPA abort never qualifies for EMUL_MMIO. */
	record_last_exit(run->ctx.rec, x->esr & ~ENGINE_ISS_ISV, x->far, hpfar);
}

/* s12.2 "emulatable data abort" (and its ISV = 0 form at an unprotected IPA). */
static void exit_unprotected_dabt(struct rec_run *run, const struct engine_exit *x)
{
	struct rmi_rec_exit *exit = run->ctx.exit;
	uint64_t hpfar = hpfar_of(x->ipa);

	exit->exit_reason = RMI_EXIT_SYNC;
	exit->esr = x->esr & ESR_EMULATED_MASK;
	exit->far = x->far_valid ? (x->far & GRANULE_MASK) : 0;
	exit->hpfar = hpfar;
	if (x->dabt.isv && x->dabt.wnr) {
		unsigned int bits = 8u << x->dabt.sas;
		uint64_t v = x->dabt.srt == 31 ? 0 : engine_get_x(run->ctx.engine, x->dabt.srt);

		/* s12.2: the value written, masked to the access size; 0 for XZR. */
		exit->gprs[0] = bits >= 64 ? v : v & ((1ULL << bits) - 1);
	}
	record_last_exit(run->ctx.rec, x->esr, x->far, hpfar);
}

/*
 * rmm-v1.0.md s12.3 / failure-conditions s5.3, for an ENGINE_EXIT_S2_DABT
 * or _S2_IABT (the engine's PC is at the faulting instruction).
 */
enum rec_abort_action rec_handle_s2_abort(struct rec_run *run, const struct engine_exit *x)
{
	const struct rec *rec = run->ctx.rec;
	bool data = x->reason == ENGINE_EXIT_S2_DABT;
	uint64_t page = x->ipa & ~GRANULE_MASK;

	/* s12.3: beyond the IPA space -> SEA, no exit (ACS mm_realm_access_outside_ipa). */
	if (!realm_ipa_in_range(run->ctx.rd, page))
		return inject_sea(run, x);
	if (ipa_in_par(rec, page)) {
		switch (protected_ipa_kind(rec, page)) {
		case IPA_EMPTY:
			/* s12.3: RIPAS EMPTY, HIPAS any -> SEA (data and instruction). */
			return inject_sea(run, x);
		case IPA_MAPPED:
			/*
			 * The host mapped the page between the fault and the walk
			 * (invalid -> valid needs no TLBI): run it again.
			 */
			return REC_ABORT_RETRY;
		case IPA_UNMAPPED:
			/* s12.3: RAM unassigned or DESTROYED -> SYNC exit, non-emulatable. */
			exit_stage2_fault(run, x);
			return REC_ABORT_EXIT;
		}
	}
	/* s12.3: instruction fetch from the unprotected half -> SEA. */
	if (!data)
		return inject_sea(run, x);
	/* s12.3: unprotected data access -> exit, emulatable if the syndrome is valid. */
	exit_unprotected_dabt(run, x);
	return REC_ABORT_EXIT;
}

/* ---- s12.6: emulated stage-2 abort for an RSI buffer (rec_run.h) ---- */

void rec_exit_emulated_s2_abort(struct rec_ctx *ctx, uint64_t ipa, int level)
{
	struct rmi_rec_exit *exit = ctx->exit;
	uint64_t esr = ((uint64_t)ENGINE_EC_DABT_LOW << ENGINE_ESR_EC_SHIFT) |
		       (FSC_TRANS_L0 + (uint64_t)level);

	/*
	 * s12.6 (TF-RMM emulate_stage2_data_abort): EC = data abort and DFSC
	 * = translation fault at the walk level, nothing else (no IL, no
	 * ISV); FAR 0; HPFAR = the buffer's IPA >> 8.
	 */
	assert(level >= 0 && level <= S2TT_PAGE_LEVEL);
	exit->exit_reason = RMI_EXIT_SYNC;
	exit->esr = esr;
	exit->far = 0;
	exit->hpfar = ipa >> 8;
	record_last_exit(ctx->rec, esr, 0, ipa >> 8);
}

/* ---- Completions on the REC's saved state (s12.1 steps 9, 10) ---- */

bool rec_last_exit_is_unprotected_dabt(const struct rec *rec)
{
	/* TF-RMM complete_sea_insertion: EC data abort, HPFAR outside the PAR. */
	return esr_ec(rec->last_exit.esr) == ENGINE_EC_DABT_LOW &&
	       !ipa_in_par(rec, ipa_of_hpfar(rec->last_exit.hpfar));
}

bool rec_last_exit_is_emulatable(const struct rec *rec)
{
	/* s12.1 step 10 with fix 303ee028: EC data abort and ISV in the reported ESR. */
	return esr_ec(rec->last_exit.esr) == ENGINE_EC_DABT_LOW &&
	       (rec->last_exit.esr & ENGINE_ISS_ISV);
}

void rec_inject_sea_state(const struct rec *rec, struct engine_cpu_state *st)
{
	uint64_t esr = rec_sea_esr(rec->last_exit.esr, st->pstate);
	bool far_valid = !(rec->last_exit.esr & ESR_FNV);

	/* The REC's PC is still at the aborted access: that is ELR_EL1. */
	engine_state_take_exception(st, st->pc, esr, rec->last_exit.far, far_valid, false);
}

void rec_complete_mmio_state(const struct rec *rec, uint64_t value, struct engine_cpu_state *st)
{
	uint64_t esr = rec->last_exit.esr;
	unsigned int rt = (unsigned int)((esr >> ESR_SRT_SHIFT) & 0x1f);
	unsigned int bits = 8u << ((esr & ESR_SAS_MASK) >> ENGINE_ISS_SAS_SHIFT);

	/* s12.1 step 10: a read to a register other than XZR gets enter.gprs[0]. */
	if (!(esr & ENGINE_ISS_WNR) && rt != 31) {
		if (bits < 64) {
			value &= (1ULL << bits) - 1;
			if ((esr & ENGINE_ISS_SSE) && ((value >> (bits - 1)) & 1))
				value |= ~0ULL << bits;
		}
		if (!(esr & ENGINE_ISS_SF))
			value &= 0xffffffffULL;
		st->x[rt] = value;
	}
	/* Reads and writes: the PC moves past the access. */
	st->pc += 4;
}
