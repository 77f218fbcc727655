/* The refining stage: plants that turn regolith into Si, Al, Fe, Ti metal,
 * oxygen and slag, by one of several process routes read as data.
 *
 * A route (data/routes/refinery_routes.csv) says, per element, what fraction
 * of the feed leaves as metal product and what fraction is reduced at all;
 * what fraction of the oxygen so liberated is captured as O2; the energy
 * charged per kg of each product and per kg processed; cell voltages of its
 * electrolytic steps; Earth-supplied reagent make-up; plant throughput, mass
 * and lunar/Earth mass split. Every energy claim is checked at init against
 * a Faraday floor (n F V / M) and an enthalpy floor (standard enthalpy of
 * formation of the oxide), both computed here.
 *
 * Mass is conserved per element every step: what is consumed from the feed
 * either leaves in a product or is added to slag, and slag is computed as
 * consumed minus extracted so the balance closes to round-off. */
#ifndef LSIM_REFINERY_H
#define LSIM_REFINERY_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "elements.h"
#include "params.h"
#include "series.h"
#include "state.h"
#include "status.h"

extern const lsim_param_def lsim_refinery_param_defs[];
extern const size_t lsim_refinery_param_count;

/* Products a route can make. */
enum {
    LSIM_REFINERY_SILICON,
    LSIM_REFINERY_ALUMINIUM,
    LSIM_REFINERY_IRON,
    LSIM_REFINERY_TITANIUM,
    LSIM_REFINERY_OXYGEN,
    LSIM_REFINERY_PRODUCT_COUNT
};
extern const char *const lsim_refinery_product_name[LSIM_REFINERY_PRODUCT_COUNT]; /* "Si", "Al", "Fe", "Ti", "O2" */
/* The element a metal product is made of (LSIM_EL_O for oxygen). */
extern const int lsim_refinery_product_element[LSIM_REFINERY_PRODUCT_COUNT];

#define LSIM_REFINERY_MAX_ROUTES 16
#define LSIM_REFINERY_NAME_LEN 32

/* Physical constants for the floors. */
#define LSIM_FARADAY 96485.33212 /* C mol-1, CODATA 2018 (e * N_A, exact since the 2019 SI) */
#define LSIM_KWH 3.6e6           /* J */

typedef struct {
    char name[LSIM_REFINERY_NAME_LEN];
    double extract[LSIM_EL_COUNT]; /* fraction of a feed element leaving as metal product (Si, Al, Fe, Ti only) */
    double reduce[LSIM_EL_COUNT];  /* fraction reduced (loses its oxide oxygen); >= extract; the rest of
                                      the reduced metal stays in the slag as metal */
    double oxygen_recovery;        /* fraction of the liberated oxygen captured as O2; the rest stays in slag */
    double energy_processed;                            /* J per kg of feed processed */
    double energy_product[LSIM_REFINERY_PRODUCT_COUNT]; /* J per kg of each product */
    double cell_voltage[LSIM_REFINERY_PRODUCT_COUNT];   /* V of the electrolytic step; 0: none */
    double makeup[LSIM_REFINERY_PRODUCT_COUNT];         /* kg Earth-supplied reagent per kg of product */
    int oxygen_floor_element;      /* the oxide whose decomposition sets the O2 enthalpy floor (LSIM_EL_SI...) */
    double throughput;             /* kg feed s-1 per plant */
    double plant_mass;             /* kg per plant (given, or sized from plant_specific_oxygen) */
    double plant_specific_oxygen;  /* kg O2 s-1 per kg of plant (0: plant_mass given directly) */
    double plant_lunar_fraction;   /* fraction of a new plant's mass made from lunar material */
} lsim_refinery_route;

typedef struct {
    size_t route_count;
    lsim_refinery_route routes[LSIM_REFINERY_MAX_ROUTES];
    double reference_feed[LSIM_EL_COUNT]; /* kg per kg, the composition plants are sized on */
    int has_reference_feed;
} lsim_refinery_route_table;

/* Product stocks, owned by the chain; a step adds its production (kg). */
typedef struct {
    double silicon, aluminium, iron, titanium, oxygen;
    double slag_by_element[LSIM_EL_COUNT]; /* processed but not extracted, incl. oxygen still bound */
} lsim_refinery_products;

