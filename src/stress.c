/* stress: vocal stress of one party (see stress.h).  Reads top-down: frame
 * features, the window's pooling, the baseline, the model. */
#include "stress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const feature_names[ATTUNE_STRESS_N_FEATURES] = {
    "f0_median_st", "f0_sd_st",  "level_sd_db", "alpha_db",   "hammarberg_db",
    "hnr_db",       "jitter_st", "shimmer_db",  "rate_sps",   "voiced_frac",
};

const char *attune_stress_feature_name(int i)
{
    if (i < 0 || i >= ATTUNE_STRESS_N_FEATURES)
        return NULL;
    return feature_names[i];
}

/* ---- frame features ---- */

void at_stress_bands_init(at_stress_bands *sb, const at_frame_geom *g)
{
    double bin_hz = (double)g->rate / g->nfft;
    sb->alpha_split = sb->hamm_split = AT_N_BANDS;
    for (int b = AT_N_BANDS - 1; b >= 0; b--) {
        double centre_hz = 0.5 * (g->band_lo[b] + g->band_hi[b]) * bin_hz;
        if (centre_hz >= 1000.0)
            sb->alpha_split = b;
        if (centre_hz >= 2000.0)
            sb->hamm_split = b;
        int w = g->band_hi[b] - g->band_lo[b];
        sb->width[b] = (float)(w > 0 ? w : 1);
    }
}

void at_stress_spectral(const at_stress_bands *sb, const float *bands, double *alpha_db,
                        double *hammarberg_db)
{
    double lo = 1e-12, hi = 1e-12, lo_max = 1e-12, hi_max = 1e-12;
    for (int b = 0; b < AT_N_BANDS; b++) {
        double density = bands[b] / sb->width[b];
        if (b < sb->alpha_split)
            lo += bands[b];
        else
            hi += bands[b];
        if (b < sb->hamm_split)
            lo_max = fmax(lo_max, density);
        else
            hi_max = fmax(hi_max, density);
    }
    *alpha_db = 10.0 * log10(hi / lo);
    *hammarberg_db = 10.0 * log10(lo_max / hi_max);
}

double at_stress_hnr_db(const float *r, int lag_min, int lag_max)
{
    double peak = 0.01;
    for (int k = lag_min; k <= lag_max; k++)
        if (r[k] > peak)
            peak = r[k];
    if (peak > 0.999)
        peak = 0.999;
    return 10.0 * log10(peak / (1.0 - peak));
}

/* ---- pooling over a window of speech ---- */

/* Sums over speech frames: of a block, and of the window's plain blocks. */
typedef struct window_acc {
    long n_speech, n_voiced, n_diff, n_nuclei;
    double level_sum, level_sq; /* over voiced frames */
    double st_sum, st_sq;
    double alpha_sum, hamm_sum, hnr_sum;
    double jitter_sum, shimmer_sum;
} window_acc;

struct at_stress {
    int party;
    double fps;
    long window_frames, block_frames;
    float *st;                 /* voiced F0 (semitones) of the plain blocks, then the
                                  open block's, for the median */
    float *scratch;            /* a block's F0, for its median */
    window_acc acc;            /* the window's plain blocks */
    window_acc blk;            /* the open block */
    long n_total;              /* the window's speech frames, all blocks */
    int n_laughs;              /* laugh-like blocks left out of the window */
    long first_t;              /* the window's first speech frame */
    int run, max_run;          /* the open block's voiced runs, in frames */
    double prev_st[2], prev_level[2]; /* the last two voiced frames, for jitter and shimmer */
    int n_prev;                /* consecutive voiced frames held there, 0..2 */
    double calm[AT_STRESS_CALM_WINDOWS][ATTUNE_STRESS_N_FEATURES]; /* a ring of calm windows */
    int n_calm, calm_next;
    double base[ATTUNE_STRESS_N_FEATURES]; /* their per-feature median, NAN with none */
    int n_windows;
    attune_stress_model model;
    int has_model;
    double index_sum, index_last;
    long n_index;
};

