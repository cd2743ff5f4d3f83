/* mono: two parties from one channel (see mono.h). */
#include "mono.h"

#include "overlap.h"
#include "prosody.h"
#include "spurts.h"
#include "stress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ST_BINS 1000           /* pitch histogram: 1/20 semitone from 50 Hz */
#define ST_LO_HZ 50.0
#define ST_STEP 0.05
#define MIN_VOICED 10          /* as prosody: pitch needs 10 voiced frames */
#define SF_N 4                 /* stored stress frame features: level, HNR, alpha, Hammarberg */
#define SF_SCALE 100.0         /* stored in 1/100 dB */
#define SF_NONE INT16_MIN      /* not computed */

typedef struct party_prosody {
    int st_hist[ST_BINS];
    long n_voiced, n_syl, talk, base_talk, base_syl;
} party_prosody;

struct at_mono {
    at_cepstra *cep;
    at_diar *diar;
    at_voiceprint agent;
    int have_agent;
    int first_party;
    double spw, fps;
    party_prosody pp[ATTUNE_N_PARTIES];
    long max_frames;
    int16_t (*sf)[SF_N];       /* the channel's stress frame features, or NULL */
    at_stress *stress[ATTUNE_N_PARTIES]; /* per party whose stress is asked for */
    attune_event_fn emit;
    void *emit_user;
    at_diar_online *live;
    int overlap_before, overlap_after, overlap_run; /* overlap.c's spans, in frames */
    at_overlap_voices voices;  /* overlap.c's pitch cue */
};

at_mono *at_mono_new(const at_frame_geom *g, long max_frames, int first_party)
{
    at_mono *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cep = at_cepstra_new(g);
    m->diar = at_diar_new(max_frames);
    m->spw = AT_SYLLABLES_PER_WORD;
    m->first_party = first_party;
    m->fps = (double)g->rate / g->hop;
    m->max_frames = max_frames;
    if (!m->cep || !m->diar) {
        at_mono_free(m);
        return NULL;
    }
    return m;
}

void at_mono_free(at_mono *m)
{
    if (!m)
        return;
    at_cepstra_free(m->cep);
    at_diar_free(m->diar);
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        at_stress_free(m->stress[p]);
    free(m->sf);
    free(m);
}

int at_mono_frame(at_mono *m, long t, at_frame *f, const at_vad_out *out)
{
    float c[AT_N_CEPS];
    at_cepstra_compute(m->cep, at_frame_power(f), c);
    int bits = (out->weak ? AT_DIAR_WEAK : 0) | (out->strong ? AT_DIAR_STRONG : 0) |
               (out->voiced ? AT_DIAR_VOICED : 0) | (out->loud ? AT_DIAR_LOUD : 0);
    if (m->live)
        at_diar_online_frame(m->live, t, c, bits);
    return at_diar_frame(m->diar, t, c, bits);
}

static int16_t sf_store(double db)
{
    if (isnan(db))
        return SF_NONE;
    double v = fmax(-300.0, fmin(300.0, db)) * SF_SCALE;
    return (int16_t)lround(v);
}

static double sf_load(int16_t v) { return v == SF_NONE ? NAN : v / SF_SCALE; }

void at_mono_observe(at_mono *m, const attune_frame_info *fi)
{
    long t = lround(fi->t * m->fps);
    at_diar_pitch(m->diar, t, fi->f0_hz, fi->nucleus);
    if (m->sf && t >= 0 && t < m->max_frames) {
        int16_t *v = m->sf[t];
        v[0] = sf_store(fi->level_db);
        v[1] = sf_store(fi->hnr_db);
        v[2] = sf_store(fi->alpha_db);
        v[3] = sf_store(fi->hammarberg_db);
    }
}

