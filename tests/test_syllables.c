/* Unit tests for syllables.c on synthetic syllable trains: an amplitude-
 * modulated harmonic complex ("vowels" with consonant dips between them) at
 * known rates from 2 to 7 syllables per second gives its exact count +-1;
 * unvoiced peaks, peaks far below the speaker's level and peaks without a
 * 2 dB dip between them are not nuclei; a peak with only a voiced candidate
 * counts at the speaker's level but not 22 dB under it, and breaths before
 * the speech do not set that level; a short clip keeps its first and last
 * syllables; the level is the bands' correlation, not their sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "frame.h"
#include "syllables.h"

#include <math.h>
#include <stdlib.h>

#define RATE 16000

/* Syllable k's peak level in dB below full scale (varied, as speech is). */
static int vary_gain = 1;
static double syllable_gain_db(int k) { return vary_gain ? -6.0 * ((k * 7) % 3) : 0.0; }

/* n syllables at `rate` per second: each a raised-cosine "vowel" over 60 %
 * of its slot, dipping `dip_db` between syllables, on a 120-180 Hz complex. */
static float *train(double rate, int n, double dip_db, double *secs)
{
    double slot = 1.0 / rate;
    *secs = n * slot + 0.5;
    long len = (long)(*secs * RATE);
    float *x = calloc(len, sizeof(float));
    double floor_amp = pow(10.0, -dip_db / 20.0), phase = 0;
    for (long i = 0; i < len; i++) {
        double t = (double)i / RATE - 0.25;
        int k = (int)floor(t / slot);
        if (t < 0 || k >= n)
            continue;
        double u = (t - k * slot) / slot; /* 0..1 within the slot */
        double env = u < 0.6 ? 0.5 - 0.5 * cos(2 * M_PI * u / 0.6) : 0.0;
        env = floor_amp + (1.0 - floor_amp) * env;
        double f0 = 150.0 + 30.0 * sin(2 * M_PI * 0.5 * t);
        phase += 2 * M_PI * f0 / RATE;
        double s = 0;
        for (int h = 1; h * f0 < 3800; h++)
            s += sin(h * phase) / h;
        x[i] = (float)(0.2 * pow(10.0, syllable_gain_db(k) / 20.0) * env * s);
    }
    return x;
}

/* Frames [periodic_from, periodic_to) get AT_SYL_PERIODIC instead of the
 * voicing count() is given. */
static long periodic_from = -1, periodic_to = -1;

/* Feeds x frame by frame with the given voicing and returns the nuclei. */
static int count(const float *x, double secs, int voicing, double gain_db)
{
    at_frame_geom g;
    at_frame_geom_init(&g, RATE);
    at_frame *f = at_frame_new(&g);
    at_syl s;
    at_syl_init(&s, 100.0);
    long len = (long)(secs * RATE), t = 0, last = -100;
    int n = 0;
    float *w = malloc(sizeof(float) * g.wlen);
    double gain = pow(10.0, gain_db / 20.0);
    for (long i = 0; i + g.wlen <= len; i += g.hop, t++) {
        for (int j = 0; j < g.wlen; j++)
            w[j] = (float)(x[i + j] * gain);
        at_frame_analyse(f, w);
        double lvl = at_syl_level_db(at_frame_bands(f));
        long nuc[AT_SYL_MAX_OUT];
        int v = t >= periodic_from && t < periodic_to ? AT_SYL_PERIODIC : voicing;
        int k = at_syl_frame(&s, t, lvl, lvl > -80.0, v, nuc);
        assert_true(k >= 0);
        for (int j = 0; j < k; j++) {
            assert_true(nuc[j] < t && nuc[j] > last);
            last = nuc[j];
        }
        n += k;
    }
    long nuc[AT_SYL_MAX_OUT];
    int k = at_syl_finish(&s, nuc);
    for (int j = 0; j < k; j++) {
        assert_true(nuc[j] < t && nuc[j] > last);
        last = nuc[j];
    }
    n += k;
    free(w);
    at_frame_free(f);
    return n;
}

