/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI for realms, the realm side: psci_is_psci_call() and psci_handle()
 * run on a real REC loaded onto a real CPU engine (psci_fixture.h), one
 * test per row of rmm-v1.0.md s7.1, the evaluation orders of s7.2 (CPU_ON)
 * and s7.3 (AFFINITY_INFO), the MPIDR rule of s7.5, and the PSCI exit
 * contents (failure-conditions s4, s5.4 step 2, s5.5).
 *
 * Realm: 4 RECs; REC 0 and REC 2 RUNNABLE, REC 1 and REC 3 not.
 */
#include <realmkit/abi/rsi.h>

#include "psci_fixture.h"

#define EXIT_FILL 0xA5

static struct ps_realm P;
static const bool RUNNABLE[] = { true, false, true, false };

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

/* Enters REC idx with a pattern in X0..X30 and a garbage-filled exit. */
static void enter(struct ps_run *run, unsigned int idx, uint64_t regs[REC_NUM_GPRS])
{
	ps_enter(run, &P, P.rec[idx]);
	ps_pattern(regs, 0xC0DE0000ULL + idx);
	ps_set_regs(run, regs);
	memset(&run->exit, EXIT_FILL, sizeof(run->exit));
}

/* X0..X30 equal `want` (X0..X3 as given by the caller). */
static void assert_regs(struct ps_run *run, const uint64_t want[REC_NUM_GPRS], const char *what)
{
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++) {
		uint64_t x = rec_x(&run->ctx, i);

		if (x != want[i])
			fail_msg("%s: X%u = %#llx, expected %#llx", what, i, (unsigned long long)x,
				 (unsigned long long)want[i]);
	}
}

/* s7.1: a result answered in place: X0 = result, X1..X3 = 0, X4..X30 unchanged. */
static void assert_result(struct ps_run *run, uint64_t regs[REC_NUM_GPRS], uint64_t result,
			  const char *what)
{
	regs[0] = result;
	regs[1] = regs[2] = regs[3] = 0;
	assert_regs(run, regs, what);
}

/* The exit was not touched (outcome RETURN: the realm continues). */
static void assert_exit_untouched(const struct ps_run *run)
{
	const uint8_t *b = (const uint8_t *)&run->exit;

	for (size_t i = 0; i < sizeof(run->exit); i++)
		assert_int_equal(b[i], EXIT_FILL);
}

/* s7.1: exit PSCI, gprs[0..n-1] as given, every other gprs zero. */
static void assert_psci_exit(const struct ps_run *run, unsigned int n, uint64_t g0, uint64_t g1)
{
	assert_int_equal(run->exit.exit_reason, RMI_EXIT_PSCI);
	assert_int_equal(run->exit.gprs[0], g0);
	assert_int_equal(run->exit.gprs[1], n > 1 ? g1 : 0);
	for (unsigned int i = 2; i < RMI_REC_EXIT_NR_GPRS; i++)
		assert_int_equal(run->exit.gprs[i], 0);
}

/* rmm-v1.0.md s1: PSCI = 0x84000000 + n or 0xC4000000 + n, n = 0..0x14; the FID is W0. */
static void test_is_psci_call(void **state)
{
	(void)state;
	for (uint64_t n = 0; n <= PSCI_FNUM_MAX; n++) {
		assert_true(psci_is_psci_call(PSCI_FID_SMC32_BASE + n));
		assert_true(psci_is_psci_call(PSCI_FID_SMC64_BASE + n));
	}
	assert_false(psci_is_psci_call(PSCI_FID_SMC32_BASE + 0x15));
	assert_false(psci_is_psci_call(PSCI_FID_SMC64_BASE + 0x15));
	assert_false(psci_is_psci_call(SMCCC_VERSION_FID));
	assert_false(psci_is_psci_call(RMI_VERSION));
	assert_false(psci_is_psci_call(RSI_VERSION));
	assert_false(psci_is_psci_call(0x85000000u)); /* another OEN */
	assert_false(psci_is_psci_call(0x04000000u)); /* yielding call */
	/* SMCCC: W0 holds the FID; rmm-v1.0.md s1: the SVE hint (bit 16) is cleared. */
	assert_true(psci_is_psci_call(0xFFFFFFFF00000000ULL | PSCI_VERSION));
	assert_true(psci_is_psci_call(PSCI_VERSION | SMCCC_SVE_HINT));
}

