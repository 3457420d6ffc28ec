/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_boot: a realm's life through the whole stack (VMM, host UAPI, RMM,
 * engine), each figure next to a limit measured in the same run; it prints
 * ratios, never pass/fail.
 *
 * 1. The default demo (`make run`: guests/tests/demo.c, 4 vCPUs, 64 MiB)
 *    through vmm_session_run(), the code of `realmkit run`: wall time split
 *    into setup, populate, activation, run and teardown (session.h), the
 *    median of BOOT_RUNS runs, each phase as a share of the total.
 * 2. MMIO exits per second through the whole stack: the uart_hammer guest
 *    (bench/guests/uart_hammer.c) reads the PL011's flag register 100000
 *    times; each read is REC exit -> host -> KVM_EXIT_MMIO -> VMM's PL011 ->
 *    KVM_RUN -> REC_ENTER. Rate = MMIO exits / run phase. Next to it, in the
 *    same process, the bare REC_ENTER MMIO round trip: tests/guest's mini
 *    host (RMI calls straight from the harness, no UAPI, no VMM) running the
 *    execbench guest's MMIO-write mode between its start and end marks.
 *    Ratio = whole-stack time per exit / bare REC_ENTER round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "bench_util.h"
#include "board.h"
#include "host_rmi.h"
#include "mini_host.h"
#include "session.h"

#define BOOT_RUNS   9
#define REPORT_MARK 0xBE
#define MH_MMIO	    1u /* execbench mode: MMIO writes to the test device */
#define MH_ROUNDS   20000u

static void die(const char *what)
{
	fprintf(stderr, "bench_boot: %s\n", what);
	exit(1);
}

static void session(const char *kernel, unsigned int cpus, struct vmm_session *s)
{
	struct vmm_config cfg;
	struct vmm_err err = { 0 };

	vmm_config_defaults(&cfg);
	cfg.kernel = kernel;
	cfg.nr_cpus = cpus;
	cfg.ram_size = 64ULL << 20;
	cfg.console = VMM_CONSOLE_NONE;
	if (vmm_session_run(&cfg, s, &err)) {
		fprintf(stderr, "bench_boot: %s: %s\n", kernel, err.msg);
		exit(1);
	}
	if (s->status) {
		fprintf(stderr, "bench_boot: %s: %s, status %d\n", kernel, s->reason, s->status);
		exit(1);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void boot(void)
{
	static const char *const name[5] = { "setup", "populate", "activation", "run", "teardown" };
	double t[5][BOOT_RUNS], total[BOOT_RUNS], m[5];
	bool known = true;

	for (unsigned int i = 0; i < BOOT_RUNS; i++) {
		struct vmm_session s;

		session(RK_GUEST_DIR "/demo.elf", 4, &s);
		t[0][i] = s.t.setup_ms;
		t[1][i] = s.t.populate_ms;
		t[2][i] = s.t.activation_ms;
		t[3][i] = s.t.run_ms;
		t[4][i] = s.t.teardown_ms;
		total[i] = t[0][i] + t[1][i] + t[2][i] + t[3][i] + t[4][i];
		known = known && s.t.activation_known;
		vmm_session_fini(&s);
	}
	for (int p = 0; p < 5; p++)
		m[p] = median(t[p], BOOT_RUNS);
	printf("1. demo realm (4 vCPUs, 64 MiB) through `realmkit run`'s code, median of %u: "
	       "%.1f ms\n",
	       BOOT_RUNS, median(total, BOOT_RUNS));
	for (int p = 0; p < 5; p++)
		printf("   %-10s %7.2f ms  (%4.1f%% of the sum of medians)\n", name[p], m[p],
		       100.0 * m[p] / (m[0] + m[1] + m[2] + m[3] + m[4]));
	if (!known)
		printf("   (the host has no RMI observer: activation is counted in run)\n");
}

/* Seconds per MMIO round trip of the bare REC_ENTER path (mini host). */
static double bare_mmio_roundtrip(void)
{
	struct rk_platform_config pc = { .dram_size = 512ULL << 20 };
	struct mh_config cfg = { .image_path = MH_GUEST_DIR "/execbench.bin",
				 .algorithm = RMI_HASH_SHA_256,
				 .x0_set = true,
				 .x0 = (uint64_t)MH_MMIO << 32 | MH_ROUNDS,
				 .timeout_ms = 120000 };
	static struct mh_result res;
	double t0 = 0, t1 = 0;

	if (board_power_on(&pc, true) || host_pages_init())
		die("power on");
	if (mh_run_guest(&cfg, &res) || !res.exited || res.exit_code)
		die(res.error[0] ? res.error : "execbench failed");
	for (unsigned int i = 0; i < res.nreports; i++) {
		const struct mh_report *r = &res.reports[i];

		if (r->v[0] == REPORT_MARK && r->v[1] == MH_MMIO)
			*(r->v[2] ? &t1 : &t0) = r->t;
	}
	mh_result_free(&res);
	host_pages_fini();
	board_power_off();
	if (!t0 || !t1)
		die("execbench did not report its marks");
	return (t1 - t0) / MH_ROUNDS;
}

static void mmio_rate(void)
{
	struct vmm_session s;
	double per, bare;

	session(RK_BENCH_GUEST_DIR "/uart_hammer.bin", 1, &s);
	per = s.t.run_ms * 1e-3 / (double)s.n_mmio;
	vmm_session_fini(&s);
	bare = bare_mmio_roundtrip();
	printf("2. MMIO exits through the whole stack (uart_hammer: %llu exits in %.1f ms of "
	       "run)\n",
	       (unsigned long long)s.n_mmio, s.t.run_ms);
	printf("   whole stack (REC exit, host, KVM_EXIT_MMIO, VMM PL011, KVM_RUN): %8.0f exits/s "
	       "(%6.0f ns each)\n",
	       1.0 / per, per * 1e9);
	printf("   bare REC_ENTER MMIO round trip (mini host, %u writes):        %8.0f exits/s "
	       "(%6.0f ns each)\n",
	       MH_ROUNDS, 1.0 / bare, bare * 1e9);
	printf("   ratio whole stack / bare REC_ENTER: %.2f\n", per / bare);
}

int main(void)
{
	boot();
	mmio_rate();
	return 0;
}