static void known_rates_give_exact_counts(void **state)
{
    (void)state;
    for (double rate = 2.0; rate <= 7.0; rate += 1.0) {
        double secs;
        int n = (int)(8 * rate);
        float *x = train(rate, n, 25.0, &secs);
        int got = count(x, secs, AT_SYL_PITCHED, 0.0);
        assert_in_range(got, n - 1, n + 1);
        /* 30 dB quieter: the threshold follows the speaker's own level. */
        assert_in_range(count(x, secs, AT_SYL_PITCHED, -30.0), n - 1, n + 1);
        free(x);
    }
}

static void unvoiced_peaks_are_not_nuclei(void **state)
{
    (void)state;
    double secs;
    float *x = train(4.0, 20, 25.0, &secs);
    assert_int_equal(count(x, secs, AT_SYL_UNVOICED, 0.0), 0);
    free(x);
}

static void shallow_dips_do_not_split(void **state)
{
    (void)state;
    /* A 1 dB ripple of equal syllables is one long vowel, not 25 syllables
     * (the gliding F0 moving harmonics across band edges may add a dip or
     * two of its own). */
    double secs;
    vary_gain = 0;
    float *x = train(5.0, 25, 1.0, &secs);
    assert_in_range(count(x, secs, AT_SYL_PITCHED, 0.0), 0, 3);
    free(x);
    vary_gain = 1;
}

static void short_clip_keeps_its_first_syllable(void **state)
{
    (void)state;
    /* Four syllables, 0.8 s: the first peak comes before the speaker's
     * level is known and is held, not dropped. */
    double secs;
    float *x = train(5.0, 4, 25.0, &secs);
    assert_int_equal(count(x, secs, AT_SYL_PITCHED, 0.0), 4);
    free(x);
}

static void a_quiet_click_before_speech_is_not_a_nucleus(void **state)
{
    (void)state;
    /* A voiced 30 ms burst 40 dB under the syllables, before them: held
     * until the level reference is known, then rejected. */
    double secs;
    float *x = train(4.0, 8, 25.0, &secs);
    for (long i = (long)(0.05 * RATE); i < (long)(0.08 * RATE); i++)
        x[i] = (float)(0.002 * sin(2 * M_PI * 150.0 * i / RATE));
    assert_int_equal(count(x, secs, AT_SYL_PITCHED, 0.0), 8);
    free(x);
}

static void a_stream_cut_inside_a_vowel_counts_it(void **state)
{
    (void)state;
    /* Audio ending just after the last vowel's peak, with no dip after it
     * (clips cut from longer sentences end so). */
    double secs;
    float *x = train(4.0, 8, 25.0, &secs);
    double cut = 0.25 + 7.35 / 4.0;
    assert_int_equal(count(x, cut, AT_SYL_PITCHED, 0.0), 8);
    assert_int_equal(count(x, cut - 0.3 / 4.0, AT_SYL_PITCHED, 0.0), 7);
    free(x);
}

/* A 60 ms burst of the same complex, gain_db under the loudest syllable. */
static void burst(float *x, double at_s, double gain_db)
{
    double a = 0.2 * pow(10.0, gain_db / 20.0);
    for (long i = (long)(at_s * RATE); i < (long)((at_s + 0.06) * RATE); i++) {
        double u = (i - at_s * RATE) / (0.06 * RATE);
        double s = 0;
        for (int h = 1; h * 150.0 < 3800; h++)
            s += sin(2 * M_PI * h * 150.0 * i / RATE) / h;
        x[i] = (float)(a * (0.5 - 0.5 * cos(2 * M_PI * u)) * s);
    }
}

