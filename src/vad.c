/* vad: two-channel voice activity (see vad.h). */
#include "vad.h"

#include "noise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BAND_POWER 3e-9f   /* about -85 dB a band: digital silence is not "0 noise" */
#define MIN_SPEECH_DB (-65.0)  /* nothing quieter is anyone's speech */
#define SNR_CAP_DB 30.0
#define TOP_K (AT_N_BANDS / 2) /* the better half */
#define COUPLING_INIT_DB (-20.0) /* a prior between the 15 and 35 dB leaks we design for */
#define DOUBLE_TALK_DB (-12.0)  /* own power this close to the other's peak is double talk */
#define COUPLING_MAX_DB (-6.0)
#define BAND_TRUSTED 30
#define DELAY_RATE 0.005         /* forgetting of the delay estimate: ~2 s of single talk */
#define DELAY_MIN_UPDATES 150    /* single-talk frames before the delay is trusted */
#define DELAY_SLACK 2            /* frames either side of the estimated delay */
#define TAIL_FRAMES 8            /* reverberant tail after it: 80 ms */          /* updates before a band's own coupling is used */
#define COUPLING_TAU 0.8       /* quantile of the leak ratio kept as coupling */
#define LEVEL_TAU 0.9          /* quantile of voiced seed levels kept as the speech level */
#define LEVEL_JUMP_DB 6.0      /* voiced frames this far above the level lift it slowly */
#define LEVEL_RELEASE_FRAMES 300 /* voiced-looking frames under the gate before it gives way */
#define LEVEL_RELEASE_DB 0.1   /* ... and how fast the level then comes down, per such frame */
#define TRACK_FRAMES 6         /* two voices: a pitch held this many frames ... */
#define TRACK_TOL 0.08         /* ... within this of the last frame's period ... */
#define TRACK_VOICING 0.15     /* ... at this periodicity seeds voiced speech */

typedef struct party_state {
    at_noise noise;
    float *hist;               /* n_lag x AT_N_BANDS band powers, ring */
    float *hist_total;         /* n_lag broadband totals of hist, ring */
    double *xcorr, *acorr;     /* per lag: own leak power x other's power, other's squared */
    long n_delay_updates;
    int delay;                 /* lag (frames) at which the other party leaks in, -1: unknown */
    float coupling_db[AT_N_BANDS];
    int n_band_updates[AT_N_BANDS];
    double coupling_all_db;    /* pooled over bands, for bands not yet measured */
    float coupling_lin[AT_N_BANDS], coupling_all_lin; /* the same as power ratios */
    long n_coupling_updates;
    float leak[AT_N_BANDS];    /* this frame's predicted leak of the other party */
    double level_db;           /* the party's speech level; -inf until learned */
    long n_level_updates;
    int level_cand;            /* this frame would be voiced at any level */
    long n_under;              /* such frames under the gate since one passed it */
    int releasing;             /* the level is coming down to meet them */
    int last_strong;
    int last_weak;             /* last frame looked like speech to keep out of the floor */
    int lag_run;               /* frames in a row with about the same pitch lag */
    int last_lag;
} party_state;

struct at_vad {
    attune_config cfg;
    at_frame_geom g;
    int n_parties;
    int two_voices;            /* one channel, two talkers (at_vad_two_voices) */
    double held_range_db;      /* ... where a held pitch seeds within this of the level */
    int n_lag;
    int hist_pos;
    double margin;             /* echo margin as a power ratio */
    party_state ps[ATTUNE_N_PARTIES];
};

void at_vad_free(at_vad *v)
{
    if (!v)
        return;
    for (int p = 0; p < ATTUNE_N_PARTIES; p++) {
        free(v->ps[p].hist);
        free(v->ps[p].hist_total);
        free(v->ps[p].xcorr);
        free(v->ps[p].acorr);
    }
    free(v);
}

