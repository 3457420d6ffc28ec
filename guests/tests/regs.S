/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * regs_around(out, x1, kind): sets X0-X30 to 0x1000 + n (X1 = the given
 * value), executes one exit-causing instruction sequence, and stores X0-X30
 * into out[0..30]. kind 0: WFI; 1: STR X5, [X1] (an MMIO write); 2: SMC
 * RSI_HOST_CALL with X1 = the RsiHostCall IPA.
 */
	.text
	.global	regs_around
regs_around:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x0, [sp, #-16]!		/* out */
	mov	x12, x2			/* kind */
	mov	x0, #0x1000
	mov	x2, #0x1002
	mov	x3, #0x1003
	mov	x4, #0x1004
	mov	x5, #0x1005
	mov	x6, #0x1006
	mov	x7, #0x1007
	mov	x8, #0x1008
	mov	x9, #0x1009
	mov	x10, #0x100a
	mov	x11, #0x100b
	mov	x13, #0x100d
	mov	x14, #0x100e
	mov	x15, #0x100f
	mov	x16, #0x1010
	mov	x17, #0x1011
	mov	x18, #0x1012
	mov	x19, #0x1013
	mov	x20, #0x1014
	mov	x21, #0x1015
	mov	x22, #0x1016
	mov	x23, #0x1017
	mov	x24, #0x1018
	mov	x25, #0x1019
	mov	x26, #0x101a
	mov	x27, #0x101b
	mov	x28, #0x101c
	mov	x29, #0x101d
	mov	x30, #0x101e
	cmp	x12, #1
	b.eq	1f
	b.hi	2f
	mov	x12, #0x100c
	wfi
	b	3f
1:	mov	x12, #0x100c
	str	x5, [x1]
	b	3f
2:	mov	x12, #0x100c
	movz	x0, #0x0199
	movk	x0, #0xc400, lsl #16
	smc	#0
3:	str	x30, [sp, #-16]!
	ldr	x30, [sp, #16]		/* out */
	stp	x0, x1, [x30, #0]
	stp	x2, x3, [x30, #16]
	stp	x4, x5, [x30, #32]
	stp	x6, x7, [x30, #48]
	stp	x8, x9, [x30, #64]
	stp	x10, x11, [x30, #80]
	stp	x12, x13, [x30, #96]
	stp	x14, x15, [x30, #112]
	stp	x16, x17, [x30, #128]
	stp	x18, x19, [x30, #144]
	stp	x20, x21, [x30, #160]
	stp	x22, x23, [x30, #176]
	stp	x24, x25, [x30, #192]
	stp	x26, x27, [x30, #208]
	stp	x28, x29, [x30, #224]
	ldr	x0, [sp], #16
	str	x0, [x30, #240]
	add	sp, sp, #16
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
