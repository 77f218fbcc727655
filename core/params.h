/* The parameter registry: every input of every module, with its SI unit,
 * default, allowed range, one-line doc and source.
 *
 * Modules declare a static table of lsim_param_def and register it; the deck
 * and --set overrides write values through the registry, which checks
 * dimension and range and remembers where each value came from. */
#ifndef LSIM_PARAMS_H
#define LSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef enum {
    LSIM_PARAM_REAL,   /* a quantity; value in SI */
    LSIM_PARAM_INT,    /* a count (dimensionless whole number) */
    LSIM_PARAM_BOOL,   /* true/false */
    LSIM_PARAM_CHOICE, /* one word of `choices` */
    LSIM_PARAM_TEXT    /* free text (e.g. an epoch or a file name) */
} lsim_param_type;

typedef struct {
    const char *section;  /* deck section, e.g. "power" */
    const char *key;      /* key inside the section, e.g. "array_area" */
    lsim_param_type type;
    const char *unit;      /* SI unit, UDUNITS spelling: "m2", "W m-2", "1" (REAL only) */
    const char *deck_unit; /* unit the default is shown in ("km/s", "kWh/kg"); NULL: unit */
    double default_value;  /* SI (REAL/INT/BOOL) */
    double min_value;      /* inclusive range, SI (REAL/INT) */
    double max_value;
    const char *choices;        /* CHOICE: words separated by '|' */
    const char *default_text;   /* CHOICE/TEXT default */
    const char *doc;            /* one line: what it is */
    const char *source;         /* "docs/REFERENCES.md [Key]: what is taken" or "design choice: why" */
} lsim_param_def;

typedef struct lsim_params lsim_params;

lsim_params *lsim_params_new(void);
void lsim_params_free(lsim_params *params);

/* Registers a module's table (the table must outlive the registry). A
 * section.key registered twice is a programming error reported as LSIM_ERR_RUN. */
lsim_status lsim_params_register(lsim_params *params, const lsim_param_def *defs, size_t count);

/* Lookup by section and key; the def index, or -1. */
long lsim_params_find(const lsim_params *params, const char *section, const char *key);
size_t lsim_params_count(const lsim_params *params);
const lsim_param_def *lsim_params_def(const lsim_params *params, size_t index);
int lsim_params_has_section(const lsim_params *params, const char *section);

/* Choice lists "a|b|c": the index of a word (-1 if absent), and the word at an index. */
int lsim_choice_index(const char *choices, const char *word);
lsim_status lsim_choice_word(const char *choices, size_t index, char *word, size_t size);

/* Typed getters. Asking for an unregistered name or a wrong type is a
 * programming error: it aborts with a message naming the parameter. */
double lsim_param_real(const lsim_params *params, const char *section, const char *key);
long lsim_param_int(const lsim_params *params, const char *section, const char *key);
int lsim_param_bool(const lsim_params *params, const char *section, const char *key);
const char *lsim_param_text(const lsim_params *params, const char *section, const char *key); /* CHOICE or TEXT */

/* Sets a value from deck text ("2.4 km/s", "true", "mre", "12").
 * `origin` is "file:line:column" or "--set"; it prefixes any error message,
 * which names the key, the value given and what was expected. Free text
 * (TEXT) must be UTF-8, the only text the effective deck can carry. */
lsim_status lsim_param_set_text(lsim_params *params, const char *section, const char *key,
                                const char *value_text, const char *origin);

/* Sets an SI value directly (sweeps); range-checked like deck input. */
lsim_status lsim_param_set_real(lsim_params *params, const char *section, const char *key, double value_si,
                                const char *origin);

/* Where the value came from, to start a message about it as the loader's own
 * messages start: "deck.yaml:3:16: run.start_epoch" for a deck line,
 * "--set run.start_epoch=x: run.start_epoch" for an override, and just
 * "run.start_epoch" for a default. Owned by the registry; valid until the
 * value is set again. Checks made after loading (the clock's epoch, data
 * files) use it so that their errors name file:line:column too. */
const char *lsim_param_where(const lsim_params *params, const char *section, const char *key);

/* 1 if the value was set from a deck or override, 0 if it is the default. */
int lsim_param_is_set(const lsim_params *params, size_t index);

/* The effective deck as YAML text (malloc'd; caller frees). Values are
 * written in SI with their unit so the text loads back to the same bits.
 * With `with_docs`, each key carries a comment with doc, range and source.
 * `only_section` NULL means all sections. */
char *lsim_params_to_yaml(const lsim_params *params, const char *only_section, int with_docs);

/* `text` (valid UTF-8, as every value the registry holds) as a one-line
 * double-quoted YAML scalar that a YAML reader gives back byte for byte:
 * line breaks, tabs, controls and the characters YAML does not allow raw are
 * escapes. Also for messages, so a value with a line break stays on one line.
 * malloc'd; caller frees. */
char *lsim_yaml_quoted(const char *text);

/* A 64-bit hash of every effective value (for checkpoints and sweeps). */
uint64_t lsim_params_hash(const lsim_params *params);

/* Copies values (not registrations) from src to dst; both must hold the same tables. */
void lsim_params_copy_values(lsim_params *dst, const lsim_params *src);
lsim_params *lsim_params_clone(const lsim_params *src);

#endif
