/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A spinlock shared by every vCPU (issue: running realms; unicorn-2.0.1.md
 * s6: exclusives are only correct while one realm's code runs on one host
 * thread at a time). Each of 4 RECs increments a counter 20000 times under
 * an LDAXR/STXR lock and a plain counter; both must be exact.
 * Harness contract: 4 RECs, CPU_ON/AFFINITY_INFO completed with SUCCESS, a
 * budget so spinning RECs yield.
 */
#include "rt.h"

#define ITERS 20000

static volatile uint32_t lock;
static volatile uint64_t locked_counter;
static volatile uint64_t atomic_counter;

static void spin_lock(volatile uint32_t *l)
{
	uint32_t tmp;

	__asm__ volatile("sevl\n"
			 "1: wfe\n"
			 "2: ldaxr %w0, [%1]\n"
			 "   cbnz %w0, 1b\n"
			 "   stxr %w0, %w2, [%1]\n"
			 "   cbnz %w0, 2b"
			 : "=&r"(tmp)
			 : "r"(l), "r"(1)
			 : "memory");
}

static void spin_unlock(volatile uint32_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" : : "r"(l) : "memory");
}

static void atomic_inc(volatile uint64_t *p)
{
	uint64_t tmp, fail;

	__asm__ volatile("1: ldxr %0, [%2]\n"
			 "   add %0, %0, #1\n"
			 "   stxr %w1, %0, [%2]\n"
			 "   cbnz %w1, 1b"
			 : "=&r"(tmp), "=&r"(fail)
			 : "r"(p)
			 : "memory");
}

static void worker(uint64_t arg)
{
	(void)arg;
	for (int i = 0; i < ITERS; i++) {
		spin_lock(&lock);
		locked_counter = locked_counter + 1;
		spin_unlock(&lock);
		atomic_inc(&atomic_counter);
	}
}

int main(uint64_t x0)
{
	(void)x0;
	for (unsigned int cpu = 1; cpu < 4; cpu++)
		RT_CHECK_EQ(rt_psci_cpu_on(rt_mpidr_of(cpu), worker, 0), PSCI_RET_SUCCESS);
	worker(0);
	for (unsigned int cpu = 1; cpu < 4; cpu++) {
		while (rt_psci_affinity_info(rt_mpidr_of(cpu)) != PSCI_AFFINITY_OFF)
			;
	}
	RT_CHECK_EQ(locked_counter, 4 * ITERS);
	RT_CHECK_EQ(atomic_counter, 4 * ITERS);
	rt_printf("spinlock: %lu increments, all checks passed\n", locked_counter);
	return 0;
}
