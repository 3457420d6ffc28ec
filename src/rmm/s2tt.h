/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage-2 translation tables (RTTs): real VMSAv8-64 stage-2 tables in RTT
 * granules, 4 KB granule, 48-bit output addresses (no LPA2), walked by the
 * CPU engine exactly as hardware does (ARCHITECTURE.md "Running realm code").
 *
 * Entry encoding (rmm-v1.0.md s9.4; bit-compatible with TF-RMM's internal
 * encoding for invalid entries):
 *   invalid (bit 0 = 0): HIPAS in bits [4:2] (0 UNASSIGNED, 1 ASSIGNED),
 *       RIPAS in bits [6:5] (0 EMPTY, 1 RAM, 2 DESTROYED), bit 55 = NS
 *       (unprotected half); ASSIGNED entries keep the OA in bits [47:12].
 *   valid protected (ASSIGNED/RAM): OA | AF | SH = Inner Shareable |
 *       S2AP = RW | MemAttr = Normal write-back (0b1111: the engine's CPU
 *       has no FEAT_S2FWB) | page (level 3, 0b11) or block (levels 1-2, 0b01).
 *   valid NS (ASSIGNED_NS): the host's OA, MemAttr and S2AP (s8.6) | AF |
 *       SH = Inner Shareable | XN (bit 54) | NS (bit 55) | page or block.
 *   table: next-level RTT PA | 0b11 (levels start .. 2).
 *
 * Locking: the lock of the *first* root RTT granule protects all
 * concatenated root tables; RTTs are locked root to leaf, hand over hand
 * (s16.2). A walk leaves exactly one RTT locked: the deepest it reached.
 * Every entry write that removes or changes a valid mapping must be
 * followed by s2tt_invalidate() before the RTT is unlocked.
 *
 * Concatenated roots (rmm-v1.0.md s10): a walk that stops at the start
 * level reports wi->g_llt = the first root and a global index
 * (0 .. s2tt_root_entries() - 1) into s2tt_table() of the first root; the
 * references held by root-level entries (TABLE, ASSIGNED) are all counted
 * on the first root's reference count, the other roots' counts stay 0.
 * "One RTT" for the scans of s11.3 and s11.7 is the 4 KB table holding the
 * entry (s2tt_rtt_end_index()). Entries are read and written with
 * s2tte_read()/s2tte_write() because the CPU engine walks them unlocked.
 */
#ifndef REALMKIT_RMM_S2TT_H
#define REALMKIT_RMM_S2TT_H

#include <stdbool.h>
#include <stdint.h>

#include "granule.h"
#include "realm.h"

#define S2TT_PAGE_LEVEL	     3
#define S2TT_MIN_BLOCK_LEVEL 1
#define S2TT_ENTRIES	     512u
#define S2TT_MAX_ROOTS	     16u

/* Descriptor bits. */
#define S2TTE_VALID	 (1ULL << 0)
#define S2TTE_TABLE_PAGE (1ULL << 1) /* table at levels < 3, page at level 3 */
#define S2TTE_AF	 (1ULL << 10)
#define S2TTE_XN	 (1ULL << 54)
#define S2TTE_NS	 (1ULL << 55)
#define S2TTE_OA_MASK	 0x0000FFFFFFFFF000ULL

/* Geometry of one realm's stage 2, copied from the RD. */
struct s2tt_ctx {
	uint64_t rtt_base; /* PA of the first root RTT */
	int start_level;
	unsigned int num_root_rtts;
	unsigned int s2sz;
	bool lpa2;
	uint16_t vmid;
};

void s2tt_ctx_init(struct s2tt_ctx *ctx, const struct rd *rd);

/* Bytes mapped by one entry at `level` (-1..3): 2^48, 2^39, 2^30, 2^21, 2^12. */
uint64_t s2tt_entry_size(int level);

/*
 * Number of concatenated root tables for (s2sz, start_level), or 0 when the
 * pair is invalid (rmm-v1.0.md s10: s2sz 32..48, or 52 with LPA2; start
 * level 0..2, -1 only with LPA2; at most 16 roots).
 */
