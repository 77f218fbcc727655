/* Earth's chips and the wear of orbital compute: internal to the orbit
 * stage (orbit.c calls these in its step; compute_hardware.c holds them).
 *
 * The programme's chips come from Earth's production of space-grade compute
 * hardware, a rate that may grow: supply(t) = earth_compute_supply
 * exp(earth_compute_growth t), of which programme_compute_share is this
 * programme's. Chips are made as modules of compute_module_power, each burnt
 * in on the ground for chip_burn_in_time (a cohort fleet whose life ends at
 * the burn-in time: the units that reach it are the yield, those that fail
 * in it are scrapped and Earth's production has to make them again). The
 * burnt-in modules wait in a chip stock on Earth; Earth launches fly chips
 * only from that stock, as assembly kits (chips with structure, per
 * installed W) and as spare modules.
 *
 * In orbit, installed compute is a cohort fleet of modules on their
 * operating age (the burn-in age included), under the bathtub hazard
 * orbit.compute_*. A failed module is retired and its slot waits for a spare
 * from the spare stock flown up; the spare enters the fleet as a new module
 * of age chip_burn_in_time (renewal: a new chip does not inherit the failed
 * chip's age, which the cohort's minimal repair would give it).
 *
 * Panel wear and module wear combine as a minimum: panels (installed power,
 * degrading exponentially) feed the compute share (1 - housekeeping) of
 * their power to the working modules, and compute runs at the lesser of that
 * power and the working modules' rating. A vacant slot costs compute only
 * once vacancies exceed what panel degradation has already idled. */
#ifndef LSIM_ORBIT_COMPUTE_HARDWARE_H
#define LSIM_ORBIT_COMPUTE_HARDWARE_H

#include "orbit.h"

/* What the chip supply and the compute fleet did in one step. */
typedef struct {
    double chips_produced;   /* W: the programme's share of Earth's production this step */
    double chips_burnt_in;   /* W entering the chip stock */
    double chips_scrapped;   /* modules failed in burn-in */
    double module_failures;  /* modules failed in orbit */
    double module_replacements; /* spares installed in their slots */
} lsim_orbit_compute_step;

/* One Earth cargo: what launches of `launch_mass` kg can carry from the chip
 * stock, spares first (up to `spares_wanted` W), then assembly kits (up to
 * `kits_wanted` kg). launch_mass = INFINITY asks what the chips allow. */
typedef struct {
    double spare_watts; /* W of spare modules */
    double spare_mass;  /* kg */
    double kits_mass;   /* kg of assembly kits (chips and structure) */
    double chips_used;  /* W drawn from the chip stock */
    int chips_ran_out;  /* the chip stock, not the launch mass or the want, ended the cargo */
} lsim_orbit_cargo;

lsim_status lsim_orbit_compute_init(lsim_orbit *m);
void lsim_orbit_compute_free(lsim_orbit *m);

/* Earth's production over [t0, t1] into burn-in, and burn-in up to t1. */
lsim_status lsim_orbit_produce_chips(lsim_orbit *m, double t0, double t1, lsim_orbit_compute_step *out);
/* W of spares wanted in orbit: the spare share of modules in service plus the vacant slots, less what is there. */
double lsim_orbit_spares_wanted(const lsim_orbit *m);
lsim_orbit_cargo lsim_orbit_plan_cargo(const lsim_orbit *m, double launch_mass, double kits_wanted,
                                       double spares_wanted);
/* Takes the cargo's chips from the stock and puts kits and spares in orbit. */
void lsim_orbit_load_cargo(lsim_orbit *m, const lsim_orbit_cargo *cargo);
/* Wear of the modules in orbit up to `now`; failures leave vacant slots, spares fill them. */
lsim_status lsim_orbit_wear_compute(lsim_orbit *m, double now, lsim_orbit_compute_step *out);
/* `power` W installed at `now`: its compute share joins the fleet as modules burnt in on the ground. */
lsim_status lsim_orbit_install_compute(lsim_orbit *m, double power, double now);
/* W fed to compute: min(installed power x (1 - housekeeping), working module rating). */
double lsim_orbit_compute_power(const lsim_orbit *m);
lsim_status lsim_orbit_compute_state(lsim_orbit *m, lsim_state *s);

#endif
