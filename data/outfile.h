/* Output files that are never destroyed silently and never written by two
 * runs at once.
 *
 * Backups. A finished file replaces NAME only after the NAME there is kept as
 * NAME.~N~, N the first number free (the numbered backups of GNU cp and mv,
 * --backup=numbered); a run never deletes an earlier result.
 *
 * Locks. A run or sweep holds an exclusive fcntl lock on NAME.lock (and on
 * CKPT.lock for its checkpoint) from before it writes anything until it ends;
 * a second run on the same output or checkpoint is refused on one line naming
 * the process that holds it. The kernel releases the lock when the process
 * dies, even by kill -9; the lock file is removed at a normal end (a stale one
 * is harmless and reused). */
#ifndef LSIM_OUTFILE_H
#define LSIM_OUTFILE_H

#include <stddef.h>

#include "status.h"

/* If `final_path` exists, renames it to final_path.~N~ (first free N) and
 * writes that name to `backup` (empty if nothing was there). */
lsim_status lsim_outfile_backup(const char *final_path, char *backup, size_t backup_size);

typedef struct {
    int fd;            /* -1: not held */
    char *path;        /* the lock file */
} lsim_outfile_lock;

/* Takes the lock of `path` (path.lock). `what` names the file in the
 * message ("output", "checkpoint"). LSIM_ERR_INPUT if another process holds
 * it; LSIM_ERR_RUN if the lock file cannot be made. */
lsim_status lsim_outfile_lock_take(lsim_outfile_lock *lock, const char *path, const char *what);
/* Releases and removes the lock file (no-op if not held). */
void lsim_outfile_lock_release(lsim_outfile_lock *lock);

#endif
