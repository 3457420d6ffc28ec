/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_boot's guest: UART_HAMMER_READS reads of the PL011's flag register
 * (what a polling console driver does before every character), each an
 * emulated MMIO exit through RMM, host and VMM, then one console line and
 * exit 0. Contract: the PL011 at RK_GUEST_UART_GPA (any VMM run).
 */
#include "rt.h"

#define UART_HAMMER_READS 100000u
#define UART_FR		  0x18

int main(uint64_t x0)
{
	volatile uint32_t *fr = (volatile uint32_t *)rt_shared(RK_GUEST_UART_GPA + UART_FR);
	uint32_t any = 0;

	(void)x0;
	for (unsigned int i = 0; i < UART_HAMMER_READS; i++)
		any |= *fr;
	rt_printf("uart_hammer: %u reads of UARTFR (0x%x)\n", UART_HAMMER_READS, any);
	return 0;
}
