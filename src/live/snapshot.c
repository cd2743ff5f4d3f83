/* snapshot: the triple buffer between the DSP thread and the views. */
#include "snapshot.h"

#include <string.h>

#define FRESH 4

void at_snapshot_init(at_snapshot_box *b)
{
    memset(b->buf, 0, sizeof b->buf);
    b->back = 0;
    atomic_init(&b->middle, 1);
    b->front = 2;
}

at_snapshot *at_snapshot_back(at_snapshot_box *b) { return &b->buf[b->back]; }

void at_snapshot_publish(at_snapshot_box *b)
{
    /* acq_rel: the back buffer's contents go out with the swap, and the
     * buffer we get back is one the reader has finished with. */
    int old = atomic_exchange_explicit(&b->middle, b->back | FRESH, memory_order_acq_rel);
    b->back = old & 3;
}

const at_snapshot *at_snapshot_read(at_snapshot_box *b)
{
    if (atomic_load_explicit(&b->middle, memory_order_relaxed) & FRESH) {
        int old = atomic_exchange_explicit(&b->middle, b->front, memory_order_acq_rel);
        b->front = old & 3;
    }
    return &b->buf[b->front];
}
