/* SPDX-License-Identifier: BSD-3-Clause */
/* DTB generation and validation with libfdt (dtb.h). */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb.h"

#define GIC_FDT_IRQ_TYPE_SPI 0
#define GIC_FDT_IRQ_TYPE_PPI 1
#define IRQ_TYPE_LEVEL_HIGH  4
#define IRQ_TYPE_LEVEL_LOW   8
#define UART_CLOCK_HZ	     24000000u

/* Every libfdt sequential-write call returns 0 or a negative FDT_ERR_*. */
#define FDT_TRY(call)              \
	do {                       \
		int r_ = (call);   \
		if (r_ < 0)        \
			return r_; \
	} while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int prop_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags)
{
	fdt32_t irq[3] = { cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags) };

	return fdt_property(fdt, "interrupts", irq, sizeof(irq));
}

static int node_cpus(void *fdt, const struct vmm_layout *l)
{
	char name[32];

	FDT_TRY(fdt_begin_node(fdt, "cpus"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < l->nr_cpus; i++) {
		/* rmm-v1.0.md s7.5: vCPU i is REC i; reg = its MPIDR affinity. */
		uint64_t mpidr = layout_vcpu_mpidr(i);

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "device_type", "cpu"));
		FDT_TRY(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		FDT_TRY(fdt_property_string(fdt, "enable-method", "psci"));
		FDT_TRY(fdt_property_u32(fdt, "reg", (uint32_t)mpidr));
		FDT_TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int node_psci_timer(void *fdt)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	static const uint32_t ppis[] = { 13, 14, 11, 10 }; /* secure, NS phys, virt, hyp */
	fdt32_t irqs[3 * 4];

	FDT_TRY(fdt_begin_node(fdt, "psci"));
	FDT_TRY(fdt_property(fdt, "compatible", psci_compat, sizeof(psci_compat)));
	/* The RMM emulates PSCI for realms through SMC (rmm-v1.0.md s7). */
	FDT_TRY(fdt_property_string(fdt, "method", "smc"));
	FDT_TRY(fdt_end_node(fdt));
	for (unsigned int i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_FDT_IRQ_TYPE_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_TYPE_LEVEL_LOW);
	}
	FDT_TRY(fdt_begin_node(fdt, "timer"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	FDT_TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	FDT_TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int node_gic_uart(void *fdt, const struct vmm_layout *l)
{
	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	static const char clk_names[] = "uartclk\0apb_pclk";
	uint64_t redist = l->nr_cpus * VMM_GIC_REDIST_SIZE;
	fdt64_t gic_reg[4] = { cpu_to_fdt64(VMM_GIC_DIST_BASE), cpu_to_fdt64(VMM_GIC_DIST_SIZE),
			       cpu_to_fdt64(VMM_GIC_DIST_BASE - redist), cpu_to_fdt64(redist) };
	fdt32_t clks[2] = { cpu_to_fdt32(DTB_PHANDLE_CLK), cpu_to_fdt32(DTB_PHANDLE_CLK) };

	FDT_TRY(fdt_begin_node(fdt, "intc@3fff0000"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	FDT_TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_property(fdt, "reg", gic_reg, sizeof(gic_reg)));
	FDT_TRY(fdt_property_u32(fdt, "phandle", DTB_PHANDLE_GIC));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(fdt_begin_node(fdt, "apb-pclk"));
	FDT_TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	FDT_TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	FDT_TRY(fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ));
	FDT_TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	FDT_TRY(fdt_property_u32(fdt, "phandle", DTB_PHANDLE_CLK));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(fdt_begin_node(fdt, &DTB_UART_PATH[1]));
	FDT_TRY(fdt_property(fdt, "compatible", uart_compat, sizeof(uart_compat)));
	FDT_TRY(prop_reg(fdt, VMM_UART_BASE, VMM_UART_SIZE));
	FDT_TRY(prop_irq(fdt, GIC_FDT_IRQ_TYPE_SPI, 0, IRQ_TYPE_LEVEL_HIGH));
	FDT_TRY(fdt_property(fdt, "clocks", clks, sizeof(clks)));
	FDT_TRY(fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names)));
	return fdt_end_node(fdt);
}

static int node_chosen(void *fdt, const struct vmm_config *cfg, const struct vmm_layout *l)
{
	FDT_TRY(fdt_begin_node(fdt, "chosen"));
	FDT_TRY(fdt_property_string(fdt, "bootargs", cfg->params ? cfg->params : ""));
	FDT_TRY(fdt_property_string(fdt, "stdout-path", DTB_UART_PATH));
	if (l->initrd_size) {
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-start", l->initrd_gpa));
		FDT_TRY(fdt_property_u64(fdt, "linux,initrd-end", l->initrd_gpa + l->initrd_size));
	}
	return fdt_end_node(fdt);
}

static int build(void *fdt, size_t size, const struct vmm_config *cfg, const struct vmm_layout *l)
{
	char mem[32];

	FDT_TRY(fdt_create(fdt, (int)size));
	FDT_TRY(fdt_finish_reservemap(fdt));
	FDT_TRY(fdt_begin_node(fdt, ""));
	FDT_TRY(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "interrupt-parent", DTB_PHANDLE_GIC));
	FDT_TRY(node_chosen(fdt, cfg, l));
	snprintf(mem, sizeof(mem), "memory@%llx", (unsigned long long)l->ram_base);
	FDT_TRY(fdt_begin_node(fdt, mem));
	FDT_TRY(fdt_property_string(fdt, "device_type", "memory"));
	FDT_TRY(prop_reg(fdt, l->ram_base, l->ram_size));
	FDT_TRY(fdt_end_node(fdt));
	FDT_TRY(node_cpus(fdt, l));
	FDT_TRY(node_psci_timer(fdt));
	FDT_TRY(node_gic_uart(fdt, l));
	FDT_TRY(fdt_end_node(fdt));
	return fdt_finish(fdt);
}