at_vad *at_vad_new(const attune_config *cfg, const at_frame_geom *g, int n_parties)
{
    at_vad *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->cfg = *cfg;
    v->g = *g;
    v->n_parties = n_parties;
    v->n_lag = (int)lround(cfg->echo_max_delay_s * 100.0) + 1;
    v->margin = pow(10.0, cfg->echo_margin_db / 10.0);
    for (int p = 0; p < n_parties; p++) {
        party_state *s = &v->ps[p];
        s->hist = calloc((size_t)v->n_lag * AT_N_BANDS, sizeof(float));
        s->hist_total = calloc(v->n_lag, sizeof(float));
        s->xcorr = calloc(v->n_lag, sizeof(double));
        s->acorr = calloc(v->n_lag, sizeof(double));
        s->delay = -1;
        if (!s->hist || !s->hist_total || !s->xcorr || !s->acorr)
            goto fail;
        at_noise_init(&s->noise);
        for (int b = 0; b < AT_N_BANDS; b++)
            s->coupling_db[b] = (float)COUPLING_INIT_DB;
        s->coupling_all_db = COUPLING_INIT_DB;
        for (int b = 0; b < AT_N_BANDS; b++)
            s->coupling_lin[b] = (float)pow(10.0, COUPLING_INIT_DB / 10.0);
        s->coupling_all_lin = (float)pow(10.0, COUPLING_INIT_DB / 10.0);
        s->level_db = -INFINITY;
    }
    return v;
fail:
    at_vad_free(v);
    return NULL;
}

/* The lags at which the other party's voice may arrive: all of them until
 * the delay is known, then the delay and the reverberant tail after it. */
static void leak_lags(const at_vad *v, const party_state *s, int *lo, int *hi)
{
    *lo = 0;
    *hi = v->n_lag - 1;
    if (s->delay < 0)
        return;
    *lo = s->delay > DELAY_SLACK ? s->delay - DELAY_SLACK : 0;
    *hi = s->delay + TAIL_FRAMES < v->n_lag ? s->delay + TAIL_FRAMES : v->n_lag - 1;
}

static int slot(const at_vad *v, int lag)
{
    return (v->hist_pos - lag + v->n_lag) % v->n_lag;
}

/* The other party's loudest power in band b over those lags: it bounds the
 * leak from above whatever the exact delay and reverberation. */
static float recent_peak(const at_vad *v, const party_state *other, int b, int lo, int hi)
{
    float m = 0.0f;
    for (int lag = lo; lag <= hi; lag++) {
        float x = other->hist[slot(v, lag) * AT_N_BANDS + b];
        if (x > m)
            m = x;
    }
    return m;
}

/* Finds the leak's delay as the lag whose copy of the other party best
 * explains this channel's excess power in single talk: the largest
 * normalised cross-product of the two envelopes. */
static void learn_delay(at_vad *v, party_state *s, const party_state *other, double own_total)
{
    double best = 0;
    int best_lag = -1;
    for (int lag = 0; lag < v->n_lag; lag++) {
        double q = other->hist_total[slot(v, lag)];
        s->xcorr[lag] += DELAY_RATE * (own_total * q - s->xcorr[lag]);
        s->acorr[lag] += DELAY_RATE * (q * q - s->acorr[lag]);
        double score = s->acorr[lag] > 0 ? s->xcorr[lag] * s->xcorr[lag] / s->acorr[lag] : 0;
        if (score > best) {
            best = score;
            best_lag = lag;
        }
    }
    if (++s->n_delay_updates >= DELAY_MIN_UPDATES)
        s->delay = best_lag;
}

/* Tracks a quantile of x by stochastic approximation: the estimate moves up
 * by step*tau when x is above it and down by step*(1-tau) otherwise. */
static double track_quantile(double q, double x, double tau, double step)
{
    return x >= q ? q + step * tau : q - step * (1.0 - tau);
}

/* Power clearly above this channel's noise: what a leak (or a talker) adds.
 * Noise fluctuates up to about twice its floor estimate; below that there
 * is nothing to learn from. */
