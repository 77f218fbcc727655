/* Refinery plants: process routes read as data, checked against physical floors,
 * with per-element mass balance every step. */
#include "refinery.h"
#include "datapath.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deck.h" /* lsim_suggest */
#include "log.h"
#include "units.h"


#define ROUTES_RELATIVE_PATH "routes/refinery_routes.csv"

const char *const lsim_refinery_product_name[LSIM_REFINERY_PRODUCT_COUNT] = {"Si", "Al", "Fe", "Ti", "O2"};
const int lsim_refinery_product_element[LSIM_REFINERY_PRODUCT_COUNT] = {LSIM_EL_SI, LSIM_EL_AL, LSIM_EL_FE,
                                                                        LSIM_EL_TI, LSIM_EL_O};
/* Electrons transferred per formula unit of product: Si4+, Al3+, Fe2+ (FeO), Ti4+ (TiO2), O2 from 2 O2-. */
static const int product_electrons[LSIM_REFINERY_PRODUCT_COUNT] = {4, 3, 2, 4, 4};
static const char *const product_series_name[LSIM_REFINERY_PRODUCT_COUNT] = {
    "silicon_rate", "aluminium_rate", "iron_rate", "titanium_rate", "oxygen_rate"};
static const char *const product_long_name[LSIM_REFINERY_PRODUCT_COUNT] = {
    "silicon metal production rate", "aluminium metal production rate", "iron metal production rate",
    "titanium metal production rate", "oxygen (O2) production rate"};

/* Metal products, in the order the route table names them. */
static const int metal_products[] = {LSIM_REFINERY_SILICON, LSIM_REFINERY_ALUMINIUM, LSIM_REFINERY_IRON,
                                     LSIM_REFINERY_TITANIUM};
#define METAL_PRODUCT_COUNT 4

const lsim_param_def lsim_refinery_param_defs[] = {
    {"refinery", "route", LSIM_PARAM_TEXT, NULL, NULL, 0, 0, 0, NULL, "mre",
     "process route of every refinery plant: a route the routes file defines (shipped: mre, carbothermal, anorthite_al)",
     "docs/REFERENCES.md [BlueOrigin2023]: molten regolith electrolysis yields Fe, Si, Al and O2"},
    {"refinery", "plants", LSIM_PARAM_REAL, "1", NULL, 10.0, 0.0, 1e12, NULL, NULL,
     "refinery plants at the start (fractional counts stand for partial capacity)",
     "design choice: a seed plant set of ~25 t O2/yr, the scale of the multi-reactor systems of "
     "docs/REFERENCES.md [Schreiner2015]"},
    {"refinery", "routes_file", LSIM_PARAM_TEXT, NULL, NULL, 0, 0, 0, NULL, "",
     "routes data file; empty: $LSIM_DATA_DIR/routes/refinery_routes.csv, else the source or installed data",
     "design choice: routes are data so a new process needs no recompile"},
};
const size_t lsim_refinery_param_count = sizeof lsim_refinery_param_defs / sizeof lsim_refinery_param_defs[0];

/* ------------------------------------------------------------------------ */
/* Floors                                                                    */

/* Standard enthalpies of formation at 298.15 K, kJ/mol of oxide: NIST-JANAF
 * Thermochemical Tables (Chase 1998) and CRC Handbook of Chemistry and
 * Physics, "Standard thermodynamic properties of chemical substances":
 * SiO2 (quartz) -910.7, Al2O3 (corundum) -1675.7, FeO -272.0, TiO2 (rutile)
 * -944.0, CaO -634.9, MgO -601.6, Na2O -414.2. */
typedef struct {
    int element;
    int metal_atoms, oxygen_atoms;
    double formation_kj_per_mol;
    const char *formula;
} oxide_row;

static const oxide_row oxide_table[] = {
    {LSIM_EL_SI, 1, 2, -910.7, "SiO2"}, {LSIM_EL_AL, 2, 3, -1675.7, "Al2O3"}, {LSIM_EL_FE, 1, 1, -272.0, "FeO"},
    {LSIM_EL_TI, 1, 2, -944.0, "TiO2"}, {LSIM_EL_CA, 1, 1, -634.9, "CaO"},    {LSIM_EL_MG, 1, 1, -601.6, "MgO"},
    {LSIM_EL_NA, 2, 1, -414.2, "Na2O"},
};
#define OXIDE_COUNT (sizeof oxide_table / sizeof oxide_table[0])

static const oxide_row *oxide_of(int element)
{
    for (size_t i = 0; i < OXIDE_COUNT; ++i)
        if (oxide_table[i].element == element) return &oxide_table[i];
    return NULL;
}

static double o2_molar_mass(void) { return 2.0 * lsim_element_molar_mass[LSIM_EL_O]; }

double lsim_refinery_faraday_floor(int electrons, double molar_mass, double cell_voltage)
{
    return (double)electrons * LSIM_FARADAY * cell_voltage / molar_mass;
}

double lsim_refinery_faraday_per_volt(int product)
{
    if (product < 0 || product >= LSIM_REFINERY_PRODUCT_COUNT) return 0.0;
    double molar_mass = product == LSIM_REFINERY_OXYGEN ? o2_molar_mass()
                                                        : lsim_element_molar_mass[lsim_refinery_product_element[product]];
    return lsim_refinery_faraday_floor(product_electrons[product], molar_mass, 1.0);
}

double lsim_refinery_oxide_enthalpy(int element, int *metal_atoms, int *oxygen_atoms)
{
    const oxide_row *row = oxide_of(element);
    if (metal_atoms) *metal_atoms = row ? row->metal_atoms : 0;
    if (oxygen_atoms) *oxygen_atoms = row ? row->oxygen_atoms : 0;
    return row ? row->formation_kj_per_mol * 1e3 : 0.0;
}

