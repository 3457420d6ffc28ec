/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm attestation tokens (rmm-v1.0.md s15): claims, COSE_Sign1 with the
 * RAK, the CCA token; the restartable state machine of attest_token.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <openssl/evp.h>
#include <platform_root.h>

#include "attest_token.h"
#include "rmm_attest.h"

/* rmm-v1.0.md s15.2 (TF-RMM attestation_defs_priv.h): realm claim keys. */
#define CLAIM_CHALLENGE		RSI_TOKEN_CLAIM_CHALLENGE	  /* 10 */
#define CLAIM_PROFILE		RSI_TOKEN_CLAIM_PROFILE		  /* 265 */
#define CLAIM_RPV		RSI_TOKEN_CLAIM_RPV		  /* 44235 */
#define CLAIM_HASH_ALGO		RSI_TOKEN_CLAIM_HASH_ALGO	  /* 44236 */
#define CLAIM_PUB_KEY		RSI_TOKEN_CLAIM_PUB_KEY		  /* 44237 */
#define CLAIM_RIM		RSI_TOKEN_CLAIM_RIM		  /* 44238 */
#define CLAIM_REMS		RSI_TOKEN_CLAIM_REMS		  /* 44239 */
#define CLAIM_PUB_KEY_HASH_ALGO RSI_TOKEN_CLAIM_PUB_KEY_HASH_ALGO /* 44240 */
#define REALM_CLAIMS		8u

/*
 * What EL3 handed the RMM at boot (TF-RMM keeps the same in static buffers
 * of its image: attestation_key.c). Written under `lock` while `ready` is
 * false; read-only while it is true.
 */
static struct {
	pthread_mutex_t lock;
	atomic_bool ready;
	uint8_t rak[RK_P384_BYTES];
	uint8_t rak_cose_key[RK_COSE_KEY_P384_SIZE];
	size_t rak_cose_key_len;
	uint8_t platform_token[EL3_PLAT_TOKEN_MAX_SIZE];
	size_t platform_token_len;
} attest = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int fetch_from_el3(void)
{
	uint8_t x[RK_P384_BYTES], y[RK_P384_BYTES], hash[RK_SHA256_BYTES];
	size_t key_len = 0;
	unsigned int hlen = 0;

	if (el3_attest_get_realm_key(attest.rak, sizeof(attest.rak), &key_len) ||
	    key_len != RK_P384_BYTES || rk_p384_public(attest.rak, x, y))
		return -EIO;
	attest.rak_cose_key_len =
		rk_cose_key_p384(x, y, attest.rak_cose_key, sizeof(attest.rak_cose_key));
	if (!attest.rak_cose_key_len)
		return -EIO;
	/* s15.3: the platform challenge is SHA-256 of the RAK's COSE_Key (claim 44237). */
	if (!EVP_Digest(attest.rak_cose_key, attest.rak_cose_key_len, hash, &hlen, EVP_sha256(),
			NULL) ||
	    hlen != sizeof(hash))
		return -EIO;
	if (el3_attest_get_platform_token(hash, sizeof(hash), attest.platform_token,
					  sizeof(attest.platform_token),
					  &attest.platform_token_len))
		return -EIO;
	return 0;
}