static double own_excess(const party_state *s, const float *bands, int b)
{
    double x = bands[b] - 2.0 * s->noise.floor[b];
    return x > 0 ? x : 0;
}

static void learn_coupling(at_vad *v, party_state *s, const float *bands, const float *peak,
                           const party_state *other)
{
    /* Early on, move fast: a few seconds of the other party talking should
     * be enough to learn a leak anywhere from -10 to -40 dB. */
    double step = s->n_coupling_updates < 300 ? 1.0 : 0.25;
    int updated = 0;
    /* A double-talk detector in the manner of Geigel's: a leak is at least
     * 15 dB down by design, so a channel within 12 dB of the other party's
     * recent peak has its own talker in it and must not teach the coupling.
     * The test is broadband and absolute, so the estimate cannot feed it. */
    double own_all = 0, peak_all = 0;
    for (int b = 0; b < AT_N_BANDS; b++) {
        own_all += own_excess(s, bands, b);
        peak_all += peak[b];
    }
    if (peak_all <= 0 || 10.0 * log10(own_all / peak_all + 1e-12) > DOUBLE_TALK_DB)
        return;
    learn_delay(v, s, other, own_all);
    for (int b = 0; b < AT_N_BANDS; b++) {
        if (peak[b] < 10.0f * other->noise.floor[b] || peak[b] <= 0.0f)
            continue;
        double own = own_excess(s, bands, b);
        double r = 10.0f * log10f((float)(own > 1e-12 ? own : 1e-12) / peak[b]);
        double q = track_quantile(s->coupling_db[b], r, COUPLING_TAU, step);
        s->coupling_db[b] = (float)(q < -60.0 ? -60.0 : q > COUPLING_MAX_DB ? COUPLING_MAX_DB : q);
        s->n_band_updates[b]++;
        q = track_quantile(s->coupling_all_db, r, COUPLING_TAU, step / 4.0);
        s->coupling_all_db = q < -60.0 ? -60.0 : q > COUPLING_MAX_DB ? COUPLING_MAX_DB : q;
        s->coupling_lin[b] = powf(10.0f, s->coupling_db[b] / 10.0f);
        s->coupling_all_lin = powf(10.0f, (float)s->coupling_all_db / 10.0f);
        updated = 1;
    }
    s->n_coupling_updates += updated;
}

/* Speech puts its energy in a few bands at a time (formants, harmonics);
 * averaging all bands would let the empty ones drown it at 10-20 dB SNR.
 * The mean of the better half keeps what speech shows while noise, whose
 * band SNRs only fluctuate around 0, stays low. */
static double top_half_mean(double *x)
{
    for (int i = 1; i < AT_N_BANDS; i++) { /* insertion sort, descending */
        double v = x[i];
        int j = i - 1;
        for (; j >= 0 && x[j] < v; j--)
            x[j + 1] = x[j];
        x[j + 1] = v;
    }
    double s = 0;
    for (int i = 0; i < TOP_K; i++)
        s += x[i];
    return s / TOP_K;
}

/* In a mono mix the quieter voice often stands only a few dB over both
 * lines' noise, where one frame's SNR and periodicity cannot tell it from
 * noise; a pitch period held for TRACK_FRAMES frames in a row can: noise
 * has no period to hold.  Counts the run and says whether it is long.
 * Such a seed needs no onset SNR, so it keeps to the single-voice level
 * range (held_range_db): the talkers behind a party hold a pitch too, 10-20
 * dB down, and with the widened range they passed (on generated phone
 * calls mixed to mono, seeds 2-5 and 7-10, false alarm 2.9 to 2.6 % and the
 * worst talk-share error 3.9 to 3.3 points). */
