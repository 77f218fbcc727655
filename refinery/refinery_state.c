/* Checkpoints of the refining and fabrication stages: installed capacity,
 * the last step's flows (the chain reads refinery.last_product and
 * fabrication.last_panel_mass / last_limit to plan the next step), running
 * totals, and the radiator duty the chain sets. Routes, design figures and
 * parameters are rebuilt from the deck at init. */
#include "fabrication.h"
#include "refinery.h"

lsim_status lsim_refinery_state(lsim_refinery *m, lsim_state *s)
{
    lsim_status st = lsim_state_f64(s, "refinery.plants", &m->plants, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_consumed", m->last_consumed, LSIM_EL_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_product", m->last_product, LSIM_REFINERY_PRODUCT_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_slag", m->last_slag, LSIM_EL_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_energy", &m->last_energy, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_power", &m->last_power, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_earth_supply", &m->last_earth_supply, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.total_energy", &m->total_energy, 1);
    return st;
}

lsim_status lsim_fabrication_state(lsim_fabrication *f, lsim_state *s)
{
    lsim_status st = lsim_state_f64(s, "fabrication.lines", &f->lines, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.radiator_duty", &f->radiator_duty, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_silicon", &f->last_silicon, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_aluminium", &f->last_aluminium, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_glass", &f->last_glass, 1);
    if (st == LSIM_OK)
        st = lsim_state_f64(s, "fabrication.last_glass_by_element", f->last_glass_by_element, LSIM_EL_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_panel_area", &f->last_panel_area, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_panel_mass", &f->last_panel_mass, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_radiator_mass", &f->last_radiator_mass, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_power", &f->last_power, 1);
    if (st == LSIM_OK) {
        int32_t limit = (int32_t)f->last_limit;
        st = lsim_state_i32(s, "fabrication.last_limit", &limit, 1);
        if (st == LSIM_OK) f->last_limit = (int)limit;
    }
    return st;
}
