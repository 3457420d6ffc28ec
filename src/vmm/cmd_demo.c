/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit demo`: powers the board on and drives the RMM the way a host
 * does, printing every call and what the platform shows afterwards.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "board.h"
#include "cli.h"
#include "host_rmi.h"

#define DEMO_GRANULES 8

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *status_str(uint64_t x0)
{
	static char buf[48];

	if (x0 == SMC_UNKNOWN)
		return "SMC_UNKNOWN";
	if (rmi_index_of(x0))
		snprintf(buf, sizeof(buf), "%s (index %u)", rmi_status_name(rmi_status_of(x0)),
			 rmi_index_of(x0));
	else
		snprintf(buf, sizeof(buf), "%s", rmi_status_name(rmi_status_of(x0)));
	return buf;
}

static unsigned int feat(uint64_t v, unsigned int shift, unsigned int width)
{
	return (unsigned int)rmi_field_get(v, shift, width);
}

#define F(v, name) \
	feat(v, RMI_FEATURE_REGISTER_0_##name##_SHIFT, RMI_FEATURE_REGISTER_0_##name##_WIDTH)

static void print_features(void)
{
	uint64_t v, x0 = rmi_features(0, &v);

	printf("RMI_FEATURES(0)            -> %s, 0x%llx\n", status_str(x0), (unsigned long long)v);
	printf("    S2SZ %u, LPA2 %u, SVE %u, breakpoints %u, watchpoints %u, PMU %u,\n"
	       "    SHA-256 %u, SHA-512 %u, GICv3 LRs %u, RECs per realm %u\n",
	       F(v, S2SZ), F(v, LPA2), F(v, SVE_EN), F(v, NUM_BPS) + 1, F(v, NUM_WPS) + 1,
	       F(v, PMU_EN), F(v, HASH_SHA_256), F(v, HASH_SHA_512), F(v, GICV3_NUM_LRS) + 1,
	       (1u << F(v, MAX_RECS_ORDER)) - 1);
}

/* Reads a delegated granule from a child process: the GPF must kill it. */
static void show_gpf(pa_t pa)
{
	int fds[2];
	char msg[160] = "";
	pid_t pid;
	int status = 0;
	ssize_t n;

	fflush(stdout);
	if (pipe(fds) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		volatile unsigned char *p = platform_ns_ptr(pa);

		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		(void)*p;
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	msg[strcspn(msg, "\n")] = '\0';
	printf("host read of PA 0x%llx in a child -> exit status %d: \"%s\"\n",
	       (unsigned long long)pa.v, WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg);
}

static void try_delegate(const char *what, pa_t pa)
{
	printf("delegate %-17s -> %s\n", what, status_str(rmi_granule_delegate(pa)));
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i])
			return false;
	}
	return true;
}

static int demo_delegation(void)
{
	pa_t base = host_pages_alloc_contig(DEMO_GRANULES, GRANULE_SIZE), sec;
	unsigned int ok = 0;
	uint64_t sz;
	bool zero = true;

	if (!base.v) {
		fprintf(stderr, "demo: out of NS memory\n");
		return 1;
	}
	memset(platform_ns_ptr(base), 0xa5, DEMO_GRANULES * GRANULE_SIZE);
	for (unsigned int i = 0; i < DEMO_GRANULES; i++)
		ok += rmi_granule_delegate(pa_add(base, i * GRANULE_SIZE)) == RMI_SUCCESS;
	printf("delegate %u granules at PA 0x%llx -> %u x RMI_SUCCESS, GPT now %s\n", DEMO_GRANULES,
	       (unsigned long long)base.v, ok, platform_pas_name(platform_pas(base)));
	try_delegate("the same again", base);
	try_delegate("PA + 1", pa_add(base, 1));
	try_delegate("the NS UART (MMIO)", pa_of(RK_NS_UART_PA));
	try_delegate("2^48 + 4 KB", pa_of((1ULL << RK_PA_WIDTH) + GRANULE_SIZE));
	platform_ns_dram_range(&sec, &sz);
	try_delegate("Secure memory", pa_add(sec, sz));
	try_delegate("Root memory", pa_of(RK_DRAM_BASE));
	show_gpf(base);
	ok = 0;
	for (unsigned int i = 0; i < DEMO_GRANULES; i++)
		ok += rmi_granule_undelegate(pa_add(base, i * GRANULE_SIZE)) == RMI_SUCCESS;
	zero = all_zero(platform_ns_ptr(base), DEMO_GRANULES * GRANULE_SIZE);
	printf("undelegate %u granules -> %u x RMI_SUCCESS, GPT now %s, contents %s\n",
	       DEMO_GRANULES, ok, platform_pas_name(platform_pas(base)),
	       zero ? "all zero (scrubbed)" : "NOT ZERO");
	printf("undelegate again           -> %s\n", status_str(rmi_granule_undelegate(base)));
	host_pages_free(base, DEMO_GRANULES);
	return ok == DEMO_GRANULES && zero ? 0 : 1;
}

static void demo_timing(void)
{
	pa_t pa = host_page_alloc();
	unsigned int n = 20000;
	double t0 = now_s(), dt;

	for (unsigned int i = 0; i < n; i++) {
		rmi_granule_delegate(pa);
		rmi_granule_undelegate(pa);
	}
	dt = now_s() - t0;
	printf("timing: %u delegate+undelegate pairs in %.1f ms (%.2f us per pair)\n", n, dt * 1e3,
	       dt * 1e6 / n);
	host_page_free(pa);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: realmkit demo [-m SIZE]\n"
		   "  Powers on the simulated platform and RMM and drives RMI as a host does.\n"
		   "  -m, --mem SIZE   platform DRAM size (default 1G; suffixes K, M, G)\n"
		   "  -h, --help       this text\n");
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rk_platform_config cfg = { 0 };
	uint64_t lower, higher, x0;
	double t0 = now_s();
	int c, rc;

	while ((c = getopt_long(argc, argv, "m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!cli_parse_size(optarg, &cfg.dram_size)) {
				fprintf(stderr, "realmkit demo: bad size '%s'\n", optarg);
				return RK_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return RK_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "realmkit demo: unexpected argument '%s'\n", argv[optind]);
		return RK_EXIT_USAGE;
	}
	rc = board_power_on(&cfg, true);
	if (rc) {
		fprintf(stderr, "realmkit demo: power-on failed: %s\n", strerror(-rc));
		return 1;
	}
	host_pages_init();
	printf("platform: DRAM %llu MiB at PA 0x%llx (sparse memfd), PA width %u, "
	       "MMIO window 0x%llx, Root/Secure carve-outs %llu KiB/%llu KiB\n",
	       (unsigned long long)(platform_dram_size() >> 20), (unsigned long long)RK_DRAM_BASE,
	       RK_PA_WIDTH, (unsigned long long)RK_MMIO_BASE,
	       (unsigned long long)(RK_ROOT_CARVEOUT_SIZE >> 10),
	       (unsigned long long)(RK_SECURE_CARVEOUT_SIZE >> 10));
	x0 = rmi_version(RMI_ABI_VERSION, &lower, &higher);
	printf("RMI_VERSION(1.0)           -> %s, lower %llu.%llu, higher %llu.%llu\n",
	       status_str(x0), (unsigned long long)(lower >> 16),
	       (unsigned long long)(lower & 0xffff), (unsigned long long)(higher >> 16),
	       (unsigned long long)(higher & 0xffff));
	x0 = rmi_version(0x20000, &lower, &higher);
	printf("RMI_VERSION(2.0)           -> %s, lower %llu.%llu\n", status_str(x0),
	       (unsigned long long)(lower >> 16), (unsigned long long)(lower & 0xffff));
	print_features();
	rc = demo_delegation();
	printf("unknown FID 0xC4000156     -> %s\n",
	       status_str(smc_call(0xC4000156, 0, 0, 0, 0, 0, 0).x[0]));
	demo_timing();
	host_pages_fini();
	board_power_off();
	printf("demo %s in %.1f ms\n", rc ? "FAILED" : "done", (now_s() - t0) * 1e3);
	return rc;
}
