/* The orbit.* parameter table. */
#include <math.h>
#include <string.h>

#include "units.h"
#include "orbit.h"

#define LSIM_DAY 86400.0
#define LSIM_PI 3.14159265358979323846

const lsim_param_def lsim_orbit_param_defs[] = {
    {"orbit", "transit_time", LSIM_PARAM_REAL, "s", "d", 3.0 * LSIM_DAY, 0.0, 60.0 * LSIM_DAY, NULL, NULL,
     "flight time from mass-driver release to the catcher (default catcher at Earth-Moon L2)",
     "design choice: L2 lies ~64,500 km beyond the Moon (the collinear quintic, orbit/cr3bp.c, from the Earth-Moon distance of docs/REFERENCES.md "
     "[MoonFactSheet] and the mass ratio of docs/REFERENCES.md [JPLThreeBody]); a release just above the 2.38 km/s "
     "escape speed keeps a few hundred m/s, so the flight takes days; 3 d is of that order, not read from "
     "docs/REFERENCES.md [Heppenheimer1977]"},
    {"orbit", "flight_model", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0,
     LSIM_VARIANT_CHOICES(LSIM_ORBIT_FLIGHT_MODELS), "three_body",
     "flight from release to the catcher, run at init:" LSIM_VARIANT_DOCS(LSIM_ORBIT_FLIGHT_MODELS),
     "design choice: three_body flies every payload through the Earth-Moon dynamics with its corrections (the "
     "physics); fixed keeps a chosen transit time and share for quick studies; straight_line is a pessimistic "
     "bound (it ignores gravity's focusing)"},
    {"orbit", "capture_efficiency", LSIM_PARAM_REAL, "1", NULL, 0.99, 0.0, 1.0, NULL, NULL,
     "share of arriving mass inside the catcher aperture (flight_model fixed); the rest is lost",
     "design choice: O'Neill-era studies assumed near-total capture with mid-course correction "
     "(docs/REFERENCES.md [Heppenheimer1977]); 1% loss kept visible"},
    {"orbit", "catcher_count", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.0, 1e6, NULL, NULL,
     "catchers in place at the start, made on Earth at their full mass (grown by the chain)", "design choice: one catcher per mass driver at the start"},
    {"orbit", "catcher_capacity", LSIM_PARAM_REAL, "kg s-1", NULL, 100.0, 0.0, 1e6, NULL, NULL,
     "mass one catcher can take in; arrivals above it are lost",
     "design choice: one mass driver at ~10 buckets/s (docs/REFERENCES.md [Kolm1980]) x 9 kg (docs/REFERENCES.md "
     "[PRC1976]) is ~90 kg/s, rounded up so one catcher serves one driver"},
    {"orbit", "catcher_lunar_mass", LSIM_PARAM_REAL, "kg", "t", 1.0e5, 0.0, 1e12, NULL, NULL,
     "lunar-made mass of one catcher (growth cost)", "design choice: order of 100 t of lunar metal and film"},
    {"orbit", "catcher_earth_mass", LSIM_PARAM_REAL, "kg", "t", 1.0e4, 0.0, 1e12, NULL, NULL,
     "Earth-supplied mass of one catcher: avionics, thrusters, sensors (growth cost)",
     "design choice: 10% of the lunar-made mass"},
    {"orbit", "catcher_radius", LSIM_PARAM_REAL, "m", NULL, 50.0, 0.0, 1e7, NULL, NULL,
     "catcher aperture radius (flight_model straight_line and three_body)", "design choice: a 100 m aperture, of the scale of "
                                                   "O'Neill-era catcher sketches (not a cited figure)"},
    {"orbit", "dispersion_samples", LSIM_PARAM_INT, "1", NULL, 10000.0, 1.0, 1e9, NULL, NULL,
     "Monte Carlo samples for the capture share (flight_model straight_line and three_body)",
     "design choice: binomial standard error below 0.005 for any share; three_body flies every sample through "
     "the three-body dynamics (~40 us each), so init stays near half a second"},
    {"orbit", "launch_latitude", LSIM_PARAM_REAL, "rad", "deg", 0.0, -0.5 * LSIM_PI, 0.5 * LSIM_PI, NULL, NULL,
     "selenographic latitude of the mass driver's exit (flight_model three_body)",
     "design choice: an equatorial near-side site, like the O'Neill-era mass driver studied in "
     "docs/REFERENCES.md [Heppenheimer1977]; from 89.5 deg S this model reaches L2 only on a 12-day flight "
     "with a miss 37 times wider (rms 4.9 km against 133 m)"},
    {"orbit", "launch_longitude", LSIM_PARAM_REAL, "rad", "deg", 45.0 * LSIM_PI / 180.0, -LSIM_PI, LSIM_PI, NULL,
     NULL, "selenographic east longitude of the mass driver's exit, 0 at the sub-Earth point (flight_model three_body)",
     "design choice: 45 deg E on the equator, where this model's targeting carries a 2.4 km/s release eastwards "
     "round the Moon to L2 on a track 2.5 deg above the horizon (from the sub-Earth point a level track misses "
     "by 10,000 km)"},
    {"orbit", "track_azimuth_min", LSIM_PARAM_REAL, "rad", "deg", 0.0, -2.0 * LSIM_PI, 2.0 * LSIM_PI, NULL, NULL,
     "least track azimuth (from north towards east) the targeting may choose (flight_model three_body)",
     "design choice: any direction (a track is built where targeting puts it)"},
    {"orbit", "track_azimuth_max", LSIM_PARAM_REAL, "rad", "deg", 2.0 * LSIM_PI, -2.0 * LSIM_PI, 2.0 * LSIM_PI,
     NULL, NULL, "greatest track azimuth the targeting may choose (flight_model three_body)",
     "design choice: any direction (a track is built where targeting puts it)"},
    {"orbit", "track_elevation_min", LSIM_PARAM_REAL, "rad", "deg", 0.0, 0.0, 0.5 * LSIM_PI, NULL, NULL,
     "least track elevation above the local horizontal the targeting may choose (flight_model three_body)",
     "design choice: a level track, as in docs/REFERENCES.md [Johnson1977]"},
    {"orbit", "track_elevation_max", LSIM_PARAM_REAL, "rad", "deg", 10.0 * LSIM_PI / 180.0, 0.0, 0.5 * LSIM_PI,
     NULL, NULL,
     "greatest track elevation above the local horizontal the targeting may choose (flight_model three_body)",
     "design choice: a track end raised on a ramp a few degrees above the horizon; 10 deg bounds it"},
    {"orbit", "catcher_offset_x", LSIM_PARAM_REAL, "m", "km", 0.0, -1e8, 1e8, NULL, NULL,
     "catcher point minus L2 along x (Earth to Moon, rotating frame; flight_model three_body)",
     "design choice: the catcher at L2 itself (docs/REFERENCES.md [Heppenheimer1977])"},
    {"orbit", "catcher_offset_y", LSIM_PARAM_REAL, "m", "km", 0.0, -1e8, 1e8, NULL, NULL,
     "catcher point minus L2 along y (the Moon's direction of motion; flight_model three_body)",
     "design choice: the catcher at L2 itself (docs/REFERENCES.md [Heppenheimer1977])"},
    {"orbit", "catcher_offset_z", LSIM_PARAM_REAL, "m", "km", 0.0, -1e8, 1e8, NULL, NULL,
     "catcher point minus L2 along z (the Moon's orbital pole; flight_model three_body)",
     "design choice: the catcher at L2 itself (docs/REFERENCES.md [Heppenheimer1977])"},
    {"orbit", "correction_count", LSIM_PARAM_INT, "1", NULL, 2.0, 0.0, 8.0, NULL, NULL,
     "mid-course corrections of every payload's flight (flight_model three_body): each measures the payload's "
     "state with the tracking errors and fires the least correction that nulls its predicted miss across the "
     "arrival velocity (the STM of the nominal flight); 0 flies uncorrected",
     "design choice: two, an early one that removes the release errors and a late one that removes most of the "
     "first one's tracking error; without any the default release misses the 50 m aperture 7 times in 10"},
    {"orbit", "correction_first_fraction", LSIM_PARAM_REAL, "1", NULL, 0.5, 0.0, 1.0, NULL, NULL,
     "time of the first mid-course correction as a share of the nominal transit time (flight_model three_body); "
     "the rest are evenly spaced up to correction_last_fraction",
     "design choice: half way, once the flight has left the Moon's vicinity (init refuses a time before that)"},
    {"orbit", "correction_last_fraction", LSIM_PARAM_REAL, "1", NULL, 0.9, 0.0, 1.0, NULL, NULL,
     "time of the last mid-course correction as a share of the nominal transit time (flight_model three_body)",
     "design choice: late enough that the tracking velocity error grows to little over the rest of the flight "
     "(10% of a one-day transit: ~2.5 h, 9 m at 1 mm/s)"},
    {"orbit", "tracking_position_error", LSIM_PARAM_REAL, "m", NULL, 10.0, 0.0, 1e7, NULL, NULL,
     "1 sigma error per axis of a payload's position as tracked at a correction (flight_model three_body)",
     "design choice: ten times the ~1 m of deep-space ranging (docs/REFERENCES.md [Thornton2000]) for a short "
     "tracking arc of a small passive payload; worth sweeping"},
    {"orbit", "tracking_velocity_error", LSIM_PARAM_REAL, "m s-1", "mm/s", 1.0e-3, 0.0, 100.0, NULL, NULL,
     "1 sigma error per axis of a payload's velocity as tracked at a correction (flight_model three_body)",
     "design choice: ten times the ~0.1 mm/s of deep-space Doppler (docs/REFERENCES.md [Thornton2000]) for a "
     "short arc; worth sweeping"},
    {"orbit", "correction_execution_error", LSIM_PARAM_REAL, "1", NULL, 0.01, 0.0, 1.0, NULL, NULL,
     "1 sigma proportional error of each correction's velocity change (flight_model three_body)",
     "design choice: 1% for a small cold-gas thruster"},
    {"orbit", "correction_exhaust_speed", LSIM_PARAM_REAL, "m s-1", "km/s", 600.0, 1.0, 1e5, NULL, NULL,
     "exhaust speed of the payloads' correction thrusters; their propellant is a share of each launched payload "
     "(flight_model three_body)",
     "design choice: cold gas from lunar oxygen (cold-gas thrusters give exhaust speeds of ~0.5-0.7 km/s)"},
    {"orbit", "catcher_exhaust_speed", LSIM_PARAM_REAL, "m s-1", "km/s", 3000.0, 1.0, 1e6, NULL, NULL,
     "exhaust speed of the engine that holds the catcher against the momentum of what it catches; the reaction "
     "mass is a share of the caught stream (flight_model three_body)",
     "design choice: a chemical engine on lunar oxygen and metal fuel, ~3 km/s; an electric engine needs less "
     "mass and far more power (orbit attribute catcher_jet_power_per_capture_rate): worth sweeping"},
    {"orbit", "radiator_heat_per_watt", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.0, 10.0, NULL, NULL,
     "radiator heat rejection needed per W of installed power",
     "design choice: all electrical power used in orbit ends as heat at the chips' temperature; panels "
     "reject their own waste heat"},
    {"orbit", "chip_specific_mass", LSIM_PARAM_REAL, "kg W-1", "kg/kW", 3.0e-3, 0.0, 1.0, NULL, NULL,
     "Earth-made chips and electronics per W of compute power",
     "design choice: accelerator boards with memory and power stages are a few kg per kW without ground "
     "chassis and fans"},
    {"orbit", "earth_structure_specific_mass", LSIM_PARAM_REAL, "kg W-1", "kg/kW", 1.0e-3, 0.0, 1.0, NULL, NULL,
     "Earth-made structure, harness and mechanisms per W of installed power",
     "design choice: 10% of the 10 kg/kW Earth-only system mass of the reference power satellite "
     "(docs/REFERENCES.md [DOE1978])"},
    {"orbit", "housekeeping_fraction", LSIM_PARAM_REAL, "1", NULL, 0.05, 0.0, 0.99, NULL, NULL,
     "share of installed power not fed to compute: assembly robots, catchers, attitude, conversion losses",
     "design choice: a few percent for attitude control, thermal loops and communications"},
    {"orbit", "flops_per_watt", LSIM_PARAM_REAL, "J-1", NULL, 1.0e12, 0.0, 1e15, NULL, NULL,
     "compute performance per W of compute power, FLOP/s per W",
     "design choice: 2023-24 accelerators give ~1.4e12 FLOP/s per W dense 16-bit at board power "
     "(docs/REFERENCES.md [NVIDIAH100]: 989 TFLOP/s at 700 W), rounded down for system overhead"},
    {"orbit", "degradation_rate", LSIM_PARAM_REAL, "s-1", "yr-1", 0.02 / LSIM_JULIAN_YEAR, 0.0, 1.0 / LSIM_DAY, NULL,
     NULL, "exponential loss rate of installed power (0.02/yr = 6.34e-10 s-1)",
     "design choice: triple-junction cells keep 0.89 after 5e14 1-MeV e/cm2 (docs/REFERENCES.md [Fetzer2008]), "
     "a dose of several years outside the magnetosphere, so ~2%/yr; lunar thin film assumed alike"},
    {"orbit", "assembly_units", LSIM_PARAM_REAL, "1", NULL, 1.0, 0.0, 1e9, NULL, NULL,
     "assembly robot units in place at the start, made on Earth (grown by the chain)", "design choice: one unit flown with the first Earth launch"},
    {"orbit", "assembly_rate_per_unit", LSIM_PARAM_REAL, "W s-1", "GW/yr", 10.0e9 / LSIM_JULIAN_YEAR, 0.0, 1e12, NULL,
     NULL, "installed power one assembly unit can place per second (10 GW/yr = 316.9 W/s)",
     "design choice: the 1-100 GW demonstration scale of docs/REFERENCES.md [Criswell1993], 10 GW/yr "
     "per unit"},
    {"orbit", "assembly_unit_earth_mass", LSIM_PARAM_REAL, "kg", "t", 1.0e4, 0.0, 1e12, NULL, NULL,
     "Earth-supplied mass of one assembly unit (growth cost)", "design choice: robots come from Earth"},
    {"orbit", "earth_launch_policy", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0, "on_demand|cadence", "on_demand",
     "on_demand: fly whole Earth launches only for the parts that panels waiting or in flight will need, at most "
     "earth_launch_rate; cadence: fly earth_launch_rate whatever the need",
     "design choice: nobody flies chips years before the panels that need them"},
    {"orbit", "earth_launch_rate", LSIM_PARAM_REAL, "s-1", "yr-1", 100.0 / LSIM_JULIAN_YEAR, 0.0, 1.0, NULL, NULL,
     "Earth launches delivering chips and structure, per second (100/yr = 3.17e-6 s-1): the rate (cadence) or "
     "its ceiling (on_demand)",
     "design choice: 1% of the stated ~10,000 launches/yr plan (docs/REFERENCES.md [SpaceXxAI2026])"},
    {"orbit", "earth_payload_per_launch", LSIM_PARAM_REAL, "kg", "t", 1.0e5, 0.0, 1e7, NULL, NULL,
     "payload of one Earth launch (also used by the Earth-only comparator)",
     "docs/REFERENCES.md [SpaceX2020]: Starship carries ~100-150 t to LEO; low end taken"},
    {"orbit", "earth_specific_mass", LSIM_PARAM_REAL, "kg W-1", "kg/kW", 0.01, 0.0, 1.0, NULL, NULL,
     "Earth-only comparator: launched mass per W of installed orbital power (10 kg/kW)",
     "docs/REFERENCES.md [DOE1978]: the reference power satellite puts ~100,000 t in orbit per 10 GW"},
    {"orbit", "earth_compute_supply", LSIM_PARAM_REAL, "W s-1", "GW/yr", 5.0e9 / LSIM_JULIAN_YEAR, 0.0,
     1.0e15 / LSIM_JULIAN_YEAR, NULL, NULL,
     "Earth's production of compute hardware fit for space at t = 0, in W of compute per second (5 GW/yr)",
     "docs/REFERENCES.md [TechInsights2024]: 3.85 million data-centre GPUs shipped in 2023, x 700 W board power "
     "(docs/REFERENCES.md [NVIDIAH100]) x 1.82 for host and network (docs/REFERENCES.md [EpochAI2025]) = 4.9 GW/yr; "
     "taken as 5 GW/yr, all of it made radiation-tolerant by design (what the programme gets is "
     "programme_compute_share)"},
    {"orbit", "earth_compute_growth", LSIM_PARAM_REAL, "s-1", "yr-1", 0.10 / LSIM_JULIAN_YEAR,
     -1.0 / LSIM_JULIAN_YEAR, 2.0 / LSIM_JULIAN_YEAR, NULL, NULL,
     "growth rate of Earth's compute production: supply(t) = earth_compute_supply exp(growth t) (0.1/yr)",
     "design choice: data-centre GPU shipments grew 44% from 2022 to 2023 (docs/REFERENCES.md [TechInsights2024]), "
     "which no industry keeps for decades; 10%/yr is near the semiconductor industry's long-run growth; worth "
     "sweeping"},
    {"orbit", "programme_compute_share", LSIM_PARAM_REAL, "1", NULL, 0.05, 0.0, 1.0, NULL, NULL,
     "share of Earth's compute production this programme gets (its chips accumulate at share x supply(t))",
     "design choice: a programme of national scale buying a twentieth of world accelerator output; worth "
     "sweeping"},
    {"orbit", "compute_module_power", LSIM_PARAM_REAL, "W", "kW", 1300.0, 1.0, 1e9, NULL, NULL,
     "compute power of one module, the unit that is burnt in, fails and is replaced whole",
     "design choice: one accelerator with its share of host, memory, network and power stages: 700 W "
     "(docs/REFERENCES.md [NVIDIAH100]) x 1.82 (docs/REFERENCES.md [EpochAI2025]) = 1.27 kW"},
    {"orbit", "chip_burn_in_time", LSIM_PARAM_REAL, "s", "h", 160.0 * 3600.0, 0.0, LSIM_JULIAN_YEAR, NULL, NULL,
     "operating time of every module on the ground before launch: screens infant mortality; modules that fail "
     "in it are made again from the chip supply",
     "docs/REFERENCES.md [MILSTD883]: test method 1015 burns microcircuits in for 160 h at 125 C; taken as 160 h "
     "of age at service conditions (no thermal acceleration); worth sweeping"},
    {"orbit", "compute_infant_shape", LSIM_PARAM_REAL, "1", NULL, 0.3, 0.01, 1.0, NULL, NULL,
     "Weibull shape of the infant-mortality piece of a module's hazard (below 1: falling)",
     "design choice: latent defects that surface within weeks: with compute_infant_scale, 1.9% of modules fail "
     "in 160 h, 3.0% in 30 d and 6.3% in a year"},
    {"orbit", "compute_infant_scale", LSIM_PARAM_REAL, "s", "yr", 1.0e4 * LSIM_JULIAN_YEAR, 0.0,
     1.0e9 * LSIM_JULIAN_YEAR, NULL, NULL,
     "Weibull scale of the infant-mortality piece (cumulative hazard (age/scale)^shape; 0 leaves it out)",
     "design choice: see compute_infant_shape; worth sweeping with chip_burn_in_time"},
    {"orbit", "compute_random_scale", LSIM_PARAM_REAL, "s", "yr", 16.4 * LSIM_JULIAN_YEAR, 0.0,
     1.0e9 * LSIM_JULIAN_YEAR, NULL, NULL,
     "mean time to a random failure of a module in its useful life (constant hazard 1/scale; 0 leaves it out)",
     "docs/REFERENCES.md [Dubey2024]: 148 faulty-GPU interruptions in 54 days on 16,384 H100s = 6.1%/yr per "
     "GPU, all taken as permanent (nothing is reseated in orbit, and radiation adds), so 1/0.061 yr"},
    {"orbit", "compute_wearout_shape", LSIM_PARAM_REAL, "1", NULL, 3.0, 1.0, 20.0, NULL, NULL,
     "Weibull shape of the wear-out piece of a module's hazard (above 1: rising)",
     "design choice: wear-out (electromigration, corrosion, solder fatigue) rising steeply after years; see "
     "compute_wearout_scale"},
    {"orbit", "compute_wearout_scale", LSIM_PARAM_REAL, "s", "yr", 12.0 * LSIM_JULIAN_YEAR, 0.0,
     1.0e9 * LSIM_JULIAN_YEAR, NULL, NULL,
     "Weibull scale of the wear-out piece (0 leaves it out): 7% of modules worn out by 5 yr, 44% by 10 yr",
     "design choice: Titan's GPUs began failing in numbers after about four years of service "
     "(docs/REFERENCES.md [Ostrouchov2020]) and data centres retire accelerators after 5-6 years; worth sweeping"},
    {"orbit", "compute_spare_share", LSIM_PARAM_REAL, "1", NULL, 0.02, 0.0, 1.0, NULL, NULL,
     "spare modules kept in orbit per module in service; failed modules are replaced from them and Earth "
     "launches top them up",
     "design choice: about three months of failures at the default hazard (~8%/yr); worth sweeping"},
    {"orbit", "compute_wear_interval", LSIM_PARAM_REAL, "s", "d", LSIM_DAY, 3600.0, LSIM_JULIAN_YEAR, NULL, NULL,
     "time between wear draws of the compute modules (burn-in draws are at most 1/16 of chip_burn_in_time apart)",
     "design choice: the hazard is integrated exactly over a tick, so only the timing of failures within a day "
     "is coarsened"},
    {"orbit", "compute_cohort_interval", LSIM_PARAM_REAL, "s", "d", 30.0 * LSIM_DAY, 3600.0, LSIM_JULIAN_YEAR,
     NULL, NULL, "modules installed within this interval share one cohort (and its first install time)",
     "design choice: a merged module is older on the hazard's clock by under 30 d, well inside the hazard's "
     "scales; a 30-year run keeps a few hundred cohorts"},
};

