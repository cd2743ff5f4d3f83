/* overlap: both voices at a change of speaker without a pause (see overlap.h). */
#include "overlap.h"

/* Whether frames from t on, in direction dir, hold at least n frames of
 * speaker k in a row. */
static int run_of(const at_diar *d, long t, int dir, int k, int n)
{
    for (int i = 0; i < n; i++)
        if (at_diar_label(d, t + dir * i) != k)
            return 0;
    return 1;
}

int at_overlap_second(const at_diar *d, long t, int half_frames, int min_run)
{
    int own = at_diar_label(d, t);
    if (own < 0)
        return -1;
    /* Towards the other voice, through speech only: before t for a voice
     * that ends in the overlap, after t for one that starts in it. */
    for (int dir = -1; dir <= 1; dir += 2) {
        for (int k = 1; k <= half_frames; k++) {
            long u = t + dir * k;
            int lab = at_diar_label(d, u);
            if (lab < 0)
                break;
            if (lab == own)
                continue;
            /* A change between two held voices, not the labels wavering. */
            if (run_of(d, u, dir, lab, min_run) && run_of(d, u - dir, -dir, own, min_run))
                return lab;
            break;
        }
    }
    return -1;
}
