/* vad: voice activity of each party, judged on both channels together.
 *
 * A channel holds its party's voice, noise, sometimes other talkers far
 * behind, and a delayed, weaker, filtered copy of the other party (line echo
 * or acoustic leak).  Per frame and band we compare the power with what is
 * expected without the party speaking: the noise floor plus the other
 * party's recent power times a learned per-band coupling.  The mean band SNR
 * over that expectation seeds speech when it is high and the frame is near
 * the party's own speech level (not a background talker 20 dB down); weaker
 * frames may only extend speech around seeds (spurts.c does that). */
#ifndef ATTUNE_VAD_H
#define ATTUNE_VAD_H

#include "attune/attune.h"
#include "frame.h"

typedef struct at_vad_out {
    double snr_db;    /* mean band SNR over noise and predicted echo */
    double level_db;  /* speech-band level */
    double noise_db;  /* noise floor, summed over the bands */
    double leak_db;   /* predicted leak of the other party, summed over the bands */
    double party_level_db; /* the party's learned speech level (-inf until learned) */
    double voicing;   /* normalised autocorrelation peak (0 when not weak) */
    int pitch_lag;    /* its lag in samples */
    int weak;         /* may extend speech */
    int strong;       /* may seed speech */
    int voiced;       /* strong and periodic */
    int loud;         /* voiced and near the party's speech level */
} at_vad_out;

typedef struct at_vad at_vad;

at_vad *at_vad_new(const attune_config *cfg, const at_frame_geom *g, int n_parties);
void at_vad_free(at_vad *v);

/* Judges one frame of every party; frames[p] were analysed already. */
void at_vad_process(at_vad *v, at_frame *const *frames, at_vad_out *out);

/* A channel carrying two voices (a mono call): its one learned level is
 * the louder voice's, so both level ranges widen by spread_db to keep the
 * quieter voice's seeds and spurts, and seeds need onset_db; a held pitch
 * seeds speech under the onset, within the unwidened range.  Call before
 * the first frame. */
void at_vad_two_voices(at_vad *v, double spread_db, double onset_db);

/* Learned state, for tests and the frames view. */
double at_vad_level_db(const at_vad *v, int party);
double at_vad_coupling_db(const at_vad *v, int party); /* mean over bands */

#endif
