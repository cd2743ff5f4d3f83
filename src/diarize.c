/* diarize: two speakers from one channel (see diarize.h).  Top-down:
 * storing frames, features, change points, resegmentation, naming the
 * speakers; the clusterings that start it are in diar_cluster.c. */
#include "diarize.h"

#include "diar_int.h"
#include "linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CEPS_SCALE 512.0       /* 16-bit storage: +-64 natural-log units */
#define WIN 100                /* change detection: 1 s of speech each side */
#define CHANGE_LAMBDA 1.0      /* BIC penalty weight, the textbook value */
#define GMM_K 8                /* components per speaker model */
#define GMM_ITER 4
#define GMM_MAX_FRAMES 3000    /* frames a model trains on (evenly spaced) */
#define RESEG_PASSES 2         /* Viterbi and retraining per start, ... */
#define FINAL_PASSES 1         /* ... and more on the start that wins */
#define SWITCH_PEN 150.0        /* log-likelihood a change of speaker costs mid-speech */
#define SWITCH_PEN_PAUSE 10.0  /* ... and across a pause (turns change there) */
#define FINAL_SWITCH_PEN 40.0  /* mid-speech on the winner's last pass: once the split
                                  is chosen, changes need less evidence, so a turn
                                  taken without a pause changes hands sooner */
#define MIN_ALTERNATION 0.15   /* a plausible split changes speaker at this share of
                                  segment boundaries at least ... */
#define PLAUSIBLE_BONUS 1e12   /* ... and wins over any split that does not */
#define SAME_SPLIT 0.95        /* two starts whose windows' speakers agree this much
                                  differ only in where turns change */
#define MIN_SPEECH 300         /* frames of speech needed to try two speakers (3 s) */
#define TILT_WEIGHT 0.5        /* c1, c2 (spectral tilt) after normalisation: vocal
                                  effort moves them within a voice (anger, stress) */


at_diar *at_diar_new(long max_frames)
{
    if (max_frames < 1)
        return NULL;
    at_diar *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->cap = max_frames;
    d->cap_segs = max_frames / 10 + 16;
    d->ceps = malloc(sizeof(int16_t) * AT_N_CEPS * max_frames);
    d->bits = calloc(max_frames, 1);
    d->f0 = calloc(max_frames, sizeof(uint16_t));
    d->label = malloc(max_frames);
    d->best = malloc(max_frames);
    d->back = malloc(max_frames);
    d->sidx = malloc(sizeof(int32_t) * max_frames);
    d->score = malloc(sizeof(float) * max_frames);
    d->members = malloc(sizeof(int32_t) * max_frames);
    d->segs = malloc(sizeof(at_seg) * d->cap_segs);
    d->cap_wins = max_frames / WIN_MIN + 16;
    d->wins = malloc(sizeof(at_seg) * d->cap_wins);
    d->wlab = malloc(d->cap_wins);
    d->best_wlab = malloc(d->cap_wins);
    d->cl = malloc(sizeof(at_stats) * MAX_CLUST);
    d->dist = malloc(sizeof(float) * MAX_CLUST * MAX_CLUST);
    if (!d->ceps || !d->bits || !d->f0 || !d->label || !d->best || !d->back || !d->sidx || !d->score ||
        !d->members || !d->segs || !d->wins || !d->wlab || !d->best_wlab || !d->cl || !d->dist) {
        at_diar_free(d);
        return NULL;
    }
    memset(d->label, -1, max_frames);
    return d;
}

void at_diar_free(at_diar *d)
{
    if (!d)
        return;
    free(d->ceps);
    free(d->bits);
    free(d->f0);
    free(d->label);
    free(d->best);
    free(d->back);
    free(d->sidx);
    free(d->score);
    free(d->members);
    free(d->segs);
    free(d->wins);
    free(d->wlab);
    free(d->best_wlab);
    free(d->cl);
    free(d->dist);
    free(d);
}

/* ---- storing frames ---------------------------------------------------- */

