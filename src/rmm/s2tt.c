/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stage-2 translation tables: entry encodings, geometry, the locked walk and
 * the table-wide helpers of fold and unfold (see s2tt.h).
 *
 * Encodings (rmm-v1.0.md s9.4, bit-compatible with TF-RMM for invalid
 * entries; valid descriptors as measured on the engine in unicorn-2.0.1.md
 * "Stage 2 and precise faults": page = PA | 0x7FF, block = PA | 0x7FD):
 *
 *   invalid  bit 0 = 0, HIPAS [4:2], RIPAS [6:5], NS bit 55, OA kept for
 *            ASSIGNED/EMPTY and ASSIGNED/DESTROYED.
 *   valid    OA | AF (10) | SH [9:8] | S2AP [7:6] | MemAttr [5:2] | type.
 *            Protected: SH = Inner Shareable, S2AP = RW, MemAttr = 0b1111
 *            (Normal write-back, the non-FWB encoding: the engine's CPU has
 *            no FEAT_S2FWB). NS: the host's MemAttr [4:2] and S2AP, AF,
 *            SH = Inner Shareable, XN (54) and NS (55).
 *   table    next-level PA | 0b11 at levels start .. 2.
 */
#include <assert.h>
#include <string.h>

#include <realmkit/platform.h>

#include "platform_root.h"
#include "s2tt.h"

#define S2TTE_TYPE_MASK	 0x3ULL
#define S2TTE_TYPE_BLOCK 0x1ULL
#define S2TTE_TYPE_PAGE	 0x3ULL
#define S2TTE_TYPE_TABLE 0x3ULL

#define S2TTE_HIPAS_SHIFT      2
#define S2TTE_HIPAS_MASK       (0x7ULL << S2TTE_HIPAS_SHIFT)
#define S2TTE_HIPAS_UNASSIGNED (0x0ULL << S2TTE_HIPAS_SHIFT)
#define S2TTE_HIPAS_ASSIGNED   (0x1ULL << S2TTE_HIPAS_SHIFT)
#define S2TTE_RIPAS_SHIFT      5
#define S2TTE_RIPAS_MASK       (0x3ULL << S2TTE_RIPAS_SHIFT)

#define S2TTE_MEMATTR_WB (0xFULL << 2) /* MemAttr [5:2] = 0b1111 */
#define S2TTE_S2AP_RW	 (0x3ULL << 6)
#define S2TTE_SH_IS	 (0x3ULL << 8)
#define S2TTE_PROT_ATTRS (S2TTE_AF | S2TTE_SH_IS | S2TTE_S2AP_RW | S2TTE_MEMATTR_WB)
#define S2TTE_NS_ATTRS	 (S2TTE_AF | S2TTE_SH_IS | S2TTE_XN | S2TTE_NS)
/* s8.6: the host controls MemAttr [4:2] and S2AP [7:6] of an NS mapping. */
#define S2TTE_HOST_ATTR_MASK	   ((0x7ULL << 2) | (0x3ULL << 6))
#define S2TTE_MEMATTR_FWB_RESERVED 0x4ULL
/* Output address bits of the LPA2 descriptor layout, [49:12]. */
#define S2TTE_OA_MASK_LPA2 0x0003FFFFFFFFF000ULL

#define S2TT_STRIDE	 9
#define S2TT_LM1_ENTRIES 16u /* a level -1 table (LPA2) */

static_assert(S2TTE_PROT_ATTRS == 0x7FCULL, "unicorn-2.0.1.md: page = PA | 0x7FF");

/* ---- Geometry ---- */

static unsigned int level_shift(int level)
{
	return GRANULE_SHIFT + S2TT_STRIDE * (unsigned int)(S2TT_PAGE_LEVEL - level);
}

uint64_t s2tt_entry_size(int level)
{
	assert(level >= -1 && level <= S2TT_PAGE_LEVEL);
	return 1ULL << level_shift(level);
}

bool s2tt_addr_level_aligned(uint64_t addr, int level)
{
	return (addr & (s2tt_entry_size(level) - 1)) == 0;
}

