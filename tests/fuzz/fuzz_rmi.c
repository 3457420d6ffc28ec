/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: RMI command sequences (see fuzz_rmi.h for the checks).
 *
 * Input: a sequence of operations, each one opcode byte (bits 4:0 the
 * operation, bits 7:5 flags: bit 7 asks for the create/destroy law check
 * after a successful create, bit 6 picks its variant) followed by the bytes
 * its arguments consume; a short input reads as zeros. Arguments come
 * mostly from pools of live objects found in the machine (granules of the
 * arena in each state, registered realms, RECs, RTT and DATA granules, IPAs
 * at each level inside each realm's geometry) and sometimes from arbitrary
 * values (unaligned, MMIO, outside the PA range, the Root and Secure
 * carve-outs, raw 64-bit words).
 *
 * The create/destroy inverse law (issue 8): when a create succeeds, its
 * destroy must succeed in the state right after it -- DELEGATE/UNDELEGATE,
 * REALM_CREATE/REALM_DESTROY, REC_CREATE/REC_DESTROY, RTT_CREATE/RTT_FOLD
 * (restoring the parent entry exactly) or RTT_DESTROY (non-live parent),
 * DATA_CREATE[_UNKNOWN]/DATA_DESTROY (returning the data PA),
 * MAP/UNMAP_UNPROTECTED (back to UNASSIGNED_NS).
 *
 * Not fuzzed yet: RMI_REC_ENTER (needs the REC run loop and a guest; the
 * realm-side fuzzer of issue 8 comes with it). PSCI_COMPLETE and
 * RTT_SET_RIPAS are called and must answer SMC_UNKNOWN while pending.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "fuzz_rmi.h"
#include "granule.h"
#include "platform_root.h"
#include "realm.h"
#include "s2tt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FZ_MAX_OPS 256u
/* A host descriptor (s8.6): Normal write-back (FWB MemAttr 0b110), S2AP RW. */
#define FZ_NS_ATTRS ((0x6ULL << 2) | (0x3ULL << 6))

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t u64(struct in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)u8(in) << (8 * i);
	return v;
}

/* ---- Pools ---- */

static enum granule_state state_of(pa_t pa)
{
	struct granule *g = find_granule(pa);

	return g ? granule_get_state(g) : GRANULE_STATE_COUNT;
}

/* The k-th (wrapping) granule in state st: NS ones from the arena, others from all DRAM. */
static pa_t pick_state(enum granule_state st, unsigned int k)
{
	uint64_t first = 0, n = granules_count(), count = 0;
	pa_t arena_end = pa_add(fz.arena, FZ_ARENA_PAGES * GRANULE_SIZE);

	if (st == GRANULE_STATE_NS || st == GRANULE_STATE_DELEGATED) {
		first = (fz.arena.v - RK_DRAM_BASE) >> GRANULE_SHIFT;
		n = (arena_end.v - RK_DRAM_BASE) >> GRANULE_SHIFT;
	}
	for (int pass = 0; pass < 2; pass++) {
		uint64_t seen = 0;

		for (uint64_t i = first; i < n; i++) {
			if (granule_get_state(granule_at(i)) != st)
				continue;
			if (pass == 1 && seen == k % count)
				return granule_addr(granule_at(i));
			seen++;
		}
		count = seen;
		if (!count)
			break;
	}
	/* None in that state: an arena granule. */
	return pa_add(fz.arena, (k % FZ_ARENA_PAGES) * GRANULE_SIZE);
}

/* The PAs the failure conditions name (failure-conditions s1.3) and other odd ones. */
static uint64_t special_pa(struct in *in, unsigned int sel, enum granule_state pref)
{
	uint64_t dram_end = RK_DRAM_BASE + platform_dram_size();

	switch (sel % 16) {
	case 0:
		return 0;
	case 1:
		return RK_NS_UART_PA;
	case 2:
		return RK_MMIO_BASE + RK_MMIO_SIZE - GRANULE_SIZE;
	case 3:
		return 1ULL << RK_PA_WIDTH;
	case 4:
		return ~0ULL & ~(uint64_t)GRANULE_MASK;
	case 5:
		return RK_DRAM_BASE; /* Root carve-out */
	case 6:
		return dram_end - RK_SECURE_CARVEOUT_SIZE; /* Secure carve-out */
	case 7:
		return dram_end;
	case 8:
		return fz.params.v;
	case 9:
		return fz.src.v;
	case 10:
		return RK_DRAM_BASE + RK_ROOT_CARVEOUT_SIZE;
	case 11:
		return 1ULL << 52;
	case 12:
		return u64(in);
	default:
		/* Unaligned: a live granule of the preferred state plus an offset. */
		return pick_state(pref, u8(in)).v + 1 + (sel % 16 - 13) * 0x7ff;
	}
}

