/* linalg: Cholesky and Fisher's direction (see linalg.h). */
#include "linalg.h"

#include <math.h>

#define POWER_ITER 100

int at_cholesky(double *a, int n)
{
    for (int j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (int k = 0; k < j; k++)
            s -= a[j * n + k] * a[j * n + k];
        if (!(s > 0.0))
            return -1;
        a[j * n + j] = sqrt(s);
        for (int i = j + 1; i < n; i++) {
            double v = a[i * n + j];
            for (int k = 0; k < j; k++)
                v -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = v / a[j * n + j];
        }
    }
    return 0;
}

void at_cholesky_solve(const double *l, int n, double *b)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++)
            b[i] -= l[i * n + k] * b[k];
        b[i] /= l[i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int k = i + 1; k < n; k++)
            b[i] -= l[k * n + i] * b[k];
        b[i] /= l[i * n + i];
    }
}

int at_fisher_direction(const double *sb, double *sw, int n, double *w)
{
    if (n < 1 || n > AT_LINALG_MAX_N || at_cholesky(sw, n))
        return -1;
    for (int p = 0; p < n; p++)
        w[p] = 1.0 / sqrt((double)n);
    for (int it = 0; it < POWER_ITER; it++) {
        double y[AT_LINALG_MAX_N], norm = 0.0;
        for (int p = 0; p < n; p++) {
            y[p] = 0.0;
            for (int q = 0; q < n; q++)
                y[p] += sb[p * n + q] * w[q];
        }
        at_cholesky_solve(sw, n, y);
        for (int p = 0; p < n; p++)
            norm += y[p] * y[p];
        if (!(norm > 0.0))
            return -1;
        for (int p = 0; p < n; p++)
            w[p] = y[p] / sqrt(norm);
    }
    return 0;
}
