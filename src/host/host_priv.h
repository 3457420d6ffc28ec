/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host's private interfaces: VM, vCPU and guest_memfd objects, the realm
 * state machine, and the functions each src/host file provides. The host
 * reaches the RMM only through the RMI wrappers of host_rmi.h (smc_call()).
 *
 * Locking (outermost first; host.lock is taken last, under vm->lock when a
 * memslot drops its guest_memfd, and nothing is taken under it):
 *   vm->config_lock (rwlock)       realm construction: RD creation, activation,
 *                                  configuration, memslot changes (write);
 *                                  POPULATE of pages (read)
 *   vm->lock (mutex)               memslots, memory attributes, vCPU list,
 *                                  leak list, PSCI power states
 *   gmem->lock (mutex)             a guest_memfd's page table
 *   host.lock (handles.c)          handle table, object reference counts
 * RTT creation and data mapping take no host lock: races between vCPU
 * threads are settled by the RMM (an "already exists" RTT_CREATE, a failed
 * delegate), as in the series ([PATCH v12 17/46], [PATCH v12 24/46]).
 */
#ifndef REALMKIT_HOST_PRIV_H
#define REALMKIT_HOST_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <realmkit/abi/rmi.h>
#include <realmkit/addr.h>
#include <realmkit/kvm.h>

#include "host_rmi.h"

#define HOST_MAX_VCPUS	 64u
#define HOST_MAX_SLOTS	 32u
#define HOST_RTT_LEVEL_3 3
/* The default IPA size of KVM_CREATE_VM's type 0 (KVM_VM_TYPE_ARM_IPA_SIZE). */
#define HOST_DEFAULT_IPA_BITS 40u

/*
 * Realm states ([PATCH v12 05/46], kvm-cca-host.md s3.1). Owned by the VM;
 * read with realm_state(), changed only by realm_state_set(), which
 * validates the transition (seeds/004: one write helper). Transitions:
 *   NONE -> NEW      RD created (first POPULATE or first run)
 *   NEW -> ACTIVE    activation on the first run succeeded
 *   NEW -> DEAD      activation failed (any step): the realm never runs
 *   NEW, ACTIVE, DEAD -> DYING   teardown of a realm whose RD exists
 *   DYING -> DEAD    teardown finished (a failed REALM_DESTROY or root
 *                    undelegate leaves it DYING, [PATCH v12 10/46])
 */
enum realm_state {
	REALM_STATE_NONE,
	REALM_STATE_NEW,
	REALM_STATE_ACTIVE,
	REALM_STATE_DYING,
	REALM_STATE_DEAD,
};

/* Host-wide configuration and RMM facts (host_init.c). */
struct host_globals {
	uint64_t page_size;   /* host PAGE_SIZE: 4, 16 or 64 KB */
	uint64_t rmi_version; /* the version the host requests */
	bool rmi_available;   /* negotiation succeeded: realms may be created */
	uint64_t feat0;	      /* RMI_FEATURES(0) */
	void (*log)(const char *line);
};
extern struct host_globals hg;

/* A guest_memfd: private memory, allocated per host page from NS DRAM. */
struct host_gmem {
	struct host_vm *vm;
	uint64_t size;
	pthread_mutex_t lock;
	pa_t *pages;	   /* per host page: its PA, 0 when not allocated */
	uint8_t *gstate;   /* per granule: enum gmem_granule_state */
	unsigned int refs; /* handle + memslots (under host.lock) */
};

enum gmem_granule_state {
	GMEM_NS = 0,	    /* the host's: not delegated */
	GMEM_DELEGATED = 1, /* delegated, DATA or about to be */
	GMEM_LEAKED = 2,    /* the RMM refused to give it back: never reused */
};

struct host_memslot {
	bool used;
	uint32_t id, flags;
	uint64_t gpa, size, uaddr;
	struct host_gmem *gmem;
	uint64_t gmem_off;
};

/* A range [start, end) of GPAs with the PRIVATE attribute. */
struct host_attr_range {
	uint64_t start, end;
};

/* What the last REC exit left to complete at the next entry. */
enum vcpu_pending {
	PENDING_NONE,
	PENDING_MMIO,	   /* emulatable abort: EMUL_MMIO (or INJECT_SEA) */
	PENDING_HOST_CALL, /* X0..X30 to enter.gprs */
	PENDING_PSCI,	   /* RMI_PSCI_COMPLETE before the caller runs */
	PENDING_RIPAS,	   /* RTT_SET_RIPAS over the accepted range */
};

