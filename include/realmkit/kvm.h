/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * realmkit's KVM-shaped user ABI: the request numbers, structures, exit
 * reasons and errno conventions of Linux's arm64 KVM with the Arm CCA realm
 * support of "arm64: Support for Arm CCA in KVM" (v12 numbering;
 * KVM_ARM_RMI_POPULATE in its v13 in/out form), as summarised in
 * kvm-cca-host.md s2.
 *
 * The porting promise: a VMM written against this header runs on /dev/kvm
 * by including <linux/kvm.h> instead and replacing the five calls below
 * with open("/dev/kvm"), ioctl(), mmap() of the vCPU fd, munmap() and
 * close() (and rk_kvm_alloc_guest_ram() with mmap(MAP_ANONYMOUS)). Every
 * request number, structure layout and exit reason is the kernel's.
 *
 * Handles are small non-negative integers, like file descriptors. Errors
 * are returned as -1 with errno set, like ioctl(2).
 */
#ifndef REALMKIT_KVM_H
#define REALMKIT_KVM_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* ---- ioctl request encoding (asm-generic/ioctl.h) ---- */
#define RK_IOC_NONE  0u
#define RK_IOC_WRITE 1u
#define RK_IOC_READ  2u
#define RK_IOC(dir, type, nr, size) \
	((unsigned long)(((dir) << 30) | ((size) << 16) | ((type) << 8) | (nr)))
#define RK_IO(type, nr)	     RK_IOC(RK_IOC_NONE, (type), (nr), 0u)
#define RK_IOR(type, nr, T)  RK_IOC(RK_IOC_READ, (type), (nr), (unsigned)sizeof(T))
#define RK_IOW(type, nr, T)  RK_IOC(RK_IOC_WRITE, (type), (nr), (unsigned)sizeof(T))
#define RK_IOWR(type, nr, T) RK_IOC(RK_IOC_READ | RK_IOC_WRITE, (type), (nr), (unsigned)sizeof(T))
#define RK_IOC_NR(req)	     ((unsigned int)(req)&0xffu)
#define RK_IOC_TYPE(req)     (((unsigned int)(req) >> 8) & 0xffu)
#define RK_IOC_SIZE(req)     (((unsigned int)(req) >> 16) & 0x3fffu)

#define KVMIO 0xAEu

/* ---- Structures (arm64 layouts) ---- */

struct kvm_userspace_memory_region2 {
	uint32_t slot;
	uint32_t flags; /* KVM_MEM_GUEST_MEMFD */
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr; /* the shared (unprotected) backing */
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
	uint32_t pad1;
	uint64_t pad2[14];
};
#define KVM_MEM_LOG_DIRTY_PAGES (1u << 0)
#define KVM_MEM_READONLY	(1u << 1)
#define KVM_MEM_GUEST_MEMFD	(1u << 2)

struct kvm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};

struct kvm_memory_attributes {
	uint64_t address;
	uint64_t size;
	uint64_t attributes;
	uint64_t flags;
};
#define KVM_MEMORY_ATTRIBUTE_PRIVATE (1ULL << 3)

struct kvm_one_reg {
	uint64_t id;
	uint64_t addr; /* user pointer to the value */
};

struct kvm_vcpu_init {
	uint32_t target;
	uint32_t features[7];
};
#define KVM_ARM_TARGET_GENERIC_V8    5
#define KVM_ARM_VCPU_POWER_OFF	     0
#define KVM_ARM_VCPU_EL1_32BIT	     1
#define KVM_ARM_VCPU_PSCI_0_2	     2
#define KVM_ARM_VCPU_PMU_V3	     3
#define KVM_ARM_VCPU_SVE	     4
#define KVM_ARM_VCPU_PTRAUTH_ADDRESS 5
#define KVM_ARM_VCPU_PTRAUTH_GENERIC 6

struct kvm_vcpu_events {
	struct {
		uint8_t serror_pending;
		uint8_t serror_has_esr;
		uint8_t ext_dabt_pending;
		uint8_t pad[5];
		uint64_t serror_esr;
	} exception;
	uint32_t reserved[12];
};

struct kvm_enable_cap {
	uint32_t cap;
	uint32_t flags;
	uint64_t args[4];
	uint8_t pad[64];
};

/* KVM_ARM_RMI_POPULATE, v13 in/out form: loop until size == 0. */
struct kvm_arm_rmi_populate {
	uint64_t base;
	uint64_t size;
	uint64_t source_uaddr;
	uint32_t flags;
	uint32_t reserved;
};
#define KVM_ARM_RMI_POPULATE_FLAGS_MEASURE (1u << 0)

