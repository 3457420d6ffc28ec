/* SPDX-License-Identifier: BSD-3-Clause */
/* The RMM's global invariant checker (see invariants.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/platform.h>

#include "engine.h"
#include "granule.h"
#include "invariants.h"
#include "platform_root.h"
#include "realm.h"
#include "rec.h"
#include "s2tt.h"
#include "vmid.h"

/* Carve-out granules probed per call (a rotating window; all realm-PAS granules always are). */
#define INV_CARVEOUT_PROBES 16u

/* Per-granule bookkeeping flags. */
#define INV_ROOT    0x1u /* a root RTT of a live realm */
#define INV_LIVE_RD 0x2u /* a registered RD */

struct inv {
	char *why;
	size_t len;
	int violations;
	uint64_t n;
	uint8_t *flags;
	uint32_t *seen;	    /* references found to this granule (parents, entries, owners) */
	uint32_t *expected; /* the reference count this granule must have */
};

static void violation(struct inv *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void violation(struct inv *v, const char *fmt, ...)
{
	va_list ap;

	if (v->violations++ == 0 && v->len) {
		va_start(ap, fmt);
		vsnprintf(v->why, v->len, fmt, ap);
		va_end(ap);
	}
}

static uint64_t idx_of(const struct granule *g)
{
	return (granule_addr(g).v - RK_DRAM_BASE) >> GRANULE_SHIFT;
}

/* The tracked granule at pa in state st, or NULL (a violation is recorded). */
static struct granule *expect_granule(struct inv *v, uint64_t pa, enum granule_state st,
				      const char *what)
{
	struct granule *g = find_granule(pa_of(pa));

	if (!g || granule_get_state(g) != st) {
		violation(v, "%s %#llx is %s, not %s", what, (unsigned long long)pa,
			  g ? granule_state_name(granule_get_state(g)) : "untracked",
			  granule_state_name(st));
		return NULL;
	}
	return g;
}

/* The DATA granules an ASSIGNED page or block maps: each exactly once. */
static void check_data(struct inv *v, uint64_t pa, int level)
{
	uint64_t pages = s2tt_entry_size(level) >> GRANULE_SHIFT;

	for (uint64_t i = 0; i < pages; i++) {
		uint64_t p = pa + i * GRANULE_SIZE;
		struct granule *g = expect_granule(v, p, GRANULE_STATE_DATA, "mapped DATA");

		if (g && v->seen[idx_of(g)]++ != 0)
			violation(v, "DATA %#llx mapped more than once", (unsigned long long)p);
	}
}

static void check_rtt(struct inv *v, const struct s2tt_ctx *ctx, const uint64_t *t,
		      unsigned int first, unsigned int end, int level, uint64_t base,
		      uint64_t acct);

/* A TABLE entry: a well-formed descriptor naming an RTT reached only from here. */
static void check_table(struct inv *v, const struct s2tt_ctx *ctx, uint64_t e, int level,
			uint64_t ipa, uint64_t acct)
{
	uint64_t pa = s2tte_pa(e, level);
	struct granule *g;

	v->expected[acct]++;
	if (e != s2tte_create_table(pa)) {
		violation(v, "malformed TABLE entry %#llx at IPA %#llx", (unsigned long long)e,
			  (unsigned long long)ipa);
		return;
	}
	g = expect_granule(v, pa, GRANULE_STATE_RTT, "TABLE target");
	if (!g)
		return;
	if ((v->flags[idx_of(g)] & INV_ROOT) || v->seen[idx_of(g)]++ != 0) {
		violation(v, "RTT %#llx reachable from more than one parent",
			  (unsigned long long)pa);
		return;
	}
	check_rtt(v, ctx, s2tt_table(g), 0, S2TT_ENTRIES, level + 1, ipa, idx_of(g));
}

/* A protected (PAR) non-TABLE entry: UNASSIGNED or ASSIGNED, canonical. */
static void check_protected(struct inv *v, uint64_t e, int level, uint64_t ipa, uint64_t acct)
{
	unsigned int ripas = s2tte_get_ripas(e);
	uint64_t pa;

	if (ripas > RMI_DESTROYED) {
		violation(v, "RIPAS %u at IPA %#llx", ripas, (unsigned long long)ipa);
		return;
	}
	if (s2tte_is_unassigned(e)) {
		if (e != s2tte_create_unassigned(ripas))
			violation(v, "malformed UNASSIGNED entry %#llx at IPA %#llx",
				  (unsigned long long)e, (unsigned long long)ipa);
		return;
	}
	if (!s2tte_is_assigned(e, level)) {
		violation(v, "entry %#llx at level %d not allowed in PAR (IPA %#llx)",
			  (unsigned long long)e, level, (unsigned long long)ipa);
		return;
	}
	pa = s2tte_pa(e, level);
	v->expected[acct]++;
	if (e != s2tte_create_assigned(pa, level, ripas)) {
		violation(v, "malformed ASSIGNED entry %#llx at IPA %#llx", (unsigned long long)e,
			  (unsigned long long)ipa);
		return;
	}
	check_data(v, pa, level);
}

/* An unprotected entry: UNASSIGNED_NS or a canonical ASSIGNED_NS page/block. */
static void check_unprotected(struct inv *v, uint64_t e, int level, uint64_t ipa)
{
	if (e == s2tte_create_unassigned_ns())
		return;
	if (s2tte_is_assigned_ns(e, level) &&
	    e == s2tte_create_assigned_ns(s2tte_read_desc(e, level), level))
		return;
	violation(v, "entry %#llx at level %d not allowed outside PAR (IPA %#llx)",
		  (unsigned long long)e, level, (unsigned long long)ipa);
}

/* Entries [first, end) of an RTT at level mapping from base; references counted on acct. */
static void check_rtt(struct inv *v, const struct s2tt_ctx *ctx, const uint64_t *t,
		      unsigned int first, unsigned int end, int level, uint64_t base, uint64_t acct)
{
	uint64_t size = s2tt_entry_size(level), par_end = 1ULL << (ctx->s2sz - 1);

	for (unsigned int i = first; i < end; i++) {
		uint64_t e = s2tte_read(&t[i]), ipa = base + (uint64_t)i * size;

		if (s2tte_is_table(e, level))
			check_table(v, ctx, e, level, ipa, acct);
		else if (ipa < par_end)
			check_protected(v, e, level, ipa, acct);
		else
			check_unprotected(v, e, level, ipa);
	}
}

/*
 * ---- The RIM of an active realm never changes (rmm-v1.0.md s14.1, s9.2) ----
 *
 * A table of RIMs keyed by RD PA: the first call that sees a realm ACTIVE
 * (or SYSTEM_OFF) records its RIM, later calls compare. An entry is dropped
 * when a call finds the RD gone or NEW again (destroyed and re-created).
 */
struct rim_snap {
	uint64_t rd_pa;
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE];
	bool seen; /* found live in the current call */
};

