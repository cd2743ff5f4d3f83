/* dsp: the thread between capture and everything else.  It drains the
 * rings through the same pipeline as `analyze`, runs the goals engine,
 * writes the recording (never the callback), publishes a snapshot for the
 * views and queues alerts and per-second metrics for the sinks.  It keeps
 * the whole session's events and alerts for the summary.  Everything is
 * allocated in at_dsp_new() except the summary's event lists, which grow
 * like `analyze`'s. */
#ifndef ATTUNE_DSP_H
#define ATTUNE_DSP_H

#include "attune/attune.h"
#include "capture.h"
#include "goals.h"
#include "msgq.h"
#include "result.h"
#include "snapshot.h"

typedef struct at_dsp at_dsp;

typedef struct at_dsp_opts {
    attune_config cfg;
    at_goals_profile goals;
    const char *record_path;     /* NULL: no recording */
    at_capture *cap;
    double wall0;                /* monotonic start of the session */
    int first_party;             /* a mono replay: the party of the first voice */
} at_dsp_opts;

/* Creates the pipeline, the goals and the recording file.  NULL with a
 * one-line reason in err. */
at_dsp *at_dsp_new(const at_dsp_opts *o, char *err, size_t err_len);

/* Starts the thread; 0 or -1. */
int at_dsp_start(at_dsp *d);

/* Nonzero once the thread has stopped by itself: the capture ended or was
 * lost (*reason says which). */
int at_dsp_done(at_dsp *d, int *cap_state, char *reason, size_t reason_len);

/* Asks the thread to dismiss the active alerts (thread-safe). */
void at_dsp_request_dismiss(at_dsp *d);

/* Stops the thread after it has drained what the capture delivered, and
 * finishes the pipeline.  Call after stopping the capture. */
void at_dsp_stop(at_dsp *d);

/* For the main thread while the DSP runs. */
at_msgq *at_dsp_messages(at_dsp *d);
at_snapshot_box *at_dsp_snapshots(at_dsp *d);

/* After at_dsp_stop(): the session's events, metrics and goal slips; the
 * DSP thread's CPU time; blocks of bad samples zeroed. */
at_result *at_dsp_result(at_dsp *d);
double at_dsp_cpu_s(const at_dsp *d);
uint64_t at_dsp_bad_blocks(const at_dsp *d);

/* Closes the recording (reason in err if it failed) and frees everything. */
int at_dsp_free(at_dsp *d, char *err, size_t err_len);

#endif
