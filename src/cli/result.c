/* result: gathering a file's events (see result.h). */
#include "result.h"

#include <stdlib.h>
#include <string.h>

void at_result_init(at_result *r) { memset(r, 0, sizeof *r); }

static void vec_free(at_ev_vec *v) { free(v->v); memset(v, 0, sizeof *v); }

void at_result_free(at_result *r)
{
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        vec_free(&r->spurts[p]);
    vec_free(&r->interruptions);
    vec_free(&r->backchannels);
    vec_free(&r->gaps);
    vec_free(&r->dead_air);
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
    }
}
