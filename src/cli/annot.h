/* annot: who spoke when and the conversation events of one recording, as
 * researchers' formats hold them: NIST RTTM (rttm.c), Praat TextGrid
 * (textgrid.c) and attune.analysis/1 JSON (analysis_json.c).  It is what
 * `analyze --rttm/--textgrid` writes, and what `score` and `tune` compare. */
#ifndef ATTUNE_ANNOT_H
#define ATTUNE_ANNOT_H

#include "attune/attune.h"
#include "result.h"

#include <stddef.h>
#include <stdio.h>

#define AT_MAX_TRACKS 8   /* speakers per recording; the optimal mapping is exhaustive */
#define AT_MAX_TIERS 4    /* point tiers: interruptions, backchannels, room for nuclei */

typedef struct at_seg {
    double t0, t1;
} at_seg;

/* One speaker: an RTTM speaker name, a TextGrid interval tier, a party. */
typedef struct at_track {
    char name[64];
    at_seg *v;
    size_t n, cap;
    double patience_s;    /* median response gap; -1 none (JSON null); NAN not stated */
    double talk_share;    /* as stated by the source; NAN not stated */
} at_track;

/* A point event of a track (t, whose), e.g. an interruption by the agent. */
typedef struct at_point {
    double t;
    int track;            /* -1 when the label names no track */
} at_point;

/* A TextGrid point tier.  The pitch/pace work adds its syllable nuclei as a
 * tier named "nuclei" (at_annot_tier + at_annot_point); the TextGrid writer
 * writes every tier it finds. */
typedef struct at_tier {
    char name[32];
    at_point *v;
    size_t n, cap;
} at_tier;

typedef struct at_annot {
    char id[256];         /* RTTM file-id: the audio's base name without extension */
    double duration_s;    /* 0 when the source does not say */
    int n_tracks;
    at_track track[AT_MAX_TRACKS];
    int n_tiers;
    at_tier tier[AT_MAX_TIERS];
    int events_known;     /* interruptions, backchannels and patience are stated or derived */
    int oom;
} at_annot;

typedef struct at_annot_list {
    at_annot *v;
    size_t n, cap;
} at_annot_list;

void at_annot_init(at_annot *a, const char *id);
void at_annot_free(at_annot *a);
/* The track or tier of that name, added if missing; -1 / NULL when full. */
int at_annot_track(at_annot *a, const char *name);
int at_annot_find(const at_annot *a, const char *name);
at_tier *at_annot_tier(at_annot *a, const char *name);
const at_tier *at_annot_find_tier(const at_annot *a, const char *name);
void at_annot_seg(at_annot *a, int track, double t0, double t1);
void at_annot_point(at_annot *a, at_tier *tier, double t, int track);
/* Sorts every track's segments and merges overlaps; sorts the points. */
void at_annot_sort(at_annot *a);
/* The end of the recording: duration_s, or the last segment's end. */
double at_annot_end(const at_annot *a);
/* The talk share of track i: stated, or computed from the segments. */
double at_annot_share(const at_annot *a, int i);

/* The analysis of one file as an annotation (file-id from r->file). */
void at_annot_from_result(at_annot *a, const at_result *r);
/* For two tracks whose events are not stated: derives interruptions,
 * backchannels and patience from the segments with attune's own
 * conventions (conversation.c) under cfg. */
void at_annot_derive(at_annot *a, const attune_config *cfg);

/* The base name of path without its extension, into out. */
void at_file_id(char *out, size_t len, const char *path);

/* Reads every recording a file holds (RTTM, TextGrid or analysis JSON,
 * told apart by extension or content) and appends them to list.  Returns 0,
 * or -1 with "<path>[:<line>]: <problem>" in err. */
int at_annot_read(at_annot_list *list, const char *path, char *err, size_t errlen);
void at_annot_list_free(at_annot_list *list);
/* A new recording at the end of list; NULL when out of memory. */
at_annot *at_annot_list_add(at_annot_list *list, const char *id);

/* The format readers, on the whole file's text. */
int at_rttm_parse(at_annot_list *list, const char *text, const char *path, char *err,
                  size_t errlen);
int at_textgrid_parse(at_annot_list *list, const char *text, const char *path, char *err,
                      size_t errlen);
int at_json_parse(at_annot_list *list, const char *text, const char *path, char *err,
                  size_t errlen);

/* The writers. */
void at_rttm_write(FILE *out, const at_annot *a);
void at_textgrid_write(FILE *out, const at_annot *a);

#endif
