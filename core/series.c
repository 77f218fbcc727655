#include "series.h"

#include "state.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    lsim_series_info info;
} lsim_series_slot;

/* Struct of arrays: what every step touches (the values, the flows'
 * integrals) is contiguous and apart from the names and units. */
struct lsim_series_registry {
    lsim_series_values_ values; /* first: lsim_series_put (series.h) reaches current[] through it */
    double *integral;           /* sum of value*dt over the open interval (read for flows only) */
    double *last_closed;        /* most recent row value */
    unsigned char *is_flow;
    size_t value_capacity;
    lsim_series_slot *slots;
    size_t count, capacity;

    char **groups;
    size_t group_count, group_capacity;

    lsim_series_attr *attrs;
    size_t attr_count, attr_capacity;

    lsim_summary_entry *summary;
    size_t summary_count, summary_capacity;

    lsim_series_table *tables;
    size_t table_count, table_capacity;

    double interval_elapsed; /* seconds accumulated in the open interval */

    size_t rows_per_block;
    size_t pending;
    size_t rows_written;
    double *pending_times;  /* [rows_per_block] */
    double *pending_values; /* [count][rows_per_block], allocated at first close */
};

static void *lsim_grow(void *array, size_t *capacity, size_t needed, size_t element_size)
{
    if (needed <= *capacity) return array;
    size_t next = *capacity ? *capacity : 8;
    while (next < needed) next *= 2;
    void *grown = realloc(array, next * element_size);
    if (!grown) {
        fprintf(stderr, "lunarsim: out of memory growing the series registry\n");
        abort();
    }
    *capacity = next;
    return grown;
}

static char *lsim_strdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *copy = malloc(n);
    if (!copy) abort();
    memcpy(copy, s ? s : "", n);
    return copy;
}

static void lsim_series_flags_clear(lsim_series_flags *flags)
{
    free((int32_t *)flags->values);
    free((char *)flags->meanings);
    memset(flags, 0, sizeof *flags);
}

/* A CF flag_meanings word: letters, digits and _ . + - @, at least one. */
static int lsim_flag_word(const char *word)
{
    if (!word || !word[0]) return 0;
    for (const char *c = word; *c; ++c) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                 strchr("_.+-@", *c) != NULL;
        if (!ok) return 0;
    }
    return 1;
}

/* The flags of `meanings` (code k: meanings[k]; NULL skips k), copied. */
static lsim_series_flags lsim_series_flags_make(const char *what, const char *const *meanings, size_t code_count)
{
    LSIM_ASSERT(meanings && code_count > 0 && code_count <= INT32_MAX, "%s: a code needs a list of meanings", what);
    lsim_series_flags flags = {0, NULL, NULL};
    size_t text = 0;
    for (size_t k = 0; k < code_count; ++k) {
        if (!meanings[k]) continue;
        LSIM_ASSERT(lsim_flag_word(meanings[k]), "%s: meaning '%s' of code %zu is not one CF word", what, meanings[k], k);
        for (size_t j = 0; j < k; ++j)
            LSIM_ASSERT(!meanings[j] || strcmp(meanings[j], meanings[k]) != 0, "%s: meaning '%s' given twice", what,
                        meanings[k]);
        flags.count++;
        text += strlen(meanings[k]) + 1;
    }
    LSIM_ASSERT(flags.count > 0, "%s: a code needs at least one meaning", what);
    int32_t *values = malloc(flags.count * sizeof *values);
    char *joined = malloc(text);
    if (!values || !joined) {
        fprintf(stderr, "lunarsim: out of memory for the codes of %s\n", what);
        abort();
    }
    size_t n = 0, used = 0;
    for (size_t k = 0; k < code_count; ++k) {
        if (!meanings[k]) continue;
        size_t length = strlen(meanings[k]);
        if (n) joined[used++] = ' ';
        memcpy(joined + used, meanings[k], length);
        used += length;
        values[n++] = (int32_t)k;
    }
    joined[used] = '\0';
    flags.values = values;
    flags.meanings = joined;
    return flags;
}

