/* goals: the coaching goals engine.  It watches the conversation as the
 * pipeline reports it (events and running talk totals, plus pace and stress
 * when those exist) and raises an alert the moment a goal slips: the agent
 * talking too much of the last two minutes, a monologue, interrupting,
 * answering too fast, speaking too fast or slow, dead air, the customer's
 * stress rising.  Each goal has a rolling window, hysteresis (it clears only
 * once clearly recovered) and a cooldown (no new alert soon after one), so
 * the agent gets few, sharp prompts.  Thresholds come from a profile
 * (the INI files in models/goals/, read by goals_ini.c).  No I/O; memory is fixed at
 * creation: windows are per-second buckets in rings of AT_GOALS_SECONDS. */
#ifndef ATTUNE_GOALS_H
#define ATTUNE_GOALS_H

#include "attune/attune.h"

#include <stddef.h>

#define AT_GOALS_SECONDS 180   /* the longest rolling window */

typedef enum at_goal_id {
    AT_GOAL_LISTENING,         /* agent talk share over the window */
    AT_GOAL_MONOLOGUE,         /* agent holding the floor, s */
    AT_GOAL_INTERRUPTIONS,     /* agent interruptions in the window */
    AT_GOAL_QUICK_REPLIES,     /* agent replies faster than quick_reply_s, in a row */
    AT_GOAL_PACE,              /* agent words per minute over the window */
    AT_GOAL_DEAD_AIR,          /* mutual silence, s */
    AT_GOAL_STRESS,            /* rise of customer stress, window on window before */
    AT_N_GOALS
} at_goal_id;

typedef enum at_severity { AT_SEV_INFO, AT_SEV_WARNING, AT_SEV_CRITICAL } at_severity;

typedef struct at_goal_cfg {
    int enabled;
    at_severity severity;
    double threshold;          /* fires at value >= threshold (pace: above `threshold`) */
    double hysteresis;         /* clears once value < threshold - hysteresis */
    double window_s;           /* rolling window, 1..AT_GOALS_SECONDS (or 2x for stress: half) */
    double cooldown_s;         /* after an alert clears or is dismissed, no new one this long */
    double hold_s;             /* the condition must hold this long before firing */
    double min_talk_s;         /* listening: talk in the window before the share counts */
    double quick_reply_s;      /* quick replies: a reply faster than this is quick */
    double low;                /* pace: fires below this too (words per minute) */
    double baseline_rise;      /* pace: fires this fraction above the agent's own baseline */
    double baseline_s;         /* pace: seconds of pace that make the baseline */
} at_goal_cfg;

typedef struct at_goals_profile {
    char name[32];
    at_goal_cfg goal[AT_N_GOALS];
} at_goals_profile;

/* The built-in profile (the same numbers as models/goals/default.ini). */
void at_goals_profile_default(at_goals_profile *p);

/* Sets one key of one goal ([section] = the goal's name, or "profile" with
 * the key "name") from text.  Returns 0, or -1 with a one-line reason in
 * err: unknown section or key, or a value out of range. */
int at_goals_profile_set(at_goals_profile *p, const char *section, const char *key,
                         const char *value, char *err, size_t err_len);

/* Reads an INI profile over the defaults (goals_ini.c).  Returns 0, or -1
 * with "line N: reason" or the system's reason in err. */
int at_goals_profile_load(at_goals_profile *p, const char *path, char *err, size_t err_len);

const char *at_goal_name(at_goal_id g);          /* "listening", ... */
const char *at_severity_name(at_severity s);     /* "info", "warning", "critical" */

typedef enum at_alert_kind {
    AT_ALERT_FIRED = 1,
    AT_ALERT_CLEARED,          /* the goal recovered */
    AT_ALERT_DISMISSED,        /* the agent dismissed it while it was active */
} at_alert_kind;

typedef struct at_alert {
    at_alert_kind kind;
    int id;                    /* 1, 2, ...: the same for an alert's fire, clear, dismissal */
    at_goal_id goal;
    at_severity severity;
    double t_s;                /* stream time of this change */
    double since_s;            /* stream time the condition first held (fired, cleared) */
    double value;              /* the measure at this time, in the goal's unit */
    double threshold;
    char message[160];         /* plain language, for the agent */
} at_alert;

typedef void (*at_alert_fn)(const at_alert *a, void *user);

typedef struct at_goals at_goals;

/* What the engine sees at each tick besides events.  pace_wpm and
 * customer_stress are NAN while nothing measures them; their goals stay
 * inactive then.  pace_wpm NAN also means: use the pipeline's
 * ATTUNE_EV_PACE events, if any. */
typedef struct at_goals_input {
    double t_s;                /* stream time (the pipeline's duration_s) */
    double talk_s[ATTUNE_N_PARTIES]; /* running talk totals, open spurts included */
    double pace_wpm;           /* the agent's current speaking rate */
    double customer_stress;    /* 0..1 */
} at_goals_input;

/* A new engine for profile p (copied); on_alert may be NULL.  NULL when out
 * of memory. */
at_goals *at_goals_new(const at_goals_profile *p, at_alert_fn on_alert, void *user);
void at_goals_free(at_goals *g);

/* A pipeline event (turns, interruptions, response gaps and the agent's
 * pace are used). */
void at_goals_event(at_goals *g, const attune_event *ev);

/* Advances to in->t_s (non-decreasing) and evaluates every goal; alerts
 * fire and clear from here.  Call often: every block of audio pushed. */
void at_goals_tick(at_goals *g, const at_goals_input *in);

/* at_goals_tick() with the pipeline's running totals at its current time
 * (pace from its pace events; stress NAN until the pipeline measures it). */
void at_goals_tick_pipeline(at_goals *g, const attune_pipeline *p);

/* The agent dismisses every active alert at stream time t_s.  Each goal
 * dismissed fires no new alert until it has recovered and cooled down.
 * Returns the number dismissed. */
int at_goals_dismiss(at_goals *g, double t_s);

/* The goal's current measure (NAN while it has none) and whether its alert
 * is active. */
double at_goals_value(const at_goals *g, at_goal_id goal, int *active);

#endif
