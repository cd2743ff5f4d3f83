/* batch_table: the tables of a batch of calls (see batch.h).  summary.csv
 * holds one row per call, each call's own NAME.csv the same row, so a
 * re-run, a merge and the index all read rows back from CSV the one way. */
#include "batch.h"

#include "cli.h"
#include "report_html.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const at_batch_columns[AT_N_COLS] = {
    "file", "report", "duration_s", "agent_talk_share", "customer_talk_share",
    "agent_interruptions", "customer_interruptions", "agent_patience_s", "customer_patience_s",
    "agent_wpm", "customer_wpm", "dead_air_s", "customer_stress_peak", "goals_slipped", "error",
};

/* ------------------------------------------------------------ writing rows */

/* A field, quoted when it holds a comma, a quote or a line break (which
 * become spaces: a row is one line). */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputs("\"\"", out);
        else
            fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
    fputc('"', out);
}

void at_batch_header(FILE *out)
{
    for (int c = 0; c < AT_N_COLS; c++)
        fprintf(out, "%s%s", c ? "," : "", at_batch_columns[c]);
    fputc('\n', out);
}

static void num_or_empty(FILE *out, double v, int decimals)
{
    fputc(',', out);
    if (v >= 0)
        fprintf(out, "%.*f", decimals, v);
}

void at_batch_row(FILE *out, const at_result *r, const char *report)
{
    const attune_party_metrics *a = &r->m.party[0], *c = &r->m.party[1];
    csv_field(out, r->file);
    fputc(',', out);
    csv_field(out, report);
    fprintf(out, ",%.2f", r->m.duration_s);
    if (r->n_parties == 2) {
        double all = a->talk_s + c->talk_s;
        fprintf(out, ",%.4f,%.4f,%d,%d", all > 0 ? a->talk_s / all : 0.0,
                all > 0 ? c->talk_s / all : 0.0, a->n_interruptions_made,
                c->n_interruptions_made);
        num_or_empty(out, a->patience_s, 3);
        num_or_empty(out, c->patience_s, 3);
        num_or_empty(out, a->wpm, 1);
        num_or_empty(out, c->wpm, 1);
        fprintf(out, ",%.2f", r->m.dead_air_s);
    } else {
        fputs(",,,,,,,,,", out);   /* one speaker: no parties to compare */
    }
    /* No stress measure yet: the column stays empty. */
    fprintf(out, ",,%zu,\n", r->goals.n);
}

void at_batch_error_row(FILE *out, const char *file, const char *error)
{
    csv_field(out, file);
    for (int c = 1; c < AT_COL_ERROR; c++)
        fputc(',', out);
    fputc(',', out);
    csv_field(out, error);
    fputc('\n', out);
}

/* ------------------------------------------------------------ reading rows */

int at_csv_split(const char *line, char **fields, int max)
{
    int n = 0;
    const char *p = line;
    size_t len = strlen(line);
    for (;;) {
        char *f = malloc(len + 1);
        if (!f)
            goto oom;
        size_t k = 0;
        if (*p == '"') {
            for (p++; *p; p++) {
                if (*p == '"' && p[1] == '"')
                    f[k++] = *p++;
                else if (*p == '"')
                    break;
                else
                    f[k++] = *p;
            }
            if (*p == '"')
                p++;
        }
        for (; *p && *p != ',' && *p != '\n' && *p != '\r'; p++)
            f[k++] = *p;
        f[k] = '\0';
        if (n < max)
            fields[n++] = f;
        else
            free(f);
        if (*p != ',')
            return n;
        p++;
    }
oom:
    while (n > 0)
        free(fields[--n]);
    return -1;
}

int at_rows_add(at_rows *rows, char *const *fields, int n)
{
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? 2 * rows->cap : 64;
        at_row *nv = realloc(rows->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        rows->v = nv;
        rows->cap = cap;
    }
    at_row *r = &rows->v[rows->n];
    for (int c = 0; c < AT_N_COLS; c++) {
        r->f[c] = strdup(c < n && fields[c] ? fields[c] : "");
        if (!r->f[c]) {
            while (c-- > 0)
                free(r->f[c]);
            return -1;
        }
    }
    rows->n++;
    return 0;
}

void at_rows_free(at_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++)
        for (int c = 0; c < AT_N_COLS; c++)
            free(rows->v[i].f[c]);
    free(rows->v);
    memset(rows, 0, sizeof *rows);
}

