/* watch: the shared file run of the commands that watch a pipeline frame by
 * frame (frames, stress-features; see watch.h). */
#include "watch.h"

#include "cli.h"
#include "run.h"

int at_audio_open_pipeline(at_audio_in *a, const char *path, int agent_ch, int threads,
                           attune_pipeline **p)
{
    char err[320];
    if (at_audio_open(a, path, agent_ch, -1, 0, err, sizeof err)) {
        at_error(path, "%s", err);
        return -1;
    }
    int st;
    *p = attune_pipeline_new(NULL, a->info.samplerate, a->n_parties, NULL, NULL, &st);
    if (!*p) {
        at_error(path, "%s", attune_strerror(st));
        at_audio_close(a);
        return -1;
    }
    (void)attune_pipeline_set_threads(*p, threads ? threads : at_threads_auto());
    return 0;
}

int at_audio_run_pipeline(at_audio_in *a, attune_pipeline *p, const char *path)
{
    char err[320];
    int rc = 0;
    if (at_audio_feed(a, p, err, sizeof err) != 0) {
        at_error(path, "%s", err);
        rc = 1;
    }
    attune_pipeline_free(p);
    at_audio_close(a);
    return rc;
}
