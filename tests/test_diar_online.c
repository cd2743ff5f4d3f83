/* Unit tests for diar_online.c: two synthetic voices (cepstra drawn around
 * two means) taking turns with pauses.  After the first 10 s of speech
 * every spurt goes to the right party, the first voice being the party
 * asked for, each spurt its exact length; one voice alone is never split
 * and stays the first party; a voice cutting in on the other without a
 * pause is an interruption, known a bounded time later. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "attune/attune.h"
#include "cepstra.h"
#include "diar_online.h"
#include "diarize.h"

#include <math.h>
#include <string.h>

#define FPS 100.0
#define N_SPURTS 64

typedef struct got {
    int n;
    int party[N_SPURTS];
    double t0[N_SPURTS], t1[N_SPURTS];
    int n_int;                    /* interruptions */
    int int_party[N_SPURTS];
    double int_t0[N_SPURTS], int_ov_s[N_SPURTS], int_known_s[N_SPURTS];
    int n_back;                   /* backchannels */
} got;

static long now;                  /* the frame being pushed */

static void collect(const attune_event *ev, void *user)
{
    got *g = user;
    if (ev->type == ATTUNE_EV_BACKCHANNEL)
        g->n_back++;
    if (ev->type == ATTUNE_EV_INTERRUPTION && g->n_int < N_SPURTS) {
        g->int_party[g->n_int] = ev->party;
        g->int_t0[g->n_int] = ev->t0;
        g->int_ov_s[g->n_int] = ev->value;
        g->int_known_s[g->n_int] = now / FPS;
        g->n_int++;
    }
    if (ev->type != ATTUNE_EV_SPURT || g->n >= N_SPURTS)
        return;
    g->party[g->n] = ev->party;
    g->t0[g->n] = ev->t0;
    g->t1[g->n] = ev->t1;
    g->n++;
}

/* A deterministic spread in [-1, 1]. */
static double jitter(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffff) / 32767.5 - 1.0;
}

/* Frame t of a call whose voice (0, 1, or -1 for a pause) is voice_of(t). */
static void frame(float *c, int voice, unsigned *seed)
{
    for (int q = 0; q < AT_N_CEPS; q++) {
        double mean = voice < 0 ? 0.0 : voice == 0 ? 0.6 * cos(q) : -0.6 * cos(q);
        c[q] = (float)(mean + 0.5 * jitter(seed));
    }
}

/* Turns of 3 s and 2 s of the two voices (starting with `first_voice`), a
 * 0.6 s pause after each; or one voice throughout. */
static int voice_at(long t, int first_voice, int one_voice)
{
    long k = t % 620;                  /* 3 s + 0.6 + 2 s + 0.6 */
    if (k < 300)
        return first_voice;
    if (k < 360 || k >= 560)
        return -1;
    return one_voice ? first_voice : 1 - first_voice;
}

/* 3 s of the first voice, the other cutting in without a pause for 2 s,
 * then 1 s of silence. */
static int cut_in_at(long t, int first_voice)
{
    long k = t % 600;
    return k < 300 ? first_voice : k < 500 ? 1 - first_voice : -1;
}

static void run_call(at_diar_online *o, long n, int first_voice, int one_voice, int cut_in)
{
    unsigned seed = 7;
    float c[AT_N_CEPS];
    const int speech = AT_DIAR_WEAK | AT_DIAR_STRONG | AT_DIAR_VOICED | AT_DIAR_LOUD;
    for (long t = 0; t < n; t++) {
        int v = cut_in ? cut_in_at(t, first_voice) : voice_at(t, first_voice, one_voice);
        frame(c, v, &seed);
        now = t;
        at_diar_online_frame(o, t, c, v < 0 ? 0 : speech);
    }
}

static void two_voices_take_turns(void **state)
{
    (void)state;
    for (int first = 0; first < 2; first++) {
        attune_config cfg;
        attune_config_init(&cfg);
        got g = {0};
        at_diar_online *o = at_diar_online_new(&cfg, FPS, first, collect, &g);
        assert_non_null(o);
        run_call(o, 120 * 100, 1, 0, 0);  /* voice 1 speaks first */
        assert_true(at_diar_online_ready(o));
        /* Spurts: 3 s of the first voice, 2 s of the other, alternating. */
        assert_true(g.n >= 30);
        for (int i = 0; i < g.n; i++) {
            double len = g.t1[i] - g.t0[i];
            int first_voice_spurt = len > 2.5;
            assert_int_equal(g.party[i], first_voice_spurt ? first : 1 - first);
            assert_true(fabs(len - (first_voice_spurt ? 3.0 : 2.0)) < 0.1);
        }
        attune_metrics m;
        m.duration_s = 120.0;
        at_diar_online_metrics(o, &m);
        assert_int_equal(m.n_parties, 2);
        assert_true(m.party[first].talk_s > 1.3 * m.party[1 - first].talk_s);
        assert_int_equal(g.n_int, 0);     /* pauses between turns: no overlap */
        at_diar_online_free(o);
    }
}

/* The other voice cuts in at 3 s of each 6 s: both speak from 0.2 s
 * before the change (mono_overlap_s) to 0.4 s after (mono_overlap_after_s),
 * so an interruption of 0.6 s, known once the newcomer has lasted
 * interrupt_min_s (0.8 s after the change) plus the labels' delays (0.5 s
 * to decide, 0.3 s of overlap window): 1.6 s after the change. */
static void cut_in_is_an_interruption(void **state)
{
    (void)state;
    attune_config cfg;
    attune_config_init(&cfg);
    got g = {0};
    at_diar_online *o = at_diar_online_new(&cfg, FPS, ATTUNE_AGENT, collect, &g);
    assert_non_null(o);
    run_call(o, 120 * 100, 0, 0, 1);
    assert_true(at_diar_online_ready(o));
    /* Every cycle once the voices are known (after 10 s of speech). */
    int n_known = 0;
    for (int i = 0; i < g.n_int; i++) {
        double change_s = g.int_t0[i] + 0.2;
        if (change_s < 15.0)
            continue;
        n_known++;
        assert_int_equal(g.int_party[i], ATTUNE_CUSTOMER);
        assert_true(fabs(fmod(change_s, 6.0) - 3.0) < 0.05); /* the labels' edge */
        assert_true(fabs(g.int_ov_s[i] - 0.6) < 0.02);
        assert_true(g.int_known_s[i] - change_s < 1.75);
    }
    assert_int_equal(n_known, 17);     /* 21 s to 117 s, one each 6 s */
    assert_int_equal(g.n_back, 0);
    at_diar_online_free(o);
}

static void one_voice_stays_one_party(void **state)
{
    (void)state;
    attune_config cfg;
    attune_config_init(&cfg);
    got g = {0};
    at_diar_online *o = at_diar_online_new(&cfg, FPS, ATTUNE_CUSTOMER, collect, &g);
    assert_non_null(o);
    run_call(o, 120 * 100, 0, 1, 0);
    /* Never two voices: the first minute is held back, then let go as the
     * first party's. */
    assert_false(at_diar_online_ready(o));
    assert_true(g.n >= 15);
    for (int i = 0; i < g.n; i++)
        assert_int_equal(g.party[i], ATTUNE_CUSTOMER);
    at_diar_online_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_voices_take_turns),
        cmocka_unit_test(one_voice_stays_one_party),
        cmocka_unit_test(cut_in_is_an_interruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
