/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The default demo realm (`make run`): greets over the UART, starts every
 * other vCPU with PSCI CPU_ON and waits for each to turn itself off,
 * extends REM 0, obtains a CCA attestation token for a fixed challenge and
 * hands it to the host, shares a page with the host and makes it private
 * again, and powers off.
 *
 * Token hand-off: the guest converts a page to RIPAS EMPTY (shared), writes
 * the token through the page's unprotected alias (which the host backs with
 * its own memory on the first access) and issues RK_HC_TOKEN with gprs[1] =
 * that unprotected IPA and gprs[2] = the token size.
 */
#include "rt.h"

#define CHUNK 256

static uint8_t token[RSI_ATTEST_TOKEN_MAX_SIZE] __attribute__((aligned(4096)));
static uint8_t shared[2 * 4096] __attribute__((aligned(4096)));
static volatile uint64_t hello_from[RT_MAX_CPUS];

static void secondary(uint64_t arg)
{
	hello_from[rt_cpu()] = arg;
	rt_printf("  vCPU %u: up (MPIDR 0x%lx)\n", rt_cpu(), rt_read_mpidr());
}

static unsigned int start_cpus(void)
{
	unsigned int n = 1;

	for (unsigned int cpu = 1; cpu < RT_MAX_CPUS; cpu++) {
		int64_t r = rt_psci_cpu_on(rt_mpidr_of(cpu), secondary, 0x100 + cpu);

		if (r == PSCI_RET_INVALID_PARAMS)
			break; /* no such vCPU */
		RT_CHECK_EQ(r, PSCI_RET_SUCCESS);
		while (rt_psci_affinity_info(rt_mpidr_of(cpu)) != PSCI_AFFINITY_OFF)
			;
		RT_CHECK_EQ(hello_from[cpu], 0x100 + cpu);
		n++;
	}
	return n;
}

static uint64_t get_token(const uint8_t challenge[64])
{
	uint64_t a[10] = { 0 }, got = 0;
	struct rt_smc_ret r;

	memcpy(a, challenge, 64);
	r = rt_smc(RSI_ATTESTATION_TOKEN_INIT, a);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	do {
		uint64_t ipa = (uint64_t)token + (got & ~4095ULL);

		r = rt_smc4(RSI_ATTESTATION_TOKEN_CONTINUE, ipa, got & 4095, CHUNK, 0);
		RT_CHECK(r.x[0] == RSI_SUCCESS || r.x[0] == RSI_INCOMPLETE);
		got += r.x[1];
		RT_CHECK(got <= sizeof(token));
	} while (r.x[0] == RSI_INCOMPLETE);
	return got;
}

static void set_ripas(uint64_t base, uint64_t top, uint64_t ripas, uint64_t flags)
{
	while (base < top) {
		struct rt_smc_ret r = rt_smc4(RSI_IPA_STATE_SET, base, top, ripas, flags);

		RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
		RT_CHECK_EQ(r.x[2], RSI_ACCEPT);
		RT_CHECK(r.x[1] > base);
		base = r.x[1];
	}
}

int main(uint64_t dtb)
{
	static const uint8_t rem_data[32] = "realmkit demo: REM 0 extension";
	uint8_t challenge[64];
	uint64_t a[10] = { 1, sizeof(rem_data) }, size, args[6];
	uint64_t base = (uint64_t)shared, top = base + sizeof(shared);
	unsigned int cpus;

	rt_printf("demo realm: hello from vCPU 0 (IPA width %u, DTB at 0x%lx)\n", rt_ipa_width,
		  dtb);
	cpus = start_cpus();
	rt_printf("demo realm: %u vCPU(s) came up through PSCI CPU_ON\n", cpus);
	memcpy(&a[2], rem_data, sizeof(rem_data));
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, a).x[0], RSI_SUCCESS);
	for (int i = 0; i < 64; i++)
		challenge[i] = (uint8_t)i;
	size = get_token(challenge);
	rt_printf("demo realm: attestation token of %lu bytes\n", size);
	/* Share: RIPAS EMPTY, then use the unprotected alias. */
	set_ripas(base, top, RSI_RIPAS_EMPTY, RSI_CHANGE_DESTROYED);
	memcpy((void *)rt_shared(base), token, size);
	args[0] = rt_shared(base);
	args[1] = size;
	rt_host_call(RK_HC_TOKEN, args, NULL);
	/* Private again: RIPAS RAM; the host gives it fresh (zeroed) memory. */
	set_ripas(base, top, RSI_RIPAS_RAM, RSI_NO_CHANGE_DESTROYED);
	shared[0] = 0x5a;
	RT_CHECK_EQ(shared[0], 0x5a);
	rt_puts("demo realm: shared a page with the host and took it back; powering off\n");
	return 0;
}
