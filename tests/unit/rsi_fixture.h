/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fixture of the RSI handler tests (test_rsi.c, test_rsi_attest.c): an
 * ACTIVE realm built through the RMI as a host builds it, RECs created
 * through the RMI, and a real CPU engine onto which a REC is "entered" the
 * way REC_ENTER does it (running reference taken under the REC lock,
 * registers and stage 2 loaded), so that rsi_handle() runs against real
 * registers, the realm's real RTTs and DATA granules, and the RD lock.
 *
 * Realm (failure-conditions s1.3 defaults: IPA width 40, start level 0, one
 * root RTT; SHA-256 or SHA-512; RPV = 0xA0 + i at byte i):
 *   [0, 2 MB)   level-3 RTT:
 *               pages 0..7    ASSIGNED/RAM (the RSI buffers)
 *               pages 8..13   UNASSIGNED/RAM (unmapped: stage-2 abort exit)
 *               page 14       ASSIGNED/DESTROYED
 *               page 15       UNASSIGNED/DESTROYED
 *               page 16       UNASSIGNED/EMPTY
 *               page 17       ASSIGNED/EMPTY
 *               pages 18..511 UNASSIGNED/EMPTY
 *   [2, 4 MB)   level-2 entry UNASSIGNED/RAM
 *   [4, 6 MB)   level-2 entry UNASSIGNED/EMPTY
 *   [6, 8 MB)   level-3 RTT, all UNASSIGNED/EMPTY
 *   [8 MB, 1 GB) level-2 entries UNASSIGNED/EMPTY; [1 GB, 2^39) level 1
 * RECs 0 and 1, RUNNABLE.
 */
#ifndef REALMKIT_TEST_RSI_FIXTURE_H
#define REALMKIT_TEST_RSI_FIXTURE_H

#include <string.h>

#include <realmkit/abi/rsi.h>
#include <realmkit/abi/smccc.h>

#include "engine.h"
#include "rec_data_fixture.h"
#include "rec_run.h"

#define RS_PAGE(n)   ((uint64_t)(n)*GRANULE_SIZE)
#define RS_MB(n)     ((uint64_t)(n) << 20)
#define RS_NRECS     2u
#define RS_X4_MAGIC  0x4444444444444444ULL
#define RS_PAR_LIMIT (1ULL << (FX_S2SZ - 1)) /* the first unprotected IPA */

struct rs_realm {
	struct fx_realm r;
	pa_t rec[RS_NRECS];
	pa_t data[8]; /* DATA granules of pages 0..7 */
	uint8_t rpv[64];
};

/* A REC entered onto an engine, as the run loop holds it (rec_run.h). */
struct rs_run {
	struct rec_ctx ctx;
	struct rmi_rec_exit exit;
	struct engine *engine;
	uint64_t regs[REC_NUM_GPRS]; /* X0..X30 as set by the last rs_call() */
	uint64_t pc;
	uint64_t seq; /* calls made: varies the register pattern */
};

static inline pa_t rs_data_unknown(const struct rs_realm *p, uint64_t ipa)
{
	pa_t d = fx_delegated();

	assert_rmi(fx_data_create_unknown(&p->r, d, ipa), RMI_SUCCESS, 0);
	return d;
}

/* REALM_CREATE with the fixture's RPV (rec_data_fixture's realms have a zero RPV). */
static inline void rs_realm_create(struct rs_realm *p, unsigned int alg)
{
	static uint16_t vmid = 100;
	pa_t params = fx_ns();
	struct rmi_realm_params *rp = platform_ns_ptr(params);

	p->r.rd = fx_delegated();
	p->r.root = fx_delegated();
	p->r.alg = alg;
	for (unsigned int i = 0; i < sizeof(p->rpv); i++)
		p->rpv[i] = (uint8_t)(0xA0 + i);
	memset(rp, 0, sizeof(*rp));
	rp->s2sz = FX_S2SZ;
	rp->num_bps = 2; /* as rec_data_fixture.h: RMI_FEATURES' minimum */
	rp->num_wps = 2;
	rp->algorithm = (uint8_t)alg;
	memcpy(rp->rpv, p->rpv, sizeof(p->rpv));
	rp->vmid = vmid;
	vmid = (uint16_t)(vmid % 250 + 1);
	rp->rtt_base = p->r.root.v;
	rp->rtt_level_start = 0;
	rp->rtt_num_start = 1;
	assert_rmi(fx_rmi(RMI_REALM_CREATE, p->r.rd.v, params.v, 0, 0, 0), RMI_SUCCESS, 0);
	host_page_free(params);
}

