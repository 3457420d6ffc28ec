/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REC run loop (rmm-v1.0.md s12.1 step 15): runs the REC loaded on the
 * calling thread's CPU engine until something needs the host, handling in
 * place what the RMM handles itself (RSI and PSCI calls answered in the
 * RMM, SMCCC_VERSION, unknown SMCs, HVC -> UNDEF, SEA injection, the
 * guest's own exceptions).
 *
 * Execution lock (realm.h): held while guest code runs and while calls are
 * handled in place; released at every exit, while an untrapped WFI waits,
 * and briefly at an untrapped WFE when another vCPU of the realm waits.
 *
 * WFI and WFE that the host did not trap (TRAP_WFI/TRAP_WFE unset), against
 * the spec: on hardware they execute in the realm. WFI waits for an
 * interrupt: a virtual interrupt pending in the list registers completes it
 * at once (the realm continues); otherwise the physical CPU sleeps, with
 * the execution lock released, until a physical IRQ (a kick), the realm's
 * timer firing, or the host's scheduler tick (rec_run_set_wfi_tick_ns), and
 * each of those is a physical interrupt taken to the host: the REC exits
 * with IRQ, PC past the WFI (s12.2 "Physical IRQ"). WFE is a hint that may
 * complete at any time; realmkit treats it as a yield point (another vCPU
 * of the realm may run, e.g. the holder of a guest spinlock), then the
 * realm continues. Neither is reported as SYNC, which only a trapped WFx is.
 *
 * Timers (s12.9): TF-RMM checks before every entry into the realm whether
 * a timer output changed since the last exit and, while the realm runs,
 * takes the timer's physical interrupt. The engine raises no interrupt, so
 * the loop checks at REC_ENTER, at every slice of rec_run_set_timer_poll()
 * instructions, at WFI, and at exits handled in place once TIMER_CHECK_NS
 * passed since the last check (a check saves the state: ~0.6 us); a change
 * exits with IRQ.
 *
 * Budget (issue 4: a spinning guest never holds a host thread): the
 * engine counts instructions per engine_run(), and every exit handled in
 * place starts a new count, so such an exit is charged EXIT_CHARGE
 * instructions; and since a guest may spend its instructions between exits
 * the count does not see, an entry also ends after rec_run_set_slice_ns()
 * of wall time (the host's scheduler tick). Both end in an IRQ exit; a
 * budget of 0 disables both.
 */
#include <stdio.h>

#include <realmkit/abi/smccc.h>

#include "rec_run_priv.h"

/* A WFE yields the execution lock only after the holder ran this long. */
#define WFE_MIN_SLICE_NS 50000ULL
/* Timer checks at exits handled in place: at most one per this interval. */
#define TIMER_CHECK_NS 100000ULL
/* Instructions an exit handled in place costs the budget. */
#define EXIT_CHARGE 100ULL

static _Atomic uint64_t cfg_budget = REC_RUN_DEFAULT_BUDGET;
static _Atomic uint64_t cfg_slice_ns = REC_RUN_DEFAULT_SLICE_NS;
static _Atomic uint64_t cfg_timer_poll = REC_RUN_DEFAULT_TIMER_POLL;
static _Atomic uint64_t cfg_wfi_tick_ns = REC_RUN_DEFAULT_WFI_TICK_NS;
static _Atomic(rec_run_guest_hook) guest_hook;

void rec_run_set_budget(uint64_t insns)
{
	atomic_store(&cfg_budget, insns);
}

uint64_t rec_run_budget(void)
{
	return atomic_load(&cfg_budget);
}

void rec_run_set_slice_ns(uint64_t ns)
{
	atomic_store(&cfg_slice_ns, ns);
}

void rec_run_set_timer_poll(uint64_t insns)
{
	atomic_store(&cfg_timer_poll, insns ? insns : REC_RUN_DEFAULT_TIMER_POLL);
}

void rec_run_set_wfi_tick_ns(uint64_t ns)
{
	atomic_store(&cfg_wfi_tick_ns, ns);
}

void rec_run_set_guest_hook(rec_run_guest_hook fn)
{
	atomic_store(&guest_hook, fn);
}

void rec_run_exec_lock(struct rec_run *run)
{
	if (run->xlock_held)
		return;
	realm_exec_lock(&run->ctx.rd->exec_lock);
	run->xlock_held = true;
	run->xlock_since_ns = pcpu_now_ns();
}

void rec_run_exec_unlock(struct rec_run *run)
{
	if (!run->xlock_held)
		return;
	run->xlock_held = false;
	realm_exec_unlock(&run->ctx.rd->exec_lock);
}

bool rec_irq_pending(const struct rec_ctx *ctx)
{
	(void)ctx;
	/* The REC runs on the calling thread: its physical CPU (REC_ENTER got it). */
	return pcpu_irq_pending(platform_this_cpu());
}

static void exit_irq(struct rec_run *run)
{
	/* s12.2: IRQ exit, esr/far/hpfar/gprs 0; PC unchanged. */
	run->ctx.exit->exit_reason = RMI_EXIT_IRQ;
}

/*
 * s12.9: exits with IRQ if a timer output changed since the last check.
 * Saves the state from the engine (the guest may have reprogrammed the
 * timers); the saved copy is also what the exit reports.
 */
static bool timers_changed(struct rec_run *run)
{
	unsigned int now;

	engine_save(run->ctx.engine, &run->st);
	run->timer_check_ns = pcpu_now_ns();
	now = rec_timers_asserted(&run->st.timer);
	if (now == run->timers_seen)
		return false;
	run->timers_seen = now;
	return true;
}

/* ---- SMC (rmm-v1.0.md s1) ---- */

static void smc_return(struct rec_run *run, uint64_t x0)
{
	/* TF-RMM handle_realm_rsi: X0 = result, X1..X3 = 0, X4.. preserved. */
	rec_set_x(&run->ctx, 0, x0);
	for (unsigned int i = 1; i < 4; i++)
		rec_set_x(&run->ctx, i, 0);
}

/* Returns true if the realm continues, false if the REC exits (ctx.exit filled in). */
static bool handle_smc(struct rec_run *run, const struct engine_exit *x)
{
	/* s1: the function ID is W0; the SVE hint is ignored. */
	uint64_t fid = smccc_clear_sve_hint((uint32_t)rec_x(&run->ctx, 0));
	enum rec_smc_outcome out;

	if (fid == SMCCC_VERSION_FID) {
		smc_return(run, SMCCC_VERSION_1_2);
		return true;
	}
	if (psci_is_psci_call(fid))
		out = psci_handle(&run->ctx, fid);
	else if (rsi_is_rsi_call(fid))
		out = rsi_handle(&run->ctx, fid);
	else {
		/* s1: any other FID (RMI ones too) -> SMCCC_NOT_SUPPORTED, no exit. */
		smc_return(run, SMCCC_NOT_SUPPORTED);
		return true;
	}
	if (out == REC_SMC_RETURN)
		return true;
	/* s12.6: the SMC runs again once the host resolved the fault. */
	if (out == REC_SMC_EXIT_REPEAT)
		engine_set_pc(run->ctx.engine, x->pc);
	return false;
}

/* ---- WFI / WFE ---- */

static void exit_wfx(struct rec_run *run, const struct engine_exit *x)
{
	/* s12.2 / TF-RMM: ESR masked to EC and TI; PC already past the WFx. */
	run->ctx.exit->exit_reason = RMI_EXIT_SYNC;
	run->ctx.exit->esr = x->esr & ((0x3fULL << ENGINE_ESR_EC_SHIFT) | 1);
	run->ctx.rec->last_exit.esr = x->esr;
}

/* Untrapped WFI (see the header comment). Returns true if the realm continues. */
static bool wfi_wait(struct rec_run *run)
{
	uint64_t deadline, tick;

	if (timers_changed(run) || pcpu_irq_pending(run->cpu)) {
		exit_irq(run);
		return false;
	}
	if (rec_gic_irq_pending(run->ctx.rec))
		return true;
	deadline = rec_timers_deadline_ns(&run->st.timer);
	tick = pcpu_now_ns() + atomic_load(&cfg_wfi_tick_ns);
	rec_run_exec_unlock(run);
	pcpu_wait_irq(run->cpu, deadline < tick ? deadline : tick);
	/* A kick, the timer or the tick: each is a physical IRQ for the host. */
	exit_irq(run);
	return false;
}

/* Untrapped WFE: a yield point. Returns true if the realm continues. */
static bool wfe_yield(struct rec_run *run)
{
	if (pcpu_irq_pending(run->cpu)) {
		exit_irq(run);
		return false;
	}
	if (realm_exec_lock_contended(&run->ctx.rd->exec_lock) &&
	    pcpu_now_ns() - run->xlock_since_ns >= WFE_MIN_SLICE_NS) {
		rec_run_exec_unlock(run);
		rec_run_exec_lock(run);
	}
	return true;
}

/* ---- The loop ---- */

static uint64_t next_slice(struct rec_run *run)
{
	uint64_t poll = atomic_load(&cfg_timer_poll);

	if (run->budget_unlimited || run->budget_left > poll)
		return poll;
	return run->budget_left;
}

/*
 * After an exit the realm continues from: charges `insns` to the budget and
 * checks the wall-clock slice and (every slice, or every TIMER_CHECK_NS)
 * the timers. Returns false with an IRQ exit when the entry must end.
 */
static bool account(struct rec_run *run, uint64_t insns, bool slice_end)
{
	uint64_t now = pcpu_now_ns(), slice_ns = atomic_load(&cfg_slice_ns);

	if (!run->budget_unlimited) {
		run->budget_left -= insns < run->budget_left ? insns : run->budget_left;
		if (run->budget_left == 0 || (slice_ns && now - run->entry_ns >= slice_ns)) {
			exit_irq(run);
			return false;
		}
	}
	if ((slice_end || now - run->timer_check_ns >= TIMER_CHECK_NS) && timers_changed(run)) {
		exit_irq(run);
		return false;
	}
	return true;
}

static bool run_guest(struct rec_run *run, uint64_t slice, struct engine_exit *x)
{
	struct engine_run_opts opts = { .budget = slice, .trap_wfe = true };
	rec_run_guest_hook hook = atomic_load(&guest_hook);
	int err;

	rec_run_exec_lock(run);
	if (hook)
		hook(run->ctx.rd, true);
	err = engine_run(run->ctx.engine, &opts, x);
	if (hook)
		hook(run->ctx.rd, false);
	if (err) {
		fprintf(stderr, "rmm: REC %#llx: CPU engine failed (%d, %s) at PC %#llx\n",
			(unsigned long long)granule_addr(run->ctx.g_rec).v, err,
			engine_exit_name(x->reason), (unsigned long long)x->pc);
		return false;
	}
	return true;
}

/* One engine exit: true to keep running, false to stop (*failed on engine failure). */
static bool handle_exit(struct rec_run *run, const struct engine_exit *x, uint64_t slice,
			bool *failed)
{
	struct engine *e = run->ctx.engine;

	switch (x->reason) {
	case ENGINE_EXIT_SMC:
		return handle_smc(run, x);
	case ENGINE_EXIT_HVC:
		/*
		 * s1: UNDEF (EC 0, IL) in the realm, no exit. As TF-RMM
		 * (realm_inject_undef_abort): ELR = the HVC's preferred return
		 * address, the next instruction, where the engine's PC is.
		 */
		*failed = engine_inject_sync(e, ENGINE_ESR_IL, 0, false) != 0;
		return !*failed;
	case ENGINE_EXIT_S2_DABT:
	case ENGINE_EXIT_S2_IABT:
		switch (rec_handle_s2_abort(run, x)) {
		case REC_ABORT_RETRY:
		case REC_ABORT_SEA:
			return true;
		case REC_ABORT_EXIT:
			return false;
		case REC_ABORT_FAILED:
			break;
		}
		*failed = true;
		return false;
	case ENGINE_EXIT_GUEST_EXCEPTION:
		/* SVC, UNDEF, stage-1 aborts...: the realm's own vectors. */
		*failed = engine_deliver_guest_exception(e, x) != 0;
		return !*failed;
	case ENGINE_EXIT_WFI:
		if (run->flags & REC_ENTER_FLAG_TRAP_WFI) {
			exit_wfx(run, x);
			return false;
		}
		return wfi_wait(run);
	case ENGINE_EXIT_WFE:
		if (run->flags & REC_ENTER_FLAG_TRAP_WFE) {
			exit_wfx(run, x);
			return false;
		}
		return wfe_yield(run);
	case ENGINE_EXIT_BUDGET:
		return account(run, slice, true);
	case ENGINE_EXIT_KICK:
		/* A kick that an earlier IRQ exit already took is spurious: go on. */
		if (!pcpu_irq_pending(run->cpu))
			return true;
		exit_irq(run);
		return false;
	case ENGINE_EXIT_NONE:
	case ENGINE_EXIT_ERROR:
		break;
	}
	*failed = true;
	return false;
}

bool rec_run_loop(struct rec_run *run)
{
	struct engine_exit x;
	bool failed = false;

	run->entry_ns = run->timer_check_ns = pcpu_now_ns();
	for (;;) {
		uint64_t slice = next_slice(run);

		/* s12.2: a pending physical IRQ ends the run before the next instruction. */
		if (pcpu_irq_pending(run->cpu)) {
			exit_irq(run);
			break;
		}
		if (!run_guest(run, slice, &x)) {
			failed = true;
			break;
		}
		if (!handle_exit(run, &x, slice, &failed))
			break;
		if (x.reason != ENGINE_EXIT_BUDGET && !account(run, EXIT_CHARGE, false))
			break;
	}
	rec_run_exec_unlock(run);
	return !failed;
}
