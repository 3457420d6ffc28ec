/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * REC_ENTER's exits and what the realm sees (rmm-v1.0.md s1, s12.1-s12.6,
 * s12.9; failure-conditions s5.3, s5.7-s5.10): exit fields zeroed except
 * those defined, abort routing (SEA into the realm, stage-2 fault exit,
 * emulatable MMIO exit), EMUL_MMIO and INJECT_SEA completions, HVC ->
 * UNDEF, unsupported SMC and SMCCC_VERSION, trapped WFI/WFE, host-call
 * write-back (also onto an unmapped structure), RIPAS change completion, a
 * precise abort after earlier side effects in the same block, and
 * translated code dropped when a DATA granule is reused.
 */
#include "rec_enter_fixture.h"

#define ESR_EC(e)  ((e) >> 26)
#define ESR_IL	   (1ULL << 25)
#define ESR_ISV	   (1ULL << 24)
#define ESR_SF	   (1ULL << 15)
#define ESR_EA	   (1ULL << 9)
#define ESR_WNR	   (1ULL << 6)
#define ESR_SAS(n) ((uint64_t)(n) << 22)
#define ESR_SRT(n) ((uint64_t)(n) << 16)
#define FSC_SEA	   0x10
#define FSC_TF(l)  (0x04 + (l)) /* stage-2 translation fault at level l */

/*
 * s12.2: the exit half, with `exit_reason`, esr, far, hpfar, gprs[0] as
 * given and every other field zero except the common fields (GIC, timers:
 * zero here since the host loaded none and the guest set none).
 */
static void assert_exit_only(const struct rmi_rec_exit *e, uint64_t reason, uint64_t esr,
			     uint64_t far, uint64_t hpfar, uint64_t gpr0)
{
	struct rmi_rec_exit want;

	memset(&want, 0, sizeof(want));
	want.exit_reason = reason;
	want.esr = esr;
	want.far = far;
	want.hpfar = hpfar;
	want.gprs[0] = gpr0;
	assert_memory_equal(e, &want, sizeof(want));
}

/* s12.2 / s8.3: the exit half is zeroed at entry; a WFI exit sets only EC and TI. */
static void test_exit_zeroed(void **state)
{
	const uint64_t a[6] = { 1, 2, 3, 4, 5, 6 };
	struct rmi_rec_run *run;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, a);
	rx_activate(&x);
	run = rx_run(x.run);
	memset(&run->exit, 0xa5, sizeof(run->exit));
	memset(run->enter.gprs, 0xee, sizeof(run->enter.gprs));
	rx_step(&x, rec, 0);
	/* ACS exception_rec_exit_wfi: gprs zero, esr = EC | TI, PC past the WFI. */
	assert_exit_only(&run->exit, RMI_EXIT_SYNC, WFI_ESR, 0, 0, 0);
	assert_int_equal(rx_rec_state(rec)->pc, G_WFI + 4);
	/* s5.9: X0..X30 survive the round trip though the host wrote enter.gprs. */
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(rx_x(rec, i), a[i]);
	/* The enter half was not written. */
	for (unsigned int i = 0; i < 31; i++)
		assert_int_equal(run->enter.gprs[i], 0xeeeeeeeeeeeeeeeeULL);
}

/* s12.2: trapped WFE -> SYNC, EC 0x01, TI 1; untrapped WFE is a hint: the realm goes on. */
static void test_wfe(void **state)
{
	struct rx_realm x;
	pa_t rec, rec2;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFE, NULL);
	rec2 = rx_rec(&x, G_WFE, NULL);
	rx_activate(&x);
	assert_exit_only(rx_step(&x, rec, REC_ENTER_FLAG_TRAP_WFE), RMI_EXIT_SYNC, WFE_ESR, 0, 0,
			 0);
	assert_int_equal(rx_rec_state(rec)->pc, G_WFE + 4);
	rx_assert_wfi_exit(rx_step(&x, rec2, 0));
	assert_int_equal(rx_rec_state(rec2)->pc, G_WFE + 8);
}

