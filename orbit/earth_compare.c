#include "earth_compare.h"

lsim_orbit_earth_equivalent lsim_orbit_earth_equivalent_of(double power_W, double specific_mass_kg_per_W,
                                                           double payload_per_launch_kg)
{
    lsim_orbit_earth_equivalent e;
    e.mass = power_W * specific_mass_kg_per_W;
    e.launches = payload_per_launch_kg > 0.0 ? e.mass / payload_per_launch_kg : 0.0;
    return e;
}
