/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CPU engine: creation, hooks, the run loop, kicks and cross-thread
 * maintenance (see engine.h). The measured recipe this follows is
 * ../shared/reference/unicorn-2.0.1.md, "Stage 2 and precise faults".
 *
 * Hook rules that keep PC exact (reference §6 and "M1 (b, f)"):
 *  - uc_emu_stop() only from the INTR hook and the block hook, on the
 *    engine thread; never from another thread or from an MMIO callback;
 *  - no hook ever writes PC: a PC write inside any hook sets Unicorn's
 *    quit_request, which cancels every uc_emu_stop() until the current
 *    cpu_exec() returns (measured: an SMC after a PC-writing MRS hook in
 *    the same block was consumed and the guest ran on). The timer MRS/MSR
 *    hook therefore "skips" the access (return 1) without touching PC,
 *    which works for system registers Unicorn implements;
 *  - a stop in the block hook happens before the block executes, so PC is
 *    the block's first instruction and nothing is executed twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_priv.h"
#include "insn_decode.h"
#include "platform_root.h"

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct engine *registry_head;
static atomic_uint next_id;

/*
 * Per-VMID invalidation generation: bumped by every engines_invalidate_vmid()
 * (and so every platform_tlbi_vmid()) before it reaches the engines.
 */
#define ENGINE_VMIDS (1u << 16)
static _Atomic uint64_t vmid_gen[ENGINE_VMIDS];

/* engine_test_skip_invalidations(): invalidations still to drop. */
static atomic_uint test_skip;

static uint64_t vmid_gen_of(uint32_t vmid)
{
	return vmid < ENGINE_VMIDS ? atomic_load(&vmid_gen[vmid]) : 0;
}

uint64_t engine_sr_read(struct engine *e, struct engine_sysreg r)
{
	uc_arm64_cp_reg cp = {
		.crn = r.crn, .crm = r.crm, .op0 = r.op0, .op1 = r.op1, .op2 = r.op2
	};

	if (uc_reg_read(e->uc, UC_ARM64_REG_CP_REG, &cp) != UC_ERR_OK)
		return 0;
	return cp.val;
}

void engine_sr_write(struct engine *e, struct engine_sysreg r, uint64_t v)
{
	uc_arm64_cp_reg cp = {
		.crn = r.crn, .crm = r.crm, .op0 = r.op0, .op1 = r.op1, .op2 = r.op2, .val = v
	};

	uc_reg_write(e->uc, UC_ARM64_REG_CP_REG, &cp);
}

uint64_t engine_reg(struct engine *e, int id)
{
	uint64_t v = 0;

	uc_reg_read(e->uc, id, &v);
	return v;
}

void engine_reg_set(struct engine *e, int id, uint64_t v)
{
	uc_reg_write(e->uc, id, &v);
}

/*
 * TLBI VMALLS12E1 (QEMU implements it as a flush of all EL1&0 translations).
 * Records the loaded VMID's generation read before the flush: the TLBI
 * covers every invalidation of that VMID up to it (engines_check_tlb_coherent()).
 * Engine thread only (the only writer of loaded_vmid); takes no lock.
 */
void engine_tlbi(struct engine *e)
{
	uint32_t vmid = atomic_load_explicit(&e->loaded_vmid, memory_order_relaxed);
	uint64_t gen = vmid_gen_of(vmid);

	engine_sr_write(e, SR_TLBI_VMALLS12, 0);
	atomic_store(&e->tlbi_vmid, vmid);
	atomic_store(&e->tlbi_gen, gen);
}

void engine_wfe_cache_clear(struct engine *e)
{
	memset(e->wfe_cache, 0, sizeof(e->wfe_cache));
}

/* ---- hooks ---- */

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct engine *e = user;

	e->intno = intno;
	e->intr_seen = true;
	uc_emu_stop(uc);
}

