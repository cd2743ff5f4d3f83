/* diarize: two speakers from one channel.  It keeps, per 10 ms frame, the
 * mel-cepstra of the shared spectrum (cepstra.c, 16-bit) and the voice-
 * activity decision, and when asked labels every speech frame with one of
 * two speakers, classically: speaker-change points by delta-BIC between
 * adjacent 1 s windows (Chen & Gopalakrishnan 1998), four two-way
 * clusterings (a split along Fisher's discriminant of fixed 1-2 s windows;
 * of the segments, agglomerative BIC and splits along two Fisher
 * discriminants), each refined by a two-state Viterbi pass over
 * per-speaker GMMs with a switching penalty; of the refined splits whose
 * turns alternate, the one whose two speakers' windows lie furthest apart
 * (whitened by the scatter within a window) wins.
 * Memory is allocated at creation for max_frames frames (about 60 bytes a
 * frame: 21 MB an hour) and never grows. */
#ifndef ATTUNE_DIARIZE_H
#define ATTUNE_DIARIZE_H

#include "cepstra.h"

#include <stdint.h>

/* Per-frame decision bits given to at_diar_frame(). */
enum {
    AT_DIAR_WEAK = 1,      /* weak speech (extends spurts) */
    AT_DIAR_STRONG = 2,    /* strong speech (seeds spurts) */
    AT_DIAR_VOICED = 4,    /* voiced */
    AT_DIAR_LOUD = 8,      /* voiced near the party's speech level */
    AT_DIAR_NUCLEUS = 16,  /* a syllable nucleus (set later by at_diar_pitch) */
    AT_DIAR_SPURT = 32,    /* inside a talk spurt (set by at_diar_spurt) */
};

/* A speaker's voice as the mean and variance of c1..c12 over its speech:
 * what an enrolment clip yields and what picks the agent's cluster. */
#define AT_VP_DIM 12
typedef struct at_voiceprint {
    double mean[AT_VP_DIM], var[AT_VP_DIM];
    long n_frames;
} at_voiceprint;

typedef struct at_diar at_diar;

at_diar *at_diar_new(long max_frames);
void at_diar_free(at_diar *d);

/* Stores frame t's cepstra (AT_N_CEPS values) and decision bits.  Frames
 * come in order from 0.  Returns 0, or -1 past max_frames. */
int at_diar_frame(at_diar *d, long t, const float *ceps, int bits);
/* Frame t's final pitch (0 unvoiced) and nucleus, which come later. */
void at_diar_pitch(at_diar *d, long t, double f0_hz, int nucleus);
/* A talk spurt [s, e) of the channel. */
void at_diar_spurt(at_diar *d, long s, long e);

/* Labels the frames: speaker 0 is the one closer to the voice agent, or,
 * when agent is NULL, the first to speak is speaker `first` (0 or 1).  Returns 0, or -1 when
 * there is too little speech to tell two speakers apart (every speech
 * frame then goes to speaker 0). */
int at_diar_run(at_diar *d, const at_voiceprint *agent, int first);

/* After at_diar_run: frame t's speaker (0 or 1), or -1 outside speech. */
int at_diar_label(const at_diar *d, long t);
/* The stored bits, f0 (Hz, 0 unvoiced), and the number of frames stored. */
int at_diar_bits(const at_diar *d, long t);
double at_diar_f0(const at_diar *d, long t);
long at_diar_n_frames(const at_diar *d);
/* Frames the overlap detector flags: speech of both speakers at once. */
int at_diar_overlap(const at_diar *d, long t);

/* The voice of all the speech stored (an enrolment clip's). */
void at_diar_voiceprint(const at_diar *d, at_voiceprint *vp);

#endif
