/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMM's access to realm memory for RSI buffers (rmm-v1.0.md s13,
 * s12.6; see realm_mem.h): one walk of the realm's RTTs to level 3, root
 * to leaf hand over hand (s16.2), the leaf RTT held locked while the RMM
 * copies, so the DATA granule cannot be destroyed under the copy (DATA_DESTROY
 * must lock the same RTT to change the entry).
 *
 * Translated code: the CPU engines do not see writes through the RMM's
 * mapping (unicorn-2.0.1.md M1), and no engines_invalidate_code() follows
 * a write here. The RMM writes only the bytes the realm named as an RSI
 * output (RsiRealmConfig fields, token chunks, RsiHostCall.gprs), which a
 * realm does not execute; dropping the engines' translations of the page
 * on every write doubled the HOST_CALL round trip (bench_exec: 6.2 us
 * instead of 3.6 us, the write-back of the host's results). A granule that
 * changes identity is covered by DATA_DESTROY's invalidation (rmi_data.c).
 */
#include <assert.h>
#include <string.h>

#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "realm_mem.h"
#include "s2tt.h"

/*
 * rmm-v1.0.md s6 / s12.6 / s13: what an RSI buffer's entry means for the
 * RMM. ASSIGNED/RAM is the only state the RMM accesses; RIPAS EMPTY (any
 * HIPAS) is the realm's error; RIPAS RAM without a granule, or RIPAS
 * DESTROYED (any HIPAS), is for the host to fix.
 */
static enum realm_mem_status entry_status(uint64_t e, int level)
{
	if (s2tte_is_assigned_ram(e, level))
		return REALM_MEM_OK;
	if (s2tte_is_unassigned_empty(e) || s2tte_is_assigned_empty(e, level))
		return REALM_MEM_EMPTY;
	/*
	 * UNASSIGNED/RAM, UNASSIGNED/DESTROYED, ASSIGNED/DESTROYED. The walk
	 * stops only at a non-TABLE entry of the protected half, so nothing
	 * else can be found here.
	 */
	assert(s2tte_is_unassigned_ram(e) || s2tte_is_unassigned_destroyed(e) ||
	       s2tte_is_assigned_destroyed(e, level));
	return REALM_MEM_UNMAPPED;
}

enum realm_mem_status realm_mem_copy_segs(const struct s2tt_ctx *ctx, uint64_t ipa,
					  const struct realm_mem_seg *segs, unsigned int n,
					  bool to_realm, int *level)
{
	uint64_t gipa = ipa & ~(uint64_t)GRANULE_MASK, e, pa;
	enum realm_mem_status st;
	struct granule *g_data;
	struct s2tt_walk wi;
	uint8_t *page;

	/* The caller checked that the granule is in the PAR (rmm-v1.0.md s6). */
	/* The caller checked that ipa is in the PAR: ipa < 2^(s2sz - 1) (rmm-v1.0.md s0). */
	assert(ipa < (1ULL << (ctx->s2sz - 1)));
	s2tt_walk_lock_unlock(ctx, s2tt_lock_root(ctx), gipa, S2TT_PAGE_LEVEL, &wi);
	e = s2tte_read(&s2tt_table(wi.g_llt)[wi.index]);
	st = entry_status(e, wi.level);
	if (st != REALM_MEM_OK) {
		granule_unlock(wi.g_llt);
		if (level)
			*level = wi.level;
		return st;
	}
	/* A page or a block: the granule at the IPA's offset in the block. */
	pa = s2tte_pa(e, wi.level) + (gipa & (s2tt_entry_size(wi.level) - 1));
	g_data = find_granule(pa_of(pa));
	/* Internal invariant: an ASSIGNED entry names tracked DATA granules. */
	assert(g_data && granule_get_state(g_data) == GRANULE_STATE_DATA);
	page = granule_map(g_data);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t off = (ipa & GRANULE_MASK) + segs[i].offset;

		/* The caller keeps every segment inside the one granule. */
		assert(off + segs[i].len <= GRANULE_SIZE);
		if (to_realm)
			memcpy(page + off, segs[i].buf, segs[i].len);
		else
			memcpy(segs[i].buf, page + off, segs[i].len);
	}
	granule_unlock(wi.g_llt);
	return REALM_MEM_OK;
}

enum realm_mem_status realm_mem_copy(const struct s2tt_ctx *ctx, uint64_t ipa, void *buf,
				     size_t len, bool to_realm, int *level)
{
	const struct realm_mem_seg seg = { .offset = 0, .buf = buf, .len = len };

	return realm_mem_copy_segs(ctx, ipa, &seg, len ? 1 : 0, to_realm, level);
}
