/* Unit tests for stress.c on known frames: the spectral balance of flat
 * and tilted band powers, the harmonics-to-noise ratio of a known
 * autocorrelation peak, pooling a window of 200 Hz speech (12 semitones re
 * 100 Hz, no variability), the baseline that makes the first windows zero,
 * an octave rise after it, and the logistic index; the running baseline
 * (median of the calm windows) and the falsetto and laughter gates, per
 * window and per half-second block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "stress.h"

#include <math.h>

#define FPS 100.0

static at_stress_frame voiced(double f0_hz, double level_db)
{
    at_stress_frame f = {1, level_db, f0_hz, 10.0, -10.0, 20.0};
    return f;
}

static void spectral_balance(void **state)
{
    (void)state;
    at_frame_geom g;
    assert_int_equal(at_frame_geom_init(&g, 8000), 0);
    at_stress_bands sb;
    at_stress_bands_init(&sb, &g);
    assert_true(sb.alpha_split > 0 && sb.alpha_split < sb.hamm_split && sb.hamm_split < AT_N_BANDS);
    float bands[AT_N_BANDS];
    for (int b = 0; b < AT_N_BANDS; b++)
        bands[b] = sb.width[b]; /* flat density */
    double alpha, hamm;
    at_stress_spectral(&sb, bands, &alpha, &hamm);
    assert_float_equal(hamm, 0.0, 1e-6);
    double lo = 0, hi = 0;
    for (int b = 0; b < AT_N_BANDS; b++)
        *(b < sb.alpha_split ? &lo : &hi) += bands[b];
    assert_float_equal(alpha, 10.0 * log10(hi / lo), 1e-6);
    /* 20 dB less density above 2 kHz: Hammarberg 20 dB. */
    for (int b = sb.hamm_split; b < AT_N_BANDS; b++)
        bands[b] *= 0.01f;
    at_stress_spectral(&sb, bands, &alpha, &hamm);
    assert_float_equal(hamm, 20.0, 1e-4);
    /* The same geometry-independent bands at 48 kHz. */
    at_frame_geom g48;
    at_stress_bands sb48;
    assert_int_equal(at_frame_geom_init(&g48, 48000), 0);
    at_stress_bands_init(&sb48, &g48);
    assert_int_equal(sb48.alpha_split, sb.alpha_split);
    assert_int_equal(sb48.hamm_split, sb.hamm_split);
}

static void hnr(void **state)
{
    (void)state;
    float r[40] = {1.0f};
    r[20] = 0.5f;
    assert_float_equal(at_stress_hnr_db(r, 10, 30), 0.0, 1e-6);
    r[25] = 0.9f;
    assert_float_equal(at_stress_hnr_db(r, 10, 30), 10.0 * log10(9.0), 1e-5);
}

static void windows_and_index(void **state)
{
    (void)state;
    at_stress *s = at_stress_new(FPS, 1);
    assert_non_null(s);
    attune_stress_model m = {.bias = 0.0};
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        m.scale[i] = 1.0;
    m.weight[0] = 1.0; /* one semitone above baseline: logit + 1 */
    assert_int_equal(at_stress_set_model(s, &m), 0);
    attune_stress_window w;
    long t = 0;
    int closed = 0;
    /* Silence does not count; 5 s of speech closes a window. */
    at_stress_frame quiet = {0, -60.0, 0.0, NAN, 0.0, 0.0};
    for (int k = 0; k < 300; k++)
        assert_int_equal(at_stress_frame_push(s, t++, &quiet, &w), 0);
    for (int k = 0; k < 500; k++) {
        at_stress_frame f = voiced(200.0, -20.0);
        closed += at_stress_frame_push(s, t++, &f, &w);
    }
    assert_int_equal(closed, 1);
    assert_float_equal(w.start_s, 3.0, 1e-9);
    assert_float_equal(w.t_s, 8.0, 1e-9);
    assert_float_equal(w.raw[0], 12.0, 1e-4);  /* 200 Hz re 100 Hz */
    assert_float_equal(w.raw[1], 0.0, 1e-4);
    assert_float_equal(w.raw[2], 0.0, 1e-6);
    assert_float_equal(w.raw[6], 0.0, 1e-6);   /* steady F0: no jitter */
    assert_float_equal(w.raw[9], 1.0, 1e-9);
    assert_float_equal(w.rel[0], 0.0, 1e-9);   /* the baseline's first window */
    assert_float_equal(w.stress, 50.0, 1e-6);
    /* Two more baseline windows at 200 Hz, then one an octave up. */
    for (int k = 0; k < 1000; k++) {
        at_stress_frame f = voiced(200.0, -20.0);
        at_stress_frame_push(s, t++, &f, &w);
    }
    closed = 0;
    for (int k = 0; k < 500; k++) {
        at_stress_frame f = voiced(400.0, -20.0);
        closed += at_stress_frame_push(s, t++, &f, &w);
    }
    assert_int_equal(closed, 1);
    assert_float_equal(w.rel[0], 12.0, 1e-4);
    assert_float_equal(w.stress, 100.0 / (1.0 + exp(-12.0)), 1e-4);
    assert_float_equal(at_stress_last(s), w.stress, 1e-9);
    assert_float_equal(at_stress_mean(s), (150.0 + w.stress) / 4.0, 1e-4);
    /* A last window needs 1 s of speech. */
    for (int k = 0; k < 50; k++) {
        at_stress_frame f = voiced(200.0, -20.0);
        at_stress_frame_push(s, t++, &f, &w);
    }
    assert_int_equal(at_stress_finish(s, t, &w), 0);
    at_stress_free(s);
}

