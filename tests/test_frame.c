/* Unit tests for frame.c on known signals: a full-scale sine reads 0 dB in
 * its band, a 200 Hz harmonic tone has voicing near 1 at lag fs/200, white
 * noise has little voicing; at every supported rate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "frame.h"

#include <math.h>
#include <stdlib.h>

static const int rates[] = {8000, 16000, 22050, 44100, 48000};

static float *sine(int n, int rate, double hz, double amp)
{
    float *x = malloc(sizeof(float) * n);
    for (int i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * M_PI * hz * i / rate));
    return x;
}

static void geometry(void **state)
{
    (void)state;
    at_frame_geom g;
    assert_int_equal(at_frame_geom_init(&g, 7999), -1);
    assert_int_equal(at_frame_geom_init(&g, 48001), -1);
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        assert_int_equal(at_frame_geom_init(&g, rates[r]), 0);
        assert_int_equal(g.hop, (int)lround(rates[r] / 100.0));
        assert_true(g.nfft >= g.wlen + g.lag_max);
        assert_int_equal(g.nfft & (g.nfft - 1), 0);
        for (int b = 0; b < AT_N_BANDS; b++) {
            assert_true(g.band_lo[b] < g.band_hi[b]);
            if (b)
                assert_int_equal(g.band_lo[b], g.band_hi[b - 1]);
        }
        assert_true(g.band_hi[AT_N_BANDS - 1] * (double)rates[r] / g.nfft < 4000.0);
    }
}

static void full_scale_sine_is_0_db(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        at_frame_geom g;
        at_frame_geom_init(&g, rates[r]);
        at_frame *f = at_frame_new(&g);
        float *x = sine(g.wlen, rates[r], 1000.0, 1.0);
        at_frame_analyse(f, x);
        assert_float_equal(at_frame_level_db(f), 0.0, 0.3);
        float *y = sine(g.wlen, rates[r], 1000.0, 0.01);
        at_frame_analyse(f, y);
        assert_float_equal(at_frame_level_db(f), -40.0, 0.3);
        /* A 60 Hz hum is outside the speech band. */
        float *z = sine(g.wlen, rates[r], 60.0, 1.0);
        at_frame_analyse(f, z);
        assert_true(at_frame_level_db(f) < -20.0);
        free(x);
        free(y);
        free(z);
        at_frame_free(f);
    }
}

static void harmonic_tone_is_voiced_at_its_period(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        int rate = rates[r];
        at_frame_geom g;
        at_frame_geom_init(&g, rate);
        at_frame *f = at_frame_new(&g);
        float *x = malloc(sizeof(float) * g.wlen);
        for (double f0 = 100.0; f0 <= 300.0; f0 += 100.0) {
            for (int i = 0; i < g.wlen; i++) {
                double s = 0;
                for (int h = 1; h * f0 < 3500.0; h++)
                    s += sin(2 * M_PI * h * f0 * i / rate + h) / h;
                x[i] = (float)(0.1 * s);
            }
            at_frame_analyse(f, x);
            int lag;
            double v = at_frame_voicing(f, &lag);
            assert_true(v > 0.55); /* magnitude-spectrum ACF: lower peaks, same lags */
            assert_true(fabs(lag - rate / f0) <= 1.5);
        }
        /* White noise: no period. */
        unsigned seed = 1;
        for (int i = 0; i < g.wlen; i++) {
            seed = seed * 1103515245u + 12345u;
            x[i] = (float)(((seed >> 8) & 0xffff) / 32768.0 - 1.0) * 0.1f;
        }
        at_frame_analyse(f, x);
        assert_true(at_frame_voicing(f, NULL) < 0.3);
        free(x);
        at_frame_free(f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geometry),
        cmocka_unit_test(full_scale_sine_is_0_db),
        cmocka_unit_test(harmonic_tone_is_voiced_at_its_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
