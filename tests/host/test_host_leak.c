/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The leak policy of kvm-cca-host.md s3.11 under RMI calls the RMM refuses
 * (the conduit's failure injection, platform_root.h): after a real run of
 * the hello guest, a failed REC_DESTROY leaks the REC and its aux granules
 * ([PATCH v12 12/46]), a failed RTT_DESTROY the RTT (and, the RTTs above
 * it staying live, their parents), a failed REALM_DESTROY the RD and the
 * root RTTs (step 6); a REALM_DESTROY that fails because of an earlier leak
 * leaks them too. The report must list exactly the granules the RMM kept,
 * known from the host's own REALM_CREATE / REC_CREATE / RTT_CREATE calls
 * (the RMI observer), each still in the Realm PAS, and those pages never
 * come back to the host.
 */
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "guest_vmm.h"
#include "host_rmi.h"
#include "platform_root.h"

/* The common teardown (guest_vmm.h) after this file's own reset. */
static int teardown(void **state)
{
	conduit_inject_rmi_failure(0, 0, 0);
	return gv_teardown(state);
}

struct expect {
	uint64_t pa[64];
	unsigned int n;
};

static void expect_add(struct expect *x, uint64_t pa)
{
	assert_true(x->n < 64);
	x->pa[x->n++] = pa;
}

static void expect_rd_and_roots(struct expect *x, const struct gv_obs *o)
{
	expect_add(x, o->rd);
	for (uint64_t i = 0; i < o->rtt_num; i++)
		expect_add(x, o->rtt_base + i * 4096);
}

static void expect_rec(struct expect *x, const struct gv_obs *o, unsigned int idx)
{
	expect_add(x, o->rec[idx]);
	for (uint64_t i = 0; i < o->num_aux; i++)
		expect_add(x, o->aux[idx][i]);
}

/* The RTT the host created for (ipa, level), from its RTT_CREATE calls. */
static uint64_t rtt_of(const struct gv_obs *o, uint64_t ipa, int level)
{
	uint64_t size = 1ULL << (12 + 9 * (4 - level));

	for (size_t i = 0; i < o->n; i++) {
		const struct gv_ev *e = &o->ev[i];

		if (e->fid == RMI_RTT_CREATE && e->ret0 == RMI_SUCCESS &&
		    e->args[3] == (uint64_t)level && e->args[2] == (ipa & ~(size - 1)))
			return e->args[1];
	}
	fail_msg("no RTT at level %d for 0x%llx", level, (unsigned long long)ipa);
	return 0;
}

/* Runs hello to its end: RD, RTTs, data and a REC all exist. */
static void run_hello(struct gv *g, struct gv_obs *o)
{
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "hello"),
				 .deny_target = -1,
				 .obs = gv_obs_fn,
				 .obs_ctx = o };

	gv_obs_init(o);
	gv_create(g, &cfg);
	gv_run(g);
	assert_string_equal(g->error, "");
	assert_true(g->system_off);
	assert_int_equal(o->nrec, 1);
	assert_true(o->rd && o->rtt_num >= 1);
}

/* Destroys the VM; the report must equal x (as a set), every PA still Realm PAS. */
static void destroy_expect(struct gv *g, struct gv_obs *o, const struct expect *x,
			   uint64_t pages_before)
{
	struct rk_kvm_leak_report rep;

	assert_int_equal(rk_kvm_destroy_vm(g->m.vm, &rep), 0);
	conduit_inject_rmi_failure(0, 0, 0);
	conduit_set_test_hook(NULL, NULL);
	assert_int_equal(rep.count, x->n);
	for (unsigned int i = 0; i < x->n; i++) {
		bool found = false;

		for (unsigned int j = 0; j < rep.count; j++)
			found |= rep.pas[j] == x->pa[i];
		if (!found)
			fail_msg("leak report lacks 0x%llx", (unsigned long long)x->pa[i]);
		assert_int_equal(platform_pas(pa_of(rep.pas[i])), RK_PAS_REALM);
	}
	rk_kvm_free_guest_ram(g->m.ram, g->m.ram_size);
	/* Leaked granules are never handed out again. */
	assert_int_equal(host_pages_in_use(), pages_before + x->n);
	assert_int_equal(rk_kvm_close(g->m.sys), 0);
	gv_obs_free(o);
}

/*
 * [PATCH v12 12/46]: REC_DESTROY refused -> the REC and all its aux
 * granules leak; the RD's REC count stays non-zero, so the real
 * REALM_DESTROY fails too (rmm-v1.0.md s16.x realm_live) -> RD and roots.
 */
static void test_leak_rec_destroy(void **state)
{
	struct expect x = { .n = 0 };
	struct gv_obs o;
	struct gv g;
	uint64_t pages;

	(void)state;
	pages = host_pages_in_use();
	run_hello(&g, &o);
	expect_rec(&x, &o, 0);
	expect_rd_and_roots(&x, &o);
	conduit_inject_rmi_failure(RMI_REC_DESTROY, 1, RMI_ERROR_INPUT);
	destroy_expect(&g, &o, &x, pages);
}

/* s3.11 step 6: REALM_DESTROY refused -> the RD and the root RTTs leak, nothing else. */
static void test_leak_realm_destroy(void **state)
{
	struct expect x = { .n = 0 };
	struct gv_obs o;
	struct gv g;
	uint64_t pages;

	(void)state;
	pages = host_pages_in_use();
	run_hello(&g, &o);
	expect_rd_and_roots(&x, &o);
	conduit_inject_rmi_failure(RMI_REALM_DESTROY, 1, (uint64_t)RMI_ERROR_REALM);
	destroy_expect(&g, &o, &x, pages);
}

static uint64_t refused_ipa;

/* Refuses RTT_DESTROY of the level-3 RTT at refused_ipa (every attempt). */
static bool refuse_rtt(void *ctx, uint64_t fid, const uint64_t args[6], struct smc_result *res,
		       bool done)
{
	(void)ctx;
	if (done || fid != RMI_RTT_DESTROY || args[1] != refused_ipa || args[2] != 3)
		return false;
	memset(res, 0, sizeof(*res));
	res->x[0] = RMI_ERROR_INPUT;
	return true;
}

/*
 * s3.5 / s3.11: an RTT the RMM refuses to destroy leaks; its parent stays
 * live and leaks too (its own RTT_DESTROY fails for real), and so does the
 * RD with the roots (REALM_DESTROY fails with live RTTs). Other RTTs are
 * destroyed and freed.
 */
static void test_leak_rtt_destroy(void **state)
{
	struct expect x = { .n = 0 };
	struct gv_obs o;
	struct gv g;
	uint64_t pages;

	(void)state;
	pages = host_pages_in_use();
	run_hello(&g, &o);
	refused_ipa = RK_GUEST_RAM_BASE;
	expect_add(&x, rtt_of(&o, refused_ipa, 3));
	expect_add(&x, rtt_of(&o, refused_ipa, 2));
	expect_rd_and_roots(&x, &o);
	conduit_set_test_hook(refuse_rtt, NULL);
	destroy_expect(&g, &o, &x, pages);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leak_rec_destroy, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_leak_realm_destroy, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_leak_rtt_destroy, gv_setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