static int held_pitch(party_state *s, const at_vad_out *o)
{
    int same = o->pitch_lag > 0 && s->last_lag > 0 && o->voicing >= TRACK_VOICING &&
               fabs((double)o->pitch_lag - s->last_lag) <= TRACK_TOL * s->last_lag;
    s->lag_run = same ? s->lag_run + 1 : o->pitch_lag > 0 ? 1 : 0;
    s->last_lag = o->pitch_lag;
    return s->lag_run >= TRACK_FRAMES;
}

static void judge(at_vad *v, int p, at_frame *f, at_vad_out *o)
{
    party_state *s = &v->ps[p];
    const float *bands = at_frame_bands(f);
    float peak[AT_N_BANDS] = {0};
    int two = v->n_parties == 2 && v->cfg.vad_cross_channel > 0.5;
    party_state *other = two ? &v->ps[1 - p] : NULL;
    int lo, hi;
    leak_lags(v, s, &lo, &hi);

    double snr[AT_N_BANDS];
    for (int b = 0; b < AT_N_BANDS; b++) {
        float e = s->noise.floor[b] > MIN_BAND_POWER ? s->noise.floor[b] : MIN_BAND_POWER;
        s->leak[b] = 0.0f;
        if (two) {
            peak[b] = recent_peak(v, other, b, lo, hi);
            float c = s->n_band_updates[b] >= BAND_TRUSTED ? s->coupling_lin[b]
                                                             : s->coupling_all_lin;
            s->leak[b] = (float)(peak[b] * v->margin) * c;
            e += s->leak[b];
        }
        double x = 10.0f * log10f((bands[b] + 1e-20f) / e);
        snr[b] = x < 0 ? 0 : x > SNR_CAP_DB ? SNR_CAP_DB : x;
    }
    memset(o, 0, sizeof *o);
    s->level_cand = 0;
    o->snr_db = top_half_mean(snr);
    double nsum = 0, lsum = 0;
    for (int b = 0; b < AT_N_BANDS; b++) {
        nsum += s->noise.floor[b];
        lsum += s->leak[b];
    }
    o->noise_db = 10.0 * log10(nsum + 1e-20);
    o->leak_db = lsum > 0 ? 10.0 * log10(lsum) : -INFINITY;
    o->party_level_db = s->level_db;
    o->level_db = at_frame_level_db(f);
    int loud = o->level_db > MIN_SPEECH_DB;
    o->weak = loud && o->snr_db >= v->cfg.vad_offset_db;
    o->strong = loud && o->snr_db >= v->cfg.vad_onset_db &&
                o->level_db >= s->level_db - v->cfg.vad_level_range_db;
    if (o->weak) {
        /* Periodicity of the whole speech band: subtracting the expected
         * noise would leave a few spiky bins whose autocorrelation looks
         * periodic even in noise. */
        o->voicing = at_frame_voicing(f, &o->pitch_lag);
        int held = v->two_voices && held_pitch(s, o);
        if (held)
            o->strong = o->strong || o->level_db >= s->level_db - v->held_range_db;
        o->voiced = o->strong && (o->voicing >= v->cfg.vad_voicing || held);
        s->level_cand = o->snr_db >= v->cfg.vad_onset_db && o->voicing >= v->cfg.vad_voicing;
        o->loud = o->voiced && !(o->level_db < s->level_db - v->cfg.vad_confirm_range_db);
    } else {
        s->lag_run = 0;
        s->last_lag = 0;
    }
    if (two && other->last_strong)
        learn_coupling(v, s, bands, peak, other);
}

