/* Fabrication: thin-film silicon solar panels and aluminium radiators made
 * from refinery products.
 *
 * A panel is a silicon film deposited by vacuum evaporation on a substrate of
 * regolith glass (cast from slag) or aluminium foil, with an aluminium back
 * contact. A radiator is an aluminium sheet bonded over heat pipes, radiating
 * from both faces as fins between the pipes (radiator_fin.h).
 * Each fabrication line holds one panel station and one radiator station.
 * A step consumes silicon, aluminium and slag (glass) from the chain's stocks
 * in place and adds what it made to the output stocks; the mass of what it
 * made equals the mass it consumed, element by element. Silicon evaporated
 * but not landing on the film condenses on the chamber shields and is
 * scraped back to the silicon stock: utilisation costs energy, not mass. */
#ifndef LSIM_FABRICATION_H
#define LSIM_FABRICATION_H

#include <stdint.h>

#include "clock.h"
#include "elements.h"
#include "params.h"
#include "radiator_fin.h"
#include "series.h"
#include "state.h"
#include "status.h"

extern const lsim_param_def lsim_fabrication_param_defs[];
extern const size_t lsim_fabrication_param_count;

#define LSIM_FABRICATION_SOLAR_CONSTANT 1360.8 /* W m-2, docs/REFERENCES.md [Kopp2011] */

/* What held production back in a step (series `limit`). */
enum {
    LSIM_FABRICATION_LIMIT_NONE = 0,     /* no lines */
    LSIM_FABRICATION_LIMIT_SILICON = 1,
    LSIM_FABRICATION_LIMIT_ALUMINIUM = 2,
    LSIM_FABRICATION_LIMIT_GLASS = 3,
    LSIM_FABRICATION_LIMIT_POWER = 4,
    LSIM_FABRICATION_LIMIT_LINES = 5     /* every line ran at full rate */
};

enum { LSIM_FABRICATION_SUBSTRATE_GLASS, LSIM_FABRICATION_SUBSTRATE_ALUMINIUM };

/* Output stocks, owned by the chain; a step adds what it made. */
typedef struct {
    double panel_area;   /* m2 */
    double panel_mass;   /* kg */
    double panel_power;  /* W rated at AM0 */
    double radiator_area; /* m2 */
    double radiator_mass; /* kg (all aluminium: fins and pipes; the pipes' Earth-made fluid is not in it) */
    double panel_mass_by_element[LSIM_EL_COUNT]; /* kg */
} lsim_fabrication_products;

/* A step's result: what fabrication took and made, what it used, and what limited it. */
typedef struct {
    double silicon, aluminium, glass;       /* kg consumed (glass: slag cast into substrate) */
    double glass_by_element[LSIM_EL_COUNT]; /* kg of slag taken, per element */
    double panel_area;          /* m2 made */
    double panel_mass;          /* kg made */
    double panel_power;         /* W rated at AM0 of the panels made */
    double radiator_area;       /* m2 made */
    double radiator_mass;       /* kg made (all aluminium) */
    double radiator_rejection;  /* W the radiators made can reject (area x flux) */
    double radiator_duty;       /* 0..1: share of radiator-station capacity asked for */
    double power;               /* W used (never above the grant) */
    int limit;                  /* LSIM_FABRICATION_LIMIT_* */
} lsim_fabrication_step_result;

