/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_rmi: the cost of an RMI round trip and the throughput of
 * RMI_DATA_CREATE, each next to its physical limit measured in the same run.
 *
 * 1. ns per RMI_VERSION and per RMI_RTT_READ_ENTRY through smc_call(), next
 *    to an empty function call (noinline, called through a volatile
 *    pointer so the compiler cannot see through it).
 * 2. DATA_CREATE with MEASURE_CONTENT, in MB/s of realm memory populated,
 *    for a SHA-256 and a SHA-512 realm, next to raw OpenSSL over the same
 *    bytes: per page, the hash of its 4 KB plus the hash of one 256-byte
 *    descriptor (rmm-v1.0.md s14.3), which is the least work any conforming
 *    RMM must do per measured page. The ratio RMI / raw is printed (goal:
 *    >= 0.8).
 * It prints ratios, never pass/fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "bench_util.h"
#include "board.h"
#include "host_rmi.h"

#define NPAGES	 2048u /* pages per DATA_CREATE round: 8 MB, four level-3 RTTs */
#define NSRC	 64u   /* distinct source pages, cycled */
#define DATA_IPA 0x40000000ULL

static void die(const char *what, uint64_t x0)
{
	fprintf(stderr, "bench_rmi: %s failed (X0 = %#llx)\n", what, (unsigned long long)x0);
	exit(1);
}

static pa_t delegated(void)
{
	pa_t pa = host_page_alloc();
	uint64_t x0;

	if (!pa.v)
		die("host_page_alloc", 0);
	x0 = rmi_granule_delegate(pa);
	if (x0)
		die("GRANULE_DELEGATE", x0);
	return pa;
}

static uint64_t rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	return smc_call(fid, a1, a2, a3, a4, a5, 0).x[0];
}

/* A NEW realm (s2sz 40, start level 0) with RTTs for [DATA_IPA, +NPAGES pages). */
static pa_t realm_new(unsigned int alg)
{
	pa_t params = host_page_alloc(), rd = delegated(), root = delegated();
	struct rmi_realm_params *p = platform_ns_ptr(params);
	static uint16_t vmid = 1;
	uint64_t x0;

	memset(p, 0, sizeof(*p));
	p->s2sz = 40;
	p->num_bps = 1;
	p->num_wps = 1;
	p->algorithm = (uint8_t)alg;
	p->vmid = vmid++;
	p->rtt_base = root.v;
	p->rtt_level_start = 0;
	p->rtt_num_start = 1;
	x0 = rmi(RMI_REALM_CREATE, rd.v, params.v, 0, 0, 0);
	if (x0)
		die("REALM_CREATE", x0);
	host_page_free(params);
	if ((x0 = rmi(RMI_RTT_CREATE, rd.v, delegated().v, 0, 1, 0)) ||
	    (x0 = rmi(RMI_RTT_CREATE, rd.v, delegated().v, DATA_IPA, 2, 0)))
		die("RTT_CREATE", x0);
	for (uint64_t off = 0; off < NPAGES * 4096ULL; off += 2ULL << 20) {
		x0 = rmi(RMI_RTT_CREATE, rd.v, delegated().v, DATA_IPA + off, 3, 0);
		if (x0)
			die("RTT_CREATE level 3", x0);
	}
	return rd;
}

struct dc_arg {
	pa_t rd;
	pa_t data[NPAGES];
	pa_t src[NSRC];
};

/* One round: NPAGES DATA_CREATEs with MEASURE_CONTENT, sources cycled. */
static void data_create_round(struct dc_arg *a)
{
	for (unsigned int i = 0; i < NPAGES; i++) {
		uint64_t x0 = rmi(RMI_DATA_CREATE, a->rd.v, a->data[i].v, DATA_IPA + i * 4096ULL,
				  a->src[i % NSRC].v, RMI_MEASURE_CONTENT);
		if (x0)
			die("DATA_CREATE", x0);
	}
}

static void data_destroy_round(struct dc_arg *a)
{
	for (unsigned int i = 0; i < NPAGES; i++) {
		struct smc_result r =
			smc_call(RMI_DATA_DESTROY, a->rd.v, DATA_IPA + i * 4096ULL, 0, 0, 0, 0);
		if (r.x[0] || r.x[1] != a->data[i].v)
			die("DATA_DESTROY", r.x[0]);
	}
}

/* Best of reps rounds of DATA_CREATE, in seconds per page (destroys are untimed). */
static double time_data_create(struct dc_arg *a, int reps)
{
	double best = 1e30;

	for (int r = 0; r < reps; r++) {
		double t0 = bench_now(), dt;

		data_create_round(a);
		dt = (bench_now() - t0) / NPAGES;
		if (dt < best)
			best = dt;
		data_destroy_round(a);
	}
	return best;
}

