/* rttm: NIST Rich Transcription Time Marked files, the speaker-turn format
 * of DIHARD, pyannote and NeMo: one line per turn,
 *   SPEAKER <file-id> <channel> <start s> <duration s> <NA> <NA> <name> <NA> <NA>
 * Other line types (SPKR-INFO, LEXEME, ...) are skipped; one file may hold
 * many recordings, told apart by file-id. */
#include "annot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static at_annot *find_or_add(at_annot_list *list, const char *id)
{
    for (size_t i = 0; i < list->n; i++)
        if (!strcmp(list->v[i].id, id))
            return &list->v[i];
    return at_annot_list_add(list, id);
}

static int number(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*v);
}

/* One SPEAKER line's fields into the list; returns an error text or NULL. */
static const char *speaker_line(at_annot_list *list, char **f, int nf)
{
    double start, dur;
    if (nf < 8)
        return "a SPEAKER line needs 8 fields or more";
    if (!number(f[3], &start) || !number(f[4], &dur) || start < 0 || dur < 0)
        return "start and duration must be non-negative numbers";
    at_annot *a = find_or_add(list, f[1]);
    if (!a)
        return "out of memory";
    int tr = at_annot_track(a, f[7]);
    if (tr < 0)
        return "more than 8 speakers in one recording";
    /* Times to the microsecond, so start + duration meets the next start. */
    at_annot_seg(a, tr, round(start * 1e6) / 1e6, round((start + dur) * 1e6) / 1e6);
    return a->oom ? "out of memory" : NULL;
}

int at_rttm_parse(at_annot_list *list, const char *text, const char *path, char *err,
                  size_t errlen)
{
    int line = 0;
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char buf[1024];
        line++;
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), s);
        s += len + (nl != NULL);
        char *f[12];
        int nf = 0;
        char *save = NULL;
        for (char *tok = strtok_r(buf, " \t\r", &save); tok && nf < 12;
             tok = strtok_r(NULL, " \t\r", &save))
            f[nf++] = tok;
        if (nf == 0 || f[0][0] == '#' || strcmp(f[0], "SPEAKER"))
            continue;
        const char *problem = speaker_line(list, f, nf);
        if (problem) {
            snprintf(err, errlen, "%s:%d: %s", path, line, problem);
            return -1;
        }
    }
    return 0;
}

/* Turns in time order across speakers, as diarization tools write them. */
void at_rttm_write(FILE *out, const at_annot *a)
{
    size_t k[AT_MAX_TRACKS] = {0};
    for (;;) {
        int best = -1;
        for (int i = 0; i < a->n_tracks; i++)
            if (k[i] < a->track[i].n &&
                (best < 0 || a->track[i].v[k[i]].t0 < a->track[best].v[k[best]].t0))
                best = i;
        if (best < 0)
            return;
        const at_seg *s = &a->track[best].v[k[best]++];
        fprintf(out, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>\n", a->id, s->t0,
                s->t1 - s->t0, a->track[best].name);
    }
}
