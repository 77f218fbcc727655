/* Checkpoint of the orbit stage: the flight delay line (every slot and the
 * head, plus the running in-transit sums, which are re-added only once per
 * lap and so carry their own rounding), parts waiting, installed power,
 * growth counts and the running totals. The flight model, delay length and
 * degradation factor are rebuilt from the deck at init. */
#include "orbit.h"

lsim_status lsim_orbit_state(lsim_orbit *m, lsim_state *s)
{
    const int loading = lsim_state_is_loading(s);
    lsim_orbit_transit *t = &m->transit;

    /* The delay length follows from orbit.transit_time and run.time_step; a
     * checkpoint from another deck has another length and cannot be resumed. */
    size_t steps = t->steps;
    lsim_status st = lsim_state_size(s, "orbit.transit_steps", &steps);
    if (st != LSIM_OK) return st;
    if (loading && steps != t->steps)
        return lsim_fail(LSIM_ERR_INPUT,
                         "checkpoint has a flight delay line of %zu steps, this deck gives %zu "
                         "(orbit.transit_time or run.time_step changed)",
                         steps, t->steps);
    size_t head = t->head;
    st = lsim_state_size(s, "orbit.transit_head", &head);
    if (st != LSIM_OK) return st;
    if (loading && head >= (steps ? steps : 1))
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint entry 'orbit.transit_head' = %zu is outside the %zu-step delay line",
                         head, steps);
    t->head = head;
    st = lsim_state_f64(s, "orbit.transit_slots", t->slots, steps * LSIM_ORBIT_STREAM_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.in_transit", t->in_transit, LSIM_ORBIT_STREAM_COUNT);

    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.catcher_count", &m->catcher_count, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.assembly_units", &m->assembly_units, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.parts.panel_mass", &m->parts.panel_mass, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.parts.panel_watts", &m->parts.panel_watts, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.parts.radiator_mass", &m->parts.radiator_mass, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.parts.radiator_watts", &m->parts.radiator_watts, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.parts.earth_parts", &m->parts.earth_parts, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.installed_power", &m->installed_power, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.installed_mass", &m->installed_mass, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.launched_total", &m->launched_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.caught_total", &m->caught_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.lost_total", &m->lost_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.overflow_total", &m->overflow_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.assembled_total", &m->assembled_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.degraded_total", &m->degraded_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.earth_supplied_total", &m->earth_supplied_total, 1);
    if (st == LSIM_OK) st = lsim_state_i64(s, "orbit.earth_launches_done", &m->earth_launches_done, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.earth_launch_allowance", &m->earth_launch_allowance, 1);
    return st;
}
