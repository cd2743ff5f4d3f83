/* gmm: a diagonal-covariance Gaussian mixture over fixed-size feature
 * vectors, trained by EM (Dempster, Laird & Rubin 1977) on frames the
 * caller supplies through a function; the speaker models of diarize.c. */
#ifndef ATTUNE_GMM_H
#define ATTUNE_GMM_H

#define AT_GMM_MAX_K 8
#define AT_GMM_MAX_DIM 32

typedef struct at_gmm {
    int k, dim;
    double logw[AT_GMM_MAX_K];
    double mean[AT_GMM_MAX_K][AT_GMM_MAX_DIM];
    double ivar[AT_GMM_MAX_K][AT_GMM_MAX_DIM];
    double lconst[AT_GMM_MAX_K];  /* log weight - 0.5 * (dim log 2 pi + log |var|) */
} at_gmm;

/* Writes training frame i (0 <= i < n) into x[dim]. */
typedef void (*at_gmm_frame_fn)(void *user, long i, double *x);

/* Trains k components (k <= AT_GMM_MAX_K, dim <= AT_GMM_MAX_DIM) on n
 * frames, n_iter EM passes, starting from frames spread evenly over the
 * set.  Returns 0, or -1 for bad sizes or fewer frames than 2 k. */
int at_gmm_train(at_gmm *m, int k, int dim, long n, at_gmm_frame_fn frame, void *user,
                 int n_iter);

/* The log likelihood of x under m. */
double at_gmm_loglik(const at_gmm *m, const double *x);

#endif
