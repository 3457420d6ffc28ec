/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The memory layout rules (kvm-cca-host.md s6.2) and the generated DTB,
 * parsed back with libfdt: memory, cpus with MPIDRs (rmm-v1.0.md s7.5),
 * psci (smc; arm,psci-1.0 / 0.2), the PL011, the timer, chosen; and
 * --dtb validation.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "dtb.h"
#include "layout.h"
#include "vmm_test.h"

static void cfg_of(struct vmm_config *cfg, uint64_t mem, unsigned int cpus)
{
	vmm_config_defaults(cfg);
	cfg->ram_size = mem;
	cfg->nr_cpus = cpus;
}

static void dtb_placement(void **state)
{
	struct vmm_config cfg;
	struct vmm_layout l;
	struct vmm_err err = { 0 };

	(void)state;
	/* s6.2: RAM >= 256 MB -> fixed 0x8FE00000; smaller -> 2 MB below the end. */
	cfg_of(&cfg, 256ULL << 20, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(l.ram_base, 0x80000000);
	assert_int_equal(l.dtb_gpa, 0x8FE00000);
	assert_int_equal(l.ipa_bits, 33); /* kvmtool: max_ipa 8fffffff -> 33 */
	cfg_of(&cfg, 4ULL << 30, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(l.dtb_gpa, 0x8FE00000);
	assert_int_equal(l.ipa_bits, 34);
	cfg_of(&cfg, 128ULL << 20, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(l.dtb_gpa, 0x88000000 - 0x200000);
	assert_int_equal(layout_place_initrd(&l, 0x1800, &err), 0);
	assert_int_equal(l.initrd_gpa, 0x87E00000 - 0x2000);
	assert_int_equal(l.kernel_top, l.initrd_gpa);
}

static void bad_sizes(void **state)
{
	struct vmm_config cfg;
	struct vmm_layout l;
	struct vmm_err err = { 0 };

	(void)state;
	cfg_of(&cfg, (256ULL << 20) + 4096, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), -1);
	assert_err(err, VMM_EXIT_USAGE, "multiple of 2 MB");
	cfg_of(&cfg, 2ULL << 20, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), -1);
	assert_err(err, VMM_EXIT_USAGE, "--mem");
	cfg_of(&cfg, 1ULL << 40, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), -1);
	assert_err(err, VMM_EXIT_USAGE, "--mem");
	cfg_of(&cfg, 256ULL << 20, 65);
	assert_int_equal(layout_init(&l, &cfg, &err), -1);
	assert_err(err, VMM_EXIT_USAGE, "--cpus");
	cfg_of(&cfg, 256ULL << 20, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(layout_place_initrd(&l, 0, &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "empty");
}

static void mpidr_mapping(void **state)
{
	struct vmm_config cfg;
	struct vmm_layout l;
	struct vmm_err err = { 0 };

	(void)state;
	cfg_of(&cfg, 256ULL << 20, 40);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	/* s7.5: index = Aff0[3:0] | Aff1 << 4. */
	assert_int_equal(layout_vcpu_mpidr(0), 0);
	assert_int_equal(layout_vcpu_mpidr(15), 0xf);
	assert_int_equal(layout_vcpu_mpidr(16), 0x100);
	assert_int_equal(layout_vcpu_mpidr(39), 0x207);
	for (unsigned int i = 0; i < 40; i++) {
		assert_int_equal(layout_vcpu_of_mpidr(&l, layout_vcpu_mpidr(i)), (int)i);
		assert_int_equal(layout_vcpu_of_mpidr(&l, layout_vcpu_mpidr(i) | (1ULL << 31)),
				 (int)i);
	}
	assert_int_equal(layout_vcpu_of_mpidr(&l, 0x10), -1);  /* Aff0 bit 4: no REC */
	assert_int_equal(layout_vcpu_of_mpidr(&l, 0x208), -1); /* index 40 */
}

/* Cell i of a property (properties are only 4-byte aligned). */
static uint64_t u64_at(const void *p, unsigned int i)
{
	fdt64_t v;

	memcpy(&v, (const uint8_t *)p + 8 * i, sizeof(v));
	return fdt64_to_cpu(v);
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);
	const void *p;

	if (node < 0)
		fail_msg("no node %s", path);
	p = fdt_getprop(fdt, node, name, len);
	if (!p)
		fail_msg("no property %s of %s", name, path);
	return p;
}

static void generated_tree(void **state)
{
	static uint8_t dtb[VMM_DTB_SIZE];
	struct vmm_config cfg;
	struct vmm_layout l;
	struct vmm_err err = { 0 };
	const void *reg;
	const char *s;
	int len, node, ncpu = 0;

	(void)state;
	cfg_of(&cfg, 512ULL << 20, 3);
	cfg.params = "console=ttyAMA0 quiet";
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(layout_place_initrd(&l, 0x3000, &err), 0);
	assert_int_equal(dtb_generate(&cfg, &l, dtb, sizeof(dtb), &err), 0);
	assert_int_equal(fdt_check_header(dtb), 0);
	assert_int_equal(dtb_check(dtb, sizeof(dtb), &err), 0);
	reg = prop(dtb, "/memory@80000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(u64_at(reg, 0), 0x80000000);
	assert_int_equal(u64_at(reg, 1), 512ULL << 20);
	fdt_for_each_subnode(node, dtb, fdt_path_offset(dtb, "/cpus"))
	{
		const fdt32_t *r = fdt_getprop(dtb, node, "reg", &len);

		assert_non_null(r);
		assert_int_equal(fdt32_to_cpu(*r), layout_vcpu_mpidr((unsigned int)ncpu));
		assert_string_equal(fdt_getprop(dtb, node, "enable-method", NULL), "psci");
		ncpu++;
	}
	assert_int_equal(ncpu, 3);
	s = prop(dtb, "/psci", "compatible", &len);
	assert_string_equal(s, "arm,psci-1.0");
	assert_string_equal(s + strlen(s) + 1, "arm,psci-0.2");
	assert_string_equal(prop(dtb, "/psci", "method", &len), "smc");
	s = prop(dtb, DTB_UART_PATH, "compatible", &len);
	assert_string_equal(s, "arm,pl011");
	assert_string_equal(s + strlen(s) + 1, "arm,primecell");
	reg = prop(dtb, DTB_UART_PATH, "reg", &len);
	assert_int_equal(u64_at(reg, 0), RK_GUEST_UART_GPA);
	assert_string_equal(prop(dtb, "/timer", "compatible", &len), "arm,armv8-timer");
	assert_string_equal(prop(dtb, "/chosen", "bootargs", &len), "console=ttyAMA0 quiet");
	assert_string_equal(prop(dtb, "/chosen", "stdout-path", &len), DTB_UART_PATH);
	reg = prop(dtb, "/chosen", "linux,initrd-start", &len);
	assert_int_equal(u64_at(reg, 0), 0x8FE00000 - 0x3000);
	reg = prop(dtb, "/chosen", "linux,initrd-end", &len);
	assert_int_equal(u64_at(reg, 0), 0x8FE00000);
}

static void user_dtb_checks(void **state)
{
	static uint8_t dtb[VMM_DTB_SIZE], big[2 * VMM_DTB_SIZE];
	struct vmm_config cfg;
	struct vmm_layout l;
	struct vmm_err err = { 0 };

	(void)state;
	cfg_of(&cfg, 256ULL << 20, 1);
	assert_int_equal(layout_init(&l, &cfg, &err), 0);
	assert_int_equal(dtb_generate(&cfg, &l, dtb, sizeof(dtb), &err), 0);
	assert_int_equal(dtb_check(dtb, fdt_totalsize(dtb), &err), 0);
	/* Not a DTB, truncated, too short, too big, corrupt structure. */
	static const char text[] = "hello, this is a text file and not a device tree at all";

	assert_int_equal(dtb_check((const uint8_t *)text, sizeof(text), &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "not a valid DTB");
	assert_int_equal(dtb_check(dtb, fdt_totalsize(dtb) - 1, &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "truncated");
	assert_int_equal(dtb_check(dtb, 8, &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "too short");
	assert_int_equal(fdt_open_into(dtb, big, sizeof(big)), 0);
	assert_int_equal(dtb_check(big, sizeof(big), &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "exceed");
	/* Smash the first token of the structure block. */
	memset(dtb + fdt_off_dt_struct(dtb), 0xee, 4);
	assert_int_equal(dtb_check(dtb, sizeof(dtb), &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "--dtb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dtb_placement),   cmocka_unit_test(bad_sizes),
		cmocka_unit_test(mpidr_mapping),   cmocka_unit_test(generated_tree),
		cmocka_unit_test(user_dtb_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
