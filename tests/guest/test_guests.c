/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest tests: every realm guest of guests/tests runs end to end on the RMM,
 * driven by the mini host (mini_host.h) over RMI only, each with the
 * "Harness contract" of its header comment. Each test checks the exit code
 * the guest reported with RK_HC_EXIT (0 = every in-guest check passed), the
 * console text, that the realm ended with PSCI SYSTEM_OFF, the exits the
 * host saw where the contract names them, and after teardown that no
 * granule is left delegated, no NS page is leaked and the RMM's invariants
 * hold (white box: rmm_check_invariants()).
 *
 * Usage: test_guests [NAME]  runs one test (ctest registers one per guest).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "board.h"
#include "granule.h"
#include "host_rmi.h"
#include "invariants.h"
#include "mini_host.h"
#include "realm.h"
#include "rk_test.h"

#define DRAM_SIZE    (128ULL << 20)
#define MMIO_PATTERN 0xFEDCBA98F6548281ULL /* guests/tests/mmio.c */
#define REPORT_RIM   0x514D		   /* tests/guest/guests/rimread.c */
#define PY	     "/usr/bin/python3"

static uint64_t pages_before;

static int setup(void **state)
{
	struct rk_platform_config cfg = { .dram_size = DRAM_SIZE };

	(void)state;
	if (board_power_on(&cfg, false) || host_pages_init())
		return -1;
	pages_before = host_pages_in_use();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_pages_fini();
	board_power_off();
	return 0;
}

static void guest_path(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s.bin", dir, name);
	if (access(buf, R_OK)) {
		fail_msg("guest image %s is missing (guests/tests/%s.c not built)", buf, name);
	}
}

typedef void (*built_fn)(struct mini_host *mh, void *arg);

/*
 * Runs a guest (after_build, if given, sees the realm between construction
 * and the run) and checks everything common to all guests.
 */
static void run_with(const char *dir, const char *name, struct mh_config *cfg,
		     struct mh_result *res, built_fn after_build, void *arg)
{
	char path[512], why[256] = "";
	struct mini_host *mh;
	int ret = -1;

	guest_path(path, sizeof(path), dir, name);
	cfg->image_path = path;
	mh = mh_create(cfg, res);
	if (mh) {
		if (after_build)
			after_build(mh, arg);
		ret = mh_run(mh);
		if (mh_destroy(mh))
			ret = -1;
	}
	fwrite(res->console, 1, res->console_len, stdout);
	printf("[%s] exits: sync %llu irq %llu psci %llu ripas %llu host_call %llu; entries %llu\n",
	       name, (unsigned long long)res->exits[RMI_EXIT_SYNC],
	       (unsigned long long)res->exits[RMI_EXIT_IRQ],
	       (unsigned long long)res->exits[RMI_EXIT_PSCI],
	       (unsigned long long)res->exits[RMI_EXIT_RIPAS_CHANGE],
	       (unsigned long long)res->exits[RMI_EXIT_HOST_CALL],
	       (unsigned long long)res->entries);
	if (res->error[0] || res->leaked)
		fail_msg("%s: harness error: \"%s\"; %llu granules leaked: \"%s\"", name,
			 res->error, (unsigned long long)res->leaked, res->leak_report);
	assert_int_equal(ret, 0);
	/* failure-conditions s5.1: teardown leaves every granule reusable. */
	assert_int_equal(host_pages_in_use(), pages_before);
	if (rmm_check_invariants(why, sizeof(why)))
		fail_msg("%s: RMM invariant broken after teardown: %s", name, why);
	/* The guest's own checks: RK_HC_EXIT(0), then PSCI SYSTEM_OFF (rt_exit). */
	assert_true(res->exited);
	assert_int_equal(res->exit_code, 0);
	assert_true(res->system_off);
}

static void run(const char *dir, const char *name, struct mh_config *cfg, struct mh_result *res)
{
	run_with(dir, name, cfg, res, NULL, NULL);
}

