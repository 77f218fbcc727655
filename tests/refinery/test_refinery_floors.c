/* Energy floors of the refinery routes: the floors computed in code against
 * docs/REFERENCES.md (derived figures) and an independent computation, every route in the shipped
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


/* A minimal valid route: MRE-like silicon and its oxygen, to be spoiled one row at a time:
 * the Si reduction's energy, the Si cell's voltage, an oxygen-recovery cell's voltage, the
 * oxygen recovery. */
static const char *good_route =
    "route_x,extract_Si,0.5,1,test\n"
    "route_x,energy_reduce_Si,%s,kWh/kg,test\n"
    "route_x,cell_voltage_Si,%s,V,test\n"
    "route_x,cell_voltage_O2,%s,V,test\n"
    "route_x,oxygen_recovery,%s,1,test\n"
    "route_x,throughput,1e-3,kg/s,test\n"
    "route_x,plant_mass,100,kg,test\n";

static lsim_status load_variant(const char *energy_si, const char *voltage_si, const char *voltage_o2,
                                const char *recovery, lsim_refinery_route_table *table)
{
    char text[2048];
    snprintf(text, sizeof text, good_route, energy_si, voltage_si, voltage_o2, recovery);
    return lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_variant.csv", text), table);
}

/* Standard enthalpy of formation of each metal's oxide per kg of metal, from NIST-JANAF numbers
 * typed here apart from the code's table: SiO2 910.7, Al2O3 1675.7 (2 Al), FeO 272.0, TiO2
 * 944.0 kJ/mol, molar masses 28.085, 26.982, 55.845, 47.867 g/mol. */
static double independent_enthalpy(int element)
{
    switch (element) {
    case LSIM_EL_SI: return 910.7e3 / 28.085e-3;
    case LSIM_EL_AL: return 1675.7e3 / 2.0 / 26.982e-3;
    case LSIM_EL_FE: return 272.0e3 / 55.845e-3;
    case LSIM_EL_TI: return 944.0e3 / 47.867e-3;
    default: return 0.0;
    }
}

