/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RSI handlers through rsi_handle() on a real REC entered onto a real
 * CPU engine (rsi_fixture.h): function-ID decoding, the register convention
 * (rmm-v1.0.md s1), every RSI command of s6 except the attestation pair
 * (test_rsi_attest.c), every failure row of failure-conditions s3 for them
 * with the state afterwards, REM golden vectors (s14.5; SHA-512 expectations
 * computed with OpenSSL here), REALM_CONFIG's bytes (s8.4), HOST_CALL's exit
 * (s12.5), IPA_STATE_SET's request and exit (s11.3, s12.4), IPA_STATE_GET's
 * scan (s11.3) and the emulated stage-2 abort for RSI buffers (s12.6).
 */
#include <pthread.h>

#include <openssl/evp.h>

#include "rsi_fixture.h"

static struct engine *engine;

static int setup(void **state)
{
	if (fx_setup(state))
		return -1;
	engine = engine_create();
	return engine ? 0 : -1;
}

static int teardown(void **state)
{
	engine_destroy(engine);
	engine = NULL;
	return fx_teardown(state);
}

static void enter0(struct rs_realm *p, struct rs_run *run, unsigned int alg)
{
	rs_realm_make(p, alg);
	rs_enter(run, p, 0, engine);
}

/* ---- decoding (rmm-v1.0.md s1) ---- */

/*
 * s1: RSI is SMC64 fast, OEN 4, FNUM 0x190.. (TF-RMM decodes 0x190-0x1AF),
 * bit 16 (SVE hint) ignored, bits [23:17] zero, only W0 counts.
 */
static void test_is_rsi_call(void **state)
{
	(void)state;
	for (uint32_t f = 0x190; f <= 0x1AF; f++) {
		assert_true(rsi_is_rsi_call(0xC4000000u | f));
		assert_true(rsi_is_rsi_call(0xC4010000u | f)); /* SVE hint */
		assert_true(rsi_is_rsi_call(0xFFFFFFFF00000000ULL | 0xC4000000u | f));
		assert_false(rsi_is_rsi_call(0x84000000u | f)); /* SMC32 */
		assert_false(rsi_is_rsi_call(0xC4020000u | f)); /* MBZ bit 17 */
		assert_false(rsi_is_rsi_call(0x44000000u | f)); /* yielding call */
		assert_false(rsi_is_rsi_call(0xC5000000u | f)); /* OEN 5 */
	}
	assert_false(rsi_is_rsi_call(0xC400018F));
	assert_false(rsi_is_rsi_call(0xC40001B0));
	assert_false(rsi_is_rsi_call(0xC4000150)); /* RMI_VERSION */
	assert_false(rsi_is_rsi_call(0xC4000000)); /* PSCI_VERSION SMC64 */
	assert_false(rsi_is_rsi_call(SMCCC_VERSION_FID));
}

/*
 * s1 / failure-conditions s4 (ACS exception_realm_unsupported_smc): a
 * decoded RSI FID that is not a v1.0 command returns SMCCC_NOT_SUPPORTED
 * with X1..X3 zero and X4.. preserved, in the realm.
 */
static void test_unsupported_fids(void **state)
{
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (uint32_t f = 0x19A; f <= 0x1AF; f++) {
		assert_int_equal(rs_call3(&run, 0xC4000000u | f, 1, 2, 3), REC_SMC_RETURN);
		rs_assert_regs(&run, SMCCC_NOT_SUPPORTED, 0, 0, 0, false);
	}
	rs_leave(&run);
}

/* ---- VERSION, FEATURES ---- */

/* s6 / failure-conditions s3: SUCCESS only for 1.0; X1 = X2 = 1.0 always; X3
 * zero. */
static void test_version(void **state)
{
	const uint64_t bad[] = { 0, 0x10001, 0x20000, 0x00010000ULL | (1ULL << 32), ~0ULL };
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	assert_int_equal(rs_call3(&run, RSI_VERSION, RSI_ABI_VERSION, 7, 7), REC_SMC_RETURN);
	rs_assert_regs(&run, RSI_SUCCESS, 0x10000, 0x10000, 0, false);
	/* s1: the SVE hint bit is ignored. */
	assert_int_equal(rs_call3(&run, RSI_VERSION | SMCCC_SVE_HINT, RSI_ABI_VERSION, 0, 0),
			 REC_SMC_RETURN);
	rs_assert_regs(&run, RSI_SUCCESS, 0x10000, 0x10000, 0, false);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(rs_call3(&run, RSI_VERSION, bad[i], 9, 9), REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0x10000, 0x10000, 0, false);
	}
	rs_leave(&run);
}

