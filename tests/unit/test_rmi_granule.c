/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_VERSION, RMI_FEATURES, RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE
 * through the conduit: every failure-condition row of
 * failure-conditions-v1.0.md s2.1-s2.4, the priority pairs, the success
 * post-conditions, the GPF a host access to a delegated granule takes, and
 * racing delegations.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "granule.h"
#include "platform_root.h"
#include "rk_test.h"
#include "rmm.h"

static pa_t ns_base;
static uint64_t ns_size;

static uint64_t delegate(pa_t pa)
{
	return smc_call(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}

static uint64_t undelegate(pa_t pa)
{
	return smc_call(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}

static int setup(void **state)
{
	struct rk_platform_config cfg = { .dram_size = 64ULL << 20 };

	(void)state;
	if (platform_init(&cfg) || rmm_boot())
		return -1;
	platform_ns_dram_range(&ns_base, &ns_size);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rmm_shutdown();
	platform_fini();
	return 0;
}

/* Puts a granule in an RMM state directly (white box: the objects that own
 * these states are created by commands tested in their own suites). */
static void force_state(pa_t pa, enum granule_state s)
{
	struct granule *g = find_granule(pa);

	granule_lock(g);
	if (s != GRANULE_STATE_NS)
		assert_int_equal(el3_gtsi_delegate(pa), 0);
	granule_unlock_transition(g, s);
}

/* s2.1: RMI_VERSION, lower = higher = 1.0 whatever is requested. */
static void test_version(void **state)
{
	static const uint64_t reqs[] = { 0x10000, 0x10001, 0x20000, 0, ~0ULL };
	struct smc_result r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(reqs); i++) {
		r = smc_call(RMI_VERSION, reqs[i], 0, 0, 0, 0, 0);
		assert_rmi(r.x[0], reqs[i] == 0x10000 ? RMI_SUCCESS : RMI_ERROR_INPUT, 0);
		assert_int_equal(r.x[1], 0x10000);
		assert_int_equal(r.x[2], 0x10000);
		assert_int_equal(r.x[3], 0);
		assert_int_equal(r.x[4], 0);
	}
}

/* s2.2: index 0 has bits [63:42] zero; every other index reads 0. */
static void test_features(void **state)
{
	struct smc_result r = smc_call(RMI_FEATURES, 0, 0, 0, 0, 0, 0);
	uint64_t idx[] = { 1, 2, 0x100, ~0ULL };

	(void)state;
	assert_rmi(r.x[0], RMI_SUCCESS, 0);
	assert_int_equal(r.x[1] >> 42, 0);
	assert_int_equal(rmi_field_get(r.x[1], RMI_FEATURE_REGISTER_0_S2SZ_SHIFT,
				       RMI_FEATURE_REGISTER_0_S2SZ_WIDTH),
			 44); /* the CPU engine's limit (rmi_version.c) */
	/* rmm-v1.0.md s5: conformance assumes both hash algorithms. */
	assert_int_equal(rmi_field_get(r.x[1], RMI_FEATURE_REGISTER_0_HASH_SHA_256_SHIFT, 1), 1);
	assert_int_equal(rmi_field_get(r.x[1], RMI_FEATURE_REGISTER_0_HASH_SHA_512_SHIFT, 1), 1);
	assert_int_equal(rmi_field_get(r.x[1], RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT,
				       RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_WIDTH),
			 10);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		r = smc_call(RMI_FEATURES, idx[i], 0, 0, 0, 0, 0);
		assert_rmi(r.x[0], RMI_SUCCESS, 0);
		assert_int_equal(r.x[1], 0);
	}
}

/* s1: unused slots and IDs outside the table are SMC_UNKNOWN. */
static void test_unknown_fids(void **state)
{
	static const uint64_t fids[] = { 0xC4000156, 0xC4000160, 0xC4000163,
					 0xC400014F, 0xC400016A, 0x84000150 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fids); i++)
		assert_int_equal(smc_call(fids[i], 0, 0, 0, 0, 0, 0).x[0], SMC_UNKNOWN);
}

/* s2.3 success: DELEGATED, PAS Realm, contents zero; observability: twice fails. */
static void test_delegate_success(void **state)
{
	pa_t pa = ns_base;
	unsigned char *ns = platform_ns_ptr(pa);
	unsigned char *root = platform_root_ptr(pa);

	(void)state;
	memset(ns, 0xee, GRANULE_SIZE);
	assert_rmi(delegate(pa), RMI_SUCCESS, 0);
	assert_int_equal(granule_get_state(find_granule(pa)), GRANULE_STATE_DELEGATED);
	assert_int_equal(platform_pas(pa), RK_PAS_REALM);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		assert_int_equal(root[i], 0);
	assert_rmi(delegate(pa), RMI_ERROR_INPUT, 0);
	assert_rmi(undelegate(pa), RMI_SUCCESS, 0);
	assert_int_equal(platform_pas(pa), RK_PAS_NS);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		assert_int_equal(ns[i], 0);
	assert_rmi(undelegate(pa), RMI_ERROR_INPUT, 0);
}

