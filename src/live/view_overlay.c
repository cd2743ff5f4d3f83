/* view_overlay: the agent's overlay window (see view.h).  SDL2 belongs to
 * one thread here, the view's own: it opens the window, reads keys and
 * draws 20 frames a second with overlay_render.c.  The main thread only
 * hands it copies of the snapshot and the alert changes, under a mutex
 * neither the DSP nor the capture ever touches, and collects the agent's
 * keys through an atomic; so a slow X server can stall the picture, never
 * the audio. */
#include "overlay_render.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FRAME_MS 50        /* 20 frames a second */
#define MARGIN 16          /* from the screen's edge, at scale 1 */
#define OPACITY 0.92f      /* slightly translucent where a compositor allows */

typedef struct shown {
    int id;
    at_severity severity;
    double t_s;
    char message[160];
} shown;

typedef struct overlay_view {
    at_overlay_pos pos;
    double scale;
    pthread_t thread;
    pthread_mutex_t lock;          /* guards st and alerts */
    at_overlay_state st;
    shown alerts[AT_N_GOALS];      /* by goal; id 0 = none */
    atomic_int action;             /* an at_view_action the thread saw */
    atomic_int ready;              /* 0 opening, 1 up, -1 failed */
    atomic_int stop;
    char err[256];
} overlay_view;

/* The alert to show: the most severe, then the newest. */
static void pick_alert(overlay_view *v)
{
    int best = -1, n = 0;
    for (int g = 0; g < AT_N_GOALS; g++) {
        const shown *a = &v->alerts[g];
        if (!a->id)
            continue;
        n++;
        if (best < 0 || a->severity > v->alerts[best].severity ||
            (a->severity == v->alerts[best].severity && a->t_s >= v->alerts[best].t_s))
            best = g;
    }
    v->st.has_alert = best >= 0;
    v->st.n_alerts = n;
    if (best < 0)
        return;
    v->st.goal = (at_goal_id)best;
    v->st.severity = v->alerts[best].severity;
    snprintf(v->st.message, sizeof v->st.message, "%s", v->alerts[best].message);
}

static void update(void *self, const at_snapshot *s)
{
    overlay_view *v = self;
    pthread_mutex_lock(&v->lock);
    v->st.snap = *s;
    pthread_mutex_unlock(&v->lock);
}

static void alert(void *self, const at_alert *a)
{
    overlay_view *v = self;
    pthread_mutex_lock(&v->lock);
    shown *s = &v->alerts[a->goal];
    if (a->kind == AT_ALERT_FIRED) {
        s->id = a->id;
        s->severity = a->severity;
        s->t_s = a->t_s;
        snprintf(s->message, sizeof s->message, "%s", a->message);
    } else if (s->id == a->id) {
        s->id = 0;
    }
    pick_alert(v);
    pthread_mutex_unlock(&v->lock);
}

static at_view_action poll_keys(void *self)
{
    overlay_view *v = self;
    return (at_view_action)atomic_exchange(&v->action, AT_VIEW_NOTHING);
}

/* The whole window is a handle: a borderless window has no title bar. */
static SDL_HitTestResult drag_anywhere(SDL_Window *w, const SDL_Point *p, void *data)
{
    (void)w, (void)p, (void)data;
    return SDL_HITTEST_DRAGGABLE;
}

/* The window's top-left corner for a corner of the first display. */
static void corner(at_overlay_pos pos, double k, int h, int *x, int *y)
{
    SDL_Rect b;
    *x = *y = (int)SDL_WINDOWPOS_UNDEFINED;
    if (SDL_GetDisplayUsableBounds(0, &b) != 0)
        return;
    int ww = (int)(AT_OVERLAY_W * k), m = (int)(MARGIN * k);
    *x = pos == AT_OVERLAY_TOP_LEFT || pos == AT_OVERLAY_BOTTOM_LEFT ? b.x + m : b.x + b.w - ww - m;
    *y = pos == AT_OVERLAY_TOP_LEFT || pos == AT_OVERLAY_TOP_RIGHT ? b.y + m : b.y + b.h - h - m;
}

static void on_key(overlay_view *v, SDL_Keycode key, SDL_Window *w)
{
    if (key == SDLK_d) {
        atomic_store(&v->action, AT_VIEW_DISMISS);
    } else if (key == SDLK_q) {
        atomic_store(&v->action, AT_VIEW_QUIT);
    } else if (key == SDLK_h) {
        /* Details hidden: the strip alone, still showing alerts; it grows
         * towards the screen's middle from the corner it sits in. */
        pthread_mutex_lock(&v->lock);
        v->st.compact = !v->st.compact;
        int compact = v->st.compact;
        pthread_mutex_unlock(&v->lock);
        int x, y, old_h, new_h = (int)((compact ? AT_OVERLAY_STRIP_H : AT_OVERLAY_H) * v->scale);
        SDL_GetWindowPosition(w, &x, &y);
        SDL_GetWindowSize(w, NULL, &old_h);
        SDL_SetWindowSize(w, (int)(AT_OVERLAY_W * v->scale), new_h);
        if (v->pos == AT_OVERLAY_BOTTOM_LEFT || v->pos == AT_OVERLAY_BOTTOM_RIGHT)
            SDL_SetWindowPosition(w, x, y + old_h - new_h);
    }
}

