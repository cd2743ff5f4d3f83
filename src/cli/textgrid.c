/* textgrid: Praat TextGrids, the phoneticians' annotation format.  attune
 * writes the long text format: an interval tier per party ("speech" or
 * empty), then point tiers (interruptions, backchannels, and any other the
 * annotation holds, e.g. syllable nuclei) whose marks name the party.
 * Reading takes the long or the short text format (UTF-8): both are the
 * same sequence of numbers and quoted strings once the "key =" labels are
 * dropped, which is how Praat itself reads them. */
#include "annot.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;        /* the text, read up to here */
    char *arena;          /* unescaped strings, one after another */
    size_t used;
    int bad;
} lexer;

/* The next string (returns it) or number (*num, returns NULL); skips labels. */
static const char *next(lexer *lx, double *num, int *is_num)
{
    *is_num = 0;
    for (;;) {
        while (*lx->s && strchr(" \t\r\n", *lx->s))
            lx->s++;
        if (!*lx->s) {
            lx->bad = 1;
            return NULL;
        }
        if (*lx->s == '"') {
            char *out = lx->arena + lx->used;
            size_t n = 0;
            for (lx->s++; *lx->s; lx->s++) {
                if (*lx->s == '"' && lx->s[1] != '"')
                    break;
                if (*lx->s == '"')
                    lx->s++;
                out[n++] = *lx->s;
            }
            if (*lx->s)
                lx->s++;
            out[n] = '\0';
            lx->used += n + 1;
            return out;
        }
        const char *w = lx->s;
        while (*lx->s && !strchr(" \t\r\n", *lx->s))
            lx->s++;
        char *end;
        double v = strtod(w, &end);
        if (end == lx->s && end != w && isfinite(v)) {
            *num = v;
            *is_num = 1;
            return NULL;
        }
    }
}

static double want_num(lexer *lx)
{
    double v = 0;
    int is_num;
    next(lx, &v, &is_num);
    if (!is_num)
        lx->bad = 1;
    return v;
}

static const char *want_str(lexer *lx)
{
    double v;
    int is_num;
    const char *s = next(lx, &v, &is_num);
    if (!s)
        lx->bad = 1;
    return s ? s : "";
}

/* Interval tiers named for parties (agent, customer, speaker) are speakers;
 * without any, every interval tier is. */
static int party_name(const char *n)
{
    return !strcmp(n, "agent") || !strcmp(n, "customer") || !strcmp(n, "speaker");
}

/* One pass over the tiers from a copy of the lexer: pass 0 finds whether
 * party-named tiers exist, pass 1 reads interval tiers, pass 2 point tiers
 * (their marks name tracks).  Returns non-zero if the text ran out. */
static int read_tiers(lexer lx, at_annot *a, int pass, int *named)
{
    long n_tiers = lround(want_num(&lx));
    for (long k = 0; k < n_tiers && !lx.bad; k++) {
        const char *cls = want_str(&lx), *name = want_str(&lx);
        want_num(&lx);
        want_num(&lx);
        long n = lround(want_num(&lx));
        int interval = !strcmp(cls, "IntervalTier");
        if (pass == 0 && interval && party_name(name))
            *named = 1;
        int track = -1;
        at_tier *tier = NULL;
        if (pass == 1 && interval && (!*named || party_name(name)))
            track = at_annot_track(a, name);
        if (pass == 2 && !interval)
            tier = at_annot_tier(a, name);
        for (long i = 0; i < n && !lx.bad; i++) {
            double t0 = want_num(&lx), t1 = interval ? want_num(&lx) : t0;
            const char *text = want_str(&lx);
            if (track >= 0 && text[strspn(text, " \t")])
                at_annot_seg(a, track, t0, t1);
            at_annot_point(a, tier, t0, at_annot_find(a, text));
        }
    }
    return lx.bad;
}

