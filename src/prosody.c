/* prosody: pitch and speech rate per party in the pipeline (see prosody.h). */
#include "prosody.h"

#include "pitch.h"
#include "stress.h"
#include "syllables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OBS_RING (AT_PROSODY_OBS_DELAY + 1)
#define LVL_RING (AT_PITCH_DELAY + 1)
#define PENDING 64           /* nuclei not yet inside a known spurt */
#define PENDING_MAX_AGE_S 3.0 /* a spurt is confirmed well within this */
#define RECENT 4             /* closed spurts a late nucleus may still fall in */
#define PACE_SNAPS 7         /* 30 s / 5 s + 1 */

typedef struct party_prosody {
    at_pitch *pitch;
    at_syl syl;
    float level[LVL_RING];   /* level and speech-likeness of the frames the */
    unsigned char weak[LVL_RING]; /* pitch tracker has not decided yet */
    long pending[PENDING];
    int n_pending;
    long recent_s[RECENT], recent_e[RECENT];
    int recent_head;
    int open;
    long open_start, open_last;
    long talk_closed;        /* frames inside closed spurts */
    long n_syl;              /* nuclei inside spurts */
    long snap_talk[PACE_SNAPS], snap_syl[PACE_SNAPS];
    int n_snaps;
    long next_point;         /* talk frames at which the next pace point is due */
    long last_point;         /* talk frames at the last point */
    double baseline_sps;     /* negative until known */
    at_stress *stress;       /* vocal stress, or NULL when off for this party */
    float spl[LVL_RING];     /* speech-band level and stress frame features of */
    float hnr[LVL_RING], alpha[LVL_RING], hamm[LVL_RING]; /* the undecided frames */
} party_prosody;

struct at_prosody {
    int n_parties;
    double fps;
    double spw;
    float *r;                /* one autocorrelation, lag_max + 2 */
    party_prosody pp[ATTUNE_N_PARTIES];
    long n_frames;
    attune_event_fn emit;
    void *user;
    attune_frame_fn on_frame;
    void *frame_user;
    attune_frame_info obs[OBS_RING][ATTUNE_N_PARTIES];
    long n_obs;              /* frames queued for the observer */
    long n_obs_out;          /* frames passed on */
    at_stress_bands sb;
    int lag_min, lag_max;
    attune_stress_fn on_stress;
    void *stress_user;
    attune_stress_model model; /* for parties whose stress is turned on later */
    int has_model;
};

void at_prosody_free(at_prosody *pr)
{
    if (!pr)
        return;
    for (int i = 0; i < ATTUNE_N_PARTIES; i++) {
        at_pitch_free(pr->pp[i].pitch);
        at_stress_free(pr->pp[i].stress);
    }
    free(pr->r);
    free(pr);
}

at_prosody *at_prosody_new(const at_frame_geom *g, int n_parties, attune_event_fn emit,
                           void *user)
{
    at_prosody *pr = calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    pr->n_parties = n_parties;
    pr->fps = (double)g->rate / g->hop;
    pr->spw = AT_SYLLABLES_PER_WORD;
    pr->emit = emit;
    pr->user = user;
    pr->r = malloc(sizeof(float) * (g->lag_max + 2));
    if (!pr->r)
        goto fail;
    at_stress_bands_init(&pr->sb, g);
    pr->lag_min = g->lag_min;
    pr->lag_max = g->lag_max;
    for (int i = 0; i < n_parties; i++) {
        party_prosody *pp = &pr->pp[i];
        pp->pitch = at_pitch_new(g);
        if (!pp->pitch)
            goto fail;
        at_syl_init(&pp->syl, pr->fps);
        /* The customer's (a mono stream's only party's) stress by default. */
        if (i == n_parties - 1) {
            pp->stress = at_stress_new(pr->fps, i);
            if (!pp->stress)
                goto fail;
        }
        for (int k = 0; k < RECENT; k++)
            pp->recent_s[k] = pp->recent_e[k] = -1;
        pp->n_snaps = 1; /* (0 talk, 0 nuclei) */
        pp->next_point = lround(AT_PACE_STEP_S * pr->fps);
        pp->baseline_sps = -1.0;
    }
    return pr;
fail:
    at_prosody_free(pr);
    return NULL;
}

int at_prosody_set_syllables_per_word(at_prosody *pr, double spw)
{
    if (!(spw >= 0.5 && spw <= 5.0))
        return -1;
    pr->spw = spw;
    return 0;
}

