/* Earth's chip supply and the wear of orbital compute modules
 * (orbit/compute_hardware.c): production integral, burn-in moving failures
 * from orbit to the ground as the hazard says, spares filling vacant slots,
 * which Earth supply bound assembly, and the books. */
#include "compute_hardware.h"
#include "lsim_test.h"
#include "orbit.h"

#define YEAR 31557600.0
#define DAY 86400.0

static void base_config(lsim_orbit_config *cfg)
{
    lsim_orbit_config_defaults(cfg);
    cfg->flight_model = lsim_orbit_flight_model_find("fixed"); /* chips and wear, not flight, are under test */
    cfg->transit_time = 0.0;
    cfg->capture_efficiency = 1.0;
    cfg->catcher_capacity = 1e12;
    cfg->degradation_rate = 0.0;
    cfg->earth_launch_rate = 0.0;
    cfg->housekeeping_fraction = 0.0;
    cfg->assembly_rate_per_unit = 1e12;
}

/* Chips accumulate at share x S0 exp(g t): the stock after T is the exact integral. */
static void test_chip_supply(void)
{
    lsim_orbit_config cfg;
    base_config(&cfg);
    cfg.chip_burn_in_time = 0.0;
    cfg.programme_compute_share = 0.05;
    cfg.earth_compute_supply = 5e9 / YEAR;
    cfg.earth_compute_growth = 0.1 / YEAR;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    const int steps = 10 * 8766; /* ten Julian years of hours */
    for (clock.step = 0; clock.step < steps; ++clock.step) lsim_orbit_step(&m, &clock, 0.0, NULL, NULL);
    double expect = 0.05 * 5e9 * (exp(1.0) - 1.0) / 0.1; /* W: 0.25 GW/yr for 10 yr growing at 0.1/yr */
    /* Each step adds its exact integral; 87,660 additions round at ~1e-16 each. */
    LSIM_CHECK_CLOSE(m.chip_stock, expect, 1e-11, 0.0, "sum of exact step integrals");
    LSIM_CHECK_CLOSE(m.chip_stock, 4.2957e9, 1e-4, 0.0, "0.25 GW/yr (e - 1)/0.1 yr = 4.296 GW, hand value to 5 digits");
    LSIM_CHECK(fabs(lsim_orbit_chip_balance(&m)) <= 1e-6 * expect, "chip books: %g W", lsim_orbit_chip_balance(&m));
    lsim_orbit_free(&m);
}

typedef struct {
    double produced, built, ground_failures, survivors, orbit_failures;
} burn_in_outcome;

/* N modules made in the first day and burnt in for tau, then all installed
 * at once and worn in orbit for `service` with no spares. Steps are the
 * burn-in tick (tau / 16) so each step's modules are one cohort with an
 * exact burn-in. */
