/* result: gathering a file's events (see result.h). */
#include "result.h"

#include "goals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void at_result_init(at_result *r) { memset(r, 0, sizeof *r); }

static void vec_free(at_ev_vec *v) { free(v->v); memset(v, 0, sizeof *v); }

void at_result_clear_events(at_result *r)
{
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        vec_free(&r->spurts[p]);
        vec_free(&r->pace[p]);
        vec_free(&r->stress[p]);
    }
    vec_free(&r->interruptions);
    vec_free(&r->backchannels);
    vec_free(&r->gaps);
    vec_free(&r->dead_air);
}

void at_result_free(at_result *r)
{
    at_result_clear_events(r);
    free(r->goals.v);
    memset(&r->goals, 0, sizeof r->goals);
}

static void vec_push(at_result *r, at_ev_vec *v, const attune_event *ev)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        attune_event *nv = realloc(v->v, cap * sizeof *nv);
        if (!nv) {
            r->oom = 1;
            return;
        }
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = *ev;
}

static at_goal_slip *slip_by_id(at_result *r, int id)
{
    for (size_t i = r->goals.n; i-- > 0;)
        if (r->goals.v[i].id == id)
            return &r->goals.v[i];
    return NULL;
}

void at_result_alert(const at_alert *a, void *user)
{
    at_result *r = user;
    if (a->kind != AT_ALERT_FIRED) {
        at_goal_slip *s = slip_by_id(r, a->id);
        if (s && a->kind == AT_ALERT_CLEARED)
            s->end = a->t_s;
        if (s && a->kind == AT_ALERT_DISMISSED)
            s->dismissed_at = a->t_s;
        return;
    }
    if (r->goals.n == r->goals.cap) {
        size_t cap = r->goals.cap ? 2 * r->goals.cap : 16;
        at_goal_slip *nv = realloc(r->goals.v, cap * sizeof *nv);
        if (!nv) {
            r->oom = 1;
            return;
        }
        r->goals.v = nv;
        r->goals.cap = cap;
    }
    at_goal_slip *s = &r->goals.v[r->goals.n++];
    s->id = a->id;
    s->goal = a->goal;
    s->severity = a->severity;
    s->start = a->t_s;
    s->end = NAN;
    s->value = a->value;
    s->threshold = a->threshold;
    s->dismissed_at = NAN;
    snprintf(s->message, sizeof s->message, "%s", a->message);
}

static int by_time(const void *a, const void *b)
{
    const attune_event *x = a, *y = b;
    return (x->t0 > y->t0) - (x->t0 < y->t0);
}

void at_ev_vec_sort(const at_ev_vec *v)
{
    if (v->n > 1)
        qsort(v->v, v->n, sizeof *v->v, by_time);
}

void at_result_collect(const attune_event *ev, void *user)
{
    at_result *r = user;
    switch (ev->type) {
    case ATTUNE_EV_SPURT: vec_push(r, &r->spurts[ev->party], ev); break;
    case ATTUNE_EV_INTERRUPTION: vec_push(r, &r->interruptions, ev); break;
    case ATTUNE_EV_BACKCHANNEL: vec_push(r, &r->backchannels, ev); break;
    case ATTUNE_EV_RESPONSE_GAP: vec_push(r, &r->gaps, ev); break;
    case ATTUNE_EV_DEAD_AIR: vec_push(r, &r->dead_air, ev); break;
    case ATTUNE_EV_TURN: break;
    case ATTUNE_EV_PACE: vec_push(r, &r->pace[ev->party], ev); break;
    case ATTUNE_EV_STRESS: vec_push(r, &r->stress[ev->party], ev); break;
    }
}