static pthread_mutex_t rim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rim_snap *rim_tab;
static size_t rim_n, rim_cap;

static struct rim_snap *rim_find(uint64_t rd_pa)
{
	for (size_t i = 0; i < rim_n; i++) {
		if (rim_tab[i].rd_pa == rd_pa)
			return &rim_tab[i];
	}
	return NULL;
}

static void rim_drop(struct rim_snap *e)
{
	*e = rim_tab[--rim_n];
}

/* Called with rim_lock held for every live RD. */
static void check_rim(struct inv *v, uint64_t rd_pa, const struct rd *rd)
{
	struct rim_snap *e = rim_find(rd_pa), *grown;

	if (realm_state(rd) == RMI_REALM_STATE_NEW) {
		if (e)
			rim_drop(e);
		return;
	}
	if (e) {
		e->seen = true;
		if (memcmp(e->rim, rd->measurement[0], sizeof(e->rim)) != 0)
			violation(v, "RD %#llx: RIM of an active realm changed",
				  (unsigned long long)rd_pa);
		return;
	}
	if (rim_n == rim_cap) {
		grown = realloc(rim_tab, (rim_cap ? rim_cap * 2 : 16) * sizeof(*rim_tab));
		if (!grown) {
			violation(v, "invariant checker: out of memory");
			return;
		}
		rim_tab = grown;
		rim_cap = rim_cap ? rim_cap * 2 : 16;
	}
	e = &rim_tab[rim_n++];
	e->rd_pa = rd_pa;
	e->seen = true;
	memcpy(e->rim, rd->measurement[0], sizeof(e->rim));
}

