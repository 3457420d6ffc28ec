/* Instruction words for the decoder unit test, in the order of its table. */
	.section .text.start, "ax"
	.globl _start
_start:
	ldr	x1, [x2, #16]
	ldrb	w3, [sp, #1]
	strh	w4, [x5, #-2]
	ldrsw	x6, [x7], #8
	str	x8, [x9, #-16]!
	ldr	w10, [x11, x12, lsl #2]
	ldrsh	x13, [x14, w15, sxtw #1]
	ldr	x16, lit
	ldp	x1, x2, [x3, #-32]
	stp	w4, w5, [sp], #8
	ldpsw	x6, x7, [x8, #16]!
	ldxr	x9, [x10]
	stlr	w11, [x12]
	ldar	x13, [x14]
	ldr	q0, [x1, #32]
	ld1	{v0.2d, v1.2d}, [x2], #32
	ld1	{v2.s}[1], [x3]
	dc	zva, x4
	dc	civac, x5
	sttr	x6, [x7, #8]
	ldtrsb	w8, [x9]
	prfm	pldl1keep, [x1]
	add	x1, x2, x3
	ld4r	{v0.8b, v1.8b, v2.8b, v3.8b}, [x4]
lit:	.quad	0
