/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REC's architectural state between the REC granules and the CPU
 * engine (ARCHITECTURE.md "Running realm code": the state belongs to the
 * REC and is saved at every exit), the realm timers (rmm-v1.0.md s12.9) and
 * the GIC state of an entry and an exit (s12.8, s12.2).
 */
#include <stddef.h>
#include <string.h>

#include "rec_run_priv.h"

/* CNTx_CTL_EL0 fields (Arm ARM D17.2.x CNTV_CTL_EL0). */
#define CNT_CTL_ENABLE	(1ULL << 0)
#define CNT_CTL_IMASK	(1ULL << 1)
#define CNT_CTL_ISTATUS (1ULL << 2)

static void el1_from_rec(const struct rec_el1_sysregs *r, struct engine_el1_sysregs *e)
{
	e->sctlr = r->sctlr_el1;
	e->tcr = r->tcr_el1;
	e->ttbr0 = r->ttbr0_el1;
	e->ttbr1 = r->ttbr1_el1;
	e->mair = r->mair_el1;
	e->amair = r->amair_el1;
	e->vbar = r->vbar_el1;
	e->esr = r->esr_el1;
	e->far = r->far_el1;
	e->elr = r->elr_el1;
	e->spsr = r->spsr_el1;
	e->cpacr = r->cpacr_el1;
	e->tpidr_el0 = r->tpidr_el0;
	e->tpidrro_el0 = r->tpidrro_el0;
	e->tpidr_el1 = r->tpidr_el1;
	e->contextidr = r->contextidr_el1;
	e->par = r->par_el1;
	e->cntkctl = r->cntkctl_el1;
	e->afsr0 = r->afsr0_el1;
	e->afsr1 = r->afsr1_el1;
	e->csselr = r->csselr_el1;
	e->mdscr = r->mdscr_el1;
}

/* ACTLR_EL1 stays in the REC: the engine's CPU implements it as RAZ/WI. */
static void el1_to_rec(const struct engine_el1_sysregs *e, struct rec_el1_sysregs *r)
{
	r->sctlr_el1 = e->sctlr;
	r->tcr_el1 = e->tcr;
	r->ttbr0_el1 = e->ttbr0;
	r->ttbr1_el1 = e->ttbr1;
	r->mair_el1 = e->mair;
	r->amair_el1 = e->amair;
	r->vbar_el1 = e->vbar;
	r->esr_el1 = e->esr;
	r->far_el1 = e->far;
	r->elr_el1 = e->elr;
	r->spsr_el1 = e->spsr;
	r->cpacr_el1 = e->cpacr;
	r->tpidr_el0 = e->tpidr_el0;
	r->tpidrro_el0 = e->tpidrro_el0;
	r->tpidr_el1 = e->tpidr_el1;
	r->contextidr_el1 = e->contextidr;
	r->par_el1 = e->par;
	r->cntkctl_el1 = e->cntkctl;
	r->afsr0_el1 = e->afsr0;
	r->afsr1_el1 = e->afsr1;
	r->csselr_el1 = e->csselr;
	r->mdscr_el1 = e->mdscr;
}

void rec_state_from_rec(const struct rec *rec, struct engine_cpu_state *st)
{
	const struct rec_simd_state *simd = rec_simd(rec);

	memset(st, 0, sizeof(*st));
	memcpy(st->x, rec->gprs, sizeof(st->x));
	st->sp_el0 = rec->sp_el0;
	st->sp_el1 = rec->sp_el1;
	st->pc = rec->pc;
	st->pstate = rec->pstate;
	el1_from_rec(&rec->el1, &st->el1);
	st->timer.cntv_ctl = rec->el1.cntv_ctl_el0;
	st->timer.cntv_cval = rec->el1.cntv_cval_el0;
	st->timer.cntp_ctl = rec->el1.cntp_ctl_el0;
	st->timer.cntp_cval = rec->el1.cntp_cval_el0;
	st->vmpidr = rec->el1.vmpidr_el2;
	/* FP/SIMD from aux granule 0 (rec.h layout). */
	memcpy(st->q, simd->q, sizeof(st->q));
	st->fpcr = (uint32_t)simd->fpcr;
	st->fpsr = (uint32_t)simd->fpsr;
}

