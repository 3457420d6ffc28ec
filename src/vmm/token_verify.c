/* SPDX-License-Identifier: BSD-3-Clause */
/* Verifier of decoded CCA tokens (token_verify.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <rk_cose.h>

#include "token_verify.h"

struct verifier {
	cca_verify_report_fn fn;
	void *opaque;
};

static void report(const struct verifier *v, bool ok, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(const struct verifier *v, bool ok, const char *check, const char *fmt, ...)
{
	char text[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	v->fn(v->opaque, ok, check, text);
}

#define FAIL(v, check, ...) (report((v), false, (check), __VA_ARGS__), 1)
#define PASS(v, ...)	    report((v), true, NULL, __VA_ARGS__)

static bool span_is(struct cca_span s, const char *text)
{
	return s.len == strlen(text) && !memcmp(s.p, text, s.len);
}

/* 1 valid, 0 invalid, -1 internal failure, -2 not ES384. */
static int check_sign1(const struct cca_sign1 *s, const uint8_t x[48], const uint8_t y[48])
{
	uint8_t digest[RK_SHA384_BYTES];

	if (s->alg != RK_COSE_ALG_ES384)
		return -2;
	if (rk_cose_sign1_digest(s->protected.p, s->protected.len, s->payload.p, s->payload.len,
				 digest))
		return -1;
	return rk_p384_verify(x, y, digest, s->signature);
}

/* s15.1: the platform token is signed by the CPAK, the realm token by the RAK. */
static int verify_signatures(const struct verifier *v, const struct cca_token *t,
			     const struct cca_expect *e)
{
	uint8_t x[48], y[48], priv[48];
	char err[256];
	int r;

	if (e->platform_key) {
		if (rk_p384_public_from_pem(e->platform_key, x, y, err, sizeof(err)))
			return FAIL(v, "platform signature", "%s", err);
	} else if (rk_p384_key_from_label(RK_TEST_CPAK_LABEL, priv) || rk_p384_public(priv, x, y)) {
		return FAIL(v, "platform signature", "cannot derive the test CPAK");
	}
	r = check_sign1(&t->platform, x, y);
	if (r == -2)
		return FAIL(v, "platform signature", "alg %lld is not ES384 (-35)",
			    (long long)t->platform.alg);
	if (r != 1)
		return FAIL(v, "platform signature", "%s",
			    r		      ? "internal error"
			    : e->platform_key ? "does not verify with the given key"
					      : "does not verify with the built-in test CPAK");
	PASS(v, "platform signature (ES384, %s)",
	     e->platform_key ? e->platform_key : "realmkit's built-in test CPAK");
	r = check_sign1(&t->realm, t->rclaims.rak_x, t->rclaims.rak_y);
	if (r == -2)
		return FAIL(v, "realm signature", "alg %lld is not ES384 (-35)",
			    (long long)t->realm.alg);
	if (r != 1)
		return FAIL(v, "realm signature", "%s",
			    r ? "internal error" : "does not verify with the RAK of claim 44237");
	PASS(v, "realm signature (ES384, RAK from claim 44237)");
	return 0;
}

/* s15.3: the platform challenge is the hash (claim 44240) of the COSE_Key bytes of 44237. */
static int verify_binding(const struct verifier *v, const struct cca_token *t)
{
	const struct cca_realm_claims *r = &t->rclaims;
	const EVP_MD *md = span_is(r->pub_key_hash_algo, "sha-256")   ? EVP_sha256()
			   : span_is(r->pub_key_hash_algo, "sha-384") ? EVP_sha384()
			   : span_is(r->pub_key_hash_algo, "sha-512") ? EVP_sha512()
								      : NULL;
	uint8_t hash[64];
	unsigned int hlen = 0;

	if (!md)
		return FAIL(v, "binding", "unknown public key hash algorithm (claim 44240)");
	if (!EVP_Digest(r->pub_key.p, r->pub_key.len, hash, &hlen, md, NULL))
		return FAIL(v, "binding", "internal error");
	if (t->pclaims.challenge.len != hlen || memcmp(t->pclaims.challenge.p, hash, hlen))
		return FAIL(v, "binding",
			    "platform challenge is not the %.*s of the RAK COSE_Key (claim 44237)",
			    (int)r->pub_key_hash_algo.len, (const char *)r->pub_key_hash_algo.p);
	PASS(v, "binding (platform challenge = %.*s of the RAK COSE_Key)",
	     (int)r->pub_key_hash_algo.len, (const char *)r->pub_key_hash_algo.p);
	return 0;
}

