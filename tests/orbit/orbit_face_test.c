/* The module face through the core registries: parameters, deck, series. */
#include "lsim_test.h"
#include "orbit.h"

int main(void)
{
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, lsim_run_param_defs, lsim_run_param_count) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_params_register(params, lsim_orbit_param_defs, lsim_orbit_param_count) == LSIM_OK, "%s",
               lsim_last_error());
    /* Every row cites a source and its default lies in range. */
    for (size_t i = 0; i < lsim_orbit_param_count; ++i) {
        const lsim_param_def *d = &lsim_orbit_param_defs[i];
        LSIM_CHECK(d->source && d->source[0] && d->doc && d->doc[0], "%s has doc and source", d->key);
        if (d->type == LSIM_PARAM_REAL || d->type == LSIM_PARAM_INT)
            LSIM_CHECK(d->default_value >= d->min_value && d->default_value <= d->max_value, "%s default in range",
                       d->key);
    }
    /* Deck units convert once to SI. */
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "transit_time", "2.5 d", "test") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "orbit", "transit_time"), 216000.0, 1e-15, 0.0, "2.5 x 86400 s");
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "earth_specific_mass", "10 kg/kW", "test") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "orbit", "earth_specific_mass"), 0.01, 1e-15, 0.0, "10 kg/kW in kg/W");
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "transit_time", "3 kg", "test") == LSIM_ERR_INPUT,
               "wrong dimension rejected");
    if (getenv("ORBIT_PRINT_DECK")) {
        char *yaml = lsim_params_to_yaml(params, "orbit", 1);
        fputs(yaml, stdout);
        free(yaml);
    }
    /* The flight models' words and docs come from the one X-macro list. */
    long row = lsim_params_find(params, "orbit", "flight_model");
    LSIM_CHECK(row >= 0, "orbit.flight_model registered");
    const lsim_param_def *flight = row >= 0 ? lsim_params_def(params, (size_t)row) : NULL;
    LSIM_CHECK(flight && strcmp(flight->choices, "fixed|straight_line|three_body") == 0, "choices from the list: %s",
               flight ? flight->choices : "(none)");
#define CHECK_LISTED_(word, text)                                                                             \
    LSIM_CHECK(flight && strstr(flight->doc, #word ": " text), "doc of %s carried into the parameter", #word); \
    LSIM_CHECK(lsim_orbit_flight_model_find(#word) != NULL &&                                                 \
                   strcmp(lsim_orbit_flight_model_find(#word)->head.doc, text) == 0,                          \
               "table row %s has the list's doc", #word);
    LSIM_ORBIT_FLIGHT_MODELS(CHECK_LISTED_)
#undef CHECK_LISTED_
    LSIM_CHECK(lsim_orbit_flight_model_find("dispersion") == NULL, "the old word is gone");
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "flight_model", "straight_line", "test") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "flight_model", "magnet", "test") == LSIM_ERR_INPUT,
               "unknown choice rejected");
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "flight_model", "dispersion", "test") == LSIM_ERR_INPUT,
               "the old capture_model word is not a flight model");
    LSIM_CHECK(lsim_params_find(params, "orbit", "capture_model") < 0, "orbit.capture_model is gone (unknown key)");

    /* Chips from the first step and plenty of them: the face, not the chip supply, is under test. */
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "chip_burn_in_time", "0 h", "test") == LSIM_OK &&
                   lsim_param_set_text(params, "orbit", "programme_compute_share", "1", "test") == LSIM_OK,
               "%s", lsim_last_error());
    lsim_clock clock;
    LSIM_CHECK(lsim_clock_init(&clock, params) == LSIM_OK, "%s", lsim_last_error());
    lsim_series_registry *series = lsim_series_new(64);
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init(&m, params, series, 42) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_series_count(series) == LSIM_ORBIT_SERIES_COUNT, "%zu series registered",
               lsim_series_count(series));
    const lsim_orbit_design *d = lsim_orbit_design_view(&m);
    LSIM_CHECK(!isnan(d->miss_rms), "straight_line ran the Monte Carlo at init");
    /* Hardware at t = 0: 1 catcher of 100 t lunar-made + 10 t Earth-made, all
     * made on Earth at t = 0, and one 10 t assembly unit: 120 t. */
    LSIM_CHECK_CLOSE(d->initial_hardware_earth_mass, 1.2e5, 1e-15, 0.0, "1 x (100 t + 10 t) + 1 x 10 t, two roundings");
    LSIM_CHECK(d->initial_catchers == 1.0 && d->initial_assembly_units == 1.0, "initial counts");
    LSIM_CHECK(d->catcher_lunar_mass == 1e5 && d->catcher_earth_mass == 1e4 && d->assembly_unit_earth_mass == 1e4,
               "unit masses as the deck gives them");
    LSIM_CHECK_CLOSE(d->earth_mass_per_watt, 0.003 * 0.95 + 0.001, 1e-15, 0.0, "chips x (1 - housekeeping) + structure");
    LSIM_CHECK(d->radiator_heat_per_watt == m.cfg.radiator_heat_per_watt &&
                   d->assembly_rate_per_unit == m.cfg.assembly_rate_per_unit &&
                   d->housekeeping_fraction == m.cfg.housekeeping_fraction &&
                   d->flops_per_watt == m.cfg.flops_per_watt && d->earth_specific_mass == m.cfg.earth_specific_mass &&
                   d->earth_payload_per_launch == m.cfg.earth_payload_per_launch &&
                   d->catcher_capacity == m.cfg.catcher_capacity,
               "design view carries the figures the chain reads");
    LSIM_CHECK(lsim_orbit_power_demand(&m, &clock) == 0.0, "no surface power");

    size_t n = d->first_arrival_step;
    for (clock.step = 0; clock.step < (int64_t)(3 * n + 10); ++clock.step) {
        lsim_orbit_inputs in = {100.0, 1e5, 50.0, 1e5};
        lsim_orbit_step(&m, &clock, 0.0, &in, NULL);
        lsim_series_end_step(series, clock.dt);
        if ((clock.step + 1) % clock.steps_per_output == 0) {
            if (lsim_series_end_interval(series, (double)(clock.step + 1) * clock.dt)) lsim_series_drain(series);
        }
    }
    LSIM_CHECK_CLOSE(lsim_orbit_mass_balance(&m), 0.0, 0.0, 1e-12 * m.launched_total, "round-off of sums");
    LSIM_CHECK(m.installed_power > 0.0, "power was assembled");
    lsim_orbit_status_view v;
    lsim_orbit_status(&m, &v);
    LSIM_CHECK(v.installed_power == m.installed_power && v.assembled_total == m.assembled_total &&
                   v.catcher_count == m.catcher_count && v.assembly_units == m.assembly_units &&
                   v.panel_watts_waiting == m.parts.panel_watts && v.radiator_watts_waiting == m.parts.radiator_watts &&
                   v.in_transit_mass == lsim_orbit_in_transit_mass(&m),
               "status view reports the stage's state");
    lsim_orbit_free(&m);
    lsim_series_free(series);
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
