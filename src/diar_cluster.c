/* diar_cluster: the two-way clusterings of speech segments that start
 * diarization (see diar_int.h): agglomerative delta-BIC and splits along
 * Fisher's discriminant, with the segments or fixed windows as classes. */
#include "diar_int.h"

#include "linalg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int by_length_desc(const void *pa, const void *pb)
{
    const at_seg *a = pa, *b = pb;
    return (b->b - b->a) - (a->b - a->a);
}

static int by_start(const void *pa, const void *pb)
{
    const at_seg *a = pa, *b = pb;
    return (a->a > b->a) - (a->a < b->a);
}

/* Agglomerative clustering of the longest segments by delta-BIC, merging
 * the pair that least needs two models, down to two clusters.  Returns the
 * number of segments clustered (their cluster is 0 or 1). */
int at_diar_cluster_bic(at_diar *d)
{
    qsort(d->segs, d->n_segs, sizeof(at_seg), by_length_desc);
    int m = 0;
    while (m < d->n_segs && m < MAX_CLUST && d->segs[m].b - d->segs[m].a >= MIN_SEG)
        m++;
    if (m < 2) {
        qsort(d->segs, d->n_segs, sizeof(at_seg), by_start);
        return 0;
    }
    int owner[MAX_CLUST], alive[MAX_CLUST];
    double x[DIM];
    for (int i = 0; i < m; i++) {
        memset(&d->cl[i], 0, sizeof(at_stats));
        for (long k = d->segs[i].a; k < d->segs[i].b; k++) {
            at_diar_features(d, k, x);
            at_stats_add(&d->cl[i], x, 1.0);
        }
        owner[i] = i;
        alive[i] = 1;
    }
    for (int i = 0; i < m; i++)
        for (int j = i + 1; j < m; j++)
            d->dist[i * MAX_CLUST + j] = (float)at_delta_bic(&d->cl[i], &d->cl[j]);
    for (int left = m; left > 2; left--) {
        int bi = -1, bj = -1;
        float best = INFINITY;
        for (int i = 0; i < m; i++) {
            if (!alive[i])
                continue;
            for (int j = i + 1; j < m; j++)
                if (alive[j] && d->dist[i * MAX_CLUST + j] < best) {
                    best = d->dist[i * MAX_CLUST + j];
                    bi = i;
                    bj = j;
                }
        }
        at_stats_merge(&d->cl[bi], &d->cl[bi], &d->cl[bj]);
        alive[bj] = 0;
        for (int i = 0; i < m; i++)
            if (owner[i] == bj)
                owner[i] = bi;
        for (int i = 0; i < m; i++) {
            if (!alive[i] || i == bi)
                continue;
            float v = (float)at_delta_bic(&d->cl[bi], &d->cl[i]);
            d->dist[i < bi ? i * MAX_CLUST + bi : bi * MAX_CLUST + i] = v;
        }
    }
    int first = -1;
    for (int i = 0; i < m; i++) {
        if (first < 0)
            first = owner[i];
        d->segs[i].cluster = owner[i] == first ? 0 : 1;
    }
    qsort(d->segs, d->n_segs, sizeof(at_seg), by_start);
    return m;
}

/* Each segment of at least MIN_SEG frames (the first MAX_CLUST) gets a
 * cluster of its own statistics; returns their number. */
static int segment_stats(at_diar *d)
{
    double x[DIM];
    int m = 0;
    for (long i = 0; i < d->n_segs; i++) {
        d->segs[i].cluster = -1;
        if (d->segs[i].b - d->segs[i].a < MIN_SEG || m >= MAX_CLUST)
            continue;
        memset(&d->cl[m], 0, sizeof(at_stats));
        for (long k = d->segs[i].a; k < d->segs[i].b; k++) {
            at_diar_features(d, k, x);
            at_stats_add(&d->cl[m], x, 1.0);
        }
        d->segs[i].cluster = m++;
    }
    return m;
}

/* Segment c's cluster number becomes own[c], 0 or 1. */
static void relabel(at_diar *d, const int *own)
{
    for (long i = 0; i < d->n_segs; i++)
        if (d->segs[i].cluster >= 0)
            d->segs[i].cluster = own[d->segs[i].cluster];
}

/* Within-segment (sw) and between-segment (sb) scatter of the features,
 * the segments as classes, each frame weighing the same.  With local, sb
 * is the scatter of the differences between consecutive segments instead:
 * next to each other, segments differ by who speaks more than by slow
 * drifts of one voice (calm to angry), which the global scatter favours. */
