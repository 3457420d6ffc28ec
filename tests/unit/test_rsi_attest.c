/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSI_ATTESTATION_TOKEN_INIT / CONTINUE through rsi_handle() on real RECs
 * entered onto real CPU engines (rsi_fixture.h), with the real attestation
 * module and platform keys: rmm-v1.0.md s15.4 and failure-conditions s3
 * (CONTINUE rows), s5.10 (IRQ during signing) and s6.1 (token contents).
 * Every token is decoded (token_decode.h) and both signatures and the
 * platform binding are verified with the verifier API (rk_cose.h), and the
 * claims are compared with the realm's RD (RIM, REMs, RPV) and the INIT
 * challenge.
 */
#include <pthread.h>

#include <openssl/evp.h>

#include "attest_token.h"
#include "pcpu.h"
#include "platform_root.h"
#include "rk_cose.h"
#include "rsi_fixture.h"
#include "token_decode.h"

#define CHUNK 256u

/*
 * The physical IRQ of the calling thread's CPU, as rec_irq_pending() sees it
 * (rec_run.h; pcpu.h): raised with platform_cpu_kick(), taken as the run
 * loop takes it at an IRQ exit.
 */
static void irq_set(bool pending)
{
	if (pending)
		platform_cpu_kick(platform_this_cpu());
	else
		pcpu_irq_take(platform_this_cpu());
}

static struct engine *engines[RS_NRECS];

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	for (unsigned int i = 0; i < RS_NRECS; i++)
		if (!(engines[i] = engine_create()))
			return -1;
	return 0;
}

static int teardown(void **state)
{
	for (unsigned int i = 0; i < RS_NRECS; i++) {
		engine_destroy(engines[i]);
		engines[i] = NULL;
	}
	return fx_teardown(state);
}

/* A challenge derived from seed: byte i = seed + 3i. */
static void make_challenge(uint8_t ch[64], uint8_t seed)
{
	for (unsigned int i = 0; i < 64; i++)
		ch[i] = (uint8_t)(seed + 3 * i);
}

/* TOKEN_INIT with the challenge in X1..X8 (s6: little-endian words). */
static void token_init(struct rs_run *run, const uint8_t ch[64])
{
	uint64_t a[8];

	memcpy(a, ch, 64);
	assert_int_equal(rs_call(run, RSI_ATTESTATION_TOKEN_INIT, a, 8), REC_SMC_RETURN);
	/* s15.4: X1 = the upper bound of the token size; X2, X3 zero; X4.. preserved.
   */
	assert_int_equal(rs_x(run, 0), RSI_SUCCESS);
	assert_int_equal(rs_x(run, 1), RSI_ATTEST_TOKEN_MAX_SIZE);
	assert_int_equal(rs_x(run, 2), 0);
	assert_int_equal(rs_x(run, 3), 0);
	for (unsigned int i = 4; i < REC_NUM_GPRS; i++)
		assert_int_equal(rs_x(run, i), run->regs[i]);
}

/* CONTINUE(ipa, offset, size) that returns to the realm; returns X0, *x1 = X1.
 */
static uint64_t token_continue(struct rs_run *run, uint64_t ipa, uint64_t off, uint64_t size,
			       uint64_t *x1)
{
	assert_int_equal(rs_call3(run, RSI_ATTESTATION_TOKEN_CONTINUE, ipa, off, size),
			 REC_SMC_RETURN);
	if (x1)
		*x1 = rs_x(run, 1);
	/* s1: X2, X3 zero; X4.. preserved; PC and exit untouched. */
	rs_assert_regs(run, rs_x(run, 0), rs_x(run, 1), 0, 0, false);
	return rs_x(run, 0);
}

/*
 * Where the realm puts the token's byte `done`: contiguous from `start`, or
 * (start == SCATTER) chunk k at page k % 8, offset k * CHUNK % 4 KB, so that
 * every CONTINUE uses another granule (s15.4 step 3).
 */
#define SCATTER ~0ULL

static void chunk_place(uint64_t start, size_t done, uint64_t *ipa, uint64_t *off)
{
	uint64_t at = start + done, k = done / CHUNK;

	if (start == SCATTER)
		at = RS_PAGE(k % 8) + (k * CHUNK) % GRANULE_SIZE + done % CHUNK;
	*ipa = at & ~GRANULE_MASK;
	*off = at & GRANULE_MASK;
}

