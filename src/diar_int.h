/* diar_int: what diarize.c and diar_cluster.c share, private to them:
 * the diarizer's state, its segments and Gaussian statistics. */
#ifndef ATTUNE_DIAR_INT_H
#define ATTUNE_DIAR_INT_H

#include "diarize.h"
#include "gmm.h"

#include <stdint.h>

#define DIM (AT_N_CEPS - 1)    /* c1..c19 (c0, the level, varies within a voice) */
#define MIN_SEG 30             /* segments clustered: at least 0.3 s of speech ... */
#define MAX_CLUST 256          /* ... the longest this many */
#define PAUSE_SPLIT 20         /* a pause this long (0.2 s) always ends a segment */
#define WIN_MIN 100            /* the window start's windows: 1 s of speech ... */
#define WIN_MAX 200            /* ... to 2 s, cut at pauses and every 2 s */

typedef struct at_seg {
    int32_t a, b;              /* speech frames [a, b) (indices into sidx) */
    int cluster;
} at_seg;

typedef struct at_stats {
    double n, s1[DIM], s2[DIM];
} at_stats;

struct at_diar {
    long cap, n;               /* frames: capacity, stored */
    int16_t *ceps;             /* cap * AT_N_CEPS */
    uint8_t *bits;
    uint16_t *f0;              /* Hz * 16 */
    int8_t *label;
    int8_t *best;              /* the labels of the best start so far */
    uint8_t *back;             /* Viterbi back pointers, a bit per state */
    int32_t *sidx;             /* speech frames, in order */
    float *score;              /* change score per speech frame; reused as scratch */
    int32_t *members;          /* a model's training frames */
    long n_sp;
    at_seg *segs;
    long n_segs, cap_segs;
    at_seg *wins;              /* the window start's windows (sidx indices) */
    long n_wins, cap_wins;
    int8_t *wlab, *best_wlab;  /* windows' speakers: of the labels, of the best start */
    double wchol[DIM * DIM];   /* Cholesky factor of the scatter within a window ... */
    int have_wchol;            /* ... once the window start has set it */
    at_stats *cl;              /* MAX_CLUST clusters */
    float *dist;               /* MAX_CLUST^2 merge costs */
    double mean[DIM], istd[DIM];
    at_gmm model[2];
};

/* Speech frame k's features (DIM values), normalised over the call. */
void at_diar_features(const at_diar *d, long k, double *x);
/* Statistics of a diagonal Gaussian: add x with weight w, merge two. */
void at_stats_add(at_stats *s, const double *x, double w);
void at_stats_merge(at_stats *out, const at_stats *a, const at_stats *b);
/* Delta-BIC of one Gaussian for a and b against two: > 0 when two fit better. */
double at_delta_bic(const at_stats *a, const at_stats *b);

/* Two-way clusterings of the segments of at least MIN_SEG frames (the
 * longest MAX_CLUST), each setting segs[].cluster to 0, 1 or -1 (not
 * clustered) and returning the number clustered (< 2: no split):
 * agglomerative delta-BIC, and a split along Fisher's direction (local:
 * of consecutive segments' differences). */
int at_diar_cluster_bic(at_diar *d);
int at_diar_cluster_fisher(at_diar *d, int local);
/* The same split along Fisher's direction with fixed windows of 1-2 s of
 * speech as the classes (wins[], each weighing the same) instead of the
 * segments: sets wins[].cluster and wchol, and returns the number of
 * windows (< 2: no split). */
int at_diar_cluster_windows(at_diar *d);

#endif
