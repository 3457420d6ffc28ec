/* SPDX-License-Identifier: BSD-3-Clause */
/* vCPU threads, exit dispatch and the main wait (runtime.h). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <realmkit/abi/psci.h>

#include "runtime.h"

#define JOIN_TIMEOUT_S 2
#define WAIT_SLICE_MS  20

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* SIGUSR1 only interrupts a vCPU's KVM_RUN (EINTR), as on Linux. */
static void on_kick(int sig)
{
	(void)sig;
}

static const char *exit_name(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_MMIO:
		return "MMIO";
	case KVM_EXIT_HYPERCALL:
		return "HYPERCALL";
	case KVM_EXIT_SYSTEM_EVENT:
		return "SYSTEM_EVENT";
	case KVM_EXIT_SHUTDOWN:
		return "SHUTDOWN";
	case KVM_EXIT_MEMORY_FAULT:
		return "MEMORY_FAULT";
	case KVM_EXIT_INTERNAL_ERROR:
		return "INTERNAL_ERROR";
	case KVM_EXIT_FAIL_ENTRY:
		return "FAIL_ENTRY";
	case KVM_EXIT_INTR:
		return "INTR";
	default:
		return "UNKNOWN";
	}
}

void runtime_stop(struct vmm_runtime *rt, int status, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&rt->lock);
	if (!rt->stop) {
		rt->stop = true;
		if (status < 0)
			status = rt->hc_exit_set
					 ? (rt->hc_exit_code <= 255 ? (int)rt->hc_exit_code : 1)
					 : 0;
		rt->status = status;
		va_start(ap, fmt);
		vsnprintf(rt->reason, sizeof(rt->reason), fmt, ap);
		va_end(ap);
		pthread_cond_broadcast(&rt->cond);
	}
	pthread_mutex_unlock(&rt->lock);
}

int runtime_set_x0(struct vmm_runtime *rt, unsigned int idx, uint64_t x0)
{
	if (vmm_vcpu_set_reg(rt->vm, idx, KVM_REG_ARM64_X(0), x0) == 0)
		return 0;
	runtime_stop(rt, VMM_EXIT_ERROR, "vCPU %u: KVM_SET_ONE_REG X0: %s", idx, strerror(errno));
	return -1;
}

static void mmio(struct vmm_vcpu *v, struct kvm_run *run, char *args, size_t n)
{
	struct vmm_runtime *rt = v->rt;
	uint64_t gpa = vmm_vm_canonical_gpa(rt->vm, run->mmio.phys_addr), val = 0;
	unsigned int len = run->mmio.len;
	bool hit;

	rt->n_mmio++;
	if (len == 0 || len > 8) {
		snprintf(args, n, "\"gpa\": \"0x%llx\", \"len\": %u", (unsigned long long)gpa, len);
		return;
	}
	hit = devices_mmio(&rt->devices, gpa, run->mmio.data, len, run->mmio.is_write);
	memcpy(&val, run->mmio.data, len);
	snprintf(args, n, "\"gpa\": \"0x%llx\", \"len\": %u, \"write\": %u, \"data\": \"0x%llx\"",
		 (unsigned long long)gpa, len, run->mmio.is_write, (unsigned long long)val);
	/* kvmtool: accesses outside every device are ignored (reads give 0). */
	if (!hit && rt->cfg->debug)
		fprintf(stderr, "realmkit: vCPU %u: MMIO %s of %u bytes at unmapped 0x%llx\n",
			v->idx, run->mmio.is_write ? "write" : "read", len,
			(unsigned long long)gpa);
}

/*
 * kvm-cca-host.md s2.6 (a)/(b), s3.10: a RIPAS change (or an alias that
 * does not match the memory attributes) reaches the VMM as a memory fault.
 * Conversions of guest RAM are accepted by setting the attributes; anything
 * else is rejected by leaving them, and the host answers the realm.
 */
static int memory_fault(struct vmm_vcpu *v, struct kvm_run *run, char *args, size_t n)
{
	struct vmm_runtime *rt = v->rt;
	struct vmm_vm *vm = rt->vm;
	uint64_t gpa = run->memory_fault.gpa, size = run->memory_fault.size;
	bool priv = run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE;
	bool ok = size && gpa >= vm->ram_gpa && gpa - vm->ram_gpa < vm->ram_size &&
		  size <= vm->ram_size - (gpa - vm->ram_gpa);
	struct kvm_memory_attributes attr = {
		.address = gpa, .size = size, .attributes = priv ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0
	};

	rt->n_ripas++;
	snprintf(args, n, "\"gpa\": \"0x%llx\", \"size\": %llu, \"to\": \"%s\", \"accepted\": %u",
		 (unsigned long long)gpa, (unsigned long long)size, priv ? "private" : "shared",
		 ok);
	if (rt->cfg->debug)
		fprintf(stderr, "realmkit: vCPU %u: convert [0x%llx, +0x%llx) to %s: %s\n", v->idx,
			(unsigned long long)gpa, (unsigned long long)size,
			priv ? "private" : "shared", ok ? "accepted" : "rejected (not guest RAM)");
	if (ok && rk_kvm_ioctl(vm->vm, KVM_SET_MEMORY_ATTRIBUTES, &attr) < 0) {
		runtime_stop(rt, VMM_EXIT_ERROR, "KVM_SET_MEMORY_ATTRIBUTES [0x%llx, +0x%llx): %s",
			     (unsigned long long)gpa, (unsigned long long)size, strerror(errno));
		return -1;
	}
	return 0;
}

