/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection of allocation failure in the host (issue 8): the host's
 * NS page allocator (host_rmi.h host_pages_inject_failures) fails one chosen
 * allocation of a full lifecycle driven through the UAPI: create the VM,
 * a guest_memfd memslot, populate the hello guest, a vCPU, KVM_RUN to
 * SYSTEM_OFF, destroy. The lifecycle is first run clean to count its
 * allocations; then, on a fresh board each time, allocation i fails for
 * every i. The call that hit it must return -1 with errno ENOMEM (the
 * kernel's answer to a failed page allocation); the VM is then either
 * still usable (the same call, retried, succeeds and the lifecycle goes
 * on) or DEAD (kvm-cca-host.md s3.7: a failed activation leaves the realm
 * DEAD; the retry fails, and only destroy is left). Either way destroy
 * succeeds with an empty leak report (s3.11: only granules the RMM refuses
 * to give back are leaked, and the RMM refuses nothing here), the host's
 * page usage returns to its starting value, and the RMM's invariants hold.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "guest_vmm.h"
#include "host_rmi.h"
#include "invariants.h"

#define AF_MAX_ALLOCS 512u

/* One lifecycle's state; step functions return 0 or -errno. */
struct lc {
	struct vmm m;
	struct kvm_arm_rmi_populate pop;
	uint8_t *img;
	uint64_t img_size;
	bool system_off;
	unsigned int enomem;  /* ENOMEM answers seen */
	bool dead;	      /* a retry found the VM DEAD */
	unsigned int fail_at; /* the allocation that fails (UINT32_MAX: none) */
};

static uint8_t img_buf[1 << 20];

static void load_hello(struct lc *l)
{
	FILE *f = fopen(gv_image(RK_GUEST_DIR, "hello"), "rb");
	size_t n;

	assert_non_null(f);
	memset(img_buf, 0, sizeof(img_buf));
	n = fread(img_buf, 1, sizeof(img_buf), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(img_buf));
	l->img = img_buf;
	l->img_size = (n + 4095) & ~4095ULL;
}

static int st_create_vm(struct lc *l)
{
	int r = vmm_ioctl(l->m.sys, KVM_CREATE_VM, KVM_VM_TYPE_ARM_REALM);

	if (r >= 0)
		l->m.vm = r;
	return r < 0 ? r : 0;
}

static int st_gmem(struct lc *l)
{
	struct kvm_create_guest_memfd g = { .size = GV_RAM_SIZE };
	int r = vmm_ioctl(l->m.vm, KVM_CREATE_GUEST_MEMFD, (uintptr_t)&g);

	if (r >= 0)
		l->m.gmem = r;
	return r < 0 ? r : 0;
}

static int st_ram(struct lc *l)
{
	l->m.ram = rk_kvm_alloc_guest_ram(GV_RAM_SIZE);
	if (!l->m.ram)
		return -errno;
	l->m.ram_size = GV_RAM_SIZE;
	return 0;
}

static int st_memslot(struct lc *l)
{
	struct kvm_userspace_memory_region2 r = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = RK_GUEST_RAM_BASE,
		.memory_size = GV_RAM_SIZE,
		.userspace_addr = (uintptr_t)l->m.ram,
		.guest_memfd = (uint32_t)l->m.gmem,
	};

	return vmm_ioctl(l->m.vm, KVM_SET_USER_MEMORY_REGION2, (uintptr_t)&r);
}

static int st_private(struct lc *l)
{
	return vmm_set_private(&l->m, RK_GUEST_RAM_BASE, GV_RAM_SIZE, true);
}

/* One KVM_ARM_RMI_POPULATE call per step, resuming where the last stopped. */
static int st_populate(struct lc *l)
{
	uint64_t before = l->pop.size;
	int r = vmm_ioctl(l->m.vm, KVM_ARM_RMI_POPULATE, (uintptr_t)&l->pop);

	if (!r && l->pop.size >= before)
		fail_msg("populate made no progress");
	return r;
}

