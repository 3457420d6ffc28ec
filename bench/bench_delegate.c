/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_delegate: RMI_GRANULE_DELEGATE + RMI_GRANULE_UNDELEGATE pairs per
 * second through the conduit, next to the physical limit of this design
 * measured in the same run: a bare mprotect(PROT_NONE) + mprotect(RW) pair
 * on one page of a shared mapping (each delegation changes the NS view's
 * protection once), plus two 4 KB memsets (the scrubs).
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "bench_util.h"
#include "board.h"
#include "host_rmi.h"

static void rmi_pairs(void *arg, unsigned long n)
{
	pa_t pa = *(pa_t *)arg;

	for (unsigned long i = 0; i < n; i++) {
		if (rmi_granule_delegate(pa) || rmi_granule_undelegate(pa)) {
			fprintf(stderr, "bench_delegate: RMI failure\n");
			_exit(1);
		}
	}
}

static void mprotect_pairs(void *arg, unsigned long n)
{
	unsigned char *p = arg;

	for (unsigned long i = 0; i < n; i++) {
		mprotect(p, 4096, PROT_NONE);
		memset(p + 4096, 0, 4096);
		mprotect(p, 4096, PROT_READ | PROT_WRITE);
		memset(p + 4096, 0, 4096);
		__asm__ volatile("" ::: "memory");
	}
}

int main(void)
{
	struct rk_platform_config cfg = { .dram_size = 64ULL << 20 };
	unsigned long n = 50000;
	double t_rmi, t_raw;
	unsigned char *raw;
	pa_t pa;

	if (board_power_on(&cfg, false) || host_pages_init())
		return 1;
	pa = host_page_alloc();
	raw = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return 1;
	memset(raw, 1, 3 * 4096);
	t_rmi = bench_best(rmi_pairs, &pa, n, 5);
	t_raw = bench_best(mprotect_pairs, raw + 4096, n, 5);
	printf("delegate+undelegate: %.0f pairs/s (%.0f ns/pair)\n", 1.0 / t_rmi, t_rmi * 1e9);
	printf("bare mprotect pair + 2 scrubs: %.0f pairs/s (%.0f ns/pair)\n", 1.0 / t_raw,
	       t_raw * 1e9);
	printf("ratio (RMI pairs/s over the mprotect limit): %.2f\n", t_raw / t_rmi);
	host_pages_fini();
	board_power_off();
	return 0;
}
