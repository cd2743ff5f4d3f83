/* Unit tests for pipeline.c on synthetic voiced speech (harmonic complexes
 * with a moving pitch and a syllable-rate envelope): spurt times, echo of
 * the other party and a background talker ignored, block-size independence,
 * two threads giving what one gives, bit for bit, bad input rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "attune/attune.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 16000
#define MAXE 256

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

static unsigned rng = 1u;
static double noise(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) / 8388608.0 - 1.0;
}

/* Adds a talker saying "syllables" from t0 to t1 at amplitude amp. */
static void talk(float *x, double t0, double t1, double amp, double f0)
{
    double phase = 0;
    for (long i = lround(t0 * RATE); i < lround(t1 * RATE); i++) {
        double t = (double)i / RATE - t0;
        double f = f0 * (1.0 + 0.15 * sin(2 * M_PI * 0.7 * t));
        phase += 2 * M_PI * f / RATE;
        double env = 0.05 + 0.95 * fabs(sin(M_PI * 4.0 * t)); /* 4 syllables/s, dips of 26 dB */
        if (fmod(t, 0.75) > 0.69)
            env = 0.0; /* a 60 ms stop between words, as real speech has */
        double s = 0;
        for (int h = 1; h * f < 3800; h++)
            s += sin(h * phase) / h;
        /* Ramps of 20 ms so the edges are soft, as in speech. */
        double edge = fmin(1.0, fmin(t, t1 - t0 - t) / 0.02);
        x[i] += (float)(amp * env * edge * s);
    }
}

/* Adds a delayed, attenuated copy of src to dst. */
static void leak(float *dst, const float *src, long n, double delay_s, double gain_db)
{
    long d = lround(delay_s * RATE);
    double g = pow(10.0, gain_db / 20.0);
    for (long i = d; i < n; i++)
        dst[i] += (float)(g * src[i - d]);
}

typedef struct { float *a, *c; long n; } call;

static call make_call(double dur)
{
    call k;
    k.n = lround(dur * RATE);
    k.a = calloc(k.n, sizeof(float));
    k.c = calloc(k.n, sizeof(float));
    for (long i = 0; i < k.n; i++) {
        k.a[i] = (float)(0.0005 * noise());
        k.c[i] = (float)(0.0005 * noise());
    }
    return k;
}

static void run(const call *k, size_t block, log_t *l, attune_metrics *m)
{
    memset(l, 0, sizeof *l);
    int st;
    attune_pipeline *p = attune_pipeline_new(NULL, RATE, 2, on_event, l, &st);
    assert_non_null(p);
    for (long i = 0; i < k->n; i += (long)block) {
        size_t n = (size_t)(k->n - i) < block ? (size_t)(k->n - i) : block;
        const float *ch[2] = {k->a + i, k->c + i};
        assert_int_equal(attune_pipeline_push(p, ch, n), 0);
    }
    assert_int_equal(attune_pipeline_finish(p), 0);
    attune_pipeline_metrics(p, m);
    attune_pipeline_free(p);
}

static int spurts_of(const log_t *l, int party, double *s, double *e, int max)
{
    int n = 0;
    for (int i = 0; i < l->n && n < max; i++)
        if (l->ev[i].type == ATTUNE_EV_SPURT && l->ev[i].party == party) {
            s[n] = l->ev[i].t0;
            e[n++] = l->ev[i].t1;
        }
    return n;
}

static void spurt_times_with_echo_and_background(void **state)
{
    (void)state;
    call k = make_call(14.0);
    float *a_clean = calloc(k.n, sizeof(float)), *c_clean = calloc(k.n, sizeof(float));
    talk(a_clean, 1.0, 3.0, 0.1, 120);
    talk(c_clean, 3.5, 6.0, 0.1, 210);
    talk(a_clean, 6.5, 9.0, 0.1, 120);
    for (long i = 0; i < k.n; i++) {
        k.a[i] += a_clean[i];
        k.c[i] += c_clean[i];
    }
    leak(k.c, a_clean, k.n, 0.10, -18.0); /* line echo of the agent */
    leak(k.a, c_clean, k.n, 0.04, -25.0); /* and of the customer */
    talk(k.a, 10.0, 13.0, 0.01, 160);     /* a colleague 20 dB down */
    log_t l;
    attune_metrics m;
    run(&k, 4096, &l, &m);
    double s[8], e[8];
    assert_int_equal(spurts_of(&l, ATTUNE_AGENT, s, e, 8), 2);
    assert_float_equal(s[0], 1.0, 0.04);
    assert_float_equal(e[0], 3.0, 0.04);
    assert_float_equal(s[1], 6.5, 0.04);
    assert_float_equal(e[1], 9.0, 0.04);
    assert_int_equal(spurts_of(&l, ATTUNE_CUSTOMER, s, e, 8), 1);
    assert_float_equal(s[0], 3.5, 0.04);
    assert_float_equal(e[0], 6.0, 0.04);
    assert_float_equal(m.party[ATTUNE_CUSTOMER].patience_s, 0.5, 0.05);
    assert_float_equal(m.party[ATTUNE_AGENT].patience_s, 0.5, 0.05);
    assert_float_equal(m.duration_s, 14.0, 1e-9);
    free(a_clean);
    free(c_clean);
    free(k.a);
    free(k.c);
}

