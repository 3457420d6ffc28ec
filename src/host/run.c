/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * KVM_RUN for a realm vCPU ([PATCH v12 16/46], kvm-cca-host.md s3.8):
 * activation on the first run, the wait of a powered-off vCPU, the
 * completions owed from the previous exit (kvm_rec_pre_enter), then the
 * RMI_REC_ENTER loop, re-entering until an exit needs the VMM.
 */
#include <errno.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_priv.h"

/* The value an MMIO read returns, from kvm_run.mmio.data (little-endian). */
static uint64_t mmio_read_value(const struct host_vcpu *v)
{
	uint64_t val = 0;

	memcpy(&val, v->run->mmio.data, v->mmio_len <= 8 ? v->mmio_len : 8);
	return val;
}

/*
 * kvm_complete_ripas_change: RTT_SET_RIPAS from the REC's progress over the
 * part of the request the VMM converted (its memory attributes now match
 * the requested RIPAS), creating RTTs as needed; the progress is kept so an
 * exit to the VMM before the entry does not repeat work. A change to EMPTY
 * then unmaps the private pages. A partial conversion is accepted with the
 * progress in X1 (the realm asks again for the rest, rmm-v1.0.md s12.4);
 * a request the VMM converted none of is rejected (RIPAS_RESPONSE): "the
 * VMM rejects by not converting" (issue 6, kvm-cca-host.md s3.10).
 */
static void ripas_complete(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	struct host_vm *vm = v->vm;
	bool ram = v->ripas_value == RMI_RAM;
	uint64_t start = v->ripas_progress, base = start;
	uint64_t end = memattr_run_end(vm, base, v->ripas_top, ram);

	while (base < end) {
		uint64_t done = 0, ret = rmi_rtt_set_ripas(vm->rd, v->rec, base, end, &done);

		if (ret == RMI_SUCCESS) {
			base = done;
		} else if (rmi_status_of(ret) == RMI_ERROR_RTT &&
			   rmi_rtt_level_of(ret) < HOST_RTT_LEVEL_3) {
			if (rtt_create_levels(vm, base, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3))
				break;
		} else {
			break;
		}
	}
	v->ripas_progress = base;
	rr->exit.ripas_base = base;
	ripas_hold(v, 0, 0);
	if (!ram && base > start)
		realm_unmap_private(vm, start, base);
	if (base == start && base < v->ripas_top)
		rr->enter.flags |= REC_ENTER_FLAG_RIPAS_RESPONSE;
}

void ripas_hold(struct host_vcpu *v, uint64_t base, uint64_t top)
{
	pthread_mutex_lock(&v->vm->lock);
	v->hold_base = base;
	v->hold_top = top;
	pthread_mutex_unlock(&v->vm->lock);
}

/*
 * True if [base, top) lies in a pending RIPAS change to EMPTY. Its private
 * pages must stay mapped until RTT_SET_RIPAS ran: DATA_DESTROY first would
 * leave them RIPAS DESTROYED, which a realm asking without
 * RSI_CHANGE_DESTROYED cannot change (rmm-v1.0.md s11.3). Called with
 * vm->lock held.
 */
bool ripas_held(struct host_vm *vm, uint64_t base, uint64_t top)
{
	for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
		const struct host_vcpu *v = vm->vcpus[i];

		if (v && v->hold_top > v->hold_base && base >= v->hold_base && top <= v->hold_top)
			return true;
	}
	return false;
}