/*
 * The realm's loop (failure-conditions s3 CONTINUE success row): CONTINUE in
 * chunks of at most CHUNK bytes, never crossing a granule, advancing by X1,
 * while INCOMPLETE; the last call returns SUCCESS. Returns the token length;
 * the token is in realm memory from `start`.
 */
static size_t token_loop(struct rs_run *run, uint64_t start, unsigned int *calls)
{
	size_t done = 0;
	uint64_t x0, x1;

	*calls = 0;
	do {
		uint64_t ipa, off, size;

		chunk_place(start, done, &ipa, &off);
		size = GRANULE_SIZE - off < CHUNK ? GRANULE_SIZE - off : CHUNK;
		x0 = token_continue(run, ipa, off, size, &x1);
		assert_true(x0 == RSI_INCOMPLETE || x0 == RSI_SUCCESS);
		assert_true(x1 <= size);
		/* INCOMPLETE with a full chunk; SUCCESS with the (possibly short) last one.
     */
		if (x0 == RSI_INCOMPLETE)
			assert_int_equal(x1, size);
		else
			assert_true(x1 > 0);
		done += x1;
		(*calls)++;
		assert_true(done <= RSI_ATTEST_TOKEN_MAX_SIZE);
	} while (x0 == RSI_INCOMPLETE);
	return done;
}

/* Copies the token out of realm memory (placed as chunk_place() says). */
static void token_read(const struct rs_realm *p, uint64_t start, size_t len, uint8_t *out)
{
	for (size_t done = 0; done < len;) {
		uint64_t ipa, off;
		size_t n;

		chunk_place(start, done, &ipa, &off);
		n = GRANULE_SIZE - off;
		if (start == SCATTER && n > CHUNK - done % CHUNK)
			n = CHUNK - done % CHUNK;
		if (n > len - done)
			n = len - done;
		memcpy(out + done, rs_realm_ptr(p, ipa + off), n);
		done += n;
	}
}

/*
 * s15.2 / s15.3 / s6.1: the token decodes; both signatures verify; the
 * platform challenge is SHA-256 of claim 44237; the realm claims carry the
 * INIT challenge, the realm's RPV, `rim` and `rems` (hash length of the
 * realm's algorithm) and the algorithm's name.
 */
static void verify_token(const uint8_t *tok, size_t len, const uint8_t ch[64],
			 const uint8_t rpv[64], const uint8_t rim[64], const uint8_t rems[4][64],
			 unsigned int alg)
{
	static struct cca_token t;
	size_t hlen = alg == RMI_HASH_SHA_256 ? 32 : 64;
	uint8_t digest[48], hash[32], cx[48], cy[48];
	unsigned int hl = 0;
	char err[256] = "";

	if (cca_token_decode(tok, len, &t, err, sizeof(err)))
		fail_msg("token decode: %s", err);
	assert_int_equal(t.rclaims.challenge.len, 64);
	assert_memory_equal(t.rclaims.challenge.p, ch, 64);
	assert_int_equal(t.rclaims.rpv.len, 64);
	assert_memory_equal(t.rclaims.rpv.p, rpv, 64);
	assert_int_equal(t.rclaims.rim.len, hlen);
	assert_memory_equal(t.rclaims.rim.p, rim, hlen);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t.rclaims.rems[i].len, hlen);
		assert_memory_equal(t.rclaims.rems[i].p, rems[i], hlen);
	}
	assert_memory_equal(t.rclaims.hash_algo.p, hlen == 32 ? "sha-256" : "sha-512", 7);
	assert_int_equal(rk_cose_sign1_digest(t.realm.protected.p, t.realm.protected.len,
					      t.realm.payload.p, t.realm.payload.len, digest),
			 0);
	assert_int_equal(
		rk_p384_verify(t.rclaims.rak_x, t.rclaims.rak_y, digest, t.realm.signature), 1);
	assert_true(EVP_Digest(t.rclaims.pub_key.p, t.rclaims.pub_key.len, hash, &hl, EVP_sha256(),
			       NULL));
	assert_int_equal(t.pclaims.challenge.len, 32);
	assert_memory_equal(t.pclaims.challenge.p, hash, 32);
	assert_int_equal(platform_attest_cpak_public(cx, cy), 0);
	assert_int_equal(rk_cose_sign1_digest(t.platform.protected.p, t.platform.protected.len,
					      t.platform.payload.p, t.platform.payload.len, digest),
			 0);
	assert_int_equal(rk_p384_verify(cx, cy, digest, t.platform.signature), 1);
}

