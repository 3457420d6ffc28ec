/*
 * Engine test guest: independent cases, case N at offset N * 0x100. The
 * test sets PC = load IPA + N * 0x100 and the registers each case uses.
 */
	.section .text.start, "ax"
	.globl _start
_start:
/* 0: load [x1] into x3, store x2 to [x1 + 8] */
	ldr	x3, [x1]
	str	x2, [x1, #8]
	smc	#0

	.balign 256
/* 1: SMC round trip: the host replaces X0-X3, the guest sums them into x10 */
	smc	#0
	add	x10, x0, x1
	add	x10, x10, x2
	add	x10, x10, x3
	smc	#0

	.balign 256
/* 2: HVC exit */
	hvc	#0x12
	smc	#0

	.balign 256
/* 3: precise abort: side effects in the same block before the faulting load */
	add	x0, x0, #1
	str	x3, [x6]
	adds	x7, x7, x8
	ldr	x4, [x5]
	add	x9, x9, #1
	smc	#0

	.balign 256
/* 4: post-index load (writeback must not happen at the fault) */
	add	x0, x0, #1
	ldr	x4, [x5], #16
	smc	#0

	.balign 256
/* 5: pre-index store */
	add	x0, x0, #1
	str	x3, [x5, #8]!
	smc	#0

	.balign 256
/* 6: LDP whose second half is on the next (unmapped) page */
	add	x0, x0, #1
	ldp	x4, x7, [x5]
	smc	#0

	.balign 256
/* 7: WFI */
	wfi
	add	x1, x1, #1
	smc	#0

	.balign 256
/* 8: WFE */
	wfe
	add	x1, x1, #1
	smc	#0

	.balign 256
/* 9: endless tight loop */
1:	add	x1, x1, #1
	b	1b

	.balign 256
/* 10: branch to x5 */
	add	x1, x1, #1
	br	x5

	.balign 256
/* 11: UNDEFINED, then SVC, then BRK */
	udf	#0
	svc	#7
	brk	#3
	smc	#0

	.balign 256
/* 12: kick target: x2 iterations of {add x1; load; add x3} */
1:	add	x1, x1, #1
	ldr	x4, [x5]
	add	x3, x3, #1
	subs	x2, x2, #1
	b.ne	1b
	smc	#0

	.balign 256
/* 13: read [x5] forever, publishing the iteration count at [x6] */
1:	ldr	x4, [x5]
	add	x1, x1, #1
	str	x1, [x6]
	b	1b

	.balign 256
/* 14: register file exercise: x1-x28 += x0, x29 = FPCR, x30 = FPSR, v0-v30 += v31 */
1:	add	x1, x1, x0
	add	x2, x2, x0
	add	x3, x3, x0
	add	x4, x4, x0
	add	x5, x5, x0
	add	x6, x6, x0
	add	x7, x7, x0
	add	x8, x8, x0
	add	x9, x9, x0
	add	x10, x10, x0
	add	x11, x11, x0
	add	x12, x12, x0
	add	x13, x13, x0
	add	x14, x14, x0
	add	x15, x15, x0
	add	x16, x16, x0
	add	x17, x17, x0
	add	x18, x18, x0
	add	x19, x19, x0
	add	x20, x20, x0
	add	x21, x21, x0
	add	x22, x22, x0
	add	x23, x23, x0
	add	x24, x24, x0
	add	x25, x25, x0
	add	x26, x26, x0
	add	x27, x27, x0
	add	x28, x28, x0
	mrs	x29, fpcr
	mrs	x30, fpsr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	add	v\n\().2d, v\n\().2d, v31.2d
	.endr
	smc	#0
	b	1b

	.balign 256
/* 15: code the host rewrites */
	mov	x0, #1
	smc	#0

	.balign 256
/* 16: MMIO decode sequence against [x5] */
	strb	w1, [x5]
	strh	w1, [x5]
	str	w1, [x5]
	str	x1, [x5]
	str	xzr, [x5]
	ldrb	w2, [x5]
	ldrh	w3, [x5]
	ldr	w4, [x5]
	ldr	x6, [x5]
	ldrsb	w7, [x5]
	ldrsb	x8, [x5]
	ldrsh	w9, [x5]
	ldrsh	x10, [x5]
	ldrsw	x11, [x5]
	ldr	xzr, [x5]
	ldr	w12, [x5, #4]
	ldur	x13, [x5, #-8]
	ldar	x14, [x5]
	stlr	w1, [x5]
	ldr	w15, [x5, x16, lsl #2]
	smc	#0

	.balign 256
/* 17: timer registers */
	msr	cntv_cval_el0, x1
	msr	cntv_ctl_el0, x2
	mrs	x3, cntv_ctl_el0
	mrs	x4, cntv_cval_el0
	msr	cntp_tval_el0, x5
	mrs	x6, cntp_cval_el0
	mrs	x7, mpidr_el1
	smc	#0
