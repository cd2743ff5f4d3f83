/* frame: the shared spectrum of each 10 ms hop (see frame.h). */
#include "frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct at_frame {
    at_frame_geom g;
    kiss_fftr_cfg fwd, inv;
    float *win;        /* Hann window, wlen */
    float *win_ac;     /* the window's own autocorrelation, normalised, per lag */
    float *tbuf;       /* nfft time samples */
    kiss_fft_cpx *spec;
    float *power;      /* n_bins */
    float *acbuf;      /* nfft inverse-transform output */
    float *acf;        /* lag_max + 2 normalised autocorrelation of this frame */
    int acf_state;     /* 0 not computed yet, 1 computed, -1 silent frame */
    float bands[AT_N_BANDS];
    double level_db;
    double norm;       /* scales power to "full-scale sine = 0 dB" */
};

#define PITCH_LO_HZ 50.0 /* lowest bin the pitch autocorrelation uses */

static int next_pow2(int n)
{
    int p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

int at_frame_geom_init(at_frame_geom *g, int rate)
{
    if (rate < 8000 || rate > 48000)
        return -1;
    memset(g, 0, sizeof *g);
    g->rate = rate;
    g->hop = (int)lround(rate / 100.0);
    g->wlen = (int)lround(rate * 0.032);
    g->lag_min = (int)floor(rate / 500.0);
    g->lag_max = (int)ceil(rate / 60.0);
    g->nfft = next_pow2(g->wlen + g->lag_max);
    g->n_bins = g->nfft / 2 + 1;
    /* Bands equally spaced on the mel scale: narrow where pitch harmonics and
     * the first formant live, wide where fricatives do. */
    double mlo = 2595.0 * log10(1.0 + AT_BAND_LO_HZ / 700.0);
    double mhi = 2595.0 * log10(1.0 + AT_BAND_HI_HZ / 700.0);
    double bin_hz = (double)rate / g->nfft;
    int prev = (int)lround(AT_BAND_LO_HZ / bin_hz);
    for (int b = 0; b < AT_N_BANDS; b++) {
        double m = mlo + (mhi - mlo) * (b + 1) / AT_N_BANDS;
        double hz = 700.0 * (pow(10.0, m / 2595.0) - 1.0);
        int hi = (int)lround(hz / bin_hz);
        if (hi <= prev)
            hi = prev + 1;
        if (hi > g->n_bins)
            hi = g->n_bins;
        g->band_lo[b] = prev;
        g->band_hi[b] = hi;
        prev = hi;
    }
    return 0;
}

void at_frame_free(at_frame *f)
{
    if (!f)
        return;
    kiss_fftr_free(f->fwd);
    kiss_fftr_free(f->inv);
    free(f->win);
    free(f->win_ac);
    free(f->tbuf);
    free(f->spec);
    free(f->power);
    free(f->acbuf);
    free(f->acf);
    free(f);
}

static void window_autocorrelation(at_frame *f)
{
    const at_frame_geom *g = &f->g;
    for (int lag = 0; lag <= g->lag_max + 1; lag++) {
        double s = 0;
        for (int i = 0; i + lag < g->wlen; i++)
            s += (double)f->win[i] * f->win[i + lag];
        f->win_ac[lag] = (float)s;
    }
    for (int lag = g->lag_max + 1; lag >= 0; lag--)
        f->win_ac[lag] /= f->win_ac[0];
}

at_frame *at_frame_new(const at_frame_geom *g)
{
    at_frame *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->g = *g;
    f->fwd = kiss_fftr_alloc(g->nfft, 0, NULL, NULL);
    f->inv = kiss_fftr_alloc(g->nfft, 1, NULL, NULL);
    f->win = malloc(sizeof(float) * g->wlen);
    f->win_ac = malloc(sizeof(float) * (g->lag_max + 2));
    f->tbuf = calloc(g->nfft, sizeof(float));
    f->spec = malloc(sizeof(kiss_fft_cpx) * g->n_bins);
    f->power = calloc(g->n_bins, sizeof(float));
    f->acbuf = malloc(sizeof(float) * g->nfft);
    f->acf = calloc(g->lag_max + 2, sizeof(float));
    if (!f->fwd || !f->inv || !f->win || !f->win_ac || !f->tbuf || !f->spec ||
        !f->power || !f->acbuf || !f->acf)
        goto fail;
    double wsum2 = 0;
    for (int i = 0; i < g->wlen; i++) {
        f->win[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * (i + 0.5) / g->wlen));
        wsum2 += (double)f->win[i] * f->win[i];
    }
    /* By Parseval a full-scale sine's windowed periodogram sums to
     * nfft * wsum2 / 4 over the positive-frequency bins: that is 0 dB. */
    f->norm = 4.0 / ((double)g->nfft * wsum2);
    window_autocorrelation(f);
    return f;
fail:
    at_frame_free(f);
    return NULL;
}