/* verify_token against the realm's current RD. */
static void verify_realm_token(const struct rs_realm *p, uint64_t start, size_t len,
			       const uint8_t ch[64])
{
	static uint8_t tok[RSI_ATTEST_TOKEN_MAX_SIZE];
	const struct rd *rd = fx_rd(&p->r);
	uint8_t rems[4][64];

	memcpy(rems, (const uint8_t *)rd->measurement + 64, sizeof(rems)); /* slots 1..4 */
	token_read(p, start, len, tok);
	verify_token(tok, len, ch, p->rpv, rd->measurement[0], (const uint8_t(*)[64])rems,
		     p->r.alg);
}

/*
 * s15.4 flow with 256-byte chunks: once contiguous from 0xE00 into page 2
 * (the token crosses into page 3), once with every chunk in another granule;
 * INCOMPLETE with full chunks, SUCCESS with the short last one; after
 * SUCCESS the operation is over (CONTINUE -> RSI_ERROR_STATE until INIT).
 */
static void check_flow(unsigned int alg)
{
	const uint64_t starts[] = { RS_PAGE(2) + 0xE00, SCATTER };
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	size_t len;

	rs_realm_make(&p, alg);
	rs_enter(&run, &p, 0, engines[0]);
	for (size_t i = 0; i < ARRAY_SIZE(starts); i++) {
		make_challenge(ch, (uint8_t)(0x10 + i));
		token_init(&run, ch);
		len = token_loop(&run, starts[i], &calls);
		print_message("  token %zu bytes in %u CONTINUE calls\n", len, calls);
		assert_true(len > 0x200 && len % CHUNK != 0);
		assert_int_equal(calls, (len + CHUNK - 1) / CHUNK);
		verify_realm_token(&p, starts[i], len, ch);
		assert_int_equal(token_continue(&run, RS_PAGE(0), 0, CHUNK, NULL), RSI_ERROR_STATE);
	}
	rs_leave(&run);
}

static void test_flow_sha256(void **state)
{
	(void)state;
	check_flow(RMI_HASH_SHA_256);
}

static void test_flow_sha512(void **state)
{
	(void)state;
	check_flow(RMI_HASH_SHA_512);
}

/*
 * failure-conditions s3 CONTINUE: no prior INIT -> RSI_ERROR_STATE, checked
 * after the input checks (an invalid address without INIT is
 * RSI_ERROR_INPUT); the REC's token context stays idle.
 */
static void test_no_init(void **state)
{
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	assert_int_equal(token_continue(&run, RS_PAGE(0), 0, CHUNK, NULL), RSI_ERROR_STATE);
	assert_int_equal(token_continue(&run, RS_PAGE(0), 0, 0, NULL), RSI_ERROR_STATE);
	/* Even a buffer that would abort: STATE comes first (s15.4 order). */
	assert_int_equal(token_continue(&run, RS_PAGE(9), 0, CHUNK, NULL), RSI_ERROR_STATE);
	assert_int_equal(token_continue(&run, RS_PAGE(0) + 1, 0, CHUNK, NULL), RSI_ERROR_INPUT);
	assert_int_equal(token_continue(&run, RS_PAR_LIMIT, 0, CHUNK, NULL), RSI_ERROR_INPUT);
	rs_leave(&run);
}

/*
 * failure-conditions s3 CONTINUE input rows (addr + 1, unprotected addr,
 * off = 4 KB + 1, size = ~0 (overflow), size > 4 KB - off, and off = 4 KB)
 * -> RSI_ERROR_INPUT, then the buffer rows: RIPAS EMPTY -> RSI_ERROR_INPUT,
 * unmapped (RAM unassigned, DESTROYED) -> emulated stage-2 abort (s12.6);
 * none of them aborts the operation (s15.4 step 4): the token completes
 * afterwards and verifies, and nothing was written before the first good
 * chunk.
 */
