/* Unit tests for config.c: defaults, setting by name, rejection of bad values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "attune/attune.h"

#include <string.h>

static void defaults_follow_the_conventions(void **state)
{
    (void)state;
    attune_config c;
    attune_config_init(&c);
    assert_float_equal(c.bridge_s, 0.3, 1e-12);
    assert_float_equal(c.interrupt_overlap_s, 0.3, 1e-12);
    assert_float_equal(c.interrupt_min_s, 1.0, 1e-12);
    assert_float_equal(c.dead_air_s, 3.0, 1e-12);
    assert_int_equal(attune_config_check(&c, NULL), 0);
}

static void set_by_name(void **state)
{
    (void)state;
    attune_config c;
    attune_config_init(&c);
    assert_int_equal(attune_config_set(&c, "dead_air_s", "5"), 0);
    assert_float_equal(c.dead_air_s, 5.0, 1e-12);
    assert_int_equal(attune_config_set(&c, "bridge_s", "0.25"), 0);
    assert_float_equal(c.bridge_s, 0.25, 1e-12);
}

static void rejects_bad_values(void **state)
{
    (void)state;
    attune_config c;
    attune_config_init(&c);
    assert_int_equal(attune_config_set(&c, "no_such_key", "1"), ATTUNE_ERR_ARG);
    assert_int_equal(attune_config_set(&c, "dead_air_s", "abc"), ATTUNE_ERR_ARG);
    assert_int_equal(attune_config_set(&c, "dead_air_s", "3x"), ATTUNE_ERR_ARG);
    assert_int_equal(attune_config_set(&c, "dead_air_s", "nan"), ATTUNE_ERR_ARG);
    assert_int_equal(attune_config_set(&c, "dead_air_s", "1000"), ATTUNE_ERR_ARG);
    assert_int_equal(attune_config_set(&c, "bridge_s", "-1"), ATTUNE_ERR_ARG);
    assert_float_equal(c.dead_air_s, 3.0, 1e-12); /* unchanged by failures */
    const char *bad = NULL;
    c.vad_offset_db = c.vad_onset_db + 1.0;
    assert_int_equal(attune_config_check(&c, &bad), ATTUNE_ERR_ARG);
    assert_string_equal(bad, "vad_offset_db");
}

static void every_key_is_described(void **state)
{
    (void)state;
    attune_config c;
    attune_config_init(&c);
    int n = attune_config_n_keys();
    assert_true(n >= 14);
    for (int i = 0; i < n; i++) {
        const char *name, *meaning;
        double def, lo, hi;
        assert_int_equal(attune_config_key(i, &name, &def, &lo, &hi, &meaning), 0);
        assert_true(strlen(meaning) > 10);
        assert_true(lo <= def && def <= hi);
        assert_float_equal(attune_config_get(&c, i), def, 1e-12);
    }
    assert_int_equal(attune_config_key(n, NULL, NULL, NULL, NULL, NULL), ATTUNE_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_follow_the_conventions),
        cmocka_unit_test(set_by_name),
        cmocka_unit_test(rejects_bad_values),
        cmocka_unit_test(every_key_is_described),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
