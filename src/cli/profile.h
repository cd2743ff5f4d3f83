/* profile: the --goals option of analyze and live (see profile.c). */
#ifndef ATTUNE_PROFILE_H
#define ATTUNE_PROFILE_H

#include "goals.h"

#include <stddef.h>

/* Fills p for --goals SPEC (a name in models/goals or an INI path; NULL:
 * the built-in default) and names where it came from in path.  0, or -1
 * after reporting. */
int at_profile_resolve(const char *spec, at_goals_profile *p, char *path, size_t path_len);

#endif