/* s1: SMCCC_VERSION = 1.2, other FIDs (RMI too) -> NOT_SUPPORTED, X1..X3 = 0, X4.. kept. */
static void test_smc(void **state)
{
	const uint64_t ver[6] = { SMCCC_VERSION_FID | 0xffffffff00000000ULL, 11, 12, 13, 14, 15 };
	const uint64_t rmi[6] = { RMI_VERSION, 11, 12, 13, 14, 15 };
	const uint64_t odd[6] = { 0xC5000041, 11, 12, 13, 14, 15 };
	const uint64_t *args[] = { ver, rmi, odd };
	const uint64_t want[] = { SMCCC_VERSION_1_2, SMCCC_NOT_SUPPORTED, SMCCC_NOT_SUPPORTED };
	struct rx_realm x;
	pa_t rec[3];

	(void)state;
	rx_realm_new(&x);
	for (unsigned int i = 0; i < 3; i++)
		rec[i] = rx_rec(&x, G_SMC, args[i]);
	rx_activate(&x);
	for (unsigned int i = 0; i < 3; i++) {
		/* No exit for the call itself: the next exit is the WFI after it. */
		rx_assert_wfi_exit(rx_step(&x, rec[i], 0));
		assert_int_equal(rx_x(rec[i], 0), want[i]);
		assert_int_equal(rx_x(rec[i], 1) | rx_x(rec[i], 2) | rx_x(rec[i], 3), 0);
		assert_int_equal(rx_x(rec[i], 4), 14);
		assert_int_equal(rx_x(rec[i], 5), 15);
	}
}

/* s1 / s12.3: HVC injects UNDEF (EC 0, IL), ELR = the next instruction (TF-RMM), no exit. */
static void test_hvc(void **state)
{
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_HVC, NULL);
	rx_activate(&x);
	e = rx_step(&x, rec, 0);
	rx_assert_wfi_exit(e);
	assert_int_equal(rx_rec_state(rec)->pc, G_HANDLER + 0x14); /* the handler's WFI */
	assert_int_equal(rx_x(rec, 9), ESR_IL);			   /* ESR_EL1: EC 0, IL */
	assert_int_equal(rx_x(rec, 10), G_HVC + 4);		   /* ELR_EL1 */
	assert_int_equal(rx_x(rec, 12), 1);
	/* SPSR_EL1 = the interrupted EL1h state; the handler returns after the HVC. */
	assert_int_equal(rx_rec_state(rec)->el1.spsr_el1 & 0xf, 0x5);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_rec_state(rec)->pc, G_HVC + 8);
}

/* The guest's own exceptions (SVC, UNDEF) go to its vectors, without an exit. */
static void test_guest_exceptions(void **state)
{
	struct rx_realm x;
	pa_t svc, udf;

	(void)state;
	rx_realm_new(&x);
	svc = rx_rec(&x, G_SVC, NULL);
	udf = rx_rec(&x, G_UDF, NULL);
	rx_activate(&x);
	rx_assert_wfi_exit(rx_step(&x, svc, 0));
	assert_int_equal(rx_rec_state(svc)->pc, G_HANDLER + 0x14);
	assert_int_equal(rx_x(svc, 9), (0x15ULL << 26) | ESR_IL | 1); /* SVC #1 */
	assert_int_equal(rx_x(svc, 10), G_SVC + 4);
	rx_assert_wfi_exit(rx_step(&x, svc, 0));
	assert_int_equal(rx_rec_state(svc)->pc, G_SVC + 8);
	rx_assert_wfi_exit(rx_step(&x, udf, 0));
	assert_int_equal(rx_x(udf, 9), ESR_IL); /* EC 0: UNDEFINED */
	assert_int_equal(rx_x(udf, 10), G_UDF); /* ELR = the instruction */
}

/* s12.3 rows that inject an SEA: the realm's handler sees it, the host sees no exit. */
struct sea_case {
	uint64_t entry, target;
	unsigned int ec;
	uint64_t elr;
	pa_t rec;
};

