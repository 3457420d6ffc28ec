/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMM's global invariant checker, for tests (stress, fuzzing,
 * robustness). It walks every live realm's RTTs and every tracked granule
 * and checks what rmm-v1.0.md s9 and s16 promise:
 *
 *   - each live RD (realm registry) is in state RD, has a reserved VMID not
 *     shared with another realm, and valid geometry; its roots are RTT;
 *   - every RTT granule is a live realm's root or is reachable from exactly
 *     one TABLE entry; every TABLE entry names an RTT granule;
 *   - every entry is a well-formed s9.4 descriptor of a kind allowed in its
 *     half (protected kinds in PAR, NS kinds outside it), root entries
 *     beyond 2^s2sz are zero, there are no level-0 blocks;
 *   - reference counts equal what references them (s16.3): an RTT's count =
 *     its TABLE and protected ASSIGNED entries (root-level ones counted on
 *     the first root, s2tt.h); an RD's = its RECs; other states 0;
 *   - every DATA granule is mapped by exactly one ASSIGNED entry, every
 *     REC_AUX granule belongs to exactly one REC, every REC to a live RD;
 *   - a REC's index is below its realm's REC count and matches its MPIDR,
 *     its stage-2 geometry and hash algorithm are its RD's, it has exactly
 *     RMI_REC_AUX_COUNT aux granules;
 *   - DELEGATED granules are all zero; no granule is locked;
 *   - PAS and state agree: state NS <=> PAS is not Realm (NS, or the
 *     Root/Secure carve-outs the RMM never delegates), and the carve-outs
 *     keep their boot PAS;
 *   - no host-visible mapping of a granule outside PAS NS: the platform's
 *     mprotect bookkeeping (platform_ns_view_accessible) says "open" iff
 *     the PAS is NS, and a real read probe through the NS view
 *     (platform_ns_view_probe) faults for every Realm-PAS granule and for a
 *     rotating sample of INV_CARVEOUT_PROBES carve-out granules per call;
 *   - the RIM of an active (or SYSTEM_OFF) realm never changes (s14.1): the
 *     first call that sees a realm past NEW records its RIM, keyed by RD
 *     PA; later calls compare. A snapshot is dropped when a call finds the
 *     RD gone or NEW. A caller that may destroy a realm and re-create and
 *     activate another at the same RD address between two calls must call
 *     rmm_invariants_forget_rims() in between (the checker cannot tell the
 *     two realms apart);
 *   - every mapped IPA in every engine agrees with the RTTs (issue 8): no
 *     CPU engine holds a stage-2 translation cached before the last
 *     invalidation of its VMID (an unmap, a DATA_DESTROY, a RIPAS change
 *     to EMPTY; rmm-v1.0.md s11.1, s11.6). The engines walk the RTTs
 *     architecturally, so a stale TLB entry is the only way to disagree;
 *     checked through per-VMID invalidation generations
 *     (engines_check_tlb_coherent(), engine.h), not by walking QEMU's TLB.
 *
 * Must run while no RMI command, REC or engine is running (it reads RTTs
 * and granule contents without locks and expects no REC to be running).
 * The RIM table is shared by all callers (one machine per process).
 */
#ifndef REALMKIT_RMM_INVARIANTS_H
#define REALMKIT_RMM_INVARIANTS_H

#include <stddef.h>

/*
 * Returns 0 if every invariant holds, else the number of violations found,
 * with the first one described in why (NUL-terminated, truncated to len;
 * why may be NULL when len is 0). Returns at least 1 if the checker cannot
 * allocate its bookkeeping.
 */
int rmm_check_invariants(char *why, size_t len);

/* Forgets every recorded RIM (see above: realms re-created between two checks). */
void rmm_invariants_forget_rims(void);

#endif /* REALMKIT_RMM_INVARIANTS_H */