static void assert_console(const struct mh_result *res, const char *text)
{
	if (!memmem(res->console, res->console_len, text, strlen(text)))
		fail_msg("console lacks \"%s\"", text);
}

/* ---- One test per guest ---- */

static void test_hello(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "hello", &cfg, &res);
	/* 8 MB RAM: the DTB 2 MB below its end (include/realmkit/guest.h). */
	assert_console(&res, "hello from realm: ipa width 40, RSI version 1.0, dtb 0x80600000\n");
	mh_result_free(&res);
}

static void test_rsi(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "rsi", &cfg, &res);
	assert_console(&res, "rsi: all checks passed\n");
	mh_result_free(&res);
}

/* guests/tests/mmio.c's device: reads return MMIO_PATTERN, writes are recorded. */
struct mmio_log {
	pthread_mutex_t lock;
	unsigned int nreads, nwrites;
	struct {
		uint64_t off, val;
		unsigned int size;
	} w[16];
	unsigned int read_sizes[16];
};

static uint64_t mmio_dev(void *ctx, uint64_t off, unsigned int size, bool write, uint64_t val)
{
	struct mmio_log *l = ctx;

	pthread_mutex_lock(&l->lock);
	if (write && l->nwrites < 16) {
		l->w[l->nwrites].off = off;
		l->w[l->nwrites].val = val;
		l->w[l->nwrites++].size = size;
	} else if (!write && l->nreads < 16) {
		l->read_sizes[l->nreads++] = size;
	}
	pthread_mutex_unlock(&l->lock);
	return write ? 0 : MMIO_PATTERN;
}

static void test_mmio(void **state)
{
	/* guests/tests/mmio.c: loads b, sb, sb, h, sh, sh, w, sw, x; then the stores. */
	static const unsigned int rsize[9] = { 1, 1, 1, 2, 2, 2, 4, 4, 8 };
	static const struct {
		uint64_t off, val;
		unsigned int size;
	} want[5] = { { 0, 0x88, 1 },
		      { 2, 0x7788, 2 },
		      { 4, 0x55667788, 4 },
		      { 8, 0x1122334455667788ULL, 8 },
		      { 16, 0, 8 } };
	struct mmio_log l = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256, .dev = mmio_dev, .ctx = &l };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "mmio", &cfg, &res);
	assert_console(&res, "mmio: all checks passed\n");
	/* rmm-v1.0.md s12.2: SAS gives the size, FAR the page offset, gprs[0] the data
	 * masked to the access size (0 for XZR). */
	assert_int_equal(l.nreads, 9);
	for (unsigned int i = 0; i < 9; i++)
		assert_int_equal(l.read_sizes[i], rsize[i]);
	assert_int_equal(l.nwrites, 5);
	for (unsigned int i = 0; i < 5; i++) {
		assert_int_equal(l.w[i].off, want[i].off);
		assert_int_equal(l.w[i].size, want[i].size);
		assert_int_equal(l.w[i].val, want[i].val);
	}
	mh_result_free(&res);
}

static void test_regs(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256,
				 .trap_wfi = true,
				 .scribble_gprs = true };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "regs", &cfg, &res);
	assert_console(&res, "regs: all checks passed\n");
	mh_result_free(&res);
}

/* guests/tests/psci.c's contract: DENY CPU_ON of REC 3, SUCCESS otherwise. */
static int64_t deny_rec3(void *ctx, unsigned int caller, unsigned int target)
{
	(void)ctx;
	(void)caller;
	return target == 3 ? PSCI_RET_DENIED : PSCI_RET_SUCCESS;
}

static void test_psci(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256, .nrecs = 4, .cpu_on = deny_rec3 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "psci", &cfg, &res);
	assert_console(&res, "psci: all checks passed\n");
	/* failure-conditions s5.4: CPU_ON/AFFINITY_INFO of other RECs exit to the host. */
	assert_true(res.psci_completes >= 6);
	mh_result_free(&res);
}

