/* Digging energy 'rassor': the deck's whole-machine figure, taken as it is.
 *
 * e_dig = regolith.dig_specific_energy (default 4 kWh/t, RASSOR 2.0,
 * docs/REFERENCES.md [Mueller2015]). It holds motors, drums and the soil's
 * resistance together, so nothing of it can be split out. */
#include "dig_energy.h"

#include <math.h>

lsim_status lsim_regolith_dig_rassor_design(const lsim_params *params, lsim_regolith_dig_design *design,
                                            void **state)
{
    (void)state;
    design->specific_energy = lsim_param_real(params, "regolith", "dig_specific_energy");
    design->cutting_draft_force = NAN;
    design->cutting_specific_energy = NAN;
    design->cutting_packing_fraction = NAN;
    return LSIM_OK;
}

void lsim_regolith_dig_rassor_attrs(const lsim_regolith_dig_design *design, const void *state,
                                    lsim_series_registry *series)
{
    (void)design;
    (void)state;
    (void)series;
}

void lsim_regolith_dig_rassor_free(void *state) { (void)state; }
