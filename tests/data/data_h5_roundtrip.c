/* Writes a registry through the HDF5 writer in uneven blocks, then reads the
 * file back with the plain HDF5 C API and checks layout, metadata and every
 * value against numbers computed here, independently of core/series.c. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5out.h"
#include "lsim_test.h"
#include "series.h"

#define INTERVALS 9001 /* crosses the 4096-row chunk boundaries twice, ends on a partial block */
#define ROWS_PER_BLOCK 1000
#define STEPS_PER_INTERVAL 3
#define SEED 18446744073709551557ull /* needs all 64 bits: catches a signed or 32-bit store */

static const double step_dt[STEPS_PER_INTERVAL] = {900.0, 900.0, 1800.0}; /* s; one hour per interval */

typedef struct {
    const char *group, *name, *units, *long_name;
    lsim_series_kind kind;
} series_spec;

/* Groups interleaved on purpose so the writer must map series to groups by name. */
static const series_spec specs[] = {
    {"regolith", "mass_mined", "kg s-1", "regolith mass excavated", LSIM_SERIES_FLOW},
    {"power", "power_generated", "W", "electric power generated", LSIM_SERIES_FLOW},
    {"regolith", "stockpile", "kg", "regolith waiting at the plant", LSIM_SERIES_STOCK},
    {"orbit", "mass_launched", "kg s-1", "mass leaving the surface", LSIM_SERIES_FLOW},
    {"power", "energy_stored", "J", "energy in storage", LSIM_SERIES_STOCK},
    {"orbit", "mass_in_orbit", "kg", "mass assembled in orbit", LSIM_SERIES_STOCK},
    {"power", "installed_power", "W", "installed generating capacity", LSIM_SERIES_STOCK},
};
#define SERIES_COUNT (sizeof specs / sizeof specs[0])
static const char *groups[] = {"regolith", "power", "orbit"};
#define GROUP_COUNT 3

/* Values are multiples of 1/4 below 2^12 and steps are whole seconds, so
 * every product and sum is exact and the interval mean is a single correctly
 * rounded division: whatever order series.c sums in, the bits must match. */
static double value_at(size_t series, size_t step)
{
    return (double)((step * 7919u + series * 104729u) % 16384u) * 0.25 - (series == 4 ? 1024.0 : 0.0);
}

static double expected_row(size_t series, size_t interval)
{
    size_t first = interval * STEPS_PER_INTERVAL;
    if (specs[series].kind == LSIM_SERIES_STOCK)
        return value_at(series, first + STEPS_PER_INTERVAL - 1);
    double integral = 0.0, length = 0.0;
    for (size_t k = 0; k < STEPS_PER_INTERVAL; ++k) {
        integral += value_at(series, first + k) * step_dt[k];
        length += step_dt[k];
    }
    return integral / length;
}

static char *read_string_attr(hid_t object, const char *name)
{
    hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
    if (attr < 0)
        return NULL;
    hid_t type = H5Aget_type(attr);
    char *text = NULL;
    if (type >= 0 && H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) == 0) {
        size_t size = H5Tget_size(type);
        text = calloc(size + 1, 1);
        if (text && H5Aread(attr, type, text) < 0) {
            free(text);
            text = NULL;
        }
    }
    if (type >= 0)
        H5Tclose(type);
    H5Aclose(attr);
    return text;
}

static int string_attr_is(hid_t object, const char *name, const char *expected)
{
    char *text = read_string_attr(object, name);
    int same = text && strcmp(text, expected) == 0;
    if (!same)
        fprintf(stderr, "attribute %s = '%.80s', expected '%.80s'\n", name, text ? text : "(missing)", expected);
    free(text);
    return same;
}

static double read_double_attr(hid_t object, const char *name)
{
    double value = NAN;
    hid_t attr = H5Aopen(object, name, H5P_DEFAULT);
    if (attr >= 0) {
        if (H5Aread(attr, H5T_NATIVE_DOUBLE, &value) < 0)
            value = NAN;
        H5Aclose(attr);
    }
    return value;
}

/* Reads a 1-D dataset; returns its length (0 on error). */
static size_t read_column(hid_t parent, const char *name, double **values)
{
    *values = NULL;
    hid_t dataset = H5Dopen2(parent, name, H5P_DEFAULT);
    if (dataset < 0)
        return 0;
    hid_t space = H5Dget_space(dataset);
    hsize_t length = 0;
    if (space >= 0 && H5Sget_simple_extent_ndims(space) == 1)
        H5Sget_simple_extent_dims(space, &length, NULL);
    if (length) {
        *values = malloc(length * sizeof **values);
        if (H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *values) < 0)
            length = 0;
    }
    H5Sclose(space);
    H5Dclose(dataset);
    return (size_t)length;
}

