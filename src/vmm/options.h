/* SPDX-License-Identifier: BSD-3-Clause */
/* The flags `realmkit run` and `realmkit measure` share (kvmtool-cca spellings). */
#ifndef REALMKIT_VMM_OPTIONS_H
#define REALMKIT_VMM_OPTIONS_H

#include <stdio.h>

#include "vmm.h"

enum options_cmd {
	OPTIONS_RUN,
	OPTIONS_MEASURE,
};

/*
 * Parses argv (argv[0] = the subcommand) into cfg (defaults first).
 * Returns 0 to proceed, 1 when --help was printed (exit 0), -1 on a bad
 * flag or value (err set, status VMM_EXIT_USAGE, the message names the
 * flag).
 */
int options_parse(enum options_cmd cmd, int argc, char **argv, struct vmm_config *cfg,
		  struct vmm_err *err);

/* The --help text of cmd. */
void options_usage(enum options_cmd cmd, FILE *f);

#endif /* REALMKIT_VMM_OPTIONS_H */