/* Pushes n voiced frames of F0 f0_hz and Hammarberg index hamm_db, then
 * (when unvoiced > 0) that many unvoiced speech frames; returns the number
 * of windows closed, the last in *w. */
static int push(at_stress *s, long *t, int n, double f0_hz, double hamm_db, int unvoiced,
                attune_stress_window *w)
{
    int closed = 0;
    for (int k = 0; k < n + unvoiced; k++) {
        at_stress_frame f = voiced(k < n ? f0_hz : 0.0, -20.0);
        f.hammarberg_db = hamm_db;
        closed += at_stress_frame_push(s, (*t)++, &f, w);
    }
    return closed;
}

/* A tracker whose model reads the F0 alone (index 100 / (1 + exp(-rel
 * F0))), its baseline three windows at 200 Hz with Hammarberg 20 dB. */
static at_stress *f0_tracker(attune_stress_model *m, long *t, attune_stress_window *w)
{
    at_stress *s = at_stress_new(FPS, 1);
    assert_non_null(s);
    *m = (attune_stress_model){.bias = 0.0};
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        m->scale[i] = 1.0;
    m->weight[0] = 1.0;
    assert_int_equal(at_stress_set_model(s, m), 0);
    *t = 0;
    assert_int_equal(push(s, t, 1500, 200.0, 20.0, 0, w), 3);
    return s;
}

static void running_baseline_and_gates(void **state)
{
    (void)state;
    attune_stress_model m;
    attune_stress_window w;
    long t;
    at_stress *s = f0_tracker(&m, &t, &w);
    /* After the baseline at 200 Hz, calm windows at 212 Hz (one semitone
     * up, index 73 > AT_STRESS_CALM_MAX: not calm)... */
    assert_int_equal(push(s, &t, 500, 200.0 * pow(2.0, 1.0 / 12), 20.0, 0, &w), 1);
    assert_float_equal(w.rel[0], 1.0, 1e-4);
    assert_int_equal(push(s, &t, 500, 200.0 * pow(2.0, 1.0 / 12), 20.0, 0, &w), 1);
    assert_float_equal(w.rel[0], 1.0, 1e-4); /* it did not join the baseline */
    /* ...so with weight 1/4 the same windows are calm and join it: the
     * first is 1 semitone up, and after four of them the median of the
     * seven is 212 Hz. */
    m.weight[0] = 0.25;
    m.bias = -2.0;
    assert_int_equal(at_stress_set_model(s, &m), 0);
    assert_int_equal(push(s, &t, 500, 200.0 * pow(2.0, 1.0 / 12), 20.0, 0, &w), 1);
    assert_float_equal(w.rel[0], 1.0, 1e-4);
    for (int k = 0; k < 3; k++)
        assert_int_equal(push(s, &t, 500, 200.0 * pow(2.0, 1.0 / 12), 20.0, 0, &w), 1);
    assert_int_equal(push(s, &t, 500, 200.0 * pow(2.0, 1.0 / 12), 20.0, 0, &w), 1);
    assert_float_equal(w.rel[0], 0.0, 1e-4);
    /* Falsetto: an octave up with a steeper spectrum gives no point. */
    double last = at_stress_last(s);
    assert_int_equal(push(s, &t, 500, 424.0, 30.0, 0, &w), 1);
    assert_true(w.stress < 0);
    assert_float_equal(at_stress_last(s), last, 1e-12);
    /* An octave up with the same spectrum is scored. */
    assert_int_equal(push(s, &t, 500, 424.0, 20.0, 0, &w), 1);
    assert_true(w.stress > 50);
    /* Voicing falls to 60 % (in runs of 120 ms, as on a louder line where
     * weak unvoiced sounds count as speech, not a laugh's bursts) at the
     * same F0 and spectrum: it counts down to -0.05 only, as does a 10 %
     * fall. */
    int closed = 0;
    for (int k = 0; k < 25; k++)
        closed += push(s, &t, 12, 212.0, 20.0, 8, &w);
    assert_int_equal(closed, 1);
    assert_true(w.stress >= 0);
    assert_float_equal(w.raw[9], 0.6, 0.02);
    assert_float_equal(w.rel[9], AT_STRESS_LAUGH_VOICED, 1e-9);
    closed = 0;
    for (int k = 0; k < 50; k++)
        closed += push(s, &t, 9, 212.0, 20.0, 1, &w);
    assert_int_equal(closed, 1);
    assert_true(w.stress >= 0);
    assert_float_equal(w.rel[9], AT_STRESS_LAUGH_VOICED, 1e-9);
    at_stress_free(s);
}

