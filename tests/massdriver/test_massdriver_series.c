/* Output face: the series and group attributes the module registers, and the
 * values a step puts. */
#include "lsim_test.h"
#include "massdriver.h"

static int find_series(const lsim_series_registry *reg, const char *name)
{
    for (size_t i = 0; i < lsim_series_count(reg); ++i) {
        const lsim_series_info *info = lsim_series_info_at(reg, i);
        if (strcmp(info->group, "massdriver") == 0 && strcmp(info->name, name) == 0) return (int)i;
    }
    return -1;
}

static double find_attr(const lsim_series_registry *reg, const char *name)
{
    for (size_t i = 0; i < lsim_series_attr_count(reg); ++i) {
        const lsim_series_attr *a = lsim_series_attr_at(reg, i);
        if (strcmp(a->group, "massdriver") == 0 && strcmp(a->name, name) == 0) return a->value;
    }
    return NAN;
}

int main(void)
{
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, lsim_massdriver_param_defs, lsim_massdriver_param_count) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "maintenance_duration", "0 s", "test") == LSIM_OK, "%s",
               lsim_last_error());
    /* The first-order launcher with the deck's Gaussian release errors, whose figures this test checks by hand. */
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "launcher_model", "first_order", "test") == LSIM_OK &&
                   lsim_param_set_text(params, "massdriver", "release_model", "gaussian", "test") == LSIM_OK,
               "%s", lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "drivers", "1", "test") == LSIM_OK, "%s", lsim_last_error());
    lsim_series_registry *reg = lsim_series_new(8);
    lsim_massdriver m;
    LSIM_CHECK(lsim_massdriver_init(&m, params, reg, 1u) == LSIM_OK, "%s", lsim_last_error());

    const char *names[] = {"launch_rate", "mass_launch_rate", "power_draw", "energy_per_kg", "drivers",
                           "operable_drivers", "limit", "exit_speed", "mass_launched"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
        LSIM_CHECK(find_series(reg, names[i]) >= 0, "series %s not registered", names[i]);
    LSIM_CHECK_CLOSE(find_attr(reg, "track_length"), 10.0e3, 1e-15, 0.0, "SP-413 defaults: 10 km");
    LSIM_CHECK_CLOSE(find_attr(reg, "electrical_energy_per_kg"), 60.0e6 / 9.0, 1e-14, 0.0,
                     "hand arithmetic (test_massdriver_physics): 60 MJ per 9 kg launch");
    LSIM_CHECK_CLOSE(find_attr(reg, "energy_per_launch"), 60.0e6, 1e-14, 0.0, "67.2 MJ drawn − 7.2 MJ returned");
    LSIM_CHECK_CLOSE(find_attr(reg, "electrical_efficiency"), 0.6, 0.0, 0.0, "the deck's η, copied");
    LSIM_CHECK_CLOSE(find_attr(reg, "heat_per_launch"), 0.0, 0.0, 0.0, "first_order does not model heating");
    LSIM_CHECK_CLOSE(find_attr(reg, "peak_power_per_launch"), 16.128e6, 1e-15, 0.0, "14 kg·288·2400/0.6");
    LSIM_CHECK_CLOSE(find_attr(reg, "peak_force_per_kg"), 288.0, 1e-15, 0.0, "the acceleration: 4032 N / 14 kg");
    LSIM_CHECK_CLOSE(find_attr(reg, "mean_power_at_max_rate"), 600.0e6, 1e-14, 0.0, "10/s · 60 MJ");

    /* One output interval of two hourly steps: first rate-capped, then power-limited at half. */
    lsim_clock clock;
    memset(&clock, 0, sizeof clock);
    clock.dt = 3600.0;
    double stock = 1.0e9;
    lsim_massdriver_step(&m, &clock, 1.0e12, &stock, NULL);
    lsim_series_end_step(reg, clock.dt);
    clock.step = 1;
    lsim_massdriver_step(&m, &clock, 300.0e6, &stock, NULL);
    lsim_series_end_step(reg, clock.dt);
    lsim_series_end_interval(reg, 7200.0);
    LSIM_CHECK_CLOSE(lsim_series_last_value(reg, find_series(reg, "launch_rate")), 7.5, 1e-14, 0.0,
                     "flow mean of 10/s and 5/s");
    LSIM_CHECK_CLOSE(lsim_series_last_value(reg, find_series(reg, "power_draw")), 450.0e6, 1e-14, 0.0,
                     "flow mean of 600 MW and 300 MW");
    LSIM_CHECK_CLOSE(lsim_series_last_value(reg, find_series(reg, "limit")), 1.0, 0.0, 0.0,
                     "stock: last step was power-limited");
    LSIM_CHECK_CLOSE(lsim_series_last_value(reg, find_series(reg, "mass_launched")), 1.5 * 324000.0, 1e-14, 0.0,
                     "stock: 36000 + 18000 launches of 9 kg");
    lsim_massdriver_free(&m);
    lsim_series_free(reg);
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
