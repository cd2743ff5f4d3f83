/* front: each channel's spectra, a block ahead on a worker thread (see
 * front.h). */
#include "front.h"

#include "attune/attune.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MAIN = 0, WORKER = 1, N_THREADS = 2 };

/* One block handed over: its hops [t0, t0 + n_units / n_parties) into
 * results slot `slot`.  gen numbers the blocks, so that a thread still
 * claiming hops of the last block cannot take one of the next. */
typedef struct job {
    uint32_t gen;
    int n_units;              /* hops x parties */
    long t0;
    int slot;
} job;

struct at_front {
    at_frame_geom g;
    int n_parties;
    float *ring[ATTUNE_N_PARTIES]; /* samples, circular, cap long */
    long long cap;
    long long n_stored;       /* samples stored, the leading zeros included */
    long fill_t0;             /* first hop of the block being filled */
    at_frame_rec *rec[2];     /* results of the block analysed and of the one before */
    float *rec_store;
    at_frame *an[N_THREADS][ATTUNE_N_PARTIES]; /* each thread's own analysers */
    float *win[N_THREADS];
    job cur;                  /* the block handed over last (the caller's copy) */
    _Atomic uint64_t next;    /* gen << 32 | its next unclaimed unit */
    atomic_int n_done;        /* its units analysed */
    pthread_t thread;
    int started;
    pthread_mutex_t mu;       /* guards posted, quit and the waits below */
    pthread_cond_t posted_cv, done_cv;
    job posted;               /* the worker's copy, handed over under mu */
    int quit;
};

static void analyse_unit(at_front *f, int th, const job *j, int u)
{
    const at_frame_geom *g = &f->g;
    int party = u % f->n_parties;
    long hop = j->t0 + u / f->n_parties;
    long long pos = ((long long)hop * g->hop) % f->cap;
    long long first = f->cap - pos < g->wlen ? f->cap - pos : g->wlen;
    float *w = f->win[th];
    memcpy(w, f->ring[party] + pos, sizeof(float) * (size_t)first);
    memcpy(w + first, f->ring[party], sizeof(float) * (size_t)(g->wlen - first));
    at_frame_analyse(f->an[th][party], w);
    at_frame_save(f->an[th][party], &f->rec[j->slot][u]);
}

/* The next unit of block j nobody has taken, or -1. */
static int claim(at_front *f, const job *j)
{
    uint64_t v = atomic_load(&f->next);
    for (;;) {
        if ((uint32_t)(v >> 32) != j->gen || (int)(v & 0xffffffffu) >= j->n_units)
            return -1;
        if (atomic_compare_exchange_weak(&f->next, &v, v + 1))
            return (int)(v & 0xffffffffu);
    }
}

static void run_units(at_front *f, int th, const job *j)
{
    int u;
    while ((u = claim(f, j)) >= 0) {
        analyse_unit(f, th, j, u);
        if (atomic_fetch_add(&f->n_done, 1) + 1 == j->n_units && th == WORKER) {
            pthread_mutex_lock(&f->mu);
            pthread_cond_signal(&f->done_cv);
            pthread_mutex_unlock(&f->mu);
        }
    }
}

static void *worker(void *arg)
{
    at_front *f = arg;
    uint32_t seen = 0;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (!f->quit && f->posted.gen == seen)
            pthread_cond_wait(&f->posted_cv, &f->mu);
        job j = f->posted;
        int quit = f->quit;
        pthread_mutex_unlock(&f->mu);
        if (quit)
            return NULL;
        seen = j.gen;
        run_units(f, WORKER, &j);
    }
}

void at_front_free(at_front *f)
{
    if (!f)
        return;
    if (f->started) {
        pthread_mutex_lock(&f->mu);
        f->quit = 1;
        pthread_cond_signal(&f->posted_cv);
        pthread_mutex_unlock(&f->mu);
        pthread_join(f->thread, NULL);
    }
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->posted_cv);
    pthread_cond_destroy(&f->done_cv);
    for (int th = 0; th < N_THREADS; th++) {
        for (int i = 0; i < ATTUNE_N_PARTIES; i++)
            at_frame_free(f->an[th][i]);
        free(f->win[th]);
    }
    for (int i = 0; i < ATTUNE_N_PARTIES; i++)
        free(f->ring[i]);
    free(f->rec[0]);
    free(f->rec[1]);
    free(f->rec_store);
    free(f);
}