static void check_column_bitwise(const double *actual, size_t series, const char *what)
{
    size_t bad = INTERVALS - 1;
    for (size_t i = 0; i < INTERVALS; ++i)
        if (memcmp(&actual[i], &(double){expected_row(series, i)}, sizeof(double)) != 0) {
            bad = i;
            fprintf(stderr, "%s: first mismatch at row %zu\n", what, i);
            break;
        }
    LSIM_CHECK_CLOSE(actual[bad], expected_row(series, bad), 0.0, 0.0,
                     "bitwise: exact dyadic sums and one correctly rounded division");
}

static char *make_deck(size_t bytes)
{
    char *deck = malloc(bytes + 1);
    size_t used = 0;
    for (int line = 0; used + 64 < bytes; ++line)
        used += (size_t)snprintf(deck + used, bytes + 1 - used, "regolith:\n  excavator_%05d: {mass: 150 t}\n", line);
    memset(deck + used, '#', bytes - used);
    deck[bytes] = '\0';
    return deck;
}

static void check_time_scale(hid_t group, const char *where)
{
    double *times = NULL;
    size_t length = read_column(group, "time", &times);
    LSIM_CHECK(length == INTERVALS, "%s/time has %zu rows, expected %d", where, length, INTERVALS);
    if (length == INTERVALS) {
        size_t bad = INTERVALS - 1;
        for (size_t i = 0; i < INTERVALS; ++i)
            if (times[i] != (double)(i + 1) * 3600.0) {
                bad = i;
                break;
            }
        LSIM_CHECK_CLOSE(times[bad], (double)(bad + 1) * 3600.0, 0.0, 0.0, "interval ends are whole seconds");
    }
    free(times);
    hid_t dataset = H5Dopen2(group, "time", H5P_DEFAULT);
    LSIM_CHECK(H5DSis_scale(dataset) > 0, "%s/time is not a dimension scale", where);
    char scale_name[16] = "";
    H5DSget_scale_name(dataset, scale_name, sizeof scale_name);
    LSIM_CHECK(strcmp(scale_name, "time") == 0, "%s/time scale name is '%s'", where, scale_name);
    LSIM_CHECK(string_attr_is(dataset, "units", "seconds since 2030-01-01 00:00:00"), "%s/time units", where);
    LSIM_CHECK(string_attr_is(dataset, "calendar", "standard"), "%s/time calendar", where);
    LSIM_CHECK(string_attr_is(dataset, "standard_name", "time"), "%s/time standard_name", where);
    LSIM_CHECK(string_attr_is(dataset, "axis", "T"), "%s/time axis", where);
    LSIM_CHECK(string_attr_is(dataset, "long_name", "end of output interval"), "%s/time long_name", where);
    hid_t space = H5Dget_space(dataset);
    hsize_t dims = 0, maxdims = 0;
    H5Sget_simple_extent_dims(space, &dims, &maxdims);
    LSIM_CHECK(maxdims == H5S_UNLIMITED, "%s/time is not unlimited", where);
    H5Sclose(space);
    H5Dclose(dataset);
}

static void check_creation_order(hid_t plist, const char *where)
{
    unsigned link_flags = 0, attr_flags = 0;
    H5Pget_link_creation_order(plist, &link_flags);
    H5Pget_attr_creation_order(plist, &attr_flags);
    unsigned both = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    LSIM_CHECK(link_flags == both, "%s link creation order flags %u", where, link_flags);
    LSIM_CHECK(attr_flags == both, "%s attribute creation order flags %u", where, attr_flags);
}

