/* goals: the coaching goals engine (see goals.h).  Top-down: the profile and
 * its defaults, the rolling measures each goal watches, then the one state
 * machine every goal shares (fire, hold, clear with hysteresis, cooldown,
 * dismissal). */
#include "goals.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_SEC (AT_GOALS_SECONDS + 1)   /* buckets: a full window plus the open second */
#define N_INTERRUPTS 32                /* agent interruptions remembered */
#define MONOLOGUE_PAUSE_S 2.0          /* an agent pause this long offers the customer the floor */
#define MIN_PACE_S 5                   /* seconds of pace before a pace window counts */

/* ------------------------------------------------------------ the profile */

static const char *const goal_names[AT_N_GOALS] = {
    "listening", "monologue", "interruptions", "quick_replies", "pace", "dead_air", "stress",
};

const char *at_goal_name(at_goal_id g)
{
    return g >= 0 && g < AT_N_GOALS ? goal_names[g] : "unknown";
}

const char *at_severity_name(at_severity s)
{
    static const char *const names[] = {"info", "warning", "critical"};
    return s >= AT_SEV_INFO && s <= AT_SEV_CRITICAL ? names[s] : "unknown";
}

/* The defaults and where they come from: see README.md, "Live monitoring". */
void at_goals_profile_default(at_goals_profile *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "default");
    for (int i = 0; i < AT_N_GOALS; i++) {
        p->goal[i].enabled = 1;
        p->goal[i].severity = AT_SEV_WARNING;
        p->goal[i].cooldown_s = 60;
    }
    at_goal_cfg *g = p->goal;
    /* Listening: above 65 % of the last 2 minutes (issue 4; Gong Labs'
     * talk-to-listen research puts top sellers near 43 %). */
    g[AT_GOAL_LISTENING].threshold = 0.65;
    g[AT_GOAL_LISTENING].hysteresis = 0.05;
    g[AT_GOAL_LISTENING].window_s = 120;
    g[AT_GOAL_LISTENING].min_talk_s = 20;
    /* Monologue: 45 s without the customer getting a word in. */
    g[AT_GOAL_MONOLOGUE].threshold = 45;
    g[AT_GOAL_MONOLOGUE].cooldown_s = 30;
    /* Patience, half one: two interruptions within 3 minutes. */
    g[AT_GOAL_INTERRUPTIONS].threshold = 2;
    g[AT_GOAL_INTERRUPTIONS].window_s = 180;
    /* Patience, half two: replying < 0.2 s after the customer stops, three
     * turns running; clears after one unhurried reply. */
    g[AT_GOAL_QUICK_REPLIES].threshold = 3;
    g[AT_GOAL_QUICK_REPLIES].hysteresis = 2;
    g[AT_GOAL_QUICK_REPLIES].quick_reply_s = 0.2;
    g[AT_GOAL_QUICK_REPLIES].severity = AT_SEV_INFO;
    /* Pace: words per minute over 30 s outside 120-185, or 15 % above the
     * agent's own baseline. */
    g[AT_GOAL_PACE].threshold = 185;
    g[AT_GOAL_PACE].low = 120;
    g[AT_GOAL_PACE].hysteresis = 5;
    g[AT_GOAL_PACE].window_s = 30;
    g[AT_GOAL_PACE].baseline_rise = 0.15;
    g[AT_GOAL_PACE].baseline_s = 60;
    g[AT_GOAL_PACE].severity = AT_SEV_INFO;
    /* Dead air: mutual silence over 10 s. */
    g[AT_GOAL_DEAD_AIR].threshold = 10;
    g[AT_GOAL_DEAD_AIR].cooldown_s = 30;
    /* Customer stress rising: the last minute's mean 0.15 above the minute
     * before (on the 0..1 stress scale). */
    g[AT_GOAL_STRESS].threshold = 0.15;
    g[AT_GOAL_STRESS].hysteresis = 0.05;
    g[AT_GOAL_STRESS].window_s = 60;
    g[AT_GOAL_STRESS].cooldown_s = 120;
}