/* Drops the snapshots of realms not found live in this call. rim_lock held. */
static void rim_sweep(void)
{
	for (size_t i = 0; i < rim_n;) {
		if (!rim_tab[i].seen) {
			rim_drop(&rim_tab[i]);
			continue;
		}
		rim_tab[i++].seen = false;
	}
}

void rmm_invariants_forget_rims(void)
{
	pthread_mutex_lock(&rim_lock);
	free(rim_tab);
	rim_tab = NULL;
	rim_n = rim_cap = 0;
	pthread_mutex_unlock(&rim_lock);
}

/* A registered RD: state, VMID, geometry, roots; then its whole tree. */
static void check_realm(struct inv *v, pa_t rd_pa, uint8_t *vmids)
{
	struct granule *g = expect_granule(v, rd_pa.v, GRANULE_STATE_RD, "registered RD");
	struct granule *root;
	struct s2tt_ctx ctx;
	const struct rd *rd;
	unsigned int in_space, all;

	if (!g)
		return;
	v->flags[idx_of(g)] |= INV_LIVE_RD;
	rd = rd_of(g);
	s2tt_ctx_init(&ctx, rd);
	if (!vmid_is_reserved(rd->vmid) || (vmids[rd->vmid / 8] & (1u << (rd->vmid % 8))))
		violation(v, "RD %#llx: VMID %u not reserved or shared",
			  (unsigned long long)rd_pa.v, rd->vmid);
	vmids[rd->vmid / 8] |= (uint8_t)(1u << (rd->vmid % 8));
	check_rim(v, rd_pa.v, rd);
	if (realm_state(rd) > RMI_REALM_STATE_SYSTEM_OFF ||
	    s2tt_num_root_rtts(rd->s2sz, rd->start_level, rd->lpa2) != rd->num_root_rtts ||
	    rd->num_root_rtts == 0) {
		violation(v, "RD %#llx: invalid state or geometry", (unsigned long long)rd_pa.v);
		return;
	}
	for (unsigned int i = 0; i < rd->num_root_rtts; i++) {
		root = expect_granule(v, rd->rtt_base + i * GRANULE_SIZE, GRANULE_STATE_RTT,
				      "root");
		if (!root)
			return;
		v->flags[idx_of(root)] |= INV_ROOT;
	}
	root = find_granule(pa_of(rd->rtt_base));
	all = s2tt_root_entries(&ctx);
	in_space = (unsigned int)((1ULL << rd->s2sz) / s2tt_entry_size(rd->start_level));
	if (in_space == 0 || in_space > all)
		in_space = all;
	check_rtt(v, &ctx, s2tt_table(root), 0, in_space, rd->start_level, 0, idx_of(root));
	for (unsigned int i = in_space; i < all; i++) {
		if (s2tte_read(&s2tt_table(root)[i]) != 0)
			violation(v, "RD %#llx: root entry %u beyond 2^s2sz is not zero",
				  (unsigned long long)rd_pa.v, i);
	}
}

/* s7.5, s9.3: a REC's index was handed out by its RD and its stage-2 copy is the RD's. */
static void check_rec_owner(struct inv *v, const struct granule *g, const struct rec *rec,
			    const struct rd *rd)
{
	struct s2tt_ctx ctx;

	s2tt_ctx_init(&ctx, rd);
	if (rec->rec_idx >= rd->rec_count || rmi_mpidr_to_rec_index(rec->mpidr) != rec->rec_idx)
		violation(v, "REC %#llx: index %llu not below its realm's REC count %llu",
			  (unsigned long long)granule_addr(g).v, (unsigned long long)rec->rec_idx,
			  (unsigned long long)rd->rec_count);
	if (rec->s2_ctx.rtt_base != ctx.rtt_base || rec->s2_ctx.start_level != ctx.start_level ||
	    rec->s2_ctx.num_root_rtts != ctx.num_root_rtts || rec->s2_ctx.s2sz != ctx.s2sz ||
	    rec->s2_ctx.lpa2 != ctx.lpa2 || rec->s2_ctx.vmid != ctx.vmid ||
	    rec->algorithm != rd->algorithm)
		violation(v, "REC %#llx: stage-2 geometry differs from its RD's",
			  (unsigned long long)granule_addr(g).v);
}

