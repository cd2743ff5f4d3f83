/* pipeline: the streaming analysis, top-down: samples -> 10 ms frames and
 * their spectra (frame.c) -> two-channel voice activity (vad.c) -> talk
 * spurts (spurts.c) -> conversation events (conversation.c).  Everything
 * is allocated here, once; push() and finish() never allocate.  With two
 * threads the spectra come a block ahead from front.c, and the rest runs
 * on them in the caller's push(), behind it. */
#include "attune/attune.h"

#include "conversation.h"
#include "diar_online.h"
#include "frame.h"
#include "front.h"
#include "mono.h"
#include "pipeline_core.h"
#include "prosody.h"
#include "spurts.h"
#include "vad.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Pushes the rest of the analysis may lag behind before push() waits for
 * it: with two threads it lags up to two blocks, a push per 100 ms. */
#define AT_PUSH_ENDS 64

struct attune_pipeline {
    attune_config cfg;
    at_frame_geom g;
    int n_parties;
    int lookahead;               /* samples past a frame's hop its window needs */
    at_frame *frame[ATTUNE_N_PARTIES]; /* the frame being analysed */
    float *ring[ATTUNE_N_PARTIES]; /* the last wlen samples, circular */
    float *window;               /* one window unrolled */
    int ring_pos;
    long long n_virtual;         /* samples stored, counting the leading zeros */
    long long n_real;            /* samples pushed */
    long long next_due;          /* n_virtual at which the next frame is complete */
    long n_frames;
    at_vad *vad;
    at_spurts spurts[ATTUNE_N_PARTIES];
    at_conv conv;
    at_prosody *prosody;         /* pitch and speech rate per party */
    int core_only;               /* prosody skipped (tools/bench) */
    int finished;
    attune_frame_fn on_frame;
    void *frame_user;
    attune_event_fn on_event;    /* the caller's; conv and prosody go through relay() */
    void *event_user;
    at_mono *mono;               /* two speakers from one channel, or NULL */
    long max_frames;             /* ... for this many frames */
    int stress_who;              /* ATTUNE_STRESS_*, for the diarized parties */
    attune_stress_model stress_model;
    int has_stress_model;
    int first_party;
    at_diar_online *live;        /* ... also labelled as the call goes, or NULL */
    at_front *front;             /* two threads: the spectra, a block ahead; or NULL */
    attune_push_fn on_push;
    void *push_user;
    long long push_end[AT_PUSH_ENDS]; /* n_real after each push the rest has not reached */
    int push_head, n_push_ends;
    long long n_real_seen;       /* n_real as of the last push the rest has reached */
};

void attune_pipeline_free(attune_pipeline *p)
{
    if (!p)
        return;
    for (int i = 0; i < ATTUNE_N_PARTIES; i++) {
        at_frame_free(p->frame[i]);
        free(p->ring[i]);
    }
    free(p->window);
    at_vad_free(p->vad);
    at_prosody_free(p->prosody);
    at_mono_free(p->mono);
    at_diar_online_free(p->live);
    at_front_free(p->front);
    free(p);
}

/* A diarizing pipeline keeps the channel's own events to itself: the two
 * parties' come at finish. */
static void relay(const attune_event *ev, void *user)
{
    attune_pipeline *p = user;
    if (p->on_event && !p->mono)
        p->on_event(ev, p->event_user);
}

/* Zeros before time 0 in the first frames' windows. */
static int lead_zeros(const attune_pipeline *p)
{
    return p->g.wlen - p->g.hop - p->lookahead;
}

static int fail_with(int *status, int code)
{
    if (status)
        *status = code;
    return code;
}

