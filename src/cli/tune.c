/* tune: `attune tune --set DIR --param ... --objective NAME -o OUT`, a grid
 * or random search of thresholds over a labelled set (audio plus
 * references).  The audio is decoded once; every trial runs the pipeline
 * in-process on every file, trials spread over worker threads.  Writes
 * OUT/trials.csv (every trial) and OUT/best.ini (loadable by --config). */
#include "annot.h"
#include "audio_in.h"
#include "cli.h"
#include "result.h"
#include "scoring.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PARAMS 8
#define MAX_VALUES 256
#define MAX_TRIALS 100000

typedef struct {
    int key;                   /* index in the config's key table */
    int is_range;              /* a:b:step (random search draws from [lo, hi]) */
    double lo, hi;
    int n;
    double v[MAX_VALUES];
} param;

typedef struct {
    char *path;
    int rate, n_parties;
    long n;                    /* samples per party */
    float *x[2];
    at_annot ref;
} labelled;

typedef struct {
    int invalid;
    at_score total;
} trial_out;

typedef struct {
    attune_config base;
    const char *dir, *out_dir, *objective;
    param par[MAX_PARAMS];
    int n_par, n_random, n_jobs;
    unsigned long long seed;
    double collar;
    labelled *files;
    size_t n_files;
    double *values;            /* n_trials x n_par */
    size_t n_trials;
    trial_out *out;
    atomic_size_t next;
} tune_ctx;

static const char *const objectives[] = {"combined", "der", "frame_error", "talk_share_error",
                                         "interruption_f1", "patience_error"};

/* ------------------------------------------------------------ options */

static int parse_param(tune_ctx *c, const char *spec)
{
    char key[64];
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof key || c->n_par == MAX_PARAMS) {
        at_error("--param", "'%s' is not KEY=A:B:STEP or KEY=V1,V2,... (at most %d)", spec,
                 MAX_PARAMS);
        return -1;
    }
    snprintf(key, sizeof key, "%.*s", (int)(eq - spec), spec);
    param *p = &c->par[c->n_par];
    memset(p, 0, sizeof *p);
    p->key = -1;
    for (int i = 0; i < attune_config_n_keys(); i++) {
        const char *name;
        attune_config_key(i, &name, NULL, NULL, NULL, NULL);
        if (!strcmp(name, key))
            p->key = i;
    }
    if (p->key < 0) {
        at_error("--param", "unknown key '%s'", key);
        return -1;
    }
    double step;
    char tail;
    if (sscanf(eq + 1, "%lf:%lf:%lf%c", &p->lo, &p->hi, &step, &tail) == 3) {
        if (!(step > 0) || p->hi < p->lo || (p->hi - p->lo) / step >= MAX_VALUES) {
            at_error("--param", "%s: A:B:STEP needs A <= B, STEP > 0, at most %d values", key,
                     MAX_VALUES);
            return -1;
        }
        p->is_range = 1;
        for (double v = p->lo; v <= p->hi + 1e-9 * step; v = p->lo + step * p->n)
            p->v[p->n++] = v;
    } else {
        char *s = (char *)eq + 1, *end;
        while (p->n < MAX_VALUES) {
            p->v[p->n++] = strtod(s, &end);
            if (end == s || (*end && *end != ',')) {
                at_error("--param", "%s: '%s' is not a list of numbers", key, eq + 1);
                return -1;
            }
            if (!*end)
                break;
            s = end + 1;
        }
    }
    c->n_par++;
    return 0;
}

static int want(const char *opt, int argc, int i)
{
    if (i + 1 < argc)
        return 0;
    at_error(opt, "expects a value");
    return -1;
}

