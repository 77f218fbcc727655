/* HDF5 writer for the series registry (README "Output", docs/OUTPUT.md). See h5out.h for the layout. */
#define _POSIX_C_SOURCE 200809L

#include "h5out.h"

#include "fault.h"
#include "log.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>
#include <zlib.h>

#include "h5util.h"
#include "lsim_version.h"

/* 4096 rows x 8 B = 32 KiB per chunk: big enough that deflate has something
 * to work on and the chunk index stays small for decades of hourly rows
 * (~64 chunks per series for 30 yr), small enough that the default 1 MiB
 * per-dataset chunk cache holds the chunk being appended to, so a block
 * write never re-reads and re-inflates a chunk from disk. */
#define LSIM_H5_CHUNK_ROWS 4096

/* The one line for SWMR asked together with the 1.8 format (a %s: the output). */
#define SWMR_WITH_1_8                                                                                                  \
    "cannot write '%s' in the HDF5 1.8 format (--hdf5-1.8) with SWMR: live reading needs the HDF5 1.10 format; "     \
    "add --no-swmr or leave out --hdf5-1.8"

/* A file HDF5 could not close (a full disk, a write error) stays in its
 * tables, and HDF5's exit-time cleanup then crashes trying again. */
int lsim_h5_unclean;

struct lsim_h5_output {
    hid_t file;
    char *final_path;
    char *partial_path;
    hid_t root_time;
    size_t group_count;
    hid_t *groups;      /* one per registry group */
    hid_t *group_times; /* that group's time scale */
    char **group_names;
    size_t series_count;
    hid_t *series;
    hsize_t rows; /* rows in every time-dimensioned dataset, written or in the tail */
    /* The last, unfinished chunk of every time-dimensioned dataset ("stream":
     * the series, then each group's time, then /time), kept in memory and
     * written whole by direct chunk writes (see store_tail). */
    size_t stream_count;
    hsize_t tail_rows;     /* rows of out->rows in the unfinished chunk */
    hsize_t rows_on_disk;  /* rows the datasets' extent covers */
    double *tail_values;   /* stream_count x LSIM_H5_CHUNK_ROWS */
    hsize_t *tail_slot;    /* bytes the file holds for each stream's unfinished chunk; 0: none yet */
    unsigned char *filter_scratch; /* shuffled bytes, then the filtered chunk */
    z_stream deflater;             /* reused for every chunk (deflateReset, no per-chunk allocation) */
    int deflater_ready;
    /* Code series (lsim_series_add_code) are int32 in the file: their
     * categories (values copied, count 0 for a quantity), their name for a
     * message, and the chunk's int32 bytes before the shuffle. */
    lsim_series_flags *series_flags;
    char **code_names;
    unsigned char *code_bytes;
    int swmr;     /* file open for SWMR writing: no new objects or attributes until reopened */
    int keep_partial_on_failure; /* a failed finish leaves NAME.partial for a restart */
};

/* --- small helpers ------------------------------------------------------- */

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

static lsim_status hdf5_fail(const lsim_h5_output *out, const char *action, const char *group,
                             const char *object)
{
    if (group && group[0])
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot %s '/%s/%s' in '%s'", action, group, object,
                         out->partial_path);
    return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot %s '/%s' in '%s'", action, object ? object : "",
                     out->partial_path);
}

/* A fixed-length UTF-8 string type of exactly strlen(text) bytes, which
 * netCDF-4 maps to NC_CHAR and netCDF4-python / xarray decode to str. */
static hid_t string_type(size_t length)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    if (type < 0)
        return -1;
    /* A zero-size string type is invalid; an empty string is stored as one NUL. */
    if (H5Tset_size(type, length ? length : 1) < 0 || H5Tset_strpad(type, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(type, H5T_CSET_UTF8) < 0) {
        H5Tclose(type);
        return -1;
    }
    return type;
}

int lsim_h5_write_attr_string(hid_t object, const char *name, const char *text)
{
    const char *value = text ? text : "";
    size_t length = strlen(value);
    hid_t type = string_type(length);
    if (type < 0)
        return -1;
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0) {
        H5Tclose(type);
        return -1;
    }
    int rc = -1;
    hid_t attr = H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr >= 0) {
        rc = H5Awrite(attr, type, length ? value : "") < 0 ? -1 : 0;
        if (H5Aclose(attr) < 0)
            rc = -1;
    }
    H5Sclose(space);
    H5Tclose(type);
    return rc;
}

int lsim_h5_write_attr_scalar(hid_t object, const char *name, hid_t file_type, hid_t mem_type, const void *value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    if (space < 0)
        return -1;
    int rc = -1;
    hid_t attr = H5Acreate2(object, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attr >= 0) {
        rc = H5Awrite(attr, mem_type, value) < 0 ? -1 : 0;
        if (H5Aclose(attr) < 0)
            rc = -1;
    }
    H5Sclose(space);
    return rc;
}

/* netCDF-4 needs link and attribute creation order tracked and indexed to
 * keep its variable and attribute order; we set it on every container. */
static hid_t ordered_group_plist(void)
{
    hid_t plist = H5Pcreate(H5P_GROUP_CREATE);
    if (plist < 0)
        return -1;
    unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_link_creation_order(plist, flags) < 0 || H5Pset_attr_creation_order(plist, flags) < 0) {
        H5Pclose(plist);
        return -1;
    }
    return plist;
}

hid_t lsim_h5_create_ordered_group(hid_t parent, const char *name)
{
    hid_t plist = ordered_group_plist();
    if (plist < 0)
        return -1;
    hid_t group = H5Gcreate2(parent, name, H5P_DEFAULT, plist, H5P_DEFAULT);
    H5Pclose(plist);
    return group;
}

typedef enum {
    LSIM_STREAM_TIME,   /* float64, HDF5's zero fill */
    LSIM_STREAM_SERIES, /* float64, NaN fill */
    LSIM_STREAM_CODE    /* int32, LSIM_SERIES_CODE_MISSING fill */
} lsim_stream_type;

/* Chunked, unlimited, shuffle + deflate + Fletcher32 (a damaged chunk fails
 * to read instead of reading wrong: a restart checks every row it keeps);
 * series filled with NaN (codes with -1) so rows a crashed run never wrote
 * read back as missing, not as zero. */
static hid_t create_timeseries_dataset(hid_t parent, const char *name, lsim_stream_type type)
{
    hsize_t initial = 0, maximum = H5S_UNLIMITED, chunk = LSIM_H5_CHUNK_ROWS;
    hid_t space = H5Screate_simple(1, &initial, &maximum);
    if (space < 0)
        return -1;
    hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    if (plist < 0) {
        H5Sclose(space);
        return -1;
    }
    hid_t dataset = -1;
    const double nan_value = NAN;
    const int32_t missing_code = LSIM_SERIES_CODE_MISSING;
    int filled = type == LSIM_STREAM_TIME ||
                 (type == LSIM_STREAM_SERIES && H5Pset_fill_value(plist, H5T_NATIVE_DOUBLE, &nan_value) >= 0) ||
                 (type == LSIM_STREAM_CODE && H5Pset_fill_value(plist, H5T_NATIVE_INT32, &missing_code) >= 0);
    if (filled && H5Pset_chunk(plist, 1, &chunk) >= 0 && H5Pset_shuffle(plist) >= 0 &&
        H5Pset_deflate(plist, LSIM_H5_DEFLATE_LEVEL) >= 0 && H5Pset_fletcher32(plist) >= 0 &&
        H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0)
        dataset = H5Dcreate2(parent, name, type == LSIM_STREAM_CODE ? H5T_STD_I32LE : H5T_IEEE_F64LE, space,
                             H5P_DEFAULT, plist, H5P_DEFAULT);
    H5Pclose(plist);
    H5Sclose(space);
    return dataset;
}

static hid_t create_time_scale(hid_t parent, const char *units)
{
    hid_t dataset = create_timeseries_dataset(parent, "time", LSIM_STREAM_TIME);
    if (dataset < 0)
        return -1;
    if (lsim_h5_make_time_scale(dataset, units) < 0) {
        H5Dclose(dataset);
        return -1;
    }
    return dataset;
}

int lsim_h5_make_time_scale(hid_t dataset, const char *units)
{
    if (H5DSset_scale(dataset, "time") < 0 || lsim_h5_write_attr_string(dataset, "units", units) < 0 ||
        lsim_h5_write_attr_string(dataset, "calendar", "standard") < 0 ||
        lsim_h5_write_attr_string(dataset, "long_name", "end of output interval") < 0 ||
        lsim_h5_write_attr_string(dataset, "standard_name", "time") < 0 || lsim_h5_write_attr_string(dataset, "axis", "T") < 0)
        return -1;
    return 0;
}

