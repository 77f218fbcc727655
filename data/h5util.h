/* HDF5 helpers shared by the run and sweep writers (internal to data/). */
#ifndef LSIM_H5UTIL_H
#define LSIM_H5UTIL_H

#include <stddef.h>
#include <hdf5.h>
#include "h5out.h"

/* Deflate level of the chunked datasets HDF5 compresses itself (sweep
 * files); the run writer deflates its own chunks at level 1 with the
 * run-length strategy (h5out.c). Level 1: a member flush costs less than
 * half of level 4 for files ~5% larger. */
#define LSIM_H5_DEFLATE_LEVEL 1

/* Fixed-length UTF-8 string attribute (netCDF-4 reads it as text). */
int lsim_h5_write_attr_string(hid_t object, const char *name, const char *text);
int lsim_h5_write_attr_scalar(hid_t object, const char *name, hid_t file_type, hid_t mem_type, const void *value);
/* A group with link and attribute creation order tracked (netCDF-4 needs it). */
hid_t lsim_h5_create_ordered_group(hid_t parent, const char *name);
void lsim_h5_iso8601_now(char *buffer, size_t size);
/* Makes `dataset` the CF time scale of its group ("seconds since <epoch>"). */
int lsim_h5_make_time_scale(hid_t dataset, const char *units);
/* The attributes every series and summary metric carries: NaN _FillValue
 * (netCDF-C ignores the HDF5 fill value), units, long_name, and, when given,
 * cell_methods and coordinates. */
int lsim_h5_write_variable_attributes(hid_t dataset, const char *units, const char *long_name,
                                      const char *cell_methods, const char *coordinates);
/* A code variable's attributes (core/series.h lsim_series_flags): int32
 * _FillValue LSIM_SERIES_CODE_MISSING, units, long_name, cell_methods and
 * coordinates when given, flag_values (int32) and flag_meanings. The
 * dataset must be int32 (H5T_STD_I32LE) with that fill value, and its rows
 * written through lsim_series_code_of. */
int lsim_h5_write_code_attributes(hid_t dataset, const char *units, const char *long_name, const char *cell_methods,
                                  const char *coordinates, const lsim_series_flags *flags);
/* title, lunarsim_version, git_commit, creation_time, seed, deck, Conventions,
 * and CF source ("lunarsim VERSION (commit COMMIT)") and references (where
 * the sources are, and how to cite lunarsim). Every attribute is the same
 * for the same build and inputs; `history` (which is not) is written apart. */
int lsim_h5_write_run_attributes(hid_t file, const lsim_run_metadata *meta, const char *created);
/* The CF `history` attribute: "TIME: COMMAND" for the command in `meta`
 * (shell-quoted so that it reads back to the same words). append = 1 adds
 * the line, with `note` after it when given, to the history already there. */
int lsim_h5_write_history(hid_t file, const lsim_run_metadata *meta, const char *when, int append, const char *note);
/* File access properties: SWMR needs the latest format; hdf5_1_8 bounds
 * every object to the 1.8 format; otherwise each object takes the earliest
 * format that holds it. -1 on failure. */
hid_t lsim_h5_file_access(int swmr, int hdf5_1_8);

#endif
