/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection at EL3 (issue 8): every RMM path that calls EL3 -- the
 * GTSI delegate in RMI_GRANULE_DELEGATE and the GTSI undelegate in
 * RMI_GRANULE_UNDELEGATE (src/rmm/rmi_granule.c; no other RMM code calls
 * el3_gtsi_*) -- is made to fail with el3_inject_gtsi_failures() at every
 * position of a complete realm lifecycle, one position per run on a fresh
 * machine. At the failure:
 *   - the command returns E_INPUT (failure-conditions s2.3 gran_gpt; for
 *     UNDELEGATE realmkit reports the refusal instead of panicking, see
 *     rmi_granule.c);
 *   - nothing changed: the granule keeps its state and PAS; a failed
 *     DELEGATE leaves the host's data intact and readable, a failed
 *     UNDELEGATE leaves the granule DELEGATED, zero and invisible to the
 *     host (nothing exposed), and every invariant holds;
 *   - a retry succeeds, the lifecycle completes, the realm's RIM equals the
 *     RIM of the run without failure, and at the end every granule is the
 *     host's again (nothing lost).
 */
#include "invariants.h"
#include "rtt_fixture.h"

#define FI_PAGES   24u /* RD, root, RTT L1, L2, DATA, REC, 16 aux, RTT L3, a spare */
#define FI_PATTERN 0x3c

struct fi_run {
	int fail_at;	     /* index of the GTSI call that fails, -1: none */
	unsigned int calls;  /* GTSI calls so far */
	unsigned int failed; /* failures injected and checked */
	pa_t page[FI_PAGES];
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE];
};

static void expect_clean(const char *when)
{
	char why[256];
	int n = rmm_check_invariants(why, sizeof(why));

	if (n)
		fail_msg("%s: %d invariant violations, first: %s", when, n, why);
}

static bool host_sees_pattern(pa_t pa)
{
	const uint8_t *p = platform_ns_ptr(pa);

	for (size_t i = 0; i < GRANULE_SIZE; i++) {
		if (p[i] != FI_PATTERN)
			return false;
	}
	return true;
}

/* The state after a refused GTSI request: exactly the state before it. */
static void check_refused(pa_t pa, bool delegate)
{
	if (delegate) {
		assert_int_equal(fx_state(pa), GRANULE_STATE_NS);
		assert_int_equal(platform_pas(pa), RK_PAS_NS);
		assert_int_equal(platform_ns_view_probe(pa), 1);
		assert_true(host_sees_pattern(pa));
	} else {
		assert_int_equal(fx_state(pa), GRANULE_STATE_DELEGATED);
		assert_int_equal(platform_pas(pa), RK_PAS_REALM);
		assert_int_equal(platform_ns_view_probe(pa), 0);
		assert_true(fx_is_zero(pa));
	}
	expect_clean(delegate ? "refused DELEGATE" : "refused UNDELEGATE");
}

/* DELEGATE or UNDELEGATE; the fail_at-th such call is refused by EL3 once. */
static void gtsi(struct fi_run *run, pa_t pa, bool delegate)
{
	uint64_t fid = delegate ? RMI_GRANULE_DELEGATE : RMI_GRANULE_UNDELEGATE;
	bool inject = (int)run->calls++ == run->fail_at;

	if (delegate)
		memset(platform_ns_ptr(pa), FI_PATTERN, GRANULE_SIZE);
	if (inject) {
		el3_inject_gtsi_failures(1);
		/* failure-conditions s2.3/s2.4: EL3 refusing the change is E_INPUT. */
		assert_rmi(rt_x0(fid, pa.v, 0, 0, 0), RMI_ERROR_INPUT, 0);
		check_refused(pa, delegate);
		run->failed++;
	}
	assert_rmi(rt_x0(fid, pa.v, 0, 0, 0), RMI_SUCCESS, 0);
	if (!delegate)
		assert_int_equal(platform_ns_view_probe(pa), 1);
}

