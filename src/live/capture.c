/* capture: what all capture backends share (see capture.h). */
#include "capture.h"

#include <string.h>

int at_capture_io_init(at_capture_io *io, int rate, double seconds)
{
    memset(io, 0, sizeof *io);
    io->rate = rate;
    for (int p = 0; p < 2; p++) {
        io->ring[p] = at_ring_new((size_t)(rate * seconds));
        if (!io->ring[p]) {
            at_capture_io_free(io);
            return -1;
        }
    }
    atomic_init(&io->n_frames, 0);
    atomic_init(&io->n_no_input, 0);
    atomic_init(&io->n_status_overflow, 0);
    return 0;
}

void at_capture_io_free(at_capture_io *io)
{
    for (int p = 0; p < 2; p++) {
        at_ring_free(io->ring[p]);
        io->ring[p] = NULL;
    }
}

void at_capture_io_write(at_capture_io *io, const float *const src[2], size_t n, size_t stride)
{
    if (at_ring_space(io->ring[0]) < n || at_ring_space(io->ring[1]) < n) {
        at_ring_drop(io->ring[0], n);
        at_ring_drop(io->ring[1], n);
        return;
    }
    at_ring_write(io->ring[0], src[0], n, stride);
    at_ring_write(io->ring[1], src[1], n, stride);
}

uint64_t at_capture_io_overruns(const at_capture_io *io)
{
    uint64_t a = at_ring_overruns(io->ring[0]), b = at_ring_overruns(io->ring[1]);
    return a > b ? a : b;
}

uint64_t at_capture_io_dropped(const at_capture_io *io)
{
    uint64_t a = at_ring_dropped(io->ring[0]), b = at_ring_dropped(io->ring[1]);
    return a > b ? a : b;
}
