/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_REC_ENTER failure conditions (failure-conditions-v1.0.md s2.11 with
 * its priority rows; rmm-v1.0.md s12.1, s12.7, s12.8), each with real
 * objects: a NEW realm, a realm made SYSTEM_OFF by a guest's PSCI
 * SYSTEM_OFF, a REC with a pending CPU_ON, a NOT_RUNNABLE REC, invalid GIC
 * states, EMUL_MMIO/INJECT_SEA misuse; and "a failing REC_ENTER consumes no
 * completion" (s12.1). The "REC running" and write-fault rows need a second
 * thread: test_rec_enter_threads.c.
 */
#include "rec_enter_fixture.h"

static uint64_t enter_gic(struct rx_realm *x, pa_t rec, uint64_t hcr, const uint64_t *lrs)
{
	struct rmi_rec_enter *en = &rx_run(x->run)->enter;
	uint64_t ret;

	en->gicv3_hcr = hcr;
	memset(en->gicv3_lrs, 0, sizeof(en->gicv3_lrs));
	if (lrs)
		memcpy(en->gicv3_lrs, lrs, sizeof(en->gicv3_lrs));
	ret = rx_enter(x, rec, REC_ENTER_FLAG_TRAP_WFI);
	en->gicv3_hcr = 0;
	memset(en->gicv3_lrs, 0, sizeof(en->gicv3_lrs));
	return ret;
}

/* s2.11 #1 run_align / run_bound / run_pas (Realm and Secure). */
static void test_run_granule(void **state)
{
	struct rx_realm x;
	pa_t rec, bad[5];

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	bad[0] = pa_add(x.run, 1);  /* run_align */
	bad[1] = pa_of(FX_PA_MMIO); /* run_bound */
	bad[2] = pa_of(FX_PA_OOR);  /* run_bound */
	bad[3] = fx_delegated();    /* run_pas: Realm */
	bad[4] = fx_pa_secure();    /* run_pas: Secure */
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_rmi(fx_rmi(RMI_REC_ENTER, rec.v, bad[i].v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	/* Nothing was consumed or written: the REC is idle and enters as before. */
	assert_int_equal(granule_refcount_read(find_granule(rec)), 0);
	assert_int_equal(rx_rec_state(rec)->pc, RX_CODE);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_rec_state(rec)->pc, G_WFI + 4);
}

/* s2.11 #2 rec_align / rec_bound / rec_gran_state (every other granule state). */
static void test_rec_granule(void **state)
{
	struct rx_realm x;
	pa_t rec, aux0, del = fx_delegated(), ns = fx_ns();
	pa_t bad[9];

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec_aux(&x, RMI_REC_PARAMS_FLAG_RUNNABLE, G_WFI, NULL, &aux0);
	rx_activate(&x);
	bad[0] = pa_add(rec, 1);    /* rec_align */
	bad[1] = pa_of(FX_PA_MMIO); /* rec_bound */
	bad[2] = pa_of(FX_PA_OOR);  /* rec_bound */
	bad[3] = ns;		    /* UNDELEGATED */
	bad[4] = del;		    /* DELEGATED */
	bad[5] = x.r.rd;	    /* RD */
	bad[6] = x.r.root;	    /* RTT */
	bad[7] = x.code;	    /* DATA */
	bad[8] = aux0;		    /* REC_AUX */
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_rmi(fx_rmi(RMI_REC_ENTER, bad[i].v, x.run.v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
}

/* s2.11 #3 realm_new -> (E_REALM, 0); priority: run_pas Secure / run_bound MMIO beat it. */
static void test_realm_new(void **state)
{
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	assert_rmi(rx_enter(&x, rec, 0), RMI_ERROR_REALM, 0);
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec.v, fx_pa_secure().v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec.v, FX_PA_MMIO, 0, 0, 0), RMI_ERROR_INPUT, 0);
	/* Outputs: the exit half is written only on SUCCESS. */
	assert_true(rx_zero(&rx_run(x.run)->exit, sizeof(struct rmi_rec_exit)));
	rx_activate(&x);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
}

/* s2.11 #6 system_off -> (E_REALM, 1) on every REC, reached by the guest's SYSTEM_OFF. */
static void test_system_off(void **state)
{
	const uint64_t off[6] = { PSCI_SYSTEM_OFF };
	struct rx_realm x;
	struct rmi_rec_exit *e;
	pa_t rec0, rec1;

	(void)state;
	rx_realm_new(&x);
	rec0 = rx_rec(&x, G_SMC, off);
	rec1 = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	e = rx_step(&x, rec0, 0);
	/* s7.1: exit PSCI with gprs[0] = FID, other gprs zero. */
	assert_int_equal(e->exit_reason, RMI_EXIT_PSCI);
	assert_int_equal(e->gprs[0], PSCI_SYSTEM_OFF);
	assert_true(rx_zero(&e->gprs[1], sizeof(e->gprs) - 8));
	assert_int_equal(realm_state(fx_rd(&x.r)), RMI_REALM_STATE_SYSTEM_OFF);
	assert_rmi(rx_enter(&x, rec0, 0), RMI_ERROR_REALM, 1);
	assert_rmi(rx_enter(&x, rec1, 0), RMI_ERROR_REALM, 1);
	/* Priority rows: run_pas (Secure) and run_bound (MMIO) beat SYSTEM_OFF. */
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec1.v, fx_pa_secure().v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec1.v, FX_PA_MMIO, 0, 0, 0), RMI_ERROR_INPUT, 0);
	/* Realm state beats "not runnable" (reference order). */
	assert_rmi(rx_enter(&x, rec1, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REALM, 1);
}