const size_t lsim_orbit_param_count = sizeof lsim_orbit_param_defs / sizeof lsim_orbit_param_defs[0];

static const lsim_param_def *find_def(const char *key)
{
    for (size_t i = 0; i < lsim_orbit_param_count; ++i)
        if (strcmp(lsim_orbit_param_defs[i].key, key) == 0) return &lsim_orbit_param_defs[i];
    return NULL;
}

typedef double (*real_getter)(const void *ctx, const char *key);
typedef const char *(*text_getter)(const void *ctx, const char *key);

static double default_real(const void *ctx, const char *key)
{
    (void)ctx;
    const lsim_param_def *d = find_def(key);
    return d ? d->default_value : NAN;
}

static const char *default_text(const void *ctx, const char *key)
{
    (void)ctx;
    const lsim_param_def *d = find_def(key);
    return d ? d->default_text : "";
}

static double param_real(const void *ctx, const char *key)
{
    const lsim_params *p = ctx;
    long index = lsim_params_find(p, "orbit", key);
    const lsim_param_def *d = index >= 0 ? lsim_params_def(p, (size_t)index) : NULL;
    if (d && d->type == LSIM_PARAM_INT) return (double)lsim_param_int(p, "orbit", key);
    return lsim_param_real(p, "orbit", key);
}

