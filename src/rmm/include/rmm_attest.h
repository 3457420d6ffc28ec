/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Offline attestation for the board: builds a CCA token through the RMM's
 * own token state machine (attest_token.h), without a realm, so that tokens
 * can be produced and checked before realms run (`realmkit token make`).
 */
#ifndef REALMKIT_RMM_ATTEST_H
#define REALMKIT_RMM_ATTEST_H

#include <stddef.h>
#include <stdint.h>

/* What the realm token states: what a realm's RD and INIT would hold. */
struct rmm_attest_request {
	uint8_t challenge[64];
	uint8_t rpv[64];
	uint8_t rim[64];	/* only the hash length is used */
	uint8_t rems[4][64];	/* only the hash length is used */
	unsigned int algorithm; /* RSI_HASH_SHA_256 (0) or RSI_HASH_SHA_512 (1) */
};

/*
 * Runs attest_token_init() and attest_token_step() to completion and copies
 * the CCA token to out. *steps (may be NULL) receives the number of steps.
 * Returns 0, -EINVAL (bad algorithm), -ENOSPC (out too small) or -EIO.
 */
int rmm_attest_make_token(const struct rmm_attest_request *req, uint8_t *out, size_t size,
			  size_t *len, unsigned int *steps);

/*
 * Forgets the RAK and platform token fetched from EL3, so that the next
 * token fetches them again (after platform_attest_set_keys()).
 */
void rmm_attest_reset(void);

#endif /* REALMKIT_RMM_ATTEST_H */
