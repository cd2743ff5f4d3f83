/* analyze: `attune analyze FILE...`, the offline analysis of recorded calls.
 * Each file runs through the same streaming pipeline as live audio; a bad
 * file gets one line on stderr and the others still run. */
#include "attune/attune.h"
#include "annot.h"
#include "audio_in.h"
#include "cli.h"
#include "models.h"
#include "profile.h"
#include "result.h"
#include "speakers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct options {
    int json, rttm, textgrid;
    const char *out_dir;       /* -o DIR: each file's outputs go to DIR/<name>.<ext> */
    int agent_ch, customer_ch;
    int single;
    attune_config cfg;
    at_goals_profile goals;      /* --goals: where each goal slipped */
    int stress_who;              /* --stress: ATTUNE_STRESS_CUSTOMER unless asked */
    at_speakers_opts spk;        /* a mono file's two speakers */
} options;

#define SILENCE_PEAK 1e-4        /* -80 dBFS: nothing but digital silence or dither */
#define CLIPPED_FRACTION 0.02    /* beyond this, levels and pitch are meaningless */

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

/* Returns the index of the first file argument, or -1 on a usage error. */
static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->agent_ch = o->customer_ch = -1;
    o->stress_who = ATTUNE_STRESS_CUSTOMER;
    attune_config_init(&o->cfg);
    at_goals_profile_default(&o->goals);
    at_speakers_init(&o->spk);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int r = at_config_arg(&o->cfg, argc, argv, &i);
        if (r == 0)
            r = at_speakers_arg(&o->spk, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--rttm")) {
            o->rttm = 1;
        } else if (!strcmp(a, "--textgrid")) {
            o->textgrid = 1;
        } else if (!strcmp(a, "-o")) {
            if (!val) {
                at_error(a, "expects a directory");
                return -1;
            }
            o->out_dir = val;
            i++;
        } else if (!strcmp(a, "--agent-channel") || !strcmp(a, "--customer-channel")) {
            int *dst = a[2] == 'a' ? &o->agent_ch : &o->customer_ch;
            if (!val || parse_channel(val, dst)) {
                at_error(a, "expects 0, 1, left, right or a channel up to 7");
                return -1;
            }
            i++;
        } else if (!strcmp(a, "--speakers")) {
            if (!val || (strcmp(val, "1") && strcmp(val, "2"))) {
                at_error(a, "expects 1 or 2");
                return -1;
            }
            o->single = val[0] == '1';
            i++;
        } else if (!strcmp(a, "--goals")) {
            char where[1024];
            if (!val) {
                at_error(a, "expects a profile name or INI file");
                return -1;
            }
            if (at_profile_resolve(val, &o->goals, where, sizeof where) != 0)
                return -1;
            i++;
        } else if (!strcmp(a, "--stress")) {
            o->stress_who = !val ? -1 : !strcmp(val, "customer") ? ATTUNE_STRESS_CUSTOMER
                          : !strcmp(val, "all") ? ATTUNE_STRESS_ALL
                          : !strcmp(val, "none") ? ATTUNE_STRESS_NONE : -1;
            if (o->stress_who < 0) {
                at_error(a, "expects customer, all or none");
                return -1;
            }
            i++;
        } else {
            at_error(a, "unknown option (try: attune help)");
            return -1;
        }
    }
    if (at_config_ready(&o->cfg) || at_speakers_ready(&o->spk, &o->cfg))
        return -1;
    if (!o->out_dir && o->json + o->rttm + o->textgrid > 1) {
        at_error("analyze", "several output formats need -o DIR");
        return -1;
    }
    if (!o->out_dir && o->textgrid && argc - i > 1) {
        at_error("--textgrid", "one TextGrid per file: with several files give -o DIR");
        return -1;
    }
    if (i >= argc) {
        at_error("analyze", "no file given (usage: attune analyze [options] FILE...)");
        return -1;
    }
    return i;
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

/* Pushes a block in 100 ms steps, the goals engine looking after each. */
static int push_block(attune_pipeline *p, at_goals *g, const at_audio_in *a, size_t n)
{
    size_t step = g ? (size_t)a->info.samplerate / 10 : n;
    for (size_t k = 0; k < n; k += step) {
        size_t m = n - k < step ? n - k : step;
        const float *ch[2] = {a->planar[0] + k, a->planar[1] + k};
        int rc = attune_pipeline_push(p, ch, m);
        if (rc != 0)
            return rc;
        if (g)
            at_goals_tick_pipeline(g, p);
    }
    return 0;
}

