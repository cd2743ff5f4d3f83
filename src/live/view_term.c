/* view_term: the terminal view (see view.h).  On a terminal it redraws a
 * small panel in place and reads single keys (d: dismiss, q: quit) with
 * the terminal in non-canonical mode, restored on close; elsewhere (a pipe,
 * a log file) it writes a plain status line each second and a line per
 * alert change. */
#include "view.h"

#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct shown {
    int id;
    at_severity severity;
    char message[160];
} shown;

typedef struct term_view {
    FILE *out;
    int tty, keys, colour;
    at_view_targets targets;
    struct termios saved;
    char source[256];
    shown alerts[AT_N_GOALS];           /* by goal; id 0 = none */
    int n_updates;
} term_view;

static void mmss(char *buf, size_t n, double s)
{
    int m = (int)(s / 60.0);
    snprintf(buf, n, "%d:%04.1f", m, s - 60.0 * m);
}

static double pct(double part, double all) { return all > 0 ? 100.0 * part / all : 0.0; }

/* ANSI colour, or nothing on a terminal without it. */
static const char *ansi(const term_view *v, const char *code) { return v->colour ? code : ""; }

#define BOLD "\033[1m"
#define DIM "\033[2m"
#define OFF "\033[0m"
static const char *const sev_colour[3] = {"\033[36m", "\033[33m", "\033[1;31m"};
static const char *const sev_word[3] = {"NOTE", "WARNING", "CRITICAL"};

static void draw_alerts(term_view *v)
{
    int any = 0;
    for (int g = 0; g < AT_N_GOALS; g++) {
        const shown *a = &v->alerts[g];
        if (!a->id)
            continue;
        int sev = a->severity <= AT_SEV_CRITICAL ? (int)a->severity : AT_SEV_WARNING;
        fprintf(v->out, "  %s%s %s%s  %s\n", ansi(v, sev_colour[sev]),
                sev == AT_SEV_INFO ? "-" : "!", sev_word[sev], ansi(v, OFF), a->message);
        any = 1;
    }
    if (!any)
        fprintf(v->out, "  %son track%s\n", ansi(v, "\033[32m"), ansi(v, OFF));
}

static void draw_panel(term_view *v, const at_snapshot *s)
{
    FILE *f = v->out;
    const attune_metrics *m = &s->m;
    const at_view_targets *tg = &v->targets;
    double all = m->party[0].talk_s + m->party[1].talk_s;
    char t[32];
    mmss(t, sizeof t, s->t_s);
    fprintf(f, "\033[H\033[J");
    fprintf(f, "%sattune live  %s%s  %s%s%s\n\n", ansi(v, BOLD), t, ansi(v, OFF), ansi(v, DIM),
            v->source, ansi(v, OFF));
    fprintf(f, "  talk      you %3.0f %%", pct(m->party[0].talk_s, all));
    if (isfinite(s->share_window))
        fprintf(f, " (last 2 min %3.0f %%)", 100.0 * s->share_window);
    fprintf(f, "  customer %3.0f %%  %starget <= %.0f %%%s\n", pct(m->party[1].talk_s, all),
            ansi(v, DIM), 100.0 * tg->share_max, ansi(v, OFF));
    double n_int = s->value[AT_GOAL_INTERRUPTIONS];
    fprintf(f, "  patience  interruptions %d in the window (%d all call), last gap ",
            isfinite(n_int) ? (int)n_int : 0, m->party[0].n_interruptions_made);
    if (isfinite(s->last_gap_s))
        fprintf(f, "%.1f s", s->last_gap_s);
    else
        fputs("-", f);
    fprintf(f, ", longest monologue %.0f s\n", m->party[0].longest_monologue_s);
    double wpm = s->value[AT_GOAL_PACE], rise = s->value[AT_GOAL_STRESS];
    if (tg->pace_on && isfinite(wpm))
        fprintf(f, "  pace      %.0f wpm %s(target %.0f-%.0f)%s", wpm, ansi(v, DIM),
                tg->pace_low_wpm, tg->pace_high_wpm, ansi(v, OFF));
    else
        fputs("  pace      -", f);
    if (tg->stress_on && isfinite(rise))
        fprintf(f, "   customer stress %s (%+.2f)\n",
                rise > 0.05 ? "rising" : rise < -0.05 ? "easing" : "steady", rise);
    else
        fputs("   customer stress -\n", f);
    fprintf(f, "  dead air  %d (%.0f s)   overruns %llu\n\n", m->n_dead_air, m->dead_air_s,
            (unsigned long long)s->n_overruns);
    draw_alerts(v);
    fputs(v->keys ? "\n  [d] dismiss alerts   [q] end the session\n" : "\n", f);
    fflush(f);
}

