/* The parameter registry: definitions from the module tables, the effective
 * values in SI, and the checks that turn deck text into those values. */
#include "hash.h"
#include "params.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deck.h"
#include "units.h"

struct lsim_params {
    const lsim_param_def **defs;
    double *values;       /* REAL/INT/BOOL, SI */
    char **texts;         /* CHOICE/TEXT, owned */
    char **wheres;        /* "origin: section.key" of the value, or "section.key" for a default; owned */
    unsigned char *is_set;
    size_t count, capacity;
    long *slots;          /* open-addressing index over section.key; -1 empty */
    size_t slot_count;    /* power of two */
};

#define MAX_CHOICES 64
#define MESSAGE_SIZE 1024

static void *checked_realloc(void *ptr, size_t size) {
    void *grown = realloc(ptr, size ? size : 1);
    if (grown == NULL) {
        fprintf(stderr, "lunarsim: out of memory in the parameter registry\n");
        abort();
    }
    return grown;
}

static char *checked_strdup(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = checked_realloc(NULL, n);
    memcpy(copy, text, n);
    return copy;
}


static uint64_t name_hash(const char *section, const char *key) {
    uint64_t h = lsim_fnv1a64(LSIM_FNV1A64_OFFSET, section, strlen(section) + 1);
    return lsim_fnv1a64(h, key, strlen(key) + 1);
}

static void rebuild_index(lsim_params *params) {
    size_t wanted = 16;
    while (wanted < params->count * 2) wanted *= 2;
    params->slots = checked_realloc(params->slots, wanted * sizeof *params->slots);
    params->slot_count = wanted;
    for (size_t i = 0; i < wanted; ++i) params->slots[i] = -1;
    for (size_t i = 0; i < params->count; ++i) {
        size_t slot = (size_t)name_hash(params->defs[i]->section, params->defs[i]->key) & (wanted - 1);
        while (params->slots[slot] >= 0) slot = (slot + 1) & (wanted - 1);
        params->slots[slot] = (long)i;
    }
}

lsim_params *lsim_params_new(void) {
    lsim_params *params = checked_realloc(NULL, sizeof *params);
    memset(params, 0, sizeof *params);
    rebuild_index(params);
    return params;
}

void lsim_params_free(lsim_params *params) {
    if (params == NULL) return;
    for (size_t i = 0; i < params->count; ++i) {
        free(params->texts[i]);
        free(params->wheres[i]);
    }
    free(params->defs);
    free(params->values);
    free(params->texts);
    free(params->wheres);
    free(params->is_set);
    free(params->slots);
    free(params);
}

long lsim_params_find(const lsim_params *params, const char *section, const char *key) {
    if (params == NULL || section == NULL || key == NULL || params->count == 0) return -1;
    size_t mask = params->slot_count - 1;
    size_t slot = (size_t)name_hash(section, key) & mask;
    while (params->slots[slot] >= 0) {
        const lsim_param_def *def = params->defs[params->slots[slot]];
        if (strcmp(def->section, section) == 0 && strcmp(def->key, key) == 0) return params->slots[slot];
        slot = (slot + 1) & mask;
    }
    return -1;
}

size_t lsim_params_count(const lsim_params *params) { return params ? params->count : 0; }

const lsim_param_def *lsim_params_def(const lsim_params *params, size_t index) {
    if (params == NULL || index >= params->count) return NULL;
    return params->defs[index];
}

int lsim_params_has_section(const lsim_params *params, const char *section) {
    if (params == NULL || section == NULL) return 0;
    for (size_t i = 0; i < params->count; ++i)
        if (strcmp(params->defs[i]->section, section) == 0) return 1;
    return 0;
}

static int unit_is_dimensionless_text(const char *unit) {
    return unit == NULL || unit[0] == '\0' || strcmp(unit, "1") == 0;
}

/* Splits "a|b|c" into words held in `storage`. */
static size_t split_choices(const char *choices, char *storage, size_t storage_size, const char **words,
                            size_t max_words) {
    size_t n = 0;
    snprintf(storage, storage_size, "%s", choices ? choices : "");
    char *p = storage;
    while (*p != '\0' && n < max_words) {
        words[n++] = p;
        char *bar = strchr(p, '|');
        if (bar == NULL) break;
        *bar = '\0';
        p = bar + 1;
    }
    return n;
}

int lsim_choice_index(const char *choices, const char *word) {
    char storage[MESSAGE_SIZE];
    const char *words[MAX_CHOICES];
    size_t n = split_choices(choices, storage, sizeof storage, words, MAX_CHOICES);
    for (size_t i = 0; i < n; ++i)
        if (strcmp(words[i], word) == 0) return (int)i;
    return -1;
}

