/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_PSCI_COMPLETE (rmm-v1.0.md s7.4; failure-conditions s2.23, s5.4).
 * The pending requests are real: the calling REC is entered onto a CPU
 * engine and calls CPU_ON / AFFINITY_INFO through psci_handle()
 * (psci_fixture.h), exactly as the run loop would.
 *
 * Setup (failure-conditions s2.23): a realm with three RECs -- REC 0
 * RUNNABLE, REC 1 not, REC 2 RUNNABLE -- where REC 0 exited with
 * CPU_ON(REC 1). Every failure is E_INPUT, so the priority between two
 * failures cannot be seen in X0; what each failure row also checks is
 * that nothing was completed (the request stays pending, both RECs are
 * unchanged), which distinguishes the one failure that does complete the
 * request (DENIED for a target that is on).
 */
#include "psci_fixture.h"

#define CTX_ID 0xC0FFEE0012345678ULL

/* SCTLR_EL1 bits used below (Arm ARM D17.2.118): M, C, I, EE. */
#define SCTLR_M	 (1ULL << 0)
#define SCTLR_C	 (1ULL << 2)
#define SCTLR_I	 (1ULL << 12)
#define SCTLR_EE (1ULL << 25)

static struct ps_realm P;
static const bool RUNNABLE[] = { true, false, true };

static int setup(void **state)
{
	if (ps_setup(state))
		return -1;
	ps_realm_create(&P, 1, RUNNABLE, ARRAY_SIZE(RUNNABLE));
	return 0;
}

static int teardown(void **state)
{
	return ps_teardown(state);
}

static uint64_t complete(uint64_t calling, uint64_t target, uint64_t status)
{
	return rt_x0(RMI_PSCI_COMPLETE, calling, target, status, 0);
}

/* A snapshot of a REC's state, to check that a command left it alone. */
struct snap {
	struct rec rec;
};

static void snap_take(struct snap *s, pa_t rec)
{
	memcpy(&s->rec, fx_rec(rec), sizeof(s->rec));
}

static void snap_assert_same(const struct snap *s, pa_t rec, const char *what)
{
	if (memcmp(&s->rec, fx_rec(rec), sizeof(s->rec)) != 0)
		fail_msg("%s: REC at %#llx changed", what, (unsigned long long)rec.v);
}

/* REC 0's registers when it made its request (ps_request's pattern). */
static void caller_regs(uint64_t regs[REC_NUM_GPRS], pa_t rec, uint64_t fid, uint64_t a1,
			uint64_t a2, uint64_t a3)
{
	ps_pattern(regs, rec.v);
	regs[0] = fid;
	regs[1] = a1;
	regs[2] = a2;
	regs[3] = a3;
}

/* s7.4 step 9: X0 = result, X1..X3 = 0, X4..X30 as at the call, nothing pending. */
static void assert_completed(pa_t rec, const uint64_t regs[REC_NUM_GPRS], uint64_t result)
{
	const struct rec *r = fx_rec(rec);

	assert_false(r->psci.pending);
	assert_int_equal(r->gprs[0], result);
	for (unsigned int i = 1; i < 4; i++)
		assert_int_equal(r->gprs[i], 0);
	for (unsigned int i = 4; i < REC_NUM_GPRS; i++)
		assert_int_equal(r->gprs[i], regs[i]);
}