/* The numeric keys, the goals each applies to (a bit mask; 0: all) and
 * their ranges. */
typedef struct key_def {
    const char *name;
    size_t offset;
    double min, max;
    unsigned goals;
} key_def;

#define GOAL_BIT(g) (1u << (g))
static const key_def keys[] = {
    {"threshold", offsetof(at_goal_cfg, threshold), 0, 1e4, 0},
    {"hysteresis", offsetof(at_goal_cfg, hysteresis), 0, 1e4, 0},
    {"window_s", offsetof(at_goal_cfg, window_s), 1, AT_GOALS_SECONDS, 0},
    {"cooldown_s", offsetof(at_goal_cfg, cooldown_s), 0, 3600, 0},
    {"hold_s", offsetof(at_goal_cfg, hold_s), 0, 600, 0},
    {"min_talk_s", offsetof(at_goal_cfg, min_talk_s), 0, AT_GOALS_SECONDS,
     GOAL_BIT(AT_GOAL_LISTENING)},
    {"quick_reply_s", offsetof(at_goal_cfg, quick_reply_s), 0, 5,
     GOAL_BIT(AT_GOAL_QUICK_REPLIES)},
    {"low", offsetof(at_goal_cfg, low), 0, 1e4, GOAL_BIT(AT_GOAL_PACE)},
    {"baseline_rise", offsetof(at_goal_cfg, baseline_rise), 0, 10, GOAL_BIT(AT_GOAL_PACE)},
    {"baseline_s", offsetof(at_goal_cfg, baseline_s), 1, 3600, GOAL_BIT(AT_GOAL_PACE)},
};

static int set_number(at_goal_cfg *g, int goal, const char *key, const char *value, char *err,
                      size_t err_len)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const key_def *k = &keys[i];
        if (strcmp(k->name, key) || (k->goals && !(k->goals & GOAL_BIT(goal))))
            continue;
        char *end;
        double v = strtod(value, &end);
        if (end == value || *end || !isfinite(v) || v < k->min || v > k->max) {
            snprintf(err, err_len, "[%s] %s: '%s' is not a number from %g to %g",
                     goal_names[goal], key, value, k->min, k->max);
            return -1;
        }
        if (goal == AT_GOAL_STRESS && !strcmp(key, "window_s") && v > AT_GOALS_SECONDS / 2) {
            snprintf(err, err_len, "[stress] window_s: at most %d (two windows are compared)",
                     AT_GOALS_SECONDS / 2);
            return -1;
        }
        *(double *)((char *)g + k->offset) = v;
        return 0;
    }
    snprintf(err, err_len, "[%s]: unknown key '%s'", goal_names[goal], key);
    return -1;
}

int at_goals_profile_set(at_goals_profile *p, const char *section, const char *key,
                         const char *value, char *err, size_t err_len)
{
    if (!strcmp(section, "profile")) {
        if (!strcmp(key, "name")) {
            snprintf(p->name, sizeof p->name, "%s", value);
            return 0;
        }
        if (!strcmp(key, "description"))
            return 0;
        snprintf(err, err_len, "[profile]: unknown key '%s'", key);
        return -1;
    }
    int goal = -1;
    for (int i = 0; i < AT_N_GOALS; i++)
        if (!strcmp(section, goal_names[i]))
            goal = i;
    if (goal < 0) {
        snprintf(err, err_len, "unknown goal [%s]", section);
        return -1;
    }
    at_goal_cfg *g = &p->goal[goal];
    if (!strcmp(key, "enabled")) {
        int on = !strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes");
        int off = !strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no");
        if (!on && !off) {
            snprintf(err, err_len, "[%s] enabled: '%s' is not true or false", section, value);
            return -1;
        }
        g->enabled = on;
        return 0;
    }
    if (!strcmp(key, "severity")) {
        for (int s = AT_SEV_INFO; s <= AT_SEV_CRITICAL; s++)
            if (!strcmp(value, at_severity_name(s))) {
                g->severity = s;
                return 0;
            }
        snprintf(err, err_len, "[%s] severity: '%s' is not info, warning or critical", section,
                 value);
        return -1;
    }
    return set_number(g, goal, key, value, err, err_len);
}

