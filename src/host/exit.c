/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * REC exit handling (handle_rec_exit, [PATCH v12 16/46] to [PATCH v12
 * 31/46], kvm-cca-host.md s2.6, s3.8): each RMI exit reason becomes a KVM
 * exit or a re-entry. Handlers return 1 to re-enter, 0 to return to the VMM
 * with kvm_run filled in, or a negative errno (-EFAULT with
 * KVM_EXIT_MEMORY_FAULT, as Linux does).
 */
#include <errno.h>
#include <string.h>

#include <realmkit/abi/psci.h>

#include "host_priv.h"

#define ESR_EC_SHIFT  26
#define ESR_EC_WFX    0x01u
#define ESR_EC_SYS64  0x18u
#define ESR_EC_IABT   0x20u
#define ESR_EC_DABT   0x24u
#define ESR_ISV	      (1ULL << 24)
#define ESR_SAS_SHIFT 22
#define ESR_WNR	      (1ULL << 6)

static int memory_fault(struct host_vcpu *v, uint64_t gpa, uint64_t size, bool private)
{
	v->run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	v->run->memory_fault.flags = private ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
	v->run->memory_fault.gpa = gpa;
	v->run->memory_fault.size = size;
	return -EFAULT;
}

static int internal_error(struct host_vcpu *v, const struct rmi_rec_exit *e)
{
	v->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	v->run->internal.suberror = KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON;
	v->run->internal.ndata = 2;
	v->run->internal.data[0] = e->exit_reason;
	v->run->internal.data[1] = e->esr;
	return 0;
}

/* An emulatable access: KVM_EXIT_MMIO with the canonical GPA (s2.6). */
static int mmio_exit(struct host_vcpu *v, const struct rmi_rec_exit *e, uint64_t ipa)
{
	struct kvm_run *kr = v->run;

	kr->exit_reason = KVM_EXIT_MMIO;
	kr->mmio.phys_addr = ipa & ~realm_shared_bit(v->vm);
	kr->mmio.len = 1u << ((e->esr >> ESR_SAS_SHIFT) & 3);
	kr->mmio.is_write = (e->esr & ESR_WNR) != 0;
	memset(kr->mmio.data, 0, sizeof(kr->mmio.data));
	/* The RMM always passes the written value in gprs[0] (s3.8). */
	if (kr->mmio.is_write)
		memcpy(kr->mmio.data, &e->gprs[0], kr->mmio.len);
	v->pending = PENDING_MMIO;
	v->mmio_read = !kr->mmio.is_write;
	v->mmio_len = kr->mmio.len;
	return 0;
}

static int exit_dabt(struct host_vcpu *v, struct rmi_rec_run *rr, uint64_t ipa)
{
	struct host_vm *vm = v->vm;
	const struct rmi_rec_exit *e = &rr->exit;
	int ret;

	if (!realm_ipa_is_private(vm, ipa)) {
		ret = realm_map_shared(vm, ipa);
		if (ret == 0)
			return 1;
		if (ret != -ENOENT)
			return -ENXIO;
		/* rmm-v1.0.md s12.3: no syndrome -> the host answers with INJECT_SEA. */
		if (!(e->esr & ESR_ISV)) {
			rr->enter.flags |= REC_ENTER_FLAG_INJECT_SEA;
			return 1;
		}
		return mmio_exit(v, e, ipa);
	}
	/* s2.6 (b): the alias must match the gfn's PRIVATE attribute. */
	if (!memattr_is_private(vm, ipa))
		return memory_fault(v, ipa & ~(hg.page_size - 1), hg.page_size, true);
	ret = realm_map_protected(vm, ipa);
	if (ret == -EFAULT)
		return memory_fault(v, ipa & ~(hg.page_size - 1), hg.page_size, true);
	return ret ? ret : 1;
}

static int exit_sync(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	const struct rmi_rec_exit *e = &rr->exit;
	/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12]; FAR gives the page offset. */
	uint64_t ipa = ((e->hpfar >> 4) << 12) | (e->far & GRANULE_MASK);

	switch ((e->esr >> ESR_EC_SHIFT) & 0x3f) {
	case ESR_EC_DABT:
		return exit_dabt(v, rr, ipa);
	case ESR_EC_SYS64:
		/* GIC CPU-interface writes: realmkit has no vGIC to update. */
	case ESR_EC_WFX:
		return 1;
	case ESR_EC_IABT:
		/* s3.8: an instruction abort is fatal to the run (v12). */
	default:
		return -ENXIO;
	}
}