double lsim_refinery_enthalpy_floor_metal(int element)
{
    const oxide_row *row = oxide_of(element);
    if (!row) return 0.0;
    return -row->formation_kj_per_mol * 1e3 / ((double)row->metal_atoms * lsim_element_molar_mass[element]);
}

double lsim_refinery_enthalpy_floor_oxygen(int element)
{
    const oxide_row *row = oxide_of(element);
    if (!row) return 0.0;
    return -row->formation_kj_per_mol * 1e3 / (0.5 * (double)row->oxygen_atoms * o2_molar_mass());
}

double lsim_refinery_oxygen_per_element(int element)
{
    const oxide_row *row = oxide_of(element);
    if (!row) return 0.0;
    return (double)row->oxygen_atoms * lsim_element_molar_mass[LSIM_EL_O] /
           ((double)row->metal_atoms * lsim_element_molar_mass[element]);
}

/* The metal product made of `element`, or -1. */
static int metal_product_of(int element)
{
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p)
        if (p != LSIM_REFINERY_OXYGEN && lsim_refinery_product_element[p] == element) return p;
    return -1;
}

/* Floor of one reduction, J per kg of element e reduced from its oxide MxOy:
 *   max( -dHf / (x M_e),                     enthalpy: decomposing the oxide, oxygen freed included
 *        n F V_e / M_e,                       the metal's cell, if electrolytic (cell_voltage of e)
 *        rho (y M_O / x M_e) 4 F V_O2 / M_O2 ) a separate oxygen-recovery electrolysis on the O2
 *                                             captured (rho = oxygen_recovery)
 * Each term is a lower bound on the same reduction's energy, so the largest is one too; adding
 * them would charge one reduction twice. Valid at 298.15 K enthalpies (heating the melt only
 * adds to the true cost). */
double lsim_refinery_reduction_floor(const lsim_refinery_route *route, int element)
{
    if (element < 0 || element >= LSIM_EL_COUNT) return 0.0;
    double floor = lsim_refinery_enthalpy_floor_metal(element);
    int p = metal_product_of(element);
    if (p >= 0) {
        double cell = lsim_refinery_faraday_per_volt(p) * route->cell_voltage[p];
        if (cell > floor) floor = cell;
    }
    double o2_cell = lsim_refinery_faraday_per_volt(LSIM_REFINERY_OXYGEN) * route->cell_voltage[LSIM_REFINERY_OXYGEN] *
                     route->oxygen_recovery * lsim_refinery_oxygen_per_element(element);
    return o2_cell > floor ? o2_cell : floor;
}

double lsim_refinery_product_floor(const lsim_refinery_route *route, int product)
{
    if (product < 0 || product >= LSIM_REFINERY_PRODUCT_COUNT || product == LSIM_REFINERY_OXYGEN) return 0.0;
    return lsim_refinery_reduction_floor(route, lsim_refinery_product_element[product]);
}

/* ------------------------------------------------------------------------ */
/* Yields and energy                                                         */

static double oxygen_liberated(const lsim_refinery_route *route, const double mass[LSIM_EL_COUNT])
{
    double bound = 0.0;
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        bound += mass[e] * route->reduce[e] * lsim_refinery_oxygen_per_element(e);
    }
    double o2 = route->oxygen_recovery * bound;
    /* A feed leaner in oxygen than its oxides' stoichiometry cannot give more than it holds. */
    return o2 < mass[LSIM_EL_O] ? o2 : mass[LSIM_EL_O];
}

void lsim_refinery_route_yields(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT],
                                double yield[LSIM_REFINERY_PRODUCT_COUNT])
{
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int p = metal_products[k];
        int e = lsim_refinery_product_element[p];
        yield[p] = w[e] * route->extract[e];
    }
    yield[LSIM_REFINERY_OXYGEN] = oxygen_liberated(route, w);
}

/* Energy for element masses m (kg, or kg per kg of feed) processed: the feed term, one
 * reduction energy per kg reduced, the finishing energy per kg extracted; no oxygen term. */
static double route_energy(const lsim_refinery_route *route, const double m[LSIM_EL_COUNT], double processed)
{
    double energy = route->energy_processed * processed;
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        energy += route->energy_reduce[e] * (m[e] * route->reduce[e]) + route->energy_finish[e] * (m[e] * route->extract[e]);
    }
    return energy;
}

double lsim_refinery_route_specific_energy(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT])
{
    return route_energy(route, w, 1.0);
}

const lsim_refinery_route *lsim_refinery_route_find(const lsim_refinery_route_table *table, const char *name)
{
    for (size_t r = 0; name && r < table->route_count; ++r)
        if (strcmp(table->routes[r].name, name) == 0) return &table->routes[r];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Route data                                                                */

lsim_status lsim_refinery_routes_path(const lsim_params *params, char *buf, size_t size)
{
    const char *given = params ? lsim_param_text(params, "refinery", "routes_file") : "";
    /* Errors start as the deck loader's do: file:line:column: refinery.routes_file. */
    const char *where = params ? lsim_param_where(params, "refinery", "routes_file") : "refinery.routes_file";
    return lsim_data_path(given && given[0] ? given : ROUTES_RELATIVE_PATH, where, buf, size);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') ++s;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = '\0';
    return s;
}

static int product_by_name(const char *name)
{
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p)
        if (strcmp(lsim_refinery_product_name[p], name) == 0) return p;
    return -1;
}

static int metal_element_by_symbol(const char *symbol)
{
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        if (strcmp(lsim_element_symbol[e], symbol) == 0) return e;
    }
    return -1;
}

static const oxide_row *oxide_by_formula(const char *formula)
{
    for (size_t i = 0; i < OXIDE_COUNT; ++i)
        if (strcmp(oxide_table[i].formula, formula) == 0) return &oxide_table[i];
    return NULL;
}

