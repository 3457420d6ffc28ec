/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RMI commands this RMM does not implement yet. Each answers exactly as an
 * unknown function ID does (X0 = SMC_UNKNOWN, rmm-v1.0.md s1), so a host
 * sees a consistent "not provided" and never a half-done command. README's
 * status table lists them. A command leaves this file when it is written.
 */
#include <realmkit/abi/smccc.h>

#include "rmm_priv.h"

#define RMI_NOT_PROVIDED(name)                                                             \
	void smc_##name(const uint64_t args[6], struct smc_result *res)                    \
	{                                                                                  \
		(void)args;                                                                \
		res->x[0] = SMC_UNKNOWN;                                                   \
	}

