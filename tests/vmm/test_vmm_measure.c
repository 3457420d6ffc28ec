/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `realmkit measure`'s RIM model (src/vmm/measure.c) against the
 * independent Python model tests/rim/rim.py (rmm-v1.0.md s14): for each
 * configuration the construction sequence runs through the measuring back
 * end, its construction log is handed to rim.py, which re-derives every
 * INIT_RIPAS result (s11.3) and the RIM; both must agree byte for byte.
 * Configurations cover ELF / raw / initrd, 1..8 vCPUs, RAM from 8 MB
 * (DTB below the end) to 8 GB (IPA 35 bits, start level 1: 1 GB entries),
 * both hash algorithms, an RPV and SVE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "construct.h"
#include "measure.h"
#include "vmm_test.h"

static void rim_hex(const struct measure *m, char *out)
{
	size_t len;
	const uint8_t *rim = measure_rim(m, &len);

	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", rim[i]);
}

/* Measures cfg; returns the RIM in hex and checks rim.py agrees. */
static void measure_and_check(struct vmm_config *cfg, char rim[129])
{
	char path[] = "/tmp/rk_vmm_rim_XXXXXX", cmd[512], py[160] = "";
	struct vmm_err err = { 0 };
	struct vmm_plan plan;
	struct measure *m = measure_new(true);
	FILE *f;
	int fd;

	assert_non_null(m);
	if (vmm_plan_build(cfg, &plan, &err))
		fail_msg("plan: %s", err.msg);
	if (vmm_construct(cfg, &plan, &measure_backend, m, &err))
		fail_msg("construct: %s", err.msg);
	rim_hex(m, rim);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	measure_write_json(m, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", RK_RIM_PY, path);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (!fgets(py, sizeof(py), f))
		py[0] = '\0';
	assert_int_equal(pclose(f), 0);
	py[strcspn(py, "\n")] = '\0';
	assert_string_equal(py, rim);
	unlink(path);
	measure_free(m);
	vmm_plan_free(&plan);
}

static void cfg_guest(struct vmm_config *cfg, const char *name)
{
	static char path[512];

	vmm_config_defaults(cfg);
	snprintf(path, sizeof(path), "%s/%s", RK_GUEST_DIR, name);
	cfg->kernel = path;
}

static void elf_default(void **state)
{
	struct vmm_config cfg;
	char a[129], b[129];

	(void)state;
	cfg_guest(&cfg, "hello.elf");
	measure_and_check(&cfg, a);
	assert_int_equal(strlen(a), 64);
	/* Deterministic: the same flags give the same RIM. */
	measure_and_check(&cfg, b);
	assert_string_equal(a, b);
}

static void cpus_mem_algo(void **state)
{
	struct vmm_config cfg;
	char a[129], b[129], c[129];

	(void)state;
	cfg_guest(&cfg, "psci.elf");
	cfg.nr_cpus = 4;
	cfg.ram_size = 8ULL << 20;
	measure_and_check(&cfg, a);
	cfg.nr_cpus = 8;
	measure_and_check(&cfg, b);
	/* The DTB's cpus nodes are measured. */
	assert_string_not_equal(a, b);
	cfg.hash_algo = 1; /* SHA-512 */
	measure_and_check(&cfg, c);
	assert_int_equal(strlen(c), 128);
}

static void initrd_rpv_sve(void **state)
{
	char path[] = "/tmp/rk_vmm_initrd_XXXXXX", a[129], b[129];
	struct vmm_config cfg;
	int fd = mkstemp(path);
	uint8_t data[10000];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	assert_int_equal(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
	close(fd);
	cfg_guest(&cfg, "hello.bin");
	cfg.initrd = path;
	cfg.ram_size = 1ULL << 30;
	cfg.params = "console=ttyAMA0";
	measure_and_check(&cfg, a);
	/* s14.2: the RPV is not measured. */
	memset(cfg.rpv, 0xab, sizeof(cfg.rpv));
	measure_and_check(&cfg, b);
	assert_string_equal(a, b);
	/* SVE sets the measured flags and sve_vl. */
	cfg.sve_vl = 256;
	measure_and_check(&cfg, b);
	assert_string_not_equal(a, b);
	unlink(path);
}

static void large_ram_level1(void **state)
{
	struct vmm_config cfg;
	char a[129];

	(void)state;
	cfg_guest(&cfg, "hello.elf");
	cfg.ram_size = 8ULL << 30; /* ends at 10 GB: IPA 35 bits, start level 1 */
	measure_and_check(&cfg, a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf_default),
		cmocka_unit_test(cpus_mem_algo),
		cmocka_unit_test(initrd_rpv_sve),
		cmocka_unit_test(large_ram_level1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
