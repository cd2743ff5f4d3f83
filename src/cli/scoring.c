/* scoring: DER with a collar, optimal speaker mapping, frame agreement and
 * the conversation metrics (see scoring.h and README.md). */
#include "scoring.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_S 0.01

typedef struct {
    double len;
    unsigned rmask, hmask;
} piece;

typedef struct {
    const at_seg *v;
    size_t n, k;
} cursor;

/* Whether t lies in [t0, t1) of the cursor's sorted segments; t must not
 * decrease between calls. */
static int active(cursor *c, double t)
{
    while (c->k < c->n && c->v[c->k].t1 <= t)
        c->k++;
    return c->k < c->n && c->v[c->k].t0 <= t;
}

static int dbl_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* The collar zones: [b - collar, b + collar] around every reference
 * boundary, merged and sorted, as a track. */
static int collar_zones(const at_annot *ref, double collar, at_track *z)
{
    memset(z, 0, sizeof *z);
    size_t n = 0;
    for (int i = 0; i < ref->n_tracks; i++)
        n += 2 * ref->track[i].n;
    if (collar <= 0 || n == 0)
        return 0;
    double *b = malloc(n * sizeof *b);
    z->v = malloc(n * sizeof *z->v);
    if (!b || !z->v) {
        free(b);
        return -1;
    }
    size_t k = 0;
    for (int i = 0; i < ref->n_tracks; i++)
        for (size_t j = 0; j < ref->track[i].n; j++) {
            b[k++] = ref->track[i].v[j].t0;
            b[k++] = ref->track[i].v[j].t1;
        }
    qsort(b, n, sizeof *b, dbl_cmp);
    for (size_t j = 0; j < n; j++) {
        if (z->n && b[j] - collar <= z->v[z->n - 1].t1)
            z->v[z->n - 1].t1 = b[j] + collar;
        else
            z->v[z->n++] = (at_seg){b[j] - collar, b[j] + collar};
    }
    free(b);
    return 0;
}

/* Cuts [0, end] at every boundary of either side and of the collars; each
 * piece outside the collars gets who is active in it. */
static piece *pieces(const at_annot *ref, const at_annot *hyp, const at_track *zones,
                     double end, size_t *n_out)
{
    size_t nb = 2 + 2 * zones->n;
    for (int i = 0; i < ref->n_tracks; i++)
        nb += 2 * ref->track[i].n;
    for (int i = 0; i < hyp->n_tracks; i++)
        nb += 2 * hyp->track[i].n;
    double *b = malloc(nb * sizeof *b);
    piece *out = malloc(nb * sizeof *out);
    if (!b || !out) {
        free(b);
        free(out);
        return NULL;
    }
    size_t k = 0;
    b[k++] = 0;
    b[k++] = end;
    for (size_t j = 0; j < zones->n; j++) {
        b[k++] = zones->v[j].t0;
        b[k++] = zones->v[j].t1;
    }
    const at_annot *side[2] = {ref, hyp};
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < side[s]->n_tracks; i++)
            for (size_t j = 0; j < side[s]->track[i].n; j++) {
                b[k++] = side[s]->track[i].v[j].t0;
                b[k++] = side[s]->track[i].v[j].t1;
            }
    qsort(b, k, sizeof *b, dbl_cmp);
    cursor zc = {zones->v, zones->n, 0}, rc[AT_MAX_TRACKS], hc[AT_MAX_TRACKS];
    for (int i = 0; i < ref->n_tracks; i++)
        rc[i] = (cursor){ref->track[i].v, ref->track[i].n, 0};
    for (int i = 0; i < hyp->n_tracks; i++)
        hc[i] = (cursor){hyp->track[i].v, hyp->track[i].n, 0};
    size_t n = 0;
    for (size_t j = 0; j + 1 < k; j++) {
        double lo = b[j] < 0 ? 0 : b[j], hi = b[j + 1] > end ? end : b[j + 1];
        if (hi - lo <= 1e-9) /* slivers from start + duration rounding */
            continue;
        double mid = 0.5 * (lo + hi);
        if (active(&zc, mid))
            continue;
        piece p = {hi - lo, 0, 0};
        for (int i = 0; i < ref->n_tracks; i++)
            p.rmask |= (unsigned)active(&rc[i], mid) << i;
        for (int i = 0; i < hyp->n_tracks; i++)
            p.hmask |= (unsigned)active(&hc[i], mid) << i;
        out[n++] = p;
    }
    free(b);
    *n_out = n;
    return out;
}

