/* Orbital assembly of power modules: caught lunar panels and radiators plus
 * Earth-launched chips and structure become installed power, at the rate of
 * whichever input runs out first. */
#ifndef LSIM_ORBIT_ASSEMBLY_H
#define LSIM_ORBIT_ASSEMBLY_H

typedef enum {
    LSIM_ORBIT_LIMIT_NONE = 0,      /* no lunar parts waiting: nothing to do */
    LSIM_ORBIT_LIMIT_PANELS = 1,
    LSIM_ORBIT_LIMIT_RADIATORS = 2,
    LSIM_ORBIT_LIMIT_CHIPS = 3,     /* Earth-launched parts */
    LSIM_ORBIT_LIMIT_ASSEMBLY = 4,  /* robot capacity */
    LSIM_ORBIT_LIMIT_COUNT
} lsim_orbit_limit;

/* Parts waiting at the assembly site. */
typedef struct {
    double panel_mass;     /* kg */
    double panel_watts;    /* W rated */
    double radiator_mass;  /* kg */
    double radiator_watts; /* W of heat rejection */
    double earth_parts;    /* kg of chips, electronics and structure from Earth */
} lsim_orbit_parts;

typedef struct {
    double radiator_watts_per_watt; /* W of rejection per W installed */
    double earth_mass_per_watt;     /* kg of Earth parts per W installed */
} lsim_orbit_assembly_spec;

typedef struct {
    double power;         /* W installed this step */
    double panel_mass;    /* kg used */
    double radiator_mass; /* kg used */
    double earth_mass;    /* kg used */
    lsim_orbit_limit limit;
} lsim_orbit_assembly_result;

/* Installs min(panel watts, radiator watts / rejection per W, Earth parts /
 * kg per W, capacity_W) and takes what it used from `parts`. Panel and
 * radiator mass go with their ratings at the waiting stock's mean specific
 * mass. Ties go to the lower limit code; an input that is used up is set to
 * exactly zero. */
lsim_orbit_assembly_result lsim_orbit_assemble(lsim_orbit_parts *parts, const lsim_orbit_assembly_spec *spec,
                                               double capacity_W);

#endif
