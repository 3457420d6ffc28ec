/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The KVM-shaped UAPI before any realm code runs: version negotiation and
 * its log messages, VM types, the realm capability allowlist, the errno
 * rules of kvm-cca-host.md s2 (each test names its rule), the realm
 * configuration capability, vCPU init and register rules, vCPU events,
 * memslot / guest_memfd / memory-attribute validation, PSCI_COMPLETE modes,
 * kicks of a blocked vCPU.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/platform.h>

#include "vmm_util.h"

static int setup(void **state)
{
	(void)state;
	return vmm_power_on(NULL);
}

static int teardown(void **state)
{
	(void)state;
	vmm_power_off();
	return 0;
}

/* kvm-cca-host.md s3.2 step 3: "RMI ABI version X.Y" on success. */
static void test_version_ok(void **state)
{
	int sys = rk_kvm_open();

	(void)state;
	assert_true(sys >= 0);
	assert_non_null(strstr(vmm_log, "RMI ABI version 1.0\n"));
	assert_int_equal(vmm_ioctl(sys, KVM_GET_API_VERSION, 0), KVM_API_VERSION);
	assert_int_equal(vmm_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_RMI), 1);
	/* s2.3: the realm IPA limit is the RMM's S2SZ (44 on this platform). */
	assert_int_equal(vmm_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE), 44);
	assert_int_equal(rk_kvm_close(sys), 0);
}

/*
 * s3.2: "Unsupported RMI ABI (vX.Y - vX.Y) we want vX.Y", then no realm
 * support: the capability reads 0 and a realm VM is EINVAL (s2.3).
 */
static void test_version_unsupported(void **state)
{
	struct rk_kvm_host_config cfg = { .rmi_version = RMI_ABI_MAKE_VERSION(2, 0),
					  .log = vmm_log_capture };
	int sys, vm;

	(void)state;
	vmm_log_clear();
	assert_int_equal(rk_kvm_host_configure(&cfg), 0);
	sys = rk_kvm_open();
	assert_true(sys >= 0);
	/* EBUSY: the configuration is fixed while handles are open. */
	assert_int_equal(rk_kvm_host_configure(&cfg), -1);
	assert_int_equal(errno, EBUSY);
	assert_non_null(strstr(vmm_log, "Unsupported RMI ABI (v1.0 - v1.0) we want v2.0\n"));
	assert_null(strstr(vmm_log, "RMI ABI version"));
	assert_int_equal(vmm_ioctl(sys, KVM_CHECK_EXTENSION, KVM_CAP_ARM_RMI), 0);
	assert_int_equal(vmm_ioctl(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_REALM), -EINVAL);
	vm = vmm_ioctl(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_NORMAL);
	assert_true(vm >= 0);
	assert_int_equal(rk_kvm_close(vm), 0);
	assert_int_equal(rk_kvm_close(sys), 0);
	cfg.rmi_version = 0;
	assert_int_equal(rk_kvm_host_configure(&cfg), 0);
}

/* s2.3: machine type and IPA bits of KVM_CREATE_VM. */
static void test_vm_types(void **state)
{
	int sys = rk_kvm_open();
	static const struct {
		uint64_t type;
		int expect_ok;
	} cases[] = {
		{ KVM_VM_TYPE_ARM_REALM, 1 },
		{ KVM_VM_TYPE_ARM_REALM | 33, 1 },
		{ KVM_VM_TYPE_ARM_REALM | 44, 1 },
		{ KVM_VM_TYPE_ARM_REALM | 45, 0 },	     /* beyond the RMM's S2SZ */
		{ KVM_VM_TYPE_ARM_REALM | 31, 0 },	     /* below the minimum 32 */
		{ 2ULL << KVM_VM_TYPE_ARM_SHIFT, 0 },	     /* unknown machine type */
		{ KVM_VM_TYPE_ARM_REALM | (1ULL << 20), 0 }, /* unknown bits */
		{ KVM_VM_TYPE_ARM_NORMAL, 1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int vm = vmm_ioctl(sys, KVM_CREATE_VM, cases[i].type);

		if (cases[i].expect_ok) {
			assert_true(vm >= 0);
			assert_int_equal(rk_kvm_close(vm), 0);
		} else {
			assert_int_equal(vm, -EINVAL);
		}
	}
	assert_int_equal(rk_kvm_close(sys), 0);
}

/* s2.7: the v12 capability allowlist for realm VMs. */
static void test_realm_caps(void **state)
{
	struct vmm m;
	int normal;

	(void)state;
	vmm_create_realm(&m, 0);
	normal = vmm_ioctl(m.sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_NORMAL);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_RMI), 1);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_0_2), 1);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES),
			 (int)KVM_MEMORY_ATTRIBUTE_PRIVATE);
	assert_int_equal(vmm_ioctl(normal, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES), 0);
	/* Not on the allowlist: 0 for the realm. */
	assert_int_equal(vmm_ioctl(m.vm, KVM_CHECK_EXTENSION, 200), 0);
	/* The RMM has no SVE: KVM_CAP_ARM_SVE is not offered (s2.7). */
	assert_int_equal(vmm_ioctl(m.vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE), 0);
	assert_int_equal(rk_kvm_close(normal), 0);
	vmm_destroy(&m, NULL);
}