/* The one-to-one mapping of reference to hypothesis tracks with the most
 * overlap, searched exhaustively (at most AT_MAX_TRACKS a side). */
static void best_map(double ov[AT_MAX_TRACKS][AT_MAX_TRACKS], int nr, int nh, int i,
                     unsigned used, double sum, int *cur, double *best, int *map)
{
    if (i == nr) {
        if (sum > *best) {
            *best = sum;
            memcpy(map, cur, sizeof(int) * AT_MAX_TRACKS);
        }
        return;
    }
    int free_h = nh - __builtin_popcount(used), left = nr - i;
    for (int j = 0; j < nh; j++) {
        if (used & (1u << j))
            continue;
        cur[i] = j;
        best_map(ov, nr, nh, i + 1, used | (1u << j), sum + ov[i][j], cur, best, map);
    }
    if (free_h < left) { /* more reference speakers than hypothesis ones left */
        cur[i] = -1;
        best_map(ov, nr, nh, i + 1, used, sum, cur, best, map);
    }
}

static void map_speakers(const piece *p, size_t n, int nr, int nh, int *map)
{
    double ov[AT_MAX_TRACKS][AT_MAX_TRACKS] = {{0}};
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nh; j++)
                if ((p[k].rmask >> i & 1) && (p[k].hmask >> j & 1))
                    ov[i][j] += p[k].len;
    int cur[AT_MAX_TRACKS];
    double best = -1;
    for (int i = 0; i < AT_MAX_TRACKS; i++)
        map[i] = -1;
    best_map(ov, nr, nh, 0, 0, 0.0, cur, &best, map);
}

static int der(const at_annot *ref, const at_annot *hyp, double collar, at_score *s, int *map)
{
    at_track zones;
    if (collar_zones(ref, collar, &zones))
        return -1;
    double end = fmax(at_annot_end(ref), at_annot_end(hyp));
    size_t n = 0;
    piece *p = pieces(ref, hyp, &zones, end, &n);
    free(zones.v);
    if (!p)
        return -1;
    map_speakers(p, n, ref->n_tracks, hyp->n_tracks, map);
    for (size_t k = 0; k < n; k++) {
        int nr = __builtin_popcount(p[k].rmask), nh = __builtin_popcount(p[k].hmask), nc = 0;
        for (int i = 0; i < ref->n_tracks; i++)
            nc += (p[k].rmask >> i & 1) && map[i] >= 0 && (p[k].hmask >> map[i] & 1);
        s->scored_s += p[k].len;
        s->ref_s += p[k].len * nr;
        s->missed_s += p[k].len * (nr > nh ? nr - nh : 0);
        s->false_alarm_s += p[k].len * (nh > nr ? nh - nr : 0);
        s->confusion_s += p[k].len * ((nr < nh ? nr : nh) - nc);
    }
    free(p);
    return 0;
}

/* Frames whose centre lies in [t0, t1) agree when both sides say the same. */
static long frames_agreeing(const at_track *r, const at_track *h, long n)
{
    cursor rc = {r->v, r->n, 0}, hc = {h->v, h->n, 0};
    long agree = 0;
    for (long i = 0; i < n; i++) {
        double c = (i + 0.5) * FRAME_S;
        agree += active(&rc, c) == active(&hc, c);
    }
    return agree;
}