static int parse_args(tune_ctx *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* --set DIR names the labelled set; --set KEY=VALUE is a threshold. */
        if (!strcmp(a, "--set") && i + 1 < argc && !strchr(argv[i + 1], '=')) {
            c->dir = argv[++i];
            continue;
        }
        int r = at_config_arg(&c->base, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        static const char *const valued[] = {"--data", "--param", "--objective", "--random",
                                             "--seed", "-j", "--collar", "-o"};
        int is_valued = 0;
        for (size_t k = 0; k < sizeof valued / sizeof *valued; k++)
            is_valued |= !strcmp(a, valued[k]);
        if (!is_valued) {
            at_error(a, "unknown option (usage: attune tune --set DIR --param KEY=A:B:STEP "
                        "[--objective NAME] [--random N] [-j N] -o OUT)");
            return -1;
        }
        if (want(a, argc, i))
            return -1;
        const char *v = argv[++i];
        if (!strcmp(a, "--data"))
            c->dir = v;
        else if (!strcmp(a, "--param")) {
            if (parse_param(c, v))
                return -1;
        } else if (!strcmp(a, "--objective"))
            c->objective = v;
        else if (!strcmp(a, "--random"))
            c->n_random = atoi(v);
        else if (!strcmp(a, "--seed"))
            c->seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "-j"))
            c->n_jobs = atoi(v);
        else if (!strcmp(a, "--collar"))
            c->collar = atof(v);
        else
            c->out_dir = v;
    }
    int known = 0;
    for (size_t k = 0; k < sizeof objectives / sizeof *objectives; k++)
        known |= !strcmp(c->objective, objectives[k]);
    if (!known) {
        at_error("--objective", "'%s' is not one of combined, der, frame_error, "
                                "talk_share_error, interruption_f1, patience_error", c->objective);
        return -1;
    }
    if (!c->dir || !c->out_dir || !c->n_par || c->n_random < 0 || c->n_jobs < 0) {
        at_error("tune", "needs --set DIR, --param and -o OUT (see attune help)");
        return -1;
    }
    return at_config_ready(&c->base);
}

/* ------------------------------------------------------------ the set */

static int load_audio(labelled *f, char *err, size_t errlen)
{
    at_audio_in a;
    if (at_audio_open(&a, f->path, -1, -1, 0, err, errlen))
        return -1;
    f->rate = a.info.samplerate;
    f->n_parties = a.n_parties;
    long cap = 0;
    long got;
    while ((got = at_audio_read(&a, err, errlen)) > 0) {
        if (f->n + got > cap) {
            cap = 2 * (f->n + got);
            for (int p = 0; p < f->n_parties; p++) {
                float *nx = realloc(f->x[p], (size_t)cap * sizeof *nx);
                if (!nx) {
                    snprintf(err, errlen, "out of memory");
                    at_audio_close(&a);
                    return -1;
                }
                f->x[p] = nx;
            }
        }
        for (int p = 0; p < f->n_parties; p++)
            memcpy(f->x[p] + f->n, a.planar[p], (size_t)got * sizeof(float));
        f->n += got;
    }
    at_audio_close(&a);
    return got < 0 ? -1 : 0;
}

/* The reference next to the audio: BASE.rttm, BASE.truth.json or
 * BASE.TextGrid; an RTTM may hold other recordings too. */
static int load_ref(labelled *f, const attune_config *cfg, char *err, size_t errlen)
{
    static const char *const exts[] = {".rttm", ".truth.json", ".TextGrid"};
    size_t len = strlen(f->path);
    const char *dot = strrchr(f->path, '.');
    size_t base = dot ? (size_t)(dot - f->path) : len;
    char id[256];
    at_file_id(id, sizeof id, f->path);
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++) {
        char ref[4096];
        snprintf(ref, sizeof ref, "%.*s%s", (int)base, f->path, exts[k]);
        if (access(ref, R_OK))
            continue;
        at_annot_list list = {0};
        if (at_annot_read(&list, ref, err, errlen)) {
            at_annot_list_free(&list);
            return -1;
        }
        for (size_t i = 0; i < list.n; i++)
            if (list.n == 1 || !strcmp(list.v[i].id, id)) {
                f->ref = list.v[i];
                list.v[i] = list.v[--list.n];
                at_annot_list_free(&list);
                at_annot_derive(&f->ref, cfg);
                return 0;
            }
        at_annot_list_free(&list);
        snprintf(err, errlen, "%s: no recording '%s' in it", exts[k] + 1, id);
        return -1;
    }
    snprintf(err, errlen, "no reference (%s.rttm, .truth.json or .TextGrid)", id);
    return -1;
}

