/* YAML decks and --set overrides. A deck is applied to a copy of the
 * registry and committed only when every line is valid, so a failed load
 * leaves the caller's values untouched. */
#define _POSIX_C_SOURCE 200809L /* fileno, strdup */
#include "deck.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "units.h"

#define ORIGIN_SIZE 512
#define MESSAGE_SIZE 1024

/* ---- did-you-mean ---- */

static size_t min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal-string-alignment distance (Levenshtein plus adjacent swaps),
 * ignoring case so "Power" finds "power". Past `limit` only "more than
 * limit" matters: once a whole row exceeds it every later row does (a row's
 * minimum never falls, and a swap adds 1 to the row before, whose minimum is
 * at most 1 below), so the work stops there and limit + 1 is returned. */
static size_t edit_distance(const char *a, const char *b, size_t limit) {
    size_t n = strlen(a), m = strlen(b);
    size_t *rows = malloc(3 * (m + 1) * sizeof *rows);
    if (rows == NULL) return (size_t)-1;
    size_t *two_back = rows, *previous = rows + (m + 1), *current = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; ++j) previous[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (size_t j = 1; j <= m; ++j) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t cost = ca == cb ? 0 : 1;
            current[j] = min3(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                two_back[j - 2] + 1 < current[j])
                current[j] = two_back[j - 2] + 1;
        }
        size_t *recycled = two_back;
        two_back = previous;
        previous = current;
        current = recycled;
        size_t row_minimum = previous[0];
        for (size_t j = 1; j <= m; ++j) row_minimum = previous[j] < row_minimum ? previous[j] : row_minimum;
        if (row_minimum > limit) {
            free(rows);
            return limit + 1;
        }
    }
    size_t distance = previous[m];
    free(rows);
    return distance;
}

const char *lsim_suggest(const char *word, const char *const *candidates, size_t count) {
    if (word == NULL || candidates == NULL) return NULL;
    size_t length = strlen(word);
    size_t limit = length / 3 > 2 ? length / 3 : 2;
    const char *best = NULL;
    size_t best_distance = (size_t)-1;
    for (size_t i = 0; i < count; ++i) {
        if (candidates[i] == NULL) continue;
        /* The distance is at least the difference in length: skipping those
         * keeps a long unknown name from costing length x length per candidate. */
        size_t candidate_length = strlen(candidates[i]);
        size_t length_gap = length > candidate_length ? length - candidate_length : candidate_length - length;
        if (length_gap > limit) continue;
        size_t distance = edit_distance(word, candidates[i], limit);
        /* Replacing every letter of a short word is not a typo. */
        if (distance > limit || distance >= length || distance >= strlen(candidates[i])) continue;
        if (distance < best_distance) {
            best = candidates[i];
            best_distance = distance;
        }
    }
    return best;
}

/* ---- name lists for hints ---- */

typedef struct {
    const char **names;
    size_t count;
} name_list;

static name_list section_names(const lsim_params *params) {
    size_t n = lsim_params_count(params);
    name_list list = {malloc((n ? n : 1) * sizeof(const char *)), 0};
    if (list.names == NULL) return list;
    for (size_t i = 0; i < n; ++i) {
        const char *section = lsim_params_def(params, i)->section;
        int seen = 0;
        for (size_t j = 0; j < list.count && !seen; ++j) seen = strcmp(list.names[j], section) == 0;
        if (!seen) list.names[list.count++] = section;
    }
    return list;
}

static name_list key_names(const lsim_params *params, const char *section) {
    size_t n = lsim_params_count(params);
    name_list list = {malloc((n ? n : 1) * sizeof(const char *)), 0};
    if (list.names == NULL) return list;
    for (size_t i = 0; i < n; ++i) {
        const lsim_param_def *def = lsim_params_def(params, i);
        if (strcmp(def->section, section) == 0) list.names[list.count++] = def->key;
    }
    return list;
}

/* "; did you mean 'x'?" or, without a close match, the list of valid names
 * (cut short if long) so the user never has to guess. */
static void hint_for(const char *word, name_list list, char *buf, size_t size) {
    buf[0] = '\0';
    if (list.names == NULL || list.count == 0) return;
    const char *best = lsim_suggest(word, list.names, list.count);
    if (best) {
        snprintf(buf, size, "; did you mean '%s'?", best);
        return;
    }
    size_t used = (size_t)snprintf(buf, size, "; expected one of: ");
    for (size_t i = 0; i < list.count && used < size; ++i) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", list.names[i]);
        if (n < 0 || used + (size_t)n >= size - 8) {
            snprintf(buf + used, size - used, ", ...");
            return;
        }
        used += (size_t)n;
    }
}

