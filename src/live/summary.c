/* summary: the session summary file (see summary.h). */
#include "summary.h"
#include "events.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void alerts_json(FILE *f, const at_session_info *s)
{
    static const char *const kinds[] = {"", "fired", "cleared", "dismissed"};
    fputs(",\"alerts\":[", f);
    for (size_t i = 0; i < s->n_alerts; i++) {
        const at_alert *a = &s->alerts[i].alert;
        fprintf(f, "%s{\"id\":%d,\"goal\":\"%s\",\"change\":\"%s\",\"t\":%.2f,\"wall_s\":%.3f",
                i ? "," : "", a->id, at_goal_name(a->goal), kinds[a->kind], a->t_s,
                s->alerts[i].wall_s);
        if (isfinite(a->value))
            fprintf(f, ",\"value\":%.4f", a->value);
        fputs(",\"message\":", f);
        at_json_str(f, a->message);
        fputc('}', f);
    }
    fputc(']', f);
}

static void dismissals_json(FILE *f, const at_result *r)
{
    fputs(",\"dismissals\":[", f);
    int first = 1;
    for (size_t i = 0; i < r->goals.n; i++) {
        const at_goal_slip *g = &r->goals.v[i];
        if (!isfinite(g->dismissed_at))
            continue;
        fprintf(f, "%s{\"id\":%d,\"goal\":\"%s\",\"t\":%.2f,\"fired\":%.2f}", first ? "" : ",",
                g->id, at_goal_name(g->goal), g->dismissed_at, g->start);
        first = 0;
    }
    fputc(']', f);
}

int at_summary_write(const char *path, const at_session_info *s, const at_result *r, char *err,
                     size_t err_len)
{
    char part[1100];
    snprintf(part, sizeof part, "%s.part", path);
    FILE *f = fopen(part, "w");
    if (!f) {
        snprintf(err, err_len, "%s: cannot create (%s)", part, strerror(errno));
        return -1;
    }
    fputs("{\"schema\":\"attune.session/1\",\"source\":", f);
    at_json_str(f, s->source);
    fputs(",\"profile\":", f);
    at_json_str(f, s->profile);
    fputs(",\"started\":", f);
    at_json_str(f, s->started_iso);
    fprintf(f, ",\"complete\":%s,\"ended_because\":", s->complete ? "true" : "false");
    at_json_str(f, s->reason);
    fputs(",\"recording\":", f);
    if (s->recording)
        at_json_str(f, s->recording);
    else
        fputs("null", f);
    fprintf(f, ",\"wall_s\":%.3f,\"dsp_cpu_s\":%.4f,\"overruns\":%llu,\"dropped_samples\":%llu,"
               "\"callbacks_without_input\":%llu,\"messages_dropped\":%llu,\"bad_blocks\":%llu",
            s->wall_s, s->dsp_cpu_s, (unsigned long long)s->n_overruns,
            (unsigned long long)s->n_dropped, (unsigned long long)s->n_no_input,
            (unsigned long long)s->n_msgs_dropped, (unsigned long long)s->n_bad_blocks);
    alerts_json(f, s);
    dismissals_json(f, r);
    fputs(",\"analysis\":", f);
    at_report_json(f, r);
    fputs("}\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        snprintf(err, err_len, "%s: write failed (%s)", part, strerror(errno));
        return -1;
    }
    if (rename(part, path) != 0) {
        snprintf(err, err_len, "%s: cannot rename from %s (%s)", path, part, strerror(errno));
        return -1;
    }
    return 0;
}