/* s6 / failure-conditions s3: SUCCESS and X1 = 0 for any index. */
static void test_features(void **state)
{
	const uint64_t idx[] = { 0, 1, 5, 0x8000, ~0ULL };
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(idx); i++) {
		assert_int_equal(rs_call3(&run, RSI_FEATURES, idx[i], 5, 6), REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_SUCCESS, 0, 0, 0, false);
	}
	rs_leave(&run);
}

/* ---- MEASUREMENT_READ / EXTEND ---- */

/* The slot as MEASUREMENT_READ returns it (X1..X8 little-endian). */
static void read_slot(struct rs_run *run, uint64_t index, uint8_t out[64])
{
	uint64_t w[8];

	assert_int_equal(rs_call3(run, RSI_MEASUREMENT_READ, index, 0, 0), REC_SMC_RETURN);
	assert_int_equal(rs_x(run, 0), RSI_SUCCESS);
	for (unsigned int i = 0; i < 8; i++)
		w[i] = rs_x(run, 1 + i);
	memcpy(out, w, 64);
	/* s1: X9..X30 preserved, PC and exit untouched. */
	for (unsigned int i = 9; i < REC_NUM_GPRS; i++)
		assert_int_equal(rs_x(run, i), run->regs[i]);
	assert_int_equal(engine_get_pc(run->engine), run->pc);
}

/* EXTEND(index, size, data) with data in X3..X10; returns X0. */
static uint64_t extend(struct rs_run *run, uint64_t index, uint64_t size, const uint8_t data[64])
{
	uint64_t a[10] = { index, size };

	memcpy(&a[2], data, 64);
	assert_int_equal(rs_call(run, RSI_MEASUREMENT_EXTEND, a, 10), REC_SMC_RETURN);
	/* s1: X1..X3 zero (no outputs), X4.. preserved (X4..X10 were data). */
	assert_int_equal(rs_x(run, 1), 0);
	assert_int_equal(rs_x(run, 2), 0);
	assert_int_equal(rs_x(run, 3), 0);
	for (unsigned int i = 4; i < REC_NUM_GPRS; i++)
		assert_int_equal(rs_x(run, i), run->regs[i]);
	return rs_x(run, 0);
}

/*
 * failure-conditions s3 / s6.1: every slot 0..4 reads (RIM = the RD's slot 0,
 * initial REMs zero, bytes beyond the hash zero); index 5 and beyond ->
 * RSI_ERROR_INPUT with X1..X3 zero and X4.. preserved.
 */
static void check_read(unsigned int alg)
{
	const uint64_t bad[] = { 5, 6, 0x100000005ULL, ~0ULL };
	size_t hlen = alg == RMI_HASH_SHA_256 ? 32 : 64;
	uint8_t slot[64], zero[64] = { 0 };
	struct rs_realm p;
	struct rs_run run;

	enter0(&p, &run, alg);
	read_slot(&run, 0, slot);
	assert_memory_equal(slot, fx_rd(&p.r)->measurement[0], 64);
	assert_memory_not_equal(slot, zero, hlen);
	assert_memory_equal(slot + hlen, zero, 64 - hlen);
	for (uint64_t i = 1; i <= 4; i++) {
		read_slot(&run, i, slot);
		assert_memory_equal(slot, zero, 64); /* ACS measurement_initial_rem_is_zero */
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(rs_call3(&run, RSI_MEASUREMENT_READ, bad[i], 1, 1),
				 REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0, 0, 0, false);
	}
	rs_leave(&run);
}

static void test_measurement_read(void **state)
{
	(void)state;
	check_read(RMI_HASH_SHA_256);
}

static void test_measurement_read_sha512(void **state)
{
	(void)state;
	check_read(RMI_HASH_SHA_512);
}

/*
 * failure-conditions s3: index 0 (the RIM) or >= 5, then size > 64, all
 * RSI_ERROR_INPUT, and nothing changes (RIM included); size 0 is valid.
 */