static int system_event(struct vmm_vcpu *v, struct kvm_run *run)
{
	switch (run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		runtime_stop(v->rt, -1, "system off (vCPU %u)", v->idx);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		runtime_stop(v->rt, -1, "system reset (vCPU %u; realms cannot reset)", v->idx);
		break;
	default:
		runtime_stop(v->rt, VMM_EXIT_ERROR, "vCPU %u: system event %u (crash)", v->idx,
			     run->system_event.type);
		break;
	}
	return -1;
}

/* Handles one exit. Returns 0 to run again, -1 to leave the loop. */
static int handle_exit(struct vmm_vcpu *v, struct kvm_run *run, char *args, size_t n)
{
	struct vmm_runtime *rt = v->rt;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		mmio(v, run, args, n);
		return 0;
	case KVM_EXIT_HYPERCALL: {
		uint64_t a[6];

		/* A copy: GCC 12 misjudges the union member's size (-Wstringop-overread). */
		memcpy(a, run->hypercall.args, sizeof(a));
		snprintf(args, n, "\"fid\": \"0x%llx\", \"x1\": \"0x%llx\", \"x2\": \"0x%llx\"",
			 (unsigned long long)run->hypercall.nr,
			 (unsigned long long)run->hypercall.args[0],
			 (unsigned long long)run->hypercall.args[1]);
		if (psci_is_psci_fid((uint32_t)run->hypercall.nr))
			return vmm_psci_handle(v, run->hypercall.nr, a);
		return hostcall_handle(v, run->hypercall.nr, a);
	}
	case KVM_EXIT_MEMORY_FAULT:
		return memory_fault(v, run, args, n);
	case KVM_EXIT_SYSTEM_EVENT:
		return system_event(v, run);
	case KVM_EXIT_SHUTDOWN:
		/* s2.6: REC_ENTER found the realm SYSTEM_OFF (racing another vCPU). */
		runtime_stop(rt, -1, "realm is off (vCPU %u)", v->idx);
		return -1;
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_INTERNAL_ERROR:
		runtime_stop(rt, VMM_EXIT_ERROR,
			     "vCPU %u: KVM_EXIT_INTERNAL_ERROR suberror %u (data 0x%llx 0x%llx)",
			     v->idx, run->internal.suberror,
			     (unsigned long long)run->internal.data[0],
			     (unsigned long long)run->internal.data[1]);
		return -1;
	default:
		runtime_stop(rt, VMM_EXIT_ERROR, "vCPU %u: unexpected exit %s (%u)", v->idx,
			     exit_name(run->exit_reason), run->exit_reason);
		return -1;
	}
}

/* Waits until v is on or the run stops; returns false when stopping. */
static bool wait_on(struct vmm_vcpu *v)
{
	struct vmm_runtime *rt = v->rt;
	bool go;

	pthread_mutex_lock(&rt->lock);
	while (!v->on && !rt->stop)
		pthread_cond_wait(&rt->cond, &rt->lock);
	go = !rt->stop;
	pthread_mutex_unlock(&rt->lock);
	return go;
}

static int run_once(struct vmm_vcpu *v, struct kvm_run *run)
{
	struct vmm_runtime *rt = v->rt;
	uint64_t t0 = trace_now_ns(), t1;
	char args[256] = "";
	int r = rk_kvm_ioctl(rt->vm->vcpu_fd[v->idx], KVM_RUN, 0);
	int e = errno;

	t1 = trace_now_ns();
	if (r < 0 && e == EINTR) {
		trace_span(rt->trace, (int)v->idx, "KVM_RUN", t0, t1, "\"result\": \"EINTR\"");
		return 0;
	}
	/* s2.6: a memory fault comes back as -EFAULT with the exit filled in. */
	if (r < 0 && !(e == EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT)) {
		trace_span(rt->trace, (int)v->idx, "KVM_RUN", t0, t1, "\"result\": \"error\"");
		runtime_stop(rt, VMM_EXIT_ERROR, "vCPU %u: KVM_RUN: %s (errno %d)", v->idx,
			     strerror(e), e);
		return -1;
	}
	snprintf(args, sizeof(args), "\"exit\": \"%s\"", exit_name(run->exit_reason));
	trace_span(rt->trace, (int)v->idx, "KVM_RUN", t0, t1, args);
	args[0] = '\0';
	r = handle_exit(v, run, args, sizeof(args));
	if (rt->trace) {
		char name[40];

		snprintf(name, sizeof(name), "exit %s", exit_name(run->exit_reason));
		trace_span(rt->trace, (int)v->idx, name, t1, trace_now_ns(), args);
	}
	return r;
}