static void test_continue_errors(void **state)
{
	const uint64_t input[][3] = {
		{ RS_PAGE(0) + 1, 0, CHUNK }, { RS_PAGE(0) + 0x100, 0, CHUNK },
		{ RS_PAR_LIMIT, 0, CHUNK },   { FX_IPA_OOR, 0, CHUNK },
		{ RS_PAGE(0), 4097, 0 },      { RS_PAGE(0), 4096, 0 },
		{ RS_PAGE(0), 0, ~0ULL },     { RS_PAGE(0), 8, ~7ULL },
		{ RS_PAGE(0), 3840, 257 },    { RS_PAGE(0), 0, 4097 },
		{ RS_PAGE(16), 0, CHUNK },    { RS_PAGE(17), 0x100, CHUNK },
		{ RS_PAGE(16), 0, 0 },
	};
	const struct {
		uint64_t ipa;
		int level;
	} unmapped[] = {
		{ RS_PAGE(10), 3 }, { RS_PAGE(14), 3 }, { RS_PAGE(15), 3 }, { RS_MB(2), 2 }
	};
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x77);
	token_init(&run, ch);
	for (size_t i = 0; i < ARRAY_SIZE(input); i++)
		assert_int_equal(token_continue(&run, input[i][0], input[i][1], input[i][2], NULL),
				 RSI_ERROR_INPUT);
	for (size_t i = 0; i < ARRAY_SIZE(unmapped); i++) {
		enum rec_smc_outcome o = rs_call3(&run, RSI_ATTESTATION_TOKEN_CONTINUE,
						  unmapped[i].ipa, 0x40, CHUNK);

		rs_assert_s2_abort(&run, o, unmapped[i].ipa, unmapped[i].level);
	}
	assert_true(fx_is_zero(p.data[0]));
	/* The host maps page 10; the repeated SMC copies the first chunk there. */
	rs_data_unknown(&p, RS_PAGE(10));
	assert_int_equal(token_continue(&run, RS_PAGE(10), 0, CHUNK, NULL), RSI_INCOMPLETE);
	assert_int_equal(rs_x(&run, 1), CHUNK);
	len = CHUNK + token_loop(&run, RS_PAGE(0) + CHUNK, &calls);
	memcpy(rs_realm_ptr(&p, RS_PAGE(0)), rs_realm_ptr(&p, RS_PAGE(10)), CHUNK);
	verify_realm_token(&p, RS_PAGE(0), len, ch);
	rs_leave(&run);
}

/*
 * s15.4 step 2 "size == 0 -> INCOMPLETE with X1 = 0": nothing is copied
 * and the operation goes on (also before signing completes and after some
 * chunks).
 */
static void test_size_zero(void **state)
{
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	uint64_t x1 = 9;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x21);
	token_init(&run, ch);
	assert_int_equal(token_continue(&run, RS_PAGE(1), 0x80, 0, &x1), RSI_INCOMPLETE);
	assert_int_equal(x1, 0);
	assert_true(fx_is_zero(p.data[1]));
	assert_int_equal(token_continue(&run, RS_PAGE(1), 0, CHUNK, &x1), RSI_INCOMPLETE);
	assert_int_equal(x1, CHUNK);
	assert_int_equal(token_continue(&run, RS_PAGE(1), 4096 - 1, 0, &x1), RSI_INCOMPLETE);
	assert_int_equal(x1, 0);
	len = CHUNK + token_loop(&run, RS_PAGE(1) + CHUNK, &calls);
	verify_realm_token(&p, RS_PAGE(1), len, ch);
	rs_leave(&run);
}

/*
 * KUT realm-attest / ACS attestation_token_init: INIT during an incomplete
 * operation aborts it; the token then carries the new challenge and is
 * copied out from its first byte again.
 */
static void test_init_restarts(void **state)
{
	uint8_t ch1[64], ch2[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch1, 0x01);
	make_challenge(ch2, 0x02);
	token_init(&run, ch1);
	assert_int_equal(token_continue(&run, RS_PAGE(4), 0, CHUNK, NULL), RSI_INCOMPLETE);
	assert_int_equal(token_continue(&run, RS_PAGE(4), CHUNK, CHUNK, NULL), RSI_INCOMPLETE);
	token_init(&run, ch2);
	len = token_loop(&run, RS_PAGE(5), &calls);
	verify_realm_token(&p, RS_PAGE(5), len, ch2);
	/* INIT right after INIT, before any CONTINUE, too. */
	token_init(&run, ch1);
	token_init(&run, ch2);
	len = token_loop(&run, RS_PAGE(6), &calls);
	verify_realm_token(&p, RS_PAGE(6), len, ch2);
	rs_leave(&run);
}

/*
 * s15.2: the REMs (and RIM, RPV) are the snapshot taken at INIT; an
 * extension after INIT does not change the token in progress, and the next
 * token has it (ACS attestation_rem_extend_check_realm_token).
 */
