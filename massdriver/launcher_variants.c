/* The launcher table, built from LSIM_LAUNCHER_VARIANTS (launcher.h). */
#include "launcher.h"

#define LSIM_LAUNCHER_ROW_(name, doc)                                                                    \
    {LSIM_VARIANT_HEAD(name, doc), lsim_launcher_##name##_design, lsim_launcher_##name##_state,          \
     lsim_launcher_##name##_free, lsim_launcher_##name##_write_profiles},

const lsim_launcher_variant lsim_launcher_variants[] = {LSIM_LAUNCHER_VARIANTS(LSIM_LAUNCHER_ROW_)};
const size_t lsim_launcher_variant_count = sizeof lsim_launcher_variants / sizeof lsim_launcher_variants[0];

const lsim_launcher_variant *lsim_launcher_variant_find(const char *name)
{
    return LSIM_VARIANT_FIND(lsim_launcher_variants, name);
}
