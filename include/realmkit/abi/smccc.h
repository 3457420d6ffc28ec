/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SMC Calling Convention: function-ID fields and the values the RMM uses.
 *
 * Source of truth: rmm-v1.0.md s1 (SMCCC function-ID fields, RMI/RSI/PSCI
 * ranges, SMC_UNKNOWN). SMCCC itself is Arm DEN0028.
 */
#ifndef REALMKIT_ABI_SMCCC_H
#define REALMKIT_ABI_SMCCC_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* rmm-v1.0.md s1: SMCCC_VERSION is answered for realms with SMCCC 1.2. */
#define SMCCC_VERSION_FID 0x80000000u
#define SMCCC_VERSION_1_2 0x10002u

/*
 * rmm-v1.0.md s1: an RMI FID with no handler slot returns SMC_UNKNOWN; a realm
 * SMC that is not RSI, PSCI or SMCCC_VERSION returns SMCCC_NOT_SUPPORTED. Both
 * are -1 in X0.
 */
#define SMC_UNKNOWN	    ((uint64_t)-1)
#define SMCCC_NOT_SUPPORTED ((uint64_t)-1)

/*
 * Function-ID fields (rmm-v1.0.md s1, TF-RMM lib/smc/include/smc.h):
 *   [31]    call type, 1 = fast call
 *   [30]    calling convention, 1 = SMC64, 0 = SMC32
 *   [29:24] owning entity number (OEN)
 *   [23:17] must be zero
 *   [16]    SVE hint: the RMM clears it before decoding RMI, RSI and PSCI
 *   [15:0]  function number (FNUM)
 * The FID is passed in W0: the upper 32 bits of X0 are not part of it.
 */
#define SMCCC_FAST_CALL (1u << 31)
#define SMCCC_SMC64	(1u << 30)
#define SMCCC_OEN_SHIFT 24
#define SMCCC_OEN_MASK	0x3Fu
#define SMCCC_MBZ_MASK	0x00FE0000u
#define SMCCC_SVE_HINT	(1u << 16)
#define SMCCC_FNUM_MASK 0xFFFFu

/* Owning entity numbers used by realmkit. */
#define SMCCC_OEN_ARCH 0u
#define SMCCC_OEN_STD  4u

/* Build a fast-call FID: SMC32 (smc64 == 0) or SMC64 (smc64 == 1). */
#define SMCCC_FAST_FID(smc64, oen, fnum)                         \
	(SMCCC_FAST_CALL | ((smc64) ? SMCCC_SMC64 : 0u) |        \
	 (((uint32_t)(oen)&SMCCC_OEN_MASK) << SMCCC_OEN_SHIFT) | \
	 ((uint32_t)(fnum)&SMCCC_FNUM_MASK))

/* Standard Secure Service fast calls: RMI, RSI and PSCI all live here. */
#define SMCCC_STD_FID32(fnum) SMCCC_FAST_FID(0, SMCCC_OEN_STD, fnum)
#define SMCCC_STD_FID64(fnum) SMCCC_FAST_FID(1, SMCCC_OEN_STD, fnum)

static_assert(SMCCC_STD_FID64(0x150) == 0xC4000150u, "rmm-v1.0.md s1: RMI FID encoding");
static_assert(SMCCC_STD_FID32(0) == 0x84000000u, "rmm-v1.0.md s1: PSCI SMC32 FID encoding");
static_assert(SMCCC_FAST_FID(0, SMCCC_OEN_ARCH, 0) == SMCCC_VERSION_FID,
	      "rmm-v1.0.md s1: SMCCC_VERSION FID encoding");

/* Result registers of one SMC: x[0] is X0 (the status), up to X4. */
struct smc_result {
	uint64_t x[5];
};

static_assert(sizeof(struct smc_result) == 5 * sizeof(uint64_t), "smc_result: X0..X4");

/*
 * The helpers in these headers are static inline and marked unused because
 * clang warns about unused static functions when a header is compiled as the
 * main file (the "every header compiles on its own" check).
 */
static inline __attribute__((unused)) uint32_t smccc_fnum(uint32_t fid)
{
	return fid & SMCCC_FNUM_MASK;
}

static inline __attribute__((unused)) bool smccc_is_fast(uint32_t fid)
{
	return (fid & SMCCC_FAST_CALL) != 0;
}

static inline __attribute__((unused)) bool smccc_is_smc64(uint32_t fid)
{
	return (fid & SMCCC_SMC64) != 0;
}

static inline __attribute__((unused)) uint32_t smccc_oen(uint32_t fid)
{
	return (fid >> SMCCC_OEN_SHIFT) & SMCCC_OEN_MASK;
}

/* rmm-v1.0.md s1: bit 16 is ignored; decode the FID with it cleared. */
static inline __attribute__((unused)) uint32_t smccc_clear_sve_hint(uint32_t fid)
{
	return fid & ~SMCCC_SVE_HINT;
}

#endif /* REALMKIT_ABI_SMCCC_H */
