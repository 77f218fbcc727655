/* HDF5 writer for parameter sweeps (see h5sweep.h for the layout). */
#define _POSIX_C_SOURCE 200809L

#include "h5sweep.h"

#include "log.h"
#include "outfile.h"
#include "h5out.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#ifdef LSIM_HAVE_MPI
#include <mpi.h>
#endif

#include "h5util.h"

#define LSIM_SWEEP_PROGRESS_GROUP "sweep_progress"
#define LSIM_SWEEP_IDENTITY_ATTR "sweep_identity"

struct lsim_h5_sweep {
    hid_t file;
    char *final_path, *partial_path;
    size_t runs, rows;
    size_t group_count, series_count, summary_count;
    hid_t *groups;      /* registry groups, then parameters, then summary */
    hid_t *series;      /* (run, time) */
    hid_t *summaries;   /* (run) */
    char **summary_names; /* the template's metric names, in dataset order */
    lsim_series_flags *summary_flags; /* a code's categories (count 0: a quantity), in the same order */
    int rank;
    int parallel;
    /* Restart bookkeeping, removed at finish: which members are in the file
     * and their design figures (attribute x run). */
    hid_t progress, done, design;
    size_t design_count;
    int swmr; /* one process: written in SWMR mode, so a kill -9 leaves a file a restart opens */
};

static lsim_status sweep_fail(const lsim_h5_sweep *out, const char *what, const char *name)
{
    return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot %s '%s' in '%s'", what, name, out->partial_path);
}

/* Fixed-size dataset; chunked by member row so a member writes whole chunks.
 * Parallel HDF5 only filters under collective writes, and members are
 * written independently: no deflate there (values are the same either way). */
/* fill_nan: 1 fills float64 with NaN, FILL_CODE int32 with the missing code. */
enum { FILL_CODE = 2 };
static hid_t create_dataset(const lsim_h5_sweep *out, hid_t parent, const char *name, hid_t type, int rank,
                            const hsize_t *dims, const hsize_t *chunk, int fill_nan)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    hid_t dataset = -1;
    const double nan_value = NAN;
    const int32_t missing_code = LSIM_SERIES_CODE_MISSING;
    if (space >= 0 && plist >= 0 &&
        H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0 &&
        (!chunk || H5Pset_chunk(plist, rank, chunk) >= 0) &&
        (!chunk || out->parallel || (H5Pset_shuffle(plist) >= 0 && H5Pset_deflate(plist, LSIM_H5_DEFLATE_LEVEL) >= 0)) &&
        (!fill_nan ||
         (fill_nan == FILL_CODE ? H5Pset_fill_value(plist, H5T_NATIVE_INT32, &missing_code)
                                : H5Pset_fill_value(plist, H5T_NATIVE_DOUBLE, &nan_value)) >= 0) &&
        /* Parallel HDF5 needs it; under SWMR a dataset's space must exist
         * before the writes begin (allocating it would change metadata). */
        ((chunk && !out->parallel) || H5Pset_alloc_time(plist, H5D_ALLOC_TIME_EARLY) >= 0))
        dataset = H5Dcreate2(parent, name, type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
    if (plist >= 0) H5Pclose(plist);
    if (space >= 0) H5Sclose(space);
    return dataset;
}

/* Only one rank writes shared raw data (times, run indices, parameters). */
static int write_whole(const lsim_h5_sweep *out, hid_t dataset, hid_t mem_type, const void *data)
{
    if (out->rank != 0) return 0;
    return H5Dwrite(dataset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0 ? -1 : 0;
}

/* CF categorical attributes: flag_values 0..k-1 (int32) and flag_meanings,
 * the k words of `words` (separated by `separator`) joined by spaces. Any
 * number and length of words. */
static int write_flags(hid_t object, const char *words, char separator)
{
    char *meanings = malloc(strlen(words) + 1);
    if (!meanings) return -1;
    size_t k = 1;
    for (size_t i = 0; words[i]; ++i) {
        meanings[i] = words[i] == separator ? ' ' : words[i];
        k += words[i] == separator;
    }
    meanings[strlen(words)] = '\0';
    int32_t *flags = malloc(k * sizeof *flags);
    int rc = flags ? 0 : -1;
    for (size_t i = 0; flags && i < k; ++i) flags[i] = (int32_t)i;
    hsize_t nflags = (hsize_t)k;
    hid_t space = rc == 0 ? H5Screate_simple(1, &nflags, NULL) : -1;
    hid_t attr = space < 0 ? -1 : H5Acreate2(object, "flag_values", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, H5T_NATIVE_INT32, flags) < 0) rc = -1;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (rc == 0 && lsim_h5_write_attr_string(object, "flag_meanings", meanings) < 0) rc = -1;
    free(flags);
    free(meanings);
    return rc;
}

/* The `coordinates` attribute of the series: every column's name, spaced. */
static char *column_coordinates(const lsim_sweep_column *columns, size_t column_count)
{
    size_t length = 1;
    for (size_t c = 0; c < column_count; ++c) length += strlen(columns[c].name) + 1;
    char *text = malloc(length);
    if (!text) return NULL;
    text[0] = '\0';
    for (size_t c = 0; c < column_count; ++c) {
        if (c) strcat(text, " ");
        strcat(text, columns[c].name);
    }
    return text;
}

