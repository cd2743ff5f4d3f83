/* test_goals: the goals engine on crafted conversations: every goal firing
 * and clearing, hysteresis, hold, cooldown, dismissal, goals without their
 * measure staying quiet, and profiles (the built-in defaults match
 * models/goals/default.ini; bad INI lines are named). */
#include "goals.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define TICK 0.05
#define MAX_LOG 64

/* A conversation being played to the engine, and what came out. */
typedef struct sim {
    at_goals *g;
    at_goals_input in;
    at_alert log[MAX_LOG];
    int n_log;
} sim;

static void on_alert(const at_alert *a, void *user)
{
    sim *s = user;
    if (s->n_log < MAX_LOG)
        s->log[s->n_log++] = *a;
}

static void sim_init(sim *s, const at_goals_profile *p)
{
    memset(s, 0, sizeof *s);
    s->g = at_goals_new(p, on_alert, s);
    assert_non_null(s->g);
    s->in.pace_wpm = NAN;
    s->in.customer_stress = NAN;
}

/* Runs for `dur` seconds with the given parties talking (bit 0 agent, bit
 * 1 customer). */
static void run(sim *s, double dur, int talking)
{
    double end = s->in.t_s + dur - 1e-9;
    while (s->in.t_s < end) {
        s->in.t_s += TICK;
        for (int p = 0; p < 2; p++)
            if (talking & (1 << p))
                s->in.talk_s[p] += TICK;
        at_goals_tick(s->g, &s->in);
    }
}

static void event(sim *s, attune_event_type type, int party, double t0, double value)
{
    attune_event ev = {type, party, t0, t0, value};
    at_goals_event(s->g, &ev);
}

/* The index of the n-th (0-based) alert of this kind and goal, or -1. */
static int find(const sim *s, at_alert_kind kind, at_goal_id goal, int nth)
{
    for (int i = 0; i < s->n_log; i++)
        if (s->log[i].kind == kind && s->log[i].goal == goal && nth-- == 0)
            return i;
    return -1;
}

static void only(at_goals_profile *p, at_goal_id keep)
{
    at_goals_profile_default(p);
    for (int i = 0; i < AT_N_GOALS; i++)
        p->goal[i].enabled = i == (int)keep;
}

static void listening_fires_and_clears_with_hysteresis(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_LISTENING);
    sim s;
    sim_init(&s, &p);
    run(&s, 15, 1);                        /* 15 s of talk: below min_talk_s */
    assert_int_equal(s.n_log, 0);
    run(&s, 10, 1);                        /* 20 s of talk, all the agent's */
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_LISTENING, 0);
    assert_true(f >= 0);
    assert_true(fabs(s.log[f].t_s - 20.0) < 0.11);
    assert_true(s.log[f].value > 0.99 && s.log[f].threshold == 0.65);
    assert_non_null(strstr(s.log[f].message, "of the last 2 minutes"));
    /* The customer talks: the share falls through 0.65 to 0.6 (agent 25 s):
     * customer 25 * (1/0.62 - 1) = 15.3 s gives 0.62, inside the band. */
    run(&s, 15, 2);
    assert_int_equal(find(&s, AT_ALERT_CLEARED, AT_GOAL_LISTENING, 0), -1);
    run(&s, 3, 2);                         /* 25 / (25 + 18) = 0.58 */
    int c = find(&s, AT_ALERT_CLEARED, AT_GOAL_LISTENING, 0);
    assert_true(c > f);
    assert_int_equal(s.log[c].id, s.log[f].id);
    assert_true(s.log[c].value < 0.60);
    at_goals_free(s.g);
}

static void cooldown_holds_back_the_next_alert(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_DEAD_AIR);
    sim s;
    sim_init(&s, &p);
    run(&s, 1, 1);
    run(&s, 11, 0);                         /* dead air: fires at 11 s */
    run(&s, 1, 2);                          /* clears at ~12 s; cooldown 30 s */
    assert_true(find(&s, AT_ALERT_CLEARED, AT_GOAL_DEAD_AIR, 0) >= 0);
    run(&s, 12, 0);                         /* dead air again, inside the cooldown */
    assert_int_equal(find(&s, AT_ALERT_FIRED, AT_GOAL_DEAD_AIR, 1), -1);
    run(&s, 20, 0);                         /* still silent when the cooldown ends */
    int f2 = find(&s, AT_ALERT_FIRED, AT_GOAL_DEAD_AIR, 1);
    assert_true(f2 >= 0);
    double cleared = s.log[find(&s, AT_ALERT_CLEARED, AT_GOAL_DEAD_AIR, 0)].t_s;
    assert_true(fabs(s.log[f2].t_s - (cleared + 30)) < 0.11);
    assert_true(s.log[f2].since_s < s.log[f2].t_s - 15);
    at_goals_free(s.g);
}

