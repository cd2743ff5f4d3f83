/* spurts: frame decisions to talk spurts (see spurts.h). */
#include "spurts.h"

#include <math.h>
#include <string.h>

void at_spurts_init(at_spurts *s, const attune_config *cfg, double fps)
{
    memset(s, 0, sizeof *s);
    s->bridge = (int)lround(cfg->bridge_s * fps);
    s->extend = (int)lround(cfg->vad_extend_s * fps);
    s->min_voiced = (int)lround(cfg->vad_min_voiced_s * fps);
    s->min_len = (int)lround(cfg->min_spurt_s * fps);
    if (s->bridge < 1)
        s->bridge = 1;
    s->prev_end = 0;
}

static void close_spurt(at_spurts *s, at_spurt_step *step)
{
    if (s->confirmed) {
        step->closed = 1;
        step->start = s->start;
        step->end = s->last_speech + 1;
        s->prev_end = step->end;
    }
    s->in_spurt = 0;
    s->confirmed = 0;
}

static void seed(at_spurts *s, long t, int voiced, at_spurt_step *step)
{
    /* Weak frames just before a seed belong to its spurt (soft onsets). */
    long back = s->run_weak < s->extend ? s->run_weak : s->extend;
    long start = t - back;
    if (s->in_spurt && start - (s->last_speech + 1) >= s->bridge)
        close_spurt(s, step);  /* the pause was too long to bridge */
    if (!s->in_spurt) {
        s->start = start < s->prev_end ? s->prev_end : start;
        s->in_spurt = 1;
        s->confirmed = 0;
        s->n_voiced = 0;
        s->n_loud = 0;
    }
    s->last_core = t;
    s->last_speech = t;
    s->n_voiced += voiced > 0;
    s->n_loud += voiced > 1;
    if (!s->confirmed && s->n_voiced >= s->min_voiced && s->n_loud >= AT_SPURT_MIN_LOUD &&
        t + 1 - s->start >= s->min_len) {
        s->confirmed = 1;
        step->opened = 1;
        step->open_start = s->start;
    }
}

void at_spurts_frame(at_spurts *s, long t, int weak, int strong, int voiced,
                     at_spurt_step *step)
{
    memset(step, 0, sizeof *step);
    if (strong)
        seed(s, t, voiced, step);
    else if (weak && s->in_spurt && t - s->last_core <= s->extend)
        s->last_speech = t;
    /* Close once no later seed could reach back across a short pause. */
    if (s->in_spurt && !strong && t - s->last_speech > s->bridge + s->extend)
        close_spurt(s, step);
    /* Bridging is for the party's own speech: a candidate not yet known to
     * be theirs (a colleague behind them, say) ends at its first pause, so
     * it cannot become the head of the party's next spurt. */
    if (s->in_spurt && !s->confirmed && t - s->last_speech > s->extend)
        s->in_spurt = 0;
    s->run_weak = (weak || strong) ? s->run_weak + 1 : 0;
}

void at_spurts_finish(at_spurts *s, at_spurt_step *step)
{
    memset(step, 0, sizeof *step);
    if (s->in_spurt)
        close_spurt(s, step);
}

int at_spurts_open(const at_spurts *s, long *start, long *last)
{
    if (!s->in_spurt || !s->confirmed)
        return 0;
    if (start)
        *start = s->start;
    if (last)
        *last = s->last_speech;
    return 1;
}
