/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU engine: translation through the architectural stage 2, exits and
 * their syndromes, precise aborts, MMIO decode, state save/restore,
 * budget, WFx, code coherence. Each test names the rule it checks:
 * "ref" = ../shared/reference/unicorn-2.0.1.md, "ARM" = Arm ARM (DDI 0487).
 */
#include <string.h>

#include "rk_test.h"
#include "engine_test_util.h"
#include "platform_root.h"

#define CODE_IPA 0x0ULL /* basic.S at IPA 0: a guest PC of 0 must not stop the engine */
#define DATA_IPA 0x200000ULL
#define DEV_IPA	 0x8000000ULL /* never mapped: emulated MMIO */

struct fx {
	struct engine *e;
	struct s2b b;
	struct engine_stage2 s2;
	struct engine_cpu_state s;
	pa_t code, data;
	struct engine_exit x;
};

static struct fx fx;

static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	if (tu_platform_up(64))
		return -1;
	fx.e = engine_create();
	if (!fx.e)
		return -1;
	s2b_init(&fx.b, 40, 1, 1);
	if (!tu_load_guest(&fx.b, "basic", CODE_IPA, &fx.code))
		return -1;
	fx.data = tu_alloc(2);
	s2b_map(&fx.b, DATA_IPA, fx.data, S2_PAGE_RW);
	fx.s2 = s2b_stage2(&fx.b);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	engine_destroy(fx.e);
	tu_platform_down();
	return 0;
}

/* Loads case n of basic.S with the registers in fx.s (x[] set by the caller). */
static void load_case(unsigned int n)
{
	fx.s.pc = CODE_IPA + CASE(n);
	assert_int_equal(engine_load(fx.e, &fx.s, &fx.s2), 0);
}

static void run(enum engine_exit_reason want)
{
	struct engine_run_opts o = { 0 };

	assert_int_equal(engine_run(fx.e, &o, &fx.x), 0);
	assert_string_equal(engine_exit_name(fx.x.reason), engine_exit_name(want));
}

static void fresh(void)
{
	tu_state_init(&fx.s, 0);
}

/* ARM D17.2.179 VTCR_EL2 field encodings; ref "M1 settings": 0x80043558 / 0x80043598. */
static void test_vtcr_encoding(void **state)
{
	(void)state;
	assert_int_equal(engine_vtcr(40, 1), 0x80043558);
	assert_int_equal(engine_vtcr(40, 0), 0x80043598);
	assert_int_equal(engine_vtcr(32, 2), 0x80043520);
	assert_int_equal(engine_s2_root_tables(40, 1), 2);
	assert_int_equal(engine_s2_root_tables(43, 1), 16);
	assert_int_equal(engine_s2_root_tables(34, 2), 16);
	assert_int_equal(engine_s2_root_tables(48, 0), 1);
	/* Not allowed: > 16 concatenated tables, < 2 entries, concatenation at level 0. */
	assert_int_equal(engine_vtcr(44, 1), 0);
	assert_int_equal(engine_vtcr(35, 2), 0);
	assert_int_equal(engine_vtcr(39, 0), 0);
	assert_int_equal(engine_vtcr(31, 1), 0);
	assert_int_equal(engine_vtcr(49, 0), 0);
	assert_int_equal(engine_vtcr(40, 3), 0);
}

/*
 * Every valid (s2sz, start level) this CPU can walk (s2sz <= PARange 44):
 * code at IPA 0, data at the top IPA page and in the middle of the range,
 * loads and stores reach the PAs the real tables give.
 */
