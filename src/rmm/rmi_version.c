/* SPDX-License-Identifier: BSD-3-Clause */
/* RMI_VERSION and RMI_FEATURES (rmm-v1.0.md s4, s5; failure-conditions s2.1, s2.2). */
#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "rmm_priv.h"

/*
 * The platform this RMM runs on: realms of up to 44 IPA bits (the CPU
 * engine's physical address size is 44 bits, so it faults every stage-2
 * walk of a wider IPA space, although the platform's PA width is 48), no LPA2 (the engine's MMU
 * reports no FEAT_LPA2), no SVE and no PMU for realms (the engine's CPU
 * model has neither in a form the RMM can context-switch), the Cortex-A72's
 * 6 breakpoints and 4 watchpoints, 16 GICv3 list registers, both hashes,
 * and 2^10 - 1 RECs per realm (the width of the reference count).
 */
#define RMM_MAX_IPA_WIDTH 44
#define RMM_NUM_BPS	  6
#define RMM_NUM_WPS	  4
#define RMM_GIC_NUM_LRS	  16
#define RMM_MAX_RECS_ORD  10

uint64_t rmm_feature_register0(void)
{
	uint64_t v = 0;

	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_S2SZ_SHIFT, RMI_FEATURE_REGISTER_0_S2SZ_WIDTH,
			  RMM_MAX_IPA_WIDTH);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_NUM_BPS_SHIFT,
			  RMI_FEATURE_REGISTER_0_NUM_BPS_WIDTH, RMM_NUM_BPS - 1);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_NUM_WPS_SHIFT,
			  RMI_FEATURE_REGISTER_0_NUM_WPS_WIDTH, RMM_NUM_WPS - 1);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_HASH_SHA_256_SHIFT,
			  RMI_FEATURE_REGISTER_0_HASH_SHA_256_WIDTH, 1);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_HASH_SHA_512_SHIFT,
			  RMI_FEATURE_REGISTER_0_HASH_SHA_512_WIDTH, 1);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_SHIFT,
			  RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_WIDTH, RMM_GIC_NUM_LRS - 1);
	v = rmi_field_set(v, RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT,
			  RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_WIDTH, RMM_MAX_RECS_ORD);
	return v;
}

/* DEN0137 1.0 B3.3.x RMI_VERSION: lower = higher = the one implemented revision. */
void smc_version(const uint64_t args[6], struct smc_result *res)
{
	res->x[0] = rmi_ret(args[0] == RMI_ABI_VERSION ? RMI_SUCCESS : RMI_ERROR_INPUT, 0);
	res->x[1] = RMI_ABI_VERSION;
	res->x[2] = RMI_ABI_VERSION;
}

/* RMI_FEATURES: register 0 as above; every other index reads 0. Always SUCCESS. */
void smc_features(const uint64_t args[6], struct smc_result *res)
{
	res->x[0] = rmi_ret(RMI_SUCCESS, 0);
	res->x[1] = args[0] == 0 ? rmm_feature_register0() : 0;
}