int main(void)
{
    /* --- Faraday floors per volt: docs/REFERENCES.md gives 3.35 / 2.98 / 3.82 kWh/kg per V (2 decimals,
     * so a half unit of the last place, 0.005, is the tolerance). --- */
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_OXYGEN) / KWH, 3.35, 0, 0.005, "docs/REFERENCES.md rounds to 0.01");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_ALUMINIUM) / KWH, 2.98, 0, 0.005, "docs/REFERENCES.md rounds to 0.01");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_SILICON) / KWH, 3.82, 0, 0.005, "docs/REFERENCES.md rounds to 0.01");
    /* Independently: 4 F / M(O2) with F = 96485.33212 C/mol and M(O2) = 31.998 g/mol. */
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_per_volt(LSIM_REFINERY_OXYGEN), 4.0 * 96485.33212 / 0.031998, 1e-14, 0,
                     "same formula, a few roundings apart");
    LSIM_CHECK_CLOSE(lsim_refinery_faraday_floor(3, 26.982e-3, 2.0), 2.0 * 3.0 * 96485.33212 / 26.982e-3, 1e-14, 0,
                     "same formula, a few roundings apart");

    /* --- Enthalpy floors: docs/REFERENCES.md gives 1 decimal, so 0.05 kWh/kg. --- */
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_SI) / KWH, 9.0, 0, 0.05, "docs/REFERENCES.md rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_metal(LSIM_EL_AL) / KWH, 8.6, 0, 0.05, "docs/REFERENCES.md rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_SI) / KWH, 7.9, 0, 0.05, "docs/REFERENCES.md rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_FE) / KWH, 4.7, 0, 0.05, "docs/REFERENCES.md rounds to 0.1");
    LSIM_CHECK_CLOSE(lsim_refinery_enthalpy_floor_oxygen(LSIM_EL_AL) / KWH, 9.7, 0, 0.05, "docs/REFERENCES.md rounds to 0.1");
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
    /* kg O per kg of metal in its oxide: 2 O per Si, 3/2 per Al, 1 per Fe, 2 per Ti (O 15.999 g/mol). */
    static const double oxygen_per_metal[LSIM_REFINERY_PRODUCT_COUNT] = {
        2 * 15.999 / 28.085, 1.5 * 15.999 / 26.982, 15.999 / 55.845, 2 * 15.999 / 47.867, 0};
    for (size_t r = 0; r < table.route_count; ++r) {
        const lsim_refinery_route *route = &table.routes[r];
        /* One reduction, one energy: every reduction's energy clears each of its floors (per kg of
         * metal reduced, oxygen included), computed here from the numbers above. */
        double feed_floor = 0.0, reductions = 0.0, finishing = 0.0;
        const double *w = table.reference_feed;
        for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
            if (p == LSIM_REFINERY_OXYGEN) continue;
            int e = lsim_refinery_product_element[p];
            finishing += w[e] * route->extract[e] * route->energy_finish[e];
            if (!(route->reduce[e] > 0)) {
                LSIM_CHECK(route->energy_reduce[e] == 0.0, "route %s: a reduction energy for %s, which it never reduces",
                           route->name, lsim_refinery_product_name[p]);
                continue;
            }
            double claim = route->energy_reduce[e];
            double enthalpy = independent_enthalpy(e);
            double cell = electrons[p] * 96485.33212 * route->cell_voltage[p] / molar[p];
            double o2_cell = 4.0 * 96485.33212 * route->cell_voltage[LSIM_REFINERY_OXYGEN] / molar[LSIM_REFINERY_OXYGEN] *
                             route->oxygen_recovery * oxygen_per_metal[p];
            LSIM_CHECK(claim >= enthalpy, "route %s reduces %s at %g J/kg, below the oxide's enthalpy %g", route->name,
                       lsim_refinery_product_name[p], claim, enthalpy);
            LSIM_CHECK(claim >= cell, "route %s reduces %s at %g J/kg, below its cell's Faraday work %g", route->name,
                       lsim_refinery_product_name[p], claim, cell);
            LSIM_CHECK(claim >= o2_cell, "route %s reduces %s at %g J/kg, below the Faraday work %g of recovering its O2",
                       route->name, lsim_refinery_product_name[p], claim, o2_cell);
            /* The code's floor is the largest of the three (same formulas, constants a few roundings apart). */
            double largest = enthalpy > cell ? enthalpy : cell;
            largest = largest > o2_cell ? largest : o2_cell;
            LSIM_CHECK_CLOSE(lsim_refinery_reduction_floor(route, e), largest, 1e-4, 0,
                             "constants typed to 5 digits here against the code's");
            feed_floor += w[e] * route->reduce[e] * enthalpy;
            reductions += w[e] * route->reduce[e] * claim;
        }
        /* Oxygen carries no energy of its own: the route's energy per kg of feed is the feed term plus
         * the reductions plus finishing, nothing for the O2 (the older code added energy_O2 x O2 yield,
         * 37% of MRE's total, on top of the reductions that free that oxygen). */
        double per_feed = lsim_refinery_route_specific_energy(route, w);
        LSIM_CHECK_CLOSE(per_feed, route->energy_processed + reductions + finishing, 1e-14, 0,
                         "same sum in another order: a few roundings");
        LSIM_CHECK_CLOSE(lsim_refinery_product_floor(route, LSIM_REFINERY_OXYGEN), 0.0, 0, 0,
                         "oxygen has no floor of its own: exact 0");
        /* Energy floor: at least the enthalpy of formation of every oxide reduced, per kg of feed. */
        LSIM_CHECK(per_feed >= feed_floor, "route %s: %g J per kg of feed below sum dHf of the oxides reduced %g",
                   route->name, per_feed, feed_floor);
        /* Stoichiometry: O2 per kg of feed never above the oxygen bound to what is reduced. */
        double yield[LSIM_REFINERY_PRODUCT_COUNT];
        lsim_refinery_route_yields(route, table.reference_feed, yield);
        double bound = 0;
        for (int e = 0; e < LSIM_EL_COUNT; ++e) bound += table.reference_feed[e] * route->reduce[e] * lsim_refinery_oxygen_per_element(e);
        LSIM_CHECK(yield[LSIM_REFINERY_OXYGEN] <= bound * (1 + 1e-15), "route %s releases more O2 than it reduces", route->name);
        LSIM_CHECK(yield[LSIM_REFINERY_OXYGEN] <= table.reference_feed[LSIM_EL_O], "route %s: O2 above feed oxygen", route->name);

        if (strcmp(route->name, "mre") == 0) {
            /* docs/REFERENCES.md [SolarisISRU]: MRE specific energy 18-35 kWh/kg O2 (the route's total, metals included). */
            double per_o2 = lsim_refinery_route_specific_energy(route, table.reference_feed) / yield[LSIM_REFINERY_OXYGEN] / KWH;
            LSIM_CHECK(per_o2 >= 18.0 && per_o2 <= 35.0, "MRE %g kWh/kg O2 outside 18-35", per_o2);
            /* Blue Alchemist: MRE yields Fe, Si, Al and O2. */
            LSIM_CHECK(yield[LSIM_REFINERY_IRON] > 0 && yield[LSIM_REFINERY_SILICON] > 0 &&
                           yield[LSIM_REFINERY_ALUMINIUM] > 0 && yield[LSIM_REFINERY_OXYGEN] > 0,
                       "MRE must yield Fe, Si, Al and O2");
        }
        if (strcmp(route->name, "carbothermal") == 0) {
            /* docs/REFERENCES.md [Gustafson2010]: carbothermal O2 yield 10-15% of processed mass. */
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
    st = load_variant("15", "2.5", "1.8", "1.0", &table);
    LSIM_CHECK(st == LSIM_OK, "good variant: %s", lsim_last_error());
    /* 9.1 kWh/kg clears the SiO2 enthalpy floor 9.01 and pays for the oxygen too: no second charge. */
    st = load_variant("9.1", "0", "0", "1.0", &table);
    LSIM_CHECK(st == LSIM_OK, "a reduction just above its enthalpy floor, oxygen included: %s", lsim_last_error());
    st = load_variant("5", "0", "0", "1.0", &table); /* Si below 9.0 kWh/kg enthalpy floor */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "route 'route_x' claims 5 kWh/kg to reduce Si, below the enthalpy floor 9.01 kWh/kg"),
               "got %d: %s", (int)st, lsim_last_error());
    st = load_variant("10", "3.0", "0", "1.0", &table); /* Faraday 3.82 x 3 V = 11.45 > 10 */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "below the Faraday floor 11.5 kWh/kg at its cell voltage 3 V"),
               "got %d: %s", (int)st, lsim_last_error());
    st = load_variant("10", "0", "3.0", "1.0", &table); /* O2 recovery: 3.35 x 3 V x 1.139 kg O2/kg Si = 11.45 > 10 */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "of recovering its oxygen at cell_voltage_O2 = 3 V"),
               "got %d: %s", (int)st, lsim_last_error());
    st = load_variant("10", "0", "3.0", "0.5", &table); /* half the O2 recovered: 5.7 < 10 passes */
    LSIM_CHECK(st == LSIM_OK, "O2-recovery floor scales with the O2 recovered: %s", lsim_last_error());
    st = load_variant("15", "0", "0", "1.2", &table); /* more O2 than the oxides reduced hold */
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "oxygen_recovery"), "got %d: %s", (int)st, lsim_last_error());
    /* A reduction with no energy at all is below every floor. */
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_free.csv",
                                                        "r,extract_Fe,0.5,1,t\nr,throughput,1,kg/s,t\nr,plant_mass,1,kg,t\n"),
                                   &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "claims 0 kWh/kg to reduce Fe"), "got %d: %s", (int)st,
               lsim_last_error());
    /* The older per-product energies (a metal's and then its oxygen's) are refused with the new form. */
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_old.csv",
                                                        "r,extract_Si,0.5,1,t\nr,energy_O2,8.5,kWh/kg,t\n"),
                                   &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery_floor_old.csv:2") &&
                   strstr(lsim_last_error(), "energy_reduce_<El>"),
               "got %d: %s", (int)st, lsim_last_error());
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_old2.csv", "r,oxygen_floor_oxide,SiO2,,t\n"), &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "oxygen carries no energy"), "got %d: %s", (int)st,
               lsim_last_error());
    /* An energy for a reduction the route never makes is a typo, not a free row. */
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_stray.csv",
                                                        "r,extract_Si,0.5,1,t\nr,energy_reduce_Si,15,kWh/kg,t\n"
                                                        "r,energy_reduce_Al,15,kWh/kg,t\nr,throughput,1,kg/s,t\n"
                                                        "r,plant_mass,1,kg,t\n"),
                                   &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "gives energy_reduce_Al but reduces no Al"), "got %d: %s",
               (int)st, lsim_last_error());
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_units.csv", "r,extract_Si,0.5,kg/s,test\n"), &table);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery_floor_units.csv:1"), "got %d: %s", (int)st,
               lsim_last_error());
    st = lsim_refinery_routes_load(lsim_test_write_file("refinery_floor_reduce.csv",
                                              "r,extract_Si,0.5,1,t\nr,reduce_Si,0.4,1,t\nr,energy_reduce_Si,20,kWh/kg,t\n"
                                              "r,throughput,1,kg/s,t\nr,plant_mass,1,kg,t\n"),
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
    snprintf(bad, sizeof bad, good_route, "5", "0", "0", "1.0");
    lsim_test_write_file("refinery_floor_bad.csv", bad);
    LSIM_CHECK(lsim_param_set_text(params, "refinery", "routes_file", "refinery_floor_bad.csv", "test") == LSIM_OK, "%s",
               lsim_last_error());
    lsim_refinery m;
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "below the enthalpy floor"), "init got %d: %s", (int)st,
               lsim_last_error());
    /* A good file without the chosen route. */
    snprintf(bad, sizeof bad, good_route, "15", "0", "0", "1.0");
    lsim_test_write_file("refinery_floor_bad.csv", bad);
    st = lsim_refinery_init(&m, params, NULL, 1);
    LSIM_CHECK(st == LSIM_ERR_INPUT && strstr(lsim_last_error(), "refinery.route = 'mre'"), "init got %d: %s", (int)st,
               lsim_last_error());
    lsim_params_free(params);

    LSIM_TEST_MAIN_END();
}