/* failure-conditions s2.23: every row, each leaving the request pending and both RECs as they were. */
static void test_failure_rows(void **state)
{
	static const uint64_t bad_status[] = {
		(uint64_t)PSCI_RET_NOT_SUPPORTED,
		(uint64_t)PSCI_RET_INVALID_PARAMS,
		(uint64_t)PSCI_RET_ALREADY_ON,
		(uint64_t)PSCI_RET_INVALID_ADDRESS,
		1,
		0xFFFFFFFDULL /* DENIED as a 32-bit value */,
	};
	static struct ps_realm Q;
	struct snap s0, s1, s2;
	struct rt_bad_set bad;
	struct ps_run run;
	pa_t *rec = P.rec;

	(void)state;
	rt_bad_init(&bad);
	ps_realm_create(&Q, 2, RUNNABLE, ARRAY_SIZE(RUNNABLE));
	ps_request(&P, rec[0], PSCI_CPU_ON_64, ps_mpidr(1), PS_ENTRY, CTX_ID);
	snap_take(&s0, rec[0]);
	snap_take(&s1, rec[1]);
	snap_take(&s2, rec[2]);
#define ROW(x0, label)                                        \
	do {                                                  \
		rt_expect((x0), RMI_ERROR_INPUT, 0, (label)); \
		snap_assert_same(&s0, rec[0], (label));       \
		snap_assert_same(&s1, rec[1], (label));       \
		snap_assert_same(&s2, rec[2], (label));       \
	} while (0)
	ROW(complete(rec[0].v, rec[0].v, 0), "alias");
	ROW(complete(rec[0].v + 1, rec[1].v, 0), "calling_align");
	ROW(complete(rec[0].v, rec[1].v + 1, 0), "target_align");
	for (size_t i = 0; i < bad.n; i++) {
		ROW(complete(bad.row[i].pa, rec[1].v, 0), bad.row[i].label);
		ROW(complete(rec[0].v, bad.row[i].pa, 0), bad.row[i].label);
	}
	ROW(complete(bad.rec.v, rec[1].v, 0), "pending: a fresh REC of another realm");
	ROW(complete(rec[2].v, rec[1].v, 0), "pending: a REC of the realm without a request");
	ROW(complete(rec[0].v, bad.rec.v, 0), "owner: target of another realm");
	ROW(complete(rec[0].v, Q.rec[1].v, 0), "owner: another realm's REC 1 (same index)");
	ROW(complete(rec[0].v, rec[2].v, 0), "target: REC 2 instead of REC 1");
	for (size_t i = 0; i < ARRAY_SIZE(bad_status); i++)
		ROW(complete(rec[0].v, rec[1].v, bad_status[i]), "status");
	/* s7.4 step 3: the calling REC is running. */
	ps_enter(&run, &P, rec[0]);
	rt_expect(complete(rec[0].v, rec[1].v, 0), RMI_ERROR_INPUT, 0, "running");
	assert_true(run.ctx.rec->psci.pending);
	assert_false(fx_rec(rec[1])->runnable);
	ps_leave(&run);
	snap_assert_same(&s0, rec[0], "running");
#undef ROW
	/* Positive observability, then negative (s1.5). */
	assert_rmi(complete(rec[0].v, rec[1].v, 0), RMI_SUCCESS, 0);
	assert_true(fx_rec(rec[1])->runnable);
	assert_rmi(complete(rec[0].v, rec[1].v, 0), RMI_ERROR_INPUT, 0);
	rt_bad_fini(&bad);
}

/*
 * Combinations of two failures, one of them the DENIED-for-a-target-that-
 * is-on case: the earlier failure wins and nothing is completed (s2.23
 * reference order: the status check and step 8 come last).
 */
static void test_failure_pairs(void **state)
{
	struct snap s0;
	pa_t *rec = P.rec;

	(void)state;
	ps_request(&P, rec[0], PSCI_CPU_ON_32, ps_mpidr(2), PS_ENTRY, CTX_ID);
	snap_take(&s0, rec[0]);
	/* target mismatch (REC 1, not runnable) + DENIED. */
	rt_expect(complete(rec[0].v, rec[1].v, (uint64_t)PSCI_RET_DENIED), RMI_ERROR_INPUT, 0,
		  "target beats status");
	snap_assert_same(&s0, rec[0], "target beats status");
	/* target mismatch + a status not allowed. */
	rt_expect(complete(rec[0].v, rec[1].v, 5), RMI_ERROR_INPUT, 0, "target + status");
	snap_assert_same(&s0, rec[0], "target + status");
	/* Right target, status not allowed, target on: step 7 before step 8. */
	rt_expect(complete(rec[0].v, rec[2].v, (uint64_t)PSCI_RET_NOT_SUPPORTED), RMI_ERROR_INPUT,
		  0, "status before step 8");
	snap_assert_same(&s0, rec[0], "status before step 8");
}

/*
 * s7.4 step 8, CPU_ON SUCCESS on a target that is off: PC = entry, X0 =
 * context ID (X1..X30 kept), PSTATE EL1h with DAIF masked, SCTLR_EL1 reset
 * value with the caller's EE, runnable; the caller gets SUCCESS, X1..X3 = 0
 * (failure-conditions s5.4 steps 4 and 6).
 */