int at_prosody_set_stress(at_prosody *pr, int who)
{
    if (who != ATTUNE_STRESS_NONE && who != ATTUNE_STRESS_CUSTOMER && who != ATTUNE_STRESS_ALL)
        return -1;
    for (int i = 0; i < pr->n_parties; i++) {
        party_prosody *pp = &pr->pp[i];
        int on = who == ATTUNE_STRESS_ALL || (who == ATTUNE_STRESS_CUSTOMER && i == pr->n_parties - 1);
        if (!on) {
            at_stress_free(pp->stress);
            pp->stress = NULL;
        } else if (!pp->stress) {
            pp->stress = at_stress_new(pr->fps, i);
            if (!pp->stress)
                return -2;
            if (pr->has_model)
                at_stress_set_model(pp->stress, &pr->model);
        }
    }
    return 0;
}

int at_prosody_set_stress_model(at_prosody *pr, const attune_stress_model *m)
{
    for (int i = 0; i < pr->n_parties; i++)
        if (pr->pp[i].stress && at_stress_set_model(pr->pp[i].stress, m) != 0)
            return -1;
    pr->model = *m;
    pr->has_model = 1;
    return 0;
}

void at_prosody_set_stress_observer(at_prosody *pr, attune_stress_fn fn, void *user)
{
    pr->on_stress = fn;
    pr->stress_user = user;
}

void at_prosody_set_observer(at_prosody *pr, attune_frame_fn fn, void *user)
{
    pr->on_frame = fn;
    pr->frame_user = user;
}

void at_prosody_observe(at_prosody *pr, const attune_frame_info *fi)
{
    long t = lround(fi->t * pr->fps);
    attune_frame_info *slot = &pr->obs[t % OBS_RING][fi->party];
    *slot = *fi;
    slot->f0_hz = 0.0;
    slot->nucleus = 0;
    slot->hnr_db = slot->alpha_db = slot->hammarberg_db = NAN;
    if (t + 1 > pr->n_obs)
        pr->n_obs = t + 1;
}

/* Passes on every queued frame older than `upto` (exclusive). */
static void release_observed(at_prosody *pr, long upto)
{
    if (!pr->on_frame)
        return;
    if (upto > pr->n_obs)
        upto = pr->n_obs;
    for (; pr->n_obs_out < upto; pr->n_obs_out++)
        for (int i = 0; i < pr->n_parties; i++)
            pr->on_frame(&pr->obs[pr->n_obs_out % OBS_RING][i], pr->frame_user);
}

static attune_frame_info *observed(at_prosody *pr, long t, int party)
{
    if (!pr->on_frame || t < pr->n_obs_out || t >= pr->n_obs)
        return NULL;
    return &pr->obs[t % OBS_RING][party];
}

/* Whether frame n lies in the party's talk: a closed spurt, or the open one
 * up to its last speech frame so far (a nucleus after that, in a pause the
 * spurt may yet bridge, waits with the pending ones). */
static int in_spurt(const party_prosody *pp, long n)
{
    if (pp->open && n >= pp->open_start && n <= pp->open_last)
        return 1;
    for (int k = 0; k < RECENT; k++)
        if (n >= pp->recent_s[k] && n < pp->recent_e[k])
            return 1;
    return 0;
}

static void add_nucleus(at_prosody *pr, int party, long n)
{
    party_prosody *pp = &pr->pp[party];
    attune_frame_info *fi = observed(pr, n, party);
    if (fi)
        fi->nucleus = 1;
    if (pp->stress)
        at_stress_nucleus(pp->stress);
    if (in_spurt(pp, n)) {
        pp->n_syl++;
        return;
    }
    /* The spurt around it may be confirmed later: keep it a while. */
    if (pp->n_pending == PENDING) {
        memmove(pp->pending, pp->pending + 1, sizeof(long) * (PENDING - 1));
        pp->n_pending--;
    }
    pp->pending[pp->n_pending++] = n;
}

static void stress_window(at_prosody *pr, const attune_stress_window *w)
{
    if (pr->on_stress)
        pr->on_stress(w, pr->stress_user);
    if (w->stress < 0 || !pr->emit)
        return;
    attune_event ev = {ATTUNE_EV_STRESS, w->party, w->start_s, w->t_s, w->stress};
    pr->emit(&ev, pr->user);
}

