/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSI_MEASUREMENT_READ and RSI_MEASUREMENT_EXTEND (rmm-v1.0.md s6, s14.5;
 * failure-conditions s3, s6.1): the RIM (slot 0) and the four REMs
 * (slots 1..4) in the RD, read and extended under the RD lock so that
 * extensions from several RECs serialise.
 */
#include <assert.h>
#include <string.h>

#include <realmkit/abi/rsi.h>

#include "measurement.h"
#include "realm.h"
#include "rsi_priv.h"

static_assert(RSI_MEASUREMENT_SLOTS == RMM_MEASUREMENT_SLOTS, "s14.1: five slots");
static_assert(RSI_MAX_MEASUREMENT_SIZE == RMM_MAX_MEASUREMENT_SIZE, "s14.1: 64-byte slots");

#define SLOT_WORDS (RMM_MAX_MEASUREMENT_SIZE / sizeof(uint64_t))

/*
 * failure-conditions s3: index >= 5 -> RSI_ERROR_INPUT (X1..X3 zero, X4
 * preserved). rmm-v1.0.md s6: X1..X8 = the 64-byte slot as little-endian
 * words, zero beyond the hash length (the RD keeps those bytes zero, s14.1).
 */
void rsi_measurement_read(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t index = rec_x(ctx, 1);
	uint8_t slot[RMM_MAX_MEASUREMENT_SIZE];

	if (index >= RMM_MEASUREMENT_SLOTS) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	granule_lock(ctx->g_rd);
	memcpy(slot, rd_of(ctx->g_rd)->measurement[index], sizeof(slot));
	granule_unlock(ctx->g_rd);
	/* The host is little-endian (measurement.c): bytes 0-7 are the low word. */
	memcpy(&res->x[1], slot, sizeof(slot));
	res->nregs = 1 + SLOT_WORDS;
	rsi_set_status(res, RSI_SUCCESS);
}

/*
 * Reference order (failure-conditions s3): index == 0 or >= 5 -> then
 * size > 64, both RSI_ERROR_INPUT; size 0 is valid. rmm-v1.0.md s14.5:
 * REM := H(REM[0..hash length) || data[0..size)), data being the
 * little-endian image of X3..X10, under the RD lock.
 */
void rsi_measurement_extend(struct rec_ctx *ctx, struct rsi_result *res)
{
	uint64_t index = rec_x(ctx, 1), size = rec_x(ctx, 2);
	uint8_t msg[2 * RMM_MAX_MEASUREMENT_SIZE];
	uint64_t data[SLOT_WORDS];
	size_t hlen;
	struct rd *rd;

	if (index == RMM_MEASUREMENT_RIM_SLOT || index >= RMM_MEASUREMENT_SLOTS ||
	    size > RSI_MAX_MEASUREMENT_SIZE) {
		rsi_set_status(res, RSI_ERROR_INPUT);
		return;
	}
	for (unsigned int i = 0; i < SLOT_WORDS; i++)
		data[i] = rec_x(ctx, 3 + i);
	granule_lock(ctx->g_rd);
	rd = rd_of(ctx->g_rd);
	hlen = measurement_hash_size(rd->algorithm);
	memcpy(msg, rd->measurement[index], hlen);
	memcpy(msg + hlen, data, size);
	measurement_hash(rd->algorithm, msg, hlen + size, rd->measurement[index]);
	granule_unlock(ctx->g_rd);
	rsi_set_status(res, RSI_SUCCESS);
}
