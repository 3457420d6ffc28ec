/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI in the VMM. The RMM answers what it can itself and exits for
 * CPU_ON / AFFINITY_INFO of another REC, CPU_OFF, CPU_SUSPEND, SYSTEM_OFF
 * and SYSTEM_RESET (rmm-v1.0.md s7.1); the host forwards those as SMCCC
 * exits (kvm-cca-host.md s2.6, s4: "a CCA VM always routes PSCI to
 * userspace"). The VMM keeps each vCPU's power state, decides CPU_ON and
 * answers AFFINITY_INFO; the result goes to X0, where the host's implicit
 * completion (v14) reads it, and in --psci explicit mode also to
 * KVM_ARM_VCPU_RMI_PSCI_COMPLETE (v12), which must precede the target's
 * first run (s4, Suzuki's condition) -- so the target is woken only after.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/abi/psci.h>

#include "runtime.h"

static int complete(struct vmm_vcpu *v, uint64_t target_mpidr, int64_t status)
{
	struct vmm_runtime *rt = v->rt;
	struct kvm_arm_rmi_psci_complete c = { .target_mpidr = target_mpidr,
					       .psci_status = (uint32_t)status };

	if (rt->cfg->psci != VMM_PSCI_EXPLICIT)
		return 0;
	if (rk_kvm_ioctl(rt->vm->vcpu_fd[v->idx], KVM_ARM_VCPU_RMI_PSCI_COMPLETE, &c) < 0) {
		runtime_stop(rt, VMM_EXIT_ERROR, "vCPU %u: KVM_ARM_VCPU_RMI_PSCI_COMPLETE: %s",
			     v->idx, strerror(errno));
		return -1;
	}
	return 0;
}

/* rmm-v1.0.md s7.2 / s7.4: SUCCESS or DENIED to the RMM; the realm may see ALREADY_ON. */
static int cpu_on(struct vmm_vcpu *v, uint64_t mpidr)
{
	struct vmm_runtime *rt = v->rt;
	int target = layout_vcpu_of_mpidr(rt->layout, mpidr);
	int64_t result, status = PSCI_RET_SUCCESS;

	pthread_mutex_lock(&rt->lock);
	if (target < 0) {
		/* The RMM rejects unknown targets itself; answer consistently anyway. */
		result = PSCI_RET_INVALID_PARAMS;
		status = PSCI_RET_DENIED;
	} else if (rt->vcpu[target].on) {
		result = PSCI_RET_ALREADY_ON;
	} else if (rt->cfg->psci_deny & (1ULL << target)) {
		/* --psci-deny: the host refuses; the target never runs (s7.4). */
		result = status = PSCI_RET_DENIED;
	} else {
		result = PSCI_RET_SUCCESS;
	}
	pthread_mutex_unlock(&rt->lock);
	if (runtime_set_x0(rt, v->idx, psci_ret_to_x0(result)) || complete(v, mpidr, status))
		return -1;
	if (result == PSCI_RET_SUCCESS) {
		pthread_mutex_lock(&rt->lock);
		rt->vcpu[target].on = true;
		pthread_cond_broadcast(&rt->cond);
		pthread_mutex_unlock(&rt->lock);
	}
	return 0;
}

/* s7.3: level 0 only; the RMM derives ON/OFF, the host's status is SUCCESS. */
static int affinity_info(struct vmm_vcpu *v, uint64_t mpidr, uint64_t level)
{
	struct vmm_runtime *rt = v->rt;
	int target = layout_vcpu_of_mpidr(rt->layout, mpidr);
	int64_t result;

	pthread_mutex_lock(&rt->lock);
	if (level != 0 || target < 0)
		result = PSCI_RET_INVALID_PARAMS;
	else
		result = rt->vcpu[target].on ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
	pthread_mutex_unlock(&rt->lock);
	if (runtime_set_x0(rt, v->idx, psci_ret_to_x0(result)))
		return -1;
	return complete(v, mpidr, PSCI_RET_SUCCESS);
}

int vmm_psci_handle(struct vmm_vcpu *v, uint64_t fid, const uint64_t args[6])
{
	struct vmm_runtime *rt = v->rt;

	rt->n_psci++;
	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return cpu_on(v, args[0]);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return affinity_info(v, args[0], args[1]);
	case PSCI_CPU_OFF:
		/* The REC is no longer runnable; the thread waits for a CPU_ON. */
		pthread_mutex_lock(&rt->lock);
		v->on = false;
		pthread_mutex_unlock(&rt->lock);
		return 0;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		return 0; /* s7.1: already answered SUCCESS by the RMM */
	case PSCI_SYSTEM_OFF:
		runtime_stop(rt, rt->hc_exit_set ? -1 : 0, "PSCI SYSTEM_OFF from vCPU %u", v->idx);
		return -1;
	case PSCI_SYSTEM_RESET:
		/* s7.1: a realm cannot be reset; rebooting means building a new one. */
		runtime_stop(rt, rt->hc_exit_set ? -1 : 0,
			     "PSCI SYSTEM_RESET from vCPU %u (realms cannot reset; exiting)",
			     v->idx);
		return -1;
	default:
		return runtime_set_x0(rt, v->idx, psci_ret_to_x0(PSCI_RET_NOT_SUPPORTED));
	}
}