static void dead_air_fires_at_ten_seconds(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_DEAD_AIR);
    sim s;
    sim_init(&s, &p);
    run(&s, 30, 0);                         /* silence before anyone speaks: no dead air */
    assert_int_equal(s.n_log, 0);
    run(&s, 2, 1);
    run(&s, 9.9, 0);
    assert_int_equal(s.n_log, 0);
    run(&s, 0.2, 0);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_DEAD_AIR, 0);
    assert_true(f >= 0);
    assert_true(fabs(s.log[f].value - 10.0) < 0.06);
    run(&s, 0.1, 1);
    assert_true(find(&s, AT_ALERT_CLEARED, AT_GOAL_DEAD_AIR, 0) > f);
    at_goals_free(s.g);
}

static void monologue_until_the_customer_takes_the_floor(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_MONOLOGUE);
    sim s;
    sim_init(&s, &p);
    event(&s, ATTUNE_EV_TURN, ATTUNE_AGENT, 0.0, 0);
    run(&s, 30, 1);
    run(&s, 1.5, 0);                        /* a breath, not a pause that yields */
    run(&s, 10, 1);
    assert_int_equal(s.n_log, 0);
    run(&s, 4, 1 | 2);                      /* a customer backchannel gets no word in */
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_MONOLOGUE, 0);
    assert_true(f >= 0);
    assert_true(fabs(s.log[f].t_s - 45.0) < 0.11);
    run(&s, 5, 1);
    event(&s, ATTUNE_EV_TURN, ATTUNE_CUSTOMER, s.in.t_s, 0);
    run(&s, 3, 2);
    assert_true(find(&s, AT_ALERT_CLEARED, AT_GOAL_MONOLOGUE, 0) > f);
    /* The agent again, with a real pause half way: two short stretches. */
    event(&s, ATTUNE_EV_TURN, ATTUNE_AGENT, s.in.t_s, 0);
    run(&s, 30, 1);
    run(&s, 3, 0);
    run(&s, 30, 1);
    assert_int_equal(find(&s, AT_ALERT_FIRED, AT_GOAL_MONOLOGUE, 1), -1);
    at_goals_free(s.g);
}

static void interruptions_two_within_three_minutes(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_INTERRUPTIONS);
    sim s;
    sim_init(&s, &p);
    run(&s, 10, 0);
    event(&s, ATTUNE_EV_INTERRUPTION, ATTUNE_CUSTOMER, 10, 0.5); /* not the agent's */
    event(&s, ATTUNE_EV_INTERRUPTION, ATTUNE_AGENT, 10, 0.5);
    run(&s, 60, 0);
    assert_int_equal(s.n_log, 0);
    event(&s, ATTUNE_EV_INTERRUPTION, ATTUNE_AGENT, 70, 0.5);
    run(&s, 0.1, 0);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_INTERRUPTIONS, 0);
    assert_true(f >= 0);
    assert_true(s.log[f].value == 2);
    assert_non_null(strstr(s.log[f].message, "interrupted 2 times in the last 3 minutes"));
    run(&s, 119, 0);                        /* t = 189.1: the first one is still in */
    assert_int_equal(find(&s, AT_ALERT_CLEARED, AT_GOAL_INTERRUPTIONS, 0), -1);
    run(&s, 1.1, 0);                        /* past 190: it rolls out */
    int c = find(&s, AT_ALERT_CLEARED, AT_GOAL_INTERRUPTIONS, 0);
    assert_true(c > f && fabs(s.log[c].t_s - 190) < 0.11);
    at_goals_free(s.g);
}

static void quick_replies_three_running(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_QUICK_REPLIES);
    sim s;
    sim_init(&s, &p);
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 1, 0.1);
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 2, 0.5);  /* breaks the run */
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 3, 0.1);
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_CUSTOMER, 4, 0.0); /* the customer's */
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 5, 0.15);
    run(&s, 1, 0);
    assert_int_equal(s.n_log, 0);
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 6, 0.05);
    run(&s, 1, 0);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_QUICK_REPLIES, 0);
    assert_true(f >= 0 && s.log[f].value == 3);
    assert_int_equal(s.log[f].severity, AT_SEV_INFO);
    event(&s, ATTUNE_EV_RESPONSE_GAP, ATTUNE_AGENT, 8, 0.6);
    run(&s, 1, 0);
    assert_true(find(&s, AT_ALERT_CLEARED, AT_GOAL_QUICK_REPLIES, 0) > f);
    at_goals_free(s.g);
}

