/* SPDX-License-Identifier: BSD-3-Clause */
/* The CPU engine's private state, shared by engine*.c (see engine.h). */
#ifndef REALMKIT_ENGINE_PRIV_H
#define REALMKIT_ENGINE_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "engine.h"

/* System register encodings (op0, op1, CRn, CRm, op2) for UC_ARM64_REG_CP_REG. */
struct engine_sysreg {
	uint8_t op0, op1, crn, crm, op2;
};

#define SR(a, b, c, d, e) ((struct engine_sysreg){ a, b, c, d, e })
#define SR_SCTLR_EL1	  SR(3, 0, 1, 0, 0)
#define SR_TCR_EL1	  SR(3, 0, 2, 0, 2)
#define SR_SPSR_EL1	  SR(3, 0, 4, 0, 0)
#define SR_ELR_EL1	  SR(3, 0, 4, 0, 1)
#define SR_MDSCR_EL1	  SR(2, 0, 0, 2, 2)
#define SR_SCR_EL3	  SR(3, 6, 1, 1, 0)
#define SR_HCR_EL2	  SR(3, 4, 1, 1, 0)
#define SR_VTCR_EL2	  SR(3, 4, 2, 1, 2)
#define SR_VTTBR_EL2	  SR(3, 4, 2, 1, 0)
#define SR_HPFAR_EL2	  SR(3, 4, 6, 0, 4)
#define SR_VMPIDR_EL2	  SR(3, 4, 0, 0, 5)
#define SR_CNTVCT_EL0	  SR(3, 3, 14, 0, 2)
#define SR_TLBI_VMALLS12  SR(1, 4, 8, 7, 6)
#define SR_AT_S12E1R	  SR(1, 4, 7, 8, 4)
#define SR_AT_S12E1W	  SR(1, 4, 7, 8, 5)
#define SR_AT_S12E0R	  SR(1, 4, 7, 8, 6)
#define SR_AT_S12E0W	  SR(1, 4, 7, 8, 7)

#define SCR_EL3_NS_HCE_RW 0x501ULL
#define HCR_EL2_RW	  (1ULL << 31)
#define HCR_EL2_VM	  (1ULL << 0)
#define SCTLR_M		  (1ULL << 0)
#define SCTLR_NTWI	  (1ULL << 16)
#define SCTLR_NTWE	  (1ULL << 18)
#define HPFAR_SENTINEL	  (~0ULL)

/* Unicorn 2.0.1 interrupt numbers (QEMU's EXCP_*) seen by UC_HOOK_INTR. */
#define EXCP_UDEF	    1
#define EXCP_SWI	    2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT	    4
#define EXCP_BKPT	    7
#define EXCP_HVC	    11
#define EXCP_SMC	    13

/* Why a hook stopped the engine. */
enum engine_stop {
	STOP_NONE,
	STOP_BUDGET,
	STOP_KICK,
	STOP_MAINT, /* maintenance requested from another thread: serve and restart */
	STOP_WFE,
};

enum engine_mode {
	MODE_IDLE,
	MODE_GUEST,
	MODE_TRAMPOLINE,
};

/* Attention bits set by other threads, polled by the block hook. */
#define ATTN_KICK  0x1u
#define ATTN_MAINT 0x2u

#define ENGINE_CODE_RANGES 16
#define ENGINE_WFE_CACHE   256
#define ENGINE_NO_VMID	   0xffffffffu

/* The values the CPU's cached mode flags (QEMU hflags) are derived from. */
struct engine_key {
	uint64_t el, sctlr, tcr, cpacr, mdscr;
	uint64_t ttbr0, ttbr1, mair; /* not in hflags, but TLB contents */
};

struct engine {
	uc_engine *uc;
	unsigned int flags;
	uc_context *ctx_el1; /* snapshot right after the ERET entry: EL1 mode flags */
	struct engine *reg_next, *reg_prev;

	/* Engine thread only. */
	enum engine_mode mode;
	enum engine_stop stop;
	bool intr_seen;
	uint32_t intno;
	bool gate_hit;
	uint64_t gate_addr;
	uint64_t budget, executed;
	bool trap_wfe;
	uint64_t wfe_next; /* block start that follows an executed WFE, 0 = none */
	struct {
		uint64_t va;
		uint32_t size;
		bool wfe;
	} wfe_cache[ENGINE_WFE_CACHE];
	struct engine_timers timer;
	bool key_valid;
	struct engine_key key; /* current register values, when key_valid */
	unsigned int hf_el;    /* EL the cached mode flags were built for */
	uint64_t vttbr, vtcr;
	uint8_t *dram; /* root view of DRAM (PA RK_DRAM_BASE) */
	uint64_t dram_size;

	/* Shared with other threads. */
	unsigned int id; /* creation order, for reports (engine_id()) */
	_Atomic uint32_t loaded_vmid;
	/* The last TLBI: the VMID loaded then and that VMID's generation read before it. */
	_Atomic uint32_t tlbi_vmid;
	_Atomic uint64_t tlbi_gen;
	atomic_uint attn;
	atomic_int in_guest;
	atomic_int waiters;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* Under lock. */
	uint64_t maint_req, maint_done;
	bool tlbi_pending;
	bool code_all;
	unsigned int ncode;
	struct {
		uint64_t pa, len;
	} code[ENGINE_CODE_RANGES];
};

/* engine.c */
uint64_t engine_sr_read(struct engine *e, struct engine_sysreg r);
void engine_sr_write(struct engine *e, struct engine_sysreg r, uint64_t v);
uint64_t engine_reg(struct engine *e, int id);
void engine_reg_set(struct engine *e, int id, uint64_t v);
void engine_tlbi(struct engine *e);
void engine_wfe_cache_clear(struct engine *e);

/* engine_state.c */
int engine_trampoline(struct engine *e, uint64_t target_pstate);
uint64_t engine_timer_ctl(struct engine *e, uint64_t ctl, uint64_t cval);

/* engine_exit.c */
int engine_classify(struct engine *e, uc_err err, struct engine_exit *exit);
bool engine_fetch_insn(struct engine *e, uint64_t va, uint32_t *insn);
uint64_t engine_at(struct engine *e, uint64_t va, bool write);

#endif /* REALMKIT_ENGINE_PRIV_H */