static burn_in_outcome run_burn_in(const lsim_bathtub *hazard, double tau, double modules, double service,
                                   uint64_t seed)
{
    lsim_orbit_config cfg;
    base_config(&cfg);
    cfg.compute_hazard = *hazard;
    cfg.chip_burn_in_time = tau;
    cfg.compute_module_power = 1.0;
    cfg.compute_wear_interval = DAY;
    cfg.compute_cohort_interval = DAY;
    cfg.programme_compute_share = 1.0;
    const double dt = tau > 0.0 ? tau / 16.0 : DAY;
    const int production_steps = DAY / dt > 1.5 ? (int)(DAY / dt + 0.5) : 1;
    cfg.earth_compute_supply = modules / (production_steps * dt); /* whole modules every step */
    cfg.earth_compute_growth = 0.0;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, dt, NULL, seed) == LSIM_OK, "%s", lsim_last_error());
    lsim_orbit_compute_step out = {0};
    double t = 0.0;
    int step = 0;
    for (; t < DAY + tau + dt; ++step) {
        if (step == production_steps) m.cfg.programme_compute_share = 0.0; /* the batch is made */
        double t1 = (step + 1) * dt;
        LSIM_CHECK(lsim_orbit_produce_chips(&m, t, t1, &out) == LSIM_OK, "%s", lsim_last_error());
        t = t1;
    }
    burn_in_outcome r = {m.chips_produced_total, tau > 0.0 ? m.chip_burn_in.built_total : floor(m.chip_stock),
                         m.chips_scrapped_total, 0.0, 0.0};
    LSIM_CHECK(lsim_cohort_alive(&m.chip_burn_in) == 0.0, "every module finished burn-in");
    LSIM_CHECK(fabs(lsim_orbit_chip_balance(&m)) <= 1e-9 * modules, "chip books close: %g W",
               lsim_orbit_chip_balance(&m));
    /* Install at a wear-tick boundary so the orbital ticks integrate exactly [tau, tau + service]. */
    double install = ceil(t / DAY) * DAY;
    LSIM_CHECK(lsim_orbit_wear_compute(&m, install, &out) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_orbit_install_compute(&m, m.chip_stock, install) == LSIM_OK, "%s", lsim_last_error());
    r.survivors = m.compute_modules.built_total; /* whole modules of the stock */
    lsim_orbit_compute_step wear = {0};
    for (double now = install + DAY; now <= install + service + 0.5; now += DAY)
        LSIM_CHECK(lsim_orbit_wear_compute(&m, now, &wear) == LSIM_OK, "%s", lsim_last_error());
    r.orbit_failures = wear.module_failures;
    LSIM_CHECK(m.compute_modules.total_in_service + m.modules_vacant == r.survivors,
               "modules in service + vacant = installed (%g + %g vs %g)", m.compute_modules.total_in_service,
               m.modules_vacant, r.survivors);
    lsim_orbit_free(&m);
    return r;
}

/* Burn-in shifts failures from orbit to the ground as the hazard says:
 * ground failures N (1 - e^{-H(tau)}), orbital failures over `service` of
 * the S survivors S (1 - e^{-(H(tau + service) - H(tau))}). Tolerance: the
 * counts are binomial, checked within 4 standard deviations (a false alarm
 * under 1e-4 per check, and the seeds are fixed). */
static void test_burn_in_shift(uint64_t seed_base)
{
    /* Infant mortality (falling hazard, shape 0.5: H = 0.05 at 30 d) on a 10%/yr random floor. */
    lsim_bathtub hazard = {{0.5, 1.0, 0.0}, {30.0 * DAY / (0.05 * 0.05), YEAR / 0.1, 0.0}};
    const double modules = 2e5, service = 90.0 * DAY;
    double taus[3] = {0.0, 7.0 * DAY, 60.0 * DAY};
    double orbit_failures[3], ground_failures[3];
    for (int k = 0; k < 3; ++k) {
        double tau = taus[k];
        burn_in_outcome r = run_burn_in(&hazard, tau, modules, service, seed_base + (uint64_t)k);
        LSIM_CHECK_CLOSE(r.produced, modules, 1e-12, 0.0, "the batch, exact up to the rate's rounding");
        double p_ground = lsim_bathtub_failure_probability(&hazard, 0.0, tau);
        double sd_ground = sqrt(r.built * p_ground * (1.0 - p_ground));
        LSIM_CHECK(fabs(r.ground_failures - r.built * p_ground) <= 4.0 * sd_ground + 1e-9,
                   "tau %.0f d: burn-in failures %g, expected %.1f +- %.1f (4 sd)", tau / DAY, r.ground_failures,
                   r.built * p_ground, 4.0 * sd_ground);
        printf("burn-in %4.0f d: ground failures %7.0f (expected %7.1f), orbital failures in %.0f d %7.0f (expected "
               "%7.1f) of %.0f modules\n",
               tau / DAY, r.ground_failures, r.built * p_ground, service / DAY, r.orbit_failures,
               r.survivors * lsim_bathtub_failure_probability(&hazard, tau, tau + service), r.built);
        LSIM_CHECK(r.ground_failures + r.survivors == r.built, "burn-in books: %g + %g = %g", r.ground_failures,
                   r.survivors, r.built);
        double p_orbit = lsim_bathtub_failure_probability(&hazard, tau, tau + service);
        double sd_orbit = sqrt(r.survivors * p_orbit * (1.0 - p_orbit));
        LSIM_CHECK(fabs(r.orbit_failures - r.survivors * p_orbit) <= 4.0 * sd_orbit,
                   "tau %.0f d: orbital failures %g, expected %.1f +- %.1f (4 sd)", tau / DAY, r.orbit_failures,
                   r.survivors * p_orbit, 4.0 * sd_orbit);
        orbit_failures[k] = r.orbit_failures;
        ground_failures[k] = r.ground_failures;
    }
    LSIM_CHECK(ground_failures[0] == 0.0, "no burn-in, no ground failures");
    /* Expected shift, 0 -> 60 d: orbit 2e5 q(0, 90 d) ~ 9.3e3 falls to ~4.2e3, far beyond 4 sd (~400). */
    LSIM_CHECK(orbit_failures[2] < orbit_failures[1] && orbit_failures[1] < orbit_failures[0],
               "longer burn-in, fewer failures in orbit: %g, %g, %g", orbit_failures[0], orbit_failures[1],
               orbit_failures[2]);
    LSIM_CHECK(ground_failures[2] > ground_failures[1], "longer burn-in, more failures on the ground: %g, %g",
               ground_failures[1], ground_failures[2]);
}

