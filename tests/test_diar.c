/* Unit tests for the mono two-speaker path: cepstra.c on known spectra,
 * gmm.c on two clusters, and diarize.c / mono.c through the pipeline on two
 * synthetic voices (different F0 and formants) that alternate with pauses
 * and once without one: a perfect split, the change found within 0.2 s,
 * the first speaker or an enrolled voice naming the agent; the window
 * start (diar_cluster.c) on cepstra with a known speaker difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "attune/attune.h"
#include "cepstra.h"
#include "diar_int.h"
#include "gmm.h"
#include "linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 16000

static void flat_spectrum_has_flat_cepstra(void **state)
{
    (void)state;
    at_frame_geom g;
    assert_int_equal(at_frame_geom_init(&g, RATE), 0);
    at_cepstra *c = at_cepstra_new(&g);
    assert_non_null(c);
    float *power = malloc(sizeof(float) * g.n_bins), out[AT_N_CEPS], out2[AT_N_CEPS];
    for (int k = 0; k < g.n_bins; k++)
        power[k] = 1.0f;
    at_cepstra_compute(c, power, out);
    /* The filters grow wider with frequency, so a flat spectrum tilts the
     * log mel energies; scaling the power only moves c0. */
    for (int k = 0; k < g.n_bins; k++)
        power[k] = 100.0f;
    at_cepstra_compute(c, power, out2);
    assert_true(fabs(out2[0] - out[0] - sqrt((double)AT_N_MEL) * log(100.0)) < 1e-3);
    for (int q = 1; q < AT_N_CEPS; q++)
        assert_true(fabs(out2[q] - out[q]) < 1e-3);
    free(power);
    at_cepstra_free(c);
}

typedef struct { double mu; } blob;

static void blob_frame(void *user, long i, double *x)
{
    const blob *b = user;
    /* Two clusters, at -mu and +mu, alternating, with a little spread. */
    double s = (i % 2 ? 1.0 : -1.0) * b->mu;
    x[0] = s + 0.1 * sin(i * 0.7);
    x[1] = -s + 0.1 * cos(i * 1.3);
}

static void gmm_finds_two_clusters(void **state)
{
    (void)state;
    at_gmm m;
    blob b = {3.0};
    assert_int_equal(at_gmm_train(&m, 2, 2, 400, blob_frame, &b, 10), 0);
    double a[2] = {-3.0, 3.0}, mid[2] = {0.0, 0.0};
    assert_true(at_gmm_loglik(&m, a) > at_gmm_loglik(&m, mid) + 10.0);
    assert_int_equal(at_gmm_train(&m, 9, 2, 400, blob_frame, &b, 1), -1);
    assert_int_equal(at_gmm_train(&m, 2, 2, 3, blob_frame, &b, 1), -1);
}

/* A voice: harmonics of f0 shaped by two formants, a 4 Hz syllable rhythm. */
typedef struct { double f0, f1, f2; } voice;

static const voice LOW = {110.0, 500.0, 1500.0}, HIGH = {230.0, 850.0, 2600.0};

static double formant(double f, double fc) { return 1.0 / (1.0 + pow((f - fc) / 120.0, 2)); }

/* Fisher's direction for one between-class direction u is sw^-1 u; a
 * Cholesky solve gives back the right-hand side's preimage. */
static void fisher_direction_known(void **state)
{
    (void)state;
    double sw[4] = {4.0, 1.0, 1.0, 2.0}, sw2[4], sb[4], w[2], u[2] = {2.0, 1.0};
    for (int i = 0; i < 4; i++)
        sb[i] = u[i / 2] * u[i % 2];
    memcpy(sw2, sw, sizeof sw);
    assert_int_equal(at_fisher_direction(sb, sw2, 2, w), 0);
    /* sw^-1 u = (1/7) (2 * 2 - 1, -2 + 4 * 1) = (3, 2) / 7, up to scale */
    double n = sqrt(3.0 * 3.0 + 2.0 * 2.0), sign = w[0] < 0 ? -1.0 : 1.0;
    assert_true(fabs(sign * w[0] - 3.0 / n) < 1e-9 && fabs(sign * w[1] - 2.0 / n) < 1e-9);
    double b[2] = {1.0, 2.0};
    memcpy(sw2, sw, sizeof sw);
    assert_int_equal(at_cholesky(sw2, 2), 0);
    at_cholesky_solve(sw2, 2, b);
    assert_true(fabs(4.0 * b[0] + b[1] - 1.0) < 1e-12 && fabs(b[0] + 2.0 * b[1] - 2.0) < 1e-12);
    double singular[4] = {1.0, 1.0, 1.0, 1.0};
    assert_int_equal(at_fisher_direction(sb, singular, 2, w), -1);
}

static void speak(float *x, long n, const voice *v, double t0)
{
    for (long i = 0; i < n; i++) {
        double t = t0 + (double)i / RATE, s = 0.0;
        for (int k = 1; k * v->f0 < 3800.0; k++) {
            double f = k * v->f0;
            s += (formant(f, v->f1) + 0.5 * formant(f, v->f2) + 0.02) * sin(2 * M_PI * f * t);
        }
        x[i] += (float)(0.05 * s * (0.55 + 0.45 * sin(2 * M_PI * 4.0 * t)));
    }
}

