/* attune: the public API of libattune, the two-party call analysis core.
 *
 * A pipeline takes blocks of float samples in [-1, 1] for each party at a
 * fixed sample rate and emits conversation events as they become final.
 * Files, replays and live devices all feed the same attune_pipeline_push().
 * Memory is allocated in attune_pipeline_new() and never grows with the
 * length of the call.  The library never prints and never exits. */
#ifndef ATTUNE_ATTUNE_H
#define ATTUNE_ATTUNE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATTUNE_VERSION "0.1.0"

/* Status codes: 0 is success, every error is negative. */
enum {
    ATTUNE_OK = 0,
    ATTUNE_ERR_NOMEM = -1,
    ATTUNE_ERR_ARG = -2,     /* a bad argument or configuration value */
    ATTUNE_ERR_RATE = -3,    /* sample rate outside 8000..48000 Hz */
    ATTUNE_ERR_SAMPLE = -4,  /* NaN or Inf in the input */
    ATTUNE_ERR_STATE = -5,   /* push after finish, or similar misuse */
};

/* A short English description of a status code; never NULL. */
const char *attune_strerror(int status);

/* The parties.  A mono pipeline has only ATTUNE_AGENT, reported as "speaker". */
enum { ATTUNE_AGENT = 0, ATTUNE_CUSTOMER = 1, ATTUNE_N_PARTIES = 2 };

/* Every threshold and window of the analysis.  Fill with attune_config_init()
 * and change fields or use attune_config_set(); the pipeline copies it. */
typedef struct attune_config {
    /* Talk spurts and conversation conventions. */
    double bridge_s;              /* pauses shorter than this are bridged inside a spurt */
    double min_spurt_s;           /* shorter speech is dropped (clicks, breaths) */
    double interrupt_overlap_s;   /* an interruption overlaps the other party at least this long */
    double interrupt_min_s;       /* ... and lasts at least this long; shorter is a backchannel */
    double dead_air_s;            /* mutual silence longer than this is dead air */
    /* Voice activity. */
    double vad_onset_db;          /* mean band SNR over noise and echo that seeds speech */
    double vad_offset_db;         /* ... that sustains and extends speech */
    double vad_level_range_db;    /* seeds must be within this of the party's speech level */
    double vad_confirm_range_db;  /* a spurt needs voiced frames within this of that level */
    double vad_voicing;           /* normalised autocorrelation peak that counts a frame as voiced */
    double vad_min_voiced_s;      /* a spurt needs this much voiced seed speech */
    double vad_extend_s;          /* how far weak speech extends a spurt before and after */
    double echo_max_delay_s;      /* longest delay of the other party's leak into a channel */
    double echo_margin_db;        /* safety margin on the predicted leak */
    double vad_cross_channel;     /* 1: both channels judged together; 0: each alone */
    double mono_vad_onset_db;     /* vad_onset_db on a diarized mono channel */
    double mono_overlap_s;        /* ... the newcomer speaks this long before a change without a pause */
    double mono_overlap_after_s;  /* ... and the other voice this long after it */
    double mono_pitch_sep_st;     /* ... the other voice's pitch is overlap if the voices lie this far apart */
    double mono_level_spread_db;  /* a diarized mono channel widens both level ranges by this */
} attune_config;

/* Fill cfg with the defaults documented in README.md. */
void attune_config_init(attune_config *cfg);

/* Set one field by its name (as in the struct) from text.  Returns 0, or
 * ATTUNE_ERR_ARG for an unknown key or a value that is not a number in range. */
int attune_config_set(attune_config *cfg, const char *key, const char *value);

/* Checks every field is in range; returns 0 or ATTUNE_ERR_ARG and, if bad_key
 * is not NULL, points it at the first bad field's name. */
int attune_config_check(const attune_config *cfg, const char **bad_key);

/* Describing the configuration: the number of keys, and for key i its name,
 * default value, allowed range and a one-line meaning.  Returns 0 or
 * ATTUNE_ERR_ARG for i out of range. */
int attune_config_n_keys(void);
int attune_config_key(int i, const char **name, double *def, double *min,
                      double *max, const char **meaning);
double attune_config_get(const attune_config *cfg, int i);

/* Loads the keys an INI file sets (in [analysis] or before any section)
 * over cfg, which keeps the rest; models/attune.ini documents every key.
 * Returns 0, or ATTUNE_ERR_ARG (ATTUNE_ERR_NOMEM) with cfg untouched and a
 * one-line "<path>:<line>: <problem>" naming the key in err (if not NULL). */