/* units, long_name and, when given, cell_methods and coordinates. */
static int write_description(hid_t dataset, const char *units, const char *long_name, const char *cell_methods,
                             const char *coordinates)
{
    if (lsim_h5_write_attr_string(dataset, "units", units) < 0 ||
        lsim_h5_write_attr_string(dataset, "long_name", long_name) < 0 ||
        (cell_methods && lsim_h5_write_attr_string(dataset, "cell_methods", cell_methods) < 0) ||
        (coordinates && coordinates[0] && lsim_h5_write_attr_string(dataset, "coordinates", coordinates) < 0))
        return -1;
    return 0;
}

int lsim_h5_write_variable_attributes(hid_t dataset, const char *units, const char *long_name,
                                      const char *cell_methods, const char *coordinates)
{
    if (lsim_h5_write_attr_scalar(dataset, "_FillValue", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &(double){NAN}) < 0)
        return -1;
    return write_description(dataset, units, long_name, cell_methods, coordinates);
}

int lsim_h5_write_code_attributes(hid_t dataset, const char *units, const char *long_name, const char *cell_methods,
                                  const char *coordinates, const lsim_series_flags *flags)
{
    const int32_t missing = LSIM_SERIES_CODE_MISSING;
    if (!flags || flags->count == 0 ||
        lsim_h5_write_attr_scalar(dataset, "_FillValue", H5T_STD_I32LE, H5T_NATIVE_INT32, &missing) < 0 ||
        write_description(dataset, units, long_name, cell_methods, coordinates) < 0)
        return -1;
    hsize_t count = (hsize_t)flags->count;
    hid_t space = H5Screate_simple(1, &count, NULL);
    hid_t attr = space < 0 ? -1 : H5Acreate2(dataset, "flag_values", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = attr >= 0 && H5Awrite(attr, H5T_NATIVE_INT32, flags->values) >= 0 ? 0 : -1;
    if (attr >= 0 && H5Aclose(attr) < 0)
        rc = -1;
    if (space >= 0)
        H5Sclose(space);
    if (rc == 0 && lsim_h5_write_attr_string(dataset, "flag_meanings", flags->meanings) < 0)
        rc = -1;
    return rc;
}

/* --- the unfinished chunk ----------------------------------------------
 *
 * Under SWMR, HDF5 1.10 never frees the old place of a chunk it rewrites (a
 * reader may still be reading it), and a filtered chunk that grows by a few
 * rows no longer fits its place: every flush left the last chunk of every
 * series behind as dead space, so the file grew with the number of flushes
 * (a 5 yr run: 1 MB flushed every 10 s, 62 MB every 0.05 s, 120 MB every
 * 0.01 s, the same rows in each). So the last chunk of each dataset is kept
 * here, run through the dataset's own filters (shuffle, deflate, Fletcher32)
 * and written with H5Dwrite_chunk into a place padded to the next power of
 * two: a rewrite that still fits is made in place, and the places a chunk
 * outgrows sum to less than its last one. Deflate stops at the end of its
 * stream, so the zero padding is never read as data; Fletcher32 covers it. */

/* The extent of the chunk pipeline output: a chunk's shuffled bytes, then
 * room for its deflate stream padded to a power of two with its checksum. */
static size_t filter_scratch_bytes(void)
{
    size_t raw = LSIM_H5_CHUNK_ROWS * sizeof(double);
    return raw + 2 * ((size_t)compressBound((uLong)raw) + 4);
}

/* Series read back NaN where a crashed run wrote nothing (their fill
 * value); the time scales 0 (HDF5's default fill). */
static void reset_tail(lsim_h5_output *out)
{
    out->tail_rows = 0;
    for (size_t k = 0; k < out->stream_count; ++k) {
        double fill = k < out->series_count ? NAN : 0.0;
        double *tail = out->tail_values + k * LSIM_H5_CHUNK_ROWS;
        for (size_t r = 0; r < LSIM_H5_CHUNK_ROWS; ++r)
            tail[r] = fill;
        out->tail_slot[k] = 0;
    }
}

static hid_t stream_dataset(const lsim_h5_output *out, size_t k)
{
    if (k < out->series_count)
        return out->series[k];
    if (k < out->series_count + out->group_count)
        return out->group_times[k - out->series_count];
    return out->root_time;
}

/* HDF5's Fletcher32 (the checksum its fletcher32 filter appends, stored
 * little-endian): Fletcher's two running sums mod 65535 over the data taken
 * as big-endian 16-bit words, an odd last byte as the high half of a word;
 * sums folded often enough that 32 bits never overflow. */
static uint32_t hdf5_fletcher32(const unsigned char *data, size_t length)
{
    uint32_t sum1 = 0, sum2 = 0;
    size_t words = length / 2;
    while (words > 0) {
        size_t block = words > 360 ? 360 : words;
        words -= block;
        for (size_t i = 0; i < block; ++i, data += 2) {
            sum1 += ((uint32_t)data[0] << 8) | data[1];
            sum2 += sum1;
        }
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    if (length % 2) {
        sum1 += (uint32_t)data[0] << 8;
        sum2 += sum1;
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return (sum2 << 16) | sum1;
}

static size_t next_power_of_two(size_t n)
{
    size_t p = 256; /* a few rows fit without a move */
    while (p < n)
        p *= 2;
    return p;
}

/* One stream's chunk as its filters would store it (shuffle, deflate,
 * padding, Fletcher32), written into the file; `final`: the chunk will not
 * be rewritten, so it takes no padding beyond a place it already has. */
static int write_chunk(lsim_h5_output *out, size_t k, hsize_t chunk_start, int final)
{
    const size_t rows = LSIM_H5_CHUNK_ROWS;
    const double *tail = out->tail_values + k * rows;
    const lsim_series_flags *flags = k < out->series_count ? &out->series_flags[k] : NULL;
    int code = flags && flags->count > 0;
    const size_t width = code ? sizeof(int32_t) : sizeof(double), raw = rows * width;
    const unsigned char *values = (const unsigned char *)tail;
    if (code) {
        /* The file's bytes are little-endian int32 (H5T_STD_I32LE). */
        for (size_t r = 0; r < rows; ++r) {
            uint32_t bits = (uint32_t)lsim_series_code_of(flags, tail[r], out->code_names[k]);
            for (size_t b = 0; b < width; ++b)
                out->code_bytes[r * width + b] = (unsigned char)(bits >> (8 * b));
        }
        values = out->code_bytes;
    }
    unsigned char *shuffled = out->filter_scratch, *stored = out->filter_scratch + raw;
    for (size_t r = 0; r < rows; ++r)
        for (size_t b = 0; b < width; ++b)
            shuffled[b * rows + r] = values[r * width + b];
    z_stream *z = &out->deflater;
    if (deflateReset(z) != Z_OK)
        return -1;
    z->next_in = shuffled;
    z->avail_in = (uInt)raw;
    z->next_out = stored;
    z->avail_out = (uInt)compressBound((uLong)raw);
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return -1;
    const size_t deflated = (size_t)z->total_out;
    size_t needed = deflated + 4;
    size_t size = out->tail_slot[k] >= needed ? (size_t)out->tail_slot[k] : final ? needed : next_power_of_two(needed);
    memset(stored + deflated, 0, size - 4 - deflated);
    uint32_t sum = hdf5_fletcher32(stored, size - 4);
    for (int i = 0; i < 4; ++i)
        stored[size - 4 + (size_t)i] = (unsigned char)(sum >> (8 * i));
    if (H5Dwrite_chunk(stream_dataset(out, k), H5P_DEFAULT, 0, &chunk_start, size, stored) < 0)
        return -1;
    out->tail_slot[k] = size;
    return 0;
}

/* Puts the unfinished chunk of every stream in the file and extends the
 * datasets over it (their extent never covers a row not yet written). */
static lsim_status store_tail(lsim_h5_output *out, int final)
{
    if (out->rows == out->rows_on_disk)
        return LSIM_OK;
    hsize_t chunk_start = out->rows - out->tail_rows;
    for (size_t k = 0; k < out->stream_count; ++k) {
        hid_t dataset = stream_dataset(out, k);
        if (H5Dset_extent(dataset, &out->rows) < 0 || write_chunk(out, k, chunk_start, final) < 0) {
            char name[256] = "?";
            H5E_BEGIN_TRY
            {
                H5Iget_name(dataset, name, sizeof name);
            }
            H5E_END_TRY;
            return hdf5_fail(out, "append to", NULL, name[0] == '/' ? name + 1 : name);
        }
    }
    out->rows_on_disk = out->rows;
    return LSIM_OK;
}

static void free_output(lsim_h5_output *out)
{
    if (!out)
        return;
    if (out->group_names)
        for (size_t g = 0; g < out->group_count; ++g)
            free(out->group_names[g]);
    free(out->group_names);
    free(out->groups);
    free(out->group_times);
    free(out->series);
    free(out->tail_values);
    free(out->tail_slot);
    free(out->filter_scratch);
    if (out->deflater_ready) deflateEnd(&out->deflater);
    if (out->series_flags)
        for (size_t i = 0; i < out->series_count; ++i)
            free((int32_t *)out->series_flags[i].values);
    free(out->series_flags);
    if (out->code_names)
        for (size_t i = 0; i < out->series_count; ++i)
            free(out->code_names[i]);
    free(out->code_names);
    free(out->code_bytes);
    free(out->final_path);
    free(out->partial_path);
    free(out);
}

/* Closes every handle; returns -1 if any close failed. Safe on a half-built output. */
static int close_all(lsim_h5_output *out)
{
    int rc = 0;
    if (out->series)
        for (size_t i = 0; i < out->series_count; ++i)
            if (out->series[i] >= 0) {
                if (H5Dclose(out->series[i]) < 0)
                    rc = -1;
                out->series[i] = -1;
            }
    for (size_t g = 0; g < out->group_count; ++g) {
        if (out->group_times && out->group_times[g] >= 0) {
            if (H5Dclose(out->group_times[g]) < 0)
                rc = -1;
            out->group_times[g] = -1;
        }
        if (out->groups && out->groups[g] >= 0) {
            if (H5Gclose(out->groups[g]) < 0)
                rc = -1;
            out->groups[g] = -1;
        }
    }
    if (out->root_time >= 0) {
        if (H5Dclose(out->root_time) < 0)
            rc = -1;
        out->root_time = -1;
    }
    if (out->file >= 0) {
        if (H5Fclose(out->file) < 0) {
            rc = -1;
            lsim_h5_unclean = 1;
        }
        out->file = -1;
    }
    return rc;
}

int lsim_h5_left_unclean(void) { return lsim_h5_unclean; }

/* Close quietly and delete the partial file: used on every failure path. */
static void discard(lsim_h5_output *out)
{
    if (!out)
        return;
    H5E_BEGIN_TRY
    {
        close_all(out);
    }
    H5E_END_TRY;
    if (out->partial_path)
        unlink(out->partial_path);
    free_output(out);
}

lsim_status lsim_h5_check_directory_writable(const char *final_path)
{
    char *directory = dup_string(final_path);
    if (!directory)
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    char *slash = strrchr(directory, '/');
    const char *checked = ".";
    if (slash == directory)
        checked = "/";
    else if (slash) {
        *slash = '\0';
        checked = directory;
    }
    /* A plain file where the directory should be passes access() for root. */
    struct stat info;
    int ok = stat(checked, &info) == 0;
    int error = errno;
    if (ok && !S_ISDIR(info.st_mode)) {
        ok = 0;
        error = ENOTDIR;
    }
    if (ok && access(checked, W_OK) != 0) {
        ok = 0;
        error = errno;
    }
    free(directory);
    if (!ok)
        return lsim_fail(LSIM_ERR_INPUT, "cannot write output '%s': %s", final_path, strerror(error));
    /* The final rename would fail only after the whole run. */
    if (stat(final_path, &info) == 0 && S_ISDIR(info.st_mode))
        return lsim_fail(LSIM_ERR_INPUT, "cannot write output '%s': it is a directory; expected a file name", final_path);
    /* The rename at the end would replace a device or a pipe (as root,
     * -o /dev/null) with a regular file: refuse anything else that exists. */
    if (stat(final_path, &info) == 0 && !S_ISREG(info.st_mode))
        return lsim_fail(LSIM_ERR_INPUT, "cannot write output '%s': it exists and is not a regular file (a device, "
                                         "pipe or socket); expected a file name", final_path);
    return LSIM_OK;
}

void lsim_h5_iso8601_now(char *buffer, size_t size)
{
    time_t now = time(NULL);
    struct tm utc;
    if (gmtime_r(&now, &utc) == NULL || strftime(buffer, size, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0)
        snprintf(buffer, size, "unknown");
}

/* CITATION.cff's title (the test data_output_conventions checks they agree). */
#define LSIM_CITATION_TITLE "lunarsim: a simulator of a lunar industrial chain from mining to orbital solar power and compute"

int lsim_h5_write_run_attributes(hid_t file, const lsim_run_metadata *meta, const char *created)
{
    const char *version = meta->version ? meta->version : LSIM_VERSION;
    const char *commit = meta->git_commit ? meta->git_commit : LSIM_GIT_COMMIT;
    char source[256], references[768];
    snprintf(source, sizeof source, "lunarsim %s (commit %s)", version, commit);
    snprintf(references, sizeof references,
             "The lunarsim developers, \"" LSIM_CITATION_TITLE "\", version %s (how to cite it: CITATION.cff in the "
             "lunarsim source). The published figures behind every default parameter: docs/REFERENCES.md in the "
             "lunarsim source, cited by key in each parameter's source (lunarsim params).",
             version);
    /* The deck can exceed the 64 KiB object-header message limit; creation
     * order tracking puts the root in the v2 object-header format, which
     * moves large attributes to dense storage on its own. */
    if (lsim_h5_write_attr_string(file, "title", meta->title ? meta->title : "lunarsim run") < 0 ||
        lsim_h5_write_attr_string(file, "lunarsim_version", version) < 0 ||
        lsim_h5_write_attr_string(file, "git_commit", commit) < 0 ||
        lsim_h5_write_attr_string(file, "creation_time", created) < 0 ||
        lsim_h5_write_attr_scalar(file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &meta->seed) < 0 ||
        lsim_h5_write_attr_string(file, "deck", meta->deck_yaml ? meta->deck_yaml : "") < 0 ||
        lsim_h5_write_attr_string(file, "Conventions", "CF-1.8") < 0 ||
        lsim_h5_write_attr_string(file, "source", source) < 0 ||
        lsim_h5_write_attr_string(file, "references", references) < 0)
        return -1;
    if (meta->run_id && lsim_h5_write_attr_string(file, "run_id", meta->run_id) < 0)
        return -1;
    return 0;
}

/* A word a POSIX shell reads as itself, unquoted. */
static int shell_plain(const char *word)
{
    if (!word[0])
        return 0;
    for (const char *c = word; *c; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              strchr("_@%+=:,./-", *c)))
            return 0;
    return 1;
}

/* argv as one line a shell reads back to the same words: plain words as
 * they are, others in single quotes, and words holding control characters
 * (a line break in a --set value) as $'...' with escapes, so that the
 * history keeps one line per command. NULL when out of memory. */
static char *command_line_text(int argc, char *const *argv)
{
    size_t size = 1;
    for (int i = 0; i < argc; ++i)
        size += 4 * strlen(argv[i] ? argv[i] : "") + 4; /* worst case: every byte as \xHH, $'' and a blank */
    char *text = malloc(size);
    if (!text)
        return NULL;
    size_t n = 0;
    for (int i = 0; i < argc; ++i) {
        const char *word = argv[i] ? argv[i] : "";
        if (i)
            text[n++] = ' ';
        int control = 0;
        for (const char *c = word; *c; ++c)
            control |= (unsigned char)*c < 0x20 || *c == 0x7f;
        if (shell_plain(word)) {
            memcpy(text + n, word, strlen(word));
            n += strlen(word);
        } else if (!control) {
            text[n++] = '\'';
            for (const char *c = word; *c; ++c) {
                if (*c == '\'') {
                    memcpy(text + n, "'\\''", 4);
                    n += 4;
                } else {
                    text[n++] = *c;
                }
            }
            text[n++] = '\'';
        } else {
            text[n++] = '$';
            text[n++] = '\'';
            for (const unsigned char *c = (const unsigned char *)word; *c; ++c) {
                if (*c == '\n' || *c == '\t' || *c == '\\' || *c == '\'') {
                    text[n++] = '\\';
                    text[n++] = *c == '\n' ? 'n' : *c == '\t' ? 't' : (char)*c;
                } else if (*c < 0x20 || *c == 0x7f) {
                    n += (size_t)snprintf(text + n, 5, "\\x%02x", *c);
                } else {
                    text[n++] = (char)*c;
                }
            }
            text[n++] = '\'';
        }
    }
    text[n] = '\0';
    return text;
}

/* The text of string attribute `name` of `object` (malloc'd), "" if it has none; NULL when it cannot be read. */
static char *read_attr_text(hid_t object, const char *name)
{
    htri_t exists = H5Aexists(object, name);
    if (exists < 0)
        return NULL;
    if (exists == 0)
        return dup_string("");
    char *text = NULL;
    hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
    hid_t type = attr < 0 ? -1 : H5Aget_type(attr);
    size_t size = type < 0 || H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) > 0 ? 0 : H5Tget_size(type);
    hid_t memory = size ? H5Tcopy(type) : -1;
    if (memory >= 0 && (text = calloc(size + 1, 1)) != NULL && H5Aread(attr, memory, text) < 0) {
        free(text);
        text = NULL;
    }
    if (memory >= 0)
        H5Tclose(memory);
    if (type >= 0)
        H5Tclose(type);
    if (attr >= 0)
        H5Aclose(attr);
    return text;
}

int lsim_h5_write_history(hid_t file, const lsim_run_metadata *meta, const char *when, int append, const char *note)
{
    char *command = meta->argc > 0 && meta->argv ? command_line_text(meta->argc, meta->argv) : NULL;
    char unrecorded[128];
    snprintf(unrecorded, sizeof unrecorded, "lunarsim %s (command line not recorded)",
             meta->version ? meta->version : LSIM_VERSION);
    const char *what = command ? command : unrecorded;
    char *before = append ? read_attr_text(file, "history") : dup_string("");
    size_t size = (before ? strlen(before) : 0) + strlen(when) + strlen(what) + (note ? strlen(note) : 0) + 8;
    char *history = before ? malloc(size) : NULL;
    int rc = -1;
    if (history) {
        snprintf(history, size, "%s%s%s: %s%s%s", before, before[0] ? "\n" : "", when, what, note ? " " : "",
                 note ? note : "");
        rc = (append && H5Aexists(file, "history") > 0 && H5Adelete(file, "history") < 0) ||
                     lsim_h5_write_attr_string(file, "history", history) < 0
                 ? -1
                 : 0;
    }
    free(history);
    free(before);
    free(command);
    return rc;
}

static lsim_status write_root_attributes(lsim_h5_output *out, const lsim_run_metadata *meta)
{
    char created[32];
    lsim_h5_iso8601_now(created, sizeof created);
    if (lsim_h5_write_run_attributes(out->file, meta, created) < 0 ||
        lsim_h5_write_history(out->file, meta, created, 0, NULL) < 0)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot write the root attributes of '%s'", out->partial_path);
    return LSIM_OK;
}

static long find_group(const lsim_h5_output *out, const char *name)
{
    for (size_t g = 0; g < out->group_count; ++g)
        if (strcmp(out->group_names[g], name) == 0)
            return (long)g;
    return -1;
}

/* SWMR needs the latest file format; plain runs keep the default (each
 * object in the earliest format that holds it), and --hdf5-1.8 bounds every
 * object to what HDF5 1.8 reads, so a feature that needs more fails here
 * instead of making a file 1.8 cannot open. All read back through netCDF-4
 * and xarray (tested). */
hid_t lsim_h5_file_access(int swmr, int hdf5_1_8)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    if ((swmr && H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0) ||
        (!swmr && hdf5_1_8 && H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18) < 0)) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

static hid_t file_access_plist(int swmr) { return lsim_h5_file_access(swmr, 0); }

/* Handles all -1 and names copied: both create and resume start here. */
static lsim_status allocate_output(lsim_h5_output **result, const char *final_path, const lsim_series_registry *reg)
{
    size_t group_count = lsim_series_group_count(reg);
    size_t series_count = lsim_series_count(reg);
    lsim_h5_output *out = calloc(1, sizeof *out);
    if (!out)
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    out->file = -1;
    out->root_time = -1;
    out->final_path = dup_string(final_path);
    size_t partial_length = strlen(final_path) + sizeof ".partial";
    out->partial_path = malloc(partial_length);
    out->groups = malloc((group_count ? group_count : 1) * sizeof *out->groups);
    out->group_times = malloc((group_count ? group_count : 1) * sizeof *out->group_times);
    out->group_names = calloc(group_count ? group_count : 1, sizeof *out->group_names);
    out->series = malloc((series_count ? series_count : 1) * sizeof *out->series);
    out->stream_count = series_count + group_count + 1;
    out->tail_values = malloc(out->stream_count * LSIM_H5_CHUNK_ROWS * sizeof *out->tail_values);
    out->tail_slot = calloc(out->stream_count, sizeof *out->tail_slot);
    out->filter_scratch = malloc(filter_scratch_bytes());
    /* Level 1 with the run-length strategy: the shuffled byte planes of a
     * series are mostly runs (sign and exponent bytes, zero mantissas), so
     * this keeps the file within ~5% of level 4's size at under half its
     * CPU, which is most of what daily rows cost over yearly ones. Any
     * inflater reads it: it is an ordinary zlib stream. */
    out->deflater_ready = deflateInit2(&out->deflater, 1, Z_DEFLATED, 15, 8, Z_RLE) == Z_OK;
    if (!out->final_path || !out->partial_path || !out->groups || !out->group_times || !out->group_names ||
        !out->series || !out->tail_values || !out->tail_slot || !out->filter_scratch || !out->deflater_ready) {
        free_output(out);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    snprintf(out->partial_path, partial_length, "%s.partial", final_path);
    out->group_count = group_count;
    out->series_count = series_count;
    for (size_t g = 0; g < group_count; ++g) {
        out->groups[g] = -1;
        out->group_times[g] = -1;
    }
    for (size_t i = 0; i < series_count; ++i)
        out->series[i] = -1;
    for (size_t g = 0; g < group_count; ++g)
        if (!(out->group_names[g] = dup_string(lsim_series_group_name(reg, g)))) {
            free_output(out);
            return lsim_fail(LSIM_ERR_RUN, "out of memory");
        }
    out->series_flags = calloc(series_count ? series_count : 1, sizeof *out->series_flags);
    out->code_names = calloc(series_count ? series_count : 1, sizeof *out->code_names);
    out->code_bytes = malloc(LSIM_H5_CHUNK_ROWS * sizeof(int32_t));
    int copied = out->series_flags && out->code_names && out->code_bytes;
    for (size_t i = 0; copied && i < series_count; ++i) {
        const lsim_series_info *info = lsim_series_info_at(reg, i);
        if (info->flags.count == 0)
            continue;
        size_t name_size = strlen(info->group) + strlen(info->name) + 3;
        int32_t *values = malloc(info->flags.count * sizeof *values);
        out->code_names[i] = malloc(name_size);
        if (values)
            memcpy(values, info->flags.values, info->flags.count * sizeof *values);
        out->series_flags[i] = (lsim_series_flags){info->flags.count, values, NULL};
        if (out->code_names[i])
            snprintf(out->code_names[i], name_size, "/%s/%s", info->group, info->name);
        copied = values && out->code_names[i];
    }
    if (!copied) {
        free_output(out);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }

    reset_tail(out);
    *result = out;
    return LSIM_OK;
}

/* --- design-time tables ------------------------------------------------- */

/* The group a table goes in: the output's own handle when the registry
 * lists it, otherwise opened (or created) here; *opened says to close it. */
static hid_t table_group(lsim_h5_output *out, const char *name, int create, int *opened)
{
    long g = find_group(out, name);
    *opened = 0;
    if (g >= 0 && out->groups[g] >= 0)
        return out->groups[g];
    htri_t exists = H5Lexists(out->file, name, H5P_DEFAULT);
    if (exists < 0 || (!exists && !create))
        return -1;
    hid_t group = exists ? H5Gopen2(out->file, name, H5P_DEFAULT) : lsim_h5_create_ordered_group(out->file, name);
    *opened = group >= 0;
    return group;
}

/* Rows per chunk of a table: about 32 KiB, as the series chunks, and never
 * more than the table holds (its extent is fixed). */
static hsize_t table_chunk_rows(size_t rows, size_t cols)
{
    hsize_t chunk = (hsize_t)(LSIM_H5_CHUNK_ROWS / cols);
    if (chunk < 1)
        chunk = 1;
    return chunk < rows ? chunk : (hsize_t)rows;
}

/* One table as a fixed-size 2-D float64 dataset, rows x cols. Chunked with
 * shuffle + deflate when it has rows (a trajectory sample compresses well);
 * an empty table is a contiguous 0 x cols dataset. No `units` attribute:
 * the columns have mixed units, given one per column in `column_units`. */
static int write_table(hid_t group, const lsim_series_table *t)
{
    hsize_t dims[2] = {(hsize_t)t->rows, (hsize_t)t->cols};
    hid_t space = H5Screate_simple(2, dims, NULL);
    hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    int rc = -1;
    if (space >= 0 && plist >= 0 &&
        H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) >= 0) {
        hsize_t chunk[2] = {table_chunk_rows(t->rows, t->cols), (hsize_t)t->cols};
        int chunked = t->rows > 0;
        if (!chunked || (H5Pset_chunk(plist, 2, chunk) >= 0 && H5Pset_shuffle(plist) >= 0 &&
                         H5Pset_deflate(plist, LSIM_H5_DEFLATE_LEVEL) >= 0)) {
            hid_t dataset = H5Dcreate2(group, t->name, H5T_IEEE_F64LE, space, H5P_DEFAULT, plist, H5P_DEFAULT);
            if (dataset >= 0) {
                rc = 0;
                if (t->rows > 0 && H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->data) < 0)
                    rc = -1;
                if (rc == 0 && (lsim_h5_write_attr_string(dataset, "long_name", t->long_name) < 0 ||
                                lsim_h5_write_attr_string(dataset, "columns", t->columns) < 0 ||
                                lsim_h5_write_attr_string(dataset, "column_units", t->column_units) < 0))
                    rc = -1;
                if (H5Dclose(dataset) < 0)
                    rc = -1;
            }
        }
    }
    if (plist >= 0)
        H5Pclose(plist);
    if (space >= 0)
        H5Sclose(space);
    return rc;
}

