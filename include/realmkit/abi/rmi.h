/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm Management Interface (host -> RMM), DEN0137 1.0-rel0.
 *
 * Source of truth: rmm-v1.0.md s1-5 (FIDs, return codes, packing, command
 * table, feature register 0), s7.5 (MPIDR), s8 (structures), s9 (state
 * encodings), s12 (REC entry/exit), s14.3 (measurement descriptors).
 * Every structure is little-endian, has each field at the spec offset and
 * names its reserved gaps; a static_assert checks every offset and size.
 */
#ifndef REALMKIT_ABI_RMI_H
#define REALMKIT_ABI_RMI_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smccc.h"

/* ------------------------------------------------------------------------ */
/* Version (rmm-v1.0.md s1: (major << 16) | minor)                           */
/* ------------------------------------------------------------------------ */

#define RMI_ABI_MAKE_VERSION(major, minor) (((uint64_t)(major) << 16) | (uint64_t)(minor))
#define RMI_ABI_VERSION_MAJOR(v)	   (((uint64_t)(v) >> 16) & 0x7FFFu)
#define RMI_ABI_VERSION_MINOR(v)	   ((uint64_t)(v)&0xFFFFu)
#define RMI_ABI_VERSION			   0x10000u

static_assert(RMI_ABI_MAKE_VERSION(1, 0) == RMI_ABI_VERSION, "rmm-v1.0.md s1: v1.0 is 0x10000");

/* ------------------------------------------------------------------------ */
/* Function IDs (rmm-v1.0.md s4; FNUMs 0x156, 0x160, 0x163 are unused)       */
/* ------------------------------------------------------------------------ */

#define RMI_VERSION		  0xC4000150u
#define RMI_GRANULE_DELEGATE	  0xC4000151u
#define RMI_GRANULE_UNDELEGATE	  0xC4000152u
#define RMI_DATA_CREATE		  0xC4000153u
#define RMI_DATA_CREATE_UNKNOWN	  0xC4000154u
#define RMI_DATA_DESTROY	  0xC4000155u
#define RMI_REALM_ACTIVATE	  0xC4000157u
#define RMI_REALM_CREATE	  0xC4000158u
#define RMI_REALM_DESTROY	  0xC4000159u
#define RMI_REC_CREATE		  0xC400015Au
#define RMI_REC_DESTROY		  0xC400015Bu
#define RMI_REC_ENTER		  0xC400015Cu
#define RMI_RTT_CREATE		  0xC400015Du
#define RMI_RTT_DESTROY		  0xC400015Eu
#define RMI_RTT_MAP_UNPROTECTED	  0xC400015Fu
#define RMI_RTT_READ_ENTRY	  0xC4000161u
#define RMI_RTT_UNMAP_UNPROTECTED 0xC4000162u
#define RMI_PSCI_COMPLETE	  0xC4000164u
#define RMI_FEATURES		  0xC4000165u
#define RMI_RTT_FOLD		  0xC4000166u
#define RMI_REC_AUX_COUNT	  0xC4000167u
#define RMI_RTT_INIT_RIPAS	  0xC4000168u
#define RMI_RTT_SET_RIPAS	  0xC4000169u

/* rmm-v1.0.md s1: the handler table has exactly 26 slots, 0x150-0x169. */
#define RMI_FNUM_FIRST	0x150u
#define RMI_FNUM_LAST	0x169u
#define RMI_TABLE_SLOTS 26u

static_assert(RMI_FNUM_LAST - RMI_FNUM_FIRST + 1u == RMI_TABLE_SLOTS,
	      "rmm-v1.0.md s1: 26 RMI handler slots");

/*
 * rmm-v1.0.md s4 "Argument and result register counts": one row per command,
 * X(name, FID, n_in, n_out) where n_in counts X1.. argument registers and
 * n_out counts result registers beyond X0. Rows are in FID order.
 */
#define RMI_COMMAND_LIST(X)                                       \
	X(version, RMI_VERSION, 1, 2)                             \
	X(granule_delegate, RMI_GRANULE_DELEGATE, 1, 0)           \
	X(granule_undelegate, RMI_GRANULE_UNDELEGATE, 1, 0)       \
	X(data_create, RMI_DATA_CREATE, 5, 0)                     \
	X(data_create_unknown, RMI_DATA_CREATE_UNKNOWN, 3, 0)     \
	X(data_destroy, RMI_DATA_DESTROY, 2, 2)                   \
	X(realm_activate, RMI_REALM_ACTIVATE, 1, 0)               \
	X(realm_create, RMI_REALM_CREATE, 2, 0)                   \
	X(realm_destroy, RMI_REALM_DESTROY, 1, 0)                 \
	X(rec_create, RMI_REC_CREATE, 3, 0)                       \
	X(rec_destroy, RMI_REC_DESTROY, 1, 0)                     \
	X(rec_enter, RMI_REC_ENTER, 2, 0)                         \
	X(rtt_create, RMI_RTT_CREATE, 4, 0)                       \
	X(rtt_destroy, RMI_RTT_DESTROY, 3, 2)                     \
	X(rtt_map_unprotected, RMI_RTT_MAP_UNPROTECTED, 4, 0)     \
	X(rtt_read_entry, RMI_RTT_READ_ENTRY, 3, 4)               \
	X(rtt_unmap_unprotected, RMI_RTT_UNMAP_UNPROTECTED, 3, 1) \
	X(psci_complete, RMI_PSCI_COMPLETE, 3, 0)                 \
	X(features, RMI_FEATURES, 1, 1)                           \
	X(rtt_fold, RMI_RTT_FOLD, 3, 1)                           \
	X(rec_aux_count, RMI_REC_AUX_COUNT, 1, 1)                 \
	X(rtt_init_ripas, RMI_RTT_INIT_RIPAS, 3, 1)               \
	X(rtt_set_ripas, RMI_RTT_SET_RIPAS, 4, 1)

