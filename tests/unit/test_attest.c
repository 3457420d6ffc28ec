/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attestation (rmm-v1.0.md s15): deterministic ECDSA P-384 against RFC 6979's
 * vector, the COSE_Key encoding, the realm token's claims and their order,
 * sizes, the platform binding, both signatures, the restartable step
 * machine (step count, per-step time printed), INIT superseding INIT, the
 * chunked copy-out, PEM keys and two RECs signing at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "attest_token.h"
#include "platform_root.h"
#include "rk_test.h"
#include "token_decode.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sscanf(s + 2 * i, "%2hhx", &out[i]), 1);
}

/* Inputs of one token: challenge byte c, RIM byte r, REM i = r + i + 1, RPV 0x5e. */
struct input {
	uint8_t challenge[64], rim[64], rems[4][64], rpv[64];
	unsigned int algo;
};

static void make_input(struct input *in, uint8_t c, uint8_t r, unsigned int algo)
{
	memset(in, 0, sizeof(*in));
	memset(in->challenge, c, sizeof(in->challenge));
	memset(in->rim, r, sizeof(in->rim));
	for (int i = 0; i < 4; i++)
		memset(in->rems[i], r + i + 1, sizeof(in->rems[i]));
	memset(in->rpv, 0x5e, sizeof(in->rpv));
	in->algo = algo;
}

/* Runs INIT and every step; returns the step count, the token in buf. */
static unsigned int run_token(struct attest_token_ctx *ctx, struct attest_token_buf *buf,
			      const struct input *in, double *max_step_us)
{
	enum attest_step_result r;
	double worst = 0;

	assert_int_equal(
		attest_token_init(ctx, in->challenge, in->rim, in->rems, in->rpv, in->algo), 0);
	do {
		double t0 = now_us(), dt;

		r = attest_token_step(ctx, buf);
		dt = now_us() - t0;
		if (dt > worst)
			worst = dt;
	} while (r == ATTEST_STEP_IN_PROGRESS);
	assert_int_equal(r, ATTEST_STEP_DONE);
	if (max_step_us)
		*max_step_us = worst;
	return ctx->steps;
}

static int reset_keys(void **state)
{
	(void)state;
	assert_int_equal(platform_attest_set_keys(NULL, NULL, NULL, 0), 0);
	attest_rmm_fini();
	return 0;
}

/* RFC 6979 A.2.6: P-384, SHA-384, message "sample": k, r and s are fixed. */
static void test_rfc6979_vector(void **state)
{
	uint8_t d[48], ux[48], uy[48], x[48], y[48], want[96], digest[48];
	struct rk_ecdsa_ctx ctx;
	unsigned int steps = 0;
	enum rk_step_result r;
	unsigned int dl = 0;

	(void)state;
	unhex("6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
	      "96D5724E4C70A825F872C9EA60D2EDF5",
	      d, 48);
	unhex("EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64"
	      "DEF8F0EA9055866064A254515480BC13",
	      ux, 48);
	unhex("8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1"
	      "288B231C3AE0D4FE7344FD2533264720",
	      uy, 48);
	unhex("94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
	      "81A648152E44ACF96E36DD1E80FABE46"
	      "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
	      "A329C145786E679E7B82C71A38628AC8",
	      want, 96);
	assert_int_equal(rk_p384_public(d, x, y), 0);
	assert_memory_equal(x, ux, 48);
	assert_memory_equal(y, uy, 48);
	assert_true(EVP_Digest("sample", 6, digest, &dl, EVP_sha384(), NULL));
	rk_ecdsa_start(&ctx, digest);
	do {
		r = rk_ecdsa_step(&ctx, d);
		steps++;
	} while (r == RK_STEP_IN_PROGRESS);
	assert_int_equal(r, RK_STEP_DONE);
	assert_memory_equal(ctx.sig, want, 96);
	/* nonce + 384/64 multiply steps + finish */
	assert_int_equal(steps, 1 + RK_ECDSA_MUL_STEPS + 1);
	assert_int_equal(rk_p384_verify(x, y, digest, ctx.sig), 1);
	ctx.sig[95] ^= 1;
	assert_int_equal(rk_p384_verify(x, y, digest, ctx.sig), 0);
}