static void test_s2_geometries(void **state)
{
	static const struct {
		unsigned int s2sz;
		int sl;
	} g[] = { { 32, 1 }, { 32, 2 }, { 33, 2 }, { 34, 2 }, { 36, 1 }, { 39, 1 },
		  { 40, 1 }, { 42, 1 }, { 43, 1 }, { 40, 0 }, { 42, 0 }, { 44, 0 } };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(g); i++) {
		struct s2b b;
		uint64_t ipas[2] = { (1ULL << g[i].s2sz) - GRANULE_SIZE,
				     (1ULL << (g[i].s2sz - 1)) + 0x5000 };

		s2b_init(&b, g[i].s2sz, g[i].sl, (uint16_t)(10 + i));
		tu_load_guest(&b, "basic", CODE_IPA, NULL);
		for (int k = 0; k < 2; k++) {
			pa_t pa = tu_alloc(1);
			uint64_t *p = tu_ptr(pa);
			struct engine_stage2 s2 = s2b_stage2(&b);

			s2b_map(&b, ipas[k], pa, S2_PAGE_RW);
			p[0] = 0x1234500 + i;
			fresh();
			fx.s.x[1] = ipas[k];
			fx.s.x[2] = 0xabc00 + i;
			fx.s.pc = CODE_IPA + CASE(0);
			assert_int_equal(engine_load(fx.e, &fx.s, &s2), 0);
			run(ENGINE_EXIT_SMC);
			assert_int_equal(engine_get_x(fx.e, 3), 0x1234500 + i);
			assert_int_equal(p[1], 0xabc00 + i);
		}
	}
}

/* ref §3: SMC exits with PC past it; X0-X3 written by the host reach the guest. */
static void test_smc_roundtrip(void **state)
{
	(void)state;
	fresh();
	for (int i = 0; i < 4; i++)
		fx.s.x[i] = 0x100 + (uint64_t)i;
	load_case(1);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(1));
	assert_int_equal(engine_get_pc(fx.e), CODE_IPA + CASE(1) + 4);
	assert_int_equal(fx.x.esr >> 26, ENGINE_EC_SMC64);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(engine_get_x(fx.e, i), 0x100 + i);
		engine_set_x(fx.e, i, 0x1000ULL << (4 * i));
	}
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 10), 0x1000 + 0x10000 + 0x100000 + 0x1000000);
}

/* HVC exits (SCR_EL3.HCE set): ESR EC 0x16 with the immediate, PC past it. */
static void test_hvc_exit(void **state)
{
	(void)state;
	fresh();
	load_case(2);
	run(ENGINE_EXIT_HVC);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(2));
	assert_int_equal(engine_get_pc(fx.e), CODE_IPA + CASE(2) + 4);
	assert_int_equal(fx.x.esr, (0x16ULL << 26) | ENGINE_ESR_IL | 0x12);
	run(ENGINE_EXIT_SMC);
}

/*
 * ref "M1 (b, f)": a stage-2 data abort stops at exactly the load, after
 * the ADD, STR and ADDS before it in the same block ran once; resuming
 * after mapping completes the load and runs nothing twice. ARM D17.2.37:
 * LDR Xt: ISV=1, SAS=3, SRT=4, SF=1, WnR=0, DFSC = translation fault L3.
 */
static void test_precise_dabt(void **state)
{
	uint64_t ipa = DATA_IPA + 0x10000, *side = tu_ptr(fx.data);
	pa_t pa = tu_alloc(1);

	(void)state;
	fresh();
	fx.s.x[3] = 0x5a5a;
	fx.s.x[5] = ipa + 0x18;
	fx.s.x[6] = DATA_IPA;
	fx.s.x[7] = ~0ULL; /* adds x7, x7, x8 with x8 = 1: Z and C set */
	fx.s.x[8] = 1;
	side[0] = 0;
	load_case(3);
	run(ENGINE_EXIT_S2_DABT);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(3) + 12);
	assert_int_equal(engine_get_pc(fx.e), fx.x.pc);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	assert_int_equal(side[0], 0x5a5a);
	assert_int_equal(engine_get_pstate(fx.e) >> 28, 0x6); /* Z, C */
	assert_int_equal(engine_get_x(fx.e, 4), 0);
	assert_int_equal(fx.x.ipa, ipa + 0x18);
	assert_int_equal(fx.x.far, ipa + 0x18);
	assert_true(fx.x.dabt.isv);
	assert_int_equal(fx.x.dabt.sas, 3);
	assert_int_equal(fx.x.dabt.srt, 4);
	assert_true(fx.x.dabt.sf);
	assert_false(fx.x.dabt.wnr);
	assert_int_equal(fx.x.dabt.fsc, 0x07);
	assert_int_equal(fx.x.esr, (0x24ULL << 26) | ENGINE_ESR_IL | ENGINE_ISS_ISV | (3ULL << 22) |
					   (4ULL << 16) | ENGINE_ISS_SF | 0x07);
	((uint64_t *)tu_ptr(pa))[3] = 0xfeedface;
	s2b_map(&fx.b, ipa, pa, S2_PAGE_RW); /* invalid -> valid needs no TLBI (ref) */
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 4), 0xfeedface);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	assert_int_equal(engine_get_x(fx.e, 9), 1);
	s2b_unmap(&fx.b, ipa);
	engine_invalidate_vmid(fx.e, 1);
}