static lsim_status check_def(const lsim_param_def *def) {
    if (def->section == NULL || def->key == NULL || def->section[0] == '\0' || def->key[0] == '\0')
        return lsim_fail(LSIM_ERR_RUN, "parameter table: a row has no section or key");
    if (strchr(def->section, '.') || strchr(def->key, '.') || strchr(def->section, '=') || strchr(def->key, '='))
        return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: names may not contain '.' or '='", def->section,
                         def->key);
    /* A bare "design choice" hides the reason: the source must say why (params.h). */
    if (def->source && strcmp(def->source, "design choice") == 0)
        return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: source 'design choice' needs its reason "
                                       "('design choice: why')", def->section, def->key);
    if (def->doc == NULL || def->doc[0] == '\0' || def->source == NULL || def->source[0] == '\0')
        return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s needs a one-line doc and a source", def->section,
                         def->key);
    switch (def->type) {
    case LSIM_PARAM_REAL: {
        double scale;
        lsim_dimension dim, deck_dim;
        /* A quantity states its unit, "1" when dimensionless: a missing one is an oversight, not a unit. */
        if (def->unit == NULL)
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: a REAL parameter needs a unit ('1' if none)",
                             def->section, def->key);
        if (lsim_unit_parse(def->unit, &scale, &dim) != LSIM_OK)
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: unit '%s' does not parse", def->section,
                             def->key, def->unit ? def->unit : "");
        if (def->deck_unit && (lsim_unit_parse(def->deck_unit, &scale, &deck_dim) != LSIM_OK ||
                               !lsim_dimension_equal(dim, deck_dim)))
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: deck_unit '%s' does not match unit '%s'",
                             def->section, def->key, def->deck_unit, def->unit ? def->unit : "");
    } /* fall through */
    case LSIM_PARAM_INT:
        if (!(def->min_value <= def->max_value) || !isfinite(def->default_value) ||
            def->default_value < def->min_value || def->default_value > def->max_value)
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: default %g is outside [%g, %g]", def->section,
                             def->key, def->default_value, def->min_value, def->max_value);
        if (def->type == LSIM_PARAM_INT && def->default_value != floor(def->default_value))
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: integer default %g is not whole",
                             def->section, def->key, def->default_value);
        break;
    case LSIM_PARAM_BOOL:
        if (def->default_value != 0.0 && def->default_value != 1.0)
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: boolean default must be 0 or 1", def->section,
                             def->key);
        break;
    case LSIM_PARAM_CHOICE:
        if (def->choices == NULL || def->default_text == NULL || lsim_choice_index(def->choices, def->default_text) < 0)
            return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: default '%s' is not one of '%s'", def->section,
                             def->key, def->default_text ? def->default_text : "(null)",
                             def->choices ? def->choices : "(null)");
        break;
    case LSIM_PARAM_TEXT:
        break;
    default:
        return lsim_fail(LSIM_ERR_RUN, "parameter table: %s.%s: unknown type %d", def->section, def->key,
                         (int)def->type);
    }
    return LSIM_OK;
}

/* Remembers where a value came from, so that checks made after loading (the
 * clock's epoch, data files) point at the deck line as the loader does. */
static void set_where(lsim_params *params, size_t index, const char *origin) {
    const lsim_param_def *def = params->defs[index];
    int located = origin != NULL && origin[0] != '\0';
    size_t size = (located ? strlen(origin) + 2 : 0) + strlen(def->section) + strlen(def->key) + 2;
    char *where = checked_realloc(NULL, size);
    snprintf(where, size, "%s%s%s.%s", located ? origin : "", located ? ": " : "", def->section, def->key);
    free(params->wheres[index]);
    params->wheres[index] = where;
}

