/* report_text: the readable summary `attune analyze` prints by default. */
#include "goals.h"
#include "result.h"

#include <math.h>

static void mmss(char *buf, size_t n, double s)
{
    int m = (int)(s / 60.0);
    snprintf(buf, n, "%d:%04.1f", m, s - 60.0 * m);
}

/* Vocal stress of a party whose stress was computed: one line. */
static void stress_line(FILE *out, const at_result *r, int p)
{
    int on = r->stress_who == ATTUNE_STRESS_ALL
             || (r->stress_who == ATTUNE_STRESS_CUSTOMER && p == r->n_parties - 1);
    if (!on)
        return;
    const attune_party_metrics *pm = &r->m.party[p];
    fprintf(out, "  %-9s ", "");
    if (pm->stress_mean >= 0)
        fprintf(out, "vocal stress %.0f/100 mean, %.0f last, over %zu windows of 5 s speech",
                pm->stress_mean, pm->stress_last, r->stress[p].n);
    else
        fputs("vocal stress: too little speech (or no model)", out);
    if (p != r->n_parties - 1)
        fputs(" (research on consented recordings only; EU AI Act Art. 5(1)(f))", out);
    fputc('\n', out);
}

/* Pitch and pace of a party: one line, figures or why there are none. */
static void prosody_line(FILE *out, const attune_party_metrics *pm)
{
    fprintf(out, "  %-9s ", "");
    if (pm->pitch_hz_median >= 0)
        fprintf(out, "pitch %.0f Hz (range %.1f semitones)", pm->pitch_hz_median,
                pm->pitch_range_st);
    else
        fputs("pitch: too little voiced speech", out);
    if (pm->wpm >= 0)
        fprintf(out, ", pace %.0f words/min (%.2f syllables/s)", pm->wpm, pm->syllables_per_s);
    fputc('\n', out);
}

static void party_line(FILE *out, const at_result *r, int p, const char *name, double all)
{
    const attune_party_metrics *pm = &r->m.party[p];
    fprintf(out, "  %-9s ch %d  talk %6.1f s (%3.0f %%)  turns %3d  longest monologue %5.1f s\n",
            name, r->channel_of[p], pm->talk_s, all > 0 ? 100.0 * pm->talk_s / all : 0.0,
            pm->n_turns, pm->longest_monologue_s);
    fprintf(out, "  %-9s interruptions %d, backchannels %d, ", "", pm->n_interruptions_made,
            pm->n_backchannels_made);
    if (pm->patience_s >= 0)
        fprintf(out, "patience (median response gap) %.2f s over %d responses\n", pm->patience_s,
                pm->n_response_gaps);
    else
        fputs("patience: never took the floor after the other party\n", out);
    prosody_line(out, pm);
    stress_line(out, r, p);
}

void at_report_text(FILE *out, const at_result *r)
{
    char dur[32];
    mmss(dur, sizeof dur, r->m.duration_s);
    fprintf(out, "%s: %s, %d Hz, %d channel%s\n", r->file, dur, r->sample_rate, r->channels,
            r->channels == 1 ? "" : "s");
    if (r->n_parties == 1) {
        const attune_party_metrics *pm = &r->m.party[0];
        fprintf(out, "  speaker   talk %.1f s in %d spurts, silence %.1f s\n", pm->talk_s,
                pm->n_spurts, r->m.silence_s);
        prosody_line(out, pm);
        stress_line(out, r, 0);
        fputs("  (conversation metrics need two channels, one party each)\n", out);
        return;
    }
    double all = r->m.party[0].talk_s + r->m.party[1].talk_s;
    party_line(out, r, ATTUNE_AGENT, "agent", all);
    party_line(out, r, ATTUNE_CUSTOMER, "customer", all);
    fprintf(out, "  overtalk %.1f s, silence %.1f s, dead air %d stretch%s (%.1f s)\n",
            r->m.overtalk_s, r->m.silence_s, r->m.n_dead_air, r->m.n_dead_air == 1 ? "" : "es",
            r->m.dead_air_s);
    for (size_t i = 0; i < r->interruptions.n; i++) {
        const attune_event *e = &r->interruptions.v[i];
        char t[32];
        mmss(t, sizeof t, e->t0);
        fprintf(out, "  %s  %s interrupted (overlap %.1f s)\n", t,
                e->party == ATTUNE_AGENT ? "agent" : "customer", e->value);
    }
    for (size_t i = 0; i < r->goals.n; i++) {
        const at_goal_slip *s = &r->goals.v[i];
        char t[32], end[48] = "to the end";
        mmss(t, sizeof t, s->start);
        if (isfinite(s->end)) {
            snprintf(end, sizeof end, "until ");
            mmss(end + 6, sizeof end - 6, s->end);
        }
        fprintf(out, "  %s  goal slipped: %s, %s%s: %s\n", t, at_goal_name(s->goal), end,
                isfinite(s->dismissed_at) ? " (dismissed)" : "", s->message);
    }
}