typedef struct { long n[2]; double s[2][64], e[2][64]; } spurts_got;

static void collect(const attune_event *ev, void *user)
{
    spurts_got *g = user;
    if (ev->type != ATTUNE_EV_SPURT || g->n[ev->party] >= 64)
        return;
    g->s[ev->party][g->n[ev->party]] = ev->t0;
    g->e[ev->party][g->n[ev->party]++] = ev->t1;
}

/* The script: (voice 0 = LOW, 1 = HIGH, seconds), 0.6 s pauses between,
 * except after the turn marked joined. */
typedef struct { int who; double len; int joined; } turn;

static const turn SCRIPT[] = {
    {0, 2.5, 0}, {1, 2.0, 0}, {0, 3.0, 0}, {1, 2.5, 0}, {0, 2.0, 0}, {1, 3.0, 0},
    {0, 3.0, 1}, {1, 3.0, 0}, {0, 2.5, 0}, {1, 2.0, 0}, {0, 2.0, 0}, {1, 2.5, 0},
};
#define N_TURNS (sizeof SCRIPT / sizeof SCRIPT[0])
#define PAUSE_S 0.6

static float *make_call(long *n_out, double *starts)
{
    double total = 0.5;
    for (size_t i = 0; i < N_TURNS; i++)
        total += SCRIPT[i].len + (SCRIPT[i].joined ? 0.0 : PAUSE_S);
    long n = (long)(total * RATE);
    float *x = calloc(n, sizeof(float));
    unsigned seed = 1;
    for (long i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        x[i] = (float)(1e-4 * ((seed >> 16) / 32768.0 - 1.0));
    }
    double t = 0.5;
    for (size_t i = 0; i < N_TURNS; i++) {
        starts[i] = t;
        speak(x + (long)(t * RATE), (long)(SCRIPT[i].len * RATE), SCRIPT[i].who ? &HIGH : &LOW, t);
        t += SCRIPT[i].len + (SCRIPT[i].joined ? 0.0 : PAUSE_S);
    }
    *n_out = n;
    return x;
}

/* Runs the mono call through a diarizing pipeline. */
static void diarize(const float *x, long n, int first, const attune_voice *agent,
                    spurts_got *got, attune_voice *voice_out)
{
    memset(got, 0, sizeof *got);
    /* The split itself: no overlap made at the joined change nor from the
     * pitch (overlap.c, tested by tests/mono_overlap.py), so its edges are
     * the labels'. */
    attune_config cfg;
    attune_config_init(&cfg);
    cfg.mono_overlap_s = 0.0;
    cfg.mono_overlap_after_s = 0.0;
    cfg.mono_pitch_sep_st = 0.0;
    attune_pipeline *p = attune_pipeline_new(&cfg, RATE, 1, collect, got, NULL);
    assert_non_null(p);
    assert_int_equal(attune_pipeline_diarize(p, (double)n / RATE, first), 0);
    if (agent)
        assert_int_equal(attune_pipeline_set_agent_voice(p, agent), 0);
    const float *ch[1] = {x};
    assert_int_equal(attune_pipeline_push(p, ch, (size_t)n), 0);
    assert_int_equal(attune_pipeline_push(p, ch, RATE), ATTUNE_ERR_STATE); /* past max_s */
    assert_int_equal(attune_pipeline_finish(p), 0);
    attune_metrics m;
    attune_pipeline_metrics(p, &m);
    assert_int_equal(m.n_parties, 2);
    if (voice_out)
        assert_int_equal(attune_pipeline_voice(p, voice_out), 0);
    attune_pipeline_free(p);
}

/* Every turn lies in one spurt of the party expected for its voice. */
static void check_split(const spurts_got *got, const double *starts, const int party_of[2])
{
    for (size_t i = 0; i < N_TURNS; i++) {
        int p = party_of[SCRIPT[i].who];
        double s = starts[i], e = s + SCRIPT[i].len;
        int found = 0;
        for (long k = 0; k < got->n[p]; k++)
            if (fabs(got->s[p][k] - s) < 0.2 && fabs(got->e[p][k] - e) < 0.2)
                found = 1;
        if (!found)
            fail_msg("turn %zu (%.2f-%.2f s) not a spurt of party %d", i, s, e, p);
    }
    assert_int_equal(got->n[0] + got->n[1], (long)N_TURNS);
}

