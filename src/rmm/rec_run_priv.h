/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REC_ENTER's own files (rec_run.c: the command, its checks and the
 * completions; rec_loop.c: the run loop on the CPU engine; rec_abort.c:
 * stage-2 abort routing and exception injection; rec_state.c: moving the
 * REC's state to and from the engine, the GIC and timer state of an exit),
 * plus the RMM-private knobs tests and benchmarks use.
 */
#ifndef REALMKIT_RMM_REC_RUN_PRIV_H
#define REALMKIT_RMM_REC_RUN_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>

#include "engine.h"
#include "pcpu.h"
#include "rec_run.h"

/* ---- Knobs (RMM-private; any thread, take effect at the next REC_ENTER) ---- */

/*
 * Instructions a REC may execute per REC_ENTER before it exits with
 * RMI_EXIT_IRQ, as a host's scheduler tick would make it (0 = unlimited,
 * which also disables the wall-time slice below). Counted in whole
 * translation blocks, so an exit may come a few instructions late; an exit
 * handled inside the RMM (an RSI call, an injected SEA...) counts as 100
 * instructions. Default REC_RUN_DEFAULT_BUDGET.
 */
#define REC_RUN_DEFAULT_BUDGET 1000000ULL
void rec_run_set_budget(uint64_t insns);
uint64_t rec_run_budget(void);

/*
 * Wall time after which an entry ends with an IRQ exit even if the budget
 * is not used up (instructions between exits handled in place are not
 * counted by the budget; see rec_loop.c). Only with a budget. Default 10 ms.
 */
#define REC_RUN_DEFAULT_SLICE_NS 10000000ULL
void rec_run_set_slice_ns(uint64_t ns);

/*
 * Instructions between two checks of the realm's timers while guest code
 * runs (rmm-v1.0.md s12.9: a timer whose output becomes asserted makes the
 * REC exit with IRQ). Default REC_RUN_DEFAULT_TIMER_POLL.
 */
#define REC_RUN_DEFAULT_TIMER_POLL (1ULL << 17)
void rec_run_set_timer_poll(uint64_t insns);

/*
 * Longest time an untrapped WFI waits for a kick or a timer before the REC
 * exits with IRQ anyway (the host's own timer tick). Default 4 ms.
 */
#define REC_RUN_DEFAULT_WFI_TICK_NS 4000000ULL
void rec_run_set_wfi_tick_ns(uint64_t ns);

/*
 * Test hook: called with the realm's execution lock held right before
 * (entering = true) and right after (false) every engine_run() of a REC of
 * `rd`, i.e. around every stretch of guest code. NULL removes it.
 */
typedef void (*rec_run_guest_hook)(const struct rd *rd, bool entering);
void rec_run_set_guest_hook(rec_run_guest_hook fn);

/* ---- Between the REC_ENTER files ---- */

/* One REC_ENTER in progress: the handlers' context plus the run loop's state. */
struct rec_run {
	struct rec_ctx ctx;
	struct platform_cpu *cpu;
	uint64_t flags;		    /* RmiRecEnter.flags */
	struct engine_cpu_state st; /* the REC's state while it is not on the engine */
	bool budget_unlimited;
	uint64_t budget_left;	  /* instructions left in this entry */
	uint64_t entry_ns;	  /* when the run loop started */
	uint64_t timer_check_ns;  /* when the timers were last checked */
	unsigned int timers_seen; /* asserted timer outputs at the last check (REC_TIMER_*) */
	bool xlock_held;
	uint64_t xlock_since_ns; /* when the execution lock was taken */
};

/* Asserted outputs (ENABLE, ISTATUS, !IMASK) of the EL1 timers. */
#define REC_TIMER_VIRT 0x1u
#define REC_TIMER_PHYS 0x2u

/* rec_state.c */
void rec_state_from_rec(const struct rec *rec, struct engine_cpu_state *st);
void rec_state_to_rec(struct rec *rec, const struct engine_cpu_state *st);
/*
 * engine_load() on the calling thread's engine (`serial`: its
 * pcpu_engine_serial()), writing only the GPRs and the PC when the engine
 * still holds the rest of `st` (it saved or loaded it last, with the same
 * stage 2). rec_engine_saved() records the state
 * saved at an exit; rec_engine_forget() drops the record (engine failure).
 */
int rec_engine_load(struct engine *e, uint64_t serial, const struct engine_cpu_state *st,
		    const struct engine_stage2 *s2);
void rec_engine_saved(uint64_t serial, const struct engine_cpu_state *st);
void rec_engine_forget(void);
/* Timer outputs as saved (CTL.ISTATUS as of the save). */
unsigned int rec_timers_asserted(const struct engine_timers *t);
/* Timer outputs now (ISTATUS recomputed from CVAL and the counter). */
unsigned int rec_timers_asserted_now(const struct engine_timers *t);
/* Recomputes CTL.ISTATUS of both timers against the counter now. */
void rec_timers_refresh(struct engine_timers *t);
/* CLOCK_MONOTONIC ns at which the next enabled, unmasked timer that has not fired fires. */
uint64_t rec_timers_deadline_ns(const struct engine_timers *t);
/* s12.8: the GIC fields of RmiRecEnter are acceptable. */
bool rec_gic_state_valid(const struct rmi_rec_enter *enter);
void rec_gic_load(struct rec *rec, const struct rmi_rec_enter *enter);
/* True if a list register holds a pending interrupt (it wakes a WFI). */
bool rec_gic_irq_pending(const struct rec *rec);
/* s12.2: timer, GIC and PMU fields every exit carries. */
void rec_exit_fill_common(const struct rec *rec, struct rmi_rec_exit *exit);

/* rec_abort.c */
enum rec_abort_action {
	REC_ABORT_RETRY,  /* the mapping exists now: run the instruction again */
	REC_ABORT_SEA,	  /* SEA injected into the realm; continue */
	REC_ABORT_EXIT,	  /* exit to the host; run->ctx.exit filled in */
	REC_ABORT_FAILED, /* the engine failed */
};
enum rec_abort_action rec_handle_s2_abort(struct rec_run *run, const struct engine_exit *x);
/* The ESR_EL1 of an SEA injected for a stage-2 abort whose ESR_EL2 was esr_el2. */
uint64_t rec_sea_esr(uint64_t esr_el2, uint64_t pstate);
/* s12.1 step 9 / step 10 on the REC's saved state. */
bool rec_last_exit_is_unprotected_dabt(const struct rec *rec);
bool rec_last_exit_is_emulatable(const struct rec *rec);
void rec_inject_sea_state(const struct rec *rec, struct engine_cpu_state *st);
void rec_complete_mmio_state(const struct rec *rec, uint64_t value, struct engine_cpu_state *st);

/* rec_loop.c: runs the loaded REC until an exit; false if the engine failed. */
bool rec_run_loop(struct rec_run *run);
void rec_run_exec_lock(struct rec_run *run);
void rec_run_exec_unlock(struct rec_run *run);

#endif /* REALMKIT_RMM_REC_RUN_PRIV_H */
