/* conversation: spurts to conversation events (see conversation.h). */
#include "conversation.h"

#include <math.h>
#include <string.h>

void at_conv_init(at_conv *c, const attune_config *cfg, double fps, int n_parties,
                  attune_event_fn emit, void *user)
{
    memset(c, 0, sizeof *c);
    c->fps = fps;
    c->bridge = lround(cfg->bridge_s * fps);
    c->ov_min = lround(cfg->interrupt_overlap_s * fps);
    c->int_min = lround(cfg->interrupt_min_s * fps);
    c->dead_air = lround(cfg->dead_air_s * fps);
    c->n_parties = n_parties;
    c->floor_party = -1;
    c->last_end_any = -1;
    c->emit = emit;
    c->user = user;
    for (int p = 0; p < ATTUNE_N_PARTIES; p++)
        c->pc[p].turn_start = -1;
}

static void emit(at_conv *c, attune_event_type type, int party, long t0, long t1,
                 double value)
{
    if (!c->emit)
        return;
    attune_event ev = {type, party, t0 / c->fps, t1 / c->fps, value};
    c->emit(&ev, c->user);
}

/* The ring holds closed spurts in order; index 0 is the newest. */
static at_spurt_rec *ring_at(at_party_conv *pc, int i)
{
    return &pc->ring[(pc->ring_head - 1 - i + 2 * AT_RING) % AT_RING];
}

static void ring_push(at_party_conv *pc, long s, long e)
{
    at_spurt_rec *r = &pc->ring[pc->ring_head];
    r->s = s;
    r->e = e;
    r->floor = 0;
    pc->ring_head = (pc->ring_head + 1) % AT_RING;
    if (pc->ring_n < AT_RING)
        pc->ring_n++;
}

static at_spurt_rec *ring_by_start(at_party_conv *pc, long s)
{
    for (int i = 0; i < pc->ring_n; i++) {
        at_spurt_rec *r = ring_at(pc, i);
        if (r->s == s)
            return r;
        if (r->s < s)
            break;
    }
    return NULL;
}

/* The closed spurt with s < t < e, if any. */
static at_spurt_rec *ring_containing(at_party_conv *pc, long t)
{
    for (int i = 0; i < pc->ring_n; i++) {
        at_spurt_rec *r = ring_at(pc, i);
        if (r->e <= t)
            break;
        if (r->s < t)
            return r;
    }
    return NULL;
}

/* The end of the last floor-taking spurt that ended by t, or -1. */
static long ring_last_floor_end(at_party_conv *pc, long t)
{
    for (int i = 0; i < pc->ring_n; i++) {
        at_spurt_rec *r = ring_at(pc, i);
        if (r->floor && r->e <= t)
            return r->e;
    }
    return -1;
}

static void note_monologue(at_party_conv *pc, long e)
{
    if (pc->turn_start >= 0 && e - pc->turn_start > pc->longest_mono)
        pc->longest_mono = e - pc->turn_start;
}

static void take_floor(at_conv *c, int p, at_live_spurt *x, int started_clear)
{
    at_party_conv *pc = &c->pc[p], *qc = &c->pc[1 - p];
    if (started_clear) {
        long qf = ring_last_floor_end(qc, x->s);
        long pf = ring_last_floor_end(pc, x->s);
        if (qf >= 0 && qf > pf) {
            long gap = x->s - qf;
            pc->gap_hist[gap < AT_GAP_BINS ? gap : AT_GAP_BINS - 1]++;
            pc->n_gaps++;
            emit(c, ATTUNE_EV_RESPONSE_GAP, p, qf, x->s, gap / c->fps);
        }
    }
    if (c->floor_party != p) {
        c->floor_party = p;
        pc->n_turns++;
        pc->turn_start = x->s;
        emit(c, ATTUNE_EV_TURN, p, x->s, x->s, 0.0);
    }
    x->floor_done = 1;
    if (x->e >= 0) {
        at_spurt_rec *r = ring_by_start(pc, x->s);
        if (r)
            r->floor = 1;
        note_monologue(pc, x->e);
    }
}

