/* batch: the tables of `attune batch` (batch_table.c): one summary row per
 * call, summary.csv, index.html and the merge of several summaries. */
#ifndef ATTUNE_BATCH_H
#define ATTUNE_BATCH_H

#include "result.h"

#include <stddef.h>
#include <stdio.h>

/* The columns of summary.csv, in order (README.md, "Coaches"). */
enum {
    AT_COL_FILE, AT_COL_REPORT, AT_COL_DURATION, AT_COL_AGENT_SHARE, AT_COL_CUSTOMER_SHARE,
    AT_COL_AGENT_INTR, AT_COL_CUSTOMER_INTR, AT_COL_AGENT_PATIENCE, AT_COL_CUSTOMER_PATIENCE,
    AT_COL_AGENT_WPM, AT_COL_CUSTOMER_WPM, AT_COL_DEAD_AIR, AT_COL_STRESS, AT_COL_GOALS,
    AT_COL_ERROR, AT_N_COLS
};

extern const char *const at_batch_columns[AT_N_COLS];

/* One call's row: every field a string, "" for none. */
typedef struct at_row {
    char *f[AT_N_COLS];
} at_row;

typedef struct at_rows {
    at_row *v;
    size_t n, cap;
} at_rows;

/* The header line of summary.csv. */
void at_batch_header(FILE *out);
/* r's row; report is the report's path relative to the summary. */
void at_batch_row(FILE *out, const at_result *r, const char *report);
/* A failed call's row. */
void at_batch_error_row(FILE *out, const char *file, const char *error);

/* Parses one CSV line (RFC 4180 quoting, no line breaks inside fields) into
 * at most max fields, each malloc'd.  Returns the count, or -1 when out of
 * memory. */
int at_csv_split(const char *line, char **fields, int max);

/* Appends a row (fields copied; missing ones ""); -1 when out of memory. */
int at_rows_add(at_rows *rows, char *const *fields, int n);
void at_rows_free(at_rows *rows);

/* Reads summary.csv-shaped file path, its columns matched by name, and
 * appends its rows; reports (relative to the file's folder) are rewritten
 * relative to out_dir.  0, or -1 with a one-line reason in err. */
int at_rows_read(at_rows *rows, const char *path, const char *out_dir, char *err,
                 size_t err_len);

/* Writes out_dir/summary.csv and out_dir/index.html, each complete or not
 * at all (through a temporary file).  0, or -1 with a reason in err. */
int at_batch_write_tables(const at_rows *rows, const char *out_dir, char *err, size_t err_len);

/* index.html: the rows as a table sortable by any column (batch_index.c). */
void at_batch_index(FILE *out, const at_rows *rows);

/* `attune batch --merge CSV... -o DIR`. */
int at_batch_merge(int n, char **csvs, const char *out_dir);

#endif
