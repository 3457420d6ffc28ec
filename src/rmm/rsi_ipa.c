/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSI_IPA_STATE_SET and RSI_IPA_STATE_GET (rmm-v1.0.md s6, s11.3, s12.4;
 * failure-conditions s3, s5.6).
 */
#include <assert.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/abi/rsi.h>

#include "rec.h"
#include "rsi_priv.h"
#include "s2tt.h"

static_assert((int)RSI_RIPAS_EMPTY == (int)RMI_EMPTY && (int)RSI_RIPAS_RAM == (int)RMI_RAM &&
		      (int)RSI_RIPAS_DESTROYED == (int)RMI_DESTROYED,
	      "rmm-v1.0.md s2: RsiRipas and RmiRipas share their encodings");

static bool granule_aligned(uint64_t addr)
{
	return (addr & GRANULE_MASK) == 0;
}

/*
 * failure-conditions s3, one combined check (TF-RMM): ripas > RAM, base or
 * top not 4 KB aligned, top <= base (empty or wrapping), [base, top) not
 * inside PAR -> RSI_ERROR_INPUT. Otherwise (rmm-v1.0.md s11.3) the request
 * is recorded in the REC with progress = base and the REC exits
 * RIPAS_CHANGE with the range and value, PC advanced; the realm's
 * registers are written by the next REC_ENTER (s12.4).
 */
void rsi_ipa_state_set(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t base = rec_x(ctx, 1), top = rec_x(ctx, 2);
	uint64_t ripas = rec_x(ctx, 3), flags = rec_x(ctx, 4);
	struct rec_ripas_change *rc = &ctx->rec->ripas;

	if (ripas > RSI_RIPAS_RAM || !granule_aligned(base) || !granule_aligned(top) ||
	    top <= base || !rsi_ipa_in_par(ctx, base) || !rsi_ipa_in_par(ctx, top - 1)) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	/* REC_ENTER completes a pending request before the realm runs (s12.1 step 11). */
	assert(!rec_ripas_change_pending(ctx->rec));
	rc->base = base;
	rc->top = top;
	rc->addr = base;
	rc->ripas = (uint8_t)ripas;
	/* s2 RsiRipasChangeDestroyed: 1 = CHANGE_DESTROYED, any other value = NO_CHANGE. */
	rc->change_destroyed = flags == RSI_CHANGE_DESTROYED;
	rc->response = RMI_ACCEPT;
	ctx->exit->exit_reason = RMI_EXIT_RIPAS_CHANGE;
	ctx->exit->ripas_base = base;
	ctx->exit->ripas_top = top;
	ctx->exit->ripas_value = (uint8_t)ripas;
	res->action = RSI_ACT_EXIT;
}

/* An entry of the protected half that has a RIPAS: unassigned or assigned, any RIPAS. */
static bool entry_has_ripas(uint64_t e, int level)
{
	return s2tte_is_unassigned(e) || s2tte_is_assigned(e, level);
}

/*
 * rmm-v1.0.md s11.3: from base's entry, the run of entries of that one RTT
 * with the RIPAS of the first (ASSIGNED/RAM counts as RAM), ending at the
 * first entry without a RIPAS or with another one, or at top. Returns the
 * end of the run capped at top, or base if base's entry has no RIPAS.
 */
static uint64_t ripas_run(const struct s2tt_ctx *s2, uint64_t base, uint64_t top,
			  unsigned int *ripas)
{
	struct s2tt_walk wi;
	uint64_t *table, size, addr;
	unsigned int end;

	s2tt_walk_lock_unlock(s2, s2tt_lock_root(s2), base, S2TT_PAGE_LEVEL, &wi);
	table = s2tt_table(wi.g_llt);
	size = s2tt_entry_size(wi.level);
	end = s2tt_rtt_end_index(s2, &wi);
	addr = base & ~(size - 1);
	for (unsigned int i = wi.index; i < end && addr < top; i++) {
		uint64_t e = s2tte_read(&table[i]);

		if (!entry_has_ripas(e, wi.level))
			break;
		if (i == wi.index)
			*ripas = s2tte_get_ripas(e);
		else if (s2tte_get_ripas(e) != *ripas)
			break;
		addr += size;
	}
	granule_unlock(wi.g_llt);
	if (addr <= base)
		return base;
	return addr < top ? addr : top;
}

/*
 * Reference order (failure-conditions s3): base not aligned or not in PAR,
 * top not aligned, top - 1 not in PAR, base >= top -> RSI_ERROR_INPUT.
 * Then X1 = top of the uniform run (capped at top), X2 = its RIPAS; if
 * base's entry has no RIPAS -> RSI_ERROR_INPUT (s11.3).
 */
void rsi_ipa_state_get(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t base = rec_x(ctx, 1), top = rec_x(ctx, 2), run_top;
	unsigned int ripas = RMI_EMPTY;

	if (!granule_aligned(base) || !rsi_ipa_in_par(ctx, base) || !granule_aligned(top) ||
	    !rsi_ipa_in_par(ctx, top - 1) || base >= top) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	run_top = ripas_run(&ctx->rec->s2_ctx, base, top, &ripas);
	if (run_top == base) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	rsi_set_status(res, RSI_SUCCESS);
	res->x[1] = run_top;
	res->x[2] = ripas;
}
