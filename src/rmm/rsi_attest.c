/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE
 * (rmm-v1.0.md s6, s15.4, s16.5; failure-conditions s3, s5.10, s6.1) on
 * top of the restartable token machine of attest_token.h.
 *
 * Storage: each REC's operation lives in its own aux granules (rec.h:
 * REC_AUX_ATTEST_CTX holds struct attest_token_ctx, REC_AUX_ATTEST_BUF the
 * CCA token), so RECs of one realm attest independently. While the REC
 * runs, the thread inside REC_ENTER owns the REC and its aux granules
 * (rec_run.h), so they are used without locks. A new REC's aux granules are
 * zero: an IDLE context.
 */
#include <assert.h>
#include <string.h>

#include <realmkit/abi/rsi.h>

#include "attest_token.h"
#include "granule.h"
#include "realm.h"
#include "rec.h"
#include "rsi_priv.h"

static_assert(RSI_ATTEST_CHALLENGE_SIZE == 8 * sizeof(uint64_t), "s6: challenge in X1..X8");

static struct attest_token_ctx *attest_ctx(const struct rec *rec)
{
	return granule_map(rec_aux_granule(rec, REC_AUX_ATTEST_CTX));
}

static struct attest_token_buf *attest_buf(const struct rec *rec)
{
	return granule_map(rec_aux_granule(rec, REC_AUX_ATTEST_BUF));
}

/* What INIT snapshots from the RD (rmm-v1.0.md s15.2: "taken under the RD lock"). */
struct attest_snapshot {
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE];
	uint8_t rems[ATTEST_NUM_REMS][RMM_MAX_MEASUREMENT_SIZE];
	uint8_t rpv[RMI_RPV_SIZE];
	unsigned int algorithm;
};

static void attest_snapshot_take(struct rec_ctx *ctx, struct attest_snapshot *s)
{
	const struct rd *rd;

	static_assert(RMM_MEASUREMENT_SLOTS == 1 + ATTEST_NUM_REMS, "s14.1: RIM + four REMs");
	granule_lock(ctx->g_rd);
	rd = rd_of(ctx->g_rd);
	memcpy(s->rim, rd->measurement[RMM_MEASUREMENT_RIM_SLOT], sizeof(s->rim));
	memcpy(s->rems, rd->measurement[RMM_MEASUREMENT_RIM_SLOT + 1], sizeof(s->rems));
	memcpy(s->rpv, rd->rpv, sizeof(s->rpv));
	s->algorithm = rd->algorithm;
	granule_unlock(ctx->g_rd);
}

/*
 * rmm-v1.0.md s15.4 step 1: no input errors; supersedes any operation of
 * this REC (a later CONTINUE carries the new challenge), starts a new one
 * from the current RIM, REMs and RPV, and returns X1 = the token size bound
 * (one granule). An internal failure (no RAK or platform token) is the only
 * RSI_ERROR_UNKNOWN.
 */
