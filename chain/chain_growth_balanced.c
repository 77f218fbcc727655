/* The balanced growth policy: stage capacities kept matched over a horizon.
 *
 * Every stage's capacity is put in one currency, kg of regolith feed per
 * second that the stage can carry through the chain ("regolith-equivalent"):
 *
 *   mining         excavators x capacity_per_unit                 (kg regolith s-1 as it is)
 *   refining       plants x plant_throughput                      (kg feed s-1 as it is)
 *   fabrication    lines x panel_line_rate x F                    F = kg feed per m2 of panel
 *   launch         drivers x max_launch_rate x payload_per_launch / L   L = kg payload per kg feed
 *   manufacturing  factories x rate_per_unit / H                  H = kg hardware per kg feed
 *
 * The factors come from the modules' design views, not from constants:
 *   F = the largest of silicon_areal_mass / y_Si, (aluminium_panel_areal_mass + radiator aluminium per m2
 *       of panel) / (y_Al (1 - aluminium_growth_share)) and glass_areal_mass / slag per kg feed, where y is the
 *       refinery route's reference_yield (kg of product per kg of reference feed) and a panel bound for orbit
 *       carries panel_specific_power x radiator_heat_per_watt / radiator_flux m2 of radiator;
 *   L = (1 - surface share) (panel_areal_mass + radiator areal mass per m2 of panel) / F;
 *   H = (y_Fe + y_Ti + y_Al aluminium_growth_share) x (1 - storage_metal_share) x (1 - export_investment_share
 *       while a driver is saved for) x (unit mass / lunar mass, the mean over kinds): the growth metal a kg of
 *       feed yields, less what storage and the driver's savings take before any order, with the Earth parts
 *       that ride with it; when Earth resupply cannot supply the parts for that much hardware, H falls to
 *       what the parts allow (resupply over the mean Earth share of a unit), so factories match what can be
 *       ordered.
 * Surface power joins in the same currency: mean array output less base load over the chain's
 * energy per kg of feed (dig, refine, fabricate, launch and manufacture what one kg of feed becomes).
 *
 * Each stage's projected capacity counts its units in place, those coming
 * back from repair or burn-in, and those on order that manufacturing
 * finishes within chain.balance_horizon (the queue
 * is worked first in, first out at the fleet's rate; the share of the queued
 * mass done within the horizon is taken for every kind alike). The target is
 * the level the growth metal expected over the horizon (stock plus what the
 * mining and refining in place make) could lift the lowest stages to, filled
 * from the bottom up; every stage below it gets metal, and room in the
 * manufacturing queue, in proportion to the metal its shortfall costs. A
 * mass driver comes whole (~11 kt with its power line, thousands of times a
 * young chain's feed): its shortfall costs the whole next driver, saved in
 * the driver fund at the share of new metal that buys it within the horizon,
 * at most chain.export_investment_share as the bottleneck policy saves.
 * Metal a kind cannot use for want of parts goes to the other short kinds,
 * so the policy never sits on metal while another short stage could take it.
 * Panels stay on the surface (chain.power_limited_surface_share) while the
 * array's mean output cannot carry the lowest of mining, refining and
 * manufacturing with chain.power_margin, or the last step's demand. */
#include "chain_internal.h"

#include <math.h>

/* The stages the balance keeps matched: one per unit kind, in unit-kind order. */
typedef struct {
    double per_unit[LSIM_UNIT_KINDS];  /* kg feed s-1 one unit carries; 0: the kind cannot help */
    double projected[LSIM_UNIT_KINDS]; /* kg feed s-1 of units in place and arriving within the horizon */
    double current[LSIM_UNIT_KINDS];   /* kg feed s-1 of units in place */
    double metal_cost[LSIM_UNIT_KINDS]; /* kg of growth metal to close the shortfall (whole drivers) */
    double weight[LSIM_UNIT_KINDS];     /* shortfall in shares of the horizon's scarcer supply, metal or parts */
    double power;                      /* kg feed s-1 the surface array's mean output can carry */
    double target;                     /* kg feed s-1 */
    double metal_rate;                 /* kg s-1 of growth metal the growth engine in place makes */
    double horizon_metal;              /* kg of growth metal expected over the horizon, stock included */
} lsim_balance_plan;