int main(void)
{
    const char *path = "data_h5_roundtrip.h5";
    char partial[64];
    snprintf(partial, sizeof partial, "%s.partial", path);
    unlink(path);
    unlink(partial);

    lsim_series_registry *reg = lsim_series_new(ROWS_PER_BLOCK);
    int ids[SERIES_COUNT];
    for (size_t s = 0; s < SERIES_COUNT; ++s)
        ids[s] = lsim_series_add(reg, specs[s].group, specs[s].name, specs[s].units, specs[s].long_name,
                                 specs[s].kind);

    char *deck = make_deck(100 * 1024); /* over the 64 KiB compact-attribute limit */
    lsim_run_metadata meta = {.version = "0.1.0-test",
                              .git_commit = "0123456789abcdef0123456789abcdef01234567",
                              .seed = SEED,
                              .deck_yaml = deck,
                              .epoch = "2030-01-01 00:00:00",
                              .title = "lunarsim writer test"};
    lsim_h5_output *out = NULL;
    lsim_status status = lsim_h5_create(&out, path, &meta, reg);
    LSIM_CHECK(status == LSIM_OK, "create: %s", lsim_last_error());
    if (status != LSIM_OK)
        LSIM_TEST_MAIN_END();
    LSIM_CHECK(access(partial, F_OK) == 0, "the file is written as NAME.partial while running");
    LSIM_CHECK(access(path, F_OK) != 0, "NAME must not exist before finish");

    size_t step = 0;
    double t = 0.0;
    for (size_t interval = 0; interval < INTERVALS; ++interval) {
        for (size_t k = 0; k < STEPS_PER_INTERVAL; ++k, ++step) {
            for (size_t s = 0; s < SERIES_COUNT; ++s)
                lsim_series_put(reg, ids[s], value_at(s, step));
            lsim_series_end_step(reg, step_dt[k]);
            t += step_dt[k];
        }
        int full = lsim_series_end_interval(reg, t);
        /* Besides full blocks, an early partial block shifts every later
         * block off the chunk grid. */
        if (full || interval == 2500) {
            status = lsim_h5_write_rows(out, reg);
            LSIM_CHECK(status == LSIM_OK, "write_rows at interval %zu: %s", interval, lsim_last_error());
            LSIM_CHECK(lsim_series_pending_rows(reg) == 0, "write_rows drains the registry");
        }
        if (interval == 5000) {
            status = lsim_h5_flush(out);
            LSIM_CHECK(status == LSIM_OK, "flush: %s", lsim_last_error());
        }
    }
    LSIM_CHECK(lsim_series_pending_rows(reg) > 0, "a partial last block is left for finish");
    lsim_series_group_attr(reg, "regolith", "track_length", 1.0, "m");
    lsim_series_group_attr(reg, "regolith", "track_length", 1234.5, "m");
    lsim_series_group_attr(reg, "power", "array_area", 2.5e6, "m2");
    lsim_summary_set(reg, "mass_launched_total", 1.0, "kg", "total mass launched");
    lsim_summary_set(reg, "mass_launched_total", 5.25e9, "kg", "total mass launched");
    lsim_summary_set(reg, "energy_generated_total", 3.5e15, "J", "total energy generated");
    status = lsim_h5_finish(out, reg);
    LSIM_CHECK(status == LSIM_OK, "finish: %s", lsim_last_error());
    LSIM_CHECK(access(partial, F_OK) != 0 && errno == ENOENT, "NAME.partial is gone after finish");
    LSIM_CHECK(access(path, F_OK) == 0, "NAME exists after finish");

    /* --- read back ---------------------------------------------------- */
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    LSIM_CHECK(file >= 0, "reopen %s", path);
    if (file < 0)
        LSIM_TEST_MAIN_END();

    /* The root group's own creation list (H5Fget_create_plist does not echo these in 1.10). */
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    hid_t root_gcpl = H5Gget_create_plist(root);
    check_creation_order(root_gcpl, "root");
    H5Pclose(root_gcpl);
    H5Gclose(root);

    LSIM_CHECK(string_attr_is(file, "title", meta.title), "root title");
    LSIM_CHECK(string_attr_is(file, "lunarsim_version", meta.version), "root lunarsim_version");
    LSIM_CHECK(string_attr_is(file, "git_commit", meta.git_commit), "root git_commit");
    LSIM_CHECK(string_attr_is(file, "Conventions", "CF-1.8"), "root Conventions");
    LSIM_CHECK(string_attr_is(file, "deck", deck), "the 100 KiB deck reads back whole");
    char *created = read_string_attr(file, "creation_time");
    LSIM_CHECK(created && strlen(created) == 20 && created[10] == 'T' && created[19] == 'Z',
               "creation_time '%s' is ISO 8601 UTC", created ? created : "(missing)");
    free(created);
    uint64_t seed = 0;
    hid_t seed_attr = H5Aopen(file, "seed", H5P_DEFAULT);
    LSIM_CHECK(seed_attr >= 0 && H5Aread(seed_attr, H5T_NATIVE_UINT64, &seed) >= 0, "read seed");
    hid_t seed_type = H5Aget_type(seed_attr);
    LSIM_CHECK(H5Tget_sign(seed_type) == H5T_SGN_NONE && H5Tget_size(seed_type) == 8, "seed is uint64");
    H5Tclose(seed_type);
    H5Aclose(seed_attr);
    LSIM_CHECK(seed == SEED, "seed %llu, expected %llu", (unsigned long long)seed, (unsigned long long)SEED);

    check_time_scale(file, "");
    for (size_t g = 0; g < GROUP_COUNT; ++g) {
        hid_t group = H5Gopen2(file, groups[g], H5P_DEFAULT);
        LSIM_CHECK(group >= 0, "group /%s", groups[g]);
        hid_t gcpl = H5Gget_create_plist(group);
        check_creation_order(gcpl, groups[g]);
        H5Pclose(gcpl);
        check_time_scale(group, groups[g]);
        H5Gclose(group);
    }

    for (size_t s = 0; s < SERIES_COUNT; ++s) {
        char where[96];
        snprintf(where, sizeof where, "/%s/%s", specs[s].group, specs[s].name);
        hid_t group = H5Gopen2(file, specs[s].group, H5P_DEFAULT);
        double *values = NULL;
        size_t length = read_column(group, specs[s].name, &values);
        LSIM_CHECK(length == INTERVALS, "%s has %zu rows, expected %d", where, length, INTERVALS);
        if (length == INTERVALS)
            check_column_bitwise(values, s, where);
        free(values);

        hid_t dataset = H5Dopen2(group, specs[s].name, H5P_DEFAULT);
        hid_t time = H5Dopen2(group, "time", H5P_DEFAULT);
        LSIM_CHECK(H5DSis_attached(dataset, time, 0) > 0, "%s is attached to its group's time scale", where);
        LSIM_CHECK(string_attr_is(dataset, "units", specs[s].units), "%s units", where);
        LSIM_CHECK(string_attr_is(dataset, "long_name", specs[s].long_name), "%s long_name", where);
        LSIM_CHECK(string_attr_is(dataset, "cell_methods",
                                  specs[s].kind == LSIM_SERIES_FLOW ? "time: mean" : "time: point"),
                   "%s cell_methods", where);
        hid_t type = H5Dget_type(dataset);
        LSIM_CHECK(H5Tequal(type, H5T_IEEE_F64LE) > 0, "%s is float64", where);
        H5Tclose(type);
        hid_t dcpl = H5Dget_create_plist(dataset);
        LSIM_CHECK(H5Pget_layout(dcpl) == H5D_CHUNKED, "%s is chunked", where);
        unsigned flags = 0, config = 0, level = 0;
        size_t elements = 1;
        LSIM_CHECK(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_SHUFFLE, &flags, &(size_t){0}, NULL, 0, NULL, &config) >= 0,
                   "%s has the shuffle filter", where);
        LSIM_CHECK(H5Pget_filter_by_id2(dcpl, H5Z_FILTER_DEFLATE, &flags, &elements, &level, 0, NULL, &config) >= 0,
                   "%s has the deflate filter", where);
        LSIM_CHECK(level >= 1 && level <= 9, "%s deflate level %u", where, level);
        double fill = 0.0;
        H5Pget_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill);
        LSIM_CHECK(isnan(fill), "%s fill value is NaN (got %g)", where, fill);
        H5Pclose(dcpl);
        H5Dclose(time);
        H5Dclose(dataset);
        H5Gclose(group);
    }

    hid_t regolith = H5Gopen2(file, "regolith", H5P_DEFAULT);
    LSIM_CHECK_CLOSE(read_double_attr(regolith, "track_length"), 1234.5, 0.0, 0.0, "stored as given; last set wins");
    LSIM_CHECK(string_attr_is(regolith, "track_length_units", "m"), "group attribute units");
    H5Gclose(regolith);
    hid_t power = H5Gopen2(file, "power", H5P_DEFAULT);
    LSIM_CHECK_CLOSE(read_double_attr(power, "array_area"), 2.5e6, 0.0, 0.0, "stored as given");
    LSIM_CHECK(string_attr_is(power, "array_area_units", "m2"), "group attribute units");
    H5Gclose(power);

    hid_t summary = H5Gopen2(file, "summary", H5P_DEFAULT);
    LSIM_CHECK(summary >= 0, "/summary exists");
    struct {
        const char *name, *units, *long_name;
        double value;
    } sums[] = {{"mass_launched_total", "kg", "total mass launched", 5.25e9},
                {"energy_generated_total", "J", "total energy generated", 3.5e15}};
    for (size_t i = 0; i < 2; ++i) {
        hid_t dataset = H5Dopen2(summary, sums[i].name, H5P_DEFAULT);
        double value = NAN;
        LSIM_CHECK(dataset >= 0 && H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) >= 0,
                   "read /summary/%s", sums[i].name);
        LSIM_CHECK_CLOSE(value, sums[i].value, 0.0, 0.0, "stored as given; last set wins");
        LSIM_CHECK(string_attr_is(dataset, "units", sums[i].units), "summary units");
        LSIM_CHECK(string_attr_is(dataset, "long_name", sums[i].long_name), "summary long_name");
        H5Dclose(dataset);
    }
    H5Gclose(summary);
    H5Fclose(file);
    free(deck);
    lsim_series_free(reg);
    unlink(path);
    LSIM_TEST_MAIN_END();
}
