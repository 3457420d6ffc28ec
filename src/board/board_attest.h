/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The board as a token factory: selects the platform's attestation keys and
 * has the RMM build a CCA token through its own state machine, without a
 * realm (`realmkit token make`). The VMM sees only this header.
 */
#ifndef REALMKIT_BOARD_ATTEST_H
#define REALMKIT_BOARD_ATTEST_H

#include <stddef.h>
#include <stdint.h>

/* The realm-side inputs of a token, and the platform keys to use. */
struct board_token_request {
	uint8_t challenge[64];
	uint8_t rpv[64];
	uint8_t rim[64];	/* the first 32 (SHA-256) or 64 (SHA-512) bytes are used */
	uint8_t rems[4][64];	/* likewise */
	unsigned int algorithm; /* 0 = SHA-256, 1 = SHA-512 (RsiHashAlgorithm) */
	const char *cpak_pem;	/* NULL: realmkit's built-in test CPAK */
	const char *rak_pem;	/* NULL: realmkit's built-in test RAK */
};

/*
 * Boots the platform's root of trust with the requested keys, makes the
 * RMM fetch the RAK and platform token again, and builds one CCA token
 * into out. *steps (may be NULL) receives the RMM's step count. Returns 0,
 * or a negative errno with a message in err.
 */
int board_make_token(const struct board_token_request *req, uint8_t *out, size_t size, size_t *len,
		     unsigned int *steps, char *err, size_t errlen);

#endif /* REALMKIT_BOARD_ATTEST_H */
