/* spurts: turns one party's frame decisions into talk spurts.  A spurt is
 * seeded by strong frames, grows over weak frames up to vad_extend_s around
 * its seeds, bridges pauses shorter than bridge_s, and counts only once it
 * holds vad_min_voiced_s of voiced seeds, some of them near the party's
 * own speech level, and lasts min_spurt_s. */
#ifndef ATTUNE_SPURTS_H
#define ATTUNE_SPURTS_H

#include "attune/attune.h"

typedef struct at_spurts {
    int bridge, extend, min_voiced, min_len; /* in frames */
    int in_spurt;
    int confirmed;
    long start, last_core, last_speech;
    long prev_end;
    int n_voiced, n_loud;
    long run_weak;
} at_spurts;

/* What one frame did to the party's spurt. */
typedef struct at_spurt_step {
    int closed;        /* a confirmed spurt ended: [start, end) */
    long start, end;
    int opened;        /* a spurt was confirmed: it began at open_start */
    long open_start;
} at_spurt_step;

void at_spurts_init(at_spurts *s, const attune_config *cfg, double frames_per_s);

#define AT_SPURT_MIN_LOUD 2 /* voiced frames near the party's level a spurt needs */

/* Feeds frame t's decision; voiced is 0, 1 (voiced) or 2 (voiced and near
 * the party's speech level). */
void at_spurts_frame(at_spurts *s, long t, int weak, int strong, int voiced,
                     at_spurt_step *step);

/* Closes an open spurt at the end of the stream. */
void at_spurts_finish(at_spurts *s, at_spurt_step *step);

/* Whether a confirmed spurt is open, and its start and last speech frame. */
int at_spurts_open(const at_spurts *s, long *start, long *last);

#endif