/* s2.5 and the series' settlement: realm ioctls on a non-realm VM -> ENXIO. */
static void test_non_realm_errnos(void **state)
{
	struct kvm_arm_rmi_populate p = { .base = VMM_RAM_BASE, .size = 4096 };
	struct kvm_arm_rmi_psci_complete c = { 0 };
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	int sys = rk_kvm_open(), vm, vcpu;

	(void)state;
	vm = vmm_ioctl(sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_NORMAL);
	assert_int_equal(vmm_ioctl(vm, KVM_ARM_RMI_POPULATE, (uintptr_t)&p), -ENXIO);
	vcpu = vmm_ioctl(vm, KVM_CREATE_VCPU, 0);
	assert_true(vcpu >= 0);
	assert_int_equal(vmm_ioctl(vcpu, KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c), -ENXIO);
	/* No private memory outside realms: no attribute is supported. */
	{
		struct kvm_memory_attributes a = { .address = 0,
						   .size = 4096,
						   .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };

		assert_int_equal(vmm_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), -EINVAL);
	}
	/* KVM_RUN: ENOEXEC before KVM_ARM_VCPU_INIT; realmkit runs realms only. */
	assert_int_equal(vmm_ioctl(vcpu, KVM_RUN, 0), -ENOEXEC);
	assert_int_equal(vmm_ioctl(vcpu, KVM_ARM_VCPU_INIT, (uintptr_t)&init), 0);
	assert_int_equal(vmm_ioctl(vcpu, KVM_RUN, 0), -EOPNOTSUPP);
	assert_int_equal(rk_kvm_close(vcpu), 0);
	assert_int_equal(rk_kvm_close(vm), 0);
	assert_int_equal(rk_kvm_close(sys), 0);
}

static int config(struct vmm *m, struct kvm_cap_arm_rmi_config_item *it)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_RMI };

	cap.args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM;
	cap.args[1] = (uintptr_t)it;
	return vmm_ioctl(m->vm, KVM_ENABLE_CAP, (uintptr_t)&cap);
}

/* kvm.h realm configuration: values within RMI_FEATURES, immutable once the RD exists. */
static void test_realm_config(void **state)
{
	struct kvm_cap_arm_rmi_config_item it = { 0 };
	struct vmm m;
	uint8_t page[4096] = { 1 };

	(void)state;
	vmm_create_realm(&m, 0);
	it.cfg = KVM_CAP_ARM_RMI_CFG_HASH_ALGO;
	it.hash_algo = KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512;
	assert_int_equal(config(&m, &it), 0);
	it.hash_algo = 7;
	assert_int_equal(config(&m, &it), -EINVAL);
	memset(&it, 0, sizeof(it));
	it.cfg = KVM_CAP_ARM_RMI_CFG_SVE;
	it.sve_vq = 1; /* no SVE in this RMM (RMI_FEATURES SVE_EN = 0) */
	assert_int_equal(config(&m, &it), -EINVAL);
	it.cfg = KVM_CAP_ARM_RMI_CFG_DBG;
	it.num_brps = 0, it.num_wrps = 1; /* [PATCH v12 39/46]: BRPs > 0 */
	assert_int_equal(config(&m, &it), -EINVAL);
	it.num_brps = 6, it.num_wrps = 1; /* the RMM offers 6 breakpoints: BRPs 5 */
	assert_int_equal(config(&m, &it), -EINVAL);
	it.num_brps = 5, it.num_wrps = 4; /* 4 watchpoints: WRPs 3 */
	assert_int_equal(config(&m, &it), -EINVAL);
	it.num_brps = 5, it.num_wrps = 3;
	assert_int_equal(config(&m, &it), 0);
	it.cfg = KVM_CAP_ARM_RMI_CFG_RPV;
	memset(it.rpv, 0xa5, sizeof(it.rpv));
	assert_int_equal(config(&m, &it), 0);
	it.cfg = 99;
	assert_int_equal(config(&m, &it), -EINVAL);
	it.cfg = KVM_CAP_ARM_RMI_CFG_PSCI;
	it.psci_mode = 2;
	assert_int_equal(config(&m, &it), -EINVAL);
	/* The RD exists after the first POPULATE: realm parameters are fixed (EPERM). */
	vmm_add_ram(&m, VMM_RAM_BASE, 1 << 20);
	assert_int_equal(vmm_set_private(&m, VMM_RAM_BASE, 1 << 20, true), 0);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, page, sizeof(page), 0), 0);
	it.cfg = KVM_CAP_ARM_RMI_CFG_HASH_ALGO;
	it.hash_algo = KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA256;
	assert_int_equal(config(&m, &it), -EPERM);
	/* ... but the PSCI design may change until activation. */
	it.cfg = KVM_CAP_ARM_RMI_CFG_PSCI;
	it.psci_mode = KVM_ARM_RMI_PSCI_EXPLICIT;
	assert_int_equal(config(&m, &it), 0);
	vmm_destroy(&m, NULL);
}