/* Written once, when the file is created (before SWMR starts: no new
 * objects after that). */
static lsim_status write_tables(lsim_h5_output *out, const lsim_series_registry *reg)
{
    for (size_t i = 0; i < lsim_series_table_count(reg); ++i) {
        const lsim_series_table *t = lsim_series_table_at(reg, i);
        int opened = 0;
        hid_t group = table_group(out, t->group, 1, &opened);
        if (group < 0)
            return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create group '/%s' in '%s'", t->group, out->partial_path);
        int rc = write_table(group, t);
        if (opened && H5Gclose(group) < 0)
            rc = -1;
        if (rc < 0)
            return hdf5_fail(out, "write table", t->group, t->name);
    }
    return LSIM_OK;
}

/* A resumed file already holds the tables written at its creation; they are
 * recomputed from the same deck, so only their presence and shape are checked. */
static lsim_status check_tables(lsim_h5_output *out, const lsim_series_registry *reg)
{
    for (size_t i = 0; i < lsim_series_table_count(reg); ++i) {
        const lsim_series_table *t = lsim_series_table_at(reg, i);
        int opened = 0;
        hid_t group = -1, dataset = -1;
        H5E_BEGIN_TRY
        {
            group = table_group(out, t->group, 0, &opened);
            if (group >= 0 && H5Lexists(group, t->name, H5P_DEFAULT) > 0)
                dataset = H5Dopen2(group, t->name, H5P_DEFAULT);
        }
        H5E_END_TRY;
        hsize_t dims[2] = {0, 0};
        hid_t space = dataset >= 0 ? H5Dget_space(dataset) : -1;
        int ndims = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
        if (ndims == 2)
            H5Sget_simple_extent_dims(space, dims, NULL);
        if (space >= 0)
            H5Sclose(space);
        /* The table is recomputed from the deck at every init: write it
         * again, so a damaged copy in NAME.partial is repaired, not kept. */
        int rewritten = 1;
        if (dataset >= 0 && ndims == 2 && dims[0] == (hsize_t)t->rows && dims[1] == (hsize_t)t->cols && t->rows > 0)
            rewritten = H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t->data) >= 0;
        if (dataset >= 0)
            H5Dclose(dataset);
        if (!rewritten) {
            if (opened)
                H5Gclose(group);
            return lsim_fail(LSIM_ERR_INPUT, "cannot resume: cannot rewrite table '/%s/%s' in '%s'", t->group, t->name,
                             out->partial_path);
        }
        if (opened)
            H5Gclose(group);
        if (dataset < 0)
            return lsim_fail(LSIM_ERR_INPUT, "cannot resume: '%s' lacks table '/%s/%s' of this run", out->partial_path,
                             t->group, t->name);
        if (ndims != 2 || dims[0] != (hsize_t)t->rows || dims[1] != (hsize_t)t->cols)
            return lsim_fail(LSIM_ERR_INPUT,
                             "cannot resume: table '/%s/%s' in '%s' is %llu x %llu, this run computes %zu x %zu",
                             t->group, t->name, out->partial_path, (unsigned long long)dims[0],
                             (unsigned long long)dims[1], t->rows, t->cols);
    }
    return LSIM_OK;
}

