/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mini_host internals shared by mini_host.c (construction, RTTs, teardown)
 * and mini_host_run.c (the REC threads and exit handling).
 *
 * Locking: mh->lock protects the run state (stop, each REC's enterable/gen),
 * the result (console, reports, counters, error) and the RIPAS policy;
 * mh->map_lock serialises the host's changes to the realm's stage 2 (RTT
 * creation, DATA_CREATE_UNKNOWN and RTT_MAP_UNPROTECTED on faults, the
 * tracking arrays). No lock is held across REC_ENTER. Order: map_lock
 * before lock.
 */
#ifndef REALMKIT_TEST_MINI_HOST_PRIV_H
#define REALMKIT_TEST_MINI_HOST_PRIV_H

#include <pthread.h>
#include <stdio.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>

#include "mini_host.h"

#define MH_S2SZ		40u
#define MH_SCRIBBLE	0xdeaddeaddeaddeadULL
#define MH_MAX_REFAULTS 16u

/* An RTT the host created (RTT_CREATE at `level` covering `ipa`). */
struct mh_rtt {
	pa_t pa;
	uint64_t ipa; /* aligned to the level - 1 entry size */
	int level;
};

/* An NS page mapped into the unprotected half with RTT_MAP_UNPROTECTED. */
struct mh_nsmap {
	uint64_t ipa; /* unprotected IPA, page aligned */
	pa_t pa;
};

struct mh_rec {
	struct mini_host *mh;
	unsigned int idx;
	pa_t rec;
	pa_t aux[RMI_MAX_REC_AUX_GRANULES];
	unsigned int naux;
	pa_t run; /* this REC's RmiRecRun (NS) */
	pthread_t thread;
	bool started;
	struct platform_cpu *cpu; /* the thread's physical CPU, for kicks (under mh->lock) */
	/* Host's view, under mh->lock: may REC_ENTER succeed? gen counts wake-ups. */
	bool enterable;
	uint64_t gen;
	/* Thread-private: the next entry. */
	uint64_t enter_flags;
	uint64_t enter_gprs[RMI_REC_EXIT_NR_GPRS];
	bool answer_host_call;
	bool mmio_read; /* the entry completes an emulated read: enter_gprs[0] */
	uint64_t last_fault_ipa;
	unsigned int refaults;
	/* Thread-private counters, added to the result when the thread ends. */
	uint64_t exits[8], entries, mmio_writes, sea_injected, ripas_changes, psci_completes;
};

struct mini_host {
	struct mh_config cfg;
	struct mh_result *res;
	pa_t rd, root;
	uint64_t ram_base, ram_top, dtb;
	uint64_t shared_bit; /* 2^(s2sz - 1) */
	uint16_t vmid;
	uint64_t delegated; /* granules this host holds delegated */
	uint64_t data_pages;
	FILE *log;
	bool log_first;
	bool active;
	pthread_mutex_t lock, map_lock;
	pthread_cond_t cond;
	bool stop;
	enum mh_ripas_policy ripas_policy;
	struct mh_rtt *rtts;
	size_t nrtts, cap_rtts;
	struct mh_nsmap *ns;
	size_t nns, cap_ns;
	unsigned int nrecs;
	struct mh_rec recs[MH_MAX_RECS];
};

/* smc_call() returning X0..X4. */
struct smc_result mh_rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			 uint64_t a5);

/*
 * Stops the run: every thread leaves its loop; RECs running on a physical
 * CPU are kicked (an IRQ exit) so that their threads see it. Caller holds
 * mh->lock.
 */
void mh_stop_locked(struct mini_host *mh);

/* Records the first error (printf format), stops every thread. Takes mh->lock. */
void mh_fail(struct mini_host *mh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A fresh NS granule, delegated (counted). pa 0 on failure (error recorded). */
pa_t mh_delegate_new(struct mini_host *mh);

/* Undelegates and frees a granule; on failure it is reported as leaked. */
void mh_undelegate_free(struct mini_host *mh, pa_t pa, const char *what);

/*
 * Runs RMI `fid` with X1..X5 = a[0..4], a command on `ipa` whose walk must reach `level`:
 * while it fails with RMI_ERROR_RTT at a level above `level`, creates the
 * next RTT (RTT_CREATE, logged before activation) and retries. Returns the
 * last result. Caller holds map_lock after activation.
 */
struct smc_result mh_with_rtts(struct mini_host *mh, uint64_t fid, const uint64_t a[5],
			       uint64_t ipa, int level);

/* RTT_CREATE at `level` for ipa (tracked). Returns X0. */
uint64_t mh_rtt_create(struct mini_host *mh, uint64_t ipa, int level);

/* Unprotected-half fault in a RAM alias: maps a fresh NS page. Returns 0 or -1. Takes map_lock. */
int mh_map_ns(struct mini_host *mh, uint64_t ipa);

/* Protected fault in guest RAM: DATA_CREATE_UNKNOWN. Returns 0 or -1. Takes map_lock. */
int mh_map_data(struct mini_host *mh, uint64_t ipa);

/* Reads len bytes at an unprotected IPA from the mapped NS pages. Returns 0 or -1. */
int mh_read_ns(struct mini_host *mh, uint64_t ipa, void *buf, size_t len);

#endif /* REALMKIT_TEST_MINI_HOST_PRIV_H */
