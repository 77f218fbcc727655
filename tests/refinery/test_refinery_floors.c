/* Energy floors of the refinery routes: the floors computed in code against
 * REFERENCES.md and an independent computation, every route in the shipped
 * data file against them, and routes below a floor rejected. */
#define _POSIX_C_SOURCE 200112L /* setenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsim_test.h"
#include "params.h"
#include "refinery.h"
#include "status.h"

#define KWH 3.6e6


/* A minimal valid route: MRE-like silicon and oxygen, to be spoiled one row at a time. */
static const char *good_route =
    "route_x,extract_Si,0.5,1,test\n"
    "route_x,energy_Si,%s,kWh/kg,test\n"
    "route_x,energy_O2,%s,kWh/kg,test\n"
    "route_x,cell_voltage_Si,%s,V,test\n"
    "route_x,oxygen_recovery,%s,1,test\n"
    "route_x,throughput,1e-3,kg/s,test\n"
    "route_x,plant_mass,100,kg,test\n";

static lsim_status load_variant(const char *energy_si, const char *energy_o2, const char *voltage, const char *recovery,
                                lsim_refinery_route_table *table)
{
    char text[2048];
    snprintf(text, sizeof text, good_route, energy_si, energy_o2, voltage, recovery);
    return lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_variant.csv", text), table);
}