static int st_vcpu(struct lc *l)
{
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	uint64_t entry = RK_GUEST_RAM_BASE;
	struct kvm_one_reg pc = { .id = KVM_REG_ARM64_PC, .addr = (uintptr_t)&entry };
	int v = vmm_ioctl(l->m.vm, KVM_CREATE_VCPU, 0);

	if (v < 0)
		return v;
	l->m.vcpu[0] = v;
	l->m.nvcpus = 1;
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	assert_int_equal(vmm_ioctl(v, KVM_ARM_VCPU_INIT, (uintptr_t)&init), 0);
	assert_int_equal(vmm_ioctl(v, KVM_SET_ONE_REG, (uintptr_t)&pc), 0);
	return 0;
}

/* Serves one exit of hello (console MMIO, host calls, SYSTEM_OFF). */
static void serve(struct lc *l, struct kvm_run *run)
{
	uint64_t zero = 0;
	struct kvm_one_reg x0 = { .id = KVM_REG_ARM64_X(0), .addr = (uintptr_t)&zero };

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		break;
	case KVM_EXIT_HYPERCALL:
		assert_int_equal(vmm_ioctl(l->m.vcpu[0], KVM_SET_ONE_REG, (uintptr_t)&x0), 0);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		assert_int_equal(run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
		l->system_off = true;
		break;
	default:
		fail_msg("unexpected exit reason %u", run->exit_reason);
	}
}

/* KVM_RUN until SYSTEM_OFF; returns the first failing KVM_RUN's -errno. */
static int st_run(struct lc *l)
{
	struct kvm_run *run = rk_kvm_map_run(l->m.vcpu[0]);
	unsigned int n = 0;

	assert_non_null(run);
	while (!l->system_off) {
		int r = vmm_ioctl(l->m.vcpu[0], KVM_RUN, 0);

		if (r == -EINTR)
			continue;
		if (r)
			return r;
		serve(l, run);
		assert_true(++n < 100000);
	}
	return 0;
}

/*
 * Runs step; on ENOMEM retries it once (the injection fails one call only):
 * the retry succeeds (VM usable) or reports the realm DEAD -- ENXIO
 * (realm_ensure_created, kvm-cca-host.md s3.7 step 2) or, for KVM_RUN,
 * EINVAL (s2.6: the realm must be ACTIVE at entry). Returns false when
 * the lifecycle cannot go on.
 */
static bool step(struct lc *l, int (*fn)(struct lc *), const char *name, bool is_run)
{
	int r = fn(l);

	if (r == 0)
		return true;
	if (r != -ENOMEM)
		fail_msg("allocation %u: %s: %d, expected 0 or -ENOMEM", l->fail_at, name, r);
	l->enomem++;
	r = fn(l);
	if (r == 0)
		return true;
	if (r == -ENXIO || (is_run && r == -EINVAL)) {
		l->dead = true;
		return false;
	}
	fail_msg("allocation %u: %s retried after ENOMEM: %d, expected 0, -ENXIO%s", l->fail_at,
		 name, r, is_run ? " or -EINVAL" : "");
	return false;
}

static bool run_steps(struct lc *l)
{
	if (!step(l, st_create_vm, "KVM_CREATE_VM", false) ||
	    !step(l, st_gmem, "KVM_CREATE_GUEST_MEMFD", false) ||
	    !step(l, st_ram, "rk_kvm_alloc_guest_ram", false) ||
	    !step(l, st_memslot, "KVM_SET_USER_MEMORY_REGION2", false) ||
	    !step(l, st_private, "KVM_SET_MEMORY_ATTRIBUTES", false))
		return false;
	l->pop = (struct kvm_arm_rmi_populate){
		.base = RK_GUEST_RAM_BASE,
		.size = l->img_size,
		.source_uaddr = (uintptr_t)l->img,
		.flags = KVM_ARM_RMI_POPULATE_FLAGS_MEASURE,
	};
	while (l->pop.size) {
		if (!step(l, st_populate, "KVM_ARM_RMI_POPULATE", false))
			return false;
	}
	return step(l, st_vcpu, "KVM_CREATE_VCPU", false) && step(l, st_run, "KVM_RUN", true);
}

