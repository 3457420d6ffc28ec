/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm Services Interface (realm -> RMM), DEN0137 1.0-rel0.
 *
 * Source of truth: rmm-v1.0.md s1 (calling convention), s2 (encodings),
 * s6 (command list), s8.4-8.5 (structures), s12.5 (host call), s14.5 (REMs),
 * s15 (attestation token). RSI status codes are never packed (s3).
 */
#ifndef REALMKIT_ABI_RSI_H
#define REALMKIT_ABI_RSI_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smccc.h"

/* ------------------------------------------------------------------------ */
/* Version (rmm-v1.0.md s1: (major << 16) | minor)                           */
/* ------------------------------------------------------------------------ */

#define RSI_ABI_MAKE_VERSION(major, minor) (((uint64_t)(major) << 16) | (uint64_t)(minor))
#define RSI_ABI_VERSION_MAJOR(v)	   (((uint64_t)(v) >> 16) & 0x7FFFu)
#define RSI_ABI_VERSION_MINOR(v)	   ((uint64_t)(v)&0xFFFFu)
#define RSI_ABI_VERSION			   0x10000u

static_assert(RSI_ABI_MAKE_VERSION(1, 0) == RSI_ABI_VERSION, "rmm-v1.0.md s1: v1.0 is 0x10000");

/* ------------------------------------------------------------------------ */
/* Function IDs (rmm-v1.0.md s6)                                             */
/* ------------------------------------------------------------------------ */

#define RSI_VERSION		       0xC4000190u
#define RSI_FEATURES		       0xC4000191u
#define RSI_MEASUREMENT_READ	       0xC4000192u
#define RSI_MEASUREMENT_EXTEND	       0xC4000193u
#define RSI_ATTESTATION_TOKEN_INIT     0xC4000194u
#define RSI_ATTESTATION_TOKEN_CONTINUE 0xC4000195u
#define RSI_REALM_CONFIG	       0xC4000196u
#define RSI_IPA_STATE_SET	       0xC4000197u
#define RSI_IPA_STATE_GET	       0xC4000198u
#define RSI_HOST_CALL		       0xC4000199u

/* rmm-v1.0.md s1: RSI FNUMs used by v1.0. */
#define RSI_FNUM_FIRST 0x190u
#define RSI_FNUM_LAST  0x199u

/* rmm-v1.0.md s6: one row per command, X(name, FID), in FID order. */
#define RSI_COMMAND_LIST(X)                                           \
	X(version, RSI_VERSION)                                       \
	X(features, RSI_FEATURES)                                     \
	X(measurement_read, RSI_MEASUREMENT_READ)                     \
	X(measurement_extend, RSI_MEASUREMENT_EXTEND)                 \
	X(attestation_token_init, RSI_ATTESTATION_TOKEN_INIT)         \
	X(attestation_token_continue, RSI_ATTESTATION_TOKEN_CONTINUE) \
	X(realm_config, RSI_REALM_CONFIG)                             \
	X(ipa_state_set, RSI_IPA_STATE_SET)                           \
	X(ipa_state_get, RSI_IPA_STATE_GET)                           \
	X(host_call, RSI_HOST_CALL)

#define RSI_COMMAND_COUNT 10u

#define RSI_X_COUNT_(name, fid) +1u
static_assert((0u RSI_COMMAND_LIST(RSI_X_COUNT_)) == RSI_COMMAND_COUNT,
	      "rmm-v1.0.md s6: RSI_COMMAND_LIST has one row per command");
#undef RSI_X_COUNT_

/* The ten rows cover FNUMs 0x190..0x199, each exactly once (see rmi.h). */
#define RSI_X_SLOT_BIT_(name, fid) +(UINT64_C(1) << (((fid)&SMCCC_FNUM_MASK) - RSI_FNUM_FIRST))
static_assert((0u RSI_COMMAND_LIST(RSI_X_SLOT_BIT_)) ==
		      (UINT64_C(1) << (RSI_FNUM_LAST - RSI_FNUM_FIRST + 1u)) - 1u,
	      "rmm-v1.0.md s6: every RSI FNUM has exactly one row");
