/* The chain's face of the mining stage: the read-only design view and the
 * step result of lsim_regolith_advance.
 *
 * 1. The view holds the design figures, equal bit for bit to the fields older
 *    callers read, and to the defaults by hand (RASSOR 2.0, Apollo 16).
 * 2. Each limit is named when it binds: fleet capacity, power, stockpile room,
 *    both at once, nothing to dig with, digging that costs no energy.
 * 3. lsim_regolith_advance and the older lsim_regolith_step are one step: two
 *    fleets with failures, repairs and growth, one stepped by each, agree bit
 *    for bit; the result's census matches the fleet's. */
#include <math.h>
#include <string.h>

#include "lsim_test.h"
#include "regolith.h"
#include "regolith_test_util.h"

#define HOUR 3600.0
#define DAY 86400.0

static lsim_regolith fleet_of(lsim_params *p, lsim_series_registry *s, uint64_t seed)
{
    lsim_regolith m;
    regolith_test_init(&m, p, s, seed);
    return m;
}

static void check_design_view(void)
{
    lsim_params *p = regolith_test_params();
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m = fleet_of(p, s, 1);
    const lsim_regolith_design *d = lsim_regolith_design_view(&m);
    LSIM_CHECK(d != NULL, "the view exists after init");

    /* The view and the older fields are the same numbers: copies, not recomputations. */
    LSIM_CHECK(memcmp(d->element_fraction, m.element_fraction, sizeof m.element_fraction) == 0,
               "element fractions: the view and the old field hold the same bits");
    double fractions[LSIM_EL_COUNT];
    lsim_regolith_element_fractions(&m, fractions);
    LSIM_CHECK(memcmp(d->element_fraction, fractions, sizeof fractions) == 0, "and lsim_regolith_element_fractions");
    LSIM_CHECK(d->capacity_per_unit == m.rate_per_unit, "capacity per unit is the old rate_per_unit");
    LSIM_CHECK(d->specific_energy == m.specific_energy, "specific energy is the old field's");
    LSIM_CHECK(d->dig_specific_energy == m.dig_specific_energy && d->haul_specific_energy == m.haul_specific_energy,
               "dig and haul energies are the old fields'");
    LSIM_CHECK(d->unit_mass == m.unit_mass && d->unit_lunar_mass == m.unit_lunar_mass &&
                   d->unit_earth_mass == m.unit_earth_mass,
               "unit masses are the old fields'");
    LSIM_CHECK(d->bulk_density == m.bulk_density && strcmp(d->site_id, m.site_id) == 0, "site figures");

    /* Defaults by hand. */
    double sum = 0.0;
    for (int e = 0; e < LSIM_EL_COUNT; ++e) sum += d->element_fraction[e];
    LSIM_CHECK_CLOSE(sum, 1.0, 4.0 * 2.2e-16 * LSIM_EL_COUNT, 0.0,
                     "fractions sum to 1: OTHER closes the sum, re-adding them rounds once per element");
    LSIM_CHECK(strcmp(d->site_id, "apollo16") == 0, "default site apollo16, got %s", d->site_id);
    LSIM_CHECK(d->bulk_density == 1500.0, "1.50 g/cm3 for the top 15 cm (Lunar Sourcebook ch. 9)");
    LSIM_CHECK(d->capacity_per_unit == 2779.0 / DAY, "RASSOR 2.0: 2,779 kg per day, the deck's own expression");
    LSIM_CHECK(d->dig_specific_energy == 4.0 * 3.6e6 / 1000.0, "rassor: 4 kWh/t as the deck states it");
    LSIM_CHECK(d->specific_energy == d->dig_specific_energy + d->haul_specific_energy,
               "dig + haul, the one sum the fleet forms");
    LSIM_CHECK(d->power_per_unit == d->capacity_per_unit * d->specific_energy,
               "power per unit = capacity x specific energy, the product the view states");
    LSIM_CHECK_CLOSE(d->power_per_unit, 2779.0 / DAY * (14400.0 + 246.24), 1e-14, 0.0,
                     "about 471 W: 2,779 kg/day x 14,646.24 J/kg, a few roundings");
    LSIM_CHECK(d->unit_lunar_mass + d->unit_earth_mass == d->unit_mass, "unit mass split closes exactly");
    LSIM_CHECK(d->initial_excavators == 10, "ten landed, got %ld", d->initial_excavators);
    LSIM_CHECK(d->dig_model && strcmp(d->dig_model, "rassor") == 0, "default digging model rassor");
    LSIM_CHECK(d->dig.specific_energy == d->dig_specific_energy, "the model's figure is the one the fleet uses");
    LSIM_CHECK(isnan(d->dig.cutting_draft_force) && isnan(d->dig.cutting_specific_energy) &&
                   isnan(d->dig.cutting_packing_fraction),
               "rassor has no cutting figures: NaN");

    /* The view describes the design, not the state: stepping and growing leave it alone. */
    lsim_regolith_design before = *d;
    lsim_clock c = regolith_test_clock(HOUR);
    lsim_regolith_advance(&m, &c, INFINITY, INFINITY, NULL);
    LSIM_CHECK(lsim_regolith_add_excavators(&m, 5.0, &c) == LSIM_OK, "grow");
    LSIM_CHECK(memcmp(&before, lsim_regolith_design_view(&m), sizeof before) == 0,
               "the design view is the same bytes after a step and growth");
    lsim_regolith_free(&m);
    lsim_series_free(s);
    lsim_params_free(p);
}

