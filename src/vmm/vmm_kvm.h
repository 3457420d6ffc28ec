/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The real back end of the construction sequence: every step is a call of
 * include/realmkit/kvm.h (kvm-cca-host.md s2), the VMM's only way to the
 * host. Porting to /dev/kvm means replacing the rk_kvm_* calls.
 */
#ifndef REALMKIT_VMM_KVM_H
#define REALMKIT_VMM_KVM_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <realmkit/kvm.h>

#include "construct.h"
#include "kvm_ext.h"
#include "trace.h"

/* A VM and its vCPUs, as handles of the UAPI. Unused handles are -1. */
struct vmm_vm {
	int sys, vm, gmem;
	unsigned int nr_vcpus;
	int vcpu_fd[VMM_MAX_CPUS];
	struct kvm_run *run[VMM_MAX_CPUS];
	uint8_t *ram_shared; /* the memslot's userspace_addr (shared alias backing) */
	uint64_t ram_gpa, ram_size;
	unsigned int ipa_bits;
	enum vmm_psci_mode psci;
	bool debug;
	struct vmm_trace *trace;
	/* Phase marks (CLOCK_MONOTONIC ns, 0 = not reached; session.h). */
	uint64_t populate_start_ns, populate_end_ns;
	_Atomic uint64_t activated_ns; /* end of RMI_REALM_ACTIVATE (RMI observer) */
	_Atomic uint64_t n_rmi;	       /* RMI calls the observer reported */
};

extern const struct vmm_backend kvm_backend;

/* Empty VM state; trace may be NULL. */
void vmm_vm_init(struct vmm_vm *vm, struct vmm_trace *trace, bool debug);

/*
 * Closes every handle (vCPUs, guest_memfd, VM, system) and frees the shared
 * RAM. rep, if not NULL, receives the host's leak report when the host
 * provides one (kvm_ext.h); *have_report tells whether it did.
 */
void vmm_vm_destroy(struct vmm_vm *vm, struct rk_kvm_leak_report *rep, bool *have_report);

/* KVM_SET_ONE_REG / KVM_GET_ONE_REG of a 64-bit core register. Return 0 or -1 (errno). */
int vmm_vcpu_set_reg(const struct vmm_vm *vm, unsigned int idx, uint64_t id, uint64_t val);
int vmm_vcpu_get_reg(const struct vmm_vm *vm, unsigned int idx, uint64_t id, uint64_t *val);

/* The canonical GPA of an IPA (the unprotected alias bit stripped). */
uint64_t vmm_vm_canonical_gpa(const struct vmm_vm *vm, uint64_t ipa);

#endif /* REALMKIT_VMM_KVM_H */
