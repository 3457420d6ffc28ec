/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_exec: running realms, each cost next to its physical limit measured
 * in the same run (it prints ratios, never pass/fail).
 *
 * 1. Round trip per REC exit, measured in a real realm run by the mini host
 *    (tests/guest/mini_host.h) with the execbench guest
 *    (tests/guest/guests/execbench.c), between its start and end reports:
 *     - a HOST_CALL answered by the host (exit, host work, REC_ENTER),
 *     - an MMIO write emulated by the host (exit, EMUL_MMIO re-entry),
 *     - RSI_VERSION, answered inside the RMM without leaving REC_ENTER,
 *    each next to the bare engine's SMC exit + re-entry (engine_create on
 *    the same platform, a one-instruction guest behind a hand-built stage 2,
 *    no RMM): ratio = realm round trip / engine round trip.
 * 2. Building a realm of 16/256/1024 MiB through the RMI (REALM_CREATE,
 *    RTT_INIT_RIPAS, a measured DATA_CREATE of every page, REC_CREATE,
 *    ACTIVATE; RTTs on demand), next to raw SHA-256 of the same bytes
 *    (OpenSSL EVP): ratio = build time / hash time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/evp.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "bench_util.h"
#include "board.h"
#include "engine.h"
#include "host_rmi.h"
#include "mini_host.h"
#include "platform_root.h"

#define DRAM_SIZE   (1280ULL << 20)
#define REPORT_MARK 0xBE
#define ENGINE_VMID 0x7ff0   /* never given to a realm by the mini host */
#define PAGE_RW	    0x7ffULL /* stage-2 page: AF, SH inner, S2AP RW, MemAttr normal WB */
#define TABLE_DESC  0x3ULL
#define SMC_INSN    0xd4000003u
#define ROUNDTRIPS  20000u

static void die(const char *what)
{
	fprintf(stderr, "bench_exec: %s\n", what);
	exit(1);
}

static pa_t page(void)
{
	pa_t pa = host_page_alloc();

	if (!pa.v)
		die("out of NS pages");
	return pa;
}

/* ---- The bare engine: SMC exit + re-entry ---- */

/* 40-bit IPA, start level 1 (two concatenated roots), IPA 0 -> one code page. */
static double engine_smc_roundtrip(unsigned int n)
{
	pa_t root = host_pages_alloc_contig(2, 2 * GRANULE_SIZE), l2 = page(), l3 = page();
	pa_t code = page();
	struct engine_cpu_state st = { 0 };
	struct engine_stage2 s2;
	struct engine_exit x;
	struct engine *e;
	double t0, t;

	if (!root.v)
		die("no root pages");
	*(uint64_t *)platform_root_ptr(root) = l2.v | TABLE_DESC;
	*(uint64_t *)platform_root_ptr(l2) = l3.v | TABLE_DESC;
	*(uint64_t *)platform_root_ptr(l3) = code.v | PAGE_RW;
	*(uint32_t *)platform_root_ptr(code) = SMC_INSN;
	s2.vttbr = engine_vttbr(root, ENGINE_VMID);
	s2.vtcr = engine_vtcr(40, 1);
	st.pstate = ENGINE_PSTATE_RESET;
	st.el1.sctlr = 0x30d00800; /* SCTLR_EL1 reset value, MMU off */
	e = engine_create();
	if (!e || engine_load(e, &st, &s2))
		die("engine");
	t0 = bench_now();
	for (unsigned int i = 0; i < n; i++) {
		engine_set_pc(e, 0);
		if (engine_run(e, NULL, &x) || x.reason != ENGINE_EXIT_SMC)
			die("engine run did not end at the SMC");
	}
	t = (bench_now() - t0) / n;
	engine_destroy(e);
	host_pages_free(root, 2);
	host_page_free(l2);
	host_page_free(l3);
	host_page_free(code);
	return t;
}

/* ---- Realm round trips ---- */

static uint64_t dev_sink(void *ctx, uint64_t off, unsigned int size, bool write, uint64_t val)
{
	(void)ctx;
	(void)off;
	(void)size;
	(void)write;
	(void)val;
	return 0;
}