/* Chain-wide conversion factors from the design views (see the head of the file). */
typedef struct {
    double feed_per_area;     /* F: kg feed per m2 of panel; INFINITY when the route cannot make panels */
    double payload_per_feed;  /* L: kg launched per kg feed */
    double hardware_per_feed; /* H: kg of hardware to make per kg feed */
    double metal_per_feed;    /* kg of growth metal per kg feed */
    double hardware_per_earth; /* kg of hardware per kg of Earth parts, the mean over kinds (0: none needs parts) */
    double energy_per_feed;   /* J per kg feed through every stage */
} lsim_balance_factors;

static double lsim_ratio_or_inf(double need, double yield)
{
    if (!(need > 0.0)) return 0.0;
    return yield > 0.0 ? need / yield : INFINITY;
}

static void lsim_balance_factors_now(const lsim_chain *c, double surface_share, lsim_balance_factors *f)
{
    const lsim_refinery_design *ref = lsim_refinery_design_view(&c->refinery);
    const lsim_fabrication_design *fab = lsim_fabrication_design_view(&c->fabrication);
    const lsim_launcher_design *launch = lsim_massdriver_design_view(&c->massdriver);
    const double *y = ref->reference_yield;
    const double al_share = c->policy.aluminium_growth_share;
    double export_share = 1.0 - surface_share;
    double radiator_area_per_panel = fab->radiator_flux > 0.0
                                         ? export_share * fab->panel_specific_power *
                                               lsim_orbit_design_view(&c->orbit)->radiator_heat_per_watt / fab->radiator_flux
                                         : 0.0;
    double aluminium_per_area = fab->aluminium_panel_areal_mass + radiator_area_per_panel * fab->radiator_areal_mass;
    f->feed_per_area = fmax(fmax(lsim_ratio_or_inf(fab->silicon_areal_mass, y[LSIM_REFINERY_SILICON]),
                                 lsim_ratio_or_inf(aluminium_per_area, y[LSIM_REFINERY_ALUMINIUM] * (1.0 - al_share))),
                            lsim_ratio_or_inf(fab->glass_areal_mass, ref->reference_slag));
    double payload_per_area = export_share * (fab->panel_areal_mass + radiator_area_per_panel * fab->radiator_areal_mass);
    f->payload_per_feed = isfinite(f->feed_per_area) && f->feed_per_area > 0.0 ? payload_per_area / f->feed_per_area : 0.0;
    double hardware_over_lunar = 0.0, hardware_over_earth = 0.0;
    int with_earth = 0;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        double lunar = lsim_chain_unit_lunar_mass(c, (lsim_unit_kind)k);
        double earth = lsim_chain_unit_earth_mass(c, (lsim_unit_kind)k);
        hardware_over_lunar += lunar > 0.0 ? (lunar + earth) / lunar / LSIM_UNIT_KINDS : 1.0 / LSIM_UNIT_KINDS;
        if (earth > 0.0) hardware_over_earth += (lunar + earth) / earth, ++with_earth;
    }
    f->hardware_per_earth = with_earth > 0 ? hardware_over_earth / with_earth : 0.0;
    f->metal_per_feed = y[LSIM_REFINERY_IRON] + y[LSIM_REFINERY_TITANIUM] + y[LSIM_REFINERY_ALUMINIUM] * al_share;
    /* Storage takes up to its share of new metal before any order, and the
     * next driver's savings theirs while they last: manufacturing must keep
     * up with what is left. */
    int saving = lsim_chain_unit_count(c, LSIM_UNIT_DRIVER) < 1.0 || c->s.driver_fund > 0.0;
    double to_orders = (1.0 - c->policy.storage_metal_share) * (saving ? 1.0 - c->policy.export_investment_share : 1.0);
    f->hardware_per_feed = f->metal_per_feed * to_orders * hardware_over_lunar;
    double fabrication_energy =
        isfinite(f->feed_per_area) && f->feed_per_area > 0.0
            ? (fab->panel_energy_per_area + radiator_area_per_panel * fab->radiator_energy_per_area) / f->feed_per_area
            : 0.0;
    f->energy_per_feed = lsim_regolith_design_view(&c->regolith)->specific_energy + ref->energy_per_feed +
                         fabrication_energy + launch->energy_per_kg * f->payload_per_feed +
                         c->manufacturing.design.specific_energy * f->hardware_per_feed;
}

