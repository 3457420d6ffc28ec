/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Realm Execution Context: lives in the REC granule and its auxiliary
 * (REC_AUX) granules, which the host delegated (the RMM never allocates,
 * rmm-v1.0.md s16.1).
 *
 * REC state (rmm-v1.0.md s9.3). As in TF-RMM there is no REC state
 * enumeration; the state is the granule's reference count plus fields:
 *
 *   idle     granule REC, reference count 0. Every field is protected by
 *            the REC granule lock.
 *   running  granule REC, reference count 1: inside REC_ENTER on exactly one
 *            thread, which owns the whole structure and accesses it without
 *            the lock. The count is set under the lock by REC_ENTER and
 *            dropped with store-release without it; PSCI_COMPLETE,
 *            RTT_SET_RIPAS and REC_DESTROY read it with load-acquire under
 *            the lock and refuse a running REC (s16.3).
 *   runnable a field (not a granule state): from RmiRecParams.flags at
 *            REC_CREATE, cleared by PSCI CPU_OFF, set by a successful CPU_ON
 *            completion. REC_ENTER refuses a REC that is not runnable.
 *
 * Lifetime: REC_CREATE turns the REC granule DELEGATED -> REC and each aux
 * granule DELEGATED -> REC_AUX, and takes one reference on the RD (which
 * counts RECs). REC_DESTROY scrubs all of them back to DELEGATED and drops
 * the RD reference without the RD lock (atomically). The realm's REC count
 * (struct rd.rec_count, the next REC index) never goes down: REC indices are
 * never reused (failure-conditions s2.10).
 *
 * Lock order (s16.2): RD and REC are external states, locked in ascending
 * PA order when a command names both (REC_CREATE); the aux granules are
 * internal and are locked after their REC, in the order aux[0] .. aux[n-1].
 *
 * Layout: struct rec at the start of the REC granule; the FP/SIMD state
 * (struct rec_simd_state) at the start of aux granule 0, as TF-RMM keeps it
 * in the aux granules; the attestation token operation (rmm-v1.0.md s15.4,
 * attest_token.h) in aux granules REC_AUX_ATTEST_CTX (struct
 * attest_token_ctx) and REC_AUX_ATTEST_BUF (struct attest_token_buf, the
 * CCA token), used by rsi_attest.c. Aux granules 3..15 are unused. All of
 * them are zero after REC_CREATE (an idle token context).
 */
#ifndef REALMKIT_RMM_REC_H
#define REALMKIT_RMM_REC_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>

#include "granule.h"
#include "s2tt.h"

/* The aux granules every REC takes: RMI_REC_AUX_COUNT (rmm-v1.0.md s4). */
#define REC_NUM_AUX RMI_MAX_REC_AUX_GRANULES

#define REC_NUM_GPRS 31u /* X0..X30 */

/* Aux granules of the attestation token operation (see the layout above). */
#define REC_AUX_ATTEST_CTX 1u
#define REC_AUX_ATTEST_BUF 2u
static_assert(REC_AUX_ATTEST_BUF < REC_NUM_AUX, "the token buffer has its aux granule");

/*
 * Initial PSTATE (rmm-v1.0.md s4 REC_CREATE): AArch64 EL1h (M[3:0] = 0b0101)
 * with D, A, I and F masked (bits 9..6).
 */
#define REC_PSTATE_INIT 0x3c5ULL

/*
 * Initial SCTLR_EL1 (rmm-v1.0.md s4 REC_CREATE: "reset value (MMU off)"):
 * M, C, I and EE clear (MMU and caches off, little-endian), every other bit
 * zero except the bits that are RES1 in Armv8.0 -- 29 (LSMAOE), 28 (nTLSMD),
 * 23 (SPAN), 22 (EIS), 20 (TSCXT), 11 (EOS) -- i.e. the Arm ARM's SCTLR_EL1
 * field table read as "RES1 set, everything else off". The same value is
 * Linux's INIT_SCTLR_EL1_MMU_OFF for a little-endian kernel
 * (arch/arm64/include/asm/sysreg.h), which realm guests expect at entry.
 */
#define REC_SCTLR_EL1_INIT 0x30D00800ULL

/* EL1 (and EL0) system registers that belong to the REC (ARCHITECTURE.md). */
struct rec_el1_sysregs {
	uint64_t sctlr_el1;
	uint64_t actlr_el1;
	uint64_t cpacr_el1;
	uint64_t ttbr0_el1;
	uint64_t ttbr1_el1;
	uint64_t tcr_el1;
	uint64_t mair_el1;
	uint64_t amair_el1;
	uint64_t vbar_el1;
	uint64_t elr_el1;
	uint64_t spsr_el1;
	uint64_t esr_el1;
	uint64_t far_el1;
	uint64_t afsr0_el1;
	uint64_t afsr1_el1;
	uint64_t par_el1;
	uint64_t contextidr_el1;
	uint64_t tpidr_el0;
	uint64_t tpidrro_el0;
	uint64_t tpidr_el1;
	uint64_t csselr_el1;
	uint64_t cntkctl_el1;
	uint64_t mdscr_el1;
	/* The realm's generic timers (reported at every exit, s12.2). */
	uint64_t cntv_ctl_el0;
	uint64_t cntv_cval_el0;
	uint64_t cntp_ctl_el0;
	uint64_t cntp_cval_el0;
	/* What the realm reads as MPIDR_EL1 (s7.5: rmi_mpidr_to_vmpidr()). */
	uint64_t vmpidr_el2;
};