static void *vcpu_thread(void *arg)
{
	struct vmm_vcpu *v = arg;
	struct kvm_run *run = v->rt->vm->run[v->idx];

	while (wait_on(v) && run_once(v, run) == 0)
		;
	return NULL;
}

int runtime_init(struct vmm_runtime *rt, const struct vmm_config *cfg,
		 const struct vmm_layout *layout, struct vmm_vm *vm, struct vmm_err *err)
{
	struct vmm_device_env env = {
		.console = cfg->console == VMM_CONSOLE_SERIAL ? stdout : NULL,
		.log = stderr,
		.testdev = cfg->testdev,
	};

	memset(rt, 0, sizeof(*rt));
	rt->cfg = cfg;
	rt->layout = layout;
	rt->vm = vm;
	rt->trace = vm->trace;
	pthread_mutex_init(&rt->lock, NULL);
	pthread_cond_init(&rt->cond, NULL);
	for (unsigned int i = 0; i < layout->nr_cpus; i++)
		rt->vcpu[i] = (struct vmm_vcpu){ .rt = rt, .idx = i, .on = i == 0 };
	if (devices_init(&rt->devices, &env))
		return vmm_errf(err, VMM_EXIT_ERROR, "devices: out of memory");
	return 0;
}

void runtime_fini(struct vmm_runtime *rt)
{
	devices_fini(&rt->devices);
	free(rt->token);
	pthread_cond_destroy(&rt->cond);
	pthread_mutex_destroy(&rt->lock);
}

static void deadline_in(struct timespec *ts, double s)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)s;
	ts->tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* The main thread: waits for the end, a timeout or Ctrl-C. */
static void wait_end(struct vmm_runtime *rt)
{
	double waited = 0, slice = WAIT_SLICE_MS / 1000.0;
	struct timespec ts;

	pthread_mutex_lock(&rt->lock);
	while (!rt->stop) {
		deadline_in(&ts, slice);
		pthread_cond_timedwait(&rt->cond, &rt->lock, &ts);
		waited += slice;
		if (rt->stop)
			break;
		pthread_mutex_unlock(&rt->lock);
		if (interrupted)
			runtime_stop(rt, VMM_EXIT_INTERRUPT, "interrupted (Ctrl-C)");
		else if (rt->cfg->timeout_s > 0 && waited >= rt->cfg->timeout_s)
			runtime_stop(rt, VMM_EXIT_TIMEOUT, "timeout after %g s",
				     rt->cfg->timeout_s);
		pthread_mutex_lock(&rt->lock);
	}
	pthread_mutex_unlock(&rt->lock);
}

/* Kicks every vCPU out of KVM_RUN and joins it. */
static bool stop_and_join(struct vmm_runtime *rt)
{
	bool all = true;

	for (unsigned int i = 0; i < rt->layout->nr_cpus; i++) {
		struct vmm_vcpu *v = &rt->vcpu[i];
		struct timespec ts;

		if (!v->started)
			continue;
		rt->vm->run[i]->immediate_exit = 1;
		pthread_kill(v->thread, SIGUSR1);
		deadline_in(&ts, JOIN_TIMEOUT_S);
		if (pthread_timedjoin_np(v->thread, NULL, &ts)) {
			fprintf(stderr, "realmkit: vCPU %u did not leave KVM_RUN\n", i);
			all = false;
			continue;
		}
		v->started = false;
	}
	return all;
}

int runtime_run(struct vmm_runtime *rt, bool *joined)
{
	struct sigaction sa = { .sa_handler = on_kick }, si = { .sa_handler = on_sigint };
	sigset_t block, old;

	interrupted = 0;
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGINT, &si, NULL);
	sigaction(SIGTERM, &si, NULL);
	/* vCPU threads leave SIGINT/SIGTERM to the main thread. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (unsigned int i = 0; i < rt->layout->nr_cpus; i++) {
		if (pthread_create(&rt->vcpu[i].thread, NULL, vcpu_thread, &rt->vcpu[i])) {
			runtime_stop(rt, VMM_EXIT_ERROR, "cannot create the thread of vCPU %u", i);
			break;
		}
		rt->vcpu[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	wait_end(rt);
	*joined = stop_and_join(rt);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return rt->status;
}
