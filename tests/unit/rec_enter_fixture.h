/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fixture of the REC_ENTER tests (test_rec_enter*.c): realms built through
 * the RMI as a host does (rec_data_fixture.h), with one code page of tiny
 * AArch64 guests written here as instruction words (assembled with
 * aarch64-linux-gnu-as; the listing is next to each word), RECs whose
 * X0..X7 select the guest and its arguments, and a run granule.
 *
 * Guest IPA layout (s2sz 40, start level 0):
 *   RX_CODE   0x80000000  DATA (RAM): the code page below
 *   RX_DATA   0x80001000  DATA (RAM), zero
 *   RX_RAM    0x80002000  UNASSIGNED, RIPAS RAM (INIT_RIPAS)
 *   RX_EMPTY  0x80003000  UNASSIGNED, RIPAS EMPTY
 *   RX_HC     0x80004000  DATA (RAM), zero: an RsiHostCall at its start
 *   RX_DEV    2^39 + 0x0A000000: unprotected, UNASSIGNED_NS (MMIO)
 *
 * Every REC starts at RX_CODE with X6 = the guest's entry and X7 = its
 * vector base: the preamble sets VBAR_EL1 = X7 and branches to X6. The
 * synchronous vector (current EL, SP_ELx: VBAR + 0x200) records ESR_EL1,
 * ELR_EL1, FAR_EL1 in X9, X10, X11, counts in X12, stops at a WFI (the
 * tests trap WFI: a SYNC exit), then returns to X10 with ERET.
 */
#ifndef REALMKIT_TEST_REC_ENTER_FIXTURE_H
#define REALMKIT_TEST_REC_ENTER_FIXTURE_H

#include <stdatomic.h>
#include <string.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rsi.h>

#include "rec_data_fixture.h"
#include "rec_run_priv.h"

#define RX_CODE	 0x80000000ULL
#define RX_DATA	 0x80001000ULL
#define RX_RAM	 0x80002000ULL
#define RX_EMPTY 0x80003000ULL
#define RX_HC	 0x80004000ULL
#define RX_DEV	 ((1ULL << (FX_S2SZ - 1)) + 0x0A000000ULL)
#define RX_VBAR	 (RX_CODE + 0x800)

/* Guest entry points (offsets in the code page). */
#define G_SPIN	   (RX_CODE + 0x040) /* 1: add x0, x0, #1; b 1b */
#define G_WFI	   (RX_CODE + 0x080) /* wfi; b . */
#define G_SMC	   (RX_CODE + 0x0c0) /* smc #0 (X0..X5 from the REC params); wfi */
#define G_HVC	   (RX_CODE + 0x100) /* hvc #0x55; wfi */
#define G_MMIO	   (RX_CODE + 0x140) /* str x5,[x1]; ldrsb w6,[x1,#8]; ldrh w7,[x1,#2]; ... */
#define G_PRECISE  (RX_CODE + 0x180) /* add x1; str x1,[x2]; adds x3; ldr x4,[x5]; ... */
#define G_FETCH	   (RX_CODE + 0x1c0) /* blr x5; wfi */
#define G_TIMER	   (RX_CODE + 0x200) /* CNTV fires in X2 ticks; spin */
#define G_TIMERWFI (RX_CODE + 0x240) /* CNTV fires in X2 ticks; wfi; mrs x4, cntv_ctl; wfi */
#define G_LDR	   (RX_CODE + 0x2c0) /* ldr x4, [x5]; wfi */
#define G_WFE	   (RX_CODE + 0x300) /* wfe; wfi */
#define G_SVC	   (RX_CODE + 0x340) /* svc #1; wfi */
#define G_UDF	   (RX_CODE + 0x380) /* udf #0; wfi */
#define G_SMCLOOP  (RX_CODE + 0x3c0) /* 1: smc #0; b 1b */
#define G_HANDLER  (RX_VBAR + 0x200)

#define WFI_ESR 0x04000000ULL /* s12.2: EC 0x01, TI 0 */
#define WFE_ESR 0x04000001ULL /* EC 0x01, TI 1 */

struct rx_snippet {
	uint64_t at;
	unsigned int n;
	uint32_t w[8];
};