/* The surface share: panels stay while the array cannot carry `need` (kg
 * feed s-1) with the deck's margin, or the last step's demand as in the
 * bottleneck policy, so a chain short of power now is never starved. */
static double lsim_balance_power_short_share(const lsim_chain *c, double power, double need)
{
    const lsim_chain_policy *p = &c->policy;
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    double mean_output = bus.array_rated_power * p->mean_illumination;
    int short_of_power = power < need * (1.0 + p->power_margin) ||
                         mean_output < c->s.last_demand * (1.0 + p->power_margin) ||
                         (c->s.last_surface_bottleneck == LSIM_BOTTLENECK_POWER && bus.illumination > 0.5);
    return short_of_power ? p->power_limited_surface_share : 0.0;
}

/* The water level T with sum_k max(0, T - P_k) m_k = metal over the horizon,
 * m_k the metal per unit of capacity of kind k (kinds with per_unit 0 out). */
static double lsim_balance_fill(const double projected[LSIM_UNIT_KINDS], const double metal_per_capacity[LSIM_UNIT_KINDS],
                                double metal)
{
    int order[LSIM_UNIT_KINDS], n = 0;
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        if (!(metal_per_capacity[k] > 0.0) || !isfinite(projected[k])) continue;
        int i = n++;
        while (i > 0 && projected[order[i - 1]] > projected[k]) {
            order[i] = order[i - 1];
            --i;
        }
        order[i] = k;
    }
    if (n == 0) return 0.0;
    double level = projected[order[0]], slope = 0.0, left = metal;
    for (int i = 0; i < n; ++i) {
        slope += metal_per_capacity[order[i]];
        double next = i + 1 < n ? projected[order[i + 1]] : INFINITY;
        double cost = (next - level) * slope;
        if (!(cost < left)) return level + left / slope;
        left -= cost;
        level = next;
    }
    return level;
}

