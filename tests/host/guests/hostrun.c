/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's run-path guest (tests/host/test_host_run.c): X0 at entry picks
 * the scenario. Harness contract per mode:
 *  HR_HCREGS   a host call with gprs[i] = 0x100 + i (gprs[0] = HR_HC_REGS):
 *              the VMM sees nr = HR_HC_REGS, args = 0x101..0x106, X7..X30
 *              through KVM_GET_ONE_REG, and answers X0..X30 = 0xA000 + i with
 *              KVM_SET_ONE_REG; the guest checks all 31 (rmm-v1.0.md s12.5).
 *  HR_SPIN     reports HR_REPORT_SPIN, then spins forever (kicks stop it).
 *  HR_RESET    PSCI SYSTEM_RESET.
 *  HR_RACE     CPU_ON of REC 1 (the VMM completes it with SUCCESS), which
 *              spins forever; REC 0 then calls SYSTEM_OFF.
 *  HR_VMM_SEA  a load at MMIO_TEST (valid syndrome): the VMM answers it with
 *              KVM_SET_VCPU_EVENTS ext_dabt_pending, the guest takes an SEA.
 * Every mode but HR_SPIN/HR_RESET/HR_RACE ends with rt_exit(0).
 */
#include "rt.h"

#define MMIO_TEST      0x0A000000ULL
#define HR_HCREGS      1
#define HR_SPIN	       2
#define HR_RESET       3
#define HR_RACE	       4
#define HR_VMM_SEA     5
#define HR_HC_REGS     0xC6000010u
#define HR_REPORT_SPIN 0x5917u

static struct rsi_host_call hc __attribute__((aligned(256)));
static volatile uint64_t spun, sea_count, sea_esr;

static void hcregs(void)
{
	for (unsigned int i = 0; i < 31; i++)
		hc.gprs[i] = 0x100 + i;
	hc.gprs[0] = HR_HC_REGS;
	RT_CHECK_EQ(rt_smc4(RSI_HOST_CALL, (uint64_t)&hc, 0, 0, 0).x[0], RSI_SUCCESS);
	for (unsigned int i = 0; i < 31; i++)
		RT_CHECK_EQ(hc.gprs[i], 0xA000 + i);
}

static void spin(uint64_t arg)
{
	(void)arg;
	for (;;)
		spun++;
}

static bool on_sea(struct rt_frame *f, unsigned int vector)
{
	if (vector != 4)
		return false;
	sea_esr = f->esr;
	sea_count++;
	f->elr += 4;
	return true;
}

static void vmm_sea(void)
{
	volatile uint32_t *dev = (volatile uint32_t *)rt_shared(MMIO_TEST);
	uint32_t v;

	rt_set_exception_handler(on_sea);
	v = *dev;
	(void)v;
	RT_CHECK_EQ(sea_count, 1);
	RT_CHECK_EQ((sea_esr >> 26) & 0x3f, 0x25); /* data abort, same EL */
	RT_CHECK_EQ(sea_esr & 0x3f, 0x10);	   /* synchronous external abort */
}

int main(uint64_t x0)
{
	switch (x0) {
	case HR_HCREGS:
		hcregs();
		break;
	case HR_SPIN:
		rt_report(HR_REPORT_SPIN, 0, 0);
		spin(0);
		break;
	case HR_RESET:
		rt_psci_system_reset();
	case HR_RACE:
		RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(1), spin, 0), PSCI_RET_SUCCESS);
		while (spun < 1000)
			__asm__ volatile("yield" ::: "memory");
		rt_psci_system_off();
	case HR_VMM_SEA:
		vmm_sea();
		break;
	default:
		return 0x77;
	}
	return 0;
}
