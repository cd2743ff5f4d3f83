/* stress: vocal stress (arousal) of one party, a 0-100 index per 5 s of
 * the party's speech.  Per frame, after the pitch decision, it takes what
 * the pipeline already computed (F0, speech-band level, the mel bands and
 * the autocorrelation peak: no second FFT) and pools features in the
 * spirit of eGeMAPS (Eyben et al. 2016, IEEE Trans. Affective Computing
 * 7(2)): F0 level and variability, loudness dynamics, spectral balance
 * (alpha ratio and Hammarberg index over the 150-3800 Hz bands, so 8 kHz
 * audio gives the same), harmonics-to-noise, jitter and shimmer proxies and
 * speech rate.  Each pooled feature is taken relative to the party's own
 * running baseline (the median of its last AT_STRESS_CALM_WINDOWS calm
 * windows, started by its first AT_STRESS_BASELINE_WINDOWS), because
 * people differ more from each other than from their own calm voice, then
 * a logistic model (models/stress.txt) gives the index.  Windows in
 * falsetto or laughing give no index (the gates below).  Memory is fixed
 * at creation. */
#ifndef ATTUNE_STRESS_H
#define ATTUNE_STRESS_H

#include "attune/attune.h"
#include "frame.h"

#define AT_STRESS_WINDOW_S 5.0        /* of the party's speech per index point */
#define AT_STRESS_BASELINE_WINDOWS 3  /* the first 15 s of speech start the baseline */
#define AT_STRESS_CALM_WINDOWS 24     /* the baseline: median of the last 24 calm windows */
#define AT_STRESS_CALM_MAX 50.0       /* a later window scored below this is calm */
#define AT_STRESS_LAST_MIN_S 1.0      /* a last, shorter window needs this much speech */
#define AT_STRESS_MIN_VOICED 10       /* voiced frames for the F0 features of a window */

/* Voice-quality gates, on a window's features relative to the baseline
 * once that is set (tools/train_stress reads these lines and applies the
 * same).  Falsetto: F0 more than FALSETTO_F0_ST semitones up while the
 * Hammarberg index rises more than FALSETTO_HAMM_DB (the spectrum
 * steeper, where raised vocal effort flattens it): another voice, not
 * comparable with the baseline, so no index point (and it stays out of the
 * baseline).  Laughter (and breath): the voiced fraction down with neither
 * the F0 up by LAUGH_F0_ST semitones nor the alpha ratio up (the spectrum
 * no flatter) counts down to LAUGH_VOICED only.  A window laughing gives no
 * point through its blocks (below): a fall of voicing alone also comes with
 * a louder line, where weak unvoiced sounds clear the voice detector's
 * absolute floor (MIN_SPEECH_DB of vad.c) and count as speech. */
#define AT_STRESS_FALSETTO_F0_ST 4.0
#define AT_STRESS_FALSETTO_HAMM_DB 4.0
#define AT_STRESS_LAUGH_F0_ST 2.0
#define AT_STRESS_LAUGH_ALPHA_DB 0.0
#define AT_STRESS_LAUGH_VOICED -0.05

/* The same voices within a window: its speech is taken in blocks of
 * BLOCK_S, each classified against the baseline once that is set.  A
 * block with at least BLOCK_MIN_VOICED voiced frames is falsetto-like when
 * its median F0 is up as for FALSETTO above and its spectrum steeper: the
 * Hammarberg index up as there, or it up and the alpha ratio down by more
 * than BLOCK_FALSETTO_TILT_DB together (half a second is noisier than a
 * window; a block half in falsetto often has only 3 dB of either).  A
 * block is laugh-like when its voiced fraction is down by more than
 * BLOCK_LAUGH_VOICED, in bursts (no voiced run as long as BLOCK_RUN_S: a
 * laugh's "ha" has 20-90 ms of voice in voice_quality/mfa_laughter, a
 * syllable of plain speech more) and without the flatter spectrum of
 * raised effort (alpha ratio up by BLOCK_LAUGH_ALPHA_DB or less; a shout's
 * clipped syllables in RAVDESS and EmoDB have it 5-18 dB up).  Such a
 * block stays out of the window's features, so the window's index comes
 * from its plain speech, its voiced fraction counted no lower than the
 * baseline's when a laugh was left out and the F0 and alpha ratio show no
 * effort (as for LAUGH above: beside a laugh, breath and a laugh's edges
 * lower the voicing too); a window with less than PLAIN_MIN_FRAC of its
 * speech plain gives no point (what is left sits next to the other voice
 * and often half in it). */
#define AT_STRESS_BLOCK_S 0.5
#define AT_STRESS_BLOCK_MIN_VOICED 5
#define AT_STRESS_BLOCK_FALSETTO_TILT_DB 5.0
#define AT_STRESS_BLOCK_LAUGH_VOICED -0.3
#define AT_STRESS_BLOCK_RUN_S 0.1
#define AT_STRESS_BLOCK_LAUGH_ALPHA_DB 3.0
#define AT_STRESS_PLAIN_MIN_FRAC 0.6

/* Where the spectral features split the 16 mel bands of frame.c. */
typedef struct at_stress_bands {
    int alpha_split;      /* first band centred at or above 1 kHz (alpha ratio) */
    int hamm_split;       /* first band centred at or above 2 kHz (Hammarberg) */
    float width[AT_N_BANDS]; /* bins per band, for power densities */
} at_stress_bands;

void at_stress_bands_init(at_stress_bands *sb, const at_frame_geom *g);

/* Alpha ratio (dB of the power above 1 kHz over that below) and Hammarberg
 * index (dB of the strongest band density below 2 kHz over the strongest
 * above) of one frame's band powers. */
void at_stress_spectral(const at_stress_bands *sb, const float *bands, double *alpha_db,
                        double *hammarberg_db);

/* Harmonics-to-noise ratio in dB from a normalised autocorrelation
 * (r[0] = 1): its highest peak r in [lag_min, lag_max] gives
 * 10 log10(r / (1 - r)) (Boersma 1993), r clipped to 0.01..0.999. */
double at_stress_hnr_db(const float *r, int lag_min, int lag_max);

/* One frame of a party, in order, once its pitch is decided. */
typedef struct at_stress_frame {
    int speech;           /* speech-like (the VAD's weak decision) */
    double level_db;      /* speech-band level */
    double f0_hz;         /* 0 when unvoiced */
    double hnr_db, alpha_db, hammarberg_db;
} at_stress_frame;

typedef struct at_stress at_stress;

/* A party's stress at fps frames per second; NULL when out of memory. */
at_stress *at_stress_new(double fps, int party);
void at_stress_free(at_stress *s);

/* The model; until set, features are pooled but no index is given
 * (w->stress < 0).  Returns 0, or -1 when a scale is not positive. */
int at_stress_set_model(at_stress *s, const attune_stress_model *m);

/* Frame t.  Returns 1 and fills *w when it closed a window. */
int at_stress_frame_push(at_stress *s, long t, const at_stress_frame *f,
                         attune_stress_window *w);

/* A syllable nucleus of the party (counted in the open window). */
void at_stress_nucleus(at_stress *s);

/* End of stream at frame t: returns 1 and fills *w when the open window
 * holds at least AT_STRESS_LAST_MIN_S of speech. */
int at_stress_finish(at_stress *s, long t, attune_stress_window *w);

/* Mean and last index over the windows so far; negative when none. */
double at_stress_mean(const at_stress *s);
double at_stress_last(const at_stress *s);

#endif
