/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's run path with real guests (guests/tests and tests/host/guests)
 * driven through the UAPI by the test VMM of guest_vmm.h, one host thread
 * per vCPU: one test per exit type the VMM sees (kvm-cca-host.md s2.6,
 * s3.8), PSCI in both completion modes with Suzuki's consistency condition
 * checked on the host's RMI calls (s4), kicks of a vCPU executing guest
 * code, the activation order (s3.7) and destruction while vCPU threads are
 * blocked or running. Each test destroys the VM and checks the leak report
 * is empty (s3.11).
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "guest_vmm.h"
#include "host_rmi.h"
#include "platform_root.h"
#include "rec_run_priv.h"

/* The common teardown (guest_vmm.h) after this file's own reset. */
static int teardown(void **state)
{
	rec_run_set_budget(REC_RUN_DEFAULT_BUDGET);
	return gv_teardown(state);
}

/* s3.11: the normal path leaks nothing and gives every host page back. */
static void destroy_clean(struct gv *g, uint64_t pages_before)
{
	struct rk_kvm_leak_report rep;

	assert_int_equal(rk_kvm_destroy_vm(g->m.vm, &rep), 0);
	assert_int_equal(rep.count, 0);
	rk_kvm_free_guest_ram(g->m.ram, g->m.ram_size);
	assert_int_equal(host_pages_in_use(), pages_before);
	assert_int_equal(rk_kvm_close(g->m.sys), 0);
}

/* Runs a guest that must end with RK_HC_EXIT(0) and SYSTEM_OFF. */
static void run_ok(struct gv *g)
{
	gv_run(g);
	if (g->error[0])
		fail_msg("test VMM: %s; console:\n%.*s", g->error, (int)g->console_len, g->console);
	assert_true(g->exited);
	assert_int_equal(g->exit_code, 0);
	assert_true(g->system_off);
}

static unsigned int count_fid(const struct gv_obs *o, uint64_t fid, size_t *first, size_t *last)
{
	unsigned int n = 0;

	for (size_t i = 0; i < o->n; i++) {
		if (o->ev[i].fid != fid)
			continue;
		if (!n && first)
			*first = i;
		if (last)
			*last = i;
		n++;
	}
	return n;
}

/*
 * hello: KVM_EXIT_MMIO writes (the console), the RK_HC_EXIT host call and
 * KVM_EXIT_SYSTEM_EVENT SHUTDOWN. The observer shows the activation order
 * of kvm-cca-host.md s3.7 (RECs, then INIT_RIPAS, then REALM_ACTIVATE) and
 * attributes the calls: -1 for POPULATE, the vCPU for KVM_RUN.
 */
static void test_run_hello(void **state)
{
	struct gv_obs o;
	struct gv g;
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "hello"),
				 .x0 = 0x1234,
				 .deny_target = -1,
				 .obs = gv_obs_fn,
				 .obs_ctx = &o };
	size_t rec_first = 0, rec_last = 0, ripas_first = 0, ripas_last = 0, act = 0, data = 0;
	uint64_t pages;

	(void)state;
	gv_obs_init(&o);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(
		gv_console_has(&g, "hello from realm: ipa width 40, RSI version 1.0, dtb 0x1234"));
	assert_true(g.exits[KVM_EXIT_MMIO] > 10);
	assert_int_equal(g.exits[KVM_EXIT_SYSTEM_EVENT], 1);
	assert_int_equal(count_fid(&o, RMI_REC_CREATE, &rec_first, &rec_last), 1);
	assert_true(count_fid(&o, RMI_RTT_INIT_RIPAS, &ripas_first, &ripas_last) >= 1);
	assert_int_equal(count_fid(&o, RMI_REALM_ACTIVATE, &act, NULL), 1);
	assert_true(count_fid(&o, RMI_DATA_CREATE, &data, NULL) >= 1);
	/* s3.7 steps 5-7: REC_CREATE < INIT_RIPAS < REALM_ACTIVATE. */
	assert_true(rec_last < ripas_first);
	assert_true(ripas_last < act);
	/* POPULATE is a VM ioctl (-1); activation and REC_ENTER run in vCPU 0's KVM_RUN. */
	assert_int_equal(o.ev[data].vcpu, -1);
	assert_int_equal(o.ev[rec_first].vcpu, 0);
	assert_int_equal(o.ev[act].vcpu, 0);
	for (size_t i = 0; i < o.n; i++) {
		if (o.ev[i].fid == RMI_REC_ENTER)
			assert_int_equal(o.ev[i].vcpu, 0);
		assert_true(o.ev[i].start <= o.ev[i].end);
	}
	destroy_clean(&g, pages);
	/* Teardown calls are observed too, outside any vCPU. */
	assert_int_equal(o.ev[o.n - 1].vcpu, -1);
	assert_false(o.overflow);
	gv_obs_free(&o);
}