/* FP/SIMD state, in aux granule 0 (rec_simd()). */
struct rec_simd_state {
	uint64_t q[32][2]; /* Q0..Q31, [0] = low 64 bits */
	uint64_t fpcr;
	uint64_t fpsr;
};

/*
 * A pending PSCI CPU_ON or AFFINITY_INFO (s7.2-7.4): set by the REC exit,
 * cleared by RMI_PSCI_COMPLETE; REC_ENTER refuses the REC while pending.
 */
struct rec_psci_pending {
	bool pending;
	uint64_t fid;	       /* the PSCI function the realm called */
	uint64_t target_mpidr; /* its X1 (MPIDR_EL1 layout) */
};

/*
 * A RIPAS change request (s11.3, s12.4): recorded by RSI_IPA_STATE_SET,
 * advanced by RTT_SET_RIPAS, completed by the next REC_ENTER. None is
 * pending when base == top (both 0 after REC_CREATE).
 */
struct rec_ripas_change {
	uint64_t base; /* requested range [base, top) */
	uint64_t top;
	uint64_t addr;	       /* progress: the next IPA to change */
	uint8_t ripas;	       /* requested RIPAS: RMI_EMPTY or RMI_RAM */
	bool change_destroyed; /* RsiRipasChangeDestroyed == CHANGE_DESTROYED */
	uint8_t response;      /* RMI_ACCEPT / RMI_REJECT from RIPAS_RESPONSE */
};

/* A host call waiting for the host's results (s12.5). */
struct rec_host_call_pending {
	bool pending;
	uint64_t ipa; /* the realm's RsiHostCall (X1 of RSI_HOST_CALL) */
};

/*
 * Syndrome of the last SYNC/SERROR exit (s9.3, s12.1): what the hardware
 * reported to EL2, as TF-RMM keeps it in rec->last_run_info, i.e. the full
 * ESR (with SRT, SSE, SF, SAS, WnR, which EMUL_MMIO needs), the faulting VA
 * and HPFAR_EL2; the exit structure got the masked values. With post-tag fix
 * 303ee028 (rmm-v1.0.md s0) ISV is cleared here when the exit was reported
 * as non-emulatable, so "ISV set" means "the reported ESR had ISV". Zero
 * after any other exit; cleared by every REC_ENTER that runs the REC.
 * Written only by the run loop (rec_run*.c).
 */
struct rec_last_exit {
	uint64_t esr;
	uint64_t far;
	uint64_t hpfar;
};

/*
 * The virtual GIC CPU interface state the host gave at the last entry
 * (s12.8): ICH_HCR_EL2's host-controllable bits and the list registers. The
 * RMM sets En, vSGIEOICount and DVIM itself. realmkit does not deliver
 * virtual interrupts to the guest (its CPU engine has no GIC CPU
 * interface), so the LRs come back as they went in and EOIcount and VMCR
 * stay 0; misr is computed from them at each exit. Written only by the run
 * loop.
 */
struct rec_gic_state {
	uint64_t hcr;
	uint64_t lrs[RMI_REC_GIC_NUM_LRS];
	uint64_t vmcr;
	uint64_t misr;
};

struct rec {
	/* Identity, written by REC_CREATE and constant afterwards. */
	uint64_t rd_pa;	  /* owning RD */
	uint64_t rec_idx; /* index from the MPIDR (s7.5) */
	uint64_t mpidr;	  /* RmiRecParams.mpidr as given (RmiRecMpidr) */
	uint64_t num_aux;
	uint64_t aux_pa[REC_NUM_AUX];
	/* The realm's stage-2 geometry and hash, copied from the RD (constant). */
	struct s2tt_ctx s2_ctx;
	uint8_t algorithm;

	/* Power state (s9.3). */
	bool runnable;

	/* Architectural state, loaded onto a CPU engine by REC_ENTER. */
	uint64_t gprs[REC_NUM_GPRS];
	uint64_t pc;
	uint64_t pstate; /* SPSR_EL2 layout */
	uint64_t sp_el0;
	uint64_t sp_el1;
	struct rec_el1_sysregs el1;

	/* Operations pending across an exit (s9.3). */
	struct rec_psci_pending psci;
	struct rec_ripas_change ripas;
	struct rec_host_call_pending host_call;
	struct rec_last_exit last_exit;

	/* Interrupt controller state (s12.8), loaded at entry and reported at exit. */
	struct rec_gic_state gic;
};

static_assert(sizeof(struct rec) <= GRANULE_SIZE, "the REC fits its granule");
static_assert(sizeof(struct rec_simd_state) <= GRANULE_SIZE, "SIMD state fits aux granule 0");

/* The REC in a locked (or, while running, referenced) REC granule. */
static inline struct rec *rec_of(struct granule *g)
{
	return (struct rec *)granule_map(g);
}

/* The i-th aux granule of a REC (tracked DRAM by construction). */
static inline struct granule *rec_aux_granule(const struct rec *rec, unsigned int i)
{
	assert(i < rec->num_aux);
	return find_granule(pa_of(rec->aux_pa[i]));
}

/* The REC's FP/SIMD state in aux granule 0. */
static inline struct rec_simd_state *rec_simd(const struct rec *rec)
{
	return (struct rec_simd_state *)granule_map(rec_aux_granule(rec, 0));
}

/* True while a RIPAS change request is pending (s11.3). */
static inline bool rec_ripas_change_pending(const struct rec *rec)
{
	return rec->ripas.base != rec->ripas.top;
}

#endif /* REALMKIT_RMM_REC_H */
