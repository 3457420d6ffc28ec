/* SPDX-License-Identifier: BSD-3-Clause */
/* Common includes and helpers for realmkit's cmocka tests. */
#ifndef REALMKIT_TEST_H
#define REALMKIT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four headers above first. */
#include <cmocka.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Asserts an RMI return with its index: assert_rmi(x0, RMI_ERROR_RTT, 2). */
#define assert_rmi(x0, status, index) assert_int_equal((x0), rmi_pack((status), (index)))

#endif /* REALMKIT_TEST_H */