/* s2.11 #7 rec_runnable; priority: run_pas / run_bound beat it. */
static void test_not_runnable(void **state)
{
	struct rx_realm x;
	pa_t rec0, rec1;

	(void)state;
	rx_realm_new(&x);
	rec0 = rx_rec(&x, G_WFI, NULL);
	rec1 = rx_rec_aux(&x, 0, G_WFI, NULL, NULL);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec1, 0), RMI_ERROR_REC, 0);
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec1.v, fx_pa_secure().v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec1.v, FX_PA_MMIO, 0, 0, 0), RMI_ERROR_INPUT, 0);
	/* Not runnable beats an invalid GIC state (reference order). */
	assert_rmi(enter_gic(&x, rec1, 1ULL << 8, NULL), RMI_ERROR_REC, 0);
	rx_assert_wfi_exit(rx_step(&x, rec0, 0));
}

/* s2.11 #5 rec_psci: CPU_ON issued, PSCI_COMPLETE not called (s7.4). */
static void test_psci_pending(void **state)
{
	const uint64_t on[6] = { PSCI_CPU_ON_64, 1 /* MPIDR of REC 1 */, G_WFI, 0x1234 };
	struct rx_realm x;
	struct rmi_rec_exit *e;
	pa_t rec0, rec1;

	(void)state;
	rx_realm_new(&x);
	rec0 = rx_rec(&x, G_SMC, on);
	rec1 = rx_rec_aux(&x, 0, G_WFI, NULL, NULL);
	rx_activate(&x);
	e = rx_step(&x, rec0, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_PSCI);
	assert_int_equal(e->gprs[0], PSCI_CPU_ON_64);
	assert_int_equal(e->gprs[1], 1);
	assert_rmi(rx_enter(&x, rec0, 0), RMI_ERROR_REC, 0);
	/* PSCI pending beats a GIC state the host got wrong. */
	assert_rmi(enter_gic(&x, rec0, 1ULL << 11, NULL), RMI_ERROR_REC, 0);
	assert_rmi(fx_rmi(RMI_PSCI_COMPLETE, rec0.v, rec1.v, PSCI_RET_SUCCESS, 0, 0), RMI_SUCCESS,
		   0);
	/* s7.4: the realm's X0 = SUCCESS, X1..X3 = 0; REC 1 starts at the entry with X0 = ctx. */
	rx_assert_wfi_exit(rx_step(&x, rec0, 0));
	assert_int_equal(rx_x(rec0, 0), PSCI_RET_SUCCESS);
	rx_assert_wfi_exit(rx_step(&x, rec1, 0));
	assert_int_equal(rx_x(rec1, 0), 0x1234);
	assert_int_equal(rx_rec_state(rec1)->pc, G_WFI + 4);
}

