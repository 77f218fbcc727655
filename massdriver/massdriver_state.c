/* Checkpoint of the mass-driver fleet: drivers built, how they are spread
 * over the maintenance phases, and the running launch totals (launches_total
 * is the first launch index of the next step's dispersion sampling), then
 * whatever the launcher variant saves. Design figures are rebuilt from the
 * deck at init. */
#include "massdriver.h"

lsim_status lsim_massdriver_state(lsim_massdriver *m, lsim_state *s)
{
    lsim_status st = lsim_state_f64(s, "massdriver.drivers", &m->drivers, 1);
    /* Saved as is rather than re-spread from `drivers` on load: the spread is
     * a function of the count today, but keeping the bits needs no such promise. */
    if (st == LSIM_OK)
        st = lsim_state_f64(s, "massdriver.phase_drivers", m->phase_drivers, LSIM_MASSDRIVER_MAINTENANCE_PHASES);
    if (st == LSIM_OK) st = lsim_state_f64(s, "massdriver.launches_total", &m->launches_total, 1);
    if (st == LSIM_OK) st = lsim_state_f64(s, "massdriver.mass_launched_total", &m->mass_launched_total, 1);
    /* A launcher variant that evolves (wear, temperatures) saves its own entries. */
    if (st == LSIM_OK && m->launcher->state) st = m->launcher->state(m->launcher_model, s);
    return st;
}