/* ------------------------------------------------------------ the engine */

typedef struct goal_state {
    int active, dismissed, id;
    double bad_since;          /* NAN when the condition does not hold */
    double cooldown_until;
    double value;              /* last measure, NAN when none */
} goal_state;

/* What a goal's measure says this tick. */
typedef enum verdict { V_NONE, V_OK, V_BETWEEN, V_BAD } verdict;

typedef struct measure {
    double value, threshold;
    verdict v;
    char message[160];
} measure;

struct at_goals {
    at_goals_profile p;
    at_alert_fn on_alert;
    void *user;
    double t;
    long sec;                              /* the second t is in */
    /* Rolling windows: running talk totals at each second's start, and
     * per-second sums of pace and stress. */
    double talk_at[ATTUNE_N_PARTIES][N_SEC];
    double talk_now[ATTUNE_N_PARTIES];
    double pace_sum[N_SEC], stress_sum[N_SEC];
    int pace_n[N_SEC], stress_n[N_SEC];
    double base_sum;                       /* the agent's pace baseline */
    long base_n;
    double base_seconds;
    long last_pace_sec;
    /* From events and talk. */
    int floor;                             /* who has the floor, -1 nobody yet */
    double mono_start;                     /* NAN: the agent is not holding forth */
    double agent_last_talk, any_last_talk; /* NAN before any */
    double interrupts[N_INTERRUPTS];
    int n_interrupts;                      /* total; the last N_INTERRUPTS are kept */
    int quick_streak;
    double agent_pace;                     /* the pipeline's last pace event, NAN before */
    int next_id;
    goal_state st[AT_N_GOALS];
};

at_goals *at_goals_new(const at_goals_profile *p, at_alert_fn on_alert, void *user)
{
    at_goals *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->p = *p;
    g->on_alert = on_alert;
    g->user = user;
    g->floor = -1;
    g->mono_start = g->agent_last_talk = g->any_last_talk = g->agent_pace = NAN;
    g->last_pace_sec = -1;
    g->next_id = 1;
    for (int i = 0; i < AT_N_GOALS; i++) {
        g->st[i].bad_since = NAN;
        g->st[i].value = NAN;
        g->st[i].cooldown_until = -INFINITY;
    }
    return g;
}

void at_goals_free(at_goals *g) { free(g); }

void at_goals_event(at_goals *g, const attune_event *ev)
{
    if (ev->party != ATTUNE_AGENT && ev->party != ATTUNE_CUSTOMER)
        return;
    switch (ev->type) {
    case ATTUNE_EV_TURN:
        g->floor = ev->party;
        g->mono_start = ev->party == ATTUNE_AGENT ? ev->t0 : NAN;
        break;
    case ATTUNE_EV_INTERRUPTION:
        if (ev->party == ATTUNE_AGENT)
            g->interrupts[g->n_interrupts++ % N_INTERRUPTS] = ev->t0;
        break;
    case ATTUNE_EV_RESPONSE_GAP:
        if (ev->party == ATTUNE_AGENT)
            g->quick_streak = ev->value < g->p.goal[AT_GOAL_QUICK_REPLIES].quick_reply_s
                                  ? g->quick_streak + 1
                                  : 0;
        break;
    case ATTUNE_EV_PACE:
        /* Already words per minute over the agent's last 30 s of speech. */
        if (ev->party == ATTUNE_AGENT)
            g->agent_pace = ev->value;
        break;
    default:
        break;
    }
}

