/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small wrappers over realmkit's extensions of include/realmkit/kvm.h (the
 * leak report of the VM's teardown, the PSCI completion mode through the
 * realm configuration capability). The RMI observer the VMM's traces use
 * (rk_kvm_set_rmi_observer) is declared in kvm.h itself. None of these
 * exists on /dev/kvm: a ported VMM loses the leak report and the view of
 * the host's RMI calls, and uses the host's PSCI mode.
 */
#ifndef REALMKIT_VMM_KVM_EXT_H
#define REALMKIT_VMM_KVM_EXT_H

#include <stdint.h>

#include <realmkit/kvm.h>

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

	item.psci_mode =
		explicit_completion ? KVM_ARM_RMI_PSCI_EXPLICIT : KVM_ARM_RMI_PSCI_IMPLICIT;
	cap.args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM;
	cap.args[1] = (uint64_t)(uintptr_t)&item;
	return rk_kvm_ioctl(vm_handle, KVM_ENABLE_CAP, &cap);
}

#endif /* REALMKIT_VMM_KVM_EXT_H */
