/* The surface power bus: a solar array at a polar or equatorial site, energy
 * storage, and the loads the chain connects to it.
 *
 * Each step the array's mean output over the step is computed exactly from
 * the illumination pattern (no sampling error whatever dt is); demand is met
 * first from the array, then from storage; surplus charges storage and the
 * rest is curtailed. Energy balance closes each step to round-off:
 *   generated = delivered_direct + charge + curtailed
 *   stored(t+dt) - stored(t) = (charge*eta_c - discharge/eta_d) * dt */
#ifndef LSIM_POWER_BUS_H
#define LSIM_POWER_BUS_H

#include <stddef.h>
#include "clock.h"
#include "illumination_curve.h"
#include "params.h"
#include "series.h"
#include "state.h"

extern const lsim_param_def lsim_power_param_defs[];
extern const size_t lsim_power_param_count;

typedef enum { LSIM_SITE_POLAR, LSIM_SITE_EQUATORIAL } lsim_site_kind;

typedef struct {
    lsim_site_kind site;
    double synodic_period;      /* s */
    double phase_offset;        /* fraction of a synodic period at t = 0 */
    double lit_fraction;        /* polar: fraction of time lit (from the curve when the bus has one) */
    long outages_per_period;    /* polar: dark spells per synodic period */
    int tracking;               /* equatorial: 1 single-axis tracking, 0 fixed horizontal */
} lsim_illumination;

typedef struct {
    lsim_illumination light;
    double solar_constant;       /* W m-2 */
    double array_rated_power;    /* W at normal incidence, degraded to now */
    double degradation_rate;     /* s-1, exponential */
    double storage_capacity;     /* J */
    double stored_energy;        /* J */
    double charge_limit;         /* W into storage (before losses) */
    double discharge_limit;      /* W out of storage (after losses) */
    double charge_efficiency;    /* sqrt of round trip */
    double discharge_efficiency;
    double base_load;            /* W, always demanded (habitat, avionics) */

    /* Polar illumination falling as the array spreads (illumination_curve.h). */
    int has_curve;                   /* 0: power.illumination_curve = none, lit_fraction fixed */
    lsim_illumination_curve curve;
    double array_area;               /* m2 of panels, seed plus every panel added */
    double ground_cover;             /* m2 of curve ground per m2 of array */
    double seed_areal_power;         /* W m-2 at AM0 of the seed array (panels added by rating alone) */

    /* Last step's flows, W (means over the step). */
    double generated, demand, delivered, charged, discharged, curtailed, unmet, losses, illumination;

    lsim_series_registry *series;
    int id_generated, id_demand, id_delivered, id_stored, id_soc, id_charged, id_discharged, id_curtailed,
        id_unmet, id_losses, id_illumination, id_rated, id_capacity, id_ground_area, id_mean_illumination;
} lsim_power_bus;

lsim_status lsim_power_init(lsim_power_bus *bus, const lsim_params *params, lsim_series_registry *series);

/* Mean illumination factor (0..1, relative to normal incidence at 1 AU) over
 * [t0, t1], integrated exactly. */
double lsim_illumination_mean(const lsim_illumination *light, double t0, double t1);

/* Mean array output over the step, W. */
double lsim_power_available(const lsim_power_bus *bus, const lsim_clock *clock);

/* Serves `demand` W for one step; returns the power delivered (<= demand).
 * Call once per step, after lsim_power_available told the chain what the
 * array gives. Puts the bus series. */
double lsim_power_step(lsim_power_bus *bus, const lsim_clock *clock, double demand);

/* What the chain may read of the bus: its state now and the last step's flows. */
typedef struct {
    double array_rated_power;  /* W at normal incidence, degraded to now */
    double storage_capacity;   /* J */
    double stored_energy;      /* J */
    double base_load;          /* W, always demanded */
    double illumination;       /* 1: over the last step */
    double array_area;         /* m2 of panels */
    double ground_area;        /* m2 of ground the array takes (array_area * array_ground_cover) */
    double generated, delivered, curtailed, unmet, losses; /* W, last step's means */
} lsim_power_status_view;

void lsim_power_status(const lsim_power_bus *bus, lsim_power_status_view *view);
/* Array output over rating averaged over a synodic period, integrated exactly (1).
 * At the polar site with a curve it falls as the array grows: ask again after growth. */
double lsim_power_mean_illumination(const lsim_power_bus *bus);

/* Growth: panels of `rated_power` W (AM0, normal incidence) covering `area` m2
 * join the array; the array's ground grows by area * power.array_ground_cover. */
void lsim_power_add_array_area(lsim_power_bus *bus, double rated_power, double area);
/* Growth by rating alone: the panels' area is taken at the seed array's W m-2. */
void lsim_power_add_array(lsim_power_bus *bus, double rated_power);
/* Storage (J) and its charge and discharge limits (W) added by the chain. */
void lsim_power_add_storage(lsim_power_bus *bus, double capacity, double charge_limit, double discharge_limit);

/* Saves or loads the bus's evolving state (entries "power.*"; see core/state.h).
 * Load into a bus freshly initialised from the same deck. */
lsim_status lsim_power_state(lsim_power_bus *bus, lsim_state *s);

void lsim_power_free(lsim_power_bus *bus);

#endif