/* Did x start while the other party was mid-spurt?  Sets x->ov, or leaves it
 * unknown while the other party is in a pause that may yet be bridged. */
static void resolve_overlap(at_conv *c, int p, at_live_spurt *x)
{
    at_party_conv *qc = &c->pc[1 - p];
    if (qc->open && qc->open_s < x->s) {
        if (qc->open_last < x->s)
            return;
        x->ov = 1;
        x->y_s = qc->open_s;
        return;
    }
    at_spurt_rec *y = ring_containing(qc, x->s);
    x->ov = y != NULL;
    if (y)
        x->y_s = y->s;
}

static void classify_overlapped(at_conv *c, int p, at_live_spurt *x)
{
    at_party_conv *pc = &c->pc[p], *qc = &c->pc[1 - p];
    int x_closed = x->e >= 0;
    long xe = x_closed ? x->e : pc->open_last + 1;
    int y_closed = 1;
    long ye = xe;
    if (qc->open && qc->open_s == x->y_s) {
        y_closed = 0;
        ye = qc->open_last + 1;
    } else {
        at_spurt_rec *y = ring_by_start(qc, x->y_s);
        if (y)
            ye = y->e;
    }
    int long_enough = xe - x->s >= c->int_min;
    if (x_closed && !long_enough) {
        pc->n_backchannels++;
        emit(c, ATTUNE_EV_BACKCHANNEL, p, x->s, x->e, 0.0);
        x->done = 1;
        return;
    }
    if (!long_enough || !(x_closed || y_closed))
        return;
    long ov = (xe < ye ? xe : ye) - x->s;
    if (ov >= c->ov_min) {
        pc->n_interruptions++;
        emit(c, ATTUNE_EV_INTERRUPTION, p, x->s, x->s + ov, ov / c->fps);
        take_floor(c, p, x, 0);
        x->done = 1;
    } else if (x_closed || ye <= xe) {
        take_floor(c, p, x, 0); /* an early start of a turn, not a cut-in */
        x->done = 1;
    }
}

static void classify(at_conv *c, int p, at_live_spurt *x)
{
    if (x->done)
        return;
    if (c->n_parties == 1) {
        x->done = 1;
        return;
    }
    if (x->ov < 0)
        resolve_overlap(c, p, x);
    if (x->ov == 0) {
        take_floor(c, p, x, 1);
        x->done = 1;
    } else if (x->ov == 1) {
        classify_overlapped(c, p, x);
    }
}

static void drop_finished(at_party_conv *pc)
{
    int k = 0;
    for (int i = 0; i < pc->n_live; i++)
        if (!(pc->live[i].done && pc->live[i].e >= 0))
            pc->live[k++] = pc->live[i];
    pc->n_live = k;
}

void at_conv_step(at_conv *c)
{
    /* Two passes: one party's decision can settle the other's. */
    for (int pass = 0; pass < 2; pass++)
        for (int p = 0; p < c->n_parties; p++)
            for (int i = 0; i < c->pc[p].n_live; i++)
                classify(c, p, &c->pc[p].live[i]);
    for (int p = 0; p < c->n_parties; p++)
        drop_finished(&c->pc[p]);
}

static void check_dead_air(at_conv *c, int p, long s)
{
    long end = s;
    if (c->n_parties == 2) {
        at_party_conv *qc = &c->pc[1 - p];
        if (qc->open && qc->open_s < end)
            end = qc->open_s;
    }
    if (c->last_end_any < 0 || end - c->last_end_any <= c->dead_air)
        return;
    c->dead_air_frames += end - c->last_end_any;
    c->n_dead_air++;
    emit(c, ATTUNE_EV_DEAD_AIR, -1, c->last_end_any, end, (end - c->last_end_any) / c->fps);
    c->last_end_any = end; /* counted once, even if the other party's start comes later */
}