/* Per-route bookkeeping while reading: which quantities were given. */
typedef struct {
    int reduce_set[LSIM_EL_COUNT], energy_reduce_set[LSIM_EL_COUNT], energy_finish_set[LSIM_EL_COUNT];
    int seen_throughput, seen_mass, seen_specific, seen_recovery, seen_lunar_fraction;
} route_seen;

static lsim_status value_in_unit(const char *where, const char *quantity, const char *value_text,
                                 const char *unit_text, const char *expected_si, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(value_text, &end);
    if (end == value_text || *end != '\0' || errno == ERANGE || !isfinite(value))
        return lsim_fail(LSIM_ERR_INPUT, "%s: %s: value '%s' is not a number", where, quantity, value_text);
    double scale = 1.0, expected_scale = 1.0;
    lsim_dimension dim, expected_dim;
    const char *unit = unit_text[0] ? unit_text : "1";
    if (lsim_unit_parse(unit, &scale, &dim) != LSIM_OK) {
        char message[512]; /* lsim_fail writes the buffer lsim_last_error reads */
        snprintf(message, sizeof message, "%s", lsim_last_error());
        return lsim_fail(LSIM_ERR_INPUT, "%s: %s: %s", where, quantity, message);
    }
    if (lsim_unit_parse(expected_si, &expected_scale, &expected_dim) != LSIM_OK)
        return lsim_fail(LSIM_ERR_RUN, "refinery: bad built-in unit '%s'", expected_si);
    if (!lsim_dimension_equal(dim, expected_dim))
        return lsim_fail(LSIM_ERR_INPUT, "%s: %s: unit '%s' is not a unit of %s", where, quantity, unit, expected_si);
    *out = value * scale / expected_scale;
    return LSIM_OK;
}

static lsim_status set_route_quantity(lsim_refinery_route *r, route_seen *seen, const char *where,
                                      const char *quantity, const char *value, const char *unit)
{
    double v = 0.0;
    lsim_status st;
    /* Per metal element: extract_, reduce_, energy_reduce_, energy_finish_. */
    const char *element_prefixes[4] = {"extract_", "reduce_", "energy_reduce_", "energy_finish_"};
    const char *element_units[4] = {"1", "1", "J/kg", "J/kg"};
    for (int i = 0; i < 4; ++i) {
        size_t n = strlen(element_prefixes[i]);
        if (strncmp(quantity, element_prefixes[i], n) != 0) continue;
        const char *symbol = quantity + n;
        int e = metal_element_by_symbol(symbol);
        if (e < 0) return lsim_fail(LSIM_ERR_INPUT, "%s: '%s': no metal product '%s' (Si, Al, Fe, Ti)", where, quantity, symbol);
        if ((st = value_in_unit(where, quantity, value, unit, element_units[i], &v)) != LSIM_OK) return st;
        switch (i) {
        case 0: r->extract[e] = v; break;
        case 1: r->reduce[e] = v; seen->reduce_set[e] = 1; break;
        case 2: r->energy_reduce[e] = v; seen->energy_reduce_set[e] = 1; break;
        default: r->energy_finish[e] = v; seen->energy_finish_set[e] = 1; break;
        }
        return LSIM_OK;
    }
    const char *prefixes[2] = {"cell_voltage_", "makeup_"};
    const char *units[2] = {"V", "1"};
    for (int i = 0; i < 2; ++i) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(quantity, prefixes[i], n) != 0) continue;
        int p = product_by_name(quantity + n);
        if (p < 0) return lsim_fail(LSIM_ERR_INPUT, "%s: '%s': no product '%s' (Si, Al, Fe, Ti, O2)", where, quantity, quantity + n);
        if ((st = value_in_unit(where, quantity, value, unit, units[i], &v)) != LSIM_OK) return st;
        if (i == 0) r->cell_voltage[p] = v;
        else r->makeup[p] = v;
        return LSIM_OK;
    }
    /* The older per-product energies charged a metal and the oxygen its reduction frees twice. */
    if (strncmp(quantity, "energy_", 7) == 0 && product_by_name(quantity + 7) >= 0)
        return lsim_fail(LSIM_ERR_INPUT,
                         "%s: '%s': energies are per reduction: give energy_reduce_<El> (J per kg of metal reduced, "
                         "covering the oxygen it frees) and, for separation or remelting, energy_finish_<El>",
                         where, quantity);
    if (strcmp(quantity, "oxygen_floor_oxide") == 0)
        return lsim_fail(LSIM_ERR_INPUT,
                         "%s: 'oxygen_floor_oxide': oxygen carries no energy or floor of its own; each reduction's "
                         "floor covers the oxygen it frees",
                         where);
    if (strcmp(quantity, "energy_processed") == 0)
        return value_in_unit(where, quantity, value, unit, "J/kg", &r->energy_processed);
    if (strcmp(quantity, "oxygen_recovery") == 0) {
        seen->seen_recovery = 1;
        return value_in_unit(where, quantity, value, unit, "1", &r->oxygen_recovery);
    }
    if (strcmp(quantity, "throughput") == 0) {
        seen->seen_throughput = 1;
        return value_in_unit(where, quantity, value, unit, "kg/s", &r->throughput);
    }
    if (strcmp(quantity, "plant_mass") == 0) {
        seen->seen_mass = 1;
        return value_in_unit(where, quantity, value, unit, "kg", &r->plant_mass);
    }
    if (strcmp(quantity, "plant_specific_oxygen") == 0) {
        seen->seen_specific = 1;
        return value_in_unit(where, quantity, value, unit, "1/s", &r->plant_specific_oxygen);
    }
    if (strcmp(quantity, "plant_lunar_fraction") == 0) {
        seen->seen_lunar_fraction = 1;
        return value_in_unit(where, quantity, value, unit, "1", &r->plant_lunar_fraction);
    }
    return lsim_fail(LSIM_ERR_INPUT,
                     "%s: unknown route quantity '%s' (extract_, reduce_, energy_reduce_, energy_finish_<El>; "
                     "cell_voltage_, makeup_<P>; oxygen_recovery, energy_processed, throughput, plant_mass, "
                     "plant_specific_oxygen, plant_lunar_fraction)",
                     where, quantity);
}

