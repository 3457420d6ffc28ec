/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSI from the realm side (rmm-v1.0.md s1, s6, s14.5; failure-conditions s3,
 * s4): every RSI command's input errors, the register convention (outputs
 * in X1..X3, undefined outputs zeroed, X4 preserved), REMs, REALM_CONFIG,
 * IPA_STATE_GET, host-call input errors, unsupported SMCs, HVC -> UNDEF,
 * SMCCC_VERSION and PSCI_VERSION/FEATURES. Harness: any realm with SHA-256,
 * the image's pages RIPAS RAM; answers host calls with gprs unchanged.
 */
#include "rt.h"

#define X4_SENTINEL 0x4444444444444444ULL

static uint8_t page[4096] __attribute__((aligned(4096)));
static volatile unsigned int undef_count;

static bool on_exception(struct rt_frame *f, unsigned int vector)
{
	/*
	 * rmm-v1.0.md s1: HVC injects Undefined Instruction (EC 0, IL 1) at
	 * 0x200. TF-RMM (realm_inject_undef_abort) copies ELR_EL2 of the HVC
	 * trap, which already points after the HVC: resume at ELR as given.
	 */
	if (vector == 4 && f->esr == 0x02000000ULL) {
		undef_count++;
		return true;
	}
	return false;
}

static void check_version(void)
{
	struct rt_smc_ret r = rt_smc4(RSI_VERSION, RSI_ABI_VERSION, 7, 7, X4_SENTINEL);

	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], 0x10000);
	RT_CHECK_EQ(r.x[2], 0x10000);
	RT_CHECK_EQ(r.x[3], 0);		  /* s1: undefined outputs are zeroed */
	RT_CHECK_EQ(r.x[4], X4_SENTINEL); /* s1: X4 preserved */
	r = rt_smc4(RSI_VERSION, 0x20000, 0, 0, 0);
	RT_CHECK_EQ(r.x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(r.x[1], 0x10000);
	r = rt_smc4(RSI_FEATURES, 0, 9, 9, X4_SENTINEL);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], 0);
	RT_CHECK_EQ(r.x[2], 0);
	RT_CHECK_EQ(r.x[4], X4_SENTINEL);
	RT_CHECK_EQ(rt_smc4(RSI_FEATURES, 5, 0, 0, 0).x[1], 0);
}

static void check_measurements(void)
{
	/* s14.5 test vector: SHA-256(32 zero bytes || 32 x 0x11). */
	static const uint8_t golden[32] = { 0x88, 0x78, 0xb1, 0x5a, 0x7d, 0x6a, 0x3a, 0x4f,
					    0x46, 0x4e, 0x8f, 0x9f, 0x42, 0x59, 0x1d, 0xbc,
					    0x0c, 0xf4, 0xbe, 0xde, 0xa0, 0xec, 0x30, 0x90,
					    0x03, 0xd2, 0xb2, 0xee, 0x53, 0x65, 0x5e, 0xf8 };
	const uint64_t w = 0x1111111111111111ULL;
	uint64_t a[10] = { 1, 32, w, w, w, w };
	struct rt_smc_ret r;
	uint8_t got[32];

	r = rt_smc4(RSI_MEASUREMENT_READ, 0, 0, 0, 0);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK(r.x[1] | r.x[2] | r.x[3] | r.x[4]);	   /* the RIM */
	RT_CHECK_EQ(r.x[5] | r.x[6] | r.x[7] | r.x[8], 0); /* SHA-256: upper half zero */
	for (uint64_t i = 1; i <= 4; i++) {		   /* initial REMs are zero */
		r = rt_smc4(RSI_MEASUREMENT_READ, i, 0, 0, 0);
		RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
		RT_CHECK_EQ(r.x[1] | r.x[2] | r.x[3] | r.x[4] | r.x[5] | r.x[8], 0);
	}
	RT_CHECK_EQ(rt_smc4(RSI_MEASUREMENT_READ, 5, 0, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_SUCCESS);
	r = rt_smc4(RSI_MEASUREMENT_READ, 1, 0, 0, 0);
	for (int i = 0; i < 32; i++)
		got[i] = (uint8_t)(r.x[1 + i / 8] >> (8 * (i % 8)));
	RT_CHECK(memcmp(got, golden, 32) == 0);
	a[0] = 0;
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_ERROR_INPUT);
	a[0] = 5;
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_ERROR_INPUT);
	a[0] = 2;
	a[1] = 65;
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_ERROR_INPUT);
	a[1] = 0; /* size 0 is valid */
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_SUCCESS);
}

