/* Refinery plants: process routes read as data, checked against physical floors,
 * with per-element mass balance every step. */
#include "refinery.h"
#include "datapath.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    {"refinery", "route", LSIM_PARAM_CHOICE, NULL, NULL, 0, 0, 0, "mre|carbothermal|anorthite_al", "mre",
     "process route of every refinery plant (rows of the routes data file)",
     "REFERENCES.md: Refining, MRE sequence (Blue Alchemist 2023): MRE yields Fe, Si, Al and O2"},
    {"refinery", "plants", LSIM_PARAM_REAL, "1", NULL, 10.0, 0.0, 1e12, NULL, NULL,
     "refinery plants at the start (fractional counts stand for partial capacity)",
     "design choice: a seed plant set of ~25 t O2/yr, the scale of Schreiner et al. 2015's multi-reactor systems"},
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

static double enthalpy_floor_of(const lsim_refinery_route *route, int product)
{
    if (product == LSIM_REFINERY_OXYGEN) return lsim_refinery_enthalpy_floor_oxygen(route->oxygen_floor_element);
    return lsim_refinery_enthalpy_floor_metal(lsim_refinery_product_element[product]);
}

double lsim_refinery_product_floor(const lsim_refinery_route *route, int product)
{
    double enthalpy = enthalpy_floor_of(route, product);
    double faraday = lsim_refinery_faraday_per_volt(product) * route->cell_voltage[product];
    return enthalpy > faraday ? enthalpy : faraday;
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

double lsim_refinery_route_specific_energy(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT])
{
    double yield[LSIM_REFINERY_PRODUCT_COUNT];
    lsim_refinery_route_yields(route, w, yield);
    double energy = route->energy_processed;
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) energy += route->energy_product[p] * yield[p];
    return energy;
}

/* ------------------------------------------------------------------------ */
/* Route data                                                                */