at_stress *at_stress_new(double fps, int party)
{
    at_stress *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->party = party;
    s->fps = fps;
    s->window_frames = lround(AT_STRESS_WINDOW_S * fps);
    s->block_frames = lround(AT_STRESS_BLOCK_S * fps);
    s->st = malloc(sizeof(float) * (size_t)(s->window_frames + 1));
    s->scratch = malloc(sizeof(float) * (size_t)(s->block_frames + 1));
    if (!s->st || !s->scratch) {
        at_stress_free(s);
        return NULL;
    }
    s->index_last = -1.0;
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        s->base[i] = NAN;
    return s;
}

void at_stress_free(at_stress *s)
{
    if (!s)
        return;
    free(s->st);
    free(s->scratch);
    free(s);
}

int at_stress_set_model(at_stress *s, const attune_stress_model *m)
{
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        if (!(m->scale[i] > 0) || !isfinite(m->center[i]) || !isfinite(m->weight[i]))
            return -1;
    if (!isfinite(m->bias))
        return -1;
    s->model = *m;
    s->has_model = 1;
    return 0;
}

/* Jitter and shimmer proxies: at a 10 ms hop we see no single glottal
 * cycles, so we take the second difference of F0 (semitones) and level
 * (dB) over three consecutive voiced frames, which removes the slow
 * intonation and loudness contour and keeps the frame-to-frame
 * irregularity that jitter and shimmer measure. */