lsim_status lsim_params_register(lsim_params *params, const lsim_param_def *defs, size_t count) {
    if (params == NULL || (defs == NULL && count > 0))
        return lsim_fail(LSIM_ERR_RUN, "lsim_params_register: null argument");
    /* Validate everything first so a bad table leaves the registry untouched. */
    for (size_t i = 0; i < count; ++i) {
        lsim_status status = check_def(&defs[i]);
        if (status != LSIM_OK) return status;
        if (lsim_params_find(params, defs[i].section, defs[i].key) >= 0)
            return lsim_fail(LSIM_ERR_RUN, "parameter %s.%s is registered twice", defs[i].section, defs[i].key);
        for (size_t j = 0; j < i; ++j)
            if (strcmp(defs[i].section, defs[j].section) == 0 && strcmp(defs[i].key, defs[j].key) == 0)
                return lsim_fail(LSIM_ERR_RUN, "parameter %s.%s appears twice in one table", defs[i].section,
                                 defs[i].key);
    }
    if (params->count + count > params->capacity) {
        size_t capacity = params->capacity ? params->capacity : 32;
        while (capacity < params->count + count) capacity *= 2;
        params->defs = checked_realloc(params->defs, capacity * sizeof *params->defs);
        params->values = checked_realloc(params->values, capacity * sizeof *params->values);
        params->texts = checked_realloc(params->texts, capacity * sizeof *params->texts);
        params->wheres = checked_realloc(params->wheres, capacity * sizeof *params->wheres);
        params->is_set = checked_realloc(params->is_set, capacity * sizeof *params->is_set);
        params->capacity = capacity;
    }
    for (size_t i = 0; i < count; ++i) {
        size_t at = params->count + i;
        const lsim_param_def *def = &defs[i];
        params->defs[at] = def;
        params->values[at] = def->default_value;
        params->texts[at] = NULL;
        if (def->type == LSIM_PARAM_CHOICE || def->type == LSIM_PARAM_TEXT)
            params->texts[at] = checked_strdup(def->default_text ? def->default_text : "");
        params->wheres[at] = NULL;
        set_where(params, at, NULL);
        params->is_set[at] = 0;
    }
    params->count += count;
    rebuild_index(params);
    return LSIM_OK;
}

/* ---- typed getters: misuse is a programming error ---- */

static size_t require(const lsim_params *params, const char *section, const char *key, const char *getter,
                      lsim_param_type type, lsim_param_type other_type) {
    long index = lsim_params_find(params, section, key);
    LSIM_ASSERT(!(index < 0), "%s: parameter '%s.%s' is not registered", getter,
                section ? section : "(null)", key ? key : "(null)");
    lsim_param_type actual = params->defs[index]->type;
    LSIM_ASSERT(!(actual != type && actual != other_type), "%s: parameter '%s.%s' has another type (%d)", getter,
                section, key, (int)actual);
    return (size_t)index;
}

double lsim_param_real(const lsim_params *params, const char *section, const char *key) {
    return params->values[require(params, section, key, "lsim_param_real", LSIM_PARAM_REAL, LSIM_PARAM_REAL)];
}

long lsim_param_int(const lsim_params *params, const char *section, const char *key) {
    return (long)params->values[require(params, section, key, "lsim_param_int", LSIM_PARAM_INT, LSIM_PARAM_INT)];
}

int lsim_param_bool(const lsim_params *params, const char *section, const char *key) {
    return params->values[require(params, section, key, "lsim_param_bool", LSIM_PARAM_BOOL, LSIM_PARAM_BOOL)] !=
           0.0;
}

const char *lsim_param_text(const lsim_params *params, const char *section, const char *key) {
    return params->texts[require(params, section, key, "lsim_param_text", LSIM_PARAM_CHOICE, LSIM_PARAM_TEXT)];
}

const char *lsim_param_where(const lsim_params *params, const char *section, const char *key) {
    long index = lsim_params_find(params, section, key);
    LSIM_ASSERT(!(index < 0), "lsim_param_where: parameter '%s.%s' is not registered", section ? section : "(null)",
                key ? key : "(null)");
    return params->wheres[index];
}

int lsim_param_is_set(const lsim_params *params, size_t index) {
    return params && index < params->count ? params->is_set[index] : 0;
}

/* ---- setting values ---- */

/* Formats the origin prefix "origin: section.key: " (origin may be NULL). */
static void prefix_of(char *buf, size_t size, const char *origin, const lsim_param_def *def) {
    if (origin && origin[0]) snprintf(buf, size, "%s: %s.%s: ", origin, def->section, def->key);
    else snprintf(buf, size, "%s.%s: ", def->section, def->key);
}

/* The shortest of %.15g..%.17g that reads back to the same bits. */
static void format_exact(double value, char *buf, size_t size) {
    for (int digits = 15; digits <= 17; ++digits) {
        snprintf(buf, size, "%.*g", digits, value);
        if (strtod(buf, NULL) == value) return;
    }
}

static const char *display_unit(const lsim_param_def *def) {
    return unit_is_dimensionless_text(def->unit) ? "" : def->unit;
}

/* "[min, max] unit" for messages */
static void format_range(const lsim_param_def *def, char *buf, size_t size) {
    const char *unit = def->type == LSIM_PARAM_REAL ? display_unit(def) : "";
    snprintf(buf, size, "[%g, %g]%s%s", def->min_value, def->max_value, unit[0] ? " " : "", unit);
}

