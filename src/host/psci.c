/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Realm PSCI completion, both designs (kvm-cca-host.md s4, kvm.h
 * KVM_CAP_ARM_RMI_CFG_PSCI): explicit (v12: the VMM issues
 * KVM_ARM_VCPU_RMI_PSCI_COMPLETE) and implicit (v14: the host completes on
 * the caller's next entry from the X0 the VMM set). Suzuki's consistency
 * condition (seeds/000, seeds/002) holds in both: the RMM refuses to enter
 * the caller before RMI_PSCI_COMPLETE (rmm-v1.0.md s7.4), and the target
 * vCPU is powered on here only once a CPU_ON completed with SUCCESS, so it
 * cannot run before completion and never runs after a denied CPU_ON.
 */
#include <errno.h>

#include <realmkit/abi/psci.h>
#include <realmkit/platform.h>

#include "host_priv.h"

struct host_vcpu *vcpu_by_mpidr(struct host_vm *vm, uint64_t mpidr_el1)
{
	uint64_t idx = rmi_mpidr_el1_to_rec_index(mpidr_el1);

	/* kvm_mpidr_to_vcpu: the MPIDR has no other bits than the affinity. */
	if ((mpidr_el1 & ~0xff00ffffffULL) != 0 || idx >= HOST_MAX_VCPUS)
		return NULL;
	return vm->vcpus[idx];
}

void psci_set_power(struct host_vcpu *v, bool on)
{
	pthread_mutex_lock(&v->vm->lock);
	v->powered_on = on;
	if (on)
		atomic_fetch_add(&v->on_epoch, 1);
	pthread_cond_broadcast(&v->power_cond);
	pthread_mutex_unlock(&v->vm->lock);
}

/* Powers v off unless a CPU_ON completed for it after its REC_ENTER at `epoch`. */
void psci_power_off_if(struct host_vcpu *v, uint64_t epoch)
{
	pthread_mutex_lock(&v->vm->lock);
	if (atomic_load(&v->on_epoch) == epoch)
		v->powered_on = false;
	pthread_mutex_unlock(&v->vm->lock);
}

/* A powered-off vCPU blocks in KVM_RUN (as KVM's mp_state STOPPED) until CPU_ON or a kick. */
int psci_wait_powered_on(struct host_vcpu *v)
{
	int ret = 0;

	pthread_mutex_lock(&v->vm->lock);
	while (!v->powered_on) {
		if (atomic_exchange(&v->kicked, false) || v->run->immediate_exit) {
			v->run->exit_reason = KVM_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		pthread_cond_wait(&v->power_cond, &v->vm->lock);
	}
	pthread_mutex_unlock(&v->vm->lock);
	return ret;
}

/*
 * rk_kvm_vcpu_kick: the flag ends a blocked or later KVM_RUN; a REC running
 * guest code on the vCPU thread's physical CPU is stopped with a physical
 * IRQ (platform_cpu_kick, as KVM's IPI), whose RMI_EXIT_IRQ the run loop
 * turns into KVM_EXIT_INTR. The flag is set before the CPU is read and
 * vcpu_run() publishes the CPU before it first tests the flag, so either
 * the run sees the flag or the kick reaches its CPU. A kick racing with the
 * end of KVM_RUN may leave one spurious IRQ exit, which the loop re-enters.
 */
void vcpu_kick(struct host_vcpu *v)
{
	struct platform_cpu *cpu;

	pthread_mutex_lock(&v->vm->lock);
	atomic_store(&v->kicked, true);
	pthread_cond_broadcast(&v->power_cond);
	pthread_mutex_unlock(&v->vm->lock);
	cpu = atomic_load(&v->cpu);
	if (cpu)
		platform_cpu_kick(cpu);
}

static bool is_cpu_on(uint64_t fid)
{
	return fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64;
}

/* RMI_PSCI_COMPLETE, then the target's power state follows the outcome. */
static int psci_complete(struct host_vcpu *src, struct host_vcpu *target, uint64_t status)
{
	uint64_t ret;

	if (!target || !target->rec_created)
		return -EINVAL;
	ret = rmi_psci_complete(src->rec, target->rec, status);
	if (ret != RMI_SUCCESS) {
		host_log("PSCI_COMPLETE(vCPU %u -> %u, %lld) failed: %s", src->id, target->id,
			 (long long)(int64_t)status, rmi_status_name(rmi_status_of(ret)));
		return -EINVAL;
	}
	src->pending = PENDING_NONE;
	if (is_cpu_on(src->psci_fid) && (int64_t)status == PSCI_RET_SUCCESS)
		psci_set_power(target, true);
	return 0;
}

/*
 * [PATCH v14 32/44]: CPU_ON completes with SUCCESS if the VMM's X0 is
 * SUCCESS or ALREADY_ON, DENIED otherwise; AFFINITY_INFO always SUCCESS.
 */
int psci_complete_implicit(struct host_vcpu *v)
{
	int64_t x0 = (int64_t)v->x[0];
	uint64_t status = PSCI_RET_SUCCESS;

	if (is_cpu_on(v->psci_fid) && x0 != PSCI_RET_SUCCESS && x0 != PSCI_RET_ALREADY_ON)
		status = (uint64_t)PSCI_RET_DENIED;
	return psci_complete(v, vcpu_by_mpidr(v->vm, v->psci_target), status);
}

/* KVM_ARM_VCPU_RMI_PSCI_COMPLETE on the calling vCPU ([PATCH v12 27/46]). */
int psci_complete_explicit(struct host_vcpu *v, const struct kvm_arm_rmi_psci_complete *c)
{
	struct host_vcpu *target;

	/* The ioctl does not exist in the implicit (v14) design. */
	if (v->vm->psci_mode != KVM_ARM_RMI_PSCI_EXPLICIT)
		return -EINVAL;
	if (c->padding[0] || c->padding[1] || c->padding[2])
		return -EINVAL;
	target = vcpu_by_mpidr(v->vm, c->target_mpidr);
	if (!target || v->pending != PENDING_PSCI)
		return -EINVAL;
	/* "let us leave it to the RMM to filter" the status (seeds/000). */
	return psci_complete(v, target, (uint64_t)(int64_t)(int32_t)c->psci_status);
}