static void test_extend_errors(void **state)
{
	const uint64_t rows[][2] = { { 0, 32 }, { 5, 32 },    { ~0ULL, 1 },
				     { 1, 65 }, { 4, ~0ULL }, { 0, 65 } /* both: still INPUT */ };
	uint8_t data[64], before[5][64];
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	memset(data, 0x11, sizeof(data));
	memcpy(before, fx_rd(&p.r)->measurement, sizeof(before));
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		assert_int_equal(extend(&run, rows[i][0], rows[i][1], data), RSI_ERROR_INPUT);
	assert_memory_equal(fx_rd(&p.r)->measurement, before, sizeof(before));
	rs_leave(&run);
}

/* OpenSSL: out = H(old[0..hlen) || data[0..size)), the s14.5 rule computed
 * independently. */
static void expect_extend(unsigned int alg, uint8_t rem[64], const uint8_t *data, size_t size)
{
	const EVP_MD *md = alg == RMI_HASH_SHA_256 ? EVP_sha256() : EVP_sha512();
	size_t hlen = alg == RMI_HASH_SHA_256 ? 32 : 64;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;

	assert_non_null(c);
	assert_true(EVP_DigestInit_ex(c, md, NULL));
	assert_true(EVP_DigestUpdate(c, rem, hlen));
	assert_true(EVP_DigestUpdate(c, data, size));
	assert_true(EVP_DigestFinal_ex(c, rem, &n));
	assert_int_equal(n, hlen);
	EVP_MD_CTX_free(c);
}

/*
 * s14.5 test vector (SHA-256): slot 1 extended once with 32 x 0x11 from zero
 * = 8878b15a...55ef8; then the KUT golden scheme (failure-conditions s3:
 * slot i extended i times with the 32 bytes at 8(i - 1) of 32 x 0x11 ||
 * 0x00..0x27), and size 0 (valid) changes the REM too.
 */
static void test_rem_golden_sha256(void **state)
{
	static const uint8_t golden[32] = { 0x88, 0x78, 0xb1, 0x5a, 0x7d, 0x6a, 0x3a, 0x4f,
					    0x46, 0x4e, 0x8f, 0x9f, 0x42, 0x59, 0x1d, 0xbc,
					    0x0c, 0xf4, 0xbe, 0xde, 0xa0, 0xec, 0x30, 0x90,
					    0x03, 0xd2, 0xb2, 0xee, 0x53, 0x65, 0x5e, 0xf8 };
	uint8_t arr[72], data[64], slot[64], want[5][64];
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	memset(arr, 0x11, 32);
	for (unsigned int i = 0; i < 40; i++)
		arr[32 + i] = (uint8_t)i;
	memset(want, 0, sizeof(want));
	for (unsigned int i = 1; i <= 4; i++) {
		for (unsigned int k = 0; k < i; k++) {
			memset(data, 0, sizeof(data));
			memcpy(data, arr + 8 * (i - 1), 32);
			assert_int_equal(extend(&run, i, 32, data), RSI_SUCCESS);
			expect_extend(RMI_HASH_SHA_256, want[i], data, 32);
		}
	}
	read_slot(&run, 1, slot);
	assert_memory_equal(slot, golden, 32);
	for (unsigned int i = 1; i <= 4; i++) {
		read_slot(&run, i, slot);
		assert_memory_equal(slot, want[i], 64); /* upper 32 bytes zero */
		assert_memory_equal(fx_rd(&p.r)->measurement[i], want[i], 64);
	}
	assert_int_equal(extend(&run, 3, 0, data), RSI_SUCCESS);
	expect_extend(RMI_HASH_SHA_256, want[3], data, 0);
	read_slot(&run, 3, slot);
	assert_memory_equal(slot, want[3], 64);
	rs_leave(&run);
}

/* s14.5 with SHA-512: 64-byte REMs, every size class, expectations from
 * OpenSSL. */
static void test_rem_golden_sha512(void **state)
{
	const uint64_t sizes[] = { 64, 0, 1, 7, 8, 33, 63 };
	uint8_t data[64], slot[64], want[64] = { 0 }, rim[64];
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_512);
	memcpy(rim, fx_rd(&p.r)->measurement[0], 64);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (unsigned int b = 0; b < 64; b++)
			data[b] = (uint8_t)(b * 7 + i);
		assert_int_equal(extend(&run, 2, sizes[i], data), RSI_SUCCESS);
		expect_extend(RMI_HASH_SHA_512, want, data, sizes[i]);
		read_slot(&run, 2, slot);
		assert_memory_equal(slot, want, 64);
	}
	/* Other slots and the RIM untouched. */
	read_slot(&run, 0, slot);
	assert_memory_equal(slot, rim, 64);
	read_slot(&run, 1, slot);
	memset(data, 0, sizeof(data));
	assert_memory_equal(slot, data, 64);
	rs_leave(&run);
}

