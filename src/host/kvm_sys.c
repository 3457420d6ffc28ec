/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * System ioctls and KVM_CHECK_EXTENSION, with the realm capability allowlist
 * of [PATCH v12 08/46] (kvm-cca-host.md s2.7): a realm VM reports only the
 * listed capabilities, each as this host supports it.
 */
#include <errno.h>

#include "host_priv.h"

/* The allowlist for realms (v12), plus the memory capabilities realms use. */
static bool realm_cap_allowed(uint64_t cap)
{
	switch (cap) {
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_NR_VCPUS:
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
	case KVM_CAP_MSI_DEVID:
	case KVM_CAP_ARM_VM_IPA_SIZE:
	case KVM_CAP_ARM_PMU_V3:
	case KVM_CAP_ARM_PTRAUTH_ADDRESS:
	case KVM_CAP_ARM_PTRAUTH_GENERIC:
	case KVM_CAP_ARM_RMI:
	case KVM_CAP_ARM_SVE:
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_MEMORY_ATTRIBUTES:
	case KVM_CAP_GUEST_MEMFD:
		return true;
	default:
		return false;
	}
}

/*
 * vm == NULL: the system handle's answer. realmkit has no in-kernel
 * irqchip, PMU, pointer authentication or (in its RMM) SVE, so those read 0.
 */
int kvm_check_extension(const struct host_vm *vm, uint64_t cap)
{
	bool realm = vm && vm->is_realm;

	if (realm && !realm_cap_allowed(cap))
		return 0;
	switch (cap) {
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_USER_MEMORY2:
		return 1;
	case KVM_CAP_NR_VCPUS:
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return (int)HOST_MAX_VCPUS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		/* [PATCH v12 07/46]: the RMM's S2SZ limits realms. */
		return hg.rmi_available ? (int)host_max_ipa_bits() : (int)HOST_DEFAULT_IPA_BITS;
	case KVM_CAP_ARM_RMI:
		return hg.rmi_available ? 1 : 0;
	case KVM_CAP_ARM_SVE:
		return realm ? (int)host_feat0(RMI_FEATURE_REGISTER_0_SVE_EN_SHIFT,
					       RMI_FEATURE_REGISTER_0_SVE_EN_WIDTH)
			     : 0;
	case KVM_CAP_MEMORY_ATTRIBUTES:
		/* kvm_arch_has_private_mem() is true for realms only. */
		return realm ? (int)KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	case KVM_CAP_GUEST_MEMFD:
		return 1;
	default:
		return 0;
	}
}

int kvm_sys_ioctl(unsigned long req, void *arg, uint64_t iarg)
{
	(void)arg;
	switch (req) {
	case KVM_GET_API_VERSION:
		return KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(NULL, iarg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return (int)hg.page_size;
	default:
		return -EINVAL;
	}
}