static lsim_status unknown_section(const lsim_params *params, const char *prefix, const char *section) {
    char hint[MESSAGE_SIZE / 2];
    name_list list = section_names(params);
    hint_for(section, list, hint, sizeof hint);
    free(list.names);
    return lsim_fail(LSIM_ERR_INPUT, "%sunknown section '%s'%s", prefix, section, hint);
}

static lsim_status unknown_key(const lsim_params *params, const char *prefix, const char *section, const char *key) {
    char hint[MESSAGE_SIZE / 2];
    name_list list = key_names(params, section);
    hint_for(key, list, hint, sizeof hint);
    free(list.names);
    return lsim_fail(LSIM_ERR_INPUT, "%s%s.%s: unknown key '%s' in section '%s'%s", prefix, section, key, key, section,
                     hint);
}

/* An example value for messages: the default as a user would write it. */
static void example_for(const lsim_param_def *def, char *buf, size_t size) {
    switch (def->type) {
    case LSIM_PARAM_REAL: {
        const char *unit = def->deck_unit ? def->deck_unit : def->unit;
        int dimensionless = unit == NULL || unit[0] == '\0' || strcmp(unit, "1") == 0;
        double scale = 1.0;
        /* Dividing by the unit's scale shows e.g. 2400 m/s as "2.4 km/s". */
        lsim_dimension dim;
        if (!dimensionless && lsim_unit_parse(unit, &scale, &dim) != LSIM_OK) scale = 1.0;
        if (dimensionless) snprintf(buf, size, "%g", def->default_value);
        else snprintf(buf, size, "%g %s", def->default_value / scale, unit);
        break;
    }
    case LSIM_PARAM_INT: snprintf(buf, size, "%.0f", def->default_value); break;
    case LSIM_PARAM_BOOL: snprintf(buf, size, "%s", def->default_value != 0.0 ? "true" : "false"); break;
    default: snprintf(buf, size, "%s", def->default_text ? def->default_text : ""); break;
    }
}

/* ---- YAML decks ---- */

static const char *node_kind(const yaml_node_t *node) {
    switch (node->type) {
    case YAML_SEQUENCE_NODE: return "a sequence";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "a single value";
    }
}

