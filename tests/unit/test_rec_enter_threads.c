/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * REC_ENTER with more than one thread, and time (rmm-v1.0.md s12.1, s12.2,
 * s12.9, s16.3; failure-conditions s2.11, s5.10; unicorn-2.0.1.md s6):
 * a kick from another thread ends a spinning guest with an IRQ exit (also
 * one waiting in WFI, and one that has not started), the instruction
 * budget, "REC running" -> E_REC, a run granule that faults at the exit
 * -> E_INPUT, the per-realm execution lock (two RECs of one realm never
 * execute guest code at the same time; two realms do run in parallel), and
 * the realm timers (IRQ exit while running, while in WFI, and before the
 * first instruction).
 */
#include <pthread.h>
#include <time.h>

#include "rec_enter_fixture.h"

struct runner {
	pa_t rec, run;
	uint64_t flags;
	unsigned int loops;
	_Atomic(struct platform_cpu *) cpu;
	uint64_t ret;
	pthread_t tid;
};

static void *runner_main(void *arg)
{
	struct runner *r = arg;

	atomic_store(&r->cpu, platform_this_cpu());
	for (unsigned int i = 0; i < (r->loops ? r->loops : 1); i++) {
		r->ret = rx_enter_run(r->rec, r->run, r->flags);
		if (r->ret != rmi_pack(RMI_SUCCESS, 0))
			break;
	}
	return NULL;
}

