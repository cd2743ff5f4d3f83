/* snapshot: the metrics the views show, published by the DSP thread
 * through a triple buffer: the writer fills a back buffer and swaps it with
 * the middle one; the reader swaps the middle one for its front buffer when
 * a new one is there.  Neither ever waits for the other, and the reader
 * never sees a half-written snapshot, so a slow view cannot stall the DSP. */
#ifndef ATTUNE_SNAPSHOT_H
#define ATTUNE_SNAPSHOT_H

#include "attune/attune.h"
#include "goals.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct at_snapshot {
    double t_s;                        /* stream time */
    attune_metrics m;
    double share_window;               /* agent talk share over the listening window */
    double value[AT_N_GOALS];          /* each goal's measure, NAN when none */
    int active[AT_N_GOALS];            /* its alert is showing */
    double last_gap_s;                 /* the agent's last response gap, NAN before one */
    uint64_t n_overruns, n_dropped;    /* capture blocks and samples lost */
    double ring_fill;                  /* 0..1, how far the DSP is behind */
} at_snapshot;

typedef struct at_snapshot_box {
    at_snapshot buf[3];
    atomic_int middle;                 /* index, | 4 when fresh */
    int back, front;                   /* owned by the writer and reader */
} at_snapshot_box;

void at_snapshot_init(at_snapshot_box *b);
/* Writer: the buffer to fill, then publish it. */
at_snapshot *at_snapshot_back(at_snapshot_box *b);
void at_snapshot_publish(at_snapshot_box *b);
/* Reader: the newest complete snapshot (the same one until a new one). */
const at_snapshot *at_snapshot_read(at_snapshot_box *b);

#endif