/* s2.4: AArch32 refused, generic target only; vCPU ids bounded and unique. */
static void test_vcpu_init(void **state)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct vmm m;
	int v;

	(void)state;
	vmm_create_realm(&m, 0);
	v = vmm_ioctl(m.vm, KVM_CREATE_VCPU, 0);
	assert_true(v >= 0);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_VCPU, 0), -EEXIST);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_VCPU, 4096), -EINVAL);
	init.features[0] = (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_EL1_32BIT);
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), -EINVAL);
	init.features[0] = (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_PMU_V3);
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), -EINVAL);
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	init.target = 0;
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), -EINVAL);
	init.target = KVM_ARM_TARGET_GENERIC_V8;
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), 0);
	{
		struct kvm_vcpu_init pref;

		assert_int_equal(vmm_ioctl(m.vm, KVM_ARM_PREFERRED_TARGET, (uintptr_t)&pref), 0);
		assert_int_equal(pref.target, KVM_ARM_TARGET_GENERIC_V8);
	}
	vmm_destroy(&m, NULL);
}

static int set_reg(int vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return vmm_ioctl(vcpu, KVM_SET_ONE_REG, (uintptr_t)&r);
}

static uint64_t get_reg(int vcpu, uint64_t id)
{
	uint64_t val = 0;
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	assert_int_equal(vmm_ioctl(vcpu, KVM_GET_ONE_REG, (uintptr_t)&r), 0);
	return val;
}

/* s2.7 "Registers": only X0-X30 and PC can be set for a realm. */
static void test_one_reg(void **state)
{
	struct vmm m;
	int v, n;

	(void)state;
	vmm_create_realm(&m, 0);
	v = vmm_add_vcpu(&m, VMM_RAM_BASE);
	assert_int_equal(set_reg(v, KVM_REG_ARM64_X(5), 0x1234), 0);
	assert_int_equal(get_reg(v, KVM_REG_ARM64_X(5)), 0x1234);
	assert_int_equal(set_reg(v, KVM_REG_ARM64_X(30), 7), 0);
	assert_int_equal(set_reg(v, KVM_REG_ARM64_PC, 0x80001000), 0);
	assert_int_equal(get_reg(v, KVM_REG_ARM64_PC), 0x80001000);
	assert_int_equal(set_reg(v, KVM_REG_ARM64_SP, 0), -EPERM);
	assert_int_equal(set_reg(v, KVM_REG_ARM64_PSTATE, 0), -EPERM);
	assert_int_equal(set_reg(v, KVM_REG_ARM64 | 0x1234, 0), -ENOENT);
	/* A normal VM's vCPU has no such restriction. */
	n = vmm_ioctl(m.sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_NORMAL);
	{
		int nv = vmm_ioctl(n, KVM_CREATE_VCPU, 0);

		assert_int_equal(set_reg(nv, KVM_REG_ARM64_SP, 0x10), 0);
		assert_int_equal(get_reg(nv, KVM_REG_ARM64_SP), 0x10);
		assert_int_equal(rk_kvm_close(nv), 0);
	}
	assert_int_equal(rk_kvm_close(n), 0);
	vmm_destroy(&m, NULL);
}

