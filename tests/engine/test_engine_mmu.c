/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A guest with its own stage 1 (identity via TTBR0 plus a TTBR1 high-VA
 * alias) and its own vectors (guests/mmu.S): an SVC, a stage-1 data abort
 * and an UNDEF come back from the engine as guest exceptions and are
 * delivered to the guest's VBAR_EL1 by engine_deliver_guest_exception();
 * an IRQ is injected with engine_inject_irq(). ARM = Arm ARM DDI 0487
 * (D1.10 exception entry, D17.2.37 ESR_EL1), ref = unicorn-2.0.1.md §7.
 */
#include <errno.h>
#include <string.h>

#include "rk_test.h"
#include "engine_test_util.h"

#define CODE_IPA  0x80000ULL
#define DATA_IPA  0x100000ULL
#define TTBR0_IPA 0x200000ULL
#define TTBR1_IPA 0x201000ULL
#define HIGH_VA	  0xffffff8000000000ULL
#define BAD_VA	  0x40000010ULL
/* Stage-1 1 GiB block: AF, SH Inner, AP EL1 RW, AttrIndx 0, block (0b01). */
#define S1_BLOCK 0x701ULL

/* Stage 2 for guests/mmu.S, its stage-1 tables and data; returns the data page. */
static uint64_t *mmu_guest_prepare(struct engine *e, struct engine_stage2 *s2)
{
	pa_t data = tu_alloc(1), t0 = tu_alloc(1), t1 = tu_alloc(1);
	struct engine_cpu_state s;
	struct s2b b;

	s2b_init(&b, 40, 1, 3);
	assert_true(tu_load_guest(&b, "mmu", CODE_IPA, NULL) > 0);
	s2b_map(&b, DATA_IPA, data, S2_PAGE_RW);
	s2b_map(&b, TTBR0_IPA, t0, S2_PAGE_RW);
	s2b_map(&b, TTBR1_IPA, t1, S2_PAGE_RW);
	((uint64_t *)tu_ptr(t0))[0] = 0x0 | S1_BLOCK; /* VA [0, 1 GiB) -> IPA 0 */
	((uint64_t *)tu_ptr(t1))[0] = 0x0 | S1_BLOCK; /* HIGH_VA + x -> IPA x */
	((uint64_t *)tu_ptr(data))[0] = 41;
	*s2 = s2b_stage2(&b);
	tu_state_init(&s, CODE_IPA);
	s.x[0] = TTBR0_IPA;
	s.x[1] = TTBR1_IPA;
	s.x[2] = HIGH_VA + DATA_IPA;
	s.x[3] = BAD_VA;
	assert_int_equal(engine_load(e, &s, s2), 0);
	return tu_ptr(data);
}

static void test_guest_mmu_vectors(void **state)
{
	struct engine *e = engine_create();
	struct engine_stage2 s2;
	struct engine_cpu_state s;
	struct engine_exit x;
	uint64_t *d;

	(void)state;
	assert_non_null(e);
	d = mmu_guest_prepare(e, &s2);

	/* SVC #0x42: EC 0x15, ISS = imm, to VBAR + 0x200 (EL1h), ELR = next instruction. */
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(x.esr, (0x15ULL << 26) | ENGINE_ESR_IL | 0x42);
	assert_int_equal(engine_deliver_guest_exception(e, &x), 0);

	/* Stage-1 translation fault, level 1, from EL1: EC 0x25, DFSC 0x05, FAR = VA. */
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(x.esr, (0x25ULL << 26) | ENGINE_ESR_IL | 0x05);
	assert_int_equal(x.far, BAD_VA);
	assert_true(x.far_valid);
	assert_int_equal(engine_deliver_guest_exception(e, &x), 0);

	/* The guest unmasked IRQs and made an SMC: inject an IRQ (VBAR + 0x280). */
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_SMC);
	assert_int_equal(engine_inject_irq(e), 0);

	/* UDF #5: EC 0x00 (unknown), ELR = the instruction. */
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(x.esr, ENGINE_ESR_IL);
	assert_int_equal(x.elr, x.pc);
	assert_int_equal(engine_deliver_guest_exception(e, &x), 0);
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_SMC);
	/* IRQs masked again by the guest? No: masked only while handling. */
	assert_int_equal(engine_get_pstate(e) & ENGINE_PSTATE_I, 0);

	engine_save(e, &s);
	assert_int_equal(s.x[20], 1); /* one SVC */
	assert_int_equal(s.x[21], (0x15ULL << 26) | ENGINE_ESR_IL | 0x42);
	assert_int_equal(s.x[23], (0x25ULL << 26) | ENGINE_ESR_IL | 0x05);
	assert_int_equal(s.x[24], BAD_VA);
	assert_int_equal(s.x[25], 1); /* one IRQ */
	/* SPSR at the IRQ: EL1h, D, A, F still set, I clear (daifclr #2) */
	assert_int_equal(s.x[27] & 0x3cf,
			 (ENGINE_PSTATE_DAIF & ~ENGINE_PSTATE_I) | ENGINE_PSTATE_EL1h);
	assert_int_equal(s.x[26], ENGINE_ESR_IL); /* UNDEF */
	assert_int_equal(d[1], 42);		  /* stored through the TTBR1 alias */
	assert_int_equal(s.el1.sctlr & 1, 1);

	/* IRQs masked: nothing injected. */
	s.pstate |= ENGINE_PSTATE_I;
	assert_int_equal(engine_load(e, &s, &s2), 0);
	assert_int_equal(engine_inject_irq(e), -EAGAIN);
	engine_destroy(e);
}

