/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_host: the host's realm support against the RMM it drives, measured
 * in the same run.
 * 1. KVM_ARM_RMI_POPULATE throughput through the UAPI (delegate, RTTs on
 *    demand, DATA_CREATE with MEASURE, the v13 loop), in MB/s, next to the
 *    RMM's own DATA_CREATE (+ delegate) throughput on pre-built RTTs.
 * 2. KVM_RUN round trip for an MMIO exit (ns: the VMM's KVM_RUN, REC_ENTER,
 *    the guest's store, the REC exit, the host's exit translation, back to
 *    the VMM) next to the bare RMI_REC_ENTER round trip of the same exits
 *    (the host's RMI observer times each REC_ENTER SMC), both with the
 *    execbench guest of tests/guest writing the test device N times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/guest.h>
#include <realmkit/kvm.h>
#include <realmkit/platform.h>

#include "bench_util.h"
#include "board.h"
#include "host_rmi.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (8ULL << 20)
#define NPAGES	 (RAM_SIZE / 4096)

static uint8_t src[RAM_SIZE];

static void die(const char *what)
{
	fprintf(stderr, "bench_host: %s failed\n", what);
	exit(1);
}

/* One realm, populated through the UAPI; returns seconds spent in POPULATE. */
static double populate_once(int sys)
{
	struct kvm_create_guest_memfd g = { .size = RAM_SIZE };
	struct kvm_userspace_memory_region2 r = { 0 };
	struct kvm_memory_attributes a = { RAM_BASE, RAM_SIZE, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0 };
	struct kvm_arm_rmi_populate p = { RAM_BASE, RAM_SIZE, (uintptr_t)src,
					  KVM_ARM_RMI_POPULATE_FLAGS_MEASURE, 0 };
	int vm = rk_kvm_ioctl(sys, KVM_CREATE_VM, (unsigned long)KVM_VM_TYPE_ARM_REALM);
	void *ram = rk_kvm_alloc_guest_ram(RAM_SIZE);
	double t0, t;
	int gm;

	if (vm < 0 || !ram)
		die("VM setup");
	gm = rk_kvm_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.guest_phys_addr = RAM_BASE;
	r.memory_size = RAM_SIZE;
	r.userspace_addr = (uintptr_t)ram;
	r.guest_memfd = (uint32_t)gm;
	if (gm < 0 || rk_kvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r) ||
	    rk_kvm_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a))
		die("memslot");
	t0 = bench_now();
	while (p.size) {
		if (rk_kvm_ioctl(vm, KVM_ARM_RMI_POPULATE, &p))
			die("KVM_ARM_RMI_POPULATE");
	}
	t = bench_now() - t0;
	if (rk_kvm_destroy_vm(vm, NULL))
		die("destroy");
	rk_kvm_free_guest_ram(ram, RAM_SIZE);
	return t;
}

static pa_t delegated(void)
{
	pa_t pa = host_page_alloc();

	if (!pa.v || rmi_granule_delegate(pa))
		die("delegate");
	return pa;
}

/* A NEW realm (s2sz 40, start level 1, 2 roots) with level-3 RTTs over the RAM. */
static pa_t raw_realm(void)
{
	pa_t params = host_page_alloc(), rd = delegated();
	pa_t root = host_pages_alloc_contig(2, 2 * 4096);
	struct rmi_realm_params *p = platform_ns_ptr(params);

	if (rmi_granule_delegate(root) || rmi_granule_delegate(pa_add(root, 4096)))
		die("root delegate");
	memset(p, 0, sizeof(*p));
	p->s2sz = 40;
	p->num_bps = 1;
	p->num_wps = 1;
	p->algorithm = RMI_HASH_SHA_256;
	p->vmid = 4000;
	p->rtt_base = root.v;
	p->rtt_level_start = 1;
	p->rtt_num_start = 2;
	if (rmi_realm_create(rd, params))
		die("REALM_CREATE");
	if (rmi_rtt_create(rd, delegated(), RAM_BASE, 2))
		die("RTT_CREATE 2");
	for (uint64_t off = 0; off < RAM_SIZE; off += 2ULL << 20) {
		if (rmi_rtt_create(rd, delegated(), RAM_BASE + off, 3))
			die("RTT_CREATE 3");
	}
	return rd;
}

