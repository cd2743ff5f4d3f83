/* noise: minimum-statistics noise floor per band (see noise.h). */
#include "noise.h"

#include <float.h>
#include <string.h>

/* The minimum of a smoothed noise power sits below its mean; for 16 mel
 * bands of a few bins smoothed over ~30 ms, measured on white and pink
 * noise the mean is about 2.2 times the 2 s minimum. */
#define BIAS 2.2f
#define ALPHA 0.7f  /* smoothing of band power before taking minima */

static void window_init(at_min_window *w, int len)
{
    memset(w, 0, sizeof *w);
    w->len = len;
    for (int s = 0; s < AT_NOISE_SUB; s++)
        for (int b = 0; b < AT_N_BANDS; b++)
            w->sub_min[s][b] = FLT_MAX;
    for (int b = 0; b < AT_N_BANDS; b++)
        w->cur_min[b] = w->closed_min[b] = FLT_MAX;
}

static void window_add(at_min_window *w, const float *x, int use)
{
    if (use)
        for (int b = 0; b < AT_N_BANDS; b++)
            if (x[b] < w->cur_min[b])
                w->cur_min[b] = x[b];
    if (++w->n_in_sub < w->len)
        return;
    memcpy(w->sub_min[w->sub], w->cur_min, sizeof w->cur_min);
    w->sub = (w->sub + 1) % AT_NOISE_SUB;
    w->n_in_sub = 0;
    /* The closed sub-windows change only here: their minimum is kept, not
     * searched every frame. */
    for (int b = 0; b < AT_N_BANDS; b++) {
        float m = FLT_MAX;
        for (int s = 0; s < AT_NOISE_SUB; s++)
            if (w->sub_min[s][b] < m)
                m = w->sub_min[s][b];
        w->closed_min[b] = m;
        w->cur_min[b] = FLT_MAX;
    }
}

static float window_min(const at_min_window *w, int b)
{
    return w->cur_min[b] < w->closed_min[b] ? w->cur_min[b] : w->closed_min[b];
}

void at_noise_init(at_noise *n)
{
    memset(n, 0, sizeof *n);
    window_init(&n->quiet, AT_NOISE_LEN);
    window_init(&n->all, AT_NOISE_LEN);
}

void at_noise_update(at_noise *n, const float *bands, int is_speech)
{
    for (int b = 0; b < AT_N_BANDS; b++)
        n->smooth[b] = n->n_frames ? ALPHA * n->smooth[b] + (1.0f - ALPHA) * bands[b] : bands[b];
    n->n_frames++;
    /* Pauses get their own smoothing, restarted at each pause, so the
     * speech before it does not leak in; from 50 ms on they count. */
    n->quiet_run = is_speech ? 0 : n->quiet_run + 1;
    for (int b = 0; b < AT_N_BANDS; b++)
        n->quiet_smooth[b] = n->quiet_run <= 1 ? bands[b]
                             : ALPHA * n->quiet_smooth[b] + (1.0f - ALPHA) * bands[b];
    window_add(&n->quiet, n->quiet_smooth, n->quiet_run >= 5);
    window_add(&n->all, n->smooth, 1);
    for (int b = 0; b < AT_N_BANDS; b++) {
        float m = window_min(&n->quiet, b);
        if (m == FLT_MAX)
            m = window_min(&n->all, b);
        n->floor[b] = m * BIAS;
    }
}
