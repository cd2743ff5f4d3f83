/* test_overlay_render: overlay frames rendered offscreen (SDL's software
 * renderer on a surface), checked pixel by pixel: the banner only while a
 * goal has slipped, the talk-share split within 2 px of the share, the
 * pace needle in the right band, the same layout at scale 2.  Each frame
 * is kept as a BMP in the folder given as argv[1]. */
#include "overlay_render.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *out_dir = ".";

typedef struct frame {
    SDL_Surface *s;
    at_overlay_layout lay;
} frame;

static at_overlay_state calm_state(void)
{
    at_overlay_state st;
    memset(&st, 0, sizeof st);
    at_goals_profile p;
    at_goals_profile_default(&p);
    at_view_targets_init(&st.targets, &p);
    st.snap.t_s = 143.2;
    st.snap.m.party[0].talk_s = 50;
    st.snap.m.party[1].talk_s = 50;
    for (int g = 0; g < AT_N_GOALS; g++)
        st.snap.value[g] = NAN;
    st.snap.share_window = 0.40;
    st.snap.value[AT_GOAL_PACE] = 150;
    st.snap.value[AT_GOAL_INTERRUPTIONS] = 1;
    st.snap.last_gap_s = 0.6;
    return st;
}

static at_overlay_state alert_state(void)
{
    at_overlay_state st = calm_state();
    st.snap.share_window = 0.72;
    st.has_alert = 1;
    st.n_alerts = 1;
    st.goal = AT_GOAL_LISTENING;
    st.severity = AT_SEV_WARNING;
    snprintf(st.message, sizeof st.message,
             "You've talked 72 %% of the last 2 minutes: ask a question and listen");
    return st;
}

/* Renders st at scale k and keeps the image as NAME.bmp. */
static frame render(const at_overlay_state *st, double k, const char *name)
{
    char err[256];
    at_overlay_fonts *f = at_overlay_fonts_open(k, err, sizeof err);
    if (!f)
        fail_msg("%s", err);
    frame fr;
    fr.s = SDL_CreateRGBSurfaceWithFormat(0, (int)(AT_OVERLAY_W * k), (int)(AT_OVERLAY_H * k), 32,
                                          SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(fr.s);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(fr.s);
    assert_non_null(r);
    assert_int_equal(at_overlay_render(r, f, st, &fr.lay), 0);
    SDL_RenderPresent(r);
    SDL_DestroyRenderer(r);
    at_overlay_fonts_free(f);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.bmp", out_dir, name);
    assert_int_equal(SDL_SaveBMP(fr.s, path), 0);
    return fr;
}

static SDL_Color pixel(const SDL_Surface *s, int x, int y)
{
    Uint32 v = ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
    SDL_Color c = {0, 0, 0, 0xff};
    SDL_GetRGB(v, s->format, &c.r, &c.g, &c.b);
    return c;
}

static int same(SDL_Color a, SDL_Color b)
{
    return abs(a.r - b.r) <= 2 && abs(a.g - b.g) <= 2 && abs(a.b - b.b) <= 2;
}

/* Pixels of colour c in a rectangle. */
static int count(const SDL_Surface *s, SDL_Rect q, SDL_Color c)
{
    int n = 0;
    for (int y = q.y; y < q.y + q.h; y++)
        for (int x = q.x; x < q.x + q.w; x++)
            n += same(pixel(s, x, y), c);
    return n;
}

/* The first and one past the last x of colour c on row y, or -1. */
static void span(const SDL_Surface *s, int y, SDL_Color c, int *x0, int *x1)
{
    *x0 = *x1 = -1;
    for (int x = 0; x < s->w; x++) {
        if (!same(pixel(s, x, y), c))
            continue;
        if (*x0 < 0)
            *x0 = x;
        *x1 = x + 1;
    }
}

static void banner_only_while_alerting(void **state)
{
    (void)state;
    at_overlay_state calm = calm_state(), alert = alert_state();
    frame a = render(&calm, 1, "calm");
    SDL_Rect top = {0, 0, a.s->w, AT_OVERLAY_STRIP_H};
    for (int sev = 0; sev < 3; sev++)
        if (sev != AT_SEV_INFO)   /* info shares the agent's blue, used below the strip */
            assert_int_equal(count(a.s, top, at_overlay_severity[sev]), 0);
    assert_int_equal(a.lay.banner.w, 0);
    frame b = render(&alert, 1, "alert_warning");
    assert_true(b.lay.banner.w > 0);
    /* The severity stripe down the banner's left edge, in the warning colour. */
    assert_true(count(b.s, (SDL_Rect){0, 0, 6, AT_OVERLAY_STRIP_H}, at_overlay_severity[1]) >=
                6 * AT_OVERLAY_STRIP_H - 4);
    alert.severity = AT_SEV_CRITICAL;
    frame c = render(&alert, 1, "alert_critical");
    assert_true(count(c.s, (SDL_Rect){0, 0, 6, AT_OVERLAY_STRIP_H}, at_overlay_severity[2]) >=
                6 * AT_OVERLAY_STRIP_H - 4);
    assert_int_equal(count(c.s, (SDL_Rect){0, 0, 6, AT_OVERLAY_STRIP_H}, at_overlay_severity[1]),
                     0);
    /* Cleared: the calm frame again. */
    alert.has_alert = 0;
    frame d = render(&alert, 1, "alert_cleared");
    assert_int_equal(count(d.s, top, at_overlay_severity[1]), 0);
    SDL_FreeSurface(a.s), SDL_FreeSurface(b.s), SDL_FreeSurface(c.s), SDL_FreeSurface(d.s);
}

static void talk_split_follows_share(void **state)
{
    (void)state;
    const double shares[] = {0.0, 0.2, 0.5, 0.8, 1.0};
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++) {
        at_overlay_state st = calm_state();
        st.snap.share_window = shares[i];
        char name[32];
        snprintf(name, sizeof name, "talk_%.0f", 100 * shares[i]);
        frame f = render(&st, 1, name);
        const SDL_Rect *bar = &f.lay.talk_bar;
        int y = bar->y + bar->h / 2, x0, x1;
        span(f.s, y, at_overlay_agent, &x0, &x1);
        int split = x1 < 0 ? bar->x : x1;
        double want = bar->x + shares[i] * bar->w;
        if (fabs(split - want) > 2)
            fail_msg("share %.2f: split at x %d, expected %.1f", shares[i], split, want);
        if (x0 >= 0)
            assert_int_equal(x0, bar->x);
        SDL_FreeSurface(f.s);
    }
}