/*
 * rmm-v1.0.md s10 (TF-RMM runtime/rmi/realm.c, modelled on the Arm
 * pseudocode AArch64.S2InconsistentSL): a start level `sl` resolves
 * (3 - sl) * 9 + 12 bits below its own 9 (4 with LPA2 at -1), and up to 16
 * concatenated tables add 4 more bits. The count must match exactly.
 */
unsigned int s2tt_num_root_rtts(unsigned int s2sz, int start_level, bool lpa2)
{
	unsigned int min_bits, max_bits, sl_bits;

	if (s2sz < 32 || s2sz > (lpa2 ? 52u : 48u))
		return 0;
	if (start_level < (lpa2 ? -1 : 0) || start_level > 2)
		return 0;
	/* TF-RMM: start level 0 needs a PA width of at least 44 (AArch64.S2InvalidSL). */
	if (start_level == 0 && RK_PA_WIDTH < 44)
		return 0;
	min_bits = level_shift(start_level) + 1;
	max_bits = start_level == -1 ? 52u : min_bits + (S2TT_STRIDE - 1) + 4;
	if (s2sz < min_bits || s2sz > max_bits)
		return 0;
	sl_bits = level_shift(start_level) + S2TT_STRIDE;
	return s2sz <= sl_bits ? 1u : 1u << (s2sz - sl_bits);
}

void s2tt_ctx_init(struct s2tt_ctx *ctx, const struct rd *rd)
{
	ctx->rtt_base = rd->rtt_base;
	ctx->start_level = rd->start_level;
	ctx->num_root_rtts = rd->num_root_rtts;
	ctx->s2sz = rd->s2sz;
	ctx->lpa2 = rd->lpa2;
	ctx->vmid = rd->vmid;
}

unsigned int s2tt_root_entries(const struct s2tt_ctx *ctx)
{
	if (ctx->start_level == -1)
		return S2TT_LM1_ENTRIES;
	return S2TT_ENTRIES * ctx->num_root_rtts;
}

/* Root entries that map IPAs below 2^s2sz (the others are never used). */
static unsigned int root_entries_in_ipa_space(const struct s2tt_ctx *ctx)
{
	unsigned int shift = level_shift(ctx->start_level);
	uint64_t n = ctx->s2sz <= shift ? 1 : 1ULL << (ctx->s2sz - shift);
	unsigned int all = s2tt_root_entries(ctx);

	return n < all ? (unsigned int)n : all;
}

uint64_t *s2tt_table(struct granule *g_rtt)
{
	return (uint64_t *)granule_map(g_rtt);
}

void s2tt_init_root_tables(const struct s2tt_ctx *ctx)
{
	struct granule *g = find_granule(pa_of(ctx->rtt_base));
	uint64_t size = s2tt_entry_size(ctx->start_level);
	unsigned int n = root_entries_in_ipa_space(ctx);
	uint64_t *t;

	assert(g);
	t = s2tt_table(g);
	/*
	 * rmm-v1.0.md s10 "Root initialisation": PAR -> UNASSIGNED/EMPTY,
	 * unprotected half -> UNASSIGNED_NS. Entries beyond 2^s2sz stay zero
	 * (the granules were DELEGATED, hence zero), as in TF-RMM.
	 */
	for (unsigned int i = 0; i < n; i++) {
		uint64_t ipa = (uint64_t)i * size;

		s2tte_write(&t[i], ipa < (1ULL << (ctx->s2sz - 1)) ? s2tte_create_unassigned_empty()
								   : s2tte_create_unassigned_ns());
	}
}

struct granule *s2tt_lock_root(const struct s2tt_ctx *ctx)
{
	struct granule *g = find_granule(pa_of(ctx->rtt_base));

	/* Internal invariant: a live RD names tracked root RTTs. */
	assert(g);
	granule_lock(g);
	assert(granule_get_state(g) == GRANULE_STATE_RTT);
	return g;
}

static unsigned int entry_index(const struct s2tt_ctx *ctx, uint64_t ipa, int level)
{
	uint64_t idx = ipa >> level_shift(level);

	if (level == ctx->start_level) {
		assert(idx < s2tt_root_entries(ctx));
		return (unsigned int)idx;
	}
	return (unsigned int)(idx & (S2TT_ENTRIES - 1));
}