lsim_status lsim_refinery_route_check(const lsim_refinery_route *r)
{
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        const char *s = lsim_element_symbol[e];
        if (!(r->extract[e] >= 0.0 && r->extract[e] <= 1.0))
            return lsim_fail(LSIM_ERR_INPUT, "route '%s': extract_%s = %g is outside [0, 1]", r->name, s, r->extract[e]);
        if (!(r->reduce[e] >= r->extract[e] && r->reduce[e] <= 1.0))
            return lsim_fail(LSIM_ERR_INPUT,
                             "route '%s': reduce_%s = %g must lie in [extract_%s = %g, 1]: a metal must be reduced to be extracted",
                             r->name, s, r->reduce[e], s, r->extract[e]);
    }
    if (!(r->oxygen_recovery >= 0.0 && r->oxygen_recovery <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT,
                         "route '%s': oxygen_recovery = %g is outside [0, 1]: O2 released cannot exceed the oxygen bound to the metals reduced",
                         r->name, r->oxygen_recovery);
    if (!(r->energy_processed >= 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "route '%s': energy_processed = %g J/kg is negative", r->name, r->energy_processed);
    if (!(r->throughput > 0.0))
        return lsim_fail(LSIM_ERR_INPUT, "route '%s': throughput must be positive (kg/s per plant)", r->name);
    if (!(r->plant_mass > 0.0) || !isfinite(r->plant_mass))
        return lsim_fail(LSIM_ERR_INPUT, "route '%s': plant_mass must be positive (give plant_mass or plant_specific_oxygen)", r->name);
    if (!(r->plant_lunar_fraction >= 0.0 && r->plant_lunar_fraction <= 1.0))
        return lsim_fail(LSIM_ERR_INPUT, "route '%s': plant_lunar_fraction = %g is outside [0, 1]", r->name, r->plant_lunar_fraction);

    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
        const char *name = lsim_refinery_product_name[p];
        if (!(r->cell_voltage[p] >= 0.0) || !(r->makeup[p] >= 0.0))
            return lsim_fail(LSIM_ERR_INPUT, "route '%s': cell_voltage_%s and makeup_%s must not be negative", r->name,
                             name, name);
    }
    /* One reduction, one energy: each reduction's claim must clear its own floor, which covers the
     * oxygen it frees; the oxygen has no claim to check. */
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int p = metal_products[k];
        int e = lsim_refinery_product_element[p];
        const char *s = lsim_element_symbol[e];
        if (!(r->energy_reduce[e] >= 0.0) || !(r->energy_finish[e] >= 0.0) || !isfinite(r->energy_reduce[e]) ||
            !isfinite(r->energy_finish[e]))
            return lsim_fail(LSIM_ERR_INPUT, "route '%s': energy_reduce_%s and energy_finish_%s must be finite and not negative",
                             r->name, s, s);
        if (!(r->reduce[e] > 0.0)) continue;
        double claim = r->energy_reduce[e];
        double enthalpy = lsim_refinery_enthalpy_floor_metal(e);
        double cell = lsim_refinery_faraday_per_volt(p) * r->cell_voltage[p];
        double floor = lsim_refinery_reduction_floor(r, e); /* the largest of the three */
        if (claim < enthalpy)
            return lsim_fail(LSIM_ERR_INPUT,
                             "route '%s' claims %.3g kWh/kg to reduce %s, below the enthalpy floor %.3g kWh/kg of its oxide",
                             r->name, claim / LSIM_KWH, s, enthalpy / LSIM_KWH);
        if (claim < cell)
            return lsim_fail(LSIM_ERR_INPUT,
                             "route '%s' claims %.3g kWh/kg to reduce %s, below the Faraday floor %.3g kWh/kg at its cell voltage %.3g V",
                             r->name, claim / LSIM_KWH, s, cell / LSIM_KWH, r->cell_voltage[p]);
        if (claim < floor)
            return lsim_fail(LSIM_ERR_INPUT,
                             "route '%s' claims %.3g kWh/kg to reduce %s, below the Faraday floor %.3g kWh/kg of recovering "
                             "its oxygen at cell_voltage_O2 = %.3g V",
                             r->name, claim / LSIM_KWH, s, floor / LSIM_KWH, r->cell_voltage[LSIM_REFINERY_OXYGEN]);
    }
    return LSIM_OK;
}

static lsim_status finish_route(lsim_refinery_route *r, const route_seen *seen, const lsim_refinery_route_table *table,
                                const char *path)
{
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        if (!seen->reduce_set[e]) r->reduce[e] = r->extract[e];
    }
    if (!seen->seen_recovery) r->oxygen_recovery = 1.0;
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        const char *s = lsim_element_symbol[e];
        if (seen->energy_reduce_set[e] && !(r->reduce[e] > 0.0))
            return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' gives energy_reduce_%s but reduces no %s", path, r->name, s, s);
        if (seen->energy_finish_set[e] && !(r->extract[e] > 0.0))
            return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' gives energy_finish_%s but extracts no %s", path, r->name, s, s);
    }
    if (!seen->seen_lunar_fraction) r->plant_lunar_fraction = 0.0;
    if (!seen->seen_throughput) return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' has no throughput", path, r->name);
    if (seen->seen_mass && seen->seen_specific)
        return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' gives both plant_mass and plant_specific_oxygen; give one", path,
                         r->name);
    if (seen->seen_specific) {
        if (!table->has_reference_feed)
            return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' sizes its plant by plant_specific_oxygen but the file has no reference_feed rows",
                             path, r->name);
        if (!(r->plant_specific_oxygen > 0.0))
            return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s': plant_specific_oxygen must be positive", path, r->name);
        double yield[LSIM_REFINERY_PRODUCT_COUNT];
        lsim_refinery_route_yields(r, table->reference_feed, yield);
        /* The plant is as heavy as its oxygen output at full rate on the reference feed demands. */
        r->plant_mass = r->throughput * yield[LSIM_REFINERY_OXYGEN] / r->plant_specific_oxygen;
    } else if (!seen->seen_mass) {
        return lsim_fail(LSIM_ERR_INPUT, "%s: route '%s' needs plant_mass or plant_specific_oxygen", path, r->name);
    }
    lsim_status st = lsim_refinery_route_check(r);
    if (st != LSIM_OK) {
        char message[1024]; /* lsim_fail writes the buffer lsim_last_error reads */
        snprintf(message, sizeof message, "%s", lsim_last_error());
        return lsim_fail(st, "%s: %s", path, message);
    }
    return LSIM_OK;
}

