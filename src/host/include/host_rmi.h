/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's RMI call wrappers (the role of the kernel's rmi_cmds.h) and its
 * allocator of Non-secure granules. Everything goes through smc_call().
 */
#ifndef REALMKIT_HOST_RMI_H
#define REALMKIT_HOST_RMI_H

#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>

/* RMI_VERSION: returns X0; *lower and *higher receive X1, X2 (may be NULL). */
uint64_t rmi_version(uint64_t requested, uint64_t *lower, uint64_t *higher);

/* RMI_FEATURES(index): returns X0, the value in *value. */
uint64_t rmi_features(uint64_t index, uint64_t *value);

uint64_t rmi_granule_delegate(pa_t pa);
uint64_t rmi_granule_undelegate(pa_t pa);

/*
 * The host's page allocator over the NS DRAM range the platform reports
 * (the role of the kernel's page allocator). Thread-safe.
 */
int host_pages_init(void);
void host_pages_fini(void);

/* One zeroed NS granule, or pa 0 when memory is exhausted. */
pa_t host_page_alloc(void);

/* n physically contiguous granules aligned to align bytes (power of two), or pa 0. */
pa_t host_pages_alloc_contig(uint64_t n, uint64_t align);

void host_page_free(pa_t pa);
void host_pages_free(pa_t pa, uint64_t n);

/* Granules currently allocated. */
uint64_t host_pages_in_use(void);

#endif /* REALMKIT_HOST_RMI_H */
