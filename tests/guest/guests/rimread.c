/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reads the realm's RIM with RSI_MEASUREMENT_READ(0) (rmm-v1.0.md s6, s14)
 * and reports it: eight RK_HC_REPORT calls (0x514D, i, X(1+i)), i = 0..7,
 * the measurement bytes little-endian in X1..X8.
 * Harness contract: any realm; records reports.
 */
#include "rt.h"

#define REPORT_RIM 0x514D

int main(uint64_t x0)
{
	struct rt_smc_ret r = rt_smc4(RSI_MEASUREMENT_READ, 0, 0, 0, 0);

	(void)x0;
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	for (unsigned int i = 0; i < 8; i++)
		rt_report(REPORT_RIM, i, r.x[1 + i]);
	rt_puts("rimread: RIM reported\n");
	return 0;
}
