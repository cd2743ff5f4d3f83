/* syllables: syllable nuclei from level peaks (see syllables.h). */
#include "syllables.h"

#include <math.h>
#include <string.h>

#define LEVEL_LO_DB -120.0
#define LEVEL_BIN_DB 0.5
#define TOP_QUANTILE 0.99
#define TOP_MIN_FRAMES 20   /* speech frames before the threshold means anything */
/* De Jong & Wempe keep peaks where Praat finds a pitch; the tracker's voicing
 * edges are a frame or two off the level's, so a voiced frame within 30 ms
 * of the peak counts. */
#define VOICED_NEAR 3

void at_syl_init(at_syl *s, double fps)
{
    memset(s, 0, sizeof *s);
    s->min_gap = (int)lround(AT_SYL_MIN_GAP_S * fps);
    s->ext = INFINITY;
    s->last_nucleus = -1000000;
    s->last_voiced = -1000000;
    s->top_db = INFINITY;
}

static void add_level(at_syl *s, double db)
{
    int b = (int)floor((db - LEVEL_LO_DB) / LEVEL_BIN_DB);
    b = b < 0 ? 0 : b >= AT_SYL_LEVEL_BINS ? AT_SYL_LEVEL_BINS - 1 : b;
    s->hist[b]++;
    s->n_hist++;
    /* The quantile moves slowly; recomputing it now and then is enough. */
    if (s->n_hist < TOP_MIN_FRAMES || (s->n_hist % 10 && s->n_hist > 200))
        return;
    long want = (long)ceil(TOP_QUANTILE * s->n_hist), acc = 0;
    for (b = 0; b < AT_SYL_LEVEL_BINS; b++) {
        acc += s->hist[b];
        if (acc >= want)
            break;
    }
    s->top_db = LEVEL_LO_DB + (b + 0.5) * LEVEL_BIN_DB;
}

/* The peak just confirmed by a dip after it: is it a nucleus? */
static int accept(at_syl *s)
{
    if (!s->ext_speech || !s->ext_voiced)
        return 0;
    if (s->ext < s->top_db - AT_SYL_BELOW_TOP_DB)
        return 0;
    if (s->ext_t - s->last_nucleus < s->min_gap)
        return 0;
    s->last_nucleus = s->ext_t;
    return 1;
}

int at_syl_frame(at_syl *s, long t, double level_db, int speech, int voiced, long *nucleus)
{
    /* A centred three-frame mean of power: with the 32 ms window, about the
     * 50 ms effective window of the intensity De Jong & Wempe use. */
    s->pw[0] = s->pw[1];
    s->pw[1] = s->pw[2];
    s->pw[2] = (float)pow(10.0, level_db / 10.0);
    int v = s->voiced_prev, sp = s->speech_prev;
    s->voiced_prev = voiced;
    s->speech_prev = speech;
    if (++s->n_in < 2)
        return 0;
    double x = 10.0 * log10((s->pw[0] + s->pw[1] + s->pw[2]) / 3.0 + 1e-20);
    long tc = t - 1;
    if (sp)
        add_level(s, x);
    if (v)
        s->last_voiced = tc;
    if (s->rising) {
        if (x > s->ext) {
            s->ext = x;
            s->ext_t = tc;
            s->ext_voiced = tc - s->last_voiced <= VOICED_NEAR;
            s->ext_speech = sp;
        } else if (v && tc - s->ext_t <= VOICED_NEAR) {
            s->ext_voiced = 1;
        }
        if (x < s->ext - AT_SYL_DIP_DB) {
            int found = accept(s);
            if (found)
                *nucleus = s->ext_t;
            s->rising = 0;
            s->ext = x;
            return found;
        }
        return 0;
    }
    if (x < s->ext) {
        s->ext = x;
    } else if (x > s->ext + AT_SYL_DIP_DB) {
        s->rising = 1;
        s->ext = x;
        s->ext_t = tc;
        s->ext_voiced = tc - s->last_voiced <= VOICED_NEAR;
        s->ext_speech = sp;
    }
    return 0;
}
