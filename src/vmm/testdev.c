/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `--debug-device testdev`: the test device of the realm test guests
 * (guests/tests/mmio.c, regs.c, sea.c: RK_GUEST_MMIO_TEST), for running
 * them through the whole stack. A debug aid, not a model of any real
 * device, and not described in the DTB (so the RIM does not depend on it):
 *   - every read, of any width at any offset, returns the low bytes of
 *     TESTDEV_PATTERN (the MMIO_PATTERN the mmio guest expects);
 *   - every write is logged to the log stream as
 *     "realmkit: testdev: write +0xOFF len N data 0xVALUE",
 *     so a test can compare the sequence the guest's contract names.
 */
#include <stdlib.h>
#include <string.h>

#include "devices.h"

static void *testdev_create(const struct vmm_device_env *env)
{
	FILE **log = malloc(sizeof(*log));

	if (log)
		*log = env->log;
	return log;
}

static void testdev_destroy(void *dev)
{
	free(dev);
}

static bool testdev_enabled(const struct vmm_device_env *env)
{
	return env->testdev;
}

static void testdev_read(void *dev, uint64_t off, uint8_t *data, unsigned int len)
{
	const uint64_t pattern = TESTDEV_PATTERN;

	(void)dev;
	(void)off;
	memcpy(data, &pattern, len); /* little-endian: the low len bytes */
}

static void testdev_write(void *dev, uint64_t off, const uint8_t *data, unsigned int len)
{
	FILE *log = *(FILE **)dev;
	uint64_t v = 0;

	memcpy(&v, data, len);
	if (log) {
		/* One fprintf per line: stdio locks the stream, lines never interleave. */
		fprintf(log, "realmkit: testdev: write +0x%llx len %u data 0x%llx\n",
			(unsigned long long)off, len, (unsigned long long)v);
	}
}

const struct vmm_device_ops testdev_ops = {
	.name = "testdev",
	.base = TESTDEV_BASE,
	.size = TESTDEV_SIZE,
	.enabled = testdev_enabled,
	.create = testdev_create,
	.destroy = testdev_destroy,
	.read = testdev_read,
	.write = testdev_write,
};