static void lsim_balance_plan_now(const lsim_chain *c, lsim_balance_plan *plan)
{
    const lsim_manufacturing *make = &c->manufacturing;
    const double horizon = c->policy.balance_horizon;
    double surface_share = lsim_balanced_surface_share(c);
    lsim_balance_factors f;
    lsim_balance_factors_now(c, surface_share, &f);
    const lsim_launcher_design *launch = lsim_massdriver_design_view(&c->massdriver);
    plan->per_unit[LSIM_UNIT_EXCAVATOR] = lsim_regolith_design_view(&c->regolith)->capacity_per_unit;
    plan->per_unit[LSIM_UNIT_PLANT] = lsim_refinery_design_view(&c->refinery)->plant_throughput;
    plan->per_unit[LSIM_UNIT_LINE] = isfinite(f.feed_per_area)
                                         ? lsim_fabrication_design_view(&c->fabrication)->panel_line_rate * f.feed_per_area
                                         : 0.0;
    plan->per_unit[LSIM_UNIT_DRIVER] =
        f.payload_per_feed > 0.0 ? launch->max_launch_rate * launch->payload_per_launch / f.payload_per_feed : 0.0;
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    plan->power = f.energy_per_feed > 0.0
                      ? fmax(0.0, bus.array_rated_power * c->policy.mean_illumination - bus.base_load) / f.energy_per_feed
                      : INFINITY;
    /* The growth engine in place: feed through the slower of mining and
     * refining (and what power carries), at the array's mean daylight. */
    double engine = fmin(fmin(lsim_chain_unit_count(c, LSIM_UNIT_EXCAVATOR) * plan->per_unit[LSIM_UNIT_EXCAVATOR],
                              lsim_chain_unit_count(c, LSIM_UNIT_PLANT) * plan->per_unit[LSIM_UNIT_PLANT]),
                         plan->power);
    plan->metal_rate = isfinite(engine) ? engine * f.metal_per_feed * c->policy.mean_illumination : 0.0;
    /* Manufacturing must build what can be ordered: the metal's hardware, or
     * less when Earth parts (resupply, over the mean Earth share of a unit)
     * cannot keep up with it. */
    double hardware_per_feed = f.hardware_per_feed;
    double metal_hardware_rate = plan->metal_rate * f.hardware_per_feed / fmax(f.metal_per_feed, 1e-300);
    if (metal_hardware_rate > 0.0 && f.hardware_per_earth > 0.0)
        hardware_per_feed *= fmin(1.0, c->policy.earth_resupply_rate * f.hardware_per_earth / metal_hardware_rate);
    plan->per_unit[LSIM_UNIT_FACTORY] = hardware_per_feed > 0.0 ? make->design.rate_per_unit / hardware_per_feed : 0.0;

    /* Orders are worked first in, first out: the share of the queue done within the horizon. */
    double arriving = make->queued_mass > 0.0 ? fmin(1.0, lsim_manufacturing_capacity(make, horizon) / make->queued_mass) : 1.0;
    double metal_per_capacity[LSIM_UNIT_KINDS];
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        double per_unit = plan->per_unit[k];
        double count = lsim_chain_unit_count(c, (lsim_unit_kind)k);
        double lunar = lsim_chain_unit_lunar_mass(c, (lsim_unit_kind)k);
        int usable = per_unit > 0.0 && isfinite(per_unit) && lunar > 0.0;
        plan->current[k] = usable ? count * per_unit : INFINITY;
        /* Units back from repair or burn-in count like units on order. */
        double coming = lsim_chain_wear_coming(c, (lsim_unit_kind)k);
        plan->projected[k] =
            usable ? (count + coming + arriving * lsim_manufacturing_on_order(make, k)) * per_unit : INFINITY;
        metal_per_capacity[k] = usable ? lunar / per_unit : 0.0;
    }
    double metal_now = fmax(0.0, c->s.metal_stock - c->s.catcher_metal_wanted);
    plan->horizon_metal = metal_now + plan->metal_rate * horizon;
    /* Each unit of capacity costs a share of the horizon's metal and a share
     * of its Earth parts (stock plus resupply); the scarcer one prices it, so
     * parts, when they bind, are shared as the balance asks and not taken by
     * whichever kind is ordered first. */
    double horizon_parts = c->s.earth_parts_stock + c->policy.earth_resupply_rate * horizon;
    double supply_per_capacity[LSIM_UNIT_KINDS];
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        double earth = lsim_chain_unit_earth_mass(c, (lsim_unit_kind)k);
        double by_metal = metal_per_capacity[k] / plan->horizon_metal;
        double by_parts = earth > 0.0 ? earth / plan->per_unit[k] / horizon_parts : 0.0;
        supply_per_capacity[k] = metal_per_capacity[k] > 0.0 ? fmax(by_metal, by_parts) : 0.0;
        if (!isfinite(supply_per_capacity[k])) supply_per_capacity[k] = 0.0; /* nothing to buy it with */
    }
    plan->target = lsim_balance_fill(plan->projected, supply_per_capacity, 1.0);
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        double shortfall = supply_per_capacity[k] > 0.0 ? fmax(0.0, plan->target - plan->projected[k]) : 0.0;
        plan->metal_cost[k] = isfinite(shortfall) ? shortfall * metal_per_capacity[k] : 0.0;
        plan->weight[k] = isfinite(shortfall) ? shortfall * supply_per_capacity[k] : 0.0;
    }
    /* A driver is bought whole: its shortfall costs whole drivers, less what is saved. */
    if (plan->metal_cost[LSIM_UNIT_DRIVER] > 0.0) {
        double lunar = lsim_chain_unit_lunar_mass(c, LSIM_UNIT_DRIVER);
        double drivers = ceil(plan->metal_cost[LSIM_UNIT_DRIVER] / lunar);
        plan->metal_cost[LSIM_UNIT_DRIVER] = fmax(0.0, drivers * lunar - c->s.driver_fund);
    }
}

