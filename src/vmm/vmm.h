/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VMM's shared types: the user's configuration (the flags `run` and
 * `measure` share), error reports, and the blobs a realm is built from.
 */
#ifndef REALMKIT_VMM_H
#define REALMKIT_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_PAGE_SIZE 4096ULL
#define VMM_SZ_2M     (2ULL << 20)
#define VMM_RPV_SIZE  64
#define VMM_MAX_CPUS  64

/* Exit statuses: usage errors, then input/runtime errors. */
#define VMM_EXIT_USAGE 2
#define VMM_EXIT_ERROR 1

enum vmm_psci_mode {
	VMM_PSCI_IMPLICIT, /* v14 / reviewers' contract: host completes on the caller's next entry */
	VMM_PSCI_EXPLICIT, /* v12: the VMM calls KVM_ARM_VCPU_RMI_PSCI_COMPLETE */
};

enum vmm_console {
	VMM_CONSOLE_SERIAL, /* PL011 output to stdout */
	VMM_CONSOLE_NONE,   /* PL011 output discarded */
};

/* Everything the command line configures (kvmtool-cca spellings). */
struct vmm_config {
	bool realm;		   /* --realm (realms are the only kind realmkit runs) */
	unsigned int nr_cpus;	   /* -c */
	uint64_t ram_size;	   /* -m, bytes */
	const char *kernel;	   /* -k */
	const char *initrd;	   /* -i */
	const char *params;	   /* -p: the kernel command line */
	const char *dtb_file;	   /* --dtb: use this DTB instead of generating one */
	uint32_t hash_algo;	   /* --measurement-algo: KVM_CAP_ARM_RMI_MEASURE_ALGO_* */
	uint8_t rpv[VMM_RPV_SIZE]; /* --realm-pv */
	unsigned int sve_vl;	   /* --sve-max-vl, bits; 0 = no SVE */
	enum vmm_psci_mode psci;   /* --psci */
	enum vmm_console console;  /* --console */
	const char *trace_file;	   /* --trace */
	double timeout_s;	   /* --timeout, 0 = none */
	bool debug;		   /* --debug */
	bool testdev;		   /* --debug-device testdev (run only) */
	uint64_t psci_deny;	   /* --psci-deny: bit i = deny CPU_ON of vCPU i (run only) */
	bool json;		   /* measure --json */
};

/* An error report: the message to print and the exit status to use. */
struct vmm_err {
	int status;
	char msg[384];
};

/* Records a formatted error in err (if not NULL) and returns -1. */
int vmm_errf(struct vmm_err *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * One populated region of guest memory: GPA and size page-aligned, data
 * holds size bytes (zero-filled where the image has no bytes).
 */
struct vmm_blob {
	const char *name; /* "kernel", "initrd", "dtb" */
	uint64_t gpa;
	uint64_t size;
	uint8_t *data;
};

/* The blobs a realm starts with, sorted by GPA once complete. */
struct vmm_blobs {
	struct vmm_blob *v;
	unsigned int n, cap;
};

/* Appends a blob taking ownership of data. Returns 0, or -1 (err set) when out of memory. */
int vmm_blobs_add(struct vmm_blobs *b, const char *name, uint64_t gpa, uint64_t size, uint8_t *data,
		  struct vmm_err *err);

/*
 * Sorts by GPA (kvm-cca-host.md s6.3: populate in ascending GPA order) and
 * rejects overlaps, naming the two blobs. Returns 0 or -1 (err set).
 */
int vmm_blobs_finish(struct vmm_blobs *b, struct vmm_err *err);

void vmm_blobs_free(struct vmm_blobs *b);

/* Reads a whole file (at most max bytes). Returns a malloc'd buffer or NULL (err set). */
uint8_t *vmm_read_file(const char *path, uint64_t max, size_t *len, struct vmm_err *err);

/* Sets defaults: 1 CPU, 256 MB, SHA-256, implicit PSCI, serial console. */
void vmm_config_defaults(struct vmm_config *cfg);

#endif /* REALMKIT_VMM_H */
