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

int main(void)
{
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