void lsim_balanced_save_for_driver(lsim_chain *c, const lsim_chain_step_work *w)
{
    lsim_balance_plan plan;
    lsim_balance_plan_now(c, &plan);
    /* The next driver takes the share of new metal that buys it within the
     * horizon, at most chain.export_investment_share (as the bottleneck
     * policy saves): a driver carries thousands of times a young chain's
     * feed, and saving all its metal at once would stall the compounding. */
    if (plan.metal_cost[LSIM_UNIT_DRIVER] > 0.0)
        c->s.driver_fund += w->new_metal * fmin(c->policy.export_investment_share,
                                                 plan.metal_cost[LSIM_UNIT_DRIVER] / fmax(plan.horizon_metal, 1e-300));
    else if (plan.projected[LSIM_UNIT_DRIVER] >= plan.target && lsim_chain_unit_count(c, LSIM_UNIT_DRIVER) >= 1.0)
        /* Launch stays ahead of the target: the savings go back to work. */
        c->s.driver_fund = 0.0;
}

/* Orders up to `metal` kg of metal, `parts` kg of Earth parts and `room`
 * kg of hardware of `kind`; returns the metal committed. An open room smaller
 * than one unit still takes one unit, or a large unit would wait forever. */
static lsim_status lsim_balanced_order(lsim_chain *c, lsim_chain_step_work *w, lsim_unit_kind kind, double metal,
                                       double parts, double room, double *metal_used)
{
    lsim_chain_state *s = &c->s;
    double lunar = lsim_chain_unit_lunar_mass(c, kind), earth = lsim_chain_unit_earth_mass(c, kind);
    double by_room = room / (lunar + earth);
    if (room > 0.0 && by_room < 1.0) by_room = 1.0;
    double count = fmin(fmin(metal / lunar, earth > 0.0 ? fmin(parts, s->earth_parts_stock) / earth : INFINITY), by_room);
    *metal_used = 0.0;
    if (!(count > 0.0) || !isfinite(count)) return LSIM_OK;
    lsim_status st = lsim_manufacturing_order(&c->manufacturing, (int)kind, count, lunar, earth, 0, 0);
    if (st != LSIM_OK) return st;
    s->metal_stock = fmax(0.0, s->metal_stock - count * lunar);
    s->earth_parts_stock = fmax(0.0, s->earth_parts_stock - count * earth);
    if (s->driver_fund > s->metal_stock) s->driver_fund = s->metal_stock;
    w->ordered[kind] += count;
    *metal_used = count * lunar;
    return LSIM_OK;
}