/* s2.7 "Events": no SError for realms; SEA only after an emulated MMIO exit. */
static void test_vcpu_events(void **state)
{
	struct kvm_vcpu_events e;
	struct vmm m;
	int v;

	(void)state;
	vmm_create_realm(&m, 0);
	v = vmm_add_vcpu(&m, VMM_RAM_BASE);
	memset(&e, 0, sizeof(e));
	assert_int_equal(vmm_ioctl(v, KVM_SET_VCPU_EVENTS, (uintptr_t)&e), 0);
	e.exception.serror_pending = 1;
	assert_int_equal(vmm_ioctl(v, KVM_SET_VCPU_EVENTS, (uintptr_t)&e), -EINVAL);
	memset(&e, 0, sizeof(e));
	e.exception.ext_dabt_pending = 1;
	assert_int_equal(vmm_ioctl(v, KVM_SET_VCPU_EVENTS, (uintptr_t)&e), -EINVAL);
	memset(&e, 0, sizeof(e));
	e.reserved[3] = 1;
	assert_int_equal(vmm_ioctl(v, KVM_SET_VCPU_EVENTS, (uintptr_t)&e), -EINVAL);
	vmm_destroy(&m, NULL);
}

static int set_region(struct vmm *m, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		      uint64_t uaddr, int gmem, uint64_t off)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = uaddr,
		.guest_memfd_offset = off,
		.guest_memfd = (uint32_t)gmem,
	};

	return vmm_ioctl(m->vm, KVM_SET_USER_MEMORY_REGION2, (uintptr_t)&r);
}

/* Memslot validation (KVM_SET_USER_MEMORY_REGION2, s2.7 "Memory"). */
static void test_memslots(void **state)
{
	const uint32_t G = KVM_MEM_GUEST_MEMFD;
	struct kvm_create_guest_memfd gm = { .size = 1 << 20 };
	uint8_t page[4096] = { 0 };
	void *ram, *heap = malloc(1 << 20);
	struct vmm m;
	int g;

	(void)state;
	vmm_create_realm(&m, 0);
	g = vmm_ioctl(m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&gm);
	assert_true(g >= 0);
	ram = rk_kvm_alloc_guest_ram(2 << 20);
	assert_non_null(ram);
	uintptr_t u = (uintptr_t)ram;
	/* Alignment, the shared half (private memory only below 2^(ia-1)), flags, ids. */
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE + 1, 1 << 20, u, g, 0), -EINVAL);
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE, 100, u, g, 0), -EINVAL);
	assert_int_equal(set_region(&m, 0, G, 1ULL << 39, 1 << 20, u, g, 0), -EINVAL);
	assert_int_equal(set_region(&m, 0, G | KVM_MEM_READONLY, VMM_RAM_BASE, 1 << 20, u, g, 0),
			 -EINVAL);
	assert_int_equal(set_region(&m, 40, G, VMM_RAM_BASE, 1 << 20, u, g, 0), -EINVAL);
	/* The shared backing must be host-mappable memory (access_ok). */
	assert_int_equal(
		set_region(&m, 0, G, VMM_RAM_BASE, 1 << 20, (uintptr_t)heap & ~4095UL, g, 0),
		-EINVAL);
	/* guest_memfd: a handle of this VM, offset and size within it. */
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE, 1 << 20, u, m.vm, 0), -EINVAL);
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE, 1 << 20, u, g, 4096), -EINVAL);
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE, 2 << 20, u, g, 0), -EINVAL);
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE, 1 << 20, u, g, 0), 0);
	/* Moving an existing slot: EINVAL; overlapping another: EEXIST. */
	assert_int_equal(set_region(&m, 0, G, VMM_RAM_BASE + (1 << 20), 1 << 20, u, g, 0), -EINVAL);
	assert_int_equal(set_region(&m, 1, 0, VMM_RAM_BASE + 4096, 1 << 20, u + (1 << 20), -1, 0),
			 -EEXIST);
	assert_int_equal(
		set_region(&m, 1, 0, VMM_RAM_BASE + (1 << 20), 1 << 20, u + (1 << 20), -1, 0), 0);
	/* Delete and re-add while the realm has no RD. */
	assert_int_equal(set_region(&m, 1, 0, 0, 0, 0, -1, 0), 0);
	/* After the RD exists the slot stays (realmkit: EBUSY). */
	assert_int_equal(vmm_set_private(&m, VMM_RAM_BASE, 1 << 20, true), 0);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, page, sizeof(page), 0), 0);
	assert_int_equal(set_region(&m, 0, 0, 0, 0, 0, -1, 0), -EBUSY);
	/* guest_memfd creation rules. */
	gm.size = 0;
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&gm), -EINVAL);
	gm.size = 4097;
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&gm), -EINVAL);
	gm.size = 4096, gm.flags = 1;
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&gm), -EINVAL);
	gm.flags = 0, gm.reserved[2] = 1;
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&gm), -EINVAL);
	vmm_destroy(&m, NULL);
	rk_kvm_free_guest_ram(ram, 2 << 20);
	free(heap);
}