/* A group's own run and time scales, plus the parameter columns. */
static int add_scales_and_columns(lsim_h5_sweep *out, hid_t group, const double *times, const char *time_units,
                                  const lsim_sweep_column *columns, size_t column_count, hid_t *run_scale,
                                  hid_t *time_scale)
{
    hsize_t runs = out->runs, rows = out->rows;
    *run_scale = create_dataset(out, group, "run", H5T_STD_I64LE, 1, &runs, NULL, 0);
    *time_scale = times ? create_dataset(out, group, "time", H5T_IEEE_F64LE, 1, &rows, NULL, 0) : -1;
    if (*run_scale < 0 || (times && *time_scale < 0)) return -1;
    int64_t *index = malloc(out->runs * sizeof *index);
    if (!index) return -1;
    for (size_t r = 0; r < out->runs; ++r) index[r] = (int64_t)r;
    int rc = write_whole(out, *run_scale, H5T_NATIVE_INT64, index);
    free(index);
    if (rc < 0 || H5DSset_scale(*run_scale, "run") < 0 ||
        lsim_h5_write_attr_string(*run_scale, "long_name", "sweep member index") < 0)
        return -1;
    if (times && (write_whole(out, *time_scale, H5T_NATIVE_DOUBLE, times) < 0 ||
                  lsim_h5_make_time_scale(*time_scale, time_units) < 0))
        return -1;
    for (size_t c = 0; c < column_count; ++c) {
        const lsim_sweep_column *col = &columns[c];
        hid_t type = col->choices ? H5T_STD_I32LE : H5T_IEEE_F64LE;
        hid_t d = create_dataset(out, group, col->name, type, 1, &runs, NULL, 0);
        if (d < 0) return -1;
        int bad = 0;
        if (col->choices) {
            int32_t *codes = malloc(out->runs * sizeof *codes);
            if (!codes) bad = 1;
            for (size_t r = 0; !bad && r < out->runs; ++r) codes[r] = (int32_t)col->values[r];
            if (!bad && write_whole(out, d, H5T_NATIVE_INT32, codes) < 0) bad = 1;
            free(codes);
            if (!bad && write_flags(d, col->choices, '|') < 0) bad = 1;
        } else if (write_whole(out, d, H5T_NATIVE_DOUBLE, col->values) < 0) {
            bad = 1;
        }
        if (bad || H5DSattach_scale(d, *run_scale, 0) < 0 || lsim_h5_write_attr_string(d, "units", col->units) < 0 ||
            lsim_h5_write_attr_string(d, "long_name", col->long_name) < 0 ||
            (col->deck_key && lsim_h5_write_attr_string(d, "deck_key", col->deck_key) < 0)) {
            H5Dclose(d);
            return -1;
        }
        H5Dclose(d);
    }
    return 0;
}

static void free_sweep(lsim_h5_sweep *out)
{
    if (!out) return;
    free(out->final_path);
    free(out->partial_path);
    free(out->groups);
    free(out->series);
    free(out->summaries);
    for (size_t i = 0; out->summary_names && i < out->summary_count; ++i) free(out->summary_names[i]);
    free(out->summary_names);
    free(out->summary_flags);
    free(out);
}

static int close_sweep(lsim_h5_sweep *out)
{
    int rc = 0;
    for (size_t i = 0; out->series && i < out->series_count; ++i)
        if (out->series[i] >= 0 && H5Dclose(out->series[i]) < 0) rc = -1;
    for (size_t i = 0; out->summaries && i < out->summary_count; ++i)
        if (out->summaries[i] >= 0 && H5Dclose(out->summaries[i]) < 0) rc = -1;
    for (size_t g = 0; out->groups && g < out->group_count + 2; ++g)
        if (out->groups[g] >= 0 && H5Gclose(out->groups[g]) < 0) rc = -1;
    if (out->done >= 0 && H5Dclose(out->done) < 0) rc = -1;
    if (out->design >= 0 && H5Dclose(out->design) < 0) rc = -1;
    if (out->progress >= 0 && H5Gclose(out->progress) < 0) rc = -1;
    out->done = out->design = out->progress = -1;
    if (out->file >= 0 && H5Fclose(out->file) < 0) {
        rc = -1;
        lsim_h5_unclean = 1;
    }
    out->file = -1;
    if (out->series)
        for (size_t i = 0; i < out->series_count; ++i) out->series[i] = -1;
    if (out->summaries)
        for (size_t i = 0; i < out->summary_count; ++i) out->summaries[i] = -1;
    if (out->groups)
        for (size_t g = 0; g < out->group_count + 2; ++g) out->groups[g] = -1;
    return rc;
}

