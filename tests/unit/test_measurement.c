/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * measurement.c against golden vectors (rmm-v1.0.md s14): the RIM
 * initialisation of s14.2 and each descriptor of s14.3, for SHA-256 and
 * SHA-512. The golden values were computed with Python's hashlib from
 * descriptors assembled byte by byte from the spec's offset tables (the same
 * construction as tests/rim/rim.py), not from the C code; a second check
 * assembles each descriptor here from raw offsets and hashes it with OpenSSL
 * directly. The REM test vector of s14.5 belongs to the RSI issue; it is used
 * here only as a known answer for the hash primitive.
 */
#include <string.h>

#include <openssl/evp.h>

#include <realmkit/abi/rmi.h>

#include "measurement.h"
#include "realm.h"
#include "rk_test.h"

static struct rd rd;
static uint8_t page[4096];

struct golden {
	const char *init, *data1, *data0, *ripas, *rec;
};

/* Inputs: see params_fill(), page (byte i = 7i + 3), the chain in test_chain. */
static const struct golden golden[2] = {
	[RMI_HASH_SHA_256] = {
		"a00e3665bd00f84548c0a8e2201e88b29ab8c3ff253c2682957a8c5de8621171",
		"d5271ef40298b41897672a6a036083c8a433ae309937690134e14263c8963287",
		"b3fa9952592ff526173a7be4272c0fb94c774eb1395015955a6ac9a872f66813",
		"390c5ee0c8d8b319455c3819a3208ab0da7d64ca6b42e752d152d64b7a6615f8",
		"ce4c91f9b1e57ed63293c594b40cd4477a4380912a56479e0f3711277a06e4cb",
	},
	[RMI_HASH_SHA_512] = {
		"1c8884a5727885ee9b34f874816aae080a7bb64ed105dcd21d236f26f87cae31"
		"3edfdfbe2542b9cef69a55963f941baac3cb3a8cfe0bf77c18be5706fb9889df",
		"8e8f16db8269f1b0239a9443e80fbe051b852b39b35b5853de1ab4a98035ae3c"
		"cc7a681b83edbfb1f886b5b871407ac660dcda9a6d1ebc4fd0e699a1cff3cb5f",
		"ba7068dc274e5b54dc1ec1dcf4dd5e6e3e7db3665d5631f95dfa7e471d083fd3"
		"71fafe666d364a52bb8195f8dafb2fa6176d48c93c4b63e26af624bb7e6df505",
		"be38d3f0eda1530f679a620a6f5cfda870a775df28ba30896c9fca0dbcad1b7a"
		"57df72c2f8825ff116899bb4b027610c350bcb8607a82d36808aca0b07e90434",
		"c80082c3fe84d8005d152f788647f3540b6d76083369a6ae97843696e0a37a00"
		"84ea8b6c3af1d785f535b0cd24b76a10e09aa6ce6969643a355d9820329deef8",
	},
};

static const uint8_t *rim(void)
{
	return rd.measurement[RMM_MEASUREMENT_RIM_SLOT];
}