static void runner_start(struct runner *r, pa_t rec, pa_t run, uint64_t flags)
{
	r->rec = rec;
	r->run = run;
	r->flags = flags;
	atomic_store(&r->cpu, NULL);
	assert_int_equal(pthread_create(&r->tid, NULL, runner_main, r), 0);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint64_t now_ms(void)
{
	return pcpu_now_ns() / 1000000ULL;
}

/* s16.3: running = the REC granule's reference count is 1. */
static bool rec_running(pa_t rec)
{
	return granule_refcount_read_acquire(find_granule(rec)) == 1;
}

/* Waits until the runner's REC runs and has its CPU handle. */
static struct platform_cpu *wait_running(struct runner *r)
{
	while (!rec_running(r->rec) || !atomic_load(&r->cpu))
		sleep_ms(1);
	return atomic_load(&r->cpu);
}

/* Guest-code watch (the run loop's test hook): set once a REC of watch_rd runs guest code. */
static _Atomic(const struct rd *) watch_rd;
static atomic_bool watch_seen;

static void watch_guest(const struct rd *rd, bool entering)
{
	if (entering && rd == atomic_load(&watch_rd))
		atomic_store(&watch_seen, true);
}

/* Waits until the runner's REC executes guest code, then lets it run `ms`. */
static struct platform_cpu *wait_in_guest(struct runner *r, unsigned int ms)
{
	struct platform_cpu *cpu = wait_running(r);

	while (!atomic_load(&watch_seen))
		sleep_ms(1);
	sleep_ms(ms);
	return cpu;
}

static void watch(const struct rx_realm *x)
{
	atomic_store(&watch_seen, false);
	atomic_store(&watch_rd, fx_rd(&x->r));
	rec_run_set_guest_hook(watch_guest);
}

static int setup(void **state)
{
	rec_run_set_budget(0); /* unlimited unless a test says otherwise */
	rec_run_set_wfi_tick_ns(10ULL * 1000000000ULL);
	rec_run_set_timer_poll(1ULL << 14);
	/* Budgets in instructions only (sanitizers slow the wall clock down); see test_budget_smc_loop. */
	rec_run_set_slice_ns(0);
	return fx_setup(state);
}

static int teardown(void **state)
{
	rec_run_set_budget(REC_RUN_DEFAULT_BUDGET);
	rec_run_set_wfi_tick_ns(REC_RUN_DEFAULT_WFI_TICK_NS);
	rec_run_set_timer_poll(REC_RUN_DEFAULT_TIMER_POLL);
	rec_run_set_slice_ns(REC_RUN_DEFAULT_SLICE_NS);
	rec_run_set_guest_hook(NULL);
	return fx_teardown(state);
}

static void assert_irq_exit(const struct rmi_rec_exit *e)
{
	/* s12.2 / ACS exception_rec_exit_irq: IRQ, esr/far/hpfar/gprs zero. */
	assert_int_equal(e->exit_reason, RMI_EXIT_IRQ);
	assert_int_equal(e->esr | e->far | e->hpfar, 0);
	assert_true(rx_zero(e->gprs, sizeof(e->gprs)));
}

/*
 * A kick ends a spinning guest (IRQ, PC unchanged: still in the loop);
 * meanwhile REC_ENTER of the running REC fails with E_REC (s12.1 step 3).
 */
static void test_kick_spinning(void **state)
{
	struct runner r = { 0 };
	struct rx_realm x;
	pa_t rec, run2 = fx_ns();
	uint64_t pc;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	runner_start(&r, rec, x.run, 0);
	platform_cpu_kick(wait_running(&r));
	pthread_join(r.tid, NULL);
	/* The first kick may land before the guest ran: kick again while it spins. */
	watch(&x);
	runner_start(&r, rec, x.run, 0);
	wait_in_guest(&r, 10);
	assert_rmi(rx_enter_run(rec, run2, 0), RMI_ERROR_REC, 0);
	platform_cpu_kick(atomic_load(&r.cpu));
	pthread_join(r.tid, NULL);
	assert_rmi(r.ret, RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_false(rec_running(rec));
	pc = rx_rec_state(rec)->pc;
	assert_true(pc == G_SPIN || pc == G_SPIN + 4);
	assert_true(rx_x(rec, 0) > 0);
}

/* A kick while the REC sleeps in an untrapped WFI wakes it: IRQ exit, PC past the WFI. */
static void test_kick_wfi(void **state)
{
	struct runner r = { 0 };
	struct rx_realm x;
	uint64_t t0;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	t0 = now_ms();
	watch(&x);
	runner_start(&r, rec, x.run, 0);
	wait_in_guest(&r, 30);
	platform_cpu_kick(atomic_load(&r.cpu));
	pthread_join(r.tid, NULL);
	assert_rmi(r.ret, RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_int_equal(rx_rec_state(rec)->pc, G_WFI + 4);
	assert_true(now_ms() - t0 < 5000); /* not the 10 s tick */
}

/* A kick pending before REC_ENTER: IRQ exit before the first instruction; taken once. */
static void test_kick_before_entry(void **state)
{
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rec_run_set_budget(1000);
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	platform_cpu_kick(platform_this_cpu());
	platform_cpu_kick(platform_this_cpu());
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_int_equal(rx_rec_state(rec)->pc, RX_CODE);
	assert_int_equal(rx_x(rec, 0), 0);
	/* Several kicks, one exit: the next entry runs (and ends on the budget). */
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_true(rx_x(rec, 0) > 0);
}

/* The instruction budget ends a spinning guest with an IRQ exit (issue 4). */
static void test_budget(void **state)
{
	struct rx_realm x;
	uint64_t n0;
	pa_t rec;

	(void)state;
	rec_run_set_budget(100000);
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	/* Two instructions per iteration, counted per block: about budget / 2. */
	n0 = rx_x(rec, 0);
	assert_true(n0 >= 100000 / 2 - 100 && n0 <= 100000 / 2 + 100);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_true(rx_x(rec, 0) - n0 >= 100000 / 2 - 100);
}

/*
 * A guest that loops on calls the RMM answers in place never reaches a
 * budget slice: each exit is charged to the budget, and the entry's wall
 * time is capped (rec_loop.c).
 */
static void test_budget_smc_loop(void **state)
{
	const uint64_t a[6] = { 0xC5000041 /* unsupported */ };
	struct rx_realm x;
	uint64_t t0;
	pa_t rec;

	(void)state;
	rec_run_set_budget(100000); /* 1000 exits at 100 instructions each */
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SMCLOOP, a);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_true(rx_rec_state(rec)->pc == G_SMCLOOP || rx_rec_state(rec)->pc == G_SMCLOOP + 4);
	/* A budget it cannot use up: the 5 ms slice ends the entry. */
	rec_run_set_budget(1ULL << 60);
	rec_run_set_slice_ns(5000000ULL);
	t0 = pcpu_now_ns();
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_true(pcpu_now_ns() - t0 >= 5000000ULL);
	assert_true(pcpu_now_ns() - t0 < 3000000000ULL);
}

/* An untrapped WFI with a virtual interrupt pending in a list register completes at once. */
static void test_wfi_lr_pending(void **state)
{
	struct rx_realm x;
	uint64_t t0;
	pa_t rec;

	(void)state;
	rec_run_set_budget(100000);
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	rx_run(x.run)->enter.gicv3_lrs[3] = (1ULL << 62) | 27; /* pending vINTID 27 */
	t0 = pcpu_now_ns();
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	/* Not the 10 s tick: the WFI completed and the REC spun to its budget. */
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_true(pcpu_now_ns() - t0 < 3000000000ULL);
	assert_int_equal(rx_rec_state(rec)->pc, G_WFI + 4);
	assert_int_equal(rx_run(x.run)->exit.gicv3_lrs[3], (1ULL << 62) | 27);
}

/* s12.1 step 16: the run granule delegated while the REC ran -> E_INPUT, state saved. */
static void test_exit_write_fault(void **state)
{
	struct runner r = { 0 };
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	watch(&x);
	runner_start(&r, rec, x.run, 0);
	wait_in_guest(&r, 10);
	assert_rmi(rmi_granule_delegate(x.run), RMI_SUCCESS, 0);
	platform_cpu_kick(atomic_load(&r.cpu));
	pthread_join(r.tid, NULL);
	assert_rmi(r.ret, RMI_ERROR_INPUT, 0);
	assert_false(rec_running(rec));
	assert_true(rx_x(rec, 0) > 0); /* the state was saved all the same */
	assert_rmi(rmi_granule_undelegate(x.run), RMI_SUCCESS, 0);
}

/* ---- the execution lock ---- */

static const struct rd *hook_rd;
static atomic_int in_guest, overlaps, entries;

static void count_guest(const struct rd *rd, bool entering)
{
	if (rd != hook_rd)
		return;
	if (entering) {
		if (atomic_fetch_add(&in_guest, 1) != 0)
			atomic_fetch_add(&overlaps, 1);
		atomic_fetch_add(&entries, 1);
	} else {
		atomic_fetch_sub(&in_guest, 1);
	}
}

/* Two threads enter two RECs of one realm 150 times each: never in guest code together. */
static void test_exec_lock(void **state)
{
	struct runner r[2] = { 0 };
	struct rx_realm x;
	pa_t rec[2];

	(void)state;
	rec_run_set_budget(20000);
	rx_realm_new(&x);
	rec[0] = rx_rec(&x, G_SPIN, NULL);
	rec[1] = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	hook_rd = fx_rd(&x.r);
	atomic_store(&overlaps, 0);
	atomic_store(&entries, 0);
	rec_run_set_guest_hook(count_guest);
	for (int i = 0; i < 2; i++) {
		r[i].loops = 150;
		runner_start(&r[i], rec[i], i ? fx_ns() : x.run, 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(r[i].tid, NULL);
		assert_rmi(r[i].ret, RMI_SUCCESS, 0);
		assert_true(rx_x(rec[i], 0) >= 150 * 20000 / 2 - 150 * 100);
	}
	rec_run_set_guest_hook(NULL);
	assert_int_equal(atomic_load(&overlaps), 0);
	assert_true(atomic_load(&entries) >= 300);
}

/* Different realms run in parallel: realm y exits while realm x's REC keeps running. */
static void test_realms_parallel(void **state)
{
	struct runner r = { 0 };
	struct rx_realm x, y;
	pa_t rec_x, rec_y;

	(void)state;
	rx_realm_new(&x);
	rec_x = rx_rec(&x, G_SPIN, NULL);
	rx_activate(&x);
	rx_realm_new(&y);
	rec_y = rx_rec(&y, G_WFI, NULL);
	rx_activate(&y);
	runner_start(&r, rec_x, x.run, 0);
	wait_running(&r);
	rx_assert_wfi_exit(rx_step(&y, rec_y, 0));
	assert_true(rec_running(rec_x));
	platform_cpu_kick(atomic_load(&r.cpu));
	pthread_join(r.tid, NULL);
	assert_rmi(r.ret, RMI_SUCCESS, 0);
}

/* ---- timers (s12.9, failure-conditions s5.10) ---- */

#define CTL_ENABLE_ISTATUS 5

/* The virtual timer fires while the guest spins: IRQ exit with the timer state. */
static void test_timer_running(void **state)
{
	const uint64_t a[6] = { [2] = PCPU_COUNTER_HZ / 1000 /* 1 ms */ };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	uint64_t n0, t0 = now_ms();
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_TIMER, a);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	e = &rx_run(x.run)->exit;
	assert_int_equal(e->exit_reason, RMI_EXIT_IRQ);
	assert_int_equal(e->cntv_ctl, CTL_ENABLE_ISTATUS);
	assert_int_equal(e->cntv_cval, rx_x(rec, 1));
	assert_true(pcpu_counter() >= e->cntv_cval);
	assert_true(now_ms() - t0 < 3000);
	/* The output stays asserted: no new exit for it; the REC runs to its budget. */
	n0 = rx_x(rec, 0);
	rec_run_set_budget(200000);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_true(rx_x(rec, 0) - n0 >= 200000 / 2 - 100);
}

/* An untrapped WFI sleeps until the timer fires: IRQ exit, PC past the WFI. */
static void test_timer_wfi(void **state)
{
	const uint64_t a[6] = { [2] = 3 * PCPU_COUNTER_HZ / 1000 /* 3 ms */ };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	uint64_t t0 = pcpu_now_ns();
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_TIMERWFI, a);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	e = &rx_run(x.run)->exit;
	assert_int_equal(e->exit_reason, RMI_EXIT_IRQ);
	assert_int_equal(e->cntv_ctl, CTL_ENABLE_ISTATUS);
	assert_true(pcpu_now_ns() - t0 >= 2500000ULL);
	assert_true(pcpu_now_ns() - t0 < 3000000000ULL);
	assert_int_equal(rx_rec_state(rec)->pc, G_TIMERWFI + 0x18);
	/* The realm reads its timer's ISTATUS. */
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_x(rec, 4), CTL_ENABLE_ISTATUS);
}

