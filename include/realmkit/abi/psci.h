/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI functions the RMM emulates for realms.
 *
 * Source of truth: rmm-v1.0.md s1 (PSCI FID ranges), s2 (return codes,
 * AFFINITY_INFO results), s7 (function table and behaviour). Function IDs not
 * named in s7.1 (MIGRATE, SYSTEM_SUSPEND, ...) are the PSCI 1.1 (Arm DEN0022)
 * values; the RMM answers them with PSCI_RET_NOT_SUPPORTED.
 */
#ifndef REALMKIT_ABI_PSCI_H
#define REALMKIT_ABI_PSCI_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smccc.h"

/* rmm-v1.0.md s7.1: PSCI_VERSION returns 1.1. */
#define PSCI_VERSION_1_1 0x10001u

/* rmm-v1.0.md s1: PSCI is 0x84000000 + n (SMC32) or 0xC4000000 + n (SMC64). */
#define PSCI_FID_SMC32_BASE 0x84000000u
#define PSCI_FID_SMC64_BASE 0xC4000000u
#define PSCI_FNUM_MAX	    0x14u

static_assert(PSCI_FID_SMC32_BASE == SMCCC_STD_FID32(0), "rmm-v1.0.md s1: PSCI SMC32 base");
static_assert(PSCI_FID_SMC64_BASE == SMCCC_STD_FID64(0), "rmm-v1.0.md s1: PSCI SMC64 base");

/* Implemented by the RMM (rmm-v1.0.md s7.1). */
#define PSCI_VERSION	      0x84000000u
#define PSCI_CPU_SUSPEND_32   0x84000001u
#define PSCI_CPU_SUSPEND_64   0xC4000001u
#define PSCI_CPU_OFF	      0x84000002u
#define PSCI_CPU_ON_32	      0x84000003u
#define PSCI_CPU_ON_64	      0xC4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xC4000004u
#define PSCI_SYSTEM_OFF	      0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FEATURES	      0x8400000Au

/* Not implemented: answered with NOT_SUPPORTED (rmm-v1.0.md s7.1 last row). */
#define PSCI_MIGRATE_32			0x84000005u
#define PSCI_MIGRATE_64			0xC4000005u
#define PSCI_MIGRATE_INFO_TYPE		0x84000006u
#define PSCI_MIGRATE_INFO_UP_CPU_32	0x84000007u
#define PSCI_MIGRATE_INFO_UP_CPU_64	0xC4000007u
#define PSCI_CPU_FREEZE			0x8400000Bu
#define PSCI_CPU_DEFAULT_SUSPEND_32	0x8400000Cu
#define PSCI_CPU_DEFAULT_SUSPEND_64	0xC400000Cu
#define PSCI_NODE_HW_STATE_32		0x8400000Du
#define PSCI_NODE_HW_STATE_64		0xC400000Du
#define PSCI_SYSTEM_SUSPEND_32		0x8400000Eu
#define PSCI_SYSTEM_SUSPEND_64		0xC400000Eu
#define PSCI_SET_SUSPEND_MODE		0x8400000Fu
#define PSCI_STAT_RESIDENCY_32		0x84000010u
#define PSCI_STAT_RESIDENCY_64		0xC4000010u
#define PSCI_STAT_COUNT_32		0x84000011u
#define PSCI_STAT_COUNT_64		0xC4000011u
#define PSCI_SYSTEM_RESET2_32		0x84000012u
#define PSCI_SYSTEM_RESET2_64		0xC4000012u
#define PSCI_MEM_PROTECT		0x84000013u
#define PSCI_MEM_PROTECT_CHECK_RANGE_32 0x84000014u
#define PSCI_MEM_PROTECT_CHECK_RANGE_64 0xC4000014u

/* rmm-v1.0.md s2: PSCI return codes, as the signed value in X0. */
#define PSCI_RET_SUCCESS	  ((int64_t)0)
#define PSCI_RET_NOT_SUPPORTED	  ((int64_t)-1)
#define PSCI_RET_INVALID_PARAMS	  ((int64_t)-2)
#define PSCI_RET_DENIED		  ((int64_t)-3)
#define PSCI_RET_ALREADY_ON	  ((int64_t)-4)
#define PSCI_RET_ON_PENDING	  ((int64_t)-5)
#define PSCI_RET_INTERNAL_FAILURE ((int64_t)-6)
#define PSCI_RET_NOT_PRESENT	  ((int64_t)-7)
#define PSCI_RET_DISABLED	  ((int64_t)-8)
#define PSCI_RET_INVALID_ADDRESS  ((int64_t)-9)

/* rmm-v1.0.md s2: AFFINITY_INFO results (the RMM returns only ON and OFF). */
#define PSCI_AFFINITY_ON	 0
#define PSCI_AFFINITY_OFF	 1
#define PSCI_AFFINITY_ON_PENDING 2

/*
 * rmm-v1.0.md s1: SMC32 0x84000000 + n or SMC64 0xC4000000 + n with
 * n <= 0x14. Clear the SVE hint (smccc_clear_sve_hint) before asking.
 */
static inline __attribute__((unused)) bool psci_is_psci_fid(uint32_t fid)
{
	uint32_t base = fid & ~SMCCC_FNUM_MASK;

	return (base == PSCI_FID_SMC32_BASE || base == PSCI_FID_SMC64_BASE) &&
	       smccc_fnum(fid) <= PSCI_FNUM_MAX;
}

/* A PSCI return code as the X0 value written back to the realm. */
static inline __attribute__((unused)) uint64_t psci_ret_to_x0(int64_t ret)
{
	return (uint64_t)ret;
}

#endif /* REALMKIT_ABI_PSCI_H */
