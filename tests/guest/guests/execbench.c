/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_exec's guest: X0 = mode << 32 | count. Reports (0xBE, mode, 0),
 * performs `count` operations, reports (0xBE, mode, 1), exits 0.
 * Modes: 0 host call (SMCCC_VERSION through RSI_HOST_CALL, answered by the
 * host), 1 MMIO write to the test device, 2 RSI_VERSION (answered inside
 * the RMM). Harness contract: answers host calls, accepts MMIO writes at
 * 0x0A000000.
 */
#include "rt.h"

#define MMIO_TEST   0x0A000000ULL
#define REPORT_MARK 0xBE

static struct rsi_host_call hc __attribute__((aligned(256)));

int main(uint64_t x0)
{
	unsigned int mode = (unsigned int)(x0 >> 32);
	uint64_t n = x0 & 0xffffffffULL;
	volatile uint64_t *dev = (volatile uint64_t *)rt_shared(MMIO_TEST);

	rt_report(REPORT_MARK, mode, 0);
	for (uint64_t i = 0; i < n; i++) {
		switch (mode) {
		case 0:
			hc.gprs[0] = 0x80000000u; /* SMCCC_VERSION */
			rt_smc4(RSI_HOST_CALL, (uint64_t)&hc, 0, 0, 0);
			break;
		case 1:
			*dev = i;
			break;
		default:
			rt_smc4(RSI_VERSION, RSI_ABI_VERSION, 0, 0, 0);
		}
	}
	rt_report(REPORT_MARK, mode, 1);
	return 0;
}