int attune_config_load(attune_config *cfg, const char *path, char *err, size_t errlen);

/* Events, emitted through the callback as soon as they are final.
 * Times are seconds from the start of the stream. */
typedef enum attune_event_type {
    ATTUNE_EV_SPURT = 1,        /* party spoke from t0 to t1 */
    ATTUNE_EV_INTERRUPTION,     /* party cut in at t0 over the other; value = overlap s */
    ATTUNE_EV_BACKCHANNEL,      /* party's short overlapping spurt t0..t1 */
    ATTUNE_EV_RESPONSE_GAP,     /* party took the floor at t1, value = gap s, t0 = other's end */
    ATTUNE_EV_DEAD_AIR,         /* mutual silence t0..t1 longer than dead_air_s */
    ATTUNE_EV_TURN,             /* party took the floor at t0 (t1 = t0) */
    ATTUNE_EV_PACE,             /* pace timeline point at t0 (t1 = t0): value = words per
                                   minute over the party's last 30 s of speech; one
                                   every 5 s of the party's speech */
    ATTUNE_EV_STRESS,           /* vocal stress at t1, the end of a window of the party's
                                   speech that began at t0: value = index 0..100; one every
                                   5 s of speech (see attune_pipeline_set_stress) */
} attune_event_type;

typedef struct attune_event {
    attune_event_type type;
    int party;                  /* ATTUNE_AGENT or ATTUNE_CUSTOMER; -1 for dead air */
    double t0, t1;
    double value;
} attune_event;

typedef void (*attune_event_fn)(const attune_event *ev, void *user);

/* Running totals, readable at any time; final after attune_pipeline_finish(). */
typedef struct attune_party_metrics {
    double talk_s;
    int n_spurts;
    int n_turns;
    double longest_monologue_s;
    int n_interruptions_made;
    int n_backchannels_made;
    int n_response_gaps;
    double patience_s;          /* median response gap; negative when there is none */
    /* Prosody; negative where not computed (too little voiced speech or talk). */
    double pitch_hz_median;     /* median F0 of the party's voiced frames */
    double pitch_range_st;      /* 5th to 95th percentile of F0, in semitones */
    double syllables_per_s;     /* syllable nuclei inside talk spurts / talk_s */
    double wpm;                 /* 60 * syllables_per_s / syllables per word */
    double pace_baseline_wpm;   /* the party's first 60 s of speech (all of it if less) */
    long n_syllables;           /* syllable nuclei inside talk spurts */
    double stress_mean;         /* mean vocal stress index 0..100; negative when not computed */
    double stress_last;         /* the latest index point; negative when none */
} attune_party_metrics;

typedef struct attune_metrics {
    double duration_s;          /* audio pushed so far */
    int n_parties;
    attune_party_metrics party[ATTUNE_N_PARTIES];
    double overtalk_s;          /* both parties speaking */
    double silence_s;           /* neither party speaking */
    double dead_air_s;          /* total length of dead-air stretches */
    int n_dead_air;
} attune_metrics;

typedef struct attune_pipeline attune_pipeline;

/* Creates a pipeline for n_parties (1 or 2) at sample_rate Hz (8000..48000).
 * on_event may be NULL.  Returns NULL on error, with *status set if status
 * is not NULL. */
attune_pipeline *attune_pipeline_new(const attune_config *cfg, int sample_rate,
                                     int n_parties, attune_event_fn on_event,
                                     void *user, int *status);

/* Feeds n samples of each party: ch[0] the agent (or the only speaker),
 * ch[1] the customer.  Any n is fine; the pipeline keeps partial frames.
 * Returns 0, ATTUNE_ERR_SAMPLE if a sample is NaN or Inf (the block is
 * rejected whole), or ATTUNE_ERR_STATE after finish. */
int attune_pipeline_push(attune_pipeline *p, const float *const *ch, size_t n);

/* Ends the stream: closes open spurts and emits the last events. */
int attune_pipeline_finish(attune_pipeline *p);

/* Copies the running metrics. */
void attune_pipeline_metrics(const attune_pipeline *p, attune_metrics *out);

