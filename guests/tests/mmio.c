/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emulated MMIO (rmm-v1.0.md s12.1 step 10, s12.2; failure-conditions s5.7):
 * loads of every width with zero and sign extension into W and X registers,
 * stores of every width and of XZR. Harness contract: the unprotected GPA
 * RK_GUEST_MMIO_TEST is unmapped; every read is answered with
 * MMIO_PATTERN in enter.gprs[0]; every write's exit.gprs[0] and size are
 * recorded and must equal the sequence in the comment below.
 */
#include "rt.h"

#define MMIO_TEST    0x0A000000ULL
#define MMIO_PATTERN 0xFEDCBA98F6548281ULL

#define LOAD(insn, reg)                                                                \
	({                                                                             \
		uint64_t v_;                                                           \
		__asm__ volatile("mov x9, #-1\n\t" insn " " reg ", [%1]\n\tmov %0, x9" \
				 : "=r"(v_)                                            \
				 : "r"(dev)                                            \
				 : "x9", "memory");                                    \
		v_;                                                                    \
	})

int main(uint64_t x0)
{
	volatile uint8_t *dev = (volatile uint8_t *)rt_shared(MMIO_TEST);
	const uint64_t v = 0x1122334455667788ULL;

	(void)x0;
	/* Loads: the RMM masks to the access size, extends per SSE/SF. */
	RT_CHECK_EQ(LOAD("ldrb", "w9"), 0x81);
	RT_CHECK_EQ(LOAD("ldrsb", "w9"), 0xFFFFFF81);
	RT_CHECK_EQ(LOAD("ldrsb", "x9"), 0xFFFFFFFFFFFFFF81);
	RT_CHECK_EQ(LOAD("ldrh", "w9"), 0x8281);
	RT_CHECK_EQ(LOAD("ldrsh", "w9"), 0xFFFF8281);
	RT_CHECK_EQ(LOAD("ldrsh", "x9"), 0xFFFFFFFFFFFF8281);
	RT_CHECK_EQ(LOAD("ldr", "w9"), 0xF6548281);
	RT_CHECK_EQ(LOAD("ldrsw", "x9"), 0xFFFFFFFFF6548281);
	RT_CHECK_EQ(LOAD("ldr", "x9"), MMIO_PATTERN);
	/* Stores, recorded by the harness: 0x88/1, 0x7788/2, 0x55667788/4, v/8, 0/8. */
	__asm__ volatile("strb %w0, [%1]\n\t"
			 "strh %w0, [%1, #2]\n\t"
			 "str %w0, [%1, #4]\n\t"
			 "str %0, [%1, #8]\n\t"
			 "str xzr, [%1, #16]"
			 :
			 : "r"(v), "r"(dev)
			 : "memory");
	rt_puts("mmio: all checks passed\n");
	return 0;
}