unsigned int s2tt_num_root_rtts(unsigned int s2sz, int start_level, bool lpa2);

/* REALM_CREATE: writes every root entry (PAR: UNASSIGNED/EMPTY, else UNASSIGNED_NS). */
void s2tt_init_root_tables(const struct s2tt_ctx *ctx);

/* Root table entries (all concatenated roots): 512 * num_root_rtts (16 at level -1). */
unsigned int s2tt_root_entries(const struct s2tt_ctx *ctx);

/* The first root RTT granule, locked (caller may then release the RD lock). */
struct granule *s2tt_lock_root(const struct s2tt_ctx *ctx);

/* Result of a walk: the deepest RTT reached, locked. */
struct s2tt_walk {
	struct granule *g_llt; /* locked RTT that holds the entry */
	int level;	       /* its level: the walk level */
	unsigned int index;    /* index of the entry for the IPA in that RTT */
};

/*
 * From the locked first root, walks towards `level` for `ipa`, hand over
 * hand, stopping at the first non-TABLE entry or at `level`. On return
 * exactly one RTT is locked: wi->g_llt (possibly the root).
 */
void s2tt_walk_lock_unlock(const struct s2tt_ctx *ctx, struct granule *g_root, uint64_t ipa,
			   int level, struct s2tt_walk *wi);

/* The 512 (or up to 8192 for concatenated roots) entries of a locked RTT. */
uint64_t *s2tt_table(struct granule *g_rtt);

/*
 * rmm-v1.0.md s11.7: `top` for ipa in the RTT of wi: ipa itself if its entry
 * is live (TABLE, ASSIGNED, ASSIGNED_NS), else the IPA of the next live entry
 * of that RTT, else the end of the range the RTT covers.
 */
uint64_t s2tt_skip_non_live_entries(const struct s2tt_ctx *ctx, uint64_t ipa, const uint64_t *table,
				    const struct s2tt_walk *wi);

/*
 * TLB maintenance after a valid mapping of [ipa, ipa + size) was removed or
 * changed: every CPU engine running this realm stops using it before the
 * command returns (the TLBI of rmm-v1.0.md s9.4/s11).
 */
void s2tt_invalidate(const struct s2tt_ctx *ctx, uint64_t ipa, uint64_t size);

/* ---- Entry constructors (s9.4). `level` is where the entry lives. ---- */
uint64_t s2tte_create_unassigned_empty(void);
uint64_t s2tte_create_unassigned_ram(void);
uint64_t s2tte_create_unassigned_destroyed(void);
uint64_t s2tte_create_unassigned_ns(void);
uint64_t s2tte_create_assigned_empty(uint64_t pa, int level);
uint64_t s2tte_create_assigned_ram(uint64_t pa, int level);
uint64_t s2tte_create_assigned_destroyed(uint64_t pa, int level);
/* host_desc already validated by s2tte_host_ns_desc_valid. */
uint64_t s2tte_create_assigned_ns(uint64_t host_desc, int level);
uint64_t s2tte_create_table(uint64_t rtt_pa);

/* Creates the entry with the same HIPAS/RIPAS as s2tte (any unassigned kind). */
uint64_t s2tte_create_unassigned(unsigned int ripas);
uint64_t s2tte_create_assigned(uint64_t pa, int level, unsigned int ripas);