int at_textgrid_parse(at_annot_list *list, const char *text, const char *path, char *err,
                      size_t errlen)
{
    char id[256];
    at_file_id(id, sizeof id, path);
    lexer lx = {text, malloc(strlen(text) + 1), 0, 0};
    at_annot *a = lx.arena ? at_annot_list_add(list, id) : NULL;
    if (!a) {
        free(lx.arena);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    if (strcmp(want_str(&lx), "ooTextFile") || strcmp(want_str(&lx), "TextGrid"))
        lx.bad = 1;
    want_num(&lx);
    a->duration_s = want_num(&lx);
    int named = 0;
    for (int pass = 0; pass < 3 && !lx.bad; pass++)
        lx.bad = read_tiers(lx, a, pass, &named);
    free(lx.arena);
    if (lx.bad) {
        snprintf(err, errlen, "%s: not a Praat TextGrid in text format (or cut short)", path);
        return -1;
    }
    return 0;
}

static void num_line(FILE *out, const char *indent, const char *key, double v)
{
    fprintf(out, "%s%s = ", indent, key);
    at_print_double(out, v);
    fputs(" \n", out);
}

static void str_line(FILE *out, const char *indent, const char *key, const char *s)
{
    fprintf(out, "%s%s = \"", indent, key);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputs("\" \n", out);
}

static void interval(FILE *out, long *k, double t0, double t1, const char *text)
{
    fprintf(out, "        intervals [%ld]:\n", ++*k);
    num_line(out, "            ", "xmin", t0);
    num_line(out, "            ", "xmax", t1);
    str_line(out, "            ", "text", text);
}

static void tier_head(FILE *out, int k, const char *cls, const char *name, double end)
{
    fprintf(out, "    item [%d]:\n", k);
    str_line(out, "        ", "class", cls);
    str_line(out, "        ", "name", name);
    num_line(out, "        ", "xmin", 0);
    num_line(out, "        ", "xmax", end);
}

static void interval_tier(FILE *out, int k, const at_track *t, double end)
{
    /* An interval tier covers xmin..xmax without holes: pauses are empty. */
    size_t n = 0;
    double at = 0;
    for (size_t j = 0; j < t->n; j++) {
        n += (t->v[j].t0 > at) + 1;
        at = t->v[j].t1;
    }
    n += end > at;
    tier_head(out, k, "IntervalTier", t->name, end);
    fprintf(out, "        intervals: size = %zu \n", n);
    long idx = 0;
    at = 0;
    for (size_t j = 0; j < t->n; j++) {
        if (t->v[j].t0 > at)
            interval(out, &idx, at, t->v[j].t0, "");
        interval(out, &idx, t->v[j].t0, t->v[j].t1, "speech");
        at = t->v[j].t1;
    }
    if (end > at)
        interval(out, &idx, at, end, "");
}

static void point_tier(FILE *out, int k, const at_annot *a, const at_tier *t, double end)
{
    tier_head(out, k, "TextTier", t->name, end);
    fprintf(out, "        points: size = %zu \n", t->n);
    for (size_t j = 0; j < t->n; j++) {
        fprintf(out, "        points [%zu]:\n", j + 1);
        num_line(out, "            ", "number", t->v[j].t);
        int tr = t->v[j].track;
        str_line(out, "            ", "mark", tr >= 0 ? a->track[tr].name : "");
    }
}

void at_textgrid_write(FILE *out, const at_annot *a)
{
    double end = at_annot_end(a);
    fputs("File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n\n", out);
    num_line(out, "", "xmin", 0);
    num_line(out, "", "xmax", end);
    fprintf(out, "tiers? <exists> \nsize = %d \nitem []: \n", a->n_tracks + a->n_tiers);
    int k = 0;
    for (int i = 0; i < a->n_tracks; i++)
        interval_tier(out, ++k, &a->track[i], end);
    for (int i = 0; i < a->n_tiers; i++)
        point_tier(out, ++k, a, &a->tier[i], end);
}
