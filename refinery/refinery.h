/* The refining stage: plants that turn regolith into Si, Al, Fe, Ti metal,
 * oxygen and slag, by one of several process routes read as data.
 *
 * A route (data/routes/refinery_routes.csv, or the file refinery.routes_file
 * names) says, per element, what fraction of the feed is reduced from its
 * oxide and what fraction leaves as metal product; what fraction of the
 * oxygen so liberated is captured as O2; the energy of each reduction per kg
 * of metal reduced; any finishing energy per kg of metal product
 * (separation, remelting); the energy per kg processed; cell voltages of its
 * electrolytic steps; Earth-supplied reagent make-up; plant throughput, mass
 * and lunar/Earth mass split. The deck word refinery.route names a route of
 * that file, so a new route is a few rows of data, not a recompile.
 *
 * One reduction, one energy: reducing an oxide frees its metal and its
 * oxygen together, so the reduction's energy covers both and the oxygen
 * carries no charge of its own. Each reduction's energy is checked at init
 * against its floor: the larger of the oxide's standard enthalpy of
 * formation per kg of metal and the Faraday work (n F V / M) of the route's
 * electrolytic steps for that reduction.
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
    double energy_processed;              /* J per kg of feed processed (handling, heat make-up) */
    double energy_reduce[LSIM_EL_COUNT];  /* J per kg of the element reduced from its oxide: the whole
                                             reduction, the oxygen it frees included */
    double energy_finish[LSIM_EL_COUNT];  /* J per kg of metal product: separation, remelting (no reduction) */
    double cell_voltage[LSIM_REFINERY_PRODUCT_COUNT]; /* V of an electrolytic step; 0: none. For a metal:
                                             the cell that reduces it; for O2: a separate oxygen-recovery
                                             electrolysis (e.g. of water), not the metal cell's anode */
    double makeup[LSIM_REFINERY_PRODUCT_COUNT];       /* kg Earth-supplied reagent per kg of product */
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

/* What held a refinery step back. */
typedef enum {
    LSIM_REFINERY_LIMIT_NONE = 0,   /* no plants */
    LSIM_REFINERY_LIMIT_FEED = 1,   /* processed all the feed waiting (below plant capacity) */
    LSIM_REFINERY_LIMIT_POWER = 2,  /* the power granted was less than feed and capacity asked for */
    LSIM_REFINERY_LIMIT_PLANTS = 3  /* ran at full plant capacity */
} lsim_refinery_limit;

/* A step's result: what the refinery took, made and used, and what limited it. */
typedef struct {
    double consumed[LSIM_EL_COUNT]; /* kg of each element taken from the feed */
    double feed;                    /* kg, their sum */
    double capacity;                /* kg the plants could have processed this step */
    double silicon, aluminium, iron, titanium, oxygen; /* kg made (O2 as O2) */
    double slag[LSIM_EL_COUNT];     /* kg per element processed but not extracted (bound oxygen,
                                       unreduced oxides, reduced metal left in the melt) */
    double slag_total;              /* kg, their sum */
    double earth_supply;            /* kg of Earth-supplied reagent make-up used */
    double energy;                  /* J used */
    double power;                   /* W used (never above the grant) */
    lsim_refinery_limit limit;
} lsim_refinery_step_result;

/* The refinery's design figures, fixed at init: per plant, and for the route. */
typedef struct {
    char route[LSIM_REFINERY_NAME_LEN]; /* the route's name */
    double plant_throughput;            /* kg feed s-1 per plant */
    double plant_mass;                  /* kg per plant */
    double plant_mass_lunar;            /* kg of lunar material per new plant */
    double plant_mass_earth;            /* kg shipped from Earth per new plant */
    double extract[LSIM_EL_COUNT];      /* share of each feed element leaving as metal product */
    double reduce[LSIM_EL_COUNT];       /* share of each feed element reduced */
    double oxygen_recovery;             /* share of the liberated oxygen captured as O2 */
    double energy_processed;            /* J per kg of feed processed */
    double energy_reduce[LSIM_EL_COUNT]; /* J per kg of element reduced (covers its oxygen) */
    double reduction_floor[LSIM_EL_COUNT]; /* J per kg of element reduced: the checked floor */
    double energy_finish[LSIM_EL_COUNT]; /* J per kg of metal product */
    double makeup[LSIM_REFINERY_PRODUCT_COUNT]; /* kg Earth reagent per kg of product */
    double reference_feed[LSIM_EL_COUNT]; /* kg per kg: the composition plants are sized on */
    double reference_yield[LSIM_REFINERY_PRODUCT_COUNT]; /* kg of each product per kg of reference feed */
    double reference_slag;               /* kg of slag per kg of reference feed */
    double energy_per_feed;              /* J per kg of reference feed */
    double energy_per_oxygen;            /* J per kg of O2 on the reference feed (route total; 0: no O2) */
} lsim_refinery_design;