lsim_status lsim_refinery_routes_load(const char *path, lsim_refinery_route_table *table)
{
    memset(table, 0, sizeof *table);
    FILE *f = fopen(path, "r");
    if (!f) return lsim_fail(LSIM_ERR_INPUT, "cannot open refinery routes file '%s': %s", path, strerror(errno));

    route_seen seen[LSIM_REFINERY_MAX_ROUTES];
    memset(seen, 0, sizeof seen);
    double oxide_fraction[OXIDE_COUNT] = {0};
    int oxide_set[OXIDE_COUNT] = {0};
    char line[2048];
    long line_number = 0;
    lsim_status st = LSIM_OK;

    while (fgets(line, sizeof line, f)) {
        ++line_number;
        char where[1200];
        snprintf(where, sizeof where, "%s:%ld", path, line_number);
        if (!strchr(line, '\n') && !feof(f)) {
            st = lsim_fail(LSIM_ERR_INPUT, "%s: line too long", where);
            break;
        }
        char *text = trim(line);
        if (text[0] == '\0' || text[0] == '#') continue;
        /* route,quantity,value,unit,source: the source is free text and may hold commas. */
        char *field[4];
        char *p = text;
        int n = 0;
        for (; n < 4; ++n) {
            field[n] = p;
            char *comma = strchr(p, ',');
            if (!comma) break;
            *comma = '\0';
            p = comma + 1;
        }
        if (n < 4) {
            st = lsim_fail(LSIM_ERR_INPUT, "%s: expected 'route,quantity,value,unit,source'", where);
            break;
        }
        char *route_name = trim(field[0]), *quantity = trim(field[1]), *value = trim(field[2]), *unit = trim(field[3]);
        if (trim(p)[0] == '\0') {
            st = lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s has no source: cite docs/REFERENCES.md [Key] or say 'design choice: why'",
                           where, route_name, quantity);
            break;
        }

        if (strcmp(route_name, "reference_feed") == 0) {
            const oxide_row *row = oxide_by_formula(quantity);
            if (!row) {
                st = lsim_fail(LSIM_ERR_INPUT, "%s: reference_feed: unknown oxide '%s'", where, quantity);
                break;
            }
            size_t i = (size_t)(row - oxide_table);
            if (oxide_set[i]) {
                st = lsim_fail(LSIM_ERR_INPUT, "%s: reference_feed.%s given twice", where, quantity);
                break;
            }
            if ((st = value_in_unit(where, quantity, value, unit, "1", &oxide_fraction[i])) != LSIM_OK) break;
            if (!(oxide_fraction[i] >= 0.0 && oxide_fraction[i] <= 1.0)) {
                st = lsim_fail(LSIM_ERR_INPUT, "%s: reference_feed.%s must lie in [0, 100] %%", where, quantity);
                break;
            }
            oxide_set[i] = 1;
            table->has_reference_feed = 1;
            continue;
        }

        size_t r = 0;
        while (r < table->route_count && strcmp(table->routes[r].name, route_name) != 0) ++r;
        if (r == table->route_count) {
            if (table->route_count == LSIM_REFINERY_MAX_ROUTES) {
                st = lsim_fail(LSIM_ERR_INPUT, "%s: more than %d routes", where, LSIM_REFINERY_MAX_ROUTES);
                break;
            }
            if (route_name[0] == '\0' || strlen(route_name) >= LSIM_REFINERY_NAME_LEN) {
                st = lsim_fail(LSIM_ERR_INPUT, "%s: route name '%s' is empty or longer than %d characters", where,
                               route_name, LSIM_REFINERY_NAME_LEN - 1);
                break;
            }
            snprintf(table->routes[r].name, LSIM_REFINERY_NAME_LEN, "%s", route_name);
            ++table->route_count;
        }
        if ((st = set_route_quantity(&table->routes[r], &seen[r], where, quantity, value, unit)) != LSIM_OK) break;
    }
    fclose(f);
    if (st != LSIM_OK) return st;

    if (table->has_reference_feed) {
        /* Oxide to element by stoichiometry; the unlisted remainder is carried as OTHER. */
        double listed = 0.0;
        for (size_t i = 0; i < OXIDE_COUNT; ++i) {
            const oxide_row *row = &oxide_table[i];
            double metal = (double)row->metal_atoms * lsim_element_molar_mass[row->element];
            double oxygen = (double)row->oxygen_atoms * lsim_element_molar_mass[LSIM_EL_O];
            table->reference_feed[row->element] += oxide_fraction[i] * metal / (metal + oxygen);
            table->reference_feed[LSIM_EL_O] += oxide_fraction[i] * oxygen / (metal + oxygen);
            listed += oxide_fraction[i];
        }
        if (listed > 1.0 + 1e-9)
            return lsim_fail(LSIM_ERR_INPUT, "%s: reference_feed oxides sum to %.4g %%, above 100 %%", path, listed * 100.0);
        table->reference_feed[LSIM_EL_OTHER] = listed < 1.0 ? 1.0 - listed : 0.0;
    }
    if (table->route_count == 0) return lsim_fail(LSIM_ERR_INPUT, "%s: no routes", path);
    for (size_t r = 0; r < table->route_count; ++r)
        if ((st = finish_route(&table->routes[r], &seen[r], table, path)) != LSIM_OK) return st;
    return LSIM_OK;
}

