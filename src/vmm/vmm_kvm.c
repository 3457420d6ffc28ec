/* SPDX-License-Identifier: BSD-3-Clause */
/* The construction steps through the KVM-shaped UAPI (vmm_kvm.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <realmkit/abi/rmi.h>

#include "vmm_kvm.h"

#define KERR(err, what) \
	vmm_errf((err), VMM_EXIT_ERROR, "%s: %s (errno %d)", (what), strerror(errno), errno)

void vmm_vm_init(struct vmm_vm *vm, struct vmm_trace *trace, bool debug)
{
	memset(vm, 0, sizeof(*vm));
	vm->sys = vm->vm = vm->gmem = -1;
	for (unsigned int i = 0; i < VMM_MAX_CPUS; i++)
		vm->vcpu_fd[i] = -1;
	vm->trace = trace;
	vm->debug = debug;
}

/*
 * The host's RMI observer (kvm.h, realmkit extension): feeds the trace,
 * counts the calls and marks the end of activation (session.h).
 */
static void rmi_observer(void *opaque, const struct rk_kvm_rmi_event *ev)
{
	struct vmm_vm *vm = opaque;

	atomic_fetch_add_explicit(&vm->n_rmi, 1, memory_order_relaxed);
	if (ev->fid == RMI_REALM_ACTIVATE && ev->ret[0] == RMI_SUCCESS)
		atomic_store(&vm->activated_ns, ev->end_ns);
	trace_rmi(vm->trace, ev->vcpu_id, ev->fid, ev->args, ev->ret, ev->start_ns, ev->end_ns);
}

/* Registers the observer (kvm.h: a realmkit extension, absent on /dev/kvm). */
static int observe(struct vmm_vm *vm)
{
	return rk_kvm_set_rmi_observer(vm->vm, rmi_observer, vm);
}

static int config_item(struct vmm_vm *vm, struct kvm_cap_arm_rmi_config_item *item,
		       const char *what, struct vmm_err *err)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_RMI };

	cap.args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM;
	cap.args[1] = (uint64_t)(uintptr_t)item;
	if (rk_kvm_ioctl(vm->vm, KVM_ENABLE_CAP, &cap) < 0)
		return KERR(err, what);
	return 0;
}

/* kvm-cca-host.md s2.7 / kvm.h: hash algorithm, RPV and SVE before the RD exists. */
static int configure_realm(struct vmm_vm *vm, const struct vmm_realm_cfg *rc, struct vmm_err *err)
{
	struct kvm_cap_arm_rmi_config_item item;

	memset(&item, 0, sizeof(item));
	item.cfg = KVM_CAP_ARM_RMI_CFG_HASH_ALGO;
	item.hash_algo = rc->hash_algo;
	if (config_item(vm, &item, "realm config: hash algorithm", err))
		return -1;
	memset(&item, 0, sizeof(item));
	item.cfg = KVM_CAP_ARM_RMI_CFG_RPV;
	memcpy(item.rpv, rc->rpv, sizeof(item.rpv));
	if (config_item(vm, &item, "realm config: RPV", err))
		return -1;
	if (rc->sve_vq) {
		memset(&item, 0, sizeof(item));
		item.cfg = KVM_CAP_ARM_RMI_CFG_SVE;
		item.sve_vq = rc->sve_vq;
		if (config_item(vm, &item, "realm config: SVE vector length", err))
			return -1;
	}
	return 0;
}

