/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VMID allocator. RMM v1.0 has the host choose each realm's VMID
 * (RmiRealmParams.vmid, rmm-v1.0.md s8.1); the RMM only checks that it is
 * valid for the VMID width and not used by another live realm
 * (failure-conditions s2.5 vmid_valid). realmkit's stage 2 uses 16-bit
 * VMIDs (VTCR_EL2.VS = 1), so every uint16_t is valid.
 *
 * A bitmap of 2^16 bits protected by a mutex (a leaf lock: it may be taken
 * with granule locks held, and nothing is locked under it).
 */
#ifndef REALMKIT_RMM_VMID_H
#define REALMKIT_RMM_VMID_H

#include <stdbool.h>
#include <stdint.h>

/* Number of VMIDs (16-bit VMIDs). */
#define RMM_VMID_COUNT (1u << 16)

/* Atomically checks that vmid is free and reserves it. False if it is in use. */
bool vmid_reserve(uint16_t vmid);

/* Releases a reserved VMID (it must be reserved). */
void vmid_free(uint16_t vmid);

/* True if vmid is reserved (a snapshot: it may change right after). */
bool vmid_is_reserved(uint16_t vmid);

/* Frees every VMID (RMM boot: no realm exists). */
void vmid_reset(void);

#endif /* REALMKIT_RMM_VMID_H */