int dtb_generate(const struct vmm_config *cfg, const struct vmm_layout *l, uint8_t *buf,
		 size_t size, struct vmm_err *err)
{
	int r;

	if (size < VMM_DTB_SIZE)
		return vmm_errf(err, VMM_EXIT_ERROR, "DTB buffer too small");
	memset(buf, 0, size);
	/* Only the fixed 64 KB may hold the tree (s6.2). */
	r = build(buf, VMM_DTB_SIZE, cfg, l);
	if (r < 0) {
		memset(buf, 0, size);
		return vmm_errf(err, VMM_EXIT_USAGE, "DTB does not fit in %llu KB: %s",
				VMM_DTB_SIZE >> 10, fdt_strerror(r));
	}
	return 0;
}

/* Visits every node and property so a malformed structure block is caught here. */
static int walk_all(const void *fdt)
{
	int depth = 0, node = 0, prop, len;

	/* fdt_next_node() signals leaving the root with a negative depth. */
	while (node >= 0 && depth >= 0) {
		fdt_for_each_property_offset(prop, fdt, node)
		{
			if (!fdt_getprop_by_offset(fdt, prop, NULL, &len))
				return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
		}
		if (prop != -FDT_ERR_NOTFOUND)
			return prop;
		if (!fdt_get_name(fdt, node, &len))
			return len;
		node = fdt_next_node(fdt, node, &depth);
	}
	return node >= 0 || node == -FDT_ERR_NOTFOUND ? 0 : node;
}

int dtb_check(const uint8_t *buf, size_t len, struct vmm_err *err)
{
	int r;

	if (len < sizeof(struct fdt_header))
		return vmm_errf(err, VMM_EXIT_ERROR, "--dtb: %zu bytes is too short for a DTB",
				len);
	r = fdt_check_header(buf);
	if (r)
		return vmm_errf(err, VMM_EXIT_ERROR, "--dtb: not a valid DTB: %s", fdt_strerror(r));
	if (fdt_totalsize(buf) > len)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"--dtb: truncated (header says %u bytes, file has %zu)",
				fdt_totalsize(buf), len);
	if (fdt_totalsize(buf) > VMM_DTB_SIZE)
		return vmm_errf(err, VMM_EXIT_ERROR, "--dtb: %u bytes exceed the fixed %llu KB",
				fdt_totalsize(buf), VMM_DTB_SIZE >> 10);
	r = walk_all(buf);
	if (r)
		return vmm_errf(err, VMM_EXIT_ERROR, "--dtb: malformed tree: %s", fdt_strerror(r));
	return 0;
}

int dtb_add_blob(const struct vmm_config *cfg, const struct vmm_layout *l, const uint8_t *user,
		 size_t user_len, struct vmm_blobs *blobs, struct vmm_err *err)
{
	uint8_t *data = calloc(1, VMM_DTB_SIZE);

	if (!data)
		return vmm_errf(err, VMM_EXIT_ERROR, "DTB: out of memory");
	if (user) {
		if (dtb_check(user, user_len, err))
			goto out_free;
		memcpy(data, user, fdt_totalsize(user));
	} else if (dtb_generate(cfg, l, data, VMM_DTB_SIZE, err)) {
		goto out_free;
	}
	return vmm_blobs_add(blobs, "dtb", l->dtb_gpa, VMM_DTB_SIZE, data, err);
out_free:
	free(data);
	return -1;
}