static void scatter(at_diar *d, int m, int local, double *sw, double *sb)
{
    double x[DIM], mu[DIM] = {0}, total = 0.0;
    memset(sw, 0, sizeof(double) * DIM * DIM);
    memset(sb, 0, sizeof(double) * DIM * DIM);
    for (long i = 0; i < d->n_segs; i++) {
        if (d->segs[i].cluster < 0)
            continue;
        const at_stats *s = &d->cl[d->segs[i].cluster];
        for (long k = d->segs[i].a; k < d->segs[i].b; k++) {
            at_diar_features(d, k, x);
            for (int p = 0; p < DIM; p++)
                x[p] -= s->s1[p] / s->n;
            for (int p = 0; p < DIM; p++)
                for (int q = 0; q <= p; q++)
                    sw[p * DIM + q] += x[p] * x[q];
        }
    }
    for (int c = 0; c < m; c++) {
        total += d->cl[c].n;
        for (int p = 0; p < DIM; p++)
            mu[p] += d->cl[c].s1[p];
    }
    for (int p = 0; p < DIM; p++)
        mu[p] /= total;
    for (int c = 0; c < m; c++) {
        const at_stats *s = &d->cl[c];
        if (local && c + 1 < m) {
            const at_stats *t = &d->cl[c + 1];
            double w = s->n * t->n / (s->n + t->n), e[DIM];
            for (int p = 0; p < DIM; p++)
                e[p] = t->s1[p] / t->n - s->s1[p] / s->n;
            for (int p = 0; p < DIM; p++)
                for (int q = 0; q <= p; q++)
                    sb[p * DIM + q] += w * e[p] * e[q];
            continue;
        }
        if (local)
            continue;
        for (int p = 0; p < DIM; p++)
            for (int q = 0; q <= p; q++)
                sb[p * DIM + q] += s->n * (s->s1[p] / s->n - mu[p]) * (s->s1[q] / s->n - mu[q]);
    }
    for (int p = 0; p < DIM; p++)
        for (int q = 0; q <= p; q++) {
            sw[q * DIM + p] = sw[p * DIM + q] /= total;
            sb[q * DIM + p] = sb[p * DIM + q] /= total;
        }
    for (int p = 0; p < DIM; p++)
        sw[p * DIM + p] += 1e-3; /* ridge: a dimension may be nearly constant */
}

typedef struct proj {
    double v, n;
    int c;
} proj;

static int by_value(const void *pa, const void *pb)
{
    const proj *a = pa, *b = pb;
    return (a->v > b->v) - (a->v < b->v);
}

/* The segments projected on Fisher's direction with the segments as
 * classes (the leading eigenvector of Sw^-1 Sb): the direction along which
 * segment means differ most against the spread within a segment, where
 * what a segment says averages out and who says it stays; local as in
 * scatter().  The projections are split in two where the between-class
 * variance is largest (Otsu 1979).  Returns the number of segments
 * clustered. */
int at_diar_cluster_fisher(at_diar *d, int local)
{
    double sw[DIM * DIM], sb[DIM * DIM];
    double w[DIM];
    int m = segment_stats(d);
    if (m < 2)
        return 0;
    scatter(d, m, local, sw, sb);
    if (at_fisher_direction(sb, sw, DIM, w))
        return 0;
    proj pr[MAX_CLUST];
    double tn = 0.0, tv = 0.0, ln = 0.0, lv = 0.0, best = -1.0;
    for (int c = 0; c < m; c++) {
        pr[c] = (proj){0.0, d->cl[c].n, c};
        for (int q = 0; q < DIM; q++)
            pr[c].v += w[q] * d->cl[c].s1[q] / d->cl[c].n;
        tn += pr[c].n;
        tv += pr[c].n * pr[c].v;
    }
    qsort(pr, m, sizeof *pr, by_value);
    int cut = 1, own[MAX_CLUST];
    for (int i = 0; i + 1 < m; i++) {
        ln += pr[i].n;
        lv += pr[i].n * pr[i].v;
        double gap = lv / ln - (tv - lv) / (tn - ln);
        if (ln * (tn - ln) * gap * gap > best) {
            best = ln * (tn - ln) * gap * gap;
            cut = i + 1;
        }
    }
    for (int i = 0; i < m; i++)
        own[pr[i].c] = i >= cut;
    relabel(d, own);
    return m;
}

/* Speech cut into windows of WIN_MIN to WIN_MAX frames at pauses of
 * PAUSE_SPLIT and every WIN_MAX frames, ignoring change points; shorter
 * pieces are left out.  Returns their number. */