/* KVM_SET_MEMORY_ATTRIBUTES validation. */
static void test_memory_attributes(void **state)
{
	struct kvm_memory_attributes a = { .address = VMM_RAM_BASE, .size = 4096 };
	struct vmm m;

	(void)state;
	vmm_create_realm(&m, 0);
	a.attributes = 1ULL << 4;
	assert_int_equal(vmm_ioctl(m.vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), -EINVAL);
	a.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE, a.flags = 1;
	assert_int_equal(vmm_ioctl(m.vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), -EINVAL);
	a.flags = 0, a.size = 0;
	assert_int_equal(vmm_ioctl(m.vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), -EINVAL);
	a.size = 100;
	assert_int_equal(vmm_ioctl(m.vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), -EINVAL);
	a.size = 8192;
	assert_int_equal(vmm_ioctl(m.vm, KVM_SET_MEMORY_ATTRIBUTES, (uintptr_t)&a), 0);
	/* Splitting a private range: the middle page shared. */
	assert_int_equal(vmm_set_private(&m, VMM_RAM_BASE + 4096, 4096, false), 0);
	vmm_destroy(&m, NULL);
}

/* kvm.h KVM_CAP_ARM_RMI_CFG_PSCI: the ioctl exists only in the explicit design. */
static void test_psci_complete_modes(void **state)
{
	struct kvm_arm_rmi_psci_complete c = { .target_mpidr = 0 };
	struct kvm_cap_arm_rmi_config_item it = { .cfg = KVM_CAP_ARM_RMI_CFG_PSCI };
	struct vmm m;
	int v;

	(void)state;
	vmm_create_realm(&m, 0);
	v = vmm_add_vcpu(&m, VMM_RAM_BASE);
	/* Implicit (default): the ioctl does not exist (v14). */
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c), -EINVAL);
	it.psci_mode = KVM_ARM_RMI_PSCI_EXPLICIT;
	assert_int_equal(config(&m, &it), 0);
	/* Explicit: no request pending -> EINVAL; an unknown target -> EINVAL ([PATCH v12 27/46]). */
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c), -EINVAL);
	c.target_mpidr = 5;
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c), -EINVAL);
	vmm_destroy(&m, NULL);
}

struct run_arg {
	int vcpu;
	int ret;
};

static void *run_thread(void *p)
{
	struct run_arg *a = p;

	a->ret = vmm_ioctl(a->vcpu, KVM_RUN, 0);
	return NULL;
}

/*
 * A secondary vCPU is powered off until a CPU_ON completes ([PATCH v12
 * 12/46]: only vCPU 0 runnable): its KVM_RUN blocks, and a kick ends it
 * with EINTR / KVM_EXIT_INTR (kvm.h rk_kvm_vcpu_kick).
 */
static void test_kick_blocked_vcpu(void **state)
{
	struct run_arg a;
	struct kvm_run *run;
	pthread_t t;
	struct vmm m;

	(void)state;
	vmm_create_realm(&m, 0);
	vmm_add_ram(&m, VMM_RAM_BASE, 1 << 20);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	run = rk_kvm_map_run(m.vcpu[1]);
	assert_non_null(run);
	/* immediate_exit: the run returns at once with EINTR. */
	run->immediate_exit = 1;
	assert_int_equal(vmm_ioctl(m.vcpu[1], KVM_RUN, 0), -EINTR);
	assert_int_equal(run->exit_reason, KVM_EXIT_INTR);
	run->immediate_exit = 0;
	run->exit_reason = 0;
	a.vcpu = m.vcpu[1];
	a.ret = 1;
	assert_int_equal(pthread_create(&t, NULL, run_thread, &a), 0);
	usleep(20000);
	assert_int_equal(rk_kvm_vcpu_kick(m.vcpu[1]), 0);
	pthread_join(t, NULL);
	assert_int_equal(a.ret, -EINTR);
	assert_int_equal(run->exit_reason, KVM_EXIT_INTR);
	assert_int_equal(rk_kvm_vcpu_kick(m.vm), -1);
	assert_int_equal(errno, EBADF);
	vmm_destroy(&m, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_version_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_unsupported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realm_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_realm_errnos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_realm_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_reg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memslots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_psci_complete_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_blocked_vcpu, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