static bool hook_fetch_prot(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
			    void *user)
{
	(void)uc, (void)type, (void)addr, (void)size, (void)value, (void)user;
	/* The gates have no EXEC permission; the fetch itself is translated. */
	return true;
}

/* A gate access means an access bypassed translation: recorded, reported at exit. */
static uint64_t gate_read(uc_engine *uc, uint64_t off, unsigned int size, void *user)
{
	struct engine *e = user;

	(void)uc, (void)size;
	e->gate_hit = true;
	e->gate_addr = off;
	return 0;
}

static void gate_write(uc_engine *uc, uint64_t off, unsigned int size, uint64_t v, void *user)
{
	(void)v;
	gate_read(uc, off, size, user);
}

/* Does the block [va, va+size) end with WFE? (cached; WFE always ends a block) */
static bool block_ends_with_wfe(struct engine *e, uint64_t va, uint32_t size)
{
	unsigned int i = (unsigned int)(va >> 2) % ENGINE_WFE_CACHE;
	uint32_t insn;

	if (e->wfe_cache[i].va == va && e->wfe_cache[i].size == size)
		return e->wfe_cache[i].wfe;
	e->wfe_cache[i].va = va;
	e->wfe_cache[i].size = size;
	e->wfe_cache[i].wfe =
		size >= 4 && engine_fetch_insn(e, va + size - 4, &insn) && insn == INSN_WFE;
	return e->wfe_cache[i].wfe;
}

static void block_stop(struct engine *e, enum engine_stop why)
{
	e->stop = why;
	uc_emu_stop(e->uc);
}

/*
 * Runs at the start of every translation block, before it executes. Cheap
 * path: one relaxed atomic load and, with a budget, one add.
 */
static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct engine *e = user;
	uint32_t attn;
	uint64_t n = size >> 2;

	(void)uc;
	if (e->mode != MODE_GUEST)
		return;
	attn = atomic_load_explicit(&e->attn, memory_order_relaxed);
	if (attn) {
		if (!(attn & ATTN_MAINT))
			atomic_fetch_and(&e->attn, ~ATTN_KICK);
		block_stop(e, (attn & ATTN_MAINT) ? STOP_MAINT : STOP_KICK);
		return;
	}
	if (e->wfe_next) {
		bool hit = addr == e->wfe_next;

		e->wfe_next = 0;
		if (hit) {
			block_stop(e, STOP_WFE);
			return;
		}
	}
	if (e->budget) {
		if (e->executed && e->executed + n > e->budget) {
			block_stop(e, STOP_BUDGET);
			return;
		}
		e->executed += n;
	}
	if (e->trap_wfe && block_ends_with_wfe(e, addr, size))
		e->wfe_next = addr + size;
}

/* Emulated EL1 timers: Unicorn 2.0.1 discards guest writes to CNT{V,P}_{CTL,CVAL}. */
static uint64_t *timer_field(struct engine *e, const uc_arm64_cp_reg *cp, bool *virt, bool *ctl,
			     bool *tval)
{
	if (cp->op0 != 3 || cp->op1 != 3 || cp->crn != 14 || (cp->crm != 2 && cp->crm != 3) ||
	    cp->op2 > 2)
		return NULL;
	*virt = cp->crm == 3;
	*ctl = cp->op2 == 1;
	*tval = cp->op2 == 0;
	if (*ctl)
		return *virt ? &e->timer.cntv_ctl : &e->timer.cntp_ctl;
	return *virt ? &e->timer.cntv_cval : &e->timer.cntp_cval;
}

static bool timer_access_allowed(struct engine *e, bool virt)
{
	uint64_t pstate = engine_reg(e, UC_ARM64_REG_PSTATE);
	uint64_t cntkctl;

	if (((pstate >> 2) & 3) != 0)
		return true;
	/* CNTKCTL_EL1.EL0VTEN (bit 8) / EL0PTEN (bit 9); otherwise let Unicorn trap it. */
	cntkctl = engine_sr_read(e, SR(3, 0, 14, 1, 0));
	return cntkctl & (virt ? (1u << 8) : (1u << 9));
}