/* Points every result at its share of one allocation. */
static int alloc_results(at_front *f)
{
    size_t n_rec = (size_t)AT_FRONT_BLOCK * f->n_parties, n_bins = (size_t)f->g.n_bins;
    f->rec_store = calloc(2 * n_rec * n_bins, sizeof(float));
    f->rec[0] = calloc(n_rec, sizeof(at_frame_rec));
    f->rec[1] = calloc(n_rec, sizeof(at_frame_rec));
    if (!f->rec_store || !f->rec[0] || !f->rec[1])
        return -1;
    for (int s = 0; s < 2; s++)
        for (size_t k = 0; k < n_rec; k++)
            f->rec[s][k].power = f->rec_store + (s * n_rec + k) * n_bins;
    return 0;
}

at_front *at_front_new(const at_frame_geom *g, int n_parties, int lead)
{
    if (n_parties < 1 || n_parties > ATTUNE_N_PARTIES)
        return NULL;
    at_front *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->g = *g;
    f->n_parties = n_parties;
    /* The block being analysed and the one being filled after it. */
    f->cap = 2LL * AT_FRONT_BLOCK * g->hop + g->wlen;
    f->n_stored = lead;
    f->cur.slot = 1;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->posted_cv, NULL);
    pthread_cond_init(&f->done_cv, NULL);
    for (int i = 0; i < n_parties; i++) {
        f->ring[i] = calloc((size_t)f->cap, sizeof(float));
        if (!f->ring[i])
            goto fail;
    }
    for (int th = 0; th < N_THREADS; th++) {
        f->win[th] = malloc(sizeof(float) * g->wlen);
        if (!f->win[th])
            goto fail;
        for (int i = 0; i < n_parties; i++)
            if (!(f->an[th][i] = at_frame_new(g)))
                goto fail;
    }
    if (alloc_results(f) != 0)
        goto fail;
    if (pthread_create(&f->thread, NULL, worker, f) != 0)
        goto fail;
    f->started = 1;
    return f;
fail:
    at_front_free(f);
    return NULL;
}

long at_front_hops(const at_front *f)
{
    const at_frame_geom *g = &f->g;
    return f->n_stored < g->wlen ? 0 : (long)((f->n_stored - g->wlen) / g->hop) + 1;
}

int at_front_full(const at_front *f)
{
    return at_front_hops(f) - f->fill_t0 >= AT_FRONT_BLOCK;
}

size_t at_front_store(at_front *f, const float *const *ch, size_t off, size_t n)
{
    const at_frame_geom *g = &f->g;
    long long limit = (long long)(f->fill_t0 + AT_FRONT_BLOCK - 1) * g->hop + g->wlen;
    size_t k = limit - f->n_stored < (long long)n ? (size_t)(limit - f->n_stored) : n;
    long long pos = f->n_stored % f->cap;
    size_t first = f->cap - pos < (long long)k ? (size_t)(f->cap - pos) : k;
    for (int i = 0; i < f->n_parties; i++) {
        float *r = f->ring[i];
        if (ch) {
            memcpy(r + pos, ch[i] + off, sizeof(float) * first);
            memcpy(r, ch[i] + off + first, sizeof(float) * (k - first));
        } else {
            memset(r + pos, 0, sizeof(float) * first);
            memset(r, 0, sizeof(float) * (k - first));
        }
    }
    f->n_stored += (long long)k;
    return k;
}

/* Analyses what is left of the block handed over last, with the worker. */
static void finish_block(at_front *f)
{
    run_units(f, MAIN, &f->cur);
    if (atomic_load(&f->n_done) >= f->cur.n_units)
        return;
    pthread_mutex_lock(&f->mu);
    while (atomic_load(&f->n_done) < f->cur.n_units)
        pthread_cond_wait(&f->done_cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
}

int at_front_cycle(at_front *f, const at_frame_rec **rec, long *t0)
{
    finish_block(f);
    job done = f->cur;
    long n = at_front_hops(f) - f->fill_t0;
    f->cur = (job){done.gen + 1, (int)n * f->n_parties, f->fill_t0, 1 - done.slot};
    f->fill_t0 += n;
    atomic_store(&f->n_done, 0);
    atomic_store(&f->next, (uint64_t)f->cur.gen << 32);
    if (n > 0) {
        pthread_mutex_lock(&f->mu);
        f->posted = f->cur;
        pthread_cond_signal(&f->posted_cv);
        pthread_mutex_unlock(&f->mu);
    }
    *rec = f->rec[done.slot];
    *t0 = done.t0;
    return done.n_units / f->n_parties;
}
