/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A64 data-access instruction decoder: what the CPU engine needs to build a
 * data abort's syndrome and FAR from the faulting instruction (Unicorn
 * fills in neither; ../shared/reference/unicorn-2.0.1.md, "Syndrome
 * registers"). Pure functions, no engine state.
 *
 * Encodings: Arm ARM C4.1.66 "Loads and Stores" (A64 encoding index).
 */
#ifndef REALMKIT_INSN_DECODE_H
#define REALMKIT_INSN_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define INSN_REG_SP 31 /* as a base register, 31 is SP */

enum insn_addr_mode {
	INSN_ADDR_BASE,	   /* Xn|SP + imm (also pre-index) */
	INSN_ADDR_POST,	   /* Xn|SP (post-index: the offset applies after) */
	INSN_ADDR_REG,	   /* Xn|SP + extend(Xm) << shift */
	INSN_ADDR_LITERAL, /* PC + imm */
	INSN_ADDR_DC,	   /* Xt (cache maintenance / DC ZVA), aligned to `size` */
};

/* A decoded data access. */
struct insn_mem {
	enum insn_addr_mode mode;
	uint8_t rn;	/* base register (INSN_REG_SP = SP) */
	uint8_t rm;	/* INSN_ADDR_REG: offset register (31 = XZR) */
	uint8_t extend; /* INSN_ADDR_REG: option field (UXTW 2, LSL 3, SXTW 6, SXTX 7) */
	uint8_t shift;	/* INSN_ADDR_REG: left shift of the extended offset */
	int64_t imm;	/* immediate offset (unused for INSN_ADDR_POST) */
	uint32_t size;	/* total bytes accessed */
	uint8_t sas;	/* log2 of the transfer-register size (for the ISS) */
	uint8_t rt;	/* transfer register (31 = XZR / WZR) */
	bool wnr;	/* write */
	bool sse;	/* sign-extending load */
	bool sf;	/* 64-bit transfer register */
	bool ar;	/* acquire / release */
	bool cm;	/* cache maintenance (DC other than ZVA, IC) */
	bool writeback; /* pre/post-index writes the base back */
	bool isv;	/* single GPR, no writeback, not exclusive/atomic */
};

/*
 * Decodes `insn` as a data access. Returns false if it is not one this
 * decoder knows (then no syndrome or FAR can be derived from it).
 */
bool insn_decode_mem(uint32_t insn, struct insn_mem *m);

/*
 * The virtual address the access starts at, given the base register value
 * (SP or Xn as m->rn says), the offset register value (INSN_ADDR_REG) and
 * the instruction's address (INSN_ADDR_LITERAL).
 */
uint64_t insn_mem_address(const struct insn_mem *m, uint64_t base, uint64_t rm_val, uint64_t pc);

/* True if `insn` is in the SIMD&FP data-processing or load/store space (CPACR_EL1.FPEN traps). */
bool insn_is_fp_simd(uint32_t insn);

#define INSN_WFI 0xd503207fu
#define INSN_WFE 0xd503205fu

/* SVC / HVC / SMC #imm16: the immediate (bits [20:5]). */
static inline uint32_t insn_imm16(uint32_t insn)
{
	return (insn >> 5) & 0xffff;
}

#endif /* REALMKIT_INSN_DECODE_H */
