/* frame: cuts one channel into 10 ms hops and computes, once per hop, the
 * windowed power spectrum that every later stage shares, its speech-band
 * energies and, on demand, the normalised autocorrelation (voicing, pitch). */
#ifndef ATTUNE_FRAME_H
#define ATTUNE_FRAME_H

#include <kiss_fftr.h>
#include <stddef.h>

#define AT_N_BANDS 16        /* speech-band filterbank for voice activity */
#define AT_BAND_LO_HZ 150.0
#define AT_BAND_HI_HZ 3800.0 /* below Nyquist of 8 kHz audio: same bands at every rate */

typedef struct at_frame_geom {
    int rate;
    int hop;      /* samples per 10 ms hop */
    int wlen;     /* analysis window, 32 ms */
    int nfft;     /* power of two >= wlen + longest pitch lag, so the
                     autocorrelation from the spectrum is not circular */
    int n_bins;   /* nfft / 2 + 1 */
    int lag_min;  /* shortest pitch lag (500 Hz) */
    int lag_max;  /* longest pitch lag (60 Hz) */
    int band_lo[AT_N_BANDS], band_hi[AT_N_BANDS]; /* bin ranges [lo, hi) */
} at_frame_geom;

typedef struct at_frame at_frame;

/* Fills the geometry for a rate; returns 0 or -1 for an unsupported rate. */
int at_frame_geom_init(at_frame_geom *g, int rate);

at_frame *at_frame_new(const at_frame_geom *g);
void at_frame_free(at_frame *f);

/* Analyses one window of g->wlen samples (oldest first): power spectrum,
 * band powers and level.  The results stay valid until the next call. */
void at_frame_analyse(at_frame *f, const float *window_samples);

const float *at_frame_power(const at_frame *f); /* n_bins values */
const float *at_frame_bands(const at_frame *f); /* AT_N_BANDS band powers */
double at_frame_level_db(const at_frame *f);    /* speech-band level, dB re full scale sine */

/* The last frame's periodicity: the peak of its normalised autocorrelation
 * (below) in [lag_min, lag_max], the shortest lag within 8 % of the
 * highest, and that lag in *lag (0 for a silent frame). */
double at_frame_voicing(at_frame *f, int *lag);

/* The last frame's autocorrelation, computed once per frame whoever asks
 * first (voicing, pitch): from its magnitude spectrum, 50-3800 Hz,
 * normalised (r[0] = 1) and compensated for the window, into
 * r[0..lag_max + 1].  Returns 0, or -1 for a silent frame. */
int at_frame_pitch_acf(at_frame *f, float *r);

/* One hop's spectrum apart from the at_frame that computed it, so that a
 * worker thread can analyse hops ahead of the stages that read them
 * (front.c).  power points to n_bins floats the owner allocated.  The
 * autocorrelation is not kept: it is computed, as ever, for the frames
 * that may be speech, which only the later stages know. */
typedef struct at_frame_rec {
    float bands[AT_N_BANDS];
    double level_db;
    float *power;
} at_frame_rec;

/* Copies f's last frame into r. */
void at_frame_save(const at_frame *f, at_frame_rec *r);

/* Makes r f's last frame, as if f had analysed it. */
void at_frame_load(at_frame *f, const at_frame_rec *r);

#endif
