/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMI fuzzer's machine: power-on, the checked RMI call (status shape,
 * failure atomicity, invariants after every command) and the teardown
 * through the RMI that resets the machine and proves nothing is lost.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "board.h"
#include "fuzz_rmi.h"
#include "granule.h"
#include "host_rmi.h"
#include "invariants.h"
#include "platform_root.h"
#include "realm.h"
#include "rec.h"
#include "s2tt.h"

struct fz_machine fz;

#define FZ_SPARES 4u /* NS granules the teardown may delegate to unfold blocks */

static bool machine_up;
static pa_t spares;

/* What a failed (or read-only) command must leave exactly as it was. */
struct fz_snap {
	uint16_t *desc; /* granule descriptors (state, reference count) */
	uint8_t *pas;
	uint64_t hash; /* RD, REC and RTT contents */
};

static struct fz_snap snaps[2];
static unsigned int cur; /* snaps[cur] describes the state before the next call */
static bool snap_valid;
/* Light mode (teardown, bulk macros): X0 checked, state checked once at the end. */
static bool light;

void fz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_rmi: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void fz_expect(uint64_t x0, enum rmi_status st, unsigned int idx, const char *what)
{
	if (x0 != rmi_pack(st, idx))
		fz_fail("law: %s returned X0 %#llx, expected %#llx", what, (unsigned long long)x0,
			(unsigned long long)rmi_pack(st, idx));
}

/* Reads only granules the RMM owns in full; not instrumented: it runs on every call. */
__attribute__((no_sanitize_address)) static uint64_t hash_words(uint64_t h, const void *p,
								size_t len)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i++)
		h = (h ^ w[i]) * 0x100000001b3ULL;
	return h;
}

static void snap_take(struct fz_snap *s)
{
	uint64_t n = granules_count(), h = 0xcbf29ce484222325ULL;

	for (uint64_t i = 0; i < n; i++) {
		struct granule *g = granule_at(i);
		enum granule_state st = granule_get_state(g);

		s->desc[i] = atomic_load(&g->desc);
		s->pas[i] = (uint8_t)platform_pas(granule_addr(g));
		if (st == GRANULE_STATE_RTT)
			h = hash_words(h, granule_map(g), GRANULE_SIZE);
		else if (st == GRANULE_STATE_RD)
			h = hash_words(h, granule_map(g), sizeof(struct rd));
		else if (st == GRANULE_STATE_REC)
			h = hash_words(h, granule_map(g), sizeof(struct rec));
	}
	s->hash = h;
}

static void snap_compare(const struct fz_snap *a, const struct fz_snap *b, const char *why)
{
	uint64_t n = granules_count();

	for (uint64_t i = 0; i < n; i++) {
		if (a->desc[i] != b->desc[i] || a->pas[i] != b->pas[i])
			fz_fail("%s changed granule %#llx: desc %#x -> %#x, PAS %u -> %u", why,
				(unsigned long long)granule_addr(granule_at(i)).v, a->desc[i],
				b->desc[i], a->pas[i], b->pas[i]);
	}
	if (a->hash != b->hash)
		fz_fail("%s changed the contents of an RD, REC or RTT", why);
}

void fz_set_light(bool on)
{
	light = on;
	snap_valid = false;
	if (!on)
		fz_check_invariants("a bulk operation");
}

void fz_check_invariants(const char *after)
{
	char why[512];
	int n = rmm_check_invariants(why, sizeof(why));

	fz.invariant_runs++;
	if (n)
		fz_fail("after %s: %d invariant violation(s), first: %s", after, n, why);
}

void fz_machine_init(void)
{
	struct rk_platform_config cfg = { .dram_size = FZ_DRAM_SIZE };
	uint64_t n;

	if (machine_up)
		return;
	fz.verbose = getenv("FUZZ_RMI_VERBOSE") != NULL;
	if (board_power_on(&cfg, false) || host_pages_init())
		fz_fail("cannot power the machine on");
	fz.arena = host_pages_alloc_contig(FZ_ARENA_PAGES, GRANULE_SIZE);
	fz.params = host_page_alloc();
	fz.src = host_page_alloc();
	spares = host_pages_alloc_contig(FZ_SPARES, GRANULE_SIZE);
	fz.block = host_pages_alloc_contig(FZ_BLOCK_PAGES, FZ_BLOCK_PAGES * GRANULE_SIZE);
	if (!fz.arena.v || !fz.params.v || !fz.src.v || !spares.v || !fz.block.v)
		fz_fail("cannot allocate the arena");
	memset(platform_ns_ptr(fz.src), 0xa5, GRANULE_SIZE);
	n = granules_count();
	for (unsigned int i = 0; i < 2; i++) {
		snaps[i].desc = calloc(n, sizeof(*snaps[i].desc));
		snaps[i].pas = calloc(n, 1);
		if (!snaps[i].desc || !snaps[i].pas)
			fz_fail("out of memory");
	}
	machine_up = true;
	fz_check_invariants("power-on");
}

