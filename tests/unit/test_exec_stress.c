/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Execution stress (issue 8): realms whose RECs run real guests, one host
 * thread per REC in REC_ENTER loops (the mini host, tests/guest/mini_host.h:
 * it answers PSCI with PSCI_COMPLETE, RIPAS requests with RTT_SET_RIPAS,
 * faults with DATA_CREATE_UNKNOWN / RTT_MAP_UNPROTECTED), while a "chaos"
 * host thread concurrently creates and destroys RTTs of unmapped ranges and
 * maps and unmaps unprotected pages of the same realm (rmm-v1.0.md s16:
 * commands are safe from several CPUs at once). Guests, in turn:
 * guests/tests/spinlock.c (4 RECs spinning on a shared lock, CPU_ON),
 * psci.c (4 RECs, CPU_ON/OFF/AFFINITY_INFO, one CPU_ON DENIED) and ripas.c
 * (RIPAS changes accepted, partial, rejected).
 *
 * The chaos thread owns IPA [1 GiB, 2 GiB) of both halves, which no guest
 * touches, so each of its commands must succeed (an RTT_CREATE for a free
 * entry, an RTT_DESTROY of an empty RTT, a map of an UNASSIGNED_NS entry).
 * After each run (quiescent): rmm_check_invariants(); after the chaos
 * thread's own cleanup and the mini host's teardown: no granule leaked, no
 * NS page lost, invariants again. Bounded: ~2 s (RK_STRESS_SECONDS=n: n s).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <realmkit/abi/psci.h>

#include "../../src/board/board.h"
#include "host_rmi.h"
#include "invariants.h"
#include "mini_host_priv.h"
#include "rk_test.h"

#define DRAM_SIZE   (128ULL << 20)
#define CHAOS_BASE  0x40000000ULL /* L1 entry 1 of each half: no guest uses it */
#define CHAOS_L3S   4u		  /* level-3 RTTs under the level-2 one */
#define CHAOS_PAGES 8u		  /* NS pages mapped per level-3 RTT (unprotected half) */

struct chaos_half {
	uint64_t base; /* CHAOS_BASE, or with the shared bit */
	pa_t l2, l3[CHAOS_L3S];
	pa_t ns[CHAOS_L3S][CHAOS_PAGES]; /* mapped NS pages (unprotected half only) */
};

struct chaos {
	struct mini_host *mh;
	pthread_t thread;
	atomic_bool stop;
	uint64_t seed;
	struct chaos_half half[2];
	unsigned long ops;
};

static unsigned long long runs, chaos_ops, iterations;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t x0_of(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	return mh_rmi(fid, a1, a2, a3, a4, 0).x[0];
}

/*
 * A command the spec lets succeed here must succeed. Also called on the
 * chaos thread, where cmocka cannot fail a test: abort() with the reason.
 */
static void must_ok(uint64_t x0, const char *what)
{
	if (x0 != RMI_SUCCESS) {
		fprintf(stderr, "exec stress: %s = %#llx\n", what, (unsigned long long)x0);
		abort();
	}
}

static pa_t delegated_page(void)
{
	pa_t pa = host_page_alloc();

	if (!pa.v)
		must_ok(~0ULL, "host_page_alloc");
	must_ok(x0_of(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0), "GRANULE_DELEGATE");
	return pa;
}

static void undelegate_page(pa_t pa)
{
	must_ok(x0_of(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0), "GRANULE_UNDELEGATE");
	host_page_free(pa);
}

/*
 * failure-conditions s2.12 / s2.13, rmm-v1.0.md s11.8: RTT_CREATE of a free
 * entry and RTT_DESTROY of an empty RTT pass every failure condition.
 */
static void rtt_create(struct chaos *c, pa_t *slot, uint64_t ipa, int level)
{
	*slot = delegated_page();
	must_ok(x0_of(RMI_RTT_CREATE, c->mh->rd.v, slot->v, ipa, (uint64_t)level), "RTT_CREATE");
}

