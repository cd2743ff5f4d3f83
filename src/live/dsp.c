/* dsp: the DSP thread (see dsp.h). */
#include "dsp.h"
#include "models.h"

#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK_S 0.02    /* the most pushed at once: the goals look every 20 ms */
#define IDLE_S 0.002    /* nap when the rings are empty */

struct at_dsp {
    at_capture *cap;
    at_capture_io *io;
    attune_pipeline *p;
    at_goals *goals;
    SNDFILE *rec;
    char rec_path[1024];
    size_t block;
    float *ch[2], *inter;
    at_result result;
    at_msgq q;
    at_snapshot_box snap;
    double wall0;
    long next_metrics_s;
    pthread_t thread;
    int started;
    atomic_int stop, done, dismiss_requests;
    int dismissed;
    int mono;                    /* a mono replay, diarized as it goes */
    int final;                   /* the pipeline's final account is coming */
    int cap_state;
    char reason[256];
    double cpu_s;
    uint64_t n_bad_blocks;
    double last_gap_s;
    unsigned long long n_pushed; /* samples per channel given to the pipeline */
    double push_end_s;           /* stream time at the end of the block being pushed */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void on_event(const attune_event *ev, void *user)
{
    at_dsp *d = user;
    at_result_collect(ev, &d->result);
    if (!d->final)
        at_goals_event(d->goals, ev);
    if (ev->type == ATTUNE_EV_RESPONSE_GAP && ev->party == ATTUNE_AGENT)
        d->last_gap_s = ev->value;
    if (!d->final && (ev->type == ATTUNE_EV_INTERRUPTION || ev->type == ATTUNE_EV_BACKCHANNEL)) {
        at_live_msg m = {.kind = AT_MSG_EVENT, .wall_s = mono_s() - d->wall0,
                         .t_s = d->push_end_s, .ev = *ev};
        at_msgq_put(&d->q, &m);
    }
}

static void on_alert(const at_alert *a, void *user)
{
    at_dsp *d = user;
    at_result_alert(a, &d->result);
    at_live_msg m = {.kind = AT_MSG_ALERT, .wall_s = mono_s() - d->wall0, .t_s = a->t_s,
                     .alert = *a};
    at_msgq_put(&d->q, &m);
}

static int open_recording(at_dsp *d, const char *path, int rate, char *err, size_t err_len)
{
    SF_INFO info = {.samplerate = rate, .channels = 2,
                    .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    d->rec = sf_open(path, SFM_WRITE, &info);
    if (!d->rec) {
        snprintf(err, err_len, "%s: cannot create the recording (libsndfile: %s)", path,
                 sf_strerror(NULL));
        return -1;
    }
    /* The header is kept current, so even a killed session leaves a
     * playable file. */
    sf_command(d->rec, SFC_SET_UPDATE_HEADER_AUTO, NULL, SF_TRUE);
    snprintf(d->rec_path, sizeof d->rec_path, "%s", path);
    return 0;
}

at_dsp *at_dsp_new(const at_dsp_opts *o, char *err, size_t err_len)
{
    at_dsp *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    d->cap = o->cap;
    d->io = o->cap->io;
    d->wall0 = o->wall0;
    d->block = (size_t)(d->io->rate * BLOCK_S);
    d->last_gap_s = NAN;
    at_result_init(&d->result);
    at_msgq_init(&d->q);
    at_snapshot_init(&d->snap);
    int status = 0;
    d->ch[0] = malloc(sizeof(float) * d->block);
    d->ch[1] = malloc(sizeof(float) * d->block);
    d->inter = malloc(sizeof(float) * 2 * d->block);
    d->goals = at_goals_new(&o->goals, on_alert, d);
    if (!d->ch[0] || !d->ch[1] || !d->inter || !d->goals) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    d->mono = o->cap->mono;
    d->p = attune_pipeline_new(&o->cfg, d->io->rate, d->mono ? 1 : 2, on_event, d, &status);
    if (!d->p) {
        snprintf(err, err_len, "%s", attune_strerror(status));
        goto fail;
    }
    /* The customer's vocal stress, as analyze computes it (never the
     * agent's live: EU AI Act, Art. 5(1)(f)). */
    at_stress_setup(d->p, ATTUNE_STRESS_CUSTOMER);
    /* A mono replay: agent and customer labelled as the call goes for the
     * goals, and by the offline diarization, as analyze, at the end. */
    if (d->mono && ((status = attune_pipeline_diarize(d->p, o->cap->duration_s + 1.0,
                                                      o->first_party)) != 0 ||
                    (status = attune_pipeline_diarize_live(d->p)) != 0)) {
        snprintf(err, err_len, "%s", attune_strerror(status));
        goto fail;
    }
    d->result.stress_who = ATTUNE_STRESS_CUSTOMER;
    if (o->record_path && open_recording(d, o->record_path, d->io->rate, err, err_len) != 0)
        goto fail;
    return d;
fail:
    at_dsp_free(d, NULL, 0);
    return NULL;
}

static void publish(at_dsp *d)
{
    at_snapshot *s = at_snapshot_back(&d->snap);
    attune_pipeline_metrics(d->p, &s->m);
    s->t_s = s->m.duration_s;
    for (int i = 0; i < AT_N_GOALS; i++)
        s->value[i] = at_goals_value(d->goals, (at_goal_id)i, &s->active[i]);
    s->share_window = s->value[AT_GOAL_LISTENING];
    s->last_gap_s = d->last_gap_s;
    s->n_overruns = at_capture_io_overruns(d->io);
    s->n_dropped = at_capture_io_dropped(d->io);
    s->ring_fill = (double)at_ring_available(d->io->ring[0]) / at_ring_capacity(d->io->ring[0]);
    at_snapshot_publish(&d->snap);
    if (s->t_s >= d->next_metrics_s + 1) {
        d->next_metrics_s = (long)s->t_s;
        at_live_msg m = {.kind = AT_MSG_METRICS, .wall_s = mono_s() - d->wall0,
                         .t_s = s->t_s, .m = s->m, .share_window = s->share_window,
                         .n_overruns = s->n_overruns};
        at_msgq_put(&d->q, &m);
    }
}

static void record(at_dsp *d, size_t n)
{
    if (!d->rec)
        return;
    for (size_t i = 0; i < n; i++) {
        d->inter[2 * i] = d->ch[0][i];
        d->inter[2 * i + 1] = d->ch[1][i];
    }
    sf_writef_float(d->rec, d->inter, (sf_count_t)n);
}

/* One block through the pipeline and the goals.  A device should never
 * deliver NaN or Inf; if one does, the block is zeroed and counted rather
 * than ending the session. */
static void process(at_dsp *d, size_t n)
{
    at_ring_read(d->io->ring[0], d->ch[0], n);
    at_ring_read(d->io->ring[1], d->ch[1], n);
    const float *ch[2] = {d->ch[0], d->ch[1]};
    d->n_pushed += n;
    d->push_end_s = (double)d->n_pushed / d->io->rate;
    if (attune_pipeline_push(d->p, ch, n) == ATTUNE_ERR_SAMPLE) {
        d->n_bad_blocks++;
        memset(d->ch[0], 0, n * sizeof(float));
        memset(d->ch[1], 0, n * sizeof(float));
        attune_pipeline_push(d->p, ch, n);
    }
    record(d, n);
    at_goals_tick_pipeline(d->goals, d->p);
    publish(d);
}

static void handle_dismissals(at_dsp *d)
{
    int asked = atomic_load(&d->dismiss_requests);
    if (asked == d->dismissed)
        return;
    attune_metrics m;
    attune_pipeline_metrics(d->p, &m);
    at_goals_dismiss(d->goals, m.duration_s);
    d->dismissed = asked;
    publish(d);
}

static size_t ready(const at_dsp *d)
{
    size_t a = at_ring_available(d->io->ring[0]), b = at_ring_available(d->io->ring[1]);
    size_t n = a < b ? a : b;
    return n < d->block ? n : d->block;
}

static void nap(double s)
{
    struct timespec ts = {0, (long)(s * 1e9)};
    nanosleep(&ts, NULL);
}

static void *dsp_main(void *arg)
{
    at_dsp *d = arg;
    for (;;) {
        handle_dismissals(d);
        size_t n = ready(d);
        if (n > 0) {
            process(d, n);
            continue;
        }
        if (atomic_load(&d->stop))
            break;
        int st = d->cap->ops->state(d->cap->self, d->reason, sizeof d->reason);
        if (st != AT_CAP_RUNNING) {
            /* Whatever arrived before the end is still to be analysed. */
            while ((n = ready(d)) > 0)
                process(d, n);
            d->cap_state = st;
            break;
        }
        nap(IDLE_S);
    }
    if (d->mono) {
        /* The offline diarization replaces what was labelled live. */
        d->final = 1;
        at_result_clear_events(&d->result);
    }
    attune_pipeline_finish(d->p);
    attune_pipeline_metrics(d->p, &d->result.m);
    at_goals_tick_pipeline(d->goals, d->p);
    publish(d);
    struct timespec cpu;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    d->cpu_s = cpu.tv_sec + cpu.tv_nsec * 1e-9;
    atomic_store(&d->done, 1);
    return NULL;
}

int at_dsp_start(at_dsp *d)
{
    if (pthread_create(&d->thread, NULL, dsp_main, d) != 0)
        return -1;
    d->started = 1;
    return 0;
}

int at_dsp_done(at_dsp *d, int *cap_state, char *reason, size_t reason_len)
{
    if (!atomic_load(&d->done))
        return 0;
    *cap_state = d->cap_state;
    snprintf(reason, reason_len, "%s", d->reason);
    return 1;
}

void at_dsp_request_dismiss(at_dsp *d) { atomic_fetch_add(&d->dismiss_requests, 1); }

void at_dsp_stop(at_dsp *d)
{
    atomic_store(&d->stop, 1);
    if (d->started)
        pthread_join(d->thread, NULL);
    d->started = 0;
}

at_msgq *at_dsp_messages(at_dsp *d) { return &d->q; }
at_snapshot_box *at_dsp_snapshots(at_dsp *d) { return &d->snap; }
at_result *at_dsp_result(at_dsp *d) { return &d->result; }
double at_dsp_cpu_s(const at_dsp *d) { return d->cpu_s; }
uint64_t at_dsp_bad_blocks(const at_dsp *d) { return d->n_bad_blocks; }

int at_dsp_free(at_dsp *d, char *err, size_t err_len)
{
    if (!d)
        return 0;
    int rc = 0;
    at_dsp_stop(d);
    if (d->rec && sf_close(d->rec) != 0) {
        if (err)
            snprintf(err, err_len, "%s: could not finish the recording", d->rec_path);
        rc = -1;
    }
    attune_pipeline_free(d->p);
    at_goals_free(d->goals);
    at_result_free(&d->result);
    free(d->ch[0]);
    free(d->ch[1]);
    free(d->inter);
    free(d);
    return rc;
}
