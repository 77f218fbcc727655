/* Energy accounting across the surface bus, every step, under both grant
 * policies:
 *   (generated - delivered - curtailed - losses) dt = change of stored energy
 * and the stages never use more than the bus delivered:
 *   sum of stage power used + base load <= delivered.
 * Stage use is read from the modules' own ledgers (their power_draw series
 * and last_power fields), not from the chain's, and then cross-checked
 * against the chain's per-stage energy accumulators. */
#include "chain_test_util.h"

static int run_case(const char *allocation)
{
    char allocation_override[64];
    snprintf(allocation_override, sizeof allocation_override, "chain.power_allocation=%s", allocation);
    const char *const overrides[] = {"run.duration=3 yr", "run.output_interval=1 h", "massdriver.drivers=1",
                                     allocation_override, NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    lsim_chain *c = &fx.chain;
    const lsim_power_bus *bus = &c->power;
    const lsim_chain_state *s = &c->s;
    const int id_mining = chain_series_id(fx.series, "regolith", "power_draw");
    const int id_launch = chain_series_id(fx.series, "massdriver", "power_draw");
    const int id_delivered = chain_series_id(fx.series, "power", "delivered");
    LSIM_CHECK(id_mining >= 0 && id_launch >= 0 && id_delivered >= 0, "power series missing");
    if (id_mining < 0 || id_launch < 0 || id_delivered < 0) return 1;
    const double dt = c->clock.dt;

    int balance_failures = 0, overuse_failures = 0, ledger_failures = 0;
    long short_steps = 0, charge_steps = 0, discharge_steps = 0, launch_steps = 0;
    double worst_balance = 0.0, worst_overuse = -INFINITY;
    while (c->clock.step < c->clock.step_count) {
        double stored_before = bus->stored_energy;
        double capacity_before = bus->storage_capacity;
        double stage_energy_before[LSIM_STAGE_COUNT];
        memcpy(stage_energy_before, s->energy_by_stage, sizeof stage_energy_before);
        if (chain_fixture_step(&fx)) return 1;

        /* Bus balance. Each term is computed from generated, demand and the
         * stored energy with a handful of roundings, and the stored energy is
         * clamped to [0, capacity]: 16 ulps of the largest energy involved. */
        double lhs = (bus->generated - bus->delivered - bus->curtailed - bus->losses) * dt;
        double change = bus->stored_energy - stored_before;
        double scale = bus->generated * dt + bus->demand * dt + stored_before + capacity_before;
        double balance_tol = 16.0 * DBL_EPSILON * scale;
        if (!(fabs(lhs - change) <= balance_tol)) {
            if (balance_failures++ < 5)
                fprintf(stderr, "[%s] step %lld: bus balance %.9g J vs storage change %.9g J (tol %.3g)\n", allocation,
                        (long long)c->clock.step, lhs, change, balance_tol);
        }
        if (scale > 0.0 && fabs(lhs - change) / scale > worst_balance) worst_balance = fabs(lhs - change) / scale;

        /* Stage use from the modules' own ledgers. */
        double used[LSIM_STAGE_COUNT] = {lsim_series_last_value(fx.series, id_mining), c->refinery.last_power,
                          c->fabrication.last_power, lsim_series_last_value(fx.series, id_launch),
                          c->manufacturing.last_power};
        double base = fmin(bus->base_load, bus->delivered);
        double total_used = base + used[LSIM_STAGE_MINING] + used[LSIM_STAGE_REFINING] + used[LSIM_STAGE_FABRICATION] + used[LSIM_STAGE_LAUNCH] +
                            used[LSIM_STAGE_MANUFACTURING];
        for (int i = 0; i < LSIM_STAGE_COUNT; ++i)
            if (!(used[i] >= 0.0)) {
                if (overuse_failures++ < 5)
                    fprintf(stderr, "[%s] step %lld: stage %d used %.9g W\n", allocation, (long long)c->clock.step, i,
                            used[i]);
            }
        /* 1e-12 relative: the grants are products and sums of a few terms. */
        if (!(total_used <= bus->delivered * (1.0 + 1e-12))) {
            if (overuse_failures++ < 5)
                fprintf(stderr, "[%s] step %lld: stages + base used %.17g W, bus delivered %.17g W\n", allocation,
                        (long long)c->clock.step, total_used, bus->delivered);
        }
        if (bus->delivered > 0.0 && (total_used - bus->delivered) / bus->delivered > worst_overuse)
            worst_overuse = (total_used - bus->delivered) / bus->delivered;
        LSIM_CHECK(bus->delivered <= bus->demand * (1.0 + 1e-15) + 1e-300, "delivered %.17g W above demand %.17g W",
                   bus->delivered, bus->demand);

        /* The chain's per-stage energy ledger agrees with the modules' (the
         * difference of a running sum loses a few ulps of the sum). */
        for (int i = 0; i < LSIM_STAGE_COUNT; ++i) {
            double from_chain = (s->energy_by_stage[i] - stage_energy_before[i]) / dt;
            double tol = 4.0 * DBL_EPSILON * (s->energy_by_stage[i] / dt) + 1e-12 * used[i];
            if (!(fabs(from_chain - used[i]) <= tol)) {
                if (ledger_failures++ < 5)
                    fprintf(stderr, "[%s] step %lld: stage %d chain ledger %.17g W vs module %.17g W\n", allocation,
                            (long long)c->clock.step, i, from_chain, used[i]);
            }
        }
        if (bus->unmet > 0.0) ++short_steps;
        if (bus->charged > 0.0) ++charge_steps;
        if (bus->discharged > 0.0) ++discharge_steps;
        if (used[LSIM_STAGE_LAUNCH] > 0.0) ++launch_steps;
    }
    LSIM_CHECK(balance_failures == 0, "[%s] %d steps broke the bus energy balance", allocation, balance_failures);
    LSIM_CHECK(overuse_failures == 0, "[%s] %d steps used more power than granted", allocation, overuse_failures);
    LSIM_CHECK(ledger_failures == 0, "[%s] %d steps where chain and module energy ledgers differ", allocation,
               ledger_failures);
    /* The balance is only tested if every branch of the bus ran. */
    LSIM_CHECK(short_steps > 0, "[%s] power was never short: the grant path under shortage is untested", allocation);
    LSIM_CHECK(charge_steps > 0 && discharge_steps > 0, "[%s] storage charged in %ld and discharged in %ld steps",
               allocation, charge_steps, discharge_steps);
    LSIM_CHECK(launch_steps > 0, "[%s] the mass driver never drew power", allocation);
    printf("[%s] %lld steps: short %ld, charging %ld, discharging %ld, launching %ld; worst balance %.3g of scale, "
           "worst overuse %.3g of delivered\n",
           allocation, (long long)c->clock.step, short_steps, charge_steps, discharge_steps, launch_steps, worst_balance,
           worst_overuse);

    /* The whole run: the chain's cumulative residual (what /summary reports). */
    double residual = s->energy_generated - s->energy_delivered - s->energy_curtailed - s->energy_losses -
                      (bus->stored_energy - s->energy_stored_initial);
    double run_scale = s->energy_generated + s->energy_delivered + bus->storage_capacity;
    LSIM_CHECK_CLOSE(residual, 0.0, 0.0, 16.0 * DBL_EPSILON * (double)c->clock.step * run_scale,
                     "per-step balances summed: round-off growing at most linearly with the steps");
    printf("[%s] run energy residual %.3g J of %.3g J generated\n", allocation, residual, s->energy_generated);
    chain_fixture_close(&fx);
    return 0;
}

int main(void)
{
    if (run_case("proportional")) return 1;
    if (run_case("upstream_first")) return 1;
    LSIM_TEST_MAIN_END();
}