void s2tt_walk_lock_unlock(const struct s2tt_ctx *ctx, struct granule *g_root, uint64_t ipa,
			   int level, struct s2tt_walk *wi)
{
	struct granule *g = g_root;
	int l = ctx->start_level;
	unsigned int idx = entry_index(ctx, ipa, l);

	/* s16.2: root to leaf, hand over hand (lock the child, unlock the parent). */
	while (l < level) {
		uint64_t e = s2tte_read(&s2tt_table(g)[idx]);
		struct granule *child;

		if (!s2tte_is_table(e, l))
			break;
		child = find_granule(pa_of(s2tte_pa(e, l)));
		/* Internal invariant: a TABLE entry names a tracked RTT granule. */
		assert(child);
		granule_lock(child);
		assert(granule_get_state(child) == GRANULE_STATE_RTT);
		granule_unlock(g);
		g = child;
		l++;
		idx = entry_index(ctx, ipa, l);
	}
	wi->g_llt = g;
	wi->level = l;
	wi->index = idx;
}

unsigned int s2tt_rtt_end_index(const struct s2tt_ctx *ctx, const struct s2tt_walk *wi)
{
	unsigned int per_table, end, limit;

	if (wi->level != ctx->start_level)
		return S2TT_ENTRIES;
	per_table = ctx->start_level == -1 ? S2TT_LM1_ENTRIES : S2TT_ENTRIES;
	end = (wi->index / per_table + 1) * per_table;
	limit = root_entries_in_ipa_space(ctx);
	return end < limit ? end : limit;
}

/*
 * rmm-v1.0.md s11.7. TF-RMM scans up to entry 512 of the table even at the
 * root, where that can exceed the IPA space (e.g. 2^48 for a 40-bit realm
 * with one level-0 root); realmkit stops at the end of the root table or of
 * the IPA space, whichever comes first (identical below the roots).
 */
uint64_t s2tt_skip_non_live_entries(const struct s2tt_ctx *ctx, uint64_t ipa, const uint64_t *table,
				    const struct s2tt_walk *wi)
{
	uint64_t size = s2tt_entry_size(wi->level);
	unsigned int end = s2tt_rtt_end_index(ctx, wi);
	unsigned int i;

	if (s2tte_is_live(s2tte_read(&table[wi->index]), wi->level))
		return ipa;
	for (i = wi->index + 1; i < end; i++) {
		if (s2tte_is_live(s2tte_read(&table[i]), wi->level))
			break;
	}
	return (ipa & ~(size - 1)) + (uint64_t)(i - wi->index) * size;
}

void s2tt_invalidate(const struct s2tt_ctx *ctx, uint64_t ipa, uint64_t size)
{
	/*
	 * unicorn-2.0.1.md: only TLBI VMALLS12E1 reliably drops the engine's
	 * combined stage 1+2 entries (TLBI IPAS2E1 alone left them stale), so
	 * the range is not used: the whole VMID is invalidated on every engine.
	 */
	(void)ipa;
	(void)size;
	platform_tlbi_vmid(ctx->vmid);
}

/* ---- Entry constructors ---- */

static uint64_t oa_mask(int level)
{
	return S2TTE_OA_MASK & ~(s2tt_entry_size(level) - 1);
}

static uint64_t leaf_type(int level)
{
	assert(level >= S2TT_MIN_BLOCK_LEVEL && level <= S2TT_PAGE_LEVEL);
	return level == S2TT_PAGE_LEVEL ? S2TTE_TYPE_PAGE : S2TTE_TYPE_BLOCK;
}

uint64_t s2tte_create_unassigned(unsigned int ripas)
{
	assert(ripas <= RMI_DESTROYED);
	return S2TTE_HIPAS_UNASSIGNED | ((uint64_t)ripas << S2TTE_RIPAS_SHIFT);
}

uint64_t s2tte_create_unassigned_empty(void)
{
	return s2tte_create_unassigned(RMI_EMPTY);
}

uint64_t s2tte_create_unassigned_ram(void)
{
	return s2tte_create_unassigned(RMI_RAM);
}

uint64_t s2tte_create_unassigned_destroyed(void)
{
	return s2tte_create_unassigned(RMI_DESTROYED);
}

uint64_t s2tte_create_unassigned_ns(void)
{
	return S2TTE_NS | S2TTE_HIPAS_UNASSIGNED;
}

