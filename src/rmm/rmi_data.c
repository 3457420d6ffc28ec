/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY
 * (rmm-v1.0.md s4, s9.1, s9.4, s11.1, s11.7, s13, s14; failure-conditions
 * s2.18-s2.20, s5.2).
 *
 * Locking (s16.2): data (DELEGATED) and rd locked in ascending PA order;
 * then the first root RTT; the walk leaves the leaf RTT locked. The RD
 * stays locked in DATA_CREATE because the RIM is extended; DATA_DESTROY
 * releases it once the root is locked and locks the DATA granule last
 * (RTT -> DATA).
 */
#include <string.h>

#include <realmkit/abi/rmi.h>

#include "engine.h"
#include "granule.h"
#include "measurement.h"
#include "realm.h"
#include "rmm_priv.h"
#include "s2tt.h"

/* rmm-v1.0.md s10: output addresses are 48 bits without LPA2. */
#define DATA_OA_LIMIT_NO_LPA2 (1ULL << 48)

/*
 * s11.2 "data" family: ipa 4 KB aligned, below 2^s2sz, in PAR (PAR implies
 * below 2^s2sz). An unprotected ipa is E_INPUT before any walk, which gives
 * the priority rows "unprotected ipa beats rtt_walk / rtte_state".
 */
static bool data_ipa_valid(const struct rd *rd, uint64_t ipa)
{
	return (ipa & GRANULE_MASK) == 0 && realm_ipa_in_range(rd, ipa) &&
	       realm_ipa_in_par(rd, ipa);
}

/* s10 / failure-conditions s2.18 data_bound2. */
static bool data_pa_valid(const struct rd *rd, pa_t data)
{
	return rd->lpa2 || data.v < DATA_OA_LIMIT_NO_LPA2;
}

/* What DATA_CREATE(_UNKNOWN) does once everything is checked and locked. */
struct data_create_op {
	uint64_t ipa;
	const void *src; /* NULL for DATA_CREATE_UNKNOWN */
	uint64_t flags;
};

/*
 * With data and rd locked: realm checks, walk, entry check, then the
 * transition UNASSIGNED -> ASSIGNED. Returns the packed status.
 */
static uint64_t data_create_locked(struct granule *g_data, struct granule *g_rd,
				   const struct data_create_op *op)
{
	struct rd *rd = rd_of(g_rd);
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;
	uint64_t *table, entry, pa = granule_addr(g_data).v;
	unsigned int ripas;

	/* s9.2: DATA_CREATE needs a NEW realm (DATA_CREATE_UNKNOWN any state). */
	if (op->src && realm_state(rd) != RMI_REALM_STATE_NEW)
		return rmi_ret(RMI_ERROR_REALM, 0);
	if (!data_ipa_valid(rd, op->ipa) || !data_pa_valid(rd, granule_addr(g_data)))
		return rmi_ret(RMI_ERROR_INPUT, 0);
	s2tt_ctx_init(&ctx, rd);
	s2tt_walk_lock_unlock(&ctx, s2tt_lock_root(&ctx), op->ipa, S2TT_PAGE_LEVEL, &wi);
	/* failure-conditions s2.18 rtt_walk: (E_RTT, walk level). */
	if (wi.level != S2TT_PAGE_LEVEL) {
		granule_unlock(wi.g_llt);
		return rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
	}
	table = s2tt_table(wi.g_llt);
	entry = s2tte_read(&table[wi.index]);
	/* s11.1: UNASSIGNED with any RIPAS, else rtte_state (E_RTT, 3). */
	if (!s2tte_is_unassigned(entry)) {
		granule_unlock(wi.g_llt);
		return rmi_ret(RMI_ERROR_RTT, S2TT_PAGE_LEVEL);
	}
	if (op->src) {
		/* s4 DATA_CREATE: copy, measure (s14.4: always), RIPAS becomes RAM. */
		memcpy(granule_map(g_data), op->src, GRANULE_SIZE);
		measurement_extend_data(rd, op->ipa, op->flags, granule_map(g_data));
		ripas = RMI_RAM;
	} else {
		/* s11.1 DATA_CREATE_UNKNOWN: contents stay zero, RIPAS unchanged. */
		ripas = s2tte_get_ripas(entry);
	}
	/*
	 * The granule is DATA before the entry that names it is published: a
	 * realm-memory walk (realm_mem.c) may find the entry as soon as the RTT
	 * is unlocked, and an ASSIGNED entry always names a DATA granule.
	 */
	granule_set_state(g_data, GRANULE_STATE_DATA);
	/* Invalid -> possibly valid: no TLB maintenance needed. */
	s2tte_write(&table[wi.index], s2tte_create_assigned(pa, S2TT_PAGE_LEVEL, ripas));
	/* s16.3: the RTT counts its protected ASSIGNED entries. */
	granule_refcount_inc(wi.g_llt);
	granule_unlock(wi.g_llt);
	return rmi_ret(RMI_SUCCESS, 0);
}

/*
 * Common part: data and rd locked in address order (data DELEGATED, rd RD;
 * data_align/bound/state and rd_*), then the locked checks; data becomes
 * DATA on success and stays DELEGATED (still zero) otherwise.
 */
static uint64_t data_create(pa_t rd_pa, pa_t data_pa, const struct data_create_op *op)
{
	struct granule *g_data, *g_rd;
	uint64_t ret;

	if (!find_lock_two_granules(data_pa, GRANULE_STATE_DELEGATED, &g_data, rd_pa,
				    GRANULE_STATE_RD, &g_rd))
		return rmi_ret(RMI_ERROR_INPUT, 0);
	ret = data_create_locked(g_data, g_rd, op);
	granule_unlock(g_rd);
	/* On success data_create_locked() made it DATA; otherwise it is still DELEGATED. */
	granule_unlock(g_data);
	return ret;
}

