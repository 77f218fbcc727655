/* Orbital assembly limits, degradation and the Earth-only comparator. */
#include "lsim_test.h"
#include "orbit.h"

static void test_earth_comparator(void)
{
    /* 10 GW at 10 kg/kW (DOE/NASA SPS 1978: 10 GW ~ 100,000 t) with 150 t launches. */
    lsim_orbit_earth_equivalent e = lsim_orbit_earth_equivalent_of(10e9, 10.0 / 1000.0, 150e3);
    LSIM_CHECK_CLOSE(e.mass, 1e8, 1e-15, 0.0, "one rounding in 10e9 * 0.01");
    LSIM_CHECK_CLOSE(e.mass / 1000.0, 100000.0, 1e-15, 0.0, "100,000 t of the SPS reference system");
    LSIM_CHECK_CLOSE(e.launches, 2000.0 / 3.0, 1e-15, 0.0, "1e8 kg / 150e3 kg = 666.67 launches, two roundings");
    lsim_orbit_earth_equivalent none = lsim_orbit_earth_equivalent_of(5e9, 0.01, 0.0);
    LSIM_CHECK(none.launches == 0.0, "no payload: no launches counted");
}

static void test_limits(void)
{
    /* 1 W installed needs 1 W of panels, 2 W of rejection and 0.004 kg of Earth parts. */
    lsim_orbit_assembly_spec spec = {2.0, 0.004};
    struct {
        lsim_orbit_parts parts;
        double capacity, expect_power;
        lsim_orbit_limit expect_limit;
        const char *what;
    } cases[] = {
        {{10.0, 1000.0, 50.0, 1e6, 1e3}, 1e6, 1000.0, LSIM_ORBIT_LIMIT_PANELS, "panels"},
        {{10.0, 1000.0, 50.0, 1000.0, 1e3}, 1e6, 500.0, LSIM_ORBIT_LIMIT_RADIATORS, "radiators"},
        {{10.0, 1000.0, 50.0, 1e6, 2.0}, 1e6, 500.0, LSIM_ORBIT_LIMIT_CHIPS, "chips"},
        {{10.0, 1000.0, 50.0, 1e6, 1e3}, 250.0, 250.0, LSIM_ORBIT_LIMIT_ASSEMBLY, "assembly capacity"},
        {{0.0, 0.0, 0.0, 0.0, 1e3}, 250.0, 0.0, LSIM_ORBIT_LIMIT_NONE, "nothing to do"},
        {{0.0, 0.0, 50.0, 1e6, 1e3}, 250.0, 0.0, LSIM_ORBIT_LIMIT_PANELS, "radiators but no panels"},
        {{10.0, 1000.0, 50.0, 1e6, 1e3}, 0.0, 0.0, LSIM_ORBIT_LIMIT_ASSEMBLY, "no robots"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        lsim_orbit_parts p = cases[i].parts;
        lsim_orbit_assembly_result r = lsim_orbit_assemble(&p, &spec, cases[i].capacity);
        LSIM_CHECK(r.limit == cases[i].expect_limit, "%s: limit %d, expected %d", cases[i].what, (int)r.limit,
                   (int)cases[i].expect_limit);
        LSIM_CHECK_CLOSE(r.power, cases[i].expect_power, 1e-15, 0.0, "one division");
        /* Mass taken in proportion to rating: panel stock 10 kg per 1000 W. */
        double panel_used = cases[i].parts.panel_watts > 0.0
                                ? cases[i].parts.panel_mass * r.power / cases[i].parts.panel_watts : 0.0;
        LSIM_CHECK_CLOSE(r.panel_mass, panel_used, 1e-15, 0.0, "proportional panel mass");
        LSIM_CHECK_CLOSE(r.panel_mass + p.panel_mass, cases[i].parts.panel_mass, 1e-15, 0.0, "panel mass kept");
        LSIM_CHECK_CLOSE(r.radiator_mass + p.radiator_mass, cases[i].parts.radiator_mass, 1e-15, 0.0,
                         "radiator mass kept");
        LSIM_CHECK_CLOSE(r.earth_mass, r.power * spec.earth_mass_per_watt, 1e-15, 0.0, "Earth parts per W");
        LSIM_CHECK_CLOSE(r.earth_mass + p.earth_parts, cases[i].parts.earth_parts, 1e-15, 0.0, "Earth parts kept");
    }
    /* The binding input is used up exactly, not left as round-off dust. */
    lsim_orbit_parts p = {10.0, 1000.0, 50.0, 1000.0 / 3.0, 1e3};
    lsim_orbit_assembly_result r = lsim_orbit_assemble(&p, &spec, 1e6);
    LSIM_CHECK(r.limit == LSIM_ORBIT_LIMIT_RADIATORS && p.radiator_watts == 0.0 && p.radiator_mass == 0.0,
               "radiators used up exactly: %g W, %g kg left", p.radiator_watts, p.radiator_mass);
}

/* The module cycles through limits as its inputs change, with per-limit shares. */
static void test_module_limits(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("fixed"); /* assembly, not flight, is under test */
    cfg.transit_time = 0.0;
    cfg.capture_efficiency = 1.0;
    cfg.catcher_capacity = 1e9;
    cfg.degradation_rate = 0.0;
    cfg.earth_launch_rate = 0.0;
    cfg.radiator_heat_per_watt = 1.0;
    cfg.housekeeping_fraction = 0.0;
    cfg.chip_specific_mass = 0.003;
    cfg.earth_structure_specific_mass = 0.001;
    cfg.assembly_units = 1.0;
    cfg.assembly_rate_per_unit = 100.0; /* W/s: 360 kW per hour step */
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    lsim_orbit_outputs out;

    lsim_orbit_step(&m, &clock, 0.0, NULL, &out);
    LSIM_CHECK(out.limit == LSIM_ORBIT_LIMIT_NONE, "empty: %d", out.limit);

    lsim_orbit_add_earth_parts(&m, 10000.0); /* 0.004 kg/W: 2.5 MW worth */
    lsim_orbit_inputs in = {100.0, 1e5, 100.0, 2e5};
    lsim_orbit_step(&m, &clock, 0.0, &in, &out);
    LSIM_CHECK(out.limit == LSIM_ORBIT_LIMIT_PANELS && out.assembled_power == 1e5, "panels: %d %g", out.limit,
               out.assembled_power);
    lsim_orbit_inputs in2 = {100.0, 3e5, 100.0, 1e5}; /* 1e5 W of rejection left over + 1e5 new */
    lsim_orbit_step(&m, &clock, 0.0, &in2, &out);
    LSIM_CHECK(out.limit == LSIM_ORBIT_LIMIT_RADIATORS && out.assembled_power == 2e5, "radiators: %d %g",
               out.limit, out.assembled_power);
    lsim_orbit_inputs in3 = {1000.0, 1e7, 1000.0, 1e7};
    lsim_orbit_step(&m, &clock, 0.0, &in3, &out);
    LSIM_CHECK(out.limit == LSIM_ORBIT_LIMIT_ASSEMBLY, "robots: %d", out.limit);
    LSIM_CHECK_CLOSE(out.assembled_power, 360000.0, 1e-15, 0.0, "100 W/s x 3600 s");
    for (int i = 0; i < 10; ++i) lsim_orbit_step(&m, &clock, 0.0, NULL, &out);
    LSIM_CHECK(out.limit == LSIM_ORBIT_LIMIT_CHIPS, "chips run out: %d", out.limit);
    LSIM_CHECK_CLOSE(m.installed_power, 10000.0 / 0.004, 1e-12, 0.0, "all Earth parts used: 2.5 MW");
    LSIM_CHECK(m.parts.earth_parts == 0.0, "Earth stock emptied exactly");
    LSIM_CHECK_CLOSE(out.compute_power, m.installed_power, 0.0, 0.0, "no housekeeping share");
    LSIM_CHECK_CLOSE(out.compute_flops, m.installed_power * cfg.flops_per_watt, 1e-15, 0.0, "FLOP/s per W");
    lsim_orbit_free(&m);
}

static void test_earth_launch_cadence(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("fixed"); /* assembly, not flight, is under test */
    cfg.earth_launch_on_demand = 0;
    cfg.earth_launch_rate = 1.0 / (10.0 * 3600.0); /* one launch every 10 h */
    cfg.programme_compute_share = 1.0; /* chips without limit: the launch cadence is under test */
    cfg.earth_compute_supply = 1e18 / 31557600.0;
    cfg.chip_burn_in_time = 0.0; /* chips ready from the first step */
    cfg.earth_payload_per_launch = 150e3;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    for (clock.step = 0; clock.step < 1000; ++clock.step) lsim_orbit_step(&m, &clock, 0.0, NULL, NULL);
    /* 1000 h at one per 10 h: exactly 100 launches, each due at a step end. */
    LSIM_CHECK(m.earth_launches_done == 100, "launches %lld", (long long)m.earth_launches_done);
    LSIM_CHECK_CLOSE(m.parts.earth_parts, 100.0 * 150e3, 0.0, 0.0, "whole payloads, exact");
    lsim_orbit_free(&m);
}

/* On demand, Earth flies only the parts that panels on their way will need,
 * in whole launches, within the rate ceiling. */
static void test_earth_launch_on_demand(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("fixed"); /* assembly, not flight, is under test */
    cfg.earth_launch_on_demand = 1;
    cfg.earth_launch_rate = 100.0 / (365.25 * 86400.0);
    cfg.programme_compute_share = 1.0; /* chips without limit: the launch ceiling is under test */
    cfg.earth_compute_supply = 1e18 / 31557600.0;
    cfg.chip_burn_in_time = 0.0; /* chips ready from the first step */
    cfg.compute_spare_share = 0.0; /* no compute wear and no spares: launches for assembly kits only */
    cfg.compute_hazard = (lsim_bathtub){{0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}};
    cfg.earth_payload_per_launch = 100e3;
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    lsim_orbit_inputs none = {0.0, 0.0, 0.0, 0.0};
    for (clock.step = 0; clock.step < 24 * 60; ++clock.step) lsim_orbit_step(&m, &clock, 0.0, &none, NULL);
    LSIM_CHECK(m.earth_launches_done == 0, "no panels coming: no Earth launches (%lld)", (long long)m.earth_launches_done);
    /* 2.1 GW of panels (and their radiators) launched, light enough for the
     * catcher: parts for them are 2.1e9 W x kg/W, flown in whole payloads. */
    double watts = 2.1e9;
    lsim_orbit_inputs burst = {1e5, watts, 1e5, watts}; /* 200 t: within one step of catcher capacity */
    lsim_orbit_step(&m, &clock, 0.0, &burst, NULL);
    ++clock.step;
    /* Demand follows the panels still coming: after the catcher's aperture loss, only the caught ones. */
    double launches = ceil(watts * lsim_orbit_design_view(&m)->captured_share * m.earth_mass_per_watt / cfg.earth_payload_per_launch);
    /* The ceiling banks at most a month of launches (100/yr: 8.2): the first step flies 8. */
    LSIM_CHECK(m.earth_launches_done == 8, "first step flies what a month's allowance allows: %lld",
               (long long)m.earth_launches_done);
    for (int k = 0; k < 24 * 365 * 2; ++k, ++clock.step) lsim_orbit_step(&m, &clock, 0.0, &none, NULL);
    LSIM_CHECK((double)m.earth_launches_done == launches,
               "in the end exactly ceil(needed / payload) = %.0f launches, got %lld", launches,
               (long long)m.earth_launches_done);
    LSIM_CHECK_CLOSE(m.assembled_total, watts * lsim_orbit_design_view(&m)->captured_share, 1e-12, 0.0,
                     "everything caught was assembled, with exactly the parts flown for it");
    lsim_orbit_free(&m);
}

static void test_degradation(void)
{
    lsim_orbit_config cfg;
    lsim_orbit_config_defaults(&cfg);
    cfg.flight_model = lsim_orbit_flight_model_find("fixed"); /* assembly, not flight, is under test */
    cfg.transit_time = 0.0;
    cfg.capture_efficiency = 1.0;
    cfg.catcher_capacity = 1e12;
    cfg.earth_launch_rate = 0.0;
    cfg.assembly_rate_per_unit = 1e12;
    cfg.degradation_rate = 0.05 / 31557600.0; /* 5%/yr */
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init_config(&m, &cfg, 3600.0, NULL, 1) == LSIM_OK, "%s", lsim_last_error());
    lsim_orbit_add_earth_parts(&m, 1e12);
    lsim_clock clock = {0};
    clock.dt = 3600.0;
    lsim_orbit_inputs in = {1e6, 1e9, 1e6, 1e9}; /* 1 GW installed in step 0 */
    lsim_orbit_step(&m, &clock, 0.0, &in, NULL);
    double p0 = m.installed_power;
    LSIM_CHECK_CLOSE(p0, 1e9, 0.0, 0.0, "no degradation of power installed this step");
    const int steps = 10 * 8766; /* ten Julian years of hours */
    for (int i = 1; i <= steps; ++i) {
        clock.step = i;
        lsim_orbit_outputs out;
        lsim_orbit_step(&m, &clock, 0.0, NULL, &out);
        LSIM_CHECK(out.assembled_power == 0.0, "nothing new");
    }
    double expect = p0 * exp(-cfg.degradation_rate * 3600.0 * steps);
    /* Exact factor per step: only the rounding of 87,660 products (~1e-16 each) separates them. */
    LSIM_CHECK_CLOSE(m.installed_power, expect, 1e-11, 0.0, "rounding of 8.8e4 multiplications");
    LSIM_CHECK_CLOSE(m.installed_power + m.degraded_total, p0, 1e-12, 0.0, "installed + degraded = assembled");
    LSIM_CHECK_CLOSE(m.installed_power / p0, exp(-0.5), 1e-11, 0.0, "5%/yr for 10 yr keeps e^-0.5 = 60.7%");
    lsim_orbit_free(&m);
}

int main(void)
{
    test_earth_comparator();
    test_limits();
    test_module_limits();
    test_earth_launch_cadence();
    test_earth_launch_on_demand();
    test_degradation();
    LSIM_TEST_MAIN_END();
}
