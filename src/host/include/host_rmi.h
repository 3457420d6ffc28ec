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
 * The remaining RMI commands (rmm-v1.0.md s4). Each returns X0 (status |
 * index << 8); outputs beyond X0 go to the pointer arguments, which may be
 * NULL when the caller does not need them.
 */
uint64_t rmi_data_create(pa_t rd, pa_t data, uint64_t ipa, pa_t src, uint64_t flags);
uint64_t rmi_data_create_unknown(pa_t rd, pa_t data, uint64_t ipa);
/* X1 = the data granule's PA, X2 = top (rmm-v1.0.md s11.7). */
uint64_t rmi_data_destroy(pa_t rd, uint64_t ipa, pa_t *data, uint64_t *top);
uint64_t rmi_realm_activate(pa_t rd);
uint64_t rmi_realm_create(pa_t rd, pa_t params);
uint64_t rmi_realm_destroy(pa_t rd);
uint64_t rmi_rec_create(pa_t rd, pa_t rec, pa_t params);
uint64_t rmi_rec_destroy(pa_t rec);
uint64_t rmi_rec_enter(pa_t rec, pa_t run);
uint64_t rmi_rtt_create(pa_t rd, pa_t rtt, uint64_t ipa, int level);
/* X1 = the RTT's PA, X2 = top. */
uint64_t rmi_rtt_destroy(pa_t rd, uint64_t ipa, int level, pa_t *rtt, uint64_t *top);
uint64_t rmi_rtt_fold(pa_t rd, uint64_t ipa, int level, pa_t *rtt);
uint64_t rmi_rtt_map_unprotected(pa_t rd, uint64_t ipa, int level, uint64_t desc);
/* X1 = top. */
uint64_t rmi_rtt_unmap_unprotected(pa_t rd, uint64_t ipa, int level, uint64_t *top);
/* out[0..3] = X1..X4: walk level, state, descriptor, RIPAS. */
uint64_t rmi_rtt_read_entry(pa_t rd, uint64_t ipa, int level, uint64_t out[4]);
uint64_t rmi_psci_complete(pa_t calling_rec, pa_t target_rec, uint64_t status);
uint64_t rmi_rec_aux_count(pa_t rd, uint64_t *count);
/* X1 = top_done. */
uint64_t rmi_rtt_init_ripas(pa_t rd, uint64_t base, uint64_t top, uint64_t *top_done);
uint64_t rmi_rtt_set_ripas(pa_t rd, pa_t rec, uint64_t base, uint64_t top, uint64_t *top_done);

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

/*
 * Test hooks (fault injection of allocation failure, tests/host/
 * test_host_allocfail.c). host_pages_inject_failures: after skip more
 * allocation calls (host_page_alloc or host_pages_alloc_contig with n > 0)
 * proceed normally, the next count calls fail (return pa 0) as if memory
 * were exhausted; (0, 0) disarms. host_pages_alloc_count: allocation calls
 * made since the process started (failed ones included; host_pages_init
 * does not reset it), for counting those of a sequence by difference.
 */
void host_pages_inject_failures(unsigned int skip, unsigned int count);
uint64_t host_pages_alloc_count(void);

#endif /* REALMKIT_HOST_RMI_H */