/* ARM D17.2.37 ISV: writeback forms give ISV = 0; ref: no writeback at the fault. */
static void test_writeback_forms(void **state)
{
	uint64_t ipa = DATA_IPA + 0x20000;
	pa_t pa = tu_alloc(1);

	(void)state;
	/* ldr x4, [x5], #16: FAR = base, x5 unchanged */
	fresh();
	fx.s.x[5] = ipa + 0x40;
	load_case(4);
	run(ENGINE_EXIT_S2_DABT);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(4) + 4);
	assert_int_equal(engine_get_x(fx.e, 5), ipa + 0x40);
	assert_int_equal(fx.x.far, ipa + 0x40);
	assert_false(fx.x.dabt.isv);
	assert_int_equal(fx.x.esr & ENGINE_ISS_ISV, 0);
	s2b_map(&fx.b, ipa, pa, S2_PAGE_RW);
	((uint64_t *)tu_ptr(pa))[8] = 77;
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 4), 77);
	assert_int_equal(engine_get_x(fx.e, 5), ipa + 0x50);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	s2b_unmap(&fx.b, ipa);
	engine_invalidate_vmid(fx.e, 1);

	/* str x3, [x5, #8]!: FAR = base + 8, WnR, nothing stored, x5 unchanged */
	fresh();
	fx.s.x[3] = 0x33;
	fx.s.x[5] = ipa + 0x100;
	load_case(5);
	run(ENGINE_EXIT_S2_DABT);
	assert_int_equal(fx.x.far, ipa + 0x108);
	assert_true(fx.x.dabt.wnr);
	assert_false(fx.x.dabt.isv);
	assert_int_equal(engine_get_x(fx.e, 5), ipa + 0x100);
	s2b_map(&fx.b, ipa, pa, S2_PAGE_RW);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(((uint64_t *)tu_ptr(pa))[0x108 / 8], 0x33);
	assert_int_equal(engine_get_x(fx.e, 5), ipa + 0x108);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	s2b_unmap(&fx.b, ipa);
	engine_invalidate_vmid(fx.e, 1);
}

/* ref: LDP whose second half faults: x4 not written, HPFAR = the second page, FAR = its start. */
static void test_ldp_page_cross(void **state)
{
	uint64_t ipa = DATA_IPA + 0x30000;
	pa_t p0 = tu_alloc(1), p1 = tu_alloc(1);

	(void)state;
	s2b_map(&fx.b, ipa, p0, S2_PAGE_RW);
	((uint64_t *)tu_ptr(p0))[511] = 0x1111;
	((uint64_t *)tu_ptr(p1))[0] = 0x2222;
	fresh();
	fx.s.x[5] = ipa + GRANULE_SIZE - 8;
	load_case(6);
	run(ENGINE_EXIT_S2_DABT);
	assert_int_equal(fx.x.ipa, ipa + GRANULE_SIZE);
	assert_int_equal(fx.x.far, ipa + GRANULE_SIZE);
	assert_int_equal(engine_get_x(fx.e, 4), 0);
	assert_int_equal(engine_get_x(fx.e, 7), 0);
	assert_false(fx.x.dabt.isv);
	s2b_map(&fx.b, ipa + GRANULE_SIZE, p1, S2_PAGE_RW);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 4), 0x1111);
	assert_int_equal(engine_get_x(fx.e, 7), 0x2222);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	s2b_unmap(&fx.b, ipa);
	s2b_unmap(&fx.b, ipa + GRANULE_SIZE);
	engine_invalidate_vmid(fx.e, 1);
}

