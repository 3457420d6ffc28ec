/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REC_ENTER (rmm-v1.0.md s12.1, s12.2, s12.7-s12.9; failure-conditions
 * s2.11, s5.3-s5.10): the checks in the reference order, the completions of
 * the last exit, then the run loop (rec_loop.c) on the calling thread's CPU
 * engine, and the exit written back to the host's RmiRecRun.
 *
 * The REC's architectural state is in its granules (rec.h) whenever the REC
 * is not on the engine: REC_ENTER reads it into a struct engine_cpu_state,
 * applies the completions there, writes it back, loads it on the engine,
 * and saves it from the engine into the REC and aux granule 0 at the exit.
 * A failing REC_ENTER (s12.1 steps 2-10) returns before any completion, so
 * nothing pending is consumed.
 *
 * Failures of realmkit itself, which the spec does not know (no CPU engine
 * can be created, the engine fails: both print why on stderr), return
 * RMI_ERROR_REC, which a host treats as fatal for the vCPU; the REC's state
 * is then the one it had before the run (with the completions applied).
 */
#include <stdio.h>
#include <string.h>

#include <realmkit/abi/rsi.h>
#include <realmkit/platform.h>

#include "realm_mem.h"
#include "rec_run_priv.h"
#include "rmm_priv.h"

#define REC_RUN_EXIT_OFFSET offsetof(struct rmi_rec_run, exit)

/*
 * s12.1 steps 5-10 in the reference order of failure-conditions s2.11:
 * realm NEW / SYSTEM_OFF -> not runnable -> PSCI pending -> GIC state ->
 * INJECT_SEA -> EMUL_MMIO. Returns the packed status.
 */
static uint64_t rec_enter_check(const struct rec *rec, const struct rd *rd,
				const struct rmi_rec_enter *enter)
{
	switch (realm_state(rd)) {
	case RMI_REALM_STATE_NEW:
		return rmi_ret(RMI_ERROR_REALM, 0); /* s3: index 0 = NEW */
	case RMI_REALM_STATE_SYSTEM_OFF:
		return rmi_ret(RMI_ERROR_REALM, 1); /* s3: index 1 = SYSTEM_OFF */
	default:
		break;
	}
	if (!rec->runnable)
		return rmi_ret(RMI_ERROR_REC, 0);
	/* s7.4: a REC with a PSCI request pending cannot be entered. */
	if (rec->psci.pending)
		return rmi_ret(RMI_ERROR_REC, 0);
	if (!rec_gic_state_valid(enter))
		return rmi_ret(RMI_ERROR_REC, 0);
	/* s12.1 step 9: only after a data abort at an unprotected IPA. */
	if ((enter->flags & REC_ENTER_FLAG_INJECT_SEA) && !rec_last_exit_is_unprotected_dabt(rec))
		return rmi_ret(RMI_ERROR_REC, 0);
	/*
	 * s12.1 step 10: only after an emulatable data abort. TF-RMM
	 * complete_mmio_emulation: with INJECT_SEA (valid) EMUL_MMIO is
	 * ignored, since SEA injection takes the place of the access.
	 */
	if ((enter->flags & REC_ENTER_FLAG_EMUL_MMIO) &&
	    !(enter->flags & REC_ENTER_FLAG_INJECT_SEA) && !rec_last_exit_is_emulatable(rec))
		return rmi_ret(RMI_ERROR_REC, 0);
	return rmi_ret(RMI_SUCCESS, 0);
}

/* s12.1 step 11 / s11.3 "Completion on REC_ENTER". */
static void complete_ripas_change(struct rec *rec, uint64_t flags, struct engine_cpu_state *st)
{
	rec->ripas.response = (flags & REC_ENTER_FLAG_RIPAS_RESPONSE) ? RMI_REJECT : RMI_ACCEPT;
	if (!rec_ripas_change_pending(rec))
		return;
	st->x[0] = RSI_SUCCESS;
	st->x[1] = rec->ripas.addr;
	/* REJECT only for a RAM request the host did not complete. */
	st->x[2] = (rec->ripas.ripas == RMI_RAM && rec->ripas.addr != rec->ripas.top &&
		    rec->ripas.response == RMI_REJECT)
			   ? RSI_REJECT
			   : RSI_ACCEPT;
	rec->ripas.base = 0;
	rec->ripas.top = 0;
	rec->ripas.addr = 0;
}

