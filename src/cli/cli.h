/* cli: the attune command's subcommands. */
#ifndef ATTUNE_CLI_H
#define ATTUNE_CLI_H

#include "attune/attune.h"

#include <stdio.h>

int at_cmd_analyze(int argc, char **argv);
int at_cmd_frames(int argc, char **argv);
int at_cmd_config(int argc, char **argv);
int at_cmd_score(int argc, char **argv);
int at_cmd_tune(int argc, char **argv);
int at_cmd_live(int argc, char **argv);
int at_cmd_devices(int argc, char **argv);
int at_cmd_stress_features(int argc, char **argv);
int at_cmd_report(int argc, char **argv);
int at_cmd_batch(int argc, char **argv);

/* Prints "attune: <what>: <msg>" on stderr as one line. */
void at_error(const char *what, const char *fmt, ...);

/* The options every command takes (config_cmd.c).  If argv[*i] is
 * --config FILE or --set KEY=VALUE, applies it to cfg, advances *i past its
 * value and returns 1; returns 0 for any other argument, -1 after
 * reporting an error. */
int at_config_arg(attune_config *cfg, int argc, char **argv, int *i);
/* After the options: 0 if cfg is consistent, else -1 after reporting. */
int at_config_ready(const attune_config *cfg);
/* cfg as INI, every key with its meaning, default and range as a comment. */
void at_config_write_ini(FILE *out, const attune_config *cfg, const char *title);
/* v as the shortest text that reads back as v. */
void at_print_double(FILE *out, double v);

#endif