/* Rolls the per-second buckets forward to second `sec`. */
static void roll_seconds(at_goals *g, long sec)
{
    long from = sec - g->sec > N_SEC ? sec - N_SEC : g->sec;
    for (long s = from + 1; s <= sec; s++) {
        int i = (int)(s % N_SEC);
        for (int p = 0; p < ATTUNE_N_PARTIES; p++)
            g->talk_at[p][i] = g->talk_now[p];
        g->pace_sum[i] = g->stress_sum[i] = 0;
        g->pace_n[i] = g->stress_n[i] = 0;
    }
    g->sec = sec;
}

/* Talk of party p over the last w seconds (from the start if shorter). */
static double window_talk(const at_goals *g, int p, double w)
{
    long from = g->sec - (long)w;
    double before = from >= 0 ? g->talk_at[p][from % N_SEC] : 0.0;
    return g->talk_now[p] - before;
}

/* The mean of per-second sums over seconds (sec - ago - w, sec - ago];
 * NAN with fewer than `need` seconds that have data. */
static double window_mean(const at_goals *g, const double *sum, const int *n, int w, int ago,
                          int need)
{
    double s = 0;
    long k = 0;
    int seconds = 0;
    for (int d = ago; d < ago + w && d <= g->sec && d < N_SEC; d++) {
        int i = (int)((g->sec - d) % N_SEC);
        if (n[i]) {
            s += sum[i];
            k += n[i];
            seconds++;
        }
    }
    return seconds >= need && k ? s / k : NAN;
}

static void update_talk(at_goals *g, const at_goals_input *in)
{
    int agent_up = in->talk_s[ATTUNE_AGENT] > g->talk_now[ATTUNE_AGENT] + 1e-9;
    int cust_up = in->talk_s[ATTUNE_CUSTOMER] > g->talk_now[ATTUNE_CUSTOMER] + 1e-9;
    if (agent_up) {
        /* Speech after a pause starts a new stretch of holding forth (a
         * turn's start comes from its TURN event instead). */
        if (g->floor == ATTUNE_AGENT && isnan(g->mono_start))
            g->mono_start = in->t_s;
        g->agent_last_talk = in->t_s;
    }
    if (agent_up || cust_up)
        g->any_last_talk = in->t_s;
    if (g->floor == ATTUNE_AGENT && !isnan(g->mono_start) &&
        in->t_s - g->agent_last_talk >= MONOLOGUE_PAUSE_S)
        g->mono_start = NAN;
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        g->talk_now[p] = in->talk_s[p];
}

static void update_samples(at_goals *g, const at_goals_input *in)
{
    int i = (int)(g->sec % N_SEC);
    double pace = isnan(in->pace_wpm) ? g->agent_pace : in->pace_wpm;
    if (!isnan(pace)) {
        g->pace_sum[i] += pace;
        g->pace_n[i]++;
        /* The baseline: the agent's mean pace over their first baseline_s
         * seconds of speech. */
        if (g->base_seconds < g->p.goal[AT_GOAL_PACE].baseline_s) {
            g->base_sum += pace;
            g->base_n++;
            if (g->sec != g->last_pace_sec)
                g->base_seconds++;
        }
        g->last_pace_sec = g->sec;
    }
    if (!isnan(in->customer_stress)) {
        g->stress_sum[i] += in->customer_stress;
        g->stress_n[i]++;
    }
}

/* ------------------------------------------------------------ the measures */

/* Up-going measures: bad at >= threshold, ok below threshold - hysteresis. */
static verdict judge_above(double v, const at_goal_cfg *c)
{
    if (isnan(v))
        return V_NONE;
    if (v >= c->threshold)
        return V_BAD;
    return v < c->threshold - c->hysteresis ? V_OK : V_BETWEEN;
}

static void window_words(char *buf, size_t n, double w)
{
    if (w >= 120 && fmod(w, 60) == 0)
        snprintf(buf, n, "%.0f minutes", w / 60);
    else if (w == 60)
        snprintf(buf, n, "minute");
    else
        snprintf(buf, n, "%.0f s", w);
}