/* The handle with every HDF5 id at -1 (nothing open yet). */
static lsim_status allocate_sweep(lsim_h5_sweep **result, const char *final_path, const lsim_series_registry *reg,
                                  size_t runs, size_t rows)
{
    *result = NULL;
    lsim_h5_sweep *out = calloc(1, sizeof *out);
    if (!out) return lsim_fail(LSIM_ERR_RUN, "out of memory");
    out->file = -1;
    out->runs = runs;
    out->rows = rows;
    out->group_count = lsim_series_group_count(reg);
    out->series_count = lsim_series_count(reg);
    out->summary_count = lsim_summary_count(reg);
    size_t n = strlen(final_path) + sizeof ".partial";
    out->final_path = malloc(strlen(final_path) + 1);
    out->partial_path = malloc(n);
    out->groups = malloc((out->group_count + 2) * sizeof(hid_t));
    out->series = malloc((out->series_count + 1) * sizeof(hid_t));
    out->summaries = malloc((out->summary_count + 1) * sizeof(hid_t));
    out->summary_names = calloc(out->summary_count + 1, sizeof(char *));
    out->summary_flags = calloc(out->summary_count + 1, sizeof *out->summary_flags);
    if (!out->final_path || !out->partial_path || !out->groups || !out->series || !out->summaries ||
        !out->summary_names || !out->summary_flags) {
        free_sweep(out);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    strcpy(out->final_path, final_path);
    snprintf(out->partial_path, n, "%s.partial", final_path);
    for (size_t g = 0; g < out->group_count + 2; ++g) out->groups[g] = -1;
    for (size_t i = 0; i < out->series_count; ++i) out->series[i] = -1;
    for (size_t i = 0; i < out->summary_count; ++i) out->summaries[i] = -1;
    /* Shallow: a code's lists are the module's static tables. */
    for (size_t i = 0; i < out->summary_count; ++i) out->summary_flags[i] = lsim_summary_at(reg, i)->flags;

    out->progress = out->done = out->design = -1;
    out->design_count = lsim_series_attr_count(reg);
    /* The template's metric names, in dataset order: members' summaries are matched by name. */
    for (size_t i = 0; i < out->summary_count; ++i)
        if (!(out->summary_names[i] = strdup(lsim_summary_at(reg, i)->name))) {
            free_sweep(out);
            return lsim_fail(LSIM_ERR_RUN, "out of memory");
        }
    *result = out;
    return LSIM_OK;
}

/* File access for one process or, with `mpi_comm`, for parallel HDF5; rank
 * 0's `created` (if given) is copied to every rank. */
static lsim_status sweep_file_access(lsim_h5_sweep *out, void *mpi_comm, char created[32], hid_t *fapl)
{
    *fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (*fapl < 0) return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot make a file access list");
#ifdef LSIM_HAVE_MPI
    if (mpi_comm) {
        MPI_Comm comm = *(MPI_Comm *)mpi_comm;
        int rank = 0;
        MPI_Comm_rank(comm, &rank);
        out->rank = rank;
        out->parallel = 1;
        /* Metadata calls must be identical on every rank: rank 0's clock wins. */
        if (created) MPI_Bcast(created, 32, MPI_CHAR, 0, comm);
        H5Pset_fapl_mpio(*fapl, comm, MPI_INFO_NULL);
    }
#endif
    if (!mpi_comm) {
        /* SWMR needs the latest format. With no sieve buffer a member's
         * `done` flag reaches the file when written, after its rows were
         * flushed: a kill -9 never leaves a flag without its rows. */
        if (H5Pset_libver_bounds(*fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0 ||
            H5Pset_sieve_buf_size(*fapl, 0) < 0) {
            H5Pclose(*fapl);
            *fapl = -1;
            return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot set the file access list");
        }
    }
#ifndef LSIM_HAVE_MPI
    (void)created;
    (void)out;
    if (mpi_comm) {
        H5Pclose(*fapl);
        *fapl = -1;
        return lsim_fail(LSIM_ERR_RUN, "this lunarsim was built without MPI (configure with -DLSIM_MPI=ON)");
    }
#endif
    return LSIM_OK;
}

/* One process writes in SWMR mode from here on (no new objects or
 * attributes until leave_swmr): a kill -9 leaves a file a restart opens.
 * Parallel HDF5 has no SWMR. */
static lsim_status start_swmr(lsim_h5_sweep *out)
{
    if (out->parallel) return LSIM_OK;
    if (H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0 || H5Fstart_swmr_write(out->file) < 0)
        return sweep_fail(out, "start SWMR writing of", out->partial_path);
    out->swmr = 1;
    return LSIM_OK;
}

lsim_status lsim_h5_sweep_create(lsim_h5_sweep **result, const char *final_path, const lsim_run_metadata *meta,
                                 const lsim_series_registry *reg, size_t runs, size_t rows, const double *times,
                                 const lsim_sweep_column *columns, size_t column_count, const char *sweep_spec,
                                 uint64_t identity, void *mpi_comm)
{
    *result = NULL;
    lsim_status status = lsim_h5_check_directory_writable(final_path);
    if (status != LSIM_OK) return status;
    lsim_h5_sweep *out = NULL;
    status = allocate_sweep(&out, final_path, reg, runs, rows);
    if (status != LSIM_OK) return status;

    char created[32];
    lsim_h5_iso8601_now(created, sizeof created);
    hid_t fapl = -1;
    status = sweep_file_access(out, mpi_comm, created, &fapl);
    if (status != LSIM_OK) {
        free_sweep(out);
        return status;
    }
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl >= 0) {
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    }
    out->file = (fapl < 0 || fcpl < 0) ? -1 : H5Fcreate(out->partial_path, H5F_ACC_TRUNC, fcpl, fapl);
    if (fapl >= 0) H5Pclose(fapl);
    if (fcpl >= 0) H5Pclose(fcpl);
    if (out->file < 0) {
        status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create '%s'", out->partial_path);
        free_sweep(out);
        return status;
    }
    uint64_t run_count = runs;
    if (lsim_h5_write_run_attributes(out->file, meta, created) < 0 ||
        lsim_h5_write_attr_string(out->file, "sweep_spec", sweep_spec ? sweep_spec : "") < 0 ||
        lsim_h5_write_attr_scalar(out->file, "run_count", H5T_STD_U64LE, H5T_NATIVE_UINT64, &run_count) < 0 ||
        lsim_h5_write_attr_scalar(out->file, LSIM_SWEEP_IDENTITY_ATTR, H5T_STD_U64LE, H5T_NATIVE_UINT64, &identity) < 0 ||
        lsim_h5_write_history(out->file, meta, created, 0, NULL) < 0)
        status = sweep_fail(out, "write root attributes of", "/");

    char time_units[96];
    snprintf(time_units, sizeof time_units, "seconds since %s", meta->epoch);
    char *coordinates = column_coordinates(columns, column_count);
    if (!coordinates && status == LSIM_OK) status = lsim_fail(LSIM_ERR_RUN, "out of memory");
    hsize_t dims[2] = {runs, rows}, chunk[2] = {1, rows};
    for (size_t g = 0; status == LSIM_OK && g < out->group_count; ++g) {
        const char *name = lsim_series_group_name(reg, g);
        hid_t run_scale = -1, time_scale = -1;
        out->groups[g] = lsim_h5_create_ordered_group(out->file, name);
        if (out->groups[g] < 0 || add_scales_and_columns(out, out->groups[g], times, time_units, columns, column_count,
                                                         &run_scale, &time_scale) < 0) {
            status = sweep_fail(out, "create group", name);
        }
        for (size_t i = 0; status == LSIM_OK && i < out->series_count; ++i) {
            const lsim_series_info *info = lsim_series_info_at(reg, i);
            if (strcmp(info->group, name) != 0) continue;
            /* A category code is int32 with its flags, as in a run's file. */
            const int code = info->flags.count > 0;
            hid_t d = create_dataset(out, out->groups[g], info->name, code ? H5T_STD_I32LE : H5T_IEEE_F64LE, 2, dims,
                                     chunk, code ? FILL_CODE : 1);
            const char *cell_methods = info->kind == LSIM_SERIES_FLOW ? "time: mean" : "time: point";
            out->series[i] = d;
            if (d < 0 || H5DSattach_scale(d, run_scale, 0) < 0 || H5DSattach_scale(d, time_scale, 1) < 0 ||
                (code ? lsim_h5_write_code_attributes(d, info->units, info->long_name, cell_methods, coordinates,
                                                      &info->flags)
                      : lsim_h5_write_variable_attributes(d, info->units, info->long_name, cell_methods,
                                                          coordinates)) < 0)
                status = sweep_fail(out, "create series", info->name);
        }
        for (size_t a = 0; status == LSIM_OK && a < lsim_series_attr_count(reg); ++a) {
            const lsim_series_attr *attr = lsim_series_attr_at(reg, a);
            if (strcmp(attr->group, name) != 0) continue;
            char units_name[256];
            snprintf(units_name, sizeof units_name, "%s_units", attr->name);
            if (lsim_h5_write_attr_scalar(out->groups[g], attr->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &attr->value) < 0 ||
                lsim_h5_write_attr_string(out->groups[g], units_name, attr->units) < 0)
                status = sweep_fail(out, "write attribute", attr->name);
        }
        if (run_scale >= 0) H5Dclose(run_scale);
        if (time_scale >= 0) H5Dclose(time_scale);
    }
    /* /parameters and /summary carry the run scale and (run) columns. */
    hid_t run_scale = -1, unused_time = -1;
    if (status == LSIM_OK) {
        out->groups[out->group_count] = lsim_h5_create_ordered_group(out->file, "parameters");
        if (out->groups[out->group_count] < 0 ||
            add_scales_and_columns(out, out->groups[out->group_count], NULL, time_units, columns, column_count,
                                   &run_scale, &unused_time) < 0)
            status = sweep_fail(out, "create group", "parameters");
        if (run_scale >= 0) H5Dclose(run_scale);
        run_scale = -1;
    }
    if (status == LSIM_OK) {
        hid_t summary = lsim_h5_create_ordered_group(out->file, "summary");
        out->groups[out->group_count + 1] = summary;
        if (summary < 0 || add_scales_and_columns(out, summary, NULL, time_units, columns, column_count, &run_scale,
                                                  &unused_time) < 0)
            status = sweep_fail(out, "create group", "summary");
        hsize_t run_dims = runs;
        for (size_t i = 0; status == LSIM_OK && i < out->summary_count; ++i) {
            const lsim_summary_entry *e = lsim_summary_at(reg, i);
            const int code = e->flags.count > 0;
            hid_t d = create_dataset(out, summary, e->name, code ? H5T_STD_I32LE : H5T_IEEE_F64LE, 1, &run_dims, NULL,
                                     code ? FILL_CODE : 1);
            out->summaries[i] = d;
            if (d < 0 || H5DSattach_scale(d, run_scale, 0) < 0 ||
                (code ? lsim_h5_write_code_attributes(d, e->units, e->long_name, NULL, coordinates, &e->flags)
                      : lsim_h5_write_variable_attributes(d, e->units, e->long_name, NULL, coordinates)) < 0)
                status = sweep_fail(out, "create summary", e->name);
        }
        if (run_scale >= 0) H5Dclose(run_scale);
    }
    if (status == LSIM_OK) {
        /* Which members are in the file, and their design figures: what a
         * --restart needs and the finished file does not. No fill for
         * `done` beyond HDF5's zero; design figures start as NaN. */
        hsize_t run_dims = runs, design_dims[2] = {out->design_count, runs};
        out->progress = lsim_h5_create_ordered_group(out->file, LSIM_SWEEP_PROGRESS_GROUP);
        if (out->progress >= 0) out->done = create_dataset(out, out->progress, "member_done", H5T_STD_U8LE, 1, &run_dims, NULL, 0);
        if (out->done >= 0 && out->design_count > 0)
            out->design = create_dataset(out, out->progress, "design", H5T_IEEE_F64LE, 2, design_dims, NULL, 1);
        if (out->progress < 0 || out->done < 0 || (out->design_count > 0 && out->design < 0))
            status = sweep_fail(out, "create group", LSIM_SWEEP_PROGRESS_GROUP);
    }
    free(coordinates);
    if (status == LSIM_OK) status = start_swmr(out);
    if (status != LSIM_OK) {
        lsim_h5_sweep_abort(out);
        return status;
    }
    *result = out;
    return LSIM_OK;
}

lsim_status lsim_h5_sweep_write_member(lsim_h5_sweep *out, size_t run, const lsim_series_registry *member)
{
    if (lsim_series_pending_rows(member) != out->rows || lsim_series_count(member) != out->series_count)
        return lsim_fail(LSIM_ERR_RUN, "sweep member %zu has %zu rows of %zu series; the file expects %zu of %zu", run,
                         lsim_series_pending_rows(member), lsim_series_count(member), out->rows, out->series_count);
    hsize_t start[2] = {run, 0}, count[2] = {1, out->rows};
    hid_t memory = H5Screate_simple(1, &count[1], NULL);
    int32_t *codes = malloc((out->rows ? out->rows : 1) * sizeof *codes);
    lsim_status status = memory < 0 ? sweep_fail(out, "make a dataspace for", "member")
                         : !codes   ? lsim_fail(LSIM_ERR_RUN, "out of memory")
                                    : LSIM_OK;
    for (size_t i = 0; status == LSIM_OK && i < out->series_count; ++i) {
        const lsim_series_info *info = lsim_series_info_at(member, i);
        const double *values = lsim_series_pending_values(member, i);
        const int code = info->flags.count > 0;
        for (size_t r = 0; code && r < out->rows; ++r) codes[r] = lsim_series_code_of(&info->flags, values[r], info->name);
        hid_t space = H5Dget_space(out->series[i]);
        if (space < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dwrite(out->series[i], code ? H5T_NATIVE_INT32 : H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT,
                     code ? (const void *)codes : (const void *)values) < 0)
            status = sweep_fail(out, "write member rows of", info->name);
        if (space >= 0) H5Sclose(space);
    }
    free(codes);
    if (memory >= 0) H5Sclose(memory);
    hsize_t one = 1, at = run;
    hid_t scalar = H5Screate_simple(1, &one, NULL);
    if (status == LSIM_OK && lsim_summary_count(member) != out->summary_count)
        status = lsim_fail(LSIM_ERR_RUN, "sweep member %zu has %zu summary metrics; the file expects %zu", run,
                           lsim_summary_count(member), out->summary_count);
    for (size_t i = 0; status == LSIM_OK && i < out->summary_count; ++i) {
        hid_t space = H5Dget_space(out->summaries[i]);
        /* By name, not position: a member's summary order is not a contract. */
        double value = lsim_summary_get(member, out->summary_names[i]);
        const int code = out->summary_flags[i].count > 0;
        int32_t code_value = code ? lsim_series_code_of(&out->summary_flags[i], value, out->summary_names[i]) : 0;
        if (space < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, &at, NULL, &one, NULL) < 0 ||
            H5Dwrite(out->summaries[i], code ? H5T_NATIVE_INT32 : H5T_NATIVE_DOUBLE, scalar, space, H5P_DEFAULT,
                     code ? (const void *)&code_value : (const void *)&value) < 0)
            status = sweep_fail(out, "write summary of member", lsim_summary_at(member, i)->name);
        if (space >= 0) H5Sclose(space);
    }
    if (scalar >= 0) H5Sclose(scalar);
    return status;
}

