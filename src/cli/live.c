/* live: `attune live`, monitoring a call as it happens.  The main thread is
 * glue: it opens a capture (device or replay), starts the DSP thread, then
 * every 20 ms hands the DSP's messages to the sinks (events file, view),
 * refreshes the view four times a second and reads the agent's commands,
 * until the capture ends, the device is lost, or a signal or `quit` comes.
 * However it ends, the capture stops, the pipeline flushes, and the
 * summary and recording are written. */
#include "capture.h"
#include "cli.h"
#include "dsp.h"
#include "events.h"
#include "profile.h"
#include "summary.h"
#include "view.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_S 0.02
#define VIEW_EVERY 12      /* ticks: about 4 times a second */
#define MAX_ALERT_LOG 4096

typedef struct live_opts {
    const char *replay, *device, *agent_dev, *customer_dev;
    double speed;
    int agent_ch, customer_ch, rate;
    const char *goals, *events, *ui, *record, *summary, *jack_name, *overlay_pos;
    const char *first_speaker;
    double overlay_scale;
    attune_config cfg;           /* --config FILE, --set KEY=VALUE */
} live_opts;

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_speed(const char *s, double *out)
{
    if (!strcmp(s, "max")) {
        *out = 0;
        return 0;
    }
    char *end;
    *out = strtod(s, &end);
    return end == s || *end || !(*out > 0 && *out <= 1000) ? -1 : 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int overlay_corner(const char *s)
{
    static const char *const names[] = {"bottom-right", "bottom-left", "top-right", "top-left"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i]))
            return i;   /* in the order of at_overlay_pos */
    return -1;
}

static void usage(void)
{
    fputs("usage: attune live [options]\n"
          "\n"
          "source (one of):\n"
          "  --device D                  one device, agent and customer on two of its channels\n"
          "                              (an index or part of the name: attune devices; default:\n"
          "                              the default input)\n"
          "  --agent-device D --customer-device D\n"
          "                              two devices, one party each (e.g. the headset microphone\n"
          "                              and the monitor of the softphone's output)\n"
          "  --replay FILE               a recording on a virtual clock (a mono one is split into\n"
          "                              agent and customer by diarization)\n"
          "  --speed 1|N|max             replay speed, a multiple of real time (default 1)\n"
          "  --first-speaker P           on a mono replay, who speaks first: agent (default) or\n"
          "                              customer\n"
          "\n"
          "  --agent-channel C           the agent's channel (default 0)\n"
          "  --customer-channel C        the customer's (default: the other of 0 and 1; with two\n"
          "                              devices 0)\n"
          "  --rate HZ                   device sample rate (default 16000)\n"
          "  --jack-name NAME            attune's client name on a JACK server (default attune)\n"
          "  --goals PROFILE             default, sales, support (models/goals) or an INI file\n"
          "  --events FILE|-             JSON Lines: alerts, a metrics line a second, start, end\n"
          "  --ui overlay|term|none      the overlay window (default where there is a display),\n"
          "                              the terminal view (default on a terminal) or none\n"
          "  --overlay-pos CORNER        bottom-right (default), bottom-left, top-right, top-left\n"
          "  --overlay-scale K           the overlay's size for high-DPI screens, 0.5..4 (1)\n"
          "  --record FILE               write the captured stereo as WAV (tell the caller!)\n"
          "  --summary FILE              the session summary (default\n"
          "                              attune-session-YYYYmmdd-HHMMSS.json)\n"
          "  --config FILE, --set K=V    the analysis settings, as for analyze\n"
          "                              (attune config --dump shows them)\n"
          "\n"
          "keys in the terminal view: d dismisses the alerts, q ends the session; in the\n"
          "overlay also h hides and shows the details (drag the window to move it).\n"
          "Otherwise stdin takes the lines \"dismiss\" and \"quit\".  Ctrl-C or SIGTERM end\n"
          "the session too; the summary and recording are always written.\n",
          stdout);
}