#define EXTENDS_PER_REC 3000

struct extender {
	struct rs_realm *p;
	unsigned int rec;
	pthread_barrier_t *go; /* both RECs entered before either extends */
};

static void *extender_main(void *arg)
{
	struct extender *x = arg;
	struct engine *e = engine_create();
	uint64_t a[10] = { 4, 48 };
	struct rs_run run;

	assert_non_null(e);
	memset(&a[2], 0x3c, 48);
	rs_enter(&run, x->p, x->rec, e);
	pthread_barrier_wait(x->go);
	for (int i = 0; i < EXTENDS_PER_REC; i++) {
		assert_int_equal(rs_call(&run, RSI_MEASUREMENT_EXTEND, a, 8), REC_SMC_RETURN);
		assert_int_equal(rs_x(&run, 0), RSI_SUCCESS);
	}
	rs_leave(&run);
	engine_destroy(e);
	return NULL;
}

/*
 * s14.5: extensions are done under the RD lock, so extensions of one REM
 * from two RECs on two threads serialise: with the same data every time,
 * the result is the chain of all 2 x EXTENDS_PER_REC extensions whatever
 * the interleaving (a lost update would show).
 */
static void test_extend_concurrent(void **state)
{
	struct extender x[RS_NRECS];
	pthread_barrier_t go;
	pthread_t t[RS_NRECS];
	uint8_t data[64], want[64] = { 0 };
	struct rs_realm p;

	(void)state;
	rs_realm_make(&p, RMI_HASH_SHA_256);
	assert_int_equal(pthread_barrier_init(&go, NULL, RS_NRECS), 0);
	for (unsigned int i = 0; i < RS_NRECS; i++) {
		x[i] = (struct extender){ .p = &p, .rec = i, .go = &go };
		assert_int_equal(pthread_create(&t[i], NULL, extender_main, &x[i]), 0);
	}
	for (unsigned int i = 0; i < RS_NRECS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&go);
	memset(data, 0x3c, sizeof(data));
	for (unsigned int i = 0; i < RS_NRECS * EXTENDS_PER_REC; i++)
		expect_extend(RMI_HASH_SHA_256, want, data, 48);
	assert_memory_equal(fx_rd(&p.r)->measurement[4], want, 64);
}

/* ---- REALM_CONFIG ---- */

/*
 * s6 / s8.4: SUCCESS writes ipa_width (u64), algorithm (u8) and rpv[64] and
 * leaves every other byte of the granule; X1..X3 zero, X4.. preserved.
 */
static void test_realm_config(void **state)
{
	struct rs_realm p;
	struct rs_run run;
	uint8_t *g, before[4096];

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_512);
	g = rs_realm_ptr(&p, RS_PAGE(3));
	memset(g, 0xab, 4096);
	memcpy(before, g, sizeof(before));
	assert_int_equal(rs_call3(&run, RSI_REALM_CONFIG, RS_PAGE(3), 0, 0), REC_SMC_RETURN);
	rs_assert_regs(&run, RSI_SUCCESS, 0, 0, 0, false);
	assert_int_equal(((struct rsi_realm_config *)g)->ipa_width, FX_S2SZ);
	assert_int_equal(g[8], RSI_HASH_SHA_512);
	assert_memory_equal(g + 0x200, p.rpv, 64);
	assert_memory_equal(g + 9, before + 9, 0x200 - 9);
	assert_memory_equal(g + 0x240, before + 0x240, 4096 - 0x240);
	rs_leave(&run);
}

/*
 * failure-conditions s3 REALM_CONFIG: addr + 1, unprotected addr, (and any
 * other misalignment or an IPA beyond the space) -> RSI_ERROR_INPUT; then
 * RIPAS EMPTY (UNASSIGNED or ASSIGNED) -> RSI_ERROR_INPUT; unmapped (RAM
 * unassigned, DESTROYED) -> emulated stage-2 abort at the walk level
 * (s12.6); after the host maps the page, the repeated SMC succeeds.
 */
