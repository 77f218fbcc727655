/* Growth: lunar metal plus Earth-made parts become new units.
 *
 * Every step, in order:
 *   1. Earth resupply lands on the surface.
 *   2. A stage with no working unit is rebuilt first, from any metal (the
 *      driver fund included) and parts: a chain with metal and parts must
 *      never sit at zero capacity, unfunded, while a policy saves elsewhere.
 *   3. The growth policy (a variant chosen by chain.growth_policy) moves part
 *      of the new metal into the fund for the next mass driver, a driver is
 *      built once the fund holds one, and the policy spends what is left.
 *   4. Orbital capacity grows where it limited delivery: assembly robots
 *      from Earth, catchers from lunar metal launched by the mass driver with
 *      their Earth-made share flown up. */
#include "chain_internal.h"

#include <math.h>

/* Orders up to `metal_budget` kg worth of units of `kind` with the parts in
 * stock; *ordered_count gets how many. Materials are committed when the
 * order is placed and the units arrive as manufacturing finishes them.
 * Orders take the room the manufacturing queue has left (its lead time);
 * one whole unit may overshoot a room that is open but smaller than a unit,
 * or a lumpy unit (a mass-driver track) could never be ordered. Factories
 * ordered while manufacturing limits growth (`urgent`) go to the front of
 * the queue and may fill a lead time of their own: the fleet that builds
 * everything must be able to build itself. Drivers come whole. */
static lsim_status lsim_chain_order(lsim_chain *c, lsim_unit_kind kind, double metal_budget, double max_count,
                                    int urgent, double *ordered_count)
{
    lsim_chain_state *s = &c->s;
    lsim_manufacturing *make = &c->manufacturing;
    const double dt = c->clock.dt;
    double lunar = lsim_chain_unit_lunar_mass(c, kind), earth = lsim_chain_unit_earth_mass(c, kind);
    double unit_mass = lunar + earth;
    double by_metal = lunar > 0.0 ? metal_budget / lunar : INFINITY;
    double by_earth = earth > 0.0 ? s->earth_parts_stock / earth : INFINITY;
    double room;
    if (urgent) {
        double horizon = fmax(make->design.lead_time, dt);
        double factory_work = lsim_manufacturing_on_order(make, LSIM_UNIT_FACTORY) * unit_mass;
        room = fmax(0.0, fmax(make->units, 1.0) * make->design.rate_per_unit * horizon - factory_work);
    } else {
        room = lsim_manufacturing_room(make, dt);
    }
    double by_room = unit_mass > 0.0 ? room / unit_mass : INFINITY;
    if (room > 0.0 && by_room < 1.0) by_room = 1.0;
    double count = fmin(fmin(fmin(by_metal, by_earth), max_count), by_room);
    if (by_room < fmin(fmin(by_metal, by_earth), max_count)) s->manufacturing_short = 1;
    if (!(count > 0.0) || !isfinite(count)) return LSIM_OK;
    int whole_only = kind == LSIM_UNIT_DRIVER;
    if (whole_only) {
        count = floor(count);
        if (count < 1.0) return LSIM_OK;
    }
    lsim_status st = lsim_manufacturing_order(make, (int)kind, count, lunar, earth, whole_only, urgent);
    if (st != LSIM_OK) return st;
    s->metal_stock = fmax(0.0, s->metal_stock - count * lunar);
    s->earth_parts_stock = fmax(0.0, s->earth_parts_stock - count * earth);
    if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;
    *ordered_count += count;
    return LSIM_OK;
}

static lsim_status lsim_chain_build(lsim_chain *c, lsim_unit_kind kind, double metal_budget, double max_count,
                                    double *ordered_count)
{
    return lsim_chain_order(c, kind, metal_budget, max_count, 0, ordered_count);
}

/* Finished units join their stage (manufacturing.c calls this). */
lsim_status lsim_chain_deliver_units(void *ctx, int kind, double count, double lunar_mass, double earth_mass)
{
    lsim_chain_delivery *d = ctx;
    lsim_chain *c = d->chain;
    (void)earth_mass;
    /* Excavators join the regolith fleet; every other kind goes through its
     * wear fleet's burn-in and works once in service. */
    int wear_kind = lsim_wear_kind_of_unit((lsim_unit_kind)kind);
    lsim_status st = wear_kind < 0 ? lsim_regolith_add_excavators(&c->regolith, count, &c->clock)
                                   : lsim_chain_wear_add(c, wear_kind, count, d->work->t_end, 0);
    if (st != LSIM_OK) return st;
    c->s.equipment_lunar_total += lunar_mass;
    c->s.units_built[kind] += count;
    d->work->built[kind] += count;
    return LSIM_OK;
}