/* --- public API ---------------------------------------------------------- */

lsim_status lsim_h5_create(lsim_h5_output **result, const char *final_path, const lsim_run_metadata *meta,
                           const lsim_series_registry *reg)
{
    *result = NULL;
    if (!final_path || !final_path[0])
        return lsim_fail(LSIM_ERR_INPUT, "no output file name given");
    if (!meta || !meta->epoch || !meta->epoch[0])
        return lsim_fail(LSIM_ERR_RUN, "HDF5 output needs the run epoch for the time units");
    if (meta->swmr && meta->hdf5_1_8)
        return lsim_fail(LSIM_ERR_INPUT, SWMR_WITH_1_8, final_path);
    lsim_status status = lsim_h5_check_directory_writable(final_path);
    if (status != LSIM_OK)
        return status;

    /* Reserved names are checked before touching the disk: a series called
     * "time" would collide with the scale, a group "summary" with /summary. */
    size_t group_count = lsim_series_group_count(reg);
    size_t series_count = lsim_series_count(reg);
    for (size_t g = 0; g < group_count; ++g)
        if (strcmp(lsim_series_group_name(reg, g), "summary") == 0 ||
            strcmp(lsim_series_group_name(reg, g), "time") == 0)
            return lsim_fail(LSIM_ERR_RUN, "series group name '%s' is reserved in the HDF5 output",
                             lsim_series_group_name(reg, g));
    for (size_t i = 0; i < series_count; ++i)
        if (strcmp(lsim_series_info_at(reg, i)->name, "time") == 0)
            return lsim_fail(LSIM_ERR_RUN, "series '%s/time': the name 'time' is reserved in the HDF5 output",
                             lsim_series_info_at(reg, i)->group);

    for (size_t i = 0; i < lsim_series_table_count(reg); ++i) {
        const lsim_series_table *t = lsim_series_table_at(reg, i);
        if (strcmp(t->group, "summary") == 0 || strcmp(t->group, "time") == 0 || strcmp(t->name, "time") == 0)
            return lsim_fail(LSIM_ERR_RUN, "table '%s/%s': the names 'summary' and 'time' are reserved in the HDF5 output",
                             t->group, t->name);
    }

    lsim_h5_output *out = NULL;
    status = allocate_output(&out, final_path, reg);
    if (status != LSIM_OK)
        return status;

    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    if (fcpl < 0 ||
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0 ||
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
        if (fcpl >= 0)
            H5Pclose(fcpl);
        free_output(out);
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot set up the file creation properties");
    }
    hid_t fapl = lsim_h5_file_access(meta->swmr, meta->hdf5_1_8);
    out->file = fapl < 0 ? -1 : H5Fcreate(out->partial_path, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (out->file < 0) {
        status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create '%s'", out->partial_path);
        free_output(out);
        return status;
    }
    lsim_fault_point("create_after_file");

    size_t units_length = strlen("seconds since ") + strlen(meta->epoch) + 1;
    char *time_units = malloc(units_length);
    if (!time_units) {
        discard(out);
        return lsim_fail(LSIM_ERR_RUN, "out of memory");
    }
    snprintf(time_units, units_length, "seconds since %s", meta->epoch);

    status = write_root_attributes(out, meta);
    if (status == LSIM_OK && (out->root_time = create_time_scale(out->file, time_units)) < 0)
        status = hdf5_fail(out, "create time scale", NULL, "time");
    for (size_t g = 0; status == LSIM_OK && g < group_count; ++g) {
        if ((out->groups[g] = lsim_h5_create_ordered_group(out->file, out->group_names[g])) < 0)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create group '/%s' in '%s'", out->group_names[g],
                               out->partial_path);
        else if ((out->group_times[g] = create_time_scale(out->groups[g], time_units)) < 0)
            status = hdf5_fail(out, "create time scale", out->group_names[g], "time");
    }
    free(time_units);

    for (size_t i = 0; status == LSIM_OK && i < series_count; ++i) {
        const lsim_series_info *info = lsim_series_info_at(reg, i);
        long g = find_group(out, info->group);
        if (g < 0) {
            status = lsim_fail(LSIM_ERR_RUN, "series '%s/%s' names a group the registry does not list",
                               info->group, info->name);
            break;
        }
        int code = info->flags.count > 0;
        hid_t dataset = create_timeseries_dataset(out->groups[g], info->name, code ? LSIM_STREAM_CODE : LSIM_STREAM_SERIES);
        out->series[i] = dataset;
        if (dataset < 0) {
            status = hdf5_fail(out, "create dataset", info->group, info->name);
            break;
        }
        const char *cell_methods = info->kind == LSIM_SERIES_FLOW ? "time: mean" : "time: point";
        if (H5DSattach_scale(dataset, out->group_times[g], 0) < 0)
            status = hdf5_fail(out, "attach the time scale to", info->group, info->name);
        else if ((code ? lsim_h5_write_code_attributes(dataset, info->units, info->long_name, cell_methods, NULL,
                                                       &info->flags)
                       : lsim_h5_write_variable_attributes(dataset, info->units, info->long_name, cell_methods, NULL)) < 0)
            status = hdf5_fail(out, "write attributes of", info->group, info->name);
    }
    if (status == LSIM_OK)
        status = write_tables(out, reg);
    if (status == LSIM_OK)
        lsim_fault_point("create_after_layout");
    if (status == LSIM_OK && meta->swmr) {
        if (H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0 || H5Fstart_swmr_write(out->file) < 0)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot start SWMR writing of '%s'", out->partial_path);
        else
            out->swmr = 1;
    }
    if (status != LSIM_OK) {
        discard(out);
        return status;
    }
    *result = out;
    return LSIM_OK;
}

