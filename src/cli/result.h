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

/* Where a goal slipped: an alert from the goals engine, its clearing and
 * any dismissal (times in stream seconds; end NAN while still active). */
typedef struct at_goal_slip {
    int id, goal, severity;
    double start, end, value, threshold, dismissed_at;
    char message[160];
} at_goal_slip;

typedef struct at_slip_vec {
    at_goal_slip *v;
    size_t n, cap;
} at_slip_vec;

typedef struct at_result {
    const char *file;
    int sample_rate, channels, n_parties;
    int channel_of[ATTUNE_N_PARTIES];
    attune_metrics m;
    at_ev_vec spurts[ATTUNE_N_PARTIES];
    at_ev_vec interruptions, backchannels, gaps, dead_air;
    at_ev_vec pace[ATTUNE_N_PARTIES];
    at_slip_vec goals;  /* filled by at_result_alert() */
    int oom;
    at_ev_vec stress[ATTUNE_N_PARTIES]; /* vocal-stress index points */
    int stress_who;     /* ATTUNE_STRESS_*: whose stress was computed */
} at_result;

void at_result_init(at_result *r);
void at_result_free(at_result *r);
/* Drops the events collected so far (the goal slips stay). */
void at_result_clear_events(at_result *r);
/* An attune_event_fn: files each event in its list (user = at_result *). */
void at_result_collect(const attune_event *ev, void *user);
/* Sorts a list by start time: events are emitted when final, which is not
 * always in time order.  The views call it before they write a list. */
void at_ev_vec_sort(const at_ev_vec *v);

/* An at_alert_fn (goals.h): files each goal alert as a slip (user =
 * at_result *). */
struct at_alert;
void at_result_alert(const struct at_alert *a, void *user);

void at_report_json(FILE *out, const at_result *r);
void at_report_text(FILE *out, const at_result *r);

#endif