struct host_vcpu {
	struct host_vm *vm;
	uint32_t id;
	uint64_t mpidr; /* RmiRecMpidr layout, from the vCPU id */
	bool initialized;
	uint32_t features;
	uint64_t x[31], sp, pc, pstate;
	struct kvm_run *run;
	/* REC (rec.c) */
	bool rec_created;
	pa_t rec, run_pa;
	unsigned int num_aux;
	pa_t aux[RMI_MAX_REC_AUX_GRANULES];
	/* Run state (run.c, exit.c), owned by the vCPU's thread. */
	atomic_bool in_run;
	enum vcpu_pending pending;
	bool mmio_read;
	bool inject_sea; /* KVM_SET_VCPU_EVENTS ext_dabt after an MMIO exit */
	uint32_t mmio_len;
	uint64_t psci_fid, psci_target;
	uint64_t ripas_progress, ripas_top;
	uint8_t ripas_value;
	/*
	 * A pending RIPAS change to EMPTY over [hold_base, hold_top) (under
	 * vm->lock): converting it to SHARED defers the private unmap to the
	 * completion, after RTT_SET_RIPAS (memattr_set, kvm-cca-host.md s3.10).
	 */
	uint64_t hold_base, hold_top;
	/* Power state (psci.c), under vm->lock; waited on with power_cond. */
	bool powered_on;
	/*
	 * Successful CPU_ON completions targeting this vCPU (written under
	 * vm->lock), and the count seen at the last REC_ENTER (the vCPU
	 * thread's): a CPU_OFF exit powers the vCPU off only if no CPU_ON
	 * completed since, so a CPU_ON that restarted the REC between its
	 * CPU_OFF and the host's handling of that exit is not lost.
	 */
	atomic_ullong on_epoch;
	uint64_t entry_epoch;
	pthread_cond_t power_cond;
	atomic_bool kicked;
	/* The physical CPU of the thread in KVM_RUN (NULL outside), for kicks. */
	struct platform_cpu *_Atomic cpu;
	unsigned int refs; /* handle + VM (under host.lock) */
};

struct host_leaks {
	uint64_t count, cap;
	uint64_t *pas;
};

struct host_vm {
	bool is_realm;
	/* RMI observer (observer.c), read under obs_lock; obs_set: one is registered. */
	pthread_rwlock_t obs_lock;
	atomic_bool obs_set;
	rk_kvm_rmi_observer_fn obs_fn;
	void *obs_opaque;
	unsigned int ia_bits;
	pthread_rwlock_t config_lock;
	pthread_mutex_t lock;
	_Atomic enum realm_state state;
	/* Realm configuration (KVM_CAP_ARM_RMI_CONFIG_REALM). */
	uint8_t hash_algo;
	uint8_t rpv[RMI_RPV_SIZE];
	uint32_t sve_vq, num_bps, num_wps;
	uint32_t psci_mode;
	/* RD and stage 2 (realm_rd.c). */
	bool rd_created;
	pa_t rd, rtt_base;
	int rtt_level_start;
	unsigned int rtt_num_start;
	uint16_t vmid;
	unsigned int num_aux;
	/* Memory. */
	struct host_memslot slots[HOST_MAX_SLOTS];
	struct host_attr_range *attrs;
	unsigned int nattrs;
	/* vCPUs, indexed by id. */
	struct host_vcpu *vcpus[HOST_MAX_VCPUS];
	unsigned int nvcpus;
	bool vcpu_ran;
	/* Granules the RMM refused to give back (teardown.c). */
	struct host_leaks leaks;
	unsigned int refs;    /* handles + vCPUs + guest_memfds (under host.lock) */
	bool destroy_waiting; /* rk_kvm_destroy_vm() waits for refs == 0 (under host.lock) */
	atomic_ullong stat_rtts;
};

/* ---- host_init.c ---- */
void host_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int host_init(void);
void host_fini(void);
uint64_t host_feat0(unsigned int shift, unsigned int width);
unsigned int host_max_ipa_bits(void);

/* ---- observer.c ---- */
/* The VM and vCPU (-1: none) the calling thread works for, for the RMI observer. */
struct host_ctx {
	struct host_vm *vm;
	int32_t vcpu_id;
};
void host_ctx_enter(struct host_vm *vm, int32_t vcpu_id, struct host_ctx *saved);
void host_ctx_leave(const struct host_ctx *saved);
void host_observer_set(struct host_vm *vm, rk_kvm_rmi_observer_fn fn, void *opaque);
/* smc_call() reported to the observer of the current VM (every host RMI call). */
struct smc_result host_smc(uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
			   uint64_t x5, uint64_t x6);

/* ---- realm_state.c ---- */
enum realm_state realm_state(const struct host_vm *vm);
void realm_state_set(struct host_vm *vm, enum realm_state to);
const char *realm_state_name(enum realm_state s);

/* ---- vmid.c ---- */
int host_vmid_alloc(uint16_t *vmid);
void host_vmid_release(uint16_t vmid);
void host_vmid_reset(void);

/* ---- handles.c: object references ---- */
bool host_handles_open(void);
struct host_gmem *host_gmem_get(struct host_vm *vm, int handle);
void host_gmem_put(struct host_gmem *g);
void host_vm_get(struct host_vm *vm);
void host_vm_put(struct host_vm *vm);