static void pace_needs_a_measure_then_fires_both_ways(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_PACE);
    p.goal[AT_GOAL_PACE].baseline_rise = 10; /* keep the baseline out of this test */
    p.goal[AT_GOAL_PACE].cooldown_s = 0;
    sim s;
    sim_init(&s, &p);
    run(&s, 60, 1);                         /* no pace measured: the goal sleeps */
    assert_int_equal(s.n_log, 0);
    s.in.pace_wpm = 150;
    run(&s, 30, 1);
    assert_int_equal(s.n_log, 0);
    s.in.pace_wpm = 230;                    /* the 30 s mean reaches 185 after ~14 s */
    run(&s, 20, 1);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_PACE, 0);
    assert_true(f >= 0 && s.log[f].value >= 185);
    assert_non_null(strstr(s.log[f].message, "slow down"));
    s.in.pace_wpm = 150;
    run(&s, 40, 1);
    int c = find(&s, AT_ALERT_CLEARED, AT_GOAL_PACE, 0);
    assert_true(c > f);
    s.in.pace_wpm = 90;
    run(&s, 40, 1);
    int f2 = find(&s, AT_ALERT_FIRED, AT_GOAL_PACE, 1);
    assert_true(f2 > c && s.log[f2].value <= 120 && s.log[f2].threshold == 120);
    at_goals_free(s.g);
}

static void pace_above_own_baseline(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_PACE);
    sim s;
    sim_init(&s, &p);
    s.in.pace_wpm = 130;                    /* baseline 130: fires from 149.5 */
    run(&s, 90, 1);
    s.in.pace_wpm = 165;                    /* inside 120-185, 27 % above baseline */
    run(&s, 40, 1);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_PACE, 0);
    assert_true(f >= 0);
    assert_true(fabs(s.log[f].threshold - 149.5) < 0.01);
    assert_non_null(strstr(s.log[f].message, "above your usual pace"));
    at_goals_free(s.g);
}

static void pace_from_pipeline_events(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_PACE);
    sim s;
    sim_init(&s, &p);
    for (int i = 0; i < 8; i++) {           /* one pace point every 5 s, as the pipeline */
        event(&s, ATTUNE_EV_PACE, ATTUNE_CUSTOMER, s.in.t_s, 250);  /* not the agent's */
        event(&s, ATTUNE_EV_PACE, ATTUNE_AGENT, s.in.t_s, 150);
        run(&s, 5, 1);
    }
    assert_int_equal(s.n_log, 0);
    event(&s, ATTUNE_EV_PACE, ATTUNE_AGENT, s.in.t_s, 210);
    run(&s, 30, 1);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_PACE, 0);
    assert_true(f >= 0 && s.log[f].value >= 185);
    at_goals_free(s.g);
}

static void stress_rising(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_STRESS);
    sim s;
    sim_init(&s, &p);
    run(&s, 200, 3);                        /* no stress measure: nothing */
    assert_int_equal(s.n_log, 0);
    s.in.customer_stress = 0.2;
    run(&s, 120, 3);
    assert_int_equal(s.n_log, 0);           /* steady stress is not rising */
    s.in.customer_stress = 0.6;
    run(&s, 30, 3);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_STRESS, 0);
    assert_true(f >= 0 && s.log[f].value >= 0.15);
    run(&s, 150, 3);                        /* steady again: the rise passes */
    assert_true(find(&s, AT_ALERT_CLEARED, AT_GOAL_STRESS, 0) > f);
    at_goals_free(s.g);
}

static void hold_delays_firing(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_DEAD_AIR);
    p.goal[AT_GOAL_DEAD_AIR].hold_s = 2;
    sim s;
    sim_init(&s, &p);
    run(&s, 1, 1);
    run(&s, 11.5, 0);                       /* bad from 11 s, held only 1.5 s */
    assert_int_equal(s.n_log, 0);
    run(&s, 0.6, 0);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_DEAD_AIR, 0);
    assert_true(f >= 0 && fabs(s.log[f].since_s - 11.0) < 0.11);
    at_goals_free(s.g);
}