/* A run killed while finishing (after the design attributes or /summary went
 * into NAME.partial, before the rename) left what the finish writes; the
 * resumed run writes it again at its own finish, so it goes now. */
static lsim_status remove_finish_artifacts(lsim_h5_output *out, const lsim_series_registry *reg)
{
    htri_t has_summary = H5Lexists(out->file, "summary", H5P_DEFAULT);
    if (has_summary < 0 || (has_summary > 0 && H5Ldelete(out->file, "summary", H5P_DEFAULT) < 0))
        return lsim_fail(LSIM_ERR_RUN, "cannot resume: cannot remove the unfinished /summary of '%s'",
                         out->partial_path);
    size_t count = lsim_series_attr_count(reg);
    for (size_t i = 0; i < count; ++i) {
        const lsim_series_attr *attr = lsim_series_attr_at(reg, i);
        long g = find_group(out, attr->group);
        hid_t group = g >= 0 ? out->groups[g] : -1;
        int opened_here = 0;
        if (group < 0) {
            htri_t exists = H5Lexists(out->file, attr->group, H5P_DEFAULT);
            if (exists <= 0)
                continue; /* a design-only group the finish had not made yet */
            if ((group = H5Gopen2(out->file, attr->group, H5P_DEFAULT)) < 0)
                return lsim_fail(LSIM_ERR_RUN, "cannot resume: cannot open group '/%s' of '%s'", attr->group,
                                 out->partial_path);
            opened_here = 1;
        }
        char units_name[512];
        snprintf(units_name, sizeof units_name, "%s_units", attr->name);
        const char *names[2] = {attr->name, units_name};
        int rc = 0;
        for (int k = 0; k < 2 && rc == 0; ++k) {
            htri_t exists = H5Aexists(group, names[k]);
            if (exists < 0 || (exists > 0 && H5Adelete(group, names[k]) < 0))
                rc = -1;
        }
        if (opened_here)
            H5Gclose(group);
        if (rc < 0)
            return lsim_fail(LSIM_ERR_RUN, "cannot resume: cannot remove attribute '%s' of '/%s' in '%s'",
                             attr->name, attr->group, out->partial_path);
    }
    return LSIM_OK;
}

