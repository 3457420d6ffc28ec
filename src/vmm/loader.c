/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel and initrd loaders (loader.h). Nothing here trusts the input. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define LOADER_MAX_SEGS 64

struct seg {
	uint64_t pa, va, memsz, off, filesz;
};

static uint64_t page_down(uint64_t v)
{
	return v & ~(VMM_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t v)
{
	return (v + VMM_PAGE_SIZE - 1) & ~(VMM_PAGE_SIZE - 1);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

enum loader_format loader_detect(const uint8_t *buf, size_t len)
{
	if (len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG))
		return LOADER_ELF;
	if (len >= ARM64_IMAGE_HDR_SIZE && rd32(buf + ARM64_IMAGE_MAGIC_OFF) == ARM64_IMAGE_MAGIC)
		return LOADER_IMAGE;
	return LOADER_RAW;
}

const char *loader_format_name(enum loader_format f)
{
	switch (f) {
	case LOADER_ELF:
		return "ELF";
	case LOADER_IMAGE:
		return "arm64 Image";
	default:
		return "raw binary";
	}
}

/* [pa, pa + size) inside [ram_base, top), without overflow. */
static int check_window(const char *what, uint64_t pa, uint64_t size, const struct vmm_layout *l,
			uint64_t top, struct vmm_err *err)
{
	if (pa < l->ram_base || pa >= top || size > top - pa)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"%s [0x%llx, +0x%llx) is outside guest RAM below 0x%llx "
				"(RAM 0x%llx..0x%llx)",
				what, (unsigned long long)pa, (unsigned long long)size,
				(unsigned long long)top, (unsigned long long)l->ram_base,
				(unsigned long long)layout_ram_end(l));
	return 0;
}

/* One blob [page_down(lo), page_up(hi)) holding segs[first..last]. */
static int add_group(const uint8_t *buf, const struct seg *s, unsigned int first, unsigned int last,
		     struct vmm_blobs *blobs, struct vmm_err *err)
{
	uint64_t lo = page_down(s[first].pa), hi = 0;
	uint8_t *data;

	for (unsigned int i = first; i <= last; i++)
		if (s[i].pa + s[i].memsz > hi)
			hi = s[i].pa + s[i].memsz;
	hi = page_up(hi);
	data = calloc(1, hi - lo);
	if (!data)
		return vmm_errf(err, VMM_EXIT_ERROR, "kernel: out of memory");
	/* .bss (memsz beyond filesz) and padding stay zero. */
	for (unsigned int i = first; i <= last; i++)
		memcpy(data + (s[i].pa - lo), buf + s[i].off, s[i].filesz);
	return vmm_blobs_add(blobs, "kernel", lo, hi - lo, data, err);
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static int elf_header(const uint8_t *buf, size_t len, Elf64_Ehdr *eh, struct vmm_err *err)
{
	if (len < sizeof(*eh))
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: truncated header (%zu bytes)", len);
	memcpy(eh, buf, sizeof(*eh));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: not a 64-bit ELF (class %u)",
				eh->e_ident[EI_CLASS]);
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: not little-endian");
	if (eh->e_machine != EM_AARCH64)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: machine %u is not AArch64",
				eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: type %u is not an executable",
				eh->e_type);
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: bad program header table (%u x %u)",
				eh->e_phnum, eh->e_phentsize);
	if (eh->e_phoff > len || (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"ELF: truncated program headers (%u at 0x%llx, file %zu bytes)",
				eh->e_phnum, (unsigned long long)eh->e_phoff, len);
	return 0;
}

/* Collects and validates the PT_LOAD segments with bytes in memory. */
static int elf_segments(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
			const struct vmm_layout *l, struct seg *s, unsigned int *ns,
			struct vmm_err *err)
{
	char what[48];

	*ns = 0;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (*ns == LOADER_MAX_SEGS)
			return vmm_errf(err, VMM_EXIT_ERROR, "ELF: more than %u PT_LOAD segments",
					LOADER_MAX_SEGS);
		if (ph.p_filesz > ph.p_memsz)
			return vmm_errf(err, VMM_EXIT_ERROR,
					"ELF: segment %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
					(unsigned long long)ph.p_filesz,
					(unsigned long long)ph.p_memsz);
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
			return vmm_errf(err, VMM_EXIT_ERROR,
					"ELF: segment %u: file bytes [0x%llx, +0x%llx) beyond the "
					"end of the file (%zu bytes)",
					i, (unsigned long long)ph.p_offset,
					(unsigned long long)ph.p_filesz, len);
		snprintf(what, sizeof(what), "ELF segment %u", i);
		if (check_window(what, ph.p_paddr, ph.p_memsz, l, l->kernel_top, err))
			return -1;
		s[(*ns)++] = (struct seg){ .pa = ph.p_paddr,
					   .va = ph.p_vaddr,
					   .memsz = ph.p_memsz,
					   .off = ph.p_offset,
					   .filesz = ph.p_filesz };
	}
	if (*ns == 0)
		return vmm_errf(err, VMM_EXIT_ERROR, "ELF: no loadable segment");
	qsort(s, *ns, sizeof(*s), seg_cmp);
	for (unsigned int i = 1; i < *ns; i++)
		if (s[i].pa < s[i - 1].pa + s[i - 1].memsz)
			return vmm_errf(
				err, VMM_EXIT_ERROR, "ELF: segments at 0x%llx and 0x%llx overlap",
				(unsigned long long)s[i - 1].pa, (unsigned long long)s[i].pa);
	return 0;
}

