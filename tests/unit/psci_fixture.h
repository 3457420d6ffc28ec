/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fixture of the PSCI and RIPAS-change tests (test_psci.c,
 * test_rmi_psci_complete.c, test_rmi_set_ripas.c): on top of rtt_fixture.h,
 * an ACTIVE realm with several RECs and a real CPU engine onto which a REC
 * is "entered" the way the run loop does it, so that the realm-side
 * handlers (psci_handle) run against real registers and leave real pending
 * state in the REC:
 *
 *   ps_enter()  takes the REC's running reference under its lock (as
 *               REC_ENTER does, rec.h "running"), loads its registers and
 *               stage 2 onto the engine, zeroes the exit;
 *   ps_leave()  saves the registers back into struct rec and drops the
 *               reference with store-release (as the run loop does at an exit).
 *
 * Only the state psci_handle and the RMI commands under test use is moved
 * between struct rec and the engine (GPRs, PC, PSTATE, SCTLR_EL1, MPIDR);
 * the full save/restore is the run loop's and is tested there.
 */
#ifndef REALMKIT_TEST_PSCI_FIXTURE_H
#define REALMKIT_TEST_PSCI_FIXTURE_H

#include <string.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/abi/rsi.h>

#include "engine.h"
#include "invariants.h"
#include "rec.h"
#include "rec_run.h"
#include "rtt_fixture.h"

#define PS_MAX_RECS 4u
/* A protected IPA used as CPU_ON entry point (any PAR address will do). */
#define PS_ENTRY 0x40000ULL

struct ps_realm {
	struct rt_realm r;
	pa_t rec[PS_MAX_RECS];
	unsigned int n;
};

struct ps_run {
	struct rec_ctx ctx;
	struct rmi_rec_exit exit;
	pa_t rec;
};

/* The one engine of the test (the "physical CPU"). */
static struct engine *ps_engine;

static inline int ps_setup(void **state)
{
	if (rt_setup(state))
		return -1;
	ps_engine = engine_create();
	return ps_engine ? 0 : -1;
}

/* Also checks the RMM's global invariants (invariants.h) after the test. */
static inline int ps_teardown(void **state)
{
	char why[256];
	int bad = rmm_check_invariants(why, sizeof(why));

	if (bad)
		print_error("invariants: %d violation(s), first: %s\n", bad, why);
	engine_destroy(ps_engine);
	ps_engine = NULL;
	return fx_teardown(state) || bad ? -1 : 0;
}

/* Register values a REC starts with: distinct per REC and register. */
static inline uint64_t ps_gpr_init(unsigned int rec_idx, unsigned int n)
{
	return 0x1000000000000000ULL * (rec_idx + 1) + 0x0101ULL * (n + 1);
}

/*
 * REC_CREATE of the next REC (index = REC count) with the given flags, PC
 * and X0..X7 (x = NULL: ps_gpr_init values).
 */
static inline pa_t ps_rec_create_at(struct ps_realm *p, uint64_t flags, uint64_t pc,
				    const uint64_t *x)
{
	pa_t rec = fx_delegated(), params = fx_ns();
	struct rmi_rec_params *rp = platform_ns_ptr(params);
	unsigned int idx = p->n;

	assert_true(idx < PS_MAX_RECS);
	memset(rp, 0, sizeof(*rp));
	rp->flags = flags;
	rp->mpidr = rmi_rec_index_to_mpidr(idx);
	rp->pc = pc;
	for (unsigned int i = 0; i < RMI_REC_CREATE_NR_GPRS; i++)
		rp->gprs[i] = x ? x[i] : ps_gpr_init(idx, i);
	rp->num_aux = RMI_MAX_REC_AUX_GRANULES;
	for (unsigned int i = 0; i < RMI_MAX_REC_AUX_GRANULES; i++)
		rp->aux[i] = fx_delegated().v;
	assert_rmi(rt_x0(RMI_REC_CREATE, p->r.rd.v, rec.v, params.v, 0), RMI_SUCCESS, 0);
	host_page_free(params);
	p->rec[p->n++] = rec;
	return rec;
}

/* REC_CREATE of the next REC with PC = 0x10000 + index * 0x100 and ps_gpr_init registers. */
static inline pa_t ps_rec_create(struct ps_realm *p, uint64_t flags)
{
	return ps_rec_create_at(p, flags, 0x10000ULL + p->n * 0x100, NULL);
}

/* A NEW realm (vmid) with one REC per entry of `runnable` (true: RUNNABLE). */
static inline void ps_realm_new(struct ps_realm *p, uint16_t vmid, const bool *runnable,
				unsigned int n)
{
	memset(p, 0, sizeof(*p));
	rt_realm_create(&p->r, vmid);
	for (unsigned int i = 0; i < n; i++)
		ps_rec_create(p, runnable[i] ? RMI_REC_PARAMS_FLAG_RUNNABLE : 0);
}

static inline void ps_activate(const struct ps_realm *p)
{
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, p->r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
}

/* ps_realm_new() then REALM_ACTIVATE. */
static inline void ps_realm_create(struct ps_realm *p, uint16_t vmid, const bool *runnable,
				   unsigned int n)
{
	ps_realm_new(p, vmid, runnable, n);
	ps_activate(p);
}