static int is_audio(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".wav") || !strcasecmp(dot, ".flac") ||
                   !strcasecmp(dot, ".ogg") || !strcasecmp(dot, ".opus"));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const labelled *)a)->path, ((const labelled *)b)->path);
}

static int load_set(tune_ctx *c)
{
    DIR *d = opendir(c->dir);
    if (!d) {
        at_error(c->dir, "cannot open the labelled set (%s)", strerror(errno));
        return -1;
    }
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_audio(e->d_name))
            continue;
        if (c->n_files == cap) {
            cap = cap ? 2 * cap : 16;
            labelled *nf = realloc(c->files, cap * sizeof *nf);
            if (!nf)
                break;
            c->files = nf;
        }
        labelled *f = &c->files[c->n_files++];
        memset(f, 0, sizeof *f);
        size_t n = strlen(c->dir) + strlen(e->d_name) + 2;
        if ((f->path = malloc(n)))
            snprintf(f->path, n, "%s/%s", c->dir, e->d_name);
    }
    closedir(d);
    if (!c->n_files) {
        at_error(c->dir, "no audio files (.wav, .flac, .ogg, .opus) in the labelled set");
        return -1;
    }
    qsort(c->files, c->n_files, sizeof *c->files, by_name);
    for (size_t i = 0; i < c->n_files; i++) {
        char err[512];
        labelled *f = &c->files[i];
        if (!f->path) {
            at_error(c->dir, "out of memory");
            return -1;
        }
        if (load_ref(f, &c->base, err, sizeof err) || load_audio(f, err, sizeof err)) {
            at_error(f->path, "%s", err);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ trials */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int make_trials(tune_ctx *c)
{
    size_t n = 1;
    for (int k = 0; k < c->n_par && !c->n_random; k++)
        n = n * (size_t)c->par[k].n > MAX_TRIALS ? MAX_TRIALS + 1 : n * (size_t)c->par[k].n;
    if (c->n_random)
        n = (size_t)c->n_random;
    if (n > MAX_TRIALS) {
        at_error("tune", "more than %d trials: use --random N or fewer values", MAX_TRIALS);
        return -1;
    }
    c->n_trials = n;
    c->values = malloc(n * (size_t)c->n_par * sizeof *c->values);
    c->out = calloc(n, sizeof *c->out);
    if (!c->values || !c->out) {
        at_error("tune", "out of memory");
        return -1;
    }
    uint64_t rng = c->seed;
    for (size_t t = 0; t < n; t++) {
        size_t rest = t;
        for (int k = 0; k < c->n_par; k++) {
            const param *p = &c->par[k];
            double u = (double)(splitmix64(&rng) >> 11) / 9007199254740992.0;
            double *v = &c->values[t * (size_t)c->n_par + (size_t)k];
            if (!c->n_random) {
                *v = p->v[rest % (size_t)p->n];
                rest /= (size_t)p->n;
            } else if (p->is_range) {
                *v = p->lo + u * (p->hi - p->lo);
            } else {
                *v = p->v[(int)(u * p->n) < p->n ? (int)(u * p->n) : p->n - 1];
            }
        }
    }
    return 0;
}

/* The trial's config; -1 if a value is out of range or inconsistent. */
static int trial_config(const tune_ctx *c, size_t t, attune_config *cfg)
{
    *cfg = c->base;
    for (int k = 0; k < c->n_par; k++) {
        const char *name;
        char text[40];
        attune_config_key(c->par[k].key, &name, NULL, NULL, NULL, NULL);
        snprintf(text, sizeof text, "%.17g", c->values[t * (size_t)c->n_par + (size_t)k]);
        if (attune_config_set(cfg, name, text))
            return -1;
    }
    return attune_config_check(cfg, NULL) ? -1 : 0;
}

static int run_file(const attune_config *cfg, const labelled *f, double collar, at_score *s)
{
    at_result r;
    at_result_init(&r);
    r.file = f->path;
    r.n_parties = f->n_parties;
    attune_pipeline *p = attune_pipeline_new(cfg, f->rate, f->n_parties, at_result_collect, &r,
                                             NULL);
    int rc = p ? 0 : -1;
    for (long at = 0; p && at < f->n; at += AT_BLOCK) {
        const float *ch[2] = {f->x[0] + at, f->n_parties > 1 ? f->x[1] + at : NULL};
        size_t n = (size_t)(f->n - at < AT_BLOCK ? f->n - at : AT_BLOCK);
        if (attune_pipeline_push(p, ch, n))
            rc = -1;
    }
    if (p) {
        attune_pipeline_finish(p);
        attune_pipeline_metrics(p, &r.m);
        attune_pipeline_free(p);
    }
    at_annot hyp;
    at_annot_from_result(&hyp, &r);
    if (rc == 0 && !r.oom && !hyp.oom)
        rc = at_score_pair(&f->ref, &hyp, collar, s);
    at_annot_free(&hyp);
    at_result_free(&r);
    return rc;
}

static void *worker(void *arg)
{
    tune_ctx *c = arg;
    for (;;) {
        size_t t = atomic_fetch_add(&c->next, 1);
        if (t >= c->n_trials)
            return NULL;
        attune_config cfg;
        trial_out *o = &c->out[t];
        if (trial_config(c, t, &cfg)) {
            o->invalid = 1;
            continue;
        }
        for (size_t i = 0; i < c->n_files && !o->invalid; i++) {
            at_score s;
            if (run_file(&cfg, &c->files[i], c->collar, &s))
                o->invalid = 1;
            else
                at_score_add(&o->total, &s);
        }
    }
}

static int run_trials(tune_ctx *c)
{
    long n = c->n_jobs ? c->n_jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if ((size_t)n > c->n_trials)
        n = (long)c->n_trials;
    pthread_t *th = calloc((size_t)n, sizeof *th);
    if (!th) {
        at_error("tune", "out of memory");
        return -1;
    }
    atomic_init(&c->next, 0);
    long started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, worker, c))
            break;
    if (started == 0)
        worker(c);
    for (long i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return 0;
}

/* ------------------------------------------------------------ results */

/* The objective, lower is better (interruption F1 enters as 1 - F1).
 * combined = DER + (1 - F1) + talk-share error / 10 pp + patience error / 1 s:
 * each term is 0.1 at a typical tolerance; terms a set cannot score drop out. */
static double objective(const char *name, const at_score *s)
{
    double p, r, f1;
    at_score_prf(s, &p, &r, &f1);
    double der = at_score_der(s), fe = 1.0 - at_score_frame_agreement(s);
    double ts = at_score_talk_share_err(s), pe = at_score_patience_err(s);
    if (!strcmp(name, "der"))
        return der;
    if (!strcmp(name, "frame_error"))
        return fe;
    if (!strcmp(name, "talk_share_error"))
        return ts;
    if (!strcmp(name, "interruption_f1"))
        return 1.0 - f1;
    if (!strcmp(name, "patience_error"))
        return pe;
    return (isnan(der) ? 0 : der) + (isnan(f1) ? 0 : 1.0 - f1) + (isnan(ts) ? 0 : ts / 10.0) +
           (isnan(pe) ? 0 : pe);
}

static void csv_num(FILE *f, double v)
{
    if (!isnan(v))
        fprintf(f, "%.6g", v);
}

static void write_csv(FILE *f, const tune_ctx *c)
{
    fputs("trial", f);
    for (int k = 0; k < c->n_par; k++) {
        const char *name;
        attune_config_key(c->par[k].key, &name, NULL, NULL, NULL, NULL);
        fprintf(f, ",%s", name);
    }
    fputs(",status,der,missed_s,false_alarm_s,confusion_s,frame_error,talk_share_error_pp,"
          "interruption_f1,patience_error_s,objective\n", f);
    for (size_t t = 0; t < c->n_trials; t++) {
        const at_score *s = &c->out[t].total;
        fprintf(f, "%zu", t + 1);
        for (int k = 0; k < c->n_par; k++) {
            fputc(',', f);
            at_print_double(f, c->values[t * (size_t)c->n_par + (size_t)k]);
        }
        if (c->out[t].invalid) {
            fputs(",invalid,,,,,,,,,\n", f);
            continue;
        }
        double p, r, f1;
        at_score_prf(s, &p, &r, &f1);
        double v[] = {at_score_der(s), s->missed_s, s->false_alarm_s, s->confusion_s,
                      1.0 - at_score_frame_agreement(s), at_score_talk_share_err(s), f1,
                      at_score_patience_err(s), objective(c->objective, s)};
        fputs(",ok", f);
        for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
            fputc(',', f);
            csv_num(f, v[k]);
        }
        fputc('\n', f);
    }
}