static void expect_invariants(const char *when, unsigned int i)
{
	char why[256];
	int n = rmm_check_invariants(why, sizeof(why));

	if (n)
		fail_msg("allocation %u, %s: %d invariant violations, first: %s", i, when, n, why);
}

/*
 * One lifecycle on the current board with allocation fail_at failing
 * (UINT32_MAX: none). Returns the allocations it made.
 */
static uint64_t lifecycle(unsigned int fail_at, struct lc *l)
{
	struct rk_kvm_leak_report rep;
	uint64_t pages = host_pages_in_use(), allocs = host_pages_alloc_count();
	bool complete;

	memset(l, 0, sizeof(*l));
	load_hello(l);
	l->m.sys = rk_kvm_open();
	assert_true(l->m.sys >= 0);
	l->m.vm = l->m.gmem = -1;
	l->fail_at = fail_at;
	if (fail_at != UINT32_MAX)
		host_pages_inject_failures(fail_at, 1);
	complete = run_steps(l);
	host_pages_inject_failures(0, 0);
	allocs = host_pages_alloc_count() - allocs;
	expect_invariants("before destroy", fail_at);
	if (complete && !l->system_off)
		fail_msg("allocation %u: lifecycle ended without SYSTEM_OFF", fail_at);
	if (l->m.vm >= 0) {
		rep.count = ~0ULL;
		assert_int_equal(rk_kvm_destroy_vm(l->m.vm, &rep), 0);
		/* s3.11: the RMM refused nothing, so nothing is leaked. */
		if (rep.count)
			fail_msg("allocation %u: leak report of %llu", fail_at,
				 (unsigned long long)rep.count);
	}
	if (l->m.ram)
		rk_kvm_free_guest_ram(l->m.ram, l->m.ram_size);
	assert_int_equal(rk_kvm_close(l->m.sys), 0);
	if (host_pages_in_use() != pages)
		fail_msg("allocation %u: %llu host pages in use, %llu before", fail_at,
			 (unsigned long long)host_pages_in_use(), (unsigned long long)pages);
	expect_invariants("after destroy", fail_at);
	return allocs;
}

static int board_on(void)
{
	void *st = NULL;

	rmm_invariants_forget_rims();
	return gv_setup(&st);
}

static void board_off(void)
{
	void *st = NULL;

	host_pages_inject_failures(0, 0);
	gv_teardown(&st);
}

static void test_allocfail_every_index(void **state)
{
	unsigned int dead = 0, usable = 0;
	uint64_t total;
	struct lc l;

	(void)state;
	/* The clean run: its allocations are the ones to fail, one at a time. */
	assert_int_equal(board_on(), 0);
	total = lifecycle(UINT32_MAX, &l);
	board_off();
	assert_true(l.system_off && l.enomem == 0);
	assert_true(total > 0 && total < AF_MAX_ALLOCS);
	for (unsigned int i = 0; i < total; i++) {
		assert_int_equal(board_on(), 0);
		lifecycle(i, &l);
		board_off();
		/* The injected failure reached the VMM as ENOMEM, exactly once. */
		if (l.enomem != 1)
			fail_msg("allocation %u: %u ENOMEM answers, expected 1", i, l.enomem);
		if (l.dead)
			dead++;
		else if (l.system_off)
			usable++;
		else
			fail_msg("allocation %u: neither DEAD nor run to SYSTEM_OFF", i);
	}
	print_message("%llu allocations: %u failures left the VM usable, %u DEAD\n",
		      (unsigned long long)total, usable, dead);
	assert_int_equal(usable + dead, total);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocfail_every_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
