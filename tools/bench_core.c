/* bench_core: the analysis pipeline over a file, whole or as the turn-taking
 * core alone (--core: no pitch, syllables or stress), for tools/bench to
 * state prosody's cost as a ratio measured in one run.  The same reader
 * (src/cli/audio_in.c) and pipeline as `attune analyze`, without its
 * outputs; a stereo file is two parties, a mono file one (no diarization).
 * --threads N (1 or 2, default 2) as `attune analyze --threads N`. */
#include "audio_in.h"
#include "pipeline_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int core = 0, threads = 2, i = 1;
    for (; i < argc - 1; i++) {
        if (!strcmp(argv[i], "--core"))
            core = 1;
        else if (!strcmp(argv[i], "--threads") && i + 2 < argc)
            threads = atoi(argv[++i]);
        else
            break;
    }
    if (i != argc - 1 || (threads != 1 && threads != 2)) {
        fprintf(stderr, "usage: attune_bench_core [--core] [--threads 1|2] FILE\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    char err[256];
    at_audio_in a;
    if (at_audio_open(&a, path, -1, -1, 0, err, sizeof err) != 0) {
        fprintf(stderr, "attune_bench_core: %s: %s\n", path, err);
        return 1;
    }
    int status;
    attune_pipeline *p = attune_pipeline_new(NULL, a.info.samplerate, a.n_parties, NULL, NULL,
                                             &status);
    if (!p || (core && at_pipeline_core_only(p) != ATTUNE_OK) ||
        attune_pipeline_set_threads(p, threads) != ATTUNE_OK) {
        fprintf(stderr, "attune_bench_core: %s: cannot set up the analysis (%d)\n", path, status);
        attune_pipeline_free(p);
        at_audio_close(&a);
        return 1;
    }
    int rc = at_audio_feed(&a, p, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "attune_bench_core: %s: %s\n", path, err);
    attune_metrics m;
    attune_pipeline_metrics(p, &m);
    /* Something derived from the whole analysis, so none of it is dead code. */
    printf("%d parties, talk %.2f s, syllables %ld\n", a.n_parties,
           m.party[0].talk_s + (a.n_parties > 1 ? m.party[1].talk_s : 0.0),
           m.party[0].n_syllables + (a.n_parties > 1 ? m.party[1].n_syllables : 0));
    attune_pipeline_free(p);
    at_audio_close(&a);
    return rc != 0;
}
