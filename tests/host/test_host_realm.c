/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The realm lifecycle through the UAPI: POPULATE (errno rules and loop
 * semantics, kvm-cca-host.md s2.5), RD creation with every start-level
 * geometry, RTT creation on demand with racing threads, activation on the
 * first run (INIT_RIPAS over populated pages, RECs, failure -> DEAD),
 * destruction at every stage with the leak report empty on the normal path
 * and exact under injected GTSI failures (s3.11), and a 64 KB host page.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <realmkit/platform.h>

#include "host_rmi.h"
#include "platform_root.h"
#include "vmm_util.h"

#define MB (1ULL << 20)

static uint8_t src[2 * 1024 * 1024];

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	return vmm_power_on(NULL);
}

static int setup_64k(void **state)
{
	struct rk_kvm_host_config cfg = { .page_size = 65536, .log = vmm_log_capture };

	(void)state;
	return vmm_power_on(&cfg);
}

static int teardown(void **state)
{
	(void)state;
	vmm_power_off();
	return 0;
}

/* A realm with 4 MiB of private RAM; *base_pages = host pages in use before it. */
static void realm_with_ram(struct vmm *m, uint64_t *base_pages)
{
	vmm_create_realm(m, 0);
	*base_pages = host_pages_in_use();
	vmm_add_ram(m, VMM_RAM_BASE, 4 * MB);
	assert_int_equal(vmm_set_private(m, VMM_RAM_BASE, 4 * MB, true), 0);
}

static void destroy_expect_clean(struct vmm *m, uint64_t base_pages)
{
	struct rk_kvm_leak_report rep;

	assert_int_equal(rk_kvm_destroy_vm(m->vm, &rep), 0);
	rk_kvm_free_guest_ram(m->ram, m->ram_size);
	m->ram = NULL;
	/* s3.11: nothing leaked on the normal path, every host page back. */
	assert_int_equal(rep.count, 0);
	assert_int_equal(host_pages_in_use(), base_pages);
	assert_int_equal(rk_kvm_close(m->sys), 0);
}

static int populate_raw(struct vmm *m, uint64_t base, uint64_t size, const void *s, uint32_t flags,
			uint32_t reserved)
{
	struct kvm_arm_rmi_populate p = { base, size, (uintptr_t)s, flags, reserved };

	return vmm_ioctl(m->vm, KVM_ARM_RMI_POPULATE, (uintptr_t)&p);
}

/* s2.5 POPULATE errno rules. */
static void test_populate_errnos(void **state)
{
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	/* Unknown flags, non-zero reserved, unaligned base or end: EINVAL ([PATCH v12 20/46]). */
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 2, 0), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 0, 1), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + 8, 4096, src, 0, 0), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4000, src, 0, 0), -EINVAL);
	/* Outside the protected half, outside a guest_memfd slot, not PRIVATE: EINVAL. */
	assert_int_equal(populate_raw(&m, 1ULL << 39, 4096, src, 0, 0), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + 4 * MB, 4096, src, 0, 0), -EINVAL);
	assert_int_equal(vmm_set_private(&m, VMM_RAM_BASE + MB, 4096, false), 0);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + MB, 4096, src, 0, 0), -EINVAL);
	/* No source: EFAULT. */
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, NULL, 0, 0), -EFAULT);
	/* Size 0 is a no-op. */
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 0, src, 0, 0), 0);
	/* Success, then the same page again: EEXIST. */
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 1, 0), 0);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 1, 0), -EEXIST);
	destroy_expect_clean(&m, base);
}

