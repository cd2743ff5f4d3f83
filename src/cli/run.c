/* run: a recorded call through the same streaming pipeline as live audio,
 * with the goals engine watching, into an at_result (see run.h).  It reports
 * nothing itself: the commands decide how a problem is shown. */
#include "run.h"

#include "audio_in.h"
#include "cli.h"
#include "models.h"
#include "profile.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SILENCE_PEAK 1e-4        /* -80 dBFS: nothing but digital silence or dither */
#define CLIPPED_FRACTION 0.02    /* beyond this, levels and pitch are meaningless */

void at_run_opts_init(at_run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->agent_ch = o->customer_ch = -1;
    attune_config_init(&o->cfg);
    at_goals_profile_default(&o->goals);
    o->stress_who = ATTUNE_STRESS_CUSTOMER;
    at_speakers_init(&o->spk);
}

int at_threads_auto(void)
{
    return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

int at_threads_parse(const char *s, int *out)
{
    if (!s || (strcmp(s, "1") && strcmp(s, "2")))
        return -1;
    *out = s[0] - '0';
    return 0;
}

int at_run_ready(at_run_opts *o)
{
    return at_config_ready(&o->cfg) || at_speakers_ready(&o->spk, &o->cfg) ? -1 : 0;
}

static int parse_channel(const char *s, int *out)
{
    if (!strcmp(s, "left") || !strcmp(s, "0"))
        *out = 0;
    else if (!strcmp(s, "right") || !strcmp(s, "1"))
        *out = 1;
    else if (s[0] >= '2' && s[0] <= '7' && s[1] == '\0')
        *out = s[0] - '0';
    else
        return -1;
    return 0;
}

int at_run_arg(at_run_opts *o, int argc, char **argv, int *i)
{
    int r = at_config_arg(&o->cfg, argc, argv, i);
    if (r == 0)
        r = at_speakers_arg(&o->spk, argc, argv, i);
    if (r != 0)
        return r;
    const char *a = argv[*i];
    const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--agent-channel") || !strcmp(a, "--customer-channel")) {
        int *dst = a[2] == 'a' ? &o->agent_ch : &o->customer_ch;
        if (!val || parse_channel(val, dst)) {
            at_error(a, "expects 0, 1, left, right or a channel up to 7");
            return -1;
        }
    } else if (!strcmp(a, "--speakers")) {
        if (!val || (strcmp(val, "1") && strcmp(val, "2"))) {
            at_error(a, "expects 1 or 2");
            return -1;
        }
        o->single = val[0] == '1';
    } else if (!strcmp(a, "--goals")) {
        char where[1024];
        if (!val) {
            at_error(a, "expects a profile name or INI file");
            return -1;
        }
        if (at_profile_resolve(val, &o->goals, where, sizeof where) != 0)
            return -1;
        o->goals_given = 1;
    } else if (!strcmp(a, "--threads")) {
        if (at_threads_parse(val, &o->threads)) {
            at_error(a, "expects 1 or 2");
            return -1;
        }
    } else if (!strcmp(a, "--stress")) {
        o->stress_who = !val ? -1 : !strcmp(val, "customer") ? ATTUNE_STRESS_CUSTOMER
                      : !strcmp(val, "all") ? ATTUNE_STRESS_ALL
                      : !strcmp(val, "none") ? ATTUNE_STRESS_NONE : -1;
        if (o->stress_who < 0) {
            at_error(a, "expects customer, all or none");
            return -1;
        }
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

static long first_bad(const at_audio_in *a, long n)
{
    for (long i = 0; i < n; i++)
        for (int p = 0; p < a->n_parties; p++)
            if (!isfinite(a->planar[p][i]))
                return i;
    return 0;
}

/* Events go to the result and to the goals engine. */
typedef struct fanout {
    at_result *r;
    at_goals *g;
} fanout;

static void on_event(const attune_event *ev, void *user)
{
    fanout *f = user;
    at_result_collect(ev, f->r);
    if (f->g)
        at_goals_event(f->g, ev);
}

/* The goals engine looks after each push, once the analysis has reached it. */
static void tick(attune_pipeline *p, void *user)
{
    at_goals_tick_pipeline(user, p);
}

/* Pushes a block in 100 ms steps when the goals engine watches. */
static int push_block(attune_pipeline *p, at_goals *g, const at_audio_in *a, size_t n)
{
    size_t step = g ? (size_t)a->info.samplerate / 10 : n;
    for (size_t k = 0; k < n; k += step) {
        size_t m = n - k < step ? n - k : step;
        const float *ch[2] = {a->planar[0] + k, a->planar[1] + k};
        int rc = attune_pipeline_push(p, ch, m);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Reads the whole file into the pipeline and checks the signal's health. */
static int feed(attune_pipeline *p, at_goals *g, at_audio_in *a, char *err, size_t err_len)
{
    long long n_read = 0;
    for (;;) {
        long got = at_audio_read(a, err, err_len);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        if (push_block(p, g, a, (size_t)got) == ATTUNE_ERR_SAMPLE) {
            snprintf(err, err_len, "NaN or infinite sample at %.3f s",
                     (double)(n_read + first_bad(a, got)) / a->info.samplerate);
            return -1;
        }
        n_read += got;
    }
    if (n_read < a->info.frames) {
        snprintf(err, err_len, "truncated: the header promises %.2f s, the data holds %.2f s",
                 (double)a->info.frames / a->info.samplerate,
                 (double)n_read / a->info.samplerate);
        return -1;
    }
    if (a->peak < SILENCE_PEAK) {
        snprintf(err, err_len, "all silence (peak %.1f dBFS)", 20.0 * log10(a->peak + 1e-12));
        return -1;
    }
    double clipped = a->n_samples ? (double)a->n_clipped / a->n_samples : 0.0;
    if (clipped > CLIPPED_FRACTION) {
        snprintf(err, err_len, "heavily clipped (%.1f %% of samples at full scale)",
                 100.0 * clipped);
        return -1;
    }
    return 0;
}

int at_run_file(const at_run_opts *o, const char *path, at_result *r, char *err,
                size_t err_len)
{
    at_audio_in a;
    if (at_audio_open(&a, path, o->agent_ch, o->customer_ch, o->single, err, err_len))
        return -1;
    r->file = path;
    r->sample_rate = a.info.samplerate;
    r->channels = a.info.channels;
    r->n_parties = a.n_parties;
    r->channel_of[0] = a.map[0];
    r->channel_of[1] = a.map[1];
    int status, rc = -1;
    fanout fan = {r, NULL};
    attune_pipeline *p = NULL;
    if (a.n_parties == 2 && !(fan.g = at_goals_new(&o->goals, at_result_alert, r))) {
        snprintf(err, err_len, "out of memory");
        goto done;
    }
    p = attune_pipeline_new(&o->cfg, a.info.samplerate, a.n_parties, on_event, &fan, &status);
    if (!p) {
        snprintf(err, err_len, "%s", attune_strerror(status));
        goto done;
    }
    /* Two threads where they fit; if the second cannot start, one. */
    (void)attune_pipeline_set_threads(p, o->threads ? o->threads : at_threads_auto());
    if (fan.g)
        attune_pipeline_set_push_observer(p, tick, fan.g);
    attune_pipeline_set_syllables_per_word(p, at_models_syllables_per_word());
    at_stress_setup(p, o->stress_who);
    r->stress_who = o->stress_who;
    /* A mono file is diarized into agent and customer unless --speakers 1. */
    if (a.n_parties == 1 && !o->single &&
        at_speakers_begin(&o->spk, p, &a, r, err, err_len) != 0)
        goto done;
    if (feed(p, fan.g, &a, err, err_len) != 0)
        goto done;
    attune_pipeline_finish(p);
    attune_pipeline_metrics(p, &r->m);
    if (fan.g)
        at_goals_tick_pipeline(fan.g, p);
    if (r->oom) {
        snprintf(err, err_len, "out of memory");
        goto done;
    }
    rc = 0;
done:
    attune_pipeline_free(p);
    at_goals_free(fan.g);
    at_audio_close(&a);
    return rc;
}
