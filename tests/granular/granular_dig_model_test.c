/* The 'granular' digging-energy model as a row of the model table: its
 * design figures are the calibration's, the fleet's design view carries
 * them, the group attributes written at init are the same numbers, and the
 * model called on its own gives the same bits as through the fleet (the
 * calibration uses fixed seeds: a property of the material). */
#include <string.h>

#include "dig_energy.h"
#include "granular.h"
#include "lsim_test.h"
#include "regolith.h"

static double attr(const lsim_series_registry *s, const char *name)
{
    for (size_t i = 0; i < lsim_series_attr_count(s); ++i) {
        const lsim_series_attr *a = lsim_series_attr_at(s, i);
        if (!strcmp(a->group, "regolith") && !strcmp(a->name, name)) return a->value;
    }
    return NAN;
}

int main(void)
{
    lsim_params *p = lsim_params_new();
    LSIM_CHECK(lsim_params_register(p, lsim_regolith_param_defs, lsim_regolith_param_count) == LSIM_OK, "register");
    LSIM_CHECK(lsim_param_set_text(p, "regolith", "dig_energy_model", "granular", "test") == LSIM_OK, "set");
    LSIM_CHECK(lsim_param_set_text(p, "regolith", "dig_drive_efficiency", "0.4", "test") == LSIM_OK, "set");

    /* The model alone. */
    const lsim_regolith_dig_model *model = lsim_regolith_dig_model_find("granular");
    LSIM_CHECK(model != NULL, "granular is in the table");
    if (!model) LSIM_TEST_MAIN_END();
    lsim_regolith_dig_design alone;
    void *state = NULL;
    LSIM_CHECK(model->design(p, &alone, &state) == LSIM_OK, "design: %s", lsim_last_error());
    model->free(state);
    lsim_granular_result cal;
    LSIM_CHECK(lsim_granular_dig_calibration(&cal) == LSIM_OK, "calibration: %s", lsim_last_error());
    LSIM_CHECK(alone.cutting_specific_energy == cal.specific_energy && alone.cutting_draft_force == cal.draft_force &&
                   alone.cutting_packing_fraction == cal.packing_fraction,
               "the cutting figures are the calibration's, bit for bit");
    LSIM_CHECK(alone.specific_energy == cal.specific_energy / 0.4, "e_dig = e_cut / eta_drive, one division");

    /* Through the fleet. */
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m;
    LSIM_CHECK(lsim_regolith_init(&m, p, s, 1) == LSIM_OK, "init: %s", lsim_last_error());
    const lsim_regolith_design *d = lsim_regolith_design_view(&m);
    LSIM_CHECK(strcmp(d->dig_model, "granular") == 0, "the view names the model");
    LSIM_CHECK(memcmp(&d->dig, &alone, sizeof alone) == 0, "the view holds the model's figures, same bits");
    LSIM_CHECK(d->dig_specific_energy == alone.specific_energy, "the fleet digs at the model's figure");
    LSIM_CHECK(d->specific_energy == d->dig_specific_energy + d->haul_specific_energy, "plus the haul");
    LSIM_CHECK(attr(s, "granular_specific_cutting_energy") == d->dig.cutting_specific_energy &&
                   attr(s, "granular_draft_force_per_width") == d->dig.cutting_draft_force &&
                   attr(s, "granular_packing_fraction") == d->dig.cutting_packing_fraction &&
                   attr(s, "dig_specific_energy") == d->dig_specific_energy,
               "the attributes written at init are the view's numbers");
    printf("granular: e_cut %.6f J/kg, draft %.4f N/m, packing %.4f, e_dig %.4f J/kg at eta 0.4\n",
           d->dig.cutting_specific_energy, d->dig.cutting_draft_force, d->dig.cutting_packing_fraction,
           d->dig_specific_energy);
    lsim_regolith_free(&m);
    lsim_series_free(s);
    lsim_params_free(p);
    LSIM_TEST_MAIN_END();
}
