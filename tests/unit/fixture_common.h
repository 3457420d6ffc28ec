/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the unit-test fixtures (rec_data_fixture.h,
 * rtt_fixture.h and those built on them): a fresh 64 MiB machine per test
 * (board + the host's NS page allocator), NS and delegated granules taken
 * through the RMI as a host takes them, the failure-conditions s1.3
 * canonical addresses, and white-box views of granules for post-conditions.
 */
#ifndef REALMKIT_TEST_FIXTURE_COMMON_H
#define REALMKIT_TEST_FIXTURE_COMMON_H

#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "board.h"
#include "engine.h"
#include "granule.h"
#include "host_rmi.h"
#include "platform_root.h"
#include "realm.h"
#include "rec.h"
#include "rec_run.h"
#include "rk_test.h"

#define FX_DRAM_SIZE (64ULL << 20)
#define FX_S2SZ	     40u
/* failure-conditions s1.3 canonical invalid addresses. */
#define FX_PA_MMIO    RK_NS_UART_PA
#define FX_PA_OOR     ((1ULL << RK_PA_WIDTH) + GRANULE_SIZE)
#define FX_IPA_UNPROT (1ULL << (FX_S2SZ - 1))
#define FX_IPA_OOR    (1ULL << FX_S2SZ)

/* Powers on a FX_DRAM_SIZE machine and the host's page allocator; 0 or -1. */
static inline int fx_machine_up(void)
{
	struct rk_platform_config cfg = { .dram_size = FX_DRAM_SIZE };

	if (board_power_on(&cfg, false) || host_pages_init())
		return -1;
	return 0;
}

/* cmocka teardown: the page allocator, then the machine. */
static inline int fx_teardown(void **state)
{
	(void)state;
	host_pages_fini();
	board_power_off();
	return 0;
}

/* A zeroed NS granule. */
static inline pa_t fx_ns(void)
{
	pa_t pa = host_page_alloc();

	assert_true(pa.v != 0);
	return pa;
}

/* A fresh granule delegated through RMI_GRANULE_DELEGATE. */
static inline pa_t fx_delegated(void)
{
	pa_t pa = fx_ns();

	assert_rmi(rmi_granule_delegate(pa), RMI_SUCCESS, 0);
	return pa;
}

/* failure-conditions s1.3 "PAS Secure": the first granule of the Secure carve-out. */
static inline pa_t fx_pa_secure(void)
{
	return pa_of(RK_DRAM_BASE + platform_dram_size() - RK_SECURE_CARVEOUT_SIZE);
}

static inline enum granule_state fx_state(pa_t pa)
{
	return granule_get_state(find_granule(pa));
}

static inline unsigned int fx_refcount(pa_t pa)
{
	return granule_refcount_read_acquire(find_granule(pa));
}

static inline bool fx_is_zero(pa_t pa)
{
	const uint8_t *p = platform_root_ptr(pa);

	for (size_t i = 0; i < GRANULE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/* White box: the REC in a REC granule (read while no command runs). */
static inline struct rec *fx_rec(pa_t rec)
{
	return rec_of(find_granule(rec));
}

/*
 * Loads a REC's registers (GPRs, PC, PSTATE, SCTLR_EL1, VMPIDR) and the
 * stage 2 (vttbr, vtcr) onto engine, as REC_ENTER does.
 */
static inline void fx_engine_load_rec(struct engine *engine, const struct rec *rec, uint64_t vttbr,
				      uint64_t vtcr)
{
	struct engine_cpu_state s;
	struct engine_stage2 s2;

	memset(&s, 0, sizeof(s));
	memcpy(s.x, rec->gprs, sizeof(s.x));
	s.pc = rec->pc;
	s.pstate = rec->pstate;
	s.el1.sctlr = rec->el1.sctlr_el1;
	s.vmpidr = rec->el1.vmpidr_el2;
	s2.vttbr = vttbr;
	s2.vtcr = vtcr;
	assert_int_equal(engine_load(engine, &s, &s2), 0);
}

/* Points ctx at an entered REC (g_rec, referenced), the RD at rd, engine and exit. */
static inline void fx_rec_ctx(struct rec_ctx *ctx, struct granule *g_rec, pa_t rd,
			      struct engine *engine, struct rmi_rec_exit *exit)
{
	ctx->rec = rec_of(g_rec);
	ctx->g_rec = g_rec;
	ctx->g_rd = find_granule(rd);
	ctx->rd = rd_of(ctx->g_rd);
	ctx->engine = engine;
	ctx->exit = exit;
}

#endif /* REALMKIT_TEST_FIXTURE_COMMON_H */
