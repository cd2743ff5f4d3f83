/* speakers: mono calls as two parties in the CLI (see speakers.h). */
#include "speakers.h"

#include "cli.h"

#include <stdio.h>
#include <string.h>

void at_speakers_init(at_speakers_opts *s)
{
    memset(s, 0, sizeof *s);
    s->first_party = ATTUNE_AGENT;
}

int at_speakers_arg(at_speakers_opts *s, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!strcmp(a, "--first-speaker")) {
        if (!val || (strcmp(val, "agent") && strcmp(val, "customer"))) {
            at_error(a, "expects agent or customer");
            return -1;
        }
        s->first_party = val[0] == 'a' ? ATTUNE_AGENT : ATTUNE_CUSTOMER;
    } else if (!strcmp(a, "--agent-voice")) {
        if (!val) {
            at_error(a, "expects a sound file of the agent's voice");
            return -1;
        }
        s->agent_voice = val;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

/* The enrolment clip through a diarizing pipeline: the voice of its speech. */
static int enrol(const char *path, const attune_config *cfg, attune_voice *v, char *err,
                 size_t n)
{
    at_audio_in a;
    if (at_audio_open(&a, path, -1, -1, 1, err, n))
        return -1;
    int status, rc = -1;
    attune_pipeline *p = attune_pipeline_new(cfg, a.info.samplerate, 1, NULL, NULL, &status);
    if (!p || attune_pipeline_diarize(p, (double)a.info.frames / a.info.samplerate + 1.0,
                                       ATTUNE_AGENT)) {
        snprintf(err, n, "%s", attune_strerror(p ? ATTUNE_ERR_NOMEM : status));
        goto done;
    }
    for (;;) {
        long got = at_audio_read(&a, err, n);
        if (got <= 0) {
            rc = got;
            break;
        }
        const float *ch[1] = {a.planar[0]};
        if (attune_pipeline_push(p, ch, (size_t)got)) {
            snprintf(err, n, "bad samples");
            break;
        }
    }
    if (rc == 0) {
        attune_pipeline_finish(p);
        attune_pipeline_voice(p, v);
        if (v->n_frames < 100) {
            snprintf(err, n, "under 1 s of speech: too little to know a voice by");
            rc = -1;
        }
    }
done:
    attune_pipeline_free(p);
    at_audio_close(&a);
    return rc;
}

int at_speakers_ready(at_speakers_opts *s, const attune_config *cfg)
{
    char err[320];
    if (!s->agent_voice)
        return 0;
    if (enrol(s->agent_voice, cfg, &s->voice, err, sizeof err)) {
        at_error(s->agent_voice, "%s", err);
        return -1;
    }
    return 0;
}

int at_speakers_begin(const at_speakers_opts *s, attune_pipeline *p, const at_audio_in *a,
                      at_result *r, char *err, size_t err_len)
{
    double dur = (double)a->info.frames / a->info.samplerate + 1.0;
    int rc = attune_pipeline_diarize(p, dur, s->first_party);
    if (rc == 0 && s->agent_voice)
        rc = attune_pipeline_set_agent_voice(p, &s->voice);
    if (rc) {
        snprintf(err, err_len, "%s", attune_strerror(rc));
        return -1;
    }
    r->n_parties = 2;
    r->channel_of[0] = r->channel_of[1] = a->map[0];
    return 0;
}
