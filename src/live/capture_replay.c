/* capture_replay: a sound file played into the rings on a virtual clock, so
 * every live feature runs, demos and is tested without hardware.  A thread
 * reads the file and releases 20 ms blocks at their due time (speed times
 * real time), exactly as a device callback would; at a finite speed a full
 * ring is an overrun, as on a device.  At speed 0 ("max") it waits for room
 * instead, so nothing is lost however fast the file goes through. */
#include "audio_in.h"
#include "capture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct replay {
    at_capture_io *io;
    at_audio_in a;
    double speed;
    pthread_t thread;
    int started;
    atomic_int stop, state;
    char err[256];
} replay;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void sleep_until(double t)
{
    struct timespec ts = {(time_t)t, (long)((t - (double)(time_t)t) * 1e9)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
        ;
}

static void sleep_s(double s)
{
    struct timespec ts = {0, (long)(s * 1e9)};
    nanosleep(&ts, NULL);
}

/* Writes one block; at speed 0 waits for room.  Returns 0, or -1 if told
 * to stop while waiting. */
static int deliver(replay *r, const float *const src[2], size_t n)
{
    at_capture_io *io = r->io;
    while (r->speed == 0 &&
           (at_ring_space(io->ring[0]) < n || at_ring_space(io->ring[1]) < n)) {
        if (r->stop)
            return -1;
        sleep_s(0.001);
    }
    at_capture_io_write(io, src, n, 1);
    atomic_fetch_add(&io->n_frames, n);
    return 0;
}

static void *replay_main(void *arg)
{
    replay *r = arg;
    const size_t block = (size_t)r->io->rate / 50;
    uint64_t done = 0;
    double t0 = mono_s();
    while (!r->stop) {
        long got = at_audio_read(&r->a, r->err, sizeof r->err);
        if (got < 0) {
            r->state = AT_CAP_LOST;
            return NULL;
        }
        if (got == 0)
            break;
        for (size_t k = 0; k < (size_t)got && !r->stop; k += block) {
            size_t n = (size_t)got - k < block ? (size_t)got - k : block;
            if (r->speed > 0)
                sleep_until(t0 + (double)(done + n) / r->io->rate / r->speed);
            const float *src[2] = {r->a.planar[0] + k,
                                   r->a.planar[r->a.n_parties > 1 ? 1 : 0] + k};
            if (deliver(r, src, n) != 0)
                return NULL;
            done += n;
        }
    }
    r->state = AT_CAP_ENDED;
    return NULL;
}

static int replay_start(void *self, char *err, size_t err_len)
{
    replay *r = self;
    if (pthread_create(&r->thread, NULL, replay_main, r) != 0) {
        snprintf(err, err_len, "cannot start the replay thread");
        return -1;
    }
    r->started = 1;
    return 0;
}

static int replay_state(void *self, char *err, size_t err_len)
{
    replay *r = self;
    int st = r->state;
    if (st == AT_CAP_LOST)
        snprintf(err, err_len, "%s", r->err);
    return st;
}

static void replay_stop(void *self)
{
    replay *r = self;
    r->stop = 1;
    if (r->started)
        pthread_join(r->thread, NULL);
    r->started = 0;
}

static void replay_close(void *self)
{
    replay *r = self;
    replay_stop(r);
    at_audio_close(&r->a);
    free(r);
}

static const at_capture_ops replay_ops = {"replay", replay_start, replay_state, replay_stop,
                                          replay_close};

int at_capture_replay_open(at_capture *c, at_capture_io *io, const char *path, double speed,
                           int agent_ch, int customer_ch, char *err, size_t err_len)
{
    replay *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    if (at_audio_open(&r->a, path, agent_ch, customer_ch, 0, err, err_len) != 0) {
        free(r);
        return -1;
    }
    if (at_capture_io_init(io, r->a.info.samplerate, AT_RING_S) != 0) {
        snprintf(err, err_len, "out of memory");
        at_audio_close(&r->a);
        free(r);
        return -1;
    }
    r->io = io;
    r->speed = speed;
    c->ops = &replay_ops;
    c->self = r;
    c->io = io;
    c->mono = r->a.n_parties == 1;
    c->duration_s = (double)r->a.info.frames / r->a.info.samplerate;
    if (speed > 0)
        snprintf(c->describe, sizeof c->describe, "replay of %s at %gx", path, speed);
    else
        snprintf(c->describe, sizeof c->describe, "replay of %s at full speed", path);
    return 0;
}
