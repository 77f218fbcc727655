/* Digging energy 'granular': the blade-cutting sub-model (granular.h) run at
 * init, its cutting-edge work turned into electrical energy.
 *
 *     e_dig = e_cut / eta_drive,   e_cut = F_draft / (rho_bulk d)
 *
 * e_cut is the mean of lsim_granular_dig_calibration (30 deg soil, 3 cm cut,
 * seeds 1 and 2, fixed: a property of the material, the same in every run);
 * eta_drive is regolith.dig_drive_efficiency (motors, gears, drum losses,
 * soil lifted and thrown in the drum). Valid for cohesionless soil; cohesion
 * and electrostatics are left out, so this is a floor for the cutting alone. */
#include "dig_energy.h"

#include "granular.h"

lsim_status lsim_regolith_dig_granular_design(const lsim_params *params, lsim_regolith_dig_design *design,
                                              void **state)
{
    (void)state;
    lsim_granular_result granular;
    lsim_status st = lsim_granular_dig_calibration(&granular);
    if (st != LSIM_OK) return st;
    design->specific_energy = granular.specific_energy / lsim_param_real(params, "regolith", "dig_drive_efficiency");
    design->cutting_draft_force = granular.draft_force;
    design->cutting_specific_energy = granular.specific_energy;
    design->cutting_packing_fraction = granular.packing_fraction;
    return LSIM_OK;
}

void lsim_regolith_dig_granular_attrs(const lsim_regolith_dig_design *design, const void *state,
                                      lsim_series_registry *series)
{
    (void)state;
    const char *g = "regolith";
    lsim_series_group_attr(series, g, "granular_draft_force_per_width", design->cutting_draft_force, "N m-1");
    lsim_series_group_attr(series, g, "granular_specific_cutting_energy", design->cutting_specific_energy, "J kg-1");
    lsim_series_group_attr(series, g, "granular_packing_fraction", design->cutting_packing_fraction, "1");
}

void lsim_regolith_dig_granular_free(void *state) { (void)state; }