static void free_fields(char **f, int n)
{
    for (int i = 0; i < n; i++)
        free(f[i]);
}

/* Which of our columns each of the file's columns is (-1: not ours). */
static int header_map(const char *line, int *map, int max)
{
    char *h[64];
    int n = at_csv_split(line, h, 64), found_file = 0;
    for (int i = 0; i < n && i < max; i++) {
        map[i] = -1;
        for (int c = 0; c < AT_N_COLS; c++)
            if (!strcmp(h[i], at_batch_columns[c]))
                map[i] = c;
        found_file |= map[i] == AT_COL_FILE;
    }
    free_fields(h, n);
    return found_file ? n : -1;
}

/* The report's path, relative to the CSV's folder, made relative to out_dir
 * ("" when the report is not there). */
static void rebase_report(char *out, size_t len, const char *report, const char *csv_path,
                          const char *out_dir)
{
    char dir[4096], path[8192];
    snprintf(dir, sizeof dir, "%s", csv_path);
    snprintf(path, sizeof path, "%s/%s", dirname(dir), report);
    at_relative_path(out, len, out_dir, path);
}

static int add_line(at_rows *rows, const char *line, const int *map, int n_map,
                    const char *path, const char *out_dir)
{
    char *in[64], *out[AT_N_COLS] = {0}, report[4096];
    int n = at_csv_split(line, in, 64);
    if (n < 0)
        return -1;
    for (int i = 0; i < n && i < n_map; i++)
        if (map[i] >= 0)
            out[map[i]] = in[i];
    if (out[AT_COL_REPORT] && out[AT_COL_REPORT][0]) {
        rebase_report(report, sizeof report, out[AT_COL_REPORT], path, out_dir);
        out[AT_COL_REPORT] = report;
    }
    int rc = at_rows_add(rows, out, AT_N_COLS);
    free_fields(in, n);
    return rc;
}

int at_rows_read(at_rows *rows, const char *path, const char *out_dir, char *err,
                 size_t err_len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_len, "cannot read (%s)", strerror(errno));
        return -1;
    }
    char line[16384];
    int map[64], n_map = -1, rc = 0;
    if (fgets(line, sizeof line, f))
        n_map = header_map(line, map, 64);
    if (n_map < 0) {
        snprintf(err, err_len, "not a summary (no header with a \"file\" column)");
        rc = -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        if (line[0] == '\n' || line[0] == '\r')
            continue;
        if (add_line(rows, line, map, n_map, path, out_dir) != 0) {
            snprintf(err, err_len, "out of memory");
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------ the tables */

static int write_csv(FILE *f, const at_rows *rows)
{
    at_batch_header(f);
    for (size_t i = 0; i < rows->n; i++) {
        for (int c = 0; c < AT_N_COLS; c++) {
            if (c)
                fputc(',', f);
            csv_field(f, rows->v[i].f[c]);
        }
        fputc('\n', f);
    }
    return 0;
}

/* Writes path through path.tmp, so a reader never sees half a file. */
static int write_atomic(const char *path, const at_rows *rows,
                        void (*body)(FILE *, const at_rows *), char *err, size_t err_len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, err_len, "cannot write %s (%s)", path, strerror(errno));
        return -1;
    }
    body(f, rows);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, err_len, "cannot write %s (%s)", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

static void csv_body(FILE *f, const at_rows *rows) { write_csv(f, rows); }

int at_batch_write_tables(const at_rows *rows, const char *out_dir, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.csv", out_dir);
    if (write_atomic(path, rows, csv_body, err, err_len) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/index.html", out_dir);
    return write_atomic(path, rows, at_batch_index, err, err_len);
}

int at_batch_merge(int n, char **csvs, const char *out_dir)
{
    char err[512];
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        at_error(out_dir, "cannot make the folder (%s)", strerror(errno));
        return 1;
    }
    at_rows rows = {0};
    int failed = 0;
    for (int i = 0; i < n; i++) {
        if (at_rows_read(&rows, csvs[i], out_dir, err, sizeof err) != 0) {
            at_error(csvs[i], "%s", err);
            failed = 1;
        }
    }
    if (at_batch_write_tables(&rows, out_dir, err, sizeof err) != 0) {
        at_error(out_dir, "%s", err);
        failed = 1;
    }
    at_rows_free(&rows);
    return failed;
}
