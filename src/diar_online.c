/* diar_online: two speakers of a mono call as it happens (see diar_online.h). */
#include "diar_online.h"

#include "cepstra.h"
#include "conversation.h"
#include "diarize.h"
#include "spurts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DIM 12               /* c1..c12: the voice, without the level (c0) */
#define BLOCK 50             /* speech frames a block of the bootstrap holds */
#define BLOCK_GAP 20         /* a pause this long ends a block early ... */
#define BLOCK_MIN 25         /* ... and keeps it if it has this many frames */
#define MAX_BLOCKS 512       /* the bootstrap's memory: about 4 minutes of speech */
#define RETRY_BLOCKS 10      /* a one-voice bootstrap is tried again this much later */
#define KMEANS_ITER 10
#define MIN_SHARE 0.1        /* each speaker holds at least this share of the blocks */
#define VAR_FLOOR 1e-3
#define MODEL_MAX_N 3000.0   /* a speaker's model forgets beyond 30 s of its speech */

typedef struct stats {
    double n, s1[DIM], s2[DIM];
} stats;

typedef struct gauss {
    double mean[DIM], ivar[DIM], logdet;
} gauss;

struct at_diar_online {
    double fps;
    int first_party;
    long cap;                /* frames the ring holds */
    float *x;                /* cap x DIM cepstra, ring by frame index */
    float *llr;              /* cap: log-likelihood ratio, first speaker over second */
    unsigned char *bits;     /* cap */
    long n_in;               /* frames received */
    long next;               /* the next frame to decide */
    int lag;                 /* frames a decision looks ahead (and back) */
    /* bootstrap */
    stats block;             /* the block being filled */
    int block_gap;
    stats *blocks;           /* MAX_BLOCKS */
    double (*means)[DIM];    /* MAX_BLOCKS: the blocks' scaled means, scratch */
    int n_blocks, boot_at;
    int ready;
    /* the two speakers (0: the first to speak) */
    stats st[2];
    gauss g[2];
    int last_label;
    /* the decided labels, for the overlap cue (overlap.h) */
    signed char *lab;        /* lab_cap: speaker of each decided frame, -1 none */
    long lab_cap;
    long fed;                /* the next decided frame to give the parties */
    int ov_before, ov_after, ov_run, ov_hold, bridge; /* frames */
    /* their conversation */
    at_spurts sp[ATTUNE_N_PARTIES];
    at_conv conv;
};

at_diar_online *at_diar_online_new(const attune_config *cfg, double fps, int first_party,
                                   attune_event_fn emit, void *user)
{
    at_diar_online *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->fps = fps;
    o->first_party = first_party;
    o->cap = (long)lround(AT_DO_HOLD_S * fps);
    o->lag = (int)lround(AT_DO_LAG_S * fps);
    o->x = malloc(sizeof(float) * DIM * (size_t)o->cap);
    o->llr = calloc((size_t)o->cap, sizeof(float));
    o->bits = malloc((size_t)o->cap);
    o->blocks = malloc(sizeof(stats) * MAX_BLOCKS);
    o->means = malloc(sizeof(double) * DIM * MAX_BLOCKS);
    if (!o->x || !o->llr || !o->bits || !o->blocks || !o->means) {
        at_diar_online_free(o);
        return NULL;
    }
    o->ov_before = (int)lround(cfg->mono_overlap_s * fps);
    o->ov_after = (int)lround(cfg->mono_overlap_after_s * fps);
    o->ov_run = (int)lround(cfg->interrupt_min_s * fps);
    o->ov_hold = (int)lround(AT_DO_OV_HOLD_S * fps);
    o->bridge = (int)lround(cfg->bridge_s * fps);
    if (o->bridge < 1)
        o->bridge = 1;
    if (o->ov_hold > o->ov_run)
        o->ov_hold = o->ov_run;
    /* Back to a voice's run before a change behind the frame, ahead to the
     * newcomer's hold after a change in front of it. */
    o->lab_cap = o->ov_after + o->ov_run + o->ov_before + o->ov_hold + 2;
    o->lab = malloc((size_t)o->lab_cap);
    if (!o->lab) {
        at_diar_online_free(o);
        return NULL;
    }
    o->boot_at = (int)lround(AT_DO_BOOT_S * fps / BLOCK);
    o->last_label = 0;
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        at_spurts_init(&o->sp[p], cfg, fps);
    at_conv_init(&o->conv, cfg, fps, 2, emit, user);
    return o;
}

void at_diar_online_free(at_diar_online *o)
{
    if (!o)
        return;
    free(o->x);
    free(o->llr);
    free(o->bits);
    free(o->blocks);
    free(o->means);
    free(o->lab);
    free(o);
}

static int is_speech(int bits) { return (bits & (AT_DIAR_WEAK | AT_DIAR_STRONG)) != 0; }