/* ref "M1 (b, f)": instruction aborts at stage 2: PC = FAR = the fetch address, EC 0x20. */
static void test_iabt(void **state)
{
	uint64_t target = 0x40000000, tail = DATA_IPA + 0x40000;
	pa_t pa = tu_alloc(1);
	uint32_t *code = tu_ptr(pa);

	(void)state;
	fresh();
	fx.s.x[5] = target;
	load_case(10);
	run(ENGINE_EXIT_S2_IABT);
	assert_int_equal(fx.x.pc, target);
	assert_int_equal(engine_get_pc(fx.e), target);
	assert_int_equal(fx.x.far, target);
	assert_int_equal(fx.x.ipa, target);
	assert_int_equal(fx.x.esr >> 26, ENGINE_EC_IABT_LOW);
	assert_int_equal(engine_get_x(fx.e, 1), 1);

	/* Sequential fall-through from the last word of a page into an unmapped page. */
	code[1022] = 0x91000421; /* add x1, x1, #1 */
	code[1023] = 0x91000421;
	s2b_map(&fx.b, tail, pa, S2_PAGE_RW);
	fresh();
	fx.s.pc = tail + GRANULE_SIZE - 8;
	assert_int_equal(engine_load(fx.e, &fx.s, &fx.s2), 0);
	run(ENGINE_EXIT_S2_IABT);
	assert_int_equal(fx.x.pc, tail + GRANULE_SIZE);
	assert_int_equal(engine_get_x(fx.e, 1), 2);
	assert_int_equal(fx.x.esr & ENGINE_FSC_MASK, 0x07);
	s2b_unmap(&fx.b, tail);
	engine_invalidate_vmid(fx.e, 1);
}

struct mmio_case {
	bool wnr, sse, sf, ar;
	uint8_t sas, srt;
	uint64_t far_off;
	uint64_t result; /* reads: what Xt must hold after completion (value below) */
};

#define MMIO_VALUE 0x8899aabbccddeeffULL