/* A granule argument: mostly one in the state the command wants. */
static uint64_t pa_arg(struct in *in, enum granule_state pref)
{
	uint8_t b = u8(in);

	if (b < 160)
		return pick_state(pref, u8(in)).v;
	if (b < 208)
		return pick_state((enum granule_state)(b % GRANULE_STATE_COUNT), u8(in)).v;
	return special_pa(in, b, pref);
}

/* An RD argument: mostly a registered realm. */
static uint64_t rd_arg(struct in *in)
{
	pa_t rds[16];
	uint8_t b = u8(in);
	size_t n;

	if (b < 224) {
		n = realm_registry_snapshot(rds, 16);
		if (n)
			return rds[b % (n < 16 ? n : 16)].v;
	}
	return pa_arg(in, GRANULE_STATE_RD);
}

struct geom {
	unsigned int s2sz;
	int sl;
};

static struct geom geom_of(uint64_t rd)
{
	struct geom g = { 40, 0 };
	struct rd *r;

	if (state_of(pa_of(rd)) == GRANULE_STATE_RD) {
		r = rd_of(find_granule(pa_of(rd)));
		g.s2sz = r->s2sz;
		g.sl = r->start_level;
	}
	return g;
}

/* A level in [lo, hi] mostly, sometimes out of range. */
static int64_t level_arg(struct in *in, int lo, int hi)
{
	static const int64_t odd[] = { -1, 4, -2, 5, 255, -256, 1LL << 40, -(1LL << 40) };
	uint8_t b = u8(in);

	if (b < 232 && hi >= lo)
		return lo + b % (hi - lo + 1);
	return odd[b % 8];
}

/* An IPA in the realm's geometry, aligned to an entry at level (mostly). */
static uint64_t ipa_arg(struct in *in, uint64_t rd, int64_t level)
{
	struct geom g = geom_of(rd);
	int lv = level < 0 ? 0 : level > 3 ? 3 : (int)level;
	uint64_t par = 1ULL << (g.s2sz - 1), size = s2tt_entry_size(lv);
	uint8_t b = u8(in), m = u8(in);
	uint64_t base;

	switch (b & 7) {
	case 0:
	case 1:
		base = 0;
		break;
	case 2:
		base = 1ULL << 30;
		break;
	case 3:
		base = par - (1ULL << 30);
		break;
	case 4:
	case 5:
		base = par;
		break;
	case 6:
		base = (1ULL << g.s2sz) - (1ULL << 30);
		break;
	default:
		return m < 128 ? 1ULL << g.s2sz : u64(in);
	}
	base = (base & ~(size - 1)) + ((b >> 3) & 7) * size;
	if (m >= 240)
		base += m < 248 ? GRANULE_SIZE : 1;
	return base;
}

/* ---- Operations ---- */

enum op {
	OP_DELEGATE,
	OP_DELEGATE_RANGE,
	OP_UNDELEGATE,
	OP_REALM_CREATE,
	OP_REALM_ACTIVATE,
	OP_REALM_DESTROY,
	OP_REC_AUX_COUNT,
	OP_REC_CREATE,
	OP_REC_DESTROY,
	OP_RTT_CREATE,
	OP_RTT_DESTROY,
	OP_RTT_FOLD,
	OP_RTT_READ_ENTRY,
	OP_MAP_UNPROTECTED,
	OP_UNMAP_UNPROTECTED,
	OP_INIT_RIPAS,
	OP_DATA_CREATE,
	OP_DATA_CREATE_UNKNOWN,
	OP_DATA_DESTROY,
	OP_VERSION_FEATURES,
	OP_PENDING,
	OP_INJECT_GTSI,
	OP_RAW,
	OP_RTTS_DOWN,
	OP_POPULATE_BLOCK,
	OP_COUNT
};

