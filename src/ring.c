/* ring: the lock-free SPSC sample ring (see ring.h). */
#include "ring.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAPACITY ((size_t)1 << 28)
#define CACHE_LINE 64

/* The counters run freely (they never wrap in practice: 2^64 samples) and
 * are masked into the buffer.  Each side owns one counter; they sit on
 * separate cache lines so the two threads do not fight over one line. */
struct at_ring {
    _Alignas(CACHE_LINE) atomic_size_t write_pos;
    _Alignas(CACHE_LINE) atomic_size_t read_pos;
    _Alignas(CACHE_LINE) atomic_uint_least64_t n_overruns;
    atomic_uint_least64_t n_dropped;
    size_t capacity, mask;
    float *buf;
};

at_ring *at_ring_new(size_t min_samples)
{
    if (min_samples == 0 || min_samples > MAX_CAPACITY)
        return NULL;
    size_t cap = 1;
    while (cap < min_samples)
        cap <<= 1;
    /* aligned_alloc wants a multiple of the alignment. */
    size_t size = (sizeof(at_ring) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
    at_ring *r = aligned_alloc(CACHE_LINE, size);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->buf = calloc(cap, sizeof(float));
    if (!r->buf) {
        free(r);
        return NULL;
    }
    r->capacity = cap;
    r->mask = cap - 1;
    atomic_init(&r->write_pos, 0);
    atomic_init(&r->read_pos, 0);
    atomic_init(&r->n_overruns, 0);
    atomic_init(&r->n_dropped, 0);
    return r;
}

void at_ring_free(at_ring *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

size_t at_ring_capacity(const at_ring *r) { return r->capacity; }

size_t at_ring_space(const at_ring *r)
{
    /* Only the producer calls this: its own counter needs no ordering; the
     * consumer's must be acquired so its reads of the slots are done. */
    size_t w = atomic_load_explicit(&r->write_pos, memory_order_relaxed);
    size_t rd = atomic_load_explicit(&r->read_pos, memory_order_acquire);
    return r->capacity - (w - rd);
}

size_t at_ring_available(const at_ring *r)
{
    size_t w = atomic_load_explicit(&r->write_pos, memory_order_acquire);
    size_t rd = atomic_load_explicit(&r->read_pos, memory_order_relaxed);
    return w - rd;
}

void at_ring_drop(at_ring *r, size_t n)
{
    atomic_fetch_add_explicit(&r->n_overruns, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->n_dropped, n, memory_order_relaxed);
}

size_t at_ring_write(at_ring *r, const float *src, size_t n, size_t stride)
{
    if (n == 0)
        return 0;
    if (at_ring_space(r) < n) {
        at_ring_drop(r, n);
        return 0;
    }
    size_t w = atomic_load_explicit(&r->write_pos, memory_order_relaxed);
    for (size_t i = 0; i < n; i++)
        r->buf[(w + i) & r->mask] = src ? src[i * stride] : 0.0f;
    /* Release: the samples above are visible before the new count is. */
    atomic_store_explicit(&r->write_pos, w + n, memory_order_release);
    return n;
}

size_t at_ring_read(at_ring *r, float *dst, size_t n)
{
    size_t avail = at_ring_available(r);
    if (n > avail)
        n = avail;
    size_t rd = atomic_load_explicit(&r->read_pos, memory_order_relaxed);
    size_t first = r->capacity - (rd & r->mask);
    if (first > n)
        first = n;
    memcpy(dst, r->buf + (rd & r->mask), first * sizeof(float));
    memcpy(dst + first, r->buf, (n - first) * sizeof(float));
    /* Release: the slots are read before the producer may reuse them. */
    atomic_store_explicit(&r->read_pos, rd + n, memory_order_release);
    return n;
}

uint64_t at_ring_overruns(const at_ring *r)
{
    return atomic_load_explicit(&((at_ring *)r)->n_overruns, memory_order_relaxed);
}

uint64_t at_ring_dropped(const at_ring *r)
{
    return atomic_load_explicit(&((at_ring *)r)->n_dropped, memory_order_relaxed);
}