static void test_fpu(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256, .nrecs = 2 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "fpu", &cfg, &res);
	assert_console(&res, "fpu: all checks passed\n");
	/* Each REC reported 8 times between exits (guests/tests/fpu.c). */
	assert_true(res.nreports >= 16);
	mh_result_free(&res);
}

static void test_spinlock(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256, .nrecs = 4, .timeout_ms = 60000 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "spinlock", &cfg, &res);
	assert_console(&res, "spinlock: 80000 increments, all checks passed\n");
	mh_result_free(&res);
}

static void test_sea(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "sea", &cfg, &res);
	assert_console(&res, "sea: all checks passed\n");
	/* rmm-v1.0.md s12.3: only the ISV = 0 access reached the host, answered INJECT_SEA. */
	assert_int_equal(res.sea_injected, 1);
	mh_result_free(&res);
}

static void test_ripas(void **state)
{
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256 };
	struct mh_result res;

	(void)state;
	run(RK_GUEST_DIR, "ripas", &cfg, &res);
	assert_console(&res, "ripas: all checks passed\n");
	/* guests/tests/ripas.c issues four IPA_STATE_SET requests, each one exit. */
	assert_int_equal(res.exits[RMI_EXIT_RIPAS_CHANGE], 4);
	mh_result_free(&res);
}

/* ---- RIM: what the guest reads == what tests/rim/rim.py rebuilds from the log ---- */

static void rim_model(const char *log, char *hex, size_t len)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), PY " %s/tests/rim/rim.py %s", RK_SOURCE_DIR, log);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(hex, (int)len, p))
		hex[0] = 0;
	assert_int_equal(pclose(p), 0);
	hex[strcspn(hex, "\n")] = 0;
}

/* The RIM from the guest's reports, as hex of `bytes` bytes. */
static void rim_reported(const struct mh_result *res, unsigned int bytes, char *hex)
{
	uint64_t w[8] = { 0 };
	unsigned int seen = 0;

	for (unsigned int i = 0; i < res->nreports; i++) {
		const struct mh_report *r = &res->reports[i];

		if (r->v[0] == REPORT_RIM && r->v[1] < 8) {
			w[r->v[1]] = r->v[2];
			seen |= 1u << r->v[1];
		}
	}
	assert_int_equal(seen, 0xff);
	for (unsigned int i = 0; i < bytes; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned int)(w[i / 8] >> (8 * (i % 8))) & 0xff);
}

/* White box: the RIM in the RD right after construction, as hex. */
struct rim_rd {
	unsigned int bytes;
	const char *log;
	char hex[160];
};

/*
 * After construction (the log is complete): the harness's log must
 * reproduce the RIM the RMM holds in the RD, which checks the log itself.
 */
static void check_rd_rim(struct mini_host *mh, void *arg)
{
	struct rim_rd *r = arg;
	const struct rd *rd = rd_of(find_granule(pa_of(mh_rd(mh))));
	char model[160];

	for (unsigned int i = 0; i < r->bytes; i++)
		sprintf(r->hex + 2 * i, "%02x", rd->measurement[RMM_MEASUREMENT_RIM_SLOT][i]);
	rim_model(r->log, model, sizeof(model));
	assert_string_equal(r->hex, model);
}

static void rim_test(unsigned int alg, unsigned int nrecs)
{
	char log[] = "/tmp/rk_guest_rim_XXXXXX", model[160], guest[160];
	struct rim_rd rd_rim = { .bytes = alg == RMI_HASH_SHA_512 ? 64 : 32 };
	struct mh_config cfg = { .algorithm = alg, .nrecs = nrecs, .rim_log = log };
	struct mh_result res;
	int fd = mkstemp(log);
	unsigned int bytes = alg == RMI_HASH_SHA_512 ? 64 : 32;

	assert_true(fd >= 0);
	close(fd);
	cfg.rpv[0] = 0x5a; /* s8.1: the RPV is not measured */
	rd_rim.log = log;
	run_with(MH_GUEST_DIR, "rimread", &cfg, &res, check_rd_rim, &rd_rim);
	rim_model(log, model, sizeof(model));
	assert_console(&res, "rimread: RIM reported\n");
	rim_reported(&res, bytes, guest);
	/* rmm-v1.0.md s14: the RIM depends only on the construction sequence. */
	assert_string_equal(guest, model);
	unlink(log);
	mh_result_free(&res);
}