/* s2.11 #8 rec_gicv3 and the GIC suite rows (s12.8). */
static void test_gic_state(void **state)
{
	static const uint64_t bad_hcr[] = { 1ULL << 0,	1ULL << 8,  1ULL << 9,	1ULL << 10,
					    1ULL << 11, 1ULL << 12, 1ULL << 15, 1ULL << 27 };
	static const uint64_t bad_lr0[] = {
		3ULL << 61,		     /* HW, pending (ACS rec_gicv3) */
		(2ULL << 62) | (1ULL << 61), /* HW, active */
		(3ULL << 62) | (1ULL << 61), /* HW, pending + active */
		(1ULL << 62) | (1ULL << 48), /* priority RES0 bit set */
		(1ULL << 62) | (1ULL << 32), /* pINTID other than EOI */
		(1ULL << 62) | 1020,	     /* vINTID 1020..8191 */
		(1ULL << 62) | 0x10000,	     /* vINTID beyond 16 bits */
	};
	uint64_t lrs[RMI_REC_GIC_NUM_LRS] = { 0 };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	for (size_t i = 0; i < ARRAY_SIZE(bad_hcr); i++)
		assert_rmi(enter_gic(&x, rec, bad_hcr[i], NULL), RMI_ERROR_REC, 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad_lr0); i++) {
		lrs[0] = bad_lr0[i];
		assert_rmi(enter_gic(&x, rec, 0, lrs), RMI_ERROR_REC, 0);
	}
	/* Two valid LRs with one vINTID; the same vINTID in an invalid LR is fine. */
	lrs[0] = (1ULL << 62) | 27;
	lrs[5] = (2ULL << 62) | 27;
	assert_rmi(enter_gic(&x, rec, 0, lrs), RMI_ERROR_REC, 0);
	lrs[5] = 27;
	/* Valid: EOI bit in pINTID, an LPI, TDIR and UIE; reported back at the exit. */
	lrs[1] = (1ULL << 62) | (1ULL << 41) | (0xa8ULL << 48) | 8192;
	rx_run(x.run)->enter.gicv3_hcr = (1ULL << 14) | (1ULL << 1);
	memcpy(rx_run(x.run)->enter.gicv3_lrs, lrs, sizeof(lrs));
	e = rx_step(&x, rec, 0);
	rx_assert_wfi_exit(e);
	assert_int_equal(e->gicv3_hcr, (1ULL << 14) | (1ULL << 1));
	assert_memory_equal(e->gicv3_lrs, lrs, sizeof(lrs));
	assert_int_equal(e->gicv3_misr, 0); /* UIE with two valid LRs: no underflow */
	assert_int_equal(e->gicv3_vmcr, 0);
}

/* Priority rows: rec_align, rec_bound, rec_gran_state (UNDELEGATED) beat an invalid GIC. */
static void test_gic_priority(void **state)
{
	struct rx_realm x;
	pa_t rec, ns = fx_ns();
	const pa_t bad[] = { pa_of(0), pa_of(FX_PA_MMIO), ns };

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	rx_run(x.run)->enter.gicv3_hcr = 1ULL << 8;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		pa_t r = i == 0 ? pa_add(rec, 1) : bad[i];

		assert_rmi(fx_rmi(RMI_REC_ENTER, r.v, x.run.v, 0, 0, 0), RMI_ERROR_INPUT, 0);
	}
	assert_rmi(fx_rmi(RMI_REC_ENTER, rec.v, x.run.v, 0, 0, 0), RMI_ERROR_REC, 0);
}

