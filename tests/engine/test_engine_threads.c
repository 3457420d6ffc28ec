/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU engine, cross-thread: kicks and stage-2 TLB invalidation while the
 * guest executes on another thread (ref = ../shared/reference/unicorn-2.0.1.md
 * §6 "uc_emu_stop from another thread": only a flag may cross threads; the
 * engine's block hook acts on it).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "rk_test.h"
#include "engine_test_util.h"

#define CODE_IPA 0x0ULL
#define READ_IPA 0x200000ULL
#define CNT_IPA	 0x300000ULL
#define VMID	 7

static struct engine *e;
static struct s2b b;
static struct engine_stage2 s2;
static pa_t read_pa, cnt_pa;

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

static int setup(void **state)
{
	(void)state;
	if (tu_platform_up(32))
		return -1;
	e = engine_create();
	if (!e)
		return -1;
	s2b_init(&b, 40, 1, VMID);
	if (!tu_load_guest(&b, "basic", CODE_IPA, NULL))
		return -1;
	read_pa = tu_alloc(1);
	cnt_pa = tu_alloc(1);
	s2b_map(&b, READ_IPA, read_pa, S2_PAGE_RW);
	s2b_map(&b, CNT_IPA, cnt_pa, S2_PAGE_RW);
	s2 = s2b_stage2(&b);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	engine_destroy(e);
	tu_platform_down();
	return 0;
}

static atomic_int kicks_sent, kicks_seen, kicker_stop;

static void *kicker(void *arg)
{
	int n = *(int *)arg;

	for (int i = 0; i < n && !atomic_load(&kicker_stop); i++) {
		sleep_us(500);
		atomic_fetch_add(&kicks_sent, 1);
		engine_kick(e);
		while (atomic_load(&kicks_seen) < atomic_load(&kicks_sent) &&
		       !atomic_load(&kicker_stop))
			sleep_us(50);
	}
	return NULL;
}

/*
 * Kicks during a tight loop (guest case 12: add x1; ldr; add x3; subs x2):
 * every kick gives exactly one KICK exit at a block boundary, none is lost,
 * and no instruction runs twice (x1 == x3 at every exit and at the end).
 */
static void test_kick_tight_loop(void **state)
{
	struct engine_cpu_state s;
	struct engine_exit x;
	pthread_t t;
	int n = 30, exits = 0;

	(void)state;
	/* A kick while idle: the next run exits before executing anything. */
	tu_state_init(&s, CODE_IPA + CASE(12));
	s.x[2] = 1ULL << 40;
	s.x[5] = READ_IPA;
	assert_int_equal(engine_load(e, &s, &s2), 0);
	engine_kick(e);
	engine_kick(e);
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_KICK);
	assert_int_equal(engine_get_pc(e), CODE_IPA + CASE(12));
	assert_int_equal(engine_get_x(e, 1), 0);

	atomic_store(&kicks_sent, 0);
	atomic_store(&kicks_seen, 0);
	atomic_store(&kicker_stop, 0);
	assert_int_equal(pthread_create(&t, NULL, kicker, &n), 0);
	for (;;) {
		assert_int_equal(engine_run(e, NULL, &x), 0);
		if (x.reason == ENGINE_EXIT_SMC)
			break;
		assert_int_equal(x.reason, ENGINE_EXIT_KICK);
		exits++;
		/* One exit per kick sent: never more exits than kicks. */
		assert_true(exits <= atomic_load(&kicks_sent));
		assert_int_equal(engine_get_x(e, 1), engine_get_x(e, 3));
		assert_int_equal(engine_get_pc(e), CODE_IPA + CASE(12));
		atomic_store(&kicks_seen, exits);
		if (exits == n)
			engine_set_x(e, 2, 1000); /* let the guest finish */
	}
	atomic_store(&kicker_stop, 1);
	pthread_join(t, NULL);
	assert_int_equal(exits, n);
	assert_int_equal(atomic_load(&kicks_sent), n);
	assert_int_equal(engine_get_x(e, 1), engine_get_x(e, 3));
	assert_int_equal(engine_get_x(e, 2), 0);
	assert_true(engine_get_x(e, 1) > 1000);
}