static int is_null_scalar(const yaml_node_t *node) {
    if (node->type != YAML_SCALAR_NODE) return 0;
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return 0;
    const char *v = (const char *)node->data.scalar.value;
    return v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

static unsigned long line_of(const yaml_node_t *node) { return (unsigned long)node->start_mark.line + 1; }
static unsigned long column_of(const yaml_node_t *node) { return (unsigned long)node->start_mark.column + 1; }

static void origin_of(char *buf, size_t size, const char *name, const yaml_node_t *node) {
    snprintf(buf, size, "%s:%lu:%lu", name, line_of(node), column_of(node));
}

static lsim_status syntax_error(const yaml_parser_t *parser, const char *name) {
    const char *problem = parser->problem ? parser->problem : "unreadable YAML";
    const yaml_mark_t *mark = &parser->problem_mark;
    if (parser->error == YAML_READER_ERROR)
        return lsim_fail(LSIM_ERR_INPUT, "%s: YAML syntax error: %s (at byte %lu)", name, problem,
                         (unsigned long)parser->problem_offset);
    if (parser->context)
        return lsim_fail(LSIM_ERR_INPUT, "%s:%lu:%lu: YAML syntax error: %s %s (started at line %lu)", name,
                         (unsigned long)mark->line + 1, (unsigned long)mark->column + 1, problem, parser->context,
                         (unsigned long)parser->context_mark.line + 1);
    return lsim_fail(LSIM_ERR_INPUT, "%s:%lu:%lu: YAML syntax error: %s", name, (unsigned long)mark->line + 1,
                     (unsigned long)mark->column + 1, problem);
}

static lsim_status apply_section(lsim_params *params, yaml_document_t *document, const char *name,
                                 const char *section, yaml_node_t *value) {
    char origin[ORIGIN_SIZE];
    if (is_null_scalar(value)) return LSIM_OK; /* "power:" with every key commented out */
    if (value->type != YAML_MAPPING_NODE) {
        origin_of(origin, sizeof origin, name, value);
        const char *shown = value->type == YAML_SCALAR_NODE ? (const char *)value->data.scalar.value : "";
        return lsim_fail(LSIM_ERR_INPUT, "%s: section '%s' must be a mapping of 'key: value' lines, not %s%s%s%s",
                         origin, section, node_kind(value), shown[0] ? " ('" : "", shown, shown[0] ? "')" : "");
    }
    yaml_node_pair_t *first = value->data.mapping.pairs.start;
    yaml_node_pair_t *end = value->data.mapping.pairs.top;
    for (yaml_node_pair_t *pair = first; pair < end; ++pair) {
        yaml_node_t *key_node = yaml_document_get_node(document, pair->key);
        yaml_node_t *value_node = yaml_document_get_node(document, pair->value);
        origin_of(origin, sizeof origin, name, key_node);
        if (key_node->type != YAML_SCALAR_NODE || is_null_scalar(key_node))
            return lsim_fail(LSIM_ERR_INPUT, "%s: section '%s': keys must be plain names, not %s", origin, section,
                             key_node->type == YAML_SCALAR_NODE ? "an empty key" : node_kind(key_node));
        const char *key = (const char *)key_node->data.scalar.value;
        for (yaml_node_pair_t *earlier = first; earlier < pair; ++earlier) {
            yaml_node_t *earlier_key = yaml_document_get_node(document, earlier->key);
            if (earlier_key->type == YAML_SCALAR_NODE &&
                strcmp((const char *)earlier_key->data.scalar.value, key) == 0)
                return lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s: duplicate key '%s' (first given at line %lu)", origin,
                                 section, key, key, line_of(earlier_key));
        }
        long index = lsim_params_find(params, section, key);
        char prefix[ORIGIN_SIZE + 2];
        snprintf(prefix, sizeof prefix, "%s: ", origin);
        if (index < 0) return unknown_key(params, prefix, section, key);
        const lsim_param_def *def = lsim_params_def(params, (size_t)index);
        char example[128] = "";
        origin_of(origin, sizeof origin, name, value_node);
        if (value_node->type != YAML_SCALAR_NODE || is_null_scalar(value_node))
            example_for(def, example, sizeof example); /* only messages show it */
        if (value_node->type != YAML_SCALAR_NODE)
            return lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s: wrong type: got %s, expected a single value like '%s'",
                             origin, section, key, node_kind(value_node), example);
        if (is_null_scalar(value_node)) {
            /* An empty value has no place of its own in the text: point at its key. */
            origin_of(origin, sizeof origin, name, key_node);
            return lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s: no value given; expected e.g. '%s' (or delete the line "
                             "to keep the default)",
                             origin, section, key, example);
        }
        /* A "\0" escape would cut the text short where C reads it: refuse it. */
        if (strlen((const char *)value_node->data.scalar.value) != value_node->data.scalar.length)
            return lsim_fail(LSIM_ERR_INPUT, "%s: %s.%s: the value holds a NUL character ('\\0'); expected text "
                                             "without it", origin, section, key);
        lsim_status status =
            lsim_param_set_text(params, section, key, (const char *)value_node->data.scalar.value, origin);
        if (status != LSIM_OK) return status;
    }
    return LSIM_OK;
}

static lsim_status apply_document(lsim_params *params, yaml_document_t *document, const char *name) {
    yaml_node_t *root = yaml_document_get_root_node(document);
    if (root == NULL || is_null_scalar(root))
        return lsim_fail(LSIM_ERR_INPUT, "%s: the deck is empty; expected a mapping of sections, e.g. 'power:'", name);
    if (root->type != YAML_MAPPING_NODE) {
        char origin[ORIGIN_SIZE];
        origin_of(origin, sizeof origin, name, root);
        return lsim_fail(LSIM_ERR_INPUT, "%s: the deck must be a mapping of sections (e.g. 'power:'), not %s", origin,
                         root->type == YAML_SEQUENCE_NODE ? "a sequence" : "a single value");
    }
    yaml_node_pair_t *first = root->data.mapping.pairs.start;
    yaml_node_pair_t *end = root->data.mapping.pairs.top;
    for (yaml_node_pair_t *pair = first; pair < end; ++pair) {
        yaml_node_t *key_node = yaml_document_get_node(document, pair->key);
        char origin[ORIGIN_SIZE];
        origin_of(origin, sizeof origin, name, key_node);
        if (key_node->type != YAML_SCALAR_NODE || is_null_scalar(key_node))
            return lsim_fail(LSIM_ERR_INPUT, "%s: section names must be plain names, not %s", origin,
                             key_node->type == YAML_SCALAR_NODE ? "an empty name" : node_kind(key_node));
        const char *section = (const char *)key_node->data.scalar.value;
        for (yaml_node_pair_t *earlier = first; earlier < pair; ++earlier) {
            yaml_node_t *earlier_key = yaml_document_get_node(document, earlier->key);
            if (earlier_key->type == YAML_SCALAR_NODE &&
                strcmp((const char *)earlier_key->data.scalar.value, section) == 0)
                return lsim_fail(LSIM_ERR_INPUT, "%s: duplicate section '%s' (first given at line %lu)", origin,
                                 section, line_of(earlier_key));
        }
        if (!lsim_params_has_section(params, section)) {
            char prefix[ORIGIN_SIZE + 2];
            snprintf(prefix, sizeof prefix, "%s: ", origin);
            return unknown_section(params, prefix, section);
        }
        lsim_status status =
            apply_section(params, document, name, section, yaml_document_get_node(document, pair->value));
        if (status != LSIM_OK) return status;
    }
    return LSIM_OK;
}