typedef struct {
    lsim_refinery_route route; /* the active route */
    double reference_feed[LSIM_EL_COUNT];
    double plants;            /* count (fractional plants are allowed: capacity is what matters) */
    double plant_mass_lunar;  /* kg of lunar material per new plant */
    double plant_mass_earth;  /* kg shipped from Earth per new plant */
    double reference_oxygen_yield; /* kg O2 per kg of the reference feed */

    /* the last step, for the chain's accounting and for tests (older face: `last` holds the same) */
    double last_consumed[LSIM_EL_COUNT]; /* kg */
    double last_product[LSIM_REFINERY_PRODUCT_COUNT]; /* kg */
    double last_slag[LSIM_EL_COUNT];     /* kg */
    double last_energy;                  /* J */
    double last_power;                   /* W */
    double last_earth_supply;            /* kg */
    double total_energy;                 /* J since start */
    lsim_refinery_step_result last;           /* the last step's result (lsim_refinery_last_result) */
    lsim_refinery_design design;         /* lsim_refinery_design_view */

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
/* Floor of one reduction of a route, J per kg of the element reduced: the largest of its
 * enthalpy floor (lsim_refinery_enthalpy_floor_metal), the Faraday work of the metal's cell at
 * the route's cell_voltage of that metal, and the Faraday work of a separate oxygen-recovery
 * electrolysis (cell_voltage of O2) on the O2 recovered per kg reduced. 0 for elements
 * without a tabulated oxide. */
double lsim_refinery_reduction_floor(const lsim_refinery_route *route, int element);
/* Floor per kg of a product: a metal's reduction floor; 0 for O2, whose release is paid for by
 * the reductions that free it (one reduction, one energy). */
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
/* J per kg of feed of composition w:
 *   E = energy_processed + sum_e w_e (reduce_e energy_reduce_e + extract_e energy_finish_e),
 * with no term for oxygen (the reductions that free it pay for it). */
double lsim_refinery_route_specific_energy(const lsim_refinery_route *route, const double w[LSIM_EL_COUNT]);
/* The route of `table` named `name`, or NULL. */
const lsim_refinery_route *lsim_refinery_route_find(const lsim_refinery_route_table *table, const char *name);
/* Checks refinery.route against the routes file the parameters point at (as init does): on an
 * unknown route, LSIM_ERR_INPUT with one line naming the key, the value, the routes the file
 * offers and a did-you-mean when one is close. */
lsim_status lsim_refinery_route_validate(const lsim_params *params);

/* --- the module face --- */

lsim_status lsim_refinery_init(lsim_refinery *m, const lsim_params *params, lsim_series_registry *series,
                               uint64_t seed);
/* W at full capacity given the feed waiting (kg per element). */
double lsim_refinery_power_demand(const lsim_refinery *m, const lsim_clock *clock,
                                  const double feed_by_element[LSIM_EL_COUNT]);
/* One step of clock->dt: consumes feed in place (in proportion to what is waiting), adds this
 * step's production into `products` (may be NULL: then the result alone says what was made).
 * Returns the power used (W, never above power_granted_W); `result` (may be NULL) receives what
 * the step took, made and used and what limited it, as lsim_refinery_last_result does after. */
double lsim_refinery_advance(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                             double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products,
                             lsim_refinery_step_result *result);
/* The same step returning only the power used (W); kept for callers of the older face. */
double lsim_refinery_step(lsim_refinery *m, const lsim_clock *clock, double power_granted_W,
                          double feed_by_element[LSIM_EL_COUNT], lsim_refinery_products *products);
/* The last step's result (all zero before the first step; restored by a checkpoint load). */
const lsim_refinery_step_result *lsim_refinery_last_result(const lsim_refinery *m);
/* Design figures, fixed at init. */
const lsim_refinery_design *lsim_refinery_design_view(const lsim_refinery *m);
/* Plants installed (fractional counts stand for partial capacity). */
double lsim_refinery_plant_count(const lsim_refinery *m);
lsim_status lsim_refinery_add_plants(lsim_refinery *m, double count, const lsim_clock *clock);
/* Sets the plants that work (the chain's wear fleet decides which do). */
lsim_status lsim_refinery_set_plants(lsim_refinery *m, double count);
/* Saves or loads the refinery's evolving state (entries "refinery.*"; see
 * core/state.h): plants, the last step's flows and the running totals.
 * Load into a refinery freshly initialised from the same deck. */
lsim_status lsim_refinery_state(lsim_refinery *m, lsim_state *s);
void lsim_refinery_free(lsim_refinery *m);

#endif