/* SWMR allows no new objects or attributes: the finish closes the file and
 * opens it again as usual, with the groups the design figures go into. */
static lsim_status leave_swmr(lsim_h5_sweep *out, const lsim_series_registry *reg)
{
    if (!out->swmr) return LSIM_OK;
    out->swmr = 0;
    if (close_sweep(out) < 0) return sweep_fail(out, "close", out->partial_path);
    hid_t fapl = -1;
    lsim_status status = sweep_file_access(out, NULL, NULL, &fapl);
    if (status != LSIM_OK) return status;
    out->file = H5Fopen(out->partial_path, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (out->file < 0) return sweep_fail(out, "open again", out->partial_path);
    for (size_t g = 0; g < out->group_count; ++g) {
        out->groups[g] = H5Gopen2(out->file, lsim_series_group_name(reg, g), H5P_DEFAULT);
        if (out->groups[g] < 0) return sweep_fail(out, "open group", lsim_series_group_name(reg, g));
    }
    return LSIM_OK;
}

lsim_status lsim_h5_sweep_write_design(lsim_h5_sweep *out, const lsim_series_registry *reg, const double *values)
{
    lsim_status status = leave_swmr(out, reg);
    if (status != LSIM_OK) return status;
    hsize_t runs = out->runs, chunk = out->runs ? out->runs : 1;
    for (size_t a = 0; status == LSIM_OK && a < lsim_series_attr_count(reg); ++a) {
        const lsim_series_attr *attr = lsim_series_attr_at(reg, a);
        const double *v = values + a * out->runs;
        int same = 1;
        for (size_t r = 1; same && r < out->runs; ++r) same = memcmp(&v[r], &v[0], sizeof v[0]) == 0;
        hid_t group = -1;
        for (size_t g = 0; g < out->group_count; ++g)
            if (strcmp(lsim_series_group_name(reg, g), attr->group) == 0) group = out->groups[g];
        if (group < 0) return lsim_fail(LSIM_ERR_RUN, "design figure %s/%s: no such group", attr->group, attr->name);
        if (out->runs == 0) continue;
        if (same) {
            /* True for every member: an attribute, with the members' value. */
            hid_t existing = H5Aopen(group, attr->name, H5P_DEFAULT);
            if (existing < 0 || H5Awrite(existing, H5T_NATIVE_DOUBLE, &v[0]) < 0)
                status = sweep_fail(out, "write attribute", attr->name);
            if (existing >= 0) H5Aclose(existing);
            continue;
        }
        char units_name[256], name[256];
        snprintf(units_name, sizeof units_name, "%s_units", attr->name);
        snprintf(name, sizeof name, "%s", attr->name);
        if (H5Adelete(group, attr->name) < 0 || H5Adelete(group, units_name) < 0) {
            status = sweep_fail(out, "remove attribute", attr->name);
            break;
        }
        if (H5Lexists(group, name, H5P_DEFAULT) > 0) snprintf(name, sizeof name, "%s_design", attr->name);
        hid_t d = create_dataset(out, group, name, H5T_IEEE_F64LE, 1, &runs, &chunk, 0);
        hid_t run_scale = H5Dopen2(group, "run", H5P_DEFAULT);
        if (d < 0 || run_scale < 0 || H5DSattach_scale(d, run_scale, 0) < 0 ||
            lsim_h5_write_variable_attributes(d, attr->units, "design figure of each member (differs between "
                                                              "members)", NULL, NULL) < 0 ||
            write_whole(out, d, H5T_NATIVE_DOUBLE, v) < 0)
            status = sweep_fail(out, "write design figure", attr->name);
        if (run_scale >= 0) H5Dclose(run_scale);
        if (d >= 0) H5Dclose(d);
    }
    return status;
}

lsim_status lsim_h5_sweep_mark_done(lsim_h5_sweep *out, size_t run, const double *design)
{
    hsize_t one = 1, at = run;
    unsigned char flag = 1;
    lsim_status status = LSIM_OK;
    /* The design figures first: a member is done only once all of it is there. */
    if (out->design >= 0) {
        hsize_t start[2] = {0, run}, count[2] = {out->design_count, 1}, length = out->design_count;
        hid_t memory = H5Screate_simple(1, &length, NULL);
        hid_t space = H5Dget_space(out->design);
        if (memory < 0 || space < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dwrite(out->design, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, design) < 0)
            status = sweep_fail(out, "write the design figures of a member into", LSIM_SWEEP_PROGRESS_GROUP);
        if (space >= 0) H5Sclose(space);
        if (memory >= 0) H5Sclose(memory);
    }
    hid_t memory = H5Screate_simple(1, &one, NULL);
    hid_t space = H5Dget_space(out->done);
    if (status == LSIM_OK &&
        (memory < 0 || space < 0 || H5Sselect_hyperslab(space, H5S_SELECT_SET, &at, NULL, &one, NULL) < 0 ||
         H5Dwrite(out->done, H5T_NATIVE_UCHAR, memory, space, H5P_DEFAULT, &flag) < 0))
        status = sweep_fail(out, "mark a member done in", LSIM_SWEEP_PROGRESS_GROUP);
    if (space >= 0) H5Sclose(space);
    if (memory >= 0) H5Sclose(memory);
    return status;
}

lsim_status lsim_h5_sweep_flush(lsim_h5_sweep *out)
{
    /* H5Fflush is collective under parallel HDF5; members end at different
     * times on different ranks, so there only the close makes the file whole
     * (a kill -9 under MPI loses the .partial; a signal does not). */
    if (out->parallel) return LSIM_OK;
    return H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0 ? sweep_fail(out, "flush", out->partial_path) : LSIM_OK;
}

static hid_t open_dataset_quietly(hid_t parent, const char *name)
{
    hid_t d = -1;
    H5E_BEGIN_TRY { d = H5Dopen2(parent, name, H5P_DEFAULT); }
    H5E_END_TRY;
    return d;
}

lsim_status lsim_h5_sweep_reopen(lsim_h5_sweep **result, const char *final_path, const lsim_series_registry *reg,
                                 size_t runs, size_t rows, uint64_t identity, void *mpi_comm, unsigned char *done,
                                 double *design, const lsim_run_metadata *history)
{
    *result = NULL;
    lsim_h5_sweep *out = NULL;
    lsim_status status = allocate_sweep(&out, final_path, reg, runs, rows);
    if (status != LSIM_OK) return status;
    hid_t fapl = -1;
    status = sweep_file_access(out, mpi_comm, NULL, &fapl);
    if (status != LSIM_OK) {
        free_sweep(out);
        return status;
    }
    /* A sweep killed in SWMR mode leaves the superblock's "open for writing"
     * flag set; clear it as h5clear -s does (HDF5's own property). */
    hbool_t clear_flags = 1;
    if (H5Pexist(fapl, "clear_status_flags") > 0) H5Pset(fapl, "clear_status_flags", &clear_flags);
    H5E_BEGIN_TRY { out->file = H5Fopen(out->partial_path, H5F_ACC_RDWR, fapl); }
    H5E_END_TRY;
    H5Pclose(fapl);
    if (out->file < 0) {
        status = access(out->partial_path, F_OK) != 0
                     ? lsim_fail(LSIM_ERR_INPUT, "--restart: there is no '%s' to resume (start the sweep without "
                                                 "--restart)", out->partial_path)
                     : lsim_fail(LSIM_ERR_RUN, "--restart: HDF5 cannot open '%s' (damaged by a kill?); it is kept: "
                                               "remove it to start the sweep over", out->partial_path);
        free_sweep(out);
        return status;
    }
    uint64_t found = 0, found_runs = 0;
    int have = 0;
    H5E_BEGIN_TRY
    {
        hid_t attr = H5Aopen(out->file, LSIM_SWEEP_IDENTITY_ATTR, H5P_DEFAULT);
        if (attr >= 0 && H5Aread(attr, H5T_NATIVE_UINT64, &found) >= 0) ++have;
        if (attr >= 0) H5Aclose(attr);
        attr = H5Aopen(out->file, "run_count", H5P_DEFAULT);
        if (attr >= 0 && H5Aread(attr, H5T_NATIVE_UINT64, &found_runs) >= 0) ++have;
        if (attr >= 0) H5Aclose(attr);
    }
    H5E_END_TRY;
    if (have != 2 || found != identity || found_runs != runs) {
        status = lsim_fail(LSIM_ERR_INPUT, "--restart: '%s' is not this sweep's (the deck, --set or --vary options, "
                                           "--samples or the lunarsim build differ); run the command that wrote it, "
                                           "or remove it to start over", out->partial_path);
        close_sweep(out);
        free_sweep(out);
        return status;
    }
    for (size_t g = 0; status == LSIM_OK && g < out->group_count; ++g) {
        const char *name = lsim_series_group_name(reg, g);
        H5E_BEGIN_TRY { out->groups[g] = H5Gopen2(out->file, name, H5P_DEFAULT); }
        H5E_END_TRY;
        if (out->groups[g] < 0) status = sweep_fail(out, "open group", name);
        for (size_t i = 0; status == LSIM_OK && i < out->series_count; ++i) {
            const lsim_series_info *info = lsim_series_info_at(reg, i);
            if (strcmp(info->group, name) != 0) continue;
            out->series[i] = open_dataset_quietly(out->groups[g], info->name);
            if (out->series[i] < 0) status = sweep_fail(out, "open series", info->name);
        }
    }
    if (status == LSIM_OK) {
        H5E_BEGIN_TRY
        {
            out->groups[out->group_count] = H5Gopen2(out->file, "parameters", H5P_DEFAULT);
            out->groups[out->group_count + 1] = H5Gopen2(out->file, "summary", H5P_DEFAULT);
            out->progress = H5Gopen2(out->file, LSIM_SWEEP_PROGRESS_GROUP, H5P_DEFAULT);
        }
        H5E_END_TRY;
        if (out->groups[out->group_count] < 0 || out->groups[out->group_count + 1] < 0)
            status = sweep_fail(out, "open group", "summary");
        else if (out->progress < 0)
            status = lsim_fail(LSIM_ERR_RUN, "--restart: '%s' has no record of its finished members (its finish was "
                                             "interrupted?); it is kept: remove it to start the sweep over",
                               out->partial_path);
    }
    for (size_t i = 0; status == LSIM_OK && i < out->summary_count; ++i) {
        const lsim_summary_entry *e = lsim_summary_at(reg, i);
        out->summaries[i] = open_dataset_quietly(out->groups[out->group_count + 1], e->name);
        if (out->summaries[i] < 0) status = sweep_fail(out, "open summary", e->name);
    }
    if (status == LSIM_OK) {
        out->done = open_dataset_quietly(out->progress, "member_done");
        if (out->design_count > 0) out->design = open_dataset_quietly(out->progress, "design");
        if (out->done < 0 || (out->design_count > 0 && out->design < 0) ||
            H5Dread(out->done, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, done) < 0 ||
            (out->design_count > 0 &&
             H5Dread(out->design, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, design) < 0))
            status = sweep_fail(out, "read the finished members from", LSIM_SWEEP_PROGRESS_GROUP);
    }
    if (status == LSIM_OK && history) {
        /* Collective under MPI: every rank appends the same line, at rank 0's time. */
        char when[32];
        lsim_h5_iso8601_now(when, sizeof when);
#ifdef LSIM_HAVE_MPI
        if (out->parallel) MPI_Bcast(when, (int)sizeof when, MPI_CHAR, 0, *(MPI_Comm *)mpi_comm);
#endif
        if (lsim_h5_write_history(out->file, history, when, 1, "(resumed: the members not yet done)") < 0)
            status = sweep_fail(out, "append to the history of", out->partial_path);
    }
    if (status == LSIM_OK) status = start_swmr(out);
    if (status != LSIM_OK) {
        /* Never remove what a restart may still resume. */
        H5E_BEGIN_TRY { close_sweep(out); }
        H5E_END_TRY;
        free_sweep(out);
        return status;
    }
    *result = out;
    return LSIM_OK;
}

lsim_status lsim_h5_sweep_read_summary(lsim_h5_sweep *out, size_t index, double *values)
{
    if (index >= out->summary_count) return lsim_fail(LSIM_ERR_RUN, "summary metric %zu of %zu", index, out->summary_count);
    if (H5Dread(out->summaries[index], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
        return sweep_fail(out, "read summary", out->summary_names[index]);
    /* A code's "none" is -1 in the file and NaN in a member's registry. */
    if (out->summary_flags[index].count > 0)
        for (size_t r = 0; r < out->runs; ++r)
            if (values[r] == (double)LSIM_SERIES_CODE_MISSING) values[r] = NAN;
    return LSIM_OK;
}

lsim_status lsim_h5_sweep_close_kept(lsim_h5_sweep *out)
{
    lsim_status status = close_sweep(out) < 0 ? sweep_fail(out, "close", out->partial_path) : LSIM_OK;
    free_sweep(out);
    return status;
}

lsim_status lsim_h5_sweep_finish(lsim_h5_sweep *out)
{
    /* The restart record goes last but one: until the close, a restart can
     * still resume from it. */
    lsim_status status = LSIM_OK;
    if (out->done >= 0) H5Dclose(out->done);
    if (out->design >= 0) H5Dclose(out->design);
    if (out->progress >= 0) H5Gclose(out->progress);
    out->done = out->design = out->progress = -1;
    if (H5Ldelete(out->file, LSIM_SWEEP_PROGRESS_GROUP, H5P_DEFAULT) < 0)
        status = sweep_fail(out, "remove group", LSIM_SWEEP_PROGRESS_GROUP);
    if (close_sweep(out) < 0 && status == LSIM_OK) status = sweep_fail(out, "close", out->partial_path);
    char backup[1024] = "";
    if (status == LSIM_OK && out->rank == 0) status = lsim_outfile_backup(out->final_path, backup, sizeof backup);
    if (status == LSIM_OK && backup[0]) lsim_log(LSIM_LOG_WARN, "'%s' existed: kept as '%s'", out->final_path, backup);
    if (status == LSIM_OK && out->rank == 0 && rename(out->partial_path, out->final_path) != 0)
        status = lsim_fail(LSIM_ERR_RUN, "cannot rename '%s' to '%s': %s", out->partial_path, out->final_path,
                           strerror(errno));
    free_sweep(out);
    return status;
}

void lsim_h5_sweep_abort(lsim_h5_sweep *out)
{
    if (!out) return;
    H5E_BEGIN_TRY
    {
        close_sweep(out);
    }
    H5E_END_TRY;
    if (out->rank == 0) unlink(out->partial_path);
    free_sweep(out);
}

/* A 1-D attribute of variable-length UTF-8 strings (netCDF-4: NC_STRING).
 * Attributes are metadata: under parallel HDF5 every rank writes the same. */
static int write_string_array_attr(hid_t object, const char *name, const char *const *texts, size_t count)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    hsize_t n = count;
    hid_t space = H5Screate_simple(1, &n, NULL);
    int rc = type >= 0 && space >= 0 && H5Tset_size(type, H5T_VARIABLE) >= 0 &&
                     H5Tset_cset(type, H5T_CSET_UTF8) >= 0
                 ? 0
                 : -1;
    hid_t attr = rc == 0 ? H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
    if (attr < 0 || H5Awrite(attr, type, texts) < 0) rc = -1;
    if (attr >= 0) H5Aclose(attr);
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    return rc;
}

/* `texts` joined by '|' (for write_flags). */
static char *join_words(const char *const *texts, size_t count)
{
    size_t length = 1;
    for (size_t i = 0; i < count; ++i) length += strlen(texts[i]) + 1;
    char *joined = malloc(length);
    if (!joined) return NULL;
    joined[0] = '\0';
    for (size_t i = 0; i < count; ++i) {
        if (i) strcat(joined, "|");
        strcat(joined, texts[i]);
    }
    return joined;
}

/* An int32 dimension scale 0..n-1 named `name` whose flag_meanings are `words`. */
static hid_t create_index_scale(lsim_h5_sweep *out, hid_t group, const char *name, const char *const *words, size_t n,
                                const char *long_name)
{
    hsize_t count = n;
    hid_t scale = create_dataset(out, group, name, H5T_STD_I32LE, 1, &count, NULL, 0);
    int32_t *index = malloc((n ? n : 1) * sizeof *index);
    char *joined = join_words(words, n);
    int rc = scale >= 0 && index && joined ? 0 : -1;
    for (size_t i = 0; index && i < n; ++i) index[i] = (int32_t)i;
    if (rc == 0 && (write_whole(out, scale, H5T_NATIVE_INT32, index) < 0 || H5DSset_scale(scale, name) < 0 ||
                    lsim_h5_write_attr_string(scale, "long_name", long_name) < 0 || write_flags(scale, joined, '|') < 0))
        rc = -1;
    free(index);
    free(joined);
    if (rc < 0 && scale >= 0) {
        H5Dclose(scale);
        scale = -1;
    }
    return scale;
}

lsim_status lsim_h5_sweep_write_indices(lsim_h5_sweep *out, const lsim_sweep_indices *x)
{
    hid_t group = lsim_h5_create_ordered_group(out->file, "sensitivity");
    if (group < 0) return sweep_fail(out, "create group", "sensitivity");
    lsim_status status = LSIM_OK;
    hid_t metric = create_index_scale(out, group, "metric", x->metric_names, x->metric_count,
                                      "summary metric (flag_meanings: the names in /summary)");
    hid_t parameter = create_index_scale(out, group, "parameter", x->parameter_keys, x->parameter_count,
                                         "varied parameter (flag_meanings: the deck keys)");
    char *variables = join_words(x->parameter_names, x->parameter_count);
    if (variables)
        for (char *p = variables; *p; ++p)
            if (*p == '|') *p = ' ';
    if (metric < 0 || parameter < 0 || !variables ||
        write_string_array_attr(metric, "metric_units", x->metric_units, x->metric_count) < 0 ||
        lsim_h5_write_attr_string(parameter, "variables", variables) < 0)
        status = sweep_fail(out, "write the coordinates of", "sensitivity");
    free(variables);
    /* Why a metric's indices are NaN. */
    hsize_t metrics = x->metric_count, dims[2] = {x->metric_count, x->parameter_count};
    hid_t reason = status == LSIM_OK ? create_dataset(out, group, "reason", H5T_STD_I32LE, 1, &metrics, NULL, 0) : -1;
    char *words = reason >= 0 ? join_words(x->reason_words, x->reason_count) : NULL;
    if (status == LSIM_OK &&
        (reason < 0 || !words || write_whole(out, reason, H5T_NATIVE_INT32, x->reason) < 0 ||
         H5DSattach_scale(reason, metric, 0) < 0 ||
         lsim_h5_write_attr_string(reason, "long_name", "why the indices of a metric are NaN ('computed': they are "
                                                        "not)") < 0 ||
         write_flags(reason, words, '|') < 0))
        status = sweep_fail(out, "write", "sensitivity/reason");
    free(words);
    if (reason >= 0) H5Dclose(reason);
    for (size_t k = 0; status == LSIM_OK && k < x->field_count; ++k) {
        const lsim_sweep_index_field *field = &x->fields[k];
        hid_t d = create_dataset(out, group, field->name, H5T_IEEE_F64LE, 2, dims, NULL, 1);
        if (d < 0 || write_whole(out, d, H5T_NATIVE_DOUBLE, field->values) < 0 || H5DSattach_scale(d, metric, 0) < 0 ||
            H5DSattach_scale(d, parameter, 1) < 0 ||
            lsim_h5_write_attr_scalar(d, "_FillValue", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &(double){NAN}) < 0 ||
            (field->units && lsim_h5_write_attr_string(d, "units", field->units) < 0) ||
            (!field->units && lsim_h5_write_attr_string(d, "comment", "in the units of each metric: attribute "
                                                                      "metric_units of the coordinate metric") < 0) ||
            lsim_h5_write_attr_string(d, "long_name", field->long_name) < 0)
            status = sweep_fail(out, "write", field->name);
        if (d >= 0) H5Dclose(d);
    }
    for (size_t k = 0; status == LSIM_OK && k < x->attribute_count; ++k) {
        const lsim_sweep_index_attribute *a = &x->attributes[k];
        if ((a->text ? lsim_h5_write_attr_string(group, a->name, a->text)
                     : lsim_h5_write_attr_scalar(group, a->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &a->number)) < 0)
            status = sweep_fail(out, "write attribute", a->name);
    }
    if (metric >= 0) H5Dclose(metric);
    if (parameter >= 0) H5Dclose(parameter);
    H5Gclose(group);
    return status;
}
