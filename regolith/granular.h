/* The granular excavation sub-model: a 2-D discrete-element bed of lunar
 * regolith cut by a blade (Chipmunk2D), with the Fundamental Earthmoving
 * Equation as its analytic check.
 *
 * Everything is per unit out-of-plane width and in SI. Real lunar grains
 * (68-139 um, mean ~93 um, as quoted from docs/REFERENCES.md [Heiken1991]) cannot be simulated one by
 * one, so the bed is made of scaled-up grains (default 4-6 mm). This is sound
 * for what is extracted here: in a cohesionless bed the forces on a tool are
 * frictional and set by the weight of the soil that fails, F ~ gamma d^2
 * N_gamma(phi, delta, alpha), which holds no grain length at all once the cut
 * is many grains deep; the grain size only sets the noise (fewer grains in
 * the failing wedge) and the roughness of the surface from which d is measured.
 * The microscopic friction mu is calibrated so that the macroscopic friction
 * angle (the angle of repose of a poured pile) hits its target, not set to
 * tan(phi). Cohesion (real lunar soil: ~0.1-1 kPa) and electrostatics are
 * left out.
 *
 * Grains are discs or, by default, rounded regular pentagons: Chipmunk2D has no rolling resistance, and a disc assembly rolls so
 * freely that its angle of repose stays near 20 deg whatever mu is; corners
 * give the interlocking real angular regolith grains have (measured: see the
 * table in granular.c).
 *
 * A case creates and frees its own cpSpace and touches no global state, so
 * cases can run in parallel (one space per thread) and a case
 * gives the same bits wherever and whenever it runs. */
#ifndef LSIM_GRANULAR_H
#define LSIM_GRANULAR_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Lunar gravity, docs/REFERENCES.md [MoonFactSheet]. */
#define LSIM_GRANULAR_LUNAR_GRAVITY 1.62
/* Grain density from the specific gravity 2.90-3.24 (docs/REFERENCES.md
 * [Carrier1973]); 3.1 is mid-range. */
#define LSIM_GRANULAR_GRAIN_DENSITY 3100.0

/* Default macroscopic friction angle: the loose end of the 30-50 deg range
 * (docs/REFERENCES.md [Heiken1991], chapter 9), as befits a poured bed;
 * 2-D pentagons cannot be poured steeper than ~34 deg anyway. */
#define LSIM_GRANULAR_DEFAULT_FRICTION_ANGLE (30.0 * 3.14159265358979323846 / 180.0)

/* Bins of the draft-force profile along the blade's travel. */
#define LSIM_GRANULAR_PROFILE_BINS 24

/* What lies below the cut line.
 * RIGID: a layer of depth cut_depth is poured on a flat frictional floor and
 *   the blade skims the floor, cutting the whole layer. The soil below the cut
 *   is then exactly as the FEE takes it, immobile, and a tip at depth d does
 *   not bear on grains straddling the cut line: with grains of size D that
 *   bearing term ~ gamma d D N_q is comparable to gamma d^2 N_gamma when d/D
 *   ~ 10 (in the LOOSE runs it adds a nearly constant 4-9 N/m), while for real
 *   93 um grains (d/D ~ 300) it vanishes. It also stands for the loose top
 *   layer over much denser soil that skimming excavators take (docs/REFERENCES.md
 *   [Heiken1991], density by depth).
 * LOOSE: the blade tip is cut_depth deep in a deeper poured bed (grains below
 *   the tip move), so the draft includes that grain-scale tip term. */
typedef enum { LSIM_GRANULAR_BASE_RIGID = 0, LSIM_GRANULAR_BASE_LOOSE = 1 } lsim_granular_base;

typedef struct {
    /* grains */
    double grain_diameter_min;  /* m; diameters uniform in [min, max] (circumscribed, rounding included) */
    double grain_diameter_max;  /* m */
    int grain_sides;            /* 0: discs; 3..12: rounded regular polygons */
    double grain_rounding;      /* corner rounding radius / circumscribed radius (polygons) */
    double grain_density;       /* kg m-3, solid */
    double grain_friction;      /* microscopic Coulomb coefficient mu (grain-grain and grain-floor) */
    double grain_elasticity;    /* Chipmunk restitution, 0..1 */
    double friction_angle;      /* rad: the macroscopic target mu was calibrated for; used by the FEE comparison */
    double gravity;             /* m s-2 */
    uint64_t seed;              /* grain sizes and orientations (core/rng.h) */

    /* bed */
    double bed_length;          /* m, inside width of the container */
    double bed_depth;           /* m, target fill height; sets the grain count when grain_count is 0 */
    size_t grain_count;         /* 0: derived from bed_length * bed_depth */

    /* blade */
    double rake_angle;          /* rad, face to horizontal (pi/2: vertical); the tip leads */
    double cut_depth;           /* m below the settled surface (rigid base: target layer depth) */
    double blade_speed;         /* m s-1, horizontal */
    double blade_travel;        /* m the tip moves */
    double blade_friction;      /* grain-blade Coulomb coefficient */
    double blade_rise;          /* m the blade top stands above the surface; spoil spills over it */
    double measure_skip;        /* m of travel left out of the mean (start-up transient) */
    double collect_height;      /* m: grains lifted this far above the surface are taken away (the
                                   bucket), so no spoil surcharge builds up; 0 keeps them */
    int base;                   /* lsim_granular_base: what lies below the cut */
    double base_friction;       /* grain-floor Coulomb coefficient of a rigid base */

    /* integration */
    double dt;                  /* s */
    int solver_iterations;
    long settle_steps_max;      /* pouring and settling */
    long settle_steps_min;
    double settle_energy_ratio; /* settled when kinetic energy per grain < ratio * m_mean g d_mean */
} lsim_granular_case;