/* The RIM as hash-size hex, bytes beyond the hash size checked to be zero. */
static void assert_rim_hex(const char *hex)
{
	size_t n = measurement_hash_size(rd.algorithm);
	char buf[2 * RMM_MAX_MEASUREMENT_SIZE + 1];

	for (size_t i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", rim()[i]);
	assert_string_equal(buf, hex);
	for (size_t i = n; i < RMM_MAX_MEASUREMENT_SIZE; i++)
		assert_int_equal(rim()[i], 0);
}

/* Measured fields non-zero, unmeasured ones too (they must not matter). */
static void params_fill(struct rmi_realm_params *p, unsigned int alg)
{
	memset(p, 0, sizeof(*p));
	p->flags = RMI_REALM_FLAGS_SVE;
	p->s2sz = 40;
	p->sve_vl = 3;
	p->num_bps = 6;
	p->num_wps = 4;
	p->pmu_num_ctrs = 8;
	p->algorithm = (uint8_t)alg;
	memset(p->rpv, 0xab, sizeof(p->rpv));
	p->vmid = 7;
	p->rtt_base = 0x10000100000ULL;
	p->rtt_level_start = 0;
	p->rtt_num_start = 1;
}

static void rec_params_fill(struct rmi_rec_params *p)
{
	memset(p, 0, sizeof(*p));
	p->flags = RMI_REC_PARAMS_FLAG_RUNNABLE;
	p->mpidr = 0x0102;
	p->pc = 0x80000000;
	for (unsigned int i = 0; i < 8; i++)
		p->gprs[i] = 0x1111111111111111ULL * (i + 1);
	p->num_aux = 16;
	for (unsigned int i = 0; i < 16; i++)
		p->aux[i] = 0x10000200000ULL + i * 4096;
}

static void rd_init(unsigned int alg)
{
	struct rmi_realm_params p;

	memset(&rd, 0, sizeof(rd));
	/* REMs must be zeroed by the init (s14.1). */
	memset(rd.measurement, 0xff, sizeof(rd.measurement));
	rd.algorithm = (uint8_t)alg;
	params_fill(&p, alg);
	measurement_rim_init(&rd, &p);
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7 + 3);
	return 0;
}

