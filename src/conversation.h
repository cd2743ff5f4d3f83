/* conversation: the two parties' talk spurts to conversation events, with
 * the conventions of DEVELOPERS.md: interruptions and backchannels (a spurt
 * starting while the other party is mid-spurt), response gaps (the floor
 * passing without overlap), turns, monologues, overtalk and dead air.
 * Each spurt is classified as soon as what decides it is final; memory is
 * a fixed ring of recent spurts per party. */
#ifndef ATTUNE_CONVERSATION_H
#define ATTUNE_CONVERSATION_H

#include "attune/attune.h"

#define AT_RING 128        /* closed spurts remembered per party */
#define AT_LIVE 8          /* spurts of a party still being classified */
#define AT_GAP_BINS 3000   /* response-gap histogram, one bin per frame (30 s) */

typedef struct at_spurt_rec {
    long s, e;             /* frames [s, e) */
    int floor;             /* took the floor */
} at_spurt_rec;

typedef struct at_live_spurt {
    long s, e;             /* e = -1 while open */
    int ov;                /* -1 unknown, 0 started in the clear, 1 started over the other */
    long y_s;              /* the other party's spurt it started over */
    int floor_done;
    int done;
} at_live_spurt;

typedef struct at_party_conv {
    at_spurt_rec ring[AT_RING];
    int ring_n, ring_head;
    at_live_spurt live[AT_LIVE];
    int n_live;
    int open;              /* a confirmed spurt is open */
    long open_s, open_last;
    long talk_frames;
    int n_spurts, n_turns, n_interruptions, n_backchannels;
    long turn_start;
    long longest_mono;
    int gap_hist[AT_GAP_BINS];
    int n_gaps;
} at_party_conv;

typedef struct at_conv {
    double fps;            /* frames per second */
    long bridge, ov_min, int_min, dead_air; /* frames */
    int n_parties;
    at_party_conv pc[ATTUNE_N_PARTIES];
    int floor_party;
    long last_end_any;     /* -1 before any speech */
    long overtalk_frames;
    long dead_air_frames;
    int n_dead_air;
    attune_event_fn emit;
    void *user;
} at_conv;

void at_conv_init(at_conv *c, const attune_config *cfg, double fps, int n_parties,
                  attune_event_fn emit, void *user);

/* A party's spurt was confirmed (it began at frame s). */
void at_conv_open(at_conv *c, int party, long s);
/* The open spurt's last speech frame so far. */
void at_conv_progress(at_conv *c, int party, long last);
/* The spurt [s, e) ended. */
void at_conv_close(at_conv *c, int party, long s, long e);
/* Call once per frame after the parties' updates: classifies what it can. */
void at_conv_step(at_conv *c);
/* End of stream: classifies everything left. */
void at_conv_finish(at_conv *c);

/* Fills the conversation fields of m (duration_s must be set). */
void at_conv_metrics(const at_conv *c, attune_metrics *m);

#endif