/* s7.1 PSCI_VERSION: X0 = 0x10001, no exit. */
static void test_version(void **state)
{
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	enter(&run, 0, regs);
	assert_int_equal(ps_call(&run, regs, PSCI_VERSION, 7, 8, 9), REC_SMC_RETURN);
	assert_result(&run, regs, PSCI_VERSION_1_1, "PSCI_VERSION");
	assert_exit_untouched(&run);
	/* The FID is W0 (SMCCC): upper bits of X0 are ignored. */
	assert_int_equal(ps_call(&run, regs, 0xABCD000000000000ULL | PSCI_VERSION, 1, 2, 3),
			 REC_SMC_RETURN);
	assert_result(&run, regs, PSCI_VERSION_1_1, "PSCI_VERSION, X0[63:32] set");
	ps_leave(&run);
	assert_false(fx_rec(P.rec[0])->psci.pending);
}

/*
 * s7.1 CPU_SUSPEND (both FIDs): PSCI exit with gprs[0] = FID, other gprs 0;
 * the realm's X0 = SUCCESS at once, X1..X3 = 0; no request pending.
 */
static void test_cpu_suspend(void **state)
{
	static const uint64_t fids[] = { PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64 };
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		enter(&run, 0, regs);
		assert_int_equal(ps_call(&run, regs, fids[i], 0x10000, PS_ENTRY, 0x55),
				 REC_SMC_EXIT);
		assert_psci_exit(&run, 1, fids[i], 0);
		assert_result(&run, regs, (uint64_t)PSCI_RET_SUCCESS, "CPU_SUSPEND");
		ps_leave(&run);
		assert_false(fx_rec(P.rec[0])->psci.pending);
		assert_true(fx_rec(P.rec[0])->runnable);
		/* Saved into the REC: the next entry sees X0 = SUCCESS. */
		assert_int_equal(fx_rec(P.rec[0])->gprs[0], PSCI_RET_SUCCESS);
	}
}

/* s7.1 CPU_OFF: the REC becomes not runnable; PSCI exit with gprs[0] = FID. */
static void test_cpu_off(void **state)
{
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	enter(&run, 2, regs);
	assert_int_equal(ps_call(&run, regs, PSCI_CPU_OFF, 1, 2, 3), REC_SMC_EXIT);
	assert_psci_exit(&run, 1, PSCI_CPU_OFF, 0);
	assert_false(run.ctx.rec->runnable);
	assert_result(&run, regs, (uint64_t)PSCI_RET_SUCCESS, "CPU_OFF");
	ps_leave(&run);
	assert_false(fx_rec(P.rec[2])->runnable);
	assert_false(fx_rec(P.rec[2])->psci.pending);
}

