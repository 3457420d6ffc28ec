/* SPDX-License-Identifier: BSD-3-Clause */
#include "board.h"
#include "rmm.h"

int board_power_on(const struct rk_platform_config *cfg, bool install_gpf_reporter)
{
	int err = platform_init(cfg);

	if (err)
		return err;
	err = rmm_boot();
	if (err) {
		platform_fini();
		return err;
	}
	if (install_gpf_reporter)
		platform_install_gpf_reporter();
	return 0;
}

void board_power_off(void)
{
	rmm_shutdown();
	platform_fini();
}