static lsim_status check_partial_run_id(const char *partial_path, const char *expected, const char *checkpoint_path,
                                        int *verified);

/* Reads the first `rows` values back (Fletcher32 checks every chunk): 0 if
 * they read, -1 if not. */
static int verify_rows(hid_t dataset, hsize_t rows)
{
    double *buffer = malloc((size_t)rows * sizeof *buffer);
    if (!buffer)
        return -1;
    int rc = -1;
    H5E_BEGIN_TRY
    {
        hid_t file_space = H5Dget_space(dataset);
        hsize_t start = 0;
        hid_t memory = H5Screate_simple(1, &rows, NULL);
        if (file_space >= 0 && memory >= 0 &&
            H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, NULL, &rows, NULL) >= 0 &&
            H5Dread(dataset, H5T_NATIVE_DOUBLE, memory, file_space, H5P_DEFAULT, buffer) >= 0)
            rc = 0;
        if (memory >= 0)
            H5Sclose(memory);
        if (file_space >= 0)
            H5Sclose(file_space);
    }
    H5E_END_TRY;
    free(buffer);
    return rc;
}
static int read_run_id(hid_t file, char found[64]);

static lsim_status run_id_mismatch(const char *partial_path, const char *found, const char *checkpoint_path,
                                   const char *expected)
{
    return lsim_fail(LSIM_ERR_INPUT,
                     "cannot resume: '%s' was written by another run (run_id %s) than checkpoint '%s' (run_id %s); "
                     "two runs used the same -o",
                     partial_path, found ? found : "none", checkpoint_path ? checkpoint_path : "?", expected);
}

/* The kept rows of the last, unfinished chunk back into memory, where the
 * resumed run goes on filling it; and the size of its place in the file, so
 * a rewrite that fits stays there. */
static lsim_status load_tail(lsim_h5_output *out)
{
    out->rows_on_disk = out->rows;
    out->tail_rows = out->rows % LSIM_H5_CHUNK_ROWS;
    hsize_t chunk_start = out->rows - out->tail_rows;
    for (size_t k = 0; out->tail_rows > 0 && k < out->stream_count; ++k) {
        hid_t dataset = stream_dataset(out, k);
        hid_t file_space = H5Dget_space(dataset);
        hid_t memory = H5Screate_simple(1, &out->tail_rows, NULL);
        hsize_t stored = 0;
        int rc = file_space >= 0 && memory >= 0 &&
                         H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &chunk_start, NULL, &out->tail_rows, NULL) >= 0 &&
                         H5Dread(dataset, H5T_NATIVE_DOUBLE, memory, file_space, H5P_DEFAULT,
                                 out->tail_values + k * LSIM_H5_CHUNK_ROWS) >= 0 &&
                         H5Dget_chunk_storage_size(dataset, &chunk_start, &stored) >= 0
                     ? 0
                     : -1;
        if (memory >= 0)
            H5Sclose(memory);
        if (file_space >= 0)
            H5Sclose(file_space);
        if (rc < 0)
            return lsim_fail(LSIM_ERR_INPUT, "cannot resume: cannot read the last rows of '%s'", out->partial_path);
        out->tail_slot[k] = stored;
    }
    return LSIM_OK;
}

/* --hdf5-1.8 on a resume: the file must be in that format already (a run
 * started with SWMR is not), and what the rest of the run adds stays in it. */
static lsim_status keep_1_8_format(lsim_h5_output *out)
{
    H5F_info2_t info;
    if (H5Fget_info2(out->file, &info) < 0)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot read the superblock of '%s'", out->partial_path);
    if (info.super.version > 2)
        return lsim_fail(LSIM_ERR_INPUT,
                         "cannot resume '%s' with --hdf5-1.8: it was started in the HDF5 1.10 format (superblock "
                         "version %u, a run with SWMR); resume it without --hdf5-1.8",
                         out->partial_path, info.super.version);
    if (H5Fset_libver_bounds(out->file, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18) < 0)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot bound '%s' to the 1.8 format", out->partial_path);
    return LSIM_OK;
}

