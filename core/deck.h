/* YAML deck loading (libyaml) and --set overrides.
 *
 * A deck is a mapping of sections, each a mapping of key: value. Every error
 * is one line starting "file:line:column: " and names the section.key, the
 * value given and what was expected; unknown names get a "did you mean" hint. */
#ifndef LSIM_DECK_H
#define LSIM_DECK_H

#include <stdio.h>

#include "params.h"

lsim_status lsim_deck_load_file(lsim_params *params, const char *path);

/* Reads a deck from an open stream to its end (closed after, unless it is
 * stdin), refusing more than the deck size limit; `name` stands for the
 * file in messages ("<stdin>"). */
lsim_status lsim_deck_load_stream(lsim_params *params, FILE *file, const char *name);

/* Parses a deck from memory; `name` stands for the file name in messages. */
lsim_status lsim_deck_load_string(lsim_params *params, const char *text, size_t length, const char *name);

/* Applies "section.key=value" as given after --set. */
lsim_status lsim_deck_apply_override(lsim_params *params, const char *assignment);

/* Closest candidate to `word` among `candidates` by edit distance, or NULL
 * when none is close enough to be a plausible typo. */
const char *lsim_suggest(const char *word, const char *const *candidates, size_t count);

#endif
