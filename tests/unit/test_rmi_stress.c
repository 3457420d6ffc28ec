/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Concurrency stress of the realm, RTT, DATA and REC commands
 * (rmm-v1.0.md s16: commands must be safe from several CPUs at once), with
 * the global invariant checker (invariants.h) run at quiescent points:
 * 4 threads issue random valid and invalid commands on 2 shared realms for
 * 4 slices of 0.5 s (RK_STRESS_SECONDS=n in the environment: n seconds,
 * 2n slices, for `make stress`); between slices and after the teardown
 * every invariant must hold. Also checks that the checker itself detects broken invariants.
 *
 * Each command's outcome must be one the specification allows for its
 * arguments, whatever the other threads do (e.g. an RTT_CREATE with valid
 * arguments may find the parent already TABLE, or the realm momentarily
 * destroyed and re-created by another thread: E_RTT or E_INPUT).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "invariants.h"
#include "rtt_fixture.h"

#define N_THREADS  4
#define N_REALMS   2
#define N_SLICES   4 /* default; RK_STRESS_SECONDS overrides (stress_slices) */
#define SLICE_NS   500000000LL
#define POOL_SIZE  2600
#define WINDOW	   (8 * RT_MB) /* IPAs used: [0, 8 MB) and [2^39, 2^39 + 8 MB) */
#define MAX_RECS   2
#define NS_OA_BASE 0x40000000ULL
#define RIPAS_ZONE RT_GB

struct stress_realm {
	struct rt_realm r;
	pa_t params; /* its RmiRealmParams, for re-creation after a destroy */
	_Atomic uint64_t next_rec;
};

enum cmd {
	C_RTT_CREATE,
	C_RTT_DESTROY,
	C_RTT_FOLD,
	C_MAP_UNPROTECTED,
	C_UNMAP_UNPROTECTED,
	C_READ_ENTRY,
	C_INIT_RIPAS,
	C_DATA_DESTROY,
	C_DATA_CREATE_UNKNOWN,
	C_REALM_ACTIVATE,
	C_REALM_DESTROY,
	C_REC_CREATE,
	C_REALM_CREATE,
	C_REC_AUX_COUNT,
	C_COUNT
};

static const char *const cmd_name[C_COUNT] = {
	"RTT_CREATE",	   "RTT_DESTROY",	"RTT_FOLD",
	"MAP_UNPROTECTED", "UNMAP_UNPROTECTED", "READ_ENTRY",
	"INIT_RIPAS",	   "DATA_DESTROY",	"DATA_CREATE[_UNKNOWN]",
	"REALM_ACTIVATE",  "REALM_DESTROY",	"REC_CREATE",
	"REALM_CREATE",	   "REC_AUX_COUNT",
};

static struct {
	struct stress_realm realm[N_REALMS];
	struct stress_realm life; /* created, activated and destroyed by all threads at once */
	pa_t src;		  /* an NS page: DATA_CREATE source, and an "rd" in state NS */
	pthread_mutex_t pool_lock;
	uint64_t pool[POOL_SIZE + 64];
	size_t pool_n;
	pthread_barrier_t barrier;
	pthread_mutex_t fail_lock;
	unsigned int failures;
	char fail_msg[256];
	_Atomic uint64_t ops, successes;
	_Atomic uint64_t realm_destroys; /* successful REALM_DESTROYs (RIM snapshots) */
	int slices;
	_Atomic uint64_t ok[C_COUNT];
} s;

static void st_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void st_fail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&s.fail_lock);
	if (s.failures++ == 0) {
		va_start(ap, fmt);
		vsnprintf(s.fail_msg, sizeof(s.fail_msg), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&s.fail_lock);
}

static uint64_t pool_pop(void)
{
	uint64_t pa = 0;

	pthread_mutex_lock(&s.pool_lock);
	if (s.pool_n)
		pa = s.pool[--s.pool_n];
	pthread_mutex_unlock(&s.pool_lock);
	return pa;
}

static void pool_push(uint64_t pa)
{
	pthread_mutex_lock(&s.pool_lock);
	assert(s.pool_n < ARRAY_SIZE(s.pool));
	s.pool[s.pool_n++] = pa;
	pthread_mutex_unlock(&s.pool_lock);
}

