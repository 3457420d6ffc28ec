/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Realm Services Interface (rmm-v1.0.md s1, s6; failure-conditions s3):
 * function-ID decoding, the dispatch table, the register convention, and
 * the small commands (VERSION, FEATURES, REALM_CONFIG, HOST_CALL).
 * Measurements are in rsi_measure.c, attestation in rsi_attest.c, RIPAS in
 * rsi_ipa.c.
 *
 * Register convention (rmm-v1.0.md s1; TF-RMM runtime/core/exit.c
 * handle_realm_rsi): X0 = status; X1..X3 = the outputs, any of them the
 * command does not define is zero; X4 and above are preserved, except that
 * MEASUREMENT_READ writes X1..X8. A call that exits to the host without a
 * result (HOST_CALL, IPA_STATE_SET, an emulated stage-2 abort) leaves every
 * register as it was: the results come with the next REC_ENTER.
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>

#include <realmkit/abi/rsi.h>
#include <realmkit/abi/smccc.h>

#include "realm_mem.h"
#include "rsi_priv.h"

/*
 * The RSI function numbers TF-RMM decodes: 0x190..0x1AF (rmm-v1.0.md s1,
 * "TF-RMM decodes 0x190-0x1AF"). Of these v1.0 defines 0x190..0x199; a realm
 * SMC with any other number in the range reaches the RSI dispatcher and
 * gets SMCCC_NOT_SUPPORTED (TF-RMM's SMC_UNKNOWN, also -1) with X1..X3 zero
 * and X4.. preserved, exactly as TF-RMM's dispatcher answers a function ID
 * without a handler (runtime/core/exit.c: the default case still goes
 * through the register update of handle_realm_rsi).
 */
#define RSI_FNUM_DECODED_LAST 0x1AFu

#define RSI_SLOTS (RSI_FNUM_DECODED_LAST - RSI_FNUM_FIRST + 1u)

#define RSI_ROW(name, fid) [((fid)&SMCCC_FNUM_MASK) - RSI_FNUM_FIRST] = rsi_##name,
static const rsi_fn rsi_table[RSI_SLOTS] = { RSI_COMMAND_LIST(RSI_ROW) };
#undef RSI_ROW

/* The FID is W0 (smccc.h); the SVE hint (bit 16) is ignored (rmm-v1.0.md s1). */
static uint32_t rsi_decode(uint64_t fid)
{
	return smccc_clear_sve_hint((uint32_t)fid);
}

bool rsi_is_rsi_call(uint64_t fid)
{
	uint32_t f = rsi_decode(fid);

	/* SMC64 fast call of the Standard Secure Service, MBZ bits zero. */
	return (f & ~SMCCC_FNUM_MASK) == SMCCC_STD_FID64(0) && smccc_fnum(f) >= RSI_FNUM_FIRST &&
	       smccc_fnum(f) <= RSI_FNUM_DECODED_LAST;
}

static void rsi_not_supported(struct rec_ctx *ctx, struct rsi_result *res)
{
	(void)ctx;
	res->x[0] = SMCCC_NOT_SUPPORTED;
}

/* Applies res to the REC's registers and says what the run loop does next. */
static enum rec_smc_outcome rsi_apply(struct rec_ctx *ctx, const struct rsi_result *res)
{
	switch (res->action) {
	case RSI_ACT_RETURN:
	case RSI_ACT_EXIT_UPDATE:
		for (unsigned int i = 0; i < res->nregs; i++)
			rec_set_x(ctx, i, res->x[i]);
		return res->action == RSI_ACT_RETURN ? REC_SMC_RETURN : REC_SMC_EXIT;
	case RSI_ACT_EXIT:
		return REC_SMC_EXIT;
	case RSI_ACT_S2_ABORT:
		/* rmm-v1.0.md s12.6: registers untouched, the SMC runs again. */
		rec_exit_emulated_s2_abort(ctx, res->abort_ipa, res->abort_level);
		return REC_SMC_EXIT_REPEAT;
	}
	assert(false);
	return REC_SMC_RETURN;
}

enum rec_smc_outcome rsi_handle(struct rec_ctx *ctx, uint64_t fid)
{
	struct rsi_result res = { .action = RSI_ACT_RETURN, .nregs = 4 };
	uint32_t f = rsi_decode(fid);
	rsi_fn fn;

	/* The run loop calls this only for rsi_is_rsi_call() IDs. */
	assert(rsi_is_rsi_call(fid));
	fn = rsi_table[smccc_fnum(f) - RSI_FNUM_FIRST];
	(fn ? fn : rsi_not_supported)(ctx, &res);
	assert(res.nregs <= 9);
	return rsi_apply(ctx, &res);
}

bool rsi_buffer_result(enum realm_mem_status st, uint64_t ipa, int level, struct rsi_result *res)
{
	switch (st) {
	case REALM_MEM_OK:
		return true;
	case REALM_MEM_EMPTY:
		/* rmm-v1.0.md s6: a buffer with RIPAS EMPTY is an input error. */
		rsi_set_status(res, RSI_ERROR_INPUT);
		return false;
	case REALM_MEM_UNMAPPED:
		/* s12.6: RIPAS RAM without a granule, or DESTROYED: the host maps it. */
		res->action = RSI_ACT_S2_ABORT;
		res->abort_ipa = ipa;
		res->abort_level = level;
		return false;
	}
	assert(false);
	return false;
}