int at_diar_frame(at_diar *d, long t, const float *ceps, int bits)
{
    if (t != d->n || t >= d->cap)
        return -1;
    int16_t *c = d->ceps + (size_t)t * AT_N_CEPS;
    for (int q = 0; q < AT_N_CEPS; q++) {
        double v = ceps[q] * CEPS_SCALE;
        c[q] = (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : lround(v));
    }
    d->bits[t] = (uint8_t)(bits & ~(AT_DIAR_NUCLEUS | AT_DIAR_SPURT));
    d->n = t + 1;
    return 0;
}

void at_diar_pitch(at_diar *d, long t, double f0_hz, int nucleus)
{
    if (t < 0 || t >= d->n)
        return;
    double v = f0_hz > 0 ? f0_hz * 16.0 : 0.0;
    d->f0[t] = (uint16_t)(v > 65535 ? 65535 : lround(v));
    if (nucleus)
        d->bits[t] |= AT_DIAR_NUCLEUS;
}

void at_diar_spurt(at_diar *d, long s, long e)
{
    if (s < 0)
        s = 0;
    if (e > d->n)
        e = d->n;
    for (long t = s; t < e; t++)
        d->bits[t] |= AT_DIAR_SPURT;
}

static int is_speech(const at_diar *d, long t)
{
    return (d->bits[t] & AT_DIAR_SPURT) && (d->bits[t] & (AT_DIAR_WEAK | AT_DIAR_STRONG));
}

/* ---- features ---------------------------------------------------------- */

static double raw(const at_diar *d, long t, int q)
{
    return d->ceps[(size_t)t * AT_N_CEPS + q] / CEPS_SCALE;
}

/* Speech frame k's features, normalised over the call's speech (CMVN):
 * the channel's colouring and level cancel; the speakers' differences stay. */
void at_diar_features(const at_diar *d, long k, double *x)
{
    long t = d->sidx[k];
    for (int q = 0; q < DIM; q++)
        x[q] = (raw(d, t, q + 1) - d->mean[q]) * d->istd[q];
    x[0] *= TILT_WEIGHT;
    x[1] *= TILT_WEIGHT;
}

static void collect_speech(at_diar *d)
{
    double s1[DIM] = {0}, s2[DIM] = {0};
    d->n_sp = 0;
    for (long t = 0; t < d->n; t++) {
        if (!is_speech(d, t))
            continue;
        d->sidx[d->n_sp++] = (int32_t)t;
        for (int q = 0; q < DIM; q++) {
            double v = raw(d, t, q + 1);
            s1[q] += v;
            s2[q] += v * v;
        }
    }
    for (int q = 0; q < DIM; q++) {
        double n = d->n_sp ? (double)d->n_sp : 1.0;
        d->mean[q] = s1[q] / n;
        double var = s2[q] / n - d->mean[q] * d->mean[q];
        d->istd[q] = var > 1e-6 ? 1.0 / sqrt(var) : 1.0;
    }
}

void at_stats_add(at_stats *s, const double *x, double w)
{
    s->n += w;
    for (int q = 0; q < DIM; q++) {
        s->s1[q] += w * x[q];
        s->s2[q] += w * x[q] * x[q];
    }
}

void at_stats_merge(at_stats *out, const at_stats *a, const at_stats *b)
{
    out->n = a->n + b->n;
    for (int q = 0; q < DIM; q++) {
        out->s1[q] = a->s1[q] + b->s1[q];
        out->s2[q] = a->s2[q] + b->s2[q];
    }
}

/* n log |Sigma| of a diagonal Gaussian fitted to s. */
static double n_logdet(const at_stats *s)
{
    double prod = 1.0; /* one log for all: the variances are near 1, floored */
    for (int q = 0; q < DIM; q++) {
        double mu = s->s1[q] / s->n;
        double var = s->s2[q] / s->n - mu * mu;
        prod *= var > 1e-4 ? var : 1e-4;
    }
    return s->n * log(prod);
}

/* Delta-BIC of modelling a and b by one Gaussian instead of two: positive
 * when two fit better than the penalty for the extra parameters. */
double at_delta_bic(const at_stats *a, const at_stats *b)
{
    at_stats ab;
    at_stats_merge(&ab, a, b);
    double p = 0.5 * (2.0 * DIM) * log(ab.n);
    return 0.5 * (n_logdet(&ab) - n_logdet(a) - n_logdet(b)) - CHANGE_LAMBDA * p;
}