/* An example of valid input: the default in the unit a user would write it in. */
static void format_example(const lsim_param_def *def, char *buf, size_t size) {
    switch (def->type) {
    case LSIM_PARAM_REAL: {
        const char *unit = def->deck_unit ? def->deck_unit : def->unit;
        double scale = 1.0;
        lsim_dimension dim;
        if (unit == NULL || lsim_unit_parse(unit, &scale, &dim) != LSIM_OK) scale = 1.0;
        if (unit_is_dimensionless_text(unit)) snprintf(buf, size, "%g", def->default_value / scale);
        else snprintf(buf, size, "%g %s", def->default_value / scale, unit);
        break;
    }
    case LSIM_PARAM_INT: snprintf(buf, size, "%.0f", def->default_value); break;
    case LSIM_PARAM_BOOL: snprintf(buf, size, "%s", def->default_value != 0.0 ? "true" : "false"); break;
    default: snprintf(buf, size, "%s", def->default_text ? def->default_text : ""); break;
    }
}

static int is_bare_number(const char *text) {
    char *end = NULL;
    strtod(text, &end);
    if (end == text) return 0;
    while (isspace((unsigned char)*end)) ++end;
    return *end == '\0';
}

/* `given_in_si`: the given text is already the SI value, so no "(... SI)" echo. */
static lsim_status check_range(const lsim_param_def *def, double value, const char *given_text, int given_in_si,
                               const char *prefix) {
    if (!isfinite(value)) return lsim_fail(LSIM_ERR_INPUT, "%s%s is not a finite number", prefix, given_text);
    if (value >= def->min_value && value <= def->max_value) return LSIM_OK;
    char range[128], si[64] = "";
    format_range(def, range, sizeof range);
    const char *unit = def->type == LSIM_PARAM_REAL ? display_unit(def) : "";
    if (given_in_si) si[0] = '\0';
    else if (unit[0]) snprintf(si, sizeof si, " (%g %s)", value, unit);
    else if (!is_bare_number(given_text)) snprintf(si, sizeof si, " (%g)", value);
    return lsim_fail(LSIM_ERR_INPUT, "%s%s%s is outside the allowed range %s", prefix, given_text, si, range);
}

static lsim_status unknown_parameter(const lsim_params *params, const char *section, const char *key,
                                     const char *origin) {
    char full[256];
    snprintf(full, sizeof full, "%s.%s", section ? section : "", key ? key : "");
    /* Hint over every "section.key" so a typo in either half is caught. */
    size_t n = params->count;
    char **names = checked_realloc(NULL, (n ? n : 1) * sizeof *names);
    for (size_t i = 0; i < n; ++i) {
        size_t len = strlen(params->defs[i]->section) + strlen(params->defs[i]->key) + 2;
        names[i] = checked_realloc(NULL, len);
        snprintf(names[i], len, "%s.%s", params->defs[i]->section, params->defs[i]->key);
    }
    const char *hint = lsim_suggest(full, (const char *const *)names, n);
    char hint_text[300] = "";
    if (hint) snprintf(hint_text, sizeof hint_text, "; did you mean '%s'?", hint);
    lsim_status status = lsim_fail(LSIM_ERR_INPUT, "%s%sunknown parameter '%s'%s", origin ? origin : "",
                                   origin && origin[0] ? ": " : "", full, hint_text);
    for (size_t i = 0; i < n; ++i) free(names[i]);
    free(names);
    return status;
}

static lsim_status set_real_text(lsim_params *params, size_t index, const char *text, const char *prefix) {
    const lsim_param_def *def = params->defs[index];
    double value = 0.0;
    lsim_dimension given;
    if (lsim_quantity_parse(text, &value, &given) != LSIM_OK) {
        char inner[MESSAGE_SIZE];
        snprintf(inner, sizeof inner, "%s", lsim_last_error());
        char example[128];
        format_example(def, example, sizeof example);
        return lsim_fail(LSIM_ERR_INPUT, "%s%s (expected e.g. '%s')", prefix, inner, example);
    }
    double scale;
    lsim_dimension expected;
    lsim_unit_parse(def->unit, &scale, &expected); /* validated at registration */
    if (!lsim_dimension_equal(given, expected)) {
        char example[128];
        format_example(def, example, sizeof example);
        if (lsim_dimension_is_none(given) && is_bare_number(text))
            return lsim_fail(LSIM_ERR_INPUT, "%s'%s' needs a unit, e.g. '%s'", prefix, text, example);
        char given_dim[64], expected_dim[64];
        lsim_dimension_format(given, given_dim, sizeof given_dim);
        lsim_dimension_format(expected, expected_dim, sizeof expected_dim);
        return lsim_fail(LSIM_ERR_INPUT, "%s'%s' has dimension %s, expected %s (e.g. '%s')", prefix, text, given_dim,
                         expected_dim, example);
    }
    lsim_status status = check_range(def, value, text, 0, prefix);
    if (status != LSIM_OK) return status;
    params->values[index] = value;
    return LSIM_OK;
}