static void test_cpu_on_success(void **state)
{
	static const uint64_t caller_sctlr[] = {
		REC_SCTLR_EL1_INIT | SCTLR_EE | SCTLR_M | SCTLR_C | SCTLR_I,
		REC_SCTLR_EL1_INIT | SCTLR_M,
	};
	uint64_t regs[REC_NUM_GPRS], target_gprs[REC_NUM_GPRS];
	pa_t *rec = P.rec;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(caller_sctlr); i++) {
		struct rec *t = fx_rec(rec[1]);

		/* White box: the target ran before and stopped (MMU on, EL1t, flags). */
		t->runnable = false;
		t->pstate = 0xF0000004ULL;
		t->el1.sctlr_el1 = REC_SCTLR_EL1_INIT | SCTLR_M | SCTLR_C;
		memcpy(target_gprs, t->gprs, sizeof(target_gprs));
		fx_rec(rec[0])->el1.sctlr_el1 = caller_sctlr[i];
		ps_request(&P, rec[0], PSCI_CPU_ON_64, ps_mpidr(1), PS_ENTRY + i * 4, CTX_ID + i);
		caller_regs(regs, rec[0], PSCI_CPU_ON_64, ps_mpidr(1), PS_ENTRY + i * 4,
			    CTX_ID + i);
		assert_rmi(complete(rec[0].v, rec[1].v, (uint64_t)PSCI_RET_SUCCESS), RMI_SUCCESS,
			   0);
		assert_completed(rec[0], regs, (uint64_t)PSCI_RET_SUCCESS);
		assert_true(t->runnable);
		assert_int_equal(t->pc, PS_ENTRY + i * 4);
		assert_int_equal(t->gprs[0], CTX_ID + i);
		for (unsigned int r = 1; r < REC_NUM_GPRS; r++)
			assert_int_equal(t->gprs[r], target_gprs[r]);
		assert_int_equal(t->pstate, ENGINE_PSTATE_RESET);
		assert_int_equal(t->el1.sctlr_el1,
				 REC_SCTLR_EL1_INIT | (caller_sctlr[i] & SCTLR_EE));
		/* The caller's own state is untouched by the reset. */
		assert_int_equal(fx_rec(rec[0])->el1.sctlr_el1, caller_sctlr[i]);
		/* Completed once only. */
		assert_rmi(complete(rec[0].v, rec[1].v, 0), RMI_ERROR_INPUT, 0);
	}
}

/* s7.4 step 8: DENIED for a target that is off -> the realm sees DENIED; SUCCESS. */
static void test_cpu_on_denied(void **state)
{
	uint64_t regs[REC_NUM_GPRS];
	struct snap s1;
	pa_t *rec = P.rec;

	(void)state;
	ps_request(&P, rec[0], PSCI_CPU_ON_32, ps_mpidr(1), PS_ENTRY, CTX_ID);
	caller_regs(regs, rec[0], PSCI_CPU_ON_32, ps_mpidr(1), PS_ENTRY, CTX_ID);
	snap_take(&s1, rec[1]);
	assert_rmi(complete(rec[0].v, rec[1].v, (uint64_t)PSCI_RET_DENIED), RMI_SUCCESS, 0);
	assert_completed(rec[0], regs, (uint64_t)PSCI_RET_DENIED);
	snap_assert_same(&s1, rec[1], "DENIED: target untouched");
}

/*
 * s7.4 step 8: a target that is runnable, or running (reference count),
 * gives ALREADY_ON and is left alone; with DENIED the command returns
 * E_INPUT but still completes the request (failure-conditions s2.23, TFTF
 * host_realm_multi_rec_psci_denied).
 */
static void test_cpu_on_already_on(void **state)
{
	static const uint64_t statuses[] = { (uint64_t)PSCI_RET_SUCCESS,
					     (uint64_t)PSCI_RET_DENIED };
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;
	struct snap st;
	pa_t *rec = P.rec;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
		enum rmi_status want = i == 0 ? RMI_SUCCESS : RMI_ERROR_INPUT;

		/* Runnable target (REC 2). */
		ps_request(&P, rec[0], PSCI_CPU_ON_64, ps_mpidr(2), PS_ENTRY, CTX_ID);
		caller_regs(regs, rec[0], PSCI_CPU_ON_64, ps_mpidr(2), PS_ENTRY, CTX_ID);
		snap_take(&st, rec[2]);
		assert_rmi(complete(rec[0].v, rec[2].v, statuses[i]), want, 0);
		assert_completed(rec[0], regs, (uint64_t)PSCI_RET_ALREADY_ON);
		snap_assert_same(&st, rec[2], "runnable target untouched");
		/* Running target that is not runnable (REC 1 inside REC_ENTER). */
		ps_request(&P, rec[0], PSCI_CPU_ON_64, ps_mpidr(1), PS_ENTRY, CTX_ID);
		ps_enter(&run, &P, rec[1]);
		assert_rmi(complete(rec[0].v, rec[1].v, statuses[i]), want, 0);
		assert_completed(rec[0], regs, (uint64_t)PSCI_RET_ALREADY_ON);
		assert_false(run.ctx.rec->runnable);
		assert_int_equal(run.ctx.rec->pc, 0x10100);
		ps_leave(&run);
	}
}