static const char *fid_name(uint64_t fid)
{
#define FZ_NAME(name, id, n_in, n_out) \
	if (fid == (id))               \
		return #name;
	RMI_COMMAND_LIST(FZ_NAME)
#undef FZ_NAME
	return "unknown";
}

/* Commands that never change state, even when they succeed. */
static bool fid_read_only(uint64_t fid)
{
	return fid == RMI_VERSION || fid == RMI_FEATURES || fid == RMI_RTT_READ_ENTRY ||
	       fid == RMI_REC_AUX_COUNT;
}

/* rmm-v1.0.md s3: X0 = status | index << 8; an index only with E_RTT (a level, -1..3). */
static void check_x0(uint64_t fid, uint64_t x0)
{
	unsigned int st = rmi_status_of(x0), idx = rmi_index_of(x0);

	/* Every v1.0 command is implemented: SMC_UNKNOWN is never an answer. */
	if (x0 == SMC_UNKNOWN)
		fz_fail("%s returned SMC_UNKNOWN", fid_name(fid));
	if (fid == RMI_VERSION)
		return; /* X0 is a status or the RMM's version (s4 RMI_VERSION) */
	if ((x0 >> 16) != 0 || st > RMI_ERROR_RTT ||
	    (idx != 0 && (st != RMI_ERROR_RTT || (idx > 3 && idx != 0xff))))
		fz_fail("%s returned malformed X0 %#llx", fid_name(fid), (unsigned long long)x0);
}

struct smc_result fz_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5)
{
	struct smc_result res;
	char what[96];