int32_t lsim_series_code_of(const lsim_series_flags *flags, double value, const char *what)
{
    if (isnan(value) || value == (double)LSIM_SERIES_CODE_MISSING) return LSIM_SERIES_CODE_MISSING;
    for (size_t i = 0; i < flags->count; ++i)
        if (value == (double)flags->values[i]) return flags->values[i];
    LSIM_ASSERT(0, "%s: %.17g is not one of its %zu codes", what, value, flags->count);
    return LSIM_SERIES_CODE_MISSING;
}

static void lsim_series_table_clear(lsim_series_table *t)
{
    free((char *)t->group);
    free((char *)t->name);
    free((double *)t->data);
    free((char *)t->columns);
    free((char *)t->column_units);
    free((char *)t->long_name);
    memset(t, 0, sizeof *t);
}

lsim_series_registry *lsim_series_new(size_t rows_per_block)
{
    lsim_series_registry *reg = calloc(1, sizeof *reg);
    if (!reg) return NULL;
    reg->rows_per_block = rows_per_block ? rows_per_block : 1;
    return reg;
}

void lsim_series_free(lsim_series_registry *reg)
{
    if (!reg) return;
    for (size_t i = 0; i < reg->count; ++i) {
        free((char *)reg->slots[i].info.group);
        free((char *)reg->slots[i].info.name);
        free((char *)reg->slots[i].info.units);
        free((char *)reg->slots[i].info.long_name);
        lsim_series_flags_clear(&reg->slots[i].info.flags);
    }
    for (size_t i = 0; i < reg->group_count; ++i) free(reg->groups[i]);
    for (size_t i = 0; i < reg->attr_count; ++i) {
        free((char *)reg->attrs[i].group);
        free((char *)reg->attrs[i].name);
        free((char *)reg->attrs[i].units);
    }
    for (size_t i = 0; i < reg->summary_count; ++i) {
        free((char *)reg->summary[i].name);
        free((char *)reg->summary[i].units);
        free((char *)reg->summary[i].long_name);
        lsim_series_flags_clear(&reg->summary[i].flags);
    }
    for (size_t i = 0; i < reg->table_count; ++i) lsim_series_table_clear(&reg->tables[i]);
    free(reg->slots);
    free(reg->values.current);
    free(reg->integral);
    free(reg->last_closed);
    free(reg->is_flow);
    free(reg->groups);
    free(reg->tables);
    free(reg->attrs);
    free(reg->summary);
    free(reg->pending_times);
    free(reg->pending_values);
    free(reg);
}

static void lsim_series_note_group(lsim_series_registry *reg, const char *group)
{
    for (size_t i = 0; i < reg->group_count; ++i) {
        if (strcmp(reg->groups[i], group) == 0) return;
    }
    reg->groups = lsim_grow(reg->groups, &reg->group_capacity, reg->group_count + 1, sizeof *reg->groups);
    reg->groups[reg->group_count++] = lsim_strdup(group);
}

