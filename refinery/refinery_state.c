/* Checkpoints of the refining and fabrication stages: installed capacity,
 * the last step's result (the chain plans the next step on it), running
 * totals, and the radiator duty last used. Routes, design figures and
 * parameters are rebuilt from the deck at init. */
#include "fabrication.h"
#include "refinery.h"

#include <string.h>

/* Sums in element order, as the steps sum them, so a rebuilt total has the step's bits. */
static double element_sum(const double v[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) total += v[e];
    return total;
}

lsim_status lsim_refinery_state(lsim_refinery *m, lsim_state *s)
{
    /* The last step's result is saved from its older mirror fields plus what only the result
     * holds; the totals are rebuilt on load. */
    int32_t limit = (int32_t)m->last.limit;
    lsim_status st = lsim_state_f64(s, "refinery.plants", &m->plants, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_consumed", m->last_consumed, LSIM_EL_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_product", m->last_product, LSIM_REFINERY_PRODUCT_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_slag", m->last_slag, LSIM_EL_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_energy", &m->last_energy, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_power", &m->last_power, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_earth_supply", &m->last_earth_supply, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.last_capacity", &m->last.capacity, 1);
    if (st == LSIM_OK) st = lsim_state_i32(s, "refinery.last_limit", &limit, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "refinery.total_energy", &m->total_energy, 1);
    if (st == LSIM_OK && lsim_state_is_loading(s)) {
        lsim_refinery_step_result *r = &m->last;
        memcpy(r->consumed, m->last_consumed, sizeof r->consumed);
        memcpy(r->slag, m->last_slag, sizeof r->slag);
        r->feed = element_sum(r->consumed);
        r->slag_total = element_sum(r->slag);
        r->silicon = m->last_product[LSIM_REFINERY_SILICON];
        r->aluminium = m->last_product[LSIM_REFINERY_ALUMINIUM];
        r->iron = m->last_product[LSIM_REFINERY_IRON];
        r->titanium = m->last_product[LSIM_REFINERY_TITANIUM];
        r->oxygen = m->last_product[LSIM_REFINERY_OXYGEN];
        r->earth_supply = m->last_earth_supply;
        r->energy = m->last_energy;
        r->power = m->last_power;
        if (limit < LSIM_REFINERY_LIMIT_NONE || limit > LSIM_REFINERY_LIMIT_PLANTS)
            return lsim_fail(LSIM_ERR_INPUT, "checkpoint: refinery.last_limit = %d is not a refinery limit", (int)limit);
        r->limit = (lsim_refinery_limit)limit;
    }
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
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_radiator_area", &f->last.radiator_area, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "fabrication.last_radiator_duty", &f->last.radiator_duty, 1);
    if (st == LSIM_OK) {
        int32_t limit = (int32_t)f->last_limit;
        st = lsim_state_i32(s, "fabrication.last_limit", &limit, 1);
        if (st == LSIM_OK) f->last_limit = (int)limit;
    }
    if (st == LSIM_OK && lsim_state_is_loading(s)) {
        /* The result from the older fields, with the step's own arithmetic for what it derives. */
        lsim_fabrication_step_result *r = &f->last;
        r->silicon = f->last_silicon;
        r->aluminium = f->last_aluminium;
        r->glass = f->last_glass;
        memcpy(r->glass_by_element, f->last_glass_by_element, sizeof r->glass_by_element);
        r->panel_area = f->last_panel_area;
        r->panel_mass = f->last_panel_mass;
        r->panel_power = f->last_panel_area * f->panel_specific_power;
        r->radiator_mass = f->last_radiator_mass;
        r->radiator_rejection = r->radiator_area * f->radiator_flux;
        r->power = f->last_power;
        r->limit = f->last_limit;
    }
    return st;
}