static uint64_t rnd(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

/* X0 must be SUCCESS or one of the listed statuses (any index for E_RTT). */
static bool allowed(uint64_t x0, enum cmd cmd, unsigned int mask)
{
	unsigned int st = rmi_status_of(x0);

	if ((x0 >> 16) == 0 && st <= RMI_ERROR_RTT && (mask & (1u << st)) &&
	    (st == RMI_ERROR_RTT || rmi_index_of(x0) == 0)) {
		if (st == RMI_SUCCESS) {
			atomic_fetch_add(&s.successes, 1);
			atomic_fetch_add(&s.ok[cmd], 1);
		}
		return true;
	}
	st_fail("%s: unexpected X0 %#llx", cmd_name[cmd], (unsigned long long)x0);
	return false;
}

#define OK_    (1u << RMI_SUCCESS)
#define INPUT_ (1u << RMI_ERROR_INPUT)
#define REALM_ (1u << RMI_ERROR_REALM)
#define RTT_   (1u << RMI_ERROR_RTT)

/* A random IPA of the window, aligned to an entry at level, in either half. */
static uint64_t rnd_ipa(uint64_t *st, int level, bool ns)
{
	uint64_t size = rt_size(level), a = (rnd(st) % WINDOW) & ~(size - 1);

	return (ns ? FX_IPA_UNPROT : 0) + a;
}

static void op_rtt_create(const struct rt_realm *r, uint64_t *st)
{
	int level = 1 + (int)(rnd(st) % 3);
	uint64_t rtt = pool_pop(), x0;

	if (!rtt)
		return;
	x0 = rt_x0(RMI_RTT_CREATE, r->rd.v, rtt, rnd_ipa(st, level - 1, rnd(st) & 1), level);
	if (allowed(x0, C_RTT_CREATE, OK_ | INPUT_ | RTT_) && x0 != rmi_pack(RMI_SUCCESS, 0))
		pool_push(rtt);
}

static void op_rtt_destroy_fold(const struct rt_realm *r, uint64_t *st, bool fold)
{
	int level = 1 + (int)(rnd(st) % 3);
	struct smc_result res = smc_call(fold ? RMI_RTT_FOLD : RMI_RTT_DESTROY, r->rd.v,
					 rnd_ipa(st, level - 1, rnd(st) & 1), level, 0, 0, 0);

	if (allowed(res.x[0], fold ? C_RTT_FOLD : C_RTT_DESTROY, OK_ | INPUT_ | RTT_) &&
	    res.x[0] == rmi_pack(RMI_SUCCESS, 0))
		pool_push(res.x[1]);
}

static void op_map_unmap(const struct rt_realm *r, uint64_t *st)
{
	int level = 2 + (int)(rnd(st) % 2);
	uint64_t ipa = rnd_ipa(st, level, true);
	/* Mostly the OA that makes the window foldable, sometimes another one. */
	uint64_t oa = (rnd(st) & 3) ? NS_OA_BASE + (ipa - FX_IPA_UNPROT)
				    : (rnd(st) % RT_GB) & ~(rt_size(level) - 1);

	if (rnd(st) & 1)
		allowed(rt_map(r, ipa, level, oa | RT_NS_ATTRS), C_MAP_UNPROTECTED,
			OK_ | INPUT_ | RTT_);
	else
		allowed(rt_unmap(r, ipa, level).x[0], C_UNMAP_UNPROTECTED, OK_ | INPUT_ | RTT_);
}

static void op_read(const struct rt_realm *r, uint64_t *st)
{
	int level = (int)(rnd(st) % 4);
	struct smc_result e = rt_read(r, rnd_ipa(st, level, rnd(st) & 1), level);

	if (allowed(e.x[0], C_READ_ENTRY, OK_ | INPUT_) && e.x[0] == rmi_pack(RMI_SUCCESS, 0) &&
	    (e.x[1] > (uint64_t)level || e.x[2] > RMI_TABLE || e.x[4] > RMI_DESTROYED))
		st_fail("READ_ENTRY: outputs %#llx %#llx %#llx", (unsigned long long)e.x[1],
			(unsigned long long)e.x[2], (unsigned long long)e.x[4]);
}

/*
 * Half of the calls go to the RIPAS zone [1 GB, 1 GB + 16 MB) of realm 0,
 * a level-2 RTT no random command can remove (see stress_setup_realms):
 * there 2 MB blocks keep making progress while realm 0 is NEW.
 */
static void op_init_ripas(const struct rt_realm *r, uint64_t *st)
{
	uint64_t base = rnd_ipa(st, 3, false), top = base + 4096 * (1 + rnd(st) % 1024);
	struct smc_result res;

	if (rnd(st) & 1) {
		base = RIPAS_ZONE + 2 * RT_MB * (rnd(st) % 8);
		top = base + 2 * RT_MB * (1 + rnd(st) % 4);
	}
	res = rt_init_ripas(r, base, top);
	if (allowed(res.x[0], C_INIT_RIPAS, OK_ | INPUT_ | REALM_ | RTT_) &&
	    res.x[0] == rmi_pack(RMI_SUCCESS, 0) && (res.x[1] <= base || res.x[1] > top))
		st_fail("INIT_RIPAS: X1 %#llx outside (base, top]", (unsigned long long)res.x[1]);
}

static void op_data(const struct rt_realm *r, uint64_t *st)
{
	uint64_t ipa = rnd_ipa(st, 3, false), data, x0;
	struct smc_result d;

	if (rnd(st) & 1) {
		d = smc_call(RMI_DATA_DESTROY, r->rd.v, ipa, 0, 0, 0, 0);
		if (allowed(d.x[0], C_DATA_DESTROY, OK_ | INPUT_ | RTT_) &&
		    d.x[0] == rmi_pack(RMI_SUCCESS, 0))
			pool_push(d.x[1]);
		return;
	}
	data = pool_pop();
	if (!data)
		return;
	if (rnd(st) & 1)
		x0 = rt_x0(RMI_DATA_CREATE_UNKNOWN, r->rd.v, data, ipa, 0);
	else
		x0 = smc_call(RMI_DATA_CREATE, r->rd.v, data, ipa, s.src.v, rnd(st) & 1, 0).x[0];
	if (allowed(x0, C_DATA_CREATE_UNKNOWN, OK_ | INPUT_ | REALM_ | RTT_) &&
	    x0 != rmi_pack(RMI_SUCCESS, 0))
		pool_push(data);
}

/*
 * REALM_DESTROY (SUCCESS only when the realm is empty: then re-create it) /
 * ACTIVATE. Realm 0 is never activated, so that the NEW-only commands
 * (INIT_RIPAS, DATA_CREATE, REC_CREATE) keep succeeding on it.
 */
static void op_realm(struct stress_realm *sr, bool may_activate, uint64_t *st)
{
	uint64_t x0;

	if (may_activate && rnd(st) % 4) {
		allowed(rt_x0(RMI_REALM_ACTIVATE, sr->r.rd.v, 0, 0, 0), C_REALM_ACTIVATE,
			OK_ | INPUT_ | REALM_);
		return;
	}
	x0 = rt_x0(RMI_REALM_DESTROY, sr->r.rd.v, 0, 0, 0);
	if (!allowed(x0, C_REALM_DESTROY, OK_ | INPUT_ | REALM_) || x0 != rmi_pack(RMI_SUCCESS, 0))
		return;
	atomic_fetch_add(&s.realm_destroys, 1);
	atomic_store(&sr->next_rec, 0);
	x0 = rt_x0(RMI_REALM_CREATE, sr->r.rd.v, sr->params.v, 0, 0);
	if (x0 != rmi_pack(RMI_SUCCESS, 0))
		st_fail("re-create after REALM_DESTROY: X0 %#llx", (unsigned long long)x0);
}

/*
 * The lifecycle realm: no RTT is ever created in it, so every thread may
 * create, activate and destroy it concurrently; exactly one of concurrent
 * creates (VMID and granules) or destroys wins, the others get E_INPUT.
 */
static void op_lifecycle(uint64_t *st)
{
	struct stress_realm *sr = &s.life;
	struct smc_result res;

	switch (rnd(st) % 5) {
	case 0:
		allowed(rt_x0(RMI_REALM_CREATE, sr->r.rd.v, sr->params.v, 0, 0), C_REALM_CREATE,
			OK_ | INPUT_);
		break;
	case 1:
		allowed(rt_x0(RMI_REALM_DESTROY, sr->r.rd.v, 0, 0, 0), C_REALM_DESTROY,
			OK_ | INPUT_);
		break;
	case 2:
		allowed(rt_x0(RMI_REALM_ACTIVATE, sr->r.rd.v, 0, 0, 0), C_REALM_ACTIVATE,
			OK_ | INPUT_ | REALM_);
		break;
	case 3:
		res = smc_call(RMI_REC_AUX_COUNT, sr->r.rd.v, 0, 0, 0, 0, 0);
		if (allowed(res.x[0], C_REC_AUX_COUNT, OK_ | INPUT_) &&
		    res.x[1] != (res.x[0] ? 0 : RMI_MAX_REC_AUX_GRANULES))
			st_fail("REC_AUX_COUNT: X1 %#llx", (unsigned long long)res.x[1]);
		break;
	default:
		allowed(rt_read(&sr->r, FX_IPA_UNPROT, 0).x[0], C_READ_ENTRY, OK_ | INPUT_);
		break;
	}
}

struct thread_recs {
	uint64_t rec[MAX_RECS], aux[MAX_RECS][RMI_MAX_REC_AUX_GRANULES];
	unsigned int n;
	pa_t params;
};

static void rec_destroy_last(struct thread_recs *t)
{
	unsigned int i = --t->n;
	uint64_t x0 = rt_x0(RMI_REC_DESTROY, t->rec[i], 0, 0, 0);

	if (x0 != rmi_pack(RMI_SUCCESS, 0)) {
		st_fail("REC_DESTROY of an idle REC: X0 %#llx", (unsigned long long)x0);
		return;
	}
	pool_push(t->rec[i]);
	for (unsigned int a = 0; a < RMI_MAX_REC_AUX_GRANULES; a++)
		pool_push(t->aux[i][a]);
}

static void op_rec(struct stress_realm *sr, struct thread_recs *t, uint64_t *st)
{
	struct rmi_rec_params *p = platform_ns_ptr(t->params);
	uint64_t rec, x0;
	unsigned int a;

	if (t->n == MAX_RECS || (t->n && (rnd(st) & 1))) {
		rec_destroy_last(t);
		return;
	}
	rec = pool_pop();
	memset(p, 0, sizeof(*p));
	p->mpidr = rmi_rec_index_to_mpidr(atomic_load(&sr->next_rec));
	p->num_aux = RMI_MAX_REC_AUX_GRANULES;
	for (a = 0; a < RMI_MAX_REC_AUX_GRANULES && rec; a++) {
		p->aux[a] = pool_pop();
		if (!p->aux[a])
			break;
	}
	if (!rec || a < RMI_MAX_REC_AUX_GRANULES)
		goto out_return;
	x0 = rt_x0(RMI_REC_CREATE, sr->r.rd.v, rec, t->params.v, 0);
	if (!allowed(x0, C_REC_CREATE, OK_ | INPUT_ | REALM_) || x0 != rmi_pack(RMI_SUCCESS, 0))
		goto out_return;
	atomic_fetch_add(&sr->next_rec, 1);
	t->rec[t->n] = rec;
	memcpy(t->aux[t->n++], p->aux, sizeof(p->aux));
	return;
out_return:
	if (rec)
		pool_push(rec);
	for (unsigned int i = 0; i < a; i++)
		pool_push(p->aux[i]);
}

/* Invalid calls whose result does not depend on the other threads: E_INPUT. */
static void op_invalid(const struct rt_realm *r, const struct rt_realm *other, uint64_t *st)
{
	uint64_t x0;

	switch (rnd(st) % 6) {
	case 0:
		x0 = rt_x0(RMI_RTT_CREATE, r->rd.v, other->root.v, 0, 1); /* rtt_state: RTT */
		break;
	case 1:
		x0 = rt_x0(RMI_RTT_CREATE, r->rd.v, s.src.v, 0, 4); /* level_bound */
		break;
	case 2:
		x0 = rt_read(r, 4096, 2).x[0]; /* ipa_align */
		break;
	case 3:
		x0 = rt_map(r, 4096, 3, NS_OA_BASE | RT_NS_ATTRS); /* protected ipa */
		break;
	case 4:
		x0 = rt_init_ripas(r, 8192, 4096).x[0]; /* size_valid */
		break;
	default:
		x0 = rt_x0(RMI_REALM_CREATE, s.src.v, s.src.v, 0, 0); /* rd_state: NS */
		break;
	}
	if (x0 != rmi_pack(RMI_ERROR_INPUT, 0))
		st_fail("invalid call: X0 %#llx, expected E_INPUT", (unsigned long long)x0);
}

static void run_one(struct thread_recs *t, uint64_t *st)
{
	unsigned int ri = rnd(st) % N_REALMS;
	struct stress_realm *sr = &s.realm[ri];
	const struct rt_realm *r = &sr->r;

	atomic_fetch_add(&s.ops, 1);
	switch (rnd(st) % 17) {
	case 0 ... 3:
		op_rtt_create(r, st);
		break;
	case 4 ... 5:
		op_rtt_destroy_fold(r, st, false);
		break;
	case 6:
		op_rtt_destroy_fold(r, st, true);
		break;
	case 7 ... 8:
		op_map_unmap(r, st);
		break;
	case 9:
		op_read(r, st);
		break;
	case 10:
		op_init_ripas(r, st);
		break;
	case 11 ... 12:
		op_data(r, st);
		break;
	case 13:
		op_realm(sr, ri == 1, st);
		break;
	case 14:
		op_rec(sr, t, st);
		break;
	case 15:
		op_lifecycle(st);
		break;
	default:
		op_invalid(r, &s.realm[ri ^ 1].r, st);
		break;
	}
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *stress_thread(void *arg)
{
	uint64_t st = 0x9E3779B97F4A7C15ULL * ((uintptr_t)arg + 1);
	struct thread_recs t = { .n = 0 };

	t.params = host_page_alloc();
	for (int slice = 0; slice < s.slices; slice++) {
		int64_t end = now_ns() + SLICE_NS;

		while (now_ns() < end)
			run_one(&t, &st);
		/* Quiescent point: the main thread checks the invariants. */
		pthread_barrier_wait(&s.barrier);
		pthread_barrier_wait(&s.barrier);
	}
	while (t.n)
		rec_destroy_last(&t);
	host_page_free(t.params);
	return NULL;
}

static void check_invariants(const char *when)
{
	static uint64_t destroys_seen;
	uint64_t destroys = atomic_load(&s.realm_destroys);
	char why[256];
	int n;

	/*
	 * invariants.h: a realm destroyed and re-created (and maybe activated
	 * with another RIM) at the same RD since the last check is a new realm.
	 */
	if (destroys != destroys_seen)
		rmm_invariants_forget_rims();
	destroys_seen = destroys;
	n = rmm_check_invariants(why, sizeof(why));

	if (n != 0)
		fail_msg("%s: %d invariant violations, first: %s", when, n, why);
}

static void stress_setup_realms(void)
{
	for (unsigned int i = 0; i < N_REALMS; i++) {
		struct stress_realm *sr = &s.realm[i];
		struct rmi_realm_params p;

		rt_realm_create(&sr->r, (uint16_t)(i + 1));
		sr->params = fx_ns();
		rt_params(&p, FX_S2SZ, 0, 1, (uint16_t)(i + 1), sr->r.root);
		memcpy(platform_ns_ptr(sr->params), &p, sizeof(p));
		atomic_store(&sr->next_rec, 0);
	}
	/*
	 * The RIPAS zone of realm 0: a level-2 RTT at 1 GB. Random commands
	 * only name level-2 RTTs at IPA 0, so it stays, and so does the
	 * level-1 RTT above it.
	 */
	rt_rtts(&s.realm[0].r, RIPAS_ZONE, 2);
	rt_realm_create(&s.life.r, 3);
	s.life.params = fx_ns();
	{
		struct rmi_realm_params p;

		rt_params(&p, FX_S2SZ, 0, 1, 3, s.life.r.root);
		memcpy(platform_ns_ptr(s.life.params), &p, sizeof(p));
	}
	s.src = fx_ns();
	s.pool_n = 0;
	for (unsigned int i = 0; i < POOL_SIZE; i++)
		s.pool[s.pool_n++] = fx_delegated().v;
}

/* N_SLICES, or 2 per second of RK_STRESS_SECONDS (1..86400) for long runs. */
static int stress_slices(void)
{
	const char *env = getenv("RK_STRESS_SECONDS");
	long sec = env ? strtol(env, NULL, 10) : 0;

	if (sec <= 0 || sec > 86400)
		return N_SLICES;
	print_message("stress: RK_STRESS_SECONDS=%ld\n", sec);
	return (int)(sec * 1000000000LL / SLICE_NS);
}

static void test_stress(void **state)
{
	static uint64_t initial[POOL_SIZE];
	pthread_t th[N_THREADS];

	(void)state;
	pthread_mutex_init(&s.pool_lock, NULL);
	pthread_mutex_init(&s.fail_lock, NULL);
	s.failures = 0;
	s.slices = stress_slices();
	stress_setup_realms();
	memcpy(initial, s.pool, POOL_SIZE * sizeof(*initial));
	pthread_barrier_init(&s.barrier, NULL, N_THREADS + 1);
	for (uintptr_t i = 0; i < N_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stress_thread, (void *)i), 0);
	for (int slice = 0; slice < s.slices; slice++) {
		pthread_barrier_wait(&s.barrier);
		check_invariants("between slices");
		pthread_barrier_wait(&s.barrier);
	}
	for (int i = 0; i < N_THREADS; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	pthread_barrier_destroy(&s.barrier);
	if (s.failures)
		fail_msg("%u unexpected results, first: %s", s.failures, s.fail_msg);
	check_invariants("after the threads");
	print_message("stress: %llu commands, %llu successful\n",
		      (unsigned long long)atomic_load(&s.ops),
		      (unsigned long long)atomic_load(&s.successes));
	/* Every command family really succeeded under contention. */
	for (int c = 0; c < C_COUNT; c++) {
		print_message("  %-22s %llu successful\n", cmd_name[c],
			      (unsigned long long)atomic_load(&s.ok[c]));
		assert_true(atomic_load(&s.ok[c]) > 0);
	}
	/*
	 * Single-threaded teardown through the RMI (rt_realm_teardown gives the
	 * RTT and DATA granules it frees back to the host); then no pool
	 * granule may be left in an RMM object state.
	 */
	for (unsigned int i = 0; i < N_REALMS; i++)
		rt_realm_teardown(&s.realm[i].r);
	if (fx_state(s.life.r.rd) == GRANULE_STATE_RD)
		rt_realm_teardown(&s.life.r);
	check_invariants("after the teardown");
	for (size_t i = 0; i < POOL_SIZE; i++) {
		enum granule_state st = fx_state(pa_of(initial[i]));

		assert_true(st == GRANULE_STATE_DELEGATED || st == GRANULE_STATE_NS);
		if (st == GRANULE_STATE_DELEGATED)
			assert_true(fx_is_zero(pa_of(initial[i])));
	}
	pthread_mutex_destroy(&s.pool_lock);
	pthread_mutex_destroy(&s.fail_lock);
}

/* The checker must be able to fail: break one invariant at a time, white box. */
static void test_checker_detects(void **state)
{
	struct rt_realm r;
	char why[256];
	pa_t l3, del = fx_delegated(), data;
	uint64_t saved;

	(void)state;
	rt_realm_create(&r, 9);
	rt_rtts(&r, 0, 3);
	l3 = pa_of(rt_read(&r, 0, 2).x[3]);
	data = rt_data(&r, 4096);
	rt_rtts(&r, FX_IPA_UNPROT, 2);
	assert_rmi(rt_map(&r, FX_IPA_UNPROT, 2, NS_OA_BASE | RT_NS_ATTRS), RMI_SUCCESS, 0);
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 0);
	/* A wrong reference count. */
	granule_refcount_inc(find_granule(l3));
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	assert_non_null(strstr(why, "reference count"));
	granule_refcount_dec(find_granule(l3));
	/* A non-zero DELEGATED granule. */
	((uint8_t *)platform_root_ptr(del))[100] = 1;
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	assert_non_null(strstr(why, "not zero"));
	((uint8_t *)platform_root_ptr(del))[100] = 0;
	/* An RTT reachable from two parents (and counted twice). */
	saved = rt_table(l3)[0];
	rt_table(pa_of(rt_read(&r, 0, 1).x[3]))[5] = s2tte_create_table(l3.v);
	assert_true(rmm_check_invariants(why, sizeof(why)) >= 1);
	rt_table(pa_of(rt_read(&r, 0, 1).x[3]))[5] = 0;
	/* A DATA granule mapped twice. */
	rt_table(l3)[0] = s2tte_create_assigned_empty(data.v, 3);
	assert_true(rmm_check_invariants(why, sizeof(why)) >= 1);
	rt_table(l3)[0] = saved;
	/* An NS entry in the PAR. */
	rt_table(l3)[7] = s2tte_create_unassigned_ns();
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	assert_non_null(strstr(why, "not allowed in PAR"));
	rt_table(l3)[7] = 0;
	/* A state/PAS mismatch: DELEGATED but PAS NS. */
	assert_int_equal(el3_gtsi_undelegate(del), 0);
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	assert_non_null(strstr(why, "PAS NS"));
	assert_int_equal(el3_gtsi_delegate(del), 0);
	/* A locked granule. */
	granule_lock(find_granule(del));
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 1);
	assert_non_null(strstr(why, "locked"));
	granule_unlock(find_granule(del));
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 0);
	rt_realm_teardown(&r);
	assert_int_equal(rmm_check_invariants(why, sizeof(why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checker_detects, rt_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stress, rt_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
