/* syllables: syllable nuclei of one party without speech recognition, after
 * De Jong & Wempe (2009, "Praat script to detect syllable nuclei and measure
 * speech rate automatically", Behavior Research Methods 41(2), 385-390):
 * peaks of the smoothed vowel-band level (at_syl_level_db) that stand at
 * least 2 dB above the dips on both sides, are voiced, and are no more than
 * 25 dB below the party's loud voiced speech (the 0.99 quantile of frames
 * the pitch tracker gives an F0).  A peak with only a weak periodicity (no
 * F0: creak, breath, a burst) needs more level to count: no more than 18 dB
 * below.  Frames arrive in order, each with its final voicing decision; a
 * nucleus is reported once the dip after it is seen.  Until the party has
 * said enough for that level reference to mean anything, peaks are held (at
 * most AT_SYL_HOLD_S) and judged once it does, so a short clip keeps its
 * first syllables.  State is fixed-size. */
#ifndef ATTUNE_SYLLABLES_H
#define ATTUNE_SYLLABLES_H

#define AT_SYL_DIP_DB 2.0        /* De Jong & Wempe's "minimum dip between peaks" */
#define AT_SYL_BELOW_TOP_DB 25.0 /* their silence threshold re the 0.99 quantile */
#define AT_SYL_BELOW_TOP_PERIODIC_DB 18.0 /* the same for a peak with no F0 near it */
#define AT_SYL_MIN_GAP_S 0.07    /* nuclei closer than this are one syllable (14/s) */
#define AT_SYL_LEVEL_BINS 260    /* level histogram, 0.5 dB bins from -120 dB */
#define AT_SYL_HOLD_S 0.3        /* longest a peak waits for the level reference */
#define AT_SYL_HELD 8            /* peaks held at once (>= AT_SYL_HOLD_S / MIN_GAP) */
#define AT_SYL_MAX_OUT (AT_SYL_HELD + 1) /* nuclei one call may report */
#define AT_SYL_LEVEL_BANDS 8     /* frame.c's mel bands 0-7: 150 to about 1250 Hz */

/* A frame's voicing as the pitch tracker saw it. */
enum { AT_SYL_UNVOICED = 0, AT_SYL_PERIODIC = 1, AT_SYL_PITCHED = 2 };

typedef struct at_syl {
    int min_gap;                 /* frames */
    float pw[3];                 /* the last three frames' power, for smoothing */
    int n_in;                    /* frames fed */
    int rising;                  /* looking for a peak (after a dip) */
    double ext;                  /* the running maximum (rising) or minimum */
    long ext_t;
    int ext_voicing, ext_speech;
    long last_nucleus;
    long last_periodic, last_pitched; /* the last frames so voiced */
    long hist[AT_SYL_LEVEL_BINS];
    long n_hist;
    double top_db;               /* 0.99 quantile of pitched speech levels, cached */
    int voicing_prev, speech_prev;
    long held_t[AT_SYL_HELD];    /* peaks waiting for the level reference */
    float held_db[AT_SYL_HELD];
    unsigned char held_voicing[AT_SYL_HELD];
    int n_held;
    int hold;                    /* frames, from AT_SYL_HOLD_S */
} at_syl;

void at_syl_init(at_syl *s, double frames_per_s);

/* The level the detector wants of a frame, from its AT_SYL_LEVEL_BANDS
 * lowest band powers (at_frame_bands): their sub-band correlation, the mean
 * over band pairs of sqrt(b_i b_j), in dB.  High when a vowel's harmonics
 * and first formant fill the bands together, low when one band carries the
 * energy (a nasal's murmur, a voice bar), so the dip between two syllables
 * is deeper than in the bands' sum (after Wang & Narayanan 2007, "Robust
 * speaking rate estimation using broad phonetic class recognition", whose
 * sub-band correlation this is, on attune's mel bands). */
double at_syl_level_db(const float *bands);

/* Feeds frame t (frames in order): its level (at_syl_level_db), whether it
 * is speech-like (the VAD's weak decision) and its voicing (AT_SYL_*: an F0
 * from the pitch tracker, only a voiced candidate, or neither).  Writes the
 * frames of the nuclei that became final to nuclei (room for
 * AT_SYL_MAX_OUT, oldest first) and returns their number; -1 for a voicing
 * out of range. */
int at_syl_frame(at_syl *s, long t, double level_db, int speech, int voicing, long *nuclei);

/* At the end of the stream: judges the held peaks and a peak still rising
 * when the audio stops (a clip cut inside a vowel); writes their frames as
 * at_syl_frame() does and returns their number. */
int at_syl_finish(at_syl *s, long *nuclei);

#endif
