/* msgq: what the DSP thread tells the main thread, in order: alerts as they
 * fire, clear or are dismissed, interruptions and backchannels as they are
 * classified, and a metrics line each second of audio.
 * A fixed single-producer single-consumer queue (C11 atomics, as the sample
 * ring); when the main thread falls behind, messages are dropped and
 * counted, never waited for, so a slow sink cannot stall the DSP. */
#ifndef ATTUNE_MSGQ_H
#define ATTUNE_MSGQ_H

#include "attune/attune.h"
#include "goals.h"

#include <stdatomic.h>
#include <stdint.h>

#define AT_MSGQ_CAP 1024   /* a power of two */

typedef enum at_msg_kind { AT_MSG_METRICS = 1, AT_MSG_ALERT, AT_MSG_EVENT } at_msg_kind;

typedef struct at_live_msg {
    at_msg_kind kind;
    double wall_s;          /* monotonic seconds since the session started */
    double t_s;             /* stream time */
    at_alert alert;         /* AT_MSG_ALERT */
    attune_event ev;        /* AT_MSG_EVENT: an interruption or a backchannel */
    attune_metrics m;       /* AT_MSG_METRICS */
    double share_window;    /* agent talk share over the listening window; NAN if none */
    uint64_t n_overruns;
} at_live_msg;

typedef struct at_msgq {
    _Alignas(64) atomic_size_t head;   /* written by the producer */
    _Alignas(64) atomic_size_t tail;   /* written by the consumer */
    atomic_uint_least64_t n_dropped;
    at_live_msg buf[AT_MSGQ_CAP];
} at_msgq;

void at_msgq_init(at_msgq *q);
/* Producer: 0, or -1 when full (counted). */
int at_msgq_put(at_msgq *q, const at_live_msg *m);
/* Consumer: 1 with *m filled, 0 when empty. */
int at_msgq_get(at_msgq *q, at_live_msg *m);
uint64_t at_msgq_dropped(at_msgq *q);

#endif
