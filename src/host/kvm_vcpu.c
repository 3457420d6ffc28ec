/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vCPU ioctls: KVM_ARM_VCPU_INIT ([PATCH v12 12/46]: PSCI 0.2 required at
 * REC creation, AArch32 refused), KVM_{GET,SET}_ONE_REG with the realm
 * restrictions ([PATCH v12 26/46]), KVM_{GET,SET}_VCPU_EVENTS with the SEA
 * injection rule ([PATCH v12 30/46]), KVM_ARM_VCPU_RMI_PSCI_COMPLETE and
 * KVM_RUN.
 */
#include <errno.h>
#include <string.h>

#include "host_priv.h"

static int vcpu_init(struct host_vcpu *v, const struct kvm_vcpu_init *init)
{
	uint32_t allowed = (1u << KVM_ARM_VCPU_POWER_OFF) | (1u << KVM_ARM_VCPU_PSCI_0_2) |
			   (1u << KVM_ARM_VCPU_EL1_32BIT);

	if (!init)
		return -EFAULT;
	if (init->target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	for (unsigned int i = 1; i < 7; i++) {
		if (init->features[i])
			return -EINVAL;
	}
	/* No PMU, SVE or pointer authentication on this host. */
	if (init->features[0] & ~allowed)
		return -EINVAL;
	/* "RME is incompatible with AArch32". */
	if (v->vm->is_realm && (init->features[0] & (1u << KVM_ARM_VCPU_EL1_32BIT)))
		return -EINVAL;
	/* After the first run the features are fixed (KVM: same features or EINVAL). */
	if (v->rec_created && init->features[0] != v->features)
		return -EINVAL;
	v->features = init->features[0];
	v->initialized = true;
	return 0;
}

/* Core register id -> pointer into the vCPU's register file, or NULL. */
static uint64_t *core_reg(struct host_vcpu *v, uint64_t id)
{
	uint64_t off;

	if ((id & ~0xffffULL) != (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE))
		return NULL;
	off = id & 0xffff;
	if (off & 1)
		return NULL;
	off /= 2;
	if (off < 31)
		return &v->x[off];
	if (off == 31)
		return &v->sp;
	if (off == 32)
		return &v->pc;
	if (off == 33)
		return &v->pstate;
	return NULL;
}

/*
 * [PATCH v12 26/46]: for a realm only X0-X30 and PC may be set, and PC only
 * before activation (realmkit: EPERM otherwise). Reads are not restricted
 * but return the host's copy, stale while the REC owns the state.
 */
static int one_reg(struct host_vcpu *v, const struct kvm_one_reg *r, bool set)
{
	uint64_t *reg;

	if (!r)
		return -EFAULT;
	reg = core_reg(v, r->id);
	if (!reg)
		return -ENOENT;
	if (!r->addr)
		return -EFAULT;
	if (!set) {
		memcpy((void *)(uintptr_t)r->addr, reg, sizeof(*reg));
		return 0;
	}
	if (v->vm->is_realm) {
		bool gpr = reg >= &v->x[0] && reg <= &v->x[30];

		if (!gpr &&
		    (reg != &v->pc || v->rec_created || realm_state(v->vm) >= REALM_STATE_ACTIVE))
			return -EPERM;
	}
	memcpy(reg, (const void *)(uintptr_t)r->addr, sizeof(*reg));
	return 0;
}

/*
 * [PATCH v12 30/46]: no SError injection into a realm (EINVAL); an external
 * data abort only right after an emulatable MMIO exit, where it replaces
 * EMUL_MMIO with INJECT_SEA on the next entry.
 */
static int set_events(struct host_vcpu *v, const struct kvm_vcpu_events *e)
{
	if (!e)
		return -EFAULT;
	for (unsigned int i = 0; i < 12; i++) {
		if (e->reserved[i])
			return -EINVAL;
	}
	for (unsigned int i = 0; i < 5; i++) {
		if (e->exception.pad[i])
			return -EINVAL;
	}
	if (!v->vm->is_realm)
		return 0;
	if (e->exception.serror_pending)
		return -EINVAL;
	if (e->exception.ext_dabt_pending) {
		if (v->pending != PENDING_MMIO)
			return -EINVAL;
		v->inject_sea = true;
	}
	return 0;
}

int kvm_vcpu_ioctl(struct host_vcpu *v, unsigned long req, void *arg)
{
	switch (req) {
	case KVM_ARM_VCPU_INIT:
		return vcpu_init(v, arg);
	case KVM_SET_ONE_REG:
		return one_reg(v, arg, true);
	case KVM_GET_ONE_REG:
		return one_reg(v, arg, false);
	case KVM_SET_VCPU_EVENTS:
		return set_events(v, arg);
	case KVM_GET_VCPU_EVENTS:
		if (!arg)
			return -EFAULT;
		memset(arg, 0, sizeof(struct kvm_vcpu_events));
		return 0;
	case KVM_ARM_VCPU_RMI_PSCI_COMPLETE:
		/* v13+: ENXIO for a non-realm VM (kvm-cca-host.md s2.5). */
		if (!v->vm->is_realm)
			return -ENXIO;
		if (!arg)
			return -EFAULT;
		return psci_complete_explicit(v, arg);
	case KVM_RUN:
		return vcpu_run(v);
	default:
		return -EINVAL;
	}
}
