/* Parameter registry: type, dimension, range and choice checks, YAML round trip, hash. */
#include <stdint.h>
#include <string.h>

#include "deck.h"
#include "lsim_test.h"
#include "params.h"
#include "status.h"

static const lsim_param_def launcher_table[] = {
    {"launcher", "exit_speed", LSIM_PARAM_REAL, "m s-1", "km/s", 2400.0, 1000.0, 3000.0, NULL, NULL,
     "speed at the muzzle", "design choice: test table"},
    {"launcher", "payload_mass", LSIM_PARAM_REAL, "kg", "t", 1500.0, 0.0, 1e7, NULL, NULL, "payload per shot",
     "design choice: test table"},
    {"launcher", "efficiency", LSIM_PARAM_REAL, "1", NULL, 0.3, 0.0, 1.0, NULL, NULL, "electric to kinetic",
     "design choice: test table"},
    {"launcher", "coil_count", LSIM_PARAM_INT, NULL, NULL, 200.0, 1.0, 5000.0, NULL, NULL, "coils on the track",
     "design choice: test table"},
    {"launcher", "cooled", LSIM_PARAM_BOOL, NULL, NULL, 1.0, 0.0, 1.0, NULL, NULL, "active coil cooling",
     "design choice: test table"},
    {"launcher", "storage", LSIM_PARAM_CHOICE, NULL, NULL, 0.0, 0.0, 0.0, "capacitor|flywheel|battery", "capacitor",
     "pulse energy store", "design choice: test table"},
};

static const lsim_param_def power_table[] = {
    {"power", "array_area", LSIM_PARAM_REAL, "m2", "km2", 1e5, 0.0, 1e9, NULL, NULL, "solar array area",
     "design choice: test table"},
    {"power", "specific_energy", LSIM_PARAM_REAL, "J kg-1", "kWh/kg", 4.68e7, 0.0, 1e9, NULL, NULL,
     "energy per kilogram", "design choice: test table"},
    {"power", "label", LSIM_PARAM_TEXT, NULL, NULL, 0.0, 0.0, 0.0, NULL, "base: \"A\" #1", "free label",
     "design choice: test table"},
    {"power", "epoch", LSIM_PARAM_TEXT, NULL, NULL, 0.0, 0.0, 0.0, NULL, "2030-01-01T00:00:00", "start time",
     "design choice: test table"},
    {"power", "emissivity", LSIM_PARAM_REAL, "", NULL, 0.1, 0.0, 1.0, NULL, NULL, "radiator emissivity",
     "design choice: test table"},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static lsim_params *make_params(void) {
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, launcher_table, N_OF(launcher_table)) == LSIM_OK, "register: %s",
               lsim_last_error());
    LSIM_CHECK(lsim_params_register(params, power_table, N_OF(power_table)) == LSIM_OK, "register: %s",
               lsim_last_error());
    return params;
}

/* Sets a value that must be rejected; the message must start with the
 * origin, name section.key and mention `fragment`. */
static void check_set_fails(lsim_params *params, const char *key_path, const char *text, const char *fragment) {
    char section[64], key[64];
    const char *dot = strchr(key_path, '.');
    snprintf(section, sizeof section, "%.*s", (int)(dot - key_path), key_path);
    snprintf(key, sizeof key, "%s", dot + 1);
    uint64_t before = lsim_params_hash(params);
    lsim_status status = lsim_param_set_text(params, section, key, text, "deck.yaml:4:17");
    const char *message = lsim_last_error();
    LSIM_CHECK(status == LSIM_ERR_INPUT, "%s = '%s' should fail", key_path, text);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "deck.yaml:4:17: %s: ", key_path);
    LSIM_CHECK(strncmp(message, prefix, strlen(prefix)) == 0, "message starts with '%s': %s", prefix, message);
    LSIM_CHECK(strstr(message, fragment) != NULL, "message mentions '%s': %s", fragment, message);
    LSIM_CHECK(strchr(message, '\n') == NULL, "one line: %s", message);
    LSIM_CHECK(lsim_params_hash(params) == before, "a rejected value leaves the registry unchanged");
}