typedef struct {
    double draft_force;        /* N m-1: mean horizontal force on the blade over the measured travel */
    double draft_force_stderr; /* N m-1: standard error of that mean from the profile bins */
    double cut_depth;          /* m actually cut (rigid base: the settled layer's mass-equivalent depth) */
    double tip_draft_force;    /* N m-1: the part of draft_force from grains whose centre is below the tip */
    double vertical_force;     /* N m-1: mean vertical force on the blade (+ up) */
    double wall_friction_angle;/* rad: mobilised soil-blade friction, atan(tangential / normal) on the face */
    double packing_fraction;   /* 1: areal solid fraction of the settled bed (2-D) */
    double bulk_density;       /* kg m-3: packing_fraction * grain_density */
    double surface_height;     /* m: height of the settled bed (mass-equivalent, see granular.c) */
    double mass_per_length;    /* kg m-2: bulk_density * cut_depth, mass cut per metre of travel per metre of width */
    double specific_energy;    /* J kg-1: draft_force / mass_per_length */
    double fee_draft;          /* N m-1: lsim_granular_fee_draft for the same bed, depth and angles */
    double profile[LSIM_GRANULAR_PROFILE_BINS]; /* N m-1: mean draft in equal bins of travel */
    double collected_mass;     /* kg m-1: spoil taken into the bucket over the whole travel */
    double collected_rate;     /* kg m-2: spoil collected per metre of travel over the measured part */
    size_t grain_count;        /* grains in the bed when the blade starts */
    long settle_steps;         /* steps the deposition took */
    long cut_steps;
    double settle_kinetic_energy; /* J m-1 at the end of settling */
} lsim_granular_result;

typedef struct {
    double angle_left, angle_right; /* rad: slopes of the two flanks */
    double angle;                   /* rad: their mean */
    double height;                  /* m: pile height */
    size_t grain_count;
    long steps;
} lsim_granular_pile;

/* Fills a case with the defaults (scaled 4-6 mm pentagons, Apollo-range grain
 * density, lunar gravity, rake 45 deg, 3 cm cut at 0.1 m/s, bed sized by
 * lsim_granular_fit_bed) and the grain friction calibrated for
 * `friction_angle` (rad). */
void lsim_granular_default_case(lsim_granular_case *c, double friction_angle);

/* Sizes the bed to the cut: travel 2 d, the first d/4 of it left out of the
 * mean, max(d/2, 4 grains) of bed below the tip, and room ahead for the
 * Coulomb failure wedge. Call it again after changing cut_depth, the grains
 * or the angles. */
void lsim_granular_fit_bed(lsim_granular_case *c);

/* Grain-grain mu that gives a poured pile the angle of repose `angle` (rad),
 * interpolated in a table measured with granular_calibrate for the default
 * grains; clamped to the table's range (see granular.c for the table). */
double lsim_granular_friction_for_repose(double angle);

/* Runs one cut: pour and settle the bed, place the blade, drag it, average the
 * draft. Creates and frees its own cpSpace; no globals. */
lsim_status lsim_granular_run(const lsim_granular_case *c, lsim_granular_result *r);

/* Runs n independent cases (OpenMP over cases, one cpSpace per case). Every
 * result is bitwise what lsim_granular_run gives for that case alone. On a
 * failure the first failing case (in index order) names itself in the message. */
lsim_status lsim_granular_run_many(const lsim_granular_case *c, lsim_granular_result *r, size_t n);

/* Pours `c->grain_count` grains (0: the count of a bed_length x bed_depth
 * bed) from a point source above the middle of a rough floor as wide as
 * bed_length and fits the slopes of the heap. Uses the grain, gravity and
 * integration fields of the case; the blade fields are ignored. */
lsim_status lsim_granular_repose(const lsim_granular_case *c, lsim_granular_pile *pile);

/* What the regolith module runs at init with regolith.dig_energy_model =
 * granular: the default case (30 deg soil, 3 cm cut) for seeds 1 and 2 in
 * parallel; `mean` holds their mean draft_force, specific_energy,
 * packing_fraction, bulk_density, cut_depth, mass_per_length and fee_draft
 * (other fields 0). Fixed seeds: the result is a property of the material,
 * the same in every run. About a second on two cores. */
lsim_status lsim_granular_dig_calibration(lsim_granular_result *mean);

/* Fundamental Earthmoving Equation (Reece 1964; McKyes 1985) for a
 * cohesionless soil without surcharge: the horizontal force per unit width on
 * a blade of rake `alpha` cutting at `depth` in soil of unit weight `gamma`
 * (N m-3) and friction angle `phi`, with soil-blade friction `delta`, from the
 * Coulomb passive wedge minimised over the failure-plane angle (derivation in
 * granular.c). Angles in rad. Returns INFINITY when no wedge can fail. */
double lsim_granular_fee_draft(double gamma, double depth, double phi, double delta, double alpha);
/* The same wedge's N_gamma (total blade force P = gamma d^2 N_gamma; draft = P sin(alpha + delta)),
 * and the failure-plane angle beta (rad from horizontal) that minimises it. */
double lsim_granular_fee_n_gamma(double phi, double delta, double alpha, double *beta);

/* Specific cutting energy, J kg-1: the work per metre of travel (the draft,
 * N m-1 = J m-2) over the mass cut per metre of travel (bulk_density * depth). */
double lsim_granular_specific_energy(double draft_force, double bulk_density, double depth);

#endif