static void measure_listening(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    double a = window_talk(g, ATTUNE_AGENT, c->window_s);
    double b = window_talk(g, ATTUNE_CUSTOMER, c->window_s);
    m->value = a + b >= c->min_talk_s && a + b > 0 ? a / (a + b) : NAN;
    m->v = judge_above(m->value, c);
    char w[32];
    window_words(w, sizeof w, c->window_s);
    snprintf(m->message, sizeof m->message,
             "You've talked %.0f %% of the last %s: ask a question and listen",
             100.0 * m->value, w);
}

static void measure_monologue(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    m->value = isnan(g->mono_start) ? 0.0 : g->agent_last_talk - g->mono_start;
    if (m->value < 0)
        m->value = 0;
    m->v = judge_above(m->value, c);
    snprintf(m->message, sizeof m->message,
             "You've been speaking for %.0f s without the customer getting a word in: "
             "pause and check in", m->value);
}

static void measure_interruptions(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    int n = 0, kept = g->n_interrupts < N_INTERRUPTS ? g->n_interrupts : N_INTERRUPTS;
    for (int i = 0; i < kept; i++)
        if (g->interrupts[i] > g->t - c->window_s)
            n++;
    m->value = n;
    m->v = judge_above(m->value, c);
    char w[32];
    window_words(w, sizeof w, c->window_s);
    snprintf(m->message, sizeof m->message,
             "You've interrupted %d times in the last %s: let the customer finish", n, w);
}

static void measure_quick_replies(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    m->value = g->quick_streak;
    m->v = judge_above(m->value, c);
    snprintf(m->message, sizeof m->message,
             "You've answered within %.1f s of the customer stopping %d times running: "
             "take a breath before replying", c->quick_reply_s, g->quick_streak);
}

static void measure_pace(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    double v = window_mean(g, g->pace_sum, g->pace_n, (int)c->window_s, 0, MIN_PACE_S);
    double base = g->base_seconds >= c->baseline_s && g->base_n ? g->base_sum / g->base_n : NAN;
    double high = c->threshold;
    if (!isnan(base) && base * (1 + c->baseline_rise) < high)
        high = base * (1 + c->baseline_rise);
    m->value = v;
    m->threshold = high;
    if (isnan(v)) {
        m->v = V_NONE;
    } else if (v >= high || v <= c->low) {
        m->v = V_BAD;
        if (v <= c->low)
            m->threshold = c->low;
    } else {
        m->v = v < high - c->hysteresis && v > c->low + c->hysteresis ? V_OK : V_BETWEEN;
    }
    if (v <= c->low)
        snprintf(m->message, sizeof m->message,
                 "You're speaking at %.0f words a minute: a little more energy", v);
    else if (high < c->threshold)
        snprintf(m->message, sizeof m->message,
                 "You're speaking at %.0f words a minute, %.0f %% above your usual pace: "
                 "slow down", v, 100.0 * (v / base - 1));
    else
        snprintf(m->message, sizeof m->message,
                 "You're speaking at %.0f words a minute: slow down", v);
}

static void measure_dead_air(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    m->value = isnan(g->any_last_talk) ? NAN : g->t - g->any_last_talk;
    m->v = judge_above(m->value, c);
    snprintf(m->message, sizeof m->message,
             "%.0f s of silence: tell the customer what you're doing", m->value);
}

static void measure_stress(const at_goals *g, const at_goal_cfg *c, measure *m)
{
    int w = (int)c->window_s, need = w / 2 > 0 ? w / 2 : 1;
    double now = window_mean(g, g->stress_sum, g->stress_n, w, 0, need);
    double before = window_mean(g, g->stress_sum, g->stress_n, w, w, need);
    m->value = now - before;
    m->v = judge_above(m->value, c);
    snprintf(m->message, sizeof m->message,
             "The customer sounds more stressed than a %s ago: acknowledge it and slow down",
             w == 60 ? "minute" : "moment");
}