attune_pipeline *attune_pipeline_new(const attune_config *cfg, int rate, int n_parties,
                                     attune_event_fn on_event, void *user, int *status)
{
    attune_config defaults;
    if (!cfg) {
        attune_config_init(&defaults);
        cfg = &defaults;
    }
    if (n_parties < 1 || n_parties > 2 || attune_config_check(cfg, NULL) != 0) {
        fail_with(status, ATTUNE_ERR_ARG);
        return NULL;
    }
    attune_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        fail_with(status, ATTUNE_ERR_NOMEM);
        return NULL;
    }
    p->cfg = *cfg;
    p->n_parties = n_parties;
    p->on_event = on_event;
    p->event_user = user;
    p->stress_who = ATTUNE_STRESS_CUSTOMER;
    if (at_frame_geom_init(&p->g, rate) != 0) {
        free(p);
        fail_with(status, ATTUNE_ERR_RATE);
        return NULL;
    }
    const at_frame_geom *g = &p->g;
    /* Frame j is centred on its hop [j*hop, (j+1)*hop): its window reaches
     * `lookahead` samples past the hop, and starts before time 0 for the
     * first frames, which see zeros there. */
    p->lookahead = (g->wlen - g->hop) / 2;
    int lead = lead_zeros(p);
    p->window = malloc(sizeof(float) * g->wlen);
    p->vad = at_vad_new(cfg, g, n_parties);
    p->prosody = at_prosody_new(g, n_parties, relay, p);
    if (!p->window || !p->vad || !p->prosody)
        goto fail;
    for (int i = 0; i < n_parties; i++) {
        p->frame[i] = at_frame_new(g);
        p->ring[i] = calloc(g->wlen, sizeof(float));
        if (!p->frame[i] || !p->ring[i])
            goto fail;
    }
    p->ring_pos = lead;
    p->n_virtual = lead;
    p->next_due = g->wlen;
    double fps = (double)rate / g->hop;
    for (int i = 0; i < n_parties; i++)
        at_spurts_init(&p->spurts[i], cfg, fps);
    at_conv_init(&p->conv, cfg, fps, n_parties, relay, p);
    fail_with(status, ATTUNE_OK);
    return p;
fail:
    attune_pipeline_free(p);
    fail_with(status, ATTUNE_ERR_NOMEM);
    return NULL;
}

static void apply_step(attune_pipeline *p, int party, const at_spurt_step *st)
{
    /* A seed can close one spurt and start the next in the same frame. */
    if (st->closed)
        at_conv_close(&p->conv, party, st->start, st->end);
    if (st->closed && p->mono)
        at_mono_spurt(p->mono, st->start, st->end);
    if (st->opened)
        at_conv_open(&p->conv, party, st->open_start);
    long last;
    if (at_spurts_open(&p->spurts[party], NULL, &last))
        at_conv_progress(&p->conv, party, last);
}

static void observe(attune_pipeline *p, long t, const at_vad_out *out)
{
    for (int i = 0; i < p->n_parties; i++) {
        attune_frame_info fi = {
            .t = (double)t * p->g.hop / p->g.rate,
            .party = i,
            .level_db = out[i].level_db,
            .snr_db = out[i].snr_db,
            .noise_db = out[i].noise_db,
            .leak_db = out[i].leak_db,
            .speech_level_db = out[i].party_level_db,
            .voicing = out[i].voicing,
            .period_hz = out[i].pitch_lag ? (double)p->g.rate / out[i].pitch_lag : 0.0,
            .weak = out[i].weak,
            .strong = out[i].strong,
            .voiced = out[i].voiced,
        };
        at_prosody_observe(p->prosody, &fi);
    }
}

/* Everything after the spectra, on p->frame of every party. */
static void analyse_frame(attune_pipeline *p)
{
    at_vad_out out[ATTUNE_N_PARTIES];
    at_vad_process(p->vad, p->frame, out);
    long t = p->n_frames++;
    if (p->on_frame || p->mono)
        observe(p, t, out);
    if (p->mono)
        at_mono_frame(p->mono, t, p->frame[0], &out[0]);
    if (!p->core_only)
        at_prosody_frame(p->prosody, t, p->frame, out);
    for (int i = 0; i < p->n_parties; i++) {
        at_spurt_step st;
        int voiced = out[i].voiced ? 1 + out[i].loud : 0;
        at_spurts_frame(&p->spurts[i], t, out[i].weak, out[i].strong, voiced, &st);
        apply_step(p, i, &st);
        at_prosody_spurts(p->prosody, i, t, &st, &p->spurts[i]);
    }
    at_conv_step(&p->conv);
}

static void process_frame(attune_pipeline *p)
{
    const at_frame_geom *g = &p->g;
    for (int i = 0; i < p->n_parties; i++) {
        int first = g->wlen - p->ring_pos;
        memcpy(p->window, p->ring[i] + p->ring_pos, sizeof(float) * first);
        memcpy(p->window + first, p->ring[i], sizeof(float) * p->ring_pos);
        at_frame_analyse(p->frame[i], p->window);
    }
    analyse_frame(p);
}