/* ARM D17.2.37 ISS for each access width and sign extension (guest case 16). */
static void test_mmio_decode(void **state)
{
	static const struct mmio_case c[] = {
		{ 1, 0, 0, 0, 0, 1, 0x10, 0 },	/* strb w1 */
		{ 1, 0, 0, 0, 1, 1, 0x10, 0 },	/* strh w1 */
		{ 1, 0, 0, 0, 2, 1, 0x10, 0 },	/* str w1 */
		{ 1, 0, 1, 0, 3, 1, 0x10, 0 },	/* str x1 */
		{ 1, 0, 1, 0, 3, 31, 0x10, 0 }, /* str xzr */
		{ 0, 0, 0, 0, 0, 2, 0x10, 0xff },
		{ 0, 0, 0, 0, 1, 3, 0x10, 0xeeff },
		{ 0, 0, 0, 0, 2, 4, 0x10, 0xccddeeff },
		{ 0, 0, 1, 0, 3, 6, 0x10, MMIO_VALUE },
		{ 0, 1, 0, 0, 0, 7, 0x10, 0xffffffff },		    /* ldrsb w7 */
		{ 0, 1, 1, 0, 0, 8, 0x10, 0xffffffffffffffffULL },  /* ldrsb x8 */
		{ 0, 1, 0, 0, 1, 9, 0x10, 0xffffeeff },		    /* ldrsh w9 */
		{ 0, 1, 1, 0, 1, 10, 0x10, 0xffffffffffffeeffULL }, /* ldrsh x10 */
		{ 0, 1, 1, 0, 2, 11, 0x10, 0xffffffffccddeeffULL }, /* ldrsw x11 */
		{ 0, 0, 1, 0, 3, 31, 0x10, 0 },			    /* ldr xzr */
		{ 0, 0, 0, 0, 2, 12, 0x14, 0xccddeeff },	    /* ldr w12, [x5, #4] */
		{ 0, 0, 1, 0, 3, 13, 0x08, MMIO_VALUE },	    /* ldur x13, [x5, #-8] */
		{ 0, 0, 1, 1, 3, 14, 0x10, MMIO_VALUE },	    /* ldar x14 */
		{ 1, 0, 0, 1, 2, 1, 0x10, 0 },			    /* stlr w1 */
		{ 0, 0, 0, 0, 2, 15, 0x10 + 4 * 3, 0xccddeeff },    /* ldr w15, [x5, x16, lsl #2] */
	};

	(void)state;
	fresh();
	fx.s.x[1] = 0x0102030405060708ULL;
	fx.s.x[5] = DEV_IPA + 0x10;
	fx.s.x[16] = 3;
	load_case(16);
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		const struct engine_dabt *d = &fx.x.dabt;

		run(ENGINE_EXIT_S2_DABT);
		assert_int_equal(fx.x.pc, CODE_IPA + CASE(16) + 4 * i);
		assert_true(d->isv);
		assert_int_equal(d->wnr, c[i].wnr);
		assert_int_equal(d->sse, c[i].sse);
		assert_int_equal(d->sf, c[i].sf);
		assert_int_equal(d->ar, c[i].ar);
		assert_int_equal(d->sas, c[i].sas);
		assert_int_equal(d->srt, c[i].srt);
		assert_int_equal(fx.x.ipa, DEV_IPA + c[i].far_off);
		assert_int_equal(fx.x.esr & ENGINE_FSC_MASK, 0x06); /* translation fault, level 2 */
		if (d->wnr && d->srt != 31)
			assert_int_equal(engine_get_x(fx.e, d->srt), 0x0102030405060708ULL);
		assert_int_equal(engine_complete_mmio(fx.e, &fx.x, MMIO_VALUE), 0);
		if (!d->wnr && d->srt != 31)
			assert_int_equal(engine_get_x(fx.e, d->srt), c[i].result);
	}
	run(ENGINE_EXIT_SMC);
}

static void regs_state(struct engine_cpu_state *s, uint64_t seed)
{
	tu_state_init(s, CODE_IPA + CASE(14));
	s->x[0] = seed;
	for (int i = 1; i < 31; i++)
		s->x[i] = seed * 1000 + (uint64_t)i;
	for (int i = 0; i < 32; i++) {
		s->q[i][0] = seed << 32 | (uint64_t)i;
		s->q[i][1] = ~(seed << 32 | (uint64_t)i);
	}
	s->q[31][0] = seed;
	s->q[31][1] = seed * 3;
	s->fpcr = (uint32_t)(seed & 3) << 22; /* RMode */
	s->fpsr = (uint32_t)(seed & 1) << 27; /* QC */
	s->sp_el0 = 0x1000 * seed;
	s->sp_el1 = 0x2000 * seed;
	s->el1.tpidr_el1 = seed;
	s->timer.cntv_cval = seed;
}

static void check_regs(const struct engine_cpu_state *s, uint64_t seed, uint64_t iters)
{
	for (int i = 1; i < 29; i++)
		assert_int_equal(s->x[i], seed * 1000 + (uint64_t)i + iters * seed);
	assert_int_equal(s->x[29], (seed & 3) << 22);
	assert_int_equal(s->x[30] & (1u << 27), (seed & 1) << 27);
	for (int i = 0; i < 31; i++) {
		assert_int_equal(s->q[i][0], (seed << 32 | (uint64_t)i) + iters * seed);
		assert_int_equal(s->q[i][1], ~(seed << 32 | (uint64_t)i) + iters * seed * 3);
	}
	assert_int_equal(s->fpcr, (seed & 3) << 22);
	assert_int_equal(s->sp_el0, 0x1000 * seed);
	assert_int_equal(s->sp_el1, 0x2000 * seed);
	assert_int_equal(s->el1.tpidr_el1, seed);
	assert_int_equal(s->timer.cntv_cval, seed);
}

