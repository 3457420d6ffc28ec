/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Image loaders (src/vmm/loader.c): each format loads where its rules say
 * (ELF by p_paddr with .bss zeroed; arm64 Image at RAM base + text_offset
 * per booting.rst; raw at RAM base; initrd just below the DTB,
 * kvm-cca-host.md s6.2), and every class of malformed input is an error
 * with a message naming the problem (exit status 1), never a crash.
 */
#include <stdlib.h>

#include "construct.h"
#include "loader.h"
#include "vmm_test.h"

static const uint8_t code[16] = { 0x1f, 0x20, 0x03, 0xd5, 0x1f, 0x20, 0x03, 0xd5,
				  0x1f, 0x20, 0x03, 0xd5, 0x00, 0x00, 0x00, 0x14 };
static uint8_t buf[16384];

struct ctx {
	struct vmm_layout l;
	struct vmm_blobs blobs;
	struct vmm_err err;
	uint64_t entry;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct vmm_config cfg;

	vmm_config_defaults(&cfg);
	cfg.ram_size = 64ULL << 20;
	assert_int_equal(layout_init(&c->l, &cfg, &c->err), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	vmm_blobs_free(&c->blobs);
	free(c);
	return 0;
}

static int load(struct ctx *c, size_t len)
{
	return loader_load_kernel(buf, len, &c->l, &c->blobs, &c->entry, &c->err);
}

static void elf_bss_zeroed_and_entry(void **state)
{
	struct ctx *c = *state;
	struct test_seg s[2] = {
		{ .pa = 0x80001000, .memsz = 0x2000, .data = code, .filesz = sizeof(code) },
		{ .pa = 0x80003000, .memsz = 0x100, .data = code, .filesz = 8 },
	};
	size_t len = test_elf(buf, sizeof(buf), s, 2, 0x80001004);

	assert_int_equal(load(c, len), 0);
	assert_int_equal(loader_detect(buf, len), LOADER_ELF);
	/* The segments' pages touch: one blob [0x80001000, 0x80004000). */
	assert_int_equal(c->blobs.n, 1);
	assert_int_equal(c->blobs.v[0].gpa, 0x80001000);
	assert_int_equal(c->blobs.v[0].size, 0x3000);
	assert_memory_equal(c->blobs.v[0].data, code, sizeof(code));
	for (size_t i = sizeof(code); i < 0x2000; i++) /* .bss */
		assert_int_equal(c->blobs.v[0].data[i], 0);
	assert_memory_equal(c->blobs.v[0].data + 0x2000, code, 8);
	assert_int_equal(c->entry, 0x80001004);
}

static void elf_far_segments_two_blobs_and_vaddr_entry(void **state)
{
	struct ctx *c = *state;
	struct test_seg s[2] = {
		{ .pa = 0x80000000,
		  .va = 0xffff000000000000ULL,
		  .memsz = 0x1000,
		  .data = code,
		  .filesz = sizeof(code) },
		{ .pa = 0x80100000, .memsz = 0x1000, .data = code, .filesz = sizeof(code) },
	};
	size_t len = test_elf(buf, sizeof(buf), s, 2, 0xffff000000000008ULL);

	assert_int_equal(load(c, len), 0);
	assert_int_equal(c->blobs.n, 2);
	assert_int_equal(c->blobs.v[1].gpa, 0x80100000);
	/* The entry is virtual: translated through its segment to 0x80000008. */
	assert_int_equal(c->entry, 0x80000008);
}

static void image_at_text_offset(void **state)
{
	struct ctx *c = *state;
	uint64_t hdr[8] = { 0, 0x80000, 0x3000, 0xa, 0, 0, 0, 0 };
	uint32_t magic = ARM64_IMAGE_MAGIC;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + ARM64_IMAGE_MAGIC_OFF, &magic, 4);
	memcpy(buf + 64, code, sizeof(code));
	assert_int_equal(loader_detect(buf, 0x1000), LOADER_IMAGE);
	assert_int_equal(load(c, 0x1000), 0);
	assert_int_equal(c->blobs.n, 1);
	assert_int_equal(c->blobs.v[0].gpa, 0x80080000);
	assert_int_equal(c->blobs.v[0].size, 0x3000); /* image_size covers .bss */
	assert_int_equal(c->entry, 0x80080000);
	assert_memory_equal(c->blobs.v[0].data + 64, code, sizeof(code));
}