static const char *param_text(const void *ctx, const char *key)
{
    return lsim_param_text((const lsim_params *)ctx, "orbit", key);
}

static void fill_config(lsim_orbit_config *c, const void *ctx, real_getter r, text_getter t)
{
    memset(c, 0, sizeof *c);
    c->transit_time = r(ctx, "transit_time");
    c->flight_model = lsim_orbit_flight_model_find(t(ctx, "flight_model"));
    c->capture_efficiency = r(ctx, "capture_efficiency");
    c->catcher_count = r(ctx, "catcher_count");
    c->catcher_capacity = r(ctx, "catcher_capacity");
    c->catcher_lunar_mass = r(ctx, "catcher_lunar_mass");
    c->catcher_earth_mass = r(ctx, "catcher_earth_mass");
    /* The release errors belong to the launcher: the chain copies them from
     * massdriver.exit_speed, launch_elevation, speed_error_sigma and
     * pointing_error_sigma. These are the same defaults, for the module on
     * its own. */
    c->release = (lsim_release_errors){.exit_speed = LSIM_ORBIT_STANDALONE_RELEASE_SPEED,
                                       .elevation = LSIM_ORBIT_STANDALONE_ELEVATION,
                                       .sigma_speed = LSIM_ORBIT_STANDALONE_SIGMA_SPEED,
                                       .sigma_angle = LSIM_ORBIT_STANDALONE_SIGMA_ANGLE};
    c->catcher_radius = r(ctx, "catcher_radius");
    c->dispersion_samples = r(ctx, "dispersion_samples");
    c->launch_latitude = r(ctx, "launch_latitude");
    c->launch_longitude = r(ctx, "launch_longitude");
    c->track_azimuth_min = r(ctx, "track_azimuth_min");
    c->track_azimuth_max = r(ctx, "track_azimuth_max");
    c->track_elevation_min = r(ctx, "track_elevation_min");
    c->track_elevation_max = r(ctx, "track_elevation_max");
    c->catcher_offset[0] = r(ctx, "catcher_offset_x");
    c->catcher_offset[1] = r(ctx, "catcher_offset_y");
    c->catcher_offset[2] = r(ctx, "catcher_offset_z");
    c->correction_count = r(ctx, "correction_count");
    c->correction_first_fraction = r(ctx, "correction_first_fraction");
    c->correction_last_fraction = r(ctx, "correction_last_fraction");
    c->tracking_position_error = r(ctx, "tracking_position_error");
    c->tracking_velocity_error = r(ctx, "tracking_velocity_error");
    c->correction_execution_error = r(ctx, "correction_execution_error");
    c->correction_exhaust_speed = r(ctx, "correction_exhaust_speed");
    c->catcher_exhaust_speed = r(ctx, "catcher_exhaust_speed");
    c->radiator_heat_per_watt = r(ctx, "radiator_heat_per_watt");
    c->chip_specific_mass = r(ctx, "chip_specific_mass");
    c->earth_structure_specific_mass = r(ctx, "earth_structure_specific_mass");
    c->housekeeping_fraction = r(ctx, "housekeeping_fraction");
    c->flops_per_watt = r(ctx, "flops_per_watt");
    c->degradation_rate = r(ctx, "degradation_rate");
    c->assembly_units = r(ctx, "assembly_units");
    c->assembly_rate_per_unit = r(ctx, "assembly_rate_per_unit");
    c->assembly_unit_earth_mass = r(ctx, "assembly_unit_earth_mass");
    c->earth_launch_on_demand = strcmp(t(ctx, "earth_launch_policy"), "on_demand") == 0;
    c->earth_launch_rate = r(ctx, "earth_launch_rate");
    c->earth_payload_per_launch = r(ctx, "earth_payload_per_launch");
    c->earth_specific_mass = r(ctx, "earth_specific_mass");
    c->earth_compute_supply = r(ctx, "earth_compute_supply");
    c->earth_compute_growth = r(ctx, "earth_compute_growth");
    c->programme_compute_share = r(ctx, "programme_compute_share");
    c->compute_module_power = r(ctx, "compute_module_power");
    c->chip_burn_in_time = r(ctx, "chip_burn_in_time");
    c->compute_hazard = (lsim_bathtub){
        .shape = {r(ctx, "compute_infant_shape"), 1.0, r(ctx, "compute_wearout_shape")},
        .scale = {r(ctx, "compute_infant_scale"), r(ctx, "compute_random_scale"), r(ctx, "compute_wearout_scale")}};
    c->compute_spare_share = r(ctx, "compute_spare_share");
    c->compute_wear_interval = r(ctx, "compute_wear_interval");
    c->compute_cohort_interval = r(ctx, "compute_cohort_interval");
}

void lsim_orbit_config_from_params(lsim_orbit_config *cfg, const lsim_params *params)
{
    fill_config(cfg, params, param_real, param_text);
}

void lsim_orbit_config_defaults(lsim_orbit_config *cfg) { fill_config(cfg, NULL, default_real, default_text); }
