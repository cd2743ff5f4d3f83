/* score: `attune score --ref REF HYP...`, an analysis (usually attune's
 * JSON) against a reference (RTTM, TextGrid or analysis JSON): diarization
 * error, frame agreement, interruptions, talk share and patience, per
 * recording and in total, as a table or one JSON document. */
#include "annot.h"
#include "cli.h"
#include "scoring.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double collar;
    int json;
    attune_config cfg;
    at_annot_list ref, hyp;
} score_opts;

static void json_id(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, out);
    }
    fputc('"', out);
}

static void json_num(FILE *out, const char *key, double v)
{
    fprintf(out, "\"%s\":", key);
    if (isnan(v))
        fputs("null", out);
    else if (isinf(v))
        fputs("\"inf\"", out);
    else
        fprintf(out, "%.10g", v);
}

static void json_score(FILE *out, const at_score *s, const at_annot *hyp)
{
    double p, r, f1;
    at_score_prf(s, &p, &r, &f1);
    json_num(out, "scored_s", s->scored_s);
    fputc(',', out);
    json_num(out, "reference_speech_s", s->ref_s);
    fputc(',', out);
    json_num(out, "missed_s", s->missed_s);
    fputc(',', out);
    json_num(out, "false_alarm_s", s->false_alarm_s);
    fputc(',', out);
    json_num(out, "confusion_s", s->confusion_s);
    fputc(',', out);
    json_num(out, "der", at_score_der(s));
    fputc(',', out);
    json_num(out, "frame_agreement", at_score_frame_agreement(s));
    fputc(',', out);
    json_num(out, "talk_share_err_pp", at_score_talk_share_err(s));
    fputs(",\"interruptions\":", out);
    if (s->n_events) {
        fprintf(out, "{\"tp\":%d,\"fp\":%d,\"fn\":%d,", s->tp, s->fp, s->fn);
        json_num(out, "precision", p);
        fputc(',', out);
        json_num(out, "recall", r);
        fputc(',', out);
        json_num(out, "f1", f1);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    fputc(',', out);
    json_num(out, "patience_err_s", at_score_patience_err(s));
    if (!hyp || !s->n_parties_scored)
        return;
    fputs(",\"party\":{", out);
    for (int q = 0; q < 2; q++) {
        fprintf(out, "%s\"%s\":{", q ? "," : "", hyp->track[q].name);
        json_num(out, "frame_agreement", (double)s->party_agree[q] / (double)s->party_frames);
        fputc(',', out);
        json_num(out, "patience_err_s", s->patience_party_s[q]);
        fputc('}', out);
    }
    fputc('}', out);
}

static void cell(FILE *out, const char *fmt, double v, double scale)
{
    if (isnan(v))
        fprintf(out, " %8s", "-");
    else
        fprintf(out, fmt, v * scale);
}

static void text_row(FILE *out, const char *name, const at_score *s)
{
    double p, r, f1, ref = s->ref_s > 0 ? s->ref_s : NAN;
    at_score_prf(s, &p, &r, &f1);
    fprintf(out, "%-24.24s %s", name, s->n_speech_only == s->n_files ? "speech " : "parties");
    cell(out, " %8.2f", at_score_der(s), 100);
    cell(out, " %8.2f", s->missed_s / ref, 100);
    cell(out, " %8.2f", s->false_alarm_s / ref, 100);
    cell(out, " %8.2f", s->confusion_s / ref, 100);
    cell(out, " %8.4f", at_score_frame_agreement(s), 1);
    cell(out, " %8.2f", at_score_talk_share_err(s), 1);
    cell(out, " %8.3f", f1, 1);
    cell(out, " %8.3f", at_score_patience_err(s), 1);
    fputc('\n', out);
}

/* The hypothesis for ref: the one with its id, or the only one. */
static const at_annot *pair_of(const score_opts *o, const at_annot *ref)
{
    if (o->ref.n == 1 && o->hyp.n == 1)
        return &o->hyp.v[0];
    for (size_t i = 0; i < o->hyp.n; i++)
        if (!strcmp(o->hyp.v[i].id, ref->id))
            return &o->hyp.v[i];
    return NULL;
}

static int read_into(at_annot_list *list, const char *path)
{
    char err[512];
    if (at_annot_read(list, path, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "attune: %s\n", err);
    return -1;
}

static int parse_args(score_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = at_config_arg(&o->cfg, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--ref") || !strcmp(a, "--collar")) {
            if (i + 1 >= argc) {
                at_error(a, "expects a value");
                return -1;
            }
            const char *v = argv[++i];
            char *end;
            if (a[2] == 'c' && ((o->collar = strtod(v, &end)) < 0 || *end || end == v)) {
                at_error(a, "'%s' is not a time in seconds", v);
                return -1;
            }
            if (a[2] == 'r' && read_into(&o->ref, v))
                return -1;
        } else if (a[0] == '-' && a[1]) {
            at_error(a, "unknown option (usage: attune score --ref REF [--collar S] [--json] HYP...)");
            return -1;
        } else if (read_into(&o->hyp, a)) {
            return -1;
        }
    }
    if (at_config_ready(&o->cfg))
        return -1;
    if (!o->ref.n || !o->hyp.n) {
        at_error("score", "needs a reference and a hypothesis (usage: attune score --ref REF HYP...)");
        return -1;
    }
    return 0;
}

/* Scores one reference recording and prints its row; 0, or 1 on error. */
static int score_one(score_opts *o, at_annot *ref, at_score *total)
{
    const at_annot *hyp = pair_of(o, ref);
    if (!hyp) {
        at_error(ref->id, "no hypothesis for this recording");
        return 1;
    }
    at_annot_derive(ref, &o->cfg);
    at_score s;
    if (at_score_pair(ref, hyp, o->collar, &s)) {
        at_error(ref->id, "out of memory");
        return 1;
    }
    at_score_add(total, &s);
    if (!o->json) {
        text_row(stdout, ref->id, &s);
        return 0;
    }
    printf("%s{\"file\":", total->n_files > 1 ? "," : "");
    json_id(stdout, ref->id);
    printf(",\"mode\":\"%s\",", s.n_speech_only ? "speech" : "parties");
    json_score(stdout, &s, hyp);
    putchar('}');
    return 0;
}

int at_cmd_score(int argc, char **argv)
{
    score_opts o;
    memset(&o, 0, sizeof o);
    o.collar = 0.25;
    attune_config_init(&o.cfg);
    if (parse_args(&o, argc, argv)) {
        at_annot_list_free(&o.ref);
        at_annot_list_free(&o.hyp);
        return 2;
    }
    for (size_t i = 0; i < o.hyp.n; i++)
        at_annot_derive(&o.hyp.v[i], &o.cfg);
    if (o.json)
        printf("{\"schema\":\"attune.score/1\",\"collar_s\":%g,\"files\":[", o.collar);
    else
        printf("%-24s %-7s %8s %8s %8s %8s %8s %8s %8s %8s\n", "file", "mode", "DER%", "miss%",
               "FA%", "conf%", "frames", "share_pp", "int_F1", "pat_s");
    at_score total;
    memset(&total, 0, sizeof total);
    int failed = 0;
    for (size_t i = 0; i < o.ref.n; i++)
        failed |= score_one(&o, &o.ref.v[i], &total);
    if (o.json) {
        printf("],\"total\":{\"files\":%d,", total.n_files);
        json_score(stdout, &total, NULL);
        puts("}}");
    } else if (total.n_files) {
        text_row(stdout, "TOTAL", &total);
    }
    at_annot_list_free(&o.ref);
    at_annot_list_free(&o.hyp);
    return failed ? 1 : 0;
}
