/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Turning what stopped Unicorn into a struct engine_exit: the syndrome
 * that hardware would have written to ESR_EL2/FAR_EL2/HPFAR_EL2 (or, for
 * exceptions the guest must take itself, to ESR_EL1/FAR_EL1).
 *
 * Unicorn fills in no ESR and no FAR (reference "Syndrome registers"):
 *  - stage 1 or stage 2: HPFAR_EL2 is written with ~0 before every entry;
 *    only a stage-2 fault overwrites it (then it holds the IPA page);
 *  - the instruction: AT S12E1R (S12E0R at EL0) of PC gives its PA, read
 *    from the root view; decoding it gives FAR and the ISS;
 *  - the fault status code: AT S12E1R/W of FAR reports it in PAR_EL1
 *    (FST [6:1], PTW [8], S [9]). PAR_EL1 is guest state and is restored.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine_priv.h"
#include "insn_decode.h"

#define PAR_F	     (1ULL << 0)
#define PAR_FST(par) (((par) >> 1) & 0x3f)
#define PAR_PTW	     (1ULL << 8)
#define PAR_PA_MASK  0x0000fffffffff000ULL

/* WFx ISS from AArch64: CV = 1, COND = 0b1110, TI = 0 (WFI) / 1 (WFE) (Arm ARM D17.2.37). */
#define ISS_WFX(ti) ((1ULL << 24) | (0xeULL << 20) | (ti))
#define ISS_FNV	    (1ULL << 10) /* FAR not valid */

static uint64_t esr_of(unsigned int ec, uint64_t iss)
{
	return ((uint64_t)ec << ENGINE_ESR_EC_SHIFT) | ENGINE_ESR_IL | (iss & ENGINE_ESR_ISS_MASK);
}

static unsigned int current_el(struct engine *e)
{
	return (unsigned int)(engine_get_pstate(e) >> 2) & 3;
}

/* AT S12E{1,0}{R,W} of va; returns PAR_EL1 (bit 0 set on a fault). Keeps the guest's PAR. */
uint64_t engine_at(struct engine *e, uint64_t va, bool write)
{
	uint64_t saved = engine_reg(e, UC_ARM64_REG_PAR_EL1), par;
	bool el0 = current_el(e) == 0;
	struct engine_sysreg op =
		el0 ? (write ? SR_AT_S12E0W : SR_AT_S12E0R) : (write ? SR_AT_S12E1W : SR_AT_S12E1R);

	engine_sr_write(e, op, va);
	par = engine_reg(e, UC_ARM64_REG_PAR_EL1);
	engine_reg_set(e, UC_ARM64_REG_PAR_EL1, saved);
	return par;
}

bool engine_fetch_insn(struct engine *e, uint64_t va, uint32_t *insn)
{
	uint64_t par = engine_at(e, va, false), pa;

	if (par & PAR_F)
		return false;
	pa = (par & PAR_PA_MASK) | (va & GRANULE_MASK);
	if (pa < RK_DRAM_BASE || pa - RK_DRAM_BASE > e->dram_size - 4 || (pa & 3))
		return false;
	memcpy(insn, e->dram + (pa - RK_DRAM_BASE), 4);
	return true;
}

static uint64_t base_reg(struct engine *e, unsigned int n, bool sp)
{
	if (n == 31)
		return sp ? engine_reg(e, UC_ARM64_REG_SP) : 0;
	return engine_get_x(e, n);
}

/* FAR and fault status of a decoded access (see engine_run() in engine.h). */
static void locate_fault(struct engine *e, const struct insn_mem *m, uint64_t va,
			 struct engine_exit *x)
{
	uint64_t last = va + m->size - 1, par = engine_at(e, va, m->wnr);

	x->far = va;
	if (!(par & PAR_F) && (va >> 12) != (last >> 12)) {
		/* The first page translates: the fault is on the second one. */
		uint64_t par2 = engine_at(e, last & ~GRANULE_MASK, m->wnr);

		if (par2 & PAR_F) {
			x->far = last & ~GRANULE_MASK;
			par = par2;
		}
	}
	x->far_valid = true;
	if (par & PAR_F) {
		x->dabt.fsc = (uint8_t)PAR_FST(par);
		x->dabt.s1ptw = par & PAR_PTW;
	}
}

