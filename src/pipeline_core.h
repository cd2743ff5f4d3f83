/* pipeline_core: the turn-taking core alone, for tools/bench.  Prosody
 * (pitch, syllable nuclei, stress) is what the pipeline computes beyond the
 * core; turning it off on the same code path lets the benchmark state its
 * cost as a ratio measured in one run.  Not part of the public API: the
 * metrics of such a pipeline lack every prosody field. */
#ifndef ATTUNE_PIPELINE_CORE_H
#define ATTUNE_PIPELINE_CORE_H

#include "attune/attune.h"

/* Skips prosody from now on.  Call before the first sample (ATTUNE_ERR_STATE
 * after it) and never on a pipeline that diarizes, whose diarizer reads
 * pitch and nuclei (ATTUNE_ERR_ARG if it already does). */
int at_pipeline_core_only(attune_pipeline *p);

#endif
