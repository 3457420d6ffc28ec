/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI for realms (rmm-v1.0.md s7; failure-conditions s4, s5.4, s5.5).
 * Harness contract: 4 RECs (REC 0 runnable, RECs 1-3 not); the host
 * completes every CPU_ON with SUCCESS except for REC 3, which it DENIES,
 * and every AFFINITY_INFO with SUCCESS. The guest ends with SYSTEM_OFF.
 */
#include "rt.h"

static volatile uint64_t started[RT_MAX_CPUS];
static volatile int release;

static void secondary(uint64_t arg)
{
	started[rt_cpu()] = arg;
	/* REC 2 stays on until REC 0 has seen ALREADY_ON (spins; the budget preempts it). */
	while (arg == 0x61 && !release)
		__asm__ volatile("yield" ::: "memory");
	__asm__ volatile("dsb ish" ::: "memory");
}

static void wait_off(unsigned int cpu)
{
	/* Each AFFINITY_INFO of another REC exits to the host, so REC 1 gets to run. */
	for (unsigned int i = 0; i < 100000; i++) {
		if (rt_psci_affinity_info(rt_mpidr_of(cpu)) == PSCI_AFFINITY_OFF)
			return;
	}
	RT_CHECK(!"CPU did not turn off");
}

int main(uint64_t x0)
{
	extern char _start[];

	(void)x0;
	RT_CHECK_EQ(rt_smc4(PSCI_VERSION, 0, 0, 0, 0).x[0], PSCI_VERSION_1_1);
	/* s7.2 step 1: entry point outside the PAR. */
	RT_CHECK_EQ(rt_smc4(PSCI_CPU_ON_64, rt_mpidr_of(1), rt_shared((uint64_t)_start), 0, 0).x[0],
		    (uint64_t)PSCI_RET_INVALID_ADDRESS);
	/* Step 2: an MPIDR with no REC. */
	RT_CHECK_EQ(rt_smc4(PSCI_CPU_ON_64, rt_mpidr_of(9), (uint64_t)_start, 0, 0).x[0],
		    (uint64_t)PSCI_RET_INVALID_PARAMS);
	/* Step 3: the caller itself. */
	RT_CHECK_EQ(rt_smc4(PSCI_CPU_ON_64, rt_mpidr_of(0), (uint64_t)_start, 0, 0).x[0],
		    (uint64_t)PSCI_RET_ALREADY_ON);
	/* s7.3: AFFINITY_INFO. */
	RT_CHECK_EQ(rt_psci_affinity_info(rt_mpidr_of(0)), PSCI_AFFINITY_ON);
	RT_CHECK_EQ(rt_smc4(PSCI_AFFINITY_INFO_64, rt_mpidr_of(1), 1, 0, 0).x[0],
		    (uint64_t)PSCI_RET_INVALID_PARAMS);
	RT_CHECK_EQ(rt_psci_affinity_info(rt_mpidr_of(9)), PSCI_RET_INVALID_PARAMS);
	RT_CHECK_EQ(rt_psci_affinity_info(rt_mpidr_of(1)), PSCI_AFFINITY_OFF);
	/* CPU_ON of a stopped REC: SUCCESS after the host's completion; it runs. */
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(1), secondary, 0x51), PSCI_RET_SUCCESS);
	wait_off(1);
	RT_CHECK_EQ(started[1], 0x51);
	/* It can be started again after CPU_OFF, with a new context. */
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(1), secondary, 0x52), PSCI_RET_SUCCESS);
	wait_off(1);
	RT_CHECK_EQ(started[1], 0x52);
	/* A runnable target gives ALREADY_ON after completion (s7.4 step 8). */
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(2), secondary, 0x61), PSCI_RET_SUCCESS);
	while (started[2] != 0x61) /* REC 2 is on and spinning; the budget preempts us */
		__asm__ volatile("yield" ::: "memory");
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(2), secondary, 0x62), PSCI_RET_ALREADY_ON);
	RT_CHECK_EQ(rt_psci_affinity_info(rt_mpidr_of(2)), PSCI_AFFINITY_ON);
	release = 1;
	wait_off(2);
	RT_CHECK_EQ(started[2], 0x61);
	/* The host denies REC 3: the realm sees DENIED and REC 3 never runs. */
	RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(3), secondary, 0x71), PSCI_RET_DENIED);
	RT_CHECK_EQ(rt_psci_affinity_info(rt_mpidr_of(3)), PSCI_AFFINITY_OFF);
	RT_CHECK_EQ(started[3], 0);
	/* CPU_SUSPEND returns SUCCESS (s7.1). */
	RT_CHECK_EQ(rt_smc4(PSCI_CPU_SUSPEND_64, 0, 0, 0, 0).x[0], PSCI_RET_SUCCESS);
	rt_puts("psci: all checks passed\n");
	return 0;
}