struct kvm_arm_rmi_psci_complete {
	uint64_t target_mpidr;
	uint32_t psci_status;
	uint32_t padding[3];
};

/*
 * Realm configuration (realmkit, in the shape of the pre-v12
 * KVM_CAP_ARM_RME_CONFIG_REALM users asked to keep): KVM_ENABLE_CAP with
 * cap = KVM_CAP_ARM_RMI, args[0] = KVM_CAP_ARM_RMI_CONFIG_REALM, args[1] =
 * pointer to this structure. Allowed only before the realm descriptor
 * exists (EPERM after), values outside RMI_FEATURES give EINVAL.
 */
struct kvm_cap_arm_rmi_config_item {
	uint32_t cfg;
	uint32_t pad;
	union {
		uint8_t rpv[64];    /* KVM_CAP_ARM_RMI_CFG_RPV */
		uint32_t hash_algo; /* KVM_CAP_ARM_RMI_CFG_HASH_ALGO */
		uint32_t sve_vq;    /* KVM_CAP_ARM_RMI_CFG_SVE: vector length / 128 */
		/*
		 * KVM_CAP_ARM_RMI_CFG_DBG: the ID_AA64DFR0_EL1 BRPs and WRPs
		 * field values (number - 1), 1 .. RMI_FEATURES NUM_BPS/NUM_WPS
		 * ([PATCH v12 39/46]); default: the RMM's maximum.
		 */
		struct {
			uint32_t num_brps;
			uint32_t num_wrps;
		};
		uint32_t psci_mode; /* KVM_CAP_ARM_RMI_CFG_PSCI (realmkit) */
		uint8_t reserved[256];
	};
};
#define KVM_CAP_ARM_RMI_CONFIG_REALM	    0
#define KVM_CAP_ARM_RMI_CFG_RPV		    0
#define KVM_CAP_ARM_RMI_CFG_HASH_ALGO	    1
#define KVM_CAP_ARM_RMI_CFG_SVE		    2
#define KVM_CAP_ARM_RMI_CFG_DBG		    3
#define KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA256 0
#define KVM_CAP_ARM_RMI_MEASURE_ALGO_SHA512 1

/*
 * realmkit addition: how realm PSCI requests that need a target REC
 * (CPU_ON, AFFINITY_INFO; rmm-v1.0.md s7.4) are completed. Both forward the
 * call to the VMM as KVM_EXIT_HYPERCALL (nr = function ID, args = X1..X6,
 * flags = KVM_HYPERCALL_EXIT_SMC); the VMM answers by writing X0 with
 * KVM_SET_ONE_REG before the caller's next KVM_RUN.
 *  - KVM_ARM_RMI_PSCI_IMPLICIT (default; the reviewers' contract adopted in
 *    v14): the host completes the request on the caller's next KVM_RUN,
 *    with status SUCCESS for CPU_ON if the VMM left X0 = PSCI SUCCESS or
 *    ALREADY_ON and DENIED otherwise, and SUCCESS for AFFINITY_INFO.
 *    KVM_ARM_VCPU_RMI_PSCI_COMPLETE fails with EINVAL (it does not exist in
 *    v14).
 *  - KVM_ARM_RMI_PSCI_EXPLICIT (v12/v13): the VMM must issue
 *    KVM_ARM_VCPU_RMI_PSCI_COMPLETE on the caller's handle before the
 *    caller runs again; KVM_RUN of a caller with a request still pending
 *    fails with ENXIO (the RMM refuses to enter it).
 * In both, the target vCPU's KVM_RUN blocks (like a powered-off vCPU) until
 * a completed CPU_ON switched it on, and a denied CPU_ON never runs it.
 * Settable until the realm is activated (first KVM_RUN), EPERM after.
 */
#define KVM_CAP_ARM_RMI_CFG_PSCI  4
#define KVM_ARM_RMI_PSCI_IMPLICIT 0
#define KVM_ARM_RMI_PSCI_EXPLICIT 1

/* ---- struct kvm_run (the vCPU's shared page) ---- */

#define KVM_EXIT_UNKNOWN	0
#define KVM_EXIT_HYPERCALL	3
#define KVM_EXIT_MMIO		6
#define KVM_EXIT_SHUTDOWN	8
#define KVM_EXIT_FAIL_ENTRY	9
#define KVM_EXIT_INTR		10
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_SYSTEM_EVENT	24
#define KVM_EXIT_ARM_NISV	28
#define KVM_EXIT_MEMORY_FAULT	39

#define KVM_INTERNAL_ERROR_EMULATION		  1
#define KVM_INTERNAL_ERROR_SIMUL_EX		  2
#define KVM_INTERNAL_ERROR_DELIVERY_EV		  3
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON 4

