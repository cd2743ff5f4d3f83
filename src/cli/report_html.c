/* report_html: the coach's report of one call as one HTML file (see
 * report_html.h): header cards, a two-lane timeline in SVG (talk spurts,
 * overlaps, interruptions, backchannels, dead air, goals that slipped), the
 * pace curves, the goals' messages and a player on the call's audio.
 *
 * The SVG is complete as written (it prints and reads without script); each
 * timed shape carries its times (data-t0/data-t1, data-t or data-pts) so the
 * script in report_assets.c can zoom and pan by placing them again.
 * Colours are the Okabe-Ito palette (Okabe & Ito 2008), safe for the common
 * colour-vision deficiencies; every mark also differs by shape, pattern or
 * position and has a text label, so colour is never the only cue. */
#include "report_html.h"

#include "goals.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The timeline's drawing, in SVG units: the plot runs from PLOT_L to PLOT_R. */
#define SVG_W 1200.0
#define PLOT_L 104.0
#define PLOT_R 1184.0
#define FLAG_Y 6.0           /* goals row */
#define LANE_Y0 40.0         /* agent lane (the speaker's on a mono file) */
#define LANE_Y1 92.0         /* customer lane */
#define LANE_H 40.0
#define AXIS_Y 138.0
#define PACE_Y 172.0         /* pace panel: top and height */
#define PACE_H 90.0

static const char *const party_label[2] = {"Agent", "Customer"};
static const char *const party_class[2] = {"agent", "customer"};

void at_html_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* "1:05" or, with tenths, "1:05.3"; hours as "1:02:05". */
static void clock_text(char *buf, size_t n, double t, int tenths)
{
    if (!(t >= 0))
        t = 0;
    long ds = lround(t * 10.0);
    long s = ds / 10, h = s / 3600, m = s / 60 % 60;
    char sec[8];
    if (tenths)
        snprintf(sec, sizeof sec, "%02ld.%ld", s % 60, ds % 10);
    else
        snprintf(sec, sizeof sec, "%02ld", s % 60);
    if (h)
        snprintf(buf, n, "%ld:%02ld:%s", h, m, sec);
    else
        snprintf(buf, n, "%ld:%s", m, sec);
}

static const char *clock_s(double t)
{
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    clock_text(buf[k], sizeof buf[k], t, 1);
    return buf[k];
}

static double xpos(const at_result *r, double t)
{
    double dur = r->m.duration_s > 0 ? r->m.duration_s : 1.0;
    return PLOT_L + t / dur * (PLOT_R - PLOT_L);
}

static double talk_share(const at_result *r, int p)
{
    double all = r->m.party[0].talk_s + r->m.party[1].talk_s;
    return all > 0 ? r->m.party[p].talk_s / all : 0.0;
}

/* ------------------------------------------------------------ head, cards */

static void put_lines(FILE *out, const char *const *lines)
{
    for (; *lines; lines++) {
        fputs(*lines, out);
        fputc('\n', out);
    }
}

static void head(FILE *out, const at_result *r)
{
    const char *base = strrchr(r->file, '/');
    base = base ? base + 1 : r->file;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"attune " ATTUNE_VERSION "\">\n<title>", out);
    at_html_text(out, base);
    fputs(" · call report</title>\n<style>\n", out);
    put_lines(out, at_report_css);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>Call report <span class=\"file\">", out);
    at_html_text(out, base);
    fputs("</span></h1>\n", out);
}

static void card(FILE *out, const char *title, const char *big, const char *sub_html)
{
    fputs("<div class=\"card\"><h2>", out);
    fputs(title, out);
    fputs("</h2><p class=\"big\">", out);
    fputs(big, out);
    fputs("</p><p class=\"sub\">", out);
    fputs(sub_html, out);
    fputs("</p></div>\n", out);
}

