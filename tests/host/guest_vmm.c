/* SPDX-License-Identifier: BSD-3-Clause */
/* The test VMM that runs real guests through the UAPI (guest_vmm.h). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <realmkit/abi/psci.h>
#include <realmkit/abi/rmi.h>
#include <realmkit/guest.h>
#include <realmkit/platform.h>

#include "guest_vmm.h"
#include "platform_root.h"

#define UART_FR	      0x18
#define RIPAS_POLICY  0x5E7u /* guests/tests/ripas.c */
#define GV_TIMEOUT_MS 20000

static int gv_sys_handle = -1;

int gv_setup(void **state)
{
	(void)state;
	if (vmm_power_on(NULL))
		return -1;
	gv_sys_handle = rk_kvm_open();
	return gv_sys_handle < 0 ? -1 : 0;
}

int gv_teardown(void **state)
{
	(void)state;
	conduit_set_test_hook(NULL, NULL);
	rk_kvm_close(gv_sys_handle);
	vmm_power_off();
	return 0;
}

const char *gv_image(const char *dir, const char *name)
{
	static _Thread_local char path[512];

	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	if (access(path, R_OK))
		fail_msg("guest image %s is missing", path);
	return path;
}

static void load_image(struct gv *g)
{
	static uint8_t img[1 << 20];
	FILE *f = fopen(g->cfg.image, "rb");
	size_t n;

	assert_non_null(f);
	memset(img, 0, sizeof(img));
	n = fread(img, 1, sizeof(img), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(img));
	/* kvm-cca-host.md s6.3: measured DATA_CREATEs in ascending GPA order. */
	assert_int_equal(vmm_populate(&g->m, RK_GUEST_RAM_BASE, img, (n + 4095) & ~4095ULL,
				      KVM_ARM_RMI_POPULATE_FLAGS_MEASURE),
			 0);
}

static int set_reg(int vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return vmm_ioctl(vcpu, KVM_SET_ONE_REG, (uintptr_t)&r);
}

static uint64_t get_reg(int vcpu, uint64_t id)
{
	uint64_t val = ~0ULL;
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	assert_int_equal(vmm_ioctl(vcpu, KVM_GET_ONE_REG, (uintptr_t)&r), 0);
	return val;
}

void gv_create(struct gv *g, const struct gv_config *cfg)
{
	struct kvm_cap_arm_rmi_config_item it = { .cfg = KVM_CAP_ARM_RMI_CFG_PSCI };
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_RMI };

	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	if (!g->cfg.nvcpus)
		g->cfg.nvcpus = 1;
	pthread_mutex_init(&g->lock, NULL);
	vmm_create_realm(&g->m, 0);
	if (cfg->obs)
		assert_int_equal(rk_kvm_set_rmi_observer(g->m.vm, cfg->obs, cfg->obs_ctx), 0);
	it.psci_mode = cfg->psci_mode;
	cap.args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM;
	cap.args[1] = (uintptr_t)&it;
	assert_int_equal(vmm_ioctl(g->m.vm, KVM_ENABLE_CAP, (uintptr_t)&cap), 0);
	vmm_add_ram(&g->m, RK_GUEST_RAM_BASE, GV_RAM_SIZE);
	assert_int_equal(vmm_set_private(&g->m, RK_GUEST_RAM_BASE, GV_RAM_SIZE, true), 0);
	load_image(g);
	for (unsigned int i = 0; i < g->cfg.nvcpus; i++)
		assert_true(vmm_add_vcpu(&g->m, RK_GUEST_RAM_BASE) >= 0);
	assert_int_equal(set_reg(g->m.vcpu[0], KVM_REG_ARM64_X(0), cfg->x0), 0);
}

static void gv_error(struct gv *g, const char *fmt, unsigned long long a, unsigned long long b)
{
	pthread_mutex_lock(&g->lock);
	if (!g->error[0])
		snprintf(g->error, sizeof(g->error), fmt, a, b);
	pthread_mutex_unlock(&g->lock);
	gv_stop(g);
}

void gv_stop(struct gv *g)
{
	atomic_store(&g->stop, true);
	for (unsigned int i = 0; i < g->m.nvcpus; i++)
		rk_kvm_vcpu_kick(g->m.vcpu[i]);
}

