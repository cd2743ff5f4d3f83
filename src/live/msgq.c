/* msgq: the DSP thread's messages to the main thread (see msgq.h). */
#include "msgq.h"

void at_msgq_init(at_msgq *q)
{
    atomic_init(&q->head, 0);
    atomic_init(&q->tail, 0);
    atomic_init(&q->n_dropped, 0);
}

int at_msgq_put(at_msgq *q, const at_live_msg *m)
{
    size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
    size_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
    if (h - t == AT_MSGQ_CAP) {
        atomic_fetch_add_explicit(&q->n_dropped, 1, memory_order_relaxed);
        return -1;
    }
    q->buf[h & (AT_MSGQ_CAP - 1)] = *m;
    atomic_store_explicit(&q->head, h + 1, memory_order_release);
    return 0;
}

int at_msgq_get(at_msgq *q, at_live_msg *m)
{
    size_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
    size_t h = atomic_load_explicit(&q->head, memory_order_acquire);
    if (h == t)
        return 0;
    *m = q->buf[t & (AT_MSGQ_CAP - 1)];
    atomic_store_explicit(&q->tail, t + 1, memory_order_release);
    return 1;
}

uint64_t at_msgq_dropped(at_msgq *q)
{
    return atomic_load_explicit(&q->n_dropped, memory_order_relaxed);
}
