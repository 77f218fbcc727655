/* Mass accounting of the whole chain: every kilogram mined is, at every step,
 * somewhere in the stocks, in equipment, in the surface array, waiting for
 * launch, or launched. Run long enough (three years, a mass driver from the
 * start) that mining, refining, fabrication, growth, launch, flight, capture
 * and assembly all happen, and check the residual after every step. */
#include "chain_test_util.h"

int main(void)
{
    static const char *const overrides[] = {"run.duration=3 yr", "run.output_interval=1 h", "massdriver.drivers=1",
                                            NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    lsim_chain *c = &fx.chain;
    const lsim_chain_state *s = &c->s;

    double worst_ratio = 0.0; /* |residual| / (allowed at that step) */
    double worst_residual = 0.0;
    long long worst_step = -1;
    int failed_steps = 0;
    while (c->clock.step < c->clock.step_count) {
        if (chain_fixture_step(&fx)) return 1;
        /* Each step adds a bounded number of roundings (~40 additions and
         * subtractions of stocks no larger than mined_total); they accumulate
         * at worst linearly in the step count. 16 ulps per step of mined_total
         * is a generous constant for that count; anything systematic (a lost
         * product, a clamp that creates mass) grows far faster. */
        double allowed = 16.0 * DBL_EPSILON * (double)c->clock.step * s->mined_total + 1e-300;
        double residual = lsim_chain_mass_residual(c);
        if (!isfinite(residual) || fabs(residual) > allowed) {
            if (failed_steps++ < 5)
                fprintf(stderr, "step %lld: mass residual %.6g kg exceeds %.3g kg (mined %.6g kg)\n",
                        (long long)c->clock.step, residual, allowed, s->mined_total);
        }
        if (fabs(residual) / allowed > worst_ratio) {
            worst_ratio = fabs(residual) / allowed;
            worst_residual = residual;
            worst_step = (long long)c->clock.step;
        }
    }
    LSIM_CHECK(failed_steps == 0, "%d steps broke mass balance", failed_steps);
    printf("mined %.6g kg over %lld steps; worst residual %.3g kg at step %lld (%.3g of the allowed 16 eps*steps*mined)\n",
           s->mined_total, (long long)c->clock.step, worst_residual, worst_step, worst_ratio);

    /* Every stage must have run for the balance to mean anything. */
    LSIM_CHECK(s->mined_total > 0.0, "nothing mined");
    LSIM_CHECK(s->products.oxygen > 0.0, "refinery made no oxygen");
    LSIM_CHECK(s->surface_panel_mass_total > 0.0, "no panels installed on the surface");
    LSIM_CHECK(s->units_built[LSIM_UNIT_EXCAVATOR] + s->units_built[LSIM_UNIT_PLANT] + s->units_built[LSIM_UNIT_LINE] > 0.0,
               "no growth: no excavators, plants or lines built");
    LSIM_CHECK(s->equipment_lunar_total > 0.0, "no lunar metal became equipment");
    LSIM_CHECK(s->launched_total > 0.0, "nothing launched with a driver present from the start");
    LSIM_CHECK(s->caught_total > 0.0, "nothing caught in orbit");
    LSIM_CHECK(c->orbit.installed_power > 0.0, "no orbital power assembled");
    printf("launched %.6g kg, caught %.6g kg, orbital power %.6g W, built excavators %.4g plants %.4g lines %.4g drivers %.4g\n",
           s->launched_total, s->caught_total, c->orbit.installed_power, s->units_built[0], s->units_built[1],
           s->units_built[2], s->units_built[3]);

    /* The same kilograms seen from the downstream modules' own ledgers. */
    double launch_tol = 64.0 * DBL_EPSILON * (double)c->clock.step * s->launched_total;
    LSIM_CHECK_CLOSE(c->massdriver.mass_launched_total, s->launched_total, 0.0, launch_tol,
                     "chain and mass driver sum the same per-step launches: round-off only");
    LSIM_CHECK_CLOSE(c->orbit.launched_total, s->launched_total, 0.0, launch_tol,
                     "what the driver launched is what entered the flight to the catcher");
    LSIM_CHECK_CLOSE(c->orbit.caught_total, s->caught_total, 0.0, launch_tol,
                     "chain's caught total is the orbit module's");
    LSIM_CHECK_CLOSE(lsim_orbit_mass_balance(&c->orbit), 0.0, 0.0, launch_tol,
                     "launched = in transit + caught + lost, per the orbit module");
    LSIM_CHECK(c->orbit.caught_total <= c->orbit.launched_total * (1.0 + 1e-12),
               "caught %.17g kg more than launched %.17g kg", c->orbit.caught_total, c->orbit.launched_total);

    chain_fixture_close(&fx);
    LSIM_TEST_MAIN_END();
}
