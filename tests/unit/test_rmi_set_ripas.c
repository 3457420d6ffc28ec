/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_RTT_SET_RIPAS (rmm-v1.0.md s11.1, s11.3, s12.4; failure-conditions
 * s2.17, s5.6; post-tag fix 62ece7d0, rmm-v1.0.md s0). The requests are
 * real: each REC is entered onto a CPU engine and calls RSI_IPA_STATE_SET
 * through rsi_handle() (psci_fixture.h ps_ripas_request), as the run loop
 * would.
 *
 * Realm (failure-conditions s1.3): IPA width 40, start level 0, RTTs at
 * levels 1-3 over [0, 2 MB), so that the walk for an IPA in [2 MB, 1 GB)
 * stops at level 2.
 */
#include <pthread.h>

#include "psci_fixture.h"

#define KB4 0x1000ULL
#define MB2 0x200000ULL

static struct ps_realm P;
static const bool RUNNABLE[] = { true, true, true };

static int setup(void **state)
{
	if (ps_setup(state))
		return -1;
	ps_realm_new(&P, 1, RUNNABLE, ARRAY_SIZE(RUNNABLE));
	rt_rtts(&P.r, 0, 3);
	ps_activate(&P);
	return 0;
}

static int teardown(void **state)
{
	return ps_teardown(state);
}

static struct smc_result set_ripas(uint64_t rd, uint64_t rec, uint64_t base, uint64_t top)
{
	return smc_call(RMI_RTT_SET_RIPAS, rd, rec, base, top, 0, 0);
}

static uint64_t set_ripas_x0(uint64_t rd, uint64_t rec, uint64_t base, uint64_t top)
{
	return set_ripas(rd, rec, base, top).x[0];
}

/* The level-3 entry at ipa reads as (state, ripas) and keeps `pa` if ASSIGNED. */
static void assert_page(uint64_t ipa, unsigned int state, uint64_t pa, unsigned int ripas)
{
	rt_assert_entry(&P.r, ipa, 3, 3, state, state == RMI_ASSIGNED ? pa : 0, ripas);
}

/* After a failure: the request as it was, the pages [0, top) still UNASSIGNED/EMPTY. */
static void assert_unchanged(pa_t rec, const struct rec_ripas_change *req, uint64_t top)
{
	assert_memory_equal(&fx_rec(rec)->ripas, req, sizeof(*req));
	for (uint64_t a = 0; a < top; a += KB4)
		assert_page(a, RMI_UNASSIGNED, 0, RMI_EMPTY);
}

/*
 * failure-conditions s2.17 base_align and no_progress: REC 1 requested
 * [2 MB + 4 KB, 6 MB), REC 2 [2 MB, 6 MB); the walk stops at level 2.
 */
