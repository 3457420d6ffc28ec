/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RIM cross-check (rmm-v1.0.md s14; failure-conditions s6.1
 * measurement_rim_order): realms are built through the RMI exactly as a
 * host builds them, every successful construction command is written to a
 * JSON log, and tests/rim/rim.py -- an independent model written from the
 * spec's layout tables with hashlib only -- rebuilds the RIM from that log.
 * Its hex output must equal the RIM in the RD (read white-box). rim.py also
 * predicts every RTT_INIT_RIPAS top_out (s11.3) and fails on a mismatch.
 *
 * rim.py is found next to this source (tests/rim/rim.py, from __FILE__) or
 * given as argv[1]; it runs under /usr/bin/python3.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rec_data_fixture.h"

#define PAGE(n) ((uint64_t)(n)*GRANULE_SIZE)
#define MB2	(2ULL << 20)

static char rim_py[PATH_MAX];

/* The construction log of one realm. */
struct rim_log {
	struct fx_realm r;
	FILE *f;
	char path[64];
	bool first;
};

static void log_cmd(struct rim_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_cmd(struct rim_log *l, const char *fmt, ...)
{
	va_list ap;

	fputs(l->first ? "\n  " : ",\n  ", l->f);
	l->first = false;
	va_start(ap, fmt);
	vfprintf(l->f, fmt, ap);
	va_end(ap);
}

/* REALM_CREATE (fixture defaults) and the log's realm header. */
static void log_realm(struct rim_log *l, unsigned int alg)
{
	int fd;

	strcpy(l->path, "/tmp/rk_rim_log_XXXXXX");
	fd = mkstemp(l->path);
	assert_true(fd >= 0);
	l->f = fdopen(fd, "w");
	assert_non_null(l->f);
	l->first = true;
	fx_realm_create(&l->r, alg);
	/* The values fx_realm_create() passes (rec_data_fixture.h). */
	fprintf(l->f,
		"{\"realm\": {\"flags\": 0, \"s2sz\": %u, \"sve_vl\": 0, \"num_bps\": 2, "
		"\"num_wps\": 2, \"pmu_num_ctrs\": 0, \"algorithm\": %u, \"rtt_level_start\": 0},\n"
		" \"commands\": [",
		FX_S2SZ, alg);
}

static void log_rtt(struct rim_log *l, uint64_t ipa, int level)
{
	uint64_t base = ipa & ~((1ULL << (12 + 9 * (4 - level))) - 1);

	assert_rmi(fx_rtt_create(&l->r, ipa, level), RMI_SUCCESS, 0);
	log_cmd(l, "{\"cmd\": \"RTT_CREATE\", \"ipa\": \"%#llx\", \"level\": %d}",
		(unsigned long long)base, level);
}

static void log_data(struct rim_log *l, uint64_t ipa, uint64_t flags, unsigned int seed)
{
	pa_t src = fx_src_page(seed);
	const uint8_t *c = platform_ns_ptr(src);

	assert_rmi(fx_data_create(&l->r, fx_delegated(), ipa, src, flags), RMI_SUCCESS, 0);
	log_cmd(l,
		"{\"cmd\": \"DATA_CREATE\", \"ipa\": \"%#llx\", \"flags\": %llu, \"content\": \"",
		(unsigned long long)ipa, (unsigned long long)flags);
	for (size_t i = 0; i < GRANULE_SIZE; i++)
		fprintf(l->f, "%02x", c[i]);
	fputs("\"}", l->f);
	host_page_free(src);
}

static void log_unknown(struct rim_log *l, uint64_t ipa)
{
	assert_rmi(fx_data_create_unknown(&l->r, fx_delegated(), ipa), RMI_SUCCESS, 0);
	log_cmd(l, "{\"cmd\": \"DATA_CREATE_UNKNOWN\", \"ipa\": \"%#llx\"}",
		(unsigned long long)ipa);
}

/* One RTT_INIT_RIPAS call; returns top_out. */
static uint64_t log_init_ripas(struct rim_log *l, uint64_t base, uint64_t top)
{
	uint64_t out;

	assert_rmi(fx_init_ripas(&l->r, base, top, &out), RMI_SUCCESS, 0);
	log_cmd(l,
		"{\"cmd\": \"RTT_INIT_RIPAS\", \"base\": \"%#llx\", \"top\": \"%#llx\", "
		"\"top_out\": \"%#llx\"}",
		(unsigned long long)base, (unsigned long long)top, (unsigned long long)out);
	return out;
}

/* The host's loop (rmm-v1.0.md s11.3 step 5): advance base to top_out until top. */
static void log_init_ripas_range(struct rim_log *l, uint64_t base, uint64_t top)
{
	while (base < top)
		base = log_init_ripas(l, base, top);
}

static void log_rec(struct rim_log *l, uint64_t flags)
{
	uint64_t idx = fx_rd(&l->r)->rec_count;
	pa_t params = fx_rec_params(flags, rmi_rec_index_to_mpidr(idx), 16);
	const struct rmi_rec_params *p = fx_params_of(params);

	assert_rmi(fx_rec_create(&l->r, fx_delegated(), params), RMI_SUCCESS, 0);
	log_cmd(l, "{\"cmd\": \"REC_CREATE\", \"flags\": %llu, \"pc\": \"%#llx\", \"gprs\": [",
		(unsigned long long)flags, (unsigned long long)p->pc);
	for (int i = 0; i < 8; i++)
		fprintf(l->f, "%s\"%#llx\"", i ? ", " : "", (unsigned long long)p->gprs[i]);
	fputs("]}", l->f);
}

/*
 * Closes the log, runs rim.py and compares its RIM with the RD's. Returns
 * the RIM (hash length bytes, as hex) in out.
 */
static void log_check(struct rim_log *l, char out[129])
{
	const struct rd *rd = fx_rd(&l->r);
	size_t n = rd->algorithm == RMI_HASH_SHA_512 ? 64 : 32;
	char cmd[PATH_MAX + 128], got[256] = "", want[129];
	FILE *p;

	fputs("\n]}\n", l->f);
	assert_int_equal(fclose(l->f), 0);
	for (size_t i = 0; i < n; i++)
		snprintf(want + 2 * i, 3, "%02x", rd->measurement[0][i]);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 '%s' '%s'", rim_py, l->path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(got, sizeof(got), p))
		got[0] = '\0';
	assert_int_equal(pclose(p), 0);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, want);
	strcpy(out, want);
	unlink(l->path);
}

