/* Unit tests for noise.c: the floor of steady noise is its mean power, it
 * follows a drop at once and a rise within its window, and speech-like
 * bursts on top do not lift it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "noise.h"

#include <math.h>

static unsigned rng = 12345u;

/* Band power of Gaussian-ish noise: a chi-square with a few degrees of
 * freedom around mean m, like a mel band of a few FFT bins. */
static float noisy(float m)
{
    double s = 0;
    for (int k = 0; k < 8; k++) {
        double u = 0;
        for (int j = 0; j < 4; j++) {
            rng = rng * 1664525u + 1013904223u;
            u += (rng >> 8) / 16777216.0 - 0.5;
        }
        s += u * u * 3.0; /* unit variance-ish squared */
    }
    return (float)(m * s / 8.0);
}

static void feed(at_noise *n, float mean, int frames, float burst)
{
    float b[AT_N_BANDS];
    for (int t = 0; t < frames; t++) {
        for (int k = 0; k < AT_N_BANDS; k++)
            b[k] = noisy(mean) + ((t / 25) % 2 ? burst : 0.0f);
        at_noise_update(n, b, 0);
    }
}

static double floor_db(const at_noise *n, float mean)
{
    double s = 0;
    for (int k = 0; k < AT_N_BANDS; k++)
        s += 10 * log10(n->floor[k] / mean);
    return s / AT_N_BANDS;
}

static void steady_noise(void **state)
{
    (void)state;
    at_noise n;
    at_noise_init(&n);
    feed(&n, 1e-4f, 300, 0.0f);
    assert_float_equal(floor_db(&n, 1e-4f), 0.0, 2.0);
}

static void follows_drop_and_rise(void **state)
{
    (void)state;
    at_noise n;
    at_noise_init(&n);
    feed(&n, 1e-4f, 300, 0.0f);
    feed(&n, 1e-5f, 40, 0.0f); /* 10 dB quieter: followed within 0.4 s */
    assert_float_equal(floor_db(&n, 1e-5f), 0.0, 2.5);
    feed(&n, 1e-3f, 100, 0.0f); /* 20 dB louder: not yet... */
    assert_true(floor_db(&n, 1e-3f) < -10.0);
    feed(&n, 1e-3f, 130, 0.0f); /* ...but after the 2 s window, yes */
    assert_float_equal(floor_db(&n, 1e-3f), 0.0, 2.0);
}

static void bursts_do_not_lift_it(void **state)
{
    (void)state;
    at_noise n;
    at_noise_init(&n);
    /* 250 ms on, 250 ms off at +30 dB: like syllables over noise.  Half
     * as many noise frames in the window leave the minimum a little higher
     * (the known bias of minimum statistics), but nowhere near the bursts. */
    feed(&n, 1e-5f, 600, 1e-2f);
    double d = floor_db(&n, 1e-5f);
    assert_true(d > -1.0 && d < 4.0);
}

static void speech_frames_stay_out(void **state)
{
    (void)state;
    at_noise n;
    at_noise_init(&n);
    feed(&n, 1e-5f, 300, 0.0f);
    /* 5 s of loud speech flagged as such, with 100 ms pauses between its
     * words: only the pauses reach the floor, which holds. */
    float b[AT_N_BANDS];
    for (int t = 0; t < 500; t++) {
        int pause = t % 60 >= 50;
        for (int k = 0; k < AT_N_BANDS; k++)
            b[k] = noisy(pause ? 1e-5f : 1e-3f);
        at_noise_update(&n, b, !pause);
    }
    assert_float_equal(floor_db(&n, 1e-5f), 0.0, 2.5);
    /* "Speech" that never pauses is a noise that rose and stays: the plain
     * 2 s minimum follows it. */
    for (int t = 0; t < 230; t++) {
        for (int k = 0; k < AT_N_BANDS; k++)
            b[k] = noisy(1e-3f);
        at_noise_update(&n, b, 1);
    }
    assert_float_equal(floor_db(&n, 1e-3f), 0.0, 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steady_noise),
        cmocka_unit_test(follows_drop_and_rise),
        cmocka_unit_test(bursts_do_not_lift_it),
        cmocka_unit_test(speech_frames_stay_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