static void add_voiced(at_stress *s, double st, double level_db, const at_stress_frame *f)
{
    window_acc *a = &s->blk;
    s->st[s->acc.n_voiced + a->n_voiced++] = (float)st;
    a->st_sum += st;
    a->st_sq += st * st;
    a->level_sum += level_db;
    a->level_sq += level_db * level_db;
    a->alpha_sum += f->alpha_db;
    a->hamm_sum += f->hammarberg_db;
    a->hnr_sum += f->hnr_db;
    if (s->n_prev == 2) {
        a->jitter_sum += fabs(st - 2.0 * s->prev_st[1] + s->prev_st[0]);
        a->shimmer_sum += fabs(level_db - 2.0 * s->prev_level[1] + s->prev_level[0]);
        a->n_diff++;
    }
    if (s->n_prev == 2) {
        s->prev_st[0] = s->prev_st[1];
        s->prev_level[0] = s->prev_level[1];
        s->n_prev = 1;
    }
    s->prev_st[s->n_prev] = st;
    s->prev_level[s->n_prev] = level_db;
    s->n_prev++;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double sd(double sum, double sq, long n)
{
    double mean = sum / n, var = sq / n - mean * mean;
    return var > 0 ? sqrt(var) : 0.0;
}

/* The window's features; NAN where it has too little voice. */
static void pool(at_stress *s, double *x)
{
    window_acc *a = &s->acc;
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        x[i] = NAN;
    if (a->n_speech == 0)
        return;
    double speech_s = a->n_speech / s->fps;
    x[8] = a->n_nuclei / speech_s;
    x[9] = (double)a->n_voiced / a->n_speech;
    if (a->n_voiced < AT_STRESS_MIN_VOICED)
        return;
    long n = a->n_voiced;
    qsort(s->st, (size_t)n, sizeof(float), cmp_float);
    x[0] = n % 2 ? s->st[n / 2] : 0.5 * (s->st[n / 2 - 1] + s->st[n / 2]);
    x[1] = sd(a->st_sum, a->st_sq, n);
    /* Loudness dynamics over voiced frames only: the quiet edges of speech
     * come and go with the line's gain against the noise floor. */
    x[2] = sd(a->level_sum, a->level_sq, n);
    x[3] = a->alpha_sum / n;
    x[4] = a->hamm_sum / n;
    x[5] = a->hnr_sum / n;
    if (a->n_diff > 0) {
        x[6] = a->jitter_sum / a->n_diff;
        x[7] = a->shimmer_sum / a->n_diff;
    }
}

/* ---- baseline and model ---- */

/* The per-feature median of the calm windows in the ring. */
static void update_baseline(at_stress *s)
{
    double v[AT_STRESS_CALM_WINDOWS];
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++) {
        int n = 0;
        for (int k = 0; k < s->n_calm; k++)
            if (isfinite(s->calm[k][i]))
                v[n++] = s->calm[k][i];
        qsort(v, (size_t)n, sizeof v[0], cmp_double);
        s->base[i] = n == 0 ? NAN : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}

static void add_calm(at_stress *s, const double *x)
{
    memcpy(s->calm[s->calm_next], x, sizeof s->calm[0]);
    s->calm_next = (s->calm_next + 1) % AT_STRESS_CALM_WINDOWS;
    if (s->n_calm < AT_STRESS_CALM_WINDOWS)
        s->n_calm++;
    update_baseline(s);
}

/* Features relative to the party's running baseline: the median of its
 * last calm windows.  The first windows make it (each one included in its
 * own baseline); a later one joins once scored calm (close_window). */
static void relative(at_stress *s, const double *x, double *rel)
{
    if (s->n_windows < AT_STRESS_BASELINE_WINDOWS)
        add_calm(s, x);
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        rel[i] = isfinite(x[i]) && isfinite(s->base[i]) ? x[i] - s->base[i] : 0.0;
}

/* The features, in the order of feature_names. */
enum { F0_MEDIAN, F0_SD, LEVEL_SD, ALPHA, HAMMARBERG, HNR, JITTER, SHIMMER, RATE, VOICED };

/* The voice-quality gates of stress.h on a window's relative features:
 * returns 1 for a window in falsetto (no index point); a drop of voicing
 * without effort is limited in place. */
static int gate(double *rel)
{
    if (rel[F0_MEDIAN] > AT_STRESS_FALSETTO_F0_ST && rel[HAMMARBERG] > AT_STRESS_FALSETTO_HAMM_DB)
        return 1;
    if (rel[F0_MEDIAN] < AT_STRESS_LAUGH_F0_ST && rel[ALPHA] <= AT_STRESS_LAUGH_ALPHA_DB &&
        rel[VOICED] < AT_STRESS_LAUGH_VOICED)
        rel[VOICED] = AT_STRESS_LAUGH_VOICED;
    return 0;
}

/* ---- blocks of a window: plain speech, or another voice ---- */

static double median_float(float *v, long n)
{
    qsort(v, (size_t)n, sizeof(float), cmp_float);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The open block against the baseline (stress.h). */
enum { PLAIN, FALSETTO_LIKE, LAUGH_LIKE };
static int block_voice(at_stress *s)
{
    const window_acc *b = &s->blk;
    double voiced_rel = (double)b->n_voiced / b->n_speech - s->base[VOICED];
    int laugh_voicing = voiced_rel < AT_STRESS_BLOCK_LAUGH_VOICED;
    if (b->n_voiced < AT_STRESS_BLOCK_MIN_VOICED)
        return laugh_voicing ? LAUGH_LIKE : PLAIN;
    memcpy(s->scratch, s->st + s->acc.n_voiced, sizeof(float) * (size_t)b->n_voiced);
    double f0_rel = median_float(s->scratch, b->n_voiced) - s->base[F0_MEDIAN];
    double alpha_rel = b->alpha_sum / b->n_voiced - s->base[ALPHA];
    double hamm_rel = b->hamm_sum / b->n_voiced - s->base[HAMMARBERG];
    if (f0_rel > AT_STRESS_FALSETTO_F0_ST &&
        (hamm_rel > AT_STRESS_FALSETTO_HAMM_DB ||
         hamm_rel - alpha_rel > AT_STRESS_BLOCK_FALSETTO_TILT_DB))
        return FALSETTO_LIKE;
    if (laugh_voicing && s->max_run < lround(AT_STRESS_BLOCK_RUN_S * s->fps) &&
        alpha_rel <= AT_STRESS_BLOCK_LAUGH_ALPHA_DB)
        return LAUGH_LIKE;
    return PLAIN;
}

/* Closes the open block: its sums join the window's unless the baseline
 * is set and the block sounds like another voice.  Its F0 values already
 * follow the window's in s->st; a block left out is overwritten. */
static void end_block(at_stress *s)
{
    window_acc *a = &s->acc, *b = &s->blk;
    int judged = s->n_windows >= AT_STRESS_BASELINE_WINDOWS && isfinite(s->base[VOICED]);
    int voice = b->n_speech > 0 && judged ? block_voice(s) : PLAIN;
    s->n_laughs += voice == LAUGH_LIKE;
    if (b->n_speech > 0 && voice == PLAIN) {
        a->n_speech += b->n_speech;
        a->n_voiced += b->n_voiced;
        a->n_diff += b->n_diff;
        a->n_nuclei += b->n_nuclei;
        a->level_sum += b->level_sum;
        a->level_sq += b->level_sq;
        a->st_sum += b->st_sum;
        a->st_sq += b->st_sq;
        a->alpha_sum += b->alpha_sum;
        a->hamm_sum += b->hamm_sum;
        a->hnr_sum += b->hnr_sum;
        a->jitter_sum += b->jitter_sum;
        a->shimmer_sum += b->shimmer_sum;
    }
    memset(b, 0, sizeof *b);
    s->run = s->max_run = 0;
}

/* A logistic model: 100 / (1 + exp(-(bias + sum w (rel - center) / scale))). */
static double model_index(const attune_stress_model *m, const double *rel)
{
    double z = m->bias;
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        z += m->weight[i] * (rel[i] - m->center[i]) / m->scale[i];
    return 100.0 / (1.0 + exp(-z));
}

static void close_window(at_stress *s, long t, attune_stress_window *w)
{
    memset(w, 0, sizeof *w);
    w->party = s->party;
    end_block(s);
    w->start_s = (double)s->first_t / s->fps;
    w->t_s = (double)t / s->fps;
    w->speech_s = s->n_total / s->fps;
    pool(s, w->raw);
    relative(s, w->raw, w->rel);
    int learning = s->n_windows < AT_STRESS_BASELINE_WINDOWS;
    int too_little = s->acc.n_speech < AT_STRESS_PLAIN_MIN_FRAC * s->n_total;
    /* Beside a laugh the voicing of plain speech falls too (breath, a
     * laugh's edges): without effort (gate()) it is not read as stress. */
    if (!learning && s->n_laughs > 0 && w->rel[F0_MEDIAN] < AT_STRESS_LAUGH_F0_ST &&
        w->rel[ALPHA] <= AT_STRESS_LAUGH_ALPHA_DB)
        w->rel[VOICED] = fmax(w->rel[VOICED], 0.0);
    int other_voice = !learning && (too_little || gate(w->rel));
    s->n_windows++;
    w->stress = -1.0;
    if (s->has_model && !other_voice) {
        w->stress = model_index(&s->model, w->rel);
        s->index_sum += w->stress;
        s->index_last = w->stress;
        s->n_index++;
    }
    /* A later window joins the baseline when it sounds calm: scored below
     * AT_STRESS_CALM_MAX (any, without a model) and not gated. */
    if (!learning && !other_voice && w->stress < AT_STRESS_CALM_MAX)
        add_calm(s, w->raw);
    memset(&s->acc, 0, sizeof s->acc);
    s->n_total = 0;
    s->n_laughs = 0;
}

int at_stress_frame_push(at_stress *s, long t, const at_stress_frame *f,
                         attune_stress_window *w)
{
    if (!f->speech) {
        s->n_prev = 0;
        s->run = 0;
        return 0;
    }
    if (s->n_total++ == 0)
        s->first_t = t;
    s->blk.n_speech++;
    if (f->f0_hz > 0) {
        add_voiced(s, 12.0 * log2(f->f0_hz / 100.0), f->level_db, f);
        if (++s->run > s->max_run)
            s->max_run = s->run;
    } else {
        s->n_prev = 0;
        s->run = 0;
    }
    if (s->n_total < s->window_frames) {
        if (s->blk.n_speech >= s->block_frames)
            end_block(s);
        return 0;
    }
    close_window(s, t + 1, w);
    return 1;
}

void at_stress_nucleus(at_stress *s)
{
    s->blk.n_nuclei++;
}

int at_stress_finish(at_stress *s, long t, attune_stress_window *w)
{
    if (s->n_total < lround(AT_STRESS_LAST_MIN_S * s->fps))
        return 0;
    close_window(s, t, w);
    return 1;
}

double at_stress_mean(const at_stress *s)
{
    return s->n_index ? s->index_sum / s->n_index : -1.0;
}

double at_stress_last(const at_stress *s)
{
    return s->index_last;
}
