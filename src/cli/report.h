/* report: writing the coach's report of an analysed call (report.c), for
 * `attune report` and `attune batch`. */
#ifndef ATTUNE_REPORT_H
#define ATTUNE_REPORT_H

#include "result.h"
#include "run.h"

#include <stddef.h>

/* The agent's talk share target when the goals profile has no listening
 * goal: the default profile's listening threshold (models/goals). */
#define AT_TALK_TARGET 0.65

/* Writes r's report to html_path, its player pointing at r->file relative to
 * the page's folder.  Returns 0, or -1 with a one-line reason in err. */
int at_write_report_html(const char *html_path, const at_result *r, const at_run_opts *o,
                         char *err, size_t err_len);

/* A call's name: the base name of its path without the extension. */
void at_call_name(char *out, size_t len, const char *path);

#endif
