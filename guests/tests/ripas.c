/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RIPAS changes requested by the realm (rmm-v1.0.md s11.3, s12.4;
 * failure-conditions s5.6). The guest tells the harness how to answer the
 * next request with a report (0x5E7, policy): 0 apply all and accept,
 * 1 apply the first page only, 2 apply nothing and REJECT.
 * Harness contract: follows the policy for requests inside guest RAM.
 */
#include "rt.h"

#define POLICY_ALL    0
#define POLICY_ONE    1
#define POLICY_REJECT 2

static uint8_t buf[4 * 4096] __attribute__((aligned(4096)));

static struct rt_smc_ret set(uint64_t base, uint64_t top, uint64_t ripas, uint64_t policy)
{
	rt_report(0x5E7, policy, 0);
	return rt_smc4(RSI_IPA_STATE_SET, base, top, ripas, 0);
}

static uint64_t ripas_of(uint64_t ipa)
{
	struct rt_smc_ret r = rt_smc4(RSI_IPA_STATE_GET, ipa, ipa + 4096, 0, 0);

	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	return r.x[2];
}

int main(uint64_t x0)
{
	uint64_t base = (uint64_t)buf, top = base + sizeof(buf);
	struct rt_smc_ret r;

	(void)x0;
	/* Whole range to EMPTY, accepted. */
	r = set(base, top, RSI_RIPAS_EMPTY, POLICY_ALL);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], top);
	RT_CHECK_EQ(r.x[2], RSI_ACCEPT);
	RT_CHECK_EQ(ripas_of(base), RSI_RIPAS_EMPTY);
	r = rt_smc4(RSI_IPA_STATE_GET, base, top, 0, 0);
	RT_CHECK_EQ(r.x[1], top); /* the whole run is EMPTY */
	/* Back to RAM, applied one page at a time: the realm re-issues the rest. */
	r = set(base, top, RSI_RIPAS_RAM, POLICY_ONE);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], base + 4096);
	RT_CHECK_EQ(r.x[2], RSI_ACCEPT);
	RT_CHECK_EQ(ripas_of(base), RSI_RIPAS_RAM);
	RT_CHECK_EQ(ripas_of(base + 4096), RSI_RIPAS_EMPTY);
	/* A rejected RAM request leaves the rest unchanged: X1 = base, REJECT. */
	r = set(base + 4096, top, RSI_RIPAS_RAM, POLICY_REJECT);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], base + 4096);
	RT_CHECK_EQ(r.x[2], RSI_REJECT);
	RT_CHECK_EQ(ripas_of(base + 4096), RSI_RIPAS_EMPTY);
	r = set(base + 4096, top, RSI_RIPAS_RAM, POLICY_ALL);
	RT_CHECK_EQ(r.x[1], top);
	RT_CHECK_EQ(r.x[2], RSI_ACCEPT);
	/* The memory is usable again (the host maps it on the fault). */
	buf[0] = 1;
	buf[sizeof(buf) - 1] = 2;
	RT_CHECK_EQ(buf[0] + buf[sizeof(buf) - 1], 3);
	rt_puts("ripas: all checks passed\n");
	return 0;
}