/* s15.2 / TF-RMM t_cose_key_encode(): {1: 2, -1: 2, -2: x, -3: y}, 107 bytes. */
static void test_cose_key(void **state)
{
	uint8_t key[128], x[48], y[48];
	size_t n;

	(void)state;
	memset(x, 0xa5, sizeof(x));
	memset(y, 0x5a, sizeof(y));
	n = rk_cose_key_p384(x, y, key, sizeof(key));
	assert_int_equal(n, RK_COSE_KEY_P384_SIZE);
	assert_memory_equal(key, "\xa4\x01\x02\x20\x02\x21\x58\x30", 8);
	assert_memory_equal(key + 8, x, 48);
	assert_memory_equal(key + 56, "\x22\x58\x30", 3);
	assert_memory_equal(key + 59, y, 48);
	assert_int_equal(rk_cose_key_p384(x, y, key, 106), 0); /* does not fit */
}

static void decode(const struct attest_token_ctx *ctx, const struct attest_token_buf *buf,
		   struct cca_token *t)
{
	char err[256] = "";
	size_t len;
	const uint8_t *p = attest_token_bytes(ctx, buf, &len);

	assert_non_null(p);
	if (cca_token_decode(p, len, t, err, sizeof(err)))
		fail_msg("decode: %s", err);
}

/* The same inputs and keys give the same bytes (RFC 6979 nonces); any change shows. */
static void test_deterministic(void **state)
{
	static struct attest_token_ctx a, b;
	static struct attest_token_buf ba, bb;
	struct input in;
	size_t la, lb;

	(void)state;
	make_input(&in, 0x42, 0x10, RSI_HASH_SHA_256);
	run_token(&a, &ba, &in, NULL);
	run_token(&b, &bb, &in, NULL);
	assert_non_null(attest_token_bytes(&a, &ba, &la));
	assert_non_null(attest_token_bytes(&b, &bb, &lb));
	assert_int_equal(la, lb);
	assert_memory_equal(ba.bytes, bb.bytes, la);
	in.challenge[63] ^= 1;
	run_token(&b, &bb, &in, NULL);
	assert_memory_not_equal(ba.bytes, bb.bytes, la);
}

/* s15.2: every claim, in the reference order, with the snapshot's values; s15.3 sizes. */
static void check_claims(unsigned int algo, size_t want_len, size_t want_realm_len)
{
	static const int64_t order[] = { 10, 44235, 44237, 44236, 44240, 265, 44238, 44239 };
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	static struct cca_token t;
	size_t mlen = algo == RSI_HASH_SHA_256 ? 32 : 64, len;
	struct input in;

	make_input(&in, 0x77, 0x20, algo);
	run_token(&ctx, &buf, &in, NULL);
	decode(&ctx, &buf, &t);
	assert_non_null(attest_token_bytes(&ctx, &buf, &len));
	assert_int_equal(len, want_len);
	assert_int_equal(t.realm.raw.len, want_realm_len);
	assert_int_equal(t.rclaims.n_claims, ARRAY_SIZE(order));
	assert_memory_equal(t.rclaims.order, order, sizeof(order));
	assert_int_equal(t.rclaims.challenge.len, 64);
	assert_memory_equal(t.rclaims.challenge.p, in.challenge, 64);
	assert_memory_equal(t.rclaims.rpv.p, in.rpv, 64);
	assert_int_equal(t.rclaims.rim.len, mlen);
	assert_memory_equal(t.rclaims.rim.p, in.rim, mlen);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t.rclaims.rems[i].len, mlen);
		assert_memory_equal(t.rclaims.rems[i].p, in.rems[i], mlen);
	}
	assert_int_equal(t.rclaims.hash_algo.len, 7);
	assert_memory_equal(t.rclaims.hash_algo.p, mlen == 32 ? "sha-256" : "sha-512", 7);
	assert_memory_equal(t.rclaims.pub_key_hash_algo.p, "sha-256", 7);
	assert_int_equal(t.rclaims.profile.len, strlen(RSI_TOKEN_PROFILE));
	assert_memory_equal(t.rclaims.profile.p, RSI_TOKEN_PROFILE, strlen(RSI_TOKEN_PROFILE));
	assert_int_equal(t.realm.alg, RK_COSE_ALG_ES384);
	assert_int_equal(t.realm.protected.len, 4);
	assert_memory_equal(t.realm.protected.p, RK_COSE_PROTECTED_ES384, 4);
	assert_true(ctx.payload_len <= ATTEST_REALM_PAYLOAD_MAX);
	print_message("token %s: CCA token %zu bytes (platform %zu, realm %zu, claims %u)\n",
		      mlen == 32 ? "sha-256" : "sha-512", len, t.platform.raw.len, t.realm.raw.len,
		      ctx.payload_len);
}

