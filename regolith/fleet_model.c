/* The table of excavator fleet models, built from the list in fleet_model.h. */
#include "fleet_model.h"

#define LSIM_REGOLITH_FLEET_ROW_(name, doc)                                                                      \
    {LSIM_VARIANT_HEAD(name, doc), lsim_regolith_fleet_##name##_init, lsim_regolith_fleet_##name##_add,         \
     lsim_regolith_fleet_##name##_wear, lsim_regolith_fleet_##name##_state, lsim_regolith_fleet_##name##_free},

static const lsim_regolith_fleet_model fleet_models[] = {LSIM_REGOLITH_FLEET_MODELS(LSIM_REGOLITH_FLEET_ROW_)};

const lsim_regolith_fleet_model *lsim_regolith_fleet_model_find(const char *name)
{
    return LSIM_VARIANT_FIND(fleet_models, name);
}