/* The realm of the file comment, ACTIVE. */
static inline void rs_realm_make(struct rs_realm *p, unsigned int alg)
{
	uint64_t top;

	memset(p, 0, sizeof(*p));
	rs_realm_create(p, alg);
	fx_rtts(&p->r, 0, 3);
	assert_rmi(fx_init_ripas(&p->r, 0, RS_PAGE(16), &top), RMI_SUCCESS, 0);
	assert_int_equal(top, RS_PAGE(16));
	/* s11.3: a level-2 entry processed as one unit. */
	assert_rmi(fx_init_ripas(&p->r, RS_MB(2), RS_MB(4), &top), RMI_SUCCESS, 0);
	assert_int_equal(top, RS_MB(4));
	assert_rmi(fx_rtt_create(&p->r, RS_MB(6), 3), RMI_SUCCESS, 0);
	for (unsigned int i = 0; i < RS_NRECS; i++)
		p->rec[i] = fx_new_rec(&p->r, RMI_RUNNABLE);
	assert_rmi(fx_rmi(RMI_REALM_ACTIVATE, p->r.rd.v, 0, 0, 0, 0), RMI_SUCCESS, 0);
	/* s11.1 DATA_CREATE_UNKNOWN keeps the RIPAS: RAM -> ASSIGNED/RAM. */
	for (unsigned int i = 0; i < 8; i++)
		p->data[i] = rs_data_unknown(p, RS_PAGE(i));
	/* ASSIGNED/RAM -> DATA_DESTROY -> UNASSIGNED/DESTROYED (-> ASSIGNED/DESTROYED). */
	for (unsigned int i = 14; i <= 15; i++) {
		rs_data_unknown(p, RS_PAGE(i));
		assert_rmi(fx_data_destroy(&p->r, RS_PAGE(i)).x[0], RMI_SUCCESS, 0);
	}
	rs_data_unknown(p, RS_PAGE(14));
	rs_data_unknown(p, RS_PAGE(17));
	fx_assert_entry(&p->r, RS_PAGE(13), RMI_UNASSIGNED, 0, RMI_RAM);
	fx_assert_entry(&p->r, RS_PAGE(15), RMI_UNASSIGNED, 0, RMI_DESTROYED);
	assert_int_equal(fx_read_entry(&p->r, RS_PAGE(14), 3).x[4], RMI_DESTROYED);
	assert_int_equal(fx_read_entry(&p->r, RS_PAGE(17), 3).x[2], RMI_ASSIGNED);
}

/* Root-view pointer to the realm's protected IPA (must be ASSIGNED, a page). */
static inline uint8_t *rs_realm_ptr(const struct rs_realm *p, uint64_t ipa)
{
	struct smc_result e = fx_read_entry(&p->r, ipa & ~GRANULE_MASK, 3);

	assert_rmi(e.x[0], RMI_SUCCESS, 0);
	assert_int_equal(e.x[1], 3);
	assert_int_equal(e.x[2], RMI_ASSIGNED);
	return (uint8_t *)platform_root_ptr(pa_of(e.x[3])) + (ipa & GRANULE_MASK);
}

/* Enters REC i onto `engine` as REC_ENTER does (running reference, registers, stage 2). */
static inline void rs_enter(struct rs_run *run, const struct rs_realm *p, unsigned int i,
			    struct engine *engine)
{
	struct granule *g_rec = find_granule(p->rec[i]);

	memset(run, 0, sizeof(*run));
	granule_lock(g_rec);
	assert_int_equal(granule_refcount_read(g_rec), 0);
	granule_refcount_inc(g_rec);
	granule_unlock(g_rec);
	fx_engine_load_rec(engine, rec_of(g_rec), engine_vttbr(p->r.root, fx_rd(&p->r)->vmid),
			   engine_vtcr(FX_S2SZ, 0));
	run->engine = engine;
	run->pc = rec_of(g_rec)->pc;
	fx_rec_ctx(&run->ctx, g_rec, p->r.rd, engine, &run->exit);
}