lsim_status lsim_balanced_spend(lsim_chain *c, lsim_chain_step_work *w, double budget)
{
    lsim_balance_plan plan;
    lsim_balance_plan_now(c, &plan);
    double room = lsim_manufacturing_room(&c->manufacturing, w->dt);
    if (room < lsim_manufacturing_capacity(&c->manufacturing, w->dt) * 1e-12 || !(budget > 0.0)) {
        if (budget > 0.0 && room > 0.0) c->s.manufacturing_short = 1;
        return LSIM_OK;
    }
    /* Drivers are bought from the fund (lsim_chain_grow); the other short
     * kinds share metal, parts and room in proportion to their weights. */
    double cost[LSIM_UNIT_KINDS], weight[LSIM_UNIT_KINDS];
    int open[LSIM_UNIT_KINDS];
    for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
        cost[k] = k == LSIM_UNIT_DRIVER ? 0.0 : plan.metal_cost[k];
        weight[k] = plan.weight[k];
        open[k] = cost[k] > 0.0 && weight[k] > 0.0;
    }
    /* Passes: a kind that took less than offered (parts, room) closes, and
     * what it left is shared again among the rest. */
    for (int pass = 0; pass < LSIM_UNIT_KINDS && budget > 0.0 && room > 0.0; ++pass) {
        double total = 0.0;
        for (int k = 0; k < LSIM_UNIT_KINDS; ++k) total += open[k] ? weight[k] : 0.0;
        if (!(total > 0.0)) break;
        double spent = 0.0, room_used = 0.0, budget_now = budget, room_now = room, parts_now = c->s.earth_parts_stock;
        int closed = 0;
        for (int k = 0; k < LSIM_UNIT_KINDS; ++k) {
            if (!open[k]) continue;
            double share = weight[k] / total, used;
            double offered = budget_now * share;
            double before_queue = c->manufacturing.queued_mass;
            lsim_status st = lsim_balanced_order(c, w, (lsim_unit_kind)k, fmin(offered, cost[k]), parts_now * share,
                                                 room_now * share, &used);
            if (st != LSIM_OK) return st;
            spent += used;
            room_used += c->manufacturing.queued_mass - before_queue;
            weight[k] *= cost[k] > 0.0 ? fmax(0.0, 1.0 - used / cost[k]) : 0.0;
            cost[k] -= used;
            if (used < fmin(offered, cost[k] + used) * (1.0 - 1e-9)) open[k] = 0, closed = 1;
        }
        budget = fmax(0.0, budget - spent);
        room = fmax(0.0, room - room_used);
        if (!closed) break;
    }
    if (budget > 0.0 && !(room > 0.0)) c->s.manufacturing_short = 1;
    /* Metal no short kind could take waits in the driver fund while launch is short. */
    if (plan.metal_cost[LSIM_UNIT_DRIVER] > 0.0) c->s.driver_fund = fmin(c->s.metal_stock, c->s.driver_fund + budget);
    return LSIM_OK;
}

double lsim_balanced_surface_share(const lsim_chain *c)
{
    /* Power measured against the stages as they stand (with the share that
     * puts every panel into orbit, the most the launch side asks of it). */
    lsim_balance_factors f;
    lsim_balance_factors_now(c, 0.0, &f);
    lsim_power_status_view bus;
    lsim_power_status(&c->power, &bus);
    double power = f.energy_per_feed > 0.0
                       ? fmax(0.0, bus.array_rated_power * c->policy.mean_illumination - bus.base_load) / f.energy_per_feed
                       : INFINITY;
    /* The surface stages power must carry: the lowest of mining, refining and manufacturing in place. */
    double need = INFINITY;
    const double per_unit[3] = {lsim_regolith_design_view(&c->regolith)->capacity_per_unit,
                                lsim_refinery_design_view(&c->refinery)->plant_throughput,
                                f.hardware_per_feed > 0.0 ? c->manufacturing.design.rate_per_unit / f.hardware_per_feed : 0.0};
    const lsim_unit_kind kinds[3] = {LSIM_UNIT_EXCAVATOR, LSIM_UNIT_PLANT, LSIM_UNIT_FACTORY};
    for (int i = 0; i < 3; ++i)
        if (per_unit[i] > 0.0) need = fmin(need, lsim_chain_unit_count(c, kinds[i]) * per_unit[i]);
    return lsim_balance_power_short_share(c, power, isfinite(need) ? need : 0.0);
}