/* ------------------------------------------------------------------------ */
/* Module                                                                    */

static void register_series(lsim_refinery *m)
{
    lsim_series_registry *s = m->series;
    if (!s) return;
    const char *g = "refinery";
    m->sid_feed_rate = lsim_series_add(s, g, "feed_rate", "kg s-1", "regolith processed by the refinery plants", LSIM_SERIES_FLOW);
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p)
        m->sid_product_rate[p] = lsim_series_add(s, g, product_series_name[p], "kg s-1", product_long_name[p], LSIM_SERIES_FLOW);
    m->sid_slag_rate = lsim_series_add(s, g, "slag_rate", "kg s-1", "slag (processed, not extracted) production rate", LSIM_SERIES_FLOW);
    m->sid_power = lsim_series_add(s, g, "power_draw", "W", "electric power used by the refinery", LSIM_SERIES_FLOW);
    m->sid_plants = lsim_series_add(s, g, "plants", "1", "refinery plants installed", LSIM_SERIES_STOCK);
    m->sid_utilisation = lsim_series_add(s, g, "utilisation", "1", "feed processed over plant capacity", LSIM_SERIES_FLOW);
    m->sid_earth_supply_rate = lsim_series_add(s, g, "earth_supply_rate", "kg s-1", "Earth-supplied reagent make-up (carbon, chlorine)", LSIM_SERIES_FLOW);

    const lsim_refinery_design *d = &m->design;
    lsim_series_group_attr(s, g, "plant_throughput", d->plant_throughput, "kg s-1");
    lsim_series_group_attr(s, g, "plant_mass", d->plant_mass, "kg");
    lsim_series_group_attr(s, g, "plant_mass_lunar", d->plant_mass_lunar, "kg");
    lsim_series_group_attr(s, g, "plant_mass_earth", d->plant_mass_earth, "kg");
    lsim_series_group_attr(s, g, "reference_oxygen_yield", d->reference_yield[LSIM_REFINERY_OXYGEN], "1");
    lsim_series_group_attr(s, g, "reference_energy_per_kg_feed", d->energy_per_feed, "J kg-1");
    if (d->energy_per_oxygen > 0.0)
        lsim_series_group_attr(s, g, "reference_energy_per_kg_oxygen", d->energy_per_oxygen, "J kg-1");
    /* Per reduction: its energy and the floor it was checked against (per kg of element reduced). */
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int e = lsim_refinery_product_element[metal_products[k]];
        if (!(d->reduce[e] > 0.0)) continue;
        char name[64];
        snprintf(name, sizeof name, "energy_reduce_%s", lsim_element_symbol[e]);
        lsim_series_group_attr(s, g, name, d->energy_reduce[e], "J kg-1");
        snprintf(name, sizeof name, "floor_reduce_%s", lsim_element_symbol[e]);
        lsim_series_group_attr(s, g, name, d->reduction_floor[e], "J kg-1");
        if (d->energy_finish[e] > 0.0) {
            snprintf(name, sizeof name, "energy_finish_%s", lsim_element_symbol[e]);
            lsim_series_group_attr(s, g, name, d->energy_finish[e], "J kg-1");
        }
    }
}

/* Design figures from the active route and the reference feed. */
static void fill_design(lsim_refinery *m)
{
    const lsim_refinery_route *r = &m->route;
    lsim_refinery_design *d = &m->design;
    memset(d, 0, sizeof *d);
    snprintf(d->route, sizeof d->route, "%s", r->name);
    d->plant_throughput = r->throughput;
    d->plant_mass = r->plant_mass;
    d->plant_mass_lunar = m->plant_mass_lunar;
    d->plant_mass_earth = m->plant_mass_earth;
    memcpy(d->extract, r->extract, sizeof d->extract);
    memcpy(d->reduce, r->reduce, sizeof d->reduce);
    d->oxygen_recovery = r->oxygen_recovery;
    d->energy_processed = r->energy_processed;
    memcpy(d->energy_reduce, r->energy_reduce, sizeof d->energy_reduce);
    memcpy(d->energy_finish, r->energy_finish, sizeof d->energy_finish);
    for (int e = 0; e < LSIM_EL_COUNT; ++e) d->reduction_floor[e] = lsim_refinery_reduction_floor(r, e);
    memcpy(d->makeup, r->makeup, sizeof d->makeup);
    memcpy(d->reference_feed, m->reference_feed, sizeof d->reference_feed);
    lsim_refinery_route_yields(r, m->reference_feed, d->reference_yield);
    double extracted = 0.0, fed = 0.0;
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) extracted += d->reference_yield[p];
    for (int e = 0; e < LSIM_EL_COUNT; ++e) fed += m->reference_feed[e];
    d->reference_slag = fed - extracted;
    d->energy_per_feed = lsim_refinery_route_specific_energy(r, m->reference_feed);
    double o2 = d->reference_yield[LSIM_REFINERY_OXYGEN];
    d->energy_per_oxygen = o2 > 0.0 ? d->energy_per_feed / o2 : 0.0;
}

