/* cepstra: mel-cepstra from the shared spectrum (see cepstra.h). */
#include "cepstra.h"

#include <math.h>
#include <stdlib.h>

struct at_cepstra {
    int lo[AT_N_MEL], n[AT_N_MEL]; /* each filter's first bin and width */
    float *weight;                 /* the filters' weights, back to back */
    float dct[AT_N_CEPS][AT_N_MEL];
};

static double hz_to_mel(double hz) { return 2595.0 * log10(1.0 + hz / 700.0); }
static double mel_to_hz(double m) { return 700.0 * (pow(10.0, m / 2595.0) - 1.0); }

at_cepstra *at_cepstra_new(const at_frame_geom *g)
{
    at_cepstra *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    double bin_hz = (double)g->rate / g->nfft;
    double mlo = hz_to_mel(AT_MEL_LO_HZ), mhi = hz_to_mel(AT_MEL_HI_HZ);
    double edge[AT_N_MEL + 2];
    for (int i = 0; i < AT_N_MEL + 2; i++)
        edge[i] = mel_to_hz(mlo + (mhi - mlo) * i / (AT_N_MEL + 1)) / bin_hz;
    int total = 0;
    for (int m = 0; m < AT_N_MEL; m++) {
        c->lo[m] = (int)ceil(edge[m]);
        int hi = (int)floor(edge[m + 2]);
        c->n[m] = hi >= c->lo[m] ? hi - c->lo[m] + 1 : 1;
        total += c->n[m];
    }
    c->weight = malloc(sizeof(float) * total);
    if (!c->weight) {
        free(c);
        return NULL;
    }
    float *w = c->weight;
    for (int m = 0; m < AT_N_MEL; m++) {
        for (int k = 0; k < c->n[m]; k++) {
            double b = c->lo[m] + k;
            double up = (b - edge[m]) / (edge[m + 1] - edge[m]);
            double down = (edge[m + 2] - b) / (edge[m + 2] - edge[m + 1]);
            double v = up < down ? up : down;
            *w++ = (float)(v > 0.0 ? v : 0.0);
        }
    }
    /* DCT-II, orthonormal scaling. */
    for (int q = 0; q < AT_N_CEPS; q++)
        for (int m = 0; m < AT_N_MEL; m++)
            c->dct[q][m] = (float)(sqrt((q ? 2.0 : 1.0) / AT_N_MEL) *
                                   cos(M_PI * q * (m + 0.5) / AT_N_MEL));
    return c;
}

void at_cepstra_free(at_cepstra *c)
{
    if (!c)
        return;
    free(c->weight);
    free(c);
}

void at_cepstra_compute(const at_cepstra *c, const float *power, float *out)
{
    float logmel[AT_N_MEL];
    const float *w = c->weight;
    for (int m = 0; m < AT_N_MEL; m++) {
        double s = 0.0;
        for (int k = 0; k < c->n[m]; k++)
            s += (double)w[k] * power[c->lo[m] + k];
        w += c->n[m];
        /* The floor keeps digital silence finite: -100 dB re the unit. */
        logmel[m] = (float)log(s + 1e-10);
    }
    for (int q = 0; q < AT_N_CEPS; q++) {
        double s = 0.0;
        for (int m = 0; m < AT_N_MEL; m++)
            s += (double)c->dct[q][m] * logmel[m];
        out[q] = (float)s;
    }
}
