/* SPDX-License-Identifier: BSD-3-Clause */
/* The smallest realm guest: RSI version, a console line, exit code 0. */
#include "rt.h"

int main(uint64_t x0)
{
	struct rt_smc_ret r = rt_smc4(RSI_VERSION, RSI_ABI_VERSION, 0, 0, 0);

	rt_printf("hello from realm: ipa width %u, RSI version %lu.%lu, dtb 0x%lx\n", rt_ipa_width,
		  r.x[1] >> 16, r.x[1] & 0xffff, x0);
	return r.x[0] == RSI_SUCCESS ? 0 : 1;
}
