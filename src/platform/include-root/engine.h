/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CPU engine: an emulated physical AArch64 CPU (Unicorn 2.0.1) onto
 * which the RMM loads a REC's architectural state, runs it at Non-secure
 * EL1 behind the realm's architectural stage 2 until an exit, and saves the
 * state back. RMM-only (include-root).
 *
 * Design (../shared/reference/unicorn-2.0.1.md, "Stage 2 and precise
 * faults", and docs/ARCHITECTURE.md "Running realm code"):
 *  - one Unicorn region maps all of DRAM (the root view) at RK_DRAM_BASE,
 *    plus three MMIO "gates" covering every other address (issue #1718:
 *    Unicorn checks its own map at the virtual address) and a fetch-prot
 *    hook; the gates must never see an access (that would be a translation
 *    bypass, reported as ENGINE_EXIT_ERROR);
 *  - HCR_EL2.VM = 1, VTTBR_EL2/VTCR_EL2 from engine_load(): the emulated CPU
 *    walks the RMM's RTTs as real stage-2 tables;
 *  - every guest exception reaches the engine (Unicorn delivers none to the
 *    guest's vectors); engine_run() classifies it; the RMM either handles it
 *    or forwards it with engine_deliver_guest_exception();
 *  - the engine holds no REC state of its own between engine_save() and the
 *    next engine_load(): everything lives in struct engine_cpu_state.
 *
 * Threading: an engine is driven by one thread at a time (its "engine
 * thread": the one calling engine_load/run/save). Only engine_kick(),
 * engine_invalidate_vmid(), engine_invalidate_code() and the engines_*()
 * functions may be called from any thread.
 */
#ifndef REALMKIT_ENGINE_H
#define REALMKIT_ENGINE_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include <realmkit/addr.h>
#include <realmkit/platform.h>

/*
 * PA of the one-time ERET entry page: the first granule of the Root
 * carve-out. platform_init() writes ENGINE_ERET_INSN at this PA.
 */
#define ENGINE_ERET_PA	 RK_DRAM_BASE
#define ENGINE_ERET_INSN 0xd69f03e0u /* ERET */

/* Physical address size of the emulated CPU (ID_AA64MMFR0_EL1.PARange = 44 bits). */
#define ENGINE_PA_BITS 44

/* PSTATE / SPSR fields (Arm ARM C5.2.18 SPSR_EL1, AArch64 format). */
#define ENGINE_PSTATE_N	     (1ULL << 31)
#define ENGINE_PSTATE_Z	     (1ULL << 30)
#define ENGINE_PSTATE_C	     (1ULL << 29)
#define ENGINE_PSTATE_V	     (1ULL << 28)
#define ENGINE_PSTATE_D	     (1ULL << 9)
#define ENGINE_PSTATE_A	     (1ULL << 8)
#define ENGINE_PSTATE_I	     (1ULL << 7)
#define ENGINE_PSTATE_F	     (1ULL << 6)
#define ENGINE_PSTATE_DAIF   (0xfULL << 6)
#define ENGINE_PSTATE_M_MASK 0xfULL /* M[3:0]: EL in [3:2], SP select in [0] */
#define ENGINE_PSTATE_EL0t   0x0ULL
#define ENGINE_PSTATE_EL1t   0x4ULL
#define ENGINE_PSTATE_EL1h   0x5ULL
/* The REC's state at first entry on real hardware: EL1h, DAIF masked. */
#define ENGINE_PSTATE_RESET (ENGINE_PSTATE_DAIF | ENGINE_PSTATE_EL1h)

/* ESR_ELx exception classes (Arm ARM D17.2.37 ESR_EL1, field EC [31:26]). */
#define ENGINE_EC_UNKNOWN   0x00 /* unknown reason / UNDEFINED instruction */
#define ENGINE_EC_WFX	    0x01 /* trapped WFI / WFE */
#define ENGINE_EC_FP	    0x07 /* SVE/SIMD/FP access trapped by CPACR_EL1.FPEN */
#define ENGINE_EC_SVC64	    0x15
#define ENGINE_EC_HVC64	    0x16
#define ENGINE_EC_SMC64	    0x17
#define ENGINE_EC_SYS64	    0x18
#define ENGINE_EC_IABT_LOW  0x20 /* instruction abort from a lower EL */
#define ENGINE_EC_IABT_CUR  0x21 /* instruction abort taken without a change of EL */
#define ENGINE_EC_PC_ALIGN  0x22
#define ENGINE_EC_DABT_LOW  0x24 /* data abort from a lower EL */
#define ENGINE_EC_DABT_CUR  0x25 /* data abort taken without a change of EL */
#define ENGINE_EC_SP_ALIGN  0x26
#define ENGINE_EC_BRK64	    0x3c
#define ENGINE_ESR_EC_SHIFT 26
#define ENGINE_ESR_IL	    (1ULL << 25) /* 32-bit instruction (always, for A64) */
#define ENGINE_ESR_ISS_MASK 0x1ffffffULL

/* Data/instruction abort ISS fields (Arm ARM D17.2.37, ISS encoding for data aborts). */
#define ENGINE_ISS_ISV	     (1ULL << 24) /* bits [23:14] hold a valid syndrome */
#define ENGINE_ISS_SAS_SHIFT 22		  /* access size: log2(bytes) */
#define ENGINE_ISS_SSE	     (1ULL << 21) /* sign-extending load */
#define ENGINE_ISS_SRT_SHIFT 16		  /* Rt, 31 = XZR */
#define ENGINE_ISS_SF	     (1ULL << 15) /* 64-bit register */
#define ENGINE_ISS_AR	     (1ULL << 14) /* acquire/release */
#define ENGINE_ISS_CM	     (1ULL << 8)  /* cache maintenance */
#define ENGINE_ISS_S1PTW     (1ULL << 7)  /* stage-2 fault on a stage-1 table walk */
#define ENGINE_ISS_WNR	     (1ULL << 6)  /* write */
#define ENGINE_FSC_MASK	     0x3fULL
#define ENGINE_FSC_ALIGN     0x21 /* alignment fault */

/* System registers of EL1 (and EL0) that a guest uses; all 64-bit. */
struct engine_el1_sysregs {
	uint64_t sctlr, tcr, ttbr0, ttbr1, mair, amair, vbar;
	uint64_t esr, far, elr, spsr, cpacr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, contextidr, par;
	uint64_t cntkctl, afsr0, afsr1, csselr, mdscr;
};

/* The EL1 generic timers (emulated by the engine, see engine_run()). */
struct engine_timers {
	uint64_t cntv_ctl, cntv_cval; /* CNTV_CTL_EL0, CNTV_CVAL_EL0 */
	uint64_t cntp_ctl, cntp_cval; /* CNTP_CTL_EL0, CNTP_CVAL_EL0 */
};

/*
 * A REC's architectural state: plain data, owned by the RMM (stored in the
 * REC / REC_AUX granules), loaded onto and saved from an engine.
 */
struct engine_cpu_state {
	uint64_t x[31];
	uint64_t sp_el0, sp_el1;
	uint64_t pc;
	uint64_t pstate; /* SPSR format: NZCV, DAIF, M[3:0] (EL and SP select) */
	struct engine_el1_sysregs el1;
	struct engine_timers timer;
	uint64_t vmpidr;   /* what MPIDR_EL1 reads as (VMPIDR_EL2) */
	uint64_t q[32][2]; /* V0-V31, [0] = low 64 bits */
	uint32_t fpcr, fpsr;
};
static_assert(sizeof(struct engine_cpu_state) <= GRANULE_SIZE, "fits in one 4 KB granule");

/*
 * Stage-2 configuration for engine_load(): the realm's root RTT and VMID
 * (VTTBR_EL2 = root RTT PA | VMID << 48) and VTCR_EL2 from engine_vtcr().
 */
struct engine_stage2 {
	uint64_t vttbr;
	uint64_t vtcr;
};

/* VTTBR_EL2 value for a root RTT at `root` and an 8-bit VMID. */
static inline uint64_t engine_vttbr(pa_t root, uint16_t vmid)
{
	return root.v | ((uint64_t)vmid << 48);
}

/*
 * VTCR_EL2 for a 4 KB granule, `s2sz`-bit IPA space and an initial lookup
 * at `start_level` (0, 1 or 2), with concatenated root tables where the
 * architecture requires them (up to 16). Returns 0 for a combination the
 * architecture does not allow (s2sz outside 32..48, or more than 16 root
 * tables / fewer than 2 bits at the start level). Note: this engine's
 * PARange is ENGINE_PA_BITS, and an IPA wider than the PA size is CONSTRAINED
 * UNPREDICTABLE; the emulated CPU then faults every access, so realms on it
 * must use s2sz <= ENGINE_PA_BITS.
 */
uint64_t engine_vtcr(unsigned int s2sz, int start_level);

/* Number of concatenated root tables for a valid (s2sz, start_level), else 0. */
unsigned int engine_s2_root_tables(unsigned int s2sz, int start_level);

enum engine_exit_reason {
	ENGINE_EXIT_NONE = 0,
	ENGINE_EXIT_SMC,	     /* SMC: PC already past it, X0.. hold the call */
	ENGINE_EXIT_HVC,	     /* HVC: PC already past it */
	ENGINE_EXIT_S2_DABT,	     /* data abort at stage 2 (PC = the access) */
	ENGINE_EXIT_S2_IABT,	     /* instruction abort at stage 2 (PC = the fetch) */
	ENGINE_EXIT_GUEST_EXCEPTION, /* for the guest's own vectors (SVC, UNDEF, stage-1 aborts...) */
	ENGINE_EXIT_WFI,	     /* WFI executed: PC past it */
	ENGINE_EXIT_WFE,	     /* WFE executed with opts->trap_wfe: PC past it */
	ENGINE_EXIT_BUDGET,	     /* opts->budget instructions executed */
	ENGINE_EXIT_KICK,	     /* engine_kick() */
	ENGINE_EXIT_ERROR,	     /* engine failure (exit->error says what) */
};

/* The decoded syndrome of a data abort (also folded into exit->esr). */
struct engine_dabt {
	bool isv;    /* syndrome valid: single GPR load/store without writeback */
	uint8_t sas; /* log2(access size) */
	bool sse;    /* sign-extending load */
	uint8_t srt; /* transfer register, 31 = XZR */
	bool sf;     /* 64-bit register */
	bool ar;     /* acquire / release */
	bool wnr;    /* write */
	bool cm;     /* cache maintenance */
	bool s1ptw;  /* stage-2 fault on the stage-1 walk */
	uint8_t fsc; /* DFSC/IFSC from an AT S12E1x walk of FAR, 0 if none faulted */
};

/*
 * What ended engine_run(). `pc` is the address of the instruction that
 * caused the exit (for SMC/HVC/SVC/WFx the instruction itself, while the
 * engine's PC is already past it); `elr` is the preferred return address if
 * the exit is delivered to the guest as an exception.
 */
struct engine_exit {
	enum engine_exit_reason reason;
	uint64_t pc;
	uint64_t elr;
	/*
	 * Syndrome: for S2 aborts / SMC / HVC / WFx, ESR_EL2 as the hardware
	 * would report it to EL2 (EC 0x24/0x20, 0x17, 0x16, 0x01); for
	 * ENGINE_EXIT_GUEST_EXCEPTION, the ESR_EL1 the guest must receive. The
	 * SMC/HVC immediate is decoded only for HVC.
	 */
	uint64_t esr;
	uint64_t far; /* aborts: faulting VA (see engine_run()) */
	bool far_valid;
	uint64_t ipa;  /* S2 aborts: faulting IPA (HPFAR page | FAR[11:0]) */
	uint32_t insn; /* aborts / UNDEF / SVC / HVC: the instruction word, if fetched */
	bool insn_valid;
	struct engine_dabt dabt; /* data aborts (stage 1 or 2) */
	int error;		 /* ENGINE_EXIT_ERROR: negative errno */
};

struct engine_run_opts {
	uint64_t budget; /* stop after about this many instructions; 0 = unlimited */
	bool trap_wfe;	 /* exit on WFE (HCR_EL2.TWE semantics) */
};

struct engine;

/*
 * Creates an engine over the platform's DRAM (platform_init() must have
 * succeeded; the engine maps the root view of all of DRAM as one region)
 * and performs the one-time ERET entry into Non-secure EL1. Installs the
 * block hook needed for budgets, kicks and cross-thread maintenance
 * (Unicorn 2.0.1 applies a hook only to code translated after it is added,
 * so it cannot be added per run). Returns NULL on failure.
 */
struct engine *engine_create(void);

/* Flags for engine_create_flags(). */
#define ENGINE_CREATE_NO_ASYNC 0x1u /* no block hook: no budget, no kicks (bench only) */

/*
 * engine_create() with flags. With ENGINE_CREATE_NO_ASYNC, engine_run()
 * rejects a budget (ENGINE_EXIT_ERROR, -EINVAL), kicks are seen only at the
 * next entry, and a cross-thread engine_invalidate_*() waits until the
 * engine leaves guest code by itself (it may wait forever on a guest that
 * never exits): for measurements and single-threaded tools only.
 */
struct engine *engine_create_flags(unsigned int flags);

/* Destroys an engine (from its engine thread, while no one else uses it). */
void engine_destroy(struct engine *e);

/*
 * Loads a REC state and its stage 2 onto the engine (s2 = NULL keeps the
 * engine's current stage 2). Performs whatever the
 * emulated CPU needs so that the state takes effect exactly (TLB
 * maintenance when the translation regime changes, and a rebuild of the
 * CPU's cached mode flags through the ERET page when the EL, SCTLR, TCR,
 * CPACR or MDSCR differ from the engine's current ones). Returns 0, or
 * -EINVAL if the state is not AArch64 EL0t/EL1t/EL1h, or -EIO if the
 * engine failed (the engine must then be destroyed).
 */
int engine_load(struct engine *e, const struct engine_cpu_state *s, const struct engine_stage2 *s2);

/* Saves the whole architectural state (everything engine_load() loads). */
void engine_save(struct engine *e, struct engine_cpu_state *s);

/*
 * Runs the loaded state until an exit and fills *exit. Returns 0, or a
 * negative errno when exit->reason is ENGINE_EXIT_ERROR.
 *
 * Exits and the state they leave:
 *  - SMC / HVC: PC is past the instruction; read and write X0.. with
 *    engine_get_x()/engine_set_x() and call engine_run() again, or save.
 *  - S2 data abort: PC = the faulting instruction, no register of it
 *    written (no writeback either). exit->ipa = HPFAR page | FAR[11:0];
 *    exit->far = the VA decoded from the instruction (read through AT
 *    S12E1R/S12E0R of PC): base + offset, the base for post-index, and for
 *    an access that straddles two pages and faults on the second one the
 *    start of the second page. exit->dabt and exit->esr (EC 0x24) carry
 *    ISV/SAS/SSE/SRT/SF/AR/WnR/S1PTW/DFSC; ISV is 0 for writeback forms,
 *    pairs, SIMD&FP registers, exclusives, atomics and S1PTW. Resume after
 *    mapping with engine_run(), or complete an emulated access with
 *    engine_complete_mmio().
 *  - S2 instruction abort: PC = the fetch address = exit->far, EC 0x20.
 *  - GUEST_EXCEPTION: SVC (PC past it), UNDEF (incl. SIMD/FP while
 *    CPACR_EL1 traps it: EC 0x07), BRK, PC alignment, stage-1 data and
 *    instruction aborts and alignment faults (PC at the instruction);
 *    exit->esr is the ESR_EL1 for the guest (EC 0x15/0x00/0x07/0x3c/0x22/
 *    0x25/0x24/0x21/0x20) and exit->elr the preferred return address.
 *  - WFI always exits (PC past it); WFE only with opts->trap_wfe (seen at
 *    the block boundary after the WFE, which Unicorn executes as a NOP).
 *  - The EL1 generic timers (CNTV_*, CNTP_* CTL/CVAL/TVAL) are emulated by
 *    the engine (Unicorn 2.0.1 discards guest writes to them); their state
 *    is in struct engine_timers and CTL.ISTATUS is computed against
 *    CNTVCT_EL0. The engine raises no timer interrupt: the caller does.
 *  - SIMD/FP instructions trap (EC 0x07) while CPACR_EL1.FPEN says so:
 *    a REC state must enable FPEN before the guest uses SIMD/FP.
 *  - BUDGET / KICK: PC = the next instruction to execute (nothing skipped,
 *    nothing executed twice).
 */
int engine_run(struct engine *e, const struct engine_run_opts *opts, struct engine_exit *exit);

/*
 * Asks a running engine to stop with ENGINE_EXIT_KICK at the next
 * translation-block boundary. Any thread (also a signal handler): it only
 * sets an atomic flag. A kick while the engine is not running makes the
 * next engine_run() exit with KICK before executing anything; several kicks
 * before the engine sees them give one exit.
 */
void engine_kick(struct engine *e);

/*
 * Stage-2 TLB maintenance from any thread. When this returns, the engine
 * will not use any translation cached before the call:
 *  - not executing guest code (idle, or inside one of its own hooks, which
 *    never wait for anything): the TLBI (VMALLS12E1) is marked pending and
 *    the engine performs it on its own thread before it next executes guest
 *    code; the call returns at once;
 *  - executing guest code: the call waits (condition variable) until the
 *    engine's block hook has stopped the guest at a block boundary and the
 *    TLBI has been performed, or the engine has left guest code.
 * Deadlock freedom: the engine never waits for a lock while it counts as
 * executing guest code, so a caller may hold RMM locks while it waits.
 * Returns without effect if the engine is not loaded with `vmid`.
 */
void engine_invalidate_vmid(struct engine *e, uint16_t vmid);

/*
 * engine_invalidate_vmid() on every live engine loaded with `vmid`. First
 * bumps `vmid`'s invalidation generation (engines_vmid_generation()), so
 * platform_tlbi_vmid() bumps it too.
 */
void engines_invalidate_vmid(uint16_t vmid);

/* `vmid`'s invalidation generation: the number of engines_invalidate_vmid(vmid) calls so far. */
uint64_t engines_vmid_generation(uint16_t vmid);

/*
 * Stage-2 TLB coherence (issue 8: "every mapped IPA in every engine agrees
 * with the RTTs"): the engines walk the RTTs architecturally, so an engine
 * can only disagree with them through a translation cached before an RTT
 * change. Every engine records, at each TLBI it performs, its loaded VMID
 * and that VMID's generation read before the TLBI. Holds if every live
 * engine loaded with a VMID v either performed a TLBI that covers v's
 * current generation, or has a TLBI pending (performed before it next
 * executes guest code). Returns 0, or the number of engines that break it
 * with the first one described in why (NUL-terminated, truncated to len;
 * why may be NULL when len is 0). Any thread; takes the engine registry's
 * lock and each engine's lock briefly, waits for nothing else. Exact only
 * while no invalidation and no engine_load() runs concurrently.
 */
int engines_check_tlb_coherent(char *why, size_t len);

/* A small number naming the engine in reports (creation order, from 0). */
unsigned int engine_id(const struct engine *e);

/*
 * TEST ONLY: the next n times engine_invalidate_vmid() finds its engine
 * loaded with the VMID, it returns without effect (a lost TLBI, for tests
 * proving that engines_check_tlb_coherent() detects one). n = 0 disarms.
 */
void engine_test_skip_invalidations(unsigned int n);

/*
 * Translated-code coherence after the host or the RMM wrote [pa, pa+len)
 * (Unicorn does not see writes through the buffer). Same waiting rules as
 * engine_invalidate_vmid(); the engine drops its translations of those
 * physical pages (or all of them if too many ranges are pending).
 */
void engine_invalidate_code(struct engine *e, pa_t pa, uint64_t len);

/* engine_invalidate_code() on every live engine. */
void engines_invalidate_code(pa_t pa, uint64_t len);

/* Register access for the engine thread between runs (n = 0..30; 31 reads 0 / is ignored). */
uint64_t engine_get_x(struct engine *e, unsigned int n);
void engine_set_x(struct engine *e, unsigned int n, uint64_t v);
uint64_t engine_get_pc(struct engine *e);
void engine_set_pc(struct engine *e, uint64_t pc);
uint64_t engine_get_pstate(struct engine *e);

/*
 * Completes an emulated access after an ENGINE_EXIT_S2_DABT with ISV = 1:
 * for a read, writes `value` to the transfer register as the instruction
 * would (truncated to the access size, sign-extended if SSE, to 32 bits
 * and zero-extended if !SF, nothing for XZR); then steps PC past the
 * instruction. Returns -EINVAL if the exit is not such an abort.
 */
int engine_complete_mmio(struct engine *e, const struct engine_exit *exit, uint64_t value);

/*
 * Synchronous exception entry to EL1, as the architecture performs it for
 * an exception taken to EL1 (Arm ARM D1.10, AArch64.TakeException):
 * SPSR_EL1 = PSTATE, ELR_EL1 = the current PC, ESR_EL1 = esr, FAR_EL1 = far
 * if far_valid, PSTATE = EL1h with D, A, I, F set, PC = VBAR_EL1 + 0x000
 * (from EL1t), 0x200 (from EL1h) or 0x400 (from EL0). Returns 0 or -EIO.
 * To deliver UNDEF for an HVC exit, set PC back to exit.pc first.
 */
int engine_inject_sync(struct engine *e, uint64_t esr, uint64_t far, bool far_valid);

/*
 * IRQ exception entry to EL1 (offsets 0x080 / 0x280 / 0x480, ESR and FAR
 * untouched) if PSTATE.I is clear. Returns 0, -EAGAIN if IRQs are masked
 * (nothing done), or -EIO.
 */
int engine_inject_irq(struct engine *e);

/*
 * Delivers an ENGINE_EXIT_GUEST_EXCEPTION exit to the guest's own vectors:
 * ELR_EL1 = exit->elr, ESR_EL1 = exit->esr, FAR_EL1 = exit->far when valid.
 * Returns 0, -EINVAL for another exit reason, or -EIO.
 */
int engine_deliver_guest_exception(struct engine *e, const struct engine_exit *exit);

/* The same exception entries on a saved state (pure data; PC = VBAR_EL1 + offset). */
void engine_state_take_exception(struct engine_cpu_state *s, uint64_t elr, uint64_t esr,
				 uint64_t far, bool far_valid, bool irq);

/* Name of an exit reason, for logs. */
const char *engine_exit_name(enum engine_exit_reason r);

#endif /* REALMKIT_ENGINE_H */
