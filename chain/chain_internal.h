/* Inside the chain: what one step carries from phase to phase, and the
 * phases themselves (chain.c lists them; each lives in the file of its
 * concern). Not installed. */
#ifndef LSIM_CHAIN_INTERNAL_H
#define LSIM_CHAIN_INTERNAL_H

#include "chain.h"
#include "variant.h"

/* How one stage fared in a step, as the bottleneck walk needs it. */
typedef struct {
    double output;   /* what it made or moved this step (kg, or m2 for fabrication) */
    double capacity; /* what its units could have made with every input and all power (same unit) */
    int power_short; /* the bus granted less than the stage asked for */
} lsim_stage_use;

/* The working set of one step, on the stack of lsim_chain_step. */
typedef struct {
    double dt, t_end;

    /* demands */
    double mining_room;                    /* kg the stockpile may still take */
    double refinery_intake;                /* kg of feed the plants take in over the step at full power */
    double demand[LSIM_STAGE_COUNT];       /* W */
    double base_demand, total_demand;      /* W */
    double surface_share;                  /* share of new panels kept on the surface bus */
    double radiator_rejection_wanted;      /* W s-1: radiator rejection the panels bound for orbit need made per second */

    /* grants */
    double delivered;                      /* W the bus served */
    double grant[LSIM_STAGE_COUNT];        /* W */
    double grant_base;                     /* W */

    /* stages */
    double used[LSIM_STAGE_COUNT];         /* W actually drawn */
    lsim_stage_use use[LSIM_STAGE_COUNT];
    double new_metal;                      /* kg of growth metal made this step */
    double surface_power_added;            /* W of lunar panels installed on the surface */
    double storage_energy_added;           /* J of surface storage added */
    int no_drivers;
    lsim_massdriver_step_result launch;
    lsim_orbit_outputs orbit;
    int catchers_overflowed;

    /* what limited */
    lsim_bottleneck bottleneck, surface_bottleneck;

    /* growth */
    double built[LSIM_UNIT_KINDS];   /* units manufacturing finished this step */
    double ordered[LSIM_UNIT_KINDS]; /* units ordered this step */
    lsim_manufacturing_step_result manufacturing;
    double wear_failures; /* units failed this step (in service and in burn-in) */
} lsim_chain_step_work;

/* Growth policies: how the metal and parts each step makes are spent. */
struct lsim_growth_policy {
    lsim_variant_head head;
    /* Moves part of this step's growth metal into (or out of) the fund saved for the next mass driver. */
    void (*save_for_driver)(lsim_chain *c, const lsim_chain_step_work *w);
    /* Spends up to `budget` kg of growth metal (and the parts it needs) on surface units. */
    lsim_status (*spend)(lsim_chain *c, lsim_chain_step_work *w, double budget);
    /* Share of this step's new panels kept on the surface bus. */
    double (*surface_share)(const lsim_chain *c);
};

/* Grant policies: how a power shortfall is shared among the stages. */
struct lsim_grant_policy {
    lsim_variant_head head;
    /* grant[i] <= demand[i], sum(grant) <= available. */
    void (*grant)(const double demand[LSIM_STAGE_COUNT], double available, double grant[LSIM_STAGE_COUNT]);
};

#define LSIM_GROWTH_POLICIES(X)                                                                                   \
    X(bottleneck, "growth metal goes to the stage that limits the chain, part saved for the next mass driver while launch limits") \
    X(fixed, "growth metal (and room in the manufacturing queue) split in the fixed shares chain.share_*; panels kept on the surface at chain.panel_surface_share") \
    X(balanced, "stage capacities (units in place and on order within chain.balance_horizon) kept matched in kg of regolith feed per second: metal and queue room go to the stages furthest below the level the horizon's metal can reach, in proportion to what their shortfall costs; drivers saved for whole")
#define LSIM_GRANT_POLICIES(X)                                                                                    \
    X(proportional, "a shortfall slows every stage by the same fraction, keeping the pipeline balanced")         \
    X(upstream_first, "a shortfall is taken from the downstream stages first")

/* The balanced policy's operations (chain_growth_balanced.c); the other rows live in chain_growth.c. */
void lsim_balanced_save_for_driver(lsim_chain *c, const lsim_chain_step_work *w);
lsim_status lsim_balanced_spend(lsim_chain *c, lsim_chain_step_work *w, double budget);
double lsim_balanced_surface_share(const lsim_chain *c);

const lsim_growth_policy *lsim_growth_policy_find(const char *name);
const lsim_grant_policy *lsim_grant_policy_find(const char *name);

/* Phases of a step, in order (chain.c). */
void lsim_chain_take_demands(lsim_chain *c, lsim_chain_step_work *w);
void lsim_chain_grant_power(lsim_chain *c, lsim_chain_step_work *w);
lsim_status lsim_chain_run_stages(lsim_chain *c, lsim_chain_step_work *w);
void lsim_chain_find_limits(const lsim_chain *c, lsim_chain_step_work *w); /* chain_bottleneck.c */
lsim_status lsim_chain_grow(lsim_chain *c, lsim_chain_step_work *w);       /* chain_growth.c */
void lsim_chain_account(lsim_chain *c, const lsim_chain_step_work *w);    /* chain_ledger.c */

/* Unit costs per kind (kg made on the Moon, kg made on Earth). */
double lsim_chain_unit_lunar_mass(const lsim_chain *c, lsim_unit_kind kind);
double lsim_chain_unit_earth_mass(const lsim_chain *c, lsim_unit_kind kind);
/* Units of a kind in place that can work (excavators alive, plants, lines, drivers). */
double lsim_chain_unit_count(const lsim_chain *c, lsim_unit_kind kind);
/* No unit of this kind can work, so its stage has no capacity (drivers
 * count only whole: a track is useless until complete). */
int lsim_chain_unit_idle(const lsim_chain *c, lsim_unit_kind kind);

/* Earth share factor of every unit now (1 at the start, falling with lunar production). */
double lsim_chain_earth_share_factor(const lsim_chain *c);

/* Finished units join their stage: the manufacturing queue's delivery callback. */
typedef struct {
    lsim_chain *chain;
    lsim_chain_step_work *work;
} lsim_chain_delivery;
lsim_status lsim_chain_deliver_units(void *ctx, int kind, double count, double lunar_mass, double earth_mass);

/* Wear of every unit kind (chain_wear.c). */
int lsim_wear_kind_of_unit(lsim_unit_kind kind); /* -1: not worn by the chain */
lsim_status lsim_chain_wear_init(lsim_chain *c, const lsim_params *params);
lsim_status lsim_chain_wear_add(lsim_chain *c, int wear_kind, double count, double now, int burned_in);
/* Units of a kind not in service yet that will be: in burn-in or in repair. */
double lsim_chain_wear_coming(const lsim_chain *c, lsim_unit_kind kind);
lsim_status lsim_chain_wear_step(lsim_chain *c, lsim_chain_step_work *w);
/* Pays owed spares from the stocks, before growth spends them. */
void lsim_chain_pay_spares(lsim_chain *c);
lsim_status lsim_chain_wear_state(lsim_chain *c, lsim_state *state);
void lsim_chain_wear_free(lsim_chain *c);

/* The chain's output series and the seed ledger (chain_ledger.c). */
lsim_status lsim_chain_register_series(lsim_chain *c);
double lsim_sum_elements(const double x[LSIM_EL_COUNT]);

#endif