static void check_sea(struct rx_realm *x, const struct sea_case *c)
{
	rx_assert_wfi_exit(rx_step(x, c->rec, 0));
	assert_int_equal(rx_rec_state(c->rec)->pc, G_HANDLER + 0x14);
	assert_int_equal(rx_x(c->rec, 12), 1);
	assert_int_equal(ESR_EC(rx_x(c->rec, 9)), c->ec);
	assert_int_equal(rx_x(c->rec, 9) & 0x3f, FSC_SEA);
	assert_true(rx_x(c->rec, 9) & ESR_EA);
	assert_true(rx_x(c->rec, 9) & ESR_IL);
	assert_int_equal(rx_x(c->rec, 10), c->elr);
	assert_int_equal(rx_x(c->rec, 11), c->target);
}

static void test_sea_routing(void **state)
{
	const uint64_t unprot_code = (1ULL << (FX_S2SZ - 1)) | RX_CODE;
	const uint64_t assigned_empty = RX_EMPTY + 2 * GRANULE_SIZE;
	struct sea_case cases[] = {
		/* Data access, RIPAS EMPTY (UNASSIGNED and ASSIGNED): EC 0x25 at the load. */
		{ G_LDR, RX_EMPTY, 0x25, G_LDR, { 0 } },
		{ G_LDR, assigned_empty, 0x25, G_LDR, { 0 } },
		/* Instruction fetch, RIPAS EMPTY, and from the unprotected half: EC 0x21. */
		{ G_FETCH, RX_EMPTY, 0x21, RX_EMPTY, { 0 } },
		{ G_FETCH, unprot_code, 0x21, unprot_code, { 0 } },
		/* Beyond the IPA space (ACS mm_realm_access_outside_ipa). */
		{ G_LDR, 1ULL << FX_S2SZ, 0x25, G_LDR, { 0 } },
	};
	struct rx_realm x;
	pa_t page = fx_delegated();

	(void)state;
	rx_realm_new(&x);
	/* DATA_CREATE_UNKNOWN on an EMPTY page: ASSIGNED/EMPTY is also SEA (s5.3). */
	assert_rmi(fx_data_create_unknown(&x.r, page, assigned_empty), RMI_SUCCESS, 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const uint64_t a[6] = { [5] = cases[i].target };

		cases[i].rec = rx_rec(&x, cases[i].entry, a);
	}
	rx_activate(&x);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_sea(&x, &cases[i]);
}

/*
 * s12.3: RIPAS RAM unassigned (data and fetch) and DESTROYED -> SYNC exit,
 * non-emulatable: ESR = EC/SET/FnV/EA/FSC, FAR 0, HPFAR; nothing else.
 */
static void test_stage2_fault_exits(void **state)
{
	const uint64_t ld[6] = { [5] = RX_RAM }, fetch[6] = { [5] = RX_RAM };
	const uint64_t ld_hc[6] = { [5] = RX_HC };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	struct smc_result d;
	pa_t r1, r2, r3;

	(void)state;
	rx_realm_new(&x);
	r1 = rx_rec(&x, G_LDR, ld);
	r2 = rx_rec(&x, G_FETCH, fetch);
	r3 = rx_rec(&x, G_LDR, ld_hc);
	rx_activate(&x);
	e = rx_step(&x, r1, 0);
	assert_exit_only(e, RMI_EXIT_SYNC, (0x24ULL << 26) | FSC_TF(3), 0, RX_RAM >> 8, 0);
	assert_int_equal(rx_rec_state(r1)->pc, G_LDR);
	/* ACS exception_rec_exit_ia: EC 0x20, IFSC and HPFAR only; PC at the fetch. */
	e = rx_step(&x, r2, 0);
	assert_exit_only(e, RMI_EXIT_SYNC, (0x20ULL << 26) | FSC_TF(3), 0, RX_RAM >> 8, 0);
	assert_int_equal(rx_rec_state(r2)->pc, RX_RAM);
	/* DESTROYED after DATA_DESTROY (ACS mm_ripas_destroyed_da). */
	d = fx_data_destroy(&x.r, RX_HC);
	assert_rmi(d.x[0], RMI_SUCCESS, 0);
	e = rx_step(&x, r3, 0);
	assert_exit_only(e, RMI_EXIT_SYNC, (0x24ULL << 26) | FSC_TF(3), 0, RX_HC >> 8, 0);
}