static void card_talk(FILE *out, const at_result *r, double target)
{
    char big[64], sub[512];
    double share = talk_share(r, ATTUNE_AGENT), over = 100.0 * (share - target);
    snprintf(big, sizeof big, "%.0f %%", 100.0 * share);
    snprintf(sub, sizeof sub,
             "<span class=\"meter\" role=\"img\" aria-label=\"agent %.0f %%, target at most "
             "%.0f %%\"><span class=\"fill\" style=\"width:%.1f%%\"></span><span class=\"target\" "
             "style=\"left:%.1f%%\"></span></span>target &le; %.0f %%: <b>%s</b>",
             100.0 * share, 100.0 * target, 100.0 * share, 100.0 * target, 100.0 * target,
             over > 0 ? "above" : "within");
    if (over > 0)
        snprintf(sub + strlen(sub), sizeof sub - strlen(sub), " by %.0f points", over);
    snprintf(sub + strlen(sub), sizeof sub - strlen(sub),
             "<br>customer %.0f %%; longest agent monologue %.0f s",
             100.0 * talk_share(r, ATTUNE_CUSTOMER), r->m.party[0].longest_monologue_s);
    card(out, "Agent talk share", big, sub);
}

static void patience_text(char *buf, size_t n, double s)
{
    if (s >= 0)
        snprintf(buf, n, "%.2f s", s);
    else
        snprintf(buf, n, "&mdash;");
}

/* A figure for each party, one line each. */
static void pair(char *buf, size_t n, const char *agent, const char *customer)
{
    snprintf(buf, n, "%s <small>agent</small><br>%s <small>customer</small>", agent, customer);
}

/* The customer's highest 5 s vocal-stress index and when; where stress was
 * not computed (--stress none, or too little speech) the card says so
 * rather than showing a number it does not have. */
static void card_stress(FILE *out, const at_result *r)
{
    const at_ev_vec *v = &r->stress[ATTUNE_CUSTOMER];
    if (v->n == 0) {
        card(out, "Customer stress peak", "<span class=\"na\">not measured</span>",
             "no stress index in this analysis");
        return;
    }
    size_t top = 0;
    for (size_t i = 1; i < v->n; i++)
        if (v->v[i].value > v->v[top].value)
            top = i;
    char big[32], sub[160];
    long t = lround(v->v[top].t1);
    snprintf(big, sizeof big, "%.0f / 100", v->v[top].value);
    snprintf(sub, sizeof sub, "highest 5 s of the customer's speech, ending at %ld:%02ld; "
             "mean %.0f", t / 60, t % 60, r->m.party[ATTUNE_CUSTOMER].stress_mean);
    card(out, "Customer stress peak", big, sub);
}

static void cards_two(FILE *out, const at_result *r, const at_html_opts *o)
{
    const attune_party_metrics *a = &r->m.party[0], *c = &r->m.party[1];
    char big[160], sub[256], va[32], vc[32];
    card_talk(out, r, o->talk_target);
    snprintf(va, sizeof va, "%d", a->n_interruptions_made);
    snprintf(vc, sizeof vc, "%d", c->n_interruptions_made);
    pair(big, sizeof big, va, vc);
    snprintf(sub, sizeof sub, "times each cut in on the other; backchannels: agent %d, "
             "customer %d", a->n_backchannels_made, c->n_backchannels_made);
    card(out, "Interruptions", big, sub);
    patience_text(va, sizeof va, a->patience_s);
    patience_text(vc, sizeof vc, c->patience_s);
    pair(big, sizeof big, va, vc);
    card(out, "Patience", big, "median wait before taking the floor");
    if (a->wpm >= 0 || c->wpm >= 0) {
        snprintf(va, sizeof va, a->wpm >= 0 ? "%.0f" : "&mdash;", a->wpm);
        snprintf(vc, sizeof vc, c->wpm >= 0 ? "%.0f" : "&mdash;", c->wpm);
        pair(big, sizeof big, va, vc);
        card(out, "Pace", big, "words per minute");
    } else {
        card(out, "Pace", "<span class=\"na\">not measured</span>",
             "too little speech to count syllables");
    }
    snprintf(big, sizeof big, "%.0f s", r->m.dead_air_s);
    snprintf(sub, sizeof sub, "%d stretch%s of mutual silence over the threshold",
             r->m.n_dead_air, r->m.n_dead_air == 1 ? "" : "es");
    card(out, "Dead air", big, sub);
    card_stress(out, r);
}

