/* The orchestrator: owns the stocks between stages and the power bus, runs
 * the step loop (demands, grants, steps) and the growth policy. */
#ifndef LSIM_CHAIN_H
#define LSIM_CHAIN_H

#include <stdint.h>
#include "clock.h"
#include "params.h"
#include "power_bus.h"
#include "series.h"

typedef struct {
    lsim_clock clock;
    uint64_t seed;
    lsim_series_registry *series;
    lsim_power_bus power;

    /* Energy accounting over the whole run, J. */
    double energy_generated, energy_delivered, energy_curtailed, energy_unmet, energy_losses;
    double energy_stored_initial;
    double min_state_of_charge;

    int id_load_demand, id_load_served;
} lsim_chain;

/* Registers every parameter table (run, power and each module) in order. */
lsim_status lsim_chain_register_params(lsim_params *params);

lsim_status lsim_chain_init(lsim_chain *chain, const lsim_params *params, lsim_series_registry *series);

/* One step of length clock.dt; advances the clock. */
lsim_status lsim_chain_step(lsim_chain *chain);

/* Puts the run's results into the registry's summary. */
void lsim_chain_summarise(lsim_chain *chain);

void lsim_chain_free(lsim_chain *chain);

#endif
