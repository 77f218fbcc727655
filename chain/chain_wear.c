/* Wear of every unit the chain builds: plants, lines, drivers, factories on
 * the surface, catchers and assembly robots in orbit (excavators wear inside
 * the regolith module's own fleet). Each kind is an age-cohort fleet
 * (core/cohort.h) with a bathtub hazard: infant mortality (shared shape and
 * scale), random failures (the kind's MTBF) and wear-out (a Weibull of the
 * kind's design life, at which survivors are retired).
 *
 * The fleets are the truth about how many units work: after every wear
 * update each module's count is set to the units in service, so units in
 * burn-in, in repair or retired do no work. Repairs take spares, a share of
 * the unit's mass in the unit's current lunar and Earth proportions, from the
 * surface stocks (orbital units get theirs flown from Earth and booked as
 * Earth mass). Spares are owed when a repair starts and paid before growth
 * spends, from at most chain.spares_stock_share of each stock per step; the
 * repair takes its repair time either way, and a debt that keeps growing
 * (series chain/spares_owed) says the fleet's upkeep outruns the chain. */
#include "chain_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rng.h"

const char *const lsim_wear_name[LSIM_WEAR_KINDS] = {"plants", "lines", "drivers", "factories", "catchers",
                                                     "assembly_units"};

int lsim_wear_kind_of_unit(lsim_unit_kind kind)
{
    switch (kind) {
    case LSIM_UNIT_PLANT: return LSIM_WEAR_PLANT;
    case LSIM_UNIT_LINE: return LSIM_WEAR_LINE;
    case LSIM_UNIT_DRIVER: return LSIM_WEAR_DRIVER;
    case LSIM_UNIT_FACTORY: return LSIM_WEAR_FACTORY;
    default: return -1; /* excavators wear in the regolith module */
    }
}

/* Units in service now, as the modules see them. */
static double lsim_wear_module_count(const lsim_chain *c, int wear_kind)
{
    /* Asked every step for every kind: the orbit's two counts are read
     * directly (its status view also sums the flights in transit). */
    switch (wear_kind) {
    case LSIM_WEAR_PLANT: return lsim_refinery_plant_count(&c->refinery);
    case LSIM_WEAR_LINE: return lsim_fabrication_line_count(&c->fabrication);
    case LSIM_WEAR_DRIVER: return lsim_massdriver_driver_count(&c->massdriver);
    case LSIM_WEAR_FACTORY: return c->manufacturing.units;
    case LSIM_WEAR_CATCHER: return c->orbit.catcher_count;
    case LSIM_WEAR_ASSEMBLY: return c->orbit.assembly_units;
    default: return 0.0;
    }
}

/* The unit kind a surface wear kind stands for (orbital kinds: none). */
static const int lsim_wear_unit_kind[LSIM_WEAR_KINDS] = {LSIM_UNIT_PLANT, LSIM_UNIT_LINE, LSIM_UNIT_DRIVER,
                                                          LSIM_UNIT_FACTORY, -1, -1};

/* kg of one unit (lunar, Earth) for its spares: surface kinds at today's
 * Earth share, orbital kinds wholly from Earth. */
static void lsim_wear_unit_mass(const lsim_chain *c, int wear_kind, double *lunar, double *earth)
{
    const lsim_orbit_design *o = lsim_orbit_design_view(&c->orbit);
    int unit = lsim_wear_unit_kind[wear_kind];
    if (unit >= 0) {
        *lunar = lsim_chain_unit_lunar_mass(c, (lsim_unit_kind)unit);
        *earth = lsim_chain_unit_earth_mass(c, (lsim_unit_kind)unit);
    } else {
        *lunar = 0.0;
        *earth = wear_kind == LSIM_WEAR_CATCHER ? o->catcher_lunar_mass + o->catcher_earth_mass : o->assembly_unit_earth_mass;
    }
}

lsim_status lsim_chain_wear_init(lsim_chain *c, const lsim_params *params)
{
    static const char *const prefix[LSIM_WEAR_KINDS] = {"plant", "line", "driver", "factory", "catcher", "assembly"};
    const double infant_shape = lsim_param_real(params, "chain", "infant_shape");
    const double infant_scale = lsim_param_real(params, "chain", "infant_scale");
    const double wearout_shape = lsim_param_real(params, "chain", "wearout_shape");
    const double burn_in = lsim_param_real(params, "chain", "burn_in_time");
    c->policy.spares_share = lsim_param_real(params, "chain", "spares_share");
    c->policy.spares_stock_share = lsim_param_real(params, "chain", "spares_stock_share");
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k) {
        char key[64];
        snprintf(key, sizeof key, "%s_mtbf", prefix[k]);
        double mtbf = lsim_param_real(params, "chain", key);
        snprintf(key, sizeof key, "%s_life", prefix[k]);
        double life = lsim_param_real(params, "chain", key);
        lsim_cohort_config config = {
            .hazard = {.shape = {infant_shape, 1.0, wearout_shape}, .scale = {infant_scale, mtbf, life}},
            /* Catchers are put together in orbit from caught hardware: no ground to burn them in on. */
            .burn_in_time = k == LSIM_WEAR_CATCHER ? 0.0 : burn_in,
            .repair_share = lsim_param_real(params, "chain", "repair_share"),
            .repair_mean_time = lsim_param_real(params, "chain", "repair_time"),
            .max_life = life,
            .cohort_interval = lsim_param_real(params, "chain", "cohort_interval"),
            .wear_interval = lsim_param_real(params, "chain", "wear_interval"),
            .seed = c->seed,
            .stream = (uint32_t)(LSIM_STREAM_CHAIN + 0x10 + 4 * k),
        };
        char what[64];
        snprintf(what, sizeof what, "chain wear of %s", lsim_wear_name[k]);
        lsim_status st = lsim_cohort_init(&c->wear[k], &config, what, 0.0);
        if (st != LSIM_OK) return st;
        c->wear_ready = k + 1;
        /* The seed was run in on Earth: it starts in service, past its burn-in. */
        double seed = lsim_wear_module_count(c, k);
        if (seed > 0.0 && (st = lsim_cohort_add(&c->wear[k], seed, 0.0, fmax(burn_in, 1.0))) != LSIM_OK) return st;
    }
    return LSIM_OK;
}

