/* run: one recorded call through the pipeline and the goals engine into an
 * at_result, the step analyze, report and batch share. */
#ifndef ATTUNE_RUN_H
#define ATTUNE_RUN_H

#include "attune/attune.h"
#include "goals.h"
#include "result.h"
#include "speakers.h"

#include <stddef.h>

/* What decides how a file is analysed (the options below). */
typedef struct at_run_opts {
    int agent_ch, customer_ch;   /* file channels; -1 for the defaults */
    int single;                  /* 1: one speaker */
    attune_config cfg;
    at_goals_profile goals;
    int goals_given;             /* --goals named a profile */
    int stress_who;              /* --stress: ATTUNE_STRESS_CUSTOMER unless asked */
    at_speakers_opts spk;        /* a mono file's two speakers */
    int threads;                 /* --threads: 1 or 2; 0: at_threads_auto() */
} at_run_opts;

/* Threads for one file's analysis when not asked: 2 where the machine has
 * two cores or more, else 1. */
int at_threads_auto(void);

/* Parses N of --threads N (1 or 2) into *out; returns 0 or -1. */
int at_threads_parse(const char *s, int *out);

/* The defaults: channels 0 and 1, the default config and goals profile. */
void at_run_opts_init(at_run_opts *o);

/* If argv[*i] is an analysis option (--agent-channel C, --customer-channel C,
 * --speakers N, --first-speaker P, --agent-voice FILE, --goals PROFILE,
 * --stress WHO, --threads N, --config FILE, --set KEY=VALUE), applies it, advances *i
 * past its value and returns 1; returns 0 for any other argument, -1 after
 * reporting a bad one. */
int at_run_arg(at_run_opts *o, int argc, char **argv, int *i);

/* After the options: checks the config and analyses the agent's enrolment
 * clip, if any.  Returns 0, or -1 after reporting. */
int at_run_ready(at_run_opts *o);

/* Analyses the file at path into r (initialised by the caller; r->file =
 * path).  Returns 0, or -1 with a one-line reason, without the file name,
 * in err. */
int at_run_file(const at_run_opts *o, const char *path, at_result *r, char *err,
                size_t err_len);

#endif