/* The physical minimum: H(4 KB page) + H(256-byte descriptor) per page, raw EVP. */
struct raw_arg {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
	const unsigned char *src[NSRC];
};

static void raw_hash(void *arg, unsigned long n)
{
	struct raw_arg *a = arg;
	unsigned char desc[256] = { 0 }, out[64];

	for (unsigned long i = 0; i < n; i++) {
		if (!EVP_DigestInit_ex2(a->ctx, a->md, NULL) ||
		    !EVP_DigestUpdate(a->ctx, a->src[i % NSRC], 4096) ||
		    !EVP_DigestFinal_ex(a->ctx, desc + 0x60, NULL) ||
		    !EVP_DigestInit_ex2(a->ctx, a->md, NULL) ||
		    !EVP_DigestUpdate(a->ctx, desc, sizeof(desc)) ||
		    !EVP_DigestFinal_ex(a->ctx, out, NULL))
			die("EVP", 0);
		memcpy(desc + 0x10, out, 32);
	}
}

static __attribute__((noinline)) uint64_t empty_call(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static uint64_t (*volatile empty_ptr)(uint64_t) = empty_call;

static void empty_calls(void *arg, unsigned long n)
{
	uint64_t acc = 0;

	(void)arg;
	for (unsigned long i = 0; i < n; i++)
		acc += empty_ptr(i);
	__asm__ volatile("" ::"r"(acc));
}

static void version_calls(void *arg, unsigned long n)
{
	(void)arg;
	for (unsigned long i = 0; i < n; i++)
		if (rmi(RMI_VERSION, RMI_ABI_VERSION, 0, 0, 0, 0))
			die("VERSION", 1);
}

static void read_entry_calls(void *arg, unsigned long n)
{
	pa_t rd = *(pa_t *)arg;

	for (unsigned long i = 0; i < n; i++)
		if (rmi(RMI_RTT_READ_ENTRY, rd.v, DATA_IPA + (i % NPAGES) * 4096ULL, 3, 0, 0))
			die("RTT_READ_ENTRY", 1);
}

static void bench_round_trips(pa_t rd)
{
	unsigned long n = 2000000;
	double t_empty = bench_best(empty_calls, NULL, n, 5);
	double t_ver = bench_best(version_calls, NULL, n, 5);
	double t_read = bench_best(read_entry_calls, &rd, n, 5);

	printf("empty function call:     %7.1f ns\n", t_empty * 1e9);
	printf("RMI_VERSION round trip:  %7.1f ns  (%.1f x an empty call)\n", t_ver * 1e9,
	       t_ver / t_empty);
	printf("RMI_RTT_READ_ENTRY (L3): %7.1f ns  (%.1f x an empty call)\n", t_read * 1e9,
	       t_read / t_empty);
}

static void bench_data_create(unsigned int alg, struct dc_arg *a)
{
	static const char *const names[] = { "SHA256", "SHA512" };
	struct raw_arg raw = { .md = EVP_MD_fetch(NULL, names[alg], NULL),
			       .ctx = EVP_MD_CTX_new() };
	double t_rmi, t_raw;

	if (!raw.md || !raw.ctx)
		die("EVP setup", 0);
	for (unsigned int i = 0; i < NSRC; i++)
		raw.src[i] = platform_ns_ptr(a->src[i]);
	a->rd = realm_new(alg);
	t_rmi = time_data_create(a, 7);
	t_raw = bench_best(raw_hash, &raw, NPAGES, 7);
	printf("DATA_CREATE %s: %7.1f MB/s (%.2f us/page); raw OpenSSL page + descriptor "
	       "hash: %7.1f MB/s (%.2f us/page); ratio %.2f\n",
	       alg ? "SHA-512" : "SHA-256", 4096 / t_rmi / 1e6, t_rmi * 1e6, 4096 / t_raw / 1e6,
	       t_raw * 1e6, t_raw / t_rmi);
	EVP_MD_CTX_free(raw.ctx);
	EVP_MD_free(raw.md);
}

int main(void)
{
	struct rk_platform_config cfg = { .dram_size = 256ULL << 20 };
	static struct dc_arg a;

	if (board_power_on(&cfg, false) || host_pages_init())
		return 1;
	for (unsigned int i = 0; i < NSRC; i++) {
		unsigned char *p;

		a.src[i] = host_page_alloc();
		p = platform_ns_ptr(a.src[i]);
		for (unsigned int b = 0; b < 4096; b++)
			p[b] = (unsigned char)(rand() & 0xff);
	}
	for (unsigned int i = 0; i < NPAGES; i++)
		a.data[i] = delegated();
	bench_data_create(RMI_HASH_SHA_256, &a);
	bench_round_trips(a.rd);
	bench_data_create(RMI_HASH_SHA_512, &a);
	host_pages_fini();
	board_power_off();
	return 0;
}