static bool ok(uint64_t x0)
{
	return x0 == rmi_pack(RMI_SUCCESS, 0);
}

static void op_delegate(struct in *in, bool law, bool undelegate)
{
	uint64_t pa = pa_arg(in, undelegate ? GRANULE_STATE_DELEGATED : GRANULE_STATE_NS);
	uint64_t fid = undelegate ? RMI_GRANULE_UNDELEGATE : RMI_GRANULE_DELEGATE;
	uint64_t inv = undelegate ? RMI_GRANULE_DELEGATE : RMI_GRANULE_UNDELEGATE;

	if (!ok(fz_call(fid, pa, 0, 0, 0, 0).x[0]))
		return;
	if (undelegate)
		fz_post_undelegate(pa);
	if (law)
		fz_expect(fz_call(inv, pa, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
			  undelegate ? "DELEGATE after UNDELEGATE" : "UNDELEGATE after DELEGATE");
}

static void op_delegate_range(struct in *in)
{
	unsigned int first = u8(in) % FZ_ARENA_PAGES, n = 1 + u8(in) % 24;

	for (unsigned int i = first; i < first + n && i < FZ_ARENA_PAGES; i++) {
		pa_t pa = pa_add(fz.arena, i * GRANULE_SIZE);

		if (state_of(pa) == GRANULE_STATE_NS)
			fz_call(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0, 0);
	}
}

/* RmiRealmParams from the input: mostly a valid geometry over delegated granules. */
static void realm_params(struct in *in, struct rmi_realm_params *p)
{
	uint8_t g = u8(in), f = u8(in);
	unsigned int s2sz = 32 + g % 13;
	int sl = (int)((g >> 4) % 4);

	memset(p, 0, sizeof(*p));
	p->s2sz = s2sz;
	p->rtt_level_start = sl;
	p->rtt_num_start = s2tt_num_root_rtts(s2sz, sl, false);
	p->num_bps = 1 + (f & 0x10 ? u8(in) % 8 : 0);
	p->num_wps = 1 + (f & 0x20 ? u8(in) % 8 : 0);
	p->algorithm = (f & 3) == 3 ? u8(in) : (f & 1);
	p->vmid = (f & 0x40) ? (uint16_t)u64(in) : u8(in) % 4;
	p->rtt_base = pa_arg(in, GRANULE_STATE_DELEGATED);
	p->rpv[0] = u8(in);
	if (f & 0x80) {
		/* Arbitrary flags, features and root count. */
		p->flags = u8(in);
		p->sve_vl = u8(in);
		p->pmu_num_ctrs = u8(in);
		p->rtt_num_start = u8(in) % 18;
	}
}

/*
 * The host writes a command's parameters to its params granule -- unless
 * the input delegated that granule: a host cannot write there (it would
 * take a GPF), and the RMM must refuse to read it (params_pas).
 */
static void host_write_params(const void *p, size_t len)
{
	if (platform_ns_view_accessible(fz.params))
		memcpy(platform_ns_ptr(fz.params), p, len);
}

static void op_realm_create(struct in *in, bool law)
{
	struct rmi_realm_params p;
	uint64_t rd = pa_arg(in, GRANULE_STATE_DELEGATED);
	uint64_t params = u8(in) < 240 ? fz.params.v : pa_arg(in, GRANULE_STATE_NS);

	realm_params(in, &p);
	host_write_params(&p, sizeof(p));
	if (!ok(fz_call(RMI_REALM_CREATE, rd, params, 0, 0, 0).x[0]) || !law)
		return;
	fz_expect(fz_call(RMI_REALM_DESTROY, rd, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
		  "REALM_DESTROY after REALM_CREATE");
}

static void op_rd_cmd(struct in *in, uint64_t fid)
{
	uint64_t rd = rd_arg(in);
	struct smc_result r = fz_call(fid, rd, 0, 0, 0, 0);

	/* s4 REC_AUX_COUNT: X1 = the number of aux granules (16 for every realm). */
	if (fid == RMI_REC_AUX_COUNT && ok(r.x[0]) && r.x[1] != RMI_MAX_REC_AUX_GRANULES)
		fz_fail("REC_AUX_COUNT returned %llu", (unsigned long long)r.x[1]);
	/* s9.2: an ACTIVE realm cannot be activated again (failure-conditions s2.6). */
	if (fid == RMI_REALM_ACTIVATE && ok(r.x[0]))
		fz_expect(fz_call(fid, rd, 0, 0, 0, 0).x[0], RMI_ERROR_REALM, 0,
			  "REALM_ACTIVATE after REALM_ACTIVATE");
}

/* RmiRecParams: the next REC index and 16 distinct delegated aux granules, mostly. */
static void rec_params(struct in *in, uint64_t rd, uint64_t rec, struct rmi_rec_params *p)
{
	uint8_t f = u8(in);
	unsigned int k = u8(in);
	uint64_t next = 0;

	memset(p, 0, sizeof(*p));
	if (state_of(pa_of(rd)) == GRANULE_STATE_RD)
		next = rd_of(find_granule(pa_of(rd)))->rec_count;
	p->flags = f & 1;
	p->mpidr = (f & 0x6) ? rmi_rec_index_to_mpidr(next) : u64(in);
	p->num_aux = (f & 0x18) ? RMI_MAX_REC_AUX_GRANULES : u8(in) % 20;
	p->pc = 0x1000;
	for (unsigned int i = 0; i < RMI_MAX_REC_AUX_GRANULES; i++) {
		uint64_t a;

		do
			a = pick_state(GRANULE_STATE_DELEGATED, k++).v;
		while (a == rec && k < 512);
		p->aux[i] = a;
	}
	if (f & 0x20) /* one aux replaced by anything (an alias, a bad PA) */
		p->aux[u8(in) % RMI_MAX_REC_AUX_GRANULES] = pa_arg(in, GRANULE_STATE_DELEGATED);
}

static void op_rec_create(struct in *in, bool law)
{
	struct rmi_rec_params p;
	uint64_t rd = rd_arg(in), rec = pa_arg(in, GRANULE_STATE_DELEGATED);
	uint64_t params = u8(in) < 240 ? fz.params.v : pa_arg(in, GRANULE_STATE_NS);

	rec_params(in, rd, rec, &p);
	host_write_params(&p, sizeof(p));
	if (ok(fz_call(RMI_REC_CREATE, rd, rec, params, 0, 0).x[0]) && law)
		fz_expect(fz_call(RMI_REC_DESTROY, rec, 0, 0, 0, 0).x[0], RMI_SUCCESS, 0,
			  "REC_DESTROY after REC_CREATE");
}

static void op_rtt_create(struct in *in, bool law, bool fold)
{
	uint64_t rd = rd_arg(in), rtt = pa_arg(in, GRANULE_STATE_DELEGATED);
	struct geom g = geom_of(rd);
	int64_t level = level_arg(in, g.sl + 1, 3);
	uint64_t ipa = ipa_arg(in, rd, level - 1);
	struct smc_result before, after, r;

	before = fz_call(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)(level - 1), 0, 0);
	if (!ok(fz_call(RMI_RTT_CREATE, rd, rtt, ipa, (uint64_t)level, 0).x[0]))
		return;
	fz_post_rtt_create(rd, rtt, ipa, level);
	if (!law)
		return;
	if (fold) {
		/* s11.5: RTT_FOLD undoes the unfold exactly (failure-conditions s2.14). */
		r = fz_call(RMI_RTT_FOLD, rd, ipa, (uint64_t)level, 0, 0);
		fz_expect(r.x[0], RMI_SUCCESS, 0, "RTT_FOLD after RTT_CREATE");
		after = fz_call(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)(level - 1), 0, 0);
		if (r.x[1] != rtt || memcmp(&before, &after, sizeof(before)) != 0)
			fz_fail("RTT_FOLD after RTT_CREATE(%#llx, %lld): X1 %#llx, parent entry "
				"%#llx/%#llx -> %#llx/%#llx",
				(unsigned long long)ipa, (long long)level,
				(unsigned long long)r.x[1], (unsigned long long)before.x[2],
				(unsigned long long)before.x[3], (unsigned long long)after.x[2],
				(unsigned long long)after.x[3]);
	} else if (before.x[2] == RMI_UNASSIGNED) {
		/* Created from a non-live entry: it holds no reference, RTT_DESTROY works. */
		r = fz_call(RMI_RTT_DESTROY, rd, ipa, (uint64_t)level, 0, 0);
		fz_expect(r.x[0], RMI_SUCCESS, 0, "RTT_DESTROY after RTT_CREATE");
		if (r.x[1] != rtt)
			fz_fail("RTT_DESTROY after RTT_CREATE returned %#llx",
				(unsigned long long)r.x[1]);
	}
}

