/* ring: a lock-free single-producer single-consumer ring of float samples,
 * the only thing the audio callback touches.  Capacity is a power of two so
 * indices wrap with a mask; the write and read counters are C11 atomics
 * (release on publish, acquire on observe), as in PortAudio's
 * pa_ringbuffer.  One ring carries one party: a capture with two parties
 * writes two rings, which the DSP thread drains in step.  Nothing is
 * allocated after at_ring_new(); a write that does not fit is dropped whole
 * and counted, never waited for. */
#ifndef ATTUNE_RING_H
#define ATTUNE_RING_H

#include <stddef.h>
#include <stdint.h>

typedef struct at_ring at_ring;

/* A ring holding at least min_samples (rounded up to a power of two, at
 * most 2^28).  Returns NULL when out of memory or min_samples is 0 or too
 * large. */
at_ring *at_ring_new(size_t min_samples);
void at_ring_free(at_ring *r);

size_t at_ring_capacity(const at_ring *r);

/* Producer side.  Writes n samples taken from src at the given stride (1 for
 * a mono block, the channel count to pick one channel out of an interleaved
 * block); src NULL writes zeros.  All or nothing: returns n, or 0 when there
 * is not room for all of them, in which case the overrun is counted.
 * Wait-free: no lock, no allocation, no system call. */
size_t at_ring_write(at_ring *r, const float *src, size_t n, size_t stride);

/* Counts a block of n samples the producer had to drop (see
 * at_capture_io_write(), which checks two rings before writing either). */
void at_ring_drop(at_ring *r, size_t n);

/* Room for the producer, in samples. */
size_t at_ring_space(const at_ring *r);

/* Consumer side.  Samples ready to read. */
size_t at_ring_available(const at_ring *r);

/* Reads up to n samples into dst; returns how many were read. */
size_t at_ring_read(at_ring *r, float *dst, size_t n);

/* Overruns: the number of writes dropped, and the samples they held.
 * Safe to read from any thread. */
uint64_t at_ring_overruns(const at_ring *r);
uint64_t at_ring_dropped(const at_ring *r);

#endif
