/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Issue 8 invariant "every mapped IPA in every engine agrees with the RTTs"
 * (invariants.h; engines_check_tlb_coherent(), engine.h): a REC runs on
 * the test thread's CPU engine, so that engine stays loaded with the
 * realm's VMID; then
 *  - a lost TLBI (engine_test_skip_invalidations()) around a DATA_DESTROY
 *    is reported, naming the engine and the VMID, by the engine check and
 *    by rmm_check_invariants(); a real invalidation repairs it;
 *  - after real DATA_DESTROY, RTT_UNMAP_UNPROTECTED and RTT_SET_RIPAS to
 *    EMPTY of valid mappings (rmm-v1.0.md s11.1, s11.6: "TLB invalidated")
 *    the VMID's generation advanced and both checks pass, before and after
 *    the REC runs again.
 */
#include <stdio.h>

#include "invariants.h"
#include "rec_enter_fixture.h"

#define NS_ATTRS ((0x6ULL << 2) | (0x3ULL << 6)) /* MemAttr normal WB, S2AP RW */

static uint16_t vmid_of(struct rx_realm *x)
{
	return fx_rd(&x->r)->vmid;
}

static void expect_clean(const char *when)
{
	char why[256];
	int n = engines_check_tlb_coherent(why, sizeof(why));

	if (n)
		fail_msg("%s: engine check: %d violations: %s", when, n, why);
	n = rmm_check_invariants(why, sizeof(why));
	if (n)
		fail_msg("%s: invariants: %d violations: %s", when, n, why);
}

/* An active realm whose REC ran to its WFI on this thread's engine. */
static pa_t realm_with_loaded_rec(struct rx_realm *x, uint64_t entry, const uint64_t a[6])
{
	pa_t rec;

	rx_realm_new(x);
	rec = rx_rec(x, entry, a);
	rx_activate(x);
	return rec;
}

/* A lost invalidation is found, named, and repaired by a real one. */
static void test_lost_tlbi_detected(void **state)
{
	struct rx_realm x;
	char why[256], needle[64];
	pa_t rec;
	uint64_t gen;

	(void)state;
	rec = realm_with_loaded_rec(&x, G_LDR, (const uint64_t[6]){ [5] = RX_DATA });
	rx_assert_wfi_exit(rx_step(&x, rec, 0)); /* ldr from RX_DATA: translation cached */
	expect_clean("after the first run");
	fx_rec(rec)->pc = G_WFI; /* later runs: just a WFI exit */
	gen = engines_vmid_generation(vmid_of(&x));
	engine_test_skip_invalidations(1);
	/* s11.1: DATA_DESTROY of a RAM page invalidates; the hook drops that TLBI. */
	assert_rmi(fx_data_destroy(&x.r, RX_DATA).x[0], RMI_SUCCESS, 0);
	engine_test_skip_invalidations(0);
	assert_true(engines_vmid_generation(vmid_of(&x)) > gen);
	snprintf(needle, sizeof(needle), "loaded with VMID %u:", vmid_of(&x));
	assert_int_equal(engines_check_tlb_coherent(why, sizeof(why)), 1);
	if (!strstr(why, "engine ") || !strstr(why, needle))
		fail_msg("report does not name the engine and VMID: %s", why);
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	if (!strstr(why, needle))
		fail_msg("invariants report does not name the VMID: %s", why);
	platform_tlbi_vmid(vmid_of(&x));
	expect_clean("after a real invalidation (pending on the idle engine)");
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	expect_clean("after running again");
}

/* s11.1 DATA_DESTROY and s11.6 RTT_UNMAP_UNPROTECTED with the REC loaded. */
static void test_unmaps_coherent(void **state)
{
	struct rx_realm x;
	pa_t rec, ns = fx_ns();
	uint64_t gen;

	(void)state;
	rec = realm_with_loaded_rec(&x, G_LDR, (const uint64_t[6]){ [5] = RX_DATA });
	fx_rtts(&x.r, RX_DEV, 3);
	assert_rmi(fx_rmi(RMI_RTT_MAP_UNPROTECTED, x.r.rd.v, RX_DEV, 3, ns.v | NS_ATTRS, 0),
		   RMI_SUCCESS, 0);
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	expect_clean("after the first run");

	gen = engines_vmid_generation(vmid_of(&x));
	assert_rmi(fx_data_destroy(&x.r, RX_DATA).x[0], RMI_SUCCESS, 0);
	assert_true(engines_vmid_generation(vmid_of(&x)) > gen);
	expect_clean("after DATA_DESTROY (TLBI pending)");

	/* The REC now reads the unprotected page (X5 = RX_DEV): mapped, no exit. */
	fx_rec(rec)->pc = G_LDR;
	fx_rec(rec)->gprs[5] = RX_DEV;
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	expect_clean("after running over the NS mapping");

	gen = engines_vmid_generation(vmid_of(&x));
	assert_rmi(fx_rmi(RMI_RTT_UNMAP_UNPROTECTED, x.r.rd.v, RX_DEV, 3, 0, 0), RMI_SUCCESS, 0);
	assert_true(engines_vmid_generation(vmid_of(&x)) > gen);
	expect_clean("after RTT_UNMAP_UNPROTECTED");
	host_page_free(ns);
}

/* s11.1: RTT_SET_RIPAS of an ASSIGNED RAM page to EMPTY, requested by the REC. */
static void test_ripas_empty_coherent(void **state)
{
	const uint64_t a[6] = { RSI_IPA_STATE_SET, RX_HC, RX_HC + GRANULE_SIZE, RSI_RIPAS_EMPTY };
	struct rx_realm x;
	pa_t rec;
	uint64_t gen;

	(void)state;
	rec = realm_with_loaded_rec(&x, G_SMC, a);
	assert_rmi(rx_enter(&x, rec, REC_ENTER_FLAG_TRAP_WFI), RMI_SUCCESS, 0);
	assert_int_equal(rx_run(x.run)->exit.exit_reason, RMI_EXIT_RIPAS_CHANGE);
	expect_clean("at the RIPAS_CHANGE exit");
	gen = engines_vmid_generation(vmid_of(&x));
	assert_rmi(fx_rmi(RMI_RTT_SET_RIPAS, x.r.rd.v, rec.v, RX_HC, RX_HC + GRANULE_SIZE, 0),
		   RMI_SUCCESS, 0);
	fx_assert_entry(&x.r, RX_HC, RMI_ASSIGNED, x.hc.v, RMI_EMPTY);
	assert_true(engines_vmid_generation(vmid_of(&x)) > gen);
	expect_clean("after RTT_SET_RIPAS to EMPTY");
	rx_assert_wfi_exit(rx_step(&x, rec, 0));
	assert_int_equal(rx_x(rec, 0), RSI_SUCCESS);
	expect_clean("after the REC ran again");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lost_tlbi_detected, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmaps_coherent, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ripas_empty_coherent, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