static int open_window(overlay_view *v, SDL_Window **w, SDL_Renderer **r, at_overlay_fonts **f)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");     /* live handles SIGINT, SIGTERM */
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(v->err, sizeof v->err, "no display for the overlay (SDL: %s)", SDL_GetError());
        return -1;
    }
    if (TTF_Init() != 0) {
        snprintf(v->err, sizeof v->err, "SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    *f = at_overlay_fonts_open(v->scale, v->err, sizeof v->err);
    if (!*f)
        return -1;
    int h = (int)(AT_OVERLAY_H * v->scale), x, y;
    corner(v->pos, v->scale, h, &x, &y);
    *w = SDL_CreateWindow("attune", x, y, (int)(AT_OVERLAY_W * v->scale), h,
                          SDL_WINDOW_BORDERLESS | SDL_WINDOW_ALWAYS_ON_TOP |
                              SDL_WINDOW_SKIP_TASKBAR | SDL_WINDOW_UTILITY);
    if (!*w) {
        snprintf(v->err, sizeof v->err, "cannot open the overlay window (SDL: %s)",
                 SDL_GetError());
        return -1;
    }
    SDL_SetWindowOpacity(*w, OPACITY);                 /* without a compositor: opaque */
    SDL_SetWindowHitTest(*w, drag_anywhere, NULL);
    *r = SDL_CreateRenderer(*w, -1, 0);
    if (!*r)
        *r = SDL_CreateRenderer(*w, -1, SDL_RENDERER_SOFTWARE);
    if (!*r) {
        snprintf(v->err, sizeof v->err, "cannot draw in the overlay (SDL: %s)", SDL_GetError());
        return -1;
    }
    return 0;
}

static void *run(void *arg)
{
    overlay_view *v = arg;
    SDL_Window *w = NULL;
    SDL_Renderer *r = NULL;
    at_overlay_fonts *f = NULL;
    if (open_window(v, &w, &r, &f) != 0) {
        atomic_store(&v->ready, -1);
        goto done;
    }
    atomic_store(&v->ready, 1);
    at_overlay_state st;
    while (!atomic_load(&v->stop)) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            if (e.type == SDL_QUIT)
                atomic_store(&v->action, AT_VIEW_QUIT);
            else if (e.type == SDL_KEYDOWN && !e.key.repeat)
                on_key(v, e.key.keysym.sym, w);
        }
        pthread_mutex_lock(&v->lock);
        st = v->st;
        pthread_mutex_unlock(&v->lock);
        at_overlay_render(r, f, &st, NULL);
        SDL_RenderPresent(r);
        SDL_Delay(FRAME_MS);
    }
done:
    at_overlay_fonts_free(f);
    if (r)
        SDL_DestroyRenderer(r);
    if (w)
        SDL_DestroyWindow(w);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    return NULL;
}

static void overlay_close(void *self)
{
    overlay_view *v = self;
    atomic_store(&v->stop, 1);
    pthread_join(v->thread, NULL);
    pthread_mutex_destroy(&v->lock);
    free(v);
}

static const at_view_ops overlay_ops = {"overlay", update, alert, poll_keys, overlay_close};

int at_view_overlay_open(at_view *view, const at_view_targets *t, at_overlay_pos pos,
                         double scale, char *err, size_t err_len)
{
    overlay_view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    v->pos = pos;
    v->scale = scale;
    v->st.targets = *t;
    v->st.snap.share_window = v->st.snap.last_gap_s = NAN;
    for (int g = 0; g < AT_N_GOALS; g++)
        v->st.snap.value[g] = NAN;
    pthread_mutex_init(&v->lock, NULL);
    if (pthread_create(&v->thread, NULL, run, v) != 0) {
        snprintf(err, err_len, "cannot start the overlay's thread");
        pthread_mutex_destroy(&v->lock);
        free(v);
        return -1;
    }
    /* The window opens on the view's thread; wait to know it did. */
    while (atomic_load(&v->ready) == 0) {
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&v->ready) < 0) {
        snprintf(err, err_len, "%s", v->err);
        overlay_close(v);
        return -1;
    }
    view->ops = &overlay_ops;
    view->self = v;
    return 0;
}