/* ---- RSI_VERSION, RSI_FEATURES ---- */

/*
 * rmm-v1.0.md s6 / failure-conditions s3: SUCCESS only for exactly 1.0,
 * else RSI_ERROR_INPUT; X1 = lower = X2 = higher = 1.0 in both cases.
 */
void rsi_version(struct rec_ctx *ctx, struct rsi_result *res)
{
	rsi_set_status(res, rec_x(ctx, 1) == RSI_ABI_VERSION ? RSI_SUCCESS : RSI_ERROR_INPUT);
	res->x[1] = RSI_ABI_VERSION;
	res->x[2] = RSI_ABI_VERSION;
}

/* rmm-v1.0.md s6: no feature register defines a feature in v1.0: X1 = 0 for any index. */
void rsi_features(struct rec_ctx *ctx, struct rsi_result *res)
{
	(void)ctx;
	rsi_set_status(res, RSI_SUCCESS);
}

/* ---- RSI_REALM_CONFIG ---- */

/*
 * Reference order (failure-conditions s3): IPA not 4 KB aligned or not in
 * PAR -> RSI_ERROR_INPUT; then the buffer (RIPAS EMPTY -> RSI_ERROR_INPUT,
 * unmapped -> emulated stage-2 abort). Writes ipa_width, algorithm and rpv
 * (s8.4) and no other byte of the granule, all under one walk.
 */
void rsi_realm_config(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t ipa = rec_x(ctx, 1), ipa_width = ctx->rd->s2sz;
	uint8_t algorithm = ctx->rd->algorithm;
	uint8_t rpv[RSI_RPV_SIZE];
	enum realm_mem_status st;
	struct realm_mem_seg segs[] = {
		{ offsetof(struct rsi_realm_config, ipa_width), &ipa_width, sizeof(ipa_width) },
		{ offsetof(struct rsi_realm_config, algorithm), &algorithm, sizeof(algorithm) },
		{ offsetof(struct rsi_realm_config, rpv), rpv, sizeof(rpv) },
	};
	int level = 0;

	if ((ipa & GRANULE_MASK) != 0 || !rsi_ipa_in_par(ctx, ipa)) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	/* RmiHashAlgorithm and RsiHashAlgorithm share their encodings (s2). */
	static_assert((int)RSI_HASH_SHA_512 == (int)RMI_HASH_SHA_512, "s2: hash encodings");
	static_assert(RSI_RPV_SIZE == RMI_RPV_SIZE, "s8.1/s8.4: one RPV size");
	/* The RPV is constant after REALM_CREATE: read without the RD lock (rec_run.h). */
	memcpy(rpv, ctx->rd->rpv, sizeof(rpv));
	st = realm_mem_copy_segs(&ctx->rec->s2_ctx, ipa, segs, 3, true, &level);
	if (!rsi_buffer_result(st, ipa, level, res))
		return;
	rsi_set_status(res, RSI_SUCCESS);
}

/* ---- RSI_HOST_CALL ---- */

/*
 * Reference order (failure-conditions s3): IPA not 256-byte aligned ->
 * crossing a granule (impossible once aligned: the structure is 256 bytes)
 * -> IPA not in PAR -> the buffer. Then (rmm-v1.0.md s12.5) exit HOST_CALL
 * with imm and gprs[0..30] from the structure, the REC marked host-call
 * pending with the IPA; the run loop copies enter.gprs back and sets X0 on
 * the next entry. The realm's registers are not changed here.
 */
void rsi_host_call(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t ipa = rec_x(ctx, 1);
	struct rsi_host_call hc;
	enum realm_mem_status st;
	int level = 0;

	static_assert(sizeof(hc) == RSI_HOST_CALL_ALIGN, "s8.5: 0x100 bytes, never crossing");
	static_assert(RSI_HOST_CALL_NR_GPRS == RMI_REC_EXIT_NR_GPRS, "s12.5: gprs[0..30]");
	if ((ipa & (RSI_HOST_CALL_ALIGN - 1)) != 0 ||
	    (ipa & ~GRANULE_MASK) != ((ipa + sizeof(hc) - 1) & ~GRANULE_MASK) ||
	    !rsi_ipa_in_par(ctx, ipa)) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	st = realm_mem_copy(&ctx->rec->s2_ctx, ipa, &hc, sizeof(hc), false, &level);
	if (!rsi_buffer_result(st, ipa, level, res))
		return;
	ctx->exit->exit_reason = RMI_EXIT_HOST_CALL;
	ctx->exit->imm = hc.imm;
	memcpy(ctx->exit->gprs, hc.gprs, sizeof(hc.gprs));
	ctx->rec->host_call.pending = true;
	ctx->rec->host_call.ipa = ipa;
	res->action = RSI_ACT_EXIT;
}
