/* view: what the agent sees during a call.  A view gets the newest metrics
 * snapshot about four times a second and every alert change as it happens,
 * both on the main thread, and may report the agent's input (dismiss,
 * quit).  Every view (the terminal here; an overlay window later) fills the
 * same function table, so `attune live` does not care which one runs. */
#ifndef ATTUNE_VIEW_H
#define ATTUNE_VIEW_H

#include "goals.h"
#include "snapshot.h"

#include <stdio.h>

typedef enum at_view_action { AT_VIEW_NOTHING, AT_VIEW_DISMISS, AT_VIEW_QUIT } at_view_action;

typedef struct at_view_ops {
    const char *name;
    void (*update)(void *self, const at_snapshot *s);
    void (*alert)(void *self, const at_alert *a);
    at_view_action (*poll)(void *self);   /* never blocks */
    void (*close)(void *self);
} at_view_ops;

typedef struct at_view {
    const at_view_ops *ops;
    void *self;
} at_view;

/* What the views draw the measures against: the profile's thresholds. */
typedef struct at_view_targets {
    double share_max;              /* listening: the agent's share of the window */
    double pace_low_wpm, pace_high_wpm;
    double interruptions_max;      /* in the window */
    int pace_on, stress_on;        /* the goal is enabled */
} at_view_targets;

void at_view_targets_init(at_view_targets *t, const at_goals_profile *p);

/* The terminal view on `out`: redrawn in place on a terminal (keys d and q
 * when keys is nonzero and stdin is a terminal; ANSI colour unless the
 * terminal is "dumb" or NO_COLOR is set), plain lines otherwise.  0, or -1
 * when out of memory. */
int at_view_term_open(at_view *v, FILE *out, const char *source, const at_view_targets *t,
                      int keys);

/* Where the overlay window sits: a corner of the screen. */
typedef enum at_overlay_pos {
    AT_OVERLAY_BOTTOM_RIGHT, AT_OVERLAY_BOTTOM_LEFT, AT_OVERLAY_TOP_RIGHT, AT_OVERLAY_TOP_LEFT
} at_overlay_pos;

/* The overlay window (view_overlay.c, built where SDL2 and SDL2_ttf are):
 * borderless, always on top, 360x140 times scale (0.5..4), in a corner,
 * drawn by its own thread from the snapshots update() hands it.  Keys d
 * (dismiss), h (details hidden/shown), q (quit); drag to move.  0, or -1
 * with a one-line reason in err (no display, no font). */
int at_view_overlay_open(at_view *v, const at_view_targets *t, at_overlay_pos pos, double scale,
                         char *err, size_t err_len);

#endif