static void dismissal_silences_until_recovered(void **state)
{
    (void)state;
    at_goals_profile p;
    only(&p, AT_GOAL_LISTENING);
    p.goal[AT_GOAL_LISTENING].cooldown_s = 10;
    sim s;
    sim_init(&s, &p);
    assert_int_equal(at_goals_dismiss(s.g, 0), 0);  /* nothing to dismiss */
    run(&s, 25, 1);
    int f = find(&s, AT_ALERT_FIRED, AT_GOAL_LISTENING, 0);
    assert_true(f >= 0);
    assert_int_equal(at_goals_dismiss(s.g, s.in.t_s), 1);
    int d = find(&s, AT_ALERT_DISMISSED, AT_GOAL_LISTENING, 0);
    assert_true(d > f && s.log[d].id == s.log[f].id);
    int active;
    at_goals_value(s.g, AT_GOAL_LISTENING, &active);
    assert_false(active);
    run(&s, 60, 1);                         /* still talking too much: stays quiet */
    assert_int_equal(find(&s, AT_ALERT_FIRED, AT_GOAL_LISTENING, 1), -1);
    assert_int_equal(find(&s, AT_ALERT_CLEARED, AT_GOAL_LISTENING, 0), -1);
    run(&s, 100, 2);                        /* recovers (no alert to clear) */
    assert_int_equal(find(&s, AT_ALERT_CLEARED, AT_GOAL_LISTENING, 0), -1);
    run(&s, 130, 1);                        /* slips again: a new alert */
    int f2 = find(&s, AT_ALERT_FIRED, AT_GOAL_LISTENING, 1);
    assert_true(f2 > d && s.log[f2].id != s.log[f].id);
    at_goals_free(s.g);
}

static void profile_keys_are_checked(void **state)
{
    (void)state;
    at_goals_profile p;
    char err[200];
    at_goals_profile_default(&p);
    assert_int_equal(at_goals_profile_set(&p, "listening", "threshold", "0.5", err, sizeof err), 0);
    assert_true(p.goal[AT_GOAL_LISTENING].threshold == 0.5);
    assert_int_equal(at_goals_profile_set(&p, "listening", "window_s", "600", err, sizeof err), -1);
    assert_non_null(strstr(err, "window_s"));
    assert_int_equal(at_goals_profile_set(&p, "listening", "low", "3", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown key 'low'"));
    assert_int_equal(at_goals_profile_set(&p, "charm", "threshold", "1", err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown goal [charm]"));
    assert_int_equal(at_goals_profile_set(&p, "pace", "severity", "loud", err, sizeof err), -1);
    assert_int_equal(at_goals_profile_set(&p, "stress", "window_s", "120", err, sizeof err), -1);
    assert_int_equal(at_goals_profile_set(&p, "pace", "enabled", "false", err, sizeof err), 0);
    assert_false(p.goal[AT_GOAL_PACE].enabled);
}

static void shipped_profiles_load_and_default_matches(void **state)
{
    (void)state;
    char path[512], err[256];
    at_goals_profile builtin, file;
    at_goals_profile_default(&builtin);
    at_goals_profile_default(&file);
    snprintf(path, sizeof path, "%s/goals/default.ini", ATTUNE_MODELS_DIR);
    assert_int_equal(at_goals_profile_load(&file, path, err, sizeof err), 0);
    assert_memory_equal(&builtin.goal, &file.goal, sizeof builtin.goal);
    const char *names[] = {"sales", "support"};
    for (int i = 0; i < 2; i++) {
        at_goals_profile_default(&file);
        snprintf(path, sizeof path, "%s/goals/%s.ini", ATTUNE_MODELS_DIR, names[i]);
        assert_int_equal(at_goals_profile_load(&file, path, err, sizeof err), 0);
        assert_string_equal(file.name, names[i]);
    }
    assert_true(file.goal[AT_GOAL_DEAD_AIR].threshold == 15);
}

static void bad_ini_names_the_line(void **state)
{
    (void)state;
    char path[] = "/tmp/attune-test-goals-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("[listening]\nthreshold = 0.6\n\n[dead_air]\nthreshold = lots\n", f);
    fclose(f);
    at_goals_profile p;
    char err[256];
    at_goals_profile_default(&p);
    assert_int_equal(at_goals_profile_load(&p, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 5: [dead_air] threshold: 'lots'"));
    remove(path);
    assert_int_equal(at_goals_profile_load(&p, "/nonexistent/x.ini", err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(listening_fires_and_clears_with_hysteresis),
        cmocka_unit_test(cooldown_holds_back_the_next_alert),
        cmocka_unit_test(dead_air_fires_at_ten_seconds),
        cmocka_unit_test(monologue_until_the_customer_takes_the_floor),
        cmocka_unit_test(interruptions_two_within_three_minutes),
        cmocka_unit_test(quick_replies_three_running),
        cmocka_unit_test(pace_needs_a_measure_then_fires_both_ways),
        cmocka_unit_test(pace_above_own_baseline),
        cmocka_unit_test(pace_from_pipeline_events),
        cmocka_unit_test(stress_rising),
        cmocka_unit_test(hold_delays_firing),
        cmocka_unit_test(dismissal_silences_until_recovered),
        cmocka_unit_test(profile_keys_are_checked),
        cmocka_unit_test(shipped_profiles_load_and_default_matches),
        cmocka_unit_test(bad_ini_names_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
