/* The Earth-only comparator: what launching the same installed power from
 * Earth would take, at a whole-system specific mass (kg per W). */
#ifndef LSIM_ORBIT_EARTH_COMPARE_H
#define LSIM_ORBIT_EARTH_COMPARE_H

typedef struct {
    double mass;     /* kg to orbit */
    double launches; /* launches (fractional: a mean, not a manifest) */
} lsim_orbit_earth_equivalent;

/* mass = power * specific_mass; launches = mass / payload_per_launch. */
lsim_orbit_earth_equivalent lsim_orbit_earth_equivalent_of(double power_W, double specific_mass_kg_per_W,
                                                           double payload_per_launch_kg);

#endif
