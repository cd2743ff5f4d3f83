/* overlay_render: one frame of the agent's overlay, drawn from what the
 * view knows (the newest metrics snapshot, the alert being shown, the
 * profile's targets) at a scale.  A pure function of its input: no
 * clock, no window, no global state, so tests render it offscreen into an
 * SDL_Surface and check pixels.  The window (view_overlay.c) calls the
 * same function 20 times a second. */
#ifndef ATTUNE_OVERLAY_RENDER_H
#define ATTUNE_OVERLAY_RENDER_H

#include "view.h"

#include <SDL.h>
#include <SDL_ttf.h>

/* The size at scale 1, in pixels; the compact form is the top strip. */
#define AT_OVERLAY_W 360
#define AT_OVERLAY_H 140
#define AT_OVERLAY_STRIP_H 46

typedef struct at_overlay_state {
    at_snapshot snap;
    at_view_targets targets;
    int has_alert;                 /* an alert is showing */
    at_goal_id goal;               /* ...for this goal */
    at_severity severity;
    char message[160];
    int n_alerts;                  /* active alerts (more than the one shown) */
    int compact;                   /* h: the top strip only */
} at_overlay_state;

/* Where things were drawn, in pixels of the target, for tests. */
typedef struct at_overlay_layout {
    int w, h;
    SDL_Rect banner;               /* the alert banner (w 0 when none) */
    SDL_Rect talk_bar, pace_gauge, pace_band;
    int talk_split_x;              /* end of the agent's part; -1 when no talk yet */
    int target_x;                  /* the listening target's mark */
    int needle_x;                  /* the pace needle; -1 when no pace */
} at_overlay_layout;

/* The palette (Okabe & Ito 2008, safe for the common colour-vision
 * deficiencies); severity also shows as a word and an icon. */
extern const SDL_Color at_overlay_bg, at_overlay_agent, at_overlay_customer,
    at_overlay_band, at_overlay_needle, at_overlay_severity[3];

typedef struct at_overlay_fonts at_overlay_fonts;

/* DejaVu Sans (Debian fonts-dejavu-core) at scale (0.5..4); TTF_Init()
 * must have been called.  NULL with a one-line reason in err. */
at_overlay_fonts *at_overlay_fonts_open(double scale, char *err, size_t err_len);
void at_overlay_fonts_free(at_overlay_fonts *f);

/* Draws the frame for st on r (a window's renderer or a software renderer
 * on a surface of at least the layout's size) with fonts opened at the
 * same scale.  Fills *lay when not NULL.  0, or -1 when SDL fails. */
int at_overlay_render(SDL_Renderer *r, const at_overlay_fonts *f, const at_overlay_state *st,
                      at_overlay_layout *lay);

#endif