/* Fabrication's design figures, fixed at init (per line, per m2, per kg). */
typedef struct {
    int substrate;                     /* LSIM_FABRICATION_SUBSTRATE_* */
    double panel_line_rate;            /* m2 s-1 of panel per line */
    double radiator_line_rate;         /* m2 s-1 of radiator per line at full duty */
    double efficiency;                 /* panel conversion efficiency at AM0 */
    double solar_constant;             /* W m-2 the panels are rated in */
    double panel_specific_power;       /* W m-2 at AM0 */
    double panel_areal_mass;           /* kg m-2 */
    double panel_power_per_mass;       /* W kg-1 */
    double panel_energy_per_area;      /* J m-2 */
    double silicon_areal_mass;         /* kg m-2 of film */
    double aluminium_panel_areal_mass; /* kg m-2: contact (+ foil substrate) */
    double glass_areal_mass;           /* kg m-2 (0 with a foil substrate) */
    double radiator_flux;              /* W m-2 of panel rejected, both faces, fins and pipes (radiator_fin.h) */
    double radiator_areal_mass;        /* kg m-2 of lunar aluminium: fin sheet + pipes / spacing */
    double radiator_power_per_mass;    /* W kg-1: flux / (areal_mass + earth_areal_mass) */
    double radiator_energy_per_area;   /* J m-2 */
    double radiator_earth_areal_mass;  /* kg m-2 of Earth-made heat-pipe fluid (not drawn from lunar stocks) */
    double radiator_isothermal_flux;   /* W m-2 the panel would reject all at the pipes' temperature */
    double radiator_fin_efficiency;    /* fin heat / the same fin at the pipes' temperature */
    double radiator_tip_temperature;   /* K mid-way between pipes */
    double radiator_pipe_spacing;      /* m, the deck's */
    double radiator_optimum_pipe_spacing;   /* m maximising W/kg at the deck's thickness */
    double radiator_optimum_power_per_mass; /* W kg-1 there */
    double radiator_optimum_fin_efficiency; /* fin efficiency there */
    double line_mass_lunar;            /* kg of lunar material per new line */
    double line_mass_earth;            /* kg shipped from Earth per new line */
} lsim_fabrication_design;

typedef struct {
    /* design, from the parameters */
    int substrate;
    double lines;
    double radiator_duty; /* 0..1: share of radiator-station capacity run: set by a caller of the older
                             step, or by lsim_fabrication_advance from the heat wanted; 1 at init */
    double panel_line_rate, radiator_line_rate; /* m2 s-1 per line */
    double efficiency, solar_constant;
    double silicon_areal_mass;   /* kg m-2 of film */
    double silicon_evaporated_per_area; /* kg m-2 evaporated (film / utilisation) */
    double aluminium_panel_areal_mass; /* kg m-2: contact (+ foil substrate) */
    double glass_areal_mass;     /* kg m-2: 0 with a foil substrate */
    double panel_areal_mass;     /* kg m-2 */
    double panel_specific_power; /* W m-2 at AM0 */
    double panel_power_per_mass; /* W kg-1 */
    double panel_energy_per_area; /* J m-2 */
    double radiator_areal_mass;  /* kg m-2 of lunar aluminium (fin sheet and pipes) */
    double radiator_earth_areal_mass; /* kg m-2 of Earth-made heat-pipe fluid */
    double radiator_flux;        /* W m-2 of panel rejected, both faces */
    double radiator_power_per_mass; /* W kg-1 of all radiator mass */
    double radiator_energy_per_area; /* J m-2 */
    double radiator_isothermal_flux, radiator_fin_efficiency, radiator_tip_temperature; /* design view */
    double radiator_pipe_spacing, radiator_optimum_pipe_spacing;                       /* m */
    double radiator_optimum_power_per_mass, radiator_optimum_fin_efficiency;
    double line_mass_lunar, line_mass_earth; /* kg per new line */

    /* the last step */
    double last_silicon, last_aluminium, last_glass; /* kg consumed */
    double last_glass_by_element[LSIM_EL_COUNT];
    double last_panel_area, last_panel_mass, last_radiator_mass; /* m2, kg */
    double last_power; /* W */
    int last_limit;
    lsim_fabrication_step_result last; /* the last step's result (lsim_fabrication_last_result) */
    lsim_fabrication_design design; /* lsim_fabrication_design_view */

    lsim_series_registry *series;
    int sid_panel_area_rate, sid_panel_mass_rate, sid_panel_power_rate, sid_radiator_area_rate,
        sid_radiator_mass_rate, sid_power, sid_lines, sid_limit;
} lsim_fabrication;