static void block_size_does_not_matter(void **state)
{
    (void)state;
    call k = make_call(6.0);
    talk(k.a, 0.5, 2.0, 0.1, 130);
    talk(k.c, 1.6, 4.0, 0.05, 220);
    log_t l1, l2;
    attune_metrics m1, m2;
    run(&k, 4096, &l1, &m1);
    run(&k, 37, &l2, &m2);
    assert_int_equal(l1.n, l2.n);
    for (int i = 0; i < l1.n; i++) {
        assert_int_equal(l1.ev[i].type, l2.ev[i].type);
        assert_float_equal(l1.ev[i].t0, l2.ev[i].t0, 1e-9);
        assert_float_equal(l1.ev[i].t1, l2.ev[i].t1, 1e-9);
    }
    assert_int_equal(m1.party[ATTUNE_CUSTOMER].n_interruptions_made, 1);
    free(k.a);
    free(k.c);
}

/* Everything a caller can see of one run, for comparing runs bit for bit. */
#define MAXF 4000
#define MAXP 20000
typedef struct {
    log_t events;
    attune_frame_info *frames;
    int n_frames;
    attune_metrics *at_push;     /* the metrics the push observer saw (the first MAXP) */
    int n_pushes;
    attune_metrics end;
} seen_t;

static void on_frame(const attune_frame_info *fi, void *user)
{
    seen_t *s = user;
    if (s->n_frames < MAXF)
        s->frames[s->n_frames++] = *fi;
}

static void on_push(attune_pipeline *p, void *user)
{
    seen_t *s = user;
    if (s->n_pushes < MAXP)
        attune_pipeline_metrics(p, &s->at_push[s->n_pushes]);
    s->n_pushes++;
}

/* One party (diarized, mono) or two; pushes of `block` samples. */
static void run_seen(const call *k, int n_parties, size_t block, int threads, seen_t *s)
{
    memset(s, 0, sizeof *s);
    s->frames = calloc(MAXF, sizeof *s->frames);
    s->at_push = calloc(MAXP, sizeof *s->at_push);
    assert_non_null(s->frames);
    assert_non_null(s->at_push);
    attune_pipeline *p = attune_pipeline_new(NULL, RATE, n_parties, on_event, &s->events, NULL);
    assert_non_null(p);
    if (n_parties == 1)
        assert_int_equal(attune_pipeline_diarize(p, 60.0, ATTUNE_AGENT), 0);
    assert_int_equal(attune_pipeline_set_threads(p, threads), 0);
    attune_pipeline_set_frame_observer(p, on_frame, s);
    attune_pipeline_set_push_observer(p, on_push, s);
    for (long i = 0; i < k->n; i += (long)block) {
        size_t n = (size_t)(k->n - i) < block ? (size_t)(k->n - i) : block;
        const float *ch[2] = {k->a + i, k->c + i};
        assert_int_equal(attune_pipeline_push(p, ch, n), 0);
    }
    assert_int_equal(attune_pipeline_finish(p), 0);
    attune_pipeline_metrics(p, &s->end);
    attune_pipeline_free(p);
}

static void assert_same(const seen_t *a, const seen_t *b)
{
    assert_int_equal(a->events.n, b->events.n);
    assert_memory_equal(a->events.ev, b->events.ev, sizeof(attune_event) * a->events.n);
    assert_int_equal(a->n_frames, b->n_frames);
    assert_memory_equal(a->frames, b->frames, sizeof(attune_frame_info) * a->n_frames);
    assert_int_equal(a->n_pushes, b->n_pushes);
    int n = a->n_pushes < MAXP ? a->n_pushes : MAXP;
    assert_memory_equal(a->at_push, b->at_push, sizeof(attune_metrics) * n);
    assert_memory_equal(&a->end, &b->end, sizeof a->end);
}