/* Seconds per operation of execbench mode `mode`, from its start/end reports. */
static double realm_roundtrip(unsigned int mode, unsigned int n)
{
	struct mh_config cfg = { .image_path = MH_GUEST_DIR "/execbench.bin",
				 .algorithm = RMI_HASH_SHA_256,
				 .x0_set = true,
				 .x0 = (uint64_t)mode << 32 | n,
				 .dev = dev_sink,
				 .timeout_ms = 120000 };
	static struct mh_result res;
	double t0 = 0, t1 = 0;

	if (mh_run_guest(&cfg, &res) || !res.exited || res.exit_code) {
		fprintf(stderr, "bench_exec: execbench mode %u: %s %s\n", mode, res.error,
			res.leak_report);
		exit(1);
	}
	for (unsigned int i = 0; i < res.nreports; i++) {
		const struct mh_report *r = &res.reports[i];

		if (r->v[0] == REPORT_MARK && r->v[1] == mode)
			*(r->v[2] ? &t1 : &t0) = r->t;
	}
	mh_result_free(&res);
	if (!t0 || !t1)
		die("execbench did not report its marks");
	return (t1 - t0) / n;
}

static void roundtrips(void)
{
	static const char *const what[3] = { "HOST_CALL (host answers) ",
					     "MMIO write (host emulates)",
					     "RSI_VERSION (inside RMM)  " };
	double eng = engine_smc_roundtrip(200000);

	printf("1. round trip per realm exit (%u each), next to the bare engine's SMC exit + "
	       "re-entry: %.0f ns\n",
	       ROUNDTRIPS, eng * 1e9);
	for (unsigned int mode = 0; mode < 3; mode++) {
		double t = realm_roundtrip(mode, ROUNDTRIPS);

		printf("   %s: %7.0f ns  (ratio to engine %.1f)\n", what[mode], t * 1e9, t / eng);
	}
}

/* ---- Realm construction vs SHA-256 ---- */

static double sha256_time(const void *buf, uint64_t len)
{
	unsigned char md[32];
	double t0 = bench_now();

	if (!EVP_Digest(buf, len, md, NULL, EVP_sha256(), NULL))
		die("EVP_Digest");
	return bench_now() - t0;
}

static void build_one(unsigned int mib, const void *img)
{
	uint64_t len = (uint64_t)mib << 20;
	struct mh_config cfg = {
		.image = img, .image_len = len, .ram_size = len, .algorithm = RMI_HASH_SHA_256
	};
	static struct mh_result res;
	struct mini_host *mh;
	double t0, tb, td, th;

	t0 = bench_now();
	mh = mh_create(&cfg, &res);
	tb = bench_now() - t0;
	if (!mh) {
		fprintf(stderr, "bench_exec: build %u MiB: %s\n", mib, res.error);
		exit(1);
	}
	t0 = bench_now();
	if (mh_destroy(mh) || res.error[0]) {
		fprintf(stderr, "bench_exec: teardown %u MiB: %s %s\n", mib, res.error,
			res.leak_report);
		exit(1);
	}
	td = bench_now() - t0;
	th = sha256_time(img, len);
	printf("   %4u MiB: build %8.1f ms (%6.1f MB/s) | SHA-256 %7.1f ms (%6.1f MB/s) | "
	       "ratio %.1f | teardown %7.1f ms\n",
	       mib, tb * 1e3, (double)len / tb / 1e6, th * 1e3, (double)len / th / 1e6, tb / th,
	       td * 1e3);
}

static void builds(void)
{
	static const unsigned int mib[3] = { 16, 256, 1024 };
	uint64_t max = (uint64_t)mib[2] << 20;
	/* Zero pages of an untouched private mapping: what a host copies from. */
	void *img = mmap(NULL, max, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (img == MAP_FAILED)
		die("mmap");
	printf("2. realm build (REALM_CREATE, INIT_RIPAS, measured DATA_CREATE of every page, "
	       "REC, ACTIVATE) vs raw SHA-256 of the same bytes\n");
	for (int i = 0; i < 3; i++)
		build_one(mib[i], img);
	munmap(img, max);
}

int main(void)
{
	struct rk_platform_config cfg = { .dram_size = DRAM_SIZE };

	if (board_power_on(&cfg, true) || host_pages_init())
		die("power on");
	roundtrips();
	builds();
	host_pages_fini();
	board_power_off();
	return 0;
}
