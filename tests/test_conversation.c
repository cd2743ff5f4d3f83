/* Unit tests for conversation.c on hand-made spurt lists with hand-computed
 * answers, fed with the delays the real spurt tracker has (confirmed 50 ms
 * after onset, closed 0.42 s after the end). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "conversation.h"

#include <math.h>
#include <string.h>

#define MAXE 64
typedef struct {
    attune_event ev[MAXE];
    int n;
} log_t;

static void on_event(const attune_event *ev, void *user)
{
    log_t *l = user;
    if (l->n < MAXE)
        l->ev[l->n++] = *ev;
}

typedef struct { int party; double s, e; } sp;

static void run(const sp *spurts, int n, double dur, log_t *l, attune_metrics *m)
{
    attune_config cfg;
    attune_config_init(&cfg);
    at_conv c;
    memset(l, 0, sizeof *l);
    at_conv_init(&c, &cfg, 100.0, 2, on_event, l);
    long end = lround(dur * 100);
    for (long t = 0; t < end; t++) {
        for (int i = 0; i < n; i++) {
            long s = lround(spurts[i].s * 100), e = lround(spurts[i].e * 100);
            int p = spurts[i].party;
            if (t == s + 5)
                at_conv_open(&c, p, s);
            if (t >= s + 5 && t < e)
                at_conv_progress(&c, p, t);
            if (t == e - 1 + 43)
                at_conv_close(&c, p, s, e);
        }
        at_conv_step(&c);
    }
    at_conv_finish(&c);
    memset(m, 0, sizeof *m);
    m->duration_s = dur;
    at_conv_metrics(&c, m);
}

static int count(const log_t *l, attune_event_type type, int party)
{
    int k = 0;
    for (int i = 0; i < l->n; i++)
        k += l->ev[i].type == type && l->ev[i].party == party;
    return k;
}

static const attune_event *find(const log_t *l, attune_event_type type, int nth)
{
    for (int i = 0; i < l->n; i++)
        if (l->ev[i].type == type && nth-- == 0)
            return &l->ev[i];
    return NULL;
}

enum { A = ATTUNE_AGENT, C = ATTUNE_CUSTOMER };

static void response_gap(void **state)
{
    (void)state;
    sp s[] = {{A, 1, 3}, {C, 3.5, 5}};
    log_t l;
    attune_metrics m;
    run(s, 2, 8, &l, &m);
    const attune_event *g = find(&l, ATTUNE_EV_RESPONSE_GAP, 0);
    assert_non_null(g);
    assert_int_equal(g->party, C);
    assert_float_equal(g->value, 0.5, 1e-9);
    assert_float_equal(g->t1, 3.5, 1e-9);
    assert_float_equal(m.party[C].patience_s, 0.5, 1e-9);
    assert_true(m.party[A].patience_s < 0);
    assert_int_equal(m.party[A].n_turns, 1);
    assert_int_equal(m.party[C].n_turns, 1);
    assert_float_equal(m.party[A].talk_s, 2.0, 1e-9);
    assert_float_equal(m.silence_s, 8 - 3.5, 1e-9);
}

static void interruption(void **state)
{
    (void)state;
    sp s[] = {{A, 1, 3.6}, {C, 3, 5}};
    log_t l;
    attune_metrics m;
    run(s, 2, 8, &l, &m);
    assert_int_equal(count(&l, ATTUNE_EV_INTERRUPTION, C), 1);
    const attune_event *e = find(&l, ATTUNE_EV_INTERRUPTION, 0);
    assert_float_equal(e->t0, 3.0, 1e-9);
    assert_float_equal(e->value, 0.6, 1e-9);
    assert_int_equal(count(&l, ATTUNE_EV_RESPONSE_GAP, C), 0);
    assert_int_equal(m.party[C].n_interruptions_made, 1);
    assert_int_equal(m.party[C].n_turns, 1);
    assert_float_equal(m.overtalk_s, 0.6, 1e-9);
}

static void backchannel(void **state)
{
    (void)state;
    sp s[] = {{A, 1, 5}, {C, 2, 2.6}};
    log_t l;
    attune_metrics m;
    run(s, 2, 8, &l, &m);
    assert_int_equal(count(&l, ATTUNE_EV_BACKCHANNEL, C), 1);
    assert_int_equal(count(&l, ATTUNE_EV_INTERRUPTION, C), 0);
    assert_int_equal(m.party[C].n_turns, 0);
    assert_float_equal(find(&l, ATTUNE_EV_BACKCHANNEL, 0)->t0, 2.0, 1e-9);
}

static void early_start_is_no_interruption(void **state)
{
    (void)state;
    sp s[] = {{A, 1, 3}, {C, 2.8, 4.5}};
    log_t l;
    attune_metrics m;
    run(s, 2, 8, &l, &m);
    assert_int_equal(count(&l, ATTUNE_EV_INTERRUPTION, C), 0);
    assert_int_equal(count(&l, ATTUNE_EV_BACKCHANNEL, C), 0);
    assert_int_equal(count(&l, ATTUNE_EV_RESPONSE_GAP, C), 0);
    assert_int_equal(m.party[C].n_turns, 1);
}

static void patience_is_the_median_gap(void **state)
{
    (void)state;
    sp s[] = {{A, 0, 1}, {C, 1.2, 2}, {A, 2.5, 3}, {C, 3.9, 5}, {A, 5.1, 6}, {C, 6.3, 7}};
    log_t l;
    attune_metrics m;
    run(s, 6, 10, &l, &m);
    assert_int_equal(m.party[C].n_response_gaps, 3);
    assert_float_equal(m.party[C].patience_s, 0.3, 1e-9);  /* 0.2, 0.9, 0.3 */
    assert_int_equal(m.party[A].n_response_gaps, 2);
    assert_float_equal(m.party[A].patience_s, 0.3, 1e-9);  /* 0.5, 0.1 */
    assert_int_equal(m.party[A].n_turns, 3);
}

static void dead_air_between_speech_only(void **state)
{
    (void)state;
    sp s[] = {{A, 2, 3}, {C, 7, 8}, {A, 9, 9.5}};
    log_t l;
    attune_metrics m;
    run(s, 3, 20, &l, &m);
    assert_int_equal(m.n_dead_air, 1);
    const attune_event *d = find(&l, ATTUNE_EV_DEAD_AIR, 0);
    assert_float_equal(d->t0, 3.0, 1e-9);
    assert_float_equal(d->t1, 7.0, 1e-9);
    assert_float_equal(m.dead_air_s, 4.0, 1e-9);
}

static void monologue_and_turns(void **state)
{
    (void)state;
    sp s[] = {{A, 0, 2}, {A, 2.5, 10}, {C, 5, 5.4}, {C, 10.5, 12}};
    log_t l;
    attune_metrics m;
    run(s, 4, 14, &l, &m);
    assert_float_equal(m.party[A].longest_monologue_s, 10.0, 1e-9);
    assert_int_equal(m.party[A].n_turns, 1);
    assert_int_equal(m.party[C].n_turns, 1);
    assert_int_equal(m.party[C].n_backchannels_made, 1);
    assert_float_equal(m.party[C].patience_s, 0.5, 1e-9);
    assert_float_equal(m.overtalk_s, 0.4, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(response_gap),
        cmocka_unit_test(interruption),
        cmocka_unit_test(backchannel),
        cmocka_unit_test(early_start_is_no_interruption),
        cmocka_unit_test(patience_is_the_median_gap),
        cmocka_unit_test(dead_air_between_speech_only),
        cmocka_unit_test(monologue_and_turns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