typedef void (*measure_fn)(const at_goals *, const at_goal_cfg *, measure *);
static const measure_fn measures[AT_N_GOALS] = {
    measure_listening, measure_monologue, measure_interruptions, measure_quick_replies,
    measure_pace, measure_dead_air, measure_stress,
};

/* ------------------------------------------------------------ the states */

static void emit(at_goals *g, at_alert_kind kind, int goal, double t, double since,
                 const measure *m, const char *message)
{
    goal_state *s = &g->st[goal];
    if (!g->on_alert)
        return;
    at_alert a = {
        .kind = kind, .id = s->id, .goal = (at_goal_id)goal,
        .severity = g->p.goal[goal].severity, .t_s = t, .since_s = since,
        .value = m ? m->value : s->value, .threshold = m ? m->threshold : NAN,
    };
    snprintf(a.message, sizeof a.message, "%s", message);
    g->on_alert(&a, g->user);
}

static void step_goal(at_goals *g, int goal)
{
    const at_goal_cfg *c = &g->p.goal[goal];
    goal_state *s = &g->st[goal];
    measure m = {NAN, c->threshold, V_NONE, ""};
    measures[goal](g, c, &m);
    s->value = m.value;
    if (m.v == V_BAD) {
        if (isnan(s->bad_since))
            s->bad_since = g->t;
        if (!s->active && !s->dismissed && g->t >= s->cooldown_until &&
            g->t - s->bad_since >= c->hold_s) {
            s->active = 1;
            s->id = g->next_id++;
            emit(g, AT_ALERT_FIRED, goal, g->t, s->bad_since, &m, m.message);
        }
        return;
    }
    if (m.v == V_NONE)
        return;
    if (!s->active)
        s->bad_since = NAN;
    if (m.v != V_OK)
        return;
    if (s->active) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: back on track", goal_names[goal]);
        s->active = 0;
        s->cooldown_until = g->t + c->cooldown_s;
        emit(g, AT_ALERT_CLEARED, goal, g->t, g->t, &m, msg);
    }
    s->dismissed = 0;
    s->bad_since = NAN;
}

void at_goals_tick(at_goals *g, const at_goals_input *in)
{
    if (in->t_s < g->t)
        return;
    long sec = (long)floor(in->t_s);
    update_talk(g, in);
    if (sec > g->sec)
        roll_seconds(g, sec);
    g->t = in->t_s;
    update_samples(g, in);
    for (int i = 0; i < AT_N_GOALS; i++)
        if (g->p.goal[i].enabled)
            step_goal(g, i);
}

void at_goals_tick_pipeline(at_goals *g, const attune_pipeline *p)
{
    attune_metrics m;
    attune_pipeline_metrics(p, &m);
    /* The customer's latest vocal-stress point (0..100, src/stress.c) on
     * the goal's 0..1 scale; NAN until there is one. */
    double stress = m.party[m.n_parties - 1].stress_last;
    at_goals_input in = {m.duration_s, {m.party[0].talk_s, m.party[1].talk_s}, NAN,
                         stress >= 0 ? stress / 100.0 : NAN};
    at_goals_tick(g, &in);
}

int at_goals_dismiss(at_goals *g, double t_s)
{
    int n = 0;
    for (int i = 0; i < AT_N_GOALS; i++) {
        goal_state *s = &g->st[i];
        if (!s->active)
            continue;
        s->active = 0;
        s->dismissed = 1;
        s->cooldown_until = t_s + g->p.goal[i].cooldown_s;
        emit(g, AT_ALERT_DISMISSED, i, t_s, s->bad_since, NULL, "dismissed by the agent");
        n++;
    }
    return n;
}

double at_goals_value(const at_goals *g, at_goal_id goal, int *active)
{
    if (active)
        *active = g->st[goal].active;
    return g->st[goal].value;
}