static void test_snapshot_at_init(void **state)
{
	uint8_t ch[64], rems[4][64];
	uint64_t a[10] = { 3, 64 };
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_512);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x44);
	memset(&a[2], 0x5c, 64);
	assert_int_equal(rs_call(&run, RSI_MEASUREMENT_EXTEND, a, 10), REC_SMC_RETURN);
	token_init(&run, ch);
	memcpy(rems, (const uint8_t *)fx_rd(&p.r)->measurement + 64, sizeof(rems));
	assert_int_equal(rs_call(&run, RSI_MEASUREMENT_EXTEND, a, 10), REC_SMC_RETURN);
	assert_int_equal(rs_x(&run, 0), RSI_SUCCESS);
	assert_memory_not_equal(rems[2], fx_rd(&p.r)->measurement[3], 64);
	len = token_loop(&run, RS_PAGE(0), &calls);
	{
		static uint8_t tok[RSI_ATTEST_TOKEN_MAX_SIZE];

		token_read(&p, RS_PAGE(0), len, tok);
		verify_token(tok, len, ch, p.rpv, fx_rd(&p.r)->measurement[0],
			     (const uint8_t(*)[64])rems, RMI_HASH_SHA_512);
	}
	token_init(&run, ch);
	len = token_loop(&run, RS_PAGE(0), &calls);
	verify_realm_token(&p, RS_PAGE(0), len, ch); /* the extended REM */
	rs_leave(&run);
}

/*
 * KUT realm-attest: after INIT and some chunks, CONTINUE with a corrupted
 * address (ipa ^ 1) -> RSI_ERROR_INPUT, and a later CONTINUE with the right
 * address continues where the operation was: the token is complete and
 * consistent.
 */
static void test_corrupted_address_midway(void **state)
{
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	uint64_t x1;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x5a);
	token_init(&run, ch);
	assert_int_equal(token_continue(&run, RS_PAGE(3), 0, CHUNK, &x1), RSI_INCOMPLETE);
	assert_int_equal(token_continue(&run, RS_PAGE(3), CHUNK, CHUNK, &x1), RSI_INCOMPLETE);
	assert_int_equal(token_continue(&run, RS_PAGE(3) ^ 1, 2 * CHUNK, CHUNK, &x1),
			 RSI_ERROR_INPUT);
	assert_int_equal(x1, 0);
	assert_int_equal(token_continue(&run, RS_PAGE(3) | RS_PAR_LIMIT, 2 * CHUNK, CHUNK, &x1),
			 RSI_ERROR_INPUT);
	len = 2 * CHUNK + token_loop(&run, RS_PAGE(3) + 2 * CHUNK, &calls);
	verify_realm_token(&p, RS_PAGE(3), len, ch);
	rs_leave(&run);
}

/*
 * s15.4 / s16.5 / failure-conditions s5.10 (ACS attestation_rec_exit_irq):
 * with a physical interrupt pending, CONTINUE stops after one signing step:
 * X0 = INCOMPLETE, X1 = 0 (X2, X3 zero, X4.. preserved), exit IRQ with
 * every other exit field zero, nothing copied; the realm calls CONTINUE
 * again. With the interrupt pending at every call, each call makes exactly
 * one step of progress, so the token completes after ATTEST_TOKEN_STEPS - 1
 * IRQ exits; an interrupt pending once costs one exit.
 */
static void test_irq_during_signing(void **state)
{
	static const struct rmi_rec_exit zero;
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls, exits = 0;
	struct rmi_rec_exit want;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x99);
	token_init(&run, ch);
	irq_set(true);
	for (;;) {
		enum rec_smc_outcome o =
			rs_call3(&run, RSI_ATTESTATION_TOKEN_CONTINUE, RS_PAGE(6), 0, CHUNK);

		if (o == REC_SMC_RETURN)
			break;
		assert_int_equal(o, REC_SMC_EXIT);
		want = zero;
		want.exit_reason = RMI_EXIT_IRQ;
		assert_memory_equal(&run.exit, &want, sizeof(want));
		memset(&run.exit, 0, sizeof(run.exit));
		rs_assert_regs(&run, RSI_INCOMPLETE, 0, 0, 0, false);
		assert_true(fx_is_zero(p.data[6]));
		exits++;
		assert_true(exits < ATTEST_TOKEN_STEPS);
	}
	assert_int_equal(exits, ATTEST_TOKEN_STEPS - 1);
	/* The call that finished signing copied the first chunk. */
	assert_int_equal(rs_x(&run, 0), RSI_INCOMPLETE);
	assert_int_equal(rs_x(&run, 1), CHUNK);
	/* Copying needs no signing step: no more IRQ exits. */
	len = CHUNK + token_loop(&run, RS_PAGE(6) + CHUNK, &calls);
	verify_realm_token(&p, RS_PAGE(6), len, ch);
	/* Pending once: one IRQ exit, then the next CONTINUE completes signing. */
	token_init(&run, ch);
	assert_int_equal(rs_call3(&run, RSI_ATTESTATION_TOKEN_CONTINUE, RS_PAGE(7), 0, CHUNK),
			 REC_SMC_EXIT);
	assert_int_equal(run.exit.exit_reason, RMI_EXIT_IRQ);
	irq_set(false);
	len = token_loop(&run, RS_PAGE(7), &calls);
	verify_realm_token(&p, RS_PAGE(7), len, ch);
	rs_leave(&run);
}

