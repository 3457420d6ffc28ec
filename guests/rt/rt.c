/* SPDX-License-Identifier: BSD-3-Clause */
/* The realm guest runtime (see rt.h). */
#include "rt.h"

unsigned int rt_ipa_width;
static rt_exception_fn exception_fn;
static struct {
	void (*fn)(uint64_t);
	uint64_t arg;
} secondary[RT_MAX_CPUS];
/* One 4 KB page for RSI_REALM_CONFIG and one 256-byte RsiHostCall per CPU. */
static uint8_t config_page[4096] __attribute__((aligned(4096)));
static struct rsi_host_call host_call_buf[RT_MAX_CPUS] __attribute__((aligned(256)));

struct rt_smc_ret rt_smc(uint64_t fid, const uint64_t a[10])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a[0];
	register uint64_t x2 __asm__("x2") = a[1];
	register uint64_t x3 __asm__("x3") = a[2];
	register uint64_t x4 __asm__("x4") = a[3];
	register uint64_t x5 __asm__("x5") = a[4];
	register uint64_t x6 __asm__("x6") = a[5];
	register uint64_t x7 __asm__("x7") = a[6];
	register uint64_t x8 __asm__("x8") = a[7];
	register uint64_t x9 __asm__("x9") = a[8];
	register uint64_t x10 __asm__("x10") = a[9];
	struct rt_smc_ret r;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x7), "+r"(x8), "+r"(x9), "+r"(x10)
			 :
			 : "memory");
	r.x[0] = x0;
	r.x[1] = x1;
	r.x[2] = x2;
	r.x[3] = x3;
	r.x[4] = x4;
	r.x[5] = x5;
	r.x[6] = x6;
	r.x[7] = x7;
	r.x[8] = x8;
	return r;
}

struct rt_smc_ret rt_smc4(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	const uint64_t a[10] = { a1, a2, a3, a4 };

	return rt_smc(fid, a);
}

uint64_t rt_shared(uint64_t ipa)
{
	return ipa | (1ULL << (rt_ipa_width - 1));
}

unsigned int rt_cpu(void)
{
	uint64_t m = rt_read_mpidr();

	return (unsigned int)((m & 0xf) | ((m >> 8) & 0xff) << 4);
}

uint64_t rt_mpidr_of(unsigned int cpu)
{
	return (uint64_t)(cpu & 0xf) | (uint64_t)(cpu >> 4) << 8;
}

/* ---- Console ---- */

#define PL011_DR      0x00
#define PL011_FR      0x18
#define PL011_FR_TXFF (1u << 5)

void rt_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)rt_shared(RK_GUEST_UART_GPA);

	if (!rt_ipa_width)
		return;
	while (uart[PL011_FR / 4] & PL011_FR_TXFF)
		;
	uart[PL011_DR / 4] = (uint8_t)c;
}

void rt_puts(const char *s)
{
	while (*s)
		rt_putc(*s++);
}

static void put_num(uint64_t v, unsigned int base, int width, char pad, bool neg)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (n < width--)
		rt_putc(pad);
	while (n)
		rt_putc(buf[--n]);
}

void rt_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		uint64_t v;

		if (*fmt != '%') {
			rt_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			int64_t s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_num(s < 0 ? (uint64_t)-s : (uint64_t)s, 10, width, pad, s < 0);
			break;
		}
		case 'u':
		case 'x':
			v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
			put_num(v, *fmt == 'x' ? 16 : 10, width, pad, false);
			break;
		case 'p':
			put_num((uint64_t)va_arg(ap, void *), 16, width, pad, false);
			break;
		case 's':
			rt_puts(va_arg(ap, const char *));
			break;
		case 'c':
			rt_putc((char)va_arg(ap, int));
			break;
		case '%':
			rt_putc('%');
			break;
		default:
			rt_putc('?');
		}
	}
}

void rt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
}

/* ---- Host calls ---- */

uint64_t rt_host_call(uint64_t fid, const uint64_t a[6], uint64_t out[7])
{
	struct rsi_host_call *hc = &host_call_buf[rt_cpu()];
	struct rt_smc_ret r;

	memset(hc, 0, sizeof(*hc));
	hc->gprs[0] = fid;
	for (int i = 0; i < 6 && a; i++)
		hc->gprs[i + 1] = a[i];
	r = rt_smc4(RSI_HOST_CALL, (uint64_t)hc, 0, 0, 0);
	if (r.x[0] != RSI_SUCCESS)
		return ~0ULL;
	for (int i = 0; i < 7 && out; i++)
		out[i] = hc->gprs[i];
	return hc->gprs[0];
}

void rt_report(uint64_t a, uint64_t b, uint64_t c)
{
	const uint64_t args[6] = { a, b, c };

	rt_host_call(RK_HC_REPORT, args, NULL);
}

void rt_exit(uint64_t code)
{
	const uint64_t args[6] = { code };

	rt_host_call(RK_HC_EXIT, args, NULL);
	rt_psci_system_off();
}

/* ---- PSCI ---- */

static void secondary_entry(uint64_t ctx, unsigned int cpu)
{
	(void)ctx;
	if (cpu < RT_MAX_CPUS && secondary[cpu].fn)
		secondary[cpu].fn(secondary[cpu].arg);
	rt_psci_cpu_off();
}

extern char _start[];

int64_t rt_psci_cpu_on(uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg)
{
	unsigned int cpu = (unsigned int)((mpidr & 0xf) | ((mpidr >> 8) & 0xff) << 4);

	if (cpu < RT_MAX_CPUS) {
		secondary[cpu].fn = fn;
		secondary[cpu].arg = arg;
		__asm__ volatile("dmb ish" ::: "memory");
	}
	return (int64_t)rt_smc4(PSCI_CPU_ON_64, mpidr, (uint64_t)_start, cpu, 0).x[0];
}

int64_t rt_psci_affinity_info(uint64_t mpidr)
{
	return (int64_t)rt_smc4(PSCI_AFFINITY_INFO_64, mpidr, 0, 0, 0).x[0];
}

void rt_psci_cpu_off(void)
{
	rt_smc4(PSCI_CPU_OFF, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void rt_psci_system_off(void)
{
	rt_smc4(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void rt_psci_system_reset(void)
{
	rt_smc4(PSCI_SYSTEM_RESET, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

/* ---- Exceptions and entry ---- */

void rt_set_exception_handler(rt_exception_fn fn)
{
	exception_fn = fn;
}

void rt_exception(struct rt_frame *f, unsigned int vector);
void rt_exception(struct rt_frame *f, unsigned int vector)
{
	if (exception_fn && exception_fn(f, vector))
		return;
	rt_printf("unexpected exception: vector %u esr 0x%lx far 0x%lx elr 0x%lx\n", vector, f->esr,
		  f->far, f->elr);
	rt_exit(0xE0 + vector);
}

void rt_entry(uint64_t x0, unsigned int cpu);
void rt_entry(uint64_t x0, unsigned int cpu)
{
	if (cpu != 0) {
		secondary_entry(x0, cpu);
		return;
	}
	/* The IPA width gives the shared bit the console needs. */
	if (rt_smc4(RSI_REALM_CONFIG, (uint64_t)config_page, 0, 0, 0).x[0] == RSI_SUCCESS)
		rt_ipa_width = (unsigned int)((struct rsi_realm_config *)config_page)->ipa_width;
	rt_exit((uint64_t)main(x0));
}

/* ---- The C library subset the compiler may call ---- */

void *memset(void *s, int c, size_t n)
{
	uint8_t *p = s;

	while (n--)
		*p++ = (uint8_t)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}