/* A kind of unit with none that can work (and none on order, in burn-in or
 * in repair) leaves its stage at zero capacity: one is ordered at the front
 * of the queue, from metal and parts, or from Earth parts alone. */
static lsim_status lsim_chain_revive_idle_stages(lsim_chain *c, lsim_chain_step_work *w)
{
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        lsim_unit_kind kind = (lsim_unit_kind)k;
        if (!lsim_chain_unit_idle(c, kind) || lsim_manufacturing_on_order(&c->manufacturing, k) > 0.0 ||
            lsim_chain_unit_count(c, kind) + lsim_chain_wear_coming(c, kind) >= (kind == LSIM_UNIT_DRIVER ? 1.0 : 1e-9))
            continue;
        double lunar = lsim_chain_unit_lunar_mass(c, kind), earth = lsim_chain_unit_earth_mass(c, kind);
        if (c->s.metal_stock < lunar || c->s.earth_parts_stock < earth) {
            /* No metal to rebuild with (the last excavator gone, nothing
             * mined, nothing refined): a unit of the metal path (excavator,
             * plant, factory) is made of Earth parts, or the chain would never
             * restart. Lines and drivers wait for metal. */
            int metal_path = kind == LSIM_UNIT_EXCAVATOR || kind == LSIM_UNIT_PLANT || kind == LSIM_UNIT_FACTORY;
            if (!metal_path || c->s.earth_parts_stock < lunar + earth) continue;
            earth += lunar;
            lunar = 0.0;
        }
        lsim_status st = lsim_manufacturing_order(&c->manufacturing, k, 1.0, lunar, earth, 1, 1);
        if (st != LSIM_OK) return st;
        c->s.metal_stock -= lunar;
        c->s.earth_parts_stock -= earth;
        if (c->s.driver_fund > c->s.metal_stock) c->s.driver_fund = c->s.metal_stock;
        w->ordered[k] += 1.0;
    }
    return LSIM_OK;
}

/* ---- the bottleneck policy ---- */

/* Payload waiting beyond what the drivers in place launch in a day: the
 * backlog that savings for another driver answer. */
static int lsim_launch_backlogged(const lsim_chain *c)
{
    const lsim_launcher_design *d = lsim_massdriver_design_view(&c->massdriver);
    double waiting = c->s.launch_panel_mass + c->s.launch_radiator_mass + c->s.launch_catcher_mass;
    return waiting > lsim_massdriver_driver_count(&c->massdriver) * d->max_launch_rate * d->payload_per_launch * 86400.0;
}

static void lsim_bottleneck_save_for_driver(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    if (w->bottleneck == LSIM_BOTTLENECK_LAUNCH)
        /* Export capacity (the next driver) is saved for while launch limits
         * delivery; the rest compounds the growth engine at its bottleneck. */
        s->driver_fund += w->new_metal * c->policy.export_investment_share;
    else if (lsim_chain_unit_count(c, LSIM_UNIT_DRIVER) >= 1.0 && !lsim_launch_backlogged(c))
        /* The drivers keep up: the savings go back to work. A step limited
         * elsewhere (a dark spell, say) with the backlog still there keeps them. */
        s->driver_fund = 0.0;
}

/* The unit that relieves the growth engine's limit, or -1 for none. */
static int lsim_bottleneck_engine_kind(const lsim_chain *c, lsim_bottleneck surface)
{
    switch (surface) {
    case LSIM_BOTTLENECK_MINING: return LSIM_UNIT_EXCAVATOR;
    case LSIM_BOTTLENECK_REFINING: return LSIM_UNIT_PLANT;
    case LSIM_BOTTLENECK_FABRICATION: return LSIM_UNIT_LINE;
    case LSIM_BOTTLENECK_MANUFACTURING: return LSIM_UNIT_FACTORY;
    case LSIM_BOTTLENECK_POWER: {
        /* Dark-spell shortfalls are not fixed by more panels: storage grows
         * with the array; the metal waits for daylight. */
        lsim_power_status_view bus;
        lsim_power_status(&c->power, &bus);
        if (bus.illumination <= 0.5) return -1;
        /* More panels is how surface power grows, but only from lines that
         * have material to work; starved lines call for plants, or for
         * nothing when the route makes no silicon or aluminium. */
        int fabrication_limit = lsim_fabrication_last_result(&c->fabrication)->limit;
        if (fabrication_limit == LSIM_FABRICATION_LIMIT_LINES || fabrication_limit == LSIM_FABRICATION_LIMIT_POWER ||
            fabrication_limit == LSIM_FABRICATION_LIMIT_NONE)
            return LSIM_UNIT_LINE;
        const double *extract = lsim_refinery_design_view(&c->refinery)->extract;
        if (extract[LSIM_EL_SI] > 0.0 && extract[LSIM_EL_AL] > 0.0) return LSIM_UNIT_PLANT;
        return -1;
    }
    default: return -1;
    }
}