/* Analyses with 1 thread (the default) or 2, for files: with 2 a worker
 * thread computes each channel's spectra a block (0.64 s) ahead while
 * push() runs the rest of the analysis behind, up to two blocks behind the
 * samples pushed; events, observers and metrics are the same, bit for bit,
 * but come later (all of them by attune_pipeline_finish).  Live monitoring
 * keeps 1: it wants each push's events at once.  Call before the first
 * push.  Returns 0, ATTUNE_ERR_ARG (not 1 or 2), ATTUNE_ERR_STATE (after a
 * push) or ATTUNE_ERR_NOMEM (memory or the thread). */
int attune_pipeline_set_threads(attune_pipeline *p, int n_threads);

/* Calls fn once for every successful push(), when the analysis has caught
 * up with it: at the end of the push with 1 thread, later (inside a later
 * push() or finish(), on the caller's thread) with 2.  Inside fn
 * attune_pipeline_metrics() gives the metrics as they stood right after
 * that push with 1 thread; with 2 it gives them only there (outside,
 * duration_s lags) and after finish.  NULL: off. */
typedef void (*attune_push_fn)(attune_pipeline *p, void *user);
void attune_pipeline_set_push_observer(attune_pipeline *p, attune_push_fn fn, void *user);

/* Per-frame features, for researchers and the `frames` command. */
typedef struct attune_frame_info {
    double t;                   /* the frame's start; it covers [t, t + hop) */
    int party;
    double level_db;            /* speech-band (150-3800 Hz) level, dB re a full-scale sine */
    double snr_db;              /* band SNR over noise and the other party's predicted leak */
    double noise_db;            /* the noise floor, same scale as level_db */
    double leak_db;             /* the other party's predicted leak, same scale; -inf if none */
    double speech_level_db;     /* the party's learned speech level, same scale; -inf until learned */
    double voicing;             /* normalised autocorrelation peak, 0..1 (0 when not computed) */
    double period_hz;           /* frequency of that peak; 0 when not computed */
    int weak, strong, voiced;   /* the voice-activity decisions (see README) */
    double f0_hz;               /* the pitch tracker's F0; 0 when unvoiced */
    int nucleus;                /* 1 on a syllable nucleus */
    /* Frame features of vocal stress; NAN where not computed (not speech-like,
     * or the party's stress is off). */
    double hnr_db;              /* harmonics-to-noise from the autocorrelation peak */
    double alpha_db;            /* alpha ratio: power above 1 kHz over below, dB */
    double hammarberg_db;       /* strongest band below 2 kHz over strongest above, dB */
} attune_frame_info;

typedef void (*attune_frame_fn)(const attune_frame_info *fi, void *user);

/* Calls fn for every frame and party, in order, 64 frames (0.64 s) after
 * the frame was analysed, once its pitch and syllable decisions are final;
 * attune_pipeline_finish() passes on the last ones (NULL: off). */
void attune_pipeline_set_frame_observer(attune_pipeline *p, attune_frame_fn fn, void *user);

/* Sets the syllables per word that turn speech rate into words per minute
 * (models/pace.txt; 1.45 until set).  Returns 0, or ATTUNE_ERR_ARG outside
 * 0.5..5. */
int attune_pipeline_set_syllables_per_word(attune_pipeline *p, double spw);

/* Two speakers from one channel (diarization), for a pipeline created with
 * n_parties = 1, before the first push.  The pipeline then keeps each
 * frame's speaker features (about 60 bytes per 10 ms) for up to max_s
 * seconds of audio, emits none of the channel's own events, and at
 * attune_pipeline_finish() labels the speech with two voices and emits the
 * events of two parties, as a stereo pipeline would: ATTUNE_AGENT is the
 * one who speaks first (first_party = ATTUNE_AGENT; ATTUNE_CUSTOMER: the
 * other), or the voice set by attune_pipeline_set_agent_voice.
 * Metrics are two parties' after finish.  Pushing past max_s returns
 * ATTUNE_ERR_STATE.  Returns 0, ATTUNE_ERR_ARG (a stereo pipeline, max_s
 * outside (0, ATTUNE_DIARIZE_MAX_S], a bad first_party), ATTUNE_ERR_STATE (after a push) or
 * ATTUNE_ERR_NOMEM. */
#define ATTUNE_DIARIZE_MAX_S 86400.0
int attune_pipeline_diarize(attune_pipeline *p, double max_s, int first_party);

