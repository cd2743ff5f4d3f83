/* batch: `attune batch DIR|FILES... -o OUTDIR [-j N] [--force]`, many calls
 * analysed in parallel, each into OUTDIR/NAME.{json,html,csv}, then
 * summary.csv and index.html over them all (batch_table.c).
 *
 * Each call runs in a forked worker process, at most -j at a time (default:
 * every core): a file that crashes the analysis takes only its worker with
 * it, and workers share nothing.  A worker writes its outputs through
 * temporary files and says how it went on a pipe; the parent alone prints.
 * A call whose three outputs are all newer than its audio is done and is
 * skipped unless --force. */
#include "batch.h"

#include "cli.h"
#include "models.h"
#include "report.h"
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { CALL_TODO, CALL_DONE, CALL_SKIPPED, CALL_FAILED };

typedef struct call {
    char *path;
    char id[256];            /* NAME of its outputs: the base name, made unique */
    int state;
    char error[512];
} call;

typedef struct batch {
    at_run_opts run;
    const char *out_dir;
    int jobs, force;
    call *calls;
    size_t n, cap;
    int tty;                 /* stderr is a terminal: draw the progress bar */
    size_t n_done, n_analysed, n_to_analyse;
    struct timespec t0;
} batch;

static const char *const audio_ext[] = {"wav", "wave", "flac", "ogg", "oga", "opus", "au",
                                        "snd", "aif", "aiff", "caf", "w64", "rf64", "mp3"};

/* ------------------------------------------------------------ the calls */

static int add_call(batch *b, const char *path)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        call *nv = realloc(b->calls, cap * sizeof *nv);
        if (!nv)
            return -1;
        b->calls = nv;
        b->cap = cap;
    }
    call *c = &b->calls[b->n];
    memset(c, 0, sizeof *c);
    if (!(c->path = strdup(path)))
        return -1;
    at_call_name(c->id, sizeof c->id, path);
    /* Two calls of the same name from different folders get NAME-2, ... */
    for (int k = 2;; k++) {
        size_t j = 0;
        while (j < b->n && strcmp(b->calls[j].id, c->id))
            j++;
        if (j == b->n)
            break;
        char base[256];
        at_call_name(base, sizeof base, path);
        snprintf(c->id, sizeof c->id, "%.240s-%d", base, k);
    }
    b->n++;
    return 0;
}

static int is_audio_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || name[0] == '.')
        return 0;
    for (size_t i = 0; i < sizeof audio_ext / sizeof audio_ext[0]; i++)
        if (!strcasecmp(dot + 1, audio_ext[i]))
            return 1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sound files directly in dir, by name. */
static int add_dir(batch *b, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        at_error(dir, "cannot read the folder (%s)", strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!is_audio_name(e->d_name))
            continue;
        char **nv = n == cap ? realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *nv) : names;
        if (!nv || !(nv[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
            names = nv ? nv : names;
            rc = -1;
            break;
        }
        names = nv;
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && add_call(b, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    if (rc)
        at_error(dir, "out of memory");
    return rc;
}

static int add_input(batch *b, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
        return add_dir(b, arg);
    /* Anything else is a call, even one that is missing: it fails in its
     * turn and gets its row. */
    if (add_call(b, arg) != 0) {
        at_error(arg, "out of memory");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ options */

static int usage_error(const char *what, const char *msg)
{
    at_error(what, "%s (usage: attune batch [options] DIR|FILES... -o OUTDIR [-j N] [--force]"
                   " | attune batch --merge CSV... -o OUTDIR)", msg);
    return -1;
}

static int parse_jobs(const char *s, int *jobs)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v < 1 || v > 1024)
        return -1;
    *jobs = (int)v;
    return 0;
}

/* Fills b; the inputs (calls or, with --merge, CSVs) are left in *inputs.
 * Returns 0, or -1 after reporting. */
static int parse(batch *b, int argc, char **argv, char ***inputs, int *n_inputs, int *merge)
{
    *inputs = calloc((size_t)argc, sizeof **inputs);
    if (!*inputs)
        return usage_error("batch", "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        int r = at_run_arg(&b->run, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (!strcmp(a, "-o") && val) {
            b->out_dir = argv[++i];
        } else if (!strcmp(a, "-j")) {
            if (parse_jobs(val, &b->jobs))
                return usage_error(a, "expects a number of jobs from 1 to 1024");
            i++;
        } else if (!strcmp(a, "--force")) {
            b->force = 1;
        } else if (!strcmp(a, "--merge")) {
            *merge = 1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(a, "unknown option");
        } else {
            (*inputs)[(*n_inputs)++] = argv[i];
        }
    }
    if (!b->out_dir)
        return usage_error("batch", "no output folder (-o OUTDIR)");
    if (!*n_inputs)
        return usage_error("batch", *merge ? "no summary given" : "no call or folder given");
    return at_run_ready(&b->run);
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            at_error(path, "cannot make the folder (%s)", strerror(errno));
            return -1;
        }
        *s = c;
        if (!c)
            return 0;
    }
}

