/* Bad inputs are rejected with LSIM_ERR_INPUT: by the registry for values
 * out of range or of the wrong dimension, by init for inconsistent pairs. */
#include "lsim_test.h"
#include "massdriver.h"

int main(void)
{
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, lsim_massdriver_param_defs, lsim_massdriver_param_count) == LSIM_OK, "%s",
               lsim_last_error());
    /* Every row documented and sourced. */
    for (size_t i = 0; i < lsim_massdriver_param_count; ++i) {
        const lsim_param_def *d = &lsim_massdriver_param_defs[i];
        LSIM_CHECK(d->doc && d->doc[0] && d->source && d->source[0], "%s lacks doc or source", d->key);
        LSIM_CHECK(d->type == LSIM_PARAM_CHOICE || d->type == LSIM_PARAM_TEXT ||
                       (d->default_value >= d->min_value && d->default_value <= d->max_value),
                   "%s default outside its range", d->key);
    }
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "exit_speed", "2.5 km/s", "--set") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "massdriver", "exit_speed"), 2500.0, 1e-15, 0.0, "km/s to m/s");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "exit_speed", "3.5 km/s", "--set") == LSIM_ERR_INPUT,
               "exit speed above 3 km/s accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "exit_speed", "0.9 km/s", "--set") == LSIM_ERR_INPUT,
               "exit speed below 1 km/s accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "exit_speed", "2.4 kg", "--set") == LSIM_ERR_INPUT,
               "a mass accepted as a speed");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "bucket_energy_recovery", "1.2", "--set") == LSIM_ERR_INPUT,
               "recovery above 0.95 accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "electrical_efficiency", "0", "--set") == LSIM_ERR_INPUT,
               "zero efficiency accepted");
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "drivers", "-1", "--set") == LSIM_ERR_INPUT,
               "negative driver count accepted");

    /* A window as long as the period: in range each, inconsistent together. */
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "maintenance_period", "10 d", "test") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "massdriver", "maintenance_duration", "10 d", "test") == LSIM_OK, "%s",
               lsim_last_error());
    lsim_massdriver m;
    lsim_clear_error();
    LSIM_CHECK(lsim_massdriver_init(&m, params, NULL, 1u) == LSIM_ERR_INPUT, "window = period accepted");
    LSIM_CHECK(strstr(lsim_last_error(), "maintenance_duration") && strstr(lsim_last_error(), "maintenance_period"),
               "message names both parameters: %s", lsim_last_error());
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
