/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attestation throughput: complete CCA tokens per second (attest_token_init()
 * to the last attest_token_step(), as RSI_ATTESTATION_TOKEN_INIT to the last
 * CONTINUE would do minus the copy-out) next to the physical limit measured
 * in the same run, OpenSSL's own ECDSA P-384 signatures per second (a token
 * needs exactly one). Prints rates and ratios, never pass/fail.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "attest_token.h"
#include "bench_util.h"

static struct attest_token_ctx ctx;
static struct attest_token_buf buf;
static uint8_t zero64[64], rems[ATTEST_NUM_REMS][64];

static void tokens(void *arg, unsigned long n)
{
	(void)arg;
	for (unsigned long i = 0; i < n; i++) {
		zero64[0] = (uint8_t)i; /* a new challenge each time */
		if (attest_token_init(&ctx, zero64, zero64, rems, zero64, RSI_HASH_SHA_256))
			return;
		while (attest_token_step(&ctx, &buf) == ATTEST_STEP_IN_PROGRESS)
			;
	}
}

static void openssl_signs(void *arg, unsigned long n)
{
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(arg, NULL);
	uint8_t digest[48] = { 1 }, sig[128];

	if (!pctx || EVP_PKEY_sign_init(pctx) <= 0)
		return;
	for (unsigned long i = 0; i < n; i++) {
		size_t len = sizeof(sig);

		digest[0] = (uint8_t)i;
		EVP_PKEY_sign(pctx, sig, &len, digest, sizeof(digest));
	}
	EVP_PKEY_CTX_free(pctx);
}

static void rfc6979_signs(void *arg, unsigned long n)
{
	uint8_t digest[48] = { 2 }, sig[96];

	for (unsigned long i = 0; i < n; i++) {
		digest[0] = (uint8_t)i;
		rk_ecdsa_sign(arg, digest, sig);
	}
}

int main(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-384");
	uint8_t priv[48];
	double t_tok, t_ssl, t_det;
	size_t len;

	if (!key || attest_rmm_init() || rk_p384_key_from_label(RK_TEST_RAK_LABEL, priv)) {
		fprintf(stderr, "bench_attest: setup failed\n");
		return 1;
	}
	tokens(NULL, 1); /* warm up, and check that a token comes out */
	if (!attest_token_bytes(&ctx, &buf, &len)) {
		fprintf(stderr, "bench_attest: no token\n");
		return 1;
	}
	t_ssl = bench_best(openssl_signs, key, 200, 5);
	t_det = bench_best(rfc6979_signs, priv, 200, 5);
	t_tok = bench_best(tokens, NULL, 200, 5);
	printf("attest: CCA token (SHA-256, %zu bytes, %u steps): %8.0f tokens/s  (%.0f us each)\n",
	       len, ATTEST_TOKEN_STEPS, 1 / t_tok, t_tok * 1e6);
	printf("attest: OpenSSL EVP_PKEY_sign ECDSA P-384:       %8.0f signs/s   (%.0f us each)\n",
	       1 / t_ssl, t_ssl * 1e6);
	printf("attest: realmkit RFC 6979 ECDSA P-384 (stepped):  %8.0f signs/s   (%.0f us each)\n",
	       1 / t_det, t_det * 1e6);
	printf("attest: tokens/s / OpenSSL signs/s = %.2f (1.00 = a token costs one OpenSSL "
	       "signature; the rest is the stepped k*G, hashing and encoding)\n",
	       t_ssl / t_tok);
	EVP_PKEY_free(key);
	return 0;
}
