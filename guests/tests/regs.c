/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Register preservation across exits (failure-conditions s5.9; ACS
 * exception_rec_exit_wfi, exception_rec_exit_hostcall): X0-X30 survive a
 * trapped WFI and an MMIO write exit even when the host writes garbage into
 * enter.gprs; after a host call X0 = SUCCESS and X1-X30 survive (s12.5). Harness contract: trap WFI, fill every enter.gprs with
 * 0xdeaddeaddeaddead on every entry (except the answer to a host call,
 * which the guest does not check here), MMIO writes at RK_GUEST_MMIO_TEST
 * are accepted.
 */
#include "rt.h"

#define MMIO_TEST 0x0A000000ULL

void regs_around(uint64_t *out, uint64_t x1, int kind);

static uint64_t regs[31];
static struct rsi_host_call hc __attribute__((aligned(256)));

static void expect(unsigned int from, const char *what)
{
	for (unsigned int i = from; i < 31; i++) {
		if (regs[i] != 0x1000 + i) {
			rt_printf("%s: x%u = 0x%lx, expected 0x%x\n", what, i, regs[i], 0x1000 + i);
			rt_exit(0x100 + i);
		}
	}
}

int main(uint64_t x0)
{
	uint64_t dev = rt_shared(MMIO_TEST);

	(void)x0;
	regs_around(regs, 0x1001, 0);
	expect(0, "wfi");
	regs_around(regs, dev, 1);
	regs[1] = 0x1001; /* x1 held the device address */
	expect(0, "mmio write");
	hc.gprs[0] = RK_HC_REPORT;
	regs_around(regs, (uint64_t)&hc, 2);
	/*
	 * rmm-v1.0.md s12.5 step 3: the completion sets X0 = SUCCESS and leaves
	 * every other register unchanged (TF-RMM complete_rsi_host_call writes
	 * only X0): X1 still holds the RsiHostCall IPA.
	 */
	RT_CHECK_EQ(regs[0], RSI_SUCCESS);
	RT_CHECK_EQ(regs[1], (uint64_t)&hc);
	regs[1] = 0x1001;
	expect(2, "host call");
	rt_puts("regs: all checks passed\n");
	return 0;
}