int at_mono_set_stress(at_mono *m, int who, const attune_stress_model *model,
                       attune_event_fn emit, void *user)
{
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        at_stress_free(m->stress[p]);
        m->stress[p] = NULL;
    }
    m->emit = emit;
    m->emit_user = user;
    if (who == ATTUNE_STRESS_NONE)
        return 0;
    if (!m->sf) {
        m->sf = malloc(sizeof *m->sf * (size_t)m->max_frames);
        if (!m->sf)
            return -1;
        for (long t = 0; t < m->max_frames; t++)
            for (int k = 0; k < SF_N; k++)
                m->sf[t][k] = SF_NONE;
    }
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        if (who != ATTUNE_STRESS_ALL && p != ATTUNE_CUSTOMER)
            continue;
        m->stress[p] = at_stress_new(m->fps, p);
        if (!m->stress[p] || (model && at_stress_set_model(m->stress[p], model) != 0))
            return -1;
    }
    return 0;
}

void at_mono_spurt(at_mono *m, long s, long e) { at_diar_spurt(m->diar, s, e); }

void at_mono_set_agent_voice(at_mono *m, const at_voiceprint *vp)
{
    m->agent = *vp;
    m->have_agent = 1;
}

void at_mono_set_live(at_mono *m, at_diar_online *o) { m->live = o; }

void at_mono_set_syllables_per_word(at_mono *m, double spw) { m->spw = spw; }

void at_mono_voiceprint(const at_mono *m, at_voiceprint *vp)
{
    at_diar_voiceprint(m->diar, vp);
}

/* Party p's view of frame t: the channel's decision where the frame is p's
 * (or p's too, in an overlap). */
static void party_frame(const at_mono *m, long t, int p, int *weak, int *strong, int *voiced)
{
    const at_diar *d = m->diar;
    int b = at_diar_bits(d, t);
    int mine = at_diar_label(d, t) == p ||
               at_overlap_second(d, t, m->overlap_before, m->overlap_after, m->overlap_run) == p ||
               at_overlap_pitch(d, &m->voices, t) == p;
    *weak = mine && (b & AT_DIAR_WEAK);
    *strong = mine && (b & AT_DIAR_STRONG);
    *voiced = mine && (b & AT_DIAR_VOICED) ? 1 + !!(b & AT_DIAR_LOUD) : 0;
}

static void apply(at_conv *c, int p, const at_spurt_step *st, const at_spurts *sp)
{
    if (st->closed)
        at_conv_close(c, p, st->start, st->end);
    if (st->opened)
        at_conv_open(c, p, st->open_start);
    long last;
    if (at_spurts_open(sp, NULL, &last))
        at_conv_progress(c, p, last);
}

/* Counts party p's pitch and nuclei on frame t, which lies in its spurt. */
static void count_prosody(at_mono *m, long t, int p)
{
    party_prosody *pp = &m->pp[p];
    double f0 = at_diar_f0(m->diar, t);
    int nucleus = at_diar_bits(m->diar, t) & AT_DIAR_NUCLEUS;
    pp->talk++;
    pp->n_syl += nucleus != 0;
    if (pp->talk <= lround(AT_PACE_BASELINE_S * m->fps)) {
        pp->base_talk++;
        pp->base_syl += nucleus != 0;
    }
    if (f0 <= 0.0)
        return;
    long bin = lround(12.0 * log2(f0 / ST_LO_HZ) / ST_STEP);
    if (bin >= 0 && bin < ST_BINS) {
        pp->st_hist[bin]++;
        pp->n_voiced++;
    }
}

static void stress_emit(at_mono *m, const attune_stress_window *w)
{
    if (w->stress < 0 || !m->emit)
        return;
    attune_event ev = {ATTUNE_EV_STRESS, w->party, w->start_s, w->t_s, w->stress};
    m->emit(&ev, m->emit_user);
}

/* Party p's stress frame t: the channel's frame where it is p's speech, a
 * pause of p's otherwise, so p's windows pool only p's voice. */
