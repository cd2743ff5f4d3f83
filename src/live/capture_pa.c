/* capture_pa: PortAudio input, one stereo device with a channel map or two
 * devices with one party each.  The callback obeys PortAudio's rules for
 * it: it only copies into the rings and bumps atomic counters; no malloc,
 * lock, I/O or logging; a NULL input (no data this time) writes zeros so
 * the parties keep their timing.  A device that stops calling back, or a
 * stream PortAudio reports inactive, is "lost". */
#include "capture.h"

#include <portaudio.h>
#ifdef ATTUNE_HAVE_PA_JACK
#include <pa_jack.h>
#endif

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STALL_S 1.5   /* no callback for this long: the device is gone */

typedef struct pa_stream_ctx {
    at_capture_io *io;
    PaStream *stream;
    int n_ch;              /* channels opened on the device */
    int party;             /* -1: both parties from this stream */
    int ch[2];             /* device channel of each party (or [0] of `party`) */
    atomic_uint_least64_t n_callbacks;
} pa_stream_ctx;

typedef struct pa_capture {
    pa_stream_ctx s[2];
    int n_streams;
    int stopped;
    int lost;              /* a dead stream: PortAudio must not be asked to stop it */
    uint64_t last_callbacks;
    double last_progress_s;
    char name[2][160];
} pa_capture;

static int on_audio(const void *input, void *output, unsigned long n,
                    const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    (void)output;
    (void)ti;
    pa_stream_ctx *s = user;
    at_capture_io *io = s->io;
    const float *in = input;
    if (flags & paInputOverflow)
        atomic_fetch_add_explicit(&io->n_status_overflow, 1, memory_order_relaxed);
    if (!in)
        atomic_fetch_add_explicit(&io->n_no_input, 1, memory_order_relaxed);
    if (s->party < 0) {
        const float *src[2] = {in ? in + s->ch[0] : NULL, in ? in + s->ch[1] : NULL};
        at_capture_io_write(io, src, n, (size_t)s->n_ch);
        atomic_fetch_add_explicit(&io->n_frames, n, memory_order_relaxed);
    } else {
        at_ring_write(io->ring[s->party], in ? in + s->ch[0] : NULL, n, (size_t)s->n_ch);
        if (s->party == 0)
            atomic_fetch_add_explicit(&io->n_frames, n, memory_order_relaxed);
    }
    atomic_fetch_add_explicit(&s->n_callbacks, 1, memory_order_relaxed);
    return paContinue;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int at_pa_init(const char *client_name, char *err, size_t err_len)
{
#ifdef ATTUNE_HAVE_PA_JACK
    if (client_name)
        PaJack_SetClientName(client_name);
#else
    (void)client_name;
#endif
    /* ALSA and JACK print their probing to stderr; keep it out of ours. */
    fflush(stderr);
    int saved = dup(2), devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0)
        dup2(devnull, 2);
    PaError e = Pa_Initialize();
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (devnull >= 0)
        close(devnull);
    if (e != paNoError) {
        snprintf(err, err_len, "PortAudio: %s", Pa_GetErrorText(e));
        return -1;
    }
    return 0;
}

void at_pa_terminate(void) { Pa_Terminate(); }

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* A device by index, or the one input device whose name contains `spec`;
 * NULL or "default" is the default input. */
static int find_device(const char *spec, char *err, size_t err_len)
{
    if (!spec || !strcmp(spec, "default")) {
        PaDeviceIndex d = Pa_GetDefaultInputDevice();
        if (d == paNoDevice)
            snprintf(err, err_len, "no default input device (see: attune devices)");
        return d == paNoDevice ? -1 : d;
    }
    int n = Pa_GetDeviceCount();
    char *end;
    long idx = strtol(spec, &end, 10);
    if (*spec && !*end) {
        if (idx < 0 || idx >= n) {
            snprintf(err, err_len, "device %s: no such device index (see: attune devices)", spec);
            return -1;
        }
        return (int)idx;
    }
    int found = -1, n_found = 0;
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (d && d->maxInputChannels > 0 && contains_nocase(d->name, spec)) {
            found = i;
            n_found++;
        }
    }
    if (n_found == 1)
        return found;
    snprintf(err, err_len, "device '%s': %s (see: attune devices)", spec,
             n_found ? "more than one input device matches" : "no input device matches");
    return -1;
}