lsim_status lsim_refinery_routes_path(const lsim_params *params, char *buf, size_t size)
{
    const char *given = params ? lsim_param_text(params, "refinery", "routes_file") : "";
    return lsim_data_path(given && given[0] ? given : ROUTES_RELATIVE_PATH, "refinery routes file", buf, size);
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
    int reduce_set[LSIM_EL_COUNT];
    int seen_throughput, seen_mass, seen_specific, seen_recovery, seen_floor_oxide, seen_lunar_fraction;
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
    if (strncmp(quantity, "extract_", 8) == 0 || strncmp(quantity, "reduce_", 7) == 0) {
        int is_extract = quantity[0] == 'e';
        const char *symbol = quantity + (is_extract ? 8 : 7);
        int e = metal_element_by_symbol(symbol);
        if (e < 0) return lsim_fail(LSIM_ERR_INPUT, "%s: '%s': no metal product '%s' (Si, Al, Fe, Ti)", where, quantity, symbol);
        if ((st = value_in_unit(where, quantity, value, unit, "1", &v)) != LSIM_OK) return st;
        if (is_extract) r->extract[e] = v;
        else {
            r->reduce[e] = v;
            seen->reduce_set[e] = 1;
        }
        return LSIM_OK;
    }
    const char *prefixes[3] = {"energy_", "cell_voltage_", "makeup_"};
    const char *units[3] = {"J/kg", "V", "1"};
    for (int i = 0; i < 3; ++i) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(quantity, prefixes[i], n) != 0) continue;
        if (i == 0 && strcmp(quantity, "energy_processed") == 0) break;
        int p = product_by_name(quantity + n);
        if (p < 0) return lsim_fail(LSIM_ERR_INPUT, "%s: '%s': no product '%s' (Si, Al, Fe, Ti, O2)", where, quantity, quantity + n);
        if ((st = value_in_unit(where, quantity, value, unit, units[i], &v)) != LSIM_OK) return st;
        if (i == 0) r->energy_product[p] = v;
        else if (i == 1) r->cell_voltage[p] = v;
        else r->makeup[p] = v;
        return LSIM_OK;
    }
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
    if (strcmp(quantity, "oxygen_floor_oxide") == 0) {
        const oxide_row *row = oxide_by_formula(value);
        if (!row) return lsim_fail(LSIM_ERR_INPUT, "%s: oxygen_floor_oxide: unknown oxide '%s' (SiO2, Al2O3, FeO, TiO2, CaO, MgO, Na2O)", where, value);
        r->oxygen_floor_element = row->element;
        seen->seen_floor_oxide = 1;
        return LSIM_OK;
    }
    return lsim_fail(LSIM_ERR_INPUT, "%s: unknown route quantity '%s'", where, quantity);
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

    int makes_oxygen = 0;
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k)
        if (r->reduce[lsim_refinery_product_element[metal_products[k]]] > 0.0) makes_oxygen = 1;
    makes_oxygen = makes_oxygen && r->oxygen_recovery > 0.0;

    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
        const char *name = lsim_refinery_product_name[p];
        if (!(r->cell_voltage[p] >= 0.0) || !(r->makeup[p] >= 0.0) || !(r->energy_product[p] >= 0.0))
            return lsim_fail(LSIM_ERR_INPUT, "route '%s': energy_%s, cell_voltage_%s and makeup_%s must not be negative",
                             r->name, name, name, name);
        int made = p == LSIM_REFINERY_OXYGEN ? makes_oxygen : r->extract[lsim_refinery_product_element[p]] > 0.0;
        if (!made) continue;
        double claim = r->energy_product[p];
        double enthalpy = enthalpy_floor_of(r, p);
        double faraday = lsim_refinery_faraday_per_volt(p) * r->cell_voltage[p];
        if (claim < enthalpy)
            return lsim_fail(LSIM_ERR_INPUT, "route '%s' claims %.3g kWh/kg %s, below the enthalpy floor %.3g kWh/kg",
                             r->name, claim / LSIM_KWH, name, enthalpy / LSIM_KWH);
        if (claim < faraday)
            return lsim_fail(LSIM_ERR_INPUT,
                             "route '%s' claims %.3g kWh/kg %s, below the Faraday floor %.3g kWh/kg at its cell voltage %.3g V",
                             r->name, claim / LSIM_KWH, name, faraday / LSIM_KWH, r->cell_voltage[p]);
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
    if (!seen->seen_floor_oxide) r->oxygen_floor_element = LSIM_EL_SI;
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
            st = lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s has no source: cite a REFERENCES.md row or say 'design choice: why'",
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

    const lsim_refinery_route *r = &m->route;
    lsim_series_group_attr(s, g, "plant_throughput", r->throughput, "kg s-1");
    lsim_series_group_attr(s, g, "plant_mass", r->plant_mass, "kg");
    lsim_series_group_attr(s, g, "plant_mass_lunar", m->plant_mass_lunar, "kg");
    lsim_series_group_attr(s, g, "plant_mass_earth", m->plant_mass_earth, "kg");
    lsim_series_group_attr(s, g, "reference_oxygen_yield", m->reference_oxygen_yield, "1");
    double reference_energy = lsim_refinery_route_specific_energy(r, m->reference_feed);
    lsim_series_group_attr(s, g, "reference_energy_per_kg_feed", reference_energy, "J kg-1");
    if (m->reference_oxygen_yield > 0.0)
        lsim_series_group_attr(s, g, "reference_energy_per_kg_oxygen", reference_energy / m->reference_oxygen_yield, "J kg-1");
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
        char name[64];
        snprintf(name, sizeof name, "energy_%s", lsim_refinery_product_name[p]);
        lsim_series_group_attr(s, g, name, r->energy_product[p], "J kg-1");
        snprintf(name, sizeof name, "floor_%s", lsim_refinery_product_name[p]);
        lsim_series_group_attr(s, g, name, lsim_refinery_product_floor(r, p), "J kg-1");
    }
}