void at_conv_open(at_conv *c, int p, long s)
{
    at_party_conv *pc = &c->pc[p];
    check_dead_air(c, p, s);
    if (pc->n_live == AT_LIVE) {
        /* Cannot happen with sane input; keep memory bounded regardless. */
        pc->live[0].done = 1;
        drop_finished(pc);
        if (pc->n_live == AT_LIVE)
            pc->n_live--;
    }
    at_live_spurt *x = &pc->live[pc->n_live++];
    memset(x, 0, sizeof *x);
    x->s = s;
    x->e = -1;
    x->ov = -1;
    pc->open = 1;
    pc->open_s = s;
    pc->open_last = s;
}

void at_conv_progress(at_conv *c, int p, long last)
{
    c->pc[p].open_last = last;
}

static void add_overtalk(at_conv *c, int p, long s, long e)
{
    if (c->n_parties < 2)
        return;
    at_party_conv *qc = &c->pc[1 - p];
    for (int i = 0; i < qc->ring_n; i++) {
        at_spurt_rec *r = ring_at(qc, i);
        if (r->e <= s)
            break;
        long a = r->s > s ? r->s : s, b = r->e < e ? r->e : e;
        if (b > a)
            c->overtalk_frames += b - a;
    }
}

void at_conv_close(at_conv *c, int p, long s, long e)
{
    at_party_conv *pc = &c->pc[p];
    pc->open = 0;
    pc->talk_frames += e - s;
    pc->n_spurts++;
    add_overtalk(c, p, s, e);
    ring_push(pc, s, e);
    if (e > c->last_end_any)
        c->last_end_any = e;
    emit(c, ATTUNE_EV_SPURT, p, s, e, (e - s) / c->fps);
    for (int i = 0; i < pc->n_live; i++) {
        at_live_spurt *x = &pc->live[i];
        if (x->s != s)
            continue;
        x->e = e;
        if (x->floor_done) {
            ring_at(pc, 0)->floor = 1;
            note_monologue(pc, e);
        }
    }
}

void at_conv_finish(at_conv *c)
{
    at_conv_step(c);
    for (int p = 0; p < c->n_parties; p++)
        for (int i = 0; i < c->pc[p].n_live; i++)
            c->pc[p].live[i].done = 1;
    for (int p = 0; p < c->n_parties; p++)
        drop_finished(&c->pc[p]);
}

static double median_gap(const at_party_conv *pc, double fps)
{
    if (pc->n_gaps == 0)
        return -1.0;
    int lo_rank = (pc->n_gaps - 1) / 2, hi_rank = pc->n_gaps / 2;
    long lo = -1, hi = -1, seen = 0;
    for (int k = 0; k < AT_GAP_BINS && hi < 0; k++) {
        seen += pc->gap_hist[k];
        if (lo < 0 && seen > lo_rank)
            lo = k;
        if (seen > hi_rank)
            hi = k;
    }
    return (lo + hi) * 0.5 / fps;
}

void at_conv_metrics(const at_conv *c, attune_metrics *m)
{
    long talk_all = 0;
    m->n_parties = c->n_parties;
    for (int p = 0; p < c->n_parties; p++) {
        const at_party_conv *pc = &c->pc[p];
        attune_party_metrics *pm = &m->party[p];
        long talk = pc->talk_frames;
        if (pc->open)
            talk += pc->open_last + 1 - pc->open_s;
        talk_all += talk;
        pm->talk_s = talk / c->fps;
        pm->n_spurts = pc->n_spurts;
        pm->n_turns = pc->n_turns;
        pm->longest_monologue_s = pc->longest_mono / c->fps;
        pm->n_interruptions_made = pc->n_interruptions;
        pm->n_backchannels_made = pc->n_backchannels;
        pm->n_response_gaps = pc->n_gaps;
        pm->patience_s = median_gap(pc, c->fps);
    }
    m->overtalk_s = c->overtalk_frames / c->fps;
    m->silence_s = m->duration_s - (talk_all - c->overtalk_frames) / c->fps;
    if (m->silence_s < 0)
        m->silence_s = 0;
    m->dead_air_s = c->dead_air_frames / c->fps;
    m->n_dead_air = c->n_dead_air;
}
