/* YAML decks and --set overrides: good decks apply, and every kind of bad
 * deck gives one line that starts with file:line:column and names the key. */
#include <stdarg.h>
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
    {"power", "label", LSIM_PARAM_TEXT, NULL, NULL, 0.0, 0.0, 0.0, NULL, "base", "free label",
     "design choice: test table"},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static lsim_params *make_params(void) {
    lsim_params *params = lsim_params_new();
    LSIM_CHECK(lsim_params_register(params, launcher_table, N_OF(launcher_table)) == LSIM_OK, "%s",
               lsim_last_error());
    LSIM_CHECK(lsim_params_register(params, power_table, N_OF(power_table)) == LSIM_OK, "%s", lsim_last_error());
    return params;
}

/* Loads `text` as deck `name`; it must fail with LSIM_ERR_INPUT, leave the
 * values untouched, and the message must start with `prefix` and contain
 * each of the NULL-terminated fragments. */
static void check_bad_deck(const char *name, const char *text, const char *prefix, ...) {
    lsim_params *params = make_params();
    uint64_t before = lsim_params_hash(params);
    lsim_clear_error();
    lsim_status status = lsim_deck_load_string(params, text, strlen(text), name);
    const char *message = lsim_last_error();
    LSIM_CHECK(status == LSIM_ERR_INPUT, "%s should be rejected (status %d)", name, (int)status);
    LSIM_CHECK(strncmp(message, prefix, strlen(prefix)) == 0, "%s: message should start with '%s': %s", name, prefix,
               message);
    LSIM_CHECK(strchr(message, '\n') == NULL, "%s: one line: %s", name, message);
    va_list fragments;
    va_start(fragments, prefix);
    for (const char *fragment = va_arg(fragments, const char *); fragment; fragment = va_arg(fragments, const char *))
        LSIM_CHECK(strstr(message, fragment) != NULL, "%s: message should mention '%s': %s", name, fragment, message);
    va_end(fragments);
    LSIM_CHECK(lsim_params_hash(params) == before, "%s: a rejected deck changes nothing", name);
    printf("  %-12s -> %s\n", name, message);
    lsim_params_free(params);
}

static void check_bad_set(const char *assignment, const char *fragment) {
    lsim_params *params = make_params();
    uint64_t before = lsim_params_hash(params);
    lsim_status status = lsim_deck_apply_override(params, assignment);
    const char *message = lsim_last_error();
    char prefix[256];
    snprintf(prefix, sizeof prefix, "--set %s: ", assignment);
    LSIM_CHECK(status == LSIM_ERR_INPUT, "--set %s should be rejected", assignment);
    LSIM_CHECK(strncmp(message, prefix, strlen(prefix)) == 0, "starts with '%s': %s", prefix, message);
    LSIM_CHECK(strstr(message, fragment) != NULL, "mentions '%s': %s", fragment, message);
    LSIM_CHECK(lsim_params_hash(params) == before, "rejected --set changes nothing");
    printf("  --set        -> %s\n", message);
    lsim_params_free(params);
}

