/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Post-conditions of successful RMI commands for the RMI fuzzer: what the
 * specification says the state is after each command succeeds, observed
 * through RTT_READ_ENTRY (itself a checked call) and the granule views.
 * A wrong success -- a command that returns SUCCESS but did something else
 * -- aborts like any other finding.
 */
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "fuzz_rmi.h"
#include "granule.h"
#include "platform_root.h"

static const uint8_t zero_page[GRANULE_SIZE];

struct smc_result fz_read(uint64_t rd, uint64_t ipa, int64_t level)
{
	return fz_call(RMI_RTT_READ_ENTRY, rd, ipa, (uint64_t)level, 0, 0);
}

static void post_fail(const char *cmd, uint64_t ipa, int64_t level, const char *what,
		      struct smc_result e)
{
	fz_fail("post-condition of %s at IPA %#llx level %lld: %s (READ_ENTRY %#llx: level "
		"%lld state %llu desc %#llx ripas %llu)",
		cmd, (unsigned long long)ipa, (long long)level, what, (unsigned long long)e.x[0],
		(long long)e.x[1], (unsigned long long)e.x[2], (unsigned long long)e.x[3],
		(unsigned long long)e.x[4]);
}

/* READ_ENTRY at (ipa, level) succeeds and stops at `level`. */
static struct smc_result read_at(const char *cmd, uint64_t rd, uint64_t ipa, int64_t level)
{
	struct smc_result e = fz_read(rd, ipa, level);

	if (e.x[0] != rmi_pack(RMI_SUCCESS, 0) || (int64_t)e.x[1] != level)
		post_fail(cmd, ipa, level, "the walk does not reach the level", e);
	return e;
}

static enum granule_state state_at(uint64_t pa)
{
	struct granule *g = find_granule(pa_of(pa));

	return g ? granule_get_state(g) : GRANULE_STATE_COUNT;
}

/* s11.5: the parent entry is TABLE naming the new RTT; the walk now reaches level. */
void fz_post_rtt_create(uint64_t rd, uint64_t rtt, uint64_t ipa, int64_t level)
{
	struct smc_result e = read_at("RTT_CREATE", rd, ipa, level - 1);

	if (e.x[2] != RMI_TABLE || e.x[3] != rtt)
		post_fail("RTT_CREATE", ipa, level - 1, "parent is not TABLE -> rtt", e);
	read_at("RTT_CREATE", rd, ipa, level);
}

/*
 * s11.8 / failure-conditions s2.13: X1 = the RTT, now DELEGATED; the parent
 * entry is UNASSIGNED with RIPAS DESTROYED in PAR (UNASSIGNED_NS outside,
 * read as RIPAS EMPTY); X2 (top) lies beyond ipa.
 */
void fz_post_rtt_destroy(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r, bool in_par)
{
	struct smc_result e = read_at("RTT_DESTROY", rd, ipa, level - 1);

	if (state_at(r.x[1]) != GRANULE_STATE_DELEGATED)
		post_fail("RTT_DESTROY", ipa, level, "X1 is not a DELEGATED granule", e);
	if (e.x[2] != RMI_UNASSIGNED || e.x[4] != (in_par ? RMI_DESTROYED : RMI_EMPTY))
		post_fail("RTT_DESTROY", ipa, level - 1, "parent not UNASSIGNED/DESTROYED", e);
	if (r.x[2] <= ipa)
		post_fail("RTT_DESTROY", ipa, level, "top not beyond ipa", r);
}

/*
 * failure-conditions s2.14: X1 = the folded RTT, now DELEGATED; the parent
 * entry's state, descriptor and RIPAS equal the pre-fold child entry at ipa.
 */
void fz_post_rtt_fold(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r,
		      struct smc_result child)
{
	struct smc_result e = read_at("RTT_FOLD", rd, ipa, level - 1);

	if (state_at(r.x[1]) != GRANULE_STATE_DELEGATED)
		post_fail("RTT_FOLD", ipa, level, "X1 is not a DELEGATED granule", e);
	if (e.x[2] != child.x[2] || e.x[3] != child.x[3] || e.x[4] != child.x[4])
		post_fail("RTT_FOLD", ipa, level - 1, "parent differs from the old child entry", e);
}

