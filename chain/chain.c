#include "chain.h"

#include <math.h>
#include <string.h>

lsim_status lsim_chain_register_params(lsim_params *params)
{
    lsim_status st = lsim_params_register(params, lsim_run_param_defs, lsim_run_param_count);
    if (st == LSIM_OK) st = lsim_params_register(params, lsim_power_param_defs, lsim_power_param_count);
    return st;
}

lsim_status lsim_chain_init(lsim_chain *chain, const lsim_params *params, lsim_series_registry *series)
{
    memset(chain, 0, sizeof *chain);
    chain->series = series;
    lsim_status st = lsim_clock_init(&chain->clock, params);
    if (st != LSIM_OK) return st;
    chain->seed = (uint64_t)lsim_param_int(params, "run", "seed");
    st = lsim_power_init(&chain->power, params, series);
    if (st != LSIM_OK) return st;
    chain->energy_stored_initial = chain->power.stored_energy;
    chain->min_state_of_charge = 1.0;
    return LSIM_OK;
}

lsim_status lsim_chain_step(lsim_chain *chain)
{
    lsim_clock *clock = &chain->clock;
    double dt = clock->dt;
    double demand = chain->power.base_load;
    lsim_power_step(&chain->power, clock, demand);

    const lsim_power_bus *bus = &chain->power;
    chain->energy_generated += bus->generated * dt;
    chain->energy_delivered += bus->delivered * dt;
    chain->energy_curtailed += bus->curtailed * dt;
    chain->energy_unmet += bus->unmet * dt;
    chain->energy_losses += bus->losses * dt;
    if (bus->storage_capacity > 0.0) {
        double soc = bus->stored_energy / bus->storage_capacity;
        if (soc < chain->min_state_of_charge) chain->min_state_of_charge = soc;
    }
    clock->step++;
    return LSIM_OK;
}

void lsim_chain_summarise(lsim_chain *chain)
{
    lsim_series_registry *s = chain->series;
    double seconds = lsim_clock_time(&chain->clock);
    lsim_summary_set(s, "simulated_time", seconds, "s", "simulated time span");
    lsim_summary_set(s, "surface_energy_generated", chain->energy_generated, "J", "surface array energy generated");
    lsim_summary_set(s, "surface_energy_delivered", chain->energy_delivered, "J", "energy delivered to loads");
    lsim_summary_set(s, "surface_energy_curtailed", chain->energy_curtailed, "J", "array energy curtailed");
    lsim_summary_set(s, "surface_energy_unmet", chain->energy_unmet, "J", "demand not served");
    lsim_summary_set(s, "storage_losses", chain->energy_losses, "J", "storage conversion losses");
    lsim_summary_set(s, "storage_min_state_of_charge", chain->min_state_of_charge, "1",
                     "lowest state of charge of surface storage");
    lsim_summary_set(s, "energy_balance_residual",
                     chain->energy_generated - chain->energy_delivered - chain->energy_curtailed -
                         chain->energy_losses - (chain->power.stored_energy - chain->energy_stored_initial),
                     "J", "generated - delivered - curtailed - losses - change in storage (should be ~0)");
}

void lsim_chain_free(lsim_chain *chain) { lsim_power_free(&chain->power); }