static void stress_frame(at_mono *m, long t, int p)
{
    at_stress *s = m->stress[p];
    if (!s)
        return;
    int b = at_diar_bits(m->diar, t), mine = at_diar_label(m->diar, t) == p;
    if (mine && (b & AT_DIAR_NUCLEUS))
        at_stress_nucleus(s);
    const int16_t *v = m->sf[t];
    at_stress_frame f = {mine && (b & AT_DIAR_WEAK), sf_load(v[0]),
                         mine ? at_diar_f0(m->diar, t) : 0.0, sf_load(v[1]), sf_load(v[2]),
                         sf_load(v[3])};
    attune_stress_window w;
    if (at_stress_frame_push(s, t, &f, &w))
        stress_emit(m, &w);
}

int at_mono_finish(at_mono *m, at_conv *c, const attune_config *cfg, double fps)
{
    int rc = at_diar_run(m->diar, m->have_agent ? &m->agent : NULL, m->first_party);
    m->overlap_before = (int)lround(cfg->mono_overlap_s * fps);
    m->overlap_after = (int)lround(cfg->mono_overlap_after_s * fps);
    m->overlap_run = (int)lround(cfg->interrupt_min_s * fps);
    at_overlap_voices_find(m->diar, cfg->mono_pitch_sep_st, &m->voices);
    at_spurts sp[ATTUNE_N_PARTIES];
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        at_spurts_init(&sp[p], cfg, fps);
    long n = at_diar_n_frames(m->diar);
    for (long t = 0; t < n; t++) {
        for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
            int w, s, v;
            at_spurt_step st;
            party_frame(m, t, p, &w, &s, &v);
            at_spurts_frame(&sp[p], t, w, s, v, &st);
            apply(c, p, &st, &sp[p]);
            if (at_diar_label(m->diar, t) == p && at_spurts_open(&sp[p], NULL, NULL))
                count_prosody(m, t, p);
            stress_frame(m, t, p);
        }
        at_conv_step(c);
    }
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        at_spurt_step st;
        at_spurts_finish(&sp[p], &st);
        apply(c, p, &st, &sp[p]);
        attune_stress_window w;
        if (m->stress[p] && at_stress_finish(m->stress[p], n, &w))
            stress_emit(m, &w);
    }
    at_conv_finish(c);
    return rc;
}

static double hist_quantile(const party_prosody *pp, double q)
{
    long want = lround(q * (pp->n_voiced - 1)), seen = 0;
    for (int b = 0; b < ST_BINS; b++) {
        seen += pp->st_hist[b];
        if (seen > want)
            return b * ST_STEP;
    }
    return (ST_BINS - 1) * ST_STEP;
}

void at_mono_metrics(const at_mono *m, attune_metrics *out)
{
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        const party_prosody *pp = &m->pp[p];
        attune_party_metrics *pm = &out->party[p];
        pm->pitch_hz_median = pm->pitch_range_st = -1.0;
        pm->syllables_per_s = pm->wpm = pm->pace_baseline_wpm = -1.0;
        pm->n_syllables = pp->n_syl;
        pm->stress_mean = m->stress[p] ? at_stress_mean(m->stress[p]) : -1.0;
        pm->stress_last = m->stress[p] ? at_stress_last(m->stress[p]) : -1.0;
        if (pp->n_voiced >= MIN_VOICED) {
            pm->pitch_hz_median = ST_LO_HZ * pow(2.0, hist_quantile(pp, 0.5) / 12.0);
            pm->pitch_range_st = hist_quantile(pp, 0.95) - hist_quantile(pp, 0.05);
        }
        if (pp->talk > 0) {
            pm->syllables_per_s = pp->n_syl * m->fps / pp->talk;
            pm->wpm = 60.0 * pm->syllables_per_s / m->spw;
        }
        if (pp->base_talk > 0)
            pm->pace_baseline_wpm = 60.0 * pp->base_syl * m->fps / pp->base_talk / m->spw;
    }
}