struct inval_arg {
	volatile uint64_t *counter;
	uint64_t at_return;
	uint16_t vmid;
};

static void *invalidator(void *arg)
{
	struct inval_arg *a = arg;

	while (*a->counter < 10000)
		sleep_us(100);
	s2b_unmap(&b, READ_IPA);
	engines_invalidate_vmid(a->vmid);
	a->at_return = *a->counter;
	return NULL;
}

/*
 * engine_invalidate_vmid() from another thread while the guest loops
 * reading a page (case 13): when it returns the engine no longer uses the
 * old translation, so the very next read faults: the iteration count at
 * the fault equals the count the invalidator saw on return.
 */
static void test_invalidate_while_looping(void **state)
{
	volatile uint64_t *counter = tu_ptr(cnt_pa);
	struct inval_arg a = { .counter = counter, .vmid = VMID };
	struct engine_cpu_state s;
	struct engine_exit x;
	pthread_t t;

	(void)state;
	*counter = 0;
	tu_state_init(&s, CODE_IPA + CASE(13));
	s.x[5] = READ_IPA;
	s.x[6] = CNT_IPA;
	assert_int_equal(engine_load(e, &s, &s2), 0);
	assert_int_equal(pthread_create(&t, NULL, invalidator, &a), 0);
	assert_int_equal(engine_run(e, NULL, &x), 0);
	pthread_join(t, NULL);
	assert_int_equal(x.reason, ENGINE_EXIT_S2_DABT);
	assert_int_equal(x.ipa, READ_IPA);
	assert_int_equal(x.pc, CODE_IPA + CASE(13));
	assert_int_equal(engine_get_x(e, 1), a.at_return);
	assert_int_equal(*counter, a.at_return);

	/* Idle engine: the call returns at once, the TLBI happens before the next entry. */
	s2b_map(&b, READ_IPA, read_pa, S2_PAGE_RW);
	engine_set_pc(e, CODE_IPA + CASE(13));
	assert_int_equal(engine_run(e, &(struct engine_run_opts){ .budget = 20000 }, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_BUDGET);
	s2b_unmap(&b, READ_IPA);
	engine_invalidate_vmid(e, VMID);
	engine_set_pc(e, CODE_IPA + CASE(13));
	assert_int_equal(engine_run(e, NULL, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_S2_DABT);
	assert_int_equal(x.ipa, READ_IPA);
	s2b_map(&b, READ_IPA, read_pa, S2_PAGE_RW);
}

static uint64_t other_start;

static void *other_vmid(void *arg)
{
	volatile uint64_t *counter = arg;

	while (*counter < other_start + 10000)
		sleep_us(100);
	engines_invalidate_vmid(VMID + 1); /* no engine has it: no effect, no wait */
	engine_kick(e);
	return NULL;
}

/* The registry applies an invalidation only to engines loaded with that VMID. */
static void test_invalidate_other_vmid(void **state)
{
	volatile uint64_t *counter = tu_ptr(cnt_pa);
	struct engine_cpu_state s;
	struct engine_exit x;
	pthread_t t;

	(void)state;
	*counter = 0;
	tu_state_init(&s, CODE_IPA + CASE(13));
	s.x[5] = READ_IPA;
	s.x[6] = CNT_IPA;
	assert_int_equal(engine_load(e, &s, &s2), 0);
	/* Run a while so that the engine caches the translation of READ_IPA. */
	assert_int_equal(engine_run(e, &(struct engine_run_opts){ .budget = 20000 }, &x), 0);
	assert_int_equal(x.reason, ENGINE_EXIT_BUDGET);
	other_start = *counter;
	s2b_unmap(&b, READ_IPA); /* stale but still cached: no invalidation for VMID 7 */
	assert_int_equal(pthread_create(&t, NULL, other_vmid, (void *)counter), 0);
	assert_int_equal(engine_run(e, NULL, &x), 0);
	pthread_join(t, NULL);
	assert_int_equal(x.reason, ENGINE_EXIT_KICK);
	assert_true(*counter >= other_start + 10000);
	s2b_map(&b, READ_IPA, read_pa, S2_PAGE_RW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kick_tight_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidate_while_looping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalidate_other_vmid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
