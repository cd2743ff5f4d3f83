/* gmm: diagonal Gaussian mixtures by EM (see gmm.h). */
#include "gmm.h"

#include <math.h>
#include <string.h>

#define VAR_FLOOR 1e-2  /* on features of unit global variance */

static void finish(at_gmm *m)
{
    for (int j = 0; j < m->k; j++) {
        double s = m->dim * log(2.0 * M_PI);
        for (int d = 0; d < m->dim; d++)
            s -= log(m->ivar[j][d]);
        m->lconst[j] = m->logw[j] - 0.5 * s;
    }
}

static double comp_ll(const at_gmm *m, int j, const double *x)
{
    double q = 0.0;
    for (int d = 0; d < m->dim; d++) {
        double e = x[d] - m->mean[j][d];
        q += e * e * m->ivar[j][d];
    }
    return m->lconst[j] - 0.5 * q;
}

double at_gmm_loglik(const at_gmm *m, const double *x)
{
    double ll[AT_GMM_MAX_K], best = -INFINITY;
    for (int j = 0; j < m->k; j++) {
        ll[j] = comp_ll(m, j, x);
        if (ll[j] > best)
            best = ll[j];
    }
    double s = 0.0;
    for (int j = 0; j < m->k; j++)
        s += exp(ll[j] - best);
    return best + log(s);
}

/* One EM pass: accumulate responsibilities, then re-estimate. */
static void em_pass(at_gmm *m, long n, at_gmm_frame_fn frame, void *user)
{
    double occ[AT_GMM_MAX_K] = {0};
    double s1[AT_GMM_MAX_K][AT_GMM_MAX_DIM], s2[AT_GMM_MAX_K][AT_GMM_MAX_DIM];
    memset(s1, 0, sizeof s1);
    memset(s2, 0, sizeof s2);
    double x[AT_GMM_MAX_DIM], ll[AT_GMM_MAX_K];
    for (long i = 0; i < n; i++) {
        frame(user, i, x);
        double best = -INFINITY, s = 0.0;
        for (int j = 0; j < m->k; j++) {
            ll[j] = comp_ll(m, j, x);
            if (ll[j] > best)
                best = ll[j];
        }
        for (int j = 0; j < m->k; j++)
            s += ll[j] = exp(ll[j] - best);
        for (int j = 0; j < m->k; j++) {
            double g = ll[j] / s;
            occ[j] += g;
            for (int d = 0; d < m->dim; d++) {
                s1[j][d] += g * x[d];
                s2[j][d] += g * x[d] * x[d];
            }
        }
    }
    for (int j = 0; j < m->k; j++) {
        double o = occ[j] > 1e-3 ? occ[j] : 1e-3;
        m->logw[j] = log(o / n);
        for (int d = 0; d < m->dim; d++) {
            double mu = s1[j][d] / o;
            double var = s2[j][d] / o - mu * mu;
            if (occ[j] > 1e-3)
                m->mean[j][d] = mu;
            m->ivar[j][d] = 1.0 / (var > VAR_FLOOR ? var : VAR_FLOOR);
        }
    }
    finish(m);
}

int at_gmm_train(at_gmm *m, int k, int dim, long n, at_gmm_frame_fn frame, void *user,
                 int n_iter)
{
    if (k < 1 || k > AT_GMM_MAX_K || dim < 1 || dim > AT_GMM_MAX_DIM || n < 2L * k)
        return -1;
    memset(m, 0, sizeof *m);
    m->k = k;
    m->dim = dim;
    double x[AT_GMM_MAX_DIM];
    for (int j = 0; j < k; j++) {
        frame(user, (long)((j + 0.5) * n / k), x);
        m->logw[j] = -log((double)k);
        for (int d = 0; d < dim; d++) {
            m->mean[j][d] = x[d];
            m->ivar[j][d] = 1.0;
        }
    }
    finish(m);
    for (int it = 0; it < n_iter; it++)
        em_pass(m, n, frame, user);
    return 0;
}