/* v13 in/out form: each call advances base, size and source_uaddr; loop until 0. */
static void test_populate_loop(void **state)
{
	struct kvm_arm_rmi_populate p = { VMM_RAM_BASE, 3 * MB, (uintptr_t)src, 1, 0 };
	struct vmm m;
	uint64_t base;
	unsigned int calls = 0;

	(void)state;
	realm_with_ram(&m, &base);
	while (p.size) {
		uint64_t before = p.size, b = p.base, s = p.source_uaddr;

		assert_int_equal(vmm_ioctl(m.vm, KVM_ARM_RMI_POPULATE, (uintptr_t)&p), 0);
		assert_true(p.size < before);
		assert_int_equal(p.base - b, before - p.size);
		assert_int_equal(p.source_uaddr - s, before - p.size);
		/* the source buffer wraps: reuse it for the third MiB */
		if (p.source_uaddr >= (uintptr_t)src + sizeof(src))
			p.source_uaddr = (uintptr_t)src;
		calls++;
	}
	/* More than one call: the host processes at most 2 MiB per call. */
	assert_true(calls >= 2);
	assert_int_equal(p.base, VMM_RAM_BASE + 3 * MB);
	destroy_expect_clean(&m, base);
}

/* RD creation for every start-level geometry (rmm-v1.0.md s10, [PATCH v12 22/46]). */
static void test_ipa_geometries(void **state)
{
	static const unsigned int ipas[] = { 32, 33, 34, 36, 39, 40, 41, 42, 43, 44 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ipas); i++) {
		struct vmm m;
		uint64_t base;
		uint64_t gpa = 0x10000000;

		vmm_create_realm(&m, ipas[i]);
		base = host_pages_in_use();
		vmm_add_ram(&m, gpa, MB);
		assert_int_equal(vmm_set_private(&m, gpa, MB, true), 0);
		/* Two pages 64 KiB apart under the same new RTTs, and one far page. */
		assert_int_equal(vmm_populate(&m, gpa, src, 4096, 1), 0);
		assert_int_equal(vmm_populate(&m, gpa + 0x10000, src, 4096, 1), 0);
		assert_int_equal(vmm_populate(&m, gpa + MB - 4096, src, 4096, 0), 0);
		destroy_expect_clean(&m, base);
	}
}

struct pop_arg {
	struct vmm *m;
	unsigned int id, n;
	int ret;
};

/* Thread id populates pages id, id + n, id + 2n, ... of every 2 MiB block. */
static void *populate_thread(void *p)
{
	struct pop_arg *a = p;

	a->ret = 0;
	for (uint64_t pg = a->id; pg < 1024 && !a->ret; pg += a->n)
		a->ret = vmm_populate(a->m, VMM_RAM_BASE + pg * 4096, src + (pg % 256) * 4096, 4096,
				      1);
	return NULL;
}

/*
 * s3.5: RTTs created on demand, with "already exists" races when threads
 * fault neighbouring pages of the same new RTT. Every page must end up
 * populated, and nothing may be left behind after destruction.
 */
static void test_populate_race(void **state)
{
	enum {
		N = 4
	};
	struct pop_arg args[N];
	pthread_t t[N];
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	for (unsigned int i = 0; i < N; i++) {
		args[i] = (struct pop_arg){ .m = &m, .id = i, .n = N };
		assert_int_equal(pthread_create(&t[i], NULL, populate_thread, &args[i]), 0);
	}
	for (unsigned int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(args[i].ret, 0);
	}
	/* Every page is populated: populating any again is EEXIST. */
	for (uint64_t pg = 0; pg < 1024; pg += 97)
		assert_int_equal(populate_raw(&m, VMM_RAM_BASE + pg * 4096, 4096, src, 0, 0),
				 -EEXIST);
	destroy_expect_clean(&m, base);
}

/* Destroy at NONE: slots and vCPUs but no RD. */
static void test_destroy_none(void **state)
{
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	destroy_expect_clean(&m, base);
}

/* A tiny realm program: PSCI SYSTEM_OFF (movz/movk x0, smc #0, b .). */
static const uint32_t sysoff_prog[] = { 0xD2800100, 0xF2B08000, 0xD4000003, 0x14000000 };
/* A 64 KiB source whose first bytes are that program. */
static uint8_t prog_pages[65536];

