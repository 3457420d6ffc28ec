/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The test VMM's helpers: power the board, open the KVM-shaped UAPI, build
 * a realm with guest_memfd memory, populate it, read the leak report.
 * Everything goes through include/realmkit/kvm.h, as a VMM's code does.
 */
#ifndef REALMKIT_TESTS_VMM_UTIL_H
#define REALMKIT_TESTS_VMM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realmkit/kvm.h>

#include "rk_test.h"

/* Guest RAM base of the test realms (kvmtool layout). */
#define VMM_RAM_BASE 0x80000000ULL

struct vmm {
	int sys, vm, gmem;
	void *ram; /* shared backing of the memslot */
	uint64_t ram_size;
	int vcpu[8];
	unsigned int nvcpus;
};

/* Powers the board on (64 MiB DRAM) with the host configured as given (NULL = defaults). */
int vmm_power_on(const struct rk_kvm_host_config *cfg);
void vmm_power_off(void);

/* ioctl that returns -errno on failure (so assert_int_equal shows the errno). */
int vmm_ioctl(int h, unsigned long req, uintptr_t arg);

/* Opens the system handle and creates a realm VM of ipa_bits (0 = default). */
void vmm_create_realm(struct vmm *m, unsigned int ipa_bits);

/* A guest_memfd slot 0 of ram_size at base with a shared backing. */
void vmm_add_ram(struct vmm *m, uint64_t base, uint64_t ram_size);

/* True once the RMM implements RMI_REC_ENTER (it answers SMC_UNKNOWN before). */
bool vmm_rec_enter_available(void);

/* KVM_SET_MEMORY_ATTRIBUTES over [gpa, gpa + size). */
int vmm_set_private(struct vmm *m, uint64_t gpa, uint64_t size, bool private);

/* Loops KVM_ARM_RMI_POPULATE until size is 0; returns 0 or -errno. */
int vmm_populate(struct vmm *m, uint64_t gpa, const void *src, uint64_t size, uint32_t flags);

/* KVM_CREATE_VCPU + KVM_ARM_VCPU_INIT with PSCI 0.2; PC = entry. */
int vmm_add_vcpu(struct vmm *m, uint64_t entry);

/* Destroys the VM, returns its leak report, frees the RAM and closes the system handle. */
void vmm_destroy(struct vmm *m, struct rk_kvm_leak_report *rep);

/* Log lines the host printed since the last vmm_log_clear(). */
extern char vmm_log[4096];
void vmm_log_clear(void);
void vmm_log_capture(const char *line);

#endif /* REALMKIT_TESTS_VMM_UTIL_H */
