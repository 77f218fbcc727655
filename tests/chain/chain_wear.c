/* Wear in the whole chain: with no growth and no repair, the plants the
 * chain started with decay as their bathtub hazard predicts, and the
 * refinery works with exactly the plants in service. */
#include "chain_internal.h"
#include "chain_test_util.h"
#include "units.h"

static double bathtub(double age, double infant_shape, double infant_scale, double mtbf, double wear_shape, double life)
{
    return pow(age / infant_scale, infant_shape) + age / mtbf + pow(age / life, wear_shape);
}

/* The Earth-made share: 1 up to the start mass, then the decade factor per
 * tenfold production, down to the floor; a unit's total mass is unchanged
 * (what Earth no longer makes is made on the Moon, kilogram for kilogram). */
static void earth_share_schedule(void)
{
    const char *overrides[] = {"run.duration=1 d", "chain.earth_share_start_mass=1 kt",
                               "chain.earth_share_decade_factor=0.5", "chain.earth_share_floor=0.1", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return;
    lsim_chain *c = &fx.chain;
    const double total = lsim_chain_unit_lunar_mass(c, LSIM_UNIT_PLANT) + lsim_chain_unit_earth_mass(c, LSIM_UNIT_PLANT);
    const double earth0 = lsim_chain_unit_earth_mass(c, LSIM_UNIT_PLANT);
    static const struct { double made, factor; } cases[] = {
        {0.0, 1.0}, {1e6, 1.0}, {1e7, 0.5}, {1e8, 0.25}, {1e9, 0.125}, {3.16227766016838e9, 0.1}, {1e12, 0.1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        c->s.equipment_lunar_total = cases[i].made;
        /* pow and log10 of exact decades: a few ulps. The 10^9.5 case sits
         * where 0.5^3.5 = 0.088 is below the floor. */
        LSIM_CHECK_CLOSE(lsim_chain_earth_share_factor(c), cases[i].factor, 1e-14, 0.0, "the schedule's closed form");
        LSIM_CHECK_CLOSE(lsim_chain_unit_earth_mass(c, LSIM_UNIT_PLANT), earth0 * cases[i].factor, 1e-14, 0.0,
                         "Earth mass scales with the factor");
        LSIM_CHECK_CLOSE(lsim_chain_unit_lunar_mass(c, LSIM_UNIT_PLANT) + lsim_chain_unit_earth_mass(c, LSIM_UNIT_PLANT),
                         total, 1e-15, 0.0, "a unit weighs the same whoever makes it");
    }
    chain_fixture_close(&fx);
}

int main(void)
{
    earth_share_schedule();
    /* No Earth parts and no resupply: nothing can be built or mended. */
    const char *overrides[] = {"run.duration=5 yr", "run.time_step=6 h", "refinery.plants=20000",
                               "chain.initial_earth_parts=0 t", "chain.earth_resupply_rate=0 t/yr",
                               "chain.repair_share=0", "chain.plant_mtbf=4 yr", "chain.plant_life=12 yr",
                               "chain.infant_scale=50 yr", "chain.wear_interval=7 d", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) LSIM_TEST_MAIN_END();
    lsim_chain *c = &fx.chain;
    const double n0 = 20000.0, week = 7.0 * 86400.0, year = LSIM_JULIAN_YEAR;
    const double seed_age = lsim_param_real(fx.params, "chain", "burn_in_time"); /* seeds start past burn-in */
    int checked = 0;
    double worst_sigma = 0.0;
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) break;
        double t = lsim_clock_time(&c->clock);
        /* Compare where a wear tick has just been drawn: every 26 weeks. */
        long weeks = lround(t / week);
        if (fabs(t - (double)weeks * week) > 1.0 || weeks == 0 || weeks % 26 != 0) continue;
        double h = bathtub(seed_age + t, 0.5, 50.0 * year, 4.0 * year, 3.0, 12.0 * year) -
                   bathtub(seed_age, 0.5, 50.0 * year, 4.0 * year, 3.0, 12.0 * year);
        double p = exp(-h), expected = n0 * p, sigma = sqrt(n0 * p * (1.0 - p));
        double alive = c->wear[LSIM_WEAR_PLANT].total_in_service;
        /* Binomial survivors: 4.5 sigma keeps ten checks from a false alarm
         * (two-sided tail 7e-6 each). */
        LSIM_CHECK_CLOSE(alive, expected, 0.0, 4.5 * sigma, "binomial survivors of the plant hazard");
        LSIM_CHECK(lsim_refinery_plant_count(&c->refinery) == alive, "refinery works with %.17g plants, %.17g in service",
                   lsim_refinery_plant_count(&c->refinery), alive);
        if (fabs(alive - expected) / sigma > worst_sigma) worst_sigma = fabs(alive - expected) / sigma;
        ++checked;
    }
    printf("plant decay: %d checks, worst %.2f sigma; %.0f of %.0f plants in service after 5 yr\n", checked,
           worst_sigma, c->wear[LSIM_WEAR_PLANT].total_in_service, n0);
    LSIM_CHECK(checked >= 9, "only %d half-year checks ran", checked);
    chain_fixture_close(&fx);
    LSIM_TEST_MAIN_END();
}
