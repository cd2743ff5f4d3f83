/* events: the JSON Lines sink (see events.h). */
#include "events.h"

#include <errno.h>
#include <math.h>
#include <string.h>

void at_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int at_events_open(at_events *e, const char *path, char *err, size_t err_len)
{
    memset(e, 0, sizeof *e);
    if (!path)
        return 0;
    if (!strcmp(path, "-")) {
        e->f = stdout;
        e->is_stdout = 1;
        return 0;
    }
    e->f = fopen(path, "w");
    if (!e->f) {
        snprintf(err, err_len, "%s: cannot create (%s)", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void num(FILE *f, const char *key, double v, int decimals)
{
    if (isfinite(v))
        fprintf(f, ",\"%s\":%.*f", key, decimals, v);
    else
        fprintf(f, ",\"%s\":null", key);
}

void at_events_start(at_events *e, const char *source, int rate, const char *profile,
                     const char *started_iso)
{
    if (!e->f)
        return;
    fputs("{\"event\":\"session_start\",\"schema\":\"attune.live/1\",\"t\":0.00,\"wall_s\":0.000,"
          "\"source\":", e->f);
    at_json_str(e->f, source);
    fprintf(e->f, ",\"sample_rate\":%d,\"profile\":", rate);
    at_json_str(e->f, profile);
    fputs(",\"started\":", e->f);
    at_json_str(e->f, started_iso);
    fputs("}\n", e->f);
    fflush(e->f);
}

static void alert_line(FILE *f, const at_live_msg *m)
{
    static const char *const kinds[] = {"", "alert", "alert_cleared", "alert_dismissed"};
    const at_alert *a = &m->alert;
    fprintf(f, "{\"event\":\"%s\",\"t\":%.2f,\"wall_s\":%.3f,\"id\":%d,\"goal\":\"%s\","
               "\"severity\":\"%s\"", kinds[a->kind], a->t_s, m->wall_s, a->id,
            at_goal_name(a->goal), at_severity_name(a->severity));
    num(f, "since", a->since_s, 2);
    num(f, "value", a->value, 4);
    num(f, "threshold", a->threshold, 4);
    fputs(",\"message\":", f);
    at_json_str(f, a->message);
    fputs("}\n", f);
}

/* An interruption or backchannel: t is when it was known (stream time),
 * start when it began. */
static void event_line(FILE *f, const at_live_msg *m)
{
    const attune_event *ev = &m->ev;
    int intr = ev->type == ATTUNE_EV_INTERRUPTION;
    fprintf(f, "{\"event\":\"%s\",\"t\":%.2f,\"wall_s\":%.3f,\"by\":\"%s\",\"start\":%.2f",
            intr ? "interruption" : "backchannel", m->t_s, m->wall_s,
            ev->party == ATTUNE_AGENT ? "agent" : "customer", ev->t0);
    if (intr)
        fprintf(f, ",\"overlap_s\":%.2f}\n", ev->value);
    else
        fprintf(f, ",\"end\":%.2f}\n", ev->t1);
}

static void metrics_line(FILE *f, const at_live_msg *m)
{
    const attune_metrics *x = &m->m;
    double all = x->party[0].talk_s + x->party[1].talk_s;
    fprintf(f, "{\"event\":\"metrics\",\"t\":%.2f,\"wall_s\":%.3f", m->t_s, m->wall_s);
    num(f, "agent_talk_share", all > 0 ? x->party[0].talk_s / all : NAN, 4);
    num(f, "agent_talk_share_window", m->share_window, 4);
    const char *names[2] = {"agent", "customer"};
    for (int p = 0; p < 2; p++)
        fprintf(f, ",\"%s\":{\"talk_s\":%.2f,\"turns\":%d,\"interruptions_made\":%d,"
                   "\"longest_monologue_s\":%.2f}",
                names[p], x->party[p].talk_s, x->party[p].n_turns,
                x->party[p].n_interruptions_made, x->party[p].longest_monologue_s);
    fprintf(f, ",\"dead_air_s\":%.2f,\"overruns\":%llu}\n", x->dead_air_s,
            (unsigned long long)m->n_overruns);
}

void at_events_message(at_events *e, const at_live_msg *m)
{
    if (!e->f)
        return;
    if (m->kind == AT_MSG_ALERT)
        alert_line(e->f, m);
    else if (m->kind == AT_MSG_EVENT)
        event_line(e->f, m);
    else
        metrics_line(e->f, m);
    fflush(e->f);
}

void at_events_end(at_events *e, double t_s, double wall_s, const char *reason,
                   uint64_t n_overruns, const char *summary_path)
{
    if (!e->f)
        return;
    fprintf(e->f, "{\"event\":\"session_end\",\"t\":%.2f,\"wall_s\":%.3f,\"reason\":", t_s,
            wall_s);
    at_json_str(e->f, reason);
    fprintf(e->f, ",\"overruns\":%llu,\"summary\":", (unsigned long long)n_overruns);
    at_json_str(e->f, summary_path);
    fputs("}\n", e->f);
    fflush(e->f);
}

void at_events_close(at_events *e)
{
    if (e->f && !e->is_stdout)
        fclose(e->f);
    e->f = NULL;
}