/* ------------------------------------------------------------ one call */

static void out_path(char *buf, size_t len, const batch *b, const call *c, const char *ext)
{
    snprintf(buf, len, "%s/%s.%s", b->out_dir, c->id, ext);
}

static int newer(const struct stat *out, const struct stat *in)
{
    if (out->st_mtim.tv_sec != in->st_mtim.tv_sec)
        return out->st_mtim.tv_sec > in->st_mtim.tv_sec;
    return out->st_mtim.tv_nsec >= in->st_mtim.tv_nsec;
}

/* Done before: its JSON, report and row are all newer than its audio. */
static int up_to_date(const batch *b, const call *c)
{
    static const char *const ext[] = {"json", "html", "csv"};
    struct stat in, out;
    char path[4400];
    if (stat(c->path, &in) != 0)
        return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        out_path(path, sizeof path, b, c, ext[i]);
        if (stat(path, &out) != 0 || !newer(&out, &in))
            return 0;
    }
    return 1;
}

/* Writes one output through a temporary file. */
static int write_output(const batch *b, const call *c, const char *ext, const at_result *r,
                        char *err, size_t err_len)
{
    char path[4400], tmp[4420];
    out_path(path, sizeof path, b, c, ext);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int rc;
    if (!strcmp(ext, "html")) {
        rc = at_write_report_html(tmp, r, &b->run, err, err_len);
    } else {
        FILE *f = fopen(tmp, "w");
        if (!f) {
            snprintf(err, err_len, "cannot write %.300s (%s)", tmp, strerror(errno));
            return -1;
        }
        if (!strcmp(ext, "json")) {
            at_report_json(f, r);
        } else {
            char report[300];
            snprintf(report, sizeof report, "%s.html", c->id);
            at_batch_header(f);
            at_batch_row(f, r, report);
        }
        rc = fclose(f) ? -1 : 0;
        if (rc)
            snprintf(err, err_len, "cannot write %.300s (%s)", tmp, strerror(errno));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, err_len, "cannot write %.300s (%s)", path, strerror(errno));
        rc = -1;
    }
    if (rc)
        remove(tmp);
    return rc;
}

/* The worker: analyses the call, writes its outputs (the row last) and
 * tells the parent any problem on fd. */
static void worker(const batch *b, const call *c, int fd)
{
    char err[512] = "";
    at_result r;
    at_result_init(&r);
    int rc = at_run_file(&b->run, c->path, &r, err, sizeof err);
    if (rc == 0)
        rc = write_output(b, c, "json", &r, err, sizeof err);
    if (rc == 0)
        rc = write_output(b, c, "html", &r, err, sizeof err);
    if (rc == 0)
        rc = write_output(b, c, "csv", &r, err, sizeof err);
    at_result_free(&r);
    if (rc && write(fd, err, strlen(err)) < 0)
        rc = 2;
    close(fd);
    _exit(rc ? 1 : 0);
}

/* ------------------------------------------------------------ progress */

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* "[########------] 12/40 calls, 0:35 left" on one redrawn line. */
static void progress(const batch *b)
{
    if (!b->tty)
        return;
    enum { WIDTH = 30 };
    char bar[WIDTH + 1], left[48] = "";
    size_t fill = b->n ? b->n_done * WIDTH / b->n : WIDTH;
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[WIDTH] = '\0';
    if (b->n_analysed > 0 && b->n_analysed < b->n_to_analyse) {
        double per_call = since(&b->t0) / (double)b->n_analysed;
        long s = (long)(per_call * (double)(b->n_to_analyse - b->n_analysed) + 0.5);
        snprintf(left, sizeof left, ", %ld:%02ld left", s / 60, s % 60);
    }
    fprintf(stderr, "\r\033[K[%s] %zu/%zu calls%s", bar, b->n_done, b->n, left);
    fflush(stderr);
}

static void report_failure(const batch *b, const call *c)
{
    if (b->tty)
        fputs("\r\033[K", stderr);
    at_error(c->path, "%s", c->error);
}

/* ------------------------------------------------------------ the pool */

typedef struct slot {
    pid_t pid;
    int fd;
    size_t call;
} slot;

static int start(batch *b, slot *s, size_t i)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        worker(b, &b->calls[i], fds[1]);
    }
    close(fds[1]);
    s->pid = pid;
    s->fd = fds[0];
    s->call = i;
    return 0;
}