static const struct rx_snippet rx_code[] = {
	{ RX_CODE, 2, { 0xd518c007 /* msr vbar_el1, x7 */, 0xd61f00c0 /* br x6 */ } },
	{ G_SPIN, 2, { 0x91000400 /* add x0, x0, #1 */, 0x17ffffff /* b G_SPIN */ } },
	{ G_WFI, 2, { 0xd503207f /* wfi */, 0x14000000 /* b . */ } },
	{ G_SMC, 2, { 0xd4000003 /* smc #0 */, 0xd503207f /* wfi */ } },
	{ G_HVC, 2, { 0xd4000aa2 /* hvc #0x55 */, 0xd503207f /* wfi */ } },
	{ G_MMIO,
	  6,
	  { 0xf9000025 /* str x5, [x1] */, 0x39c02026 /* ldrsb w6, [x1, #8] */,
	    0x79400427 /* ldrh w7, [x1, #2] */, 0xb900043f /* str wzr, [x1, #4] */,
	    0xa9402027 /* ldp x7, x8, [x1] */, 0xd503207f /* wfi */ } },
	{ G_PRECISE,
	  6,
	  { 0x91000421 /* add x1, x1, #1 */, 0xf9000041 /* str x1, [x2] */,
	    0xb1000023 /* adds x3, x1, #0 */, 0xf94000a4 /* ldr x4, [x5] */,
	    0x91001c86 /* add x6, x4, #7 */, 0xd503207f /* wfi */ } },
	{ G_FETCH, 2, { 0xd63f00a0 /* blr x5 */, 0xd503207f /* wfi */ } },
	{ G_TIMER,
	  7,
	  { 0xd53be041 /* mrs x1, cntvct_el0 */, 0x8b020021 /* add x1, x1, x2 */,
	    0xd51be341 /* msr cntv_cval_el0, x1 */, 0xd2800023 /* mov x3, #1 */,
	    0xd51be323 /* msr cntv_ctl_el0, x3 */, 0x91000400 /* 1: add x0, x0, #1 */,
	    0x17ffffff /* b 1b */ } },
	{ G_TIMERWFI,
	  8,
	  { 0xd53be041 /* mrs x1, cntvct_el0 */, 0x8b020021 /* add x1, x1, x2 */,
	    0xd51be341 /* msr cntv_cval_el0, x1 */, 0xd2800023 /* mov x3, #1 */,
	    0xd51be323 /* msr cntv_ctl_el0, x3 */, 0xd503207f /* wfi */,
	    0xd53be324 /* mrs x4, cntv_ctl_el0 */, 0xd503207f /* wfi */ } },
	{ G_LDR, 2, { 0xf94000a4 /* ldr x4, [x5] */, 0xd503207f /* wfi */ } },
	{ G_WFE, 2, { 0xd503205f /* wfe */, 0xd503207f /* wfi */ } },
	{ G_SVC, 2, { 0xd4000021 /* svc #1 */, 0xd503207f /* wfi */ } },
	{ G_UDF, 2, { 0x00000000 /* udf #0 */, 0xd503207f /* wfi */ } },
	{ G_SMCLOOP, 2, { 0xd4000003 /* smc #0 */, 0x17ffffff /* b G_SMCLOOP */ } },
	{ G_HANDLER,
	  7,
	  { 0xd5385209 /* mrs x9, esr_el1 */, 0xd538402a /* mrs x10, elr_el1 */,
	    0xd538600b /* mrs x11, far_el1 */, 0x9100058c /* add x12, x12, #1 */,
	    0xd503207f /* wfi */, 0xd518402a /* msr elr_el1, x10 */, 0xd69f03e0 /* eret */ } },
};

struct rx_realm {
	struct fx_realm r;
	pa_t code, data, hc; /* DATA granules at RX_CODE, RX_DATA, RX_HC */
	pa_t run;	     /* the run granule (NS) */
};

/* An NS page holding the code page's contents (extra words at `at`, if any). */
static inline pa_t rx_code_src(uint64_t at, uint32_t word)
{
	pa_t src = fx_ns();
	uint8_t *p = platform_ns_ptr(src);

	for (size_t i = 0; i < ARRAY_SIZE(rx_code); i++)
		memcpy(p + (rx_code[i].at - RX_CODE), rx_code[i].w, rx_code[i].n * 4);
	if (at)
		memcpy(p + (at - RX_CODE), &word, 4);
	return src;
}