static void cards(FILE *out, const at_result *r, const at_html_opts *o)
{
    char big[64], sub[256];
    clock_text(big, sizeof big, r->m.duration_s, 0);
    snprintf(sub, sizeof sub, "%d Hz, %d channel%s; goals profile ", r->sample_rate,
             r->channels, r->channels == 1 ? "" : "s");
    fputs("<section class=\"cards\" aria-label=\"Summary\">\n", out);
    fputs("<div class=\"card\"><h2>Duration</h2><p class=\"big\">", out);
    fputs(big, out);
    fputs("</p><p class=\"sub\">", out);
    fputs(sub, out);
    at_html_text(out, o->profile ? o->profile : "default");
    fputs("</p></div>\n", out);
    if (r->n_parties == 2) {
        cards_two(out, r, o);
    } else {
        snprintf(big, sizeof big, "%.0f s", r->m.party[0].talk_s);
        card(out, "Talk", big, "one speaker: conversation figures need two channels");
    }
    fputs("</section>\n", out);
}

/* ------------------------------------------------------------ timeline */

static void span_rect(FILE *out, const at_result *r, const char *cls, double t0, double t1,
                      double y, double h)
{
    double x0 = xpos(r, t0), x1 = xpos(r, t1);
    fprintf(out, "<rect class=\"%s\" data-t0=\"%.2f\" data-t1=\"%.2f\" x=\"%.2f\" y=\"%.1f\" "
                 "width=\"%.2f\" height=\"%.1f\">", cls, t0, t1, x0, y, fmax(x1 - x0, 0.5), h);
}

static void defs(FILE *out)
{
    fputs("<defs>\n"
          "<clipPath id=\"plot\"><rect x=\"" , out);
    fprintf(out, "%.0f\" y=\"0\" width=\"%.0f\" height=\"400\"/></clipPath>\n", PLOT_L,
            PLOT_R - PLOT_L);
    fputs("<pattern id=\"hatch-overlap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"ov-bg\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"ov-line\"/></pattern>\n"
          "<pattern id=\"hatch-dead\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(-45)\"><rect width=\"8\" height=\"8\" class=\"da-bg\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" class=\"da-line\"/></pattern>\n"
          "</defs>\n", out);
}

static double lane_y(const at_result *r, int p)
{
    return r->n_parties == 2 && p == ATTUNE_CUSTOMER ? LANE_Y1 : LANE_Y0;
}

static void lanes(FILE *out, const at_result *r)
{
    fprintf(out, "<text class=\"lane-label\" x=\"8\" y=\"%.0f\">Goals</text>\n", FLAG_Y + 16);
    for (int p = 0; p < r->n_parties; p++) {
        double y = lane_y(r, p);
        const char *label = r->n_parties == 1 ? "Speaker"
                            : party_label[p == ATTUNE_CUSTOMER ? ATTUNE_CUSTOMER : ATTUNE_AGENT];
        fprintf(out, "<rect class=\"lane\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\"/>"
                     "<text class=\"lane-label\" x=\"8\" y=\"%.0f\">%s</text>\n",
                PLOT_L, y, PLOT_R - PLOT_L, LANE_H, y + LANE_H / 2 + 5, label);
    }
}

static double lanes_bottom(const at_result *r)
{
    return (r->n_parties == 2 ? LANE_Y1 : LANE_Y0) + LANE_H;
}

static void dead_air(FILE *out, const at_result *r)
{
    double y = LANE_Y0, h = lanes_bottom(r) - LANE_Y0;
    for (size_t i = 0; i < r->dead_air.n; i++) {
        const attune_event *e = &r->dead_air.v[i];
        span_rect(out, r, "deadair", e->t0, e->t1, y, h);
        fprintf(out, "<title>Dead air %s to %s (%.1f s)</title></rect>\n", clock_s(e->t0),
                clock_s(e->t1), e->t1 - e->t0);
    }
}