static void mmio(struct gv *g, int vcpu, struct kvm_run *run)
{
	uint64_t gpa = run->mmio.phys_addr, val = 0;

	if (gpa >= RK_GUEST_UART_GPA && gpa < RK_GUEST_UART_GPA + 0x1000) {
		pthread_mutex_lock(&g->lock);
		if (run->mmio.is_write && gpa == RK_GUEST_UART_GPA &&
		    g->console_len < sizeof(g->console) - 1)
			g->console[g->console_len++] = (char)run->mmio.data[0];
		pthread_mutex_unlock(&g->lock);
		/* FR (and every other register) reads 0: never TXFF. */
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	if (gpa < GV_TEST_DEV || gpa >= GV_TEST_DEV + 0x1000) {
		gv_error(g, "MMIO at unknown GPA 0x%llx (len %llu)", gpa, run->mmio.len);
		return;
	}
	pthread_mutex_lock(&g->lock);
	if (g->nmmio < GV_MAX_LOG) {
		struct gv_mmio *e = &g->mmio[g->nmmio++];

		e->off = gpa - GV_TEST_DEV;
		e->len = run->mmio.len;
		e->write = run->mmio.is_write;
		memcpy(&val, run->mmio.data, run->mmio.len <= 8 ? run->mmio.len : 8);
		e->val = e->write ? val : 0;
	}
	pthread_mutex_unlock(&g->lock);
	if (!run->mmio.is_write && g->cfg.sea_next_read) {
		/* [PATCH v12 30/46]: an SEA instead of the emulated read. */
		struct kvm_vcpu_events ev = { 0 };

		ev.exception.ext_dabt_pending = 1;
		if (vmm_ioctl(vcpu, KVM_SET_VCPU_EVENTS, (uintptr_t)&ev))
			gv_error(g, "KVM_SET_VCPU_EVENTS failed", 0, 0);
		pthread_mutex_lock(&g->lock);
		g->sea_injected++;
		pthread_mutex_unlock(&g->lock);
		return;
	}
	val = GV_MMIO_PATTERN;
	if (!run->mmio.is_write)
		memcpy(run->mmio.data, &val, 8);
}

/* PSCI forwarded to the VMM: CPU_ON and AFFINITY_INFO need an answer. */
static void psci(struct gv *g, int vcpu, struct kvm_run *run)
{
	uint64_t fid = run->hypercall.nr, mpidr = run->hypercall.args[0];
	struct kvm_arm_rmi_psci_complete c = { .target_mpidr = mpidr };
	int64_t status = PSCI_RET_SUCCESS;
	bool on = fid == PSCI_CPU_ON_64 || fid == PSCI_CPU_ON_32;

	pthread_mutex_lock(&g->lock);
	g->psci_calls++;
	pthread_mutex_unlock(&g->lock);
	if (!on && fid != PSCI_AFFINITY_INFO_64 && fid != PSCI_AFFINITY_INFO_32)
		return; /* CPU_OFF: nothing to answer */
	if (on && g->cfg.deny_target >= 0 &&
	    rmi_mpidr_el1_to_rec_index(mpidr) == (uint64_t)g->cfg.deny_target)
		status = PSCI_RET_DENIED;
	/* The VMM's answer in X0 ([PATCH v14 32/44]: the implicit completion reads it). */
	if (set_reg(vcpu, KVM_REG_ARM64_X(0), (uint64_t)status))
		gv_error(g, "KVM_SET_ONE_REG X0 failed", 0, 0);
	if (g->cfg.psci_mode != KVM_ARM_RMI_PSCI_EXPLICIT)
		return;
	c.psci_status = (uint32_t)(int32_t)status;
	if (vmm_ioctl(vcpu, KVM_ARM_VCPU_RMI_PSCI_COMPLETE, (uintptr_t)&c))
		gv_error(g, "PSCI_COMPLETE(0x%llx) failed: %lld", mpidr, (unsigned long long)errno);
}

/* [PATCH v12 31/46]: X0..X30 of the call, answered the same way. */
static void hc_regs(struct gv *g, int vcpu, struct kvm_run *run)
{
	bool ok = get_reg(vcpu, KVM_REG_ARM64_X(0)) == HR_HC_REGS;

	for (unsigned int i = 0; i < 6; i++)
		ok &= run->hypercall.args[i] == 0x101 + i;
	for (unsigned int i = 7; i < 31; i++)
		ok &= get_reg(vcpu, KVM_REG_ARM64_X(i)) == 0x100 + i;
	for (unsigned int i = 0; i < 31; i++)
		assert_int_equal(set_reg(vcpu, KVM_REG_ARM64_X(i), 0xA000 + i), 0);
	pthread_mutex_lock(&g->lock);
	g->hcregs_ok = ok;
	pthread_mutex_unlock(&g->lock);
}

static void host_call(struct gv *g, int vcpu, struct kvm_run *run)
{
	uint64_t fid = run->hypercall.nr, x0 = 0;

	if (fid == HR_HC_REGS) {
		hc_regs(g, vcpu, run);
		return;
	}
	pthread_mutex_lock(&g->lock);
	if (fid == RK_HC_EXIT) {
		g->exited = true;
		g->exit_code = run->hypercall.args[0];
	} else if (fid == RK_HC_REPORT) {
		if (g->nreports < GV_MAX_LOG)
			memcpy(g->reports[g->nreports++], run->hypercall.args, 3 * 8);
		if (run->hypercall.args[0] == RIPAS_POLICY)
			g->ripas_policy = (unsigned int)run->hypercall.args[1];
	} else {
		x0 = ~0ULL; /* SMCCC NOT_SUPPORTED */
	}
	pthread_mutex_unlock(&g->lock);
	if (set_reg(vcpu, KVM_REG_ARM64_X(0), x0))
		gv_error(g, "KVM_SET_ONE_REG X0 failed", 0, 0);
}

/* s3.10: the VMM converts (all, the first page, nothing) and runs the vCPU again. */
static void ripas_change(struct gv *g, struct kvm_run *run)
{
	bool priv = run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE;
	uint64_t size = run->memory_fault.size;

	pthread_mutex_lock(&g->lock);
	g->memory_faults++;
	if (g->ripas_policy == 1)
		size = 4096;
	else if (g->ripas_policy == 2)
		size = 0;
	pthread_mutex_unlock(&g->lock);
	if (size && vmm_set_private(&g->m, run->memory_fault.gpa, size, priv))
		gv_error(g, "KVM_SET_MEMORY_ATTRIBUTES 0x%llx failed", run->memory_fault.gpa, 0);
}

/* Serves one exit; false ends the loop. */
static bool serve(struct gv *g, int vcpu, struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		mmio(g, vcpu, run);
		return true;
	case KVM_EXIT_HYPERCALL:
		if (run->hypercall.flags & KVM_HYPERCALL_EXIT_SMC)
			psci(g, vcpu, run);
		else
			host_call(g, vcpu, run);
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		pthread_mutex_lock(&g->lock);
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			g->system_off = true;
		else if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
			g->system_reset = true;
		pthread_mutex_unlock(&g->lock);
		gv_stop(g);
		return false;
	case KVM_EXIT_SHUTDOWN:
		return false;
	default:
		gv_error(g, "unexpected exit reason %llu (data 0x%llx)", run->exit_reason,
			 run->internal.data[0]);
		return false;
	}
}

