/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the RTT command files (rmi_rtt.c, rmi_rtt_entry.c):
 * the argument rules of rmm-v1.0.md s11.2 (TF-RMM runtime/rmi/rtt.c
 * validate_rtt_{structure,map,entry}_cmds) and the RD -> root hand-over of
 * s16.2 ("lock RD; copy what is needed; lock the root RTT; unlock RD").
 */
#ifndef REALMKIT_RMM_RMI_RTT_H
#define REALMKIT_RMM_RMI_RTT_H

#include <stdbool.h>
#include <stdint.h>

#include "granule.h"
#include "realm.h"
#include "s2tt.h"

/* ipa < 2^s2sz and aligned to the size of an entry at `level`. */
static inline bool rtt_ipa_valid(const struct rd *rd, uint64_t ipa, int level)
{
	return realm_ipa_in_range(rd, ipa) && s2tt_addr_level_aligned(ipa, level);
}

/* Structure commands (RTT_CREATE/DESTROY/FOLD): level in [start + 1, 3], ipa at level - 1. */
static inline bool rtt_structure_args_valid(const struct rd *rd, uint64_t ipa, int64_t level)
{
	if (level < (int64_t)rd->start_level + 1 || level > S2TT_PAGE_LEVEL)
		return false;
	return rtt_ipa_valid(rd, ipa, (int)level - 1);
}

/* Map commands (RTT_[UN]MAP_UNPROTECTED): level in [1, 3] (checked before the RD). */
static inline bool rtt_map_level_valid(int64_t level)
{
	return level >= S2TT_MIN_BLOCK_LEVEL && level <= S2TT_PAGE_LEVEL;
}

/* Entry commands (RTT_READ_ENTRY): level in [start, 3], ipa at level. */
static inline bool rtt_entry_args_valid(const struct rd *rd, uint64_t ipa, int64_t level)
{
	if (level < (int64_t)rd->start_level || level > S2TT_PAGE_LEVEL)
		return false;
	return rtt_ipa_valid(rd, ipa, (int)level);
}

/*
 * Copies the geometry of the locked RD into ctx, locks the first root RTT
 * and unlocks the RD. Returns the locked root.
 */
static inline struct granule *rtt_rd_to_root(struct granule *g_rd, struct s2tt_ctx *ctx)
{
	struct granule *g_root;

	s2tt_ctx_init(ctx, rd_of(g_rd));
	g_root = s2tt_lock_root(ctx);
	granule_unlock(g_rd);
	return g_root;
}

#endif /* REALMKIT_RMM_RMI_RTT_H */
