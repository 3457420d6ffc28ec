/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prints the realm's RIM, read with RSI_MEASUREMENT_READ(0) (rmm-v1.0.md
 * s6, s14), as one console line "RIM <hex>" of the hash length that
 * RSI_REALM_CONFIG reports (32 bytes for SHA-256, 64 for SHA-512), then
 * "RPV <hex>" (64 bytes), and exits 0.
 * Harness contract: any realm with the PL011 console (tests/vmm/rim.sh
 * compares the line with `realmkit measure`).
 */
#include "rt.h"

static uint8_t config[4096] __attribute__((aligned(4096)));

static void print_hex(const char *tag, const uint8_t *p, unsigned int n)
{
	rt_printf("%s ", tag);
	for (unsigned int i = 0; i < n; i++)
		rt_printf("%02x", p[i]);
	rt_putc('\n');
}

int main(uint64_t x0)
{
	struct rt_smc_ret r = rt_smc4(RSI_REALM_CONFIG, (uint64_t)config, 0, 0, 0);
	const struct rsi_realm_config *c = (const struct rsi_realm_config *)config;
	uint8_t rim[64];

	(void)x0;
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	r = rt_smc4(RSI_MEASUREMENT_READ, 0, 0, 0, 0);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	/* s6: the measurement is X1..X8, little-endian bytes, zero-padded. */
	memcpy(rim, &r.x[1], sizeof(rim));
	print_hex("RIM", rim, c->algorithm == RSI_HASH_SHA_512 ? 64 : 32);
	print_hex("RPV", c->rpv, RSI_RPV_SIZE);
	return 0;
}
