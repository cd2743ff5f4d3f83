/* batch_index: index.html of a batch, one table row per call linking its
 * report, sortable by any column (a little plain JavaScript; without it the
 * table reads in the order of summary.csv). */
#include "batch.h"

#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { SHOW_TEXT, SHOW_CLOCK, SHOW_SHARE, SHOW_SECONDS, SHOW_SECONDS2, SHOW_NUMBER } show;

/* The table's columns: which summary column, its heading, how to show it. */
static const struct {
    int col;
    const char *head;
    show how;
} columns[] = {
    {AT_COL_DURATION, "Duration", SHOW_CLOCK},
    {AT_COL_AGENT_SHARE, "Agent talk", SHOW_SHARE},
    {AT_COL_CUSTOMER_SHARE, "Customer talk", SHOW_SHARE},
    {AT_COL_AGENT_INTR, "Agent cut in", SHOW_NUMBER},
    {AT_COL_CUSTOMER_INTR, "Customer cut in", SHOW_NUMBER},
    {AT_COL_AGENT_PATIENCE, "Agent patience", SHOW_SECONDS2},
    {AT_COL_CUSTOMER_PATIENCE, "Customer patience", SHOW_SECONDS2},
    {AT_COL_AGENT_WPM, "Agent wpm", SHOW_NUMBER},
    {AT_COL_CUSTOMER_WPM, "Customer wpm", SHOW_NUMBER},
    {AT_COL_DEAD_AIR, "Dead air", SHOW_SECONDS},
    {AT_COL_STRESS, "Stress peak", SHOW_NUMBER},
    {AT_COL_GOALS, "Goals slipped", SHOW_NUMBER},
    {AT_COL_ERROR, "Problem", SHOW_TEXT},
};
#define N_SHOWN (sizeof columns / sizeof columns[0])

static const char *const style =
    "body{margin:0;padding:20px 24px;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:#1d2530;background:#f7f8fa}"
    "h1{font-size:22px;font-weight:600;margin:0 0 4px}p{color:#55606e;margin:0 0 14px}"
    "table{border-collapse:collapse;background:#fff;border:1px solid #d5dae1;"
    "font-variant-numeric:tabular-nums}"
    "th,td{padding:6px 10px;border-bottom:1px solid #e7eaee;text-align:right}"
    "th:first-child,th:last-child,td:first-child,td.text{text-align:left}"
    "td{white-space:nowrap}td.text{white-space:normal;min-width:16em}"
    "th{background:#eef1f4;font-size:13px;position:sticky;top:0}"
    "th button{font:inherit;font-weight:600;border:0;background:none;color:#1d2530;"
    "cursor:pointer;padding:0}th button:focus-visible{outline:2px solid #005fcc}"
    "th[aria-sort=ascending] button::after{content:' \\25B2'}"
    "th[aria-sort=descending] button::after{content:' \\25BC'}"
    "tr.failed td{background:#fbeeee}td.text{color:#9b1c1c}"
    "a{color:#0061a0}a:focus-visible{outline:2px solid #005fcc}"
    "@media print{body{background:#fff;padding:0}th{position:static}}";

static const char *const script =
    "(function(){'use strict';\n"
    "var table=document.getElementById('calls'),body=table.tBodies[0];\n"
    "var heads=table.tHead.rows[0].cells;\n"
    "function key(row,i){var c=row.cells[i],v=c.getAttribute('data-v');\n"
    "  if(v===null)return c.textContent.toLowerCase();return v===''?null:parseFloat(v);}\n"
    "Array.prototype.forEach.call(heads,function(th,i){\n"
    "  th.querySelector('button').addEventListener('click',function(){\n"
    "    var up=th.getAttribute('aria-sort')!=='ascending';\n"
    "    Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});\n"
    "    th.setAttribute('aria-sort',up?'ascending':'descending');\n"
    "    var rows=Array.prototype.slice.call(body.rows);\n"
    "    rows.sort(function(a,b){var x=key(a,i),y=key(b,i);\n"
    "      if(x===y)return 0;if(x===null)return 1;if(y===null)return -1;\n"
    "      return (x<y?-1:1)*(up?1:-1);});\n"
    "    rows.forEach(function(r){body.appendChild(r);});});});\n"
    "})();\n";

static void cell(FILE *out, const char *v, show how)
{
    char buf[64];
    double x = atof(v);
    if (how == SHOW_TEXT) {
        fputs("<td class=\"text\">", out);
        at_html_text(out, v);
        fputs("</td>", out);
        return;
    }
    fputs("<td data-v=\"", out);
    at_html_text(out, v);
    fputs("\">", out);
    if (!v[0])
        snprintf(buf, sizeof buf, "&mdash;");
    else if (how == SHOW_CLOCK)
        snprintf(buf, sizeof buf, "%d:%02d", (int)(x / 60), (int)fmod(x, 60));
    else if (how == SHOW_SHARE)
        snprintf(buf, sizeof buf, "%.0f %%", 100 * x);
    else if (how == SHOW_SECONDS || how == SHOW_SECONDS2)
        snprintf(buf, sizeof buf, "%.*f s", how == SHOW_SECONDS ? 1 : 2, x);
    else
        snprintf(buf, sizeof buf, "%g", x);
    fputs(buf, out);
    fputs("</td>", out);
}

static void row(FILE *out, const at_row *r)
{
    const char *file = r->f[AT_COL_FILE], *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    fprintf(out, "<tr%s><td>", r->f[AT_COL_ERROR][0] ? " class=\"failed\"" : "");
    if (r->f[AT_COL_REPORT][0]) {
        char href[3 * 4096];
        at_url_path(href, sizeof href, r->f[AT_COL_REPORT]);
        fputs("<a href=\"", out);
        at_html_text(out, href);
        fputs("\" title=\"", out);
        at_html_text(out, file);
        fputs("\">", out);
        at_html_text(out, base);
        fputs("</a>", out);
    } else {
        at_html_text(out, base);
    }
    fputs("</td>", out);
    for (size_t c = 0; c < N_SHOWN; c++)
        cell(out, r->f[columns[c].col], columns[c].how);
    fputs("</tr>\n", out);
}

void at_batch_index(FILE *out, const at_rows *rows)
{
    size_t failed = 0;
    for (size_t i = 0; i < rows->n; i++)
        failed += rows->v[i].f[AT_COL_ERROR][0] != '\0';
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>Calls · attune</title>\n<style>%s</style>\n</head>\n<body>\n"
                 "<h1>Calls</h1>\n<p>%zu call%s, %zu failed. Click a heading to sort by it "
                 "(again to reverse); click a call to open its report. The same table is in "
                 "summary.csv.</p>\n<table id=\"calls\">\n<thead><tr><th scope=\"col\"><button "
                 "type=\"button\">Call</button></th>",
            style, rows->n, rows->n == 1 ? "" : "s", failed);
    for (size_t c = 0; c < N_SHOWN; c++)
        fprintf(out, "<th scope=\"col\"><button type=\"button\">%s</button></th>",
                columns[c].head);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < rows->n; i++)
        row(out, &rows->v[i]);
    fprintf(out, "</tbody>\n</table>\n<script>\n%s</script>\n</body>\n</html>\n", script);
}