static void creak_at_the_speakers_level_counts(void **state)
{
    (void)state;
    /* Syllables 3 and 4 (1.0-1.5 s) with a voiced candidate but no F0. */
    double secs;
    float *x = train(4.0, 8, 25.0, &secs);
    periodic_from = 100;
    periodic_to = 150;
    assert_int_equal(count(x, secs, AT_SYL_PITCHED, 0.0), 8);
    periodic_from = periodic_to = -1;
    free(x);
}

static void a_weak_peak_without_f0_is_not_a_nucleus(void **state)
{
    (void)state;
    /* A burst 22 dB under the loudest syllable, 0.3 s after the last: a
     * nucleus when it has an F0 (within 25 dB), not when it only has a
     * voiced candidate (18 dB). */
    double secs;
    float *x = train(4.0, 8, 25.0, &secs);
    double len = secs + 0.4;
    float *y = calloc((size_t)(len * RATE), sizeof(float));
    for (long i = 0; i < (long)(len * RATE); i++)
        y[i] = i < (long)(secs * RATE) ? x[i] : 0.0f;
    burst(y, 2.5, -22.0);
    assert_int_equal(count(y, len, AT_SYL_PITCHED, 0.0), 9);
    periodic_from = 245;
    periodic_to = 260;
    assert_int_equal(count(y, len, AT_SYL_PITCHED, 0.0), 8);
    periodic_from = periodic_to = -1;
    free(y);
    free(x);
}

static void breaths_before_speech_do_not_set_its_level(void **state)
{
    (void)state;
    /* Three bursts 30 dB under the syllables in the first 0.25 s, with a
     * voiced candidate but no F0: more than AT_SYL_HOLD_S before the first
     * F0, they are judged against no level at all, not their own. */
    double secs;
    float *x = train(2.0, 6, 25.0, &secs);
    float *y = calloc((size_t)((secs + 0.5) * RATE), sizeof(float));
    for (long i = 0; i < (long)(secs * RATE); i++)
        y[i + (long)(0.5 * RATE)] = x[i];
    for (int k = 0; k < 3; k++)
        burst(y, 0.02 + 0.1 * k, -30.0);
    periodic_from = 0;
    periodic_to = 45;
    assert_int_equal(count(y, secs + 0.5, AT_SYL_PITCHED, 0.0), 6);
    periodic_from = periodic_to = -1;
    free(y);
    free(x);
}

static void the_level_is_the_bands_correlation(void **state)
{
    (void)state;
    /* The same power spread over the eight low bands or in one of them:
     * the spread one (a vowel) is 10 dB under the power's level, the
     * concentrated one (a nasal murmur) far below. */
    float spread[AT_N_BANDS] = {0}, one[AT_N_BANDS] = {0};
    for (int k = 0; k < AT_SYL_LEVEL_BANDS; k++)
        spread[k] = 1e-3f / AT_SYL_LEVEL_BANDS;
    one[0] = 1e-3f;
    assert_float_equal(at_syl_level_db(spread), -30.0 - 10.0 * log10(8.0), 1e-3);
    assert_true(at_syl_level_db(one) < -100.0);
    at_syl s;
    at_syl_init(&s, 100.0);
    long nuc[AT_SYL_MAX_OUT];
    assert_int_equal(at_syl_frame(&s, 0, -30.0, 1, 3, nuc), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_rates_give_exact_counts),
        cmocka_unit_test(unvoiced_peaks_are_not_nuclei),
        cmocka_unit_test(shallow_dips_do_not_split),
        cmocka_unit_test(short_clip_keeps_its_first_syllable),
        cmocka_unit_test(a_quiet_click_before_speech_is_not_a_nucleus),
        cmocka_unit_test(a_stream_cut_inside_a_vowel_counts_it),
        cmocka_unit_test(creak_at_the_speakers_level_counts),
        cmocka_unit_test(a_weak_peak_without_f0_is_not_a_nucleus),
        cmocka_unit_test(breaths_before_speech_do_not_set_its_level),
        cmocka_unit_test(the_level_is_the_bands_correlation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