static uint32_t hook_sysreg(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user,
			    bool is_read)
{
	struct engine *e = user;
	bool virt, ctl, tval;
	uint64_t *f = timer_field(e, cp, &virt, &ctl, &tval);
	uint64_t cnt, v;

	if (!f || !timer_access_allowed(e, virt))
		return 0;
	cnt = engine_sr_read(e, SR_CNTVCT_EL0); /* CNTVOFF_EL2 = 0: virtual = physical */
	if (!is_read) {
		if (ctl)
			*f = cp->val & 3;
		else if (tval) /* CVAL = count + SignExtend(TVAL[31:0]) */
			*f = cnt + (uint64_t)(int64_t)(int32_t)cp->val;
		else
			*f = cp->val;
		return 1;
	}
	if (ctl)
		v = engine_timer_ctl(e, *f, virt ? e->timer.cntv_cval : e->timer.cntp_cval);
	else if (tval)
		v = (uint32_t)(*f - cnt);
	else
		v = *f;
	uc_reg_write(uc, reg, &v);
	return 1;
}

static uint32_t hook_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	return hook_sysreg(uc, reg, cp, user, true);
}

static uint32_t hook_msr(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *user)
{
	return hook_sysreg(uc, reg, cp, user, false);
}

/* ---- creation ---- */

static int map_memory(struct engine *e)
{
	uint64_t top = 1ULL << RK_PA_WIDTH, end = RK_DRAM_BASE + e->dram_size;

	/*
	 * One region for DRAM; gates for every other address (reference "M1
	 * settings"), including [2^48, 2^64 - 2^48): Unicorn checks its own
	 * map with the virtual address before the MMU translates it (issue
	 * #1718), so without a gate there a realm access to such an address
	 * would stop the engine instead of taking the architectural
	 * address-size / translation fault that the RMM routes (an SEA, s12.3).
	 */
	if (uc_mem_map_ptr(e->uc, RK_DRAM_BASE, e->dram_size, UC_PROT_ALL, e->dram) ||
	    uc_mmio_map(e->uc, 0, RK_DRAM_BASE, gate_read, e, gate_write, e) ||
	    uc_mmio_map(e->uc, end, top - end, gate_read, e, gate_write, e) ||
	    uc_mmio_map(e->uc, top, (0 - top) - top, gate_read, e, gate_write, e) ||
	    uc_mmio_map(e->uc, 0 - top, top, gate_read, e, gate_write, e))
		return -EIO;
	return 0;
}

static int add_hooks(struct engine *e)
{
	uc_hook h;

	if (uc_hook_add(e->uc, &h, UC_HOOK_INTR, (void *)hook_intr, e, 1, 0) ||
	    uc_hook_add(e->uc, &h, UC_HOOK_MEM_FETCH_PROT, (void *)hook_fetch_prot, e, 1, 0) ||
	    uc_hook_add(e->uc, &h, UC_HOOK_INSN, (void *)hook_mrs, e, 1, 0, UC_ARM64_INS_MRS) ||
	    uc_hook_add(e->uc, &h, UC_HOOK_INSN, (void *)hook_msr, e, 1, 0, UC_ARM64_INS_MSR))
		return -EIO;
	if (!(e->flags & ENGINE_CREATE_NO_ASYNC) &&
	    uc_hook_add(e->uc, &h, UC_HOOK_BLOCK, (void *)hook_block, e, 1, 0))
		return -EIO;
	return 0;
}

/*
 * Non-secure EL1 with EL2 present (SCR_EL3.NS|HCE|RW) and stage 2 on, then
 * the one-time ERET entry that rebuilds the mode flags for it (reference
 * "Mandatory one-time ERET entry").
 */