/* A deck is two levels deep (section, key: value). Loading a deeply nested
 * document into libyaml's tree costs time that grows fast with the depth
 * (320 KB of '[' took two minutes), so the events are scanned first and a
 * document nested deeper than any deck could be is refused at once. */
enum { LSIM_DECK_MAX_DEPTH = 16, LSIM_DECK_MAX_BYTES = 1 << 20 };

static lsim_status check_nesting(const char *text, size_t length, const char *name) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return lsim_fail(LSIM_ERR_RUN, "%s: cannot start the YAML parser", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);
    lsim_status status = LSIM_OK;
    int depth = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) break; /* the load reports the syntax error with its place */
        yaml_event_type_t type = event.type;
        if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            if (++depth > LSIM_DECK_MAX_DEPTH)
                status = lsim_fail(LSIM_ERR_INPUT, "%s:%lu:%lu: nested %d levels deep; a deck is 'section: key: "
                                                   "value', two levels", name,
                                   (unsigned long)event.start_mark.line + 1, (unsigned long)event.start_mark.column + 1,
                                   depth);
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            --depth;
        }
        yaml_event_delete(&event);
        if (status != LSIM_OK || type == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&parser);
    return status;
}

lsim_status lsim_deck_load_string(lsim_params *params, const char *text, size_t length, const char *name) {
    if (name == NULL) name = "(deck)";
    if (params == NULL || (text == NULL && length > 0))
        return lsim_fail(LSIM_ERR_RUN, "lsim_deck_load_string: null argument");
    lsim_status depth_status = check_nesting(text ? text : "", length, name);
    if (depth_status != LSIM_OK) return depth_status;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return lsim_fail(LSIM_ERR_RUN, "%s: cannot start the YAML parser", name);
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), length);

    yaml_document_t document;
    if (!yaml_parser_load(&parser, &document)) {
        lsim_status status = syntax_error(&parser, name);
        yaml_parser_delete(&parser);
        return status;
    }
    /* Work on a copy so a deck that fails half-way changes nothing. */
    lsim_params *scratch = lsim_params_clone(params);
    lsim_status status = apply_document(scratch, &document, name);
    yaml_document_delete(&document);

    if (status == LSIM_OK) {
        /* A second document ("---") would be silently ignored otherwise. */
        yaml_document_t extra;
        if (!yaml_parser_load(&parser, &extra)) {
            status = syntax_error(&parser, name);
        } else {
            yaml_node_t *root = yaml_document_get_root_node(&extra);
            if (root != NULL)
                status = lsim_fail(LSIM_ERR_INPUT, "%s:%lu:%lu: a deck holds one YAML document; found a second one",
                                   name, (unsigned long)root->start_mark.line + 1,
                                   (unsigned long)root->start_mark.column + 1);
            yaml_document_delete(&extra);
        }
    }
    if (status == LSIM_OK) lsim_params_copy_values(params, scratch);
    lsim_params_free(scratch);
    yaml_parser_delete(&parser);
    return status;
}

lsim_status lsim_deck_load_file(lsim_params *params, const char *path) {
    if (path == NULL) return lsim_fail(LSIM_ERR_INPUT, "no deck file given");
    FILE *file = fopen(path, "rb");
    if (file == NULL) return lsim_fail(LSIM_ERR_INPUT, "cannot open deck '%s': %s", path, strerror(errno));
    /* A deck is a small regular file: /dev/zero or a pipe would be read
     * without end, a huge file is not a deck. */
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        fclose(file);
        return lsim_fail(LSIM_ERR_INPUT, "deck '%s' is not a regular file; expected a YAML file", path);
    }
    if (info.st_size > LSIM_DECK_MAX_BYTES) {
        fclose(file);
        return lsim_fail(LSIM_ERR_INPUT, "deck '%s' is %lld bytes; a deck is at most %d bytes", path,
                         (long long)info.st_size, LSIM_DECK_MAX_BYTES);
    }
    return lsim_deck_load_stream(params, file, path);
}