static int parse_options(int argc, char **argv, live_opts *o)
{
    memset(o, 0, sizeof *o);
    o->speed = 1;
    o->agent_ch = o->customer_ch = -1;
    o->rate = 16000;
    attune_config_init(&o->cfg);
    /* Every option but --help takes a value. */
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage();
            return 1;
        }
        int r = at_config_arg(&o->cfg, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0) {
            i--; /* past the value: the loop steps over it */
            continue;
        }
        const char **str = !strcmp(a, "--replay")            ? &o->replay
                           : !strcmp(a, "--device")          ? &o->device
                           : !strcmp(a, "--agent-device")    ? &o->agent_dev
                           : !strcmp(a, "--customer-device") ? &o->customer_dev
                           : !strcmp(a, "--goals")           ? &o->goals
                           : !strcmp(a, "--events")          ? &o->events
                           : !strcmp(a, "--ui")              ? &o->ui
                           : !strcmp(a, "--record")          ? &o->record
                           : !strcmp(a, "--summary")         ? &o->summary
                           : !strcmp(a, "--jack-name")       ? &o->jack_name
                           : !strcmp(a, "--overlay-pos")     ? &o->overlay_pos
                           : !strcmp(a, "--first-speaker")   ? &o->first_speaker
                                                             : NULL;
        if (!v && (str || !strcmp(a, "--speed") || !strcmp(a, "--rate") ||
                   !strcmp(a, "--overlay-scale") ||
                   !strcmp(a, "--agent-channel") || !strcmp(a, "--customer-channel"))) {
            at_error(a, "expects a value (try: attune help)");
            return -1;
        }
        if (str) {
            *str = v;
        } else if (!strcmp(a, "--speed")) {
            if (parse_speed(v, &o->speed)) {
                at_error(a, "expects 1, a multiple of real time up to 1000, or max");
                return -1;
            }
        } else if (!strcmp(a, "--overlay-scale")) {
            char *end;
            o->overlay_scale = strtod(v, &end);
            if (end == v || *end || !(o->overlay_scale >= 0.5 && o->overlay_scale <= 4)) {
                at_error(a, "expects a scale from 0.5 to 4");
                return -1;
            }
        } else if (!strcmp(a, "--rate")) {
            if (parse_int(v, 8000, 48000, &o->rate)) {
                at_error(a, "expects a rate from 8000 to 48000 Hz");
                return -1;
            }
        } else if (!strcmp(a, "--agent-channel") || !strcmp(a, "--customer-channel")) {
            int *dst = a[2] == 'a' ? &o->agent_ch : &o->customer_ch;
            if (parse_int(v, 0, 63, dst)) {
                at_error(a, "expects a channel number from 0");
                return -1;
            }
        } else {
            at_error(a, "unknown option (try: attune help)");
            return -1;
        }
    }
    if (at_config_ready(&o->cfg) != 0)
        return -1;
    if (o->ui && strcmp(o->ui, "term") && strcmp(o->ui, "none") && strcmp(o->ui, "overlay")) {
        at_error("--ui", "expects overlay, term or none");
        return -1;
    }
#ifndef ATTUNE_HAVE_OVERLAY
    if (o->ui && !strcmp(o->ui, "overlay")) {
        at_error("--ui", "this attune was built without SDL2, so it has no overlay (install "
                         "libsdl2-dev and libsdl2-ttf-dev and rebuild; --ui term works)");
        return -1;
    }
#endif
    if (o->first_speaker && strcmp(o->first_speaker, "agent") &&
        strcmp(o->first_speaker, "customer")) {
        at_error("--first-speaker", "expects agent or customer");
        return -1;
    }
    if (o->overlay_pos && overlay_corner(o->overlay_pos) < 0) {
        at_error("--overlay-pos", "expects bottom-right, bottom-left, top-right or top-left");
        return -1;
    }
    if (!!o->replay + !!o->device + !!(o->agent_dev || o->customer_dev) > 1) {
        at_error("live", "give one of --replay, --device, or --agent-device with "
                         "--customer-device");
        return -1;
    }
    if (!!o->agent_dev != !!o->customer_dev) {
        at_error("live", "--agent-device and --customer-device go together");
        return -1;
    }
    return 0;
}