/*
 * SHA-256: a realm token of 590 bytes, as TF-RMM's (2124-byte fake-host CCA
 * token minus its 1518-byte sample platform token and 16 bytes of
 * collection framing, rmm-v1.0.md s15.3). SHA-512 adds 32 + 4 * 32 bytes.
 */
static void test_claims_sha256(void **state)
{
	(void)state;
	check_claims(RSI_HASH_SHA_256, 1299, 590);
}

static void test_claims_sha512(void **state)
{
	(void)state;
	check_claims(RSI_HASH_SHA_512, 1459, 750);
}

/* s15.3: platform challenge = SHA-256(claim 44237); both signatures verify. */
static void test_binding_and_signatures(void **state)
{
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	static struct cca_token t;
	uint8_t key[RK_COSE_KEY_P384_SIZE], hash[32], d[48], cx[48], cy[48];
	uint8_t digest[48];
	unsigned int hl = 0;
	struct input in;
	size_t klen;

	(void)state;
	make_input(&in, 0x01, 0x02, RSI_HASH_SHA_256);
	run_token(&ctx, &buf, &in, NULL);
	decode(&ctx, &buf, &t);
	klen = attest_rak_cose_key(key, sizeof(key));
	assert_int_equal(klen, RK_COSE_KEY_P384_SIZE);
	assert_int_equal(t.rclaims.pub_key.len, klen);
	assert_memory_equal(t.rclaims.pub_key.p, key, klen);
	assert_true(EVP_Digest(key, klen, hash, &hl, EVP_sha256(), NULL));
	assert_int_equal(t.pclaims.challenge.len, 32);
	assert_memory_equal(t.pclaims.challenge.p, hash, 32);
	/* The RAK is realmkit's test RAK; the CPAK signs the platform token. */
	assert_int_equal(rk_p384_key_from_label(RK_TEST_RAK_LABEL, d), 0);
	assert_int_equal(rk_p384_public(d, cx, cy), 0);
	assert_memory_equal(t.rclaims.rak_x, cx, 48);
	assert_memory_equal(t.rclaims.rak_y, cy, 48);
	assert_int_equal(rk_cose_sign1_digest(t.realm.protected.p, t.realm.protected.len,
					      t.realm.payload.p, t.realm.payload.len, digest),
			 0);
	assert_int_equal(
		rk_p384_verify(t.rclaims.rak_x, t.rclaims.rak_y, digest, t.realm.signature), 1);
	assert_int_equal(platform_attest_cpak_public(cx, cy), 0);
	assert_int_equal(rk_cose_sign1_digest(t.platform.protected.p, t.platform.protected.len,
					      t.platform.payload.p, t.platform.payload.len, digest),
			 0);
	assert_int_equal(rk_p384_verify(cx, cy, digest, t.platform.signature), 1);
}

/* s15.1/s16.5: a fixed number of bounded steps; no step after the last. */
static void test_step_machine(void **state)
{
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	struct input in;
	double worst = 0, t0, total;
	unsigned int steps;
	size_t len;

	(void)state;
	memset(&ctx, 0, sizeof(ctx));
	/* s15.4: CONTINUE without INIT: nothing to step. */
	assert_int_equal(attest_token_step(&ctx, &buf), ATTEST_STEP_ERROR);
	assert_false(attest_token_in_progress(&ctx));
	make_input(&in, 0x33, 0x44, RSI_HASH_SHA_512);
	attest_rmm_init();
	t0 = now_us();
	steps = run_token(&ctx, &buf, &in, &worst);
	total = now_us() - t0;
	assert_int_equal(steps, ATTEST_TOKEN_STEPS);
	print_message("step machine: %u steps, %.0f us in all, longest step %.0f us, "
		      "ctx %zu bytes (limit %llu: one aux granule), buffer %zu bytes\n",
		      steps, total, worst, ATTEST_TOKEN_CTX_SIZE, (unsigned long long)GRANULE_SIZE,
		      sizeof(struct attest_token_buf));
	/* Once DONE, further steps do no work. */
	assert_int_equal(attest_token_step(&ctx, &buf), ATTEST_STEP_DONE);
	assert_int_equal(ctx.steps, ATTEST_TOKEN_STEPS);
	assert_non_null(attest_token_bytes(&ctx, &buf, &len));
	assert_true(attest_token_in_progress(&ctx));
}

