/* front: the half of each hop's analysis that depends only on the
 * channel's own samples (frame.c: window, forward FFT, power spectrum,
 * band powers, level), run ahead of the rest in blocks of hops by a worker
 * thread, for file analysis (attune_pipeline_set_threads).  It is about
 * half the work at 16 kHz and 40 % at 8 kHz; the autocorrelation stays
 * with the rest, computed only for the frames the voice-activity stage
 * finds may be speech, as with one thread.
 *
 * The caller stores samples until a block is complete, then cycles: the
 * block the worker has been analysing is finished (the caller takes its
 * last hops itself rather than wait), the complete block goes to the
 * worker, and the caller gets the finished one's results to run the rest
 * of the analysis on while the worker analyses the next.  The worker and
 * the caller share a block's hops through one atomic counter, so neither
 * waits long for the other on a busy machine.  Each hop is computed by the
 * same code from the same samples whichever thread takes it: the results
 * are the single-threaded pipeline's, bit for bit.
 *
 * Everything is allocated in at_front_new: a sample ring of two blocks and
 * a window, two blocks of results.  The worker never allocates; it waits
 * on a condition variable between blocks (never in an audio callback: the
 * live path does not use this).  At 16 kHz stereo that is 0.7 MB. */
#ifndef ATTUNE_FRONT_H
#define ATTUNE_FRONT_H

#include "frame.h"

#include <stddef.h>

#define AT_FRONT_BLOCK 64 /* hops per block: 0.64 s of audio */

typedef struct at_front at_front;

/* Frames of g for n_parties (1 or 2) channels, hop j's window covering
 * stored samples [j * hop, j * hop + wlen), the first `lead` of them zeros
 * already there.  Starts the worker thread.  NULL when out of memory or
 * threads. */
at_front *at_front_new(const at_frame_geom *g, int n_parties, int lead);

/* Stops and joins the worker, frees everything. */
void at_front_free(at_front *f);

/* Stores up to n samples of each party from ch[i] + off (ch NULL: zeros),
 * stopping where the block being filled is complete.  Returns how many
 * were stored. */
size_t at_front_store(at_front *f, const float *const *ch, size_t off, size_t n);

/* 1 when the block being filled holds AT_FRONT_BLOCK complete hops. */
int at_front_full(const at_front *f);

/* Hops whose samples are all stored. */
long at_front_hops(const at_front *f);

/* Hands the block being filled (its complete hops, possibly none) to the
 * worker and returns the block handed over the time before, analysed:
 * *rec its results (hop-major: rec[h * n_parties + party]), valid until
 * the next cycle, and *t0 its first hop.  Returns its number of hops. */
int at_front_cycle(at_front *f, const at_frame_rec **rec, long *t0);

#endif
