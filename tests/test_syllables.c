/* Unit tests for syllables.c on synthetic syllable trains: an amplitude-
 * modulated harmonic complex ("vowels" with consonant dips between them) at
 * known rates from 2 to 7 syllables per second gives its exact count +-1;
 * unvoiced peaks, peaks far below the speaker's level and peaks without a
 * 2 dB dip between them are not nuclei; a short clip keeps its first and
 * last syllables. */
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

/* Feeds x frame by frame with the given voicing and returns the nuclei. */
static int count(const float *x, double secs, int voiced, double gain_db)
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
        const float *b = at_frame_bands(f);
        double sum = 0;
        for (int k = 0; k < 8; k++)
            sum += b[k];
        double lvl = 10.0 * log10(sum + 1e-12);
        long nuc[AT_SYL_MAX_OUT];
        int k = at_syl_frame(&s, t, lvl, lvl > -70.0, voiced, nuc);
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
        int got = count(x, secs, 1, 0.0);
        assert_in_range(got, n - 1, n + 1);
        /* 30 dB quieter: the threshold follows the speaker's own level. */
        assert_in_range(count(x, secs, 1, -30.0), n - 1, n + 1);
        free(x);
    }
}

static void unvoiced_peaks_are_not_nuclei(void **state)
{
    (void)state;
    double secs;
    float *x = train(4.0, 20, 25.0, &secs);
    assert_int_equal(count(x, secs, 0, 0.0), 0);
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
    assert_in_range(count(x, secs, 1, 0.0), 0, 3);
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
    assert_int_equal(count(x, secs, 1, 0.0), 4);
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
    assert_int_equal(count(x, secs, 1, 0.0), 8);
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
    assert_int_equal(count(x, cut, 1, 0.0), 8);
    assert_int_equal(count(x, cut - 0.3 / 4.0, 1, 0.0), 7);
    free(x);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