static void check_config_and_ipa_state(void)
{
	uint64_t base = (uint64_t)page;
	struct rsi_realm_config *cfg = (struct rsi_realm_config *)page;
	struct rt_smc_ret r;

	memset(page, 0xab, sizeof(page));
	RT_CHECK_EQ(rt_smc4(RSI_REALM_CONFIG, base, 0, 0, 0).x[0], RSI_SUCCESS);
	RT_CHECK_EQ(cfg->ipa_width, rt_ipa_width);
	RT_CHECK_EQ(cfg->algorithm, RSI_HASH_SHA_256);
	RT_CHECK_EQ(page[0x100], 0xab); /* s6: other bytes unchanged */
	RT_CHECK_EQ(rt_smc4(RSI_REALM_CONFIG, base + 1, 0, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_REALM_CONFIG, rt_shared(base), 0, 0, 0).x[0], RSI_ERROR_INPUT);
	r = rt_smc4(RSI_IPA_STATE_GET, base, base + 4096, 0, X4_SENTINEL);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], base + 4096);
	RT_CHECK_EQ(r.x[2], RSI_RIPAS_RAM);
	RT_CHECK_EQ(r.x[4], X4_SENTINEL);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_GET, base + 1, base + 4096, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_GET, base, base + 4097, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_GET, base, base, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_GET, base, rt_shared(0) + 4096, 0, 0).x[0],
		    RSI_ERROR_INPUT);
	/* IPA_STATE_SET input errors (no exit). */
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_SET, base + 1, base + 4096, RSI_RIPAS_RAM, 0).x[0],
		    RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_SET, base, base + 7, RSI_RIPAS_RAM, 0).x[0],
		    RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_SET, base + 4096, base, RSI_RIPAS_RAM, 0).x[0],
		    RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_SET, base, rt_shared(0) + 4096, RSI_RIPAS_RAM, 0).x[0],
		    RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_IPA_STATE_SET, base, base + 4096, 2, 0).x[0], RSI_ERROR_INPUT);
	/* Host call input errors (no exit). */
	RT_CHECK_EQ(rt_smc4(RSI_HOST_CALL, base + 8, 0, 0, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(rt_smc4(RSI_HOST_CALL, rt_shared(base), 0, 0, 0).x[0], RSI_ERROR_INPUT);
}

static void check_other_calls(void)
{
	/* s1: any other SMC, RMI IDs included, returns SMCCC_NOT_SUPPORTED. */
	RT_CHECK_EQ(rt_smc4(0xC4000150, 0x10000, 0, 0, 0).x[0], ~0ULL);
	RT_CHECK_EQ(rt_smc4(0xC400019A, 0, 0, 0, 0).x[0], ~0ULL);
	RT_CHECK_EQ(rt_smc4(0x82000000, 0, 0, 0, 0).x[0], ~0ULL);
	RT_CHECK_EQ(rt_smc4(0x80000000, 0, 0, 0, 0).x[0], 0x10002);   /* SMCCC_VERSION */
	RT_CHECK_EQ(rt_smc4(PSCI_VERSION, 0, 0, 0, 0).x[0], 0x10001); /* PSCI 1.1 */
	RT_CHECK_EQ(rt_smc4(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0, 0).x[0], 0);
	RT_CHECK_EQ(rt_smc4(PSCI_FEATURES, 0x80000000, 0, 0, 0).x[0], 0);
	RT_CHECK_EQ(rt_smc4(PSCI_FEATURES, PSCI_MIGRATE_32, 0, 0, 0).x[0], ~0ULL);
	RT_CHECK_EQ(rt_smc4(PSCI_MIGRATE_32, 0, 0, 0, 0).x[0], ~0ULL);
	RT_CHECK_EQ(rt_smc4(0xC4000002, 0, 0, 0, 0).x[0], ~0ULL); /* SMC64 CPU_OFF */
	/* s1: HVC with any FID is an Undefined Instruction in the realm. */
	__asm__ volatile("mov x0, #0\n\thvc #0" ::: "x0", "memory");
	__asm__ volatile("movz x0, #0x150\n\tmovk x0, #0xc400, lsl #16\n\thvc #0x1234" ::
				 : "x0", "memory");
	RT_CHECK_EQ(undef_count, 2);
}

int main(uint64_t x0)
{
	(void)x0;
	rt_set_exception_handler(on_exception);
	check_version();
	check_measurements();
	check_config_and_ipa_state();
	check_other_calls();
	rt_puts("rsi: all checks passed\n");
	return 0;
}