#undef RSI_X_SLOT_BIT_

#define RSI_X_CHECK_(name, fid)                                            \
	static_assert(((fid) & ~SMCCC_FNUM_MASK) == SMCCC_STD_FID64(0) &&  \
			      ((fid)&SMCCC_FNUM_MASK) >= RSI_FNUM_FIRST && \
			      ((fid)&SMCCC_FNUM_MASK) <= RSI_FNUM_LAST,    \
		      "rmm-v1.0.md s1/s6: RSI row " #name);
RSI_COMMAND_LIST(RSI_X_CHECK_)
#undef RSI_X_CHECK_

/* True for an SMC64 fast standard-service FID with FNUM in 0x190..0x199. */
static inline __attribute__((unused)) bool rsi_is_rsi_fid(uint32_t fid)
{
	uint32_t fnum = smccc_fnum(fid);

	return (fid & ~SMCCC_FNUM_MASK) == SMCCC_STD_FID64(0) && fnum >= RSI_FNUM_FIRST &&
	       fnum <= RSI_FNUM_LAST;
}

/* ------------------------------------------------------------------------ */
/* Return codes and enumerations (rmm-v1.0.md s2)                           */
/* ------------------------------------------------------------------------ */

/* RsiCommandReturnCode; ERROR_UNKNOWN only on internal token failures. */
enum rsi_status {
	RSI_SUCCESS = 0,
	RSI_ERROR_INPUT = 1,
	RSI_ERROR_STATE = 2,
	RSI_INCOMPLETE = 3,
	RSI_ERROR_UNKNOWN = 4,
};

static inline __attribute__((unused)) const char *rsi_status_name(unsigned int status)
{
	switch (status) {
	case RSI_SUCCESS:
		return "RSI_SUCCESS";
	case RSI_ERROR_INPUT:
		return "RSI_ERROR_INPUT";
	case RSI_ERROR_STATE:
		return "RSI_ERROR_STATE";
	case RSI_INCOMPLETE:
		return "RSI_INCOMPLETE";
	case RSI_ERROR_UNKNOWN:
		return "RSI_ERROR_UNKNOWN";
	default:
		return "RSI_?";
	}
}

/* RsiRipas; RSI_IPA_STATE_SET accepts only EMPTY and RAM. */
enum rsi_ripas {
	RSI_RIPAS_EMPTY = 0,
	RSI_RIPAS_RAM = 1,
	RSI_RIPAS_DESTROYED = 2,
};

/* RsiResponse: X2 of RSI_IPA_STATE_SET on completion. */
enum rsi_response {
	RSI_ACCEPT = 0,
	RSI_REJECT = 1,
};

/* RsiRipasChangeDestroyed: X4 of RSI_IPA_STATE_SET. */
enum rsi_ripas_change_destroyed {
	RSI_NO_CHANGE_DESTROYED = 0,
	RSI_CHANGE_DESTROYED = 1,
};

/* RsiHashAlgorithm */
enum rsi_hash_algorithm {
	RSI_HASH_SHA_256 = 0,
	RSI_HASH_SHA_512 = 1,
};

/* ------------------------------------------------------------------------ */
/* Measurement and attestation limits (rmm-v1.0.md s6, s14.5, s15.4)       */
/* ------------------------------------------------------------------------ */

/* MEASUREMENT_READ index 0..4 (0 = RIM); MEASUREMENT_EXTEND index 1..4. */
#define RSI_MEASUREMENT_SLOTS	  5u
#define RSI_MAX_MEASUREMENT_SIZE  64u	  /* MEASUREMENT_EXTEND size 0..64 */
#define RSI_ATTEST_CHALLENGE_SIZE 64u	  /* X1..X8 of TOKEN_INIT */
#define RSI_ATTEST_TOKEN_MAX_SIZE 0x1000u /* REC_ATTEST_TOKEN_BUF_SIZE, X1 of TOKEN_INIT */
#define RSI_RPV_SIZE		  64u
#define RSI_GRANULE_SIZE	  0x1000u
#define RSI_HOST_CALL_NR_GPRS	  31u
#define RSI_HOST_CALL_ALIGN	  0x100u /* s8.5: RsiHostCall IPA is 256-byte aligned */

/*
 * Attestation token encoding (rmm-v1.0.md s15.1-15.3): CBOR tags and claim
 * keys of the CCA token and the realm token's claims map.
 */
#define RSI_CCA_TOKEN_CBOR_TAG		  399
#define RSI_CCA_TOKEN_PLATFORM_KEY	  44234
#define RSI_CCA_TOKEN_REALM_KEY		  44241
#define RSI_COSE_SIGN1_CBOR_TAG		  18
#define RSI_COSE_ALG_ES384		  (-35)
#define RSI_TOKEN_CLAIM_CHALLENGE	  10
#define RSI_TOKEN_CLAIM_PROFILE		  265
#define RSI_TOKEN_CLAIM_RPV		  44235
#define RSI_TOKEN_CLAIM_HASH_ALGO	  44236
#define RSI_TOKEN_CLAIM_PUB_KEY		  44237
#define RSI_TOKEN_CLAIM_RIM		  44238
#define RSI_TOKEN_CLAIM_REMS		  44239
#define RSI_TOKEN_CLAIM_PUB_KEY_HASH_ALGO 44240
#define RSI_TOKEN_PROFILE		  "tag:arm.com,2023:realm#1.0.0"

/* ------------------------------------------------------------------------ */
/* Structures (rmm-v1.0.md s8.4, s8.5)                                       */
/* ------------------------------------------------------------------------ */

/*
 * Every byte of these structures is named: reserved gaps are explicit arrays,
 * so the compiler must not insert padding anywhere (an error if it would).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wpadded"

/* RsiRealmConfig: realm granule, RSI_REALM_CONFIG X1 (rmm-v1.0.md s8.4). */
struct rsi_realm_config {
	uint64_t ipa_width; /* 0x000 the realm's s2sz */
	uint8_t algorithm;  /* 0x008 enum rsi_hash_algorithm */
	uint8_t reserved0[0x200 - 0x009];
	uint8_t rpv[RSI_RPV_SIZE]; /* 0x200 */
	uint8_t reserved1[0x1000 - 0x240];
};

static_assert(offsetof(struct rsi_realm_config, ipa_width) == 0x000,
	      "DEN0137 1.0 RsiRealmConfig: ipa_width");
static_assert(offsetof(struct rsi_realm_config, algorithm) == 0x008,
	      "DEN0137 1.0 RsiRealmConfig: algorithm");
static_assert(offsetof(struct rsi_realm_config, rpv) == 0x200, "DEN0137 1.0 RsiRealmConfig: rpv");
static_assert(sizeof(struct rsi_realm_config) == 0x1000, "DEN0137 1.0 RsiRealmConfig: size");

/* RsiHostCall: RSI_HOST_CALL X1 (rmm-v1.0.md s8.5, s12.5). */
struct rsi_host_call {
	uint32_t imm; /* 0x000 16-bit value */
	uint8_t imm_pad[4];
	uint64_t gprs[RSI_HOST_CALL_NR_GPRS]; /* 0x008 */
};

static_assert(offsetof(struct rsi_host_call, imm) == 0x000, "DEN0137 1.0 RsiHostCall: imm");
static_assert(offsetof(struct rsi_host_call, gprs) == 0x008, "DEN0137 1.0 RsiHostCall: gprs");
static_assert(sizeof(struct rsi_host_call) == 0x100, "DEN0137 1.0 RsiHostCall: size");

#pragma GCC diagnostic pop

#endif /* REALMKIT_ABI_RSI_H */
