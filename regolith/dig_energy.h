/* Digging-energy models: the variant family behind regolith.dig_energy_model.
 *
 * Each model runs once, at init (the deep physics runs at design time, never per step), and
 * hands the fleet its figures (lsim_regolith_dig_design, regolith.h); the
 * fleet's step reads only those. The list below is the one place a model is
 * named: the deck's choice list, the parameter's doc line, the declarations
 * and the table of operations all come from it (core/variant.h). Adding a
 * model is one line here plus its file, dig_energy_<name>.c, defining
 * lsim_regolith_dig_<name>_design, _attrs and _free. */
#ifndef LSIM_REGOLITH_DIG_ENERGY_H
#define LSIM_REGOLITH_DIG_ENERGY_H

#include <stddef.h>

#include "regolith.h"
#include "variant.h"

#define LSIM_REGOLITH_DIG_MODELS(X)                                                                              \
    X(rassor, "takes regolith.dig_specific_energy, a whole-machine figure")                                     \
    X(granular, "runs the Chipmunk2D blade-cutting sub-model at init (about a second) and uses its specific "   \
                "cutting energy divided by regolith.dig_drive_efficiency")

struct lsim_regolith_dig_model {
    lsim_variant_head head;
    /* Reads the model's parameters (section "regolith"), runs its sub-model
     * and fills every field of `design`. May point *state (NULL on entry) at
     * memory of its own, released by `free`. */
    lsim_status (*design)(const lsim_params *params, lsim_regolith_dig_design *design, void **state);
    /* Writes the model's own figures as attributes of the group "regolith"
     * (the fleet writes dig_specific_energy itself). */
    void (*attrs)(const lsim_regolith_dig_design *design, const void *state, lsim_series_registry *series);
    void (*free)(void *state); /* accepts NULL */
};

#define LSIM_REGOLITH_DIG_DECLARE_(name, doc)                                                                    \
    lsim_status lsim_regolith_dig_##name##_design(const lsim_params *params, lsim_regolith_dig_design *design,   \
                                                  void **state);                                                 \
    void lsim_regolith_dig_##name##_attrs(const lsim_regolith_dig_design *design, const void *state,             \
                                          lsim_series_registry *series);                                         \
    void lsim_regolith_dig_##name##_free(void *state);
LSIM_REGOLITH_DIG_MODELS(LSIM_REGOLITH_DIG_DECLARE_)

/* The model whose deck word is `name`, or NULL. */
const lsim_regolith_dig_model *lsim_regolith_dig_model_find(const char *name);

/* The whole table, in the list's order (for listings and tests). */
const lsim_regolith_dig_model *lsim_regolith_dig_models(size_t *count);

#endif
