#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#ifdef LSIM_HAVE_OPENMP
#include <omp.h>
#endif
#ifdef LSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "chain.h"
#include "deck.h"
#include "hash.h"
#include "h5sweep.h"
#include "log.h"
#include "lsim_version.h"
#include "rng.h"
#include "run.h"
#include "sensitivity.h"
#include "units.h"

/* A value as deck text. A bare number for a dimensioned parameter is
 * refused, as in a deck: which unit it meant cannot be guessed (a bare
 * "0.005" for chain.earth_resupply_rate once ran as 0.005 t/yr). */
static lsim_status lsim_sweep_value_text(const lsim_param_def *def, const char *origin, const char *token, char *text,
                                         size_t size)
{
    while (*token == ' ') ++token;
    char *end = NULL;
    strtod(token, &end);
    int bare = end && end != token;
    if (bare)
        while (*end == ' ') ++end;
    bare = bare && *end == '\0';
    if (def->type == LSIM_PARAM_REAL && bare && def->unit && strcmp(def->unit, "1") != 0)
        return lsim_fail(LSIM_ERR_INPUT, "%s: '%s' has no unit; %s.%s is a quantity in %s: write it with its unit, "
                                         "e.g. '%s %s'", origin, token, def->section, def->key, def->unit, token,
                         def->deck_unit ? def->deck_unit : def->unit);
    if ((size_t)snprintf(text, size, "%s", token) >= size)
        return lsim_fail(LSIM_ERR_INPUT, "%s: value '%.40s...' is too long", origin, token);
    return LSIM_OK;
}

void lsim_sweep_plan_free(lsim_sweep_plan *plan)
{
    for (size_t a = 0; plan->axes && a < plan->axis_count; ++a) {
        free(plan->axes[a].levels);
        free(plan->axes[a].words);
    }
    free(plan->axes);
    free(plan->values);
    free(plan->spec);
    memset(plan, 0, sizeof *plan);
}

/* Validates one value through the registry (range, dimension) on a scratch
 * copy and returns it in SI (or as a choice code). */
static lsim_status lsim_sweep_level(lsim_params *scratch, const lsim_param_def *def, const char *origin,
                                    const char *token, double *value)
{
    char text[256];
    lsim_status text_status = lsim_sweep_value_text(def, origin, token, text, sizeof text);
    if (text_status != LSIM_OK) return text_status;
    lsim_status st = lsim_param_set_text(scratch, def->section, def->key, text, origin);
    if (st != LSIM_OK) return st;
    if (def->type == LSIM_PARAM_CHOICE)
        *value = (double)lsim_choice_index(def->choices, lsim_param_text(scratch, def->section, def->key));
    else if (def->type == LSIM_PARAM_TEXT)
        *value = NAN; /* the caller numbers the words it was given */
    else if (def->type == LSIM_PARAM_REAL)
        *value = lsim_param_real(scratch, def->section, def->key);
    else
        *value = (double)lsim_param_int(scratch, def->section, def->key);
    return LSIM_OK;
}

/* The values of one --vary SPEC (`copy` is a writable copy of it, any length). */
static lsim_status lsim_sweep_axis_values(lsim_params *scratch, const lsim_param_def *def, const char *origin, int lhs,
                                          const char *spec, char *copy, lsim_sweep_axis *axis)
{
    if (strchr(copy, ',') || axis->is_choice || (!strchr(copy, ':'))) {
        /* A list of values. */
        size_t count = 1;
        for (const char *p = copy; *p; ++p) count += *p == ',';
        axis->levels = malloc(count * sizeof *axis->levels);
        if (!axis->levels) return lsim_fail(LSIM_ERR_RUN, "out of memory");
        char *save = NULL;
        if (def->type == LSIM_PARAM_TEXT) {
            axis->words = calloc(strlen(spec) + 2, 1);
            if (!axis->words) return lsim_fail(LSIM_ERR_RUN, "out of memory");
        }
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            lsim_status st = lsim_sweep_level(scratch, def, origin, tok, &axis->levels[axis->level_count]);
            if (st != LSIM_OK) return st;
            if (def->type == LSIM_PARAM_TEXT) {
                while (*tok == ' ') ++tok;
                /* A word that names nothing in its data file fails now, not in member k. */
                st = lsim_chain_check_params(scratch);
                if (st != LSIM_OK) return lsim_fail(st, "%s: %s", origin, lsim_last_error());
                if (strchr(tok, '|')) return lsim_fail(LSIM_ERR_INPUT, "%s: '%s' may not contain '|'", origin, tok);
                if (lsim_choice_index(axis->words, tok) >= 0)
                    return lsim_fail(LSIM_ERR_INPUT, "%s: '%s' is listed twice", origin, tok);
                if (axis->level_count > 0) strcat(axis->words, "|");
                strcat(axis->words, tok);
                axis->levels[axis->level_count] = (double)axis->level_count;
            }
            axis->level_count++;
        }
        if (axis->level_count == 0) return lsim_fail(LSIM_ERR_INPUT, "%s: no values given", origin);
        return LSIM_OK;
    }
    char *parts[4] = {NULL, NULL, NULL, NULL};
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ":", &save); tok && n < 4; tok = strtok_r(NULL, ":", &save)) parts[n++] = tok;
    if (lhs) {
        if (n != 2)
            return lsim_fail(LSIM_ERR_INPUT, "%s: with --samples give a range 'low:high' (or a list a,b,c)", origin);
        lsim_status st = lsim_sweep_level(scratch, def, origin, parts[0], &axis->lo);
        if (st == LSIM_OK) st = lsim_sweep_level(scratch, def, origin, parts[1], &axis->hi);
        if (st != LSIM_OK) return st;
        if (!(axis->hi > axis->lo)) return lsim_fail(LSIM_ERR_INPUT, "%s: the range is empty (high <= low)", origin);
        return LSIM_OK;
    }
    if (n != 3)
        return lsim_fail(LSIM_ERR_INPUT, "%s: expected a grid 'low:high:count' or a list 'a,b,c' (a range needs "
                                         "--samples N --method lhs)", origin);
    char *end = NULL;
    long count = strtol(parts[2], &end, 10);
    if (!end || *end || count < 1 || count > 1000000)
        return lsim_fail(LSIM_ERR_INPUT, "%s: count '%s' is not a whole number from 1 to 1e6", origin, parts[2]);
    double lo, hi;
    lsim_status st = lsim_sweep_level(scratch, def, origin, parts[0], &lo);
    if (st == LSIM_OK) st = lsim_sweep_level(scratch, def, origin, parts[1], &hi);
    if (st != LSIM_OK) return st;
    /* One value between two different ends names neither: it once ran the high end. */
    if (count == 1 && lo != hi)
        return lsim_fail(LSIM_ERR_INPUT, "%s: a grid of 1 value between two different ends is ambiguous; give the "
                                         "value alone (a list of one)", origin);
    axis->levels = malloc((size_t)count * sizeof *axis->levels);
    if (!axis->levels) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (long i = 0; i < count; ++i) {
        double value = count == 1 ? lo : lo + (hi - lo) * (double)i / (double)(count - 1);
        if (count > 1 && i == count - 1) value = hi;
        if (def->type == LSIM_PARAM_INT) value = floor(value + 0.5);
        st = lsim_param_set_real(scratch, def->section, def->key, value, origin);
        if (st != LSIM_OK) return st;
        axis->levels[axis->level_count++] = value;
    }
    return LSIM_OK;
}

/* The CF-valid variable name of a deck key: "massdriver.exit_speed" becomes
 * "massdriver__exit_speed". Keys and sections hold single underscores, so
 * one would be ambiguous; two are what lunarsim.open_run(merge=True) puts
 * between a group and a name, and no key holds them. The deck key itself
 * goes with the variable (attribute deck_key). */
static void lsim_sweep_cf_name(const char *key, char *out, size_t size)
{
    size_t used = 0;
    for (const char *p = key; *p && used + 3 < size; ++p) {
        if (*p == '.') {
            out[used++] = '_';
            out[used++] = '_';
        } else {
            out[used++] = *p;
        }
    }
    out[used] = '\0';
}

/* Finds the parameter `name` ("section.key", `name_len` characters) and
 * checks that a sweep may vary it; `origin` starts every message. */