/* n bursts of speech: `on` voiced frames at F0 f0_hz, `off` unvoiced. */
static int bursts(at_stress *s, long *t, int n, int on, int off, double f0_hz,
                  attune_stress_window *w)
{
    int closed = 0;
    for (int k = 0; k < n; k++)
        closed += push(s, t, on, f0_hz, 20.0, off, w);
    return closed;
}

/* Laugh-like and falsetto-like half-second blocks inside a window stay
 * out of its features; with too little plain speech left, no point. */
static void blocks_in_a_window(void **state)
{
    (void)state;
    attune_stress_model m;
    attune_stress_window w;
    long t;
    at_stress *s = f0_tracker(&m, &t, &w); /* voiced throughout */
    /* Plain blocks alternating with laugh-like ones (4 voiced frames in
     * 10 at 300 Hz: voicing down 0.6, bursts of 40 ms) and falsetto-like
     * ones (an octave up, Hammarberg 10 dB up): 3.5 s plain of 5. */
    int closed = push(s, &t, 150, 200.0, 20.0, 0, &w);
    closed += bursts(s, &t, 5, 4, 6, 300.0, &w);
    closed += push(s, &t, 100, 200.0, 20.0, 0, &w);
    closed += push(s, &t, 50, 400.0, 30.0, 0, &w);
    closed += push(s, &t, 100, 200.0, 20.0, 0, &w);
    assert_int_equal(closed, 0);
    closed += bursts(s, &t, 5, 4, 6, 300.0, &w);
    assert_int_equal(closed, 1);
    assert_float_equal(w.speech_s, 5.0, 1e-9);
    assert_float_equal(w.raw[0], 12.0, 1e-4); /* the plain blocks' F0 */
    assert_float_equal(w.raw[9], 1.0, 1e-9);  /* and their voicing */
    assert_float_equal(w.stress, 50.0, 1e-6);
    /* The same bursts at 120 ms (12 voiced frames in 20) are speech. */
    closed = push(s, &t, 300, 200.0, 20.0, 0, &w) + bursts(s, &t, 10, 12, 8, 200.0, &w);
    assert_int_equal(closed, 1);
    assert_float_equal(w.raw[9], 0.84, 1e-9);
    /* Half the window laughing: no point, the index holds. */
    double last = at_stress_last(s);
    closed = push(s, &t, 250, 200.0, 20.0, 0, &w) + bursts(s, &t, 25, 4, 6, 300.0, &w);
    assert_int_equal(closed, 1);
    assert_true(w.stress < 0);
    assert_float_equal(at_stress_last(s), last, 1e-12);
    /* Plain speech voiced 80 % beside a laugh: its voicing is not read
     * as lower than the baseline's; without the laugh it counts down to
     * AT_STRESS_LAUGH_VOICED only (the window gate). */
    closed = bursts(s, &t, 30, 12, 3, 200.0, &w) + bursts(s, &t, 5, 4, 6, 300.0, &w);
    assert_int_equal(closed, 1);
    assert_float_equal(w.raw[9], 0.8, 1e-9);
    assert_float_equal(w.rel[9], 0.0, 1e-9);
    assert_true(w.stress >= 0);
    closed = bursts(s, &t, 30, 12, 3, 200.0, &w) + push(s, &t, 50, 200.0, 20.0, 0, &w);
    assert_int_equal(closed, 1);
    assert_float_equal(w.rel[9], AT_STRESS_LAUGH_VOICED, 1e-9);
    /* Shorter voiced runs with the spectrum flatter (alpha ratio up 10 dB,
     * raised effort as in a shout) are not a laugh: scored, all pooled. */
    closed = 0;
    for (int k = 0; k < 500; k++) {
        at_stress_frame f = voiced(k % 10 < 4 ? 300.0 : 0.0, -20.0);
        f.alpha_db = 0.0;
        closed += at_stress_frame_push(s, t++, &f, &w);
    }
    assert_int_equal(closed, 1);
    assert_true(w.stress > 50);
    assert_float_equal(w.raw[9], 0.4, 1e-9);
    at_stress_free(s);
}

static void bad_model(void **state)
{
    (void)state;
    at_stress *s = at_stress_new(FPS, 0);
    attune_stress_model m = {.bias = 0.0};
    assert_int_equal(at_stress_set_model(s, &m), -1); /* zero scales */
    at_stress_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spectral_balance),
        cmocka_unit_test(hnr),
        cmocka_unit_test(windows_and_index),
        cmocka_unit_test(running_baseline_and_gates),
        cmocka_unit_test(blocks_in_a_window),
        cmocka_unit_test(bad_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