static void decode_dabt(struct engine *e, struct engine_exit *x)
{
	struct insn_mem m;
	uint64_t va, rm;

	x->insn_valid = engine_fetch_insn(e, x->pc, &x->insn);
	if (!x->insn_valid || !insn_decode_mem(x->insn, &m)) {
		x->far_valid = false;
		return;
	}
	rm = m.mode == INSN_ADDR_REG ? base_reg(e, m.rm, false) : 0;
	va = insn_mem_address(&m, base_reg(e, m.rn, m.mode != INSN_ADDR_DC), rm, x->pc);
	locate_fault(e, &m, va, x);
	x->dabt.wnr = m.wnr;
	x->dabt.cm = m.cm;
	x->dabt.sas = m.sas;
	x->dabt.sse = m.sse;
	x->dabt.srt = m.rt;
	x->dabt.sf = m.sf;
	x->dabt.ar = m.ar;
	/* ISV is 0 for a stage-2 fault on a stage-1 walk (no instruction syndrome). */
	x->dabt.isv = m.isv && !x->dabt.s1ptw;
}

static uint64_t dabt_iss(const struct engine_exit *x, bool with_syndrome)
{
	const struct engine_dabt *d = &x->dabt;
	uint64_t iss = d->fsc;

	if (with_syndrome && d->isv)
		iss |= ENGINE_ISS_ISV | ((uint64_t)d->sas << ENGINE_ISS_SAS_SHIFT) |
		       (d->sse ? ENGINE_ISS_SSE : 0) | ((uint64_t)d->srt << ENGINE_ISS_SRT_SHIFT) |
		       (d->sf ? ENGINE_ISS_SF : 0) | (d->ar ? ENGINE_ISS_AR : 0);
	iss |= (d->cm ? ENGINE_ISS_CM : 0) | (d->s1ptw ? ENGINE_ISS_S1PTW : 0) |
	       (d->wnr ? ENGINE_ISS_WNR : 0) | (x->far_valid ? 0 : ISS_FNV);
	return iss;
}

static void classify_abort(struct engine *e, bool data, struct engine_exit *x)
{
	uint64_t hpfar = engine_sr_read(e, SR_HPFAR_EL2);
	bool stage2 = hpfar != HPFAR_SENTINEL, lower = current_el(e) == 0;

	x->pc = x->elr = engine_get_pc(e);
	if (data) {
		decode_dabt(e, x);
	} else {
		uint64_t par = engine_at(e, x->pc, false);

		x->far = x->pc;
		x->far_valid = true;
		if (par & PAR_F) {
			x->dabt.fsc = (uint8_t)PAR_FST(par);
			x->dabt.s1ptw = par & PAR_PTW;
		}
	}
	if (stage2) {
		/* HPFAR_EL2.FIPA [43:4] = IPA[47:12]; seen from EL2 the realm is a lower EL. */
		x->ipa = ((hpfar >> 4) << 12) | (x->far_valid ? (x->far & GRANULE_MASK) : 0);
		x->reason = data ? ENGINE_EXIT_S2_DABT : ENGINE_EXIT_S2_IABT;
		x->esr = data ? esr_of(ENGINE_EC_DABT_LOW, dabt_iss(x, true))
			      : esr_of(ENGINE_EC_IABT_LOW,
				       x->dabt.fsc | (x->dabt.s1ptw ? ENGINE_ISS_S1PTW : 0));
		return;
	}
	/*
	 * Stage 1 (or alignment): the guest takes it at EL1. EC 0x25/0x21
	 * "taken without a change in Exception level" from EL1, 0x24/0x20
	 * from EL0. ISV = 0: the instruction syndrome is defined for stage-2
	 * aborts reported to EL2 only. No walk faulted: an alignment fault.
	 */
	x->reason = ENGINE_EXIT_GUEST_EXCEPTION;
	if (!x->dabt.fsc)
		x->dabt.fsc = ENGINE_FSC_ALIGN;
	x->dabt.isv = false;
	if (data)
		x->esr =
			esr_of(lower ? ENGINE_EC_DABT_LOW : ENGINE_EC_DABT_CUR, dabt_iss(x, false));
	else
		x->esr = esr_of(lower ? ENGINE_EC_IABT_LOW : ENGINE_EC_IABT_CUR, x->dabt.fsc);
}