void at_vad_process(at_vad *v, at_frame *const *frames, at_vad_out *out)
{
    /* The history holds what each party's own voice put in its channel:
     * power above the noise floor and above the other party's predicted
     * leak.  Without the leak taken out, a party's own voice would come back
     * as "the other party's leak" (the round trip) and mask its quiet
     * syllables.  For the current frame (a zero-delay leak) the leak is not
     * known yet, so the floor alone is taken out first. */
    for (int p = 0; p < v->n_parties; p++) {
        party_state *s = &v->ps[p];
        const float *bands = at_frame_bands(frames[p]);
        at_noise_update(&s->noise, bands, s->last_weak);
        float *h = s->hist + (size_t)v->hist_pos * AT_N_BANDS;
        for (int b = 0; b < AT_N_BANDS; b++)
            h[b] = bands[b] > s->noise.floor[b] ? bands[b] - s->noise.floor[b] : 0.0f;
        s->hist_total[v->hist_pos] = 0.0f; /* completed once the leak is known, below */
    }
    for (int p = 0; p < v->n_parties; p++)
        judge(v, p, frames[p], &out[p]);
    for (int p = 0; p < v->n_parties; p++) {
        party_state *s = &v->ps[p];
        float *h = s->hist + (size_t)v->hist_pos * AT_N_BANDS;
        float total = 0.0f;
        for (int b = 0; b < AT_N_BANDS; b++) {
            h[b] = h[b] > s->leak[b] ? h[b] - s->leak[b] : 0.0f;
            total += h[b];
        }
        s->hist_total[v->hist_pos] = total;
    }
    for (int p = 0; p < v->n_parties; p++) {
        party_state *s = &v->ps[p];
        s->last_strong = out[p].strong;
        /* Speech for the noise floor: anything standing out of noise and
         * leak, at any level (quiet syllables, fricatives, a background
         * talker alike: none of them is noise). */
        s->last_weak = out[p].weak;
        if (out[p].voiced) {
            /* Fast at first, then slow: a quantile tracker jitters by about
             * its step, and the level gates seeds and spurts. */
            double step = s->n_level_updates < 100 ? 2.0 : s->n_level_updates < 400 ? 0.5 : 0.15;
            /* Once learnt, speech far above the level lifts it ten times
             * slower: a second of shouting would otherwise lift it 15 dB,
             * out of reach of the party's normal voice, since speech under
             * the gate is never voiced.  A lasting change of gain is still
             * followed, at over a dB a second of voiced speech. */
            if (s->n_level_updates >= 400 && out[p].level_db > s->level_db + LEVEL_JUMP_DB)
                step *= 0.1;
            s->level_db = isinf(s->level_db) ? out[p].level_db
                          : track_quantile(s->level_db, out[p].level_db, LEVEL_TAU, step);
            s->n_level_updates++;
        }
        /* Voiced-looking speech under the gate.  A talker behind the party
         * fills the party's pauses, but the party's own voice keeps coming
         * back through the gate; a party whose level was lifted out of
         * reach anyway (a long shout, a gain step down) has nothing left
         * above it.  After LEVEL_RELEASE_FRAMES of such frames with none
         * voiced in between, the level comes down to meet them, until a
         * voiced frame lies near it again (not merely inside the gate). */
        if (out[p].voiced && (!s->releasing || out[p].level_db >= s->level_db - LEVEL_JUMP_DB)) {
            s->n_under = 0;
            s->releasing = 0;
        } else if (s->level_cand && !isinf(s->level_db) &&
                   (s->releasing || ++s->n_under > LEVEL_RELEASE_FRAMES)) {
            s->releasing = 1;
            s->level_db -= LEVEL_RELEASE_DB;
        }
    }
    v->hist_pos = (v->hist_pos + 1) % v->n_lag;
}

void at_vad_two_voices(at_vad *v, double spread_db, double onset_db)
{
    v->two_voices = 1;
    v->cfg.vad_onset_db = onset_db;
    v->held_range_db = v->cfg.vad_level_range_db;
    v->cfg.vad_level_range_db += spread_db;
    v->cfg.vad_confirm_range_db += spread_db;
}

double at_vad_level_db(const at_vad *v, int party) { return v->ps[party].level_db; }

double at_vad_coupling_db(const at_vad *v, int party)
{
    double s = 0;
    for (int b = 0; b < AT_N_BANDS; b++)
        s += v->ps[party].coupling_db[b];
    return s / AT_N_BANDS;
}