/* s2.3 rows gran_align, gran_bound (MMIO, beyond PA range), gran_state, gran_gpt. */
static void test_delegate_failures(void **state)
{
	static const enum granule_state states[] = { GRANULE_STATE_DELEGATED, GRANULE_STATE_REC,
						     GRANULE_STATE_DATA, GRANULE_STATE_RTT,
						     GRANULE_STATE_RD };
	pa_t sec = pa_add(ns_base, ns_size);

	(void)state;
	assert_rmi(delegate(pa_add(ns_base, 1)), RMI_ERROR_INPUT, 0);	/* align */
	assert_rmi(delegate(pa_of(RK_NS_UART_PA)), RMI_ERROR_INPUT, 0); /* bound */
	assert_rmi(delegate(pa_of((1ULL << RK_PA_WIDTH) + GRANULE_SIZE)), RMI_ERROR_INPUT, 0);
	assert_rmi(delegate(pa_of(RK_DRAM_BASE + platform_dram_size())), RMI_ERROR_INPUT, 0);
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) { /* state */
		pa_t pa = pa_add(ns_base, (i + 1) * GRANULE_SIZE);

		force_state(pa, states[i]);
		assert_rmi(delegate(pa), RMI_ERROR_INPUT, 0);
		/* No side effect: state and PAS unchanged. */
		assert_int_equal(granule_get_state(find_granule(pa)), states[i]);
		assert_int_equal(platform_pas(pa), RK_PAS_REALM);
	}
	assert_rmi(delegate(sec), RMI_ERROR_INPUT, 0); /* gpt */
	assert_int_equal(platform_pas(sec), RK_PAS_SECURE);
	assert_int_equal(granule_get_state(find_granule(sec)), GRANULE_STATE_NS);
	assert_rmi(delegate(pa_of(RK_DRAM_BASE)), RMI_ERROR_INPUT, 0); /* Root */
	assert_int_equal(platform_pas(pa_of(RK_DRAM_BASE)), RK_PAS_ROOT);
	/* An EL3 refusal (gran_gpt) leaves the granule NS and usable. */
	el3_inject_gtsi_failures(1);
	assert_rmi(delegate(ns_base), RMI_ERROR_INPUT, 0);
	assert_int_equal(granule_get_state(find_granule(ns_base)), GRANULE_STATE_NS);
	assert_int_equal(platform_pas(ns_base), RK_PAS_NS);
	assert_rmi(delegate(ns_base), RMI_SUCCESS, 0);
}

/*
 * Priority (CBMC tb_rmi_granule_delegate: align < bound < state < gpt). All
 * four give E_INPUT, so each pair is checked for the code and for leaving no
 * trace: an unaligned Secure address, an MMIO address + 1, a DELEGATED
 * granule that is also not NS in the GPT.
 */
static void test_delegate_priority_pairs(void **state)
{
	pa_t sec = pa_add(ns_base, ns_size);

	(void)state;
	assert_rmi(delegate(pa_add(sec, 1)), RMI_ERROR_INPUT, 0);	    /* align+gpt */
	assert_rmi(delegate(pa_of(RK_NS_UART_PA + 1)), RMI_ERROR_INPUT, 0); /* align+bound */
	assert_rmi(delegate(pa_of((1ULL << RK_PA_WIDTH) + 1)), RMI_ERROR_INPUT, 0);
	force_state(ns_base, GRANULE_STATE_DELEGATED); /* state+gpt */
	assert_rmi(delegate(ns_base), RMI_ERROR_INPUT, 0);
	assert_int_equal(granule_get_state(find_granule(ns_base)), GRANULE_STATE_DELEGATED);
	assert_int_equal(platform_pas(sec), RK_PAS_SECURE);
}