static int open_capture(const live_opts *o, at_capture *cap, at_capture_io *io, char *err,
                        size_t n)
{
    if (o->replay)
        return at_capture_replay_open(cap, io, o->replay, o->speed, o->agent_ch, o->customer_ch,
                                      err, n);
    if (at_capture_io_init(io, o->rate, AT_RING_S) != 0) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    const char *client = o->jack_name ? o->jack_name : "attune";
    if (at_pa_init(client, err, n) != 0)
        return -1;
    /* One device: the customer on the other of channels 0 and 1 by default;
     * two devices: each party on its device's first channel by default. */
    int agent = o->agent_ch >= 0 ? o->agent_ch : 0;
    int cust = o->customer_ch >= 0 ? o->customer_ch : o->customer_dev ? 0 : agent == 1 ? 0 : 1;
    at_pa_spec spec = {o->device ? o->device : o->agent_dev, o->customer_dev, agent, cust,
                       o->rate, client};
    if (at_capture_pa_open(cap, io, &spec, err, n) != 0) {
        at_pa_terminate();
        return -1;
    }
    return 0;
}

typedef struct session {
    live_opts o;
    at_capture cap;
    at_capture_io io;
    int pa_up;
    at_dsp *dsp;
    at_events ev;
    at_view view;
    at_live_msg *alerts;          /* alert changes for the summary */
    size_t n_alerts;
    char line[256];               /* a command being read from stdin */
    size_t line_len;
    int stdin_commands;
    double wall0;
    char summary[1024], profile[1100], started[64];
} session;

/* Hands the DSP's messages to the sinks and keeps alert changes. */
static void drain_messages(session *s)
{
    at_live_msg m;
    while (at_msgq_get(at_dsp_messages(s->dsp), &m)) {
        at_events_message(&s->ev, &m);
        if (m.kind != AT_MSG_ALERT)
            continue;
        if (s->view.ops)
            s->view.ops->alert(s->view.self, &m.alert);
        if (s->n_alerts < MAX_ALERT_LOG)
            s->alerts[s->n_alerts++] = m;
    }
}

/* Commands on stdin, a line each: "dismiss" and "quit" (how tests and
 * scripts do what the d and q keys do). */
static at_view_action read_command(session *s)
{
    if (!s->stdin_commands)
        return AT_VIEW_NOTHING;
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};
    while (poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP))) {
        char c;
        ssize_t got = read(STDIN_FILENO, &c, 1);
        if (got <= 0) {
            s->stdin_commands = 0;   /* end of input: carry on without it */
            return AT_VIEW_NOTHING;
        }
        if (c != '\n') {
            if (s->line_len < sizeof s->line - 1)
                s->line[s->line_len++] = c;
            continue;
        }
        s->line[s->line_len] = '\0';
        s->line_len = 0;
        if (!strcmp(s->line, "dismiss"))
            return AT_VIEW_DISMISS;
        if (!strcmp(s->line, "quit"))
            return AT_VIEW_QUIT;
        if (s->line[0])
            at_error("stdin", "unknown command '%s' (dismiss, quit)", s->line);
    }
    return AT_VIEW_NOTHING;
}

/* Runs until the capture ends or is lost, or the agent or a signal ends
 * it.  Returns the capture state and says why in reason. */
