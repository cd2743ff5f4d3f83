/* audio_in: opens a sound file with libsndfile, checks it is something the
 * analysis can take, and reads it as planar float blocks per party. */
#ifndef ATTUNE_AUDIO_IN_H
#define ATTUNE_AUDIO_IN_H

#include "attune/attune.h"

#include <sndfile.h>
#include <stddef.h>

#define AT_MAX_CHANNELS 8
#define AT_BLOCK 4096

typedef struct at_audio_in {
    SNDFILE *sf;
    SF_INFO info;
    int map[2];         /* file channel of each party */
    int n_parties;
    float *interleaved; /* AT_BLOCK * channels */
    float *planar[2];   /* AT_BLOCK each */
    /* Health of the signal, for the checks at the end. */
    double peak;
    long long n_clipped, n_samples;
} at_audio_in;

/* Opens path.  agent_ch/customer_ch are file channels or -1 for the
 * defaults.  On error returns -1 and writes a one-line reason (without the
 * file name) into err. */
int at_audio_open(at_audio_in *a, const char *path, int agent_ch, int customer_ch,
                  int single_party, char *err, size_t err_len);

/* Reads up to AT_BLOCK frames into a->planar; returns the count, 0 at the
 * end, -1 on a read error (reason in err). */
long at_audio_read(at_audio_in *a, char *err, size_t err_len);

/* Reads the whole file into p and finishes it.  Returns 0, or -1 with a
 * one-line reason in err (a read error, or a NaN or infinite sample). */
int at_audio_feed(at_audio_in *a, attune_pipeline *p, char *err, size_t err_len);

void at_audio_close(at_audio_in *a);

#endif
