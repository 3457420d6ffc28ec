/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Aborts the RMM routes into the realm as synchronous external aborts
 * (rmm-v1.0.md s12.3; failure-conditions s5.3; KUT realm-sea):
 *  - data access and instruction fetch to a RIPAS EMPTY page,
 *  - instruction fetch from an unprotected IPA,
 *  - data access beyond the IPA space,
 *  - an unprotected, unmapped data access without a valid syndrome (LDP),
 *    which exits to the host with ISV = 0; the host answers INJECT_SEA.
 * Harness contract: accepts RIPAS changes of guest RAM; answers a data abort
 * exit at RK_GUEST_MMIO_TEST whose ESR has ISV = 0 with INJECT_SEA.
 */
#include "rt.h"

#define MMIO_TEST 0x0A000000ULL

static uint8_t empty_page[4096] __attribute__((aligned(4096)));
static volatile uint64_t last_esr, last_elr, count;

static bool on_exception(struct rt_frame *f, unsigned int vector)
{
	if (vector != 4)
		return false;
	last_esr = f->esr;
	last_elr = f->elr;
	count++;
	/* Resume: after the faulting load, or back to the caller of a bad branch. */
	if (((f->esr >> 26) & 0x3f) == 0x21)
		f->elr = f->x[30];
	else
		f->elr += 4;
	return true;
}

static void expect_sea(uint64_t n, unsigned int ec)
{
	RT_CHECK_EQ(count, n);
	RT_CHECK_EQ((last_esr >> 26) & 0x3f, ec);
	RT_CHECK_EQ(last_esr & 0x3f, 0x10); /* FSC: synchronous external abort */
}

static void call(uint64_t addr)
{
	__asm__ volatile("blr %0" : : "r"(addr) : "x30", "memory");
}

int main(uint64_t x0)
{
	uint64_t base = (uint64_t)empty_page;
	volatile uint64_t *p = (volatile uint64_t *)empty_page;
	struct rt_smc_ret r;
	uint64_t v;

	(void)x0;
	rt_set_exception_handler(on_exception);
	r = rt_smc4(RSI_IPA_STATE_SET, base, base + 4096, RSI_RIPAS_EMPTY, 0);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], base + 4096);
	v = *p; /* data access to RIPAS EMPTY */
	(void)v;
	expect_sea(1, 0x25);
	call(base); /* instruction fetch from RIPAS EMPTY */
	expect_sea(2, 0x21);
	call(rt_shared((uint64_t)main)); /* instruction fetch from the unprotected half */
	expect_sea(3, 0x21);
	v = *(volatile uint64_t *)(1ULL << rt_ipa_width); /* beyond the IPA space */
	expect_sea(4, 0x25);
	__asm__ volatile("ldp x9, x10, [%0]" : : "r"(rt_shared(MMIO_TEST)) : "x9", "x10", "memory");
	expect_sea(5, 0x25); /* ISV = 0: the host injected the SEA */
	rt_puts("sea: all checks passed\n");
	return 0;
}