/* Every REC belongs to a live RD (counted there) and owns its aux granules. */
static void check_recs(struct inv *v)
{
	for (uint64_t i = 0; i < v->n; i++) {
		struct granule *g = granule_at(i), *grd;
		const struct rec *rec;

		if (granule_get_state(g) != GRANULE_STATE_REC)
			continue;
		rec = rec_of(g);
		grd = find_granule(pa_of(rec->rd_pa));
		if (!grd || !(v->flags[idx_of(grd)] & INV_LIVE_RD)) {
			violation(v, "REC %#llx: owner %#llx is not a live RD",
				  (unsigned long long)granule_addr(g).v,
				  (unsigned long long)rec->rd_pa);
		} else {
			v->expected[idx_of(grd)]++;
			check_rec_owner(v, g, rec, rd_of(grd));
		}
		if (rec->num_aux != REC_NUM_AUX)
			violation(v, "REC %#llx: %llu aux granules, not %u",
				  (unsigned long long)granule_addr(g).v,
				  (unsigned long long)rec->num_aux, REC_NUM_AUX);
		for (uint64_t a = 0; a < rec->num_aux && a < REC_NUM_AUX; a++) {
			struct granule *ga =
				expect_granule(v, rec->aux_pa[a], GRANULE_STATE_REC_AUX, "REC aux");

			if (ga)
				v->seen[idx_of(ga)]++;
		}
	}
}

static bool granule_is_zero(struct granule *g)
{
	static const uint8_t zero[GRANULE_SIZE];

	return memcmp(granule_map(g), zero, GRANULE_SIZE) == 0;
}

/* What each state requires of its references and contents. */
static void check_state(struct inv *v, struct granule *g, uint64_t i, enum granule_state st)
{
	unsigned int ref = granule_refcount_read(g);
	uint64_t pa = granule_addr(g).v;
	bool want_seen_once = st == GRANULE_STATE_DATA || st == GRANULE_STATE_REC_AUX ||
			      (st == GRANULE_STATE_RTT && !(v->flags[i] & INV_ROOT));

	if (want_seen_once && v->seen[i] != 1)
		violation(v, "%s %#llx referenced %u times, not once", granule_state_name(st),
			  (unsigned long long)pa, v->seen[i]);
	if (st == GRANULE_STATE_RD && !(v->flags[i] & INV_LIVE_RD))
		violation(v, "RD %#llx is not registered", (unsigned long long)pa);
	if (st == GRANULE_STATE_DELEGATED && !granule_is_zero(g))
		violation(v, "DELEGATED %#llx is not zero", (unsigned long long)pa);
	/* RTT: TABLE + ASSIGNED entries; RD: its RECs; REC: 0 (not running); others none. */
	if (ref != v->expected[i])
		violation(v, "%s %#llx has reference count %u, expected %u", granule_state_name(st),
			  (unsigned long long)pa, ref, v->expected[i]);
}

/* The PAS a granule must have if it is in state NS: the carve-outs keep theirs. */
static enum rk_pas boot_pas(uint64_t i, uint64_t n)
{
	if (i < (RK_ROOT_CARVEOUT_SIZE >> GRANULE_SHIFT))
		return RK_PAS_ROOT;
	if (i >= n - (RK_SECURE_CARVEOUT_SIZE >> GRANULE_SHIFT))
		return RK_PAS_SECURE;
	return RK_PAS_NS;
}

/*
 * s9.1 / s13: NS <=> PAS NS, and the carve-outs never change PAS (the RMM
 * delegates only NS granules). No host-visible mapping of a granule outside
 * PAS NS: the platform's bookkeeping must say the NS-view page is open iff
 * the PAS is NS, and a real probe must fault on every Realm-PAS granule
 * (and on a rotating sample of the carve-outs).
 */