#define KVM_SYSTEM_EVENT_SHUTDOWN 1
#define KVM_SYSTEM_EVENT_RESET	  2
#define KVM_SYSTEM_EVENT_CRASH	  3

#define KVM_HYPERCALL_EXIT_SMC	 (1ULL << 0)
#define KVM_HYPERCALL_EXIT_16BIT (1ULL << 1)

#define KVM_MEMORY_EXIT_FLAG_PRIVATE (1ULL << 3)

struct kvm_run {
	/* in */
	uint8_t request_interrupt_window;
	uint8_t immediate_exit;
	uint8_t padding1[6];
	/* out */
	uint32_t exit_reason;
	uint8_t ready_for_interrupt_injection;
	uint8_t if_flag;
	uint16_t flags;
	uint64_t cr8;
	uint64_t apic_base;
	union {
		struct {
			uint64_t hardware_exit_reason;
		} hw;
		struct {
			uint64_t hardware_entry_failure_reason;
			uint32_t cpu;
		} fail_entry;
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		/*
		 * SMCCC forwarding (PSCI and RSI host calls): nr = the function
		 * ID (X0), args = X1..X6, flags KVM_HYPERCALL_EXIT_SMC; the VMM
		 * writes results with KVM_SET_ONE_REG (X0..X30) before KVM_RUN.
		 */
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint64_t ret;
			union {
				uint32_t longmode;
				uint64_t flags;
			};
		} hypercall;
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		struct {
			uint32_t type;
			uint32_t ndata;
			union {
				uint64_t flags;
				uint64_t data[16];
			};
		} system_event;
		struct {
			uint64_t esr_iss;
			uint64_t fault_ipa;
		} arm_nisv;
		struct {
			uint64_t flags;
			uint64_t gpa;
			uint64_t size;
		} memory_fault;
		char padding[256];
	};
	uint64_t kvm_valid_regs;
	uint64_t kvm_dirty_regs;
	union {
		char padding[2048];
	} s;
};

static_assert(offsetof(struct kvm_run, exit_reason) == 8, "struct kvm_run: exit_reason");
static_assert(offsetof(struct kvm_run, mmio) == 32, "struct kvm_run: exit union");
static_assert(offsetof(struct kvm_run, kvm_valid_regs) == 288, "struct kvm_run: kvm_valid_regs");
static_assert(sizeof(struct kvm_run) == 2352, "struct kvm_run: size");
static_assert(sizeof(struct kvm_userspace_memory_region2) == 160, "memory_region2 size");
static_assert(sizeof(struct kvm_vcpu_events) == 64, "kvm_vcpu_events size (arm64)");
static_assert(sizeof(struct kvm_arm_rmi_populate) == 32, "kvm_arm_rmi_populate size");
static_assert(sizeof(struct kvm_arm_rmi_psci_complete) == 24, "psci_complete size");

/* ---- Request numbers ---- */

/* System (the handle rk_kvm_open() returns). */
#define KVM_GET_API_VERSION    RK_IO(KVMIO, 0x00)
#define KVM_CREATE_VM	       RK_IO(KVMIO, 0x01)
#define KVM_CHECK_EXTENSION    RK_IO(KVMIO, 0x03)
#define KVM_GET_VCPU_MMAP_SIZE RK_IO(KVMIO, 0x04)
/* VM. */
#define KVM_CREATE_VCPU		    RK_IO(KVMIO, 0x41)
#define KVM_SET_USER_MEMORY_REGION2 RK_IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)
#define KVM_ENABLE_CAP		    RK_IOW(KVMIO, 0xa3, struct kvm_enable_cap)
#define KVM_ARM_PREFERRED_TARGET    RK_IOR(KVMIO, 0xaf, struct kvm_vcpu_init)
#define KVM_SET_MEMORY_ATTRIBUTES   RK_IOW(KVMIO, 0xd2, struct kvm_memory_attributes)
#define KVM_CREATE_GUEST_MEMFD	    RK_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#define KVM_ARM_RMI_POPULATE	    RK_IOWR(KVMIO, 0xd7, struct kvm_arm_rmi_populate)
/* vCPU. */
#define KVM_RUN			       RK_IO(KVMIO, 0x80)
#define KVM_GET_VCPU_EVENTS	       RK_IOR(KVMIO, 0x9f, struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS	       RK_IOW(KVMIO, 0xa0, struct kvm_vcpu_events)
#define KVM_GET_ONE_REG		       RK_IOW(KVMIO, 0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG		       RK_IOW(KVMIO, 0xac, struct kvm_one_reg)
#define KVM_ARM_VCPU_INIT	       RK_IOW(KVMIO, 0xae, struct kvm_vcpu_init)
#define KVM_ARM_VCPU_RMI_PSCI_COMPLETE RK_IOW(KVMIO, 0xd6, struct kvm_arm_rmi_psci_complete)

