/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Emulated MMIO devices, kvmtool style: each device is an ops table, and
 * devices.c registers them in one explicit ordered list (no constructors),
 * so the device set -- and the DTB that describes it -- never depends on
 * link order.
 */
#ifndef REALMKIT_VMM_DEVICES_H
#define REALMKIT_VMM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VMM_MAX_DEVICES 8

/* What devices may use from the VMM. */
struct vmm_device_env {
	FILE *console; /* console output, or NULL to discard */
	FILE *log;     /* diagnostics (stderr) */
	bool testdev;  /* --debug-device testdev */
};

/* The test device of the realm test guests (testdev.c, --debug-device testdev). */
#define TESTDEV_BASE	0x0A000000ULL /* the guests' RK_GUEST_MMIO_TEST */
#define TESTDEV_SIZE	0x1000ULL
#define TESTDEV_PATTERN 0xFEDCBA98F6548281ULL

struct vmm_device_ops {
	const char *name;
	uint64_t base, size; /* guest-physical MMIO window */
	/* NULL: always present; else whether env asks for the device. */
	bool (*enabled)(const struct vmm_device_env *env);
	void *(*create)(const struct vmm_device_env *env);
	void (*destroy)(void *dev);
	/* off is relative to base; len is 1, 2, 4 or 8. Must be thread-safe. */
	void (*read)(void *dev, uint64_t off, uint8_t *data, unsigned int len);
	void (*write)(void *dev, uint64_t off, const uint8_t *data, unsigned int len);
};

struct vmm_devices {
	const struct vmm_device_ops *ops[VMM_MAX_DEVICES];
	void *dev[VMM_MAX_DEVICES];
	unsigned int n;
};

/* The PL011 UART (pl011.c). */
extern const struct vmm_device_ops pl011_ops;
/* The test device (testdev.c). */
extern const struct vmm_device_ops testdev_ops;

/* Creates every (enabled) device of the list. Returns 0 or -1 (out of memory). */
int devices_init(struct vmm_devices *d, const struct vmm_device_env *env);
void devices_fini(struct vmm_devices *d);

/*
 * Dispatches an MMIO access at gpa (the canonical GPA, shared bit
 * stripped). Returns false when no device covers [gpa, gpa + len); a read
 * then yields zeros.
 */
bool devices_mmio(struct vmm_devices *d, uint64_t gpa, uint8_t *data, unsigned int len,
		  bool is_write);

#endif /* REALMKIT_VMM_DEVICES_H */