/* rmm-v1.0.md s4: "That gives 23 RMI commands." */
#define RMI_COMMAND_COUNT 23u

/* Slots 0x156, 0x160 and 0x163 of 0x150-0x169 carry no command. */
#define RMI_FNUM_USED_MASK                                                                        \
	(((UINT64_C(1) << RMI_TABLE_SLOTS) - 1u) & ~((UINT64_C(1) << (0x156u - RMI_FNUM_FIRST)) | \
						     (UINT64_C(1) << (0x160u - RMI_FNUM_FIRST)) | \
						     (UINT64_C(1) << (0x163u - RMI_FNUM_FIRST))))

#define RMI_X_COUNT_(name, fid, n_in, n_out) +1u
static_assert((0u RMI_COMMAND_LIST(RMI_X_COUNT_)) == RMI_COMMAND_COUNT,
	      "rmm-v1.0.md s4: RMI_COMMAND_LIST has one row per command");
#undef RMI_X_COUNT_

/*
 * The rows' slot bits must add up to exactly the 23 used slots: a sum of 23
 * powers of two has 23 bits set only if they are distinct, so this also
 * proves that no FID appears twice and every used slot has a row.
 */
#define RMI_X_SLOT_BIT_(name, fid, n_in, n_out) \
	+(UINT64_C(1) << (((fid)&SMCCC_FNUM_MASK) - RMI_FNUM_FIRST))
static_assert((0u RMI_COMMAND_LIST(RMI_X_SLOT_BIT_)) == RMI_FNUM_USED_MASK,
	      "rmm-v1.0.md s1/s4: every used RMI slot has exactly one row");
#undef RMI_X_SLOT_BIT_