lsim_status lsim_chain_wear_add(lsim_chain *c, int wear_kind, double count, double now, int burned_in)
{
    /* An age of one second marks units that skip the ground burn-in (the
     * catchers assembled in orbit); its effect on the hazard is nil. */
    return lsim_cohort_add(&c->wear[wear_kind], count, now, burned_in ? 1.0 : 0.0);
}

double lsim_chain_wear_coming(const lsim_chain *c, lsim_unit_kind kind)
{
    int k = lsim_wear_kind_of_unit(kind);
    if (k < 0) return 0.0;
    const lsim_cohort_fleet *f = &c->wear[k];
    /* A carried fraction is not a unit coming: only more orders complete it. */
    return f->total_burn_in + f->total_in_repair;
}

static lsim_status lsim_wear_sync(lsim_chain *c, int k)
{
    double n = c->wear[k].total_in_service;
    lsim_orbit_status_view orbit;
    switch (k) {
    case LSIM_WEAR_PLANT: return lsim_refinery_set_plants(&c->refinery, n);
    case LSIM_WEAR_LINE: return lsim_fabrication_set_lines(&c->fabrication, n);
    case LSIM_WEAR_DRIVER: return lsim_massdriver_set_drivers(&c->massdriver, n);
    case LSIM_WEAR_FACTORY: c->manufacturing.units = n; return LSIM_OK;
    case LSIM_WEAR_CATCHER:
        lsim_orbit_status(&c->orbit, &orbit);
        return lsim_orbit_set_units_in_service(&c->orbit, n, orbit.assembly_units);
    case LSIM_WEAR_ASSEMBLY:
        lsim_orbit_status(&c->orbit, &orbit);
        return lsim_orbit_set_units_in_service(&c->orbit, orbit.catcher_count, n);
    default: return LSIM_OK;
    }
}

lsim_status lsim_chain_wear_step(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const double share = c->policy.spares_share;
    /* Catchers made in orbit this step join their fleet, in service. */
    if (w->orbit.catchers_added > 0.0) {
        lsim_status st = lsim_chain_wear_add(c, LSIM_WEAR_CATCHER, w->orbit.catchers_added, w->t_end, 1);
        if (st != LSIM_OK) return st;
    }
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k) {
        lsim_cohort_fleet *f = &c->wear[k];
        int orbital = k == LSIM_WEAR_CATCHER || k == LSIM_WEAR_ASSEMBLY;
        lsim_cohort_step_result r;
        lsim_cohort_step(f, w->t_end, INFINITY, &r);
        if (r.repairs_started > 0.0) {
            /* The unit masses only when spares are owed: most steps have no
             * wear tick, and the masses were 3% of a step. */
            double lunar, earth;
            lsim_wear_unit_mass(c, k, &lunar, &earth);
            double spare_lunar = share * lunar, spare_earth = share * earth;
            if (orbital) {
                s->earth_mass_total += r.repairs_started * spare_earth;
                s->spares_earth_total += r.repairs_started * spare_earth;
            } else {
                s->spares_owed_lunar += r.repairs_started * spare_lunar;
                s->spares_owed_earth += r.repairs_started * spare_earth;
            }
        }
        w->wear_failures += r.failed_service + r.failed_burn_in;
        if (f->total_in_service != lsim_wear_module_count(c, k)) {
            lsim_status st = lsim_wear_sync(c, k);
            if (st != LSIM_OK) return st;
        }
    }
    return LSIM_OK;
}

void lsim_chain_pay_spares(lsim_chain *c)
{
    lsim_chain_state *s = &c->s;
    /* Maintenance and growth share the stocks: a fleet whose spares outrun
     * the metal must not starve the excavators and plants that make metal
     * (with all of it, a big fleet of plants wearing while the last
     * excavators retire never gets its metal back). */
    const double share = c->policy.spares_stock_share;
    double lunar = fmin(s->spares_owed_lunar, share * fmax(0.0, s->metal_stock));
    double earth = fmin(s->spares_owed_earth, share * fmax(0.0, s->earth_parts_stock));
    s->metal_stock -= lunar;
    s->earth_parts_stock -= earth;
    s->spares_owed_lunar -= lunar;
    s->spares_owed_earth -= earth;
    if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;
    s->equipment_lunar_total += lunar; /* spares become part of the units they mend */
    s->spares_lunar_total += lunar;
    s->spares_earth_total += earth;
}

lsim_status lsim_chain_wear_state(lsim_chain *c, lsim_state *state)
{
    for (int k = 0; k < LSIM_WEAR_KINDS; ++k) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "chain.wear.%s", lsim_wear_name[k]);
        lsim_status st = lsim_cohort_state(&c->wear[k], state, prefix);
        if (st != LSIM_OK) return st;
    }
    return LSIM_OK;
}

void lsim_chain_wear_free(lsim_chain *c)
{
    for (int k = 0; k < c->wear_ready; ++k) lsim_cohort_free(&c->wear[k]);
    c->wear_ready = 0;
}
