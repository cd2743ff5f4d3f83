/* report_html: the coach's report of one call, a self-contained HTML page
 * (inline CSS, SVG and a little plain JavaScript; nothing from the network). */
#ifndef ATTUNE_REPORT_HTML_H
#define ATTUNE_REPORT_HTML_H

#include "result.h"

#include <stddef.h>
#include <stdio.h>

typedef struct at_html_opts {
    const char *audio_href;    /* the call's file as a URL relative to the page; NULL: no player */
    double talk_target;        /* the agent's talk share target, 0..1 */
    const char *profile;       /* the goals profile's name */
} at_html_opts;

void at_report_html(FILE *out, const at_result *r, const at_html_opts *o);

/* The page's script and style (report_assets.c), NULL-terminated lines. */
extern const char *const at_report_css[];
extern const char *const at_report_js[];

/* Writes s with &, <, >, " and ' escaped. */
void at_html_text(FILE *out, const char *s);

/* The path of file relative to the folder dir; "" when either cannot be
 * found.  Both may be relative to the current folder. */
void at_relative_path(char *out, size_t len, const char *dir, const char *file);

/* A relative path as a URL path: percent-encoded but for / - . _ ~. */
void at_url_path(char *out, size_t len, const char *path);

#endif
