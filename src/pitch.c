/* pitch: F0 per frame with a voicing decision (see pitch.h).
 *
 * The method is Boersma's (1993, "Accurate short-term analysis of the
 * fundamental frequency and the harmonics-to-noise ratio of a sampled
 * sound", IFA Proceedings 17), the one behind Praat's "To Pitch (ac)":
 * candidates are the peaks of the window-compensated autocorrelation, each
 * frame also has an unvoiced candidate whose strength grows as the frame
 * gets quieter than the party's loudest speech, and a Viterbi search charges
 * for octave jumps and voicing changes.  Praat searches a whole utterance;
 * here the search runs with a fixed lag of AT_PITCH_DELAY frames, so memory
 * is constant and decisions stream.  The costs are Praat's defaults.  With
 * the fundamental missing (a man's voice on an 8 kHz line, or the 150 Hz
 * low edge of the band the autocorrelation uses), the harmonics still repeat
 * at the period, so the autocorrelation peaks there all the same. */
#include "pitch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Praat's defaults for "To Pitch (ac)" (Praat manual, Sound: To Pitch (ac)),
 * but for the voicing threshold: the magnitude-spectrum autocorrelation
 * (frame.c) peaks lower than Praat's, and 0.25 agrees best with Praat's
 * voicing on the read/ corpus (0.45 leaves 20 % of Praat's voiced frames
 * unvoiced; tests/pitch_vs_praat.py). */
#define VOICING_THRESHOLD 0.25 /* strength an unvoiced frame would need to beat */
#define SILENCE_THRESHOLD 0.03 /* amplitude, re the loudest speech, counted as silence */
#define OCTAVE_COST 0.01       /* per octave: favours the higher of equal peaks */
#define OCTAVE_JUMP_COST 0.35  /* per octave of F0 change between frames */
#define VOICED_UNVOICED_COST 0.14

/* Per-party adaptation: once the party's median is known, a candidate more
 * than an octave away from it pays this per further octave.  Soft, so a
 * real excursion (a raised voice, falsetto) still wins when it is clear. */
#define ADAPT_MIN_VOICED 200   /* 2 s of voiced frames before adapting */
#define ADAPT_COST 0.3
#define REF_DECAY_DB 0.005     /* per frame: the loudest-speech reference forgets 0.5 dB/s */

/* The F0 histogram: 1/10 semitone bins from 50 to 600 Hz. */
#define HIST_LO_HZ 50.0
#define HIST_BINS_PER_ST 10
#define HIST_BINS 431          /* 12 * log2(600 / 50) * 10, rounded up */

#define RING (AT_PITCH_DELAY + 1)

typedef struct cand_frame {
    int n;
    float f0[AT_PITCH_MAX_CAND];  /* 0 for the unvoiced candidate (index 0) */
    float strength[AT_PITCH_MAX_CAND];
    double score[AT_PITCH_MAX_CAND];
    signed char back[AT_PITCH_MAX_CAND];
} cand_frame;

struct at_pitch {
    int rate, lag_lo, lag_hi;
    cand_frame ring[RING];
    long n_pushed;
    double ref_db;                /* the party's loudest recent speech */
    long hist[HIST_BINS];
    long n_voiced;
    double median_hz;             /* cached for the adaptation; 0 unknown */
};

at_pitch *at_pitch_new(const at_frame_geom *g)
{
    at_pitch *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->rate = g->rate;
    p->lag_lo = g->lag_min;
    p->lag_hi = g->lag_max;
    p->ref_db = -INFINITY;
    return p;
}

void at_pitch_free(at_pitch *p) { free(p); }

/* Adds a voiced candidate, keeping the strongest AT_PITCH_MAX_CAND - 1. */
static void add_voiced(cand_frame *c, float f0, float strength)
{
    int n = c->n;
    if (n == AT_PITCH_MAX_CAND) {
        if (strength <= c->strength[n - 1])
            return;
        n--;
    }
    int i = n;
    for (; i > 1 && c->strength[i - 1] < strength; i--) {
        c->f0[i] = c->f0[i - 1];
        c->strength[i] = c->strength[i - 1];
    }
    c->f0[i] = f0;
    c->strength[i] = strength;
    c->n = n + 1;
}

/* Peaks of r refined by a parabola through the three samples around each. */
static void voiced_candidates(const at_pitch *p, const float *r, cand_frame *c)
{
    for (int lag = p->lag_lo; lag <= p->lag_hi; lag++) {
        float a = r[lag - 1], b = r[lag], d = r[lag + 1];
        if (!(b > a && b >= d) || b < 0.5 * VOICING_THRESHOLD)
            continue;
        double den = a - 2.0 * b + d;
        double off = den < 0 ? 0.5 * (a - d) / den : 0.0;
        double peak = b - 0.25 * (a - d) * off;
        /* The compensation can lift a long lag above 1 in noise; Praat
         * folds such values back below 1 rather than trusting them. */
        if (peak > 1.0)
            peak = 1.0 / peak;
        double f0 = p->rate / (lag + off);
        if (f0 < AT_PITCH_LO_HZ || f0 > AT_PITCH_HI_HZ)
            continue;
        double strength = peak + OCTAVE_COST * log2(f0 / AT_PITCH_LO_HZ);
        if (p->median_hz > 0) {
            double dev = fabs(log2(f0 / p->median_hz));
            if (dev > 1.0)
                strength -= ADAPT_COST * (dev - 1.0);
        }
        add_voiced(c, (float)f0, (float)strength);
    }
}

