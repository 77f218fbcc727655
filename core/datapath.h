/* Finding the data files (site tables, route tables) wherever lunarsim runs:
 * the source tree, an installed prefix, or a directory the user names. */
#ifndef LSIM_DATAPATH_H
#define LSIM_DATAPATH_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Resolves `path`: an absolute path is taken as it is; a relative one is
 * looked up under $LSIM_DATA_DIR when set, else under one built-in data
 * directory, and last relative to the working directory. The built-in one is
 * the share/lunarsim beside the running executable (BINDIR/../share/lunarsim,
 * so a moved install finds its own data); for an executable inside the build
 * tree without such a layout, the source tree's data/; otherwise the
 * configured install directory. An installed command never reads a source
 * tree. `what` (e.g. "regolith.site_table") starts the error message, which
 * lists every place tried (LSIM_ERR_INPUT). */
lsim_status lsim_data_path(const char *path, const char *what, char *resolved, size_t size);

/* Every data file resolved so far in this process is remembered (up to 64).
 * lsim_data_files_hash folds their contents, in path order, into one FNV-1a
 * hash and writes the paths, comma-separated, to `names` (may be NULL): a
 * checkpoint records the hash so that a restart can refuse data files edited
 * in between. LSIM_ERR_RUN if a remembered file can no longer be read. */
lsim_status lsim_data_files_hash(uint64_t *hash, char *names, size_t names_size);

#endif