/* DATA_CREATE alone and with its delegate, seconds per page (best of 5). */
static void raw_data_create(double *t_dc, double *t_dl_dc)
{
	static pa_t data[NPAGES];
	pa_t rd = raw_realm(), s = host_page_alloc();

	memcpy(platform_ns_ptr(s), src, 4096);
	*t_dc = *t_dl_dc = 1e30;
	for (int rep = 0; rep < 5; rep++) {
		double t0, t1, t2;

		for (uint64_t i = 0; i < NPAGES; i++)
			data[i] = host_page_alloc();
		t0 = bench_now();
		for (uint64_t i = 0; i < NPAGES; i++) {
			if (rmi_granule_delegate(data[i]))
				die("delegate");
		}
		t1 = bench_now();
		for (uint64_t i = 0; i < NPAGES; i++) {
			if (rmi_data_create(rd, data[i], RAM_BASE + i * 4096, s,
					    RMI_MEASURE_CONTENT))
				die("DATA_CREATE");
		}
		t2 = bench_now();
		if ((t2 - t1) / NPAGES < *t_dc)
			*t_dc = (t2 - t1) / NPAGES;
		if ((t2 - t0) / NPAGES < *t_dl_dc)
			*t_dl_dc = (t2 - t0) / NPAGES;
		for (uint64_t i = 0; i < NPAGES; i++) {
			if (rmi_data_destroy(rd, RAM_BASE + i * 4096, NULL, NULL) ||
			    rmi_granule_undelegate(data[i]))
				die("DATA_DESTROY");
			host_page_free(data[i]);
		}
	}
}

#define MMIO_N	    20000u
#define REPORT_MARK 0xBE /* tests/guest/guests/execbench.c */
#define MMIO_TEST   0x0A000000ULL

/* REC_ENTER durations between the guest's two marks (the observer's thread is vCPU 0's). */
struct rec_enter_stats {
	bool counting;
	uint64_t n, ns;
};

static void observe(void *opaque, const struct rk_kvm_rmi_event *ev)
{
	struct rec_enter_stats *st = opaque;

	if (st->counting && ev->fid == RMI_REC_ENTER) {
		st->n++;
		st->ns += ev->end_ns - ev->start_ns;
	}
}

static int exec_vm(int sys, int *vcpu, void **ram)
{
	static uint8_t img[1 << 20];
	struct kvm_create_guest_memfd g = { .size = RAM_SIZE };
	struct kvm_userspace_memory_region2 r = { 0 };
	struct kvm_memory_attributes a = { RAM_BASE, RAM_SIZE, KVM_MEMORY_ATTRIBUTE_PRIVATE, 0 };
	struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
	uint64_t pc = RAM_BASE, x0 = (1ULL << 32) | MMIO_N;
	struct kvm_one_reg rpc = { KVM_REG_ARM64_PC, (uintptr_t)&pc };
	struct kvm_one_reg rx0 = { KVM_REG_ARM64_X(0), (uintptr_t)&x0 };
	FILE *f = fopen(MH_GUEST_DIR "/execbench.bin", "rb");
	struct kvm_arm_rmi_populate p = { RAM_BASE, 0, (uintptr_t)img, 0, 0 };
	int vm = rk_kvm_ioctl(sys, KVM_CREATE_VM, (unsigned long)KVM_VM_TYPE_ARM_REALM);
	int gm;

	if (!f || vm < 0)
		die("execbench VM");
	p.size = (fread(img, 1, sizeof(img), f) + 4095) & ~4095ULL;
	fclose(f);
	*ram = rk_kvm_alloc_guest_ram(RAM_SIZE);
	gm = rk_kvm_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.guest_phys_addr = RAM_BASE;
	r.memory_size = RAM_SIZE;
	r.userspace_addr = (uintptr_t)*ram;
	r.guest_memfd = (uint32_t)gm;
	if (!*ram || gm < 0 || rk_kvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r) ||
	    rk_kvm_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a))
		die("execbench memslot");
	while (p.size) {
		if (rk_kvm_ioctl(vm, KVM_ARM_RMI_POPULATE, &p))
			die("execbench POPULATE");
	}
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	*vcpu = rk_kvm_ioctl(vm, KVM_CREATE_VCPU, 0);
	if (*vcpu < 0 || rk_kvm_ioctl(*vcpu, KVM_ARM_VCPU_INIT, &init) ||
	    rk_kvm_ioctl(*vcpu, KVM_SET_ONE_REG, &rpc) ||
	    rk_kvm_ioctl(*vcpu, KVM_SET_ONE_REG, &rx0))
		die("execbench vCPU");
	return vm;
}