/* mmio: KVM_EXIT_MMIO reads and writes of every width (the mmio guest's contract). */
static void test_run_mmio(void **state)
{
	static const unsigned int rlen[9] = { 1, 1, 1, 2, 2, 2, 4, 4, 8 };
	static const struct {
		uint64_t off, val;
		uint32_t len;
	} w[5] = { { 0, 0x88, 1 },
		   { 2, 0x7788, 2 },
		   { 4, 0x55667788, 4 },
		   { 8, 0x1122334455667788ULL, 8 },
		   { 16, 0, 8 } };
	struct gv g;
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "mmio"), .deny_target = -1 };
	uint64_t pages = host_pages_in_use();

	(void)state;
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(gv_console_has(&g, "mmio: all checks passed"));
	/* s3.8: the length from SAS, the written value from exit.gprs[0], the GPA canonical. */
	assert_int_equal(g.nmmio, 14);
	for (unsigned int i = 0; i < 9; i++) {
		assert_false(g.mmio[i].write);
		assert_int_equal(g.mmio[i].len, rlen[i]);
		assert_int_equal(g.mmio[i].off, 0);
	}
	for (unsigned int i = 0; i < 5; i++) {
		assert_true(g.mmio[9 + i].write);
		assert_int_equal(g.mmio[9 + i].off, w[i].off);
		assert_int_equal(g.mmio[9 + i].len, w[i].len);
		assert_int_equal(g.mmio[9 + i].val, w[i].val);
	}
	destroy_clean(&g, pages);
}

/*
 * [PATCH v12 31/46]: a host call's X0-X30 reach the VMM (nr = X0, args =
 * X1..X6, KVM_GET_ONE_REG for the rest) and the VMM's X0-X30 set with
 * KVM_SET_ONE_REG come back into the guest's RsiHostCall (rmm-v1.0.md s12.5).
 */
static void test_run_hostcall_regs(void **state)
{
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .x0 = HR_HCREGS,
				 .deny_target = -1 };
	uint64_t pages = host_pages_in_use();

	(void)state;
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(g.hcregs_ok);
	destroy_clean(&g, pages);
}

/*
 * Suzuki's consistency condition (kvm-cca-host.md s4) on the host's RMI
 * calls in the order they completed: after a PSCI exit for CPU_ON or
 * AFFINITY_INFO the source REC is not entered successfully before its
 * RMI_PSCI_COMPLETE; a target REC is entered only after a CPU_ON
 * completion with SUCCESS for it ended; a denied target is never entered.
 */
static void check_psci_consistency(const struct gv_obs *o, int denied, unsigned int min)
{
	bool pending[8] = { 0 };
	uint64_t allowed_at[8] = { 0 };
	unsigned int completions = 0, denials = 0;

	assert_false(o->overflow);
	allowed_at[0] = 1; /* REC 0 is created RUNNABLE */
	for (size_t i = 0; i < o->n; i++) {
		const struct gv_ev *e = &o->ev[i];
		int src = gv_obs_rec_index(o, e->args[0]), dst;

		if (e->fid == RMI_REC_ENTER && src >= 0) {
			/* The target never runs before (or without) a SUCCESS completion. */
			assert_true(allowed_at[src] != 0);
			assert_true(src == 0 || e->start >= allowed_at[src]);
			assert_true(src != denied);
			if (e->ret0 != RMI_SUCCESS)
				continue;
			/* The source never runs with its request still pending. */
			assert_false(pending[src]);
			if (e->exit_reason == RMI_EXIT_PSCI &&
			    (e->exit_gpr0 == PSCI_CPU_ON_64 ||
			     e->exit_gpr0 == PSCI_AFFINITY_INFO_64))
				pending[src] = true;
		} else if (e->fid == RMI_PSCI_COMPLETE && e->ret0 == RMI_SUCCESS && src >= 0) {
			dst = gv_obs_rec_index(o, e->args[1]);
			assert_true(dst >= 0);
			pending[src] = false;
			completions++;
			if ((int64_t)e->args[2] == PSCI_RET_DENIED)
				denials++;
			else if (!allowed_at[dst])
				allowed_at[dst] = e->end;
		}
	}
	assert_true(completions >= min);
	if (denied >= 0)
		assert_true(denials >= 1);
}