uint64_t s2tte_create_assigned_ram(uint64_t pa, int level)
{
	assert((pa & ~oa_mask(level)) == 0);
	return pa | S2TTE_PROT_ATTRS | leaf_type(level);
}

static uint64_t create_assigned_invalid(uint64_t pa, int level, unsigned int ripas)
{
	(void)level; /* only checked in debug builds */
	assert((pa & ~oa_mask(level)) == 0);
	return pa | S2TTE_HIPAS_ASSIGNED | ((uint64_t)ripas << S2TTE_RIPAS_SHIFT);
}

uint64_t s2tte_create_assigned_empty(uint64_t pa, int level)
{
	return create_assigned_invalid(pa, level, RMI_EMPTY);
}

uint64_t s2tte_create_assigned_destroyed(uint64_t pa, int level)
{
	return create_assigned_invalid(pa, level, RMI_DESTROYED);
}

uint64_t s2tte_create_assigned(uint64_t pa, int level, unsigned int ripas)
{
	assert(ripas <= RMI_DESTROYED);
	if (ripas == RMI_RAM)
		return s2tte_create_assigned_ram(pa, level);
	return create_assigned_invalid(pa, level, ripas);
}

uint64_t s2tte_create_assigned_ns(uint64_t host_desc, int level)
{
	return (host_desc & (oa_mask(level) | S2TTE_HOST_ATTR_MASK)) | S2TTE_NS_ATTRS |
	       leaf_type(level);
}

uint64_t s2tte_create_table(uint64_t rtt_pa)
{
	assert((rtt_pa & ~S2TTE_OA_MASK) == 0);
	return rtt_pa | S2TTE_TYPE_TABLE;
}

/* ---- Predicates and accessors ---- */

static bool is_valid(uint64_t s2tte)
{
	return (s2tte & S2TTE_VALID) != 0;
}

static bool is_ns(uint64_t s2tte)
{
	return (s2tte & S2TTE_NS) != 0;
}

/* A valid page (level 3) or block (levels 1-2) descriptor. */
static bool is_leaf_desc(uint64_t s2tte, int level)
{
	if (!is_valid(s2tte))
		return false;
	if (level == S2TT_PAGE_LEVEL)
		return (s2tte & S2TTE_TYPE_MASK) == S2TTE_TYPE_PAGE;
	return level >= S2TT_MIN_BLOCK_LEVEL && (s2tte & S2TTE_TYPE_MASK) == S2TTE_TYPE_BLOCK;
}

static bool is_invalid_hipas(uint64_t s2tte, bool ns, uint64_t hipas)
{
	return !is_valid(s2tte) && is_ns(s2tte) == ns && (s2tte & S2TTE_HIPAS_MASK) == hipas;
}

static unsigned int invalid_ripas(uint64_t s2tte)
{
	return (unsigned int)((s2tte & S2TTE_RIPAS_MASK) >> S2TTE_RIPAS_SHIFT);
}

bool s2tte_is_unassigned(uint64_t s2tte)
{
	return is_invalid_hipas(s2tte, false, S2TTE_HIPAS_UNASSIGNED);
}

bool s2tte_is_unassigned_empty(uint64_t s2tte)
{
	return s2tte_is_unassigned(s2tte) && invalid_ripas(s2tte) == RMI_EMPTY;
}

bool s2tte_is_unassigned_ram(uint64_t s2tte)
{
	return s2tte_is_unassigned(s2tte) && invalid_ripas(s2tte) == RMI_RAM;
}

bool s2tte_is_unassigned_destroyed(uint64_t s2tte)
{
	return s2tte_is_unassigned(s2tte) && invalid_ripas(s2tte) == RMI_DESTROYED;
}

bool s2tte_is_unassigned_ns(uint64_t s2tte)
{
	return is_invalid_hipas(s2tte, true, S2TTE_HIPAS_UNASSIGNED);
}

static bool is_assigned_invalid(uint64_t s2tte, int level, unsigned int ripas)
{
	return level >= S2TT_MIN_BLOCK_LEVEL &&
	       is_invalid_hipas(s2tte, false, S2TTE_HIPAS_ASSIGNED) &&
	       invalid_ripas(s2tte) == ripas;
}