/* Runs one file through the pipeline; returns 0 or -1 after reporting. */
static int run_file(const options *o, const char *path, at_result *r)
{
    char err[320];
    at_audio_in a;
    if (at_audio_open(&a, path, o->agent_ch, o->customer_ch, o->single, err, sizeof err)) {
        at_error(path, "%s", err);
        return -1;
    }
    r->file = path;
    r->sample_rate = a.info.samplerate;
    r->channels = a.info.channels;
    r->n_parties = a.n_parties;
    r->channel_of[0] = a.map[0];
    r->channel_of[1] = a.map[1];
    int status;
    fanout fan = {r, NULL};
    if (a.n_parties == 2 && !(fan.g = at_goals_new(&o->goals, at_result_alert, r))) {
        at_error(path, "out of memory");
        at_audio_close(&a);
        return -1;
    }
    attune_pipeline *p = attune_pipeline_new(&o->cfg, a.info.samplerate, a.n_parties,
                                             on_event, &fan, &status);
    if (!p) {
        at_error(path, "%s", attune_strerror(status));
        at_goals_free(fan.g);
        at_audio_close(&a);
        return -1;
    }
    attune_pipeline_set_syllables_per_word(p, at_models_syllables_per_word());
    at_stress_setup(p, o->stress_who);
    r->stress_who = o->stress_who;
    long long n_read = 0;
    int rc = 0;
    if (a.n_parties == 1 && !o->single && at_speakers_begin(&o->spk, p, &a, r, err, sizeof err)) {
        at_error(path, "%s", err);
        rc = -1;
    }
    while (rc == 0) {
        long got = at_audio_read(&a, err, sizeof err);
        if (got < 0) {
            at_error(path, "%s", err);
            rc = -1;
            break;
        }
        if (got == 0)
            break;
        if (push_block(p, fan.g, &a, (size_t)got) == ATTUNE_ERR_SAMPLE) {
            at_error(path, "NaN or infinite sample at %.3f s",
                     (double)(n_read + first_bad(&a, got)) / a.info.samplerate);
            rc = -1;
            break;
        }
        n_read += got;
    }
    if (rc == 0 && n_read < a.info.frames) {
        at_error(path, "truncated: the header promises %.2f s, the data holds %.2f s",
                 (double)a.info.frames / a.info.samplerate, (double)n_read / a.info.samplerate);
        rc = -1;
    }
    if (rc == 0 && a.peak < SILENCE_PEAK) {
        at_error(path, "all silence (peak %.1f dBFS)", 20.0 * log10(a.peak + 1e-12));
        rc = -1;
    }
    double clipped = a.n_samples ? (double)a.n_clipped / a.n_samples : 0.0;
    if (rc == 0 && clipped > CLIPPED_FRACTION) {
        at_error(path, "heavily clipped (%.1f %% of samples at full scale)", 100.0 * clipped);
        rc = -1;
    }
    if (rc == 0) {
        attune_pipeline_finish(p);
        attune_pipeline_metrics(p, &r->m);
        if (fan.g)
            at_goals_tick_pipeline(fan.g, p);
        if (r->oom) {
            at_error(path, "out of memory");
            rc = -1;
        }
    }
    attune_pipeline_free(p);
    at_goals_free(fan.g);
    at_audio_close(&a);
    return rc;
}

typedef enum { OUT_TEXT, OUT_JSON, OUT_RTTM, OUT_TEXTGRID } out_format;

static void write_format(FILE *out, out_format fmt, const at_result *r)
{
    if (fmt == OUT_TEXT || fmt == OUT_JSON) {
        (fmt == OUT_JSON ? at_report_json : at_report_text)(out, r);
        return;
    }
    at_annot a;
    at_annot_from_result(&a, r);
    (fmt == OUT_RTTM ? at_rttm_write : at_textgrid_write)(out, &a);
    at_annot_free(&a);
}

/* To stdout, or with -o DIR to DIR/<name>.<ext>, name the audio's base name. */
static int write_one(const options *o, out_format fmt, const at_result *r)
{
    static const char *const ext[] = {"txt", "json", "rttm", "TextGrid"};
    if (!o->out_dir) {
        write_format(stdout, fmt, r);
        return fflush(stdout) ? -1 : 0;
    }
    char id[256], path[4096];
    at_file_id(id, sizeof id, r->file);
    snprintf(path, sizeof path, "%s/%s.%s", o->out_dir, id, ext[fmt]);
    FILE *f = fopen(path, "w");
    if (!f) {
        at_error(path, "cannot write (%s)", strerror(errno));
        return -1;
    }
    write_format(f, fmt, r);
    if (fclose(f)) {
        at_error(path, "write error");
        return -1;
    }
    return 0;
}

static int write_outputs(const options *o, const at_result *r)
{
    if (r->oom) {
        at_error(r->file, "out of memory");
        return -1;
    }
    int rc = 0, any = o->json || o->rttm || o->textgrid;
    if (!any)
        rc |= write_one(o, OUT_TEXT, r);
    if (o->json)
        rc |= write_one(o, OUT_JSON, r);
    if (o->rttm)
        rc |= write_one(o, OUT_RTTM, r);
    if (o->textgrid)
        rc |= write_one(o, OUT_TEXTGRID, r);
    return rc;
}

int at_cmd_analyze(int argc, char **argv)
{
    options o;
    int first = parse_options(argc, argv, &o);
    if (first < 0)
        return 2;
    int n_failed = 0;
    for (int i = first; i < argc; i++) {
        at_result r;
        at_result_init(&r);
        if (run_file(&o, argv[i], &r) != 0 || write_outputs(&o, &r) != 0)
            n_failed++;
        at_result_free(&r);
    }
    return n_failed ? 1 : 0;
}
