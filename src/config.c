/* config: every threshold of the analysis in one table, with its default,
 * range and meaning, so the CLI, the INI loader and `config --dump` all read
 * the same source of truth. */
#include "attune/attune.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    size_t offset;
    double def, min, max;
    const char *meaning;
} key_info;

#define KEY(field, def, min, max, meaning) \
    { #field, offsetof(attune_config, field), def, min, max, meaning }

/* Defaults: the conversation conventions of DEVELOPERS.md (spurts bridge
 * pauses under 0.3 s, after Brady's talk-spurt model; interruptions overlap
 * 0.3 s and last 1 s); dead air 3 s as in Amazon Contact Lens.  The voice
 * activity values were tuned on the generated call matrix (tools/gencall). */
static const key_info keys[] = {
    KEY(bridge_s, 0.30, 0.0, 2.0, "pauses shorter than this are bridged inside a talk spurt"),
    KEY(min_spurt_s, 0.10, 0.0, 1.0, "speech shorter than this is dropped (clicks, breaths)"),
    KEY(interrupt_overlap_s, 0.30, 0.0, 5.0, "an interruption overlaps the other party at least this long"),
    KEY(interrupt_min_s, 1.00, 0.0, 10.0, "an interruption lasts at least this long; shorter overlapping speech is a backchannel"),
    KEY(dead_air_s, 3.00, 0.5, 60.0, "mutual silence longer than this is dead air (Contact Lens 3 s, Google CCAI 5 s)"),
    KEY(vad_onset_db, 7.0, 0.0, 40.0, "SNR (mean of the better half of 16 bands) over noise and the other party's predicted leak that seeds speech"),
    KEY(vad_offset_db, 2.5, 0.0, 40.0, "the same SNR that sustains and extends speech around its seeds"),
    KEY(vad_level_range_db, 15.0, 3.0, 60.0, "seeds lie within this of the party's own speech level (rejects background talkers)"),
    KEY(vad_confirm_range_db, 10.0, 0.0, 60.0, "a talk spurt needs voiced frames within this of the party's speech level (a spurt all quieter is someone behind)"),
    KEY(vad_voicing, 0.38, 0.0, 1.0, "peak of the frame's normalised autocorrelation (magnitude spectrum) that counts it as voiced"),
    KEY(vad_min_voiced_s, 0.05, 0.0, 1.0, "a talk spurt needs this much voiced seed speech"),
    KEY(vad_extend_s, 0.18, 0.0, 1.0, "how far weak speech extends a spurt before and after its seeds"),
    KEY(echo_max_delay_s, 0.25, 0.0, 1.0, "longest delay (plus reverberation) of the other party's leak into a channel"),
    KEY(echo_margin_db, 4.0, 0.0, 30.0, "safety margin on the predicted leak of the other party"),
    KEY(vad_cross_channel, 1.0, 0.0, 1.0, "1: judge each party against the other's channel too (leak, echo); 0: each channel alone, for comparison"),
    KEY(mono_vad_onset_db, 6.0, 0.0, 40.0, "vad_onset_db on a diarized mono call, where each voice's SNR is over both lines' noise"),
    KEY(mono_overlap_s, 0.2, 0.0, 2.0, "on a diarized mono call the newcomer speaks this long before a change of speaker without a pause (both 0: never)"),
    KEY(mono_overlap_after_s, 0.4, 0.0, 2.0, "... and the other voice carries on this long after it"),
    KEY(mono_pitch_sep_st, 5.0, 0.0, 24.0, "on a diarized mono call whose voices' median pitches lie this far apart (semitones), one voice's pitch where the other is labelled is both speaking (0: never)"),
    KEY(mono_level_spread_db, 5.0, 0.0, 30.0, "on a diarized mono call both level ranges widen by this: one level is learned for two voices, and the quieter lies below the louder's"),
};

#define N_KEYS ((int)(sizeof keys / sizeof keys[0]))

static double *field(attune_config *cfg, int i)
{
    return (double *)((char *)cfg + keys[i].offset);
}

void attune_config_init(attune_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < N_KEYS; i++)
        *field(cfg, i) = keys[i].def;
}

int attune_config_n_keys(void) { return N_KEYS; }

int attune_config_key(int i, const char **name, double *def, double *min,
                      double *max, const char **meaning)
{
    if (i < 0 || i >= N_KEYS)
        return ATTUNE_ERR_ARG;
    if (name) *name = keys[i].name;
    if (def) *def = keys[i].def;
    if (min) *min = keys[i].min;
    if (max) *max = keys[i].max;
    if (meaning) *meaning = keys[i].meaning;
    return ATTUNE_OK;
}

double attune_config_get(const attune_config *cfg, int i)
{
    if (i < 0 || i >= N_KEYS)
        return NAN;
    return *(const double *)((const char *)cfg + keys[i].offset);
}

int attune_config_set(attune_config *cfg, const char *key, const char *value)
{
    if (!cfg || !key || !value)
        return ATTUNE_ERR_ARG;
    for (int i = 0; i < N_KEYS; i++) {
        if (strcmp(keys[i].name, key) != 0)
            continue;
        char *end = NULL;
        errno = 0;
        double v = strtod(value, &end);
        if (errno || end == value || *end != '\0' || !isfinite(v) ||
            v < keys[i].min || v > keys[i].max)
            return ATTUNE_ERR_ARG;
        *field(cfg, i) = v;
        return ATTUNE_OK;
    }
    return ATTUNE_ERR_ARG;
}

int attune_config_check(const attune_config *cfg, const char **bad_key)
{
    for (int i = 0; i < N_KEYS; i++) {
        double v = attune_config_get(cfg, i);
        if (!isfinite(v) || v < keys[i].min || v > keys[i].max) {
            if (bad_key)
                *bad_key = keys[i].name;
            return ATTUNE_ERR_ARG;
        }
    }
    if (cfg->vad_offset_db > cfg->vad_onset_db || cfg->vad_offset_db > cfg->mono_vad_onset_db) {
        if (bad_key)
            *bad_key = "vad_offset_db";
        return ATTUNE_ERR_ARG;
    }
    return ATTUNE_OK;
}

const char *attune_strerror(int status)
{
    switch (status) {
    case ATTUNE_OK: return "success";
    case ATTUNE_ERR_NOMEM: return "out of memory";
    case ATTUNE_ERR_ARG: return "invalid argument";
    case ATTUNE_ERR_RATE: return "sample rate outside 8000..48000 Hz";
    case ATTUNE_ERR_SAMPLE: return "NaN or infinite sample";
    case ATTUNE_ERR_STATE: return "pipeline already finished";
    default: return "unknown error";
    }
}