/* A pitch decision for frame u: on to the syllable detector.  A nucleus
 * needs voicing, but hoarse or creaky vowels often lose the tracker's
 * voicing vote while still periodic: a frame with any voiced candidate
 * counts, as AT_SYL_PERIODIC, which asks a peak for more level than an F0
 * does (on read/ the count's median error fell from 14 to 8 % when these
 * were admitted; 24 of the 28 nuclei missed in mfa_cold_corpus3 were such
 * vowels). */
static void decided(at_prosody *pr, int party, const at_pitch_out *po)
{
    party_prosody *pp = &pr->pp[party];
    attune_frame_info *fi = observed(pr, po->t, party);
    if (fi)
        fi->f0_hz = po->f0_hz;
    int k = (int)(po->t % LVL_RING);
    long nuc[AT_SYL_MAX_OUT];
    int voicing = po->f0_hz > 0 ? AT_SYL_PITCHED : po->periodic ? AT_SYL_PERIODIC : AT_SYL_UNVOICED;
    int n = at_syl_frame(&pp->syl, po->t, pp->level[k], pp->weak[k], voicing, nuc);
    for (int j = 0; j < n; j++)
        add_nucleus(pr, party, nuc[j]);
    if (!pp->stress)
        return;
    at_stress_frame sf = {pp->weak[k], pp->spl[k], po->f0_hz, pp->hnr[k], pp->alpha[k], pp->hamm[k]};
    attune_stress_window w;
    if (at_stress_frame_push(pp->stress, po->t, &sf, &w))
        stress_window(pr, &w);
}

/* The frame features of stress, kept until the frame's pitch is decided. */
static void stress_features(at_prosody *pr, int party, long t, at_frame *f, const float *r,
                            double level_db)
{
    party_prosody *pp = &pr->pp[party];
    int k = (int)(t % LVL_RING);
    double alpha, hamm, hnr = r ? at_stress_hnr_db(r, pr->lag_min, pr->lag_max) : NAN;
    at_stress_spectral(&pr->sb, at_frame_bands(f), &alpha, &hamm);
    pp->spl[k] = (float)level_db;
    pp->hnr[k] = (float)hnr;
    pp->alpha[k] = (float)alpha;
    pp->hamm[k] = (float)hamm;
    attune_frame_info *fi = observed(pr, t, party);
    if (fi && r) {
        fi->hnr_db = hnr;
        fi->alpha_db = alpha;
        fi->hammarberg_db = hamm;
    }
}

void at_prosody_frame(at_prosody *pr, long t, at_frame *const *frames, const at_vad_out *out)
{
    for (int i = 0; i < pr->n_parties; i++) {
        party_prosody *pp = &pr->pp[i];
        /* The low bands, 150 to about 1250 Hz, where vowels (their F0
         * harmonics and first formant) are loud and most consonants are
         * not: the dips between syllables are deeper there than in the
         * whole speech band (on read/, the count's median error dropped
         * from 15 to 7 %). */
        pp->level[t % LVL_RING] = (float)at_syl_level_db(at_frame_bands(frames[i]));
        pp->weak[t % LVL_RING] = (unsigned char)out[i].weak;
        /* Only frames the VAD calls speech-like may be the party's voice;
         * the others cost no autocorrelation. */
        const float *r = out[i].weak && at_frame_pitch_acf(frames[i], pr->r) == 0 ? pr->r : NULL;
        if (pp->stress)
            stress_features(pr, i, t, frames[i], r, out[i].level_db);
        at_pitch_out po;
        if (at_pitch_push(pp->pitch, r, out[i].level_db, &po))
            decided(pr, i, &po);
    }
    pr->n_frames = t + 1;
    release_observed(pr, t + 1 - AT_PROSODY_OBS_DELAY);
}

static long talk_frames(const party_prosody *pp)
{
    return pp->talk_closed + (pp->open ? pp->open_last - pp->open_start + 1 : 0);
}

static void count_pending(at_prosody *pr, party_prosody *pp, long now)
{
    long too_old = now - lround(PENDING_MAX_AGE_S * pr->fps);
    int kept = 0;
    for (int k = 0; k < pp->n_pending; k++) {
        long n = pp->pending[k];
        if (in_spurt(pp, n))
            pp->n_syl++;
        else if (now < 0 || n >= too_old)
            pp->pending[kept++] = n;
    }
    pp->n_pending = kept;
}

