/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE
 * (rmm-v1.0.md s4, s9.1; failure-conditions-v1.0.md s2.3, s2.4).
 */
#include <realmkit/abi/rmi.h>

#include "granule.h"
#include "platform_root.h"
#include "rmm_priv.h"

/*
 * Priority (CBMC tb_rmi_granule_delegate): gran_align < gran_bound <
 * gran_state < gran_gpt. find_lock_granule checks the first three in that
 * order; EL3 refusing the PAS change is gran_gpt.
 */
void smc_granule_delegate(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g = find_lock_granule(pa_of(args[0]), GRANULE_STATE_NS);

	if (!g) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	if (el3_gtsi_delegate(granule_addr(g)) != 0) {
		granule_unlock(g);
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* A DELEGATED granule is all zero while unlocked (rmm-v1.0.md s9.1). */
	granule_memzero(g);
	granule_unlock_transition(g, GRANULE_STATE_DELEGATED);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
}

/* Priority (CBMC tb_rmi_granule_undelegate): gran_align < gran_bound < gran_state. */
void smc_granule_undelegate(const uint64_t args[6], struct smc_result *res)
{
	struct granule *g = find_lock_granule(pa_of(args[0]), GRANULE_STATE_DELEGATED);

	if (!g) {
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	/* Scrub before the host can see it again. */
	granule_memzero(g);
	if (el3_gtsi_undelegate(granule_addr(g)) != 0) {
		/*
		 * TF-RMM panics here. realmkit keeps the granule DELEGATED (still
		 * zero, still Realm PAS) and reports the refusal to the host, which
		 * must then leak it: nothing is lost and nothing is exposed.
		 */
		granule_unlock(g);
		res->x[0] = rmi_ret(RMI_ERROR_INPUT, 0);
		return;
	}
	granule_unlock_transition(g, GRANULE_STATE_NS);
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
}