static void two_voices_split(void **state)
{
    (void)state;
    long n;
    double starts[N_TURNS];
    float *x = make_call(&n, starts);
    spurts_got got;
    attune_voice low;
    diarize(x, n, ATTUNE_AGENT, NULL, &got, NULL);
    check_split(&got, starts, (const int[2]){ATTUNE_AGENT, ATTUNE_CUSTOMER});
    /* The joined change (no pause) is found within 0.2 s: check_split
     * matched both turns' edges there. */
    diarize(x, n, ATTUNE_CUSTOMER, NULL, &got, NULL);
    check_split(&got, starts, (const int[2]){ATTUNE_CUSTOMER, ATTUNE_AGENT});
    /* Enrolment: a clip of the HIGH voice alone makes it the agent. */
    long ne = 6 * RATE;
    float *clip = calloc(ne, sizeof(float));
    speak(clip + RATE / 2, 5 * RATE, &HIGH, 0.0);
    attune_pipeline *p = attune_pipeline_new(NULL, RATE, 1, NULL, NULL, NULL);
    assert_int_equal(attune_pipeline_diarize(p, 6.0, ATTUNE_AGENT), 0);
    const float *ch[1] = {clip};
    attune_pipeline_push(p, ch, (size_t)ne);
    attune_pipeline_finish(p);
    assert_int_equal(attune_pipeline_voice(p, &low), 0);
    assert_true(low.n_frames > 300);
    attune_pipeline_free(p);
    diarize(x, n, ATTUNE_AGENT, &low, &got, NULL);
    check_split(&got, starts, (const int[2]){ATTUNE_CUSTOMER, ATTUNE_AGENT});
    free(clip);
    free(x);
}

static void bad_use(void **state)
{
    (void)state;
    attune_pipeline *st = attune_pipeline_new(NULL, RATE, 2, NULL, NULL, NULL);
    assert_int_equal(attune_pipeline_diarize(st, 10.0, ATTUNE_AGENT), ATTUNE_ERR_ARG);
    attune_pipeline_free(st);
    attune_pipeline *p = attune_pipeline_new(NULL, RATE, 1, NULL, NULL, NULL);
    assert_int_equal(attune_pipeline_diarize(p, 0.0, ATTUNE_AGENT), ATTUNE_ERR_ARG);
    assert_int_equal(attune_pipeline_diarize(p, 10.0, 7), ATTUNE_ERR_ARG);
    attune_voice v = {{0}, {0}, 0};
    assert_int_equal(attune_pipeline_set_agent_voice(p, &v), ATTUNE_ERR_ARG);
    float z[RATE] = {0};
    const float *ch[1] = {z};
    attune_pipeline_push(p, ch, RATE);
    assert_int_equal(attune_pipeline_diarize(p, 10.0, ATTUNE_AGENT), ATTUNE_ERR_STATE);
    assert_int_equal(attune_pipeline_voice(p, &v), ATTUNE_ERR_STATE);
    attune_pipeline_free(p);
}

/* ---- the window start on known cepstra ---------------------------------- */

static double gauss(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    double u = ((*seed >> 8) + 0.5) / 16777216.0;
    *seed = *seed * 1103515245u + 12345u;
    double v = ((*seed >> 8) + 0.5) / 16777216.0;
    return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

#define W_TURN 300  /* frames of a turn: windows of 200 and 100 frames */
#define W_PAUSE 30

/* n_turns alternating turns, W_PAUSE frames of silence between them:
 * speaker A's c4 lies 0.7 above the mean, B's 0.7 below, under unit noise
 * on every cepstrum of every frame (one frame alone is a poor guess). */
static at_diar *window_call(int n_turns)
{
    at_diar *d = at_diar_new((long)n_turns * (W_TURN + W_PAUSE));
    unsigned seed = 7;
    float c[AT_N_CEPS];
    long t = 0;
    for (int k = 0; k < n_turns; k++) {
        for (int i = 0; i < W_TURN; i++, t++) {
            for (int q = 0; q < AT_N_CEPS; q++)
                c[q] = (float)gauss(&seed);
            c[4] += k % 2 ? -0.7f : 0.7f;
            at_diar_frame(d, t, c, AT_DIAR_STRONG);
        }
        at_diar_spurt(d, t - W_TURN, t);
        memset(c, 0, sizeof c);
        for (int i = 0; i < W_PAUSE; i++, t++)
            at_diar_frame(d, t, c, 0);
    }
    return d;
}

static void window_start_splits_speakers(void **state)
{
    (void)state;
    at_voiceprint vp;
    at_diar *d = window_call(8);
    assert_non_null(d);
    at_diar_voiceprint(d, &vp); /* collects the speech and its normalisation */
    assert_int_equal(at_diar_cluster_windows(d), 16);
    assert_int_equal(d->have_wchol, 1);
    for (long i = 0; i < d->n_wins; i++) {
        int turn = (int)(d->sidx[d->wins[i].a] / (W_TURN + W_PAUSE));
        assert_int_equal(d->wins[i].cluster ^ d->wins[0].cluster, turn % 2);
    }
    at_diar_free(d);
    d = window_call(1); /* two windows: too few to split */
    at_diar_voiceprint(d, &vp);
    assert_int_equal(at_diar_cluster_windows(d), 0);
    at_diar_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flat_spectrum_has_flat_cepstra),
        cmocka_unit_test(gmm_finds_two_clusters),
        cmocka_unit_test(fisher_direction_known),
        cmocka_unit_test(two_voices_split),
        cmocka_unit_test(bad_use),
        cmocka_unit_test(window_start_splits_speakers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
