/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ECDSA P-384 with SHA-384 digests, deterministic nonces (RFC 6979 s3.2 with
 * HMAC-SHA-384) and k*G split into bounded steps, over OpenSSL's EC group,
 * point and big-number arithmetic.
 *
 * Why not EVP_PKEY_sign(): OpenSSL 3.0 draws a random nonce (tokens would
 * differ on every run) and computes k*G in one uninterruptible call; the RMM
 * must be able to stop between steps and let a pending interrupt through
 * (rmm-v1.0.md s15.1, s16.5), as TF-RMM does with mbedtls' restartable ECC.
 *
 * The scalar multiplication is left to right with fixed 4-bit windows and
 * one addition per window (a dummy one for a zero window), so every step
 * costs the same; it is not hardened against cache-timing attacks, which
 * do not matter for a simulator.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>

#include "rk_cose.h"

#define P384_BITS 384u

/* The OpenSSL objects one step needs; created and freed within the step. */
struct p384 {
	EC_GROUP *group;
	BN_CTX *bn;
	const BIGNUM *n;
};

static bool p384_open(struct p384 *c)
{
	c->group = EC_GROUP_new_by_curve_name(NID_secp384r1);
	c->bn = BN_CTX_new();
	c->n = c->group ? EC_GROUP_get0_order(c->group) : NULL;
	return c->group && c->bn && c->n;
}

static void p384_close(struct p384 *c)
{
	BN_CTX_free(c->bn);
	EC_GROUP_free(c->group);
}

bool rk_p384_private_valid(const uint8_t priv[RK_P384_BYTES])
{
	struct p384 c = { 0 };
	BIGNUM *d = BN_bin2bn(priv, RK_P384_BYTES, NULL);
	bool ok = false;

	if (p384_open(&c) && d)
		ok = !BN_is_zero(d) && BN_cmp(d, c.n) < 0;
	BN_clear_free(d);
	p384_close(&c);
	return ok;
}

int rk_p384_key_from_label(const char *label, uint8_t priv[RK_P384_BYTES])
{
	uint8_t h[RK_SHA384_BYTES];
	unsigned int hlen = 0;
	struct p384 c = { 0 };
	BIGNUM *d = NULL;
	int ret = -EINVAL;

	if (!EVP_Digest(label, strlen(label), h, &hlen, EVP_sha384(), NULL) || !p384_open(&c))
		goto out_close;
	d = BN_bin2bn(h, sizeof(h), NULL);
	if (d && BN_nnmod(d, d, c.n, c.bn) && !BN_is_zero(d) &&
	    BN_bn2binpad(d, priv, RK_P384_BYTES) == (int)RK_P384_BYTES)
		ret = 0;
out_close:
	BN_clear_free(d);
	p384_close(&c);
	return ret;
}

int rk_p384_public(const uint8_t priv[RK_P384_BYTES], uint8_t x[RK_P384_BYTES],
		   uint8_t y[RK_P384_BYTES])
{
	struct p384 c = { 0 };
	BIGNUM *d = BN_bin2bn(priv, RK_P384_BYTES, NULL), *bx = BN_new(), *by = BN_new();
	EC_POINT *q = NULL;
	int ret = -EINVAL;

	if (!p384_open(&c) || !d || !bx || !by || BN_is_zero(d) || BN_cmp(d, c.n) >= 0)
		goto out;
	q = EC_POINT_new(c.group);
	if (q && EC_POINT_mul(c.group, q, d, NULL, NULL, c.bn) &&
	    EC_POINT_get_affine_coordinates(c.group, q, bx, by, c.bn) &&
	    BN_bn2binpad(bx, x, RK_P384_BYTES) == (int)RK_P384_BYTES &&
	    BN_bn2binpad(by, y, RK_P384_BYTES) == (int)RK_P384_BYTES)
		ret = 0;
out:
	EC_POINT_free(q);
	BN_clear_free(d);
	BN_free(bx);
	BN_free(by);
	p384_close(&c);
	return ret;
}