/* s7.2: CPU_ON failures answered in place, in the order 1, 2, 3 (both FIDs). */
static void test_cpu_on_order(void **state)
{
	static const uint64_t fids[] = { PSCI_CPU_ON_32, PSCI_CPU_ON_64 };
	const uint64_t unprot = 1ULL << (FX_S2SZ - 1);
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		uint64_t f = fids[i];

		enter(&run, 0, regs);
		/* Step 1 before step 2: unprotected entry and an MPIDR with no REC. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(9), unprot, 0x11), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_ADDRESS, "step 1 vs 2");
		/* Step 1 before step 3: unprotected entry, target = self. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), unprot, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_ADDRESS, "step 1 vs 3");
		/* Step 1: outside the IPA space; the last PAR byte is accepted. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), 1ULL << FX_S2SZ, 0),
				 REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_ADDRESS, "outside IPA");
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), unprot - 1, 0),
				 REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_ALREADY_ON, "last PAR byte");
		/* Step 2: index >= REC count (4), via Aff0, Aff1 and Aff3 (s7.5). */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(4), PS_ENTRY, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "index 4");
		assert_int_equal(ps_call(&run, regs, f, 0x100, PS_ENTRY, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "Aff1 = 1");
		assert_int_equal(ps_call(&run, regs, f, 1ULL << 32, PS_ENTRY, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "Aff3 = 1");
		/* Step 3: the caller itself, with and without the RES1 bit. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), PS_ENTRY, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_ALREADY_ON, "self");
		assert_int_equal(ps_call(&run, regs, f, 0, PS_ENTRY, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_ALREADY_ON, "self, no RES1");
		assert_exit_untouched(&run);
		ps_leave(&run);
		assert_false(fx_rec(P.rec[0])->psci.pending);
	}
}

/*
 * s7.2 step 4: another REC, whatever its state, goes to the host: PSCI
 * pending, registers unchanged, exit gprs[0] = FID, gprs[1] = target MPIDR
 * (the entry point and context ID are not exposed), other gprs 0.
 */
static void test_cpu_on_exit(void **state)
{
	static const uint64_t fids[] = { PSCI_CPU_ON_32, PSCI_CPU_ON_64 };
	/* REC 1 (not runnable), REC 2 (runnable), REC 3 from REC 2. */
	static const unsigned int caller[] = { 0, 0, 2 }, target[] = { 1, 2, 3 };
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		for (size_t t = 0; t < ARRAY_SIZE(target); t++) {
			uint64_t mpidr = ps_mpidr(target[t]);
			struct rec *rec = fx_rec(P.rec[caller[t]]);

			enter(&run, caller[t], regs);
			assert_int_equal(ps_call(&run, regs, fids[i], mpidr, PS_ENTRY, 0xC0FFEE),
					 REC_SMC_EXIT);
			assert_psci_exit(&run, 2, fids[i], mpidr);
			assert_regs(&run, regs, "CPU_ON pending: registers unchanged");
			ps_leave(&run);
			assert_true(rec->psci.pending);
			assert_int_equal(rec->psci.fid, fids[i]);
			assert_int_equal(rec->psci.target_mpidr, mpidr);
			assert_int_equal(rec->gprs[2], PS_ENTRY);
			assert_int_equal(rec->gprs[3], 0xC0FFEE);
			/* White box: forget the request so the next case starts clean. */
			rec->psci.pending = false;
		}
	}
	/* The target is not touched by the request. */
	assert_false(fx_rec(P.rec[1])->runnable);
	assert_int_equal(fx_rec(P.rec[1])->pc, 0x10100);
}

/* s7.3: AFFINITY_INFO in the order 1, 2, 3, 4 (both FIDs). */
static void test_affinity_info(void **state)
{
	static const uint64_t fids[] = { PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64 };
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		uint64_t f = fids[i];
		struct rec *rec = fx_rec(P.rec[0]);

		enter(&run, 0, regs);
		/* Step 1 before 3: lowest level 1 for the caller itself. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), 1, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "level 1, self");
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(1), 3, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "level 3");
		/* Step 2. */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(4), 0, 0), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_INVALID_PARAMS, "index 4");
		/* Step 3: ON (0). */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(0), 0, 0x77), REC_SMC_RETURN);
		assert_result(&run, regs, PSCI_AFFINITY_ON, "self");
		assert_exit_untouched(&run);
		/* Step 4 (failure-conditions s5.4 step 2: unused gprs zero). */
		assert_int_equal(ps_call(&run, regs, f, ps_mpidr(3), 0, 0x77), REC_SMC_EXIT);
		assert_psci_exit(&run, 2, f, ps_mpidr(3));
		assert_regs(&run, regs, "AFFINITY_INFO pending: registers unchanged");
		ps_leave(&run);
		assert_true(rec->psci.pending);
		assert_int_equal(rec->psci.fid, f);
		rec->psci.pending = false;
	}
}

/*
 * s7.1 SYSTEM_OFF and SYSTEM_RESET: realm state SYSTEM_OFF (under the RD
 * lock, which is free again afterwards), PSCI exit gprs[0] = FID, the
 * realm's registers unchanged (failure-conditions s5.5).
 */
static void test_system_off_reset(void **state)
{
	static const uint64_t fids[] = { PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET };
	static struct ps_realm q[2];
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		struct granule *g_rd;

		/* A fresh ACTIVE realm for each function. */
		ps_realm_create(&q[i], (uint16_t)(10 + i), RUNNABLE, 2);
		ps_enter(&run, &q[i], q[i].rec[1]);
		ps_pattern(regs, 0x5EED0000ULL + i);
		assert_int_equal(ps_call(&run, regs, fids[i], 1, 2, 3), REC_SMC_EXIT);
		assert_psci_exit(&run, 1, fids[i], 0);
		assert_regs(&run, regs, "SYSTEM_OFF: registers unchanged");
		assert_int_equal(realm_state(rd_of(find_granule(q[i].r.rd))),
				 RMI_REALM_STATE_SYSTEM_OFF);
		ps_leave(&run);
		g_rd = find_lock_granule(q[i].r.rd, GRANULE_STATE_RD);
		assert_non_null(g_rd);
		granule_unlock(g_rd);
		assert_false(fx_rec(q[i].rec[1])->psci.pending);
		/* Only that realm. */
		assert_int_equal(realm_state(rd_of(find_granule(P.r.rd))), RMI_REALM_STATE_ACTIVE);
	}
}

/*
 * s7.1 PSCI_FEATURES: SUCCESS exactly for CPU_SUSPEND (both), CPU_OFF,
 * CPU_ON (both), AFFINITY_INFO (both), SYSTEM_OFF, SYSTEM_RESET,
 * PSCI_FEATURES and SMCCC_VERSION; NOT_SUPPORTED for anything else.
 */