static lsim_status lsim_bottleneck_spend(lsim_chain *c, lsim_chain_step_work *w, double budget)
{
    lsim_chain_state *s = &c->s;
    lsim_status st = LSIM_OK;
    if (w->bottleneck == LSIM_BOTTLENECK_FABRICATION && w->surface_bottleneck != LSIM_BOTTLENECK_POWER) {
        /* Export capacity on the surface: lines for the panels bound for orbit. */
        double export_budget = fmin(budget, w->new_metal * c->policy.export_investment_share);
        st = lsim_chain_build(c, LSIM_UNIT_LINE, export_budget, INFINITY, &w->ordered[LSIM_UNIT_LINE]);
        budget = fmax(0.0, s->metal_stock - s->driver_fund);
    }
    int kind = lsim_bottleneck_engine_kind(c, w->surface_bottleneck);
    if (st == LSIM_OK && kind >= 0)
        st = lsim_chain_order(c, (lsim_unit_kind)kind, budget, INFINITY, kind == LSIM_UNIT_FACTORY, &w->ordered[kind]);
    /* Metal the engine could not use (it waits for Earth parts) goes to the
     * driver while launch limits, rather than idle. */
    if (w->bottleneck == LSIM_BOTTLENECK_LAUNCH) s->driver_fund = s->metal_stock;
    return st;
}

/* Keep panels on the surface while the array's mean output does not cover
 * the last step's demand with the chosen margin; shortfalls in the dark are
 * for storage, not more array. */
static double lsim_bottleneck_surface_share(const lsim_chain *c)
{
    const lsim_chain_policy *p = &c->policy;
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    double mean_output = bus.array_rated_power * p->mean_illumination;
    int short_of_power = mean_output < c->s.last_demand * (1.0 + p->power_margin) ||
                         (c->s.last_surface_bottleneck == LSIM_BOTTLENECK_POWER && bus.illumination > 0.5);
    return short_of_power ? p->power_limited_surface_share : 0.0;
}

/* ---- the fixed policy ---- */

static void lsim_fixed_save_for_driver(lsim_chain *c, const lsim_chain_step_work *w)
{
    c->s.driver_fund += w->new_metal * c->policy.fixed_share[LSIM_UNIT_DRIVER];
}

static lsim_status lsim_fixed_spend(lsim_chain *c, lsim_chain_step_work *w, double budget)
{
    const double *share = c->policy.fixed_share;
    double surface_total = 1.0 - share[LSIM_UNIT_DRIVER];
    /* The queue's room is shared in the same proportions as the metal. */
    double room = lsim_manufacturing_room(&c->manufacturing, w->dt);
    budget = fmin(budget, room);
    for (int k = 0; k < LSIM_UNIT_KINDS && surface_total > 0.0; ++k) {
        if (k == LSIM_UNIT_DRIVER || !(share[k] > 0.0)) continue;
        lsim_status st = lsim_chain_build(c, (lsim_unit_kind)k, budget * share[k] / surface_total, INFINITY, &w->ordered[k]);
        if (st != LSIM_OK) return st;
    }
    return LSIM_OK;
}

static double lsim_fixed_surface_share(const lsim_chain *c)
{
    return c->policy.panel_surface_share;
}