int main(void)
{
    /* --- Faraday floors per volt: REFERENCES.md gives 3.35 / 2.98 / 3.82 kWh/kg per V (2 decimals,
     * so a half unit of the last place, 0.005, is the tolerance). --- */
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_OXYGEN) / KWH, 3.35, 0, 0.005, "REFERENCES rounds to 0.01");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_ALUMINIUM) / KWH, 2.98, 0, 0.005, "REFERENCES rounds to 0.01");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_SILICON) / KWH, 3.82, 0, 0.005, "REFERENCES rounds to 0.01");
    /* Independently: 4 F / M(O2) with F = 96485.33212 C/mol and M(O2) = 31.998 g/mol. */
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_OXYGEN), 4.0 * 96485.33212 / 0.031998, 1e-14, 0,
                     "same formula, a few roundings apart");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_floor(3, 26.982e-3, 2.0), 2.0 * 3.0 * 96485.33212 / 26.982e-3, 1e-14, 0,
                     "same formula, a few roundings apart");

    /* --- Enthalpy floors: REFERENCES.md gives 1 decimal, so 0.05 kWh/kg. --- */
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_SI) / KWH, 9.0, 0, 0.05, "REFERENCES rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_AL) / KWH, 8.6, 0, 0.05, "REFERENCES rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_SI) / KWH, 7.9, 0, 0.05, "REFERENCES rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_FE) / KWH, 4.7, 0, 0.05, "REFERENCES rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_AL) / KWH, 9.7, 0, 0.05, "REFERENCES rounds to 0.1");
    /* Independently from NIST-JANAF dHf: Si from SiO2 = 910.7 kJ/mol / 28.085 g/mol. */
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_SI), 910.7e3 / 28.085e-3, 1e-14, 0, "same numbers");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_TI), 944.0e3 / 47.867e-3, 1e-14, 0, "same numbers");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_FE), 272.0e3 / 55.845e-3, 1e-14, 0, "same numbers");
    LSIM_CHECK_CLOSE(lsim_refinery_oxygen_per_element(LSIM_EL_AL), 1.5 * 15.999 / 26.982, 1e-14, 0, "Al2O3 stoichiometry");

    /* --- Every route of the shipped file clears both floors for everything it makes. --- */
    char path[1024];
    LSIM_CHECK(lsim_refinery_routes_path(NULL, path, sizeof path) == LSIM_OK, "%s", lsim_last_error());
    lsim_refinery_route_table table;
    lsim_status st = lsim_refinery_routes_load(path, &table);
    LSIM_CHECK(st == LSIM_OK, "loading %s: %s", path, lsim_last_error());
    const char *expected[3] = {"mre", "carbothermal", "anorthite_al"};
    for (int i = 0; i < 3; ++i) {
        int found = 0;
        for (size_t r = 0; r < table.route_count; ++r) found |= strcmp(table.routes[r].name, expected[i]) == 0;
        LSIM_CHECK(found, "route %s missing from %s", expected[i], path);
    }
    static const double electrons[LSIM_REFINERY_PRODUCT_COUNT] = {4, 3, 2, 4, 4};
    static const double molar[LSIM_REFINERY_PRODUCT_COUNT] = {28.085e-3, 26.982e-3, 55.845e-3, 47.867e-3, 31.998e-3};
    static const double metal_enthalpy_kj[LSIM_REFINERY_PRODUCT_COUNT] = {910.7, 1675.7 / 2, 272.0, 944.0, 0};
    for (size_t r = 0; r < table.route_count; ++r) {
        const lsim_refinery_route *route = &table.routes[r];
        for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
            int made = p == LSIM_REFINERY_OXYGEN ? route->oxygen_recovery > 0
                                                 : route->extract[lsim_refinery_product_element[p]] > 0;
            if (!made) continue;
            double faraday = electrons[p] * 96485.33212 * route->cell_voltage[p] / molar[p];
            double enthalpy = p == LSIM_REFINERY_OXYGEN ? lsim_refinery_enthalpy_floor_oxygen(route->oxygen_floor_element)
                                                        : metal_enthalpy_kj[p] * 1e3 / molar[p];
            LSIM_CHECK(route->energy_product[p] >= faraday, "route %s %s: %g J/kg below Faraday %g", route->name,
                       lsim_refinery_product_name[p], route->energy_product[p], faraday);
            LSIM_CHECK(route->energy_product[p] >= enthalpy, "route %s %s: %g J/kg below enthalpy %g", route->name,
                       lsim_refinery_product_name[p], route->energy_product[p], enthalpy);
        }
        /* Stoichiometry: O2 per kg of feed never above the oxygen bound to what is reduced. */
        double yield[LSIM_REFINERY_PRODUCT_COUNT];
        lsim_refinery_route_yields(route, table.reference_feed, yield);
        double bound = 0;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) bound += table.reference_feed[e] * route->reduce[e] * lsim_refinery_oxygen_per_element(e);
        LSIM_CHECK(yield[LSIM_REFINERY_OXYGEN] <= bound * (1 + 1e-15), "route %s releases more O2 than it reduces", route->name);
        LSIM_CHECK(yield[LSIM_REFINERY_OXYGEN] <= table.reference_feed[LSIM_EL_O], "route %s: O2 above feed oxygen", route->name);

        if (strcmp(route->name, "mre") == 0) {
            /* REFERENCES.md: MRE specific energy 18-35 kWh/kg O2 (the route's total, metals included). */
            double per_o2 = lsim_refinery_route_specific_energy(route, table.reference_feed) / yield[LSIM_REFINERY_OXYGEN] / KWH;
            LSIM_CHECK(per_o2 >= 18.0 && per_o2 <= 35.0, "MRE %g kWh/kg O2 outside 18-35", per_o2);
            /* Blue Alchemist: MRE yields Fe, Si, Al and O2. */
            LSIM_CHECK(yield[LSIM_REFINERY_IRON] > 0 && yield[LSIM_REFINERY_SILICON] > 0 &&
                           yield[LSIM_REFINERY_ALUMINIUM] > 0 && yield[LSIM_REFINERY_OXYGEN] > 0,
                       "MRE must yield Fe, Si, Al and O2");
        }
        if (strcmp(route->name, "carbothermal") == 0) {
            /* REFERENCES.md: carbothermal O2 yield 10-15% of processed mass (Gustafson et al.). */
            LSIM_CHECK(yield[LSIM_REFINERY_OXYGEN] >= 0.10 && yield[LSIM_REFINERY_OXYGEN] <= 0.15,
                       "carbothermal O2 yield %g outside 10-15%%", yield[LSIM_REFINERY_OXYGEN]);
            LSIM_CHECK(route->makeup[LSIM_REFINERY_OXYGEN] > 0, "carbothermal must lose some carbon");
        }
        if (strcmp(route->name, "anorthite_al") == 0)
            LSIM_CHECK(yield[LSIM_REFINERY_ALUMINIUM] > 0, "anorthite_al must make aluminium");
    }
    /* Reference feed from Apollo 12 average oxides: Si = 46.3% x 28.085/60.083. */
    LSIM_CHECK_CLOSE(table.reference_feed[LSIM_EL_SI], 0.463 * 28.085 / (28.085 + 2 * 15.999), 1e-12, 0,
                     "stoichiometry, a few roundings");

    /* --- A valid variant loads; each spoiled one is rejected with LSIM_ERR_INPUT. --- */
    st = load_variant("15", "8.5", "2.5", "1.0", &table);
    LSIM_CHECK(st == LSIM_OK, "good variant: %s", lsim_last_error());
    st = load_variant("5", "8.5", "0", "1.0", &table); /* Si below 9.0 kWh/kg enthalpy floor */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "route 'route_x' claims 5 kWh/kg Si, below the enthalpy floor 9.01 kWh/kg"),
               "got %d: %s", (int)st, lsim_last_error());
    st = load_variant("10", "8.5", "3.0", "1.0", &table); /* Faraday 3.82 x 3 V = 11.45 > 10 */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "below the Faraday floor"), "got %d: %s", (int)st,
               lsim_last_error());
    st = load_variant("15", "7.0", "0", "1.0", &table); /* O2 from SiO2 floor 7.9 */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "kWh/kg O2, below the enthalpy floor 7.91"), "got %d: %s",
               (int)st, lsim_last_error());
    st = load_variant("15", "8.5", "0", "1.2", &table); /* more O2 than the oxides reduced hold */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "oxygen_recovery"), "got %d: %s", (int)st, lsim_last_error());
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_units.csv", "r,extract_Si,0.5,kg/s,test\n"), &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery_floor_units.csv:1"), "got %d: %s", (int)st,
               lsim_last_error());
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_reduce.csv",
                                              "r,extract_Si,0.5,1,t\nr,reduce_Si,0.4,1,t\nr,energy_Si,20,kWh/kg,t\n"
                                              "r,energy_O2,20,kWh/kg,t\nr,throughput,1,kg/s,t\nr,plant_mass,1,kg,t\n"),
                                   &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "reduce_Si"), "got %d: %s", (int)st, lsim_last_error());

    /* --- LSIM_DATA_DIR wins over the compiled-in directories. --- */
    /* (A wrong directory is an input error naming the path it tried.) */
    setenv("LSIM_DATA_DIR", "/nonexistent-lsim", 1);
    st = lsim_refinery_routes_path(NULL, path, sizeof path);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "/nonexistent-lsim/routes/refinery_routes.csv"),
               "got %d: %s", (int)st, lsim_last_error());
    unsetenv("LSIM_DATA_DIR");

    /* --- init fails the same way when the deck points at a bad file. --- */
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, lsim_refinery_param_defs, lsim_refinery_param_count) == LSIM_OK, "register");
    char bad[2048];
    snprintf(bad, sizeof bad, good_route, "5", "8.5", "0", "1.0");
    lsim_test_write_file("refinery_floor_bad.csv", bad);
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", "refinery_floor_bad.csv", "test") == LSIM_OK, "%s",
               lsim_last_error());
    lsim_refinery m;
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "below the enthalpy floor"), "init got %d: %s", (int)st,
               lsim_last_error());
    /* A good file without the chosen route. */
    snprintf(bad, sizeof bad, good_route, "15", "8.5", "0", "1.0");
    lsim_test_write_file("refinery_floor_bad.csv", bad);
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery.route = 'mre'"), "init got %d: %s", (int)st,
               lsim_last_error());
    lsim_params_free(params);

    LSIM_TEST_MAIN_END();
}