static void check_pas(struct inv *v, struct granule *g, uint64_t i, enum granule_state st,
		      bool probe)
{
	uint64_t pa = granule_addr(g).v;
	enum rk_pas pas = platform_pas(granule_addr(g)), want = boot_pas(i, v->n);
	int seen;

	if ((st == GRANULE_STATE_NS) != (pas != RK_PAS_REALM) ||
	    (st == GRANULE_STATE_NS && pas != want) ||
	    (st != GRANULE_STATE_NS && want != RK_PAS_NS))
		violation(v, "granule %#llx: state %s with PAS %s", (unsigned long long)pa,
			  granule_state_name(st), platform_pas_name(pas));
	if (platform_ns_view_accessible(granule_addr(g)) != (pas == RK_PAS_NS))
		violation(v, "granule %#llx: PAS %s but the host's NS view is %s",
			  (unsigned long long)pa, platform_pas_name(pas),
			  pas == RK_PAS_NS ? "closed" : "open");
	if (pas == RK_PAS_NS || (pas != RK_PAS_REALM && !probe))
		return;
	seen = platform_ns_view_probe(granule_addr(g));
	if (seen != 0)
		violation(v, "granule %#llx (PAS %s): host read %s", (unsigned long long)pa,
			  platform_pas_name(pas), seen > 0 ? "succeeded" : "could not be probed");
}

static void check_granules(struct inv *v)
{
	static _Atomic uint64_t probe_cursor;
	uint64_t carve = (RK_ROOT_CARVEOUT_SIZE + RK_SECURE_CARVEOUT_SIZE) >> GRANULE_SHIFT;
	uint64_t first = atomic_fetch_add(&probe_cursor, INV_CARVEOUT_PROBES) % carve;

	for (uint64_t i = 0; i < v->n; i++) {
		struct granule *g = granule_at(i);
		uint16_t d = atomic_load_explicit(&g->desc, memory_order_acquire);
		enum granule_state st = granule_get_state(g);
		/* Index of i among the carve-out granules (root first, then secure). */
		uint64_t ci = i < v->n - (RK_SECURE_CARVEOUT_SIZE >> GRANULE_SHIFT)
				      ? i
				      : i - (v->n - carve);

		if (d & GRANULE_LOCK_BIT)
			violation(v, "granule %#llx is locked",
				  (unsigned long long)granule_addr(g).v);
		if (st >= GRANULE_STATE_COUNT) {
			violation(v, "granule %#llx has state %u",
				  (unsigned long long)granule_addr(g).v, st);
			continue;
		}
		check_pas(v, g, i, st, (ci + carve - first) % carve < INV_CARVEOUT_PROBES);
		check_state(v, g, i, st);
	}
}

/*
 * No engine holds a stage-2 translation older than the last invalidation of
 * its VMID (rmm-v1.0.md s11.1 DATA_DESTROY / RTT_SET_RIPAS to EMPTY and
 * s11.6 RTT_UNMAP_UNPROTECTED: "TLB invalidated"). The engines walk the
 * RTTs themselves, so this is the only way an engine can disagree with the
 * RTTs (engines_check_tlb_coherent(), engine.h).
 */
static void check_engines(struct inv *v)
{
	char why[256];
	int n = engines_check_tlb_coherent(why, sizeof(why));

	for (int i = 0; i < n; i++)
		violation(v, "%s", why);
}

int rmm_check_invariants(char *why, size_t len)
{
	struct inv v = { .why = why, .len = len, .n = granules_count() };
	uint8_t *vmids = calloc(RMM_VMID_COUNT / 8, 1);
	size_t nrd = 64, got;
	pa_t *rds = calloc(nrd, sizeof(*rds));

	if (len)
		why[0] = '\0';
	v.flags = calloc(v.n, sizeof(*v.flags));
	v.seen = calloc(v.n, sizeof(*v.seen));
	v.expected = calloc(v.n, sizeof(*v.expected));
	if (!rds || !vmids || !v.flags || !v.seen || !v.expected) {
		violation(&v, "invariant checker: out of memory");
		goto out_free;
	}
	got = realm_registry_snapshot(rds, nrd);
	if (got > nrd) {
		free(rds);
		nrd = got;
		rds = calloc(nrd, sizeof(*rds));
		if (!rds || realm_registry_snapshot(rds, nrd) != got) {
			violation(&v, "realms created while the checker ran (or out of memory)");
			goto out_free;
		}
	}
	pthread_mutex_lock(&rim_lock);
	for (size_t i = 0; i < got && i < nrd; i++)
		check_realm(&v, rds[i], vmids);
	rim_sweep();
	pthread_mutex_unlock(&rim_lock);
	check_recs(&v);
	check_granules(&v);
	check_engines(&v);
out_free:
	free(v.expected);
	free(v.seen);
	free(v.flags);
	free(vmids);
	free(rds);
	return v.violations;
}
