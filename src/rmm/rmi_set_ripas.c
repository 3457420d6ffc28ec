/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_RTT_SET_RIPAS(rd, rec, base, top): the host applies part of the RIPAS
 * change a REC requested with RSI_IPA_STATE_SET (rmm-v1.0.md s11.1, s11.3,
 * s12.4; failure-conditions s2.17, s5.6), with the post-tag fix 62ece7d0
 * (rmm-v1.0.md s0: `top` not 4 KB aligned is E_INPUT, checked with
 * `top <= base` before any granule).
 *
 * The request lives in the REC (rec.h struct rec_ripas_change): RSI records
 * {base, top, addr = base, ripas, change_destroyed}; each successful call
 * here moves rec->ripas.addr (the progress) forward; the next REC_ENTER
 * reports it to the realm and clears the request.
 *
 * Locks (s16.2): rd and rec (external) in ascending PA order, then the RTTs
 * root to leaf, hand over hand; all are held until the end. Only RIPAS
 * changes: HIPAS, and so every RTT's reference count, stays as it is.
 */
#include <assert.h>

#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "realm.h"
#include "rec.h"
#include "rmm_priv.h"
#include "s2tt.h"

/* What the RIPAS change did to one RTT entry. */
enum ripas_step {
	RIPAS_STEP_STOP,  /* entry not changeable: the loop stops before it */
	RIPAS_STEP_DONE,  /* entry now has the requested RIPAS (or had it already) */
	RIPAS_STEP_UNMAP, /* done, and a valid mapping was removed: TLBI needed */
};

/*
 * The entry `e` at `level` with the requested RIPAS, following the table of
 * rmm-v1.0.md s11.1 (RTT_SET_RIPAS rows). *out receives the new entry.
 * DESTROYED entries change only with CHANGE_DESTROYED; entries without a
 * RIPAS (TABLE) stop the loop; an entry that already has the requested
 * RIPAS counts as progress (s11.3 step 5) and is left as it is.
 */
static enum ripas_step ripas_change_entry(uint64_t e, int level, unsigned int ripas,
					  bool change_destroyed, uint64_t *out)
{
	bool assigned = s2tte_is_assigned(e, level);

	*out = e;
	if (!assigned && !s2tte_is_unassigned(e))
		return RIPAS_STEP_STOP;
	if (s2tte_get_ripas(e) == ripas)
		return RIPAS_STEP_DONE;
	if (s2tte_get_ripas(e) == RMI_DESTROYED && !change_destroyed)
		return RIPAS_STEP_STOP;
	if (!assigned) {
		*out = s2tte_create_unassigned(ripas);
		return RIPAS_STEP_DONE;
	}
	/* ASSIGNED keeps its output address; RAM is valid, EMPTY invalid. */
	*out = s2tte_create_assigned(s2tte_pa(e, level), level, ripas);
	return s2tte_is_assigned_ram(e, level) ? RIPAS_STEP_UNMAP : RIPAS_STEP_DONE;
}

/*
 * rmm-v1.0.md s11.3 step 5: from base's entry, every entry of that one RTT
 * whose range ends at or below top gets the requested RIPAS, until an entry
 * that cannot change. Returns the end of the last entry processed (base if
 * none). Invalidates the TLBs before the RTT is unlocked when a valid
 * mapping was removed (s11.1 "TLB invalidated").
 */
static uint64_t ripas_change_scan(const struct s2tt_ctx *ctx, const struct s2tt_walk *wi,
				  const struct rec_ripas_change *req, uint64_t base, uint64_t top)
{
	uint64_t *table = s2tt_table(wi->g_llt);
	uint64_t size = s2tt_entry_size(wi->level), addr = base;
	unsigned int end = s2tt_rtt_end_index(ctx, wi);
	bool tlbi = false;

	for (unsigned int i = wi->index; i < end && addr + size <= top; i++) {
		uint64_t e = s2tte_read(&table[i]), ne;
		enum ripas_step step =
			ripas_change_entry(e, wi->level, req->ripas, req->change_destroyed, &ne);

		if (step == RIPAS_STEP_STOP)
			break;
		if (ne != e)
			s2tte_write(&table[i], ne);
		tlbi |= step == RIPAS_STEP_UNMAP;
		addr += size;
	}
	if (tlbi)
		s2tt_invalidate(ctx, base, addr - base);
	return addr;
}

