/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A64 load/store decoder for data-abort syndromes (see insn_decode.h).
 *
 * ISV rule (Arm ARM D17.2.37, ISS encoding for a Data Abort, ISV): the
 * instruction syndrome is valid for "AArch64 loads and stores of a single
 * general-purpose register (including the register specified with 0b11111,
 * including those with Acquire/Release semantics, but excluding Load
 * Exclusive or Store Exclusive and excluding those with writeback)". So
 * pairs, SIMD&FP registers, exclusives, atomics, structure loads, DC and
 * writeback forms all give ISV = 0.
 */
#include <string.h>

#include "insn_decode.h"

static uint32_t bits(uint32_t insn, unsigned int hi, unsigned int lo)
{
	return (insn >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static int64_t sext(uint64_t v, unsigned int width)
{
	uint64_t m = 1ULL << (width - 1);

	v &= (1ULL << width) - 1;
	return (int64_t)((v ^ m) - m);
}

/* LDR (literal), LDRSW (literal), SIMD&FP LDR (literal); PRFM is not an access. */
static bool dec_literal(uint32_t insn, struct insn_mem *m)
{
	uint32_t opc = bits(insn, 31, 30);
	bool v = bits(insn, 26, 26);

	m->mode = INSN_ADDR_LITERAL;
	m->imm = sext(bits(insn, 23, 5), 19) * 4;
	m->rt = (uint8_t)bits(insn, 4, 0);
	if (v) {
		if (opc == 3)
			return false;
		m->size = 4u << opc;
		return true;
	}
	if (opc == 3)
		return false; /* PRFM (literal) */
	m->size = opc == 1 ? 8 : 4;
	m->sas = opc == 1 ? 3 : 2;
	m->sf = opc != 0;
	m->sse = opc == 2;
	m->isv = true;
	return true;
}

/* Load/store exclusive, load-acquire/store-release, CAS (Arm ARM C4.1.66). */
static bool dec_exclusive(uint32_t insn, struct insn_mem *m)
{
	uint32_t size = bits(insn, 31, 30);
	bool o2 = bits(insn, 23, 23), l = bits(insn, 22, 22), o1 = bits(insn, 21, 21);
	bool o0 = bits(insn, 15, 15);

	m->mode = INSN_ADDR_BASE;
	m->rn = (uint8_t)bits(insn, 9, 5);
	m->rt = (uint8_t)bits(insn, 4, 0);
	m->size = 1u << size;
	m->sas = (uint8_t)size;
	m->sf = size == 3;
	m->wnr = !l;
	if (o2 && !o1) {
		/* STLR/LDAR (o0 = 1), STLLR/LDLAR (o0 = 0): single register, ordered. */
		m->ar = true;
		m->isv = true;
		return true;
	}
	/* Exclusives, exclusive pairs (size 1x with o1), CAS/CASP: no syndrome. */
	if (!o2 && o1 && (size & 2))
		m->size *= 2;
	else if (!o2 && o1)
		m->size = 2u * (4u << (size & 1)); /* CASP */
	m->ar = o0;
	if (o2 || (o1 && !(size & 2)))
		m->wnr = true; /* CAS / CASP read and write */
	return true;
}

/* LDP/STP/LDNP/STNP/LDPSW, GPR and SIMD&FP. */
static bool dec_pair(uint32_t insn, struct insn_mem *m)
{
	uint32_t opc = bits(insn, 31, 30), type = bits(insn, 24, 23);
	bool v = bits(insn, 26, 26), l = bits(insn, 22, 22);
	unsigned int scale;

	if (opc == 3)
		return false;
	if (v)
		scale = 2 + opc;
	else
		scale = opc == 2 ? 3 : 2;
	if (!v && opc == 1 && !l)
		return false; /* STGP (MTE): not on this CPU */
	m->rn = (uint8_t)bits(insn, 9, 5);
	m->rt = (uint8_t)bits(insn, 4, 0);
	m->size = 2u << scale;
	m->sas = (uint8_t)scale;
	m->wnr = !l;
	m->sse = !v && opc == 1;
	m->sf = !v && opc == 2;
	m->imm = sext(bits(insn, 21, 15), 7) * (1LL << scale);
	m->mode = type == 1 ? INSN_ADDR_POST : INSN_ADDR_BASE;
	m->writeback = type == 1 || type == 3;
	return true;
}

/*
 * Size, sign-extension and direction of the single-register forms
 * (unscaled, pre/post-index, unprivileged, register offset, unsigned
 * immediate), from size [31:30], V [26] and opc [23:22].
 */
static bool dec_single_kind(uint32_t insn, struct insn_mem *m)
{
	uint32_t size = bits(insn, 31, 30), opc = bits(insn, 23, 22);
	bool v = bits(insn, 26, 26);

	m->rt = (uint8_t)bits(insn, 4, 0);
	if (v) {
		unsigned int scale = (opc & 2) ? 4 : size;

		if ((opc & 2) && size != 0)
			return false;
		m->size = 1u << scale;
		m->sas = (uint8_t)(scale > 3 ? 3 : scale);
		m->wnr = !(opc & 1);
		return true;
	}
	m->size = 1u << size;
	m->sas = (uint8_t)size;
	switch (opc) {
	case 0: /* STRB/STRH/STR */
		m->wnr = true;
		m->sf = size == 3;
		break;
	case 1: /* LDRB/LDRH/LDR */
		m->sf = size == 3;
		break;
	case 2: /* LDRSB/LDRSH/LDRSW to X; size 3 is PRFM */
		if (size == 3)
			return false;
		m->sse = true;
		m->sf = true;
		break;
	default: /* LDRSB/LDRSH to W */
		if (size >= 2)
			return false;
		m->sse = true;
		break;
	}
	m->isv = true;
	return true;
}

/* Register-offset form and the atomic memory operations that share its space. */
static bool dec_reg_offset(uint32_t insn, struct insn_mem *m)
{
	uint32_t option = bits(insn, 15, 13);

	if (bits(insn, 11, 10) == 0 && !bits(insn, 26, 26)) {
		/* LDADD/SWP/... (FEAT_LSE): read-modify-write, no syndrome. */
		uint32_t size = bits(insn, 31, 30);

		m->mode = INSN_ADDR_BASE;
		m->rn = (uint8_t)bits(insn, 9, 5);
		m->rt = (uint8_t)bits(insn, 4, 0);
		m->size = 1u << size;
		m->sas = (uint8_t)size;
		m->sf = size == 3;
		m->wnr = true;
		m->ar = bits(insn, 23, 23);
		return true;
	}
	if (bits(insn, 11, 10) != 2 || !(option & 2))
		return false; /* PAC loads or unallocated */
	if (!dec_single_kind(insn, m))
		return false;
	m->mode = INSN_ADDR_REG;
	m->rn = (uint8_t)bits(insn, 9, 5);
	m->rm = (uint8_t)bits(insn, 20, 16);
	m->extend = (uint8_t)option;
	m->shift = bits(insn, 12, 12) ? (uint8_t)__builtin_ctz(m->size) : 0;
	return true;
}

/* Unscaled / post / unprivileged / pre (bit 21 = 0) and unsigned-immediate forms. */
static bool dec_single(uint32_t insn, struct insn_mem *m)
{
	bool uimm = bits(insn, 24, 24);

	if (!uimm && bits(insn, 21, 21))
		return dec_reg_offset(insn, m);
	if (!dec_single_kind(insn, m))
		return false;
	m->rn = (uint8_t)bits(insn, 9, 5);
	if (uimm) {
		m->mode = INSN_ADDR_BASE;
		m->imm = (int64_t)bits(insn, 21, 10) * m->size;
		return true;
	}
	m->imm = sext(bits(insn, 20, 12), 9);
	switch (bits(insn, 11, 10)) {
	case 1:
		m->mode = INSN_ADDR_POST;
		m->writeback = true;
		break;
	case 3:
		m->mode = INSN_ADDR_BASE;
		m->writeback = true;
		break;
	case 2: /* LDTR/STTR: GPR only */
		if (bits(insn, 26, 26))
			return false;
		/* fall through */
	default:
		m->mode = INSN_ADDR_BASE;
		break;
	}
	if (m->writeback)
		m->isv = false;
	return true;
}

/* LD1-4/ST1-4 multiple structures and LD1-4/LD1R-4R/ST1-4 single structure. */
static bool dec_simd_struct(uint32_t insn, struct insn_mem *m)
{
	static const uint8_t nregs[16] = { 4, 0, 4, 0, 3, 0, 3, 1, 2, 0, 2, 0, 0, 0, 0, 0 };
	bool single = bits(insn, 24, 24), post = bits(insn, 23, 23);
	uint32_t opcode = bits(insn, 15, 12), size = bits(insn, 11, 10);

	m->rn = (uint8_t)bits(insn, 9, 5);
	m->rt = (uint8_t)bits(insn, 4, 0);
	m->wnr = !bits(insn, 22, 22);
	m->mode = post ? INSN_ADDR_POST : INSN_ADDR_BASE;
	m->writeback = post;
	if (!single) {
		if (!nregs[opcode])
			return false;
		m->size = nregs[opcode] * (bits(insn, 30, 30) ? 16u : 8u);
		m->sas = (uint8_t)size;
		return true;
	} else {
		uint32_t op = opcode >> 1,
			 selem = (((opcode >> 1) & 1) << 1 | bits(insn, 21, 21)) + 1;
		uint32_t esize;

		if ((op >> 1) == 0)
			esize = 1;
		else if ((op >> 1) == 1)
			esize = 2;
		else if ((op >> 1) == 2)
			esize = (size & 1) ? 8 : 4;
		else
			esize = 1u << size; /* LDnR: replicate */
		m->size = selem * esize;
		m->sas = (uint8_t)__builtin_ctz(esize);
		return true;
	}
}

/* DC ZVA / DC <op>VA* / IC IVAU (SYS, L = 0): reported as data aborts on writes. */
static bool dec_dc(uint32_t insn, struct insn_mem *m)
{
	uint32_t op1 = bits(insn, 18, 16), crn = bits(insn, 15, 12);
	uint32_t crm = bits(insn, 11, 8), op2 = bits(insn, 7, 5);

	if (crn != 7 || op2 != 1)
		return false;
	if (op1 == 3 && crm == 4) {
		m->size = 64; /* DCZID_EL0.BS = 4: 64-byte block */
	} else if ((op1 == 3 && (crm == 5 || crm == 10 || crm == 11 || crm == 12 || crm == 14)) ||
		   (op1 == 0 && crm == 6)) {
		m->size = 64; /* cache line (CTR_EL0.DminLine) */
		m->cm = true;
	} else {
		return false;
	}
	m->mode = INSN_ADDR_DC;
	m->rn = (uint8_t)bits(insn, 4, 0);
	m->rt = m->rn;
	m->wnr = true;
	m->sas = 3;
	return true;
}

bool insn_decode_mem(uint32_t insn, struct insn_mem *m)
{
	memset(m, 0, sizeof(*m));
	if ((insn & 0x3b000000) == 0x18000000)
		return dec_literal(insn, m);
	if ((insn & 0x3f000000) == 0x08000000)
		return dec_exclusive(insn, m);
	if ((insn & 0x3a000000) == 0x28000000)
		return dec_pair(insn, m);
	if ((insn & 0x3a000000) == 0x38000000)
		return dec_single(insn, m);
	if ((insn & 0xbfbf0000) == 0x0c000000 || (insn & 0xbfa00000) == 0x0c800000 ||
	    (insn & 0xbf9f0000) == 0x0d000000 || (insn & 0xbf800000) == 0x0d800000)
		return dec_simd_struct(insn, m);
	if ((insn & 0xfff80000) == 0xd5080000)
		return dec_dc(insn, m);
	return false;
}

static uint64_t extend_reg(uint64_t v, unsigned int option)
{
	switch (option) {
	case 2: /* UXTW */
		return (uint32_t)v;
	case 6: /* SXTW */
		return (uint64_t)(int64_t)(int32_t)v;
	default: /* LSL / UXTX / SXTX */
		return v;
	}
}

uint64_t insn_mem_address(const struct insn_mem *m, uint64_t base, uint64_t rm_val, uint64_t pc)
{
	switch (m->mode) {
	case INSN_ADDR_POST:
		return base;
	case INSN_ADDR_REG:
		return base + (extend_reg(rm_val, m->extend) << m->shift);
	case INSN_ADDR_LITERAL:
		return pc + (uint64_t)m->imm;
	case INSN_ADDR_DC:
		return base & ~(uint64_t)(m->size - 1);
	default:
		return base + (uint64_t)m->imm;
	}
}

bool insn_is_fp_simd(uint32_t insn)
{
	/* Data processing -- SIMD and FP: op0 = x111 (Arm ARM C4.1). */
	if ((insn & 0x0e000000) == 0x0e000000)
		return true;
	/* Loads and stores with V = 1: op0 = x1x0 and bit 26 set. */
	return (insn & 0x0a000000) == 0x08000000 && (insn & (1u << 26));
}
