/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Activation on the first vCPU run (kvm_activate_realm, [PATCH v12 11/46],
 * kvm-cca-host.md s3.7): RD if needed, a REC per vCPU in ascending MPIDR
 * order, then INIT_RIPAS of every guest_memfd memslot, then
 * RMI_REALM_ACTIVATE. Any failure leaves the realm DEAD; the RECs created
 * so far are destroyed at once, the RD and RTTs at VM destruction.
 *
 * Order: kvm-cca-host.md s3.7 (steps 5, 6, 7), the order of the code of
 * [PATCH v12 11/46..23/46]: kvm_activate_realm() creates the RECs
 * (kvm_create_rec for each vCPU) before it calls realm_init_ipa_state() on
 * the memslots. Issue 6 lists RECs before INIT_RIPAS too, and the VMM's
 * `realmkit measure` models this order, so a RIM it predicts matches the
 * one this host produces. kvm-cca-host.md s6.3 (the "RIM sequence of the
 * KVM flow") and veraison/cca-realm-measurements (s6.2) put INIT_RIPAS
 * before REC_CREATE instead; the two orders give different RIMs (RMI_REC_
 * CREATE and RMI_RTT_INIT_RIPAS both extend it, rmm-v1.0.md s14.1), and we
 * follow the code, which is what a verifier of this host has to model.
 */
#include <errno.h>

#include "host_priv.h"

/*
 * realm_init_ipa_state for one slot: RTT_INIT_RIPAS over [base, top),
 * creating RTTs on RMI_ERROR_RTT below level 3. (E_RTT, 3) means the page
 * is already ASSIGNED (populated, RIPAS RAM already): v12's workaround
 * skips one page ([PATCH v12 17/46], rmm-v1.0.md s11.3).
 */
static int init_ripas_range(struct host_vm *vm, uint64_t base, uint64_t top)
{
	while (base < top) {
		uint64_t done = 0, ret = rmi_rtt_init_ripas(vm->rd, base, top, &done);
		int err;

		if (ret == RMI_SUCCESS) {
			base = done;
			continue;
		}
		if (rmi_status_of(ret) != RMI_ERROR_RTT)
			return -ENXIO;
		if (rmi_rtt_level_of(ret) >= HOST_RTT_LEVEL_3) {
			base += GRANULE_SIZE; /* v12 workaround (kvm-cca-host.md s2.8): step over an ASSIGNED page */
			continue;
		}
		err = rtt_create_levels(vm, base, rmi_rtt_level_of(ret), HOST_RTT_LEVEL_3);
		if (err)
			return err;
	}
	return 0;
}

static int init_ripas_all(struct host_vm *vm)
{
	for (unsigned int i = 0; i < HOST_MAX_SLOTS; i++) {
		struct host_memslot s;
		int err;

		pthread_mutex_lock(&vm->lock);
		s = vm->slots[i];
		pthread_mutex_unlock(&vm->lock);
		if (!s.used || !s.gmem)
			continue;
		err = init_ripas_range(vm, s.gpa, s.gpa + s.size);
		if (err)
			return err;
	}
	return 0;
}

/* REC_CREATE requires ascending REC indexes (rmm-v1.0.md s7.5): vCPU id order. */
static int create_recs(struct host_vm *vm)
{
	for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
		struct host_vcpu *v = vm->vcpus[i];
		int err;

		if (!v)
			continue;
		err = rec_create(v, v->id == 0);
		if (err) {
			host_log("REC creation for vCPU %u failed (%d)", v->id, err);
			return err;
		}
	}
	return 0;
}

static int activate_locked(struct host_vm *vm)
{
	int err = realm_ensure_created(vm);

	if (err)
		return err;
	vm->vcpu_ran = true;
	/* s3.7 step 5: RECs; step 6: INIT_RIPAS; step 7: REALM_ACTIVATE. */
	err = create_recs(vm);
	if (!err)
		err = init_ripas_all(vm);
	if (!err && rmi_realm_activate(vm->rd) != RMI_SUCCESS)
		err = -ENXIO;
	if (err) {
		for (unsigned int i = 0; i < HOST_MAX_VCPUS; i++) {
			if (vm->vcpus[i])
				rec_destroy(vm->vcpus[i]);
		}
		realm_state_set(vm, REALM_STATE_DEAD);
		return err;
	}
	realm_state_set(vm, REALM_STATE_ACTIVE);
	return 0;
}

/* Returns 0 once ACTIVE (or DYING/DEAD: the entry check reports those). */
int realm_activate(struct host_vm *vm)
{
	int err = 0;

	if (realm_state(vm) >= REALM_STATE_ACTIVE)
		return 0;
	pthread_rwlock_wrlock(&vm->config_lock);
	if (realm_state(vm) < REALM_STATE_ACTIVE)
		err = activate_locked(vm);
	pthread_rwlock_unlock(&vm->config_lock);
	return err;
}
