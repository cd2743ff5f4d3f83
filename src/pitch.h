/* pitch: the fundamental frequency (F0) of one party, per 10 ms frame, with
 * a voiced/unvoiced decision.  Candidates are the peaks of the frame's
 * window-compensated autocorrelation (frame.c computes it from the shared
 * spectrum with KISS FFT); a Viterbi search over a short lookahead picks the
 * path that is strong and continuous (Boersma 1993, as Praat's "To Pitch
 * (ac)"), so a single frame's octave error does not survive.  Decisions come
 * AT_PITCH_DELAY frames after their frame.  A histogram of voiced F0 in
 * 1/10 semitone bins gives the party's median and range in bounded memory,
 * and that running median softly narrows the search (per-party adaptation). */
#ifndef ATTUNE_PITCH_H
#define ATTUNE_PITCH_H

#include "frame.h"

#define AT_PITCH_DELAY 15  /* frames of lookahead: 150 ms */
#define AT_PITCH_MAX_CAND 7 /* per frame, the unvoiced one included */
#define AT_PITCH_LO_HZ 60.0
#define AT_PITCH_HI_HZ 500.0

typedef struct at_pitch at_pitch;

/* A final decision: frame t is voiced at f0_hz, or unvoiced (f0_hz = 0). */
typedef struct at_pitch_out {
    long t;
    double f0_hz;
    int periodic;   /* the frame had a voiced candidate, chosen or not */
} at_pitch_out;

/* A tracker for frames of geometry g; NULL when out of memory. */
at_pitch *at_pitch_new(const at_frame_geom *g);
void at_pitch_free(at_pitch *p);

/* Feeds the next frame: r its normalised autocorrelation (at_frame_acf), or
 * NULL when the frame cannot be the party's voice (not speech-like);
 * level_db its speech-band level.  Returns 1 and fills *out when a frame's
 * decision became final, else 0. */
int at_pitch_push(at_pitch *p, const float *r, double level_db, at_pitch_out *out);

/* End of stream: writes the decisions still pending (at most
 * AT_PITCH_DELAY) to out, oldest first, and returns their number. */
int at_pitch_flush(at_pitch *p, at_pitch_out *out);

/* Median voiced F0 in Hz, and the 5th to 95th percentile range in
 * semitones; negative while fewer than 10 frames were voiced. */
double at_pitch_median_hz(const at_pitch *p);
double at_pitch_range_st(const at_pitch *p);
long at_pitch_n_voiced(const at_pitch *p);

#endif
