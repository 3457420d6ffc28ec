/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm attestation tokens (rmm-v1.0.md s15): the realm claims, their
 * COSE_Sign1 signed with the RAK, and the CCA token (tag 399) carrying the
 * platform token and the realm token, built as a restartable state machine
 * so that RSI_ATTESTATION_TOKEN_CONTINUE can bound the work of one call and
 * yield to a pending interrupt (s15.1 "restartable in steps", s16.5).
 *
 * Storage (s15.4: "the per-REC signing context and token buffer live in the
 * REC's aux granules"). The RMM never allocates, and REC aux granules are
 * separate granules at unrelated addresses, so an operation is two objects,
 * each inside one granule and neither holding a pointer:
 *   struct attest_token_ctx  state, measurement snapshot, encoded claims and
 *                            the ECDSA state: ATTEST_TOKEN_CTX_SIZE bytes,
 *                            at most one granule (static_assert below);
 *   struct attest_token_buf  the CCA token, RSI_ATTEST_TOKEN_MAX_SIZE bytes,
 *                            exactly one granule.
 * Suggested placement: ctx in REC aux granule 0, buf in aux granule 1 (any
 * two distinct aux granules work). Every call takes the buffer again, so the
 * objects may be mapped at a different address on every CONTINUE.
 *
 * Step sequence after attest_token_init() (each call of attest_token_step()
 * does exactly one): ENCODE (claims map), DIGEST (SHA-384 of the
 * Sig_structure), NONCE (RFC 6979), RK_ECDSA_MUL_STEPS x MUL (64 bits of
 * k*G each), FINISH (r, s), ASSEMBLE (COSE_Sign1 into the CCA token):
 * ATTEST_TOKEN_STEPS steps. OpenSSL objects live within one step.
 *
 * Concurrency: a ctx/buf pair belongs to one REC (its aux granules); any
 * number of pairs may step at once. attest_rmm_init() fetches the RAK and
 * the platform token from EL3 once; they are read-only afterwards.
 */
#ifndef REALMKIT_RMM_ATTEST_TOKEN_H
#define REALMKIT_RMM_ATTEST_TOKEN_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/rsi.h>
#include <realmkit/addr.h>
#include <rk_cose.h>

/* REMs in a token (rmm-v1.0.md s15.2: "array of 4 bstr"). */
#define ATTEST_NUM_REMS 4u

/*
 * Largest encoded realm claims map: with SHA-512 measurements it is 641
 * bytes (challenge 67, RPV 69, RAK 112, two algorithm ids 11 + 11, profile
 * 33, RIM 69, REMs 268, map head 1).
 */
#define ATTEST_REALM_PAYLOAD_MAX 704u

/* Steps from INIT to a complete token (see above). */
#define ATTEST_TOKEN_STEPS (2u + 1u + RK_ECDSA_MUL_STEPS + 1u + 1u)

/* Where an operation is. Each state names the work of the next step. */
enum attest_token_state {
	ATTEST_TOKEN_IDLE = 0, /* no operation (never initialised, or fully copied out) */
	ATTEST_TOKEN_ENCODE,   /* INIT done: encode the claims */
	ATTEST_TOKEN_DIGEST,   /* hash the Sig_structure */
	ATTEST_TOKEN_SIGN,     /* ECDSA steps */
	ATTEST_TOKEN_ASSEMBLE, /* write the COSE_Sign1 and the CCA token to the buffer */
	ATTEST_TOKEN_DONE,     /* the token is in the buffer, being copied out */
	ATTEST_TOKEN_FAILED,   /* an internal failure: a new INIT is needed */
};

enum attest_step_result {
	ATTEST_STEP_IN_PROGRESS = 0, /* more steps needed */
	ATTEST_STEP_DONE,	     /* token complete (also for a step in state DONE) */
	ATTEST_STEP_ERROR,	     /* no operation (IDLE) or an internal failure */
};

/* One token operation's state: plain data, position independent. */
struct attest_token_ctx {
	uint32_t state;	    /* enum attest_token_state */
	uint32_t algorithm; /* enum rsi_hash_algorithm of the realm */
	uint32_t steps;	    /* steps taken since INIT */
	uint32_t payload_len;
	uint32_t token_len; /* CCA token length once DONE */
	uint32_t copied;    /* bytes handed out by attest_token_advance() */
	uint8_t challenge[RSI_ATTEST_CHALLENGE_SIZE];
	uint8_t rpv[RSI_RPV_SIZE];
	uint8_t rim[RSI_MAX_MEASUREMENT_SIZE];
	uint8_t rems[ATTEST_NUM_REMS][RSI_MAX_MEASUREMENT_SIZE];
	uint8_t payload[ATTEST_REALM_PAYLOAD_MAX]; /* the encoded claims map */
	struct rk_ecdsa_ctx ecdsa;
};

/* The CCA token being built: one granule. */
struct attest_token_buf {
	uint8_t bytes[RSI_ATTEST_TOKEN_MAX_SIZE];
};

#define ATTEST_TOKEN_CTX_SIZE sizeof(struct attest_token_ctx)

static_assert(sizeof(struct attest_token_ctx) <= GRANULE_SIZE,
	      "attest_token_ctx must fit in one REC aux granule");
static_assert(sizeof(struct attest_token_buf) == GRANULE_SIZE,
	      "attest_token_buf is one REC aux granule");
static_assert(RSI_ATTEST_TOKEN_MAX_SIZE == GRANULE_SIZE,
	      "rmm-v1.0.md s15.4: REC_ATTEST_TOKEN_BUF_SIZE is one page");

/*
 * Fetches the RAK private key and the platform token from EL3 (once per
 * RMM boot; later calls return 0 at once): derives the RAK's COSE_Key and
 * asks EL3 for a platform token whose challenge is SHA-256 of it
 * (rmm-v1.0.md s15.3). Returns 0 or a negative errno. Thread-safe.
 */
int attest_rmm_init(void);

/* Forgets what attest_rmm_init() fetched (RMM shutdown, or new platform keys). */
void attest_rmm_fini(void);

/*
 * The RAK public key as the COSE_Key bytes of claim 44237 (calls
 * attest_rmm_init() if needed). Returns its length, 0 on failure.
 */
size_t attest_rak_cose_key(uint8_t *out, size_t size);

/*
 * RSI_ATTESTATION_TOKEN_INIT's work (rmm-v1.0.md s15.4 step 1): starts a new
 * operation in ctx, superseding any previous one, with a snapshot of the
 * challenge (64 bytes, the little-endian image of X1..X8), the RIM, the
 * four REMs and the RPV (each 64-byte slot; only the hash length of the
 * measurements is used). Returns 0, -EINVAL for an unknown algorithm, or
 * -EIO if the RAK or the platform token cannot be obtained (then the ctx
 * is IDLE).
 */
int attest_token_init(struct attest_token_ctx *ctx, const uint8_t challenge[64],
		      const uint8_t rim[64], const uint8_t rems[ATTEST_NUM_REMS][64],
		      const uint8_t rpv[64], unsigned int algorithm);

/*
 * Performs one bounded step of the operation in ctx, writing into buf only
 * in the last step. DONE once the token is complete (and on every later
 * call until the token is copied out), ERROR if there is no operation
 * (IDLE: CONTINUE without INIT, s15.4) or a step failed (FAILED).
 */
enum attest_step_result attest_token_step(struct attest_token_ctx *ctx,
					  struct attest_token_buf *buf);

/* True while an operation has been initialised and not yet fully copied out. */
bool attest_token_in_progress(const struct attest_token_ctx *ctx);

/* The complete CCA token in buf (NULL unless DONE); *len = its length. */
const uint8_t *attest_token_bytes(const struct attest_token_ctx *ctx,
				  const struct attest_token_buf *buf, size_t *len);

/*
 * CONTINUE's copy-out (s15.4 step 2): the bytes not yet handed out (NULL
 * unless DONE) and their count in *len.
 */
const uint8_t *attest_token_remaining(const struct attest_token_ctx *ctx,
				      const struct attest_token_buf *buf, size_t *len);

/*
 * Records that n more bytes were copied to the realm; once all are, the
 * operation ends (IDLE: "after SUCCESS a new INIT is needed"). Returns the
 * bytes still remaining.
 */
size_t attest_token_advance(struct attest_token_ctx *ctx, size_t n);

#endif /* REALMKIT_RMM_ATTEST_TOKEN_H */