static void test_realm_config_errors(void **state)
{
	const uint64_t input[] = { RS_PAGE(3) + 1, RS_PAGE(3) + 0x800,
				   RS_PAR_LIMIT,   RS_PAR_LIMIT + RS_PAGE(3),
				   FX_IPA_OOR,	   ~0ULL & ~GRANULE_MASK,
				   RS_PAGE(16),	   RS_PAGE(17),
				   RS_MB(4) };
	const struct {
		uint64_t ipa;
		int level;
	} unmapped[] = { { RS_PAGE(8), 3 },
			 { RS_PAGE(14), 3 },
			 { RS_PAGE(15), 3 },
			 { RS_MB(2) + RS_PAGE(5), 2 } };
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(input); i++) {
		assert_int_equal(rs_call3(&run, RSI_REALM_CONFIG, input[i], 0, 0), REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0, 0, 0, false);
	}
	/* The ASSIGNED/EMPTY granule was not written. */
	assert_true(fx_is_zero(pa_of(fx_read_entry(&p.r, RS_PAGE(17), 3).x[3])));
	for (size_t i = 0; i < ARRAY_SIZE(unmapped); i++) {
		enum rec_smc_outcome o = rs_call3(&run, RSI_REALM_CONFIG, unmapped[i].ipa, 0, 0);

		rs_assert_s2_abort(&run, o, unmapped[i].ipa, unmapped[i].level);
	}
	/* s12.6: the host maps the page (DATA_CREATE_UNKNOWN) and the SMC runs again.
   */
	rs_data_unknown(&p, RS_PAGE(8));
	assert_int_equal(rs_call3(&run, RSI_REALM_CONFIG, RS_PAGE(8), 0, 0), REC_SMC_RETURN);
	rs_assert_regs(&run, RSI_SUCCESS, 0, 0, 0, false);
	assert_int_equal(*(uint64_t *)rs_realm_ptr(&p, RS_PAGE(8)), FX_S2SZ);
	rs_leave(&run);
}

/* ---- HOST_CALL ---- */

/*
 * s12.5 / failure-conditions s5.8: exit HOST_CALL with imm and gprs[0..30]
 * of the structure and every other exit field zero; the REC is host-call
 * pending with the IPA; the realm's registers are unchanged (the results
 * come with the next entry).
 */
static void test_host_call(void **state)
{
	static const struct rmi_rec_exit zero;
	const uint64_t ipa = RS_PAGE(5) + 0x700;
	struct rsi_host_call *hc;
	struct rmi_rec_exit want;
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	hc = (struct rsi_host_call *)rs_realm_ptr(&p, ipa);
	hc->imm = 0xbeef;
	for (unsigned int i = 0; i < RSI_HOST_CALL_NR_GPRS; i++)
		hc->gprs[i] = 0xc0de000000000000ULL + i;
	assert_int_equal(rs_call3(&run, RSI_HOST_CALL, ipa, 0, 0), REC_SMC_EXIT);
	want = zero;
	want.exit_reason = RMI_EXIT_HOST_CALL;
	want.imm = 0xbeef;
	memcpy(want.gprs, hc->gprs, sizeof(want.gprs));
	assert_memory_equal(&run.exit, &want, sizeof(want));
	rs_assert_regs_unchanged(&run);
	assert_true(run.ctx.rec->host_call.pending);
	assert_int_equal(run.ctx.rec->host_call.ipa, ipa);
	rs_leave(&run);
}

/*
 * failure-conditions s3 HOST_CALL: addr + 1 / not 256-byte aligned, addr
 * unprotected -> RSI_ERROR_INPUT; RIPAS EMPTY -> RSI_ERROR_INPUT;
 * unmapped -> emulated stage-2 abort with HPFAR = X1 >> 8 (s12.6). No
 * failure leaves a host call pending or builds an exit.
 */
static void test_host_call_errors(void **state)
{
	const uint64_t input[] = { RS_PAGE(5) + 1,	RS_PAGE(5) + 0x80,    RS_PAGE(5) + 0xf08,
				   RS_PAR_LIMIT,	RS_PAR_LIMIT + 0x100, FX_IPA_OOR,
				   RS_PAGE(16) + 0x100, RS_PAGE(17) };
	const uint64_t unmapped[] = { RS_PAGE(9) + 0x300, RS_PAGE(14), RS_PAGE(15) + 0xf00 };
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(input); i++) {
		assert_int_equal(rs_call3(&run, RSI_HOST_CALL, input[i], 0, 0), REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0, 0, 0, false);
		assert_false(run.ctx.rec->host_call.pending);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unmapped); i++) {
		enum rec_smc_outcome o = rs_call3(&run, RSI_HOST_CALL, unmapped[i], 0, 0);

		rs_assert_s2_abort(&run, o, unmapped[i], 3);
		assert_false(run.ctx.rec->host_call.pending);
	}
	rs_leave(&run);
}