int lsim_series_add(lsim_series_registry *reg, const char *group, const char *name, const char *units,
                    const char *long_name, lsim_series_kind kind)
{
    if (reg == NULL) return -1;
    LSIM_ASSERT(!reg->pending_values, "series %s/%s registered after output started", group, name);
    for (size_t i = 0; i < reg->count; ++i) {
        LSIM_ASSERT(!(strcmp(reg->slots[i].info.group, group) == 0 && strcmp(reg->slots[i].info.name, name) == 0), "series %s/%s registered twice", group, name);
    }
    lsim_series_note_group(reg, group);
    reg->slots = lsim_grow(reg->slots, &reg->capacity, reg->count + 1, sizeof *reg->slots);
    lsim_series_slot *slot = &reg->slots[reg->count];
    memset(slot, 0, sizeof *slot);
    slot->info.group = lsim_strdup(group);
    slot->info.name = lsim_strdup(name);
    slot->info.units = lsim_strdup(units);
    slot->info.long_name = lsim_strdup(long_name);
    slot->info.kind = kind;
    size_t value_capacity = reg->value_capacity;
    reg->values.current = lsim_grow(reg->values.current, &value_capacity, reg->count + 1, sizeof(double));
    value_capacity = reg->value_capacity;
    reg->integral = lsim_grow(reg->integral, &value_capacity, reg->count + 1, sizeof(double));
    value_capacity = reg->value_capacity;
    reg->last_closed = lsim_grow(reg->last_closed, &value_capacity, reg->count + 1, sizeof(double));
    value_capacity = reg->value_capacity;
    reg->is_flow = lsim_grow(reg->is_flow, &value_capacity, reg->count + 1, sizeof(unsigned char));
    reg->value_capacity = value_capacity;
    reg->values.current[reg->count] = NAN;
    reg->integral[reg->count] = 0.0;
    reg->last_closed[reg->count] = NAN;
    reg->is_flow[reg->count] = kind == LSIM_SERIES_FLOW;
    return (int)reg->count++;
}

int lsim_series_add_code(lsim_series_registry *reg, const char *group, const char *name, const char *long_name,
                         const char *const *meanings, size_t code_count)
{
    int id = lsim_series_add(reg, group, name, "1", long_name, LSIM_SERIES_STOCK);
    if (id < 0) return id;
    char what[256];
    snprintf(what, sizeof what, "series %s/%s", group, name);
    reg->slots[id].info.flags = lsim_series_flags_make(what, meanings, code_count);
    return id;
}

void lsim_series_group_attr(lsim_series_registry *reg, const char *group, const char *name, double value,
                            const char *units)
{
    if (reg == NULL) return;
    lsim_series_note_group(reg, group);
    for (size_t i = 0; i < reg->attr_count; ++i) {
        if (strcmp(reg->attrs[i].group, group) == 0 && strcmp(reg->attrs[i].name, name) == 0) {
            reg->attrs[i].value = value;
            return;
        }
    }
    reg->attrs = lsim_grow(reg->attrs, &reg->attr_capacity, reg->attr_count + 1, sizeof *reg->attrs);
    lsim_series_attr *a = &reg->attrs[reg->attr_count++];
    a->group = lsim_strdup(group);
    a->name = lsim_strdup(name);
    a->units = lsim_strdup(units);
    a->value = value;
}

/* Entries in a comma-separated list ("a,b,c" has 3; "" has 1, an empty name). */
static size_t lsim_list_length(const char *list)
{
    size_t n = 1;
    for (const char *c = list; *c; ++c) n += *c == ',';
    return n;
}

void lsim_series_group_table(lsim_series_registry *reg, const char *group, const char *name, size_t rows,
                             size_t cols, const double *data, const char *columns, const char *column_units,
                             const char *long_name)
{
    if (reg == NULL) return;
    LSIM_ASSERT(group && group[0] && name && name[0], "table needs a group and a name");
    LSIM_ASSERT(cols > 0, "table %s/%s has no columns", group, name);
    LSIM_ASSERT(rows == 0 || data != NULL, "table %s/%s: %zu rows but no data", group, name, rows);
    LSIM_ASSERT(rows <= SIZE_MAX / sizeof(double) / cols, "table %s/%s: %zu x %zu is too large", group, name, rows, cols);
    LSIM_ASSERT(columns && lsim_list_length(columns) == cols, "table %s/%s: columns '%s' must name %zu columns", group,
                name, columns ? columns : "(null)", cols);
    LSIM_ASSERT(column_units && lsim_list_length(column_units) == cols, "table %s/%s: column_units '%s' must give %zu units",
                group, name, column_units ? column_units : "(null)", cols);
    /* Copied before an old table of the same name is freed: `data` may be its own. */
    double *copy = NULL;
    if (rows > 0) {
        copy = malloc(rows * cols * sizeof *copy);
        if (!copy) {
            fprintf(stderr, "lunarsim: out of memory for table %s/%s\n", group, name);
            abort();
        }
        memcpy(copy, data, rows * cols * sizeof *copy);
    }
    lsim_series_table fresh = {lsim_strdup(group), lsim_strdup(name), rows, cols, copy,
                               lsim_strdup(columns), lsim_strdup(column_units), lsim_strdup(long_name)};
    lsim_series_table *t = NULL;
    for (size_t i = 0; i < reg->table_count && !t; ++i) {
        if (strcmp(reg->tables[i].group, group) == 0 && strcmp(reg->tables[i].name, name) == 0) t = &reg->tables[i];
    }
    if (t) {
        lsim_series_table_clear(t);
    } else {
        reg->tables = lsim_grow(reg->tables, &reg->table_capacity, reg->table_count + 1, sizeof *reg->tables);
        t = &reg->tables[reg->table_count++];
    }
    *t = fresh;
}

