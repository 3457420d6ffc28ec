/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform as seen from the Root and Realm worlds: the root view of
 * DRAM, the GPT and the EL3 services (GTSI) that change it, and the
 * registration of the RMM behind the SMC conduit. Only the RMM (and the
 * board that assembles the machine) may include this header; the build
 * gives its directory to no other actor.
 */
#ifndef REALMKIT_PLATFORM_ROOT_H
#define REALMKIT_PLATFORM_ROOT_H

#include <stdint.h>

#include <realmkit/abi/smccc.h>
#include <realmkit/platform.h>

/* Pointer into the root view of DRAM at pa (always accessible), or NULL if not DRAM. */
void *platform_root_ptr(pa_t pa);

/* Base of the root view: PA RK_DRAM_BASE maps here (for the CPU engine). */
void *platform_root_base(void);

/*
 * EL3 Granule Transition Service: NS -> REALM. Fails with -EINVAL if pa is
 * not a DRAM granule, -EPERM if its PAS is not NS. On success the granule's
 * NS view becomes inaccessible.
 */
int el3_gtsi_delegate(pa_t pa);

/* EL3 Granule Transition Service: REALM -> NS (same errors, PAS must be REALM). */
int el3_gtsi_undelegate(pa_t pa);

/* Handler the RMM registers for RMI function IDs (fid has the SVE hint cleared). */
typedef void (*rmi_handler_fn)(uint64_t fid, const uint64_t args[6], struct smc_result *res);

/* Registers (or, with NULL, removes) the RMM behind the conduit. */
void conduit_register_rmm(rmi_handler_fn fn);

/*
 * Fault injection for tests (issue: robustness): when set, the next `count`
 * GTSI requests fail with -EIO as if EL3 refused them.
 */
void el3_inject_gtsi_failures(unsigned int count);

/*
 * Invalidates cached stage-2 translations of a VMID on every CPU engine:
 * when it returns, no engine uses a translation of that VMID cached before
 * the call (the TLBI VMALLS12E1 the RMM issues, broadcast Inner Shareable,
 * after an RTT change that removes or changes a valid mapping; rmm-v1.0.md
 * s11, unicorn-2.0.1.md "Stage 2 and precise faults"). Calls every
 * registered invalidation callback; with none registered (no engine runs)
 * there is nothing to invalidate. May be called with RMM granule locks held.
 */
void platform_tlbi_vmid(uint16_t vmid);

/*
 * Registers an invalidation callback of a CPU engine: fn(ctx, vmid) must
 * make that engine drop every cached stage-2 translation of vmid before it
 * returns (or before the engine next translates). Callbacks run with the
 * registry's mutex held, possibly with RMM granule spinlocks held, from any
 * thread: they must not block on RMM locks nor (un)register callbacks.
 * Returns 0, -EINVAL for a NULL fn, -EEXIST if (fn, ctx) is already
 * registered, or -ENOMEM.
 */
int platform_register_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx);

/*
 * Removes a callback registered with the same (fn, ctx). Once it returns,
 * the callback is not running and will not be called again. Returns 0 or
 * -ENOENT.
 */
int platform_unregister_tlbi(void (*fn)(void *ctx, uint16_t vmid), void *ctx);

#endif /* REALMKIT_PLATFORM_ROOT_H */