static long build_windows(at_diar *d)
{
    d->n_wins = 0;
    long a = 0;
    for (long k = 1; k <= d->n_sp && d->n_wins < d->cap_wins; k++) {
        int cut = k == d->n_sp || d->sidx[k] - d->sidx[k - 1] >= PAUSE_SPLIT || k - a >= WIN_MAX;
        if (!cut)
            continue;
        if (k - a >= WIN_MIN)
            d->wins[d->n_wins++] = (at_seg){(int32_t)a, (int32_t)k, -1};
        a = k;
    }
    return d->n_wins;
}

static void window_mean(const at_diar *d, const at_seg *w, double *mu)
{
    double x[DIM];
    memset(mu, 0, sizeof(double) * DIM);
    for (long k = w->a; k < w->b; k++) {
        at_diar_features(d, k, x);
        for (int q = 0; q < DIM; q++)
            mu[q] += x[q];
    }
    for (int q = 0; q < DIM; q++)
        mu[q] /= (double)(w->b - w->a);
}

/* Within-window (sw, over frames) and between-window (sb, each window
 * weighing the same) scatter of at most MAX_CLUST windows spread evenly
 * over the call, whose means go to cl[].s1 (n = 1).  Returns their number. */
static int window_scatter(at_diar *d, double *sw, double *sb)
{
    int m = d->n_wins < MAX_CLUST ? (int)d->n_wins : MAX_CLUST;
    double x[DIM], mu[DIM] = {0}, frames = 0.0;
    memset(sw, 0, sizeof(double) * DIM * DIM);
    memset(sb, 0, sizeof(double) * DIM * DIM);
    for (int c = 0; c < m; c++) {
        const at_seg *w = &d->wins[(long)((double)c * d->n_wins / m)];
        at_stats *s = &d->cl[c];
        s->n = 1.0;
        window_mean(d, w, s->s1);
        for (long k = w->a; k < w->b; k++) {
            at_diar_features(d, k, x);
            for (int p = 0; p < DIM; p++)
                x[p] -= s->s1[p];
            for (int p = 0; p < DIM; p++)
                for (int q = 0; q <= p; q++)
                    sw[p * DIM + q] += x[p] * x[q];
        }
        frames += (double)(w->b - w->a);
        for (int p = 0; p < DIM; p++)
            mu[p] += s->s1[p] / m;
    }
    for (int c = 0; c < m; c++)
        for (int p = 0; p < DIM; p++)
            for (int q = 0; q <= p; q++)
                sb[p * DIM + q] += (d->cl[c].s1[p] - mu[p]) * (d->cl[c].s1[q] - mu[q]);
    for (int p = 0; p < DIM; p++)
        for (int q = 0; q <= p; q++) {
            sw[q * DIM + p] = sw[p * DIM + q] /= frames;
            sb[q * DIM + p] = sb[p * DIM + q] /= m;
        }
    for (int p = 0; p < DIM; p++)
        sw[p * DIM + p] += 1e-3;
    return m;
}

/* Windows of a fixed length make better classes than the change-point
 * segments: each weighs the same, so a few long segments of one mood do
 * not set the direction, and 1-2 s average out what is said (on the
 * real-voice pairs, the truth's speakers lie along the leading direction
 * in 22 calls of 26).  Split where the between-class variance is largest
 * (Otsu 1979); every window is labelled by the cut's value. */
int at_diar_cluster_windows(at_diar *d)
{
    double sw[DIM * DIM], sb[DIM * DIM], w[DIM], mu[DIM];
    if (build_windows(d) < 4)
        return 0;
    int m = window_scatter(d, sw, sb);
    if (at_fisher_direction(sb, sw, DIM, w))
        return 0;
    memcpy(d->wchol, sw, sizeof sw);
    d->have_wchol = 1;
    proj pr[MAX_CLUST];
    double tv = 0.0, lv = 0.0, best = -1.0, cut = 0.0;
    for (int c = 0; c < m; c++) {
        pr[c] = (proj){0.0, 1.0, c};
        for (int q = 0; q < DIM; q++)
            pr[c].v += w[q] * d->cl[c].s1[q];
        tv += pr[c].v;
    }
    qsort(pr, m, sizeof *pr, by_value);
    for (int i = 0; i + 1 < m; i++) {
        lv += pr[i].v;
        double ln = i + 1.0, gap = lv / ln - (tv - lv) / (m - ln);
        if (ln * (m - ln) * gap * gap > best) {
            best = ln * (m - ln) * gap * gap;
            cut = 0.5 * (pr[i].v + pr[i + 1].v);
        }
    }
    for (long i = 0; i < d->n_wins; i++) {
        double v = 0.0;
        window_mean(d, &d->wins[i], mu);
        for (int q = 0; q < DIM; q++)
            v += w[q] * mu[q];
        d->wins[i].cluster = v > cut;
    }
    return (int)d->n_wins;
}