/* ---- kvm_vm.c / kvm_vcpu.c / kvm_sys.c ---- */
int kvm_sys_ioctl(unsigned long req, void *arg, uint64_t iarg);
int kvm_check_extension(const struct host_vm *vm, uint64_t cap);
struct host_vm *kvm_vm_create(uint64_t type, int *err);
int kvm_vm_ioctl(struct host_vm *vm, unsigned long req, void *arg, uint64_t iarg, void **newobj,
		 int *newtype);
int kvm_vcpu_ioctl(struct host_vcpu *v, unsigned long req, void *arg);
struct host_vcpu *kvm_vcpu_create(struct host_vm *vm, uint64_t id, int *err);
void kvm_vcpu_free(struct host_vcpu *v);
int realm_configure(struct host_vm *vm, const struct kvm_enable_cap *cap);

/* ---- memslot.c ---- */
int memslot_set(struct host_vm *vm, const struct kvm_userspace_memory_region2 *r);
bool memslot_lookup(struct host_vm *vm, uint64_t gpa, struct host_memslot *out);
int memattr_set(struct host_vm *vm, const struct kvm_memory_attributes *a);
bool memattr_is_private(struct host_vm *vm, uint64_t gpa);
uint64_t memattr_run_end(struct host_vm *vm, uint64_t gpa, uint64_t end, bool private);
void memslots_release(struct host_vm *vm);

/* ---- gmem.c ---- */
struct host_gmem *gmem_create(struct host_vm *vm, const struct kvm_create_guest_memfd *a, int *err);
void gmem_free(struct host_gmem *g);
int gmem_get_page(struct host_gmem *g, uint64_t off, pa_t *pa);
pa_t gmem_lookup(struct host_gmem *g, uint64_t off);
enum gmem_granule_state gmem_state(struct host_gmem *g, uint64_t off);
void gmem_set_state(struct host_gmem *g, uint64_t off, enum gmem_granule_state s);
void gmem_set_state_ipa(struct host_vm *vm, uint64_t ipa, enum gmem_granule_state s);

/* ---- uaddr translation (handles.c) ---- */
bool host_uaddr_to_pa(uint64_t uaddr, uint64_t size, pa_t *pa);

/* ---- realm_rd.c ---- */
int realm_ensure_created(struct host_vm *vm);
bool realm_ipa_is_private(const struct host_vm *vm, uint64_t ipa);
uint64_t realm_shared_bit(const struct host_vm *vm);
void realm_rd_start_geometry(unsigned int ia_bits, int *level, unsigned int *num);

/* ---- rtt.c ---- */
uint64_t rtt_level_size(int level);
int rtt_create_levels(struct host_vm *vm, uint64_t ipa, int level, int max_level);
void rtt_destroy_all(struct host_vm *vm);
int rtt_fold_range(struct host_vm *vm, uint64_t start, uint64_t end);

/* ---- populate.c ---- */
int realm_populate(struct host_vm *vm, struct kvm_arm_rmi_populate *p);

/* ---- rec.c ---- */
int rec_create(struct host_vcpu *v, bool runnable);
void rec_destroy(struct host_vcpu *v);

/* ---- activate.c ---- */
int realm_activate(struct host_vm *vm);

/* ---- fault.c ---- */
int realm_map_protected(struct host_vm *vm, uint64_t ipa);
int realm_map_shared(struct host_vm *vm, uint64_t ipa);
void realm_unmap_private(struct host_vm *vm, uint64_t start, uint64_t end);
void realm_unmap_shared(struct host_vm *vm, uint64_t start, uint64_t end);
int host_free_delegated(struct host_vm *vm, pa_t pa);
int host_free_delegated_data(struct host_vm *vm, uint64_t ipa, pa_t data);

/* ---- run.c / exit.c ---- */
int vcpu_run(struct host_vcpu *v);
int rec_exit_handle(struct host_vcpu *v, struct rmi_rec_run *run);

/* ---- psci.c ---- */
int psci_complete_implicit(struct host_vcpu *v);
int psci_complete_explicit(struct host_vcpu *v, const struct kvm_arm_rmi_psci_complete *c);
int psci_wait_powered_on(struct host_vcpu *v);
void psci_set_power(struct host_vcpu *v, bool on);
void psci_power_off_if(struct host_vcpu *v, uint64_t epoch);
void ripas_hold(struct host_vcpu *v, uint64_t base, uint64_t top);
bool ripas_held(struct host_vm *vm, uint64_t base, uint64_t top);
struct host_vcpu *vcpu_by_mpidr(struct host_vm *vm, uint64_t mpidr_el1);
void vcpu_kick(struct host_vcpu *v);

/* ---- teardown.c ---- */
void host_leak(struct host_vm *vm, pa_t pa);
void realm_destroy(struct host_vm *vm);

#endif /* REALMKIT_HOST_PRIV_H */
