/* overlay_render: one frame of the overlay (see overlay_render.h).  The
 * frame reads top-down like the agent's glance: what to do now (the
 * banner, or "on track"), then how the talk is shared, the pace, and
 * patience and stress in one line.  Calm when all is well: a dark panel,
 * muted text, one accent colour; colour only where something needs the
 * agent. */
#include "overlay_render.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SDL_Color at_overlay_bg = {0x1b, 0x1f, 0x24, 0xff};
const SDL_Color at_overlay_agent = {0x56, 0xb4, 0xe9, 0xff};      /* sky blue */
const SDL_Color at_overlay_customer = {0x5c, 0x64, 0x6e, 0xff};   /* neutral grey */
const SDL_Color at_overlay_band = {0x00, 0x9e, 0x73, 0xff};       /* bluish green */
const SDL_Color at_overlay_needle = {0xf0, 0xe4, 0x42, 0xff};     /* yellow */
const SDL_Color at_overlay_severity[3] = {
    {0x56, 0xb4, 0xe9, 0xff},      /* info: sky blue */
    {0xe6, 0x9f, 0x00, 0xff},      /* warning: orange */
    {0xd5, 0x5e, 0x00, 0xff},      /* critical: vermillion */
};
static const SDL_Color text_c = {0xe8, 0xea, 0xed, 0xff};
static const SDL_Color muted_c = {0x9a, 0xa3, 0xad, 0xff};
static const SDL_Color track_c = {0x33, 0x3a, 0x42, 0xff};
static const SDL_Color mark_c = {0xff, 0xff, 0xff, 0xff};

/* Icons a glance tells apart without colour: circle, triangle, square. */
static const char *const sev_icon[3] = {"\xe2\x97\x8f", "\xe2\x96\xb2", "\xe2\x96\xa0"};
static const char *const sev_word[3] = {"NOTE", "WARNING", "CRITICAL"};

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"

struct at_overlay_fonts {
    double scale;
    TTF_Font *small, *body, *bold;
};

at_overlay_fonts *at_overlay_fonts_open(double scale, char *err, size_t err_len)
{
    if (!(scale >= 0.5 && scale <= 4)) {
        snprintf(err, err_len, "scale %.2f outside 0.5..4", scale);
        return NULL;
    }
    at_overlay_fonts *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    f->scale = scale;
    f->small = TTF_OpenFont(FONT_DIR "DejaVuSans.ttf", (int)lround(10.5 * scale));
    f->body = TTF_OpenFont(FONT_DIR "DejaVuSans.ttf", (int)lround(12 * scale));
    f->bold = TTF_OpenFont(FONT_DIR "DejaVuSans-Bold.ttf", (int)lround(12 * scale));
    if (!f->small || !f->body || !f->bold) {
        snprintf(err, err_len, "%sDejaVuSans.ttf: cannot open the font (SDL_ttf: %s; Debian "
                 "fonts-dejavu-core)", FONT_DIR, TTF_GetError());
        at_overlay_fonts_free(f);
        return NULL;
    }
    return f;
}

void at_overlay_fonts_free(at_overlay_fonts *f)
{
    if (!f)
        return;
    if (f->small)
        TTF_CloseFont(f->small);
    if (f->body)
        TTF_CloseFont(f->body);
    if (f->bold)
        TTF_CloseFont(f->bold);
    free(f);
}

/* Drawing context: the renderer and the scale, logical units in. */
typedef struct ctx {
    SDL_Renderer *r;
    const at_overlay_fonts *f;
    double k;
    int fail;
} ctx;

static int px(const ctx *c, double v) { return (int)lround(v * c->k); }

static SDL_Rect rect(const ctx *c, double x, double y, double w, double h)
{
    SDL_Rect q = {px(c, x), px(c, y), px(c, x + w) - px(c, x), px(c, y + h) - px(c, y)};
    return q;
}

static void fill(ctx *c, SDL_Rect q, SDL_Color col)
{
    if (SDL_SetRenderDrawColor(c->r, col.r, col.g, col.b, col.a) ||
        SDL_RenderFillRect(c->r, &q))
        c->fail = 1;
}

/* Text with its left (align 0), right (1) edge or centre (2) at x and its
 * top at y; wrap > 0 wraps at that width.  Returns the drawn width. */