/* The psci guest (4 vCPUs, CPU_ON of REC 3 denied by the VMM) in one completion mode. */
static void psci_mode_test(uint32_t mode)
{
	struct gv_obs o;
	struct gv g;
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "psci"),
				 .nvcpus = 4,
				 .psci_mode = mode,
				 .deny_target = 3,
				 .obs = gv_obs_fn,
				 .obs_ctx = &o };
	uint64_t pages;

	gv_obs_init(&o);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(gv_console_has(&g, "psci: all checks passed"));
	check_psci_consistency(&o, 3, 6);
	/* REC 3's thread never left KVM_RUN but through the final kick. */
	assert_int_equal(g.vcpu_ret[3], -EINTR);
	destroy_clean(&g, pages);
	gv_obs_free(&o);
}

/* kvm.h KVM_ARM_RMI_PSCI_IMPLICIT (default, [PATCH v14 32/44]). */
static void test_run_psci_implicit(void **state)
{
	(void)state;
	psci_mode_test(KVM_ARM_RMI_PSCI_IMPLICIT);
}

/* kvm.h KVM_ARM_RMI_PSCI_EXPLICIT ([PATCH v12 27/46]). */
static void test_run_psci_explicit(void **state)
{
	(void)state;
	psci_mode_test(KVM_ARM_RMI_PSCI_EXPLICIT);
}

struct blocked {
	int vcpu;
	atomic_int done;
	int ret;
	uint32_t exit_reason;
};

/* vCPU 1's loop for the race test: until a KVM_EXIT_SHUTDOWN or an error. */
static void *secondary_loop(void *p)
{
	struct blocked *b = p;
	struct kvm_run *run = rk_kvm_map_run(b->vcpu);

	do {
		b->ret = vmm_ioctl(b->vcpu, KVM_RUN, 0);
		/* After a failure the VM may be gone, its kvm_run with it (kvm.h). */
		b->exit_reason = b->ret == 0 ? run->exit_reason : 0;
	} while (b->ret == 0 && b->exit_reason == KVM_EXIT_HYPERCALL);
	atomic_store(&b->done, 1);
	return NULL;
}

/* Runs vCPU 0 until a CPU_ON exit; returns its target MPIDR. */
static uint64_t run_to_cpu_on(int vcpu, struct kvm_run *run)
{
	assert_int_equal(vmm_ioctl(vcpu, KVM_RUN, 0), 0);
	assert_int_equal(run->exit_reason, KVM_EXIT_HYPERCALL);
	assert_int_equal(run->hypercall.nr, PSCI_CPU_ON_64);
	assert_true(run->hypercall.flags & KVM_HYPERCALL_EXIT_SMC);
	return run->hypercall.args[0];
}

/*
 * Both modes, step by step (s4): after vCPU 0's CPU_ON exit, vCPU 1 (its
 * thread blocked in KVM_RUN) has not been entered; in the explicit mode
 * vCPU 0's KVM_RUN before KVM_ARM_VCPU_RMI_PSCI_COMPLETE fails with ENXIO
 * (the RMM refuses, kvm.h). After completion both run; REC 0's SYSTEM_OFF
 * is KVM_EXIT_SYSTEM_EVENT for vCPU 0, and vCPU 1, spinning, sees the
 * SYSTEM_OFF race as KVM_EXIT_SHUTDOWN (s2.6).
 */
