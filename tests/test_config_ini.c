/* Unit tests for config_ini.c: the shipped models/attune.ini is the
 * defaults, any config survives a write and a load, and every error names
 * the file, the line and the key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "attune/attune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ATTUNE_MODELS_DIR
#error "ATTUNE_MODELS_DIR must name the models/ folder"
#endif

static const char *write_ini(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "test_config_ini.%d.ini", (int)(rand() % 100000));
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void shipped_file_is_the_defaults(void **state)
{
    (void)state;
    attune_config def, c;
    attune_config_init(&def);
    memset(&c, 0x55, sizeof c); /* every key must be set by the file */
    char err[512] = "";
    int rc = attune_config_load(&c, ATTUNE_MODELS_DIR "/attune.ini", err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *name;
        attune_config_key(i, &name, NULL, NULL, NULL, NULL);
        if (attune_config_get(&c, i) != attune_config_get(&def, i))
            fail_msg("models/attune.ini: %s is not the default (or missing)", name);
    }
}

static void write_then_load_is_identical(void **state)
{
    (void)state;
    attune_config want, got;
    attune_config_init(&want);
    /* Values with long expansions, each inside its key's range. */
    char text[4096] = "[analysis]\n";
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *name;
        double lo, hi;
        attune_config_key(i, &name, NULL, &lo, &hi, NULL);
        double v = lo + (hi - lo) * (0.1 + 0.8 / 3.0 * (i % 3)) / 7.0;
        char value[64], line[128];
        snprintf(value, sizeof value, "%.17g", v);
        snprintf(line, sizeof line, "%s = %s\n", name, value);
        strcat(text, line);
        assert_int_equal(attune_config_set(&want, name, value), 0);
    }
    assert_int_equal(attune_config_check(&want, NULL), 0);
    attune_config_init(&got);
    const char *path = write_ini(text);
    assert_int_equal(attune_config_load(&got, path, NULL, 0), 0);
    remove(path);
    assert_memory_equal(&want, &got, sizeof want);
}

static void expect_error(const char *text, int line, const char *what)
{
    attune_config c, before;
    attune_config_init(&c);
    before = c;
    const char *path = write_ini(text);
    char err[512] = "", want[256];
    assert_int_equal(attune_config_load(&c, path, err, sizeof err), ATTUNE_ERR_ARG);
    if (line)
        snprintf(want, sizeof want, "%s:%d: %s", path, line, what);
    else
        snprintf(want, sizeof want, "%s: %s", path, what);
    remove(path);
    if (strncmp(err, want, strlen(want)))
        fail_msg("got \"%s\", want it to start \"%s\"", err, want);
    assert_memory_equal(&c, &before, sizeof c); /* untouched on error */
}

static void errors_name_file_line_and_key(void **state)
{
    (void)state;
    expect_error("# comment\n[analysis]\nbrige_s = 0.3\n", 3, "unknown key 'brige_s'");
    expect_error("[analysis]\nbridge_s = 0.3\n\ndead_air_s = 0.1\n", 4,
                 "dead_air_s: '0.1' is not a number from 0.5 to 60");
    expect_error("[analysis]\nbridge_s = fast\n", 2, "bridge_s: 'fast' is not a number");
    expect_error("[analysis]\nbridge_s = 0.3\n[colour]\nbridge_s = 0.2\n", 4,
                 "unknown section '[colour]'");
    expect_error("[analysis]\nthis line has no equals sign\n", 2, "not a 'key = value' line");
    /* The first error wins, whichever kind it is. */
    expect_error("[analysis]\nno equals here\nbrige_s = 1\n", 2, "not a 'key = value'");
    expect_error("[analysis]\nbrige_s = 1\nno equals here\n", 2, "unknown key 'brige_s'");
    expect_error("vad_onset_db = 3\nvad_offset_db = 5\n", 0,
                 "'vad_offset_db' is out of range with the other settings");
}

static void keys_before_any_section_and_partial_files(void **state)
{
    (void)state;
    attune_config c;
    attune_config_init(&c);
    const char *path = write_ini("dead_air_s = 5 ; inline comment\n");
    assert_int_equal(attune_config_load(&c, path, NULL, 0), 0);
    remove(path);
    assert_float_equal(c.dead_air_s, 5.0, 0);
    assert_float_equal(c.bridge_s, 0.3, 1e-12); /* the rest kept */
    char err[256];
    assert_int_equal(attune_config_load(&c, "no/such/file.ini", err, sizeof err), ATTUNE_ERR_ARG);
    assert_string_equal(err, "no/such/file.ini: cannot open (No such file or directory)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_file_is_the_defaults),
        cmocka_unit_test(write_then_load_is_identical),
        cmocka_unit_test(errors_name_file_line_and_key),
        cmocka_unit_test(keys_before_any_section_and_partial_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
