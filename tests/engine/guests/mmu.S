/*
 * Engine test guest with its own stage 1 and vectors. In: x0 = TTBR0
 * table, x1 = TTBR1 table (both prepared by the test), x2 = a TTBR1 VA of
 * a data page, x3 = a VA that stage 1 does not map.
 * Out: x20 SVC count, x21 its ESR, x22 its ELR; x23/x24 ESR/FAR of the
 * data abort; x25 IRQ count, x27 SPSR at the IRQ; x26 ESR of the UNDEF.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	adr	x9, vectors
	msr	vbar_el1, x9
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x1
	mov	x9, #0xff
	msr	mair_el1, x9
	ldr	x9, =((25) | (1 << 8) | (1 << 10) | (3 << 12) | (25 << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30) | (2 << 32))
	msr	tcr_el1, x9
	isb
	mrs	x9, sctlr_el1
	orr	x9, x9, #1
	orr	x9, x9, #(1 << 2)
	orr	x9, x9, #(1 << 12)
	msr	sctlr_el1, x9
	isb
	svc	#0x42
	ldr	x10, [x2]
	add	x10, x10, #1
	str	x10, [x2, #8]
	ldr	x11, [x3]
	msr	daifclr, #2
	smc	#0
	udf	#0x5
	smc	#0
	.ltorg

	.balign 2048
vectors:
	.balign 0x80		/* 0x000: current EL, SP_EL0, sync */
	b	.
	.balign 0x80		/* 0x080 */
	b	.
	.balign 0x80		/* 0x100 */
	b	.
	.balign 0x80		/* 0x180 */
	b	.
	.balign 0x80		/* 0x200: current EL, SP_ELx, sync */
	mrs	x9, esr_el1
	lsr	x12, x9, #26
	cmp	x12, #0x15
	b.ne	1f
	add	x20, x20, #1
	mov	x21, x9
	mrs	x22, elr_el1
	eret
1:	cmp	x12, #0x25
	b.ne	2f
	mov	x23, x9
	mrs	x24, far_el1
	b	3f
2:	mov	x26, x9
3:	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
	eret
	.balign 0x80		/* 0x280: current EL, SP_ELx, IRQ */
	add	x25, x25, #1
	mrs	x27, spsr_el1
	eret