/* ---- Entry predicates and accessors. ---- */
bool s2tte_is_unassigned(uint64_t s2tte); /* protected half, any RIPAS */
bool s2tte_is_unassigned_empty(uint64_t s2tte);
bool s2tte_is_unassigned_ram(uint64_t s2tte);
bool s2tte_is_unassigned_destroyed(uint64_t s2tte);
bool s2tte_is_unassigned_ns(uint64_t s2tte);
bool s2tte_is_assigned(uint64_t s2tte, int level); /* protected, any RIPAS */
bool s2tte_is_assigned_empty(uint64_t s2tte, int level);
bool s2tte_is_assigned_ram(uint64_t s2tte, int level);
bool s2tte_is_assigned_destroyed(uint64_t s2tte, int level);
bool s2tte_is_assigned_ns(uint64_t s2tte, int level);
bool s2tte_is_table(uint64_t s2tte, int level);
/* TABLE, ASSIGNED (any RIPAS) or ASSIGNED_NS (s11.7). */
bool s2tte_is_live(uint64_t s2tte, int level);
/* RIPAS of a protected entry (RMI_EMPTY, RMI_RAM, RMI_DESTROYED). */
unsigned int s2tte_get_ripas(uint64_t s2tte);
/* Output address (ASSIGNED, ASSIGNED_NS, TABLE). */
uint64_t s2tte_pa(uint64_t s2tte, int level);
/* RTT_READ_ENTRY's X2/X3/X4 for an entry (s11.4). */
unsigned int s2tte_rtt_state(uint64_t s2tte, int level);
uint64_t s2tte_read_desc(uint64_t s2tte, int level);
unsigned int s2tte_read_ripas(uint64_t s2tte, int level);

/* s8.6: validity of RTT_MAP_UNPROTECTED's host descriptor for `level`. */
bool s2tte_host_ns_desc_valid(uint64_t desc, int level, bool lpa2);

/* ---- Additions (rtt): accessors, alignment, table-wide helpers. ---- */

/*
 * Single-copy-atomic entry accessors (the CPU engine walks the tables while
 * the RMM changes them). The write has release order, so the entries of a
 * new RTT are visible before the TABLE descriptor that publishes it.
 */
static inline uint64_t s2tte_read(const uint64_t *entry)
{
	return __atomic_load_n(entry, __ATOMIC_RELAXED);
}

static inline void s2tte_write(uint64_t *entry, uint64_t s2tte)
{
	__atomic_store_n(entry, s2tte, __ATOMIC_RELEASE);
}

/* True if addr is a multiple of the size of one entry at `level`. */
bool s2tt_addr_level_aligned(uint64_t addr, int level);

/*
 * One past the index of the last entry of the RTT that holds wi's entry:
 * 512 below the roots; for the roots, the end of the 4 KB root table that
 * holds wi->index (16 entries at level -1), capped at the entries that map
 * IPAs below 2^s2sz.
 */
unsigned int s2tt_rtt_end_index(const struct s2tt_ctx *ctx, const struct s2tt_walk *wi);

/*
 * RTT_CREATE's unfold (rmm-v1.0.md s11.5): fills the 512 entries of a new
 * RTT at `level` from `parent`, the non-TABLE entry at level - 1 that maps
 * its range: 512 copies of an unassigned state, or 512 ASSIGNED/ASSIGNED_NS
 * entries with consecutive output addresses and the block's RIPAS or
 * attributes. Returns the references the new RTT holds (s16.3): 512 for an
 * ASSIGNED (protected) block, else 0.
 */
unsigned int s2tt_init_unfolded(uint64_t *table, uint64_t parent, int level);

/* What RTT_FOLD can make of an RTT (rmm-v1.0.md s11.5). */
enum s2tt_fold_kind {
	S2TT_FOLD_NONE,	       /* not homogeneous */
	S2TT_FOLD_UNASSIGNED,  /* all UNASSIGNED with one RIPAS, or all UNASSIGNED_NS */
	S2TT_FOLD_ASSIGNED_NS, /* contiguous ASSIGNED_NS, same attributes, aligned */
	S2TT_FOLD_ASSIGNED,    /* contiguous ASSIGNED with one RIPAS, aligned */
};

/*
 * Classifies the 512 entries of the RTT at `level` and, unless
 * S2TT_FOLD_NONE, stores in *parent the entry that replaces them at
 * level - 1 (for the assigned kinds a block: only meaningful when
 * level - 1 >= S2TT_MIN_BLOCK_LEVEL, which the caller checks).
 */
enum s2tt_fold_kind s2tt_fold_kind(const uint64_t *table, int level, uint64_t *parent);

#endif /* REALMKIT_RMM_S2TT_H */