lsim_status lsim_h5_resume(lsim_h5_output **result, const char *final_path, const lsim_series_registry *reg,
                           size_t rows, const lsim_run_metadata *meta, const char *checkpoint_path)
{
    *result = NULL;
    const int swmr = meta->swmr;
    const char *run_id = meta->run_id;
    if (meta->swmr && meta->hdf5_1_8)
        return lsim_fail(LSIM_ERR_INPUT, SWMR_WITH_1_8, final_path);
    size_t group_count = lsim_series_group_count(reg);
    size_t series_count = lsim_series_count(reg);
    lsim_h5_output *out = NULL;
    lsim_status alloc_status = allocate_output(&out, final_path, reg);
    if (alloc_status != LSIM_OK)
        return alloc_status;

    if (access(out->partial_path, R_OK | W_OK) != 0) {
        lsim_status status = lsim_fail(LSIM_ERR_INPUT, "cannot resume: output '%s' is missing (%s)",
                                       out->partial_path, strerror(errno));
        free_output(out);
        return status;
    }
    int run_id_verified = 0;
    if (run_id) {
        lsim_status status =
            check_partial_run_id(out->partial_path, run_id, checkpoint_path ? checkpoint_path : "?", &run_id_verified);
        if (status != LSIM_OK) {
            free_output(out);
            return status;
        }
    }
    hid_t fapl = file_access_plist(swmr);
    /* A run killed in SWMR mode leaves the superblock's "open for writing"
     * flag set; clear it as h5clear -s does (the property is HDF5's own,
     * set through the public H5Pset). */
    hbool_t clear_flags = 1;
    if (fapl >= 0 && H5Pexist(fapl, "clear_status_flags") > 0)
        H5Pset(fapl, "clear_status_flags", &clear_flags);
    out->file = fapl < 0 ? -1 : H5Fopen(out->partial_path, H5F_ACC_RDWR, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (out->file < 0) {
        lsim_status status = lsim_fail(LSIM_ERR_INPUT, "cannot resume: '%s' is not a readable HDF5 file",
                                       out->partial_path);
        free_output(out);
        return status;
    }
    lsim_status status = LSIM_OK;
    if (run_id && !run_id_verified) {
        /* Killed outside SWMR mode (while finishing), the file could not be
         * opened read-only above; read its identity before touching it. */
        char found[64];
        int have = read_run_id(out->file, found);
        if (!have || strcmp(found, run_id) != 0)
            status = run_id_mismatch(out->partial_path, have ? found : NULL, checkpoint_path, run_id);
    }
    hsize_t keep = (hsize_t)rows;
    /* Every time-dimensioned dataset must hold at least the checkpointed
     * rows; rows past them were written after it and are cut. */
    if (status == LSIM_OK && (out->root_time = H5Dopen2(out->file, "time", H5P_DEFAULT)) < 0)
        status = lsim_fail(LSIM_ERR_INPUT, "cannot resume: '%s' has no /time", out->partial_path);
    for (size_t g = 0; status == LSIM_OK && g < group_count; ++g) {
        out->groups[g] = H5Gopen2(out->file, out->group_names[g], H5P_DEFAULT);
        out->group_times[g] = out->groups[g] < 0 ? -1 : H5Dopen2(out->groups[g], "time", H5P_DEFAULT);
        if (out->group_times[g] < 0)
            status = lsim_fail(LSIM_ERR_INPUT, "cannot resume: '%s' lacks group '/%s' of this run",
                               out->partial_path, out->group_names[g]);
    }
    for (size_t i = 0; status == LSIM_OK && i < series_count; ++i) {
        const lsim_series_info *info = lsim_series_info_at(reg, i);
        long g = find_group(out, info->group);
        out->series[i] = g < 0 ? -1 : H5Dopen2(out->groups[g], info->name, H5P_DEFAULT);
        if (out->series[i] < 0)
            status = lsim_fail(LSIM_ERR_INPUT, "cannot resume: '%s' lacks series '/%s/%s' of this run",
                               out->partial_path, info->group, info->name);
    }
    for (size_t i = 0; status == LSIM_OK && i < series_count + group_count + 1; ++i) {
        hid_t dataset = i < series_count ? out->series[i]
                        : i < series_count + group_count ? out->group_times[i - series_count]
                                                          : out->root_time;
        hid_t space = H5Dget_space(dataset);
        hsize_t size = 0;
        if (space < 0 || H5Sget_simple_extent_dims(space, &size, NULL) != 1)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot read a dataset's size in '%s'", out->partial_path);
        else if (size < keep)
            status = lsim_fail(LSIM_ERR_INPUT,
                               "cannot resume: '%s' holds %llu rows, the checkpoint expects at least %llu",
                               out->partial_path, (unsigned long long)size, (unsigned long long)keep);
        else if (size > keep && H5Dset_extent(dataset, &keep) < 0)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot cut '%s' back to the checkpoint", out->partial_path);
        else if (keep > 0 && verify_rows(dataset, keep) < 0)
            status = lsim_fail(LSIM_ERR_INPUT,
                               "cannot resume: '%s' is damaged (a dataset's kept rows fail to read or fail their "
                               "checksum); run again from the start",
                               out->partial_path);
        if (space >= 0)
            H5Sclose(space);
    }
    out->rows = keep;
    if (status == LSIM_OK)
        status = load_tail(out);
    if (status == LSIM_OK)
        status = check_tables(out, reg);
    if (status == LSIM_OK)
        status = remove_finish_artifacts(out, reg);
    if (status == LSIM_OK && meta->hdf5_1_8)
        status = keep_1_8_format(out);
    if (status == LSIM_OK) {
        /* The resumed command joins the history before SWMR forbids new attributes. */
        char now[32], note[96];
        lsim_h5_iso8601_now(now, sizeof now);
        snprintf(note, sizeof note, "(resumed at output row %llu)", (unsigned long long)keep);
        if (lsim_h5_write_history(out->file, meta, now, 1, note) < 0)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot add to the history of '%s'", out->partial_path);
    }
    if (status == LSIM_OK && swmr) {
        if (H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0 || H5Fstart_swmr_write(out->file) < 0)
            status = lsim_fail(LSIM_ERR_INPUT, "cannot resume '%s' in SWMR mode: a run started with --no-swmr (or "
                                               "--hdf5-1.8) must be resumed with it", out->partial_path);
        else
            out->swmr = 1;
    }
    if (status != LSIM_OK) {
        H5E_BEGIN_TRY
        {
            close_all(out);
        }
        H5E_END_TRY;
        free_output(out);
        return status;
    }
    *result = out;
    return LSIM_OK;
}

lsim_status lsim_h5_write_rows(lsim_h5_output *out, lsim_series_registry *reg)
{
    size_t pending = lsim_series_pending_rows(reg);
    if (pending == 0)
        return LSIM_OK;
    if (lsim_series_count(reg) != out->series_count)
        return lsim_fail(LSIM_ERR_RUN, "series registered after the HDF5 output was created (%zu, file has %zu)",
                         lsim_series_count(reg), out->series_count);
    const double *times = lsim_series_pending_times(reg);
    for (size_t done = 0; done < pending;) {
        size_t room = LSIM_H5_CHUNK_ROWS - (size_t)out->tail_rows;
        size_t count = pending - done < room ? pending - done : room;
        for (size_t k = 0; k < out->stream_count; ++k) {
            const double *from = k < out->series_count ? lsim_series_pending_values(reg, k) + done : times + done;
            memcpy(out->tail_values + k * LSIM_H5_CHUNK_ROWS + out->tail_rows, from, count * sizeof *from);
        }
        out->tail_rows += count;
        out->rows += count;
        done += count;
        if (out->tail_rows == LSIM_H5_CHUNK_ROWS) {
            lsim_status status = store_tail(out, 1);
            if (status != LSIM_OK)
                return status;
            reset_tail(out);
        }
    }
    lsim_series_drain(reg);
    return LSIM_OK;
}

lsim_status lsim_h5_flush(lsim_h5_output *out)
{
    lsim_status status = store_tail(out, 0);
    if (status != LSIM_OK)
        return status;
    if (H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot flush '%s'", out->partial_path);
    lsim_fault_point("flush_after");
    return LSIM_OK;
}

static lsim_status write_group_attributes(lsim_h5_output *out, const lsim_series_registry *reg)
{
    size_t count = lsim_series_attr_count(reg);
    for (size_t i = 0; i < count; ++i) {
        const lsim_series_attr *attr = lsim_series_attr_at(reg, i);
        long g = find_group(out, attr->group);
        hid_t group;
        int opened_here = 0;
        if (g >= 0)
            group = out->groups[g];
        else {
            /* A group with design figures but no series. */
            htri_t exists = H5Lexists(out->file, attr->group, H5P_DEFAULT);
            if (exists < 0)
                return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot look up group '/%s' in '%s'", attr->group,
                                 out->partial_path);
            group = exists ? H5Gopen2(out->file, attr->group, H5P_DEFAULT) : lsim_h5_create_ordered_group(out->file, attr->group);
            if (group < 0)
                return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create group '/%s' in '%s'", attr->group,
                                 out->partial_path);
            opened_here = 1;
        }
        size_t units_name_length = strlen(attr->name) + sizeof "_units";
        char *units_name = malloc(units_name_length);
        int rc = -1;
        if (units_name) {
            snprintf(units_name, units_name_length, "%s_units", attr->name);
            /* Written once, at finish: the registry already keeps the last value set. */
            if (lsim_h5_write_attr_scalar(group, attr->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &attr->value) >= 0 &&
                lsim_h5_write_attr_string(group, units_name, attr->units) >= 0)
                rc = 0;
            free(units_name);
        }
        if (opened_here && H5Gclose(group) < 0)
            rc = -1;
        if (rc < 0)
            return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot write attribute '%s' of group '/%s' in '%s'", attr->name,
                             attr->group, out->partial_path);
    }
    return LSIM_OK;
}

