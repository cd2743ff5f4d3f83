/* prosody: pitch and speech rate of each party, wired into the pipeline.
 * Per frame it feeds the autocorrelation the voice-activity stage already
 * computed to the pitch tracker (pitch.c), the tracker's final decisions to
 * the syllable-nucleus detector (syllables.c), and counts the nuclei that
 * fall inside the party's talk spurts.  From those it keeps syllables per
 * second of talk, words per minute, a pace timeline (rolling 30 s of the
 * party's speech, a point every 5 s of it) and the party's own baseline
 * pace (its first 60 s of speech).  Because pitch and nuclei are decided
 * with a delay, the per-frame observer runs AT_PROSODY_OBS_DELAY frames
 * behind the analysis so that each row carries its final F0 and nucleus. */
#ifndef ATTUNE_PROSODY_H
#define ATTUNE_PROSODY_H

#include "attune/attune.h"
#include "frame.h"
#include "spurts.h"
#include "vad.h"

#define AT_PROSODY_OBS_DELAY 64     /* frames the observer lags the analysis */
#define AT_PACE_WINDOW_S 30.0       /* the pace timeline's rolling window of speech */
#define AT_PACE_STEP_S 5.0          /* a timeline point per this much speech */
#define AT_PACE_BASELINE_S 60.0     /* the party's baseline: its first minute of speech */
#define AT_SYLLABLES_PER_WORD 1.45  /* used until the model file sets it (models/pace.txt) */

typedef struct at_prosody at_prosody;

at_prosody *at_prosody_new(const at_frame_geom *g, int n_parties, attune_event_fn emit,
                           void *user);
void at_prosody_free(at_prosody *pr);

/* Sets the words-per-minute conversion; returns 0 or -1 outside 0.5..5. */
int at_prosody_set_syllables_per_word(at_prosody *pr, double spw);

/* Whose vocal stress is computed (ATTUNE_STRESS_*; the customer's, or a
 * mono stream's one party's, by default).  Returns 0, -1 for a bad value or
 * -2 when out of memory. */
int at_prosody_set_stress(at_prosody *pr, int who);
/* Returns 0, or -1 for a model stress.c rejects. */
int at_prosody_set_stress_model(at_prosody *pr, const attune_stress_model *m);
void at_prosody_set_stress_observer(at_prosody *pr, attune_stress_fn fn, void *user);

/* The per-frame observer; frame infos go through at_prosody_observe(). */
void at_prosody_set_observer(at_prosody *pr, attune_frame_fn fn, void *user);
/* Queues one party's info of the frame being analysed (call before
 * at_prosody_frame for that frame); it reaches the observer later with
 * f0_hz and nucleus filled in. */
void at_prosody_observe(at_prosody *pr, const attune_frame_info *fi);

/* Frame t of every party, after voice activity. */
void at_prosody_frame(at_prosody *pr, long t, at_frame *const *frames, const at_vad_out *out);

/* A party's spurt state after frame t (or at the end, t = -1). */
void at_prosody_spurts(at_prosody *pr, int party, long t, const at_spurt_step *st,
                       const at_spurts *sp);

/* End of stream: decides the frames still pending.  Call before the
 * spurts are finished; at_prosody_finish() after. */
void at_prosody_flush(at_prosody *pr);
void at_prosody_finish(at_prosody *pr);

/* Fills the prosody fields of m's parties. */
void at_prosody_metrics(const at_prosody *pr, attune_metrics *m);

#endif