bool s2tte_is_assigned_empty(uint64_t s2tte, int level)
{
	return is_assigned_invalid(s2tte, level, RMI_EMPTY);
}

bool s2tte_is_assigned_destroyed(uint64_t s2tte, int level)
{
	return is_assigned_invalid(s2tte, level, RMI_DESTROYED);
}

bool s2tte_is_assigned_ram(uint64_t s2tte, int level)
{
	return !is_ns(s2tte) && is_leaf_desc(s2tte, level);
}

bool s2tte_is_assigned(uint64_t s2tte, int level)
{
	return s2tte_is_assigned_empty(s2tte, level) || s2tte_is_assigned_ram(s2tte, level) ||
	       s2tte_is_assigned_destroyed(s2tte, level);
}

bool s2tte_is_assigned_ns(uint64_t s2tte, int level)
{
	return is_ns(s2tte) && is_leaf_desc(s2tte, level);
}

bool s2tte_is_table(uint64_t s2tte, int level)
{
	return level < S2TT_PAGE_LEVEL && is_valid(s2tte) &&
	       (s2tte & S2TTE_TYPE_MASK) == S2TTE_TYPE_TABLE;
}

bool s2tte_is_live(uint64_t s2tte, int level)
{
	return s2tte_is_table(s2tte, level) || s2tte_is_assigned(s2tte, level) ||
	       s2tte_is_assigned_ns(s2tte, level);
}

unsigned int s2tte_get_ripas(uint64_t s2tte)
{
	if (is_valid(s2tte))
		return RMI_RAM;
	return invalid_ripas(s2tte);
}

uint64_t s2tte_pa(uint64_t s2tte, int level)
{
	if (s2tte_is_table(s2tte, level))
		return s2tte & S2TTE_OA_MASK;
	return s2tte & oa_mask(level);
}

unsigned int s2tte_rtt_state(uint64_t s2tte, int level)
{
	if (s2tte_is_table(s2tte, level))
		return RMI_TABLE;
	if (s2tte_is_assigned(s2tte, level) || s2tte_is_assigned_ns(s2tte, level))
		return RMI_ASSIGNED;
	return RMI_UNASSIGNED;
}

/*
 * rmm-v1.0.md s11.4: TABLE -> the next RTT's PA; protected ASSIGNED (any
 * RIPAS, DESTROYED included per the post-tag fix f5257c6e) -> the bare PA;
 * ASSIGNED_NS -> exactly the host-controlled bits (s8.6); else 0.
 */
uint64_t s2tte_read_desc(uint64_t s2tte, int level)
{
	if (s2tte_is_table(s2tte, level) || s2tte_is_assigned(s2tte, level))
		return s2tte_pa(s2tte, level);
	if (s2tte_is_assigned_ns(s2tte, level))
		return s2tte & (oa_mask(level) | S2TTE_HOST_ATTR_MASK);
	return 0;
}

/* s11.4: the RIPAS of a protected entry; EMPTY for NS and TABLE entries. */
unsigned int s2tte_read_ripas(uint64_t s2tte, int level)
{
	if (s2tte_is_unassigned(s2tte) || s2tte_is_assigned(s2tte, level))
		return s2tte_get_ripas(s2tte);
	return RMI_EMPTY;
}

/*
 * rmm-v1.0.md s8.6 (TF-RMM host_ns_s2tte_is_valid): only the output
 * address (aligned to the level's block size, within 48 bits without LPA2),
 * MemAttr [4:2] other than 0b100, and S2AP may be set.
 */
bool s2tte_host_ns_desc_valid(uint64_t desc, int level, bool lpa2)
{
	uint64_t oa = (lpa2 ? S2TTE_OA_MASK_LPA2 : S2TTE_OA_MASK) & ~(s2tt_entry_size(level) - 1);

	if (desc & ~(oa | S2TTE_HOST_ATTR_MASK))
		return false;
	return ((desc >> 2) & 0x7) != S2TTE_MEMATTR_FWB_RESERVED;
}

/* ---- Fold and unfold ---- */