/* kvm_rec_pre_enter: what the previous exit left to complete. */
static int rec_pre_enter(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	int err;

	rr->enter.flags &= REC_ENTER_FLAG_RIPAS_RESPONSE;
	switch (v->pending) {
	case PENDING_MMIO:
		if (v->inject_sea) {
			rr->enter.flags |= REC_ENTER_FLAG_INJECT_SEA;
		} else {
			rr->enter.flags |= REC_ENTER_FLAG_EMUL_MMIO;
			if (v->mmio_read)
				rr->enter.gprs[0] = mmio_read_value(v);
		}
		break;
	case PENDING_HOST_CALL:
		/* [PATCH v12 31/46]: X0-X30 as the VMM left them. */
		memcpy(rr->enter.gprs, v->x, sizeof(rr->enter.gprs));
		break;
	case PENDING_PSCI:
		memcpy(rr->enter.gprs, v->x, sizeof(rr->enter.gprs));
		if (v->vm->psci_mode == KVM_ARM_RMI_PSCI_IMPLICIT) {
			err = psci_complete_implicit(v);
			if (err)
				return err;
		}
		break;
	case PENDING_RIPAS:
		ripas_complete(v, rr);
		break;
	default:
		break;
	}
	return 0;
}

static bool take_kick(struct host_vcpu *v)
{
	bool kicked = atomic_exchange(&v->kicked, false);

	if (v->run->immediate_exit)
		kicked = true;
	if (kicked)
		v->run->exit_reason = KVM_EXIT_INTR;
	return kicked;
}

/*
 * A failed REC_ENTER. (E_REALM, 1): SYSTEM_OFF raced us, the VM is shut
 * down (kvm-cca-host.md s2.6). (E_REC) without a pending PSCI request: the
 * REC is not runnable (failure-conditions REC_ENTER rec_runnable) although
 * the host believed it on, i.e. a CPU_ON that completed as ALREADY_ON raced
 * with the REC's CPU_OFF: the vCPU is off, wait for the next CPU_ON (1 =
 * enter again). Anything else, and a pending PSCI request in the explicit
 * design (kvm.h), is ENXIO.
 */
static int rec_enter_failed(struct host_vcpu *v, uint64_t r)
{
	int err;

	if (rmi_status_of(r) == RMI_ERROR_REALM && rmi_index_of(r) == 1) {
		v->run->exit_reason = KVM_EXIT_SHUTDOWN;
		return 0;
	}
	if (rmi_status_of(r) != RMI_ERROR_REC || v->pending == PENDING_PSCI)
		return -ENXIO;
	psci_power_off_if(v, v->entry_epoch);
	err = psci_wait_powered_on(v);
	return err ? err : 1;
}

static int run_loop(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	int ret = rec_pre_enter(v, rr);

	while (ret == 0) {
		uint64_t r;

		v->entry_epoch = atomic_load(&v->on_epoch);
		r = rmi_rec_enter(v->rec, v->run_pa);
		if (r != RMI_SUCCESS) {
			ret = rec_enter_failed(v, r);
			if (ret == 1) {
				ret = 0;
				continue;
			}
			return ret;
		}
		v->pending = PENDING_NONE;
		v->inject_sea = false;
		rr->enter.flags = 0;
		ret = rec_exit_handle(v, rr);
		if (ret <= 0)
			return ret;
		if (take_kick(v))
			return -EINTR;
		ret = 0;
	}
	return ret;
}

int vcpu_run(struct host_vcpu *v)
{
	struct host_vm *vm = v->vm;
	int ret;

	if (!v->initialized)
		return -ENOEXEC;
	/* realmkit runs realms only: a normal VM can be configured, not run. */
	if (!vm->is_realm)
		return -EOPNOTSUPP;
	if (atomic_exchange(&v->in_run, true))
		return -EBUSY;
	/* This thread's physical CPU, where rk_kvm_vcpu_kick() sends its IRQ. */
	atomic_store(&v->cpu, platform_this_cpu());
	ret = realm_activate(vm);
	if (ret)
		goto out;
	/* s2.6: the realm must be ACTIVE at entry. */
	if (realm_state(vm) != REALM_STATE_ACTIVE || !v->rec_created) {
		ret = -EINVAL;
		goto out;
	}
	ret = psci_wait_powered_on(v);
	if (ret)
		goto out;
	if (take_kick(v)) {
		ret = -EINTR;
		goto out;
	}
	ret = run_loop(v, platform_ns_ptr(v->run_pa));
out:
	atomic_store(&v->cpu, NULL);
	atomic_store(&v->in_run, false);
	return ret;
}