/* A worker has ended: how did its call go? */
static void finish(batch *b, slot *s, int status)
{
    call *c = &b->calls[s->call];
    ssize_t got = read(s->fd, c->error, sizeof c->error - 1);
    c->error[got > 0 ? got : 0] = '\0';
    close(s->fd);
    s->pid = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        c->state = CALL_DONE;
    } else {
        c->state = CALL_FAILED;
        if (WIFSIGNALED(status))
            snprintf(c->error, sizeof c->error, "the analysis crashed (%s)",
                     strsignal(WTERMSIG(status)));
        else if (!c->error[0])
            snprintf(c->error, sizeof c->error, "the analysis failed");
        report_failure(b, c);
    }
    b->n_done++;
    b->n_analysed++;
    progress(b);
}

static void wait_one(batch *b, slot *slots)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR)
        ;
    for (int k = 0; k < b->jobs; k++)
        if (pid > 0 && slots[k].pid == pid)
            finish(b, &slots[k], status);
}

static void fail(batch *b, call *c, const char *what)
{
    c->state = CALL_FAILED;
    snprintf(c->error, sizeof c->error, "%s (%s)", what, strerror(errno));
    report_failure(b, c);
    b->n_done++;
}

static void run_all(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (!b->force && up_to_date(b, &b->calls[i])) {
            b->calls[i].state = CALL_SKIPPED;
            b->n_done++;
        } else {
            b->n_to_analyse++;
        }
    }
    slot *slots = calloc((size_t)b->jobs, sizeof *slots);
    clock_gettime(CLOCK_MONOTONIC, &b->t0);
    progress(b);
    int running = 0;
    for (size_t i = 0; i < b->n; i++) {
        call *c = &b->calls[i];
        if (c->state != CALL_TODO)
            continue;
        if (!slots) {
            fail(b, c, "cannot start a worker");
            continue;
        }
        if (running == b->jobs) {
            wait_one(b, slots);
            running--;
        }
        int k = 0;
        while (k < b->jobs - 1 && slots[k].pid)
            k++;
        if (start(b, &slots[k], i) != 0) {
            fail(b, c, "cannot start a worker");
            continue;
        }
        running++;
    }
    for (; running > 0; running--)
        wait_one(b, slots);
    free(slots);
    if (b->tty)
        fputs("\r\033[K", stderr);
}

/* ------------------------------------------------------------ tables */

static int add_error_row(at_rows *rows, const call *c)
{
    char *f[AT_N_COLS] = {0};
    f[AT_COL_FILE] = c->path;
    f[AT_COL_ERROR] = (char *)c->error;
    return at_rows_add(rows, f, AT_N_COLS);
}

/* Every call's row, in the order of the calls: read back from its NAME.csv,
 * or its problem. */
static int tables(batch *b)
{
    at_rows rows = {0};
    char err[512], path[4400];
    int rc = 0;
    for (size_t i = 0; i < b->n && rc == 0; i++) {
        call *c = &b->calls[i];
        out_path(path, sizeof path, b, c, "csv");
        if (c->state != CALL_FAILED && at_rows_read(&rows, path, b->out_dir, err, sizeof err)) {
            c->state = CALL_FAILED;
            snprintf(c->error, sizeof c->error, "its row %.200s: %.200s", path, err);
            report_failure(b, c);
        }
        if (c->state == CALL_FAILED)
            rc = add_error_row(&rows, c);
    }
    if (rc == 0)
        rc = at_batch_write_tables(&rows, b->out_dir, err, sizeof err);
    else
        snprintf(err, sizeof err, "out of memory");
    if (rc)
        at_error(b->out_dir, "%s", err);
    at_rows_free(&rows);
    return rc;
}

int at_cmd_batch(int argc, char **argv)
{
    batch b;
    memset(&b, 0, sizeof b);
    at_run_opts_init(&b.run);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    b.jobs = cores > 0 ? (int)cores : 1;
    char **inputs;
    int n_inputs = 0, merge = 0, rc = 0;
    if (parse(&b, argc, argv, &inputs, &n_inputs, &merge) != 0) {
        free(inputs);
        return 2;
    }
    /* -j N above 1 already uses the cores: one thread per call. */
    if (b.jobs > 1)
        b.run.threads = 1;
    if (merge) {
        rc = at_batch_merge(n_inputs, inputs, b.out_dir);
        free(inputs);
        return rc;
    }
    for (int i = 0; i < n_inputs && rc == 0; i++)
        rc = add_input(&b, inputs[i]);
    free(inputs);
    if (rc == 0)
        rc = make_dirs(b.out_dir);
    if (rc == 0) {
        b.tty = isatty(STDERR_FILENO);
        at_models_syllables_per_word();   /* read once, here, for every worker */
        run_all(&b);
        rc = tables(&b);
    }
    size_t failed = 0;
    for (size_t i = 0; i < b.n; i++) {
        failed += b.calls[i].state == CALL_FAILED;
        free(b.calls[i].path);
    }
    free(b.calls);
    return rc || failed ? 1 : 0;
}
