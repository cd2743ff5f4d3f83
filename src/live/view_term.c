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
    int tty, keys;
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

static void draw_panel(term_view *v, const at_snapshot *s)
{
    FILE *f = v->out;
    const attune_metrics *m = &s->m;
    double all = m->party[0].talk_s + m->party[1].talk_s;
    char t[32];
    mmss(t, sizeof t, s->t_s);
    fprintf(f, "\033[H\033[J");
    fprintf(f, "attune live  %s  %s\n\n", t, v->source);
    fprintf(f, "  agent     talk %3.0f %%", pct(m->party[0].talk_s, all));
    if (isfinite(s->share_window))
        fprintf(f, " (recent %3.0f %%)", 100.0 * s->share_window);
    fprintf(f, "  interruptions %d  longest monologue %.0f s\n", m->party[0].n_interruptions_made,
            m->party[0].longest_monologue_s);
    fprintf(f, "  customer  talk %3.0f %%  interruptions %d\n", pct(m->party[1].talk_s, all),
            m->party[1].n_interruptions_made);
    fprintf(f, "  dead air  %d (%.0f s)   overruns %llu\n\n", m->n_dead_air, m->dead_air_s,
            (unsigned long long)s->n_overruns);
    int any = 0;
    for (int g = 0; g < AT_N_GOALS; g++) {
        const shown *a = &v->alerts[g];
        if (!a->id)
            continue;
        fprintf(f, "  %s %s\n", a->severity == AT_SEV_INFO ? "-" : "!", a->message);
        any = 1;
    }
    if (!any)
        fputs("  all goals on track\n", f);
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

int at_view_term_open(at_view *view, FILE *out, const char *source, int keys)
{
    term_view *v = calloc(1, sizeof *v);
    if (!v)
        return -1;
    v->out = out;
    v->tty = isatty(fileno(out));
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