static void update(void *self, const at_snapshot *s)
{
    term_view *v = self;
    if (v->tty) {
        draw_panel(v, s);
        return;
    }
    if (v->n_updates++ % 4)
        return;
    const attune_metrics *m = &s->m;
    double all = m->party[0].talk_s + m->party[1].talk_s;
    char t[32];
    mmss(t, sizeof t, s->t_s);
    fprintf(v->out, "%s  agent talk %.0f %%, interruptions agent %d customer %d, dead air %d, "
                    "overruns %llu\n", t, pct(m->party[0].talk_s, all),
            m->party[0].n_interruptions_made, m->party[1].n_interruptions_made, m->n_dead_air,
            (unsigned long long)s->n_overruns);
    fflush(v->out);
}

static void alert(void *self, const at_alert *a)
{
    term_view *v = self;
    shown *s = &v->alerts[a->goal];
    if (a->kind == AT_ALERT_FIRED) {
        s->id = a->id;
        s->severity = a->severity;
        snprintf(s->message, sizeof s->message, "%s", a->message);
    } else if (s->id == a->id) {
        s->id = 0;
    }
    if (!v->tty) {
        char t[32];
        mmss(t, sizeof t, a->t_s);
        const char *what = a->kind == AT_ALERT_FIRED     ? "ALERT"
                           : a->kind == AT_ALERT_CLEARED ? "cleared"
                                                         : "dismissed";
        fprintf(v->out, "%s  %s %s: %s\n", t, what, at_goal_name(a->goal), a->message);
        fflush(v->out);
    }
}

static at_view_action poll_keys(void *self)
{
    term_view *v = self;
    if (!v->keys)
        return AT_VIEW_NOTHING;
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
        char c;
        if (read(STDIN_FILENO, &c, 1) != 1)
            return AT_VIEW_NOTHING;
        if (c == 'd' || c == 'D')
            return AT_VIEW_DISMISS;
        if (c == 'q' || c == 'Q')
            return AT_VIEW_QUIT;
    }
    return AT_VIEW_NOTHING;
}

static void term_close(void *self)
{
    term_view *v = self;
    if (v->keys)
        tcsetattr(STDIN_FILENO, TCSANOW, &v->saved);
    free(v);
}

static const at_view_ops term_ops = {"term", update, alert, poll_keys, term_close};

void at_view_targets_init(at_view_targets *t, const at_goals_profile *p)
{
    const at_goal_cfg *pace = &p->goal[AT_GOAL_PACE];
    t->share_max = p->goal[AT_GOAL_LISTENING].threshold;
    t->pace_low_wpm = pace->low;
    t->pace_high_wpm = pace->threshold;
    t->interruptions_max = p->goal[AT_GOAL_INTERRUPTIONS].threshold;
    t->pace_on = pace->enabled;
    t->stress_on = p->goal[AT_GOAL_STRESS].enabled;
}

int at_view_term_open(at_view *view, FILE *out, const char *source, const at_view_targets *t,
                      int keys)
{
    term_view *v = calloc(1, sizeof *v);
    if (!v)
        return -1;
    v->out = out;
    v->tty = isatty(fileno(out));
    v->targets = *t;
    const char *term = getenv("TERM");
    v->colour = v->tty && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
    snprintf(v->source, sizeof v->source, "%s", source);
    if (keys && v->tty && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &v->saved) == 0) {
        struct termios raw = v->saved;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 0;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        v->keys = 1;
    }
    view->ops = &term_ops;
    view->self = v;
    return 0;
}