/* Greedy one-to-one matching as tools/scorelib.py: each hypothesis event in
 * time order takes the closest unmatched reference event of its party. */
static void match_events(const at_tier *r, const int *r_party, const at_tier *h, at_score *s)
{
    size_t nr = r ? r->n : 0, nh = h ? h->n : 0;
    char *used = calloc(nr + 1, 1);
    int tp = 0;
    for (size_t j = 0; used && j < nh; j++) {
        long best = -1;
        for (size_t i = 0; i < nr; i++) {
            int rp = r->v[i].track >= 0 ? r_party[r->v[i].track] : -1;
            double d = fabs(r->v[i].t - h->v[j].t);
            if (used[i] || rp != h->v[j].track || rp < 0 || d > AT_MATCH_S)
                continue;
            if (best < 0 || d < fabs(r->v[best].t - h->v[j].t))
                best = (long)i;
        }
        if (best >= 0) {
            used[best] = 1;
            tp++;
        }
    }
    free(used);
    s->n_events = 1;
    s->tp = tp;
    s->fp = (int)nh - tp;
    s->fn = (int)nr - tp;
}

static double patience_err(double r, double h)
{
    if (r < 0 && h < 0)
        return 0.0;
    if (r < 0 || h < 0)
        return INFINITY;
    return fabs(h - r);
}

/* The two-party metrics; ref_track[p] is the reference track of party p. */
static void party_metrics(const at_annot *ref, const at_annot *hyp, const int *ref_track,
                          at_score *s)
{
    int r_party[AT_MAX_TRACKS];
    for (int i = 0; i < AT_MAX_TRACKS; i++)
        r_party[i] = -1;
    for (int p = 0; p < 2; p++)
        r_party[ref_track[p]] = p;
    s->n_parties_scored = 1;
    s->talk_share_err_pp = 100.0 * fabs(at_annot_share(hyp, 0) - at_annot_share(ref, ref_track[0]));
    if (ref->events_known && hyp->events_known)
        match_events(at_annot_find_tier(ref, "interruptions"), r_party,
                     at_annot_find_tier(hyp, "interruptions"), s);
    for (int p = 0; p < 2; p++) {
        double r = ref->track[ref_track[p]].patience_s, h = hyp->track[p].patience_s;
        s->patience_party_s[p] = NAN;
        if (isnan(r) || isnan(h))
            continue;
        double e = patience_err(r, h);
        s->patience_party_s[p] = e;
        s->n_patience++;
        s->patience_err_s += isinf(e) ? AT_PATIENCE_MISS_S : e;
    }
}

/* Everything on one track: speech activity only. */
static int collapse(const at_annot *a, at_annot *out)
{
    at_annot_init(out, a->id);
    out->duration_s = a->duration_s;
    int t = at_annot_track(out, "speech");
    for (int i = 0; i < a->n_tracks; i++)
        for (size_t j = 0; j < a->track[i].n; j++)
            at_annot_seg(out, t, a->track[i].v[j].t0, a->track[i].v[j].t1);
    at_annot_sort(out);
    return out->oom ? -1 : 0;
}

static int both_named_parties(const at_annot *ref, const at_annot *hyp)
{
    return at_annot_find(ref, "agent") >= 0 && at_annot_find(ref, "customer") >= 0 &&
           at_annot_find(hyp, "agent") == 0 && at_annot_find(hyp, "customer") == 1;
}

static int score_speech(const at_annot *ref, const at_annot *hyp, double collar, at_score *s,
                        long n_frames)
{
    at_annot r1, h1;
    int map[AT_MAX_TRACKS];
    int rc = collapse(ref, &r1) | collapse(hyp, &h1);
    if (rc == 0)
        rc = der(&r1, &h1, collar, s, map);
    if (rc == 0) {
        s->n_speech_only = 1;
        s->party_frames = s->n_frames = n_frames;
        s->party_agree[0] = s->n_agree = frames_agreeing(&r1.track[0], &h1.track[0], n_frames);
    }
    at_annot_free(&r1);
    at_annot_free(&h1);
    return rc;
}