/* White box: the REC in a REC granule (read while no command runs). */
/* Enters a REC as REC_ENTER does (see the file comment); the REC must be idle. */
static inline void ps_enter(struct ps_run *run, const struct ps_realm *p, pa_t rec_pa)
{
	struct granule *g_rec = find_granule(rec_pa);

	memset(run, 0, sizeof(*run));
	granule_lock(g_rec);
	assert_int_equal(granule_get_state(g_rec), GRANULE_STATE_REC);
	assert_int_equal(granule_refcount_read(g_rec), 0);
	granule_refcount_inc(g_rec);
	granule_unlock(g_rec);
	fx_engine_load_rec(ps_engine, rec_of(g_rec), engine_vttbr(p->r.root, p->r.vmid),
			   engine_vtcr(p->r.s2sz, p->r.sl));
	run->rec = rec_pa;
	fx_rec_ctx(&run->ctx, g_rec, p->r.rd, ps_engine, &run->exit);
}

/* Leaves the REC as the run loop does at an exit. */
static inline void ps_leave(struct ps_run *run)
{
	struct engine_cpu_state s;
	struct rec *rec = run->ctx.rec;

	engine_save(ps_engine, &s);
	memcpy(rec->gprs, s.x, sizeof(rec->gprs));
	rec->pc = s.pc;
	rec->pstate = s.pstate;
	rec->el1.sctlr_el1 = s.el1.sctlr;
	granule_refcount_dec_release(run->ctx.g_rec);
}

/* Sets X0..X30 of the entered REC to v[0..30]. */
static inline void ps_set_regs(struct ps_run *run, const uint64_t v[REC_NUM_GPRS])
{
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++)
		rec_set_x(&run->ctx, i, v[i]);
}

/*
 * One SMC from the entered REC: X0 = fid, X1..X3 = a1..a3, X4..X30 keep the
 * values in `regs` (which receives the call's X0..X3 too); returns
 * psci_handle's outcome.
 */
static inline enum rec_smc_outcome ps_call(struct ps_run *run, uint64_t regs[REC_NUM_GPRS],
					   uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	regs[0] = fid;
	regs[1] = a1;
	regs[2] = a2;
	regs[3] = a3;
	ps_set_regs(run, regs);
	return psci_handle(&run->ctx, fid);
}

/* Fills regs with a recognisable pattern. */
static inline void ps_pattern(uint64_t regs[REC_NUM_GPRS], uint64_t seed)
{
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++)
		regs[i] = seed ^ (0x1111111111111111ULL * (i + 1));
}

/*
 * The REC made a PSCI request that is now pending (s7.2 / s7.3 step 4):
 * enters rec, calls fid(target MPIDR, entry/level, context), checks the
 * exit and leaves.
 */
static inline void ps_request(const struct ps_realm *p, pa_t rec, uint64_t fid, uint64_t mpidr,
			      uint64_t a2, uint64_t a3)
{
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	ps_enter(&run, p, rec);
	ps_pattern(regs, rec.v);
	assert_int_equal(ps_call(&run, regs, fid, mpidr, a2, a3), REC_SMC_EXIT);
	assert_int_equal(run.exit.exit_reason, RMI_EXIT_PSCI);
	ps_leave(&run);
	assert_true(fx_rec(rec)->psci.pending);
}

/*
 * The REC requests a RIPAS change: enters it, calls RSI_IPA_STATE_SET(base,
 * top, ripas, flags) through rsi_handle() (rmm-v1.0.md s11.3) and leaves
 * with the RIPAS_CHANGE exit.
 */
static inline void ps_ripas_request(const struct ps_realm *p, pa_t rec, uint64_t base, uint64_t top,
				    uint64_t ripas, uint64_t flags)
{
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	ps_enter(&run, p, rec);
	ps_pattern(regs, rec.v);
	regs[0] = RSI_IPA_STATE_SET;
	regs[1] = base;
	regs[2] = top;
	regs[3] = ripas;
	regs[4] = flags;
	ps_set_regs(&run, regs);
	assert_int_equal(rsi_handle(&run.ctx, RSI_IPA_STATE_SET), REC_SMC_EXIT);
	assert_int_equal(run.exit.exit_reason, RMI_EXIT_RIPAS_CHANGE);
	assert_int_equal(run.exit.ripas_base, base);
	assert_int_equal(run.exit.ripas_top, top);
	ps_leave(&run);
	assert_int_equal(fx_rec(rec)->ripas.addr, base);
}

/*
 * White box, for realms without guest code: what the next REC_ENTER does
 * with a RIPAS change request once it has reported it (rmm-v1.0.md s11.3
 * "Completion on REC_ENTER"): the request is cleared. The real completion
 * is exercised in test_rmi_set_ripas.c test_flow_rec_enter.
 */
static inline void ps_ripas_clear(pa_t rec)
{
	struct rec *r = fx_rec(rec);

	memset(&r->ripas, 0, sizeof(r->ripas));
}

/* The MPIDR_EL1 a realm would pass for REC index idx (s7.5, RES1 bit 31 set). */
static inline uint64_t ps_mpidr(unsigned int idx)
{
	return rmi_mpidr_to_vmpidr(rmi_rec_index_to_mpidr(idx));
}

static inline void ps_realm_teardown(struct ps_realm *p)
{
	for (unsigned int i = 0; i < p->n; i++)
		assert_rmi(rt_x0(RMI_REC_DESTROY, p->rec[i].v, 0, 0, 0), RMI_SUCCESS, 0);
	rt_realm_teardown(&p->r);
}

#endif /* REALMKIT_TEST_PSCI_FIXTURE_H */