static void cpu_on_steps(uint32_t mode)
{
	struct gv_obs o;
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .nvcpus = 2,
				 .x0 = HR_RACE,
				 .psci_mode = mode,
				 .deny_target = -1,
				 .obs = gv_obs_fn,
				 .obs_ctx = &o };
	struct kvm_arm_rmi_psci_complete c = { 0 };
	struct blocked b = { .ret = 1 };
	struct kvm_run *run;
	uint64_t x0 = 0, pages;
	struct kvm_one_reg r = { .id = KVM_REG_ARM64_X(0), .addr = (uintptr_t)&x0 };
	pthread_t t;

	gv_obs_init(&o);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	run = rk_kvm_map_run(g.m.vcpu[0]);
	b.vcpu = g.m.vcpu[1];
	assert_int_equal(pthread_create(&t, NULL, secondary_loop, &b), 0);
	c.target_mpidr = run_to_cpu_on(g.m.vcpu[0], run);
	assert_int_equal(c.target_mpidr, 1);
	usleep(20000);
	assert_int_equal(atomic_load(&b.done), 0);
	assert_int_equal(o.nrec, 2);
	for (size_t i = 0; i < o.n; i++)
		assert_true(o.ev[i].fid != RMI_REC_ENTER || o.ev[i].args[0] != o.rec[1]);
	assert_int_equal(vmm_ioctl(g.m.vcpu[0], KVM_SET_ONE_REG, (uintptr_t)&r), 0);
	if (mode == KVM_ARM_RMI_PSCI_EXPLICIT) {
		assert_int_equal(vmm_ioctl(g.m.vcpu[0], KVM_RUN, 0), -ENXIO);
		assert_int_equal(
			vmm_ioctl(g.m.vcpu[0], KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c), 0);
		/* Completed: a second completion has nothing pending (EINVAL). */
		assert_int_equal(
			vmm_ioctl(g.m.vcpu[0], KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c),
			-EINVAL);
	}
	assert_int_equal(vmm_ioctl(g.m.vcpu[0], KVM_RUN, 0), 0);
	assert_int_equal(run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	assert_int_equal(run->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
	pthread_join(t, NULL);
	assert_int_equal(b.ret, 0);
	assert_int_equal(b.exit_reason, KVM_EXIT_SHUTDOWN);
	check_psci_consistency(&o, -1, 1);
	destroy_clean(&g, pages);
	gv_obs_free(&o);
}

static void test_run_cpu_on_steps_implicit(void **state)
{
	(void)state;
	cpu_on_steps(KVM_ARM_RMI_PSCI_IMPLICIT);
}

static void test_run_cpu_on_steps_explicit(void **state)
{
	(void)state;
	cpu_on_steps(KVM_ARM_RMI_PSCI_EXPLICIT);
}

/* PSCI SYSTEM_RESET: KVM_EXIT_SYSTEM_EVENT RESET (s2.6). */
static void test_run_system_reset(void **state)
{
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .x0 = HR_RESET,
				 .deny_target = -1 };
	uint64_t pages = host_pages_in_use();

	(void)state;
	gv_create(&g, &cfg);
	gv_run(&g);
	assert_string_equal(g.error, "");
	assert_true(g.system_reset);
	assert_false(g.system_off);
	assert_int_equal(g.vcpu_last_exit[0], KVM_EXIT_SYSTEM_EVENT);
	destroy_clean(&g, pages);
}

/*
 * ripas: RIPAS changes as KVM_EXIT_MEMORY_FAULT (KVM_RUN -1/EFAULT, PRIVATE
 * iff RAM), applied on the next entry as far as the VMM converted: all,
 * one page, or nothing (reject) per the guest's policy reports (s3.10).
 */
static void test_run_ripas(void **state)
{
	struct gv g;
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "ripas"), .deny_target = -1 };
	uint64_t pages = host_pages_in_use();

	(void)state;
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(gv_console_has(&g, "ripas: all checks passed"));
	assert_int_equal(g.memory_faults, 4);
	assert_int_equal(g.exits[KVM_EXIT_MEMORY_FAULT], 4);
	destroy_clean(&g, pages);
}

/*
 * sea: the only abort that reaches the host is the LDP at the test device
 * without a valid syndrome; the host answers it with INJECT_SEA itself
 * (rmm-v1.0.md s12.3, s3.8): the VMM sees no MMIO exit there.
 */