/* Two RECs alternate on one engine, then one moves to a second engine: nothing leaks. */
static void test_state_two_recs(void **state)
{
	struct engine_cpu_state a, b;
	struct engine *e2 = engine_create();

	(void)state;
	assert_non_null(e2);
	regs_state(&a, 1);
	regs_state(&b, 2);
	for (uint64_t it = 1; it <= 4; it++) {
		for (int k = 0; k < 2; k++) {
			struct engine_cpu_state *s = k ? &b : &a;

			assert_int_equal(engine_load(fx.e, s, &fx.s2), 0);
			run(ENGINE_EXIT_SMC);
			engine_save(fx.e, s);
			check_regs(s, k ? 2 : 1, it);
		}
	}
	/* REC a continues on the other engine. */
	assert_int_equal(engine_load(e2, &a, &fx.s2), 0);
	assert_int_equal(engine_run(e2, NULL, &fx.x), 0);
	assert_int_equal(fx.x.reason, ENGINE_EXIT_SMC);
	engine_save(e2, &a);
	check_regs(&a, 1, 5);
	engine_destroy(e2);
}

/* Budget: about opts.budget instructions, then an exit with PC at the next instruction. */
static void test_budget(void **state)
{
	struct engine_run_opts o = { .budget = 1000 };
	uint64_t x1;

	(void)state;
	fresh();
	load_case(9);
	assert_int_equal(engine_run(fx.e, &o, &fx.x), 0);
	assert_int_equal(fx.x.reason, ENGINE_EXIT_BUDGET);
	x1 = engine_get_x(fx.e, 1);
	assert_true(x1 > 100 && x1 <= 500); /* 2 instructions per iteration */
	assert_true(engine_get_pc(fx.e) == CODE_IPA + CASE(9) ||
		    engine_get_pc(fx.e) == CODE_IPA + CASE(9) + 4);
	assert_int_equal(engine_run(fx.e, &o, &fx.x), 0);
	assert_int_equal(fx.x.reason, ENGINE_EXIT_BUDGET);
	assert_true(engine_get_x(fx.e, 1) > x1 + 100);
}

/* ref §8: WFI returns with PC past it; WFE is a NOP unless trapped. */
static void test_wfx(void **state)
{
	struct engine_run_opts trap = { .trap_wfe = true };

	(void)state;
	fresh();
	load_case(7);
	run(ENGINE_EXIT_WFI);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(7));
	assert_int_equal(engine_get_pc(fx.e), CODE_IPA + CASE(7) + 4);
	assert_int_equal(fx.x.esr, (0x01ULL << 26) | ENGINE_ESR_IL | (1ULL << 24) | (0xeULL << 20));
	assert_int_equal(engine_get_x(fx.e, 1), 0);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 1), 1);

	fresh();
	load_case(8);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 1), 1);
	fresh();
	load_case(8);
	assert_int_equal(engine_run(fx.e, &trap, &fx.x), 0);
	assert_int_equal(fx.x.reason, ENGINE_EXIT_WFE);
	assert_int_equal(fx.x.pc, CODE_IPA + CASE(8));
	assert_int_equal(engine_get_pc(fx.e), CODE_IPA + CASE(8) + 4);
	assert_int_equal(fx.x.esr & 3, 1); /* TI = WFE */
	assert_int_equal(engine_get_x(fx.e, 1), 0);
	assert_int_equal(engine_run(fx.e, &trap, &fx.x), 0);
	assert_int_equal(fx.x.reason, ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 1), 1);
}

