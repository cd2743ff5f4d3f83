/* noise: per-band noise floor by minimum statistics (after Martin 2001):
 * the minimum of the smoothed band power over a window, kept as sub-window
 * minima so memory is fixed, times a bias factor.
 *
 * Frames the voice-activity stage judged speech stay out of the 2 s
 * minimum, so a long stretch of continuous voice (a monologue, a sustained
 * "mmm") cannot become "noise" and eat its own quiet syllables.  When a
 * whole 2 s window is "speech", the plain minimum over all its frames
 * stands in (Martin's estimator as published): real speech leaves dips
 * there, and a noise that rose and stays is still followed. */
#ifndef ATTUNE_NOISE_H
#define ATTUNE_NOISE_H

#include "frame.h"

#define AT_NOISE_SUB 8    /* sub-windows per window */
#define AT_NOISE_LEN 25   /* frames per sub-window: 8 x 25 x 10 ms = 2 s */

typedef struct at_min_window {
    float sub_min[AT_NOISE_SUB][AT_N_BANDS];
    float cur_min[AT_N_BANDS];
    float closed_min[AT_N_BANDS]; /* minimum over the closed sub-windows */
    int len, n_in_sub, sub;
} at_min_window;

typedef struct at_noise {
    float smooth[AT_N_BANDS];
    float quiet_smooth[AT_N_BANDS]; /* smoothing restarted at each pause */
    at_min_window quiet;  /* non-speech frames, 2 s */
    at_min_window all;    /* every frame, 2 s */
    float floor[AT_N_BANDS];
    int n_frames;
    int quiet_run;        /* consecutive non-speech frames */
} at_noise;

void at_noise_init(at_noise *n);

/* Updates with one frame's band powers; is_speech keeps it out of the
 * short window.  n->floor holds the estimate. */
void at_noise_update(at_noise *n, const float *bands, int is_speech);

#endif
