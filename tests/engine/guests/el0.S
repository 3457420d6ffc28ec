/*
 * EL0 round trip: EL1 drops to EL0 with its own ERET; EL0 makes two SVCs
 * that the host delivers to VBAR_EL1 + 0x400 (lower EL, AArch64). The
 * handler reads ESR_EL1 (an EL1-only register), sums the immediates into
 * x20, keeps SPSR in x11, returns to EL0 and, after the second, makes an SMC.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	adr	x9, vectors
	msr	vbar_el1, x9
	adr	x9, el0code
	msr	elr_el1, x9
	msr	spsr_el1, xzr
	eret
el0code:
	add	x1, x1, #1
	svc	#0x11
	add	x1, x1, #1
	svc	#0x22
	b	.

	.balign 2048
vectors:
	.skip	0x400
	mrs	x9, esr_el1
	and	x10, x9, #0xffff
	add	x20, x20, x10
	mrs	x11, spsr_el1
	cmp	x10, #0x22
	b.eq	1f
	eret
1:	smc	#0
