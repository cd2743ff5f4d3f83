/* result: what one analysed file yields, gathered from the pipeline's events
 * for the views (summary text, JSON). */
#ifndef ATTUNE_RESULT_H
#define ATTUNE_RESULT_H

#include "attune/attune.h"

#include <stddef.h>
#include <stdio.h>

typedef struct at_ev_vec {
    attune_event *v;
    size_t n, cap;
} at_ev_vec;

typedef struct at_result {
    const char *file;
    int sample_rate, channels, n_parties;
    int channel_of[ATTUNE_N_PARTIES];
    attune_metrics m;
    at_ev_vec spurts[ATTUNE_N_PARTIES];
    at_ev_vec interruptions, backchannels, gaps, dead_air;
    int oom;
} at_result;

void at_result_init(at_result *r);
void at_result_free(at_result *r);
/* An attune_event_fn: files each event in its list (user = at_result *). */
void at_result_collect(const attune_event *ev, void *user);

void at_report_json(FILE *out, const at_result *r);
void at_report_text(FILE *out, const at_result *r);

#endif
