/* cli: the attune command's subcommands. */
#ifndef ATTUNE_CLI_H
#define ATTUNE_CLI_H

int at_cmd_analyze(int argc, char **argv);
int at_cmd_frames(int argc, char **argv);
int at_cmd_live(int argc, char **argv);
int at_cmd_devices(int argc, char **argv);

/* Prints "attune: <what>: <msg>" on stderr as one line. */
void at_error(const char *what, const char *fmt, ...);

#endif
