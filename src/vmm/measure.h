/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The measuring back end of the construction sequence (construct.h): it
 * replays what the host (src/host, modelled on the v12 series) will ask of
 * the RMM for each UAPI step and computes the RIM the RMM will compute
 * (rmm-v1.0.md s14), keeping a construction log in the format of
 * tests/rim/rim.py so an independent model can check it.
 *
 * ASSUMPTIONS ABOUT THE HOST (the RIM depends on them; kvm-cca-host.md
 * s2.8, s3.3, s3.5, s3.6, s3.7 -- the lead and the host engineer should
 * check these against src/host):
 *  H1 REALM_CREATE params: s2sz = the IPA size of KVM_CREATE_VM;
 *     rtt_level_start = 4 - (s2sz - 8) / 9 (concatenated roots, s3.3);
 *     flags = SVE iff an SVE VL was configured (no LPA2, no PMU);
 *     sve_vl = VQ - 1; num_bps / num_wps = the RMM maxima from
 *     RMI_FEATURES (the raw feature fields, realmkit: 5 and 3, as v12 fills
 *     ID_AA64DFR0_EL1 with the RMM's limits); pmu_num_ctrs = 0;
 *     algorithm = the configured hash algorithm.
 *  H2 POPULATE: one DATA_CREATE per 4 KB granule in ascending IPA order
 *     with the MEASURE flag; on RMI_ERROR_RTT (index = walk level) the host
 *     creates the missing RTTs from walk level + 1 down to level 3 and
 *     retries (s2.8). No other RTTs are created before activation.
 *  H3 Activation at the first KVM_RUN (s3.7): REC_CREATE for every vCPU in
 *     index order (only vCPU 0 RUNNABLE, gprs X0-X7 and PC as set), THEN
 *     INIT_RIPAS over the whole RAM memslot, then REALM_ACTIVATE.
 *  H4 INIT_RIPAS loop (v12 ripas_change(RIPAS_INIT)): ipa = base; while
 *     ipa < end: RTT_INIT_RIPAS(ipa, end); SUCCESS -> ipa = X1; (E_RTT, l)
 *     -> level = find_map_level(ipa, end) (the shallowest level > start
 *     level at which ipa is aligned and the entry fits before end, at
 *     most 3); if l >= level skip one 4 KB page (v12's workaround for ASSIGNED
 *     pages), else create RTTs from l + 1 down to level and retry.
 */
#ifndef REALMKIT_VMM_MEASURE_H
#define REALMKIT_VMM_MEASURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "construct.h"

/* realmkit's RMM feature limits the host copies into the realm parameters (H1). */
#define MEASURE_HOST_NUM_BPS 5
#define MEASURE_HOST_NUM_WPS 3

struct measure;

/* A measuring back end; keep_log records the construction log (with page contents). */
struct measure *measure_new(bool keep_log);
void measure_free(struct measure *m);

/* The back-end table for vmm_construct(). */
extern const struct vmm_backend measure_backend;

/* After vmm_construct(): the RIM (hash-length bytes), its length. */
const uint8_t *measure_rim(const struct measure *m, size_t *len);

/* Writes {"rim", "algorithm", "rpv", "realm", "commands"} as JSON: a valid rim.py log. */
void measure_write_json(const struct measure *m, FILE *f);

#endif /* REALMKIT_VMM_MEASURE_H */
