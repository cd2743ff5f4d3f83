/* Unit tests for spurts.c: bridging below 0.3 s, extension over weak
 * frames, the voicing and length a spurt needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "spurts.h"

#include <stdlib.h>
#include <string.h>

#define MAXS 16
typedef struct { long s[MAXS], e[MAXS]; int n, n_open; long open_at[MAXS]; } got;

/* Frame kinds: '.' silence, 'w' weak, 'u' strong unvoiced, 'v' strong voiced. */
static void run(const char *pattern_runs[], got *g)
{
    attune_config cfg;
    attune_config_init(&cfg);
    at_spurts s;
    at_spurts_init(&s, &cfg, 100.0);
    memset(g, 0, sizeof *g);
    long t = 0;
    at_spurt_step st;
    for (int i = 0; pattern_runs[i]; i += 2) {
        char kind = pattern_runs[i][0];
        long n = strtol(pattern_runs[i + 1], NULL, 10);
        for (long k = 0; k < n; k++, t++) {
            at_spurts_frame(&s, t, kind == 'w', kind == 'u' || kind == 'v', kind == 'v' ? 2 : 0, &st);
            if (st.closed) { g->s[g->n] = st.start; g->e[g->n++] = st.end; }
            if (st.opened) g->open_at[g->n_open++] = st.open_start;
        }
    }
    at_spurts_finish(&s, &st);
    if (st.closed) { g->s[g->n] = st.start; g->e[g->n++] = st.end; }
}

static void one_spurt(void **state)
{
    (void)state;
    const char *p[] = {".", "100", "v", "100", ".", "100", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.s[0], 100);
    assert_int_equal(g.e[0], 200);
    assert_int_equal(g.n_open, 1);
    assert_int_equal(g.open_at[0], 100);
}

static void bridges_pauses_under_300_ms(void **state)
{
    (void)state;
    const char *p[] = {".", "100", "v", "50", ".", "29", "v", "50", ".", "100", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.s[0], 100);
    assert_int_equal(g.e[0], 229);
}

static void splits_at_300_ms(void **state)
{
    (void)state;
    const char *p[] = {".", "100", "v", "50", ".", "30", "v", "50", ".", "100", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.e[0], 150);
    assert_int_equal(g.s[1], 180);
}

static void weak_frames_extend_around_seeds(void **state)
{
    (void)state;
    /* 20 weak frames before: only the last 18 (vad_extend_s) join; 20 weak
     * after: likewise. */
    const char *p[] = {".", "80", "w", "20", "v", "50", "w", "20", ".", "100", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.s[0], 82);
    assert_int_equal(g.e[0], 168);
}

static void weak_frames_bridge_nothing_alone(void **state)
{
    (void)state;
    const char *p[] = {".", "50", "w", "200", ".", "50", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.n_open, 0);
}

static void needs_voicing_and_length(void **state)
{
    (void)state;
    const char *unvoiced[] = {".", "50", "u", "100", ".", "100", NULL};
    got g;
    run(unvoiced, &g);
    assert_int_equal(g.n, 0);
    const char *click[] = {".", "50", "v", "6", ".", "100", NULL};
    run(click, &g);
    assert_int_equal(g.n, 0);
    const char *mmhm[] = {".", "50", "v", "25", ".", "100", NULL};
    run(mmhm, &g);
    assert_int_equal(g.n, 1);
}

static void finish_closes_an_open_spurt(void **state)
{
    (void)state;
    const char *p[] = {".", "10", "v", "50", NULL};
    got g;
    run(p, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.s[0], 10);
    assert_int_equal(g.e[0], 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_spurt),
        cmocka_unit_test(bridges_pauses_under_300_ms),
        cmocka_unit_test(splits_at_300_ms),
        cmocka_unit_test(weak_frames_extend_around_seeds),
        cmocka_unit_test(weak_frames_bridge_nothing_alone),
        cmocka_unit_test(needs_voicing_and_length),
        cmocka_unit_test(finish_closes_an_open_spurt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