/*
 * s7.4 steps 7' and 8 for AFFINITY_INFO: only SUCCESS is accepted; the
 * result is ON (0) for a runnable or running target, OFF (1) otherwise.
 * Also locks the two RECs with the caller above the target (s16.2).
 */
static void test_affinity_info(void **state)
{
	static const uint64_t bad_status[] = { (uint64_t)PSCI_RET_DENIED,
					       (uint64_t)PSCI_RET_NOT_SUPPORTED, 1 };
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;
	struct snap s0;
	pa_t *rec = P.rec;

	(void)state;
	ps_request(&P, rec[0], PSCI_AFFINITY_INFO_64, ps_mpidr(1), 0, 0);
	caller_regs(regs, rec[0], PSCI_AFFINITY_INFO_64, ps_mpidr(1), 0, 0);
	snap_take(&s0, rec[0]);
	for (size_t i = 0; i < ARRAY_SIZE(bad_status); i++) {
		rt_expect(complete(rec[0].v, rec[1].v, bad_status[i]), RMI_ERROR_INPUT, 0,
			  "AFFINITY_INFO status");
		snap_assert_same(&s0, rec[0], "AFFINITY_INFO status");
	}
	assert_rmi(complete(rec[0].v, rec[1].v, 0), RMI_SUCCESS, 0);
	assert_completed(rec[0], regs, PSCI_AFFINITY_OFF);
	assert_false(fx_rec(rec[1])->runnable);

	ps_request(&P, rec[0], PSCI_AFFINITY_INFO_32, ps_mpidr(2), 0, 0);
	caller_regs(regs, rec[0], PSCI_AFFINITY_INFO_32, ps_mpidr(2), 0, 0);
	assert_rmi(complete(rec[0].v, rec[2].v, 0), RMI_SUCCESS, 0);
	assert_completed(rec[0], regs, PSCI_AFFINITY_ON);

	ps_request(&P, rec[0], PSCI_AFFINITY_INFO_32, ps_mpidr(1), 0, 0);
	ps_enter(&run, &P, rec[1]);
	assert_rmi(complete(rec[0].v, rec[1].v, 0), RMI_SUCCESS, 0);
	ps_leave(&run);
	caller_regs(regs, rec[0], PSCI_AFFINITY_INFO_32, ps_mpidr(1), 0, 0);
	assert_completed(rec[0], regs, PSCI_AFFINITY_ON);

	/* Caller at a higher PA than the target: REC 2 asks about REC 0. */
	assert_true(rec[2].v > rec[0].v);
	ps_request(&P, rec[2], PSCI_AFFINITY_INFO_64, ps_mpidr(0), 0, 0);
	caller_regs(regs, rec[2], PSCI_AFFINITY_INFO_64, ps_mpidr(0), 0, 0);
	assert_rmi(complete(rec[2].v, rec[0].v, 0), RMI_SUCCESS, 0);
	assert_completed(rec[2], regs, PSCI_AFFINITY_ON);
}

/*
 * s7.5 / s7.4 step 6: the target is matched by the index of the MPIDR_EL1
 * value the realm passed (RES1 bit 31 and bits outside the affinity fields
 * do not matter), and PSCI_COMPLETE then works with the caller above the
 * target in PA order.
 */
static void test_mpidr_match(void **state)
{
	uint64_t regs[REC_NUM_GPRS];
	uint64_t mpidr = rmi_rec_index_to_mpidr(0); /* without RES1 */
	struct ps_run run;
	pa_t *rec = P.rec;

	(void)state;
	/* REC 0 turns itself off (s7.1 CPU_OFF). */
	ps_enter(&run, &P, rec[0]);
	ps_pattern(regs, 0);
	assert_int_equal(ps_call(&run, regs, PSCI_CPU_OFF, 0, 0, 0), REC_SMC_EXIT);
	ps_leave(&run);
	assert_false(fx_rec(rec[0])->runnable);
	ps_request(&P, rec[2], PSCI_CPU_ON_32, mpidr, PS_ENTRY, CTX_ID);
	caller_regs(regs, rec[2], PSCI_CPU_ON_32, mpidr, PS_ENTRY, CTX_ID);
	rt_expect(complete(rec[2].v, rec[1].v, 0), RMI_ERROR_INPUT, 0, "MPIDR of REC 0, REC 1");
	assert_rmi(complete(rec[2].v, rec[0].v, 0), RMI_SUCCESS, 0);
	assert_completed(rec[2], regs, (uint64_t)PSCI_RET_SUCCESS);
	assert_true(fx_rec(rec[0])->runnable);
	assert_int_equal(fx_rec(rec[0])->pc, PS_ENTRY);
	assert_int_equal(fx_rec(rec[0])->gprs[0], CTX_ID);
}

