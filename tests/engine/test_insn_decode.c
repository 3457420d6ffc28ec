/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The load/store decoder against instruction words produced by the
 * assembler (guests/decode.S, same order as the table). ISV rule: Arm ARM
 * D17.2.37 (single GPR, no writeback, not exclusive).
 */
#include <string.h>

#include "rk_test.h"
#include "engine_test_util.h"
#include "insn_decode.h"

struct want {
	bool mem;
	enum insn_addr_mode mode;
	uint8_t rn, rt;
	int64_t imm;
	uint32_t size;
	uint8_t sas;
	bool wnr, sse, sf, ar, cm, wb, isv;
};

#define B INSN_ADDR_BASE
#define P INSN_ADDR_POST
#define R INSN_ADDR_REG
#define L INSN_ADDR_LITERAL
#define D INSN_ADDR_DC

static const struct want w[] = {
	/* mem mode rn rt imm size sas wnr sse sf ar cm wb isv */
	{ 1, B, 2, 1, 16, 8, 3, 0, 0, 1, 0, 0, 0, 1 },	 /* ldr x1, [x2, #16] */
	{ 1, B, 31, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1 },	 /* ldrb w3, [sp, #1] */
	{ 1, B, 5, 4, -2, 2, 1, 1, 0, 0, 0, 0, 0, 1 },	 /* sturh w4, [x5, #-2] */
	{ 1, P, 7, 6, 8, 4, 2, 0, 1, 1, 0, 0, 1, 0 },	 /* ldrsw x6, [x7], #8 */
	{ 1, B, 9, 8, -16, 8, 3, 1, 0, 1, 0, 0, 1, 0 },	 /* str x8, [x9, #-16]! */
	{ 1, R, 11, 10, 0, 4, 2, 0, 0, 0, 0, 0, 0, 1 },	 /* ldr w10, [x11, x12, lsl #2] */
	{ 1, R, 14, 13, 0, 2, 1, 0, 1, 1, 0, 0, 0, 1 },	 /* ldrsh x13, [x14, w15, sxtw #1] */
	{ 1, L, 0, 16, 68, 8, 3, 0, 0, 1, 0, 0, 0, 1 },	 /* ldr x16, lit */
	{ 1, B, 3, 1, -32, 16, 3, 0, 0, 1, 0, 0, 0, 0 }, /* ldp x1, x2, [x3, #-32] */
	{ 1, P, 31, 4, 8, 8, 2, 1, 0, 0, 0, 0, 1, 0 },	 /* stp w4, w5, [sp], #8 */
	{ 1, B, 8, 6, 16, 8, 2, 0, 1, 0, 0, 0, 1, 0 },	 /* ldpsw x6, x7, [x8, #16]! */
	{ 1, B, 10, 9, 0, 8, 3, 0, 0, 1, 0, 0, 0, 0 },	 /* ldxr x9, [x10] */
	{ 1, B, 12, 11, 0, 4, 2, 1, 0, 0, 1, 0, 0, 1 },	 /* stlr w11, [x12] */
	{ 1, B, 14, 13, 0, 8, 3, 0, 0, 1, 1, 0, 0, 1 },	 /* ldar x13, [x14] */
	{ 1, B, 1, 0, 32, 16, 3, 0, 0, 0, 0, 0, 0, 0 },	 /* ldr q0, [x1, #32] */
	{ 1, P, 2, 0, 0, 32, 3, 0, 0, 0, 0, 0, 1, 0 },	 /* ld1 {v0.2d, v1.2d}, [x2], #32 */
	{ 1, B, 3, 2, 0, 4, 2, 0, 0, 0, 0, 0, 0, 0 },	 /* ld1 {v2.s}[1], [x3] */
	{ 1, D, 4, 4, 0, 64, 3, 1, 0, 0, 0, 0, 0, 0 },	 /* dc zva, x4 */
	{ 1, D, 5, 5, 0, 64, 3, 1, 0, 0, 0, 1, 0, 0 },	 /* dc civac, x5 */
	{ 1, B, 7, 6, 8, 8, 3, 1, 0, 1, 0, 0, 0, 1 },	 /* sttr x6, [x7, #8] */
	{ 1, B, 9, 8, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1 },	 /* ldtrsb w8, [x9] */
	{ 0 },						 /* prfm */
	{ 0 },						 /* add */
	{ 1, B, 4, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0 },	 /* ld4r {v0.8b-v3.8b}, [x4] */
};