/* One step of a fresh failure-free fleet of `n` at the given grant and cap. */
static lsim_regolith_step_result one_step(long n, double grant_share, double cap_share, double dig_energy,
                                          double haul_distance, double *demand_out)
{
    lsim_params *p = regolith_test_params();
    regolith_test_no_failures(p);
    regolith_test_set(p, "initial_excavators", (double)n);
    if (dig_energy >= 0.0) regolith_test_set(p, "dig_specific_energy", dig_energy);
    if (haul_distance >= 0.0) regolith_test_set(p, "haul_distance", haul_distance);
    lsim_series_registry *s = lsim_series_new(16);
    lsim_regolith m = fleet_of(p, s, 1);
    lsim_clock c = regolith_test_clock(HOUR);
    double full_mass = (double)n * m.design.capacity_per_unit * HOUR;
    double cap = isinf(cap_share) ? INFINITY : cap_share * full_mass;
    double demand = lsim_regolith_power_demand(&m, &c, INFINITY);
    double grant = isinf(grant_share) ? INFINITY : grant_share * demand;
    lsim_regolith_step_result r;
    memset(&r, 0xff, sizeof r); /* every field must be written */
    double used = lsim_regolith_advance(&m, &c, grant, cap, &r);
    LSIM_CHECK(used == r.power_used, "the return value is the result's power");
    LSIM_CHECK(r.energy_used == r.mined_mass * m.design.specific_energy, "energy is exactly mass x specific energy");
    LSIM_CHECK(r.power_used == r.energy_used / HOUR, "power is energy over dt");
    LSIM_CHECK(r.power_used <= grant, "never above the grant (%.17g > %.17g)", r.power_used, grant);
    LSIM_CHECK(r.mined_mass <= cap, "never above the cap (%.17g > %.17g)", r.mined_mass, cap);
    LSIM_CHECK(r.capacity_mass == full_mass, "capacity = operable x capacity per unit x dt, the same product");
    LSIM_CHECK(r.operable_excavators == n && r.alive == n && r.agent_slots == (size_t)n,
               "no failures: %ld operable, %ld alive, %zu slots of %ld", r.operable_excavators, r.alive,
               r.agent_slots, n);
    if (demand_out) *demand_out = demand;
    lsim_regolith_free(&m);
    lsim_series_free(s);
    lsim_params_free(p);
    return r;
}

static void check_limits(void)
{
    /* Full grant, no cap: the fleet's capacity sets the mass. */
    double demand = 0.0;
    lsim_regolith_step_result r = one_step(10, 1.0, INFINITY, -1.0, -1.0, &demand);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_FLEET, "full grant: fleet limit, got %d", (int)r.limit);
    LSIM_CHECK(r.duty == 1.0 && r.mined_mass == r.capacity_mass, "full rate: duty 1, all the capacity mined");
    LSIM_CHECK(r.power_used == demand, "the demand is what a full step draws, bit for bit");

    /* A grant of 40% of the demand: power. */
    r = one_step(10, 0.4, INFINITY, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_POWER, "40%% grant: power limit, got %d", (int)r.limit);
    LSIM_CHECK_CLOSE(r.duty, 0.4, 1e-15, 0.0, "duty = grant / full power: two roundings and at most an ulp shaved");
    LSIM_CHECK_CLOSE(r.mined_mass, 0.4 * r.capacity_mass, 1e-15, 0.0, "mass follows the duty");

    /* Room for a quarter of the capacity: stockpile. */
    r = one_step(10, INFINITY, 0.25, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_STOCKPILE, "a quarter's room: stockpile limit, got %d", (int)r.limit);
    LSIM_CHECK_CLOSE(r.mined_mass, 0.25 * r.capacity_mass, 1e-15, 0.0, "mines up to the room left");

    /* Both bind: the tighter one is named. */
    r = one_step(10, 0.1, 0.25, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_POWER, "10%% power under 25%% room: power, got %d", (int)r.limit);
    r = one_step(10, 0.5, 0.25, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_STOCKPILE, "25%% room under 50%% power: stockpile, got %d",
               (int)r.limit);

    /* Nothing granted, or no room at all. */
    r = one_step(10, 0.0, INFINITY, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_POWER && r.mined_mass == 0.0 && r.duty == 0.0,
               "no power: nothing mined, power named");
    r = one_step(10, 1.0, 0.0, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_STOCKPILE && r.mined_mass == 0.0, "a full stockpile: stockpile named");

    /* No excavator: the fleet limits, whatever else is offered. */
    r = one_step(0, INFINITY, INFINITY, -1.0, -1.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_FLEET && r.mined_mass == 0.0 && r.capacity_mass == 0.0,
               "no excavators: fleet limit, nothing mined");

    /* Digging that costs nothing (no dig energy, no haul) runs at full rate on no power. */
    r = one_step(10, 0.0, INFINITY, 0.0, 0.0, NULL);
    LSIM_CHECK(r.limit == LSIM_REGOLITH_LIMIT_FLEET && r.duty == 1.0 && r.energy_used == 0.0,
               "zero specific energy: full rate, no power, fleet limit");
}