void lsim_summary_set(lsim_series_registry *reg, const char *name, double value, const char *units,
                      const char *long_name)
{
    if (reg == NULL) return;
    for (size_t i = 0; i < reg->summary_count; ++i) {
        if (strcmp(reg->summary[i].name, name) == 0) {
            reg->summary[i].value = value;
            return;
        }
    }
    reg->summary = lsim_grow(reg->summary, &reg->summary_capacity, reg->summary_count + 1, sizeof *reg->summary);
    lsim_summary_entry *e = &reg->summary[reg->summary_count++];
    e->name = lsim_strdup(name);
    e->units = lsim_strdup(units);
    e->long_name = lsim_strdup(long_name);
    e->value = value;
    e->flags = (lsim_series_flags){0, NULL, NULL};
}

void lsim_summary_set_code(lsim_series_registry *reg, const char *name, double code, const char *long_name,
                           const char *const *meanings, size_t code_count)
{
    if (reg == NULL) return;
    char what[256];
    snprintf(what, sizeof what, "summary %s", name);
    lsim_series_flags flags = lsim_series_flags_make(what, meanings, code_count);
    lsim_summary_set(reg, name, code, "1", long_name);
    for (size_t i = 0; i < reg->summary_count; ++i) {
        if (strcmp(reg->summary[i].name, name) == 0) {
            lsim_series_flags_clear(&reg->summary[i].flags);
            reg->summary[i].flags = flags;
            /* Checked now, where the caller is, rather than when the file is written. */
            (void)lsim_series_code_of(&flags, code, what);
            return;
        }
    }
}

double lsim_summary_get(const lsim_series_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->summary_count; ++i) {
        if (strcmp(reg->summary[i].name, name) == 0) return reg->summary[i].value;
    }
    return NAN;
}

void lsim_series_end_step(lsim_series_registry *reg, double dt)
{
    if (reg == NULL) return;
    /* Every series, stocks too: a loop the compiler vectorises, where one
     * over the flows' indices was a gather (7% of a step's instructions).
     * A stock's integral is never read (end_interval takes its current
     * value and zeroes every integral); a flow's is the same sum as before. */
    const double *restrict current = reg->values.current;
    double *restrict integral = reg->integral;
    const size_t n = reg->count;
    for (size_t i = 0; i < n; ++i) integral[i] += current[i] * dt;
    reg->interval_elapsed += dt;
}