/* s12.9: a timer that fired while the host was away exits before the first instruction. */
static void test_timer_at_entry(void **state)
{
	const uint64_t a[6] = { [2] = 20 * PCPU_COUNTER_HZ / 1000 /* 20 ms */ };
	struct rmi_rec_exit *e;
	struct rx_realm x;
	pa_t rec;

	(void)state;
	rx_realm_new(&x);
	rec = rx_rec(&x, G_TIMERWFI, a);
	rx_activate(&x);
	e = rx_step(&x, rec, 0);
	rx_assert_wfi_exit(e);
	assert_int_equal(e->cntv_ctl, 1); /* enabled, not yet fired */
	sleep_ms(40);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_TRAP_WFI), RMI_SUCCESS, 0);
	assert_irq_exit(e);
	assert_int_equal(e->cntv_ctl, CTL_ENABLE_ISTATUS);
	assert_int_equal(rx_rec_state(rec)->pc, G_TIMERWFI + 0x18);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_x(rec, 4), CTL_ENABLE_ISTATUS);
}

/* An untrapped WFI with nothing to wake it ends at the host's tick with an IRQ exit. */
static void test_wfi_tick(void **state)
{
	struct rx_realm x;
	uint64_t t0 = pcpu_now_ns();
	pa_t rec;

	(void)state;
	rec_run_set_wfi_tick_ns(5000000ULL);
	rx_realm_new(&x);
	rec = rx_rec(&x, G_WFI, NULL);
	rx_activate(&x);
	assert_rmi(rx_enter(&x, rec, 0), RMI_SUCCESS, 0);
	assert_irq_exit(&rx_run(x.run)->exit);
	assert_true(pcpu_now_ns() - t0 >= 4000000ULL);
	assert_int_equal(rx_rec_state(rec)->pc, G_WFI + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kick_spinning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_wfi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_before_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_smc_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wfi_lr_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_write_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realms_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_wfi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_at_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wfi_tick, setup, teardown),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	platform_cpu_release();
	return ret;
}
