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

int at_models_pace(double *spw, char *err, size_t errlen)
{
    char path[1200];
    find_model("pace.txt", path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open (set ATTUNE_MODELS to the models directory)",
                 path);
        return -1;
    }
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