static lsim_status set_int_text(lsim_params *params, size_t index, const char *text, const char *prefix) {
    const lsim_param_def *def = params->defs[index];
    const char *p = text;
    while (isspace((unsigned char)*p)) ++p;
    char *end = NULL;
    double value = strtod(p, &end);
    int ok = end != p && (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])));
    if (ok) {
        while (isspace((unsigned char)*end)) ++end;
        ok = *end == '\0' && isfinite(value) && value == floor(value) && fabs(value) <= 9007199254740992.0;
    }
    if (!ok) {
        char range[128];
        format_range(def, range, sizeof range);
        return lsim_fail(LSIM_ERR_INPUT, "%s'%s' is not a whole number; expected an integer in %s", prefix, text,
                         range);
    }
    lsim_status status = check_range(def, value, text, 0, prefix);
    if (status != LSIM_OK) return status;
    params->values[index] = value;
    return LSIM_OK;
}

static int equals_ignore_case(const char *a, const char *b) {
    for (; *a && *b; ++a, ++b)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    return *a == *b;
}

static lsim_status set_bool_text(lsim_params *params, size_t index, const char *text, const char *prefix) {
    static const char *const truthy[] = {"true", "yes", "on"};
    static const char *const falsy[] = {"false", "no", "off"};
    for (int i = 0; i < 3; ++i) {
        if (equals_ignore_case(text, truthy[i])) {
            params->values[index] = 1.0;
            return LSIM_OK;
        }
        if (equals_ignore_case(text, falsy[i])) {
            params->values[index] = 0.0;
            return LSIM_OK;
        }
    }
    return lsim_fail(LSIM_ERR_INPUT, "%s'%s' is not a boolean; expected true or false (or yes/no, on/off)", prefix,
                     text);
}

static lsim_status set_choice_text(lsim_params *params, size_t index, const char *text, const char *prefix) {
    const lsim_param_def *def = params->defs[index];
    char storage[MESSAGE_SIZE];
    const char *words[MAX_CHOICES];
    size_t n = split_choices(def->choices, storage, sizeof storage, words, MAX_CHOICES);
    for (size_t i = 0; i < n; ++i) {
        if (strcmp(words[i], text) == 0) {
            free(params->texts[index]);
            params->texts[index] = checked_strdup(words[i]);
            return LSIM_OK;
        }
    }
    const char *hint = lsim_suggest(text, words, n);
    char hint_text[200] = "";
    if (hint) snprintf(hint_text, sizeof hint_text, "; did you mean '%s'?", hint);
    return lsim_fail(LSIM_ERR_INPUT, "%s'%s' is not one of %s%s", prefix, text, def->choices, hint_text);
}

/* Length of the UTF-8 sequence starting at `p` (a well-formed one: no
 * overlong form, no surrogate, at most U+10FFFF), or 0 if it is malformed. */
static size_t utf8_sequence_length(const unsigned char *p, uint32_t *code_point) {
    if (p[0] < 0x80) {
        *code_point = p[0];
        return 1;
    }
    size_t length;
    uint32_t value, lowest;
    if ((p[0] & 0xE0) == 0xC0) length = 2, value = p[0] & 0x1Fu, lowest = 0x80;
    else if ((p[0] & 0xF0) == 0xE0) length = 3, value = p[0] & 0x0Fu, lowest = 0x800;
    else if ((p[0] & 0xF8) == 0xF0) length = 4, value = p[0] & 0x07u, lowest = 0x10000;
    else return 0;
    for (size_t i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        value = value << 6 | (p[i] & 0x3Fu);
    }
    if (value < lowest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    *code_point = value;
    return length;
}

/* Free text is stored as given, but it must be UTF-8: the effective deck
 * (YAML) and the output's UTF-8 attributes cannot carry other bytes, and a
 * value that does not survive being written out would change on reload. */
static lsim_status set_free_text(lsim_params *params, size_t index, const char *text, const char *prefix) {
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t code_point;
        size_t length = utf8_sequence_length(p, &code_point);
        if (length == 0)
            return lsim_fail(LSIM_ERR_INPUT, "%sthe text is not valid UTF-8 (byte 0x%02x at offset %zu); expected "
                                             "UTF-8 text", prefix, *p, (size_t)(p - (const unsigned char *)text));
        p += length;
    }
    free(params->texts[index]);
    params->texts[index] = checked_strdup(text);
    return LSIM_OK;
}