/* ---- IPA_STATE_SET ---- */

/*
 * s11.3 / s12.4 / failure-conditions s5.6: a valid request is recorded in
 * the REC (progress = base, CHANGE_DESTROYED only for flags == 1) and the
 * REC exits RIPAS_CHANGE with base, top and value and every other exit
 * field zero; the realm's registers are untouched until the next entry.
 */
static void test_ipa_state_set(void **state)
{
	static const struct rmi_rec_exit zero;
	const struct {
		uint64_t base, top, ripas, flags;
		bool destroyed;
	} rows[] = {
		{ RS_PAGE(16), RS_PAGE(20), RSI_RIPAS_RAM, 0, false },
		{ 0, RS_PAGE(8), RSI_RIPAS_EMPTY, 1, true },
		{ RS_MB(2), RS_MB(6), RSI_RIPAS_EMPTY, 2, false },
		{ RS_PAR_LIMIT - RS_PAGE(1), RS_PAR_LIMIT, RSI_RIPAS_RAM, ~1ULL, false },
	};
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const uint64_t a[4] = { rows[i].base, rows[i].top, rows[i].ripas, rows[i].flags };
		struct rec_ripas_change *rc = &run.ctx.rec->ripas;
		struct rmi_rec_exit want = zero;

		assert_int_equal(rs_call(&run, RSI_IPA_STATE_SET, a, 4), REC_SMC_EXIT);
		want.exit_reason = RMI_EXIT_RIPAS_CHANGE;
		want.ripas_base = rows[i].base;
		want.ripas_top = rows[i].top;
		want.ripas_value = (uint8_t)rows[i].ripas;
		assert_memory_equal(&run.exit, &want, sizeof(want));
		rs_assert_regs_unchanged(&run);
		assert_int_equal(rc->base, rows[i].base);
		assert_int_equal(rc->top, rows[i].top);
		assert_int_equal(rc->addr, rows[i].base);
		assert_int_equal(rc->ripas, rows[i].ripas);
		assert_int_equal(rc->change_destroyed, rows[i].destroyed);
		assert_true(rec_ripas_change_pending(run.ctx.rec));
		/* White box: what REC_ENTER's completion does (s12.1 step 11). */
		memset(rc, 0, sizeof(*rc));
	}
	rs_leave(&run);
}

/*
 * failure-conditions s3 IPA_STATE_SET: base + 1 (base_align), top
 * unaligned (top_align), base > top and base == top (size_valid), top
 * unprotected (rgn_bound), ripas 2 and beyond (ripas_valid), and a range
 * that wraps -> RSI_ERROR_INPUT, no request recorded, no exit.
 */
static void test_ipa_state_set_errors(void **state)
{
	const uint64_t b = RS_PAGE(16), t = RS_PAGE(20);
	const uint64_t rows[][3] = {
		{ b + 1, t, RSI_RIPAS_RAM },
		{ b, t + 7, RSI_RIPAS_RAM },
		{ b, t + 0x800, RSI_RIPAS_EMPTY },
		{ t, b, RSI_RIPAS_RAM },
		{ b, b, RSI_RIPAS_RAM },
		{ b, RS_PAR_LIMIT + RS_PAGE(1), RSI_RIPAS_RAM },
		{ RS_PAR_LIMIT, RS_PAR_LIMIT + RS_PAGE(1), RSI_RIPAS_RAM },
		{ b, t, RSI_RIPAS_DESTROYED },
		{ b, t, 3 },
		{ b, t, ~0ULL },
		{ RS_PAGE(4), 0, RSI_RIPAS_RAM },
		{ ~GRANULE_MASK, RS_PAGE(1), RSI_RIPAS_RAM },
	};
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const uint64_t a[4] = { rows[i][0], rows[i][1], rows[i][2], 1 };

		assert_int_equal(rs_call(&run, RSI_IPA_STATE_SET, a, 4), REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0, 0, 0, false);
		assert_false(rec_ripas_change_pending(run.ctx.rec));
		assert_int_equal(run.ctx.rec->ripas.addr, 0);
	}
	rs_leave(&run);
}

