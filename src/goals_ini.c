/* goals_ini: a goals profile from an INI file in models/goals/, read
 * with libinih; every key goes through at_goals_profile_set(), which knows
 * the goals, keys and ranges. */
#include "goals.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <string.h>

typedef struct load_ctx {
    at_goals_profile *p;
    char *err;
    size_t err_len;
    int failed;
} load_ctx;

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    load_ctx *c = user;
    if (c->failed)
        return 0;
    if (at_goals_profile_set(c->p, section, key, value, c->err, c->err_len) != 0) {
        c->failed = 1;
        return 0;   /* inih reports this line's number */
    }
    return 1;
}

int at_goals_profile_load(at_goals_profile *p, const char *path, char *err, size_t err_len)
{
    char why[200] = "";
    load_ctx c = {p, why, sizeof why, 0};
    errno = 0;
    int line = ini_parse(path, on_key, &c);
    if (line == 0)
        return 0;
    if (line == -1)
        snprintf(err, err_len, "cannot open (%s)", errno ? strerror(errno) : "no such file");
    else if (line == -2)
        snprintf(err, err_len, "out of memory");
    else if (c.failed)
        snprintf(err, err_len, "line %d: %s", line, why);
    else
        snprintf(err, err_len, "line %d: not a [section] or key = value line", line);
    return -1;
}