static int verify_profiles(const struct verifier *v, const struct cca_token *t)
{
	const struct cca_realm_claims *r = &t->rclaims;
	size_t mlen = span_is(r->hash_algo, "sha-256")	 ? 32
		      : span_is(r->hash_algo, "sha-512") ? 64
							 : 0;

	/* rmm-v1.0.md s15.2: profile "tag:arm.com,2023:realm#1.0.0". */
	if (!span_is(r->profile, CCA_REALM_PROFILE))
		return FAIL(v, "realm profile", "'%.*s', expected '%s'", (int)r->profile.len,
			    (const char *)r->profile.p, CCA_REALM_PROFILE);
	PASS(v, "realm profile %s", CCA_REALM_PROFILE);
	if (!span_is(t->pclaims.profile, CCA_PLATFORM_PROFILE) &&
	    !span_is(t->pclaims.profile, CCA_PLATFORM_PROFILE_LEGACY))
		return FAIL(v, "platform profile", "unknown profile '%.*s'",
			    (int)t->pclaims.profile.len, (const char *)t->pclaims.profile.p);
	PASS(v, "platform profile %.*s", (int)t->pclaims.profile.len,
	     (const char *)t->pclaims.profile.p);
	/* s15.2: RIM and REMs have the hash length of claim 44236 ("sha-256"/"sha-512"). */
	if (!mlen)
		return FAIL(v, "measurements", "unknown hash algorithm '%.*s' (claim 44236)",
			    (int)r->hash_algo.len, (const char *)r->hash_algo.p);
	if (r->rim.len != mlen)
		return FAIL(v, "measurements", "RIM is %zu bytes, %.*s needs %zu", r->rim.len,
			    (int)r->hash_algo.len, (const char *)r->hash_algo.p, mlen);
	for (int i = 0; i < 4; i++)
		if (r->rems[i].len != mlen)
			return FAIL(v, "measurements", "REM %d is %zu bytes, expected %zu", i,
				    r->rems[i].len, mlen);
	PASS(v, "measurements (%.*s: RIM and 4 REMs of %zu bytes)", (int)r->hash_algo.len,
	     (const char *)r->hash_algo.p, mlen);
	return 0;
}

static int verify_expected(const struct verifier *v, const struct cca_token *t,
			   const struct cca_expect *e)
{
	const struct cca_realm_claims *r = &t->rclaims;

	if (e->has_challenge) {
		if (memcmp(r->challenge.p, e->challenge, 64))
			return FAIL(v, "challenge", "claim 10 differs from --challenge");
		PASS(v, "challenge matches");
	}
	if (e->has_rpv) {
		if (memcmp(r->rpv.p, e->rpv, 64))
			return FAIL(v, "rpv", "claim 44235 differs from --rpv");
		PASS(v, "rpv matches");
	}
	if (e->has_rim) {
		if (r->rim.len != e->rim_len || memcmp(r->rim.p, e->rim, e->rim_len))
			return FAIL(v, "rim", "claim 44238 differs from --rim");
		PASS(v, "rim matches");
	}
	return 0;
}

int cca_token_verify(const struct cca_token *t, const struct cca_expect *e, cca_verify_report_fn fn,
		     void *opaque)
{
	struct verifier v = { .fn = fn, .opaque = opaque };

	if (verify_signatures(&v, t, e) || verify_binding(&v, t) || verify_profiles(&v, t) ||
	    verify_expected(&v, t, e))
		return 1;
	return 0;
}