static void op_rtt_structure(struct in *in, uint64_t fid)
{
	uint64_t rd = rd_arg(in);
	struct geom g = geom_of(rd);
	int64_t level = level_arg(in, g.sl + 1, 3);
	uint64_t ipa = ipa_arg(in, rd, level - 1);
	struct smc_result child = { { 0 } }, r;

	if (fid == RMI_RTT_FOLD)
		child = fz_read(rd, ipa, level);
	r = fz_call(fid, rd, ipa, (uint64_t)level, 0, 0);
	if (!ok(r.x[0]))
		return;
	if (fid == RMI_RTT_FOLD)
		fz_post_rtt_fold(rd, ipa, level, r, child);
	else
		fz_post_rtt_destroy(rd, ipa, level, r, ipa < (1ULL << (g.s2sz - 1)));
}

static void op_read_entry(struct in *in)
{
	uint64_t rd = rd_arg(in);
	int64_t level = level_arg(in, geom_of(rd).sl, 3);
	uint64_t ipa = ipa_arg(in, rd, level);
	struct smc_result r = fz_call(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)level, 0, 0);

	/* s11.4: the walk stops at or above the requested level; a known state and RIPAS. */
	if (ok(r.x[0]) && ((int64_t)r.x[1] > level || r.x[2] > RMI_TABLE || r.x[4] > RMI_DESTROYED))
		fz_fail("RTT_READ_ENTRY outputs %#llx %#llx %#llx", (unsigned long long)r.x[1],
			(unsigned long long)r.x[2], (unsigned long long)r.x[4]);
}