static void assert_walk_rows(uint64_t rd)
{
	/* base_align: REC 1 at 2 MB + 4 KB, walk at level 2. */
	rt_expect(set_ripas_x0(rd, P.rec[1].v, MB2 + KB4, 2 * MB2), RMI_ERROR_RTT, 2, "base_align");
	/* Also when the block would fit below top: it starts below base. */
	rt_expect(set_ripas_x0(rd, P.rec[1].v, MB2 + KB4, 3 * MB2), RMI_ERROR_RTT, 2,
		  "base_align, top beyond the block");
	assert_int_equal(fx_rec(P.rec[1])->ripas.addr, MB2 + KB4);
	rt_assert_entry(&P.r, MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* no_progress: REC 2 at 2 MB, top = base + 4 KB, walk at level 2. */
	rt_expect(set_ripas_x0(rd, P.rec[2].v, MB2, MB2 + KB4), RMI_ERROR_RTT, 2, "no_progress");
	assert_int_equal(fx_rec(P.rec[2])->ripas.addr, MB2);
	rt_assert_entry(&P.r, MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
}

/*
 * failure-conditions s2.17: every row, and after each the request and the
 * RTT entries as they were. REC 0 requests [0, 16 KB) -> RAM
 * (NO_CHANGE_DESTROYED); REC 1 [2 MB + 4 KB, 4 MB) -> RAM (base_align);
 * REC 2 [2 MB, 6 MB) -> RAM (no_progress).
 */
static void test_failure_rows(void **state)
{
	const uint64_t rd = P.r.rd.v, rec0 = P.rec[0].v, top = 4 * KB4;
	struct rec_ripas_change req;
	struct rt_bad_set bad;
	struct ps_run run;

	(void)state;
	rt_bad_init(&bad);
	ps_ripas_request(&P, P.rec[0], 0, top, RSI_RIPAS_RAM, RSI_NO_CHANGE_DESTROYED);
	ps_ripas_request(&P, P.rec[1], MB2 + KB4, 3 * MB2, RSI_RIPAS_RAM, 0);
	ps_ripas_request(&P, P.rec[2], MB2, 3 * MB2, RSI_RIPAS_RAM, 0);
	req = fx_rec(P.rec[0])->ripas;
#define ROW(x0, status, label)                         \
	do {                                           \
		rt_expect((x0), (status), 0, (label)); \
		assert_unchanged(P.rec[0], &req, top); \
	} while (0)
	/* rd_* (the RD of another realm is rec_owner, below). */
	ROW(set_ripas_x0(rd + 1, rec0, 0, top), RMI_ERROR_INPUT, "rd_align");
	for (size_t i = 0; i < bad.n; i++) {
		if (bad.row[i].state == GRANULE_STATE_RD || bad.row[i].state == GRANULE_STATE_REC)
			continue;
		ROW(set_ripas_x0(bad.row[i].pa, rec0, 0, top), RMI_ERROR_INPUT, bad.row[i].label);
		ROW(set_ripas_x0(rd, bad.row[i].pa, 0, top), RMI_ERROR_INPUT, bad.row[i].label);
	}
	ROW(set_ripas_x0(rd, rec0 + 1, 0, top), RMI_ERROR_INPUT, "rec_align");
	ROW(set_ripas_x0(rd, rd, 0, top), RMI_ERROR_INPUT, "rec_gran_state: the RD itself");
	ROW(set_ripas_x0(rd, bad.other.rd.v, 0, top), RMI_ERROR_INPUT, "rec_gran_state: an RD");
	ROW(set_ripas_x0(bad.other.rd.v, rec0, 0, top), RMI_ERROR_REC, "rec_owner: other rd");
	ROW(set_ripas_x0(rd, bad.rec.v, 0, top), RMI_ERROR_REC, "rec_owner: other REC");
	ROW(set_ripas_x0(rd, rec0, 0, 0), RMI_ERROR_INPUT, "size_valid: top == base");
	ROW(set_ripas_x0(rd, rec0, KB4, KB4), RMI_ERROR_INPUT, "size_valid: top == base");
	ROW(set_ripas_x0(rd, rec0, 2 * KB4, KB4), RMI_ERROR_INPUT, "size_valid: top < base");
	ROW(set_ripas_x0(rd, rec0, KB4, top), RMI_ERROR_INPUT, "base_bound: base + 4 KB");
	ROW(set_ripas_x0(rd, rec0, 1, top), RMI_ERROR_INPUT, "base_bound: base + 1");
	ROW(set_ripas_x0(rd, rec0, 0, top + KB4), RMI_ERROR_INPUT, "top_bound");
	ROW(set_ripas_x0(rd, rec0, 0, top - KB4 / 2), RMI_ERROR_INPUT, "top_gran_align");
	ROW(set_ripas_x0(rd, rec0, 0, 1), RMI_ERROR_INPUT, "top_gran_align: 1");
	/* TF-RMM: the REC is running. */
	ps_enter(&run, &P, P.rec[0]);
	rt_expect(set_ripas_x0(rd, rec0, 0, top), RMI_ERROR_REC, 0, "running");
	ps_leave(&run);
	assert_unchanged(P.rec[0], &req, top);
	/* No request pending: a REC of another realm's own rd. */
	rt_expect(set_ripas_x0(bad.other.rd.v, bad.rec.v, 0, KB4), RMI_ERROR_INPUT, 0,
		  "no request pending");
#undef ROW
	assert_walk_rows(rd);
	/* Positive observability, then negative (failure-conditions s1.5). */
	assert_rmi(set_ripas_x0(rd, rec0, 0, top), RMI_SUCCESS, 0);
	for (uint64_t a = 0; a < top; a += KB4)
		assert_page(a, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_expect(set_ripas_x0(rd, rec0, 0, top), RMI_ERROR_INPUT, 0, "again: base_bound");
	rt_bad_fini(&bad);
}

/*
 * failure-conditions s2.17 priority rows and reference order, where two
 * conditions hold and the codes differ.
 */
static void test_failure_priority(void **state)
{
	const uint64_t rd = P.r.rd.v;
	struct rt_bad_set bad;
	struct ps_run run;

	(void)state;
	rt_bad_init(&bad);
	ps_ripas_request(&P, P.rec[0], 0, 4 * KB4, RSI_RIPAS_RAM, 0);
	ps_ripas_request(&P, P.rec[1], MB2 + KB4, 2 * MB2, RSI_RIPAS_RAM, 0);
	ps_ripas_request(&P, P.rec[2], MB2, 3 * MB2, RSI_RIPAS_RAM, 0);
	/* Priority row: base_bound beats base_align (base + 2 KB). */
	rt_expect(set_ripas_x0(rd, P.rec[1].v, MB2 + KB4 + KB4 / 2, 2 * MB2), RMI_ERROR_INPUT, 0,
		  "base_bound vs base_align");
	/* Priority row: top_gran_align beats no_progress (top = base + 2 KB). */
	rt_expect(set_ripas_x0(rd, P.rec[2].v, MB2, MB2 + KB4 / 2), RMI_ERROR_INPUT, 0,
		  "top_gran_align vs no_progress");
	/* Post-tag fix: top checks come before any granule (rec_owner, running). */
	rt_expect(set_ripas_x0(rd, bad.rec.v, 0, KB4 / 2), RMI_ERROR_INPUT, 0,
		  "top_gran_align vs rec_owner");
	rt_expect(set_ripas_x0(rd, bad.rec.v, KB4, KB4), RMI_ERROR_INPUT, 0,
		  "size_valid vs rec_owner");
	/* rec_owner and running come before base/top against the request. */
	rt_expect(set_ripas_x0(rd, bad.rec.v, 0x123000, 0x200000), RMI_ERROR_REC, 0,
		  "rec_owner vs base_bound");
	ps_enter(&run, &P, P.rec[0]);
	rt_expect(set_ripas_x0(rd, P.rec[0].v, 0, 3 * KB4 + KB4 / 2), RMI_ERROR_INPUT, 0,
		  "top_gran_align vs running");
	rt_expect(set_ripas_x0(rd, P.rec[0].v, KB4, 4 * KB4), RMI_ERROR_REC, 0,
		  "running vs base_bound");
	rt_expect(set_ripas_x0(rd + 1, P.rec[0].v, 0, 4 * KB4), RMI_ERROR_INPUT, 0,
		  "rd_align vs running");
	ps_leave(&run);
	/* rd_state (another realm's RD) with a REC of that realm: rec_owner does not apply. */
	rt_expect(set_ripas_x0(bad.other.rd.v, P.rec[0].v, KB4, 4 * KB4), RMI_ERROR_REC, 0,
		  "rec_owner vs base_bound, RD side");
	assert_int_equal(fx_rec(P.rec[0])->ripas.addr, 0);
	rt_bad_fini(&bad);
}

/*
 * rmm-v1.0.md s11.1 RTT_SET_RIPAS rows. Page layout built in a NEW realm:
 * 0 UNASSIGNED/EMPTY, 1 UNASSIGNED/RAM, 2 ASSIGNED/EMPTY, 3 ASSIGNED/RAM,
 * 4 UNASSIGNED/DESTROYED, 5 ASSIGNED/DESTROYED.
 */
struct layout {
	struct ps_realm p;
	pa_t l3, data[6];
};

static void layout_build(struct layout *l, uint16_t vmid)
{
	struct ps_realm *p = &l->p;

	ps_realm_new(p, vmid, RUNNABLE, 1);
	rt_rtts(&p->r, 0, 3);
	l->l3 = pa_of(rt_read(&p->r, 0, 2).x[3]);
	for (unsigned int i = 2; i < 6; i++)
		l->data[i] = fx_delegated();
	assert_rmi(rt_init_ripas(&p->r, 1 * KB4, 2 * KB4).x[0], RMI_SUCCESS, 0);
	assert_rmi(rt_init_ripas(&p->r, 3 * KB4, 6 * KB4).x[0], RMI_SUCCESS, 0);
	for (unsigned int i = 2; i < 6; i++)
		assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, p->r.rd.v, l->data[i].v, i * KB4, 0),
			   RMI_SUCCESS, 0);
	/* s11.1 DATA_DESTROY of ASSIGNED/RAM -> UNASSIGNED/DESTROYED. */
	for (unsigned int i = 4; i < 6; i++) {
		struct smc_result d = smc_call(RMI_DATA_DESTROY, p->r.rd.v, i * KB4, 0, 0, 0, 0);

		assert_rmi(d.x[0], RMI_SUCCESS, 0);
		assert_int_equal(d.x[1], l->data[i].v);
	}
	/* s11.1 DATA_CREATE_UNKNOWN keeps DESTROYED. */
	assert_rmi(rt_x0(RMI_DATA_CREATE_UNKNOWN, p->r.rd.v, l->data[5].v, 5 * KB4, 0), RMI_SUCCESS,
		   0);
	ps_activate(p);
}

static void layout_assert(const struct layout *l, unsigned int i, unsigned int ripas)
{
	bool assigned = i == 2 || i == 3 || i == 5;

	rt_assert_entry(&l->p.r, i * KB4, 3, 3, assigned ? RMI_ASSIGNED : RMI_UNASSIGNED,
			assigned ? l->data[i].v : 0, ripas);
}

static void test_transitions(void **state)
{
	static const unsigned int before[6] = { RMI_EMPTY, RMI_RAM,	  RMI_EMPTY,
						RMI_RAM,   RMI_DESTROYED, RMI_DESTROYED };

	(void)state;
	for (unsigned int c = 0; c < 4; c++) {
		unsigned int ripas = c & 1 ? RMI_RAM : RMI_EMPTY;
		bool destroyed = c >= 2;
		struct rt_tlbi_log log = { 0 };
		uint64_t done = destroyed ? 6 * KB4 : 4 * KB4, *l3;
		struct smc_result res;
		struct layout l;
		unsigned int rc;

		layout_build(&l, (uint16_t)(20 + c));
		for (unsigned int i = 0; i < 6; i++)
			layout_assert(&l, i, before[i]);
		rc = fx_refcount(l.l3);
		ps_ripas_request(&l.p, l.p.rec[0], 0, 6 * KB4, ripas, destroyed);
		assert_int_equal(platform_register_tlbi(rt_tlbi_cb, &log), 0);
		res = set_ripas(l.p.r.rd.v, l.p.rec[0].v, 0, 6 * KB4);
		assert_int_equal(platform_unregister_tlbi(rt_tlbi_cb, &log), 0);
		/* s11.3 step 5: DESTROYED stops the loop without CHANGE_DESTROYED. */
		assert_rmi(res.x[0], RMI_SUCCESS, 0);
		assert_int_equal(res.x[1], done);
		assert_int_equal(fx_rec(l.p.rec[0])->ripas.addr, done);
		for (unsigned int i = 0; i < 6; i++)
			layout_assert(&l, i, i * KB4 < done ? ripas : before[i]);
		/* ASSIGNED/RAM is the only valid mapping; the OA is kept. */
		l3 = rt_table(l.l3);
		assert_int_equal(l3[2] & S2TTE_VALID, ripas == RMI_RAM ? S2TTE_VALID : 0);
		assert_int_equal(l3[3] & S2TTE_VALID, ripas == RMI_RAM ? S2TTE_VALID : 0);
		assert_int_equal(l3[5] & S2TTE_VALID, destroyed && ripas == RMI_RAM ? 1 : 0);
		/* s11.1 "TLB invalidated" when a valid mapping went away (page 3, to EMPTY). */
		if (ripas == RMI_EMPTY) {
			assert_true(atomic_load(&log.count) >= 1);
			assert_int_equal(atomic_load(&log.last_vmid), 20 + c);
		} else {
			/* Invalid -> valid needs no TLBI (no valid mapping removed). */
			assert_int_equal(atomic_load(&log.count), 0);
		}
		/* HIPAS is unchanged, so is every reference count (s16.3). */
		assert_int_equal(fx_refcount(l.l3), rc);
		for (unsigned int i = 2; i < 6; i++)
			assert_int_equal(fx_state(l.data[i]),
					 i == 4 ? GRANULE_STATE_DELEGATED : GRANULE_STATE_DATA);
		if (!destroyed) {
			/* The rest starts on a DESTROYED entry: no progress, (E_RTT, 3). */
			rt_expect(set_ripas_x0(l.p.r.rd.v, l.p.rec[0].v, done, 6 * KB4),
				  RMI_ERROR_RTT, 3, "DESTROYED without CHANGE_DESTROYED");
			assert_int_equal(fx_rec(l.p.rec[0])->ripas.addr, done);
		}
	}
}

/*
 * s11.3 steps 4-6 and s12.4 step 2: progress kept in the REC and returned in
 * X1; entries already in the requested RIPAS count as progress; the host
 * may apply the range in pieces, each starting at the progress address.
 */
static void test_progress(void **state)
{
	const uint64_t rd = P.r.rd.v, rec0 = P.rec[0].v;
	struct smc_result res;

	(void)state;
	/* Pages 0..3 are EMPTY already: a request to EMPTY progresses over them. */
	ps_ripas_request(&P, P.rec[0], 0, 4 * KB4, RSI_RIPAS_EMPTY, 0);
	res = set_ripas(rd, rec0, 0, KB4);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], KB4);
	rt_expect(set_ripas_x0(rd, rec0, 0, 2 * KB4), RMI_ERROR_INPUT, 0, "old base");
	res = set_ripas(rd, rec0, KB4, 4 * KB4);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 4 * KB4);
	rt_expect(set_ripas_x0(rd, rec0, 4 * KB4, 5 * KB4), RMI_ERROR_INPUT, 0, "past the request");
	/* The request itself stays for REC_ENTER to report (s11.3). */
	assert_int_equal(fx_rec(P.rec[0])->ripas.base, 0);
	assert_int_equal(fx_rec(P.rec[0])->ripas.top, 4 * KB4);
	assert_int_equal(fx_rec(P.rec[0])->ripas.addr, 4 * KB4);
	for (uint64_t a = 0; a < 4 * KB4; a += KB4)
		assert_page(a, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* A new request after REC_ENTER cleared the old one: to RAM, page by page. */
	ps_ripas_clear(P.rec[0]);
	ps_ripas_request(&P, P.rec[0], 0, 4 * KB4, RSI_RIPAS_RAM, 0);
	for (uint64_t a = 0; a < 4 * KB4; a += KB4) {
		res = set_ripas(rd, rec0, a, a + KB4);
		assert_rmi(res.x[0], RMI_SUCCESS, 0);
		assert_int_equal(res.x[1], a + KB4);
		assert_page(a, RMI_UNASSIGNED, 0, RMI_RAM);
		if (a + KB4 < 4 * KB4)
			assert_page(a + KB4, RMI_UNASSIGNED, 0, RMI_EMPTY);
	}
}