static int text(ctx *c, TTF_Font *font, const char *s, SDL_Color col, int x, int y, int align,
                int wrap)
{
    if (!s[0])
        return 0;
    SDL_Surface *surf = wrap > 0 ? TTF_RenderUTF8_Blended_Wrapped(font, s, col, (Uint32)wrap)
                                 : TTF_RenderUTF8_Blended(font, s, col);
    if (!surf) {
        c->fail = 1;
        return 0;
    }
    SDL_Texture *tex = SDL_CreateTextureFromSurface(c->r, surf);
    SDL_Rect dst = {align == 1 ? x - surf->w : align == 2 ? x - surf->w / 2 : x, y, surf->w,
                    surf->h};
    if (!tex || SDL_RenderCopy(c->r, tex, NULL, &dst))
        c->fail = 1;
    if (tex)
        SDL_DestroyTexture(tex);
    SDL_FreeSurface(surf);
    return dst.w;
}

static void mmss(char *buf, size_t n, double s)
{
    long t = s > 0 ? (long)s : 0;
    snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static SDL_Color mix(SDL_Color a, SDL_Color b, double wb)
{
    SDL_Color m = {(Uint8)lround(a.r + (b.r - a.r) * wb), (Uint8)lround(a.g + (b.g - a.g) * wb),
                   (Uint8)lround(a.b + (b.b - a.b) * wb), 0xff};
    return m;
}

/* The top strip: the banner while a goal has slipped, else a calm line.
 * The call timer sits at its right either way. */
static void draw_top(ctx *c, const at_overlay_state *st, at_overlay_layout *lay)
{
    char t[32];
    mmss(t, sizeof t, st->snap.t_s);
    int right = px(c, AT_OVERLAY_W - 10);
    if (!st->has_alert) {
        text(c, c->f->body, "\xe2\x9c\x93  On track", at_overlay_band, px(c, 12), px(c, 14), 0, 0);
        text(c, c->f->bold, t, text_c, right, px(c, 14), 1, 0);
        return;
    }
    int sev = st->severity <= AT_SEV_CRITICAL ? (int)st->severity : AT_SEV_WARNING;
    SDL_Color sc = at_overlay_severity[sev];
    lay->banner = rect(c, 0, 0, AT_OVERLAY_W, AT_OVERLAY_STRIP_H);
    fill(c, lay->banner, mix(at_overlay_bg, sc, 0.22));
    fill(c, rect(c, 0, 0, 6, AT_OVERLAY_STRIP_H), sc);
    char head[96];
    snprintf(head, sizeof head, "%s %s  %s", sev_icon[sev], sev_word[sev], at_goal_name(st->goal));
    if (st->n_alerts > 1)
        snprintf(head + strlen(head), sizeof head - strlen(head), "  (+%d)", st->n_alerts - 1);
    text(c, c->f->bold, head, sc, px(c, 14), px(c, 4), 0, 0);
    text(c, c->f->bold, t, text_c, right, px(c, 4), 1, 0);
    text(c, c->f->small, st->message, text_c, px(c, 14), px(c, 19), 0, px(c, AT_OVERLAY_W - 24));
}

/* Agent against customer over the listening window (the whole call until
 * the window holds enough talk), the target marked. */
static void draw_talk(ctx *c, const at_overlay_state *st, at_overlay_layout *lay)
{
    const attune_metrics *m = &st->snap.m;
    double all = m->party[0].talk_s + m->party[1].talk_s;
    int recent = isfinite(st->snap.share_window);
    double share = recent ? st->snap.share_window : all > 0 ? m->party[0].talk_s / all : NAN;
    text(c, c->f->body, "Talk", muted_c, px(c, 12), px(c, 52), 0, 0);
    SDL_Rect bar = rect(c, 62, 54, AT_OVERLAY_W - 72, 12);
    lay->talk_bar = bar;
    fill(c, bar, isfinite(share) ? at_overlay_customer : track_c);
    lay->talk_split_x = -1;
    if (isfinite(share)) {
        SDL_Rect a = bar;
        a.w = (int)lround(bar.w * share);
        fill(c, a, at_overlay_agent);
        lay->talk_split_x = bar.x + a.w;
    }
    lay->target_x = bar.x + (int)lround(bar.w * st->targets.share_max);
    SDL_Rect mk = {lay->target_x - px(c, 1), bar.y - px(c, 3), px(c, 2), bar.h + px(c, 6)};
    fill(c, mk, mark_c);
    char cap[128];
    if (isfinite(share))
        snprintf(cap, sizeof cap, "you %.0f %%  \xc2\xb7  customer %.0f %%", 100 * share,
                 100 * (1 - share));
    else
        snprintf(cap, sizeof cap, "no talk yet");
    text(c, c->f->small, cap, muted_c, bar.x, px(c, 68), 0, 0);
    text(c, c->f->small, recent ? "2 min" : "so far", muted_c, px(c, 12), px(c, 68), 0, 0);
    snprintf(cap, sizeof cap, "target \xe2\x89\xa4 %.0f %%", 100 * st->targets.share_max);
    text(c, c->f->small, cap, muted_c, bar.x + bar.w, px(c, 68), 1, 0);
}

/* Words per minute on a scale 60 wpm either side of the target band. */
static void draw_pace(ctx *c, const at_overlay_state *st, at_overlay_layout *lay)
{
    const at_view_targets *tg = &st->targets;
    double lo = tg->pace_low_wpm - 60, hi = tg->pace_high_wpm + 60;
    text(c, c->f->body, "Pace", muted_c, px(c, 12), px(c, 84), 0, 0);
    SDL_Rect g = rect(c, 62, 88, AT_OVERLAY_W - 72, 8);
    lay->pace_gauge = g;
    fill(c, g, track_c);
    SDL_Rect band = g;
    band.x = g.x + (int)lround(g.w * (tg->pace_low_wpm - lo) / (hi - lo));
    band.w = g.x + (int)lround(g.w * (tg->pace_high_wpm - lo) / (hi - lo)) - band.x;
    lay->pace_band = band;
    fill(c, band, mix(track_c, at_overlay_band, 0.75));
    double wpm = st->snap.value[AT_GOAL_PACE];
    lay->needle_x = -1;
    char cap[96];
    if (isfinite(wpm) && tg->pace_on) {
        double u = (wpm - lo) / (hi - lo);
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        lay->needle_x = g.x + (int)lround(g.w * u);
        SDL_Rect nd = {lay->needle_x - px(c, 2), g.y - px(c, 4), px(c, 4), g.h + px(c, 8)};
        fill(c, nd, at_overlay_needle);
        const char *where = wpm > tg->pace_high_wpm ? "fast" : wpm < tg->pace_low_wpm ? "slow"
                                                                                       : "good";
        snprintf(cap, sizeof cap, "%.0f wpm \xc2\xb7 %s", wpm, where);
    } else {
        snprintf(cap, sizeof cap, "\xe2\x80\x94");
    }
    text(c, c->f->small, cap, muted_c, g.x, px(c, 100), 0, 0);
    snprintf(cap, sizeof cap, "target %.0f\xe2\x80\x93%.0f", tg->pace_low_wpm, tg->pace_high_wpm);
    text(c, c->f->small, cap, muted_c, g.x + g.w, px(c, 100), 1, 0);
}

/* Patience (interruptions in the window, the last response gap) and the
 * customer's stress trend, one line. */
static void draw_patience(ctx *c, const at_overlay_state *st)
{
    const at_snapshot *s = &st->snap;
    double n_int = s->value[AT_GOAL_INTERRUPTIONS];
    char line[160], gap[32], stress[48];
    if (isfinite(s->last_gap_s))
        snprintf(gap, sizeof gap, "%.1f s", s->last_gap_s);
    else
        snprintf(gap, sizeof gap, "\xe2\x80\x94");
    double rise = s->value[AT_GOAL_STRESS];
    if (st->targets.stress_on && isfinite(rise))
        snprintf(stress, sizeof stress, "%s %+.2f",
                 rise > 0.05 ? "\xe2\x86\x91" : rise < -0.05 ? "\xe2\x86\x93" : "\xe2\x86\x92",
                 rise);
    else
        snprintf(stress, sizeof stress, "\xe2\x80\x94");
    snprintf(line, sizeof line, "Interruptions %d / 3 min  \xc2\xb7  gap %s  \xc2\xb7  stress %s",
             isfinite(n_int) ? (int)n_int : 0, gap, stress);
    text(c, c->f->small, line, text_c, px(c, 12), px(c, 118), 0, 0);
}

int at_overlay_render(SDL_Renderer *r, const at_overlay_fonts *f, const at_overlay_state *st,
                      at_overlay_layout *lay)
{
    at_overlay_layout scratch;
    if (!lay)
        lay = &scratch;
    memset(lay, 0, sizeof *lay);
    ctx c = {r, f, f->scale, 0};
    lay->w = px(&c, AT_OVERLAY_W);
    lay->h = px(&c, st->compact ? AT_OVERLAY_STRIP_H : AT_OVERLAY_H);
    lay->talk_split_x = lay->needle_x = -1;
    fill(&c, rect(&c, 0, 0, AT_OVERLAY_W, AT_OVERLAY_H), at_overlay_bg);
    draw_top(&c, st, lay);
    if (!st->compact) {
        SDL_Rect rule = rect(&c, 12, AT_OVERLAY_STRIP_H, AT_OVERLAY_W - 24, 1);
        fill(&c, rule, track_c);
        draw_talk(&c, st, lay);
        draw_pace(&c, st, lay);
        draw_patience(&c, st);
    }
    return c.fail ? -1 : 0;
}