static int first_entry(struct engine *e)
{
	const uint32_t *eret = (const uint32_t *)e->dram;

	if (*eret != ENGINE_ERET_INSN)
		return -EIO; /* platform_init() writes it */
	engine_sr_write(e, SR_SCR_EL3, engine_sr_read(e, SR_SCR_EL3) | SCR_EL3_NS_HCE_RW);
	engine_sr_write(e, SR_HCR_EL2, HCR_EL2_RW | HCR_EL2_VM);
	engine_sr_write(e, SR_VTTBR_EL2, 0);
	engine_sr_write(e, SR_VTCR_EL2, engine_vtcr(40, 1));
	if (uc_ctl_exits_enable(e->uc) != UC_ERR_OK)
		return -EIO;
	if (engine_trampoline(e, ENGINE_PSTATE_RESET))
		return -EIO;
	if (uc_context_alloc(e->uc, &e->ctx_el1) || uc_context_save(e->uc, e->ctx_el1))
		return -EIO;
	e->hf_el = 1;
	return 0;
}

static void registry_add(struct engine *e)
{
	pthread_mutex_lock(&registry_lock);
	e->reg_next = registry_head;
	if (registry_head)
		registry_head->reg_prev = e;
	registry_head = e;
	pthread_mutex_unlock(&registry_lock);
}

static void registry_del(struct engine *e)
{
	pthread_mutex_lock(&registry_lock);
	if (e->reg_prev)
		e->reg_prev->reg_next = e->reg_next;
	else
		registry_head = e->reg_next;
	if (e->reg_next)
		e->reg_next->reg_prev = e->reg_prev;
	pthread_mutex_unlock(&registry_lock);
}

struct engine *engine_create_flags(unsigned int flags)
{
	struct engine *e;

	if (!platform_ready())
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->flags = flags;
	e->dram = platform_root_base();
	e->dram_size = platform_dram_size();
	e->id = atomic_fetch_add(&next_id, 1);
	atomic_init(&e->loaded_vmid, ENGINE_NO_VMID);
	atomic_init(&e->tlbi_vmid, ENGINE_NO_VMID);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &e->uc) != UC_ERR_OK)
		goto err_free;
	if (map_memory(e) || add_hooks(e) || first_entry(e))
		goto err_close;
	registry_add(e);
	return e;

err_close:
	if (e->ctx_el1)
		uc_context_free(e->ctx_el1);
	uc_close(e->uc);
err_free:
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
	free(e);
	return NULL;
}

struct engine *engine_create(void)
{
	return engine_create_flags(0);
}

void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	registry_del(e);
	uc_context_free(e->ctx_el1);
	uc_close(e->uc);
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* ---- cross-thread maintenance ---- */

static void code_invalidate_ranges(struct engine *e)
{
	uint64_t sctlr = engine_sr_read(e, SR_SCTLR_EL1);

	if (e->code_all || e->ncode > ENGINE_CODE_RANGES) {
		uc_ctl_flush_tlb(e->uc); /* really a flush of all translated code */
		return;
	}
	/*
	 * uc_ctl_remove_cache() translates its address with the current
	 * regime; with stage 1 and stage 2 off for the moment, PA = VA
	 * (reference "M1: translated-code coherence").
	 */
	engine_sr_write(e, SR_SCTLR_EL1, sctlr & ~SCTLR_M);
	engine_sr_write(e, SR_HCR_EL2, HCR_EL2_RW);
	engine_tlbi(e);
	for (unsigned int i = 0; i < e->ncode; i++)
		uc_ctl_remove_cache(e->uc, e->code[i].pa, e->code[i].pa + e->code[i].len);
	engine_sr_write(e, SR_SCTLR_EL1, sctlr);
	engine_sr_write(e, SR_HCR_EL2, HCR_EL2_RW | HCR_EL2_VM);
	engine_tlbi(e);
}