static int hypercall_exit(struct host_vcpu *v, const struct rmi_rec_exit *e, uint64_t flags)
{
	struct kvm_run *kr = v->run;

	kr->exit_reason = KVM_EXIT_HYPERCALL;
	kr->hypercall.nr = e->gprs[0];
	for (unsigned int i = 0; i < 6; i++)
		kr->hypercall.args[i] = e->gprs[i + 1];
	kr->hypercall.ret = 0;
	kr->hypercall.flags = flags;
	return 0;
}

static int system_event(struct host_vcpu *v, uint32_t type)
{
	v->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	v->run->system_event.type = type;
	v->run->system_event.ndata = 0;
	return 0;
}

/* PSCI: forwarded to the VMM (the reviewers' contract), see psci.c. */
static int exit_psci(struct host_vcpu *v, const struct rmi_rec_exit *e)
{
	uint64_t fid = e->gprs[0];

	memcpy(v->x, e->gprs, sizeof(v->x));
	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		v->pending = PENDING_PSCI;
		v->psci_fid = fid;
		v->psci_target = e->gprs[1];
		return hypercall_exit(v, e, KVM_HYPERCALL_EXIT_SMC);
	case PSCI_CPU_OFF:
		psci_power_off_if(v, v->entry_epoch);
		return hypercall_exit(v, e, KVM_HYPERCALL_EXIT_SMC);
	case PSCI_SYSTEM_OFF:
		return system_event(v, KVM_SYSTEM_EVENT_SHUTDOWN);
	case PSCI_SYSTEM_RESET:
		return system_event(v, KVM_SYSTEM_EVENT_RESET);
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		return 1; /* already answered by the RMM */
	default:
		return internal_error(v, e);
	}
}

/*
 * s3.10: a request outside the protected half is rejected at once (EINVAL);
 * otherwise the VMM sees KVM_EXIT_MEMORY_FAULT and the change is applied on
 * the next entry, as far as the VMM converted the range.
 */
static int exit_ripas(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	const struct rmi_rec_exit *e = &rr->exit;

	if (!realm_ipa_is_private(v->vm, e->ripas_base) ||
	    !realm_ipa_is_private(v->vm, e->ripas_top - 1) || e->ripas_top <= e->ripas_base) {
		rr->enter.flags |= REC_ENTER_FLAG_RIPAS_RESPONSE;
		return -EINVAL;
	}
	v->pending = PENDING_RIPAS;
	v->ripas_progress = e->ripas_base;
	v->ripas_top = e->ripas_top;
	v->ripas_value = e->ripas_value;
	if (e->ripas_value == RMI_EMPTY)
		ripas_hold(v, e->ripas_base, e->ripas_top);
	return memory_fault(v, e->ripas_base, e->ripas_top - e->ripas_base,
			    e->ripas_value == RMI_RAM);
}

/* [PATCH v12 31/46]: X0-X30 to the VMM, back on the next entry. */
static int exit_host_call(struct host_vcpu *v, const struct rmi_rec_exit *e)
{
	memcpy(v->x, e->gprs, sizeof(v->x));
	v->pending = PENDING_HOST_CALL;
	return hypercall_exit(v, e, 0);
}

int rec_exit_handle(struct host_vcpu *v, struct rmi_rec_run *rr)
{
	const struct rmi_rec_exit *e = &rr->exit;

	switch (e->exit_reason & 0xff) {
	case RMI_EXIT_SYNC:
		return exit_sync(v, rr);
	case RMI_EXIT_IRQ:
	case RMI_EXIT_FIQ:
		return 1;
	case RMI_EXIT_PSCI:
		return exit_psci(v, e);
	case RMI_EXIT_RIPAS_CHANGE:
		return exit_ripas(v, rr);
	case RMI_EXIT_HOST_CALL:
		return exit_host_call(v, e);
	default:
		/* RMI_EXIT_SERROR (no v12 handler) and anything unknown. */
		return internal_error(v, e);
	}
}
