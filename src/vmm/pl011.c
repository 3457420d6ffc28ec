/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A PL011-compatible UART (ARM DDI 0183, PrimeCell UART): transmit through
 * DR to the console; the receive FIFO is always empty; FR reports TXFE and
 * RXFE (never TXFF or BUSY, so a polling driver never waits); the control
 * and interrupt registers read back what was written; the peripheral and
 * PrimeCell ID registers identify a PL011 r1p5 so Linux's amba-pl011
 * probes it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "layout.h"

#define UART_DR	   0x000
#define UART_RSR   0x004
#define UART_FR	   0x018
#define UART_ILPR  0x020
#define UART_IBRD  0x024
#define UART_FBRD  0x028
#define UART_LCRH  0x02C
#define UART_CR	   0x030
#define UART_IFLS  0x034
#define UART_IMSC  0x038
#define UART_RIS   0x03C
#define UART_MIS   0x040
#define UART_ICR   0x044
#define UART_DMACR 0x048
#define UART_ID	   0xFE0 /* PeriphID0..3, then PCellID0..3 at 0xFF0 */

#define FR_RXFE	 (1u << 4)
#define FR_TXFE	 (1u << 7)
#define INT_TX	 (1u << 5)
#define CR_RESET 0x300u /* TXE | RXE */

static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct pl011 {
	pthread_mutex_t lock;
	FILE *out;
	uint32_t ilpr, ibrd, fbrd, lcrh, cr, ifls, imsc, dmacr;
};

static void *pl011_create(const struct vmm_device_env *env)
{
	struct pl011 *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	pthread_mutex_init(&u->lock, NULL);
	u->out = env->console;
	u->cr = CR_RESET;
	u->ifls = 0x12;
	return u;
}

static void pl011_destroy(void *dev)
{
	struct pl011 *u = dev;

	if (u->out)
		fflush(u->out);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

static uint32_t *reg(struct pl011 *u, uint64_t off)
{
	switch (off) {
	case UART_ILPR:
		return &u->ilpr;
	case UART_IBRD:
		return &u->ibrd;
	case UART_FBRD:
		return &u->fbrd;
	case UART_LCRH:
		return &u->lcrh;
	case UART_CR:
		return &u->cr;
	case UART_IFLS:
		return &u->ifls;
	case UART_IMSC:
		return &u->imsc;
	case UART_DMACR:
		return &u->dmacr;
	default:
		return NULL;
	}
}

static uint32_t pl011_value(struct pl011 *u, uint64_t off)
{
	uint32_t *r = reg(u, off);

	if (r)
		return *r;
	switch (off) {
	case UART_FR:
		return FR_TXFE | FR_RXFE;
	case UART_RIS:
		return INT_TX; /* the transmit FIFO is always below its level */
	case UART_MIS:
		return INT_TX & u->imsc;
	default:
		if (off >= UART_ID && off < UART_ID + 32 && !(off & 3))
			return pl011_id[(off - UART_ID) / 4];
		return 0; /* DR (receive FIFO empty), RSR, ICR and reserved offsets */
	}
}

static void pl011_read(void *dev, uint64_t off, uint8_t *data, unsigned int len)
{
	struct pl011 *u = dev;
	uint64_t v;

	pthread_mutex_lock(&u->lock);
	/* Sub-word accesses read the bytes of the aligned 32-bit register. */
	v = pl011_value(u, off & ~3ull) >> (8 * (off & 3));
	pthread_mutex_unlock(&u->lock);
	memcpy(data, &v, len);
}

static void pl011_write(void *dev, uint64_t off, const uint8_t *data, unsigned int len)
{
	struct pl011 *u = dev;
	uint64_t v = 0;
	uint32_t *r;

	memcpy(&v, data, len);
	pthread_mutex_lock(&u->lock);
	if (off == UART_DR) {
		if (u->out) {
			fputc((int)(v & 0xff), u->out);
			if ((v & 0xff) == '\n')
				fflush(u->out);
		}
	} else if ((r = reg(u, off)) != NULL && len >= 2) {
		*r = (uint32_t)v;
	}
	pthread_mutex_unlock(&u->lock);
}

const struct vmm_device_ops pl011_ops = {
	.name = "pl011",
	.base = VMM_UART_BASE,
	.size = VMM_UART_SIZE,
	.create = pl011_create,
	.destroy = pl011_destroy,
	.read = pl011_read,
	.write = pl011_write,
};