int main(void) {
    lsim_params *params = make_params();
    LSIM_CHECK(lsim_params_count(params) == N_OF(launcher_table) + N_OF(power_table), "count");
    LSIM_CHECK(lsim_params_find(params, "power", "epoch") == 9, "find gives the registration index");
    LSIM_CHECK(lsim_params_find(params, "power", "nope") == -1, "find of unknown");
    LSIM_CHECK(lsim_params_has_section(params, "launcher") && !lsim_params_has_section(params, "launch"),
               "has_section");

    /* Defaults. */
    LSIM_CHECK(lsim_param_real(params, "launcher", "exit_speed") == 2400.0, "default real");
    LSIM_CHECK(lsim_param_int(params, "launcher", "coil_count") == 200, "default int");
    LSIM_CHECK(lsim_param_bool(params, "launcher", "cooled") == 1, "default bool");
    LSIM_CHECK(strcmp(lsim_param_text(params, "launcher", "storage"), "capacitor") == 0, "default choice");
    LSIM_CHECK(!lsim_param_is_set(params, 0), "default is not 'set'");

    /* Good values, converted to SI. */
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "exit_speed", "2.8 km/s", "t") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "exit_speed"), 2800.0, 1e-15, 0.0, "km to m is exact-ish");
    LSIM_CHECK(lsim_param_is_set(params, 0), "now 'set'");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "payload_mass", "150 t", "t") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "payload_mass"), 1.5e5, 1e-15, 0.0, "tonne is 1000 kg");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "efficiency", "0.45", "t") == LSIM_OK, "bare number ok");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "efficiency", "45 %", "t") == LSIM_OK, "percent ok");
    LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "efficiency"), 0.45, 1e-15, 0.0, "45 % is 0.45");
    LSIM_CHECK(lsim_param_set_text(params, "power", "emissivity", "0.85", "t") == LSIM_OK, "unit '' bare ok");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "coil_count", "1e3", "t") == LSIM_OK, "1e3 is whole");
    LSIM_CHECK(lsim_param_int(params, "launcher", "coil_count") == 1000, "int value");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "cooled", "off", "t") == LSIM_OK, "bool off");
    LSIM_CHECK(lsim_param_bool(params, "launcher", "cooled") == 0, "bool value");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "cooled", "Yes", "t") == LSIM_OK, "bool Yes");
    LSIM_CHECK(lsim_param_bool(params, "launcher", "cooled") == 1, "bool value");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "storage", "flywheel", "t") == LSIM_OK, "choice");
    LSIM_CHECK(strcmp(lsim_param_text(params, "launcher", "storage"), "flywheel") == 0, "choice value");
    LSIM_CHECK(lsim_param_set_text(params, "power", "specific_energy", "13 kWh/kg", "t") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK_CLOSE(lsim_param_real(params, "power", "specific_energy"), 4.68e7, 1e-15, 0.0, "13*3.6e6 J/kg");
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "exit_speed", "3000 m/s", "t") == LSIM_OK,
               "range is inclusive");

    /* Bad values: each names what was given and what was expected. */
    check_set_fails(params, "launcher.exit_speed", "2.4 kg", "'2.4 kg' has dimension kg, expected m s-1");
    check_set_fails(params, "launcher.exit_speed", "2400", "'2400' needs a unit, e.g. '2.4 km/s'");
    check_set_fails(params, "launcher.exit_speed", "9 km/s",
                    "9 km/s (9000 m s-1) is outside the allowed range [1000, 3000] m s-1");
    check_set_fails(params, "launcher.exit_speed", "5 kmh", "unknown unit 'kmh' in '5 kmh'");
    check_set_fails(params, "launcher.exit_speed", "fast", "number");
    check_set_fails(params, "launcher.efficiency", "1.5", "outside the allowed range [0, 1]");
    check_set_fails(params, "launcher.efficiency", "150 %", "150 % (1.5) is outside");
    check_set_fails(params, "launcher.efficiency", "3 m", "has dimension m, expected 1");
    check_set_fails(params, "launcher.coil_count", "12.5", "'12.5' is not a whole number");
    check_set_fails(params, "launcher.coil_count", "12 kg", "not a whole number");
    check_set_fails(params, "launcher.coil_count", "0", "outside the allowed range [1, 5000]");
    check_set_fails(params, "launcher.cooled", "maybe", "'maybe' is not a boolean");
    check_set_fails(params, "launcher.storage", "flywhel", "'flywhel' is not one of capacitor|flywheel|battery");
    check_set_fails(params, "launcher.storage", "flywhel", "did you mean 'flywheel'?");
    check_set_fails(params, "power.array_area", "2 km/s", "has dimension m s-1, expected m2");

    /* Unknown names through the registry directly. */
    LSIM_CHECK(lsim_param_set_text(params, "power", "array_aera", "1 m2", "x.yaml:1:1") == LSIM_ERR_INPUT, "unknown");
    LSIM_CHECK(strstr(lsim_last_error(), "did you mean 'power.array_area'") != NULL, "%s", lsim_last_error());

    /* set_real: sweeps write SI values directly, still range-checked. */
    LSIM_CHECK(lsim_param_set_real(params, "launcher", "exit_speed", 2500.0, "sweep") == LSIM_OK, "set_real");
    LSIM_CHECK(lsim_param_real(params, "launcher", "exit_speed") == 2500.0, "set_real value");
    LSIM_CHECK(lsim_param_set_real(params, "launcher", "exit_speed", 500.0, "sweep") == LSIM_ERR_INPUT,
               "set_real range");
    LSIM_CHECK(strstr(lsim_last_error(), "sweep: launcher.exit_speed: 500 m s-1 is outside") != NULL, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_real(params, "launcher", "exit_speed", NAN, "sweep") == LSIM_ERR_INPUT, "NaN refused");
    LSIM_CHECK(lsim_param_set_real(params, "launcher", "storage", 1.0, "sweep") == LSIM_ERR_INPUT, "not numeric");

    /* Registration errors are programming errors (LSIM_ERR_RUN). */
    {
        lsim_params *again = make_params();
        LSIM_CHECK(lsim_params_register(again, power_table, 1) == LSIM_ERR_RUN, "duplicate registration");
        static const lsim_param_def bad_default[] = {{"x", "y", LSIM_PARAM_REAL, "m", NULL, 5.0, 0.0, 1.0, NULL, NULL,
                                                      "d", "design choice: test"}};
        LSIM_CHECK(lsim_params_register(again, bad_default, 1) == LSIM_ERR_RUN, "default outside range");
        static const lsim_param_def bad_unit[] = {{"x", "y", LSIM_PARAM_REAL, "furlong", NULL, 0.5, 0.0, 1.0, NULL,
                                                   NULL, "d", "design choice: test"}};
        LSIM_CHECK(lsim_params_register(again, bad_unit, 1) == LSIM_ERR_RUN, "bad unit");
        static const lsim_param_def no_unit[] = {{"x", "y", LSIM_PARAM_REAL, NULL, NULL, 0.5, 0.0, 1.0, NULL, NULL,
                                                  "d", "design choice: test"}};
        LSIM_CHECK(lsim_params_register(again, no_unit, 1) == LSIM_ERR_RUN, "a REAL row without a unit is refused");
        static const lsim_param_def bare_source[] = {{"x", "y", LSIM_PARAM_REAL, "m", NULL, 0.5, 0.0, 1.0, NULL, NULL,
                                                      "d", "design choice"}};
        LSIM_CHECK(lsim_params_register(again, bare_source, 1) == LSIM_ERR_RUN &&
                       strstr(lsim_last_error(), "x.y") != NULL,
                   "a bare 'design choice' source is refused: %s", lsim_last_error());
        LSIM_CHECK(lsim_params_count(again) == N_OF(launcher_table) + N_OF(power_table), "failed registers add none");
        lsim_params_free(again);
    }

    /* Round trip: the effective deck, with docs, loads back to identical bits. */
    LSIM_CHECK(lsim_param_set_text(params, "power", "array_area", "0.1 km2", "t") == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_param_set_text(params, "launcher", "payload_mass", "0.3 t", "t") == LSIM_OK, "0.3 t");
    LSIM_CHECK(lsim_param_set_text(params, "power", "label", "it's a \"test\"\\ # not a comment", "t") == LSIM_OK,
               "text");
    LSIM_CHECK(lsim_param_set_text(params, "power", "emissivity", "0.1", "t") == LSIM_OK, "emissivity");
    for (int with_docs = 0; with_docs <= 1; ++with_docs) {
        char *yaml = lsim_params_to_yaml(params, NULL, with_docs);
        lsim_params *fresh = make_params();
        lsim_status status = lsim_deck_load_string(fresh, yaml, strlen(yaml), "roundtrip.yaml");
        LSIM_CHECK(status == LSIM_OK, "round trip loads: %s\n%s", lsim_last_error(), yaml);
        LSIM_CHECK(lsim_params_hash(fresh) == lsim_params_hash(params), "round trip gives the same hash:\n%s", yaml);
        LSIM_CHECK(lsim_param_real(fresh, "launcher", "payload_mass") == lsim_param_real(params, "launcher",
                                                                                          "payload_mass"),
                   "0.3 t reloads to the same bits");
        LSIM_CHECK(strcmp(lsim_param_text(fresh, "power", "label"), lsim_param_text(params, "power", "label")) == 0,
                   "text reloads exactly: %s", lsim_param_text(fresh, "power", "label"));
        LSIM_CHECK(strstr(yaml, "launcher:\n") == yaml, "first registered section first:\n%s", yaml);
        LSIM_CHECK(strstr(yaml, "  exit_speed: 2500 m s-1\n") != NULL, "SI value with unit:\n%s", yaml);
        LSIM_CHECK(strstr(yaml, "  efficiency: 0.45\n") != NULL, "dimensionless has no unit:\n%s", yaml);
        LSIM_CHECK(strstr(yaml, "  storage: flywheel\n") != NULL, "choice plain:\n%s", yaml);
        if (with_docs)
            LSIM_CHECK(strstr(yaml, "  # speed at the muzzle [m s-1, range 1000..3000] (design choice: test table)\n") !=
                           NULL,
                       "doc comment:\n%s", yaml);
        if (!with_docs) LSIM_CHECK(strchr(yaml, '#') == strstr(yaml, "# not a comment"), "no comments:\n%s", yaml);
        free(yaml);
        lsim_params_free(fresh);
    }
    {
        char *only = lsim_params_to_yaml(params, "power", 0);
        LSIM_CHECK(strncmp(only, "power:\n", 7) == 0 && strstr(only, "launcher") == NULL, "only_section:\n%s", only);
        free(only);
    }

    /* Hash reacts to a change and to nothing else; clone and copy are deep. */
    uint64_t h0 = lsim_params_hash(params);
    lsim_params *copy = lsim_params_clone(params);
    LSIM_CHECK(lsim_params_hash(copy) == h0, "clone hashes the same");
    LSIM_CHECK(lsim_param_set_text(copy, "power", "label", "other", "t") == LSIM_OK, "set on clone");
    LSIM_CHECK(strcmp(lsim_param_text(params, "power", "label"), "other") != 0, "clone text is deep");
    LSIM_CHECK(lsim_params_hash(copy) != h0, "text change changes hash");
    lsim_params_copy_values(copy, params);
    LSIM_CHECK(lsim_params_hash(copy) == h0, "copy_values restores");
    LSIM_CHECK(lsim_param_set_real(copy, "launcher", "exit_speed", 2500.0000000000005, "t") == LSIM_OK, "ulp");
    LSIM_CHECK(lsim_params_hash(copy) != h0, "one-ulp change changes hash");
    lsim_params_free(copy);
    lsim_params_free(params);
    LSIM_TEST_MAIN_END();
}
