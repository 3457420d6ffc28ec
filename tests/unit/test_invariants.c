/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The invariant checker's newer checks can fail (test_rmi_stress.c covers
 * the original ones): white-box, each test breaks exactly one invariant of
 * invariants.h, expects the checker to name it, repairs it and expects a
 * clean report again.
 */
#include <sys/mman.h>

#include "invariants.h"
#include "rec.h"
#include "rtt_fixture.h"

static void expect_violation(const char *needle)
{
	char why[256];
	int n = rmm_check_invariants(why, sizeof(why));

	if (n < 1 || !strstr(why, needle))
		fail_msg("expected a violation naming \"%s\", got %d: \"%s\"", needle, n, why);
}

static void expect_clean(void)
{
	char why[256];
	int n = rmm_check_invariants(why, sizeof(why));

	if (n)
		fail_msg("%d violations, first: %s", n, why);
}

/* s14.1: the RIM of an active realm never changes; a NEW realm's may. */
static void test_rim_frozen(void **state)
{
	struct rt_realm r;
	struct rd *rd;

	(void)state;
	rt_realm_create(&r, 1);
	rd = rd_of(find_granule(r.rd));
	expect_clean();
	/* NEW: the RIM still grows (INIT_RIPAS, DATA_CREATE, REC_CREATE): not checked. */
	rd->measurement[0][5] ^= 1;
	expect_clean();
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	expect_clean(); /* the first check after activation records the RIM */
	rd->measurement[0][5] ^= 1;
	expect_violation("RIM of an active realm changed");
	rd->measurement[0][5] ^= 1;
	expect_clean();
	/* A REM is not frozen (RSI_MEASUREMENT_EXTEND, s14.1). */
	rd->measurement[1][0] ^= 1;
	expect_clean();
	rd->measurement[1][0] ^= 1;
	/* Destroyed and re-created at the same RD: a new realm, a new RIM. */
	rt_realm_teardown(&r);
	expect_clean();
	rt_realm_create(&r, 1);
	rd = rd_of(find_granule(r.rd));
	rd->measurement[0][0] ^= 0x80; /* as if created with other parameters */
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, r.rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	expect_clean();
	rd->measurement[0][0] ^= 0x80;
	expect_violation("RIM of an active realm changed");
	/* invariants.h: forgetting the snapshots accepts the current RIM. */
	rmm_invariants_forget_rims();
	expect_clean();
	rt_realm_teardown(&r);
}

/* No host-visible mapping of a Realm-PAS granule: bookkeeping and a real probe. */
static void test_host_visible_realm_granule(void **state)
{
	struct rt_realm r;
	void *ns;

	(void)state;
	rt_realm_create(&r, 2);
	expect_clean();
	/* A platform bug that left the RD's NS page readable (GPT still REALM). */
	ns = platform_ns_ptr(r.rd);
	assert_int_equal(mprotect(ns, GRANULE_SIZE, PROT_READ), 0);
	expect_violation("host read succeeded");
	assert_int_equal(mprotect(ns, GRANULE_SIZE, PROT_NONE), 0);
	expect_clean();
	/* The Secure carve-out: probed on a rotating sample, so within a few calls. */
	ns = platform_ns_ptr(fx_pa_secure());
	assert_int_equal(mprotect(ns, GRANULE_SIZE, PROT_READ), 0);
	{
		char why[256];
		int found = 0;

		for (int i = 0; i < 64 && !found; i++)
			found = rmm_check_invariants(why, sizeof(why));
		assert_true(found >= 1);
		assert_non_null(strstr(why, "PAS SECURE"));
	}
	assert_int_equal(mprotect(ns, GRANULE_SIZE, PROT_NONE), 0);
	expect_clean();
	rt_realm_teardown(&r);
}

/* s9.1: the carve-outs keep their PAS; a Realm-PAS granule is never in state NS. */
static void test_carveout_pas(void **state)
{
	pa_t root = pa_of(RK_DRAM_BASE);

	(void)state;
	expect_clean();
	/* A Root carve-out granule tracked as DELEGATED (its PAS stayed ROOT). */
	granule_lock(find_granule(root));
	granule_unlock_transition(find_granule(root), GRANULE_STATE_DELEGATED);
	expect_violation("state DELEGATED with PAS ROOT");
	granule_lock(find_granule(root));
	granule_unlock_transition(find_granule(root), GRANULE_STATE_NS);
	expect_clean();
}

/* s7.5, s9.3: a REC's index comes from its RD; its geometry is its RD's. */
static void test_rec_owner(void **state)
{
	struct rt_realm r;
	struct rec *rec;
	pa_t rec_pa;

	(void)state;
	rt_realm_create(&r, 3);
	rec_pa = rt_rec(&r, NULL);
	rec = rec_of(find_granule(rec_pa));
	expect_clean();
	rec->rec_idx = 7;
	expect_violation("index 7 not below");
	rec->rec_idx = 0;
	rec->s2_ctx.s2sz++;
	expect_violation("stage-2 geometry");
	rec->s2_ctx.s2sz--;
	rec->num_aux = 3;
	expect_violation("3 aux granules");
	rec->num_aux = RMI_MAX_REC_AUX_GRANULES;
	expect_clean();
	assert_rmi(rt_x0(RMI_REC_DESTROY, rec_pa.v, 0, 0, 0), RMI_SUCCESS, 0);
	rt_realm_teardown(&r);
	expect_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rim_frozen, rt_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_host_visible_realm_granule, rt_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_carveout_pas, rt_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_rec_owner, rt_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