static void test_run_sea(void **state)
{
	struct gv_obs o;
	struct gv g;
	struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "sea"),
				 .deny_target = -1,
				 .obs = gv_obs_fn,
				 .obs_ctx = &o };
	unsigned int injected = 0;
	uint64_t pages;

	(void)state;
	gv_obs_init(&o);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_true(gv_console_has(&g, "sea: all checks passed"));
	assert_int_equal(g.nmmio, 0);
	for (size_t i = 0; i < o.n; i++) {
		if (o.ev[i].fid == RMI_REC_ENTER &&
		    (o.ev[i].enter_flags & REC_ENTER_FLAG_INJECT_SEA))
			injected++;
	}
	assert_int_equal(injected, 1);
	destroy_clean(&g, pages);
	gv_obs_free(&o);
}

/* [PATCH v12 30/46]: the VMM answers an emulatable read with KVM_SET_VCPU_EVENTS ext_dabt. */
static void test_run_vmm_sea(void **state)
{
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .x0 = HR_VMM_SEA,
				 .deny_target = -1,
				 .sea_next_read = true };
	uint64_t pages = host_pages_in_use();

	(void)state;
	gv_create(&g, &cfg);
	run_ok(&g);
	assert_int_equal(g.sea_injected, 1);
	assert_int_equal(g.nmmio, 1);
	destroy_clean(&g, pages);
}

/* A later RMM's exit reason (or SERROR), presented by the conduit's test hook. */
static bool rewrite_exit(void *ctx, uint64_t fid, const uint64_t args[6], struct smc_result *res,
			 bool done)
{
	uint64_t *reason = ctx;

	if (done && fid == RMI_REC_ENTER && res->x[0] == RMI_SUCCESS && *reason) {
		struct rmi_rec_run *rr = platform_ns_ptr(pa_of(args[1]));

		rr->exit.exit_reason = *reason;
		*reason = 0;
	}
	return false;
}

/*
 * s2.6 / [PATCH v12 16/46]: an exit reason the host does not handle
 * (RMI_EXIT_SERROR has no handler in v12; 0x7f is unknown) is
 * KVM_EXIT_INTERNAL_ERROR with suberror UNEXPECTED_EXIT_REASON and the
 * reason in data[0].
 */