/* Every row: SMC64 fast standard call, FNUM in range, X1..X5 in, X1..X4 out. */
#define RMI_X_CHECK_(name, fid, n_in, n_out)                                             \
	static_assert(((fid) & ~SMCCC_FNUM_MASK) == SMCCC_STD_FID64(0) &&                \
			      ((fid)&SMCCC_FNUM_MASK) >= RMI_FNUM_FIRST &&               \
			      ((fid)&SMCCC_FNUM_MASK) <= RMI_FNUM_LAST && (n_in) <= 5 && \
			      (n_out) <= 4,                                              \
		      "rmm-v1.0.md s1/s4: RMI row " #name);
RMI_COMMAND_LIST(RMI_X_CHECK_)
#undef RMI_X_CHECK_

/* FID -> handler-table slot (0..25); only meaningful if rmi_is_rmi_fid(). */
static inline __attribute__((unused)) unsigned int rmi_fid_slot(uint32_t fid)
{
	return smccc_fnum(fid) - RMI_FNUM_FIRST;
}

/* True for an SMC64 fast standard-service FID with FNUM in 0x150..0x169. */
static inline __attribute__((unused)) bool rmi_is_rmi_fid(uint32_t fid)
{
	uint32_t fnum = smccc_fnum(fid);

	return (fid & ~SMCCC_FNUM_MASK) == SMCCC_STD_FID64(0) && fnum >= RMI_FNUM_FIRST &&
	       fnum <= RMI_FNUM_LAST;
}

/* ------------------------------------------------------------------------ */
/* Return codes (rmm-v1.0.md s2, s3: RmiCommandReturnCode)                  */
/* ------------------------------------------------------------------------ */

enum rmi_status {
	RMI_SUCCESS = 0,
	RMI_ERROR_INPUT = 1,
	RMI_ERROR_REALM = 2,
	RMI_ERROR_REC = 3,
	RMI_ERROR_RTT = 4,
};

#define RMI_STATUS_MASK 0xFFu
#define RMI_INDEX_SHIFT 8
#define RMI_INDEX_MASK	0xFFu

/*
 * rmm-v1.0.md s3: X0 = status | index << 8, bits [63:16] zero. The index is
 * 8 bits: an RTT level of -1 (LPA2) packs as 0xFF, see rmi_rtt_level_of().
 */
static inline __attribute__((unused)) uint64_t rmi_pack(enum rmi_status status, unsigned int idx)
{
	return ((uint64_t)status & RMI_STATUS_MASK) |
	       ((uint64_t)(idx & RMI_INDEX_MASK) << RMI_INDEX_SHIFT);
}

static inline __attribute__((unused)) unsigned int rmi_status_of(uint64_t x0)
{
	return (unsigned int)(x0 & RMI_STATUS_MASK);
}

static inline __attribute__((unused)) unsigned int rmi_index_of(uint64_t x0)
{
	return (unsigned int)((x0 >> RMI_INDEX_SHIFT) & RMI_INDEX_MASK);
}

/* rmm-v1.0.md s3: the index of RMI_ERROR_RTT as a signed RTT level. */
static inline __attribute__((unused)) int rmi_rtt_level_of(uint64_t x0)
{
	return (int)(int8_t)(uint8_t)rmi_index_of(x0);
}

static inline __attribute__((unused)) const char *rmi_status_name(unsigned int status)
{
	switch (status) {
	case RMI_SUCCESS:
		return "RMI_SUCCESS";
	case RMI_ERROR_INPUT:
		return "RMI_ERROR_INPUT";
	case RMI_ERROR_REALM:
		return "RMI_ERROR_REALM";
	case RMI_ERROR_REC:
		return "RMI_ERROR_REC";
	case RMI_ERROR_RTT:
		return "RMI_ERROR_RTT";
	default:
		return "RMI_?";
	}
}

/* ------------------------------------------------------------------------ */
/* Feature register 0 (rmm-v1.0.md s5: RmiFeatureRegister0)                */
/* ------------------------------------------------------------------------ */

#define RMI_FEATURE_REGISTER_0_INDEX 0u

#define RMI_FEATURE_REGISTER_0_S2SZ_SHIFT	    0
#define RMI_FEATURE_REGISTER_0_S2SZ_WIDTH	    8
#define RMI_FEATURE_REGISTER_0_LPA2_SHIFT	    8
#define RMI_FEATURE_REGISTER_0_LPA2_WIDTH	    1
#define RMI_FEATURE_REGISTER_0_SVE_EN_SHIFT	    9
#define RMI_FEATURE_REGISTER_0_SVE_EN_WIDTH	    1
#define RMI_FEATURE_REGISTER_0_SVE_VL_SHIFT	    10
#define RMI_FEATURE_REGISTER_0_SVE_VL_WIDTH	    4
#define RMI_FEATURE_REGISTER_0_NUM_BPS_SHIFT	    14
#define RMI_FEATURE_REGISTER_0_NUM_BPS_WIDTH	    6
#define RMI_FEATURE_REGISTER_0_NUM_WPS_SHIFT	    20
#define RMI_FEATURE_REGISTER_0_NUM_WPS_WIDTH	    6
#define RMI_FEATURE_REGISTER_0_PMU_EN_SHIFT	    26
#define RMI_FEATURE_REGISTER_0_PMU_EN_WIDTH	    1
#define RMI_FEATURE_REGISTER_0_PMU_NUM_CTRS_SHIFT   27
#define RMI_FEATURE_REGISTER_0_PMU_NUM_CTRS_WIDTH   5
#define RMI_FEATURE_REGISTER_0_HASH_SHA_256_SHIFT   32
#define RMI_FEATURE_REGISTER_0_HASH_SHA_256_WIDTH   1
#define RMI_FEATURE_REGISTER_0_HASH_SHA_512_SHIFT   33
#define RMI_FEATURE_REGISTER_0_HASH_SHA_512_WIDTH   1
#define RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_SHIFT  34
#define RMI_FEATURE_REGISTER_0_GICV3_NUM_LRS_WIDTH  4
#define RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT 38
#define RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_WIDTH 4

/* rmm-v1.0.md s5: bits [63:42] are reserved and read as zero. */
#define RMI_FEATURE_REGISTER_0_RES0_MASK (~((UINT64_C(1) << 42) - 1u))

static_assert(RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_SHIFT +
			      RMI_FEATURE_REGISTER_0_MAX_RECS_ORDER_WIDTH ==
		      42,
	      "rmm-v1.0.md s5: RmiFeatureRegister0 fields end at bit 41");

/* RmiFeature (rmm-v1.0.md s2). */
enum rmi_feature {
	RMI_FEATURE_FALSE = 0,
	RMI_FEATURE_TRUE = 1,
};

static inline __attribute__((unused)) uint64_t rmi_field_mask(unsigned int width)
{
	return width >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1u;
}

/* Bits [shift + width - 1 : shift] of value. */
static inline __attribute__((unused)) uint64_t rmi_field_get(uint64_t value, unsigned int shift,
							     unsigned int width)
{
	return (value >> shift) & rmi_field_mask(width);
}

/* value with bits [shift + width - 1 : shift] replaced by field (truncated). */
static inline __attribute__((unused)) uint64_t rmi_field_set(uint64_t value, unsigned int shift,
							     unsigned int width, uint64_t field)
{
	uint64_t mask = rmi_field_mask(width) << shift;

	return (value & ~mask) | ((field << shift) & mask);
}

/* ------------------------------------------------------------------------ */
/* Enumerations (rmm-v1.0.md s2, s8, s9)                                    */
/* ------------------------------------------------------------------------ */

/* RmiHashAlgorithm */
enum rmi_hash_algorithm {
	RMI_HASH_SHA_256 = 0,
	RMI_HASH_SHA_512 = 1,
};

/* RmiRttEntryState: the state RTT_READ_ENTRY reports (rmm-v1.0.md s9.4). */
enum rmi_rtt_entry_state {
	RMI_UNASSIGNED = 0,
	RMI_ASSIGNED = 1,
	RMI_TABLE = 2,
};

/* RmiRipas */
enum rmi_ripas {
	RMI_EMPTY = 0,
	RMI_RAM = 1,
	RMI_DESTROYED = 2,
};

/* RmiDataFlags: X5 of RMI_DATA_CREATE. */
enum rmi_data_flags {
	RMI_NO_MEASURE_CONTENT = 0,
	RMI_MEASURE_CONTENT = 1,
};

/* RmiResponse: the RIPAS_RESPONSE entry flag. */
enum rmi_response {
	RMI_ACCEPT = 0,
	RMI_REJECT = 1,
};

/* RmiRecExitReason (rmm-v1.0.md s12.2). */
enum rmi_exit_reason {
	RMI_EXIT_SYNC = 0,
	RMI_EXIT_IRQ = 1,
	RMI_EXIT_FIQ = 2,
	RMI_EXIT_PSCI = 3,
	RMI_EXIT_RIPAS_CHANGE = 4,
	RMI_EXIT_HOST_CALL = 5,
	RMI_EXIT_SERROR = 6,
};

/* Realm states (rmm-v1.0.md s9.2). */
enum rmi_realm_state {
	RMI_REALM_STATE_NEW = 0,
	RMI_REALM_STATE_ACTIVE = 1,
	RMI_REALM_STATE_SYSTEM_OFF = 2,
};

/* RmiRecRunnable: RmiRecParams.flags bit 0. */
enum rmi_rec_runnable {
	RMI_NOT_RUNNABLE = 0,
	RMI_RUNNABLE = 1,
};

/* RmiPmuOverflowStatus: RmiRecExit.pmu_ovf_status. */
enum rmi_pmu_overflow_status {
	RMI_PMU_OVERFLOW_NOT_ACTIVE = 0,
	RMI_PMU_OVERFLOW_ACTIVE = 1,
};

/* RmiRealmParams.flags (rmm-v1.0.md s8.1). */
#define RMI_REALM_FLAGS_LPA2 (UINT64_C(1) << 0)
#define RMI_REALM_FLAGS_SVE  (UINT64_C(1) << 1)
#define RMI_REALM_FLAGS_PMU  (UINT64_C(1) << 2)

/* RmiRecParams.flags (rmm-v1.0.md s8.2). */
#define RMI_REC_PARAMS_FLAG_RUNNABLE (UINT64_C(1) << 0)

/* RmiRecEnterFlags (rmm-v1.0.md s8.3). */
#define REC_ENTER_FLAG_EMUL_MMIO      (UINT64_C(1) << 0)
#define REC_ENTER_FLAG_INJECT_SEA     (UINT64_C(1) << 1)
#define REC_ENTER_FLAG_TRAP_WFI	      (UINT64_C(1) << 2)
#define REC_ENTER_FLAG_TRAP_WFE	      (UINT64_C(1) << 3)
#define REC_ENTER_FLAG_RIPAS_RESPONSE (UINT64_C(1) << 4)

/*
 * rmm-v1.0.md s12.8: the only ICH_HCR_EL2 bits the host may set in
 * RmiRecEnter.gicv3_hcr: UIE (1), LRENPIE (2), NPIE (3), VGrp0EIE (4),
 * VGrp0DIE (5), VGrp1EIE (6), VGrp1DIE (7), TDIR (14).
 */
#define RMI_GICV3_HCR_ENTER_MASK (UINT64_C(0xFE) | (UINT64_C(1) << 14))

/* Sizes (rmm-v1.0.md s4 REC_AUX_COUNT, s8). */
#define RMI_MAX_REC_AUX_GRANULES 16u
#define RMI_REC_CREATE_NR_GPRS	 8u
#define RMI_REC_EXIT_NR_GPRS	 31u
#define RMI_REC_GIC_NUM_LRS	 16u
#define RMI_RPV_SIZE		 64u
#define RMI_GRANULE_SIZE	 0x1000u

/* ------------------------------------------------------------------------ */
/* MPIDR <-> REC index (rmm-v1.0.md s7.5)                                   */
/* ------------------------------------------------------------------------ */

/*
 * RmiRecMpidr: Aff0 in [3:0], Aff1 in [15:8], Aff2 in [23:16], Aff3 in
 * [31:24]; every other bit must be zero.
 */
#define RMI_MPIDR_VALID_MASK UINT64_C(0xFFFFFF0F)

static inline __attribute__((unused)) bool rmi_mpidr_is_valid(uint64_t mpidr)
{
	return (mpidr & ~RMI_MPIDR_VALID_MASK) == 0;
}

/* REC index = Aff0[3:0] | Aff1 << 4 | Aff2 << 12 | Aff3 << 20. */
static inline __attribute__((unused)) uint64_t rmi_mpidr_to_rec_index(uint64_t mpidr)
{
	return (mpidr & 0xFu) | (((mpidr >> 8) & 0xFFu) << 4) | (((mpidr >> 16) & 0xFFu) << 12) |
	       (((mpidr >> 24) & 0xFFu) << 20);
}

/*
 * The same rule for an MPIDR_EL1-layout value (PSCI targets in X1): Aff3 is
 * in [39:32]; bits outside the affinity fields (e.g. RES1 bit 31) are ignored.
 */
static inline __attribute__((unused)) uint64_t rmi_mpidr_el1_to_rec_index(uint64_t v)
{
	return (v & 0xFu) | (((v >> 8) & 0xFFu) << 4) | (((v >> 16) & 0xFFu) << 12) |
	       (((v >> 32) & 0xFFu) << 20);
}

/* Inverse of rmi_mpidr_to_rec_index() for index < 2^28. */
static inline __attribute__((unused)) uint64_t rmi_rec_index_to_mpidr(uint64_t idx)
{
	return (idx & 0xFu) | (((idx >> 4) & 0xFFu) << 8) | (((idx >> 12) & 0xFFu) << 16) |
	       (((idx >> 20) & 0xFFu) << 24);
}

/* rmm-v1.0.md s7.5: the realm's VMPIDR_EL2: Aff3 moved to [39:32], bit 31 set. */
static inline __attribute__((unused)) uint64_t rmi_mpidr_to_vmpidr(uint64_t mpidr)
{
	return (mpidr & UINT64_C(0x00FFFF0F)) | (((mpidr >> 24) & 0xFFu) << 32) |
	       (UINT64_C(1) << 31);
}

/* ------------------------------------------------------------------------ */
/* RMI_RTT_MAP_UNPROTECTED host descriptor, X4 (rmm-v1.0.md s8.6)           */
/* ------------------------------------------------------------------------ */

#define RMI_NS_DESC_TYPE_MASK	     UINT64_C(0x3) /* [1:0] must be 0 */
#define RMI_NS_DESC_MEMATTR_SHIFT    2
#define RMI_NS_DESC_MEMATTR_MASK     UINT64_C(0x1C) /* [4:2] */
#define RMI_NS_DESC_MEMATTR_RESERVED UINT64_C(0x4)  /* 0b100 is not allowed */
#define RMI_NS_DESC_MEMATTR3_MASK    UINT64_C(0x20) /* [5] must be 0 */
#define RMI_NS_DESC_S2AP_SHIFT	     6
#define RMI_NS_DESC_S2AP_MASK	     UINT64_C(0xC0) /* [7:6] */
#define RMI_NS_DESC_OA_SHIFT	     12
#define RMI_NS_DESC_OA_MASK	     UINT64_C(0x0000FFFFFFFFF000) /* [47:12] */
#define RMI_NS_DESC_OA_LPA2_MASK     UINT64_C(0x0003FFFFFFFFF000) /* [49:12] */
/* The host-controlled bits RTT_READ_ENTRY returns for ASSIGNED_NS. */
#define RMI_NS_DESC_HOST_MASK \
	(RMI_NS_DESC_OA_MASK | RMI_NS_DESC_MEMATTR_MASK | RMI_NS_DESC_S2AP_MASK)
#define RMI_NS_DESC_HOST_LPA2_MASK \
	(RMI_NS_DESC_OA_LPA2_MASK | RMI_NS_DESC_MEMATTR_MASK | RMI_NS_DESC_S2AP_MASK)

/* ------------------------------------------------------------------------ */
/* Structures (rmm-v1.0.md s8)                                               */
/* ------------------------------------------------------------------------ */

/*
 * Every byte of these structures is named: reserved gaps are explicit arrays,
 * so the compiler must not insert padding anywhere (an error if it would).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wpadded"

/* RmiRealmParams: NS granule, REALM_CREATE X2 (rmm-v1.0.md s8.1). */
struct rmi_realm_params {
	uint64_t flags; /* 0x000 RMI_REALM_FLAGS_* */
	uint32_t s2sz;	/* 0x008 u32 in an 8-byte slot */
	uint8_t s2sz_pad[4];
	uint32_t sve_vl; /* 0x010 */
	uint8_t sve_vl_pad[4];
	uint32_t num_bps; /* 0x018 */
	uint8_t num_bps_pad[4];
	uint32_t num_wps; /* 0x020 */
	uint8_t num_wps_pad[4];
	uint32_t pmu_num_ctrs; /* 0x028 */
	uint8_t pmu_num_ctrs_pad[4];
	uint8_t algorithm; /* 0x030 enum rmi_hash_algorithm */
	uint8_t reserved0[0x400 - 0x031];
	uint8_t rpv[RMI_RPV_SIZE]; /* 0x400 */
	uint8_t reserved1[0x800 - 0x440];
	uint16_t vmid; /* 0x800 */
	uint8_t reserved2[0x808 - 0x802];
	uint64_t rtt_base;	 /* 0x808 */
	int64_t rtt_level_start; /* 0x810 */
	uint32_t rtt_num_start;	 /* 0x818 */
	uint8_t reserved3[0x1000 - 0x81C];
};

static_assert(offsetof(struct rmi_realm_params, flags) == 0x000,
	      "DEN0137 1.0 RmiRealmParams: flags");
static_assert(offsetof(struct rmi_realm_params, s2sz) == 0x008, "DEN0137 1.0 RmiRealmParams: s2sz");
static_assert(offsetof(struct rmi_realm_params, sve_vl) == 0x010,
	      "DEN0137 1.0 RmiRealmParams: sve_vl");
static_assert(offsetof(struct rmi_realm_params, num_bps) == 0x018,
	      "DEN0137 1.0 RmiRealmParams: num_bps");
static_assert(offsetof(struct rmi_realm_params, num_wps) == 0x020,
	      "DEN0137 1.0 RmiRealmParams: num_wps");
static_assert(offsetof(struct rmi_realm_params, pmu_num_ctrs) == 0x028,
	      "DEN0137 1.0 RmiRealmParams: pmu_num_ctrs");
static_assert(offsetof(struct rmi_realm_params, algorithm) == 0x030,
	      "DEN0137 1.0 RmiRealmParams: algorithm");
static_assert(offsetof(struct rmi_realm_params, rpv) == 0x400, "DEN0137 1.0 RmiRealmParams: rpv");
static_assert(offsetof(struct rmi_realm_params, vmid) == 0x800, "DEN0137 1.0 RmiRealmParams: vmid");
static_assert(offsetof(struct rmi_realm_params, rtt_base) == 0x808,
	      "DEN0137 1.0 RmiRealmParams: rtt_base");
static_assert(offsetof(struct rmi_realm_params, rtt_level_start) == 0x810,
	      "DEN0137 1.0 RmiRealmParams: rtt_level_start");
static_assert(offsetof(struct rmi_realm_params, rtt_num_start) == 0x818,
	      "DEN0137 1.0 RmiRealmParams: rtt_num_start");
static_assert(sizeof(struct rmi_realm_params) == 0x1000, "DEN0137 1.0 RmiRealmParams: size");

/* RmiRecParams: NS granule, REC_CREATE X3 (rmm-v1.0.md s8.2). */
struct rmi_rec_params {
	uint64_t flags; /* 0x000 RMI_REC_PARAMS_FLAG_* */
	uint8_t reserved0[0x100 - 0x008];
	uint64_t mpidr; /* 0x100 RmiRecMpidr */
	uint8_t reserved1[0x200 - 0x108];
	uint64_t pc; /* 0x200 */
	uint8_t reserved2[0x300 - 0x208];
	uint64_t gprs[RMI_REC_CREATE_NR_GPRS]; /* 0x300 X0..X7 */
	uint8_t reserved3[0x800 - 0x340];
	uint64_t num_aux;			/* 0x800 */
	uint64_t aux[RMI_MAX_REC_AUX_GRANULES]; /* 0x808 */
	uint8_t reserved4[0x1000 - 0x888];
};

static_assert(offsetof(struct rmi_rec_params, flags) == 0x000, "DEN0137 1.0 RmiRecParams: flags");
static_assert(offsetof(struct rmi_rec_params, mpidr) == 0x100, "DEN0137 1.0 RmiRecParams: mpidr");
static_assert(offsetof(struct rmi_rec_params, pc) == 0x200, "DEN0137 1.0 RmiRecParams: pc");
static_assert(offsetof(struct rmi_rec_params, gprs) == 0x300, "DEN0137 1.0 RmiRecParams: gprs");
static_assert(offsetof(struct rmi_rec_params, num_aux) == 0x800,
	      "DEN0137 1.0 RmiRecParams: num_aux");
static_assert(offsetof(struct rmi_rec_params, aux) == 0x808, "DEN0137 1.0 RmiRecParams: aux");
static_assert(sizeof(struct rmi_rec_params) == 0x1000, "DEN0137 1.0 RmiRecParams: size");

/* RmiRecEnter: first half of RmiRecRun, read by the RMM (rmm-v1.0.md s8.3). */
struct rmi_rec_enter {
	uint64_t flags; /* 0x000 REC_ENTER_FLAG_* */
	uint8_t reserved0[0x200 - 0x008];
	uint64_t gprs[RMI_REC_EXIT_NR_GPRS]; /* 0x200 */
	uint8_t reserved1[0x300 - 0x2F8];
	uint64_t gicv3_hcr;			 /* 0x300 */
	uint64_t gicv3_lrs[RMI_REC_GIC_NUM_LRS]; /* 0x308 */
	uint8_t reserved2[0x800 - 0x388];
};

static_assert(offsetof(struct rmi_rec_enter, flags) == 0x000, "DEN0137 1.0 RmiRecEnter: flags");
static_assert(offsetof(struct rmi_rec_enter, gprs) == 0x200, "DEN0137 1.0 RmiRecEnter: gprs");
static_assert(offsetof(struct rmi_rec_enter, gicv3_hcr) == 0x300,
	      "DEN0137 1.0 RmiRecEnter: gicv3_hcr");
static_assert(offsetof(struct rmi_rec_enter, gicv3_lrs) == 0x308,
	      "DEN0137 1.0 RmiRecEnter: gicv3_lrs");
static_assert(sizeof(struct rmi_rec_enter) == 0x800, "DEN0137 1.0 RmiRecEnter: size");

/*
 * RmiRecExit: second half of RmiRecRun, written by the RMM (rmm-v1.0.md
 * s8.3). Offsets here are within RmiRecExit; add 0x800 for RmiRecRun.
 * exit_reason is a u8 in an 8-byte slot: the RMM writes all 8 bytes (TF-RMM),
 * a reader of byte 0 (Linux) sees the same value. imm is a u32 holding a
 * 16-bit value (rmm-v1.0.md s8.3 "realmkit note on imm").
 */
struct rmi_rec_exit {
	uint64_t exit_reason; /* 0x000 enum rmi_exit_reason */
	uint8_t reserved0[0x100 - 0x008];
	uint64_t esr;	/* 0x100 */
	uint64_t far;	/* 0x108 */
	uint64_t hpfar; /* 0x110 */
	uint8_t reserved1[0x200 - 0x118];
	uint64_t gprs[RMI_REC_EXIT_NR_GPRS]; /* 0x200 */
	uint8_t reserved2[0x300 - 0x2F8];
	uint64_t gicv3_hcr;			 /* 0x300 */
	uint64_t gicv3_lrs[RMI_REC_GIC_NUM_LRS]; /* 0x308 */
	uint64_t gicv3_misr;			 /* 0x388 */
	uint64_t gicv3_vmcr;			 /* 0x390 */
	uint8_t reserved3[0x400 - 0x398];
	uint64_t cntp_ctl;  /* 0x400 */
	uint64_t cntp_cval; /* 0x408 */
	uint64_t cntv_ctl;  /* 0x410 */
	uint64_t cntv_cval; /* 0x418 */
	uint8_t reserved4[0x500 - 0x420];
	uint64_t ripas_base; /* 0x500 */
	uint64_t ripas_top;  /* 0x508 */
	uint8_t ripas_value; /* 0x510 enum rmi_ripas */
	uint8_t reserved5[0x600 - 0x511];
	uint32_t imm; /* 0x600 */
	uint8_t reserved6[0x700 - 0x604];
	uint64_t pmu_ovf_status; /* 0x700 enum rmi_pmu_overflow_status */
	uint8_t reserved7[0x800 - 0x708];
};

static_assert(offsetof(struct rmi_rec_exit, exit_reason) == 0x000,
	      "DEN0137 1.0 RmiRecExit: exit_reason");
static_assert(offsetof(struct rmi_rec_exit, esr) == 0x100, "DEN0137 1.0 RmiRecExit: esr");
static_assert(offsetof(struct rmi_rec_exit, far) == 0x108, "DEN0137 1.0 RmiRecExit: far");
static_assert(offsetof(struct rmi_rec_exit, hpfar) == 0x110, "DEN0137 1.0 RmiRecExit: hpfar");
static_assert(offsetof(struct rmi_rec_exit, gprs) == 0x200, "DEN0137 1.0 RmiRecExit: gprs");
static_assert(offsetof(struct rmi_rec_exit, gicv3_hcr) == 0x300,
	      "DEN0137 1.0 RmiRecExit: gicv3_hcr");
static_assert(offsetof(struct rmi_rec_exit, gicv3_lrs) == 0x308,
	      "DEN0137 1.0 RmiRecExit: gicv3_lrs");
static_assert(offsetof(struct rmi_rec_exit, gicv3_misr) == 0x388,
	      "DEN0137 1.0 RmiRecExit: gicv3_misr");
static_assert(offsetof(struct rmi_rec_exit, gicv3_vmcr) == 0x390,
	      "DEN0137 1.0 RmiRecExit: gicv3_vmcr");
static_assert(offsetof(struct rmi_rec_exit, cntp_ctl) == 0x400, "DEN0137 1.0 RmiRecExit: cntp_ctl");
static_assert(offsetof(struct rmi_rec_exit, cntp_cval) == 0x408,
	      "DEN0137 1.0 RmiRecExit: cntp_cval");
static_assert(offsetof(struct rmi_rec_exit, cntv_ctl) == 0x410, "DEN0137 1.0 RmiRecExit: cntv_ctl");
static_assert(offsetof(struct rmi_rec_exit, cntv_cval) == 0x418,
	      "DEN0137 1.0 RmiRecExit: cntv_cval");
static_assert(offsetof(struct rmi_rec_exit, ripas_base) == 0x500,
	      "DEN0137 1.0 RmiRecExit: ripas_base");
static_assert(offsetof(struct rmi_rec_exit, ripas_top) == 0x508,
	      "DEN0137 1.0 RmiRecExit: ripas_top");
static_assert(offsetof(struct rmi_rec_exit, ripas_value) == 0x510,
	      "DEN0137 1.0 RmiRecExit: ripas_value");
static_assert(offsetof(struct rmi_rec_exit, imm) == 0x600, "DEN0137 1.0 RmiRecExit: imm");
static_assert(offsetof(struct rmi_rec_exit, pmu_ovf_status) == 0x700,
	      "DEN0137 1.0 RmiRecExit: pmu_ovf_status");
static_assert(sizeof(struct rmi_rec_exit) == 0x800, "DEN0137 1.0 RmiRecExit: size");

/* RmiRecRun: NS granule, REC_ENTER X2 (rmm-v1.0.md s8.3). */
struct rmi_rec_run {
	struct rmi_rec_enter enter; /* 0x000, read by the RMM */
	struct rmi_rec_exit exit;   /* 0x800, written by the RMM */
};

/* The offsets of the spec table, which are given within RmiRecRun. */
static_assert(offsetof(struct rmi_rec_run, enter) == 0x000, "DEN0137 1.0 RmiRecRun: enter");
static_assert(offsetof(struct rmi_rec_run, enter.gprs) == 0x200,
	      "DEN0137 1.0 RmiRecRun: enter.gprs");
static_assert(offsetof(struct rmi_rec_run, enter.gicv3_lrs) == 0x308,
	      "DEN0137 1.0 RmiRecRun: enter.gicv3_lrs");
static_assert(offsetof(struct rmi_rec_run, exit) == 0x800, "DEN0137 1.0 RmiRecRun: exit");
static_assert(offsetof(struct rmi_rec_run, exit.esr) == 0x900, "DEN0137 1.0 RmiRecRun: exit.esr");
static_assert(offsetof(struct rmi_rec_run, exit.gprs) == 0xA00, "DEN0137 1.0 RmiRecRun: exit.gprs");
static_assert(offsetof(struct rmi_rec_run, exit.gicv3_hcr) == 0xB00,
	      "DEN0137 1.0 RmiRecRun: exit.gicv3_hcr");
static_assert(offsetof(struct rmi_rec_run, exit.gicv3_misr) == 0xB88,
	      "DEN0137 1.0 RmiRecRun: exit.gicv3_misr");
static_assert(offsetof(struct rmi_rec_run, exit.cntp_ctl) == 0xC00,
	      "DEN0137 1.0 RmiRecRun: exit.cntp_ctl");
static_assert(offsetof(struct rmi_rec_run, exit.cntv_cval) == 0xC18,
	      "DEN0137 1.0 RmiRecRun: exit.cntv_cval");
static_assert(offsetof(struct rmi_rec_run, exit.ripas_base) == 0xD00,
	      "DEN0137 1.0 RmiRecRun: exit.ripas_base");
static_assert(offsetof(struct rmi_rec_run, exit.ripas_value) == 0xD10,
	      "DEN0137 1.0 RmiRecRun: exit.ripas_value");
static_assert(offsetof(struct rmi_rec_run, exit.imm) == 0xE00, "DEN0137 1.0 RmiRecRun: exit.imm");
static_assert(offsetof(struct rmi_rec_run, exit.pmu_ovf_status) == 0xF00,
	      "DEN0137 1.0 RmiRecRun: exit.pmu_ovf_status");
static_assert(sizeof(struct rmi_rec_run) == 0x1000, "DEN0137 1.0 RmiRecRun: size");

/* ------------------------------------------------------------------------ */
/* Measurement (rmm-v1.0.md s14)                                             */
/* ------------------------------------------------------------------------ */

/* s14.1: five 64-byte slots in the RD: slot 0 = RIM, slots 1..4 = REMs. */
#define RMM_MAX_MEASUREMENT_SIZE 64u
#define RMM_MEASUREMENT_SLOTS	 5u
#define RMM_MEASUREMENT_RIM_SLOT 0u

/* s14.3: RmmMeasurementDescriptor* type and size. */
#define RMM_MEASURE_DESC_TYPE_DATA  0u
#define RMM_MEASURE_DESC_TYPE_REC   1u
#define RMM_MEASURE_DESC_TYPE_RIPAS 2u
#define RMM_MEASURE_DESC_SIZE	    0x100u

/* RmmMeasurementDescriptorData (rmm-v1.0.md s14.3). */
struct rmm_measure_desc_data {
	uint8_t desc_type; /* 0x00 RMM_MEASURE_DESC_TYPE_DATA */
	uint8_t reserved0[0x08 - 0x01];
	uint64_t len;				   /* 0x08 always 0x100 */
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE];	   /* 0x10 */
	uint64_t ipa;				   /* 0x50 */
	uint64_t flags;				   /* 0x58 enum rmi_data_flags */
	uint8_t content[RMM_MAX_MEASUREMENT_SIZE]; /* 0x60 */
	uint8_t reserved1[0x100 - 0xA0];
};