int main(void) {
    /* A good deck, with comments, quoting and YAML's flow of spellings. */
    {
        lsim_params *params = make_params();
        const char *deck = "# a test deck\n"
                           "launcher:\n"
                           "  exit_speed: 2.5 km/s   # muzzle\n"
                           "  payload_mass: 0.15 t\n"
                           "  coil_count: 400\n"
                           "  cooled: no\n"
                           "  storage: flywheel\n"
                           "power:\n"
                           "  array_area: \"0.2 km2\"\n"
                           "  label: 'lunar: base # 1'\n";
        LSIM_CHECK(lsim_deck_load_string(params, deck, strlen(deck), "good.yaml") == LSIM_OK, "%s",
                   lsim_last_error());
        LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "exit_speed"), 2500.0, 1e-15, 0.0, "2.5 km/s");
        LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "payload_mass"), 150.0, 1e-15, 0.0, "0.15 t = 150 kg");
        LSIM_CHECK(lsim_param_int(params, "launcher", "coil_count") == 400, "int");
        LSIM_CHECK(lsim_param_bool(params, "launcher", "cooled") == 0, "bool");
        LSIM_CHECK(strcmp(lsim_param_text(params, "launcher", "storage"), "flywheel") == 0, "choice");
        LSIM_CHECK_CLOSE(lsim_param_real(params, "power", "array_area"), 2e5, 1e-15, 0.0, "0.2 km2 = 2e5 m2");
        LSIM_CHECK(strcmp(lsim_param_text(params, "power", "label"), "lunar: base # 1") == 0, "text: %s",
                   lsim_param_text(params, "power", "label"));
        LSIM_CHECK(lsim_param_is_set(params, 0), "a deck value counts as set");

        /* --set overrides after the deck; "=" inside the value is kept. */
        LSIM_CHECK(lsim_deck_apply_override(params, "launcher.exit_speed=2.9 km/s") == LSIM_OK, "%s",
                   lsim_last_error());
        LSIM_CHECK_CLOSE(lsim_param_real(params, "launcher", "exit_speed"), 2900.0, 1e-15, 0.0, "override");
        LSIM_CHECK(lsim_deck_apply_override(params, "power.label=a=b") == LSIM_OK, "%s", lsim_last_error());
        LSIM_CHECK(strcmp(lsim_param_text(params, "power", "label"), "a=b") == 0, "value keeps '='");
        LSIM_CHECK(lsim_deck_apply_override(params, " launcher.storage = battery ") == LSIM_OK, "spaces trimmed");
        LSIM_CHECK(strcmp(lsim_param_text(params, "launcher", "storage"), "battery") == 0, "override choice");

        /* An empty section (all keys commented out) is allowed. */
        const char *sparse = "launcher:\n  # exit_speed: 2 km/s\npower:\n  array_area: 1 m2\n";
        LSIM_CHECK(lsim_deck_load_string(params, sparse, strlen(sparse), "sparse.yaml") == LSIM_OK, "%s",
                   lsim_last_error());
        lsim_params_free(params);
    }

    /* A deck on disk. */
    {
        const char *path = LSIM_INPUT_TEST_DIR "/input_deck_on_disk.yaml";
        FILE *file = fopen(path, "w");
        LSIM_CHECK(file != NULL, "can write %s", path);
        if (file) {
            fputs("launcher:\n  coil_count: 17\n", file);
            fclose(file);
            lsim_params *params = make_params();
            LSIM_CHECK(lsim_deck_load_file(params, path) == LSIM_OK, "%s", lsim_last_error());
            LSIM_CHECK(lsim_param_int(params, "launcher", "coil_count") == 17, "file deck applied");
            lsim_params_free(params);
            remove(path);
        }
        lsim_params *params = make_params();
        LSIM_CHECK(lsim_deck_load_file(params, "/nonexistent/missing.yaml") == LSIM_ERR_INPUT, "missing file");
        LSIM_CHECK(strcmp(lsim_last_error(), "cannot open deck '/nonexistent/missing.yaml': No such file or directory") ==
                       0,
                   "missing file message: %s", lsim_last_error());
        printf("  %-12s -> %s\n", "missing", lsim_last_error());
        lsim_params_free(params);
    }

    printf("messages:\n");
    check_bad_deck("syntax.yaml", "launcher:\n  exit_speed: 2 km/s\n   coil_count: 5\n", "syntax.yaml:3:",
                   "YAML syntax error", NULL);
    check_bad_deck("flow.yaml", "launcher:\n  exit_speed: [2, 3\n", "flow.yaml:", "YAML syntax error", NULL);
    check_bad_deck("tab.yaml", "launcher:\n\tcoil_count: 5\n", "tab.yaml:2:", "YAML syntax error", NULL);
    check_bad_deck("section.yaml", "launchr:\n  exit_speed: 2 km/s\n", "section.yaml:1:1: ",
                   "unknown section 'launchr'", "did you mean 'launcher'?", NULL);
    check_bad_deck("section2.yaml", "zzz:\n  a: 1\n", "section2.yaml:1:1: ", "unknown section 'zzz'",
                   "expected one of: launcher, power", NULL);
    check_bad_deck("key.yaml", "launcher:\n  exit_sped: 2 km/s\n", "key.yaml:2:3: ", "launcher.exit_sped",
                   "unknown key 'exit_sped'", "did you mean 'exit_speed'?", NULL);
    check_bad_deck("seq.yaml", "launcher:\n  exit_speed: [2, 3]\n", "seq.yaml:2:15: ", "launcher.exit_speed",
                   "wrong type", "sequence", NULL);
    check_bad_deck("map.yaml", "launcher:\n  exit_speed:\n    value: 2\n", "map.yaml:3:5: ", "launcher.exit_speed",
                   "wrong type", "mapping", NULL);
    check_bad_deck("range.yaml", "launcher:\n  exit_speed: 9 km/s\n", "range.yaml:2:15: ", "launcher.exit_speed",
                   "9 km/s (9000 m s-1) is outside the allowed range [1000, 3000] m s-1", NULL);
    check_bad_deck("dim.yaml", "launcher:\n  payload_mass: 2.4 km/s\n", "dim.yaml:2:17: ", "launcher.payload_mass",
                   "'2.4 km/s' has dimension m s-1, expected kg", NULL);
    check_bad_deck("nounit.yaml", "launcher:\n  exit_speed: 2400\n", "nounit.yaml:2:15: ", "launcher.exit_speed",
                   "'2400' needs a unit, e.g. '2.4 km/s'", NULL);
    check_bad_deck("badunit.yaml", "launcher:\n  exit_speed: 5 kmh\n", "badunit.yaml:2:15: ", "launcher.exit_speed",
                   "unknown unit 'kmh' in '5 kmh'", NULL);
    check_bad_deck("dupkey.yaml", "launcher:\n  exit_speed: 2 km/s\n  coil_count: 4\n  exit_speed: 3 km/s\n",
                   "dupkey.yaml:4:3: ", "launcher.exit_speed", "duplicate key 'exit_speed' (first given at line 2)",
                   NULL);
    check_bad_deck("dupsec.yaml", "launcher:\n  coil_count: 4\npower:\n  array_area: 1 m2\nlauncher:\n  cooled: no\n",
                   "dupsec.yaml:5:1: ", "duplicate section 'launcher' (first given at line 1)", NULL);
    check_bad_deck("empty.yaml", "", "empty.yaml: the deck is empty; expected a mapping of sections", NULL);
    check_bad_deck("comment.yaml", "# nothing here\n\n", "comment.yaml: the deck is empty", NULL);
    check_bad_deck("list.yaml", "- launcher\n- power\n", "list.yaml:1:1: ", "must be a mapping of sections",
                   "sequence", NULL);
    check_bad_deck("scalar.yaml", "launcher\n", "scalar.yaml:1:1: ", "must be a mapping of sections", NULL);
    check_bad_deck("secval.yaml", "launcher: 5\n", "secval.yaml:1:11: ", "section 'launcher' must be a mapping",
                   NULL);
    check_bad_deck("choice.yaml", "launcher:\n  storage: flywhel\n", "choice.yaml:2:12: ", "launcher.storage",
                   "'flywhel' is not one of capacitor|flywheel|battery; did you mean 'flywheel'?", NULL);
    check_bad_deck("int.yaml", "launcher:\n  coil_count: 12.5\n", "int.yaml:2:15: ", "launcher.coil_count",
                   "'12.5' is not a whole number", NULL);
    check_bad_deck("bool.yaml", "launcher:\n  cooled: perhaps\n", "bool.yaml:2:11: ", "launcher.cooled",
                   "'perhaps' is not a boolean", NULL);
    check_bad_deck("null.yaml", "launcher:\n  exit_speed:\n  coil_count: 3\n", "null.yaml:2:3: ",
                   "launcher.exit_speed", "no value given", "2.4 km/s", NULL);
    /* The first key is fine, the second is not: nothing may be applied. */
    check_bad_deck("partial.yaml", "launcher:\n  coil_count: 9\n  cooled: 7\n", "partial.yaml:3:11: ",
                   "launcher.cooled", NULL);
    check_bad_deck("twodocs.yaml", "launcher:\n  coil_count: 9\n---\npower:\n  array_area: 1 m2\n",
                   "twodocs.yaml:4:1: ", "one YAML document", NULL);

    /* --set mistakes. */
    check_bad_set("launcher.exit_speed 2 km/s", "no '=' found");
    check_bad_set("exit_speed=2 km/s", "is not section.key");
    check_bad_set("launcher.exit_sped=2 km/s", "unknown key 'exit_sped' in section 'launcher'; did you mean 'exit_speed'?");
    check_bad_set("launchr.exit_speed=2 km/s", "unknown section 'launchr'; did you mean 'launcher'?");
    check_bad_set("launcher.exit_speed=9 km/s", "launcher.exit_speed: 9 km/s (9000 m s-1) is outside");
    check_bad_set("launcher.exit_speed=", "no value given");
    check_bad_set("launcher.exit_speed=2400", "needs a unit");

    /* Did-you-mean thresholds. */
    {
        const char *const names[] = {"power", "launcher", "regolith", "dt"};
        LSIM_CHECK(lsim_suggest("powr", names, 4) == names[0], "deletion");
        LSIM_CHECK(lsim_suggest("Power", names, 4) == names[0], "case");
        LSIM_CHECK(lsim_suggest("luancher", names, 4) == names[1], "transposition");
        LSIM_CHECK(lsim_suggest("regoltih", names, 4) == names[2], "transposition 2");
        LSIM_CHECK(lsim_suggest("x", names, 4) == NULL, "a one-letter word is nobody's typo");
        LSIM_CHECK(lsim_suggest("orbit", names, 4) == NULL, "unrelated word");
        LSIM_CHECK(lsim_suggest("regolith_site", names, 4) == NULL, "5 edits is too far for 13 letters");
        /* The search stops a candidate once every alignment is past the limit:
         * exactly at the limit (5 edits for 15 letters) must still be found,
         * one past it must not, and swaps must still count as one edit. */
        const char *const long_names[] = {"array_efficiency", "round_trip_efficiency"};
        LSIM_CHECK(lsim_suggest("arry_eficincy", long_names, 2) == long_names[0], "3 deletions in 13 letters");
        LSIM_CHECK(lsim_suggest("array_effXXXXcy", long_names, 2) == long_names[0], "5 edits for 15 letters");
        LSIM_CHECK(lsim_suggest("array_XXXXXXncy", long_names, 2) == NULL, "7 edits for 15 letters: too far");
        LSIM_CHECK(lsim_suggest("rondu_trip_efficeincy", long_names, 2) == long_names[1], "2 swaps, 1 deletion");
    }
    LSIM_TEST_MAIN_END();
}