#define KVM_API_VERSION 12

/* ---- VM type (KVM_CREATE_VM argument, v12) ---- */
#define KVM_VM_TYPE_ARM_IPA_SIZE_MASK 0xffULL
#define KVM_VM_TYPE_ARM_IPA_SIZE(x)   ((x)&KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
#define KVM_VM_TYPE_ARM_SHIFT	      8
#define KVM_VM_TYPE_ARM_MASK	      (0xfULL << KVM_VM_TYPE_ARM_SHIFT)
#define KVM_VM_TYPE_ARM_NORMAL	      (0ULL << KVM_VM_TYPE_ARM_SHIFT)
#define KVM_VM_TYPE_ARM_REALM	      (1ULL << KVM_VM_TYPE_ARM_SHIFT)

/* ---- Capabilities (KVM_CHECK_EXTENSION) ---- */
#define KVM_CAP_IRQCHIP		    0
#define KVM_CAP_USER_MEMORY	    3
#define KVM_CAP_NR_VCPUS	    9
#define KVM_CAP_MAX_VCPUS	    66
#define KVM_CAP_ARM_PSCI	    87
#define KVM_CAP_ARM_PSCI_0_2	    102
#define KVM_CAP_ARM_PMU_V3	    126
#define KVM_CAP_MAX_VCPU_ID	    128
#define KVM_CAP_MSI_DEVID	    131
#define KVM_CAP_ARM_VM_IPA_SIZE	    165
#define KVM_CAP_ARM_SVE		    170
#define KVM_CAP_ARM_PTRAUTH_ADDRESS 171
#define KVM_CAP_ARM_PTRAUTH_GENERIC 172
#define KVM_CAP_USER_MEMORY2	    231
#define KVM_CAP_MEMORY_ATTRIBUTES   233
#define KVM_CAP_GUEST_MEMFD	    234
#define KVM_CAP_ARM_RMI		    247

/* ---- Register IDs for KVM_{GET,SET}_ONE_REG (arm64 core registers) ---- */
#define KVM_REG_ARM64	 0x6000000000000000ULL
#define KVM_REG_SIZE_U64 0x0030000000000000ULL
#define KVM_REG_ARM_CORE (0x0010ULL << 16)
/* struct kvm_regs: regs[31], sp, pc, pstate at 8-byte steps; the ID holds the offset / 4. */
#define KVM_REG_ARM_CORE_REG(off32) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off32))
#define KVM_REG_ARM64_X(n)	    KVM_REG_ARM_CORE_REG((uint64_t)(n)*2)
#define KVM_REG_ARM64_SP	    KVM_REG_ARM_CORE_REG(31 * 2)
#define KVM_REG_ARM64_PC	    KVM_REG_ARM_CORE_REG(32 * 2)
#define KVM_REG_ARM64_PSTATE	    KVM_REG_ARM_CORE_REG(33 * 2)

/* ---- The calls a VMM replaces when it moves to /dev/kvm ---- */

/* open("/dev/kvm", O_RDWR): a system handle, or -1 with errno (ENODEV: no platform). */
int rk_kvm_open(void);

/* ioctl(handle, request, arg): the request's result, or -1 with errno. */
int rk_kvm_ioctl(int handle, unsigned long request, ...);

/* mmap(NULL, KVM_GET_VCPU_MMAP_SIZE, ..., vcpu_handle, 0): the vCPU's struct kvm_run. */
struct kvm_run *rk_kvm_map_run(int vcpu_handle);

/* close(handle): releases a handle; the last handle of a VM destroys it. */
int rk_kvm_close(int handle);

/*
 * mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
 * for guest RAM that realms share with the host (the userspace_addr of a
 * memslot): memory the VMM can pass by address, backed by Non-secure DRAM.
 * NULL with errno ENOMEM when DRAM is exhausted.
 */
void *rk_kvm_alloc_guest_ram(size_t size);

/* munmap() of rk_kvm_alloc_guest_ram() memory. */
void rk_kvm_free_guest_ram(void *p, size_t size);

/* ---- realmkit additions (no /dev/kvm counterpart; a ported VMM drops them) ---- */