/*
 * failure-conditions s2.18 reference order: flags -> src -> data/rd ->
 * realm state -> ipa -> data PA bound -> walk -> entry. The source is read
 * first into a local buffer: rmm_ns_read takes the NS granule lock alone
 * (rmm_priv.h), and the only source failure TF-RMM detects late (a
 * granule in state NS whose PAS is not NS) cannot arise here, where the
 * RMM keeps state NS and PAS NS together.
 */
void smc_data_create(const uint64_t args[6], struct smc_result *res)
{
	uint8_t src[GRANULE_SIZE] __attribute__((aligned(64)));
	struct data_create_op op = { .ipa = args[2], .src = src, .flags = args[4] };

	/* TF-RMM: flags other than 0 and 1 -> E_INPUT, checked first. */
	if (op.flags > RMI_MEASURE_CONTENT) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* src_align, src_bound, src_pas (s13: only an NS granule is read). */
	if (rmm_ns_read(pa_of(args[3]), src, GRANULE_SIZE) != 0) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	res->x[0] = data_create(pa_of(args[0]), pa_of(args[1]), &op);
}

/* failure-conditions s2.19: as DATA_CREATE without flags, src and realm state. */
void smc_data_create_unknown(const uint64_t args[6], struct smc_result *res)
{
	struct data_create_op op = { .ipa = args[2], .src = NULL, .flags = 0 };

	res->x[0] = data_create(pa_of(args[0]), pa_of(args[1]), &op);
}

/*
 * The locked leaf holds an ASSIGNED entry for ipa: s11.1 transition (RAM
 * -> DESTROYED, EMPTY -> EMPTY, DESTROYED -> DESTROYED), TLB maintenance
 * if it was a valid mapping, then the data granule is scrubbed. Returns the
 * data PA.
 */
static uint64_t data_destroy_entry(const struct s2tt_ctx *ctx, const struct s2tt_walk *wi,
				   uint64_t ipa)
{
	uint64_t *table = s2tt_table(wi->g_llt);
	uint64_t entry = s2tte_read(&table[wi->index]);
	uint64_t pa = s2tte_pa(entry, S2TT_PAGE_LEVEL);
	bool was_valid = s2tte_is_assigned_ram(entry, S2TT_PAGE_LEVEL);
	struct granule *g_data;

	s2tte_write(&table[wi->index], s2tte_get_ripas(entry) == RMI_EMPTY
					       ? s2tte_create_unassigned_empty()
					       : s2tte_create_unassigned_destroyed());
	/* s9.4/s11: no engine may use the old mapping once we return. */
	if (was_valid)
		s2tt_invalidate(ctx, ipa, GRANULE_SIZE);
	granule_refcount_dec(wi->g_llt);
	/* s16.2: RTT -> DATA; only one DATA granule is locked at a time. */
	g_data = find_lock_granule(pa_of(pa), GRANULE_STATE_DATA);
	assert(g_data != NULL); /* an ASSIGNED entry always names a DATA granule */
	/* s9.1: back to DELEGATED only zeroed. */
	granule_memzero(g_data);
	/*
	 * Translated-code coherence (engine.h, unicorn-2.0.1.md "M1:
	 * translated-code coherence"): a CPU engine keeps the code it
	 * translated from this page, keyed by PA, and would run it again if
	 * the granule came back as DATA at a VA it executed. Engines only
	 * ever execute DATA granules (NS mappings are XN), so dropping the
	 * translations when a granule stops being DATA covers every later
	 * DATA_CREATE / DATA_CREATE_UNKNOWN of it.
	 */
	engines_invalidate_code(pa_of(pa), GRANULE_SIZE);
	granule_unlock_transition(g_data, GRANULE_STATE_DELEGATED);
	return pa;
}

/*
 * failure-conditions s2.20 reference order: rd -> ipa -> walk to level 3
 * ((E_RTT, walk level)) -> entry not ASSIGNED ((E_RTT, 3)). X2 = top
 * (s11.7) on SUCCESS and E_RTT, 0 on E_INPUT; X1 = the data PA on SUCCESS.
 */
void smc_data_destroy(const uint64_t args[6], struct smc_result *res)
{
	uint64_t ipa = args[1], *table;
	struct granule *g_rd, *g_root;
	struct s2tt_ctx ctx;
	struct s2tt_walk wi;
	struct rd *rd;

	g_rd = find_lock_granule(pa_of(args[0]), GRANULE_STATE_RD);
	if (!g_rd) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	rd = rd_of(g_rd);
	if (!data_ipa_valid(rd, ipa)) {
		granule_unlock(g_rd);
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	s2tt_ctx_init(&ctx, rd);
	g_root = s2tt_lock_root(&ctx);
	/* s16.2: the RIM is not touched, so the RD is released once the root is held. */
	granule_unlock(g_rd);
	s2tt_walk_lock_unlock(&ctx, g_root, ipa, S2TT_PAGE_LEVEL, &wi);
	table = s2tt_table(wi.g_llt);
	if (wi.level != S2TT_PAGE_LEVEL) {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, (unsigned int)wi.level);
	} else if (!s2tte_is_assigned(s2tte_read(&table[wi.index]), S2TT_PAGE_LEVEL)) {
		res->x[0] = rmi_ret(RMI_ERROR_RTT, S2TT_PAGE_LEVEL);
	} else {
		res->x[1] = data_destroy_entry(&ctx, &wi, ipa);
		res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	}
	/* s11.7: top, computed after the entry became non-live. */
	res->x[2] = s2tt_skip_non_live_entries(&ctx, ipa, table, &wi);
	granule_unlock(wi.g_llt);
}