static int run(session *s, char *reason, size_t n)
{
    for (long tick = 0;; tick++) {
        struct timespec ts = {0, (long)(TICK_S * 1e9)};
        nanosleep(&ts, NULL);
        drain_messages(s);
        if (s->view.ops && tick % VIEW_EVERY == 0)
            s->view.ops->update(s->view.self, at_snapshot_read(at_dsp_snapshots(s->dsp)));
        at_view_action act = s->view.ops ? s->view.ops->poll(s->view.self) : AT_VIEW_NOTHING;
        if (act == AT_VIEW_NOTHING)
            act = read_command(s);
        if (act == AT_VIEW_DISMISS)
            at_dsp_request_dismiss(s->dsp);
        if (act == AT_VIEW_QUIT) {
            snprintf(reason, n, "ended by the agent");
            return AT_CAP_ENDED;
        }
        if (got_signal) {
            snprintf(reason, n, "interrupted by %s", got_signal == SIGINT ? "Ctrl-C (SIGINT)"
                                                                          : "SIGTERM");
            return AT_CAP_ENDED;
        }
        int st;
        if (at_dsp_done(s->dsp, &st, reason, n)) {
            if (st == AT_CAP_ENDED)
                snprintf(reason, n, "end of the replayed file");
            return st;
        }
    }
}

/* The overlay where asked, or by default where there is a display (else
 * the terminal view on a terminal). */