/*
 * The common construction: RTTs over [0, 2 MB), INIT_RIPAS over level-3
 * pages (twice over the first four: entries already RAM are measured
 * again), measured and unmeasured DATA_CREATE, DATA_CREATE_UNKNOWN (not
 * measured), RUNNABLE and NOT_RUNNABLE RECs, and an INIT_RIPAS that stops
 * at an ASSIGNED page.
 */
static void build_common(struct rim_log *l)
{
	for (int lv = 1; lv <= 3; lv++)
		log_rtt(l, 0, lv);
	log_init_ripas_range(l, 0, PAGE(16));
	log_init_ripas_range(l, 0, PAGE(4));
	log_data(l, PAGE(16), RMI_MEASURE_CONTENT, 1);
	log_data(l, PAGE(17), RMI_MEASURE_CONTENT, 2);
	log_data(l, PAGE(18), RMI_NO_MEASURE_CONTENT, 3);
	log_unknown(l, PAGE(19));
	log_rec(l, RMI_RUNNABLE);
	log_rec(l, RMI_NOT_RUNNABLE);
	log_rec(l, RMI_RUNNABLE);
	/* [20 pages, 24 pages) is EMPTY but stops at 22, which is ASSIGNED. */
	log_data(l, PAGE(22), RMI_MEASURE_CONTENT, 4);
	assert_int_equal(log_init_ripas(l, PAGE(20), PAGE(24)), PAGE(22));
}

/* Both hashes; INIT_RIPAS over a 2 MB level-2 entry vs over its 512 pages. */
static void test_block_vs_pages(void **state)
{
	char rim_block[2][129], rim_pages[2][129];

	(void)state;
	for (unsigned int alg = 0; alg < 2; alg++) {
		struct rim_log a, b;

		log_realm(&a, alg);
		build_common(&a);
		/* [2 MB, 4 MB): no level-3 RTT, one level-2 entry, one descriptor. */
		assert_int_equal(log_init_ripas(&a, MB2, 2 * MB2), 2 * MB2);
		log_check(&a, rim_block[alg]);

		log_realm(&b, alg);
		build_common(&b);
		log_rtt(&b, MB2, 3);
		/* The host loop: a single call already covers the whole level-3 RTT. */
		log_init_ripas_range(&b, MB2, 2 * MB2);
		log_check(&b, rim_pages[alg]);
		/* s11.3: the RIM depends on the host's RTT layout. */
		assert_string_not_equal(rim_block[alg], rim_pages[alg]);
	}
	assert_int_equal(strlen(rim_block[0]), 64);
	assert_int_equal(strlen(rim_block[1]), 128);
}