/* s2: RmiHashAlgorithm SHA-256 0 (32 bytes), SHA-512 1 (64 bytes), others invalid. */
static void test_hash_size(void **state)
{
	(void)state;
	assert_int_equal(measurement_hash_size(RMI_HASH_SHA_256), 32);
	assert_int_equal(measurement_hash_size(RMI_HASH_SHA_512), 64);
	assert_int_equal(measurement_hash_size(2), 0);
	assert_int_equal(measurement_hash_size(0xff), 0);
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Known answers: FIPS 180-2 "abc", and the s14.5 REM extension vector. */
static void test_hash_known_answers(void **state)
{
	uint8_t out[RMM_MAX_MEASUREMENT_SIZE], in[64];
	char hex[129];

	(void)state;
	memset(out, 0xee, sizeof(out));
	measurement_hash(RMI_HASH_SHA_256, "abc", 3, out);
	hex_of(out, 32, hex);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	for (size_t i = 32; i < sizeof(out); i++)
		assert_int_equal(out[i], 0); /* s14.1: the rest of the slot is zero */
	measurement_hash(RMI_HASH_SHA_512, "abc", 3, out);
	hex_of(out, 64, hex);
	assert_string_equal(hex,
			    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	/* s14.5: SHA-256(32 zero bytes || 32 x 0x11). */
	memset(in, 0, 32);
	memset(in + 32, 0x11, 32);
	measurement_hash(RMI_HASH_SHA_256, in, sizeof(in), out);
	hex_of(out, 32, hex);
	assert_string_equal(hex,
			    "8878b15a7d6a3a4f464e8f9f42591dbc0cf4bedea0ec309003d2b2ee53655ef8");
}

/* s14.2 golden RIM, and s14.1: the four REMs start at zero. */
static void test_rim_init_golden(void **state)
{
	(void)state;
	for (unsigned int alg = 0; alg < 2; alg++) {
		rd_init(alg);
		assert_rim_hex(golden[alg].init);
		for (unsigned int s = 1; s < RMM_MEASUREMENT_SLOTS; s++)
			for (unsigned int i = 0; i < RMM_MAX_MEASUREMENT_SIZE; i++)
				assert_int_equal(rd.measurement[s][i], 0);
	}
}

static void rim_of_params(const struct rmi_realm_params *p, uint8_t out[64])
{
	memset(&rd, 0, sizeof(rd));
	rd.algorithm = p->algorithm;
	measurement_rim_init(&rd, p);
	memcpy(out, rim(), 64);
}

/*
 * s14.2: rpv, vmid, rtt_base, rtt_level_start, rtt_num_start are not
 * measured; every measured field is, including flag bits TF-RMM ignores
 * (s8.1 "other bits are not checked ... but are measured").
 */
static void test_rim_init_fields(void **state)
{
	struct rmi_realm_params base, p;
	uint8_t r0[64], r1[64];

	(void)state;
	params_fill(&base, RMI_HASH_SHA_256);
	rim_of_params(&base, r0);

	p = base;
	memset(p.rpv, 0x5a, sizeof(p.rpv));
	p.vmid = 99;
	p.rtt_base += 0x1000;
	p.rtt_level_start = 1;
	p.rtt_num_start = 2;
	p.reserved0[0] = 0xff; /* 0x031: not a field, never copied */
	rim_of_params(&p, r1);
	assert_memory_equal(r0, r1, 64);

	for (int f = 0; f < 7; f++) {
		p = base;
		switch (f) {
		case 0:
			p.flags |= 1ULL << 5;
			break;
		case 1:
			p.s2sz = 41;
			break;
		case 2:
			p.sve_vl = 4;
			break;
		case 3:
			p.num_bps = 5;
			break;
		case 4:
			p.num_wps = 3;
			break;
		case 5:
			p.pmu_num_ctrs = 9;
			break;
		default:
			p.algorithm = RMI_HASH_SHA_512;
			break;
		}
		rim_of_params(&p, r1);
		assert_memory_not_equal(r0, r1, 32);
	}
}

/*
 * s14.3/s14.4 golden chain: init -> DATA (MEASURE_CONTENT, ipa 0x40001000)
 * -> DATA (NO_MEASURE_CONTENT, ipa 0x40002000) -> RIPAS [2 MB, 4 MB) -> REC
 * (RUNNABLE, pc 0x80000000, gprs[i] = 0x1111111111111111 * (i + 1)).
 */
static void test_chain_golden(void **state)
{
	struct rmi_rec_params rp;

	(void)state;
	rec_params_fill(&rp);
	for (unsigned int alg = 0; alg < 2; alg++) {
		rd_init(alg);
		measurement_extend_data(&rd, 0x40001000, RMI_MEASURE_CONTENT, page);
		assert_rim_hex(golden[alg].data1);
		measurement_extend_data(&rd, 0x40002000, RMI_NO_MEASURE_CONTENT, page);
		assert_rim_hex(golden[alg].data0);
		measurement_extend_ripas(&rd, 0x200000, 0x400000);
		assert_rim_hex(golden[alg].ripas);
		measurement_extend_rec(&rd, &rp);
		assert_rim_hex(golden[alg].rec);
	}
}

/* H() computed here with OpenSSL, independently of measurement_hash(). */
static void ref_hash(unsigned int alg, const void *d, size_t n, uint8_t out[64])
{
	unsigned int len;

	memset(out, 0, 64);
	assert_int_equal(EVP_Digest(d, n, out, &len, alg ? EVP_sha512() : EVP_sha256(), NULL), 1);
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

/* A descriptor header assembled from s14.3's offsets: type at 0, len at 8, RIM at 0x10. */
static void ref_header(uint8_t d[256], uint8_t type, const uint8_t cur[64])
{
	memset(d, 0, 256);
	d[0] = type;
	put64(d, 0x08, 0x100);
	memcpy(d + 0x10, cur, 64);
}

/*
 * s14.3 byte-exact, per descriptor: the new RIM equals H(the 256 bytes laid
 * out by hand), for random-looking inputs and both algorithms. With
 * NO_MEASURE_CONTENT the page content does not matter (s14.4).
 */
static void test_descriptors_byte_exact(void **state)
{
	struct rmi_rec_params rp;
	uint8_t cur[64], d[256], h[64], img[4096];

	(void)state;
	rec_params_fill(&rp);
	for (unsigned int alg = 0; alg < 2; alg++) {
		rd_init(alg);
		/* DATA, MEASURE_CONTENT: content hash at 0x60. */
		memcpy(cur, rim(), 64);
		measurement_extend_data(&rd, 0xfffff000ULL, 1, page);
		ref_header(d, 0, cur);
		put64(d, 0x50, 0xfffff000ULL);
		put64(d, 0x58, 1);
		ref_hash(alg, page, sizeof(page), d + 0x60);
		ref_hash(alg, d, 256, h);
		assert_memory_equal(rim(), h, 64);

		/* DATA, NO_MEASURE_CONTENT: content all zero, whatever the page holds. */
		memcpy(cur, rim(), 64);
		memset(img, 0x77, sizeof(img));
		measurement_extend_data(&rd, 0x3000, 0, img);
		ref_header(d, 0, cur);
		put64(d, 0x50, 0x3000);
		ref_hash(alg, d, 256, h);
		assert_memory_equal(rim(), h, 64);

		/* RIPAS: base at 0x50, top at 0x58. */
		memcpy(cur, rim(), 64);
		measurement_extend_ripas(&rd, 0x1000, 0x2000);
		ref_header(d, 2, cur);
		put64(d, 0x50, 0x1000);
		put64(d, 0x58, 0x2000);
		ref_hash(alg, d, 256, h);
		assert_memory_equal(rim(), h, 64);

		/* REC: H(params image with flags, pc, gprs only) at 0x50. */
		memcpy(cur, rim(), 64);
		measurement_extend_rec(&rd, &rp);
		memset(img, 0, sizeof(img));
		put64(img, 0x000, rp.flags);
		put64(img, 0x200, rp.pc);
		for (int i = 0; i < 8; i++)
			put64(img, 0x300 + 8 * (size_t)i, rp.gprs[i]);
		ref_header(d, 1, cur);
		ref_hash(alg, img, sizeof(img), d + 0x50);
		ref_hash(alg, d, 256, h);
		assert_memory_equal(rim(), h, 64);
	}
}

/* s14.3 REC: mpidr, num_aux and aux[] are not measured; gprs[7] and flags are. */
static void test_rec_unmeasured_fields(void **state)
{
	struct rmi_rec_params rp, q;
	uint8_t r0[64];

	(void)state;
	rec_params_fill(&rp);
	rd_init(RMI_HASH_SHA_256);
	measurement_extend_rec(&rd, &rp);
	memcpy(r0, rim(), 64);

	q = rp;
	q.mpidr = 0x3;
	q.num_aux = 15;
	q.aux[3] = 0;
	q.reserved0[0] = 1; /* 0x008: not a field */
	rd_init(RMI_HASH_SHA_256);
	measurement_extend_rec(&rd, &q);
	assert_memory_equal(r0, rim(), 64);

	q = rp;
	q.gprs[7] ^= 1;
	rd_init(RMI_HASH_SHA_256);
	measurement_extend_rec(&rd, &q);
	assert_memory_not_equal(r0, rim(), 32);

	q = rp;
	q.flags = 0;
	rd_init(RMI_HASH_SHA_256);
	measurement_extend_rec(&rd, &q);
	assert_memory_not_equal(r0, rim(), 32);
}

/* s14.4: the RIM depends on the order of the extensions (ACS measurement_rim_order). */
static void test_order_matters(void **state)
{
	struct rmi_rec_params rp;
	uint8_t a[64];

	(void)state;
	rec_params_fill(&rp);
	rd_init(RMI_HASH_SHA_512);
	measurement_extend_rec(&rd, &rp);
	measurement_extend_data(&rd, 0x1000, 1, page);
	memcpy(a, rim(), 64);
	rd_init(RMI_HASH_SHA_512);
	measurement_extend_data(&rd, 0x1000, 1, page);
	measurement_extend_rec(&rd, &rp);
	assert_memory_not_equal(a, rim(), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_size),
		cmocka_unit_test(test_hash_known_answers),
		cmocka_unit_test(test_rim_init_golden),
		cmocka_unit_test(test_rim_init_fields),
		cmocka_unit_test(test_chain_golden),
		cmocka_unit_test(test_descriptors_byte_exact),
		cmocka_unit_test(test_rec_unmeasured_fields),
		cmocka_unit_test(test_order_matters),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
