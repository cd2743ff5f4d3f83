/* config_cmd: `attune config --dump`, and the --config FILE / --set KEY=VALUE
 * options every command takes, applied left to right over the defaults. */
#include "attune/attune.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_kv(attune_config *cfg, const char *kv)
{
    char key[64];
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof key) {
        at_error("--set", "'%s' is not KEY=VALUE", kv);
        return -1;
    }
    memcpy(key, kv, (size_t)(eq - kv));
    key[eq - kv] = '\0';
    if (attune_config_set(cfg, key, eq + 1) == ATTUNE_OK)
        return 0;
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *name;
        double lo, hi;
        attune_config_key(i, &name, NULL, &lo, &hi, NULL);
        if (!strcmp(name, key)) {
            at_error("--set", "%s: '%s' is not a number from %g to %g", key, eq + 1, lo, hi);
            return -1;
        }
    }
    at_error("--set", "unknown key '%s'", key);
    return -1;
}

int at_config_arg(attune_config *cfg, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int is_set = !strcmp(a, "--set"), is_config = !strcmp(a, "--config");
    if (!is_set && !is_config)
        return 0;
    if (*i + 1 >= argc) {
        at_error(a, is_set ? "expects KEY=VALUE" : "expects an INI file");
        return -1;
    }
    const char *val = argv[++*i];
    if (is_set)
        return set_kv(cfg, val) ? -1 : 1;
    char err[512];
    if (attune_config_load(cfg, val, err, sizeof err) != ATTUNE_OK) {
        fprintf(stderr, "attune: %s\n", err);
        return -1;
    }
    return 1;
}

int at_config_ready(const attune_config *cfg)
{
    const char *bad;
    if (attune_config_check(cfg, &bad) == ATTUNE_OK)
        return 0;
    at_error("--set", "%s is out of range with the other settings", bad);
    return -1;
}

void at_print_double(FILE *out, double v)
{
    /* The shortest text that reads back as the same double. */
    char buf[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
}

void at_config_write_ini(FILE *out, const attune_config *cfg, const char *title)
{
    fprintf(out, "# %s\n# Load with: attune <command> --config FILE\n\n[analysis]\n", title);
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *name, *meaning;
        double def, lo, hi;
        attune_config_key(i, &name, &def, &lo, &hi, &meaning);
        fprintf(out, "# %s (default ", meaning);
        at_print_double(out, def);
        fprintf(out, ", range %g to %g)\n%s = ", lo, hi, name);
        at_print_double(out, attune_config_get(cfg, i));
        fputc('\n', out);
    }
}

int at_cmd_config(int argc, char **argv)
{
    attune_config cfg;
    attune_config_init(&cfg);
    int dump = 0;
    for (int i = 1; i < argc; i++) {
        int r = at_config_arg(&cfg, argc, argv, &i);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--dump")) {
            at_error(argv[i], "unknown option (usage: attune config --dump [--config FILE] "
                              "[--set KEY=VALUE])");
            return 2;
        }
        dump = 1;
    }
    if (at_config_ready(&cfg))
        return 2;
    if (!dump) {
        at_error("config", "nothing to do (usage: attune config --dump)");
        return 2;
    }
    at_config_write_ini(stdout, &cfg, "attune effective configuration (attune config --dump)");
    return 0;
}