static int open_stream(pa_stream_ctx *s, const char *spec, int party, const int ch[2],
                       int rate, char *name, char *err, size_t err_len)
{
    int dev = find_device(spec, err, err_len);
    if (dev < 0)
        return -1;
    const PaDeviceInfo *info = Pa_GetDeviceInfo(dev);
    snprintf(name, 160, "%s", info->name);
    s->party = party;
    s->ch[0] = ch[0];
    s->ch[1] = ch[1];
    int need = (party < 0 ? (ch[0] > ch[1] ? ch[0] : ch[1]) : ch[0]) + 1;
    if (need > info->maxInputChannels) {
        snprintf(err, err_len, "device '%s': has %d input channel%s, channel %d asked for",
                 info->name, info->maxInputChannels, info->maxInputChannels == 1 ? "" : "s",
                 need - 1);
        return -1;
    }
    s->n_ch = need;
    PaStreamParameters in = {dev, need, paFloat32, info->defaultHighInputLatency, NULL};
    PaError e = Pa_OpenStream(&s->stream, &in, NULL, rate, paFramesPerBufferUnspecified,
                              paClipOff, on_audio, s);
    if (e != paNoError) {
        snprintf(err, err_len, "device '%s': cannot open at %d Hz (PortAudio: %s)", info->name,
                 rate, Pa_GetErrorText(e));
        s->stream = NULL;
        return -1;
    }
    return 0;
}

static int pa_start(void *self, char *err, size_t err_len)
{
    pa_capture *c = self;
    for (int i = 0; i < c->n_streams; i++) {
        PaError e = Pa_StartStream(c->s[i].stream);
        if (e != paNoError) {
            snprintf(err, err_len, "device '%s': cannot start (PortAudio: %s)", c->name[i],
                     Pa_GetErrorText(e));
            return -1;
        }
    }
    c->last_progress_s = mono_s();
    return 0;
}

static int pa_state(void *self, char *err, size_t err_len)
{
    pa_capture *c = self;
    if (c->stopped)
        return AT_CAP_ENDED;
    uint64_t calls = 0;
    for (int i = 0; i < c->n_streams; i++) {
        if (Pa_IsStreamActive(c->s[i].stream) != 1) {
            snprintf(err, err_len, "device '%s' stopped delivering audio (device or audio "
                     "server gone)", c->name[i]);
            c->lost = 1;
            return AT_CAP_LOST;
        }
        calls += atomic_load_explicit(&c->s[i].n_callbacks, memory_order_relaxed);
    }
    double now = mono_s();
    if (calls != c->last_callbacks) {
        c->last_callbacks = calls;
        c->last_progress_s = now;
    } else if (now - c->last_progress_s > STALL_S) {
        snprintf(err, err_len, "device '%s': no audio for %.1f s (device or audio server gone)",
                 c->name[0], STALL_S);
        c->lost = 1;
        return AT_CAP_LOST;
    }
    return AT_CAP_RUNNING;
}

static void pa_stop(void *self)
{
    pa_capture *c = self;
    if (c->stopped)
        return;
    c->stopped = 1;
    /* A stream whose server died cannot be stopped: PortAudio's JACK host
     * waits forever for the dead server's thread.  It is abandoned; the
     * process is about to end. */
    if (c->lost)
        return;
    /* Abort, not stop: nothing left in the buffers is wanted. */
    for (int i = 0; i < c->n_streams; i++)
        if (c->s[i].stream)
            Pa_AbortStream(c->s[i].stream);
}

static void pa_close(void *self)
{
    pa_capture *c = self;
    pa_stop(c);
    for (int i = 0; i < c->n_streams && !c->lost; i++)
        if (c->s[i].stream)
            Pa_CloseStream(c->s[i].stream);
    free(c);
}

static const at_capture_ops pa_ops = {"device", pa_start, pa_state, pa_stop, pa_close};

int at_capture_pa_open(at_capture *cap, at_capture_io *io, const at_pa_spec *spec, char *err,
                       size_t err_len)
{
    pa_capture *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (int i = 0; i < 2; i++)
        c->s[i].io = io;
    int rc;
    if (!spec->customer_dev) {
        int ch[2] = {spec->agent_ch, spec->customer_ch};
        c->n_streams = 1;
        rc = open_stream(&c->s[0], spec->agent_dev, -1, ch, spec->rate, c->name[0], err, err_len);
        snprintf(cap->describe, sizeof cap->describe, "device '%s' (agent ch %d, customer ch %d)",
                 c->name[0], ch[0], ch[1]);
    } else {
        int cha[2] = {spec->agent_ch, 0}, chc[2] = {spec->customer_ch, 0};
        c->n_streams = 2;
        rc = open_stream(&c->s[0], spec->agent_dev, 0, cha, spec->rate, c->name[0], err, err_len);
        if (rc == 0)
            rc = open_stream(&c->s[1], spec->customer_dev, 1, chc, spec->rate, c->name[1], err,
                             err_len);
        snprintf(cap->describe, sizeof cap->describe, "devices '%.100s' (agent) and '%.100s' "
                 "(customer)", c->name[0], c->name[1]);
    }
    if (rc != 0) {
        pa_close(c);
        return -1;
    }
    cap->ops = &pa_ops;
    cap->self = c;
    cap->io = io;
    return 0;
}