/* s11.4/s11.6: ASSIGNED, exactly the host's descriptor, RIPAS EMPTY (NS). */
void fz_post_map(uint64_t rd, uint64_t ipa, int64_t level, uint64_t desc)
{
	struct smc_result e = read_at("RTT_MAP_UNPROTECTED", rd, ipa, level);

	if (e.x[2] != RMI_ASSIGNED || e.x[3] != desc || e.x[4] != RMI_EMPTY)
		post_fail("RTT_MAP_UNPROTECTED", ipa, level, "not ASSIGNED with the descriptor", e);
}

/* s11.6: UNASSIGNED_NS again; X1 (top) beyond ipa. */
void fz_post_unmap(uint64_t rd, uint64_t ipa, int64_t level, struct smc_result r)
{
	struct smc_result e = read_at("RTT_UNMAP_UNPROTECTED", rd, ipa, level);

	if (e.x[2] != RMI_UNASSIGNED || r.x[1] <= ipa)
		post_fail("RTT_UNMAP_UNPROTECTED", ipa, level, "not UNASSIGNED (or top)", e);
}

/*
 * s11.1 / s4: ASSIGNED at level 3 naming data; DATA_CREATE: RIPAS RAM and
 * the contents of src; DATA_CREATE_UNKNOWN: RIPAS unchanged, contents zero.
 */
void fz_post_data_create(uint64_t rd, uint64_t data, uint64_t ipa, uint64_t src,
			 unsigned int ripas_before)
{
	struct smc_result e = read_at("DATA_CREATE", rd, ipa, 3);
	const void *content = platform_root_ptr(pa_of(data));
	const void *want = src ? platform_root_ptr(pa_of(src)) : zero_page;

	if (e.x[2] != RMI_ASSIGNED || e.x[3] != data ||
	    e.x[4] != (src ? (uint64_t)RMI_RAM : ripas_before))
		post_fail("DATA_CREATE", ipa, 3, "not ASSIGNED to data with the right RIPAS", e);
	if (state_at(data) != GRANULE_STATE_DATA || memcmp(content, want, GRANULE_SIZE) != 0)
		post_fail("DATA_CREATE", ipa, 3, "data granule state or contents", e);
}

/*
 * s11.1 / failure-conditions s2.20: X1 = the old output address, now a
 * zeroed DELEGATED granule; RAM -> UNASSIGNED/DESTROYED, EMPTY and
 * DESTROYED unchanged; X2 (top) beyond ipa.
 */
void fz_post_data_destroy(uint64_t rd, uint64_t ipa, struct smc_result r, struct smc_result before)
{
	struct smc_result e = read_at("DATA_DESTROY", rd, ipa, 3);
	uint64_t ripas = before.x[4] == RMI_RAM ? RMI_DESTROYED : before.x[4];

	if (before.x[2] != RMI_ASSIGNED || (int64_t)before.x[1] != 3 || r.x[1] != before.x[3])
		post_fail("DATA_DESTROY", ipa, 3, "X1 is not the old output address", before);
	if (state_at(r.x[1]) != GRANULE_STATE_DELEGATED)
		post_fail("DATA_DESTROY", ipa, 3, "X1 is not DELEGATED", e);
	if (e.x[2] != RMI_UNASSIGNED || e.x[4] != ripas || r.x[2] <= ipa)
		post_fail("DATA_DESTROY", ipa, 3, "entry not UNASSIGNED with the RIPAS rule", e);
}

/* s11.3: every page of [base, X1) is UNASSIGNED with RIPAS RAM (first and last checked). */
void fz_post_init_ripas(uint64_t rd, uint64_t base, uint64_t done)
{
	uint64_t ipas[2] = { base, done - GRANULE_SIZE };

	for (int i = 0; i < 2; i++) {
		struct smc_result e = fz_read(rd, ipas[i], 3);

		if (e.x[0] != rmi_pack(RMI_SUCCESS, 0) || e.x[2] != RMI_UNASSIGNED ||
		    e.x[4] != RMI_RAM)
			post_fail("RTT_INIT_RIPAS", ipas[i], 3, "not UNASSIGNED/RAM", e);
	}
}

/* s9.1: an undelegated granule comes back to the host scrubbed. */
void fz_post_undelegate(uint64_t pa)
{
	const void *ns = platform_ns_ptr(pa_of(pa));

	if (state_at(pa) != GRANULE_STATE_NS || memcmp(ns, zero_page, GRANULE_SIZE) != 0)
		fz_fail("post-condition of UNDELEGATE %#llx: not NS or not zero",
			(unsigned long long)pa);
}
