/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verifier of decoded CCA attestation tokens (rmm-v1.0.md s15), shared by
 * `realmkit token verify` and `realmkit run` (which checks the token a
 * realm hands over with RK_HC_TOKEN): both COSE_Sign1 signatures (ES384),
 * the platform-realm binding (s15.3), the profiles and measurement sizes
 * (s15.2) and, optionally, expected challenge, RPV and RIM.
 */
#ifndef REALMKIT_VMM_TOKEN_VERIFY_H
#define REALMKIT_VMM_TOKEN_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token_decode.h"

#define CCA_REALM_PROFILE "tag:arm.com,2023:realm#1.0.0"
/* Platform profiles in use: the current one and the one before it. */
#define CCA_PLATFORM_PROFILE	    "tag:arm.com,2023:cca_platform#1.0.0"
#define CCA_PLATFORM_PROFILE_LEGACY "http://arm.com/CCA-SSD/1.0.0"

/* What the verifier expects beyond the token's own consistency. */
struct cca_expect {
	const char *platform_key; /* PEM of the CPAK; NULL: realmkit's built-in test CPAK */
	uint8_t challenge[64], rpv[64], rim[64];
	size_t rim_len;
	bool has_challenge, has_rpv, has_rim;
};

/*
 * Called once per check, in order: ok true with text describing what
 * passed ("binding (platform challenge = sha-256 of the RAK COSE_Key)"),
 * or ok false with the check's name ("binding") and text saying why.
 */
typedef void (*cca_verify_report_fn)(void *opaque, bool ok, const char *check, const char *text);

/*
 * Runs every check on the decoded token t, reporting each through fn,
 * and stops at the first failure. Returns 0 when all passed, 1 otherwise.
 */
int cca_token_verify(const struct cca_token *t, const struct cca_expect *e, cca_verify_report_fn fn,
		     void *opaque);

#endif /* REALMKIT_VMM_TOKEN_VERIFY_H */