/* The same state moved between engines keeps its MMU on (mode flags rebuilt on load). */
static void test_exception_entry_on_state(void **state)
{
	struct engine_cpu_state s;

	(void)state;
	tu_state_init(&s, 0x1234);
	s.el1.vbar = 0x8000;
	s.pstate = ENGINE_PSTATE_EL1t | ENGINE_PSTATE_Z;
	engine_state_take_exception(&s, 0x1234, 0x56000001, 0x99, true, false);
	assert_int_equal(s.pc, 0x8000);
	assert_int_equal(s.el1.spsr, ENGINE_PSTATE_EL1t | ENGINE_PSTATE_Z);
	assert_int_equal(s.el1.elr, 0x1234);
	assert_int_equal(s.el1.esr, 0x56000001);
	assert_int_equal(s.el1.far, 0x99);
	assert_int_equal(s.pstate, ENGINE_PSTATE_Z | ENGINE_PSTATE_DAIF | ENGINE_PSTATE_EL1h);
	s.pstate = ENGINE_PSTATE_EL0t;
	engine_state_take_exception(&s, 0x40, 0, 0, false, true);
	assert_int_equal(s.pc, 0x8000 + 0x480);
	assert_int_equal(s.el1.esr, 0x56000001); /* IRQ: ESR untouched */
}

/*
 * A guest that drops to EL0 itself: SVCs from EL0 go to VBAR_EL1 + 0x400
 * (ARM D1.10.2, lower EL using AArch64) and the handler runs at EL1 (the
 * engine rebuilds the CPU's mode flags, which register writes do not).
 */
static void test_el0_svc(void **state)
{
	struct engine *e = engine_create();
	struct engine_cpu_state s;
	struct engine_stage2 s2;
	struct engine_exit x;
	struct s2b b;

	(void)state;
	assert_non_null(e);
	s2b_init(&b, 40, 1, 4);
	assert_true(tu_load_guest(&b, "el0", CODE_IPA, NULL) > 0);
	s2 = s2b_stage2(&b);
	tu_state_init(&s, CODE_IPA);
	assert_int_equal(engine_load(e, &s, &s2), 0);
	for (unsigned int imm = 0x11; imm <= 0x22; imm += 0x11) {
		assert_int_equal(engine_run(e, NULL, &x), 0);
		assert_int_equal(x.reason, ENGINE_EXIT_GUEST_EXCEPTION);
		assert_int_equal(x.esr, (0x15ULL << 26) | ENGINE_ESR_IL | imm);
		assert_int_equal(engine_get_pstate(e) & ENGINE_PSTATE_M_MASK, ENGINE_PSTATE_EL0t);
		assert_int_equal(engine_deliver_guest_exception(e, &x), 0);
		assert_int_equal(engine_get_pc(e), CODE_IPA + 0x800 + 0x400);
		assert_int_equal(engine_get_pstate(e) & 0x3cf, ENGINE_PSTATE_RESET);
	}
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_SMC);
	engine_save(e, &s);
	assert_int_equal(s.x[20], 0x33);
	assert_int_equal(s.x[1], 2);
	assert_int_equal(s.x[11], ENGINE_PSTATE_EL0t); /* SPSR: from EL0t, DAIF clear */
	assert_int_equal(s.el1.elr, CODE_IPA + 0x28);  /* after svc #0x22 */

	/* An EL0 state loaded onto a fresh engine (its flags are EL1) also runs. */
	tu_state_init(&s, CODE_IPA + 0x18); /* el0code */
	s.pstate = ENGINE_PSTATE_EL0t;
	s.el1.vbar = CODE_IPA + 0x800;
	engine_destroy(e);
	e = engine_create();
	assert_int_equal(engine_load(e, &s, &s2), 0);
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_GUEST_EXCEPTION);
	assert_int_equal(x.esr & 0xffff, 0x11);
	engine_destroy(e);
}

static int setup(void **state)
{
	(void)state;
	return tu_platform_up(32);
}

static int teardown(void **state)
{
	(void)state;
	tu_platform_down();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_guest_mmu_vectors, setup, teardown),
		cmocka_unit_test(test_exception_entry_on_state),
		cmocka_unit_test_setup_teardown(test_el0_svc, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