static void spurts(FILE *out, const at_result *r)
{
    for (int p = 0; p < r->n_parties; p++) {
        char cls[32];
        snprintf(cls, sizeof cls, "spurt %s", r->n_parties == 1 ? "agent" : party_class[p]);
        at_ev_vec_sort(&r->spurts[p]);
        for (size_t i = 0; i < r->spurts[p].n; i++) {
            const attune_event *e = &r->spurts[p].v[i];
            span_rect(out, r, cls, e->t0, e->t1, lane_y(r, p) + 5, LANE_H - 10);
            fprintf(out, "<title>%s speaks %s to %s</title></rect>\n",
                    r->n_parties == 1 ? "Speaker" : party_label[p], clock_s(e->t0),
                    clock_s(e->t1));
        }
    }
}

/* Where both speak: the intersections of the two parties' sorted spurts. */
static void overlaps(FILE *out, const at_result *r)
{
    const at_ev_vec *a = &r->spurts[0], *c = &r->spurts[1];
    size_t i = 0, j = 0;
    while (i < a->n && j < c->n) {
        double t0 = fmax(a->v[i].t0, c->v[j].t0), t1 = fmin(a->v[i].t1, c->v[j].t1);
        if (t1 > t0) {
            span_rect(out, r, "overlap", t0, t1, LANE_Y0 + LANE_H, LANE_Y1 - LANE_Y0 - LANE_H);
            fprintf(out, "<title>Both speak %s to %s</title></rect>\n", clock_s(t0),
                    clock_s(t1));
        }
        if (a->v[i].t1 < c->v[j].t1)
            i++;
        else
            j++;
    }
}

/* A marker at time t: drawn around x = 0 and moved there by a translation. */
static void marker_open(FILE *out, const at_result *r, const char *cls, double t,
                        const char *label)
{
    fprintf(out, "<g class=\"%s\" data-t=\"%.2f\" transform=\"translate(%.2f,0)\" "
                 "tabindex=\"0\" role=\"button\" aria-label=\"", cls, t, xpos(r, t));
    at_html_text(out, label);
    fputs("\"><title>", out);
    at_html_text(out, label);
    fputs("</title>", out);
}

/* An interruption: a line from the interrupter's lane into the other's, and
 * a triangle on the interrupter's side pointing at the party cut off. */
static void interruptions(FILE *out, const at_result *r)
{
    at_ev_vec_sort(&r->interruptions);
    for (size_t i = 0; i < r->interruptions.n; i++) {
        const attune_event *e = &r->interruptions.v[i];
        int by = e->party == ATTUNE_CUSTOMER;
        char label[160];
        snprintf(label, sizeof label, "%s cut in on the %s at %s (both spoke %.1f s)",
                 party_label[by], by ? "agent" : "customer", clock_s(e->t0), e->value);
        marker_open(out, r, by ? "intr by-customer" : "intr by-agent", e->t0, label);
        double y0 = LANE_Y0 + 2, y1 = LANE_Y1 + LANE_H - 2;
        fprintf(out, "<line x1=\"0\" y1=\"%.0f\" x2=\"0\" y2=\"%.0f\"/>", y0, y1);
        if (!by)
            fprintf(out, "<path d=\"M-7 %.0fh14l-7 12z\"/>", LANE_Y0 + 2);
        else
            fprintf(out, "<path d=\"M-7 %.0fh14l-7 -12z\"/>", LANE_Y1 + LANE_H - 2);
        fputs("</g>\n", out);
    }
}

/* A backchannel: a tick under the speaker's lane. */
static void backchannels(FILE *out, const at_result *r)
{
    at_ev_vec_sort(&r->backchannels);
    for (size_t i = 0; i < r->backchannels.n; i++) {
        const attune_event *e = &r->backchannels.v[i];
        int p = e->party == ATTUNE_CUSTOMER;
        double y = lane_y(r, p);
        fprintf(out, "<g class=\"bc %s\" data-t=\"%.2f\" transform=\"translate(%.2f,0)\">"
                     "<line x1=\"0\" y1=\"%.0f\" x2=\"0\" y2=\"%.0f\"/><title>%s backchannel "
                     "at %s</title></g>\n",
                party_class[p], e->t0, xpos(r, e->t0), p ? y + LANE_H - 12 : y,
                p ? y + LANE_H : y + 12, party_label[p], clock_s(e->t0));
    }
}