lsim_status lsim_param_set_text(lsim_params *params, const char *section, const char *key, const char *value_text,
                                const char *origin) {
    long found = lsim_params_find(params, section, key);
    if (found < 0) return unknown_parameter(params, section, key, origin);
    size_t index = (size_t)found;
    const lsim_param_def *def = params->defs[index];
    char prefix[512];
    prefix_of(prefix, sizeof prefix, origin, def);
    const char *text = value_text ? value_text : "";
    lsim_status status;
    switch (def->type) {
    case LSIM_PARAM_REAL: status = set_real_text(params, index, text, prefix); break;
    case LSIM_PARAM_INT: status = set_int_text(params, index, text, prefix); break;
    case LSIM_PARAM_BOOL: status = set_bool_text(params, index, text, prefix); break;
    case LSIM_PARAM_CHOICE: status = set_choice_text(params, index, text, prefix); break;
    default: status = set_free_text(params, index, text, prefix); break;
    }
    if (status == LSIM_OK) {
        params->is_set[index] = 1;
        set_where(params, index, origin);
    }
    return status;
}

lsim_status lsim_param_set_real(lsim_params *params, const char *section, const char *key, double value_si,
                                const char *origin) {
    long found = lsim_params_find(params, section, key);
    if (found < 0) return unknown_parameter(params, section, key, origin);
    const lsim_param_def *def = params->defs[found];
    /* Sweeps set every member's values here: the message is built only when one is refused. */
    int numeric = def->type == LSIM_PARAM_REAL || def->type == LSIM_PARAM_INT;
    if (numeric && isfinite(value_si) && (def->type == LSIM_PARAM_REAL || value_si == floor(value_si)) &&
        value_si >= def->min_value && value_si <= def->max_value) {
        params->values[found] = value_si;
        params->is_set[found] = 1;
        set_where(params, (size_t)found, origin);
        return LSIM_OK;
    }
    char prefix[512];
    prefix_of(prefix, sizeof prefix, origin, def);
    char given[64];
    format_exact(value_si, given, sizeof given);
    if (def->type == LSIM_PARAM_REAL && display_unit(def)[0]) {
        size_t n = strlen(given);
        snprintf(given + n, sizeof given - n, " %s", def->unit);
    }
    if (def->type != LSIM_PARAM_REAL && def->type != LSIM_PARAM_INT)
        return lsim_fail(LSIM_ERR_INPUT, "%sis not a numeric parameter; cannot set it to %s", prefix, given);
    if (def->type == LSIM_PARAM_INT && isfinite(value_si) && value_si != floor(value_si))
        return lsim_fail(LSIM_ERR_INPUT, "%s%s is not a whole number", prefix, given);
    lsim_status status = check_range(def, value_si, given, 1, prefix);
    if (status != LSIM_OK) return status;
    params->values[found] = value_si;
    params->is_set[found] = 1;
    set_where(params, (size_t)found, origin);
    return LSIM_OK;
}

/* ---- the effective deck as YAML ---- */

typedef struct {
    char *text;
    size_t length, capacity;
} text_buffer;

/* The shortest decimal that reads back to exactly `value`: a range printed
 * rounded ("9.0072e+15") was refused when typed back. */
static void shortest_exact(double value, char *text, size_t size) {
    for (int digits = 6; digits <= 17; ++digits) {
        snprintf(text, size, "%.*g", digits, value);
        if (strtod(text, NULL) == value) return;
    }
}

static void append(text_buffer *buffer, const char *fmt, ...) LSIM_PRINTF(2, 3);
static void append(text_buffer *buffer, const char *fmt, ...) {
    for (;;) {
        va_list args;
        va_start(args, fmt);
        size_t room = buffer->capacity - buffer->length;
        int n = vsnprintf(buffer->text + buffer->length, room, fmt, args);
        va_end(args);
        if (n < 0) return;
        if ((size_t)n < room) {
            buffer->length += (size_t)n;
            return;
        }
        size_t capacity = buffer->capacity * 2;
        while (capacity - buffer->length <= (size_t)n) capacity *= 2;
        buffer->text = checked_realloc(buffer->text, capacity);
        buffer->capacity = capacity;
    }
}

static int is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A YAML plain scalar is safe only for simple ASCII words (tested without
 * the locale, which could call a Latin-1 byte a letter); anything else is
 * quoted so the deck loader reads back exactly the same text. */
static int needs_quotes(const char *text) {
    if (text[0] == '\0') return 1;
    static const char *const null_like[] = {"~", "null", "Null", "NULL"};
    for (int i = 0; i < 4; ++i)
        if (strcmp(text, null_like[i]) == 0) return 1;
    if (!is_ascii_alnum((unsigned char)text[0]) && text[0] != '_') return 1;
    for (const char *p = text; *p; ++p)
        if (!is_ascii_alnum((unsigned char)*p) && strchr("_-+./", *p) == NULL) return 1;
    return 0;
}