/* The frames that teach and judge the voices: those standing well out of
 * noise (a weak frame's cepstra are half noise). */
static int is_voice(int bits) { return (bits & AT_DIAR_STRONG) != 0; }

static const float *x_of(const at_diar_online *o, long t)
{
    return o->x + (size_t)(t % o->cap) * DIM;
}

/* ---- the speakers' Gaussians -------------------------------------------- */

static void stats_add(stats *s, const float *x)
{
    s->n += 1.0;
    for (int q = 0; q < DIM; q++) {
        s->s1[q] += x[q];
        s->s2[q] += (double)x[q] * x[q];
    }
}

static void stats_merge(stats *a, const stats *b)
{
    a->n += b->n;
    for (int q = 0; q < DIM; q++) {
        a->s1[q] += b->s1[q];
        a->s2[q] += b->s2[q];
    }
}

static void fit(gauss *g, const stats *s)
{
    g->logdet = 0.0;
    for (int q = 0; q < DIM; q++) {
        double m = s->s1[q] / s->n, v = s->s2[q] / s->n - m * m;
        v = v > VAR_FLOOR ? v : VAR_FLOOR;
        g->mean[q] = m;
        g->ivar[q] = 1.0 / v;
        g->logdet += log(v);
    }
}

static double loglik(const gauss *g, const float *x)
{
    double d = 0.0;
    for (int q = 0; q < DIM; q++) {
        double e = x[q] - g->mean[q];
        d += e * e * g->ivar[q];
    }
    return -0.5 * (d + g->logdet);
}

static void score(at_diar_online *o, long t)
{
    const float *x = x_of(o, t);
    o->llr[t % o->cap] =
        is_voice(o->bits[t % o->cap]) ? (float)(loglik(&o->g[0], x) - loglik(&o->g[1], x)) : 0.0f;
}

/* A speaker's model takes one more frame; past MODEL_MAX_N it forgets the
 * oldest half, so a voice that drifts (a cold, a closer microphone) is
 * followed. */
static void adapt(at_diar_online *o, int k, const float *x)
{
    stats *s = &o->st[k];
    if (s->n >= MODEL_MAX_N) {
        s->n *= 0.5;
        for (int q = 0; q < DIM; q++) {
            s->s1[q] *= 0.5;
            s->s2[q] *= 0.5;
        }
    }
    stats_add(s, x);
    fit(&o->g[k], s);
}

/* ---- bootstrap: 2-means over half-second blocks -------------------------- */

static void block_mean(const stats *b, const double *scale, double *m)
{
    for (int q = 0; q < DIM; q++)
        m[q] = b->s1[q] / b->n * scale[q];
}

static double dist2(const double *a, const double *b)
{
    double d = 0.0;
    for (int q = 0; q < DIM; q++)
        d += (a[q] - b[q]) * (a[q] - b[q]);
    return d;
}

/* Block means, each dimension scaled by its spread over the blocks. */
static void scaled_means(const at_diar_online *o, double (*m)[DIM])
{
    double s1[DIM] = {0}, s2[DIM] = {0}, scale[DIM];
    for (int i = 0; i < o->n_blocks; i++)
        for (int q = 0; q < DIM; q++) {
            double v = o->blocks[i].s1[q] / o->blocks[i].n;
            s1[q] += v;
            s2[q] += v * v;
        }
    for (int q = 0; q < DIM; q++) {
        double mu = s1[q] / o->n_blocks, var = s2[q] / o->n_blocks - mu * mu;
        scale[q] = var > 1e-9 ? 1.0 / sqrt(var) : 1.0;
    }
    for (int i = 0; i < o->n_blocks; i++)
        block_mean(&o->blocks[i], scale, m[i]);
}

/* The two starting centres: the mean of the blocks moved either way along
 * their direction of largest spread (the principal axis, by power
 * iteration), as in the splitting of Linde, Buzo & Gray 1980.  Starting
 * from single blocks would let one odd block keep a cluster to itself. */
static void split_start(double (*m)[DIM], int nb, double c[2][DIM])
{
    double mu[DIM] = {0}, cov[DIM][DIM] = {{0}}, v[DIM], w[DIM];
    for (int i = 0; i < nb; i++)
        for (int q = 0; q < DIM; q++)
            mu[q] += m[i][q] / nb;
    for (int i = 0; i < nb; i++)
        for (int q = 0; q < DIM; q++)
            for (int r = 0; r < DIM; r++)
                cov[q][r] += (m[i][q] - mu[q]) * (m[i][r] - mu[r]) / nb;
    for (int q = 0; q < DIM; q++)
        v[q] = 1.0 / sqrt((double)DIM) + 0.01 * q;
    double len = 1.0;
    for (int it = 0; it < 30; it++) {
        len = 0.0;
        for (int q = 0; q < DIM; q++) {
            w[q] = 0.0;
            for (int r = 0; r < DIM; r++)
                w[q] += cov[q][r] * v[r];
            len += w[q] * w[q];
        }
        len = sqrt(len);
        for (int q = 0; q < DIM && len > 0.0; q++)
            v[q] = w[q] / len;
    }
    double sd = sqrt(len); /* the spread along the axis */
    for (int q = 0; q < DIM; q++) {
        c[0][q] = mu[q] - 0.5 * sd * v[q];
        c[1][q] = mu[q] + 0.5 * sd * v[q];
    }
}