/*
 * Host configuration, the analogue of the kernel's build and module
 * parameters. Call before the first rk_kvm_open() (EBUSY while handles are
 * open). page_size: the host's PAGE_SIZE, 4096 (default), 16384 or 65536;
 * memslots and KVM_ARM_RMI_POPULATE ranges must be aligned to it, and the
 * host allocates guest_memfd memory and REC auxiliary memory in pages of
 * this size, delegating each 4 KB granule of a page (seeds/003).
 * rmi_version: the RMI ABI version the host requests at initialisation
 * ((major << 16) | minor, 0 = 1.0). log: where the host's messages go
 * (NULL = stderr as "kvm [rmi]: ..."), e.g. "RMI ABI version 1.0" or
 * "Unsupported RMI ABI (v1.0 - v1.0) we want v2.0"; without an agreed
 * version KVM_CAP_ARM_RMI reads 0 and realm VMs cannot be created.
 */
struct rk_kvm_host_config {
	uint64_t page_size;
	uint64_t rmi_version;
	void (*log)(const char *line);
};
int rk_kvm_host_configure(const struct rk_kvm_host_config *cfg);

/*
 * The leak report of a VM's destruction (kvm-cca-host.md s3.11): granules
 * the RMM refused to give back (a failed undelegate, REC_DESTROY,
 * RTT_DESTROY or REALM_DESTROY), which the host never reuses. count is
 * exact; pas[] holds the first RK_KVM_LEAK_REPORT_MAX of them.
 */
#define RK_KVM_LEAK_REPORT_MAX 64
struct rk_kvm_leak_report {
	uint64_t count;
	uint64_t pas[RK_KVM_LEAK_REPORT_MAX];
};

/*
 * Destroys a VM now and returns its leak report: closes the VM handle and
 * the handles of its vCPUs and guest_memfds (on Linux: close() of each of
 * them; leaks are WARNed in the kernel log). vCPU threads still in KVM_RUN
 * (running guest code or blocked powered off) are kicked out (EINTR, as a
 * VMM's signal would) and the call waits until every ioctl of the VM has
 * ended; their next ioctl on the closed handles fails with EBADF. The
 * vCPUs' struct kvm_run pages go with the VM (the munmap() a VMM does
 * after close()): a thread whose KVM_RUN the destruction ended must not
 * read its kvm_run any more. report may be NULL. Returns 0 or -1 with errno (EBADF: not a VM handle).
 */
int rk_kvm_destroy_vm(int vm_handle, struct rk_kvm_leak_report *report);

/*
 * Kicks a vCPU out of KVM_RUN, as a signal does on Linux: a KVM_RUN that is
 * blocked (a powered-off vCPU) or running returns -1 with errno EINTR and
 * exit_reason KVM_EXIT_INTR as soon as possible (a REC executing guest code
 * is stopped with a physical IRQ on the vCPU thread's CPU, the way KVM's
 * kick IPI does); a kick while the vCPU is
 * not in KVM_RUN makes its next KVM_RUN return that way (once).
 * Setting kvm_run.immediate_exit before KVM_RUN has the same effect, as on
 * Linux. Returns 0 or -1 with errno EBADF.
 */
int rk_kvm_vcpu_kick(int vcpu_handle);

/*
 * RMI observer (realmkit extension, for traces and tests; a ported VMM
 * drops it and loses the view of the host's RMI calls). One event per RMI
 * call the host makes for a VM: the function ID and X1..X6 in, X0..X4 out,
 * CLOCK_MONOTONIC times taken right before and after the SMC, and the id of
 * the vCPU whose ioctl made the call (KVM_RUN, including activation and
 * RMI_REC_ENTER, or KVM_ARM_VCPU_RMI_PSCI_COMPLETE), -1 when it was made
 * outside a vCPU ioctl (POPULATE, memory attributes, destruction).
 */
#define RK_KVM_HAS_RMI_OBSERVER 1
struct rk_kvm_rmi_event {
	uint64_t fid;
	uint64_t args[6];
	uint64_t ret[5];
	uint64_t start_ns, end_ns;
	int32_t vcpu_id;
	uint32_t pad;
};

typedef void (*rk_kvm_rmi_observer_fn)(void *opaque, const struct rk_kvm_rmi_event *ev);

/*
 * Registers fn (NULL: none) to be called synchronously, on the thread that
 * made the call, after every RMI call the host makes for vm_handle's VM,
 * until the VM is destroyed (its teardown calls included; register right
 * after KVM_CREATE_VM to see REALM_CREATE). fn must be thread-safe (vCPU
 * threads call it concurrently) and must not call into the UAPI. Returns 0
 * or -1 with errno EBADF (not a VM handle).
 */
int rk_kvm_set_rmi_observer(int vm_handle, rk_kvm_rmi_observer_fn fn, void *opaque);

#endif /* REALMKIT_KVM_H */
