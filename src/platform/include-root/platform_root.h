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

#endif /* REALMKIT_PLATFORM_ROOT_H */
