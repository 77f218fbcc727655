/* Excavator fleet models: the variant family behind regolith.fleet_model.
 *
 * A fleet model keeps the excavators and wears them; the module's face
 * (alive count, capacity, power demand, growth, series, checkpoint) reads
 * only the census it keeps in lsim_regolith (n_operating, n_failed,
 * n_under_repair, totals), so it works the same over either model. The list
 * below is the one place a model is named: the deck's choice list, the
 * parameter's doc line, the declarations and the table of operations come
 * from it (core/variant.h). */
#ifndef LSIM_REGOLITH_FLEET_MODEL_H
#define LSIM_REGOLITH_FLEET_MODEL_H

#include <stddef.h>

#include "regolith.h"
#include "variant.h"

#define LSIM_REGOLITH_FLEET_MODELS(X)                                                                             \
    X(agents, "one agent per excavator: ages only while digging, either repair law, repair delay, imperfect "   \
              "repair and max_repairs; cost grows with the fleet")                                               \
    X(cohorts, "age cohorts with exact binomial wear (core/cohort.h) on wear_interval ticks: ages in calendar " \
               "time (idle units too), minimal repair only, exponential repair time of mean repair_mean + "     \
               "repair_delay, no max_repairs; cost grows with the cohorts, not the units")

struct lsim_regolith_fleet_model {
    lsim_variant_head head;
    /* Sets up the model's storage once the reliability figures are read. */
    lsim_status (*init)(lsim_regolith *m);
    /* Adds `units` (a whole number) built at `now` (s), operating. */
    lsim_status (*add)(lsim_regolith *m, double units, double now);
    /* Wears the fleet over one step in which each operating unit dug for
     * `worked` s; updates the census (n_operating, n_failed, n_under_repair,
     * n_retired_in_place) and returns the step's failures and retirements;
     * `work` gets the number of agents or cohorts walked. */
    void (*wear)(lsim_regolith *m, const lsim_clock *clock, double worked, long *failures, long *retirements,
                 size_t *work);
    /* Saves or loads what only this model keeps (the census is saved by the module). */
    lsim_status (*state)(lsim_regolith *m, lsim_state *s);
    void (*free)(lsim_regolith *m);
};

#define LSIM_REGOLITH_FLEET_DECLARE_(name, doc)                                                                \
    lsim_status lsim_regolith_fleet_##name##_init(lsim_regolith *m);                                           \
    lsim_status lsim_regolith_fleet_##name##_add(lsim_regolith *m, double units, double now);                  \
    void lsim_regolith_fleet_##name##_wear(lsim_regolith *m, const lsim_clock *clock, double worked,           \
                                           long *failures, long *retirements, size_t *work);                   \
    lsim_status lsim_regolith_fleet_##name##_state(lsim_regolith *m, lsim_state *s);                           \
    void lsim_regolith_fleet_##name##_free(lsim_regolith *m);
LSIM_REGOLITH_FLEET_MODELS(LSIM_REGOLITH_FLEET_DECLARE_)

/* The model whose deck word is `name`, or NULL. */
const lsim_regolith_fleet_model *lsim_regolith_fleet_model_find(const char *name);

#endif