static const void *prog_source(void)
{
	memcpy(prog_pages, sysoff_prog, sizeof(sysoff_prog));
	return prog_pages;
}

/*
 * Activation on the first run (s3.7) over a partly populated RAM (the
 * INIT_RIPAS skip of [PATCH v12 17/46]), then destroy of an ACTIVE realm.
 */
static void test_activate_and_destroy(void **state)
{
	uint8_t page[4096] = { 0 };
	struct kvm_run *run;
	struct vmm m;
	uint64_t base;
	int ret;

	(void)state;
	memcpy(page, sysoff_prog, sizeof(sysoff_prog));
	realm_with_ram(&m, &base);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, page, sizeof(page), 1), 0);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE + 2 * MB + 8192, src, 8192, 1), 0);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	run = rk_kvm_map_run(m.vcpu[0]);
	ret = vmm_ioctl(m.vcpu[0], KVM_RUN, 0);
	if (vmm_rec_enter_available()) {
		assert_int_equal(ret, 0);
		assert_int_equal(run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
		assert_int_equal(run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
		/* s2.6: a later entry sees (E_REALM, 1): KVM_EXIT_SHUTDOWN. */
		assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_RUN, 0), 0);
		assert_int_equal(run->exit_reason, KVM_EXIT_SHUTDOWN);
	} else {
		/* Until REC execution lands the RMM answers REC_ENTER with SMC_UNKNOWN. */
		assert_int_equal(ret, -ENXIO);
	}
	/* Activated: POPULATE is over (EPERM), vCPUs cannot join (EBUSY), PC is fixed. */
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + MB, 4096, src, 0, 0), -EPERM);
	assert_int_equal(vmm_ioctl(m.vm, KVM_CREATE_VCPU, 5), -EBUSY);
	{
		uint64_t pc = 0;
		struct kvm_one_reg r = { .id = KVM_REG_ARM64_PC, .addr = (uintptr_t)&pc };

		assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_SET_ONE_REG, (uintptr_t)&r), -EPERM);
	}
	destroy_expect_clean(&m, base);
}

/* Activation fails at REC creation (no PSCI 0.2 feature): DEAD, cleaned up (s3.7). */
static void test_activation_failure_dead(void **state)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	struct vmm m;
	uint64_t base;
	int v1;

	(void)state;
	realm_with_ram(&m, &base);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, src, 8192, 1), 0);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	v1 = vmm_ioctl(m.vm, KVM_CREATE_VCPU, 1);
	assert_int_equal(vmm_ioctl(v1, KVM_ARM_VCPU_INIT, (uintptr_t)&init), 0);
	/* [PATCH v12 12/46]: REC creation without PSCI 0.2 -> EINVAL, realm DEAD. */
	assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_RUN, 0), -EINVAL);
	/* DEAD: entry is EINVAL (s2.6), POPULATE is ENXIO (realm_ensure_created). */
	assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_RUN, 0), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + MB, 4096, src, 0, 0), -ENXIO);
	destroy_expect_clean(&m, base);
}

/* Non-dense vCPU ids: REC_CREATE refuses index 2 after 0 (rmm-v1.0.md s7.5) -> DEAD. */
static void test_activation_failure_mpidr(void **state)
{
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	m.nvcpus = 2; /* the next vCPU gets id 2 */
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_RUN, 0), -ENXIO);
	assert_int_equal(vmm_ioctl(m.vcpu[0], KVM_RUN, 0), -EINVAL);
	destroy_expect_clean(&m, base);
}

/* Every reported PA is still Realm PAS (the RMM kept it) and unique. */
static void check_report(const struct rk_kvm_leak_report *rep, uint64_t expect)
{
	assert_int_equal(rep->count, expect);
	for (uint64_t i = 0; i < rep->count; i++) {
		assert_int_equal(platform_pas(pa_of(rep->pas[i])), RK_PAS_REALM);
		for (uint64_t j = 0; j < i; j++)
			assert_true(rep->pas[i] != rep->pas[j]);
	}
}