/* Builds a realm (RTTs to level 3, measured DATA, a REC), activates it. */
static void build_realm(struct fi_run *run, struct rt_realm *r)
{
	pa_t *pg = run->page, params = fx_ns(), src = fx_ns();
	struct rmi_rec_params *rp;
	struct rmi_realm_params p;

	for (unsigned int i = 0; i < FI_PAGES; i++)
		gtsi(run, pg[i], true);
	r->rd = pg[0];
	r->root = pg[1];
	r->s2sz = FX_S2SZ;
	r->sl = 0;
	r->roots = 1;
	rt_params(&p, FX_S2SZ, 0, 1, 5, pg[1]);
	memcpy(platform_ns_ptr(params), &p, sizeof(p));
	assert_rmi(rt_x0(RMI_REALM_CREATE, pg[0].v, params.v, 0, 0), RMI_SUCCESS, 0);
	assert_rmi(rt_rtt_create_at(r, pg[2], 0, 1), RMI_SUCCESS, 0);
	assert_rmi(rt_rtt_create_at(r, pg[3], 0, 2), RMI_SUCCESS, 0);
	assert_rmi(rt_rtt_create_at(r, pg[22], 0, 3), RMI_SUCCESS, 0);
	memset(platform_ns_ptr(src), 0x42, GRANULE_SIZE);
	assert_rmi(smc_call(RMI_DATA_CREATE, pg[0].v, pg[4].v, 0x3000, src.v, 1, 0).x[0],
		   RMI_SUCCESS, 0);
	rp = platform_ns_ptr(params);
	memset(rp, 0, sizeof(*rp));
	rp->flags = RMI_REC_PARAMS_FLAG_RUNNABLE;
	rp->mpidr = rmi_rec_index_to_mpidr(0);
	rp->num_aux = RMI_MAX_REC_AUX_GRANULES;
	for (unsigned int i = 0; i < RMI_MAX_REC_AUX_GRANULES; i++)
		rp->aux[i] = pg[6 + i].v;
	assert_rmi(rt_x0(RMI_REC_CREATE, pg[0].v, pg[5].v, params.v, 0), RMI_SUCCESS, 0);
	assert_rmi(rt_x0(RMI_REALM_ACTIVATE, pg[0].v, 0, 0, 0), RMI_SUCCESS, 0);
	memcpy(run->rim, rd_of(find_granule(pg[0]))->measurement[0], sizeof(run->rim));
	host_page_free(params);
	host_page_free(src);
	expect_clean("realm built");
}

/* Tears the realm down and gives every granule back through UNDELEGATE. */
static void destroy_realm(struct fi_run *run, const struct rt_realm *r)
{
	assert_rmi(rt_x0(RMI_REC_DESTROY, run->page[5].v, 0, 0, 0), RMI_SUCCESS, 0);
	assert_rmi(smc_call(RMI_DATA_DESTROY, r->rd.v, 0x3000, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0);
	for (int level = 3; level >= 1; level--)
		assert_rmi(rt_destroy(r, 0, level).x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_x0(RMI_REALM_DESTROY, r->rd.v, 0, 0, 0), RMI_SUCCESS, 0);
	for (unsigned int i = 0; i < FI_PAGES; i++)
		gtsi(run, run->page[i], false);
}

/* One lifecycle on a fresh machine with the fail_at-th GTSI call refused. */
static void run_lifecycle(struct fi_run *run)
{
	struct rt_realm r;

	assert_int_equal(rt_setup(NULL), 0);
	run->calls = 0;
	for (unsigned int i = 0; i < FI_PAGES; i++)
		run->page[i] = fx_ns();
	build_realm(run, &r);
	destroy_realm(run, &r);
	for (uint64_t i = 0; i < granules_count(); i++)
		assert_int_equal(granule_get_state(granule_at(i)), GRANULE_STATE_NS);
	for (unsigned int i = 0; i < FI_PAGES; i++)
		host_page_free(run->page[i]);
	expect_clean("after the lifecycle");
	fx_teardown(NULL);
}

static void test_gtsi_failure_everywhere(void **state)
{
	struct fi_run ref = { .fail_at = -1 }, run;
	unsigned int total;

	(void)state;
	run_lifecycle(&ref);
	total = ref.calls;
	assert_int_equal(total, 2 * FI_PAGES);
	for (unsigned int k = 0; k < total; k++) {
		memset(&run, 0, sizeof(run));
		run.fail_at = (int)k;
		run_lifecycle(&run);
		assert_int_equal(run.failed, 1);
		assert_int_equal(run.calls, total);
		/* s14: the refused and retried DELEGATE changed no measurement. */
		assert_memory_equal(run.rim, ref.rim, sizeof(ref.rim));
	}
	print_message("fault injection: %u GTSI calls, each refused once in its own run\n", total);
}

/* Several refusals in a row: each one leaves the same state, then it succeeds. */
static void test_gtsi_repeated_failures(void **state)
{
	pa_t pa = fx_ns();

	(void)state;
	memset(platform_ns_ptr(pa), FI_PATTERN, GRANULE_SIZE);
	el3_inject_gtsi_failures(3);
	for (int i = 0; i < 3; i++) {
		assert_rmi(rt_x0(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0), RMI_ERROR_INPUT, 0);
		check_refused(pa, true);
	}
	assert_rmi(rt_x0(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0), RMI_SUCCESS, 0);
	el3_inject_gtsi_failures(2);
	for (int i = 0; i < 2; i++) {
		assert_rmi(rt_x0(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0), RMI_ERROR_INPUT, 0);
		check_refused(pa, false);
	}
	assert_rmi(rt_x0(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0), RMI_SUCCESS, 0);
	/* s9.1: the scrubbed granule comes back zero. */
	assert_true(fx_is_zero(pa));
	expect_clean("after repeated refusals");
}

/* After a failed lifecycle the machine may still be on. */
static int fi_teardown(void **state)
{
	return platform_ready() ? fx_teardown(state) : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_gtsi_failure_everywhere, fi_teardown),
		cmocka_unit_test_setup_teardown(test_gtsi_repeated_failures, rt_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
