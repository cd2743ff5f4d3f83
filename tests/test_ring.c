/* test_ring: the SPSC sample ring: sizes, wrap-around, all-or-nothing
 * writes with overrun counting, strided writes, and two threads hammering
 * it for a bounded time with every sample checked for order and loss. */
#include "ring.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

static void capacity_rounds_up(void **state)
{
    (void)state;
    at_ring *r = at_ring_new(1000);
    assert_non_null(r);
    assert_int_equal(at_ring_capacity(r), 1024);
    assert_int_equal(at_ring_space(r), 1024);
    assert_int_equal(at_ring_available(r), 0);
    at_ring_free(r);
    assert_null(at_ring_new(0));
    assert_null(at_ring_new((size_t)1 << 40));
}

static void wraps_and_keeps_order(void **state)
{
    (void)state;
    at_ring *r = at_ring_new(8);
    float in[5], out[8];
    float next_in = 0, next_out = 0;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 5; i++)
            in[i] = next_in++;
        assert_int_equal(at_ring_write(r, in, 5, 1), 5);
        size_t got = at_ring_read(r, out, 8);
        assert_int_equal(got, 5);
        for (size_t i = 0; i < got; i++)
            assert_true(out[i] == next_out++);
    }
    assert_int_equal(at_ring_overruns(r), 0);
    at_ring_free(r);
}

static void full_ring_drops_whole_block_and_counts(void **state)
{
    (void)state;
    at_ring *r = at_ring_new(16);
    float in[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, out[16];
    assert_int_equal(at_ring_write(r, in, 10, 1), 10);
    assert_int_equal(at_ring_write(r, in, 10, 1), 0); /* 6 free: dropped whole */
    assert_int_equal(at_ring_overruns(r), 1);
    assert_int_equal(at_ring_dropped(r), 10);
    assert_int_equal(at_ring_write(r, in, 6, 1), 6);  /* exactly full */
    assert_int_equal(at_ring_space(r), 0);
    assert_int_equal(at_ring_read(r, out, 16), 16);
    assert_true(out[9] == 10 && out[10] == 1 && out[15] == 6);
    at_ring_free(r);
}

static void strided_and_zero_writes(void **state)
{
    (void)state;
    at_ring *r = at_ring_new(16);
    float stereo[8] = {1, -1, 2, -2, 3, -3, 4, -4}, out[8];
    assert_int_equal(at_ring_write(r, stereo + 1, 4, 2), 4);
    assert_int_equal(at_ring_write(r, NULL, 3, 0), 3);
    assert_int_equal(at_ring_read(r, out, 8), 7);
    float want[7] = {-1, -2, -3, -4, 0, 0, 0};
    for (int i = 0; i < 7; i++)
        assert_true(out[i] == want[i]);
    at_ring_free(r);
}

/* Two threads for a bounded time (STRESS_S).  Samples carry a running count modulo
 * 2^20 (exact in a float).  The producer retries a dropped block, so the
 * consumer must see every count once, in order; the overruns it causes are
 * counted. */
#define STRESS_S 1.5
#define MIN_SAMPLES 200000   /* ... and at least this many, within MAX_S, on a loaded machine */
#define MAX_S 10.0
#define SEQ_MASK 0xFFFFF

typedef struct stress {
    at_ring *r;
    _Atomic int done;
    uint64_t n_written, n_retries;
} stress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *producer(void *arg)
{
    stress *s = arg;
    float block[300];
    uint64_t seq = 0, rng = 12345;
    double start = now_s();
    for (;;) {
        double t = now_s() - start;
        if ((t >= STRESS_S && seq >= MIN_SAMPLES) || t >= MAX_S)
            break;
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t n = 1 + (size_t)(rng >> 33) % 300;
        for (size_t i = 0; i < n; i++)
            block[i] = (float)((seq + i) & SEQ_MASK);
        while (at_ring_write(s->r, block, n, 1) == 0)
            s->n_retries++;
        seq += n;
    }
    s->n_written = seq;
    s->done = 1;
    return NULL;
}

static void two_threads_lose_nothing(void **state)
{
    (void)state;
    stress s = {.r = at_ring_new(1024)};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, producer, &s), 0);
    float out[257];
    uint64_t seq = 0, rng = 999;
    int bad = 0;
    for (;;) {
        int finished = s.done;
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t want = 1 + (size_t)(rng >> 33) % 257;
        size_t got = at_ring_read(s.r, out, want);
        for (size_t i = 0; i < got; i++, seq++)
            if (out[i] != (float)(seq & SEQ_MASK))
                bad++;
        if (finished && got == 0 && at_ring_available(s.r) == 0)
            break;
    }
    pthread_join(th, NULL);
    assert_int_equal(bad, 0);
    assert_true(s.n_written >= MIN_SAMPLES);
    assert_true(seq == s.n_written);
    assert_true(at_ring_overruns(s.r) == s.n_retries);
    at_ring_free(s.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(capacity_rounds_up),
        cmocka_unit_test(wraps_and_keeps_order),
        cmocka_unit_test(full_ring_drops_whole_block_and_counts),
        cmocka_unit_test(strided_and_zero_writes),
        cmocka_unit_test(two_threads_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