/* 2 eps sigma (T^4 - T_sink^4): net flux from an isothermal flat plate radiating from both faces
 * (W m-2); the radiator's own flux is the fin design's, which tends to this as conductivity grows. */
double lsim_fabrication_radiator_flux(double emissivity, double temperature, double sink_temperature);

lsim_status lsim_fabrication_init(lsim_fabrication *f, const lsim_params *params, lsim_series_registry *series,
                                  uint64_t seed);
/* Radiator-station duty for a rejection want:
 *   duty = min(1, rejection_wanted / (lines radiator_line_rate radiator_flux)),
 * 0 when nothing is wanted or there is no radiator capacity. `rejection_wanted` is in W s-1: the
 * heat-rejection capacity wanted per second of step (radiator area wanted per second times
 * radiator_flux), as panel power is made per second; the chain's want is the panel power bound
 * for orbit per second times the heat each watt brings. */
double lsim_fabrication_radiator_duty_for(const lsim_fabrication *f, double rejection_wanted);
/* W at full line rate given the materials available and the radiator rejection wanted (W s-1). */
double lsim_fabrication_power_demand_for(const lsim_fabrication *f, const lsim_clock *clock, double silicon,
                                         double aluminium, const double slag_by_element[LSIM_EL_COUNT],
                                         double rejection_wanted);
/* One step of clock->dt with the radiator duty computed from rejection_wanted (W s-1) as
 * lsim_fabrication_radiator_duty_for does: decrements *silicon, *aluminium and slag_by_element
 * in place, adds to `out` (may be NULL: then the result alone says what was made). Returns the
 * power used (W, never above the grant); `result` (may be NULL) receives what the step took, made
 * and used and what limited it, as lsim_fabrication_last_result does after. */
double lsim_fabrication_advance(lsim_fabrication *f, const lsim_clock *clock, double power_granted_W,
                                double rejection_wanted, double *silicon, double *aluminium,
                                double slag_by_element[LSIM_EL_COUNT], lsim_fabrication_products *out,
                                lsim_fabrication_step_result *result);
/* Older face: the radiator duty is the field radiator_duty, set by the caller. */
/* W at full line rate given the materials available. */
double lsim_fabrication_power_demand(const lsim_fabrication *f, const lsim_clock *clock, double silicon,
                                     double aluminium, const double slag_by_element[LSIM_EL_COUNT]);
/* Decrements *silicon, *aluminium and slag_by_element in place, adds to `out`, returns power used (W). */
double lsim_fabrication_step(lsim_fabrication *f, const lsim_clock *clock, double power_granted_W, double *silicon,
                             double *aluminium, double slag_by_element[LSIM_EL_COUNT], lsim_fabrication_products *out);
/* The last step's result (all zero before the first step; restored by a checkpoint load). */
const lsim_fabrication_step_result *lsim_fabrication_last_result(const lsim_fabrication *f);
/* Design figures, fixed at init. */
const lsim_fabrication_design *lsim_fabrication_design_view(const lsim_fabrication *f);
/* Lines installed (fractional counts stand for partial capacity). */
double lsim_fabrication_line_count(const lsim_fabrication *f);
lsim_status lsim_fabrication_add_lines(lsim_fabrication *f, double count, const lsim_clock *clock);
/* Sets the lines that work (the chain's wear fleet decides which do). */
lsim_status lsim_fabrication_set_lines(lsim_fabrication *f, double count);
/* Saves or loads fabrication's evolving state (entries "fabrication.*"; see
 * core/state.h): lines, radiator_duty and the last step's flows and limit.
 * Load into a module freshly initialised from the same deck. */
lsim_status lsim_fabrication_state(lsim_fabrication *f, lsim_state *s);
void lsim_fabrication_free(lsim_fabrication *f);

#endif
