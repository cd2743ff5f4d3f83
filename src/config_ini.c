/* config_ini: loads an attune_config from an INI file with libinih, so the
 * CLI, the live monitor and researchers' sweeps share one file format.
 * Keys are the config's field names, in the [analysis] section or before
 * any section; every error names the file, the line and the key. */
#include "attune/attune.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SECTION "analysis"

typedef struct {
    attune_config cfg;
    FILE *f;
    int line;             /* the line inih is working on */
    int err_line;         /* the first handler error's line, 0 if none */
    char msg[256];
} load_ctx;

/* inih's reader, wrapped to count lines: the handler gets no line number
 * in the distribution's build (INI_HANDLER_LINENO is off). */
static char *read_line(char *str, int num, void *stream)
{
    load_ctx *c = stream;
    char *s = fgets(str, num, c->f);
    if (s)
        c->line++;
    return s;
}

static int find_key(const char *name)
{
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *k;
        attune_config_key(i, &k, NULL, NULL, NULL, NULL);
        if (!strcmp(k, name))
            return i;
    }
    return -1;
}

/* Keeps the first error only; returns 0, inih's "error on this line". */
static int fail(load_ctx *c, const char *fmt, ...)
{
    if (c->err_line)
        return 0;
    c->err_line = c->line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return 0;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    if (section[0] && strcmp(section, SECTION))
        return fail(c, "unknown section '[%s]' (keys go in [" SECTION "])", section);
    int i = find_key(name);
    if (i < 0)
        return fail(c, "unknown key '%s'", name);
    if (attune_config_set(&c->cfg, name, value) != ATTUNE_OK) {
        double lo, hi;
        attune_config_key(i, NULL, NULL, &lo, &hi, NULL);
        return fail(c, "%s: '%s' is not a number from %g to %g", name, value, lo, hi);
    }
    return 1;
}

int attune_config_load(attune_config *cfg, const char *path, char *err, size_t errlen)
{
    if (!cfg || !path)
        return ATTUNE_ERR_ARG;
    load_ctx c;
    memset(&c, 0, sizeof c);
    c.cfg = *cfg;
    c.f = fopen(path, "r");
    if (!c.f) {
        if (err)
            snprintf(err, errlen, "%s: cannot open (%s)", path, strerror(errno));
        return ATTUNE_ERR_ARG;
    }
    int rc = ini_parse_stream(read_line, &c, on_value, &c);
    fclose(c.f);
    if (rc > 0 && (!c.err_line || rc < c.err_line)) {
        if (err)
            snprintf(err, errlen, "%s:%d: not a 'key = value' line or [section]", path, rc);
        return ATTUNE_ERR_ARG;
    }
    if (rc < 0) {
        if (err)
            snprintf(err, errlen, "%s: %s", path, rc == -2 ? "out of memory" : "cannot read");
        return rc == -2 ? ATTUNE_ERR_NOMEM : ATTUNE_ERR_ARG;
    }
    if (c.err_line) {
        if (err)
            snprintf(err, errlen, "%s:%d: %s", path, c.err_line, c.msg);
        return ATTUNE_ERR_ARG;
    }
    const char *bad = NULL;
    if (attune_config_check(&c.cfg, &bad) != ATTUNE_OK) {
        if (err)
            snprintf(err, errlen, "%s: '%s' is out of range with the other settings", path, bad);
        return ATTUNE_ERR_ARG;
    }
    *cfg = c.cfg;
    return ATTUNE_OK;
}