static void op_map(struct in *in, bool law, bool unmap)
{
	uint64_t rd = rd_arg(in), desc, ipa;
	int64_t level = level_arg(in, 1, 3);
	struct smc_result e;
	uint8_t d = u8(in);

	ipa = ipa_arg(in, rd, level);
	if (unmap) {
		e = fz_call(RMI_RTT_UNMAP_UNPROTECTED, rd, ipa, (uint64_t)level, 0, 0);
		if (ok(e.x[0]))
			fz_post_unmap(rd, ipa, level, e);
		return;
	}
	desc = d < 224 ? ((uint64_t)d * s2tt_entry_size(level < 1 || level > 3 ? 1 : (int)level)) %
					 (1ULL << 40) |
				 FZ_NS_ATTRS
		       : u64(in);
	if (!ok(fz_call(RMI_RTT_MAP_UNPROTECTED, rd, ipa, (uint64_t)level, desc, 0).x[0]))
		return;
	fz_post_map(rd, ipa, level, desc);
	if (!law)
		return;
	fz_expect(fz_call(RMI_RTT_UNMAP_UNPROTECTED, rd, ipa, (uint64_t)level, 0, 0).x[0],
		  RMI_SUCCESS, 0, "UNMAP_UNPROTECTED after MAP_UNPROTECTED");
	e = fz_call(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)level, 0, 0);
	if (!ok(e.x[0]) || e.x[2] != RMI_UNASSIGNED)
		fz_fail("UNMAP after MAP left state %llu", (unsigned long long)e.x[2]);
}

static void op_init_ripas(struct in *in)
{
	uint64_t rd = rd_arg(in), base = ipa_arg(in, rd, 3);
	uint8_t t = u8(in);
	uint64_t top = t < 240 ? base + (uint64_t)(1 + t) * GRANULE_SIZE * (t & 1 ? 512 : 1)
			       : ipa_arg(in, rd, 3);
	struct smc_result r = fz_call(RMI_RTT_INIT_RIPAS, rd, base, top, 0, 0);

	/* s11.3: progress is made and stays within (base, top]. */
	if (!ok(r.x[0]))
		return;
	if (r.x[1] <= base || r.x[1] > top)
		fz_fail("RTT_INIT_RIPAS returned top %#llx for [%#llx, %#llx)",
			(unsigned long long)r.x[1], (unsigned long long)base,
			(unsigned long long)top);
	fz_post_init_ripas(rd, base, r.x[1]);
}

