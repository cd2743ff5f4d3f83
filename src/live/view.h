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

/* The terminal view on `out`: redrawn in place on a terminal (keys d and q
 * when keys is nonzero and stdin is a terminal), plain lines otherwise.
 * 0, or -1 when out of memory. */
int at_view_term_open(at_view *v, FILE *out, const char *source, int keys);

#endif