static int open_view(session *s, const at_goals_profile *goals, char *err, size_t n)
{
    const live_opts *o = &s->o;
    at_view_targets tg;
    at_view_targets_init(&tg, goals);
    int events_stdout = o->events && !strcmp(o->events, "-");
    const char *ui = o->ui;
#ifdef ATTUNE_HAVE_OVERLAY
    if (!ui && (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")))
        ui = "overlay";
    if (ui && !strcmp(ui, "overlay")) {
        double k = o->overlay_scale > 0 ? o->overlay_scale : 1;
        int pos = o->overlay_pos ? overlay_corner(o->overlay_pos) : AT_OVERLAY_BOTTOM_RIGHT;
        char why[300];
        if (at_view_overlay_open(&s->view, &tg, (at_overlay_pos)pos, k, why, sizeof why) == 0) {
            s->stdin_commands = 1;   /* the window has the keys */
            return 0;
        }
        if (o->ui) {
            snprintf(err, n, "%s", why);
            return -1;
        }
        ui = NULL;                   /* by default: fall back to the terminal */
    }
#endif
    if (!ui)
        ui = isatty(STDOUT_FILENO) && !events_stdout ? "term" : "none";
    if (!strcmp(ui, "term") && at_view_term_open(&s->view, events_stdout ? stderr : stdout,
                                                 s->cap.describe, &tg, 1) != 0) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    s->stdin_commands = !(s->view.ops && isatty(STDIN_FILENO));
    return 0;
}

static int start(session *s, char *err, size_t n)
{
    const live_opts *o = &s->o;
    if (open_capture(o, &s->cap, &s->io, err, n) != 0)
        return -1;
    s->pa_up = !o->replay;
    s->wall0 = mono_s();
    at_dsp_opts d = {.record_path = o->record, .cap = &s->cap, .wall0 = s->wall0,
                     .first_party = o->first_speaker && o->first_speaker[0] == 'c'
                                        ? ATTUNE_CUSTOMER : ATTUNE_AGENT};
    d.cfg = o->cfg;
    if (at_profile_resolve(o->goals, &d.goals, s->profile, sizeof s->profile) != 0) {
        snprintf(err, n, "see above");
        return -1;
    }
    s->dsp = at_dsp_new(&d, err, n);
    if (!s->dsp || at_events_open(&s->ev, o->events, err, n) != 0)
        return -1;
    s->alerts = malloc(sizeof *s->alerts * MAX_ALERT_LOG);
    if (!s->alerts) {
        snprintf(err, n, "out of memory");
        return -1;
    }
    if (open_view(s, &d.goals, err, n) != 0)
        return -1;
    at_events_start(&s->ev, s->cap.describe, s->io.rate, s->profile, s->started);
    if (s->cap.ops->start(s->cap.self, err, n) != 0)
        return -1;
    if (at_dsp_start(s->dsp) != 0) {
        snprintf(err, n, "cannot start the DSP thread");
        return -1;
    }
    return 0;
}

/* Stops capture and DSP, writes the summary, closes everything.  Returns
 * the exit status. */
static int finish(session *s, int cap_state, const char *reason)
{
    if (s->cap.ops)
        s->cap.ops->stop(s->cap.self);
    int status = cap_state == AT_CAP_LOST ? 1 : 0;
    if (!s->dsp)
        goto close;
    at_dsp_stop(s->dsp);
    drain_messages(s);
    if (s->view.ops)
        s->view.ops->update(s->view.self, at_snapshot_read(at_dsp_snapshots(s->dsp)));
    at_result *r = at_dsp_result(s->dsp);
    r->file = s->cap.describe;
    r->sample_rate = s->io.rate;
    r->channels = s->cap.mono ? 1 : 2;
    r->n_parties = 2;
    r->channel_of[0] = 0;
    r->channel_of[1] = s->cap.mono ? 0 : 1;
    at_session_info info = {
        .source = s->cap.describe, .profile = s->profile, .started_iso = s->started,
        .reason = reason, .recording = s->o.record, .complete = cap_state != AT_CAP_LOST,
        .wall_s = mono_s() - s->wall0, .dsp_cpu_s = at_dsp_cpu_s(s->dsp),
        .n_overruns = at_capture_io_overruns(&s->io), .n_dropped = at_capture_io_dropped(&s->io),
        .n_msgs_dropped = at_msgq_dropped(at_dsp_messages(s->dsp)),
        .n_bad_blocks = at_dsp_bad_blocks(s->dsp),
        .n_no_input = atomic_load(&s->io.n_no_input),
        .alerts = s->alerts, .n_alerts = s->n_alerts,
    };
    char err[1200];
    if (at_summary_write(s->summary, &info, r, err, sizeof err) != 0) {
        at_error("--summary", "%s", err);
        status = 1;
    }
    at_events_end(&s->ev, r->m.duration_s, info.wall_s, reason, info.n_overruns, s->summary);
    if (at_dsp_free(s->dsp, err, sizeof err) != 0) {
        at_error("--record", "%s", err);
        status = 1;
    }
    s->dsp = NULL;
close:
    if (s->view.ops)
        s->view.ops->close(s->view.self);
    at_events_close(&s->ev);
    if (s->cap.ops)
        s->cap.ops->close(s->cap.self);
    /* After a lost device PortAudio would wait for the dead server too. */
    if (s->pa_up && cap_state != AT_CAP_LOST)
        at_pa_terminate();
    at_capture_io_free(&s->io);
    free(s->alerts);
    return status;
}

int at_cmd_live(int argc, char **argv)
{
    session s;
    memset(&s, 0, sizeof s);
    int parsed = parse_options(argc, argv, &s.o);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;
    if (!s.o.replay && !s.o.device && !s.o.agent_dev)
        s.o.device = "default";
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(s.started, sizeof s.started, "%Y-%m-%dT%H:%M:%S%z", &tm);
    if (s.o.summary)
        snprintf(s.summary, sizeof s.summary, "%s", s.o.summary);
    else
        strftime(s.summary, sizeof s.summary, "attune-session-%Y%m%d-%H%M%S.json", &tm);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    char err[1200], reason[300];
    if (start(&s, err, sizeof err) != 0) {
        if (strcmp(err, "see above"))
            at_error(s.o.replay ? s.o.replay : "live", "%s", err);
        if (s.dsp) {
            /* Started far enough to have nothing worth a summary. */
            at_dsp_free(s.dsp, NULL, 0);
            s.dsp = NULL;
        }
        finish(&s, AT_CAP_ENDED, "did not start");
        return 1;
    }
    int st = run(&s, reason, sizeof reason);
    int status = finish(&s, st, reason);
    char tail[2600];
    snprintf(tail, sizeof tail, "%s; %ssummary in %s%s%s", reason,
             st == AT_CAP_LOST ? "partial " : "", s.summary, s.o.record ? ", recording in " : "",
             s.o.record ? s.o.record : "");
    at_error("live", "%s", tail);
    return status;
}