lsim_status lsim_refinery_init(lsim_refinery *m, const lsim_params *params, lsim_series_registry *series, uint64_t seed)
{
    (void)seed; /* the refinery is deterministic */
    memset(m, 0, sizeof *m);
    char path[1024];
    lsim_status st = lsim_refinery_routes_path(params, path, sizeof path);
    if (st != LSIM_OK) return st;
    /* The table is large only on the stack of init; the module keeps just its route. */
    lsim_refinery_route_table *table = malloc(sizeof *table);
    if (!table) return lsim_fail(LSIM_ERR_RUN, "refinery: out of memory");
    st = lsim_refinery_routes_load(path, table);
    if (st != LSIM_OK) {
        free(table);
        return st;
    }
    const char *route_name = lsim_param_text(params, "refinery", "route");
    size_t r = 0;
    while (r < table->route_count && strcmp(table->routes[r].name, route_name) != 0) ++r;
    if (r == table->route_count) {
        free(table);
        return lsim_fail(LSIM_ERR_INPUT, "refinery.route = '%s' has no rows in '%s'", route_name, path);
    }
    m->route = table->routes[r];
    memcpy(m->reference_feed, table->reference_feed, sizeof m->reference_feed);
    free(table);

    m->plants = lsim_param_real(params, "refinery", "plants");
    m->plant_mass_lunar = m->route.plant_mass * m->route.plant_lunar_fraction;
    m->plant_mass_earth = m->route.plant_mass - m->plant_mass_lunar;
    double yield[LSIM_REFINERY_PRODUCT_COUNT];
    lsim_refinery_route_yields(&m->route, m->reference_feed, yield);
    m->reference_oxygen_yield = yield[LSIM_REFINERY_OXYGEN];
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

double lsim_refinery_step(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                          double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products)
{
    const lsim_refinery_route *r = &m->route;
    double dt = clock->dt;
    double specific_energy, feed_total;
    double capacity = m->plants * r->throughput * dt;
    double mass = plan_feed(m, dt, feed_by_element, &specific_energy, &feed_total);
    double energy_granted = power_granted_W > 0.0 ? power_granted_W * dt : 0.0;
    if (mass * specific_energy > energy_granted) mass = energy_granted / specific_energy;

    /* Take from every element in proportion to what waits: the feed is whatever the buffer holds. */
    double fraction = feed_total > 0.0 ? mass / feed_total : 0.0;
    if (fraction > 1.0) fraction = 1.0;
    double consumed_total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        double available = feed_by_element[e] > 0.0 ? feed_by_element[e] : 0.0;
        double take = fraction == 1.0 ? available : available * fraction;
        feed_by_element[e] -= take;
        m->last_consumed[e] = take;
        consumed_total += take;
    }

    double *product = m->last_product;
    for (int k = 0; k < METAL_PRODUCT_COUNT; ++k) {
        int p = metal_products[k];
        int e = lsim_refinery_product_element[p];
        product[p] = m->last_consumed[e] * r->extract[e];
    }
    product[LSIM_REFINERY_OXYGEN] = oxygen_liberated(r, m->last_consumed);

    /* Slag is consumed minus extracted, element by element, so the balance closes to round-off. */
    double extracted[LSIM_EL_COUNT] = {0};
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) extracted[lsim_refinery_product_element[p]] += product[p];
    double slag_total = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) {
        m->last_slag[e] = m->last_consumed[e] - extracted[e];
        products->slag_by_element[e] += m->last_slag[e];
        slag_total += m->last_slag[e];
    }
    products->silicon += product[LSIM_REFINERY_SILICON];
    products->aluminium += product[LSIM_REFINERY_ALUMINIUM];
    products->iron += product[LSIM_REFINERY_IRON];
    products->titanium += product[LSIM_REFINERY_TITANIUM];
    products->oxygen += product[LSIM_REFINERY_OXYGEN];

    double energy = r->energy_processed * consumed_total;
    double earth = 0.0;
    for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) {
        energy += r->energy_product[p] * product[p];
        earth += r->makeup[p] * product[p];
    }
    double power = energy / dt;
    /* Recomputing the energy from the masses taken can exceed the grant by an ulp. */
    if (power > power_granted_W) power = power_granted_W > 0.0 ? power_granted_W : 0.0;
    m->last_energy = power * dt;
    m->last_power = power;
    m->last_earth_supply = earth;
    m->total_energy += m->last_energy;

    if (m->series) {
        lsim_series_registry *s = m->series;
        lsim_series_put(s, m->sid_feed_rate, consumed_total / dt);
        for (int p = 0; p < LSIM_REFINERY_PRODUCT_COUNT; ++p) lsim_series_put(s, m->sid_product_rate[p], product[p] / dt);
        lsim_series_put(s, m->sid_slag_rate, slag_total / dt);
        lsim_series_put(s, m->sid_power, power);
        lsim_series_put(s, m->sid_plants, m->plants);
        lsim_series_put(s, m->sid_utilisation, capacity > 0.0 ? consumed_total / capacity : 0.0);
        lsim_series_put(s, m->sid_earth_supply_rate, earth / dt);
    }
    return power;
}

lsim_status lsim_refinery_add_plants(lsim_refinery *m, double count, const lsim_clock *clock)
{
    if (!(count >= 0.0) || !isfinite(count))
        return lsim_fail(LSIM_ERR_INPUT, "refinery: cannot add %g plants", count);
    m->plants += count;
    lsim_log(LSIM_LOG_DEBUG, "refinery: +%g plants at t = %g s, now %g", count, clock ? lsim_clock_time(clock) : 0.0,
             m->plants);
    return LSIM_OK;
}

void lsim_refinery_free(lsim_refinery *m)
{
    /* Nothing is allocated after init; clearing keeps a stale struct from looking live. */
    if (m) memset(m, 0, sizeof *m);
}
