/* SPDX-License-Identifier: BSD-3-Clause */
/* realmkit's command-line: one file per subcommand, one command table. */
#ifndef REALMKIT_VMM_CLI_H
#define REALMKIT_VMM_CLI_H

#include <stdbool.h>
#include <stdint.h>

/* Exit status for bad usage (unknown flag, bad value). */
#define RK_EXIT_USAGE 2

struct rk_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
};

int cmd_demo(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_measure(int argc, char **argv);

/* `realmkit rmi SCRIPT...`: runs RMI scenario scripts (docs/scenarios.md). */
int cmd_rmi(int argc, char **argv);

/*
 * Parses a size such as 4096, 64K, 256M or 1G into bytes. Returns false on
 * malformed input or overflow.
 */
bool cli_parse_size(const char *s, uint64_t *out);

/* Parses an unsigned integer (decimal or 0x hex). Returns false on malformed input. */
bool cli_parse_u64(const char *s, uint64_t *out);

#endif /* REALMKIT_VMM_CLI_H */