/* Frames complete once n_real samples have been pushed. */
static long frames_at(const attune_pipeline *p, long long n_real)
{
    long long v = n_real + lead_zeros(p);
    return v < p->g.wlen ? 0 : (long)((v - p->g.wlen) / p->g.hop) + 1;
}

/* Tells the push observer of every push whose frames are all analysed. */
static void reach_pushes(attune_pipeline *p)
{
    while (p->n_push_ends > 0 && frames_at(p, p->push_end[p->push_head]) <= p->n_frames) {
        p->n_real_seen = p->push_end[p->push_head];
        p->push_head = (p->push_head + 1) % AT_PUSH_ENDS;
        p->n_push_ends--;
        p->on_push(p, p->push_user);
    }
}

/* Hands the block filled to the front and analyses the one it finished. */
static void cycle(attune_pipeline *p)
{
    const at_frame_rec *rec;
    long t0;
    int n = at_front_cycle(p->front, &rec, &t0);
    for (int h = 0; h < n; h++) {
        reach_pushes(p);
        for (int i = 0; i < p->n_parties; i++)
            at_frame_load(p->frame[i], &rec[h * p->n_parties + i]);
        analyse_frame(p);
    }
    reach_pushes(p);
}

/* Analyses every complete frame stored, the last block partial. */
static void drain(attune_pipeline *p)
{
    cycle(p);
    cycle(p);
}

static void feed_front(attune_pipeline *p, const float *const *ch, size_t n)
{
    size_t done = 0;
    while (done < n) {
        done += at_front_store(p->front, ch, done, n - done);
        if (at_front_full(p->front))
            cycle(p);
    }
}

/* The push observer's turn for a push of n_real: now with one thread,
 * once the rest has analysed its frames with two. */
static void push_ended(attune_pipeline *p)
{
    if (!p->on_push)
        return;
    if (!p->front) {
        p->n_real_seen = p->n_real;
        p->on_push(p, p->push_user);
        return;
    }
    if (p->n_push_ends == AT_PUSH_ENDS)
        drain(p);
    p->push_end[(p->push_head + p->n_push_ends) % AT_PUSH_ENDS] = p->n_real;
    p->n_push_ends++;
    reach_pushes(p);
}

/* Stores n samples per party (NULL: zeros) and runs every frame completed. */
static void feed(attune_pipeline *p, const float *const *ch, size_t n)
{
    const int wlen = p->g.wlen;
    size_t done = 0;
    while (done < n) {
        long long want = p->next_due - p->n_virtual;
        size_t k = n - done < (size_t)want ? n - done : (size_t)want;
        size_t first = (size_t)(wlen - p->ring_pos);
        if (first > k)
            first = k;
        for (int i = 0; i < p->n_parties; i++) {
            float *r = p->ring[i];
            if (ch) {
                memcpy(r + p->ring_pos, ch[i] + done, sizeof(float) * first);
                memcpy(r, ch[i] + done + first, sizeof(float) * (k - first));
            } else {
                memset(r + p->ring_pos, 0, sizeof(float) * first);
                memset(r, 0, sizeof(float) * (k - first));
            }
        }
        p->ring_pos = (int)((p->ring_pos + k) % (size_t)wlen);
        p->n_virtual += (long long)k;
        done += k;
        if (p->n_virtual == p->next_due) {
            process_frame(p);
            p->next_due += p->g.hop;
        }
    }
}

int attune_pipeline_push(attune_pipeline *p, const float *const *ch, size_t n)
{
    if (!p || !ch)
        return ATTUNE_ERR_ARG;
    if (p->finished)
        return ATTUNE_ERR_STATE;
    for (int i = 0; i < p->n_parties; i++) {
        if (!ch[i])
            return ATTUNE_ERR_ARG;
        for (size_t j = 0; j < n; j++)
            if (!isfinite(ch[i][j]))
                return ATTUNE_ERR_SAMPLE;
    }
    if (p->mono && (p->n_real + (long long)n) / p->g.hop > p->max_frames)
        return ATTUNE_ERR_STATE;
    if (p->front)
        feed_front(p, ch, n);
    else
        feed(p, ch, n);
    p->n_real += (long long)n;
    push_ended(p);
    return ATTUNE_OK;
}

