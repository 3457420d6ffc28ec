/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mini_host: the smallest host that runs a realm guest end to end, for the
 * guest tests and bench_exec. It is NOT the product host (src/host's realm
 * support): it speaks only RMI through smc_call() with structures in NS
 * granules from the host page allocator (host_rmi.h), and never includes an
 * RMM header. It drives the flows of rmm-v1.0.md s7, s11.3, s12 and
 * failure-conditions s5:
 *
 *  construction (s5.1): REALM_CREATE (s2sz 40, start level 0, one root,
 *    SHA-256 or SHA-512, RPV), RTT_INIT_RIPAS over guest RAM (RTTs created
 *    on demand from the level in RMI_ERROR_RTT), the image loaded at
 *    RK_GUEST_RAM_BASE with one measured DATA_CREATE per page, N RECs
 *    (REC 0 RUNNABLE at RK_GUEST_RAM_BASE with X0 = the DTB address, the
 *    others NOT_RUNNABLE), REALM_ACTIVATE. Every successful construction
 *    command can be written to a JSON log in tests/rim/rim.py's format;
 *  running: one host thread per REC calling REC_ENTER in a loop; a REC the
 *    host believes not runnable waits on a condition variable until a
 *    CPU_ON completion targets it. Exits: MMIO to a PL011 at
 *    RK_GUEST_UART_GPA and a test device at MH_TEST_DEV_GPA (EMUL_MMIO),
 *    ISV = 0 at a device -> INJECT_SEA, unprotected RAM aliases mapped with
 *    RTT_MAP_UNPROTECTED on fault, protected RAM faults -> DATA_CREATE_UNKNOWN,
 *    IRQ/FIQ/WFx -> re-enter, PSCI -> PSCI_COMPLETE per policy, RIPAS change
 *    -> RTT_SET_RIPAS per policy + RIPAS_RESPONSE, host calls (RK_HC_*);
 *  teardown (s5.1): DATA_DESTROY walking with `top`, unmap NS pages,
 *    RTT_DESTROY bottom-up, REC_DESTROY, REALM_DESTROY, undelegate all; every
 *    granule the RMM refuses to give back is reported as a leak.
 *
 * RK_HC_TOKEN protocol (proposed to the attest guest): the host cannot read
 * protected memory, so the guest copies the CCA token into a buffer in the
 * unprotected alias of its RAM (the host maps NS pages there on fault) and
 * passes gprs[1] = that unprotected IPA, gprs[2] = the size. The host reads
 * the bytes from its NS pages and answers gprs[0] = 0 (or -1 if any page of
 * the range is not mapped or the IPA is protected).
 */
#ifndef REALMKIT_TEST_MINI_HOST_H
#define REALMKIT_TEST_MINI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The test device the mmio, regs and sea guests use (their RK_GUEST_MMIO_TEST). */
#define MH_TEST_DEV_GPA	 0x0A000000ULL
#define MH_TEST_DEV_SIZE 0x1000ULL
/* The report a guest sends to choose the next RIPAS change policy (guests/tests/ripas.c). */
#define MH_REPORT_RIPAS_POLICY 0x5E7u
#define MH_DEFAULT_RAM_SIZE    (8ULL << 20)
#define MH_MAX_RECS	       16u
#define MH_MAX_REPORTS	       256u
#define MH_CONSOLE_SIZE	       65536u

/* RIPAS change policies (guests/tests/ripas.c). */
enum mh_ripas_policy {
	MH_RIPAS_ALL = 0,    /* apply the whole request, ACCEPT */
	MH_RIPAS_ONE = 1,    /* apply the first page only, ACCEPT */
	MH_RIPAS_REJECT = 2, /* apply nothing, REJECT */
};

struct mini_host;

/*
 * Test device access: `off` within MH_TEST_DEV_GPA's page, size in bytes
 * (1, 2, 4, 8), `val` the data written. Returns the value a read gets.
 */
typedef uint64_t (*mh_dev_fn)(void *ctx, uint64_t off, unsigned int size, bool write, uint64_t val);

/* CPU_ON policy: the PSCI status (PSCI_RET_SUCCESS or PSCI_RET_DENIED) to complete with. */
typedef int64_t (*mh_cpu_on_fn)(void *ctx, unsigned int caller, unsigned int target);

