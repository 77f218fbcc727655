/* Sub-model variants chosen by name (the way REBOUND chooses integrators).
 *
 * A family of variants (launcher model, flight model, digging-energy model,
 * growth policy, grant policy, ...) is declared once, as an X-macro list:
 *
 *     #define LSIM_LAUNCHER_VARIANTS(X) \
 *         X(first_order, "one wall-plug efficiency, rate cap and release errors")
 *
 * From that one list come the deck's choice list (LSIM_VARIANT_CHOICES), the
 * documentation `lunarsim params` shows (LSIM_VARIANT_DOCS), and the family's
 * table of operations (each row built by the family's own row macro from the
 * variant's name), so the words a user may type, what is documented and what
 * runs cannot drift apart. Every row of a table starts with an
 * lsim_variant_head, so lookups by name are generic. Adding a variant is one
 * line in the list plus the file that implements it. */
#ifndef LSIM_VARIANT_H
#define LSIM_VARIANT_H

#include <stddef.h>

typedef struct {
    const char *name; /* the deck word */
    const char *doc;  /* one line: what this variant models and leaves out */
} lsim_variant_head;

/* "a|b|c" from the list, as a constant string for lsim_param_def.choices. */
#define LSIM_VARIANT_BARRED_WORD_(name, doc) "|" #name
#define LSIM_VARIANT_CHOICES(LIST) (&(LIST(LSIM_VARIANT_BARRED_WORD_))[1]) /* past the first '|' */

/* " a: doc a; b: doc b;" for a parameter's doc line. */
#define LSIM_VARIANT_DOC_ITEM_(name, doc) " " #name ": " doc ";"
#define LSIM_VARIANT_DOCS(LIST) LIST(LSIM_VARIANT_DOC_ITEM_)

/* A table row's head from the list entry. */
#define LSIM_VARIANT_HEAD(name, doc) {#name, doc}

/* The row of `table` (count rows of `stride` bytes, each starting with an
 * lsim_variant_head) whose name is `name`, or NULL. The registry has already
 * refused any word not in the family's choice list, so NULL at init is a
 * programming error for the caller to assert on. */
const void *lsim_variant_find(const void *table, size_t count, size_t stride, const char *name);

#define LSIM_VARIANT_FIND(table, name) \
    lsim_variant_find((table), sizeof(table) / sizeof((table)[0]), sizeof((table)[0]), (name))

#endif