static void rtt_destroy(struct chaos *c, pa_t *slot, uint64_t ipa, int level)
{
	must_ok(x0_of(RMI_RTT_DESTROY, c->mh->rd.v, ipa, (uint64_t)level, 0), "RTT_DESTROY");
	undelegate_page(*slot);
	slot->v = 0;
}

static void ns_map(struct chaos *c, struct chaos_half *h, unsigned int i, unsigned int j)
{
	const uint64_t attrs =
		(6ULL << RMI_NS_DESC_MEMATTR_SHIFT) | (3ULL << RMI_NS_DESC_S2AP_SHIFT);
	uint64_t ipa = h->base + i * (2ULL << 20) + j * GRANULE_SIZE;
	pa_t pa = host_page_alloc();

	if (!pa.v)
		must_ok(~0ULL, "host_page_alloc");
	/* failure-conditions s2.21, rmm-v1.0.md s8.6: an UNASSIGNED_NS level-3 entry maps. */
	must_ok(x0_of(RMI_RTT_MAP_UNPROTECTED, c->mh->rd.v, ipa, 3, pa.v | attrs),
		"RTT_MAP_UNPROTECTED");
	h->ns[i][j] = pa;
}

static void ns_unmap(struct chaos *c, struct chaos_half *h, unsigned int i, unsigned int j)
{
	uint64_t ipa = h->base + i * (2ULL << 20) + j * GRANULE_SIZE;

	/* failure-conditions s2.22: unmapping an ASSIGNED_NS entry. */
	must_ok(x0_of(RMI_RTT_UNMAP_UNPROTECTED, c->mh->rd.v, ipa, 3, 0), "RTT_UNMAP_UNPROTECTED");
	host_page_free(h->ns[i][j]);
	h->ns[i][j].v = 0;
}

static bool l3_empty(const struct chaos_half *h, unsigned int i)
{
	for (unsigned int j = 0; j < CHAOS_PAGES; j++)
		if (h->ns[i][j].v)
			return false;
	return true;
}

/* One random step on one half: grow or shrink its RTTs and mappings. */
static void chaos_step(struct chaos *c, struct chaos_half *h, bool ns)
{
	unsigned int i = (unsigned int)(rnd(&c->seed) % CHAOS_L3S);
	unsigned int j = (unsigned int)(rnd(&c->seed) % CHAOS_PAGES);
	uint64_t l3ipa = h->base + i * (2ULL << 20);
	bool grow = rnd(&c->seed) & 1;

	if (!h->l2.v) {
		rtt_create(c, &h->l2, h->base, 2);
	} else if (!h->l3[i].v) {
		if (grow) {
			rtt_create(c, &h->l3[i], l3ipa, 3);
		} else {
			for (unsigned int k = 0; k < CHAOS_L3S; k++)
				if (h->l3[k].v)
					return;
			rtt_destroy(c, &h->l2, h->base, 2);
		}
	} else if (ns && grow && !h->ns[i][j].v) {
		ns_map(c, h, i, j);
	} else if (ns && h->ns[i][j].v) {
		ns_unmap(c, h, i, j);
	} else if (l3_empty(h, i)) {
		rtt_destroy(c, &h->l3[i], l3ipa, 3);
	}
	c->ops++;
}

static void chaos_cleanup(struct chaos *c)
{
	for (unsigned int n = 0; n < 2; n++) {
		struct chaos_half *h = &c->half[n];

		for (unsigned int i = 0; i < CHAOS_L3S; i++) {
			for (unsigned int j = 0; j < CHAOS_PAGES; j++)
				if (h->ns[i][j].v)
					ns_unmap(c, h, i, j);
			if (h->l3[i].v)
				rtt_destroy(c, &h->l3[i], h->base + i * (2ULL << 20), 3);
		}
		if (h->l2.v)
			rtt_destroy(c, &h->l2, h->base, 2);
	}
}

static void *chaos_main(void *arg)
{
	struct chaos *c = arg;

	while (!atomic_load(&c->stop)) {
		unsigned int n = (unsigned int)(rnd(&c->seed) & 1);

		chaos_step(c, &c->half[n], n == 1);
	}
	return NULL;
}