/* s2.4 rows gran_align, gran_bound, gran_state (UNDELEGATED, REC, DATA, RTT, RD). */
static void test_undelegate_failures(void **state)
{
	static const enum granule_state states[] = { GRANULE_STATE_REC, GRANULE_STATE_DATA,
						     GRANULE_STATE_RTT, GRANULE_STATE_RD,
						     GRANULE_STATE_REC_AUX };
	pa_t pa = pa_add(ns_base, 16 * GRANULE_SIZE);

	(void)state;
	assert_rmi(delegate(pa), RMI_SUCCESS, 0);
	assert_rmi(undelegate(pa_add(pa, 1)), RMI_ERROR_INPUT, 0);
	assert_rmi(undelegate(pa_of(RK_NS_UART_PA)), RMI_ERROR_INPUT, 0);
	assert_rmi(undelegate(pa_of((1ULL << RK_PA_WIDTH) + GRANULE_SIZE)), RMI_ERROR_INPUT, 0);
	assert_rmi(undelegate(pa_add(pa, GRANULE_SIZE)), RMI_ERROR_INPUT, 0); /* NS */
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		pa_t p = pa_add(ns_base, (20 + i) * GRANULE_SIZE);

		force_state(p, states[i]);
		assert_rmi(undelegate(p), RMI_ERROR_INPUT, 0);
		assert_int_equal(granule_get_state(find_granule(p)), states[i]);
		assert_int_equal(platform_pas(p), RK_PAS_REALM);
	}
	/* An EL3 refusal keeps the granule DELEGATED and zero: nothing leaks. */
	el3_inject_gtsi_failures(1);
	assert_rmi(undelegate(pa), RMI_ERROR_INPUT, 0);
	assert_int_equal(granule_get_state(find_granule(pa)), GRANULE_STATE_DELEGATED);
	assert_int_equal(platform_pas(pa), RK_PAS_REALM);
	assert_rmi(undelegate(pa), RMI_SUCCESS, 0);
}

/*
 * mm_gpf_exception: a host read of a delegated granule takes a granule
 * protection fault that names the PA; after undelegate it reads zero.
 */
static void test_gpf_kills_host_reader(void **state)
{
	pa_t pa = pa_add(ns_base, 40 * GRANULE_SIZE);
	char expect[96], msg[256] = "";
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	(void)state;
	memset(platform_ns_ptr(pa), 0x77, GRANULE_SIZE);
	assert_rmi(delegate(pa), RMI_SUCCESS, 0);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		volatile unsigned char *p = platform_ns_ptr(pa);

		dup2(fds[1], STDERR_FILENO);
		platform_install_gpf_reporter();
		(void)p[123];
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), RK_EXIT_GPF);
	snprintf(expect, sizeof(expect), "granule protection fault: PA 0x%llx (PAS REALM)\n",
		 (unsigned long long)pa.v + 123);
	assert_string_equal(msg, expect);
	assert_rmi(undelegate(pa), RMI_SUCCESS, 0);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		assert_int_equal(((unsigned char *)platform_ns_ptr(pa))[i], 0);
}

/* Two threads racing to delegate (then undelegate) one granule: exactly one wins. */
struct race {
	pa_t pa;
	atomic_int start;
	uint64_t x0;
	uint64_t (*fn)(pa_t);
};

static void *race_thread(void *arg)
{
	struct race *r = arg;

	while (!atomic_load(&r->start))
		;
	r->x0 = r->fn(r->pa);
	return NULL;
}

static void run_race(pa_t pa, uint64_t (*fn)(pa_t))
{
	struct race r[2] = { { .pa = pa, .fn = fn }, { .pa = pa, .fn = fn } };
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, race_thread, &r[i]);
	atomic_store(&r[0].start, 1);
	atomic_store(&r[1].start, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_true((r[0].x0 == RMI_SUCCESS) != (r[1].x0 == RMI_SUCCESS));
	assert_rmi(r[0].x0 | r[1].x0, RMI_ERROR_INPUT, 0);
}

static void test_racing_delegates(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 200; i++) {
		pa_t pa = pa_add(ns_base, (64 + i % 32) * GRANULE_SIZE);

		run_race(pa, delegate);
		assert_int_equal(platform_pas(pa), RK_PAS_REALM);
		run_race(pa, undelegate);
		assert_int_equal(platform_pas(pa), RK_PAS_NS);
	}
}

/* Many threads delegating and undelegating distinct and shared granules. */
static void *churn_thread(void *arg)
{
	uintptr_t id = (uintptr_t)arg;

	for (unsigned int i = 0; i < 2000; i++) {
		pa_t pa = pa_add(ns_base, (128 + (i * 7 + id) % 16) * GRANULE_SIZE);

		if (delegate(pa) == RMI_SUCCESS)
			assert_rmi(undelegate(pa), RMI_SUCCESS, 0);
	}
	return NULL;
}

static void test_concurrent_churn(void **state)
{
	pthread_t t[4];

	(void)state;
	for (uintptr_t i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, churn_thread, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (unsigned int i = 128; i < 144; i++) {
		pa_t pa = pa_add(ns_base, i * GRANULE_SIZE);

		assert_int_equal(granule_get_state(find_granule(pa)), GRANULE_STATE_NS);
		assert_int_equal(platform_pas(pa), RK_PAS_NS);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_fids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_priority_pairs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undelegate_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpf_kills_host_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_racing_delegates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_churn, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