/* CPACR_EL1.FPEN [21:20]: 0b11 traps nothing, 0b01 traps EL0 only, else EL0 and EL1. */
static bool fp_trapped(struct engine *e)
{
	uint32_t cpacr = 0, fpen;

	uc_reg_read(e->uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
	fpen = (cpacr >> 20) & 3;
	return fpen == 3 ? false : (fpen == 1 ? current_el(e) == 0 : true);
}

static void classify_undef(struct engine *e, struct engine_exit *x)
{
	x->reason = ENGINE_EXIT_GUEST_EXCEPTION;
	x->pc = x->elr = engine_get_pc(e);
	if (x->pc & 3) {
		/* PC alignment fault: FAR = the misaligned PC (Arm ARM D1.3.5). */
		x->esr = esr_of(ENGINE_EC_PC_ALIGN, 0);
		x->far = x->pc;
		x->far_valid = true;
		return;
	}
	x->insn_valid = engine_fetch_insn(e, x->pc, &x->insn);
	if (x->insn_valid && insn_is_fp_simd(x->insn) && fp_trapped(e))
		x->esr = esr_of(ENGINE_EC_FP, 0);
	else if (x->insn_valid && (x->insn == INSN_WFI || x->insn == INSN_WFE))
		/* WFx at EL0 trapped by SCTLR_EL1.nTWI/nTWE = 0: EC 0x01 to EL1. */
		x->esr = esr_of(ENGINE_EC_WFX, ISS_WFX(x->insn == INSN_WFE ? 1 : 0));
	else
		x->esr = esr_of(ENGINE_EC_UNKNOWN, 0);
}

/* SVC / HVC / SMC: Unicorn leaves PC past the instruction. */
static void classify_call(struct engine *e, enum engine_exit_reason r, unsigned int ec,
			  bool want_imm, struct engine_exit *x)
{
	x->reason = r;
	x->elr = engine_get_pc(e);
	x->pc = x->elr - 4;
	if (want_imm)
		x->insn_valid = engine_fetch_insn(e, x->pc, &x->insn);
	x->esr = esr_of(ec, x->insn_valid ? insn_imm16(x->insn) : 0);
}

static void classify_intr(struct engine *e, struct engine_exit *x)
{
	switch (e->intno) {
	case EXCP_SMC:
		classify_call(e, ENGINE_EXIT_SMC, ENGINE_EC_SMC64, false, x);
		return;
	case EXCP_HVC:
		classify_call(e, ENGINE_EXIT_HVC, ENGINE_EC_HVC64, true, x);
		return;
	case EXCP_SWI:
		classify_call(e, ENGINE_EXIT_GUEST_EXCEPTION, ENGINE_EC_SVC64, true, x);
		return;
	case EXCP_DATA_ABORT:
		classify_abort(e, true, x);
		return;
	case EXCP_PREFETCH_ABORT:
		classify_abort(e, false, x);
		return;
	case EXCP_UDEF:
		classify_undef(e, x);
		return;
	case EXCP_BKPT:
		x->reason = ENGINE_EXIT_GUEST_EXCEPTION;
		x->pc = x->elr = engine_get_pc(e);
		x->insn_valid = engine_fetch_insn(e, x->pc, &x->insn);
		x->esr = esr_of(ENGINE_EC_BRK64, x->insn_valid ? insn_imm16(x->insn) : 0);
		return;
	default:
		x->reason = ENGINE_EXIT_ERROR;
		x->error = -ENOSYS;
		fprintf(stderr, "engine: unexpected exception %u at PC 0x%llx\n", e->intno,
			(unsigned long long)engine_get_pc(e));
		return;
	}
}

static void classify_stop(struct engine *e, struct engine_exit *x)
{
	x->pc = x->elr = engine_get_pc(e);
	switch (e->stop) {
	case STOP_KICK:
		x->reason = ENGINE_EXIT_KICK;
		return;
	case STOP_BUDGET:
		x->reason = ENGINE_EXIT_BUDGET;
		return;
	case STOP_WFE:
		x->reason = ENGINE_EXIT_WFE;
		x->pc -= 4;
		x->esr = esr_of(ENGINE_EC_WFX, ISS_WFX(1));
		return;
	default:
		break;
	}
	/* No hook stopped it: WFI halts the CPU and returns with PC past it (reference §8). */
	x->pc -= 4;
	if (engine_fetch_insn(e, x->pc, &x->insn) && x->insn == INSN_WFI) {
		x->insn_valid = true;
		x->reason = ENGINE_EXIT_WFI;
		x->esr = esr_of(ENGINE_EC_WFX, ISS_WFX(0));
		return;
	}
	x->pc += 4;
	x->reason = ENGINE_EXIT_ERROR;
	x->error = -EIO;
}

int engine_classify(struct engine *e, uc_err err, struct engine_exit *x)
{
	e->hf_el = current_el(e); /* guest ERETs rebuild the flags for the EL they reach */
	if (e->gate_hit) {
		fprintf(stderr, "engine: translation bypass: gate access at offset 0x%llx\n",
			(unsigned long long)e->gate_addr);
		x->reason = ENGINE_EXIT_ERROR;
		x->error = -EFAULT;
	} else if (err != UC_ERR_OK) {
		fprintf(stderr, "engine: uc_emu_start: %s\n", uc_strerror(err));
		x->reason = ENGINE_EXIT_ERROR;
		x->error = -EIO;
	} else if (e->intr_seen) {
		classify_intr(e, x);
	} else {
		classify_stop(e, x);
	}
	return x->reason == ENGINE_EXIT_ERROR ? x->error : 0;
}
