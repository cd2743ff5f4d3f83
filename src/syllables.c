/* syllables: syllable nuclei from level peaks (see syllables.h). */
#include "syllables.h"

#include <math.h>
#include <string.h>

#define LEVEL_LO_DB -120.0
#define LEVEL_BIN_DB 0.5
#define TOP_QUANTILE 0.99
#define TOP_MIN_FRAMES 20  /* pitched frames before the reference means anything */
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
    s->last_periodic = s->last_pitched = -1000000;
    s->top_db = INFINITY;
    s->hold = (int)lround(AT_SYL_HOLD_S * fps);
}

double at_syl_level_db(const float *bands)
{
    double sum = 0, root = 0;
    for (int k = 0; k < AT_SYL_LEVEL_BANDS; k++) {
        sum += bands[k];
        root += sqrt(bands[k]);
    }
    /* sum over i != j of sqrt(b_i b_j) = (sum sqrt b)^2 - sum b */
    double pairs = (root * root - sum) / (AT_SYL_LEVEL_BANDS * (AT_SYL_LEVEL_BANDS - 1));
    return 10.0 * log10(fmax(pairs, 0.0) + 1e-14);
}

static void add_level(at_syl *s, double db)
{
    int b = (int)floor((db - LEVEL_LO_DB) / LEVEL_BIN_DB);
    b = b < 0 ? 0 : b >= AT_SYL_LEVEL_BINS ? AT_SYL_LEVEL_BINS - 1 : b;
    s->hist[b]++;
    s->n_hist++;
    /* The quantile moves slowly; recomputing it now and then is enough.
     * Before TOP_MIN_FRAMES it is the loudest frame so far, which only the
     * held peaks (judged late) and the end of a very short stream use. */
    if (s->n_hist % 10 && s->n_hist > 200)
        return;
    long want = (long)ceil(TOP_QUANTILE * s->n_hist), acc = 0;
    for (b = 0; b < AT_SYL_LEVEL_BINS; b++) {
        acc += s->hist[b];
        if (acc >= want)
            break;
    }
    s->top_db = LEVEL_LO_DB + (b + 0.5) * LEVEL_BIN_DB;
}

/* De Jong & Wempe's threshold re the party's level; a peak the pitch
 * tracker gave no F0 (only a voiced candidate) must be louder: on EmoDB such
 * peaks that are a syllable of their own lay a median 11 dB below the
 * reference, those that split a syllable or are breath or noise 20 dB (as
 * the detector stood before the sub-band level and the pitched reference:
 * the bands' sum, a reference over all speech-like frames). */
static int level_ok(const at_syl *s, double db, int voicing)
{
    double below = voicing == AT_SYL_PITCHED ? AT_SYL_BELOW_TOP_DB : AT_SYL_BELOW_TOP_PERIODIC_DB;
    return db >= s->top_db - below;
}

/* Judges the held peaks against the level reference as it stands. */
static int release_held(at_syl *s, long *out, int n)
{
    for (int k = 0; k < s->n_held; k++)
        if (level_ok(s, s->held_db[k], s->held_voicing[k]))
            out[n++] = s->held_t[k];
    s->n_held = 0;
    return n;
}

/* The peak just confirmed by a dip after it (or by the end of the stream):
 * a nucleus, a peak to hold until the level reference is known, or
 * nothing.  Appends to out[n] and returns the new count. */
static int accept(at_syl *s, long *out, int n, int may_hold)
{
    if (!s->ext_speech || s->ext_voicing == AT_SYL_UNVOICED)
        return n;
    if (may_hold && s->n_hist < TOP_MIN_FRAMES) {
        if (s->ext_t - s->last_nucleus < s->min_gap)
            return n;
        if (s->n_held == AT_SYL_HELD)
            n = release_held(s, out, n);
        s->held_t[s->n_held] = s->ext_t;
        s->held_voicing[s->n_held] = (unsigned char)s->ext_voicing;
        s->held_db[s->n_held++] = (float)s->ext;
        s->last_nucleus = s->ext_t;
        return n;
    }
    n = release_held(s, out, n);
    if (!level_ok(s, s->ext, s->ext_voicing) || s->ext_t - s->last_nucleus < s->min_gap)
        return n;
    s->last_nucleus = s->ext_t;
    out[n++] = s->ext_t;
    return n;
}

/* The strongest voicing within VOICED_NEAR frames before frame tc. */
static int voicing_near(const at_syl *s, long tc)
{
    if (tc - s->last_pitched <= VOICED_NEAR)
        return AT_SYL_PITCHED;
    return tc - s->last_periodic <= VOICED_NEAR ? AT_SYL_PERIODIC : AT_SYL_UNVOICED;
}

static void start_peak(at_syl *s, long tc, double x, int sp)
{
    s->ext = x;
    s->ext_t = tc;
    s->ext_voicing = voicing_near(s, tc);
    s->ext_speech = sp;
}

int at_syl_frame(at_syl *s, long t, double level_db, int speech, int voicing, long *nuclei)
{
    if (voicing < AT_SYL_UNVOICED || voicing > AT_SYL_PITCHED)
        return -1;
    /* A centred three-frame mean of power: with the 32 ms window, about the
     * 50 ms effective window of the intensity De Jong & Wempe use. */
    s->pw[0] = s->pw[1];
    s->pw[1] = s->pw[2];
    s->pw[2] = (float)pow(10.0, level_db / 10.0);
    int v = s->voicing_prev, sp = s->speech_prev;
    s->voicing_prev = voicing;
    s->speech_prev = speech;
    if (++s->n_in < 2)
        return 0;
    double x = 10.0 * log10((s->pw[0] + s->pw[1] + s->pw[2]) / 3.0 + 1e-20);
    long tc = t - 1;
    int n = 0;
    /* The party's level from its voiced speech only: breaths, clicks and
     * noise the VAD calls speech-like would pull it down. */
    if (sp && v == AT_SYL_PITCHED)
        add_level(s, x);
    if (s->n_held && (s->n_hist >= TOP_MIN_FRAMES || tc - s->held_t[0] >= s->hold))
        n = release_held(s, nuclei, n);
    if (v >= AT_SYL_PERIODIC)
        s->last_periodic = tc;
    if (v == AT_SYL_PITCHED)
        s->last_pitched = tc;
    if (s->rising) {
        if (x > s->ext)
            start_peak(s, tc, x, sp);
        else if (v > s->ext_voicing && tc - s->ext_t <= VOICED_NEAR)
            s->ext_voicing = v;
        if (x < s->ext - AT_SYL_DIP_DB) {
            n = accept(s, nuclei, n, 1);
            s->rising = 0;
            s->ext = x;
        }
        return n;
    }
    if (x < s->ext) {
        s->ext = x;
    } else if (x > s->ext + AT_SYL_DIP_DB) {
        s->rising = 1;
        start_peak(s, tc, x, sp);
    }
    return n;
}

int at_syl_finish(at_syl *s, long *nuclei)
{
    int n = release_held(s, nuclei, 0);
    if (s->rising) {
        n = accept(s, nuclei, n, 0);
        s->rising = 0;
    }
    return n;
}
