/* SPDX-License-Identifier: BSD-3-Clause */
/* The test VMM's helpers (vmm_util.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <realmkit/platform.h>

#include "board.h"
#include "vmm_util.h"

char vmm_log[4096];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void vmm_log_clear(void)
{
	pthread_mutex_lock(&log_lock);
	vmm_log[0] = 0;
	pthread_mutex_unlock(&log_lock);
}

void vmm_log_capture(const char *line)
{
	pthread_mutex_lock(&log_lock);
	strncat(vmm_log, line, sizeof(vmm_log) - strlen(vmm_log) - 2);
	strcat(vmm_log, "\n");
	pthread_mutex_unlock(&log_lock);
}

int vmm_power_on(const struct rk_kvm_host_config *cfg)
{
	struct rk_platform_config pc = { .dram_size = 64ULL << 20 };
	struct rk_kvm_host_config def = { .log = vmm_log_capture };

	vmm_log_clear();
	if (rk_kvm_host_configure(cfg ? cfg : &def))
		return -1;
	return board_power_on(&pc, false);
}

void vmm_power_off(void)
{
	board_power_off();
}

int vmm_ioctl(int h, unsigned long req, uintptr_t arg)
{
	int r = rk_kvm_ioctl(h, req, arg);

	return r < 0 ? -errno : r;
}

void vmm_create_realm(struct vmm *m, unsigned int ipa_bits)
{
	memset(m, 0, sizeof(*m));
	m->sys = rk_kvm_open();
	assert_true(m->sys >= 0);
	m->vm = vmm_ioctl(m->sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_REALM | ipa_bits);
	assert_true(m->vm >= 0);
	m->gmem = -1;
}

void vmm_add_ram(struct vmm *m, uint64_t base, uint64_t ram_size)
{
	struct kvm_create_guest_memfd g = { .size = ram_size };
	struct kvm_userspace_memory_region2 r = { 0 };

	m->gmem = vmm_ioctl(m->vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&g);
	assert_true(m->gmem >= 0);
	m->ram = rk_kvm_alloc_guest_ram(ram_size);
	assert_non_null(m->ram);
	m->ram_size = ram_size;
	r.slot = 0;
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.guest_phys_addr = base;
	r.memory_size = ram_size;
	r.userspace_addr = (uintptr_t)m->ram;
	r.guest_memfd = (uint32_t)m->gmem;
	assert_int_equal(vmm_ioctl(m->vm, KVM_SET_USER_MEMORY_REGION2, (uintptr_t)&r), 0);
}

int vmm_set_private(struct vmm *m, uint64_t gpa, uint64_t size, bool private)
{
	struct kvm_memory_attributes a = {
		.address = gpa,
		.size = size,
		.attributes = private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};

	return vmm_ioctl(m->vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a);
}

int vmm_populate(struct vmm *m, uint64_t gpa, const void *src, uint64_t size, uint32_t flags)
{
	struct kvm_arm_rmi_populate p = {
		.base = gpa,
		.size = size,
		.source_uaddr = (uintptr_t)src,
		.flags = flags,
	};

	while (p.size) {
		uint64_t before = p.size;
		int r = vmm_ioctl(m->vm, KVM_ARM_RMI_POPULATE, (uintptr_t)&p);

		if (r) {
			fprintf(stderr, "populate: %d; host log:\n%s", r, vmm_log);
			return r;
		}
		if (p.size >= before)
			return -EAGAIN; /* "KVM made no progress populating Realm range" */
	}
	return 0;
}

int vmm_add_vcpu(struct vmm *m, uint64_t entry)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct kvm_one_reg pc = { .id = KVM_REG_ARM64_PC, .addr = (uintptr_t)&entry };
	int v = vmm_ioctl(m->vm, KVM_CREATE_VCPU, m->nvcpus);

	if (v < 0)
		return v;
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), 0);
	assert_int_equal(vmm_ioctl(v, KVM_SET_ONE_REG, (uintptr_t)&pc), 0);
	m->vcpu[m->nvcpus++] = v;
	return v;
}

void vmm_destroy(struct vmm *m, struct rk_kvm_leak_report *rep)
{
	assert_int_equal(rk_kvm_destroy_vm(m->vm, rep), 0);
	if (m->ram)
		rk_kvm_free_guest_ram(m->ram, m->ram_size);
	assert_int_equal(rk_kvm_close(m->sys), 0);
}

bool vmm_rec_enter_available(void)
{
	return smc_call(0xC400015Cu, 0, 0, 0, 0, 0, 0).x[0] != SMC_UNKNOWN;
}