/*
 * s2.11 #4 rec_mmio: EMUL_MMIO after a non-emulatable data abort (protected,
 * UNASSIGNED/RAM); INJECT_SEA after it, and after exits that are no data
 * abort; a failed entry consumes nothing, and the abort is then resolved.
 */
static void test_mmio_sea_misuse(void **state)
{
	const uint64_t a[6] = { [5] = RX_RAM };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec, page = fx_delegated();

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_LDR, a);
	rx_activate(&x);
	/* A fresh REC: no last exit at all. */
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REC, 0);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_INJECT_SEA), RMI_ERROR_REC, 0);
	e = rx_step(&x, rec, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_SYNC);
	assert_int_equal(e->esr >> 26, 0x24);
	assert_int_equal(e->hpfar, RX_RAM >> 8);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REC, 0);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_INJECT_SEA), RMI_ERROR_REC, 0);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO | REC_ENTER_FLAG_INJECT_SEA),
		   RMI_ERROR_REC, 0);
	/* Nothing consumed: the PC is still at the load. */
	assert_int_equal(rx_rec_state(rec)->pc, G_LDR);
	assert_rmi(fx_data_create_unknown(&x.r, page, RX_RAM), RMI_SUCCESS, 0);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_rec_state(rec)->pc, G_LDR + 8);
	/* After a WFI exit neither completion applies. */
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REC, 0);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_INJECT_SEA), RMI_ERROR_REC, 0);
}

/*
 * s12.1: a failing REC_ENTER consumes no completion: an MMIO read and a
 * host call survive an entry refused for its GIC state.
 */
static void test_failed_entry_consumes_nothing(void **state)
{
	const uint64_t a[6] = { [1] = RX_DEV + 8 };
	const uint64_t hc[6] = { RSI_HOST_CALL, RX_HC };
	const uint64_t *hc_gprs;
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec, rec_hc;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_MMIO + 4, a); /* starts at ldrsb w6, [x1, #8] */
	rec_hc = rx_rec(&x, G_SMC, hc);
	rx_activate(&x);
	e = rx_step(&x, rec, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_SYNC);
	rx_run(x.run)->enter.gprs[0] = 0x80;
	assert_rmi(enter_gic(&x, rec, 1ULL << 0, NULL), RMI_ERROR_REC, 0);
	assert_int_equal(rx_rec_state(rec)->pc, G_MMIO + 4);
	assert_int_equal(rx_x(rec, 6), G_MMIO + 4); /* X6 still holds the entry address */
	/* Now completed: W6 = SignExtend(0x80) in 32 bits, PC past the load. */
	e = rx_step(&x, rec, REC_ENTER_FLAG_EMUL_MMIO);
	assert_int_equal(rx_x(rec, 6), 0xffffff80);

	e = rx_step(&x, rec_hc, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_HOST_CALL);
	for (unsigned int i = 0; i < 31; i++)
		rx_run(x.run)->enter.gprs[i] = 0x100 + i;
	assert_rmi(enter_gic(&x, rec_hc, 1ULL << 8, NULL), RMI_ERROR_REC, 0);
	hc_gprs = (const uint64_t *)((const uint8_t *)platform_root_ptr(x.hc) + 8);
	assert_int_equal(hc_gprs[0], 0);
	assert_true(rx_rec_state(rec_hc)->host_call.pending);
	rx_assert_wfi_exit(rx_step(&x, rec_hc, 0));
	/* s12.5: gprs copied back, X0 = SUCCESS, other registers unchanged. */
	for (unsigned int i = 0; i < 31; i++)
		assert_int_equal(hc_gprs[i], 0x100 + i);
	assert_int_equal(rx_x(rec_hc, 0), RSI_SUCCESS);
	assert_int_equal(rx_x(rec_hc, 1), RX_HC);
	assert_false(rx_rec_state(rec_hc)->host_call.pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_granule, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_granule, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_realm_new, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_system_off, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_runnable, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_psci_pending, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gic_state, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gic_priority, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mmio_sea_misuse, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_failed_entry_consumes_nothing, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
