/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The board: powers the machine on (platform, then the RMM firmware) and
 * off. This is the only code that knows both the platform's root side and
 * the RMM; host and VMM see only what it returns.
 */
#ifndef REALMKIT_BOARD_H
#define REALMKIT_BOARD_H

#include <realmkit/platform.h>

/*
 * Powers on: platform_init(cfg), rmm_boot(), and the host's GPF reporter
 * when install_gpf_reporter is true. Returns 0 or a negative errno.
 */
int board_power_on(const struct rk_platform_config *cfg, bool install_gpf_reporter);

/* Powers off: the RMM, then the platform. */
void board_power_off(void);

#endif /* REALMKIT_BOARD_H */
