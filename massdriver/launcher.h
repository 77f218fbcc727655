/* Launcher sub-models, chosen by name (massdriver.launcher_model).
 *
 * Deep launcher physics runs at design time: a variant turns the deck into a
 * design, the figures below, once at init. The fleet logic in massdriver.c
 * (driver count, maintenance phases, rate over a step, power) reads only this
 * design, so a deeper launcher (coil by coil, with circuits and thermal limits)
 * is a new variant file plus one line in LSIM_LAUNCHER_VARIANTS, nothing else. */
#ifndef LSIM_MASSDRIVER_LAUNCHER_H
#define LSIM_MASSDRIVER_LAUNCHER_H

#include "params.h"
#include "power_line.h"
#include "release.h"
#include "series.h"
#include "state.h"
#include "status.h"
#include "variant.h"

/* Design figures of one driver, all SI. Invariants every variant keeps (the
 * massdriver tests check them): energy_per_kg = energy_per_launch /
 * payload_per_launch; energy_per_launch >= payload_per_launch ·
 * kinetic_energy_per_kg; every figure finite and >= 0, rate and masses > 0.
 *
 * A variant fills the launcher's own figures (energy_per_launch at the
 * launcher's terminals, driver masses of the track) and leaves power_line
 * zero. The fleet (massdriver.c) then adds the power line from the power site
 * (power_line.h), the same for every variant: energy_per_launch and
 * energy_per_kg become bus figures (launcher energy + line loss, with the
 * launcher's own in power_line.launcher_energy_per_launch) and
 * driver_lunar_mass gains the line's conductor. */
typedef struct {
    double exit_speed;            /* m s-1, nominal speed at release (= release.exit_speed) */
    double payload_per_launch;    /* kg of payload carried by one bucket */
    double bucket_mass;           /* kg, the recirculated bucket (armature), empty */
    double energy_per_launch;     /* J drawn from the bus per launch, net of energy recovered from the bucket,
                                   * including the power line's loss */
    double energy_per_kg;         /* J per kg of payload launched: energy_per_launch / payload_per_launch */
    double kinetic_energy_per_kg; /* J kg-1 at release: v²/2 */
    double electrical_efficiency; /* 1, kinetic energy of bucket and payload at release over the electrical
                                   * energy drawn to accelerate them (before any recovery) */
    double heat_per_launch;       /* J deposited in the launcher per launch; 0 if the variant does not model it */
    double max_launch_rate;       /* s-1, highest launch rate one driver sustains */
    int max_rate_cause;           /* what sets max_launch_rate: an lsim_massdriver_limit (HEAT, RECHARGE), or 0
                                   * for the deck's rate cap; the `limit` series reports it when the rate binds */
    double track_length;          /* m of accelerator per driver */
    double acceleration_time;     /* s a bucket spends accelerating */
    double peak_force_per_launch; /* N on bucket and payload at the peak */
    double peak_power_per_launch; /* W drawn by one bucket at its peak */
    double driver_lunar_mass;     /* kg per driver, made on the Moon (track and power line) */
    double driver_earth_mass;     /* kg per driver, supplied from Earth */
    lsim_release_errors release;  /* nominal release and its 1σ errors (core/release.h) */
    lsim_power_line power_line;   /* the line from the power site, per driver at the rate cap (power_line.h) */
} lsim_launcher_design;

/* One row of the launcher table. `model` is the variant's private data (NULL
 * when it keeps none); only the variant's own functions look inside it. */
typedef struct {
    lsim_variant_head head;
    /* Reads the variant's parameters (section "massdriver") and fills
     * *design; sets *model. LSIM_ERR_INPUT with a message when the deck
     * cannot make a working launcher. */
    lsim_status (*design)(const lsim_params *params, lsim_launcher_design *design, void **model);
    /* Saves or loads evolving state into `s` (core/state.h); NULL when the
     * variant keeps no state beyond what it rebuilds from the deck. */
    lsim_status (*state)(void *model, lsim_state *s);
    /* Releases `model` (may be NULL). */
    void (*free)(void *model);
    /* Registers detailed design profiles (current along the track, ...) as
     * group attributes or series of `group`; NULL when it has none. */
    void (*write_profiles)(const void *model, lsim_series_registry *series, const char *group);
} lsim_launcher_variant;

/* The launcher variants: the deck's choice list, their docs and the table all
 * come from this one list. */
#define LSIM_LAUNCHER_VARIANTS(X)                                                                                \
    X(first_order, "constant acceleration, one electrical efficiency, a share of the bucket's kinetic energy "  \
                   "recovered, a rate cap; no coils, circuits or heating")                                  \
    X(coil, "coil by coil: a bank and thyristor per drive coil, a superconducting bucket coil; stage voltages "   \
            "solved at init; heat (radiators) or recharge sets the rate; the empty bucket is braked by the coils " \
            "as generators and returns; masses from conductor, banks, radiators and structure")

/* Every variant NAME defines lsim_launcher_NAME_design and _free in
 * launcher_NAME.c; its optional state and profile writers are declared (or
 * defined as NULL) in its block below. */
#define LSIM_LAUNCHER_DECLARE_(name, doc)                                                                        \
    lsim_status lsim_launcher_##name##_design(const lsim_params *params, lsim_launcher_design *design,           \
                                              void **model);                                                     \
    void lsim_launcher_##name##_free(void *model);
LSIM_LAUNCHER_VARIANTS(LSIM_LAUNCHER_DECLARE_)

/* first_order (launcher_first_order.c): rebuilt from the deck, no state, no profiles. */
#define lsim_launcher_first_order_state NULL
#define lsim_launcher_first_order_write_profiles NULL

/* coil (launcher_coil.c, coil_design.h): rebuilt from the deck, no state; its
 * representative stages go to /massdriver/stages and its figures to attributes. */
#define lsim_launcher_coil_state NULL
void lsim_launcher_coil_write_profiles(const void *model, lsim_series_registry *series, const char *group);

/* The variant named `name`, or NULL. */
const lsim_launcher_variant *lsim_launcher_variant_find(const char *name);

/* All variants, in list order (for docs and tests). */
extern const lsim_launcher_variant lsim_launcher_variants[];
extern const size_t lsim_launcher_variant_count;

#endif
