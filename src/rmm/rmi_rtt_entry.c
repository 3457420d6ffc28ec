/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RTT entry commands: RMI_RTT_READ_ENTRY, RMI_RTT_MAP_UNPROTECTED,
 * RMI_RTT_UNMAP_UNPROTECTED and RMI_RTT_INIT_RIPAS (rmm-v1.0.md s4, s8.6,
 * s11.3, s11.4, s11.6, s11.7; failure-conditions-v1.0.md s2.15, s2.16,
 * s2.21, s2.22).
 */
#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "measurement.h"
#include "realm.h"
#include "rmi_rtt.h"
#include "rmm_priv.h"
#include "s2tt.h"

/* ---- RMI_RTT_READ_ENTRY ---- */

/*
 * Reference order (failure-conditions s2.15): RD -> level in [start, 3] ->
 * ipa below 2^s2sz and aligned to the level. Never E_RTT: the walk level is
 * reported in X1. On failure X1..X4 stay zero (the dispatcher zeroes res).
 */
void smc_rtt_read_entry(const uint64_t args[6], struct smc_result *res)
{
	uint64_t ipa = args[1], e;
	int64_t level = (int64_t)args[2];
	struct granule *g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);
	struct granule *g_root;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;

	if (!g_rd || !rtt_entry_args_valid(rd_of(g_rd), ipa, level)) {
		if (g_rd)
			granule_unlock(g_rd);
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	g_root = rtt_rd_to_root(g_rd, &ctx);
	s2tt_walk_lock_unlock(&ctx, g_root, ipa, (int)level, &wi);
	e = s2tte_read(&s2tt_table(wi.g_llt)[wi.index]);
	/* s11.4: walk level, state, descriptor and RIPAS of the entry found. */
	res->x[1] = (uint64_t)(int64_t)wi.level;
	res->x[2] = s2tte_rtt_state(e, wi.level);
	res->x[3] = s2tte_read_desc(e, wi.level);
	res->x[4] = s2tte_read_ripas(e, wi.level);
	granule_unlock(wi.g_llt);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
}

/* ---- RMI_RTT_MAP_UNPROTECTED / RMI_RTT_UNMAP_UNPROTECTED ---- */

/*
 * Locks the RD and checks the map-family rules after the level (s11.2):
 * (MAP only) the host descriptor, then ipa below 2^s2sz and aligned to the
 * level, then ipa outside PAR. Returns the locked root, or NULL (E_INPUT,
 * nothing locked).
 */
static struct granule *map_cmd_lock(uint64_t rd_pa, uint64_t ipa, int level, const uint64_t *desc,
				    struct s2tt_ctx *ctx)
{
	struct granule *g_rd = find_lock_granule(pa_of(rd_pa), GRANULE_STATE_RD);
	struct rd *rd;

	if (!g_rd)
		return NULL;
	rd = rd_of(g_rd);
	if ((desc && !s2tte_host_ns_desc_valid(*desc, level, rd->lpa2)) ||
	    !rtt_ipa_valid(rd, ipa, level) || realm_ipa_in_par(rd, ipa)) {
		granule_unlock(g_rd);
		return NULL;
	}
	return rtt_rd_to_root(g_rd, ctx);
}

/*
 * Reference order (failure-conditions s2.21): level in [1, 3] -> RD ->
 * descriptor valid -> ipa below 2^s2sz and aligned -> ipa not in PAR ->
 * walk to level (short: (E_RTT, walk level)) -> entry not UNASSIGNED_NS ->
 * (E_RTT, level).
 */
void smc_rtt_map_unprotected(const uint64_t args[6], struct smc_result *res)
{
	uint64_t ipa = args[1], desc = args[3], *entry;
	int64_t level = (int64_t)args[2];
	struct granule *g_root;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;

	if (!rtt_map_level_valid(level) ||
	    !(g_root = map_cmd_lock(args[0], ipa, (int)level, &desc, &ctx))) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	s2tt_walk_lock_unlock(&ctx, g_root, ipa, (int)level, &wi);
	entry = &s2tt_table(wi.g_llt)[wi.index];
	if (wi.level != level) {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
	} else if (!s2tte_is_unassigned_ns(s2tte_read(entry))) {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, (unsigned int)level);
	} else {
		/* Invalid -> valid: no TLB maintenance needed. */
		s2tte_write(entry, s2tte_create_assigned_ns(desc, (int)level));
		res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	}
	granule_unlock(wi.g_llt);
}