/* The double-quoted scalar escapes what YAML would not give back as it is:
 * line breaks (LF, CR, and NEL, LS, PS, which a reader folds into a space),
 * tabs, the characters YAML does not allow in a stream (C0 and C1 controls,
 * DEL, U+FEFF, U+FFFE, U+FFFF), the quote and the backslash. The rest is
 * copied as UTF-8. The text is valid UTF-8: set_free_text refuses other bytes. */
static void append_quoted(text_buffer *buffer, const char *text) {
    append(buffer, "\"");
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        uint32_t c;
        size_t length = utf8_sequence_length(p, &c);
        LSIM_ASSERT(length != 0, "effective deck: a text value holds malformed UTF-8 (byte 0x%02x)", *p);
        if (c == '"' || c == '\\') append(buffer, "\\%c", (char)c);
        else if (c == '\n') append(buffer, "\\n");
        else if (c == '\r') append(buffer, "\\r");
        else if (c == '\t') append(buffer, "\\t");
        else if (c == 0x85) append(buffer, "\\N");
        else if (c == 0x2028) append(buffer, "\\L");
        else if (c == 0x2029) append(buffer, "\\P");
        else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) append(buffer, "\\x%02x", (unsigned)c);
        else if (c == 0xFEFF || c == 0xFFFE || c == 0xFFFF) append(buffer, "\\u%04X", (unsigned)c);
        else append(buffer, "%.*s", (int)length, (const char *)p);
        p += length;
    }
    append(buffer, "\"");
}

static void append_scalar(text_buffer *buffer, const char *text) {
    if (needs_quotes(text)) append_quoted(buffer, text);
    else append(buffer, "%s", text);
}

char *lsim_yaml_quoted(const char *text) {
    text_buffer buffer = {checked_realloc(NULL, 64), 0, 64};
    buffer.text[0] = '\0';
    append_quoted(&buffer, text ? text : "");
    return buffer.text;
}

/* Docs are one line by contract; keep a stray newline from breaking the YAML. */
static void append_comment_text(text_buffer *buffer, const char *text) {
    for (const char *p = text; *p;) {
        size_t span = strcspn(p, "\n\r");
        if (span > 0) append(buffer, "%.*s", (int)span, p);
        p += span;
        if (*p) {
            append(buffer, " ");
            ++p;
        }
    }
}

/* The unit the YAML value is written in: as declared when it is SI (scale
 * exactly 1, so the value reloads to the same bits), otherwise base units. */
static void si_unit_text(const lsim_param_def *def, char *buf, size_t size) {
    double scale = 1.0;
    lsim_dimension dim;
    if (unit_is_dimensionless_text(def->unit)) {
        snprintf(buf, size, "1");
        return;
    }
    lsim_unit_parse(def->unit, &scale, &dim);
    if (scale == 1.0) snprintf(buf, size, "%s", def->unit);
    else lsim_dimension_format(dim, buf, size);
}

static void append_docs(text_buffer *buffer, const lsim_param_def *def) {
    append(buffer, "  # ");
    append_comment_text(buffer, def->doc);
    switch (def->type) {
    case LSIM_PARAM_REAL:
    {
        char unit[64];
        si_unit_text(def, unit, sizeof unit);
        char lo[32], hi[32];
        shortest_exact(def->min_value, lo, sizeof lo);
        shortest_exact(def->max_value, hi, sizeof hi);
        append(buffer, " [%s, range %s..%s]", unit, lo, hi);
        break;
    }
    case LSIM_PARAM_INT: {
        char lo[32], hi[32];
        shortest_exact(def->min_value, lo, sizeof lo);
        shortest_exact(def->max_value, hi, sizeof hi);
        append(buffer, " [integer, range %s..%s]", lo, hi);
        break;
    }
    case LSIM_PARAM_BOOL: append(buffer, " [true|false]"); break;
    case LSIM_PARAM_CHOICE:
        append(buffer, " [one of ");
        append_comment_text(buffer, def->choices);
        append(buffer, "]");
        break;
    default: append(buffer, " [text]"); break;
    }
    append(buffer, " (");
    append_comment_text(buffer, def->source);
    append(buffer, ")\n");
}

