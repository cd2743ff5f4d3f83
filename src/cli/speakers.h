/* speakers: the mono-call options shared by the commands that analyse
 * files (--first-speaker, --agent-voice) and the step that turns a mono
 * file's pipeline into a two-party one (attune_pipeline_diarize). */
#ifndef ATTUNE_SPEAKERS_H
#define ATTUNE_SPEAKERS_H

#include "attune/attune.h"
#include "audio_in.h"
#include "result.h"

#include <stddef.h>

typedef struct at_speakers_opts {
    int first_party;             /* who speaks first: ATTUNE_AGENT (default) or ATTUNE_CUSTOMER */
    const char *agent_voice;     /* --agent-voice: an enrolment clip, or NULL */
    attune_voice voice;          /* its voice, once at_speakers_ready() has run */
} at_speakers_opts;

void at_speakers_init(at_speakers_opts *s);

/* If argv[*i] is --first-speaker agent|customer or --agent-voice FILE,
 * applies it, advances *i past its value and returns 1; 0 for any other
 * argument; -1 after reporting a bad one. */
int at_speakers_arg(at_speakers_opts *s, int argc, char **argv, int *i);

/* After the options: analyses the enrolment clip, if any, under cfg.
 * Returns 0, or -1 after reporting. */
int at_speakers_ready(at_speakers_opts *s, const attune_config *cfg);

/* For a file read as one party (and not --speakers 1): makes p diarize the
 * file into agent and customer, both on the file's channel, and says so in
 * r.  Returns 0, or -1 with a reason in err. */
int at_speakers_begin(const at_speakers_opts *s, attune_pipeline *p, const at_audio_in *a,
                      at_result *r, char *err, size_t err_len);

#endif