/*
 * s11.3 steps 4-5: the walk level decides the unit; a block entry that
 * ends beyond top gives no progress until the host creates the next RTT;
 * the loop never leaves the RTT the walk reached, and stops at a TABLE.
 */
static void test_levels(void **state)
{
	const uint64_t rd = P.r.rd.v;
	struct smc_result res;

	(void)state;
	/* Two level-2 blocks in one call. */
	ps_ripas_request(&P, P.rec[0], MB2, 3 * MB2, RSI_RIPAS_RAM, 0);
	res = set_ripas(rd, P.rec[0].v, MB2, 3 * MB2);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 3 * MB2);
	rt_assert_entry(&P.r, MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&P.r, 2 * MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&P.r, 3 * MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);

	/* Across the end of the level-3 RTT over [0, 2 MB): stops at 2 MB. */
	ps_ripas_request(&P, P.rec[1], MB2 - 2 * KB4, 4 * MB2 + 2 * KB4, RSI_RIPAS_RAM, 0);
	res = set_ripas(rd, P.rec[1].v, MB2 - 2 * KB4, 4 * MB2 + 2 * KB4);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], MB2);
	/* Level 2: two blocks RAM already, one changed, then one that ends beyond top... */
	res = set_ripas(rd, P.rec[1].v, MB2, 4 * MB2 + 2 * KB4);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 4 * MB2);
	rt_assert_entry(&P.r, 3 * MB2, 3, 2, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_expect(set_ripas_x0(rd, P.rec[1].v, 4 * MB2, 4 * MB2 + 2 * KB4), RMI_ERROR_RTT, 2,
		  "block beyond top");
	/* ... until the host creates the level-3 RTT (s12.4 step 2). */
	rt_rtts(&P.r, 4 * MB2, 3);
	res = set_ripas(rd, P.rec[1].v, 4 * MB2, 4 * MB2 + 2 * KB4);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 4 * MB2 + 2 * KB4);
	rt_assert_entry(&P.r, 4 * MB2 + KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&P.r, 4 * MB2 + 2 * KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);

	/* A TABLE entry stops a level-2 scan: blocks 1..3 change, entry 4 is the new RTT. */
	ps_ripas_request(&P, P.rec[2], MB2, 5 * MB2, RSI_RIPAS_EMPTY, 0);
	res = set_ripas(rd, P.rec[2].v, MB2, 5 * MB2);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 4 * MB2);
	for (uint64_t a = MB2; a < 4 * MB2; a += MB2)
		rt_assert_entry(&P.r, a, 3, 2, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_assert_entry(&P.r, 4 * MB2 + KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	/* The host goes on in that RTT: all of it up to its end. */
	res = set_ripas(rd, P.rec[2].v, 4 * MB2, 5 * MB2);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 5 * MB2);
	rt_assert_entry(&P.r, 4 * MB2 + KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
}

/*
 * s11.3 step 5 with concatenated roots (s2tt.h: "one RTT" is the 4 KB root
 * table holding the entry): s2sz 41, start level 1, 4 roots; the PAR
 * [0, 1 TB) spans roots 0 and 1, so a level-1 scan from 511 GB stops at
 * 512 GB, the end of root 0.
 */
static void test_root_level(void **state)
{
	const uint64_t gb = 1ULL << 30;
	struct ps_realm q;
	struct smc_result res;

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_rmi(rt_realm_create_geo(&q.r, 41, 1, 4, 7), RMI_SUCCESS, 0);
	ps_rec_create(&q, RMI_REC_PARAMS_FLAG_RUNNABLE);
	ps_activate(&q);
	ps_ripas_request(&q, q.rec[0], 511 * gb, 513 * gb, RSI_RIPAS_RAM, 0);
	res = set_ripas(q.r.rd.v, q.rec[0].v, 511 * gb, 513 * gb);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 512 * gb);
	rt_assert_entry(&q.r, 511 * gb, 3, 1, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&q.r, 512 * gb, 3, 1, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* The host goes on in root 1. */
	res = set_ripas(q.r.rd.v, q.rec[0].v, 512 * gb, 513 * gb);
	assert_rmi(res.x[0], RMI_SUCCESS, 0);
	assert_int_equal(res.x[1], 513 * gb);
	rt_assert_entry(&q.r, 512 * gb, 3, 1, RMI_UNASSIGNED, 0, RMI_RAM);
}

/*
 * Concurrency (s16.2): two host threads apply two RECs' requests page by
 * page in the same level-3 RTT while a third completes PSCI requests of
 * other RECs; every lock is taken in the documented order (TSan run).
 */
struct worker {
	uint64_t rd, rec, base, top;
};

static void *ripas_worker(void *arg)
{
	const struct worker *w = arg;

	for (uint64_t a = w->base; a < w->top; a += KB4) {
		if (set_ripas_x0(w->rd, w->rec, a, a + KB4) != rmi_pack(RMI_SUCCESS, 0))
			return (void *)1;
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	struct worker w[2] = {
		{ P.r.rd.v, P.rec[0].v, 0, 64 * KB4 },
		{ P.r.rd.v, P.rec[1].v, 64 * KB4, 128 * KB4 },
	};
	pthread_t t[2];
	void *ret;

	(void)state;
	ps_ripas_request(&P, P.rec[0], w[0].base, w[0].top, RSI_RIPAS_RAM, 0);
	ps_ripas_request(&P, P.rec[1], w[1].base, w[1].top, RSI_RIPAS_RAM, 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, ripas_worker, &w[i]), 0);
	/* Meanwhile REC 2 asks about REC 0 and the host answers, repeatedly. */
	for (int n = 0; n < 32; n++) {
		ps_request(&P, P.rec[2], PSCI_AFFINITY_INFO_64, ps_mpidr(0), 0, 0);
		assert_rmi(rt_x0(RMI_PSCI_COMPLETE, P.rec[2].v, P.rec[0].v, 0, 0), RMI_SUCCESS, 0);
		assert_int_equal(fx_rec(P.rec[2])->gprs[0], PSCI_AFFINITY_ON);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_null(ret);
	}
	for (uint64_t a = 0; a < 128 * KB4; a += KB4)
		assert_page(a, RMI_UNASSIGNED, 0, RMI_RAM);
	assert_int_equal(fx_rec(P.rec[0])->ripas.addr, w[0].top);
	assert_int_equal(fx_rec(P.rec[1])->ripas.addr, w[1].top);
}

/*
 * failure-conditions s5.6 / rmm-v1.0.md s12.4 end to end with REC_ENTER (the
 * ACS examples): INIT_RIPAS(RAM) on 12 KB, activate; each REC runs the code
 * below (aarch64-linux-gnu-as), calling IPA_STATE_SET with X0..X4 from its
 * REC params, copying the result X0..X2 to X10..X12 and exiting with
 * CPU_SUSPEND.
 */
#define FLOW_CODE 0x10000ULL
#define FLOW_BASE 0x20000ULL

static const uint32_t flow_code[] = {
	0xd4000003, /* smc #0 (RSI_IPA_STATE_SET) */
	0xaa0003ea, /* mov x10, x0 */
	0xaa0103eb, /* mov x11, x1 */
	0xaa0203ec, /* mov x12, x2 */
	0xd2800020, /* mov x0, #1 */
	0xf2b08000, /* movk x0, #0x8400, lsl #16 */
	0xd4000003, /* smc #0 (CPU_SUSPEND_32) */
	0x14000000, /* b . */
};

/* A REC calling IPA_STATE_SET(base, top, ripas, flags). */
static pa_t flow_rec(struct ps_realm *q, uint64_t base, uint64_t top, uint64_t ripas)
{
	const uint64_t x[8] = { RSI_IPA_STATE_SET, base, top, ripas, 0, 0, 0, 0 };

	return ps_rec_create_at(q, RMI_REC_PARAMS_FLAG_RUNNABLE, FLOW_CODE, x);
}

/* REC_ENTER with enter.flags; the REC must exit with exit_reason. */
static void flow_enter(pa_t rec, pa_t run, uint64_t flags, uint64_t exit_reason)
{
	struct rmi_rec_run *r = platform_ns_ptr(run);

	r->enter.flags = flags;
	assert_rmi(rt_x0(RMI_REC_ENTER, rec.v, run.v, 0, 0), RMI_SUCCESS, 0);
	assert_int_equal(r->exit.exit_reason, exit_reason);
}

static void assert_realm_result(pa_t rec, uint64_t x1, uint64_t x2)
{
	assert_int_equal(fx_rec(rec)->gprs[10], RSI_SUCCESS);
	assert_int_equal(fx_rec(rec)->gprs[11], x1);
	assert_int_equal(fx_rec(rec)->gprs[12], x2);
}

static void test_flow_rec_enter(void **state)
{
	const uint64_t base = FLOW_BASE, top = FLOW_BASE + 3 * KB4;
	pa_t src = fx_ns(), data = fx_delegated(), run = fx_ns();
	struct rmi_rec_run *r = platform_ns_ptr(run);
	struct ps_realm q;

	(void)state;
	memset(&q, 0, sizeof(q));
	rt_realm_create(&q.r, 3);
	rt_rtts(&q.r, FLOW_CODE, 3);
	memcpy(platform_ns_ptr(src), flow_code, sizeof(flow_code));
	assert_rmi(smc_call(RMI_DATA_CREATE, q.r.rd.v, data.v, FLOW_CODE, src.v,
			    RMI_NO_MEASURE_CONTENT, 0)
			   .x[0],
		   RMI_SUCCESS, 0);
	assert_rmi(rt_init_ripas(&q.r, base, top).x[0], RMI_SUCCESS, 0);
	flow_rec(&q, base, top, RSI_RIPAS_EMPTY);
	flow_rec(&q, base, top, RSI_RIPAS_RAM);
	flow_rec(&q, base + KB4, top, RSI_RIPAS_RAM);
	ps_activate(&q);

	/* The host applies all 12 KB: X1 = base + 12 KB, ACCEPT. */
	flow_enter(q.rec[0], run, 0, RMI_EXIT_RIPAS_CHANGE);
	assert_int_equal(r->exit.ripas_base, base);
	assert_int_equal(r->exit.ripas_top, top);
	assert_int_equal(r->exit.ripas_value, RMI_EMPTY);
	assert_rmi(set_ripas_x0(q.r.rd.v, q.rec[0].v, base, top), RMI_SUCCESS, 0);
	flow_enter(q.rec[0], run, 0, RMI_EXIT_PSCI);
	assert_realm_result(q.rec[0], top, RSI_ACCEPT);
	for (uint64_t a = base; a < top; a += KB4)
		rt_assert_entry(&q.r, a, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	/* The request is gone: SET_RIPAS has nothing to apply. */
	rt_expect(set_ripas_x0(q.r.rd.v, q.rec[0].v, top, top + KB4), RMI_ERROR_INPUT, 0,
		  "request completed");

	/* Back to RAM, the host applies 4 KB only: X1 = base + 4 KB, ACCEPT. */
	flow_enter(q.rec[1], run, 0, RMI_EXIT_RIPAS_CHANGE);
	assert_rmi(set_ripas_x0(q.r.rd.v, q.rec[1].v, base, base + KB4), RMI_SUCCESS, 0);
	flow_enter(q.rec[1], run, 0, RMI_EXIT_PSCI);
	assert_realm_result(q.rec[1], base + KB4, RSI_ACCEPT);

	/* The rest to RAM, no SET_RIPAS and REJECT: X1 = base, nothing changed. */
	flow_enter(q.rec[2], run, 0, RMI_EXIT_RIPAS_CHANGE);
	flow_enter(q.rec[2], run, REC_ENTER_FLAG_RIPAS_RESPONSE, RMI_EXIT_PSCI);
	assert_realm_result(q.rec[2], base + KB4, RSI_REJECT);
	rt_assert_entry(&q.r, base, 3, 3, RMI_UNASSIGNED, 0, RMI_RAM);
	rt_assert_entry(&q.r, base + KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	rt_assert_entry(&q.r, base + 2 * KB4, 3, 3, RMI_UNASSIGNED, 0, RMI_EMPTY);
	host_page_free(src);
	ps_realm_teardown(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failure_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transitions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_rec_enter, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