/* ---- change points ----------------------------------------------------- */

/* Slides two adjacent WIN-frame windows over the speech and scores each
 * split by delta-BIC; sums are updated, not recomputed. */
static void change_scores(at_diar *d)
{
    double x[DIM];
    at_stats l = {0}, r = {0};
    for (long k = 0; k < d->n_sp; k++)
        d->score[k] = -INFINITY;
    if (d->n_sp < 2 * WIN)
        return;
    for (long k = 0; k < WIN; k++) {
        at_diar_features(d, k, x);
        at_stats_add(&l, x, 1.0);
        at_diar_features(d, k + WIN, x);
        at_stats_add(&r, x, 1.0);
    }
    for (long k = WIN;; k++) {
        d->score[k] = (float)at_delta_bic(&l, &r);
        if (k + WIN >= d->n_sp)
            break;
        at_diar_features(d, k - WIN, x);
        at_stats_add(&l, x, -1.0);
        at_diar_features(d, k, x);
        at_stats_add(&l, x, 1.0);
        at_stats_add(&r, x, -1.0);
        at_diar_features(d, k + WIN, x);
        at_stats_add(&r, x, 1.0);
    }
}

static int is_change(const at_diar *d, long k)
{
    if (!(d->score[k] > 0.0f))
        return 0;
    long lo = k - WIN / 2 < 0 ? 0 : k - WIN / 2;
    long hi = k + WIN / 2 > d->n_sp ? d->n_sp : k + WIN / 2;
    for (long j = lo; j < hi; j++)
        if (d->score[j] > d->score[k] || (d->score[j] == d->score[k] && j < k))
            return 0;
    return 1;
}

/* Segments: speech between change points and pauses of PAUSE_SPLIT. */
static void segment(at_diar *d)
{
    change_scores(d);
    d->n_segs = 0;
    long a = 0;
    for (long k = 1; k <= d->n_sp && d->n_segs < d->cap_segs; k++) {
        int cut = k == d->n_sp || d->sidx[k] - d->sidx[k - 1] >= PAUSE_SPLIT || is_change(d, k);
        if (!cut)
            continue;
        d->segs[d->n_segs++] = (at_seg){(int32_t)a, (int32_t)k, -1};
        a = k;
    }
}

/* ---- resegmentation ---------------------------------------------------- */

typedef struct train_set {
    const at_diar *d;
    long n;
} train_set;

static void train_frame(void *user, long i, double *x)
{
    const train_set *ts = user;
    at_diar_features(ts->d, ts->d->members[i], x);
}

/* Trains speaker c's model on its labelled speech frames (sidx indices
 * with label[] == c), evenly thinned to GMM_MAX_FRAMES. */
static int train_model(at_diar *d, int c)
{
    long n = 0;
    for (long k = 0; k < d->n_sp; k++)
        if (d->label[d->sidx[k]] == c)
            d->members[n++] = (int32_t)k;
    if (n > GMM_MAX_FRAMES) {
        for (long i = 0; i < GMM_MAX_FRAMES; i++)
            d->members[i] = d->members[(long)((double)i * n / GMM_MAX_FRAMES)];
        n = GMM_MAX_FRAMES;
    }
    train_set ts = {d, n};
    return at_gmm_train(&d->model[c], GMM_K, DIM, n, train_frame, &ts, GMM_ITER);
}

/* Two-state Viterbi over the frames inside talk spurts: speech frames
 * score under each speaker's model, pauses are neutral, a change of
 * speaker costs switch_pen (SWITCH_PEN_PAUSE across a pause between
 * spurts).  Writes label[] for every frame inside a spurt. */
