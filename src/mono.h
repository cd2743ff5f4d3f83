/* mono: a mono call heard as two parties, the pipeline's two-pass path.
 * While the audio is pushed it stores each frame's mel-cepstra and voice-
 * activity decision (diarize.c) and the channel's talk spurts; at the end
 * it labels the speech with two speakers and replays each party's frames
 * through the same spurt rules (spurts.c) into a two-party conversation
 * stage, so every conversation event follows the stereo conventions.
 * Offline by design: labels need the whole call, so memory is bounded by
 * max_frames given at creation (about 60 bytes per 10 ms frame). */
#ifndef ATTUNE_MONO_H
#define ATTUNE_MONO_H

#include "attune/attune.h"
#include "conversation.h"
#include "diar_online.h"
#include "diarize.h"
#include "frame.h"
#include "vad.h"

typedef struct at_mono at_mono;

/* first_party: the party of the first voice to speak (0 or 1). */
at_mono *at_mono_new(const at_frame_geom *g, long max_frames, int first_party);
void at_mono_free(at_mono *m);

/* Frame t of the channel, after voice activity; -1 past max_frames. */
int at_mono_frame(at_mono *m, long t, at_frame *f, const at_vad_out *out);
/* The frame observer's row (final pitch and nucleus). */
void at_mono_observe(at_mono *m, const attune_frame_info *fi);
/* A talk spurt [s, e) of the channel closed. */
void at_mono_spurt(at_mono *m, long s, long e);

void at_mono_set_agent_voice(at_mono *m, const at_voiceprint *vp);
/* Each frame also goes to o, the live labelling (diar_online.c). */
void at_mono_set_live(at_mono *m, at_diar_online *o);
void at_mono_set_syllables_per_word(at_mono *m, double spw);

/* Vocal stress per voice (who: ATTUNE_STRESS_*; the customer's by
 * default, as for a stereo call), pooled over each party's own frames at
 * finish and emitted through emit as ATTUNE_EV_STRESS.  Stores four frame
 * features (8 bytes per frame) while who is not NONE.  model may be NULL
 * (features pooled, no index).  Returns 0, or -1 out of memory. */
int at_mono_set_stress(at_mono *m, int who, const attune_stress_model *model,
                       attune_event_fn emit, void *user);

/* Labels the speakers and replays both parties into c (initialised for
 * two parties by the caller).  Returns 0, or -1 when the speech was too
 * little to find two voices (all of it is then the agent's). */
int at_mono_finish(at_mono *m, at_conv *c, const attune_config *cfg, double fps);

/* Per-party pitch and speech rate, over m's parties (after finish). */
void at_mono_metrics(const at_mono *m, attune_metrics *out);

/* The voice of all the speech stored (for an enrolment clip). */
void at_mono_voiceprint(const at_mono *m, at_voiceprint *vp);

#endif