/* out = HMAC-SHA-384(key, a || sep || b || c), sep omitted when < 0. */
static bool hmac4(const uint8_t key[RK_SHA384_BYTES], const uint8_t *a, int sep, const uint8_t *b,
		  const uint8_t *cc, uint8_t out[RK_SHA384_BYTES])
{
	uint8_t msg[RK_SHA384_BYTES + 1 + 2 * RK_P384_BYTES];
	size_t len = 0;
	unsigned int olen = 0;

	memcpy(msg, a, RK_SHA384_BYTES);
	len = RK_SHA384_BYTES;
	if (sep >= 0) {
		msg[len++] = (uint8_t)sep;
		if (b) {
			memcpy(msg + len, b, RK_P384_BYTES);
			memcpy(msg + len + RK_P384_BYTES, cc, RK_P384_BYTES);
			len += 2 * RK_P384_BYTES;
		}
	}
	return HMAC(EVP_sha384(), key, RK_SHA384_BYTES, msg, len, out, &olen) &&
	       olen == RK_SHA384_BYTES;
}

/* RFC 6979 s3.2 b-f: K and V from the key and bits2octets(h1). */
static bool rfc6979_seed(struct rk_ecdsa_ctx *ctx, struct p384 *c,
			 const uint8_t priv[RK_P384_BYTES])
{
	uint8_t h[RK_P384_BYTES];
	BIGNUM *z = BN_bin2bn(ctx->digest, RK_SHA384_BYTES, NULL);
	bool ok;

	/* bits2octets: qlen == hlen == 384, so z1 = int(h1) and z2 = z1 mod n. */
	ok = z && BN_nnmod(z, z, c->n, c->bn) &&
	     BN_bn2binpad(z, h, RK_P384_BYTES) == (int)RK_P384_BYTES;
	BN_free(z);
	if (!ok)
		return false;
	memset(ctx->hmac_v, 0x01, sizeof(ctx->hmac_v));
	memset(ctx->hmac_k, 0x00, sizeof(ctx->hmac_k));
	return hmac4(ctx->hmac_k, ctx->hmac_v, 0x00, priv, h, ctx->hmac_k) &&
	       hmac4(ctx->hmac_k, ctx->hmac_v, -1, NULL, NULL, ctx->hmac_v) &&
	       hmac4(ctx->hmac_k, ctx->hmac_v, 0x01, priv, h, ctx->hmac_k) &&
	       hmac4(ctx->hmac_k, ctx->hmac_v, -1, NULL, NULL, ctx->hmac_v);
}

/* RFC 6979 s3.2 h: the next candidate k with 1 <= k < n. */
static bool rfc6979_next(struct rk_ecdsa_ctx *ctx, struct p384 *c,
			 const uint8_t priv[RK_P384_BYTES])
{
	for (;;) {
		BIGNUM *k;
		bool good;

		if (ctx->nonces >= RK_ECDSA_MAX_NONCES)
			return false;
		if (ctx->nonces == 0) {
			if (!rfc6979_seed(ctx, c, priv))
				return false;
		} else if (!hmac4(ctx->hmac_k, ctx->hmac_v, 0x00, NULL, NULL, ctx->hmac_k) ||
			   !hmac4(ctx->hmac_k, ctx->hmac_v, -1, NULL, NULL, ctx->hmac_v)) {
			return false;
		}
		ctx->nonces++;
		/* tlen == qlen: one HMAC block is T; k = bits2int(T). */
		if (!hmac4(ctx->hmac_k, ctx->hmac_v, -1, NULL, NULL, ctx->hmac_v))
			return false;
		k = BN_bin2bn(ctx->hmac_v, RK_SHA384_BYTES, NULL);
		good = k && !BN_is_zero(k) && BN_cmp(k, c->n) < 0;
		BN_clear_free(k);
		if (good) {
			memcpy(ctx->k, ctx->hmac_v, RK_P384_BYTES);
			return true;
		}
	}
}

