#include "assembly.h"

#include <math.h>

/* Takes `used` of a rated quantity and its mass in proportion; returns the mass used. */
static double take_rated(double *mass, double *rating, double used)
{
    if (used <= 0.0 || *rating <= 0.0) return 0.0;
    if (used >= *rating) {
        double all = *mass;
        *mass = 0.0;
        *rating = 0.0;
        return all;
    }
    double mass_used = *mass * (used / *rating);
    *mass -= mass_used;
    *rating -= used;
    return mass_used;
}

lsim_orbit_assembly_result lsim_orbit_assemble(lsim_orbit_parts *parts, const lsim_orbit_assembly_spec *spec,
                                               double capacity_W)
{
    lsim_orbit_assembly_result r = {0.0, 0.0, 0.0, 0.0, LSIM_ORBIT_LIMIT_NONE};
    if (parts->panel_watts <= 0.0 && parts->radiator_watts <= 0.0) return r;

    double allowed[LSIM_ORBIT_LIMIT_COUNT];
    allowed[LSIM_ORBIT_LIMIT_NONE] = INFINITY;
    allowed[LSIM_ORBIT_LIMIT_PANELS] = fmax(parts->panel_watts, 0.0);
    allowed[LSIM_ORBIT_LIMIT_RADIATORS] = spec->radiator_watts_per_watt > 0.0
                                              ? fmax(parts->radiator_watts, 0.0) / spec->radiator_watts_per_watt
                                              : INFINITY;
    allowed[LSIM_ORBIT_LIMIT_CHIPS] =
        spec->earth_mass_per_watt > 0.0 ? fmax(parts->earth_parts, 0.0) / spec->earth_mass_per_watt : INFINITY;
    allowed[LSIM_ORBIT_LIMIT_ASSEMBLY] = fmax(capacity_W, 0.0);

    int limit = LSIM_ORBIT_LIMIT_PANELS;
    for (int k = LSIM_ORBIT_LIMIT_RADIATORS; k < LSIM_ORBIT_LIMIT_COUNT; ++k)
        if (allowed[k] < allowed[limit]) limit = k;
    double power = allowed[limit];
    r.limit = (lsim_orbit_limit)limit;
    if (!(power > 0.0)) return r;
    r.power = power;

    r.panel_mass = take_rated(&parts->panel_mass, &parts->panel_watts, power);
    double rejection = power * spec->radiator_watts_per_watt;
    r.radiator_mass = limit == LSIM_ORBIT_LIMIT_RADIATORS
                          ? take_rated(&parts->radiator_mass, &parts->radiator_watts, parts->radiator_watts)
                          : take_rated(&parts->radiator_mass, &parts->radiator_watts, rejection);
    if (limit == LSIM_ORBIT_LIMIT_CHIPS) {
        r.earth_mass = parts->earth_parts;
        parts->earth_parts = 0.0;
    } else {
        r.earth_mass = fmin(power * spec->earth_mass_per_watt, parts->earth_parts);
        parts->earth_parts -= r.earth_mass;
    }
    return r;
}
