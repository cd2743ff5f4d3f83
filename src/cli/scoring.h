/* scoring: an annotation (hypothesis) against a reference, with the metrics
 * of `attune score` and `attune tune`.  Definitions in README.md
 * ("Researchers"); the shared ones agree with tools/scorelib.py. */
#ifndef ATTUNE_SCORING_H
#define ATTUNE_SCORING_H

#include "annot.h"

#define AT_MATCH_S 0.5          /* an event matches within this of the reference onset */
#define AT_PATIENCE_MISS_S 1.0  /* patience stated on one side only, in totals */

/* One file's score, or the sum over files: every field adds up. */
typedef struct at_score {
    int n_files, n_speech_only;
    /* Diarization error, time-weighted, collars excluded. */
    double scored_s, ref_s, missed_s, false_alarm_s, confusion_s;
    /* Frame agreement: frames x parties compared, and how many agreed. */
    long n_frames, n_agree;
    long party_frames, party_agree[2];   /* per party (one file) */
    /* Party metrics, only where both sides have two parties. */
    int n_parties_scored;                /* files */
    double talk_share_err_pp;            /* sum over files */
    int n_events, tp, fp, fn;            /* interruptions, pooled */
    int n_patience;                      /* (file, party) pairs */
    double patience_err_s;               /* sum; a one-sided null counts AT_PATIENCE_MISS_S */
    double patience_party_s[2];          /* one file: per party; inf for a one-sided null */
} at_score;

/* Scores hyp against ref with the collar (s) around reference boundaries.
 * Returns 0, or -1 when out of memory. */
int at_score_pair(const at_annot *ref, const at_annot *hyp, double collar, at_score *s);
void at_score_add(at_score *total, const at_score *s);

/* Derived values; NAN where nothing was scored. */
double at_score_der(const at_score *s);
double at_score_frame_agreement(const at_score *s);
double at_score_talk_share_err(const at_score *s);
double at_score_patience_err(const at_score *s);
void at_score_prf(const at_score *s, double *precision, double *recall, double *f1);

#endif
