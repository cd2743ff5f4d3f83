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
 * one, or -1: a change of speaker with no pause lies within half_frames
 * of t, and each voice holds min_run frames on its side of it.  d is
 * labelled (at_diar_run). */
int at_overlap_second(const at_diar *d, long t, int half_frames, int min_run);

#endif
