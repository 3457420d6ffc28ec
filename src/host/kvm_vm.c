/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VM creation (KVM_CREATE_VM's type: IPA size and machine type, [PATCH v12
 * 09/46]), the VM ioctls, vCPU creation and the realm configuration
 * capability (KVM_CAP_ARM_RMI_CONFIG_REALM, kvm.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_priv.h"

#define FEAT(name) \
	host_feat0(RMI_FEATURE_REGISTER_0_##name##_SHIFT, RMI_FEATURE_REGISTER_0_##name##_WIDTH)

static void realm_config_defaults(struct host_vm *vm)
{
	vm->hash_algo = RMI_HASH_SHA_256;
	/*
	 * [PATCH v12 38/46]: the RMM's limits, in the ID_AA64DFR0_EL1 BRPs/WRPs
	 * encoding (count - 1) that RMI_FEATURES and RmiRealmParams both use.
	 */
	vm->num_bps = (uint32_t)FEAT(NUM_BPS);
	vm->num_wps = (uint32_t)FEAT(NUM_WPS);
	vm->psci_mode = KVM_ARM_RMI_PSCI_IMPLICIT;
}

/*
 * kvm-cca-host.md s2.3 (v12): type bits [7:0] = IPA size (0 = 40 bits),
 * [11:8] = machine type. Unknown bits or types, a realm without RMI
 * support, or an IPA size outside [32, limit] -> EINVAL.
 */
struct host_vm *kvm_vm_create(uint64_t type, int *err)
{
	uint64_t machine = type & KVM_VM_TYPE_ARM_MASK;
	unsigned int ipa = (unsigned int)KVM_VM_TYPE_ARM_IPA_SIZE(type);
	bool realm = machine == KVM_VM_TYPE_ARM_REALM;
	unsigned int limit = realm ? host_max_ipa_bits() : HOST_DEFAULT_IPA_BITS;
	struct host_vm *vm;

	*err = -EINVAL;
	if (type & ~(KVM_VM_TYPE_ARM_MASK | KVM_VM_TYPE_ARM_IPA_SIZE_MASK))
		return NULL;
	if (machine != KVM_VM_TYPE_ARM_NORMAL && !realm)
		return NULL;
	if (realm && !hg.rmi_available)
		return NULL;
	if (ipa == 0)
		ipa = HOST_DEFAULT_IPA_BITS;
	if (ipa < 32 || ipa > limit)
		return NULL;
	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		*err = -ENOMEM;
		return NULL;
	}
	vm->is_realm = realm;
	vm->ia_bits = ipa;
	pthread_rwlock_init(&vm->config_lock, NULL);
	pthread_rwlock_init(&vm->obs_lock, NULL);
	pthread_mutex_init(&vm->lock, NULL);
	atomic_init(&vm->state, REALM_STATE_NONE);
	realm_config_defaults(vm);
	return vm;
}

static int config_item(struct host_vm *vm, const struct kvm_cap_arm_rmi_config_item *it)
{
	switch (it->cfg) {
	case KVM_CAP_ARM_RMI_CFG_RPV:
		memcpy(vm->rpv, it->rpv, sizeof(vm->rpv));
		return 0;
	case KVM_CAP_ARM_RMI_CFG_HASH_ALGO:
		if (it->hash_algo == KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA256 && FEAT(HASH_SHA_256))
			vm->hash_algo = RMI_HASH_SHA_256;
		else if (it->hash_algo == KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512 && FEAT(HASH_SHA_512))
			vm->hash_algo = RMI_HASH_SHA_512;
		else
			return -EINVAL;
		return 0;
	case KVM_CAP_ARM_RMI_CFG_SVE:
		/* rmm-v1.0.md s5: SVE_VL is the largest VL / 128 minus one. */
		if (it->sve_vq && (!FEAT(SVE_EN) || it->sve_vq > FEAT(SVE_VL) + 1))
			return -EINVAL;
		vm->sve_vq = it->sve_vq;
		return 0;
	case KVM_CAP_ARM_RMI_CFG_DBG:
		/* [PATCH v12 39/46]: BRPs and WRPs > 0, within the RMM's limits. */
		if (it->num_brps == 0 || it->num_brps > FEAT(NUM_BPS) || it->num_wrps == 0 ||
		    it->num_wrps > FEAT(NUM_WPS))
			return -EINVAL;
		vm->num_bps = it->num_brps;
		vm->num_wps = it->num_wrps;
		return 0;
	default:
		return -EINVAL;
	}
}

int realm_configure(struct host_vm *vm, const struct kvm_enable_cap *cap)
{
	const struct kvm_cap_arm_rmi_config_item *it;
	int ret;

	if (!vm->is_realm || cap->cap != KVM_CAP_ARM_RMI || cap->flags ||
	    cap->args[0] != KVM_CAP_ARM_RMI_CONFIG_REALM)
		return -EINVAL;
	it = (const void *)(uintptr_t)cap->args[1];
	if (!it)
		return -EFAULT;
	pthread_rwlock_wrlock(&vm->config_lock);
	if (it->cfg == KVM_CAP_ARM_RMI_CFG_PSCI) {
		/* Until activation; it does not change the RD (kvm.h). */
		if (realm_state(vm) >= REALM_STATE_ACTIVE || vm->vcpu_ran)
			ret = -EPERM;
		else if (it->psci_mode > KVM_ARM_RMI_PSCI_EXPLICIT)
			ret = -EINVAL;
		else
			vm->psci_mode = it->psci_mode, ret = 0;
	} else if (realm_state(vm) != REALM_STATE_NONE) {
		/* kvm-cca-host.md s2.7: immutable once the RD exists. */
		ret = -EPERM;
	} else {
		ret = config_item(vm, it);
	}
	pthread_rwlock_unlock(&vm->config_lock);
	return ret;
}

struct host_vcpu *kvm_vcpu_create(struct host_vm *vm, uint64_t id, int *err)
{
	struct host_vcpu *v;

	if (id >= HOST_MAX_VCPUS) {
		*err = -EINVAL;
		return NULL;
	}
	pthread_rwlock_wrlock(&vm->config_lock);
	pthread_mutex_lock(&vm->lock);
	/* RECs are fixed at activation: no vCPU can join an activated realm. */
	if (vm->is_realm && (realm_state(vm) > REALM_STATE_NEW || vm->vcpu_ran)) {
		*err = -EBUSY;
		v = NULL;
		goto out;
	}
	if (vm->vcpus[id]) {
		*err = -EEXIST;
		v = NULL;
		goto out;
	}
	v = calloc(1, sizeof(*v));
	if (v)
		v->run = aligned_alloc(4096, 4096);
	if (!v || !v->run) {
		free(v);
		v = NULL;
		*err = -ENOMEM;
		goto out;
	}
	memset(v->run, 0, 4096);
	v->vm = vm;
	v->id = (uint32_t)id;
	/* KVM's default MPIDR from the vCPU id, in RmiRecMpidr layout (s7.5). */
	v->mpidr = rmi_rec_index_to_mpidr(id);
	v->pc = 0;
	pthread_cond_init(&v->power_cond, NULL);
	/* [PATCH v12 12/46]: only vCPU 0's REC is created runnable. */
	v->powered_on = id == 0;
	vm->vcpus[id] = v;
	vm->nvcpus++;
out:
	pthread_mutex_unlock(&vm->lock);
	pthread_rwlock_unlock(&vm->config_lock);
	return v;
}

void kvm_vcpu_free(struct host_vcpu *v)
{
	pthread_cond_destroy(&v->power_cond);
	free(v->run);
	free(v);
}

static int vm_create_vcpu(struct host_vm *vm, uint64_t id, void **newobj, int *newtype)
{
	int err = 0;
	struct host_vcpu *v = kvm_vcpu_create(vm, id, &err);

	if (!v)
		return err;
	*newobj = v;
	*newtype = 1;
	return 0;
}

static int vm_create_gmem(struct host_vm *vm, const struct kvm_create_guest_memfd *a, void **newobj,
			  int *newtype)
{
	int err = 0;
	struct host_gmem *g;

	if (!a)
		return -EFAULT;
	g = gmem_create(vm, a, &err);
	if (!g)
		return err;
	*newobj = g;
	*newtype = 2;
	return 0;
}

int kvm_vm_ioctl(struct host_vm *vm, unsigned long req, void *arg, uint64_t iarg, void **newobj,
		 int *newtype)
{
	switch (req) {
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(vm, iarg);
	case KVM_CREATE_VCPU:
		return vm_create_vcpu(vm, iarg, newobj, newtype);
	case KVM_CREATE_GUEST_MEMFD:
		return vm_create_gmem(vm, arg, newobj, newtype);
	case KVM_SET_USER_MEMORY_REGION2:
		if (!arg)
			return -EFAULT;
		return memslot_set(vm, arg);
	case KVM_SET_MEMORY_ATTRIBUTES:
		if (!arg)
			return -EFAULT;
		return memattr_set(vm, arg);
	case KVM_ENABLE_CAP:
		if (!arg)
			return -EFAULT;
		return realm_configure(vm, arg);
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init *init = arg;

		if (!init)
			return -EFAULT;
		memset(init, 0, sizeof(*init));
		init->target = KVM_ARM_TARGET_GENERIC_V8;
		return 0;
	}
	case KVM_ARM_RMI_POPULATE:
		/* The series settled on ENXIO for realm ioctls on other VMs. */
		if (!vm->is_realm)
			return -ENXIO;
		if (!arg)
			return -EFAULT;
		return realm_populate(vm, arg);
	default:
		return -EINVAL;
	}
}
