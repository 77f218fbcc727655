/* The digging-energy model family (regolith/dig_energy.h): the deck's words,
 * the documentation and the table come from one list and agree; a lookup by
 * name finds the row; the registry refuses a word not in the list; the
 * 'rassor' model takes the deck's figure unchanged. (The 'granular' model's
 * figures are tested in tests/granular, where its calibration runs.) */
#include <math.h>
#include <string.h>

#include "dig_energy.h"
#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

static const lsim_param_def *dig_model_param(void)
{
    for (size_t i = 0; i < lsim_regolith_param_count; ++i)
        if (strcmp(lsim_regolith_param_defs[i].key, "dig_energy_model") == 0) return &lsim_regolith_param_defs[i];
    return NULL;
}

int main(void)
{
    size_t count = 0;
    const lsim_regolith_dig_model *table = lsim_regolith_dig_models(&count);

    /* --- one list: deck words, docs, table --- */
    LSIM_CHECK(count == 2, "two models, got %zu", count);
    LSIM_CHECK(count >= 2 && strcmp(table[0].head.name, "rassor") == 0 && strcmp(table[1].head.name, "granular") == 0,
               "the table's rows in the list's order");
    const lsim_param_def *def = dig_model_param();
    LSIM_CHECK(def != NULL, "regolith.dig_energy_model is a parameter");
    if (def) {
        LSIM_CHECK(def->type == LSIM_PARAM_CHOICE, "a choice");
        LSIM_CHECK(strcmp(def->choices, "rassor|granular") == 0, "the deck's words are today's: %s", def->choices);
        LSIM_CHECK(strcmp(def->default_text, "rassor") == 0, "default rassor");
        for (size_t i = 0; i < count; ++i) {
            char item[512];
            snprintf(item, sizeof item, " %s: %s;", table[i].head.name, table[i].head.doc);
            LSIM_CHECK(strstr(def->doc, item) != NULL, "the parameter's doc carries '%s'", item);
        }
    }
    for (size_t i = 0; i < count; ++i) {
        LSIM_CHECK(table[i].design && table[i].attrs && table[i].free, "row %zu has all its operations", i);
        LSIM_CHECK(table[i].head.doc && table[i].head.doc[0], "row %zu has a doc line", i);
        LSIM_CHECK(lsim_regolith_dig_model_find(table[i].head.name) == &table[i], "find('%s') gives its row",
                   table[i].head.name);
    }
    LSIM_CHECK(lsim_regolith_dig_model_find("RASSOR") == NULL, "words are matched exactly");
    LSIM_CHECK(lsim_regolith_dig_model_find("") == NULL && lsim_regolith_dig_model_find(NULL) == NULL,
               "an empty or missing word finds nothing");

    /* --- the registry refuses a word the list does not hold --- */
    lsim_params *p = regolith_test_params();
    LSIM_CHECK(lsim_param_set_text(p, "regolith", "dig_energy_model", "dem", "test") == LSIM_ERR_INPUT,
               "an unknown model is an input error");
    LSIM_CHECK(strcmp(lsim_param_text(p, "regolith", "dig_energy_model"), "rassor") == 0,
               "and leaves the default in place");

    /* --- rassor: the deck's figure, no cutting figures, no state --- */
    regolith_test_set(p, "dig_specific_energy", 5.0 * 3.6e6 / 1000.0);
    const lsim_regolith_dig_model *rassor = lsim_regolith_dig_model_find("rassor");
    lsim_regolith_dig_design design;
    void *state = NULL;
    LSIM_CHECK(rassor && rassor->design(p, &design, &state) == LSIM_OK, "rassor design");
    LSIM_CHECK(design.specific_energy == 5.0 * 3.6e6 / 1000.0, "5 kWh/t taken as set: %.17g", design.specific_energy);
    LSIM_CHECK(isnan(design.cutting_draft_force) && isnan(design.cutting_specific_energy) &&
                   isnan(design.cutting_packing_fraction),
               "no cutting figures");
    LSIM_CHECK(state == NULL, "rassor keeps no state");
    if (rassor) rassor->free(state);

    /* Through the fleet: the view names the model and carries its figure. */
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m;
    regolith_test_init(&m, p, s, 1);
    const lsim_regolith_design *view = lsim_regolith_design_view(&m);
    LSIM_CHECK(strcmp(view->dig_model, "rassor") == 0, "view names rassor");
    LSIM_CHECK(view->dig_specific_energy == 18000.0 && view->dig.specific_energy == 18000.0,
               "the fleet digs at the model's 18,000 J/kg (5 x 3.6e6 / 1000 is exact in binary)");
    LSIM_CHECK(view->specific_energy == 18000.0 + view->haul_specific_energy, "plus the haul");
    lsim_regolith_free(&m);
    lsim_regolith_free(&m); /* a second free is harmless */
    lsim_series_free(s);
    lsim_params_free(p);
    LSIM_TEST_MAIN_END();
}
