/*
 * bench_engine guests. Case N at offset N * 0x100.
 * 0: integer loop, x0 iterations of 4 instructions, then SMC.
 * 1: memcpy loop: x0 repetitions of copying x3 bytes (multiple of 64) from x1 to x2.
 * 2: fault walk: x2 loads, each from the IPA read from the table at x1.
 */
	.section .text.start, "ax"
	.globl _start
_start:
1:	add	x1, x1, #1
	add	x2, x2, #1
	subs	x0, x0, #1
	b.ne	1b
	smc	#0

	.balign 256
1:	mov	x6, x1
	mov	x7, x2
	mov	x8, x3
2:	ldp	x10, x11, [x6], #16
	ldp	x12, x13, [x6], #16
	ldp	x14, x15, [x6], #16
	ldp	x16, x17, [x6], #16
	stp	x10, x11, [x7], #16
	stp	x12, x13, [x7], #16
	stp	x14, x15, [x7], #16
	stp	x16, x17, [x7], #16
	subs	x8, x8, #64
	b.ne	2b
	subs	x0, x0, #1
	b.ne	1b
	smc	#0

	.balign 256
1:	ldr	x4, [x1], #8
	ldr	x5, [x4]
	subs	x2, x2, #1
	b.ne	1b
	smc	#0