static int load_elf(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		    struct vmm_blobs *blobs, uint64_t *entry, struct vmm_err *err)
{
	struct seg s[LOADER_MAX_SEGS];
	unsigned int ns, first = 0;
	Elf64_Ehdr eh;
	bool found = false;

	if (elf_header(buf, len, &eh, err) || elf_segments(buf, len, &eh, l, s, &ns, err))
		return -1;
	/* The entry is a virtual address: translate it through its segment. */
	for (unsigned int i = 0; i < ns && !found; i++) {
		if (eh.e_entry >= s[i].va && eh.e_entry - s[i].va < s[i].memsz) {
			*entry = s[i].pa + (eh.e_entry - s[i].va);
			found = true;
		}
	}
	if (!found)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"ELF: entry point 0x%llx is outside every loadable segment",
				(unsigned long long)eh.e_entry);
	for (unsigned int i = 1; i <= ns; i++) {
		/* A new blob when this segment's first page is past the group's last. */
		if (i == ns || page_down(s[i].pa) > page_up(s[i - 1].pa + s[i - 1].memsz)) {
			if (add_group(buf, s, first, i - 1, blobs, err))
				return -1;
			first = i;
		}
	}
	return 0;
}

/* One blob at gpa with len bytes of buf and zeros up to size. */
static int add_flat(const char *name, const uint8_t *buf, size_t len, uint64_t gpa, uint64_t size,
		    struct vmm_blobs *blobs, struct vmm_err *err)
{
	uint64_t span = page_up(size);
	uint8_t *data = calloc(1, span);

	if (!data)
		return vmm_errf(err, VMM_EXIT_ERROR, "%s: out of memory", name);
	memcpy(data, buf, len);
	return vmm_blobs_add(blobs, name, gpa, span, data, err);
}

static int load_image(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		      struct vmm_blobs *blobs, uint64_t *entry, struct vmm_err *err)
{
	uint64_t text_offset = rd64(buf + 8), image_size = rd64(buf + 16), flags = rd64(buf + 24);
	uint64_t room = l->kernel_top - l->ram_base;

	if (flags & ARM64_IMAGE_FLAG_BE)
		return vmm_errf(err, VMM_EXIT_ERROR, "Image: big-endian kernels are not supported");
	if (image_size == 0) {
		text_offset = ARM64_IMAGE_OLD_TEXT_OFFSET;
		image_size = len;
	}
	if (image_size < len)
		return vmm_errf(
			err, VMM_EXIT_ERROR,
			"Image: header image_size 0x%llx is smaller than the file (%zu bytes)",
			(unsigned long long)image_size, len);
	if (text_offset % VMM_PAGE_SIZE)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"Image: text_offset 0x%llx is not page-aligned",
				(unsigned long long)text_offset);
	if (text_offset >= room || image_size > room - text_offset)
		return vmm_errf(err, VMM_EXIT_ERROR,
				"Image: text_offset 0x%llx + image_size 0x%llx does not fit in "
				"the 0x%llx bytes of RAM below 0x%llx",
				(unsigned long long)text_offset, (unsigned long long)image_size,
				(unsigned long long)room, (unsigned long long)l->kernel_top);
	/* booting.rst: load at a 2 MB aligned base (RAM base) + text_offset. */
	*entry = l->ram_base + text_offset;
	return add_flat("kernel", buf, len, *entry, image_size, blobs, err);
}

int loader_load_kernel(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		       struct vmm_blobs *blobs, uint64_t *entry, struct vmm_err *err)
{
	if (len == 0)
		return vmm_errf(err, VMM_EXIT_ERROR, "kernel image is empty");
	switch (loader_detect(buf, len)) {
	case LOADER_ELF:
		return load_elf(buf, len, l, blobs, entry, err);
	case LOADER_IMAGE:
		return load_image(buf, len, l, blobs, entry, err);
	default:
		if (check_window("raw kernel", l->ram_base, len, l, l->kernel_top, err))
			return -1;
		*entry = l->ram_base;
		return add_flat("kernel", buf, len, l->ram_base, len, blobs, err);
	}
}

int loader_load_initrd(const uint8_t *buf, size_t len, const struct vmm_layout *l,
		       struct vmm_blobs *blobs, struct vmm_err *err)
{
	if (len == 0 || len != l->initrd_size)
		return vmm_errf(err, VMM_EXIT_ERROR, "initrd: size %zu does not match the layout",
				len);
	if (check_window("initrd", l->initrd_gpa, len, l, l->dtb_gpa, err))
		return -1;
	return add_flat("initrd", buf, len, l->initrd_gpa, len, blobs, err);
}