/*
 * s12.2 / failure-conditions s5.7: emulatable exits (ISV, SAS, SF, WnR,
 * FAR page offset, write data) and EMUL_MMIO loads with zero and sign
 * extension; an LDP has no syndrome (ISV 0): EMUL_MMIO is refused and
 * INJECT_SEA gives the realm an SEA at the LDP.
 */
static void test_mmio(void **state)
{
	const uint64_t a[6] = { [1] = RX_DEV, [5] = 0x1122334455667788ULL };
	const uint64_t hpfar = RX_DEV >> 8, dabt = (0x24ULL << 26) | FSC_TF(0);
	struct rmi_rec_run *run;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_MMIO, a);
	rx_activate(&x);
	run = rx_run(x.run);
	/* str x5, [x1]: 8 bytes, 64-bit register, write data in gprs[0]; no SRT. */
	assert_exit_only(rx_step(&x, rec, 0), RMI_EXIT_SYNC,
			 dabt | ESR_ISV | ESR_SAS(3) | ESR_SF | ESR_WNR, 0, hpfar, a[5]);
	assert_int_equal(rx_rec_state(rec)->pc, G_MMIO);
	/* ldrsb w6, [x1, #8]: FAR = offset 8, no SSE/SRT reported. */
	assert_exit_only(rx_step(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_EXIT_SYNC,
			 dabt | ESR_ISV | ESR_SAS(0), 8, hpfar, 0);
	run->enter.gprs[0] = 0xffffff81ULL;
	/* ldrh w7, [x1, #2] */
	assert_exit_only(rx_step(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_EXIT_SYNC,
			 dabt | ESR_ISV | ESR_SAS(1), 2, hpfar, 0);
	assert_int_equal(rx_x(rec, 6), 0xffffff81ULL); /* SignExtend(0x81) to 32 bits */
	run->enter.gprs[0] = 0xabcd8281ULL;
	/* str wzr, [x1, #4]: data 0 for XZR. */
	assert_exit_only(rx_step(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_EXIT_SYNC,
			 dabt | ESR_ISV | ESR_SAS(2) | ESR_WNR, 4, hpfar, 0);
	assert_int_equal(rx_x(rec, 7), 0x8281); /* zero-extended halfword */
	/* ldp x7, x8, [x1]: ISV = 0 (s12.3), FAR offset 0, no data. */
	assert_exit_only(rx_step(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_EXIT_SYNC, dabt, 0, hpfar,
			 0);
	assert_int_equal(rx_rec_state(rec)->pc, G_MMIO + 16);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REC, 0);
	/* TF-RMM: with INJECT_SEA valid, EMUL_MMIO is ignored. */
	rx_assert_wfi_exit(rx_step(&x, rec, REC_ENTER_FLAG_INJECT_SEA | REC_ENTER_FLAG_EMUL_MMIO));
	assert_int_equal(rx_rec_state(rec)->pc, G_HANDLER + 0x14);
	assert_int_equal(ESR_EC(rx_x(rec, 9)), 0x25);
	assert_int_equal(rx_x(rec, 9) & 0x3f, FSC_SEA);
	assert_int_equal(rx_x(rec, 10), G_MMIO + 16);
	assert_int_equal(rx_x(rec, 11), RX_DEV);
	assert_int_equal(rx_x(rec, 7), 0x8281); /* the LDP wrote nothing */
}

/* s12.3 / TFTF host_realm_sea_unprotected: INJECT_SEA after an emulatable read. */
static void test_inject_sea_after_mmio(void **state)
{
	const uint64_t a[6] = { [1] = RX_DEV - 8 };
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_MMIO + 4, a); /* ldrsb w6, [x1, #8] */
	rx_activate(&x);
	assert_int_equal(rx_step(&x, rec, 0)->esr & ESR_ISV, ESR_ISV);
	rx_assert_wfi_exit(rx_step(&x, rec, REC_ENTER_FLAG_INJECT_SEA));
	/* TF-RMM calc_esr_idabort: ESR_EL2's ISS kept (ISV, SAS, SRT), EC +1, FSC SEA, EA. */
	assert_int_equal(rx_x(rec, 9), (0x25ULL << 26) | ESR_IL | ESR_ISV | ESR_SAS(0) |
					       (1ULL << 21) /* SSE */ | ESR_SRT(6) | ESR_EA |
					       FSC_SEA);
	assert_int_equal(rx_x(rec, 10), G_MMIO + 4);
	assert_int_equal(rx_x(rec, 11), RX_DEV);
	/* INJECT_SEA was consumed with the exit. */
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_INJECT_SEA), RMI_ERROR_REC, 0);
}

