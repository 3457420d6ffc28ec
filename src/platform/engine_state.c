/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Moving a REC's architectural state onto and off the engine, the mode-flag
 * rebuild through the ERET page, exception entry and VTCR_EL2.
 *
 * Unicorn 2.0.1 caches mode flags derived from PSTATE.EL, SCTLR_EL1,
 * TCR_EL1, CPACR_EL1 and MDSCR_EL1 (QEMU "hflags"), and register writes
 * from the host do not rebuild them (reference §8 "Changing EL on
 * host-emulated entry is broken", "Mandatory one-time ERET entry"). Only an
 * ERET executed by the CPU rebuilds them from the real registers. So when a
 * load changes any of those values, the engine runs a one-instruction
 * trampoline: the ERET at ENGINE_ERET_PA with stage 1 and stage 2 off for
 * that instant. An ERET cannot be executed with EL0 flags; then the engine
 * first restores the EL1 snapshot it took after its first entry.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "engine_priv.h"

#define NZCV_MASK (ENGINE_PSTATE_N | ENGINE_PSTATE_Z | ENGINE_PSTATE_C | ENGINE_PSTATE_V)

/* Named 64-bit registers of struct engine_el1_sysregs. */
static const struct {
	int id;
	size_t off;
} named_sysregs[] = {
	{ UC_ARM64_REG_TTBR0_EL1, offsetof(struct engine_el1_sysregs, ttbr0) },
	{ UC_ARM64_REG_TTBR1_EL1, offsetof(struct engine_el1_sysregs, ttbr1) },
	{ UC_ARM64_REG_MAIR_EL1, offsetof(struct engine_el1_sysregs, mair) },
	{ UC_ARM64_REG_VBAR_EL1, offsetof(struct engine_el1_sysregs, vbar) },
	{ UC_ARM64_REG_ESR_EL1, offsetof(struct engine_el1_sysregs, esr) },
	{ UC_ARM64_REG_FAR_EL1, offsetof(struct engine_el1_sysregs, far) },
	{ UC_ARM64_REG_ELR_EL1, offsetof(struct engine_el1_sysregs, elr) },
	{ UC_ARM64_REG_TPIDR_EL0, offsetof(struct engine_el1_sysregs, tpidr_el0) },
	{ UC_ARM64_REG_TPIDRRO_EL0, offsetof(struct engine_el1_sysregs, tpidrro_el0) },
	{ UC_ARM64_REG_TPIDR_EL1, offsetof(struct engine_el1_sysregs, tpidr_el1) },
	{ UC_ARM64_REG_PAR_EL1, offsetof(struct engine_el1_sysregs, par) },
};

/* The rest, through UC_ARM64_REG_CP_REG (raw accesses: no side effects). */
static const struct {
	struct engine_sysreg r;
	size_t off;
} cp_sysregs[] = {
	{ SR_SCTLR_EL1, offsetof(struct engine_el1_sysregs, sctlr) },
	{ SR_TCR_EL1, offsetof(struct engine_el1_sysregs, tcr) },
	{ SR(3, 0, 10, 3, 0), offsetof(struct engine_el1_sysregs, amair) },
	{ SR_SPSR_EL1, offsetof(struct engine_el1_sysregs, spsr) },
	{ SR(3, 0, 13, 0, 1), offsetof(struct engine_el1_sysregs, contextidr) },
	{ SR(3, 0, 14, 1, 0), offsetof(struct engine_el1_sysregs, cntkctl) },
	{ SR(3, 0, 5, 1, 0), offsetof(struct engine_el1_sysregs, afsr0) },
	{ SR(3, 0, 5, 1, 1), offsetof(struct engine_el1_sysregs, afsr1) },
	{ SR(3, 2, 0, 0, 0), offsetof(struct engine_el1_sysregs, csselr) },
	{ SR_MDSCR_EL1, offsetof(struct engine_el1_sysregs, mdscr) },
};

#define N_NAMED (sizeof(named_sysregs) / sizeof(named_sysregs[0]))
#define N_CP	(sizeof(cp_sysregs) / sizeof(cp_sysregs[0]))

static uint64_t *sysreg_field(struct engine_el1_sysregs *s, size_t off)
{
	return (uint64_t *)((char *)s + off);
}

/* CTL with ISTATUS (bit 2) computed: enabled and CVAL reached. */
uint64_t engine_timer_ctl(struct engine *e, uint64_t ctl, uint64_t cval)
{
	ctl &= 3;
	if ((ctl & 1) && engine_sr_read(e, SR_CNTVCT_EL0) >= cval)
		ctl |= 4;
	return ctl;
}

static void read_key(struct engine *e, struct engine_key *k)
{
	uint32_t cpacr = 0;

	k->el = (engine_reg(e, UC_ARM64_REG_PSTATE) >> 2) & 3;
	k->sctlr = engine_sr_read(e, SR_SCTLR_EL1);
	k->tcr = engine_sr_read(e, SR_TCR_EL1);
	uc_reg_read(e->uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
	k->cpacr = cpacr;
	k->mdscr = engine_sr_read(e, SR_MDSCR_EL1);
	k->ttbr0 = engine_reg(e, UC_ARM64_REG_TTBR0_EL1);
	k->ttbr1 = engine_reg(e, UC_ARM64_REG_TTBR1_EL1);
	k->mair = engine_reg(e, UC_ARM64_REG_MAIR_EL1);
}

static void state_key(const struct engine_cpu_state *s, struct engine_key *k)
{
	k->el = (s->pstate >> 2) & 3;
	k->sctlr = s->el1.sctlr;
	k->tcr = s->el1.tcr;
	k->cpacr = (uint32_t)s->el1.cpacr;
	k->mdscr = s->el1.mdscr;
	k->ttbr0 = s->el1.ttbr0;
	k->ttbr1 = s->el1.ttbr1;
	k->mair = s->el1.mair;
}

static bool key_needs_rebuild(const struct engine_key *a, const struct engine_key *b)
{
	return a->el != b->el || a->sctlr != b->sctlr || a->tcr != b->tcr || a->cpacr != b->cpacr ||
	       a->mdscr != b->mdscr;
}

static bool key_needs_tlbi(const struct engine_key *a, const struct engine_key *b)
{
	return key_needs_rebuild(a, b) || a->ttbr0 != b->ttbr0 || a->ttbr1 != b->ttbr1 ||
	       a->mair != b->mair;
}

/*
 * The ERET trampoline. Precondition: mode flags built for EL1 and every
 * register of the target state already written (PSTATE is set to EL1h
 * here and the target's SP must be in the SP_EL0/SP_EL1 banks; the ERET
 * moves it into place). Afterwards PC must be rewritten by the caller.
 */
int engine_trampoline(struct engine *e, uint64_t target_pstate)
{
	uint64_t sctlr = engine_sr_read(e, SR_SCTLR_EL1);
	uint64_t elr = engine_reg(e, UC_ARM64_REG_ELR_EL1), spsr = engine_sr_read(e, SR_SPSR_EL1);
	uint64_t exit_pc = ENGINE_ERET_PA + 4;
	uc_err err;
	int ret = 0;

	engine_reg_set(e, UC_ARM64_REG_SP, engine_reg(e, UC_ARM64_REG_SP_EL1));
	engine_reg_set(e, UC_ARM64_REG_PSTATE, ENGINE_PSTATE_RESET);
	/*
	 * Stage 1 off; nTWI set because Unicorn stops at an exit address by
	 * imitating a WFI, which SCTLR_EL1.nTWI = 0 would trap at EL0.
	 */
	engine_sr_write(e, SR_SCTLR_EL1, (sctlr & ~SCTLR_M) | SCTLR_NTWI);
	engine_sr_write(e, SR_HCR_EL2, HCR_EL2_RW); /* VM off: flushes the TLB */
	engine_reg_set(e, UC_ARM64_REG_ELR_EL1, exit_pc);
	engine_sr_write(e, SR_SPSR_EL1, target_pstate);
	uc_ctl_set_exits(e->uc, &exit_pc, 1);
	e->mode = MODE_TRAMPOLINE;
	e->intr_seen = false;
	e->gate_hit = false;
	err = uc_emu_start(e->uc, ENGINE_ERET_PA, 0, 0, 0);
	e->mode = MODE_IDLE;
	uc_ctl_set_exits(e->uc, NULL, 0);
	if (err != UC_ERR_OK || e->intr_seen || e->gate_hit ||
	    engine_reg(e, UC_ARM64_REG_PC) != exit_pc ||
	    ((engine_reg(e, UC_ARM64_REG_PSTATE) ^ target_pstate) & ENGINE_PSTATE_M_MASK)) {
		ret = -EIO;
	}
	engine_sr_write(e, SR_SCTLR_EL1, sctlr);
	engine_sr_write(e, SR_HCR_EL2, HCR_EL2_RW | HCR_EL2_VM);
	engine_reg_set(e, UC_ARM64_REG_ELR_EL1, elr);
	engine_sr_write(e, SR_SPSR_EL1, spsr);
	engine_tlbi(e);
	e->hf_el = (target_pstate >> 2) & 3;
	return ret;
}

/* The ids of X0..X30 and pointers to x[0..30], for uc_reg_{read,write}_batch. */
static void gpr_batch(int ids[31], void *vals[31], const uint64_t x[31])
{
	for (int i = 0; i < 29; i++)
		ids[i] = UC_ARM64_REG_X0 + i;
	ids[29] = UC_ARM64_REG_X29;
	ids[30] = UC_ARM64_REG_X30;
	for (int i = 0; i < 31; i++)
		vals[i] = (void *)&x[i];
}

static void write_gprs(struct engine *e, const struct engine_cpu_state *s)
{
	int ids[31];
	void *vals[31];

	gpr_batch(ids, vals, s->x);
	uc_reg_write_batch(e->uc, ids, vals, 31);
}

static void read_gprs(struct engine *e, struct engine_cpu_state *s)
{
	int ids[31];
	void *vals[31];

	gpr_batch(ids, vals, s->x);
	uc_reg_read_batch(e->uc, ids, vals, 31);
}

static void write_simd(struct engine *e, const struct engine_cpu_state *s)
{
	uint32_t fpcr = s->fpcr, fpsr = s->fpsr;

	for (int i = 0; i < 32; i++)
		uc_reg_write(e->uc, UC_ARM64_REG_Q0 + i, s->q[i]);
	uc_reg_write(e->uc, UC_ARM64_REG_FPCR, &fpcr);
	uc_reg_write(e->uc, UC_ARM64_REG_FPSR, &fpsr);
}

static void read_simd(struct engine *e, struct engine_cpu_state *s)
{
	for (int i = 0; i < 32; i++)
		uc_reg_read(e->uc, UC_ARM64_REG_Q0 + i, s->q[i]);
	uc_reg_read(e->uc, UC_ARM64_REG_FPCR, &s->fpcr);
	uc_reg_read(e->uc, UC_ARM64_REG_FPSR, &s->fpsr);
}

static void write_sysregs(struct engine *e, const struct engine_cpu_state *s)
{
	struct engine_el1_sysregs *r = (struct engine_el1_sysregs *)&s->el1;
	uint32_t cpacr = (uint32_t)s->el1.cpacr;

	for (size_t i = 0; i < N_NAMED; i++)
		uc_reg_write(e->uc, named_sysregs[i].id, sysreg_field(r, named_sysregs[i].off));
	for (size_t i = 0; i < N_CP; i++)
		engine_sr_write(e, cp_sysregs[i].r, *sysreg_field(r, cp_sysregs[i].off));
	uc_reg_write(e->uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
	engine_sr_write(e, SR_VMPIDR_EL2, s->vmpidr);
	e->timer = s->timer;
	e->timer.cntv_ctl &= 3;
	e->timer.cntp_ctl &= 3;
}

static void read_sysregs(struct engine *e, struct engine_cpu_state *s)
{
	uint32_t cpacr = 0;

	for (size_t i = 0; i < N_NAMED; i++)
		uc_reg_read(e->uc, named_sysregs[i].id,
			    sysreg_field(&s->el1, named_sysregs[i].off));
	for (size_t i = 0; i < N_CP; i++)
		*sysreg_field(&s->el1, cp_sysregs[i].off) = engine_sr_read(e, cp_sysregs[i].r);
	uc_reg_read(e->uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
	s->el1.cpacr = cpacr;
	s->vmpidr = engine_sr_read(e, SR_VMPIDR_EL2);
	s->timer = e->timer;
	s->timer.cntv_ctl = engine_timer_ctl(e, e->timer.cntv_ctl, e->timer.cntv_cval);
	s->timer.cntp_ctl = engine_timer_ctl(e, e->timer.cntp_ctl, e->timer.cntp_cval);
}

/* SP banks, current SP, PSTATE (QEMU keeps the live SP in SP and the other bank aside). */
static void write_sp_pstate(struct engine *e, const struct engine_cpu_state *s)
{
	bool sp_elx = ((s->pstate >> 2) & 3) != 0 && (s->pstate & 1);

	engine_reg_set(e, UC_ARM64_REG_SP_EL0, s->sp_el0);
	engine_reg_set(e, UC_ARM64_REG_SP_EL1, s->sp_el1);
	engine_reg_set(e, UC_ARM64_REG_SP, sp_elx ? s->sp_el1 : s->sp_el0);
	engine_reg_set(e, UC_ARM64_REG_PSTATE, s->pstate);
}

static bool pstate_supported(uint64_t pstate)
{
	uint64_t m = pstate & 0x1f; /* M[4] = 1 would be AArch32 */

	return m == ENGINE_PSTATE_EL0t || m == ENGINE_PSTATE_EL1t || m == ENGINE_PSTATE_EL1h;
}

static void load_stage2(struct engine *e, const struct engine_stage2 *s2, bool *tlbi)
{
	if (s2->vttbr != e->vttbr) {
		engine_sr_write(e, SR_VTTBR_EL2, s2->vttbr);
		e->vttbr = s2->vttbr;
		*tlbi = true;
	}
	if (s2->vtcr != e->vtcr) {
		/* VTCR_EL2 writes do not flush: the TLBI makes them take effect. */
		engine_sr_write(e, SR_VTCR_EL2, s2->vtcr);
		e->vtcr = s2->vtcr;
		*tlbi = true;
	}
	atomic_store(&e->loaded_vmid, (uint32_t)((s2->vttbr >> 48) & 0xffff));
}

int engine_load(struct engine *e, const struct engine_cpu_state *s, const struct engine_stage2 *s2)
{
	struct engine_key cur, want;
	bool rebuild, tlbi;
	int ret = 0;

	if (!pstate_supported(s->pstate))
		return -EINVAL;
	if (e->key_valid)
		cur = e->key;
	else
		read_key(e, &cur);
	state_key(s, &want);
	rebuild = e->hf_el != want.el || key_needs_rebuild(&cur, &want);
	tlbi = key_needs_tlbi(&cur, &want);
	if (rebuild && e->hf_el == 0) {
		/* Flags built for EL0: an ERET there is UNDEFINED. Back to EL1 first. */
		if (uc_context_restore(e->uc, e->ctx_el1) != UC_ERR_OK)
			return -EIO;
		engine_sr_write(e, SR_VTTBR_EL2, e->vttbr);
		engine_sr_write(e, SR_VTCR_EL2, e->vtcr);
		e->hf_el = 1;
	}
	if (s2)
		load_stage2(e, s2, &tlbi);
	write_gprs(e, s);
	write_simd(e, s);
	write_sysregs(e, s);
	write_sp_pstate(e, s);
	if (rebuild) {
		ret = engine_trampoline(e, s->pstate);
		write_sp_pstate(e, s);
	} else if (tlbi) {
		engine_tlbi(e);
	}
	engine_reg_set(e, UC_ARM64_REG_PC, s->pc);
	if (tlbi)
		engine_wfe_cache_clear(e);
	e->key = want;
	e->key_valid = true;
	return ret;
}

void engine_save(struct engine *e, struct engine_cpu_state *s)
{
	uint64_t el;

	read_gprs(e, s);
	read_simd(e, s);
	read_sysregs(e, s);
	s->pc = engine_reg(e, UC_ARM64_REG_PC);
	s->pstate = engine_reg(e, UC_ARM64_REG_PSTATE) & 0xffffffffULL;
	el = (s->pstate >> 2) & 3;
	if (el != 0 && (s->pstate & 1)) {
		s->sp_el1 = engine_reg(e, UC_ARM64_REG_SP);
		s->sp_el0 = engine_reg(e, UC_ARM64_REG_SP_EL0);
	} else {
		s->sp_el0 = engine_reg(e, UC_ARM64_REG_SP);
		s->sp_el1 = engine_reg(e, UC_ARM64_REG_SP_EL1);
	}
	state_key(s, &e->key);
	e->key_valid = true;
}

/* ---- register access ---- */

static int xreg_id(unsigned int n)
{
	if (n < 29)
		return UC_ARM64_REG_X0 + (int)n;
	return n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

uint64_t engine_get_x(struct engine *e, unsigned int n)
{
	return n < 31 ? engine_reg(e, xreg_id(n)) : 0;
}

void engine_set_x(struct engine *e, unsigned int n, uint64_t v)
{
	if (n < 31)
		engine_reg_set(e, xreg_id(n), v);
}

uint64_t engine_get_pc(struct engine *e)
{
	return engine_reg(e, UC_ARM64_REG_PC);
}

void engine_set_pc(struct engine *e, uint64_t pc)
{
	engine_reg_set(e, UC_ARM64_REG_PC, pc);
}

uint64_t engine_get_pstate(struct engine *e)
{
	return engine_reg(e, UC_ARM64_REG_PSTATE) & 0xffffffffULL;
}

int engine_complete_mmio(struct engine *e, const struct engine_exit *exit, uint64_t value)
{
	const struct engine_dabt *d = &exit->dabt;
	unsigned int bits = 8u << d->sas;

	if (exit->reason != ENGINE_EXIT_S2_DABT || !d->isv)
		return -EINVAL;
	if (!d->wnr && d->srt != 31) {
		if (bits < 64)
			value &= (1ULL << bits) - 1;
		if (d->sse && bits < 64 && (value >> (bits - 1)) & 1)
			value |= ~0ULL << bits;
		if (!d->sf)
			value &= 0xffffffffULL;
		engine_set_x(e, d->srt, value);
	}
	engine_set_pc(e, exit->pc + 4);
	return 0;
}

/* ---- exception entry (Arm ARM D1.10, AArch64.TakeException to EL1) ---- */

static uint64_t vector_offset(uint64_t pstate, bool irq)
{
	uint64_t el = (pstate >> 2) & 3, off;

	if (el == 0)
		off = 0x400; /* lower EL, AArch64 */
	else
		off = (pstate & 1) ? 0x200 : 0x000; /* current EL with SP_ELx / SP_EL0 */
	return off + (irq ? 0x80 : 0);
}

void engine_state_take_exception(struct engine_cpu_state *s, uint64_t elr, uint64_t esr,
				 uint64_t far, bool far_valid, bool irq)
{
	s->el1.spsr = s->pstate;
	s->el1.elr = elr;
	if (!irq)
		s->el1.esr = esr;
	if (far_valid)
		s->el1.far = far;
	s->pc = s->el1.vbar + vector_offset(s->pstate, irq);
	/* NZCV unchanged; D, A, I, F set; EL1 using SP_EL1 (SP banks are in the struct). */
	s->pstate = (s->pstate & NZCV_MASK) | ENGINE_PSTATE_DAIF | ENGINE_PSTATE_EL1h;
}

static int take_exception(struct engine *e, uint64_t elr, uint64_t esr, uint64_t far,
			  bool far_valid, bool irq)
{
	uint64_t pstate = engine_get_pstate(e);
	struct engine_cpu_state s;

	if (((pstate >> 2) & 3) == 0 || e->hf_el != 1) {
		/* From EL0: the mode flags must change: go through the state. */
		engine_save(e, &s);
		engine_state_take_exception(&s, elr, esr, far, far_valid, irq);
		return engine_load(e, &s, NULL) ? -EIO : 0;
	}
	engine_sr_write(e, SR_SPSR_EL1, pstate);
	engine_reg_set(e, UC_ARM64_REG_ELR_EL1, elr);
	if (!irq)
		engine_reg_set(e, UC_ARM64_REG_ESR_EL1, esr);
	if (far_valid)
		engine_reg_set(e, UC_ARM64_REG_FAR_EL1, far);
	if (!(pstate & 1)) { /* EL1t -> EL1h: bank SP_EL0, switch to SP_EL1 */
		engine_reg_set(e, UC_ARM64_REG_SP_EL0, engine_reg(e, UC_ARM64_REG_SP));
		engine_reg_set(e, UC_ARM64_REG_SP, engine_reg(e, UC_ARM64_REG_SP_EL1));
	}
	engine_reg_set(e, UC_ARM64_REG_PSTATE,
		       (pstate & NZCV_MASK) | ENGINE_PSTATE_DAIF | ENGINE_PSTATE_EL1h);
	engine_set_pc(e, engine_reg(e, UC_ARM64_REG_VBAR_EL1) + vector_offset(pstate, irq));
	e->key_valid = false;
	return 0;
}

int engine_inject_sync(struct engine *e, uint64_t esr, uint64_t far, bool far_valid)
{
	return take_exception(e, engine_get_pc(e), esr, far, far_valid, false);
}

int engine_inject_irq(struct engine *e)
{
	if (engine_get_pstate(e) & ENGINE_PSTATE_I)
		return -EAGAIN;
	return take_exception(e, engine_get_pc(e), 0, 0, false, true);
}

int engine_deliver_guest_exception(struct engine *e, const struct engine_exit *exit)
{
	if (exit->reason != ENGINE_EXIT_GUEST_EXCEPTION)
		return -EINVAL;
	return take_exception(e, exit->elr, exit->esr, exit->far, exit->far_valid, false);
}

/* ---- VTCR_EL2 (Arm ARM D17.2.179 VTCR_EL2, 4 KB granule) ---- */

unsigned int engine_s2_root_tables(unsigned int s2sz, int start_level)
{
	/* Bits the initial lookup resolves: s2sz - (12 + 9 * (3 - level)). */
	int bits;

	if (s2sz < 32 || s2sz > 48 || start_level < 0 || start_level > 2)
		return 0;
	bits = (int)s2sz - (12 + 9 * (3 - start_level));
	/* At least 2 entries; more than 9 bits means concatenated tables, at most 16 (13 bits). */
	if (bits < 1 || bits > 13 || (start_level == 0 && bits > 9))
		return 0;
	return bits > 9 ? 1u << (bits - 9) : 1;
}

uint64_t engine_vtcr(unsigned int s2sz, int start_level)
{
	static const uint64_t sl0[3] = { 2, 1, 0 }; /* TG0 = 4 KB: SL0 0b10/01/00 = level 0/1/2 */

	if (!engine_s2_root_tables(s2sz, start_level))
		return 0;
	return (1ULL << 31)		 /* RES1 */
	       | (4ULL << 16)		 /* PS = 0b100: 44-bit PA (the CPU's PARange) */
	       | (0ULL << 14)		 /* TG0 = 4 KB */
	       | (3ULL << 12)		 /* SH0 = Inner Shareable */
	       | (1ULL << 10)		 /* ORGN0 = Write-Back */
	       | (1ULL << 8)		 /* IRGN0 = Write-Back */
	       | (sl0[start_level] << 6) /* SL0: initial lookup level */
	       | (uint64_t)(64 - s2sz);	 /* T0SZ */
}