typedef struct {
    lsim_refinery_route route; /* the active route */
    double reference_feed[LSIM_EL_COUNT];
    double plants;            /* count (fractional plants are allowed: capacity is what matters) */
    double plant_mass_lunar;  /* kg of lunar material per new plant */
    double plant_mass_earth;  /* kg shipped from Earth per new plant */
    double reference_oxygen_yield; /* kg O2 per kg of the reference feed */

    /* the last step, for the chain's accounting and for tests */
    double last_consumed[LSIM_EL_COUNT]; /* kg */
    double last_product[LSIM_REFINERY_PRODUCT_COUNT]; /* kg */
    double last_slag[LSIM_EL_COUNT];     /* kg */
    double last_energy;                  /* J */
    double last_power;                   /* W */
    double last_earth_supply;            /* kg */
    double total_energy;                 /* J since start */

    lsim_series_registry *series;
    int sid_feed_rate, sid_product_rate[LSIM_REFINERY_PRODUCT_COUNT], sid_slag_rate, sid_power,
        sid_plants, sid_utilisation, sid_earth_supply_rate;
} lsim_refinery;

/* --- pure physics: floors (J per kg of product) --- */

/* n F V / M: electrical work to move n electrons per formula unit of molar mass M (kg mol-1) through V volts. */
double lsim_refinery_faraday_floor(int electrons, double molar_mass, double cell_voltage);
/* Faraday floor of a product per volt of cell potential (J kg-1 V-1). */
double lsim_refinery_faraday_per_volt(int product);
/* Standard enthalpy of formation of the element's oxide at 298.15 K (J mol-1 of oxide, negative),
 * with its formula MxOy; returns 0 for elements without a tabulated oxide. */
double lsim_refinery_oxide_enthalpy(int element, int *metal_atoms, int *oxygen_atoms);
/* -dHf / (x M_M): heat to decompose the oxide per kg of metal produced. */
double lsim_refinery_enthalpy_floor_metal(int element);
/* -dHf / (y/2 M_O2): heat to decompose the oxide per kg of O2 produced. */
double lsim_refinery_enthalpy_floor_oxygen(int element);
/* Oxygen bound to one kg of the element in its oxide (kg O per kg element). */
double lsim_refinery_oxygen_per_element(int element);
/* The larger of the enthalpy and Faraday floors for a product of a route. */
double lsim_refinery_product_floor(const lsim_refinery_route *route, int product);

/* --- route data --- */

/* The routes file: refinery.routes_file if given, else $LSIM_DATA_DIR/routes/refinery_routes.csv,
 * else the source tree's data/, else the installed share/lunarsim/. */
lsim_status lsim_refinery_routes_path(const lsim_params *params, char *buf, size_t size);
/* Reads a routes CSV (route,quantity,value,unit,source) and checks every route against its floors. */
lsim_status lsim_refinery_routes_load(const char *path, lsim_refinery_route_table *table);
/* Checks one route's ranges and energy claims; LSIM_ERR_INPUT with a message naming the route. */
lsim_status lsim_refinery_route_check(const lsim_refinery_route *route);
/* Per kg of feed of composition w (kg per kg): each product's yield (kg per kg). */
void lsim_refinery_route_yields(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT],
                                double yield[LSIM_REFINERY_PRODUCT_COUNT]);
/* J per kg of feed of composition w. */
double lsim_refinery_route_specific_energy(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT]);

/* --- the module face --- */

lsim_status lsim_refinery_init(lsim_refinery *m, const lsim_params *params, lsim_series_registry *series,
                               uint64_t seed);
/* W at full capacity given the feed waiting (kg per element). */
double lsim_refinery_power_demand(const lsim_refinery *m, const lsim_clock *clock,
                                  const double feed_by_element[LSIM_EL_COUNT]);
/* Consumes feed in place (in proportion to what is waiting), adds this step's production into
 * `products`, returns the power used (W, never above power_granted_W). */
double lsim_refinery_step(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                          double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products);
lsim_status lsim_refinery_add_plants(lsim_refinery *m, double count, const lsim_clock *clock);
/* Saves or loads the refinery's evolving state (entries "refinery.*"; see
 * core/state.h): plants, the last step's flows and the running totals.
 * Load into a refinery freshly initialised from the same deck. */
lsim_status lsim_refinery_state(lsim_refinery *m, lsim_state *s);
void lsim_refinery_free(lsim_refinery *m);

#endif