/*
 * Runs execbench mode 1 (MMIO_N device writes) through KVM_RUN; returns ns
 * per KVM_RUN round trip between the guest's marks. With st, the host's
 * observer times every REC_ENTER between the marks.
 */
static double mmio_run(int sys, struct rec_enter_stats *st)
{
	uint64_t zero = 0;
	struct kvm_one_reg rx0 = { KVM_REG_ARM64_X(0), (uintptr_t)&zero };
	double t0 = 0, t1 = 0;
	uint64_t exits = 0;
	void *ram;
	int vcpu, vm = exec_vm(sys, &vcpu, &ram);
	struct kvm_run *run = rk_kvm_map_run(vcpu);

	if (st && rk_kvm_set_rmi_observer(vm, observe, st))
		die("rk_kvm_set_rmi_observer");
	for (;;) {
		if (rk_kvm_ioctl(vcpu, KVM_RUN, 0))
			die("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_MMIO) {
			exits += run->mmio.phys_addr == MMIO_TEST;
			continue;
		}
		if (run->exit_reason != KVM_EXIT_HYPERCALL)
			break; /* SYSTEM_EVENT: the guest is done */
		if (run->hypercall.nr == RK_HC_REPORT && run->hypercall.args[0] == REPORT_MARK) {
			if (run->hypercall.args[2] == 0) {
				t0 = bench_now();
				exits = 0;
			} else {
				t1 = bench_now();
			}
			if (st)
				st->counting = run->hypercall.args[2] == 0;
		}
		rk_kvm_ioctl(vcpu, KVM_SET_ONE_REG, &rx0);
	}
	if (exits != MMIO_N || t1 <= t0)
		die("execbench run");
	rk_kvm_destroy_vm(vm, NULL);
	rk_kvm_free_guest_ram(ram, RAM_SIZE);
	return (t1 - t0) * 1e9 / MMIO_N;
}

static void bench_mmio(int sys)
{
	struct rec_enter_stats st = { 0 };
	double kvm_run = 1e30, rec_enter;

	for (int rep = 0; rep < 3; rep++) {
		double t = mmio_run(sys, NULL);

		if (t < kvm_run)
			kvm_run = t;
	}
	mmio_run(sys, &st);
	if (!st.n)
		die("REC_ENTER timing");
	rec_enter = (double)st.ns / (double)st.n;
	printf("KVM_RUN round trip, MMIO write exit:      %7.0f ns\n", kvm_run);
	printf("bare RMI_REC_ENTER round trip (same exits): %5.0f ns  (%llu entries for %u "
	       "exits)\n",
	       rec_enter, (unsigned long long)st.n, MMIO_N);
	printf("host + UAPI overhead per exit:            %7.0f ns  (KVM_RUN = %.2f x REC_ENTER)\n",
	       kvm_run - rec_enter, kvm_run / rec_enter);
}

int main(void)
{
	struct rk_platform_config pc = { .dram_size = 256ULL << 20 };
	double best = 1e30, t_dc, t_dl_dc, mb = (double)RAM_SIZE / (1 << 20);
	int sys;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 13 + 1);
	if (board_power_on(&pc, false))
		die("board_power_on");
	sys = rk_kvm_open();
	if (sys < 0)
		die("rk_kvm_open");
	for (int rep = 0; rep < 5; rep++) {
		double t = populate_once(sys);

		if (t < best)
			best = t;
	}
	raw_data_create(&t_dc, &t_dl_dc);
	printf("POPULATE (UAPI, MEASURE, RTTs on demand): %7.1f MB/s\n", mb / best);
	printf("RMM DATA_CREATE + DELEGATE:               %7.1f MB/s  (UAPI at %.0f%%)\n",
	       4096.0 / t_dl_dc / (1 << 20), 100.0 * (t_dl_dc * NPAGES) / best);
	printf("RMM DATA_CREATE alone:                    %7.1f MB/s  (UAPI at %.0f%%)\n",
	       4096.0 / t_dc / (1 << 20), 100.0 * (t_dc * NPAGES) / best);
	bench_mmio(sys);
	rk_kvm_close(sys);
	board_power_off();
	return 0;
}
