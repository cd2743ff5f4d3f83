/* annot: the annotation of one recording (see annot.h): building it, from
 * a file or from an analysis, and deriving its events. */
#include "annot.h"

#include "conversation.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FPS 100.0 /* attune's 10 ms hop */

void at_annot_init(at_annot *a, const char *id)
{
    memset(a, 0, sizeof *a);
    snprintf(a->id, sizeof a->id, "%s", id ? id : "");
}

void at_annot_free(at_annot *a)
{
    for (int i = 0; i < a->n_tracks; i++)
        free(a->track[i].v);
    for (int i = 0; i < a->n_tiers; i++)
        free(a->tier[i].v);
    memset(a, 0, sizeof *a);
}

int at_annot_find(const at_annot *a, const char *name)
{
    for (int i = 0; i < a->n_tracks; i++)
        if (!strcmp(a->track[i].name, name))
            return i;
    return -1;
}

int at_annot_track(at_annot *a, const char *name)
{
    int i = at_annot_find(a, name);
    if (i >= 0 || a->n_tracks == AT_MAX_TRACKS)
        return i;
    at_track *t = &a->track[a->n_tracks];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->patience_s = NAN;
    t->talk_share = NAN;
    return a->n_tracks++;
}

const at_tier *at_annot_find_tier(const at_annot *a, const char *name)
{
    for (int i = 0; i < a->n_tiers; i++)
        if (!strcmp(a->tier[i].name, name))
            return &a->tier[i];
    return NULL;
}

