/* frames: `attune frames FILE [--csv]`, one CSV row per 10 ms frame and
 * party with the features behind every decision, so researchers can plot
 * and check each step of the analysis. */
#include "attune/attune.h"
#include "watch.h"
#include "cli.h"
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    FILE *out;
    int n_parties;
} frames_ctx;

static void row(const attune_frame_info *fi, void *user)
{
    frames_ctx *c = user;
    const char *name = c->n_parties == 1 ? "speaker" : fi->party ? "customer" : "agent";
    fprintf(c->out, "%.2f,%s,%.1f,%.1f,%.1f,", fi->t, name, fi->level_db, fi->noise_db, fi->snr_db);
    if (isfinite(fi->leak_db))
        fprintf(c->out, "%.1f", fi->leak_db);
    fprintf(c->out, ",%.3f,", fi->voicing);
    if (fi->period_hz > 0)
        fprintf(c->out, "%.1f", fi->period_hz);
    fprintf(c->out, ",%d,%d,%d,", fi->weak, fi->strong, fi->voiced);
    if (isfinite(fi->speech_level_db))
        fprintf(c->out, "%.1f", fi->speech_level_db);
    fputc(',', c->out);
    if (fi->f0_hz > 0)
        fprintf(c->out, "%.1f", fi->f0_hz);
    fprintf(c->out, ",%d", fi->nucleus);
    const double stress[3] = {fi->hnr_db, fi->alpha_db, fi->hammarberg_db};
    for (int k = 0; k < 3; k++) {
        fputc(',', c->out);
        if (isfinite(stress[k]))
            fprintf(c->out, "%.2f", stress[k]);
    }
    fputc('\n', c->out);
}

int at_cmd_frames(int argc, char **argv)
{
    const char *path = NULL;
    int agent_ch = -1, threads = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv"))
            continue;
        if (!strcmp(argv[i], "--threads")) {
            if (at_threads_parse(i + 1 < argc ? argv[++i] : NULL, &threads)) {
                at_error("--threads", "expects 1 or 2");
                return 2;
            }
            continue;
        }
        if (!strcmp(argv[i], "--agent-channel") && i + 1 < argc) {
            agent_ch = argv[++i][0] == 'r' || argv[i][0] == '1';
            continue;
        }
        if (argv[i][0] == '-') {
            at_error(argv[i], "unknown option (try: attune help)");
            return 2;
        }
        path = argv[i];
    }
    if (!path) {
        at_error("frames", "no file given (usage: attune frames FILE --csv)");
        return 2;
    }
    at_audio_in a;
    attune_pipeline *p;
    if (at_audio_open_pipeline(&a, path, agent_ch, threads, &p) != 0)
        return 1;
    frames_ctx c = {stdout, a.n_parties};
    /* The stress features of every party (features only, no index). */
    attune_pipeline_set_stress(p, ATTUNE_STRESS_ALL);
    attune_pipeline_set_frame_observer(p, row, &c);
    puts("t_s,party,level_db,noise_db,snr_db,leak_db,voicing,period_hz,weak,strong,voiced,speech_level_db,f0_hz,nucleus,"
         "hnr_db,alpha_db,hammarberg_db");
    return at_audio_run_pipeline(&a, p, path);
}