/* The needle's centre on the gauge's middle row, -1 when none. */
static int needle(const frame *f)
{
    int x0, x1;
    span(f->s, f->lay.pace_gauge.y + f->lay.pace_gauge.h / 2, at_overlay_needle, &x0, &x1);
    return x0 < 0 ? -1 : (x0 + x1) / 2;
}

static void pace_needle_in_band(void **state)
{
    (void)state;
    at_overlay_state st = calm_state();
    frame in = render(&st, 1, "pace_150");
    const SDL_Rect *band = &in.lay.pace_band;
    int x = needle(&in);
    assert_true(x > band->x && x < band->x + band->w);
    st.snap.value[AT_GOAL_PACE] = 200;   /* above the default 185 */
    frame fast = render(&st, 1, "pace_200");
    assert_true(needle(&fast) > band->x + band->w);
    st.snap.value[AT_GOAL_PACE] = 100;   /* below the default 120 */
    frame slow = render(&st, 1, "pace_100");
    x = needle(&slow);
    assert_true(x >= 0 && x < band->x);
    st.snap.value[AT_GOAL_PACE] = NAN;   /* no pace measured: no needle */
    frame none = render(&st, 1, "pace_none");
    assert_int_equal(needle(&none), -1);
    SDL_FreeSurface(in.s), SDL_FreeSurface(fast.s), SDL_FreeSurface(slow.s);
    SDL_FreeSurface(none.s);
}

static void same_layout_at_scale_2(void **state)
{
    (void)state;
    at_overlay_state st = alert_state();
    frame a = render(&st, 1, "scale1");
    frame b = render(&st, 2, "scale2");
    assert_int_equal(b.s->w, 2 * a.s->w);
    assert_int_equal(b.s->h, 2 * a.s->h);
    const SDL_Rect *ra[] = {&a.lay.banner, &a.lay.talk_bar, &a.lay.pace_gauge, &a.lay.pace_band};
    const SDL_Rect *rb[] = {&b.lay.banner, &b.lay.talk_bar, &b.lay.pace_gauge, &b.lay.pace_band};
    for (int i = 0; i < 4; i++) {
        assert_true(abs(rb[i]->x - 2 * ra[i]->x) <= 2 && abs(rb[i]->y - 2 * ra[i]->y) <= 2);
        assert_true(abs(rb[i]->w - 2 * ra[i]->w) <= 2 && abs(rb[i]->h - 2 * ra[i]->h) <= 2);
    }
    /* Measured on the pixels, not the layout: the split and the needle. */
    int x0, a1, b1;
    span(a.s, a.lay.talk_bar.y + a.lay.talk_bar.h / 2, at_overlay_agent, &x0, &a1);
    span(b.s, b.lay.talk_bar.y + b.lay.talk_bar.h / 2, at_overlay_agent, &x0, &b1);
    assert_true(abs(b1 - 2 * a1) <= 3);
    assert_true(abs(needle(&b) - 2 * needle(&a)) <= 3);
    /* The banner's stripe at the same place. */
    assert_true(same(pixel(b.s, 4, 60), at_overlay_severity[1]) &&
                same(pixel(a.s, 2, 30), at_overlay_severity[1]));
    SDL_FreeSurface(a.s), SDL_FreeSurface(b.s);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        out_dir = argv[1];
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "test_overlay_render: SDL: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(banner_only_while_alerting),
        cmocka_unit_test(talk_split_follows_share),
        cmocka_unit_test(pace_needle_in_band),
        cmocka_unit_test(same_layout_at_scale_2),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return failed;
}
