/* analysis_json: reads attune.analysis/1 documents (JSON Lines from
 * `attune analyze --json`, or a generator's truth.json, which has the same
 * fields) into annotations, with cJSON: a maintained parser beats another
 * hand-written one. */
#include "annot.h"

#include <cJSON.h>
#include <math.h>
#include <string.h>

static double num_or(const cJSON *o, const char *key, double def)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

static void read_party(at_annot *a, const cJSON *party)
{
    int tr = at_annot_track(a, party->string);
    if (tr < 0)
        return;
    const cJSON *segs = cJSON_GetObjectItemCaseSensitive(party, "segments"), *s;
    cJSON_ArrayForEach(s, segs)
    {
        if (cJSON_GetArraySize(s) == 2)
            at_annot_seg(a, tr, cJSON_GetArrayItem(s, 0)->valuedouble,
                         cJSON_GetArrayItem(s, 1)->valuedouble);
    }
    at_track *t = &a->track[tr];
    t->talk_share = num_or(party, "talk_share", NAN);
    const cJSON *pat = cJSON_GetObjectItemCaseSensitive(party, "patience_s");
    if (cJSON_IsNumber(pat))
        t->patience_s = pat->valuedouble;
    else if (cJSON_IsNull(pat))
        t->patience_s = -1.0;
}

static void read_events(at_annot *a, const cJSON *conv, const char *key)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(conv, key), *e;
    if (!cJSON_IsArray(list))
        return;
    at_tier *tier = at_annot_tier(a, key);
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(e, "by");
        at_annot_point(a, tier, num_or(e, "t", NAN),
                       cJSON_IsString(by) ? at_annot_find(a, by->valuestring) : -1);
    }
}

static int read_doc(at_annot_list *list, const cJSON *doc)
{
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(doc, "file");
    const cJSON *parties = cJSON_GetObjectItemCaseSensitive(doc, "parties"), *p;
    if (!cJSON_IsString(file) || !cJSON_IsObject(parties))
        return -1;
    char id[256];
    at_file_id(id, sizeof id, file->valuestring);
    at_annot *a = at_annot_list_add(list, id);
    if (!a)
        return -1;
    a->duration_s = num_or(doc, "duration_s", 0.0);
    cJSON_ArrayForEach(p, parties) read_party(a, p);
    const cJSON *conv = cJSON_GetObjectItemCaseSensitive(doc, "conversation");
    if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(conv, "interruptions")))
        a->events_known = 1;
    read_events(a, conv, "interruptions");
    read_events(a, conv, "backchannels");
    return 0;
}

static int line_of(const char *text, const char *at)
{
    int line = 1;
    for (const char *s = text; s < at && *s; s++)
        line += *s == '\n';
    return line;
}

int at_json_parse(at_annot_list *list, const char *text, const char *path, char *err,
                  size_t errlen)
{
    const char *s = text;
    for (;;) {
        s += strspn(s, " \t\r\n");
        if (!*s)
            return 0;
        const char *end = NULL;
        cJSON *doc = cJSON_ParseWithOpts(s, &end, 0);
        if (!doc) {
            const char *at = cJSON_GetErrorPtr();
            snprintf(err, errlen, "%s:%d: not valid JSON", path, line_of(text, at ? at : s));
            return -1;
        }
        int rc = read_doc(list, doc);
        cJSON_Delete(doc);
        if (rc) {
            snprintf(err, errlen, "%s:%d: not an attune.analysis/1 document (or out of memory)",
                     path, line_of(text, s));
            return -1;
        }
        s = end;
    }
}