#define LSIM_GROWTH_ROW(name, doc) \
    {LSIM_VARIANT_HEAD(name, doc), lsim_##name##_save_for_driver, lsim_##name##_spend, lsim_##name##_surface_share},
static const lsim_growth_policy lsim_growth_policies[] = {LSIM_GROWTH_POLICIES(LSIM_GROWTH_ROW)};

const lsim_growth_policy *lsim_growth_policy_find(const char *name)
{
    return LSIM_VARIANT_FIND(lsim_growth_policies, name);
}

/* ---- orbital capacity ---- */

static lsim_status lsim_chain_grow_orbit(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const lsim_chain_policy *p = &c->policy;
    lsim_orbit *o = &c->orbit;
    const lsim_orbit_design *design = lsim_orbit_design_view(o);
    lsim_orbit_status_view status;
    lsim_orbit_status(o, &status);
    const double now = w->t_end;
    /* Robots are flown up for a backlog that the units in place would not
     * clear within one growth interval, or when assembly limited delivery
     * for a quarter of the last interval. */
    double assemblable = fmin(status.panel_watts_waiting,
                              status.radiator_watts_waiting / fmax(design->radiator_heat_per_watt, 1e-300));
    double capacity_per_interval = status.assembly_units * design->assembly_rate_per_unit * p->orbital_growth_interval;
    if (w->bottleneck == LSIM_BOTTLENECK_ASSEMBLY) s->assembly_limited_time += w->dt;
    int window_done = now - s->assembly_window_start >= p->orbital_growth_interval;
    int often_limited = window_done && s->assembly_limited_time >= 0.25 * (now - s->assembly_window_start);
    if (window_done) {
        s->assembly_window_start = now;
        s->assembly_limited_time = 0.0;
    }
    if (w->bottleneck == LSIM_BOTTLENECK_ASSEMBLY && (assemblable > capacity_per_interval || often_limited) &&
        now - s->last_assembly_growth >= p->orbital_growth_interval) {
        double count = fmax(1.0, ceil(status.assembly_units * p->orbital_growth_fraction));
        lsim_status st = lsim_chain_wear_add(c, LSIM_WEAR_ASSEMBLY, count, now, 0);
        if (st != LSIM_OK) return st;
        s->earth_mass_total += count * design->assembly_unit_earth_mass;
        s->orbital_units_built[LSIM_ORBITAL_ASSEMBLY] += count;
        s->last_assembly_growth = now;
    }
    /* Catchers: the lunar-made share joins the mass driver's queue and
     * becomes a catcher when it is caught; the Earth-made share is flown from
     * Earth and counted when it leaves. */
    /* Overflow asks for catchers once per interval; their metal is then
     * reserved ahead of the growth policy until it is all there. */
    if (w->catchers_overflowed && !(s->catcher_metal_wanted > 0.0) &&
        now - s->last_catcher_growth >= p->orbital_growth_interval)
        s->catcher_metal_wanted = fmax(1.0, ceil(status.catcher_count * p->orbital_growth_fraction)) *
                                  design->catcher_lunar_mass;
    if (s->catcher_metal_wanted > 0.0 && s->metal_stock >= s->catcher_metal_wanted) {
        double lunar = design->catcher_lunar_mass, earth = design->catcher_earth_mass;
        double count = lunar > 0.0 ? floor(s->catcher_metal_wanted / lunar + 0.5) : 1.0;
        s->metal_stock -= count * lunar;
        if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;
        s->launch_catcher_mass += count * lunar;
        s->earth_mass_total += count * earth;
        s->orbital_units_built[LSIM_ORBITAL_CATCHER] += count;
        s->last_catcher_growth = now;
        s->catcher_metal_wanted = 0.0;
    }
    return LSIM_OK;
}

lsim_status lsim_chain_grow(lsim_chain *c, lsim_chain_step_work *w)
{
    lsim_chain_state *s = &c->s;
    const lsim_growth_policy *policy = c->policy.growth;
    double resupply = c->policy.earth_resupply_rate * w->dt;
    s->earth_parts_stock += resupply;
    s->earth_mass_total += resupply;
    s->manufacturing_short = 0;
    lsim_status st_wear = lsim_chain_wear_step(c, w); /* failures, repairs from spares, retirements */
    if (st_wear != LSIM_OK) return st_wear;
    lsim_chain_pay_spares(c);

    lsim_status st = lsim_chain_revive_idle_stages(c, w);
    if (st != LSIM_OK) return st;

    policy->save_for_driver(c, w);
    if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;
    /* A driver whose metal is saved gets the Earth parts first. */
    double driver_lunar = lsim_chain_unit_lunar_mass(c, LSIM_UNIT_DRIVER);
    double driver_earth = lsim_chain_unit_earth_mass(c, LSIM_UNIT_DRIVER);
    int driver_waiting_for_parts = driver_lunar > 0.0 && s->driver_fund >= driver_lunar;
    if (driver_waiting_for_parts) {
        double before = s->metal_stock;
        st = lsim_chain_build(c, LSIM_UNIT_DRIVER, s->driver_fund, INFINITY, &w->ordered[LSIM_UNIT_DRIVER]);
        if (st != LSIM_OK) return st;
        s->driver_fund = fmax(0.0, s->driver_fund - (before - s->metal_stock));
        driver_waiting_for_parts = s->driver_fund >= driver_lunar && s->earth_parts_stock < driver_earth;
    }
    double reserved_parts = driver_waiting_for_parts ? s->earth_parts_stock : 0.0;
    double parts_before = s->earth_parts_stock;
    s->earth_parts_stock -= reserved_parts;
    st = policy->spend(c, w, fmax(0.0, s->metal_stock - s->driver_fund - s->catcher_metal_wanted));
    s->earth_parts_stock += reserved_parts;
    if (st != LSIM_OK) return st;
    s->growth_parts_limited = s->metal_stock - s->driver_fund - s->catcher_metal_wanted > 0.0 &&
                              (s->earth_parts_stock < 1e-9 * parts_before + 1e-9 || driver_waiting_for_parts);
    if (s->growth_parts_limited) s->growth_parts_limited_time += w->dt;
    if (s->manufacturing_short) s->manufacturing_limited_time += w->dt;
    return lsim_chain_grow_orbit(c, w);
}