static void test_run_internal_error(void **state)
{
	static const uint64_t reasons[2] = { RMI_EXIT_SERROR, 0x7f };

	(void)state;
	for (unsigned int i = 0; i < 2; i++) {
		struct gv g;
		struct gv_config cfg = { .image = gv_image(RK_GUEST_DIR, "hello"),
					 .deny_target = -1 };
		uint64_t reason = reasons[i], pages = host_pages_in_use();
		struct kvm_run *run;

		gv_create(&g, &cfg);
		run = rk_kvm_map_run(g.m.vcpu[0]);
		conduit_set_test_hook(rewrite_exit, &reason);
		assert_int_equal(vmm_ioctl(g.m.vcpu[0], KVM_RUN, 0), 0);
		conduit_set_test_hook(NULL, NULL);
		assert_int_equal(run->exit_reason, KVM_EXIT_INTERNAL_ERROR);
		assert_int_equal(run->internal.suberror, KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
		assert_int_equal(run->internal.data[0], reasons[i]);
		destroy_clean(&g, pages);
	}
}

struct spinner {
	struct gv *g;
	int ret;
	uint32_t exit_reason;
	atomic_int reported;
	bool destroyed; /* the VM is destroyed under the loop: never read kvm_run after EINTR */
};

/* vCPU 0 of the spin guest: serve the report, then KVM_RUN until it fails. */
static void *spin_loop(void *p)
{
	struct spinner *s = p;
	int vcpu = s->g->m.vcpu[0];
	struct kvm_run *run = rk_kvm_map_run(vcpu);
	uint64_t zero = 0;
	struct kvm_one_reg r = { .id = KVM_REG_ARM64_X(0), .addr = (uintptr_t)&zero };

	for (;;) {
		s->ret = vmm_ioctl(vcpu, KVM_RUN, 0);
		if (s->ret && s->destroyed)
			break;
		s->exit_reason = run->exit_reason;
		if (s->ret || run->exit_reason != KVM_EXIT_HYPERCALL)
			break;
		if (run->hypercall.nr == RK_HC_REPORT && run->hypercall.args[0] == HR_REPORT_SPIN)
			atomic_store(&s->reported, 1);
		vmm_ioctl(vcpu, KVM_SET_ONE_REG, (uintptr_t)&r);
	}
	return NULL;
}

/*
 * kvm.h rk_kvm_vcpu_kick: a vCPU executing guest code (a REC that would
 * never exit: the RMM's instruction budget is unlimited here) leaves
 * KVM_RUN with EINTR / KVM_EXIT_INTR; the REC was stopped by the physical
 * IRQ of the kick (its last REC_ENTER ended with RMI_EXIT_IRQ).
 */
static void test_kick_running_vcpu(void **state)
{
	struct gv_obs o;
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .x0 = HR_SPIN,
				 .deny_target = -1,
				 .obs = gv_obs_fn,
				 .obs_ctx = &o };
	struct spinner s = { .g = &g };
	size_t last = 0;
	uint64_t pages;
	pthread_t t;

	(void)state;
	rec_run_set_budget(0);
	gv_obs_init(&o);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	assert_int_equal(pthread_create(&t, NULL, spin_loop, &s), 0);
	while (!atomic_load(&s.reported))
		usleep(1000);
	usleep(30000);
	assert_int_equal(rk_kvm_vcpu_kick(g.m.vcpu[0]), 0);
	pthread_join(t, NULL);
	assert_int_equal(s.ret, -EINTR);
	assert_int_equal(s.exit_reason, KVM_EXIT_INTR);
	count_fid(&o, RMI_REC_ENTER, NULL, &last);
	assert_int_equal(o.ev[last].ret0, RMI_SUCCESS);
	assert_int_equal(o.ev[last].exit_reason, RMI_EXIT_IRQ);
	/* The guest is still alive: the next KVM_RUN continues it until the next kick. */
	assert_int_equal(pthread_create(&t, NULL, spin_loop, &s), 0);
	usleep(20000);
	assert_int_equal(rk_kvm_vcpu_kick(g.m.vcpu[0]), 0);
	pthread_join(t, NULL);
	assert_int_equal(s.ret, -EINTR);
	destroy_clean(&g, pages);
	gv_obs_free(&o);
}

/*
 * kvm.h rk_kvm_destroy_vm with vCPU threads in KVM_RUN: vCPU 0 executing
 * (unlimited budget) and vCPU 1 blocked powered off. Destruction kicks them
 * (EINTR), waits for their ioctls to end, then tears down: nothing leaks,
 * and the vCPU handles are gone (EBADF).
 */
static void test_destroy_running_and_blocked(void **state)
{
	struct gv g;
	struct gv_config cfg = { .image = gv_image(HT_GUEST_DIR, "hostrun"),
				 .nvcpus = 2,
				 .x0 = HR_SPIN,
				 .deny_target = -1 };
	struct spinner s = { .g = &g, .destroyed = true };
	struct blocked b = { .ret = 1 };
	uint64_t pages;
	pthread_t t0, t1;

	(void)state;
	rec_run_set_budget(0);
	pages = host_pages_in_use();
	gv_create(&g, &cfg);
	b.vcpu = g.m.vcpu[1];
	assert_int_equal(pthread_create(&t0, NULL, spin_loop, &s), 0);
	assert_int_equal(pthread_create(&t1, NULL, secondary_loop, &b), 0);
	while (!atomic_load(&s.reported))
		usleep(1000);
	usleep(20000);
	destroy_clean(&g, pages);
	pthread_join(t0, NULL);
	pthread_join(t1, NULL);
	assert_int_equal(s.ret, -EINTR);
	assert_int_equal(b.ret, -EINTR);
	assert_int_equal(vmm_ioctl(g.m.vcpu[0], KVM_RUN, 0), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_hello, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_mmio, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_hostcall_regs, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_psci_implicit, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_psci_explicit, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_cpu_on_steps_implicit, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_cpu_on_steps_explicit, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_system_reset, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_ripas, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_sea, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_vmm_sea, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_internal_error, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_running_vcpu, gv_setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_running_and_blocked, gv_setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
