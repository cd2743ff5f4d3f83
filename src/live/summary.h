/* summary: the session summary `attune live` leaves behind however the
 * session ends (schema attune.session/1, in README.md): how and why it
 * ended, what was lost, every alert change and dismissal, and the same
 * attune.analysis/1 document `analyze` writes, goal slips included. */
#ifndef ATTUNE_SUMMARY_H
#define ATTUNE_SUMMARY_H

#include "msgq.h"
#include "result.h"

#include <stdint.h>

typedef struct at_session_info {
    const char *source, *profile, *started_iso, *reason, *recording;
    int complete;                 /* 0: cut short (device lost) */
    double wall_s, dsp_cpu_s;
    uint64_t n_overruns, n_dropped, n_msgs_dropped, n_bad_blocks, n_no_input;
    const at_live_msg *alerts;    /* the alert changes, in order */
    size_t n_alerts;
} at_session_info;

/* Writes the summary to path (through path.part, renamed when complete).
 * 0, or -1 with a reason in err. */
int at_summary_write(const char *path, const at_session_info *s, const at_result *r, char *err,
                     size_t err_len);

#endif
