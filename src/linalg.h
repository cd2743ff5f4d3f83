/* linalg: the little dense linear algebra diarization needs: a Cholesky
 * factor and solve, and the leading generalized eigenvector of two
 * symmetric matrices (Fisher's discriminant direction).  Matrices are
 * n x n, row-major, n <= AT_LINALG_MAX_N; nothing allocates. */
#ifndef ATTUNE_LINALG_H
#define ATTUNE_LINALG_H

#define AT_LINALG_MAX_N 32

/* Factors the symmetric positive-definite a = L L^T in place (L in the
 * lower triangle).  Returns 0, or -1 when a is not positive definite. */
int at_cholesky(double *a, int n);

/* Solves L L^T x = b in place, L from at_cholesky(). */
void at_cholesky_solve(const double *l, int n, double *b);

/* The unit vector w maximising (w' sb w) / (w' sw w), sb symmetric
 * positive semi-definite and sw symmetric positive definite, by power
 * iteration on sw^-1 sb; sw is overwritten by its Cholesky factor.
 * Returns 0, or -1 when sw is singular or sb is zero. */
int at_fisher_direction(const double *sb, double *sw, int n, double *w);

#endif