void rk_ecdsa_start(struct rk_ecdsa_ctx *ctx, const uint8_t digest[RK_SHA384_BYTES])
{
	memset(ctx, 0, sizeof(*ctx));
	memcpy(ctx->digest, digest, RK_SHA384_BYTES);
	ctx->phase = RK_ECDSA_NONCE;
}

#define WINDOW_BITS 4u
#define WINDOW_SIZE (1u << WINDOW_BITS)

/* t[i] = i*G for i in 1..15 (t[0] unused). */
static bool window_table(struct p384 *c, EC_POINT *t[WINDOW_SIZE])
{
	const EC_POINT *g = EC_GROUP_get0_generator(c->group);
	bool ok = true;

	for (unsigned int i = 1; ok && i < WINDOW_SIZE; i++) {
		t[i] = EC_POINT_new(c->group);
		ok = t[i] && (i == 1   ? EC_POINT_copy(t[1], g)
			      : i == 2 ? EC_POINT_dbl(c->group, t[2], t[1], c->bn)
				       : EC_POINT_add(c->group, t[i], t[i - 1], t[1], c->bn));
	}
	return ok;
}

/* The WINDOW_BITS bits of k ending at bit `low` (most significant first). */
static unsigned int window_at(const uint8_t k[RK_P384_BYTES], unsigned int low)
{
	unsigned int w = 0;

	for (unsigned int b = low + WINDOW_BITS; b-- > low;)
		w = w << 1 | ((k[RK_P384_BYTES - 1 - b / 8] >> (b % 8)) & 1u);
	return w;
}

/*
 * acc := acc * 2^64 + (next 64 bits of k) * G: fixed 4-bit windows, each
 * four doublings and one addition (of 1*G into a scratch point when the
 * window is zero, so that every step does the same work).
 */
static bool mul_step(struct rk_ecdsa_ctx *ctx, struct p384 *c)
{
	EC_POINT *t[WINDOW_SIZE] = { NULL };
	EC_POINT *acc = EC_POINT_new(c->group), *scratch = EC_POINT_new(c->group);
	bool ok = acc && scratch && window_table(c, t);
	size_t len;

	if (ok && ctx->acc_len <= 1)
		ok = EC_POINT_set_to_infinity(c->group, acc);
	else if (ok)
		ok = EC_POINT_oct2point(c->group, acc, ctx->acc, ctx->acc_len, c->bn);
	for (unsigned int i = 0; ok && i < RK_ECDSA_BITS_PER_STEP / WINDOW_BITS && ctx->bit; i++) {
		unsigned int w;

		ctx->bit -= WINDOW_BITS;
		w = window_at(ctx->k, ctx->bit);
		for (unsigned int j = 0; ok && j < WINDOW_BITS; j++)
			ok = EC_POINT_dbl(c->group, acc, acc, c->bn);
		ok = ok && (w ? EC_POINT_add(c->group, acc, acc, t[w], c->bn)
			      : EC_POINT_add(c->group, scratch, acc, t[1], c->bn));
	}
	if (ok) {
		len = EC_POINT_point2oct(c->group, acc, POINT_CONVERSION_UNCOMPRESSED, ctx->acc,
					 sizeof(ctx->acc), c->bn);
		ok = len == 1 || len == RK_P384_POINT_BYTES;
		ctx->acc_len = (uint8_t)len;
	}
	for (unsigned int i = 0; i < WINDOW_SIZE; i++)
		EC_POINT_free(t[i]);
	EC_POINT_clear_free(acc);
	EC_POINT_clear_free(scratch);
	return ok;
}

/*
 * r = x(k*G) mod n, s = k^-1 (e + r d) mod n. Returns 1 when the signature
 * is complete, 0 when r or s is zero (RFC 6979 then draws the next k), -1
 * on failure.
 */
