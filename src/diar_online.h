/* diar_online: the two speakers of a mono call while it happens, for live
 * monitoring (the offline diarizer, diarize.c, needs the whole call).
 *
 * The first AT_DO_BOOT_S of speech are held back and split in two by
 * 2-means over half-second blocks of mel-cepstra (the first block's
 * cluster is the first speaker), kept if two diagonal Gaussians explain
 * the frames better than one by BIC (else tried again with more speech;
 * audio held back past AT_DO_HOLD_S goes to the first speaker); each
 * speaker's Gaussian is then refined with every frame it is given.  From then on a speech frame goes
 * to the speaker whose Gaussian explains the frames around it better, a
 * window reaching AT_DO_LAG_S ahead, so decisions come that late.  A
 * change of voice without a pause is taken as both speaking around it,
 * as offline (overlap.h: mono_overlap_s before it, mono_overlap_after_s
 * after), once the voice before held interrupt_min_s and the newcomer
 * AT_DO_OV_HOLD_S; the decided frames then go, mono_overlap_s +
 * AT_DO_OV_HOLD_S later, through the same spurt rules (spurts.c) into a
 * two-party conversation stage whose events (interruptions and
 * backchannels among them) are emitted as they become final.  Everything
 * is allocated at creation; memory does not grow. */
#ifndef ATTUNE_DIAR_ONLINE_H
#define ATTUNE_DIAR_ONLINE_H

#include "attune/attune.h"

#define AT_DO_BOOT_S 10.0    /* speech that builds the two speakers */
#define AT_DO_HOLD_S 60.0    /* the most audio held back while it comes */
#define AT_DO_LAG_S 0.5      /* how far ahead a decision looks */
#define AT_DO_OV_HOLD_S 0.1  /* a newcomer's hold after a change of voice, for overlap */

typedef struct at_diar_online at_diar_online;

/* first_party: the party of the first voice (0 or 1); events go to emit. */
at_diar_online *at_diar_online_new(const attune_config *cfg, double fps, int first_party,
                                   attune_event_fn emit, void *user);
void at_diar_online_free(at_diar_online *o);

/* Frame t (in order from 0): its cepstra (AT_N_CEPS values, cepstra.h) and
 * the channel's decision bits (AT_DIAR_*, diarize.h). */
void at_diar_online_frame(at_diar_online *o, long t, const float *ceps, int bits);

/* The conversation fields of m over the frames decided so far. */
void at_diar_online_metrics(const at_diar_online *o, attune_metrics *m);

/* Whether the two speakers have been found yet (for tests). */
int at_diar_online_ready(const at_diar_online *o);

#endif
