/* cepstra: speaker features of one hop from the shared power spectrum:
 * mel-frequency cepstral coefficients (Davis & Mermelstein 1980) over a
 * finer mel filterbank than voice activity's 16 bands, 100-3800 Hz so the
 * features are the same at 8 and 48 kHz. */
#ifndef ATTUNE_CEPSTRA_H
#define ATTUNE_CEPSTRA_H

#include "frame.h"

#define AT_N_MEL 32          /* triangular filters, 100-3800 Hz */
#define AT_N_CEPS 20         /* c0 (log energy) .. c19 */
#define AT_MEL_LO_HZ 100.0
#define AT_MEL_HI_HZ 3800.0

typedef struct at_cepstra at_cepstra;

/* A filterbank and DCT for the geometry g; NULL when out of memory. */
at_cepstra *at_cepstra_new(const at_frame_geom *g);
void at_cepstra_free(at_cepstra *c);

/* From one frame's power spectrum (g->n_bins values, at_frame_power()) to
 * AT_N_CEPS coefficients in out (natural-log units; c0 is log energy). */
void at_cepstra_compute(const at_cepstra *c, const float *power, float *out);

#endif