static int finish_step(struct rk_ecdsa_ctx *ctx, struct p384 *c, const uint8_t priv[RK_P384_BYTES])
{
	EC_POINT *pt = EC_POINT_new(c->group);
	BIGNUM *r = BN_new(), *s = BN_new(), *k = BN_bin2bn(ctx->k, RK_P384_BYTES, NULL);
	BIGNUM *d = BN_bin2bn(priv, RK_P384_BYTES, NULL);
	BIGNUM *e = BN_bin2bn(ctx->digest, RK_SHA384_BYTES, NULL);
	int ret = -1;

	if (!pt || !r || !s || !k || !d || !e || ctx->acc_len != RK_P384_POINT_BYTES ||
	    !EC_POINT_oct2point(c->group, pt, ctx->acc, ctx->acc_len, c->bn) ||
	    !EC_POINT_get_affine_coordinates(c->group, pt, r, NULL, c->bn) ||
	    !BN_nnmod(r, r, c->n, c->bn))
		goto out;
	if (BN_is_zero(r)) {
		ret = 0;
		goto out;
	}
	/* e = bits2int(H(m)): the digest is exactly qlen bits, no shift. */
	if (!BN_mod_mul(s, r, d, c->n, c->bn) || !BN_mod_add(s, s, e, c->n, c->bn) ||
	    !BN_mod_inverse(k, k, c->n, c->bn) || !BN_mod_mul(s, s, k, c->n, c->bn))
		goto out;
	if (BN_is_zero(s)) {
		ret = 0;
		goto out;
	}
	if (BN_bn2binpad(r, ctx->sig, RK_P384_BYTES) == (int)RK_P384_BYTES &&
	    BN_bn2binpad(s, ctx->sig + RK_P384_BYTES, RK_P384_BYTES) == (int)RK_P384_BYTES)
		ret = 1;
out:
	EC_POINT_free(pt);
	BN_free(r);
	BN_free(s);
	BN_clear_free(k);
	BN_clear_free(d);
	BN_free(e);
	return ret;
}

enum rk_step_result rk_ecdsa_step(struct rk_ecdsa_ctx *ctx, const uint8_t priv[RK_P384_BYTES])
{
	struct p384 c = { 0 };
	int fin;

	if (ctx->phase == RK_ECDSA_DONE)
		return RK_STEP_DONE;
	if (ctx->phase > RK_ECDSA_DONE || !p384_open(&c)) {
		ctx->phase = RK_ECDSA_FAILED;
		p384_close(&c);
		return RK_STEP_ERROR;
	}
	switch (ctx->phase) {
	case RK_ECDSA_NONCE:
		if (!rfc6979_next(ctx, &c, priv))
			goto fail;
		ctx->bit = P384_BITS;
		ctx->acc_len = 1;
		ctx->phase = RK_ECDSA_MUL;
		break;
	case RK_ECDSA_MUL:
		if (!mul_step(ctx, &c))
			goto fail;
		if (ctx->bit == 0)
			ctx->phase = RK_ECDSA_FINISH;
		break;
	default: /* RK_ECDSA_FINISH */
		fin = finish_step(ctx, &c, priv);
		if (fin < 0)
			goto fail;
		ctx->phase = fin ? RK_ECDSA_DONE : RK_ECDSA_NONCE;
		break;
	}
	p384_close(&c);
	return ctx->phase == RK_ECDSA_DONE ? RK_STEP_DONE : RK_STEP_IN_PROGRESS;
fail:
	p384_close(&c);
	ctx->phase = RK_ECDSA_FAILED;
	return RK_STEP_ERROR;
}

int rk_ecdsa_sign(const uint8_t priv[RK_P384_BYTES], const uint8_t digest[RK_SHA384_BYTES],
		  uint8_t sig[RK_P384_SIG_BYTES])
{
	struct rk_ecdsa_ctx ctx;
	enum rk_step_result r;

	rk_ecdsa_start(&ctx, digest);
	do
		r = rk_ecdsa_step(&ctx, priv);
	while (r == RK_STEP_IN_PROGRESS);
	if (r == RK_STEP_DONE)
		memcpy(sig, ctx.sig, RK_P384_SIG_BYTES);
	memset(&ctx, 0, sizeof(ctx));
	return r == RK_STEP_DONE ? 0 : -EIO;
}