int lsim_series_end_interval(lsim_series_registry *reg, double t_end)
{
    if (reg == NULL) return 0;
    if (!reg->pending_values) {
        reg->pending_times = calloc(reg->rows_per_block, sizeof(double));
        reg->pending_values = calloc(reg->rows_per_block * (reg->count ? reg->count : 1), sizeof(double));
        if (!reg->pending_times || !reg->pending_values) {
            fprintf(stderr, "lunarsim: out of memory for the output buffer\n");
            abort();
        }
    }
    LSIM_ASSERT(!(reg->pending == reg->rows_per_block), "output buffer overrun (writer did not drain)");
    size_t row = reg->pending;
    reg->pending_times[row] = t_end;
    for (size_t i = 0; i < reg->count; ++i) {
        double value = reg->is_flow[i] ? reg->integral[i] / reg->interval_elapsed : reg->values.current[i];
        reg->pending_values[i * reg->rows_per_block + row] = value;
        reg->last_closed[i] = value;
        reg->integral[i] = 0.0;
    }
    reg->interval_elapsed = 0.0;
    reg->pending++;
    return reg->pending == reg->rows_per_block;
}

size_t lsim_series_count(const lsim_series_registry *reg) { return reg->count; }
const lsim_series_info *lsim_series_info_at(const lsim_series_registry *reg, size_t id)
{
    return &reg->slots[id].info;
}
size_t lsim_series_group_count(const lsim_series_registry *reg) { return reg->group_count; }
const char *lsim_series_group_name(const lsim_series_registry *reg, size_t index) { return reg->groups[index]; }
size_t lsim_series_attr_count(const lsim_series_registry *reg) { return reg->attr_count; }
const lsim_series_attr *lsim_series_attr_at(const lsim_series_registry *reg, size_t index)
{
    return &reg->attrs[index];
}
size_t lsim_series_table_count(const lsim_series_registry *reg) { return reg ? reg->table_count : 0; }
const lsim_series_table *lsim_series_table_at(const lsim_series_registry *reg, size_t index)
{
    LSIM_ASSERT(index < reg->table_count, "table index %zu of %zu", index, reg->table_count);
    return &reg->tables[index];
}
size_t lsim_summary_count(const lsim_series_registry *reg) { return reg->summary_count; }
const lsim_summary_entry *lsim_summary_at(const lsim_series_registry *reg, size_t index)
{
    return &reg->summary[index];
}
size_t lsim_series_pending_rows(const lsim_series_registry *reg) { return reg->pending; }
const double *lsim_series_pending_times(const lsim_series_registry *reg) { return reg->pending_times; }
const double *lsim_series_pending_values(const lsim_series_registry *reg, size_t id)
{
    return reg->pending_values + id * reg->rows_per_block;
}
size_t lsim_series_rows_written(const lsim_series_registry *reg) { return reg->rows_written; }
void lsim_series_drain(lsim_series_registry *reg)
{
    if (reg == NULL) return;
    reg->rows_written += reg->pending;
    reg->pending = 0;
}
double lsim_series_last_value(const lsim_series_registry *reg, int id) { return reg->last_closed[id]; }

lsim_status lsim_series_state(lsim_series_registry *reg, struct lsim_state *state)
{
    if (reg->pending) return lsim_fail(LSIM_ERR_RUN, "series registry: checkpoint with %zu rows not yet written", reg->pending);
    size_t count = reg->count;
    lsim_status st = lsim_state_size(state, "series.count", &count);
    if (st == LSIM_OK && count != reg->count)
        return lsim_fail(LSIM_ERR_INPUT, "checkpoint holds %zu output series, this run registers %zu", count, reg->count);
    for (size_t i = 0; st == LSIM_OK && i < reg->count; ++i) {
        char name[256];
        double v[3] = {reg->values.current[i], reg->integral[i], reg->last_closed[i]};
        snprintf(name, sizeof name, "series.%s/%s", reg->slots[i].info.group, reg->slots[i].info.name);
        st = lsim_state_f64(state, name, v, 3);
        reg->values.current[i] = v[0];
        reg->integral[i] = v[1];
        reg->last_closed[i] = v[2];
    }
    if (st == LSIM_OK) st = lsim_state_f64(state, "series.interval_elapsed", &reg->interval_elapsed, 1);
    size_t rows = reg->rows_written;
    if (st == LSIM_OK) st = lsim_state_size(state, "series.rows_written", &rows);
    reg->rows_written = rows;
    return st;
}