static double slip_end(const at_result *r, const at_goal_slip *s)
{
    return isfinite(s->end) ? s->end : r->m.duration_s;
}

/* A goal that slipped: a band while it held and a flag where it began. */
static void goal_flags(FILE *out, const at_result *r)
{
    for (size_t i = 0; i < r->goals.n; i++) {
        const at_goal_slip *s = &r->goals.v[i];
        char label[320];
        snprintf(label, sizeof label, "Goal %s (%s) slipped at %s: %s", at_goal_name(s->goal),
                 at_severity_name(s->severity), clock_s(s->start), s->message);
        span_rect(out, r, "slip", s->start, slip_end(r, s), FLAG_Y + 16, 5);
        fputs("</rect>", out);
        marker_open(out, r, "flag", s->start, label);
        fprintf(out, "<line x1=\"0\" y1=\"%.0f\" x2=\"0\" y2=\"%.0f\"/>"
                     "<path d=\"M0 %.0fh18l-5 6l5 6h-18z\"/><text x=\"4\" y=\"%.0f\">%zu</text>"
                     "</g>\n", FLAG_Y, LANE_Y0 - 2, FLAG_Y, FLAG_Y + 10, i + 1);
    }
}

/* Ticks every 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1 h: ten at most. */
static double tick_step(double span)
{
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 10)
            return steps[i];
    return 7200;
}

static void axis(FILE *out, const at_result *r, double y_top, double y_bottom)
{
    double step = tick_step(r->m.duration_s);
    fputs("<g id=\"axis\">", out);
    for (double t = 0; t <= r->m.duration_s + 1e-9; t += step) {
        char c[32];
        clock_text(c, sizeof c, t, 0);
        double x = xpos(r, t);
        fprintf(out, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\"/>"
                     "<text x=\"%.2f\" y=\"%.0f\">%s</text>", x, y_top, x, y_bottom, x,
                AXIS_Y + 14, c);
    }
    fputs("</g>\n", out);
}

static int has_pace(const at_result *r)
{
    return r->pace[0].n > 1 || r->pace[1].n > 1;
}

static double pace_top(const at_result *r)
{
    double top = 200;
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        for (size_t i = 0; i < r->pace[p].n; i++)
            top = fmax(top, r->pace[p].v[i].value);
    return 50.0 * ceil(top / 50.0);
}

/* Words per minute against time, one line a party (the customer's dashed). */
static void pace_panel(FILE *out, const at_result *r)
{
    double top = pace_top(r);
    fprintf(out, "<text class=\"lane-label\" x=\"8\" y=\"%.0f\">Pace</text>"
                 "<text class=\"unit\" x=\"8\" y=\"%.0f\">words/min</text>\n",
            PACE_Y + 16, PACE_Y + 32);
    for (double w = 0; w <= top; w += top / 2) {
        double y = PACE_Y + PACE_H - w / top * PACE_H;
        fprintf(out, "<line class=\"hgrid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
                     "<text class=\"unit\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n",
                PLOT_L, y, PLOT_R, y, PLOT_L - 4, y + 4, w);
    }
    for (int p = 0; p < r->n_parties; p++) {
        const at_ev_vec *v = &r->pace[p];
        if (v->n < 2)
            continue;
        fprintf(out, "<g clip-path=\"url(#plot)\"><polyline class=\"pace %s\" data-pts=\"",
                party_class[p]);
        for (size_t i = 0; i < v->n; i++)
            fprintf(out, "%s%.2f,%.1f", i ? " " : "", v->v[i].t0,
                    PACE_Y + PACE_H - v->v[i].value / top * PACE_H);
        fputs("\" points=\"", out);
        for (size_t i = 0; i < v->n; i++)
            fprintf(out, "%s%.2f,%.1f", i ? " " : "", xpos(r, v->v[i].t0),
                    PACE_Y + PACE_H - v->v[i].value / top * PACE_H);
        fprintf(out, "\"><title>%s pace</title></polyline></g>\n", party_label[p]);
    }
}