/*
 * A precise abort (issue 4): ADD, STR and ADDS in the same block before a
 * load from an unmapped RAM page. The exit is at the load with the earlier
 * instructions done once; after DATA_CREATE_UNKNOWN the REC resumes there.
 */
static void test_precise_abort(void **state)
{
	const uint64_t a[6] = { [1] = 41, [2] = RX_DATA, [5] = RX_RAM };
	const uint64_t *mem;
	struct rx_realm x;
	pa_t rec, page = fx_delegated();

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_PRECISE, a);
	rx_activate(&x);
	mem = platform_root_ptr(x.data);
	assert_exit_only(rx_step(&x, rec, 0), RMI_EXIT_SYNC, (0x24ULL << 26) | FSC_TF(3), 0,
			 RX_RAM >> 8, 0);
	assert_int_equal(rx_rec_state(rec)->pc, G_PRECISE + 12);
	assert_int_equal(rx_x(rec, 1), 42);
	assert_int_equal(rx_x(rec, 3), 42);
	assert_int_equal(mem[0], 42);
	assert_int_equal(rx_x(rec, 4), 0);
	assert_int_equal(rx_rec_state(rec)->pstate & 0xf0000000ULL, 0); /* ADDS: NZCV = 0 */
	/* Entering again without mapping faults again, still without re-running the ADD. */
	rx_step(&x, rec, 0);
	assert_int_equal(rx_x(rec, 1), 42);
	assert_rmi(fx_data_create_unknown(&x.r, page, RX_RAM), RMI_SUCCESS, 0);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_x(rec, 1), 42);
	assert_int_equal(mem[0], 42);
	assert_int_equal(rx_x(rec, 4), 0);
	assert_int_equal(rx_x(rec, 6), 7);
}

/* s12.5 / s12.1 step 13: the host call's write-back onto an unmapped structure. */
static void test_host_call_unmapped(void **state)
{
	const uint64_t hc[6] = { RSI_HOST_CALL, RX_HC };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SMC, hc);
	rx_activate(&x);
	e = rx_step(&x, rec, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_HOST_CALL);
	assert_int_equal(rx_rec_state(rec)->pc, G_SMC + 4);
	assert_rmi(fx_data_destroy(&x.r, RX_HC).x[0], RMI_SUCCESS, 0);
	/* s12.6: SUCCESS with the emulated abort; the REC did not run, the call stays pending. */
	for (int i = 0; i < 2; i++) {
		e = rx_step(&x, rec, 0);
		assert_exit_only(e, RMI_EXIT_SYNC, (0x24ULL << 26) | FSC_TF(3), 0, RX_HC >> 8, 0);
		assert_int_equal(rx_rec_state(rec)->pc, G_SMC + 4);
		assert_int_equal(rx_x(rec, 0), RSI_HOST_CALL);
		assert_true(rx_rec_state(rec)->host_call.pending);
	}
	/* Neither completion applies to this exit (s12.6: not an unprotected or emulatable abort). */
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_EMUL_MMIO), RMI_ERROR_REC, 0);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_INJECT_SEA), RMI_ERROR_REC, 0);
}