struct attester {
	struct rs_realm *p;
	unsigned int rec;
	uint8_t ch[4][64];
	size_t len[4];
};

/* One REC's thread: its own engine, four tokens with its own challenges in its
 * own pages. */
static void *attester_main(void *arg)
{
	struct attester *a = arg;
	struct engine *e = engine_create();
	struct rs_run run;
	unsigned int calls;

	assert_non_null(e);
	rs_enter(&run, a->p, a->rec, e);
	for (unsigned int k = 0; k < 4; k++) {
		make_challenge(a->ch[k], (uint8_t)(0x30 + 16 * a->rec + k));
		token_init(&run, a->ch[k]);
		a->len[k] = token_loop(&run, RS_PAGE(4 * a->rec + k), &calls);
	}
	rs_leave(&run);
	engine_destroy(e);
	return NULL;
}

/*
 * issue 5 / s15.4 "per-REC context in the REC's aux granules": two RECs of
 * one realm attest at the same time on two threads; each token carries its
 * own REC's challenge and verifies.
 */
static void test_two_recs_concurrently(void **state)
{
	struct attester a[RS_NRECS];
	pthread_t t[RS_NRECS];
	struct rs_realm p;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	for (unsigned int i = 0; i < RS_NRECS; i++) {
		a[i] = (struct attester){ .p = &p, .rec = i };
		assert_int_equal(pthread_create(&t[i], NULL, attester_main, &a[i]), 0);
	}
	for (unsigned int i = 0; i < RS_NRECS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (unsigned int i = 0; i < RS_NRECS; i++)
		verify_realm_token(&p, RS_PAGE(4 * i + 3), a[i].len[3], a[i].ch[3]);
	/* Pages of the earlier tokens hold them too (they were not overwritten). */
	for (unsigned int i = 0; i < RS_NRECS; i++)
		for (unsigned int k = 0; k < 3; k++)
			verify_realm_token(&p, RS_PAGE(4 * i + k), a[i].len[k], a[i].ch[k]);
}

/*
 * s2 / s15.4: RSI_ERROR_UNKNOWN only on an internal failure of token
 * creation. White box: the signing state in the REC's aux granule is made
 * to fail (as a corrupted context would); CONTINUE returns ERROR_UNKNOWN
 * with X1 = 0 and nothing copied, the operation is over (RSI_ERROR_STATE),
 * and a new INIT works.
 */
static void test_internal_failure(void **state)
{
	struct attest_token_ctx *tc;
	uint8_t ch[64];
	struct rs_realm p;
	struct rs_run run;
	unsigned int calls;
	uint64_t x1 = 9;
	size_t len;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	rs_enter(&run, &p, 0, engines[0]);
	make_challenge(ch, 0x66);
	token_init(&run, ch);
	tc = granule_map(rec_aux_granule(run.ctx.rec, REC_AUX_ATTEST_CTX));
	assert_true(attest_token_in_progress(tc));
	tc->state = ATTEST_TOKEN_SIGN;
	tc->ecdsa.phase = RK_ECDSA_FAILED;
	assert_int_equal(token_continue(&run, RS_PAGE(2), 0, CHUNK, &x1), RSI_ERROR_UNKNOWN);
	assert_int_equal(x1, 0);
	assert_true(fx_is_zero(p.data[2]));
	assert_int_equal(token_continue(&run, RS_PAGE(2), 0, CHUNK, NULL), RSI_ERROR_STATE);
	token_init(&run, ch);
	len = token_loop(&run, RS_PAGE(2), &calls);
	verify_realm_token(&p, RS_PAGE(2), len, ch);
	rs_leave(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flow_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_sha512, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continue_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_at_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_address_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq_during_signing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_recs_concurrently, setup, teardown),
		cmocka_unit_test_setup_teardown(test_internal_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