static void timeline_svg(FILE *out, const at_result *r)
{
    double bottom = lanes_bottom(r), height = (has_pace(r) ? PACE_Y + PACE_H : AXIS_Y) + 24;
    fprintf(out, "<svg id=\"tl\" viewBox=\"0 0 %.0f %.0f\" data-dur=\"%.2f\" data-l=\"%.0f\" "
                 "data-r=\"%.0f\" data-axis-y=\"%.0f\" data-grid-top=\"%.0f\" "
                 "data-grid-bottom=\"%.0f\" tabindex=\"0\" role=\"group\" aria-label=\"Timeline "
                 "of the call. Left and right arrows move the cursor (with Shift, 10 seconds), "
                 "Enter plays from the cursor, plus and minus zoom, 0 shows the whole call.\" "
                 "aria-describedby=\"tl-help\">\n",
            SVG_W, height, r->m.duration_s, PLOT_L, PLOT_R, AXIS_Y, FLAG_Y + 14,
            has_pace(r) ? PACE_Y + PACE_H : bottom);
    defs(out);
    lanes(out, r);
    axis(out, r, FLAG_Y + 14, has_pace(r) ? PACE_Y + PACE_H : bottom);
    fputs("<g clip-path=\"url(#plot)\">\n", out);
    dead_air(out, r);
    spurts(out, r);
    if (r->n_parties == 2) {
        overlaps(out, r);
        backchannels(out, r);
        interruptions(out, r);
    }
    goal_flags(out, r);
    fprintf(out, "<g id=\"cursor\" data-t=\"0\" transform=\"translate(%.0f,0)\"><line x1=\"0\" "
                 "y1=\"%.0f\" x2=\"0\" y2=\"%.0f\"/></g>\n", PLOT_L, FLAG_Y, bottom + 4);
    fprintf(out, "<g id=\"playhead\" data-t=\"0\" transform=\"translate(%.0f,0)\"><line x1=\"0\" "
                 "y1=\"%.0f\" x2=\"0\" y2=\"%.0f\"/></g>\n", PLOT_L, FLAG_Y, bottom + 4);
    fputs("</g>\n", out);
    if (has_pace(r))
        pace_panel(out, r);
    fputs("</svg>\n", out);
}

/* The legend: each mark's look and its meaning in words. */
static void legend(FILE *out)
{
    fputs("<ul class=\"legend\" aria-label=\"Legend\">"
          "<li><svg width=\"22\" height=\"12\"><rect class=\"spurt agent\" width=\"22\" "
          "height=\"12\"/></svg>agent speaks</li>"
          "<li><svg width=\"22\" height=\"12\"><rect class=\"spurt customer\" width=\"22\" "
          "height=\"12\"/></svg>customer speaks</li>"
          "<li><svg width=\"22\" height=\"12\"><rect class=\"overlap\" width=\"22\" "
          "height=\"12\"/></svg>both speak</li>"
          "<li><svg width=\"16\" height=\"14\" class=\"intr by-agent\"><path d=\"M1 1h14l-7 12z\"/>"
          "</svg>agent cut in (points down at the customer)</li>"
          "<li><svg width=\"16\" height=\"14\" class=\"intr by-customer\"><path d=\"M1 13h14l-7 "
          "-12z\"/></svg>customer cut in (points up at the agent)</li>"
          "<li><svg width=\"8\" height=\"14\" class=\"bc\"><line x1=\"4\" y1=\"1\" x2=\"4\" "
          "y2=\"13\"/></svg>backchannel (&ldquo;mm-hmm&rdquo;)</li>"
          "<li><svg width=\"22\" height=\"12\"><rect class=\"deadair\" width=\"22\" height=\"12\"/>"
          "</svg>dead air</li>"
          "<li><svg width=\"16\" height=\"14\" class=\"flag\"><path d=\"M1 1h12l-4 4l4 4h-12z\"/>"
          "</svg>a goal slipped</li></ul>\n", out);
}

static void controls(FILE *out)
{
    fputs("<div class=\"controls\" role=\"toolbar\" aria-label=\"Zoom\">"
          "<button type=\"button\" id=\"zoom-out\" aria-label=\"Zoom out\">&minus;</button>"
          "<button type=\"button\" id=\"zoom-in\" aria-label=\"Zoom in\">+</button>"
          "<button type=\"button\" id=\"zoom-fit\">Whole call</button>"
          "<label for=\"pan\">Position</label><input type=\"range\" id=\"pan\" min=\"0\" "
          "max=\"1000\" value=\"0\" disabled>"
          "<span id=\"view\" aria-live=\"polite\"></span></div>\n", out);
}

