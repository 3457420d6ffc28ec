/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PROPOSED realmkit extensions of include/realmkit/kvm.h that the VMM
 * uses when the host provides them. They are declared weak: until the host
 * defines them the VMM builds, links and runs without them (no RMI events
 * in traces, no leak report, PSCI mode left at the host's default). When
 * the host adds them to kvm.h it defines RK_KVM_HAS_RMI_OBSERVER /
 * RK_KVM_HAS_LEAK_REPORT / RK_KVM_HAS_PSCI_MODE and these fallback
 * declarations step aside. None of them exists on /dev/kvm: a ported VMM
 * simply loses tracing of the host's RMI calls.
 */
#ifndef REALMKIT_VMM_KVM_EXT_H
#define REALMKIT_VMM_KVM_EXT_H

#include <stdint.h>

#include <realmkit/kvm.h>

#ifndef RK_KVM_HAS_RMI_OBSERVER
/*
 * One RMI call the host made for a VM: the FID and X1..X6 in, X0..X4 out,
 * CLOCK_MONOTONIC times around the SMC, and the vCPU whose thread made the
 * call (-1 when it was made outside KVM_RUN, e.g. during POPULATE).
 */
struct rk_kvm_rmi_event {
	uint64_t fid;
	uint64_t args[6];
	uint64_t ret[5];
	uint64_t start_ns, end_ns;
	int32_t vcpu_id;
	uint32_t pad;
};

typedef void (*rk_kvm_rmi_observer_fn)(void *opaque, const struct rk_kvm_rmi_event *ev);

/*
 * Registers fn to be called synchronously, on the calling thread, after
 * every RMI call the host makes for vm_handle (REALM_CREATE on the first
 * POPULATE included, so register right after KVM_CREATE_VM). fn must be
 * thread-safe. Returns 0 or -1 with errno.
 */
int rk_kvm_set_rmi_observer(int vm_handle, rk_kvm_rmi_observer_fn fn, void *opaque)
	__attribute__((weak));
#endif

/* rk_kvm_close() of the last VM handle, returning the teardown's leak report. */
static inline int rk_kvm_close_vm(int vm_handle, struct rk_kvm_leak_report *report)
{
	return rk_kvm_destroy_vm(vm_handle, report);
}

/* Selects the PSCI completion mode through the realm configuration capability. */
static inline int rk_kvm_set_psci_mode(int vm_handle, int explicit_completion)
{
	struct kvm_cap_arm_rmi_config_item item = { .cfg = KVM_CAP_ARM_RMI_CFG_PSCI };
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_RMI };

	item.psci_mode = explicit_completion ? KVM_ARM_RMI_PSCI_EXPLICIT : KVM_ARM_RMI_PSCI_IMPLICIT;
	cap.args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM;
	cap.args[1] = (uint64_t)(uintptr_t)&item;
	return rk_kvm_ioctl(vm_handle, KVM_ENABLE_CAP, &cap);
}

#endif /* REALMKIT_VMM_KVM_EXT_H */
