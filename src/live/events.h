/* events: the --events sink, JSON Lines (schema attune.live/1, in
 * README.md): the session's start and end, alerts as they fire, clear or
 * are dismissed, interruptions and backchannels as they are classified,
 * and a metrics line each second of audio.  Each line is
 * flushed at once so a reader sees it as it happens. */
#ifndef ATTUNE_EVENTS_H
#define ATTUNE_EVENTS_H

#include "msgq.h"

#include <stdio.h>

typedef struct at_events {
    FILE *f;
    int is_stdout;
} at_events;

/* path "-" is stdout.  0, or -1 with a reason in err. */
int at_events_open(at_events *e, const char *path, char *err, size_t err_len);
void at_events_start(at_events *e, const char *source, int rate, const char *profile,
                     const char *started_iso);
void at_events_message(at_events *e, const at_live_msg *m);
void at_events_end(at_events *e, double t_s, double wall_s, const char *reason,
                   uint64_t n_overruns, const char *summary_path);
void at_events_close(at_events *e);

/* A JSON string literal for s, quoted and escaped. */
void at_json_str(FILE *f, const char *s);

#endif
