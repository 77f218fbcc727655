/* Checkpoint state: a module visits its fields with one function that both
 * saves and loads them, so the two can never drift apart.
 *
 *   lsim_status lsim_M_state(lsim_M *m, lsim_state *s) {
 *       lsim_status st = lsim_state_size(s, "regolith.agents", &m->count);   // arrays' length first
 *       if (st == LSIM_OK && lsim_state_is_loading(s)) st = grow arrays to m->count;
 *       if (st == LSIM_OK) st = lsim_state_f64(s, "regolith.age", m->age, m->count);
 *       ...
 *   }
 *
 * On load each entry is looked up by name and its type and length checked,
 * so a mismatch is a clear error, not silent garbage. The file is written to
 * PATH.tmp and renamed, with a format version, the deck hash and a checksum
 * over everything (a truncated or corrupted file is refused). */
#ifndef LSIM_STATE_H
#define LSIM_STATE_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#define LSIM_STATE_FORMAT_VERSION 1

typedef struct {
    uint32_t format_version;
    char code_version[32];
    uint64_t deck_hash;
    int64_t step;          /* steps completed */
    int64_t output_rows;   /* rows in the output file at checkpoint time */
} lsim_state_header;

typedef struct lsim_state lsim_state;

lsim_state *lsim_state_new_saver(void);
void lsim_state_free(lsim_state *s);
int lsim_state_is_loading(const lsim_state *s);

lsim_status lsim_state_f64(lsim_state *s, const char *name, double *values, size_t count);
lsim_status lsim_state_i64(lsim_state *s, const char *name, int64_t *values, size_t count);
lsim_status lsim_state_i32(lsim_state *s, const char *name, int32_t *values, size_t count);
lsim_status lsim_state_u8(lsim_state *s, const char *name, uint8_t *values, size_t count);
/* Saves or restores a length (so a module can size its arrays before loading them). */
lsim_status lsim_state_size(lsim_state *s, const char *name, size_t *count);

/* Writes atomically (PATH.tmp, fsync, rename). */
lsim_status lsim_state_write_file(const lsim_state *s, const char *path, const lsim_state_header *header);

/* Reads and verifies a checkpoint; the result is a loader. Errors are
 * LSIM_ERR_INPUT with one line naming the file and the reason (missing,
 * not a checkpoint, other format version, truncated, checksum). */
lsim_status lsim_state_read_file(lsim_state **loader, const char *path, lsim_state_header *header);

#endif