/* Leaves the REC as the run loop does at an exit (registers saved, reference dropped). */
static inline void rs_leave(struct rs_run *run)
{
	struct engine_cpu_state s;

	engine_save(run->engine, &s);
	memcpy(run->ctx.rec->gprs, s.x, sizeof(run->ctx.rec->gprs));
	granule_refcount_dec_release(run->ctx.g_rec);
}

/*
 * One SMC from the entered REC: X0 = fid, X1..X10 = a[0..9] (NULL: zero),
 * X11..X30 and X4.. beyond the arguments a per-call pattern; ctx->exit
 * zeroed first (the run loop zeroes it at entry). Returns rsi_handle's
 * outcome; run->regs holds what the registers were before the call.
 */
static inline enum rec_smc_outcome rs_call(struct rs_run *run, uint64_t fid, const uint64_t *a,
					   unsigned int na)
{
	run->seq++;
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++)
		run->regs[i] = (0x0101010101010101ULL * (i + 1)) ^ (run->seq << 40);
	run->regs[0] = fid;
	for (unsigned int i = 0; i < na; i++)
		run->regs[1 + i] = a[i];
	if (na < 4)
		run->regs[4] = RS_X4_MAGIC;
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++)
		rec_set_x(&run->ctx, i, run->regs[i]);
	memset(&run->exit, 0, sizeof(run->exit));
	return rsi_handle(&run->ctx, fid);
}

/* rs_call with up to three arguments. */
static inline enum rec_smc_outcome rs_call3(struct rs_run *run, uint64_t fid, uint64_t a1,
					    uint64_t a2, uint64_t a3)
{
	const uint64_t a[3] = { a1, a2, a3 };

	return rs_call(run, fid, a, 3);
}

static inline uint64_t rs_x(const struct rs_run *run, unsigned int n)
{
	return rec_x(&run->ctx, n);
}

/*
 * rmm-v1.0.md s1 register convention after a call that returned to the
 * realm: X0 = status, X1..X3 = out[0..2] (0 for undefined outputs), X4..X30
 * unchanged (from X9 when nout8 is true: MEASUREMENT_READ writes X1..X8),
 * PC untouched by the handler (the run loop advances it), exit untouched.
 */
static inline void rs_assert_regs(const struct rs_run *run, uint64_t x0, uint64_t x1, uint64_t x2,
				  uint64_t x3, bool nout8)
{
	static const struct rmi_rec_exit zero_exit;

	assert_int_equal(rs_x(run, 0), x0);
	assert_int_equal(rs_x(run, 1), x1);
	assert_int_equal(rs_x(run, 2), x2);
	assert_int_equal(rs_x(run, 3), x3);
	for (unsigned int i = nout8 ? 9 : 4; i < REC_NUM_GPRS; i++)
		assert_int_equal(rs_x(run, i), run->regs[i]);
	assert_int_equal(engine_get_pc(run->engine), run->pc);
	assert_memory_equal(&run->exit, &zero_exit, sizeof(zero_exit));
}

/* Every register as before the call (exits without results, s12.5, s12.6). */
static inline void rs_assert_regs_unchanged(const struct rs_run *run)
{
	for (unsigned int i = 0; i < REC_NUM_GPRS; i++)
		assert_int_equal(rs_x(run, i), run->regs[i]);
	assert_int_equal(engine_get_pc(run->engine), run->pc);
}

/*
 * rmm-v1.0.md s12.2 / s12.6 emulated stage-2 abort for an RSI buffer: SYNC,
 * ESR = EC 0x24 (data abort from a lower EL) | DFSC translation fault at the
 * walk level (0x04 + level), no ISV; FAR 0; HPFAR = X1 >> 8; registers and
 * PC as before (the SMC is executed again).
 */
static inline void rs_assert_s2_abort(const struct rs_run *run, enum rec_smc_outcome out,
				      uint64_t x1, int level)
{
	assert_int_equal(out, REC_SMC_EXIT_REPEAT);
	assert_int_equal(run->exit.exit_reason, RMI_EXIT_SYNC);
	assert_int_equal(run->exit.esr, (0x24ULL << 26) | (0x04ULL + (uint64_t)level));
	assert_int_equal(run->exit.far, 0);
	assert_int_equal(run->exit.hpfar, x1 >> 8);
	rs_assert_regs_unchanged(run);
}

#endif /* REALMKIT_TEST_RSI_FIXTURE_H */
