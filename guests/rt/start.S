/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm guest entry, for the boot CPU (REC 0, X0 = DTB address) and for
 * CPUs started by PSCI CPU_ON (X0 = context ID). Each CPU gets a 16 KB
 * stack chosen by its REC index (MPIDR Aff0[3:0] | Aff1 << 4), its own
 * vectors and FP/SIMD enabled; CPU 0 clears .bss. Then rt_entry(x0, cpu).
 */
	.section .text.start, "ax"
	.global _start
_start:
	mrs	x9, mpidr_el1
	and	x10, x9, #0xf
	ubfx	x11, x9, #8, #8
	orr	x9, x10, x11, lsl #4		/* x9 = REC index */
	cmp	x9, #16
	b.hs	rt_halt
	ldr	x10, =__stack_top
	mov	x11, #16384
	msub	x10, x9, x11, x10
	mov	sp, x10
	adr	x10, rt_vectors
	msr	vbar_el1, x10
	mov	x10, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x10
	isb
	cbnz	x9, 2f
	ldr	x10, =__bss_start
	ldr	x11, =__bss_end
1:	cmp	x10, x11
	b.hs	2f
	str	xzr, [x10], #8
	b	1b
2:	mov	x1, x9
	bl	rt_entry
	.global rt_halt
rt_halt:
	wfi
	b	rt_halt