static void viterbi(at_diar *d, double switch_pen)
{
    double acc[2] = {0.0, 0.0}, x[DIM];
    long prev = -2, k = 0, last = -1;
    for (long t = 0; t < d->n; t++) {
        if (!(d->bits[t] & AT_DIAR_SPURT))
            continue;
        double pen = t == prev + 1 ? switch_pen : SWITCH_PEN_PAUSE;
        double e[2] = {0.0, 0.0};
        if (k < d->n_sp && d->sidx[k] == t) {
            at_diar_features(d, k++, x);
            e[0] = at_gmm_loglik(&d->model[0], x);
            e[1] = at_gmm_loglik(&d->model[1], x);
            double top = e[0] > e[1] ? e[0] : e[1];
            e[0] -= top;
            e[1] -= top;
        }
        uint8_t b = 0;
        double next[2];
        for (int s = 0; s < 2; s++) {
            double stay = acc[s], move = acc[1 - s] - (prev < 0 ? 0.0 : pen);
            if (move > stay)
                b |= (uint8_t)(1 << s);
            next[s] = (move > stay ? move : stay) + e[s];
        }
        d->back[t] = b;
        acc[0] = next[0];
        acc[1] = next[1];
        prev = last = t;
    }
    if (last < 0)
        return;
    int s = acc[1] > acc[0];
    for (long t = last; t >= 0; t--) {
        if (!(d->bits[t] & AT_DIAR_SPURT))
            continue;
        d->label[t] = (int8_t)s;
        if (d->back[t] & (1 << s))
            s = 1 - s;
    }
}

/* ---- naming the speakers ----------------------------------------------- */

static void voice_of(const at_diar *d, int c, at_voiceprint *vp)
{
    memset(vp, 0, sizeof *vp);
    for (long k = 0; k < d->n_sp; k++) {
        long t = d->sidx[k];
        if (c >= 0 && d->label[t] != c)
            continue;
        vp->n_frames++;
        for (int q = 0; q < AT_VP_DIM; q++) {
            double v = raw(d, t, q + 1);
            vp->mean[q] += v;
            vp->var[q] += v * v;
        }
    }
    double n = vp->n_frames ? (double)vp->n_frames : 1.0;
    for (int q = 0; q < AT_VP_DIM; q++) {
        vp->mean[q] /= n;
        vp->var[q] = vp->var[q] / n - vp->mean[q] * vp->mean[q];
        if (vp->var[q] < 1e-4)
            vp->var[q] = 1e-4;
    }
}

void at_diar_voiceprint(const at_diar *d, at_voiceprint *vp)
{
    at_diar *dd = (at_diar *)d; /* the speech list is scratch, rebuilt here */
    collect_speech(dd);
    voice_of(d, -1, vp);
}

/* Symmetric Kullback-Leibler divergence of two diagonal Gaussians. */
static double skl(const at_voiceprint *a, const at_voiceprint *b)
{
    double s = 0.0;
    for (int q = 0; q < AT_VP_DIM; q++) {
        double dm = a->mean[q] - b->mean[q];
        s += 0.5 * (a->var[q] / b->var[q] + b->var[q] / a->var[q] - 2.0) +
             0.5 * dm * dm * (1.0 / a->var[q] + 1.0 / b->var[q]);
    }
    return s;
}

static void swap_labels(at_diar *d)
{
    for (long t = 0; t < d->n; t++)
        if (d->label[t] >= 0)
            d->label[t] = (int8_t)(1 - d->label[t]);
}

static void name_speakers(at_diar *d, const at_voiceprint *agent, int first)
{
    if (agent) {
        at_voiceprint v0, v1;
        voice_of(d, 0, &v0);
        voice_of(d, 1, &v1);
        if (skl(agent, &v1) < skl(agent, &v0))
            swap_labels(d);
        return;
    }
    if (d->n_sp && d->label[d->sidx[0]] != first)
        swap_labels(d);
}

/* ---- the whole pass ---------------------------------------------------- */

static void label_all(at_diar *d, int c)
{
    memset(d->label, -1, d->n);
    for (long t = 0; t < d->n; t++)
        if (d->bits[t] & AT_DIAR_SPURT)
            d->label[t] = (int8_t)c;
}

/* From the segments' clusters to labels: models on the clustered
 * segments, then RESEG_PASSES of Viterbi and retraining.  Returns 1, or 0
 * when a model cannot be trained. */
