/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMM's access to realm memory for RSI buffers (rmm-v1.0.md s13):
 * only through the realm's RTTs, only to granules that are ASSIGNED with
 * RIPAS RAM. The walk locks the leaf RTT, which keeps the mapping (and so
 * the DATA granule) in place while the RMM copies.
 */
#ifndef REALMKIT_RMM_REALM_MEM_H
#define REALMKIT_RMM_REALM_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s2tt.h"

enum realm_mem_status {
	REALM_MEM_OK,	    /* copied */
	REALM_MEM_EMPTY,    /* RIPAS EMPTY: the RSI command returns RSI_ERROR_INPUT */
	REALM_MEM_UNMAPPED, /* RIPAS RAM but unassigned, or DESTROYED: emulated stage-2 abort */
};

/*
 * Copies len bytes between the realm's protected IPA `ipa` and `buf`
 * (to the realm when to_realm is true). [ipa, ipa + len) must lie in one
 * granule of the PAR (the caller checked). On REALM_MEM_UNMAPPED, *level
 * receives the RTT level at which the walk found the entry (for the
 * abort's DFSC). Locks RTTs only; the caller holds no RTT lock. With
 * len == 0 nothing is copied but the granule is checked all the same
 * (TOKEN_CONTINUE with size 0, rmm-v1.0.md s15.4). CPU engines keep code
 * they translated from the granule (see realm_mem.c).
 */
enum realm_mem_status realm_mem_copy(const struct s2tt_ctx *ctx, uint64_t ipa, void *buf,
				     size_t len, bool to_realm, int *level);

/* One piece of a realm_mem_copy_segs(): bytes at ipa + offset. */
struct realm_mem_seg {
	size_t offset;
	void *buf;
	size_t len;
};

/*
 * realm_mem_copy() of several pieces of the one granule holding `ipa`
 * under one walk, so that they are all copied or none is (REALM_CONFIG
 * writes three fields and leaves the other bytes alone, s8.4).
 */
enum realm_mem_status realm_mem_copy_segs(const struct s2tt_ctx *ctx, uint64_t ipa,
					  const struct realm_mem_seg *segs, unsigned int n,
					  bool to_realm, int *level);

/* The RIPAS of a range, for RSI_IPA_STATE_GET: see rsi_ipa.c. */

#endif /* REALMKIT_RMM_REALM_MEM_H */
