/* stress_cmd: `attune stress-features FILE...`, the pooled vocal-stress
 * features of every window of speech (stress.c), one CSV row per window and
 * party, so tools/train_stress fits the model on exactly the features the
 * analysis computes.  A clip shorter than one window gives one row (its
 * speech, if at least 1 s). */
#include "attune/attune.h"
#include "watch.h"
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *file;
    int n_parties;
} stress_ctx;

static void row(const attune_stress_window *w, void *user)
{
    const stress_ctx *c = user;
    const char *name = c->n_parties == 1 ? "speaker" : w->party ? "customer" : "agent";
    printf("%s,%s,%.2f,%.2f,%.2f", c->file, name, w->start_s, w->t_s, w->speech_s);
    for (int i = 0; i < ATTUNE_STRESS_N_FEATURES; i++) {
        putchar(',');
        if (isfinite(w->raw[i]))
            printf("%.4f", w->raw[i]);
    }
    putchar('\n');
}

static int one_file(const char *path, int who)
{
    at_audio_in a;
    attune_pipeline *p;
    if (at_audio_open_pipeline(&a, path, -1, 0, &p) != 0)
        return 1;
    stress_ctx c = {path, a.n_parties};
    attune_pipeline_set_stress(p, who);
    attune_pipeline_set_stress_observer(p, row, &c);
    return at_audio_run_pipeline(&a, p, path);
}

int at_cmd_stress_features(int argc, char **argv)
{
    int who = ATTUNE_STRESS_CUSTOMER, n_files = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--stress") && i + 1 < argc) {
            const char *v = argv[++i];
            who = !strcmp(v, "all") ? ATTUNE_STRESS_ALL : !strcmp(v, "customer") ? ATTUNE_STRESS_CUSTOMER : -1;
            if (who < 0) {
                at_error("--stress", "'%s': expected customer or all", v);
                return 2;
            }
            continue;
        }
        if (argv[i][0] == '-') {
            at_error(argv[i], "unknown option (try: attune help)");
            return 2;
        }
        if (n_files++ == 0) {
            printf("file,party,start_s,t_s,speech_s");
            for (int k = 0; k < ATTUNE_STRESS_N_FEATURES; k++)
                printf(",%s", attune_stress_feature_name(k));
            putchar('\n');
        }
        rc |= one_file(argv[i], who);
    }
    if (!n_files) {
        at_error("stress-features", "no file given (usage: attune stress-features FILE...)");
        return 2;
    }
    return rc;
}