static void pace_point(at_prosody *pr, int party, long t, long talk)
{
    party_prosody *pp = &pr->pp[party];
    int cur = pp->n_snaps % PACE_SNAPS;
    int n_back = pp->n_snaps < PACE_SNAPS ? pp->n_snaps : PACE_SNAPS - 1;
    int old = (pp->n_snaps - n_back) % PACE_SNAPS;
    pp->snap_talk[cur] = talk;
    pp->snap_syl[cur] = pp->n_syl;
    pp->n_snaps++;
    pp->last_point = talk;
    long dt = talk - pp->snap_talk[old];
    if (dt <= 0 || !pr->emit)
        return;
    double sps = (pp->n_syl - pp->snap_syl[old]) * pr->fps / dt;
    attune_event ev = {ATTUNE_EV_PACE, party, (double)t / pr->fps, (double)t / pr->fps,
                       60.0 * sps / pr->spw};
    pr->emit(&ev, pr->user);
}

void at_prosody_spurts(at_prosody *pr, int party, long t, const at_spurt_step *st,
                       const at_spurts *sp)
{
    party_prosody *pp = &pr->pp[party];
    if (st->closed) {
        pp->recent_s[pp->recent_head] = st->start;
        pp->recent_e[pp->recent_head] = st->end;
        pp->recent_head = (pp->recent_head + 1) % RECENT;
        pp->talk_closed += st->end - st->start;
    }
    pp->open = at_spurts_open(sp, &pp->open_start, &pp->open_last);
    if (st->closed || st->opened || (pp->n_pending && t % 10 == 0))
        count_pending(pr, pp, t);
    long talk = talk_frames(pp);
    long base = lround(AT_PACE_BASELINE_S * pr->fps);
    if (pp->baseline_sps < 0 && talk >= base)
        pp->baseline_sps = pp->n_syl * pr->fps / talk;
    if (t >= 0 && talk >= pp->next_point) {
        pace_point(pr, party, t + 1, talk);
        pp->next_point += lround(AT_PACE_STEP_S * pr->fps);
    }
}

void at_prosody_flush(at_prosody *pr)
{
    at_pitch_out po[AT_PITCH_DELAY];
    for (int i = 0; i < pr->n_parties; i++) {
        int n = at_pitch_flush(pr->pp[i].pitch, po);
        for (int k = 0; k < n; k++)
            decided(pr, i, &po[k]);
        long nuc[AT_SYL_MAX_OUT];
        n = at_syl_finish(&pr->pp[i].syl, nuc);
        for (int k = 0; k < n; k++)
            add_nucleus(pr, i, nuc[k]);
    }
}

void at_prosody_finish(at_prosody *pr)
{
    for (int i = 0; i < pr->n_parties; i++) {
        party_prosody *pp = &pr->pp[i];
        count_pending(pr, pp, -1);
        long talk = talk_frames(pp);
        /* A last point for the speech since the previous one, if it is
         * more than a second. */
        if (talk - pp->last_point >= lround(pr->fps))
            pace_point(pr, i, pr->n_frames, talk);
        if (pp->baseline_sps < 0 && talk > 0)
            pp->baseline_sps = pp->n_syl * pr->fps / talk;
        attune_stress_window w;
        if (pp->stress && at_stress_finish(pp->stress, pr->n_frames, &w))
            stress_window(pr, &w);
    }
    release_observed(pr, pr->n_obs);
}

void at_prosody_metrics(const at_prosody *pr, attune_metrics *m)
{
    for (int i = 0; i < ATTUNE_N_PARTIES; i++) {
        attune_party_metrics *pm = &m->party[i];
        pm->pitch_hz_median = pm->pitch_range_st = -1.0;
        pm->syllables_per_s = pm->wpm = pm->pace_baseline_wpm = -1.0;
        pm->n_syllables = 0;
        pm->stress_mean = pm->stress_last = -1.0;
        if (i >= pr->n_parties)
            continue;
        const party_prosody *pp = &pr->pp[i];
        if (pp->stress) {
            pm->stress_mean = at_stress_mean(pp->stress);
            pm->stress_last = at_stress_last(pp->stress);
        }
        pm->pitch_hz_median = at_pitch_median_hz(pp->pitch);
        pm->pitch_range_st = at_pitch_range_st(pp->pitch);
        pm->n_syllables = pp->n_syl;
        long talk = talk_frames(pp);
        if (talk > 0) {
            pm->syllables_per_s = pp->n_syl * pr->fps / talk;
            pm->wpm = 60.0 * pm->syllables_per_s / pr->spw;
        }
        if (pp->baseline_sps >= 0)
            pm->pace_baseline_wpm = 60.0 * pp->baseline_sps / pr->spw;
    }
}
