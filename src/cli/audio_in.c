/* audio_in: libsndfile in, planar floats out (see audio_in.h). */
#include "audio_in.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(at_audio_in *a, char *err, size_t n, const char *msg)
{
    snprintf(err, n, "%s", msg);
    at_audio_close(a);
    return -1;
}

/* libsndfile quietly shortens a WAV or AIFF whose data chunk is cut short
 * (a copy that stopped half way); its "data" chunk still says how much was
 * promised.  Returns that in frames, or 0 where it cannot tell. */
static sf_count_t promised_frames(at_audio_in *a)
{
    int bytes;
    switch (a->info.format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW: case SF_FORMAT_ALAW: bytes = 1; break;
    case SF_FORMAT_PCM_16: bytes = 2; break;
    case SF_FORMAT_PCM_24: bytes = 3; break;
    case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: bytes = 4; break;
    case SF_FORMAT_DOUBLE: bytes = 8; break;
    default: return 0;
    }
    int major = a->info.format & SF_FORMAT_TYPEMASK;
    if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX && major != SF_FORMAT_RF64)
        return 0;
    SF_CHUNK_INFO ci;
    memset(&ci, 0, sizeof ci);
    snprintf(ci.id, sizeof ci.id, "data");
    ci.id_size = 4;
    SF_CHUNK_ITERATOR *it = sf_get_chunk_iterator(a->sf, &ci);
    if (!it || sf_get_chunk_size(it, &ci) != SF_ERR_NO_ERROR)
        return 0;
    /* An odd-sized or "unknown length" (0xffffffff streaming) chunk is not a promise. */
    if (ci.datalen == 0 || ci.datalen >= 0xfffffff0u)
        return 0;
    return (sf_count_t)(ci.datalen / ((unsigned)bytes * (unsigned)a->info.channels));
}

static int check_format(at_audio_in *a, char *err, size_t n)
{
    char msg[160];
    const SF_INFO *in = &a->info;
    if (in->channels < 1 || in->channels > AT_MAX_CHANNELS) {
        snprintf(msg, sizeof msg, "%d channels; attune takes 1 to %d", in->channels,
                 AT_MAX_CHANNELS);
        return fail(a, err, n, msg);
    }
    if (in->samplerate < 8000 || in->samplerate > 48000) {
        snprintf(msg, sizeof msg, "sample rate %d Hz; attune takes 8000 to 48000 Hz",
                 in->samplerate);
        return fail(a, err, n, msg);
    }
    if (in->frames <= 0)
        return fail(a, err, n, "no audio in the file (0 frames)");
    sf_count_t promised = promised_frames(a);
    if (promised > in->frames) {
        snprintf(msg, sizeof msg, "truncated: the header promises %.2f s, the data holds %.2f s",
                 (double)promised / in->samplerate, (double)in->frames / in->samplerate);
        return fail(a, err, n, msg);
    }
    return 0;
}

static int map_channels(at_audio_in *a, int agent_ch, int customer_ch, int single,
                        char *err, size_t n)
{
    char msg[160];
    int ch = a->info.channels;
    if (ch == 1 || single) {
        a->n_parties = 1;
        a->map[0] = agent_ch < 0 ? 0 : agent_ch;
        a->map[1] = -1;
        if (a->map[0] >= ch) {
            snprintf(msg, sizeof msg, "agent channel %d asked for, but the file has %d channel%s",
                     a->map[0], ch, ch == 1 ? "" : "s");
            return fail(a, err, n, msg);
        }
        return 0;
    }
    a->n_parties = 2;
    a->map[0] = agent_ch < 0 ? (customer_ch == 0 ? 1 : 0) : agent_ch;
    a->map[1] = customer_ch < 0 ? (a->map[0] == 0 ? 1 : 0) : customer_ch;
    for (int p = 0; p < 2; p++) {
        if (a->map[p] >= ch) {
            snprintf(msg, sizeof msg, "%s channel %d asked for, but the file has %d channels",
                     p ? "customer" : "agent", a->map[p], ch);
            return fail(a, err, n, msg);
        }
    }
    if (a->map[0] == a->map[1])
        return fail(a, err, n, "agent and customer are the same channel");
    return 0;
}

int at_audio_open(at_audio_in *a, const char *path, int agent_ch, int customer_ch,
                  int single, char *err, size_t n)
{
    memset(a, 0, sizeof *a);
    struct stat st;
    if (stat(path, &st) != 0)
        return fail(a, err, n, errno == ENOENT ? "no such file" : strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(a, err, n, "is a folder, not a sound file");
    a->sf = sf_open(path, SFM_READ, &a->info);
    if (!a->sf) {
        char msg[256];
        snprintf(msg, sizeof msg, "not a readable sound file (libsndfile: %s)", sf_strerror(NULL));
        return fail(a, err, n, msg);
    }
    if (check_format(a, err, n) || map_channels(a, agent_ch, customer_ch, single, err, n))
        return -1;
    a->interleaved = malloc(sizeof(float) * AT_BLOCK * a->info.channels);
    a->planar[0] = malloc(sizeof(float) * AT_BLOCK);
    a->planar[1] = malloc(sizeof(float) * AT_BLOCK);
    if (!a->interleaved || !a->planar[0] || !a->planar[1])
        return fail(a, err, n, "out of memory");
    /* Integer formats are scaled to [-1, 1); float files keep their values,
     * so out-of-range samples show up as clipping rather than wrapping. */
    sf_command(a->sf, SFC_SET_NORM_FLOAT, NULL, SF_TRUE);
    return 0;
}

long at_audio_read(at_audio_in *a, char *err, size_t n)
{
    sf_count_t got = sf_readf_float(a->sf, a->interleaved, AT_BLOCK);
    if (got < 0 || (got == 0 && sf_error(a->sf) != SF_ERR_NO_ERROR)) {
        snprintf(err, n, "read error (libsndfile: %s)", sf_strerror(a->sf));
        return -1;
    }
    int ch = a->info.channels;
    for (int p = 0; p < a->n_parties; p++) {
        float *dst = a->planar[p];
        const float *src = a->interleaved + a->map[p];
        for (sf_count_t i = 0; i < got; i++) {
            float x = src[i * ch];
            dst[i] = x;
            double ax = fabs(x);
            if (ax > a->peak)
                a->peak = ax;
            a->n_clipped += ax >= 0.999;
        }
    }
    a->n_samples += (long long)got * a->n_parties;
    return (long)got;
}

int at_audio_feed(at_audio_in *a, attune_pipeline *p, char *err, size_t n)
{
    int rc = 0;
    long got;
    while ((got = at_audio_read(a, err, n)) > 0) {
        const float *ch[2] = {a->planar[0], a->planar[1]};
        if (attune_pipeline_push(p, ch, (size_t)got) != 0) {
            snprintf(err, n, "NaN or infinite sample");
            rc = -1;
            break;
        }
    }
    if (got < 0)
        rc = -1;
    attune_pipeline_finish(p);
    return rc;
}

void at_audio_close(at_audio_in *a)
{
    if (a->sf)
        sf_close(a->sf);
    a->sf = NULL;
    free(a->interleaved);
    free(a->planar[0]);
    free(a->planar[1]);
    a->interleaved = a->planar[0] = a->planar[1] = NULL;
}