static lsim_status lsim_sweep_axis_find(lsim_params *scratch, const char *name, size_t name_len, const char *origin,
                                        lsim_sweep_axis *axis)
{
    const char *dot = memchr(name, '.', name_len);
    if (!dot || dot == name || dot + 1 == name + name_len)
        return lsim_fail(LSIM_ERR_INPUT, "%s: '%.*s' is not a parameter: expected section.key, e.g. "
                                         "massdriver.exit_speed", origin, (int)(name_len < 200 ? name_len : 200), name);
    if (name_len >= sizeof axis->name)
        return lsim_fail(LSIM_ERR_INPUT, "%s: name '%.60s...' too long (no parameter has one so long)", origin, name);
    memcpy(axis->name, name, name_len);
    axis->name[name_len] = '\0';
    lsim_sweep_cf_name(axis->name, axis->cf_name, sizeof axis->cf_name);
    char section[128];
    size_t section_len = (size_t)(dot - name);
    memcpy(section, name, section_len);
    section[section_len] = '\0';
    const char *key = axis->name + section_len + 1;
    axis->def_index = lsim_params_find(scratch, section, key);
    if (axis->def_index < 0) {
        size_t count = lsim_params_count(scratch);
        char (*names)[128] = malloc(count * sizeof *names);
        const char **candidates = malloc(count * sizeof *candidates);
        const char *hint = NULL;
        if (names && candidates) {
            for (size_t i = 0; i < count; ++i) {
                const lsim_param_def *d = lsim_params_def(scratch, i);
                snprintf(names[i], sizeof names[i], "%s.%s", d->section, d->key);
                candidates[i] = names[i];
            }
            hint = lsim_suggest(axis->name, candidates, count);
        }
        lsim_status st = hint ? lsim_fail(LSIM_ERR_INPUT, "%s: unknown parameter '%s'; did you mean '%s'?", origin,
                                          axis->name, hint)
                              : lsim_fail(LSIM_ERR_INPUT, "%s: unknown parameter '%s' (see 'lunarsim params')",
                                          origin, axis->name);
        free(names);
        free(candidates);
        return st;
    }
    const lsim_param_def *def = lsim_params_def(scratch, (size_t)axis->def_index);
    if (strcmp(def->section, "run") == 0 && strcmp(def->key, "seed") != 0)
        return lsim_fail(LSIM_ERR_INPUT, "%s: run.%s cannot vary within a sweep (members share one time axis); "
                                         "only run.seed can", origin, def->key);
    if (def->type == LSIM_PARAM_BOOL)
        return lsim_fail(LSIM_ERR_INPUT, "%s: %s is true/false; a sweep varies numbers, choices and words: run the "
                                         "two cases", origin, axis->name);
    /* A text parameter (a route named by a data file, say) varies over the
     * words listed; the module that reads it checks each word at init. */
    axis->is_choice = def->type == LSIM_PARAM_CHOICE || def->type == LSIM_PARAM_TEXT;
    if (def->type == LSIM_PARAM_CHOICE) {
        axis->words = strdup(def->choices);
        if (!axis->words) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    return LSIM_OK;
}

static lsim_status lsim_sweep_axis_parse(lsim_params *scratch, const char *vary, lsim_sweep_method method,
                                         lsim_sweep_axis *axis)
{
    char origin[300];
    snprintf(origin, sizeof origin, "--vary %s", vary);
    const char *eq = strchr(vary, '=');
    const char *dot = strchr(vary, '.');
    if (!eq || !dot || dot > eq)
        return lsim_fail(LSIM_ERR_INPUT, "%s: expected section.key=SPEC, e.g. massdriver.exit_speed=2.3:2.5:5", origin);
    lsim_status st = lsim_sweep_axis_find(scratch, vary, (size_t)(eq - vary), origin, axis);
    if (st != LSIM_OK) return st;
    const lsim_param_def *def = lsim_params_def(scratch, (size_t)axis->def_index);
    const char *spec = eq + 1;
    if (method == LSIM_SWEEP_MORRIS && (axis->is_choice || strchr(spec, ',') || !strchr(spec, ':')))
        return lsim_fail(LSIM_ERR_INPUT, "%s: --method morris needs a numeric range 'low:high' (elementary effects "
                                         "are changes per step of a range; use --method sobol for lists and words)",
                         origin);
    char *copy = strdup(spec); /* any length: a long list must not be cut short */
    if (!copy) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_status values_status = lsim_sweep_axis_values(scratch, def, origin, method != LSIM_SWEEP_GRID, spec, copy, axis);
    free(copy);
    return values_status;
}

/* An axis's value at a position u in [0, 1] of its range (or of its list). */
static double lsim_sweep_axis_at(const lsim_sweep_axis *axis, const lsim_param_def *def, double u)
{
    if (axis->level_count > 0) {
        size_t level = (size_t)(u * (double)axis->level_count);
        if (level >= axis->level_count) level = axis->level_count - 1;
        return axis->levels[level];
    }
    double value = u >= 1.0 ? axis->hi : axis->lo + (axis->hi - axis->lo) * u;
    if (def->type == LSIM_PARAM_INT) value = floor(value + 0.5);
    return value;
}

/* The --design CSV file, read whole. */
typedef struct {
    const char *path;
    char *text;
    size_t length;
    char separator;
} lsim_design_file;

/* One field of a line: [start, end) in the line, quotes removed into
 * `value` (malloc'd), `column` 1-based. Returns the position after the
 * field's separator, or NULL at the end of the line. */
static const char *lsim_design_field(const char *p, const char *line_end, char separator, char **value, size_t *column,
                                     const char *line_start)
{
    while (p < line_end && (*p == ' ' || *p == '\t') && *p != separator) ++p;
    *column = (size_t)(p - line_start) + 1;
    size_t capacity = (size_t)(line_end - p) + 1;
    char *out = malloc(capacity);
    if (!out) {
        *value = NULL;
        return NULL;
    }
    size_t used = 0;
    if (p < line_end && *p == '"') {
        ++p;
        while (p < line_end) {
            if (*p == '"' && p + 1 < line_end && p[1] == '"') {
                out[used++] = '"';
                p += 2;
            } else if (*p == '"') {
                ++p;
                break;
            } else {
                out[used++] = *p++;
            }
        }
        while (p < line_end && *p != separator) ++p;
    } else {
        while (p < line_end && *p != separator) out[used++] = *p++;
        while (used > 0 && (out[used - 1] == ' ' || out[used - 1] == '\t')) --used;
    }
    out[used] = '\0';
    *value = out;
    return p < line_end ? p + 1 : NULL;
}

/* A header "section.key", "section.key [unit]" or "section.key (unit)":
 * the name and the unit (empty: none), both within `field`. */
static void lsim_design_header_split(char *field, char **unit)
{
    *unit = field + strlen(field);
    char *open = strpbrk(field, "[(");
    if (!open) return;
    char close = *open == '[' ? ']' : ')';
    char *end = strrchr(open, close);
    if (!end) return;
    *end = '\0';
    char *trim = open;
    while (trim > field && trim[-1] == ' ') --trim;
    *trim = '\0';
    *unit = open + 1;
    while (**unit == ' ') ++*unit;
    for (char *t = *unit + strlen(*unit); t > *unit && t[-1] == ' ';) *--t = '\0';
}

typedef struct {
    const char *start, *end; /* without the line break */
    size_t number;           /* 1-based */
} lsim_design_line;

/* The next line that holds anything but blanks; NULL at the end. */
static int lsim_design_next_line(const lsim_design_file *file, const char **cursor, size_t *number,
                                 lsim_design_line *line)
{
    while (*cursor < file->text + file->length) {
        const char *start = *cursor, *end = memchr(start, '\n', (size_t)(file->text + file->length - start));
        if (!end) end = file->text + file->length;
        *cursor = end < file->text + file->length ? end + 1 : end;
        ++*number;
        const char *last = end;
        if (last > start && last[-1] == '\r') --last;
        const char *p = start;
        while (p < last && (*p == ' ' || *p == '\t')) ++p;
        if (p == last) continue;
        line->start = start;
        line->end = last;
        line->number = *number;
        return 1;
    }
    return 0;
}

typedef struct {
    double scale;  /* header unit to SI (1: none) */
    int has_unit;
    size_t column; /* of the header field */
} lsim_design_column;

static lsim_status lsim_design_read_text(lsim_design_file *file)
{
    FILE *f = fopen(file->path, "rb");
    if (!f) return lsim_fail(LSIM_ERR_INPUT, "--design %s: cannot open it: %s", file->path, strerror(errno));
    size_t capacity = 1 << 16;
    file->text = malloc(capacity);
    file->length = 0;
    while (file->text) {
        if (file->length == capacity) {
            char *grown = realloc(file->text, capacity * 2);
            if (!grown) {
                free(file->text);
                file->text = NULL;
                break;
            }
            file->text = grown;
            capacity *= 2;
        }
        size_t got = fread(file->text + file->length, 1, capacity - file->length, f);
        file->length += got;
        if (got == 0) break;
    }
    int failed = ferror(f);
    fclose(f);
    if (!file->text) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    if (failed) return lsim_fail(LSIM_ERR_INPUT, "--design %s: cannot read it", file->path);
    if (memchr(file->text, '\0', file->length))
        return lsim_fail(LSIM_ERR_INPUT, "--design %s: a NUL byte: expected a text file (CSV)", file->path);
    return LSIM_OK;
}

/* The plan of a --design CSV (see lsim_sweep_plan_make). */
static lsim_status lsim_sweep_design_plan(lsim_params *scratch, const char *path, lsim_sweep_plan *plan)
{
    lsim_design_file file = {path, NULL, 0, ','};
    lsim_status st = lsim_design_read_text(&file);
    lsim_design_column *columns = NULL;
    size_t header_count = 0, skip_first = 0;
    const char *cursor = file.text;
    size_t line_number = 0;
    lsim_design_line header = {NULL, NULL, 0};
    if (st == LSIM_OK && !lsim_design_next_line(&file, &cursor, &line_number, &header))
        st = lsim_fail(LSIM_ERR_INPUT, "%s:1:1: the design is empty; expected a header row naming a parameter per "
                                       "column (section.key [unit]) and a row per member", path);
    if (st == LSIM_OK) {
        /* A spreadsheet's UTF-8 byte-order mark is not part of the first name. */
        if (header.end - header.start >= 3 && memcmp(header.start, "\xEF\xBB\xBF", 3) == 0) header.start += 3;
        /* numpy.savetxt writes its header after "# ". */
        const char *p = header.start;
        while (p < header.end && (*p == ' ' || *p == '\t')) ++p;
        if (p < header.end && *p == '#') {
            ++p;
            while (p < header.end && *p == ' ') ++p;
            header.start = p;
        }
        /* The separator: the most frequent of , ; and tab outside quotes. */
        size_t counts[3] = {0, 0, 0};
        int quoted = 0;
        for (const char *q = header.start; q < header.end; ++q) {
            if (*q == '"') quoted = !quoted;
            else if (!quoted) counts[0] += *q == ',', counts[1] += *q == ';', counts[2] += *q == '\t';
        }
        file.separator = counts[1] > counts[0] && counts[1] >= counts[2] ? ';' : counts[2] > counts[0] ? '\t' : ',';
    }
    /* The header: one axis per column. */
    const char *header_start = header.start;
    for (const char *p = header.start; st == LSIM_OK && p;) {
        char *field = NULL;
        size_t column = 0;
        const char *next = lsim_design_field(p, header.end, file.separator, &field, &column, header_start);
        if (!field) {
            st = lsim_fail(LSIM_ERR_RUN, "out of memory");
            break;
        }
        p = next;
        ++header_count;
        char origin[600];
        snprintf(origin, sizeof origin, "%s:%zu:%zu", path, header.number, column);
        /* A pandas index: the first column, headed "" or "index". */
        if (header_count == 1 && (field[0] == '\0' || strcmp(field, "index") == 0)) {
            skip_first = 1;
            free(field);
            continue;
        }
        if (field[0] == '\0' || strcmp(field, "index") == 0) {
            st = lsim_fail(LSIM_ERR_INPUT, "%s: column %zu has no parameter name ('%s'); only the first column may "
                                           "be an unnamed or 'index' column (it is skipped)", origin, header_count,
                           field);
            free(field);
            break;
        }
        char *unit = NULL;
        lsim_design_header_split(field, &unit);
        lsim_sweep_axis *grown = realloc(plan->axes, (plan->axis_count + 1) * sizeof *grown);
        lsim_design_column *more = realloc(columns, (plan->axis_count + 1) * sizeof *more);
        if (grown) plan->axes = grown;
        if (more) columns = more;
        if (!grown || !more) {
            free(field);
            st = lsim_fail(LSIM_ERR_RUN, "out of memory");
            break;
        }
        lsim_sweep_axis *axis = &plan->axes[plan->axis_count];
        memset(axis, 0, sizeof *axis);
        lsim_design_column *info = &columns[plan->axis_count];
        info->scale = 1.0;
        info->has_unit = unit[0] != '\0';
        info->column = column;
        ++plan->axis_count;
        st = lsim_sweep_axis_find(scratch, field, strlen(field), origin, axis);
        const lsim_param_def *def = st == LSIM_OK ? lsim_params_def(scratch, (size_t)axis->def_index) : NULL;
        for (size_t b = 0; st == LSIM_OK && b + 1 < plan->axis_count; ++b)
            if (strcmp(plan->axes[b].name, axis->name) == 0)
                st = lsim_fail(LSIM_ERR_INPUT, "%s: %s has a second column (the first is column %zu)", origin,
                               axis->name, columns[b].column);
        if (st == LSIM_OK && info->has_unit) {
            lsim_dimension given, wanted;
            double wanted_scale;
            if (axis->is_choice)
                st = lsim_fail(LSIM_ERR_INPUT, "%s: %s is a word (%s); a unit '%s' means nothing for it", origin,
                               axis->name, def->choices ? def->choices : "free text", unit);
            else if (lsim_unit_parse(unit, &info->scale, &given) != LSIM_OK)
                st = lsim_fail(LSIM_ERR_INPUT, "%s: %s: '%s' is not a unit; expected a unit of %s, e.g. '%s [%s]'",
                               origin, axis->name, unit, def->unit, axis->name,
                               def->deck_unit ? def->deck_unit : def->unit);
            else if (lsim_unit_parse(def->unit && def->type == LSIM_PARAM_REAL ? def->unit : "1", &wanted_scale,
                                     &wanted) != LSIM_OK || !lsim_dimension_equal(given, wanted))
                st = lsim_fail(LSIM_ERR_INPUT, "%s: %s: the unit '%s' does not measure %s; expected a unit of %s, "
                                               "e.g. '%s'", origin, axis->name, unit, axis->name,
                               def->type == LSIM_PARAM_REAL ? def->unit : "1",
                               def->deck_unit ? def->deck_unit : def->unit ? def->unit : "1");
        }
        if (st == LSIM_OK && def->type == LSIM_PARAM_TEXT) {
            axis->words = calloc(1, 1);
            if (!axis->words) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
        }
        free(field);
    }
    if (st == LSIM_OK && plan->axis_count == 0)
        st = lsim_fail(LSIM_ERR_INPUT, "%s:%zu:1: no parameter columns; expected section.key [unit] headers",
                       path, header.number);
    /* The rows: one member each. */
    size_t row_capacity = 0;
    const size_t axes = plan->axis_count;
    lsim_design_line line;
    while (st == LSIM_OK && lsim_design_next_line(&file, &cursor, &line_number, &line)) {
        const char *first = line.start;
        while (first < line.end && (*first == ' ' || *first == '\t')) ++first;
        if (*first == '#') continue; /* a comment */
        if (plan->runs == row_capacity) {
            row_capacity = row_capacity ? 2 * row_capacity : 64;
            double *grown = realloc(plan->values, row_capacity * axes * sizeof *grown);
            if (!grown) {
                st = lsim_fail(LSIM_ERR_RUN, "out of memory");
                break;
            }
            plan->values = grown;
        }
        size_t count = 0, column = 1, last_column = 1;
        for (const char *p = line.start; st == LSIM_OK && p;) {
            char *field = NULL;
            p = lsim_design_field(p, line.end, file.separator, &field, &column, line.start);
            if (!field) {
                st = lsim_fail(LSIM_ERR_RUN, "out of memory");
                break;
            }
            last_column = column;
            size_t index = count++;
            if (index >= header_count || (skip_first && index == 0)) {
                free(field);
                continue;
            }
            size_t a = index - skip_first;
            lsim_sweep_axis *axis = &plan->axes[a];
            const lsim_param_def *def = lsim_params_def(scratch, (size_t)axis->def_index);
            char origin[600];
            snprintf(origin, sizeof origin, "%s:%zu:%zu", path, line.number, column);
            double *value = &plan->values[plan->runs * axes + a];
            if (axis->is_choice) {
                st = lsim_param_set_text(scratch, def->section, def->key, field, origin);
                if (st == LSIM_OK && def->type == LSIM_PARAM_CHOICE) {
                    *value = (double)lsim_choice_index(def->choices, lsim_param_text(scratch, def->section, def->key));
                } else if (st == LSIM_OK) {
                    /* A word that names nothing in its data file fails now, not in member k. */
                    int code = lsim_choice_index(axis->words, field);
                    if (code < 0) {
                        st = lsim_chain_check_params(scratch);
                        if (st != LSIM_OK) st = lsim_fail(st, "%s", lsim_last_error());
                        else if (field[0] == '\0' || strchr(field, '|'))
                            st = lsim_fail(LSIM_ERR_INPUT, "%s: %s: '%s': expected a word (not empty, no '|')", origin,
                                           axis->name, field);
                        char *words = st == LSIM_OK ? realloc(axis->words, strlen(axis->words) + strlen(field) + 2) : NULL;
                        if (st == LSIM_OK && !words) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
                        if (st == LSIM_OK) {
                            axis->words = words;
                            if (axis->level_count > 0) strcat(axis->words, "|");
                            strcat(axis->words, field);
                            code = (int)axis->level_count++;
                        }
                    }
                    *value = (double)code;
                }
            } else {
                char *end = NULL;
                double number = strtod(field, &end);
                if (field[0] == '\0' || !end || *end != '\0') {
                    st = lsim_fail(LSIM_ERR_INPUT, "%s: %s: '%s' is not a number; expected a number in %s%s", origin,
                                   axis->name, field,
                                   columns[a].has_unit ? "the column's unit" : def->type == LSIM_PARAM_REAL ? def->unit : "1",
                                   columns[a].has_unit || def->type != LSIM_PARAM_REAL || strcmp(def->unit, "1") == 0
                                       ? "" : " (SI: the header gives no unit)");
                } else {
                    st = lsim_param_set_real(scratch, def->section, def->key, number * columns[a].scale, origin);
                    if (st == LSIM_OK) *value = number * columns[a].scale;
                }
            }
            free(field);
        }
        if (st == LSIM_OK && count != header_count)
            st = lsim_fail(LSIM_ERR_INPUT, "%s:%zu:%zu: %zu fields in this row, %zu in the header (every row gives "
                                           "every column)", path, line.number,
                           count > header_count ? last_column : (size_t)(line.end - line.start) + 1, count,
                           header_count);
        if (st == LSIM_OK) ++plan->runs;
    }
    if (st == LSIM_OK && plan->runs == 0)
        st = lsim_fail(LSIM_ERR_INPUT, "%s:%zu:1: a header and no rows; expected one row per member", path,
                       header.number + 1);
    free(columns);
    free(file.text);
    return st;
}

lsim_status lsim_sweep_plan_build(const lsim_params *base, const char *const *varies, size_t vary_count, size_t samples,
                                  int lhs, uint64_t seed, lsim_sweep_plan *plan)
{
    lsim_sweep_request request = {lhs ? LSIM_SWEEP_LHS : LSIM_SWEEP_GRID, varies, vary_count, samples, 0, NULL};
    return lsim_sweep_plan_make(base, &request, seed, plan);
}

/* Morris effects divide by the change each step made: an integer range
 * too narrow for the grid would make a step that changes nothing. */
static lsim_status lsim_sweep_check_morris_steps(const lsim_sweep_plan *plan)
{
    const size_t d = plan->axis_count;
    for (size_t t = 0; t < plan->base_samples; ++t)
        for (size_t k = 1; k <= d; ++k) {
            const double *before = plan->values + (t * (d + 1) + k - 1) * d, *after = before + d;
            size_t moved = 0;
            for (size_t a = 0; a < d; ++a) moved += after[a] != before[a];
            if (moved != 1)
                for (size_t a = 0; a < d; ++a)
                    if (fabs(plan->axes[a].hi - plan->axes[a].lo) < (double)plan->levels)
                        return lsim_fail(LSIM_ERR_INPUT, "--vary %s: a whole-number range narrower than the %u Morris "
                                                         "levels makes steps that change nothing; widen it or lower "
                                                         "--levels", plan->axes[a].name, plan->levels);
        }
    return LSIM_OK;
}

lsim_status lsim_sweep_plan_make(const lsim_params *base, const lsim_sweep_request *request, uint64_t seed,
                                 lsim_sweep_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    const lsim_sweep_method method = request->method;
    const size_t vary_count = method == LSIM_SWEEP_DESIGN ? 0 : request->vary_count;
    const char *const *varies = request->varies;
    plan->method = method;
    plan->levels = method == LSIM_SWEEP_MORRIS ? (request->levels ? request->levels : LSIM_MORRIS_LEVELS) : 0;
    plan->base_samples = method == LSIM_SWEEP_SOBOL || method == LSIM_SWEEP_MORRIS ? request->samples : 0;
    lsim_params *scratch = lsim_params_clone(base);
    plan->axes = calloc(vary_count ? vary_count : 1, sizeof *plan->axes);
    size_t spec_len = 1 + (request->design_path ? strlen(request->design_path) + 16 : 0);
    for (size_t a = 0; a < vary_count; ++a) spec_len += strlen(varies[a]) + 8;
    plan->spec = calloc(spec_len + 96, 1);
    if (!scratch || !plan->axes || !plan->spec) {
        lsim_params_free(scratch);
        lsim_sweep_plan_free(plan);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    lsim_status st = LSIM_OK;
    if (method == LSIM_SWEEP_DESIGN) {
        free(plan->axes);
        plan->axes = NULL;
        snprintf(plan->spec, spec_len + 96, "--design %s", request->design_path);
        st = lsim_sweep_design_plan(scratch, request->design_path, plan);
        lsim_params_free(scratch);
        if (st != LSIM_OK) lsim_sweep_plan_free(plan);
        return st;
    }
    if ((method == LSIM_SWEEP_SOBOL || method == LSIM_SWEEP_MORRIS) && vary_count > LSIM_SOBOL_MAX_INPUTS)
        st = lsim_fail(LSIM_ERR_INPUT, "--method %s: %zu parameters varied; at most %d (the Sobol' direction numbers "
                                       "here cover %d dimensions, 2 per parameter)",
                       method == LSIM_SWEEP_SOBOL ? "sobol" : "morris", vary_count, LSIM_SOBOL_MAX_INPUTS,
                       LSIM_SOBOL_MAX_DIM);
    plan->axis_count = vary_count;
    for (size_t a = 0; st == LSIM_OK && a < vary_count; ++a) {
        st = lsim_sweep_axis_parse(scratch, varies[a], method, &plan->axes[a]);
        for (size_t b = 0; st == LSIM_OK && b < a; ++b)
            if (strcmp(plan->axes[a].name, plan->axes[b].name) == 0)
                st = lsim_fail(LSIM_ERR_INPUT, "--vary %s: %s is varied twice", varies[a], plan->axes[a].name);
        strcat(plan->spec, a ? " --vary " : "--vary ");
        strcat(plan->spec, varies[a]);
    }
    lsim_params_free(scratch);
    if (st != LSIM_OK) {
        lsim_sweep_plan_free(plan);
        return st;
    }
    const size_t d = vary_count;
    if (method != LSIM_SWEEP_GRID) {
        static const char *const names[] = {"grid", "lhs", "sobol", "morris", "design"};
        char extra[96];
        if (method == LSIM_SWEEP_MORRIS)
            snprintf(extra, sizeof extra, " --samples %zu --method morris --levels %u", request->samples, plan->levels);
        else
            snprintf(extra, sizeof extra, " --samples %zu --method %s", request->samples, names[method]);
        strcat(plan->spec, extra);
        size_t per_row = method == LSIM_SWEEP_SOBOL ? d + 2 : method == LSIM_SWEEP_MORRIS ? d + 1 : 1;
        if (request->samples > 10000000 / per_row) {
            lsim_sweep_plan_free(plan);
            return lsim_fail(LSIM_ERR_INPUT, "--samples %zu: %zu members per sample make more than 1e7 members",
                             request->samples, per_row);
        }
        plan->runs = request->samples * per_row;
    } else {
        plan->runs = 1;
        for (size_t a = 0; a < vary_count; ++a) {
            if (plan->runs > 10000000 / plan->axes[a].level_count) {
                lsim_sweep_plan_free(plan);
                return lsim_fail(LSIM_ERR_INPUT, "the sweep grid has more than 1e7 members");
            }
            plan->runs *= plan->axes[a].level_count;
        }
    }
    plan->values = malloc(plan->runs * (vary_count ? vary_count : 1) * sizeof *plan->values);
    size_t *permutation = method == LSIM_SWEEP_LHS ? malloc(plan->runs * sizeof *permutation) : NULL;
    if (!plan->values || (method == LSIM_SWEEP_LHS && !permutation)) {
        free(permutation);
        lsim_sweep_plan_free(plan);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    if (method == LSIM_SWEEP_GRID) {
        for (size_t r = 0; r < plan->runs; ++r) {
            size_t rest = r;
            for (size_t a = vary_count; a-- > 0;) {
                const lsim_sweep_axis *axis = &plan->axes[a];
                plan->values[r * vary_count + a] = axis->levels[rest % axis->level_count];
                rest /= axis->level_count;
            }
        }
        return LSIM_OK;
    }
    if (method == LSIM_SWEEP_SOBOL || method == LSIM_SWEEP_MORRIS) {
        /* The unit-cube design, then each column scaled to its range. */
        double *unit = malloc(plan->runs * d * sizeof *unit);
        st = !unit ? lsim_fail(LSIM_ERR_RUN, "out of memory")
             : method == LSIM_SWEEP_SOBOL ? lsim_saltelli_design(plan->base_samples, d, seed, unit)
                                          : lsim_morris_design(plan->base_samples, d, plan->levels, seed, unit);
        for (size_t r = 0; st == LSIM_OK && r < plan->runs; ++r)
            for (size_t a = 0; a < d; ++a)
                plan->values[r * d + a] = lsim_sweep_axis_at(&plan->axes[a], lsim_params_def(base,
                                                             (size_t)plan->axes[a].def_index), unit[r * d + a]);
        free(unit);
        if (st == LSIM_OK && method == LSIM_SWEEP_MORRIS) st = lsim_sweep_check_morris_steps(plan);
        if (st != LSIM_OK) lsim_sweep_plan_free(plan);
        return st;
    }
    /* Latin hypercube: for each axis a random permutation of the N strata
     * (Fisher-Yates on counter-based draws) and a uniform offset inside each. */
    const double n = (double)plan->runs;
    for (size_t a = 0; a < vary_count; ++a) {
        const lsim_sweep_axis *axis = &plan->axes[a];
        for (size_t i = 0; i < plan->runs; ++i) permutation[i] = i;
        lsim_rng_shuffle(permutation, plan->runs, seed, LSIM_STREAM_SWEEP, a);
        const lsim_param_def *def = lsim_params_def(base, (size_t)axis->def_index);
        for (size_t i = 0; i < plan->runs; ++i) {
            double u = lsim_rng_uniform(seed, LSIM_STREAM_SWEEP + 1, a, (uint32_t)i, 0);
            double position = ((double)permutation[i] + u) / n; /* in stratum permutation[i] */
            double value;
            if (axis->level_count > 0) {
                size_t level = (size_t)(position * (double)axis->level_count);
                if (level >= axis->level_count) level = axis->level_count - 1;
                value = axis->levels[level];
            } else {
                value = axis->lo + (axis->hi - axis->lo) * position;
                if (def->type == LSIM_PARAM_INT) value = floor(value + 0.5);
            }
            plan->values[i * vary_count + a] = value;
        }
    }
    free(permutation);
    return LSIM_OK;
}

lsim_status lsim_sweep_apply(const lsim_sweep_plan *plan, size_t run, lsim_params *params)
{
    for (size_t a = 0; a < plan->axis_count; ++a) {
        const lsim_sweep_axis *axis = &plan->axes[a];
        const lsim_param_def *def = lsim_params_def(params, (size_t)axis->def_index);
        double value = plan->values[run * plan->axis_count + a];
        lsim_status st;
        if (axis->is_choice) {
            char word[128];
            st = lsim_choice_word(axis->words, (size_t)value, word, sizeof word);
            if (st == LSIM_OK) st = lsim_param_set_text(params, def->section, def->key, word, "sweep");
        } else {
            st = lsim_param_set_real(params, def->section, def->key, value, "sweep");
        }
        if (st != LSIM_OK) return st;
    }
    return LSIM_OK;
}

/* Copies member `run`'s design figures into design[attribute * runs + run],
 * matched to the template's (the base deck's) attributes by group and name;
 * NaN where the member's model has no such figure (another route, say).
 * Figures only some members' models have are not carried. */
static void lsim_sweep_member_design(const lsim_series_registry *template_reg, const lsim_series_registry *member,
                                     double *design, size_t runs, size_t run)
{
    for (size_t a = 0; a < lsim_series_attr_count(template_reg); ++a) {
        const lsim_series_attr *want = lsim_series_attr_at(template_reg, a);
        double value = NAN;
        for (size_t b = 0; b < lsim_series_attr_count(member); ++b) {
            const lsim_series_attr *have = lsim_series_attr_at(member, b);
            if (strcmp(have->group, want->group) == 0 && strcmp(have->name, want->name) == 0) {
                value = have->value;
                break;
            }
        }
        design[a * runs + run] = value;
    }
}

static lsim_status lsim_sweep_run_locked(const lsim_params *base, const lsim_sweep_options *options);

/* Two sweeps (or a sweep and a run) never write one output at once
 * (data/outfile.h): rank 0 holds the lock, and every rank learns whether it
 * got it before any collective call. */
lsim_status lsim_sweep_run(const lsim_params *base, const lsim_sweep_options *options)
{
    int rank = 0;
#ifdef LSIM_HAVE_MPI
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
    lsim_outfile_lock lock = {-1, NULL};
    lsim_status st = LSIM_OK;
    if (rank == 0) {
        st = lsim_h5_check_directory_writable(options->output_path);
        if (st == LSIM_OK) st = lsim_outfile_lock_take(&lock, options->output_path, "output");
    }
#ifdef LSIM_HAVE_MPI
    int code = (int)st;
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank != 0 && code != (int)LSIM_OK)
        st = lsim_fail((lsim_status)code, "sweep: rank 0 could not take the output '%s'", options->output_path);
#endif
    if (st == LSIM_OK) st = lsim_sweep_run_locked(base, options);
    lsim_outfile_lock_release(&lock);
    return st;
}

static double lsim_sweep_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Member `run`'s values as "name=value unit, ..." for messages. */
static void lsim_sweep_member_text(const lsim_sweep_plan *plan, const lsim_params *base, size_t run, char *text,
                                   size_t size)
{
    size_t used = 0;
    text[0] = '\0';
    for (size_t a = 0; a < plan->axis_count && used + 1 < size; ++a) {
        const lsim_sweep_axis *axis = &plan->axes[a];
        const lsim_param_def *def = lsim_params_def(base, (size_t)axis->def_index);
        double value = plan->values[run * plan->axis_count + a];
        char word[128] = "";
        int n;
        if (axis->is_choice && lsim_choice_word(axis->words, (size_t)value, word, sizeof word) == LSIM_OK)
            n = snprintf(text + used, size - used, "%s%s=%s", a ? ", " : "", axis->name, word);
        else if (def->type == LSIM_PARAM_REAL && def->unit && strcmp(def->unit, "1") != 0)
            n = snprintf(text + used, size - used, "%s%s=%.9g %s", a ? ", " : "", axis->name, value, def->unit);
        else
            n = snprintf(text + used, size - used, "%s%s=%.9g", a ? ", " : "", axis->name, value);
        if (n < 0) break;
        used += (size_t)n;
    }
}

/* The identity of a sweep's file: the build, the effective base deck and
 * every member's values. A restart resumes only a .partial with the same. */
static uint64_t lsim_sweep_identity(const lsim_sweep_plan *plan, const char *deck_yaml)
{
    uint64_t h = LSIM_FNV1A64_OFFSET;
    h = lsim_fnv1a64(h, LSIM_GIT_COMMIT, strlen(LSIM_GIT_COMMIT));
    h = lsim_fnv1a64(h, deck_yaml, strlen(deck_yaml));
    h = lsim_fnv1a64(h, plan->spec, strlen(plan->spec));
    uint64_t shape[2] = {plan->runs, plan->axis_count};
    h = lsim_fnv1a64(h, shape, sizeof shape);
    if (plan->runs * plan->axis_count > 0)
        h = lsim_fnv1a64(h, plan->values, plan->runs * plan->axis_count * sizeof *plan->values);
    for (size_t a = 0; a < plan->axis_count; ++a)
        if (plan->axes[a].words) h = lsim_fnv1a64(h, plan->axes[a].words, strlen(plan->axes[a].words));
    return h;
}

static volatile sig_atomic_t lsim_sweep_stop_signal = 0;
static volatile sig_atomic_t lsim_sweep_abandon = 0;

void lsim_sweep_request_stop(int signal_number)
{
    static const char finishing[] = "lunarsim: stopping: the members in flight finish, then the sweep is kept for "
                                    "--restart (signal again to abandon them)\n";
    static const char abandoning[] = "lunarsim: stopping: abandoning the members in flight (signal again to end at "
                                     "once)\n";
    static const char ending[] = "lunarsim: error: stopped by a third signal (OUT.partial may not be resumable)\n";
    ssize_t ignored;
    if (!lsim_sweep_stop_signal) {
        lsim_sweep_stop_signal = signal_number;
        ignored = write(STDERR_FILENO, finishing, sizeof finishing - 1);
    } else if (!lsim_sweep_abandon) {
        lsim_sweep_abandon = 1;
        ignored = write(STDERR_FILENO, abandoning, sizeof abandoning - 1);
    } else {
        ignored = write(STDERR_FILENO, ending, sizeof ending - 1);
        _exit(1);
    }
    (void)ignored;
}

/* One member, start to end, entirely in memory. LSIM_CHECKPOINTED: abandoned
 * at a second stop signal (nothing of it is kept). */
static lsim_status lsim_sweep_member(const lsim_params *base, const lsim_sweep_plan *plan, size_t run, size_t rows,
                                     lsim_series_registry **result)
{
    *result = NULL;
    lsim_params *params = lsim_params_clone(base);
    if (!params) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_status st = lsim_sweep_apply(plan, run, params);
    lsim_series_registry *series = st == LSIM_OK ? lsim_series_new(rows) : NULL;
    if (st == LSIM_OK && !series) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    lsim_chain chain;
    memset(&chain, 0, sizeof chain);
    if (st == LSIM_OK) st = lsim_chain_init(&chain, params, series);
    while (st == LSIM_OK && chain.clock.step < chain.clock.step_count) {
        if (lsim_sweep_abandon) {
            st = LSIM_CHECKPOINTED;
            break;
        }
        int rows_ready = 0;
        st = lsim_chain_advance(&chain, &rows_ready);
    }
    if (st == LSIM_OK) lsim_chain_summarise(&chain);
    lsim_chain_free(&chain);
    lsim_params_free(params);
    if (st != LSIM_OK) {
        lsim_series_free(series);
        return st;
    }
    *result = series;
    return LSIM_OK;
}

/* The whole init of member `run` on a scratch registry: every check between
 * parameters a run makes, without stepping. */
static lsim_status lsim_sweep_validate_member(const lsim_params *base, const lsim_sweep_plan *plan, size_t run)
{
    lsim_params *params = lsim_params_clone(base);
    lsim_series_registry *scratch = lsim_series_new(1);
    lsim_status st = params && scratch ? lsim_sweep_apply(plan, run, params) : lsim_fail(LSIM_ERR_RUN, "out of memory");
    if (st == LSIM_OK) st = lsim_chain_check_params(params);
    if (st == LSIM_OK) {
        lsim_chain chain;
        memset(&chain, 0, sizeof chain);
        st = lsim_chain_init(&chain, params, scratch);
        lsim_chain_free(&chain);
    }
    lsim_series_free(scratch);
    lsim_params_free(params);
    return st;
}

/* The template (series, summary names, shared time axis) from the base
 * deck, and the cost of one member: its init and, from stepping the
 * template for up to a quarter of a second, its steps. */
static lsim_status lsim_sweep_template(const lsim_params *base, lsim_series_registry *template_reg, size_t *rows,
                                       double **times, char epoch[64], lsim_sweep_estimate *estimate)
{
    lsim_chain chain;
    double start = lsim_sweep_wall();
    lsim_status st = lsim_chain_init(&chain, base, template_reg);
    double inited = lsim_sweep_wall();
    if (st == LSIM_OK) {
        *rows = (size_t)lsim_clock_output_rows(&chain.clock);
        *times = malloc((*rows ? *rows : 1) * sizeof **times);
        for (size_t r = 0; *times && r < *rows; ++r) (*times)[r] = lsim_clock_row_time(&chain.clock, (int64_t)r);
        snprintf(epoch, 64, "%s", chain.clock.epoch);
        if (!*times) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    int64_t stepped = 0;
    double now = inited;
    while (st == LSIM_OK && chain.clock.step < chain.clock.step_count && now - inited < 0.25) {
        int rows_ready = 0;
        st = lsim_chain_advance(&chain, &rows_ready);
        if (rows_ready) lsim_series_drain(template_reg);
        if (++stepped % 64 == 0) now = lsim_sweep_wall();
    }
    now = lsim_sweep_wall();
    if (st == LSIM_OK) {
        lsim_chain_summarise(&chain);
        estimate->init_seconds = inited - start;
        estimate->step_seconds = stepped > 0 ? (now - inited) / (double)stepped : 0.0;
        estimate->seconds = estimate->init_seconds + (double)chain.clock.step_count * estimate->step_seconds;
    }
    lsim_chain_free(&chain);
    return st;
}

static double lsim_sweep_free_bytes(const char *output_path)
{
    char directory[4096];
    snprintf(directory, sizeof directory, "%s", output_path);
    char *slash = strrchr(directory, '/');
    if (!slash) snprintf(directory, sizeof directory, ".");
    else if (slash == directory) directory[1] = '\0';
    else *slash = '\0';
    struct statvfs fs;
    if (statvfs(directory, &fs) != 0) return NAN;
    return (double)fs.f_bavail * (double)fs.f_frsize;
}

static void lsim_sweep_format_bytes(double bytes, char *text, size_t size)
{
    static const char *const names[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    int k = 0;
    while (bytes >= 1000.0 && k < 5) {
        bytes /= 1000.0;
        ++k;
    }
    snprintf(text, size, "%.3g %s", bytes, names[k]);
}

static void lsim_sweep_format_seconds(double seconds, char *text, size_t size)
{
    if (seconds < 120.0) snprintf(text, size, "%.3g s", seconds);
    else if (seconds < 7200.0) snprintf(text, size, "%.3g min", seconds / 60.0);
    else if (seconds < 2.0 * 86400.0) snprintf(text, size, "%.3g h", seconds / 3600.0);
    else snprintf(text, size, "%.3g d", seconds / 86400.0);
}

static lsim_status lsim_sweep_check_limits(const lsim_sweep_estimate *e, const char *output_path, int force)
{
    char size[32], free_text[32], limit[32], time_text[32], time_limit[32];
    lsim_sweep_format_bytes(e->bytes, size, sizeof size);
    lsim_sweep_format_bytes(isfinite(e->free_bytes) ? e->free_bytes : 0.0, free_text, sizeof free_text);
    lsim_sweep_format_bytes(LSIM_SWEEP_MAX_BYTES, limit, sizeof limit);
    lsim_sweep_format_seconds(e->seconds, time_text, sizeof time_text);
    lsim_sweep_format_seconds(LSIM_SWEEP_MAX_SECONDS, time_limit, sizeof time_limit);
    if (force) return LSIM_OK;
    if (isfinite(e->free_bytes) && e->bytes > e->free_bytes)
        return lsim_fail(LSIM_ERR_INPUT, "sweep: %zu members would write about %s to '%s', more than the %s free "
                                         "there; fewer members or a shorter run.duration/run.output_interval, or "
                                         "--force", e->to_run, size, output_path, free_text);
    if (e->bytes > LSIM_SWEEP_MAX_BYTES)
        return lsim_fail(LSIM_ERR_INPUT, "sweep: %zu members would write about %s, over the %s limit; fewer members "
                                         "or a shorter run.duration/run.output_interval, or --force", e->to_run, size,
                         limit);
    if (e->seconds > LSIM_SWEEP_MAX_SECONDS)
        return lsim_fail(LSIM_ERR_INPUT, "sweep: %zu members would take about %s on %d thread(s) x %d rank(s), over "
                                         "the %s limit; split it (fewer members per job), or --force", e->to_run,
                         time_text, e->threads, e->ranks, time_limit);
    return LSIM_OK;
}

/* The sensitivity indices of every summary metric (rank 0 computes them
 * from `metrics`, [run][metric], which only rank 0 holds) into
 * /sensitivity (every rank calls: the file's metadata is collective). */
static lsim_status lsim_sweep_write_sensitivity(lsim_h5_sweep *out, const lsim_sweep_plan *plan,
                                                const lsim_params *base, const lsim_series_registry *template_reg,
                                                const double *metrics, int rank)
{
    const int sobol = plan->method == LSIM_SWEEP_SOBOL;
    const size_t d = plan->axis_count, all_metrics = lsim_summary_count(template_reg), runs = plan->runs;
    /* A category code (final_bottleneck) names causes: it has no variance
     * to share out nor effects to measure, so it has no indices. */
    size_t *which = malloc((all_metrics ? all_metrics : 1) * sizeof *which), m_count = 0;
    for (size_t i = 0; which && i < all_metrics; ++i)
        if (lsim_summary_at(template_reg, i)->flags.count == 0) which[m_count++] = i;
    const size_t cells = (m_count ? m_count : 1) * (d ? d : 1);
    enum { MAX_FIELDS = 6 };
    const size_t field_count = sobol ? 6 : 5;
    double *storage = calloc(field_count * cells, sizeof *storage);
    int32_t *reason = calloc(m_count ? m_count : 1, sizeof *reason);
    const char **metric_names = calloc(m_count ? m_count : 1, sizeof *metric_names);
    const char **metric_units = calloc(m_count ? m_count : 1, sizeof *metric_units);
    const char **keys = calloc(d ? d : 1, sizeof *keys), **names = calloc(d ? d : 1, sizeof *names);
    double *f = malloc((runs ? runs : 1) * sizeof *f);
    double *unit = !sobol && rank == 0 ? malloc((runs ? runs : 1) * (d ? d : 1) * sizeof *unit) : NULL;
    lsim_status st = which && storage && reason && metric_names && metric_units && keys && names && f &&
                             (sobol || rank != 0 || unit)
                         ? LSIM_OK
                         : lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (size_t m = 0; st == LSIM_OK && m < m_count; ++m) {
        metric_names[m] = lsim_summary_at(template_reg, which[m])->name;
        metric_units[m] = lsim_summary_at(template_reg, which[m])->units;
    }
    for (size_t a = 0; st == LSIM_OK && a < d; ++a) {
        keys[a] = plan->axes[a].name;
        names[a] = plan->axes[a].cf_name;
    }
    /* Morris: where each member sat in its ranges (an integer parameter's
     * rounding included), so an effect divides by the step actually made. */
    for (size_t r = 0; st == LSIM_OK && unit && r < runs; ++r)
        for (size_t a = 0; a < d; ++a)
            unit[r * d + a] = (plan->values[r * d + a] - plan->axes[a].lo) / (plan->axes[a].hi - plan->axes[a].lo);
    lsim_sensitivity_options options = {LSIM_SENSITIVITY_BOOTSTRAP, LSIM_SENSITIVITY_CONFIDENCE,
                                        (uint64_t)lsim_param_int(base, "run", "seed")};
    for (size_t m = 0; st == LSIM_OK && rank == 0 && m < m_count; ++m) {
        for (size_t r = 0; r < runs; ++r) f[r] = metrics[r * all_metrics + which[m]];
        double *row[MAX_FIELDS];
        for (size_t k = 0; k < field_count; ++k) row[k] = storage + k * cells + m * d;
        lsim_sensitivity_reason why = LSIM_SENSITIVITY_COMPUTED;
        if (sobol) {
            lsim_sobol_indices indices = {row[0], row[1], row[2], row[3], row[4], row[5]};
            st = lsim_sobol_estimate_members(f, plan->base_samples, d, &options, &indices, &why);
        } else {
            lsim_morris_indices indices = {row[0], row[1], row[2], row[3], row[4]};
            st = lsim_morris_estimate(f, unit, plan->base_samples, d, &options, &indices, &why);
        }
        reason[m] = (int32_t)why;
    }
    static const char *const sobol_fields[6][2] = {
        {"S1", "first-order Sobol' index (Saltelli et al. 2010 estimator)"},
        {"S1_conf_low", "lower end of the bootstrap confidence interval of S1"},
        {"S1_conf_high", "upper end of the bootstrap confidence interval of S1"},
        {"ST", "total-order Sobol' index (Jansen 1999 estimator)"},
        {"ST_conf_low", "lower end of the bootstrap confidence interval of ST"},
        {"ST_conf_high", "upper end of the bootstrap confidence interval of ST"}};
    static const char *const morris_fields[5][2] = {
        {"mu_star", "mean absolute elementary effect mu* (Campolongo et al. 2007), per full range of the parameter"},
        {"mu", "mean elementary effect mu (Morris 1991), per full range of the parameter"},
        {"sigma", "standard deviation of the elementary effects (Morris 1991), per full range of the parameter"},
        {"mu_star_conf_low", "lower end of the bootstrap confidence interval of mu*"},
        {"mu_star_conf_high", "upper end of the bootstrap confidence interval of mu*"}};
    lsim_sweep_index_field fields[MAX_FIELDS];
    for (size_t k = 0; k < field_count; ++k) {
        fields[k].name = sobol ? sobol_fields[k][0] : morris_fields[k][0];
        fields[k].long_name = sobol ? sobol_fields[k][1] : morris_fields[k][1];
        fields[k].units = sobol ? "1" : NULL;
        fields[k].values = storage ? storage + k * cells : NULL;
    }
    char design_text[256];
    if (sobol)
        snprintf(design_text, sizeof design_text, "Saltelli scheme on a scrambled Sobol' sequence: %zu base rows, "
                 "members A, A_B(1..%zu), B per row", plan->base_samples, d);
    else
        snprintf(design_text, sizeof design_text, "%zu Morris trajectories of %zu steps on a %u-level grid, step "
                 "%u/%u of each range", plan->base_samples, d, plan->levels, plan->levels / 2, plan->levels - 1);
    const lsim_sweep_index_attribute sobol_attributes[] = {
        {"method", "sobol", 0.0},
        {"design", design_text, 0.0},
        {"first_order_estimator", "Saltelli et al. 2010 Table 2 (b): V_i = mean of f(B) (f(A_B^i) - f(A)), f centred "
                                  "on the mean of f(A) and f(B); S1 = V_i / Var(f(A), f(B))", 0.0},
        {"total_order_estimator", "Jansen 1999: VT_i = mean of (f(A) - f(A_B^i))^2 / 2; ST = VT_i / Var(f(A), f(B))",
         0.0},
        {"confidence_interval", "percentile bootstrap over the base rows (counter-based draws seeded by run.seed)", 0.0},
        {"nan_indices", "a metric whose value is NaN or infinite for any member (a time never reached, say) has NaN "
                        "indices, and one equal for every member has no variance to share: see `reason`", 0.0},
        {"references", "docs/REFERENCES.md [Saltelli2010] [Jansen1999] [JoeKuo2008] [Matousek1998]", 0.0},
        {"base_samples", NULL, (double)plan->base_samples},
        {"confidence_level", NULL, LSIM_SENSITIVITY_CONFIDENCE},
        {"bootstrap_resamples", NULL, (double)LSIM_SENSITIVITY_BOOTSTRAP}};
    const lsim_sweep_index_attribute morris_attributes[] = {
        {"method", "morris", 0.0},
        {"design", design_text, 0.0},
        {"elementary_effect", "change of the metric over the change of the one parameter moved, as a fraction of "
                              "its range: in the metric's units per full range", 0.0},
        {"confidence_interval", "percentile bootstrap of mu* over the trajectories (counter-based draws seeded by "
                                "run.seed)", 0.0},
        {"nan_indices", "a metric whose value is NaN or infinite for any member (a time never reached, say) has NaN "
                        "indices: see `reason`", 0.0},
        {"references", "docs/REFERENCES.md [Morris1991] [Campolongo2007]", 0.0},
        {"trajectories", NULL, (double)plan->base_samples},
        {"levels", NULL, (double)plan->levels},
        {"confidence_level", NULL, LSIM_SENSITIVITY_CONFIDENCE},
        {"bootstrap_resamples", NULL, (double)LSIM_SENSITIVITY_BOOTSTRAP}};
    lsim_sweep_indices indices = {m_count, d, metric_names, metric_units, keys, names, fields, field_count, reason,
                                  lsim_sensitivity_reason_words, LSIM_SENSITIVITY_REASONS,
                                  sobol ? sobol_attributes : morris_attributes,
                                  sobol ? sizeof sobol_attributes / sizeof sobol_attributes[0]
                                        : sizeof morris_attributes / sizeof morris_attributes[0]};
    /* Every rank writes the metadata, so every rank calls, even after a
     * failure here (then the writer is told: nothing is written). */
    int failed = st != LSIM_OK;
#ifdef LSIM_HAVE_MPI
    int ranks = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (ranks > 1) MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
#endif
    if (!failed) st = lsim_h5_sweep_write_indices(out, &indices);
    else if (st == LSIM_OK) st = lsim_fail(LSIM_ERR_RUN, "another rank could not compute the sensitivity indices");
    free(which);
    free(storage);
    free(reason);
    free(metric_names);
    free(metric_units);
    free(keys);
    free(names);
    free(f);
    free(unit);
    return st;
}

/* Completes the estimate for `to_run` of `runs` members, shows it (rank 0) and applies the limits. */
static lsim_status lsim_sweep_estimate_check(lsim_sweep_estimate *estimate, const lsim_sweep_options *options,
                                             const lsim_series_registry *template_reg, size_t runs, size_t to_run,
                                             size_t rows, size_t design_count, int ranks, int rank)
{
    int threads = 1;
#ifdef LSIM_HAVE_OPENMP
    threads = omp_get_max_threads();
#endif
    estimate->members = runs;
    estimate->to_run = to_run;
    estimate->rows = rows;
    estimate->series = lsim_series_count(template_reg);
    estimate->threads = threads;
    estimate->ranks = ranks;
    estimate->bytes = (double)to_run * ((double)rows * (double)estimate->series +
                                        (double)lsim_summary_count(template_reg) + (double)design_count) * 8.0;
    estimate->free_bytes = lsim_sweep_free_bytes(options->output_path);
    /* Members are whole units of work: the slowest worker runs ceil(n / workers), after the checks. */
    double per_worker = ceil((double)to_run / ((double)threads * (double)ranks));
    estimate->seconds = (estimate->seconds + estimate->init_seconds) * per_worker;
    if (rank == 0 && options->on_estimate) options->on_estimate(estimate, options->context);
    return lsim_sweep_check_limits(estimate, options->output_path, options->force);
}

static lsim_status lsim_sweep_run_locked(const lsim_params *base, const lsim_sweep_options *options)
{
    int rank = 0, ranks = 1;
    void *comm_pointer = NULL;
#ifdef LSIM_HAVE_MPI
    MPI_Comm comm = MPI_COMM_WORLD;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    if (ranks > 1) comm_pointer = &comm;
#endif
    lsim_sweep_plan plan;
    uint64_t seed = (uint64_t)lsim_param_int(base, "run", "seed");
    lsim_sweep_request request = {options->method, options->varies, options->vary_count, options->samples,
                                  options->levels, options->design_path};
    if (request.method == LSIM_SWEEP_GRID && options->lhs) request.method = LSIM_SWEEP_LHS;
    lsim_status st = lsim_sweep_plan_make(base, &request, seed, &plan);
    if (st != LSIM_OK) return st;

    lsim_sweep_estimate estimate;
    memset(&estimate, 0, sizeof estimate);
    lsim_series_registry *template_reg = lsim_series_new(1);
    size_t rows = 0;
    double *times = NULL;
    char epoch[64] = "";
    st = template_reg ? lsim_sweep_template(base, template_reg, &rows, &times, epoch, &estimate)
                      : lsim_fail(LSIM_ERR_RUN, "out of memory");

    const size_t runs = plan.runs, axes = plan.axis_count ? plan.axis_count : 1;
    const size_t design_count = template_reg ? lsim_series_attr_count(template_reg) : 0;
    /* A fresh sweep's cost is checked before the per-member arrays exist: 10^7 members would allocate
     * gigabytes only to be refused. */
    if (st == LSIM_OK && !options->restart)
        st = lsim_sweep_estimate_check(&estimate, options, template_reg, runs, runs, rows, design_count, ranks, rank);
    /* Sized for the members only once the sweep is accepted (a refused one allocates nothing large). */
    const size_t held = st == LSIM_OK && runs ? runs : 1;
    lsim_sweep_column *columns = calloc(axes, sizeof *columns);
    double *column_values = malloc(axes * held * sizeof(double));
    unsigned char *done = calloc(runs ? runs : 1, 1);
    /* Each member's own design figures (the group attributes of a run),
     * [attribute][run]: a figure that differs between members is written as
     * a (run) variable, not as one attribute true for the base deck only. */
    double *design = calloc((design_count ? design_count : 1) * held, sizeof *design);
    double *design_column = calloc(design_count ? design_count : 1, sizeof *design_column);
    /* Every member's summary metrics, [run][metric] in the template's
     * order: the printed table and the sensitivity indices are made from
     * them on rank 0. -0.0 where this process holds no value: x + -0.0 is x
     * for every x (-0.0 and NaN too), so the reduction over ranks is exact. */
    const size_t metric_count = template_reg ? lsim_summary_count(template_reg) : 0;
    double *metrics = malloc(held * (metric_count ? metric_count : 1) * sizeof *metrics);
    for (size_t k = 0; metrics && k < held * metric_count; ++k) metrics[k] = -0.0;
    if (st == LSIM_OK && (!columns || !column_values || !done || !design || !design_column || !metrics))
        st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    for (size_t a = 0; st == LSIM_OK && a < plan.axis_count; ++a) {
        const lsim_param_def *def = lsim_params_def(base, (size_t)plan.axes[a].def_index);
        for (size_t r = 0; r < runs; ++r) column_values[a * runs + r] = plan.values[r * plan.axis_count + a];
        columns[a].name = plan.axes[a].cf_name;
        columns[a].deck_key = plan.axes[a].name;
        columns[a].units = def->type == LSIM_PARAM_REAL ? def->unit : "1";
        columns[a].long_name = def->doc;
        columns[a].values = column_values + a * runs;
        columns[a].choices = plan.axes[a].is_choice ? plan.axes[a].words : NULL;
    }

    char *deck_yaml = st == LSIM_OK ? lsim_params_to_yaml(base, NULL, 0) : NULL;
    if (st == LSIM_OK && !deck_yaml) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
    const uint64_t identity = st == LSIM_OK ? lsim_sweep_identity(&plan, deck_yaml) : 0;

    /* A fresh sweep never overwrites an interrupted one's members. */
    char partial[4200];
    snprintf(partial, sizeof partial, "%s.partial", options->output_path);
    if (st == LSIM_OK && !options->restart && access(partial, F_OK) == 0)
        st = lsim_fail(LSIM_ERR_INPUT, "'%s' exists (an interrupted sweep?): resume it with the same command and "
                                       "--restart, or remove it to start over", partial);

    /* Resume: the members already in the file are not run again. */
    lsim_h5_sweep *out = NULL;
    size_t done_before = 0;
    if (st == LSIM_OK && options->restart) {
        lsim_run_metadata history;
        memset(&history, 0, sizeof history);
        history.argc = options->argc;
        history.argv = options->argv;
        st = lsim_h5_sweep_reopen(&out, options->output_path, template_reg, runs, rows, identity, comm_pointer, done,
                                  design, &history);
        for (size_t r = 0; st == LSIM_OK && r < runs; ++r) done_before += done[r] != 0;
        /* Rank 0 carries the done members' figures into the sums below;
         * every other entry starts at zero, as in a fresh sweep. */
        for (size_t a = 0; st == LSIM_OK && a < design_count; ++a)
            for (size_t r = 0; r < runs; ++r)
                if (!done[r] || rank != 0) design[a * runs + r] = 0.0;
        double *column = rank == 0 ? malloc((runs ? runs : 1) * sizeof *column) : NULL;
        if (st == LSIM_OK && rank == 0 && !column) st = lsim_fail(LSIM_ERR_RUN, "out of memory");
        for (size_t i = 0; st == LSIM_OK && rank == 0 && i < metric_count; ++i) {
            st = lsim_h5_sweep_read_summary(out, i, column);
            for (size_t r = 0; st == LSIM_OK && r < runs; ++r)
                if (done[r]) metrics[r * metric_count + i] = column[r];
        }
        free(column);
        if (st != LSIM_OK && out) {
            lsim_h5_sweep_close_kept(out);
            out = NULL;
        }
    }

    /* A restart's cost: of what is missing (a fresh sweep's was checked before anything was allocated). */
    if (st == LSIM_OK && options->restart) {
        st = lsim_sweep_estimate_check(&estimate, options, template_reg, runs, runs - done_before, rows, design_count,
                                       ranks, rank);
        if (st != LSIM_OK && out) {
            lsim_h5_sweep_close_kept(out);
            out = NULL;
        }
    }

    if (st == LSIM_OK && !options->restart) {
        lsim_run_metadata meta;
        memset(&meta, 0, sizeof meta); /* fields added later default to none */
        meta.version = LSIM_VERSION;
        meta.git_commit = LSIM_GIT_COMMIT;
        meta.seed = seed;
        meta.deck_yaml = deck_yaml;
        meta.epoch = epoch;
        meta.title = "lunarsim sweep";
        meta.argc = options->argc;
        meta.argv = options->argv;
        st = lsim_h5_sweep_create(&out, options->output_path, &meta, template_reg, runs, rows, times, columns,
                                  plan.axis_count, plan.spec, identity, comm_pointer);
    }
    free(deck_yaml);

    lsim_log_level saved_level = lsim_log_get_level();
    if (saved_level > LSIM_LOG_WARN) lsim_log_set_level(LSIM_LOG_WARN);

    /* Every member to run is checked (its whole init) before any is
     * written: a bad one fails now, with its values, not after the others
     * ran. The checks and the runs share one parallel region: a thread done
     * with the checks starts running members while the others finish
     * theirs (no barrier between, whose wait for the slowest check cost
     * ~3% of a 16-member sweep on 2 threads), but it writes nothing until
     * every check on this rank (and, under MPI, on every rank) has passed;
     * a member run before a check failed is dropped unwritten. */
    long long first_bad = -1;
    int check_failed = 0; /* first_bad >= 0, read by the runners without the lock */
    char error_text[1024] = "";
    const long long member_count = st == LSIM_OK ? (long long)runs : 0;
    long long unchecked = member_count > rank ? (member_count - rank + ranks - 1) / ranks : 0;
    lsim_status first_error = LSIM_OK;
    size_t first_error_run = (size_t)-1;
    size_t done_now = 0, to_run_here = 0;
    for (long long run = rank; run < member_count; run += ranks) to_run_here += !done[run];
    const double started = lsim_sweep_wall();
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 1) nowait
        for (long long run = rank; run < member_count; run += ranks) {
            if (!done[run] && !lsim_sweep_stop_signal) {
                lsim_status vs = lsim_sweep_validate_member(base, &plan, (size_t)run);
                if (vs != LSIM_OK) {
#pragma omp critical(lsim_sweep_validation)
                    if (first_bad < 0 || run < first_bad) {
                        first_bad = run;
                        char values[512];
                        lsim_sweep_member_text(&plan, base, (size_t)run, values, sizeof values);
                        snprintf(error_text, sizeof error_text, "sweep member %lld (%s): %s; nothing was run", run,
                                 values, lsim_last_error());
                    }
#pragma omp atomic write seq_cst
                    check_failed = 1;
                }
            }
#pragma omp atomic update seq_cst
            --unchecked;
        }
#ifdef LSIM_HAVE_MPI
        if (ranks > 1) {
            /* All ranks agree on the lowest bad member before any writes:
             * on the main thread (MPI_THREAD_FUNNELED is enough). */
#pragma omp barrier
#pragma omp master
            if (st == LSIM_OK) {
                long long mine = first_bad < 0 ? (long long)runs : first_bad, lowest = mine;
                MPI_Allreduce(&mine, &lowest, 1, MPI_LONG_LONG, MPI_MIN, comm);
                if (lowest < (long long)runs) {
                    MPI_Bcast(error_text, (int)sizeof error_text, MPI_CHAR, (int)(lowest % ranks), comm);
                    first_bad = lowest;
                    check_failed = 1;
                }
            }
#pragma omp barrier
        }
#endif

        /* Members in parallel; the file is written one member at a time.
         * The first failure (lowest member index) is the one reported. */
#pragma omp for schedule(dynamic, 1)
        for (long long run = rank; run < member_count; run += ranks) {
            int failed_check;
#pragma omp atomic read seq_cst
            failed_check = check_failed;
            if (done[run] || lsim_sweep_stop_signal || failed_check) continue;
            lsim_series_registry *member = NULL;
            lsim_status ms = lsim_sweep_member(base, &plan, (size_t)run, rows, &member);
            if (ms == LSIM_CHECKPOINTED) continue; /* abandoned: a restart runs it */
            for (;;) {
                long long left;
#pragma omp atomic read seq_cst
                left = unchecked;
                if (left <= 0) break;
                struct timespec pause = {0, 1000000}; /* the checks take ~1 s each: 1 ms costs nothing */
                nanosleep(&pause, NULL);
            }
#pragma omp atomic read seq_cst
            failed_check = check_failed;
            if (failed_check) {
                lsim_series_free(member);
                continue;
            }
#pragma omp critical(lsim_sweep_output)
            {
                if (ms == LSIM_OK) ms = lsim_h5_sweep_write_member(out, (size_t)run, member);
                /* The rows are durable before the member is marked done (the
                 * flag itself goes straight to the file), and it is reported
                 * only then: a kill -9 loses no member reported done. */
                if (ms == LSIM_OK) ms = lsim_h5_sweep_flush(out);
                if (ms == LSIM_OK) {
                    /* By name, as the file's writer takes them. */
                    for (size_t i = 0; i < metric_count; ++i)
                        metrics[(size_t)run * metric_count + i] =
                            lsim_summary_get(member, lsim_summary_at(template_reg, i)->name);
                    lsim_sweep_member_design(template_reg, member, design, runs, (size_t)run);
                    for (size_t a = 0; a < design_count; ++a) design_column[a] = design[a * runs + (size_t)run];
                    ms = lsim_h5_sweep_mark_done(out, (size_t)run, design_column);
                }
                double now = lsim_sweep_wall();
                if (ms == LSIM_OK) {
                    done[run] = 1;
                    ++done_now;
                }
                if (ms != LSIM_OK && (size_t)run < first_error_run) {
                    first_error = ms;
                    first_error_run = (size_t)run;
                    char values[512];
                    lsim_sweep_member_text(&plan, base, (size_t)run, values, sizeof values);
                    snprintf(error_text, sizeof error_text, "sweep member %lld (%s): %s", run, values,
                             lsim_last_error());
                }
                if (ms == LSIM_OK && options->on_member_done) {
                    lsim_sweep_progress progress = {rank, ranks, run, done_now, to_run_here, now - started};
                    options->on_member_done(&progress, options->context);
                }
            }
            lsim_series_free(member);
        }
    }
    if (st == LSIM_OK && first_bad >= 0) st = lsim_fail(LSIM_ERR_INPUT, "%s", error_text);
    lsim_log_set_level(saved_level);
    if (st == LSIM_OK && first_error != LSIM_OK) st = lsim_fail(first_error, "%s", error_text);
    int stopped = lsim_sweep_stop_signal != 0;
    size_t done_total = done_before + done_now;
#ifdef LSIM_HAVE_MPI
    if (ranks > 1) {
        int local[2] = {(int)st, stopped}, worst[2] = {0, 0};
        MPI_Allreduce(local, worst, 2, MPI_INT, MPI_MAX, comm);
        if (st == LSIM_OK && worst[0] != 0) st = lsim_fail((lsim_status)worst[0], "another rank's sweep members failed");
        stopped = worst[1];
        unsigned long long mine = done_now, all = 0;
        MPI_Allreduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm);
        done_total = done_before + (size_t)all;
    }
#endif
    if (st == LSIM_OK && stopped && done_total < runs) {
        /* Whole and kept: the members written so far are what a restart skips. */
        st = out ? lsim_h5_sweep_close_kept(out) : LSIM_OK;
        out = NULL;
        if (st == LSIM_OK)
            st = lsim_fail(LSIM_CHECKPOINTED, "sweep stopped by signal %d with %zu of %zu members in '%s'; resume "
                                              "with the same command and --restart", (int)lsim_sweep_stop_signal,
                           done_total, runs, partial);
    }
#ifdef LSIM_HAVE_MPI
    if (ranks > 1 && st == LSIM_OK) {
        /* Each member's row was filled by one rank and is -0.0 elsewhere;
         * rank 0 makes the table and the indices. In blocks: a count is an int. */
        const size_t total = runs * metric_count, block = (size_t)1 << 26;
        for (size_t at = 0; at < total; at += block) {
            int count = (int)(total - at < block ? total - at : block);
            if (rank == 0) MPI_Reduce(MPI_IN_PLACE, metrics + at, count, MPI_DOUBLE, MPI_SUM, 0, comm);
            else MPI_Reduce(metrics + at, NULL, count, MPI_DOUBLE, MPI_SUM, 0, comm);
        }
        MPI_Allreduce(MPI_IN_PLACE, design, (int)(runs * design_count), MPI_DOUBLE, MPI_SUM, comm);
    }
#endif
    if (out && st == LSIM_OK) st = lsim_h5_sweep_write_design(out, template_reg, design);
    /* The indices of every metric: computed on rank 0, written collectively. */
    if (out && st == LSIM_OK && (plan.method == LSIM_SWEEP_SOBOL || plan.method == LSIM_SWEEP_MORRIS))
        st = lsim_sweep_write_sensitivity(out, &plan, base, template_reg, metrics, rank);
    if (out) {
        if (st == LSIM_OK) st = lsim_h5_sweep_finish(out);
        /* Members already written stay for a --restart (after a full disk,
         * say); a file with none of them goes. */
        else if (done_total > 0) lsim_h5_sweep_close_kept(out);
        else lsim_h5_sweep_abort(out);
    }
    if (st == LSIM_OK && rank == 0 && options->on_table) {
        /* A few headline metrics per member for the printed table. */
        static const char *const table_metrics[] = {"installed_orbital_power", "peak_delivery_per_year",
                                                    "time_to_1_GW_per_year", "growth_limited_by_earth_parts_share"};
        enum { TABLE_METRICS = 4 };
        double *table = malloc((runs ? runs : 1) * TABLE_METRICS * sizeof *table);
        for (size_t r = 0; table && r < runs; ++r)
            for (size_t k = 0; k < TABLE_METRICS; ++k) {
                table[r * TABLE_METRICS + k] = NAN;
                for (size_t i = 0; i < metric_count; ++i)
                    if (strcmp(lsim_summary_at(template_reg, i)->name, table_metrics[k]) == 0)
                        table[r * TABLE_METRICS + k] = metrics[r * metric_count + i];
            }
        const lsim_sweep_table report = {&plan, base, table, table_metrics, table ? TABLE_METRICS : 0, template_reg};
        options->on_table(&report, options->context);
        free(table);
    }
    free(metrics);
    free(design);
    free(design_column);
    free(done);
    free(columns);
    free(column_values);
    free(times);
    lsim_series_free(template_reg);
    lsim_sweep_plan_free(&plan);
    return st;
}