static void player(FILE *out, const at_html_opts *o)
{
    if (!o->audio_href || !o->audio_href[0]) {
        fputs("<p class=\"note\">The call's audio was not found next to this report, so there "
              "is no player.</p>\n", out);
        return;
    }
    fputs("<audio id=\"player\" controls preload=\"metadata\" src=\"", out);
    at_html_text(out, o->audio_href);
    fputs("\">Your browser cannot play the call.</audio>\n", out);
}

static void goals_list(FILE *out, const at_result *r)
{
    fputs("<section class=\"goals\"><h2>Goals that slipped</h2>\n", out);
    if (!r->goals.n) {
        fputs("<p>None: every coaching goal held for the whole call.</p></section>\n", out);
        return;
    }
    fputs("<ol>\n", out);
    for (size_t i = 0; i < r->goals.n; i++) {
        const at_goal_slip *s = &r->goals.v[i];
        fprintf(out, "<li><button type=\"button\" class=\"seek\" data-seek=\"%.2f\" "
                     "aria-label=\"Play from %s\">%s</button> <span class=\"sev %s\">%s</span> "
                     "<b>%s</b> ", s->start, clock_s(s->start), clock_s(s->start),
                at_severity_name(s->severity), at_severity_name(s->severity),
                at_goal_name(s->goal));
        at_html_text(out, s->message);
        if (isfinite(s->end))
            fprintf(out, " <span class=\"until\">(until %s)</span>", clock_s(s->end));
        else
            fputs(" <span class=\"until\">(to the end)</span>", out);
        fputs("</li>\n", out);
    }
    fputs("</ol></section>\n", out);
}

void at_report_html(FILE *out, const at_result *r, const at_html_opts *o)
{
    head(out, r);
    if (strchr(r->file, '/')) {
        fputs("<p class=\"path\">", out);
        at_html_text(out, r->file);
        fputs("</p>\n", out);
    }
    player(out, o);
    fputs("</header>\n<main>\n", out);
    cards(out, r, o);
    fputs("<section class=\"timeline\"><h2>Timeline</h2>\n", out);
    controls(out);
    timeline_svg(out, r);
    fputs("<p id=\"tl-help\" class=\"hint\">Click the timeline to play from there. With the "
          "timeline focused: &larr; &rarr; move the cursor, Enter plays from it, + and "
          "&minus; zoom, 0 shows the whole call. The wheel zooms; Shift+wheel moves. Tab reaches "
          "each interruption and goal flag.</p>\n", out);
    legend(out);
    fputs("</section>\n", out);
    goals_list(out, r);
    fputs("</main>\n<footer>Made by attune " ATTUNE_VERSION
          ". Times are minutes:seconds from the start of the call.</footer>\n<script>\n", out);
    put_lines(out, at_report_js);
    fputs("</script>\n</body>\n</html>\n", out);
}

/* ------------------------------------------------------------ paths */

void at_url_path(char *out, size_t len, const char *p)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t k = 0;
    for (; *p && k + 4 < len; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~", c)) {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    out[k] = '\0';
}

void at_relative_path(char *out, size_t len, const char *dir, const char *file)
{
    char d[PATH_MAX + 1], f[PATH_MAX];
    out[0] = '\0';
    if (!realpath(dir, d) || !realpath(file, f))
        return;
    size_t n = strlen(d);
    if (d[n - 1] != '/')
        strcpy(d + n, "/");
    /* The common folders, then one "../" for each folder of d below them. */
    size_t common = 0;
    for (size_t i = 0; d[i] && d[i] == f[i]; i++)
        if (d[i] == '/')
            common = i + 1;
    size_t k = 0;
    for (const char *c = d + common; *c && k + 4 < len; c++)
        if (*c == '/')
            k += (size_t)snprintf(out + k, len - k, "../");
    snprintf(out + k, len - k, "%s", f + common);
}