static int resegment(at_diar *d, const at_seg *seg, long n_seg)
{
    memset(d->label, -1, d->n);
    for (long i = 0; i < n_seg; i++)
        for (long k = seg[i].a; k < seg[i].b; k++)
            d->label[d->sidx[k]] = (int8_t)seg[i].cluster;
    for (int pass = 0; pass < RESEG_PASSES; pass++) {
        if (train_model(d, 0) || train_model(d, 1))
            return 0;
        viterbi(d, SWITCH_PEN);
    }
    return 1;
}

/* How much better two Gaussians than one explain the speech as labelled
 * (delta-BIC of the two speakers' frames).  Unlike the models' own
 * likelihood, it does not favour a split where one small model overfits
 * a few frames, and it is the same measure for every start. */
static double bic_split(const at_diar *d)
{
    at_stats c[2];
    double x[DIM];
    memset(c, 0, sizeof c);
    for (long k = 0; k < d->n_sp; k++) {
        int l = d->label[d->sidx[k]];
        if (l < 0)
            continue;
        at_diar_features(d, k, x);
        at_stats_add(&c[l], x, 1.0);
    }
    if (c[0].n < 2 || c[1].n < 2)
        return -INFINITY;
    return at_delta_bic(&c[0], &c[1]);
}

/* Each window's speaker (wlab[]: the one of most of its frames, -1 none)
 * and the two speakers' mean window means in s[2][DIM], counts in n[2]. */
static void window_labels(at_diar *d, double s[2][DIM], double n[2])
{
    double mu[DIM], x[DIM];
    memset(s, 0, sizeof(double) * 2 * DIM);
    n[0] = n[1] = 0.0;
    for (long i = 0; i < d->n_wins; i++) {
        const at_seg *w = &d->wins[i];
        long votes[2] = {0, 0};
        memset(mu, 0, sizeof mu);
        for (long k = w->a; k < w->b; k++) {
            int l = d->label[d->sidx[k]];
            if (l >= 0)
                votes[l]++;
            at_diar_features(d, k, x);
            for (int q = 0; q < DIM; q++)
                mu[q] += x[q];
        }
        d->wlab[i] = votes[0] + votes[1] == 0 ? -1 : (int8_t)(votes[1] > votes[0]);
        if (d->wlab[i] < 0)
            continue;
        n[d->wlab[i]] += 1.0;
        for (int q = 0; q < DIM; q++)
            s[d->wlab[i]][q] += mu[q] / (double)(w->b - w->a);
    }
}

/* How far apart the two speakers' voices lie: the between-class variance
 * of the windows' means in the space whitened by the scatter within a
 * window, the measure the window start maximises.  On the real-voice
 * pairs it picks a start within 0.3 points of confusion of the best in 21
 * calls of 26; the delta-BIC of the frames, which a split by phonetic
 * content or level also raises, in 14.  Sets wlab[]; falls back on
 * bic_split() without windows. */
static double split_score(at_diar *d)
{
    if (!d->have_wchol)
        return bic_split(d);
    double s[2][DIM], n[2];
    window_labels(d, s, n);
    if (n[0] < 1.0 || n[1] < 1.0)
        return -INFINITY;
    double e[DIM], y[DIM], dist = 0.0, p = n[1] / (n[0] + n[1]);
    for (int q = 0; q < DIM; q++)
        y[q] = e[q] = s[1][q] / n[1] - s[0][q] / n[0];
    at_cholesky_solve(d->wchol, DIM, y);
    for (int q = 0; q < DIM; q++)
        dist += e[q] * y[q];
    return p * (1.0 - p) * dist;
}

/* Whether the labels split the windows as the best start's do (either
 * way round, SAME_SPLIT of the windows or more). */
static int same_split(const at_diar *d)
{
    long agree = 0, both = 0;
    if (!d->have_wchol)
        return 0;
    for (long i = 0; i < d->n_wins; i++) {
        if (d->wlab[i] < 0 || d->best_wlab[i] < 0)
            continue;
        both++;
        agree += d->wlab[i] == d->best_wlab[i];
    }
    return both > 0 && (agree >= SAME_SPLIT * both || both - agree >= SAME_SPLIT * both);
}

