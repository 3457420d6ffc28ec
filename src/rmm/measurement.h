/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm measurements (rmm-v1.0.md s14): the RIM (slot 0) and four REMs
 * (slots 1..4) held in the RD, SHA-256 or SHA-512 through OpenSSL, extended
 * with the 256-byte descriptors of s14.3. All functions take the RD locked.
 */
#ifndef REALMKIT_RMM_MEASUREMENT_H
#define REALMKIT_RMM_MEASUREMENT_H

#include <stddef.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>

#include "realm.h"

/* Digest size in bytes of an RmiHashAlgorithm (32 or 64), 0 if invalid. */
size_t measurement_hash_size(unsigned int algorithm);

/* out[0..hash size) = H(data); the rest of out[64] is zeroed. */
void measurement_hash(unsigned int algorithm, const void *data, size_t len,
		      uint8_t out[RMM_MAX_MEASUREMENT_SIZE]);

/* s14.2: RIM := H(params image with only the measured fields); REMs zero. */
void measurement_rim_init(struct rd *rd, const struct rmi_realm_params *params);

/* s14.3 DATA descriptor: ipa, flags, content hash iff flags == MEASURE_CONTENT. */
void measurement_extend_data(struct rd *rd, uint64_t ipa, uint64_t flags,
			     const void *granule_content);

/* s14.3 RIPAS descriptor for one RTT entry's range [base, top). */
void measurement_extend_ripas(struct rd *rd, uint64_t base, uint64_t top);

/* s14.3 REC descriptor (only for RUNNABLE RECs): flags, pc, gprs[0..7]. */
void measurement_extend_rec(struct rd *rd, const struct rmi_rec_params *params);

#endif /* REALMKIT_RMM_MEASUREMENT_H */
