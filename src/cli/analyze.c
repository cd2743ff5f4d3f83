/* analyze: `attune analyze FILE...`, the offline analysis of recorded calls.
 * Each file runs through the same streaming pipeline as live audio (run.c,
 * shared with report and batch); a bad file gets one line on stderr and the
 * others still run. */
#include "attune/attune.h"
#include "annot.h"
#include "cli.h"
#include "result.h"
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct options {
    int json, rttm, textgrid;
    const char *out_dir;       /* -o DIR: each file's outputs go to DIR/<name>.<ext> */
    at_run_opts run;           /* channels, speakers, config, goals, stress */
} options;

/* Returns the index of the first file argument, or -1 on a usage error. */
static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    at_run_opts_init(&o->run);
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        const char *a = argv[i];
        int r = at_run_arg(&o->run, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--rttm")) {
            o->rttm = 1;
        } else if (!strcmp(a, "--textgrid")) {
            o->textgrid = 1;
        } else if (!strcmp(a, "-o")) {
            if (i + 1 >= argc) {
                at_error(a, "expects a directory");
                return -1;
            }
            o->out_dir = argv[++i];
        } else {
            at_error(a, "unknown option (try: attune help)");
            return -1;
        }
    }
    if (at_run_ready(&o->run))
        return -1;
    if (!o->out_dir && o->json + o->rttm + o->textgrid > 1) {
        at_error("analyze", "several output formats need -o DIR");
        return -1;
    }
    if (!o->out_dir && o->textgrid && argc - i > 1) {
        at_error("--textgrid", "one TextGrid per file: with several files give -o DIR");
        return -1;
    }
    if (i >= argc) {
        at_error("analyze", "no file given (usage: attune analyze [options] FILE...)");
        return -1;
    }
    return i;
}

/* Runs one file; returns 0 or -1 after reporting. */
static int run_file(const options *o, const char *path, at_result *r)
{
    char err[320];
    if (at_run_file(&o->run, path, r, err, sizeof err) == 0)
        return 0;
    at_error(path, "%s", err);
    return -1;
}

typedef enum { OUT_TEXT, OUT_JSON, OUT_RTTM, OUT_TEXTGRID } out_format;

static void write_format(FILE *out, out_format fmt, const at_result *r)
{
    if (fmt == OUT_TEXT || fmt == OUT_JSON) {
        (fmt == OUT_JSON ? at_report_json : at_report_text)(out, r);
        return;
    }
    at_annot a;
    at_annot_from_result(&a, r);
    (fmt == OUT_RTTM ? at_rttm_write : at_textgrid_write)(out, &a);
    at_annot_free(&a);
}

/* To stdout, or with -o DIR to DIR/<name>.<ext>, name the audio's base name. */
static int write_one(const options *o, out_format fmt, const at_result *r)
{
    static const char *const ext[] = {"txt", "json", "rttm", "TextGrid"};
    if (!o->out_dir) {
        write_format(stdout, fmt, r);
        return fflush(stdout) ? -1 : 0;
    }
    char id[256], path[4096];
    at_file_id(id, sizeof id, r->file);
    snprintf(path, sizeof path, "%s/%s.%s", o->out_dir, id, ext[fmt]);
    FILE *f = fopen(path, "w");
    if (!f) {
        at_error(path, "cannot write (%s)", strerror(errno));
        return -1;
    }
    write_format(f, fmt, r);
    if (fclose(f)) {
        at_error(path, "write error");
        return -1;
    }
    return 0;
}

static int write_outputs(const options *o, const at_result *r)
{
    if (r->oom) {
        at_error(r->file, "out of memory");
        return -1;
    }
    int rc = 0, any = o->json || o->rttm || o->textgrid;
    if (!any)
        rc |= write_one(o, OUT_TEXT, r);
    if (o->json)
        rc |= write_one(o, OUT_JSON, r);
    if (o->rttm)
        rc |= write_one(o, OUT_RTTM, r);
    if (o->textgrid)
        rc |= write_one(o, OUT_TEXTGRID, r);
    return rc;
}

int at_cmd_analyze(int argc, char **argv)
{
    options o;
    int first = parse_options(argc, argv, &o);
    if (first < 0)
        return 2;
    int n_failed = 0;
    for (int i = first; i < argc; i++) {
        at_result r;
        at_result_init(&r);
        if (run_file(&o, argv[i], &r) != 0 || write_outputs(&o, &r) != 0)
            n_failed++;
        at_result_free(&r);
    }
    return n_failed ? 1 : 0;
}