/* The share of consecutive segments that the labels give to different
 * speakers: in a conversation turns alternate, while a split of one
 * voice's calm and angry stretches (or of any slow drift) changes label
 * only where the drift does. */
static double alternation(const at_diar *d)
{
    long changes = 0, pairs = 0;
    int last = -1;
    for (long i = 0; i < d->n_segs; i++) {
        int l = d->label[d->sidx[(d->segs[i].a + d->segs[i].b) / 2]];
        if (l < 0)
            continue;
        if (last >= 0) {
            pairs++;
            changes += l != last;
        }
        last = l;
    }
    return pairs ? (double)changes / pairs : 0.0;
}

typedef struct pick {
    double score, bic; /* the best split's score (+ PLAUSIBLE_BONUS) and delta-BIC */
    int have;
} pick;

/* Keeps the better of the labels so far and the current ones, if the
 * resegmentation succeeded: a split whose turns alternate beats one that
 * does not, then the larger split_score() wins; between two starts that
 * split the windows the same way, which differ only in where turns
 * change, the larger delta-BIC of the frames (the better fit there). */
static void keep_best(at_diar *d, int ok, pick *best)
{
    if (!ok)
        return;
    double score = split_score(d), bic = bic_split(d);
    if (score == -INFINITY)
        return;
    if (alternation(d) >= MIN_ALTERNATION)
        score += PLAUSIBLE_BONUS;
    int take = !best->have || score > best->score;
    if (best->have && same_split(d) && (score >= PLAUSIBLE_BONUS) == (best->score >= PLAUSIBLE_BONUS))
        take = bic > best->bic;
    if (!take)
        return;
    best->score = best->have && same_split(d) && score < best->score ? best->score : score;
    best->bic = bic;
    best->have = 1;
    memcpy(d->best, d->label, d->n);
    if (d->have_wchol)
        memcpy(d->best_wlab, d->wlab, d->n_wins);
}

int at_diar_run(at_diar *d, const at_voiceprint *agent, int first)
{
    int first_label = agent ? 0 : first;
    collect_speech(d);
    label_all(d, first_label);
    if (d->n_sp < MIN_SPEECH)
        return -1;
    segment(d);
    /* Four starts: Fisher's direction of fixed windows (first: it sets the
     * whitening split_score() uses), agglomerative BIC and two Fisher
     * directions of the segments; of the resegmentations whose turns
     * alternate, the one whose two speakers stand furthest apart wins (any
     * can settle on a wrong split). */
    pick best = {0.0, 0.0, 0};
    d->have_wchol = 0;
    if (at_diar_cluster_windows(d) >= 2)
        keep_best(d, resegment(d, d->wins, d->n_wins), &best);
    if (at_diar_cluster_bic(d) >= 2)
        keep_best(d, resegment(d, d->segs, d->n_segs), &best);
    if (at_diar_cluster_fisher(d, 0) >= 2)
        keep_best(d, resegment(d, d->segs, d->n_segs), &best);
    if (at_diar_cluster_fisher(d, 1) >= 2)
        keep_best(d, resegment(d, d->segs, d->n_segs), &best);
    if (!best.have) {
        label_all(d, first_label);
        return -1;
    }
    memcpy(d->label, d->best, d->n);
    for (int pass = 0; pass < FINAL_PASSES; pass++) {
        if (train_model(d, 0) || train_model(d, 1))
            break;
        viterbi(d, FINAL_SWITCH_PEN);
    }
    name_speakers(d, agent, first);
    return 0;
}

/* ---- reading the result ------------------------------------------------ */

int at_diar_label(const at_diar *d, long t)
{
    return t >= 0 && t < d->n ? d->label[t] : -1;
}

int at_diar_bits(const at_diar *d, long t) { return t >= 0 && t < d->n ? d->bits[t] : 0; }

double at_diar_f0(const at_diar *d, long t)
{
    return t >= 0 && t < d->n ? d->f0[t] / 16.0 : 0.0;
}

long at_diar_n_frames(const at_diar *d) { return d->n; }

int at_diar_overlap(const at_diar *d, long t)
{
    (void)d;
    (void)t;
    return 0;
}
