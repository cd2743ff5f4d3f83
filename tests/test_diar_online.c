/* Unit tests for diar_online.c: two synthetic voices (cepstra drawn around
 * two means) taking turns with pauses.  After the first 10 s of speech
 * every spurt goes to the right party, the first voice being the party
 * asked for, each spurt its exact length; one voice alone is never split
 * and stays the first party. */
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
} got;

static void collect(const attune_event *ev, void *user)
{
    got *g = user;
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

static void run_call(at_diar_online *o, long n, int first_voice, int one_voice)
{
    unsigned seed = 7;
    float c[AT_N_CEPS];
    const int speech = AT_DIAR_WEAK | AT_DIAR_STRONG | AT_DIAR_VOICED | AT_DIAR_LOUD;
    for (long t = 0; t < n; t++) {
        int v = voice_at(t, first_voice, one_voice);
        frame(c, v, &seed);
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
        run_call(o, 120 * 100, 1, 0);  /* voice 1 speaks first */
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
        at_diar_online_free(o);
    }
}

static void one_voice_stays_one_party(void **state)
{
    (void)state;
    attune_config cfg;
    attune_config_init(&cfg);
    got g = {0};
    at_diar_online *o = at_diar_online_new(&cfg, FPS, ATTUNE_CUSTOMER, collect, &g);
    assert_non_null(o);
    run_call(o, 120 * 100, 0, 1);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