static void append_value(text_buffer *buffer, const lsim_params *params, size_t index) {
    const lsim_param_def *def = params->defs[index];
    char number[64];
    switch (def->type) {
    case LSIM_PARAM_REAL: {
        format_exact(params->values[index], number, sizeof number);
        if (unit_is_dimensionless_text(def->unit)) {
            append(buffer, "%s", number);
            break;
        }
        char unit[64];
        si_unit_text(def, unit, sizeof unit);
        append(buffer, "%s %s", number, unit);
        break;
    }
    case LSIM_PARAM_INT: append(buffer, "%.0f", params->values[index]); break;
    case LSIM_PARAM_BOOL: append(buffer, "%s", params->values[index] != 0.0 ? "true" : "false"); break;
    default: append_scalar(buffer, params->texts[index]); break;
    }
}

char *lsim_params_to_yaml(const lsim_params *params, const char *only_section, int with_docs) {
    text_buffer buffer = {checked_realloc(NULL, 1024), 0, 1024};
    buffer.text[0] = '\0';
    if (params == NULL) return buffer.text;
    for (size_t i = 0; i < params->count; ++i) {
        const char *section = params->defs[i]->section;
        if (only_section && strcmp(section, only_section) != 0) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; ++j) seen = strcmp(params->defs[j]->section, section) == 0;
        if (seen) continue;
        append(&buffer, "%s:\n", section);
        for (size_t k = i; k < params->count; ++k) {
            const lsim_param_def *def = params->defs[k];
            if (strcmp(def->section, section) != 0) continue;
            if (with_docs) append_docs(&buffer, def);
            append(&buffer, "  %s: ", def->key);
            append_value(&buffer, params, k);
            append(&buffer, "\n");
        }
    }
    return buffer.text;
}

uint64_t lsim_params_hash(const lsim_params *params) {
    uint64_t hash = LSIM_FNV1A64_OFFSET;
    if (params == NULL) return hash;
    for (size_t i = 0; i < params->count; ++i) {
        const lsim_param_def *def = params->defs[i];
        hash = lsim_fnv1a64(hash, def->section, strlen(def->section) + 1);
        hash = lsim_fnv1a64(hash, def->key, strlen(def->key) + 1);
        if (def->type == LSIM_PARAM_CHOICE || def->type == LSIM_PARAM_TEXT) {
            hash = lsim_fnv1a64(hash, params->texts[i], strlen(params->texts[i]) + 1);
        } else {
            double value = params->values[i];
            if (value == 0.0) value = 0.0; /* -0 and +0 are the same input */
            uint64_t bits;
            memcpy(&bits, &value, sizeof bits);
            hash = lsim_fnv1a64(hash, &bits, sizeof bits);
        }
    }
    return hash;
}

void lsim_params_copy_values(lsim_params *dst, const lsim_params *src) {
    if (dst == src) return;
    LSIM_ASSERT(dst->count == src->count, "lsim_params_copy_values: registries hold different tables");
    for (size_t i = 0; i < src->count; ++i) {
        LSIM_ASSERT(!(dst->defs[i] != src->defs[i]), "lsim_params_copy_values: %s.%s is not the same table row",
                    src->defs[i]->section, src->defs[i]->key);
        dst->values[i] = src->values[i];
        dst->is_set[i] = src->is_set[i];
        free(dst->texts[i]);
        dst->texts[i] = src->texts[i] ? checked_strdup(src->texts[i]) : NULL;
        free(dst->wheres[i]);
        dst->wheres[i] = checked_strdup(src->wheres[i]);
    }
}

lsim_params *lsim_params_clone(const lsim_params *src) {
    lsim_params *copy = lsim_params_new();
    if (src == NULL || src->count == 0) return copy;
    size_t n = src->count;
    copy->defs = checked_realloc(NULL, n * sizeof *copy->defs);
    copy->values = checked_realloc(NULL, n * sizeof *copy->values);
    copy->texts = checked_realloc(NULL, n * sizeof *copy->texts);
    copy->wheres = checked_realloc(NULL, n * sizeof *copy->wheres);
    copy->is_set = checked_realloc(NULL, n * sizeof *copy->is_set);
    copy->capacity = n;
    copy->count = n;
    memcpy(copy->defs, src->defs, n * sizeof *copy->defs);
    for (size_t i = 0; i < n; ++i) copy->texts[i] = copy->wheres[i] = NULL;
    rebuild_index(copy);
    lsim_params_copy_values(copy, src);
    return copy;
}

lsim_status lsim_choice_word(const char *choices, size_t index, char *word, size_t size) {
    char storage[MESSAGE_SIZE];
    const char *words[MAX_CHOICES];
    size_t n = split_choices(choices, storage, sizeof storage, words, MAX_CHOICES);
    if (index >= n) return lsim_fail(LSIM_ERR_RUN, "choice %zu of '%s' does not exist", index, choices ? choices : "");
    snprintf(word, size, "%s", words[index]);
    return LSIM_OK;
}
