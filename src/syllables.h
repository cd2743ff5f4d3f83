/* syllables: syllable nuclei of one party without speech recognition, after
 * De Jong & Wempe (2009, "Praat script to detect syllable nuclei and measure
 * speech rate automatically", Behavior Research Methods 41(2), 385-390):
 * peaks of the smoothed speech-band level that stand at least 2 dB above the
 * dips on both sides, are voiced, and are no more than 25 dB below the
 * party's loud speech (its 0.99 quantile).  Frames arrive in order, each
 * with its final voicing decision; a nucleus is reported once the dip after
 * it is seen.  Until the party has said enough for that level reference to
 * mean anything, peaks are held (at most AT_SYL_HOLD_S) and judged once it
 * does, so a short clip keeps its first syllables.  State is fixed-size. */
#ifndef ATTUNE_SYLLABLES_H
#define ATTUNE_SYLLABLES_H

#define AT_SYL_DIP_DB 2.0        /* De Jong & Wempe's "minimum dip between peaks" */
#define AT_SYL_BELOW_TOP_DB 25.0 /* their silence threshold re the 0.99 quantile */
#define AT_SYL_MIN_GAP_S 0.07    /* nuclei closer than this are one syllable (14/s) */
#define AT_SYL_LEVEL_BINS 260    /* level histogram, 0.5 dB bins from -120 dB */
#define AT_SYL_HOLD_S 0.3        /* longest a peak waits for the level reference */
#define AT_SYL_HELD 8            /* peaks held at once (>= AT_SYL_HOLD_S / MIN_GAP) */
#define AT_SYL_MAX_OUT (AT_SYL_HELD + 1) /* nuclei one call may report */

typedef struct at_syl {
    int min_gap;                 /* frames */
    float pw[3];                 /* the last three frames' power, for smoothing */
    int n_in;                    /* frames fed */
    int rising;                  /* looking for a peak (after a dip) */
    double ext;                  /* the running maximum (rising) or minimum */
    long ext_t;
    int ext_voiced, ext_speech;
    long last_nucleus;
    long last_voiced;
    long hist[AT_SYL_LEVEL_BINS];
    long n_hist;
    double top_db;               /* 0.99 quantile of speech levels, cached */
    int voiced_prev, speech_prev;
    long held_t[AT_SYL_HELD];    /* peaks waiting for the level reference */
    float held_db[AT_SYL_HELD];
    int n_held;
    int hold;                    /* frames, from AT_SYL_HOLD_S */
} at_syl;

void at_syl_init(at_syl *s, double frames_per_s);

/* Feeds frame t (frames in order): its vowel-band level, whether it is
 * speech-like (the VAD's weak decision) and voiced (the pitch tracker's).
 * Writes the frames of the nuclei that became final to nuclei (room for
 * AT_SYL_MAX_OUT, oldest first) and returns their number. */
int at_syl_frame(at_syl *s, long t, double level_db, int speech, int voiced, long *nuclei);

/* At the end of the stream: judges the held peaks and a peak still rising
 * when the audio stops (a clip cut inside a vowel); writes their frames as
 * at_syl_frame() does and returns their number. */
int at_syl_finish(at_syl *s, long *nuclei);

#endif