/* Engine thread, not executing guest code: performs everything requested so far. */
static void serve_maintenance(struct engine *e)
{
	pthread_mutex_lock(&e->lock);
	atomic_fetch_and(&e->attn, ~ATTN_MAINT);
	if (e->ncode || e->code_all) {
		code_invalidate_ranges(e);
		engine_wfe_cache_clear(e);
		e->ncode = 0;
		e->code_all = false;
	}
	if (e->tlbi_pending) {
		engine_tlbi(e);
		e->tlbi_pending = false;
	}
	e->maint_done = e->maint_req;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Caller holds e->lock and has recorded its request: flag it and wait as engine.h says. */
static void request_and_wait(struct engine *e)
{
	uint64_t gen = ++e->maint_req;

	atomic_fetch_or(&e->attn, ATTN_MAINT);
	atomic_fetch_add(&e->waiters, 1);
	while (e->maint_done < gen && atomic_load(&e->in_guest))
		pthread_cond_wait(&e->cond, &e->lock);
	atomic_fetch_sub(&e->waiters, 1);
}

/* Consumes one skip of engine_test_skip_invalidations(), if any is left. */
static bool test_skip_take(void)
{
	unsigned int n = atomic_load(&test_skip);

	while (n && !atomic_compare_exchange_weak(&test_skip, &n, n - 1))
		;
	return n != 0;
}

void engine_invalidate_vmid(struct engine *e, uint16_t vmid)
{
	if (atomic_load(&e->loaded_vmid) != vmid)
		return;
	if (test_skip_take())
		return; /* test only: the stale translation the checker must find */
	pthread_mutex_lock(&e->lock);
	e->tlbi_pending = true;
	request_and_wait(e);
	pthread_mutex_unlock(&e->lock);
}

void engines_invalidate_vmid(uint16_t vmid)
{
	/* Before any engine is reached: a TLBI that reads the new value covers it. */
	atomic_fetch_add(&vmid_gen[vmid], 1);
	pthread_mutex_lock(&registry_lock);
	for (struct engine *e = registry_head; e; e = e->reg_next)
		engine_invalidate_vmid(e, vmid);
	pthread_mutex_unlock(&registry_lock);
}

uint64_t engines_vmid_generation(uint16_t vmid)
{
	return vmid_gen_of(vmid);
}

unsigned int engine_id(const struct engine *e)
{
	return e->id;
}

void engine_test_skip_invalidations(unsigned int n)
{
	atomic_store(&test_skip, n);
}

/* One engine's coherence (caller holds registry_lock): true if it holds. */
static bool engine_tlb_coherent(struct engine *e, char *why, size_t len)
{
	uint32_t vmid = atomic_load(&e->loaded_vmid), tvmid;
	uint64_t gen, tgen;
	bool pending;

	if (vmid == ENGINE_NO_VMID)
		return true; /* never loaded with a stage 2 */
	pthread_mutex_lock(&e->lock);
	pending = e->tlbi_pending; /* ATTN_MAINT set: served before any guest code */
	pthread_mutex_unlock(&e->lock);
	tvmid = atomic_load(&e->tlbi_vmid);
	tgen = atomic_load(&e->tlbi_gen);
	gen = vmid_gen_of(vmid);
	if (pending || (tvmid == vmid && tgen >= gen))
		return true;
	if (len) {
		snprintf(why, len,
			 "engine %u loaded with VMID %u: last TLBI covers generation %llu of "
			 "VMID %d, VMID %u is at %llu and none is pending (stale stage-2 "
			 "translations)",
			 e->id, vmid, (unsigned long long)tgen,
			 tvmid == ENGINE_NO_VMID ? -1 : (int)tvmid, vmid, (unsigned long long)gen);
	}
	return false;
}

int engines_check_tlb_coherent(char *why, size_t len)
{
	int bad = 0;

	if (len)
		why[0] = '\0';
	pthread_mutex_lock(&registry_lock);
	for (struct engine *e = registry_head; e; e = e->reg_next) {
		if (!engine_tlb_coherent(e, why, bad ? 0 : len))
			bad++;
	}
	pthread_mutex_unlock(&registry_lock);
	return bad;
}

void engine_invalidate_code(struct engine *e, pa_t pa, uint64_t len)
{
	uint64_t start = pa.v & ~GRANULE_MASK, end = (pa.v + len + GRANULE_MASK) & ~GRANULE_MASK;

	if (!len || pa.v < RK_DRAM_BASE || end > RK_DRAM_BASE + e->dram_size)
		return; /* not DRAM: the engine cannot have translated code there */
	pthread_mutex_lock(&e->lock);
	if (e->ncode < ENGINE_CODE_RANGES) {
		e->code[e->ncode].pa = start;
		e->code[e->ncode].len = end - start;
		e->ncode++;
	} else {
		e->code_all = true;
	}
	request_and_wait(e);
	pthread_mutex_unlock(&e->lock);
}

void engines_invalidate_code(pa_t pa, uint64_t len)
{
	pthread_mutex_lock(&registry_lock);
	for (struct engine *e = registry_head; e; e = e->reg_next)
		engine_invalidate_code(e, pa, len);
	pthread_mutex_unlock(&registry_lock);
}

void engine_kick(struct engine *e)
{
	atomic_fetch_or(&e->attn, ATTN_KICK);
}

/* ---- running ---- */

static void leave_guest(struct engine *e)
{
	atomic_store(&e->in_guest, 0);
	if (atomic_load(&e->waiters)) {
		pthread_mutex_lock(&e->lock);
		pthread_cond_broadcast(&e->cond);
		pthread_mutex_unlock(&e->lock);
	}
}

/* One uc_emu_start() from the current PC, with the maintenance handshake around it. */
static uc_err run_once(struct engine *e)
{
	uc_err err;

	e->stop = STOP_NONE;
	e->intr_seen = false;
	engine_sr_write(e, SR_HPFAR_EL2, HPFAR_SENTINEL);
	e->mode = MODE_GUEST;
	atomic_store(&e->in_guest, 1);
	if (atomic_load(&e->attn) & ATTN_MAINT)
		serve_maintenance(e);
	err = uc_emu_start(e->uc, engine_reg(e, UC_ARM64_REG_PC), 0, 0, 0);
	leave_guest(e);
	e->mode = MODE_IDLE;
	return err;
}

int engine_run(struct engine *e, const struct engine_run_opts *opts, struct engine_exit *exit)
{
	uc_err err;

	memset(exit, 0, sizeof(*exit));
	e->budget = opts ? opts->budget : 0;
	e->trap_wfe = opts && opts->trap_wfe;
	e->executed = 0;
	e->wfe_next = 0;
	e->gate_hit = false;
	e->key_valid = false;
	if (e->budget && (e->flags & ENGINE_CREATE_NO_ASYNC)) {
		exit->reason = ENGINE_EXIT_ERROR;
		exit->error = -EINVAL;
		return exit->error;
	}
	do {
		err = run_once(e);
		if (e->stop == STOP_MAINT)
			serve_maintenance(e);
	} while (e->stop == STOP_MAINT && err == UC_ERR_OK && !e->gate_hit);
	return engine_classify(e, err, exit);
}

const char *engine_exit_name(enum engine_exit_reason r)
{
	static const char *const names[] = {
		[ENGINE_EXIT_NONE] = "none",
		[ENGINE_EXIT_SMC] = "smc",
		[ENGINE_EXIT_HVC] = "hvc",
		[ENGINE_EXIT_S2_DABT] = "s2-data-abort",
		[ENGINE_EXIT_S2_IABT] = "s2-insn-abort",
		[ENGINE_EXIT_GUEST_EXCEPTION] = "guest-exception",
		[ENGINE_EXIT_WFI] = "wfi",
		[ENGINE_EXIT_WFE] = "wfe",
		[ENGINE_EXIT_BUDGET] = "budget",
		[ENGINE_EXIT_KICK] = "kick",
		[ENGINE_EXIT_ERROR] = "error",
	};

	return (unsigned int)r <= ENGINE_EXIT_ERROR ? names[r] : "?";
}
