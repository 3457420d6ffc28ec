/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform: PA classification (every PA class the spec's checks name),
 * the GPT and its EL3 transitions, the two views of DRAM, the conduit.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "platform_root.h"
#include "rk_test.h"

static int setup(void **state)
{
	struct rk_platform_config cfg = { .dram_size = 64ULL << 20 };

	(void)state;
	return platform_init(&cfg);
}

static int teardown(void **state)
{
	(void)state;
	platform_fini();
	return 0;
}

/* failure-conditions s1.3: unaligned, MMIO, outside the PA range, Secure, Root. */
static void test_pa_classes(void **state)
{
	pa_t base;
	uint64_t size;

	(void)state;
	platform_ns_dram_range(&base, &size);
	assert_int_equal(platform_pa_class(pa_of(RK_DRAM_BASE)), RK_PA_DRAM);
	assert_int_equal(platform_pa_class(pa_of(RK_DRAM_BASE + (64ULL << 20) - 1)), RK_PA_DRAM);
	assert_int_equal(platform_pa_class(pa_of(RK_DRAM_BASE + (64ULL << 20))), RK_PA_NONE);
	assert_int_equal(platform_pa_class(pa_of(RK_NS_UART_PA)), RK_PA_MMIO);
	assert_int_equal(platform_pa_class(pa_of(0)), RK_PA_NONE);
	assert_int_equal(platform_pa_class(pa_of((1ULL << RK_PA_WIDTH) + GRANULE_SIZE)),
			 RK_PA_OUT_OF_RANGE);
	assert_int_equal(platform_pas(pa_of(RK_DRAM_BASE)), RK_PAS_ROOT);
	assert_int_equal(platform_pas(base), RK_PAS_NS);
	assert_int_equal(platform_pas(pa_add(base, size)), RK_PAS_SECURE);
	assert_int_equal(platform_pas(pa_add(base, size - GRANULE_SIZE)), RK_PAS_NS);
	assert_null(platform_ns_ptr(pa_of(RK_NS_UART_PA)));
	assert_non_null(platform_ns_ptr(base));
}

/* Both views are the same memory. */
static void test_views_alias(void **state)
{
	pa_t base;
	uint64_t size;
	unsigned char *ns, *root;

	(void)state;
	platform_ns_dram_range(&base, &size);
	ns = platform_ns_ptr(base);
	root = platform_root_ptr(base);
	assert_ptr_not_equal(ns, root);
	memset(ns, 0x5a, 16);
	assert_int_equal(root[15], 0x5a);
	root[0] = 0x11;
	assert_int_equal(ns[0], 0x11);
}

/* GPT: only NS -> REALM and REALM -> NS through EL3, each checked. */
static void test_gpt_transitions(void **state)
{
	pa_t base, sec;
	uint64_t size;

	(void)state;
	platform_ns_dram_range(&base, &size);
	sec = pa_add(base, size);
	assert_int_equal(el3_gtsi_delegate(base), 0);
	assert_int_equal(platform_pas(base), RK_PAS_REALM);
	assert_int_equal(el3_gtsi_delegate(base), -EPERM);
	assert_int_equal(el3_gtsi_undelegate(base), 0);
	assert_int_equal(platform_pas(base), RK_PAS_NS);
	assert_int_equal(el3_gtsi_undelegate(base), -EPERM);
	assert_int_equal(el3_gtsi_delegate(sec), -EPERM);
	assert_int_equal(el3_gtsi_delegate(pa_of(RK_DRAM_BASE)), -EPERM);
	assert_int_equal(el3_gtsi_delegate(pa_add(base, 1)), -EINVAL);
	assert_int_equal(el3_gtsi_delegate(pa_of(RK_NS_UART_PA)), -EINVAL);
	/* Injected EL3 refusals. */
	el3_inject_gtsi_failures(1);
	assert_int_equal(el3_gtsi_delegate(base), -EIO);
	assert_int_equal(el3_gtsi_delegate(base), 0);
	assert_int_equal(el3_gtsi_undelegate(base), 0);
}

/* With no RMM registered every FID is unknown; RMI IDs reach a registered RMM. */
static uint64_t seen_fid;

static void fake_rmm(uint64_t fid, const uint64_t args[6], struct smc_result *res)
{
	seen_fid = fid;
	res->x[0] = 0;
	res->x[1] = args[0] + args[5];
}

static void test_conduit_routing(void **state)
{
	struct smc_result r;

	(void)state;
	r = smc_call(RMI_VERSION, 0, 0, 0, 0, 0, 0);
	assert_int_equal(r.x[0], SMC_UNKNOWN);
	conduit_register_rmm(fake_rmm);
	r = smc_call(RMI_VERSION | SMCCC_SVE_HINT, 5, 0, 0, 0, 0, 6);
	assert_int_equal(r.x[0], 0);
	assert_int_equal(r.x[1], 11);
	/* The SVE hint is cleared before decoding (rmm-v1.0.md s1). */
	assert_int_equal(seen_fid, RMI_VERSION);
	/* RSI, PSCI and out-of-range IDs are not RMI. */
	assert_int_equal(smc_call(0xC4000190, 0, 0, 0, 0, 0, 0).x[0], SMC_UNKNOWN);
	assert_int_equal(smc_call(0x84000000, 0, 0, 0, 0, 0, 0).x[0], SMC_UNKNOWN);
	assert_int_equal(smc_call(0xC400016A, 0, 0, 0, 0, 0, 0).x[0], SMC_UNKNOWN);
	assert_int_equal(smc_call(0x84000150, 0, 0, 0, 0, 0, 0).x[0], SMC_UNKNOWN);
	conduit_register_rmm(NULL);
}

static void test_init_rejects_bad_sizes(void **state)
{
	struct rk_platform_config cfg = { .dram_size = 12345 };

	(void)state;
	assert_int_equal(platform_init(&cfg), -EBUSY);
	platform_fini();
	assert_int_equal(platform_init(&cfg), -EINVAL);
	cfg.dram_size = 1ULL << 20;
	assert_int_equal(platform_init(&cfg), -EINVAL);
	cfg.dram_size = 64ULL << 20;
	assert_int_equal(platform_init(&cfg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pa_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_views_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpt_transitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conduit_routing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects_bad_sizes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