at_tier *at_annot_tier(at_annot *a, const char *name)
{
    const at_tier *found = at_annot_find_tier(a, name);
    if (found)
        return &a->tier[found - a->tier];
    if (a->n_tiers == AT_MAX_TIERS)
        return NULL;
    at_tier *t = &a->tier[a->n_tiers++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    return t;
}

/* Grows a vector of elements of size sz by one; NULL when out of memory. */
static void *grow(void **v, size_t *n, size_t *cap, size_t sz)
{
    if (*n == *cap) {
        size_t nc = *cap ? 2 * *cap : 32;
        void *nv = realloc(*v, nc * sz);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = nc;
    }
    return (char *)*v + (*n)++ * sz;
}

void at_annot_seg(at_annot *a, int track, double t0, double t1)
{
    if (track < 0 || track >= a->n_tracks || !(t1 > t0))
        return;
    at_track *t = &a->track[track];
    at_seg *s = grow((void **)&t->v, &t->n, &t->cap, sizeof *s);
    if (!s) {
        a->oom = 1;
        return;
    }
    s->t0 = t0;
    s->t1 = t1;
}

void at_annot_point(at_annot *a, at_tier *tier, double t, int track)
{
    if (!tier)
        return;
    at_point *p = grow((void **)&tier->v, &tier->n, &tier->cap, sizeof *p);
    if (!p) {
        a->oom = 1;
        return;
    }
    p->t = t;
    p->track = track;
}

static int seg_cmp(const void *x, const void *y)
{
    const at_seg *a = x, *b = y;
    return (a->t0 > b->t0) - (a->t0 < b->t0);
}

static int point_cmp(const void *x, const void *y)
{
    const at_point *a = x, *b = y;
    return (a->t > b->t) - (a->t < b->t);
}

void at_annot_sort(at_annot *a)
{
    for (int i = 0; i < a->n_tracks; i++) {
        at_track *t = &a->track[i];
        if (t->n > 1)
            qsort(t->v, t->n, sizeof *t->v, seg_cmp);
        size_t k = 0;
        for (size_t j = 0; j < t->n; j++) {
            if (k && t->v[j].t0 <= t->v[k - 1].t1) {
                if (t->v[j].t1 > t->v[k - 1].t1)
                    t->v[k - 1].t1 = t->v[j].t1;
            } else {
                t->v[k++] = t->v[j];
            }
        }
        t->n = k;
    }
    for (int i = 0; i < a->n_tiers; i++)
        if (a->tier[i].n > 1)
            qsort(a->tier[i].v, a->tier[i].n, sizeof *a->tier[i].v, point_cmp);
}

double at_annot_end(const at_annot *a)
{
    double end = a->duration_s;
    for (int i = 0; i < a->n_tracks; i++)
        if (a->track[i].n && a->track[i].v[a->track[i].n - 1].t1 > end)
            end = a->track[i].v[a->track[i].n - 1].t1;
    return end;
}

static double talk_s(const at_track *t)
{
    double s = 0;
    for (size_t j = 0; j < t->n; j++)
        s += t->v[j].t1 - t->v[j].t0;
    return s;
}

double at_annot_share(const at_annot *a, int i)
{
    if (!isnan(a->track[i].talk_share))
        return a->track[i].talk_share;
    double all = 0;
    for (int k = 0; k < a->n_tracks; k++)
        all += talk_s(&a->track[k]);
    return all > 0 ? talk_s(&a->track[i]) / all : 0.0;
}

void at_file_id(char *out, size_t len, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    snprintf(out, len, "%.*s", (int)n, base);
}

/* Files the result's events under the given tracks: the points unless the
 * source stated them, and patience where it is not stated. */
static void add_events(at_annot *a, const at_result *r, const int *track, int points)
{
    if (points) {
        at_tier *ints = at_annot_tier(a, "interruptions");
        at_tier *bcs = at_annot_tier(a, "backchannels");
        for (size_t i = 0; i < r->interruptions.n; i++)
            at_annot_point(a, ints, r->interruptions.v[i].t0,
                           track[r->interruptions.v[i].party]);
        for (size_t i = 0; i < r->backchannels.n; i++)
            at_annot_point(a, bcs, r->backchannels.v[i].t0, track[r->backchannels.v[i].party]);
    }
    for (int p = 0; p < r->n_parties; p++) {
        at_track *t = &a->track[track[p]];
        if (isnan(t->patience_s))
            t->patience_s = r->m.party[p].patience_s < 0 ? -1.0 : r->m.party[p].patience_s;
    }
    a->events_known = 1;
}

void at_annot_from_result(at_annot *a, const at_result *r)
{
    char id[256];
    at_file_id(id, sizeof id, r->file ? r->file : "");
    at_annot_init(a, id);
    a->duration_s = r->m.duration_s;
    int track[ATTUNE_N_PARTIES] = {0, 0};
    for (int p = 0; p < r->n_parties; p++) {
        track[p] = at_annot_track(a, r->n_parties == 1 ? "speaker" : p ? "customer" : "agent");
        for (size_t i = 0; i < r->spurts[p].n; i++)
            at_annot_seg(a, track[p], r->spurts[p].v[i].t0, r->spurts[p].v[i].t1);
    }
    if (r->n_parties == 2)
        add_events(a, r, track, 1);
    at_annot_sort(a);
}

/* Segments of a track in frames, bridged and filtered as talk spurts are. */
static size_t spurt_frames(const at_track *t, const attune_config *cfg, long (*out)[2])
{
    long bridge = lround(cfg->bridge_s * FPS), min_len = lround(cfg->min_spurt_s * FPS);
    size_t n = 0;
    for (size_t j = 0; j < t->n; j++) {
        long s = lround(t->v[j].t0 * FPS), e = lround(t->v[j].t1 * FPS);
        if (n && s - out[n - 1][1] < bridge) {
            if (e > out[n - 1][1])
                out[n - 1][1] = e;
            continue;
        }
        out[n][0] = s;
        out[n][1] = e;
        n++;
    }
    size_t k = 0;
    for (size_t j = 0; j < n; j++)
        if (out[j][1] - out[j][0] >= min_len && out[j][1] > out[j][0]) {
            out[k][0] = out[j][0];
            out[k][1] = out[j][1];
            k++;
        }
    return k;
}

/* Plays the spurts frame by frame into the conversation stage, as the
 * pipeline does, so references follow exactly attune's conventions. */
static void replay(at_conv *c, long (*sp[2])[2], const size_t *n)
{
    size_t k[2] = {0, 0};
    long end = 0;
    for (int p = 0; p < 2; p++)
        if (n[p] && sp[p][n[p] - 1][1] > end)
            end = sp[p][n[p] - 1][1];
    for (long t = 0; t <= end; t++) {
        for (int p = 0; p < 2; p++) {
            if (k[p] < n[p] && sp[p][k[p]][1] == t) {
                at_conv_close(c, p, sp[p][k[p]][0], t);
                k[p]++;
            }
            if (k[p] < n[p] && sp[p][k[p]][0] == t)
                at_conv_open(c, p, t);
            if (k[p] < n[p] && sp[p][k[p]][0] <= t)
                at_conv_progress(c, p, t);
        }
        at_conv_step(c);
    }
    at_conv_finish(c);
}

void at_annot_derive(at_annot *a, const attune_config *cfg)
{
    if (a->events_known || a->n_tracks != 2)
        return;
    long (*sp[2])[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    at_conv *c = malloc(sizeof *c);
    at_result r;
    at_result_init(&r);
    for (int p = 0; p < 2; p++) {
        sp[p] = malloc((a->track[p].n + 1) * sizeof *sp[p]);
        if (sp[p])
            n[p] = spurt_frames(&a->track[p], cfg, sp[p]);
    }
    if (!c || !sp[0] || !sp[1]) {
        a->oom = 1;
        goto done;
    }
    at_conv_init(c, cfg, FPS, 2, at_result_collect, &r);
    replay(c, sp, n);
    r.n_parties = 2;
    r.m.duration_s = at_annot_end(a);
    at_conv_metrics(c, &r.m);
    static const int identity[2] = {0, 1};
    add_events(a, &r, identity, !at_annot_find_tier(a, "interruptions"));
    a->oom |= r.oom;
    at_annot_sort(a);
done:
    at_result_free(&r);
    free(sp[0]);
    free(sp[1]);
    free(c);
}

at_annot *at_annot_list_add(at_annot_list *list, const char *id)
{
    at_annot *a = grow((void **)&list->v, &list->n, &list->cap, sizeof *a);
    if (a)
        at_annot_init(a, id);
    return a;
}

void at_annot_list_free(at_annot_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        at_annot_free(&list->v[i]);
    free(list->v);
    memset(list, 0, sizeof *list);
}

static char *slurp(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, 2 * cap);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(err, errlen, "%s: %s", path, buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

int at_annot_read(at_annot_list *list, const char *path, char *err, size_t errlen)
{
    char *text = slurp(path, err, errlen);
    if (!text)
        return -1;
    const char *s = text;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    int rc;
    if (has_ext(path, ".json") || has_ext(path, ".jsonl") || *s == '{')
        rc = at_json_parse(list, text, path, err, errlen);
    else if (has_ext(path, ".textgrid") || !strncmp(s, "File type", 9))
        rc = at_textgrid_parse(list, text, path, err, errlen);
    else
        rc = at_rttm_parse(list, text, path, err, errlen);
    free(text);
    for (size_t i = 0; rc == 0 && i < list->n; i++) {
        at_annot_sort(&list->v[i]);
        if (list->v[i].oom) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
        }
    }
    return rc;
}
