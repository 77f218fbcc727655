/* Checkpoint of the orbit stage: the arrival ring (every slot and the head,
 * plus the running in-transit sums, which are re-added only once per lap and
 * so carry their own rounding), the flight model's own state, parts waiting,
 * installed power, growth counts (catchers from caught hardware included)
 * and the running totals, and the chip supply and compute fleets
 * (compute_hardware.c). The flight schedule, ring length and degradation
 * factor are rebuilt from the deck at init. */
#include "orbit.h"

#include "compute_hardware.h"

lsim_status lsim_orbit_state(lsim_orbit *m, lsim_state *s)
{
    const int loading = lsim_state_is_loading(s);
    lsim_orbit_transit *t = &m->transit;

    /* The ring length follows from the flight schedule and run.time_step; a
     * checkpoint from another deck has another length and cannot be resumed. */
    size_t length = t->length;
    lsim_status st = lsim_state_size(s, "orbit.arrival_ring_length", &length);
    if (st != LSIM_OK) return st;
    if (loading && length != t->length)
        return lsim_fail(LSIM_ERR_INPUT,
                         "checkpoint has a flight arrival ring of %zu steps, this deck gives %zu "
                         "(orbit.flight_model, orbit.transit_time or run.time_step changed)",
                         length, t->length);
    size_t head = t->head;
    st = lsim_state_size(s, "orbit.arrival_ring_head", &head);
    if (st != LSIM_OK) return st;
    if (loading && head >= (length ? length : 1))
        return lsim_fail(LSIM_ERR_INPUT,
                         "checkpoint entry 'orbit.arrival_ring_head' = %zu is outside the %zu-step arrival ring", head,
                         length);
    t->head = head;
    st = lsim_state_f64(s, "orbit.arrival_ring", t->slots, length * LSIM_ORBIT_STREAM_COUNT);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.in_transit", t->in_transit, LSIM_ORBIT_STREAM_COUNT);
    if (st == LSIM_OK) st = lsim_orbit_flight_state(&m->flight, s);

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
    if (st == LSIM_OK)
        st = lsim_state_f64(s, "orbit.correction_propellant_total", &m->correction_propellant_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.reaction_mass_total", &m->reaction_mass_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.assembled_total", &m->assembled_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.degraded_total", &m->degraded_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.earth_supplied_total", &m->earth_supplied_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.catcher_hardware_total", &m->catcher_hardware_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.catchers_from_hardware", &m->catchers_from_hardware, 1);
    if (st == LSIM_OK) st = lsim_state_i64(s, "orbit.earth_launches_done", &m->earth_launches_done, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "orbit.earth_launch_allowance", &m->earth_launch_allowance, 1);
    if (st == LSIM_OK) st = lsim_orbit_compute_state(m, s);
    return st;
}