/*
 * failure-conditions s5.4 and s5.5 end to end, with real REC_ENTER: the
 * code below (assembled with aarch64-linux-gnu-as) runs on the CPU engine.
 * REC 0 (RUNNABLE, X0..X3 = CPU_ON_64, REC 1, FLOW_ENTRY1, CTX_ID) calls
 * CPU_ON, copies X0..X6 to X10..X16 after the completion, then calls
 * CPU_SUSPEND and SYSTEM_OFF. REC 1 (NOT_RUNNABLE) starts at FLOW_ENTRY1,
 * records X0, SCTLR_EL1, DAIF, CurrentEL, SPSel, X1 in X10..X15 and calls
 * CPU_OFF.
 */
#define FLOW_CODE   0x10000ULL
#define FLOW_ENTRY1 (FLOW_CODE + 0x40)

static const uint32_t flow_code[] = {
	0xd4000003, /* 0x00 smc #0 (CPU_ON) */
	0xaa0003ea, /* mov x10, x0 */
	0xaa0103eb, /* mov x11, x1 */
	0xaa0203ec, /* mov x12, x2 */
	0xaa0303ed, /* mov x13, x3 */
	0xaa0403ee, /* mov x14, x4 */
	0xaa0503ef, /* mov x15, x5 */
	0xaa0603f0, /* mov x16, x6 */
	0xd2800020, /* mov x0, #1 */
	0xf2b08000, /* movk x0, #0x8400, lsl #16 */
	0xd4000003, /* smc #0 (CPU_SUSPEND_32) */
	0xd2800100, /* mov x0, #8 */
	0xf2b08000, /* movk x0, #0x8400, lsl #16 */
	0xd4000003, /* smc #0 (SYSTEM_OFF) */
	0x14000000, /* b . */
	0xd503201f, /* nop */
	0xaa0003ea, /* 0x40 mov x10, x0 */
	0xd538100b, /* mrs x11, sctlr_el1 */
	0xd53b422c, /* mrs x12, daif */
	0xd538424d, /* mrs x13, currentel */
	0xd538420e, /* mrs x14, spsel */
	0xaa0103ef, /* mov x15, x1 */
	0xd2800040, /* mov x0, #2 */
	0xf2b08000, /* movk x0, #0x8400, lsl #16 */
	0xd4000003, /* smc #0 (CPU_OFF) */
	0x14000000, /* b . */
};

static uint64_t rec_enter(pa_t rec, pa_t run)
{
	return rt_x0(RMI_REC_ENTER, rec.v, run.v, 0, 0);
}

/* The realm of the flow: the code page, REC 0 and REC 1, ACTIVE. */
static void flow_realm(struct ps_realm *q, uint64_t x0_7[8])
{
	pa_t src = fx_ns(), data = fx_delegated();

	memset(q, 0, sizeof(*q));
	rt_realm_create(&q->r, 3);
	rt_rtts(&q->r, FLOW_CODE, 3);
	memcpy(platform_ns_ptr(src), flow_code, sizeof(flow_code));
	assert_rmi(smc_call(RMI_DATA_CREATE, q->r.rd.v, data.v, FLOW_CODE, src.v,
			    RMI_NO_MEASURE_CONTENT, 0)
			   .x[0],
		   RMI_SUCCESS, 0);
	host_page_free(src);
	for (unsigned int i = 0; i < 8; i++)
		x0_7[i] = 0x7700 + i;
	x0_7[0] = PSCI_CPU_ON_64;
	x0_7[1] = ps_mpidr(1);
	x0_7[2] = FLOW_ENTRY1;
	x0_7[3] = CTX_ID;
	ps_rec_create_at(q, RMI_REC_PARAMS_FLAG_RUNNABLE, FLOW_CODE, x0_7);
	ps_rec_create_at(q, 0, FLOW_CODE, NULL);
	ps_activate(q);
}