static void raw_at_ram_base(void **state)
{
	struct ctx *c = *state;

	memcpy(buf, code, sizeof(code));
	assert_int_equal(loader_detect(buf, sizeof(code)), LOADER_RAW);
	assert_int_equal(load(c, sizeof(code)), 0);
	assert_int_equal(c->blobs.v[0].gpa, 0x80000000);
	assert_int_equal(c->blobs.v[0].size, 0x1000);
	assert_int_equal(c->entry, 0x80000000);
}

/* ---- malformed ELF, one class per case ---- */

static size_t good_elf(void)
{
	struct test_seg s = {
		.pa = 0x80000000, .memsz = 0x1000, .data = code, .filesz = sizeof(code)
	};

	return test_elf(buf, sizeof(buf), &s, 1, 0x80000000);
}

static void elf_truncated_header(void **state)
{
	struct ctx *c = *state;

	good_elf();
	assert_int_equal(load(c, 40), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "truncated header");
}

static void elf_truncated_phdrs(void **state)
{
	struct ctx *c = *state;

	good_elf();
	assert_int_equal(load(c, sizeof(Elf64_Ehdr) + 10), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "truncated program headers");
}

static void elf_truncated_segment(void **state)
{
	struct ctx *c = *state;
	size_t len = good_elf();

	assert_int_equal(load(c, len - 4), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "beyond the end of the file");
}

static void elf_bad_class_machine_type(void **state)
{
	struct ctx *c = *state;
	size_t len = good_elf();

	buf[EI_CLASS] = ELFCLASS32;
	assert_int_equal(load(c, len), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "not a 64-bit ELF");
	len = good_elf();
	buf[18] = EM_X86_64; /* e_machine */
	assert_int_equal(load(c, len), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "not AArch64");
	len = good_elf();
	buf[16] = ET_DYN; /* e_type */
	assert_int_equal(load(c, len), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "not an executable");
}

static void elf_filesz_above_memsz(void **state)
{
	struct ctx *c = *state;
	struct test_seg s = { .pa = 0x80000000, .memsz = 8, .data = code, .filesz = 16 };
	size_t len = test_elf(buf, sizeof(buf), &s, 1, 0x80000000);

	assert_int_equal(load(c, len), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "p_filesz");
}