/* s3.11: failed undelegates at teardown are leaked and reported exactly. */
static void test_leak_undelegate_injected(void **state)
{
	struct rk_kvm_leak_report rep;
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, src, 8 * 4096, 1), 0);
	el3_inject_gtsi_failures(3);
	assert_int_equal(rk_kvm_destroy_vm(m.vm, &rep), 0);
	el3_inject_gtsi_failures(0);
	check_report(&rep, 3);
	/* The leaked granules are never handed out again: their pages stay in use. */
	rk_kvm_free_guest_ram(m.ram, m.ram_size);
	assert_int_equal(host_pages_in_use(), base + 3);
	assert_int_equal(rk_kvm_close(m.sys), 0);
}

/* A failed delegate during POPULATE fails the call and leaks nothing. */
static void test_leak_delegate_injected(void **state)
{
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	/* The first delegate is the RD's: RD creation fails, the realm stays NONE. */
	el3_inject_gtsi_failures(1);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 0, 0), -ENXIO);
	el3_inject_gtsi_failures(0);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, src, 4096, 0), 0);
	/* A data granule's delegate fails: ENXIO, the page stays unpopulated. */
	el3_inject_gtsi_failures(1);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + 4096, 4096, src, 0, 0), -ENXIO);
	el3_inject_gtsi_failures(0);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE + 4096, src, 4096, 0), 0);
	destroy_expect_clean(&m, base);
}

/* After activation the RECs' REC and aux granules are part of the teardown. */
static void test_leak_after_activation(void **state)
{
	struct rk_kvm_leak_report rep;
	struct vmm m;
	uint64_t base;

	(void)state;
	realm_with_ram(&m, &base);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, prog_source(), 4096, 1), 0);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	(void)vmm_ioctl(m.vcpu[0], KVM_RUN, 0);
	el3_inject_gtsi_failures(2);
	assert_int_equal(rk_kvm_destroy_vm(m.vm, &rep), 0);
	el3_inject_gtsi_failures(0);
	check_report(&rep, 2);
	rk_kvm_free_guest_ram(m.ram, m.ram_size);
	assert_int_equal(host_pages_in_use(), base + 2);
	assert_int_equal(rk_kvm_close(m.sys), 0);
}

/* seeds/003: a 64 KiB host page; populate granularity and aux pages follow it. */
static void test_page_size_64k(void **state)
{
	struct rk_kvm_leak_report rep;
	struct vmm m;
	uint64_t base;

	(void)state;
	assert_non_null(strstr(vmm_log, ""));
	realm_with_ram(&m, &base);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE, 4096, src, 0, 0), -EINVAL);
	assert_int_equal(populate_raw(&m, VMM_RAM_BASE + 4096, 65536, src, 0, 0), -EINVAL);
	assert_int_equal(vmm_populate(&m, VMM_RAM_BASE, prog_source(), 65536, 1), 0);
	vmm_add_vcpu(&m, VMM_RAM_BASE);
	(void)vmm_ioctl(m.vcpu[0], KVM_RUN, 0);
	/* One aux granule of the 64 KiB aux page refuses: that page is never freed. */
	el3_inject_gtsi_failures(1);
	assert_int_equal(rk_kvm_destroy_vm(m.vm, &rep), 0);
	el3_inject_gtsi_failures(0);
	check_report(&rep, 1);
	rk_kvm_free_guest_ram(m.ram, m.ram_size);
	assert_int_equal(host_pages_in_use(), base + 16);
	assert_int_equal(rk_kvm_close(m.sys), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_populate_errnos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipa_geometries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populate_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activate_and_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activation_failure_dead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activation_failure_mpidr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leak_undelegate_injected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leak_delegate_injected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leak_after_activation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_size_64k, setup_64k, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
