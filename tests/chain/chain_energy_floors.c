/* Physical floors on the energy the chain spends per kilogram: whatever the
 * policy does, the launch stage cannot beat kinetic energy at the exit speed
 * over the electrical efficiency, refining cannot beat the enthalpy of the
 * metals it frees, and mining cannot beat the digging energy per kg. */
#include "chain_test_util.h"

int main(void)
{
    /* The launch floor below is the first-order launcher's KE/eta (the coil launcher's energy comes from its
     * circuits: tests/massdriver/test_massdriver_coil_design.c closes its books). */
    const char *overrides[] = {"run.duration=6 yr", "massdriver.drivers=1", "massdriver.launcher_model=first_order", NULL};
    chain_fixture fx;
    if (chain_fixture_open(&fx, overrides)) return 1;
    while (fx.chain.clock.step < fx.chain.clock.step_count)
        if (chain_fixture_step(&fx)) return 1;
    const lsim_chain *c = &fx.chain;
    const lsim_chain_state *s = &c->s;
    LSIM_CHECK(s->launched_total > 0.0 && s->mined_total > 0.0, "the chain mined and launched");

    /* Launch: E = ((1/2) v^2 (m_payload + m_bucket) / eta - recovery (1/2) v^2 m_bucket) / m_payload per kg
     * launched: braking returns a share of the bucket's kinetic energy, not of what it cost (massdriver/
     * launcher_physics.c), and the power line from the power site loses its share f of what it sends
     * (massdriver/power_line.h), so the bus pays E / (1 - f). Equality up to the round-off of summing ~5e4
     * steps. */
    const lsim_massdriver *md = &c->massdriver;
    double v = md->exit_speed;
    double floor_launch = 0.5 * v * v *
                          ((md->payload_per_launch + md->bucket_mass) / md->electrical_efficiency -
                           md->bucket_energy_recovery * md->bucket_mass) /
                          md->payload_per_launch;
    const lsim_power_line *line = &lsim_massdriver_design_view(md)->power_line;
    LSIM_CHECK(line->length > 0.0 && line->loss_share > 0.0, "the default launch site is apart from the polar array");
    floor_launch /= 1.0 - line->loss_share;
    double launch_per_kg = s->energy_by_stage[LSIM_STAGE_LAUNCH] / s->launched_total;
    LSIM_CHECK_CLOSE(launch_per_kg, floor_launch, 1e-9, 0.0,
                     "launch energy per kg = KE/eta less the bucket KE returned");
    LSIM_CHECK(launch_per_kg >= 0.5 * v * v * (1.0 - 1e-12), "launch never beats v^2/2 = %.4g J/kg", 0.5 * v * v);

    /* Mining: exactly mass x (dig + haul) specific energy. */
    LSIM_CHECK_CLOSE(s->energy_by_stage[LSIM_STAGE_MINING], s->mined_total * c->regolith.specific_energy, 1e-9, 0.0,
                     "mining energy = mass x specific energy (round-off over the run)");
    /* Lifting a tonne by a metre in lunar gravity is 1.62 kJ (docs/REFERENCES.md, derived figures): digging costs more. */
    LSIM_CHECK(c->regolith.specific_energy > 1.62, "digging above the lift floor of 1.62 J/kg per metre");

    /* Refining: the energy spent is at least the enthalpy floor of every kg of metal and oxygen made. */
    /* Every kg of Si, Al, Fe, Ti and O2 released needs at least its enthalpy
     * (or Faraday) floor, lsim_refinery_product_floor. */
    double refined_metal = 0.0, floor_refining = 0.0;
    const lsim_refinery *ref = &c->refinery;
    double per_product_floor[LSIM_REFINERY_PRODUCT_COUNT];
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p)
        per_product_floor[p] = lsim_refinery_product_floor(&ref->route, p);
    /* Last step's production against last step's energy: a direct check on the bookkeeping. */
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
        floor_refining += ref->last_product[p] * per_product_floor[p];
        refined_metal += ref->last_product[p];
    }
    LSIM_CHECK(refined_metal > 0.0, "the refinery produced in the last step");
    LSIM_CHECK(ref->last_energy >= floor_refining * (1.0 - 1e-12),
               "refining energy %.6g J >= enthalpy/Faraday floor %.6g J in the last step", ref->last_energy,
               floor_refining);
    LSIM_CHECK(s->energy_by_stage[LSIM_STAGE_REFINING] > 0.0, "refining drew energy");

    chain_fixture_close(&fx);

    /* One solar constant for the chain: panels are rated in the light the bus sees. */
    const char *brighter[] = {"run.duration=1 d", "power.solar_constant=1400 W/m2", NULL};
    if (chain_fixture_open(&fx, brighter)) return 1;
    LSIM_CHECK_CLOSE(fx.chain.fabrication.panel_specific_power, fx.chain.fabrication.efficiency * 1400.0, 1e-15, 0.0,
                     "panel W/m2 = efficiency x power.solar_constant (same arithmetic)");
    chain_fixture_close(&fx);
    LSIM_TEST_MAIN_END();
}
