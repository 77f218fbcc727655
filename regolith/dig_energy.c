/* The table of digging-energy models, built from the list in dig_energy.h. */
#include "dig_energy.h"

#define LSIM_REGOLITH_DIG_ROW_(name, doc)                                                                        \
    {LSIM_VARIANT_HEAD(name, doc), lsim_regolith_dig_##name##_design, lsim_regolith_dig_##name##_attrs,         \
     lsim_regolith_dig_##name##_free},

static const lsim_regolith_dig_model dig_models[] = {LSIM_REGOLITH_DIG_MODELS(LSIM_REGOLITH_DIG_ROW_)};

const lsim_regolith_dig_model *lsim_regolith_dig_model_find(const char *name)
{
    return LSIM_VARIANT_FIND(dig_models, name);
}

const lsim_regolith_dig_model *lsim_regolith_dig_models(size_t *count)
{
    *count = sizeof dig_models / sizeof dig_models[0];
    return dig_models;
}
