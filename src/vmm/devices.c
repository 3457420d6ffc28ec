/* SPDX-License-Identifier: BSD-3-Clause */
/* The device list and MMIO dispatch (devices.h). */
#include <string.h>

#include "devices.h"

/* The one ordered list of devices. */
static const struct vmm_device_ops *const device_list[] = {
	&pl011_ops,
	&testdev_ops,
};

int devices_init(struct vmm_devices *d, const struct vmm_device_env *env)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < sizeof(device_list) / sizeof(device_list[0]); i++) {
		void *dev;

		if (device_list[i]->enabled && !device_list[i]->enabled(env))
			continue;
		dev = device_list[i]->create(env);
		if (!dev) {
			devices_fini(d);
			return -1;
		}
		d->ops[d->n] = device_list[i];
		d->dev[d->n++] = dev;
	}
	return 0;
}

void devices_fini(struct vmm_devices *d)
{
	while (d->n) {
		d->n--;
		d->ops[d->n]->destroy(d->dev[d->n]);
	}
}

bool devices_mmio(struct vmm_devices *d, uint64_t gpa, uint8_t *data, unsigned int len,
		  bool is_write)
{
	for (unsigned int i = 0; i < d->n; i++) {
		const struct vmm_device_ops *o = d->ops[i];

		if (gpa < o->base || gpa - o->base >= o->size || len > o->size - (gpa - o->base))
			continue;
		if (is_write)
			o->write(d->dev[i], gpa - o->base, data, len);
		else
			o->read(d->dev[i], gpa - o->base, data, len);
		return true;
	}
	if (!is_write)
		memset(data, 0, len);
	return false;
}
