/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attestation from the realm side (rmm-v1.0.md s6, s14.5, s15.4;
 * failure-conditions s3 CONTINUE rows, s6.1; KUT realm-attest): the guest
 *  1. checks that CONTINUE without INIT is RSI_ERROR_STATE;
 *  2. extends REM 1 (RSI slot 1) once with 32 x 0x11 (the s14.5 vector), so
 *     the token's first REM is that golden value;
 *  3. starts a token with a decoy challenge, takes one chunk, then INITs
 *     again with the known challenge (s15.4: INIT supersedes INIT);
 *  4. runs the CONTINUE loop in 256-byte chunks into a .bss buffer starting
 *     0xE00 into a granule (so the token crosses into the next granule),
 *     with a corrupted address (ipa ^ 1), an unprotected address and a
 *     zero size thrown in mid-way (RSI_ERROR_INPUT, RSI_ERROR_INPUT,
 *     INCOMPLETE with X1 = 0; none aborts the operation); INCOMPLETE with
 *     X1 = 0 after an IRQ exit is simply retried;
 *  5. copies the token to the unprotected alias of another .bss buffer and
 *     hands it to the host.
 *
 * Harness contract: any realm (SHA-256 or SHA-512); guest RAM RIPAS RAM;
 * protected pages faulted in on demand (the .bss buffers are touched by the
 * RMM first: stage-2 abort exits for RSI buffers, s12.6); unprotected
 * aliases of guest RAM mapped on fault. The guest reports (0xC4A1, i,
 * challenge word i) for i = 0..7 (the challenge's little-endian words, the
 * same bytes as the token's claim 10), then makes the vendor host call
 * RK_HC_TOKEN with gprs[1] = the unprotected IPA of the token and gprs[2] =
 * its size (tests/guest/mini_host.h protocol) and expects gprs[0] = 0. The
 * token's REM 0 is H(zeros || 32 x 0x11): for SHA-256
 * 8878b15a7d6a3a4f464e8f9f42591dbc0cf4bedea0ec309003d2b2ee53655ef8; the other
 * REMs are zero. Exit code 0 when every check passed.
 */
#include "rt.h"

#define REPORT_CHALLENGE 0xC4A1u
#define CHUNK		 256u
#define TOKEN_START	 0xE00u /* offset of the token in token_buf */

static uint8_t token_buf[2 * 4096] __attribute__((aligned(4096)));
static uint8_t shared_buf[4096] __attribute__((aligned(4096)));

/* The known challenge: word i = 0x5245414c4d4b4954 ("REALMKIT") ^ i * 0x0101010101010101. */
static uint64_t challenge_word(unsigned int i)
{
	return 0x5245414c4d4b4954ULL ^ (0x0101010101010101ULL * i);
}

static struct rt_smc_ret token_init(uint64_t seed)
{
	uint64_t a[10] = { 0 };
	struct rt_smc_ret r;

	for (unsigned int i = 0; i < 8; i++)
		a[i] = seed ? seed + i : challenge_word(i);
	r = rt_smc(RSI_ATTESTATION_TOKEN_INIT, a);
	RT_CHECK_EQ(r.x[0], RSI_SUCCESS);
	RT_CHECK_EQ(r.x[1], RSI_ATTEST_TOKEN_MAX_SIZE); /* s15.4: the size bound */
	return r;
}

static struct rt_smc_ret token_continue(uint64_t ipa, uint64_t off, uint64_t size)
{
	return rt_smc4(RSI_ATTESTATION_TOKEN_CONTINUE, ipa, off, size, 0);
}

/* Mid-way errors that must not abort the operation (failure-conditions s3, KUT). */
static void continue_noise(uint64_t ipa, uint64_t off)
{
	struct rt_smc_ret r;

	RT_CHECK_EQ(token_continue(ipa ^ 1, off, CHUNK).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(token_continue(rt_shared(ipa), off, CHUNK).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(token_continue(ipa, 4096 + 1, 0).x[0], RSI_ERROR_INPUT);
	RT_CHECK_EQ(token_continue(ipa, off, ~0ULL).x[0], RSI_ERROR_INPUT);
	r = token_continue(ipa, off, 0);
	RT_CHECK_EQ(r.x[0], RSI_INCOMPLETE);
	RT_CHECK_EQ(r.x[1], 0);
}

/* The CONTINUE loop; returns the token length (token at token_buf + TOKEN_START). */
static uint64_t token_get(void)
{
	uint64_t base = (uint64_t)token_buf, done = 0;
	unsigned int calls = 0;
	struct rt_smc_ret r;

	do {
		uint64_t at = base + TOKEN_START + done;
		uint64_t ipa = at & ~0xfffULL, off = at & 0xfff;
		uint64_t size = 4096 - off < CHUNK ? 4096 - off : CHUNK;

		if (calls == 2)
			continue_noise(ipa, off);
		r = token_continue(ipa, off, size);
		RT_CHECK(r.x[0] == RSI_INCOMPLETE || r.x[0] == RSI_SUCCESS);
		RT_CHECK(r.x[1] <= size);
		done += r.x[1];
		RT_CHECK(done <= RSI_ATTEST_TOKEN_MAX_SIZE);
		RT_CHECK(++calls < 1000);
	} while (r.x[0] == RSI_INCOMPLETE);
	/* s15.4: after SUCCESS a new INIT is needed. */
	RT_CHECK_EQ(token_continue(base, 0, CHUNK).x[0], RSI_ERROR_STATE);
	rt_printf("attest: token %lu bytes in %u CONTINUE calls\n", done, calls);
	return done;
}

int main(uint64_t x0)
{
	uint64_t ext[10] = { 1,
			     32,
			     0x1111111111111111ULL,
			     0x1111111111111111ULL,
			     0x1111111111111111ULL,
			     0x1111111111111111ULL };
	uint64_t len, args[6] = { 0 }, out[7];
	volatile uint8_t *shared = (volatile uint8_t *)rt_shared((uint64_t)shared_buf);
	struct rt_smc_ret r;

	(void)x0;
	/* failure-conditions s3: CONTINUE without INIT. */
	RT_CHECK_EQ(token_continue((uint64_t)token_buf, 0, CHUNK).x[0], RSI_ERROR_STATE);
	RT_CHECK_EQ(rt_smc(RSI_MEASUREMENT_EXTEND, ext).x[0], RSI_SUCCESS);
	token_init(0x0dec0ddec0ddec00ULL);
	r = token_continue((uint64_t)token_buf, 0, CHUNK);
	RT_CHECK(r.x[0] == RSI_INCOMPLETE);
	token_init(0);
	len = token_get();
	RT_CHECK(len > 0);
	RT_CHECK_EQ(token_buf[TOKEN_START], 0xd9); /* CBOR tag 399: 0xd9 0x01 0x8f */
	for (uint64_t i = 0; i < len; i++)
		shared[i] = token_buf[TOKEN_START + i];
	for (unsigned int i = 0; i < 8; i++)
		rt_report(REPORT_CHALLENGE, i, challenge_word(i));
	args[0] = rt_shared((uint64_t)shared_buf);
	args[1] = len;
	RT_CHECK_EQ(rt_host_call(RK_HC_TOKEN, args, out), 0);
	rt_puts("attest: all checks passed\n");
	return 0;
}