void at_frame_analyse(at_frame *f, const float *x)
{
    const at_frame_geom *g = &f->g;
    for (int i = 0; i < g->wlen; i++)
        f->tbuf[i] = x[i] * f->win[i];
    /* tbuf[wlen..nfft) stays zero: the padding that keeps the
     * autocorrelation linear. */
    kiss_fftr(f->fwd, f->tbuf, f->spec);
    f->acf_state = 0;
    for (int k = 0; k < g->n_bins; k++)
        f->power[k] = f->spec[k].r * f->spec[k].r + f->spec[k].i * f->spec[k].i;
    double total = 0;
    for (int b = 0; b < AT_N_BANDS; b++) {
        double s = 0;
        for (int k = g->band_lo[b]; k < g->band_hi[b]; k++)
            s += f->power[k];
        f->bands[b] = (float)(s * f->norm);
        total += f->bands[b];
    }
    f->level_db = 10.0 * log10(total + 1e-12);
}

const float *at_frame_power(const at_frame *f) { return f->power; }
const float *at_frame_bands(const at_frame *f) { return f->bands; }
double at_frame_level_db(const at_frame *f) { return f->level_db; }

static int is_peak(const float *r, int lag)
{
    return r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1];
}

/* The frame's normalised autocorrelation, computed once and shared by the
 * voicing decision and the pitch tracker.  From the magnitude, not the
 * power, spectrum: a compressed "generalised autocorrelation" (Tolonen &
 * Karjalainen 2000, IEEE TSAP 8(6)) weighs the many weak harmonics more
 * against the one strong formant, so its peaks sit at the period rather
 * than at the formant's ringing.  From 50 Hz up: the fundamental counts
 * where the line carries it.  Returns 0, or -1 for a silent frame. */
static int frame_acf(at_frame *f)
{
    if (f->acf_state)
        return f->acf_state > 0 ? 0 : -1;
    const at_frame_geom *g = &f->g;
    int lo = (int)(PITCH_LO_HZ * g->nfft / g->rate);
    int hi = g->band_hi[AT_N_BANDS - 1];
    for (int k = 0; k < g->n_bins; k++) {
        f->spec[k].r = k >= lo && k < hi ? sqrtf(f->power[k]) : 0.0f;
        f->spec[k].i = 0.0f;
    }
    kiss_fftri(f->inv, f->spec, f->acbuf);
    double r0 = f->acbuf[0];
    f->acf_state = r0 > 0.0 ? 1 : -1;
    if (r0 <= 0.0)
        return -1;
    /* Dividing by the window's own autocorrelation undoes the taper's decay
     * with lag (Boersma 1993), so a periodic frame scores near 1 at its
     * period whatever the period's length. */
    for (int lag = 0; lag <= g->lag_max + 1; lag++)
        f->acf[lag] = (float)(f->acbuf[lag] / (r0 * f->win_ac[lag]));
    return 0;
}

double at_frame_voicing(at_frame *f, int *lag_out)
{
    const at_frame_geom *g = &f->g;
    if (lag_out)
        *lag_out = 0;
    if (frame_acf(f) != 0)
        return 0.0;
    const float *r = f->acf;
    /* Multiples of the period peak nearly as high as the period itself, so
     * take the shortest lag whose peak comes within 8 % of the highest: no
     * octave-down errors. */
    double best = 0.0;
    for (int lag = g->lag_min; lag <= g->lag_max; lag++)
        if (r[lag] > best && is_peak(r, lag))
            best = r[lag];
    for (int lag = g->lag_min; lag <= g->lag_max && best > 0.0; lag++) {
        if (r[lag] >= 0.92 * best && is_peak(r, lag)) {
            if (lag_out)
                *lag_out = lag;
            return r[lag] > 1.0 ? 1.0 : r[lag];
        }
    }
    return 0.0;
}

int at_frame_pitch_acf(at_frame *f, float *r)
{
    if (frame_acf(f) != 0)
        return -1;
    memcpy(r, f->acf, sizeof(float) * (f->g.lag_max + 2));
    return 0;
}

void at_frame_save(const at_frame *f, at_frame_rec *r)
{
    memcpy(r->bands, f->bands, sizeof r->bands);
    r->level_db = f->level_db;
    memcpy(r->power, f->power, sizeof(float) * f->g.n_bins);
}

void at_frame_load(at_frame *f, const at_frame_rec *r)
{
    memcpy(f->bands, r->bands, sizeof f->bands);
    f->level_db = r->level_db;
    memcpy(f->power, r->power, sizeof(float) * f->g.n_bins);
    f->acf_state = 0;
}