int attest_rmm_init(void)
{
	int ret = 0;

	if (atomic_load_explicit(&attest.ready, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&attest.lock);
	if (!atomic_load_explicit(&attest.ready, memory_order_relaxed)) {
		ret = fetch_from_el3();
		if (ret)
			memset(attest.rak, 0, sizeof(attest.rak));
		else
			atomic_store_explicit(&attest.ready, true, memory_order_release);
	}
	pthread_mutex_unlock(&attest.lock);
	return ret;
}

void attest_rmm_fini(void)
{
	pthread_mutex_lock(&attest.lock);
	atomic_store_explicit(&attest.ready, false, memory_order_release);
	memset(attest.rak, 0, sizeof(attest.rak));
	attest.platform_token_len = 0;
	attest.rak_cose_key_len = 0;
	pthread_mutex_unlock(&attest.lock);
}

size_t attest_rak_cose_key(uint8_t *out, size_t size)
{
	if (attest_rmm_init() || size < attest.rak_cose_key_len)
		return 0;
	memcpy(out, attest.rak_cose_key, attest.rak_cose_key_len);
	return attest.rak_cose_key_len;
}

/* rmm-v1.0.md s14.1: SHA-256 -> 32 bytes, SHA-512 -> 64 bytes; IANA names. */
static size_t hash_size(unsigned int algorithm)
{
	return algorithm == RSI_HASH_SHA_256 ? 32 : algorithm == RSI_HASH_SHA_512 ? 64 : 0;
}

static const char *hash_name(unsigned int algorithm)
{
	return algorithm == RSI_HASH_SHA_256 ? "sha-256" : "sha-512";
}

int attest_token_init(struct attest_token_ctx *ctx, const uint8_t challenge[64],
		      const uint8_t rim[64], const uint8_t rems[ATTEST_NUM_REMS][64],
		      const uint8_t rpv[64], unsigned int algorithm)
{
	/* s15.4 step 1: a new INIT supersedes any operation in progress. */
	memset(ctx, 0, sizeof(*ctx));
	if (!hash_size(algorithm))
		return -EINVAL;
	if (attest_rmm_init())
		return -EIO;
	/* s15.2: the claims come from a snapshot taken at INIT. */
	ctx->algorithm = algorithm;
	memcpy(ctx->challenge, challenge, sizeof(ctx->challenge));
	memcpy(ctx->rpv, rpv, sizeof(ctx->rpv));
	memcpy(ctx->rim, rim, sizeof(ctx->rim));
	memcpy(ctx->rems, rems, sizeof(ctx->rems));
	ctx->state = ATTEST_TOKEN_ENCODE;
	return 0;
}

/* s15.2: the claims map, entries in the reference order. */
static bool encode_claims(struct attest_token_ctx *ctx)
{
	size_t mlen = hash_size(ctx->algorithm);
	struct rk_cbor_w w;

	rk_cbor_init(&w, ctx->payload, sizeof(ctx->payload));
	rk_cbor_map(&w, REALM_CLAIMS);
	rk_cbor_int(&w, CLAIM_CHALLENGE);
	rk_cbor_bstr(&w, ctx->challenge, sizeof(ctx->challenge));
	rk_cbor_int(&w, CLAIM_RPV);
	rk_cbor_bstr(&w, ctx->rpv, sizeof(ctx->rpv));
	rk_cbor_int(&w, CLAIM_PUB_KEY);
	rk_cbor_bstr(&w, attest.rak_cose_key, attest.rak_cose_key_len);
	rk_cbor_int(&w, CLAIM_HASH_ALGO);
	rk_cbor_tstr(&w, hash_name(ctx->algorithm));
	rk_cbor_int(&w, CLAIM_PUB_KEY_HASH_ALGO);
	rk_cbor_tstr(&w, "sha-256");
	rk_cbor_int(&w, CLAIM_PROFILE);
	rk_cbor_tstr(&w, RSI_TOKEN_PROFILE);
	rk_cbor_int(&w, CLAIM_RIM);
	rk_cbor_bstr(&w, ctx->rim, mlen);
	rk_cbor_int(&w, CLAIM_REMS);
	rk_cbor_array(&w, ATTEST_NUM_REMS);
	for (unsigned int i = 0; i < ATTEST_NUM_REMS; i++)
		rk_cbor_bstr(&w, ctx->rems[i], mlen);
	if (!rk_cbor_ok(&w))
		return false;
	ctx->payload_len = (uint32_t)w.len;
	return true;
}

static bool hash_sig_structure(struct attest_token_ctx *ctx)
{
	uint8_t digest[RK_SHA384_BYTES];

	if (rk_cose_sign1_digest((const uint8_t *)RK_COSE_PROTECTED_ES384,
				 RK_COSE_PROTECTED_ES384_LEN, ctx->payload, ctx->payload_len,
				 digest))
		return false;
	rk_ecdsa_start(&ctx->ecdsa, digest);
	return true;
}

/* s15.3: tag 399 {44234: bstr(platform token), 44241: bstr(realm token)}. */
static bool assemble(struct attest_token_ctx *ctx, struct attest_token_buf *buf)
{
	size_t realm_len = rk_cose_sign1_size(ctx->payload_len), n;
	struct rk_cbor_w w;

	rk_cbor_init(&w, buf->bytes, sizeof(buf->bytes));
	rk_cbor_tag(&w, RSI_CCA_TOKEN_CBOR_TAG);
	rk_cbor_map(&w, 2);
	rk_cbor_int(&w, RSI_CCA_TOKEN_PLATFORM_KEY);
	rk_cbor_bstr(&w, attest.platform_token, attest.platform_token_len);
	rk_cbor_int(&w, RSI_CCA_TOKEN_REALM_KEY);
	rk_cbor_bstr_head(&w, realm_len);
	if (!rk_cbor_ok(&w) || realm_len > w.size - w.len)
		return false;
	n = rk_cose_sign1_write(ctx->payload, ctx->payload_len, ctx->ecdsa.sig, w.buf + w.len,
				w.size - w.len);
	if (n != realm_len)
		return false;
	ctx->token_len = (uint32_t)(w.len + n);
	return true;
}

/* One step of work for the current state; false on an internal failure. */
static bool do_step(struct attest_token_ctx *ctx, struct attest_token_buf *buf)
{
	switch (ctx->state) {
	case ATTEST_TOKEN_ENCODE:
		if (!encode_claims(ctx))
			return false;
		ctx->state = ATTEST_TOKEN_DIGEST;
		return true;
	case ATTEST_TOKEN_DIGEST:
		if (!hash_sig_structure(ctx))
			return false;
		ctx->state = ATTEST_TOKEN_SIGN;
		return true;
	case ATTEST_TOKEN_SIGN:
		switch (rk_ecdsa_step(&ctx->ecdsa, attest.rak)) {
		case RK_STEP_IN_PROGRESS:
			return true;
		case RK_STEP_DONE:
			ctx->state = ATTEST_TOKEN_ASSEMBLE;
			return true;
		default:
			return false;
		}
	case ATTEST_TOKEN_ASSEMBLE:
		if (!assemble(ctx, buf))
			return false;
		ctx->state = ATTEST_TOKEN_DONE;
		return true;
	default:
		return false;
	}
}

enum attest_step_result attest_token_step(struct attest_token_ctx *ctx,
					  struct attest_token_buf *buf)
{
	if (ctx->state == ATTEST_TOKEN_DONE)
		return ATTEST_STEP_DONE;
	/* s15.4: CONTINUE without INIT (or after a failure) has nothing to do. */
	if (ctx->state == ATTEST_TOKEN_IDLE || ctx->state >= ATTEST_TOKEN_FAILED)
		return ATTEST_STEP_ERROR;
	ctx->steps++;
	if (!do_step(ctx, buf)) {
		ctx->state = ATTEST_TOKEN_FAILED;
		return ATTEST_STEP_ERROR;
	}
	return ctx->state == ATTEST_TOKEN_DONE ? ATTEST_STEP_DONE : ATTEST_STEP_IN_PROGRESS;
}

bool attest_token_in_progress(const struct attest_token_ctx *ctx)
{
	return ctx->state != ATTEST_TOKEN_IDLE && ctx->state != ATTEST_TOKEN_FAILED;
}

const uint8_t *attest_token_bytes(const struct attest_token_ctx *ctx,
				  const struct attest_token_buf *buf, size_t *len)
{
	if (ctx->state != ATTEST_TOKEN_DONE) {
		*len = 0;
		return NULL;
	}
	*len = ctx->token_len;
	return buf->bytes;
}

const uint8_t *attest_token_remaining(const struct attest_token_ctx *ctx,
				      const struct attest_token_buf *buf, size_t *len)
{
	if (ctx->state != ATTEST_TOKEN_DONE) {
		*len = 0;
		return NULL;
	}
	*len = ctx->token_len - ctx->copied;
	return buf->bytes + ctx->copied;
}

size_t attest_token_advance(struct attest_token_ctx *ctx, size_t n)
{
	size_t left;

	if (ctx->state != ATTEST_TOKEN_DONE)
		return 0;
	left = ctx->token_len - ctx->copied;
	ctx->copied += (uint32_t)(n < left ? n : left);
	left = ctx->token_len - ctx->copied;
	if (!left) /* s15.4: after SUCCESS a new INIT is needed */
		ctx->state = ATTEST_TOKEN_IDLE;
	return left;
}

int rmm_attest_make_token(const struct rmm_attest_request *req, uint8_t *out, size_t size,
			  size_t *len, unsigned int *steps)
{
	static_assert(sizeof(req->rems) == ATTEST_NUM_REMS * 64, "four 64-byte REM slots");
	struct attest_token_ctx ctx;
	struct attest_token_buf buf;
	enum attest_step_result r;
	size_t n = 0;
	const uint8_t *p;
	int ret;

	ret = attest_token_init(&ctx, req->challenge, req->rim, req->rems, req->rpv,
				req->algorithm);
	if (ret)
		return ret;
	do
		r = attest_token_step(&ctx, &buf);
	while (r == ATTEST_STEP_IN_PROGRESS);
	p = attest_token_bytes(&ctx, &buf, &n);
	if (r != ATTEST_STEP_DONE || !p)
		return -EIO;
	if (n > size)
		return -ENOSPC;
	memcpy(out, p, n);
	*len = n;
	if (steps)
		*steps = ctx.steps;
	return 0;
}

void rmm_attest_reset(void)
{
	attest_rmm_fini();
}