static int k_create_vm(void *be, const struct vmm_realm_cfg *rc, struct vmm_err *err)
{
	struct vmm_vm *vm = be;
	int r;

	vm->sys = rk_kvm_open();
	if (vm->sys < 0 && errno == ENODEV)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"opening the KVM system handle: No such device (no host realm "
				"support in this build or platform)");
	if (vm->sys < 0)
		return KERR(err, "opening the KVM system handle");
	r = rk_kvm_ioctl(vm->sys, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION)
		return vmm_errf(err, VMM_EXIT_ERROR, "KVM API version %d, expected %d", r,
				KVM_API_VERSION);
	if (rk_kvm_ioctl(vm->sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_RMI) <= 0)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"the host does not support realms (KVM_CAP_ARM_RMI)");
	/* s2.3: machine type REALM in bits [11:8], IPA size in [7:0]. */
	vm->vm = rk_kvm_ioctl(
		vm->sys, KVM_CREATE_VM,
		(unsigned long)(KVM_VM_TYPE_ARM_REALM | KVM_VM_TYPE_ARM_IPA_SIZE(rc->ipa_bits)));
	if (vm->vm < 0)
		return KERR(err, "KVM_CREATE_VM (realm)");
	vm->ipa_bits = rc->ipa_bits;
	vm->psci = rc->psci;
	if (observe(vm) < 0)
		return KERR(err, "registering the RMI observer");
	if (rk_kvm_set_psci_mode(vm->vm, rc->psci == VMM_PSCI_EXPLICIT) < 0)
		return KERR(err, "selecting the PSCI completion mode");
	return configure_realm(vm, rc, err);
}

/* s2.7 "Memory": private memory is guest_memfd, with a shared mapping too. */
static int k_add_ram(void *be, uint64_t gpa, uint64_t size, struct vmm_err *err)
{
	struct vmm_vm *vm = be;
	struct kvm_create_guest_memfd gm = { .size = size };
	struct kvm_userspace_memory_region2 region = { 0 };
	struct kvm_memory_attributes attr = { .address = gpa,
					      .size = size,
					      .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };

	vm->ram_shared = rk_kvm_alloc_guest_ram(size);
	if (!vm->ram_shared)
		return KERR(err, "allocating guest RAM");
	vm->ram_gpa = gpa;
	vm->ram_size = size;
	vm->gmem = rk_kvm_ioctl(vm->vm, KVM_CREATE_GUEST_MEMFD, &gm);
	if (vm->gmem < 0)
		return KERR(err, "KVM_CREATE_GUEST_MEMFD");
	region.slot = 0;
	region.flags = KVM_MEM_GUEST_MEMFD;
	region.guest_phys_addr = gpa;
	region.memory_size = size;
	region.userspace_addr = (uint64_t)(uintptr_t)vm->ram_shared;
	region.guest_memfd = (uint32_t)vm->gmem;
	if (rk_kvm_ioctl(vm->vm, KVM_SET_USER_MEMORY_REGION2, &region) < 0)
		return KERR(err, "KVM_SET_USER_MEMORY_REGION2");
	/* RAM starts private (QEMU converts before populating). */
	if (rk_kvm_ioctl(vm->vm, KVM_SET_MEMORY_ATTRIBUTES, &attr) < 0)
		return KERR(err, "KVM_SET_MEMORY_ATTRIBUTES (private)");
	return 0;
}

/* s2.5 POPULATE, v13 in/out form: loop until size == 0, from a separate source area. */
static int k_populate(void *be, const struct vmm_blob *blob, uint32_t flags, struct vmm_err *err)
{
	struct vmm_vm *vm = be;
	struct kvm_arm_rmi_populate p = { .base = blob->gpa, .size = blob->size, .flags = flags };
	uint8_t *src = rk_kvm_alloc_guest_ram(blob->size);
	uint64_t t0 = trace_now_ns();
	char args[160];
	int r = 0;

	if (!src)
		return KERR(err, "allocating the populate source");
	if (!vm->populate_start_ns)
		vm->populate_start_ns = t0;
	memcpy(src, blob->data, blob->size);
	p.source_uaddr = (uint64_t)(uintptr_t)src;
	while (p.size && !r) {
		uint64_t before = p.size;

		if (rk_kvm_ioctl(vm->vm, KVM_ARM_RMI_POPULATE, &p) < 0)
			r = vmm_errf(err, VMM_EXIT_ERROR,
				     "failed to populate %s [0x%llx, 0x%llx): %s", blob->name,
				     (unsigned long long)blob->gpa,
				     (unsigned long long)(blob->gpa + blob->size), strerror(errno));
		else if (p.size >= before)
			r = vmm_errf(err, VMM_EXIT_ERROR,
				     "KVM made no progress populating %s at 0x%llx", blob->name,
				     (unsigned long long)p.base);
	}
	snprintf(args, sizeof(args), "\"blob\": \"%s\", \"gpa\": \"0x%llx\", \"size\": %llu",
		 blob->name, (unsigned long long)blob->gpa, (unsigned long long)blob->size);
	trace_span(vm->trace, TRACE_HOST, "KVM_ARM_RMI_POPULATE", t0, trace_now_ns(), args);
	if (vm->debug && !r)
		fprintf(stderr, "realmkit: populated %s [0x%llx, 0x%llx), measured\n", blob->name,
			(unsigned long long)blob->gpa,
			(unsigned long long)(blob->gpa + blob->size));
	rk_kvm_free_guest_ram(src, blob->size);
	vm->populate_end_ns = trace_now_ns();
	return r;
}