/* exit PSCI with gprs[0] = fid, gprs[1] = g1, every other field of the exit's gprs 0. */
static void assert_psci_exit(const struct rmi_rec_run *run, uint64_t fid, uint64_t g1)
{
	assert_int_equal(run->exit.exit_reason, RMI_EXIT_PSCI);
	assert_int_equal(run->exit.gprs[0], fid);
	assert_int_equal(run->exit.gprs[1], g1);
	for (unsigned int i = 2; i < RMI_REC_EXIT_NR_GPRS; i++)
		assert_int_equal(run->exit.gprs[i], 0);
}

static void test_flow_rec_enter(void **state)
{
	struct ps_realm q;
	uint64_t x0_7[8];
	pa_t run_pa = fx_ns();
	struct rmi_rec_run *run = platform_ns_ptr(run_pa);
	const struct rec *r0, *r1;

	(void)state;
	flow_realm(&q, x0_7);
	r0 = fx_rec(q.rec[0]);
	r1 = fx_rec(q.rec[1]);
	/* s5.4 step 3: REC 1 is NOT_RUNNABLE. */
	rt_expect(rec_enter(q.rec[1], run_pa), RMI_ERROR_REC, 0, "REC 1 not runnable");
	/* Steps 1-2: CPU_ON exits with the FID and the target MPIDR only. */
	assert_rmi(rec_enter(q.rec[0], run_pa), RMI_SUCCESS, 0);
	assert_psci_exit(run, PSCI_CPU_ON_64, ps_mpidr(1));
	/* Step 3: neither REC can be entered before the completion. */
	rt_expect(rec_enter(q.rec[0], run_pa), RMI_ERROR_REC, 0, "REC 0 before completion");
	rt_expect(rec_enter(q.rec[1], run_pa), RMI_ERROR_REC, 0, "REC 1 before completion");
	/* Step 4. */
	assert_rmi(complete(q.rec[0].v, q.rec[1].v, (uint64_t)PSCI_RET_SUCCESS), RMI_SUCCESS, 0);
	/* Step 6: the host's enter.gprs are ignored after a PSCI exit. */
	for (unsigned int i = 0; i < RMI_REC_EXIT_NR_GPRS; i++)
		run->enter.gprs[i] = 0xBAD0000000000000ULL + i;
	assert_rmi(rec_enter(q.rec[0], run_pa), RMI_SUCCESS, 0);
	assert_psci_exit(run, PSCI_CPU_SUSPEND_32, 0);
	assert_int_equal(r0->gprs[10], PSCI_RET_SUCCESS);
	for (unsigned int i = 11; i <= 13; i++)
		assert_int_equal(r0->gprs[i], 0);
	for (unsigned int i = 14; i <= 16; i++)
		assert_int_equal(r0->gprs[i], x0_7[i - 10]);
	/* Step 4: REC 1 starts at the entry point with X0 = context ID (s7.4 step 8). */
	assert_rmi(rec_enter(q.rec[1], run_pa), RMI_SUCCESS, 0);
	assert_psci_exit(run, PSCI_CPU_OFF, 0);
	assert_int_equal(r1->gprs[10], CTX_ID);
	assert_int_equal(r1->gprs[11], REC_SCTLR_EL1_INIT);
	assert_int_equal(r1->gprs[12], ENGINE_PSTATE_DAIF);
	assert_int_equal(r1->gprs[13], 1 << 2); /* EL1 */
	assert_int_equal(r1->gprs[14], 1);	/* SP_EL1 */
	assert_int_equal(r1->gprs[15], ps_gpr_init(1, 1));
	/* CPU_OFF: not runnable again. */
	rt_expect(rec_enter(q.rec[1], run_pa), RMI_ERROR_REC, 0, "REC 1 after CPU_OFF");
	/* s5.5: SYSTEM_OFF; every later REC_ENTER of the realm -> (E_REALM, 1). */
	assert_rmi(rec_enter(q.rec[0], run_pa), RMI_SUCCESS, 0);
	assert_psci_exit(run, PSCI_SYSTEM_OFF, 0);
	rt_expect(rec_enter(q.rec[0], run_pa), RMI_ERROR_REALM, 1, "after SYSTEM_OFF");
	rt_expect(rec_enter(q.rec[1], run_pa), RMI_ERROR_REALM, 1, "REC 1 after SYSTEM_OFF");
	/* Teardown still works (s5.5). */
	ps_realm_teardown(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failure_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_denied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_already_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_affinity_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mpidr_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_rec_enter, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