lsim_status lsim_deck_load_stream(lsim_params *params, FILE *file, const char *path) {
    size_t capacity = 4096, length = 0;
    char *text = malloc(capacity);
    while (text != NULL) {
        size_t got = fread(text + length, 1, capacity - length, file);
        length += got;
        /* A pipe has no size to check first: stop once past the limit. */
        if (length > LSIM_DECK_MAX_BYTES) {
            free(text);
            if (file != stdin) fclose(file);
            return lsim_fail(LSIM_ERR_INPUT, "deck '%s' is more than %d bytes; a deck is at most that", path,
                             LSIM_DECK_MAX_BYTES);
        }
        if (length < capacity) break;
        char *grown = realloc(text, capacity * 2);
        if (grown == NULL) {
            free(text);
            text = NULL;
            break;
        }
        text = grown;
        capacity *= 2;
    }
    int read_error = ferror(file);
    int saved_errno = errno;
    if (file != stdin) fclose(file);
    if (text == NULL) return lsim_fail(LSIM_ERR_RUN, "cannot read deck '%s': out of memory", path);
    if (read_error) {
        free(text);
        return lsim_fail(LSIM_ERR_INPUT, "cannot read deck '%s': %s", path, strerror(saved_errno));
    }
    lsim_status status = lsim_deck_load_string(params, text, length, path);
    free(text);
    return status;
}

/* ---- --set section.key=value ---- */

static void trim(char *text) {
    size_t n = strlen(text);
    while (n > 0 && isspace((unsigned char)text[n - 1])) text[--n] = '\0';
    size_t start = 0;
    while (isspace((unsigned char)text[start])) ++start;
    memmove(text, text + start, n - start + 1);
}

lsim_status lsim_deck_apply_override(lsim_params *params, const char *assignment) {
    if (assignment == NULL) assignment = "";
    char origin[ORIGIN_SIZE];
    snprintf(origin, sizeof origin, "--set %s", assignment);
    char prefix[ORIGIN_SIZE + 2];
    snprintf(prefix, sizeof prefix, "%s: ", origin);

    const char *equals = strchr(assignment, '=');
    if (equals == NULL)
        return lsim_fail(LSIM_ERR_INPUT, "%sexpected section.key=value (no '=' found), e.g. --set power.array_area=2e5",
                         prefix);
    size_t name_length = (size_t)(equals - assignment);
    char *name = malloc(name_length + 1);
    char *value = malloc(strlen(equals + 1) + 1);
    if (name == NULL || value == NULL) {
        free(name);
        free(value);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    memcpy(name, assignment, name_length);
    name[name_length] = '\0';
    strcpy(value, equals + 1);
    trim(name);
    trim(value);
    /* Shell users may quote the value as in a deck: --set 'run.label="a b"'. */
    size_t value_length = strlen(value);
    if (value_length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value_length - 1] == value[0]) {
        memmove(value, value + 1, value_length - 2);
        value[value_length - 2] = '\0';
    }

    lsim_status status = LSIM_OK;
    char *dot = strchr(name, '.');
    if (dot == NULL || dot == name || dot[1] == '\0') {
        status = lsim_fail(LSIM_ERR_INPUT, "%sexpected section.key=value ('%s' is not section.key)", prefix, name);
    } else {
        *dot = '\0';
        const char *section = name, *key = dot + 1;
        long index = -1;
        if (!lsim_params_has_section(params, section)) {
            status = unknown_section(params, prefix, section);
        } else if ((index = lsim_params_find(params, section, key)) < 0) {
            status = unknown_key(params, prefix, section, key);
        } else if (value[0] == '\0' && lsim_params_def(params, (size_t)index)->type != LSIM_PARAM_TEXT) {
            char example[128];
            example_for(lsim_params_def(params, (size_t)index), example, sizeof example);
            status = lsim_fail(LSIM_ERR_INPUT, "%s%s.%s: no value given; expected e.g. '%s.%s=%s'", prefix, section,
                               key, section, key, example);
        } else {
            status = lsim_param_set_text(params, section, key, value, origin);
        }
    }
    free(name);
    free(value);
    return status;
}
