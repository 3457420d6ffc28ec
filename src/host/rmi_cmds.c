/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's RMI call wrappers. */
#include <realmkit/platform.h>

#include "host_rmi.h"

uint64_t rmi_version(uint64_t requested, uint64_t *lower, uint64_t *higher)
{
	struct smc_result r = smc_call(RMI_VERSION, requested, 0, 0, 0, 0, 0);

	if (lower)
		*lower = r.x[1];
	if (higher)
		*higher = r.x[2];
	return r.x[0];
}

uint64_t rmi_features(uint64_t index, uint64_t *value)
{
	struct smc_result r = smc_call(RMI_FEATURES, index, 0, 0, 0, 0, 0);

	*value = r.x[1];
	return r.x[0];
}

uint64_t rmi_granule_delegate(pa_t pa)
{
	return smc_call(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}

uint64_t rmi_granule_undelegate(pa_t pa)
{
	return smc_call(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}