static lsim_status write_summary(lsim_h5_output *out, const lsim_series_registry *reg)
{
    hid_t group = lsim_h5_create_ordered_group(out->file, "summary");
    if (group < 0)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: cannot create group '/summary' in '%s'", out->partial_path);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t plist = H5Pcreate(H5P_DATASET_CREATE);
    lsim_status status = LSIM_OK;
    if (space < 0 || plist < 0 || H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0)
        status = hdf5_fail(out, "set up", NULL, "summary");
    size_t count = lsim_summary_count(reg);
    for (size_t i = 0; status == LSIM_OK && i < count; ++i) {
        const lsim_summary_entry *entry = lsim_summary_at(reg, i);
        int code = entry->flags.count > 0;
        hid_t dataset = H5Dcreate2(group, entry->name, code ? H5T_STD_I32LE : H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                   plist, H5P_DEFAULT);
        if (dataset < 0) {
            status = hdf5_fail(out, "create dataset", "summary", entry->name);
            break;
        }
        if (code) {
            char what[300];
            snprintf(what, sizeof what, "/summary/%s", entry->name);
            int32_t value = lsim_series_code_of(&entry->flags, entry->value, what);
            if (H5Dwrite(dataset, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) < 0 ||
                lsim_h5_write_code_attributes(dataset, entry->units, entry->long_name, NULL, NULL, &entry->flags) < 0)
                status = hdf5_fail(out, "write", "summary", entry->name);
        } else if (H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &entry->value) < 0 ||
                   lsim_h5_write_attr_string(dataset, "units", entry->units) < 0 ||
                   lsim_h5_write_attr_string(dataset, "long_name", entry->long_name) < 0)
            status = hdf5_fail(out, "write", "summary", entry->name);
        if (H5Dclose(dataset) < 0 && status == LSIM_OK)
            status = hdf5_fail(out, "close", "summary", entry->name);
    }
    if (plist >= 0 && H5Pclose(plist) < 0 && status == LSIM_OK)
        status = hdf5_fail(out, "close property list of", NULL, "summary");
    if (space >= 0 && H5Sclose(space) < 0 && status == LSIM_OK)
        status = hdf5_fail(out, "close dataspace of", NULL, "summary");
    if (H5Gclose(group) < 0 && status == LSIM_OK)
        status = hdf5_fail(out, "close group", NULL, "summary");
    return status;
}

lsim_status lsim_h5_finish(lsim_h5_output *out, lsim_series_registry *reg)
{
    if (!out)
        return lsim_fail(LSIM_ERR_RUN, "HDF5: finish called without an open output");
    lsim_status status = lsim_h5_write_rows(out, reg);
    if (status == LSIM_OK)
        status = store_tail(out, 1);
    if (status == LSIM_OK)
        lsim_fault_point("finish_after_rows");
    if (status == LSIM_OK && out->swmr) {
        /* New objects and attributes need the file out of SWMR mode. */
        if (close_all(out) < 0)
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot close '%s' cleanly", out->partial_path);
        out->swmr = 0;
        hid_t fapl = file_access_plist(1);
        if (status == LSIM_OK && (fapl < 0 || (out->file = H5Fopen(out->partial_path, H5F_ACC_RDWR, fapl)) < 0))
            status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot reopen '%s' to finish it", out->partial_path);
        if (fapl >= 0)
            H5Pclose(fapl);
        for (size_t g = 0; status == LSIM_OK && g < out->group_count; ++g)
            if ((out->groups[g] = H5Gopen2(out->file, out->group_names[g], H5P_DEFAULT)) < 0)
                status = hdf5_fail(out, "reopen group", NULL, out->group_names[g]);
        if (status == LSIM_OK)
            lsim_fault_point("finish_after_reopen");
    }
    if (status == LSIM_OK)
        status = write_group_attributes(out, reg);
    if (status == LSIM_OK)
        lsim_fault_point("finish_after_attributes");
    if (status == LSIM_OK)
        status = write_summary(out, reg);
    if (status == LSIM_OK)
        lsim_fault_point("finish_after_summary");
    if (status == LSIM_OK && close_all(out) < 0)
        status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot close '%s' cleanly", out->partial_path);
    if (status == LSIM_OK)
        lsim_fault_point("finish_after_close");
    if (status != LSIM_OK) {
        /* Rows a checkpoint can resume stay in NAME.partial (a restart
         * removes what the finish wrote and writes it again). */
        if (out->keep_partial_on_failure) {
            H5E_BEGIN_TRY
            {
                close_all(out);
            }
            H5E_END_TRY;
            free_output(out);
        } else {
            discard(out);
        }
        return status;
    }
    char backup[1024];
    status = lsim_outfile_backup(out->final_path, backup, sizeof backup);
    if (status != LSIM_OK) {
        free_output(out); /* NAME.partial stays, finished, beside the file it would have replaced */
        return status;
    }
    if (backup[0])
        lsim_log(LSIM_LOG_WARN, "'%s' existed: kept as '%s'", out->final_path, backup);
    if (rename(out->partial_path, out->final_path) != 0) {
        int error = errno;
        status = lsim_fail(LSIM_ERR_RUN, "cannot rename '%s' to '%s': %s", out->partial_path, out->final_path,
                           strerror(error));
        if (!out->keep_partial_on_failure)
            unlink(out->partial_path);
    } else {
        lsim_fault_point("finish_after_rename");
    }
    free_output(out);
    return status;
}

/* The root attribute run_id of an open file into found[64]; 1 if read. */
static int read_run_id(hid_t file, char found[64])
{
    int have = 0;
    found[0] = '\0';
    H5E_BEGIN_TRY
    {
        hid_t attr = H5Aopen(file, "run_id", H5P_DEFAULT);
        if (attr >= 0) {
            hid_t type = H5Aget_type(attr);
            size_t size = type >= 0 ? H5Tget_size(type) : 0;
            hid_t mem = H5Tcopy(H5T_C_S1);
            if (mem >= 0 && size > 0 && size < 64 && H5Tset_size(mem, 64) >= 0 &&
                H5Tset_cset(mem, H5T_CSET_UTF8) >= 0 && H5Aread(attr, mem, found) >= 0)
                have = 1;
            if (mem >= 0)
                H5Tclose(mem);
            if (type >= 0)
                H5Tclose(type);
            H5Aclose(attr);
        }
    }
    H5E_END_TRY;
    found[63] = '\0';
    return have;
}

/* Before anything in NAME.partial is touched: is it this run's? Read-only
 * (SWMR read when a killed writer left the file marked open), so a refused
 * file keeps every byte. */
static lsim_status check_partial_run_id(const char *partial_path, const char *expected, const char *checkpoint_path,
                                        int *verified)
{
    char found[64] = "";
    int have = 0, opened = 0;
    *verified = 0;
    H5E_BEGIN_TRY
    {
        hid_t fapl = file_access_plist(1);
        /* One attempt: a damaged file must fail now, not loop in HDF5's SWMR
         * metadata retries (a restart once hung there for ever). */
        if (fapl >= 0)
            H5Pset_metadata_read_attempts(fapl, 1);
        hid_t file = fapl < 0 ? -1 : H5Fopen(partial_path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl);
        if (file < 0 && fapl >= 0)
            file = H5Fopen(partial_path, H5F_ACC_RDONLY, fapl);
        if (fapl >= 0)
            H5Pclose(fapl);
        if (file >= 0) {
            opened = 1;
            have = read_run_id(file, found);
            H5Fclose(file);
        }
    }
    H5E_END_TRY;
    if (!opened)
        return LSIM_OK; /* checked after the writable open instead */
    if (have && strcmp(found, expected) == 0) {
        *verified = 1;
        return LSIM_OK;
    }
    return run_id_mismatch(partial_path, have ? found : NULL, checkpoint_path, expected);
}

void lsim_h5_keep_partial_on_failure(lsim_h5_output *out, int keep)
{
    if (out)
        out->keep_partial_on_failure = keep;
}

void lsim_h5_abort(lsim_h5_output *out)
{
    discard(out);
}

void lsim_h5_close_partial(lsim_h5_output *out, lsim_series_registry *reg)
{
    if (!out)
        return;
    /* Best effort: the run is already failing, and whatever rows reach the
     * disk are worth keeping. The first problem is left as the message. */
    lsim_status status = reg ? lsim_h5_write_rows(out, reg) : LSIM_OK;
    if (status == LSIM_OK)
        status = store_tail(out, 0);
    if (H5Fflush(out->file, H5F_SCOPE_GLOBAL) < 0 && status == LSIM_OK)
        status = lsim_fail(LSIM_ERR_RUN, "HDF5: cannot flush '%s'", out->partial_path);
    if (close_all(out) < 0 && status == LSIM_OK)
        lsim_fail(LSIM_ERR_RUN, "HDF5: cannot close '%s' cleanly", out->partial_path);
    free_output(out);
}

void lsim_h5_quiet_errors(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}