/* Splits the blocks into two voices; 0, or -1 when one voice explains them. */
static int bootstrap(at_diar_online *o)
{
    double (*m)[DIM] = o->means;
    unsigned char lab[MAX_BLOCKS];
    int nb = o->n_blocks;
    scaled_means(o, m);
    double c[2][DIM];
    split_start(m, nb, c);
    int n1 = 0;
    for (int it = 0; it < KMEANS_ITER; it++) {
        double sum[2][DIM] = {{0}};
        int cnt[2] = {0, 0};
        for (int i = 0; i < nb; i++) {
            lab[i] = dist2(m[i], c[1]) < dist2(m[i], c[0]);
            cnt[lab[i]]++;
            for (int q = 0; q < DIM; q++)
                sum[lab[i]][q] += m[i][q];
        }
        for (int k = 0; k < 2; k++)
            for (int q = 0; q < DIM && cnt[k]; q++)
                c[k][q] = sum[k][q] / cnt[k];
        n1 = cnt[1];
    }
    /* The first block's voice is the first speaker. */
    int first = lab[0];
    if (n1 < MIN_SHARE * nb || nb - n1 < MIN_SHARE * nb)
        return -1;
    stats all = {0};
    memset(o->st, 0, sizeof o->st);
    for (int i = 0; i < nb; i++) {
        stats_merge(&o->st[lab[i] != first], &o->blocks[i]);
        stats_merge(&all, &o->blocks[i]);
    }
    fit(&o->g[0], &o->st[0]);
    fit(&o->g[1], &o->st[1]);
    /* Two voices only if two Gaussians explain the frames better than one
     * by the Bayesian information criterion (Chen & Gopalakrishnan 1998):
     * a split of one voice lowers the likelihood too little. */
    gauss one;
    fit(&one, &all);
    double gain = 0.5 * (all.n * one.logdet - o->st[0].n * o->g[0].logdet -
                         o->st[1].n * o->g[1].logdet);
    return gain > 0.5 * 2 * DIM * log(all.n) ? 0 : -1;
}

static void end_block(at_diar_online *o)
{
    if (o->block.n >= BLOCK_MIN && o->n_blocks < MAX_BLOCKS)
        o->blocks[o->n_blocks++] = o->block;
    memset(&o->block, 0, sizeof o->block);
    o->block_gap = 0;
}

static void collect(at_diar_online *o, const float *x, int speech)
{
    if (speech) {
        stats_add(&o->block, x);
        o->block_gap = 0;
        if (o->block.n >= BLOCK)
            end_block(o);
    } else if (o->block.n > 0 && ++o->block_gap >= BLOCK_GAP) {
        end_block(o);
    }
    if (o->ready || o->n_blocks < o->boot_at)
        return;
    if (bootstrap(o) == 0) {
        o->ready = 1;
        long from = o->next - o->lag > o->n_in - o->cap ? o->next - o->lag : o->n_in - o->cap;
        for (long t = from > 0 ? from : 0; t < o->n_in; t++)
            score(o, t);
    } else {
        o->boot_at = o->n_blocks + RETRY_BLOCKS;
    }
}

/* ---- decisions into the conversation -------------------------------------- */

static void apply(at_diar_online *o, int p, const at_spurt_step *st)
{
    if (st->closed)
        at_conv_close(&o->conv, p, st->start, st->end);
    if (st->opened)
        at_conv_open(&o->conv, p, st->open_start);
    long last;
    if (at_spurts_open(&o->sp[p], NULL, &last))
        at_conv_progress(&o->conv, p, last);
}

/* The speaker of frame t: the sign of the likelihood ratio summed over the
 * speech within lag frames either side (a tie keeps the last speaker). */
static int decide(at_diar_online *o, long t)
{
    if (!o->ready)
        return 0;
    long lo = t - o->lag > 0 ? t - o->lag : 0, hi = t + o->lag < o->n_in ? t + o->lag + 1 : o->n_in;
    if (lo < o->n_in - o->cap)
        lo = o->n_in - o->cap;
    double sum = 0.0;
    for (long u = lo; u < hi; u++)
        sum += o->llr[u % o->cap];
    if (sum != 0.0)
        o->last_label = sum < 0.0;
    return o->last_label;
}