static FILE *open_out(const tune_ctx *c, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", c->out_dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        at_error(path, "cannot write (%s)", strerror(errno));
    return f;
}

static int write_results(const tune_ctx *c)
{
    long best = -1;
    for (size_t t = 0; t < c->n_trials; t++) {
        double v = objective(c->objective, &c->out[t].total);
        if (!c->out[t].invalid && !isnan(v) &&
            (best < 0 || v < objective(c->objective, &c->out[best].total)))
            best = (long)t;
    }
    if (mkdir(c->out_dir, 0777) && errno != EEXIST) {
        at_error(c->out_dir, "cannot create (%s)", strerror(errno));
        return -1;
    }
    char path[4096];
    FILE *f = open_out(c, "trials.csv", path, sizeof path);
    if (!f)
        return -1;
    write_csv(f, c);
    if (fclose(f)) {
        at_error(path, "write error");
        return -1;
    }
    if (best < 0) {
        at_error("tune", "no valid trial (see %s)", path);
        return -1;
    }
    attune_config cfg;
    trial_config(c, (size_t)best, &cfg);
    double v = objective(c->objective, &c->out[best].total);
    char title[512];
    snprintf(title, sizeof title, "attune tune: best of %zu trials on %s, objective %s = %.6g",
             c->n_trials, c->dir, c->objective,
             strcmp(c->objective, "interruption_f1") ? v : 1.0 - v);
    if (!(f = open_out(c, "best.ini", path, sizeof path)))
        return -1;
    at_config_write_ini(f, &cfg, title);
    if (fclose(f)) {
        at_error(path, "write error");
        return -1;
    }
    printf("%s; trial %ld:", title, best + 1);
    for (int k = 0; k < c->n_par; k++) {
        const char *name;
        attune_config_key(c->par[k].key, &name, NULL, NULL, NULL, NULL);
        printf(" %s=", name);
        at_print_double(stdout, c->values[(size_t)best * (size_t)c->n_par + (size_t)k]);
    }
    printf("\nwrote %s/trials.csv and %s/best.ini\n", c->out_dir, c->out_dir);
    return 0;
}

static void free_ctx(tune_ctx *c)
{
    for (size_t i = 0; i < c->n_files; i++) {
        free(c->files[i].path);
        free(c->files[i].x[0]);
        free(c->files[i].x[1]);
        at_annot_free(&c->files[i].ref);
    }
    free(c->files);
    free(c->values);
    free(c->out);
}

int at_cmd_tune(int argc, char **argv)
{
    tune_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return 1;
    attune_config_init(&c->base);
    c->objective = "combined";
    c->collar = 0.25;
    c->seed = 1;
    int rc = parse_args(c, argc, argv) ? 2 : 0;
    if (rc == 0 && (load_set(c) || make_trials(c) || run_trials(c) || write_results(c)))
        rc = 1;
    free_ctx(c);
    free(c);
    return rc;
}