/* ---- IPA_STATE_GET ---- */

/*
 * s11.3: from base's entry, the run of entries of that one RTT with the
 * same RIPAS (ASSIGNED/RAM counts as RAM), ended by another RIPAS, an entry
 * without one (TABLE) or the RTT's end, X1 capped at top; X3 zero.
 */
static void test_ipa_state_get(void **state)
{
	const struct {
		uint64_t base, top, x1, ripas;
		const char *why;
	} rows[] = {
		{ 0, RS_MB(1), RS_PAGE(14), RSI_RIPAS_RAM, "assigned and unassigned RAM" },
		{ RS_PAGE(2), RS_PAGE(5), RS_PAGE(5), RSI_RIPAS_RAM, "capped at top" },
		{ RS_PAGE(13), RS_PAGE(14), RS_PAGE(14), RSI_RIPAS_RAM, "one page" },
		{ RS_PAGE(14), RS_MB(1), RS_PAGE(16), RSI_RIPAS_DESTROYED, "both DESTROYED" },
		{ RS_PAGE(16), RS_MB(8), RS_MB(2), RSI_RIPAS_EMPTY, "EMPTY to the RTT's end" },
		{ RS_MB(2) + RS_PAGE(1), RS_MB(6), RS_MB(4), RSI_RIPAS_RAM, "level-2 entry" },
		{ RS_MB(2) + RS_PAGE(1), RS_MB(3), RS_MB(3), RSI_RIPAS_RAM, "inside a block" },
		{ RS_MB(4), RS_MB(1024), RS_MB(6), RSI_RIPAS_EMPTY, "stops at a TABLE" },
		{ RS_MB(6) + RS_PAGE(3), RS_MB(64), RS_MB(8), RSI_RIPAS_EMPTY, "level-3 RTT end" },
		{ RS_MB(8), RS_PAR_LIMIT, RS_MB(1024), RSI_RIPAS_EMPTY, "level-2 RTT end" },
		{ RS_MB(1024), RS_PAR_LIMIT, RS_PAR_LIMIT, RSI_RIPAS_EMPTY, "level 1 to PAR end" },
	};
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		print_message("  %s\n", rows[i].why);
		assert_int_equal(rs_call3(&run, RSI_IPA_STATE_GET, rows[i].base, rows[i].top, 9),
				 REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_SUCCESS, rows[i].x1, rows[i].ripas, 0, false);
	}
	rs_leave(&run);
}

/*
 * failure-conditions s3 IPA_STATE_GET: base + 1 (base_align), base
 * unprotected, top + 1 (end_align), top unprotected 2^(w-1) + 4 KB
 * (rgn_bound), top < base and top == base (size_valid), top 0 ->
 * RSI_ERROR_INPUT.
 */
static void test_ipa_state_get_errors(void **state)
{
	const uint64_t rows[][2] = {
		{ 1, RS_PAGE(4) },
		{ RS_PAR_LIMIT, RS_PAR_LIMIT + RS_PAGE(1) },
		{ 0, RS_PAGE(4) + 1 },
		{ 0, RS_PAR_LIMIT + RS_PAGE(1) },
		{ RS_PAGE(4), RS_PAGE(2) },
		{ RS_PAGE(4), RS_PAGE(4) },
		{ 0, 0 },
		{ FX_IPA_OOR, FX_IPA_OOR + RS_PAGE(1) },
	};
	struct rs_realm p;
	struct rs_run run;

	(void)state;
	enter0(&p, &run, RMI_HASH_SHA_256);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		assert_int_equal(rs_call3(&run, RSI_IPA_STATE_GET, rows[i][0], rows[i][1], 0),
				 REC_SMC_RETURN);
		rs_assert_regs(&run, RSI_ERROR_INPUT, 0, 0, 0, false);
	}
	rs_leave(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_rsi_call),
		cmocka_unit_test_setup_teardown(test_unsupported_fids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_features, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measurement_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measurement_read_sha512, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extend_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rem_golden_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rem_golden_sha512, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extend_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realm_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realm_config_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_call_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipa_state_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipa_state_set_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipa_state_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipa_state_get_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
