/* overlap: both voices at a change of speaker without a pause (see overlap.h). */
#include "overlap.h"

#include <math.h>

#define ST_BINS 1000           /* pitch histogram: 1/20 semitone from 50 Hz */
#define ST_STEP 0.05

/* Whether frames from t on, in direction dir, hold at least n frames of
 * speaker k in a row. */
static int run_of(const at_diar *d, long t, int dir, int k, int n)
{
    for (int i = 0; i < n; i++)
        if (at_diar_label(d, t + dir * i) != k)
            return 0;
    return 1;
}

int at_overlap_second(const at_diar *d, long t, int before_frames, int after_frames,
                      int min_run)
{
    int own = at_diar_label(d, t);
    if (own < 0)
        return -1;
    /* Towards the other voice, through speech only: before t for a voice
     * that ends in the overlap (t is at most after_frames past the
     * change), after t for one that starts in it (before_frames ahead). */
    for (int dir = -1; dir <= 1; dir += 2) {
        int reach = dir < 0 ? after_frames : before_frames;
        for (int k = 1; k <= reach; k++) {
            long u = t + dir * k;
            int lab = at_diar_label(d, u);
            if (lab < 0)
                break;
            if (lab == own)
                continue;
            /* A change between two held voices, not the labels wavering. */
            if (run_of(d, u, dir, lab, min_run) && run_of(d, u - dir, -dir, own, min_run))
                return lab;
            break;
        }
    }
    return -1;
}

static double semitones(double f0_hz) { return 12.0 * log2(f0_hz / 50.0); }

static double hist_median(const int *h, long n)
{
    long seen = 0;
    for (int b = 0; b < ST_BINS; b++) {
        seen += h[b];
        if (2 * seen > n)
            return b * ST_STEP;
    }
    return (ST_BINS - 1) * ST_STEP;
}

void at_overlap_voices_find(const at_diar *d, double min_sep_st, at_overlap_voices *v)
{
    int h[2][ST_BINS] = {{0}};
    long n[2] = {0, 0};
    long nf = at_diar_n_frames(d);
    for (long t = 0; t < nf; t++) {
        int k = at_diar_label(d, t);
        double f0 = at_diar_f0(d, t);
        if (k < 0 || f0 <= 0.0)
            continue;
        long b = lround(semitones(f0) / ST_STEP);
        if (b < 0 || b >= ST_BINS)
            continue;
        h[k][b]++;
        n[k]++;
    }
    v->apart = 0;
    for (int k = 0; k < 2; k++)
        v->median_st[k] = n[k] > 0 ? hist_median(h[k], n[k]) : -1.0;
    if (min_sep_st > 0.0 && n[0] > 0 && n[1] > 0)
        v->apart = fabs(v->median_st[0] - v->median_st[1]) >= min_sep_st;
}

/* Whether frame t, labelled own, holds the other voice's pitch. */
static int other_pitch(const at_diar *d, const at_overlap_voices *v, long t, int own)
{
    if (at_diar_label(d, t) != own)
        return 0;
    double f0 = at_diar_f0(d, t);
    if (f0 <= 0.0)
        return 0;
    double st = semitones(f0);
    return fabs(st - v->median_st[1 - own]) < AT_OV_PITCH_ST &&
           fabs(st - v->median_st[own]) > AT_OV_PITCH_ST;
}

/* The other voice if frame t lies in a run of AT_OV_PITCH_RUN frames
 * holding its pitch, else -1. */
static int pitch_run(const at_diar *d, const at_overlap_voices *v, long t)
{
    int own = at_diar_label(d, t);
    if (!v->apart || own < 0 || !other_pitch(d, v, t, own))
        return -1;
    long nf = at_diar_n_frames(d), lo = t, hi = t;
    while (lo > 0 && t - lo < AT_OV_PITCH_RUN && other_pitch(d, v, lo - 1, own))
        lo--;
    while (hi + 1 < nf && hi - lo + 1 < AT_OV_PITCH_RUN && other_pitch(d, v, hi + 1, own))
        hi++;
    return hi - lo + 1 >= AT_OV_PITCH_RUN ? 1 - own : -1;
}

int at_overlap_pitch(const at_diar *d, const at_overlap_voices *v, long t)
{
    int own = at_diar_label(d, t);
    if (!v->apart || own < 0)
        return -1;
    for (long u = t - AT_OV_PITCH_REACH; u <= t + AT_OV_PITCH_REACH; u++)
        if (at_diar_label(d, u) == own && pitch_run(d, v, u) == 1 - own)
            return 1 - own;
    return -1;
}