static void elf_segment_outside_ram(void **state)
{
	struct ctx *c = *state;
	struct test_seg below = { .pa = 0x7ffff000, .memsz = 0x1000, .data = code, .filesz = 16 };
	/* 64 MB RAM: the DTB is at 0x83e00000 and the kernel must end below it. */
	struct test_seg over_dtb = {
		.pa = 0x83dff000, .memsz = 0x2000, .data = code, .filesz = 16
	};
	struct test_seg wrap = {
		.pa = 0xfffffffffffff000ULL, .memsz = 0x2000, .data = code, .filesz = 16
	};

	assert_int_equal(load(c, test_elf(buf, sizeof(buf), &below, 1, below.pa)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "outside guest RAM");
	assert_int_equal(load(c, test_elf(buf, sizeof(buf), &over_dtb, 1, over_dtb.pa)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "outside guest RAM below 0x83e00000");
	assert_int_equal(load(c, test_elf(buf, sizeof(buf), &wrap, 1, wrap.pa)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "outside guest RAM");
}

static void elf_overlapping_segments(void **state)
{
	struct ctx *c = *state;
	struct test_seg s[2] = {
		{ .pa = 0x80000000, .memsz = 0x2000, .data = code, .filesz = 16 },
		{ .pa = 0x80001000, .memsz = 0x1000, .data = code, .filesz = 16 },
	};

	assert_int_equal(load(c, test_elf(buf, sizeof(buf), s, 2, 0x80000000)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "overlap");
}

static void elf_no_load_or_bad_entry(void **state)
{
	struct ctx *c = *state;
	struct test_seg note = {
		.pa = 0x80000000, .memsz = 16, .data = code, .filesz = 16, .type = PT_NOTE
	};
	struct test_seg s = { .pa = 0x80000000, .memsz = 0x1000, .data = code, .filesz = 16 };

	assert_int_equal(load(c, test_elf(buf, sizeof(buf), &note, 1, 0x80000000)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "no loadable segment");
	assert_int_equal(load(c, test_elf(buf, sizeof(buf), &s, 1, 0x90000000)), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "entry point");
}

/* ---- malformed Image and raw ---- */

static void image_header(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	uint64_t hdr[8] = { 0, text_offset, image_size, flags, 0, 0, 0, 0 };
	uint32_t magic = ARM64_IMAGE_MAGIC;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + ARM64_IMAGE_MAGIC_OFF, &magic, 4);
}

static void image_bad_headers(void **state)
{
	struct ctx *c = *state;

	image_header(0x80000, 0x2000, ARM64_IMAGE_FLAG_BE);
	assert_int_equal(load(c, 0x1000), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "big-endian");
	image_header(0x80000, 0x800, 0);
	assert_int_equal(load(c, 0x1000), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "smaller than the file");
	image_header(0x80010, 0x2000, 0);
	assert_int_equal(load(c, 0x1000), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "not page-aligned");
	image_header(0x80000, 1ULL << 40, 0);
	assert_int_equal(load(c, 0x1000), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "does not fit");
	image_header(UINT64_MAX & ~0xfffULL, 0x2000, 0);
	assert_int_equal(load(c, 0x1000), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "does not fit");
}

static void raw_empty_or_too_big(void **state)
{
	struct ctx *c = *state;
	uint8_t *big = calloc(1, 70ULL << 20);

	assert_int_equal(loader_load_kernel(big, 0, &c->l, &c->blobs, &c->entry, &c->err), -1);
	assert_err(c->err, VMM_EXIT_ERROR, "empty");
	assert_int_equal(loader_load_kernel(big, 70ULL << 20, &c->l, &c->blobs, &c->entry, &c->err),
			 -1);
	assert_err(c->err, VMM_EXIT_ERROR, "outside guest RAM");
	free(big);
}

/* ---- initrd and whole plans ---- */

static void plan_initrd_below_dtb(void **state)
{
	struct vmm_config cfg;
	struct vmm_plan plan;
	struct vmm_err err = { 0 };
	static uint8_t initrd[5000];

	(void)state;
	vmm_config_defaults(&cfg);
	memset(initrd, 0x5a, sizeof(initrd));
	assert_int_equal(vmm_plan_build_mem(&cfg, code, sizeof(code), initrd, sizeof(initrd), NULL,
					    0, &plan, &err),
			 0);
	/* Sorted by GPA: kernel, initrd, dtb (s6.3); initrd page-aligned just below the DTB. */
	assert_int_equal(plan.blobs.n, 3);
	assert_string_equal(plan.blobs.v[1].name, "initrd");
	assert_int_equal(plan.blobs.v[1].gpa, 0x8FE00000 - 0x2000);
	assert_int_equal(plan.blobs.v[1].size, 0x2000);
	assert_int_equal(plan.blobs.v[1].data[4999], 0x5a);
	assert_int_equal(plan.blobs.v[1].data[5000], 0);
	assert_string_equal(plan.blobs.v[2].name, "dtb");
	assert_int_equal(plan.blobs.v[2].gpa, 0x8FE00000);
	vmm_plan_free(&plan);
}

static void plan_initrd_too_big_or_kernel_overlap(void **state)
{
	struct vmm_config cfg;
	struct vmm_plan plan;
	struct vmm_err err = { 0 };
	uint8_t *initrd = calloc(1, 8ULL << 20);
	struct test_seg s = { .pa = 0x80000000, .memsz = 0x300000, .data = code, .filesz = 16 };
	size_t len = test_elf(buf, sizeof(buf), &s, 1, 0x80000000);

	(void)state;
	vmm_config_defaults(&cfg);
	cfg.ram_size = 8ULL << 20; /* DTB at 0x80600000 */
	assert_int_equal(
		vmm_plan_build_mem(&cfg, code, 16, initrd, 8ULL << 20, NULL, 0, &plan, &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "does not fit below the DTB");
	/* A 3 MB kernel and a 4 MB initrd collide below the DTB. */
	assert_int_equal(
		vmm_plan_build_mem(&cfg, buf, len, initrd, 4ULL << 20, NULL, 0, &plan, &err), -1);
	assert_err(err, VMM_EXIT_ERROR, "outside guest RAM below 0x80200000");
	free(initrd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(elf_bss_zeroed_and_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_far_segments_two_blobs_and_vaddr_entry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(image_at_text_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_at_ram_base, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_truncated_header, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_truncated_phdrs, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_truncated_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_bad_class_machine_type, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_filesz_above_memsz, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_segment_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_overlapping_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(elf_no_load_or_bad_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(image_bad_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_empty_or_too_big, setup, teardown),
		cmocka_unit_test(plan_initrd_below_dtb),
		cmocka_unit_test(plan_initrd_too_big_or_kernel_overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