/* s11.3 completion: X0 = SUCCESS, X1 = progress, X2 = REJECT only for an incomplete RAM request. */
static void check_ripas(uint64_t ripas, uint64_t response_flag, uint64_t want_x2)
{
	const uint64_t set[6] = { RSI_IPA_STATE_SET, RX_DATA, RX_DATA + GRANULE_SIZE, ripas, 0 };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec;

	rx_realm_new(&x);
	rec = rx_rec(&x, G_SMC, set);
	rx_activate(&x);
	e = rx_step(&x, rec, 0);
	assert_int_equal(e->exit_reason, RMI_EXIT_RIPAS_CHANGE);
	assert_int_equal(e->ripas_base, RX_DATA);
	assert_int_equal(e->ripas_top, RX_DATA + GRANULE_SIZE);
	assert_int_equal(e->ripas_value, ripas);
	rx_assert_wfi_exit(rx_step(&x, rec, response_flag));
	assert_int_equal(rx_x(rec, 0), RSI_SUCCESS);
	assert_int_equal(rx_x(rec, 1), RX_DATA); /* no RTT_SET_RIPAS: no progress */
	assert_int_equal(rx_x(rec, 2), want_x2);
	assert_false(rec_ripas_change_pending(rx_rec_state(rec)));
}

static void test_ripas_completion(void **state)
{
	(void)state;
	check_ripas(RSI_RIPAS_EMPTY, REC_ENTER_FLAG_RIPAS_RESPONSE, RSI_ACCEPT);
	check_ripas(RSI_RIPAS_RAM, REC_ENTER_FLAG_RIPAS_RESPONSE, RSI_REJECT);
	check_ripas(RSI_RIPAS_RAM, 0, RSI_ACCEPT);
}

/*
 * Translated-code coherence: a DATA granule that ran code in one realm is
 * destroyed and created with other code in another realm at the same IPA;
 * the same thread's engine must run the new code.
 */
static void test_code_reuse(void **state)
{
	const uint32_t mov1 = 0xd2800020 /* mov x0, #1 */, mov2 = 0xd2800040 /* mov x0, #2 */;
	struct rx_realm x, y;
	pa_t rec, src, g;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SPIN, NULL);
	/* The spin loop's ADD becomes "mov x0, #1", in a new DATA granule g. */
	src = rx_code_src(G_SPIN, mov1);
	assert_rmi(fx_data_destroy(&x.r, RX_CODE).x[0], RMI_SUCCESS, 0);
	g = fx_delegated();
	assert_rmi(fx_data_create(&x.r, g, RX_CODE, src, 0), RMI_SUCCESS, 0);
	rx_activate(&x);
	rec_run_set_budget(10000);
	rx_step(&x, rec, 0);
	assert_int_equal(rx_x(rec, 0), 1);
	/* The granule leaves realm x and returns as realm y's code, now "mov x0, #2". */
	assert_rmi(fx_data_destroy(&x.r, RX_CODE).x[0], RMI_SUCCESS, 0);
	rx_realm_new(&y);
	src = rx_code_src(G_SPIN, mov2);
	assert_rmi(fx_data_destroy(&y.r, RX_CODE).x[0], RMI_SUCCESS, 0);
	assert_rmi(fx_data_create(&y.r, g, RX_CODE, src, 0), RMI_SUCCESS, 0);
	rec = rx_rec(&y, G_SPIN, NULL);
	rx_activate(&y);
	rx_step(&y, rec, 0);
	assert_int_equal(rx_x(rec, 0), 2);
	rec_run_set_budget(REC_RUN_DEFAULT_BUDGET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_zeroed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wfe, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_smc, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hvc, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_guest_exceptions, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sea_routing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stage2_fault_exits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_mmio, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_inject_sea_after_mmio, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_precise_abort, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_host_call_unmapped, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ripas_completion, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_code_reuse, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