static void test_features(void **state)
{
	static const uint64_t yes[] = {
		PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64,   PSCI_CPU_OFF,	   PSCI_CPU_ON_32,
		PSCI_CPU_ON_64,	     PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF,
		PSCI_SYSTEM_RESET,   PSCI_FEATURES,	    SMCCC_VERSION_FID,
	};
	static const uint64_t no[] = {
		PSCI_VERSION,
		PSCI_MIGRATE_32,
		PSCI_MIGRATE_64,
		PSCI_SYSTEM_SUSPEND_32,
		PSCI_SYSTEM_SUSPEND_64,
		PSCI_SYSTEM_RESET2_64,
		0xC4000002u /* SMC64 CPU_OFF */,
		0xC4000008u /* SMC64 SYSTEM_OFF */,
		PSCI_FID_SMC32_BASE + 0x15,
		RSI_VERSION,
		RMI_VERSION,
		0,
	};
	uint64_t regs[REC_NUM_GPRS];
	struct ps_run run;

	(void)state;
	enter(&run, 0, regs);
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		assert_int_equal(ps_call(&run, regs, PSCI_FEATURES, yes[i], 5, 6), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_SUCCESS, "FEATURES: supported");
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		assert_int_equal(ps_call(&run, regs, PSCI_FEATURES, no[i], 5, 6), REC_SMC_RETURN);
		assert_result(&run, regs, (uint64_t)PSCI_RET_NOT_SUPPORTED, "FEATURES: other");
	}
	/* DEN0022 PSCI_FEATURES takes a uint32 FID: X1[63:32] is ignored. */
	assert_int_equal(ps_call(&run, regs, PSCI_FEATURES, 0x100000000ULL | PSCI_CPU_OFF, 0, 0),
			 REC_SMC_RETURN);
	assert_result(&run, regs, (uint64_t)PSCI_RET_SUCCESS, "FEATURES: X1[63:32]");
	assert_exit_untouched(&run);
	ps_leave(&run);
}

/* The s7.1 functions that this RMM implements (everything else: NOT_SUPPORTED). */
static bool implemented(uint64_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

/*
 * s7.1 last row: every other FNUM 0x00..0x14, SMC32 and SMC64 (e.g.
 * MIGRATE, SYSTEM_SUSPEND, SYSTEM_RESET2, SMC64 CPU_OFF) answers
 * NOT_SUPPORTED in place, X1..X3 = 0, no exit, nothing pending.
 */
static void test_not_supported(void **state)
{
	uint64_t regs[REC_NUM_GPRS];
	unsigned int count = 0;
	struct ps_run run;

	(void)state;
	enter(&run, 0, regs);
	for (uint64_t n = 0; n <= PSCI_FNUM_MAX; n++) {
		const uint64_t f[2] = { PSCI_FID_SMC32_BASE + n, PSCI_FID_SMC64_BASE + n };

		for (unsigned int k = 0; k < 2; k++) {
			if (implemented(f[k]))
				continue;
			assert_int_equal(ps_call(&run, regs, f[k], ps_mpidr(1), PS_ENTRY, 0),
					 REC_SMC_RETURN);
			assert_result(&run, regs, (uint64_t)PSCI_RET_NOT_SUPPORTED,
				      "unimplemented PSCI function");
			count++;
		}
	}
	/* 42 FIDs, 11 implemented. */
	assert_int_equal(count, 31);
	assert_exit_untouched(&run);
	ps_leave(&run);
	assert_false(fx_rec(P.rec[0])->psci.pending);
	assert_true(fx_rec(P.rec[0])->runnable);
	assert_int_equal(realm_state(rd_of(find_granule(P.r.rd))), RMI_REALM_STATE_ACTIVE);
}

/* s7.5: the realm's MPIDR_EL1 layout maps to the REC index (Aff3 at [39:32]). */
static void test_mpidr_index(void **state)
{
	(void)state;
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x80000003ULL), 3);
	assert_int_equal(rmi_mpidr_el1_to_rec_index(0x0000000100020305ULL),
			 5 | (3 << 4) | (2 << 12) | (1 << 20));
	for (uint64_t idx = 0; idx < 4096; idx += 7)
		assert_int_equal(rmi_mpidr_el1_to_rec_index(ps_mpidr((unsigned int)idx)), idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_psci_call),
		cmocka_unit_test(test_mpidr_index),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_affinity_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_system_off_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_supported, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