int attune_pipeline_finish(attune_pipeline *p)
{
    if (!p)
        return ATTUNE_ERR_ARG;
    if (p->finished)
        return ATTUNE_OK;
    /* Zeros after the end complete the windows of the last whole hops. */
    long long frames_wanted = p->n_real / p->g.hop;
    if (p->front) {
        while (at_front_hops(p->front) < frames_wanted)
            feed_front(p, NULL, (size_t)p->g.hop);
        drain(p);
    }
    while (p->n_frames < frames_wanted)
        feed(p, NULL, (size_t)(p->next_due - p->n_virtual));
    at_prosody_flush(p->prosody);
    for (int i = 0; i < p->n_parties; i++) {
        at_spurt_step st;
        at_spurts_finish(&p->spurts[i], &st);
        apply_step(p, i, &st);
        at_prosody_spurts(p->prosody, i, -1, &st, &p->spurts[i]);
    }
    at_conv_finish(&p->conv);
    at_prosody_finish(p->prosody);
    if (p->mono) {
        at_conv_init(&p->conv, &p->cfg, (double)p->g.rate / p->g.hop, 2, p->on_event,
                     p->event_user);
        at_mono_finish(p->mono, &p->conv, &p->cfg, (double)p->g.rate / p->g.hop);
    }
    p->finished = 1;
    return ATTUNE_OK;
}

void attune_pipeline_metrics(const attune_pipeline *p, attune_metrics *m)
{
    memset(m, 0, sizeof *m);
    /* With two threads the rest lags push(): duration as of where it is. */
    m->duration_s = (double)(p->front && !p->finished ? p->n_real_seen : p->n_real) / p->g.rate;
    if (p->live && !p->finished)
        at_diar_online_metrics(p->live, m);
    else
        at_conv_metrics(&p->conv, m);
    at_prosody_metrics(p->prosody, m);
    if (p->mono && p->finished)
        at_mono_metrics(p->mono, m);
}

void attune_pipeline_set_frame_observer(attune_pipeline *p, attune_frame_fn fn, void *user)
{
    p->on_frame = fn;
    p->frame_user = user;
    if (!p->mono)
        at_prosody_set_observer(p->prosody, fn, user);
}

/* A diarizing pipeline's observer: pitch and nuclei to the diarizer, then
 * the caller's. */
static void observe_mono(const attune_frame_info *fi, void *user)
{
    attune_pipeline *p = user;
    at_mono_observe(p->mono, fi);
    if (p->on_frame)
        p->on_frame(fi, p->frame_user);
}

/* The diarized parties' stress, as asked for the pipeline. */
static int mono_stress(attune_pipeline *p)
{
    return at_mono_set_stress(p->mono, p->stress_who,
                              p->has_stress_model ? &p->stress_model : NULL, p->on_event,
                              p->event_user);
}

/* Frames analysed, or on their way to be. */
static int started(const attune_pipeline *p)
{
    return p->n_frames > 0 || (p->front && p->n_real > 0);
}

int attune_pipeline_set_threads(attune_pipeline *p, int n_threads)
{
    if (!p || n_threads < 1 || n_threads > 2)
        return ATTUNE_ERR_ARG;
    if (p->n_real > 0 || p->finished)
        return ATTUNE_ERR_STATE;
    if ((n_threads == 2) == (p->front != NULL))
        return ATTUNE_OK;
    if (n_threads == 1) {
        at_front_free(p->front);
        p->front = NULL;
        return ATTUNE_OK;
    }
    p->front = at_front_new(&p->g, p->n_parties, lead_zeros(p));
    return p->front ? ATTUNE_OK : ATTUNE_ERR_NOMEM;
}

void attune_pipeline_set_push_observer(attune_pipeline *p, attune_push_fn fn, void *user)
{
    p->on_push = fn;
    p->push_user = user;
}

int at_pipeline_core_only(attune_pipeline *p)
{
    if (!p || p->mono)
        return ATTUNE_ERR_ARG;
    if (started(p) || p->finished)
        return ATTUNE_ERR_STATE;
    p->core_only = 1;
    return ATTUNE_OK;
}

int attune_pipeline_diarize(attune_pipeline *p, double max_s, int first_party)
{
    if (!p || p->n_parties != 1 || !(max_s > 0.0 && max_s <= ATTUNE_DIARIZE_MAX_S) ||
        (first_party != ATTUNE_AGENT && first_party != ATTUNE_CUSTOMER))
        return ATTUNE_ERR_ARG;
    if (started(p) || p->mono || p->finished)
        return ATTUNE_ERR_STATE;
    p->max_frames = (long)ceil(max_s * p->g.rate / p->g.hop) + 1;
    p->first_party = first_party;
    p->mono = at_mono_new(&p->g, p->max_frames, first_party);
    if (!p->mono || mono_stress(p) != 0)
        return ATTUNE_ERR_NOMEM;
    at_vad_two_voices(p->vad, p->cfg.mono_level_spread_db, p->cfg.mono_vad_onset_db);
    at_prosody_set_observer(p->prosody, observe_mono, p);
    return ATTUNE_OK;
}