static void seen_free(seen_t *s)
{
    free(s->frames);
    free(s->at_push);
}

static void two_threads_same_as_one(void **state)
{
    (void)state;
    call k = make_call(14.0);
    talk(k.a, 0.5, 4.0, 0.1, 120);
    talk(k.c, 3.4, 7.5, 0.05, 210);
    talk(k.a, 8.0, 11.0, 0.1, 125);
    talk(k.c, 11.3, 13.6, 0.06, 200);
    leak(k.c, k.a, k.n, 0.08, -20.0);
    /* 100 ms pushes as attune analyze makes them; reads of 4096; 37
     * samples, more pushes than the analysis may lag behind; one sample. */
    const size_t blocks[] = {1600, 4096, 37, 1};
    for (int parties = 1; parties <= 2; parties++) {
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
            seen_t one, two;
            run_seen(&k, parties, blocks[b], 1, &one);
            run_seen(&k, parties, blocks[b], 2, &two);
            assert_true(one.events.n > 4);
            assert_int_equal(one.n_frames, 1400 * parties);
            assert_int_equal(one.n_pushes, (k.n + (long)blocks[b] - 1) / (long)blocks[b]);
            assert_same(&one, &two);
            seen_free(&one);
            seen_free(&two);
        }
    }
    free(k.a);
    free(k.c);
}

static void threads_before_the_first_push(void **state)
{
    (void)state;
    attune_pipeline *p = attune_pipeline_new(NULL, 8000, 2, NULL, NULL, NULL);
    assert_non_null(p);
    assert_int_equal(attune_pipeline_set_threads(p, 0), ATTUNE_ERR_ARG);
    assert_int_equal(attune_pipeline_set_threads(p, 3), ATTUNE_ERR_ARG);
    assert_int_equal(attune_pipeline_set_threads(p, 2), 0);
    assert_int_equal(attune_pipeline_set_threads(p, 1), 0);
    assert_int_equal(attune_pipeline_set_threads(p, 2), 0);
    float x[100] = {0};
    const float *ch[2] = {x, x};
    assert_int_equal(attune_pipeline_push(p, ch, 100), 0);
    assert_int_equal(attune_pipeline_set_threads(p, 1), ATTUNE_ERR_STATE);
    assert_int_equal(attune_pipeline_diarize(p, 10.0, ATTUNE_AGENT), ATTUNE_ERR_ARG);
    /* Freed mid-block: the worker is stopped and joined. */
    attune_pipeline_free(p);
}

static void rejects_bad_input(void **state)
{
    (void)state;
    int st = 0;
    assert_null(attune_pipeline_new(NULL, 4000, 2, NULL, NULL, &st));
    assert_int_equal(st, ATTUNE_ERR_RATE);
    assert_null(attune_pipeline_new(NULL, 16000, 3, NULL, NULL, &st));
    assert_int_equal(st, ATTUNE_ERR_ARG);
    attune_config bad;
    attune_config_init(&bad);
    bad.bridge_s = -1;
    assert_null(attune_pipeline_new(&bad, 16000, 2, NULL, NULL, &st));
    attune_pipeline *p = attune_pipeline_new(NULL, 8000, 1, NULL, NULL, &st);
    assert_non_null(p);
    float x[100] = {0};
    const float *ch[1] = {x};
    assert_int_equal(attune_pipeline_push(p, ch, 100), 0);
    x[50] = NAN;
    assert_int_equal(attune_pipeline_push(p, ch, 100), ATTUNE_ERR_SAMPLE);
    x[50] = INFINITY;
    assert_int_equal(attune_pipeline_push(p, ch, 100), ATTUNE_ERR_SAMPLE);
    x[50] = 0;
    assert_int_equal(attune_pipeline_finish(p), 0);
    assert_int_equal(attune_pipeline_push(p, ch, 100), ATTUNE_ERR_STATE);
    attune_metrics m;
    attune_pipeline_metrics(p, &m);
    assert_float_equal(m.duration_s, 0.0125, 1e-9); /* rejected blocks are not counted */
    assert_float_equal(m.party[0].talk_s, 0.0, 1e-9);
    attune_pipeline_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spurt_times_with_echo_and_background),
        cmocka_unit_test(block_size_does_not_matter),
        cmocka_unit_test(two_threads_same_as_one),
        cmocka_unit_test(threads_before_the_first_push),
        cmocka_unit_test(rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