struct mh_config {
	const char *image_path;	 /* guest .bin, or NULL to use image/image_len */
	const void *image;	 /* image bytes (when image_path is NULL) */
	uint64_t image_len;	 /* bytes (rounded up to granules) */
	uint64_t ram_size;	 /* guest RAM bytes at RK_GUEST_RAM_BASE; 0 = default */
	unsigned int nrecs;	 /* 0 = 1 */
	unsigned int algorithm;	 /* RMI_HASH_SHA_256 or RMI_HASH_SHA_512 */
	uint8_t rpv[64];	 /* Realm Personalisation Value */
	bool x0_set;		 /* use x0 below instead of the DTB address */
	uint64_t x0;		 /* REC 0's X0 */
	bool trap_wfi;		 /* enter.flags.TRAP_WFI on every entry */
	bool scribble_gprs;	 /* 0xdeaddeaddeaddead in enter.gprs except host-call answers */
	unsigned int timeout_ms; /* 0 = 20000: then the run stops with an error */
	const char *rim_log;	 /* construction log path (tests/rim/rim.py format) or NULL */
	mh_dev_fn dev;		 /* test device, or NULL (reads 0, writes ignored) */
	mh_cpu_on_fn cpu_on;	 /* CPU_ON policy, or NULL (SUCCESS) */
	void *ctx;		 /* passed to dev and cpu_on */
};

struct mh_report {
	unsigned int rec;
	uint64_t v[6]; /* gprs[1..6] of the RK_HC_REPORT call */
	double t;      /* host time (s) at the exit */
};

/* What the run produced, and how the teardown went. */
struct mh_result {
	bool exited; /* RK_HC_EXIT seen */
	uint64_t exit_code;
	bool system_off;   /* PSCI SYSTEM_OFF */
	bool system_reset; /* PSCI SYSTEM_RESET */
	char console[MH_CONSOLE_SIZE];
	size_t console_len;
	struct mh_report reports[MH_MAX_REPORTS];
	unsigned int nreports;
	uint8_t *token; /* RK_HC_TOKEN bytes (malloc'd; mh_result_free) */
	size_t token_len;
	uint64_t exits[8];	 /* per RMI exit reason */
	uint64_t entries;	 /* successful REC_ENTERs */
	uint64_t mmio_writes;	 /* emulated writes (UART + device + unknown) */
	uint64_t sea_injected;	 /* INJECT_SEA answers */
	uint64_t data_faults;	 /* DATA_CREATE_UNKNOWN on a fault */
	uint64_t ns_maps;	 /* RTT_MAP_UNPROTECTED on a fault */
	uint64_t ripas_changes;	 /* RIPAS_CHANGE exits */
	uint64_t psci_completes; /* PSCI_COMPLETE calls */
	uint64_t rim[8];	 /* not filled by the host; for callers */
	uint64_t leaked;	 /* granules still delegated after teardown */
	char error[512];	 /* first harness error ("" if none) */
	char leak_report[512];	 /* what could not be given back */
};

/*
 * Builds the realm described by cfg (construction log written if asked).
 * Returns the host or NULL with res->error set. The platform and RMM must
 * be powered on and host_pages_init() done by the caller.
 */
struct mini_host *mh_create(const struct mh_config *cfg, struct mh_result *res);

/* Runs every REC's thread until SYSTEM_OFF/RESET, an error or the timeout. Returns 0 or -1. */
int mh_run(struct mini_host *mh);

/*
 * Tears the realm down, undelegates everything, frees the host and returns
 * the number of granules left delegated (also in res->leaked, with the
 * report in res->leak_report).
 */
uint64_t mh_destroy(struct mini_host *mh);

/* mh_create + mh_run + mh_destroy. Returns 0 if all three succeeded and nothing leaked. */
int mh_run_guest(const struct mh_config *cfg, struct mh_result *res);

/* Frees what a result owns (the token). */
void mh_result_free(struct mh_result *res);

/* The realm's RD PA (for white-box tests), valid between mh_create and mh_destroy. */
uint64_t mh_rd(const struct mini_host *mh);

/* Granules this host currently holds delegated. */
uint64_t mh_delegated(const struct mini_host *mh);

/* Seconds (CLOCK_MONOTONIC). */
double mh_now(void);

#endif /* REALMKIT_TEST_MINI_HOST_H */
