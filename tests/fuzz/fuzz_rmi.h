/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMI sequence fuzzer (fuzz_rmi.c decodes inputs into commands,
 * fuzz_rmi_machine.c owns the machine, the checked call and the teardown).
 *
 * One machine (32 MiB DRAM) for the whole process. Every input starts from
 * the same clean state -- no realm, every granule NS -- and ends with a
 * teardown through the RMI that must give every granule back to the host
 * (nothing lost); the teardown is what resets the machine between inputs.
 *
 * After every RMI command: X0 must be a well-formed status for that
 * command, a failed command must change nothing (granule states and
 * reference counts, PAS, realm states, RIMs, RTT contents), and
 * rmm_check_invariants() must report nothing. Any breach aborts with a
 * message naming the command (a libFuzzer crash).
 */
#ifndef REALMKIT_FUZZ_RMI_H
#define REALMKIT_FUZZ_RMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>

#define FZ_DRAM_SIZE   (16ULL << 20) /* RK_DRAM_MIN_SIZE: short checker loops */
#define FZ_ARENA_PAGES 160u	     /* the host granules most arguments come from */
#define FZ_BLOCK_PAGES 512u	     /* a 2 MiB-aligned run: DATA for a level-2 block */

/* The fuzzer's view of the machine (set up once by fz_machine_init). */
struct fz_machine {
	pa_t arena;  /* FZ_ARENA_PAGES contiguous NS granules */
	pa_t params; /* an NS granule for RmiRealmParams / RmiRecParams */
	pa_t src;    /* an NS granule: DATA_CREATE source */
	pa_t block;  /* FZ_BLOCK_PAGES NS granules, 2 MiB aligned */
	uint64_t calls, failures_checked, invariant_runs;
	bool verbose; /* FUZZ_RMI_VERBOSE=1: print every command */
};

extern struct fz_machine fz;

/* Powers the machine on once (idempotent). Aborts on failure. */
void fz_machine_init(void);

/*
 * Issues one RMI command through the SMC conduit with every check above.
 * fid is an RMI function ID; returns the result registers.
 */
struct smc_result fz_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5);

/*
 * Light mode on: fz_call checks only X0 (bulk steps); off: runs the
 * invariant checker at once and resumes full checking.
 */
void fz_set_light(bool on);

/* Runs rmm_check_invariants(); aborts on a violation (after: what just ran). */
void fz_check_invariants(const char *after);

/* Aborts with a message (a fuzzer finding). */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Asserts a packed X0 for a law check ("create then destroy must succeed"). */
void fz_expect(uint64_t x0, enum rmi_status st, unsigned int idx, const char *what);

/*
 * Tears everything down through the RMI (RECs, DATA, NS mappings, RTTs,
 * realms, then undelegates every granule) and checks that the machine is
 * back to its clean state. Aborts if any step fails (a lost granule).
 */
void fz_teardown(void);

/* ---- Post-conditions of successful commands (fuzz_rmi_post.c) ---- */

/* RTT_READ_ENTRY(rd, ipa, level) as a checked call. */
struct smc_result fz_read(uint64_t rd, uint64_t ipa, int64_t level);

void fz_post_rtt_create(uint64_t rd, uint64_t rtt, uint64_t ipa, int64_t level);
void fz_post_rtt_destroy(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r,
			 bool in_par);
/* child: READ_ENTRY(rd, ipa, level) before the fold. */
void fz_post_rtt_fold(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r,
		      struct smc_result child);
void fz_post_map(uint64_t rd, uint64_t ipa, int64_t level, uint64_t desc);
void fz_post_unmap(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r);
/* src 0 for DATA_CREATE_UNKNOWN; ripas_before: the entry's RIPAS before the command. */
void fz_post_data_create(uint64_t rd, uint64_t data, uint64_t ipa, uint64_t src,
			 unsigned int ripas_before);
/* before: READ_ENTRY(rd, ipa, 3) before the command. */
void fz_post_data_destroy(uint64_t rd, uint64_t ipa, struct smc_result r, struct smc_result before);
void fz_post_init_ripas(uint64_t rd, uint64_t base, uint64_t done);
void fz_post_undelegate(uint64_t pa);

#endif /* REALMKIT_FUZZ_RMI_H */