/* "a, b, c": the routes a table offers. */
static void route_list(const lsim_refinery_route_table *table, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < table->route_count && used < size; ++r) {
        int n = snprintf(buf + used, size - used, "%s%s", r ? ", " : "", table->routes[r].name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

/* The route refinery.route names, from the file the parameters point at; *table is malloc'd
 * (caller frees) and *path names the file. One line on an unknown route. */
static lsim_status load_chosen_route(const lsim_params *params, lsim_refinery_route_table **table_out,
                                     const lsim_refinery_route **route_out, char *path, size_t path_size)
{
    *table_out = NULL;
    *route_out = NULL;
    lsim_status st = lsim_refinery_routes_path(params, path, path_size);
    if (st != LSIM_OK) return st;
    /* The table is large only for the length of init; the module keeps just its route. */
    lsim_refinery_route_table *table = malloc(sizeof *table);
    if (!table) return lsim_fail(LSIM_ERR_RUN, "refinery: out of memory");
    st = lsim_refinery_routes_load(path, table);
    if (st != LSIM_OK) {
        free(table);
        return st;
    }
    const char *name = lsim_param_text(params, "refinery", "route");
    const lsim_refinery_route *route = lsim_refinery_route_find(table, name);
    if (!route) {
        const char *names[LSIM_REFINERY_MAX_ROUTES];
        for (size_t r = 0; r < table->route_count; ++r) names[r] = table->routes[r].name;
        const char *hint = lsim_suggest(name, names, table->route_count);
        char offered[LSIM_REFINERY_MAX_ROUTES * (LSIM_REFINERY_NAME_LEN + 2)];
        route_list(table, offered, sizeof offered);
        /* Named as the deck loader names a value: file:line:column: refinery.route. */
        st = lsim_fail(LSIM_ERR_INPUT, "%s = '%s' is not a route of %s (it offers: %s)%s%s%s",
                       lsim_param_where(params, "refinery", "route"), name, path, offered, hint ? "; did you mean '" : "",
                       hint ? hint : "", hint ? "'?" : "");
        free(table);
        return st;
    }
    *table_out = table;
    *route_out = route;
    return LSIM_OK;
}

lsim_status lsim_refinery_route_validate(const lsim_params *params)
{
    char path[1024];
    lsim_refinery_route_table *table;
    const lsim_refinery_route *route;
    lsim_status st = load_chosen_route(params, &table, &route, path, sizeof path);
    free(table);
    return st;
}

lsim_status lsim_refinery_init(lsim_refinery *m, const lsim_params *params, lsim_series_registry *series, uint64_t seed)
{
    (void)seed; /* the refinery is deterministic */
    memset(m, 0, sizeof *m);
    char path[1024];
    lsim_refinery_route_table *table;
    const lsim_refinery_route *route;
    lsim_status st = load_chosen_route(params, &table, &route, path, sizeof path);
    if (st != LSIM_OK) return st;
    m->route = *route;
    memcpy(m->reference_feed, table->reference_feed, sizeof m->reference_feed);
    free(table);

    m->plants = lsim_param_real(params, "refinery", "plants");
    m->plant_mass_lunar = m->route.plant_mass * m->route.plant_lunar_fraction;
    m->plant_mass_earth = m->route.plant_mass - m->plant_mass_lunar;
    double yield[LSIM_REFINERY_PRODUCT_COUNT];
    lsim_refinery_route_yields(&m->route, m->reference_feed, yield);
    m->reference_oxygen_yield = yield[LSIM_REFINERY_OXYGEN];
    fill_design(m);
    m->series = series;
    register_series(m);
    lsim_log(LSIM_LOG_INFO, "refinery: route %s from %s, %g plants of %.4g kg, %.4g kg/s each", m->route.name, path,
             m->plants, m->route.plant_mass, m->route.throughput);
    return LSIM_OK;
}

static double feed_total_of(const double feed[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e)
        if (feed[e] > 0.0) total += feed[e];
    return total;
}

/* Feed mass the plants would process this step and the energy per kg it takes. */
static double plan_feed(const lsim_refinery *m, double dt, const double feed[LSIM_EL_COUNT], double *specific_energy,
                        double *feed_total_out)
{
    double feed_total = feed_total_of(feed);
    *feed_total_out = feed_total;
    *specific_energy = 0.0;
    if (!(feed_total > 0.0) || !(m->plants > 0.0)) return 0.0;
    double w[LSIM_EL_COUNT];
    for (int e = 0; e < LSIM_EL_COUNT; ++e) w[e] = feed[e] > 0.0 ? feed[e] / feed_total : 0.0;
    *specific_energy = lsim_refinery_route_specific_energy(&m->route, w);
    double capacity = m->plants * m->route.throughput * dt;
    return capacity < feed_total ? capacity : feed_total;
}

double lsim_refinery_power_demand(const lsim_refinery *m, const lsim_clock *clock, const double feed_by_element[LSIM_EL_COUNT])
{
    double specific_energy, feed_total;
    double mass = plan_feed(m, clock->dt, feed_by_element, &specific_energy, &feed_total);
    return mass * specific_energy / clock->dt;
}

/* Sums in element order, so a result rebuilt from a checkpoint has the same bits. */
static double element_sum(const double v[LSIM_EL_COUNT])
{
    double total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) total += v[e];
    return total;
}

/* The older face: the last-step fields mirror the result. */
static void mirror_result(lsim_refinery *m)
{
    const lsim_refinery_step_result *r = &m->last;
    memcpy(m->last_consumed, r->consumed, sizeof m->last_consumed);
    memcpy(m->last_slag, r->slag, sizeof m->last_slag);
    m->last_product[LSIM_REFINERY_SILICON] = r->silicon;
    m->last_product[LSIM_REFINERY_ALUMINIUM] = r->aluminium;
    m->last_product[LSIM_REFINERY_IRON] = r->iron;
    m->last_product[LSIM_REFINERY_TITANIUM] = r->titanium;
    m->last_product[LSIM_REFINERY_OXYGEN] = r->oxygen;
    m->last_energy = r->energy;
    m->last_power = r->power;
    m->last_earth_supply = r->earth_supply;
}

double lsim_refinery_advance(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                             double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products,
                             lsim_refinery_step_result *result)
{
    const lsim_refinery_route *r = &m->route;
    /* Written in place, after a memset, so a checkpointed copy compares byte for byte. */
    lsim_refinery_step_result *out = &m->last;
    memset(out, 0, sizeof *out);
    double dt = clock->dt;
    double specific_energy, feed_total;
    double capacity = m->plants * r->throughput * dt;
    double mass = plan_feed(m, dt, feed_by_element, &specific_energy, &feed_total);
    double energy_granted = power_granted_W > 0.0 ? power_granted_W * dt : 0.0;
    /* What binds: no plants; else the grant if it cuts the plan; else capacity or feed, the smaller. */
    if (!(m->plants > 0.0)) out->limit = LSIM_REFINERY_LIMIT_NONE;
    else if (mass * specific_energy > energy_granted) out->limit = LSIM_REFINERY_LIMIT_POWER;
    else out->limit = capacity < feed_total ? LSIM_REFINERY_LIMIT_PLANTS : LSIM_REFINERY_LIMIT_FEED;
    if (mass * specific_energy > energy_granted) mass = energy_granted / specific_energy;

    /* Take from every element in proportion to what waits: the feed is whatever the buffer holds. */
    double fraction = feed_total > 0.0 ? mass / feed_total : 0.0;
    if (fraction > 1.0) fraction = 1.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        double available = feed_by_element[e] > 0.0 ? feed_by_element[e] : 0.0;
        double take = fraction == 1.0 ? available : available * fraction;
        feed_by_element[e] -= take;
        out->consumed[e] = take;
    }
    out->feed = element_sum(out->consumed);
    out->capacity = capacity;

    double product[LSIM_REFINERY_PRODUCT_COUNT];
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int p = metal_products[k];
        int e = lsim_refinery_product_element[p];
        product[p] = out->consumed[e] * r->extract[e];
    }
    product[LSIM_REFINERY_OXYGEN] = oxygen_liberated(r, out->consumed);
    out->silicon = product[LSIM_REFINERY_SILICON];
    out->aluminium = product[LSIM_REFINERY_ALUMINIUM];
    out->iron = product[LSIM_REFINERY_IRON];
    out->titanium = product[LSIM_REFINERY_TITANIUM];
    out->oxygen = product[LSIM_REFINERY_OXYGEN];

    /* Slag is consumed minus extracted, element by element, so the balance closes to round-off. */
    double extracted[LSIM_EL_COUNT] = {0};
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) extracted[lsim_refinery_product_element[p]] += product[p];
    for (int e = 0; e < LSIM_EL_COUNT; ++e) out->slag[e] = out->consumed[e] - extracted[e];
    out->slag_total = element_sum(out->slag);

    if (products) {
        for (int e = 0; e < LSIM_EL_COUNT; ++e) products->slag_by_element[e] += out->slag[e];
        products->silicon += out->silicon;
        products->aluminium += out->aluminium;
        products->iron += out->iron;
        products->titanium += out->titanium;
        products->oxygen += out->oxygen;
    }

    /* One energy per reduction (covering the oxygen it frees), finishing per kg of metal product,
     * handling per kg of feed: the same sum the power demand was planned on. */
    double energy = route_energy(r, out->consumed, out->feed);
    double earth = 0.0;
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) earth += r->makeup[p] * product[p];
    double power = energy / dt;
    /* Recomputing the energy from the masses taken can exceed the grant by an ulp. */
    if (power > power_granted_W) power = power_granted_W > 0.0 ? power_granted_W : 0.0;
    out->energy = power * dt;
    out->power = power;
    out->earth_supply = earth;

    mirror_result(m);
    m->total_energy += out->energy;
    if (result) *result = *out;

    if (m->series) {
        lsim_series_registry *s = m->series;
        lsim_series_put(s, m->sid_feed_rate, out->feed / dt);
        for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) lsim_series_put(s, m->sid_product_rate[p], product[p] / dt);
        lsim_series_put(s, m->sid_slag_rate, out->slag_total / dt);
        lsim_series_put(s, m->sid_power, power);
        lsim_series_put(s, m->sid_plants, m->plants);
        lsim_series_put(s, m->sid_utilisation, capacity > 0.0 ? out->feed / capacity : 0.0);
        lsim_series_put(s, m->sid_earth_supply_rate, earth / dt);
    }
    return power;
}