static void test_decode_table(void **state)
{
	uint32_t words[64];
	uint64_t n = tu_read_guest("decode", words, sizeof(words));

	(void)state;
	assert_true(n >= sizeof(w) / sizeof(w[0]) * 4);
	for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
		struct insn_mem m;
		bool ok = insn_decode_mem(words[i], &m);

		assert_int_equal(ok, w[i].mem);
		if (!ok)
			continue;
		assert_int_equal(m.mode, w[i].mode);
		assert_int_equal(m.rn, w[i].rn);
		assert_int_equal(m.rt, w[i].rt);
		if (m.mode != R && m.mode != D)
			assert_int_equal(m.imm, w[i].imm);
		assert_int_equal(m.size, w[i].size);
		if (!(m.mode == D))
			assert_int_equal(m.sas, w[i].sas);
		assert_int_equal(m.wnr, w[i].wnr);
		assert_int_equal(m.sse, w[i].sse);
		assert_int_equal(m.sf, w[i].sf);
		assert_int_equal(m.ar, w[i].ar);
		assert_int_equal(m.cm, w[i].cm);
		assert_int_equal(m.writeback, w[i].wb);
		assert_int_equal(m.isv, w[i].isv);
	}
}

/* Effective addresses: base + imm, post-index base, extended register, literal, DC alignment. */
static void test_addresses(void **state)
{
	uint32_t words[64];
	struct insn_mem m;

	(void)state;
	assert_true(tu_read_guest("decode", words, sizeof(words)) > 0);
	assert_true(insn_decode_mem(words[0], &m));
	assert_int_equal(insn_mem_address(&m, 0x1000, 0, 0), 0x1010);
	assert_true(insn_decode_mem(words[3], &m));
	assert_int_equal(insn_mem_address(&m, 0x1000, 0, 0), 0x1000);
	assert_true(insn_decode_mem(words[4], &m));
	assert_int_equal(insn_mem_address(&m, 0x1000, 0, 0), 0xff0);
	assert_true(insn_decode_mem(words[5], &m));
	assert_int_equal(m.shift, 2);
	assert_int_equal(insn_mem_address(&m, 0x1000, 3, 0), 0x100c);
	assert_true(insn_decode_mem(words[6], &m)); /* sxtw #1 of -2 */
	assert_int_equal(insn_mem_address(&m, 0x1000, 0xfffffffeULL, 0), 0xffc);
	assert_true(insn_decode_mem(words[7], &m));
	assert_int_equal(insn_mem_address(&m, 0, 0, 0x40001c), 0x40001c + 68);
	assert_true(insn_decode_mem(words[17], &m));
	assert_int_equal(insn_mem_address(&m, 0x1234, 0, 0), 0x1200);
}

static void test_fp_simd_class(void **state)
{
	uint32_t words[64];

	(void)state;
	assert_true(tu_read_guest("decode", words, sizeof(words)) > 0);
	assert_false(insn_is_fp_simd(words[0]));  /* ldr x1 */
	assert_true(insn_is_fp_simd(words[14]));  /* ldr q0 */
	assert_true(insn_is_fp_simd(words[15]));  /* ld1 */
	assert_false(insn_is_fp_simd(words[22])); /* add */
	assert_true(insn_is_fp_simd(0x4ee18400)); /* add v0.2d, v0.2d, v1.2d */
	assert_true(insn_is_fp_simd(0x1e602820)); /* fadd d0, d1, d0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_fp_simd_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