static void op_data_create(struct in *in, bool law, bool unknown)
{
	uint64_t rd = rd_arg(in), data = pa_arg(in, GRANULE_STATE_DELEGATED);
	uint64_t ipa = ipa_arg(in, rd, 3), x0, src = 0, flags;
	struct smc_result r, before = fz_read(rd, ipa, 3);

	if (unknown) {
		x0 = fz_call(RMI_DATA_CREATE_UNKNOWN, rd, data, ipa, 0, 0).x[0];
	} else {
		src = u8(in) < 224 ? fz.src.v : pa_arg(in, GRANULE_STATE_NS);
		flags = u8(in) % 3;
		x0 = fz_call(RMI_DATA_CREATE, rd, data, ipa, src, flags).x[0];
	}
	if (!ok(x0))
		return;
	fz_post_data_create(rd, data, ipa, src, (unsigned int)before.x[4]);
	if (!law)
		return;
	r = fz_call(RMI_DATA_DESTROY, rd, ipa, 0, 0, 0);
	fz_expect(r.x[0], RMI_SUCCESS, 0, "DATA_DESTROY after DATA_CREATE");
	if (r.x[1] != data)
		fz_fail("DATA_DESTROY after DATA_CREATE returned %#llx, not %#llx",
			(unsigned long long)r.x[1], (unsigned long long)data);
}

static void op_data_destroy(struct in *in)
{
	uint64_t rd = rd_arg(in), ipa = ipa_arg(in, rd, 3);
	struct smc_result before = fz_read(rd, ipa, 3), r;

	r = fz_call(RMI_DATA_DESTROY, rd, ipa, 0, 0, 0);
	if (ok(r.x[0]))
		fz_post_data_destroy(rd, ipa, r, before);
}

static void op_pending(struct in *in)
{
	uint64_t rec = pa_arg(in, GRANULE_STATE_REC), rd;

	if (u8(in) & 1) {
		fz_call(RMI_PSCI_COMPLETE, rec, pa_arg(in, GRANULE_STATE_REC), u8(in) % 8, 0, 0);
		return;
	}
	rd = rd_arg(in);
	fz_call(RMI_RTT_SET_RIPAS, rd, rec, ipa_arg(in, rd, 3), ipa_arg(in, rd, 3), 0);
}

/* Any command but REC_ENTER, with arguments from the pools or raw. */
static void op_raw(struct in *in)
{
	static const uint64_t fids[] = {
#define FZ_FID(name, id, n_in, n_out) id,
		RMI_COMMAND_LIST(FZ_FID)
#undef FZ_FID
	};
	uint64_t fid = fids[u8(in) % (sizeof(fids) / sizeof(fids[0]))], a[5];

	if (fid == RMI_REC_ENTER)
		fid = RMI_REC_DESTROY;
	for (int i = 0; i < 5; i++) {
		uint8_t b = u8(in);

		a[i] = b < 128	 ? pa_arg(in, (enum granule_state)(b % GRANULE_STATE_COUNT))
		       : b < 192 ? (uint64_t)(b - 128)
				 : u64(in);
	}
	fz_call(fid, a[0], a[1], a[2], a[3], a[4]);
}

/* RTT_CREATE from the level below the root down to `level` over one IPA. */
static void op_rtts_down(struct in *in)
{
	uint64_t rd = rd_arg(in);
	struct geom g = geom_of(rd);
	int64_t to = level_arg(in, g.sl + 1, 3);
	uint64_t ipa = ipa_arg(in, rd, 3);
	unsigned int k = u8(in);

	for (int l = g.sl + 1; l <= to && l <= 3; l++)
		fz_call(RMI_RTT_CREATE, rd, pick_state(GRANULE_STATE_DELEGATED, k++).v,
			ipa & ~(s2tt_entry_size(l - 1) - 1), (uint64_t)l, 0);
}

/*
 * A whole level-3 RTT of DATA over a 2 MiB-aligned run of granules (so that
 * RTT_FOLD can make an ASSIGNED level-2 block and RTT_CREATE unfold it,
 * s11.5): RTTs down to level 3, then 512 DELEGATE and DATA_CREATE_UNKNOWN
 * in light mode, then the invariants.
 */