/*
 * s12.1 step 13 / s12.5: enter.gprs[0..30] into the realm's RsiHostCall.gprs
 * and X0 = SUCCESS. Returns false if the structure's granule is not mapped
 * (RIPAS RAM unassigned, or DESTROYED): then run->ctx.exit holds the
 * emulated stage-2 abort (s12.6) and the host call stays pending.
 */
static bool complete_host_call(struct rec_run *run, const struct rmi_rec_enter *enter)
{
	struct rec *rec = run->ctx.rec;
	uint64_t gprs[RSI_HOST_CALL_NR_GPRS];
	enum realm_mem_status st;
	int level = 0;

	if (!rec->host_call.pending)
		return true;
	memcpy(gprs, enter->gprs, sizeof(gprs));
	st = realm_mem_copy(&rec->s2_ctx, rec->host_call.ipa + offsetof(struct rsi_host_call, gprs),
			    gprs, sizeof(gprs), true, &level);
	if (st == REALM_MEM_UNMAPPED) {
		rec_exit_emulated_s2_abort(&run->ctx, rec->host_call.ipa, level);
		return false;
	}
	/*
	 * RIPAS EMPTY since the call: nothing can be written; as TF-RMM
	 * (complete_rsi_host_call), the call completes and the realm takes
	 * an abort if it touches the structure.
	 */
	run->st.x[0] = RSI_SUCCESS;
	rec->host_call.pending = false;
	return true;
}

/* s12.1 steps 8-14 once every check passed. Returns false if the REC must not run. */
static bool rec_enter_complete(struct rec_run *run, const struct rmi_rec_enter *enter)
{
	struct rec *rec = run->ctx.rec;

	rec_gic_load(rec, enter);
	if (enter->flags & REC_ENTER_FLAG_INJECT_SEA)
		rec_inject_sea_state(rec, &run->st);
	else if (enter->flags & REC_ENTER_FLAG_EMUL_MMIO)
		rec_complete_mmio_state(rec, enter->gprs[0], &run->st);
	complete_ripas_change(rec, enter->flags, &run->st);
	/*
	 * Step 12 (a trapped system-register read completed with
	 * enter.gprs[0]): no v1.0 trap that reaches the host is a read
	 * (s12.2), so there is nothing to complete.
	 */
	if (!complete_host_call(run, enter))
		return false;
	/* Step 14: the last exit's syndrome is consumed. */
	memset(&rec->last_exit, 0, sizeof(rec->last_exit));
	return true;
}

static bool rec_load(struct rec_run *run)
{
	const struct rd *rd = run->ctx.rd;
	struct engine_stage2 s2 = {
		.vttbr = engine_vttbr(pa_of(rd->rtt_base), rd->vmid),
		.vtcr = engine_vtcr(rd->s2sz, rd->start_level),
	};

	if (!s2.vtcr) {
		fprintf(stderr, "rmm: realm geometry (s2sz %u, level %d) not runnable\n", rd->s2sz,
			rd->start_level);
		return false;
	}
	if (rec_engine_load(run->ctx.engine, pcpu_engine_serial(run->cpu), &run->st, &s2) != 0) {
		fprintf(stderr, "rmm: REC state could not be loaded (PSTATE %#llx)\n",
			(unsigned long long)run->st.pstate);
		return false;
	}
	return true;
}

/*
 * s12.9 before the first instruction: a timer output that changed since the
 * last exit (e.g. the timer fired while the host was away) exits with IRQ.
 */
static bool timers_changed_at_entry(struct rec_run *run)
{
	unsigned int before = rec_timers_asserted(&run->st.timer);

	run->timers_seen = rec_timers_asserted_now(&run->st.timer);
	return run->timers_seen != before;
}

/* Steps 15-16 (up to the write-back). Returns false if the engine failed. */
static bool rec_enter_run(struct rec_run *run)
{
	bool ok;

	run->budget_left = rec_run_budget();
	run->budget_unlimited = run->budget_left == 0;
	if (timers_changed_at_entry(run)) {
		/* The exit reports the timers with ISTATUS as of now. */
		rec_timers_refresh(&run->st.timer);
		rec_state_to_rec(run->ctx.rec, &run->st);
		run->ctx.exit->exit_reason = RMI_EXIT_IRQ;
		return true;
	}
	ok = rec_load(run) && rec_run_loop(run);
	if (!ok) {
		/* engine.h: after a failure the engine must be destroyed. */
		rec_engine_forget();
		pcpu_engine_discard(run->cpu);
		return false;
	}
	/* ARCHITECTURE.md: no REC state lives only in an engine. */
	engine_save(run->ctx.engine, &run->st);
	rec_engine_saved(pcpu_engine_serial(run->cpu), &run->st);
	rec_state_to_rec(run->ctx.rec, &run->st);
	/* The IRQ exit takes the physical interrupt that caused it. */
	if (run->ctx.exit->exit_reason == RMI_EXIT_IRQ)
		pcpu_irq_take(run->cpu);
	return true;
}