static_assert(offsetof(struct rmm_measure_desc_data, desc_type) == 0x00,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: desc_type");
static_assert(offsetof(struct rmm_measure_desc_data, len) == 0x08,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: len");
static_assert(offsetof(struct rmm_measure_desc_data, rim) == 0x10,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: rim");
static_assert(offsetof(struct rmm_measure_desc_data, ipa) == 0x50,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: ipa");
static_assert(offsetof(struct rmm_measure_desc_data, flags) == 0x58,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: flags");
static_assert(offsetof(struct rmm_measure_desc_data, content) == 0x60,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: content");
static_assert(sizeof(struct rmm_measure_desc_data) == RMM_MEASURE_DESC_SIZE,
	      "DEN0137 1.0 RmmMeasurementDescriptorData: size");

/* RmmMeasurementDescriptorRec (rmm-v1.0.md s14.3). */
struct rmm_measure_desc_rec {
	uint8_t desc_type; /* 0x00 RMM_MEASURE_DESC_TYPE_REC */
	uint8_t reserved0[0x08 - 0x01];
	uint64_t len;				   /* 0x08 always 0x100 */
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE];	   /* 0x10 */
	uint8_t content[RMM_MAX_MEASUREMENT_SIZE]; /* 0x50 H(measured RmiRecParams) */
	uint8_t reserved1[0x100 - 0x90];
};

static_assert(offsetof(struct rmm_measure_desc_rec, desc_type) == 0x00,
	      "DEN0137 1.0 RmmMeasurementDescriptorRec: desc_type");
static_assert(offsetof(struct rmm_measure_desc_rec, len) == 0x08,
	      "DEN0137 1.0 RmmMeasurementDescriptorRec: len");
static_assert(offsetof(struct rmm_measure_desc_rec, rim) == 0x10,
	      "DEN0137 1.0 RmmMeasurementDescriptorRec: rim");
static_assert(offsetof(struct rmm_measure_desc_rec, content) == 0x50,
	      "DEN0137 1.0 RmmMeasurementDescriptorRec: content");
static_assert(sizeof(struct rmm_measure_desc_rec) == RMM_MEASURE_DESC_SIZE,
	      "DEN0137 1.0 RmmMeasurementDescriptorRec: size");

/* RmmMeasurementDescriptorRipas (rmm-v1.0.md s14.3). */
struct rmm_measure_desc_ripas {
	uint8_t desc_type; /* 0x00 RMM_MEASURE_DESC_TYPE_RIPAS */
	uint8_t reserved0[0x08 - 0x01];
	uint64_t len;			       /* 0x08 always 0x100 */
	uint8_t rim[RMM_MAX_MEASUREMENT_SIZE]; /* 0x10 */
	uint64_t base;			       /* 0x50 */
	uint64_t top;			       /* 0x58 */
	uint8_t reserved1[0x100 - 0x60];
};

static_assert(offsetof(struct rmm_measure_desc_ripas, desc_type) == 0x00,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: desc_type");
static_assert(offsetof(struct rmm_measure_desc_ripas, len) == 0x08,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: len");
static_assert(offsetof(struct rmm_measure_desc_ripas, rim) == 0x10,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: rim");
static_assert(offsetof(struct rmm_measure_desc_ripas, base) == 0x50,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: base");
static_assert(offsetof(struct rmm_measure_desc_ripas, top) == 0x58,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: top");
static_assert(sizeof(struct rmm_measure_desc_ripas) == RMM_MEASURE_DESC_SIZE,
	      "DEN0137 1.0 RmmMeasurementDescriptorRipas: size");

#pragma GCC diagnostic pop

#endif /* REALMKIT_ABI_RMI_H */