/* s15.4 step 1: INIT in the middle of signing restarts with the new challenge. */
static void test_init_supersedes(void **state)
{
	static struct attest_token_ctx ctx, fresh;
	static struct attest_token_buf buf, fbuf;
	struct input a, b;
	size_t len, flen;

	(void)state;
	make_input(&a, 0xaa, 0x01, RSI_HASH_SHA_256);
	make_input(&b, 0xbb, 0x01, RSI_HASH_SHA_256);
	assert_int_equal(attest_token_init(&ctx, a.challenge, a.rim, a.rems, a.rpv, a.algo), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(attest_token_step(&ctx, &buf), ATTEST_STEP_IN_PROGRESS);
	assert_null(attest_token_bytes(&ctx, &buf, &len));
	assert_int_equal(len, 0);
	run_token(&ctx, &buf, &b, NULL);
	assert_int_equal(ctx.steps, ATTEST_TOKEN_STEPS);
	run_token(&fresh, &fbuf, &b, NULL);
	assert_non_null(attest_token_bytes(&ctx, &buf, &len));
	assert_non_null(attest_token_bytes(&fresh, &fbuf, &flen));
	assert_int_equal(len, flen);
	assert_memory_equal(buf.bytes, fbuf.bytes, len);
}

/* s15.4 step 2-3: copied out in 256-byte chunks; after the last a new INIT is needed. */
static void test_copy_out(void **state)
{
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	uint8_t out[RSI_ATTEST_TOKEN_MAX_SIZE];
	size_t total, left, got = 0, last = 0;
	const uint8_t *p;
	unsigned int chunks = 0;
	struct input in;

	(void)state;
	make_input(&in, 0x10, 0x20, RSI_HASH_SHA_256);
	run_token(&ctx, &buf, &in, NULL);
	assert_non_null(attest_token_bytes(&ctx, &buf, &total));
	do {
		p = attest_token_remaining(&ctx, &buf, &left);
		assert_non_null(p);
		last = left < 256 ? left : 256;
		memcpy(out + got, p, last);
		got += last;
		chunks++;
	} while (attest_token_advance(&ctx, last));
	assert_int_equal(got, total);
	assert_int_equal(chunks, (total + 255) / 256);
	assert_int_equal(last, total % 256);
	assert_memory_equal(out, buf.bytes, total);
	assert_false(attest_token_in_progress(&ctx));
	assert_null(attest_token_remaining(&ctx, &buf, &left));
	assert_int_equal(attest_token_step(&ctx, &buf), ATTEST_STEP_ERROR);
}

/* An algorithm the RD cannot hold is refused and leaves no operation. */
static void test_bad_algorithm(void **state)
{
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	struct input in;

	(void)state;
	make_input(&in, 1, 2, 2);
	assert_int_equal(attest_token_init(&ctx, in.challenge, in.rim, in.rems, in.rpv, 2),
			 -EINVAL);
	assert_false(attest_token_in_progress(&ctx));
	assert_int_equal(attest_token_step(&ctx, &buf), ATTEST_STEP_ERROR);
}

/* Writes a fresh key of `curve` as a PKCS#8 PEM to a temporary file; returns its path. */
static void write_key(const char *curve, char path[64], uint8_t x[48], uint8_t y[48])
{
	EVP_PKEY *k = EVP_EC_gen(curve);
	char err[160];
	FILE *f;
	int fd;

	strcpy(path, "/tmp/rk-test-attest-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0 && k);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	EVP_PKEY_free(k);
	if (x)
		assert_int_equal(rk_p384_public_from_pem(path, x, y, err, sizeof(err)), 0);
}

/* PEM keys replace the test keys; a bad PEM is refused and changes nothing. */
static void test_pem_keys(void **state)
{
	static struct attest_token_ctx ctx;
	static struct attest_token_buf buf;
	static struct cca_token t;
	char cpak[64], rak[64], p256[64], err[160];
	uint8_t cx[48], cy[48], rx[48], ry[48], px[48], py[48], digest[48];
	struct input in;

	(void)state;
	write_key("P-384", cpak, cx, cy);
	write_key("P-384", rak, rx, ry);
	write_key("P-256", p256, NULL, NULL);
	assert_int_equal(platform_attest_set_keys(cpak, rak, err, sizeof(err)), 0);
	attest_rmm_fini();
	make_input(&in, 0x99, 0x98, RSI_HASH_SHA_256);
	run_token(&ctx, &buf, &in, NULL);
	decode(&ctx, &buf, &t);
	assert_memory_equal(t.rclaims.rak_x, rx, 48);
	assert_memory_equal(t.rclaims.rak_y, ry, 48);
	assert_int_equal(rk_cose_sign1_digest(t.platform.protected.p, t.platform.protected.len,
					      t.platform.payload.p, t.platform.payload.len, digest),
			 0);
	assert_int_equal(rk_p384_verify(cx, cy, digest, t.platform.signature), 1);
	/* Refused: a P-256 key, a missing file. The P-384 keys stay. */
	assert_int_equal(platform_attest_set_keys(p256, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an EC P-384 key"));
	assert_true(platform_attest_set_keys("/nonexistent/k.pem", NULL, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "/nonexistent/k.pem"));
	assert_int_equal(platform_attest_cpak_public(px, py), 0);
	assert_memory_equal(px, cx, 48);
	unlink(cpak);
	unlink(rak);
	unlink(p256);
}

struct rec_thread {
	pthread_t tid;
	struct input in;
	struct attest_token_ctx ctx;
	struct attest_token_buf buf;
};

static void *rec_attest(void *arg)
{
	struct rec_thread *r = arg;

	for (int i = 0; i < 3; i++)
		run_token(&r->ctx, &r->buf, &r->in, NULL);
	return NULL;
}

/* s15.4: RECs of one realm attest independently, each token with its own challenge. */
static void test_two_recs_concurrently(void **state)
{
	static struct rec_thread rec[2];
	static struct attest_token_ctx solo;
	static struct attest_token_buf sbuf;
	static struct cca_token t;
	size_t len, slen;

	(void)state;
	for (int i = 0; i < 2; i++) {
		make_input(&rec[i].in, (uint8_t)(0xc0 + i), 0x55, RSI_HASH_SHA_256);
		assert_int_equal(pthread_create(&rec[i].tid, NULL, rec_attest, &rec[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(rec[i].tid, NULL), 0);
		decode(&rec[i].ctx, &rec[i].buf, &t);
		assert_memory_equal(t.rclaims.challenge.p, rec[i].in.challenge, 64);
		run_token(&solo, &sbuf, &rec[i].in, NULL);
		assert_non_null(attest_token_bytes(&rec[i].ctx, &rec[i].buf, &len));
		assert_non_null(attest_token_bytes(&solo, &sbuf, &slen));
		assert_int_equal(len, slen);
		assert_memory_equal(rec[i].buf.bytes, sbuf.bytes, len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6979_vector),
		cmocka_unit_test(test_cose_key),
		cmocka_unit_test_setup(test_deterministic, reset_keys),
		cmocka_unit_test_setup(test_claims_sha256, reset_keys),
		cmocka_unit_test_setup(test_claims_sha512, reset_keys),
		cmocka_unit_test_setup(test_binding_and_signatures, reset_keys),
		cmocka_unit_test_setup(test_step_machine, reset_keys),
		cmocka_unit_test_setup(test_init_supersedes, reset_keys),
		cmocka_unit_test_setup(test_copy_out, reset_keys),
		cmocka_unit_test_setup(test_bad_algorithm, reset_keys),
		cmocka_unit_test_setup_teardown(test_pem_keys, reset_keys, reset_keys),
		cmocka_unit_test_setup(test_two_recs_concurrently, reset_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