void rsi_attestation_token_init(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t words[RSI_ATTEST_CHALLENGE_SIZE / sizeof(uint64_t)];
	uint8_t challenge[RSI_ATTEST_CHALLENGE_SIZE];
	struct attest_snapshot snap;

	/* s6: X1..X8, little-endian words (X1 supplies bytes 0-7). */
	for (unsigned int i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		words[i] = rec_x(ctx, 1 + i);
	memcpy(challenge, words, sizeof(challenge));
	attest_snapshot_take(ctx, &snap);
	if (attest_token_init(attest_ctx(ctx->rec), challenge, snap.rim,
			      (const uint8_t(*)[RMM_MAX_MEASUREMENT_SIZE])snap.rems, snap.rpv,
			      snap.algorithm) != 0) {
		rsi_set_status(res, RSI_ERROR_UNKNOWN);
		return;
	}
	rsi_set_status(res, RSI_SUCCESS);
	res->x[1] = RSI_ATTEST_TOKEN_MAX_SIZE;
}

/*
 * failure-conditions s3 CONTINUE, first group: IPA not 4 KB aligned,
 * offset >= 4096, offset + size > 4096, offset + size overflowing; then the
 * IPA not in PAR. Each is RSI_ERROR_INPUT and leaves the operation intact.
 */
static bool continue_args_valid(const struct rec_ctx *ctx, uint64_t ipa, uint64_t offset,
				uint64_t size)
{
	if ((ipa & GRANULE_MASK) != 0 || offset >= GRANULE_SIZE || offset + size > GRANULE_SIZE ||
	    offset + size < offset)
		return false;
	return rsi_ipa_in_par(ctx, ipa);
}

/*
 * rmm-v1.0.md s15.4 / s16.5: steps until the token is complete, checking
 * for a pending physical interrupt between steps. Returns true when the
 * token is complete; otherwise res is the answer: the interrupt (X0 =
 * INCOMPLETE, X1 = 0, exit IRQ, PC advanced: the realm calls CONTINUE
 * again) or an internal failure (RSI_ERROR_UNKNOWN).
 */
static bool continue_sign(struct rec_ctx *ctx, struct attest_token_ctx *tc,
			  struct attest_token_buf *tb, struct rsi_result *res)
{
	for (;;) {
		switch (attest_token_step(tc, tb)) {
		case ATTEST_STEP_DONE:
			return true;
		case ATTEST_STEP_ERROR:
			rsi_set_status(res, RSI_ERROR_UNKNOWN);
			return false;
		case ATTEST_STEP_IN_PROGRESS:
			break;
		}
		if (rec_irq_pending(ctx)) {
			rsi_set_status(res, RSI_INCOMPLETE);
			res->x[1] = 0;
			ctx->exit->exit_reason = RMI_EXIT_IRQ;
			res->action = RSI_ACT_EXIT_UPDATE;
			return false;
		}
	}
}

/*
 * Reference order (failure-conditions s3, rmm-v1.0.md s15.4): input checks
 * -> no operation (no INIT, the last token already copied out, or an
 * internal failure reported earlier) -> RSI_ERROR_STATE -> signing -> the buffer (RIPAS EMPTY -> RSI_ERROR_INPUT,
 * unmapped -> emulated stage-2 abort) -> size 0 -> INCOMPLETE with X1 = 0
 * -> copy min(size, remaining) to ipa + offset: X1 = bytes copied, X0 =
 * INCOMPLETE while bytes remain, SUCCESS with the last chunk.
 */
void rsi_attestation_token_continue(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t ipa = rec_x(ctx, 1), offset = rec_x(ctx, 2), size = rec_x(ctx, 3);
	struct attest_token_ctx *tc = attest_ctx(ctx->rec);
	struct attest_token_buf *tb = attest_buf(ctx->rec);
	enum realm_mem_status st;
	const uint8_t *rest;
	size_t left, n;
	int level = 0;

	if (!continue_args_valid(ctx, ipa, offset, size)) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	if (!attest_token_in_progress(tc)) {
		rsi_set_status(res, RSI_ERROR_STATE);
		return;
	}
	if (!continue_sign(ctx, tc, tb, res))
		return;
	rest = attest_token_remaining(tc, tb, &left);
	/* Internal invariant: a complete token has bytes left until copied out. */
	assert(rest && left > 0);
	n = size < left ? (size_t)size : left;
	st = realm_mem_copy(&ctx->rec->s2_ctx, ipa + offset, (void *)rest, n, true, &level);
	if (!rsi_buffer_result(st, ipa, level, res))
		return;
	if (n == 0) {
		rsi_set_status(res, RSI_INCOMPLETE);
		return;
	}
	left = attest_token_advance(tc, n);
	rsi_set_status(res, left ? RSI_INCOMPLETE : RSI_SUCCESS);
	res->x[1] = n;
}
