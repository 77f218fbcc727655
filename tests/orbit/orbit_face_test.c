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
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "capture_model", "dispersion", "test") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "orbit", "capture_model", "magnet", "test") == LSIM_ERR_INPUT,
               "unknown choice rejected");

    lsim_clock clock;
    LSIM_CHECK(lsim_clock_init(&clock, params) == LSIM_OK, "%s", lsim_last_error());
    lsim_series_registry *series = lsim_series_new(64);
    lsim_orbit m;
    LSIM_CHECK(lsim_orbit_init(&m, params, series, 42) == LSIM_OK, "%s", lsim_last_error());
    LSIM_CHECK(lsim_series_count(series) == LSIM_ORBIT_SERIES_COUNT, "%zu series registered",
               lsim_series_count(series));
    LSIM_CHECK(!isnan(m.flight.miss_rms), "dispersion mode ran the Monte Carlo at init");
    LSIM_CHECK(lsim_orbit_power_demand(&m, &clock) == 0.0, "no surface power");

    size_t n = m.transit.steps;
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
    lsim_orbit_free(&m);
    lsim_series_free(series);
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
