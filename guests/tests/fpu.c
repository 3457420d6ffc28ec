/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FP/SIMD state belongs to the REC (failure-conditions s5.9, KUT realm-fpu):
 * REC 0 loads pattern A into Q0-Q31, FPCR, FPSR; REC 1 loads pattern B and
 * verifies it after exits while REC 0 waits; then REC 0 verifies A.
 * Harness contract: 2 RECs, CPU_ON and AFFINITY_INFO completed with SUCCESS.
 */
#include "rt.h"

void fpu_load(const uint64_t *q); /* q[64] into Q0-Q31 */
void fpu_store(uint64_t *q);	  /* Q0-Q31 into q[64] */

static volatile uint64_t rec1_result;

static void fill(uint64_t *q, uint64_t seed)
{
	for (int i = 0; i < 64; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		q[i] = seed;
	}
}

static uint64_t check_after_exits(uint64_t seed)
{
	uint64_t want[64], got[64];

	fill(want, seed);
	fpu_load(want);
	for (int i = 0; i < 8; i++)
		rt_report(0xF0, seed, (uint64_t)i); /* exits to the host */
	fpu_store(got);
	return memcmp(want, got, sizeof(got)) == 0 ? 1 : 2;
}

static void rec1(uint64_t seed)
{
	rec1_result = check_after_exits(seed);
}

int main(uint64_t x0)
{
	uint64_t want[64], got[64];

	(void)x0;
	fill(want, 0xA);
	fpu_load(want);
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(1), rec1, 0xB), PSCI_RET_SUCCESS);
	while (rt_psci_affinity_info(rt_mpidr_of(1)) != PSCI_AFFINITY_OFF)
		;
	fpu_store(got);
	RT_CHECK(memcmp(want, got, sizeof(got)) == 0);
	RT_CHECK_EQ(rec1_result, 1);
	RT_CHECK_EQ(check_after_exits(0xC), 1);
	rt_puts("fpu: all checks passed\n");
	return 0;
}