/* Failed modules leave vacant slots; compute falls once vacancies exceed the
 * panels' margin; spares flown up fill them as new modules. */
static void test_spares(void)
{
    lsim_orbit_config cfg;
    base_config(&cfg);
    cfg.compute_hazard = (lsim_bathtub){{0.0, 1.0, 0.0}, {0.0, YEAR, 0.0}}; /* 1/yr: many failures in a month */
    cfg.chip_burn_in_time = 0.0;
    cfg.compute_module_power = 1000.0;
    cfg.programme_compute_share = 0.0;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 3) == LSIM_OK, "%s", lsim_last_error());
    m.installed_power = 1e7; /* 10,000 modules' worth of panels */
    LSIM_CHECK(lsim_orbit_install_compute(&m, 1e7, 0.0) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_orbit_compute_power(&m) == 1e7, "every slot filled: the panels decide");
    lsim_orbit_compute_step out = {0};
    LSIM_CHECK(lsim_orbit_wear_compute(&m, 30.0 * DAY, &out) == LSIM_OK, "%s", lsim_last_error());
    double failed = out.module_failures;
    double p = -expm1(-30.0 * DAY / YEAR);
    LSIM_CHECK(fabs(failed - 1e4 * p) <= 4.0 * sqrt(1e4 * p * (1.0 - p)), "failures %g vs %.0f (4 sd, binomial)",
               failed, 1e4 * p);
    LSIM_CHECK(m.modules_vacant == failed, "no spares: every failure waits");
    LSIM_CHECK_CLOSE(lsim_orbit_compute_power(&m), 1e7 - failed * 1000.0, 1e-15, 0.0,
                     "undegraded panels: compute falls by the vacant modules' rating");
    double wanted = lsim_orbit_spares_wanted(&m);
    LSIM_CHECK_CLOSE(wanted, (0.02 * (1e4 - failed) + failed) * 1000.0, 1e-15, 0.0,
                     "spares wanted: the spare share of modules in service plus the vacant ones");
    m.spare_chips = 5.0 * 1000.0; /* five spares arrive */
    out = (lsim_orbit_compute_step){0};
    LSIM_CHECK(lsim_orbit_wear_compute(&m, 30.0 * DAY, &out) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(out.module_replacements == 5.0 && m.modules_vacant == failed - 5.0 && m.spare_chips == 0.0,
               "five slots filled: %g replaced, %g vacant, %g W of spares left", out.module_replacements,
               m.modules_vacant, m.spare_chips);
    LSIM_CHECK(m.compute_modules.total_in_service + m.modules_vacant == 1e4, "slots kept");
    /* Panels degraded 10%: 1000 vacancies would idle nothing the panels could feed. */
    m.installed_power = 0.9e7;
    m.modules_vacant = 1000.0;
    LSIM_CHECK(lsim_orbit_compute_power(&m) == 0.9e7, "vacancies within the panels' margin cost no compute");
    lsim_orbit_free(&m);
}