static void check_one_step_two_faces(void)
{
    lsim_params *p = regolith_test_params();
    /* Short lives so failures, repairs and retirements happen within the run. */
    regolith_test_set(p, "initial_excavators", 300);
    regolith_test_set(p, "random_scale", 100.0 * HOUR);
    regolith_test_set(p, "wearout_scale", 300.0 * HOUR);
    regolith_test_set(p, "max_life", 250.0 * HOUR);
    regolith_test_set(p, "repair_mean", 20.0 * HOUR);
    regolith_test_set(p, "repair_delay", 4.0 * HOUR);
    lsim_series_registry *sa = lsim_series_new(16), *sb = lsim_series_new(16);
    lsim_regolith a = fleet_of(p, sa, 77), b = fleet_of(p, sb, 77);
    lsim_clock c = regolith_test_clock(HOUR);
    int same = 1, census = 1, limits_seen[4] = {0};
    long retirements = 0;
    for (int k = 0; k < 600; ++k, c.step++) {
        if (k % 50 == 25) {
            LSIM_CHECK(lsim_regolith_add_excavators(&a, 40.5, &c) == LSIM_OK, "grow a");
            LSIM_CHECK(lsim_regolith_add_excavators(&b, 40.5, &c) == LSIM_OK, "grow b");
        }
        double cap = k % 7 == 3 ? 0.3 * (double)a.n_operating * a.design.capacity_per_unit * HOUR : INFINITY;
        double demand = lsim_regolith_power_demand(&a, &c, cap);
        double grant = k % 5 == 1 ? 0.6 * demand : 1.2 * demand;
        long operable_before = b.n_operating;
        size_t slots_before = b.count;
        double mined_a = 0.0, energy_a = 0.0;
        double used_a = lsim_regolith_step(&a, &c, grant, cap, &mined_a, &energy_a);
        lsim_regolith_step_result r;
        double used_b = lsim_regolith_advance(&b, &c, grant, cap, &r);
        same &= memcmp(&used_a, &used_b, sizeof used_a) == 0 && memcmp(&mined_a, &r.mined_mass, sizeof mined_a) == 0 &&
                memcmp(&energy_a, &r.energy_used, sizeof energy_a) == 0;
        same &= a.n_operating == b.n_operating && a.n_failed == b.n_failed && a.count == b.count;
        census &= r.operable_excavators == operable_before && r.alive == lsim_regolith_alive(&b) &&
                  r.agent_slots == slots_before;
        retirements += b.last_retirements;
        if (r.limit >= 1 && r.limit <= 3) limits_seen[r.limit] = 1;
        lsim_series_end_step(sa, HOUR);
        lsim_series_end_step(sb, HOUR);
    }
    LSIM_CHECK(same, "advance and the older step give the same bits and the same fleet");
    LSIM_CHECK(census, "operable = operating before the step, alive after, slots walked = count before");
    LSIM_CHECK(retirements > 0, "the run retires units (%ld), so the census is tested through compaction",
               retirements);
    LSIM_CHECK(limits_seen[1] && limits_seen[2] && limits_seen[3], "each limit occurs in the run (%d %d %d)",
               limits_seen[1], limits_seen[2], limits_seen[3]);
    lsim_regolith_free(&a);
    lsim_regolith_free(&b);
    lsim_series_free(sa);
    lsim_series_free(sb);
    lsim_params_free(p);
}

int main(void)
{
    check_design_view();
    check_limits();
    check_one_step_two_faces();
    LSIM_TEST_MAIN_END();
}
