/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --trace output (src/vmm/trace.c) is valid Chrome trace-event JSON
 * (checked with python3 -m json.tool and by reading it back), with a host
 * track and one per vCPU, REC_ENTER as a span and other RMI calls as
 * instants; and the PL011 (src/vmm/pl011.c) through the device list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <realmkit/abi/rmi.h>

#include "devices.h"
#include "layout.h"
#include "trace.h"
#include "vmm_test.h"

static const char check_py[] =
	"import json,sys\n"
	"d=json.load(open(sys.argv[1]))\n"
	"ev=d['traceEvents']\n"
	"names={e['args']['name'] for e in ev if e['name']=='thread_name'}\n"
	"assert names=={'host','vCPU 0','vCPU 1'}, names\n"
	"x=[e for e in ev if e['ph']=='X']\n"
	"assert [e['name'] for e in x]==['KVM_RUN','REC_ENTER','exit MMIO'], x\n"
	"assert x[1]['tid']==2 and x[1]['args']['status']=='RMI_SUCCESS'\n"
	"i=[e for e in ev if e['ph']=='i']\n"
	"assert i[0]['name']=='RMI_DATA_CREATE' and i[0]['tid']==0\n"
	"assert i[0]['args']['x3']=='0x80000000'\n"
	"assert i[1]['args']['status']=='RMI_ERROR_RTT' and i[1]['args']['index']==2\n"
	"print('ok')\n";

static void trace_json_valid(void **state)
{
	char path[] = "/tmp/rk_vmm_trace_XXXXXX", py[] = "/tmp/rk_vmm_trace_py_XXXXXX";
	char cmd[512], out[16] = "";
	uint64_t args[6] = { 0x1000, 0x2000, 0x80000000, 0x3000, 1, 0 }, ret[5] = { 0 };
	struct vmm_err err = { 0 };
	struct vmm_trace *t;
	FILE *f;
	int fd = mkstemp(path), pfd = mkstemp(py);

	(void)state;
	close(fd);
	assert_int_equal(write(pfd, check_py, sizeof(check_py) - 1), (ssize_t)sizeof(check_py) - 1);
	close(pfd);
	t = trace_open(path, 2, &err);
	assert_non_null(t);
	trace_span(t, 1, "KVM_RUN", trace_now_ns(), trace_now_ns() + 1000, "\"exit\": \"MMIO\"");
	trace_rmi(t, 1, RMI_REC_ENTER, args, ret, trace_now_ns(), trace_now_ns() + 500);
	trace_rmi(t, TRACE_HOST, RMI_DATA_CREATE, args, ret, trace_now_ns(), trace_now_ns());
	ret[0] = rmi_pack(RMI_ERROR_RTT, 2);
	trace_rmi(t, TRACE_HOST, RMI_RTT_INIT_RIPAS, args, ret, trace_now_ns(), trace_now_ns());
	trace_span(t, 1, "exit MMIO", trace_now_ns(), trace_now_ns(), "\"gpa\": \"0x1000000\"");
	trace_close(t);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -m json.tool %s > /dev/null", path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", py, path);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (!fgets(out, sizeof(out), f))
		out[0] = '\0';
	assert_int_equal(pclose(f), 0);
	assert_string_equal(out, "ok\n");
	assert_string_equal(trace_rmi_name(RMI_RTT_INIT_RIPAS), "RMI_RTT_INIT_RIPAS");
	assert_null(trace_rmi_name(0xC4000000));
	unlink(path);
	unlink(py);
}

static uint32_t rd(struct vmm_devices *d, uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_true(devices_mmio(d, RK_GUEST_UART_GPA + off, (uint8_t *)&v, 4, false));
	return v;
}

static void pl011_registers(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct vmm_device_env env = { .console = f };
	struct vmm_devices d;
	uint32_t v = 'h';
	uint8_t b = 0xff;

	(void)state;
	assert_int_equal(devices_init(&d, &env), 0);
	/* FR: TX FIFO empty, RX FIFO empty; never TXFF/BUSY, so polling ends. */
	assert_int_equal(rd(&d, 0x18), (1u << 7) | (1u << 4));
	/* PeriphID = 0x00341011 (PL011), PCellID = 0xB105F00D. */
	assert_int_equal(rd(&d, 0xFE0), 0x11);
	assert_int_equal(rd(&d, 0xFE8), 0x34);
	assert_int_equal(rd(&d, 0xFF0), 0x0d);
	assert_int_equal(rd(&d, 0xFFC), 0xb1);
	/* Control registers read back; DR reads 0 (no input). */
	v = 0x301;
	assert_true(devices_mmio(&d, RK_GUEST_UART_GPA + 0x30, (uint8_t *)&v, 4, true));
	assert_int_equal(rd(&d, 0x30), 0x301);
	assert_int_equal(rd(&d, 0x00), 0);
	/* Byte read of FR's low byte. */
	assert_true(devices_mmio(&d, RK_GUEST_UART_GPA + 0x18, &b, 1, false));
	assert_int_equal(b, 0x90);
	v = 'h';
	assert_true(devices_mmio(&d, RK_GUEST_UART_GPA, (uint8_t *)&v, 4, true));
	v = '\n';
	assert_true(devices_mmio(&d, RK_GUEST_UART_GPA, (uint8_t *)&v, 1, true));
	/* Outside every device: not handled, reads give zeros. */
	v = 0xffffffff;
	assert_false(devices_mmio(&d, 0x02000000, (uint8_t *)&v, 4, false));
	assert_int_equal(v, 0);
	assert_false(devices_mmio(&d, RK_GUEST_UART_GPA + 0xffe, (uint8_t *)&v, 4, false));
	devices_fini(&d);
	fclose(f);
	assert_string_equal(out, "h\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trace_json_valid),
		cmocka_unit_test(pl011_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