/*
 * With rd and rec locked, the REC not running and owned by rd, and base /
 * top inside the request: walks and changes (s11.3 steps 4-6). Returns the
 * packed status; on SUCCESS *done is the new progress address.
 */
static uint64_t ripas_change_apply(struct rd *rd, const struct rec_ripas_change *req, uint64_t base,
				   uint64_t top, uint64_t *done)
{
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;
	uint64_t ret;

	/* RSI_IPA_STATE_SET records only EMPTY or RAM (rmm-v1.0.md s2). */
	assert(req->ripas == RMI_EMPTY || req->ripas == RMI_RAM);
	s2tt_ctx_init(&ctx, rd);
	s2tt_walk_lock_unlock(&ctx, s2tt_lock_root(&ctx), base, S2TT_PAGE_LEVEL, &wi);
	/* s11.3 step 4 (failure-conditions s2.17 base_align). */
	if (!s2tt_addr_level_aligned(base, wi.level)) {
		ret = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
		goto out_unlock_llt;
	}
	*done = ripas_change_scan(&ctx, &wi, req, base, top);
	/* s11.3 step 6 (s2.17 no_progress). */
	if (*done > base)
		ret = rmi_ret(RMI_SUCCESS, 0);
	else
		ret = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
out_unlock_llt:
	granule_unlock(wi.g_llt);
	return ret;
}

/*
 * failure-conditions s2.17 reference order (with the post-tag fix): top <=
 * base or top not 4 KB aligned -> E_INPUT (before any granule is checked)
 * -> rd and rec locked in address order (E_INPUT) -> REC running -> E_REC
 * -> REC's realm != rd -> E_REC -> base != progress address or top >
 * request top -> E_INPUT -> walk towards level 3 for base; base not aligned
 * to the walk level -> (E_RTT, walk level) -> no progress -> (E_RTT, walk
 * level).
 */
void smc_rtt_set_ripas(const uint64_t args[6], struct smc_result *res)
{
	uint64_t base = args[2], top = args[3], done = 0;
	struct granule *g_rd, *g_rec;
	struct rec *rec;

	/* s11.3 step 1 (size_valid, top_gran_align). */
	if (top <= base || (top & (GRANULE_SIZE - 1)) != 0) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* Step 2 (rd_*, rec_align, rec_bound, rec_gran_state; s16.2 order). */
	if (!find_lock_two_granules(pa_of(args[0]), GRANULE_STATE_RD, &g_rd, pa_of(args[1]),
				    GRANULE_STATE_REC, &g_rec)) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	rec = rec_of(g_rec);
	/* s16.3: a running REC holds a reference, read with acquire. */
	if (granule_refcount_read_acquire(g_rec) != 0) {
		res->x[0] = rmi_ret(RMI_ERROR_REC, 0);
		goto out_unlock;
	}
	/* rec_owner. */
	if (rec->rd_pa != granule_addr(g_rd).v) {
		res->x[0] = rmi_ret(RMI_ERROR_REC, 0);
		goto out_unlock;
	}
	/*
	 * Step 3 (base_bound, top_bound). Without a pending request both
	 * fields are 0 and top > 0, so this fails too.
	 */
	if (base != rec->ripas.addr || top > rec->ripas.top) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		goto out_unlock;
	}
	res->x[0] = ripas_change_apply(rd_of(g_rd), &rec->ripas, base, top, &done);
	if (res->x[0] == rmi_ret(RMI_SUCCESS, 0)) {
		rec->ripas.addr = done;
		res->x[1] = done;
	}
out_unlock:
	granule_unlock(g_rec);
	granule_unlock(g_rd);
}