void *gv_vcpu_loop(void *arg)
{
	struct gv_thread *t = arg;
	struct gv *g = t->g;
	int vcpu = g->m.vcpu[t->idx], r = 0;
	struct kvm_run *run = rk_kvm_map_run(vcpu);

	while (!atomic_load(&g->stop)) {
		r = vmm_ioctl(vcpu, KVM_RUN, 0);
		pthread_mutex_lock(&g->lock);
		if (run->exit_reason < 64)
			g->exits[run->exit_reason]++;
		g->vcpu_last_exit[t->idx] = run->exit_reason;
		pthread_mutex_unlock(&g->lock);
		if (r == -EINTR)
			continue;
		if (r == -EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
			ripas_change(g, run);
			r = 0;
			continue;
		}
		if (r) {
			gv_error(g, "vCPU %llu: KVM_RUN failed: %lld", t->idx,
				 (unsigned long long)r);
			break;
		}
		if (!serve(g, vcpu, run))
			break;
	}
	g->vcpu_ret[t->idx] = r;
	return NULL;
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct watchdog {
	struct gv *g;
	atomic_bool done;
};

static void *watchdog(void *arg)
{
	struct watchdog *w = arg;
	uint64_t end = ms_now() + GV_TIMEOUT_MS;

	while (!atomic_load(&w->done)) {
		if (ms_now() > end) {
			gv_error(w->g, "timeout after %llu ms%llu", GV_TIMEOUT_MS, 0);
			/* keep kicking: a loop may have been between checks */
			end = ms_now() + 100;
		}
		usleep(2000);
	}
	return NULL;
}

void gv_run(struct gv *g)
{
	struct gv_thread t[8];
	struct watchdog w = { .g = g };
	pthread_t wt;

	assert_int_equal(pthread_create(&wt, NULL, watchdog, &w), 0);
	for (unsigned int i = 0; i < g->m.nvcpus; i++) {
		t[i] = (struct gv_thread){ .g = g, .idx = i };
		assert_int_equal(pthread_create(&t[i].t, NULL, gv_vcpu_loop, &t[i]), 0);
	}
	for (unsigned int i = 0; i < g->m.nvcpus; i++)
		pthread_join(t[i].t, NULL);
	atomic_store(&w.done, true);
	pthread_join(wt, NULL);
}

bool gv_console_has(const struct gv *g, const char *text)
{
	return memmem(g->console, g->console_len, text, strlen(text)) != NULL;
}

void gv_obs_init(struct gv_obs *o)
{
	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->lock, NULL);
	o->cap = 1u << 18;
	o->ev = calloc(o->cap, sizeof(*o->ev));
	assert_non_null(o->ev);
}