	if (!snap_valid) {
		snap_take(&snaps[cur]);
		snap_valid = true;
	}
	res = smc_call(fid, a1, a2, a3, a4, a5, 0);
	fz.calls++;
	if (fz.verbose)
		fprintf(stderr, "  %s(%#llx, %#llx, %#llx, %#llx, %#llx) = %#llx %#llx %#llx\n",
			fid_name(fid), (unsigned long long)a1, (unsigned long long)a2,
			(unsigned long long)a3, (unsigned long long)a4, (unsigned long long)a5,
			(unsigned long long)res.x[0], (unsigned long long)res.x[1],
			(unsigned long long)res.x[2]);
	snprintf(what, sizeof(what), "%s(%#llx, %#llx, %#llx)", fid_name(fid),
		 (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3);
	check_x0(fid, res.x[0]);
	if (light) {
		snap_valid = false;
		return res;
	}
	snap_take(&snaps[cur ^ 1]);
	/* An RMI command that fails changes nothing (rmm-v1.0.md s3). */
	if (res.x[0] != rmi_pack(RMI_SUCCESS, 0) || fid_read_only(fid)) {
		fz.failures_checked++;
		snap_compare(&snaps[cur], &snaps[cur ^ 1], what);
	}
	cur ^= 1;
	fz_check_invariants(what);
	return res;
}

/* ---- Teardown through the RMI ---- */

static void teardown_entry(pa_t rd, uint64_t par_end, uint64_t ipa, int level, uint64_t *entry);

/* An RTT at level over ipa: everything below it, then the RTT itself. */
static void teardown_rtt(pa_t rd, uint64_t par_end, uint64_t ipa, int level, uint64_t rtt)
{
	uint64_t *t = platform_root_ptr(pa_of(rtt));
	struct smc_result r;

	for (unsigned int i = 0; i < S2TT_ENTRIES; i++)
		teardown_entry(rd, par_end, ipa + i * s2tt_entry_size(level), level, &t[i]);
	r = fz_call(RMI_RTT_DESTROY, rd.v, ipa, (uint64_t)level, 0, 0);
	fz_expect(r.x[0], RMI_SUCCESS, 0, "teardown RTT_DESTROY");
	if (r.x[1] != rtt)
		fz_fail("teardown: RTT_DESTROY returned %#llx, not the RTT %#llx",
			(unsigned long long)r.x[1], (unsigned long long)rtt);
}

/* An ASSIGNED block in PAR: unfold it with a spare granule (RTT_CREATE). */
static void teardown_unfold(pa_t rd, uint64_t ipa, int level)
{
	for (unsigned int i = 0; i < FZ_SPARES; i++) {
		pa_t s = pa_add(spares, i * GRANULE_SIZE);

		if (granule_get_state(find_granule(s)) != GRANULE_STATE_NS)
			continue;
		fz_expect(fz_call(RMI_GRANULE_DELEGATE, s.v, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
			  "teardown DELEGATE of a spare");
		fz_expect(fz_call(RMI_RTT_CREATE, rd.v, s.v, ipa, (uint64_t)(level + 1), 0).x[0],
			  RMI_SUCCESS, 0, "teardown RTT_CREATE (unfold)");
		return;
	}
	fz_fail("teardown: no spare granule to unfold a block at %#llx", (unsigned long long)ipa);
}

static void teardown_entry(pa_t rd, uint64_t par_end, uint64_t ipa, int level, uint64_t *entry)
{
	uint64_t e = s2tte_read(entry);

	if (ipa < par_end && level < S2TT_PAGE_LEVEL && s2tte_is_assigned(e, level)) {
		teardown_unfold(rd, ipa, level);
		e = s2tte_read(entry);
	}
	if (s2tte_is_table(e, level)) {
		teardown_rtt(rd, par_end, ipa, level + 1, s2tte_pa(e, level));
	} else if (ipa < par_end && s2tte_is_assigned(e, level)) {
		fz_expect(fz_call(RMI_DATA_DESTROY, rd.v, ipa, 0, 0, 0).x[0], RMI_SUCCESS, 0,
			  "teardown DATA_DESTROY");
	} else if (ipa >= par_end && s2tte_is_assigned_ns(e, level)) {
		fz_expect(fz_call(RMI_RTT_UNMAP_UNPROTECTED, rd.v, ipa, (uint64_t)level, 0, 0).x[0],
			  RMI_SUCCESS, 0, "teardown RTT_UNMAP_UNPROTECTED");
	}
}

static void teardown_realm(pa_t rd_pa)
{
	struct rd *rd = rd_of(find_granule(rd_pa));
	struct s2tt_ctx ctx;
	uint64_t *root, par_end;
	unsigned int n;

	s2tt_ctx_init(&ctx, rd);
	root = platform_root_ptr(pa_of(ctx.rtt_base));
	n = s2tt_root_entries(&ctx);
	par_end = 1ULL << (ctx.s2sz - 1);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t ipa = (uint64_t)i * s2tt_entry_size(ctx.start_level);

		if (ipa >= (1ULL << ctx.s2sz))
			break;
		teardown_entry(rd_pa, par_end, ipa, ctx.start_level, &root[i]);
	}
	fz_expect(fz_call(RMI_REALM_DESTROY, rd_pa.v, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
		  "teardown REALM_DESTROY");
}

/* Every granule in state st gets cmd(pa), which must succeed. */
static void teardown_each(enum granule_state st, uint64_t fid, const char *what)
{
	uint64_t n = granules_count();

	for (uint64_t i = 0; i < n; i++) {
		struct granule *g = granule_at(i);

		if (granule_get_state(g) == st)
			fz_expect(fz_call(fid, granule_addr(g).v, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
				  what);
	}
}

void fz_teardown(void)
{
	pa_t rds[64];
	size_t nrd;

	el3_inject_gtsi_failures(0);
	/* Every step must succeed (X0 checked); the state is checked at the end. */
	light = true;
	teardown_each(GRANULE_STATE_REC, RMI_REC_DESTROY, "teardown REC_DESTROY");
	nrd = realm_registry_snapshot(rds, 64);
	if (nrd > 64)
		fz_fail("teardown: %zu realms", nrd);
	for (size_t i = 0; i < nrd; i++)
		teardown_realm(rds[i]);
	teardown_each(GRANULE_STATE_DELEGATED, RMI_GRANULE_UNDELEGATE, "teardown UNDELEGATE");
	light = false;
	/* Nothing lost: every granule is the host's again, and readable by it. */
	for (uint64_t i = 0; i < granules_count(); i++) {
		struct granule *g = granule_at(i);

		if (granule_get_state(g) != GRANULE_STATE_NS)
			fz_fail("teardown: granule %#llx left in state %s",
				(unsigned long long)granule_addr(g).v,
				granule_state_name(granule_get_state(g)));
	}
	for (unsigned int i = 0; i < FZ_ARENA_PAGES; i++) {
		if (platform_ns_view_probe(pa_add(fz.arena, i * GRANULE_SIZE)) != 1)
			fz_fail("teardown: the host cannot read arena granule %u", i);
	}
	if (realm_registry_snapshot(rds, 0) != 0)
		fz_fail("teardown: a realm is still registered");
	fz_check_invariants("teardown");
	snap_valid = false;
}
