/* report: `attune report CALL [-o call.html]`, the coach's report of one
 * recorded call (report_html.c), from the same analysis as analyze. */
#include "report.h"

#include "cli.h"
#include "report_html.h"
#include "run.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int at_write_report_html(const char *html_path, const at_result *r, const at_run_opts *o,
                         char *err, size_t err_len)
{
    char dir[4096], rel[4096], href[3 * 4096];
    snprintf(dir, sizeof dir, "%s", html_path);
    at_relative_path(rel, sizeof rel, dirname(dir), r->file);
    at_url_path(href, sizeof href, rel);
    const at_goal_cfg *listening = &o->goals.goal[AT_GOAL_LISTENING];
    at_html_opts h = {
        .audio_href = href,
        .talk_target = listening->enabled ? listening->threshold : AT_TALK_TARGET,
        .profile = o->goals.name[0] ? o->goals.name : "default",
    };
    FILE *f = fopen(html_path, "w");
    if (!f) {
        snprintf(err, err_len, "cannot write %s (%s)", html_path, strerror(errno));
        return -1;
    }
    at_report_html(f, r, &h);
    if (fclose(f)) {
        snprintf(err, err_len, "cannot write %s (%s)", html_path, strerror(errno));
        return -1;
    }
    return 0;
}

void at_call_name(char *out, size_t len, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    int n = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(out, len, "%.*s", n, base);
}

int at_cmd_report(int argc, char **argv)
{
    at_run_opts o;
    at_run_opts_init(&o);
    const char *out = NULL, *call = NULL;
    for (int i = 1; i < argc; i++) {
        int r = at_run_arg(&o, argc, argv, &i);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            at_error(argv[i], "unknown option (usage: attune report [options] CALL [-o FILE])");
            return 2;
        } else if (call) {
            at_error(argv[i], "one call per report (attune batch takes many)");
            return 2;
        } else {
            call = argv[i];
        }
    }
    if (!call) {
        at_error("report", "no call given (usage: attune report [options] CALL [-o FILE])");
        return 2;
    }
    if (at_run_ready(&o))
        return 2;
    char name[4096], err[512];
    if (!out) {
        at_call_name(name, sizeof name - 5, call);
        strcat(name, ".html");   /* the call's name, here */
        out = name;
    }
    at_result r;
    at_result_init(&r);
    int rc = at_run_file(&o, call, &r, err, sizeof err);
    if (rc == 0)
        rc = at_write_report_html(out, &r, &o, err, sizeof err);
    if (rc != 0)
        at_error(call, "%s", err);
    at_result_free(&r);
    return rc ? 1 : 0;
}
