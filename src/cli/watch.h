/* watch: a file through a default pipeline, for the commands that watch it
 * frame by frame (frames, stress-features) through an observer. */
#ifndef ATTUNE_CLI_WATCH_H
#define ATTUNE_CLI_WATCH_H

#include "audio_in.h"

/* Opens path (agent_ch as for at_audio_open) and a pipeline with the
 * default config for it, analysing with threads threads (0: as many as
 * at_threads_auto says).  On failure says "path: problem" on stderr and
 * returns -1 with nothing left open. */
int at_audio_open_pipeline(at_audio_in *a, const char *path, int agent_ch, int threads,
                           attune_pipeline **p);
/* Feeds the whole file through p, then frees p and closes a.  Returns 0,
 * or 1 after saying "path: problem" on stderr. */
int at_audio_run_pipeline(at_audio_in *a, attune_pipeline *p, const char *path);

#endif