/* The live two-party events of a diarizing pipeline, until it finishes
 * (the offline pass's events then go to the caller directly). */
static void relay_live(const attune_event *ev, void *user)
{
    attune_pipeline *p = user;
    if (p->on_event && !p->finished)
        p->on_event(ev, p->event_user);
}

int attune_pipeline_diarize_live(attune_pipeline *p)
{
    if (!p || !p->mono)
        return ATTUNE_ERR_ARG;
    if (started(p) || p->live || p->finished)
        return ATTUNE_ERR_STATE;
    p->live = at_diar_online_new(&p->cfg, (double)p->g.rate / p->g.hop, p->first_party,
                                 relay_live, p);
    if (!p->live)
        return ATTUNE_ERR_NOMEM;
    at_mono_set_live(p->mono, p->live);
    return ATTUNE_OK;
}

/* attune_voice and at_voiceprint hold the same numbers. */
_Static_assert(AT_VP_DIM == 12, "attune_voice holds 12 cepstra");
static void voice_to_vp(const attune_voice *v, at_voiceprint *vp)
{
    for (int q = 0; q < AT_VP_DIM; q++) {
        vp->mean[q] = v->mean[q];
        vp->var[q] = v->var[q];
    }
    vp->n_frames = v->n_frames;
}

int attune_pipeline_set_agent_voice(attune_pipeline *p, const attune_voice *v)
{
    if (!p || !v || !p->mono || v->n_frames < 1)
        return ATTUNE_ERR_ARG;
    for (int q = 0; q < AT_VP_DIM; q++)
        if (!isfinite(v->mean[q]) || !(v->var[q] > 0.0))
            return ATTUNE_ERR_ARG;
    at_voiceprint vp;
    voice_to_vp(v, &vp);
    at_mono_set_agent_voice(p->mono, &vp);
    return ATTUNE_OK;
}

int attune_pipeline_voice(const attune_pipeline *p, attune_voice *v)
{
    if (!p || !v || !p->mono || !p->finished)
        return ATTUNE_ERR_STATE;
    at_voiceprint vp;
    at_mono_voiceprint(p->mono, &vp);
    memset(v, 0, sizeof *v);
    for (int q = 0; q < AT_VP_DIM; q++) {
        v->mean[q] = vp.mean[q];
        v->var[q] = vp.var[q];
    }
    v->n_frames = vp.n_frames;
    return ATTUNE_OK;
}

int attune_pipeline_set_syllables_per_word(attune_pipeline *p, double spw)
{
    if (at_prosody_set_syllables_per_word(p->prosody, spw))
        return ATTUNE_ERR_ARG;
    if (p->mono)
        at_mono_set_syllables_per_word(p->mono, spw);
    return ATTUNE_OK;
}

int attune_pipeline_set_stress(attune_pipeline *p, int who)
{
    if (p->n_real > 0 || p->finished)
        return ATTUNE_ERR_STATE;
    int rc = at_prosody_set_stress(p->prosody, who);
    if (rc == 0) {
        p->stress_who = who;
        if (p->mono && mono_stress(p) != 0)
            rc = -2;
    }
    return rc == 0 ? ATTUNE_OK : rc == -1 ? ATTUNE_ERR_ARG : ATTUNE_ERR_NOMEM;
}

int attune_pipeline_set_stress_model(attune_pipeline *p, const attune_stress_model *m)
{
    if (!m || at_prosody_set_stress_model(p->prosody, m) != 0)
        return ATTUNE_ERR_ARG;
    p->stress_model = *m;
    p->has_stress_model = 1;
    if (p->mono && mono_stress(p) != 0)
        return ATTUNE_ERR_NOMEM;
    return ATTUNE_OK;
}

void attune_pipeline_set_stress_observer(attune_pipeline *p, attune_stress_fn fn, void *user)
{
    at_prosody_set_stress_observer(p->prosody, fn, user);
}

double attune_pipeline_hop_s(const attune_pipeline *p)
{
    return (double)p->g.hop / p->g.rate;
}