/* s2.4: realm vCPUs need PSCI 0.2 and AArch64. */
static int k_create_vcpu(void *be, unsigned int idx, struct vmm_err *err)
{
	struct vmm_vm *vm = be;
	struct kvm_vcpu_init init = { 0 };
	int fd = rk_kvm_ioctl(vm->vm, KVM_CREATE_VCPU, (unsigned long)idx);

	if (fd < 0)
		return KERR(err, "KVM_CREATE_VCPU");
	vm->vcpu_fd[idx] = fd;
	vm->nr_vcpus = idx + 1;
	if (rk_kvm_ioctl(vm->vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return KERR(err, "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (rk_kvm_ioctl(fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return KERR(err, "KVM_ARM_VCPU_INIT");
	vm->run[idx] = rk_kvm_map_run(fd);
	if (!vm->run[idx])
		return KERR(err, "mapping struct kvm_run");
	return 0;
}

int vmm_vcpu_set_reg(const struct vmm_vm *vm, unsigned int idx, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return rk_kvm_ioctl(vm->vcpu_fd[idx], KVM_SET_ONE_REG, &reg) < 0 ? -1 : 0;
}

int vmm_vcpu_get_reg(const struct vmm_vm *vm, unsigned int idx, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return rk_kvm_ioctl(vm->vcpu_fd[idx], KVM_GET_ONE_REG, &reg) < 0 ? -1 : 0;
}

static int k_set_reg(void *be, unsigned int idx, uint64_t reg_id, uint64_t val, struct vmm_err *err)
{
	if (vmm_vcpu_set_reg(be, idx, reg_id, val))
		return KERR(err, "KVM_SET_ONE_REG");
	return 0;
}

/* Activation (RECs, INIT_RIPAS, ACTIVATE) happens in the host at the first KVM_RUN. */
static int k_finish(void *be, struct vmm_err *err)
{
	(void)be;
	(void)err;
	return 0;
}

const struct vmm_backend kvm_backend = {
	.name = "kvm",
	.create_vm = k_create_vm,
	.add_ram = k_add_ram,
	.populate = k_populate,
	.create_vcpu = k_create_vcpu,
	.set_reg = k_set_reg,
	.finish = k_finish,
};

uint64_t vmm_vm_canonical_gpa(const struct vmm_vm *vm, uint64_t ipa)
{
	return vm->ipa_bits ? ipa & ~(1ULL << (vm->ipa_bits - 1)) : ipa;
}

void vmm_vm_destroy(struct vmm_vm *vm, struct rk_kvm_leak_report *rep, bool *have_report)
{
	*have_report = false;
	for (unsigned int i = 0; i < VMM_MAX_CPUS; i++) {
		if (vm->vcpu_fd[i] >= 0)
			rk_kvm_close(vm->vcpu_fd[i]);
		vm->vcpu_fd[i] = -1;
	}
	if (vm->gmem >= 0)
		rk_kvm_close(vm->gmem);
	if (vm->vm >= 0) {
		if (rep) {
			memset(rep, 0, sizeof(*rep));
			*have_report = rk_kvm_close_vm(vm->vm, rep) == 0;
		} else {
			rk_kvm_close(vm->vm);
		}
	}
	/* The memslot's backing outlives the VM that maps it. */
	if (vm->ram_shared)
		rk_kvm_free_guest_ram(vm->ram_shared, vm->ram_size);
	if (vm->sys >= 0)
		rk_kvm_close(vm->sys);
	vm->gmem = vm->vm = vm->sys = -1;
	vm->ram_shared = NULL;
}