double lsim_refinery_step(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                          double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products)
{
    return lsim_refinery_advance(m, clock, power_granted_W, feed_by_element, products, NULL);
}

const lsim_refinery_step_result *lsim_refinery_last_result(const lsim_refinery *m) { return &m->last; }

const lsim_refinery_design *lsim_refinery_design_view(const lsim_refinery *m) { return &m->design; }

double lsim_refinery_plant_count(const lsim_refinery *m) { return m->plants; }

lsim_status lsim_refinery_add_plants(lsim_refinery *m, double count, const lsim_clock *clock)
{
    if (!(count >= 0.0) || !isfinite(count))
        return lsim_fail(LSIM_ERR_INPUT, "refinery: cannot add %g plants", count);
    m->plants += count;
    lsim_log(LSIM_LOG_DEBUG, "refinery: +%g plants at t = %g s, now %g", count, clock ? lsim_clock_time(clock) : 0.0,
             m->plants);
    return LSIM_OK;
}

lsim_status lsim_refinery_set_plants(lsim_refinery *m, double count)
{
    if (!(count >= 0.0) || !isfinite(count)) return lsim_fail(LSIM_ERR_RUN, "refinery: cannot set %g plants", count);
    m->plants = count;
    return LSIM_OK;
}

void lsim_refinery_free(lsim_refinery *m)
{
    /* Nothing is allocated after init; clearing keeps a stale struct from looking live. */
    if (m) memset(m, 0, sizeof *m);
}