/* ---- overlap: a change of voice without a pause (overlap.h) ------------ */

/* The speaker of decided frame u, -1 for a pause, a frame not decided yet
 * or one the ring has forgotten. */
static int label_at(const at_diar_online *o, long u)
{
    if (u < 0 || u >= o->next || u <= o->next - o->lab_cap)
        return -1;
    return o->lab[u % o->lab_cap];
}

/* Whether voice k holds the n frames from u on in direction dir: u is
 * its, the others are its or pauses shorter than a bridged one. */
static int run_of(const at_diar_online *o, long u, int dir, int k, int n)
{
    if (label_at(o, u) != k)
        return 0;
    int gap = 0;
    for (int i = 1; i < n; i++) {
        int lab = label_at(o, u + dir * i);
        if (lab >= 0 && lab != k)
            return 0;
        gap = lab < 0 ? gap + 1 : 0;
        if (gap >= o->bridge)
            return 0;
    }
    return 1;
}

/* The other voice if it also speaks in frame t, as at_overlap_second()
 * offline, except that a newcomer need hold only ov_hold frames ahead of
 * the change (the conversation stage still wants interrupt_min_s of it
 * for an interruption), so the frames reach the parties ov_before +
 * ov_hold frames after their labels, not ov_before + interrupt_min_s; and
 * a voice's run may hold pauses a spurt would bridge: the online labels
 * leave more of them inside a voice's speech than the offline ones (on
 * the generated mono calls, clean16k recall 0.44 to 0.65 with them). */
static int second_voice(const at_diar_online *o, long t)
{
    int own = label_at(o, t);
    if (own < 0)
        return -1;
    for (int dir = -1; dir <= 1; dir += 2) {
        int reach = dir < 0 ? o->ov_after : o->ov_before;
        for (int k = 1; k <= reach; k++) {
            long u = t + dir * k;
            int lab = label_at(o, u);
            if (lab < 0)
                break;
            if (lab == own)
                continue;
            /* the voice before the change holds ov_run, the one after ov_hold */
            int held = dir < 0 ? run_of(o, u, -1, lab, o->ov_run) &&
                                     run_of(o, u + 1, 1, own, o->ov_hold)
                               : run_of(o, u, 1, lab, o->ov_hold) &&
                                     run_of(o, u - 1, -1, own, o->ov_run);
            return held ? lab : -1;
        }
    }
    return -1;
}

/* Decided frame t to both parties' spurts and the conversation. */
static void feed(at_diar_online *o, long t)
{
    int b = o->bits[t % o->cap];
    int k = label_at(o, t), k2 = second_voice(o, t);
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        int v = p == o->first_party ? 0 : 1;
        int mine = k == v || k2 == v;
        at_spurt_step st;
        int voiced = mine && (b & AT_DIAR_VOICED) ? 1 + !!(b & AT_DIAR_LOUD) : 0;
        at_spurts_frame(&o->sp[p], t, mine && (b & AT_DIAR_WEAK), mine && (b & AT_DIAR_STRONG),
                        voiced, &st);
        apply(o, p, &st);
    }
    at_conv_step(&o->conv);
}

static void emit_frame(at_diar_online *o, long t)
{
    int b = o->bits[t % o->cap];
    int k = is_speech(b) ? decide(o, t) : -1;
    if (k >= 0 && o->ready && is_voice(b))
        adapt(o, k, x_of(o, t));
    o->lab[t % o->lab_cap] = (signed char)k;
    o->next = t + 1;
    /* Frames the overlap cue can judge: those whose labels are known
     * ov_before + ov_hold frames ahead. */
    while (o->fed + o->ov_before + o->ov_hold < o->next)
        feed(o, o->fed++);
}

void at_diar_online_frame(at_diar_online *o, long t, const float *ceps, int bits)
{
    if (t != o->n_in)
        return;
    /* A frame about to be overwritten is decided now, ready or not. */
    while (o->next <= o->n_in - o->cap + o->lag)
        emit_frame(o, o->next);
    while (o->fed <= o->n_in - o->cap)
        feed(o, o->fed++);
    float *x = o->x + (size_t)(t % o->cap) * DIM;
    memcpy(x, ceps + 1, sizeof(float) * DIM);
    o->bits[t % o->cap] = (unsigned char)bits;
    o->n_in++;
    if (o->ready)
        score(o, t);
    collect(o, x, is_voice(bits));
    while (o->ready && o->next + o->lag < o->n_in)
        emit_frame(o, o->next);
}

void at_diar_online_metrics(const at_diar_online *o, attune_metrics *m)
{
    at_conv_metrics(&o->conv, m);
}

int at_diar_online_ready(const at_diar_online *o) { return o->ready; }