/* A diarizing pipeline also labels the two speakers as the call goes, for
 * live monitoring: speaker models from the first 10 s of speech, then
 * each speech frame to the closer voice over a window 0.5 s either side.
 * Two-party events then reach on_event during the call (decided 0.5 s
 * late; the first once 10 s of speech have come) and the metrics are
 * theirs.  At finish the offline diarization's events follow, the call's
 * final account: a caller that keeps events drops the live ones then.
 * Call after attune_pipeline_diarize, before the first push.  Returns 0,
 * ATTUNE_ERR_ARG (not diarizing), ATTUNE_ERR_STATE or ATTUNE_ERR_NOMEM. */
int attune_pipeline_diarize_live(attune_pipeline *p);

/* A voice: the mean and variance of 12 mel-cepstra over speech. */
typedef struct attune_voice {
    double mean[12], var[12];
    long n_frames;              /* speech frames it stands on */
} attune_voice;

/* After finish, the voice of all the speech of a diarizing pipeline (run
 * one on an enrolment clip of the agent).  Returns 0 or ATTUNE_ERR_STATE. */
int attune_pipeline_voice(const attune_pipeline *p, attune_voice *out);

/* The agent is the voice closer to v (symmetric Kullback-Leibler) rather
 * than the first to speak.  Returns 0, or ATTUNE_ERR_ARG when p does not
 * diarize or v is not a voice. */
int attune_pipeline_set_agent_voice(attune_pipeline *p, const attune_voice *v);

/* The analysis hop in seconds (0.01). */
double attune_pipeline_hop_s(const attune_pipeline *p);

/* Vocal stress (arousal): a 0..100 index per 5 s of a party's speech from
 * features pooled over the window, each relative to the party's own
 * baseline (its first 15 s of speech), combined by a logistic model
 * (models/stress.txt).  Inferring a worker's emotions at work is forbidden
 * in the EU (AI Act, Art. 5(1)(f)), so by default only the customer's
 * stress is computed (a mono stream's one party counts as the customer). */
#define ATTUNE_STRESS_N_FEATURES 10
enum { ATTUNE_STRESS_NONE = 0, ATTUNE_STRESS_CUSTOMER = 1, ATTUNE_STRESS_ALL = 2 };

/* The features' names, i in 0..ATTUNE_STRESS_N_FEATURES-1; NULL outside. */
const char *attune_stress_feature_name(int i);

typedef struct attune_stress_model {
    double center[ATTUNE_STRESS_N_FEATURES]; /* of the baseline-relative feature */
    double scale[ATTUNE_STRESS_N_FEATURES];  /* > 0 */
    double weight[ATTUNE_STRESS_N_FEATURES];
    double bias;                /* index = 100 / (1 + exp(-(bias + sum w (rel-c)/s))) */
} attune_stress_model;

/* One window of a party's speech, pooled. */
typedef struct attune_stress_window {
    int party;
    double start_s, t_s;        /* its first speech frame and its end (stream seconds) */
    double speech_s;            /* speech it holds (5, or less for the last) */
    double raw[ATTUNE_STRESS_N_FEATURES]; /* NAN where too little voice */
    double rel[ATTUNE_STRESS_N_FEATURES]; /* raw minus the party's baseline (0 for NAN),
                                             after the gates of src/stress.h */
    double stress;              /* the index, 0..100; negative without a model or in a
                                   window of falsetto or laughter (src/stress.h) */
} attune_stress_window;

typedef void (*attune_stress_fn)(const attune_stress_window *w, void *user);

/* Whose stress is computed: ATTUNE_STRESS_CUSTOMER (the default),
 * ATTUNE_STRESS_ALL (research on consented recordings only) or
 * ATTUNE_STRESS_NONE.  Before the first push.  Returns 0, ATTUNE_ERR_ARG
 * or ATTUNE_ERR_STATE. */
int attune_pipeline_set_stress(attune_pipeline *p, int who);

/* The model (copied).  Without one, windows are pooled for the observer
 * but give no index.  Returns 0 or ATTUNE_ERR_ARG (a scale not positive,
 * a value not finite). */
int attune_pipeline_set_stress_model(attune_pipeline *p, const attune_stress_model *m);

/* Calls fn for every pooled window of a party whose stress is computed
 * (NULL: off). */
void attune_pipeline_set_stress_observer(attune_pipeline *p, attune_stress_fn fn, void *user);

void attune_pipeline_free(attune_pipeline *p);

#ifdef __cplusplus
}
#endif
#endif