static double transition_cost(float f_from, float f_to)
{
    if (f_from > 0 && f_to > 0)
        return OCTAVE_JUMP_COST * fabs(log2((double)f_from / f_to));
    if (f_from > 0 || f_to > 0)
        return VOICED_UNVOICED_COST;
    return 0.0;
}

static void viterbi_step(at_pitch *p, cand_frame *c)
{
    if (p->n_pushed == 0) {
        for (int j = 0; j < c->n; j++) {
            c->score[j] = c->strength[j];
            c->back[j] = 0;
        }
        return;
    }
    const cand_frame *prev = &p->ring[(p->n_pushed - 1) % RING];
    double top = -INFINITY;
    for (int j = 0; j < c->n; j++) {
        double best = -INFINITY;
        int arg = 0;
        for (int i = 0; i < prev->n; i++) {
            double s = prev->score[i] - transition_cost(prev->f0[i], c->f0[j]);
            if (s > best) {
                best = s;
                arg = i;
            }
        }
        c->score[j] = best + c->strength[j];
        c->back[j] = (signed char)arg;
        if (c->score[j] > top)
            top = c->score[j];
    }
    /* Only differences matter; keep the numbers small. */
    for (int j = 0; j < c->n; j++)
        c->score[j] -= top;
}

static int best_index(const cand_frame *c)
{
    int arg = 0;
    for (int j = 1; j < c->n; j++)
        if (c->score[j] > c->score[arg])
            arg = j;
    return arg;
}

static double hist_quantile_bin(const at_pitch *p, double q)
{
    long want = (long)ceil(q * p->n_voiced), acc = 0;
    if (want < 1)
        want = 1;
    for (int b = 0; b < HIST_BINS; b++) {
        acc += p->hist[b];
        if (acc >= want)
            return b + 0.5;
    }
    return HIST_BINS - 0.5;
}

static void record(at_pitch *p, long t, double f0, int periodic, at_pitch_out *out)
{
    out->t = t;
    out->f0_hz = f0;
    out->periodic = periodic;
    if (f0 <= 0)
        return;
    int b = (int)floor(12.0 * HIST_BINS_PER_ST * log2(f0 / HIST_LO_HZ));
    b = b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b;
    p->hist[b]++;
    p->n_voiced++;
    if (p->n_voiced >= ADAPT_MIN_VOICED && p->n_voiced % 50 == 0)
        p->median_hz = at_pitch_median_hz(p);
}

int at_pitch_push(at_pitch *p, const float *r, double level_db, at_pitch_out *out)
{
    long t = p->n_pushed;
    cand_frame *c = &p->ring[t % RING];
    c->n = 1;
    c->f0[0] = 0.0f;
    if (r) {
        p->ref_db = level_db > p->ref_db ? level_db : p->ref_db - REF_DECAY_DB;
        /* Praat's unvoiced strength: quiet frames (re the loudest speech)
         * are more likely unvoiced. */
        double amp = pow(10.0, (level_db - p->ref_db) / 20.0);
        double quiet = 2.0 - amp / (SILENCE_THRESHOLD / (1.0 + VOICING_THRESHOLD));
        c->strength[0] = (float)(VOICING_THRESHOLD + (quiet > 0 ? quiet : 0.0));
        voiced_candidates(p, r, c);
    } else {
        c->strength[0] = 1.0f;
    }
    viterbi_step(p, c);
    p->n_pushed++;
    if (t < AT_PITCH_DELAY)
        return 0;
    int j = best_index(c);
    for (long k = t; k > t - AT_PITCH_DELAY; k--)
        j = p->ring[k % RING].back[j];
    const cand_frame *c0 = &p->ring[(t - AT_PITCH_DELAY) % RING];
    record(p, t - AT_PITCH_DELAY, c0->f0[j], c0->n > 1, out);
    return 1;
}

int at_pitch_flush(at_pitch *p, at_pitch_out *out)
{
    long last = p->n_pushed - 1;
    long first = last - AT_PITCH_DELAY + 1;
    if (first < 0)
        first = 0;
    if (last < first)
        return 0;
    int j = best_index(&p->ring[last % RING]);
    double f0[AT_PITCH_DELAY];
    int periodic[AT_PITCH_DELAY];
    for (long k = last; k >= first; k--) {
        f0[k - first] = p->ring[k % RING].f0[j];
        periodic[k - first] = p->ring[k % RING].n > 1;
        j = p->ring[k % RING].back[j];
    }
    int n = (int)(last - first + 1);
    for (int i = 0; i < n; i++)
        record(p, first + i, f0[i], periodic[i], &out[i]);
    p->n_pushed = 0;
    return n;
}

static double bin_hz(double bin)
{
    return HIST_LO_HZ * pow(2.0, bin / (12.0 * HIST_BINS_PER_ST));
}

double at_pitch_median_hz(const at_pitch *p)
{
    if (p->n_voiced < 10)
        return -1.0;
    return bin_hz(hist_quantile_bin(p, 0.5));
}

double at_pitch_range_st(const at_pitch *p)
{
    if (p->n_voiced < 10)
        return -1.0;
    return (hist_quantile_bin(p, 0.95) - hist_quantile_bin(p, 0.05)) / HIST_BINS_PER_ST;
}

long at_pitch_n_voiced(const at_pitch *p) { return p->n_voiced; }