void gv_obs_free(struct gv_obs *o)
{
	free(o->ev);
	pthread_mutex_destroy(&o->lock);
}

/* The parameter pages are NS and still the host's while the observer runs. */
static void obs_note_objects(struct gv_obs *o, const struct rk_kvm_rmi_event *e)
{
	if (e->fid == RMI_REALM_CREATE) {
		const struct rmi_realm_params *p = platform_ns_ptr(pa_of(e->args[1]));

		o->rd = e->args[0];
		o->rtt_base = p->rtt_base;
		o->rtt_num = p->rtt_num_start;
	} else if (e->fid == RMI_REC_CREATE && o->nrec < 8) {
		const struct rmi_rec_params *p = platform_ns_ptr(pa_of(e->args[2]));

		o->rec[o->nrec] = e->args[1];
		o->num_aux = p->num_aux;
		for (uint64_t i = 0; i < p->num_aux && i < 16; i++)
			o->aux[o->nrec][i] = p->aux[i];
		o->nrec++;
	}
}

void gv_obs_fn(void *opaque, const struct rk_kvm_rmi_event *e)
{
	struct gv_obs *o = opaque;
	struct gv_ev ev = { .fid = e->fid,
			    .ret0 = e->ret[0],
			    .start = e->start_ns,
			    .end = e->end_ns,
			    .vcpu = e->vcpu_id };

	memcpy(ev.args, e->args, sizeof(ev.args));
	if (e->fid == RMI_REC_ENTER && e->ret[0] == RMI_SUCCESS) {
		const struct rmi_rec_run *rr = platform_ns_ptr(pa_of(e->args[1]));

		ev.exit_reason = rr->exit.exit_reason;
		ev.exit_gpr0 = rr->exit.gprs[0];
		ev.enter_flags = rr->enter.flags;
	}
	pthread_mutex_lock(&o->lock);
	if (e->ret[0] == RMI_SUCCESS)
		obs_note_objects(o, e);
	if (o->n < o->cap)
		o->ev[o->n++] = ev;
	else
		o->overflow = true;
	pthread_mutex_unlock(&o->lock);
}

int gv_obs_rec_index(const struct gv_obs *o, uint64_t pa)
{
	for (unsigned int i = 0; i < o->nrec; i++) {
		if (o->rec[i] == pa)
			return (int)i;
	}
	return -1;
}