static inline pa_t rx_data_page(struct rx_realm *x, uint64_t ipa, pa_t src)
{
	pa_t data = fx_delegated();

	assert_rmi(fx_data_create(&x->r, data, ipa, src, RMI_NO_MEASURE_CONTENT), RMI_SUCCESS, 0);
	return data;
}

/* A NEW realm with the layout above (no REC yet). */
static inline void rx_realm_new(struct rx_realm *x)
{
	pa_t src = rx_code_src(0, 0), zero = fx_ns();
	uint64_t top;

	memset(x, 0, sizeof(*x));
	fx_realm_create(&x->r, RMI_HASH_SHA_256);
	fx_rtts(&x->r, RX_CODE, 3);
	x->code = rx_data_page(x, RX_CODE, src);
	x->data = rx_data_page(x, RX_DATA, zero);
	x->hc = rx_data_page(x, RX_HC, zero);
	assert_rmi(fx_init_ripas(&x->r, RX_RAM, RX_RAM + GRANULE_SIZE, &top), RMI_SUCCESS, 0);
	assert_int_equal(top, RX_RAM + GRANULE_SIZE);
	host_page_free(src);
	host_page_free(zero);
	x->run = fx_ns();
}

/*
 * A REC (index = the realm's REC count) entering `entry` with X0..X5 =
 * a[0..5]; the aux PAs go to aux_out if not NULL.
 */
static inline pa_t rx_rec_aux(struct rx_realm *x, uint64_t flags, uint64_t entry,
			      const uint64_t a[6], pa_t *aux0)
{
	pa_t params = fx_rec_params(flags, rmi_rec_index_to_mpidr(fx_rd(&x->r)->rec_count), 16);
	struct rmi_rec_params *p = fx_params_of(params);
	pa_t rec = fx_delegated();

	p->pc = RX_CODE;
	for (unsigned int i = 0; i < 6; i++)
		p->gprs[i] = a ? a[i] : 0;
	p->gprs[6] = entry;
	p->gprs[7] = RX_VBAR;
	if (aux0)
		*aux0 = pa_of(p->aux[0]);
	assert_rmi(fx_rec_create(&x->r, rec, params), RMI_SUCCESS, 0);
	host_page_free(params);
	return rec;
}

static inline pa_t rx_rec(struct rx_realm *x, uint64_t entry, const uint64_t a[6])
{
	return rx_rec_aux(x, RMI_REC_PARAMS_FLAG_RUNNABLE, entry, a, NULL);
}

static inline void rx_activate(struct rx_realm *x)
{
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, x->r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
}

static inline struct rmi_rec_run *rx_run(pa_t run)
{
	return platform_ns_ptr(run);
}

/* REC_ENTER with enter.flags = flags (other enter fields as the run granule holds them). */
static inline uint64_t rx_enter_run(pa_t rec, pa_t run, uint64_t flags)
{
	rx_run(run)->enter.flags = flags;
	return fx_rmi(RMI_REC_ENTER, rec.v, run.v, 0, 0, 0);
}

static inline uint64_t rx_enter(struct rx_realm *x, pa_t rec, uint64_t flags)
{
	return rx_enter_run(rec, x->run, flags);
}

/* A successful REC_ENTER trapping WFI: returns the exit. */
static inline struct rmi_rec_exit *rx_step(struct rx_realm *x, pa_t rec, uint64_t flags)
{
	assert_rmi(rx_enter(x, rec, flags | REC_ENTER_FLAG_TRAP_WFI), RMI_SUCCESS, 0);
	return &rx_run(x->run)->exit;
}

static inline void rx_assert_wfi_exit(const struct rmi_rec_exit *e)
{
	assert_int_equal(e->exit_reason, RMI_EXIT_SYNC);
	assert_int_equal(e->esr, WFI_ESR);
}

/* White box: the REC's saved state (read while it is not running). */
static inline const struct rec *rx_rec_state(pa_t rec)
{
	return fx_rec(rec);
}

static inline uint64_t rx_x(pa_t rec, unsigned int n)
{
	return fx_rec(rec)->gprs[n];
}

/* The exit half of a run granule holds only zeros outside [from, to) ranges the caller checks. */
static inline bool rx_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

#endif /* REALMKIT_TEST_REC_ENTER_FIXTURE_H */