static void op_populate_block(struct in *in)
{
	uint64_t rd = rd_arg(in);
	struct geom g = geom_of(rd);
	uint64_t ipa = ipa_arg(in, rd, 2) & ~(s2tt_entry_size(2) - 1);
	unsigned int k = u8(in);

	if (state_of(pa_of(rd)) != GRANULE_STATE_RD)
		return;
	for (int l = g.sl + 1; l <= 3; l++)
		fz_call(RMI_RTT_CREATE, rd, pick_state(GRANULE_STATE_DELEGATED, k++).v,
			ipa & ~(s2tt_entry_size(l - 1) - 1), (uint64_t)l, 0);
	fz_set_light(true);
	for (unsigned int i = 0; i < FZ_BLOCK_PAGES; i++) {
		pa_t pa = pa_add(fz.block, i * GRANULE_SIZE);

		if (state_of(pa) == GRANULE_STATE_NS)
			fz_call(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0, 0);
		fz_call(RMI_DATA_CREATE_UNKNOWN, rd, pa.v, ipa + i * GRANULE_SIZE, 0, 0);
	}
	fz_set_light(false);
}

static void op_misc(struct in *in, enum op op)
{
	if (op == OP_VERSION_FEATURES) {
		uint8_t b = u8(in);

		fz_call(RMI_VERSION, b & 1 ? RMI_ABI_VERSION : u64(in), 0, 0, 0, 0);
		fz_call(RMI_FEATURES, b & 2 ? b >> 6 : u64(in), 0, 0, 0, 0);
	} else if (op == OP_PENDING) {
		op_pending(in);
	} else if (op == OP_INJECT_GTSI) {
		/* EL3 refuses the next 1..3 GTSI requests (reset by the teardown). */
		el3_inject_gtsi_failures(1 + u8(in) % 3);
	} else if (op == OP_RAW) {
		op_raw(in);
	} else if (op == OP_POPULATE_BLOCK) {
		op_populate_block(in);
	} else {
		op_rtts_down(in);
	}
}

static void run_op(struct in *in)
{
	uint8_t b = u8(in);
	enum op op = (enum op)((b & 0x1f) % OP_COUNT);
	bool law = b & 0x80, alt = b & 0x40;

	switch (op) {
	case OP_DELEGATE:
	case OP_UNDELEGATE:
		op_delegate(in, law, op == OP_UNDELEGATE);
		break;
	case OP_DELEGATE_RANGE:
		op_delegate_range(in);
		break;
	case OP_REALM_CREATE:
		op_realm_create(in, law);
		break;
	case OP_REALM_ACTIVATE:
		op_rd_cmd(in, RMI_REALM_ACTIVATE);
		break;
	case OP_REALM_DESTROY:
		op_rd_cmd(in, RMI_REALM_DESTROY);
		break;
	case OP_REC_AUX_COUNT:
		op_rd_cmd(in, RMI_REC_AUX_COUNT);
		break;
	case OP_REC_CREATE:
		op_rec_create(in, law);
		break;
	case OP_REC_DESTROY:
		fz_call(RMI_REC_DESTROY, pa_arg(in, GRANULE_STATE_REC), 0, 0, 0, 0);
		break;
	case OP_RTT_CREATE:
		op_rtt_create(in, law, alt);
		break;
	case OP_RTT_DESTROY:
		op_rtt_structure(in, RMI_RTT_DESTROY);
		break;
	case OP_RTT_FOLD:
		op_rtt_structure(in, RMI_RTT_FOLD);
		break;
	case OP_RTT_READ_ENTRY:
		op_read_entry(in);
		break;
	case OP_MAP_UNPROTECTED:
	case OP_UNMAP_UNPROTECTED:
		op_map(in, law, op == OP_UNMAP_UNPROTECTED);
		break;
	case OP_INIT_RIPAS:
		op_init_ripas(in);
		break;
	case OP_DATA_CREATE:
	case OP_DATA_CREATE_UNKNOWN:
		op_data_create(in, law, op == OP_DATA_CREATE_UNKNOWN);
		break;
	case OP_DATA_DESTROY:
		op_data_destroy(in);
		break;
	default:
		op_misc(in, op);
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_machine_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };

	fz_machine_init();
	/* The same source page for every input (an input may have undelegated it). */
	memset(platform_ns_ptr(fz.src), 0xa5, GRANULE_SIZE);
	for (unsigned int i = 0; i < FZ_MAX_OPS && in.n; i++)
		run_op(&in);
	fz_teardown();
	return 0;
}
