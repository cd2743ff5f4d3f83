/* Unit tests for pitch.c on known signals: tones and harmonic complexes have
 * their F0, also with the fundamental missing at 8 kHz (a man on the phone);
 * a strong second harmonic and a gliding voice do not trap the tracker into
 * octave jumps; noise is unvoiced; the median and range in semitones come
 * out of the histogram. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "frame.h"
#include "pitch.h"

#include <math.h>
#include <stdlib.h>

#define MAX_FRAMES 400

typedef struct track {
    int n;
    double f0[MAX_FRAMES];
} track;

/* f0 at time t (s); harmonic h's amplitude; overall level. */
typedef double (*f0_fn)(double t);
typedef double (*amp_fn)(int h);

static unsigned rng = 7u;
static double noise(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (rng >> 8) / 8388608.0 - 1.0;
}

/* A harmonic complex up to 3800 Hz with a time-varying F0, phase-continuous. */
static float *complex_tone(int rate, double secs, f0_fn f0, amp_fn amp, double noise_amp)
{
    long n = (long)(rate * secs);
    float *x = malloc(sizeof(float) * n);
    double phase = 0;
    for (long i = 0; i < n; i++) {
        double f = f0((double)i / rate);
        phase += 2 * M_PI * f / rate;
        double s = 0;
        for (int h = 1; h * f < 3800.0 && h * f < rate / 2.0; h++)
            s += amp(h) * sin(h * phase);
        x[i] = (float)(0.1 * s + noise_amp * noise());
    }
    return x;
}

/* Runs the tracker over x (every frame treated as speech-like) into tr. */
static void run(int rate, const float *x, double secs, track *tr, at_pitch **out_p)
{
    at_frame_geom g;
    assert_int_equal(at_frame_geom_init(&g, rate), 0);
    at_frame *f = at_frame_new(&g);
    at_pitch *p = at_pitch_new(&g);
    float *r = malloc(sizeof(float) * (g.lag_max + 2));
    assert_non_null(f);
    assert_non_null(p);
    long n = (long)(rate * secs);
    tr->n = 0;
    at_pitch_out po, rest[AT_PITCH_DELAY];
    for (long s = 0; s + g.wlen <= n && tr->n < MAX_FRAMES; s += g.hop) {
        at_frame_analyse(f, x + s);
        const float *rr = at_frame_pitch_acf(f, r) == 0 ? r : NULL;
        if (at_pitch_push(p, rr, at_frame_level_db(f), &po)) {
            assert_int_equal(po.t, tr->n);
            tr->f0[tr->n++] = po.f0_hz;
        }
    }
    int k = at_pitch_flush(p, rest);
    for (int i = 0; i < k && tr->n < MAX_FRAMES; i++)
        tr->f0[tr->n++] = rest[i].f0_hz;
    free(r);
    at_frame_free(f);
    if (out_p)
        *out_p = p;
    else
        at_pitch_free(p);
}

static double tone_f0;
static double steady(double t) { (void)t; return tone_f0; }
static double glide(double t) { return 100.0 * pow(2.0, t / 2.0); } /* an octave in 2 s */
static double only_first(int h) { return h == 1 ? 1.0 : 0.0; }
static double falling(int h) { return 1.0 / h; }
static double no_fundamental(int h) { return h < 4 ? 0.0 : 1.0 / h; }
static double strong_second(int h) { return h == 2 ? 3.0 : 1.0 / h; }

/* Fraction of frames (skipping the first and last 5) within tol of want(t). */
static double share_right(const track *tr, f0_fn want, double tol)
{
    int ok = 0, n = 0;
    for (int i = 5; i < tr->n - 5; i++, n++) {
        double w = want((i * 0.01) + 0.016);
        ok += tr->f0[i] > 0 && fabs(tr->f0[i] / w - 1.0) <= tol;
    }
    return n ? (double)ok / n : 0.0;
}