void rec_state_to_rec(struct rec *rec, const struct engine_cpu_state *st)
{
	struct rec_simd_state *simd = rec_simd(rec);

	memcpy(rec->gprs, st->x, sizeof(rec->gprs));
	rec->sp_el0 = st->sp_el0;
	rec->sp_el1 = st->sp_el1;
	rec->pc = st->pc;
	rec->pstate = st->pstate;
	el1_to_rec(&st->el1, &rec->el1);
	rec->el1.cntv_ctl_el0 = st->timer.cntv_ctl;
	rec->el1.cntv_cval_el0 = st->timer.cntv_cval;
	rec->el1.cntp_ctl_el0 = st->timer.cntp_ctl;
	rec->el1.cntp_cval_el0 = st->timer.cntp_cval;
	/* VMPIDR_EL2 is the RMM's (s7.5): the realm cannot change it. */
	memcpy(simd->q, st->q, sizeof(simd->q));
	simd->fpcr = st->fpcr;
	simd->fpsr = st->fpsr;
}

/* ---- Loading onto the thread's engine ---- */

/*
 * What the calling thread's engine holds, as of its last load or of the
 * save at the last exit (valid until the engine runs another state or is
 * discarded). A REC that is entered again on the same thread after an exit
 * usually differs from it only in a few GPRs and the PC (the completions),
 * and writing those costs a fraction of a full engine_load(). The REC's
 * state still lives in its granules: this is only the engine's copy.
 */
static __thread struct {
	bool valid;
	uint64_t serial; /* pcpu_engine_serial() of the engine */
	struct engine_stage2 s2;
	struct engine_cpu_state st;
} loaded;

static bool same_but_gprs_pc(const struct engine_cpu_state *a, const struct engine_cpu_state *b)
{
	const size_t from = offsetof(struct engine_cpu_state, sp_el0);
	const size_t pc_off = offsetof(struct engine_cpu_state, pc);
	const size_t after_pc = pc_off + sizeof(a->pc);

	static_assert(offsetof(struct engine_cpu_state, x) == 0, "GPRs first");
	return !memcmp((const char *)a + from, (const char *)b + from, pc_off - from) &&
	       !memcmp((const char *)a + after_pc, (const char *)b + after_pc,
		       sizeof(*a) - after_pc);
}

int rec_engine_load(struct engine *e, uint64_t serial, const struct engine_cpu_state *st,
		    const struct engine_stage2 *s2)
{
	int ret;

	if (loaded.valid && loaded.serial == serial && loaded.s2.vttbr == s2->vttbr &&
	    loaded.s2.vtcr == s2->vtcr && same_but_gprs_pc(&loaded.st, st)) {
		for (unsigned int i = 0; i < REC_NUM_GPRS; i++) {
			if (loaded.st.x[i] != st->x[i])
				engine_set_x(e, i, st->x[i]);
		}
		if (loaded.st.pc != st->pc)
			engine_set_pc(e, st->pc);
		loaded.st = *st;
		return 0;
	}
	loaded.valid = false;
	ret = engine_load(e, st, s2);
	if (ret == 0) {
		loaded.valid = true;
		loaded.serial = serial;
		loaded.s2 = *s2;
		loaded.st = *st;
	}
	return ret;
}

void rec_engine_saved(uint64_t serial, const struct engine_cpu_state *st)
{
	if (loaded.valid && loaded.serial == serial)
		loaded.st = *st;
}

void rec_engine_forget(void)
{
	loaded.valid = false;
}

/* ---- Timers (rmm-v1.0.md s12.9; TF-RMM lib/timers TIMER_ASSERTED) ---- */