unsigned int s2tt_init_unfolded(uint64_t *table, uint64_t parent, int level)
{
	int plevel = level - 1;
	uint64_t size = s2tt_entry_size(level);

	if (s2tte_is_unassigned(parent) || s2tte_is_unassigned_ns(parent)) {
		for (unsigned int i = 0; i < S2TT_ENTRIES; i++)
			s2tte_write(&table[i], parent);
		return 0;
	}
	if (s2tte_is_assigned(parent, plevel)) {
		uint64_t pa = s2tte_pa(parent, plevel);
		unsigned int ripas = s2tte_get_ripas(parent);

		for (unsigned int i = 0; i < S2TT_ENTRIES; i++)
			s2tte_write(&table[i], s2tte_create_assigned(pa + i * size, level, ripas));
		/* s16.3: an unfolded ASSIGNED block gives the new RTT 512 references. */
		return S2TT_ENTRIES;
	}
	/* Internal invariant: the caller rejected TABLE; nothing else remains. */
	assert(s2tte_is_assigned_ns(parent, plevel));
	{
		uint64_t attrs = s2tte_read_desc(parent, plevel) & ~S2TTE_OA_MASK;
		uint64_t pa = s2tte_pa(parent, plevel);

		for (unsigned int i = 0; i < S2TT_ENTRIES; i++)
			s2tte_write(&table[i],
				    s2tte_create_assigned_ns(attrs | (pa + i * size), level));
	}
	/* s11.8: ASSIGNED_NS entries hold no reference. */
	return 0;
}

/* All 512 entries satisfy pred. */
static bool all_entries(const uint64_t *table, bool (*pred)(uint64_t))
{
	for (unsigned int i = 0; i < S2TT_ENTRIES; i++) {
		if (!pred(s2tte_read(&table[i])))
			return false;
	}
	return true;
}

/*
 * s11.5: all 512 entries of kind `pred` at `level`, consecutive output
 * addresses starting at one aligned to a level - 1 block, and (for NS
 * mappings) identical attributes.
 */
static bool maps_block(const uint64_t *table, int level, bool (*pred)(uint64_t, int))
{
	uint64_t first = s2tte_read(&table[0]);
	uint64_t size = s2tt_entry_size(level);
	uint64_t base = s2tte_pa(first, level);

	if (!pred(first, level) || !s2tt_addr_level_aligned(base, level - 1))
		return false;
	for (unsigned int i = 1; i < S2TT_ENTRIES; i++) {
		uint64_t e = s2tte_read(&table[i]);

		if (!pred(e, level) || s2tte_pa(e, level) != base + i * size)
			return false;
		if ((e & ~S2TTE_OA_MASK) != (first & ~S2TTE_OA_MASK))
			return false;
	}
	return true;
}

enum s2tt_fold_kind s2tt_fold_kind(const uint64_t *table, int level, uint64_t *parent)
{
	static bool (*const unassigned[])(uint64_t) = {
		s2tte_is_unassigned_empty,
		s2tte_is_unassigned_ram,
		s2tte_is_unassigned_destroyed,
		s2tte_is_unassigned_ns,
	};
	static bool (*const assigned[])(uint64_t, int) = {
		s2tte_is_assigned_empty,
		s2tte_is_assigned_ram,
		s2tte_is_assigned_destroyed,
	};
	uint64_t first = s2tte_read(&table[0]);

	for (size_t k = 0; k < sizeof(unassigned) / sizeof(unassigned[0]); k++) {
		if (all_entries(table, unassigned[k])) {
			*parent = first;
			return S2TT_FOLD_UNASSIGNED;
		}
	}
	if (maps_block(table, level, s2tte_is_assigned_ns)) {
		if (level - 1 >= S2TT_MIN_BLOCK_LEVEL)
			*parent =
				s2tte_create_assigned_ns(s2tte_read_desc(first, level), level - 1);
		return S2TT_FOLD_ASSIGNED_NS;
	}
	for (size_t k = 0; k < sizeof(assigned) / sizeof(assigned[0]); k++) {
		if (maps_block(table, level, assigned[k])) {
			if (level - 1 >= S2TT_MIN_BLOCK_LEVEL)
				*parent = s2tte_create_assigned(s2tte_pa(first, level), level - 1,
								s2tte_get_ripas(first));
			return S2TT_FOLD_ASSIGNED;
		}
	}
	return S2TT_FOLD_NONE;
}