/* Assembly short of Earth parts names what held them back: chips or launch. */
static void test_earth_bound(void)
{
    for (int chips_bind = 0; chips_bind <= 1; ++chips_bind) {
        lsim_orbit_config cfg;
        base_config(&cfg);
        cfg.earth_launch_on_demand = 1;
        cfg.earth_payload_per_launch = 1e5;
        cfg.chip_burn_in_time = 0.0;
        cfg.compute_hazard = (lsim_bathtub){{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}};
        cfg.compute_spare_share = 0.0;
        cfg.programme_compute_share = 1.0;
        cfg.earth_compute_growth = 0.0;
        /* Chips: 1 MW/h against 100 t launches of 247 kW per t of kits (25 MW each). */
        cfg.earth_compute_supply = chips_bind ? 1e6 / 3600.0 : 1e15 / 3600.0;
        cfg.earth_launch_rate = chips_bind ? 1.0 / 3600.0 : 1.0 / (10.0 * DAY);
        lsim_orbit m;
        LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 5) == LSIM_OK, "%s", lsim_last_error());
        lsim_clock clock = {0};
        clock.dt = 3600.0;
        lsim_orbit_outputs out;
        lsim_orbit_inputs burst = {1e6, 1e10, 1e6, 1e10}; /* 10 GW of panels and radiators */
        int limited = 0, named = 0;
        for (clock.step = 0; clock.step < 48; ++clock.step) {
            lsim_orbit_step(&m, &clock, 0.0, clock.step == 0 ? &burst : NULL, &out);
            if (out.limit == LSIM_ORBIT_LIMIT_CHIPS) {
                ++limited;
                named += out.earth_limit == (chips_bind ? LSIM_ORBIT_EARTH_BOUND_CHIPS : LSIM_ORBIT_EARTH_BOUND_LAUNCH);
            }
        }
        LSIM_CHECK(limited == 48 && named == 48, "%s: Earth parts limited %d of 48 steps, %d named right",
                   chips_bind ? "chips" : "launch", limited, named);
        lsim_orbit_status_view v;
        lsim_orbit_status(&m, &v);
        int bound = chips_bind ? LSIM_ORBIT_EARTH_BOUND_CHIPS : LSIM_ORBIT_EARTH_BOUND_LAUNCH;
        LSIM_CHECK(v.earth_limit_time[bound] == 48.0 * 3600.0 && v.earth_limit_first[bound] == 3600.0,
                   "time %g s, first at %g s", v.earth_limit_time[bound], v.earth_limit_first[bound]);
        if (chips_bind) {
            /* Short of chips only full launches fly: 100 t of kits at 250 W/kg is 25 MW of chips, ready at the
             * end of hour 25, so one launch in 48 h and 25 MW assembled. */
            LSIM_CHECK(m.earth_launches_done == 1, "one full launch: %lld", (long long)m.earth_launches_done);
            LSIM_CHECK_CLOSE(m.assembled_total, 25e6, 1e-12, 0.0, "one launch of kits, round-off only");
            LSIM_CHECK_CLOSE(m.chip_stock, 23e6, 1e-12, 0.0, "the chips of hours 26-48 wait on Earth");
        }
        LSIM_CHECK(fabs(lsim_orbit_earth_parts_balance(&m)) <= 1e-9 * m.earth_supplied_total,
                   "Earth parts books: %g kg", lsim_orbit_earth_parts_balance(&m));
        LSIM_CHECK(fabs(lsim_orbit_chip_balance(&m)) <= 1e-9 * m.chips_produced_total + 1e-6, "chip books: %g W",
                   lsim_orbit_chip_balance(&m));
        lsim_orbit_free(&m);
    }
}

int main(void)
{
    test_chip_supply();
    test_burn_in_shift(11);
    test_spares();
    test_earth_bound();
    LSIM_TEST_MAIN_END();
}