int at_score_pair(const at_annot *ref, const at_annot *hyp, double collar, at_score *s)
{
    memset(s, 0, sizeof *s);
    s->n_files = 1;
    s->patience_party_s[0] = s->patience_party_s[1] = NAN;
    double dur = ref->duration_s > 0 ? ref->duration_s : fmax(at_annot_end(ref),
                                                                at_annot_end(hyp));
    long n_frames = (long)ceil(dur / FRAME_S - 1e-9);
    if (ref->n_tracks < 2 || hyp->n_tracks < 2)
        return score_speech(ref, hyp, collar, s, n_frames);
    int map[AT_MAX_TRACKS];
    if (der(ref, hyp, collar, s, map))
        return -1;
    if (ref->n_tracks != 2 || hyp->n_tracks != 2) {
        at_score speech;
        if (score_speech(ref, hyp, 0, &speech, n_frames))
            return -1;
        s->party_frames = s->n_frames = n_frames;
        s->party_agree[0] = s->n_agree = speech.n_agree;
        return 0;
    }
    int ref_track[2];
    for (int p = 0; p < 2; p++)
        ref_track[p] = both_named_parties(ref, hyp) ? at_annot_find(ref, p ? "customer" : "agent")
                                                    : (map[0] == p ? 0 : 1);
    s->party_frames = n_frames;
    for (int p = 0; p < 2; p++) {
        s->party_agree[p] = frames_agreeing(&ref->track[ref_track[p]], &hyp->track[p], n_frames);
        s->n_agree += s->party_agree[p];
        s->n_frames += n_frames;
    }
    party_metrics(ref, hyp, ref_track, s);
    return 0;
}

void at_score_add(at_score *t, const at_score *s)
{
    t->n_files += s->n_files;
    t->n_speech_only += s->n_speech_only;
    t->scored_s += s->scored_s;
    t->ref_s += s->ref_s;
    t->missed_s += s->missed_s;
    t->false_alarm_s += s->false_alarm_s;
    t->confusion_s += s->confusion_s;
    t->n_frames += s->n_frames;
    t->n_agree += s->n_agree;
    t->n_parties_scored += s->n_parties_scored;
    t->talk_share_err_pp += s->talk_share_err_pp;
    t->n_events += s->n_events;
    t->tp += s->tp;
    t->fp += s->fp;
    t->fn += s->fn;
    t->n_patience += s->n_patience;
    t->patience_err_s += s->patience_err_s;
}

double at_score_der(const at_score *s)
{
    if (s->ref_s <= 0)
        return s->false_alarm_s > 0 ? INFINITY : (s->n_files ? 0.0 : NAN);
    return (s->missed_s + s->false_alarm_s + s->confusion_s) / s->ref_s;
}

double at_score_frame_agreement(const at_score *s)
{
    return s->n_frames ? (double)s->n_agree / (double)s->n_frames : NAN;
}

double at_score_talk_share_err(const at_score *s)
{
    return s->n_parties_scored ? s->talk_share_err_pp / s->n_parties_scored : NAN;
}

double at_score_patience_err(const at_score *s)
{
    return s->n_patience ? s->patience_err_s / s->n_patience : NAN;
}

void at_score_prf(const at_score *s, double *precision, double *recall, double *f1)
{
    if (!s->n_events) {
        *precision = *recall = *f1 = NAN;
        return;
    }
    double p = s->tp + s->fp ? (double)s->tp / (s->tp + s->fp) : 1.0;
    double r = s->tp + s->fn ? (double)s->tp / (s->tp + s->fn) : 1.0;
    *precision = p;
    *recall = r;
    *f1 = s->tp + s->fp + s->fn == 0 ? 1.0 : (p + r > 0 ? 2 * p * r / (p + r) : 0.0);
}