/*
 * A host loop that crosses RTTs: [0, 4 MB) with a level-3 RTT only over
 * [0, 2 MB) -> the first call stops at the end of that RTT (2 MB), the
 * second covers the level-2 entry; then DATA at a high IPA in a second
 * level-3 RTT.
 */
static void test_init_ripas_across_rtts(void **state)
{
	struct rim_log l;
	char rim[129];

	(void)state;
	log_realm(&l, RMI_HASH_SHA_256);
	for (int lv = 1; lv <= 3; lv++)
		log_rtt(&l, 0, lv);
	assert_int_equal(log_init_ripas(&l, 0, 2 * MB2), MB2);
	assert_int_equal(log_init_ripas(&l, MB2, 2 * MB2), 2 * MB2);
	log_rtt(&l, 0x7fc0000000ULL, 2);
	log_rtt(&l, 0x7fffe00000ULL, 3);
	log_data(&l, 0x7ffffff000ULL, RMI_MEASURE_CONTENT, 9);
	log_rec(&l, RMI_RUNNABLE);
	log_check(&l, rim);
}

/* s6.1 measurement_rim_order: REC then DATA differs from DATA then REC. */
static void test_order(void **state)
{
	char r1[129], r2[129];
	struct rim_log a, b;

	(void)state;
	log_realm(&a, RMI_HASH_SHA_512);
	for (int lv = 1; lv <= 3; lv++)
		log_rtt(&a, 0, lv);
	log_rec(&a, RMI_RUNNABLE);
	log_data(&a, 0, RMI_MEASURE_CONTENT, 5);
	log_check(&a, r1);

	log_realm(&b, RMI_HASH_SHA_512);
	for (int lv = 1; lv <= 3; lv++)
		log_rtt(&b, 0, lv);
	log_data(&b, 0, RMI_MEASURE_CONTENT, 5);
	log_rec(&b, RMI_RUNNABLE);
	log_check(&b, r2);
	assert_string_not_equal(r1, r2);
}

/*
 * s6.1 measurement_immutable_rim: after REALM_ACTIVATE the RIM does not
 * change (DATA_CREATE_UNKNOWN and DATA_DESTROY are not measured; DATA_CREATE
 * and REC_CREATE are refused), and still matches the model of the
 * construction log.
 */
static void test_immutable_after_activate(void **state)
{
	struct rim_log l;
	char rim[129];
	uint8_t before[64];

	(void)state;
	log_realm(&l, RMI_HASH_SHA_256);
	for (int lv = 1; lv <= 3; lv++)
		log_rtt(&l, 0, lv);
	log_data(&l, 0, RMI_MEASURE_CONTENT, 6);
	log_rec(&l, RMI_RUNNABLE);
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, l.r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	memcpy(before, fx_rd(&l.r)->measurement[0], 64);
	assert_rmi(fx_data_create_unknown(&l.r, fx_delegated(), PAGE(1)), RMI_SUCCESS, 0);
	assert_rmi(fx_data_destroy(&l.r, 0).x[0], RMI_SUCCESS, 0);
	assert_rmi(fx_data_create(&l.r, fx_delegated(), PAGE(2), fx_src_page(1), 1),
		   RMI_ERROR_REALM, 0);
	assert_memory_equal(fx_rd(&l.r)->measurement[0], before, 64);
	log_check(&l, rim);
}

int main(int argc, char **argv)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_block_vs_pages),
		T(test_init_ripas_across_rtts),
		T(test_order),
		T(test_immutable_after_activate),
	};
#undef T
	char src[PATH_MAX];

	if (argc > 1) {
		snprintf(rim_py, sizeof(rim_py), "%s", argv[1]);
	} else {
		snprintf(src, sizeof(src), "%s", __FILE__);
		snprintf(rim_py, sizeof(rim_py), "%s/../rim/rim.py", dirname(src));
	}
	if (access(rim_py, R_OK) != 0) {
		fprintf(stderr, "test_rim_crosscheck: %s not found\n", rim_py);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