/* UNDEF (EC 0x00), SVC (EC 0x15 + imm, ELR past it), BRK (EC 0x3c) come back for the guest. */
static void test_guest_exceptions(void **state)
{
	struct engine_cpu_state s;

	(void)state;
	fresh();
	fx.s.el1.vbar = 0x10000;
	load_case(11);
	run(ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(fx.x.esr, ENGINE_ESR_IL | 0);
	assert_int_equal(fx.x.elr, CODE_IPA + CASE(11));
	/* Delivered by hand: check the architectural entry (ARM D1.10). */
	assert_int_equal(engine_deliver_guest_exception(fx.e, &fx.x), 0);
	engine_save(fx.e, &s);
	assert_int_equal(s.pc, 0x10000 + 0x200);
	assert_int_equal(s.el1.elr, CODE_IPA + CASE(11));
	assert_int_equal(s.el1.spsr, ENGINE_PSTATE_RESET);
	assert_int_equal(s.el1.esr, ENGINE_ESR_IL);
	assert_int_equal(s.pstate & 0x3cf, ENGINE_PSTATE_RESET);

	fresh();
	fx.s.pc = CODE_IPA + CASE(11) + 4;
	assert_int_equal(engine_load(fx.e, &fx.s, &fx.s2), 0);
	run(ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(fx.x.esr, (0x15ULL << 26) | ENGINE_ESR_IL | 7);
	assert_int_equal(fx.x.elr, CODE_IPA + CASE(11) + 8);
	engine_set_pc(fx.e, fx.x.elr);
	run(ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(fx.x.esr, (0x3cULL << 26) | ENGINE_ESR_IL | 3);
	assert_int_equal(fx.x.elr, CODE_IPA + CASE(11) + 8);
}

/* ref "translated-code coherence": host writes to executed code take effect after invalidation. */
static void test_code_invalidate(void **state)
{
	uint32_t *insn = (uint32_t *)((unsigned char *)tu_ptr(fx.code) + CASE(15));

	(void)state;
	fresh();
	load_case(15);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 0), 1);
	*insn = 0xd2800040; /* mov x0, #2 */
	engine_invalidate_code(fx.e, pa_add(fx.code, CASE(15)), 4);
	load_case(15);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 0), 2);
	*insn = 0xd2800060; /* mov x0, #3, on every engine */
	engines_invalidate_code(pa_add(fx.code, CASE(15)), 4);
	load_case(15);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 0), 3);
	*insn = 0xd2800020;
	engines_invalidate_code(pa_add(fx.code, CASE(15)), 4);
}

/* Emulated EL1 timers and VMPIDR (MPIDR_EL1 reads VMPIDR_EL2 at NS EL1, ref §2). */
static void test_timers_mpidr(void **state)
{
	struct engine_cpu_state s;

	(void)state;
	fresh();
	fx.s.vmpidr = 0x80000123;
	fx.s.x[1] = 5;	     /* CVAL far in the past */
	fx.s.x[2] = 1;	     /* ENABLE */
	fx.s.x[5] = 1000000; /* TVAL */
	load_case(17);
	run(ENGINE_EXIT_SMC);
	assert_int_equal(engine_get_x(fx.e, 3), 5); /* ENABLE | ISTATUS */
	assert_int_equal(engine_get_x(fx.e, 4), 5);
	assert_true(engine_get_x(fx.e, 6) > 1000000);
	assert_int_equal(engine_get_x(fx.e, 7), 0x80000123);
	engine_save(fx.e, &s);
	assert_int_equal(s.timer.cntv_ctl, 5);
	assert_int_equal(s.timer.cntv_cval, 5);
	assert_int_equal(s.timer.cntp_cval, engine_get_x(fx.e, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vtcr_encoding),
		cmocka_unit_test_setup_teardown(test_s2_geometries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smc_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hvc_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precise_dabt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ldp_page_cross, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iabt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_two_recs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wfx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_code_invalidate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timers_mpidr, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