static void tones_and_complexes_have_their_f0(void **state)
{
    (void)state;
    static const int rates[] = {8000, 16000, 44100};
    static const double f0s[] = {80.0, 120.0, 210.0, 330.0, 450.0};
    for (size_t r = 0; r < 3; r++) {
        for (size_t k = 0; k < 5; k++) {
            tone_f0 = f0s[k];
            track tr;
            float *x = complex_tone(rates[r], 1.0, steady, falling, 0.0);
            run(rates[r], x, 1.0, &tr, NULL);
            assert_true(share_right(&tr, steady, 0.02) > 0.98);
            free(x);
            if (tone_f0 < 100.0)
                continue; /* a pure 80 Hz tone is below the 150 Hz of the level's band */
            x = complex_tone(rates[r], 1.0, steady, only_first, 0.0);
            run(rates[r], x, 1.0, &tr, NULL);
            assert_true(share_right(&tr, steady, 0.02) > 0.98);
            free(x);
        }
    }
}

static void missing_fundamental_on_the_phone(void **state)
{
    (void)state;
    /* A man at 95 Hz through a 300-3400 Hz line: harmonics 4 and up only. */
    tone_f0 = 95.0;
    track tr;
    float *x = complex_tone(8000, 1.0, steady, no_fundamental, 0.0);
    run(8000, x, 1.0, &tr, NULL);
    assert_true(share_right(&tr, steady, 0.03) > 0.95);
    free(x);
}

static void no_octave_jumps(void **state)
{
    (void)state;
    track tr;
    /* A second harmonic three times the fundamental tempts an octave up. */
    tone_f0 = 150.0;
    float *x = complex_tone(16000, 1.0, steady, strong_second, 0.0);
    run(16000, x, 1.0, &tr, NULL);
    assert_true(share_right(&tr, steady, 0.03) > 0.97);
    free(x);
    /* A voice gliding through an octave, with some noise, stays on it. */
    x = complex_tone(8000, 2.0, glide, falling, 0.01);
    run(8000, x, 2.0, &tr, NULL);
    assert_true(share_right(&tr, glide, 0.05) > 0.95);
    free(x);
}

static void noise_is_unvoiced(void **state)
{
    (void)state;
    static const int rates[] = {8000, 16000};
    for (size_t r = 0; r < 2; r++) {
        tone_f0 = 100.0;
        track tr;
        float *x = complex_tone(rates[r], 2.0, steady, only_first, 0.3);
        for (long i = 0; i < rates[r] * 2; i++)
            x[i] = (float)(0.3 * noise()); /* overwrite: noise only */
        run(rates[r], x, 2.0, &tr, NULL);
        int voiced = 0;
        for (int i = 0; i < tr.n; i++)
            voiced += tr.f0[i] > 0;
        assert_true(voiced <= tr.n / 50);
        free(x);
    }
}

static void median_and_range_from_the_histogram(void **state)
{
    (void)state;
    track tr;
    at_pitch *p;
    tone_f0 = 200.0;
    float *x = complex_tone(16000, 1.0, steady, falling, 0.0);
    run(16000, x, 1.0, &tr, &p);
    assert_float_equal(at_pitch_median_hz(p), 200.0, 2.0);
    assert_true(at_pitch_range_st(p) < 0.5);
    at_pitch_free(p);
    free(x);
    /* 100 to 200 Hz evenly in semitones: median near 141 Hz, the 5th to
     * 95th percentile range 0.9 octave = 10.8 semitones. */
    x = complex_tone(16000, 2.0, glide, falling, 0.0);
    run(16000, x, 2.0, &tr, &p);
    assert_float_equal(at_pitch_median_hz(p), 141.4, 3.0);
    assert_float_equal(at_pitch_range_st(p), 10.8, 0.5);
    at_pitch_free(p);
    free(x);
    /* Too little voicing: no figures. */
    at_frame_geom g;
    at_frame_geom_init(&g, 16000);
    p = at_pitch_new(&g);
    assert_true(at_pitch_median_hz(p) < 0);
    assert_true(at_pitch_range_st(p) < 0);
    at_pitch_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tones_and_complexes_have_their_f0),
        cmocka_unit_test(missing_fundamental_on_the_phone),
        cmocka_unit_test(no_octave_jumps),
        cmocka_unit_test(noise_is_unvoiced),
        cmocka_unit_test(median_and_range_from_the_histogram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