/* Everything after the checks, with the REC marked running. Returns the packed status. */
static uint64_t rec_enter_running(struct rec_run *run, const struct rmi_rec_enter *enter,
				  pa_t run_pa)
{
	struct rec *rec = run->ctx.rec;
	uint64_t ret = rec_enter_check(rec, run->ctx.rd, enter);

	if (ret != rmi_ret(RMI_SUCCESS, 0))
		return ret;
	run->cpu = platform_this_cpu();
	run->ctx.engine = pcpu_engine(run->cpu, rmm_boot_epoch());
	/* An internal failure, before anything is consumed. */
	if (!run->ctx.engine)
		return rmi_ret(RMI_ERROR_REC, 0);
	run->flags = enter->flags;
	rec_state_from_rec(rec, &run->st);
	if (rec_enter_complete(run, enter)) {
		rec_state_to_rec(rec, &run->st);
		if (!rec_enter_run(run))
			return rmi_ret(RMI_ERROR_REC, 0);
	} else {
		/* s12.1 step 13: the emulated abort exit, without running the REC. */
		rec_state_to_rec(rec, &run->st);
	}
	rec_exit_fill_common(rec, run->ctx.exit);
	/* s12.1 step 16: only the exit half; a write fault -> E_INPUT. */
	if (rmm_ns_write(pa_add(run_pa, REC_RUN_EXIT_OFFSET), run->ctx.exit,
			 sizeof(*run->ctx.exit)) != 0)
		return rmi_ret(RMI_ERROR_INPUT, 0);
	return rmi_ret(RMI_SUCCESS, 0);
}

/*
 * Reference order (failure-conditions s2.11): run granule (aligned,
 * tracked, NS) -> REC granule (E_INPUT) -> REC running (E_REC) -> read
 * `enter` (E_INPUT) -> rec_enter_check().
 */
void smc_rec_enter(const uint64_t args[6], struct smc_result *res)
{
	pa_t rec_pa = pa_of(args[0]), run_pa = pa_of(args[1]);
	struct rmi_rec_enter enter;
	struct rmi_rec_exit exit;
	struct rec_run run;
	struct granule *g_run, *g_rec;

	/* Step 1: the exit returned to the host starts all zero. */
	memset(&exit, 0, sizeof(exit));
	memset(&run, 0, sizeof(run));
	/*
	 * Step 2: run_align, run_bound, run_pas: a tracked granule in state NS
	 * whose PAS is NS (the Secure carve-out is tracked but never NS PAS).
	 */
	g_run = find_granule(run_pa);
	if (!g_run || granule_get_state(g_run) != GRANULE_STATE_NS ||
	    platform_pas(run_pa) != RK_PAS_NS) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* Step 3: a REC granule (E_INPUT), not running (E_REC); mark it running. */
	g_rec = find_lock_granule(rec_pa, GRANULE_STATE_REC);
	if (!g_rec) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	if (granule_refcount_read(g_rec) != 0) {
		granule_unlock(g_rec);
		res->x[0] = rmi_ret(RMI_ERROR_REC, 0);
		return;
	}
	granule_refcount_inc(g_rec);
	granule_unlock(g_rec);
	/* Step 4: read `enter` (E_INPUT on a fault). */
	if (rmm_ns_read(run_pa, &enter, sizeof(enter)) != 0) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
	} else {
		run.ctx.g_rec = g_rec;
		run.ctx.rec = rec_of(g_rec);
		run.ctx.g_rd = find_granule(pa_of(run.ctx.rec->rd_pa));
		assert(run.ctx.g_rd); /* a REC references its live RD (s16.3) */
		run.ctx.rd = rd_of(run.ctx.g_rd);
		run.ctx.exit = &exit;
		res->x[0] = rec_enter_running(&run, &enter, run_pa);
	}
	/* s16.3: not running any more; store-release pairs with the acquire readers. */
	granule_refcount_dec_release(g_rec);
}