static void check_invariants(const char *when)
{
	char why[512];

	if (rmm_check_invariants(why, sizeof(why)))
		fail_msg("invariant broken %s: %s", when, why);
}

/* One realm: build, run the guest with the chaos thread alongside, tear down. */
static void run_one(const char *guest, unsigned int nrecs, mh_cpu_on_fn cpu_on, uint64_t seed)
{
	struct mh_config cfg = {
		.algorithm = RMI_HASH_SHA_256, .nrecs = nrecs, .timeout_ms = 60000, .cpu_on = cpu_on
	};
	struct mh_result *res = calloc(1, sizeof(*res));
	uint64_t pages = host_pages_in_use();
	struct chaos c = { .seed = seed | 1 };
	char path[512];
	uint64_t x0;
	int ret;

	assert_non_null(res);
	snprintf(path, sizeof(path), "%s/%s.bin", RK_GUEST_DIR, guest);
	cfg.image_path = path;
	rmm_invariants_forget_rims(); /* a new realm may reuse the last RD address */
	c.mh = mh_create(&cfg, res);
	if (!c.mh)
		fail_msg("%s: mh_create: %s", guest, res->error);
	c.half[0].base = CHAOS_BASE;
	c.half[1].base = CHAOS_BASE | c.mh->shared_bit;
	/* The level-1 RTT of the unprotected half, owned (and destroyed) by the mini host. */
	pthread_mutex_lock(&c.mh->map_lock);
	x0 = mh_rtt_create(c.mh, c.mh->shared_bit, 1);
	pthread_mutex_unlock(&c.mh->map_lock);
	must_ok(x0, "RTT_CREATE (level 1, unprotected)");
	assert_int_equal(pthread_create(&c.thread, NULL, chaos_main, &c), 0);
	ret = mh_run(c.mh);
	atomic_store(&c.stop, true);
	pthread_join(c.thread, NULL);
	if (ret || !res->system_off)
		fail_msg("%s: run failed: %s", guest, res->error);
	check_invariants("after a run");
	chaos_cleanup(&c);
	check_invariants("after the chaos cleanup");
	/* failure-conditions s5.1: teardown gives every granule back. */
	if (mh_destroy(c.mh))
		fail_msg("%s: %llu granules leaked: %s", guest, (unsigned long long)res->leaked,
			 res->leak_report);
	check_invariants("after teardown");
	assert_int_equal(host_pages_in_use(), pages);
	chaos_ops += c.ops;
	runs++;
	mh_result_free(res);
	free(res);
}

static int64_t deny_rec3(void *ctx, unsigned int caller, unsigned int target)
{
	(void)ctx;
	(void)caller;
	return target == 3 ? PSCI_RET_DENIED : PSCI_RET_SUCCESS;
}

static double stress_seconds(void)
{
	const char *env = getenv("RK_STRESS_SECONDS");
	long sec = env ? strtol(env, NULL, 10) : 0;

	return sec > 0 && sec <= 86400 ? (double)sec : 2.0;
}

static void test_exec_stress(void **state)
{
	double end = mh_now() + stress_seconds();

	(void)state;
	do {
		switch (iterations % 3) {
		case 0:
			run_one("spinlock", 4, NULL, iterations * 7919 + 1);
			break;
		case 1:
			run_one("psci", 4, deny_rec3, iterations * 7919 + 2);
			break;
		default:
			run_one("ripas", 1, NULL, iterations * 7919 + 3);
			break;
		}
		iterations++;
	} while (mh_now() < end || iterations < 3);
	print_message("exec stress: %llu realms run, %llu concurrent chaos commands\n", runs,
		      chaos_ops);
}

static int setup(void **state)
{
	struct rk_platform_config cfg = { .dram_size = DRAM_SIZE };

	(void)state;
	return board_power_on(&cfg, false) || host_pages_init() ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	host_pages_fini();
	board_power_off();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec_stress, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
