/* profile: finds a goals profile for --goals: a path to an INI file, or a
 * name looked up as NAME.ini in $ATTUNE_MODELS/goals, the source tree's
 * models/goals (where attune was built) and ./models/goals. */
#include "profile.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ATTUNE_MODELS_DIR
#define ATTUNE_MODELS_DIR "models"
#endif

int at_profile_resolve(const char *spec, at_goals_profile *p, char *path, size_t path_len)
{
    char err[300];
    at_goals_profile_default(p);
    if (!spec) {
        snprintf(path, path_len, "built-in default");
        return 0;
    }
    size_t n = strlen(spec);
    if (strchr(spec, '/') || (n > 4 && !strcmp(spec + n - 4, ".ini"))) {
        snprintf(path, path_len, "%s", spec);
    } else {
        const char *env = getenv("ATTUNE_MODELS");
        const char *dirs[] = {env, ATTUNE_MODELS_DIR, "models"};
        path[0] = '\0';
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !path[0]; i++) {
            char cand[1024];
            if (!dirs[i])
                continue;
            snprintf(cand, sizeof cand, "%s/goals/%s.ini", dirs[i], spec);
            if (access(cand, R_OK) == 0)
                snprintf(path, path_len, "%s", cand);
        }
        if (!path[0]) {
            at_error("--goals", "no profile '%s' (looked for %s.ini in $ATTUNE_MODELS/goals, "
                     "%s/goals and ./models/goals)", spec, spec, ATTUNE_MODELS_DIR);
            return -1;
        }
    }
    if (at_goals_profile_load(p, path, err, sizeof err) != 0) {
        at_error(path, "%s", err);
        return -1;
    }
    return 0;
}
