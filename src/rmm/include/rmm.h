/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RMM's boot interface, for the board that assembles the machine. The
 * host never includes this: it reaches the RMM only through smc_call().
 */
#ifndef REALMKIT_RMM_H
#define REALMKIT_RMM_H

/*
 * Boots the RMM on the current platform: builds the granule tracking for
 * all DRAM and registers the RMI handler behind the SMC conduit. Returns 0
 * or a negative errno. platform_init() must have succeeded.
 */
int rmm_boot(void);

/* Unregisters the RMM and frees its tracking (the platform stays up). */
void rmm_shutdown(void);

#endif /* REALMKIT_RMM_H */
