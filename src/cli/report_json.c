/* report_json: the attune.analysis/1 document, one line per file (JSON
 * Lines), documented in README.md.  Fields are only ever added. */
#include "goals.h"
#include "result.h"

#include <math.h>
#include <stdlib.h>

static const char *party_name(const at_result *r, int p)
{
    if (r->n_parties == 1)
        return "speaker";
    return p == ATTUNE_AGENT ? "agent" : "customer";
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void number_or_null(FILE *out, const char *key, double v, int decimals)
{
    if (v >= 0 && isfinite(v))
        fprintf(out, ",\"%s\":%.*f", key, decimals, v);
    else
        fprintf(out, ",\"%s\":null", key);
}

/* Vocal stress where it was computed (--stress): the mean index and a point
 * per 5 s of speech, t its end; the agent's only for research. */
static void stress_json(FILE *out, const at_result *r, int p)
{
    int on = r->stress_who == ATTUNE_STRESS_ALL
             || (r->stress_who == ATTUNE_STRESS_CUSTOMER && p == r->n_parties - 1);
    if (!on)
        return;
    number_or_null(out, "stress_mean", r->m.party[p].stress_mean, 1);
    fputs(",\"stress_timeline\":[", out);
    const at_ev_vec *v = &r->stress[p];
    for (size_t i = 0; i < v->n; i++)
        fprintf(out, "%s{\"t\":%.2f,\"stress\":%.1f}", i ? "," : "", v->v[i].t1, v->v[i].value);
    fputc(']', out);
    if (p != r->n_parties - 1)
        fputs(",\"stress_note\":\"research on consented recordings only: inferring a "
              "worker's emotions at work is forbidden in the EU (AI Act, Art. 5(1)(f))\"", out);
}

/* Pitch and pace; "rel" is the point's pace over the party's baseline. */
static void prosody_json(FILE *out, const at_result *r, int p)
{
    const attune_party_metrics *pm = &r->m.party[p];
    number_or_null(out, "pitch_hz_median", pm->pitch_hz_median, 1);
    number_or_null(out, "pitch_range_st", pm->pitch_range_st, 1);
    number_or_null(out, "syllables_per_s", pm->syllables_per_s, 3);
    number_or_null(out, "wpm", pm->wpm, 1);
    number_or_null(out, "pace_baseline_wpm", pm->pace_baseline_wpm, 1);
    fputs(",\"pace_timeline\":[", out);
    const at_ev_vec *v = &r->pace[p];
    for (size_t i = 0; i < v->n; i++) {
        fprintf(out, "%s{\"t\":%.2f,\"wpm\":%.1f", i ? "," : "", v->v[i].t0, v->v[i].value);
        number_or_null(out, "rel", pm->pace_baseline_wpm > 0
                       ? v->v[i].value / pm->pace_baseline_wpm : -1.0, 3);
        fputc('}', out);
    }
    fputc(']', out);
    stress_json(out, r, p);
}

static void party_json(FILE *out, const at_result *r, int p)
{
    const attune_party_metrics *pm = &r->m.party[p];
    double all = 0;
    for (int i = 0; i < r->n_parties; i++)
        all += r->m.party[i].talk_s;
    fprintf(out, "\"%s\":{\"channel\":%d,\"talk_s\":%.2f,", party_name(r, p),
            r->channel_of[p], pm->talk_s);
    if (r->n_parties == 2) {
        fprintf(out, "\"talk_share\":%.4f,\"turns\":%d,\"longest_monologue_s\":%.2f,",
                all > 0 ? pm->talk_s / all : 0.0, pm->n_turns, pm->longest_monologue_s);
        if (pm->patience_s >= 0)
            fprintf(out, "\"patience_s\":%.3f,", pm->patience_s);
        else
            fputs("\"patience_s\":null,", out);
        fprintf(out, "\"interruptions_made\":%d,\"backchannels_made\":%d,",
                pm->n_interruptions_made, pm->n_backchannels_made);
    } else {
        fputs("\"talk_share\":null,\"turns\":null,\"longest_monologue_s\":null,"
              "\"patience_s\":null,\"interruptions_made\":null,\"backchannels_made\":null,", out);
    }
    fputs("\"segments\":[", out);
    const at_ev_vec *v = &r->spurts[p];
    at_ev_vec_sort(v);
    for (size_t i = 0; i < v->n; i++)
        fprintf(out, "%s[%.2f,%.2f]", i ? "," : "", v->v[i].t0, v->v[i].t1);
    fputc(']', out);
    prosody_json(out, r, p);
    fputc('}', out);
}

static void conversation_json(FILE *out, const at_result *r)
{
    const char *names[2] = {"agent", "customer"};
    fprintf(out, "\"conversation\":{\"overtalk_s\":%.2f,\"silence_s\":%.2f,\"dead_air\":[",
            r->m.overtalk_s, r->m.silence_s);
    at_ev_vec_sort(&r->dead_air);
    for (size_t i = 0; i < r->dead_air.n; i++)
        fprintf(out, "%s{\"start\":%.2f,\"end\":%.2f}", i ? "," : "",
                r->dead_air.v[i].t0, r->dead_air.v[i].t1);
    fputs("],\"interruptions\":[", out);
    at_ev_vec_sort(&r->interruptions);
    for (size_t i = 0; i < r->interruptions.n; i++) {
        const attune_event *e = &r->interruptions.v[i];
        fprintf(out, "%s{\"t\":%.2f,\"by\":\"%s\",\"overlap_s\":%.2f}", i ? "," : "", e->t0,
                names[e->party], e->value);
    }
    fputs("],\"backchannels\":[", out);
    at_ev_vec_sort(&r->backchannels);
    for (size_t i = 0; i < r->backchannels.n; i++) {
        const attune_event *e = &r->backchannels.v[i];
        fprintf(out, "%s{\"t\":%.2f,\"by\":\"%s\"}", i ? "," : "", e->t0, names[e->party]);
    }
    fputs("],\"response_gaps\":[", out);
    /* A gap's event time is when the floor was taken (t1). */
    at_ev_vec_sort(&r->gaps);
    for (size_t i = 0; i < r->gaps.n; i++) {
        const attune_event *e = &r->gaps.v[i];
        fprintf(out, "%s{\"t\":%.2f,\"by\":\"%s\",\"gap_s\":%.2f}", i ? "," : "", e->t1,
                names[e->party], e->value);
    }
    fputs("]}", out);
}

static void finite_or_null(FILE *out, const char *key, double v, int decimals)
{
    if (isfinite(v))
        fprintf(out, ",\"%s\":%.*f", key, decimals, v);
    else
        fprintf(out, ",\"%s\":null", key);
}

/* Where each coaching goal slipped (goals.h); times in stream seconds, end
 * null while the alert was still active at the end. */
static void goals_json(FILE *out, const at_result *r)
{
    fputs(",\"goals\":[", out);
    for (size_t i = 0; i < r->goals.n; i++) {
        const at_goal_slip *s = &r->goals.v[i];
        fprintf(out, "%s{\"id\":%d,\"goal\":\"%s\",\"severity\":\"%s\",\"start\":%.2f",
                i ? "," : "", s->id, at_goal_name(s->goal), at_severity_name(s->severity),
                s->start);
        finite_or_null(out, "end", s->end, 2);
        finite_or_null(out, "value", s->value, 4);
        finite_or_null(out, "threshold", s->threshold, 4);
        finite_or_null(out, "dismissed_at", s->dismissed_at, 2);
        fputs(",\"message\":", out);
        json_string(out, s->message);
        fputc('}', out);
    }
    fputc(']', out);
}

void at_report_json(FILE *out, const at_result *r)
{
    fputs("{\"schema\":\"attune.analysis/1\",\"file\":", out);
    json_string(out, r->file);
    fprintf(out, ",\"duration_s\":%.2f,\"sample_rate\":%d,\"channels\":%d,\"parties\":{",
            r->m.duration_s, r->sample_rate, r->channels);
    for (int p = 0; p < r->n_parties; p++) {
        if (p)
            fputc(',', out);
        party_json(out, r, p);
    }
    fputs("},", out);
    if (r->n_parties == 2) {
        conversation_json(out, r);
    } else {
        fprintf(out, "\"conversation\":{\"overtalk_s\":null,\"silence_s\":%.2f,\"dead_air\":null,"
                     "\"interruptions\":null,\"backchannels\":null,\"response_gaps\":null,"
                     "\"note\":\"conversation metrics need two channels, one party each\"}",
                r->m.silence_s);
    }
    goals_json(out, r);
    fputs("}\n", out);
}
