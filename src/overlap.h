/* overlap: where both voices of a mono call speak at once.  A frame has
 * one speaker after diarization (diarize.c), so an interruption would show
 * only as a change of speaker.  Two voices rarely hand over the floor
 * within one 10 ms frame: a change of speaker inside continuous speech,
 * with no pause between them and each voice holding the floor on its side
 * for interrupt_min_s (as long as an interruption must last; labels that
 * waver are not a change), is where the newcomer
 * started over the other
 * (an interruption, or a latched reply).  There both speak for a
 * while either side of the change, so the conversation stage
 * sees the overlap and classifies it as for a stereo call.  The overlap's
 * half-width is mono_overlap_s (0.2 s: together 0.4 s, over the 0.3 s an
 * interruption must overlap; 0 turns this off).
 *
 * Acoustic cues were measured first, on generated calls mixed to mono
 * (clean16k and phone, 16 calls): per frame, the drop of the harmonicity
 * peak and the rise of a second periodicity not harmonically related to
 * the first (two competing pitch tracks) separate overlapped from single
 * talk frames only weakly (ROC AUC 0.55 and 0.59), and around speaker
 * changes they do not tell interruptions from latched replies (0.46-0.67),
 * so they are not used. */
#ifndef ATTUNE_OVERLAP_H
#define ATTUNE_OVERLAP_H

#include "diarize.h"


/* The speaker (0 or 1) who also speaks in frame t besides its labelled
 * one, or -1: a change of speaker with no pause lies at most before_frames
 * after t (the newcomer started early) or after_frames before it (the
 * other voice carries on), and each voice holds min_run frames on its
 * side of it.  d is labelled (at_diar_run). */
int at_overlap_second(const at_diar *d, long t, int before_frames, int after_frames,
                      int min_run);

/* The second cue: a pitch that belongs to the other voice.  Where one
 * voice is labelled, the other's backchannel ("mm-hmm") or the tail of an
 * interrupted sentence often still wins the pitch tracker for a few
 * frames, since the labels follow the spectral envelope of the louder
 * voice.  When the two voices' median pitches lie min_sep_st or more
 * apart, a run of AT_OV_PITCH_RUN frames or more whose pitch lies within
 * AT_OV_PITCH_ST of the other voice's median and as far from the own
 * voice's median is the other voice speaking too, and so are the frames
 * within AT_OV_PITCH_REACH of it (the run is the loudest part of a
 * syllable).  On the generated mono calls (seeds 2-5, 7-10; 5 semitones)
 * the runs were the other voice's in 100 % of frames on clean calls and
 * 80 % on phone calls, a fifth of the overlapped speech the labels lose;
 * the talk-share error fell from up to 3.5 points to 2.95 (clean) and
 * from 4.1 to 2.8 (phone).  On real meetings of 3-4 speakers (AMI
 * excerpts) it adds false alarm (a third voice, or one voice's own pitch
 * excursions): median DER 36 to 40 %; keeping to pitches outside the own
 * voice's 5-95 % range halved that but cost the generated calls most of
 * the gain, so it is not done. */
#define AT_OV_PITCH_ST 3.0
#define AT_OV_PITCH_RUN 3      /* frames */
#define AT_OV_PITCH_REACH 5    /* frames */

typedef struct at_overlap_voices {
    double median_st[2];      /* each voice's median pitch, semitones over 50 Hz */
    int apart;                /* the medians lie min_sep_st or more apart */
} at_overlap_voices;

/* The voices' median pitches over the frames labelled with each alone
 * (min_sep_st 0: the cue is off). */
void at_overlap_voices_find(const at_diar *d, double min_sep_st, at_overlap_voices *v);

/* The speaker (0 or 1) who also speaks in frame t by the pitch cue (its
 * pitch held near t though the other is labelled), or -1. */
int at_overlap_pitch(const at_diar *d, const at_overlap_voices *v, long t);

#endif
