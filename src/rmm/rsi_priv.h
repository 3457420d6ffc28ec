/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the RSI handlers (rsi.c, rsi_measure.c, rsi_attest.c,
 * rsi_ipa.c): the result a handler builds and the dispatcher applies with
 * the register convention of rmm-v1.0.md s1.
 */
#ifndef REALMKIT_RMM_RSI_PRIV_H
#define REALMKIT_RMM_RSI_PRIV_H

#include <stdint.h>

#include <realmkit/abi/rsi.h>

#include "realm_mem.h"
#include "rec_run.h"

/* What the dispatcher does with a handler's result (TF-RMM's rsi_action). */
enum rsi_action {
	/* Write X0 .. X(nregs - 1); the realm continues after the SMC. */
	RSI_ACT_RETURN,
	/* Write the registers as for RETURN, then exit with ctx->exit (IRQ). */
	RSI_ACT_EXIT_UPDATE,
	/* Registers unchanged; exit with ctx->exit after the SMC (HOST_CALL, RIPAS_CHANGE). */
	RSI_ACT_EXIT,
	/* Registers unchanged; emulated stage-2 abort at ipa/level, SMC repeated (s12.6). */
	RSI_ACT_S2_ABORT,
};

/*
 * A handler's result. The dispatcher starts every call with RETURN,
 * x[] zero and nregs 4, so that X1..X3 are zero unless the command defines
 * them as outputs (rmm-v1.0.md s1); MEASUREMENT_READ sets nregs 9.
 */
struct rsi_result {
	enum rsi_action action;
	unsigned int nregs; /* registers X0 .. X(nregs - 1) written */
	uint64_t x[9];
	uint64_t abort_ipa; /* RSI_ACT_S2_ABORT */
	int abort_level;
};

typedef void (*rsi_fn)(struct rec_ctx *ctx, struct rsi_result *res);

/* One handler per RSI v1.0 command, named after it (rmm-v1.0.md s6). */
#define RSI_DECLARE_HANDLER(name, fid) void rsi_##name(struct rec_ctx *ctx, struct rsi_result *res);
RSI_COMMAND_LIST(RSI_DECLARE_HANDLER)
#undef RSI_DECLARE_HANDLER

/* Sets X0 = status (RSI status codes are never packed, rmm-v1.0.md s3). */
static inline void rsi_set_status(struct rsi_result *res, enum rsi_status st)
{
	res->x[0] = st;
}

/*
 * Turns a realm_mem_copy() failure on the buffer at ipa into the result
 * (rmm-v1.0.md s6, s12.6): RIPAS EMPTY -> RSI_ERROR_INPUT; not mapped ->
 * emulated stage-2 abort exit at `level`. For REALM_MEM_OK does nothing
 * and returns true.
 */
bool rsi_buffer_result(enum realm_mem_status st, uint64_t ipa, int level, struct rsi_result *res);

/* The realm's protected address range (ctx->rd is read-only while the REC runs). */
static inline bool rsi_ipa_in_par(const struct rec_ctx *ctx, uint64_t ipa)
{
	return realm_ipa_in_par(ctx->rd, ipa);
}

#endif /* REALMKIT_RMM_RSI_PRIV_H */
