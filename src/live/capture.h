/* capture: where live audio comes from.  Every backend (a PortAudio device,
 * two devices, a file replayed on a virtual clock) sits behind the same
 * small function table and writes into the same per-party rings, so the DSP
 * thread, the goals and the views cannot tell them apart.  Backends count
 * what goes wrong in atomics; they never print. */
#ifndef ATTUNE_CAPTURE_H
#define ATTUNE_CAPTURE_H

#include "ring.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* What a capture is doing, as seen from outside. */
enum {
    AT_CAP_RUNNING = 0,
    AT_CAP_ENDED,   /* a replay reached the end of its file */
    AT_CAP_LOST,    /* the device or audio server went away */
};

/* What every backend shares: the rings it fills and its counters. */
typedef struct at_capture_io {
    at_ring *ring[2];              /* agent, customer */
    int rate;
    atomic_uint_least64_t n_frames;     /* sample frames delivered */
    atomic_uint_least64_t n_no_input;   /* callbacks without input (zeros written) */
    atomic_uint_least64_t n_status_overflow; /* the driver's own input overflows */
} at_capture_io;

typedef struct at_capture_ops {
    const char *kind;              /* "device", "devices", "replay" */
    /* Starts delivering; 0 or -1 with a one-line reason in err. */
    int (*start)(void *self, char *err, size_t err_len);
    /* AT_CAP_RUNNING, AT_CAP_ENDED or AT_CAP_LOST (reason in err). */
    int (*state)(void *self, char *err, size_t err_len);
    /* Stops delivering; safe to call twice. */
    void (*stop)(void *self);
    void (*close)(void *self);
} at_capture_ops;

typedef struct at_capture {
    const at_capture_ops *ops;
    void *self;
    at_capture_io *io;
    char describe[256];            /* "replay of call.wav at 1x", for the session start */
    int mono;                      /* a mono recording: both rings carry the one channel */
    double duration_s;             /* a replay's length (0 for devices) */
} at_capture;

#define AT_RING_S 2.0   /* seconds of audio the rings hold */

/* Replay: speed > 0 is a multiple of real time; 0 is as fast as the DSP
 * takes it (the replay then waits for room instead of overrunning).  A
 * mono file fills both rings with its channel and sets c->mono.
 * agent_ch/customer_ch as for `analyze` (-1: defaults).  Makes io's rings
 * at the file's rate. */
int at_capture_replay_open(at_capture *c, at_capture_io *io, const char *path, double speed,
                           int agent_ch, int customer_ch, char *err, size_t err_len);

/* PortAudio.  One device (by index or part of its name) with a channel map,
 * or two devices with one party each (customer_dev not NULL).  client_name,
 * if not NULL, names attune's client on a JACK server. */
typedef struct at_pa_spec {
    const char *agent_dev;         /* the one device, or the agent's */
    const char *customer_dev;      /* NULL: one device */
    int agent_ch, customer_ch;     /* channels on the device(s) */
    int rate;
    const char *client_name;
} at_pa_spec;

int at_capture_pa_open(at_capture *c, at_capture_io *io, const at_pa_spec *spec, char *err,
                       size_t err_len);

/* Rings for `seconds` of audio at `rate`; 0 or -1 when out of memory. */
int at_capture_io_init(at_capture_io *io, int rate, double seconds);
void at_capture_io_free(at_capture_io *io);

/* Blocks dropped because a ring was full, and their samples per party. */
uint64_t at_capture_io_overruns(const at_capture_io *io);
uint64_t at_capture_io_dropped(const at_capture_io *io);

/* Writes n samples of both parties into the rings, or neither: a block that
 * does not fit in both is dropped and counted, so the parties never slip
 * apart.  src[p] NULL writes zeros; stride as for at_ring_write().  Safe in
 * an audio callback. */
void at_capture_io_write(at_capture_io *io, const float *const src[2], size_t n, size_t stride);

/* Starts and stops PortAudio with its chatter (ALSA, JACK probing) kept off
 * stderr; client_name as in at_pa_spec.  0, or -1 with the reason in err. */
int at_pa_init(const char *client_name, char *err, size_t err_len);
void at_pa_terminate(void);

#endif