static bool ctl_asserted(uint64_t ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

static uint64_t ctl_now(uint64_t ctl, uint64_t cval, uint64_t cnt)
{
	ctl &= CNT_CTL_ENABLE | CNT_CTL_IMASK;
	if ((ctl & CNT_CTL_ENABLE) && cnt >= cval)
		ctl |= CNT_CTL_ISTATUS;
	return ctl;
}

unsigned int rec_timers_asserted(const struct engine_timers *t)
{
	return (ctl_asserted(t->cntv_ctl) ? REC_TIMER_VIRT : 0) |
	       (ctl_asserted(t->cntp_ctl) ? REC_TIMER_PHYS : 0);
}

unsigned int rec_timers_asserted_now(const struct engine_timers *t)
{
	uint64_t cnt = pcpu_counter();

	return (ctl_asserted(ctl_now(t->cntv_ctl, t->cntv_cval, cnt)) ? REC_TIMER_VIRT : 0) |
	       (ctl_asserted(ctl_now(t->cntp_ctl, t->cntp_cval, cnt)) ? REC_TIMER_PHYS : 0);
}

void rec_timers_refresh(struct engine_timers *t)
{
	uint64_t cnt = pcpu_counter();

	t->cntv_ctl = ctl_now(t->cntv_ctl, t->cntv_cval, cnt);
	t->cntp_ctl = ctl_now(t->cntp_ctl, t->cntp_cval, cnt);
}

/*
 * When an enabled, unmasked timer that has not fired yet will fire. One
 * that already fired is the host's to deliver (the list registers): it
 * wakes nothing here, or a WFI would exit at once again and again.
 */
static uint64_t timer_deadline(uint64_t ctl, uint64_t cval)
{
	if ((ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) != CNT_CTL_ENABLE)
		return PCPU_NO_DEADLINE;
	if (cval >= PCPU_NO_DEADLINE / PCPU_COUNTER_NS)
		return PCPU_NO_DEADLINE;
	return cval * PCPU_COUNTER_NS;
}

uint64_t rec_timers_deadline_ns(const struct engine_timers *t)
{
	uint64_t v = timer_deadline(t->cntv_ctl, t->cntv_cval);
	uint64_t p = timer_deadline(t->cntp_ctl, t->cntp_cval);

	return v < p ? v : p;
}

/* ---- GIC (rmm-v1.0.md s12.8; TF-RMM lib/gic gic_validate_state) ---- */

/*
 * The virtual CPU interface realmkit describes: 16 list registers
 * (RMI_FEATURES GICV3_NUM_LRS = 15), 5 priority bits (ICH_VTR_EL2.PRIbits:
 * the 3 low bits of an LR's 8-bit priority are RES0), 16-bit INTIDs
 * (IDbits = 0) and no extended INTID range.
 */
#define GIC_LR_VINTID_MASK 0xffffffffULL
#define GIC_LR_PINTID_MASK (0x1fffULL << 32)
#define GIC_LR_EOI	   (1ULL << 41)
#define GIC_LR_PRIO_SHIFT  48
#define GIC_LR_PRIO_RES0   0x7ULL
#define GIC_LR_HW	   (1ULL << 61)
#define GIC_LR_STATE_SHIFT 62
#define GIC_LR_STATE_PEND  0x1ULL
#define GIC_MAX_SPI_ID	   1019u
#define GIC_MIN_LPI_ID	   8192u
#define GIC_MAX_VINTID	   0xffffu
#define GIC_HCR_UIE	   (1ULL << 1)
#define GIC_HCR_NPIE	   (1ULL << 3)
#define GIC_HCR_EOICOUNT   (0x1fULL << 27)
#define GIC_MISR_U	   (1ULL << 1)
#define GIC_MISR_NP	   (1ULL << 3)

static unsigned int lr_state(uint64_t lr)
{
	return (unsigned int)(lr >> GIC_LR_STATE_SHIFT);
}

static bool vintid_valid(uint64_t intid)
{
	return intid <= GIC_MAX_SPI_ID || (intid >= GIC_MIN_LPI_ID && intid <= GIC_MAX_VINTID);
}

static bool lr_valid(uint64_t lr)
{
	/* s12.8: HW = 0, priority RES0 bits 0, pINTID only the EOI bit, vINTID in range. */
	return !(lr & GIC_LR_HW) && !((lr >> GIC_LR_PRIO_SHIFT) & GIC_LR_PRIO_RES0) &&
	       !(lr & GIC_LR_PINTID_MASK & ~GIC_LR_EOI) && vintid_valid(lr & GIC_LR_VINTID_MASK);
}

bool rec_gic_state_valid(const struct rmi_rec_enter *enter)
{
	/* s12.8: only UIE, LRENPIE, NPIE, VGrp0EIE/DIE, VGrp1EIE/DIE and TDIR. */
	if (enter->gicv3_hcr & ~RMI_GICV3_HCR_ENTER_MASK)
		return false;
	for (unsigned int i = 0; i < RMI_REC_GIC_NUM_LRS; i++) {
		uint64_t lr = enter->gicv3_lrs[i];

		if (lr_state(lr) == 0)
			continue;
		if (!lr_valid(lr))
			return false;
		/* s12.8: no two valid LRs with the same vINTID. */
		for (unsigned int j = i + 1; j < RMI_REC_GIC_NUM_LRS; j++) {
			uint64_t other = enter->gicv3_lrs[j];

			if (lr_state(other) != 0 &&
			    (other & GIC_LR_VINTID_MASK) == (lr & GIC_LR_VINTID_MASK))
				return false;
		}
	}
	return true;
}

void rec_gic_load(struct rec *rec, const struct rmi_rec_enter *enter)
{
	rec->gic.hcr = enter->gicv3_hcr & RMI_GICV3_HCR_ENTER_MASK;
	memcpy(rec->gic.lrs, enter->gicv3_lrs, sizeof(rec->gic.lrs));
}

bool rec_gic_irq_pending(const struct rec *rec)
{
	for (unsigned int i = 0; i < RMI_REC_GIC_NUM_LRS; i++) {
		if (lr_state(rec->gic.lrs[i]) & GIC_LR_STATE_PEND)
			return true;
	}
	return false;
}

/*
 * ICH_MISR_EL2 from the LRs: U (UIE and at most one valid LR) and NP (NPIE
 * and no LR in the pending state). EOI and LRENP need the guest to EOI an
 * interrupt, VGrp* the guest's VMCR, which realmkit's guest cannot touch.
 */
static uint64_t gic_misr(const struct rec_gic_state *g)
{
	unsigned int valid = 0, pending = 0;
	uint64_t misr = 0;

	for (unsigned int i = 0; i < RMI_REC_GIC_NUM_LRS; i++) {
		valid += lr_state(g->lrs[i]) != 0;
		pending += (lr_state(g->lrs[i]) & GIC_LR_STATE_PEND) != 0;
	}
	if ((g->hcr & GIC_HCR_UIE) && valid <= 1)
		misr |= GIC_MISR_U;
	if ((g->hcr & GIC_HCR_NPIE) && pending == 0)
		misr |= GIC_MISR_NP;
	return misr;
}

void rec_exit_fill_common(const struct rec *rec, struct rmi_rec_exit *exit)
{
	/* s12.8: HCR masked to EOIcount and the host's bits; LRs, MISR, VMCR as left. */
	exit->gicv3_hcr = rec->gic.hcr & (GIC_HCR_EOICOUNT | RMI_GICV3_HCR_ENTER_MASK);
	memcpy(exit->gicv3_lrs, rec->gic.lrs, sizeof(exit->gicv3_lrs));
	exit->gicv3_misr = gic_misr(&rec->gic);
	exit->gicv3_vmcr = rec->gic.vmcr;
	/* s12.2, s12.9: the timers in every exit; CNTVOFF = CNTPOFF = 0 (kvm-cca-host.md). */
	exit->cntp_ctl = rec->el1.cntp_ctl_el0;
	exit->cntp_cval = rec->el1.cntp_cval_el0;
	exit->cntv_ctl = rec->el1.cntv_ctl_el0;
	exit->cntv_cval = rec->el1.cntv_cval_el0;
	/* realmkit has no PMU for realms (RMI_FEATURES PMU_EN = 0). */
	exit->pmu_ovf_status = RMI_PMU_OVERFLOW_NOT_ACTIVE;
}
