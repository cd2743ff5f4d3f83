/* models: finding and reading the text models in models/ for the CLI. */
#ifndef ATTUNE_MODELS_H
#define ATTUNE_MODELS_H

#include "attune/attune.h"

#include <stddef.h>

/* Reads syllables_per_word from pace.txt in the models directory:
 * $ATTUNE_MODELS if set, else share/attune/models next to the installed
 * binary, else the source tree's models/.  Returns 0, or -1 with a one-line
 * "<path>: <problem>" in err. */
int at_models_pace(double *syllables_per_word, char *err, size_t errlen);

/* The same, read once per run; when pace.txt cannot be read, says so once on
 * stderr and returns the built-in 1.45. */
double at_models_syllables_per_word(void);

/* Reads the vocal-stress model from stress.txt in the same directory
 * (written by tools/train_stress).  Returns 0, or -1 with a one-line
 * "<path>[:<line>]: <problem>" in err. */
int at_models_stress(attune_stress_model *m, char *err, size_t errlen);

/* Whose stress p computes (ATTUNE_STRESS_*) and the model of stress.txt,
 * read once per run; when it cannot be read, says so once on stderr and p
 * gives no index. */
void at_stress_setup(attune_pipeline *p, int who);

#endif