static void test_rim_sha256(void **state)
{
	(void)state;
	rim_test(RMI_HASH_SHA_256, 1);
}

static void test_rim_sha512(void **state)
{
	(void)state;
	rim_test(RMI_HASH_SHA_512, 3);
}

/* ---- Attestation: the token checked by an independent verifier ---- */

/* guests/tests/attest.c's contract: reports (0xC4A1, i, challenge word i), i = 0..7. */
#define REPORT_CHALLENGE 0xC4A1
/* rmm-v1.0.md s14.5: REM 0 after the guest's one extend with 32 x 0x11 (SHA-256). */
#define REM0_GOLDEN "8878b15a7d6a3a4f464e8f9f42591dbc0cf4bedea0ec309003d2b2ee53655ef8"
#define REM_ZERO    "0000000000000000000000000000000000000000000000000000000000000000"

/* Hex of the 64-byte challenge the guest reported, or "" if it reported none. */
static void challenge_reported(const struct mh_result *res, char *hex)
{
	uint64_t w[8] = { 0 };
	unsigned int seen = 0;

	hex[0] = 0;
	for (unsigned int i = 0; i < res->nreports; i++) {
		const struct mh_report *r = &res->reports[i];

		if (r->v[0] == REPORT_CHALLENGE && r->v[1] < 8) {
			w[r->v[1]] = r->v[2];
			seen |= 1u << r->v[1];
		}
	}
	if (seen != 0xff)
		return;
	for (unsigned int i = 0; i < 64; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned int)(w[i / 8] >> (8 * (i % 8))) & 0xff);
}

static void test_attest(void **state)
{
	char log[] = "/tmp/rk_guest_attest_log_XXXXXX", tok[] = "/tmp/rk_guest_token_XXXXXX";
	char rim[160], rpv[129], challenge[129], cmd[2048];
	struct mh_config cfg = { .algorithm = RMI_HASH_SHA_256, .rim_log = log };
	struct mh_result res;
	int lfd = mkstemp(log), tfd = mkstemp(tok);
	FILE *f;

	(void)state;
	assert_true(lfd >= 0 && tfd >= 0);
	close(lfd);
	for (unsigned int i = 0; i < 64; i++) {
		cfg.rpv[i] = (uint8_t)(0xA0 + i);
		sprintf(rpv + 2 * i, "%02x", cfg.rpv[i]);
	}
	run(RK_GUEST_DIR, "attest", &cfg, &res);
	assert_console(&res, "attest: all checks passed\n");
	assert_non_null(res.token);
	f = fdopen(tfd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(res.token, 1, res.token_len, f), res.token_len);
	fclose(f);
	rim_model(log, rim, sizeof(rim));
	challenge_reported(&res, challenge);
	/* rmm-v1.0.md s15: a verifier that shares no code with realmkit checks the
	 * signatures, the binding, the claims, the RIM and the RPV (and the challenge
	 * when the guest reported it). */
	snprintf(cmd, sizeof(cmd),
		 PY
		 " %s/tests/attest/verify_token.py %s --rim %s --rpv %s --rem %s --rem %s --rem %s "
		 "--rem %s%s%s",
		 RK_SOURCE_DIR, tok, rim, rpv, REM0_GOLDEN, REM_ZERO, REM_ZERO, REM_ZERO,
		 challenge[0] ? " --challenge " : "", challenge);
	assert_int_equal(system(cmd), 0);
	unlink(log);
	unlink(tok);
	mh_result_free(&res);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psci, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spinlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sea, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ripas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rim_sha256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rim_sha512, setup, teardown),
	};
	char filter[64];

	if (argc > 1) {
		snprintf(filter, sizeof(filter), "test_%s", argv[1]);
		cmocka_set_test_filter(filter);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