/*
 * Reference order (failure-conditions s2.22): level in [1, 3] -> RD -> ipa
 * below 2^s2sz and aligned -> ipa not in PAR -> walk to level; short walk
 * or entry not ASSIGNED_NS -> (E_RTT, walk level). X1 = top (s11.7) on
 * SUCCESS and on E_RTT, 0 on E_INPUT.
 */
void smc_rtt_unmap_unprotected(const uint64_t args[6], struct smc_result *res)
{
	uint64_t ipa = args[1], *table;
	int64_t level = (int64_t)args[2];
	struct granule *g_root;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;

	if (!rtt_map_level_valid(level) ||
	    !(g_root = map_cmd_lock(args[0], ipa, (int)level, NULL, &ctx))) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	s2tt_walk_lock_unlock(&ctx, g_root, ipa, (int)level, &wi);
	table = s2tt_table(wi.g_llt);
	if (wi.level != level || !s2tte_is_assigned_ns(s2tte_read(&table[wi.index]), wi.level)) {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
	} else {
		s2tte_write(&table[wi.index], s2tte_create_unassigned_ns());
		s2tt_invalidate(&ctx, ipa, s2tt_entry_size(wi.level));
		res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	}
	res->x[1] = s2tt_skip_non_live_entries(&ctx, ipa, table, &wi);
	granule_unlock(wi.g_llt);
}

/* ---- RMI_RTT_INIT_RIPAS ---- */

/*
 * s11.3 steps 3-4 within the one RTT of wi: UNASSIGNED/EMPTY -> RAM,
 * UNASSIGNED/RAM kept, anything else stops; each processed entry (a whole
 * block for a level-1/2 entry) extends the RIM once. Returns the end of the
 * last processed entry (base if none).
 */
static uint64_t init_ripas_scan(struct rd *rd, const struct s2tt_ctx *ctx,
				const struct s2tt_walk *wi, uint64_t base, uint64_t top)
{
	uint64_t *table = s2tt_table(wi->g_llt);
	uint64_t size = s2tt_entry_size(wi->level), addr = base;
	unsigned int end = s2tt_rtt_end_index(ctx, wi);

	for (unsigned int i = wi->index; i < end && addr + size <= top; i++) {
		uint64_t e = s2tte_read(&table[i]);

		if (s2tte_is_unassigned_empty(e))
			s2tte_write(&table[i], s2tte_create_unassigned_ram());
		else if (!s2tte_is_unassigned_ram(e))
			break;
		measurement_extend_ripas(rd, addr, addr + size);
		addr += size;
	}
	return addr;
}

/* base and top 4 KB aligned and below 2^s2sz; base and top - 4 KB in PAR. */
static bool init_ripas_range_valid(const struct rd *rd, uint64_t base, uint64_t top)
{
	return rtt_ipa_valid(rd, base, S2TT_PAGE_LEVEL) &&
	       rtt_ipa_valid(rd, top, S2TT_PAGE_LEVEL) && realm_ipa_in_par(rd, base) &&
	       realm_ipa_in_par(rd, top - GRANULE_SIZE);
}

/*
 * Reference order (failure-conditions s2.16): top <= base (before the RD)
 * -> RD -> base/top alignment, bounds and PAR -> realm state != NEW ->
 * E_REALM -> walk towards level 3; base not aligned to the walk level ->
 * (E_RTT, walk level) -> no progress -> (E_RTT, walk level). The RD stays
 * locked throughout: the RIM is extended.
 */
void smc_rtt_init_ripas(const uint64_t args[6], struct smc_result *res)
{
	uint64_t base = args[1], top = args[2], done;
	struct granule *g_rd, *g_root;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;
	struct rd *rd;

	if (top <= base) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);
	if (!g_rd) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	rd = rd_of(g_rd);
	if (!init_ripas_range_valid(rd, base, top)) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		goto out_unlock_rd;
	}
	if (realm_state(rd) != RMI_REALM_STATE_NEW) {
		res->x[0] = rmi_ret(RMI_ERROR_REALM, 0);
		goto out_unlock_rd;
	}
	s2tt_ctx_init(&ctx, rd);
	g_root = s2tt_lock_root(&ctx);
	s2tt_walk_lock_unlock(&ctx, g_root, base, S2TT_PAGE_LEVEL, &wi);
	/* s11.3 step 2: base_align -> (E_RTT, walk level). */
	done = s2tt_addr_level_aligned(base, wi.level) ? init_ripas_scan(rd, &ctx, &wi, base, top)
						       : base;
	if (done > base) {
		res->x[0] = rmi_ret(RMI_SUCCESS, 0);
		res->x[1] = done;
	} else {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
	}
	granule_unlock(wi.g_llt);
out_unlock_rd:
	granule_unlock(g_rd);
}
