/* models: finding and reading models/ (see models.h).  Models are data, so
 * a tuned value changes without a rebuild. */
#include "models.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ATTUNE_SOURCE_DIR
#define ATTUNE_SOURCE_DIR "."
#endif

/* The first directory of the search order that holds `name`. */
static int find_model(const char *name, char *path, size_t n)
{
    const char *env = getenv("ATTUNE_MODELS");
    if (env && *env) {
        snprintf(path, n, "%s/%s", env, name);
        return 0; /* explicit: no fallback, so a typo is reported */
    }
    char exe[1024];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(path, n, "%s/../share/attune/models/%s", exe, name);
            if (access(path, R_OK) == 0)
                return 0;
        }
    }
    snprintf(path, n, "%s/models/%s", ATTUNE_SOURCE_DIR, name);
    return 0;
}

/* Opens model `name` for reading, its path in path; NULL with the reason in
 * err when it cannot. */
static FILE *open_model(const char *name, char *path, size_t n, char *err, size_t errlen)
{
    find_model(name, path, n);
    FILE *f = fopen(path, "r");
    if (!f)
        snprintf(err, errlen, "%s: cannot open (set ATTUNE_MODELS to the models directory)",
                 path);
    return f;
}

int at_models_pace(double *spw, char *err, size_t errlen)
{
    char path[1200];
    FILE *f = open_model("pace.txt", path, sizeof path, err, errlen);
    if (!f)
        return -1;
    char line[256];
    int found = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        double v;
        char extra;
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        if (sscanf(line, " syllables_per_word %lf %c", &v, &extra) == 1 && v >= 0.5 && v <= 5.0) {
            *spw = v;
            found = 1;
            continue;
        }
        snprintf(err, errlen, "%s:%d: expected 'syllables_per_word N' with N in 0.5..5", path,
                 lineno);
        fclose(f);
        return -1;
    }
    fclose(f);
    if (!found) {
        snprintf(err, errlen, "%s: no syllables_per_word", path);
        return -1;
    }
    return 0;
}

double at_models_syllables_per_word(void)
{
    static int loaded;
    static double spw = 1.45;
    if (!loaded) {
        char err[1400];
        loaded = 1;
        if (at_models_pace(&spw, err, sizeof err) != 0) {
            at_error("models", "%s; words per minute use 1.45 syllables per word", err);
            spw = 1.45;
        }
    }
    return spw;
}

/* One "feature NAME center C scale S weight W" line into m; -1 when it is
 * not one or names no feature. */
static int stress_feature_line(const char *line, attune_stress_model *m, int *seen)
{
    char name[64], extra;
    double c, s, w;
    if (sscanf(line, " feature %63s center %lf scale %lf weight %lf %c", name, &c, &s, &w,
               &extra) != 4)
        return -1;
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++) {
        if (strcmp(name, attune_stress_feature_name(i)))
            continue;
        m->center[i] = c;
        m->scale[i] = s;
        m->weight[i] = w;
        seen[i] = 1;
        return 0;
    }
    return -1;
}

int at_models_stress(attune_stress_model *m, char *err, size_t errlen)
{
    char path[1200];
    FILE *f = open_model("stress.txt", path, sizeof path, err, errlen);
    if (!f)
        return -1;
    char line[256];
    int seen[ATTUNE_STRESS_N_FEATURES] = {0}, has_bias = 0, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char extra;
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        if (sscanf(line, " bias %lf %c", &m->bias, &extra) == 1) {
            has_bias = 1;
            continue;
        }
        if (stress_feature_line(line, m, seen) == 0)
            continue;
        snprintf(err, errlen, "%s:%d: expected 'feature NAME center C scale S weight W' "
                 "or 'bias B'", path, lineno);
        fclose(f);
        return -1;
    }
    fclose(f);
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++)
        if (!seen[i] || !(m->scale[i] > 0)) {
            snprintf(err, errlen, "%s: feature %s missing or its scale not positive", path,
                     attune_stress_feature_name(i));
            return -1;
        }
    if (!has_bias) {
        snprintf(err, errlen, "%s: no bias", path);
        return -1;
    }
    return 0;
}

void at_stress_setup(attune_pipeline *p, int who)
{
    static int loaded, ok;
    static attune_stress_model m;
    attune_pipeline_set_stress(p, who);
    if (who == ATTUNE_STRESS_NONE)
        return;
    if (!loaded) {
        char err[1400];
        loaded = 1;
        ok = at_models_stress(&m, err, sizeof err) == 0;
        if (!ok)
            at_error("models", "%s; no stress index", err);
    }
    if (ok)
        attune_pipeline_set_stress_model(p, &m);
}
