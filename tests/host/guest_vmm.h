/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The test VMM that runs real realm guests through the KVM-shaped UAPI
 * (include/realmkit/kvm.h) with one host thread per vCPU, as a VMM does:
 * loads the image with KVM_ARM_RMI_POPULATE (measured) at RK_GUEST_RAM_BASE,
 * runs KVM_RUN loops and serves each exit by the guests' harness contracts:
 *  KVM_EXIT_MMIO          PL011 at RK_GUEST_UART_GPA (console), the test
 *                         device at GV_TEST_DEV (reads GV_MMIO_PATTERN, writes
 *                         logged; the next read answered with an SEA when
 *                         sea_next_read is set)
 *  KVM_EXIT_HYPERCALL     PSCI (flags SMC): CPU_ON -> SUCCESS or DENIED for
 *                         deny_target, in the VM's PSCI mode (X0 by
 *                         KVM_SET_ONE_REG, plus KVM_ARM_VCPU_RMI_PSCI_COMPLETE
 *                         in the explicit one); host calls (flags 0):
 *                         RK_HC_EXIT, RK_HC_REPORT, the RIPAS policy report
 *                         and the X0-X30 round trip of tests/host/guests
 *  KVM_EXIT_MEMORY_FAULT  RIPAS changes per the guest's policy (KVM_SET_
 *                         MEMORY_ATTRIBUTES over all, the first page or none)
 *  KVM_EXIT_SYSTEM_EVENT  shutdown / reset: the run ends, the other vCPUs are
 *                         kicked
 *  KVM_EXIT_SHUTDOWN      the vCPU's loop ends (the realm is off)
 */
#ifndef REALMKIT_TESTS_GUEST_VMM_H
#define REALMKIT_TESTS_GUEST_VMM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm_util.h"

#define GV_TEST_DEV	0x0A000000ULL
#define GV_MMIO_PATTERN 0xFEDCBA98F6548281ULL /* guests/tests/mmio.c */
#define GV_MAX_LOG	64u
#define GV_RAM_SIZE	(8ULL << 20)

/* tests/host/guests/hostrun.c */
#define HR_HCREGS      1
#define HR_SPIN	       2
#define HR_RESET       3
#define HR_RACE	       4
#define HR_VMM_SEA     5
#define HR_HC_REGS     0xC6000010u
#define HR_REPORT_SPIN 0x5917u

struct gv_config {
	const char *image; /* path of a guest .bin */
	unsigned int nvcpus;
	uint64_t x0;	    /* REC 0's X0 */
	uint32_t psci_mode; /* KVM_ARM_RMI_PSCI_* */
	int deny_target;    /* vCPU whose CPU_ON the VMM denies, -1: none */
	bool sea_next_read; /* answer device reads with KVM_SET_VCPU_EVENTS ext_dabt */
	rk_kvm_rmi_observer_fn obs;
	void *obs_ctx;
};

struct gv_mmio {
	uint64_t off, val;
	uint32_t len;
	bool write;
};

struct gv {
	struct vmm m;
	struct gv_config cfg;
	pthread_mutex_t lock;
	atomic_bool stop;
	char console[4096];
	unsigned int console_len;
	bool exited, system_off, system_reset;
	uint64_t exit_code;
	uint64_t reports[GV_MAX_LOG][3];
	unsigned int nreports;
	struct gv_mmio mmio[GV_MAX_LOG];
	unsigned int nmmio;
	unsigned int ripas_policy;
	/* per KVM exit reason, all vCPUs */
	unsigned int exits[64];
	unsigned int sea_injected, memory_faults, psci_calls, intr;
	bool hcregs_ok;
	char error[256];
	/* per vCPU: how its loop ended (0, or -errno of the last KVM_RUN) */
	int vcpu_ret[8];
	uint32_t vcpu_last_exit[8];
};

/*
 * An RMI observer (kvm.h rk_kvm_set_rmi_observer) that logs every call with
 * what a check needs: for REC_ENTER the run page's exit reason, exit
 * gprs[0] and entry flags (read on the calling thread right after the SMC);
 * the RD and root RTTs of REALM_CREATE, the REC and aux granules of each
 * REC_CREATE (from the parameter pages) in creation order.
 */
struct gv_ev {
	uint64_t fid, args[4], ret0, start, end;
	int32_t vcpu;
	uint64_t exit_reason, exit_gpr0, enter_flags;
};
struct gv_obs {
	pthread_mutex_t lock;
	struct gv_ev *ev;
	size_t n, cap;
	bool overflow;
	uint64_t rd, rtt_base, rtt_num;
	uint64_t rec[8], aux[8][16], num_aux;
	unsigned int nrec;
};
void gv_obs_init(struct gv_obs *o);
void gv_obs_free(struct gv_obs *o);
void gv_obs_fn(void *opaque, const struct rk_kvm_rmi_event *e);
/* Index of the REC whose granule is pa, or -1. */
int gv_obs_rec_index(const struct gv_obs *o, uint64_t pa);

/* Builds the realm (image populated, vCPUs created, X0 and PC set). */
void gv_create(struct gv *g, const struct gv_config *cfg);

/* One vCPU's KVM_RUN loop (also usable as a pthread start routine with a struct gv_thread). */
struct gv_thread {
	struct gv *g;
	unsigned int idx;
	pthread_t t;
};
void *gv_vcpu_loop(void *arg);

/* Starts a thread per vCPU and joins them all. */
void gv_run(struct gv *g);

/* Ends every vCPU loop: sets stop and kicks each vCPU. */
void gv_stop(struct gv *g);

/* True if the console holds text. */
bool gv_console_has(const struct gv *g, const char *text);

/*
 * cmocka setup: powers the machine on and opens a system handle held
 * across the test (it keeps the host, and its page accounting, up).
 */
int gv_setup(void **state);

/* cmocka teardown: removes the conduit's test hook, closes the handle, powers off. */
int gv_teardown(void **state);

/* Path of a guest image: dir/name.bin (asserts that it exists). */
const char *gv_image(const char *dir, const char *name);

#endif /* REALMKIT_TESTS_GUEST_VMM_H */
